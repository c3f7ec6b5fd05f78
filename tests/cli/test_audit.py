"""
The audit commands (log, replay, rebuild, verify) on a log written by the test.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from pathlib import Path

import attrs
import pytest

from bridge.cli import main
from bridge.events.store import SQLiteEventStore
from bridge.events.types import PlanLoaded, RunPlanned, RunSubmitted, StageEntered
from bridge.machine.fold import fold
from bridge.pipeline.audit import db_path
from bridge.projections.writer import DEFAULT_PROJECTIONS, ProjectionWriter


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose log has a plan, two runs and written projections."""
    store = SQLiteEventStore(db_path(tmp_path))
    store.append("bridge", [PlanLoaded(title="T", plan_path="p.md", plan_sha256="0" * 64)], 0)
    store.append("run:R001", [RunPlanned(run_id="R001", milestone="M0", system="a | b")], 0)
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
    store.append("bridge", writer.refresh(fold(store.read()), version=True), None)
    store.close()
    return tmp_path


class TestAuditCommands:
    def test_verify_passes_on_a_consistent_project(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """verify exits 0 when chain and files match."""
        assert main(["verify", "--project", str(project)]) == 0
        assert "hash chain intact" in capsys.readouterr().out

    def test_verify_names_a_hand_edited_tracker(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A hand-edited tracker is the researcher's edit, not yet read: named as such, and no
        failure (018's tracker with a note added read "modified … differs from the log", exit 1,
        the normal loop of editing and checking called damage; trial t14). A hand-edited
        results page is still drift, exit 1."""
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        tracker.write_text(tracker.read_text().replace("QUEUED", "DONE"))
        assert main(["verify", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        # This log read no tracker of the researcher's: the file is the one bridge writes whole,
        # which no `bridge run` reads, so it is said to be held, not read next (040, trial t14).
        assert (
            "your edit: refine-logs/EXPERIMENT_TRACKER.md holds your edit of the tracker bridge "
            "writes whole: left as you wrote it and no longer updated"
        ) in out, out
        assert "modified" not in out and "ok: " in out
        manifest = project / "MANIFEST.md"
        manifest.write_text(manifest.read_text() + "\nedited\n")
        assert main(["verify", "--project", str(project)]) == 1
        assert "modified: MANIFEST.md differs from the log" in capsys.readouterr().out

    def test_projections_behind_the_log_are_not_called_modified(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Events after bridge's last rendering (a `bridge run` renders at refreshes, or was
        killed): verify says the files are bridge's own and behind, not "modified" as if someone
        edited them; while a bridge run holds the project lock, that is no failure."""
        store = SQLiteEventStore(db_path(project))
        store.append(
            "run:R002",
            [RunSubmitted(run_id="R002", attempt_id="R002-a1", attempt=1, backend="local")],
            1,
        )
        store.close()
        assert main(["verify", "--project", str(project)]) == 1
        out = capsys.readouterr().out
        assert "behind: refine-logs/EXPERIMENT_TRACKER.md is bridge's last write" in out
        assert "modified" not in out
        # A running `bridge run` holds an exclusive lock on .bridge (Session.locked).
        handle = os.open(project / ".bridge", os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            assert main(["verify", "--project", str(project)]) == 0
        finally:
            os.close(handle)
        out = capsys.readouterr().out
        assert "being written: refine-logs/EXPERIMENT_TRACKER.md (a bridge run is active)" in out
        assert "ok: " in out
        # A hand edit is still an edit, whatever runs: the researcher's, said as such.
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        tracker.write_text(tracker.read_text() + "\nmy note\n")
        main(["verify", "--project", str(project)])
        assert "your edit: refine-logs/EXPERIMENT_TRACKER.md" in capsys.readouterr().out

    def test_a_file_in_an_earlier_bridges_layout_is_a_note_not_damage(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A results page bridge wrote last, after every event, that this bridge lays out
        differently (a log carried over an upgrade; 018 run by the bridge before fold version
        6 read "behind … made before the latest events; the next bridge command rewrites it",
        exit 1, though no event came after it and `bridge status` rewrote nothing): a note that
        nothing is damaged, naming the file and `bridge rebuild`, exit 0. Events after it are
        still "behind", exit 1."""
        results = next(p for p in DEFAULT_PROJECTIONS if p.path.endswith("RESULTS.md"))
        earlier = attrs.evolve(
            results, render=lambda state, language: "# Results (earlier layout)\n"
        )
        store = SQLiteEventStore(db_path(project))
        store.append(
            "bridge", ProjectionWriter(project, (earlier,)).refresh(fold(store.read())), None
        )
        store.close()
        assert main(["verify", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        assert (
            "note: refine-logs/EXPERIMENT_RESULTS.md was written by another version of bridge "
            "(the one before an upgrade), which lays it out differently; nothing is damaged: it "
            "is exactly what bridge wrote, and the log holds everything in it. `bridge "
            "rebuild` rewrites it in this version's layout"
        ) in out, out
        assert "ok: " in out and "(1 in another version's layout)" in out
        assert "behind" not in out and "modified" not in out
        assert main(["rebuild", "--project", str(project)]) == 0
        assert main(["verify", "--project", str(project)]) == 0
        assert "projections match the log" in capsys.readouterr().out

    def test_verify_names_the_first_forged_seq(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A row edited after dropping the triggers is named by its seq, exit 1."""
        conn = sqlite3.connect(db_path(project))
        conn.execute("DROP TRIGGER events_no_update")
        conn.execute("UPDATE events SET recorded_at = '2020-01-01T00:00:00+00:00' WHERE seq = 3")
        conn.commit()
        conn.close()
        assert main(["verify", "--project", str(project)]) == 1
        assert "seq 3" in capsys.readouterr().out

    def test_rebuild_reproduces_files_byte_for_byte(self, project: Path) -> None:
        """Deleting the projections and rebuilding gives the same bytes."""
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        manifest = project / "MANIFEST.md"
        before = tracker.read_bytes(), manifest.read_bytes()
        tracker.unlink()
        manifest.unlink()
        assert main(["rebuild", "--project", str(project)]) == 0
        assert (tracker.read_bytes(), manifest.read_bytes()) == before
        assert main(["verify", "--project", str(project)]) == 0

    def test_a_version_is_kept_only_when_asked_and_changed(self, project: Path) -> None:
        """Two versioned refreshes of different content left two copies; the plain refresh
        between them left none; the manifest lists each version with its fixed name."""
        copies = sorted((project / "refine-logs").glob("EXPERIMENT_TRACKER_*.md"))
        assert len(copies) == 2
        manifest = (project / "MANIFEST.md").read_text()
        assert "| Timestamp | Skill | File | Version | Stage | Description |" in manifest
        for copy in copies:
            assert f"| refine-logs/EXPERIMENT_TRACKER.md | refine-logs/{copy.name} |" in manifest

    def test_an_unchanged_file_gets_no_new_version(self, project: Path) -> None:
        """Versioning again with nothing changed writes no copy and records nothing."""
        store = SQLiteEventStore(db_path(project))
        try:
            assert ProjectionWriter(project).refresh(fold(store.read()), version=True) == []
        finally:
            store.close()
        assert len(list((project / "refine-logs").glob("EXPERIMENT_TRACKER_*.md"))) == 2

    def test_replay_shows_the_past(self, project: Path, tmp_path: Path) -> None:
        """replay --at 3 writes the tracker as it was before R001 was submitted."""
        out = tmp_path / "at3"
        assert main(["replay", "--project", str(project), "--at", "3", "--out", str(out)]) == 0
        text = (out / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text()
        assert "| R001 | M0 |  | a \\| b |" in text
        assert "QUEUED" not in text and "TODO" in text

    def test_log_json_lists_every_event(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """log --json prints one object per event, and --run filters to one run."""
        assert main(["log", "--json", "--project", str(project)]) == 0
        rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
        assert main(["log", "--json", "--run", "R001", "--project", str(project)]) == 0
        runs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert {r["stream"] for r in runs} == {"run:R001"}
        assert [r["type"] for r in runs] == ["run.planned", "run.submitted"]

    def test_missing_log_is_exit_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Auditing a project without a log is bad input with a hint, no traceback."""
        (tmp_path / "bridge.toml").write_text("")
        assert main(["verify", "--project", str(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert "no bridge event log" in err and "Traceback" not in err
        assert not (tmp_path / ".bridge").exists()

    @pytest.mark.parametrize(
        ("where", "said"),
        [
            (".", "the project"),
            ("sub/..", "the project"),
            (".bridge/past", "bridge's own folder"),
            ("refine-logs", "the folder of the plan, tracker and results"),
            ("refine-logs/past", "the folder of the plan, tracker and results"),
        ],
    )
    def test_replay_over_the_project_is_exit_2_and_writes_nothing(
        self, project: Path, where: str, said: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--out . would overwrite the live tracker with a past one (and .bridge is bridge's
        own): refused before anything is written."""
        before = {
            p: p.read_bytes()
            for p in project.rglob("*")
            if p.is_file() and ".bridge" not in p.parts
        }
        out = project / where
        assert main(["replay", "--project", str(project), "--at", "3", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err
        after = {
            p: p.read_bytes()
            for p in project.rglob("*")
            if p.is_file() and ".bridge" not in p.parts
        }
        assert after == before
        assert not (project / ".bridge" / "past").exists()

    def test_replay_onto_a_file_is_exit_2(
        self, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--out naming a file is bad input, not an errno traceback or exit 1."""
        target = tmp_path / "elsewhere" / "a-file"
        target.parent.mkdir()
        target.write_text("mine\n")
        assert main(["replay", "--project", str(project), "--at", "3", "--out", str(target)]) == 2
        assert "is a file" in capsys.readouterr().err
        assert target.read_text() == "mine\n"

    def test_replay_where_it_cannot_write_is_exit_2(
        self, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A folder it may not create (under a file) is exit 2 with the reason."""
        blocker = tmp_path / "elsewhere" / "blocker"
        blocker.parent.mkdir()
        blocker.write_text("")
        out = blocker / "inside"
        assert main(["replay", "--project", str(project), "--at", "3", "--out", str(out)]) == 2
        assert "cannot write there" in capsys.readouterr().err

    def test_replay_out_of_range_is_exit_2(self, project: Path, tmp_path: Path) -> None:
        """A seq that is not in the log is bad input."""
        assert (
            main(["replay", "--project", str(project), "--at", "999", "--out", str(tmp_path / "x")])
            == 2
        )


def test_every_drift_bridge_names_reads_in_chinese() -> None:
    """The kinds and details `bridge verify` prints for a drifted file, a changed source or a
    changed input are Chinese for a Chinese project; a detail not in the table stays as is."""
    from bridge.cli.log_commands import _drift_words

    said = {
        ("input-changed", "outputs of R1/R1-a1 changed since R2/R2-a1 read them: sha256 a ≠ b"),
        ("behind", "is bridge's last write, made before the latest events; the next bridge "
         "command rewrites it"),
        ("source-missing", "metrics of R3 came from it"),
        ("source-changed", "sha256 abc ≠ def recorded for R4"),
        ("modified", "differs from the log"),
    }  # fmt: skip
    for kind, detail in said:
        zh_kind, zh_detail = _drift_words(kind, detail, True)
        assert zh_kind != kind and zh_detail != detail, (kind, zh_detail)
        assert not any(word in zh_detail for word in ("since", "recorded", "came", "differs"))
    assert _drift_words("modified", "something new", True) == ("已修改", "something new")
    assert _drift_words("modified", "differs from the log", False) == (
        "modified",
        "differs from the log",
    )
