"""
The real project 018 (Chinese) made runnable for CLI tests: a copy in ``tmp_path`` whose every
run is one small script writing the numbers each B2 arm reads, and ``bridge run`` on it.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from tests.conftest import SHARED
from tests.in_process import bridge_here

__all__ = ["project_018", "run_018"]

# Writes the numbers every B2 arm's run of 018 reads, whatever its system.
FAKE = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[sys.argv.index("--out") + 1])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"task_success": 0.5, "invalid_rate": 0.02}))
"""


def project_018(tmp_path: Path) -> Path:
    """A copy of 018 whose bridge.toml runs :data:`FAKE` for every run, on no GPU."""
    project = tmp_path / "p018"
    shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", project)
    (project / "fake.py").write_text(FAKE, encoding="utf-8")
    command = json.dumps(
        [sys.executable, str(project / "fake.py"), "--seed", "{seed}", "--out", "{output_dir}"]
    )
    (project / "bridge.toml").write_text(
        f"[run]\ncommand = {command}\ngpus = 0\n", encoding="utf-8"
    )
    return project


def run_018(project: Path) -> str:
    """``bridge run --plain`` on the copy; what it printed. It ends COLLECTED, not ready."""
    done = bridge_here("run", "--plain", "--project", str(project))
    # 018's tracker says five must-run rows failed before bridge: collected, not ready (exit 1).
    assert "阶段 COLLECTED" in done.stdout, done.stdout + done.stderr
    return done.stdout
