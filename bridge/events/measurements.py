"""
Measurements: metric values and histories read from a run's output files, with provenance.

They live in ``events`` so the ``MetricsRecorded`` event can carry them;
:mod:`bridge.machine.measurements` re-exports them for the checks and the judge.

Every number bridge reports traces to a file, or to a W&B answer: the run and attempt that wrote
it, the file's path relative to the project root (or ``wandb:ENTITY/PROJECT/RUN``), the sha256 of
the file (or of the canonical JSON of the answer's ``data``) at extraction time, and the rule that
read it.

Non-finite numbers (NaN, ±Inf) are kept, never dropped, because the training-quality check must
see them; but the event codec writes canonical JSON without NaN. So a non-finite value is stored
as ``value=None`` with the text as written in ``raw`` (``"NaN"``, ``"inf"``); ``finite`` tells the
two apart and :meth:`MetricValue.as_float` gives the IEEE value back in memory.

Extraction rules (``rule``) have a fixed grammar so a reader can redo the extraction by hand:

- ``json:EXPR`` where ``EXPR`` is a JMESPath expression that finds the number again:
  ``json:KEY.PATH`` a number at that dotted path; ``json:KEY.PATH[-1]`` the last element of a
  list of numbers; ``json:KEY.PATH[*].NAME`` a column of a list of records (a history), and
  ``json:KEY.PATH[*].NAME | [-1]`` its last point;
  ``json:KEY[?LABEL=='X'] | [0].NAME`` a named condition (value name ``NAME[X]``);
- ``jmespath:QUERY`` the answer of a ``[[metrics.extract]]`` query (``jmespath:QUERY | FIELD``
  for a field of an object answer);
- ``csv:last_row:COLUMN`` the value in the final row; ``csv:last_value:COLUMN`` the last
  non-empty cell when the final row leaves it empty; ``csv:column:COLUMN`` a history;
- ``regex:PATTERN`` the last match (value) or all matches (history);
- ``wandb:summary:KEY`` a number in a W&B run's summary; ``wandb:history:KEY`` a W&B history
  (steps from ``_step``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs

from bridge.plan.finite import finite
from bridge.value_methods import value_methods

__all__ = [
    "NO_FILE_MATCHED",
    "NO_NUMBER_IN_FILE",
    "HistorySummary",
    "MetricHistory",
    "MetricValue",
    "QualityFlag",
    "UnreadOutput",
    "summarise_history",
    "to_stored",
]


def to_stored(number: float) -> float | None:
    """
    Return the number when it is finite, ``None`` when it is NaN or infinite.

    Args:
        number: any float.

    Returns:
        The value to store in a :class:`MetricValue` or :class:`MetricHistory`.
    """
    return number if math.isfinite(number) else None


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
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

    Raises:
        ValueError: ``value`` is NaN or infinite (store ``None`` and the text in ``raw``).
    """

    run_id: str
    attempt_id: str
    name: str
    value: float | None = attrs.field(validator=finite)
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


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
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

    @classmethod
    def of_points(
        cls,
        points: Sequence[tuple[float, float, str]],
        *,
        run_id: str,
        attempt_id: str,
        name: str,
        source: str,
        sha256: str,
        rule: str,
    ) -> MetricHistory:
        """
        Build a history from ``(step, number, raw text)`` points: a non-finite number is stored
        as ``None`` with its index and raw text in ``nonfinite``.
        """
        return cls(
            run_id=run_id,
            attempt_id=attempt_id,
            name=name,
            steps=tuple(step for step, _, _ in points),
            values=tuple(to_stored(number) for _, number, _ in points),
            nonfinite=tuple(
                (i, raw) for i, (_, number, raw) in enumerate(points) if not math.isfinite(number)
            ),
            source=source,
            sha256=sha256,
            rule=rule,
        )


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class HistorySummary:
    """
    A bounded record of one :class:`MetricHistory`, as the log keeps it.

    The full series stays in the file (``source``, ``sha256``, ``rule`` say how to read it
    again); the log keeps enough to show it and to audit it.

    Attributes:
        name: the metric name.
        source: the file, relative to the project root.
        sha256: hex digest of the file's bytes at extraction.
        rule: how the history was read.
        points: how many points it has.
        nonfinite: how many of them are NaN or infinite.
        first_step: the step of the first point (``None`` when empty).
        last_step: the step of the last point.
        first: the first value (``None`` when non-finite or empty).
        last: the last value (``None`` when non-finite or empty).
        minimum: the smallest finite value (``None`` when none).
        maximum: the largest finite value (``None`` when none).
    """

    name: str
    source: str
    sha256: str
    rule: str
    points: int = 0
    nonfinite: int = 0
    first_step: float | None = attrs.field(default=None, validator=finite)
    last_step: float | None = attrs.field(default=None, validator=finite)
    first: float | None = attrs.field(default=None, validator=finite)
    last: float | None = attrs.field(default=None, validator=finite)
    minimum: float | None = attrs.field(default=None, validator=finite)
    maximum: float | None = attrs.field(default=None, validator=finite)


def summarise_history(history: MetricHistory) -> HistorySummary:
    """
    Return the bounded summary of ``history`` that the log records.
    """
    finite = [v for v in history.values if v is not None]
    steps = [s for s in history.steps if math.isfinite(s)]
    return HistorySummary(
        name=history.name,
        source=history.source,
        sha256=history.sha256,
        rule=history.rule,
        points=len(history.values),
        nonfinite=sum(1 for v in history.values if v is None),
        first_step=steps[0] if steps else None,
        last_step=steps[-1] if steps else None,
        first=history.values[0] if history.values else None,
        last=history.values[-1] if history.values else None,
        minimum=min(finite) if finite else None,
        maximum=max(finite) if finite else None,
    )


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class QualityFlag:
    """
    A training-quality finding as the log keeps it.

    Attributes:
        metric: the metric name as extracted.
        kind: ``non_finite``, ``divergence`` or ``plateau``.
        message: for a person: where (file, step) and the numbers.
        blocking: ``True`` when the run's numbers should not be trusted.
    """

    metric: str
    kind: str
    message: str
    blocking: bool = True


# The message of an output file that was read and held no number (a `metrics.json` of `{}`):
# a blocking problem, so that such a must-run run is evidence missing in the results (as one
# whose only file could not be read; a run that writes no metrics file at all may have none
# to give).
NO_NUMBER_IN_FILE = "no number was read from it, so the run recorded no metric value"

# The message of a run whose output folder had no file the metrics settings match.
NO_FILE_MATCHED = (
    "no output file matched the [metrics] files and rules, so the run recorded no metric value"
)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class UnreadOutput:
    """
    What of a run's outputs was not read, and why (never silently skipped).

    Attributes:
        source: the file (or folder), relative to the project root.
        message: what went wrong.
        blocking: ``True`` when the output itself is broken or refused (unreadable, invalid,
            a link out, a FIFO, over a size or depth limit): a sanity run with one fails.
            ``False`` for a note on a readable file: a part the rules do not read (a long table
            without step or label) or values over ``max_values`` (the plan's were kept).
    """

    source: str
    message: str
    blocking: bool = True
