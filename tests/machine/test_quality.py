"""
Tests for the training-quality checks (bridge.machine.quality).
"""

from __future__ import annotations

import math

import attrs
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

    def test_a_short_loss_rising_at_every_point_diverges(self) -> None:
        """Trial C: the quickstart's 3-epoch sanity run, its step's sign flipped, went 43.8 →
        89.6 → 135.3 and passed (histories under `min_points` were not checked). Three points
        rising throughout to more than twice the first are a divergence; a short loss that
        dips once, rises less, or has two points, is not."""
        (finding,) = check_quality([], [history("loss", [43.8, 89.6, 135.3])])
        assert finding.kind is QualityKind.DIVERGENCE and finding.blocking
        assert "rose at each of its 3 points, from 43.8 to 135.3" in finding.message
        assert check_quality([], [history("loss", [43.8, 30.0, 135.3])]) == ()
        assert check_quality([], [history("loss", [1.0, 1.2, 1.5])]) == ()
        assert check_quality([], [history("loss", [1.0, 5.0])]) == ()
        assert check_quality([], [history("accuracy", [0.1, 0.3, 0.9])]) == ()

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

    def test_a_series_gone_nan_is_said_once_as_blocking(self) -> None:
        """034's `lens_loss` (trial T1): its last value NaN read "noted, not blocking" beside
        its series' "NaN at step 200" (blocking). The series' finding alone says it."""
        series = attrs.evolve(history("lens_loss", [2.0, 1.0, math.nan]), run_id="R1")
        found = check_quality([nan_value("lens_loss")], [series], measured=frozenset())
        assert [(f.metric, f.blocking) for f in found] == [("lens_loss", True)]
        assert "at step 2" in found[0].message
        # Another run's series says nothing of this run's value.
        other = check_quality([nan_value("lens_loss")], [history("lens_loss", [math.nan])])
        assert [f.run_id for f in other] == ["R1", "R001"]

    def test_conditions_of_a_plan_metric_are_measured(self) -> None:
        """mrr covers mrr[full] and mrr[compact]; unrelated names stay out."""
        names = ["results.mrr[full]", "results.mrr[compact]", "results.recall[full]"]
        assert measured_names(names, ["MRR"]) == {"results.mrr[full]", "results.mrr[compact]"}

    def test_a_name_inside_a_plan_metric_phrase_is_measured(self) -> None:
        """014's `TCIG`: the plan measures "TCIG with image bootstrap" and "area-quartile TCIG";
        its NaN was noted "not a metric the plan measures" (trial T5). Over-including is the
        safe side (`image`, a word of the phrase, is in too); `replay_error` stays out."""
        names = ["TCIG", "replay_error", "image"]
        wanted = ["TCIG with image bootstrap", "area-quartile TCIG"]
        assert measured_names(names, wanted) == {"TCIG", "image"}
        assert measured_names(["replay_error"], wanted) == frozenset()

    def test_a_change_of_a_metric_measures_it(self) -> None:
        """039's B3 measures "paired ΔAUROC/ΔAUPRC": its runs' AUROC is a plan metric."""
        wanted = ["同一 token 上 paired ΔAUROC/ΔAUPRC 和 source-cluster bootstrap"]
        assert measured_names(["AUROC", "coverage"], wanted) == {"AUROC"}

    def test_an_ambiguous_plan_name_covers_every_candidate(self) -> None:
        """Two files both writing accuracy: both are scoped in (over-including is safe)."""
        names = ["val.accuracy", "test.accuracy", "loss"]
        assert measured_names(names, ["accuracy"]) == {"val.accuracy", "test.accuracy"}


def _steps(h: MetricHistory, steps: list[float]) -> MetricHistory:
    import attrs

    return attrs.evolve(h, steps=tuple(steps))


class TestOverfitting:
    TRAIN = (2.0, 1.6, 1.3, 1.1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45)

    def _val(self, name: str, values: list[float]) -> MetricHistory:
        # evaluations every other training step: steps 1, 3, 5, ...
        return _steps(history(name, values), [float(2 * i + 1) for i in range(len(values))])

    def test_val_rising_while_train_falls_is_overfitting(self) -> None:
        """val_loss up at each of its last 3 evaluations while train_loss falls: reported,
        not blocking, naming both series and their numbers."""
        val = self._val("val_loss", [1.5, 1.2, 1.0, 1.05, 1.1, 1.2])
        findings = check_quality([], [history("train_loss", list(self.TRAIN)), val])
        (finding,) = [f for f in findings if f.kind is QualityKind.OVERFITTING]
        assert not finding.blocking and finding.metric == "val_loss"
        assert "rose at each of its last 3 evaluations (1 → 1.2, steps 5–11; best 1)" in (
            finding.message
        )
        assert "train_loss fell (0.8 → 0.45)" in finding.message
        assert "csv:column:val_loss" in finding.message and "csv:column:train_loss" in (
            finding.message
        )

    def test_two_rises_are_not_enough_by_default_but_are_when_configured(self) -> None:
        """Two rising evaluations are noise under the default of 3, overfitting when set to 2."""
        val = self._val("eval/loss", [1.5, 1.2, 1.0, 0.95, 1.0, 1.1])
        pair = [history("train/loss", list(self.TRAIN)), val]
        kinds = [f.kind for f in check_quality([], pair)]
        assert QualityKind.OVERFITTING not in kinds
        strict = QualitySettings(overfit_evaluations=2)
        kinds = [f.kind for f in check_quality([], pair, settings=strict)]
        assert QualityKind.OVERFITTING in kinds

    def test_plain_loss_pairs_with_val_loss_and_both_rising_is_not_overfitting(self) -> None:
        """'loss' is the training series for 'val_loss'; when training rises too, that is not
        overfitting (the divergence check speaks to it instead)."""
        rising = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4]
        val = self._val("val_loss", [1.0, 1.1, 1.2, 1.3, 1.4])
        kinds = [f.kind for f in check_quality([], [history("loss", rising), val])]
        assert QualityKind.OVERFITTING not in kinds
        fell = check_quality([], [history("loss", list(self.TRAIN)), val])
        assert [f.metric for f in fell if f.kind is QualityKind.OVERFITTING] == ["val_loss"]

    def test_higher_is_better_and_unpaired_series_are_left_alone(self) -> None:
        """A rising val_accuracy is good news, and a val_loss with no training loss to compare
        with is not judged."""
        acc = self._val("val_accuracy", [0.5, 0.6, 0.7, 0.8, 0.9])
        val = self._val("val_loss", [1.0, 1.1, 1.2, 1.3, 1.4])
        train_acc = history("train_accuracy", [0.5 + 0.04 * i for i in range(10)])
        kinds = [f.kind for f in check_quality([], [train_acc, acc, val])]
        assert QualityKind.OVERFITTING not in kinds
