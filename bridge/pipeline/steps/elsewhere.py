"""
Runs going on outside bridge: a tracker row says RUNNING (in ``screen``, on a server) for a run
bridge never launched. Checked before the sanity milestone and again before each deployment,
since a researcher may start a run by hand and mark it RUNNING between two `bridge run`s.
"""

from __future__ import annotations

from bridge.machine.fold import PipelineState
from bridge.machine.stages import RunState
from bridge.pipeline.session import Session

__all__ = ["running_elsewhere"]


def running_elsewhere(s: Session, state: PipelineState) -> str | None:
    """
    Why the plan must hold, or None: the runs whose tracker row says RUNNING (running, in
    progress, 训练中) and that bridge has never launched. A second copy would take GPU time and
    may write over the first one's outputs. Bridge's own launches are in the log (and it is
    bridge that then writes RUNNING), so a run with an attempt is never among them.
    """
    running = {r.id for r in s.project.runs if r.source == "tracker" and r.status == "running"}
    elsewhere = [
        r.run_id
        for r in state.runs.values()
        if r.run_id in running and r.state is RunState.PENDING and not r.attempts
    ]
    if not elsewhere:
        return None
    said = ", ".join(elsewhere[:8]) + (" …" if len(elsewhere) > 8 else "")
    return (
        f"the tracker says {said} RUNNING, and bridge did not launch them: mark each row "
        "DONE once it finished, NOT RUN — <reason> if it is not bridge's, or TODO for "
        "bridge to run it; `bridge run` then goes on"
    )
