"""The fixed phrases of a reason in Chinese, and nothing else rewritten."""

from __future__ import annotations

from bridge.projections.reasons import in_language, summary_in_language

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


def test_a_phrase_not_in_the_table_stays_english() -> None:
    assert in_language("runs failed: R1 (failed_oom)", "zh") == "失败的运行：R1 (failed_oom)"
    assert in_language("something new: R1", "zh") == "something new: R1"
    assert in_language("missing seeds: Ours acc has 2 of 3 expected", "zh") == (
        "种子不足：Ours acc 有 2 个，应有 3 个"
    )


def test_the_existing_code_summary_in_chinese_an_agents_as_written() -> None:
    summary = "existing code checked for 5 runs: 0 blocking, 1 non-blocking findings"
    assert summary_in_language(summary, "en") == summary
    assert (
        summary_in_language(summary, "zh") == "已检查 5 个运行的现有代码：0 个阻断、1 个非阻断问题"
    )
    agents = f"{summary}; also renamed train.py"  # not bridge's whole phrase: the agent's words
    assert summary_in_language(agents, "zh") == agents
