"""
The session folds what it appends from the records the store hands back instead of reading
them back from the log: the state it keeps is always the fold of the log, also when another
process appended in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bridge.events import types as ev
from bridge.events.clock import utc_now
from bridge.events.store import Recorded, SQLiteEventStore
from bridge.machine.fold import fold
from bridge.pipeline import Bridge
from bridge.pipeline.layout import ProjectLayout
from bridge.pipeline.session import Session
from bridge.plan import load_project
from tests.pipeline.conftest import Run, write_project
from tests.pipeline.forwarding import ForwardingStore

RUNS = [Run(id="R1", milestone="M0", system="sanity"), Run(id="R2", milestone="M1")]


def _log_fold(project: Path) -> object:
    store = SQLiteEventStore(ProjectLayout(project).events_db)
    try:
        return fold(store.read())
    finally:
        store.close()


class TestSessionFold:
    def test_a_whole_pipeline_keeps_the_fold_of_its_log(self, project: Path) -> None:
        """After a run to the end, the state bridge kept is the fold of the log read afresh."""
        write_project(project, RUNS)
        bridge = Bridge(project)
        try:
            bridge.run()
            kept = bridge._session.folder.state()  # what was fed, without a last catch-up
        finally:
            bridge.close()
        assert kept == _log_fold(project)

    def test_another_writer_in_between_is_read_from_the_log(self, project: Path) -> None:
        """
        A record another process committed between the session's look at the log and its
        append is folded too: the records handed back do not follow the fold, so the session
        reads the log.
        """
        write_project(project, RUNS)
        store = _InterleavingStore(SQLiteEventStore(ProjectLayout(project).events_db))
        try:
            s = Session(
                project, load_project(project), store, utc_now, backend=None,
                implementer=None, reviewer=None, gate=None, notifier=None, ablation_planner=None,
            )  # fmt: skip
            s.append("run:R1", [ev.RunPlanned(run_id="R1")], 0)
            assert s.folder.state().last_seq == 1
            store.before_next = ev.RunPlanned(run_id="R2")
            s.append("run:R3", [ev.RunPlanned(run_id="R3")], 0)
            assert store.appended()[0].seq == 3  # the other's R2 took seq 2
            assert list(s.folder.state().runs) == ["R1", "R2", "R3"]
            assert s.folder.state() == fold(store.read())
        finally:
            store.close()


class _InterleavingStore(ForwardingStore):
    """
    A real SQLite store whose next append can be preceded, inside it, by another connection's
    commit: another process appending just after the session caught up.
    """

    def __init__(self, inner: SQLiteEventStore) -> None:
        super().__init__(inner)
        self.sqlite = inner
        self.other = SQLiteEventStore(inner.path)
        self.before_next: ev.RunPlanned | None = None

    def append(
        self,
        stream: str,
        events: Sequence[ev.Event],
        expected_version: int | None,
        *,
        causation: str | None = None,
        correlation: str | None = None,
        durable: bool = True,
    ) -> int:
        if self.before_next is not None:
            self.other.append(f"run:{self.before_next.run_id}", [self.before_next], 0)
            self.before_next = None
        return super().append(
            stream, events, expected_version, causation=causation, correlation=correlation,
            durable=durable,
        )  # fmt: skip

    def appended(self) -> Sequence[Recorded]:
        return self.sqlite.appended()

    def close(self) -> None:
        self.other.close()
        super().close()
