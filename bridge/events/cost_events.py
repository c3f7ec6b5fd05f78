"""
Money and rented machines: instances rented, budget warnings, recorded costs and orphaned
instances (all on the ``bridge`` stream).
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from bridge.events.registry import event, finite
from bridge.events.secrets import redact
from bridge.value_methods import value_methods

__all__ = [
    "BudgetWarned",
    "CostRecorded",
    "InstanceRented",
    "OrphansReported",
]


@event("backend.instance_rented")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class InstanceRented:
    """
    A paid backend rented (or found again) a machine for ``attempt_id``, recorded before
    anything is launched on it: ``cleanup`` is the exact command that stops its billing,
    ``mounts`` what it holds beyond its image (the project's code copy, its disk, volumes).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    backend: str
    instance_id: str
    attempt_id: str
    cleanup: str
    label: str = ""
    image: str = ""
    mounts: tuple[str, ...] = ()


@event("budget.warned")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class BudgetWarned:
    """
    GPU-hours used crossed ``threshold`` (0.8 or 1.0) of the planned budget.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    threshold: float = attrs.field(validator=finite)
    used_gpu_hours: float = attrs.field(validator=finite)
    planned_gpu_hours: float = attrs.field(validator=finite)


@event("cost.recorded")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class CostRecorded:
    """
    A paid backend reported what one rented machine has cost so far (a running total for that
    ``instance``, not an increment). The log's spend is the sum over instances of their latest
    totals, so sessions that each saw only some instances never lose each other's costs.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    backend: str
    dollars: float = attrs.field(validator=finite)
    instance: str = ""
    detail: str = attrs.field(default="", converter=redact)


@event("orphans.reported")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class OrphansReported:
    """
    Rented machines labelled for this project that no live run uses (``bridge gc`` frees them).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    backend: str
    instances: tuple[str, ...] = ()
