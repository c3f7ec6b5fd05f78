"""
What Vast.ai instances cost: the estimate shown at the approval checkpoint, the dollars each
instance used so far, and the instances ``bridge gc`` finds unused.
"""

from __future__ import annotations

import attrs

from bridge.adapters.backends.vast.client import InstanceRow

__all__ = ["CostEstimate", "InstanceCost", "Orphan", "hours_since_start"]


@attrs.frozen(kw_only=True)
class CostEstimate:
    """
    What a deployment is expected to cost, shown at the approval checkpoint.

    Attributes:
        dph: dollars per hour of one instance (the offer that would be rented, or the reused one).
        instances: how many instances at most.
        hours: the estimated hours (from the plan).
        dollars: ``dph × instances × hours``.
        offer: ``"offer 123 (2x RTX_4090)"`` or ``"instance 456"``.
        over_budget: the estimate exceeds ``max_total_cost``.
    """

    dph: float
    instances: int
    hours: float
    dollars: float
    offer: str
    over_budget: bool = False


@attrs.frozen(kw_only=True)
class InstanceCost:
    """
    One instance this backend used, with its accumulated cost (``dph × hours since start``).

    ``state`` is ``active``, ``destroyed``, ``kept`` (with the reason in ``note``) or ``gone``.
    """

    instance_id: int
    host: str
    label: str
    endpoint: str
    dph: float
    hours: float
    dollars: float
    state: str
    note: str = ""


@attrs.frozen(kw_only=True)
class Orphan:
    """
    An instance carrying this project's label that the log does not show as active.
    """

    instance_id: int
    label: str
    status: str
    dph: float
    hours: float
    dollars: float

    @classmethod
    def of(cls, row: InstanceRow, now: float) -> Orphan:
        """
        Describe ``row`` as an orphan, its cost counted from its start until ``now``.
        """
        hours = hours_since_start(row, now)
        return cls(
            instance_id=row.id,
            label=row.label,
            status=row.status or "unknown",
            dph=row.dph,
            hours=round(hours, 4),
            dollars=round(hours * row.dph, 4),
        )


def hours_since_start(row: InstanceRow, end: float) -> float:
    """
    Return the hours from the instance's start until ``end`` (epoch seconds); 0 when Vast gave
    no start date.
    """
    return max(end - row.start_date, 0.0) / 3600.0 if row.start_date else 0.0
