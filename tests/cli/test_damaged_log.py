"""
The log defends itself: every command checks the log's head, its witness and its triggers on
open, refuses a damaged or lost log with a message that says to run ``bridge verify``, and
``verify`` names undecodable rows by seq.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bridge.cli import main
from bridge.events.chain import COLUMNS, row_hash
from bridge.events.store import SQLiteEventStore
from bridge.events.types import PlanLoaded, RunPlanned, RunSubmitted, StageEntered
from bridge.machine.fold import fold
from bridge.pipeline.audit import db_path
from bridge.projections.writer import ProjectionWriter


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose log has a plan, two runs and written projections."""
    store = SQLiteEventStore(db_path(tmp_path))
    store.append("bridge", [PlanLoaded(title="T", plan_path="p.md", plan_sha256="0" * 64)], 0)
    store.append("run:R001", [RunPlanned(run_id="R001", milestone="M0", system="a")], 0)
    store.append("run:R002", [RunPlanned(run_id="R002", milestone="M1", seed=3)], 0)
    writer = ProjectionWriter(tmp_path)
    store.append("bridge", writer.refresh(fold(store.read()), version=True), None)
    store.append("bridge", [StageEntered(stage="IMPLEMENTED", trigger="implement")], None)
    store.append(
        "run:R001",
        [RunSubmitted(run_id="R001", attempt_id="R001-a1", attempt=1, backend="local")],
        1,
    )
    store.append("bridge", writer.refresh(fold(store.read())), None)
    store.close()
    return tmp_path


def _sql(project: Path, *statements: str) -> None:
    conn = sqlite3.connect(db_path(project), isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


_DROP = ("DROP TRIGGER events_no_update", "DROP TRIGGER events_no_delete")


def _rehash(project: Path, seq: int) -> None:
    """Give row ``seq`` the hash its (edited) content has, as a careful forger would."""
    conn = sqlite3.connect(db_path(project), isolation_level=None)
    try:
        row = conn.execute(f"SELECT {COLUMNS} FROM events WHERE seq = ?", (seq,)).fetchone()
        conn.execute("UPDATE events SET hash = ? WHERE seq = ?", (row_hash(row[9], row), seq))
    finally:
        conn.close()


def _refused(project: Path, capsys: pytest.CaptureFixture[str], *command: str) -> str:
    code = main([*command, "--project", str(project)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "bridge verify" in err and "Traceback" not in err
    return err


class TestDamagedLog:
    def test_log_truncated_to_zero_bytes_is_refused(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """events.db emptied: status and rebuild refuse; the tracker is not emptied."""
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        before = tracker.read_bytes()
        db_path(project).write_bytes(b"")
        for wal in db_path(project).parent.glob("events.db-*"):
            wal.unlink()
        _refused(project, capsys, "status")
        _refused(project, capsys, "rebuild")
        assert tracker.read_bytes() == before

    def test_log_and_witness_gone_but_manifest_remembers(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The whole .bridge folder deleted: bridge's MANIFEST rows still refuse a new history."""
        for path in db_path(project).parent.glob("events.db*"):
            path.unlink()
        code = main(["log", "--project", str(project)])
        assert code == 2  # no log at all: the plain "no bridge event log" input error
        capsys.readouterr()
        SQLiteEventStore(db_path(project)).close()  # an empty log appears
        err = _refused(project, capsys, "rebuild")
        assert "MANIFEST.md" in err

    def test_rows_deleted_from_the_tail_are_noticed(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Triggers dropped and the last rows deleted: every command refuses; verify says so."""
        _sql(project, *_DROP, "DELETE FROM events WHERE seq > 4")
        for command in (["status"], ["log"], ["rebuild"], ["replay", "--at", "1", "--out", "x"]):
            _refused(project, capsys, *command)
        assert main(["verify", "--project", str(project)]) == 1
        out = capsys.readouterr().out
        assert "rows are lost" in out

    def test_tampered_last_row_is_refused(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A forged value in the last row breaks the head check of every command."""
        _sql(
            project,
            *_DROP,
            "UPDATE events SET data = replace(data, 'R001', 'R009') "
            "WHERE seq = (SELECT MAX(seq) FROM events)",
        )
        _refused(project, capsys, "status")

    def test_forged_value_in_the_middle_is_never_rebuilt(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Triggers recreated after the forgery: rebuild still verifies and refuses."""
        results = project / "refine-logs" / "results.json"
        before = results.read_bytes()
        _sql(project, *_DROP, "UPDATE events SET data = replace(data, '\"seed\":3', '\"seed\":7')")
        SQLiteEventStore(db_path(project), check=False).restore_triggers()
        err = _refused(project, capsys, "rebuild")
        assert "seq 3" in err
        assert results.read_bytes() == before

    @pytest.mark.parametrize(
        ("statements", "said"),
        [
            # A value edited in place, the triggers put back: the row no longer hashes.
            (("UPDATE events SET data = replace(data, '\"seed\":3', '\"seed\":7')",), "seq 3"),
            # A middle row deleted, the triggers put back: the chain skips a seq.
            (("DELETE FROM events WHERE seq = 2",), "seq 2"),
            # A middle row edited and re-hashed: the next row no longer chains onto it.
            (("UPDATE events SET data = replace(data, '\"seed\":3', '\"seed\":7')",), "seq 4"),
        ],
        ids=["edited", "deleted", "rehashed"],
    )
    def test_a_changed_middle_row_is_refused_by_every_reader(
        self,
        project: Path,
        capsys: pytest.CaptureFixture[str],
        statements: tuple[str, ...],
        said: str,
    ) -> None:
        """Only the last row was checked on open: a row changed in the middle, with the
        triggers recreated, was folded into status and the files as if it were true."""
        _sql(project, *_DROP, *statements)
        if said == "seq 4":
            _rehash(project, 3)
        SQLiteEventStore(db_path(project), check=False).restore_triggers()
        for command in (["status"], ["log"]):
            err = _refused(project, capsys, *command)
            assert said in err, err
        assert main(["verify", "--project", str(project)]) == 1

    def test_a_foreign_trigger_is_refused_then_removed_by_verify(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A trigger bridge did not create could drop appends silently (RAISE(IGNORE)): every
        command refuses it, and verify removes it once every row verified."""
        _sql(
            project,
            'CREATE TRIGGER "swallow [x]" BEFORE INSERT ON events BEGIN SELECT RAISE(IGNORE); END',
        )
        err = _refused(project, capsys, "status")
        assert "the events table has 1 trigger bridge did not create (swallow [x])" in err
        assert main(["verify", "--project", str(project)]) == 0
        assert (
            "1 trigger bridge did not create was on the events table (swallow [x]); every row "
            "verified, so it is removed"
        ) in capsys.readouterr().out
        assert main(["status", "--project", str(project)]) == 0
        store = SQLiteEventStore(db_path(project))
        try:
            head = store.head()
            store.append("bridge", [StageEntered(stage="IMPLEMENTED", trigger="implement")], None)
            assert store.head() == head + 1  # the append is kept, not swallowed
        finally:
            store.close()

    def test_bridges_trigger_rewritten_is_refused_then_put_back_by_verify(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A trigger with bridge's name and other text (swallowing inserts) is not bridge's:
        refused, and verify puts bridge's own back."""
        _sql(
            project,
            "DROP TRIGGER events_no_update",
            "CREATE TRIGGER events_no_update BEFORE INSERT ON events BEGIN SELECT RAISE(IGNORE); "
            "END",
        )
        err = _refused(project, capsys, "status")
        assert "did not create (events_no_update)" in err
        assert main(["verify", "--project", str(project)]) == 0
        assert "bridge's own are in place" in capsys.readouterr().out
        store = SQLiteEventStore(db_path(project))
        try:
            head = store.head()
            store.append("bridge", [StageEntered(stage="IMPLEMENTED", trigger="implement")], None)
            assert store.head() == head + 1
        finally:
            store.close()
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            _sql(project, "UPDATE events SET stream = 'x' WHERE seq = 1")

    def test_dropped_triggers_are_refused_then_restored_by_verify(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Commands refuse a log without its triggers; verify restores them if all rows hold."""
        _sql(project, *_DROP)
        err = _refused(project, capsys, "status")
        # Counted in words: it read "the append-only trigger(s) … are gone" (session 38).
        assert "2 append-only triggers (events_no_delete, events_no_update) are gone" in err
        assert main(["verify", "--project", str(project)]) == 0
        assert "restored" in capsys.readouterr().out
        assert main(["status", "--project", str(project)]) == 0
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            _sql(project, "DELETE FROM events WHERE seq = 1")

    @pytest.mark.parametrize(
        ("column", "value"),
        [("data", "CAST(X'7B2261223AFF7D' AS TEXT)"), ("recorded_at", "'yesterday'")],
    )
    def test_verify_names_undecodable_rows(
        self, project: Path, capsys: pytest.CaptureFixture[str], column: str, value: str
    ) -> None:
        """A row that is not UTF-8 or has a malformed time: verify names its seq, no traceback."""
        _sql(project, *_DROP, f"UPDATE events SET {column} = {value} WHERE seq = 2")
        assert main(["verify", "--project", str(project)]) == 1
        captured = capsys.readouterr()
        assert "hash chain broken at seq 2" in captured.out
        assert "Traceback" not in captured.err
