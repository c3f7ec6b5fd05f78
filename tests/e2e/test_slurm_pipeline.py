"""
Plans run on the Slurm backend through a real single-node cluster: the CLI to COLLECTED, and
bridge SIGKILLed between intent and sbatch, between sbatch and the recorded job id, and while
jobs run, then run again: every run executes exactly once (the job's own marker lines say so).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bridge import Bridge
from bridge.adapters.backends.slurm.backend import SlurmBackend
from bridge.adapters.backends.slurm.config import SlurmConfig
from bridge.cli import main
from bridge.machine.ports import JobSpec
from bridge.machine.stages import Stage
from bridge.pipeline.layout import ProjectLayout
from tests.adapters.backends import nvidia_smi
from tests.adapters.backends.slurm.cluster import SlurmCluster
from tests.pipeline.conftest import (
    REPO_ROOT,
    Run,
    events_of,
    executions,
    start_bridge,
    wait_for,
    write_project,
)

pytest_plugins = ["tests.adapters.backends.slurm.conftest_slurm"]

RUNS = [
    Run(id="R1", milestone="M0", system="sanity"),
    Run(id="R2", milestone="M1", sleep=1.0),
    Run(id="R3", milestone="M1", sleep=1.0),
]
_BRIDGE = 'backend = "slurm"\nmax_parallel = 2\ncode_review = false'
_SLURM = "[backends.slurm]\npoll_seconds = 0.2\n"
# For a test of one run's job (its timeout, its cancel, a held partition), not of the first run
# checked alone before the rest in a plan that names no sanity milestone.
_UNCHECKED = _BRIDGE + "\nsanity_first = false"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The directory a test writes its project into."""
    root = tmp_path / "project"
    root.mkdir()
    return root


def _project(root: Path, runs: list[Run] = RUNS, **kw: str) -> Path:
    return write_project(root, runs, bridge=_BRIDGE, extra=_SLURM, **kw)


def _once_each(project: Path, runs: list[Run] = RUNS) -> None:
    ran = executions(project)
    assert {k: len(v) for k, v in ran.items()} == {r.id: 1 for r in runs}
    assert all(v[0].end is not None for v in ran.values())


class TestSlurmPipeline:
    def test_plan_reaches_collected(
        self, slurm: SlurmCluster, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A mini plan runs to COLLECTED through sbatch, each run once, results in the log."""
        _project(project)
        assert main(["run", "--plain", "--project", str(project)]) == 0, capsys.readouterr()
        _once_each(project)
        assert len(list(project.glob(".bridge/runs/*/*/output/metrics.json"))) == 3
        assert sum(1 for e in events_of(project) if e[2] == "run.succeeded") == 3
        assert main(["verify", "--project", str(project)]) == 0

    def test_unknown_partition_is_exit_2_before_any_launch(
        self, slurm: SlurmCluster, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A partition Slurm lacks: exit 2 naming the setting, no traceback, no job launched."""
        write_project(project, RUNS, bridge=_BRIDGE, extra='[backends.slurm]\npartition = "gpuz"\n')
        assert main(["run", "--plain", "--project", str(project)]) == 2
        err = capsys.readouterr().err
        assert "backends.slurm.partition" in err and "Traceback" not in err
        assert not executions(project)
        assert not any(e[2] == "run.submitted" for e in events_of(project))

    def test_run_past_its_timeout_is_timed_out(self, slurm: SlurmCluster, project: Path) -> None:
        """A run longer than timeout_minutes is stopped in its job and recorded timed out."""
        write_project(
            project,
            [Run(id="R1", milestone="M1", sleep=60)],
            bridge=_UNCHECKED,
            extra=_SLURM,
            sanity=None,
            run="timeout_minutes = 0.02",
        )
        main(["run", "--plain", "--project", str(project)])
        assert "run.timed_out" in [e[2] for e in events_of(project)]
        assert [len(v) for v in executions(project).values()] == [1]


class TestSlurmCrashes:
    @pytest.mark.parametrize(
        "spec",
        [
            "after:run.submitted:run:R3",  # intent recorded, sbatch not called
            "before:run.started:run:R3",  # sbatch answered, the job id not recorded
        ],
    )
    def test_killed_around_sbatch_then_resumed(
        self, slurm: SlurmCluster, project: Path, spec: str
    ) -> None:
        """Killed between intent and sbatch, or between sbatch and the recorded job id: the
        next run finds or submits the job, and every run executes exactly once."""
        _project(project)
        crashed = subprocess.run(
            [sys.executable, "-m", "tests.pipeline.crashing", str(project), spec],
            env=dict(os.environ) | {"PYTHONPATH": str(REPO_ROOT)},
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert crashed.returncode == -signal.SIGKILL, crashed.stderr[-2000:]
        assert main(["run", "--plain", "--project", str(project)]) == 0
        _once_each(project)

    def test_killed_while_jobs_run_then_resumed(self, slurm: SlurmCluster, project: Path) -> None:
        """SIGKILL while Slurm runs the jobs; the next run adopts them and runs nothing twice."""
        _project(project)
        proc = start_bridge(project)
        try:
            wait_for(lambda: "R2" in executions(project), timeout=60, what="R2 running")
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
        assert main(["run", "--plain", "--project", str(project)]) == 0
        _once_each(project)
        assert any(e[2] == "run.started" for e in events_of(project))


def _queue_state(slurm: SlurmCluster, job_id: str) -> str:
    out = slurm.run(["squeue", "-h", "--states=all", "-j", job_id, "-o", "%T"]).stdout
    return out.strip()


class TestSlurmCancelAndGc:
    def test_bridge_cancel_scancels_the_job(
        self, slurm: SlurmCluster, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`bridge cancel` during a run scancels its job; the run is recorded cancelled."""
        runs = [Run(id="R1", milestone="M1", mode="gate")]
        write_project(project, runs, bridge=_UNCHECKED, extra=_SLURM, sanity=None)
        proc = start_bridge(project)
        try:
            wait_for(lambda: "R1" in executions(project), timeout=60, what="R1 running")
            assert main(["cancel", "R1", "--project", str(project)]) == 0, capsys.readouterr()
            proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        job_id = next(project.glob(".bridge/runs/R1/*/job_id")).read_text().strip()
        wait_for(lambda: _queue_state(slurm, job_id) == "CANCELLED", what="job cancelled")
        assert "run.cancelled" in [e[2] for e in events_of(project)]
        assert executions(project)["R1"][0].end is None

    def test_gc_lists_and_cancels_stray_jobs(
        self, slurm: SlurmCluster, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A job of this project that no live attempt owns is listed, then cancelled."""
        _project(project)
        stray = SlurmBackend(SlurmConfig(), project).submit(
            JobSpec(place=ProjectLayout.place("R9", "R9-a1"), argv=("sleep", "60"))
        )
        capsys.readouterr()
        assert main(["gc", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        assert stray.locator["job_id"] in out and "bridge gc --cancel" in out
        assert _queue_state(slurm, stray.locator["job_id"]) in ("PENDING", "RUNNING")
        assert main(["gc", "--cancel", "--project", str(project)]) == 0
        assert f"cancelled job {stray.locator['job_id']}" in capsys.readouterr().out
        wait_for(
            lambda: _queue_state(slurm, stray.locator["job_id"]) == "CANCELLED", what="cancelled"
        )
        assert main(["gc", "--project", str(project)]) == 0
        assert "no stray jobs" in capsys.readouterr().out


class TestSlurmHeldPartition:
    def test_held_partition_shows_queued_runs_in_status(
        self, slurm_up: SlurmCluster, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With the partition DOWN, `bridge status` shows the runs queued with Slurm's reason;
        once it is UP again they run, each once."""
        runs = [Run(id="R1", milestone="M1"), Run(id="R2", milestone="M1")]
        write_project(project, runs, bridge=_UNCHECKED, extra=_SLURM, sanity=None)
        slurm_up.partition("DOWN")
        proc = start_bridge(project)
        try:

            def waiting() -> list[str]:
                # Ask only once the log holds the runs' notes: `bridge status` reads a log that
                # another process is still creating as an error.
                if sum(1 for e in events_of(project) if e[2] == "run.queue_noted") < 2:
                    return []
                capsys.readouterr()
                assert main(["status", "--json", "--project", str(project)]) == 0
                state = json.loads(capsys.readouterr().out)
                return [r["waiting"] for r in state["runs"] if "PartitionDown" in r["waiting"]]

            wait_for(lambda: len(waiting()) == 2, timeout=60, what="both runs held")
            assert not executions(project)
            capsys.readouterr()
            assert main(["status", "--project", str(project)]) == 0
            shown = capsys.readouterr().out
            assert shown.count("queued") == 2 and "RUNNING" not in shown
            slurm_up.partition("UP")
            proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        _once_each(project, runs)
        noted = [e for e in events_of(project) if e[2] == "run.queue_noted"]
        # Held for each run; the release is noted too when a poll catches the job running (a
        # short job may go from pending to done between two polls, so not always).
        assert len(noted) >= 2
        assert main(["status", "--json", "--project", str(project)]) == 0
        final = json.loads(capsys.readouterr().out)
        assert [r["waiting"] for r in final["runs"]] == ["", ""]  # done, not shown as queued


class TestSlurmGpuMemory:
    """
    Sanity checks GPU memory on a cluster (#20 gap 6): the batch script samples the job's peak
    on the compute node. The cluster has no GPU: the ``nvidia-smi`` on the job's PATH is the
    stand-in of ``tests/adapters/backends/nvidia_smi.py`` (a stand-in for the hardware, printing
    what the real one prints for these queries), not a mock of bridge.
    """

    def test_a_peak_near_the_gpus_capacity_fails_sanity(
        self, slurm: SlurmCluster, project: Path, tmp_path: Path
    ) -> None:
        """Without max_gpu_memory_gb, a sanity run whose peak (81000 MiB) comes within the
        default 1 GB margin of its GPU's memory.total (81559 MiB) fails sanity, saying so;
        nothing deploys."""
        bin_dir, usage = nvidia_smi.install(tmp_path)
        Path(f"{usage}.jobs").write_text("81000")
        runs = [
            Run(id="S1", milestone="M0", system="sanity", sleep=2.5),
            Run(id="R1", milestone="M1"),
        ]
        setup = f'setup = ["export PATH={bin_dir}:$PATH"]\n'
        write_project(project, runs, bridge=_BRIDGE, extra=_SLURM + setup)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.BLOCKED
            state = bridge.status()
        finally:
            bridge.close()
        s1 = state.runs["S1"].current
        assert s1 is not None and (s1.gpu_memory_peak_mib, s1.gpu_memory_total_mib) == (
            81000,
            nvidia_smi.TOTAL_MIB,
        )
        failed = [c for c in state.sanity_checks if not c.passed]
        assert failed, state.sanity_checks
        assert "GPU memory peaked at 79.10 GB" in failed[0].detail, failed[0].detail
        assert "within [run] gpu_memory_margin_gb = 1 of its GPU's 79.65 GB" in failed[0].detail
        assert state.blocked is not None
        assert "Fix: lower the batch size" in state.blocked.findings[0].message
        assert "R1" not in executions(project)

    def test_no_nvidia_smi_on_the_node_passes_but_says_not_measured(
        self, slurm: SlurmCluster, project: Path
    ) -> None:
        """A bound set but no nvidia-smi where the job ran: sanity passes (a CPU node is no
        failure) and says the run's GPU memory was not measured, naming the node."""
        runs = [Run(id="S1", milestone="M0", system="sanity"), Run(id="R1", milestone="M1")]
        write_project(project, runs, bridge=_BRIDGE, extra=_SLURM, run="max_gpu_memory_gb = 40")
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        passed = [c for c in state.sanity_checks if c.passed]
        assert passed and "S1: GPU memory not measured (no nvidia-smi on " in passed[0].detail
