"""
Ctrl-C during ``bridge run``: what it says, what ``bridge status`` shows while no ``bridge run``
is active, and the next ``bridge run`` adopting what kept running. Real processes throughout.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bridge.cli.handlers import exited_runs
from bridge.events.store import SQLiteEventStore
from bridge.machine.fold import PipelineState, fold
from bridge.pipeline.audit import db_path
from tests.cli.conftest import REPO, bridge_cli
from tests.e2e.tiny import write_project

# The runs wait for a file the test creates, so the test decides when they end.
WAITING_SCRIPT = """import argparse, json, pathlib, time
p = argparse.ArgumentParser()
p.add_argument("--model"); p.add_argument("--seed", type=int); p.add_argument("--lr", type=float)
p.add_argument("--out"); p.add_argument("--sleep", type=float, default=0.0)
a = p.parse_args()
release = pathlib.Path(__file__).resolve().parent / "release"
deadline = time.monotonic() + 120
while a.model == "baseline" and not release.exists() and time.monotonic() < deadline:
    time.sleep(0.05)
out = pathlib.Path(a.out); out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"accuracy": 0.5 if a.model == "baseline" else 0.8}))
"""


def _status(project: Path) -> dict[str, dict[str, object]]:
    done = bridge_cli("status", "--json", "--project", str(project))
    assert done.returncode == 0, done.stderr
    return {run["id"]: run for run in json.loads(done.stdout)["runs"]}


def _state(project: Path) -> PipelineState | None:
    if not db_path(project).exists():
        return None
    store = SQLiteEventStore(db_path(project))
    try:
        return fold(store.read())
    finally:
        store.close()


def _running(project: Path, run_id: str) -> bool:
    state = _state(project)
    return (
        state is not None and run_id in state.runs and state.runs[run_id].state.value == "running"
    )


def _exited(project: Path, run_id: str) -> bool:
    state = _state(project)
    return state is not None and run_id in exited_runs(project, state)


def _until(check: object, what: str, bound: float = 90.0) -> None:
    deadline = time.monotonic() + bound
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


class TestInterrupt:
    def test_ctrl_c_then_status_then_adoption(self, tmp_path: Path) -> None:
        """
        Ctrl-C says runs go on and will be adopted; status tells running from exited; the next
        `bridge run` collects to COLLECTED; the summary names the project when run elsewhere.
        """
        project = write_project(tmp_path / "p")
        (project / "train.py").write_text(WAITING_SCRIPT)
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        run = subprocess.Popen(
            [sys.executable, "-m", "bridge", "run", "--plain", "--project", str(project)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=elsewhere,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        try:
            _until(lambda: _running(project, "R002"), "R002 to run")
            run.send_signal(signal.SIGINT)
            _out, err = run.communicate(timeout=60)
        finally:
            if run.poll() is None:
                run.kill()
                run.communicate()
        assert run.returncode == 130
        assert "interrupted (SIGINT)" in err and "keep running" in err
        assert "next `bridge run` adopts" in err and "Traceback" not in err

        assert _status(project)["R002"]["process"] == "running"
        text = bridge_cli("status", "--project", str(project), columns=100).stdout
        assert "no `bridge run` is active" in text

        (project / "release").touch()
        _until(lambda: _exited(project, "R002"), "R002 to exit")
        text = bridge_cli("status", "--project", str(project), columns=100).stdout
        assert "exited" in text and "not yet collected" in text

        again = bridge_cli("run", "--plain", "--project", str(project), cwd=elsewhere)
        assert again.returncode in (0, 1), again.stderr
        assert "stage COLLECTED" in again.stdout
        assert f"project: {project}" in again.stdout
        assert all(run["process"] is None for run in _status(project).values())
