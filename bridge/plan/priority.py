"""
How much a run matters to the plan: ``must`` (counted in the must-run totals, its failure holds
the milestone) or ``nice`` (run when there is room, reported apart).

The plan's own vocabulary has a third word, ``cut``, for blocks left out of the plan; a cut block
yields no runs, so ``cut`` never reaches a run and is not a :class:`Priority`.
"""

from __future__ import annotations

import enum

__all__ = ["Priority", "as_priority"]


class Priority(enum.StrEnum):
    """
    A run's priority, stored in the log as the bare word (a ``StrEnum``).
    """

    MUST = "must"
    NICE = "nice"


def as_priority(value: str | Priority) -> Priority:
    """
    The attrs converter for priority fields: logs and callers written before the enum pass the
    bare word, which becomes the member.

    Raises:
        ValueError: when ``value`` is neither ``must`` nor ``nice``.
    """
    return Priority(value)
