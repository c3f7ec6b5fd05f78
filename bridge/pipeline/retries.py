"""
Retrying runs: which runs a retry asks for (by id, every failed run, a milestone's runs), and
the runs it brings back with them (those bridge cancelled because a run they wait for could not
go on).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import attrs

from bridge.errors import InputError, UnknownRunError
from bridge.events import types as ev
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.scheduler import held_by_failed_before, held_for_code_by
from bridge.machine.stages import ENDED_UNSUCCESSFUL, RunState
from bridge.pipeline.session import Session
from bridge.plan.templates import unfilled
from bridge.plan.text import first_six_named
from bridge.projections.failure_words import (
    row_gone,
    split_in_language,
    stopped_clause,
    unproposed,
)
from bridge.projections.text import language_of
from bridge.value_methods import value_methods

__all__ = [
    "FAILED",
    "AlsoAgain",
    "Retried",
    "also_again",
    "bridge_cancelled",
    "net_changes",
    "schedule",
    "select",
    "sent_back",
    "stopped_by",
]

# The states a run ends in without succeeding (cancelled ones are told apart by their reason).
FAILED = ENDED_UNSUCCESSFUL
_DONE = frozenset({RunState.SUCCEEDED, RunState.DONE_BEFORE})
# What a refusal says of a run's state, in words (not the log's "done_before_bridge"), in
# English and in Chinese (a Chinese plan's refusals are Chinese, as its other output: 021).
_STATE_SAID = {
    RunState.SUCCEEDED: ("succeeded", "已成功"),
    RunState.DONE_BEFORE: (
        "is done before bridge (its tracker row says so)",
        "在 bridge 之前已完成（追踪表这样记录）",
    ),
    RunState.PENDING: ("has not run yet", "尚未运行"),
    RunState.SUBMITTED: ("is queued", "已在队列中"),
    RunState.RUNNING: ("is running", "正在运行"),
}
# Reasons the dispatcher gives when it cancels a run (a person's cancel says otherwise).
_NOT_RUN = "not run:"


def _listed(ids: Sequence[str], zh: bool = False) -> str:
    if zh:
        return "、".join(ids[:6]) + (f" 等 {len(ids)} 个" if len(ids) > 6 else "")
    return first_six_named(ids)


def _cannot(why: Sequence[str], zh: bool) -> str:
    """The refusal of a retry for these reasons, one per run, in the plan's language."""
    return f"无法重试：{'；'.join(why)}" if zh else f"cannot retry: {'; '.join(why)}"


def _untrusted_kinds(run: RunView) -> list[str]:
    """
    The blocking training-quality findings of ``run``'s numbers (``non_finite``,
    ``divergence``), in the order found: none when its numbers are trusted.
    """
    if run.metrics is None:
        return []
    return list(dict.fromkeys(q.kind for q in run.metrics.quality if q.blocking))


def _state_said(run: RunView, zh: bool) -> str:
    """What a refusal says of ``run``'s state, in the plan's language."""
    en, chinese = _STATE_SAID.get(run.state, (f"is {run.state.value}", f"处于 {run.state.value}"))
    return chinese if zh else en


def bridge_cancelled(run: RunView) -> bool:
    """
    True when bridge itself cancelled the run because it could not go on (a dependency or its
    milestone failed, the budget, the GPUs), as opposed to a person's ``bridge cancel``.
    """
    return run.state is RunState.CANCELLED and run.reason.startswith(_NOT_RUN)


def stopped_by(run: RunView) -> str:
    """
    Who cancelled ``run``, as a retry's reason says it (:func:`stopped_clause`): a person
    (``bridge cancel``: the run was stopped while it ran, or kept from launching), or bridge,
    with its ``not run: …``; "" when the run did not end cancelled.
    """
    if run.state is not RunState.CANCELLED:
        return ""
    return stopped_clause(run.reason, by_bridge=bridge_cancelled(run))


def select(
    state: PipelineState,
    run_ids: Sequence[str] = (),
    *,
    failed: bool = False,
    milestone: str | Sequence[str] = "",
    force: bool = False,
    commands: Mapping[str, Sequence[str]] | None = None,
    params: Mapping[str, Mapping[str, str]] | None = None,
) -> list[str]:
    """
    The runs a ``bridge retry`` names, in plan order: the ids given, every run that ended
    without succeeding under bridge (``failed``), and every such run of ``milestone``. A row
    the tracker says failed before bridge is taken only when named: the researcher may have
    marked it so for good (018's invalid 8-GPU attempts, "do not rerun"), and ``--failed``
    re-launched it and wrote it back as passed (trial M1). Nor do ``failed``/``milestone``
    take a run bridge cancelled because such a row holds its milestone: it would only be
    cancelled again (it comes back with that row's retry).
    Succeeded runs, and runs the tracker says were done before bridge otherwise, are only taken
    with ``force`` (they keep what they ran with otherwise); a run the tracker rules out of
    scope only when named.

    ``commands``: each run's command as the inputs give it now, which the retry runs with; a
    run's recorded spec can predate them (a row the tracker says failed before bridge keeps the
    spec it was planned with until it runs: 018's JPH-G1-BRIDGE-001, given a ``[[runs]]``
    command as the next step said, was refused as having none, trial t16). Without it, the
    recorded spec's. ``params``: each run's placeholder values as the inputs give them now,
    likewise (014's R002, recorded before ``[run] args = { seed = "0" }`` was written, was
    refused for its ``{seed}`` after the researcher wrote it, as the refusal said to).

    Raises:
        UnknownRunError: an id or the milestone is not in the plan.
        InputError: nothing was named, or a named run cannot be retried (live, or succeeded
            without ``force``), or nothing matched.
    """
    zh = language_of(state) == "zh"
    asked = [milestone] if isinstance(milestone, str) else list(milestone)
    milestones = [_milestone_named(state, m) for m in asked if m]
    if not run_ids and not failed and not milestones:
        raise InputError(
            "bridge retry：请指明要重试的运行（如 R003 R004），或用 --failed、--milestone M2"
            if zh
            else "bridge retry: name runs (R003 R004), or --failed, or --milestone M2"
        )
    unknown = [r for r in run_ids if r not in state.runs]
    if unknown:
        known = ", ".join(list(state.runs)[:8])
        raise UnknownRunError(f"no run {unknown[0]!r} in this plan (runs: {known}…)")
    # Done (by bridge, or before it per the tracker) only with force; a row the tracker rules
    # out of scope only when named: the person asks for that run.
    ok = FAILED | (_DONE if force else frozenset())
    chosen: dict[str, None] = {}
    refused: list[str] = []
    unrunnable: list[str] = []
    untrusted: list[str] = []
    done_refused = False
    for run_id in run_ids:
        run = state.runs[run_id]
        if run.is_task:
            # 001's I1: no experiment run; "retried", it failed at launch and counted as a
            # failed must-run run.
            unrunnable.append(
                f"{run_id} 是追踪表中的实现任务，不是实验运行（bridge.toml 中带自己 command 的 "
                "[[runs]] 条目使它成为实验运行）"
                if zh
                else f"{run_id} is an implementation task of the tracker, not an experiment run "
                "(a [[runs]] entry with its own command makes it one)"
            )
        elif not (run.spec.command if commands is None else commands.get(run_id, run.spec.command)):
            # 009's R005 (NOT RUN, no command): the launch would fail with the backend's words.
            unrunnable.append(
                f"{run_id} 没有命令（在 bridge.toml 中设置 [run] command，或为它写带 command 的 "
                "[[runs]] 条目）"
                if zh
                else f"{run_id} has no command (set [run] command in bridge.toml, or a [[runs]] "
                "entry with its own command)"
            )
        elif run.state is RunState.OUT_OF_SCOPE and row_gone(run.reason):
            # Its row is no longer in the plan (deleted, or split into seeds): run again, its
            # numbers would count with no row (004's R309-s2, trial t8). Putting the row back
            # brings it back: with its result when it would run what it ran, else to run.
            said = split_in_language(run.reason, "zh" if zh else "en")
            if unproposed(run.reason):
                # No row to put back: the plan's seeds or systems that proposed it.
                unrunnable.append(
                    f"{said}（把它的种子或系统放回计划即可恢复它）"
                    if zh
                    else f"{said} (put its seed or system back in the plan to bring it back)"
                )
            else:
                unrunnable.append(
                    f"{said}（把它的行放回追踪表即可恢复它）"
                    if zh
                    else f"{said} (put its row back in the tracker to bring it back)"
                )
        elif (holder := held_for_code_by(run)) is not None and run.held_for_code:
            # 023's R031: re-queued, it was cancelled again at once by the same row.
            unrunnable.append(_held_for_code([run_id], [holder], zh))
        elif run.state in ok or run.state is RunState.OUT_OF_SCOPE or run.failed_before_bridge:
            chosen[run_id] = None
        elif run.state is RunState.SUCCEEDED and (kinds := _untrusted_kinds(run)):
            # 004's R302 wrote TPR = NaN: "succeeded" alone read as nothing to fix, where the
            # results call its numbers not trusted; its own `--force` retry is named.
            refused.append(
                f"{run_id} 已成功，但其数值不可信（{'、'.join(kinds)}）"
                if zh
                else f"{run_id} succeeded, but its numbers are not trusted ({', '.join(kinds)})"
            )
            untrusted.append(run_id)
        else:
            refused.append(f"{run_id} {_state_said(run, zh)}")
            done_refused = done_refused or run.state in _DONE
    if unrunnable:
        raise InputError(_cannot(unrunnable, zh))
    if refused:
        again = f"bridge retry --force {' '.join(untrusted)}"
        one = len(untrusted) == 1
        # Both said when both were named (`bridge retry R302 R301`: R301 simply succeeded).
        if zh:
            hint = ("（加 --force 可再次运行已成功的运行）" if done_refused else "") + (
                f"：`{again}` 会再次运行{'它' if one else '它们'}" if untrusted else ""
            )
            raise InputError(f"{_cannot(refused, zh)}；只有未成功结束的运行可以重试{hint}")
        hint = (" (add --force to run a succeeded run again)" if done_refused else "") + (
            f": `{again}` runs {'it' if one else 'them'} again" if untrusted else ""
        )
        raise InputError(
            f"{_cannot(refused, zh)}; only runs that ended without succeeding can be retried{hint}"
        )
    held: list[str] = []
    # Runs held until an earlier row's code is written (023's R031-R043 behind R020), by the
    # rows that hold them: `--failed` re-queued them, and the next `bridge run` cancelled
    # every one again at once. They stay held, and the refusal says what releases them.
    held_for_code: dict[str, list[str]] = {}
    ruled: list[str] = []
    for run in _taken_by_kind(state, failed, milestones, ok):
        if run.ruled_out_after and run.run_id not in chosen:
            # Marked out of scope after it succeeded (036's M2.1c, "NOT RUN — too few pairs
            # survive gap04"): only a retry naming it runs it (the caller says so).
            ruled.append(run.run_id)
        elif held_by_failed_before(run):
            held.append(run.run_id)
        elif (holder := held_for_code_by(run)) is not None and run.held_for_code:
            held_for_code.setdefault(holder, []).append(run.run_id)
        else:
            chosen[run.run_id] = None
    if not chosen and held_for_code and not held:
        waiting = [r for ids in held_for_code.values() for r in ids]
        raise InputError(
            f"没有可重试的运行：{_held_for_code(waiting, list(held_for_code), zh)}"
            if zh
            else f"nothing to retry: {_held_for_code(waiting, list(held_for_code), zh)}"
        )
    if not chosen and ruled:
        raise InputError(
            f"没有可重试的运行：{left_out(state, ruled)}"
            if zh
            else f"nothing to retry: {left_out(state, ruled)}"
        )
    if not chosen:
        where = (
            f" in {', '.join(_milestone_shown(m, zh) for m in milestones)}" if milestones else ""
        )
        before = [r.run_id for r in state.runs.values() if r.failed_before_bridge]
        # With rows failed before bridge, "add --force" would have them re-launched with every
        # other row done before bridge (018, real run): their own retry is named instead.
        # A sanity run that exited 0 but failed the check (no number, a NaN) succeeded: named
        # with the way to run it again, not only "nothing to retry" (030's A1, trial T7).
        checked = [r for r in _failed_sanity_check(state) if not milestones]
        # Only the rows a retry can launch as they stand are put in the command; those with no
        # command here are told what they need (018's rows: `bridge retry JPH-G1-BRIDGE-001 …`
        # was refused with "has no command").
        # By the command the inputs give now (``commands``): 018's rows, recorded before
        # bridge.toml had a `[run] command`, were said to have none (trial t16).
        runnable = [
            r
            for r in before
            if _can_launch(state.runs[r], None if commands is None else commands.get(r))
        ]
        commandless = [r for r in before if r not in runnable]
        if zh:
            raise InputError(
                _nothing_to_retry_zh(
                    milestones, checked, held, before, runnable, commandless, force=force
                )
            )
        raise InputError(
            f"nothing to retry{where}: no run ended without succeeding under bridge"
            + (
                f"; the sanity check failed on {_listed(checked)}, which exited 0: "
                f"`bridge retry --force {' '.join(checked)}` runs "
                f"{'it' if len(checked) == 1 else 'them'} again"
                if checked and not force
                else ""
            )
            + ("" if force or before or checked else " (add --force to run succeeded runs again)")
            + (
                f"; {_listed(held)} {'waits' if len(held) == 1 else 'wait'} for rows the "
                f"tracker says failed before bridge ({_listed(before)})"
                + (
                    f": `bridge retry {' '.join(runnable)}` runs those under bridge, and "
                    "these with them"
                    if runnable
                    else ""
                )
                if held and before
                else f"; the tracker says {_listed(before)} ended failed before bridge"
                + (
                    f": `bridge retry {' '.join(runnable)}` runs "
                    f"{'those' if commandless else 'them'} under bridge"
                    if runnable
                    else ""
                )
                if before
                else ""
            )
            + (_no_command(commandless, every=commandless == before) if commandless else "")
        )
    # A row done before bridge was loaded without a value for what only its launch needs (036's
    # DONE rows and `{seed}`): said now, not as a failed launch.
    lacking = [
        f"{run_id}：其命令中的占位符 {'、'.join('{' + n + '}' for n in names)} 在此运行中没有值"
        "（在追踪表、[[runs]] 或 [run] args 中设置）"
        if zh
        else f"{run_id}: placeholder {', '.join('{' + n + '}' for n in names)} in its command "
        "has no value for this run (set it in the tracker, [[runs]] or [run] args)"
        for run_id in chosen
        if (names := unfilled(*_spec_now(state.runs[run_id], commands, params)))
    ]
    if lacking:
        raise InputError(_cannot(lacking, zh))
    order = {run_id: i for i, run_id in enumerate(state.runs)}
    return sorted(chosen, key=order.__getitem__)


def _taken_by_kind(
    state: PipelineState, failed: bool, milestones: Sequence[str], ok: frozenset[RunState]
) -> list[RunView]:
    """
    The runs a retry by kind (``failed``, ``milestones``) takes, in plan order, before what
    holds them back: those that ended in one of the states ``ok`` (of ``milestones`` when given).
    """
    return [
        run
        for run in state.runs.values()
        if (failed or milestones)
        and run.state in ok
        and not (milestones and run.spec.milestone not in milestones)
    ]


def ruled_out_by_kind(
    state: PipelineState,
    run_ids: Sequence[str] = (),
    *,
    failed: bool = False,
    milestone: str | Sequence[str] = "",
    force: bool = False,
    changed: Sequence[str] = (),
) -> list[str]:
    """
    The runs, in plan order, that a retry taking runs by kind (``failed``, ``milestone``, or
    ``changed``: the runs kept as they ran that ``--changed`` would take) leaves out because the
    researcher's tracker marked them out of scope after they succeeded (:attr:`RunView.
    ruled_out_after`: bridge wrote DONE back over the word): only a retry naming one (in
    ``run_ids``) runs it again. 036's M2.1c, "NOT RUN — too few pairs survive gap04", was
    launched again by ``bridge retry --changed`` (trial h39E).
    """
    asked = [milestone] if isinstance(milestone, str) else list(milestone)
    milestones = [_milestone_named(state, m) for m in asked if m]
    ok = FAILED | (_DONE if force else frozenset())
    taken = {r.run_id for r in _taken_by_kind(state, failed, milestones, ok)} | set(changed)
    return [
        run_id
        for run_id, run in state.runs.items()
        if run_id in taken and run.ruled_out_after and run_id not in run_ids
    ]


def left_out(state: PipelineState, run_ids: Sequence[str]) -> str:
    """
    What a retry says of ``run_ids``, runs it left out by :func:`ruled_out_by_kind`: each with
    the word the researcher wrote after it succeeded, and the retry that runs them.
    """
    zh = language_of(state) == "zh"
    one = len(run_ids) == 1
    again = f"bridge retry --force {' '.join(run_ids)}"
    words = {state.runs[r].ruled_out_after for r in run_ids}
    if len(words) == 1:
        status = next(iter(words))
    else:
        status = ("；" if zh else "; ").join(
            f"{r}{'：' if zh else ': '}{state.runs[r].ruled_out_after}" for r in run_ids
        )
    if zh:
        return (
            f"{_listed(run_ids, True)} 成功后，追踪表将{'它' if one else '它们'}标为不在范围内"
            f"（{status}；bridge 保留了结果并写回已完成的状态）：按类别选取运行的重试不会再次运行"
            f"{'它' if one else '它们'}；`{again}` 会再次运行"
        )
    it = "it" if one else "them"
    return (
        f"{_listed(run_ids)} succeeded, then the tracker took {it} out of scope ({status}; "
        f"bridge kept the result and wrote its done status back): a retry that takes runs by "
        f"kind leaves {it} out; `{again}` runs {it} again"
    )


def _spec_now(
    run: RunView,
    commands: Mapping[str, Sequence[str]] | None,
    params: Mapping[str, Mapping[str, str]] | None,
) -> tuple[Sequence[str], Mapping[str, str]]:
    """
    The command and placeholder values ``run`` is retried with: the inputs' now where the
    caller gave them (the retry re-specs the run with them before it launches), else the
    recorded spec's.
    """
    command = run.spec.command if commands is None else commands.get(run.run_id, run.spec.command)
    values = run.spec.params if params is None else params.get(run.run_id, run.spec.params)
    return command, values


def _held_for_code(runs: Sequence[str], holders: Sequence[str], zh: bool) -> str:
    """
    Why ``runs`` are not retried: the scheduler holds them until the must-run ``holders``,
    whose tracker rows say their code is not written yet, can run; and what releases them.
    """
    if zh:
        first = "它" if len(holders) == 1 else "它们"
        then = "这个运行" if len(runs) == 1 else "这些运行"
        return (
            f"{_listed(runs, True)} 在等待 {_listed(holders, True)} 的代码写好，不会重试：写好后把"
            f"追踪表中 {_listed(holders, True)} 的状态改为 TODO，`bridge run` 会先运行{first}，"
            f"再运行{then}"
        )
    one = len(runs) == 1
    return (
        f"{_listed(runs)} {'is' if one else 'are'} held until the code of {_listed(holders)} "
        f"is written, not retried: once it is, set the Status of {_listed(holders)} to TODO "
        f"in the tracker, and `bridge run` runs {'it' if len(holders) == 1 else 'them'}, then "
        f"{'this one' if one else 'these'}"
    )


def _nothing_to_retry_zh(
    milestones: Sequence[str],
    checked: Sequence[str],
    held: Sequence[str],
    before: Sequence[str],
    runnable: Sequence[str],
    commandless: Sequence[str],
    *,
    force: bool,
) -> str:
    """
    The Chinese "nothing to retry" of :func:`select`, clause for clause as the English one:
    the sanity runs that exited 0 but failed the check, the runs held by rows the tracker says
    failed before bridge, and what those rows need.
    """
    # The runs of no milestone by words, not by their bar's bracketed name: "（（无里程碑） 中）"
    # doubled the brackets (trial t16 on 018).
    names = [m or "无里程碑的运行" for m in milestones]
    space = " " if milestones and milestones[-1] else ""  # "M2 中", "无里程碑的运行中"
    where = f"（{'、'.join(names)}{space}中）" if names else ""
    said = f"没有可重试的运行{where}：没有在 bridge 下未成功结束的运行"
    if checked and not force:
        said += (
            f"；健全性检查在 {_listed(checked, True)} 上失败（它们以 0 退出）："
            f"`bridge retry --force {' '.join(checked)}` 会再次运行"
        )
    if not (force or before or checked):
        said += "（加 --force 可再次运行已成功的运行）"
    if held and before:
        said += (
            f"；{_listed(held, True)} 在等待追踪表记录为在 bridge 之前已失败的行"
            f"（{_listed(before, True)}）"
        )
        if runnable:
            said += (
                f"：`bridge retry {' '.join(runnable)}` 在 bridge 下运行这些行，这些运行随之运行"
            )
    elif before:
        said += f"；追踪表记录 {_listed(before, True)} 在 bridge 之前已失败"
        if runnable:
            said += f"：`bridge retry {' '.join(runnable)}` 在 bridge 下运行它们"
    if commandless:
        said += (
            f"；{_listed(commandless, True)} 在此没有命令：要在 bridge 下运行，请为每个运行在 "
            "bridge.toml 中写带 command 的 [[runs]] 条目；若该结果成立，请在追踪表中把其 "
            "Status 改为 `NOT RUN — <原因>`（不在范围内，不计入必做运行；写 DONE 则记为已完成）"
        )
    return said


def _no_command(ids: Sequence[str], *, every: bool) -> str:
    """
    The clause a refusal ends with for rows failed before bridge that have no command here
    (``every``: all of those it named): what running them under bridge needs, and what to do
    if the tracker's result stands. Advice that works when followed, as a retry of them is
    refused.
    """
    one = len(ids) == 1
    who = (
        ("it has" if one else "they have")
        if every
        else f"; {_listed(ids)} {'has' if one else 'have'}"
    )
    return (
        f"{', and ' if every else ''}{who} no command here: to run {'it' if one else 'them'} under "
        f"bridge, give {'it' if one else 'each'} a [[runs]] entry with a command in bridge.toml; "
        f"if that result stands, set {'its' if one else 'their'} Status in the tracker to "
        "`NOT RUN — <reason>` (out of scope, not counted among the must-run runs; DONE counts "
        "as done)"
    )


def _can_launch(run: RunView, command: Sequence[str] | None = None) -> bool:
    """
    A retry of ``run`` as it stands would launch it, not be refused: it is an experiment run
    (not a tracker task) with a command (``command``, the one the inputs give now, else the
    recorded spec's) whose placeholders all have values. What a suggested ``bridge retry`` may
    name.
    """
    argv = run.spec.command if command is None else tuple(command)
    return not run.is_task and bool(argv) and not unfilled(argv, run.spec.params)


def _failed_sanity_check(state: PipelineState) -> list[str]:
    """
    The succeeded runs the latest sanity check failed on, when it failed: what its detail
    names before each reason ("A1: no metric could be read from its outputs; A2: …").
    """
    if not state.sanity_checks or state.sanity_checks[-1].passed:
        return []
    named = re.findall(r"(?:^|; )([^:;]+): ", state.sanity_checks[-1].detail)
    return [r for r in dict.fromkeys(named) if r in state.runs and state.runs[r].state in _DONE]


def sent_back(
    before: PipelineState,
    state: PipelineState,
    again: Sequence[str],
    *,
    failed: bool,
    milestone: str | Sequence[str],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """
    Of the runs an edit of the inputs sent back to run again (``again``, recorded between
    ``before`` and ``state``), those a ``--failed`` or ``--milestone`` retry asks for, and those
    bridge had cancelled because of them (revived with them); both empty without either flag.
    """
    if not (failed or milestone):
        return (), ()
    names = [milestone] if isinstance(milestone, str) else milestone
    # The status bar's `(no milestone)` is the runs of none (id ""), as `select` reads it.
    wanted = {_milestone_id(state, m).casefold() for m in names if m}
    taken = [r for r in again if not wanted or state.runs[r].spec.milestone.casefold() in wanted]
    revived = tuple(r for r in taken if r in before.runs and bridge_cancelled(before.runs[r]))
    return tuple(r for r in taken if r not in revived), revived


# The names `bridge status` gives the bar of the runs of no milestone (id ""), in English and
# Chinese, with or without their brackets: what a person types after reading it (032).
_NO_MILESTONE_NAMES = frozenset({"no milestone", "无里程碑"})


def _says_no_milestone(name: str) -> bool:
    """Whether ``name`` is the status bar's name of the runs of no milestone, `(no milestone)`
    or `（无里程碑）`, brackets, case and spaces aside."""
    return " ".join(name.strip().strip("()（）").split()).casefold() in _NO_MILESTONE_NAMES


def _milestone_id(state: PipelineState, name: str) -> str:
    """The id ``name`` stands for: ``""`` for the status bar's `(no milestone)` when the plan
    has runs of none and no milestone of that name, else ``name`` itself."""
    if name not in state.milestone_ids and "" in state.milestone_ids and _says_no_milestone(name):
        return ""
    return name


def _milestone_shown(milestone: str, zh: bool) -> str:
    """A milestone id as `bridge status` names it: the runs of none (``""``) by their bar."""
    return milestone or ("（无里程碑）" if zh else "(no milestone)")


def _milestone_named(state: PipelineState, milestone: str) -> str:
    """
    The plan's milestone ``milestone`` names, matched as run ids are typed ("m2" is M2); the
    status bar's `(no milestone)` (`（无里程碑）`) names the runs of none (id ``""``).

    Raises:
        UnknownRunError: the plan has no such milestone (its milestones are listed, or, when
            it has none, the ways to choose runs instead).
    """
    milestone = _milestone_id(state, milestone)
    if milestone in state.milestone_ids:
        return milestone
    same = [m for m in state.milestone_ids if m.casefold() == milestone.casefold()]
    if len(same) == 1:
        return same[0]
    zh = language_of(state) == "zh"
    # Runs of no milestone have the id "": not a milestone to list (a trailing ", "), but
    # said, with the name that takes them.
    listed = ", ".join(m for m in state.milestone_ids if m)
    none = _milestone_shown("", zh)
    if listed:
        if zh:
            others = f'，以及不属于任何里程碑的运行（--milestone "{none}"）'
            tail = others if "" in state.milestone_ids else ""
            raise UnknownRunError(f"--milestone {milestone}：计划中的里程碑是 {listed}{tail}")
        others = f', and runs of no milestone (--milestone "{none}")'
        tail = others if "" in state.milestone_ids else ""
        raise UnknownRunError(f"--milestone {milestone}: the plan has milestones {listed}{tail}")
    if not state.runs:
        # Nothing is loaded before the first `bridge run`: no milestone of it is known yet.
        raise UnknownRunError(
            f"--milestone {milestone}：尚未加载计划（`bridge run` 会加载它）"
            if zh
            else f"--milestone {milestone}: no plan is loaded yet (`bridge run` loads it)"
        )
    # 032 places every run in none: "the plan has milestones " (an empty list) left no way on.
    failed = [r.run_id for r in state.runs.values() if r.state in FAILED and not r.is_task]
    named = failed or [r.run_id for r in state.runs.values() if not r.is_task]
    example = " ".join(named[:2])
    if zh:
        raise UnknownRunError(
            f"--milestone {milestone}：计划没有里程碑：请指明运行（`bridge retry {example}`），"
            f'或用 --failed；--milestone "{none}" 选取它的所有运行'
        )
    raise UnknownRunError(
        f"--milestone {milestone}: the plan has no milestones: name the runs (`bridge retry "
        f'{example}`), or use --failed; --milestone "{none}" takes all its runs'
    )


def _revived(state: PipelineState, retried: Sequence[str]) -> list[str]:
    """
    The runs bridge cancelled because of a retried run: those waiting on it, directly or through
    others (``depends_on``, "dependency R001 failed"), those of later milestones stopped by it
    ("milestone M2 must-run R007 ended failed"), and those cancelled because a milestone could
    not go on, from the retried run's milestone on (they are decided again).
    """
    back = set(retried)
    order = {m: i for i, m in enumerate(state.milestone_ids)}
    earliest = min((order.get(state.runs[r].spec.milestone, 0) for r in retried), default=0)
    grew = True
    while grew:
        grew = False
        for run in state.runs.values():
            if run.run_id in back or not bridge_cancelled(run):
                continue
            named = re.search(r"dependency (\S+) (?:failed|was cancelled)", run.reason)
            # The scheduler's words for a milestone stopped by one of its must-run runs; a
            # milestone's name may hold spaces (034's "Ablations complete": its seven cancelled
            # runs stayed cancelled when R005's fixed command ran it again).
            stopped = re.search(r"milestone .+? must-run (\S+) ended ", run.reason)
            waits = any(dep in back for dep in run.spec.depends_on) or any(
                found is not None and found.group(1) in back for found in (named, stopped)
            )
            later = "its milestone" in run.reason and order.get(run.spec.milestone, 0) >= earliest
            if waits or later:
                back.add(run.run_id)
                grew = True
    return [r for r in state.runs if r in back and r not in retried]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class AlsoAgain:
    """
    A run the next ``bridge run`` starts besides those a retry scheduled: sent back to run
    again before it, by an edit of the inputs (the retry recorded the edit first) or by an
    earlier retry.

    Args:
        run_id: the run.
        reason: why it runs again, as recorded (``its settings changed (inputs changed:
            bridge.toml)``).
        changes: its settings that changed since its last attempt launched, old → new (none
            when only its turn to run again was recorded).
    """

    run_id: str
    reason: str
    changes: tuple[ev.SpecChange, ...] = ()


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Retried:
    """
    What a retry scheduled: the runs asked for, and the runs revived with them; ``also``: the
    other runs the next ``bridge run`` starts again, and why (039 on trial t15: a fix in
    bridge.toml for R004 found by ``bridge retry --force R002``, which said only "will run
    again: R002", and R004 ran with no word of its changed settings); ``changed``: those it
    scheduled whose settings changed since they last launched, with the changes (033's R003,
    fixed in bridge.toml, then `bridge retry --failed`: neither command said the fix was taken);
    ``left_out``: the runs it would have taken by kind that the tracker took out of scope after
    they succeeded (:func:`ruled_out_by_kind`), said with :func:`left_out`.
    """

    asked: tuple[str, ...]
    revived: tuple[str, ...] = ()
    also: tuple[AlsoAgain, ...] = ()
    changed: tuple[AlsoAgain, ...] = ()
    left_out: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        """
        Every run scheduled, the ones asked for first.
        """
        return (*self.asked, *self.revived)


# How the reason of a run revived with another ends (failure_words reads it for its Chinese).
_WAITS = " (a run it waits for runs again)"


def schedule(
    s: Session, run_ids: Sequence[str], reason: str, *, pending_already: bool = False
) -> Retried:
    """
    Put ``run_ids`` back to pending, with the runs bridge cancelled because of them.
    ``pending_already``: ``run_ids`` are pending again already (a tracker row set back to
    TODO): only the runs bridge cancelled because of them are put back.
    """
    state = s.state()
    revived = _revived(state, run_ids)
    for run_id in [*(() if pending_already else run_ids), *revived]:
        run = s.state().runs[run_id]
        why = reason if run_id in run_ids else f"{reason}{_WAITS}"
        if run_id in run_ids and (stopped := stopped_by(run)):
            # A cancelled run runs again: said with who had stopped it (a person's cancel is
            # taken back only by a person's word, which ``reason`` names).
            why = f"{why}; {stopped}"
        s.append(
            f"run:{run_id}",
            [ev.RunRetryScheduled(run_id=run_id, reason=why, manual=True)],
            run.stream_version,
        )
    return Retried(asked=tuple(run_ids), revived=tuple(revived))


def also_again(s: Session, retried: Retried) -> Retried:
    """
    ``retried`` with :attr:`Retried.also`: every run not among those it scheduled that waits
    to run again (pending, with the reason it was sent back: a run never launched has none),
    with the settings changed since its last launch, as ``bridge run`` would have said them;
    and :attr:`Retried.changed`: those it scheduled whose settings changed so.
    """
    state = s.state()
    taken = set(retried.all)
    also = tuple(
        AlsoAgain(run_id=run.run_id, reason=run.reason, changes=_changed_since_launch(s, run))
        for run in state.runs.values()
        if run.run_id not in taken and run.state is RunState.PENDING and run.reason
    )
    # The runs it scheduled whose settings an edit it recorded changed: the retry recorded
    # them, so `bridge run` no longer says "spec changed" of them either.
    changed = tuple(
        AlsoAgain(run_id=run_id, reason=state.runs[run_id].reason, changes=changes)
        for run_id in retried.all
        if (changes := _changed_since_launch(s, state.runs[run_id]))
    )
    return attrs.evolve(retried, also=also, changed=changed)


def _changed_since_launch(s: Session, run: RunView) -> tuple[ev.SpecChange, ...]:
    """The spec changes recorded for ``run`` since its last attempt was submitted."""
    changes: list[ev.SpecChange] = []
    for record in s.store.read(f"run:{run.run_id}"):
        match record.event:
            case ev.RunSubmitted():
                changes = []
            case ev.RunSpecChanged(changes=changed):
                changes += changed
            case _:
                pass
    return net_changes(changes)


def net_changes(changes: Sequence[ev.SpecChange]) -> tuple[ev.SpecChange, ...]:
    """
    ``changes`` one per field, from its first old value to its last new one, in the order the
    fields first changed; a field back where it was is left out. A run edited twice before it
    launched again (020's R032: cancelled after a bad option was set, then the option taken
    out) said both edits chained, the first of which it never ran with (h42G F13).
    """
    first: dict[str, ev.SpecChange] = {}
    for change in changes:
        was = first.get(change.field)
        first[change.field] = change if was is None else attrs.evolve(was, new=change.new)
    return tuple(c for c in first.values() if c.old != c.new)
