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

_NOT_RUN = "NOT RUN — DiffAdapt released, probe not needed"


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
