"""
Aggregation over seeds: per (block, system, metric) the mean, the sample standard deviation
(n − 1 in the denominator) and n over the runs, and the two ways a reviewer is shown them
(:func:`numbers_text`, and the digest :func:`judgment_inputs`). Pure: no I/O.

With n = 1 the standard deviation is ``None`` (undefined, not 0: one seed says nothing about
spread). Non-finite values are counted in ``n_nonfinite`` and left out of the mean.
"""

from __future__ import annotations

import hashlib
import json
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence

import attrs

from bridge.machine.measurements import MetricValue
from bridge.value_methods import value_methods

__all__ = [
    "Aggregate",
    "RunKey",
    "Sample",
    "aggregate",
    "judgment_inputs",
    "measured_text",
    "numbers_text",
    "samples_from_values",
    "spread_text",
]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunKey:
    """
    Where a run belongs: its block and system (from the plan).
    """

    block: str
    system: str


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Sample:
    """
    One run's value of one metric, ready to aggregate.

    Attributes:
        block: the block id.
        system: the system name.
        metric: the metric name as extracted.
        run_id: the run (one seed).
        value: the number, ``None`` when it was NaN or infinite.
        raw: the number as the run wrote it (``"1"``, ``"1.0"``, ``"true"``), ``""`` where not
            known: a count is told from a share by it.
    """

    block: str
    system: str
    metric: str
    run_id: str
    value: float | None
    raw: str = ""


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
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
                raw=value.raw,
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


def judgment_inputs(
    block: str, criterion: str, aggregates: Sequence[Aggregate], notes: Sequence[str] = ()
) -> str:
    """
    The digest of what a reviewer is shown to judge a criterion: the block, the criterion,
    every aggregate (system, metric, mean, std, n, runs) and the lines shown beside them
    (``notes``: the block's sanity runs' numbers). A judgment recorded with another digest was
    made on other numbers and no longer applies. With no notes the digest is the one recorded
    before notes were shown, so those judgments still apply.

    Returns:
        The sha256 hex digest.
    """
    payload = [
        block,
        criterion,
        [
            [a.system, a.metric, a.mean, a.std, a.n, a.n_nonfinite, list(a.run_ids)]
            for a in sorted(aggregates, key=lambda a: (a.system, a.metric))
        ],
    ]
    if notes:
        payload.append(list(notes))
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def measured_text(value: float) -> str:
    """
    A measured value (a run's value, a mean over seeds, a gain) as every place bridge shows one
    writes it: verdict reasons, the results' tables, the tracker, `bridge status`. Six
    significant digits, one rule for all (a mean read 0.646667 in its verdict and 0.6467 in
    the table below it, trial h39E F22); results.json and results.csv keep full precision.
    """
    return f"{value:.6g}"


def spread_text(std: float) -> str:
    """A standard deviation over seeds, written the same way wherever it is shown: 4
    significant digits (``0.179`` in a reason's ``± 0.179`` and in the table's std column)."""
    return f"{std:.4g}"


def numbers_text(aggregates: Sequence[Aggregate]) -> str:
    """
    The aggregates as lines for a reviewer: ``system | metric: mean ± std (n=3; runs R1, R2,
    R3)``, with NaN/Inf counts when there were any.
    """
    lines = []
    for a in sorted(aggregates, key=lambda a: (a.system, a.metric)):
        mean = "no finite values" if a.mean is None else measured_text(a.mean)
        spread = f" ± {spread_text(a.std)}" if a.std is not None else ""
        bad = f"; {a.n_nonfinite} NaN/Inf" if a.n_nonfinite else ""
        lines.append(
            f"{a.system} | {a.metric}: {mean}{spread} (n={a.n}{bad}; runs {', '.join(a.run_ids)})"
        )
    return "\n".join(lines)
