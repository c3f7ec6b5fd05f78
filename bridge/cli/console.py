"""
What the command line shows while a pipeline works: a live rich view, or plain lines.

The view reads the log through its own store connection and folds it incrementally, so it never
touches the pipeline's objects and costs the pipeline nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from bridge.events import types as ev
from bridge.events.store import Recorded, SQLiteEventStore, utc_now
from bridge.machine.fold import Folder, PipelineState
from bridge.machine.scheduler import milestone_order
from bridge.machine.stages import SETTLED_RUN_STATES, TERMINAL_RUN_STATES, RunState
from bridge.plan.criteria import Compound, Criterion, parse_criterion
from bridge.projections.text import language_of
from bridge.projections.tracker import status_word

if TYPE_CHECKING:
    from bridge.plan import LoadedProject
    from bridge.plan.model import Block

__all__ = ["Watcher", "describe", "render_blocks", "render_status", "status_json"]


def render_blocks(project: LoadedProject) -> Group:
    """
    ``bridge plan``'s block view: each block with its criterion, compared systems and the runs
    attributed to it, grouped by the compared system they stand for (sanity runs marked), then
    the runs attributed to no block, each with the reason.
    """
    sanity = {m.id for m in project.milestones if m.sanity}
    known = {b.id for b in project.plan.blocks}
    parts: list[Text] = [Text("blocks", style="bold")]
    for block in project.plan.blocks:
        by_system: dict[str, list[str]] = {}
        for run in project.runs:
            if run.block == block.id:
                label = run.id + (" (sanity)" if run.milestone in sanity else "")
                by_system.setdefault(run.block_system or run.system or "-", []).append(label)
        runs = "; ".join(f"{system}: {', '.join(ids)}" for system, ids in by_system.items())
        if not by_system:
            # The results judge such a block on the runs of its systems in other blocks.
            shared = [
                r.id
                for r in project.runs
                if r.block != block.id
                and r.milestone not in sanity
                and (r.block_system or r.system) in block.systems
            ]
            runs = f"- (shares {', '.join(shared)} from other blocks)" if shared else ""
        parts.append(Text(f"{block.id}: {block.title}" if block.title else block.id, "bold"))
        parts.append(Text(f"  criterion: {block.success_criterion or '(none written)'}"))
        parts.extend(Text(line) for line in _criterion_lines(block.success_criterion, block))
        parts.append(Text(f"  systems:   {'; '.join(block.systems) or '-'}"))
        parts.append(Text(f"  runs:      {runs or '-'}"))
    loose = [r for r in project.runs if r.block not in known]
    if loose:
        parts.append(
            Text(
                f"runs not attributed to a block: {len(loose)} of {len(project.runs)}",
                style="yellow",
            )
        )
        for run in loose[:20]:
            parts.append(Text(f"  {run.id} ({run.system or '-'}): {run.attribution}"))
        if len(loose) > 20:
            parts.append(Text(f"  … and {len(loose) - 20} more (bridge plan --json)"))
    return Group(*parts)


def _criterion_lines(text: str, block: Block) -> list[str]:
    """
    How the results will judge a criterion, clause by clause, so a researcher can reword it
    before running (``read as:`` a rule, or why it is not machine-checkable).
    """
    if not text.strip():
        return []
    parsed = parse_criterion(
        text,
        block_systems=block.systems,
        metrics=[m.split(":", 1)[-1].strip() for m in block.metrics],
    )
    clauses = parsed.clauses if isinstance(parsed, Compound) else (parsed,)
    lines = []
    for number, clause in enumerate(clauses, 1):
        label = "  read as:   " if number == 1 else " " * 13
        index = f"{number}. " if len(clauses) > 1 else ""
        what = (
            clause.describe()
            if isinstance(clause, Criterion)
            else f"not machine-checkable: {clause.reason}"
        )
        lines.append(f"{label}{index}{what}")
    return lines


def _changed_words(old: str, new: str) -> str:
    """
    ``old → new`` shown by the words that differ (a long command changes in one word).
    """
    a, b = old.split(" "), new.split(" ")
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    left = "… " if start else ""
    right = " …" if end else ""
    mid_a = " ".join(a[start : len(a) - end])
    mid_b = " ".join(b[start : len(b) - end])
    return f"{left}{mid_a}{right} → {left}{mid_b}{right}"


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
        return f"{at} {evt.run_id} {word}: {evt.reason}"
    if isinstance(evt, ev.RunRetryScheduled):
        return f"{at} {evt.run_id} {'重试' if zh else 'retry'}: {evt.reason}"
    if isinstance(evt, ev.RunFoundDone):
        what = "运行前已完成，不运行" if zh else "done before bridge, not run"
        return f"{at} {evt.run_id} {what}: {evt.status}"
    if isinstance(evt, ev.RunRuledOut):
        what = "不在范围内，不运行" if zh else "out of scope, not run"
        return f"{at} {evt.run_id} {what}: {evt.reason}"
    if isinstance(evt, ev.RunSpecChanged):
        fields = "; ".join(f"{c.field}: {_changed_words(c.old, c.new)}" for c in evt.changes)
        what = "设置已变更" if zh else "spec changed"
        return f"{at} {evt.run_id} {what}: {fields}"[:400]
    if isinstance(evt, ev.RunStuck | ev.RunLost | ev.RunTimedOut | ev.RunCancelled):
        what = type(evt).__name__[3:].lower()
        if zh:
            what = {"stuck": "卡住", "lost": "丢失", "timedout": "超时", "cancelled": "已取消"}[
                what
            ]
        return f"{at} {evt.run_id} {what}: {getattr(evt, 'reason', '')}".rstrip(": ")
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
    if isinstance(evt, ev.PipelineBlocked):
        return f"{at} {'已阻断' if zh else 'BLOCKED'}: {evt.reason}"
    return None


def _elapsed(start: datetime | None, now: datetime) -> str:
    if start is None:
        return ""
    seconds = int((now - start).total_seconds())
    return f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def render_status(state: PipelineState, now: datetime | None = None) -> Group:
    """
    The status view: stage, a bar per milestone, live runs with slot and elapsed time, budget.
    """
    now = now or utc_now()
    title = state.plan.title if state.plan else "(no plan loaded)"
    head = Text.assemble(("stage ", "bold"), (state.stage.value, "bold cyan"), f"  ·  {title}")
    bars = Table.grid(padding=(0, 1))
    for milestone in milestone_order(state):
        runs = [r for r in state.runs_in(milestone) if r.state is not RunState.OUT_OF_SCOPE]
        done = sum(1 for r in runs if r.state in TERMINAL_RUN_STATES)
        ok = sum(1 for r in runs if r.state in SETTLED_RUN_STATES)
        bars.add_row(
            milestone,
            ProgressBar(total=max(len(runs), 1), completed=done, width=30),
            f"{ok}/{len(runs)} ok" + (f", {done - ok} not ok" if done - ok else ""),
        )
    table = Table("run", "milestone", "system", "status", "attempt", "slot", "elapsed", "note")
    for run in state.runs.values():
        attempt = run.current
        interesting = run.state not in (RunState.PENDING, RunState.SUCCEEDED)
        if not interesting:
            continue
        table.add_row(
            run.run_id,
            run.spec.milestone,
            run.spec.system[:40],
            "queued" if attempt and attempt.waiting else status_word(run),
            str(attempt.number) if attempt else "",
            ",".join(s.label() for s in attempt.slots) if attempt else "",
            _elapsed(attempt.started_at, attempt.finished_at or now) if attempt else "",
            ("OVERDUE " if attempt and attempt.overdue else "")
            + (f"{attempt.waiting} " if attempt and attempt.waiting else "")
            + run.reason[:60],
        )
    budget = state.plan.budget_gpu_hours if state.plan else None
    used = state.gpu_hours_used
    foot = f"GPU-hours used {used:.2f}" + (f" of {budget:g} planned" if budget else "")
    return Group(head, bars, table, Text(foot))


def status_json(state: PipelineState, now: datetime | None = None) -> dict[str, object]:
    """
    ``bridge status --json``: stage, each run's state, attempts, slots, elapsed, budget.
    """
    now = now or utc_now()
    runs = []
    for run in state.runs.values():
        attempt = run.current
        runs.append(
            {
                "id": run.run_id,
                "milestone": run.spec.milestone,
                "block": run.spec.block,
                "system": run.spec.system,
                "seed": run.spec.seed,
                "priority": run.spec.priority,
                "state": run.state.value,
                "status": status_word(run),
                "attempts": len(run.attempts),
                "slots": [s.label() for s in attempt.slots] if attempt else [],
                "elapsed_seconds": round(
                    ((attempt.finished_at or now) - attempt.started_at).total_seconds(), 3
                )
                if attempt and attempt.started_at
                else None,
                "overdue": bool(attempt and attempt.overdue),
                "waiting": attempt.waiting if attempt else "",
                "reason": run.reason,
            }
        )
    return {
        "stage": state.stage.value,
        "title": state.plan.title if state.plan else None,
        "events": state.events,
        "last_seq": state.last_seq,
        "runs": runs,
        "gpu_hours_used": round(state.gpu_hours_used, 6),
        "gpu_hours_planned": state.plan.budget_gpu_hours if state.plan else None,
        "blocked": state.blocked.reason if state.blocked else None,
    }


class Watcher:
    """
    Follows a project's log from a background thread and shows it (live view or plain lines).

    Args:
        db: the project's event log.
        console: where to draw.
        plain: print one line per notable event instead of a live view.
    """

    def __init__(self, db: Path, console: Console, *, plain: bool) -> None:
        self.db = db
        self.console = console
        self.plain = plain
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Watcher:
        self._thread = threading.Thread(target=self._follow, name="bridge-watcher", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _follow(self) -> None:
        store = SQLiteEventStore(self.db)
        folder = Folder().apply_all(store.read())
        show: Callable[[], None]
        if self.plain:
            # The lines are in the plan's language, and a plan's runs are recorded before the
            # plan itself: lines wait until the plan is in the log (or bridge stops).
            held: list[Recorded] = []

            def show(last: bool = False) -> None:
                for rec in store.read(after=folder.state().last_seq):
                    folder.apply(rec)
                    held.append(rec)
                state = folder.state()
                if state.plan is None and not last:
                    return
                language = language_of(state)
                for rec in held:
                    line = describe(rec, language)
                    if line:
                        self.console.print(line, markup=False, highlight=False)
                held.clear()

            try:
                while not self._stop.wait(0.2):
                    show()
                show(last=True)
            finally:
                store.close()
            return
        from rich.live import Live

        with Live(
            render_status(folder.state()),
            console=self.console,
            refresh_per_second=4,
            transient=False,
        ) as live:
            try:
                while not self._stop.wait(0.25):
                    for rec in store.read(after=folder.state().last_seq):
                        folder.apply(rec)
                    live.update(render_status(folder.state()))
                for rec in store.read(after=folder.state().last_seq):
                    folder.apply(rec)
                live.update(render_status(folder.state()))
            finally:
                store.close()
