"""
Reading names from a clause's words: which spellings name which of the block's systems, the
system with and without an ablated component, the metric named before a threshold or by a
gain, and a word as the original text spelled it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from bridge.lazy_patterns import lazy
from bridge.plan.criteria.lexicon import (
    BETTER_WORDS,
    EACH_COMPONENT,
    HIGHER_WORDS,
    LOWER_WORDS,
    WORSE_WORDS,
    find_term,
    metric_terms,
    normalise,
    tag,
    untag,
)
from bridge.plan.criteria.model import (
    BASELINE,
)
from bridge.plan.metric_names import (
    SYNONYMS,
    ZH_QUALIFIER,
    held_quantity_spellings,
    metric_key,
    subset_qualifier,
)

__all__ = [
    "as_change",
    "as_gain_between",
    "conditions_apart",
    "conditions_unchecked",
    "gain_phrase",
    "held_quantity_word",
    "metric_after_phrase",
    "metric_phrase",
    "original_spelling",
    "qualified_metrics",
    "rate_metrics",
    "read_ablation",
    "shared_leads",
    "shared_reference",
    "shared_subject",
    "system_name",
    "system_terms",
    "zh_scope_apart",
]

_ABLATION_VERB = lazy(
    r"^(?:the\s+)?(?P<comp>[^\s⟨⟩<>≥≤=][^⟨⟩<>≥≤=]{0,40}?)\s+"
    r"(?:helps?|contributes?|matters?|adds?)\b"
)
_WITHOUT = lazy(r"\b(?:without|w/o)\s+(?:the\s+)?(?P<comp>[\w-]+(?:\s+[\w-]+)?)")
# "removing the gate increases loss": the variant without the component against the full one.
_REMOVING = lazy(
    r"\b(?:removing|dropping|ablating|disabling|removal\s+of)\s+(?:the\s+)?"
    r"(?P<comp>[\w-]+(?:\s+[\w-]+)?)"
)
_BASELINE_NAME = lazy(r"baseline|\bbase\b|基线", re.IGNORECASE)
_NEGATION = r"(?:w/o|without|no|minus|sans|去掉|去除|移除|无|不含)"
_NAME_STOP = frozenset(
    {
        "full", "model", "method", "baseline", "base", "only", "with", "without", "variant",
        "ours", "proposed", "standard", "default", "current", "same", "stage", "data", "main",
        "version", "system", "best", "plus", "from", "block", "run", "runs", "the", "and",
    }
)  # fmt: skip
_STATISTIC_WORD = lazy(r"mean|median|average|avg|total|overall|paired|net")
_PHRASE_TRIM = lazy(
    r"^(?:the|a|an|overall|final)\s+|\s+(?:is|are|be|should|must|stays?|remains?|achieves?|"
    r"reaches?|yields?|gives?|has|have|of|at|on|with|shows?|keeps?)$"
)


# Capitals that name hardware, tooling or the plan itself, not one compared system.
_ACRONYM_STOP = frozenset({"gpu", "cpu", "tpu", "llm", "api", "sota", "todo", "run"})
_METRIC_WORDS = frozenset(normalise(word) for word, _ in metric_terms(()))


def _acronyms(name: str) -> list[str]:
    """The all-capital words of three or more characters in ``name`` (``KAN``, ``MLP``), in
    lower case, leaving out metric names (``RMSE`` names the metric in a criterion)."""
    words = re.findall(r"(?<![\w-])[A-Z][A-Z0-9]{2,}(?![\w-])", unicodedata.normalize("NFKC", name))
    return [
        w.lower()
        for w in words
        if w.lower() not in _ACRONYM_STOP and w.lower() not in _METRIC_WORDS
    ]


def _compounds(normalised: str) -> list[str]:
    """The hyphenated words of a normalised name that hold a letter (``tc-cs-1s``)."""
    return [
        w
        for w in re.findall(r"(?<![\w-])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w-])", normalised)
        if re.search(r"[a-z]", w) and len(w) >= 4
    ]


# A word of two capitalised parts, the second three letters or more: "DepthGate", "DepthFiLM".
_CAMEL = lazy(r"(?<![\w-])(?P<head>[A-Z][a-z]+)(?P<tail>[A-Z][A-Za-z]{2,})(?![\w-])")


def shared_leads(systems: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """
    The first ``+``-joined part of a system's name that begins the names of several of
    ``systems`` (normalised, as :func:`system_terms` reads a part), with those systems, in
    order: "A2" of "A2 + mixed control" and "A2 + text control". :func:`system_terms` names a
    system by each part only one name has, so such a part names none; a criterion writing it
    means one of them, which the words do not tell. Not a part any other system's name holds
    too: 021's "`Lambda_diff`" begins "`Lambda_diff + Ton_diff`" and "… + safety projection"
    and ends "only `Lambda_diff`", the system its criterion names.
    """
    leads: dict[str, list[str]] = {}
    for system in systems:
        parts = [p.strip() for p in unicodedata.normalize("NFKC", system).split("+")]
        if len(parts) < 2 or not parts[0]:
            continue
        key = normalise(parts[0]).strip(" :-—")
        if key and not key.isdigit():
            leads.setdefault(key, []).append(system)
    return {
        key: tuple(dict.fromkeys(owners))
        for key, owners in leads.items()
        if len(set(owners)) > 1
        and not any(
            re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", normalise(other))
            for other in systems
            if other not in owners
        )
    }


def system_terms(systems: Sequence[str]) -> list[tuple[str, str]]:
    """
    Every spelling that names exactly one of the block's systems, with its placeholder.

    A system is named by its full name, by its name without parenthesised commentary, a list
    label (``E2:``) or a description after the bold title (``**Random K=3**: 3 positions ...``),
    by each ``+``-joined part, by a word of four letters or more that only its name has, and
    by what follows the head of a two-part word it shares with another system's ("Gate" of
    "DepthGate" beside "DepthFiLM"). A full name always names its system, even where another
    system's shortened name is the same words.
    """
    owners: dict[str, set[int]] = {}

    def add(name: str, index: int) -> None:
        key = normalise(name).strip(" :-—")
        if key and not key.isdigit():
            owners.setdefault(key, set()).add(index)

    for index, system in enumerate(systems):
        add(system, index)
        nfkc = unicodedata.normalize("NFKC", system)
        titled = re.match(r"^\s*\*\*(?P<t>[^*]+)\*\*\s*[:：]", nfkc)
        short = titled.group("t") if titled else nfkc
        short = re.sub(r"^\s*[A-Za-z]{1,3}\d{1,3}[a-z]?\s*:\s*", "", short)
        short = re.split(r"\s+[—–]\s+|\s+-\s+", short)[0]
        bare = re.sub(r"[(（][^()（）]*[)）]", " ", short).strip()
        for name in {short, bare}:
            add(name, index)
            pieces = list(re.finditer(r"[^+]+", name))
            for piece in pieces:
                add(piece.group(0), index)
            # "LGGSN+ORFN" of "SO-ARM + LGGSN+ORFN" (033's E5): a run of parts names it too.
            for start in range(len(pieces)):
                for stop in range(start + 1, len(pieces)):
                    if (start, stop) != (0, len(pieces) - 1):
                        add(name[pieces[start].start() : pieces[stop].end()], index)
    # Single words: the first and last word of a short name and the first word of its
    # commentary ("E_best(predicted depth)" is named by "predicted"), when only one has it.
    words: dict[str, set[int]] = {}
    # Every word of every name: a word names one system only when no other name has it at all
    # ("task" is the last word of "Multi-task with λ=0" and inside "Multi-task DeBERTa").
    holders: dict[str, set[int]] = {}
    for index, system in enumerate(systems):
        for word in re.findall(r"[a-z][a-z0-9]{3,}", normalise(system)):
            holders.setdefault(word, set()).add(index)
        for word in [*_acronyms(system), *_compounds(normalise(system))]:
            holders.setdefault(word, set()).add(index)
    # "DepthGate", "DepthFiLM", "DepthBasis" (001's B2): names of one family, each named by what
    # follows the head they share ("Gate < FiLM < Basis").
    camel = {
        index: list(_CAMEL.finditer(unicodedata.normalize("NFKC", system)))
        for index, system in enumerate(systems)
    }
    heads: dict[str, set[int]] = {}
    for index, parts in camel.items():
        for part in parts:
            heads.setdefault(part["head"], set()).add(index)
    for index, system in enumerate(systems):
        nfkc = normalise(system)
        nfkc = re.sub(r"^\s*[a-z]{1,3}\d{1,3}[a-z]?\s*:\s*", "", nfkc)
        titled = re.match(r"^\s*(?P<t>[^:：]+?)\s*[:：]\s+\S", nfkc)
        short = re.split(r"\s+[—–]\s+|\s+-\s+", titled.group("t") if titled else nfkc)[0]
        bare = re.sub(r"[(（][^()（）]*[)）]", " ", short)
        picked: list[str] = []
        named = [w for w in re.findall(r"[a-z][a-z0-9]{3,}", bare) if w not in _NAME_STOP]
        picked += named[:1] + named[-1:]
        # "KAN teacher" is named by "KAN", "TC-CS-1S attention-only" by "TC-CS-1S": an acronym
        # or the hyphenated first word, which the four-letter rule above cannot see (and
        # whose digits would otherwise be read as a threshold).
        picked += _acronyms(re.sub(r"[(（][^()（）]*[)）]", " ", system))
        picked += _compounds(bare)[:1]
        # "GR-ConvNet" of "SO-ARM + GR-ConvNet top-1": each joined part's hyphenated first word.
        picked += [c for part in bare.split("+")[1:] for c in _compounds(part)[:1]]
        for inner in re.findall(r"[(（]([^()（）]*)[)）]", short):
            if re.search(r"[=\d]", inner):  # "(skill=0.453)": a parameter, not a name
                continue
            first = re.findall(r"[a-z][a-z0-9]{3,}", inner)[:1]
            picked += [w for w in first if w not in _NAME_STOP]
        prefix = re.findall(r"\S+", bare)
        for end in range(2, len(prefix)):
            add(" ".join(prefix[:end]), index)
        picked += [w["tail"].lower() for w in camel[index] if len(heads[w["head"]]) > 1]
        for word in dict.fromkeys(picked):
            words.setdefault(word, set()).add(index)
    for word, found in words.items():
        if word in _METRIC_WORDS:
            continue  # "RMSE" in "RMSE-tuned net" names the metric in a criterion
        if len(found) == 1 and word not in owners and holders.get(word, found) == found:
            owners[word] = set(found)
    # A system's full name is its own even where another's shortened form reads the same
    # ("Logistic regression" beside "Logistic regression (no feature scaling)").
    full: dict[str, set[int]] = {}
    for index, system in enumerate(systems):
        key = normalise(system).strip(" :-—")
        if key:
            full.setdefault(key, set()).add(index)
    owners.update({key: found for key, found in full.items() if len(found) == 1})
    return [(name, tag("S", min(found))) for name, found in owners.items() if len(found) == 1]


# A reference follows one of these words (lexicon's REFERENCE_BEFORE without "比", "较" and
# "与", which begin other words too); what follows it, to the end of the clause or a comma,
# is what the plan wrote for the reference.
_COMPARED_WITH = lazy(
    r"(?:\b(?:vs\.?|versus|over|beyond|than|against|relative\s+to|compared\s+(?:to|with)|"
    r"beats?|outperforms?|surpass(?:es)?|exceeds?)\s+|相对于|相比于|相比|对比|优于|好于|胜过|"
    r"超过|超越|高于|低于)\s*(?P<ref>[^,;，；。:：()（）]+)"
)
# Where the reference's words end: a setting, a metric or a margin after it ("on AUROC",
# "在 … 上", "by 2 points", "至少 1 点").
_REFERENCE_END = lazy(
    r"\s(?:on|in|at|by|for|across|with|under)\s|在|至少|不少于|不低于|[≥>]|\s[+-]?\d"
)
# What parts a system's name is made of: "threshold/no-message" is "threshold", "no-message".
_NAME_PARTS = lazy(r"[\s/;,，、()（）+:：]+")


def shared_reference(
    clause: str, systems: Sequence[str], subject: str | None
) -> tuple[str, tuple[str, ...]] | None:
    """
    The reference a clause names in words that several of the block's systems share, as the
    clause writes it, with those systems; None when it names none that way.

    039's B3 «GNN 同时优于 同 support 的 no-message»: "no-message" is a part of the names of
    "threshold/no-message" and of "typed-mass-cover/no-message", so the reference is either
    (``("同 support 的 no-message", ("threshold/no-message", "typed-mass-cover/no-message"))``).
    Each word of the reference (two characters or more, not a word any name may have, such
    as "full" or "model") that is a whole part of some system's name narrows the
    systems to those holding it; two or more left (the ``subject`` apart) is the answer. A
    reference that narrows to one system, or matches none, is not this case.

    Args:
        clause: one clause of a criterion, as the plan writes it.
        systems: the block's compared systems.
        subject: the clause's subject where it was read (never a candidate).
    """
    norm = normalise(clause)
    found = _COMPARED_WITH.search(norm)
    if found is None or "⟨" in found["ref"]:
        return None
    said = _REFERENCE_END.split(found["ref"], maxsplit=1)[0].strip()
    candidates = _sharing(said, systems, subject)
    if candidates is None:
        return None
    return original_spelling(said, clause), candidates


def shared_subject(
    clause: str, systems: Sequence[str], reference: str | None
) -> tuple[str, tuple[str, ...]] | None:
    """
    The compared system a clause names, before its comparison word, in words that several of
    the block's systems share, as the clause writes it, with those systems; None when it names
    none that way. As :func:`shared_reference`, from the subject's side.

    039's B3 «GNN 同时优于 MART»: "GNN" is a part of the names of "threshold/GNN" and of
    "typed-mass-cover/GNN", so the system said to beat MART is either; read as the block's
    proposed system it was MART against itself.

    Args:
        clause: one clause of a criterion, as the plan writes it.
        systems: the block's compared systems.
        reference: the clause's reference where it was read (never a candidate).
    """
    norm = normalise(clause)
    found = _COMPARED_WITH.search(norm)
    if found is None:
        return None
    before = norm[: found.start()]
    candidates = _sharing(before, systems, reference)
    if candidates is None:
        return None
    # Quoted from its first to its last word that is part of a name: «GNN», not «GNN 同时».
    named = {p for s in candidates for p in _NAME_PARTS.split(normalise(s)) if p}
    words = [m for m in re.finditer(r"[^\s/;,，、()（）+:：]{2,}", before) if m[0] in named]
    said = before[words[0].start() : words[-1].end()] if words else before.strip()
    return original_spelling(said, clause), candidates


def _sharing(said: str, systems: Sequence[str], other: str | None) -> tuple[str, ...] | None:
    """
    The systems whose names hold every word of ``said`` that is a whole part of some system's
    name (two characters or more, not a word any name may have, such as "full" or "model"),
    ``other`` apart, when two or more are left; None when no word narrows them, or fewer are
    left.
    """
    parts = [{p for p in _NAME_PARTS.split(normalise(s)) if p} for s in systems]
    left = set(range(len(systems)))
    narrowed = False
    # A word of one character ("的") or a word any name may have ("full", "model") is not a
    # part that tells systems apart.
    # The words are cut where names are ("(λ=0.3)" is the part "λ=0.3" of 011's "Multi-task
    # DeBERTa (difficulty + evidence, λ=0.3)").
    for word in _NAME_PARTS.split(said):
        if len(word) < 2 or word in _NAME_STOP:
            continue
        holding = {i for i, named in enumerate(parts) if word in named}
        if holding:
            left &= holding
            narrowed = True
    candidates = tuple(systems[i] for i in sorted(left) if systems[i] != other)
    if not narrowed or len(candidates) < 2:
        return None
    return candidates


def read_ablation(
    norm: str, systems: Sequence[str]
) -> tuple[str, str | None, str | None, str] | None:
    """
    Read "X helps by …" / "… without X": the system with component X against the one without.

    Returns:
        ``(text without the component phrase, subject, reference, note)``, or ``None`` when
        the text names no component that exactly one system of the block lacks.
    """
    # The systems' names as written in the text: "RetroNet beats RetroNet (without memory)"
    # names both, and its "without memory" is a name's, not the ablation's (read as one, the
    # comparison ran the wrong way, trial M2).
    named = [
        (found.start(), found.end())
        for system in systems
        if len(normalise(system)) > 3
        for found in re.finditer(re.escape(normalise(system)), norm)
    ]
    for pattern, helps in ((_ABLATION_VERB, True), (_WITHOUT, False), (_REMOVING, False)):
        match = pattern.search(norm)
        if match is None or any(a <= match.start() < b for a, b in named):
            continue
        lacking: list[str] = []
        # Two words, then the first alone: "removing the gate increases loss" names "gate".
        for comp in dict.fromkeys((match.group("comp").strip(), match.group("comp").split()[0])):
            lacking = [
                s for s in systems if re.search(rf"{_NEGATION}\s*{re.escape(comp)}", normalise(s))
            ]
            if len(lacking) == 1 or pattern is not _REMOVING:
                break
        if len(lacking) != 1:
            continue
        having = [s for s in systems if s not in lacking and comp in normalise(s)]
        others = [s for s in systems if s not in lacking]
        full = having[0] if len(having) == 1 else (others[0] if len(others) == 1 else None)
        if pattern is _REMOVING:
            # "removing the gate increases loss" (trial M2 compared the variant with the
            # baseline): read only with the full system known, the one other system that is
            # not the baseline.
            kept = [s for s in others if not _BASELINE_NAME.search(s)]
            full = full or (kept[0] if len(kept) == 1 else None)
            if full is None:
                continue
        if helps:
            rest = norm[: match.start("comp")] + "⟨X⟩" + norm[match.end("comp") :]
            note = f"{comp!r} helps: {full or 'the full system'} against {lacking[0]}"
            return rest, full, lacking[0], note
        # Only the words read: "removing the gate" leaves "increases loss" to be read.
        end = match.start("comp") + len(comp)
        rest = norm[: match.start()] + norm[end:]
        note = f"without {comp!r}: {lacking[0]} against {full or 'the full system'}"
        return rest, lacking[0], full, note
    return None


def metric_phrase(rest: str) -> str | None:
    """
    The words right before an absolute threshold (``mean lift`` in ``mean lift ⟨T⟩``).
    """
    match = re.fullmatch(
        r"\s*(?:⟨S[A-Z]+⟩\s*(?:'s\s+)?)?(?P<phrase>[^⟨⟩<>≥≤=,;]{1,60}?)\s*⟨T⟩\s*(?:abs)?\s*",
        rest,
    )
    if match is None:
        return None
    phrase = match.group("phrase").strip()
    previous = None
    while previous != phrase:
        previous = phrase
        phrase = _PHRASE_TRIM.sub("", phrase).strip()
    if re.search(r"[\u4e00-\u9fff]", phrase):
        return _zh_metric_phrase(phrase)
    if not phrase or len(phrase.split()) > 5 or not re.search(r"[a-z]", phrase):
        return None
    # A word on its own that says a direction or a comparison makes it a gain, not a name
    # ("each component contributes > 0.5%"); inside a name ("J-drop") it does not.
    words = phrase.split()
    for position, word in enumerate(words):
        # "FK-to-GT degrades ≤ 0" («FK-to-GT 不退化» written out): a change for the worse, no
        # name (read as one, the metric was "fk-to-gt degrades").
        directional = any(
            p.fullmatch(word) for p in (BETTER_WORDS, HIGHER_WORDS, LOWER_WORDS, WORSE_WORDS)
        )
        # "mean lift", "median gain": a statistic of a gain is a metric's name.
        if directional and (position == 0 or not _STATISTIC_WORD.fullmatch(words[position - 1])):
            return None
    if EACH_COMPONENT.search(phrase):
        return None
    return phrase


# A Chinese metric's name before its threshold («最优动作概率超过 0.8», «⟨SA⟩ 的最优动作概率»):
# Chinese writes no spaces between words, so the name is read whole, after the owner's «的»
# and a leading scope («每域», «各任务», «平均», read by :func:`zh_scope_apart`). Words that
# relate, compare, negate or condition mean it is a sentence, not a name: declined as before.
_ZH_OWNER = lazy(r"^(?:⟨S[A-Z]+⟩\s*)?的\s*")
_ZH_NOT_A_NAME = lazy(
    r"[⟨⟩与和或在把被让是了若从而但且不没%]|比(?!例|率|值|重)|并且|以及|如果|相比|相对|提升|"
    r"提高|增加|增长|下降|降低|减少|改善|优于|高于|低于|超过|达到|至少|至多|以上|以下"
)
# Words after the name that say how the threshold is to hold, not part of it («最优动作概率均»).
_ZH_TRAILING = lazy(r"(?:\s*(?:均|都|全部|全|也|仍|依然|需|须|必须|应该?|要|为|是))+$")
_ZH_CJK = lazy(r"[\u4e00-\u9fff]")


def _zh_metric_phrase(phrase: str) -> str | None:
    """
    ``phrase`` (the words before an absolute threshold, with Chinese in them) as a metric's
    name, with the owner's «的» and the words after it left out; ``None`` when they are not a
    name (a sentence, a comparison, a negation) or too long or short to be one.
    """
    name = _ZH_TRAILING.sub("", _ZH_OWNER.sub("", phrase)).strip()
    core, _ = zh_scope_apart(name)
    if _ZH_SCOPE.fullmatch(core):  # «每域均超过 0.8»: in each domain, but what?
        return None
    if _ZH_NOT_A_NAME.search(core) or len(core) > 24 or len(_ZH_CJK.findall(core)) < 2:
        return None
    # «每个组件贡献超过0.5%»: each component's contribution, a gain, not one metric's value.
    if EACH_COMPONENT.search(phrase) or any(
        p.search(core) for p in (BETTER_WORDS, HIGHER_WORDS, LOWER_WORDS)
    ):
        return None
    if len(core.split()) > 4:
        return None
    return name


# A scope before a Chinese metric's name: «每域», «每个任务», «各数据集», «所有域的», «平均». The
# nouns are listed because Chinese has no spaces: «每域最优动作概率» is «每域» + the name.
_ZH_SCOPE = lazy(
    r"^(?P<scope>(?:每|各|所有|全部)\s*(?:个|一个|一|种)?\s*"
    r"(?:领域|域|任务|数据集|类别|类|seed|种子|场景|环境|对象|物体|子集|语言|设置|配置|episode|"
    r"benchmark|基准)\s*(?:的|上|中|里)?|平均(?:的)?)\s*"
)


def zh_scope_apart(name: str) -> tuple[str, tuple[str, ...]]:
    """
    A Chinese metric's name read before a threshold without the scope that opens it, and the
    scope as written (``每域最优动作概率`` → ``最优动作概率``, ``('每域',)``): «每域» says the
    threshold holds in each domain, «平均» that it holds of the mean, the way English "per
    domain" and "mean" qualify a name, not part of the name the runs record. A name that is
    only a scope is returned as it is.
    """
    scopes: list[str] = []
    rest = name
    while (found := _ZH_SCOPE.match(rest)) is not None:
        if len(_ZH_CJK.findall(rest[found.end() :])) < 2:
            break
        scopes.append(found["scope"].strip())
        rest = rest[found.end() :]
    return rest.strip(), tuple(scopes)


# "≤ 10% false-rejection on benign control" (004): the words right after the threshold, up to a
# word that says where or when it holds.
_AFTER_THRESHOLD = lazy(
    r"\s*⟨T⟩\s*(?P<phrase>[a-z][a-z0-9_\-]*(?:\s+[a-z][a-z0-9_\-]*){0,2}?)"
    r"(?=\s+(?:on|in|for|at|across|with|under|over|among|per|vs|versus|than|when|while|after|"
    r"before|during|within|from|by)\b|\s*[,;(]|\s*$)"
)
# What follows a number without naming a metric: units, counts, time, the rest of a sentence.
_NOT_A_METRIC_AFTER = frozenset(
    {
        "of", "or", "and", "to", "the", "a", "an", "is", "are", "points", "point", "pp", "pts",
        "x", "times", "seeds", "seed", "runs", "run", "samples", "sample", "tokens", "steps",
        "epochs", "hours", "hour", "h", "minutes", "minute", "min", "seconds", "second", "s",
        "ms", "days", "day", "gb", "mb", "gpu", "gpus", "items", "cases", "tasks", "examples",
        "more", "less", "fewer", "higher", "lower", "better", "worse", "above", "below",
        "improvement", "gain", "drop", "increase", "decrease", "reduction", "margin", "abs",
        "absolute", "relative", "faster", "slower", "only", "each", "all", "per", "overall",
        "on", "in", "for", "at", "across", "with", "within", "under", "over", "among", "from",
        "by", "vs", "versus", "than", "when", "while", "after", "before", "during", "unique",
    }
)  # fmt: skip
# What after the name says the number is per item or over several: not one metric's value.
_SCOPED = lazy(r"\s+(?:per|each|for\s+each|across|among)\b")


def metric_after_phrase(rest: str) -> str | None:
    """
    The words right after an absolute threshold that nothing comes before (``false-rejection``
    in ``⟨T⟩ false-rejection on benign control``), when they read as a metric's name: one to
    three words, none a unit, a count, a direction or a joining word, the last no plural
    (things counted); else None.
    """
    match = _AFTER_THRESHOLD.match(rest)
    if match is None:
        return None
    if _SCOPED.match(rest, match.end()):
        # "at least 60% sample-level positive TCIG per finding" (014): a share per item, which
        # one recorded number does not hold.
        return None
    phrase = match.group("phrase").strip()
    words = phrase.split()
    if not words or any(w in _NOT_A_METRIC_AFTER for w in words):
        return None
    if any(p.fullmatch(w) for w in words for p in (BETTER_WORDS, HIGHER_WORDS, LOWER_WORDS)):
        return None
    if re.search(r"[a-z]{3,}(?<![su])s$", words[-1]):
        # "≥ 4 LAX runway thresholds" (029): a count of things, not a metric.
        return None
    return phrase


_GAIN_STOP = frozenset(
    {
        "must", "should", "will", "also", "the", "a", "an", "to", "it", "can", "does", "is",
        "are", "by", "overall", "average", "on", "in", "at", "points", "point", "absolute",
        "abs", "total", "margin", "and", "be", "than", "of", "has", "have", "had", "with",
        "shows", "show", "achieves", "achieve", "keeps", "keep", "gets", "get",
    }
)  # fmt: skip
# Filler that joins the words of one name ("steps to converge", "time to target", 034's
# "correlation with length": read "correlation length", it matched no recorded
# `correlation_with_length`). Kept only between two kept words.
_JOINING = frozenset({"to", "with"})
# "has a lower violation rate than ⟨S⟩", "achieves higher accuracy vs ⟨S⟩": the words between
# a comparative and its "than"/"vs" name the metric.
_COMPARATIVE_THAN = lazy(
    r"\b(?:lower|higher|better|worse|smaller|larger|fewer|less|more)\s+"
    r"(?P<m>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})\s+(?:than|vs\.?|versus)\b"
)


# The block's primary metric by its rank, a word of its kind between: "primary metric",
# "primary quality metric", "main metric".
_PRIMARY_METRIC = lazy(r"(?:primary|main)(?:\s+[a-z][\w-]*)?\s+metrics?")


def gain_phrase(rest: str, systems: Sequence[str]) -> str | None:
    """
    The metric a gain is measured in when no known metric is named: the words right after the
    threshold (``by ≥ 0.1 mean lift``), else after a final "on" (``beats B on regret``), else
    the words before the first direction word (``throttle event count down ≥ 30%``). Words of
    the systems' names and filler words are left out; ``None`` when nothing is left.
    """
    system_words = {w for s in systems for w in re.findall(r"[a-z][\w-]*", normalise(s))}

    def cleaned(text: str) -> str | None:
        if EACH_COMPONENT.search(text):
            return None
        words: list[str] = []
        joiner = ""  # "to" or "of" after a kept word: kept if a kept word follows it
        # "endpoint/fullpose pre-clamp fk p95" (027's B3): words joined by "/" are one word of
        # the name, or the name of four words was five and no name at all.
        for word in re.findall(r"[a-z][\w-]*(?:/[a-z][\w-]*)*", text):
            if word in _JOINING and words:
                # "steps to converge" is one name (trial N4: read "steps converge").
                joiner = word
                continue
            if word in _GAIN_STOP or word in system_words:
                joiner = ""
                continue
            directional = any(p.fullmatch(word) for p in (BETTER_WORDS, HIGHER_WORDS, LOWER_WORDS))
            # "drop" alone is the direction; "mean lift" is a metric's name.
            if directional and not (words and _STATISTIC_WORD.fullmatch(words[-1])):
                joiner = ""
                continue
            if joiner:
                words.append(joiner)
                joiner = ""
            words.append(word)
        return " ".join(words) if words and len(words) <= 4 else None

    after = re.search(r"⟨T⟩\s+(?P<m>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})\s*$", rest)
    if after and (found := cleaned(after.group("m"))):
        return found
    on = re.search(r"\bon\s+(?:the\s+)?(?P<m>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})\s*$", rest)
    if on and _PRIMARY_METRIC.fullmatch(on.group("m")):
        # "beats B on the primary (quality) metric" (002's B1): the block's primary metric, not
        # a metric named "primary quality metric" (looked for in the runs, not found).
        return None
    if on and (found := cleaned(on.group("m"))):
        return found
    than = _COMPARATIVE_THAN.search(rest)
    if than and (found := cleaned(than.group("m"))):
        return found
    hits = [p.search(rest) for p in (BETTER_WORDS, HIGHER_WORDS, LOWER_WORDS)]
    starts = [m.start() for m in hits if m is not None]
    before = rest[: min(starts)] if starts else ""
    named = cleaned(before[before.rfind("⟩") + 1 :])
    if named is None:
        named = _named_before_threshold(rest, cleaned)
    # "A1-full mean paired lift over A1-only": "mean paired" describes the gain itself (of the
    # primary metric), it names no metric.
    if named and all(_STATISTIC_WORD.fullmatch(w) for w in named.split()):
        return None
    return named


def _named_before_threshold(rest: str, cleaned: Callable[[str], str | None]) -> str | None:
    """
    The metric named right before the threshold where the direction is said in the threshold's
    words or before the name: after «的» («A2 相比 A3 的 FK p95 至少降低 20%», «… 提升 10%以上»),
    or after a direction word ("A2 improves FK p95 by at least 10% over A3"). Read as the primary
    metric, a clause naming FK p95 was judged on another one. Any other words there ("Ours
    scores at least 2% above B", "stays ≥ 2% above") are a verb, no metric's name: ``None``.
    """
    threshold = rest.find("⟨T⟩")
    if threshold < 0:
        return None
    said = rest[:threshold]
    said = said[said.rfind("⟩") + 1 :]
    if "的" in said:
        return cleaned(said[said.rfind("的") + 1 :])
    first = re.match(r"\s*(?P<word>[a-z][\w-]*)", said)
    directions = (BETTER_WORDS, HIGHER_WORDS, LOWER_WORDS)
    if first is None or not any(p.fullmatch(first["word"]) for p in directions):
        return None
    return cleaned(said[first.end() :])


def system_name(placeholder: str, systems: Sequence[str]) -> str:
    """
    The system a placeholder (``⟨SA⟩``, or ``⟨B⟩`` for the baseline) stands for.
    """
    if placeholder == "⟨B⟩":
        return BASELINE
    return systems[untag(placeholder)]


def original_spelling(word: str, text: str) -> str:
    """
    Find ``word`` (lower-cased by normalisation) in the original text and return it as written.
    """
    found = re.search(re.escape(word), unicodedata.normalize("NFKC", text), re.IGNORECASE)
    return found.group(0) if found else word


# Words that may stand before a built-in metric's name without naming a different metric: the
# split or statistic it is read on, and words that start a sentence ("Improves F1 by …").
_NEUTRAL_QUALIFIERS = frozenset(
    {
        "the", "a", "an", "its", "their", "our", "test", "val", "validation", "dev", "eval",
        "evaluation", "final", "mean", "average", "avg", "overall", "best", "held-out",
        "heldout", "improves", "improve", "improved", "higher", "lower", "better", "worse",
        "increases", "increase", "reduces", "reduce", "achieves", "achieve", "reaches",
        "reach", "both", "all", "each", "every", "and", "or", "with", "by", "on", "in", "of",
        "ours", "model", "method", "system", "proposed", "maintain", "keep", "retain",
        "yield", "match", "preserve", "hold", "get", "has", "have", "show", "stay", "remain",
        "exceed", "beat", "outperform",
    }
)  # fmt: skip
# Chinese words opening a clause right before a built-in metric's name that make it another
# metric: the record of another time or source ("历史成功率", the historical success rate, not
# the success rate the block measures). Any other word ("任务成功率", "提高成功率", a system's
# name) leaves the metric as it is.
_ZH_OPENING_QUALIFIER = lazy(r"\s*(?P<word>[\u4e00-\u9fff]{1,6})(?P<tag>⟨M[A-Z]+⟩)")
_ZH_OTHER_METRIC = lazy(r"历史|原有|旧|先前|之前|过去|以往|离线|线上")
# The word right before a metric; a label before its colon ("yaw_obj: JS divergence", 033's E3
# Metrics lines), read only when it is a snake_case name (below).
_BEFORE_METRIC = lazy(r"(?<![\w⟩-])(?P<word>[a-z][a-z0-9_-]*)(?P<colon>\s*:)?\s+(?P<tag>⟨M[A-Z]+⟩)")


_PERCENTILE = lazy(r"p\d{1,2}(?:\.\d+)?", re.IGNORECASE)
# A minimum or maximum over items, seeds or steps: another quantity than the mean a run records,
# the plan's own metric names too ("worst accuracy ≥ 0.8", "max latency ≤ 10 ms" were judged on
# the mean; third review of s42). A median is read apart (`model.MEDIAN`: the runs' median).
_EXTREMES = frozenset({"worst", "best", "lowest", "highest", "minimum", "min", "maximum", "max"})


def _extreme(word: str) -> bool:
    """
    Whether ``word`` is one of :data:`_EXTREMES`, alone or before a hyphen ("worst-case",
    "worst-group", "best-seed"), or "worst case" / "best case" in two words: "worst-case
    accuracy ≥ 0.8" was judged on the mean accuracy, the hyphenated word none of the list (h43C).
    """
    folded = word.casefold()
    return (
        folded in _EXTREMES
        or folded.split("-", 1)[0] in _EXTREMES
        or (folded.split(" ", 1)[0] in _EXTREMES and folded.endswith(" case"))
    )


def _names_subset(word: str) -> bool:
    """Whether ``word`` (hyphenated or not) names a subset of the items a metric is measured on
    (:func:`~bridge.plan.metric_names.subset_qualifier`: "OOD", "long-tail", "unseen"): "OOD
    accuracy" is not the plan's `accuracy`, nor "long-tail accuracy" (read as it, h43C)."""
    return subset_qualifier([w for w in re.split(r"[\W_]+", word.casefold()) if w]) is not None


_ZH_QUALIFIED = lazy(rf"(?:{ZH_QUALIFIER})\s*(?P<tag>⟨M[A-Z]+⟩)")
# "worst case" before a metric, in two words: the word right before it ("case") is read whole.
_CASE_BEFORE = lazy(r"(?<![\w-])(?P<extreme>worst|best)\s+$", re.IGNORECASE)
# A snake_case name ("yaw_obj", "H_rel"): a quantity's identifier, never a word of a sentence.
# Not one with a digit after its "_" ("top_5"): that number stays unplaced, said (review r36).
_IDENTIFIER = lazy(r"[a-z][a-z0-9]*(?:_[a-z][a-z0-9]*)+", re.IGNORECASE)
# Parts of a snake_case word that make it a label of the sentence, not what the metric is of:
# `main_result: accuracy ≥ 0.8`, `success_criterion: …` (second review s41, item 4).
_LABEL_PARTS = frozenset(
    {
        "result", "results", "criterion", "criteria", "success", "goal", "target", "metric",
        "metrics", "main", "primary", "secondary", "headline", "gate", "check", "condition",
        "requirement", "claim",
    }
)  # fmt: skip


def _names_what(word: str) -> bool:
    """Whether ``word`` is a snake_case name of what a metric after it is of (033's
    ``dist_to_centroid JS divergence``), not a label (``main_result:``)."""
    return _IDENTIFIER.fullmatch(word) is not None and not any(
        part.casefold() in _LABEL_PARTS for part in word.split("_")
    )


# A qualifier joined by a slash to the one right before a metric ("p50/" of "p50/p95 latency").
_SLASHED_BEFORE = lazy(r"(?<![\w-])([a-z][a-z0-9-]*)\s*/\s*$")
# Words that make the metric after them a change of it, another quantity.
_DERIVING = frozenset({"delta", "diff", "normalized", "normalised"})
# The sign of a change glued (or spaced) before a metric: "ΔAcc", "Δ accuracy" (lower-cased in
# the normalised text).
_DELTA_BEFORE = lazy(r"δ\s*(?P<tag>⟨M[A-Z]+⟩)")


# Verbs a clause may open with before the metric ("Reports accuracy ≥ 0.8"), besides those of
# _NEUTRAL_QUALIFIERS ("Maintains", "Achieves"), in the third person. A list, not the word's
# shape: 033's own «C1: Scissors net ≥ −1» opens with a plural name before a lower-case measure,
# as «Demonstrates accuracy ≥ 0.9» opens with a verb, and 025's «News Accuracy» is a name.
_OPENING_VERBS = frozenset(
    {
        "attain", "deliver", "give", "obtain", "produce", "record", "report", "score",
        "sustain", "drive", "lift", "boost", "raise", "cut", "demonstrate", "ensure",
        "exhibit", "provide", "hit", "surpass", "meet", "guarantee", "offer", "secure",
        "display", "post", "recover", "restore",
    }
)  # fmt: skip


def _opening_verb(word: str) -> bool:
    """
    Whether ``word``, opening a clause right before a metric, is a verb in the third person
    ("Maintains accuracy ≥ 0.8", "Matches accuracy …"), not a word naming the metric. Only a
    known verb is: 025's dataset «News Accuracy ≥ 85%» ended in "s" too, and was read as plain
    `accuracy`, judged on whatever accuracy the runs record.
    """
    folded = word.casefold()
    if word.isupper() or not folded.endswith("s"):
        return False
    stems = {folded[:-1], folded[:-2]} if folded.endswith("es") else {folded[:-1]}
    return any(stem in _NEUTRAL_QUALIFIERS or stem in _OPENING_VERBS for stem in stems)


def _spellings(placeholder: str, terms: Sequence[tuple[str, str]]) -> list[str]:
    """The spellings ``terms`` finds under ``placeholder`` (a plan's metric has several: its
    name, and the vocabulary's words for it), longest first, then by text (a set's order
    changes from process to process; the first that matches is the one read)."""
    spellings = {t for t, p in terms if p == placeholder and t}
    return sorted(spellings, key=lambda term: (-len(term), term))


def _spelled_after(
    word: str,
    placeholder: str,
    terms: Sequence[tuple[str, str]],
    written: str,
    colon: bool = False,
) -> re.Match[str] | None:
    """Where ``written`` says ``word`` right before a spelling of the metric ``placeholder``
    (with a colon between them when ``colon``)."""
    between = r"\s*:\s*" if colon else r"\s+"
    for term in _spellings(placeholder, terms):
        # A Chinese word may follow the name with no space («MMLU 准确率不低于 0.8»); with
        # `(?!\w)` the qualifier was not found there and plain accuracy judged.
        found = re.search(
            rf"(?<![\w-])({re.escape(word)}){between}({re.escape(term)})(?![A-Za-z0-9_])",
            written,
            re.IGNORECASE,
        )
        if found is not None:
            return found
    return None


# Lower-case words of a sentence that may stand right before a metric without saying which
# one it is: conjunctions and pronouns ("while latency ≤ 10 ms", "if accuracy …") and words of
# how much ("high accuracy", "comparable accuracy").
_SENTENCE_WORDS = frozenset(
    {
        "if", "when", "while", "where", "whereas", "whose", "that", "this", "these", "those",
        "then", "so", "but", "also", "still", "only", "not", "no", "nor", "than", "as", "at",
        "to", "for", "from", "under", "over", "per", "such", "same", "similar", "comparable",
        "high", "low", "good", "strong", "competitive", "stable", "any", "some", "much",
        "more", "less", "least", "most", "whole", "new", "old", "its", "their", "his", "her",
        "must", "should", "will", "can", "may", "does", "do", "did", "be", "been",
        # How good, said of any metric (second review h42, item 5: "consistent accuracy",
        # "acceptable latency" were metrics no run records, open where plain ones were).
        # Not "worst", "lowest", "highest": a minimum or maximum over items or seeds is
        # another quantity than the mean a run records ("worst accuracy ≥ 0.8").
        "consistent", "acceptable", "reasonable", "even",
        "excellent", "decent", "solid", "adequate", "sufficient", "satisfactory", "great",
        "superior", "equal", "overall", "real", "actual", "observed",
        # The task a metric of a model is of: "inference latency", "prediction accuracy" are
        # the latency and accuracy a run records (the plan's own names are matched first).
        "inference", "prediction", "predictive", "classification",
    }
)  # fmt: skip
# Verbs a clause says what happens to a metric with ("does not drop accuracy by more than 1 pp",
# "without hurting accuracy"): in these forms a word of the sentence, not of the metric's name.
_METRIC_VERBS = frozenset(
    {
        "drop", "lose", "degrade", "hurt", "harm", "lower", "raise", "boost", "cut", "gain",
        "sacrifice", "affect", "change", "worsen", "decrease", "increase", "reduce",
        "improve", "keep", "maintain", "retain", "preserve", "hold", "surpass", "attain",
        "deliver", "give", "obtain", "produce", "record", "report", "score", "sustain",
        "drive", "lift", "demonstrate", "ensure", "exhibit", "provide", "hit", "meet",
        "guarantee", "offer", "secure", "display", "post", "recover", "restore", "enhance",
        "maximize", "minimize", "optimize", "impact", "compromise", "damage", "outperform",
        "exceed", "beat", "match", "reach", "achieve", "show", "yield", "get", "stay",
        "remain", "double", "halve", "trade", "cost", "measure",
    }
)  # fmt: skip


def _verb_form(word: str) -> bool:
    """Whether ``word`` is one of :data:`_METRIC_VERBS`, or its -ing or -ed form ("dropping",
    "reduced", "hurting", "cut")."""
    for ending in ("ing", "ed", "d"):
        if word.endswith(ending):
            stem = word[: -len(ending)]
            if {stem, stem + "e", stem[:-1]} & _METRIC_VERBS:
                return True
    return word in _METRIC_VERBS


def _lower_case_qualifier(word: str) -> bool:
    """
    Whether ``word``, lower-case right before a built-in metric's name, names which one it is:
    "decode latency", "clipping hit rate" (027), "difficulty accuracy" (011). Judged on the plain
    `latency_ms` a run also records, 017's «threshold heuristic decode latency < 8.5 ms» was met
    on the total latency, 5 ms, where the decode latency was 8.5 (trial h42D). Not a word of
    the sentence (:data:`_NEUTRAL_QUALIFIERS`, :data:`_SENTENCE_WORDS`, a verb of
    :data:`_METRIC_VERBS`: "does not drop accuracy …"), nor one ending in "s",
    a verb's or a plural's ("lowers latency", "tasks accuracy"), nor one with digits or
    hyphens (read as before).
    """
    return (
        word.isascii()
        and word.isalpha()
        and word.islower()
        and word not in _NEUTRAL_QUALIFIERS
        and word not in _SENTENCE_WORDS
        and not _verb_form(word)
        and not word.endswith("s")
    )


def qualified_metrics(
    norm: str, clause: str, terms: Sequence[tuple[str, str]], named: int
) -> tuple[str, dict[str, str]]:
    """
    Built-in metric names that the clause qualifies with a capitalised word of its own: "Hard
    F1" (F1 on the Hard class), "OOD accuracy", or a lower-case one that is no word of the
    sentence ("decode latency", see :func:`_lower_case_qualifier`). Such a metric is not the
    plain one, and judging the plain F1 for it would give a wrong verdict; the qualified name is
    looked up instead (a run that does not record it leaves the criterion unjudged, with the
    name shown).

    Args:
        norm: the normalised clause with metric placeholders in it.
        clause: the clause as written (for the capitalisation and the spelling).
        terms: the metric terms and their placeholders (from ``metric_terms``); a plan's own
            name is made a rate too ("latency per token" is not its `latency`).
        named: how many of ``terms`` are the plan's own metric names (those are qualified only
            by a percentile or a word of change: "P95 latency", "delta NLL").

    Returns:
        ``norm`` with each qualifying word folded into its placeholder, and the name as written
        for each such placeholder.
    """
    written = unicodedata.normalize("NFKC", re.sub(r"[*`$]", "", clause))
    spelled: dict[str, str] = {}
    zh_opening = _ZH_OPENING_QUALIFIER.match(norm)
    if zh_opening is not None and untag(zh_opening.group("tag")) >= named:
        word = zh_opening.group("word")
        if _ZH_OTHER_METRIC.fullmatch(word):
            # 018's "历史成功率下降不超过 2 个百分点": the historical success rate, not the
            # success rate of the sealed tasks the block measures.
            term = terms[untag(zh_opening.group("tag"))][0]
            found = re.match(rf"\s*({re.escape(word)})\s*({re.escape(term)})", written)
            if found is not None:
                tag = zh_opening.group("tag")
                spelled[tag] = found.group(1) + found.group(2)
                norm = tag + norm[zh_opening.end() :]
    for match in reversed(list(_ZH_QUALIFIED.finditer(norm))):
        # «最低准确率», «困难样本准确率»: the plan's own names too (as "worst accuracy" is).
        placeholder = match.group("tag")
        found = next(
            (
                hit
                for term in _spellings(placeholder, terms)
                if (hit := re.search(rf"({ZH_QUALIFIER})\s*({re.escape(term)})", written))
                is not None
            ),
            None,
        )
        if found is None or placeholder in spelled:
            continue
        spelled[placeholder] = found.group(1) + found.group(2)
        norm = norm[: match.start()] + placeholder + norm[match.end() :]
    for match in reversed(list(_BEFORE_METRIC.finditer(norm))):
        word, placeholder = match.group("word"), match.group("tag")
        start = match.start()
        if word == "case" and (two := _CASE_BEFORE.search(norm, 0, start)) is not None:
            word, start = f"{two.group('extreme')} case", two.start()
        index = untag(placeholder)
        colon = match.group("colon") is not None
        if word in _NEUTRAL_QUALIFIERS or (colon and not _names_what(word)):
            continue  # "Ours: accuracy": a label naming a subject, not which accuracy
        if index < named and not (
            _PERCENTILE.fullmatch(word)
            or _extreme(word)
            or _names_subset(word)
            or word in _DERIVING
            or _names_what(word)
        ):
            # The plan's own name is whole, a capitalised word before it its subject or a
            # sentence's; but "P95 latency" or "delta latency" is no more the plan's `latency`
            # than the vocabulary's: judged on the mean latency, «ours P95 latency ≤ 20» was
            # met where the P95 was 40 (h40K). Nor is "yaw_obj JS divergence": a snake_case
            # name is no sentence's word but what the divergence is of, and 033's E3 clauses
            # on H_rel, dist_to_centroid and yaw_obj were all judged on one recorded
            # divergence, met where two were not (h41C).
            continue
        found = _spelled_after(word, placeholder, terms, written, colon)
        if (
            found is None
            or not (
                found.group(1)[0].isupper()
                # "high-DTU NLL" (012): an upper-case part names the subset too.
                or any(c.isupper() for c in found.group(1)[1:])
                or _PERCENTILE.fullmatch(found.group(1))
                or _extreme(found.group(1))
                or _names_subset(found.group(1))
                # "delta NLL" (012's B1 `delta_NLL = NLL_Full - NLL_CIS`) is a change of the
                # NLL, not the NLL: «Full delta NLL < 0» was judged on an NLL of 1.9.
                or found.group(1).lower() in _DERIVING
                or _names_what(found.group(1))
                or _lower_case_qualifier(found.group(1))
            )
        ):
            # A percentile is a qualifier however written: "p99 latency" is not the latency
            # the runs record as a mean (trial M2 judged it on `latency_ms`).
            continue
        opening = not written[: found.start()].strip(" -*•")
        if opening and _opening_verb(found.group(1)):
            continue  # "Maintains accuracy ≥ 0.8": a sentence's verb, not a qualifier
        spelled[placeholder] = f"{found.group(1)} {found.group(2)}"
        # "P50/P95 latency" (017's Metrics): two qualifiers of the metric, each its own metric;
        # the one before the slash was left in the text and P95 alone was judged (trial h40C).
        other = _SLASHED_BEFORE.search(norm, 0, start)
        said_other = (
            re.search(
                rf"(?<![\w-])({re.escape(other.group(1))})\s*/\s*$",
                written[: found.start()],
                re.IGNORECASE,
            )
            if other is not None
            else None
        )
        if other is not None and said_other is not None:
            spelled[placeholder] = f"{said_other.group(1)}/{spelled[placeholder]}"
            start = other.start()
        norm = norm[:start] + placeholder + norm[match.end() :]
    # "ΔAcc ≥ 0.1" (026 writes «ΔAcc=+0.142»): a change of the metric, as "delta acc" is, the
    # plan's own names too; it was judged on the accuracy itself (0.6 ≥ 0.1, met).
    for match in reversed(list(_DELTA_BEFORE.finditer(norm))):
        placeholder = match.group("tag")
        found = next(
            (
                hit
                for term in _spellings(placeholder, terms)
                if (hit := re.search(rf"[Δδ]\s*{re.escape(term)}(?![\w])", written, re.IGNORECASE))
                is not None
            ),
            None,
        )
        if found is None or placeholder in spelled:
            continue
        spelled[placeholder] = found.group(0)
        norm = norm[: match.start()] + placeholder + norm[match.end() :]
    return norm, spelled


# "latency per generated token", "energy per sample": a built-in metric's word followed by what
# it is per; the words after "per" run up to one that goes on with the sentence.
_PER_AFTER_METRIC = lazy(
    r"(?P<tag>⟨M[A-Z]+⟩)\s+per\s+(?P<what>[a-z][a-z0-9-]*(?:\s+[a-z][a-z0-9-]*){0,2})"
)
_PER_STOP = frozenset(
    {"of", "for", "on", "vs", "versus", "than", "by", "is", "are", "be", "should", "must",
     "stay", "stays", "remain", "remains", "with", "at", "in", "over", "and", "or", "relative",
     "compared", "against", "below", "under", "above", "from", "to", "drops", "improves",
     "increases", "decreases", "reduces", "falls", "rises", "goes", "not", "no", "within",
     "less", "more", "lower", "higher", "better", "worse", "when", "while", "if", "as"}
)  # fmt: skip


def rate_metrics(
    norm: str, clause: str, terms: Sequence[tuple[str, str]]
) -> tuple[str, dict[str, str]]:
    """
    Built-in metric names the clause makes a rate with "per" after them: "latency per generated
    token" is not the `latency` a run records beside `latency_per_token` (017's own metric;
    judged on the total latency, «latency per generated token ≤ 0.9 × GPU-only» was met where
    the per-token latency fell 2 %, trial h40C). The rate's name is looked up whole instead (a
    run that does not record it leaves the criterion unjudged, with the name shown).

    Args:
        norm: the normalised clause with metric placeholders in it.
        clause: the clause as written (for the spelling).
        terms: the metric terms and their placeholders (from ``metric_terms``).

    Returns:
        ``norm`` with each "per …" folded into its placeholder, and the name as written for
        each such placeholder.
    """
    written = unicodedata.normalize("NFKC", re.sub(r"[*`$]", "", clause))
    spelled: dict[str, str] = {}
    for match in reversed(list(_PER_AFTER_METRIC.finditer(norm))):
        # The plan's own name too: with `latency` among the Metrics, «ours latency per token ≤
        # 0.9 × baseline» was judged on the total latency, met where the per-token one rose (h40K).
        placeholder = match.group("tag")
        words: list[str] = []
        for word in match.group("what").split():
            if word in _PER_STOP:
                break
            words.append(word)
        if not words:
            continue
        per = r"\s+(per)\s+" + r"\s+".join(re.escape(w) for w in words)
        found = next(
            (
                said
                for term in _spellings(placeholder, terms)
                if (
                    said := re.search(
                        rf"(?<![\w-])({re.escape(term)}){per}(?![\w-])", written, re.IGNORECASE
                    )
                )
                is not None
            ),
            None,
        )
        if found is None:
            continue
        spelled[placeholder] = found.group(0)
        end = match.start("what") + len(" ".join(words))
        norm = norm[: match.start()] + placeholder + norm[end:]
    return norm, spelled


# A two-sided tolerance said as a limit on a difference, and the reference it is measured from:
# "differs from B by at most 0.5", "differs by less than 5% from B", "the gap to B is below 1
# point", "within ±0.5 of B", "与基线相差不超过 0.5".
_UNIT = r"(?:\s*(?:%|pp|points?|pts?|个百分点|个点|点))?"
_FROM_BY = lazy(
    r"\b(?:differs?|deviates?)\s+(?:from|with|to)\s+(?P<ref>.+?)\s+by\s+(?P<lim>.+)$", re.I
)
_BY_FROM = lazy(
    r"\b(?:differs?|deviates?)\s+by\s+(?P<lim>.+?)\s+(?:from|with|to)\s+(?P<ref>.+)$", re.I
)
_GAP_TO = lazy(
    r"\b(?:the\s+)?(?:gap|distance|difference|deviation)\s+(?:to|from|with)\s+(?P<ref>.+?)\s+"
    r"(?:is\s+|stays\s+|remains\s+)?(?P<lim>(?:at\s+most|no\s+more\s+than|less\s+than|within|"
    r"under|below|does\s+not\s+exceed|[≤<]).+)$",
    re.I,
)
_PLUS_MINUS = lazy(
    rf"(?:\bwithin\s+)?(?:±|\+/-)\s*(?P<num>\d+(?:\.\d+)?{_UNIT})\s*(?:of|from)\s+(?P<ref>.+)$",
    re.I,
)
_ZH_DIFFERENCE = lazy(
    r"[与和跟]\s*(?P<ref>.+?)\s*(?:之间)?\s*(?:的\s*(?P<metric>[^与和跟的]*?)\s*)?"
    r"(?:相差|差距|差异|差值)\s*(?:在|为)?\s*(?P<lim>.+)$"
)
# "A and B differ by less than 0.5 (in acc)": an upper limit on the difference.
_AND_DIFFER = lazy(
    r"^(?P<a>.+?)\s+and\s+(?P<ref>.+?)\s+differ\s+by\s+(?P<lim>(?:at\s+most|no\s+more\s+than|"
    r"less\s+than|under|below|within|[≤<]).+)$",
    re.I,
)
_BETWEEN_AT_MOST = lazy(
    r"^(?:the\s+)?(?P<metric>[^,;]*?)\s*\bdifference\s+between\s+(?P<a>.+?)\s+and\s+"
    r"(?P<ref>.+?)\s+(?:is\s+|stays\s+|remains\s+)?(?P<lim>(?:at\s+most|no\s+more\s+than|"
    r"less\s+than|within|under|below|does\s+not\s+exceed|[≤<]).+)$",
    re.I,
)
# "ours matches B to within 0.5 points", "matches B's accuracy within 1%", "on par with B
# within 0.5": a tolerance either way around B's value.
_MATCH_WITHIN = lazy(
    r"\b(?:match(?:es)?|is\s+on\s+par\s+with|on\s+par\s+with|tracks)\s+(?P<ref>.+?)"
    r"(?:['’]s\s+(?P<metric>[^,;]+?))?\s+(?:to\s+)?within\s+(?:±\s*|\+/-\s*)?"
    rf"(?P<num>\d+(?:\.\d+)?{_UNIT})$",
    re.I,
)
# "|acc − B| ≤ 0.5", "|acc(ours) - acc(B)| < 1%": the size of a difference, in bars.
_BARS = lazy(r"\|\s*(?P<a>[^|−–-]+?)\s*[−–-]\s*(?P<ref>[^|]+?)\s*\|\s*(?P<lim>(?:≤|<=|<)\s*\S.*)$")
_LIMIT_WORDS = (
    (lazy(r"^(?:within|at\s+most|no\s+more\s+than)\s+", re.I), "at most "),
    (lazy(r"^(?:below|under|less\s+than)\s+", re.I), "less than "),
    (lazy(r"^does\s+not\s+exceed\s+", re.I), "at most "),
)


def _limit(found: re.Match[str]) -> str:
    """The limit a match's ``lim`` group says, in the words the rules read ("within 1" is
    "at most 1", "below 1" "less than 1")."""
    limit = found["lim"].strip()
    for word, said in _LIMIT_WORDS:
        limit = word.sub(said, limit)
    return limit


def as_change(clause: str) -> str | None:
    """
    A two-sided tolerance on a difference written as the one-sided change the rules read
    (``accuracy differs from B by at most 0.5`` → ``accuracy changes by at most 0.5 vs B``),
    so that only which way it goes is left for the caller to set (also ``ours matches B to
    within 0.5`` and ``|acc − B| ≤ 0.5``); ``None`` for a form not known here.
    """
    text = clause.strip().rstrip(".。")
    between = _BETWEEN_AT_MOST.search(text)
    if between is not None:
        a, ref = between["a"].strip(), between["ref"].strip()
        if _BASELINE_WORD.search(a) and not _BASELINE_WORD.search(ref):
            a, ref = ref, a
        metric = re.sub(r"^(?:the|an?)\s+", "", between["metric"].strip(), flags=re.I)
        return f"{a} {metric + ' ' if metric else ''}changes by {_limit(between)} vs {ref}"
    for pattern in (_FROM_BY, _BY_FROM, _GAP_TO):
        found = pattern.search(text)
        if found is not None:
            head = text[: found.start()].rstrip()
            return f"{head} changes by {_limit(found)} vs {found['ref'].strip()}"
    found = _PLUS_MINUS.search(text)
    if found is not None:
        head = text[: found.start()].rstrip()
        return f"{head} changes by at most {found['num'].strip()} vs {found['ref'].strip()}"
    found = _AND_DIFFER.search(text)
    if found is not None:
        return f"{found['a'].strip()} changes by {_limit(found)} vs {found['ref'].strip()}"
    found = _MATCH_WITHIN.search(text)
    if found is not None:
        head = text[: found.start()].rstrip()
        metric = f" {found['metric'].strip()}" if found["metric"] else ""
        return f"{head}{metric} changes by at most {found['num'].strip()} vs {found['ref'].strip()}"
    found = _BARS.search(text)
    if found is not None:
        head = text[: found.start()].rstrip()
        a, ref = found["a"].strip(), found["ref"].strip()
        # "|acc(ours) − acc(B)|": the metric of each system, written the same on both sides.
        call_a = re.fullmatch(r"(?P<m>[^()]+?)\s*\((?P<s>[^()]+)\)", a)
        call_ref = re.fullmatch(r"(?P<m>[^()]+?)\s*\((?P<s>[^()]+)\)", ref)
        if call_a and call_ref and call_a["m"].strip() == call_ref["m"].strip():
            a, ref = f"{call_a['s'].strip()} {call_a['m'].strip()}", call_ref["s"].strip()
        limit = found["lim"].strip()
        limit = re.sub(r"^(?:≤|<=)\s*", "at most ", limit)
        limit = re.sub(r"^<\s*", "less than ", limit)
        return f"{head + ' ' if head else ''}{a} changes by {limit} vs {ref}"
    found = _ZH_DIFFERENCE.search(text)
    if found is not None:
        limit = found["lim"].strip()
        if re.search(r"^(?:±|\+/-)|以内$|之内$", limit):
            # "差距在 ±1 个百分点以内": within 1 point either way.
            limit = "不超过" + re.sub(r"^(?:±|\+/-)\s*|\s*(?:以内|之内)$", "", limit)
        metric = found["metric"] or ""
        head = text[: found.start()].rstrip()
        return f"{head}{'的' + metric if metric else ''}变化{limit} vs {found['ref'].strip()}"
    return None


# "the difference between A and B is at least 2 points (of accuracy)", "the accuracy difference
# between A and B ≥ 2", "A and B differ by at least 2 points": a lower limit on how far apart.
_BETWEEN = lazy(
    r"^(?:the\s+)?(?P<metric>[^,;]*?)\s*\bdifference\s+between\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)\s+"
    r"(?:is\s+|stays\s+|remains\s+)?(?P<lim>(?:at\s+least|more\s+than|over|above|≥|>).+)$",
    re.I,
)
_DIFFER_AT_LEAST = lazy(
    r"^(?P<a>.+?)\s+and\s+(?P<b>.+?)\s+differ\s+by\s+(?P<lim>(?:at\s+least|more\s+than|over|≥|>)"
    r".+)$",
    re.I,
)
_BASELINE_WORD = lazy(r"\bbaselines?\b|基线", re.I)


def as_gain_between(clause: str) -> tuple[str, str] | None:
    """
    A lower limit on the difference between two named systems written as the first one's gain
    over the second (``the difference between ours and base is at least 2 points`` → ``ours
    improves by at least 2 points over base``; a baseline named first is the second), with the
    note that says so; ``None`` for any other clause. Read the better way, not either way: a
    result 2 points worse must not meet what was written as a success criterion.
    """
    text = clause.strip().rstrip(".。")
    found = _BETWEEN.search(text) or _DIFFER_AT_LEAST.search(text)
    if found is None:
        return None
    a, b = found["a"].strip(), found["b"].strip()
    if _BASELINE_WORD.search(a) and not _BASELINE_WORD.search(b):
        a, b = b, a
    metric = found.groupdict().get("metric") or ""
    metric = re.sub(r"^(?:the|an?)\s+", "", metric.strip(), flags=re.I)
    change = f"{a} improves {metric + ' ' if metric else ''}by {found['lim'].strip()} over {b}"
    return change, f"'difference between {a} and {b}' read as the gain of {a} over {b}"


# What opens a condition the comparison holds under, not the quantity compared: "at the same
# training time", "under a matched compute budget", "(same wall-clock)", "without increasing
# latency", «在相同训练时间下», «同等参数量». Read as the metric, "improves by 10% over B at the
# same training time" was judged on the training time (review r33).
_SAME = r"(?:same|matched|matching|comparable|equal|identical|fixed|equivalent|similar)"
_CONDITION_LEAD = lazy(
    rf"(?P<bracket>\(\s*(?:(?:(?:at|under|with|for)\s+)?(?:(?:the|a|an)\s+)?{_SAME}\s+|"
    r"在?\s*(?:相同|同等|相等|一致|匹配|固定)(?:的)?\s*))"
    rf"|\b(?:at|under|with|for|given)\s+(?:(?:the|a|an)\s+)?{_SAME}\s+"
    r"|\bwithout\s+(?:(?:any|an?)\s+increase\s+in|increasing|raising|hurting|reducing|changing|"
    r"degrading|sacrificing|worsening|compromising|losing|lowering|extra|additional|more)\s+"
    r"(?:(?:the|its|their)\s+)?"
    r"|(?P<zh_at>(?:在|以)\s*(?:相同|同等|相等|一致|匹配|固定)(?:的)?\s*)"
    r"|(?P<zh_equal>同等(?:的)?\s*)"
    r"|(?P<zh_same>(?:相同|相等|一致|固定)(?:的)?\s*)"
)
# Between the opening and the metric's name: two words at most ("the same total training time").
_CONDITION_WORDS = lazy(r"(?:[^\s,;:.()，。；⟨⟩<>≤≥=]+\s*){0,2}")
# After a Chinese opening, the metric's name follows at once or after a few characters, never
# past the 下 that closes the condition («在相同训练时间下 accuracy 提升»: accuracy is compared).
_CONDITION_WORDS_ZH = lazy(r"[^\s,;:.()，。；⟨⟩<>≤≥=下]{0,8}\s*")
_CONDITION_TAIL_EN = lazy(r"\s*(?:budgets?|costs?|levels?|constraints?)\b")
_CONDITION_TAIL_ZH = lazy(r"\s*(?:预算|条件|情况)?\s*(?:下(?!降)|时)")


# Built-in spellings of a quantity a comparison usually holds fixed (a training time, a
# parameter count: :data:`SYNONYMS` has them so a criterion comparing them reads its metric).
_HELD_SPELLINGS = frozenset(
    metric_key(word) for group in SYNONYMS if held_quantity_spellings(group[0]) for word in group
)


def held_quantity_word(term: str, metrics: Sequence[str]) -> bool:
    """
    Whether ``term`` is bridge's own spelling of a training time or a parameter count
    («训练时间», "parameter count"), none of the plan's ``metrics``: compared only where the
    clause names no other metric, as before they were metric words ("… applied at training
    time", «…，参数量相同» compare their accuracy).
    """
    key = metric_key(term)
    return key in _HELD_SPELLINGS and key not in {metric_key(m) for m in metrics}


def conditions_apart(
    text: str, metrics: Sequence[str], *, quantities: bool = True
) -> tuple[str, tuple[str, ...]]:
    """
    ``text`` (normalised) without the conditions that name one of ``metrics`` (or a built-in
    metric word): "at the same / matched / comparable / equal / fixed X", "under the same X
    budget", "without increasing X", a bracket "(same X)", «在相同X下», «同等X», «相同X下».
    Such a metric is what the comparison holds fixed, not what it compares; a condition naming
    no metric is left as it is. The parser reads the clause without them, and the judge does not
    hold a recorded name they mention against a clause that names no metric. With
    ``quantities`` false, a built-in spelling of a training time or a parameter count that is
    none of ``metrics`` names no metric («在相同训练时间下» beside ``accuracy`` alone).

    Returns:
        The text without them, and each condition as the normalised text said it.
    """
    norm = normalise(text)
    leads = list(_CONDITION_LEAD.finditer(norm))
    if not leads:
        return norm, ()  # most criteria: no need to build the metric spellings
    terms = [
        term
        for term, _ in metric_terms(metrics)
        if quantities or not held_quantity_word(term, metrics)
    ]
    found: list[tuple[int, int]] = []
    for lead in leads:
        if found and lead.start() < found[-1][1]:
            continue
        end = _condition_end(norm, lead, terms)
        if end is not None:
            found.append((lead.start(), end))
    said = tuple(norm[start:end].strip() for start, end in found)
    for start, end in reversed(found):
        before, rest = norm[:start].rstrip(), norm[end:].lstrip()
        if not before or before.endswith((",", "，")):
            # "At matched training time, A beats B": the comma went with the condition.
            rest = rest.removeprefix(",").removeprefix("，").lstrip()
        norm = f"{before} {rest}".strip()
    return norm, said


# The words of a condition naming no metric bridge knows ("at the same training time" in a plan
# whose metrics are accuracy alone): up to four words, ended by a word that goes on with the
# sentence. Kept in the clause (it is read as before) and said as not checked: judged without a
# word of it, 001's B1 "… by >= 1 point at the same training time" read as if the time-matched
# comparison had been made (trial t11).
_CONDITION_WORD = lazy(r"\s*(?P<word>[a-z][\w/+-]*)")
_CONDITION_STOP = frozenset(
    {
        "than", "as", "and", "or", "but", "vs", "versus", "over", "compared", "to", "is", "are",
        "be", "must", "should", "while", "when", "if", "which", "that", "the", "a", "an", "on",
        "in", "across", "by", "with", "for", "at", "from", "relative", "against", "beats",
        "outperforms", "improves", "achieves", "reaches",
    }
)  # fmt: skip
# «在相同训练时间下», «同等参数量下», «相同条件下»: a Chinese condition ends with 下 or 时 (without
# it «与基线相同的 accuracy» is what to reach, and «同等水平» a level).
_CONDITION_ZH = lazy(r"[^\s,;:.()，。；⟨⟩<>≤≥=下]{1,10}\s*(?:预算|条件|情况)?\s*(?:下(?!降)|时)")


def conditions_unchecked(text: str) -> tuple[str, ...]:
    """
    The conditions a clause holds under that :func:`conditions_apart` leaves in ``text``
    (normalised) as naming no metric: "at the same / matched … X" (one to four words), "without
    increasing X", a bracket "(same X)", «在相同X下», «同等X下», «相同X下». Each as the text says
    it; the clause is read with them, and they are not checked. "At the same time" (meanwhile)
    is none.
    """
    said: list[str] = []
    position = 0
    for lead in _CONDITION_LEAD.finditer(text):
        if lead.start() < position:
            continue
        end = _unnamed_condition_end(text, lead)
        if end is not None:
            said.append(text[lead.start() : end].strip())
            position = end
    return tuple(said)


def _unnamed_condition_end(text: str, lead: re.Match[str]) -> int | None:
    """Where the condition ``lead`` opens ends, after the words it holds fixed; None if none."""
    if lead["bracket"]:
        close, opened = text.find(")", lead.end()), text.find("(", lead.end())
        if close < 0 or (0 <= opened < close) or close - lead.end() > 60:
            return None
        return close + 1
    if lead["zh_at"] or lead["zh_equal"] or lead["zh_same"]:
        found = _CONDITION_ZH.match(text, lead.end())
        return found.end() if found is not None else None
    end, words = lead.end(), list[str]()
    while len(words) < 4 and (found := _CONDITION_WORD.match(text, end)) is not None:
        if found["word"] in _CONDITION_STOP or (found["word"] == "of" and not words):
            break
        words.append(found["word"])
        end = found.end()
    while words and words[-1] == "of":  # "the same number of" ends at its noun
        words.pop()
        end = text.rfind("of", 0, end)
    if not words or words == ["time"]:
        return None
    return end


def _condition_end(norm: str, lead: re.Match[str], terms: Sequence[str]) -> int | None:
    """Where the condition ``lead`` opens ends, after the metric it names; None if none."""
    after = lead.end()
    window = norm[after : after + 80]
    chinese = bool(lead["zh_at"] or lead["zh_equal"] or lead["zh_same"])
    between = _CONDITION_WORDS_ZH if chinese else _CONDITION_WORDS
    hits = [
        (m.start(), -m.end(), m.end())
        for term in terms
        if (m := find_term(window, term)) is not None
        and between.fullmatch(window[: m.start()]) is not None
    ]
    if not hits:
        return None
    end = after + min(hits)[2]
    if lead["bracket"]:
        # "(same training time, 3 seeds)": the whole bracket is the condition.
        close = norm.find(")", end)
        opened = norm.find("(", end)
        return close + 1 if close >= 0 and (opened < 0 or opened > close) else None
    if chinese:
        tail = _CONDITION_TAIL_ZH.match(norm, end)
        if lead["zh_same"] and tail is None:
            # «达到与基线相同的 accuracy»: the same value is the condition to meet, not a setting.
            return None
        return tail.end() if tail is not None else end
    tail = _CONDITION_TAIL_EN.match(norm, end)
    return tail.end() if tail is not None else end
