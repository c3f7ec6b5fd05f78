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
"""

from __future__ import annotations

import enum
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence

import attrs

from bridge.errors import ConfigError
from bridge.machine.measurements import MetricValue
from bridge.machine.quality import QualityFinding
from bridge.plan.criteria import (
    BASELINE,
    Comparison,
    Criterion,
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
    "main_result",
    "samples_from_values",
]

SUCCEEDED = "succeeded"
"""The run status (``bridge`` run state value) that counts as a finished, usable run."""

_UNFINISHED = frozenset({"pending", "submitted", "running", "queued"})


class EvaluationType(enum.Enum):
    """
    What the block's numbers are measured against (``bridge.toml``; ``real_gt`` by default).
    """

    REAL_GT = "real_gt"
    SYNTHETIC_PROXY = "synthetic_proxy"
    SELF_SUPERVISED_PROXY = "self_supervised_proxy"
    SIMULATION_ONLY = "simulation_only"
    HUMAN_EVAL = "human_eval"


class VerdictKind(enum.Enum):
    """
    A block's verdict.
    """

    MET = "met"
    NOT_MET = "not_met"
    INCONCLUSIVE = "inconclusive"


class JudgedBy(enum.Enum):
    """
    Who decided: the rules of this module, or a reviewer (a judgment, not a measurement).
    """

    RULE = "rule"
    REVIEWER = "reviewer"


class MainResult(enum.Enum):
    """
    The main milestone's result.
    """

    POSITIVE = "positive"
    NEGATIVE = "negative"
    INCONCLUSIVE = "inconclusive"


_CLAIM_SCOPE: Mapping[EvaluationType, tuple[str, str]] = {
    EvaluationType.REAL_GT: (
        "Measured against ground truth: the results can support claims about the method on the "
        "evaluated data and metrics.",
        "基于真实标注评测：结果可支持关于该方法在所评测数据与指标上的结论。",
    ),
    EvaluationType.SYNTHETIC_PROXY: (
        "Measured on synthetic data or a proxy task: claims are limited to that proxy; "
        "performance on real data is not shown.",
        "基于合成数据或代理任务：结论仅限于该代理设定，不能说明在真实数据上的表现。",
    ),
    EvaluationType.SELF_SUPERVISED_PROXY: (
        "Measured with a self-supervised or model-derived signal, not ground truth: claims are "
        "limited to agreement with that signal.",
        "基于自监督或模型生成的信号而非真实标注：结论仅限于与该信号的一致性。",
    ),
    EvaluationType.SIMULATION_ONLY: (
        "Measured in simulation only: claims hold for the simulator; transfer to the real "
        "system is not shown.",
        "仅基于仿真：结论只在仿真环境中成立，未证明可迁移到真实系统。",
    ),
    EvaluationType.HUMAN_EVAL: (
        "Measured by human evaluation: claims rest on the raters' judgments; the protocol, the "
        "number of raters and their agreement must be reported with them.",
        "基于人工评测：结论依赖评测者的判断，须同时报告评测流程、评测人数与一致性。",
    ),
}


def claim_scope(evaluation_type: EvaluationType, *, language: str = "en") -> str:
    """
    Say what results of this evaluation type allow to be claimed.

    Args:
        evaluation_type: the block's evaluation type.
        language: ``"en"`` or ``"zh"``.

    Returns:
        One sentence for the results file.

    Raises:
        ConfigError: an unknown language (setting ``language``).
    """
    en, zh = _CLAIM_SCOPE[evaluation_type]
    if language == "en":
        return en
    if language == "zh":
        return zh
    msg = f"language must be 'en' or 'zh', not {language!r}"
    raise ConfigError(msg, setting="language")


@attrs.frozen(kw_only=True)
class RunKey:
    """
    Where a run belongs: its block and system (from the plan).
    """

    block: str
    system: str


@attrs.frozen(kw_only=True)
class Sample:
    """
    One run's value of one metric, ready to aggregate.

    Attributes:
        block: the block id.
        system: the system name.
        metric: the metric name as extracted.
        run_id: the run (one seed).
        value: the number, ``None`` when it was NaN or infinite.
    """

    block: str
    system: str
    metric: str
    run_id: str
    value: float | None


@attrs.frozen(kw_only=True)
class Aggregate:
    """
    One (block, system, metric) over its runs.

    Attributes:
        block: the block id.
        system: the system.
        metric: the metric name as extracted.
        mean: mean of the finite values; ``None`` when there are none.
        std: sample standard deviation (n − 1) of the finite values; ``None`` when n < 2.
        n: number of finite values.
        n_nonfinite: number of NaN or infinite values (left out of mean and std).
        run_ids: the runs aggregated, sorted.
    """

    block: str
    system: str
    metric: str
    mean: float | None
    std: float | None
    n: int
    n_nonfinite: int = 0
    run_ids: tuple[str, ...] = ()


def samples_from_values(
    values: Iterable[MetricValue], runs: Mapping[str, RunKey]
) -> tuple[Sample, ...]:
    """
    Turn extracted values into samples, keeping the first value of each (run, metric name).

    Args:
        values: the values of the attempts that count (one attempt per run, the caller's choice).
        runs: run id → its block and system; values of other runs are ignored.

    Returns:
        The samples in input order.
    """
    seen: set[tuple[str, str]] = set()
    out: list[Sample] = []
    for value in values:
        key = runs.get(value.run_id)
        if key is None or (value.run_id, value.name) in seen:
            continue
        seen.add((value.run_id, value.name))
        out.append(
            Sample(
                block=key.block,
                system=key.system,
                metric=value.name,
                run_id=value.run_id,
                value=value.value,
            )
        )
    return tuple(out)


def aggregate(samples: Iterable[Sample]) -> tuple[Aggregate, ...]:
    """
    Aggregate samples per (block, system, metric).

    Args:
        samples: one value per run and metric.

    Returns:
        The aggregates sorted by block, system, metric.
    """
    groups: dict[tuple[str, str, str], list[Sample]] = {}
    for sample in samples:
        groups.setdefault((sample.block, sample.system, sample.metric), []).append(sample)
    out: list[Aggregate] = []
    for (block, system, metric), group in sorted(groups.items()):
        finite = [s.value for s in group if s.value is not None and math.isfinite(s.value)]
        out.append(
            Aggregate(
                block=block,
                system=system,
                metric=metric,
                mean=statistics.fmean(finite) if finite else None,
                std=statistics.stdev(finite) if len(finite) >= 2 else None,
                n=len(finite),
                n_nonfinite=len(group) - len(finite),
                run_ids=tuple(sorted(s.run_id for s in group)),
            )
        )
    return tuple(out)


@attrs.frozen(kw_only=True)
class Verdict:
    """
    A block's verdict on its success criterion.

    Attributes:
        verdict: met, not met or inconclusive.
        reason: why, with the numbers compared (or what is missing).
        evaluation_type: what the numbers were measured against.
        judged_by: the rules, or a reviewer (a judgment).
        criterion: the criterion's text as the plan wrote it.
        measured: the quantity compared with the threshold (the smallest gain for an ablation),
            ``None`` when nothing was compared.
    """

    verdict: VerdictKind
    reason: str
    evaluation_type: EvaluationType = EvaluationType.REAL_GT
    judged_by: JudgedBy = JudgedBy.RULE
    criterion: str = ""
    measured: float | None = None


class _InconclusiveError(Exception):
    """
    Raised inside the judge to stop at the first reason the verdict cannot be given.
    """


def judge_block(
    criterion: Criterion | Unparsed,
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
) -> Verdict:
    """
    Judge one block's criterion on its aggregates.

    Args:
        criterion: the parsed criterion, or :class:`Unparsed` (→ inconclusive, for a reviewer).
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
        outcome = _evaluate(
            criterion,
            aggregates,
            expected_seeds=expected_seeds,
            reference_system=reference_system,
            candidate_system=candidate_system,
            primary_metric=primary_metric,
            ablated_systems=ablated_systems,
            aliases=aliases,
            lower_is_better=lower_is_better,
        )
        return verdict(*outcome)
    except _InconclusiveError as why:
        return verdict(VerdictKind.INCONCLUSIVE, str(why))


def _check_runs(runs_status: Mapping[str, str]) -> None:
    if not runs_status:
        raise _InconclusiveError("the block has no runs")
    unfinished = sorted(r for r, s in runs_status.items() if s in _UNFINISHED)
    failed = sorted(
        f"{r} ({s})" for r, s in runs_status.items() if s != SUCCEEDED and s not in _UNFINISHED
    )
    parts = []
    if failed:
        parts.append(f"runs failed: {', '.join(failed)}")
    if unfinished:
        parts.append(f"runs not finished: {', '.join(unfinished)}")
    if parts:
        raise _InconclusiveError("; ".join(parts))


def _evaluate(
    criterion: Criterion,
    aggregates: Sequence[Aggregate],
    *,
    expected_seeds: int,
    reference_system: str | None,
    candidate_system: str | None,
    primary_metric: str | None,
    ablated_systems: Sequence[str] | None,
    aliases: Mapping[str, Sequence[str]] | None,
    lower_is_better: Mapping[str, bool] | None,
) -> tuple[VerdictKind, str, float | None]:
    metric = criterion.metric or primary_metric
    if metric is None:
        raise _InconclusiveError(
            "the criterion names no metric and the block has no primary metric"
        )
    systems = list(dict.fromkeys(a.system for a in aggregates))
    subject = _subject(criterion, systems, candidate_system, reference_system)
    references: list[str] = []
    if criterion.mode is not Mode.ABSOLUTE:
        if criterion.scope is Scope.EACH_COMPONENT:
            references = list(
                ablated_systems
                if ablated_systems is not None
                else [s for s in systems if s not in (subject, reference_system)]
            )
            if not references:
                raise _InconclusiveError("no ablated variants to compare the full system with")
        else:
            references = [_reference(criterion, reference_system)]
        if subject in references:
            raise _InconclusiveError(f"{subject} would be compared with itself")

    stats = {
        s: _find(aggregates, s, metric, aliases, expected_seeds) for s in [subject, *references]
    }
    name = stats[subject].metric
    scale = 1.0
    scale_note = ""
    if criterion.percent_scale:
        means = [a.mean for a in stats.values() if a.mean is not None]
        if means and all(0.0 <= m <= 1.0 for m in means):
            scale = 100.0
            scale_note = " (values read as fractions, ×100)"
    lower = is_lower_better(name, overrides=lower_is_better)
    threshold = criterion.threshold
    cmp = criterion.comparison

    if criterion.mode is Mode.ABSOLUTE:
        quantity = _mean(stats[subject]) * scale
        ok = _holds(quantity, cmp, threshold)
        reason = (
            f"{name}: {_describe(stats[subject], scale)}{scale_note}; "
            f"{quantity:.6g} {cmp.value} {threshold:g} → {'met' if ok else 'not met'}"
        )
        return (VerdictKind.MET if ok else VerdictKind.NOT_MET, reason, quantity)

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
    return (VerdictKind.MET if ok else VerdictKind.NOT_MET, reason, worst)


def _subject(
    criterion: Criterion,
    systems: Sequence[str],
    candidate_system: str | None,
    reference_system: str | None,
) -> str:
    if criterion.subject:
        return criterion.subject
    if candidate_system:
        return candidate_system
    others = [s for s in systems if s != reference_system]
    if len(others) == 1:
        return others[0]
    raise _InconclusiveError(
        "the criterion names no system and the block's proposed system is not known "
        f"(systems: {', '.join(systems) or 'none'})"
    )


def _reference(criterion: Criterion, reference_system: str | None) -> str:
    if criterion.reference is None:
        raise _InconclusiveError("the criterion compares with nothing")
    if criterion.reference == BASELINE:
        if reference_system is None:
            raise _InconclusiveError("the criterion compares with the baseline; the block has none")
        return reference_system
    return criterion.reference


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


def main_result(verdicts: Iterable[Verdict]) -> MainResult:
    """
    Decide the main milestone's result from its blocks' verdicts.

    Args:
        verdicts: the verdicts of the main milestone's blocks.

    Returns:
        ``NEGATIVE`` when any block's criterion was not met; ``POSITIVE`` when there is at
        least one verdict and all were met; ``INCONCLUSIVE`` otherwise (no verdicts, or some
        inconclusive and none failed).
    """
    kinds = [v.verdict for v in verdicts]
    if VerdictKind.NOT_MET in kinds:
        return MainResult.NEGATIVE
    if kinds and all(k is VerdictKind.MET for k in kinds):
        return MainResult.POSITIVE
    return MainResult.INCONCLUSIVE
