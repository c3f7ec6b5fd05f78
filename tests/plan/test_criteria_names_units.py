"""
Criteria readings the r36 review left (session 35, h12B): a name with a dot or a hyphen after
"beats" or a comparator read whole; a model's name with digits a name, not a number; a unit
after the threshold or a margin kept and matched to the unit the metric's name says.

Each expectation was written by reading the clause, not by running the parser.
"""

from __future__ import annotations

import pytest

from bridge.machine.judge import Verdict, VerdictKind
from bridge.plan.criteria import Comparison, Criterion, Unparsed, parse_criterion
from bridge.plan.criteria.lexicon import STATISTICS_REASON
from bridge.projections.reasons import in_language
from tests.plan.judged import judged

_SYSTEMS = ("Baseline", "Method")
_METRICS = ("accuracy", "latency")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Method beats ckpt_0.5 by 2 points", "ckpt_0.5"),
        ("Method beats `ckpt_0.5` by 2 points", "ckpt_0.5"),
        ("Method beats ckpt_0.5 on accuracy.", "ckpt_0.5"),
        ("Method outperforms v1.2", "v1.2"),
        ("Method beats gpt-4o by 2 points", "gpt-4o"),
    ],
)
def test_a_dotted_name_after_beats_is_one_reference(text: str, name: str) -> None:
    # "beats ckpt_0.5 by 2 points" was the metric 'ckpt_0' against the block's baseline.
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=_METRICS)
    assert isinstance(parsed, Unparsed), parsed
    assert f"the reference «{name}» after" in parsed.reason
    assert "not a system of the block" in parsed.reason


def test_a_dotted_name_that_is_a_system_is_the_reference() -> None:
    parsed = parse_criterion(
        "Method beats ckpt_0.5 by 2 points on accuracy",
        block_systems=(*_SYSTEMS, "ckpt_0.5"),
        metrics=_METRICS,
    )
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.reference, parsed.metric, parsed.threshold) == ("ckpt_0.5", "accuracy", 2.0)


def test_a_dotted_name_with_no_systems_listed_is_the_reference() -> None:
    parsed = parse_criterion("Method beats ckpt_0.5 by 2 points on accuracy", metrics=_METRICS)
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.reference, parsed.metric, parsed.threshold) == ("ckpt_0.5", "accuracy", 2.0)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Method accuracy > gpt-4o", "the reference «gpt-4o» after '>'"),
        ("Method accuracy > gpt-3.5-turbo.", "the reference «gpt-3.5-turbo» after '>'"),
        ("gpt-4o accuracy > 0.8", "names «gpt-4o»"),
        ("llama-3-8b accuracy > 0.8", "names «llama-3-8b»"),
    ],
)
def test_a_model_name_with_digits_is_a_name(text: str, said: str) -> None:
    # Each was "a number without a comparison: '4'" (or '3'), which said nothing of the name.
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=_METRICS)
    assert isinstance(parsed, Unparsed), parsed
    assert parsed.reason.startswith(said), parsed.reason
    assert "is not a system of the block (Baseline; Method)" in parsed.reason
    assert "不是该实验块的系统" in in_language(parsed.reason, "zh")


def test_digits_joined_to_a_word_by_a_hyphen_are_the_words() -> None:
    """023's R002 gate «checkpoint contract; SHA-256 manifest; …» was also "a number without a
    comparison: '256'": the digits of SHA-256 are the name's, not a threshold."""
    parsed = parse_criterion("SHA-256 digests match", block_systems=_SYSTEMS, metrics=_METRICS)
    assert isinstance(parsed, Unparsed), parsed
    assert parsed.reason == "no comparison with a number or with another system"
    # Where something is compared, a hyphen-joined number may be a setting the value is not
    # taken at: refused as before, not dropped unseen.
    parsed = parse_criterion(
        "Method accuracy ≥ 70 at bit-4", block_systems=_SYSTEMS, metrics=_METRICS
    )
    assert isinstance(parsed, Unparsed) and parsed.reason.endswith("'4'"), parsed
    # A number after a comparator, and a signed one after a space, are still thresholds.
    parsed = parse_criterion("Method loss change ≥ -1", block_systems=_SYSTEMS, metrics=_METRICS)
    assert isinstance(parsed, Criterion), parsed
    assert parsed.threshold == -1.0


def test_a_model_name_that_is_a_system_is_compared() -> None:
    parsed = parse_criterion(
        "Method accuracy > gpt-4o", block_systems=(*_SYSTEMS, "GPT-4o"), metrics=_METRICS
    )
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.subject, parsed.reference, parsed.metric) == ("Method", "GPT-4o", "accuracy")


@pytest.mark.parametrize("text", ["Method top-5-acc > 0.9", "rouge-1-f > 0.3"])
def test_a_metrics_name_with_digits_is_no_models(text: str) -> None:
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=_METRICS)
    assert isinstance(parsed, Unparsed), parsed
    assert "not a system of the block" not in parsed.reason, parsed.reason


def test_top_1_is_still_a_metric_name() -> None:
    # Digits that end a hyphenated word ("top-1", "bleu-4") are no model's name.
    parsed = parse_criterion("top-1 accuracy > 0.8", block_systems=_SYSTEMS, metrics=())
    assert isinstance(parsed, Criterion), parsed
    assert parsed.threshold == 0.8


def _judged(text: str, metric: str, values: dict[str, float]) -> Verdict:
    """``text`` judged on one run per system of ``values``, recording ``metric``."""
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=_METRICS)
    return judged(
        parsed,
        {(s, metric): v for s, v in values.items()},
        reference="Baseline",
        candidate="Method",
        systems=_SYSTEMS,
        primary="latency",
    )


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("latency < 5 ms", "ms"),
        ("Method latency < 2 s per task", "s"),
        ("peak memory ≤ 40 GB", "GB"),
        ("latency 低于 5 毫秒", "ms"),
    ],
)
def test_a_unit_after_the_threshold_is_kept(text: str, unit: str) -> None:
    # "latency < 5 ms" read "latency < 5": the unit was dropped.
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=(*_METRICS, "peak memory"))
    assert isinstance(parsed, Criterion), parsed
    assert parsed.unit == unit
    assert parsed.describe().endswith(f" {unit}") or f" {unit} " in parsed.describe()


def test_a_setting_after_the_threshold_is_no_unit() -> None:
    parsed = parse_criterion("accuracy > 0.4 at h=144", metrics=_METRICS)
    assert isinstance(parsed, Criterion), parsed
    assert parsed.unit is None


def test_a_threshold_in_ms_of_values_in_no_known_unit_is_not_judged() -> None:
    # Values in seconds (0.004 s): compared with 5 as written, any latency under 5 s met it.
    verdict = _judged("latency < 5 ms", "latency", {"Baseline": 0.010, "Method": 0.004})
    assert verdict.verdict is VerdictKind.INCONCLUSIVE
    assert "threshold is in ms (5 ms), and which unit latency's values are in is not known" in (
        verdict.reason
    )
    assert "成功标准的阈值以 ms 为单位" in in_language(verdict.reason, "zh")


@pytest.mark.parametrize(
    ("metric", "method", "kind"),
    [
        ("latency_ms", 4.0, VerdictKind.MET),
        ("latency_ms", 6.0, VerdictKind.NOT_MET),
        ("latency_s", 0.004, VerdictKind.MET),
        ("latency_s", 0.006, VerdictKind.NOT_MET),
    ],
)
def test_a_threshold_in_ms_is_judged_in_the_unit_the_name_says(
    metric: str, method: float, kind: VerdictKind
) -> None:
    verdict = _judged("latency < 5 ms", metric, {"Baseline": 0.01, "Method": method})
    assert verdict.verdict is kind, verdict.reason
    if metric == "latency_s":
        assert "5 ms read as 0.005 s, the unit latency_s's name says" in verdict.reason


def test_a_size_in_another_unit_is_not_converted() -> None:
    verdict = _judged("latency < 5 ms", "latency_gb", {"Baseline": 1.0, "Method": 1.0})
    assert verdict.verdict is VerdictKind.INCONCLUSIVE
    assert "latency_gb's name says its values are in GB" in verdict.reason


@pytest.mark.parametrize(
    ("text", "comparison"),
    [
        ("latency ≥ Baseline − 5 ms", Comparison.LE),
        ("Method latency ≤ Baseline − 5 ms", Comparison.GE),
        ("latency 不低于 Baseline 减 5 毫秒", Comparison.LE),
        ("latency 不高于 Baseline 加 5 毫秒", Comparison.LE),
    ],
)
def test_a_margin_from_a_system_with_a_unit_is_read(text: str, comparison: Comparison) -> None:
    # "≥ Baseline − 5 ms" was "a margin measured from a system" (or, with a subject, "names
    # several systems"); «减 5 毫秒» was read as 5 with no unit.
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=_METRICS)
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.reference, parsed.comparison, parsed.threshold, parsed.unit) == (
        "Baseline",
        comparison,
        5.0,
        "ms",
    )
    # Read in bridge's words (ms), the plan's own in the quote.
    assert any("' read as 'at" in note and " 5 ms " in note for note in parsed.notes), parsed.notes


def test_a_margin_in_ms_is_judged_in_the_values_unit() -> None:
    # 6 ms below Baseline in latency_ms: at least 5 ms below, met; in seconds the 4 ms gain
    # of latency_s is not 5 ms; of values in no known unit, not judged.
    text = "Method latency ≤ Baseline − 5 ms"
    assert _judged(text, "latency_ms", {"Baseline": 10, "Method": 4}).verdict is VerdictKind.MET
    in_s = _judged(text, "latency_s", {"Baseline": 0.010, "Method": 0.006})
    assert in_s.verdict is VerdictKind.NOT_MET, in_s.reason
    unknown = _judged(text, "latency", {"Baseline": 0.010, "Method": 0.004})
    assert unknown.verdict is VerdictKind.INCONCLUSIVE, unknown.reason


def _judged_on(text: str, values: dict[tuple[str, str], float]) -> Verdict:
    """``text`` judged on one run per (system, metric) of ``values``; accuracy the primary."""
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=("accuracy",))
    return judged(parsed, values, reference="Baseline", candidate="Method", systems=_SYSTEMS)


@pytest.mark.parametrize(
    "text",
    [
        "accuracy > Baseline on the test set",
        "Method accuracy > Baseline on the held-out test set.",
        "accuracy 在测试集上 > Baseline",
    ],
)
def test_a_trailing_test_set_is_the_evaluation_set(text: str) -> None:
    # "accuracy > Baseline on the test set" was "a comparison between things that are not
    # systems of the block"; with a subject the set was dropped without a word.
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=("accuracy",))
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.reference, parsed.metric, parsed.evaluation_set) == (
        "Baseline",
        "accuracy",
        "test",
    )
    assert parsed.describe().endswith("on the test set")


def test_the_test_sets_value_is_judged() -> None:
    one = _judged_on(
        "accuracy > Baseline on the test set",
        {("Baseline", "accuracy"): 0.5, ("Method", "accuracy"): 0.6},
    )
    assert one.verdict is VerdictKind.MET, one.reason
    assert "on the test set: accuracy, the one value the runs record, read as that set's" in (
        one.reason
    )
    assert "在测试集上" in in_language(one.reason, "zh")


def test_another_sets_value_is_not_taken_for_the_test_sets() -> None:
    # The runs record a validation accuracy beside the plain one: which is the test set's
    # is not said, and a validation value met it where the test set's may not.
    beside = _judged_on(
        "accuracy > Baseline on the test set",
        {
            ("Baseline", "accuracy"): 0.5,
            ("Method", "accuracy"): 0.6,
            ("Baseline", "val_accuracy"): 0.5,
            ("Method", "val_accuracy"): 0.6,
        },
    )
    assert beside.verdict is VerdictKind.INCONCLUSIVE, beside.reason
    assert "runs record accuracy beside val_accuracy" in beside.reason
    assert "成功标准针对测试集" in in_language(beside.reason, "zh")


@pytest.mark.parametrize(
    "text",
    [
        "Method accuracy > Baseline, with alpha=0.05",
        "Method accuracy > Baseline, with α = 0.01",
        "Method accuracy > Baseline, with p < 0.05",
        "Method accuracy > Baseline (p < 0.05)",
    ],
)
def test_a_significance_level_asks_for_a_test(text: str) -> None:
    # "…, with alpha=0.05" split off a clause "alpha = 0.05", a threshold on a metric 'alpha'
    # left unjudged beside a plain gain: the plan asks for a test, as "(p < 0.05)" does.
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=_METRICS)
    assert isinstance(parsed, Unparsed), parsed
    assert parsed.reason == STATISTICS_REASON


@pytest.mark.parametrize("said", ["at alpha=0.5", "with alpha=1"])
def test_a_hyperparameters_alpha_is_a_setting(said: str) -> None:
    # "at alpha=0.5" read 0.5 as the gain's threshold: a mixup alpha is where the gain holds.
    parsed = parse_criterion(
        f"Method accuracy > Baseline {said}", block_systems=_SYSTEMS, metrics=_METRICS
    )
    assert isinstance(parsed, Criterion), parsed
    assert parsed.threshold == 0.0
    assert f"{said!r} read as where it holds, not a threshold" in parsed.notes


@pytest.mark.parametrize(
    ("text", "threshold"),
    [
        ("latency < 1e-3", 0.001),
        ("accuracy ≥ 2.5E-1 on average", 0.25),
        ("latency ≤ 5e+2", 500.0),
    ],
)
def test_a_threshold_in_scientific_notation_is_read(text: str, threshold: float) -> None:
    """ "loss < 1e-3" was "a number without a comparison: '3'"."""
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=_METRICS)
    assert isinstance(parsed, Criterion), parsed
    assert parsed.threshold == threshold


def test_a_margin_in_scientific_notation_is_judged() -> None:
    """ "≥ Baseline + 1e-2": at least 0.01 above the baseline (was unparsed)."""
    text = "Method accuracy ≥ Baseline + 1e-2"
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=_METRICS)
    assert isinstance(parsed, Criterion) and parsed.threshold == 0.01, parsed
    met = _judged(text, "accuracy", {"Baseline": 0.80, "Method": 0.82})
    assert met.verdict is VerdictKind.MET, met.reason
    short = _judged(text, "accuracy", {"Baseline": 0.80, "Method": 0.805})
    assert short.verdict is VerdictKind.NOT_MET, short.reason
