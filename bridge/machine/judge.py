"""
Aggregation over seeds and judging each block's success criterion. Pure: no I/O.

- :func:`samples_from_values` + :func:`aggregate`: per (block, system, metric) the mean, the
  sample standard deviation (n − 1 in the denominator) and n over the runs (seeds). With n = 1
  the standard deviation is ``None`` (undefined, not 0: one seed says nothing about spread).
  Non-finite values are counted in ``n_nonfinite`` and left out of the mean; a criterion on such
  an aggregate is inconclusive.
- :func:`judge_block`: one verdict per block, ``met`` / ``not_met`` / ``inconclusive`` with the
  reason. It is inconclusive when the criterion is not machine-checkable (a reviewer may judge
  it; such a verdict is marked ``judged_by=reviewer``), when runs failed or are unfinished, when
  a seed is missing, when the metric is not found, or when training-quality findings make the
  numbers untrustworthy. Gains are direction-aware: for a lower-is-better metric (loss,
  perplexity, error ...) "improves" means "goes down".
- :func:`main_result`: the milestone's result from its blocks' verdicts.
- :func:`claim_scope`: what an evaluation type allows the paper to claim.

The aggregation lives in :mod:`bridge.machine.aggregation`, the verdict types in
:mod:`bridge.machine.verdicts`; this module holds the rules that judge a criterion and
re-exports both, so ``bridge.machine.judge`` keeps every name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import assert_never

import attrs

from bridge.errors import ConfigError
from bridge.machine.aggregation import (
    Aggregate,
    RunKey,
    Sample,
    aggregate,
    judgment_inputs,
    numbers_text,
    samples_from_values,
)
from bridge.machine.quality import QualityFinding
from bridge.machine.verdicts import (
    EvaluationType,
    JudgedBy,
    MainResult,
    Verdict,
    VerdictKind,
    claim_scope,
    main_result,
)
from bridge.plan.criteria import (
    BASELINE,
    Comparison,
    Compound,
    Criterion,
    DerivedOp,
    Mode,
    Orientation,
    Scope,
    Unparsed,
)
from bridge.plan.metric_names import is_lower_better, match_metric

__all__ = [
    "SUCCEEDED",
    "Aggregate",
    "EvaluationType",
    "JudgedBy",
    "MainResult",
    "RunKey",
    "Sample",
    "Verdict",
    "VerdictKind",
    "aggregate",
    "claim_scope",
    "judge_block",
    "judgment_inputs",
    "main_result",
    "numbers_text",
    "samples_from_values",
]

SUCCEEDED = "succeeded"
"""The run status (``bridge`` run state value) that counts as a finished, usable run."""

_UNFINISHED = frozenset({"pending", "submitted", "running", "queued"})
_NOT_RUN_BY_BRIDGE = frozenset({"done_before_bridge", "out_of_scope"})


class _InconclusiveError(Exception):
    """
    Raised inside the judge to stop at the first reason the verdict cannot be given.
    """


def judge_block(
    criterion: Criterion | Unparsed | Compound,
    aggregates: Sequence[Aggregate],
    *,
    runs_status: Mapping[str, str],
    expected_seeds: int,
    reference_system: str | None,
    candidate_system: str | None = None,
    primary_metric: str | None = None,
    ablated_systems: Sequence[str] | None = None,
    evaluation_type: EvaluationType = EvaluationType.REAL_GT,
    aliases: Mapping[str, Sequence[str]] | None = None,
    lower_is_better: Mapping[str, bool] | None = None,
    findings: Sequence[QualityFinding] = (),
    candidate_evidence: str = "",
) -> Verdict:
    """
    Judge one block's criterion on its aggregates.

    The subject is the system the criterion names, else the block's proposed system
    (``candidate_system``), else the one system left once the reference is removed; "the
    baseline" is ``reference_system``, else the one system left once the subject is removed.
    Every such reading, and every interpretation the parser made, is written into the reason.
    A :class:`Compound` is judged clause by clause: ``met`` when every clause is met,
    ``not_met`` as soon as one checkable clause is not met, otherwise ``inconclusive`` naming
    each open clause and why it is open.

    Args:
        criterion: the parsed criterion, several clauses, or :class:`Unparsed` (→
            inconclusive, for a reviewer).
        aggregates: the block's aggregates (every system and metric of this one block).
        runs_status: every run of the block → its run state value (``"succeeded"``,
            ``"failed"``, ``"failed_oom"``, ``"timed_out"``, ``"lost"``, ``"cancelled"``,
            ``"stuck"``, ``"pending"``, ``"submitted"``, ``"running"``). Anything but
            ``"succeeded"`` makes the verdict inconclusive.
        expected_seeds: how many runs (seeds) each system should have.
        reference_system: the block's baseline, which :data:`BASELINE` in a criterion means.
        candidate_system: the block's proposed system (the full model in an ablation), used
            when the criterion names no subject.
        primary_metric: the metric used when the criterion names none.
        ablated_systems: the variants an ``each component`` criterion compares against; by
            default every other system of the block except ``reference_system``.
        evaluation_type: recorded in the verdict.
        aliases: plan metric name → extracted names.
        lower_is_better: metric name → direction, overriding the built-in list.
        findings: quality findings of the block's runs; a blocking one makes it inconclusive.
        candidate_evidence: why ``candidate_system`` is the proposed system (for the reason).

    Returns:
        The verdict; the reason always says what was compared or what is missing.
    """
    text = criterion.text

    def verdict(kind: VerdictKind, reason: str, measured: float | None = None) -> Verdict:
        return Verdict(
            verdict=kind,
            reason=reason,
            evaluation_type=evaluation_type,
            criterion=text,
            measured=measured,
        )

    if isinstance(criterion, Unparsed):
        return verdict(
            VerdictKind.INCONCLUSIVE, f"criterion not machine-checkable: {criterion.reason}"
        )
    try:
        _check_runs(runs_status)
        blocking = [f for f in findings if f.blocking]
        if blocking:
            # The same problem read from two sources (history.csv and a log regex) is one problem.
            listed = "; ".join(
                dict.fromkeys(f"{f.run_id} {f.metric}: {f.kind.value}" for f in blocking)
            )
            raise _InconclusiveError(f"training-quality problems: {listed}")
        context = _Context(
            aggregates=aggregates,
            expected_seeds=expected_seeds,
            reference_system=reference_system,
            candidate_system=candidate_system,
            candidate_evidence=candidate_evidence,
            primary_metric=primary_metric,
            ablated_systems=ablated_systems,
            aliases=aliases,
            lower_is_better=lower_is_better,
        )
        if isinstance(criterion, Compound):
            return verdict(*_evaluate_clauses(criterion, context))
        return verdict(*_evaluate(criterion, context))
    except _InconclusiveError as why:
        return verdict(VerdictKind.INCONCLUSIVE, str(why))


def _check_runs(runs_status: Mapping[str, str]) -> None:
    if not runs_status:
        raise _InconclusiveError("the block has no runs")
    unfinished = sorted(r for r, s in runs_status.items() if s in _UNFINISHED)
    elsewhere = sorted(r for r, s in runs_status.items() if s in _NOT_RUN_BY_BRIDGE)
    failed = sorted(
        f"{r} ({s})"
        for r, s in runs_status.items()
        if s != SUCCEEDED and s not in _UNFINISHED and s not in _NOT_RUN_BY_BRIDGE
    )
    parts = []
    if failed:
        parts.append(f"runs failed: {', '.join(failed)}")
    if elsewhere:
        # The tracker says these ran before bridge (or are out of its scope): their numbers
        # are not in the log, so they cannot be judged, but they did not fail.
        parts.append(f"runs not run by bridge, no numbers in the log: {', '.join(elsewhere)}")
    if unfinished:
        parts.append(f"runs not finished: {', '.join(unfinished)}")
    if parts:
        raise _InconclusiveError("; ".join(parts))


@attrs.frozen(kw_only=True)
class _Context:
    """
    What judging one clause needs besides the clause (see :func:`judge_block`'s arguments).
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


_CLAUSE_LABEL = {
    VerdictKind.MET: "met",
    VerdictKind.NOT_MET: "not met",
    VerdictKind.INCONCLUSIVE: "open",
}


def _evaluate_clauses(
    compound: Compound, context: _Context
) -> tuple[VerdictKind, str, float | None]:
    results: list[tuple[VerdictKind, str, float | None]] = []
    for clause in compound.clauses:
        if isinstance(clause, Unparsed):
            results.append(
                (VerdictKind.INCONCLUSIVE, f"not machine-checkable: {clause.reason}", None)
            )
            continue
        try:
            results.append(_evaluate(clause, context))
        except _InconclusiveError as why:
            results.append((VerdictKind.INCONCLUSIVE, str(why), None))
    kinds = [kind for kind, _, _ in results]
    total = len(results)
    failed = [i for i, k in enumerate(kinds) if k is VerdictKind.NOT_MET]
    opened = [i for i, k in enumerate(kinds) if k is VerdictKind.INCONCLUSIVE]
    if failed:
        overall = VerdictKind.NOT_MET
        head = f"clause {failed[0] + 1} of {total} not met"
    elif opened:
        overall = VerdictKind.INCONCLUSIVE
        head = f"{len(opened)} of {total} clauses open ({', '.join(str(i + 1) for i in opened)})"
    else:
        overall = VerdictKind.MET
        head = f"all {total} clauses met"
    parts = [
        f"[{i + 1}] {_CLAUSE_LABEL[kind]}: «{clause.text}» — {why}"
        for i, (clause, (kind, why, _)) in enumerate(zip(compound.clauses, results, strict=True))
    ]
    if compound.notes:
        parts.append("read as: " + "; ".join(compound.notes))
    measured = results[failed[0]][2] if failed else None
    return overall, f"{head}. " + " | ".join(parts), measured


def _evaluate(criterion: Criterion, context: _Context) -> tuple[VerdictKind, str, float | None]:
    metric = criterion.metric or context.primary_metric
    if metric is None:
        raise _InconclusiveError(
            "the criterion names no metric and the block has no primary metric"
        )
    aggregates = context.aggregates
    systems = list(dict.fromkeys(a.system for a in aggregates))
    readings: list[str] = list(criterion.notes)
    references: list[str] = []
    single_reference: str | None = None
    if criterion.mode is not Mode.ABSOLUTE and criterion.scope is Scope.SINGLE:
        single_reference = _reference(criterion, context, systems, readings)
    subject = _subject(criterion, context, systems, single_reference, readings)
    if criterion.mode is not Mode.ABSOLUTE:
        if criterion.scope is Scope.EACH_COMPONENT:
            references = list(
                context.ablated_systems
                if context.ablated_systems is not None
                else [s for s in systems if s not in (subject, context.reference_system)]
            )
            if not references:
                raise _InconclusiveError("no ablated variants to compare the full system with")
        else:
            assert single_reference is not None
            references = [single_reference]
        if subject in references:
            raise _InconclusiveError(f"{subject} would be compared with itself")
    interpretation = f" (read as: {'; '.join(readings)})" if readings else ""

    if criterion.derived is not None:
        kind, reason, value = _derived(criterion, context, subject)
        return kind, reason + interpretation, value

    stats = {
        s: _find(aggregates, s, metric, context.aliases, context.expected_seeds)
        for s in [subject, *references]
    }
    name = stats[subject].metric
    scale = 1.0
    scale_note = ""
    if criterion.percent_scale:
        means = [a.mean for a in stats.values() if a.mean is not None]
        if means and all(0.0 <= m <= 1.0 for m in means):
            scale = 100.0
            scale_note = " (values read as fractions, ×100)"
    lower = is_lower_better(name, overrides=context.lower_is_better)
    threshold = criterion.threshold
    cmp = criterion.comparison

    if criterion.mode is Mode.ABSOLUTE:
        quantity = _mean(stats[subject]) * scale
        ok = _holds(quantity, cmp, threshold)
        reason = (
            f"{name}: {subject} {_describe(stats[subject], scale)}{scale_note}; "
            f"{quantity:.6g} {cmp.value} {threshold:g} → {'met' if ok else 'not met'}"
        )
        return (VerdictKind.MET if ok else VerdictKind.NOT_MET, reason + interpretation, quantity)

    gains: list[tuple[str, float]] = []
    for ref in references:
        gains.append((ref, _gain(criterion, stats[subject], stats[ref], lower, scale)))
    unit = "%" if criterion.mode is Mode.RELATIVE else (" pp" if criterion.percent_scale else "")
    way = (
        "lower is better"
        if (criterion.orientation is Orientation.BETTER and lower)
        else (criterion.orientation.value if criterion.orientation else "better")
    )
    parts = [
        f"vs {ref} {_describe(stats[ref], scale)}: gain {gain:+.6g}{unit}" for ref, gain in gains
    ]
    results = [_holds(g, cmp, threshold) for _, g in gains]
    ok = all(results)
    worst = min(g for _, g in gains)
    reason = (
        f"{name} ({way}){scale_note}: {subject} {_describe(stats[subject], scale)}; "
        + "; ".join(parts)
        + f"; required gain {cmp.value} {threshold:g}{unit}"
        + (" for each" if len(gains) > 1 else "")
        + f" → {'met' if ok else 'not met'}"
    )
    return (VerdictKind.MET if ok else VerdictKind.NOT_MET, reason + interpretation, worst)


def _derived(
    criterion: Criterion, context: _Context, subject: str
) -> tuple[VerdictKind, str, float]:
    """
    Compute a difference, ratio or share of two recorded metrics of the subject (each the mean
    over its seeds) and compare it with the threshold; the reason shows both inputs.
    """
    derived = criterion.derived
    assert derived is not None
    left = _find(context.aggregates, subject, derived.left, context.aliases, context.expected_seeds)
    right = _find(
        context.aggregates, subject, derived.right, context.aliases, context.expected_seeds
    )
    a, b = _mean(left), _mean(right)
    scale = 1.0
    match derived.op:
        case DerivedOp.DIFFERENCE:
            value = a - b
            symbol = "−"
            if criterion.percent_scale and 0.0 <= a <= 1.0 and 0.0 <= b <= 1.0:
                scale = 100.0
        case DerivedOp.RATIO | DerivedOp.SHARE:
            if b == 0.0:
                raise _InconclusiveError(
                    f"{subject} {right.metric} is 0: {derived.describe()} is undefined"
                )
            value = a / b
            symbol = "/"
            if criterion.percent_scale and 0.0 <= value <= 1.0:
                scale = 100.0
        case _ as unreachable:
            assert_never(unreachable)
    quantity = value * scale
    ok = _holds(quantity, criterion.comparison, criterion.threshold)
    scaled = " ×100" if scale != 1.0 else ""
    reason = (
        f"{derived.describe()} for {subject}: {left.metric} {_describe(left, 1.0)} {symbol} "
        f"{right.metric} {_describe(right, 1.0)} = {quantity:.6g}{scaled} (means over seeds); "
        f"{quantity:.6g} {criterion.comparison.value} {criterion.threshold:g} → "
        f"{'met' if ok else 'not met'}"
    )
    return (VerdictKind.MET if ok else VerdictKind.NOT_MET, reason, quantity)


def _subject(
    criterion: Criterion,
    context: _Context,
    systems: Sequence[str],
    reference: str | None,
    readings: list[str],
) -> str:
    if criterion.subject:
        return criterion.subject
    if context.candidate_system and context.candidate_system != reference:
        why = context.candidate_evidence or "the block's proposed system"
        readings.append(f"subject {context.candidate_system}: {why}")
        return context.candidate_system
    # The criterion's own reference is not its subject: with two systems and one named, the
    # other is meant.
    others = [s for s in systems if s not in (context.reference_system, reference)]
    if len(others) == 1:
        readings.append(f"subject {others[0]}: the only system besides the reference")
        return others[0]
    raise _InconclusiveError(
        "the criterion names no system and the block's proposed system is not known "
        f"(systems: {', '.join(systems) or 'none'})"
    )


def _reference(
    criterion: Criterion, context: _Context, systems: Sequence[str], readings: list[str]
) -> str:
    if criterion.reference is None:
        raise _InconclusiveError("the criterion compares with nothing")
    if criterion.reference != BASELINE:
        return criterion.reference
    if context.reference_system is not None:
        return context.reference_system
    # No system is marked as the baseline: with the subject known, the one other system is the
    # comparison.
    subject = criterion.subject or context.candidate_system
    others = [s for s in systems if s != subject]
    if subject is not None and len(others) == 1:
        readings.append(f"'the baseline' read as {others[0]}, the block's other system")
        return others[0]
    raise _InconclusiveError("the criterion compares with the baseline; the block has none")


def _find(
    aggregates: Sequence[Aggregate],
    system: str,
    metric: str,
    aliases: Mapping[str, Sequence[str]] | None,
    expected_seeds: int,
) -> Aggregate:
    own = [a for a in aggregates if a.system == system]
    if not own:
        raise _InconclusiveError(f"no results for system {system}")
    try:
        name = match_metric(metric, [a.metric for a in own], aliases)
    except ConfigError as exc:
        raise _InconclusiveError(f"metric ambiguous for {system}: {exc}") from exc
    if name is None:
        listed = ", ".join(sorted(a.metric for a in own))
        raise _InconclusiveError(f"metric {metric!r} not found for {system} (extracted: {listed})")
    found = next(a for a in own if a.metric == name)
    if found.n_nonfinite:
        raise _InconclusiveError(
            f"{system} {name}: {found.n_nonfinite} non-finite value(s) (NaN/Inf) among its runs"
        )
    if found.n < expected_seeds:
        raise _InconclusiveError(
            f"missing seeds: {system} {name} has {found.n} of {expected_seeds} expected"
        )
    return found


def _mean(agg: Aggregate) -> float:
    if agg.mean is None:
        raise _InconclusiveError(f"{agg.system} {agg.metric}: no values")
    return agg.mean


def _describe(agg: Aggregate, scale: float) -> str:
    mean = _mean(agg) * scale
    spread = f" ± {agg.std * scale:.4g}" if agg.std is not None else ""
    return f"{mean:.6g}{spread} (n={agg.n})"


def _gain(
    criterion: Criterion, subject: Aggregate, reference: Aggregate, lower: bool, scale: float
) -> float:
    orientation = criterion.orientation or Orientation.BETTER
    if orientation is Orientation.BETTER:
        orientation = Orientation.LOWER if lower else Orientation.HIGHER
    sign = 1.0 if orientation is Orientation.HIGHER else -1.0
    diff = sign * (_mean(subject) - _mean(reference))
    if criterion.mode is Mode.RELATIVE:
        base = _mean(reference)
        if base == 0.0:
            raise _InconclusiveError(
                f"{reference.system} {reference.metric} is 0: a relative change is undefined"
            )
        return diff / abs(base) * 100.0
    return diff * scale


def _holds(quantity: float, comparison: Comparison, threshold: float) -> bool:
    if comparison is Comparison.GT:
        return quantity > threshold
    if comparison is Comparison.GE:
        return quantity >= threshold
    if comparison is Comparison.LT:
        return quantity < threshold
    if comparison is Comparison.LE:
        return quantity <= threshold
    return math.isclose(quantity, threshold, rel_tol=1e-9, abs_tol=1e-12)
