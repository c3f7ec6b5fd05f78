"""
A metric's name qualified by a subset of the items ("Hard hit rate", "OOD hit rate") or by a
worst case ("worst-case accuracy") is not the plain metric a run records: «ours Hard hit rate <
5%» was met on the whole set's `hit_rate` (the name held the recorded one's two words), where
«Hard F1» beside `f1` was left open; "worst-case accuracy" was read as `accuracy` (h43C).

Each expectation was written by reading the clause, not by running the parser.
"""

from __future__ import annotations

import pytest

from bridge.machine.judge import Aggregate, VerdictKind, judge_block
from bridge.plan.criteria import Compound, Criterion, Mode, Unparsed, parse_criterion
from bridge.plan.metric_names import match_metric, plan_metric_names
from bridge.projections.reasons import in_language
from tests.conftest import needs_shared
from tests.plan.corpus import corpus
from tests.plan.judged import judged

_SYSTEMS = ("Ours", "Base")


@pytest.mark.parametrize(
    "text",
    [
        "ours Hard hit rate < 5%",
        "ours hard hit rate < 5%",
        "ours OOD hit rate < 5%",
        "ours long-tail hit rate < 5%",
        "ours unseen hit rate < 5%",
    ],
)
def test_a_subset_the_recorded_name_does_not_say_leaves_the_clause_open(text: str) -> None:
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=())
    verdict = judged(
        parsed,
        {("Ours", "hit_rate"): 0.03, ("Base", "hit_rate"): 0.1},
        reference="Base",
        candidate="Ours",
        systems=_SYSTEMS,
        primary=None,
    )
    assert verdict.verdict is VerdictKind.INCONCLUSIVE, verdict.reason
    assert "not found for Ours (extracted: hit_rate)" in verdict.reason


def test_the_subset_recorded_under_its_own_name_is_judged() -> None:
    parsed = parse_criterion("ours Hard hit rate < 5%", block_systems=_SYSTEMS, metrics=())
    verdict = judged(
        parsed,
        {("Ours", "hit_rate"): 0.2, ("Ours", "hard_hit_rate"): 0.03},
        reference="Base",
        candidate="Ours",
        systems=_SYSTEMS,
        primary=None,
    )
    assert verdict.verdict is VerdictKind.MET, verdict.reason
    assert verdict.reason.startswith("hard_hit_rate: Ours 0.03")


@pytest.mark.parametrize(
    ("plan_name", "recorded"),
    [
        ("Hard hit rate", None),
        ("OOD hit rate", None),
        ("per-class hit rate", None),
        ("worst-case success rate", None),
        # A word naming no subset before the name, or the split evaluated on (the criteria's
        # neutral words: "test accuracy" is the accuracy a run records): the recorded one is it.
        ("test hit rate", "hit_rate"),
        ("validation hit rate", "hit_rate"),
        ("matched final task quality", "final_task_quality"),
        ("per-clip exported J-drop", "J_drop"),
        ("Request/accept/result/receipt completion rate", "completion_rate"),
    ],
)
def test_a_name_held_in_the_plans_words_is_no_match_past_a_subset_word(
    plan_name: str, recorded: str | None
) -> None:
    names = ["hit_rate", "success_rate", "final_task_quality", "J_drop", "completion_rate"]
    assert match_metric(plan_name, names) == recorded


@needs_shared
@pytest.mark.parametrize(
    ("plan", "said", "recorded"),
    [
        ("005", "per-clip exported J-drop", "J_drop"),
        ("030", "Request/accept/result/receipt completion rate", "completion_rate"),
    ],
)
def test_the_corpus_names_before_a_recorded_one_name_no_subset(
    plan: str, said: str, recorded: str
) -> None:
    """005's «per-clip exported J-drop» and 030's «Request/accept/result/receipt completion
    rate», as their plans' Metrics lines list them, still name what their runs record."""
    text = (corpus(plan) / "EXPERIMENT_PLAN.md").read_text(encoding="utf-8")
    items = [line.lstrip("-* ").split("**Metrics**:")[-1] for line in text.splitlines()]
    # Not the item that goes on to define it ("per-clip exported J-drop. Compute …"): its
    # sentence is no name.
    listed = plan_metric_names([i for i in items if said in i])
    names = [n for n in listed if n == said or n.startswith(f"{said} ")]
    assert names
    assert {match_metric(name, [recorded, "other_metric"]) for name in names} == {recorded}


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("Ours worst-case accuracy >= 0.8", "worst-case accuracy"),
        ("Ours worst case accuracy >= 0.8", "worst case accuracy"),
        ("Ours worst-group accuracy >= 0.8", "worst-group accuracy"),
        ("Ours OOD accuracy >= 0.8", "OOD accuracy"),
        ("Ours long-tail accuracy >= 0.8", "long-tail accuracy"),
    ],
)
def test_a_worst_case_or_a_subset_is_part_of_the_plans_own_metric(text: str, metric: str) -> None:
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=("accuracy",))
    assert isinstance(parsed, Criterion), parsed
    assert parsed.metric == metric
    plain = judged(
        parsed,
        {("Ours", "accuracy"): 0.9},
        reference="Base",
        candidate="Ours",
        systems=_SYSTEMS,
    )
    assert plain.verdict is VerdictKind.INCONCLUSIVE, plain.reason
    words = "worst case" if metric.startswith("worst case") else metric.split(" ", 1)[0]
    assert f"; {words!r} names which one, and no recorded name says it" in plain.reason
    own = judged(
        parsed,
        {("Ours", "accuracy"): 0.9, ("Ours", metric.replace(" ", "_").replace("-", "_")): 0.7},
        reference="Base",
        candidate="Ours",
        systems=_SYSTEMS,
    )
    assert own.verdict is VerdictKind.NOT_MET, own.reason


@pytest.mark.parametrize(
    ("text", "metric", "word"),
    [
        ("Ours 最差准确率 ≥ 0.8", "最差准确率", "最差"),
        ("Ours 最坏情况准确率 ≥ 0.8", "最坏情况准确率", "最坏情况"),
        # «最低» before the metric is its minimum: this was read as the accuracy against the
        # baseline, lower by at least 0.8.
        ("Ours 的最低准确率 ≥ 0.8", "最低准确率", "最低"),
        ("Ours 困难样本准确率 ≥ 0.8", "困难样本准确率", "困难样本"),
        ("Ours 分布外准确率 ≥ 0.8", "分布外准确率", "分布外"),
    ],
)
def test_the_chinese_worst_case_or_subset_is_part_of_the_metrics_name(
    text: str, metric: str, word: str
) -> None:
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=("accuracy",))
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.metric, parsed.mode, parsed.reference) == (metric, Mode.ABSOLUTE, None)
    verdict = judged(
        parsed, {("Ours", "accuracy"): 0.9}, reference="Base", candidate="Ours", systems=_SYSTEMS
    )
    assert verdict.verdict is VerdictKind.INCONCLUSIVE, verdict.reason
    assert in_language(verdict.reason, "zh") == (
        f"未找到 Ours 的指标 '{metric}'（已提取：accuracy）；'{word}' 指明是哪一个，而没有记录的"
        "名称写明它：请以该名称记录，或在某个已记录的名称就是它时设置 "
        f'`[metrics] aliases = {{ "RECORDED NAME" = "{metric}" }}`'
    )
    own = judged(
        parsed,
        {("Ours", "accuracy"): 0.9, ("Ours", metric): 0.7},
        reference="Base",
        candidate="Ours",
        systems=_SYSTEMS,
    )
    assert own.verdict is VerdictKind.NOT_MET, own.reason


def test_a_chinese_minimum_after_the_metric_is_no_name() -> None:
    """With no word before it, «准确率» is the accuracy, as before."""
    parsed = parse_criterion("Ours 准确率 ≥ 0.8", block_systems=_SYSTEMS, metrics=("accuracy",))
    assert isinstance(parsed, Criterion) and parsed.metric == "accuracy"


def test_a_recorded_name_without_the_word_the_parser_read_is_not_taken() -> None:
    """The parser reads «Clipping» as naming which hit rate (a capitalised word no list holds);
    the judge took the recorded `hit_rate` inside the name all the same, and met it."""
    parsed = parse_criterion("ours Clipping hit rate < 5%", block_systems=_SYSTEMS, metrics=())
    plain = judged(
        parsed,
        {("Ours", "hit_rate"): 0.03},
        reference="Base",
        candidate="Ours",
        systems=_SYSTEMS,
        primary=None,
    )
    assert plain.verdict is VerdictKind.INCONCLUSIVE, plain.reason
    assert plain.reason == (
        "hit_rate recorded, not 'Clipping hit rate'; 'Clipping' names which one, and no "
        "recorded name says it: record it under that name, or, where a recorded one is it, "
        '`[metrics] aliases = { "RECORDED NAME" = "Clipping hit rate" }`'
    )
    assert in_language(plain.reason, "zh").startswith(
        "已记录 hit_rate，而非 'Clipping hit rate'；'Clipping' 指明是哪一个"
    )
    own = judged(
        parsed,
        {("Ours", "hit_rate"): 0.2, ("Ours", "clipping_hit_rate"): 0.03},
        reference="Base",
        candidate="Ours",
        systems=_SYSTEMS,
        primary=None,
    )
    assert own.verdict is VerdictKind.MET, own.reason
    aggregates = [
        Aggregate(block="B", system="Ours", metric="hit_rate", mean=0.03, std=None, n=1,
                  run_ids=("Ours-r",))
    ]  # fmt: skip
    aliased = judge_block(
        parsed,
        aggregates,
        runs_status={"Ours-r": "succeeded"},
        expected_seeds=1,
        reference_system="Base",
        candidate_system="Ours",
        primary_metric=None,
        planned_systems=_SYSTEMS,
        aliases={"Clipping hit rate": ["hit_rate"]},
    )
    assert aliased.verdict is VerdictKind.MET, aliased.reason


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("Ours accuracy on OOD data ≥ 0.8", "on OOD data"),
        ("Ours accuracy on the hard subset ≥ 0.8", "on the hard subset"),
        ("Ours accuracy on unseen classes ≥ 0.8", "on unseen classes"),
        ("Ours accuracy in the worst case ≥ 0.8", "in the worst case"),
        ("Ours accuracy under distribution shift ≥ 0.8", "under distribution shift"),
        ("On zero-shot tasks, Ours beats Base on accuracy by at least 0.01", "On zero-shot tasks"),
        ("Ours 在困难样本上准确率 ≥ 0.8", "在困难样本上"),
        ("在困难样本上，Ours 准确率 ≥ 0.8", "在困难样本上"),
        ("Ours 在困难样本上准确率最高", "在困难样本上"),
        ("Ours 在非IID设置下准确率最高", "在非IID设置下"),
    ],
)
def test_a_scope_naming_a_subset_leaves_the_clause_open(text: str, scope: str) -> None:
    """Said as a scope, after the metric or as «在…上», a subset was judged on the whole set's
    accuracy (met at 0.9, the hard subset's 0.5 recorded beside it), where «OOD accuracy» was
    open (h43R1 items 1 and 6)."""
    systems = ("Ours", "Base", "Other")
    parsed = parse_criterion(text, block_systems=systems, metrics=("accuracy", "hard_accuracy"))
    verdict = judged(
        parsed,
        {
            ("Ours", "accuracy"): 0.9,
            ("Base", "accuracy"): 0.85,
            ("Other", "accuracy"): 0.8,
            ("Ours", "hard_accuracy"): 0.5,
            ("Base", "hard_accuracy"): 0.6,
            ("Other", "hard_accuracy"): 0.4,
        },
        reference="Base",
        candidate="Ours",
        systems=systems,
    )
    assert verdict.verdict is VerdictKind.INCONCLUSIVE, verdict.reason
    assert f"the scope {scope!r} names a subset of the items" in verdict.reason


def test_a_scope_naming_no_subset_is_judged() -> None:
    text = "Ours accuracy on the test set ≥ 0.8"
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=("accuracy",))
    verdict = judged(
        parsed,
        {("Ours", "accuracy"): 0.9, ("Base", "accuracy"): 0.85},
        reference="Base",
        candidate="Ours",
        systems=_SYSTEMS,
    )
    assert verdict.verdict is VerdictKind.MET, verdict.reason


def test_the_clauses_under_a_leading_subset_scope_are_open() -> None:
    """The later clause under "On the hard split, …" was judged on the whole set's latency,
    the scope noted as where it holds; a clause with a scope of its own is not under it."""
    parsed = parse_criterion(
        "On the hard split, accuracy ≥ 0.8 and latency ≤ 50 ms", metrics=("accuracy", "latency")
    )
    assert isinstance(parsed, Compound)
    assert all(isinstance(c, Unparsed) for c in parsed.clauses), parsed
    assert all("'On the hard split' names a subset" in c.reason for c in parsed.clauses)
    own = parse_criterion(
        "On the hard split, accuracy ≥ 0.8 and latency ≤ 50 ms overall",
        metrics=("accuracy", "latency"),
    )
    assert isinstance(own, Compound) and isinstance(own.clauses[1], Criterion), own


def test_a_subset_scope_is_said_in_chinese() -> None:
    parsed = parse_criterion(
        "Ours 在困难样本上准确率 ≥ 0.8", block_systems=_SYSTEMS, metrics=("accuracy",)
    )
    assert isinstance(parsed, Unparsed), parsed
    assert in_language(parsed.reason, "zh") == (
        "范围 '在困难样本上' 指的是一部分样本（'困难'），而运行记录的是全体样本上的值："
        "请把该子集上的值记录为指标，并在标准中写出其名称"
    )


@pytest.mark.parametrize(
    ("text", "word"), [("Ours 的准确率最低 ≥ 0.8", "最低"), ("Ours 的延迟最大不超过 50 ms", "最大")]
)
def test_a_chinese_minimum_after_the_metric_before_a_threshold_is_open(
    text: str, word: str
) -> None:
    """«准确率最低 ≥ 0.8» was read as a drop of 0.8 from the baseline («最低» as "lower"),
    where «最低准确率 ≥ 0.8» is open (h43R1 item 9)."""
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=("accuracy", "latency_ms"))
    assert isinstance(parsed, Unparsed), parsed
    assert parsed.reason.startswith(f"'{word}' after the metric names its minimum or maximum")
    assert in_language(parsed.reason, "zh").startswith(f"指标后的 '{word}' 指明其最小值或最大值")


def test_a_chinese_superlative_without_a_threshold_is_still_read() -> None:
    parsed = parse_criterion("Ours 准确率最高", block_systems=("Ours", "Base", "Other"))
    assert isinstance(parsed, Compound), parsed


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("Ours accuracy ≥ 0.8 on OOD data", "on OOD data"),
        ("Ours accuracy ≥ 0.8 on the hard subset", "on the hard subset"),
        ("Ours accuracy ≥ 0.8 in the worst case", "in the worst case"),
        ("Ours 的准确率 ≥ 0.8（在困难样本上）", "在困难样本上"),
    ],
)
def test_a_subset_scope_after_the_threshold_is_open(text: str, scope: str) -> None:
    """After the threshold it was read as where it holds and met on the whole set's 0.9
    (h43M2's left item); a scope naming no subset ("on the test set") is still read so."""
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=("accuracy",))
    assert isinstance(parsed, Unparsed), parsed
    assert parsed.reason.startswith(f"the scope {scope!r} names a subset"), parsed.reason
    plain = parse_criterion(
        "Ours accuracy ≥ 0.8 on the test set", block_systems=_SYSTEMS, metrics=("accuracy",)
    )
    assert isinstance(plain, Criterion), plain


@pytest.mark.parametrize(
    "text",
    [
        "Ours accuracy ≥ 0.8 (hard subset)",
        "Ours 的准确率 ≥ 0.8（困难子集）",
        "Ours 的准确率 ≥ 0.8（分布外）",
        "Ours 的准确率 ≥ 0.8，困难样本上",
    ],
)
def test_a_subset_in_brackets_or_after_a_comma_is_open(text: str) -> None:
    """Met on the whole set's value where "on the hard subset" is open (review h43R4, 3)."""
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=("accuracy",))
    assert isinstance(parsed, Unparsed), parsed
    assert "names a subset of the items" in parsed.reason, parsed.reason
    plain = parse_criterion(
        "Ours accuracy ≥ 0.8 (mean over 3 seeds)", block_systems=_SYSTEMS, metrics=("accuracy",)
    )
    assert isinstance(plain, Criterion), plain
