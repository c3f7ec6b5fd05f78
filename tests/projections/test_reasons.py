"""The fixed phrases of a reason in Chinese, and nothing else rewritten."""

from __future__ import annotations

import re

import pytest

from bridge.projections.reasons import in_language, quality_in_language, summary_in_language
from tests.english_left import english_left
from tests.machine.test_judge_reading import _judge

_COMPOUND = (
    "1 of 2 clauses open (2). [1] met: «accuracy above 0.8 with no runs» — acc 0.91 > 0.8 | "
    "[2] open: «the block has no runs» — not machine-checkable: a number without a comparison: "
    "'3'; no reviewer has judged it (a [reviewer] of kind openai or agent judges such criteria "
    "at collection)"
)


def test_english_is_unchanged() -> None:
    assert in_language(_COMPOUND, "en") == _COMPOUND
    assert in_language("the block has no runs", "en") == "the block has no runs"


def test_chinese_phrases_and_the_plans_quotes_kept() -> None:
    assert in_language(_COMPOUND, "zh") == (
        "2 个条件中 1 个未定（2）。[1] 满足：«accuracy above 0.8 with no runs» — acc 0.91 > 0.8 | "
        "[2] 未定：«the block has no runs» — 无法自动检验：只有数值、没有比较: '3'；尚无评审者判断"
        "（kind 为 openai 或 agent 的 [reviewer] 会在收集结果时判断此类标准）"
    )


def test_the_reviewers_words_are_theirs() -> None:
    reason = (
        "judged by the reviewer (openai, model m), not measured by a rule: "
        "read as: the block has no runs"
    )
    assert in_language(reason, "zh") == (
        "由评审者判断（openai, model m），非规则测量：read as: the block has no runs"
    )


def test_how_a_run_ended_is_said_in_chinese() -> None:
    # 018's trial: "失败的运行：R002 (failed)", the state's English value inside a Chinese line.
    assert in_language("runs failed: R002 (failed), R7 (timed_out), R8 (failed_oom)", "zh") == (
        "失败的运行：R002（失败）, R7（超时）, R8（内存或显存不足）"
    )
    reason = "criterion not machine-checkable: x; runs failed: R3 (cancelled)"
    assert in_language(reason, "zh").endswith("失败的运行：R3（已取消）")


def test_a_failed_run_no_clause_compares_is_said_in_chinese() -> None:
    """004's B3: R304 of `no_class_B`, which no clause compares, named after the verdict."""
    reason = (
        "x → not met; also: runs failed: R304 (failed), of no system a checkable clause compares"
    )
    assert in_language(reason, "zh").endswith(
        "; 另有失败的运行：R304（失败），不属于任何可检查条件所比较的系统"
    ), in_language(reason, "zh")


def test_a_phrase_not_in_the_table_stays_english() -> None:
    assert in_language("runs failed: R1 (quarantined)", "zh") == "失败的运行：R1 (quarantined)"
    assert in_language("something new: R1", "zh") == "something new: R1"
    assert in_language("missing seeds: Ours acc has 2 of 3 expected", "zh") == (
        "种子不足：Ours acc 有 2 个，应有 3 个"
    )


@pytest.mark.parametrize(
    ("summary", "chinese"),
    [
        (
            "existing code checked for 5 runs: 0 blocking, 1 non-blocking finding",
            "已检查 5 个运行的现有代码：0 个阻断、1 个非阻断问题",
        ),
        (
            "existing code checked for 1 run: 2 blocking, 3 non-blocking findings",
            "已检查 1 个运行的现有代码：2 个阻断、3 个非阻断问题",
        ),
        (  # as an older bridge wrote it, whatever the count
            "existing code checked for 5 runs: 0 blocking, 1 non-blocking findings",
            "已检查 5 个运行的现有代码：0 个阻断、1 个非阻断问题",
        ),
    ],
)
def test_the_existing_code_summary_in_chinese_an_agents_as_written(
    summary: str, chinese: str
) -> None:
    assert summary_in_language(summary, "en") == summary
    assert summary_in_language(summary, "zh") == chinese
    agents = f"{summary}; also renamed train.py"  # not bridge's whole phrase: the agent's words
    assert summary_in_language(agents, "zh") == agents


# The rule-verdict arithmetic, as the judge writes it for real verdicts (issue: zh output).
_SYSTEMS = ("ours", "base")


def _reason(text: str, values: dict[tuple[str, str], float], **kwargs: str) -> str:
    verdict = _judge(text, kwargs.pop("systems", _SYSTEMS), values, **kwargs)  # type: ignore[arg-type]
    return verdict.reason


_RULE_REASONS = [
    # an absolute threshold, its reading from the block's proposed system
    (
        "accuracy ≥ 0.95",
        {("ours", "accuracy"): 0.91},
        {"candidate": "ours", "evidence": "the block's proposed system (marked as ours/proposed)"},
    ),
    # a gain in percentage points over the baseline, the values read as fractions
    (
        "accuracy improves by at least 2% over base",
        {("ours", "accuracy"): 0.91, ("base", "accuracy"): 0.86},
        {},
    ),
    # a relative reduction of a lower-is-better metric
    (
        "val_loss lower than base by 10%",
        {("ours", "val_loss"): 1.0, ("base", "val_loss"): 1.5},
        {},
    ),
    # a derived quantity of two recorded metrics
    (
        "hits / total ≥ 0.9",
        {("ours", "hits"): 85.0, ("ours", "total"): 100.0},
        {"systems": ("ours",)},
    ),
    # two clauses, one open for want of its metric
    (
        "accuracy ≥ 0.8 and f1 > 0.5",
        {("ours", "accuracy"): 0.85},
        {"systems": ("ours",)},
    ),
    # 'the baseline' read as the one other system
    (
        "outperforms the baseline on F1",
        {("ours", "f1"): 0.7, ("BM25", "f1"): 0.6},
        {"systems": ("ours", "BM25"), "candidate": "ours", "evidence": "marked (ours)"},
    ),
    # a margin on getting worse, measured from a system
    (
        "accuracy within 1 point of base",
        {("ours", "accuracy"): 0.91, ("base", "accuracy"): 0.915},
        {},
    ),
    # a factor of the primary metric, where lower is better
    (
        "ours is ≥ 2× faster than base",
        {("ours", "latency"): 40.0, ("base", "latency"): 100.0},
        {"primary": "latency"},
    ),
    # a reduction of an error rate in '%': relative
    (
        "reduces error rate by 20% vs base",
        {("ours", "error rate"): 8.0, ("base", "error rate"): 10.0},
        {},
    ),
    # a margin below the reference, and a multiple of it (trial M2)
    (
        "accuracy no more than 1 pt below base",
        {("ours", "accuracy"): 0.80, ("base", "accuracy"): 0.87},
        {},
    ),
    (
        "latency is at most 1.2x base",
        {("ours", "latency"): 15.0, ("base", "latency"): 10.0},
        {},
    ),
    # speed words with a primary metric that is no time
    (
        "1.5x speedup over base",
        {("ours", "accuracy"): 0.9, ("base", "accuracy"): 0.5},
        {"primary": "accuracy"},
    ),
    # an offset from the reference's value
    (
        "accuracy ≥ base + 0.1",
        {("ours", "accuracy"): 0.9, ("base", "accuracy"): 0.5},
        {},
    ),
    # shorthands written out: "N+", a metric as a function of each system, "matches or exceeds"
    (
        "accuracy exceeds base by 2+ points",
        {("ours", "accuracy"): 0.9, ("base", "accuracy"): 0.5},
        {},
    ),
    (
        "accuracy(ours) - accuracy(base) ≥ 0.02",
        {("ours", "accuracy"): 0.9, ("base", "accuracy"): 0.5},
        {},
    ),
    # what to do when the criterion is missed, left out
    (
        "accuracy ≥ base + 0.1. If lower, refit the head",
        {("ours", "accuracy"): 0.9, ("base", "accuracy"): 0.5},
        {},
    ),
    # systems named by their number in a list (012's "variant 3 … beyond variant 2")
    (
        "variant 3 improves accuracy beyond variant 2",
        {("ours", "accuracy"): 0.9, ("base", "accuracy"): 0.5},
        {},
    ),
    # a relative change from a reference of 0
    (
        "latency lower than base by 10%",
        {("ours", "latency"): 1.0, ("base", "latency"): 0.0},
        {},
    ),
]
_NAMES = {
    "ours",
    "base",
    "accuracy",
    "latency",
    "hits",
    "total",
    "BM25",
    "marked",
    "error",
    "rate",
    # the plan's words, quoted in a reading: 'within 1 point of base'
    "within",
    "of",
    "point",
    "pt",
    "below",
    "speedup",
    "variant",
    # the plan's fallback, quoted where it is left out: 'If lower, refit the head'
    "lower",
    "refit",
    "head",
}


@pytest.mark.parametrize(("text", "values", "kwargs"), _RULE_REASONS)
def test_rule_arithmetic_in_chinese_and_english_unchanged(
    text: str, values: dict[tuple[str, str], float], kwargs: dict[str, object]
) -> None:
    """Every word of a rule verdict's sentence is Chinese for a Chinese plan; the numbers,
    operators and names stay; the English sentence is returned unchanged for English."""
    english = _reason(text, values, **kwargs)  # type: ignore[arg-type]
    assert in_language(english, "en") == english
    chinese = in_language(english, "zh")
    assert english_left(chinese, _NAMES) == [], (english, chinese)
    assert english_left(english, _NAMES), english  # the check can fail: English is English
    for number in re.findall(r"\d+(?:\.\d+)?", english):
        assert number in chinese


def test_the_arithmetic_reads_as_written() -> None:
    """The Chinese of a gain over the baseline, pinned."""
    english = (
        "accuracy (higher) (values read as fractions, ×100): ours 91 ± 1 (n=3); vs base 86 ± 1 "
        "(n=3): gain +5 pp; required gain ≥ 2 pp → met (read as: metric '准确率' read as "
        "'accuracy'; '%' read as percentage points (a rate metric); subject ours: the block's "
        "proposed system (marked as ours/proposed))"
    )
    assert in_language(english, "zh") == (
        "accuracy（按升高计）（数值按比例读取，×100）: ours 91 ± 1 (n=3); 对比 base 86 ± 1 "
        "(n=3)：增益 +5 pp；要求增益 ≥ 2 pp → 满足（解析为：指标 '准确率' 解析为 'accuracy'; "
        "'%' 解析为百分点（比率类指标）; 主体 ours：该实验块的提议系统（标为我们的/提议的））"
    )
    derived = (
        "hits / total for ours: hits 85 (n=1) / total 100 (n=1) = 0.85 (means over seeds); "
        "0.85, required ≥ 0.9 → not met"
    )
    assert in_language(derived, "zh") == (
        "ours 的 hits / total：hits 85 (n=1) / total 100 (n=1) = 0.85（各种子的均值）; "
        "0.85，要求 ≥ 0.9 → 未满足"
    )


def test_attribution_reasons_in_chinese() -> None:
    reason = (
        "milestone M1 names no block; system 'AN + mixed control' is not among any block's "
        "compared systems"
    )
    assert in_language(reason, "zh") == (
        "里程碑 M1 没有指明实验块; 系统 'AN + mixed control' 不在任何实验块的对比系统中"
    )
    assert in_language("system 'ours' is compared in blocks B1, B2", "zh") == (
        "系统 'ours' 同时是这些实验块的对比系统：B1, B2"
    )


def test_quality_findings_in_chinese_and_others_as_written() -> None:
    message = (
        "val_loss rose from 1.2 to 3.4 over the last 4 points; best was 1.1 (more than 2× "
        "allowed) in history.csv (csv:val_loss)"
    )
    assert quality_in_language(message, "en") == message
    chinese = quality_in_language(message, "zh")
    assert chinese == (
        "val_loss 在最后 4 个点中从 1.2 升至 3.4；最佳值为 1.1（超过允许的 2×）"
        "（来源 history.csv，csv:val_loss）"
    )
    assert quality_in_language("loss went odd", "zh") == "loss went odd"


def test_why_ablation_planning_was_skipped() -> None:
    assert in_language("no ablation planner configured", "zh") == "未配置消融规划器"
    assert in_language("no ablation planner configured", "en") == "no ablation planner configured"
    assert in_language("the planner failed: HTTP 500", "zh") == "消融规划器失败：HTTP 500"
    # Trial N1: "消融规划已跳过（main result inconclusive）" in a Chinese project.
    assert in_language("main result inconclusive", "zh") == "主要结果无定论"


def test_a_condition_where_the_criterion_holds_is_said_in_chinese() -> None:
    """Trial N1 on 021: the note on "在 `1-5 us` 延迟下" stayed English in a Chinese reason."""
    said = in_language(
        "(read as: '在 1-5 us 延迟下' read as where it holds, not a threshold)", "zh"
    )
    assert said == "（解析为：'在 1-5 us 延迟下' 解析为适用条件，不是阈值）"


def test_a_setting_checked_on_the_runs_is_said_in_chinese() -> None:
    """A clause's setting looked up in the runs (006's "at h=144") reads in Chinese."""
    said = in_language(
        "no run at h = 144 ('at h=144'): R013 recorded horizon = 6 | (read as: judged on the "
        "runs at h = 144, recorded as horizon: R014; R015 records no horizon, kept unfiltered; "
        "'at T=90' not checked: no run records T "
        "(as a metric or an argument), so every run is judged)",
        "zh",
    )
    assert said == (
        "没有运行处于 h = 144（'at h=144'）：R013 记录的 horizon = 6 |（解析为：仅按 h = 144 的"
        "运行判断（记录为 horizon）：R014；R015 未记录 horizon，照常保留; 'at T=90' 未检验："
        "没有运行记录 T（指标或参数），"
        "因此按全部运行判断）"
    )


def test_a_subject_of_runs_without_a_system_in_chinese() -> None:
    """015's B6: the runs name no system (bridge/machine/comparisons.py)."""
    reason = (
        "median_gap: 2 (n=1); 2 ≤ 3 → met (read as: subject: the block's runs, which name no "
        "system)"
    )
    assert (
        in_language(reason, "zh")
        == "median_gap: 2 (n=1); 2 ≤ 3 → 满足（解析为：主体：该实验块的运行（未写系统））"
    )


def test_a_metric_not_found_in_runs_without_a_system_in_chinese() -> None:
    reason = "metric 'gate entropy' not found in the block's runs (extracted: gate_mean)"
    assert (
        in_language(reason, "zh") == "实验块的运行中未找到指标 'gate entropy'（已提取：gate_mean）"
    )


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        (
            "metric 'coverage' not found for Method (extracted: acc(top1), accuracy)",
            "未找到 Method 的指标 'coverage'（已提取：acc(top1), accuracy）",
        ),
        (
            "metric 'coverage' not found in the block's runs (extracted: acc(top1), accuracy)",
            "实验块的运行中未找到指标 'coverage'（已提取：acc(top1), accuracy）",
        ),
    ],
)
def test_an_extracted_metric_with_parentheses_in_chinese(reason: str, said: str) -> None:
    """The list was read to its first ")", so the Chinese bracket closed after `acc(top1`."""
    assert in_language(reason, "zh") == said


def test_values_named_by_system_in_chinese_before_the_reviewers_note() -> None:
    """Trial Q3 on 039: "… (4 in all)" and the reviewer's note after the values named by
    system stayed English in a Chinese verdict."""
    reason = (
        "criterion not machine-checkable: names several metrics (a, b) (values named by "
        "system: A ← R1 `x[A]`; B ← R1 `x[B]`; … (4 in all)); no reviewer has judged it (a "
        "[reviewer] of kind openai or agent judges such criteria at collection)"
    )
    assert in_language(reason, "zh") == (
        "成功标准无法自动检验：指明了多个指标（a, b）（按系统名记录的数值：A ← R1 `x[A]`; "
        "B ← R1 `x[B]`；…（共 4 个））；尚无评审者判断（kind 为 openai 或 agent 的 [reviewer] "
        "会在收集结果时判断此类标准）"
    )
    assert in_language(reason, "en") == reason
    other = "met (values named by system: A ← R1 `x[A]`); no run of the plan stands for C"
    assert in_language(other, "zh").startswith("met（按系统名记录的数值：A ← R1 `x[A]`）")


def test_039s_values_named_by_system_and_proposed_line_before_runs_of_other_blocks() -> None:
    """039's B3 in Chinese (trial t13): the values named by system, followed by the runs of
    other blocks, and the subject taken from the Proposed line stayed English."""
    reason = (
        "clause 1 of 2 not met. [1] not met: «X» — … (read as: subject typed-mass-cover/GNN: "
        "the block's proposed system (its Proposed line)) (values named by system: A ← R005 "
        "`results.AUROC[A]`; B ← R005 `results.AUROC[B]`; … (8 in all)) (runs of other "
        "blocks: MART ← R003 [B1])"
    )
    said = in_language(reason, "zh")
    assert "主体 typed-mass-cover/GNN：该实验块的提议系统（其 Proposed 行）" in said, said
    assert "（按系统名记录的数值：A ← R005 `results.AUROC[A]`; B ← R005" in said, said
    assert "values named by system" not in said and "its Proposed line" not in said, said


def test_the_unit_notes_read_in_chinese() -> None:
    """027's B1 is a Chinese plan: the note naming ``[metrics] units``, and the one saying the
    values were read as it says, are Chinese beside the direction word they follow."""
    guessed = (
        "grad_clipping_hit_rate (higher) (values read as fractions, ×100; set [metrics] units = { "
        '"grad_clipping_hit_rate" = "percent" } in bridge.toml if they are percent): L3 50 (n=1)'
    )
    assert in_language(guessed, "zh") == (
        "grad_clipping_hit_rate（按升高计）（数值按比例读取，×100；若它们是百分数，"
        '请在 bridge.toml 中设置 `[metrics] units = { "grad_clipping_hit_rate" = "percent" }`）'
        ": L3 50 (n=1)"
    )
    said = "hit_rate (higher) (values are percent, as [metrics] units says): L3 0.5 (n=1)"
    assert in_language(said, "zh") == (
        "hit_rate（按升高计）（数值是百分数，见 `[metrics] units`）: L3 0.5 (n=1)"
    )
    for note in (guessed, said):
        assert english_left(in_language(note, "zh"), ("L3",)) == []


def test_seeds_that_differ_read_in_chinese() -> None:
    """012's note of runs at different seeds, and the open verdict the plan's same seeds make."""
    english = (
        "NLL (lower is better): a 1.45 (n=1); vs b 1.5 (n=1): gain +3%; required gain ≥ 2% → "
        "met; seeds differ: a at 1103, b at 0/1, and the plan asks for the same seeds ('same "
        "seeds'): open until they match"
    )
    assert in_language(english, "zh") == (
        "NLL（越低越好）: a 1.45 (n=1); 对比 b 1.5 (n=1)：增益 +3%；要求增益 ≥ 2% → 满足；"
        "种子不同：a 为 1103，b 为 0/1；计划要求相同的种子（'same seeds'）：种子一致之前判定为未定"
    )
    assert english_left(in_language(english, "zh"), ("a", "b", "NLL")) == []
    # Judged on two primary metrics, the note ends before the next metric's comparison: 039's
    # first note kept "MART at 0" in English.
    both = (
        "AUROC: x → met; seeds differ: a at 7, b at 0 ‖ AUPRC: y → met; seeds differ: a at 7, "
        "b at 0"
    )
    assert in_language(both, "zh") == (
        "AUROC: x → 满足；种子不同：a 为 7，b 为 0 ‖ AUPRC: y → 满足；种子不同：a 为 7，b 为 0"
    )


def test_a_direction_the_plan_says_reads_in_chinese_its_words_kept() -> None:
    """027 is a Chinese plan: the direction read from its words, and words that disagree, are
    said in Chinese around the plan's quotes, which stay as written."""
    said = (
        "fk_vs_position_p95 (lower is better, as the plan says: «FK-vs-position p95 显著下降»): "
        "A2 0.027 (n=1)"
    )
    assert in_language(said, "zh") == (
        "fk_vs_position_p95（越低越好，计划写道：«FK-vs-position p95 显著下降»）: A2 0.027 (n=1)"
    )
    disagree = (
        "jitter: which way is better is not known (the plan's words disagree: «jitter drops»; "
        '«jitter rises»): set [metrics] higher_is_better = { "jitter" = true } (or false) in '
        "bridge.toml"
    )
    assert in_language(disagree, "zh") == (
        "jitter：不知道哪个方向更好（计划的说法相互矛盾：«jitter drops»; «jitter rises»）：请在 "
        'bridge.toml 中设置 [metrics] higher_is_better = { "jitter" = true }（或 false）'
    )
    unknown = (
        "Vpk: which way is better is not known (the criterion's words do not say, nor does "
        "bridge.toml, and bridge does not know the metric): set [metrics] higher_is_better = "
        '{ "Vpk" = true } (or false) in bridge.toml'
    )
    assert in_language(unknown, "zh") == (
        "Vpk：不知道哪个方向更好（条件的文字没有说明，bridge.toml 没有设置，"
        "bridge 也不认识该指标）：请在 bridge.toml 中设置 [metrics] higher_is_better = "
        '{ "Vpk" = true }（或 false）'
    )


def test_a_run_set_apart_from_the_verdict_is_said_in_chinese() -> None:
    """A run done before bridge that bears on no clause (029's R040) is named in Chinese too."""
    reason = (
        "x; runs done before bridge, no numbers in the log, of no system the criterion "
        "compares (not bearing on the verdict): R040"
    )
    assert in_language(reason, "zh") == (
        "x; 在 bridge 之前完成、日志中没有其数值、"
        "且不属于标准所比较的任何系统的运行（与判定无关）：R040"
    )


def test_a_recorded_metric_the_clause_mentions_is_said_in_chinese() -> None:
    """027's B3 (trial t7): the clause mentions a recorded metric the parse did not read as its
    own; said in Chinese, the metric's name as recorded."""
    reason = (
        "the criterion mentions FK p95, which the block's runs recorded, but it could not be "
        "read as the metric the clause compares; write the metric's name as recorded beside "
        "the comparison, or list it in the block's Metrics field"
    )
    assert in_language(reason, "zh") == (
        "标准提到了实验块的运行所记录的 FK p95，但无法把它读作该条件比较的指标；请在比较处按记录的"
        "名称写出指标，或把它列入实验块的 Metrics 字段"
    )


@pytest.mark.parametrize(
    ("names", "rule"),
    [
        (["test.AUPRC", "train.AUPRC"], "按点号分隔的最后一段"),
        (["a.acc", "b.acc"], "按点号分隔的最后一段的同义词"),
        (["val_auprc", "test_auprc"], "按名称结尾"),
    ],
)
def test_a_metric_named_by_several_extracted_ones_is_said_in_chinese(
    names: list[str], rule: str
) -> None:
    # 039's B1 (trial t8): "MART 的指标有歧义：plan metric 'AUPRC' matches several extracted
    # metrics (last dotted component): …; name the one you mean in [metrics] aliases".
    values = {("MART", name): 0.3 for name in names}
    metric = "accuracy" if rule.endswith("同义词") else "auprc"
    reason = _judge(f"MART {metric} ≥ 0.25", ("MART",), values).reason
    assert "matches several extracted metrics" in reason, reason
    chinese = in_language(reason, "zh")
    assert chinese.startswith(
        f"MART 的指标有歧义：计划中的指标 '{metric}' 对应多个提取出的指标（{rule}）："
        f"{', '.join(sorted(names))}；请在 `[metrics] aliases` 中写明所指的那个"
    ), chinese
    assert english_left(chinese, ("MART",)) == [], chinese
    assert english_left(reason, ("MART",)), reason  # the check can fail: English is English
