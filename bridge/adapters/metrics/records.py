"""
The pieces every metric reader shares: a file read once, and the values and histories made from
it with their provenance (run, attempt, file, sha256, rule).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence

import attrs

from bridge.lazy_patterns import lazy
from bridge.machine.measurements import MetricHistory, MetricValue, to_stored
from bridge.value_methods import value_methods

__all__ = [
    "STEP_COLUMNS",
    "Found",
    "ReadFile",
    "history",
    "marks_time",
    "number",
    "number_as_text",
    "raw_text",
    "step_key",
    "value",
]

STEP_COLUMNS: tuple[str, ...] = (
    "step",
    "steps",
    "global_step",
    "epoch",
    "epochs",
    "iter",
    "iters",
    "iteration",
    "iterations",
    "it",
    "update",
    "updates",
    "round",
)
"""Column (or JSON key) names, compared case-insensitively, that index a history."""

_NONFINITE_STRINGS = frozenset({"nan", "-nan", "inf", "+inf", "-inf", "infinity", "-infinity"})


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ReadFile:
    """
    One output file as read: its path, its path relative to the project root, the sha256 of
    exactly the bytes parsed, and those bytes.
    """

    path: str
    source: str
    sha256: str
    data: bytes = attrs.field(repr=False)


Found = tuple[list[MetricValue], list[MetricHistory]]
"""What one reader found in one file: values and histories, in file order."""


def number(item: object) -> float | None:
    """
    Return the item as a float when it is a metric number, ``None`` otherwise.

    Booleans are 0/1 (a criterion such as "passes" reads them); the strings ``"nan"``,
    ``"inf"`` and their spellings are non-finite numbers; other strings are not numbers.
    """
    if isinstance(item, bool):
        return 1.0 if item else 0.0
    if isinstance(item, float):
        return item
    if isinstance(item, int):
        try:
            return float(item)
        except OverflowError:  # an integer beyond float range: infinite, kept as written
            return math.inf if item > 0 else -math.inf
    if isinstance(item, str) and item.strip().lower() in _NONFINITE_STRINGS:
        return float(item.strip())
    return None


# A decimal number as people write one: no leading zero ("0700" is a file mode, "0042" an id).
_DECIMAL = (
    r"[+-]?(?:\d{1,3}(?:,\d{3})+|0|[1-9]\d*)(?:\.\d*)?(?:[eE][+-]?\d+)?"
    r"|[+-]?\.\d+(?:[eE][+-]?\d+)?"
)
# Only whole numbers: an id, a year or a count written as text is not taken for a metric.
_WHOLE = lazy(r"\s*[+-]?\d+\s*")
_PLAIN_NUMBER = lazy(rf"\s*(?:{_DECIMAL})\s*")
_NUMBER_TEXT = lazy(rf"\s*(?:{_DECIMAL})\s*%?\s*(?:(?:±|\+/-|\+-)\s*(?:{_DECIMAL})\s*%?)?\s*")


def number_as_text(name: str, text: str, *, where: str = "") -> str | None:
    """
    The note for a metric written as text that reads as a number (``"0.93"``, ``"91.2%"``,
    ``"1,234"``, ``"95.3 ± 0.2"``), or None for other text (a whole number alone, ``"42"`` or
    ``"0700"``, is more often an id, a year or a mode than a metric). Such a value is not read (a
    percent sign, a thousands separator or a ± says what the writer meant only to a person):
    the note says so, and how to read it without running again.

    Args:
        name: the metric's name as it would have been read.
        text: the text as written.
        where: how a rule finds it (a JMESPath expression for JSON), for the remedy.
    """
    if not _NUMBER_TEXT.fullmatch(text) or _WHOLE.fullmatch(text):
        return None
    shown = text.strip()[:40]
    if _PLAIN_NUMBER.fullmatch(text) and "," not in text and where:
        remedy = f"write numbers, or read it with a [[metrics.extract]] query 'to_number({where})'"
    else:
        remedy = "write numbers, or read it with a [[metrics.regex]] rule"
    return f"{name} is the text {shown!r}, not a number; not read ({remedy})"


def raw_text(item: object) -> str:
    """
    The number as it was written (``NaN``/``Infinity`` for non-finite JSON tokens).
    """
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, float):
        if not math.isfinite(item):
            return "NaN" if math.isnan(item) else ("Infinity" if item > 0 else "-Infinity")
        return repr(item)  # what json.dumps writes for a float, without its overhead
    if isinstance(item, int):
        return str(item)
    return item.strip() if isinstance(item, str) else json.dumps(item)


def value(
    ids: Mapping[str, str], file: ReadFile, name: str, amount: float, raw: str, rule: str
) -> MetricValue:
    """
    A :class:`MetricValue` of ``file`` for the run and attempt in ``ids``.
    """
    return MetricValue(
        run_id=ids["run_id"],
        attempt_id=ids["attempt_id"],
        name=name,
        value=to_stored(amount),
        raw=raw,
        source=file.source,
        sha256=file.sha256,
        rule=rule,
    )


def history(
    ids: Mapping[str, str],
    file: ReadFile,
    name: str,
    points: Sequence[tuple[float, float, str]],
    rule: str,
) -> MetricHistory:
    """
    A :class:`MetricHistory` of ``file`` from ``(step, number, raw)`` points.
    """
    return MetricHistory.of_points(
        points,
        run_id=ids["run_id"],
        attempt_id=ids["attempt_id"],
        name=name,
        source=file.source,
        sha256=file.sha256,
        rule=rule,
    )


# A time column ("time", "timestamp", "wall_time", "date", cells "2026-01-01T00:00") marks a log's
# rows, not conditions: its rows are read as a log's, the last one standing for the run.
_TIME_COLUMN = lazy(r"time|date|^ts$|^t$", re.IGNORECASE)
_TIMESTAMP = lazy(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}")


def marks_time(name: str, cells: Sequence[str]) -> bool:
    """
    ``True`` when a column (or field) named ``name`` holding ``cells`` says when each row was
    logged (its name says time or date, or a cell is a date or a clock time): it names no
    condition, so it is no label of the rows (CSV) or lines (JSON Lines).
    """
    return bool(_TIME_COLUMN.search(name)) or any(_TIMESTAMP.match(c.strip()) for c in cells)


def step_key(keys: Sequence[str]) -> str | None:
    """
    The first of ``keys`` that names a step (:data:`STEP_COLUMNS`), or ``None``.
    """
    lowered = {k.lower(): k for k in keys}
    return next((lowered[s] for s in STEP_COLUMNS if s in lowered), None)
