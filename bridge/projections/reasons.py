"""
The fixed phrases bridge composes in a verdict's or a placement's reason, in Chinese.

A reason is composed in English (``results.json`` keeps it so, for programs); the Markdown a
Chinese plan's researcher reads shows it through :func:`in_language`, which rewrites only the
phrases bridge itself writes. Ids, numbers, metric names, the plan's quoted clauses (``«…»``)
and a reviewer's own words are kept as written: a phrase not in the table stays English rather
than being guessed.
"""

from __future__ import annotations

import re

__all__ = ["in_language", "summary_in_language"]

# Longest phrases first: a shorter one may be part of a longer one.
_PHRASES: tuple[tuple[str, str], ...] = (
    (
        "; no reviewer has judged it (a [reviewer] of kind openai or agent judges such criteria "
        "at collection)",
        "；尚无评审者判断（kind 为 openai 或 agent 的 [reviewer] 会在收集结果时判断此类标准）",
    ),
    (
        "runs not run by bridge, no numbers in the log: ",
        "不由 bridge 运行的运行，日志中没有其数值：",
    ),
    (
        "asks for a statistical test or interval, which the rules do not compute",
        "要求统计检验或置信区间，规则不计算这些",
    ),
    (
        "several or conditional clauses; only one condition can be checked",
        "多个或带条件的子句；只能检验一个条件",
    ),
    (
        "several thresholds; only one condition can be checked",
        "多个阈值；只能检验一个条件",
    ),
    (
        "compares with something that is not a system of the block",
        "比较对象不是该实验块的系统",
    ),
    (
        "a comparison between things that are not systems of the block",
        "比较的对象不是该实验块的系统",
    ),
    (
        "the reference named is not a system of the block",
        "所指的参照不是该实验块的系统",
    ),
    ("no comparison with a number or with another system", "没有与数值或其他系统的比较"),
    ("compares with the best or with all of several systems", "与多个系统中最优者或全部比较"),
    ("counts over subsets (categories, families, configs)", "按子集计数（类别、族、配置）"),
    (
        "a non-inferiority comparison ('not worse than'), not a threshold",
        "非劣效比较（'不差于'），不是阈值",
    ),
    ("an absolute threshold without a metric", "绝对阈值没有指明指标"),
    ("a ratio or relative change without a reference", "比率或相对变化没有参照"),
    ("a number without a comparison", "只有数值、没有比较"),
    ("direction words point both ways", "方向词同时指向两个方向"),
    ("criterion not machine-checkable: ", "成功标准无法自动检验："),
    ("not machine-checkable: ", "无法自动检验："),
    ("the block has no runs", "该实验块没有运行"),
    ("runs failed: ", "失败的运行："),
    ("runs not finished: ", "尚未结束的运行："),
    ("training-quality problems: ", "训练质量问题："),
    ("judged by the reviewer (", "由评审者判断（"),
    (
        "the criterion names no metric and the block has no primary metric",
        "标准未指明指标，且实验块没有主指标",
    ),
    ("no block recorded for this run", "此运行没有记录实验块"),
    (
        "the criterion compares with the baseline; the block has none",
        "标准与基线比较，但该实验块没有基线",
    ),
    ("the criterion compares with nothing", "标准没有比较对象"),
    (
        "the criterion names no system and the block's proposed system is not known (systems: ",
        "标准未指明系统，也无法确定该实验块的提议系统（系统：",
    ),
    ("no ablated variants to compare the full system with", "没有可与完整系统比较的消融变体"),
    ("unknown evaluation type ", "未知的评测类型 "),
    ("no results for system ", "没有结果的系统："),
    ("the plan has no experiment blocks", "计划中没有实验块"),
    ("read as: ", "解析为："),
)

# Phrases with numbers or names in them: (pattern, replacement with the groups kept).
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\b(\d+) of (\d+) clauses open \(([\d, ]+)\)(?:\. )?"),
        r"\2 个条件中 \1 个未定（\3）。",
    ),
    (re.compile(r"\bclause (\d+) of (\d+) not met(?:\. )?"), r"\2 个条件中第 \1 个未满足。"),
    (re.compile(r"\ball (\d+) clauses met(?:\. )?"), r"全部 \1 个条件均满足。"),
    (re.compile(r"\[(\d+)\] open: "), r"[\1] 未定："),
    (re.compile(r"\[(\d+)\] not met: "), r"[\1] 未满足："),
    (re.compile(r"\[(\d+)\] met: "), r"[\1] 满足："),
    (
        re.compile(
            r"the tracker's Block column names (\d+) blocks \(([^)]*)\) and (?:system )?(.+?) "
            r"does not tell which"
        ),
        r"追踪表的 Block 列指明了 \1 个实验块（\2），无法确定系统 \3 属于哪一个",
    ),
    (
        re.compile(r"missing seeds: (.+?) has (\d+) of (\d+) expected"),
        r"种子不足：\1 有 \2 个，应有 \3 个",
    ),
    (
        re.compile(r"(\d+) non-finite value\(s\) \(NaN/Inf\) among its runs"),
        r"其运行中有 \1 个非有限值（NaN/Inf）",
    ),
    (re.compile(r"block ('[^']*') is not a block of the plan"), r"实验块 \1 不是计划中的实验块"),
)

_REVIEWER = "), not measured by a rule: "

# Whole summaries bridge's own implementers write (an agent's summary is its own words: a
# summary that is not one of these whole is shown as written).
_SUMMARIES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"existing code checked for (\d+) runs: (\d+) blocking, (\d+) non-blocking findings"
        ),
        r"已检查 \1 个运行的现有代码：\2 个阻断、\3 个非阻断问题",
    ),
    (re.compile(r"every run has code"), "每个运行都有代码"),
)

# The plan's own words, quoted: never rewritten.
_QUOTED = re.compile(r"«[^»]*»")


def _translate(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    for english, chinese in _PHRASES:
        text = text.replace(english, chinese)
    return text


def in_language(reason: str, language: str) -> str:
    """
    ``reason`` with bridge's fixed phrases in ``language`` (``"zh"``; anything else returns it
    unchanged). The plan's quoted clauses and everything not in the table stay as written.
    """
    if language != "zh":
        return reason
    head, marker, theirs = reason.partition(_REVIEWER)
    if marker:  # after it come the reviewer's own words
        return _outside_quotes(head) + "），非规则测量：" + theirs
    return _outside_quotes(reason)


def _outside_quotes(reason: str) -> str:
    pieces: list[str] = []
    at = 0
    for quoted in _QUOTED.finditer(reason):
        pieces.extend([_translate(reason[at : quoted.start()]), quoted.group(0)])
        at = quoted.end()
    pieces.append(_translate(reason[at:]))
    return "".join(pieces)


def summary_in_language(summary: str, language: str) -> str:
    """
    An implementation's one-line summary in ``language`` when bridge wrote all of it (the
    existing-code check's count); an agent's summary, or any other, is returned as written.
    """
    if language != "zh":
        return summary
    for pattern, replacement in _SUMMARIES:
        if pattern.fullmatch(summary):
            return pattern.sub(replacement, summary)
    return summary
