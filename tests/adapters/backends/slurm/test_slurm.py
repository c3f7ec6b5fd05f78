"""
The Slurm backend's own behaviour: its settings, the sbatch arguments it builds, the state
table, and (on the real single-node cluster) preflight errors, a held partition, an outside
``scancel`` and one ``squeue`` per poll round.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bridge.adapters.backends.slurm import scripts
from bridge.adapters.backends.slurm.backend import SlurmBackend
from bridge.adapters.backends.slurm.config import SlurmConfig
from bridge.errors import BackendConfigError, ConfigError
from bridge.machine.classify import is_oom
from bridge.machine.ports import JobSpec, JobStatus
from bridge.pipeline.layout import ProjectLayout
from bridge.testing.backend_contract import PROGRAM, settle
from tests.adapters.backends import nvidia_smi
from tests.adapters.backends.slurm.cluster import SlurmCluster

pytest_plugins = ["tests.adapters.backends.slurm.conftest_slurm"]


def _spec(backend: SlurmBackend, attempt_id: str, code: str, **kw: object) -> JobSpec:
    return JobSpec(
        place=ProjectLayout.place("R001", attempt_id),
        argv=("python3", "-c", code),
        **kw,  # type: ignore[arg-type]
    )


class TestSettings:
    def test_defaults_and_values(self) -> None:
        """A table's values are read; without remote_dir the project holds the runs."""
        config = SlurmConfig.from_table(
            {
                "partition": "gpu",
                "account": "lab",
                "qos": "normal",
                "sbatch_args": ["--constraint=a100", "--exclusive"],
                "modules": ["cuda/12.1"],
                "setup": "source .venv/bin/activate",
                "gpu_flag": "gpus",
                "cpus_per_task": 8,
                "mem": "32G",
            }
        )
        assert config.sbatch_args == ("--constraint=a100", "--exclusive")
        assert config.setup == ("source .venv/bin/activate",)
        assert config.ssh is None
        assert config.directory(Path("/x/project")) == "/x/project"

    @pytest.mark.parametrize(
        ("table", "setting"),
        [
            ({"sbatch_args": "--exclusive"}, "backends.slurm.sbatch_args"),
            ({"sbatch_args": ["--x", 3]}, "backends.slurm.sbatch_args"),
            ({"partitio": "gpu"}, "backends.slurm.partitio"),
            ({"gpu_flag": "cuda"}, "backends.slurm.gpu_flag"),
            ({"remote_dir": "scratch/p"}, "backends.slurm.remote_dir"),
            ({"host": "login.cluster"}, "backends.slurm.remote_dir"),
            ({"user": "me"}, "backends.slurm.user"),
            (
                {"host": "login", "remote_dir": "/s", "key_file": "/no/such/key"},
                "backends.slurm.key_file",
            ),
        ],
    )
    def test_mistakes_name_the_setting(self, table: dict[str, object], setting: str) -> None:
        """Each mistake is a ConfigError naming the backends.slurm setting as written."""
        with pytest.raises(ConfigError) as caught:
            SlurmConfig.from_table(table, file="bridge.toml")
        assert caught.value.setting == setting
        assert setting in str(caught.value)
        assert "backends.ssh" not in str(caught.value)

    def test_login_node_settings_reach_the_ssh_code(self) -> None:
        """With host, the SSH settings become one SSH host with the same remote_dir."""
        config = SlurmConfig.from_table(
            {"host": "login.cluster", "user": "me", "port": 2222, "remote_dir": "/scratch/me/p"}
        )
        assert config.ssh is not None
        (login,) = config.ssh.hosts
        assert (login.host, login.user, login.port) == ("login.cluster", "me", 2222)
        assert config.ssh.remote_dir == "/scratch/me/p"


class TestPaths:
    def test_the_layouts_place_gives_the_paths_earlier_versions_used(self, tmp_path: Path) -> None:
        """Slurm joins its directory with the paths the pipeline gives: for the layout's place
        <dir>/.bridge/runs/<run>/<attempt> and <dir>/.bridge/scratch/<run>/<attempt>, byte for
        byte where versions before places put them (so an upgrade finds their jobs)."""
        place = ProjectLayout.place("R1", "R1-a2")
        for config, root in ((SlurmConfig(), str(tmp_path)), (SlurmConfig(remote_dir="/s"), "/s")):
            backend = SlurmBackend(config, tmp_path)
            assert backend.output_dir(place) == f"{root}/.bridge/runs/R1/R1-a2/output"
            assert backend.scratch_dir(place) == f"{root}/.bridge/scratch/R1/R1-a2"


class TestJobArguments:
    def _resources(self, **kw: object) -> list[str]:
        base: dict[str, object] = {
            "partition": "",
            "account": "",
            "qos": "",
            "gpus": 0,
            "gpu_flag": "gres",
            "cpus_per_task": None,
            "mem": "",
            "timeout_seconds": None,
            "kill_grace_seconds": 10.0,
        }
        return scripts.resource_args(**{**base, **kw})  # type: ignore[arg-type]

    def test_gpus_time_cpus_mem_map_to_flags(self) -> None:
        """GPUs, timeout, CPUs and memory become sbatch's flags; nothing when not set."""
        assert self._resources() == []
        assert self._resources(gpus=2) == ["--gres=gpu:2"]
        assert self._resources(gpus=2, gpu_flag="gpus") == ["--gpus=2"]
        # 30 minutes plus the 10 s kill grace, rounded up, plus a minute: the job's own timer
        # records the timeout before Slurm's limit is reached.
        assert self._resources(timeout_seconds=1800.0) == ["--time=32"]
        assert self._resources(
            partition="gpu", account="lab", qos="hi", cpus_per_task=4, mem="8G"
        ) == [
            "--partition=gpu",
            "--account=lab",
            "--qos=hi",
            "--cpus-per-task=4",
            "--mem=8G",
        ]

    def test_name_logs_and_user_arguments(self) -> None:
        """The job carries the attempt's name, logs in its directory, the user's flags last."""
        argv = scripts.sbatch_argv(
            attempt="/s/.bridge/runs/R1/R1-a1",
            name="bridge.R1-a1.abcd1234",
            resources=["--gres=gpu:1"],
            extra=["--constraint=a100"],
        )
        assert argv[:3] == ["sbatch", "--parsable", "--job-name=bridge.R1-a1.abcd1234"]
        assert "--output=/s/.bridge/runs/R1/R1-a1/stdout.log" in argv
        assert argv[-3:] == ["--gres=gpu:1", "--constraint=a100", "/s/.bridge/runs/R1/R1-a1/job.sh"]

    def test_percent_in_paths_is_literal(self) -> None:
        """A '%' in the directory is not read by sbatch as a filename pattern."""
        argv = scripts.sbatch_argv(attempt="/s/100%/a", name="n", resources=[], extra=[])
        assert "--output=/s/100%%/a/stdout.log" in argv

    def test_job_names_differ_between_projects(self) -> None:
        """The same attempt id in two projects gives two job names."""
        assert scripts.job_name("/a", "R1-a1") != scripts.job_name("/b", "R1-a1")
        assert scripts.job_name("/a", "R1-a1").startswith("bridge.R1-a1.")


class TestStateTable:
    def _entry(self, state: str, reason: str = "None") -> scripts.QueueEntry:
        return scripts.QueueEntry(job_id="7", name="n", state=state, reason=reason)

    @pytest.mark.parametrize(
        ("state", "status"),
        [
            ("PENDING", JobStatus.QUEUED),
            ("CONFIGURING", JobStatus.QUEUED),
            ("RUNNING", JobStatus.RUNNING),
            ("COMPLETING", JobStatus.RUNNING),
            ("CANCELLED", JobStatus.CANCELLED),
            ("TIMEOUT", JobStatus.TIMED_OUT),
            ("OUT_OF_MEMORY", JobStatus.FAILED),
            ("NODE_FAIL", JobStatus.LOST),
            ("PREEMPTED", JobStatus.LOST),
            ("COMPLETED", JobStatus.LOST),
            ("FAILED", JobStatus.LOST),
        ],
    )
    def test_slurm_states_without_an_exit_code(self, state: str, status: JobStatus) -> None:
        """Slurm's word decides while the job wrote no exit code."""
        assert scripts.state_of(self._entry(state), scripts.Markers(present=True)).status is status

    def test_the_exit_code_marker_wins(self) -> None:
        """What the job recorded decides over Slurm's state."""
        done = scripts.Markers(present=True, exit_code=0)
        assert scripts.state_of(self._entry("COMPLETING"), done).status is JobStatus.SUCCEEDED
        failed = scripts.Markers(present=True, exit_code=3)
        assert scripts.state_of(None, failed).exit_code == 3
        timed = scripts.Markers(present=True, exit_code=124, timed_out=True)
        assert scripts.state_of(None, timed).status is JobStatus.TIMED_OUT

    def test_out_of_memory_goes_through_the_oom_policy(self) -> None:
        """OUT_OF_MEMORY is a failure the OOM classifier recognises."""
        state = scripts.state_of(self._entry("OUT_OF_MEMORY"), scripts.Markers(present=True))
        assert state.status is JobStatus.FAILED
        assert is_oom(state.exit_code, state.log_tail)

    def test_pending_reason_is_shown(self) -> None:
        """A pending job's reason (a held partition) is in the detail."""
        state = scripts.state_of(
            self._entry("PENDING", "PartitionDown"), scripts.Markers(present=True)
        )
        assert "PartitionDown" in state.detail

    def test_gone_without_exit_code_is_lost(self) -> None:
        """A job Slurm no longer lists that wrote no exit code is lost."""
        assert scripts.state_of(None, scripts.Markers(present=True)).status is JobStatus.LOST


class TestOnTheCluster:
    def test_unknown_partition_is_a_config_error(self, slurm: SlurmCluster, tmp_path: Path) -> None:
        """An unknown partition stops preflight, naming the setting and the real partitions."""
        backend = SlurmBackend(SlurmConfig(partition="gpuz"), tmp_path)
        with pytest.raises(BackendConfigError) as caught:
            backend.preflight()
        assert "backends.slurm.partition" in str(caught.value)
        assert "debug" in str(caught.value)

    def test_rejected_settings_carry_slurms_message(
        self, slurm: SlurmCluster, tmp_path: Path
    ) -> None:
        """Settings sbatch refuses stop preflight with sbatch's own message."""
        backend = SlurmBackend(SlurmConfig(sbatch_args=("--nodes=50",)), tmp_path)
        with pytest.raises(BackendConfigError) as caught:
            backend.preflight()
        assert "sbatch" in str(caught.value)
        assert "node" in str(caught.value).lower()

    def test_no_sbatch_on_path(
        self, slurm: SlurmCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without Slurm's commands on PATH, preflight says so; nothing falls back."""
        monkeypatch.setenv("PATH", "/nonexistent")
        backend = SlurmBackend(SlurmConfig(), tmp_path)
        monkeypatch.setattr(backend.shell, "run", _bash_with_path("/nonexistent"))
        with pytest.raises(BackendConfigError) as caught:
            backend.preflight()
        assert "sbatch" in str(caught.value) and "PATH" in str(caught.value)

    def test_preflight_offers_gpu_slots(self, slurm: SlurmCluster, tmp_path: Path) -> None:
        """A healthy cluster passes preflight and offers the configured number of GPU slots."""
        assert len(SlurmBackend(SlurmConfig(gpus=3), tmp_path).preflight()) == 3

    def test_held_partition_keeps_the_job_queued(
        self, slurm_up: SlurmCluster, tmp_path: Path
    ) -> None:
        """With the partition DOWN the job stays QUEUED with Slurm's reason; UP lets it run."""
        backend = SlurmBackend(SlurmConfig(poll_seconds=0.2), tmp_path)
        slurm_up.partition("DOWN")
        handle = backend.submit(_spec(backend, "A1", "print('ran')"))
        state = settle(backend, handle, lambda s: "PartitionDown" in s.detail)
        assert state.status is JobStatus.QUEUED
        slurm_up.partition("UP")
        assert settle(backend, handle, timeout=30).status is JobStatus.SUCCEEDED

    def test_outside_scancel_is_cancelled(self, slurm: SlurmCluster, tmp_path: Path) -> None:
        """A job cancelled with scancel by someone else is CANCELLED, and says so."""
        backend = SlurmBackend(SlurmConfig(poll_seconds=0.2), tmp_path)
        started = tmp_path / "started"
        code = f"import pathlib, time; pathlib.Path({str(started)!r}).touch(); time.sleep(60)"
        handle = backend.submit(_spec(backend, "A1", code))
        settle(backend, handle, lambda s: started.exists())
        slurm.run(["scancel", handle.locator["job_id"]])
        state = settle(backend, handle)
        assert state.status is JobStatus.CANCELLED
        assert "scancel" in state.detail

    @pytest.mark.timeout(60)
    def test_a_fifo_among_the_outputs_does_not_block(
        self, slurm: SlurmCluster, tmp_path: Path
    ) -> None:
        """On the shared file system a FIFO in output/ is left out of the artifacts instead of
        being opened (the collection the local backend uses), and exit_code is copied back."""
        backend = SlurmBackend(SlurmConfig(poll_seconds=0.2), tmp_path)
        out = backend.output_dir(ProjectLayout.place("R001", "A1"))
        code = (
            f"import os; os.mkfifo({out!r} + '/pipe'); open({out!r} + '/m.json', 'w').write('{{}}')"
        )
        handle = backend.submit(_spec(backend, "A1", code))
        assert settle(backend, handle, timeout=30).status is JobStatus.SUCCEEDED
        dest = tmp_path / "collected"
        artifacts = backend.fetch_artifacts(handle, dest)
        assert [a.path for a in artifacts] == ["output/m.json"]
        assert (dest / "exit_code").read_text().strip() == "0"

    def test_gpu_memory_is_sampled_on_the_compute_node(
        self, slurm: SlurmCluster, tmp_path: Path
    ) -> None:
        """The batch script samples the job's GPU memory on the node (the nvidia-smi stand-in
        of ``tests/adapters/backends/nvidia_smi.py`` on the job's PATH stands in for the GPU):
        a 2 s peak of the job's process is recorded with the GPU's memory.total."""
        bin_dir, usage = nvidia_smi.install(tmp_path)
        config = SlurmConfig(poll_seconds=0.2, setup=(f"export PATH={bin_dir}:$PATH",))
        backend = SlurmBackend(config, tmp_path)
        handle = backend.submit(_spec(backend, "A1", nvidia_smi.using(usage, 70000, 2.0)))
        state = settle(backend, handle, timeout=30)
        assert state.status is JobStatus.SUCCEEDED, state
        assert state.gpu_memory_peak_mib == 70000
        assert state.gpu_memory_total_mib == nvidia_smi.TOTAL_MIB

    def test_one_squeue_per_round(
        self, slurm: SlurmCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Polling three jobs costs one squeue call, not three; after a wait, none."""
        calls = tmp_path / "squeue.calls"
        shim = tmp_path / "bin"
        shim.mkdir()
        real = _which("squeue")
        (shim / "squeue").write_text(f'#!/bin/sh\necho x >> {calls}\nexec {real} "$@"\n')
        (shim / "squeue").chmod(0o755)
        monkeypatch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")
        backend = SlurmBackend(SlurmConfig(poll_seconds=0.3), tmp_path)
        handles = [
            backend.submit(
                JobSpec(
                    place=ProjectLayout.place("R001", f"A{i}"),
                    argv=("python3", "-c", PROGRAM, '{"forever": true}'),
                )
            )
            for i in range(3)
        ]
        for _ in range(3):
            backend.wait(handles, 0.5)
            before = _count(calls)
            for handle in handles:
                assert backend.poll(handle).status in (JobStatus.QUEUED, JobStatus.RUNNING)
            assert _count(calls) == before  # the polls read the wait's snapshot
        again = SlurmBackend(SlurmConfig(poll_seconds=30), tmp_path)
        found = [again.find(ProjectLayout.place("R001", f"A{i}")) for i in range(3)]
        before = _count(calls)
        for handle in found:
            assert handle is not None
            assert again.poll(handle).status in (JobStatus.QUEUED, JobStatus.RUNNING)
        assert _count(calls) - before == 1
        for handle in handles:
            backend.cancel(handle)


def _count(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def _which(name: str) -> str:
    import shutil

    found = shutil.which(name)
    assert found is not None
    return found


def _bash_with_path(path: str):  # type: ignore[no-untyped-def]
    import subprocess

    def run(script: str, *, timeout: float = 60.0) -> str:
        return subprocess.run(
            ["/bin/bash", "-c", script],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "PATH": path},
            check=False,
        ).stdout

    return run


class TestCredentials:
    def test_credentials_stay_out_of_jobs_unless_handed_over(
        self, slurm: SlurmCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A withheld variable does not reach the job; ${NAME} hands one over, never on disk."""
        monkeypatch.setenv("BRIDGE_TEST_TOKEN", "tok-9f8e7d6c5b4a")
        monkeypatch.setenv("BRIDGE_TEST_OTHER", "other-1a2b3c4d")
        backend = SlurmBackend(
            SlurmConfig(poll_seconds=0.2),
            tmp_path,
            withheld_env=frozenset({"BRIDGE_TEST_TOKEN", "BRIDGE_TEST_OTHER"}),
        )
        out = backend.output_dir(ProjectLayout.place("R001", "A1"))
        code = (
            "import json, os, sys; json.dump({k: os.environ.get(k) for k in "
            "('BRIDGE_TEST_TOKEN', 'BRIDGE_TEST_OTHER', 'HANDED')}, "
            "open(os.path.join(sys.argv[1], 'env.json'), 'w'))"
        )
        spec = JobSpec(
            place=ProjectLayout.place("R001", "A1"),
            argv=("python3", "-c", code, out),
            env={"HANDED": "${BRIDGE_TEST_TOKEN}"},
        )
        handle = backend.submit(spec)
        assert settle(backend, handle, timeout=30).status is JobStatus.SUCCEEDED
        seen = json.loads((Path(out) / "env.json").read_text())
        assert seen == {
            "BRIDGE_TEST_TOKEN": None,
            "BRIDGE_TEST_OTHER": None,
            "HANDED": "tok-9f8e7d6c5b4a",
        }
        attempt = Path(handle.locator["attempt_dir"])
        assert not any(
            "tok-9f8e7d6c5b4a" in p.read_text(errors="replace") for p in attempt.rglob("*.sh")
        )
