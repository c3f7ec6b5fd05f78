"""
The numbers a criterion's clause compares: which system is the subject and which the
reference, the aggregate of a metric for a system (refused when seeds are missing or values
non-finite), gains and derived quantities, and the comparison itself. Pure: no I/O.

:class:`Inconclusive` stops at the first reason a clause cannot be judged; the judge
(:mod:`bridge.machine.judge`) turns it into an inconclusive verdict.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from typing import assert_never

import attrs

from bridge.errors import ConfigError
from bridge.lazy_patterns import lazy
from bridge.machine.aggregation import Aggregate, Sample, measured_text, spread_text
from bridge.machine.verdicts import VerdictKind
from bridge.plan.criteria import (
    BASELINE,
    Comparison,
    Criterion,
    DerivedOp,
    Mode,
    Orientation,
)
from bridge.plan.criteria.lexicon import may_be_a_verb
from bridge.plan.criteria.model import holds
from bridge.plan.directions import SaidDirection
from bridge.plan.metric_names import match_metric, metric_key, without_unit
from bridge.plan.overview import counted
from bridge.value_methods import value_methods

__all__ = [
    "ClauseContext",
    "Inconclusive",
    "MetricNotFound",
    "compared",
    "describe",
    "evaluate_derived",
    "find_aggregate",
    "gain",
    "holds",
    "item_of",
    "mean_of",
    "more_runs_than_expected",
    "noise",
    "per_item",
    "reference_of",
    "subject_of",
]


class Inconclusive(Exception):
    """
    Raised inside the judge to stop at the first reason the verdict cannot be given.
    """


class MetricNotFound(Inconclusive):
    """
    Inconclusive because no name the runs recorded (nor an alias of one) is ``metric``, the
    name the clause's number was looked up by.

    Attributes:
        metric: that name, as it was looked up.
        alias_said: the reason already names the ``[metrics] aliases`` entry connecting the
            one recorded name that abbreviates it (:func:`alias_hint`, 025's `news_acc`).
    """

    def __init__(self, reason: str, *, metric: str, alias_said: bool = False) -> None:
        super().__init__(reason)
        self.metric = metric
        self.alias_said = alias_said


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ClauseContext:
    """
    What judging one clause needs besides the clause (see the arguments of
    :func:`bridge.machine.judge.judge_block`).
    """

    aggregates: Sequence[Aggregate]
    expected_seeds: int
    reference_system: str | None
    candidate_system: str | None
    candidate_evidence: str
    primary_metric: str | None
    ablated_systems: Sequence[str] | None
    aliases: Mapping[str, Sequence[str]] | None
    lower_is_better: Mapping[str, bool] | None
    planned_systems: Sequence[str] = ()
    #: Runs that name no system and are not seeds of one run (029's M4: a sampling step, an
    #: XGBoost and an MLP run): their numbers are no one system's replicates.
    unnamed_differ: Sequence[str] = ()
    #: A named system → its runs, where they are not seeds of one run (030 with a System
    #: column "Hermes MVP" on every row: A1 registers accounts, A2 creates profiles). A value
    #: one of them recorded is that run's; values two of them recorded are not pooled.
    named_differ: Mapping[str, Sequence[str]] = attrs.field(factory=dict)
    #: Runs planned per system in the block (none ruled out): a system planned with fewer than
    #: ``expected_seeds`` is judged on those (039's deterministic MART, reported once).
    planned_runs: Mapping[str, int] = attrs.field(factory=dict)
    #: Runs whose numbers are not trusted (a blocking training-quality finding) → their
    #: problems as said ("R012 skill: non_finite"): a clause that compares one of their
    #: numbers is open; a clause that does not is judged (006's B1 lost its failing KAN clause
    #: to the matched MLP's NaN, which that clause never read).
    untrusted: Mapping[str, str] = attrs.field(factory=dict)
    #: The samples behind ``aggregates`` and what each run recorded as a number (its metrics
    #: and arguments, by name): a clause that holds "at h=144" is judged on the runs that
    #: recorded h = 144 (006's B4 was met by a run at horizon 6).
    samples: Sequence[Sample] = ()
    run_settings: Mapping[str, Mapping[str, float]] = attrs.field(factory=dict)
    #: The metrics the plan lists as primary beside ``primary_metric`` (039's B1 "token
    #: AUROC/AUPRC（主）"): a clause that names no metric is judged on each of them too.
    other_primaries: Sequence[str] = ()
    #: ``[metrics] units``: metric → ``percent`` or ``fraction``, read instead of the guess
    #: from the values (027's hit rate logged as 0.5, meaning 0.5 %, read as 50 %).
    units: Mapping[str, str] = attrs.field(factory=dict)
    #: Each run → the seed it was launched with (``None``: none), and the plan's words asking
    #: the block's systems for the same seeds (``""``: it does not ask): a comparison of
    #: systems whose runs ran at different seeds says so, and is open where the plan asks for
    #: the same (012's B2 compared R005 at 1103 with R004 at 0 as if paired).
    run_seeds: Mapping[str, str | None] = attrs.field(factory=dict)
    same_seeds: str = ""
    #: The plan's own words on which way its metrics are better (027's «FK-vs-position p95
    #: 显著下降»): read for a metric neither ``lower_is_better`` nor the word lists know.
    said_directions: Sequence[SaidDirection] = ()
    #: The metric names the judged runs' tracker rows list: a clause naming no metric whose
    #: words mention one that is not the primary is open (012's B2 judged on `full`).
    row_metrics: Sequence[str] = ()

    def aggregate_of(
        self,
        system: str,
        metric: str,
        seeds: int,
        *,
        aliases: Mapping[str, Sequence[str]] | None,
        among: Sequence[Aggregate] | None = None,
    ) -> Aggregate:
        """
        :func:`find_aggregate` of ``metric`` for ``system`` in ``among`` (default
        ``aggregates``), with this clause's untrusted runs and ``system``'s runs that are not
        seeds of one run (:attr:`named_differ`) always passed: a call that left them out
        pooled different procedures as seeds unsaid.
        """
        return find_aggregate(
            self.aggregates if among is None else among,
            system,
            metric,
            aliases,
            seeds,
            untrusted=self.untrusted,
            unlike=self.named_differ.get(system, ()),
        )

    def seeds_of(self, system: str, readings: list[str]) -> int:
        """
        The seeds expected of ``system``: ``expected_seeds``, or fewer where the researcher
        planned fewer runs of it (said in ``readings``: the verdict rests on them). Runs that
        name no system and are not seeds of one run are one run each: such a subject is the
        one run that recorded the clause's metric (:func:`subject_of`), not the block's
        unlike runs counted as its seeds (030's A1 read "registration_success has 1 of 2
        expected" beside A2, another procedure).
        """
        if not system and self.unnamed_differ:
            return 1
        if unlike := self.named_differ.get(system):
            said = (
                f"{system}: its runs ({', '.join(unlike)}) are not seeds of one run (their rows "
                "say different things): each value is judged as the one run's that recorded it"
            )
            if said not in readings:
                readings.append(said)
            return 1
        planned = self.planned_runs.get(system, 0)
        if not 0 < planned < self.expected_seeds:
            return self.expected_seeds
        said = (
            f"{system or 'the block'}: judged on its {planned} planned run"
            f"{'s' if planned > 1 else ''}, where the block expects {self.expected_seeds} seeds"
        )
        if said not in readings:
            readings.append(said)
        return planned


def _unheard(systems: Sequence[str], context: ClauseContext) -> str | None:
    """
    Why "the one other system" cannot be told from the systems with results, or None: the
    block compares three or more systems and fewer have results (005's B1 lists A0, RAW joint
    v5 and the wrapper; with only A0's run in, A0 is no "only other system"). With two, the one
    with results stays the reading, said in the reason.
    """
    planned = list(dict.fromkeys(context.planned_systems))
    if len(planned) < 3 or len(planned) <= len(systems):
        return None
    return (
        f"only {', '.join(systems) or 'no system'} of the block's {len(planned)} compared "
        "systems have results"
    )


def evaluate_derived(
    criterion: Criterion, context: ClauseContext, subject: str, seeds: int
) -> tuple[VerdictKind, str, float]:
    """
    Compute a difference, ratio or share of two recorded metrics of the subject (each the mean
    over its ``seeds`` seeds) and compare it with the threshold; the reason shows both inputs.
    """
    derived = criterion.derived
    assert derived is not None
    left, right = (
        context.aggregate_of(subject, name, seeds, aliases=context.aliases)
        for name in (derived.left, derived.right)
    )
    if left.metric == right.metric:
        # Both names matched one recorded metric ("tokens" and "s" the recorded `tokens/s`):
        # its quotient with itself is 1 and its difference 0 whatever it measured.
        raise Inconclusive(
            f"{derived.describe()}: {derived.left!r} and {derived.right!r} both read as the "
            f"recorded {left.metric!r}, so the quantity would be {left.metric} against itself; "
            "name the two metrics as the runs record them, or the one metric the criterion means"
        )
    a, b = mean_of(left), mean_of(right)
    scale = 1.0
    match derived.op:
        case DerivedOp.DIFFERENCE:
            value = a - b
            symbol = "−"
            if criterion.percent_scale and 0.0 <= a <= 1.0 and 0.0 <= b <= 1.0:
                scale = 100.0
        case DerivedOp.RATIO | DerivedOp.SHARE:
            if b == 0.0:
                raise Inconclusive(
                    f"{subject} {right.metric} is 0: {derived.describe()} is undefined"
                )
            value = a / b
            symbol = "/"
            if criterion.percent_scale and 0.0 <= value <= 1.0:
                scale = 100.0
        case _ as unreachable:
            assert_never(unreachable)
    quantity = value * scale
    ok = holds(quantity, criterion.comparison, criterion.threshold, noise(a, b, factor=scale))
    scaled = " ×100" if scale != 1.0 else ""
    # Runs that name no system are the block's runs (017's B5 read "tokens / s for : …").
    of = f" for {subject}" if subject else ""
    reason = (
        f"{derived.describe()}{of}: {left.metric} {describe(left, 1.0)} {symbol} "
        f"{right.metric} {describe(right, 1.0)} = {quantity:.6g}{scaled} (means over seeds); "
        + compared(quantity, criterion.comparison, criterion.threshold, ok)
    )
    return (VerdictKind.MET if ok else VerdictKind.NOT_MET, reason, quantity)


def subject_of(
    criterion: Criterion,
    context: ClauseContext,
    systems: Sequence[str],
    reference: str | None,
    readings: list[str],
) -> str:
    """
    The system the clause is about: the one it names, else the block's proposed system, else
    the only system besides the reference; each reading made is added to ``readings``.

    Raises:
        Inconclusive: none of these names one system; where the proposed system is the clause's
            own reference, the reason names it and why it is the proposed one.
    """
    if criterion.subject:
        return criterion.subject
    shared = shared_subject_reason(criterion, context.candidate_system)
    if shared is not None:
        raise Inconclusive(shared)
    if context.candidate_system and context.candidate_system != reference:
        why = context.candidate_evidence or "the block's proposed system"
        readings.append(f"subject {context.candidate_system}: {why}")
        return context.candidate_system
    # The criterion's own reference is not its subject: with two systems and one named, the
    # other is meant.
    others = [s for s in systems if s not in (context.reference_system, reference)]
    if len(others) == 1 and (unheard := _unheard(systems, context)) is not None:
        raise Inconclusive(
            f"the criterion names no system and the block's proposed system is not known; {unheard}"
        )
    if len(others) == 1 and not others[0] and context.unnamed_differ:
        if (alone := _only_recorder(criterion, context)) is not None:
            # Nothing to pool: 030's A1 alone recorded registration_success, yet «registration
            # success = 100%» was held open as "their numbers cannot be pooled" (h41B F5).
            run, name = alone
            readings.append(
                f"subject: {run}, the only run of the block that recorded {name} (its runs name "
                "no system and are not seeds of one run)"
            )
            return others[0]
        # 029's M4 averaged a sampling step, XGBoost and an MLP into "XGBoost AUROC ≥ 0.80: met".
        raise Inconclusive(
            "the block's runs name no system and are not seeds of one run "
            f"({', '.join(context.unnamed_differ)}): their numbers cannot be pooled; give each "
            # A [systems] table names no run, so it gave none its system. A run that
            # succeeded takes a new system label at the next `bridge run` without running
            # again (relabelled), unless its command uses the label; "when run again (bridge
            # retry --force RUN)" cost 030's trial t6 a needless re-run of 12 runs.
            'run its system (the tracker\'s System column, or [[runs]] id = "…" system = '
            '"…" in bridge.toml); a run that already succeeded takes it at the next bridge run '
            "without running again (unless its command uses the label: then bridge retry "
            "--changed)"
        )
    if len(others) == 1 and not others[0]:
        # The runs name no system and are seeds of one run (015's B6, 033's E1): they are the
        # subject together.
        readings.append("subject: the block's runs, which name no system")
        return others[0]
    if len(others) == 1:
        readings.append(
            f"subject {others[0]}: the only system besides the reference"
            if reference or context.reference_system
            # An absolute clause in a block of one system (trial N4: "besides the reference"
            # where there is none).
            else f"subject {others[0]}: the block's only system"
        )
        return others[0]
    if context.candidate_system and context.candidate_system == reference:
        # 039's B3 «GNN 同时优于 MART», MART the system the method thesis names: the proposed
        # system is known, and is what the clause compares with. Said so, as the clause beside
        # it that takes that system for its subject says: "the proposed system is not known"
        # contradicted it in the same verdict.
        why = context.candidate_evidence or "the block's proposed system"
        raise Inconclusive(
            f"the criterion names no system, and the block's proposed system, {reference} — "
            f"{why} — is the system it compares with (systems: {_systems_said(systems)})"
            f"{_NAME_THE_PROPOSED}"
        )
    raise Inconclusive(
        "the criterion names no system and the block's proposed system is not known "
        f"(systems: {_systems_said(systems)}){_NAME_THE_PROPOSED}"
    )


def _systems_said(systems: Sequence[str]) -> str:
    """
    The block's systems as a reason lists them: runs that name no system (015's B5, a run
    proposed from the plan beside [[runs]] with systems) as such, not as an empty name.
    """
    said = [s or NO_SYSTEM_SAID for s in systems]
    return ", ".join(said) or "none"


def shared_subject_reason(criterion: Criterion, proposed: str | None) -> str | None:
    """
    Why a clause names no one subject, when its words are part of several systems' names
    (``subject_could_be``) and the block's ``proposed`` system is none of them (039's B3 «GNN
    同时优于 MART»: "GNN" of "threshold/GNN" and "typed-mass-cover/GNN", the proposed system
    MART); None when it names its subject, or the proposed system is one of those (011's B2).
    Read by bridge/projections/reasons.py, which says it in Chinese.
    """
    if criterion.subject or not criterion.subject_could_be:
        return None
    if proposed in criterion.subject_could_be:
        return None
    return (
        f"the compared system «{criterion.subject_said}» could be any of several systems of "
        f"the block ({'; '.join(criterion.subject_could_be)}): name the one meant, or write a "
        "clause for each"
    )


# How to go on (trial N2 on 005: the reason gave none, and "(ours)" on the plan's line fixed it).
#: How a reason lists the runs of a block that name no system (Chinese in projections/reasons.py).
NO_SYSTEM_SAID = "the runs naming no system"

_NAME_THE_PROPOSED = (
    "; mark the proposed system in the plan's Compared systems (`X (ours)`), or name the "
    "system in the criterion"
)


def reference_of(
    criterion: Criterion, context: ClauseContext, systems: Sequence[str], readings: list[str]
) -> str:
    """
    The system the clause compares with: the one it names, else the block's baseline, else (for
    "the baseline" with the subject known) the block's one other system.

    Raises:
        Inconclusive: the clause compares with nothing, or with a baseline the block lacks.
    """
    if criterion.reference is None:
        raise Inconclusive("the criterion compares with nothing")
    if criterion.reference != BASELINE:
        return criterion.reference
    subject = criterion.subject or context.candidate_system
    before = tuple(b for b in criterion.reference_before if b != subject)
    criterion = attrs.evolve(criterion, reference_before=before)
    try:
        baseline = _the_baseline(criterion, context, systems, readings)
    except Inconclusive:
        if not before:
            raise
        raise Inconclusive(unnamed_reference_reason(criterion, None)) from None
    if before and [baseline] != list(before):
        # «… 比 B 低 50% 以上，t_settle 至少降低 10%»: measured from B, or from the baseline?
        # Only where the baseline is B are both one (h43B, item 1).
        raise Inconclusive(unnamed_reference_reason(criterion, baseline))
    if before:
        readings.append(
            f"the block's baseline {baseline}, the system the clause before compares with"
        )
    return baseline


def unnamed_reference_reason(criterion: Criterion, baseline: str | None) -> str:
    """
    Why a change naming no system it is measured from, after a comparison with the systems of
    ``criterion.reference_before``, is left open where the block's baseline (``baseline``,
    ``None`` where it has none) is not the one of them. Said in Chinese by
    bridge/projections/reasons.py.
    """
    named = criterion.reference_before
    which = f"the block's baseline ({baseline})" if baseline else "the block's baseline"
    return (
        f"a change of {criterion.metric or 'the primary metric'} («{criterion.text.strip()}») "
        f"after a comparison with {' and '.join(named)}, naming no system it is measured from: "
        f"{', '.join(named)} or {which}; write the comparison out"
    )


def _the_baseline(
    criterion: Criterion, context: ClauseContext, systems: Sequence[str], readings: list[str]
) -> str:
    """The block's baseline system for a clause comparing with "the baseline" (see
    :func:`reference_of`)."""
    if context.reference_system is not None:
        return context.reference_system
    # No system is marked as the baseline: with the subject known, the one other system is the
    # comparison.
    subject = criterion.subject or context.candidate_system
    others = [s for s in systems if s != subject]
    if subject is not None and len(others) == 1 and (unheard := _unheard(systems, context)):
        raise Inconclusive(
            f"the criterion compares with the baseline; the block marks none, and {unheard}"
        )
    if subject is not None and len(others) == 1:
        readings.append(f"'the baseline' read as {others[0]}, the block's other system")
        return others[0]
    raise Inconclusive("the criterion compares with the baseline; the block has none")


def more_runs_than_expected(system: str, found: Aggregate, expected: int) -> str:
    """
    What a verdict says of ``system`` judged on ``found``'s runs when they are more than the
    ``expected`` seeds (``""`` when they are not): the mean is over all of them, and which they
    are is named, so a rerun kept or a seed added is no silent n=4 where the plan says 3.
    """
    if not 0 < expected < found.n:
        return ""
    return (
        f"{system or 'the block'}: judged on all its {found.n} runs of {found.metric} "
        f"({', '.join(found.run_ids)}), where the block expects {expected} "
        f"seed{'' if expected == 1 else 's'}"
    )


def _only_recorder(criterion: Criterion, context: ClauseContext) -> tuple[str, str] | None:
    """
    The one run, and the name it recorded the clause's metric under, where the block's runs
    name no system, are not seeds of one run, and only that run recorded the metric: its value
    is then no pool of unlike runs. ``None`` otherwise, and for a clause on a quantity of two
    metrics or on no named metric. The name must be the clause's metric itself (an alias, or
    a unit after it, included), not a looser match: "XGBoost AUROC" is not read from a lone
    `auroc`.
    """
    if criterion.derived is not None or not criterion.metric:
        return None
    own = [a for a in context.aggregates if not a.system]
    try:
        name = match_metric(criterion.metric, [a.metric for a in own], context.aliases)
    except ConfigError:
        return None
    if name is None:
        return None
    aliased = {
        metric_key(t)
        for said, targets in (context.aliases or {}).items()
        if metric_key(said) == metric_key(criterion.metric)
        for t in targets
    }
    # A unit the recorded name adds is no other metric (030's round_trip_latency_ms).
    if metric_key(without_unit(name)) != metric_key(criterion.metric) and (
        metric_key(name) not in aliased
    ):
        return None
    found = next(a for a in own if a.metric == name)
    runs = set(found.run_ids)
    if len(runs) != 1 or not runs <= set(context.unnamed_differ):
        return None
    return next(iter(runs)), name


def find_aggregate(
    aggregates: Sequence[Aggregate],
    system: str,
    metric: str,
    aliases: Mapping[str, Sequence[str]] | None,
    expected_seeds: int,
    *,
    untrusted: Mapping[str, str] | None = None,
    unlike: Sequence[str] = (),
) -> Aggregate:
    """
    The aggregate of ``metric`` (matched by name or alias) for ``system``.

    Args:
        untrusted: runs whose numbers are not trusted → their training-quality problems
            (:attr:`ClauseContext.untrusted`).
        unlike: ``system``'s runs when they are not seeds of one run
            (:attr:`ClauseContext.named_differ`): a value two of them recorded is no mean.

    Raises:
        Inconclusive: no results for the system, the metric is missing or ambiguous, one of
            its runs has a blocking training-quality problem, a value is non-finite, two of
            ``unlike`` recorded it, or fewer than ``expected_seeds`` seeds were aggregated.
    """
    own = [a for a in aggregates if a.system == system]
    if not own:
        raise Inconclusive(f"no results for system {system}")
    # Runs that name no system (015's B6) are the block's runs, not "for  (extracted …)", nor
    # 033's E3 "metric ambiguous for : plan metric …".
    where = f"for {system}" if system else "in the block's runs"
    try:
        name = match_metric(metric, [a.metric for a in own], aliases)
    except ConfigError as exc:
        raise Inconclusive(f"metric ambiguous {where}: {exc}") from exc
    if name is None:
        listed = ", ".join(sorted(a.metric for a in own))
        alias = alias_hint(metric, [a.metric for a in own])
        raise MetricNotFound(
            f"metric {metric!r} not found {where} (extracted: {listed})"
            + alias
            + _verb_hint(metric, [a.metric for a in own], aliases),
            metric=metric,
            alias_said=bool(alias),
        )
    found = next(a for a in own if a.metric == name)
    named = f"{system} {name}" if system else name
    problems = [untrusted[r] for r in found.run_ids if untrusted and r in untrusted]
    if problems:
        # Before the NaN count: the finding says which run and metric, and why (a NaN in a
        # history, a diverged loss), where the count says only how many.
        raise Inconclusive(f"training-quality problems: {'; '.join(problems)}")
    if found.n_nonfinite:
        raise Inconclusive(
            f"{named}: {counted(found.n_nonfinite, 'non-finite value')} (NaN/Inf) among its runs"
        )
    if len(pooled := [r for r in found.run_ids if r in unlike]) > 1:
        # 030 with "Hermes MVP" on every row: C1-C3 route a private, an urgent and a
        # background task; their correct_routing_rate was one mean "over seeds" (h41B F5).
        raise Inconclusive(
            f"{named} was recorded by {', '.join(pooled)}, runs of {system} that are not seeds "
            "of one run (their rows say different things): their numbers cannot be pooled; "
            "give each run its own system (the tracker's System column), or judge one of them "
            "in a block of its own"
        )
    if found.n < expected_seeds:
        # A run of the system that recorded other metrics but not this one (trial M1: a seed
        # that wrote `test_accuracy`) is named, with the way to say it is the same metric.
        others = sorted({r for a in own for r in a.run_ids} - set(found.run_ids))
        said = "; ".join(
            f"{run} recorded {', '.join(sorted(a.metric for a in own if run in a.run_ids)[:3])} "
            f"but no {name}"
            for run in others[:3]
        )
        raise Inconclusive(
            f"missing seeds: {named} has {found.n} of {expected_seeds} expected"
            + (f" ({said}: name it in [metrics] aliases if it is the same metric)" if said else "")
        )
    return found


def _words(name: str) -> list[str]:
    """The lower-case words and numbers of a metric name (``MMLU Accuracy``: mmlu, accuracy)."""
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", name).casefold())


def alias_hint(metric: str, recorded: Sequence[str]) -> str:
    """
    The ``[metrics] aliases`` entry that names the one recorded name abbreviating ``metric``
    word by word (``mmlu_acc`` for 025's «MMLU Accuracy ≥ 80%»: each of its words opens the
    plan's word in its place), as a clause to add to a "not found" reason; ``""`` where none
    or several do. The researcher was told only what was recorded, not how to map it.
    """
    wanted = _words(metric)
    shorter = [
        name
        for name in dict.fromkeys(recorded)
        if len(words := _words(name)) == len(wanted) > 0
        and words != wanted
        and all(w.startswith(r) for r, w in zip(words, wanted, strict=True))
    ]
    if len(shorter) != 1:
        return ""
    said, plan = (n.replace("\\", "\\\\").replace('"', '\\"') for n in (shorter[0], metric))
    return (
        f'; if {shorter[0]} is it, add `"{said}" = "{plan}"` to `[metrics] aliases = {{ … }}` '
        "in bridge.toml"
    )


def _verb_hint(
    metric: str, recorded: Sequence[str], aliases: Mapping[str, Sequence[str]] | None
) -> str:
    """
    Both readings of a metric named with a capitalised word ending in "s" before it, where the
    rest is recorded: «Yields accuracy ≥ 0.9» with `accuracy` recorded. Such a word opening a
    clause is read as the sentence's verb only when it is a known one ("Maintains"): 025's
    «News Accuracy» is a name, and read as plain `accuracy` it was judged on another number.
    The clause stays open; the reason says what to write if the word is a verb. ``""``
    otherwise.
    """
    first, _, rest = metric.partition(" ")
    if not rest or not may_be_a_verb(first):
        return ""
    try:
        plain = match_metric(rest, recorded, aliases)
    except ConfigError:
        return ""
    if plain is None:
        return ""
    return (
        f"; if {first} is the sentence's verb, not part of the metric's name, write the clause "
        f"without it ({plain} is recorded)"
    )


# A value recorded per item: `acc[distance]` (a labelled JSON Lines row, a file's name) or
# `optimal_action_probabilities.math` (a nested key), read as the metric and its label.
_ITEM = lazy(r"(?P<metric>.+)\[(?P<label>[^\[\]]+)\]|(?P<parent>.+)\.(?P<key>[^./\[\]]+)")


# Labels that are a statistic or a bound of the metric's own values, or a list index, not an
# item it is measured on: `accuracy.std`, `accuracy[ci_low]`, `loss.0`. Read as items, "accuracy >
# 0.5 on every question type" was not met on a std of 0.05 (review r34).
_NOT_AN_ITEM = lazy(
    r"(?:mean|avg|average|median|std|stdev|stddev|sd|se|sem|stderr|var|variance|min|max|"
    r"ci(?:[_ -]?(?:low|high|lo|hi|lower|upper|\d+))?|lower|upper|lo|hi|p\d+|q\d+|\d+|"
    r"均值|平均值?|中位数|标准差|方差|最小值?|最大值?|下界|上界)",
    re.IGNORECASE,
)


def item_of(name: str) -> tuple[str, str, bool] | None:
    """
    ``name`` as the metric it labels, the label, and whether the label is in brackets (a label
    for sure; a nested key may be another metric: `eval.loss` beside `eval.acc`); None for a
    name with no label, or whose label is a statistic, a bound or an index of the metric's own
    values (:data:`_NOT_AN_ITEM`: `accuracy.std`, `accuracy[ci_low]`), which is no item.
    """
    found = _ITEM.fullmatch(name)
    if found is None:
        return None
    if found["metric"] is not None:
        item = found["metric"], found["label"], True
    else:
        item = found["parent"], found["key"], False
    return None if _NOT_AN_ITEM.fullmatch(item[1].strip()) else item


def _singular(key: str) -> str:
    """A metric key without a plural ending ("probabilities" → "probability")."""
    if key.endswith("ies"):
        return key[:-3] + "y"
    return key[:-1] if key.endswith("s") and not key.endswith("ss") else key


def per_item(
    aggregates: Sequence[Aggregate],
    system: str,
    metric: str,
    aliases: Mapping[str, Sequence[str]] | None,
) -> tuple[str, list[tuple[str, Aggregate]]]:
    """
    The values ``system``'s runs record of ``metric`` once per item, each with its label: the
    names of one metric under two labels or more (``acc[distance]``, ``acc[count]``;
    ``optimal_action_probabilities.math``, ``….retail``) where that metric is ``metric`` (by
    name, alias or synonym, a plural ending aside) or ``[metrics] aliases`` names one of them
    as ``metric``. Empty where there are not two such values, or several metrics' labels would
    fit: a threshold "in every domain" is then judged on the one value, as before. Returned
    with the name the labels share (``acc``).
    """
    own = [a for a in aggregates if a.system == system]
    families: dict[tuple[str, bool], list[tuple[str, Aggregate]]] = {}
    for a in own:
        item = item_of(a.metric)
        if item is not None:
            families.setdefault((item[0], item[2]), []).append((item[1], a))
    wanted = metric_key(metric)
    aliased = {
        metric_key(target)
        for name, targets in (aliases or {}).items()
        if metric_key(name) == wanted
        for target in targets
    }

    def is_metric(base: str, labelled: bool, members: Sequence[tuple[str, Aggregate]]) -> bool:
        named = [metric_key(a.metric) in aliased for _, a in members]
        # One label named as the metric (the advice bridge once gave) stands for its family;
        # nested keys only all together (`eval.acc` named is not `eval.loss`).
        if (any(named) if labelled else all(named)) or metric_key(base) in aliased:
            return True
        if _singular(metric_key(base)) == _singular(wanted):
            return True
        try:
            return match_metric(metric, [base], aliases) is not None
        except ConfigError:  # pragma: no cover - one name cannot be ambiguous
            return False

    matched = [
        (base, members)
        for (base, labelled), members in families.items()
        if len(members) > 1 and is_metric(base, labelled, members)
    ]
    return matched[0] if len(matched) == 1 else (metric, [])


def mean_of(agg: Aggregate) -> float:
    """
    The aggregate's mean.

    Raises:
        Inconclusive: it has no finite value.
    """
    if agg.mean is None:
        raise Inconclusive(f"{agg.system} {agg.metric}: no values")
    return agg.mean


def describe(agg: Aggregate, scale: float) -> str:
    """
    ``mean ± std (n=N)`` of the aggregate, each scaled by ``scale``, for a reason.
    """
    mean = mean_of(agg) * scale
    spread = f" ± {spread_text(agg.std * scale)}" if agg.std is not None else ""
    return f"{measured_text(mean)}{spread} (n={agg.n})"


def gain(
    criterion: Criterion, subject: Aggregate, reference: Aggregate, lower: bool, scale: float
) -> float:
    """
    How much better ``subject`` is than ``reference``, direction-aware (lower is better for
    ``lower``), or how far apart they are for a two-sided tolerance (``EITHER``): absolute
    (× ``scale``), or in percent of the reference for a relative clause.

    Raises:
        Inconclusive: a relative change from a reference of 0.
    """
    orientation = criterion.orientation or Orientation.BETTER
    if orientation is Orientation.BETTER:
        orientation = Orientation.LOWER if lower else Orientation.HIGHER
    diff = mean_of(subject) - mean_of(reference)
    match orientation:
        case Orientation.HIGHER:
            pass
        case Orientation.LOWER:
            diff = -diff
        case Orientation.EITHER:
            diff = abs(diff)  # a two-sided tolerance: how far apart, whichever way
        case Orientation.BETTER:
            raise AssertionError("resolved above")
        case _ as never:
            assert_never(never)
    if criterion.mode is Mode.RELATIVE:
        base = mean_of(reference)
        if base == 0.0:
            raise Inconclusive(
                f"{reference.system} {reference.metric} is 0: a relative change is undefined"
            )
        return diff / abs(base) * 100.0
    return diff * scale


def noise(*operands: float, factor: float = 1.0) -> float:
    """
    How far binary floating point may move a quantity computed from ``operands`` (a difference,
    a ratio) and then multiplied by ``factor``: a few units in the last place of the largest.
    """
    return 8.0 * sys.float_info.epsilon * max((abs(x) for x in operands), default=0.0) * factor


def compared(quantity: float, comparison: Comparison, threshold: float, ok: bool) -> str:
    """
    The end of a reason that holds a number against its limit, ``ok`` saying whether it met it
    (:func:`holds`): ``0.35 ≥ 0.3 → met``, or ``0.02, required ≥ 0.03 → not met``. A failed
    comparison names the limit as what was required, as a gain's reason does ("required gain
    ≥ 30 pp"): written as a relation, ``0.02 ≥ 0.03 → not met`` stated what is false (trial t8).
    """
    if ok:
        return f"{quantity:.6g} {comparison.value} {threshold:g} → met"
    return f"{quantity:.6g}, required {comparison.value} {threshold:g} → not met"
