"""
Snapshots through the command line, on a tiny project carried to COLLECTED by ``bridge run``:
a snapshot that disagrees with the log is named by ``bridge verify`` and never changes what
``bridge status`` or ``bridge run`` see.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from bridge.events.snapshots import snapshot_digest
from bridge.pipeline.audit import db_path
from tests.e2e.tiny import write_project
from tests.in_process import bridge_here


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project after one `bridge run` (shared: each test works on a copy)."""
    root = write_project(tmp_path_factory.mktemp("snap") / "tiny")
    done = bridge_here("run", "--plain", "--project", str(root))
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.fixture
def project(finished: Path, tmp_path: Path) -> Path:
    """A copy of the finished project."""
    return Path(shutil.copytree(finished, tmp_path / "tiny", symlinks=True))


def _status(root: Path) -> tuple[dict[str, object], str]:
    done = bridge_here("status", "--json", "--project", str(root))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def _newest(root: Path) -> int:
    conn = sqlite3.connect(db_path(root))
    try:
        (seq,) = conn.execute("SELECT MAX(seq) FROM snapshots").fetchone()
    finally:
        conn.close()
    assert seq, "bridge run took no snapshot"
    return int(seq)


def _edit(root: Path, seq: int, *, sql: str, digest: bool, moved_to: int | None = None) -> None:
    """
    Run ``sql`` on the snapshot at ``seq`` (which it may move to ``moved_to``); with ``digest``,
    recompute its digest after, as someone covering their tracks would.
    """
    conn = sqlite3.connect(db_path(root))
    try:
        conn.execute(sql, (seq,))
        if digest:
            at = seq if moved_to is None else moved_to
            row = conn.execute(
                "SELECT seq, hash, fold_version, state_format, data FROM snapshots WHERE seq = ?",
                (at,),
            ).fetchone()
            fresh = snapshot_digest(*row)
            conn.execute("UPDATE snapshots SET digest = ? WHERE seq = ?", (fresh, at))
        conn.commit()
    finally:
        conn.close()


_COLLECTED_TO_PLANNED = (
    'UPDATE snapshots SET data = CAST(replace(CAST(data AS TEXT), \'"stage":"COLLECTED"\', '
    '\'"stage":"PLANNED"\') AS BLOB) WHERE seq = ?'
)


class TestSnapshotsThroughTheCli:
    def test_an_edited_snapshot_is_ignored_by_status_and_named_by_verify(
        self, project: Path
    ) -> None:
        """Edited bytes (digest not recomputed): status shows the log's state and says which
        snapshot it skipped; verify fails naming its seq, and removes it."""
        before, _ = _status(project)
        assert before["stage"] == "COLLECTED"
        seq = _newest(project)
        _edit(project, seq, sql=_COLLECTED_TO_PLANNED, digest=False)
        after, notes = _status(project)
        assert after == before
        assert f"the snapshot at seq {seq} was not used" in notes
        assert "digest" in notes
        checked = bridge_here("verify", "--project", str(project))
        assert checked.returncode == 1
        assert f"snapshot at seq {seq} disagrees with the log" in checked.stdout
        again = bridge_here("verify", "--project", str(project))
        assert again.returncode == 0, again.stdout
        assert "snapshots agree" in again.stdout

    def test_a_snapshot_rewritten_with_its_digest_is_caught_by_verify(self, project: Path) -> None:
        """A snapshot edited together with its digest: verify's full fold finds it differs (in
        the stage), fails naming its seq, and removes it, so status shows the log's state."""
        before, _ = _status(project)
        seq = _newest(project)
        _edit(project, seq, sql=_COLLECTED_TO_PLANNED, digest=True)
        checked = bridge_here("verify", "--project", str(project))
        assert checked.returncode == 1
        assert f"snapshot at seq {seq} disagrees with the log" in checked.stdout
        assert "differs from the fold of the log in stage" in checked.stdout
        after, notes = _status(project)
        assert after == before
        assert notes == ""

    def test_a_snapshot_of_another_log_is_ignored(self, project: Path) -> None:
        """A snapshot whose hash is not the log's at its seq (moved to another seq, digest
        recomputed) is skipped by status and named by verify."""
        before, _ = _status(project)
        seq = _newest(project)
        _edit(
            project,
            seq,
            sql="UPDATE snapshots SET seq = seq + 1 WHERE seq = ?",
            digest=True,
            moved_to=seq + 1,
        )
        after, notes = _status(project)
        assert after == before
        assert f"the snapshot at seq {seq + 1} was not used" in notes
        checked = bridge_here("verify", "--project", str(project))
        assert checked.returncode == 1
        assert f"snapshot at seq {seq + 1} disagrees with the log" in checked.stdout

    def test_a_snapshot_of_another_fold_version_is_not_read(self, project: Path) -> None:
        """Another fold version's snapshot (edited to say PLANNED, too) is passed over quietly:
        status shows the log's state; verify says it is not read and passes."""
        before, _ = _status(project)
        seq = _newest(project)
        _edit(project, seq, sql=_COLLECTED_TO_PLANNED, digest=True)
        _edit(
            project, seq, sql="UPDATE snapshots SET fold_version = 999 WHERE seq = ?", digest=True
        )
        after, notes = _status(project)
        assert after == before
        assert notes == ""
        checked = bridge_here("verify", "--project", str(project))
        assert checked.returncode == 0, checked.stdout
        assert (
            "note: 1 snapshot taken by another version of bridge is not read; nothing is "
            "damaged (the state is folded from the log, and the next snapshot replaces it)"
            in checked.stdout
        )

    def test_run_starts_from_the_log_not_from_an_edited_snapshot(self, project: Path) -> None:
        """bridge run on the finished project with an edited snapshot saying PLANNED: it finds
        the project collected, as the log says, and appends nothing."""
        head = _head(project)
        _edit(project, _newest(project), sql=_COLLECTED_TO_PLANNED, digest=False)
        done = bridge_here("run", "--plain", "--project", str(project))
        assert done.returncode == 0, done.stdout + done.stderr
        assert _head(project) == head


def _head(root: Path) -> int:
    conn = sqlite3.connect(db_path(root))
    try:
        (seq,) = conn.execute("SELECT MAX(seq) FROM events").fetchone()
    finally:
        conn.close()
    return int(seq)


def test_status_of_a_finished_project_loads_only_what_it_reads(finished: Path) -> None:
    """
    `bridge status` on a finished project (snapshot plus tail) loads no adapter, pipeline,
    rich, nor ``transitions`` (the fold's tables are plain dicts; only a stage change at run
    time and `bridge diagram` build a Machine), no cattrs, and neither the auditing nor the
    backend port (it opens the log through bridge.pipeline.project_log).
    """
    from tests.test_imports import _loaded

    loaded = _loaded(
        f"from bridge.cli import main\nmain(['status', '--project', {str(finished)!r}])"
    )
    assert "bridge.machine.snapshot" in loaded  # it did read the snapshot
    unwanted = ("bridge.adapters", "bridge.pipeline.bridge", "rich", "transitions", "cattrs",
                "bridge.pipeline.audit", "bridge.machine.backend_port")  # fmt: skip
    assert sorted(m for m in loaded if m.startswith(unwanted)) == []
