"""
The one notion of a clock: a function that returns the current time as an aware UTC datetime.

Everything that reads the time takes a :data:`Clock` (the event store for ``recorded_at``, the
pipeline for its decisions, :class:`bridge.testing.FakeBackend` for timeouts), so one clock,
:func:`utc_now` or a :class:`bridge.testing.FixedClock`, can drive them all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeAlias

__all__ = ["Clock", "utc_now"]

#: Returns the current time, timezone-aware, in UTC.
Clock: TypeAlias = Callable[[], datetime]


def utc_now() -> datetime:
    """
    Return the current time as an aware UTC datetime (the default clock).
    """
    return datetime.now(UTC)
