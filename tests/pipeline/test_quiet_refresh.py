"""
The dispatcher's idle turn renders a stage not yet shown only once the launched runs have
settled (nothing appended for ``session.QUIET`` seconds), and the snapshot of a stage is taken
with that rendering: stages passed straight through share one snapshot, and short runs that end
and launch back to back are not held up by a rendering between them (docs/performance.md).
"""

from __future__ import annotations

from pathlib import Path

from bridge.events import types as ev
from bridge.events.store import SQLiteEventStore
from bridge.machine.stages import Stage
from bridge.machine.triggers import StageTrigger
from bridge.pipeline import Bridge
from bridge.pipeline.layout import ProjectLayout
from bridge.pipeline.session import QUIET
from tests.pipeline.conftest import Run, wait_for, write_project

RUNS = [Run(id="R1", milestone="M0", system="sanity"), Run(id="R2", milestone="M1")]


def _outputs_and_snapshots(project: Path) -> tuple[list[int], list[int]]:
    """The seqs of the ``OutputWritten`` records and of the stored snapshots."""
    store = SQLiteEventStore(ProjectLayout(project).events_db)
    try:
        written = [r.seq for r in store.read() if isinstance(r.event, ev.OutputWritten)]
        return written, sorted(snap.seq for snap in store.snapshots())
    finally:
        store.close()


def test_a_stage_is_rendered_and_snapshotted_once_the_runs_settle(project: Path) -> None:
    write_project(project, RUNS)
    bridge = Bridge(project)
    try:
        assert bridge.advance().after is Stage.IMPLEMENTED
        s = bridge._session
        rendered, snapshots = _outputs_and_snapshots(project)
        # The step hands the project back: the stage is rendered, and its snapshot taken after.
        assert rendered and snapshots == [s.state().last_seq]

        s.enter(StageTrigger.REVIEW, "reviewed")
        entered = s.state().last_seq
        # Just appended: the idle turn renders nothing yet and bounds the wait instead.
        again = s.refresh_when_quiet()
        assert again is not None and 0 < again <= QUIET
        assert _outputs_and_snapshots(project) == (rendered, snapshots)

        # Nothing appended since: once QUIET has passed, the turn renders and snapshots.
        wait_for(lambda: s.refresh_when_quiet() is None, what="the quiet turn to render")
        now_rendered, now_snapshots = _outputs_and_snapshots(project)
        assert len(now_rendered) > len(rendered) and min(now_rendered[len(rendered) :]) > entered
        assert now_snapshots == [*snapshots, s.state().last_seq]
        # Shown and snapshotted: the next turn has nothing to wait for and writes nothing.
        assert s.refresh_when_quiet() is None
        assert _outputs_and_snapshots(project) == (now_rendered, now_snapshots)
    finally:
        bridge.close()
