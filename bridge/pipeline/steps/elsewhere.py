"""
What the researcher wrote that holds the plan before any launch: a tracker row says RUNNING (in
``screen``, on a server) for a run bridge never launched, or the plan's own Status line says it
is stopped (014's ``**Status:** STOPPED_R002_GEOMETRY_FAIL``). Checked before the sanity
milestone and again before each deployment, since a researcher may start a run by hand, or stop
the plan, between two `bridge run`s.
"""

from __future__ import annotations

from bridge.machine.fold import PipelineState
from bridge.machine.stages import RunState
from bridge.pipeline.session import Session
from bridge.plan.status_legend import queued_outside
from bridge.plan.vocabulary import stopped_status
from bridge.projections.failure_words import RUNNING_ELSEWHERE

__all__ = ["held_by_researcher", "plan_stopped", "running_elsewhere"]


def running_elsewhere(s: Session, state: PipelineState) -> str | None:
    """
    Why the plan must hold, or None: the runs whose tracker row says RUNNING (running, in
    progress, 训练中) and that bridge has never launched. A second copy would take GPU time and
    may write over the first one's outputs. Bridge's own launches are in the log (and it is
    bridge that then writes RUNNING), so a run with an attempt is never among them.
    """
    running = {
        r.id: f"{r.file}:{r.line}" if r.line else r.file
        for r in s.project.runs
        if r.source == "tracker" and r.status == "running"
    }
    queued = {
        r.id
        for r in s.project.runs
        if r.source == "tracker" and r.status == "running" and queued_outside(r.status_raw)
    }
    elsewhere = [
        r.run_id
        for r in state.runs.values()
        if r.run_id in running and r.state is RunState.PENDING and not r.attempts
    ]
    if not elsewhere:
        return None
    # Where each row is: a plan's own run table (025, no tracker file) is where to edit it, not
    # the tracker bridge writes (its edit was ignored, trial N1).
    rows = ", ".join(dict.fromkeys(running[r] for r in elsewhere[:6] if running[r]))
    # Every id, not the first few: `bridge status` reads them from this reason.
    return (
        RUNNING_ELSEWHERE.format(
            ids=", ".join(elsewhere), them="it" if len(elsewhere) == 1 else "them"
        )
        + ": mark each row DONE once it finished, NOT RUN — <reason> if it is not bridge's, "
        "or TODO for bridge to run it; `bridge run` then goes on"
        + (f" (rows: {rows})" if rows else "")
        + (
            f"; queued outside bridge, as the tracker's legend says: {', '.join(shown)}"
            if (shown := [r for r in elsewhere if r in queued])
            else ""
        )
    )


def plan_stopped(s: Session, state: PipelineState) -> str | None:
    """
    Why the plan must hold, or None: its Status line says it is stopped, paused or blocked
    (``STOPPED_R002_GEOMETRY_FAIL``, ``ON HOLD``) while runs are still to launch. Nothing is
    held when every run is already settled: the results are written as the plan stands.
    """
    said = stopped_status(s.project.plan.header)
    if not said or not state.runs_in_state(RunState.PENDING):
        return None
    return (
        f"the plan's Status says {said!r}: bridge launches none of its runs "
        "while the plan says it is stopped; change that line once the plan goes on"
    )


def held_by_researcher(s: Session, state: PipelineState) -> str | None:
    """The first of :func:`plan_stopped` and :func:`running_elsewhere` that holds the plan."""
    return plan_stopped(s, state) or running_elsewhere(s, state)
