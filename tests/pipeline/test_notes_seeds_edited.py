"""
A tracker row's Notes seed edited after bridge ran the row (trial t6 on 012: R005's "seed 1103"
edited to "seeds 1103, 1104, 1105"): several seeds are one new run each, launched, and seed
words bridge cannot read are warned of, never taken for a seed changed to none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge import Bridge, Stage
from bridge.cli import main
from bridge.events import types as ev
from bridge.events.store import SQLiteEventStore
from bridge.machine.stages import RunState
from tests.e2e.tiny import write_project


def _edit_r002_notes(project: Path, notes: str) -> None:
    """Bridge's tracker after a run, R002's "seed 0" (the researcher's part) replaced."""
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").split("\n")
    (n,) = [n for n, line in enumerate(lines) if line.startswith("| R002 ")]
    assert "| seed 0; bridge: " in lines[n], lines[n]
    lines[n] = lines[n].replace("| seed 0; bridge: ", f"| {notes}; bridge: ")
    tracker.write_text("\n".join(lines), encoding="utf-8")


def _kept(project: Path) -> list[str]:
    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        return [r.event.run_id for r in store.read() if isinstance(r.event, ev.RunKeptAsRan)]
    finally:
        store.close()


def test_seed_words_bridge_cannot_read_are_warned_of_not_kept_as_ran(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: "R002 succeeded before the settings changed (seed: 0 → (unset) …): kept as it
    ran; `bridge retry --changed` runs it with the current settings", which ran it at the
    default seed."""
    project = write_project(tmp_path / "p")
    assert main(["run", "--plain", "--project", str(project)]) == 0
    _edit_r002_notes(project, "seeds 0 or 1")
    capsys.readouterr()
    assert main(["run", "--plain", "--project", str(project)]) == 0
    out = capsys.readouterr()
    said = out.out + out.err
    assert "succeeded before the settings changed" not in said
    assert "run R002's Notes name seeds bridge cannot read ('seeds 0 or 1')" in said
    assert _kept(project) == []


def test_several_seeds_written_after_the_run_are_launched(tmp_path: Path) -> None:
    """Before: R002-s0 and R002-s1 took the row's DONE, bridge's word about R002, and were
    "done before bridge, not run"."""
    project = write_project(tmp_path / "p")
    assert main(["run", "--plain", "--project", str(project)]) == 0
    _edit_r002_notes(project, "seeds 0, 1")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        runs = bridge.status().runs
    finally:
        bridge.close()
    for run_id, seed in (("R002-s0", "0"), ("R002-s1", "1")):
        assert runs[run_id].state is RunState.SUCCEEDED
        assert runs[run_id].attempts, run_id  # launched by bridge, not found done
        assert runs[run_id].spec.params["seed"] == seed
