"""
``refine-logs/EXPERIMENT_TRACKER.md``: every run, its status and notes, as the log tells it.

When the researcher had a tracker, it is their file filled in (:mod:`.tracker_layout`): every
column, section and byte kept, only the Status and Notes of the runs bridge launched rewritten
(stale notes replaced, not appended to). Without one, bridge writes its own table. The table's
header is machine-read by the ARIS tools and by bridge's own plan loader, so it is never
translated; headings and prose follow the ``language`` setting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from bridge.events import types as ev
from bridge.lazy_patterns import lazy
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.stages import NOT_BRIDGES_RUN_STATES, RunState, Stage
from bridge.plan.notes_label import note_joiner
from bridge.plan.priority import Priority
from bridge.plan.run_fields import launch_seed
from bridge.plan.tracker import seed_row
from bridge.projections.diagram import mermaid
from bridge.projections.failure_words import (
    carried_words,
    failure_in_language,
    kept_in_language,
    kept_retry,
    retry_in_language,
    row_gone,
    running_elsewhere,
    split_in_language,
)
from bridge.projections.markdown import line, table
from bridge.projections.text import stamp, t

if TYPE_CHECKING:
    from bridge.plan.status_legend import StatusLegend

__all__ = ["HEADER", "STATUS_WORDS", "render", "shown_word", "status_word"]

HEADER = (
    "Run ID",
    "Milestone",
    "Purpose",
    "System / Variant",
    "Split",
    "Metrics",
    "Priority",
    "Status",
    "Notes",
)

STATUS_WORDS = {
    RunState.PENDING: "TODO",
    RunState.SUBMITTED: "QUEUED",
    RunState.RUNNING: "RUNNING",
    RunState.SUCCEEDED: "DONE",
    RunState.FAILED_OOM: "OOM",
    RunState.FAILED: "FAILED",
    RunState.TIMED_OUT: "TIMEOUT",
    RunState.LOST: "LOST",
    RunState.CANCELLED: "CANCELLED",
    RunState.STUCK: "STUCK",
    RunState.DONE_BEFORE: "DONE",
    RunState.OUT_OF_SCOPE: "SKIPPED",
}
# The word for an out-of-scope row the tracker says is blocked (RunView.blocked_in_tracker).
BLOCKED = "BLOCKED"


def status_word(run: RunView) -> str:
    """
    The tracker's status word for ``run`` (the vocabulary the ARIS tracker uses): a row the
    tracker says ended failed or invalid before bridge is FAILED, not DONE (002's "**GATE
    FAILED**" sanity row read DONE in the results), though it counts as settled; a row the
    tracker says is blocked is BLOCKED, not SKIPPED, though it is out of scope.
    """
    if run.state is RunState.DONE_BEFORE and run.found_status:
        from bridge.plan.vocabulary import ended_failed

        if ended_failed(run.found_status):
            return STATUS_WORDS[RunState.FAILED]
    if run.blocked_in_tracker:
        # 027's BLOCKED_BY_M1.5 rows: SKIPPED here while the summary said blocked.
        return BLOCKED
    if run.by_person or run.waits_outside or run.awaiting_code or run.held_for_code:
        # 020's R025 (owner 白天：人工): still to do, by people; SKIPPED read as dropped. So
        # did 011's R020, which runs once R017 (human annotation) is done, and 023's R020
        # waiting for its code. The runs held behind R020 (R031-R043) were written CANCELLED
        # over the researcher's TODO in their own tracker: they run once it is released.
        return STATUS_WORDS[RunState.PENDING]
    if run.task_done:
        # 011's R001 "Implement Stage B": DONE in its row, SKIPPED in `bridge status`.
        return STATUS_WORDS[RunState.DONE_BEFORE]
    return STATUS_WORDS[run.state]


def shown_word(run: RunView, language: str) -> str:
    """
    The word bridge's own views give a run's state (the status table, the results' Status
    column, the tracker's run counts): :func:`status_word`, except for a run that waits for its
    code (:attr:`RunView.awaiting_code`) or is held behind one (:attr:`RunView.held_for_code`),
    which reads as waiting or held in ``language``, as the progress bars and the summary count
    it, and a run set aside (its row no longer in the plan as it ran: :func:`row_gone`) as set
    aside, as its reason says. The Status cell of the researcher's own tracker keeps
    :func:`status_word`: there TODO is their word for the row, and setting it is what releases
    the run.
    """
    if run.state is RunState.OUT_OF_SCOPE and row_gone(run.reason):
        # 018's split runs after the split was undone read SKIPPED (trial t12).
        return t("state_set_aside", language)
    if run.awaiting_code:
        # 023's R020 read "TODO" (ready to launch) beside "4 个等待代码写好" (trial t11).
        return t("state_awaiting_code", language)
    if run.held_for_code:
        return t("state_held_for_code", language)
    return status_word(run)


# The states in which a run's reason is why it runs (again), not why it ended.
_AGAIN = frozenset({RunState.PENDING, RunState.SUBMITTED, RunState.RUNNING})


def _notes(
    run: RunView,
    language: str,
    *,
    rentals: Mapping[str, ev.InstanceRented] | None = None,
    labelled: bool = False,
    measured: str = "",
    why: bool = True,
) -> str:
    """
    What bridge knows about a run, for its Notes cell (``labelled``: in the researcher's own
    tracker, where bridge's part is always labelled ``bridge:`` so that what the researcher
    writes there later is told apart from it): the tracker row's Notes as the researcher
    wrote them (as first planned: a reload keeps them), which are theirs and may say what places
    the run (``block B1``, a seed), so every later load reads the same from the cell; then,
    after ``bridge:``, seed, attempt, exit code, overdue, the command that stops the paid
    machine of its attempt (``rentals``, by attempt id), what it measured (``measured``: its
    Key Metric cell, said where the researcher's note holds numbers of its own), the reason it
    stopped (with ``why``; an out-of-scope run's is the researcher's Status, not bridge's).
    """
    spec = run.spec
    zh = language == "zh"
    parts: list[str] = []
    attempt = run.current
    if run.carried is not None and run.state is RunState.SUCCEEDED:
        # Another run's attempt, not launched as this run: whose, not "attempt 1 on local#0"
        # (an attempt this run never had); the words name the seed.
        parts.append(carried_words(run.carried.from_run, launch_seed(spec), language))
        attempt = None
    elif spec.seed is not None and f"seed {spec.seed}" not in spec.notes:
        parts.append(f"种子 {spec.seed}" if zh else f"seed {spec.seed}")
    if attempt is not None:
        where = ",".join(slot.label() for slot in attempt.slots) or attempt.backend
        parts.append(
            f"第 {attempt.number} 次尝试，{where}" if zh else f"attempt {attempt.number} on {where}"
        )
        if attempt.exit_code is not None:
            parts.append(f"退出码 {attempt.exit_code}" if zh else f"exit {attempt.exit_code}")
        if attempt.overdue:
            parts.append("超时预警 OVERDUE" if zh else "OVERDUE")
        rented = (rentals or {}).get(attempt.attempt_id)
        if rented is not None:
            parts.append(f"清理: {rented.cleanup}" if zh else f"cleanup: {rented.cleanup}")
    # A blocking training-quality finding, marked as the results' Status cell marks it
    # ("DONE ⚠ non_finite"): a row reading "exit 0" and nothing else looked clean (trial: 001
    # with `accuracy: NaN`). In bridge's part of the Notes, so the researcher's Status word
    # and Notes stay as they wrote them; the kind is the word programs read, in either language.
    flagged: dict[str, list[str]] = {}
    for flag in run.metrics.quality if run.metrics is not None else ():
        if flag.blocking:
            metrics = flagged.setdefault(flag.kind, [])
            if flag.metric and flag.metric not in metrics:
                metrics.append(flag.metric)
    for kind, metrics in sorted(flagged.items()):
        named = ", ".join(line(m) for m in metrics)
        parts.append(f"⚠ {kind}" + (("：" if zh else ": ") + named if named else ""))
    if run.wrote_no_number:
        # Succeeded, and no number: said on its row, beside any earlier record the row keeps
        # (018's JPH-B1-HO-S2, set back to TODO and rerun writing `{}`, read `passed` beside its
        # old 最差最优动作概率 0.9877 as if this attempt had measured it, trial t15).
        earlier = run.found_status if run.state is RunState.SUCCEEDED else ""
        said = (
            "没有记录任何指标数值"
            + (
                f"；本行其他列中的结果来自 bridge 之前的记录（当时为 {earlier}），"
                "不是这次尝试测得的"
                if earlier
                else ""
            )
            if zh
            else "recorded no metric value"
            + (
                f"; results in the row's other cells are from the record before bridge (then "
                f"{earlier}), not measured by this attempt"
                if earlier
                else ""
            )
        )
        parts.append(said)
    if measured and run.state is RunState.SUCCEEDED and _NOTED_NUMBER.search(spec.notes):
        # The researcher's note holds numbers ("MRR 0.383"): beside it "exit 0" alone read as
        # if this attempt had confirmed them (009's R002 rerun measured 0.414, trial t17 F4).
        # What it measured, and the note's own numbers named as the earlier record.
        parts.append(f"测得 {measured}" if zh else f"measured {measured}")
        if also := _named_in_note(run):
            parts[-1] += ("，" if zh else ", ") + ", ".join(also)
        if run.found_status:
            parts.append(
                f"前面备注中的数值来自 bridge 之前的记录（当时为 {run.found_status}），"
                "不是这次尝试测得的"
                if zh
                else f"the note's numbers before this label are the record before bridge (then "
                f"{run.found_status}), not measured by this attempt"
            )
    if run.kept is not None:
        # Its numbers come from settings or code the inputs no longer give: said on its row,
        # where a reader of the tracker alone looks (the console said it once, and only there).
        kind, changes = kept_in_language(run.kept.changes, language)
        retry = kept_retry([run.run_id])
        parts.append(
            f"数值来自{kind}（{line(changes)}），`{retry}` 会用当前版本重新运行"
            if zh
            else f"numbers from {kind} ({line(changes)}), `{retry}` runs it with the current ones"
        )
    if why and run.reason and run.state not in (RunState.SUCCEEDED, RunState.DONE_BEFORE):
        # A run waiting to run again, or running again, holds why it does (018: "retry asked by
        # a person" in a Chinese tracker's Notes, also while its attempt 2 ran, trial t11), not
        # why it failed; `bridge status` reads it the same way.
        failure = retry_in_language(run.reason, language) if run.state in _AGAIN else run.reason
        if failure == run.reason:
            # Why it ended, or, for a run set aside (a row split or removed), bridge's reason.
            failure = split_in_language(failure_in_language(run.reason, language), language)
        if parts and failure.startswith((f"{parts[-1]}:", f"{parts[-1]}：")):
            parts.pop()  # "exit 1: ValueError …" says the exit code already: not "exit 1; exit 1:"
        parts.append(failure)
    said = ("；" if zh else "; ").join(parts)
    if not spec.notes:
        return (f"bridge：{said}" if zh else f"bridge: {said}") if labelled and said else said
    if not said:
        return spec.notes
    # The researcher's note first and whole, then bridge's, labelled: a note with numbers from
    # an earlier run ("MRR 0.383") must not read as what bridge's attempt measured. A note that
    # ends a sentence is followed as a sentence is (".; bridge:" read as a typo, trial M1).
    return f"{spec.notes}{note_joiner(spec.notes, zh)}{'bridge：' if zh else 'bridge: '}{said}"


# A measured-looking number in a note: a decimal, a ratio or a percentage ("MRR 0.383",
# "1839/1839", "91%"), not a seed or a count of steps, nor a decimal glued to a word's letters,
# a name or a version (023's R031 "Stage1.5 checkpoint", "v1.5").
_NOTED_NUMBER = lazy(r"(?<![A-Za-z_.\d])\d+[.,]\d|\d\s*/\s*\d|\d\s*%")


def _named_in_note(run: RunView) -> list[str]:
    """
    The values the run recorded under a metric its note names by a ``[metrics] aliases`` name
    (009's `"mrr[compact]" = "MRR"` beside "MRR 0.383"): ``mrr[compact] = 0.414442``, in the
    order recorded, the key metric's left to the Key Metric cell said before them.
    """
    from bridge.projections.results import number

    metrics = run.metrics
    if metrics is None:
        return []
    said = []
    for value in metrics.values:
        if value.name == metrics.key_metric or value.value is None:
            continue
        names = metrics.aliases.get(value.name, ())
        if any(
            re.search(rf"(?<![\w@]){re.escape(n)}(?![\w@])", run.spec.notes, flags=re.IGNORECASE)
            for n in names
        ):
            said.append(f"{value.name} = {number(value.value)}")
    return list(dict.fromkeys(said))


def render(state: PipelineState, language: str = "en") -> str:
    """
    Render the tracker. Pure: the same state and language give the same bytes.
    """
    if state.plan is not None and state.plan.tracker_text:
        return _filled_in(state, state.plan.tracker_text, language)
    return _own(state, language)


# What a state means in the researcher's words (tracker_layout.researchers_words); the states
# left out keep bridge's word, which says more (OOM, TIMEOUT, LOST, STUCK, CANCELLED, QUEUED).
_MEANING = {
    RunState.PENDING: "todo",
    RunState.RUNNING: "running",
    RunState.SUCCEEDED: "done",
    RunState.FAILED: "failed",
    RunState.DONE_BEFORE: "done",
    RunState.OUT_OF_SCOPE: "skipped",
}


def _row(
    run: RunView,
    status_raw: str,
    language: str,
    rentals: Mapping[str, ev.InstanceRented] | None = None,
    words: Mapping[str, str] | None = None,
    legend: StatusLegend | None = None,
    untrusted_word: str = "",
    measured: Mapping[str, str] | None = None,
) -> tuple[str | None, str | None]:
    from bridge.projections.tracker_layout import kept_as_written

    meaning = _MEANING.get(run.state, "")
    theirs = (words or {}).get(meaning)
    kept = kept_as_written(run, status_raw, legend) if legend else kept_as_written(run, status_raw)
    word = _marked(run, theirs or status_word(run), untrusted_word)
    status = None if kept else _with_earlier(word, status_raw, language)
    if run.state is RunState.OUT_OF_SCOPE:
        # Out of scope by the researcher's word: what bridge said of its retries and
        # cancellations no longer holds (021's R011 kept "bridge：由人要求重试；bridge 此前已取消它
        # （…）" beside NOT RUN, trial t17 F6): only what its attempts did, if any ran, stays;
        # the researcher's Notes as written (a cell holding no part of bridge's is not rewritten).
        if not run.attempts:
            return status, run.spec.notes
        return status, _notes(run, language, rentals=rentals, labelled=True, why=False)
    if run.state in NOT_BRIDGES_RUN_STATES or not (run.attempts or run.reason):
        return status, None  # bridge has nothing to say: the researcher's Notes stay
    said = (measured or {}).get(run.run_id, "")
    return status, _notes(run, language, rentals=rentals, labelled=True, measured=said)


# What an earlier render wrote after bridge's word: the researcher's Status before bridge.
_EARLIER = lazy(r"[(（](?:was|原为)[:：]\s*(.+)[)）]\s*$")


def _with_earlier(status: str, written: str, language: str) -> str:
    """
    Bridge's Status word for a run it launched, followed by the researcher's Status ``written``
    on its row when that Status gave one outcome per part (038's HIP-03 ``PASS-STATIC /
    PENDING-RESIDENT`` → ``DONE (was: PASS-STATIC / PENDING-RESIDENT)``): bridge's run settles
    the row, but not which of their parts it settled, so their words stay on it (the row read
    ``DONE``; they survived only in the ``.before-bridge.md`` copy). Any other ``status`` as it
    is.
    """
    from bridge.plan.vocabulary import status_parts

    raw = " ".join(written.replace("**", "").replace("`", "").split())
    # The tracker bridge filled in, read back after the researcher edited it (the layout it
    # fills in then): its Status holds bridge's word and the earlier one, which stays.
    earlier = found.group(1) if (found := _EARLIER.search(raw)) else raw
    if not status_parts(earlier):
        return status
    return f"{status}（原为：{earlier}）" if language == "zh" else f"{status} (was: {earlier})"


def _not_launched(run: RunView, language: str) -> str:
    zh = language == "zh"
    if run.state is RunState.DONE_BEFORE and status_word(run) == STATUS_WORDS[RunState.FAILED]:
        # 032's "❌ Failed" read "done before bridge" here while the console said it ended failed.
        what = "运行前已以失败结束" if zh else "ended failed before bridge"
    elif run.state is RunState.DONE_BEFORE:
        what = "运行前已完成" if zh else "done before bridge"
    elif run.blocked_in_tracker:
        what = "在追踪表中受阻" if zh else "blocked in the tracker"
    elif run.by_person:
        what = "由人工执行、尚未完成" if zh else "work people do, not done yet"
    elif run.waits_outside:
        # 011's R020: "out of scope: TODO (waits for R017 …)" read as dropped.
        what = "等待中" if zh else "waiting"
    elif run.awaiting_code:
        # 023's R020: "out of scope: PENDING_IMPLEMENTATION" beside a summary saying it waits.
        what = "等待代码写好" if zh else "waiting for its code"
    elif row_gone(run.reason):
        # bridge's, for a row split into seeds or removed (002's R007, trial t10).
        what = "已搁置" if zh else "set aside"
    else:
        what = "不在范围内" if zh else "out of scope"
    return f"- {run.run_id} — {what}: {line(split_in_language(run.reason, language)) or '-'}"


def _filled_in(state: PipelineState, template: str, language: str) -> str:
    # Imported here: `bridge status` needs only status_word, not the tracker parser behind this.
    from bridge.projections.tracker_layout import (
        fill_in,
        generated_section,
        has_result_column,
        owned_columns,
        researchers_words,
        run_table_header,
        template_legend,
        template_untrusted_word,
    )

    file = state.plan.sources.get("tracker", "EXPERIMENT_TRACKER.md") if state.plan else ""
    rentals = {r.attempt_id: r for r in state.rentals}
    # What succeeded runs measured: said beside a note holding numbers of its own (_notes) and
    # in a Result column's cell (fill_in); read only when such a row or column is there (it
    # costs a walk of every run's metrics), else for bridge's rows under the tables, if any.
    needed = has_result_column(template, file) or any(
        r.state is RunState.SUCCEEDED and _NOTED_NUMBER.search(r.spec.notes)
        for r in state.runs.values()
    )
    measured = _measured(state, language) if needed else {}
    words = researchers_words(template, file, set(STATUS_WORDS.values()))
    legend = template_legend(template, file)
    invalid = template_untrusted_word(template, file)
    lines, shown = fill_in(
        template,
        file,
        state,
        lambda run, raw: _row(run, raw, language, rentals, words, legend, invalid, measured),
        measured,
        language,
    )
    body = [_summary(state, language), ""]
    if any(run_id in shown for run_id in measured) and has_result_column(template, file):
        # The Result cells are the researcher's column: which values in it are bridge's, and
        # what it does with them, is said once (the stamp names the cells bridge owns outright).
        body += [
            "结果列中 bridge 填入的 `指标 = 值` 是该运行测得的关键指标（与 EXPERIMENT_RESULTS.md "
            "的关键指标单元格相同）：重跑后 bridge 会更新它；你自己写在该列的内容保持不变。"
            if language == "zh"
            else "A Result cell bridge filled (`metric = value`) is the run's measured key metric, "
            "as EXPERIMENT_RESULTS.md's Key Metric cell shows it: bridge updates it after a "
            "rerun; what you write in that column stays as you wrote it.",
            "",
        ]
    elsewhere = _elsewhere(state)
    skipped = [r for r in state.runs.values() if r.state in NOT_BRIDGES_RUN_STATES]
    if skipped:
        heading = "未由 bridge 运行" if language == "zh" else "Not launched by bridge"
        body += [f"### {heading}", "", *(_not_launched(r, language) for r in skipped), ""]
    # A run whose row the researcher deleted (or split into seeds) is listed once, above, with
    # why: not put back as a row under "Runs not in the tables above" (039's R004b, trial t8).
    extra = [
        r
        for r in state.runs.values()
        if r.run_id not in shown and not (r.state is RunState.OUT_OF_SCOPE and row_gone(r.reason))
    ]
    # 034's tracker has a row per block, whose Run ID cell bridge fills in: those runs are in the
    # tables above, by block, and listed one by one here under a heading that says so.
    filled = _block_rows_text(lines, file)
    by_block = [r for r in extra if re.search(rf"(?<![\w-]){re.escape(r.run_id)}(?![\w-])", filled)]
    header = run_table_header(template, file)
    if extra and not needed:
        measured = _measured(state, language)
    for runs, en, zh in (
        (by_block, "Each run of the block rows above", "上表各实验块行中的运行"),
        (
            [r for r in extra if r not in by_block],
            "Runs not in the tables above",
            "不在上表中的运行",
        ),
    ):
        if not runs:
            continue
        listed = (
            table(
                header,
                [
                    _row_under(header, r, language, rentals, elsewhere, invalid, measured)
                    for r in runs
                ],
            )
            if header is not None
            else table(HEADER, [_own_row(r, language, rentals, elsewhere, measured) for r in runs])
        )
        body += [f"### {zh if language == 'zh' else en}", "", listed, ""]
    under = [r for r in state.runs.values() if r.run_id in shown and not shown[r.run_id]]
    # A seed of a row naming several has no Result cell of its own: its line says what it
    # measured (032's E02-s0 read "exit 0" alone, its row ✅ with "—" in Result). Nor has any
    # row of a run table with no Result column: 027's R-L3 read "退出码 0" alone beside its
    # seeds' "测得 pre_clamp_fk_p95 = 0.79", its numbers nowhere in the file (h41B F1).
    no_result = not has_result_column(template, file)
    seeds = [r for r in under if no_result or seed_row(r.run_id, r.spec.seed) is not None]
    if seeds and not measured:
        measured = _measured(state, language)
    noted = [
        (
            r.run_id,
            _with_measured(r, _row(r, "", language, rentals)[1], measured, language)
            if r in seeds
            else _row(r, "", language, rentals)[1],
        )
        for r in under
    ]
    noted_lines = [f"- {run_id}: {line(notes)}" for run_id, notes in noted if notes]
    if noted_lines:
        heading = "bridge 的备注" if language == "zh" else "Notes by bridge"
        body += [f"### {heading}", "", *noted_lines, ""]
    # The stamp claims the Notes cells only where bridge writes some: 027's run table has no
    # Notes column, and "the Status and Notes cells … are bridge's" named cells that are not
    # there while its notes stood under "Notes by bridge".
    status, notes = owned_columns(header)
    columns = (status, notes if any(shown.values()) else None)
    # No run table: its rows are blocks whose cells bridge fills (034), or none are runs (033).
    rows: Literal["runs", "blocks", "none"] = "runs"
    if header is None and not shown:
        rows = "blocks" if by_block else "none"
    return "\n".join([*lines, *generated_section(lines, state, language, body, columns, rows)])


def _with_measured(
    run: RunView, notes: str | None, measured: Mapping[str, str], language: str
) -> str | None:
    """
    ``notes``, bridge's line for ``run`` under "Notes by bridge", followed by what it measured
    (``measured``: its Key Metric cell) when it succeeded with a number not already said there.
    """
    said = measured.get(run.run_id, "")
    if not notes or run.state is not RunState.SUCCEEDED or not said or said in notes:
        return notes
    return f"{notes}{'；测得 ' if language == 'zh' else '; measured '}{said}"


def _block_rows_text(lines: list[str], file: str) -> str:
    """
    The rows of the tables that list blocks (034's `| Block | Status | Run ID | … |`,
    whose Run ID cells bridge fills in), as text: where a run the run tables lack is named. Not
    the rest of the file, whose prose and logs name runs too, nor bridge's part of a cell after
    its ``bridge:`` label (a Result cell's, which names the runs it measured).
    """
    from bridge.plan.notes_label import BRIDGE_LABEL
    from bridge.plan.text import Document
    from bridge.plan.tracker import block_column

    def theirs(cell: str) -> str:
        label = BRIDGE_LABEL.search(cell)
        return cell[: label.start()] if label is not None else cell

    doc = Document("\n".join(lines), file)
    return "\n".join(
        " | ".join(theirs(cell) for cell in cells)
        for table in doc.tables
        if block_column(table) is not None
        for _, cells in table.rows
    )


def _row_under(
    header: tuple[str, ...],
    run: RunView,
    language: str,
    rentals: Mapping[str, ev.InstanceRented] | None = None,
    elsewhere: frozenset[str] = frozenset(),
    untrusted_word: str = "",
    measured: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """
    A run the researcher's tables lack, as a row of their run table's ``header``: the first
    column its id, each column bridge knows by name filled in (a Result column with what the
    run measured, ``measured``), any other column left empty; its Status marked as
    :func:`_marked` says.
    """
    from bridge.plan.tracker import column_positions
    from bridge.projections.tracker_layout import result_column

    spec = run.spec
    columns = column_positions(header)
    known = {
        "milestone": spec.milestone,
        "block": spec.block,
        "purpose": spec.purpose,
        "system": spec.system,
        "split": spec.split,
        "metrics": _metrics_cell(run, measured or {}),
        "priority": "MUST" if spec.priority is Priority.MUST else "NICE",
        "status": _marked(run, _word(run, elsewhere), untrusted_word),
        "notes": _own_notes(run, language, rentals, elsewhere),
        "seed": "" if spec.seed is None else str(spec.seed),
    }
    cells = [""] * len(header)
    cells[0] = run.run_id
    for key, position in columns.items():
        if position:
            cells[position] = known.get(key, "")
    if (result_at := result_column(header, columns)) is not None and result_at:
        cells[result_at] = (measured or {}).get(run.run_id, "")
    return tuple(cells)


def _elsewhere(state: PipelineState) -> frozenset[str]:
    """
    The runs the plan is held on because the tracker says they are RUNNING and bridge never
    launched them: bridge's own rows say RUNNING for them, as `bridge status` does, not TODO
    (025's E-main while the plan was held on it).
    """
    held = state.blocked if state.stage is Stage.BLOCKED else None
    return running_elsewhere(held.reason) if held is not None else frozenset()


def _word(run: RunView, elsewhere: frozenset[str]) -> str:
    return "RUNNING" if run.run_id in elsewhere else status_word(run)


def _own_notes(
    run: RunView,
    language: str,
    rentals: Mapping[str, ev.InstanceRented] | None,
    elsewhere: frozenset[str],
) -> str:
    if run.run_id in elsewhere:
        return t("status_elsewhere", language)
    return _notes(run, language, rentals=rentals)


def _metrics_cell(run: RunView, measured: Mapping[str, str]) -> str:
    """
    The Metrics cell of bridge's own row for ``run``: the metrics its plan names, then what it
    measured (its Key Metric cell as results.md shows it, ``measured``), either when it is all
    there is: 015's runs recorded their numbers under a block naming no metrics, and the cell
    stayed empty.
    """
    parts = (", ".join(run.spec.metrics), measured.get(run.run_id, ""))
    return "; ".join(part for part in parts if part)


def _measured(state: PipelineState, language: str) -> dict[str, str]:
    """The Key Metric cell of each succeeded run that recorded a value (``key_cells``), read
    only when some run recorded one (it costs a walk of every run's metrics)."""
    from bridge.projections.results import key_cells

    if not any(r.metrics is not None and r.metrics.values for r in state.runs.values()):
        return {}
    return key_cells(state, language)


def _own_row(
    run: RunView,
    language: str,
    rentals: Mapping[str, ev.InstanceRented] | None = None,
    elsewhere: frozenset[str] = frozenset(),
    measured: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    return (
        run.run_id,
        run.spec.milestone,
        run.spec.purpose,
        run.spec.system,
        run.spec.split,
        _metrics_cell(run, measured or {}),
        "MUST" if run.spec.priority is Priority.MUST else "NICE",
        _marked(run, _word(run, elsewhere)),
        _own_notes(run, language, rentals, elsewhere),
    )


def _summary(state: PipelineState, language: str) -> str:
    """
    The line above the tracker's tables: the stage, and the experiment runs counted by their
    status word. The tracker's implementation tasks are no runs (001's I1-I7 made "21 runs" of
    14): counted apart, when there are any. A run that succeeded with numbers that cannot be
    trusted (a NaN, a divergence: 001's R005) is counted as such, not as DONE.
    """
    counts: dict[str, int] = {}
    elsewhere = _elsewhere(state)
    zh = language == "zh"
    runs = [r for r in state.runs.values() if not r.is_task]
    for run in runs:
        # Counted as bridge's views say them, not by the rows' Status words: 023's header read
        # "TODO 13" for six runs waiting for their code and seven held behind them.
        word = "RUNNING" if run.run_id in elsewhere else shown_word(run, language)
        if run.state is RunState.SUCCEEDED and _untrusted(run):
            word = f"{word} ⚠ {'数值不可信' if zh else 'not trusted'}"
        counts[word] = counts.get(word, 0) + 1
    summary = ", ".join(f"{word} {n}" for word, n in sorted(counts.items())) or "-"
    tasks = len(state.runs) - len(runs)
    return (
        f"**{t('stage', language)}:** `{state.stage.value}` · **{t('runs', language)}:** "
        f"{len(runs)} ({summary})"
        + (
            (
                f" · **追踪表的实现任务（不是运行）：** {tasks}"
                if zh
                else f" · **Implementation tasks of the tracker (not runs):** {tasks}"
            )
            if tasks
            else ""
        )
    )


def _untrusted(run: RunView) -> bool:
    """Whether ``run`` recorded a number it cannot be trusted with (a blocking finding)."""
    return run.metrics is not None and any(q.blocking for q in run.metrics.quality)


def _marked(run: RunView, word: str, untrusted_word: str = "") -> str:
    """
    The Status ``word`` of a run bridge ran, or, for a run that succeeded with numbers that
    cannot be trusted, the tracker legend's word for such a result (``untrusted_word``: 018's
    `invalid`), else ``word`` marked as the results' Status cell marks it (``DONE ⚠
    non_finite``): a plain DONE, ✅ or `passed` read as a clean success while the run's metric
    was NaN (026's E5, 034's R006, 018's JPH-B2-JT-S0, 027's R-A4; trial T7).
    """
    if run.state is not RunState.SUCCEEDED or run.metrics is None:
        return word
    kinds = sorted({q.kind for q in run.metrics.quality if q.blocking})
    if not kinds:
        return word
    return untrusted_word or f"{word} ⚠ {', '.join(kinds)}"


def _own(state: PipelineState, language: str) -> str:
    title = state.plan.title if state.plan else ""
    rentals = {r.attempt_id: r for r in state.rentals}
    elsewhere = _elsewhere(state)
    measured = _measured(state, language)
    rows = [_own_row(run, language, rentals, elsewhere, measured) for run in state.runs.values()]
    parts = [
        f"# {t('tracker_title', language)}" + (f": {title}" if title else ""),
        "",
        stamp(state, language),
        "",
        _summary(state, language),
        "",
        f"## {t('pipeline', language)}",
        "",
        mermaid(state.stage),
        "",
        f"## {t('runs', language)}",
        "",
        table(HEADER, rows),
        "",
    ]
    return "\n".join(parts)
