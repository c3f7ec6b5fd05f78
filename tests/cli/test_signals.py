"""
SIGTERM and SIGINT end ``bridge run`` cleanly: one line, no traceback, the runs it launched go on,
and the next ``bridge run`` adopts them (each run executes once).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pipeline.conftest import REPO_ROOT, Run, events_of, executions, wait_for, write_project

RUNS = [
    Run(id="R1", milestone="M0", system="sanity", sleep=0.05),
    Run(id="R2", milestone="M1", sleep=1.5),
    Run(id="R3", milestone="M1", sleep=1.5),
]


def _bridge(project: Path) -> subprocess.Popen[str]:
    env = dict(os.environ) | {"PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "bridge", "run", "--plain", "--project", str(project)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


class TestStopSignals:
    @pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
    def test_signal_while_runs_are_live(self, tmp_path: Path, signum: signal.Signals) -> None:
        """Stopped while M1 runs: exit 128+N, one line, runs finish, a rerun adopts them."""
        project = write_project(tmp_path / "p", RUNS)
        proc = _bridge(project)
        wait_for(
            lambda: (
                sum(1 for e in events_of(project) if e[2] == "run.started") >= 2
                or proc.poll() is not None
            ),
            timeout=60,
            what="two runs started",
        )
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 128 + signum, err
        assert "Traceback" not in err
        assert f"interrupted ({signum.name})" in err
        again = _bridge(project)
        _, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
        ran = executions(project)
        assert {k: len(v) for k, v in ran.items()} == {"R1": 1, "R2": 1, "R3": 1}
        assert all(v[0].end is not None for v in ran.values())

    @pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
    def test_signal_during_start_up(self, tmp_path: Path, signum: signal.Signals) -> None:
        """Stopped while loading (before any event): no traceback."""
        project = write_project(tmp_path / "p", RUNS)
        proc = _bridge(project)
        wait_for(
            lambda: (project / ".bridge").exists() or proc.poll() is not None,
            timeout=60,
            what="start-up",
        )
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
        assert "Traceback" not in err, err
        assert proc.returncode in (0, 128 + signum), err


# The child starts with Python's own SIGINT handler, as from a terminal: a test run started in
# the background (``cmd &``, nohup) has SIGINT ignored, which bridge rightly leaves ignored.
KICK_DURING_IMPORT = """
import importlib.abc, os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)

class Kick(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "bridge.cli.main":  # the command's heavy imports start here
            os.kill(os.getpid(), signal.{signame})
        return None

sys.meta_path.insert(0, Kick())
import bridge.cli
print("imported")
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_while_the_command_is_still_importing(signum: signal.Signals) -> None:
    """A signal that lands while the command's modules are being imported ends it with one
    line and 128 + N, never an import traceback."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT

    proc = subprocess.run(
        [sys.executable, "-c", KICK_DURING_IMPORT.replace("{signame}", signum.name)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert proc.returncode == 128 + signum, proc.stderr
    assert "Traceback" not in proc.stderr and "imported" not in proc.stdout
    assert proc.stderr.strip() == f"bridge: stopped by {signum.name} while starting"


# SIGTERM handled the moment the new log's schema COMMIT returns (the profiler fires on that
# call's return, inside the store's write transaction): a window of a few microseconds in real
# runs, hit a few times in a hundred on a loaded machine. On a new project the first write
# transaction to commit is the schema's.
KICK_AFTER_SCHEMA_COMMIT = """
import linecache, os, signal, sys
from bridge.cli import main

def kick(frame, event, arg):
    if (
        event == "c_return"
        and frame.f_code.co_name == "write_transaction"
        and '"COMMIT"' in linecache.getline(frame.f_code.co_filename, frame.f_lineno)
    ):
        sys.setprofile(None)
        print("kicked", flush=True)
        os.kill(os.getpid(), signal.SIGTERM)

sys.setprofile(kick)
sys.exit(main(["run", "--plain", "--project", sys.argv[1]]))
"""


def test_sigterm_right_after_the_new_log_is_created(tmp_path: Path) -> None:
    """SIGTERM handled just after the new log's schema is committed ends the command with
    143 and the interrupted line, not 'cannot open the event log' and 1."""
    project = write_project(tmp_path / "p", RUNS)
    proc = subprocess.run(
        [sys.executable, "-c", KICK_AFTER_SCHEMA_COMMIT, str(project)],
        capture_output=True, text=True, timeout=60,
        env=dict(os.environ) | {"PYTHONPATH": str(REPO_ROOT)},
    )  # fmt: skip
    assert "kicked" in proc.stdout, proc.stderr
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert "Traceback" not in proc.stderr and "cannot open" not in proc.stderr, proc.stderr
    assert "interrupted (SIGTERM)" in proc.stderr
    assert not executions(project), "nothing may launch after the stop"


# SIGTERM handled inside code run from a string by exec() during one of the command's lazy
# imports, as when it lands while a dataclass or namedtuple builds its methods. Run with -m,
# as the tests and `python -m bridge` run the command: only that path exits by the mark.
KICK_INSIDE_EXEC = """
import importlib.abc, sys
from bridge.cli import main
import bridge.cli.handlers

class Kick(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "bridge.cli.watch":  # imported by the run handler, inside main's try
            sys.meta_path.remove(self)
            print("kicked", flush=True)
            exec("import os, signal; os.kill(os.getpid(), signal.SIGTERM)")
        return None

sys.meta_path.insert(0, Kick())
sys.exit(main(["run", "--plain", "--project", sys.argv[1]]))
"""


def test_sigterm_inside_exec_during_an_import_ends_with_143(tmp_path: Path) -> None:
    """A stop raised from exec()'d code is caught by main and ends ``python -m`` with 143, not
    with the SIGINT death CPython gives a KeyboardInterrupt it took for unhandled (-2)."""
    project = write_project(tmp_path / "p", RUNS)
    (tmp_path / "kick_inside_exec.py").write_text(KICK_INSIDE_EXEC)
    proc = subprocess.run(
        [sys.executable, "-m", "kick_inside_exec", str(project)],
        capture_output=True, text=True, timeout=60,
        env=dict(os.environ) | {"PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO_ROOT}"},
    )  # fmt: skip
    assert "kicked" in proc.stdout, proc.stderr
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "interrupted (SIGTERM)" in proc.stderr
