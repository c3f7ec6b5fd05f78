"""
Public test doubles for embedders and backend authors: real implementations with scripted
behaviour, never mocks (``FakeBackend``, ``FakeOutcome``, ``FixedClock``).
"""

from __future__ import annotations

from bridge.events.clock import Clock
from bridge.testing.doubles import FakeBackend, FakeOutcome, FixedClock

__all__ = ["Clock", "FakeBackend", "FakeOutcome", "FixedClock"]
