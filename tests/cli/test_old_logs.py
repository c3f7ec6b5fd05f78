"""
A log an older bridge wrote stays readable: before int and bool fields were checked when
decoding, such a field could be stored holding ``true``, ``2.0`` or ``"two"``. Every command
reads that row as stored (as the older bridge read it), ``bridge verify`` notes it (exit 0, the
chain intact), and an append of the same value is still refused.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bridge.cli import main
from bridge.errors import IntegrityError
from bridge.events.chain import COLUMNS, chain_rows
from bridge.events.store import SQLiteEventStore
from bridge.events.types import CodeReviewed, PlanLoaded, RunPlanned, RunSubmitted
from bridge.machine.fold import Folder
from bridge.machine.snapshot import decode_state, encode_state
from bridge.pipeline import snapshots
from bridge.pipeline.audit import db_path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose log has a plan, two runs and a submitted attempt, written as today."""
    store = SQLiteEventStore(db_path(tmp_path))
    store.append("bridge", [PlanLoaded(title="T", plan_path="p.md", plan_sha256="0" * 64)], 0)
    store.append("run:R001", [RunPlanned(run_id="R001", milestone="M0", system="a")], 0)
    store.append("run:R002", [RunPlanned(run_id="R002", milestone="M1", seed=3)], 0)
    store.append(
        "run:R001",
        [RunSubmitted(run_id="R001", attempt_id="R001-a1", attempt=1, backend="local")],
        1,
    )
    store.close()
    return tmp_path


def _append_as_older_bridge(project: Path, stream: str, tag: str, data: str) -> int:
    """
    Append one row the way a bridge without the int/bool checks did: its JSON as given, chained
    onto the head with a correct hash (the append path's own chain_rows), inserted with SQL.
    """
    conn = sqlite3.connect(db_path(project), isolation_level=None)
    try:
        seq, digest = conn.execute("SELECT seq, hash FROM events ORDER BY seq DESC").fetchone()
        (version,) = conn.execute(
            "SELECT COALESCE(MAX(version), 0) FROM events WHERE stream = ?", (stream,)
        ).fetchone()
        rows = chain_rows(
            stream,
            [(tag, 1, data)],
            version=version,
            expected_version=None,
            head=(seq, digest),
            clock=lambda: datetime(2026, 11, 30, 12, tzinfo=UTC),
            causation=None,
            correlation=None,
        )
        conn.execute(f"INSERT INTO events ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows[0])
    finally:
        conn.close()
    return int(rows[0][0])


_OLD_ROWS = [
    # Modal's launcher answered a timed-out run with `exit_code: true` before 6dfcd76; an
    # ablation planner replied `"seed": true`; a review round written as 2.0.
    ("run:R003", "run.planned", '{"milestone":"M1","run_id":"R003","seed":true}', "seed: true"),
    ("bridge", "code.reviewed", '{"reviewer":"codex","round":2.0}', "round: 2.0"),
    ("run:R004", "run.planned", '{"gpus":"two","milestone":"M1","run_id":"R004"}', 'gpus: "two"'),
]


class TestOldLogs:
    @pytest.mark.parametrize(("stream", "tag", "data", "named"), _OLD_ROWS)
    def test_a_row_an_older_bridge_wrote_is_read_as_stored(
        self,
        project: Path,
        capsys: pytest.CaptureFixture[str],
        stream: str,
        tag: str,
        data: str,
        named: str,
    ) -> None:
        """status and rebuild work; verify notes the row (exit 0), not a broken chain."""
        seq = _append_as_older_bridge(project, stream, tag, data)
        assert main(["status", "--project", str(project)]) == 0, capsys.readouterr().err
        assert main(["rebuild", "--project", str(project)]) == 0, capsys.readouterr().err
        capsys.readouterr()
        assert main(["verify", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        assert "broken" not in out
        assert f"seq {seq}: {tag} holds a value of another kind than its field ({named}" in out
        assert "read as stored" in out and "hash chain intact" in out
        store = SQLiteEventStore(db_path(project))
        try:
            (read,) = [r for r in store.read() if r.seq == seq]
            assert read.data == data  # the row itself is what the log holds, untouched
            assert store.read_as_stored()[0][0] == seq
        finally:
            store.close()

    def test_an_append_of_the_same_value_is_still_refused(self, project: Path) -> None:
        """Lax reading is for rows already stored: a new event with true in an int field is not."""
        _append_as_older_bridge(project, "bridge", "code.reviewed", '{"reviewer":"x","round":2.0}')
        store = SQLiteEventStore(db_path(project))
        try:
            head = store.head()
            with pytest.raises(ValueError, match="would not decode"):
                store.append("bridge", [CodeReviewed(reviewer="x", round=True)], None)
            with pytest.raises(ValueError, match="would not decode"):
                store.append("run:R009", [RunPlanned(run_id="R009", seed=2.0)], 0)  # type: ignore[arg-type]
            assert store.head() == head
            assert store.read_as_stored() == ()  # nothing read yet
        finally:
            store.close()

    def test_a_row_that_does_not_decode_even_as_stored_is_named_not_a_broken_chain(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A str field holding a number fails laxly too: verify names the row, exit 1."""
        seq = _append_as_older_bridge(
            project, "bridge", "code.reviewed", '{"reviewer":7,"round":true}'
        )
        assert main(["verify", "--project", str(project)]) == 1
        out = capsys.readouterr().out
        assert "broken" not in out
        assert f"row {seq}: event code.reviewed v1 does not decode" in out
        assert "the hash chain is intact" in out
        store = SQLiteEventStore(db_path(project))
        try:
            with pytest.raises(IntegrityError, match=f"seq {seq}: .*expected a string"):
                list(store.read())
        finally:
            store.close()

    def test_a_snapshot_after_such_a_row_is_read_and_agrees(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The fold holds the value as stored, and so does a snapshot of it: verify agrees."""
        _append_as_older_bridge(project, "run:R003", "run.planned", _OLD_ROWS[0][2])
        assert main(["rebuild", "--project", str(project)]) == 0
        store = SQLiteEventStore(db_path(project))
        try:
            taken = snapshots.take(store, Folder().apply_all(store.read()))
            assert taken == store.head()
            assert snapshots.load(store).snapshot_seq == taken  # read, not skipped
            assert snapshots.load(store).folder.state().runs["R003"].spec.seed is True
        finally:
            store.close()
        capsys.readouterr()
        assert main(["verify", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        assert "1 snapshot agrees" in out and "disagrees" not in out

    @pytest.mark.parametrize("generated", [False, True])
    def test_a_snapshot_holding_such_a_value_decodes_on_both_paths(
        self, project: Path, generated: bool
    ) -> None:
        """Small snapshots decode without generated code, large ones with: both read it."""
        _append_as_older_bridge(project, "run:R003", "run.planned", _OLD_ROWS[0][2])
        store = SQLiteEventStore(db_path(project))
        try:
            state = Folder().apply_all(store.read()).state()
        finally:
            store.close()
        held = decode_state(encode_state(state), generated=generated)
        assert held == state
        assert held.runs["R003"].spec.seed is True

    def test_verify_names_twenty_such_rows_then_counts_the_rest(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A log with a row per timed-out run stays readable in verify's output."""
        for n in range(23):
            data = f'{{"milestone":"M1","run_id":"S{n:03d}","seed":true}}'
            _append_as_older_bridge(project, f"run:S{n:03d}", "run.planned", data)
        assert main(["rebuild", "--project", str(project)]) == 0
        capsys.readouterr()
        assert main(["verify", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        assert out.count("whole number belongs); read as stored") == 20
        assert "note: 3 more rows of that kind, read as stored" in out
