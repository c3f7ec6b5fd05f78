"""
A Status a researcher writes in bridge's run table below the tracker's marker: bridge writes
that table and does not read it, so the edit is said with where the Status belongs, by every
command that rewrites the tracker (trial t7 on 034: `NOT RUN` on R009 went to
`EXPERIMENT_TRACKER.edited.md` without a word, and R009 was launched).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from bridge.cli import main
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

# Its reason holds a command with a pipe, in inline code: in the cell, as the reader reads it.
_NOT_RUN = "NOT RUN — DiffAdapt released (`pip show diffadapt | head -1`), probe not needed"


@needs_shared
def test_not_run_in_bridges_run_table_is_said_with_where_it_belongs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """034's tracker lists blocks (M1's row holds R008–R011): R009's row exists only in
    bridge's part. `bridge approve` rewrote the tracker and kept the edit in a copy, silently;
    it now names R009's Status, that it is not read, and how to leave R009 out."""
    root = as_project("034", tmp_path)
    (root / "job.py").write_text("print('ok')\n", encoding="utf-8")
    (root / "bridge.toml").write_text(
        f'[run]\ncommand = ["{sys.executable}", "job.py"]\n', encoding="utf-8"
    )
    assert main(["run", "--project", str(root)]) == 3  # waiting for approval
    capsys.readouterr()
    tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    row = re.search(r"^\| R009 \|.*\| TODO \|[^|\n]*\|$", text, re.MULTILINE)
    assert row is not None, text
    edited = row.group(0).replace("| TODO |", f"| {_NOT_RUN} |")
    tracker.write_text(text.replace(row.group(0), edited), encoding="utf-8")
    assert main(["approve", "--project", str(root)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert (
        f"refine-logs/EXPERIMENT_TRACKER.md: R009's Status «{_NOT_RUN}», written in bridge's run "
        "table below the marker, is not read (bridge writes that table from its log): the "
        "tracker lists blocks, not runs, so R009 has no row of its own; to leave it out, remove "
        "its system from block M1's systems in the plan (NOT RUN on M1's row leaves out all of "
        "M1's runs)"
    ) in said, said


@needs_shared
def test_not_run_on_a_run_proposed_from_the_plan_names_the_block_not_a_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """033's tracker is a checklist with no run table: bridge proposed its runs from the plan's
    blocks, so R025 (E6's one run) and R020 (one of E5's 20) have no row above the marker.
    "write it in R025's row above the marker" could not be followed, and a run table written
    there to follow it replaced every proposed run (trial h18E). The block is named instead."""
    root = as_project("033", tmp_path)
    (root / "job.py").write_text("print('ok')\n", encoding="utf-8")
    (root / "bridge.toml").write_text(
        f'[run]\ncommand = ["{sys.executable}", "job.py", "{{run_id}}"]\n', encoding="utf-8"
    )
    assert main(["run", "--project", str(root)]) == 3  # the proposed runs wait for approval
    capsys.readouterr()
    tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    for run_id in ("R020", "R025"):
        row = re.search(rf"^\| {run_id} \|.*\| TODO \|[^|\n]*\|$", text, re.MULTILINE)
        assert row is not None, text
        text = text.replace(row.group(0), row.group(0).replace("| TODO |", f"| {_NOT_RUN} |"))
    tracker.write_text(text, encoding="utf-8")
    assert main(["approve", "--project", str(root)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "row above the marker" not in said, said
    assert (
        f"R025's Status «{_NOT_RUN}», written in bridge's run table below the marker, is not "
        "read (bridge writes that table from its log): bridge proposed R025 from block E6 of "
        "the plan, and no row of the tracker names it (a run table written there would replace "
        "every run bridge proposed); to leave it out, write E6's Priority in the plan as "
        "`CUT — <reason>`"
    ) in said, said
    assert (
        "bridge proposed R020 from block E5 of the plan, and no row of the tracker names it (a "
        "run table written there would replace every run bridge proposed); to leave it out, "
        "take its system or seed out of block E5 in the plan (`CUT — <reason>` as E5's "
        "Priority leaves out all of E5's runs)"
    ) in said, said
