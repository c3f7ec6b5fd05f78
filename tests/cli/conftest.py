"""
Projects for the command-line tests: a log written event by event, with user text that looks
like markup.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bridge.events.store import SQLiteEventStore
from bridge.events.types import (
    PlanLoaded,
    RunFailed,
    RunPlanned,
    RunStarted,
    RunSubmitted,
)
from bridge.events.values import JobHandle
from bridge.pipeline.audit import db_path

REPO = Path(__file__).resolve().parents[2]

# User text rich would read as markup, emoji codes or a link if it were allowed to.
TITLE = "Plan [bold]T[/bold] with [[runs]] and [reviewer] :smile:"
SYSTEM = "Method [local-only] [red]x[/red]"
LONG_REASON = "exit 1: " + "the loss went to NaN at step 12 [nan] " * 8 + "END-OF-REASON"


@pytest.fixture
def logged(tmp_path: Path) -> Path:
    """A project folder whose only content is a log: a plan, one failed run, two planned."""
    root = tmp_path / "proj"
    store = SQLiteEventStore(db_path(root))
    store.append("bridge", [PlanLoaded(title=TITLE, plan_path="p.md", plan_sha256="0" * 64)], 0)
    for number in range(1, 4):
        run_id = f"R00{number}"
        store.append(
            f"run:{run_id}",
            [RunPlanned(run_id=run_id, milestone="M1", system=SYSTEM if number == 1 else "B")],
            0,
        )
    store.append(
        "run:R001",
        [
            RunSubmitted(run_id="R001", attempt_id="R001-a1", attempt=1, backend="local"),
            RunStarted(
                run_id="R001",
                attempt_id="R001-a1",
                handle=JobHandle(backend="local", attempt_id="R001-a1"),
            ),
            RunFailed(run_id="R001", attempt_id="R001-a1", exit_code=1, reason=LONG_REASON),
        ],
        1,
    )
    store.close()
    return root


def bridge_cli(
    *args: str, cwd: Path | None = None, columns: int = 80, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m bridge ARGS`` in a child process, on this checkout, output captured."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": str(columns)}
    return subprocess.run(
        [sys.executable, "-m", "bridge", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )
