"""
``refine-logs/EXPERIMENT_RESULTS.md``: the results for people, from the log alone.

Date (of the newest event, never the wall clock), plan path, results by milestone (sanity
passed/failed; a ``| Run | System | Key Metric | Status |`` table each), every block's criterion,
aggregates and verdict with its evaluation type and what that allows to be claimed, the runs
not attributed to a block (with the reason), the training-quality findings, the summary and
the next step. Headings and prose follow the
``language`` setting (``en``, ``zh``); ids, numbers, paths and the machine-read table headers
never change.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Literal, assert_never

from bridge.errors import ConfigError
from bridge.events import types as ev
from bridge.events.measurements import NO_FILE_MATCHED, NO_NUMBER_IN_FILE, MetricValue
from bridge.machine.aggregation import measured_text, spread_text
from bridge.machine.comparisons import shared_subject_reason
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.judge import EvaluationType, MainResult, claim_scope
from bridge.machine.scheduler import held_by_failed_before, held_for_code_by, sanity_probe
from bridge.machine.stages import (
    ENDED_UNSUCCESSFUL,
    NOT_BRIDGES_RUN_STATES,
    TERMINAL_RUN_STATES,
    RunState,
    Stage,
)
from bridge.machine.verdicts import JudgedBy, VerdictKind
from bridge.plan.baselines import BASELINES_OPTION, compared_by_no_block
from bridge.plan.criteria import Compound, Criterion, clause_metrics
from bridge.plan.criteria.clauses import words_left_out
from bridge.plan.main_milestone import main_milestone_setting, milestones_listed
from bridge.plan.metric_names import (
    PLAN_METRICS_OPTION,
    match_metric,
    plan_metric_names,
    primary_metric_name,
)
from bridge.plan.milestones import (
    MILESTONES_TO_WRITE,
    MILESTONES_TO_WRITE_ZH,
    UNNAMED_LIST,
    UNNAMED_LIST_ZH,
    blocks_placed,
    runs_of_its_systems,
    unnamed_list_line,
    why_no_runs,
)
from bridge.plan.recorded_status import researchers_status, status_in_language
from bridge.plan.run_fields import launch_seed
from bridge.plan.run_gates import gate_said
from bridge.plan.runs import recorded_shift
from bridge.plan.unread_thresholds import recorded_plan_wide, recorded_unread
from bridge.plan.vocabulary import (
    ABLATION_WORD,
    ended_failed,
    recorded_stopped,
)
from bridge.projections import plot
from bridge.projections.block_runs import sanity_ids
from bridge.projections.code_review import unavailable_note
from bridge.projections.failure_words import (
    carried_words,
    failure_in_language,
    kept_in_language,
    kept_retry,
    row_gone,
    split_in_language,
)
from bridge.projections.finding_words import blocked_in_language
from bridge.projections.markdown import line, table
from bridge.projections.outcome import (
    BlockResult,
    Outcome,
    evaluate,
    key_value,
    main_empty,
    main_not_met,
    match_labelled,
    measured_first,
    must_completed,
    not_met_elsewhere,
    sanity_check,
    untrusted_blocks,
    untrusted_phrase,
)
from bridge.projections.outcome_types import holding_blocks
from bridge.projections.plan_words import (
    criterion_in_language,
    shifted_item_in_language,
    warning_in_language,
)
from bridge.projections.reasons import in_language, quality_in_language
from bridge.projections.results_data import gate_clauses, gate_of, gates_not_met, metric_units
from bridge.projections.text import stamp, t
from bridge.projections.tracker import shown_word
from bridge.projections.unmatched import unmatched_note

__all__ = [
    "AGGREGATE_HEADER",
    "RUN_HEADER",
    "VERDICT_ZH",
    "Commands",
    "key_cells",
    "next_step",
    "number",
    "render",
]

RUN_HEADER = ("Run", "System", "Key Metric", "Status")
AGGREGATE_HEADER = ("System", "Metric", "Mean", "Std", "n", "Runs")

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Experiment Results", "实验结果"),
    "date": ("Date", "日期"),
    "plan": ("Plan", "计划"),
    "stage": ("Stage", "阶段"),
    "by_milestone": ("Results by milestone", "按里程碑的结果"),
    "sanity_passed": ("Sanity: passed", "健全性检查：通过"),
    "sanity_failed": ("Sanity: failed", "健全性检查：未通过"),
    "sanity_pending": ("Sanity: not checked yet", "健全性检查：尚未完成"),
    "sanity_before": (
        "Sanity: not run by bridge (the tracker says its runs were done before bridge or are "
        "out of scope)",
        "健全性检查：未由 bridge 运行（追踪表记录其运行在 bridge 之前已完成或不在范围内）",
    ),
    "sanity_skipped": (
        "Sanity: skipped by configuration (sanity_first = false)",
        "健全性检查：按配置跳过（sanity_first = false）",
    ),
    "sanity_no_runs": (
        "Sanity: nothing checked (this milestone has no runs)",
        "健全性检查：未检查任何内容（此里程碑没有运行）",
    ),
    "sanity_approved": (
        "Sanity: its runs passed; its own criterion is not met, and a person approved going on",
        "健全性检查：运行通过；其自身成功标准未满足，经人工批准继续",
    ),
    "sanity_criterion": (
        "Sanity: failed: its runs passed, but its own success criterion is not met",
        "健全性检查：未通过：运行成功，但其自身成功标准未满足",
    ),
    "sanity_unjudged": (
        # "in full": 006's B5 read "[2] met" beside "[1] open", and "was not judged" said
        # the met clause was never judged (trial h39B F2).
        "Sanity: its runs passed; its own success criterion was not judged in full (a clause "
        "is open), so it held nothing back and the later milestones went on without it (its "
        "block's verdict says which, why, and what to set)",
        "健全性检查：运行通过；其自身成功标准未被完整判定（有条件未判定），因此没有拦住任何东西，"
        "之后的里程碑在没有这项"
        "检查的情况下继续（其实验块的判定说明了原因及应设置什么）",
    ),
    "no_runs": ("No runs in this milestone.", "此里程碑没有运行。"),
    "no_runs_why": ("No runs in this milestone: {why}.", "此里程碑没有运行：{why}。"),
    "no_milestone_why": ("No milestone can be told for these runs: ", "这些运行的里程碑无法确定："),
    "stop_rules": (
        "Stop rules the plan states (not checked by bridge; decide them from the results)",
        "计划写明的停止规则（bridge 不检查；请依据结果自行判断）",
    ),
    "baselines": (
        "Baselines the plan requires in a section of its own (bridge judges by none of them: "
        "each block is judged on the systems it compares)",
        "计划在单独一节中要求的基线（bridge 不据此判定：每个实验块按它所对比的系统判定）",
    ),
    "baseline_unlisted": (" (no block compares it by this name)", "（没有实验块以这个名称对比它）"),
    "plan_metrics": (
        "Metrics the plan lists in a section of its own (a criterion may name them)",
        "计划在单独一节中列出的指标（成功标准可以写它们）",
    ),
    "exit_criteria": (
        "Exit criteria the plan states (not checked by bridge; decide them from the results)",
        "计划写明的退出标准（bridge 不检查；请依据结果自行判断）",
    ),
    "checklist": (
        "The plan's final checklist (not checked by bridge, which ticks none of it: tick each "
        "item in the plan yourself)",
        "计划自带的最终检查清单（bridge 不检查，也不勾选任何一项：请在计划中自行勾选）",
    ),
    "checklist_count": (
        "{n} items, {ticked} ticked, as {file} writes them:",
        "共 {n} 项，已勾选 {ticked} 项，按 {file} 所写：",
    ),
    "decision_gate": (
        "Decision gate (not checked by bridge; decide it from the results)",
        "决策门（bridge 不检查；请根据结果自行判断）",
    ),
    "run_gates": (
        "Run gates (each run's own, from the plan's run tables and the tracker's Metrics; a "
        "clause bridge reads is judged against the run's recorded value, never as a block's "
        "verdict)",
        "运行门槛（每个运行自己的，取自计划的运行表与追踪表的指标列；bridge 能读出的条件按运行记录"
        "的数值判断，从不作为实验块的结论）",
    ),
    "gates_not_met": (
        "Run gates not met (the verdict above is the criterion's alone; these runs' own gates, "
        "listed under their milestone)",
        "未达到的运行门槛（上面的结论只依据成功标准；这些是运行自己的门槛，列在其里程碑下）",
    ),
    "gates_missed": (
        "Runs that missed their own gate (listed under their milestones; no verdict rests on it)",
        "未达到自身门槛的运行（列在各自里程碑下；不影响任何结论）",
    ),
    "shifted": ("Milestone column may be shifted", "里程碑列可能错位"),
    "shifted_planned": (
        ", by their Purpose: the name and decision gate above are the plan's {id}'s, which "
        "these runs may not be; correct the tracker's Milestone column if it is off",
        "，按其 Purpose 列判断：上面的名称与决策门是计划中 {id} 的，未必属于这些运行；若错位请更正"
        "追踪表的里程碑列",
    ),
    "shifted_onto": (
        ", by their Purpose: the name and decision gate above are the plan's {id}'s, which "
        "those runs read like, not necessarily the runs below; correct the tracker's Milestone "
        "column if it is off",
        "，按其 Purpose 列判断：上面的名称与决策门是计划中 {id} 的，属于那些运行，"
        "未必属于下面的运行；若错位请更正追踪表的里程碑列",
    ),
    "shifted_unplanned": (
        ", by their Purpose: they are reported under {id}, as their rows name it; correct the "
        "tracker's Milestone column if it is off",
        "，按其 Purpose 列判断：它们按其行写的 {id} 报告；若错位请更正追踪表的里程碑列",
    ),
    "blocks": ("Blocks: criteria and verdicts", "实验块：成功标准与判定"),
    "plot": (
        "Each block's judged metric per system, mean ± std over seeds",
        "各实验块所判定的指标（按系统，种子均值 ± 标准差）",
    ),
    "criterion": ("Criterion", "成功标准"),
    "none": ("(none written)", "（未填写）"),
    "no_blocks": (
        "The plan has no experiment blocks, so there is no criterion to judge: each run's "
        "numbers are under “Results by milestone” above.",
        "计划中没有实验块，因此没有可判定的成功标准：各运行的数值见上方“按里程碑的结果”。",
    ),
    "parsed": ("Read as", "解析为"),
    "either": ("Met when one part is met: clauses", "任一部分满足即满足：第"),
    "unparsed": ("Not machine-checkable", "无法自动检验"),
    "evaluation": ("Evaluation", "评测类型"),
    "claims_tested": ("Claims it tests", "检验的论点"),
    "not_judged": ("Also stated, not judged", "另有写明、未判定"),
    "verdict": ("Verdict", "判定"),
    "runs": ("Runs", "运行"),
    "shared": ("shared from other blocks", "取自其他实验块"),
    "sanity_apart": ("the block's sanity runs, not judged on", "本实验块的健全性运行，不计入判定"),
    "no_values": ("No metric values recorded yet.", "尚无已记录的指标值。"),
    "no_values_before": (
        "No metric values: the tracker says its runs were done before bridge, whose metrics "
        "bridge does not read.",
        "没有指标值：跟踪表记载其运行在 bridge 之前已完成，bridge 不读取这些运行的指标。",
    ),
    "unattributed": ("Runs not attributed to a block", "未归属实验块的运行"),
    "not_run": ("Runs bridge did not launch", "bridge 未运行的运行"),
    "not_run_note": (
        "As the tracker says: done before bridge (counted as done, with the tracker's evidence; "
        "no metrics read), ended failed before bridge (not counted as done; `bridge retry RUN` "
        "runs it), work people do, not done yet (not counted; a must-run one keeps the plan from "
        "being ready), waiting for a run bridge does not run (not counted; it runs once that one "
        "is done), waiting for its code (not counted; it runs once its row says `TODO`) or out of "
        "scope (not counted). `bridge retry --force RUN` runs a done one.",
        "依据追踪表：运行前已完成（计为完成，证据取自追踪表；未读取指标）、运行前已以失败结束"
        "（不计为完成；`bridge retry RUN` 可重新运行）、由人工执行、尚未完成（不计入；"
        "必做的此类运行未完成时计划不可进入评审循环）、等待 bridge 不运行的运行（不计入；"
        "那个运行完成后即运行）、等待代码写好（不计入；其行的状态改为 `TODO` 后即运行）或不在范围内"
        "（不计入）。"
        "`bridge retry --force RUN` 可重新运行已完成的行。",
    ),
    "done_before": ("done before bridge", "运行前已完成"),
    "failed_before": ("ended failed before bridge", "运行前已以失败结束"),
    "out_of_scope": ("out of scope", "不在范围内"),
    "set_aside": ("set aside", "已搁置"),
    "blocked": ("blocked in the tracker", "在追踪表中受阻"),
    "by_person": ("work people do, not done yet", "由人工执行、尚未完成"),
    "waiting": ("waiting", "等待中"),
    "awaiting_code": ("waiting for its code", "等待代码写好"),
    "unattributed_note": (
        "These runs belong to no block. A block counts one only where it compares the run's "
        "system and no block has a run of that system of its own (shared, as the block's runs "
        'say); beside such runs it counts in no block. "Counted in" names the blocks judged '
        "on it. Give each a block (`block =` on its `[[runs]]` entry or `[systems]` table, or "
        "the tracker's Block column) to judge it there.",
        "这些运行不属于任何实验块。只有对比了该运行系统、且没有任何实验块拥有该系统自己的运行时，"
        "实验块才会计入它（共用，见该实验块的运行列表）；已有这样的运行时，它不计入任何实验块。"
        "“计入”列出据它判定的实验块。请为其指定实验块（`[[runs]]` 或 `[systems]` 中的 "
        "`block =`，或跟踪表的 Block 列）以在该块中判定。",
    ),
    "counted_in": ("Counted in", "计入"),
    "counted_nowhere": ("no block", "无"),
    "no_system": ("no system: {purpose}", "无系统：{purpose}"),
    "reason": ("Reason", "原因"),
    "kept": (
        "Numbers from earlier settings or code",
        "来自旧设置或旧代码的数值",
    ),
    "kept_note": (
        "These runs succeeded before their settings or code changed: their numbers, and the "
        "verdicts that use them, come from what they ran with, not from the inputs as they are "
        "now.",
        "这些运行在其设置或代码变更之前已成功：其数值以及使用这些数值的判定，来自运行时的版本，"
        "而非当前的输入。",
    ),
    # {runs}: ids; {kind}: earlier settings or code; {changes}: field: old → new; {retry}: the
    # command; {them}: it or them (English only).
    "kept_line": (
        "- {runs} — numbers from {kind} ({changes}); `{retry}` runs {them} with the current ones.",
        "- {runs} — 数值来自{kind}（{changes}）；`{retry}` 会用当前版本重新运行。",
    ),
    "carried": (
        "Runs not run again: another run's result stands for them",
        "未重新运行的运行：另一运行的结果代表它们",
    ),
    "carried_note": (
        "These runs were not launched: another run ran what they would run (the same command, "
        "seed, settings and code), and its result is theirs.",
        "这些运行未启动：另一运行已运行了它们要运行的内容（相同的命令、种子、设置和代码），"
        "其结果即它们的结果。",
    ),
    "quality": ("Training-quality findings", "训练质量检查"),
    "quality_none": (
        "None: no NaN/Inf, divergence, overfitting or plateau in any recorded metric.",
        "无：已记录的指标中没有 NaN/Inf、发散、过拟合或停滞。",
    ),
    "problems": ("Unreadable output files", "无法读取的输出文件"),
    "summary": ("Summary", "总结"),
    "must": ("Must-run completed", "必做运行完成"),
    "nice": ("Nice-to-have completed", "可选运行完成"),
    "main": ("Main result", "主要结果"),
    "not_met_elsewhere": (
        "Must-run blocks outside the main milestone not met",
        "主要里程碑之外未满足的必做实验块",
    ),
    "not_met_any": ("Must-run blocks not met", "未满足的必做实验块"),
    "sanity_numbers": (
        "The block's sanity runs (their numbers check the pipeline; the verdict and the table "
        "above do not pool them)",
        "本实验块的健全性运行（其数值用于检查流程；判定与上表不汇总它们）",
    ),
    "untrusted": ("Must-run blocks with numbers not trusted", "数值不可信的必做实验块"),
    "untrusted_elsewhere": (
        "Must-run blocks outside the main milestone with numbers not trusted",
        "主要里程碑之外数值不可信的必做实验块",
    ),
    # {setting}: main_milestone_setting's, naming one of the plan's own milestones.
    "main_none": (
        "no main milestone recognised; name it with {setting} in bridge.toml",
        "未识别出主要里程碑；可在 bridge.toml 中用 {setting} 指定",
    ),
    "main_no_blocks": ("the plan has no experiment blocks", "计划中没有实验块"),
    "main_no_milestones": ("the plan has no milestones", "计划没有里程碑"),
    "ready": ("Ready for the review loop", "可进入评审循环"),
    "why_not": ("why not", "原因"),
    "next": ("Next step", "下一步"),
    "blocking": ("blocking", "阻断"),
    "info": ("information", "提示"),
}

#: A verdict in Chinese, beside the English word a program reads.
VERDICT_ZH = {
    VerdictKind.MET: "满足",
    VerdictKind.NOT_MET: "未满足",
    VerdictKind.INCONCLUSIVE: "无定论",
}

_RESULT_WORDS = {
    MainResult.POSITIVE: ("positive", "正面"),
    MainResult.NEGATIVE: ("negative", "负面"),
    MainResult.INCONCLUSIVE: ("inconclusive", "无定论"),
}


def _t(key: str, language: str) -> str:
    english, chinese = _WORDS[key]
    return chinese if language == "zh" else english


def sanity_caveats(state: PipelineState, outcome: Outcome, language: str) -> list[str]:
    """
    The results page's Sanity line of each sanity milestone whose check passed with a caveat a
    finished project's console must not hide: its own criterion not judged (the quickstart's
    «loss at epoch 3 < loss at epoch 1» left open while the summary read "positive … Ready:
    YES"), or approved past by a person. Empty when every check passed plainly.
    """
    return [
        _t(f"sanity_{word}", language)
        for milestone in outcome.milestones
        if milestone.info.sanity
        and (word := sanity_check(state, milestone)) in ("unjudged", "approved")
    ]


def number(value: float | None) -> str:
    """
    A measured value for people as a verdict's reason writes it
    (:func:`~bridge.machine.aggregation.measured_text`: 6 significant digits), ``-`` for none.
    """
    return "-" if value is None else measured_text(value)


def block_keys(state: PipelineState) -> dict[str, str]:
    """
    Each block's key metric as the results' tables show it: the key metric most of its runs
    recorded (ties: the first in planning order). A run's own key metric follows its row's
    lead metric, so rows beside each other could show different quantities (021's B3: R007 and
    R008 `reward = 0.61`, `0.7`, R009 `validation_regret = 0.2`, read as one column).
    """
    counts: dict[str, Counter[str]] = {}
    for run in state.runs.values():
        if run.spec.block and run.metrics is not None and run.metrics.key_metric:
            counts.setdefault(run.spec.block, Counter())[run.metrics.key_metric] += 1
    return {block: tally.most_common(1)[0][0] for block, tally in counts.items()}


# The output-reading messages bridge writes whole, in Chinese (018's JPH-B1-HO-S2 writing `{}`
# read in English in its Chinese results, trial t15); the others stay as written.
_PROBLEMS_ZH = {
    NO_NUMBER_IN_FILE: "没有从中读到任何数值，因此该运行没有记录任何指标数值",
    NO_FILE_MATCHED: "没有输出文件与 [metrics] 的 files 和规则匹配，因此该运行没有记录任何指标数值",
}


def _problem_words(message: str, language: str) -> str:
    """An output problem's ``message`` in ``language`` where it is one bridge has words for."""
    return _PROBLEMS_ZH.get(message, message) if language == "zh" else message


def _system_cell(run: RunView, language: str) -> str:
    """
    The System cell of a run in a milestone's table or in "Runs not attributed to a block": its
    system, else what its row says it is.

    038's tracker has no System column (its second is "Gate"): all 28 of its rows in "Runs not
    attributed to a block" had an empty System cell, with nothing beside the id to say which
    check each was. Its purpose (the row's Gate, Purpose or Task cell) is shown instead,
    marked as no system, cut at 80 characters; empty when it has neither. The milestone tables
    show the same cell (they had kept it empty for the same runs, trial h40).
    """
    spec = run.spec
    if spec.system or not spec.purpose:
        return spec.system
    purpose = " ".join(spec.purpose.split())
    if len(purpose) > 80:
        purpose = purpose[:79].rstrip() + "…"
    return _t("no_system", language).format(purpose=purpose)


def _key_cell(
    run: RunView,
    listed: Mapping[str, Sequence[str]] | None = None,
    language: str = "en",
    keys: Mapping[str, str] | None = None,
    primaries: Mapping[str, str] | None = None,
    judged: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """
    The Key Metric cell: the block's key metric (``keys``, :func:`block_keys`) where the run
    recorded it, else the run's key metric, else (for the reader only; the verdicts never
    use it) the first value under a metric its block lists (``listed``: block → names; 021's
    R009 recorded two of them and showed "-"), else its first value, with how many more
    metrics it recorded (results.json has them all): a run's numbers are never left off the
    page (025's E-rag-sft and 036's M2.1 recorded two names no block lists and showed "-",
    under a sentence that sends the reader to them). A value that is not the block's primary
    metric (``primaries``: block → the plan's primary metric, ``primary_metric_name``) says
    which the primary is, and whether the run recorded it (018's B2 runs showed
    "historical regression = 0.1 (+2 more)" as if it were what B2 measures). A value of a
    metric the block's criterion judges (``judged``: block → its clauses' metrics) whose name
    shares two words with the primary (:func:`_same_quantity`) is said to be the criterion's,
    the primary named beside it, never "not recorded": 008's R010 "unsupported core claims =
    0" read "(the plan's primary metric unsupported-claim count in the final claim/evidence
    matrix not recorded)" beside the very number B5 judges (trial h40B F4).
    """
    key = (keys or {}).get(run.spec.block)
    primary = (primaries or {}).get(run.spec.block, "")
    shared = (
        next((v for v in run.metrics.values if v.name == key), None)
        if key and run.metrics is not None
        else None
    )
    value = shared or key_value(run) or _shown_value(run, (listed or {}).get(run.spec.block, ()))
    more = ""
    if value is None and run.metrics is not None and run.metrics.values:
        # One condition of the primary's family (009's R004: `avg_prompt_chars[retrieval]` of
        # two placements), else a measured value, not a setting recorded beside it (018's
        # "seed = 0 (+50 more)"): either way one of several, so the cell says how many more
        # (R004's showed the first placement alone, trial t17 F10).
        value = _labelled_primary(run, primary) or measured_first(run.metrics.values)[0]
    if value is None:
        return "-"
    if run.metrics is not None:
        # How many more, whichever value is shown: 015's R007 showed its block's key metric
        # "throttle_event_count = 12" with no word of the two others it recorded, where R001
        # beside it said "(+1 more)" (trial h40I F8).
        others = len({v.name for v in run.metrics.values} - {value.name})
        more = (
            (f"（另有 {others} 个）" if language == "zh" else f" (+{others} more)")
            if others
            else ""
        )
    shown = value.raw if value.value is None else number(value.value)
    if primary and run.metrics is not None and not _names(primary, value.name, run):
        zh = language == "zh"
        recorded = _names(primary, "", run)
        criterions = (judged or {}).get(run.spec.block, ())
        if _same_quantity(primary, value.name) and any(
            _names(judged_name, value.name, run) for judged_name in criterions
        ):
            note = (
                f"成功标准判定的指标；计划的主指标写作 {primary}"
                if zh
                else f"the metric the criterion judges; the plan's primary metric reads {primary}"
            )
        elif recorded:
            note = f"计划的主指标为 {primary}" if zh else f"the plan's primary metric is {primary}"
        else:
            note = (
                f"计划的主指标 {primary} 未记录"
                if zh
                else f"the plan's primary metric {primary} not recorded"
            )
        # Said beside the count of the others, in one bracket.
        if more:
            more = f"{more[:-1]}；{note}）" if zh else f"{more[:-1]}; {note})"
        else:
            more = f"（{note}）" if zh else f" ({note})"
    return f"{value.name} = {shown}{more}"


def _same_quantity(primary: str, name: str) -> bool:
    """
    Whether the plan's primary metric ``primary`` and a recorded ``name`` share two words of
    four letters or more (a plural's ``s`` aside): 008's "unsupported-claim count in the final
    claim/evidence matrix" and "unsupported core claims"; not F1 and accuracy, nor "balanced
    accuracy" and "accuracy", whose one shared word tells nothing.
    """

    def words(text: str) -> set[str]:
        split = re.split(r"[^a-z0-9]+", text.casefold())
        return {w.removesuffix("s") for w in split if len(w) >= 4}

    return len(words(primary) & words(name)) >= 2


def _key_inputs(
    state: PipelineState,
) -> tuple[dict[str, str], dict[str, str], dict[str, list[str]], dict[str, tuple[str, ...]]]:
    """What :func:`_key_cell` reads besides the run: each block's key metric, its primary
    metric, the metrics it lists and the metrics its criterion judges."""
    blocks = state.plan.blocks if state.plan is not None else ()
    # Each block's primary metric, named beside a value that is another (018's B2).
    primaries = {b.id: primary_metric_name(b.metrics) for b in blocks}
    # What each block lists, then what its criterion judges (033's E1 lists no metric; its
    # runs read "n_seeds = 25 (+10 more)", a count, where "scissors_net" is what it judges).
    judged = {
        b.id: clause_metrics(b.success_criterion, tuple(plan_metric_names(b.metrics)), b.systems)
        for b in blocks
    }
    listed = {b.id: [*plan_metric_names(b.metrics), *judged[b.id]] for b in blocks}
    return block_keys(state), primaries, listed, judged


def key_cells(state: PipelineState, language: str) -> dict[str, str]:
    """
    The Key Metric cell of each succeeded run that recorded a value, as the results' tables
    show it (``avg_prompt_chars[retrieval] = 3331.66 (+15 more)``), by run id: what the tracker's
    Notes say the run measured.
    """
    keys, primaries, listed, judged = _key_inputs(state)
    return {
        run.run_id: _key_cell(run, listed, language, keys, primaries, judged)
        for run in state.runs.values()
        if run.state is RunState.SUCCEEDED and run.metrics is not None and run.metrics.values
    }


def _labelled_primary(run: RunView, primary: str) -> MetricValue | None:
    """
    The first value of the block's primary metric where the run recorded it only under labels
    (009's R004: B3's "prompt chars" as `avg_prompt_chars[retrieval]` and `[template_macro]`,
    which B3's table shows; its cell showed `runs[retrieval] = 100`, a count of runs, and said
    the primary metric was not recorded), else ``None``. The primary only: another metric the
    block lists can match a family of per-event values (018's "loss mask").
    """
    metrics = run.metrics
    if not primary or metrics is None:
        return None
    try:
        hit = match_labelled(primary, [v.name for v in metrics.values], metrics.aliases)
    except ConfigError:
        return None
    return next((v for v in metrics.values if v.name == hit), None)


def _names(primary: str, name: str, run: RunView) -> bool:
    """
    Whether the metric ``primary`` is ``name`` (or, for ``name`` ``""``, any metric the run
    recorded) by the run's aliases, as the verdicts match names; a name that matches several
    recorded ones counts as recorded (said as the primary, never as missing).
    """
    metrics = run.metrics
    if metrics is None:
        return False
    recorded = [name] if name else list(dict.fromkeys(v.name for v in metrics.values))
    try:
        return match_labelled(primary, recorded, metrics.aliases) is not None
    except ConfigError:
        return True


def _status_cell(run: RunView, language: str = "en") -> str:
    word = shown_word(run, language)
    said = " ".join(run.found_status.replace("*", "").replace("`", "").split())
    # Bridge's words in it (018's "（图例：…；已完成运行的负结果…）") in the output's language.
    said = status_in_language(said, language)
    if run.state is RunState.DONE_BEFORE and said and said.upper() != word:
        # 038's "PASS-PARITY / FAIL-SPEEDUP" (a gate failed: FAILED) and "PASS-RUNTIME /
        # ANNOTATION-ONLY" (DONE) are the researcher's words: shown, not folded into a bare
        # word (trial O3).
        word = f"{word} ({said[:80]})"
    flags = run.metrics.quality if run.metrics is not None else ()
    kinds = sorted({f.kind for f in flags if f.blocking})
    if run.kept is not None:
        # Numbers from settings or code the inputs no longer give: marked where they are read,
        # as a training-quality problem is (the section above the milestones says what changed).
        kinds.append(kept_in_language(run.kept.changes, language)[0])
    return f"{word} ⚠ {', '.join(kinds)}" if kinds else word


def _kept_section(state: PipelineState, language: str) -> list[str]:
    """
    The runs whose numbers come from earlier settings or code (``RunView.kept``), grouped by
    what changed: each group's runs, the changes old → new and the retry that runs them with
    the inputs as they are. Nothing when every succeeded run ran with the inputs of now.
    """
    # By what is shown: three seeds' params differ in their seed, never in the words shown.
    groups: dict[tuple[str, str], list[str]] = {}
    for run in state.runs.values():
        if run.kept is not None and run.state is RunState.SUCCEEDED:
            groups.setdefault(kept_in_language(run.kept.changes, language), []).append(run.run_id)
    if not groups:
        return []
    lines = [f"## {_t('kept', language)}", "", _t("kept_note", language), ""]
    for (kind, said), ids in groups.items():
        lines.append(
            _t("kept_line", language).format(
                runs=", ".join(ids),
                kind=kind,
                changes=line(said),
                retry=kept_retry(ids),
                them="it" if len(ids) == 1 else "them",
            )
        )
    lines.append("")
    return lines


def _carried_section(state: PipelineState, language: str) -> list[str]:
    """
    The succeeded runs another run's result stands for (``RunView.carried``), one line each:
    ``- R002-s42: R002's result at seed 42, same settings, not run again`` (001's R002 run at
    42, then given seeds 42, 43, 44). Nothing when there is none.
    """
    said = [
        f"- {run.run_id}: {carried_words(run.carried.from_run, launch_seed(run.spec), language)}"
        for run in state.runs.values()
        if run.carried is not None and run.state is RunState.SUCCEEDED
    ]
    if not said:
        return []
    return [f"## {_t('carried', language)}", "", _t("carried_note", language), "", *said, ""]


def _asked_numbers(run: RunView, probe: str | None) -> bool:
    """Whether the sanity check asks ``run`` for a number: always, but of the run bridge
    checks first (``probe``) only when it names metrics or is in a block."""
    return run.run_id != probe or run.numbers_asked


def _shown_value(run: RunView, names: Sequence[str]) -> MetricValue | None:
    metrics = run.metrics
    if metrics is None or not metrics.values:
        return None
    recorded = list(dict.fromkeys(v.name for v in metrics.values))
    for name in names:
        try:
            hit = match_metric(name, recorded, metrics.aliases)
        except ConfigError:
            continue
        if hit is not None:
            return next(v for v in metrics.values if v.name == hit)
    return metrics.values[0] if len(recorded) == 1 else None


# Which must-run blocks' untrusted runs a next step names (see _untrusted_retry).
_UntrustedScope = Literal["main", "inconclusive", "all"]

# Each run's command as bridge.toml gives it now (the loaded project's), where the caller knows
# it; None for a projection, which holds only what the log recorded.
Commands = Mapping[str, Sequence[str]] | None


def has_command(state: PipelineState, run_id: str, commands: Commands) -> bool:
    """
    Whether a retry of ``run_id`` has a command to run: the one bridge.toml gives it now
    (``commands``, where known and naming the run), else the one its spec recorded. A row the
    tracker says failed before bridge keeps the spec it was planned with until it runs, so a
    ``[run] command`` written since gives it one the log does not hold (trial t16 on 018).
    """
    if commands is not None and run_id in commands:
        return bool(commands[run_id])
    return bool(state.runs[run_id].spec.command)


def _untrusted_retry(
    state: PipelineState,
    outcome: Outcome,
    language: str,
    *,
    scope: _UntrustedScope,
    commands: Commands = None,
) -> str:
    """
    The sentence naming the must-run runs whose numbers are not trusted (a blocking
    training-quality finding: NaN/Inf, divergence) and the command that runs them again, or
    ``""`` when there is none: those of the main milestone's blocks (``scope`` ``"main"``, what
    holds a positive result back from the review loop), those of the must-run blocks left
    inconclusive (``"inconclusive"``), or those of every must-run block (``"all"``, beside
    failed runs: ``--failed`` does not take them). ``--force``: the runs succeeded, and
    ``bridge retry`` alone refuses them. A run with no command (``commands``: bridge.toml's
    now, where known; see :func:`has_command`) cannot be retried: said, with what it needs; as
    recorded with none where only the log's spec is known, as bridge.toml may give one since.
    """
    main_blocks = next(
        (m.blocks for m in outcome.milestones if m.info.id == outcome.main_milestone), ()
    )
    verdicts = {b.block.id: b.verdict.verdict for b in outcome.blocks}

    def taken(block: str) -> bool:
        match scope:
            case "main":
                return block in main_blocks
            case "inconclusive":
                return verdicts[block] is VerdictKind.INCONCLUSIVE
            case "all":
                return True
            case _:
                assert_never(scope)

    held = [(block, runs) for block, runs in untrusted_blocks(outcome) if taken(block)]
    if not held:
        return ""
    zh = language == "zh"
    sep, open_, close = ("、", "（", "）") if zh else (", ", " (", ")")
    said = ("；" if zh else "; ").join(
        f"{block}{open_}{sep.join(r + ' ' + '/'.join(kinds) for r, kinds in runs)}{close}"
        for block, runs in held
    )
    ids = list(dict.fromkeys(r for _, runs in held for r, _ in runs))
    runnable = [r for r in ids if has_command(state, r, commands)]
    bare = [r for r in ids if not has_command(state, r, commands)]
    retry = f"bridge retry --force {' '.join(runnable)}"
    if zh:
        return (
            f"数值不可信：{said}；修复原因"
            + (f"后运行 `{retry}` 和 `bridge run`" if runnable else "")
            + (
                (
                    f"；{'、'.join(bare)} 在此没有命令，"
                    if commands is not None
                    else f"；bridge 记录 {'、'.join(bare)} 时没有命令，"
                )
                + "需先在 bridge.toml 中为其写 [[runs]] 条目并给出 command"
                if bare
                else ""
            )
            + "。"
        )
    one = len(bare) == 1
    needs = (
        f"{', '.join(bare)} {'has' if one else 'have'} no command here"
        if commands is not None
        else f"bridge recorded {', '.join(bare)} with no command"
    ) + f": give {'it' if one else 'each'} a [[runs]] entry with a command in bridge.toml"
    return (
        f"Numbers not trusted in {said}: fix the cause"
        + (f", then run `{retry}` and `bridge run`" if runnable else "")
        + (f" ({needs} first)" if runnable and bare else f"; {needs}" if bare else "")
        + "."
    )


def _kept_used(
    state: PipelineState, outcome: Outcome, language: str, *, main: bool = False
) -> tuple[list[str], list[str], str]:
    """
    The succeeded runs kept as they ran (``RunView.kept``), the blocks whose verdicts use any
    of them (with ``main``, of the main milestone only; none: no verdict uses them) and the
    kind of inputs they ran with (``earlier code``…, in ``language``).
    """
    kept = [r for r in state.runs.values() if r.kept is not None and r.state is RunState.SUCCEEDED]
    ids = [r.run_id for r in kept]
    main_blocks = next(
        (m.blocks for m in outcome.milestones if m.info.id == outcome.main_milestone), ()
    )
    blocks = [
        b.block.id
        for b in outcome.blocks
        if set(b.run_ids) & set(ids) and (not main or b.block.id in main_blocks)
    ]
    kind, _ = kept_in_language([c for r in kept if r.kept for c in r.kept.changes], language)
    return ids, blocks, kind


def ready_caveat(state: PipelineState, outcome: Outcome, language: str) -> str:
    """
    What the readiness YES is said with when a block's verdict uses numbers of runs kept as
    they ran, their code or settings changed since (``, on numbers from earlier code: R001,
    R030``); ``""`` otherwise. Keeping them is the researcher's choice (the results stay
    ready), but "Ready for the review loop: YES" beside "R001 … ran with earlier code" read
    as if nothing were left to decide (trial h39D F16).
    """
    if not outcome.ready:
        return ""
    ids, blocks, kind = _kept_used(state, outcome, language)
    if not blocks:
        return ""
    if language == "zh":
        return f"，数值来自{kind}：{'、'.join(ids)}"
    return f", on numbers from {kind}: {', '.join(ids)}"


def _kept_retry(
    state: PipelineState, outcome: Outcome, language: str, *, main: bool = False
) -> str:
    """
    The sentence naming the succeeded runs kept as they ran (their settings or code changed
    since, ``RunView.kept``) whose numbers a block's verdict uses, with ``bridge retry
    --changed``, the retry that runs every run kept as it ran with the inputs of now, and the
    blocks judged again from the new numbers; ``""`` when no block's verdict uses such a run
    (with ``main``, no block of the main milestone).
    `bridge run` said it above the next step, which named only the verdicts' reasons (009's
    R003 after its script was edited, trial t17 F11).
    """
    ids, blocks, kind = _kept_used(state, outcome, language, main=main)
    if not blocks:
        return ""
    # --changed leaves out a run the tracker took out of scope since it succeeded (036's
    # M2.1c): the retry names them then.
    retry = (
        kept_retry(ids)
        if any(state.runs[i].ruled_out_after for i in ids if i in state.runs)
        else "bridge retry --changed"
    )
    if language == "zh":
        return (
            f"{'、'.join(ids)} 的数值来自{kind}：运行 `{retry}` 和 `bridge run` "
            f"用当前版本重新运行，{'、'.join(blocks)} 将按新数值重新判定。"
        )
    one = len(ids) == 1
    return (
        f"{', '.join(ids)} ran with {kind}, changed since: `{retry}` and "
        f"`bridge run` run {'it' if one else 'them'} with the current "
        f"{kind.removeprefix('earlier ')}, and "
        f"{', '.join(blocks)} {'is' if len(blocks) == 1 else 'are'} judged again from the new "
        "numbers."
    )


def _marked_out_after(state: PipelineState, ids: Sequence[str], language: str) -> str:
    """
    The next step for must-run runs ``ids`` that succeeded with no metric value and whose row
    the researcher has since marked out of scope (``RunView.ruled_out_after``): bridge keeps a
    run that has run, so the way to leave each out is to delete its row (the run is set aside,
    its result kept in the log, counted in no verdict).
    """
    said = [f"{r} «{state.runs[r].ruled_out_after}»" for r in ids]
    one = len(ids) == 1
    if language == "zh":
        return (
            "必做运行没有记录任何指标数值，且运行后其行的 Status 被改为不运行"
            f"（{'；'.join(said)}）：已运行过的运行不会被排除在范围之外。要把"
            f"{'它' if one else '它们'}排除，请删除{'该行' if one else '这些行'}，再运行 "
            "`bridge run`：bridge 会搁置该运行，结果保留在日志中、不计入任何判定"
            "（把行放回即重新计入）。"
        )
    return (
        f"Must-run {'run' if one else 'runs'} recorded no metric value, and "
        f"{'its row was' if one else 'their rows were'} marked out of scope after "
        f"{'it' if one else 'they'} ran ({'; '.join(said)}): a run that has run is not taken "
        f"out of scope. To leave {'it' if one else 'them'} out, delete "
        f"{'its row' if one else 'their rows'} and run `bridge run`: bridge sets "
        f"{'the run' if one else 'the runs'} aside, {'its result' if one else 'their results'} "
        "kept in the log, counted in no verdict (put "
        f"{'the row back to count it' if one else 'the rows back to count them'} again)."
    )


def _failed_and_cancelled(state: PipelineState, ids: Sequence[str], language: str) -> str:
    """
    The sentence of a next step about must-run runs ``ids`` that did not succeed: the runs
    that ended unsuccessfully are the ones to read and fix; those bridge cancelled because it
    could not go on (their reason opens ``not run:``; 001's R007-R011 after R006 crashed)
    are named apart, as cancelled, with the same ``bridge retry --failed`` running them again.
    When every one was cancelled by bridge (the run they waited for has succeeded since, a
    budget), they are named as cancelled, with their cause and that retry.
    """
    zh = language == "zh"
    cancelled = [r for r in ids if _cancelled_by_bridge(state.runs[r])]
    # A person's `bridge cancel` is no cause to fix: it stands until a person asks for the run
    # again (009's R003: "read why, fix the cause" after the researcher cancelled it).
    by_person = [r for r in ids if state.runs[r].state is RunState.CANCELLED and r not in cancelled]
    ended = [r for r in ids if r not in cancelled and r not in by_person]
    reasons = list(
        dict.fromkeys(state.runs[r].reason.removeprefix("not run:").strip() for r in cancelled)
    )
    # One cause for all of them (a milestone's failed must-run run) is said; several are in the
    # tracker's rows.
    why = reasons[0] if len(reasons) == 1 else ""
    if zh:
        # The recorded reason stays English (retries read it back); shown in Chinese.
        why = (
            failure_in_language(f"not run: {why}", language).removeprefix("未运行：") if why else ""
        )
    person = _cancelled_by_person(by_person, cancelled, why, language)
    if person and not ended:
        return person
    if not ended:
        # 034 (trial t7): R006-R012 were cancelled because R005 failed; once R005 succeeded,
        # the next step said "Must-run runs did not succeed (R006, …)", though none had run.
        if zh:
            return (
                f"必做运行 {'、'.join(cancelled)} 被 bridge 取消、未曾运行"
                + (f"（{why}）" if why else "")
                + "：原因消除后运行 `bridge retry --failed` 和 `bridge run` 来运行它们。"
            )
        one = len(cancelled) == 1
        return (
            f"Must-run run{'' if one else 's'} {', '.join(cancelled)} "
            f"{'was' if one else 'were'} cancelled by bridge without running"
            + (f" ({why})" if why else "")
            + ": once the cause is gone, run `bridge retry --failed` and `bridge run` to run "
            f"{'it' if one else 'them'}."
        )
    if zh:
        return (
            # Chinese lists with "、", as the cancelled runs below are listed.
            f"必做运行未成功（{'、'.join(ended)}）：查看原因并修复，然后运行 "
            "`bridge retry --failed` 和 `bridge run`"
            + (
                f"；它也会重新运行被 bridge 取消、未曾运行的必做运行 {'、'.join(cancelled)}"
                + (f"（{why}）" if why else "")
                if cancelled
                else ""
            )
            + (
                f"；--failed 也会重新运行由人取消的 {'、'.join(by_person)}，"
                f"要让其保持取消，请改为按名称重试：`bridge retry {' '.join(ended)}`"
                if by_person
                else ""
            )
            + "。"
        )
    several = len(cancelled) > 1
    return (
        f"Must-run runs did not succeed ({', '.join(ended)}): read why, fix the cause, then run "
        "`bridge retry --failed` and `bridge run`"
        + (
            f"; it also runs {', '.join(cancelled)} again, which bridge cancelled without "
            f"running {'them' if several else 'it'}" + (f" ({why})" if why else "")
            if cancelled
            else ""
        )
        + (
            f"; --failed also runs {', '.join(by_person)} again, which a person cancelled "
            f"(`bridge cancel`): to leave {'them' if len(by_person) > 1 else 'it'} cancelled, "
            f"retry by name instead (`bridge retry {' '.join(ended)}`)"
            if by_person
            else ""
        )
        + "."
    )


def _cancelled_by_person(
    by_person: Sequence[str], cancelled: Sequence[str], why: str, language: str
) -> str:
    """
    The sentence of a next step about must-run runs ``by_person`` that a person cancelled
    (``bridge cancel``), in ``language``; ``""`` when there are none: they stay cancelled, and
    ``bridge retry`` of them brings them back, with ``cancelled`` (the runs bridge cancelled
    because of them, ``why``). No cause to fix is named: the cancel was the researcher's.
    """
    if not by_person:
        return ""
    one = len(by_person) == 1
    retry = f"bridge retry {' '.join(by_person)}"
    if language == "zh":
        return (
            f"必做运行 {'、'.join(by_person)} 已由人取消（`bridge cancel`），保持取消；"
            f"要运行{'它' if one else '它们'}，运行 `{retry}` 和 `bridge run`"
            + (
                f"，这也会重新运行被 bridge 取消、未曾运行的 {'、'.join(cancelled)}"
                + (f"（{why}）" if why else "")
                if cancelled
                else ""
            )
            + "。"
        )
    return (
        f"Must-run run{'' if one else 's'} {', '.join(by_person)} "
        f"{'was' if one else 'were'} cancelled by a person (`bridge cancel`) and "
        f"{'stays' if one else 'stay'} cancelled: to run {'it' if one else 'them'}, "
        f"`{retry}` and `bridge run`"
        + (
            f"; that also runs {', '.join(cancelled)} again, which bridge cancelled without "
            f"running {'them' if len(cancelled) > 1 else 'it'}" + (f" ({why})" if why else "")
            if cancelled
            else ""
        )
        + "."
    )


def _cancelled_by_bridge(run: RunView) -> bool:
    """Whether bridge cancelled ``run`` itself because it could not go on (a run or milestone it
    waits for failed, the budget, the GPUs: its reason opens ``not run:``), not a person."""
    return run.state is RunState.CANCELLED and run.reason.startswith("not run:")


def _open_rows(outcome: Outcome, language: str) -> str:
    """
    What the researcher does about the must-run rows left open outside bridge, one clause per
    kind, in ``language`` (empty when none): work people do is set DONE once done (020's R025),
    a row the tracker says is blocked is set TODO once unblocked, and a row waiting for a run
    bridge does not run runs once that one is marked DONE. Each clause names its rows; the caller
    ends with "then run `bridge run`".
    """
    zh = language == "zh"
    sep = "、" if zh else ", "
    clauses = []
    if people := outcome.must_by_person:
        clauses.append(
            f"由人工执行的必做运行尚未完成（{sep.join(people)}）："
            "完成后把追踪表中这些行的状态改为 DONE"
            if zh
            else f"must-run rows are work people do, not done yet ({sep.join(people)}): once "
            "each is done, set its Status in the tracker to DONE"
        )
    if blocked := outcome.must_blocked:
        clauses.append(
            f"追踪表写着必做运行受阻（{sep.join(blocked)}）：阻碍解除后把这些行的状态改为 TODO"
            if zh
            else f"the tracker says must-run rows are blocked ({sep.join(blocked)}): once "
            "unblocked, set their Status to TODO"
        )
    if waiting := outcome.must_waiting_outside:
        clauses.append(
            f"必做运行等待 bridge 不运行的运行（{sep.join(waiting)}）："
            "它们等待的运行完成后，在追踪表中把那些行标为 DONE"
            if zh
            else f"must-run rows wait for runs bridge does not run ({sep.join(waiting)}): once "
            "the runs they wait for are done, mark those rows DONE in the tracker"
        )
    return ("；" if zh else "; ").join(clauses)


def _unrun_blocks(outcome: Outcome, language: str) -> str:
    """
    What the researcher does about the must-run blocks with no run and so no verdict
    (``Outcome.must_blocks_unrun``; 008's B1, B2), in ``language`` (empty when none): give
    each its runs, or, if the plan no longer needs it, cut it in the plan. The caller ends
    with "then run `bridge run`".
    """
    if not (ids := outcome.must_blocks_unrun):
        return ""
    if language == "zh":
        return (
            f"必做实验块没有任何运行，未能判定（{'、'.join(ids)}）：给每个实验块它的运行（在追踪表"
            "的 Block 列写上实验块，或在 bridge.toml 的 [[runs]] 条目上设置 block），"
            "或者若计划不再需要它，在计划中把它的 Priority 写成 CUT — <原因>"
        )
    one = len(ids) == 1
    return (
        f"must-run block{'' if one else 's'} {', '.join(ids)} {'has' if one else 'have'} no run, "
        f"so {'it was' if one else 'they were'} not judged: give "
        f"{'it' if one else 'each'} its runs (the block in the tracker's Block column, or "
        "`block` on a [[runs]] entry in bridge.toml), or, if the plan no longer needs "
        f"{'it' if one else 'one'}, write its Priority in the plan as CUT — <reason>"
    )


def _unheld_condition(outcome: Outcome, language: str) -> str:
    """
    What settles the main milestone's comparisons made under a condition the runs break
    (``Outcome.main_unheld``; 020's B2 "at the same training time", 5000 s against 2000 s), in
    ``language`` (empty when none): run the compared systems again under it, or take the
    difference into the review by dropping the condition from the plan's criterion, which
    `bridge run` judges again from the recorded numbers.
    """
    if not (unheld := outcome.main_unheld):
        return ""
    if language == "zh":
        return (
            f"{'、'.join(unheld)} 的比较所依据的条件在运行中不成立（见其判定）："
            "在该条件下重新运行所比较的系统；"
            "或者，要把这一差异交给评审，从计划的成功标准中去掉该条件，"
            "再运行 `bridge run`（按已记录的数值重新判定）。"
        )
    one = len(unheld) == 1
    return (
        f"a condition the comparison of {', '.join(unheld)} holds under does not hold in the "
        f"runs (see {'its verdict' if one else 'their verdicts'}): run the compared systems "
        "again under it, or, to take the difference into the review, drop "
        "the condition from the plan's criterion and run `bridge run` (it judges again from "
        "the recorded numbers)."
    )


def _revisit_against(state: PipelineState, outcome: Outcome, language: str) -> str:
    """
    What a negative main result's next step says to revisit the method or the plan against:
    the plan's failure interpretation where a block not met writes one, else its stop rules
    where it states any (027's B3 has no Failure interpretation, its plan "Stop/Go Rules"; the
    step pointed to a section the plan does not have), else nothing. English starts with a
    space (" against …"); Chinese is the phrase before the verb («对照…»), empty or not.
    """
    zh = language == "zh"
    blocks = {b.id: b for b in state.plan.blocks} if state.plan else {}
    if any(blocks[b].failure_interpretation.strip() for b in main_not_met(outcome) if b in blocks):
        return "对照计划中的失败解释" if zh else " against the plan's failure interpretation"
    if state.plan is not None and state.plan.stop_rules:
        return (
            "对照计划写明的停止规则（见 EXPERIMENT_RESULTS.md）"
            if zh
            else " against the plan's stop rules (quoted in EXPERIMENT_RESULTS.md)"
        )
    return ""


def next_step(
    state: PipelineState, outcome: Outcome, language: str, commands: Commands = None
) -> str:
    """
    The next step after these results, in ``language`` (:func:`_next_step`), and, once the
    pipeline is at COLLECTED, the plan's exit criteria to check against them
    (:func:`_exit_check`) and how many items of its final checklist are still unticked
    (:func:`_checklist_check`), before the handoff to the review loop where there is one: they
    say when the work is done, bridge checks none, and the step that ended a run never named
    them (036's "The paper is ready for a first full draft when: …", trial h40).
    """
    step = _next_step(state, outcome, language, commands)
    checks = [c for c in (_exit_check(state, language), _checklist_check(state, language)) if c]
    if not checks:
        return step
    sep = "" if language == "zh" else " "
    check = sep.join(checks)
    # Before the handoff, where there is one: the Chinese step has no space before its arrow
    # («…已在上面判定。→ /auto-review-loop»), so the check went after the command.
    before, handoff, after = step.partition("→ /auto-review-loop")
    head = before.rstrip()
    return f"{head}{sep}{check}{before[len(head) :]}{handoff}{after}"


def _exit_check(state: PipelineState, language: str) -> str:
    """
    The plan's exit criteria to check against the results, quoted (the first four, then how
    many more, all of them in EXPERIMENT_RESULTS.md), once the pipeline is at COLLECTED; ``""``
    before, or when the plan states none.
    """
    rules = state.plan.exit_criteria if state.plan is not None else ()
    if state.stage is not Stage.COLLECTED or not rules:
        return ""
    zh = language == "zh"
    # A rule that ends with ":" or "," goes on in the next (036's "… a first full draft when:"
    # and its list): quoted as one passage, as the plan reads.
    passages: list[str] = []
    for rule in (line(r) for r in rules[:4]):
        if passages and passages[-1].endswith((":", "：", ",", "，")):
            passages[-1] += ("" if zh else " ") + rule
        else:
            passages.append(rule)
    quoted = " ".join(f"«{p}»" for p in passages)
    rest = len(rules) - 4
    # A quote that ends its own sentence ends the step's (036's «… a negative result.»): no
    # stop after the closing guillemet.
    closed = rest <= 0 and passages[-1].endswith((".", "。", "!", "！", "?", "？"))
    if zh:
        more = f"，另有 {rest} 条" if rest > 0 else ""
        return (
            f"对照结果检查计划的退出条件（bridge 不检查它们；全部列在 EXPERIMENT_RESULTS.md 中）："
            f"{quoted}{more}{'' if closed else '。'}"
        )
    more = f" and {rest} more" if rest > 0 else ""
    return (
        "Check the plan's exit criteria against the results (bridge checks none of them; all "
        f"are listed in EXPERIMENT_RESULTS.md): {quoted}{more}{'' if closed else '.'}"
    )


def _checklist_check(state: PipelineState, language: str) -> str:
    """
    How many items of the plan's final checklist are still unticked, once the pipeline is at
    COLLECTED: the researcher ticks them in the plan, bridge never does; ``""`` before, when
    the plan has no checklist, or when every item is ticked.
    """
    plan = state.plan
    left = sum(not i.ticked for i in plan.checklist) if plan is not None else 0
    if plan is None or state.stage is not Stage.COLLECTED or not left:
        return ""
    items = plan.checklist
    where = items[0].file or plan.plan_path
    if language == "zh":
        return (
            f"计划的最终检查清单 {len(items)} 项中仍有 {left} 项未勾选（列在 EXPERIMENT_RESULTS.md "
            f"中）：结果支持某项时请在 {where} 中自行勾选；bridge 不勾选任何一项。"
        )
    return (
        f"{left} of the {len(items)} items of the plan's final checklist "
        f"{'is' if left == 1 else 'are'} still "
        f"unticked (listed in EXPERIMENT_RESULTS.md): tick each in {where} yourself once the "
        "results bear it out; bridge ticks none."
    )


def _next_step(
    state: PipelineState, outcome: Outcome, language: str, commands: Commands = None
) -> str:
    """
    The next step after these results, in ``language`` (one or two sentences).

    ``commands``: each run's command as bridge.toml gives it now, where the caller loaded the
    project (the console); without it (the results file, written from the log alone) a run is
    taken to have the command its spec recorded, and one with none is said to have been
    recorded with none, never to have none (see :func:`has_command`).

    Ablation planning: after a positive main result, the ablation planner's proposals (recorded
    as ``AblationsPlanned``) are named, or why planning was skipped; a negative or inconclusive
    result skips it and says why.
    """
    zh = language == "zh"
    if state.stage is Stage.BLOCKED and state.blocked is not None:
        reason = state.blocked.reason
        gate = reason.startswith("the gate held")
        # Held by the sanity milestone's own criterion, its runs succeeded: `bridge run` after
        # a fix of their code would block again on the same numbers (trial P1 on 006); the
        # reason says what runs them again (`bridge retry --force …`) or goes on.
        criterion = reason.startswith(ev.CRITERION_HELD)
        reason = line(blocked_in_language(reason, language))
        if criterion:
            return f"流水线已阻断：{reason}。" if zh else f"The pipeline is blocked: {reason}."
        if gate:  # a decision, not a mistake: a person overrides
            return (
                f"流水线已阻断：{reason}。要越过关卡继续，运行 `bridge approve`。"
                if zh
                else f"The pipeline is blocked: {reason}. To go on past the gate, "
                "run `bridge approve`."
            )
        # A changed input (plan, tracker, bridge.toml, the scripts) is the signal to check again.
        # A fix elsewhere (a data file, a server back up) changes none of them: `bridge run`
        # alone would block again (011's R007), so the retry that runs the failed runs is said.
        # The runs the sanity check ran: its milestone's, or the run checked alone first in a
        # plan that names no sanity milestone (034's R001).
        probe = sanity_probe(state)
        sanity = [
            r
            for r in state.runs.values()
            if r.spec.milestone in sanity_ids(state) or r.run_id == probe
        ]
        # A sanity run that "succeeded" with no number read (005's R004), or with one it cannot
        # trust (034's NaN at step 200), holds the plan as a failure does; retrying it needs
        # --force, which `bridge retry` alone refused.
        unread = [
            r.run_id
            for r in sanity
            if r.state is RunState.SUCCEEDED
            and (
                # No number, where one is asked: the check bridge picked may be a data step.
                ((r.metrics is None or not r.metrics.values) and _asked_numbers(r, probe))
                or (r.metrics is not None and any(q.blocking for q in r.metrics.quality))
            )
        ]
        sanity_failed = [
            r.run_id
            for r in sanity
            if r.attempts and r.state in ENDED_UNSUCCESSFUL and r.state is not RunState.CANCELLED
        ] + unread
        force = "--force " if unread else ""
        retry = (
            f"bridge retry {force}{' '.join(sanity_failed)}"
            if len(sanity_failed) <= 4
            else f"bridge retry {force}--milestone {sanity[0].spec.milestone}"
        )
        if not sanity_failed:
            # A later milestone's runs that failed alike (012's M3: R006, R007 "failed the same
            # way") hold the plan too, and a fix to the data changes nothing `bridge run`
            # checks: the advice looped. The failed runs the reason names are retried.
            sanity_failed = [
                r.run_id
                for r in state.runs.values()
                if r.attempts
                and r.state in ENDED_UNSUCCESSFUL
                and r.state is not RunState.CANCELLED
                and re.search(rf"(?<![\w-]){re.escape(r.run_id)}(?![\w-])", state.blocked.reason)
            ]
            # By id, however many: `--failed` would also run failed runs the block is not about.
            retry = f"bridge retry {' '.join(sanity_failed)}"
        return (
            f"流水线已阻断：{reason}。修复后运行 `bridge run`（改动过的输入会被重新检查）"
            + (
                f"；若修复不在 bridge 读取的文件里（数据、服务器、磁盘），用 `{retry}` 再运行"
                if sanity_failed
                else ""
            )
            + "。"
            if zh
            else f"The pipeline is blocked: {reason}. Fix it, then run `bridge run` "
            "(it checks the changed inputs again and goes on)"
            + (
                f"; if the fix is outside the files bridge reads (data, a server, a disk), "
                f"`{retry}` runs {'it' if len(sanity_failed) == 1 else 'them'} again"
                if sanity_failed
                else ""
            )
            + "."
        )
    if state.stage is Stage.AWAITING_APPROVAL:
        return (
            "等待批准：检查计划与预算后运行 `bridge approve`。"
            if zh
            else "Waiting for approval: check the plan and budget, then `bridge approve`."
        )
    if state.stage is not Stage.COLLECTED:
        return (
            "运行尚未全部结束：继续 `bridge run`。"
            if zh
            else "Runs are not finished: continue with `bridge run`."
        )
    # Runs cancelled because a row the tracker says failed before bridge holds their milestone
    # come back with that row's retry: `--failed` does not take them (nor the row), so the
    # advice is the row's own (018: "retry --failed" re-launched nine runs the tracker marked
    # invalid and wrote them back as passed).
    failed = [
        r
        for r in outcome.must_not_succeeded
        if not held_by_failed_before(state.runs[r]) and held_for_code_by(state.runs[r]) is None
    ]
    if failed:
        # A run that succeeded with a NaN (004's R302) is no failed run: `--failed` leaves it,
        # and its `--force` retry was first named only once the failed ones had run again.
        again = _untrusted_retry(state, outcome, language, scope="all", commands=commands)
        return (
            # With its reason, as every other next step gives it (023: a bare "消融规划已跳过。").
            f"{_failed_and_cancelled(state, failed, language)}{again}"
            "消融规划已跳过（必做运行未完成）。"
            if zh
            else f"{_failed_and_cancelled(state, failed, language)}"
            f"{f' {again}' if again else ''} Ablation planning skipped (must-run runs not "
            "done)."
        )
    # A plan whose Status line says it is stopped (014's STOPPED_R002_GEOMETRY_FAIL) launches
    # nothing: the retry advised below then stopped at BLOCKED on that line, so it comes first.
    unstop = _unstop(state, language)
    if (before := outcome.must_failed_before) and not any(
        has_command(state, r, commands) for r in before
    ):
        # 018's calibration cells were recorded with no command. The log keeps the spec a row
        # was planned with until it runs, so a `[run] command` written since may give them one
        # (trial t16): said as what was recorded, with the retry that works once bridge.toml
        # gives one, never "no command here". The Status named is the one that takes them out
        # of scope (trial t16: "change their Status" did not say to what).
        ids = ", ".join(before)
        retry = f"bridge retry {' '.join(before)}"
        return (
            f"追踪表记录必做运行在 bridge 之前已失败（{ids}）：若该结果成立，请在追踪表中把它们的 "
            "Status 改为 `NOT RUN — <原因>`（不在范围内，不计入必做运行；写 DONE 则记为已完成）；"
            "要在 bridge 下运行：bridge 记录它们时没有命令，请让 bridge.toml 给出命令（[run] "
            f"command，或带 command 的 [[runs]] 条目），{unstop}再运行 `{retry}` 和 `bridge run`。"
            if zh
            else f"The tracker says must-run runs failed before bridge ({ids}): if that result "
            "stands, set their Status in the tracker to `NOT RUN — <reason>` (out of scope, not "
            "counted among the must-run runs; DONE counts as done); to run them under bridge, "
            "bridge recorded them with no command: have bridge.toml give them one ([run] "
            f"command, or a [[runs]] entry with a command), {unstop}then `{retry}` and "
            "`bridge run`."
        )
    if before:
        ids = ", ".join(before)
        # Named one by one: `--failed` takes only failures under bridge (the researcher may
        # have marked these for good); only those with a command here can be retried.
        retry = f"bridge retry {' '.join(r for r in before if has_command(state, r, commands))}"
        held = [r for r in outcome.must_not_succeeded if held_by_failed_before(state.runs[r])]
        # Those recorded without a command are told what they need, not left to a refused
        # retry; as recorded, since bridge.toml may give them one since (trial t16).
        bare = [r for r in before if not has_command(state, r, commands)]
        return (
            f"追踪表记录必做运行在 bridge 之前已失败（{ids}）：{unstop}用 `{retry}` 和 "
            "`bridge run` 在 bridge 下重新运行"
            + (f"（被它们挡住的 {len(held)} 个运行随之运行）" if held else "")
            + (
                f"；bridge 记录 {', '.join(bare)} 时没有命令：请让 bridge.toml 给出命令（"
                "[run] command，或带 command 的 [[runs]] 条目）后同样重试"
                if bare
                else ""
            )
            + "；若该结果成立，请在追踪表中把它们的 Status 改为 `NOT RUN — <原因>`"
            "（不在范围内，不计入必做运行；写 DONE 则记为已完成）。"
            if zh
            else f"The tracker says must-run runs failed before bridge ({ids}): run them under "
            + (
                f"bridge: {unstop}then `{retry}` and `bridge run`"
                if unstop
                else f"bridge with `{retry}` and `bridge run`"
            )
            + (
                f" ({held[0]}, which they hold, runs with them)"
                if len(held) == 1
                else f" (the {len(held)} runs they hold run with them)"
                if held
                else ""
            )
            + (
                f" (bridge recorded {', '.join(bare)} with no command: have bridge.toml give "
                f"{'it' if len(bare) == 1 else 'them'} one, [run] command or a [[runs]] entry "
                "with a command, then retry the same way)"
                if bare
                else ""
            )
            + ", or, if that result stands, set their Status in the tracker to "
            "`NOT RUN — <reason>` (out of scope, not counted among the must-run runs; DONE "
            "counts as done)."
        )
    if unstop and outcome.main_result is not MainResult.POSITIVE:
        # 014 as written: R002's negative result stopped the plan, and every later row is
        # NOT_RUN_R002_FAIL. The steps below ("resolve the reasons each block's verdict
        # gives", "name main_milestone") launch nothing while its Status says it stopped:
        # that line, and the negative result that stopped it, are what the researcher decides on.
        return _stopped_step(state, outcome, language)
    if awaiting := outcome.must_awaiting_code:
        ids = ", ".join(awaiting)
        # The runs of later milestones they hold (any priority) come back with them.
        n = sum(1 for r in state.runs.values() if held_for_code_by(r) is not None)
        return (
            f"必做运行等待代码写好（{ids}）：写好后把追踪表中这些行的状态改为 TODO，再运行 "
            "`bridge run`"
            + (f"（被它们挡住的后续里程碑的 {n} 个运行随之运行）" if n else "")
            + "；若不再运行它们，请把其状态改为 NOT RUN — <原因>。"
            if zh
            else f"Must-run rows wait for their code ({ids}): once it is written, change their "
            "Status in the tracker to TODO and run `bridge run`"
            + (
                f" (the {n} run{'s' if n > 1 else ''} of later milestones they hold "
                f"{'run' if n > 1 else 'runs'} after them)"
                if n
                else ""
            )
            + "; to go on without them, mark them NOT RUN — <why>."
        )
    if empty := outcome.must_no_number:
        # A row the researcher marked out of scope after it ran (005's R010, «NOT RUN — read by
        # hand», an analysis row writing no number): neither a [metrics] edit nor a retry leaves
        # it out; deleting its row does (trial h42D, s38 F5).
        marked = [r for r in empty if r in state.runs and state.runs[r].ruled_out_after]
        if not (empty := tuple(r for r in empty if r not in marked)):
            return _marked_out_after(state, marked, language)
        first = _marked_out_after(state, marked, language) + " " if marked else ""
        ids = ", ".join(empty)
        retry = f"bridge retry --force {' '.join(empty)}"
        # A [metrics] edit is read again from the outputs the runs left (steps/code.py's
        # reload): the retry re-trains, and only a script that must change needs it (001's
        # R004, trial t9: the advice was to retry, ~9 GPU-h, where a [[metrics.regex]] did).
        return first + (
            f"必做运行没有记录任何指标数值（{ids}）：在“{_t('problems', 'zh')}”中查看读了哪些文件；"
            "若数值已在输出文件中，让 bridge.toml 的 [metrics] 指向它们，再运行 `bridge run`"
            "（它重新读取已有输出，不重新运行）；只有脚本须修改才能写出数值时，"
            f"改好后运行 `{retry}` 和 `bridge run`。"
            if zh
            else f"Must-run runs recorded no metric value ({ids}): see under "
            f'"{_t("problems", "en")}" what was read; if the numbers are in the output files, '
            "point bridge.toml's [metrics] at them and run `bridge run` (it reads the outputs "
            "again, nothing runs again); only if the script must change to write them, run "
            f"`{retry}` and `bridge run` once it is changed."
        )
    if outcome.main_result is MainResult.POSITIVE and (
        again := _untrusted_retry(state, outcome, language, scope="main", commands=commands)
    ):
        # Readiness says NO of a main milestone with a NaN or a divergence beside its met
        # criteria: handing the results on would contradict it.
        return (
            f"主要结果为正面，但还不能交给评审循环。{again}"
            if zh
            else f"The main result is positive, but not ready for the review loop. {again}"
        )
    if outcome.main_result is MainResult.POSITIVE and (
        kept := _kept_retry(state, outcome, language, main=True)
    ):
        # The positive verdict stands on numbers the inputs of now no longer give: handing it
        # on before they run again would hand on another code's result.
        return (
            f"主要结果为正面，但所依据的数值并非当前输入给出的。{kept}"
            if zh
            else f"The main result is positive, but on numbers the current inputs no longer give. "
            f"{kept}"
        )
    if outcome.main_result is MainResult.POSITIVE and (
        open_rows := ("；" if zh else "; ").join(
            x for x in (_open_rows(outcome, language), _unrun_blocks(outcome, language)) if x
        )
    ):
        # Readiness says NO while must-run rows wait outside bridge (020's R025, owner 白天：人工;
        # a row the tracker says is blocked; one waiting for such a row): "hand it to the review
        # loop" under it contradicted the line above. What makes it ready is the researcher's to
        # do, and the tracker's word to say so; a condition the runs break follows.
        unheld = _unheld_condition(outcome, language)
        then = f" {unheld[:1].upper()}{unheld[1:]}" if unheld else ""
        return (
            f"主要结果为正面，但还不能交给评审循环：{open_rows}，再运行 `bridge run`。{unheld}"
            if zh
            else "The main result is positive, but not ready for the review loop: "
            f"{open_rows}, then run `bridge run`.{then}"
        )
    if outcome.main_result is MainResult.POSITIVE and outcome.main_unheld:
        # Readiness says NO: the comparison is not yet the one the plan asks for.
        return (
            f"主要结果为正面，但还不能交给评审循环：{_unheld_condition(outcome, language)}"
            if zh
            else "The main result is positive, but not ready for the review loop: "
            f"{_unheld_condition(outcome, language)}"
        )
    if outcome.main_result is MainResult.POSITIVE:
        title = state.plan.title if state.plan is not None else ""
        handoff = f'→ /auto-review-loop "{title}"' if outcome.ready else ""
        planned = state.ablations
        if planned is not None and planned.outcome == "proposed":
            ids = ", ".join(planned.runs)
            approved = [state.runs[r] for r in planned.runs if r in state.runs]
            if not approved:
                return (
                    f"主要结果为正面。消融规划器提出了消融运行（{ids}）："
                    "用 `bridge approve` 批准后运行。"
                    if zh
                    else f"The main result is positive. The ablation planner proposed runs "
                    f"({ids}): approve them with `bridge approve`, then `bridge run`."
                )
            if any(r.state not in TERMINAL_RUN_STATES for r in approved):
                return (
                    f"主要结果为正面；已批准的消融运行（{ids}）尚未结束：继续 `bridge run`。"
                    if zh
                    else f"The main result is positive; the approved ablation runs ({ids}) "
                    "are not finished: continue with `bridge run`."
                )
            return (
                f"主要结果为正面，消融运行（{ids}）已完成：将 EXPERIMENT_RESULTS.md 交给评审循环。"
                f"{handoff}"
                if zh
                else f"The main result is positive and the ablation runs ({ids}) have run: "
                f"hand EXPERIMENT_RESULTS.md to the review loop. {handoff}"
            ).rstrip()
        why = planned.reason if planned is not None else "no ablation planner configured"
        why = in_language(why, language)
        # The plan's own ablation blocks are judged above: "consider ablating each component"
        # beside the quickstart's B3 and B4 read as if it had none (trial C).
        own = (
            [b.id for b in state.plan.blocks if ABLATION_WORD.search(b.title)] if state.plan else []
        )
        if own:
            ids = ", ".join(own)
            return (
                "主要结果为正面：将 EXPERIMENT_RESULTS.md 交给评审循环。"
                f"消融规划已跳过（{why}）；计划自己的消融（{'、'.join(own)}）已在上面判定。{handoff}"
                if zh
                else "The main result is positive: hand EXPERIMENT_RESULTS.md to the review "
                f"loop. Ablation planning skipped ({why}); the plan's own ablations ({ids}) are "
                f"judged above. {handoff}"
            ).rstrip()
        return (
            "主要结果为正面：将 EXPERIMENT_RESULTS.md 交给评审循环。"
            f"消融规划已跳过（{why}）；建议对所提方法的每个组件做消融。{handoff}"
            if zh
            else "The main result is positive: hand EXPERIMENT_RESULTS.md to the review loop. "
            f"Ablation planning skipped ({why}); consider ablating each "
            f"component of the proposed system. {handoff}"
        ).rstrip()
    # A must-run block left open by a NaN or a divergence (012's B2, R004's NLL_high_DTU NaN)
    # is resolved by running that run again: named with its command, as a failed run is.
    again = _untrusted_retry(state, outcome, language, scope="inconclusive", commands=commands)
    # A run kept as it ran feeds a verdict that its rerun may change (009's R003, trial t17).
    again = ("" if zh else " ").join(x for x in (again, _kept_retry(state, outcome, language)) if x)
    against = _revisit_against(state, outcome, language)
    if outcome.main_result is MainResult.NEGATIVE and outcome.main_unjudged:
        not_met = main_not_met(outcome)
        return (
            f"主要结果为负面（{'、'.join(not_met)} 未满足），但主要里程碑的 "
            f"{'、'.join(outcome.main_unjudged)} 未能判定：先解决上面它们的判定中给出的原因"
            "（失败运行、缺失指标、训练质量问题、规则无法检验的标准：配置 [reviewer] 来判断），"
            f"再{against}决定是否修改方法或计划。{again}消融规划已跳过（主要结果为负面）。"
            if zh
            else f"The main result is negative ({', '.join(not_met)} not met), but "
            f"{', '.join(outcome.main_unjudged)} of the main milestone "
            f"{'was' if len(outcome.main_unjudged) == 1 else 'were'} not judged: resolve "
            "the reasons their verdicts give above (failed runs, missing metrics, "
            "training-quality problems, criteria the rules cannot check: a [reviewer] judges "
            f"those) first, then revisit the method or the plan{against}."
            f"{f' {again}' if again else ''} Ablation planning skipped (main "
            "result negative)."
        )
    if outcome.main_result is MainResult.NEGATIVE:
        # A must-run block outside the main milestone left open by a NaN (001's B2, R005) is
        # named with its retry, as the docs promise: "revisit the method" alone forgot it.
        return (
            f"主要结果为负面：{against}修改方法或计划。{again}消融规划已跳过（主要结果为负面）。"
            if zh
            else f"The main result is negative: revisit the method or the plan{against}."
            f"{f' {again}' if again else ''} Ablation planning "
            "skipped (main result negative)."
        )
    if state.plan is not None and not state.plan.blocks:
        # 032: no block, so no criterion; main_milestone cannot help. The file is named: this
        # step is also the last line `bridge run` prints, where nothing "above" holds the
        # numbers (026, trial t12).
        return (
            "计划中没有实验块：各运行的数值见 EXPERIMENT_RESULTS.md 的“按里程碑的结果”；"
            "要有判定，请在计划中写出带成功标准的实验块，再运行 `bridge run`。"
            "消融规划已跳过（主要结果无定论）。"
            if zh
            else "The plan has no experiment blocks: each run's numbers are in "
            "EXPERIMENT_RESULTS.md under “Results by milestone”; for verdicts, give the plan "
            "experiment blocks with success "
            "criteria, then run `bridge run`. Ablation planning skipped (main result "
            "inconclusive)."
        )
    if outcome.main_milestone is None and not (state.plan and state.plan.milestones):
        # 017: no milestone to name, so main_milestone cannot help; the blocks are all there is.
        # What to write, and why its run-order list gave none, as `bridge plan` says them (033's
        # next step said "a numbered list of steps is none" where the warning said a list would
        # do).
        at = unnamed_list_line(state.plan.warnings) if state.plan else None
        if zh:
            why = f"（{UNNAMED_LIST_ZH.format(line=at)}）" if at is not None else ""
            return (
                # The terminal prints no verdict above this step: the page is named.
                f"计划没有里程碑{why}，因而没有主要结果：请逐一阅读 EXPERIMENT_RESULTS.md "
                "中各实验块的判定（“实验块：成功标准与判定”）；要有主要结果，"
                f"请写出{MILESTONES_TO_WRITE_ZH}，再运行 `bridge run`。{again}"
                "消融规划已跳过（主要结果无定论）。"
            )
        why = f" ({UNNAMED_LIST.format(line=at)})" if at is not None else ""
        return (
            f"The plan has no milestones{why}, so it has no main result: read each block's "
            "verdict in EXPERIMENT_RESULTS.md (“Blocks: criteria and verdicts”); for a main "
            f"result, write {MILESTONES_TO_WRITE}, then run "
            f"`bridge run`.{f' {again}' if again else ''} Ablation planning skipped (main result "
            "inconclusive)."
        )
    if outcome.main_milestone is None:
        # Nothing was judged as the main result: the one thing to do is to say which it is,
        # with a value that names one of the plan's milestones (034's have no M-ids).
        milestones = (
            holding_blocks([m for m in state.plan.milestones if not m.sanity], outcome.milestones)
            if state.plan
            else []
        )
        setting = main_milestone_setting(milestones)
        listed = ", ".join(m.id for m in milestones)
        return (
            f"计划中未识别出主要里程碑：在 bridge.toml [bridge] 中用 {setting} 指定"
            + (f"（里程碑：{listed}）" if listed else "")
            + f"，然后运行 `bridge run`。{again}消融规划已跳过（主要结果无定论）。"
            if zh
            else "No main milestone was recognised in the plan: name it with "
            f"{setting} in bridge.toml [bridge]"
            + (f" (milestones: {listed})" if listed else "")
            + f", then run `bridge run`.{f' {again}' if again else ''} "
            "Ablation planning skipped (main result inconclusive)."
        )
    if main_empty(outcome.milestones, outcome.main_milestone):
        # 023 with main_milestone = "M4" (Confirm): its runs belong to no block, so there is no
        # verdict to resolve; "resolve the reasons each block's verdict gives" led nowhere.
        main = outcome.main_milestone
        known = [b.id for b in state.plan.blocks] if state.plan else []
        blocks = ", ".join(known[:8]) + (", …" if len(known) > 8 else "")
        has_runs = any(m.run_ids for m in outcome.milestones if m.info.id == main)
        # Only a milestone holding a block has something to judge as the main result.
        others = ", ".join(
            m.info.id
            for m in outcome.milestones
            if m.blocks and m.info.id != main and m.sanity_passed is None
        )
        if zh:
            on_runs = (
                "，或为它的运行设置 `block`（bridge.toml 的 [[runs]] 或 [systems]，"
                "或追踪表的 Block 列）"
            )
            another = (
                f"，或在 bridge.toml [bridge] 中用 main_milestone 指定有实验块的里程碑（{others}）"
            )
            return (
                f"主要里程碑 {main} 没有实验块，无可判定：请在计划中它的行的 Runs 或 Goal 单元格"
                f"写上它的实验块（计划的实验块：{blocks}）{on_runs if has_runs else ''}"
                f"{another if others else ''}，然后运行 `bridge run`。{again}"
                "消融规划已跳过（主要结果无定论）。"
            )
        on_runs = (
            ", or set `block` on its runs ([[runs]] or [systems] in bridge.toml, or the "
            "tracker's Block column)"
        )
        another = f", or name a milestone that holds one with main_milestone ({others})"
        return (
            f"The main milestone {main} holds no block, so there is nothing to judge: name its "
            f"block in its row's Runs or Goal cell of the plan (the plan's blocks: {blocks})"
            f"{on_runs if has_runs else ''}{another if others else ''}, then run `bridge run`."
            f"{f' {again}' if again else ''} Ablation planning skipped (main result inconclusive)."
        )
    if rows := _open_rows(outcome, language):
        # Must-run rows still open outside bridge (014 once its Status line goes on: R003-R010
        # NOT_RUN_R002_FAIL, blocked): the step said only "resolve the reasons each block's
        # verdict gives", where the stopped plan's step had said to set them TODO.
        return (
            f"主要结果无定论：{rows}，再运行 `bridge run`；同时解决各实验块判定中给出的其他原因"
            "（失败运行、缺失指标、训练质量问题、规则无法检验的标准：配置 [reviewer] 来判断）。"
            f"{again}消融规划已跳过（主要结果无定论）。"
            if zh
            else f"The main result is inconclusive: {rows}, then run `bridge run`; resolve the "
            "other reasons each block's verdict gives above (failed runs, missing metrics, "
            "training-quality problems, criteria the rules cannot check: a [reviewer] judges "
            f"those) too.{f' {again}' if again else ''} Ablation planning skipped (main result "
            "inconclusive)."
        )
    return (
        "主要结果无定论：先解决各实验块判定中给出的原因（失败运行、缺失指标、训练质量问题、"
        f"规则无法检验的标准：配置 [reviewer] 来判断）。{again}消融规划已跳过（主要结果无定论）。"
        if zh
        else "The main result is inconclusive: resolve the reasons each block's verdict gives "
        "above (failed runs, missing metrics, training-quality problems, criteria the rules "
        f"cannot check: a [reviewer] judges those) first.{f' {again}' if again else ''} "
        "Ablation planning skipped (main result inconclusive)."
    )


def _negative_before(state: PipelineState) -> list[str]:
    """
    The runs the tracker says completed with a negative result before bridge (014's R002
    ``COMPLETE_FAIL_HARD_STOP``), each with its Status as written: ``R002 (COMPLETE_FAIL_…)``.
    """
    return [
        f"{r.run_id} ({researchers_status(r.found_status) or r.found_status})"
        for r in state.runs.values()
        if r.negative_before_bridge
    ]


def _stopped_step(state: PipelineState, outcome: Outcome, language: str) -> str:
    """
    The next step of a plan whose Status line says it stopped, its main result not positive:
    the line, the negative results the tracker records (what stopped 014), and what goes on
    (the line changed, the rows the tracker holds set TODO), or, if it stops here, that the
    results are its record. Ends with the ablation note, as every other step does.
    """
    zh = language == "zh"
    said = recorded_stopped(state.plan.warnings if state.plan else ())
    negative = _negative_before(state)
    rows = _open_rows(outcome, language)
    if zh:
        why = f"；追踪表记录 {'、'.join(negative)} 为已完成运行的负结果" if negative else ""
        return (
            f"计划的 Status 行写着 {said}：它这样写时 bridge 不启动任何运行{why}。"
            "若计划到此为止，EXPERIMENT_RESULTS.md 就是它的记录；要继续，先修改计划的 Status 行"
            + (f"；{rows}；再运行 `bridge run`" if rows else "，再运行 `bridge run`")
            + "。消融规划已跳过（主要结果"
            + ("为负面" if outcome.main_result is MainResult.NEGATIVE else "无定论")
            + "）。"
        )
    why = (
        f"; the tracker records {', '.join(negative)} as "
        f"{'a negative result' if len(negative) == 1 else 'negative results'} of "
        f"{'a completed run' if len(negative) == 1 else 'completed runs'}"
        if negative
        else ""
    )
    return (
        f"The plan's Status line says {said}: bridge launches none of its runs while it says "
        f"so{why}. If the plan stops here, EXPERIMENT_RESULTS.md is its record; to go on, "
        "change the plan's Status line"
        + (f"; {rows}; then run `bridge run`" if rows else ", then run `bridge run`")
        + ". Ablation planning skipped (main result "
        + ("negative" if outcome.main_result is MainResult.NEGATIVE else "inconclusive")
        + ")."
    )


def _unstop(state: PipelineState, language: str) -> str:
    """
    What to do first when the loaded plan's Status line says it is stopped, ending in ``", "``
    (``"change the plan's Status line ('STOPPED_…': …), "``), or ``""`` when it does not: while
    it says so `bridge run` launches none of the runs a retry brings back.
    """
    said = recorded_stopped(state.plan.warnings if state.plan else ())
    if not said:
        return ""
    if language == "zh":
        return f"先修改计划的 Status 行（{said}：它这样写时 bridge 不启动任何运行），"
    return (
        f"change the plan's Status line ({said}: bridge launches none of its runs while it "
        "says so), "
    )


# The most left-out metric names the sentence under a block's table spells out.
_LEFT_NAMED = 12


def _left_out(result: BlockResult, language: str) -> str:
    """
    The sentence under a block's table naming the metrics its runs recorded that the table
    leaves out (neither the block's Metrics line nor its criterion as read names them; a clause
    the rules cannot read may still mention one), or ``""`` when it shows every one: results.json
    has a row for each, and a reader of the table alone took the missing ones for never
    measured (029's `coverage` beside its AUROC rows, trial T3).
    """
    left = list(dict.fromkeys(a.metric for a in result.aggregates if a.metric not in result.shown))
    if not left:
        return ""
    named = ", ".join(f"`{line(m)}`" for m in left[:_LEFT_NAMED])
    more = len(left) - _LEFT_NAMED
    if language == "zh":
        extra = f"（另有 {more} 个）" if more > 0 else ""
        return (
            "另有已记录的指标未列入此表（此表只列实验块的指标列表与解析出的成功标准所指的指标；"
            f"每个数值见 results.json 与 results.csv）：{named}{extra}。"
        )
    extra = f" (+{more} more)" if more > 0 else ""
    return (
        "Also recorded, not in this table (it holds the metrics the block's Metrics line and "
        f"its criterion as read name; results.json and results.csv hold every value): "
        f"{named}{extra}."
    )


def _gate_lines(state: PipelineState, runs: Sequence[RunView], language: str) -> list[str]:
    """
    The milestone's runs' own gates, one item per run, each clause judged against the run's
    recorded value or quoted as not checked, with why (:func:`gate_clauses`); nothing when no
    run of it has a gate.
    """
    units = metric_units(state)
    gated = [
        (r.run_id, gate, gate_clauses(r, gate, units))
        for r in runs
        if (gate := gate_of(state, r.run_id))
    ]
    if not gated:
        return []

    def words(reason: str) -> str:
        return in_language(reason, language)

    return [
        f"- **{_t('run_gates', language)}:**",
        *(
            f"  - {run_id}: {line(gate_said(gate, said, language, words))}"
            for run_id, gate, said in gated
        ),
        "",
    ]


def _aggregate_system(
    state: PipelineState, block: ev.BlockInfo, system: str, run_ids: Sequence[str]
) -> str:
    """
    The System cell of a block's aggregate row: ``system``, and, for a block with no Compared
    systems that knows its runs by the aliases its criterion writes (012's "variant 2"), the
    runs' own system beside it, "variant 2 (per-gene macro dynamic head)": the alias alone
    left the reader to find in bridge.toml which system it was (trial h40C).
    """
    own = {state.runs[r].spec.system for r in run_ids if r in state.runs}
    if block.systems or not system or len(own) != 1 or system in own or "" in own:
        return system
    if system.startswith(f"{next(iter(own))} ("):
        return system  # one of a system's runs that are no seeds of one another, already named
    return f"{system} ({own.pop()})"


def _block_section(state: PipelineState, result: BlockResult, language: str) -> list[str]:
    block = result.block
    lines = [f"### {block.id}" + (f": {block.title}" if block.title else ""), ""]
    text = block.success_criterion or _t("none", language)
    lines.append(f"- **{_t('criterion', language)}:** {text}")
    if isinstance(result.criterion, Criterion) and (
        shared := shared_subject_reason(result.criterion, result.candidate)
    ):
        lines.append(f"- **{_t('unparsed', language)}:** {line(in_language(shared, language))}")
    elif isinstance(result.criterion, Criterion):
        said = criterion_in_language(result.criterion, language)
        lines.append(f"- **{_t('parsed', language)}:** {_code(said)}")
    elif isinstance(result.criterion, Compound):
        lines.append(f"- **{_t('parsed', language)}:**")
        for position, clause in enumerate(result.criterion.clauses, 1):
            # 039's B3 «GNN 同时优于 MART»: read "the proposed system vs MART" while the verdict
            # (and `bridge plan`) said its "GNN" could be any of several systems (h41D).
            shared = (
                shared_subject_reason(clause, result.candidate)
                if isinstance(clause, Criterion)
                else None
            )
            if shared:
                reason = line(in_language(shared, language))
                lines.append(f"  {position}. {_t('unparsed', language)}: {reason}")
            elif isinstance(clause, Criterion):
                lines.append(f"  {position}. {_code(criterion_in_language(clause, language))}")
            else:
                reason = line(in_language(clause.reason, language))
                lines.append(f"  {position}. {_t('unparsed', language)}: {reason}")
        if result.criterion.alternatives:
            parts = " | ".join(
                ", ".join(str(i + 1) for i in part) for part in result.criterion.alternatives
            )
            lines.append(
                f"  {_t('either', language)} {parts}" + (" 条" if language == "zh" else "")
            )
    elif block.success_criterion:
        reason = line(in_language(result.criterion.reason, language))
        lines.append(f"- **{_t('unparsed', language)}:** {reason}")
    if isinstance(result.criterion, (Compound, Criterion)):
        # A sentence the plan calls a bonus (006's B6), or one saying what is not required
        # (008's B4), left out of the clauses: said here as
        # `bridge plan` says it (an Unparsed criterion says it in its reason).
        lines.extend(
            f"  - {t('plan_bonus', language).format(note=line(in_language(note, language)))}"
            for note in words_left_out(result.criterion.notes)
        )
    verdict = result.verdict
    try:
        scope = claim_scope(EvaluationType(block.evaluation_type), language=language)
    except ValueError:
        scope = ""
    lines.append(f"- **{_t('evaluation', language)}:** `{block.evaluation_type}` — {scope}")
    # The plan's claims the block tests, beside its verdict: what a met or not met bears on
    # (the claim map was read and shown nowhere, trial h39D on 032).
    if block.claims:
        said = "; ".join(
            " ".join(part for part in (c.id, f"«{line(c.text)}»" if c.text else "") if part)
            for c in block.claims
        )
        lines.append(f"- **{_t('claims_tested', language)}:** {said}")
    # As the main result: the English word is what a program reads, the Chinese one beside it.
    if language == "zh":
        word = VERDICT_ZH[verdict.verdict]
        judge = {JudgedBy.RULE: "规则", JudgedBy.REVIEWER: "评审者"}[verdict.judged_by]
        said = f"**{verdict.verdict.value}**（{word}，判定者：{judge}）"
    else:
        said = f"**{verdict.verdict.value}** (judged by {verdict.judged_by.value})"
    lines.append(
        f"- **{_t('verdict', language)}:** {said} — {line(in_language(verdict.reason, language))}"
    )
    # Right under the verdict, in the plan warning's words: thresholds the plan states outside
    # the criterion (tiers, a block with no criterion) were warned of at `bridge plan` alone,
    # and a reader of the verdict took them for checked (033's E3 and E5, 038's B2).
    lines.extend(
        f"- **{_t('not_judged', language)}:** {line(warning_in_language(message, language))}"
        for message in recorded_unread(state.plan.warnings if state.plan else (), block.id)
    )
    # Beside the verdict, not in it: a run's own gate (011's R014 "Dev macro F1 ≥ 0.60") is the
    # run's, and the verdict is the criterion's; one who reads only the verdict must still see
    # that a run it rests on missed its gate.
    if unmet := gates_not_met(state, (*result.run_ids, *result.shared)):
        said = "; ".join(f"{run_id} «{c.text}» ({c.said})" for run_id, c in unmet)
        lines.append(f"- **⚠ {_t('gates_not_met', language)}:** {line(said)}")
    runs = ", ".join(r for r in result.run_ids if not _row_gone(state, r)) or "-"
    # A row split into seeds is listed where it is set aside, not among the runs shared from
    # other blocks either (002's B1: "shared from other blocks: R007, R007-s42, …", trial t10).
    shared_ids = [r for r in result.shared if not _row_gone(state, r)]
    shown = [f"{_t('shared', language)}: {', '.join(shared_ids)}"] if shared_ids else []
    if apart := _sanity_apart(state, result):
        # `bridge plan` lists them with the block, marked "(sanity)": named here too, with why
        # they are not among the runs judged (009's B1 read "Runs: R002" beside the plan's
        # "R001 (sanity); …: R002", R001 done before bridge with no numbers to list below).
        shown.append(f"{_t('sanity_apart', language)}: {', '.join(apart)}")
    # As the shared runs were said before, in both languages.
    more = f" ({'; '.join(shown)})" if shown else ""
    lines.append(f"- **{_t('runs', language)}:** {runs}{more}")
    lines.append("")
    rows = [
        # Runs that name no system (015's B6) have an empty cell said as "-", like a value.
        (
            _aggregate_system(state, block, a.system, a.run_ids) or "-",
            a.metric,
            number(a.mean),
            "-" if a.std is None else spread_text(a.std),
            # n counts the finite values; the Runs cell lists every run, NaN ones too (trial C:
            # "n = 2" beside three runs read as a run lost).
            f"{a.n} (+{a.n_nonfinite} NaN/Inf)" if a.n_nonfinite else a.n,
            ", ".join(a.run_ids),
        )
        for a in result.aggregates
        if a.metric in result.shown
    ]
    if rows:
        lines.extend([table(AGGREGATE_HEADER, rows), ""])
        if left := _left_out(result, language):
            lines.extend([left, ""])
    else:
        # 036's M0.1 … M1.2, done before bridge: "yet" read as runs still to come.
        before = bool(result.run_ids) and all(
            r in state.runs and state.runs[r].state is RunState.DONE_BEFORE for r in result.run_ids
        )
        note = line(unmatched_note(state, result, language)) or _t(
            "no_values_before" if before else "no_values", language
        )
        lines.extend([note, ""])
    if result.sanity_numbers:
        lines.extend(
            [
                f"{_t('sanity_numbers', language)}:",
                "",
                *(f"- {line(n)}" for n in result.sanity_numbers),
                "",
            ]
        )
    return lines


def _sanity_apart(state: PipelineState, result: BlockResult) -> tuple[str, ...]:
    """
    The block's own runs of a sanity milestone that it is not judged on
    (:func:`~bridge.projections.block_runs.sanity_apart`), in planning order: its rows gone
    from the plan and the tracker's implementation tasks aside, as from its runs.
    """
    sanity = sanity_ids(state)
    judged = set(result.run_ids)
    return tuple(
        run.run_id
        for run in state.runs.values()
        if run.spec.block == result.block.id
        and run.spec.milestone in sanity
        and run.run_id not in judged
        and not run.is_task
        and not _row_gone(state, run.run_id)
    )


def _blocks_placed(state: PipelineState, outcome: Outcome) -> dict[str, list[str]]:
    """Each block's milestones that hold its runs (not the tracker's tasks), in plan order."""
    order = [m.info.id for m in outcome.milestones]
    pairs = ((r.spec.block, r.spec.milestone) for r in state.runs.values() if not r.is_task)
    return blocks_placed(pairs, order)


def _row_gone(state: PipelineState, run_id: str) -> bool:
    """
    Whether ``run_id``'s row is no longer in the plan as it ran (deleted, or split into seeds:
    :func:`row_gone`): listed once, under the runs bridge did not launch, with why, not among
    a milestone's or a block's runs (039's R004b stayed in B2's "**运行:**", trial t8).
    """
    run = state.runs.get(run_id)
    return run is not None and run.state is RunState.OUT_OF_SCOPE and row_gone(run.reason)


def render(state: PipelineState, language: str = "en") -> str:
    """
    Render the results file; ``""`` before a plan is in the log. Pure: same state, same bytes.
    """
    if state.plan is None:
        return ""
    outcome = evaluate(state)
    plan = state.plan
    date = state.last_content_at.strftime("%Y-%m-%d") if state.last_content_at else "-"
    lines = [
        f"# {_t('title', language)}: {plan.title}" if plan.title else f"# {_t('title', language)}",
        "",
        stamp(state, language),
        "",
        f"- **{_t('date', language)}:** {date}",
        f"- **{_t('plan', language)}:** `{plan.plan_path}` (sha256 `{plan.plan_sha256[:12]}`)",
        f"- **{_t('stage', language)}:** `{state.stage.value}`",
        *([f"- {note}"] if (note := unavailable_note(state, language)) else []),
        "",
        # Before any number: a reader taking these results on must know which came from
        # settings or code the plan no longer has.
        *_kept_section(state, language),
        *_carried_section(state, language),
        f"## {_t('by_milestone', language)}",
        "",
    ]
    planned = {m.id for m in plan.milestones}
    keys, primaries, listed, judged = _key_inputs(state)
    for milestone in outcome.milestones:
        info = milestone.info
        label = info.name or info.goal
        if info.id not in planned:
            label = t("results_not_in_plan", language) if info.id else ""
        blocks = ", ".join(milestone.blocks)
        shown = info.id or t("status_no_milestone", language)
        lines.append(
            f"### {shown}" + (f": {label}" if label else "") + (f" ({blocks})" if blocks else "")
        )
        lines.append("")
        if not info.id:
            # Why no milestone can be told for them (033's plan has none: all 25 runs here,
            # E5's seeds among them, with no word why).
            why = "no_milestone_none" if not planned else "no_milestone_unnamed"
            stop = "。" if language == "zh" else "."  # a Chinese sentence ends with its own stop
            lines.extend([f"{_t('no_milestone_why', language)}{t(why, language)}{stop}", ""])
        if info.sanity:
            lines.extend([f"**{_t('sanity_' + sanity_check(state, milestone), language)}**", ""])
        if info.gate:
            # Quoted, never judged: a milestone that finished must not read as a gate passed.
            lines.extend([f"- **{_t('decision_gate', language)}:** «{line(info.gate)}»", ""])
        if info.id and (shift := recorded_shift(plan.warnings, info.id)) is not None:
            # The name and gate above are the plan's for this id; `bridge plan` warned that
            # these rows read like another milestone's (021's channel ablations under "M5:
            # 论文整合"), and one who checks the gate by hand must not check the wrong one.
            said = _t("shifted_planned" if info.id in planned else "shifted_unplanned", language)
            said = said.format(id=info.id)
            lines.extend(
                [
                    f"- **⚠ {_t('shifted', language)}:** "
                    f"{shifted_item_in_language(shift, language)}{said}",
                    "",
                ]
            )
        elif info.id and (shift := recorded_shift(plan.warnings, info.id, onto=True)) is not None:
            # 021's "M4: 通道消融" and its gate over R010, R011 (boundary scans): the rows that
            # read like the plan's M4 sit under M5, and M4's own rows were shown under a name
            # and gate not theirs with no word.
            said = _t("shifted_onto", language).format(id=info.id)
            lines.extend(
                [
                    f"- **⚠ {_t('shifted', language)}:** "
                    f"{shifted_item_in_language(shift, language)}{said}",
                    "",
                ]
            )
        runs = [state.runs[r] for r in milestone.run_ids if not _row_gone(state, r)]
        if runs:
            rows = [
                (
                    r.run_id,
                    _system_cell(r, language),
                    _key_cell(r, listed, language, keys, primaries, judged),
                    _status_cell(r, language),
                )
                for r in runs
            ]
            lines.extend([table(RUN_HEADER, rows), ""])
            lines.extend(_gate_lines(state, runs, language))
        elif not milestone.run_ids and info.id in planned and milestone.blocks:
            # Why, where it is shown (018's M2: its block's runs went to M3 with their arms;
            # only `bridge plan`'s warning said so, trial t16).
            lent = runs_of_its_systems(
                ((b.id, b.systems) for b in plan.blocks),
                (
                    (r.run_id, r.spec.block, r.spec.block_system or r.spec.system)
                    for r in state.runs.values()
                    if not r.is_task and not _row_gone(state, r.run_id)
                ),
            )
            why = why_no_runs(milestone.blocks, _blocks_placed(state, outcome), language, lent)
            lines.extend([_t("no_runs_why", language).format(why=why), ""])
        else:
            lines.extend([_t("no_runs", language), ""])
    if plan.stop_rules:
        # Quoted, never checked, like a decision gate: the researcher reads them against the
        # results below.
        lines.extend([f"## {_t('stop_rules', language)}", ""])
        lines.extend(f"- «{line(rule)}»" for rule in plan.stop_rules)
        lines.append("")
    if plan.exit_criteria:
        # Apart from the stop rules: they say when the work is done, not when to give it up.
        lines.extend([f"## {_t('exit_criteria', language)}", ""])
        lines.extend(f"- «{line(rule)}»" for rule in plan.exit_criteria)
        lines.append("")
    # 017's "## Required Baselines" and "## Metrics", shown nowhere before (trial s43 h43D).
    if baselines := plan.options.get(BASELINES_OPTION, "").splitlines():
        systems = [s for b in plan.blocks for s in b.systems]
        lines.extend([f"## {_t('baselines', language)}", ""])
        lines.extend(
            f"- «{line(b)}»"
            + (
                _t("baseline_unlisted", language)
                if systems and compared_by_no_block(b, systems)
                else ""
            )
            for b in baselines
        )
        lines.append("")
    if metrics := plan.options.get(PLAN_METRICS_OPTION, "").splitlines():
        lines.extend([f"## {_t('plan_metrics', language)}", ""])
        lines.extend([", ".join(f"`{line(m)}`" for m in metrics), ""])
    if plan.checklist:
        # The plan's own, as written: bridge judges blocks, not these items, and never ticks
        # one (16 of the corpus plans end with one; it was read nowhere).
        ticked = sum(i.ticked for i in plan.checklist)
        where = plan.checklist[0].file or plan.plan_path
        count = _t("checklist_count", language).format(
            n=len(plan.checklist), ticked=ticked, file=line(where)
        )
        lines.extend([f"## {_t('checklist', language)}", "", count, ""])
        lines.extend(
            f"- [{'x' if i.ticked else ' '}] «{line(i.text)}» ({line(i.file)}:{i.line})"
            for i in plan.checklist
        )
        lines.append("")
    lines.extend([f"## {_t('blocks', language)}", ""])
    if plot.shown(state):
        lines.extend([f"![{_t('plot', language)}](results.png)", ""])
    # The plan's own success criteria when every block has its own: no block's, said once.
    for message in recorded_plan_wide(plan.warnings):
        said = line(warning_in_language(message, language))
        lines.extend([f"- **{_t('not_judged', language)}:** {said}", ""])
    for result in outcome.blocks:
        lines.extend(_block_section(state, result, language))
    if not outcome.blocks:
        # 032's plan has no experiment blocks: an empty heading read as if verdicts were lost.
        lines.extend([_t("no_blocks", language), ""])
    if outcome.unattributed:
        lines.extend(
            [f"## {_t('unattributed', language)}", "", _t("unattributed_note", language), ""]
        )
        # Which blocks are judged on each, said rather than left to the note: the quickstart's
        # R021 decided B2 while listed here (trial t15).
        sep = "、" if language == "zh" else ", "
        stray = [
            (
                run_id,
                _system_cell(state.runs[run_id], language),
                _key_cell(state.runs[run_id], listed, language, keys, primaries, judged),
                in_language(reason, language),
                sep.join(b.block.id for b in outcome.blocks if run_id in b.run_ids)
                or _t("counted_nowhere", language),
            )
            for run_id, reason in outcome.unattributed
        ]
        header = (
            RUN_HEADER[0],
            RUN_HEADER[1],
            RUN_HEADER[2],
            _t("reason", language),
            _t("counted_in", language),
        )
        lines.extend([table(header, stray), ""])
    not_run = [r for r in state.runs.values() if r.state in NOT_BRIDGES_RUN_STATES]
    if not_run:
        lines.extend([f"## {_t('not_run', language)}", "", _t("not_run_note", language), ""])
        for run in not_run:
            what = (
                ("failed_before" if ended_failed(run.found_status) else "done_before")
                if run.state is RunState.DONE_BEFORE
                else (
                    "blocked"
                    if run.blocked_in_tracker
                    else (
                        "by_person"
                        if run.by_person
                        else (
                            "waiting"
                            if run.waits_outside
                            # 023's R020: "out of scope" beside a summary saying it waits;
                            # bridge's, for a row split into seeds or removed: no decision of
                            # the researcher's to leave it out (002's R007, trial t10).
                            else (
                                "awaiting_code"
                                if run.awaiting_code
                                else ("set_aside" if row_gone(run.reason) else "out_of_scope")
                            )
                        )
                    )
                )
            )
            reason = line(split_in_language(run.reason, language))
            lines.append(f"- {run.run_id} — {_t(what, language)}: {reason or '-'}")
        lines.append("")
    lines.extend([f"## {_t('quality', language)}", ""])
    if outcome.flags:
        for run_id, flag in outcome.flags:
            level = _t("blocking" if flag.blocking else "info", language)
            message = line(quality_in_language(flag.message, language))
            lines.append(f"- {run_id} `{flag.kind}` ({level}): {message}")
    else:
        lines.append(_t("quality_none", language))
    lines.append("")
    problems = [(r.run_id, p) for r in state.runs.values() if r.metrics for p in r.metrics.problems]
    if problems:
        lines.extend([f"## {_t('problems', language)}", ""])
        lines.extend(
            f"- {run_id} `{line(p.source)}`"
            + ("" if p.blocking else f" ({_t('info', language)})")
            + f": {line(_problem_words(p.message, language))}"
            for run_id, p in problems
        )
        lines.append("")
    shown_milestones = holding_blocks(
        state.plan.milestones if state.plan is not None else (), outcome.milestones
    )
    setting = main_milestone_setting(shown_milestones) + milestones_listed(
        shown_milestones, zh=language == "zh"
    )
    # The English word is what a program reads; Chinese readers get their word beside it.
    main_word = f"`{outcome.main_result.value}`" + (
        f"（{_RESULT_WORDS[outcome.main_result][1]}）" if language == "zh" else ""
    )
    # A negative result beside main blocks never judged says so where it is read (015's
    # headline B3 inconclusive beside B6 not met).
    unjudged = (
        (
            f"；{'、'.join(main_not_met(outcome))} 未满足，"
            f"{'、'.join(outcome.main_unjudged)} 未能判定（无定论）"
            if language == "zh"
            else f"; not met: {', '.join(main_not_met(outcome))}; not judged (inconclusive): "
            f"{', '.join(outcome.main_unjudged)}"
        )
        if outcome.main_unjudged
        else ""
    )
    # A main milestone with nothing in it says so beside its word (018's M4).
    empty = main_empty(outcome.milestones, outcome.main_milestone, zh=language == "zh")
    colon = "：" if language == "zh" else ": "
    main = (
        f"{main_word} ({outcome.main_milestone}{unjudged}{colon}{empty})"
        if outcome.main_milestone and empty
        else f"{main_word} ({outcome.main_milestone}{unjudged})"
        if outcome.main_milestone
        else f"{main_word} ({_t('main_no_blocks', language)})"
        if not outcome.blocks
        # No milestone for main_milestone to name (030): the setting is no advice there, the
        # readiness line says to give the plan milestones.
        else f"{main_word} ({_t('main_no_milestones', language)})"
        if not shown_milestones
        else f"{main_word} ({_t('main_none', language).format(setting=setting)})"
    )
    # As the main result: YES/NO is what a program reads, with the Chinese word beside it.
    ready = ("YES" if outcome.ready else "NO") + (
        ("（是）" if outcome.ready else "（否）") if language == "zh" else ""
    )
    reasons = outcome.not_ready_zh if language == "zh" else outcome.not_ready
    # Chinese reasons are joined as the Chinese summary joins them, "；" (025 read "…; …").
    joined = ("；" if language == "zh" else "; ").join(reasons)
    why = (
        f" — {_t('why_not', language)}: {line(joined)}"
        if not outcome.ready
        else line(ready_caveat(state, outcome, language))
    )
    # Outside the main milestone when there is one; with none, every block is outside it.
    untrusted_label = "untrusted_elsewhere" if outcome.main_milestone else "untrusted"
    not_met_label = "not_met_elsewhere" if outcome.main_milestone else "not_met_any"
    lines.extend(
        [
            f"## {_t('summary', language)}",
            "",
            f"- **{_t('must', language)}:** {must_completed(outcome, zh=language == 'zh')}",
            f"- **{_t('nice', language)}:** {outcome.nice_done}/{outcome.nice_total}",
            f"- **{_t('main', language)}:** {main}",
            *(
                [f"- **{_t(not_met_label, language)}:** {', '.join(elsewhere)}"]
                if (elsewhere := not_met_elsewhere(outcome))
                else []
            ),
            *(
                [f"- **{_t(untrusted_label, language)}:** {untrusted}"]
                if (untrusted := untrusted_phrase(outcome, zh=language == "zh"))
                else []
            ),
            *(
                [f"- **{_t('kept', language)}:** {', '.join(kept)}"]
                if (kept := [r.run_id for r in state.runs.values() if r.kept is not None])
                else []
            ),
            # Beside the main result, not in it: runs that missed their own gate (011's sanity
            # run R012 "Loss < 0.1", in no block, said only under its milestone otherwise).
            *(
                [f"- **{_t('gates_missed', language)}:** {', '.join(dict.fromkeys(missed))}"]
                if (missed := [run_id for run_id, _ in gates_not_met(state, sorted(state.runs))])
                else []
            ),
            f"- **{_t('ready', language)}:** {ready}{why}",
            "",
            f"## {_t('next', language)}",
            "",
            next_step(state, outcome, language),
            "",
        ]
    )
    return "\n".join(lines)


def _code(text: str) -> str:
    """
    ``text`` as a Markdown code span that holds it whole: a reading naming a system written as
    code (020's B2 `` `typed_event_body_memory` 对比 … ``) closed the span at its first backtick
    and opened another at its last, shown as ``typed…` with the rest unformatted.
    """
    if "`" not in text:
        return f"`{text}`"
    fence = "`" * (max(len(run) for run in re.findall(r"`+", text)) + 1)
    return f"{fence} {text} {fence}"
