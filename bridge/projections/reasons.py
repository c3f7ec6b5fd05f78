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

from bridge.lazy_patterns import LazyPattern, lazy

__all__ = ["in_language", "quality_in_language", "summary_in_language"]

# Longest phrases first: a shorter one may be part of a longer one.
_PHRASES: tuple[tuple[str, str], ...] = (
    # Why a system is the block's proposed one (bridge/projections/block_runs.py), where a
    # reason says it outside a "subject …" reading.
    (
        "the block's full system (every other system's name starts with it)",
        "该实验块的完整系统（其他系统的名称都以它开头）",
    ),
    (
        "the block's proposed system (marked as ours/proposed)",
        "该实验块的提议系统（标为我们的/提议的）",
    ),
    ("the block's proposed system (its Proposed line)", "该实验块的提议系统（其 Proposed 行）"),
    ("the system the plan's method thesis names", "计划的方法主张所指的系统"),
    ("the first-listed of the block's two systems", "该实验块两个系统中先列出的一个"),
    ("the block's full system (its name says full)", "该实验块的完整系统（其名称表明是完整系统）"),
    (
        "; no reviewer has judged it (a [reviewer] of kind openai or agent judges such criteria "
        "at collection)",
        "；尚无评审者判断（kind 为 openai 或 agent 的 [reviewer] 会在收集结果时判断此类标准）",
    ),
    (
        "runs done before bridge, no numbers in the log, of no system the criterion compares "
        "(not bearing on the verdict): ",
        "在 bridge 之前完成、日志中没有其数值、且不属于标准所比较的任何系统的运行（与判定无关）：",
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
        "a metric joined by '/' to other words: for a ratio of two recorded metrics put "
        "spaces round '/' ('hits / total ≥ 0.9'); for one metric, name it as recorded",
        "指标与其他词以 '/' 相连：两个已记录指标之比请在 '/' 两侧加空格（'hits / total ≥ "
        "0.9'）；若是一个指标，请按记录的名字写",
    ),
    (
        "compares with something that is not a system of the block",
        "比较对象不是该实验块的系统",
    ),
    (
        "says what must not happen, not a condition to meet",
        "写的是不得发生的情况，不是要满足的条件",
    ),
    (
        "says how far it must not move against another system ('must not …'); write the "
        "condition to meet instead",
        "写的是相对另一个系统不得变化多少（'must not …'）；请改写为要满足的条件",
    ),
    (
        "a margin measured from something not read as a system of the block, which the rules do "
        "not read as a level (name the system whole)",
        "以未识别为该实验块系统的对象为起点量的差距，规则不把它当作水平值解读（请写出系统全名）",
    ),
    (
        "a margin measured from a system ('… below <system>'), which the rules do not read",
        "以某个系统为起点量的差距（'… below <系统>'），规则不解读",
    ),
    (
        "says what must not equal a number, not a condition to meet",
        "写的是不得等于某个数值，不是要满足的条件",
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
    # A run's own gate's clauses bridge does not check (bridge/plan/run_gates.py).
    (
        "it compares with another system or run, which only a block's criterion judges",
        "它与另一个系统或运行比较，只有实验块的成功标准判断这种比较",
    ),
    (
        "a quantity computed from two metrics, which only a block's criterion judges",
        "由两个指标计算出的量，只有实验块的成功标准判断",
    ),
    ("it names no metric", "没有指明指标"),
    (
        "it is said of a setting or a system, not of the run's own value",
        "说的是某个设置或系统，而非该运行自己的数值",
    ),
    ("a margin, not a level", "是差距，而非水平值"),
    ("how far beyond its bound it asks is said only in words", "要求超出界限多少只以文字表述"),
    ("the run has recorded no value (its status says why)", "该运行尚未记录数值（其状态说明原因）"),
    (
        "the run was done before bridge, which reads no values of it: "
        "judge the gate from your own record of the run",
        "该运行在 bridge 之前已完成，bridge 不读取其数值：请根据你自己对该运行的记录判断门槛",
    ),
    ("compares with the best or with all of several systems", "与多个系统中最优者或全部比较"),
    ("counts over subsets (categories, families, configs)", "按子集计数（类别、族、配置）"),
    (
        "a statistic (mean, median …) with no metric: which quantity it summarises is not said",
        "只有统计量（均值、中位数……），没有指标：没有说明它统计的是哪个量",
    ),
    (
        "a condition on every seed; the rules judge the mean over seeds (write it of the mean)",
        "针对每个种子的条件；规则按各种子的均值判定（请改写为针对均值的条件）",
    ),
    (
        "a limit on getting worse, with no metric to say which way that is",
        "限制变差的幅度，但没有指标来说明哪个方向是变差",
    ),
    (
        "says what must not happen against another system ('does not fall below'); write the "
        "condition to meet instead ('drops by at most 0.5 points vs the baseline')",
        "说的是相对另一个系统不能发生什么（'不低于'之类）；请改写为要满足的条件"
        "（如'相对基线下降不超过 0.5 个百分点'）",
    ),
    (
        "a two-sided tolerance (a difference either way) in a form the rules do not read; write "
        "it as 'differs from <system> by at most <N> points'",
        "双向容差（任一方向的差），其写法规则无法读取；请写成'与<系统>相差不超过 <N> 个百分点'",
    ),
    (
        "a statistic over seeds (minimum, maximum, spread); the rules judge the mean over seeds "
        "(write it of the mean, or record the statistic as a metric)",
        "针对各种子的统计量（最小、最大、离散程度）；规则按各种子的均值判定（请改写为针对均值的"
        "条件，或把该统计量记录为指标）",
    ),
    (
        "a fraction of another system's value in words ('half the baseline'): write it as a "
        "change ('reduces latency by at least 50% vs the baseline')",
        "用文字表示另一系统数值的比例（如'基线的一半'）：请写成变化量（如'相对基线降低至少 50%'）",
    ),
    (
        "a margin ('within … of') with no metric named to say which way is worse; name the metric",
        "一个余量（'within … of'），但没有指明指标来说明哪个方向是变差；请写明指标",
    ),
    (
        "a non-inferiority comparison ('not worse than'), not a threshold",
        "非劣效比较（'不差于'），不是阈值",
    ),
    (
        "a cap on the gain ('not better than'), not a threshold",
        "增益的上限（'不优于'），不是阈值",
    ),
    ("an absolute threshold without a metric", "绝对阈值没有指明指标"),
    ("a ratio or relative change without a reference", "比率或相对变化没有参照"),
    ("a number without a comparison", "只有数值、没有比较"),
    ("direction words point both ways", "方向词同时指向两个方向"),
    ("criterion not machine-checkable: ", "成功标准无法自动检验："),
    ("not machine-checkable: ", "无法自动检验："),
    ("the block has no runs", "该实验块没有运行"),
    ("; sanity run(s) recorded it: ", "；健全性运行记录了它："),  # before session 38
    ("; a sanity run recorded it: ", "；健全性运行记录了它："),
    ("; sanity runs recorded it: ", "；健全性运行记录了它："),
    (" is recorded under several labels (", " 以多个标签分别记录（"),
    (
        ") and no one of them stands for the run: name the one meant in bridge.toml, e.g. ",
        "），没有哪一个单独代表该运行：请在 bridge.toml 中指明所指的那个，例如 ",
    ),
    (
        ", and a sanity run's numbers check the pipeline, not a block",
        "，而健全性运行的数值检查的是流水线，不计入实验块",
    ),
    ("every run of the block is out of scope: ", "该实验块的所有运行都不在范围内："),
    (
        "every run of the block is still waiting, so it is not judged yet: ",
        "该实验块的所有运行都仍在等待，尚未判定：",
    ),
    (" (its code is not written yet)", "（代码尚未写好）"),
    (" (work people do, not done yet)", "（由人工执行、尚未完成）"),
    (" (waiting for a run bridge does not run)", "（等待 bridge 不运行的运行）"),
    (" (blocked in the tracker)", "（在追踪表中受阻）"),
    (
        "; still waiting: its runs are blocked in the tracker: ",
        "；仍在等待：其运行在追踪表中受阻：",
    ),
    ("the plan marks this block complete", "计划已把该实验块标为完成"),
    ("the plan cuts this block (Priority: cut)", "计划已删减该实验块（Priority: cut）"),
    (
        "it has no runs in this plan, so bridge has nothing to judge",
        "本计划中它没有运行，bridge 无可判定",
    ),
    # A failed run of no system a checkable clause compares, after the verdict (004's B3).
    ("also: runs failed: ", "另有失败的运行："),
    # A run that succeeded with a metrics file of `{}` (018's JPH-B1-HO-S2, trial t15).
    (
        "also: runs that succeeded but recorded no metric value: ",
        "另有成功结束但没有记录任何指标数值的运行：",
    ),
    (
        "runs that succeeded but recorded no metric value: ",
        "成功结束但没有记录任何指标数值的运行：",
    ),
    (", of no system a checkable clause compares", "，不属于任何可检查条件所比较的系统"),
    ("runs failed: ", "失败的运行："),
    ("runs not finished: ", "尚未结束的运行："),
    # Held behind an earlier milestone's row waiting for its code (020's M5 behind R040).
    (
        "runs held until an earlier milestone's code is written: ",
        "暂缓运行（等待前面里程碑的代码写好）：",
    ),
    ("training-quality problems: ", "训练质量问题："),
    ("judged by the reviewer (", "由评审者判断（"),
    (
        "the criterion names no metric and the block's runs recorded none of its metrics",
        "标准未指明指标，且实验块的运行没有记录它的任何指标",
    ),
    ("; with the recorded ", "；按已记录的 "),
    ("; results for ", "；有结果的系统："),
    ("no block recorded for this run", "此运行没有记录实验块"),
    (
        "the criterion compares with the baseline; the block has none",
        "标准与基线比较，但该实验块没有基线",
    ),
    ("the criterion compares with nothing", "标准没有比较对象"),
    ("the runs naming no system", "未指明系统的运行"),
    (
        "the criterion names no system and the block's proposed system is not known (systems: ",
        "标准未指明系统，也无法确定该实验块的提议系统（系统：",
    ),
    ("no ablated variants to compare the full system with", "没有可与完整系统比较的消融变体"),
    (
        "; mark the proposed system in the plan's Compared systems (`X (ours)`), or name the "
        "system in the criterion",
        "；请在计划的 Compared systems 中标明提议系统（`X (ours)`），或在标准中写出系统名",
    ),
    (
        "the criterion names no system and the block's proposed system is not known; only ",
        "标准未指明系统，也无法确定该实验块的提议系统；只有 ",
    ),
    (
        "the criterion compares with the baseline; the block marks none, and only ",
        "标准与基线比较，但该实验块未标明基线，且只有 ",
    ),
    ("unknown evaluation type ", "未知的评测类型 "),
    ("no results for system ", "没有结果的系统："),
    (
        "; the block's runs that stand for none of its compared systems run ",
        "；该实验块中不对应任何对比系统的运行所用系统：",
    ),
    (": if one of them is ", "：若其中之一就是 "),
    ("; the block's run system ", "；该实验块的运行系统 "),
    (" has the words that tell ", " 含有区分以下系统的词："),
    (" apart: if it runs ", "：若它运行的就是 "),
    (", say so in bridge.toml: ", "，请在 bridge.toml 中写明："),
    ("the plan has no experiment blocks", "计划中没有实验块"),
    ("read as: ", "解析为："),
    (
        "a share of items ('N% of ...'): record the share as a metric and name it, or write "
        "'hits of total ≥ N%' with two recorded metrics",
        "条目占比（'N% of ...'）：请把占比记录为一个指标并写出其名称，或用两个已记录的指标写成 "
        "'hits of total ≥ N%'",
    ),
    (
        ": 1 may be a count of one or a share of 1 (100%), so it cannot be held to ",
        "：1 可能是计数（一个），也可能是占比 1（100%），不能与之比较：",
    ),
    (": counts recorded per seed (", "：按种子记录的计数（"),
    ("), whose mean ", "），其均值 "),
    (" is no share, so it cannot be held to ", " 不是占比，不能与之比较："),
    (
        " is a count, not a share in percent, so it cannot be held to ",
        " 是计数，不是百分比占比，不能与之比较：",
    ),
    (
        "%: record the share as a metric, or write '",
        "%：请把占比记录为一个指标，或写成 '",
    ),
    ("' with the total recorded", "'，并记录总数"),
    (" is a metric on a subset ('of ", " 是子集上的指标（'of "),
    (
        "'), not a share of two recorded metrics: record it as one metric and name it as "
        "recorded (a share is written 'count of total ≥ N%' with two recorded counts)",
        "'），不是两个已记录指标的占比：请把它记录为一个指标并按记录的名称写出（占比写作 "
        "'count of total ≥ N%'，用两个已记录的计数）",
    ),
    (
        "a percentage kept, two readings with two verdicts: the level itself, or the share kept "
        "of the value it is kept from (a reference's); write the level alone ('accuracy ≥ 97%'), "
        "or the change allowed against the system it is kept from ('accuracy drops by at most 3% "
        "relative vs the baseline')",
        "保持的百分比有两种读法、两种判断：水平本身，或相对被保持的数值（参照系统的）所保留的比例；"
        "请只写水平（'accuracy ≥ 97%'），或写相对被保持的系统允许的变化（'accuracy drops by at "
        "most 3% relative vs the baseline'）",
    ),
    (
        "a percentage of another system's value ('N% of the baseline'): write the threshold "
        "itself, or the change allowed ('drops by at most 2 points vs the baseline')",
        "另一个系统数值的百分比（'N% of the baseline'）：请直接写出阈值，或写出允许的变化"
        "（'drops by at most 2 points vs the baseline'）",
    ),
    (
        "says what may happen ('may …'), not a condition the results must meet",
        "说的是可能发生的情况（'may …'），不是结果必须满足的条件",
    ),
    (
        "'each' over several systems written as one; name each system",
        "'each' 把多个系统写成了一个；请逐一写出每个系统",
    ),
    (
        "tiered outcomes (strong / partial / fail), not one condition to meet",
        "分级结果（强 / 部分 / 失败），不是一个要满足的条件",
    ),
    (
        "an ablation criterion that also names another reference system",
        "消融标准还指明了另一个参照系统",
    ),
    ("an ablation criterion that also names a reference system", "消融标准还指明了参照系统"),
    ("a derived quantity with an unreadable threshold: ", "派生量的阈值无法读取："),
    ("a derived quantity with a ratio unit", "派生量带有比率单位"),
    ("a negative gain threshold", "负的增益阈值"),
    ("several reference systems", "多个参照系统"),
    ("several subject systems", "多个主体系统"),
    (
        "says which way it goes in words, with no metric named and no number to measure it by; "
        "name the metric (and the margin), and the system it is compared with",
        "用文字说明变化方向，没有指明指标，也没有可衡量的数值；请写明所用的指标（及幅度）以及与之比较的系统",
    ),
    (
        "compares two systems in words, with no metric named and no number to measure it by; "
        "name the metric (and the margin) the comparison is on",
        "用文字比较两个系统，没有指明指标，也没有可衡量的数值；请写明比较所用的指标（及幅度）",
    ),
    (
        "one threshold for each of several things named, written as one; the rules judge one "
        "number per metric: record a metric for each and write a clause for each",
        "对所列的多个对象各设一个阈值，却写成了一条；规则对每个指标只判定一个数值：请为每个对象"
        "记录一个指标，并各写一条子句",
    ),
    (
        "says what a change costs ('costs …'), not which way the metric moves; write it as the "
        "change ('removing each term raises peak T by at least 1 °C')",
        "写的是变化的代价（'costs …'），没有说明指标朝哪个方向变化；请写成变化本身"
        "（如'去掉每一项后 peak T 升高至少 1 °C'）",
    ),
    (
        "a threshold on several metrics it does not name; name each metric, one clause each",
        "对多个指标设阈值却没有写明是哪些指标；请写明每个指标，各写一条子句",
    ),
    ("empty criterion", "空的成功标准"),
    ("parser error: ", "解析器错误："),
    # why ablation planning was skipped (bridge/pipeline/steps/deploy.py)
    ("no ablation planner configured", "未配置消融规划器"),
    ("the planner failed: ", "消融规划器失败："),
    ("main result inconclusive", "主要结果无定论"),
    ("a two-sided tolerance: the difference either way", "双向容差：不论方向的差值"),
    ("main result negative", "主要结果为负面"),
    ("main result positive", "主要结果为正面"),
)

_FRACTIONS = (
    r"(?: \(values read as (?:fractions, ×100(?:, as the threshold is a percentage)?|"
    r"percentages, /100, as the threshold is a fraction)\)"
    r"| \(values read as fractions, ×100; set \[metrics\] units = \{ .+? \} in bridge\.toml "
    r"if they are percent\)"
    r"| \(values are (?:percent|fractions)[^()]*as \[metrics\] units says[^()]*\))?"
)
# A name as the parser quotes it (Python's repr: single quotes, or double when it holds one).
_QUOTE = r"""('[^']*'|"[^"]*")"""

# What `match_metric` (bridge/plan/metric_names.py) raises when a plan's metric names several
# extracted ones, one per rule it matched them by (039's B1: test.AUPRC and train.AUPRC read as
# English inside a Chinese verdict, trial t8).
_SEVERAL_MATCHES: tuple[tuple[LazyPattern, str], ...] = tuple(
    (
        lazy(
            rf"\bplan metric {_QUOTE} matches several extracted metrics \({re.escape(rule)}\): "
            r"(.+?); name the one you mean in \[metrics\] aliases"
        ),
        rf"计划中的指标 \1 对应多个提取出的指标（{rule_zh}）：\2；"
        "请在 `[metrics] aliases` 中写明所指的那个",
    )
    for rule, rule_zh in (
        ("synonym of the last dotted component", "按点号分隔的最后一段的同义词"),
        ("last dotted component", "按点号分隔的最后一段"),
        ("same name", "按同名"),
        ("synonym", "按同义词"),
        ("alias", "按别名"),
        ("name ending", "按名称结尾"),
        ("same words", "按相同的词"),
    )
)

# The rule-verdict arithmetic (bridge/machine/judge.py, comparisons.py): the numbers, operators,
# system and metric names stay; the words around them are bridge's. The direction word is only
# rewritten where it stands as the verdict writes it (after the metric, before the colon).
# An "(extracted: …)" list of metric names, read to its own closing parenthesis past a name's
# own (`acc(top1)`): read to the first ")", the Chinese bracket closed inside the list.
_LISTED = r"(?:[^()]|\([^()]*\))*"
_ARITHMETIC: tuple[tuple[LazyPattern, str], ...] = (
    (
        lazy(
            r"judged on each primary metric the plan lists together \((.+?)\), as the clause "
            r"names no metric: "
        ),
        r"按计划并列的每个主指标分别判定（\1），因为该条件没有指明指标：",
    ),
    (lazy(rf" \(lower is better\)(?={_FRACTIONS}: )"), "（越低越好）"),
    # "(lower)" / "(higher)" say which way the gain is counted, not which way is better:
    # "accuracy drops by at most 1 point" counts a drop of a metric where higher is better.
    (lazy(rf" \((?:lower|counted as a drop)\)(?={_FRACTIONS}: )"), "（按降低计）"),
    (lazy(rf" \((?:higher|counted as a rise)\)(?={_FRACTIONS}: )"), "（按升高计）"),
    (lazy(rf" \(better\)(?={_FRACTIONS}: )"), "（越高越好）"),
    (lazy(rf" \(either way\)(?={_FRACTIONS}: )"), "（不论方向）"),
    # A sign between two systems read as written (h41F): each way in its own words.
    *(
        pair
        for en, zh in (("higher", "更高"), ("lower", "更低"))
        for pair in (
            (
                lazy(
                    rf" \({en}, as '([^']+)' reads: set \[metrics\] higher_is_better = \{{ (.+?) "
                    rf"= false \}} in bridge\.toml if lower is better\)(?={_FRACTIONS}: )"
                ),
                rf"（按 '\1' 读作数值{zh}：若越低越好，请在 bridge.toml 中设置 [metrics] "
                r"higher_is_better = { \2 = false }）",
            ),
            (
                lazy(
                    rf"(\S+) is better lower, and only '([^']+)' between the systems says which "
                    rf"way: a {en} \1, as written, or a better one, which part; write 'higher', "
                    r"'lower' or 'better'"
                ),
                rf"\1 越低越好，而只有系统之间的 '\2' 说明方向：可能是按字面的 \1 {zh}，也可能是"
                r"更好（更低）的 \1，两种读法结论相反；请写明 'higher'、'lower' 或 'better'",
            ),
            (
                lazy(rf"'([^']+)' between the systems read as a {en} value"),
                rf"系统之间的 '\1' 读作数值{zh}",
            ),
        )
    ),
    (lazy(r" \(values read as fractions, ×100\)"), "（数值按比例读取，×100）"),
    (
        lazy(
            r" \(values read as fractions, ×100; set \[metrics\] units = \{ (.+?) \} in "
            r"bridge\.toml if they are percent\)"
        ),
        r"（数值按比例读取，×100；若它们是百分数，请在 bridge.toml 中设置 `[metrics] units = "
        r"{ \1 }`）",
    ),
    (
        lazy(r" \(values are percent, as \[metrics\] units says\)"),
        "（数值是百分数，见 `[metrics] units`）",
    ),
    (
        lazy(
            r" \(values are percent, /100, as \[metrics\] units says; the threshold is a "
            r"fraction\)"
        ),
        "（数值是百分数，见 `[metrics] units`；阈值是比例，数值 /100）",
    ),
    (
        lazy(r" \(values are fractions, ×100, as \[metrics\] units says\)"),
        "（数值是比例，×100，见 `[metrics] units`）",
    ),
    (
        lazy(r" \(values are fractions, as \[metrics\] units says\)"),
        "（数值是比例，见 `[metrics] units`）",
    ),
    (
        lazy(r" \(values read as fractions, ×100, as the threshold is a percentage\)"),
        "（阈值是百分数，数值按比例读取，×100）",
    ),
    (
        lazy(r" \(values read as percentages, /100, as the threshold is a fraction\)"),
        "（阈值是比例，数值按百分数读取，/100）",
    ),
    (
        lazy(
            r": which way is worse is not known: set \[metrics\] higher_is_better = \{ (.+?) = "
            r"true \} \(or false\) in bridge\.toml"
        ),
        r"：不知道哪个方向算变差：请在 bridge.toml 中设置 [metrics] higher_is_better = "
        r"{ \1 = true }（或 false）",
    ),
    # A gain the better way of a metric nothing gives a direction: open, the line to add.
    (
        lazy(
            r": which way is better is not known \(the criterion's words do not say, nor does "
            r"bridge\.toml, and bridge does not know the metric\): set \[metrics\] "
            r"higher_is_better = \{ (.+?) = true \} \(or false\) in bridge\.toml"
        ),
        r"：不知道哪个方向更好（条件的文字没有说明，bridge.toml 没有设置，bridge 也不认识该指标）："
        r"请在 bridge.toml 中设置 [metrics] higher_is_better = { \1 = true }（或 false）",
    ),
    (
        lazy(
            r": the systems' values are on different scales \(([^)]*)\): some read as "
            r"fractions, some as percentages; write them alike"
        ),
        r"：各系统的数值尺度不同（\1）：有的是比例，有的是百分数；请统一写法",
    ),
    (
        lazy(r"([^\s:|«»;—][^:|«»;—]*?) for ([^:|«»;—]+?): (?=[^|]*\(means over seeds\))"),
        r"\2 的 \1：",
    ),
    (lazy(r" \(means over seeds\)"), "（各种子的均值）"),
    (
        lazy(r"\bvs (.+?) (\S+(?: ± \S+)? \(n=\d+\)): gain "),
        r"对比 \1 \2：增益 ",
    ),
    (
        lazy(r"\bvs (.+?) (\S+(?: ± \S+)? \(n=\d+\)): drop "),
        r"对比 \1 \2：降幅 ",
    ),
    (
        lazy(r"\bvs (.+?) (\S+(?: ± \S+)? \(n=\d+\)): rise "),
        r"对比 \1 \2：升幅 ",
    ),
    (
        lazy(r"\bvs (.+?) (\S+(?: ± \S+)? \(n=\d+\)): difference "),
        r"对比 \1 \2：差值 ",
    ),
    (lazy(r"; required gain "), "；要求增益 "),
    # A met gain no larger than the seeds' standard deviation (judge's `_within_spread`).
    (
        lazy(
            r"; within the seeds' spread: the difference (\S+) is no larger than the std (\S+) "
            r"\(n=(\d+) and (\d+)\), so the seeds do not tell it from (.+?)"
            r"(?= \(read as:| \|| ‖ |; |$)"
        ),
        r"；在种子的波动范围内：差值 \1 不大于标准差 \2（n=\3 和 \4），种子不足以将其与 \5 区分",
    ),
    # A met threshold no farther from the mean than the seeds' std (`_level_within_spread`).
    (
        lazy(
            r"; within the seeds' spread: the mean is (\S+) from the threshold, no more than the "
            r"std (\S+) \(n=(\d+)\), so the seeds do not tell it from (\S+?)"
            r"(?= \(read as:| \|| ‖ |; |$)"
        ),
        r"；在种子的波动范围内：均值与阈值相差 \1，不大于标准差 \2（n=\3），"
        r"种子不足以将其与 \4 区分",
    ),
    # The same of a per-label gain (`_judge_per_item_gain`).
    (
        lazy(
            r"; within the seeds' spread on (.+?): the difference is no larger than the std, so "
            r"the seeds do not tell them apart"
        ),
        r"；在种子的波动范围内（\1）：差值不大于标准差，种子不足以将两者区分",
    ),
    (lazy(r"; required \|difference\| "), "；要求 |差值| "),
    (lazy(r"; required drop "), "；要求降幅 "),
    (lazy(r"; required rise "), "；要求升幅 "),
    (lazy(r" for each → "), "，每个均需 → "),
    # A threshold "in every domain" judged on each label (judge's `_judge_per_item`).
    (lazy(rf" judged on each label \({_QUOTE}\): "), r" 按每个标签判断（\1）："),
    (lazy(r"; each ([<>≥≤=] \S+) → "), r"；每个均 \1 → "),
    # A comparison "on every task" judged on each label (judge's `_judge_per_item_gain`).
    (lazy(r"; failing: "), "；未满足的标签："),
    (lazy(r"; not compared, recorded by one side only: "), "；未比较（只有一方记录）："),
    (
        lazy(r" for each: open until every label is compared"),
        "，每个均需：待每个标签都比较后再判定",
    ),
    # "0.02, required ≥ 0.03 → not met": the limit a number failed (judge's `compared`).
    (lazy(r"(?<=\d), required (?=[<>≥≤=] )"), "，要求 "),
    (lazy(r"→ not met\b"), "→ 未满足"),
    (lazy(r"→ met\b"), "→ 满足"),
    (lazy(r" ?\(read as: ((?:[^()]|\([^()]*\))*)\)"), r"（解析为：\1）"),
    (lazy(r"(\S+) would be compared with itself"), r"\1 将与自身比较"),
    (lazy(r"\bmetric ambiguous for (.+?): "), r"\1 的指标有歧义："),
    (lazy(r"\bmetric ambiguous in the block's runs: "), "实验块的运行中指标有歧义："),
    (
        lazy(
            r"\bthe criterion says '(.+?)' after its threshold, and the runs record (.+?) beside "
            r"(\S+): the value found is not that part's; "
        ),
        r"标准在阈值之后写明 '\1'，而运行在 \3 之外另记录了 \2：找到的数值不是该部分的；",
    ),
    (lazy(r"\bwrite the clause on (\S+) by that name"), r"请用名称 \1 写该子句"),
    (
        lazy(
            r"\bhave the runs record that part's value under a name of its own \((\S+)\) and "
            r"write the clause on it"
        ),
        r"请让运行以独立的名称记录该部分的数值（\1），并就它写子句",
    ),
    *_SEVERAL_MATCHES,
    (
        lazy(rf"\bmetric {_QUOTE} not found for (.+?) \(extracted: ({_LISTED})\)"),
        r"未找到 \2 的指标 \1（已提取：\3）",
    ),
    (
        lazy(rf"\bmetric {_QUOTE} not found in the block's runs \(extracted: ({_LISTED})\)"),
        r"实验块的运行中未找到指标 \1（已提取：\2）",
    ),
    (
        lazy(
            r"; if (\S+) is it, add (`[^`]*`) to (`\[metrics\] aliases = \{ … \}`) in bridge\.toml"
        ),
        r"；若 \1 就是它，请在 bridge.toml 的 \3 中加入 \2",
    ),
    (
        lazy(
            r"; if (\S+) is the sentence's verb, not part of the metric's name, write the clause "
            r"without it \((\S+) is recorded\)"
        ),
        r"；若 \1 是句子的动词而不是指标名的一部分，请去掉它再写该子句（已记录 \2）",
    ),
    (lazy(r": no values\b"), "：没有数值"),
    (lazy(r" is 0: a relative change is undefined"), " 为 0：相对变化无定义"),
    (lazy(r" is 0: (.+?) is undefined"), r" 为 0：\1 无定义"),
)

# "'≥ base + 0.1' read as 'at least 0.1 above base'": an offset from a reference's value; in
# points ("at most 10 points below B", «不低于 B 减 10 个百分点») first.
_OFFSETS: tuple[tuple[LazyPattern, str], ...] = tuple(
    (
        lazy(rf"('[^']+') read as '{limit} (\S+){unit} {way} ([^']+)'"),
        rf"\1 解析为“比 \3 {way_zh}{limit_zh} \2{unit_zh}”",
    )
    for unit, unit_zh in ((" points", " 个百分点"), ("", ""))
    for limit, limit_zh in (
        ("at least", "至少"),
        ("more than", "超过"),
        ("at most", "至多"),
        ("less than", "不到"),
    )
    for way, way_zh in (("above", "高"), ("below", "低"))
)

# The evaluation sets a clause may be said of, in English and in Chinese.
_SET_NAMES = (("test", "测试集"), ("validation", "验证集"), ("dev", "开发集"), ("train", "训练集"))

# How a clause was read (the parser's notes and the judge's readings, after "read as:").
_READINGS: tuple[tuple[LazyPattern, str], ...] = (
    *_OFFSETS,
    (
        lazy(rf"{_QUOTE} read as beating the reference by a margin not stated"),
        r"\1 解析为以未写明的幅度胜过参照系统",
    ),
    # Margin words with their number (parser.py's _stated_with_words).
    (
        lazy(rf"{_QUOTE} read as the margin the clause states, "),
        r"\1 解析为子句写明的幅度 ",
    ),
    # A change as a share of the value it changes from (parser.py, _read_either; review2 h42,
    # items 11 and 12: both stayed English).
    (
        lazy(rf"{_QUOTE} read as a relative change \({_QUOTE}\)"),
        r"\1 解析为相对变化（\2）",
    ),
    (
        lazy(
            rf"a change as a share of the value it changes from \({_QUOTE}\), not read as a "
            rf"relative change against one system of the block: write it as one \({_QUOTE}\)"
        ),
        r"按变化前数值之比表示的变化（\1），未能解析为相对实验块中某一系统的相对变化："
        r"请写成这样的形式（\2）",
    ),
    # A negated comparison not read (parser.py, _NEGATED_GAIN).
    (
        lazy(
            rf"a negated comparison \({_QUOTE}\): only 'by more than <number>' is read \(a limit "
            r"on the difference\); write the condition to meet \('beats B by at most 0\.01'\)"
        ),
        r"否定的比较（\1）：只读取'by more than <数值>'（差值的上限）；请写出要满足的条件"
        r"（如'比 B 高出不超过 0.01'）",
    ),
    # A negation over the whole comparison (parser.py, _NEGATED_FRAME).
    (
        lazy(
            rf"a negation over the whole comparison \({_QUOTE}\), not read; write the condition "
            r"to meet \('beats B by at most 0\.01'\)"
        ),
        r"否定整个比较（\1），未读取；请写出要满足的条件（如'比 B 高出不超过 0.01'）",
    ),
    (
        lazy(
            rf"a negated change \({_QUOTE}\): read without its negation it is met exactly when "
            r"the plan says it fails; write the condition to meet \('improves by less than "
            r"0\.02', 'drops by at most 1 ms'\)"
        ),
        r"否定的变化（\1）：去掉否定来读，恰在计划判定失败时满足；请写出要满足的条件"
        r"（如'降低不超过 1 ms'）",
    ),
    (
        lazy(
            rf"{_QUOTE} after the metric names its minimum or maximum \(over items, seeds or "
            r"steps\), not the value the runs record; record it as a metric and name it in the "
            r"criterion"
        ),
        r"指标后的 \1 指明其最小值或最大值（按样本、种子或步数），而不是运行记录的值；"
        r"请把它记录为指标，并在标准中写出其名称",
    ),
    # A count over runs (parser.py, _SOME_OF_THE_RUNS).
    (
        lazy(
            rf"a count over runs, seeds or settings \({_QUOTE}\); the rules judge the mean over "
            r"seeds, not how many runs meet it \(write it of the mean, or record the count as a "
            r"metric\)"
        ),
        r"按运行、种子或设置计数（\1）；规则按各种子的均值判定，而不是满足条件的运行个数"
        r"（请改写为针对均值的条件，或把该计数记录为指标）",
    ),
    # A margin in words with no certain number (parser.py, _MARGIN_UNSIZED).
    (
        lazy(
            rf"a margin in words whose number was not read \({_QUOTE}\): write its number "
            r"\('by at least 2 points'\)"
        ),
        r"用文字表示、未能读出数值的幅度（\1）：请写出数值（如'至少高出 2 个百分点'）",
    ),
    # An ablation's variants against the full system, turned round (parser.py, each_against).
    (
        lazy(r"\beach variant against (.+?) read as \1 against each variant, higher\b"),
        r"各变体相对 \1 解析为 \1 相对各变体，须更高",
    ),
    (
        lazy(r"\beach variant against (.+?) read as \1 against each variant, lower\b"),
        r"各变体相对 \1 解析为 \1 相对各变体，须更低",
    ),
    (lazy(r"'N\+' read as 'at least N'"), "'N+' 解析为“至少 N”"),
    (
        lazy(r"\bsubject (.+?): the block's proposed system \(marked as ours/proposed\)"),
        r"主体 \1：该实验块的提议系统（标为我们的/提议的）",
    ),
    (
        lazy(r"\bsubject (.+?): the system the plan's method thesis names"),
        r"主体 \1：计划的方法主张所指的系统",
    ),
    (
        lazy(
            r"\bsubject (.+?): the block's full system \(every other system's name starts with it\)"
        ),
        r"主体 \1：该实验块的完整系统（其他系统的名称都以它开头）",
    ),
    (
        lazy(r"\bsubject (.+?): the first-listed of the block's two systems"),
        r"主体 \1：该实验块两个系统中先列出的一个",
    ),
    (
        # 039's B3: the subject taken from the block's Proposed line (trial t13).
        lazy(r"\bsubject (.+?): the block's proposed system \(its Proposed line\)"),
        r"主体 \1：该实验块的提议系统（其 Proposed 行）",
    ),
    (lazy(r"\bsubject (.+?): the block's proposed system"), r"主体 \1：该实验块的提议系统"),
    (
        lazy(
            r"the block's runs name no system and are not seeds of one run \(([^)]*)\): their "
            r"numbers cannot be pooled; give each run its system \(the tracker's System column, "
            r"or \[\[runs\]\] id = \"…\" system = \"…\" in bridge\.toml\); a run that already "
            r"succeeded takes it at the next bridge run without running again \(unless its "
            r"command uses the label: then bridge retry --changed\)"
        ),
        r"该实验块的运行未写系统，且不是同一运行的不同种子（\1）：它们的数值不能合并；"
        r'请为每个运行写明系统（追踪表的 System 列，或 bridge.toml 中的 [[runs]] id = "…" '
        r'system = "…"）；已成功的运行在下次 bridge run 时采用它，无需再次运行'
        r"（若其命令使用该标签，则用 bridge retry --changed）",
    ),
    (
        lazy(
            r"\bsubject: (\S+), the only run of the block that recorded (.+?) \(its runs name "
            r"no system and are not seeds of one run\)"
        ),
        r"主体：\1，该实验块中唯一记录了 \2 的运行（其运行未写系统，且不是同一运行的不同种子）",
    ),
    (
        lazy(
            r"(\S.*?) was recorded by ([^:]+?), runs of (.+?) that are not seeds of one run "
            r"\(their rows say different things\): their numbers cannot be pooled; give each run "
            r"its own system \(the tracker's System column\), or judge one of them in a block of "
            r"its own"
        ),
        r"\1 由 \2 记录，它们是 \3 的运行，但不是同一运行的不同种子（追踪表各行写的内容不同）："
        r"它们的数值不能合并；请为每个运行写明各自的系统（追踪表的 System 列），或把其中一个放到"
        r"单独的实验块中检验",
    ),
    (
        lazy(
            r"(\S.*?): its runs \(([^)]*)\) are not seeds of one run \(their rows say different "
            r"things\): each value is judged as the one run's that recorded it"
        ),
        r"\1：其运行（\2）不是同一运行的不同种子（追踪表各行写的内容不同）：每个数值按记录它的那个运行判定",
    ),
    (
        lazy(r"\bsubject: the block's runs, which name no system"),
        "主体：该实验块的运行（未写系统）",
    ),
    (
        lazy(r"\bsubject (.+?): the only system besides the reference"),
        r"主体 \1：除参照外唯一的系统",
    ),
    (lazy(r"\bsubject (.+?): the block's only system"), r"主体 \1：该实验块唯一的系统"),
    (lazy(r"\bsubject (.+?) from the clause before"), r"主体 \1 取自前一个子句"),
    (lazy(r"\bmetric (.+?) from the clause before"), r"指标 \1 取自前一个子句"),
    # "accuracy > Baseline with training time ≤ 2x" (bridge/plan/criteria/parser.py).
    (
        lazy(r"'with ([^']*)' read as a clause of its own: a limit that must hold too"),
        r"'with \1' 作为单独的子句：同样必须满足的限制",
    ),
    (
        lazy(rf"{_QUOTE} read against (.+?), the reference of the clause before"),
        r"\1 以前一个子句的参照 \2 为参照",
    ),
    # Any other evidence for the subject (an embedder's words): only the word "subject".
    (lazy(r"\bsubject ([^:;]+?): "), r"主体 \1："),
    (
        lazy(r"'the baseline' read as (.+?), the block's other system"),
        r"“基线”解析为 \1（该实验块的另一个系统）",
    ),
    (lazy(rf"\bmetric {_QUOTE} read as {_QUOTE}"), r"指标 \1 解析为 \2"),
    # A median the clause asks for over a system's runs (bridge/machine/judge.py).
    (
        lazy(
            r"the median of (.+?)'s (\d+) runs' (.+?), as the criterion asks "
            r"\((.+?) → ([^;]+); their mean is ([^)]+)\)"
        ),
        r"按标准所求，取 \1 的 \2 次运行的 \3 的中位数（\4 → \5；其均值为 \6）",
    ),
    (
        lazy(
            r"the criterion asks for a median over several runs \((.+?)\), and a comparison "
            r"between systems is judged on their means: the median the plan asks for cannot be "
            r"told from them; record the median as a metric of its own, or judge it yourself"
        ),
        r"标准要求多次运行的中位数（\1），而系统之间的比较按均值判断：无法由均值得出计划所要的"
        r"中位数；请把中位数记录为单独的指标，或自行判断",
    ),
    (
        lazy(
            r"the criterion asks for the median of (.+?) over (.+?)'s (\d+) runs, and their "
            r"values are not at hand; only their mean (\S+) is"
        ),
        r"标准要求 \2 的 \3 次运行的 \1 的中位数，但这些数值不在手边，只有其均值 \4",
    ),
    (
        lazy(r"(.+?): judged on its (\d+) planned runs?, where the block expects (\d+) seeds"),
        r"\1：按计划的 \2 次运行判断（该实验块应有 \3 个种子）",
    ),
    (
        lazy(
            r"(.+?): judged on all its (\d+) runs of (.+?) \(([^()]*)\), "
            r"where the block expects (\d+) seeds?"
        ),
        r"\1：按其 \3 的全部 \2 次运行（\4）判断（该实验块应有 \5 个种子）",
    ),
    (
        lazy(
            r"(\S+): the margin '(\S+)%' of a rate reads two ways, with two verdicts: as "
            r"percentage points (.+?), required (\S+) (\S+) pp → (.+?); as a relative "
            r"change (.+?), required (\S+) (\S+)% → (.+?): write '\S+ pp' \(percentage "
            r"points\) or '\S+% relative' \(×(\S+)\)"
        ),
        r"\1：比率上的幅度 '\2%' 有两种读法，判断不同：按百分点 \3，要求 \4 \5 个百分点 → \6；"
        r"按相对变化 \7，要求 \8 \9% → \10：请写成 '\5 个百分点' 或 '相对 \5%'（×\11）",
    ),
    (
        lazy(r"'%' read as percentage points \(a rate metric\)"),
        "'%' 解析为百分点（比率类指标）",
    ),
    (
        lazy(r"'%' read as a relative change \(not a rate metric\)"),
        "'%' 解析为相对变化（非比率类指标）",
    ),
    (lazy(rf"{_QUOTE}: lower is better"), r"\1：越低越好"),
    (
        lazy(
            r"getting worse read in (.+?)'s own direction: at most (\S+) worse than the reference"
        ),
        r"“变差”按 \1 自身的优劣方向解析：至多比参照差 \2",
    ),
    (
        lazy(
            r"getting worse read in (.+?)'s own direction: at least (\S+) worse than the "
            r"reference"
        ),
        r"“变差”按 \1 自身的优劣方向解析：至少比参照差 \2",
    ),
    (lazy(r"no reference named: the block's baseline"), "未指明参照：取该实验块的基线"),
    # «Ours 在 FedAvg 的基础上，准确率不低于 0.9» (parser's _built_on, h43B item 3).
    (
        lazy(
            rf"{_QUOTE} read as what (.+?) is built on, not what it is compared with: the "
            r"level is its own"
        ),
        r"\1 解析为 \2 所基于的系统，而非比较对象：该水平是 \2 自身的",
    ),
    (
        lazy(
            r"^ names what the system is built on, not a system it is compared with \((.+?)\); "
            r"bridge reads the rest only as a level of a system the clause names: name the "
            r"system and its level, as $"
        ),
        r" 说的是系统所基于的对象，而非比较对象（\1）；bridge 只把其余部分读作"
        r"该子句所写系统的水平：请写明系统及其水平，如 ",
    ),
    (lazy(r"^ does, or the change and its size, as $"), " 所示；或写明变化及其幅度，如 "),
    (lazy(r"^ does$"), " 所示"),
    # A reference carried from the frame a sentence opens with (parser's _reference_from_before).
    (lazy(r"\breference ([^;]+?) from $"), r"参照 \1 取自句首的"),
    (lazy(r"^, which opens the sentence\b"), "，它统领整句"),
    # bridge/plan/criteria/parser.py: a cost with no reference, an elided comparison (h42C).
    (
        lazy(
            r"says what a change costs of the metric, but not which system it is measured "
            r"from; name both \('A costs at most 0\.1 AUROC compared to B'\)"
        ),
        "说的是改动让指标付出的代价，却没有说相对于哪个系统；请写出两者"
        "（'A costs at most 0.1 AUROC compared to B'）",
    ),
    # The quote between is kept as written (in_language translates around it).
    (lazy(r"^: the comparison of the clause before"), "：沿用前一个子句的比较"),
    (
        lazy(r"reads as a comparison of the clause before with (.+?) \($"),
        r"读作把前一个子句的比较用于 \1（",
    ),
    (
        lazy(
            r"^\), but the clause before does not name its reference (.+?) in words bridge can "
            r"replace; write the comparison out"
        ),
        r"），但前一个子句没有以可替换的文字写出其参照 \1；请把比较完整写出",
    ),
    (
        lazy(
            r"^\), but the clause before names its reference (.+?) before its subject (.+?), so "
            r"(.+?) may be compared with (.+?) too; write the comparison out"
        ),
        r"），但前一个子句先写参照 \1、后写主体 \2，\3 也可能同样与 \4 比较；请把比较完整写出",
    ),
    (
        lazy(r"^\), but bridge cannot read it so; write the comparison out"),
        "），但 bridge 无法这样解析；请把比较完整写出",
    ),
    # A cap after a gapped comparison, a change naming no reference after one (review2 s42).
    (
        lazy(
            r"^reads as a cap on how far (.+?) may trail in the comparison of the clause "
            r"before \($"
        ),
        r"读作前一个子句的比较中 \1 可落后的上限（",
    ),
    (
        lazy(r"^\), but not which way it may get worse; write the comparison out"),
        "），但没有说它可以朝哪个方向变差；请把比较完整写出",
    ),
    (lazy(r"\ba change of ([^;:—]+?) \($"), r"\1 的变化（"),
    # "better than B with accuracy of at least 0.9" (review2 s42, item 3).
    (
        lazy(
            r"a level after a comparison \(('[^']*')\): the value the subject reaches or the size "
            r"of its gain\? Write the level as a clause of its own \('…, with accuracy ≥ 0\.9'\) "
            r"or the gain with 'by' \('by at least 0\.9'\)"
        ),
        r"比较之后的水平（\1）：是主体达到的值，还是增益的大小？请把水平写成单独的子句"
        r"（'…, with accuracy ≥ 0.9'），或用 'by' 写出增益（'by at least 0.9'）",
    ),
    (
        lazy(
            r"^\) after a comparison with (.+?), naming no system it is measured from: (.+?) or "
            r"the block's baseline \(([^()]+)\); write the comparison out"
        ),
        r"），位于与 \1 的比较之后，却未指明相对哪个系统：\2 还是该实验块的基线（\3）；"
        r"请把比较完整写出",
    ),
    (
        lazy(r"the block's baseline (.+?), the system the clause before compares with"),
        r"该实验块的基线 \1，即前一个子句比较的系统",
    ),
    (
        lazy(
            r"^\) after a comparison with (.+?), naming no system it is measured from: (.+?) or "
            r"the block's baseline; write the comparison out"
        ),
        r"），位于与 \1 的比较之后，却未指明相对哪个系统：\2 还是该实验块的基线；请把比较完整写出",
    ),
    # "loss below the threshold of 0.5" (bridge/plan/criteria/parser.py's _LEVEL_OF).
    (lazy(r"'(\w+) … of' read as '([<>])'"), r"'\1 … of' 解析为 '\2'"),
    # The evaluation set a clause is said of ("on the test set"), as the parser notes it and
    # the judge finds its value (judge's `_on_evaluation_set`).
    (lazy(r"'([^']*)' read as the set the runs evaluate on"), r"'\1' 解析为运行评估所用的数据集"),
    *(
        entry
        for en, zh in _SET_NAMES
        for entry in (
            (lazy(rf"on the {en} set: (.+?), as its name says"), rf"在{zh}上：\1（其名称所示）"),
            (
                lazy(rf"on the {en} set: (.+?), the one value the runs record, read as that set's"),
                rf"在{zh}上：\1 是运行记录的唯一数值，视为{zh}的数值",
            ),
            (
                lazy(
                    rf"the criterion is on the {en} set, and the value found, (.+?), is of the "
                    rf"(\w+) set: record the {en} set's value under its own name, or name it in "
                    r"the criterion"
                ),
                rf"成功标准针对{zh}，而找到的数值 \1 属于 \2 集：请以单独的名称记录{zh}的数值，"
                r"或在成功标准中写明",
            ),
            (
                lazy(
                    rf"the criterion is on the {en} set, and the runs record (.+?) beside (.+?): "
                    rf"which is the {en} set's value is not said; name it in the criterion"
                ),
                rf"成功标准针对{zh}，而运行同时记录了 \1 和 \2：未说明哪个是{zh}的数值；"
                r"请在成功标准中写明",
            ),
        )
    ),
    # A unit after the threshold ("latency < 5 ms") matched to the metric's name (judge's
    # `_in_values_unit`).
    (
        lazy(r"(\S+ \S+) read as (\S+ \S+), the unit (.+?)'s name says"),
        r"\1 换算为 \2（\3 的名称所示的单位）",
    ),
    (
        lazy(r"(\S+ \S+): (.+?)'s values are in (\S+), as its name says"),
        r"\1：\2 的数值以 \3 为单位（其名称所示）",
    ),
    (
        lazy(
            r"the criterion's threshold is in (\S+) \((.+?)\), and (.+?)'s name says its values "
            r"are in (\S+), which it cannot be turned into"
        ),
        r"成功标准的阈值以 \1 为单位（\2），而 \3 的名称表明其数值以 \4 为单位，无法换算",
    ),
    (
        lazy(
            r"the criterion's threshold is in (\S+) \((.+?)\), and which unit (.+?)'s values are "
            r"in is not known: record it with its unit in its name \((\S+)\), or give the "
            r"threshold as the values are"
        ),
        r"成功标准的阈值以 \1 为单位（\2），而 \3 的数值单位未知：请在指标名中写明单位（\4），"
        r"或按数值的单位给出阈值",
    ),
    (
        lazy(
            r"the gate's threshold is in (\S+), and which unit (.+?)'s values are in is not "
            r"known: record it with its unit in its name \((\S+)\)"
        ),
        r"门槛的阈值以 \1 为单位，而 \2 的数值单位未知：请在指标名中写明单位（\3）",
    ),
    (
        lazy(
            r"the gate's threshold is in (\S+), and (.+?)'s name says (\S+), which it cannot be "
            r"turned into"
        ),
        r"门槛的阈值以 \1 为单位，而 \2 的名称表明单位为 \3，无法换算",
    ),
    # A met or not met gate clause (bridge/plan/run_gates.py's _judged): "latency_s = 0.04 s,
    # read as 40 ms: meets ≤ 50 ms", "hit_rate = 0.5 (percent, as [metrics] units says): meets
    # < 5%" stood English on a Chinese plan (review s41).
    (lazy(r" \(percent, as \[metrics\] units says\)"), "（[metrics] units 声明为百分比）"),
    (lazy(r" \(fraction, as \[metrics\] units says\)"), "（[metrics] units 声明为比例）"),
    (
        lazy(r", read as ([^:（(]+?)(?=（\[metrics\] units |: (?:meets|does not meet) )"),
        r"，读作 \1",
    ),
    (lazy(r": meets ([<>≤≥=].*)$"), r"：满足 \1"),
    (lazy(r": does not meet ([<>≤≥=].*)$"), r"：不满足 \1"),
    (
        lazy(r"no threshold: at least as good as the reference counts"),
        "无阈值：不差于参照即算满足",
    ),
    (
        lazy(r"no threshold: any gain over the reference counts"),
        "无阈值：相对参照有任何提升即算满足",
    ),
    # 039's B3 «source-shuffle 使性能下降» (bridge/plan/criteria/parser.py).
    (
        lazy(
            rf"{_QUOTE} read as: (.+?) worse than the proposed system on the block's primary "
            r"metric \(the performance meant\)"
        ),
        r"\1 解析为：\2 在该实验块的主指标上差于提议的系统（所说的性能即主指标）",
    ),
    (
        lazy(
            rf"{_QUOTE} read as: (.+?) worse than (.+?) on the block's primary metric \(the "
            r"performance meant\)"
        ),
        r"\1 解析为：\2 在该实验块的主指标上差于 \3（所说的性能即主指标）",
    ),
    (
        lazy(rf"metric {_QUOTE}: the one the other clauses name"),
        r"指标 \1：其他条件所指的指标",
    ),
    (
        lazy(
            rf"{_QUOTE} could be any of the metrics the other clauses name \(([^)]*)\): name "
            r"the one meant"
        ),
        r"\1 可能是其他条件所指的任何一个指标（\2）：请写明所指的指标",
    ),
    (
        lazy(rf"metric read as {_QUOTE}, the key the criterion writes as code"),
        r"指标解析为 \1（标准中以代码形式写出的键）",
    ),
    (
        lazy(rf"metric read as {_QUOTE}, the identifier the criterion names"),
        r"指标解析为 \1（标准中写出的标识符）",
    ),
    (
        lazy(rf"metric read as {_QUOTE}, the rate the criterion names"),
        r"指标解析为 \1（标准中写出的速率）",
    ),
    (
        lazy(rf"metric read as {_QUOTE}: a rate, per what follows 'per'"),
        r"指标解析为 \1：一个速率，按 'per' 之后所写计",
    ),
    (
        lazy(rf"metric read as {_QUOTE}, the words said of both systems"),
        r"指标解析为 \1（两个系统都用这些词指称它）",
    ),
    (
        lazy(rf"metric read from the words before the direction: {_QUOTE}"),
        r"指标取自方向词之前的文字：\1",
    ),
    (
        lazy(rf"metric read from the words before the threshold: {_QUOTE}"),
        r"指标取自阈值之前的文字：\1",
    ),
    # A scope before a Chinese metric's name (bridge/plan/criteria/parser.py, _zh_scope_note).
    (lazy(rf"{_QUOTE} read as the mean over seeds"), r"\1 解析为各 seed 的均值"),
    (
        lazy(rf"{_QUOTE} not checked one by one: judged on {_QUOTE} as the runs record it"),
        r"\1 未逐项检验：按运行记录的 \2 判断",
    ),
    (
        lazy(rf"{_QUOTE} read as the whole evaluation set: the metric's one value judged"),
        r"\1 解析为整个评估集：判断该指标的单一数值",
    ),
    (
        lazy(
            rf"{_QUOTE} read as every label the runs record the metric under: each value judged "
            r"\(not checked one by one where they record one value\)"
        ),
        r"\1 解析为运行记录该指标的每个标签：逐个判断（只记录一个值时不逐项检验）",
    ),
    (
        lazy(rf"{_QUOTE} read as the unit of the threshold \({_QUOTE}\): judged on the one value"),
        r"\1 解析为阈值的单位（\2）：按这一个值判断",
    ),
    (
        lazy(r"no comparator before (\S+): read as 'at least'"),
        r"\1 前没有比较符：解析为“至少”",
    ),
    (
        lazy(r"ratio (\S+)× read as a relative gain of (\S+)%"),
        r"比值 \1× 解析为 \2% 的相对提升",
    ),
    (
        lazy(r"ratio (\S+)× read as a relative reduction of (\S+)%"),
        r"比值 \1× 解析为 \2% 的相对降低",
    ),
    (
        lazy(r"('within [^']+') read as: at most (\S+(?: pp)?) worse \(a better result meets it\)"),
        r"\1 解析为：最多差 \2（更好的结果也满足）",
    ),
    (
        lazy(
            r"the criterion speaks of time or speed \(('[^']*')\) and names no metric, and the "
            r"block's primary metric (.+?) measures no time or rate of work: name the metric in "
            r"the criterion"
        ),
        r"成功标准说的是时间或速度（\1）但没有指明指标，而该实验块的主指标 \2 不度量时间或"
        r"工作速率：请在成功标准中写明指标",
    ),
    (
        lazy(
            r"'(below|under|behind|lower than|less than|worse than)' the reference: the gain "
            r"counted lower"
        ),
        r"'\1' 参照：增益按降低计",
    ),
    (
        lazy(r"'(above|higher than|more than|worse than)' the reference: the gain counted higher"),
        r"'\1' 参照：增益按升高计",
    ),
    (
        lazy(r"'better than' the reference: the gain counted the better way"),
        "'better than' 参照：增益按更好的方向计",
    ),
    (
        lazy(r"'(\S+)× the reference' read as: the ratio to the reference (\S+) (\S+)"),
        r"'\1× 参照' 解析为：与参照之比 \2 \3",
    ),
    (
        lazy(r"the change is the ablated variants' \(('[^']*')\): the full system counted lower"),
        r"变化属于消融变体（\1）：完整系统按降低计",
    ),
    (
        lazy(r"the change is the ablated variants' \(('[^']*')\): the full system counted higher"),
        r"变化属于消融变体（\1）：完整系统按升高计",
    ),
    (
        lazy(
            rf"{_QUOTE} read as the block's primary metric (\S+), of the recorded metrics the "
            r"criterion's name fits \(also ([^()]+)\)"
        ),
        r"\1 解析为本块的主指标 \2（已记录的指标中与标准所写名称相符的还有 \3）",
    ),
    (
        lazy(r"'%' read as a relative change \((.+?) is not a rate\)"),
        r"'%' 解析为相对变化（\1 不是比率类指标）",
    ),
    (
        lazy(r"'%' of a reduction of a rate where lower is better read as relative"),
        "越低越好的比率类指标的降低幅度 '%' 解析为相对变化",
    ),
    (lazy(r"computed from two recorded metrics: "), "由两个已记录的指标计算："),
    (
        lazy(
            r"the criterion asks for a ('[^']*') of (\S+) with no unit: a speedup is a factor, "
            r"not a difference in (\S+)'s units; write it as '(\S+)×' or as a percentage "
            r"\('N% faster'\)"
        ),
        r"判据要求 \1 为 \2 却没有单位：加速是倍数，而不是 \3 单位上的差值；"
        r"请写成 '\4×' 或百分比（'快 N%'）",
    ),
    (
        lazy(
            r"the criterion names no metric it reads and asks its ('[^']*') to rise over the "
            r"reference; the block's primary metric (\S+) is better lower, so a rise of it would "
            r"be a slowdown: name the rate as its runs record it in the criterion, or write the "
            r"condition as a reduction of (\S+)"
        ),
        r"判据没有写出可读的指标，却要求其 \1 高于参照；该实验块的主指标 \2 越低越好，它升高意味着"
        r"变慢：请在判据中按运行记录的名字写出这个速率，或把条件写成 \3 的降低",
    ),
    (
        lazy(
            r"(\S+) and (\S+) both read as the recorded (\S+), so the quantity would be (.+?) "
            r"against itself; name the two metrics as the runs record them, or the one metric "
            r"the criterion means"
        ),
        r"\1 和 \2 都被读作已记录的 \3，这个量就成了 \4 与自身相比；请按运行记录的名字写出这两个"
        r"指标，或写出判据所指的那一个指标",
    ),
    (
        lazy(r"left out what follows '→' \(what to do, not a condition\): "),
        "略去 '→' 之后的内容（要做的事，不是条件）：",
    ),
    (lazy(rf"left out {_QUOTE}: what to do otherwise"), r"略去 \1：否则要做的事"),
    (
        lazy(
            rf"'retention' read with the metric, {_QUOTE}: a share of a reference's {_QUOTE} "
            rf"kept, not {_QUOTE} itself; record it under that name, or write the drop allowed "
            r"\('drops by at most 3% vs B'\)"
        ),
        r"'retention' 与指标连读为 \1：它是参照系统的 \2 被保留的比例，不是 \3 本身；请以该名称"
        r"记录它，或写出允许的降幅（'drops by at most 3% vs B'）",
    ),
    (
        lazy(
            rf"'(gap|difference)' read with the metric, {_QUOTE}: a (?:gap|difference) is not "
            rf"{_QUOTE} itself and names no other side; record it under that name, or write "
            r"'(?:gap|difference) to B' to compare with a system"
        ),
        r"'\1' 与指标连读为 \2：它不是 \3 本身，也没有说与什么相比；请以该名称记录它，"
        r"或写成 '\1 to B' 与某个系统比较",
    ),
    (
        lazy(rf"left out {_QUOTE}: what to do if the criterion is not met"),
        r"略去 \1：未达标时要做的事",
    ),
    (
        lazy(rf"left out {_QUOTE}: what to do if it happens, not a condition"),
        r"略去 \1：出现该情况时要做的事，不是条件",
    ),
    (
        lazy(rf"left out {_QUOTE}: a bonus the criterion does not require"),
        r"略去 \1：加分项，成功标准并不要求",
    ),
    (
        lazy(rf"left out {_QUOTE}: what the criterion does not require"),
        r"略去 \1：成功标准并不要求的内容",
    ),
    (lazy(rf"left out the aside {_QUOTE}"), r"略去旁注 \1"),
    # A run gate naming a split or statistic the recorded name lacks (bridge/plan/run_gates.py).
    (
        lazy(
            rf"the gate says ({_QUOTE}(?:, {_QUOTE})*) of its metric, which the recorded (\S+) "
            r"does not name"
        ),
        r"门槛写明其指标的 \1，而所记录的 \4 没有写明",
    ),
    (lazy(rf"left out the setting {_QUOTE}"), r"略去设置 \1"),
    (lazy(rf"\bmetric {_QUOTE} of the system ([^;]+)"), r"指标 \1 属于系统 \2"),
    (
        lazy(rf"{_QUOTE} read as the change of {_QUOTE} the comparison takes"),
        r"\1 解析为比较所取的 \2 之差",
    ),
    (
        lazy(
            rf"metric read as {_QUOTE}: the word before the metric names which one \(if "
            rf"{_QUOTE} is the sentence's verb, write the clause without it\)"
        ),
        r"指标解析为 \1：指标前的词指明是哪一个（若 \2 是句子的动词，请去掉它再写该子句）",
    ),
    (
        lazy(
            rf"the scope {_QUOTE} names a subset of the items \({_QUOTE}\), and the runs' "
            r"recorded value is over all of them: record the subset's value as a metric and "
            r"name it in the criterion"
        ),
        r"范围 \1 指的是一部分样本（\2），而运行记录的是全体样本上的值："
        r"请把该子集上的值记录为指标，并在标准中写出其名称",
    ),
    (
        lazy(rf"metric read as {_QUOTE}: the word before the metric names which one"),
        r"指标解析为 \1：指标前的词指明是哪一个",
    ),
    (
        lazy(rf"reference {_QUOTE}: the system named after 'over'"),
        r"参照 \1：'over' 之后写的系统",
    ),
    (
        lazy(rf"{_QUOTE} read as the metric the runs record"),
        r"\1 解析为运行记录的指标",
    ),
    (
        lazy(rf"{_QUOTE} read as the gain itself, on the block's primary metric"),
        r"\1 解析为增益本身，按该实验块的主要指标计算",
    ),
    (
        lazy(rf"{_QUOTE} read as the evaluation set, not a condition"),
        r"\1 解析为评测集，不是条件",
    ),
    (
        lazy(
            r"the criterion mentions (.+?), which the block's runs recorded, but it could not be "
            r"read as the metric the clause compares; write the metric's name as recorded beside "
            r"the comparison, or list it in the block's Metrics field"
        ),
        r"标准提到了实验块的运行所记录的 \1，但无法把它读作该条件比较的指标；请在比较处按记录的名称"
        r"写出指标，或把它列入实验块的 Metrics 字段",
    ),
    (
        lazy(
            r"; name the metric in the criterion, or set \[metrics\] primary in bridge\.toml "
            r"\(recorded: ([^()]*)\)"
        ),
        r"；请在标准中写出指标，或在 bridge.toml 中设置 [metrics] primary（已记录：\1）",
    ),
    (
        lazy(
            r"; no run of the plan stands for (.+?): write \1 in its run's System / Variant cell, "
            r"or say so in bridge\.toml: "
        ),
        r"；计划中没有运行对应 \1：请把 \1 写进其运行的 System / Variant 单元格，或在 "
        r"bridge.toml 中写明：",
    ),
    (
        lazy(
            r"a difference of at least a number read as the gain of (.+?) over (.+?)"
            r"(?=[;；)）]|$)"
        ),
        r"“相差至少”解析为 \1 相对 \2 的增益",
    ),
    (
        lazy(r"'difference between (.+?) and (.+?)' read as the gain of \1 over \2"),
        r"'difference between \1 and \2' 解析为 \1 相对 \2 的增益",
    ),
    # A recorded name without the word that names which metric (bridge/machine/judge.py,
    # _qualifier_dropped); the hint after it is the one below.
    (
        lazy(rf"(?<![\w.])([\w.\[\]:@/-]+) recorded, not {_QUOTE}(?=;)"),
        r"已记录 \1，而非 \2",
    ),
    # A superlative over the block's systems (bridge/plan/criteria/parser.py, _superlative).
    (
        lazy(
            rf"{_QUOTE} read as a comparison of (.+?) with each other system of the block: "
            r"([^;|]+)"
        ),
        r"\1 解析为 \2 与该实验块其他每个系统的比较：\3",
    ),
    (
        lazy(
            rf"a superlative \({_QUOTE}\) over the block's systems, but the block names no "
            r"other system than (.+?): list the systems it is compared with in the block's "
            r"Compared systems"
        ),
        r"对实验块各系统的最高级（\1），但该实验块除 \2 外没有其他系统：请在实验块的 Compared "
        r"systems 中列出与之比较的系统",
    ),
    (
        lazy(
            rf"a superlative \({_QUOTE}\) over the block's systems, but its comparison with "
            r"(.+?) cannot be read: write it as one clause each \((«[^»]*»)\)"
        ),
        r"对实验块各系统的最高级（\1），但无法读出它与 \2 的比较：请每个比较写一个子句（\3）",
    ),
    (
        lazy(
            rf"a superlative \({_QUOTE}\) over the block's systems, but {_QUOTE} says more than "
            rf"the metric {_QUOTE} \(a part of it, a condition or some of the systems\): write "
            r"the comparison with each system as its own clause"
        ),
        r"对实验块各系统的最高级（\1），但 \2 说的不止指标 \3（它的一部分、一个条件或部分系统）："
        r"请把与每个系统的比较各写成一个子句",
    ),
    # A size within a limit of another system (parser.py, _WITHIN_OF_SYSTEM).
    (
        lazy(
            rf"a size within a limit of another system \({_QUOTE}\), not read; write it as a "
            r"limit \('比 B 低不超过 0\.01'\)"
        ),
        r"与另一系统相比的「以内」幅度（\1）未读取；请写成上限（如'比 B 低不超过 0.01'）",
    ),
    # A superlative beside another condition (parser.py, _SUPERLATIVE_BESIDE).
    (
        lazy(
            rf"a superlative \({_QUOTE}\) beside another condition: read only as the whole "
            r"criterion; write the comparison with each system as its own clause"
        ),
        r"最高级（\1）与其他条件写在一起：最高级只在独占整个标准时读取；请把与每个系统的比较各写成一个子句",
    ),
    # A metric qualified by the word before it, not recorded (bridge/machine/judge.py,
    # _qualifier_unrecorded); a system-like qualifier (parser).
    (
        lazy(
            rf"; {_QUOTE} names which one, and no recorded name says it: record it under that "
            r"name, or, where a recorded one is it, (`\[metrics\] aliases = \{ .+? \}`)"
        ),
        r"；\1 指明是哪一个，而没有记录的名称写明它：请以该名称记录，"
        r"或在某个已记录的名称就是它时设置 \2",
    ),
    (
        lazy(
            rf"{_QUOTE} before the metric reads as a system's name \(it begins with the block's "
            r"system (.+?)\), which is not a system of the block: name the system as the block "
            r"does"
        ),
        r"指标前的 \1 读作一个系统的名称（以该实验块的系统 \2 开头），但它不是该实验块的系统：请按"
        r"实验块的写法写明系统",
    ),
    (
        lazy(
            rf"{_QUOTE} read as the metric's name: a share \((占比|比例|比重)\), not a "
            r"comparison"
        ),
        r"\1 读作指标名称：一个\2，而不是比较",
    ),
    (
        lazy(rf"{_QUOTE} read as the threshold's unit, a rate, not items each held to it"),
        r"\1 解析为阈值的单位（比率），而非逐项检查的对象",
    ),
    (
        lazy(rf"{_QUOTE} read as where it holds, not a threshold"),
        r"\1 解析为适用条件，不是阈值",
    ),
    # A metric held fixed, not compared (bridge/plan/criteria/phrases.py, conditions_apart).
    (
        lazy(rf"{_QUOTE} read as a condition the comparison holds under, not its metric"),
        r"\1 解析为比较所依据的条件，不是比较的指标",
    ),
    (
        lazy(rf"{_QUOTE} read as a condition the comparison holds under, not checked"),
        r"\1 解析为比较所依据的条件，未检验",
    ),
    # Such a condition on a metric the runs record with different values (bridge/machine/
    # judge.py, _held_unequal); the systems and numbers after it as they are.
    (lazy(rf"{_QUOTE} does not hold in the runs: "), r"\1 在运行中不成立："),
    # One whose quantity a compared system recorded in no one value (runs of different Purposes
    # pooled, untrusted, NaN): why follows, as the judge says it.
    (lazy(rf"{_QUOTE} cannot be checked in the runs: "), r"\1 无法在运行中检验："),
    # "does not drop … by more than" (bridge/plan/criteria/parser.py, _in_words).
    (lazy(rf"{_QUOTE} read as {_QUOTE}(?=[;；)）]|$)"), r"\1 解析为 \2"),
    # A clause's setting checked on the runs (bridge/machine/judge.py, _where_it_holds).
    (
        lazy(
            rf"{_QUOTE} not checked: no run records (.+?) \(as a metric or an argument\), so "
            r"every run is judged"
        ),
        r"\1 未检验：没有运行记录 \2（指标或参数），因此按全部运行判断",
    ),
    (
        lazy(r"judged on the runs at (.+?), recorded as ([^:]+): "),
        r"仅按 \1 的运行判断（记录为 \2）：",
    ),
    (lazy(r"judged on the runs at ([^:]+): "), r"仅按 \1 的运行判断："),
    (
        lazy(r"; ([^;|]+?) records? no ([^\s,;|]+), kept unfiltered"),
        r"；\1 未记录 \2，照常保留",
    ),
    (lazy(rf"no run at (.+?) \({_QUOTE}\): "), r"没有运行处于 \1（\2）："),
    # Only "R013 recorded horizon = 6": "AUROC is recorded under several labels" is another
    # sentence.
    (lazy(r"\b([A-Za-z][\w.-]*) recorded ([^\s=;|]+) = "), r"\1 记录的 \2 = "),
    # The speedup reading (038's B4) and "all within N" (001's B2), bridge/plan/criteria.
    (
        lazy(rf"{_QUOTE} read as two ways of taking one measurement, not an alternative"),
        r"\1 解析为同一测量的两种取法，而非二选一",
    ),
    (lazy(rf"{_QUOTE} read as how the speedup is taken"), r"\1 解析为加速比的取法"),
    # A level within a tolerance of a number (029's M4 coverage), bridge/plan/criteria.
    (lazy(rf"{_QUOTE} read as ([^:;|]+): its lower limit"), r"\1 解析为 \2：其下限"),
    (lazy(rf"{_QUOTE} read as ([^:;|]+): its upper limit"), r"\1 解析为 \2：其上限"),
    (
        lazy(rf"{_QUOTE} read as what the speedup is measured on"),
        r"\1 解析为加速比的测量对象",
    ),
    (lazy(rf"{_QUOTE} read as a speedup of (\S+)"), r"\1 解析为 \2 倍加速比"),
    (
        lazy(r"metric read as 'speedup', the ratio it names"),
        "指标解析为 'speedup'，即其所指的比值",
    ),
    (
        lazy(
            r"'all within ([^']*)' read as every two of the block's systems within (.+?) of "
            r"each other: (.+?) and "
        ),
        r"'all within \1' 解析为该实验块的系统两两之间都在此范围内：\3 与 ",
    ),
    (
        lazy(
            r"'all within ([^']*)' over the block's (\d+) systems: every two of more than (\d+) "
            r"systems is not read; name the systems compared"
        ),
        r"'all within \1' 涉及该实验块的 \2 个系统：超过 \3 个系统时不两两比较；请写明所比较的系统",
    ),
    (
        lazy(rf"{_QUOTE} read as one comparison per system: "),
        r"\1 解析为每个系统各一个比较：",
    ),
    (lazy(rf"{_QUOTE} read as ('[^']*') and ('[^']*')"), r"\1 解析为 \2 与 \3"),
    (lazy(rf"{_QUOTE} read as ('[^']*')"), r"\1 解析为 \2"),
)

# Why a run is in no block (bridge/plan/attribution.py), in the results and `bridge plan`.
_SYSTEM = r"""system ('[^']*'|"[^"]*")"""
# A code span or a quoted name: what a milestone's Runs cell or the tracker names.
_NAMED = r"""(`[^`]*`|'[^']*'|"[^"]*"|\S+)"""
_ATTRIBUTION: tuple[tuple[LazyPattern, str], ...] = (
    # How a run placed in a block was placed (attribution.py), whole: results.json's
    # `attribution` stays English, its `attribution_said` is in the output's language (023's
    # placed runs had no Chinese, trial s43 h43D).
    (lazy(r"^bridge\.toml block$"), "bridge.toml 的 block"),
    (lazy(r'^bridge\.toml \[systems\."(.+?)"\] block$'), r'bridge.toml [systems."\1"] 的 block'),
    (lazy(r"^tracker Block column$"), "追踪表的 Block 列"),
    (lazy(r"^tracker Block column \((.+)\) and system$"), r"追踪表的 Block 列（\1）与系统"),
    (lazy(r"^listed in block (\S+)'s section$"), r"列在实验块 \1 的章节中"),
    (lazy(r"^the tracker's Purpose opens with block (\S+)$"), r"追踪表的目的以实验块 \1 开头"),
    (lazy(r"^a block named in the tracker's Notes$"), "追踪表的备注中写明了实验块"),
    (lazy(r"^its run id is the block's id$"), "其运行 id 即实验块的 id"),
    (lazy(r"^tracker Milestone column names a block$"), "追踪表的 Milestone 列写的是实验块"),
    (lazy(r"^milestone (\S+)'s only block$"), r"里程碑 \1 唯一的实验块"),
    (lazy(r"^system among milestone (\S+)'s blocks$"), r"系统属于里程碑 \1 的实验块"),
    (lazy(r"^system matches one block$"), "系统与唯一一个实验块相符"),
    (
        lazy(rf"^its system's alternative {_QUOTE} matches one block$"),
        r"其系统的另一写法 \1 与唯一一个实验块相符",
    ),
    (
        lazy(r"^its system joins block (\S+)'s compared systems (.+)$"),
        r"其系统合并了实验块 \1 的对比系统 \2",
    ),
    (
        lazy(r"^its system's (.+) is written in block (\S+)'s compared systems only$"),
        r"其系统中的 \1 只写在实验块 \2 的对比系统中",
    ),
    (
        lazy(r"^system begins one compared system of milestone (\S+)'s blocks$"),
        r"系统是里程碑 \1 的实验块中某一个对比系统名的开头",
    ),
    (lazy(rf"^Purpose begins with {_SYSTEM}$"), r"目的以系统 \1 开头"),
    (
        lazy(rf"^its Purpose is what tells apart block (\S+)'s {_QUOTE}$"),
        r"其目的正是实验块 \1 的 \2 与其他对比系统的区别",
    ),
    (
        lazy(r"^its Purpose or Metrics name (.+), which only block (\S+)'s title names$"),
        r"其目的或指标写了 \1，只有实验块 \2 的标题写了它",
    ),
    (
        lazy(rf"^the tracker names {_NAMED}, which only block (\S+) names$"),
        r"追踪表写了 \1，只有实验块 \2 写了它",
    ),
    (
        lazy(rf"^milestone (\S+)'s Runs cell names {_NAMED}, which only block (\S+) names$"),
        r"里程碑 \1 的 Runs 单元格写了 \2，只有实验块 \3 写了它",
    ),
    (
        lazy(r"^milestone (\S+)'s Runs cell lists (\d+) of block (\S+)'s compared systems$"),
        r"里程碑 \1 的 Runs 单元格列出了实验块 \3 的 \2 个对比系统",
    ),
    (
        lazy(rf"^milestone (\S+), {_QUOTE}, is named in block (\S+)'s title {_QUOTE}$"),
        r"里程碑 \1（\2）写在实验块 \3 的标题 \4 中",
    ),
    (
        lazy(r"^milestone (\S+)'s runs (.+) run block (\S+)'s systems$"),
        r"里程碑 \1 的运行 \2 运行的是实验块 \3 的系统",
    ),
    (
        lazy(r"^milestone (\S+), which the plan does not define, has block (\S+)'s number$"),
        r"里程碑 \1 不在计划中，但与实验块 \2 编号相同",
    ),
    (lazy(r"^proposed from the block$"), "由实验块提出"),
    (
        lazy(r"^an implementation task of the tracker, not an experiment run$"),
        "追踪表中的实现任务，不是实验运行",
    ),
    (
        lazy(rf"bridge\.toml sets block {_QUOTE}, which the plan does not have \(blocks: "),
        r"bridge.toml 设置的实验块 \1 不在计划中（实验块：",
    ),
    (
        lazy(rf"\[systems\.\"(.+?)\"\] block = {_QUOTE} is not a block of the plan \(blocks: "),
        r'[systems."\1"] 的 block = \2 不是计划中的实验块（实验块：',
    ),
    (
        lazy(rf"the tracker's Block column {_QUOTE} names no block of the plan"),
        r"追踪表的 Block 列 \1 没有指明计划中的实验块",
    ),
    (
        lazy(
            rf"its Purpose says it is a sanity check \({_QUOTE}\), whose numbers are not a "
            r"block's"
        ),
        r"其目的写明是健全性检查（\1），其数值不属于任何实验块",
    ),
    (
        lazy(
            rf"its Purpose says it reviews results \({_QUOTE}\), and its system is none of "
            r"block (\S+)'s compared systems"
        ),
        r"其目的写明是评审结果（\1），且其系统不是实验块 \2 的对比系统",
    ),
    # A run placed by its Purpose, a block's title (attribution.py, _titled_by).
    (
        lazy(rf"\bits Purpose {_QUOTE} is block (\S+)'s title {_QUOTE}"),
        r"其目的 \1 即实验块 \2 的标题 \3",
    ),
    (
        lazy(rf"\b{_SYSTEM} is compared in block (\S+) and begins block (\S+)'s "),
        r"系统 \1 是实验块 \2 的对比系统，又是实验块 \3 的对比系统名的开头：",
    ),
    (
        lazy(
            rf"\b{_SYSTEM} ends block (\S+)'s {_QUOTE}: if it runs that system, set "
            r"`block = \"(\S+)\"` \(and the system's name\) for it"
        ),
        r'系统 \1 是实验块 \2 的 \3 的结尾：若它运行的就是该系统，请为它设置 `block = "\4"`'
        r"（以及该系统的名称）",
    ),
    (
        lazy(
            rf", but {_SYSTEM} shares only the word {_QUOTE} with them, which the systems of "
            r"blocks? (.+?) have too: not placed by that word; if its numbers are (\S+)'s, set "
            r"`block = \"(\S+)\"` for it"
        ),
        r"，但系统 \1 与它们只共有一个词 \2，而实验块 \3 的系统也有这个词：不据此归属；"
        r'若其数值属于 \4，请为它设置 `block = "\5"`',
    ),
    (
        lazy(
            rf"\b{_SYSTEM} joins systems compared in blocks ([^(]+) \((.+)\): which block its "
            r"numbers are for is not said; give each block's systems a row of their own"
        ),
        r"系统 \1 合并了实验块 \2 的对比系统（\3）：未写明其数值属于哪个实验块；"
        r"请为每个实验块的系统各写一行",
    ),
    (lazy(rf"\b{_SYSTEM} is compared in blocks "), r"系统 \1 同时是这些实验块的对比系统："),
    (
        lazy(rf"\b{_SYSTEM} is not among any block's compared systems"),
        r"系统 \1 不在任何实验块的对比系统中",
    ),
    (
        lazy(r"\btheir systems are not among any block's compared systems"),
        "它们的系统不在任何实验块的对比系统中",
    ),
    (lazy(r"\bmilestone ('[^']*'|\S+) names blocks "), r"里程碑 \1 指明的实验块："),
    (lazy(r"\bmilestone ('[^']*'|\S+) names no block\b"), r"里程碑 \1 没有指明实验块"),
    (lazy(r"^no milestone(?=;)"), "没有里程碑"),
    (lazy(r"\bno system to match\b"), "没有可匹配的系统"),
)

# Phrases with numbers or names in them: (pattern, replacement with the groups kept).
_PATTERNS: tuple[tuple[LazyPattern, str], ...] = (
    # A verdict on the last number of a list, in a block whose seeds one command runs
    # (bridge/projections/outcome.py's PER_SEED_LIST, 033's E1).
    (
        lazy(
            r"the block runs its seeds in one command \((`[^`]*`)\) and its runs recorded (.+?) "
            r"as a list of numbers, read as a series whose last value stands for the run: such a "
            r"list may hold a value per seed, so no verdict is given on its last one; have the "
            r"run write the number the criterion means \(over all its seeds\) under its own "
            r"name\. On the last values: "
        ),
        r"该实验块用一条命令运行它的全部种子（\1），其运行把 \2 记录为数值列表，"
        r"按序列读取、以最后一个值代表该运行：这样的列表可能是每个种子各一个值，"
        r"因此不按最后一个值给出判定；请让运行把标准所指的数（覆盖其全部种子）"
        r"以单独的名称写出。按最后一个值：",
    ),
    # A run gate's clause it calls optional (bridge/plan/run_gates.py's OPTIONAL_LEFT_OUT).
    (
        lazy(rf"the gate calls it optional \({_QUOTE}\): left out of the gate"),
        r"门槛称其为可选（\1）：不计入门槛",
    ),
    # "over the course of 3 epochs" (bridge/plan/criteria/parser.py's _OVER_THE_COURSE).
    (
        lazy(
            rf"says how a result moves over time \({_QUOTE}\), a duration, not a threshold; the "
            r"rules judge the recorded result \(write the level or the gain it must reach, or "
            r"record the change as a metric\)"
        ),
        r"说的是结果随时间的变化（\1），是一段时长，不是阈值；规则判定记录下的结果（请写明须达到的"
        r"水平或增益，或把该变化记录为指标）",
    ),
    # "after 3 epochs", "within 3 epochs" (bridge/plan/criteria/parser.py's _DURATION).
    (
        lazy(
            rf"says when or for how long \({_QUOTE}\), not a threshold; the rules judge the "
            r"recorded result \(write the level or the gain it must reach, or record "
            r"the value then as a metric\)"
        ),
        r"说的是时间点或时长（\1），不是阈值；规则判定记录下的结果（请写明须达到的"
        r"水平或增益，或把那时的值记录为指标）",
    ),
    # 039's B3 «GNN 同时优于 MART»: the proposed system is the clause's reference
    # (bridge/machine/comparisons.py); its evidence is worded in _PHRASES.
    (
        lazy(
            r"the criterion names no system, and the block's proposed system, (.+?) — (.+?) — "
            r"is the system it compares with \(systems: "
        ),
        r"标准未指明系统，而该实验块的提议系统 \1（\2）正是它所比较的系统（系统：",
    ),
    # 039's B3 «source-shuffle 使性能下降»: what the change was applied to is the best of several
    # systems, or no one system of the block (bridge/plan/criteria/parser.py); before the fixed
    # phrase "compares with the best or with all of several systems" is worded.
    (
        lazy(
            rf"compares with the best or with all of several systems \({_QUOTE}, which (.+?) "
            r"is applied to\)"
        ),
        r"与多个系统中最优者或全部比较（\1，即 \2 所作用的系统）",
    ),
    (
        lazy(
            rf"compares with the best or with all of several systems \({_QUOTE} is a change of "
            r"the best of several\)"
        ),
        r"与多个系统中最优者或全部比较（\1 是对多个系统中最优者的改动）",
    ),
    (
        lazy(
            rf"compares with what (.+?) is applied to, {_QUOTE}, which is not one system of the "
            r"block: name that system"
        ),
        r"比较对象是 \1 所作用的 \2，它不是该实验块中的某一个系统：请写明该系统",
    ),
    # A margin stated only in words, judged as far as the numbers go (002's B1); before the
    # reason's own "a margin without a number" is worded.
    (
        lazy(
            rf"; (?:better|lower|higher), but not machine-checkable: a margin without a number "
            rf"\({_QUOTE}\) → open"
        ),
        r"；有增益，但无法自动检验：没有数值的幅度（\1）→ 未定",
    ),
    (
        lazy(
            r"; (?:better|lower|higher), but not machine-checkable: asks for a statistical test or "
            r"interval, "
            rf"which the rules do not compute \({_QUOTE}\) → open"
        ),
        r"；有增益，但无法自动检验：要求统计检验或置信区间，规则不计算这些（\1）→ 未定",
    ),
    (lazy(r"; beyond a gain, not machine-checkable: "), "；除增益之外无法自动检验："),
    # The primary metric a block states that no recorded name is (001's B2 "Overall accuracy").
    (
        lazy(
            r" \(its primary metric (['\"])(.+?)\1 is none of the recorded names: "
            r"(`\[metrics\] aliases = \{ .+? \}`) connects one\)"
        ),
        r"（其主指标 \2 不是任何已记录的名称：\3 可把其中之一与它对应）",
    ),
    # A level asked beyond its bound in words ("loss far below 0.1"), judged on the bound.
    (
        lazy(
            rf" as stated, but not machine-checkable: how far beyond it {_QUOTE} asks is not "
            r"said → open"
        ),
        r"（按所写界限），但无法自动检验：\1 要求超出界限多少没有说明 → 未定",
    ),
    (
        lazy(rf" \(not ([<>≤≥]) (\S+) at all, so not {_QUOTE} beyond it\)"),
        r"（连 \1 \2 都未达到，更谈不上 \3）",
    ),
    (
        lazy(r"; not (?:better|lower|higher) at all, so not significantly better(?= → )"),
        "；完全没有更好，更谈不上显著更好",
    ),
    (
        lazy(r"; not (?:better|lower|higher) at all, so not separating from it(?= → )"),
        "；完全没有更好，谈不上拉开差距",
    ),
    (
        lazy(r"; not (?:better|lower|higher) at all, so not by an? (.+?) margin(?= → )"),
        r"；完全没有更好，谈不上 \1 的幅度",
    ),
    (
        lazy(r"\b(\d+) of (\d+) clauses open \(([\d, ]+)\)(?:\. )?"),
        r"\2 个条件中 \1 个未定（\3）。",
    ),
    (lazy(r"\bclause (\d+) of (\d+) not met(?:\. )?"), r"\2 个条件中第 \1 个未满足。"),
    (
        lazy(r"\bclauses ([\d, ]+) of (\d+) not met(?:\. )?"),
        r"\2 个条件中第 \1 个未满足。",
    ),
    (lazy(r"\ball (\d+) clauses met(?:\. )?"), r"全部 \1 个条件均满足。"),
    # "Either A or B" (001's B2): each part's outcome, then what that makes of the block.
    (lazy(r"\beither of (\d+) parts: "), r"\1 个部分满足其一即可："),
    (lazy(r"\bpart (\d+) \(clauses? ([\d, ]+)\) met\b"), r"第 \1 部分（条件 \2）满足"),
    (
        lazy(r"\bpart (\d+) \(clauses? ([\d, ]+)\) not met\b"),
        r"第 \1 部分（条件 \2）未满足",
    ),
    (lazy(r"\bpart (\d+) \(clauses? ([\d, ]+)\) open\b"), r"第 \1 部分（条件 \2）未定"),
    (lazy(r" \(one part met is enough\)(?:\. )?"), "（满足一个部分即可）。"),
    (lazy(r" \(no part met\)(?:\. )?"), "（没有部分满足）。"),
    (lazy(r" \(no part met, some still open\)(?:\. )?"), "（没有部分满足，仍有部分未定）。"),
    (
        lazy(
            rf"'either … or …': met when one part is met: {_QUOTE} \(clauses? ([\d, ]+)\) or "
            rf"{_QUOTE} \(clauses? ([\d, ]+)\)"
        ),
        r"「either … or …」：满足一个部分即满足：\1（条件 \2）或 \3（条件 \4）",
    ),
    (
        lazy(r"'either … or …': met when one part is met: "),
        "「either … or …」：满足一个部分即满足：",
    ),
    (
        lazy(r" of the block's (\d+) compared systems have results"),
        r" 有结果（该实验块共 \1 个对比系统）",
    ),
    (lazy(r"\[(\d+)\] open: "), r"[\1] 未定："),
    (lazy(r"\[(\d+)\] not met: "), r"[\1] 未满足："),
    (lazy(r"\[(\d+)\] met: "), r"[\1] 满足："),
    (
        lazy(
            r"the tracker's Block column names (\d+) blocks \(([^)]*)\) and (?:system )?(.+?) "
            r"does not tell which"
        ),
        r"追踪表的 Block 列指明了 \1 个实验块（\2），无法确定系统 \3 属于哪一个",
    ),
    (
        lazy(r"missing seeds: (.+?) has (\d+) of (\d+) expected"),
        r"种子不足：\1 有 \2 个，应有 \3 个",
    ),
    (
        lazy(r"(\S+) recorded ([^;()]+?) but no ([^;()]+?)(?=; |: name it)"),
        r"\1 记录了 \2，但没有 \3",
    ),
    (
        lazy(r": name it in \[metrics\] aliases if it is the same metric\)"),
        "：若是同一指标，请在 [metrics] aliases 中写明）",
    ),
    (
        # "value(s)" in a log written before the plural was said (session 38).
        lazy(r"(\d+) non-finite values?(?:\(s\))? \(NaN/Inf\) among its runs"),
        r"其运行中有 \1 个非有限值（NaN/Inf）",
    ),
    (lazy(r"block ('[^']*') is not a block of the plan"), r"实验块 \1 不是计划中的实验块"),
    (
        lazy(
            rf"a condition for each of several things it does not name \({_QUOTE}\): which "
            r"runs or metrics they are is not said; record a metric for each and write one "
            r"clause each"
        ),
        r"对未写明的多个对象各提一个条件（\1）：没有说明它们是哪些运行或指标；"
        r"请为每个对象记录一个指标，并各写一条",
    ),
    # With the condition as read (014's B3, B4: "… ('in every area quartile', 'for both
    # findings'), read as 'mean TCIG > 0' for each: …").
    (
        lazy(
            rf"a condition for each of several things it does not name \(({_QUOTE}(?:, "
            rf"{_QUOTE})*)\), read as {_QUOTE} for each: which runs or metrics they are is not "
            r"said; record a metric for each and write one clause each"
        ),
        r"对未写明的多个对象各提一个条件（\1），每个对象解析为 \4：没有说明它们是哪些运行或"
        r"指标；请为每个对象记录一个指标，并各写一条",
    ),
    (
        lazy(r"a margin without a number \(('[^']*'|\"[^\"]*\")\)"),
        r"没有数值的幅度（\1）",
    ),
    # "without increasing X", «不增加 X» (bridge/plan/criteria/parser.py, _no_increase).
    (
        lazy(
            rf"{_QUOTE} must not rise against the systems the clause before compares, which it "
            r"does not read as a comparison of two systems"
        ),
        r"\1 不得相对上一子句所比较的系统升高，但上一子句未能解析为两个系统的比较",
    ),
    (
        lazy(
            rf"{_QUOTE} must not rise against the systems the clause before compares, which is "
            r"not judged itself \(see its reason\)"
        ),
        r"\1 不得相对上一子句所比较的系统升高，但上一子句本身无法判定（见其原因）",
    ),
    (
        lazy(
            rf"{_QUOTE} read as (.+?) of the subject at most that of the reference \(the clause "
            r"before's systems\)"
        ),
        r"\1 解析为：主体的 \2 不高于参照（上一子句的系统）",
    ),
    (
        lazy(r"names systems of the block \(([^)]*)\) but no metric or number to compare them on"),
        r"指明了该实验块的系统（\1），但没有用来比较它们的指标或数值",
    ),
    (
        lazy(
            r"a condition on strata \(('[^']*'|\"[^\"]*\")\): the rules judge a block's values "
            r"over all its data, not each stratum's; record each stratum's value as a labelled "
            r"metric and write a clause on it"
        ),
        r"关于各层的条件（\1）：规则判断的是实验块在全部数据上的数值，而非各层的数值；"
        r"请把每层的数值记录为带标签的指标，并为其写一条",
    ),
    (
        lazy(
            rf"says what does better by a name that is no system of the block \({_QUOTE}\): "
            r"name the system as the block lists it, or list it among its compared systems"
        ),
        r"用一个并非该实验块系统的名称（\1）说明谁更好：请按实验块所列写出该系统，"
        r"或把它列为该实验块的对比系统",
    ),
    (
        lazy(r"names several metrics \(([^)]*)\): write one clause each"),
        r"指明了多个指标（\1）：请每个指标写一条",
    ),
    (lazy(r"names several metrics \(([^)]*)\)"), r"指明了多个指标（\1）"),
    (
        lazy(
            rf"{_QUOTE} is part of the block's system {_QUOTE}, not a system of its own: name "
            r"that system as the block writes it, or list this name alone among the block's "
            r"compared systems"
        ),
        r"\1 是该实验块的系统 \2 的一部分，并非独立的系统：请按实验块中的写法写出该系统，"
        r"或把这个名称单独列为该实验块的对比系统",
    ),
    (
        lazy(
            r"names several systems \((.+?)\), none of them after a word that makes it the "
            r"reference \('over', 'vs', 'than'\): write '<system> … over <reference>', or one "
            r"clause per system"
        ),
        r"提到多个系统（\1），但没有一个前面有表明参照对象的词"
        r"（'over'、'vs'、'than'，或 相对、比）："
        r"请写成 '<系统> … 相对 <参照系统>'，或每个系统各写一条",
    ),
    # A reference several systems could be (bridge/plan/criteria/parser.py): the plan's words
    # come quoted «…» between the two parts, each translated on its own side of the quote.
    (lazy(r"\bthe reference $"), "参照对象 "),
    (lazy(r"\bthe compared system $"), "比较的系统 "),
    # A tolerance with no system it is measured from (parser.py): the plan's words quoted «…».
    (lazy(r"\ba tolerance $"), "容差 "),
    (
        lazy(
            r"^ with no system it is measured from: write which system the values must agree "
            r"with \(within ±15% of B\), or have the runs record the difference as a metric "
            r"and bound it$"
        ),
        " 没有说明相对哪个系统：请写明数值须与哪个系统一致（如 与 B 相差 ±15% 以内），"
        "或让运行把差值记录为一个指标并为它设定界限",
    ),
    (
        lazy(
            r"^ could be any of several systems of the block \((.+?)\): name the one meant, or "
            r"write a clause for each"
        ),
        r" 可能是该实验块多个系统中的任何一个（\1）：请写明所指的系统，或为每个系统各写一条",
    ),
    # A name that begins several systems' names ("A2" of "A2 + mixed control" and "A2 + text
    # control"), quoted before it.
    (
        lazy(r"^ begins the names of several of the block's systems \((.+?)\): name the one meant"),
        r" 是该实验块多个系统名称的开头（\1）：请写明所指的系统",
    ),
    # Words after "than" that are no system of the block (006's B8), quoted «…» the same way.
    (
        lazy(
            r"^ after '([^']+)' is not a system of the block \((.+?)\): name one of them, or "
            r"add it to the block's Compared systems"
        ),
        r"（在 '\1' 之后）不是该实验块的系统（\2）：请写明其中之一，或将它加入该实验块的对比系统",
    ),
    # A model's name with digits that is no system of the block ("gpt-4o accuracy > 0.8").
    (lazy(r"^names $"), "提到 "),
    (
        lazy(
            r"^, which is not a system of the block \((.+?)\): name one of them, or add it to "
            r"the block's Compared systems"
        ),
        r"，它不是该实验块的系统（\1）：请写明其中之一，或将它加入该实验块的对比系统",
    ),
    (lazy(r"; … \((\d+) in all\)"), r"；…（共 \1 个）"),
    (
        lazy(r"no values of (.+?), which the criterion compares: runs not succeeded: "),
        r"没有 \1 的数值（成功标准比较的是它）：未成功的运行：",
    ),
    # Only runs held for an earlier milestone's code: their words follow as the judge's do.
    (
        lazy(r"no values of (.+?), which the criterion compares: (?=runs held until)"),
        r"没有 \1 的数值（成功标准比较的是它）：",
    ),
    (
        lazy(
            r"no run of (.+?), which the criterion compares; the block's runs are of other "
            r"systems \((.+?)\): name the run's system in the criterion, or add it to "
            r"`\[systems\.\"NAME\"\] aliases` in bridge\.toml"
        ),
        r"没有 \1 的运行（成功标准比较的是它）；该实验块的运行属于其他系统（\2）："
        r'请在成功标准中写出该运行的系统名，或在 bridge.toml 的 `[systems."NAME"] aliases` '
        r"中加上它",
    ),
    (
        lazy(r" \(runs of other blocks: (.+?)\)(?=$|; | \()"),
        r"（取自其他实验块的运行：\1）",
    ),
    (
        lazy(
            r"; \[metrics\] aliases (\"[^\"]*\" = \"[^\"]*\") names no metric any run recorded, so "
            r"it connects nothing \(nearest recorded: ([^)]*)\)"
        ),
        r"；[metrics] aliases \1 所指的指标没有任何运行记录过，因此不起作用"
        r"（最接近的已记录名称：\2）",
    ),
    (
        lazy(
            r"; \[metrics\] aliases (\"[^\"]*\" = \"[^\"]*\") names no metric any run recorded, so "
            r"it connects nothing"
        ),
        r"；[metrics] aliases \1 所指的指标没有任何运行记录过，因此不起作用",
    ),
    (
        # Before any note that follows (the reviewer's, trial Q3; an unnamed system's).
        # A note after it was put in Chinese first (039's B3: "（取自其他实验块的运行：…）").
        lazy(r" \(values named by system: (.+?)\)(?=$|; |（)"),
        r"（按系统名记录的数值：\1）",
    ),
    (
        lazy(
            r"names systems by number \(([^)]*)\), which are not systems of the block: name "
            r"them as the block's Compared systems \(or its runs' System column\) do, or, "
            r"where the block lists no Compared systems, give a run's system that name in "
            r"bridge.toml: `\[systems\.\"<its system>\"\] aliases = \[(\"[^\"`]*\")\]`"
        ),
        r"按编号指称系统（\1），它们不是该实验块的系统："
        r"请按实验块的对比系统（或其运行的 System 列）的写法指明，"
        r"或在实验块未列对比系统时，于 bridge.toml 中把该名称设为某个运行系统的别名："
        r'`[systems."<运行的系统>"] aliases = [\2]`',
    ),
    *_ARITHMETIC,
    *_READINGS,
    *_ATTRIBUTION,
)

_REVIEWER = "), not measured by a rule: "

# Whole summaries bridge's own implementers write (an agent's summary is its own words: a
# summary that is not one of these whole is shown as written).
_SUMMARIES: tuple[tuple[LazyPattern, str], ...] = (
    (
        lazy(
            r"existing code checked for (\d+) runs?: (\d+) blocking, (\d+) non-blocking findings?"
        ),
        r"已检查 \1 个运行的现有代码：\2 个阻断、\3 个非阻断问题",
    ),
    (lazy(r"every run has code"), "每个运行都有代码"),
)

# The plan's own words, quoted: never rewritten.
# Bridge's phrases that hold the plan's quoted words (which way a metric is better, as the
# plan says it): read on the whole reason, the quotes kept as they are, before the pieces
# between quotes are read apart (a phrase split at its quote would be matched by no pattern).
_AROUND_QUOTES: tuple[tuple[LazyPattern, str], ...] = (
    (
        lazy(rf" \(lower is better, as the plan says: («[^»]*»)\)(?={_FRACTIONS}: )"),
        r"（越低越好，计划写道：\1）",
    ),
    (
        lazy(rf" \(higher is better, as the plan says: («[^»]*»)\)(?={_FRACTIONS}: )"),
        r"（越高越好，计划写道：\1）",
    ),
    (
        lazy(
            r": which way is better is not known \(the plan's words disagree: (.+?)\): set "
            r"\[metrics\] higher_is_better = \{ (.+?) = true \} \(or false\) in bridge\.toml"
        ),
        r"：不知道哪个方向更好（计划的说法相互矛盾：\1）：请在 bridge.toml 中设置 [metrics] "
        r"higher_is_better = { \2 = true }（或 false）",
    ),
)

_QUOTED = lazy(r"«[^»]*»")


# How a run ended, as the judge names it after the run's id ("runs failed: R2 (failed)", its
# state's value): a Chinese reason read "失败的运行：R002 (failed)" with the English word kept.
_RUN_ENDED_ZH = {
    "failed": "失败",
    # The state alone does not say whose memory ran out (a CPU run's is the host's: 025).
    "failed_oom": "内存或显存不足",
    "timed_out": "超时",
    "lost": "丢失",
    "cancelled": "已取消",
    "stuck": "卡住",
}
_RUN_ENDED = lazy(r"(?<=\S) \((" + "|".join(_RUN_ENDED_ZH) + r")\)")


# The judge's note of compared runs launched at different seeds (bridge/machine/judge.py):
# "; seeds differ: A at 1103, B at 0", then ", and the plan asks for the same seeds ('…'):
# open until they match" where the plan asks for them (012's B2). The names and seeds stay.
_SEEDS_DIFFER = lazy(
    r"; seeds differ: (.+?)(, and the plan asks for the same seeds \(('[^']*'|\"[^\"]*\")\): "
    # It ends before the reading, the next clause or, judged on several primary metrics, the
    # next metric's comparison (" ‖ "): 039's first note kept "MART at 0" in English.
    r"open until they match)?(?= \(read as:| \|| ‖ |; |$)"
)


def _seeds_differ_zh(found: re.Match[str]) -> str:
    listed = "，".join(
        re.sub(r" at (\S+)$", r" 为 \1", item) for item in found.group(1).split(", ")
    )
    asked = (
        f"；计划要求相同的种子（{found.group(3)}）：种子一致之前判定为未定"
        if found.group(2)
        else ""
    )
    return f"；种子不同：{listed}{asked}"


def _translate(text: str) -> str:
    text = _SEEDS_DIFFER.sub(_seeds_differ_zh, text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    text = _RUN_ENDED.sub(lambda m: f"（{_RUN_ENDED_ZH[m.group(1)]}）", text)
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
    for pattern, replacement in _AROUND_QUOTES:
        reason = pattern.sub(replacement, reason)
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


# A training-quality finding (bridge/machine/quality.py) ends with where the values were read:
# " in SOURCE (RULE)", or two of them for overfitting; the names, numbers and sources stay.
_QUALITY: tuple[tuple[LazyPattern, str], ...] = (
    (
        lazy(
            r"(.+?) = (\S+) in (.+) \(([^()]*)\); not a metric the plan measures: noted, "
            r"not blocking"
        ),
        r"\1 = \2（来源 \3，\4）；不是计划测量的指标：仅记录，不阻断",
    ),
    (lazy(r"(.+?) = (\S+) in (.+) \(([^()]*)\)"), r"\1 = \2（来源 \3，\4）"),
    (
        lazy(r"(.+?) is (\S+) at step (\S+) \((\d+) of (\d+) points\) in (.+) \(([^()]*)\)"),
        r"\1 在第 \3 步为 \2（\5 个点中 \4 个）（来源 \6，\7）",
    ),
    (
        lazy(
            r"(.+?) rose from (\S+) to (\S+) over the last (\d+) points; best was (\S+) "
            r"\(more than (\S+)× allowed\) in (.+) \(([^()]*)\)"
        ),
        r"\1 在最后 \4 个点中从 \2 升至 \3；最佳值为 \5（超过允许的 \6×）（来源 \7，\8）",
    ),
    (
        lazy(
            r"(.+?) did not improve over the last (\d+) points \(best before: (\S+)\) in (.+) "
            r"\(([^()]*)\)"
        ),
        r"\1 在最后 \2 个点中没有改善（此前最佳：\3）（来源 \4，\5）",
    ),
    (
        lazy(
            r"(.+?) rose at each of its last (\d+) evaluations \((\S+) → (\S+), steps (\S+)–(\S+); "
            r"best (\S+)\) while (.+?) fell \((\S+) → (\S+)\): overfitting, in (.+) "
            r"\(([^()]*)\) and (.+) \(([^()]*)\)"
        ),
        r"\1 在最后 \2 次评测中每次都上升（\3 → \4，步 \5–\6；最佳 \7），而 \8 下降"
        r"（\9 → \10）：过拟合（来源 \11，\12；\13，\14）",
    ),
)


def quality_in_language(message: str, language: str) -> str:
    """
    A training-quality finding's message in ``language`` (``"zh"``; anything else returns it
    unchanged) when it is one of bridge's findings whole; any other is returned as written.
    """
    if language != "zh":
        return message
    for pattern, replacement in _QUALITY:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message)
    return message
