"""
What the runs showed: the metrics read from a run (its ``run:<RUN_ID>`` stream) and the
reviewer's judgment of a criterion (the ``bridge`` stream).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import attrs

from bridge.events.measurements import HistorySummary, MetricValue, QualityFlag, UnreadOutput
from bridge.events.registry import event
from bridge.events.secrets import redact
from bridge.value_methods import value_methods

__all__ = [
    "CriterionJudged",
    "MetricsRecorded",
]


@event("run.metrics_recorded")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class MetricsRecorded:
    """
    The metrics read from a finished attempt's outputs, each with its file, sha256 and rule.

    Recorded after ``RunSucceeded``. Histories are kept as bounded summaries (the full series is
    in the file the summary names). ``key_metric`` is the extracted name shown as the run's key
    metric (``""`` when none matched); ``aliases`` and ``lower_is_better`` are the ``[metrics]``
    settings the values were read and will be judged with, so the results are a function of the
    log alone.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    values: tuple[MetricValue, ...] = ()
    histories: tuple[HistorySummary, ...] = ()
    quality: tuple[QualityFlag, ...] = ()
    problems: tuple[UnreadOutput, ...] = ()
    key_metric: str = ""
    aliases: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    lower_is_better: Mapping[str, bool] = attrs.field(factory=dict)


@event("criterion.judged")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class CriterionJudged:
    """
    A reviewer judged a block's success criterion that the rules could not check: ``verdict``
    (``met``, ``not_met`` or ``inconclusive``), its ``reasoning``, and who answered
    (``reviewer``, ``model``). ``inputs_sha256`` is the digest of what it was shown (the
    criterion and the aggregated numbers); once the numbers change, the judgment no longer
    applies. A reviewer's judgment never replaces a rule's ``met`` or ``not_met``.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    block: str
    verdict: str
    reasoning: str = attrs.field(default="", converter=redact)
    reviewer: str = ""
    model: str = ""
    inputs_sha256: str = ""
