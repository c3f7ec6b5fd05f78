"""
Measurements: metric values and histories with provenance.

The value types live in :mod:`bridge.events.measurements` (events carry them); this module
re-exports them for the machine layer's checks and judge. See that module for the rule grammar.
"""

from __future__ import annotations

from bridge.events.measurements import (
    HistorySummary,
    MetricHistory,
    MetricValue,
    QualityFlag,
    UnreadOutput,
    summarise_history,
    to_stored,
)

__all__ = [
    "HistorySummary",
    "MetricHistory",
    "MetricValue",
    "QualityFlag",
    "UnreadOutput",
    "summarise_history",
    "to_stored",
]
