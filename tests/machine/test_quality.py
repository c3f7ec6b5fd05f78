"""
Tests for the training-quality checks (bridge.machine.quality).
"""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from bridge.machine.measurements import MetricHistory, MetricValue, to_stored
from bridge.machine.quality import QualityKind, QualitySettings, check_quality


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
