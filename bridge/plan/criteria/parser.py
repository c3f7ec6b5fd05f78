"""
:func:`parse_criterion`: one success criterion's text → :class:`Criterion` or :class:`Unparsed`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import attrs

from bridge.plan.criteria.clauses import split_clauses
from bridge.plan.criteria.lexicon import (
    BASELINE_WORDS,
    BEST_REFERENCE,
    BETTER_WORDS,
    COMPOUND,
    EACH_COMPONENT,
    HIGHER_WORDS,
    LEVEL_WORDS,
    LOWER_WORDS,
    NAMED_REFERENCE,
    NEGATED_RELATION,
    POST,
    PREFIX,
    REFERENCE_BEFORE,
    RELATIVE_WORDS,
    SEEDS_PHRASE,
    STATISTICS,
    SUBSET_COUNT,
    SYSTEM_RELATION,
    THRESHOLD,
    UNIT,
    Unit,
    canonical,
    metric_terms,
    normalise,
    replace_terms,
    tag,
    untag,
)
from bridge.plan.criteria.model import (
    BASELINE,
    Comparison,
    Compound,
    Criterion,
    Derived,
    DerivedOp,
    Mode,
    Orientation,
    Scope,
    Unparsed,
)
from bridge.plan.metric_names import is_lower_better, is_rate_metric, metric_key

__all__ = ["parse_criterion"]


@attrs.frozen(kw_only=True)
class _Threshold:
    comparison: Comparison
    value: float
    unit: Unit
    word: str
    orientation: Orientation | None
    bare: bool = False  # a number with a unit but no comparator ("1.3x over B")


def parse_criterion(
    text: str,
    *,
    block_systems: Sequence[str] = (),
    metrics: Sequence[str] = (),
) -> Criterion | Unparsed | Compound:
    """
    Parse a success criterion into clauses, each a :class:`Criterion` or why it cannot be.

    Args:
        text: the criterion as the plan writes it (Markdown emphasis and LaTeX comparators are
            tolerated).
        block_systems: the names of the block's systems; a name found in the text becomes the
            subject or the reference (also shortened: without commentary in parentheses, the
            bold title before a colon, or a word that only one system's name has).
        metrics: the plan's metric names; a name found in the text is reported as written there.

    Returns:
        One clause: the structured criterion, or :class:`Unparsed` with the reason. Several:
        a :class:`Compound` of them. Never raises.
    """
    try:
        if _TIERS.search(text):
            return Unparsed(
                text=text,
                reason="tiered outcomes (strong / partial / fail), not one condition to meet",
            )
        clauses, notes = split_clauses(text)
        if len(clauses) <= 1:
            clause = clauses[0] if clauses else text
            single = _parse(clause, text, block_systems=block_systems, metrics=metrics)
            if isinstance(single, Criterion) and notes:
                return attrs.evolve(single, notes=(*notes, *single.notes))
            return single
        parsed: list[Criterion | Unparsed] = []
        for clause in clauses:
            one = _parse(clause, clause, block_systems=block_systems, metrics=metrics)
            before = next((c for c in reversed(parsed) if isinstance(c, Criterion)), None)
            if (
                isinstance(one, Criterion)
                and one.subject is None
                and one.reference != BASELINE
                and before is not None
                and before.subject is not None
                and before.subject != one.reference
            ):
                # "A must outperform B … and also beat C": the subject carries over.
                one = attrs.evolve(
                    one,
                    subject=before.subject,
                    notes=(*one.notes, f"subject {before.subject} from the clause before"),
                )
            parsed.append(one)
        return Compound(text=text, clauses=tuple(parsed), notes=notes)
    except Exception as exc:  # the contract is "never raises": report the failure instead
        return Unparsed(text=text, reason=f"parser error: {type(exc).__name__}: {exc}")


_TIERS = re.compile(
    r"\b(?:strong|partial|weak|minimum(?:\s+meaningful)?|full)\s+(?:pass|result|success)\b"
    r"[*_\s]*[:：]|^[*_\s]*fail[*_\s]*[:：]",
    re.IGNORECASE | re.MULTILINE,
)
_POSITIVE = re.compile(
    r"\b(?:is|are|be|stays?|remains?|must\s+be|should\s+be)\s+(?:strictly\s+)?"
    r"(?P<sign>non-?negative|positive|negative)\b|(?P<zh>为正|为负|大于零|大于 0)"
)
# "(vs current −4)", "(was 0.71)": where the number stands now, not part of the condition.
_ASIDE = re.compile(r"\((?:vs\.?|versus|was|currently|previously|current)\b[^()]*\)")
_SAMPLE_SIZE = re.compile(
    r"\b(?:on|over|across|for)\s+(?P<n>\d+)\s+(?:test\s+|held-out\s+|eval\s+)?"
    r"(?:clips|images|tasks|items|examples|samples|videos|episodes|prompts|questions|problems)\b"
)
_VAGUE = re.compile(
    r"\b(?:non-?trivial|substantial(?:ly)?|meaningful(?:ly)?|considerabl[ey]|notabl[ey]|"
    r"markedly|clear(?:ly)?|appreciabl[ey]|competitive)\b|明显|大幅|可辩护"
)
_FROM_TO = re.compile(
    r"\bfrom\s+(?P<ref>⟨S[A-Z]+⟩)\s+to\s+(?P<subject>⟨S[A-Z]+⟩)"
    r"|从\s*(?P<ref2>⟨S[A-Z]+⟩)\s*到\s*(?P<subject2>⟨S[A-Z]+⟩)"
)
_SHARE_OF_ITEMS = re.compile(r"%\s*of\s+(?:the\s+|all\s+)?(?![⟨\d])[a-z]|%\s*的")
_DERIVED = re.compile(
    r"^\(?\s*(?P<a>[a-z][\w.\[\]-]*?)\s*(?P<op>\s-\s|/|\sof\s|÷)\s*"
    r"(?P<b>[a-z][\w.\[\]-]*?)\s*\)?\s*(?P<rest>[<>≥≤=].*)$"
)
_ABLATION_VERB = re.compile(
    r"^(?:the\s+)?(?P<comp>[^\s⟨⟩<>≥≤=][^⟨⟩<>≥≤=]{0,40}?)\s+"
    r"(?:helps?|contributes?|matters?|adds?)\b"
)
_WITHOUT = re.compile(r"\b(?:without|w/o)\s+(?:the\s+)?(?P<comp>[\w-]+(?:\s+[\w-]+)?)")
_NEGATION = r"(?:w/o|without|no|minus|sans|去掉|去除|移除|无|不含)"
_NAME_STOP = frozenset(
    {
        "full", "model", "method", "baseline", "base", "only", "with", "without", "variant",
        "ours", "proposed", "standard", "default", "current", "same", "stage", "data", "main",
        "version", "system", "best", "plus", "from", "block", "run", "runs", "the", "and",
    }
)  # fmt: skip
_STATISTIC_WORD = re.compile(r"mean|median|average|avg|total|overall|paired|net")
_PHRASE_TRIM = re.compile(
    r"^(?:the|a|an|overall|final)\s+|\s+(?:is|are|be|should|must|stays?|remains?|achieves?|"
    r"reaches?|yields?|gives?|has|have|of|at|on|with|shows?|keeps?)$"
)


def _system_terms(systems: Sequence[str]) -> list[tuple[str, str]]:
    """
    Every spelling that names exactly one of the block's systems, with its placeholder.

    A system is named by its full name, by its name without parenthesised commentary, a list
    label (``E2:``) or a description after the bold title (``**Random K=3**: 3 positions ...``),
    by each ``+``-joined part, and by a word of four letters or more that only its name has.
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
            for part in re.split(r"\s*\+\s*", name):
                add(part, index)
    # Single words: the first and last word of a short name and the first word of its
    # commentary ("E_best(predicted depth)" is named by "predicted"), when only one has it.
    words: dict[str, set[int]] = {}
    for index, system in enumerate(systems):
        nfkc = normalise(system)
        nfkc = re.sub(r"^\s*[a-z]{1,3}\d{1,3}[a-z]?\s*:\s*", "", nfkc)
        titled = re.match(r"^\s*(?P<t>[^:：]+?)\s*[:：]\s+\S", nfkc)
        short = re.split(r"\s+[—–]\s+|\s+-\s+", titled.group("t") if titled else nfkc)[0]
        bare = re.sub(r"[(（][^()（）]*[)）]", " ", short)
        picked: list[str] = []
        named = [w for w in re.findall(r"[a-z][a-z0-9]{3,}", bare) if w not in _NAME_STOP]
        picked += named[:1] + named[-1:]
        for inner in re.findall(r"[(（]([^()（）]*)[)）]", short):
            if re.search(r"[=\d]", inner):  # "(skill=0.453)": a parameter, not a name
                continue
            first = re.findall(r"[a-z][a-z0-9]{3,}", inner)[:1]
            picked += [w for w in first if w not in _NAME_STOP]
        prefix = re.findall(r"\S+", bare)
        for end in range(2, len(prefix)):
            add(" ".join(prefix[:end]), index)
        for word in dict.fromkeys(picked):
            words.setdefault(word, set()).add(index)
    for word, found in words.items():
        if len(found) == 1 and word not in owners:
            owners[word] = set(found)
    return [(name, tag("S", min(found))) for name, found in owners.items() if len(found) == 1]


def _ablation(norm: str, systems: Sequence[str]) -> tuple[str, str | None, str | None, str] | None:
    """
    Read "X helps by …" / "… without X": the system with component X against the one without.

    Returns:
        ``(text without the component phrase, subject, reference, note)``, or ``None`` when
        the text names no component that exactly one system of the block lacks.
    """
    for pattern, helps in ((_ABLATION_VERB, True), (_WITHOUT, False)):
        match = pattern.search(norm)
        if match is None:
            continue
        comp = match.group("comp").strip()
        lacking = [
            s for s in systems if re.search(rf"{_NEGATION}\s*{re.escape(comp)}", normalise(s))
        ]
        if len(lacking) != 1:
            continue
        having = [s for s in systems if s not in lacking and comp in normalise(s)]
        others = [s for s in systems if s not in lacking]
        full = having[0] if len(having) == 1 else (others[0] if len(others) == 1 else None)
        if helps:
            rest = norm[: match.start("comp")] + "⟨X⟩" + norm[match.end("comp") :]
            note = f"{comp!r} helps: {full or 'the full system'} against {lacking[0]}"
            return rest, full, lacking[0], note
        rest = norm[: match.start()] + norm[match.end() :]
        note = f"without {comp!r}: {lacking[0]} against {full or 'the full system'}"
        return rest, lacking[0], full, note
    return None


def _metric_phrase(rest: str) -> str | None:
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
    if not phrase or len(phrase.split()) > 5 or not re.search(r"[a-z\u4e00-\u9fff]", phrase):
        return None
    # A word on its own that says a direction or a comparison makes it a gain, not a name
    # ("each component contributes > 0.5%"); inside a name ("J-drop") it does not.
    words = phrase.split()
    for position, word in enumerate(words):
        directional = any(p.fullmatch(word) for p in (BETTER_WORDS, HIGHER_WORDS, LOWER_WORDS))
        # "mean lift", "median gain": a statistic of a gain is a metric's name.
        if directional and (position == 0 or not _STATISTIC_WORD.fullmatch(words[position - 1])):
            return None
    if EACH_COMPONENT.search(phrase) or re.search(r"[\u4e00-\u9fff]", phrase):
        return None
    return phrase


_GAIN_STOP = frozenset(
    {
        "must", "should", "will", "also", "the", "a", "an", "to", "it", "can", "does", "is",
        "are", "by", "overall", "average", "on", "in", "at", "points", "point", "absolute",
        "abs", "total", "margin", "and", "be", "than", "of",
    }
)  # fmt: skip


def _gain_phrase(rest: str, systems: Sequence[str]) -> str | None:
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
        for word in re.findall(r"[a-z][\w-]*", text):
            if word in _GAIN_STOP or word in system_words:
                continue
            directional = any(p.fullmatch(word) for p in (BETTER_WORDS, HIGHER_WORDS, LOWER_WORDS))
            # "drop" alone is the direction; "mean lift" is a metric's name.
            if directional and not (words and _STATISTIC_WORD.fullmatch(words[-1])):
                continue
            words.append(word)
        return " ".join(words) if words and len(words) <= 4 else None

    after = re.search(r"⟨T⟩\s+(?P<m>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})\s*$", rest)
    if after and (found := cleaned(after.group("m"))):
        return found
    on = re.search(r"\bon\s+(?:the\s+)?(?P<m>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})\s*$", rest)
    if on and (found := cleaned(on.group("m"))):
        return found
    hits = [p.search(rest) for p in (BETTER_WORDS, HIGHER_WORDS, LOWER_WORDS)]
    starts = [m.start() for m in hits if m is not None]
    if not starts:
        return None
    before = rest[: min(starts)]
    named = cleaned(before[before.rfind("⟩") + 1 :])
    # "A1-full mean paired lift over A1-only": "mean paired" describes the gain itself (of the
    # primary metric), it names no metric.
    if named and all(_STATISTIC_WORD.fullmatch(w) for w in named.split()):
        return None
    return named


def _parse(  # one linear decision procedure, kept in one place to read top to bottom
    clause: str, text: str, *, block_systems: Sequence[str], metrics: Sequence[str]
) -> Criterion | Unparsed:
    def unparsed(reason: str) -> Unparsed:
        return Unparsed(text=text, reason=reason)

    norm = normalise(clause).rstrip(".。!！ ")
    if not norm:
        return unparsed("empty criterion")
    notes: list[str] = []

    derived = _DERIVED.match(norm)
    if derived:
        return _parse_derived(text, derived, metrics)

    positive = _POSITIVE.search(norm)
    if positive:
        sign = positive.group("sign") or positive.group("zh")
        limit = {"positive": "> 0", "为正": "> 0", "大于零": "> 0", "大于 0": "> 0"}.get(
            sign, "≥ 0" if sign.startswith("non") else "< 0"
        )
        norm = norm[: positive.start()] + f" {limit} " + norm[positive.end() :]
        notes.append(f"{positive.group(0).strip()!r} read as '{limit}'")
    aside = _ASIDE.search(norm)
    if aside:
        notes.append(f"left out the aside {aside.group(0).strip()!r}")
        norm = (norm[: aside.start()] + " " + norm[aside.end() :]).strip()
    # Seed counts before systems: "over 3 random seeds" is not the system "random selection".
    norm = SEEDS_PHRASE.sub(" ", norm)
    sample = _SAMPLE_SIZE.search(norm)
    if sample:
        notes.append(f"{sample.group(0)!r} read as the evaluation set, not a condition")
        norm = norm[: sample.start()] + norm[sample.end() :]

    # Systems first (their names may contain digits or metric words), then the baseline word.
    systems = [s for s in block_systems if s.strip()]
    ablation = _ablation(norm, systems)
    fixed_subject: str | None = None
    fixed_reference: str | None = None
    if ablation is not None:
        norm, fixed_subject, fixed_reference, note = ablation
        notes.append(note)
    norm, _ = replace_terms(norm, _system_terms(systems))
    if BEST_REFERENCE.search(norm):
        return unparsed("compares with the best or with all of several systems")
    norm, _ = replace_terms(norm, [(w, "⟨B⟩") for w in BASELINE_WORDS])

    if NEGATED_RELATION.search(norm):
        return unparsed("a non-inferiority comparison ('not worse than'), not a threshold")
    if STATISTICS.search(norm):
        return unparsed("asks for a statistical test or interval, which the rules do not compute")
    if SUBSET_COUNT.search(norm):
        return unparsed("counts over subsets (categories, families, configs)")
    if re.search(r"比\s*(?!⟨)", norm) and not re.search(r"比\s*⟨", norm):
        return unparsed("compares with something that is not a system of the block ('比 …')")
    vague = _VAGUE.search(norm)
    if vague:
        return unparsed(f"a margin without a number ({vague.group(0).strip()!r})")
    if re.search(r"\beach\s+⟨S|\beach\b[^⟨]*/", norm):
        return unparsed("'each' over several systems written as one; name each system")
    if _SHARE_OF_ITEMS.search(norm):
        return unparsed(
            "a share of items ('N% of ...'): record the share as a metric and name it, or "
            "write 'hits of total ≥ N%' with two recorded metrics"
        )
    if COMPOUND.search(norm):
        return unparsed("several or conditional clauses; only one condition can be checked")

    terms = metric_terms(metrics)
    norm, _ = replace_terms(norm, terms)
    metric_ids = sorted({untag(t) for t in re.findall(r"⟨M[A-Z]+⟩", norm)})
    names = [terms[i][0] for i in metric_ids]
    distinct = {metric_key(canonical(n)) for n in names}
    if len(distinct) > 1:
        return unparsed(f"names several metrics ({', '.join(names)})")
    metric: str | None = canonical(names[0]) if names else None
    if names and metric != names[0]:
        notes.append(f"metric {names[0]!r} read as {metric!r}")
    norm = re.sub(r"⟨M[A-Z]+⟩", "⟨M⟩", norm)
    norm = SEEDS_PHRASE.sub(" ", norm)

    # Thresholds: every number must be claimed by a comparator, else we do not understand it.
    thresholds: list[_Threshold] = []
    for match in THRESHOLD.finditer(norm):
        pre, post, unit = match.group("pre"), match.group("post"), match.group("unit")
        if pre is None and post is None and unit is None:
            return unparsed(f"a number without a comparison: {match.group(0).strip()!r}")
        comparison, orientation = PREFIX[pre] if pre else (Comparison.GE, None)
        if post:
            comparison = POST[post]
        thresholds.append(
            _Threshold(
                comparison=comparison,
                value=float(match.group("num")),
                unit=UNIT[unit] if unit else Unit.NONE,
                word=pre or post or "",
                orientation=orientation,
                bare=pre is None and post is None,
            )
        )
    rest = THRESHOLD.sub(" ⟨T⟩ ", norm)
    if len(thresholds) > 1:
        return unparsed("several thresholds; only one condition can be checked")

    if metric is None and len(thresholds) == 1 and not thresholds[0].bare:
        phrase = _metric_phrase(rest)
        if phrase is not None and thresholds[0].orientation is None:
            # "mean lift ≥ +0.05", "KAN skill > 0.4": the words before the comparator name the
            # metric (direction words in them, "J-drop", are part of the name).
            return _absolute_on_phrase(text, rest, phrase, thresholds[0], systems, notes)

    # Systems and the reference.
    subject: str | None = None
    reference: str | None = None
    relation_orientation: Orientation | None = None
    rel = SYSTEM_RELATION.search(rest)
    if rel:
        subject = _system_name(rel.group("lhs"), systems)
        reference = _system_name(rel.group("rhs"), systems)
        relation_orientation = (
            Orientation.HIGHER if rel.group("op") in (">", "≥") else Orientation.LOWER
        )
        rest = rest[: rel.start()] + " " + rest[rel.end() :]
    elif re.search(r"[><≥≤]", rest):
        return unparsed("a comparison between things that are not systems of the block")
    else:
        from_to = _FROM_TO.search(rest)
        if from_to:
            # "a 2-point drop from A to B": B against A.
            reference = _system_name(from_to.group("ref") or from_to.group("ref2"), systems)
            subject = _system_name(from_to.group("subject") or from_to.group("subject2"), systems)
            rest = rest[: from_to.start()] + " " + rest[from_to.end() :]
            notes.append(f"'from {reference} to {subject}': {subject} against {reference}")
        refs = {m.group("ref") for m in REFERENCE_BEFORE.finditer(rest)}
        if len(refs) > 1:
            return unparsed("several reference systems")
        if refs:
            reference = _system_name(refs.pop(), systems)
        if reference is None and not systems:
            named = NAMED_REFERENCE.search(rest)
            if named:
                reference = _original_spelling(named.group("word"), text)
        elif reference is None and NAMED_REFERENCE.search(rest):
            return unparsed("the reference named is not a system of the block")
        mentioned = list(dict.fromkeys(re.findall(r"⟨S[A-Z]+⟩", rest)))
        candidates = [p for p in mentioned if _system_name(p, systems) != reference]
        if len(candidates) > 1:
            return unparsed("several subject systems")
        if candidates and subject is None:
            subject = _system_name(candidates[0], systems)
        if reference is None and "⟨B⟩" in rest:
            reference = BASELINE

    if fixed_reference is not None:
        if reference not in (None, BASELINE, fixed_reference):
            return unparsed("an ablation criterion that also names another reference system")
        reference = fixed_reference
        subject = subject or fixed_subject
    each = bool(EACH_COMPONENT.search(rest))
    if each:
        if reference is not None and reference != BASELINE:
            return unparsed("an ablation criterion that also names a reference system")
        reference = None

    threshold = thresholds[0] if thresholds else None
    wants_better = bool(BETTER_WORDS.search(rest))
    wants_higher = bool(HIGHER_WORDS.search(rest))
    wants_lower = bool(LOWER_WORDS.search(rest))
    verb_orientation = threshold.orientation if threshold else None
    if verb_orientation is None and relation_orientation is None:
        if wants_higher and wants_lower:
            return unparsed("direction words point both ways")
        if wants_lower:
            verb_orientation = Orientation.LOWER
        elif wants_higher:
            verb_orientation = Orientation.HIGHER
        elif wants_better:
            verb_orientation = Orientation.BETTER
    orientation = relation_orientation or verb_orientation

    relational = reference is not None or each or relation_orientation is not None
    if not relational and verb_orientation is not None and threshold is not None:
        # "F1 提升 ≥ 0.5", "reduces loss by 10%": a gain with no reference named means the
        # baseline; "loss decreases below 0.5" states a level.
        relational = threshold.word not in LEVEL_WORDS
        if relational:
            reference = BASELINE
            notes.append("no reference named: the block's baseline")

    if threshold is None:
        if relational and orientation is not None:
            # "outperforms the baseline on accuracy": any gain counts.
            at_least = rel is not None and rel.group("op") in ("≥", "≤")
            threshold = _Threshold(
                comparison=Comparison.GE if at_least else Comparison.GT,
                value=0.0,
                unit=Unit.NONE,
                word="",
                orientation=orientation,
            )
            notes.append(
                "no threshold: at least as good as the reference counts"
                if at_least
                else "no threshold: any gain over the reference counts"
            )
        else:
            return unparsed("no comparison with a number or with another system")
    if relational and orientation is None:
        orientation = Orientation.BETTER
    if relational and metric is None:
        gain_name = _gain_phrase(rest, systems)
        if gain_name:
            # "throttle event count down ≥ 30%": the words before the direction name the metric.
            metric = _original_spelling(gain_name, text)
            notes.append(f"metric read from the words before the direction: {metric!r}")
    if threshold.bare:
        if not relational:
            return unparsed(f"a number without a comparison: {threshold.value:g}")
        notes.append(f"no comparator before {threshold.value:g}: read as 'at least'")

    if metric is None and not relational:
        return unparsed("an absolute threshold without a metric")

    # Units: decide what the number measures.
    unit = threshold.unit
    value = threshold.value
    if RELATIVE_WORDS.search(rest) and unit in (Unit.PERCENT, Unit.NONE):
        unit = Unit.RELATIVE
    percent_scale = False
    if not relational:
        mode = Mode.ABSOLUTE
        orientation = None
        if unit is Unit.RATIO or unit is Unit.RELATIVE:
            return unparsed("a ratio or relative change without a reference")
        percent_scale = unit in (Unit.PERCENT, Unit.POINTS)
    elif unit is Unit.RATIO:
        mode = Mode.RELATIVE
        value = round((value - 1.0) * 100.0, 9)
        notes.append(f"ratio {threshold.value:g}× read as a relative gain of {value:g}%")
    elif unit is Unit.RELATIVE:
        mode = Mode.RELATIVE
    elif unit is Unit.POINTS:
        mode = Mode.DIFFERENCE
        percent_scale = True
    elif unit is Unit.PERCENT:
        if metric is None or is_rate_metric(metric):
            mode = Mode.DIFFERENCE
            percent_scale = True
            notes.append("'%' read as percentage points (a rate metric)")
        else:
            mode = Mode.RELATIVE
            notes.append("'%' read as a relative change (not a rate metric)")
    else:
        mode = Mode.DIFFERENCE

    if mode is not Mode.ABSOLUTE and value < 0:
        return unparsed("a negative gain threshold")
    if orientation is Orientation.BETTER and metric is not None and is_lower_better(metric):
        notes.append(f"{metric!r}: lower is better")

    return Criterion(
        text=text,
        metric=metric,
        comparison=threshold.comparison,
        threshold=value,
        mode=mode,
        percent_scale=percent_scale,
        orientation=orientation,
        subject=subject,
        reference=reference,
        scope=Scope.EACH_COMPONENT if each else Scope.SINGLE,
        notes=tuple(notes),
    )


def _system_name(placeholder: str, systems: Sequence[str]) -> str:
    if placeholder == "⟨B⟩":
        return BASELINE
    return systems[untag(placeholder)]


def _original_spelling(word: str, text: str) -> str:
    """
    Find ``word`` (lower-cased by normalisation) in the original text and return it as written.
    """
    found = re.search(re.escape(word), unicodedata.normalize("NFKC", text), re.IGNORECASE)
    return found.group(0) if found else word


def _parse_derived(text: str, match: re.Match[str], metrics: Sequence[str]) -> Criterion | Unparsed:
    """
    A clause on a quantity two recorded metrics give: ``(a − b) ≥ 0.1``, ``a / b ≥ 0.9``,
    ``a of b ≥ 90%``.
    """
    rest = re.sub(r"\babs(?:olute)?\b", "", match.group("rest")).strip()
    found = THRESHOLD.fullmatch(rest)
    if found is None or found.group("pre") is None:
        return Unparsed(
            text=text, reason=f"a derived quantity with an unreadable threshold: {rest!r}"
        )
    comparison, _ = PREFIX[found.group("pre")]
    if found.group("post"):
        comparison = POST[found.group("post")]
    unit = UNIT[found.group("unit")] if found.group("unit") else Unit.NONE
    if unit in (Unit.RATIO, Unit.RELATIVE):
        return Unparsed(text=text, reason="a derived quantity with a ratio unit")
    op_text = match.group("op").strip()
    op = {"-": DerivedOp.DIFFERENCE, "/": DerivedOp.RATIO, "÷": DerivedOp.RATIO}.get(
        op_text, DerivedOp.SHARE
    )
    derived = Derived(
        op=op,
        left=_original_spelling(match.group("a"), text),
        right=_original_spelling(match.group("b"), text),
    )
    return Criterion(
        text=text,
        metric=derived.describe(),
        comparison=comparison,
        threshold=float(found.group("num")),
        mode=Mode.ABSOLUTE,
        percent_scale=unit in (Unit.PERCENT, Unit.POINTS),
        derived=derived,
        notes=(f"computed from two recorded metrics: {derived.describe()}",),
    )


def _absolute_on_phrase(
    text: str,
    rest: str,
    phrase: str,
    threshold: _Threshold,
    systems: Sequence[str],
    notes: list[str],
) -> Criterion | Unparsed:
    mentioned = list(dict.fromkeys(re.findall(r"⟨S[A-Z]+⟩", rest)))
    if len(mentioned) > 1:
        return Unparsed(text=text, reason="several subject systems")
    if threshold.unit in (Unit.RATIO, Unit.RELATIVE):
        return Unparsed(text=text, reason="a ratio or relative change without a reference")
    subject = _system_name(mentioned[0], systems) if mentioned else None
    words = phrase.split()
    if subject is None and len(words) > 1:
        # "KAN skill > 0.4" with a system "KAN teacher": the first word names the system.
        owners = [
            s
            for s in systems
            if re.search(rf"(?<![\w-]){re.escape(words[0])}(?![\w-])", normalise(s))
        ]
        if len(owners) == 1:
            subject = owners[0]
            phrase = " ".join(words[1:])
            notes = [*notes, f"{words[0]!r} read as the system {subject}"]
    metric = _original_spelling(phrase, text)
    return Criterion(
        text=text,
        metric=metric,
        comparison=threshold.comparison,
        threshold=threshold.value,
        mode=Mode.ABSOLUTE,
        percent_scale=threshold.unit in (Unit.PERCENT, Unit.POINTS),
        subject=subject,
        notes=(*notes, f"metric read from the words before the threshold: {metric!r}"),
    )
