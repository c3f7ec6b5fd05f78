"""
Measurements: metric values and histories read from a run's output files, with provenance.

Every number bridge reports traces to a file: the run and attempt that wrote it, the file's path
relative to the project root, the file's sha256 at extraction time, and the rule that read it.

Non-finite numbers (NaN, ±Inf) are kept, never dropped, because the training-quality check must
see them; but the event codec writes canonical JSON without NaN. So a non-finite value is stored
as ``value=None`` with the text as written in ``raw`` (``"NaN"``, ``"inf"``); ``finite`` tells the
two apart and :meth:`MetricValue.as_float` gives the IEEE value back in memory.

Extraction rules (``rule``) have a fixed grammar so a reader can redo the extraction by hand:

- ``json:KEY.PATH`` a number at that dotted path; ``json:KEY.PATH[-1]`` the last element of a
  list of numbers; ``json:KEY.PATH[*].NAME`` a column of a list of objects (a history);
- ``csv:last_row:COLUMN`` the value in the final row; ``csv:last_value:COLUMN`` the last
  non-empty cell when the final row leaves it empty; ``csv:column:COLUMN`` a history;
- ``regex:PATTERN`` the last match (value) or all matches (history).
"""

from __future__ import annotations

import math

import attrs

__all__ = ["MetricHistory", "MetricValue", "to_stored"]


def to_stored(number: float) -> float | None:
    """
    Return the number when it is finite, ``None`` when it is NaN or infinite.

    Args:
        number: any float.

    Returns:
        The value to store in a :class:`MetricValue` or :class:`MetricHistory`.
    """
    return number if math.isfinite(number) else None


@attrs.frozen(kw_only=True)
class MetricValue:
    """
    One metric value of one attempt, with where it came from.

    Attributes:
        run_id: the plan's run id.
        attempt_id: the attempt whose outputs held it.
        name: the metric name as extracted (dotted for nested JSON: ``eval.accuracy``).
        value: the number, or ``None`` when it was NaN or infinite (see ``raw``).
        raw: the number as written in the file (``"0.912"``, ``"NaN"``).
        source: the file, relative to the project root, POSIX separators.
        sha256: hex digest of the file's bytes at extraction.
        rule: how the value was read (module docstring gives the grammar).
    """

    run_id: str
    attempt_id: str
    name: str
    value: float | None
    raw: str
    source: str
    sha256: str
    rule: str

    @property
    def finite(self) -> bool:
        """
        ``True`` when the value is a finite number.
        """
        return self.value is not None

    def as_float(self) -> float:
        """
        Return the value as a float, NaN or ±Inf included (parsed back from ``raw``).

        Returns:
            The IEEE value; ``nan`` when ``raw`` is not a readable number.
        """
        if self.value is not None:
            return self.value
        try:
            return float(self.raw)
        except ValueError:
            return math.nan


@attrs.frozen(kw_only=True)
class MetricHistory:
    """
    A metric over training steps (a CSV column, a JSON list, every match of a log regex).

    Attributes:
        run_id: the plan's run id.
        attempt_id: the attempt whose outputs held it.
        name: the metric name.
        steps: the step (or epoch, iteration, index) of each point, ascending as written.
        values: one entry per step; ``None`` where the number was NaN or infinite.
        nonfinite: ``(index, raw text)`` for every ``None`` in ``values``.
        source: the file, relative to the project root.
        sha256: hex digest of the file's bytes at extraction.
        rule: how the history was read.
    """

    run_id: str
    attempt_id: str
    name: str
    steps: tuple[float, ...]
    values: tuple[float | None, ...]
    nonfinite: tuple[tuple[int, str], ...] = ()
    source: str
    sha256: str
    rule: str

    def __attrs_post_init__(self) -> None:
        """
        Check that steps and values line up.
        """
        if len(self.steps) != len(self.values):
            msg = f"history {self.name!r}: {len(self.steps)} steps but {len(self.values)} values"
            raise ValueError(msg)
