"""
Which way a metric is better, as the plan's own words say it: a direction word next to the
metric's name in a block's success criterion or in the claim map's claims and evidence (027's
«FK-vs-position p95 显著下降»: lower is better).

The judge reads it only for a metric whose direction neither ``[metrics] higher_is_better`` nor
the built-in word lists (:mod:`bridge.plan.metric_names`) know, and only where the plan's words
agree; words pointing both ways leave the guess, said with the words. Only text that states a
goal is read: nothing from the rest of a block (its Failure interpretation, Metrics, Setup,
Decision fields), the problem statement, risks or a claim's falsification, where a metric going
down may be the failure, not the goal. Within what is read, a conditional ("if SR decreases",
«若 … 下降») states no goal, nor does a direction word that is part of a metric's name
("nDCG@10 drop relative to the full model", "TPR drop Δ from full", "J-drop").

A statement is kept as the names it may be about, keyed as :func:`~bridge.plan.metric_names.
metric_key` keys them: the words before the direction word, back to a clause break (each of
their trailing runs of words, "pre-clamp FK p95" → "FK p95", "p95"), and after a word that
takes an object ("降低 FK p95", "lower latency"), each leading run of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence

import attrs

from bridge.lazy_patterns import lazy
from bridge.plan.metric_names import metric_key
from bridge.plan.model import Plan
from bridge.plan.vocabulary import ZH_WHEN
from bridge.value_methods import value_methods

__all__ = [
    "SAID_DIRECTIONS_OPTION",
    "DirectionSaid",
    "SaidDirection",
    "direction_said",
    "said_directions",
    "said_directions_of",
    "said_directions_text",
]

#: The key of ``PlanLoaded.options`` that carries the plan's direction statements to the judge
#: (which reads only the log), as :func:`said_directions_text` writes them; absent when none.
SAID_DIRECTIONS_OPTION = "plan.directions"

# Words that say a metric should go down, or up. "improve", "gain", "改善" and "better" are
# none: they say better, not which way, and are the very words a criterion leaves open (027's
# B3 «FK p95 改善至少 10%»).
_LOWER = (
    r"下降|降低|减少|减小|更低|更小|"
    r"\b(?:lower(?![\s-]*(?:bound|limit|priority|tolerance))|decreas(?:e|es|ed|ing)|reduc(?:e|es|ed|ing|tion)|drops?|dropped|dropping|"
    r"fewer|smaller)\b"
)
_HIGHER = (
    r"提升|提高|增加|增大|更高|更大|"
    r"\b(?:higher|increas(?:e|es|ed|ing)|rais(?:e|es|ed|ing)|rises?|rising|larger|greater)\b"
)
_WORD = lazy(rf"(?P<lower>{_LOWER})|(?P<higher>{_HIGHER})", re.IGNORECASE)
# Words that take what follows as their metric ("降低 FK p95", "lower latency"); the others
# ("下降", "drops") follow it.
_TAKES_OBJECT = lazy(
    r"降低|减少|减小|更低|更小|提升|提高|增加|增大|更高|更大|lower|decreas|reduc|fewer|smaller|"
    r"higher|increas|rais|larger|greater",
    re.IGNORECASE,
)
# A negation just before the word turns it round or makes it a guard ("contact coverage 不下降",
# "must not increase"): no statement of which way is better.
_NEGATED = lazy(
    r"(?:不|没有|没|无|未|非|勿|\bnot|\bno|n't|\bnever|\bwithout)\s*(?:\S{1,2}\s*)?$",
    re.IGNORECASE,
)
# A conditional before the word in its clause ("if SR decreases, the method fails", «若 FK p95
# 下降»): what would happen, not what is wanted.
_CONDITIONAL = lazy(
    r"若|如果|假如|要是|一旦|否则|\b(?:if|when|whenever|unless|otherwise|in\s+case)\b", re.I
)
# «当 FK p95 下降时»: "when", whose 时 comes after the word, so it is looked for in the clause.
_WHEN = lazy(ZH_WHEN)
# A direction noun that names a quantity measured against something ("nDCG@10 drop relative to
# the full model", "TPR drop Δ from full"): a metric's name, no goal.
_NOUN_OF = lazy(
    r"^\s*(?:Δ|∆|delta\b|from\b|relative\s+to\b|vs\b\.?|versus\b|of\b|compared\s+(?:to|with)\b)",
    re.IGNORECASE,
)
_NOUN = lazy(r"^(?:drop|reduction|increase|decrease|rise)$", re.IGNORECASE)
# Before the noun, a word that makes it a verb ("should drop relative to base").
_VERB_BEFORE = lazy(
    r"\b(?:to|should|must|will|would|can|may|might|shall|does|do|did)\s+$", re.IGNORECASE
)
# What cannot open a metric's name after an intransitive use ("nDCG@10 decreases when the
# reranker is on", "accuracy higher for reranked").
_NOT_OBJECT = lazy(
    r"^(?:when|whenever|if|unless|as|while|after|before|with|without|for|because|since|until|"
    r"once|then|than|monotonically|over|across|under|during|per|is|are|was|were|be|been|"
    r"and|or|but|so|that|which)\b",
    re.IGNORECASE,
)
_NEGATION = lazy(r"不得|不能|不应|不要|禁止|避免|\b(?:must|should|do|does|may)\s+not\b", re.I)
_BOUND = lazy(
    r"[≤<]|<=|不超过|至多|最多|以内|\b(?:at\s+most|no\s+more\s+than|within|up\s+to)\b", re.I
)
_ABLATION = lazy(
    r"\bno[_-]|\bw/o\b|\bwithout\b|remov|ablat|shuffl|去掉|移除|去除|删除|打乱|消融|\byields?\b",
    re.IGNORECASE,
)
# Where a clause ends: the metric a word speaks of is in its own clause.
_BREAK = lazy(
    r"[，,；;。：:！？!?()（）\[\]【】|、\n]|\s(?:and|or|but|while|whereas)\s|和|及|与|但|而"
)
# Words between a metric and its direction word that are neither ("显著下降", "至少降低",
# "should drop significantly").
_FILLER = lazy(
    r"(?:\s|显著|明显|大幅|至少|进一步|均|都|应该?|必须|需要?|要|会|能|可以|的|地|得|"
    r"\b(?:significantly|substantially|markedly|clearly|at\s+least|further|should|must|will|"
    r"to|is|are|be|by|much|strictly|consistently|also|the)\b)+$",
    re.IGNORECASE,
)
_LEADING_FILLER = lazy(r"^(?:\s|的|\b(?:the|its|their|our)\b)+", re.IGNORECASE)
# The compared system or baseline follows these: the metric is before them ("D_motion 相对归档
# 300K baseline 至少降低 10%" speaks of D_motion).
_AGAINST = lazy(
    r"相对|相比|对比|比起|(?<![\w-])(?:than|relative\s+to|compared\s+(?:to|with)|versus|vs\.?|"
    r"over|against)(?![\w-])",
    re.IGNORECASE,
)
# What ends a metric named after its word: a number, "by", "至".
_OBJECT_END = lazy(r"\d|\b(?:by|to|than|from|of|in|on|at)\b|至|到|达|从|于", re.IGNORECASE)
_QUOTE_CHARS = 80
_STATISTIC = lazy(r"^(?:p\d{1,2}|mean|max|min|avg|average|median|std|sum|total|top\d*)$")
# A list item's number and markdown marks before the metric ("1. `D_motion`").
_MARKS = lazy(r"^(?:\s*(?:\d{1,2}[.)、]|[-*+])\s+)?[`*_\s]*")


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class SaidDirection:
    """
    One plan statement of which way a metric is better.

    Args:
        lower: ``True`` when the words say lower is better, ``False`` higher.
        quote: the words, as the plan writes them («FK-vs-position p95 显著下降»).
        names: the metric keys (:func:`~bridge.plan.metric_names.metric_key`) the statement may
            be about.
    """

    lower: bool
    quote: str
    names: tuple[str, ...]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class DirectionSaid:
    """
    What the plan's words say of one metric: ``lower`` (``True``/``False``) when they agree,
    ``None`` when they point both ways; ``quotes``: the words (those of each way, when they
    disagree).
    """

    lower: bool | None
    quotes: tuple[str, ...]


def said_directions(plan: Plan) -> tuple[SaidDirection, ...]:
    """
    Every statement of which way a metric goes in the plan's blocks' success criteria and its
    claims and their evidence, in plan order, each once; nothing from a block's other fields.
    """
    # Only words that state a goal: a block's other fields say what a failure would look like
    # ("Failure interpretation: if SR decreases, the method fails") or name metrics ("Metrics:
    # nDCG@10 drop relative to the full model"), which read as "lower is better" turned verdicts.
    texts: list[str] = [block.success_criterion for block in plan.blocks]
    for claim in plan.claims:
        texts.extend((claim.text, claim.evidence))
    found: dict[tuple[bool, str], SaidDirection] = {}
    for text in texts:
        for said in _statements(text):
            found.setdefault((said.lower, said.quote), said)
    # A noun that makes its metric a cost ("pre-clamp FK/world errors") says what the metric
    # is, not a goal that may be a failure's words: read in the whole of every block and claim.
    nouns = [*texts, *(block.text for block in plan.blocks), plan.method, plan.thesis]
    for text in nouns:
        for said in _cost_statements(text):
            found.setdefault((said.lower, said.quote), said)
    return tuple(found.values())


# A noun that says the metric named before it is a cost, lower being better: "pre-clamp
# FK/world errors" (027's B3, whose runs record `fk_p95`), "L2 distance", "decode latency",
# «FK 误差». Not one inside a compound ("aux-loss", "win/loss"), nor "error bars", "error
# analysis", "loss function": no metric is named so.
_COST_AFTER = lazy(
    r"(?P<what>(?:[A-Za-z][\w/+.-]*[ \t]+){0,2}[A-Za-z][\w/+.-]*)"
    r"(?:[ \t]+(?P<en>errors?|loss(?:es)?|distances?|latenc(?:y|ies))\b"
    r"|[ \t]*(?:的[ \t]*)?(?P<zh>误差|损失|距离|延迟))"
    r"(?![ \t]*(?:bars?|analys[ie]s|handling|messages?|cases?|logs?|codes?|types?|"
    r"functions?|terms?|weights?|landscapes?|curves?|budgets?)\b)",
    re.IGNORECASE,
)
# Each cost noun as one word, in the key its statements are kept under ("FK errors" as
# "fk error"): the noun says the metric is the cost of what it names, not that thing (a
# plan's "velocity error" says nothing of a metric `velocity`).
_COST_NOUNS = {"误差": "error", "损失": "loss", "距离": "distance", "延迟": "latency"}
_COST_WORDS = ("error", "loss", "distance", "latency")
# Words that name no metric before or after such a noun ("the error", "fewer errors", "not a
# strict loss") or that say what is lost ("accuracy loss" is a drop of the accuracy).
_NOT_A_COST_WORDS = (
    "a an the no not any all each every some other such these those this that its their our "
    "your of in on at to for by with without from under which and or than vs is are be was "
    "were has have more less fewer lower higher small smaller large larger big bigger low "
    "high strict remaining final standard std sampling type i ii margin mean average avg max "
    "min median total accuracy performance quality information utility capability precision "
    "recall"
)
_NOT_A_COST = frozenset(_NOT_A_COST_WORDS.split())
# "standard error", "type I error", "sampling error": a statistic's error, no metric's.
_NOT_A_METRIC_ERROR = frozenset({"standard", "std", "sampling", "type", "i", "ii"})


def _cost_statements(text: str) -> Iterator[SaidDirection]:
    """The statements of one text that a metric is a cost (see ``_COST_AFTER``): lower is
    better, kept as each trailing run of the words that name it (each half of "FK/world")
    with the noun ("fk error"), which :func:`direction_said` matches with a metric that is a
    statistic of it (`fk_p95`)."""
    # Not "error of X": "the robustness error of GNN" made `gnn_mean` lower-is-better (review
    # r36); what follows "of" is as often a system as a metric.
    for match in _COST_AFTER.finditer(text):
        written = match["en"] or match["zh"]
        noun = _COST_NOUNS.get(written) or next(
            w for w in _COST_WORDS if written.lower()[:4] == w[:4]
        )
        # The name is the run of words right before the noun.
        words = match["what"].split()
        run = len(words)
        while run > 0 and words[run - 1].casefold() not in _NOT_A_COST:
            run -= 1
        if run and words[run - 1].casefold() in _NOT_A_METRIC_ERROR:
            continue
        words = words[run:]
        if not words or _WORD.search(" ".join(words)):
            continue
        names: list[str] = []
        for variant in _slash_variants(words):
            runs = (variant[i:] for i in range(len(variant)))
            names += [" ".join(r) for r in runs]
        kept = tuple(
            dict.fromkeys(
                metric_key(f"{n} {noun}")
                for n in names
                if len(metric_key(n)) >= 2 and not _STATISTIC.match(metric_key(n))
            )
        )
        if kept:
            at, end = text.find(words[0], match.start()), match.end()
            quote = " ".join(text[at:end].replace("`", "").split())
            yield SaidDirection(lower=True, quote=quote, names=kept)


def _slash_variants(words: list[str]) -> list[list[str]]:
    """``words`` as written, and with each "A/B" word read as A, then as B ("FK/world errors"
    are FK errors and world errors)."""
    variants = [words]
    for i, word in enumerate(words):
        halves = [h for h in word.split("/") if h]
        if len(halves) > 1:
            variants += [[*v[:i], half, *v[i + 1 :]] for v in list(variants) for half in halves]
    return variants[:16]


def _statements(text: str) -> Iterator[SaidDirection]:
    """The direction statements of one text (see the module's docstring)."""
    for match in _WORD.finditer(text):
        before = text[max(0, match.start() - _QUOTE_CHARS) : match.start()]
        ahead = text[match.end() : match.end() + _QUOTE_CHARS]
        own = before[max([m.end() for m in _BREAK.finditer(before)], default=0) :]
        clause = (
            own
            + match.group(0)
            + ahead[: next((m.start() for m in _BREAK.finditer(ahead)), len(ahead))]
        )
        # "不得靠 … 来提高速度" (must not raise speed by …) guards, as "不下降" does; "TPOT
        # increase ≤ 5%" bounds a cost; "source-shuffle 使性能下降" and "no_gate yields higher
        # false-allow" say what an ablation does, the opposite of the goal (039, 004).
        # "if SR decreases" (a conditional), "nDCG@10 drop relative to the full model" and
        # "J-drop" (a metric's name) state no goal.
        if (
            _CONDITIONAL.search(own)
            or any(when.start() < len(own) for when in _WHEN.finditer(clause))
            or re.search(r"\w-$", before)
            or ahead.startswith("-")
            or (
                _NOUN.match(match.group(0))
                and _NOUN_OF.match(ahead)
                and not _VERB_BEFORE.search(before)
            )
            or _NEGATED.search(before)
            or _NEGATION.search(clause)
            or _BOUND.search(clause)
            or _ABLATION.search(clause)
        ):
            continue
        lower = match.group("lower") is not None
        names: list[str] = []
        start = match.start()
        subject = _subject_before(before)
        if subject:
            start = match.start() - len(before) + before.rfind(subject)
            words = subject.split()
            names += [metric_key(" ".join(words[i:])) for i in range(len(words))]
        end = match.end()
        if _TAKES_OBJECT.match(match.group(0)):
            after = text[match.end() : match.end() + _QUOTE_CHARS]
            obj = _object_after(after)
            if obj:
                end = match.end() + after.find(obj) + len(obj)
                words = obj.split()
                names += [metric_key(" ".join(words[: i + 1])) for i in range(len(words))]
        # A statistic alone ("p95" of "FK-vs-position p95") names no metric.
        kept = tuple(dict.fromkeys(n for n in names if len(n) >= 2 and not _STATISTIC.match(n)))
        if kept:
            quote = " ".join(text[start:end].replace("`", "").split())
            yield SaidDirection(lower=lower, quote=quote, names=kept)


def _subject_before(before: str) -> str:
    """The metric's words before a direction word: back to a clause break or another direction
    word, less the words between ("显著", "at least") and the compared system after "相对"."""
    cut = max(
        [m.end() for m in _BREAK.finditer(before)] + [m.end() for m in _WORD.finditer(before)],
        default=0,
    )
    words = _FILLER.sub("", before[cut:])
    if against := _AGAINST.search(words):
        words = words[: against.start()]
    # "root path 的 GT distribution distance": the metric is what follows the last "的".
    words = _MARKS.sub("", words.rsplit("的", 1)[-1])
    return _FILLER.sub("", words).strip()


def _object_after(after: str) -> str:
    """The metric's words after a word that takes one: up to a clause break, a number, "by",
    "至", the compared system ("over base") or another direction word."""
    found = (
        _BREAK.search(after),
        _OBJECT_END.search(after),
        _WORD.search(after),
        _AGAINST.search(after),
    )
    words = _LEADING_FILLER.sub(
        "", after[: min((m.start() for m in found if m is not None), default=len(after))]
    ).strip()
    # An intransitive use takes no object: "decreases when the reranker is on" names no "when".
    return "" if _NOT_OBJECT.match(words) else words


def direction_said(names: Sequence[str], said: Sequence[SaidDirection]) -> DirectionSaid | None:
    """
    What the plan's statements say of the metric known by ``names`` (the recorded name and the
    plan's, each also by its last dotted part), or ``None`` when none speaks of it.
    """
    keys = {
        metric_key(variant)
        for name in names
        if name
        for part in (name, re.split(r"[./]", name)[-1])
        for variant in (part, *_costs_of(part))
    } - {""}
    about = [s for s in said if keys & set(s.names)]
    if not about:
        return None
    ways = {s.lower for s in about}
    if len(ways) > 1:
        return DirectionSaid(lower=None, quotes=tuple(dict.fromkeys(s.quote for s in about)))
    # The plainest words say it: «FK-vs-position p95 显著下降» over «L3 还必须让 FK-vs-position
    # p95 至少降低».
    return DirectionSaid(lower=about[0].lower, quotes=(min((s.quote for s in about), key=len),))


# A statistic that goes the way of the metric it sums up: `fk_p95` is better lower where FK
# errors are ("std" is no such statistic: a spread).
_LOCATION_STATISTIC = lazy(r"^(?:p\d{1,2}|mean|avg|average|median|max|min)$", re.IGNORECASE)


def _costs_of(name: str) -> tuple[str, ...]:
    """What a plan's cost noun says ``name`` sums up, where its last word is such a statistic
    (`fk_p95`: "fk error", as :func:`_cost_statements` keeps it); ``()`` for
    any other name."""
    parts = [p for p in re.split(r"[\s_./-]+", name) if p]
    if len(parts) > 1 and _LOCATION_STATISTIC.match(parts[-1]):
        # Only "errors": "reward loss", "throughput latency", "SSIM distance" say nothing of
        # which way `reward_mean`, `throughput_mean` or `ssim_mean` go (review r36). Each
        # trailing run of the words, as the statements keep theirs: a qualifier before them
        # narrows what is measured, not its way (027's `fullpose_pre_clamp_fk_p95` was "assumed
        # higher is better" beside «pre-clamp FK/world errors», its gain read with the wrong
        # sign, h41B).
        return tuple(f"{' '.join(parts[k:-1])} error" for k in range(len(parts) - 1))
    return ()


def said_directions_text(said: Sequence[SaidDirection]) -> str:
    """The statements as ``PlanLoaded.options`` keeps them (JSON)."""
    return json.dumps(
        [[s.lower, s.quote, list(s.names)] for s in said], ensure_ascii=False, sort_keys=True
    )


def said_directions_of(text: str) -> tuple[SaidDirection, ...]:
    """:func:`said_directions_text`'s statements read back; ``()`` for ``""`` (a log written
    before the key existed) or anything else."""
    try:
        found = json.loads(text) if text else []
    except ValueError:
        return ()
    if not isinstance(found, list):
        return ()
    out: list[SaidDirection] = []
    for item in found:
        match item:
            case [bool(lower), str(quote), list(names)] if all(isinstance(n, str) for n in names):
                out.append(SaidDirection(lower=lower, quote=quote, names=tuple(names)))
            case _:
                continue
    return tuple(out)
