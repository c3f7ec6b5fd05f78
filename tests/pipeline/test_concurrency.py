"""
Two bridge processes on one project, cancelling from another process, and hostile values.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bridge.machine.stages import RunState, Stage
from bridge.pipeline import Bridge
from tests.pipeline.conftest import (
    Run,
    events_of,
    executions,
    start_bridge,
    wait_for,
    write_project,
)


def _gone(pid: int) -> bool:
    """True when no live process has ``pid`` (a zombie counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] in ("Z", "X")


def _started(project: Path, run_id: str) -> bool:
    return any(s == f"run:{run_id}" and t == "run.started" for _, s, t in events_of(project))


class TestTwoProcesses:
    def test_second_process_is_refused_while_the_first_runs(self, project: Path) -> None:
        """A second `bridge run` exits with a clear locked message; each run executes once."""
        runs = [Run(id="A1", milestone="M1", mode="gate"), Run(id="A2", milestone="M1")]
        write_project(project, runs, sanity=None)
        first = start_bridge(project)
        try:
            wait_for(lambda: _started(project, "A1"), what="the first run to start")
            second = start_bridge(project)
            _, err = second.communicate(timeout=60)
            assert second.returncode == 3, err
            assert f"pid {first.pid}" in err and str(project) in err
            assert "Traceback" not in err
            (project / "markers" / "open.flag").touch()
            out, err = first.communicate(timeout=60)
            assert first.returncode == 0, err
            assert out.strip().splitlines()[-1] == "COLLECTED"
        finally:
            first.kill()
            first.communicate()
        assert {k: len(v) for k, v in executions(project).items()} == {"A1": 1, "A2": 1}

    def test_two_processes_started_together_run_each_run_once(self, project: Path) -> None:
        """Started at the same moment, two processes never execute a run twice."""
        runs = [Run(id=f"B{k}", milestone="M1", sleep=0.2) for k in range(3)]
        write_project(project, runs, sanity=None)
        procs = [start_bridge(project), start_bridge(project)]
        codes = []
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            codes.append(proc.returncode)
            assert proc.returncode in (0, 3), err
        assert 0 in codes
        assert {k: len(v) for k, v in executions(project).items()} == {r.id: 1 for r in runs}

    def test_deleted_lock_file_does_not_let_a_second_process_in(self, project: Path) -> None:
        """The lock file deleted under a running bridge: a second process is still refused."""
        runs = [Run(id="D1", milestone="M1", mode="gate")]
        write_project(project, runs, sanity=None)
        first = start_bridge(project)
        try:
            wait_for(lambda: _started(project, "D1"), what="the first run to start")
            (project / ".bridge" / "lock").unlink()
            second = start_bridge(project)
            _, err = second.communicate(timeout=60)
            assert second.returncode == 3, err
            assert "another bridge process" in err and "Traceback" not in err
            (project / "markers" / "open.flag").touch()
            _, err = first.communicate(timeout=60)
            assert first.returncode == 0, err
        finally:
            first.kill()
            first.communicate()
        assert {k: len(v) for k, v in executions(project).items()} == {"D1": 1}

    def test_processes_opening_a_brand_new_log_at_once(self, project: Path) -> None:
        """Four processes creating the log together: one works, the others get the lock message."""
        write_project(project, [Run(id="N1", milestone="M1", mode="gate")], sanity=None)
        procs = [start_bridge(project) for _ in range(4)]
        try:
            wait_for(lambda: (project / "markers" / "N1").exists(), timeout=90, what="N1 to start")
            (project / "markers" / "open.flag").touch()
            errors = [proc.communicate(timeout=60)[1] for proc in procs]
        finally:
            for proc in procs:
                proc.kill()
                proc.communicate()
        assert sorted(p.returncode for p in procs)[-1] in (0, 3)
        for proc, err in zip(procs, errors, strict=True):
            assert proc.returncode in (0, 3), err
            assert "database is locked" not in err
        assert {k: len(v) for k, v in executions(project).items()} == {"N1": 1}


class TestCancel:
    def test_cancel_from_another_process_leaves_no_orphan(self, project: Path) -> None:
        """Cancelling a running run kills its whole process group; the runner carries on."""
        runs = [Run(id="H", milestone="M1", mode="hold"), Run(id="L", milestone="M2")]
        # H cancelled as a run of M1, not as the sanity check of a plan that names none.
        write_project(
            project,
            runs,
            sanity=None,
            bridge="max_parallel = 2\ncode_review = false\nsanity_first = false",
        )
        runner = start_bridge(project)
        try:
            child_file = project / "markers" / "H.child"
            wait_for(lambda: child_file.exists() and child_file.read_text(), what="the grandchild")
            wait_for(lambda: _started(project, "H"), what="RunStarted")
            grandchild = int(child_file.read_text())
            script = executions(project)["H"][0].pid
            canceller = Bridge(project)
            try:
                canceller.cancel("H")
            finally:
                canceller.close()
            wait_for(lambda: _gone(grandchild) and _gone(script), what="the process group to end")
            out, err = runner.communicate(timeout=60)
            assert runner.returncode == 0, err
            assert out.strip().splitlines()[-1] == "COLLECTED"
        finally:
            runner.kill()
            runner.communicate()
        after = Bridge(project)
        try:
            state = after.status()
        finally:
            after.close()
        assert state.runs["H"].state is RunState.CANCELLED
        assert state.runs["L"].state is RunState.CANCELLED
        assert "L" not in executions(project)


class TestHostileValues:
    @pytest.mark.parametrize(
        "name", ["x; rm -rf ~", "$(touch pwned)", "x && touch pwned > out.txt"]
    )
    def test_placeholder_values_stay_inert(
        self, tmp_path: Path, project: Path, name: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A system name full of shell syntax reaches the script as one literal argument."""
        home = tmp_path / "home"
        home.mkdir()
        (home / "keep").write_text("still here")
        monkeypatch.setenv("HOME", str(home))
        write_project(project, [Run(id="X1", milestone="M1", system=name)], sanity=None)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            run = bridge.status().runs["X1"]
        finally:
            bridge.close()
        assert run.state is RunState.SUCCEEDED
        assert run.current is not None
        argv = (Path(run.current.output_dir) / "argv.txt").read_text().split("\n")
        assert argv[argv.index("--name") + 1] == name
        assert (home / "keep").read_text() == "still here"
        pwned = [p for root in (tmp_path, Path.cwd()) for p in root.rglob("pwned")]
        assert pwned == [] and not (Path(os.sep) / "pwned").exists()
