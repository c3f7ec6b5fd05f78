"""
Criteria a new-user trial (t11) saw misread: a condition the comparison holds under that names
no metric bridge knows (001's B1 "… by >= 1 point at the same training time") dropped without
a word, so the clause read as if the times had been matched; and a Chinese absolute threshold
naming its metric (018's B1 «每域最优动作概率均超过 0.8») declined as "an absolute threshold
without a metric", where "best action probability > 0.8" is read.

Each expectation was written by reading the clause, not by running the parser.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bridge.cli import main
from bridge.machine.judge import Aggregate, Verdict, VerdictKind, judge_block
from bridge.plan.criteria import Criterion, Unparsed, parse_criterion
from bridge.projections.plan_words import criterion_in_language
from bridge.projections.reasons import in_language
from tests.conftest import needs_shared
from tests.plan.corpus import SHARED, as_project

_SYSTEMS = ("Standard LoRA", "DepthGate")


def _read(text: str, metrics: tuple[str, ...] = ("accuracy",)) -> Criterion:
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=metrics)
    assert isinstance(parsed, Criterion), parsed
    return parsed


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "DepthGate accuracy > Standard LoRA accuracy by >= 1 point at the same training time",
            "at the same training time",
        ),
        (
            "DepthGate beats Standard LoRA on accuracy with the same number of parameters",
            "with the same number of parameters",
        ),
        ("At matched compute, DepthGate accuracy > Standard LoRA accuracy", "At matched compute"),
        (
            "DepthGate accuracy > Standard LoRA accuracy (same compute budget)",
            "(same compute budget)",
        ),
        ("DepthGate 在相同训练时间下 accuracy 比 Standard LoRA 高 1 个百分点", "在相同训练时间下"),
        ("DepthGate 在同等参数量下 accuracy 高于 Standard LoRA", "在同等参数量下"),
    ],
)
def test_a_condition_naming_no_known_metric_is_said_not_checked(text: str, said: str) -> None:
    # Read on accuracy with no note: met, as if the time-matched comparison had been made.
    criterion = _read(text)
    assert criterion.metric == "accuracy", criterion
    assert f"'{said}' read as a condition the comparison holds under, not checked" in (
        criterion.notes
    ), criterion.notes
    assert criterion.describe().endswith(f" {said} (only '{said}' not checked)"), (
        criterion.describe()
    )


def test_a_condition_naming_a_metric_is_said_not_checked_in_the_statement() -> None:
    criterion = _read(
        "DepthGate accuracy > Standard LoRA accuracy by >= 1 point at the same training time",
        ("accuracy", "training_time"),
    )
    assert criterion.describe().endswith(
        " at the same training time (only 'at the same training time' not checked)"
    )


@pytest.mark.parametrize(
    "text",
    [
        # "At the same time" is "meanwhile", and the same value is what to reach.
        "DepthGate accuracy > Standard LoRA accuracy, at the same time",
        "DepthGate 的 accuracy 高于 Standard LoRA，达到与基线相同的水平",
        "DepthGate accuracy > Standard LoRA accuracy by >= 1 point",
    ],
)
def test_no_condition_no_note(text: str) -> None:
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=("accuracy",))
    notes = parsed.notes if isinstance(parsed, Criterion) else ()
    assert not any("holds under" in n for n in notes), notes


def test_a_chinese_condition_is_said_in_chinese() -> None:
    criterion = _read("DepthGate 在相同训练时间下 accuracy 比 Standard LoRA 高 1 个百分点")
    assert criterion_in_language(criterion, "zh").endswith(
        " 在相同训练时间下（仅 '在相同训练时间下' 不检查）"
    )
    said = in_language("; ".join(criterion.notes), "zh")
    assert "'在相同训练时间下' 解析为比较所依据的条件，未检验" in said, said


def _judged(text: str, times: tuple[float, float], metrics: tuple[str, ...]) -> Verdict:
    """``text`` judged on DepthGate's accuracy 0.551 against Standard LoRA's 0.54 (001's runs
    in trial t11), their training times ``times``."""
    values = {
        ("Standard LoRA", "accuracy"): 0.54,
        ("DepthGate", "accuracy"): 0.551,
        ("Standard LoRA", "training_time"): times[0],
        ("DepthGate", "training_time"): times[1],
    }
    aggregates = [
        Aggregate(block="B1", system=s, metric=m, mean=v, std=None, n=1, run_ids=(f"{s}-r",))
        for (s, m), v in values.items()
    ]
    return judge_block(
        parse_criterion(text, block_systems=_SYSTEMS, metrics=metrics),
        aggregates,
        runs_status={a.run_ids[0]: "succeeded" for a in aggregates},
        expected_seeds=1,
        reference_system="Standard LoRA",
        candidate_system="DepthGate",
        primary_metric="accuracy",
        planned_systems=_SYSTEMS,
    )


_SAME_TIME = "DepthGate accuracy > Standard LoRA accuracy by >= 1 point at the same training time"


@pytest.mark.parametrize("metrics", [("accuracy",), ("accuracy", "training_time")])
def test_a_condition_the_runs_break_is_said_in_the_verdict(metrics: tuple[str, ...]) -> None:
    # Was "… gain +1.1 pp; required gain ≥ 1 pp → met", DepthGate trained 2.5× as long.
    verdict = _judged(_SAME_TIME, (3600.0, 9000.0), metrics)
    assert verdict.verdict is VerdictKind.MET, verdict.reason
    assert "'at the same training time' read as a condition the comparison holds under" in (
        verdict.reason
    )
    assert (
        "'at the same training time' does not hold in the runs: training_time DepthGate 9000, "
        "Standard LoRA 3600"
    ) in verdict.reason, verdict.reason
    said = in_language(verdict.reason, "zh")
    assert "'at the same training time' 在运行中不成立：training_time DepthGate 9000" in said


def test_a_condition_the_runs_keep_is_not_said_broken() -> None:
    verdict = _judged(_SAME_TIME, (3600.0, 3600.0), ("accuracy",))
    assert verdict.verdict is VerdictKind.MET, verdict.reason
    assert "does not hold" not in verdict.reason, verdict.reason


@needs_shared
def test_001_b1_with_a_time_condition_says_it_is_not_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = as_project("001", tmp_path / "p001")
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    written = "DepthGate accuracy > Standard LoRA accuracy by >= 2 points overall"
    assert written in text
    plan.write_text(
        text.replace(
            written,
            "DepthGate accuracy > Standard LoRA accuracy by >= 1 point at the same training time",
        ),
        encoding="utf-8",
    )
    assert main(["plan", "--project", str(project)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    # Was "… accuracy gain (higher) ≥ 1 pp" with no word of the training time.
    assert (
        "accuracy gain (higher) ≥ 1 pp at the same training time (only 'at the same training "
        "time' not checked)"
    ) in out, out


# 018's B1 criterion and its M1 gate, as the real project writes them.
_PLAN_018 = SHARED / "projects" / "018_areal-harness-cn" / "refine-logs" / "EXPERIMENT_PLAN.md"
# Judged on each domain's value the runs record (trial t12); one value: not checked one by one.
_PER_DOMAIN = (
    "'每域' read as every label the runs record the metric under: each value judged (not "
    "checked one by one where they record one value)"
)


@pytest.mark.parametrize(
    ("text", "notes"),
    [
        ("每域最优动作概率均超过 0.8", (_PER_DOMAIN,)),
        ("最优动作概率 > 0.8", ()),
        ("最优动作概率超过 0.8", ()),
        ("平均最优动作概率不低于 0.8", ("'平均' read as the mean over seeds",)),
        ("每域最优动作概率 >0.8", (_PER_DOMAIN,)),
    ],
)
def test_a_chinese_threshold_reads_the_metric_before_it(text: str, notes: tuple[str, ...]) -> None:
    # Each was "an absolute threshold without a metric"; "best action probability > 0.8" is read.
    criterion = _read(text, ("每域正确动作概率",))
    assert (criterion.metric, criterion.threshold) == ("最优动作概率", 0.8), criterion
    assert criterion.notes == (
        *notes,
        "metric read from the words before the threshold: '最优动作概率'",
    ), criterion.notes


@pytest.mark.parametrize(
    ("text", "metric"),
    [("无效率低于 0.1", "无效率"), ("及时率不低于 0.9", "及时率")],
)
def test_a_chinese_name_may_hold_a_word_that_also_relates(text: str, metric: str) -> None:
    # 无 (no) and 及 (and) are words of a sentence, and parts of these names.
    assert _read(text, ()).metric == metric


def test_a_chinese_threshold_of_a_named_system() -> None:
    parsed = parse_criterion(
        "trainable categorical controller 的最优动作概率超过 0.8",
        block_systems=("均匀随机", "固定规则", "trainable categorical controller"),
    )
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.subject, parsed.metric) == ("trainable categorical controller", "最优动作概率")


@pytest.mark.parametrize(
    "text",
    [
        # A sentence, a gain of each component, a comparison: not a metric's name.
        "在测试集上与基线相比差距超过 0.8",
        "每个组件贡献超过0.5%",
        "不出现超过 3 次",
    ],
)
def test_a_chinese_sentence_before_a_threshold_is_no_metric(text: str) -> None:
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=())
    assert not (isinstance(parsed, Criterion) and parsed.metric and "超过" in parsed.metric)
    if isinstance(parsed, Criterion):
        assert parsed.metric is None or not re.search(r"[与比不]", parsed.metric), parsed


@needs_shared
def test_018_b1_and_its_m1_gate_read_the_metric(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _PLAN_018.read_text(encoding="utf-8").splitlines()
    assert lines[91].startswith("- **成功条件**：每域最优动作概率均超过 0.8，且 held-out")
    gate = lines[139].split("|")[4].strip()
    assert gate == "每域最优动作概率 >0.8"
    assert _read(gate, ("每域正确动作概率",)).metric == "最优动作概率"

    project = tmp_path / "018"
    (project / "refine-logs").mkdir(parents=True)
    for name in ("EXPERIMENT_PLAN.md", "EXPERIMENT_TRACKER.md"):
        (project / "refine-logs" / name).write_bytes((_PLAN_018.parent / name).read_bytes())
    assert main(["plan", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    b1 = out[out.index("B1: Harness-only") : out.index("B2: ")]
    # Was "解析为：  1. 无法自动检验：绝对阈值没有指明指标".
    assert "绝对阈值没有指明指标" not in b1, b1
    assert "1. 提议的系统：最优动作概率 > 0.8 每域（按记录的每个标签）" in b1, b1


def test_a_scope_alone_is_no_metric() -> None:
    parsed = parse_criterion("每域均超过 0.8", block_systems=_SYSTEMS, metrics=())
    assert isinstance(parsed, Unparsed), parsed
