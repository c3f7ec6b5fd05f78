"""
A criterion judged on one run per system and metric, without a project: the judge as the
results call it, for the criteria tests that check what a reading judges.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bridge.machine.judge import Aggregate, Verdict, judge_block
from bridge.plan.criteria import Compound, Criterion, Unparsed


def judged(
    parsed: Criterion | Unparsed | Compound,
    values: Mapping[tuple[str, str], float],
    *,
    reference: str,
    candidate: str,
    systems: Sequence[str],
    primary: str | None = "accuracy",
    lower_is_better: Mapping[str, bool] | None = None,
) -> Verdict:
    """
    ``parsed`` judged on one succeeded run per ``(system, metric)`` of ``values`` (its mean),
    with ``reference`` the block's reference system, ``candidate`` its proposed one, ``systems``
    the block's planned systems, ``primary`` its primary metric and ``lower_is_better`` the
    directions bridge.toml sets (``[metrics] higher_is_better``, inverted).
    """
    aggregates = [
        Aggregate(block="B", system=s, metric=m, mean=v, std=None, n=1, run_ids=(f"{s}-r",))
        for (s, m), v in values.items()
    ]
    return judge_block(
        parsed,
        aggregates,
        runs_status={a.run_ids[0]: "succeeded" for a in aggregates},
        expected_seeds=1,
        reference_system=reference,
        candidate_system=candidate,
        primary_metric=primary,
        planned_systems=tuple(systems),
        lower_is_better=lower_is_better,
    )
