"""
Per-run gates: the threshold a plan states for one run, not for a block.

011's run tables (``| Run | Task | Depends On | Cost | Gate |``: R013 "Dev macro F1 ≥ 0.55") and
its tracker's Metrics cells (R012 "Loss < 0.1") state what one run must reach; a milestone's
decision gate and a block's Success criterion are other things. They were shown nowhere, so a
failed gate went unseen by a researcher who trusts bridge's verdict (trial h39C, F6).

:func:`plan_run_gates` reads the plan's Gate cells by run id, :func:`run_gate` joins one with
the threshold clauses of the run's tracker Metrics cell, and :func:`judge_gate` reads a gate
clause by clause with the criteria parser: a clause on one metric compared with a number is
judged against the value the run recorded (met / not met, with the number); any other clause
is quoted as not checked by bridge, with the reason. A gate is the run's own: it never changes
a block's verdict (the results say a block's runs' unmet gates beside it).

Pure: no I/O.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, assert_never

import attrs

from bridge.errors import ConfigError
from bridge.lazy_patterns import lazy
from bridge.plan.milestones import stated_gate
from bridge.plan.text import Document, plain
from bridge.value_methods import value_methods

if TYPE_CHECKING:
    # The criteria's parser loads when a gate is read, not with the plan: `bridge run` launches
    # before it loads (tests/test_imports.py).
    from bridge.plan.criteria import Criterion

__all__ = [
    "GATE_WORD",
    "NOT_CHECKED",
    "THRESHOLD",
    "GateClause",
    "GateOutcome",
    "clause_said",
    "gate_said",
    "judge_gate",
    "plan_run_gates",
    "run_gate",
]

#: How a clause bridge does not judge is introduced, wherever it is shown.
NOT_CHECKED = "not checked by bridge"

# A run table's gate column: 011's `Gate`; not a milestone table's `Decision Gate`, whose first
# column names milestones, not runs.
_GATE_HEADER = lazy(
    r"(?:per[- ]run\s+)?(?:gate|pass(?:ing)?\s+criteri(?:on|a)|门槛|通过门槛|通过标准)",
    re.IGNORECASE,
)
_RUN_HEADER = lazy(r"run(?:\s*id)?|id|编号|run\s*#", re.IGNORECASE)
# A tracker header that names its Metrics column a gate too (023's `Metrics / Gate`).
GATE_WORD = lazy(r"\bgates?\b|门槛|关口", re.IGNORECASE)
_RUN_ID = lazy(r"[A-Za-z][\w.-]*\d[\w.-]*")
#: A comparison with a number, as a Metrics cell states a threshold ("Dev macro F1 ≥ 0.55",
#: "≥5pp all methods"): what makes a clause a gate here, and what the metric names are read
#: without (runs.py).
THRESHOLD = r"(?:[<>≥≤]=?|=>|=<)\s*[-+~]?\d"
_THRESHOLD = lazy(THRESHOLD)
_POINTS = lazy(r"\d\s*(?:pp|p\.p\.|percentage points?|个百分点)", re.IGNORECASE)
# Words of a gate that say which split or which statistic of a metric it means ("Dev macro F1
# ≥ 0.55", 011's R013; "accuracy std ≤ 0.02"). The criteria's parser reads the metric without
# them ("macro f1", "accuracy"): judged so, a test macro F1, or the accuracy itself, met the gate.
_QUALIFIER = lazy(
    r"(?<![\w-])(?P<word>dev|val|valid(?:ation)?|test|train(?:ing)?|eval|held[- ]?out|"
    r"std|stdev|stddev|sd|variance|var|median|max(?:imum)?|min(?:imum)?|worst|best|"
    r"p\d{2}|ci)(?![\w-])",
    re.IGNORECASE,
)

# A clause the gate itself calls optional ("energy ≤ 5 J if available", "(optional) latency ≤ 20",
# "nice to have: F1 ≥ 0.7"): it asks for nothing, so it is left out of the judged gate and said,
# as a block's criterion leaves out a bonus sentence (criteria/clauses.py's `_BONUS`); judged, a
# missed optional clause read "NOT MET" beside the run.
_OPTIONAL = lazy(
    r"\boptional(?:ly)?\b|\bif\s+(?:available|possible|time\s+permits)\b|\bnice[- ]to[- ]have\b"
    r"|\bstretch\s+goal\b|\bbonus\b|可选|如有|加分",
    re.IGNORECASE,
)
# Where a gate with an optional clause is cut into clauses (not inside "1,000").
_CLAUSE_CUT = lazy(r"[;；，、]|,(?!\d{3}(?!\d))")
#: Why a clause the gate calls optional is not judged; takes ``said``, the gate's word.
OPTIONAL_LEFT_OUT = "the gate calls it optional ({said}): left out of the gate"


def plan_run_gates(doc: Document) -> dict[str, tuple[str, int]]:
    """
    The Gate cell of each run in the plan's run tables (a table whose first column names runs
    and that has a Gate column), by run id: the cell on one line and its 1-based line. A cell
    that states no gate (``—``, ``none``, ``TBD``) gives none; a repeated id keeps the first.
    """
    found: dict[str, tuple[str, int]] = {}
    for table in doc.tables:
        header = [plain(cell) for cell in table.header]
        if not header or not _RUN_HEADER.fullmatch(header[0]):
            continue
        column = next((i for i, h in enumerate(header) if _GATE_HEADER.fullmatch(h)), None)
        if column is None:
            continue
        for line, cells in table.rows:
            run = plain(cells[0])
            if _RUN_ID.fullmatch(run) and (gate := stated_gate(plain(cells[column]))):
                found.setdefault(run, (gate, line))
    return found


def _key(text: str) -> str:
    return "".join(text.split()).casefold()


def run_gate(plan_cell: str, metrics_cell: str, *, labelled: bool = False) -> str:
    """
    A run's gate: its plan Gate cell, then each clause of its tracker Metrics cell that states
    a threshold and is not already a clause of that cell (011's R009: plan "Hard ≥400",
    tracker "Hard ≥400, valid ≥50%" → ``Hard ≥400; valid ≥50%``), joined with ``; ``; ``""``
    when neither states one. ``labelled``: the Metrics cell's header names it a gate (023's
    ``Metrics / Gate``: "loss decreases; checkpoint/resume works"), so every clause of it is one.
    """
    clauses = [plan_cell] if plan_cell else []
    seen = {_key(part) for part in re.split(r"[,;，、；]", plan_cell)}
    for part in re.split(r"[,;，、；]", metrics_cell):
        part = " ".join(part.split())
        if (labelled or _THRESHOLD.search(part)) and stated_gate(part) and _key(part) not in seen:
            seen.add(_key(part))
            clauses.append(part)
    return "; ".join(clauses)


class GateOutcome(enum.Enum):
    """
    What became of one clause of a run's gate.

    ``MET`` / ``NOT_MET``: judged against the run's recorded value. ``NO_VALUE``: a clause
    bridge reads, but the run has recorded no value for its metric (yet). ``NOT_CHECKED``: a
    clause bridge does not read as one metric against a number; quoted for the researcher.
    """

    MET = "met"
    NOT_MET = "not met"
    NO_VALUE = "no value"
    NOT_CHECKED = "not checked"


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class GateClause:
    """
    One clause of a run's gate and what became of it.

    Attributes:
        text: the clause as written.
        outcome: see :class:`GateOutcome`.
        reading: how bridge reads it (``macro f1 ≥ 0.55``), ``""`` when not checked.
        said: the sentence for the reader: the value against the threshold, or why it is not
            checked or has no value.
        metric: the recorded metric it was judged on, ``""`` when none.
        value: the recorded value it was judged on (as recorded, before any ×100), or None.
    """

    text: str
    outcome: GateOutcome
    reading: str = ""
    said: str = ""
    metric: str = ""
    value: float | None = None


def _unchecked_why(clause: Criterion) -> str | None:
    """Why a parsed clause is not one metric of this run against a number; None when it is."""
    from bridge.plan.criteria import Mode, Scope

    if clause.mode is not Mode.ABSOLUTE or clause.reference is not None:
        return "it compares with another system or run, which only a block's criterion judges"
    if clause.derived is not None:
        return "a quantity computed from two metrics, which only a block's criterion judges"
    if clause.metric is None:
        return "it names no metric"
    if clause.scope is not Scope.SINGLE or clause.per_item is not None:
        return f"it holds over several items ({clause.per_item or 'each component'})"
    if clause.settings or clause.subject is not None:
        return "it is said of a setting or a system, not of the run's own value"
    if clause.evaluation_set is not None:
        return f"it is said of the {clause.evaluation_set} set"
    if clause.margin_in_words is not None:
        # "loss far below 0.1": a level here, whose words ask more than its bound.
        return "how far beyond its bound it asks is said only in words"
    if clause.ratio is not None:
        return "a margin, not a level"
    return None


def _qualifiers_left_out(text: str, metric: str, recorded: str) -> tuple[str, ...]:
    """
    The words of the gate clause ``text`` that name a split or a statistic (``_QUALIFIER``)
    which neither its reading ``metric`` nor the ``recorded`` name it matched says: a value of
    another split or statistic, which cannot meet or miss the gate. ``()`` when none.
    """
    named = set(re.split(r"[^0-9a-z]+", f"{metric} {recorded}".casefold()))
    said = (m["word"] for m in _QUALIFIER.finditer(text))
    return tuple(
        dict.fromkeys(
            w
            for w in said
            # "held-out" is named by "held_out_loss" and by "heldout_loss" alike.
            if re.sub(r"[^0-9a-z]", "", w.casefold()) not in named
            and not set(re.split(r"[^0-9a-z]+", w.casefold())) <= named
        )
    )


def _qualified_name(
    clause: Criterion,
    values: Mapping[str, float | None],
    aliases: Mapping[str, Sequence[str]] | None,
) -> str | None:
    """
    The one recorded name that ``clause``'s metric names and that says every split or statistic
    the clause does (``dev_macro_f1`` for «Dev macro F1 ≥ 0.55» beside a plain ``macro_f1``);
    ``None`` when none does, or several do (which of them is meant is not said).
    """
    from bridge.plan.metric_names import match_metric

    assert clause.metric is not None
    fits = []
    for recorded in values:
        try:
            named = match_metric(clause.metric, (recorded,), aliases) == recorded
        except ConfigError:
            named = False
        if named and not _qualifiers_left_out(clause.text, clause.metric, recorded):
            fits.append(recorded)
    return fits[0] if len(fits) == 1 else None


def _number(value: float) -> str:
    return f"{value:.4g}"


def judge_gate(
    gate: str,
    values: Mapping[str, float | None] | None,
    aliases: Mapping[str, Sequence[str]] | None = None,
    units: Mapping[str, str] | None = None,
) -> tuple[GateClause, ...]:
    """
    Read ``gate`` clause by clause and judge each clause on one metric against a number with
    the run's recorded ``values``; a clause the gate calls optional (``_OPTIONAL``) is left
    out, as not checked, with why (name → value, ``None`` for NaN/Inf; ``None`` when the run
    has recorded nothing yet, as for ``bridge plan``). A threshold in percent (``Parse ≥90%``)
    reads a value within [0, 1] as a fraction, ×100, as a block's criterion does, and says so;
    where ``units`` (``[metrics] units``, metric → ``percent`` or ``fraction``) names the
    metric, its values are read on that scale instead, as a block's criterion reads them.
    Never raises on any text.
    """
    from bridge.plan.criteria import Criterion, Unparsed, parse_criterion

    # Cut into clauses here only where a clause is optional, so the others read as before.
    pieces = (
        [p.strip() for p in _CLAUSE_CUT.split(gate) if p.strip()]
        if _OPTIONAL.search(gate)
        else [gate]
    )
    out = []
    for piece in pieces:
        if (optional := _OPTIONAL.search(piece)) is not None:
            said = OPTIONAL_LEFT_OUT.format(said=repr(optional[0]))
            out.append(GateClause(text=piece, outcome=GateOutcome.NOT_CHECKED, said=said))
            continue
        parsed = parse_criterion(piece)
        for clause in getattr(parsed, "clauses", (parsed,)):
            if (
                isinstance(clause, Unparsed)
                and (noted := _with_target_noted(clause.text)) is not None
            ):
                # Judged as its threshold reads without the parentheses, quoted as written.
                judged = _judged(noted, values, aliases, units or {})
                out.append(attrs.evolve(judged, text=clause.text))
                continue
            if isinstance(clause, Unparsed):
                out.append(
                    GateClause(
                        text=clause.text, outcome=GateOutcome.NOT_CHECKED, said=clause.reason
                    )
                )
                continue
            assert isinstance(clause, Criterion)
            out.append(_judged(clause, values, aliases, units or {}))
    return tuple(out)


def _with_target_noted(text: str) -> Criterion | None:
    """
    The one clause ``text`` reads as once a threshold it notes in parentheses after the metric
    stands in their place: 004's R308 «false-rejection on benign (target ≤10%)» reads as
    «false-rejection on benign ≤10%»; it was "not checked by bridge: an absolute threshold
    without a metric" beside a recorded 12 % (trial h42A F8). ``None`` when ``text`` notes no
    such target or does not read so as one clause.
    """
    from bridge.plan.criteria import Criterion, parse_criterion

    rewritten, count = _TARGET_NOTED.subn(r" \g<threshold>", text)
    if count != 1:
        return None
    parsed = parse_criterion(rewritten.strip())
    clauses = getattr(parsed, "clauses", (parsed,))
    if len(clauses) == 1 and isinstance(clauses[0], Criterion):
        return clauses[0]
    return None


# A threshold noted in parentheses after what it is of: "(target ≥90%)", "(goal: < 0.1)",
# "（目标 ≤ 10%）"; one with words after its number ("(target ≤ 10% = N=5 calibration …)")
# is no plain threshold.
_TARGET_NOTED = lazy(
    r"\s*[(（]\s*(?:target|goal|目标)\s*[:：]?\s*"
    r"(?P<threshold>(?:[<>≥≤]=?|=>|=<)\s*[-+~]?\d+(?:\.\d+)?\s*(?:%|pp)?)\s*[)）]",
    re.IGNORECASE,
)


def _judged(
    clause: Criterion,
    values: Mapping[str, float | None] | None,
    aliases: Mapping[str, Sequence[str]] | None,
    units: Mapping[str, str],
) -> GateClause:
    """One readable clause of a gate judged as :func:`judge_gate` says."""
    from bridge.plan.criteria.derived import count_held_to_a_percent
    from bridge.plan.criteria.model import holds
    from bridge.plan.metric_names import (
        declared_unit,
        match_metric,
        measure_unit_of_name,
        unit_factor,
    )

    why = _unchecked_why(clause)
    if why is not None or clause.metric is None:
        said = why or "it names no metric"
        return GateClause(text=clause.text, outcome=GateOutcome.NOT_CHECKED, said=said)
    # As written: "5pp" is percentage points, "90%" a percent (both on a 0-100 scale).
    unit = (" pp" if _POINTS.search(clause.text) else "%") if clause.percent_scale else ""
    if clause.unit is not None:
        unit = f" {clause.unit}"
    threshold = f"{clause.comparison.value} {_number(clause.threshold)}{unit}"
    reading = f"{clause.metric} {threshold}"

    def unvalued(said: str = "", metric: str = "") -> GateClause:
        return GateClause(
            text=clause.text,
            outcome=GateOutcome.NO_VALUE,
            reading=reading,
            said=said,
            metric=metric,
        )

    if values is None:
        return unvalued()
    try:
        name = match_metric(clause.metric, values, aliases)
    except ConfigError as exc:
        return unvalued(f"which recorded metric it names is ambiguous: {exc}")
    if name is None:
        recorded = ", ".join(sorted(values)[:5]) or "none"
        return unvalued(f"the run recorded no {clause.metric} (it recorded: {recorded})")
    if (left_out := _qualifiers_left_out(clause.text, clause.metric, name)) and (
        qualified := _qualified_name(clause, values, aliases)
    ) is not None:
        # 011's R013 recorded macro_f1 and dev_macro_f1: «Dev macro F1» is the second one.
        name, left_out = qualified, ()
    if left_out:
        words = ", ".join(repr(w) for w in left_out)
        return unvalued(
            f"the gate says {words} of its metric, which the recorded {name} does not name",
            name,
        )
    value = values[name]
    if value is None:
        return unvalued(f"{name} is not a finite number", name)
    if clause.unit is not None:
        # "latency ≤ 50 ms" of latency_s: 0.05 s, the unit the recorded name says, as a block's
        # criterion reads it; where no name says one, 50 ms against seconds is not compared.
        values_unit = measure_unit_of_name(name) or measure_unit_of_name(clause.metric)
        factor = unit_factor(clause.unit, values_unit) if values_unit is not None else None
        if values_unit is None or factor is None:
            return unvalued(
                f"the gate's threshold is in {clause.unit}, and "
                + (
                    f"which unit {name}'s values are in is not known: record it with its unit "
                    f"in its name ({name}_{clause.unit.lower()})"
                    if values_unit is None
                    else f"{name}'s name says {values_unit}, which it cannot be turned into"
                ),
                name,
            )
        shown = f"{name} = {_number(value)}{unit}"
        if factor != 1.0:
            shown = (
                f"{name} = {_number(value)} {values_unit}, read as {_number(value / factor)}{unit}"
            )
        # The threshold in the values' unit, as the judge turns it (0.05 / 0.001 is not 50),
        # and held to it as the judge holds a block's criterion (0.29 ×100 meets ≥ 29).
        met = holds(value, clause.comparison, round(clause.threshold * factor, 12))
        return _decided(clause, reading, shown, met, threshold, name, value)
    declared = declared_unit(name, units)
    if (
        clause.percent_scale
        and declared is None
        and (why := count_held_to_a_percent(name, value, clause.comparison.value, clause.threshold))
    ):
        # A count of 1000 against "≥ 95%" is no share: the rule a block's criterion keeps.
        return unvalued(why, name)
    shown, compared = f"{name} = {_number(value)}", value
    if declared is not None:
        # The researcher's scale, as a block's criterion reads it: «hit rate < 5%» of 0.5 in
        # percent was read as 50 % and not met (h41F).
        compared, shown = _on_declared_scale(clause, value, shown, declared[1], unit)
    elif clause.percent_scale and 0 <= value <= 1:
        compared = value * 100
        shown += f", read as {_number(compared)}{unit}"
    met = holds(compared, clause.comparison, clause.threshold)
    return _decided(clause, reading, shown, met, threshold, name, value)


def _decided(
    clause: Criterion,
    reading: str,
    shown: str,
    met: bool,
    threshold: str,
    name: str,
    value: float,
) -> GateClause:
    """A gate clause judged met or not met on ``value`` of ``name``: what the run recorded as
    shown (``shown``), then whether it meets ``threshold``."""
    return GateClause(
        text=clause.text,
        outcome=GateOutcome.MET if met else GateOutcome.NOT_MET,
        reading=reading,
        said=f"{shown}: {'meets' if met else 'does not meet'} {threshold}",
        metric=name,
        value=value,
    )


def _on_declared_scale(
    clause: Criterion, value: float, shown: str, declared: str, unit: str
) -> tuple[float, str]:
    """
    ``value`` on the scale of ``clause``'s threshold where ``[metrics] units`` says its metric is
    in ``declared`` (``percent`` or ``fraction``), with what :func:`_judged` shows: a threshold
    in percent (``5%``, or a level above 1) reads percent values as they are and fractions
    ×100; a fraction threshold (``< 0.05``) reads fractions as they are and percent /100 (the
    judge's ``_declared_scale``, for a block's criterion).
    """
    in_percent = clause.percent_scale or abs(clause.threshold) > 1.0
    said = f"{declared}, as [metrics] units says"
    if declared == "percent" and not in_percent:
        return value / 100, f"{shown}, read as {_number(value / 100)} ({said})"
    if declared == "fraction" and in_percent:
        return value * 100, f"{shown}, read as {_number(value * 100)}{unit} ({said})"
    return value, f"{shown} ({said})"


_WORDS = {
    "en": {"met": "MET", "not met": "NOT MET", "read": "read as", "unjudged": "unjudged"},
    "zh": {"met": "达到", "not met": "未达到", "read": "读作", "unjudged": "未判定"},
}
_NOT_CHECKED_ZH = "bridge 不检查"


def _same(text: str) -> str:
    return text


def clause_said(
    clause: GateClause, language: str = "en", words: Callable[[str], str] = _same
) -> str:
    """
    One clause for the reader, quoted: ``«Loss < 0.1» NOT MET (loss = 0.3: does not meet <
    0.1)``, ``«All gates pass» not checked by bridge: …``, ``«Dev macro F1 ≥ 0.55» read as
    macro f1 ≥ 0.55`` (before any value, as ``bridge plan`` shows it). ``words`` puts bridge's
    reasons in ``language`` (the caller's translation,
    :func:`bridge.projections.reasons.in_language`).
    """
    said = _WORDS.get(language, _WORDS["en"])
    quoted = f"«{clause.text}»"
    match clause.outcome:
        case GateOutcome.MET | GateOutcome.NOT_MET:
            # Bridge's words on the value in the plan's language, as an unjudged one's are.
            why = words(clause.said)
            if language == "zh":
                return f"{quoted} {said[clause.outcome.value]}（{why}）"
            return f"{quoted} {said[clause.outcome.value]} ({why})"
        case GateOutcome.NO_VALUE:
            if not clause.said:
                return f"{quoted} {said['read']} {clause.reading}"
            why = words(clause.said)
            return f"{quoted} {said['read']} {clause.reading}, {said['unjudged']}: {why}"
        case GateOutcome.NOT_CHECKED:
            return f"{quoted} {_not_checked(language)}{_colon(language)}{words(clause.said)}"
        case _ as never:
            assert_never(never)


def _colon(language: str) -> str:
    return "：" if language == "zh" else ": "


def _not_checked(language: str) -> str:
    return _NOT_CHECKED_ZH if language == "zh" else NOT_CHECKED


def gate_said(
    gate: str,
    clauses: Sequence[GateClause],
    language: str = "en",
    words: Callable[[str], str] = _same,
) -> str:
    """
    A run's gate for the reader: each clause as :func:`clause_said` says it, or, when bridge
    reads none of them, the gate quoted once with why (023's prose gates "loss decreases;
    checkpoint/resume works" on one short line, not a reason per clause).
    """
    if clauses and all(c.outcome is GateOutcome.NOT_CHECKED for c in clauses):
        reasons = "; ".join(dict.fromkeys(words(c.said) for c in clauses))
        return f"«{gate}» {_not_checked(language)}{_colon(language)}{reasons}"
    return "; ".join(clause_said(c, language, words) for c in clauses)
