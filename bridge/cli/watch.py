"""
What ``bridge run`` shows while the pipeline works: a live view, or plain lines.

The watcher reads the log through its own store connection and folds it incrementally, so it
never touches the pipeline's objects and costs the pipeline nothing. Plain mode (``--plain``,
or output that is not a terminal: a CI log, ``nohup``) prints one line per notable event and,
so that a long job is never silent, a progress line per unfinished milestone at least every
``progress_every`` seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, assert_never

from bridge.cli.console import Printer, progress_lines, render_status
from bridge.events import types as ev
from bridge.events.store import Recorded, SQLiteEventStore
from bridge.machine.fold import Folder
from bridge.machine.scheduler import holder_waiting_for_code
from bridge.pipeline.steps.row_status import StatusKept, StatusNotTaken, StatusSaid
from bridge.projections.failure_words import (
    CODE_FIELD,
    RELABELLED,
    TRACKER_ROW_NOW,
    change_words,
    failure_in_language,
    retry_in_language,
    row_gone,
    split_in_language,
)
from bridge.projections.text import language_of
from bridge.projections.visible import visible

if TYPE_CHECKING:
    from bridge.pipeline.retries import AlsoAgain

__all__ = [
    "PROGRESS_EVERY",
    "LineMerger",
    "Watcher",
    "also_lines",
    "describe",
    "describe_all",
    "kept_lines",
]

PROGRESS_EVERY = 30.0  # seconds between progress lines in plain mode


def _folded(store: SQLiteEventStore) -> Folder:
    # From the newest snapshot plus the tail, as the session starts: a long log is not folded
    # from seq 1 again at every `bridge run` (a snapshot the session cannot use, it reports).
    from bridge.pipeline import snapshots

    return snapshots.load(store).folder


def kept_lines(
    kept: Mapping[str, Sequence[ev.SpecChange | StatusSaid]],
    language: str = "en",
    named_only: Collection[str] = (),
) -> list[str]:
    """
    One line per group of succeeded runs whose settings or code an edit changed the same way:
    they keep what they ran with, and the line says what changed and how to run them with the
    current inputs (``--changed`` when one change is shared by all, their ids otherwise). A tracker
    Status the researcher set on such a run has a line of its own: bridge keeps the result and
    writes its done status back (DONE, or the researcher's own word; nothing in the plan's own
    run table, which bridge does not write), and a retry runs it again (none is offered for an
    out-of-scope word). ``named_only``: runs the tracker took out of scope after they succeeded
    (``RunView.ruled_out_after``), which ``--changed`` leaves out: their retry names them.
    """
    zh = language == "zh"
    groups: dict[str, list[str]] = {}
    code_edited: set[str] = set()  # the groups whose change includes an edit of their code
    setting_changed: set[str] = set()  # the groups whose change includes a setting's
    statuses: dict[StatusSaid, list[str]] = {}
    for run_id, changes in kept.items():
        settings: list[ev.SpecChange] = []
        for change in changes:
            match change:
                case StatusKept() | StatusNotTaken():
                    statuses.setdefault(change, []).append(run_id)
                case ev.SpecChange():
                    settings.append(change)
                case _:
                    assert_never(change)
        if not settings:
            continue
        fields = "; ".join(change_words(c, zh) for c in settings)
        groups.setdefault(fields[:300], []).append(run_id)
        if any(c.field == CODE_FIELD for c in settings):
            code_edited.add(fields[:300])
        if any(c.field != CODE_FIELD for c in settings):
            setting_changed.add(fields[:300])
    lines = []
    for fields, ids in groups.items():
        # One change shared by every kept run: --changed names them all, however many (it runs
        # every run marked kept as it ran, an edit of its code too).
        # A run out of scope since it succeeded is left out by --changed (036's M2.1c).
        by_kind = len(groups) == 1 and not set(ids) & set(named_only)
        retry = "--changed" if by_kind else "--force " + " ".join(ids)
        named = _runs_named(ids, zh)
        code = fields in code_edited
        setting = fields in setting_changed
        if zh:
            what = "设置与代码" if code and setting else "代码" if code else "设置"
            lines.append(
                f"{named} 已成功，其{what}随后变更（{fields}）：保留原结果；"
                f"`bridge retry {retry}` 会用现在的{what}重新运行。"
            )
        else:
            it = "it" if len(ids) == 1 else "they"
            what = (
                "the settings and code changed"
                if code and setting
                else ("its code was edited" if it == "it" else "their code was edited")
                if code
                else "the settings changed"
            )
            now = "settings and code" if code and setting else "code" if code else "settings"
            lines.append(
                f"{named} succeeded before {what} ({fields}): kept as {it} ran; "
                f"`bridge retry {retry}` runs {'it' if it == 'it' else 'them'} with the "
                f"current {now}."
            )
    for said, ids in statuses.items():
        match said:
            case StatusKept(written=word, finding=True):
                lines.append(_finding_line(word, ids, zh))
            case StatusKept(written=word, in_plan=in_plan):
                lines.append(_status_line(word, ids, zh, in_plan=in_plan))
            case StatusNotTaken(ended=ended, written=word, in_plan=in_plan):
                lines.append(_not_applied_line(ended, word, ids, zh, in_plan=in_plan))
            case _:
                assert_never(said)
    return lines


def also_lines(also: Sequence[AlsoAgain], language: str = "en") -> list[str]:
    """
    One line per group of runs a retry did not ask for that the next ``bridge run`` starts
    again for the same reason and changes (an edit the retry recorded first, or an earlier
    retry): the runs, why, and each changed setting old → new, in the words ``bridge run``
    gives a changed spec (it no longer says them: the retry recorded them).
    """
    zh = language == "zh"
    groups: dict[tuple[str, str], list[str]] = {}
    for run in also:
        fields = ("；" if zh else "; ").join(change_words(c, zh) for c in run.changes)
        groups.setdefault((retry_in_language(run.reason, language), fields), []).append(run.run_id)
    lines = []
    for (reason, fields), ids in groups.items():
        named = _runs_named(ids, zh)
        if zh:
            changed = f"：{fields}" if fields else ""
            lines.append(f"下一次 `bridge run` 也会再次运行 {named}：{reason}{changed}"[:400])
        else:
            changed = f": {fields}" if fields else ""
            lines.append(f"the next `bridge run` also runs {named} again: {reason}{changed}"[:400])
    return lines


def changed_lines(changed: Sequence[AlsoAgain], language: str = "en") -> list[str]:
    """
    One line per group of runs a retry scheduled whose settings changed since they last
    launched: they run with the current ones, each change old → new, in the words ``bridge
    run`` gives a changed spec (it no longer says them: the retry recorded them).
    """
    zh = language == "zh"
    groups: dict[str, list[str]] = {}
    for run in changed:
        fields = ("；" if zh else "; ").join(change_words(c, zh) for c in run.changes)
        groups.setdefault(fields, []).append(run.run_id)
    return [
        (
            f"{_runs_named(ids, zh)} 以改过的设置运行：{fields}"
            if zh
            else f"{_runs_named(ids, zh)} {'runs' if len(ids) == 1 else 'run'} with the changed "
            f"settings: {fields}"
        )[:400]
        for fields, ids in groups.items()
    ]


def _not_applied_line(
    recorded: str, word: str, ids: Sequence[str], zh: bool, *, in_plan: bool = False
) -> str:
    """
    The line for runs bridge ran that did not succeed (``recorded``: FAILED, OOM, TIMEOUT …)
    whose tracker Status the researcher set to ``word``, which bridge does not take from a
    word (DONE, PASSED: a result it never recorded). In the researcher's tracker the row's
    Status is written back; in the plan's own run table (``in_plan``, 025) nothing is.
    """
    named = _runs_named(list(ids), zh)
    again = " ".join(ids)
    if zh:
        where, back = (
            ("计划运行表中的 Status ", "（计划中的 Status 由你维护，bridge 不改写）")
            if in_plan
            else ("追踪表的 Status ", "，该行的 Status 重新写为 bridge 记录的结果")
        )
        return (
            f"{named} 由 bridge 运行，结束为 {recorded}；{where}现为 {word}：未采用"
            f"（bridge 只计入它记录到的结果）{back}。"
            f"`bridge retry {again}` 会重新运行；把 Status 写成追踪表表示不运行的词（如 "
            "SKIPPED — <原因>）可将其排除。"
        )
    it = "it" if len(ids) == 1 else "them"
    where, back = (
        (
            "its Status in the plan's run table",
            " (the plan's Status cells are yours; bridge does not write them)",
        )
        if in_plan
        else ("the tracker's Status", ", so the row's Status says how bridge's run ended again")
    )
    return (
        f"{named} ended {recorded} when bridge ran {it}, and {where} now says "
        f"{word}: not applied (bridge counts only results it recorded){back}. "
        f"`bridge retry {again}` runs {it} again; a word "
        f"of the tracker's for not running (SKIPPED — <reason>) as the Status leaves {it} out."
    )


def _finding_line(word: str, ids: Sequence[str], zh: bool) -> str:
    """
    The line for succeeded runs whose tracker Status the researcher set to ``word``, a word
    their legend gives a finished run's negative result (018's `failed`, "方法/任务失败"): their
    verdict on the method, which bridge does not take from a Status (it judges blocks on the
    plan's criteria), so it writes its done word back; the line names the row, the word, why,
    and where the finding stays (the row's Notes before bridge's part, which bridge keeps).
    Before, the word was written over with only the generic "edit kept in a copy" line.
    """
    named = _runs_named(list(ids), zh)
    if zh:
        return (
            f"{named} 已成功，追踪表的 Status 被改为 {word}（按图例是已完成运行的负结果）："
            "bridge 不从 Status 的词取判定（实验块按计划的成功标准和运行的数值判定），"
            f"所以该行的 Status 写回已完成的状态，{word} 只在副本中；要记下这个结论，请写在该行的"
            " Notes 中（bridge 那部分之前的文字会保留）。"
        )
    one = len(ids) == 1
    return (
        f"{named} succeeded, and the tracker's Status now says {word} (by its legend a "
        "finished run's negative result): bridge takes no verdict from a "
        "Status word (it judges the block on the plan's criteria and the run's numbers), so "
        f"{'the row' if one else 'their rows'} read{'s' if one else ''} done again and {word} "
        "is only in the copy; to keep that finding, write it in the row's Notes (the text "
        "before bridge's part stays)."
    )


def _status_line(word: str, ids: Sequence[str], zh: bool, *, in_plan: bool = False) -> str:
    """
    The line for succeeded runs whose tracker Status the researcher set to ``word``: in the
    researcher's tracker bridge writes its done status back; in the plan's own run table
    (``in_plan``: 025, no tracker) it writes nothing, and the line says only that it keeps
    the result. For an out-of-scope word (``NOT RUN — <reason>``, SKIPPED) it also names the
    way to leave the numbers out, which the word is not: deleting the row, which sets the run
    aside (``REMOVED``: its result stays in the log, counted in no verdict) until the row is
    put back (trial t16 on 018's JPH-B2-FX-S0: nothing said how to take the arm out).
    """
    from bridge.plan.vocabulary import OUT_OF_SCOPE_STATUSES, normalise_status

    named = _runs_named(list(ids), zh)
    again = "" if normalise_status(word) in OUT_OF_SCOPE_STATUSES else " ".join(ids)
    one = len(ids) == 1
    if zh:
        # An out-of-scope word says why it is not taken, as in English (trial t16: 018's
        # `NOT RUN — 本机无 GPU` on a run that succeeded read "…写回已完成的状态。" alone).
        table = "计划运行表" if in_plan else "追踪表"
        tail = (
            f"；`bridge retry --force {again}` 会重新运行。"
            if again
            else "（已运行过的运行不会被排除在范围之外）。要把"
            f"{'它' if one else '它们'}的数值排除在结果之外，请从{table}中删除"
            f"{'该行' if one else '这些行'}：bridge 会搁置{'该运行' if one else '这些运行'}，"
            "结果保留在日志中、不计入任何判定（把行放回即重新计入）。"
        )
        if in_plan:
            return (
                f"{named} 已成功，计划运行表中的 Status 现为 {word}：bridge 保留其结果"
                "（计划中的 Status 由你维护，bridge 不改写）" + tail
            )
        return (
            f"{named} 已成功，追踪表的 Status 被改为 {word}：bridge 保留其结果并写回已完成的状态"
            + tail
        )
    tail = f"; `bridge retry --force {again}` runs {'it' if one else 'them'} again."
    table = "the plan's run table" if in_plan else "the tracker"
    out = (
        " (a run that has run is not taken out of scope). To leave "
        f"{'its' if one else 'their'} numbers out of the results, delete "
        f"{'its row' if one else 'their rows'} from {table}: bridge sets "
        f"{'the run' if one else 'the runs'} aside, {'its result' if one else 'their results'} "
        "kept in the log, counted in no verdict (put "
        f"{'the row back to count it' if one else 'the rows back to count them'} again)."
    )
    if in_plan:
        return (
            f"{named} succeeded, and {'its' if one else 'their'} Status in the plan's run table "
            f"now says {word}: bridge keeps {'its result' if one else 'their results'} (the "
            "plan's Status cells are yours; bridge does not write them)" + (tail if again else out)
        )
    return (
        f"{named} succeeded, and the tracker's Status now says {word}: bridge keeps "
        f"{'its result' if one else 'their results'} and writes its done status back"
        + (tail if again else out)
    )


def describe(rec: Recorded, language: str = "en") -> str | None:
    """
    One plain line for the events a person wants to see scroll by (None for the rest), in
    ``language`` (``zh`` or English; ids, stage names and reasons stay as recorded).
    """
    evt = rec.event
    at = rec.recorded_at.strftime("%H:%M:%S")
    zh = language == "zh"
    if isinstance(evt, ev.StageEntered):
        return f"{at} {'阶段' if zh else 'stage'} {evt.stage}: {evt.reason}"
    if isinstance(evt, ev.RunStarted):
        adopted = ("，已接管" if zh else ", adopted") if evt.adopted else ""
        return f"{at} {evt.run_id} {'已启动' if zh else 'started'} ({evt.attempt_id}{adopted})"
    if isinstance(evt, ev.RunSucceeded):
        return f"{at} {evt.run_id} {'完成' if zh else 'done'}"
    if isinstance(evt, ev.RunFailed):
        word = "OOM" if evt.oom else ("失败" if zh else "failed")
        return f"{at} {evt.run_id} {word}: {failure_in_language(evt.reason, language)}"
    if isinstance(evt, ev.RunRetryScheduled):
        if evt.manual and row_gone(evt.reason):
            # The step back to pending before a run of a row gone is ruled out: no retry, and
            # the next line says the same reason ("R007-s42 retry: … removed …", t10 on 002).
            return None
        if evt.manual and evt.reason == f"{evt.run_id} is in the plan again":
            # A row put back (steps/code.py `_put_back`): no retry yet; the next line says
            # whether it runs or takes back the result it had (025's A3-s1 split again).
            return f"{at} {evt.run_id} {'重新回到计划中' if zh else 'is in the plan again'}"
        reason = retry_in_language(evt.reason, language)
        if evt.reason.startswith(TRACKER_ROW_NOW):
            # A row set back to TODO, or to another mark: no retry (023's R020 had never run).
            return f"{at} {evt.run_id} {'按追踪表重新计划' if zh else 'replanned'}: {reason}"
        return f"{at} {evt.run_id} {'重试' if zh else 'retry'}: {reason}"
    if isinstance(evt, ev.RunFoundDone):
        from bridge.plan.vocabulary import ended_failed

        if ended_failed(evt.status):  # "R001 done before bridge: GATE FAILED" read as success
            what = "运行前已以失败结束，不运行" if zh else "ended failed before bridge, not run"
        else:
            what = "运行前已完成，不运行" if zh else "done before bridge, not run"
        from bridge.plan.recorded_status import status_in_language

        # The row's Status as written, bridge's words in it in the language asked for (018's
        # "failed（图例：…）" under `language = "en"`).
        return f"{at} {evt.run_id} {what}: {status_in_language(evt.status, language)}"
    if isinstance(evt, ev.RunResultCarried):
        # Not launched: another run's attempt is its result (001's R002 at 42 → R002-s42).
        # Its reason says whose result, and that it is not run again: "R002-s42: R002's
        # result at seed 42, same settings, not run again", as the results' list reads.
        return f"{at} {evt.run_id}{'：' if zh else ': '}{split_in_language(evt.reason, language)}"
    if isinstance(evt, ev.RunRuledOut):
        from bridge.plan.recorded_status import (
            done_by_person,
            tracker_says_blocked,
            waits_outside,
        )
        from bridge.plan.status_legend import is_held_for_code

        # A row the tracker says is blocked is said so, as `bridge status` and the results
        # say it (027's BLOCKED_BY_M1.5 rows read "out of scope" here, "blocked" there).
        if tracker_says_blocked(evt.status, evt.reason):
            what = "在追踪表中受阻，不运行" if zh else "blocked in the tracker, not run"
        elif done_by_person(evt.reason):
            # 020's R025 (owner 白天：人工): work still to do, by people, as the summary says.
            what = "由人工执行，bridge 不运行" if zh else "work people do, not run by bridge"
        elif waits_outside(evt.reason):
            # 011's R020: it runs once R017 is done, no decision not to run it.
            what = "等待中，暂不运行" if zh else "waiting, not run yet"
        elif is_held_for_code(evt.reason):
            # 020's R040 `待实现`: it runs once its code is written, as `bridge status` says
            # (等待代码), never "out of scope" (the researcher did not rule it out).
            what = "等待代码写好，暂不运行" if zh else "waiting for its code, not run yet"
        elif row_gone(evt.reason):
            # bridge's, for a row split into seeds or removed: no decision of the researcher's.
            what = "已搁置，不计入" if zh else "set aside, not counted"
        else:
            what = "不在范围内，不运行" if zh else "out of scope, not run"
        # bridge's own reason for a row gone reads in the plan's language (018's split and
        # unsplit rows read English after 已搁置，不计入, trial t11); the researcher's as written.
        return f"{at} {evt.run_id} {what}: {split_in_language(evt.reason, language)}"
    if isinstance(evt, ev.RunSpecChanged):
        if evt.reason.startswith(RELABELLED):
            # New labels, no new attempt: the params naming them say the same labels again.
            labels = [c for c in evt.changes if c.field != "params"] or list(evt.changes)
            said = ("；" if zh else "; ").join(change_words(c, zh) for c in labels)
            if zh:
                return f"{at} {evt.run_id} 已改标签（{said}），未重新运行"[:400]
            return f"{at} {evt.run_id} relabelled ({said}), not re-run"[:400]
        fields = "; ".join(change_words(c, zh) for c in evt.changes)
        what = "设置已变更" if zh else "spec changed"
        return f"{at} {evt.run_id} {what}: {fields}"[:400]
    if isinstance(evt, ev.RunPlaced):
        if not evt.block:
            return f"{at} {evt.run_id} " + ("不再归属任何实验块" if zh else "placed in no block")
        system = f" ({evt.block_system})" if evt.block_system else ""
        what = f"归入实验块 {evt.block}{system}" if zh else f"placed in block {evt.block}{system}"
        return f"{at} {evt.run_id} {what}"[:400]
    if isinstance(evt, ev.RunStuck | ev.RunLost | ev.RunTimedOut | ev.RunCancelled):
        what = type(evt).__name__[3:].lower()
        if isinstance(evt, ev.RunCancelled) and holder_waiting_for_code(evt.reason):
            # 023's R031-R043 behind R020: they run once its code is written, not cancelled
            # for good.
            what = "held"
        if zh:
            what = {
                "stuck": "卡住",
                "lost": "丢失",
                "timedout": "超时",
                "cancelled": "已取消",
                "held": "暂缓运行",
            }[what]
        # A timeout has no reason; a cancel's "not run: …" reads in the plan's language (020).
        reason = (
            "" if isinstance(evt, ev.RunTimedOut) else failure_in_language(evt.reason, language)
        )
        return f"{at} {evt.run_id} {what}: {reason}".rstrip(": ")
    if isinstance(evt, ev.RunQueueNoted):
        if zh:
            return f"{at} {evt.run_id} " + (
                f"排队中: {evt.waiting}" if evt.waiting else "已离开队列"
            )
        return f"{at} {evt.run_id} " + (
            f"queued: {evt.waiting}" if evt.waiting else "left the queue"
        )
    if isinstance(evt, ev.RunOverdue):
        took, guess = evt.elapsed_minutes, evt.estimated_minutes
        if zh:
            return f"{at} {evt.run_id} 超时预警 OVERDUE（{took:.1f} 分钟，预计 {guess:g}）"
        return f"{at} {evt.run_id} OVERDUE ({took:.1f} min, estimated {guess:g})"
    if isinstance(evt, ev.BudgetWarned):
        used, planned = evt.used_gpu_hours, evt.planned_gpu_hours
        if zh:
            return f"{at} 预算：已用 {used:.2f} / {planned:g} GPU 小时"
        return f"{at} budget: {used:.2f} of {planned:g} GPU-h used"
    # PipelineBlocked is always followed by StageEntered(BLOCKED) with the same reason, whose
    # line says it: a line of its own printed the reason twice in a row.
    return None


# Runs named in full in a merged line; past this the line names the first ones and the count.
_NAMED_RUNS = 3

# Events whose line, minus the run id, is often the same for many runs at once (a bridge.toml
# edit changes every run's command; a tracker marks a whole block done).
_MERGEABLE = (
    ev.RunSpecChanged,
    ev.RunPlaced,
    ev.RunRetryScheduled,
    ev.RunFoundDone,
    ev.RunRuledOut,
)


def _runs_named(ids: list[str], zh: bool) -> str:
    if len(ids) <= _NAMED_RUNS + 1:
        return ("、" if zh else ", ").join(ids)
    first = ("、" if zh else ", ").join(ids[:_NAMED_RUNS])
    if zh:
        return f"{first} 等 {len(ids)} 个运行"
    return f"{first} and {len(ids) - _NAMED_RUNS} more ({len(ids)} runs)"


class LineMerger:
    """
    The lines of :func:`describe`, in order, with consecutive events of one kind whose lines
    differ only in the run id merged into one line naming the runs (a bridge.toml edit that
    changes 20 runs' command is one line, not 20; ``bridge log`` keeps every event).

    :meth:`feed` returns the lines that are complete; the last group stays open, since the
    pipeline records a group run by run, until a different line comes or :meth:`flush`.
    """

    def __init__(
        self,
        language: str = "en",
        inputs: Mapping[str, str] | None = None,
        stage: str = "",
        written: Iterable[ev.OutputWritten] = (),
    ) -> None:
        self.language = language
        # The inputs of the plan as last read, and the stage: a plan read again with changed
        # inputs is said where no stage line says it (an edited criterion at COLLECTED was
        # judged again without a word, trial T2).
        self._inputs = dict(inputs) if inputs is not None else None
        self._stage = stage
        # Each file bridge wrote, as it last wrote it: the tracker is an input bridge writes
        # too, and its own write is no change.
        self._written = {out.path: out.sha256 for out in written}
        self._ids: list[str] = []  # the open group's run ids
        self._key: tuple[type, str] | None = None  # its event type and line without the run id
        self._first = ""  # its first line as describe wrote it

    def feed(self, rec: Recorded) -> list[str]:
        """Take one record; return the lines it completes (possibly none)."""
        line = self._reread(rec) or describe(rec, self.language)
        if line is None:
            return []
        # One line per event: a reason a run or a host wrote can neither start a forged line
        # ("R1 done") nor drive the terminal.
        line = visible(line)
        evt = rec.event
        if isinstance(evt, ev.RunRuledOut):
            self._drop_spec_change(evt.run_id)
        if isinstance(evt, _MERGEABLE):
            prefix = f"{line.split(' ', 1)[0]} {evt.run_id} "
            if line.startswith(prefix):
                key = (type(evt), line[len(prefix) :])
                done = self.flush() if key != self._key else []
                if not self._ids:
                    self._key, self._first = key, line
                self._ids.append(evt.run_id)
                return done
        return [*self.flush(), line]

    def _drop_spec_change(self, run_id: str) -> None:
        """
        Leave out the open "spec changed" line of ``run_id``, a run now ruled out: the settings
        of a run that will not run do not matter (trial t16 on 018: rows marked NOT RUN printed
        «设置已变更: command: （未设） → python3 …» just before «不在范围内，不运行»).
        ``bridge log`` keeps the event.
        """
        key = self._key
        if key is None or key[0] is not ev.RunSpecChanged or run_id not in self._ids:
            return
        first = self._ids[0] == run_id
        self._ids = [r for r in self._ids if r != run_id]
        if not self._ids:
            self._key = None
        elif first:
            # The group's one line is built from its first line's time and the line's rest.
            at = self._first.split(" ", 1)[0]
            self._first = f"{at} {self._ids[0]} {key[1]}"

    def _reread(self, rec: Recorded) -> str | None:
        """
        The line for a plan read again because its inputs changed, where no stage line follows
        to say so (a blocked pipeline reopens with "stage PLANNED: inputs changed (…)").
        """
        evt = rec.event
        if isinstance(evt, ev.StageEntered):
            self._stage = evt.stage
            return None
        if isinstance(evt, ev.OutputWritten):
            self._written[evt.path] = evt.sha256
            return None
        if not isinstance(evt, ev.PlanLoaded):
            return None
        before, self._inputs = self._inputs, dict(evt.inputs)
        # A log from before inputs were recorded has none to compare with: nothing is said.
        if not before or self._stage == "BLOCKED":
            return None
        changed = sorted(
            k
            for k in {*before, *evt.inputs}
            # A deleted input (None now) is a change; a file as bridge last wrote it is none.
            if before.get(k) != evt.inputs.get(k)
            and (evt.inputs.get(k) is None or evt.inputs.get(k) != self._written.get(k))
        )
        if not changed:
            return None
        at = rec.recorded_at.strftime("%H:%M:%S")
        named = ", ".join(changed[:5])
        collected = self._stage == "COLLECTED"
        if self.language == "zh":
            then = "；已按记录的数值重新判定" if collected else ""
            return f"{at} 输入已变更（{named}）：已重新读取计划{then}"
        then = "; the verdicts are judged again from the recorded numbers" if collected else ""
        return f"{at} inputs changed ({named}): the plan was read again{then}"

    def flush(self) -> list[str]:
        """Close the open group: its one line (or nothing when none is open)."""
        ids, self._ids = self._ids, []
        key, self._key = self._key, None
        if not ids or key is None:
            return []
        if len(ids) == 1:
            return [self._first]
        at = self._first.split(" ", 1)[0]
        return [f"{at} {_runs_named(ids, self.language == 'zh')} {key[1]}"]


def describe_all(records: Iterable[Recorded], language: str = "en") -> list[str]:
    """
    Every line :class:`LineMerger` gives for ``records``, the last group included.
    """
    merger = LineMerger(language)
    lines = [line for rec in records for line in merger.feed(rec)]
    return [*lines, *merger.flush()]


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


class Watcher:
    """
    Follows a project's log from a background thread and shows it (live view or plain lines).

    Args:
        db: the project's event log.
        console: where to draw: plain lines on any :class:`~bridge.cli.console.Printer`; the
            live view on a rich console (:func:`bridge.cli.console.make_console`).
        plain: print lines instead of a live view.
        progress_every: in plain mode, the most seconds between two progress lines.
    """

    def __init__(
        self, db: Path, console: Printer, *, plain: bool, progress_every: float = PROGRESS_EVERY
    ) -> None:
        self.db = db
        self.console = console
        self.plain = plain
        self.progress_every = progress_every
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Watcher:
        """
        Start following; returns once the log so far is read, so every event appended after
        this is shown.
        """
        self._thread = threading.Thread(target=self._follow, name="bridge-watcher", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=30)  # bounded: a watcher that cannot start must not hang a run
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _follow(self) -> None:
        try:
            store = SQLiteEventStore(self.db)
        except BaseException:
            self._ready.set()  # never leave __enter__ waiting on a watcher that failed
            raise
        try:
            if self.plain:
                self._lines(store)
            else:
                self._live(store)
        finally:
            self._ready.set()
            store.close()

    def _lines(self, store: SQLiteEventStore) -> None:
        folder = _folded(store)
        start = folder.state()
        self._ready.set()
        started = last_progress = time.monotonic()
        # The lines are in the plan's language, and a plan's runs are recorded before the plan
        # itself: lines wait until the plan is in the log (or bridge stops).
        held: list[Recorded] = []
        merger: LineMerger | None = None
        while True:
            stopping = self._stop.wait(0.2)
            new = list(store.read(after=folder.state().last_seq))
            for rec in new:
                folder.apply(rec)
                held.append(rec)
            if folder.state().plan is not None or stopping:
                if merger is None:
                    merger = LineMerger(
                        language_of(folder.state()),
                        inputs=start.plan.inputs if start.plan is not None else None,
                        stage=start.stage.value,
                        written=start.outputs,
                    )
                lines = [line for rec in held for line in merger.feed(rec)]
                # An open group closes once the log is quiet for a round (its runs are
                # recorded one append each, so a group can span two reads), or at the end.
                if not new or stopping:
                    lines.extend(merger.flush())
                for line in lines:
                    self.console.print(line)
                held.clear()
            now = time.monotonic()
            if not stopping and now - last_progress >= self.progress_every:
                last_progress = now
                for line in progress_lines(folder.state(), _clock(now - started)):
                    self.console.print(time.strftime("%H:%M:%S ", time.gmtime()) + line)
            if stopping:
                return

    def _live(self, store: SQLiteEventStore) -> None:
        from rich.console import Console
        from rich.live import Live

        console = self.console
        if not isinstance(console, Console):
            raise TypeError("the live view draws on a rich console (make_console), not plain")
        folder = _folded(store)
        self._ready.set()
        with Live(
            render_status(folder.state(), width=console.width),
            console=console,
            refresh_per_second=4,
        ) as live:
            while True:
                stopping = self._stop.wait(0.25)
                for rec in store.read(after=folder.state().last_seq):
                    folder.apply(rec)
                live.update(render_status(folder.state(), width=console.width))
                if stopping:
                    return
