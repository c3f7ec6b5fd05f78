"""
A Status bridge does not take, written on a row of the real plan 030 that bridge ran, keeps a
copy for that Status alone and says so, as getting-started says (trial t18 F11: TODO on E1,
which succeeded, was written over with DONE and no copy kept, and that line never came, with or
without a Notes column). The writer found the rows bridge ran only by its `bridge:` label
searched in the whole row: 030's run table has no Notes column (no label), and in a Notes
column bridge's label opens the cell (`| bridge: attempt 1 … |`), which that search missed.
Real `bridge` commands (run in the test's process), real runs of a small script.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import needs_shared
from tests.in_process import bridge_here
from tests.plan.corpus import as_project, run_to_results

pytestmark = needs_shared

JOB = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[2]); out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"completion_rate": 0.9}))
"""

E1 = "| E1 | Personalization | Separate memories for User A and User B | "


def _with_notes_column(tracker: Path) -> None:
    """The researcher's Notes column, added before bridge first runs, left empty."""
    lines = []
    for line in tracker.read_text(encoding="utf-8").split("\n"):
        if line.startswith("| ID |"):
            line += " Notes |"
        elif line.startswith("|----"):
            line += "-------|"
        elif line.startswith("| "):
            line += " |"
        lines.append(line)
    tracker.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("notes", [False, True], ids=["no-notes-column", "notes-column"])
def test_todo_on_a_run_that_succeeded_keeps_a_copy_and_says_so(tmp_path: Path, notes: bool) -> None:
    project = as_project("030", tmp_path)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    if notes:
        _with_notes_column(tracker)
    run_to_results(project, JOB)
    text = tracker.read_text(encoding="utf-8")
    assert E1 + "DONE |" in text, text
    tracker.write_text(text.replace(E1 + "DONE |", E1 + "TODO |"), encoding="utf-8")

    said = bridge_here("run", "--plain", "--project", str(project)).stdout

    assert "E1 succeeded, and the tracker's Status now says TODO" in said, said
    assert (
        "read your edit of refine-logs/EXPERIMENT_TRACKER.md: the Status you wrote on E1 was not "
        "taken (why is said above) and bridge wrote its own back there; the file as you left it "
        "is kept in refine-logs/EXPERIMENT_TRACKER.edited.md, and everything else you wrote is "
        "in the tracker"
    ) in said, said
    assert E1 + "DONE |" in tracker.read_text(encoding="utf-8")
    copy = project / "refine-logs" / "EXPERIMENT_TRACKER.edited.md"
    assert E1 + "TODO |" in copy.read_text(encoding="utf-8")


E2 = "| E2 | Personalization | Cross-user leakage probe | "


def test_a_save_from_an_editor_holding_an_earlier_write_is_said_as_that(tmp_path: Path) -> None:
    """A researcher's editor holds 030's tracker while bridge writes it again; they add a note on
    E2 and save (trial h39F). Held since `bridge retry E1` (E1 TODO, bridge's part of that
    write): everything in the save but their note is bridge's earlier words, so no copy is kept
    (a copy was said to hold "text you wrote there", which it did not). Held since before bridge
    ran (no marker, every Status TODO): the copy is said with what it is and the next step,
    their note is in the tracker."""
    project = as_project("030", tmp_path)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    before_bridge = tracker.read_text(encoding="utf-8")
    run_to_results(project, JOB)
    bridge_here("retry", "E1", "--force", "--project", str(project))
    at_retry = tracker.read_text(encoding="utf-8")
    assert E1 + "TODO |" in at_retry
    bridge_here("run", "--plain", "--project", str(project))
    assert E1 + "DONE |" in tracker.read_text(encoding="utf-8")
    # The save from the buffer opened at the retry: E1's TODO and bridge's part are its own.
    tracker.write_text(_note_on_e2(at_retry), encoding="utf-8")

    said = bridge_here("run", "--plain", "--project", str(project)).stdout

    assert "edited.md" not in said and "Status now says TODO" not in said, said
    assert not list(tracker.parent.glob("*.edited*.md"))
    after = tracker.read_text(encoding="utf-8")
    assert E1 + "DONE |" in after and "| check leakage again |" in after, after
    # The save from the buffer opened before bridge ran: no marker, every Status TODO.
    tracker.write_text(_note_on_e2(before_bridge), encoding="utf-8")

    said = " ".join(bridge_here("run", "--plain", "--project", str(project)).stdout.split())

    copy = "refine-logs/EXPERIMENT_TRACKER.edited.md"
    assert (
        "the file as you left it is kept in refine-logs/EXPERIMENT_TRACKER.edited.md, and "
        "everything else you wrote is in the tracker"
    ) in said, said
    assert "only in that copy" not in said, said
    assert (
        f"{copy} has no bridge marker: it was saved from refine-logs/EXPERIMENT_TRACKER.md as it "
        "read before bridge first wrote it (by an editor that had it open since, or a restore), "
        "or with the marker taken out; bridge wrote its part back. Reload "
        "refine-logs/EXPERIMENT_TRACKER.md in your editor before you edit it again"
    ) in said, said
    after = tracker.read_text(encoding="utf-8")
    assert E1 + "DONE |" in after and "| check leakage again |" in after, after


def _note_on_e2(text: str) -> str:
    """``text`` with the researcher's note in E2's Decision cell (its last)."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(E2))
    assert lines[at].endswith("| |"), lines[at]
    lines[at] = lines[at][: -len("| |")] + "| check leakage again |"
    return "\n".join(lines)
