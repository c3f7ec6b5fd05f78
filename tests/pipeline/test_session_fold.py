"""
The session folds what it appends from the records the store hands back instead of reading
them back from the log: the state it keeps is always the fold of the log, also when another
process appended in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bridge.events import types as ev
from bridge.events.clock import utc_now
from bridge.events.store import Recorded, SQLiteEventStore, StreamAppend
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


class TestPlanLoadInOneAppend:
    def _loaded(self, project: Path, store: SQLiteEventStore | ForwardingStore) -> list[Recorded]:
        write_project(project, [*RUNS, Run(id="R3", milestone="M1")])
        ticks = iter(range(1000))
        # A clock that moves a second at every reading: rows of separate appends differ.
        clock = lambda: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=next(ticks))  # noqa: E731
        bridge = Bridge(project, store=store, clock=clock)
        try:
            bridge.advance()  # the plan's load
            rows = list(store.read())
        finally:
            bridge.close()
        return [r for r in rows if r.type in ("run.planned", "plan.loaded")]

    def test_a_plans_runs_and_plan_loaded_are_one_append(self, project: Path) -> None:
        """One transaction, one time: not one append (and commit) per run."""
        rows = self._loaded(project, SQLiteEventStore(ProjectLayout(project).events_db))
        assert [r.type for r in rows] == ["run.planned"] * 3 + ["plan.loaded"]
        assert len({r.recorded_at for r in rows}) == 1

    def test_a_store_that_appends_stream_by_stream_records_the_same_plan(
        self, tmp_path: Path
    ) -> None:
        """
        Through a store with no many-stream append the same rows are stored, in the same order,
        one append each (so a crash half-way still leaves no PlanLoaded).
        """
        one = self._loaded(tmp_path / "a", SQLiteEventStore(tmp_path / "a/.bridge/events.db"))
        (tmp_path / "b").mkdir()
        inner = SQLiteEventStore(tmp_path / "b/.bridge/events.db")
        each = self._loaded(tmp_path / "b", ForwardingStore(inner))
        assert [(r.seq, r.stream, r.version, r.type) for r in each] == [
            (r.seq, r.stream, r.version, r.type) for r in one
        ]
        assert len({r.recorded_at for r in each}) == len(each)

    def test_a_stream_named_twice_is_refused_before_anything_is_stored(self, project: Path) -> None:
        write_project(project, RUNS)
        store = SQLiteEventStore(ProjectLayout(project).events_db)
        try:
            s = Session(
                project, load_project(project), store, utc_now, backend=None,
                implementer=None, reviewer=None, gate=None, notifier=None, ablation_planner=None,
            )  # fmt: skip
            planned = [ev.RunPlanned(run_id="R1")]
            with pytest.raises(ValueError, match="named twice"):
                s.append_streams(
                    [StreamAppend("run:R1", planned, 0), StreamAppend("run:R1", planned, 1)]
                )
            assert store.head() == 0
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
