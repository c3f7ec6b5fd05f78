"""
A tracker row moved into a new table while `bridge run` goes on is carried whole into the
tracker, so bridge keeps no `.edited.md` copy and says nothing of one (trial t11 on the real
project 018: JPH-B2-JT-S0 cut and pasted into a `## Joint pilot` table mid-run ended with
"你留下的原文保存在 refine-logs/EXPERIMENT_TRACKER.edited.md：… 写在那里的文字只在该副本中",
although the copy differed from the tracker only in bridge's own cells). Real `bridge`
commands; the row is moved by the run's own command, as a researcher saving the file while it
runs.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from tests.conftest import SHARED, needs_shared
from tests.in_process import bridge_here

pytestmark = needs_shared

FAKE = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[sys.argv.index("--out") + 1])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"task_success": 0.5, "invalid_rate": 0.02}))
"""
# JT's run: its row cut from the run ledger and pasted into a table of its own above bridge's
# marker, its header as the ledger's; then the run's numbers.
MOVER = """\
import pathlib, sys
tracker = pathlib.Path("refine-logs/EXPERIMENT_TRACKER.md")
lines = tracker.read_text(encoding="utf-8").splitlines(keepends=True)
at = next(i for i, line in enumerate(lines) if line.startswith("| JPH-B2-JT-S0 |"))
head = next(i for i in range(at, -1, -1) if lines[i].startswith("| Run ID"))
row = lines.pop(at)
mark = next(i for i, line in enumerate(lines) if line.startswith("<!-- bridge:"))
lines[mark:mark] = ["## Joint pilot\\n", "\\n", lines[head], lines[head + 1], row, "\\n"]
tracker.write_text("".join(lines), encoding="utf-8")
exec(pathlib.Path(sys.argv[0]).with_name("fake.py").read_text())
"""
B2 = ("JPH-B2-FX-S0", "JPH-B2-PO-S0", "JPH-B2-HO-S0", "JPH-B2-JT-S0")


def _command(script: Path) -> str:
    return json.dumps([sys.executable, str(script), "--seed", "{seed}", "--out", "{output_dir}"])


def _run(project: Path) -> str:
    done = bridge_here("run", "--plain", "--project", str(project))
    # 018's tracker says five must-run rows failed before bridge: collected, not ready (exit 1).
    assert "COLLECTED" in done.stdout, done.stdout + done.stderr
    return done.stdout


def test_a_row_moved_to_a_new_table_mid_run_leaves_no_copy(tmp_path: Path) -> None:
    project = tmp_path / "p018"
    shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", project)
    (project / "fake.py").write_text(FAKE, encoding="utf-8")
    (project / "mover.py").write_text(MOVER, encoding="utf-8")
    toml = project / "bridge.toml"
    # One run at a time: JT's, the last of B2, moves its row after bridge wrote the tracker
    # during this `bridge run` (no version kept of that write).
    toml.write_text(
        f"[bridge]\nmax_parallel = 1\n[run]\ncommand = {_command(project / 'fake.py')}\ngpus = 0\n",
        encoding="utf-8",
    )
    _run(project)
    toml.write_text(
        toml.read_text() + f'[systems."joint"]\ncommand = {_command(project / "mover.py")}\n',
        encoding="utf-8",
    )
    retried = bridge_here("retry", "--force", *B2, "--project", str(project))
    assert retried.returncode == 0, retried.stdout + retried.stderr
    said = _run(project) + _run(project)  # the second reads the edit if the first had not

    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    assert not list(tracker.parent.glob("EXPERIMENT_TRACKER.edited*")), said
    assert "EXPERIMENT_TRACKER.edited" not in said
    text = tracker.read_text(encoding="utf-8")
    moved = text.partition("## Joint pilot\n")[2].partition("<!-- bridge:")[0]
    (row,) = [line for line in text.splitlines() if line.startswith("| JPH-B2-JT-S0 |")]
    assert row in moved
    # The row as bridge fills it in: its Status and its part of the Notes, the researcher's
    # "pilot" first and alone (bridge's own "由人要求重试" is no note of theirs).
    assert row.endswith(
        "| passed |  | 外置 run dir | pilot；bridge：种子 0；第 2 次尝试，local#0:cpu；退出码 0 |"
    )
