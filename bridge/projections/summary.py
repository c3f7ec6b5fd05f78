"""
The handoff summary ``bridge run`` prints when it stops: what was implemented and run, what
came out, where the files are, and what to do next. Pure: a function of the state.
"""

from __future__ import annotations

from collections.abc import Sequence

from bridge.events.values import Severity
from bridge.machine.fold import PipelineState
from bridge.machine.judge import NOT_COMPARED, NOT_HELD, MainResult
from bridge.machine.scheduler import held_by_failed_before, held_for_code_by
from bridge.machine.stages import ENDED_UNSUCCESSFUL, RunState
from bridge.machine.views import RunView
from bridge.plan.overview import counted
from bridge.plan.priority import Priority
from bridge.plan.recorded_status import done_by_person
from bridge.projections.block_runs import set_aside
from bridge.projections.code_review import unavailable_note
from bridge.projections.markdown import line
from bridge.projections.outcome import (
    NO_MILESTONES,
    NO_MILESTONES_ZH,
    NO_VERDICTS,
    NO_VERDICTS_ZH,
    Outcome,
    aliases_naming_nothing,
    evaluate,
    main_empty,
    main_not_met,
    must_completed,
    no_main,
    not_met_elsewhere,
    untrusted_phrase,
)
from bridge.projections.reasons import in_language
from bridge.projections.results import (
    VERDICT_ZH,
    Commands,
    next_step,
    ready_caveat,
    sanity_caveats,
)
from bridge.projections.text import language_of, t

__all__ = ["handoff_summary", "next_step_line"]

RESULTS_PATH = "refine-logs/EXPERIMENT_RESULTS.md"
TRACKER_PATH = "refine-logs/EXPERIMENT_TRACKER.md"
MANIFEST_PATH = "MANIFEST.md"


def _main_sentence(state: PipelineState, zh: bool) -> str:
    outcome = evaluate(state)
    if state.plan is not None and not state.plan.blocks:
        return (
            f"主要结果：无定论（{NO_VERDICTS_ZH}）。"
            if zh
            else f"Main result: inconclusive ({NO_VERDICTS})."
        )
    if outcome.main_milestone is None:
        # No main milestone: every must-run block is "elsewhere", and the ones not met and its
        # untrusted numbers are said here too, as the results page says them (nothing else on
        # the console does: 033, with no milestones, named neither E1 nor E5 not met).
        untrusted = untrusted_phrase(outcome, zh=zh)
        failed = not_met_elsewhere(outcome)
        said = (
            (
                f"未满足的必做实验块：{'、'.join(failed)}。"
                if zh
                else f" Must-run blocks not met: {', '.join(failed)}."
            )
            if failed
            else ""
        ) + (
            (
                f"数值不可信的必做实验块：{untrusted}。"
                if zh
                else f" Must-run blocks with numbers not trusted: {untrusted}."
            )
            if untrusted
            else ""
        )
        if state.plan is not None and not state.plan.milestones:
            return (
                f"主要结果：无定论（{NO_MILESTONES_ZH}）。{said}"
                if zh
                else f"Main result: inconclusive ({NO_MILESTONES}).{said}"
            )
        en, zh_words = no_main(
            state.plan.milestones if state.plan is not None else (), outcome.milestones
        )
        return (
            f"主要结果：无定论（{zh_words}）。{said}"
            if zh
            else f"Main result: inconclusive ({en}).{said}"
        )
    blocks = [
        b
        for b in outcome.blocks
        if any(
            b.block.id in m.blocks
            for m in outcome.milestones
            if m.info.id == outcome.main_milestone
        )
    ]
    language = "zh" if zh else "en"
    # In Chinese the English verdict word stays (what a program reads), its Chinese beside it,
    # as the results write it; "B1 inconclusive: 成功标准…" read as a stray English word.
    detail = ("；" if zh else "; ").join(
        f"{b.block.id} {b.verdict.verdict.value}"
        + (f"（{VERDICT_ZH[b.verdict.verdict]}）：" if zh else ": ")
        + line(in_language(b.verdict.reason, language))
        for b in blocks
    )
    word = outcome.main_result.value
    # The runs of no milestone (a plan without any whose block is titled main) are main with no
    # id: "Main result (): positive" named nothing; the results page says why there is none.
    main = outcome.main_milestone or ("计划没有里程碑" if zh else "the plan has no milestones")
    if outcome.main_result is MainResult.POSITIVE:
        lead = (
            f"主要结果（{main}）：正面，所有标准均满足"
            if zh
            else f"Main result ({main}): positive, every criterion met"
        )
        # A comparison met where the runs break the condition it holds under ("at the same
        # training time", 9000 s against 3600 s): its kind stays met, but the headline says so,
        # not "every criterion met" alone (trial t12, 001's B1 and 020's B2).
        if unheld := [b.block.id for b in blocks if NOT_HELD in b.verdict.reason]:
            lead += (
                f"，但 {'、'.join(unheld)} 的比较所依据的条件在运行中不成立"
                if zh
                else f", but a condition a comparison holds under does not hold in the runs "
                f"({', '.join(unheld)})"
            )
        # One the runs give no one value to check by (runs of a system with different
        # Purposes, a NaN): not "every criterion met" alone either.
        if unchecked := [b.block.id for b in blocks if NOT_COMPARED in b.verdict.reason]:
            lead += (
                f"，但 {'、'.join(unchecked)} 的比较所依据的条件无法在运行中检验"
                if zh
                else f", but a condition a comparison holds under cannot be checked in the runs "
                f"({', '.join(unchecked)})"
            )
    elif outcome.main_result is MainResult.NEGATIVE and outcome.main_unjudged:
        # The failed block and the unjudged ones up front: "negative" read as the headline's
        # verdict when the headline was never judged (015's B3 beside B6).
        failed = main_not_met(outcome)
        lead = (
            f"主要结果（{main}）：负面，有标准未满足（{'、'.join(failed)}），"
            f"但 {'、'.join(outcome.main_unjudged)} 未能判定"
            if zh
            else f"Main result ({main}): negative, a criterion was not met ({', '.join(failed)}), "
            f"but {', '.join(outcome.main_unjudged)} "
            f"{'was' if len(outcome.main_unjudged) == 1 else 'were'} not judged"
        )
    elif outcome.main_result is MainResult.NEGATIVE:
        lead = (
            f"主要结果（{main}）：负面，有标准未满足"
            if zh
            else f"Main result ({main}): negative, a criterion was not met"
        )
    elif empty := main_empty(outcome.milestones, outcome.main_milestone, zh=zh):
        # No block in it, so no detail below to say why (018's M4): the lead says it.
        lead = (
            f"主要结果（{main}）：无定论，{empty}"
            if zh
            else f"Main result ({main}): {word}, {empty}"
        )
    else:
        lead = f"主要结果（{main}）：无定论" if zh else f"Main result ({main}): {word}"
    end = "。" if zh else "."
    sentence = f"{lead} — {detail}{end}" if detail else f"{lead}{end}"
    if elsewhere := not_met_elsewhere(outcome):
        ids = ", ".join(elsewhere)
        sentence += (
            f"主要里程碑之外未满足的必做实验块：{ids}。"
            if zh
            else f" Must-run blocks outside it not met: {ids}."
        )
    if untrusted := untrusted_phrase(outcome, zh=zh):
        sentence += (
            f"主要里程碑之外数值不可信的必做实验块：{untrusted}。"
            if zh
            else f" Must-run blocks outside it with numbers not trusted: {untrusted}."
        )
    return sentence


def next_step_line(
    state: PipelineState, outcome: Outcome | None = None, commands: Commands = None
) -> str:
    """
    The one instruction bridge gives after a stop: ``Next step: …`` (one line, in the language
    of the projections: ``下一步：…`` for a Chinese plan, as its summary says it). ``commands``:
    each run's command as bridge.toml gives it now (see
    :func:`~bridge.projections.results.next_step`).
    """
    language = language_of(state)
    # The label too: `bridge advance` on 021 printed "Next step: 流水线已阻断…".
    return t("next_step", language).format(
        step=next_step(state, outcome or evaluate(state), language, commands)
    )


def _where(launched: Sequence[RunView], zh: bool) -> str:
    """
    Where the launched runs ran, per backend, as a phrase after "deployed" (empty when nothing
    was launched): the GPUs or CPU slots they held, or, on a backend that places a CPU run
    without a slot (Modal, Slurm: each attempt is its own call or job), how many attempts.
    """
    phrases = []
    for backend in sorted({a.backend for r in launched for a in r.attempts}):
        attempts = [a for r in launched for a in r.attempts if a.backend == backend]
        slots = {slot for a in attempts for slot in a.slots}
        gpus = sum(1 for slot in slots if slot.gpu is not None)
        cpus = len(slots) - gpus
        slotless = sum(1 for a in attempts if not a.slots)
        if zh:
            held = [f"{gpus} 个 GPU"] * bool(gpus) + [f"{cpus} 个 CPU 槽位"] * bool(cpus)
            held += [f"{slotless} 次尝试"] * bool(slotless)
            phrases.append(f"{backend}（{'、'.join(held)}）")
        else:
            held = [counted(gpus, "GPU")] * bool(gpus) + [counted(cpus, "CPU slot")] * bool(cpus)
            phrase = f" on {' and '.join(held)} via {backend}" if held else f" via {backend}"
            phrases.append(phrase + (f" ({counted(slotless, 'attempt')})" if slotless else ""))
    if zh:
        return f"在 {'，'.join(phrases)}" if phrases else ""
    return ",".join(phrases)


def handoff_summary(state: PipelineState, commands: Commands = None) -> str:
    """
    Return the summary printed at the end of ``bridge run`` (plain text, several lines), in the
    language of the projections (:func:`~bridge.projections.text.language_of`).

    Args:
        state: the folded state.
        commands: each run's command as bridge.toml gives it now, which the next step's
            retries run with (the log holds the spec a row was planned with).

    Returns:
        Scripts implemented, runs deployed and on how many GPU slots, must-run and
        nice-to-have completed, the main result in one sentence, the paths of the results,
        tracker and manifest, and the next step. ``"No plan loaded yet."`` before a plan.
    """
    if state.plan is None:
        return "No plan loaded yet."
    language = language_of(state)
    zh = language == "zh"
    outcome = evaluate(state)
    # The tracker's implementation tasks are no runs: "14 of 21 deployed" counted 001's seven.
    # A run set aside (its row removed, split into seeds, no longer proposed) is in the plan no
    # more: "4 of 4 deployed" beside `bridge plan`'s 3 runs counted 040's R4 (trial s43 h43D).
    aside = [r.run_id for r in state.runs.values() if not r.is_task and set_aside(r)]
    planned = sum(1 for r in state.runs.values() if not r.is_task and not set_aside(r))
    changed = sorted({p for impl in state.implementations for p in impl.changed_files})
    implementers = sorted({impl.implementer for impl in state.implementations})
    who = ", ".join(implementers)
    if changed:
        scripts = (
            f"{len(changed)} 个文件由 {who} 实现"
            if zh
            else f"{counted(len(changed), 'file')} implemented by {who}"
        )
    elif implementers == ["existing"] and (
        missing := sum(f.severity is Severity.BLOCKING for f in state.implementations[-1].findings)
    ):
        # The latest check found the scripts missing: "used as is (checked)" beside a plan
        # blocked on "the script train.py does not exist" (`bridge init` then `bridge run`).
        scripts = (
            f"现有代码检查未通过（{missing} 个阻断问题，见下一步）"
            if zh
            else f"existing code checked: {missing} blocking finding{'' if missing == 1 else 's'}, "
            "see the next step"
        )
    elif implementers == ["existing"]:
        # The "existing" implementer only checks the scripts the runs name are there.
        scripts = (
            "直接使用现有代码（已检查脚本存在）" if zh else "existing code used as is (checked)"
        )
    elif implementers:
        scripts = (
            f"直接使用现有代码（由 {who} 检查）"
            if zh
            else (f"existing code used as is (checked by {who})")
        )
    else:
        scripts = "尚无实现记录" if zh else "no implementation recorded yet"
    launched = [r for r in state.runs.values() if r.attempts and not set_aside(r)]
    where = _where(launched, zh)
    ran_aside = [r for r in aside if state.runs[r].attempts]
    if ran_aside:
        where += (
            f"（另有 {len(ran_aside)} 个运行过、已搁置，未计入：{'、'.join(ran_aside)}）"
            if zh
            else f" ({len(ran_aside)} more ran and {'is' if len(ran_aside) == 1 else 'are'} "
            f"set aside since, not counted: {', '.join(ran_aside)})"
        )
    nice_failed = _nice_failed(state, zh)
    if zh:
        lines = [
            f"bridge: {state.plan.title} — 阶段 {state.stage.value}",
            f"代码：{scripts}。",
            *([note] if (note := unavailable_note(state, language)) else []),
            f"运行：{planned} 个中 {len(launched)} 个已部署{where}；"
            f"已用 {state.gpu_hours_used:.2f} GPU 小时。",
            f"必做运行完成：{must_completed(outcome, zh=True)}；"
            f"可选运行完成：{outcome.nice_done}/{outcome.nice_total}{nice_failed}。",
            _main_sentence(state, zh),
            *(f"{caveat}。" for caveat in sanity_caveats(state, outcome, language)),
            # A setting that names nothing is said where the researcher looks (029's alias).
            *(
                f"警告：{in_language('; ' + note, 'zh').removeprefix('；')}。"
                for note in aliases_naming_nothing(state)
            ),
            f"可进入评审循环：{'是' if outcome.ready else '否'}"
            + (f"（{'；'.join(outcome.not_ready_zh)}）" if not outcome.ready else "")
            + ready_caveat(state, outcome, language)
            + "。",
            f"结果：{RESULTS_PATH}, refine-logs/results.json, refine-logs/results.csv",
            f"追踪表：{TRACKER_PATH}{_tracker_note(state, zh)}",
            f"产出清单：{MANIFEST_PATH}",
            next_step_line(state, outcome, commands),
        ]
        return "\n".join(lines) + "\n"
    lines = [
        f"bridge: {state.plan.title} — stage {state.stage.value}",
        f"Scripts: {scripts}.",
        *([note] if (note := unavailable_note(state, language)) else []),
        f"Runs: {len(launched)} of {planned} deployed{where}; "
        f"{state.gpu_hours_used:.2f} GPU-hours used.",
        f"Must-run completed: {must_completed(outcome)}; "
        f"nice-to-have completed: {outcome.nice_done}/{outcome.nice_total}{nice_failed}.",
        _main_sentence(state, zh),
        *(f"{caveat}." for caveat in sanity_caveats(state, outcome, language)),
        # A setting that names nothing is said where the researcher looks (029's alias).
        *(f"Warning: {note}." for note in aliases_naming_nothing(state)),
        f"Ready for the review loop: {'YES' if outcome.ready else 'NO'}"
        + (f" ({'; '.join(outcome.not_ready)})" if not outcome.ready else "")
        # Ready, on numbers of runs kept as they ran: said, as the next step says the retry.
        + ready_caveat(state, outcome, language)
        + ".",
        f"Results: {RESULTS_PATH}, refine-logs/results.json, refine-logs/results.csv",
        f"Tracker: {TRACKER_PATH}{_tracker_note(state, zh)}",
        f"Manifest: {MANIFEST_PATH}",
        next_step_line(state, outcome, commands),
    ]
    return "\n".join(lines) + "\n"


# Where a project without a tracker file has its runs from, by the runs' ``source``.
_RUNS_FROM = {
    "tracker": ("the plan's run table", "计划中的运行表"),
    "config": ("bridge.toml", "bridge.toml"),
    "grid": ("bridge.toml", "bridge.toml"),
    "proposed": ("the plan's blocks", "计划中的实验块"),
    "proposed-sanity": ("the plan's blocks", "计划中的实验块"),
}


def _tracker_note(state: PipelineState, zh: bool) -> str:
    """
    ``""`` when the project has a tracker file (bridge writes its runs' status into it), else
    that the tracker is bridge's own file and where the runs came from: 025's run table is in
    its plan, and "Tracker: refine-logs/EXPERIMENT_TRACKER.md" named a file the researcher
    never wrote as if it were theirs.
    """
    if state.plan is None or state.plan.sources.get("tracker"):
        return ""
    sources = dict.fromkeys(
        _RUNS_FROM.get(r.spec.source, (r.spec.source, r.spec.source))[1 if zh else 0]
        for r in state.runs.values()
        if not r.is_task
    )
    if zh:
        where = f"；运行来自{'和'.join(sources)}" if sources else ""
        return f"（由 bridge 生成：项目没有追踪表文件{where}）"
    where = f"; the runs come from {' and '.join(sources)}" if sources else ""
    return f" (written by bridge: the project has no tracker file{where})"


def _not_counted(ids: Sequence[str], zh: bool, said: tuple[str, str]) -> str:
    """
    The nice-to-have runs ``ids`` left out of the count, and why, ``said`` in English and in
    Chinese: "2 more are blocked in the tracker, not counted: R008, R009" (另有 2 个可选运行
    在追踪表中受阻，未计入：R008、R009).
    """
    n = len(ids)
    if zh:
        return f"另有 {n} 个可选运行{said[1]}，未计入：{'、'.join(ids)}"
    return f"{n} more {'is' if n == 1 else 'are'} {said[0]}, not counted: {', '.join(ids)}"


def _nice_failed(state: PipelineState, zh: bool) -> str:
    """
    The nice-to-have runs that are blocked in the tracker or work people do (not counted, as
    bridge does not run them), those that succeeded with numbers not trusted, and those that
    failed, the failed ones
    named with how to run them again: their failure holds nothing, so the summary was the one
    place it could be missed (036's M2.1 failed in the main milestone and the command ended 0
    with "nice-to-have completed: 3/4" alone).
    """
    failed = [
        r.run_id
        for r in state.runs.values()
        if r.spec.priority is Priority.NICE
        and r.state in ENDED_UNSUCCESSFUL
        # Held by an earlier milestone's row: it comes back with that row, and `--failed`
        # would only cancel it again.
        and not held_by_failed_before(r)
        and held_for_code_by(r) is None
    ]
    # Succeeded with a number that cannot be trusted: not counted, named as the must-run
    # count names them (026's E5, accuracy NaN, read "nice-to-have completed: 5/5").
    untrusted = [
        r.run_id
        for r in state.runs.values()
        if r.spec.priority is Priority.NICE
        and r.state is RunState.SUCCEEDED
        and r.metrics is not None
        and any(q.blocking for q in r.metrics.quality)
    ]
    # Work people do (009's R004, "API run is user-only"): no run bridge launches, so not
    # counted, but named as the must-run count names its own ("nice-to-have completed: 0/0"
    # said nothing of R004).
    by_person = [
        r.run_id
        for r in state.runs.values()
        if r.spec.priority is Priority.NICE
        and r.state is RunState.OUT_OF_SCOPE
        and done_by_person(r.reason)
    ]
    # Blocked in the tracker (014's R008, R009 `NOT_RUN_R002_FAIL`, the plan's two CONDITIONAL
    # rows): named as the must-run count names its own; "nice-to-have completed: 0/0" said
    # nothing of them, where `bridge plan` had said "2 nice-to-have".
    blocked = [
        r.run_id
        for r in state.runs.values()
        if r.spec.priority is Priority.NICE
        and r.state is RunState.OUT_OF_SCOPE
        and r.blocked_in_tracker
    ]
    sep = "、" if zh else ", "  # a Chinese list of runs takes "、"
    parts = []
    if blocked:
        parts.append(_not_counted(blocked, zh, ("blocked in the tracker", "在追踪表中受阻")))
    if by_person:
        said = ("work people do, not done yet", "由人工执行、尚未完成")
        parts.append(_not_counted(by_person, zh, said))
    if untrusted:
        parts.append(
            f"{len(untrusted)} 个已成功但数值不可信：{sep.join(untrusted)}"
            if zh
            else f"{len(untrusted)} succeeded with numbers not trusted: {sep.join(untrusted)}"
        )
    if failed:
        ids = sep.join(failed)
        parts.append(
            f"未成功：{ids}；`bridge retry --failed` 可重新运行"
            if zh
            else f"not succeeded: {ids}; `bridge retry --failed` runs them again"
        )
    if not parts:
        return ""
    return f"（{'；'.join(parts)}）" if zh else f" ({'; '.join(parts)})"
