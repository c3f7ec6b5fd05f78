"""
Tests for the success-criterion parser (bridge.plan.criteria).
"""

from __future__ import annotations

import re
import typing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bridge.plan.criteria import (
    BASELINE,
    Comparison,
    Compound,
    Criterion,
    Mode,
    Orientation,
    Scope,
    Unparsed,
    clause_metrics,
    parse_criterion,
)
from tests.conftest import SHARED, needs_shared


def parsed(text: str, **kwargs: object) -> Criterion:
    result = parse_criterion(text, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, Criterion), result
    return result


class TestParseCriterionEnglish:
    def test_percent_over_baseline_is_points_for_accuracy(self) -> None:
        """'> 2% accuracy over baseline' is a gain of more than 2 percentage points."""
        c = parsed("> 2% accuracy over baseline")
        assert (c.metric, c.comparison, c.threshold) == ("accuracy", Comparison.GT, 2.0)
        assert c.mode is Mode.DIFFERENCE and c.percent_scale
        assert c.reference == BASELINE and c.orientation is Orientation.BETTER

    def test_parenthesised_commentary_is_not_a_list_of_systems(self) -> None:
        """'(absolute points, mean of 2 seeds)' after the reference is commentary: one
        comparison, never a second clause '> 20% over mean of 2 seeds'."""
        c = parsed("Ours accuracy > 20% over the Baseline (absolute points, mean of 2 seeds).")
        assert (c.metric, c.threshold, c.mode) == ("accuracy", 20.0, Mode.DIFFERENCE)
        assert c.reference == BASELINE

    @pytest.mark.parametrize(
        "text",
        [
            "Logistic regression train_loss < Logistic regression (no feature scaling) train_loss",
            "Logistic regression (no feature scaling) train_loss > Logistic regression train_loss",
        ],
    )
    def test_a_system_named_inside_anothers_name(self, text: str) -> None:
        """`X` and `X (no feature scaling)` are two systems: the bare name is X's own, though
        the other's name without its parentheses reads the same (the quickstart's B4)."""
        systems = ["Logistic regression", "Logistic regression (no feature scaling)"]
        c = parsed(text, block_systems=systems)
        assert {c.subject, c.reference} == set(systems)
        lower = c.subject if c.orientation is Orientation.LOWER else c.reference
        assert lower == "Logistic regression"

    def test_a_word_two_names_hold_names_neither(self) -> None:
        """011 B2: "Multi-task" is in "Multi-task DeBERTa" and in the ablation "Multi-task with
        λ=0"; it was read as the ablation (its last word "task" was taken as its own), which
        would have judged the λ=0 arm. It names neither: the subject is left open."""
        systems = [
            "**Multi-task DeBERTa** (difficulty + evidence, λ=0.3)",
            "**Single-task DeBERTa** (difficulty only)",
            "**Multi-task with λ=0** (evidence head exists)",
        ]
        c = parsed(
            "Multi-task improves macro F1 by ≥3pp over single-task",
            block_systems=systems,
            metrics=["Macro F1"],
        )
        assert c.subject is None and c.reference == systems[1]

    def test_improvement_vs_named_system(self) -> None:
        """'≥ 0.5 F1 improvement vs B' compares with system B in F1 units."""
        c = parsed("≥ 0.5 F1 improvement vs B", block_systems=["A", "B"])
        assert (c.metric, c.comparison, c.threshold) == ("f1", Comparison.GE, 0.5)
        assert c.mode is Mode.DIFFERENCE and not c.percent_scale
        assert c.reference == "B" and c.subject is None

    def test_reference_without_block_systems_keeps_spelling(self) -> None:
        """Without known systems, the word after 'vs' is the reference as written."""
        assert parsed("≥ 0.5 F1 improvement vs MyNet").reference == "MyNet"

    def test_absolute_upper_bound(self) -> None:
        """'PPL < 20' is an absolute bound on perplexity."""
        c = parsed("PPL < 20")
        assert (c.metric, c.comparison, c.threshold, c.mode) == (
            "ppl",
            Comparison.LT,
            20.0,
            Mode.ABSOLUTE,
        )
        assert c.reference is None and c.orientation is None

    def test_a_metric_named_after_its_threshold(self) -> None:
        """004's "≤ 10% false-rejection on benign control": the name follows the number (it was
        refused as a threshold without a metric); where it holds is not part of the name."""
        c = parsed("≤ 10% false-rejection on benign control")
        assert (c.metric, c.comparison, c.threshold, c.mode, c.percent_scale) == (
            "false-rejection",
            Comparison.LE,
            10.0,
            Mode.ABSOLUTE,
            True,
        )
        assert "metric read from the words after the threshold: 'false-rejection'" in c.notes

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            # The number after "at" is the threshold, and "or" no unit.
            ("F1 stays at 0.9 or above", None),
            ("error rate at 5% or below", None),
            # A significance level is no setting: the statistics check refuses it.
            ("accuracy ≥ 2 pp over baseline at p=0.05", "statistical test"),
            ("accuracy ≥ 2 pp over baseline at 95% confidence", "statistical test"),
        ],
    )
    def test_what_at_does_not_set_aside(self, text: str, reason: str | None) -> None:
        result = parse_criterion(text)
        if reason is None:
            assert isinstance(result, Criterion), result
            assert not any("where it holds" in n for n in result.notes)
        else:
            assert isinstance(result, Unparsed) and reason in result.reason

    def test_n_of_m_is_a_count_over_subsets(self) -> None:
        """015's B0/B7 "≥ 3 of 4 task families" was refused as "a number without a comparison:
        '3'"; it is a count over subsets, and the reason says so."""
        result = parse_criterion("≥ 3 of 4 task families")
        assert isinstance(result, Unparsed)
        assert result.reason == "counts over subsets (categories, families, configs): '3 of 4'"

    def test_a_reference_after_a_setting_stays_the_reference(self) -> None:
        """ "at 16×4 over LoRA": the setting went with "over", and the difference became an
        absolute check on LoRA."""
        c = parsed("DoRA accuracy ≥ 2 pp at 16×4 over LoRA", block_systems=("DoRA", "LoRA"))
        assert (c.subject, c.reference, c.mode) == ("DoRA", "LoRA", Mode.DIFFERENCE)

    @pytest.mark.parametrize(
        ("text", "metric", "threshold", "at"),
        [
            ("median gap ≤ 3% at 16×4", "median gap", 3.0, "at 16×4"),  # 015's B6
            ("wind_speed_edges=9 at h=144", "wind_speed_edges", 9.0, "at h=144"),  # 006's B4
            ("recall ≥ 0.8 @ 5% FPR", "recall", 0.8, "@ 5% FPR"),
            ("accuracy ≥ 0.9 at 4 GPUs", "accuracy", 0.9, "at 4 GPUs"),
        ],
    )
    def test_a_setting_after_at_is_where_it_holds(
        self, text: str, metric: str, threshold: float, at: str
    ) -> None:
        """ "at 16×4" says where the condition holds: it was refused as a number without a
        comparison."""
        c = parse_criterion(text)
        assert isinstance(c, Criterion), c
        assert (c.metric, c.threshold) == (metric, threshold)
        assert f"{at!r} read as where it holds, not a threshold" in c.notes

    def test_a_setting_named_with_a_value_is_kept_for_the_judge(self) -> None:
        """006's "wind_speed_edges=9 at h=144": the judge reads it on the runs at h = 144 (a
        run at horizon 6 met it). A setting without a name to look up has none."""
        c = parse_criterion("wind_speed_edges=9 at h=144")
        assert isinstance(c, Criterion), c
        assert [(s.name, s.value, s.text) for s in c.settings] == [("h", 144.0, "at h=144")]
        # After a comparison with no threshold, "at h=144" was read as the gain it needs
        # ("required gain = 144", not met on +0.4); a named value after "at" is a setting.
        c = parse_criterion("accuracy higher than baseline at h=144", block_systems=("KAN",))
        assert isinstance(c, Criterion), c
        assert [(s.name, s.value) for s in c.settings] == [("h", 144.0)]
        assert (c.reference, c.threshold) == ("baseline", 0.0)
        for text in ("median gap ≤ 3% at 16×4", "recall ≥ 0.8 @ 5% FPR", "PPL < 20"):
            c = parse_criterion(text)
            assert isinstance(c, Criterion) and c.settings == (), (text, c)

    def test_the_reading_says_the_setting_it_holds_at(self) -> None:
        """006's B4 "wind_speed_edges=9 at h=144" read "the proposed system: wind_speed_edges
        = 9": the horizon the judge reads it at was not in the reading."""
        c = parse_criterion("wind_speed_edges=9 at h=144 ✓")
        assert isinstance(c, Criterion), c
        assert c.describe() == "the proposed system: wind_speed_edges = 9 at h=144"
        c = parse_criterion("accuracy higher than baseline at h=144", block_systems=("KAN",))
        assert isinstance(c, Criterion), c
        assert c.describe().endswith("> 0 at h=144")
        # 015's B6 "median gap ≤ 3% at 16×4": a setting the judge does not look up, said as
        # such rather than left out of the reading; only the setting, as the gap is judged
        # (trial h40I F2: "(not checked)" read as if the whole clause were not).
        c = parse_criterion("median gap ≤ 3% at 16×4")
        assert isinstance(c, Criterion), c
        assert c.describe() == (
            "the proposed system: median gap ≤ 3% at 16×4 (only 'at 16×4' not checked)"
        )

    @pytest.mark.parametrize(
        "text",
        [
            "≥ 4 LAX runway thresholds with bearings",  # 029: things counted
            "≥ 0.5 on held-out data",
            "≥ 80% within budget",
            "at least 1 positive finding",
            "≤ 2 OOM",
            "≥ 10 unique",
            # 014: a share per item, which one recorded number does not hold
            "at least 60% sample-level positive TCIG per finding",
            "≥ 3 seeds",
            "≤ 2 hours per run",
            "> 0.5 on all tasks",
            "at least 2 points",
        ],
    )
    def test_words_after_a_number_that_name_no_metric(self, text: str) -> None:
        assert isinstance(parse_criterion(text), Unparsed)

    def test_each_component(self) -> None:
        """'each component contributes > 0.5%' is an ablation criterion on the primary metric."""
        c = parsed("each component contributes > 0.5%")
        assert c.scope is Scope.EACH_COMPONENT and c.metric is None
        assert (c.comparison, c.threshold, c.mode) == (Comparison.GT, 0.5, Mode.DIFFERENCE)

    def test_at_least_percent_absolute(self) -> None:
        """'accuracy at least 90%' is an absolute threshold on a percent scale."""
        c = parsed("accuracy at least 90%")
        assert (c.comparison, c.threshold, c.mode, c.percent_scale) == (
            Comparison.GE,
            90.0,
            Mode.ABSOLUTE,
            True,
        )

    def test_outperforms_without_number(self) -> None:
        """'outperforms the baseline on accuracy' means any positive gain."""
        c = parsed("outperforms the baseline on accuracy")
        assert (c.comparison, c.threshold, c.reference) == (Comparison.GT, 0.0, BASELINE)

    def test_reduces_loss_is_relative(self) -> None:
        """'reduces loss by 10%' is a relative reduction of at least 10%."""
        c = parsed("reduces loss by 10%")
        assert (c.mode, c.orientation, c.comparison, c.threshold) == (
            Mode.RELATIVE,
            Orientation.LOWER,
            Comparison.GE,
            10.0,
        )
        assert c.reference == BASELINE

    def test_two_systems_and_points(self) -> None:
        """A real corpus phrasing with both systems named parses subject and reference."""
        c = parsed(
            "DepthGate accuracy > Standard LoRA accuracy by >= 2 points overall",
            block_systems=["DepthGate", "Standard LoRA"],
        )
        assert (c.subject, c.reference) == ("DepthGate", "Standard LoRA")
        assert (c.comparison, c.threshold, c.percent_scale) == (Comparison.GE, 2.0, True)

    def test_plan_metric_name_reported_as_written(self) -> None:
        """A plan metric with digits and punctuation is found and kept as the plan spells it."""
        c = parsed(
            "Top-1 Acc improves by at least 1.5 pp over ResNet-50",
            block_systems=["ResNet-50", "Ours"],
            metrics=["Top-1 Acc"],
        )
        assert (c.metric, c.reference, c.threshold) == ("Top-1 Acc", "ResNet-50", 1.5)

    def test_ratio_is_relative_gain(self) -> None:
        """'1.3x over baseline' is a relative gain of at least 30%."""
        c = parsed("throughput 1.3x over baseline")
        assert c.mode is Mode.RELATIVE and c.threshold == pytest.approx(30.0)

    def test_relative_is_read_beside_a_system_named_with_the_word(self) -> None:
        """039's "relative-position only": the "relative" of "by ≥ 25% relative" was taken for
        that system's short name, and the gain read as 25 points of AUPRC (trial T2)."""
        c = parse_criterion(
            "MART improves AUPRC over relative-position only by ≥ 25% relative",
            block_systems=["relative-position only", "旧 scalar statistics", "MART"],
            metrics=["auprc"],
        )
        assert isinstance(c, Criterion)
        assert (c.mode, c.subject, c.reference) == (Mode.RELATIVE, "MART", "relative-position only")
        # Systems named by the words still read so (review): "relative" beats "absolute".
        c = parse_criterion(
            "relative beats absolute on accuracy by ≥ 1 point",
            block_systems=["Relative PE", "Absolute PE"],
            metrics=["accuracy"],
        )
        assert isinstance(c, Criterion)
        assert (c.subject, c.reference) == ("Relative PE", "Absolute PE")

    def test_a_key_written_as_code_names_no_system(self) -> None:
        """`GPT-4o-mini` and `policy/v2` are systems written as code, not metric keys (review)."""
        c = parse_criterion(
            "`GPT-4o-mini` accuracy ≥ 0.8", block_systems=["GPT-4o-mini"], metrics=["accuracy"]
        )
        assert isinstance(c, Criterion) and c.metric == "accuracy"
        # A system whose name is a path (`policy/v2`) is that system, not a metric key.
        c = parse_criterion(
            "`policy/v2` accuracy ≥ 0.8", block_systems=["policy/v2"], metrics=["accuracy"]
        )
        assert isinstance(c, Criterion) and (c.metric, c.subject) == ("accuracy", "policy/v2")

    def test_a_key_written_as_code_is_the_metric_whole(self) -> None:
        """018's `results.optimal_action_probabilities.cheap-direct` > 0.8 was read as the
        identifier inside it, and "not found" beside the exact key it had extracted (T6)."""
        c = parse_criterion(
            "controller 的 `results.optimal_action_probabilities.cheap-direct` > 0.8",
            block_systems=["controller"],
            metrics=[],
        )
        assert isinstance(c, Criterion)
        assert c.metric == "results.optimal_action_probabilities.cheap-direct"

    def test_seed_phrase_is_ignored(self) -> None:
        """'averaged across 5 seeds' does not count as a second number."""
        assert parsed("val loss < 0.3 averaged across 5 seeds").threshold == 0.3

    def test_level_words_stay_absolute(self) -> None:
        """'loss decreases below 0.5' states a level, not a gain."""
        assert parsed("loss decreases below 0.5").mode is Mode.ABSOLUTE

    def test_latex_and_markdown(self) -> None:
        """LaTeX comparators and Markdown emphasis are understood."""
        c = parsed("**accuracy** $\\geq$ 85\\%")
        assert (c.comparison, c.threshold) == (Comparison.GE, 85.0)

    def test_an_acronym_names_its_system_beside_a_metric_of_the_block(self) -> None:
        """006 B1: "KAN skill > 0.4" with ``skill`` in the block's Metrics is KAN teacher's
        skill; "RMSE" in a system's name stays the metric."""
        systems = ["KAN teacher (skill=0.453)", "matched MLP (skill=0.430)", "RMSE-tuned net"]
        c = parsed("KAN skill > 0.4", block_systems=systems, metrics=["RMSE", "skill"])
        assert (c.subject, c.metric, c.threshold) == (systems[0], "skill", 0.4)
        c = parsed("MLP skill > 0.4", block_systems=systems, metrics=["skill"])
        assert c.subject == systems[1]
        c = parsed("RMSE < 0.2", block_systems=systems, metrics=["RMSE", "skill"])
        assert (c.subject, c.metric) == (None, "RMSE")

    def test_a_metric_whose_name_holds_a_system_is_the_metric(self) -> None:
        """017 B3: "regret to oracle < 0.05", with "regret to oracle" in the block's Metrics and
        "oracle" a compared system, lost its metric ("an absolute threshold without a metric")
        and left the block inconclusive; "oracle" alone still names the system."""
        systems = ["GPU-only", "online predictor", "oracle"]
        metrics = ["decode latency", "regret to oracle"]
        c = parsed("regret to oracle < 0.05", block_systems=systems, metrics=metrics)
        assert (c.metric, c.comparison, c.threshold) == ("regret to oracle", Comparison.LT, 0.05)
        assert c.reference is None
        # Where reading the metric whole leaves two metrics, the system's name is the system.
        c = parsed(
            "ours accuracy > oracle accuracy",
            block_systems=["ours", "oracle"],
            metrics=["accuracy", "oracle accuracy"],
        )
        assert (c.subject, c.reference, c.metric) == ("ours", "oracle", "accuracy")
        beats = "online predictor beats oracle on decode latency"
        c = parsed(beats, block_systems=systems, metrics=metrics)
        assert (c.subject, c.reference) == ("online predictor", "oracle")
        assert c.metric == "decode latency"

    def test_a_metric_with_its_cut_off_is_one_name(self) -> None:
        """ "Recall@10 > 0.5" read the cut-off as a second number ("a number without a
        comparison: '10'") unless the block's Metrics listed it; "@ 5% FPR" stays a setting."""
        c = parsed("Recall @ 10 > 0.5")
        assert (c.metric, c.threshold) == ("Recall @ 10", 0.5)
        c = parsed("mAP@50 improves by 2 points over baseline")
        assert (c.metric, c.threshold, c.mode) == ("mAP@50", 2.0, Mode.DIFFERENCE)
        c = parsed("recall@10 ≥ 0.6", metrics=["Recall@10"])
        assert c.metric == "Recall@10"
        # A setting with its unit is one wherever it stands, as "recall ≥ 0.8 at 5% FPR" was.
        c = parsed("recall @ 5% FPR > 0.8")
        assert (c.metric, c.threshold) == ("recall", 0.8)
        assert "'@ 5% FPR' read as where it holds, not a threshold" in c.notes
        assert parsed("mAP@0.5 ≥ 0.6").metric == "mAP@0.5"

    def test_a_setting_with_a_unit_is_read_without_a_number_before_it(self) -> None:
        """021 B3's "在 `1-5 us` 延迟下" and "at 1-5 us delay" read as "a number without a
        comparison: '1'"; a range with its unit, or the Chinese 在…下, is where it holds. A
        bare number after "at" is still a level."""
        c = parsed(
            "ours has a lower violation rate than baseline at `1-5 us` delay",
            block_systems=["ours", "baseline"],
        )
        assert (c.metric, c.subject, c.reference) == ("violation rate", "ours", "baseline")
        assert "'at 1-5 us' read as where it holds, not a threshold" in c.notes
        c = parsed(
            "在 `1-5 us` 延迟下，ours 的违规率比 baseline 低 10%",
            block_systems=["ours", "baseline"],
            metrics=["违规率"],
        )
        assert (c.metric, c.threshold, c.reference) == ("违规率", 10.0, "baseline")
        assert parsed("F1 stays at 0.9 or above").threshold == 0.9
        unread = parse_criterion("accuracy stays at 90 percent")
        assert isinstance(unread, Unparsed) and "90" in unread.reason

    def test_a_leading_scope_is_said_as_not_checked(self) -> None:
        """020's B3 (trial h40D, F8) «在预注册 memory-positive cells 中，…» and "On the low-noise
        split, …" were dropped from the reading without a word, where «在 `1-5 us` 延迟下»
        is said "(not checked)": the verdict read as if the scope had been checked."""
        c = parsed(
            "在预注册 memory-positive cells 中，`typed_event_body_memory` 的 "
            "valid_recovery_success 比 `GRU_raw_history` 高至少 0.15。",
            block_systems=["typed_event_body_memory", "GRU_raw_history"],
            metrics=["valid_recovery_success"],
        )
        assert (c.metric, c.threshold, c.reference) == (
            "valid_recovery_success",
            0.15,
            "GRU_raw_history",
        )
        assert c.describe().endswith(
            "≥ 0.15 在预注册 memory-positive cells 中 "
            "(only '在预注册 memory-positive cells 中' not checked)"
        )
        c = parsed(
            "On the low-noise split, ours improves accuracy over baseline by at least 2 points",
            block_systems=["ours", "baseline"],
        )
        assert (c.metric, c.threshold, c.subject) == ("accuracy", 2.0, "ours")
        assert "'On the low-noise split' read as where it holds, not a threshold" in c.notes
        # Inside the clause, after the metric or the threshold, the same: it was dropped unsaid
        # and the overall value judged (h42E).
        for text in (
            "ours accuracy ≥ 0.8 on the low-noise split",
            "ours accuracy on the low-noise split is at least 2 points higher than baseline",
        ):
            inside = parsed(text, block_systems=["ours", "baseline"])
            assert inside.metric == "accuracy", inside
            assert "'on the low-noise split' read as where it holds, not a threshold" in (
                inside.notes
            )
        # The later clauses of the sentence are under the scope too: said on the first only,
        # F1 read as checked on the whole data (h41F); a new sentence is not under it.
        both = parse_criterion("在低噪声子集中，准确率 ≥ 0.8，F1 ≥ 0.7。Recall ≥ 0.5")
        assert isinstance(both, Compound)
        said = [c.describe() for c in both.clauses if isinstance(c, Criterion)]
        scoped = "在低噪声子集中 (only '在低噪声子集中' not checked)"
        assert said == [
            f"the proposed system: accuracy ≥ 0.8 {scoped}",
            f"the proposed system: f1 ≥ 0.7 {scoped}",
            "the proposed system: recall ≥ 0.5",
        ]
        both = parse_criterion("On the low-noise split, accuracy ≥ 0.8 and F1 ≥ 0.7")
        assert isinstance(both, Compound)
        assert "'On the low-noise split' read as where it holds, not a threshold" in (
            both.clauses[1].notes
        )
        # A later clause naming a scope of its own is not under the leading one (review s41:
        # "latency ≤ 50 ms On the hard split" of a clause that says "overall").
        for own in (
            "On the low-noise split, accuracy ≥ 0.8 and latency ≤ 50 ms overall",
            "On the low-noise split, accuracy ≥ 0.8 and latency ≤ 50 ms on the full test set",
            "在低噪声子集中，准确率 ≥ 0.8，整体延迟 ≤ 50 ms",
        ):
            both = parse_criterion(own)
            assert isinstance(both, Compound) and len(both.clauses) == 2, own
            assert any("where it holds" in n for n in both.clauses[0].notes), own
            assert not any("where it holds" in n for n in both.clauses[1].notes), own
        # A count inside the scope is a count over subsets, refused as it was before scopes
        # were read; the pooled value was judged (review s42, item 10).
        for text in (
            "ours accuracy is higher than baseline on the majority of the OOD split",
            "On the majority of the OOD split, ours accuracy is higher than baseline",
            "ours 的准确率在大部分任务上高于 baseline",
            "在大部分任务上，ours 的准确率高于 baseline",
            # In English too (second review h42, item 9: judged on the pooled value, unsaid).
            "ours accuracy ≥ 0.9 on most datasets",
            "On most of the benchmarks, ours accuracy is higher than baseline",
        ):
            counted = parse_criterion(text, block_systems=["ours", "baseline"])
            assert isinstance(counted, Unparsed), (text, counted)
            assert counted.reason.startswith("counts over subsets"), (text, counted)
        # A system is no scope: «在 FedAvg 的基础上» is what the gain is measured from; taken for
        # a scope, the block's baseline was compared instead (review s42, item 4).
        for text in (
            "Ours 在 FedAvg 的基础上将准确率提升至少 2 个百分点",
            "在 FedAvg 的基础上，Ours 的准确率提升至少 2 个百分点",
        ):
            over = parsed(text, block_systems=["Ours", "FedAvg", "Local"])
            assert (over.subject, over.reference, over.threshold) == ("Ours", "FedAvg", 2.0)
            assert "'在 FedAvg 的基础上' read as '相对 FedAvg'" in over.notes, over.notes
            assert not any("where it holds" in n for n in over.notes), over.notes
        # With no verb of change after it, X is what Ours is built on, not what a gain is
        # measured from: «准确率不低于 0.9» is a level, never "a gain ≥ 0.9" (review2 s42, item 1).
        level = parse_criterion(
            "Ours 在 FedAvg 的基础上，准确率不低于 0.9", block_systems=["Ours", "FedAvg"]
        )
        assert not isinstance(level, Criterion) or level.mode is not Mode.DIFFERENCE, level
        assert "相对" not in repr(level), level
        # Nor a verb that says what the method adds (third review s42): only a verb carrying
        # the change's size («提升至少 2») measures a gain from X.
        for added in (
            "Ours 在 FedAvg 的基础上增加正则项后准确率不低于 0.9",
            "Ours 在 FedAvg 的基础上改进聚合方式，准确率不低于 0.9",
        ):
            built = parse_criterion(added, block_systems=["Ours", "FedAvg"])
            assert not isinstance(built, Criterion) or built.mode is not Mode.DIFFERENCE, built
        # «在 FedAvg 之上» before a verb carrying the change's size is «在 FedAvg 的基础上»: the
        # gain is measured from FedAvg (h43B, item 3; it was refused as naming several systems).
        onto = parsed(
            "Ours 在 FedAvg 之上将准确率提升至少 2 个百分点", block_systems=["Ours", "FedAvg"]
        )
        assert (onto.subject, onto.reference, onto.threshold) == ("Ours", "FedAvg", 2.0), onto
        # After a metric it is "above FedAvg", a comparison whose size is not said: refused.
        above = parse_criterion("Ours 的准确率在 FedAvg 之上", block_systems=["Ours", "FedAvg"])
        assert isinstance(above, Unparsed) and "names several systems" in above.reason, above
        built_on = parsed(
            "Ours 在预训练模型的基础上将准确率提升 2 个百分点", block_systems=["Ours"]
        )
        assert not any("相对" in n for n in built_on.notes), built_on.notes
        # The evaluation set and a scope of items keep their own readings.
        c = parsed("On the test set, ours improves accuracy over baseline by at least 2 points")
        assert c.evaluation_set == "test" and not any("where it holds" in n for n in c.notes)
        c = parsed("在每个数据源上，ours 的 AUPRC 均超过 0.35", block_systems=["ours"])
        assert c.per_item is not None and not any("where it holds" in n for n in c.notes)

    def test_an_emphasised_and_separates_clauses_as_a_plain_one_does(self) -> None:
        """015's B2 writes «LPR yields token Gini ≤ 0.05 *and* bank-activity Gini ≥ 0.30 *and*
        peak T delta vs vanilla < 1 °C»: read as one clause, "several thresholds; only one
        condition can be checked", where a plain "and" gives three (trial t13)."""
        result = parse_criterion(
            "LPR yields token Gini ≤ 0.05 *and* bank-activity Gini ≥ 0.30 *and* peak T delta "
            "vs vanilla < 1 °C",
            block_systems=["LPR", "vanilla"],
        )
        assert isinstance(result, Compound)
        assert [c.text for c in result.clauses] == [
            "LPR yields token Gini ≤ 0.05",
            "bank-activity Gini ≥ 0.30",
            "peak T delta vs vanilla < 1 °C",
        ]
        assert [(c.threshold, c.comparison.value) for c in result.clauses[:2]] == [
            (0.05, "≤"),
            (0.30, "≥"),
        ]

    def test_a_new_sentence_after_a_comma_is_a_clause_in_the_plans_words(self) -> None:
        """015 B3: "worse than TACE, but tie/noise there does not nullify C2 …" was distributed
        over "TACE" and the rest as two systems, and quoted «… worse than but tie/noise …»: words
        the plan never wrote. A closing "*" of an emphasis is kept (015 B7's "*match sign*")."""
        text = (
            "TACG-port is expected to be thermally worse than TACE, but tie/noise there does "
            "not nullify C2 if the NMP-native gap is clear."
        )
        result = parse_criterion(text)
        assert isinstance(result, Compound)
        assert [c.text for c in result.clauses] == [
            "TACG-port is expected to be thermally worse than TACE",
            "but tie/noise there does not nullify C2 if the NMP-native gap is clear",
        ]
        two = parse_criterion("Jaccard ≥ 0.67; peak T deltas agree within ±15% and *match sign*")
        assert isinstance(two, Compound)
        assert two.clauses[1].text == "peak T deltas agree within ±15% and *match sign*"
        # A list of systems is still one comparison each.
        three = parse_criterion("ours beats A, B and C on accuracy")
        assert isinstance(three, Compound) and len(three.clauses) == 3

    def test_a_hyphenated_name_with_digits_is_a_system_not_a_threshold(self) -> None:
        """002 B2: "TC-CS-1S" names "TC-CS-1S attention-only", and its "1" is no number
        without a comparison; "exceed" a system is a gain over it."""
        systems = ["current additive JORA-Diag (global sparse rotation)", "TC-CS-1S attention-only"]
        c = parsed("TC-CS-1S must exceed current additive JORA-Diag", block_systems=systems)
        assert (c.subject, c.reference) == (systems[1], systems[0])
        assert c.orientation is Orientation.BETTER and c.threshold == 0.0

    def test_a_name_several_systems_share_names_none(self) -> None:
        """ "TC-CS-1S" in a block with three TC-CS-1S variants names none of them."""
        systems = ["TC-CS-1S attention-only", "TC-CS-1S FFN-only", "JORA-NoRot anchor"]
        result = parse_criterion("TC-CS-1S accuracy > 0.5", block_systems=systems)
        assert not (isinstance(result, Criterion) and result.subject in systems[:2])

    @pytest.mark.parametrize(
        ("text", "metric"),
        [
            ("Multi-task improves Hard F1 by ≥3pp over single-task", "Hard F1"),
            ("OOD accuracy ≥ 0.7", "OOD accuracy"),
            ("Hard F1 ≥ 0.5", "Hard F1"),
            # A split, a statistic or a sentence's first word leaves the metric as it is.
            ("Test accuracy ≥ 90%", "accuracy"),
            ("mean F1 ≥ 0.5", "f1"),
            ("Improves F1 by ≥3pp over baseline", "f1"),
            # lower case: a name too, unless a word of the sentence (017's "decode latency",
            # judged on a total latency_ms where it was a decoding one, h42D)
            ("the hard f1 ≥ 0.5", "hard f1"),
            ("high accuracy ≥ 0.8", "accuracy"),
            ("comparable accuracy ≥ 0.8", "accuracy"),
            ("ours lowers f1 below 0.5", "f1"),
            ("dropped accuracy ≥ 0.5", "accuracy"),
            # how good, or the task it is of (second review h42, item 5: open on a metric no
            # run records)
            ("Ours shows consistent accuracy ≥ 0.9", "accuracy"),
            ("acceptable accuracy ≥ 0.8", "accuracy"),
            ("Ours has measured accuracy ≥ 0.8", "accuracy"),
            ("even accuracy ≥ 0.8", "accuracy"),
            ("Ours prediction accuracy ≥ 0.9", "accuracy"),
            ("classification f1 ≥ 0.5", "f1"),
            # a minimum or maximum over items is another quantity than the recorded mean
            ("Ours worst accuracy ≥ 0.8", "worst accuracy"),
            ("lowest accuracy ≥ 0.8", "lowest accuracy"),
            # a sentence's verb is no qualifier
            ("Maintains accuracy ≥ 0.8", "accuracy"),
            ("Keeps F1 above 0.7", "f1"),
        ],
    )
    def test_a_capitalised_word_before_a_builtin_metric_names_a_different_metric(
        self, text: str, metric: str
    ) -> None:
        """011's "Hard F1" is F1 on the Hard class: judging plain F1 for it gave a wrong met."""
        c = parsed(text)
        assert c.metric == metric
        assert any("word before the metric" in n for n in c.notes) == (
            metric != "f1" and metric != "accuracy"
        )

    @pytest.mark.parametrize(
        ("text", "metric"),
        [
            ("历史成功率下降不超过 2 个百分点", "历史成功率"),
            # a verb, a statistic or a split before the metric leaves it as it is
            ("提高成功率至少 5 个百分点", "success rate"),
            ("平均成功率 > 0.8", "success rate"),
            ("测试集准确率 > 0.8", "accuracy"),
            ("任务成功率 ≥ 0.8", "success rate"),
            ("要求成功率 ≥ 0.8", "success rate"),
        ],
    )
    def test_chinese_words_opening_a_clause_before_a_builtin_metric_name_another(
        self, text: str, metric: str
    ) -> None:
        """018's "历史成功率" (the historical success rate) was read as the success rate."""
        assert parsed(text).metric == metric

    def test_a_chinese_comparative_states_a_condition_for_splitting(self) -> None:
        """021's B3 "…保持更低违规率，并且验证指标优于…" was one clause, "several or
        conditional clauses": "更低" (lower) states a condition, so "，并且" splits it."""
        result = parse_criterion("方法保持更低违规率，并且准确率 > 0.8")
        assert isinstance(result, Compound) and len(result.clauses) == 2
        assert isinstance(result.clauses[1], Criterion) and result.clauses[1].threshold == 0.8

    def test_list_items_without_marks_are_clauses(self) -> None:
        """004's B3 lists two conditions on two lines (the reader drops the list marks and
        joins wrapped lines): they were read as one clause. A line wrapped before a comparator
        still continues its clause."""
        result = parse_criterion("accuracy > 0.8 on the test set\nF1 > 0.7 on the test set")
        assert isinstance(result, Compound) and len(result.clauses) == 2
        wrapped = parse_criterion("accuracy improves by\n≥ 2 points over the baseline")
        assert isinstance(wrapped, Criterion) and wrapped.threshold == 2

    def test_the_plans_metric_name_is_qualified_only_by_a_subset(self) -> None:
        """A capitalised word before the plan's own name may be its subject's or the
        sentence's; a word naming a subset of the items ("Hard", "OOD") is not, and judged on
        the plain F1 «Hard F1 ≥ 0.5» was met on the whole set's (h43C)."""
        assert parsed("Pilot F1 ≥ 0.5", metrics=["F1"]).metric == "F1"
        assert parsed("Hard F1 ≥ 0.5", metrics=["F1"]).metric == "Hard F1"

    @needs_shared
    def test_a_snake_case_name_qualifies_the_plans_metric(self) -> None:
        """033's E3 lists «H_rel distribution: JS divergence < 0.15 per object» and two more
        such lines, and its warning asks for them as the Success criterion: each clause was
        read as the plan's 'JS divergence', so one recorded divergence judged all three (met
        where dist_to_centroid's 0.16 and yaw_obj's 0.20 were not). A snake_case name before
        the plan's metric says which one, as "P95" does (h41C)."""
        from bridge.plan.loader import load_plan
        from bridge.plan.metric_names import plan_metric_names

        plan = load_plan(SHARED / "corpus" / "plans" / "033_owg-soarm" / "EXPERIMENT_PLAN.md")
        metrics = plan_metric_names(plan.blocks[2].metrics)
        assert metrics == ["JS divergence"]
        result = parse_criterion(
            "H_rel JS divergence < 0.15; dist_to_centroid JS divergence < 0.15; "
            "yaw_obj JS divergence < 0.20",
            metrics=metrics,
        )
        assert isinstance(result, Compound)
        assert [typing.cast(Criterion, c).metric for c in result.clauses] == [
            "H_rel JS divergence",
            "dist_to_centroid JS divergence",
            "yaw_obj JS divergence",
        ]
        # As the Metrics lines write them, the name a label before a colon.
        labelled = parse_criterion(
            "dist_to_centroid: JS divergence < 0.15; yaw_obj: JS divergence < 0.20",
            metrics=metrics,
        )
        assert isinstance(labelled, Compound)
        assert [typing.cast(Criterion, c).metric for c in labelled.clauses] == [
            "dist_to_centroid JS divergence",
            "yaw_obj JS divergence",
        ]
        # A label of the sentence is no such name: `main_result: JS divergence < 0.15` was
        # looked up as a metric 'main_result JS divergence' (second review s41, item 4).
        for label in ("main_result", "success_criterion", "primary_metric"):
            plain_ = parsed(f"{label}: JS divergence < 0.15", metrics=metrics)
            assert plain_.metric == "JS divergence", (label, plain_)
        # "per object" after the threshold was left out, unsaid: a scope of items now.
        per = parsed("JS divergence < 0.15 per object", metrics=metrics)
        assert (per.metric, per.per_item) == ("JS divergence", "per object")
        # A rate after the number is its unit, not items (second review s41, item 6: "'per
        # second' not checked one by one"; the clause judged per label where runs label it).
        for rate in ("≥ 1000 tokens per second", "≤ 40 per GPU", "≤ 2 per hour"):
            unit = parsed(f"JS divergence {rate}", metrics=metrics)
            said = rate.split(" per ")[-1]
            assert (unit.metric, unit.per_item) == ("JS divergence", None), unit
            assert (
                f"'per {said}' read as the threshold's unit, a rate, not items each held to it"
                in (unit.notes)
            )
        # Things measured one by one are items with no unit before "per" ("IoU ≥ 0.5 per
        # image" was judged on one pooled value, review s42, item 6), a rate after one.
        for items in ("≥ 0.5 per image", "≥ 0.8 per document", "≥ 0.9 per user"):
            each = parsed(f"JS divergence {items}", metrics=metrics)
            assert each.per_item == "per " + items.split(" per ")[-1], each
        for rate in ("≤ 50 ms per image", "≤ 3 errors per document"):
            unit = parsed(f"JS divergence {rate}", metrics=metrics)
            assert unit.per_item is None, unit
        # Written once for the three, the list after the threshold was left out and one
        # recorded divergence judged all of them: open, as E2's list without a metric is.
        for listed in ("H_rel, dist_to_centroid, yaw_obj", "H_rel and yaw_obj"):
            open_ = parse_criterion(f"JS divergence < 0.15 for {listed}", metrics=metrics)
            assert isinstance(open_, Unparsed), open_
            assert open_.reason.startswith("one threshold for each of several things named")

    def test_a_setting_in_parentheses_is_not_a_threshold(self) -> None:
        """011 B2: "(λ=0.3)" is the subject's setting; the criterion has one threshold."""
        c = parsed(
            "Multi-task (λ=0.3) improves Hard F1 by ≥3pp over single-task",
            block_systems=["Multi-task DeBERTa", "Single-task DeBERTa"],
        )
        assert (c.metric, c.threshold, c.reference) == ("Hard F1", 3.0, "Single-task DeBERTa")
        assert "left out the setting '(λ=0.3)'" in c.notes
        assert isinstance(parse_criterion("F1 ≥ 0.5 (p=0.05)"), Unparsed)

    @pytest.mark.parametrize(
        ("text", "comparison", "threshold"),
        [
            ("loss must not exceed 0.5", Comparison.LE, 0.5),
            ("error rate cannot exceed 5%", Comparison.LE, 5.0),
            ("accuracy must not drop below 0.8", Comparison.GE, 0.8),
            ("accuracy is not lower than 0.8", Comparison.GE, 0.8),
            ("延迟不得超过 200 ms", Comparison.LE, 200.0),
        ],
    )
    def test_a_limit_that_must_not_be_passed_is_turned_round(
        self, text: str, comparison: Comparison, threshold: float
    ) -> None:
        """ "latency must not exceed 200 ms" was read as "> 200": met exactly when the plan says
        it fails. The condition to meet is the opposite of the prohibited one."""
        c = parsed(text)
        assert (c.comparison, c.threshold, c.mode) == (comparison, threshold, Mode.ABSOLUTE)
        assert any("read as" in n for n in c.notes)

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            # a prohibition about a gain, a named non-system reference
            ("accuracy must not fall more than 2 points below the baseline", "must not move"),
            ("不得靠 jerk 超过 GT 20% 来提高速度", "must not happen"),
            ("A2 必须分别对 A3 和 A4 的 FK p95 改善至少 10%", "not a system of the block"),
            ("准确率相对归档模型提升至少 2 点", "not a system of the block"),
            ("foot skate 满足 5% non-inferiority", "non-inferiority"),
            # a limit on a change is not a level of the metric
            ("Accuracy drop must not exceed 2 points", "must not move"),
            ("latency overhead must not exceed 10%", "must not move"),
        ],
    )
    def test_a_reference_that_cannot_be_read_is_refused_not_the_baseline(
        self, text: str, reason: str
    ) -> None:
        """027: each of these was read as a gain over the block's baseline (or, below Base, as
        an absolute threshold on Base), which could give a verdict on the wrong numbers."""
        result = parse_criterion(text, block_systems=["Ours", "Base"])
        # "分别对 A3 和 A4" is a clause each (A3, then A4), each refused the same way.
        clauses = result.clauses if isinstance(result, Compound) else (result,)
        assert all(isinstance(c, Unparsed) and reason in c.reason for c in clauses), result

    def test_a_systems_word_inside_a_metrics_name_says_whose_it_is(self) -> None:
        """005's "mean RAW J-drop ≥0.55": the J-drop of RAW joint v5, an absolute threshold.
        It was read as a drop of a metric "J-" against the baseline."""
        c = parsed("mean RAW J-drop ≥0.55.", block_systems=["A0 (frozen)", "RAW joint v5"])
        assert (c.metric, c.subject, c.mode) == ("mean RAW J-drop", "RAW joint v5", Mode.ABSOLUTE)
        assert (c.comparison, c.threshold) == (Comparison.GE, 0.55)

    def test_a_system_named_after_with_is_no_owner_of_the_metric(self) -> None:
        """ "agreement with GPT-4 labels ≥ 0.8": GPT-4 is what the agreement is measured against,
        not whose metric it is."""
        result = parse_criterion(
            "agreement with GPT-4 labels ≥ 0.8", block_systems=["Ours", "GPT-4"]
        )
        assert not (isinstance(result, Criterion) and result.subject == "GPT-4")

    def test_over_a_system_names_the_reference_when_the_block_lists_none(self) -> None:
        c = parsed("Multi-task improves Hard F1 by ≥3pp over single-task")
        assert (c.metric, c.reference) == ("Hard F1", "single-task")

    @pytest.mark.parametrize(
        "text",
        [
            "accuracy ≥ 0.85. If lower, refit the head via ridge regression; rerun until met",
            "accuracy ≥ 0.85; if not, stop and document the residual",
            "accuracy ≥ 0.85. Otherwise drop the arm and report it as failed",
            "准确率 ≥ 0.85；如果未达到，重新拟合并记录残差",
            "准确率 ≥ 0.85；当未达到时，重新拟合并记录残差",
        ],
    )
    def test_what_to_do_when_it_is_missed_is_no_clause(self, text: str) -> None:
        """015's B1 "correlation ≥ 0.85 on both metrics. If lower, refit …; rerun until
        threshold met …" read as three clauses, the two about refitting declined as
        "several or conditional clauses": what follows "If lower," is the fallback, left out
        with a note."""
        c = parsed(text)
        assert (c.metric, c.comparison, c.threshold) == ("accuracy", Comparison.GE, 0.85)
        assert any("what to do if the criterion is not met" in n for n in c.notes), c.notes


class TestParseCriterionChinese:
    def test_higher_than_baseline_by_points(self) -> None:
        """'准确率比基线高2%以上' is accuracy ≥ 2 points above the baseline."""
        c = parsed("准确率比基线高2%以上")
        assert (c.metric, c.comparison, c.threshold) == ("accuracy", Comparison.GE, 2.0)
        assert c.reference == BASELINE and c.orientation is Orientation.HIGHER
        assert c.percent_scale

    def test_improvement_without_reference(self) -> None:
        """'F1 提升 ≥ 0.5' is a gain over the block's baseline, noted as an interpretation."""
        c = parsed("F1 提升 ≥ 0.5")
        assert (c.metric, c.comparison, c.threshold, c.reference) == (
            "f1",
            Comparison.GE,
            0.5,
            BASELINE,
        )
        assert any("baseline" in n for n in c.notes)

    def test_absolute_below(self) -> None:
        """'困惑度低于20' is perplexity < 20."""
        c = parsed("困惑度低于20")
        assert (c.metric, c.comparison, c.threshold, c.mode) == (
            "perplexity",
            Comparison.LT,
            20.0,
            Mode.ABSOLUTE,
        )

    def test_each_component(self) -> None:
        """'每个组件贡献超过0.5%' is an ablation criterion."""
        c = parsed("每个组件贡献超过0.5%")
        assert c.scope is Scope.EACH_COMPONENT and c.comparison is Comparison.GT

    def test_percentage_points(self) -> None:
        """'准确率提升2个百分点' is a 2-point gain."""
        c = parsed("准确率提升2个百分点")
        assert (c.threshold, c.percent_scale, c.mode) == (2.0, True, Mode.DIFFERENCE)

    def test_relative_latency(self) -> None:
        """'相对基线，延迟降低 20%' is a relative reduction of latency."""
        c = parsed("相对基线，延迟降低 20%")
        assert (c.metric, c.mode, c.orientation) == ("latency", Mode.RELATIVE, Orientation.LOWER)

    def test_full_width_symbols(self) -> None:
        """Full-width comparators and percent signs are normalised."""
        c = parsed("准确率＞９０％")
        assert (c.comparison, c.threshold) == (Comparison.GT, 90.0)


class TestFlags:
    """029's sanity "JSON contains keys `data_ok, …` all `true`" was declined ("names several
    metrics") and read "Sanity: passed" over a flag written false: a flag stated true or false
    is a clause "flag = 1" (or 0); a condition or quantifier before the flags is no flag
    reading (the review's "accuracy > 0.9 with `use_amp` = true" lost its threshold)."""

    @pytest.mark.parametrize(
        ("text", "read"),
        [
            (
                "smoke run returns exit 0, JSON contains keys `data_ok, ml_ok` all `true`.",
                [("data_ok", 1.0), ("ml_ok", 1.0)],
            ),
            ("`leak` is false", [("leak", 0.0)]),
            ("a_ok 和 b_ok 均为 true", [("a_ok", 1.0), ("b_ok", 1.0)]),
        ],
    )
    def test_flags_are_clauses(self, text: str, read: list[tuple[str, float]]) -> None:
        found = parse_criterion(text, block_systems=(), metrics=())
        clauses = found.clauses if isinstance(found, Compound) else (found,)
        assert [
            (c.metric, c.threshold, c.comparison) for c in clauses if isinstance(c, Criterion)
        ] == [(m, v, Comparison.EQ) for m, v in read], found

    @pytest.mark.parametrize(
        "text",
        [
            "the claim is true",
            "accuracy > 0.9 with `use_amp` = true",
            "none of `a_ok`, `b_ok` are true",
            "at least one of `a_ok`, `b_ok` is true",
        ],
    )
    def test_no_flag_reading_drops_a_condition(self, text: str) -> None:
        found = parse_criterion(text, block_systems=(), metrics=())
        clauses = found.clauses if isinstance(found, Compound) else (found,)
        assert not any(
            isinstance(c, Criterion) and c.metric in ("a_ok", "b_ok", "use_amp") for c in clauses
        ), found


class TestEveryOneOfSeveral:
    """ "beats both A and B", "同时优于 A、B" (039's B3), "都高于 A": the word saying every system
    named is beaten read as a second clause, and each was declined ("several or conditional
    clauses")."""

    @pytest.mark.parametrize(
        ("text", "references"),
        [
            ("ours beats both A and B on accuracy", ["A", "B"]),
            ("GNN 同时优于 MART、no-message", ["MART", "no-message"]),
            ("GNN 的 accuracy 都高于 MART", ["MART"]),
        ],
    )
    def test_each_system_is_a_comparison(self, text: str, references: list[str]) -> None:
        found = parse_criterion(
            text, block_systems=("ours", "GNN", "A", "B", "MART", "no-message"), metrics=()
        )
        clauses = found.clauses if isinstance(found, Compound) else (found,)
        assert all(isinstance(c, Criterion) for c in clauses), found
        assert [c.reference for c in clauses if isinstance(c, Criterion)] == references


class TestSharedReference:
    """A reference written in words that several systems' names share ("no-message" of
    "threshold/no-message" and "typed-mass-cover/no-message", 039's B3) is said with the
    systems it could be; one system it narrows to, or none, is not this case."""

    _SYSTEMS = ("MART", "threshold/no-message", "typed-mass-cover/no-message", "threshold/GNN")

    @pytest.mark.parametrize(
        ("text", "said"),
        [
            ("GNN 同时优于 同 support 的 no-message", "同 support 的 no-message"),
            ("GNN beats the no-message variant on AUROC", "the no-message variant"),
            ("GNN 的 AUROC 高于 no-message 至少 1 点", "no-message"),
            ("GNN improves AUROC over no-message by 2 points", "no-message"),
        ],
    )
    def test_the_candidates_are_named(self, text: str, said: str) -> None:
        found = parse_criterion(text, block_systems=self._SYSTEMS, metrics=("AUROC",))
        assert isinstance(found, Unparsed), found
        assert found.reason == (
            f"the reference «{said}» could be any of several systems of the block "
            "(threshold/no-message; typed-mass-cover/no-message): name the one meant, or "
            "write a clause for each"
        )

    @pytest.mark.parametrize(
        "text", ["GNN beats threshold no-message on AUROC", "GNN 同时优于 MART"]
    )
    def test_one_system_is_not_this_case(self, text: str) -> None:
        found = parse_criterion(text, block_systems=self._SYSTEMS, metrics=("AUROC",))
        assert "could be any of" not in str(found), found


class TestSharedSubject:
    """The compared system written in words that several systems' names share (039's B3
    «GNN 同时优于 MART», "GNN" of "threshold/GNN" and "typed-mass-cover/GNN") is kept with the
    systems it could be, for the judge, which knows the block's proposed system: read as that
    system, MART, the clause compared MART with itself. Words that narrow it to one system are
    not this case."""

    _SYSTEMS = ("MART", "threshold/GNN", "typed-mass-cover/GNN", "threshold/no-message")

    @pytest.mark.parametrize("text", ["GNN 同时优于 MART", "GNN beats MART on AUROC"])
    def test_the_candidates_are_kept(self, text: str) -> None:
        found = parse_criterion(text, block_systems=self._SYSTEMS, metrics=("AUROC",))
        assert isinstance(found, Criterion), found
        assert (found.subject, found.reference) == (None, "MART")
        assert found.subject_said == "GNN"
        assert found.subject_could_be == ("threshold/GNN", "typed-mass-cover/GNN")

    @pytest.mark.parametrize(
        "text", ["threshold GNN beats MART on AUROC", "MART beats threshold/no-message"]
    )
    def test_one_system_is_not_this_case(self, text: str) -> None:
        found = parse_criterion(text, block_systems=self._SYSTEMS, metrics=("AUROC",))
        assert isinstance(found, Criterion) and not found.subject_could_be, found

    def test_a_part_in_parentheses_tells_the_systems_apart(self) -> None:
        """011's B2 "Multi-task (λ=0.3) … over single-task": "λ=0.3" is a part of one name."""
        systems = (
            "Multi-task DeBERTa (difficulty + evidence, λ=0.3)",
            "Single-task DeBERTa",
            "Multi-task with λ=0",
            "Multi-task with λ=1.0",
        )
        found = parse_criterion(
            "Multi-task (λ=0.3) improves Hard F1 by ≥3pp over single-task",
            block_systems=systems,
            metrics=("Hard F1",),
        )
        assert isinstance(found, Criterion) and not found.subject_could_be, found


class TestToleranceAlone:
    """015's B7 "peak T deltas agree within ±15% in magnitude" was "a number without a
    comparison: 15": it is a tolerance, with no system it is measured from; one with a system
    ("within ±0.5 of B") is read."""

    @pytest.mark.parametrize(
        ("text", "said"),
        [
            ("peak T deltas agree within ±15% in magnitude", "within ±15%"),
            ("峰值温差在 ±15% 以内一致", "±15%"),
        ],
    )
    def test_it_is_said_a_tolerance(self, text: str, said: str) -> None:
        from bridge.projections.reasons import in_language

        found = parse_criterion(text, block_systems=("A", "B"))
        assert isinstance(found, Unparsed), found
        assert found.reason.startswith(f"a tolerance «{said}» with no system it is measured "), (
            found.reason
        )
        assert in_language(found.reason, "zh").startswith(
            f"容差 «{said}» 没有说明相对哪个系统："
        ), in_language(found.reason, "zh")

    def test_one_measured_from_a_system_is_read(self) -> None:
        found = parse_criterion("accuracy within ±0.5 of B", block_systems=("A", "B"))
        assert isinstance(found, Criterion) and found.reference == "B", found


class TestParseCriterionUnparsed:
    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("", "empty"),
            ("statistically significant vs MLP", "statistical"),
            ("Either A > B OR B > A", "clauses"),
            # 008's B1 (trial T7): its "and" joins words, not conditions to check.
            (
                "every classification reconstructs from raw locators and frozen rules",
                "no comparison with a number or with another system",
            ),
            ("improves F1 by ≥3pp over baseline at ≥ 2x speed", "thresholds"),
            ("Multi-task macro F1 > best LLM judge macro F1 by ≥5pp", "the best or with all"),
            ("MART 相对 position-only 的 AUPRC 增量区间不跨 0", "statistical test or interval"),
            ("LSVJ-S > `SEAP` on ≥ 3/8 categories with CI direction", "statistical"),
            ("search > random by ≥+0.10 mean lift on 10 clips.", "not systems of the block"),
            ("accuracy not lower than the baseline", "non-inferiority"),
            ("accuracy and F1 > 90%", "several metrics"),
            ("TACE beats the strongest NMP-native baseline on throughput", "best"),
            ("成功标准：每个 main claim 有表/图支撑", "no comparison"),
            ("准确率 90%", "without a comparison"),
            # 029: a share of a parenthesised grid of items, and a clause that only allows
            ("feasible for ≥ 80 % of (date × hour × baseline) combinations", "share of items"),
            ("B1 baseline may fail more often (that's the H1 evidence)", "may happen"),
            ("accuracy may be higher than the baseline", "may happen"),
            ("方法可能更好", "may happen"),
            # a ratio to a system's value read as a 95-point gain; counts in a grid
            ("accuracy reaches 95% of the baseline", "percentage of another system's value"),
            ("≥ 90 % of 15-min slices in the 5 LAX Fridays", "share of items"),
            ("false-rejection ≤ 10% across all 4 types", "counts over subsets"),
        ],
    )
    def test_reason(self, text: str, reason: str) -> None:
        """Criteria the rules cannot check come back Unparsed with a reason saying why."""
        result = parse_criterion(text)
        assert isinstance(result, Unparsed), result
        assert reason in result.reason and result.text == text

    def test_unknown_reference_with_known_systems(self) -> None:
        """Naming a reference that is not one of the block's systems is not guessed."""
        result = parse_criterion("accuracy ≥ 1 point vs Zeta", block_systems=["A", "B"])
        assert isinstance(result, Unparsed)


class TestParseCriterionProperties:
    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=120))
    def test_never_raises(self, text: str) -> None:
        """Any text gives a Criterion or an Unparsed, never an exception."""
        result = parse_criterion(text)
        assert isinstance(result, Criterion | Unparsed | Compound)
        if isinstance(result, Compound):
            assert all(isinstance(c, Criterion) or c.reason for c in result.clauses)

    @settings(max_examples=150, deadline=None)
    @given(
        st.sampled_from(["accuracy", "loss", "F1", "困惑度"]),
        st.sampled_from(["<", ">", "≥", "≤", "低于", "at least"]),
        st.decimals(min_value=0, max_value=1000, places=2).map(str),
    )
    def test_absolute_threshold_round_trip(self, metric: str, op: str, number: str) -> None:
        """'METRIC OP NUMBER' always parses to that number as an absolute threshold."""
        c = parsed(f"{metric} {op} {number}")
        assert c.mode is Mode.ABSOLUTE and c.threshold == float(number)

    @needs_shared
    def test_corpus_criteria_never_raise(self) -> None:
        """Every success criterion in the real corpus parses or is declined with a reason."""
        plans = sorted((SHARED / "corpus" / "plans").glob("*/EXPERIMENT_PLAN.md"))
        assert plans, f"no plans under {SHARED}"
        pattern = re.compile(r"(Success criteri\w*|成功标准|成功条件)[^:：]*[:：]\s*(.+)")
        seen = 0
        for plan in plans:
            for line in plan.read_text(encoding="utf-8-sig").splitlines():
                found = pattern.search(line)
                if found:
                    seen += 1
                    result = parse_criterion(found.group(2))
                    clauses = result.clauses if isinstance(result, Compound) else (result,)
                    assert all(isinstance(c, Criterion) or c.reason for c in clauses)
        assert seen > 20


def test_clause_metrics_takes_the_block_systems_as_a_tuple() -> None:
    """Its answers are cached (lru_cache): a list of systems cannot be a key and raised
    TypeError, so the type says tuple, as every caller passes."""
    hints = typing.get_type_hints(clause_metrics)
    assert hints["block_systems"] == tuple[str, ...]
    assert clause_metrics("A accuracy > B accuracy", ("accuracy",), ("A", "B")) == ("accuracy",)


def test_a_clause_over_the_expansion_limit_is_kept_whole_and_said() -> None:
    """
    Distributing a clause over its systems is quadratic in its length (a 40,000-character
    criterion took 9 s to plan): past 1,000 characters a clause is kept whole, with a note, while
    a short list is still distributed.
    """
    from bridge.plan.criteria.clauses import split_clauses

    short, _ = split_clauses("ours beats A and B on accuracy")
    assert short == ("ours beats A on accuracy", "ours beats B on accuracy")
    systems = ", ".join(f"S{i}" for i in range(250))
    long_text = f"ours beats {systems} and T on accuracy"
    assert len(long_text) > 1_000
    clauses, notes = split_clauses(long_text)
    assert clauses == (long_text,)
    assert any(f"kept a clause of {len(long_text):,} characters whole" in n for n in notes)


def test_a_criterion_over_ten_thousand_characters_is_declined_with_its_length() -> None:
    """
    Reading a criterion costs time growing with the square of its length; a text far longer
    than any real criterion (a pasted log) is declined at once, its length given.
    """
    text = "acc > 1 and " * 1_000
    result = parse_criterion(text, metrics=("acc",))
    assert isinstance(result, Unparsed)
    assert result.reason.startswith(f"{len(text):,} characters, too long to read as a criterion")
    assert isinstance(parse_criterion("acc > 1 and " * 50, metrics=("acc",)), Compound)


class TestMarginInWords:
    """A comparison whose margin is stated only in words is read as a gain over the reference,
    the words kept (002's B1 "outperform NoRot by a non-trivial margin" was declined whole, so
    a TC-CS-1S below NoRot read "open")."""

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("A must outperform B by a non-trivial margin on accuracy", "non-trivial"),
            ("A clearly outperforms B on accuracy", "clearly"),
            ("A beats B substantially on accuracy", "substantially"),
            ("A shows a meaningful gain in accuracy over B", "meaningful"),
            ("A 的准确率明显优于 B", "明显"),
        ],
    )
    def test_the_gain_is_read_and_the_words_kept(self, text: str, word: str) -> None:
        """Subject, reference and "any gain" are read; the margin's words are kept for the
        judge, and the statement says the margin is not a number."""
        result = parse_criterion(text, block_systems=["A", "B"], metrics=["accuracy"])
        assert isinstance(result, Criterion), result
        assert (result.subject, result.reference, result.metric) == ("A", "B", "accuracy")
        assert (result.comparison, result.threshold, result.mode) == (
            Comparison.GT,
            0.0,
            Mode.DIFFERENCE,
        )
        assert result.margin_in_words == word
        assert f"by a margin stated only in words ({word!r})" in result.describe()

    def test_separating_from_a_system_is_beating_it(self) -> None:
        """002's B2 "…, while also separating from NoRot" was "several or conditional
        clauses": it asks TC-CS-1S to beat NoRot, by a margin not stated."""
        systems = ["current additive JORA-Diag", "TC-CS-1S attention-only", "JORA-NoRot"]
        result = parse_criterion(
            "TC-CS-1S must exceed current additive JORA-Diag in the same budget regime, while "
            "also separating from NoRot.",
            block_systems=systems,
        )
        assert isinstance(result, Compound), result
        second = result.clauses[1]
        assert isinstance(second, Criterion), second
        assert (second.subject, second.reference) == ("TC-CS-1S attention-only", "JORA-NoRot")
        assert second.margin_in_words == "separating from"

    @pytest.mark.parametrize(
        "text",
        [
            # On a par, not better: no direction to check.
            "A should be competitive with B",
            # No second system: the words say no gain over anything.
            "the ordering is clear",
        ],
    )
    def test_words_without_a_gain_over_a_system_stay_declined(self, text: str) -> None:
        """Only a gain over another system is read: anything else keeps its reason."""
        result = parse_criterion(text, block_systems=["A", "B"])
        assert isinstance(result, Unparsed), result
        assert "a margin without a number" in result.reason

    def test_a_margin_as_a_number_has_no_words(self) -> None:
        """A margin with a number is the number: nothing stated in words."""
        result = parse_criterion("A beats B by ≥ 2 points on accuracy", block_systems=["A", "B"])
        assert isinstance(result, Criterion) and result.margin_in_words is None


def test_the_primary_metric_named_by_its_rank_is_the_blocks() -> None:
    """ "… on the primary quality metric" (002's B1) is the block's primary metric, not a metric
    called "primary quality metric" that no run records."""
    for text in (
        "A must outperform B on the primary quality metric",
        "A must outperform B on the primary metric",
    ):
        result = parse_criterion(text, block_systems=["A", "B"])
        assert isinstance(result, Criterion), result
        assert result.metric is None, result


class TestSignificantlyBetter:
    """ "significantly better than B" with no test named: a gain that must at least be there, a
    test of it the rules do not compute (it was declined whole, whatever the numbers)."""

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("A is significantly better than B on accuracy", "significantly"),
            ("A 的准确率显著高于 B", "显著"),
        ],
    )
    def test_the_gain_is_read(self, text: str, word: str) -> None:
        result = parse_criterion(text, block_systems=["A", "B"], metrics=["accuracy"])
        assert isinstance(result, Criterion), result
        assert (result.subject, result.reference, result.metric) == ("A", "B", "accuracy")
        assert (result.threshold, result.margin_in_words) == (0.0, word)

    @pytest.mark.parametrize(
        "text",
        [
            "A beats B on accuracy with p < 0.05",
            "A significantly outperforms B on accuracy (bootstrap CI)",
            "statistically significant vs B",
        ],
    )
    def test_a_test_named_stays_declined(self, text: str) -> None:
        """A p-value, an interval or no direction: more than a gain, still declined."""
        result = parse_criterion(text, block_systems=["A", "B"], metrics=["accuracy"])
        assert isinstance(result, Unparsed), result
        assert "statistical test" in result.reason


@pytest.mark.parametrize(
    "text",
    [
        "当 batch size 为 64 时，吞吐量 ≥ 1000",
        "当 batch size 大于 64 时，吞吐量不低于 1000",
        "当且仅当 batch size 为 64 时吞吐量 ≥ 1000",
        # 当 before 下降 (a drop), 中位数 (the median), 时延 (latency) opens «当 … 时» all the same.
        "当下降幅度超过 5% 时，吞吐量 ≥ 1000",
        "当中位数时延大于 5 ms 时，吞吐量 ≥ 1000",
        "当时延大于 5 ms 时，吞吐量 ≥ 1000",
        # The English and the other Chinese conditionals, read alike.
        "if batch size > 64, throughput ≥ 1000",
        "如果 batch size 大于 64，吞吐量不低于 1000",
    ],
)
def test_a_chinese_when_clause_is_a_conditional(text: str) -> None:
    """«当 X 时，Y» is "when X, Y": a conditional, declined as "if X, Y" is, never Y judged
    alone (split at its comma, the threshold after it was judged as if it always held)."""
    read = parse_criterion(text, metrics=["throughput"])
    assert isinstance(read, Unparsed), read
    assert read.reason == "several or conditional clauses; only one condition can be checked"


@pytest.mark.parametrize(
    ("text", "metric", "threshold"),
    [
        # Each with a 时 after it, as «当 … 时» has.
        ("当前时段 accuracy ≥ 0.9", "accuracy", 0.9),
        ("相当时期内 accuracy ≥ 0.9", "accuracy", 0.9),
        ("当然，任何时候 accuracy ≥ 0.9", "accuracy", 0.9),
        ("在适当时机 accuracy ≥ 0.9", "accuracy", 0.9),
    ],
)
def test_words_that_start_with_dang_are_no_conditional(
    text: str, metric: str, threshold: float
) -> None:
    """当前 ("current"), 当然 ("of course"), 相当 ("quite"), 适当 ("suitable") hold 当 but say
    no «当 … 时»."""
    read = parse_criterion(text, metrics=["accuracy"])
    clauses = read.clauses if isinstance(read, Compound) else (read,)
    last = clauses[-1]
    assert isinstance(last, Criterion), read
    assert (last.metric, last.threshold) == (metric, threshold)


def test_a_minimum_or_maximum_is_no_mean_of_the_plans_own_metric() -> None:
    """Third review of s42: with the plan's Metrics naming accuracy and latency, «worst accuracy
    ≥ 0.8», «minimum accuracy ≥ 0.8» and «max latency ≤ 10 ms» were judged on the mean accuracy
    and latency a run records. A minimum or maximum stays in the name (looked up whole, open
    where no run records it); «mean accuracy» is the accuracy."""
    for text, metric in (
        ("Ours has worst accuracy ≥ 0.8", "worst accuracy"),
        ("Ours minimum accuracy ≥ 0.8", "minimum accuracy"),
        ("Ours max latency ≤ 10 ms", "max latency"),
        ("Ours mean accuracy ≥ 0.8", "accuracy"),
        ("Ours accuracy ≥ 0.8", "accuracy"),
    ):
        read = parse_criterion(text, block_systems=["Ours", "B"], metrics=["accuracy", "latency"])
        assert isinstance(read, Criterion) and read.metric == metric, (text, read)
