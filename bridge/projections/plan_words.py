"""
What ``bridge plan`` says of a plan in Chinese: the plan's warnings and how a criterion is read.

A warning is recorded in English (``bridge plan --json`` and the log keep it so, for programs);
``bridge plan`` shows a Chinese plan's warnings through :func:`warning_in_language`, which
rewrites only a warning that is one of bridge's phrases whole; ids, paths, line numbers and the
plan's own names stay as written, and a warning bridge has no Chinese for stays English.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bridge.lazy_patterns import LazyPattern, lazy
from bridge.plan.criteria import Criterion
from bridge.plan.criteria.model import Wording
from bridge.plan.milestones import MILESTONES_TO_WRITE, MILESTONES_TO_WRITE_ZH, UNNAMED_LIST_ZH
from bridge.plan.recorded_status import status_in_language
from bridge.projections.reasons import in_language

__all__ = [
    "criterion_in_language",
    "estimate_source_in_language",
    "no_runs_advice_in_chinese",
    "shifted_item_in_language",
    "warning_in_language",
]

_QUOTE = r"""('[^']*'|"[^"]*")"""
_NO_COMMAND_FIX = (
    r"; set \[run\] command in bridge\.toml \(or command in the system's \[systems\.\"NAME\"\] "
    r"table\), or, for a run that cannot run here, mark its tracker row NOT RUN — <reason>"
)
_NO_COMMAND_FIX_ZH = (
    '；请在 bridge.toml 中设置 [run] command（或在该系统的 [systems."NAME"] 表中设置 '
    "command）；无法在此运行的运行，请在追踪表中把它的行标为 NOT RUN — <原因>"
)


# The nouns a block's stated total counts runs in (bridge.plan.stated_counts.COUNTED), with
# the measure word a Chinese count takes.
_COUNTED_ZH = {"trials": "次试验", "runs": "个运行", "seeds": "个种子"}


# The tracker's Command column, named in the warning about runs without a command.
_UNREAD = (
    r"(?: \(the tracker's ('[^']*') column is not run: copy what it says into bridge\.toml\))?"
)


def _unread_zh(column: str | None) -> str:
    return f"（追踪表的 {column} 列不会被运行：请把其中的命令写进 bridge.toml）" if column else ""


def _ids(shown: str) -> str:
    """A list of run ids as the warnings cut it (``A, B and 3 more``)."""
    return re.sub(r" and (\d+) more$", r" 等（另有 \1 个）", shown)


# How to reach the [[runs]] template (bridge.plan.project.no_runs_advice), in Chinese.
_RUNS_TEMPLATE_ZH = {
    "`bridge init` writes bridge.toml with a commented [[runs]] template": (
        "`bridge init` 会写出带有注释掉的 [[runs]] 模板的 bridge.toml"
    ),
    "uncomment the [[runs]] template at the end of bridge.toml": (
        "取消 bridge.toml 末尾 [[runs]] 模板的注释"
    ),
    "`bridge init --force` writes bridge.toml afresh with a commented [[runs]] template, "
    "keeping yours as bridge.toml.before-init": (
        "`bridge init --force` 会重新写出带有注释掉的 [[runs]] 模板的 bridge.toml，"
        "原文件保存为 bridge.toml.before-init"
    ),
}


def no_runs_advice_in_chinese(how: str, tracker: str) -> str:
    """
    :func:`bridge.plan.project.no_runs_advice` in Chinese, from its two parts: ``how`` (the
    way to the ``[[runs]]`` template, as the English says it) and ``tracker`` (its path).
    ``bridge plan``'s no-runs warning and the errors of ``bridge run`` and ``bridge status``
    say it alike.
    """
    how = _RUNS_TEMPLATE_ZH.get(how, how)
    return (
        "请在 bridge.toml 中用 [[runs]] 条目列出运行，每个运行一条，写明 id、system 和 command"
        f"（{how}；见 docs/configuration.md 的“[[runs]] — explicit runs”），或在 {tracker} 中写"
        "运行表"
    )


def _no_runs(found: re.Match[str]) -> str:
    tracker = "追踪表没有运行表" if found[1].startswith("the tracker") else "没有追踪表"
    has_config = found[2].startswith("bridge")
    config = "bridge.toml 没有 [[runs]] 或 [grid]" if has_config else "没有 bridge.toml"
    blocks = (
        "也无法从计划的实验块提议运行"
        if found[3].startswith("no runs")
        else "计划也没有可据以提议运行的实验块"
    )
    said = f"没有运行：{tracker}，{config}，{blocks}"
    if found[4] is None:
        return said
    advice = no_runs_advice_in_chinese(found[4], found[5])
    return f"{said}；`bridge run` 会拒绝没有运行的计划：{advice}"


def _main_without_block(found: re.Match[str]) -> str:
    name = f"（{found[2]}）" if found[2] else ""
    runs = f"它的运行（{found[3]}）也都不属于任何实验块" if found[3] else "它也没有运行"
    listed = f"（里程碑：{found[5]}）" if found[5] else ""
    return (
        f"主要结果的里程碑 {found[1]}{name or ' '}没有实验块：它的行没有写实验块，{runs}，"
        "结果会说它的主要结果无可判定；请在该行的 Runs 或 Goal 单元格中写上它的实验块"
        f"（计划的实验块：{found[4]}），或为它的运行设置 `block`（bridge.toml 的 [[runs]] 或 "
        "[systems]，或追踪表的 Block 列），或在 bridge.toml [bridge] 中用 "
        f'main_milestone = "…" 指定另一个里程碑{listed}'
    )


def _systems_in_one_row(found: re.Match[str]) -> str:
    row, cell, count, names, seeded, seed_ids, one_id, planned, meant = found.groups()
    runs = f"{seeded} 个运行（{seed_ids}，每个种子一个）" if seeded else f"1 个运行（{one_id}）"
    return (
        f"{row}：它的 System 单元格 {cell} 在一行中写了 {count} 个系统（{names}）：bridge "
        f"把它规划为 {runs}，系统是它们合在一起的名字，而不是每个系统一个运行（{planned} 个，"
        f"可能应为 {meant} 个），结果也无法区分这些系统；请给每个系统一行追踪表（写在它的 "
        "System 列），才会分别运行"
    )


# The priority words of bridge.plan.crosscheck.priority_disagreements, as overview says them.
_PRIORITY_ZH = {"must-run": "必做", "nice-to-have": "可选"}


def _priority_split(found: re.Match[str]) -> str:
    block, raw, why, ids, theirs, where, counts, holds, fix = found.groups()
    reading = (
        "只在 bridge 无法检查的条件下成立，因此按可选读取"
        if why.startswith("holds")
        else f"按{_PRIORITY_ZH[why.split()[-1]]}读取"
    )
    held = "会阻断" if holds == "holds" else "不会阻断"
    said = (
        f"若要按必做计，请在 {block} 中写 `Priority: MUST-RUN`，"
        "或在追踪表的 Priority 单元格中写 NICE"
        if fix.startswith("write `Priority")
        else f"请在 {block} 和追踪表的 Priority 单元格中写同一优先级"
    )
    return (
        f"{block} 的优先级 {raw} {reading}，但追踪表把它的运行 {ids} 标为{_PRIORITY_ZH[theirs]}"
        f"（{where}）：该实验块的判定按{_PRIORITY_ZH[counts]}计，而这些运行失败时{held}所在里程碑；"
        f"{said}"
    )


def _priority_unstated(found: re.Match[str]) -> str:
    block, ids, where = found.groups()
    return (
        f"{block} 没有写优先级，按必做读取（其判定计入必做实验块），但它的运行 {ids} 为可选"
        f"（{where}）；若要按可选计，请在 {block} 中写 `Priority: NICE`，或在这些运行的 Priority "
        "单元格中写 MUST"
    )


def _sanity_not_attributed(found: re.Match[str]) -> str:
    return (
        f"运行 {_ids(found.group(2))} 未归属任何实验块：{in_language(found.group(3), 'zh')}。"
        "它按所在里程碑报告；若它的数值属于某个实验块，请在它的 [[runs]] 条目中设置 `block`"
    )


def _not_attributed(found: re.Match[str]) -> str:
    return (
        f"运行 {_ids(found.group(2))} 未归属任何实验块：{in_language(found.group(3), 'zh')}。"
        "请在该运行的 [[runs]] 条目或其 [systems] 表中设置 `block`，或填写追踪表的 Block 列"
    )


# One "also names" item of the arms-at-seeds milestone warning (bridge/plan/runs.py,
# _milestones_from_plan): another milestone's Runs cell that names some of the arms too.
_ALSO_NAMES = lazy(r"(\S+)'s Runs cell \(line (\d+)\) also names (.+)")


def _arms_milestone(found: re.Match[str]) -> str:
    also = ""
    if found.group(7):
        items = []
        for item in found.group(7).split("; "):
            said = _ALSO_NAMES.fullmatch(item)
            if said is None:
                return found.group(0)
            named = "它们" if said.group(3) == "them" else f" {said.group(3)}"
            items.append(f"{said.group(1)} 的 Runs 单元格（第 {said.group(2)} 行）也列出了{named}")
        also = f"；{'；'.join(items)}：它们只运行一次，与同组各臂一起归入 {found.group(2)}"
    seeds = found.group(6).removeprefix("seeds ").removeprefix("seed ")
    return (
        f"{found.group(1)}：追踪表中没有写里程碑；取 {found.group(2)}：计划运行顺序表（第 "
        f"{found.group(3)} 行）的 Runs 单元格 {found.group(4)} 指的是 {found.group(5)} 在 seed "
        f"{seeds} 的各臂{also}"
    )


def _blocks_zh(listed: str) -> str:
    """``B2 and B3``, ``B2, B3 or B4`` (bridge/plan/runs.py, ``_and``) in Chinese."""
    return listed.replace(", ", "、").replace(" and ", " 和 ").replace(" or ", " 或 ")


def _one_of_several_blocks(found: re.Match[str]) -> str:
    they = "它" if found.group(4) == "it" else "它们"
    return (
        f"{found.group(1)}：追踪表的 Block 列 {found.group(2)} 写了 {_blocks_zh(found.group(3))}，"
        f"而一个运行只计入一个实验块：{they}计入 {found.group(5)}（其对比系统中有{they}的系统），"
        f"不计入 {_blocks_zh(found.group(6))}。要让 {_blocks_zh(found.group(7))} 有运行，请为"
        f"{'它' if found.group(8) == 'it' else '每个实验块'}另写追踪表行，或在该列只写一个实验块"
    )


# Whole warnings: (pattern, replacement with the groups kept, or a function of the match).
# One item of the shifted-milestone warning (bridge/plan/runs.py, _shifted_milestones).
_READ_LIKE = lazy(r"(.+) under (\S+) read like the plan's (\S+) \((.*)\)")


def _shifted_in_chinese(found: re.Match[str]) -> str:
    items = "；".join(
        _READ_LIKE.sub(r"\2 下的 \1 读来像计划的 \3（\4）", item)
        for item in found.group(1).split("; ")
    )
    return (
        f"追踪表的里程碑（Milestone）列可能与计划的编号错位：{items}。"
        "运行按其行写的里程碑报告；若错位请更正该列"
    )


def shifted_item_in_language(item: str, language: str) -> str:
    """
    One item of the shifted-milestone warning (``"R012, R013, R014 under M5 read like the
    plan's M4 (通道消融)"``, :func:`bridge.plan.runs.recorded_shift`) in ``language``: Chinese
    for ``"zh"``, as the whole warning says it; unchanged otherwise.
    """
    if language != "zh":
        return item
    return _READ_LIKE.sub(r"\2 下的 \1 读来像计划的 \3（\4）", item)


def _unpaired_seeds(found: re.Match[str]) -> str:
    listed = found.group(3)
    for english, chinese in (
        ("; ", "；"),
        (" ([run] args' default)", "（[run] args 的默认值）"),
        (" (its own)", "（其自身的）"),
        (" (their own)", "（各自的）"),
        (" (no system)", "（无系统）"),
        ("no seed: ", "无种子："),
    ):
        listed = listed.replace(english, chinese)
    listed = re.sub(r"(?:^|(?<=；))seed (\S+): ", r"种子 \1：", listed)
    return (
        f"实验块 {found.group(1)} 要求各系统使用相同的种子（{found.group(2)}），但其运行的启动种子"
        f"不同：{listed}；请给它们同一个种子（Seed 列、追踪表 Notes 中的 `seed N`，或 [[runs]] 的 "
        "seed），否则其判定保持未定"
    )


def _sanity_proposed(found: re.Match[str]) -> str:
    system = "其系统" if found[4] == "its system" else found[4]
    seed = f"，种子 {found[5]}" if found[5] is not None else ""
    return (
        f"健全性里程碑 {found[1]} 没有指明运行：bridge 提议以 {found[2]}（实验块 {found[3]} 的"
        f"第一个运行：{system}{seed}）作为健全性运行；它等待 `bridge approve`"
    )


def _claims_disagree(found: re.Match[str]) -> str:
    """The warning on a block's Claim tested field and the claim map's links, in Chinese."""
    linked = _LINE_NOTE.sub(r"（第 \1 行）", found[6])
    return (
        f"实验块 {found[1]} 的 {found[2]} 字段写的是 {found[3]}（{found[4]}，第 {found[5]} 行），"
        f"但论点表把它链接到 {linked}：bridge 显示该实验块同时检验两者；"
        "请更正该字段或论点表的实验块列"
    )


_LINE_NOTE = lazy(r" ?\(line (\d+)\)")


_WARNINGS: tuple[tuple[LazyPattern, str | Callable[[re.Match[str]], str]], ...] = (
    # bridge.plan.runs: a must-run block with no runs beside loose runs of its own metrics.
    (
        lazy(
            r"must-run block (\S+) has no runs, while (.+?), placed in no block, records? (.+?), "
            r"which only block \1 lists among the blocks' metrics: bridge does not place a run "
            r"by a metric; if (it is|they are) \1's, write \1 in (?:its|their) tracker Block "
            r"column \(or `block = \"\1\"` on the \[\[runs\]\] entry\)"
        ),
        # One run listed is "it" (它), several "they" (它们): 021's hint said 它们 of one.
        lambda m: (
            f"必做实验块 {m[1]} 没有任何运行，而未归属任何实验块的 {m[2]} 记录了 {m[3]}，"
            f"在各实验块的指标中只有 {m[1]} 列出它：bridge 不按指标归属运行；"
            f"若{'它' if m[4] == 'it is' else '它们'}是 {m[1]} 的运行，"
            f'请在追踪表的 Block 列填写 {m[1]}（或在其 [[runs]] 条目中设置 `block = "{m[1]}"`）'
        ),
    ),
    # bridge.plan.loader: the claim map and the blocks' Claim tested fields.
    (
        lazy(
            rf"the claim map's rows at lines (\d+) and (\d+) both read as claim (.+?) "
            rf"\({_QUOTE}, {_QUOTE}\): a block testing \3 is shown with line \1's text, and "
            r"both rows' blocks count as testing it; give each row its own id"
        ),
        r"论点表第 \1 行和第 \2 行都读作论点 \3（\4、\5）：检验 \3 的实验块显示第 \1 行的文字，"
        r"两行所链接的实验块都算作检验它；请给每一行一个各自的编号",
    ),
    (
        lazy(
            rf"block (\S+)'s (.+?) field names (.+?) \({_QUOTE}, line (\d+)\), but the claim "
            r"map links it to (.+): bridge shows the block testing both; correct the field or "
            r"the map's blocks column"
        ),
        _claims_disagree,
    ),
    # bridge.plan.runs: runs proposed from the blocks of a plan whose sanity milestone names
    # none (021 and 039 without their trackers).
    (
        lazy(
            r"the sanity milestone (\S+) names no run: bridge proposes (\S+), the first run of "
            r"block (\S+) \((.*?)(?:, seed (\S+))?\), as the sanity run; it waits for "
            r"`bridge approve`"
        ),
        _sanity_proposed,
    ),
    (
        lazy(
            r"the tracker's Command cells of (.+?) pass --seed (\S+), which bridge does not read "
            r"\(it runs bridge\.toml's command, not the tracker's\): these runs (.+?); to run "
            r"them with seed \S+, give the tracker a Seed column \(or write 'seed \S+' in their "
            r"Notes\)"
        ),
        lambda m: (
            f"追踪表中 {m[1]} 的 Command 单元格传入 --seed {m[2]}，bridge 不读取它"
            "（bridge 运行的是 bridge.toml 的命令，而不是追踪表中的）："
            f"这些运行{_command_seed_runs(m[3])}；要以种子 {m[2]} 运行它们，"
            f"请给追踪表加一个 Seed 列（或在其备注中写 'seed {m[2]}'）"
        ),
    ),
    (
        lazy(
            rf"block (\S+) asks for the same seeds of its systems \({_QUOTE}\), but its runs are "
            r"launched at different ones: (.+); give them one seed \(a Seed column, `seed N` in "
            r"the tracker's Notes, or \[\[runs\]\] seed\), or its verdict stays open"
        ),
        _unpaired_seeds,
    ),
    (
        lazy(
            r"every run the tracker lists is done or out of scope, so nothing runs, and the "
            r"(\d+) runs the plan's blocks would give are not planned: a tracker's run table "
            r"lists all the runs; list them there \(or remove the table to have them proposed\)"
        ),
        r"追踪表列出的每个运行都已完成或不在范围内，因此没有运行会启动；计划的实验块本可给出的 \1 "
        r"个运行没有被规划：追踪表的运行表须列出全部运行；请在其中列出它们（或删去该表，由计划提议运行）",
    ),
    (
        lazy(
            r"block (\S+)'s ablation table \((.+)\) becomes no runs: runs are proposed for its "
            r"compared systems and seeds only; name them in the block's Compared systems, in "
            r"tracker rows or in \[\[runs\]\] entries to run them"
        ),
        r"实验块 \1 的消融表（\2）不会成为任何运行：只按其对比系统和种子提议运行；"
        r"要运行它们，请写进该实验块的 Compared systems、追踪表的行或 [[runs]] 条目",
    ),
    (
        lazy(
            r"the tracker's Milestone column may be shifted against the plan's: (.+)\. The runs "
            r"are reported under the milestone their row names; correct the column if it is off"
        ),
        _shifted_in_chinese,
    ),
    (
        lazy(
            r"the section (.+?) is read as no block's criterion: (?:(.+); )?each block is judged "
            r"on the Success criterion field in its own section \(none written for (.+)\); copy "
            r"the condition there"
        ),
        lambda found: (
            f"章节 {found.group(1)} 不会作为任何实验块的成功标准："
            + (f"{_lines_in_chinese(found.group(2))}；" if found.group(2) else "")
            + "每个实验块依据其自身章节中的 Success criterion "
            f"字段判定（{found.group(3)} 都没有写）；请把条件写到那里"
        ),
    ),
    (
        lazy(
            r"the section (.+?) is read as no block's criterion: (?:(.+); )?each block is judged "
            r"on the Success criterion field in its own section, and every block writes its "
            r"own: bridge judges none of these; read them against the results, or copy one into "
            r"a block's field"
        ),
        lambda found: (
            f"章节 {found.group(1)} 不会作为任何实验块的成功标准："
            + (f"{_lines_in_chinese(found.group(2))}；" if found.group(2) else "")
            + "每个实验块依据其自身章节中的 Success criterion 字段判定，且每个实验块都写了"
            "自己的：bridge 不判定这些条件；请对照结果自行判断，或把其中一条写进某个实验块的字段"
        ),
    ),
    (
        lazy(
            r"a table under a tracker heading is not read as runs: its first column (.+) is no "
            r"Run ID column \(name it `Run ID`, with one id a row, to have its rows run\)"
        ),
        r"追踪表标题下的一个表格没有作为运行读取：它的第一列 \1 不是 Run ID 列（把它命名为 "
        r"`Run ID`，每行一个 id，这些行才会运行）",
    ),
    (
        lazy(
            r"a link to (.+), outside the project: bridge reads the plan there and writes the "
            r"tracker, results and their versions there"
        ),
        r"指向项目之外 \1 的链接：bridge 从那里读取计划，并把追踪表、结果及其版本写到那里",
    ),
    (
        lazy(
            r"(runs?) (.+?) not attributed to a block: (.+)\. It is reported under its milestone; "
            r"set `block` on its \[\[runs\]\] entry if its numbers are a block's"
        ),
        _sanity_not_attributed,
    ),
    (
        lazy(
            r"(runs?) (.+?) not attributed to a block: (.+)\. Set `block` on (?:the|each) run's "
            r"\[\[runs\]\] entry or its \[systems\] table, or fill the tracker's Block column"
        ),
        _not_attributed,
    ),
    (
        lazy(
            r"(runs?) (.+?) not attributed to a block: the plan has no experiment blocks\. Give "
            r"the plan experiment blocks \(`### Block (\d+): …` with a Success criterion\) to "
            r"have verdicts"
        ),
        lambda found: (
            f"运行 {_ids(found.group(2))} 未归属任何实验块：计划中没有实验块。"
            f"请在计划中写出实验块（`### Block {found.group(3)}: …`，含 Success criterion）"
            "以得到判定"
        ),
    ),
    (
        lazy(
            r"(.+?): the tracker's Block column ('[^']*'|\"[^\"]*\") names (.+?), and a run "
            r"counts in one block: (it|they) counts? in (\S+), whose compared systems include "
            r"(?:its|theirs), and not in (.+?)\. For runs of (.+?), give (it|each) rows of "
            r"their own, or write one block in the column"
        ),
        _one_of_several_blocks,
    ),
    (
        lazy(
            r"(.+?): no milestone in the tracker; (\S+) from the plan's run-order table "
            r"\(line (\d+)\), whose Runs cell ('[^']*') names the arms of (.+?) at "
            r"(seeds? [\d, ]+)(?:; (.+): they run once, under \2, with their arms)?"
        ),
        _arms_milestone,
    ),
    (
        lazy(
            r"(.+?): no milestone in the tracker; (\S+) from the plan's run-order table "
            r"\(line (\d+)\), whose Runs cell names them"
        ),
        r"\1：追踪表中没有写里程碑；取 \2：计划运行顺序表（第 \3 行）的 Runs 单元格列出了它们",
    ),
    (
        lazy(
            r"(.+?): no milestone in the tracker; (\S+) from the plan's run-order table "
            r"\(line (\d+)\), which names their block (.+)"
        ),
        r"\1：追踪表中没有写里程碑；取 \2：计划运行顺序表（第 \3 行）写出了它们的实验块 \4",
    ),
    (
        lazy(
            r"(.+?): no milestone in the tracker; (\S+) from the run ids, steps of the "
            r"plan's milestone (\S+)"
        ),
        r"\1：追踪表中没有写里程碑；取 \2：运行编号是计划里程碑 \3 的步骤",
    ),
    (
        lazy(
            r"(.+?): no milestone in the tracker; (\S+) from the run ids, which name it as the "
            r"ids of its runs do"
        ),
        r"\1：追踪表中没有写里程碑；取 \2：运行编号中写着它，与该里程碑其他运行的编号相同",
    ),
    (
        lazy(
            r"(.+?): no milestone: neither their rows nor a milestone's Runs cell names one; "
            r"they are reported under \(no milestone\)(?:, and those still to run \((.+?)\) launch "
            r"only after every "
            r"milestone of the plan has settled)?\. Give each (row )?its milestone \((?:a tracker "
            r"row: )?a Milestone column, or its id in a milestone's Runs cell(; a run of "
            r"bridge\.toml: `milestone` in its entry)?\)"
        ),
        lambda found: (
            f"{_ids(found.group(1))}：没有里程碑：它们的行和任何里程碑的 Runs 单元格都没有写明；"
            "结果中列在（无里程碑）下"
            + (
                f"，其中尚待运行的（{found.group(2)}）要等计划的每个里程碑都结束后才启动"
                if found.group(2)
                else ""
            )
            + (
                "。请为每个运行写明里程碑（追踪表的行：Milestone 列，或在某个里程碑的 Runs "
                "单元格中写出其编号；bridge.toml 的运行：在其条目中设置 `milestone`）"
                if found.group(4)
                else "。请为每一行写明里程碑（Milestone 列，或在某个里程碑的 Runs 单元格中"
                "写出其编号）"
            )
        ),
    ),
    (
        lazy(r"(.+?): no milestone in the tracker; (\S+) from the run ids"),
        r"\1：追踪表中没有写里程碑；取 \2：运行编号即计划的里程碑编号",
    ),
    (
        lazy(
            r"(.+?): milestone (\S+) is not a milestone of the plan \((.+)\); "
            r"(?:they run|it runs) after the plan's milestones, under (\S+)\. If the Milestone "
            r"column is shifted against the plan's ids, correct it"
        ),
        r"\1：里程碑 \2 不是计划中的里程碑（\3）；在计划的里程碑之后以 \4 运行。"
        r"若里程碑（Milestone）列与计划的编号错位，请更正",
    ),
    (
        lazy(
            r"block (\S+) is described again with (another title|another success criterion) "
            r"\(first at line (\d+)\): read as one block, whose criterion is the first's; give "
            r"the second its own id if it is another block"
        ),
        lambda m: (
            f"实验块 {m.group(1)} 再次出现，"
            f"{'标题' if m.group(2) == 'another title' else '成功标准'}不同（首次在第 {m.group(3)} "
            "行）：按同一个实验块读取，采用第一次的成功标准；若是另一个实验块，请给第二个另起编号"
        ),
    ),
    (
        lazy(
            r"(.+?): no status bridge knows, read as not started, so bridge launches them; "
            r"write TODO to say so, or DONE, SKIPPED or BLOCKED if they are not to run"
        ),
        r"\1：不是 bridge 认识的状态，按尚未开始读取，bridge 会启动它们；若是如此请写 TODO，"
        r"不应运行的请写 DONE、SKIPPED 或 BLOCKED",
    ),
    (
        lazy(
            r"(.+?): the Status says only ❌ and no status legend says what ❌ means here: read "
            r"as blocked, not launched; if it means not started, write TODO in those rows or add "
            r"a legend line \(`## Status Legend: ❌ Not started`\)"
        ),
        r"\1：状态只写了 ❌，且没有状态图例说明 ❌ 在这里的含义：按受阻读取，不启动；若它表示"
        r"尚未开始，请在这些行写 TODO，或加一行图例（`## Status Legend: ❌ Not started`）",
    ),
    (
        lazy(
            r"(.+?): the (tracker|plan) says (.+?)( \(running\))?\. Unless bridge launched them, "
            r"`bridge run` "
            r"holds before any launch \(never a second copy of a run going elsewhere\): mark each "
            r"row DONE once it finished, NOT RUN — <reason> if it is not bridge's, or TODO for "
            r"bridge to run it"
        ),
        lambda m: (
            f"{m[1]}：{'追踪表' if m[2] == 'tracker' else '计划'}写着 {m[3]}"
            f"{'（进行中）' if m[4] else ''}。"
            "除非是 bridge 启动的，`bridge run` 会在任何启动之前暂停"
            r"（绝不在别处运行时再启动一份）：完成后把该行标为 DONE；不归 bridge 运行的标为 "
            r"NOT RUN — <原因>；要 bridge 运行则标为 TODO"
        ),
    ),
    (
        lazy(
            r"no experiment block headings found \(expected e\.g\. '### Block (\d+): \.\.\.' or "
            r"'### B\d+: \.\.\.'(?:: the plan already writes B1 … B(\d+))?\)"
        ),
        lambda found: (
            f"没有找到实验块标题（应形如 '### Block {found.group(1)}: ...' 或 "
            f"'### B{found.group(1)}: ...'"
            + (f"：计划中已写有 B1 … B{found.group(2)}" if found.group(2) else "")
            + "）"
        ),
    ),
    (
        lazy(
            r"no experiment block headings; the milestone sections that state a success "
            r"criterion stand as blocks \((.+)\), each judged on the runs of its milestone or "
            r"named by its id"
        ),
        r"没有实验块标题；写有成功标准的里程碑小节作为实验块（\1），"
        r"各自按其里程碑的运行或以其编号命名的运行判定",
    ),
    (
        lazy(
            r"no run-order table: milestones read from the (\d+) phase headings "
            r"\((.+?) … (.+?), from line (\d+)\)"
        ),
        r"没有运行顺序表：里程碑取自 \1 个阶段标题（\2 … \3，自第 \4 行起）",
    ),
    (
        lazy(
            r"the (\d+) headings (.+?) … (.+?) \(from line (\d+)\) are read as the plan's "
            r"schedule, not its run order: no run and no block of the plan is in any of them, so "
            r"they are not milestones and no milestone order holds back a run((?:; the cost "
            r"written under .+? \(.+?\) is not in the estimate)*)(?:; the decision gates under "
            r"(.+?) are not quoted)?; to order the runs by milestone, give the tracker a "
            r"Milestone column or write a run-order table"
        ),
        lambda m: (
            f"{m[1]} 个标题 {m[2]} … {m[3]}（自第 {m[4]} 行起）是计划的日程，不是运行顺序："
            "计划中没有任何运行或实验块属于它们，因此不作为里程碑，也没有里程碑顺序会挡住运行"
            + re.sub(
                r"; the cost written under (.+?) \((.+?)(?:, line (\d+))?\) is not in the estimate",
                lambda c: (
                    f"；{c[1]} 下写的成本（{c[2]}"
                    + (f"，第 {c[3]} 行" if c[3] else "")
                    + "）不计入估计"
                ),
                m[5],
            )
            + (f"；{m[6]} 下的决策门不予引用" if m[6] else "")
            + "；要按里程碑排列运行，请在追踪表中加一列 Milestone，或写一张运行顺序表"
        ),
    ),
    (
        lazy(
            r"(\d+) (?:run\(s\) have|runs? ha(?:s|ve)) no command: (.+?)"
            + _UNREAD
            + _NO_COMMAND_FIX
        ),
        lambda m: (
            f"{m[1]} 个运行没有命令："
            + re.sub(r", … \((\d+) in all\)$", r", …（共 \1 个）", m[2])
            + _unread_zh(m[3])
            + _NO_COMMAND_FIX_ZH
        ),
    ),
    (
        lazy(
            r"the runs come from bridge\.toml \((\d+): (.+?)\), so the (\d+) runs the plan's "
            r"blocks would give are not proposed; list every "
            r"run in \[\[runs\]\] \(or in a tracker's run table\), or remove \[\[runs\]\] and "
            r"\[grid\] to have them proposed"
        ),
        lambda m: (
            f"运行取自 bridge.toml（{m[1]} 个：{m[2]}），因此计划的实验块本可给出的 {m[3]} 个运行"
            "没有被提议；请在 [[runs]]（或追踪表的运行表）中列出所有运行，"
            "或删除 [[runs]] 和 [grid] 以让 bridge 提议运行"
        ),
    ),
    (
        lazy(
            r"(?:the plan's (?:Cost gives GPU-hours \((.+?) GPU-h\)|compute budget is (\S+) GPU-h)"
            r"|the tracker's (.+?) column gives GPU-hours \((.+?)\)"
            r"|the plan's Cost counts GPU time \((.+?)\)) "
            r"but no run asks for a GPU: "
            r"without `gpus` in bridge\.toml every run gets 0 GPUs \(the CPU\) and counts "
            r"0 GPU-h in the estimate; set \[run\] gpus \(or gpus in a \[systems\.\"NAME\"\] "
            r"table or a \[\[runs\]\] entry\), or gpus = 0 where the runs are meant for the CPU"
        ),
        lambda m: (
            (
                f"计划的 Cost 写了 GPU 小时（{m[1]} GPU-h）"
                if m[1]
                else f"计划的算力预算是 {m[2]} GPU-h"
                if m[2]
                else f"追踪表的 {m[3]} 列写了 GPU 小时（{m[4]}）"
                if m[3]
                else f"计划的 Cost 写的是 GPU 时间（{m[5]}）"
            )
            + "，但没有运行申请 GPU：bridge.toml 未设置 `gpus` "
            r"时每个运行分到 0 个 GPU（在 CPU 上运行），在估计中按 0 GPU-h 计；请设置 `[run] gpus`"
            '（或在 `[systems."NAME"]` 表、`[[runs]]` 条目中设置 `gpus`），确为 CPU 运行时设 '
            "`gpus = 0`"
        ),
    ),
    (
        lazy(
            r"no milestone is marked as the main result \(none is named main, decisive, core or "
            r"headline, and no block titled main has runs\): the results will judge each block "
            r"but give no main result; name it with (main_milestone = \"(?:[^\"\\]|\\.)*\") in "
            r"bridge\.toml \[bridge\] \(milestones: (.+)\)"
        ),
        r"没有里程碑被标为主要结果（没有名为 main、decisive、core 或 headline 的里程碑，也没有"
        r"标题为 main 的实验块有运行）：结果会逐块判定，但不给出主要结果；可在 bridge.toml "
        r"[bridge] 中用 \1 指定（里程碑：\2）",
    ),
    (
        lazy(
            r"the main milestone (\S+)(?: \((.*)\))? has no block: its row names no block and "
            r"(?:none of its runs \((.+)\) belongs to one|it has no runs), so the results will "
            r"say its main result has nothing to judge; name its block in the row's Runs or Goal "
            r"cell \(the plan's blocks: (.+?)\), set `block` on its runs \(\[\[runs\]\] or "
            r"\[systems\] in bridge\.toml, or the tracker's Block column\), or name another "
            r"milestone with main_milestone = \"…\" in bridge\.toml \[bridge\]"
            r"(?: \(milestones: (.+)\))?"
        ),
        _main_without_block,
    ),
    (
        lazy(
            r"(\S+)'s priority " + _QUOTE + r" (holds only under a condition bridge cannot check, "
            r"so it reads as nice-to-have|reads as must-run|reads as nice-to-have), but the "
            r"tracker makes its runs? (.+) (must-run|nice-to-have) \((\S+)\): the block's "
            r"verdict counts as (must-run|nice-to-have), while a failure of (?:that run|those "
            r"runs) (holds|does not hold) its milestone; (write `Priority: MUST-RUN`.*|write the "
            r"same priority .*)"
        ),
        _priority_split,
    ),
    (
        lazy(
            r"(\S+) states no priority, so it reads as must-run \(its verdict counts among the "
            r"must-run blocks'\), but its runs? (.+) (?:is|are) nice-to-have \((\S+)\); write "
            r"`Priority: NICE` in \S+ to count it as nice-to-have, or MUST in the runs' "
            r"Priority cells"
        ),
        _priority_unstated,
    ),
    (
        lazy(
            r"(\S+): its System cell " + _QUOTE + r" names (\d+) systems \((.+)\) in one row: "
            r"bridge plans (?:(\d+) runs \((.+)\), one per seed, each|one run \((.+)\)) with "
            r"the combined system, not one per system \((\d+) where (\d+) may be meant\), and "
            r"the results cannot tell the systems apart; give each system a tracker row of its "
            r"own \(its System column\) to run each"
        ),
        _systems_in_one_row,
    ),
    (
        lazy(r"none of the (\d+) runs has a command" + _UNREAD + _NO_COMMAND_FIX),
        lambda m: f"{m[1]} 个运行都没有命令" + _unread_zh(m[2]) + _NO_COMMAND_FIX_ZH,
    ),
    (
        lazy(
            r"no recognisable plan section \(claim map, experiment blocks, run order, budget\); "
            r"the plan is read as free text"
        ),
        "没有可识别的计划章节（声明映射、实验块、运行顺序、预算）；计划按自由文本读取",
    ),
    (
        lazy(
            r"no milestones found(?: \(no run-order table, milestone headings or list\)"
            r"|: the run-order list \(line (\d+)\) names no milestone ids \(M0, M1, …\))"
            rf"(; write {re.escape(MILESTONES_TO_WRITE)})?"
            r"(?:; the runs' Milestone cells give them: (.+))?"
        ),
        lambda found: (
            (
                f"计划中没有找到里程碑：{UNNAMED_LIST_ZH.format(line=found.group(1))}"
                if found.group(1)
                else "计划中没有找到里程碑（没有运行顺序表、里程碑标题或列表）"
            )
            + (f"；请写出{MILESTONES_TO_WRITE_ZH}" if found.group(2) else "")
            + (f"；里程碑取自运行的 Milestone 单元格：{found.group(3)}" if found.group(3) else "")
        ),
    ),
    (
        lazy(
            # "value(s)" in a log written before the plural was said (session 38).
            r"block (\S+) writes (\d+) seed values?(?:\(s\))? \((.+)\) but also says (\d+) "
            r"seeds?; the written values are used"
        ),
        r"实验块 \1 写了 \2 个种子值（\3），又说 \4 个种子；采用写出的值",
    ),
    (
        lazy(r"milestone (\S+) appears again \(first at line (\d+)\); the first is used"),
        r"里程碑 \1 重复出现（首次在第 \2 行）；采用第一次",
    ),
    (
        lazy(
            r"milestone (\S+) mentions (.+), which (?:is not a block|are not blocks) of this "
            r"plan; not counted as its blocks"
        ),
        r"里程碑 \1 提到的 \2 不是本计划的实验块；不计为其实验块",
    ),
    (
        lazy(
            r"milestones read from the table under (.+?) \(line (\d+)\), not from the (.+?) "
            r"table under (.+)"
        ),
        r"里程碑取自 \1 下的表（第 \2 行），而非 \4 下的 \3 表",
    ),
    (
        lazy(r"milestones read from the table under (.+?) \(line (\d+)\)"),
        r"里程碑取自 \1 下的表（第 \2 行）",
    ),
    (
        lazy(
            r"milestones read from the M-numbered table at line (\d+), not from the (.+?) "
            r"table before it"
        ),
        r"里程碑取自第 \1 行的 M 编号表，而非其前面的 \2 表",
    ),
    (
        lazy(rf"run id {_QUOTE} names (\d+) runs \((.+)\); each is planned as its own run"),
        r"运行 id \1 代表 \2 个运行（\3）；每个作为单独的运行规划",
    ),
    (
        lazy(
            r"((?:Seed|System / Variant|Notes|Experiment / Purpose)"
            r"(?: and (?:System / Variant|Notes|Experiment / Purpose))*) cells name "
            r"several seeds \((.+)\); each seed is planned as its own run, named "
            r"<row id>-s<seed>, and the row's Status shows them together"
        ),
        r"\1 单元格写了多个种子（\2）；每个种子作为单独的运行规划，命名为 <行 id>-s<种子>，"
        r"该行的状态合并显示它们",
    ),
    (
        lazy(
            rf"run (\S+)'s Notes name seeds bridge cannot read \({_QUOTE}\): it is planned "
            r"without a seed of its own; write `seed N` for one seed, or `seeds 1, 2, 3` / "
            r"`seeds 1-3` for one run per seed"
        ),
        r"运行 \1 的备注写了 bridge 读不懂的种子（\2）：它按没有自己的种子规划；一个种子写 "
        r"`seed N`，每个种子一个运行写 `seeds 1, 2, 3` 或 `seeds 1-3`",
    ),
    (
        lazy(
            rf"run (\S+)'s Split cell names seeds bridge does not read there \({_QUOTE}\): it is "
            r"planned without a seed of its own; write `seed N` for one seed, or `seeds 1, 2, 3` "
            r"for one run per seed, in its Notes or a Seed column"
        ),
        r"运行 \1 的 Split 单元格写了种子（\2），bridge 不从那里读取种子：它按没有自己的种子规划；"
        r"一个种子写 `seed N`，每个种子一个运行写 `seeds 1, 2, 3`，写在其备注或 Seed 列中",
    ),
    (
        lazy(
            rf"run (\S+)'s Experiment / Purpose cell names seeds bridge cannot read \({_QUOTE}\): "
            r"it is planned without a seed of its own; write `seed N` for one seed, or "
            r"`seeds 1, 2, 3` / `seeds 1-3` for one run per seed"
        ),
        r"运行 \1 的实验/目的单元格写了 bridge 读不懂的种子（\2）：它按没有自己的种子规划；"
        r"一个种子写 `seed N`，每个种子一个运行写 `seeds 1, 2, 3` 或 `seeds 1-3`",
    ),
    (
        lazy(
            rf"block (\S+) writes no Success criterion; its {_QUOTE} is read as one \(what the "
            r"block must show\)"
        ),
        r"实验块 \1 没有写 Success criterion；把其中的 \2 当作成功标准（该实验块必须达到的）",
    ),
    (
        lazy(r"(\S+) waits for (.+?) \((.*)\), which is not a run: it is not waited for"),
        r"\1 要等待 \2（\3），但它不是运行：不等待它",
    ),
    (
        lazy(
            r"(\S+) waits for (.+?), of a later milestone: bridge runs milestones in order, so "
            r"it does not wait for them"
        ),
        r"\1 要等待更后面里程碑的 \2：bridge 按顺序运行里程碑，所以不等待它们",
    ),
    (
        lazy(
            rf"the plan's Status says {_QUOTE}: `bridge run` launches none of its runs while it "
            r"says so"
        ),
        r"计划的状态写着 \1：只要仍这样写，`bridge run` 不启动任何运行",
    ),
    (
        lazy(
            r"the tracker's table lists blocks, not runs \(a Block column\): the runs come "
            r"from the plan, and each block row's Status \(and an empty Run ID cell\) is filled "
            r"in from that block's runs; NOT RUN — <reason> \(or SKIPPED\) written there takes "
            r"the block's runs that have not succeeded out of scope \(a run that succeeded "
            r"keeps its result: its Status is written back\), TODO runs those that have not "
            r"succeeded again \(one that succeeded runs again with `bridge retry --force <run>`\)"
        ),
        "追踪表的表格按实验块列出（有 Block 列），不是按运行：运行取自计划，每个实验块行的"
        "状态（以及空的 Run ID 单元格）由该实验块的运行填写；在那里写 NOT RUN — <原因>（或 "
        "SKIPPED）会把该实验块尚未成功的运行移出范围（已成功的运行保留其结果，状态会被写回），"
        "写 TODO 则重新运行其中尚未成功的运行（已成功的运行要用 `bridge retry --force <运行>` "
        "重新运行）",
    ),
    (
        lazy(
            r"runs whose row says they lack something they need \((.+)\): bridge cannot check "
            r"it and runs them as planned; mark a row NOT RUN — <reason> when its condition does "
            r"not hold"
        ),
        r"这些运行的行写明缺少所需的东西（\1）：bridge 无法检查，会照计划运行它们；"
        r"条件不成立时请把该行标为 NOT RUN — <原因>",
    ),
    (
        lazy(
            r"runs whose row says they are not finished in part \((.+)\): bridge cannot check "
            r"it and runs them as planned; mark a row NOT RUN — <reason> when what is left is "
            r"not bridge's to run"
        ),
        r"这些运行的行写明只完成了一部分（\1）：bridge 无法检查，会照计划运行它们；"
        r"剩下的部分不该由 bridge 运行时请把该行标为 NOT RUN — <原因>",
    ),
    (
        lazy(
            r"runs whose row says they run only under a condition \((.+)\): bridge cannot check "
            r"it and runs them as planned; mark a row NOT RUN — <reason> when its condition does "
            r"not hold"
        ),
        r"这些运行的行写明只在某个条件下运行（\1）：bridge 无法检查该条件，会照计划运行它们；"
        r"条件不成立时请把该行标为 NOT RUN — <原因>",
    ),
    (
        lazy(
            r"block (\S+)'s text says its runs run only under a condition \((.+)\): bridge "
            r"cannot check it and runs them as planned; (?:mark (their rows|the block's tracker "
            r"row) NOT RUN — <reason> when its condition does not hold|(they are proposed from "
            r"the plan and have no tracker rows: write the block's Priority as CUT — <reason> "
            r"when its condition does not hold, and bridge proposes none of them))"
        ),
        lambda m: (
            f"实验块 {m[1]} 的正文写明它的运行只在某个条件下运行（{m[2]}）：bridge 无法检查该"
            "条件，会照计划运行它们；"
            + (
                "它们由计划提议，在追踪表中没有行：条件不成立时请把该实验块的 Priority 写为 "
                "CUT — <原因>，bridge 就不会提议它们"
                if m[4]
                else "条件不成立时请把"
                + ("这些运行的行" if m[3] == "their rows" else "追踪表中该实验块的行")
                + "标为 NOT RUN — <原因>"
            )
        ),
    ),
    (
        lazy(
            r"the stated dependencies make runs wait for each other \((.+)\): those waits are "
            r"not kept"
        ),
        r"计划与追踪表写明的依赖让运行互相等待（\1）：这些等待不予保留",
    ),
    (
        lazy(r"run (\S+) appears again \(first at line (\d+)\); this row is ignored"),
        r"运行 \1 重复出现（首次在第 \2 行）；忽略此行",
    ),
    (
        lazy(
            r"table row has (\d+) cells under a (\d+)-column header; dropped empty trailing cells"
        ),
        r"表格行有 \1 个单元格，而表头有 \2 列；已去掉末尾的空单元格",
    ),
    (
        lazy(
            r"table row has (\d+) cells under a (\d+)-column header; joined the extra cells "
            r"into the last column"
        ),
        r"表格行有 \1 个单元格，而表头有 \2 列；多出的单元格已并入最后一列",
    ),
    (
        lazy(r"table row has (\d+) cells under a (\d+)-column header; missing cells left empty"),
        r"表格行有 \1 个单元格，而表头有 \2 列；缺少的单元格留空",
    ),
    (
        lazy(
            r"(\d+) table rows \(lines (.+)\) have (\d+) cells under a (\d+)-column header; "
            r"missing cells left empty"
        ),
        lambda found: (
            f"{found.group(1)} 个表格行（第 {found.group(2).replace(', ', '、')} 行）有 "
            f"{found.group(3)} 个单元格，而表头有 {found.group(4)} 列；缺少的单元格留空"
        ),
    ),
    (
        lazy(
            r"milestone (\S+) says ['\"](.+?)['\"]: it prepares data and is no sanity milestone "
            r"\(only its id M0 made it one\), so its sanity check (\S+) \(['\"](.+)['\"]\) is "
            r"checked alone first, before the rest launch"
        ),
        r"里程碑 \1 写明“\2”：它准备数据，不是健全性里程碑（只因编号为 M0 才被当作健全性里程碑），"
        r"因此先单独运行并检查其健全性检查 \3（“\4”），之后其余运行才启动",
    ),
    (
        lazy(
            r"milestone (\S+) says ['\"](.+?)['\"]: it prepares data and is no sanity milestone "
            r"\(only its id M0 made it one\), so the first run is checked alone first, before "
            r"the rest launch"
        ),
        r"里程碑 \1 写明“\2”：它准备数据，不是健全性里程碑（只因编号为 M0 才被当作健全性里程碑），"
        r"因此第一个运行先单独运行并检查，之后其余运行才启动",
    ),
    (
        lazy(
            r"milestone (\S+) says ['\"](.+?)['\"]: it prepares data and is no sanity milestone "
            r"\(only its id M0 made it one\), so (\S+) is the sanity milestone"
        ),
        r"里程碑 \1 写明“\2”：它准备数据，不是健全性里程碑（只因编号为 M0 才被当作健全性里程碑），"
        r"因此健全性里程碑是 \3",
    ),
    (
        lazy(
            r"milestone (\S+) says ['\"](.+)['\"] and has no runs: it is no sanity milestone "
            r"\(only its id M0 made it one\), so the first run is checked alone first, before "
            r"the rest launch"
        ),
        r"里程碑 \1 写明“\2”且没有运行：它不是健全性里程碑（只因编号为 M0 才被当作健全性里程碑），"
        r"因此第一个运行先单独运行并检查，之后其余运行才启动",
    ),
    (
        lazy(
            r"milestone (\S+) says ['\"](.+)['\"] and has no runs: it is no sanity milestone "
            r"\(only its id M0 made it one\), so (\S+) is the sanity milestone"
        ),
        r"里程碑 \1 写明“\2”且没有运行：它不是健全性里程碑（只因编号为 M0 才被当作健全性里程碑），"
        r"因此健全性里程碑是 \3",
    ),
    (
        lazy(
            r"(.+?): the Priority '(.*)' names no priority \(MUST, NICE, CUT, P0 …\): read as "
            r"must-run, so a failure holds its milestone and cancels the later ones; write "
            r"MUST-RUN or NICE-TO-HAVE in the cell"
        ),
        r"\1：优先级 '\2' 不是可识别的优先级（MUST、NICE、CUT、P0 …）：按必做运行处理，"
        r"失败时会挡住其里程碑并取消之后的里程碑；请在该单元格写 MUST-RUN 或 NICE-TO-HAVE",
    ),
    (
        lazy(
            r"(.+?): the Priority '(.*)' names no priority \(MUST, NICE, CUT, P0 …\): the block "
            r"is read as must-run, its verdict counted among the must-run blocks'; write "
            r"MUST-RUN or NICE-TO-HAVE in \1's Priority"
        ),
        r"\1：优先级 '\2' 不是可识别的优先级（MUST、NICE、CUT、P0 …）：该实验块按必做处理，"
        r"其结论计入必做实验块；请在 \1 的优先级中写 MUST-RUN 或 NICE-TO-HAVE",
    ),
    (
        lazy(
            r"implementation tasks the tracker says are not done \((.*)\): bridge does not do "
            r"them, and launches the runs without them; mark each DONE once it is done, and a "
            r"run that needs one NOT RUN — <reason> until then"
        ),
        r"追踪表中尚未完成的实现任务（\1）：bridge 不执行它们，并会在没有它们的情况下启动运行；"
        r"完成后请把每项标为 DONE，在此之前请把需要它的运行标为 NOT RUN — <原因>",
    ),
    (
        lazy(
            r"bridge\.toml sets seed (.+?) \((.+?)\), but the plan states seed (\S+) \((\S+)\): "
            r"(.+?) launch at the plan's \S+, bridge\.toml's .+? serving only runs the plan "
            r"gives no seed; set it to \"\S+\" to agree, or a run's own seed \(a Seed column, "
            r"`seed N` in the tracker's Notes, \[\[runs\]\] seed\) to run it at another"
        ),
        r"bridge.toml 设定种子 \1（\2），但计划写明种子 \3（\4）：\5 按计划的 \3 启动，"
        'bridge.toml 的 \\1 只用于计划未给种子的运行；改为 "\\3" 使两者一致，'
        r"或为某个运行写明它自己的种子（Seed 列、跟踪表备注中的 `seed N`、[[runs]] seed）",
    ),
    (
        lazy(
            r"blocks write different seeds \((.+?)\): (.+?) belong to none of them and run at "
            r"(\S+), the seed of (\S+), the first block that writes one; give a run its own "
            r"seed \(a Seed column, `seed N` in the tracker's Notes, \[\[runs\]\] seed\) to "
            r"run it at another"
        ),
        lambda m: (
            "各实验块写明的种子不同（"
            # Each block's "B1: 42 at FILE:LINE", joined by "; " (runs._blocks_differ).
            + re.sub(r"(\S+): (.+?) at (\S+)(?=; |$)", r"\1：\2，见 \3", m[1]).replace("; ", "；")
            + f"）：{m[2]} 不属于其中任何一块，按 {m[3]} 运行，即第一个写明种子的实验块 {m[4]} 的"
            "种子；要让某个运行用别的种子，请为它写明自己的种子（Seed 列、跟踪表备注中的 "
            "`seed N`、[[runs]] seed）"
        ),
    ),
    (
        lazy(
            r"block (\S+) gives seeds (.+?), but its rows (.+?) name no seed: each runs once, "
            r"at the block's first seed (\S+) \(the other values go to the runs proposed from "
            r"the plan only\); give each seed a row of its own, or the row's seeds in a Seed "
            r"column"
        ),
        r"实验块 \1 给出了种子 \2，但它的行 \3 没有写种子：每行只运行一次，使用该块的第一个种子 \4"
        r"（其余种子只用于根据计划提议的运行）；"
        r"请为每个种子各写一行，或在 Seed 列中写明该行的种子",
    ),
    (
        lazy(
            r"block (\S+) states (\d+) (\S+) but bridge proposes (\d+) runs? for it(?:; '(\d+) "
            r"per (\S+)' is read as \d+ seeds per system: bridge proposes no run per \S+, so each "
            r"run must cover every \S+)?; list the runs in the tracker or \[\[runs\]\] entries to "
            r"run them all"
        ),
        lambda m: (
            f"实验块 {m[1]} 写明 {m[2]} {_COUNTED_ZH.get(m[3], m[3])}，但 bridge 只为它提议 "
            f"{m[4]} 个运行"
            + (
                f"；'{m[5]} per {m[6]}' 被读作每个系统 {m[5]} 个种子：bridge 不按 {m[6]} 提议运行，"
                f"每个运行须覆盖所有 {m[6]}"
                if m[5]
                else ""
            )
            + "；要全部运行，请在追踪表或 [[runs]] 条目中列出这些运行"
        ),
    ),
    (
        lazy(
            rf"block (\S+) says {_QUOTE} but lists no Compared systems: bridge proposes (\d+) "
            r"runs? for the block with no system, not one per arm(?:; its text lists them "
            rf"\({_QUOTE}, line (\d+)\))?; write them as the block's Compared systems to run each"
        ),
        lambda m: (
            f"实验块 {m[1]} 写的是 {m[2]}，但没有写 Compared systems：bridge 只为该实验块提议 "
            f"{m[3]} 个没有系统的运行，而不是每个分支一个"
            + (f"；其文字列出了它们（{m[4]}，第 {m[5]} 行）" if m[4] else "")
            + "；要分别运行，请把它们写进该实验块的 Compared systems"
        ),
    ),
    (
        lazy(
            rf"block (\S+) lists no Compared systems, but a line names several \({_QUOTE}\): "
            r"bridge proposes (\d+) runs? for the block, not one per system; write them as the "
            r"block's Compared systems to run each"
        ),
        r"实验块 \1 没有写 Compared systems，但有一行列出了多个系统（\2）：bridge 只为该实验块"
        r"提议 \3 个运行，而不是每个系统一个；要分别运行，请把它们写进该实验块的 Compared systems",
    ),
    (
        lazy(
            r"block (\S+) lists (\d+) compared systems with no run of their own \((.+)\), but its "
            r"tracker rows? (.+?) names? none of them: (?:it is|they are) (\d+) runs?, not one "
            r"per system; give each system a tracker row of its own \(its System column\) to run "
            r"each"
        ),
        r"实验块 \1 的 \2 个对比系统没有各自的运行（\3），但追踪表的行 \4 没有写明其中任何一个："
        r"它们只是 \5 个运行，而不是每个系统一个；要分别运行，请为每个系统在追踪表中各写一行"
        r"（System 列）",
    ),
    (
        lazy(
            r"block (\S+) writes no Success criterion, but its text states thresholds: (.+); the "
            r"results judge nothing for the block: write the ones it must meet as its Success "
            r"criterion to have them judged"
        ),
        lambda found: (
            f"实验块 {found.group(1)} 没有写 Success criterion，但其文字写有阈值："
            f"{_lines_in_chinese(found.group(2))}；结果不会为该实验块判定任何内容：请把必须达到的"
            "阈值写成它的 Success criterion 以便判定"
        ),
    ),
    (
        lazy(
            r"block (\S+)'s Success criterion is followed by tiers bridge shows but does not "
            r"judge: (.+); only the criterion above them is judged: write a tier as a clause of "
            r"the Success criterion to have it judged"
        ),
        lambda found: (
            f"实验块 {found.group(1)} 的 Success criterion 后列有分级结果，bridge 只显示、不判定："
            f"{_lines_in_chinese(found.group(2))}；只判定其上的成功标准：要判定某一级，请把它写成"
            "Success criterion 的一个条件"
        ),
    ),
    (
        lazy(
            r"block (\S+) writes no Success criterion; its '([^']+):' line is not read as one, "
            r"so the results will not judge it: label it 'Success criterion:' to have it judged"
        ),
        r"实验块 \1 没有写 Success criterion；其中的 '\2:' 一行不会被当作成功标准，结果不会据此"
        r"判定：要判定它，请把标签改为 'Success criterion:'",
    ),
    (
        lazy(r"block (\S+) states no seeds; its proposed runs have none"),
        r"实验块 \1 没有写明种子；为它提议的运行也没有种子",
    ),
    (
        lazy(
            rf"block (\S+) states seeds for one system only \({_QUOTE}\); its proposed runs "
            r"have none: give each run's seed in the tracker or \[\[runs\]\]"
        ),
        r"实验块 \1 只为一个系统写明了种子（\2）；为它提议的运行没有种子：请在追踪表或 [[runs]] "
        r"中写明每个运行的种子",
    ),
    (
        lazy(
            rf"run id {_QUOTE} cannot name a directory; its files go to (\S+) \(the id is kept "
            r"everywhere else\)"
        ),
        r"运行 id \1 不能用作目录名；其文件写入 \2（其他地方仍使用该 id）",
    ),
    (
        lazy(
            r"no runs: (the tracker has no run table|there is no tracker), "
            r"(bridge\.toml has no \[\[runs\]\] or \[grid\]|there is no bridge\.toml), and "
            r"(no runs could be proposed from the plan's blocks|the plan has no experiment "
            r"blocks to propose runs from)(?:; `bridge run` "
            r"refuses a plan with none: list the runs as \[\[runs\]\] entries in bridge\.toml, "
            r"one per run with its id, system and command \((.+?); docs/configuration\.md, "
            r"\"\[\[runs\]\] — explicit runs\"\), or as a run table in (\S+))?"
        ),
        _no_runs,
    ),
    (
        lazy(r"this plan only points to (\S+); reading that file instead"),
        r"此计划只指向 \1；改为读取该文件",
    ),
    (
        lazy(
            r"block (\S+)'s systems ('.*?') and ('.*?') are alternatives \(one runs only if it "
            r"can\): both are planned as runs; mark the one that will not run NOT RUN — "
            r"<reason> in its tracker row, or remove it from the block's systems"
        ),
        r"实验块 \1 的系统 \2 与 \3 是二选一（其一仅在可行时运行）：两者都被计划为运行；"
        r"请在不会运行的那个的追踪表行中标为 NOT RUN — <原因>，或把它从实验块的系统中删去",
    ),
    (
        lazy(
            r"block (\S+)'s systems ('.*?') and ('.*?') are alternatives \(one runs only if it "
            r"can\): both are planned as runs; the tracker lists blocks, not runs, so it has no "
            r"row for either \(NOT RUN — <reason> on \S+'s row, (\S+), takes all of \S+'s runs "
            r"out of scope, and bridge's run table below the marker is not read\): remove the "
            r"one that will not run from the block's systems"
        ),
        r"实验块 \1 的系统 \2 与 \3 是二选一（其一仅在可行时运行）：两者都被计划为运行；追踪表"
        r"列的是实验块而不是运行，没有它们各自的行（在 \1 的行 \4 写 NOT RUN — <原因> 会让 \1 "
        r"的全部运行不再执行，而标记以下 bridge 写的运行表不会被读取）：请把不会运行的那个从实验块"
        r"的系统中删去",
    ),
    (
        lazy(
            r"(\[systems\.\"[^\"]*\"\]) aliases: ('.*?') names no compared system of any "
            r"block(.*?); an alias connects the table's runs to a block's system as the plan "
            r"writes it"
        ),
        r"\1 aliases：\2 不是任何实验块的对比系统\3；"
        r"别名用于把该表的运行连到计划所写的某个实验块的系统",
    ),
    (
        lazy(
            r"the plan states two compute budgets: (\S+) GPU-h \(line (\d+), the one used\) and "
            r"(\S+) GPU-h \(line (\d+), the budget table's total\); bridge estimates and warns "
            r"\(or, with budget = \"enforce\", stops\) against the first: make them agree"
        ),
        r"计划写了两个算力预算：\1 GPU-h（第 \2 行，采用此值）和 \3 GPU-h"
        r"（第 \4 行，预算表的合计）；bridge 按前者估算并警告"
        r"（budget = \"enforce\" 时停止）：请使两者一致",
    ),
    # bridge.plan.tracker: a Model column naming one model for rows of different experiments
    # is read as their backbone (032's Qwen-2.5-3B).
    (
        lazy(
            rf"the Model column names {_QUOTE} for rows of different experiments \((.+)\): read "
            r"as the model the runs use, not as their systems, so the runs of its tables name no "
            r"system; add a System column naming what each row runs \(one system a row\) to "
            r"compare them; a command passes the model with \{model\}"
        ),
        lambda found: (
            f"Model 列为不同实验的行（{_ids(found.group(2)).replace(', ', '、')}）都写了 "
            f"{found.group(1)}：读作这些运行所用的模型，而不是它们的系统，因此其表格中的运行"
            "没有指明系统；要比较它们，请加一个 System 列，写明每行运行的系统（每行一个系统）；"
            "命令用 {model} 传入该模型"
        ),
    ),
    (
        lazy(
            r"this plan only points to (\S+), which is not there: the plan is read as written; "
            r"put that file beside it"
        ),
        r"此计划只指向 \1，但该文件不存在：计划按原文读取；请把该文件放在它旁边",
    ),
    (
        lazy(
            rf"(\S+): {_QUOTE} has a placeholder; outputs are paths inside the run's output "
            rf"directory and are not expanded: write {_QUOTE}"
        ),
        r"\1：\2 含有占位符；outputs 是运行输出目录内的路径，不会展开：请写 \3",
    ),
)


def _lines_in_chinese(quoted: str) -> str:
    """Quoted lines as bridge.plan.unread_thresholds lists them, their numbers in Chinese."""
    quoted = re.sub(r"' \(line (\d+)\)", r"'（第 \1 行）", quoted)
    quoted = re.sub(
        r" \(\+(\d+) more: lines? ([\d, ]+)\)$",
        lambda found: f"（另有 {found[1]} 行：第 {found[2].replace(', ', '、')} 行）",
        quoted,
    )
    return quoted.replace("）, '", "）、'")


def _command_seed_runs(said: str) -> str:
    """What runs whose tracker Command cell passes a seed run with, in Chinese
    (``crosscheck._seed_in_command_cell``'s three wordings)."""
    if found := re.fullmatch(r"run with seed (\S+)", said):
        return f"以种子 {found[1]} 运行"
    if found := re.fullmatch(
        r"have no seed of their own, so \{seed\} is bridge\.toml's (.+)", said
    ):
        return f"没有自己的种子，{{seed}} 取 bridge.toml 的 {found[1]}"
    return "没有自己的种子"


def warning_in_language(message: str, language: str) -> str:
    """
    A plan warning in ``language`` (``"zh"``; anything else returns it unchanged) when it is
    one of bridge's warnings whole; any other warning is returned as written. A row's recorded
    status it quotes says bridge's own words in it in ``language`` either way (026's "the
    tracker says 🔄 / ⏳（图例：Auto-Queued）" under ``-o language=en``:
    :func:`~bridge.plan.recorded_status.status_in_language`).
    """
    if language != "zh":
        return status_in_language(message, language)
    for pattern, replacement in _WARNINGS:
        if pattern.fullmatch(message):
            return status_in_language(pattern.sub(replacement, message), language)
    return status_in_language(message, language)


_CHINESE = Wording(
    primary_metric="主指标",
    system="提议的系统",
    gain="增益",
    relative_gain="相对增益",
    difference="差值",
    relative_difference="相对差值",
    # Which way a gain is counted ("accuracy drops by at most 1 point" is "lower"), not
    # which way is better.
    ways={
        "higher": "按升高计",
        "lower": "按降低计",
        "better": "按指标方向更好",
        "either": "不论方向",
    },
    each_component="每个消融变体",
    baseline="基线",
    absolute="{who}：{metric} {limit}",
    compared="{who} 对比 {against}：{metric} {kind}（{way}）{limit}",
    limited="{who} 对比 {against}：{metric} {kind} {limit}",
    rise="升幅",
    drop="降幅",
    margin_in_words="，幅度只以文字表述（{word}）：没有增益即不满足，否则待定",
    level_in_words="，超出界限的幅度只以文字表述（{word}）：未达界限即不满足，否则待定",
    unchecked="{said}（仅 '{said}' 不检查）",
    per_item="{said}（按记录的每个标签）",
    evaluation_sets={
        "test": "在测试集上",
        "validation": "在验证集上",
        "dev": "在开发集上",
        "train": "在训练集上",
    },
    median="{metric} 中位数",
)


def criterion_in_language(criterion: Criterion, language: str) -> str:
    """
    How a parsed clause will be checked, in ``language``: :meth:`Criterion.describe` in
    English; in Chinese the same statement with bridge's words in Chinese (the system, metric
    and reference names, the operator, the threshold and its unit as they are).
    """
    return criterion.describe(_CHINESE if language == "zh" else None)


# Where a milestone's GPU-hour estimate comes from (bridge/plan/overview.py: Estimate.source).
_SOURCES: tuple[tuple[LazyPattern, str], ...] = (
    (lazy(r"CPU runs only"), "仅 CPU 运行"),
    (lazy(r"no runs"), "没有运行"),
    (
        lazy(r"no runs; the plan's Cost \((.*)\) not counted"),
        r"没有运行；计划的 Cost（\1）不计入",
    ),
    (lazy(r"from the runs' estimates"), "来自运行的估计"),
    (lazy(r"from the plan's Cost column \((.*)\)"), r"来自计划的 Cost 列（\1）"),
    (lazy(r"from the plan's text at (\S+) \((.*)\)"), r"来自计划正文 \1（\2）"),
    (
        lazy(r"no run estimate and no GPU-hours in the plan's Cost"),
        "没有运行估计，计划的 Cost 中也没有 GPU 小时",
    ),
    (
        lazy(r"no run estimate, and the plan's Cost \((.*)\) is not GPU-hours"),
        r"没有运行估计，且计划的 Cost（\1）不是 GPU 小时",
    ),
    (lazy(r"no run estimate and no Cost in the plan"), "没有运行估计，计划中也没有 Cost"),
)


# What an estimate says of the runs the tracker marks done or ruled out (overview.estimate_cost):
# a whole source, or a tail after the source of the runs left.
_NONE_LEFT = lazy(
    r"none to launch: the tracker marks its (\d+) runs? done or ruled out"
    r"(?:; the plan's Cost \((.*)\) not counted)?"
)
_LEFT_TAILS: tuple[tuple[LazyPattern, str], ...] = (
    (
        lazy(r"; (\d+) runs? the tracker marks done or ruled out not counted"),
        r"；追踪表标为已完成或排除的 \1 个运行不计入",
    ),
    (
        lazy(
            r"; the Cost is the whole milestone's, with the (\d+) of its (\d+) runs the tracker "
            r"marks done or ruled out"
        ),
        r"；该 Cost 是整个里程碑的，含追踪表标为已完成或排除的 \1 个运行（共 \2 个）",
    ),
)


def estimate_source_in_language(source: str, language: str) -> str:
    """
    Where a GPU-hour estimate comes from, in ``language`` (``"zh"``; anything else returns it
    unchanged); the plan's Cost cell as written.
    """
    if language != "zh":
        return source
    if found := _NONE_LEFT.fullmatch(source):
        said = f"没有待启动的运行：追踪表把其 {found[1]} 个运行标为已完成或排除"
        return said + (f"；计划的 Cost（{found[2]}）不计入" if found[2] is not None else "")
    tail = ""
    for pattern, replacement in _LEFT_TAILS:
        # The tail ends the source; the plan's Cost before it may hold "; " of its own.
        if (found := pattern.search(source)) and found.end() == len(source):
            tail = found.expand(replacement)
            source = source[: found.start()]
            break
    for pattern, replacement in _SOURCES:
        if pattern.fullmatch(source):
            return pattern.sub(replacement, source) + tail
    return source + tail
