"""
Tests for the training-quality checks (bridge.machine.quality).
"""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from bridge.machine.measurements import MetricHistory, MetricValue, to_stored
from bridge.machine.quality import QualityKind, QualitySettings, check_quality, measured_names


def history(name: str, values: list[float]) -> MetricHistory:
    return MetricHistory(
        run_id="R001",
        attempt_id="a1",
        name=name,
        steps=tuple(float(i) for i in range(len(values))),
        values=tuple(to_stored(v) for v in values),
        nonfinite=tuple((i, repr(v)) for i, v in enumerate(values) if not math.isfinite(v)),
        source="runs/R001/a1/log.csv",
        sha256="0" * 64,
        rule="csv:column:" + name,
    )


HEALTHY = [2.0 / (1 + 0.3 * i) + 0.01 * (i % 2) for i in range(30)]


class TestCheckQuality:
    def test_nan_loss_in_history_flagged(self) -> None:
        """A NaN at any step of a loss history is a blocking non-finite finding."""
        (finding,) = check_quality([], [history("loss", [2.0, 1.0, math.nan, 0.5])])
        assert finding.kind is QualityKind.NON_FINITE and finding.blocking
        assert "step 2" in finding.message and finding.run_id == "R001"

    def test_nan_final_value_flagged(self) -> None:
        """A non-finite final value is flagged with its file."""
        value = MetricValue(
            run_id="R002",
            attempt_id="a1",
            name="loss",
            value=None,
            raw="NaN",
            source="runs/R002/a1/m.json",
            sha256="0" * 64,
            rule="json:loss",
        )
        (finding,) = check_quality([value], [])
        assert finding.kind is QualityKind.NON_FINITE and "m.json" in finding.message

    def test_diverging_loss_flagged(self) -> None:
        """A loss that falls then climbs far above its best is flagged as divergence."""
        values = [2.0, 1.0, 0.6, 0.5, 0.5, 0.6, 0.9, 1.5, 3.0, 6.0]
        (finding,) = check_quality([], [history("train_loss", values)])
        assert finding.kind is QualityKind.DIVERGENCE and finding.blocking

    def test_healthy_curve_not_flagged(self) -> None:
        """A steadily decreasing loss with small noise gives no finding."""
        assert check_quality([], [history("loss", HEALTHY)]) == ()

    def test_rising_accuracy_is_not_divergence(self) -> None:
        """A higher-is-better metric that rises is healthy."""
        assert check_quality([], [history("accuracy", [0.1 * i for i in range(10)])]) == ()

    def test_plateau_is_informational(self) -> None:
        """A flat tail is a non-blocking plateau finding."""
        values = [3.0, 2.0, 1.0] + [1.0] * 12
        (finding,) = check_quality([], [history("loss", values)])
        assert finding.kind is QualityKind.PLATEAU and not finding.blocking

    def test_divergence_factor_configurable(self) -> None:
        """A larger factor tolerates the same rise."""
        values = [2.0, 1.0, 0.6, 0.5, 0.5, 0.6, 0.9, 1.5, 3.0, 6.0]
        loose = QualitySettings(divergence_factor=20.0)
        assert check_quality([], [history("loss", values)], settings=loose) == ()

    def test_direction_override(self) -> None:
        """An override marks an unknown metric as lower-is-better, so it can diverge."""
        values = [2.0, 1.0, 0.6, 0.5, 0.5, 0.6, 0.9, 1.5, 3.0, 6.0]
        settings = QualitySettings(lower_is_better={"distortion": True})
        (finding,) = check_quality([], [history("distortion", values)], settings=settings)
        assert finding.kind is QualityKind.DIVERGENCE

    @given(st.lists(st.floats(min_value=0.01, max_value=100), min_size=5, max_size=40))
    def test_non_increasing_loss_never_diverges(self, values: list[float]) -> None:
        """A loss that never rises is never called diverging."""
        ordered = sorted(values, reverse=True)
        found = check_quality([], [history("loss", ordered)])
        assert all(f.kind is not QualityKind.DIVERGENCE for f in found)


def nan_value(name: str) -> MetricValue:
    return MetricValue(
        run_id="R1",
        attempt_id="a1",
        name=name,
        value=None,
        raw="NaN",
        source="runs/R1/a1/summary.json",
        sha256="0" * 64,
        rule=f"json:{name}",
    )


class TestScopedToThePlan:
    """Issue #19 item 11: findings apply to what the plan measures and to real series."""

    def test_nan_in_a_field_the_plan_does_not_measure_is_a_note(self) -> None:
        """A NaN diagnostic beside the plan's metric is noted, not blocking."""
        measured = measured_names(["accuracy", "components.degenerate"], ["Accuracy"])
        (finding,) = check_quality([nan_value("components.degenerate")], [], measured=measured)
        assert finding.kind is QualityKind.NON_FINITE and not finding.blocking
        assert "not a metric the plan measures" in finding.message

    def test_nan_in_the_plan_metric_blocks(self) -> None:
        """A NaN in the metric the plan asks for blocks."""
        measured = measured_names(["accuracy", "other"], ["Accuracy"])
        (finding,) = check_quality([nan_value("accuracy")], [], measured=measured)
        assert finding.blocking

    def test_nan_in_a_recorded_series_blocks(self) -> None:
        """A NaN at any step of a history (a training curve) blocks, plan metric or not."""
        (finding,) = check_quality(
            [], [history("train_loss", [2.0, math.nan, 1.0])], measured=frozenset()
        )
        assert finding.blocking

    def test_conditions_of_a_plan_metric_are_measured(self) -> None:
        """mrr covers mrr[full] and mrr[compact]; unrelated names stay out."""
        names = ["results.mrr[full]", "results.mrr[compact]", "results.recall[full]"]
        assert measured_names(names, ["MRR"]) == {"results.mrr[full]", "results.mrr[compact]"}

    def test_an_ambiguous_plan_name_covers_every_candidate(self) -> None:
        """Two files both writing accuracy: both are scoped in (over-including is safe)."""
        names = ["val.accuracy", "test.accuracy", "loss"]
        assert measured_names(names, ["accuracy"]) == {"val.accuracy", "test.accuracy"}
