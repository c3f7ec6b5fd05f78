"""
An edit of a file bridge writes whole (EXPERIMENT_RESULTS.md) is kept as a copy, and the line
saying so does not send the researcher to a marker the file does not have (trial t16 on 012:
`bridge rebuild` after a line added to the results said "bridge writes that file from its log
(below its marker); write your notes above the marker"; the results have no marker, their
header says "edit the plan, not this file").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.cli import main
from tests.conftest import needs_shared
from tests.plan.corpus import as_project, run_to_results

pytestmark = needs_shared

JOB = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"high_dtu_nll": 1.2, "nll": 1.1}))
"""


def _project(tmp_path: Path) -> Path:
    """012 run to its results; R005, RUNNING in its tracker (elsewhere), set to TODO for bridge."""
    project = as_project("012", tmp_path)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    assert "| MUST | RUNNING |" in text
    tracker.write_text(text.replace("| MUST | RUNNING |", "| MUST | TODO |"), encoding="utf-8")
    run_to_results(project, JOB)
    return project


def test_an_edit_of_the_results_is_kept_without_a_marker_to_write_above(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    results = project / "refine-logs" / "EXPERIMENT_RESULTS.md"
    text = results.read_text(encoding="utf-8")
    assert "edit the plan, not this file" in text
    assert "<!-- bridge:" not in text  # no marker: bridge writes all of it
    results.write_text(text + "\nmy reading of B2\n", encoding="utf-8")

    assert main(["rebuild", "--project", str(project)]) == 0
    said = capsys.readouterr().out
    assert (
        "kept your edit of refine-logs/EXPERIMENT_RESULTS.md in "
        "refine-logs/EXPERIMENT_RESULTS.edited.md: bridge writes all of that file from its log, "
        "so edits there are only in that copy; keep notes in a file of your own or in the plan"
    ) in said, said
    assert "above the marker" not in said
    copy = project / "refine-logs" / "EXPERIMENT_RESULTS.edited.md"
    assert "my reading of B2" in copy.read_text(encoding="utf-8")
    assert "my reading of B2" not in results.read_text(encoding="utf-8")


def test_an_edit_of_the_tracker_still_names_the_marker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The tracker has the marker: text written below it is said to go above it, as before."""
    project = _project(tmp_path)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(tracker.read_text(encoding="utf-8") + "\nnote below\n", encoding="utf-8")
    assert main(["run", "--plain", "--project", str(project)]) == 0
    said = capsys.readouterr().out
    assert "(write notes above the marker)" in said, said
    assert "bridge writes all of that file" not in said


@pytest.mark.parametrize("command", ["rebuild", "run"])
def test_an_edit_of_the_manifest_is_kept_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Trial t16 F18: a line added to MANIFEST.md was overwritten by `bridge rebuild` with no
    copy and no word, where the results' edit is kept and said."""
    project = _project(tmp_path)
    manifest = project / "MANIFEST.md"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\nmy note\n", encoding="utf-8")

    plain = ["--plain"] if command == "run" else []
    assert main([command, *plain, "--project", str(project)]) == 0
    said = capsys.readouterr().out
    assert (
        "kept your edit of MANIFEST.md in MANIFEST.edited.md: bridge writes all of that file "
        "from its log, so edits there are only in that copy"
    ) in said, said
    assert "my note" in (project / "MANIFEST.edited.md").read_text(encoding="utf-8")
    assert "my note" not in manifest.read_text(encoding="utf-8")


def test_the_manifest_bridge_wrote_is_kept_no_copy_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unedited, the manifest is rewritten with no copy and no line."""
    project = _project(tmp_path)
    assert main(["rebuild", "--project", str(project)]) == 0
    assert "MANIFEST" not in capsys.readouterr().out
    assert not list(project.glob("MANIFEST.*.md"))
