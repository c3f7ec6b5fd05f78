"""
The SSH backend against a real OpenSSH server on 127.0.0.1 with real rsync.

The "remote" host is this machine over loopback, so the tests can look at the remote attempt
directories and processes directly.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import attrs
import pytest

from bridge.adapters.backends.ssh.backend import SSHBackend, SSHConfig
from bridge.errors import BackendError, BackendUnavailable
from bridge.machine.ports import JobHandle, JobSpec, JobState, JobStatus, Slot
from bridge.pipeline.layout import ProjectLayout
from tests.adapters.backends import nvidia_smi
from tests.adapters.backends.ssh.sshd import SshServer, free_port, keygen, requires_sshd, wait_for

# The sshd fixtures (sshd, sshd_b, own_sshd).
pytest_plugins = ["tests.adapters.backends.ssh.conftest_ssh"]

pytestmark = [pytest.mark.ssh, requires_sshd, pytest.mark.timeout(120)]

JOB = """\
import json, os, pathlib, sys, time
out = pathlib.Path(sys.argv[1])
with open(out.parent / "launches", "a") as f:
    f.write("x")
if len(sys.argv) > 3:
    gate = pathlib.Path(sys.argv[3])
    deadline = time.time() + 60
    while not gate.exists() and time.time() < deadline:
        time.sleep(0.02)
(out / "metrics.json").write_text(json.dumps(
    {"value": sys.argv[2], "cuda": os.environ.get("CUDA_VISIBLE_DEVICES")}))
(out / "sub").mkdir(exist_ok=True)
(out / "sub" / "curve.csv").write_text("step,loss\\n1,0.5\\n")
print("done", sys.argv[2])
print("note on stderr", file=sys.stderr)
sys.exit(int(os.environ.get("EXIT_WITH", "0")))
"""

TERMINAL = {
    JobStatus.SUCCEEDED,
    JobStatus.FAILED,
    JobStatus.TIMED_OUT,
    JobStatus.CANCELLED,
    JobStatus.LOST,
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny research project with a job script and a data folder that must not be synced."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "job.py").write_text(JOB)
    (root / "data").mkdir()
    (root / "data" / "big.bin").write_bytes(b"0" * 1024)
    (root / ".bridge").mkdir()
    (root / ".bridge" / "events.db").write_bytes(b"local only")
    return root


def make_backend(
    tmp_path: Path, servers: list[SshServer], project: Path, **settings: object
) -> SSHBackend:
    """Build the backend from a [backends.ssh] table, as bridge.toml would give it."""
    known = tmp_path / f"known_hosts-{uuid.uuid4().hex[:6]}"
    known.write_text("".join(s.known_hosts.read_text() for s in servers))
    ssh_config = tmp_path / "ssh_config"
    ssh_config.touch()
    names = ["a", "b", "c"]
    table: dict[str, object] = {
        "remote_dir": str(tmp_path / "remote"),
        "known_hosts": str(known),
        "ssh_config": str(ssh_config),
        "connect_timeout": 3,
        "cancel_grace_seconds": 2,
        "hosts": [s.host_table(name=names[i]) for i, s in enumerate(servers)],
    }
    table.update(settings)
    for i, host in enumerate(table["hosts"]):  # type: ignore[arg-type]
        host.setdefault("name", names[i])
    return SSHBackend(SSHConfig.from_table(table), project)


def spec_for(
    backend: SSHBackend,
    run_id: str,
    value: str,
    *,
    slot: Slot,
    gate: Path | None = None,
    **kw: object,
) -> JobSpec:
    """A JobSpec running job.py, writing into the backend's output dir."""
    attempt_id = f"{run_id}-{uuid.uuid4().hex[:8]}"
    argv = ["python3", "job.py", backend.output_dir(ProjectLayout.place(run_id, attempt_id)), value]
    if gate is not None:
        argv.append(str(gate))
    return JobSpec(
        place=ProjectLayout.place(run_id, attempt_id), argv=tuple(argv), slots=(slot,), **kw
    )  # type: ignore[arg-type]


def wait_done(backend: SSHBackend, handle: JobHandle, timeout: float = 30) -> JobState:
    """Poll (with backend.wait between) until the attempt is terminal; bounded."""
    deadline = time.monotonic() + timeout
    while True:
        state = backend.poll(handle)
        if state.status in TERMINAL:
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"attempt {handle.attempt_id} still {state} after {timeout} s")
        backend.wait([handle], timeout=1.0)


def session_members(pid: str) -> list[str]:
    """Live (non-zombie) processes whose session id is ``pid``."""
    out = subprocess.run(
        ["ps", "-e", "-o", "pid=", "-o", "sid=", "-o", "stat="],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        line.split()[0]
        for line in out.splitlines()
        if line.split()[1] == pid and not line.split()[2].startswith("Z")
    ]


class TestSSHBackend:
    def test_runs_complete_and_results_come_back(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """Several runs launch, finish and their outputs and logs come back with right sha256."""
        backend = make_backend(tmp_path, [sshd], project, hosts=[sshd.host_table(max_parallel=3)])
        slots = backend.preflight()
        assert slots == (Slot(host="a", gpu=None),) * 3
        specs = [spec_for(backend, f"R00{i}", f"v{i}", slot=slots[i]) for i in range(3)]
        handles = [backend.submit(s) for s in specs]
        remote = tmp_path / "remote"
        assert (remote / "job.py").read_text() == JOB
        assert not (remote / "data").exists(), "data/ must not be synced"
        assert not (remote / ".bridge" / "events.db").exists(), ".bridge/ must not be synced"
        for i, handle in enumerate(handles):
            state = wait_done(backend, handle)
            assert state.status is JobStatus.SUCCEEDED, state
            assert state.exit_code == 0
            dest = tmp_path / "local" / handle.attempt_id
            artifacts = backend.fetch_artifacts(handle, dest)
            paths = {a.path for a in artifacts}
            assert paths == {
                "output/metrics.json",
                "output/sub/curve.csv",
                "stdout.log",
                "stderr.log",
                "exit_code",
            }
            for a in artifacts:
                data = (dest / a.path).read_bytes()
                assert a.sha256 == hashlib.sha256(data).hexdigest()
                assert a.size == len(data)
            assert json.loads((dest / "output/metrics.json").read_text())["value"] == f"v{i}"
            assert (dest / "stdout.log").read_text() == f"done v{i}\n"
            assert (dest / "stderr.log").read_text() == "note on stderr\n"
        backend.release()

    def test_dropped_connection_does_not_fail_the_run(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """Killing the per-connection sshd child mid-run neither fails nor loses the run."""
        backend = make_backend(tmp_path, [sshd], project)
        gate = tmp_path / "gate"
        handle = backend.submit(spec_for(backend, "R1", "x", slot=Slot(host="a"), gate=gate))
        assert backend.poll(handle).status is JobStatus.RUNNING
        assert sshd.drop_connections() >= 1
        assert backend.poll(handle).status is JobStatus.RUNNING
        gate.touch()
        assert wait_done(backend, handle).status is JobStatus.SUCCEEDED
        assert (Path(handle.locator["attempt_dir"]) / "launches").read_text() == "x"
        backend.release()

    def test_sshd_restart_reconciles_without_relaunch(
        self, tmp_path: Path, own_sshd: SshServer, project: Path
    ) -> None:
        """With sshd down runs are not failed; after restart poll and find see the same run."""
        backend = make_backend(tmp_path, [own_sshd], project)
        gate = tmp_path / "gate"
        spec = spec_for(backend, "R1", "x", slot=Slot(host="a"), gate=gate)
        handle = backend.submit(spec)
        own_sshd.stop()
        down = backend.poll(handle)
        assert down.status is JobStatus.RUNNING
        assert "unreachable" in down.detail
        with pytest.raises(BackendUnavailable, match="cannot tell whether attempt"):
            backend.find(spec.place)
        own_sshd.start()
        assert backend.poll(handle).status is JobStatus.RUNNING
        assert backend.find(spec.place) == handle
        assert backend.submit(spec) == handle
        gate.touch()
        assert wait_done(backend, handle).status is JobStatus.SUCCEEDED
        assert (Path(handle.locator["attempt_dir"]) / "launches").read_text() == "x"
        backend.release()

    def test_unreachable_past_grace_is_lost(
        self, tmp_path: Path, own_sshd: SshServer, project: Path
    ) -> None:
        """A host unreachable longer than lost_grace_seconds makes its run LOST, saying why."""
        backend = make_backend(tmp_path, [own_sshd], project, lost_grace_seconds=0.5)
        gate = tmp_path / "gate"
        handle = backend.submit(spec_for(backend, "R1", "x", slot=Slot(host="a"), gate=gate))
        own_sshd.stop()
        states: list[JobState] = []
        wait_for(
            lambda: states.append(backend.poll(handle)) or states[-1].status is JobStatus.LOST,
            10,
            "LOST",
        )
        assert "lost_grace_seconds" in states[-1].detail
        assert "connection refused" in states[-1].detail
        gate.touch()
        backend.release()

    def test_two_hosts_share_the_work(
        self, tmp_path: Path, sshd: SshServer, sshd_b: SshServer, project: Path
    ) -> None:
        """Slots come from both hosts; each run lands on its slot's host and is found there."""
        backend = make_backend(tmp_path, [sshd, sshd_b], project)
        slots = backend.preflight()
        assert slots == (Slot(host="a"), Slot(host="b"))
        log_b = sshd_b.root / "sshd.log"
        logins_before = log_b.read_text().count("Accepted publickey")
        handles = [
            backend.submit(spec_for(backend, f"R{i}", "x", slot=s)) for i, s in enumerate(slots)
        ]
        assert [h.locator["host"] for h in handles] == ["a", "b"]
        for h in handles:
            assert wait_done(backend, h).status is JobStatus.SUCCEEDED
            # Both "hosts" share this machine's disk, so find() may answer from either one.
            found = backend.find(ProjectLayout.place(h.locator["run_id"], h.attempt_id))
            assert found is not None
            assert found.locator["attempt_dir"] == h.locator["attempt_dir"]
        assert log_b.read_text().count("Accepted publickey") > logins_before
        backend.release()

    def test_cancel_leaves_no_remote_process(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """Cancel TERMs the whole session (children too) and the state is CANCELLED."""
        backend = make_backend(tmp_path, [sshd], project)
        spec = JobSpec(
            place=ProjectLayout.place("R1", f"A-{uuid.uuid4().hex[:8]}"),
            argv=("bash", "-c", "sleep 300 & sleep 300 & wait"),
            slots=(Slot(host="a"),),
        )
        handle = backend.submit(spec)
        pid = handle.locator["pid"]
        wait_for(lambda: len(session_members(pid)) >= 3, 10, "the job's children")
        backend.cancel(handle)
        assert session_members(pid) == []
        state = backend.poll(handle)
        assert state.status is JobStatus.CANCELLED
        backend.cancel(handle)
        assert backend.poll(handle).status is JobStatus.CANCELLED
        backend.release()

    def test_hostile_values_stay_inert(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """Shell syntax in argv and env reaches the program as plain text; in a run or attempt
        id it is refused (the one safe-id rule) when the attempt's place is named, before any
        backend sees it."""
        canary = tmp_path / "pwned"
        hostile = [
            f"x; touch {canary}",
            f"$(touch {canary})",
            f"`touch {canary}`",
            f"'; touch {canary}; '",
            f'"; touch {canary}; "',
            f"line\ntouch {canary}",
            "$HOME ${PATH} * ?",
        ]
        backend = make_backend(tmp_path, [sshd], project)
        for bad_run, bad_attempt in (
            ("r;touch pwned-run", "A1"),
            ("R001", "a$(touch pwned-attempt)`touch pwned-attempt`"),
        ):
            with pytest.raises(ValueError, match="cannot name a directory"):
                ProjectLayout.place(bad_run, bad_attempt)
        run_id, attempt_id = "R001", "R001-a1"
        out = backend.output_dir(ProjectLayout.place(run_id, attempt_id))
        code = (
            "import json, os, sys; "
            "json.dump({'argv': sys.argv[2:], 'env': os.environ['HOSTILE']}, "
            "open(os.path.join(sys.argv[1], 'seen.json'), 'w'))"
        )
        spec = JobSpec(
            place=ProjectLayout.place(run_id, attempt_id),
            argv=("python3", "-c", code, out, *hostile),
            env={"HOSTILE": "\n".join(hostile)},
            slots=(Slot(host="a"),),
        )
        handle = backend.submit(spec)
        assert wait_done(backend, handle).status is JobStatus.SUCCEEDED
        dest = tmp_path / "local"
        backend.fetch_artifacts(handle, dest)
        seen = json.loads((dest / "output" / "seen.json").read_text())
        assert seen == {"argv": hostile, "env": "\n".join(hostile)}
        assert backend.find(spec.place) == handle
        home = Path(os.path.expanduser("~"))
        for place in (tmp_path, tmp_path / "remote", home):
            assert not (place / "pwned").exists()
            assert not (place / "pwned-run").exists()
            assert not (place / "pwned-attempt").exists()
        backend.release()

    def test_input_is_handed_at_once_and_a_loud_stderr_does_not_stall(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """A script given standard input (the hand-over path) that writes megabytes to stderr
        answers at once: stderr is read alongside stdout, not left to fill the channel."""
        backend = make_backend(tmp_path, [sshd], project)
        host = backend.config.hosts[0]
        script = 'read -r line; head -c 4000000 /dev/zero | tr "\\0" x >&2; echo "got $line"'
        out = backend._links.run(host, script, stdin="hello\n", timeout=20)
        assert out.strip() == "got hello"
        backend.release()

    def test_handed_over_variable_reaches_the_job_and_no_file(
        self, tmp_path: Path, sshd: SshServer, project: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """``${NAME}`` is bridge's NAME in the job (it used to arrive as the literal text); the
        value travels on the launch's standard input, so no file on the host holds it."""
        # A service-account JSON is kilobytes: it must go over at once (invoke's stream copy
        # took 10 ms a byte and ran past the launch's time limit from about 3 KB).
        token = "tok-5e4d3c2b1a09'; touch pwned\nsecond line" + "x" * 6000
        monkeypatch.setenv("BRIDGE_TEST_HANDED", token)
        backend = make_backend(tmp_path, [sshd], project)
        place = ProjectLayout.place("R001", "R001-a1")
        out = backend.output_dir(place)
        code = (
            "import json, os, sys; json.dump({k: os.environ.get(k) for k in ('TOKEN', 'PLAIN')},"
            " open(os.path.join(sys.argv[1], 'env.json'), 'w'))"
        )
        spec = JobSpec(
            place=place,
            argv=("python3", "-c", code, out),
            env={"TOKEN": "${BRIDGE_TEST_HANDED}", "PLAIN": "${not a name}"},
            slots=(Slot(host="a"),),
        )
        handle = backend.submit(spec)
        # The same attempt again (a retried launch): the earlier one is found, not an error.
        assert backend.submit(spec) == handle
        assert wait_done(backend, handle).status is JobStatus.SUCCEEDED
        dest = tmp_path / "local"
        backend.fetch_artifacts(handle, dest)
        seen = json.loads((dest / "output" / "env.json").read_text())
        assert seen == {"TOKEN": token, "PLAIN": "${not a name}"}
        assert not list(tmp_path.rglob("pwned"))
        holding = [
            p.name for p in (tmp_path / "remote").rglob("*")
            if p.is_file() and "tok-5e4d3c2b1a09" in p.read_text(errors="replace")
        ]  # fmt: skip
        assert holding == ["env.json"]  # what the job itself wrote; not job.sh
        backend.release()

    def test_gpus_probed_with_nvidia_smi_and_exported(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """Preflight runs setup, offers the free GPUs, and the run sees its CUDA_VISIBLE_DEVICES."""
        fakebin = tmp_path / "fakebin"
        fakebin.mkdir()
        smi = fakebin / "nvidia-smi"
        smi.write_text("#!/bin/sh\nprintf '0, 10, 81920\\n1, 30000, 81920\\n2, 3, 81920\\n'\n")
        smi.chmod(0o755)
        backend = make_backend(tmp_path, [sshd], project, setup=f"export PATH={fakebin}:$PATH")
        slots = backend.preflight()
        assert slots == (Slot(host="a", gpu=0), Slot(host="a", gpu=2))
        handle = backend.submit(spec_for(backend, "R1", "x", slot=slots[1]))
        assert wait_done(backend, handle).status is JobStatus.SUCCEEDED
        metrics = Path(handle.locator["attempt_dir"]) / "output" / "metrics.json"
        assert json.loads(metrics.read_text())["cuda"] == "2"
        backend.release()

    def test_failing_setup_is_reported_at_preflight(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """A setup line that fails makes preflight raise, naming backends.ssh.setup."""
        backend = make_backend(tmp_path, [sshd], project, setup="source /nonexistent/activate")
        with pytest.raises(BackendUnavailable, match=r"backends\.ssh\.setup"):
            backend.preflight()
        backend.release()

    def test_results_come_back_over_sftp_without_rsync(
        self, tmp_path: Path, sshd: SshServer, project: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With no rsync on PATH the outputs and logs are copied over SFTP."""
        backend = make_backend(tmp_path, [sshd], project)
        handle = backend.submit(spec_for(backend, "R1", "x", slot=Slot(host="a")))
        assert wait_done(backend, handle).status is JobStatus.SUCCEEDED
        empty = tmp_path / "empty-bin"
        empty.mkdir()
        monkeypatch.setenv("PATH", str(empty))
        artifacts = backend.fetch_artifacts(handle, tmp_path / "local")
        assert {a.path for a in artifacts} >= {"output/metrics.json", "output/sub/curve.csv"}
        backend.release()

    @pytest.mark.parametrize("rsync", [True, False], ids=["rsync", "sftp"])
    def test_links_and_fifos_on_the_host_are_not_fetched(
        self,
        tmp_path: Path,
        sshd: SshServer,
        project: Path,
        monkeypatch: pytest.MonkeyPatch,
        rsync: bool,
    ) -> None:
        """A run's link to a host file outside its attempt, and a FIFO, stay on the host: the
        file is neither copied nor hashed, and the FIFO does not block the fetch."""
        secret = tmp_path / "host-secret.key"
        secret.write_text("do not copy")
        backend = make_backend(tmp_path, [sshd], project)
        spec = spec_for(backend, "R1", "x", slot=Slot(host="a"))
        out = spec.argv[2]
        code = (
            "import os,sys; o=sys.argv[1]; os.makedirs(o, exist_ok=True); "
            "open(o+'/metrics.json','w').write('{}'); os.symlink(sys.argv[2], o+'/stolen.key'); "
            "os.mkfifo(o+'/pipe')"
        )
        spec = attrs.evolve(spec, argv=("python3", "-c", code, out, str(secret)))
        handle = backend.submit(spec)
        assert wait_done(backend, handle).status is JobStatus.SUCCEEDED
        if not rsync:
            empty = tmp_path / "empty-bin"
            empty.mkdir()
            monkeypatch.setenv("PATH", str(empty))
        artifacts = backend.fetch_artifacts(handle, tmp_path / "local")
        assert [a.path for a in artifacts if a.path.startswith("output/")] == [
            "output/metrics.json"
        ]
        assert not (tmp_path / "local" / "output" / "stolen.key").exists()
        backend.release()


class TestSSHScratch:
    """{scratch_dir} on an SSH host (#20 gap 13): made by the job, outside remote_dir."""

    CODE = (
        "import os, sys, pathlib; s = sys.argv[1]; pathlib.Path(s, 'w.tmp').write_text('x'); "
        "print(oct(os.stat(s).st_mode & 0o777), sorted(os.listdir(s)))"
    )

    def test_made_by_the_job_outside_remote_dir_and_removed(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """The attempt's scratch directory is under the host's /tmp, not remote_dir; the job
        finds it made, empty and private; remove_scratch takes it and its empty folders."""
        backend = make_backend(tmp_path, [sshd], project)
        scratch = backend.scratch_dir(ProjectLayout.place("R1", "R1-s1"))
        assert scratch.startswith("/tmp/bridge-scratch-")
        assert not scratch.startswith(str(tmp_path / "remote"))
        argv = ("python3", "-c", self.CODE, scratch)
        spec = JobSpec(place=ProjectLayout.place("R1", "R1-s1"), argv=argv, slots=(Slot(host="a"),))
        handle = backend.submit(spec)
        try:
            assert wait_done(backend, handle).status is JobStatus.SUCCEEDED
            out = (Path(handle.locator["attempt_dir"]) / "stdout.log").read_text()
            assert "0o700 ['w.tmp']" in out, out
            assert Path(scratch, "w.tmp").exists()  # the loopback host is this machine
            backend.remove_scratch(ProjectLayout.place("R1", "R1-s1"))
            assert not Path(scratch).parent.parent.exists()
            backend.remove_scratch(
                ProjectLayout.place("R1", "R1-s1")
            )  # already gone: nothing to do
        finally:
            shutil.rmtree(Path(scratch).parent.parent, ignore_errors=True)
            backend.release()

    def test_a_folder_another_user_made_is_refused(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """Another user's directory where the project's scratch folder goes (a shared /tmp):
        the job refuses to make anything in it and ends with exit 126, saying so."""
        backend = make_backend(tmp_path, [sshd], project)
        scratch = backend.scratch_dir(ProjectLayout.place("R1", "R1-s2"))
        planted = Path(scratch).parent.parent
        planted.mkdir(mode=0o777)
        os.chown(planted, 65534, 65534)  # nobody
        try:
            argv = ("python3", "-c", self.CODE, scratch)
            spec = JobSpec(
                place=ProjectLayout.place("R1", "R1-s2"), argv=argv, slots=(Slot(host="a"),)
            )
            handle = backend.submit(spec)
            state = wait_done(backend, handle)
            assert (state.status, state.exit_code) == (JobStatus.FAILED, 126), state
            assert "cannot create the scratch directory" in state.log_tail
            assert not Path(scratch).exists()
        finally:
            shutil.rmtree(planted, ignore_errors=True)
            backend.release()


class TestSSHGpuMemory:
    """
    Peak GPU memory sampled on the host, next to the job (#20 gap 6). The host has no GPU: the
    ``nvidia-smi`` on its PATH is the stand-in of ``tests/adapters/backends/nvidia_smi.py``,
    which prints what the real one prints for bridge's queries (hardware stand-in, not a mock).
    """

    def test_a_two_second_peak_of_the_jobs_processes_is_recorded(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """A 2 s peak (shorter than bridge's 5 s dispatcher poll) is caught by the job's own
        1 s sampler; a process outside the job's tree using 50000 MiB is not counted; the
        GPU's memory.total comes back too."""
        bin_dir, usage = nvidia_smi.install(tmp_path)
        backend = make_backend(tmp_path, [sshd], project, setup=f"export PATH={bin_dir}:$PATH")
        slot = backend.preflight()[0]
        code = nvidia_smi.using(usage, 70000, 2.0)
        spec = JobSpec(
            place=ProjectLayout.place("R1", "R1-g1"), argv=("python3", "-c", code), slots=(slot,)
        )
        handle = backend.submit(spec)
        polled = [backend.poll(handle)]
        state = wait_done(backend, handle)
        assert state.status is JobStatus.SUCCEEDED, state
        assert (state.gpu_memory_peak_mib, state.gpu_memory_total_mib) == (
            70000,
            nvidia_smi.TOTAL_MIB,
        )
        assert state.gpu_memory_unmeasured == ""
        assert polled[0].status in (JobStatus.QUEUED, JobStatus.RUNNING)
        backend.release()

    @pytest.mark.parametrize(
        ("listed", "why"),
        [
            ("", "nvidia-smi listed no GPU process while it ran"),
            ("4194999, 30000\n", "processes that ps here does not show (another pid namespace"),
        ],
    )
    def test_processes_that_cannot_be_attributed_are_not_measured(
        self, tmp_path: Path, sshd: SshServer, project: Path, listed: str, why: str
    ) -> None:
        """nvidia-smi listing no process at all (as in a container), or only pids this host's
        ps does not know (another pid namespace): not measured and why, never a peak of 0."""
        bin_dir, usage = nvidia_smi.install(tmp_path)
        Path(f"{usage}.only").write_text(listed)
        backend = make_backend(tmp_path, [sshd], project, setup=f"export PATH={bin_dir}:$PATH")
        slot = backend.preflight()[0]
        code = "import time; time.sleep(2)"
        spec = JobSpec(
            place=ProjectLayout.place("R1", "R1-g1"), argv=("python3", "-c", code), slots=(slot,)
        )
        state = wait_done(backend, backend.submit(spec))
        assert state.status is JobStatus.SUCCEEDED, state
        assert state.gpu_memory_peak_mib is None
        assert why in state.gpu_memory_unmeasured, state
        backend.release()

    def test_a_host_without_nvidia_smi_says_not_measured(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """No nvidia-smi on the host: no peak, and the reason names the host (never a 0)."""
        backend = make_backend(tmp_path, [sshd], project)
        spec = spec_for(backend, "R1", "x", slot=Slot(host="a"))
        state = wait_done(backend, backend.submit(spec))
        assert state.status is JobStatus.SUCCEEDED
        assert state.gpu_memory_peak_mib is None
        assert state.gpu_memory_unmeasured.startswith("no nvidia-smi on "), state
        backend.release()


class TestSSHBackendErrors:
    def test_wrong_key_names_the_setting(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """A key the server refuses gives BackendUnavailable naming host and key_file."""
        wrong = keygen(tmp_path / "wrong_key")
        backend = make_backend(
            tmp_path, [sshd], project, hosts=[sshd.host_table(key_file=str(wrong))]
        )
        with pytest.raises(BackendUnavailable) as info:
            backend.preflight()
        message = str(info.value)
        assert "backends.ssh.hosts[0].key_file" in message
        assert str(wrong) in message
        assert "127.0.0.1" in message

    def test_refused_port_is_a_clear_error(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """Nothing listening: BackendUnavailable saying the connection was refused, at once."""
        backend = make_backend(tmp_path, [sshd], project, hosts=[sshd.host_table(port=free_port())])
        started = time.monotonic()
        with pytest.raises(BackendUnavailable, match="connection refused"):
            backend.preflight()
        assert time.monotonic() - started < 3

    def test_silent_listener_times_out_within_connect_timeout(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """A port that accepts but never speaks SSH fails within about connect_timeout."""
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(8)
            port = listener.getsockname()[1]
            backend = make_backend(
                tmp_path,
                [sshd],
                project,
                connect_timeout=1,
                hosts=[sshd.host_table(port=port)],
            )
            started = time.monotonic()
            with pytest.raises(BackendUnavailable, match="no SSH banner"):
                backend.preflight()
            # Two tries (connect, one reconnect), each bounded by connect_timeout.
            assert time.monotonic() - started < 2 * 1 + 2

    def test_unknown_host_key_is_rejected_by_default(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """An empty known_hosts rejects the host, naming known_hosts and the opt-out."""
        empty = tmp_path / "empty_known_hosts"
        empty.touch()
        backend = make_backend(tmp_path, [sshd], project, known_hosts=str(empty))
        with pytest.raises(BackendUnavailable) as info:
            backend.preflight()
        assert str(empty) in str(info.value)
        assert "strict_host_keys = false" in str(info.value)
        relaxed = make_backend(
            tmp_path, [sshd], project, known_hosts=str(empty), strict_host_keys=False
        )
        assert relaxed.preflight() == (Slot(host="a"),)
        relaxed.release()

    def test_changed_host_key_is_rejected(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """A known_hosts entry with another key is a clear mismatch error."""
        other = keygen(tmp_path / "other_host_key")
        kind, key = (tmp_path / "other_host_key.pub").read_text().split()[:2]
        bad = tmp_path / "bad_known_hosts"
        bad.write_text(f"[127.0.0.1]:{sshd.port} {kind} {key}\n")
        assert other.exists()
        backend = make_backend(tmp_path, [sshd], project, known_hosts=str(bad))
        with pytest.raises(BackendUnavailable, match="does not match"):
            backend.preflight()

    def test_failed_copy_raises_after_retries(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """When the host cannot be reached the copy fails loudly, with each try's reason."""
        backend = make_backend(tmp_path, [sshd], project, hosts=[sshd.host_table(port=free_port())])
        handle = JobHandle(
            backend="ssh",
            attempt_id="A1",
            locator={"host": "a", "attempt_dir": f"{tmp_path}/remote/.bridge/runs/R1/A1"},
        )
        with pytest.raises(BackendError, match="could not copy the results of A1") as info:
            backend.fetch_artifacts(handle, tmp_path / "local")
        assert "rsync" in str(info.value)
        assert "sftp" in str(info.value)

    def test_vanished_attempt_directory_is_not_an_empty_result(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """Copying from an attempt directory that is gone fails instead of returning nothing."""
        backend = make_backend(tmp_path, [sshd], project)
        handle = JobHandle(
            backend="ssh",
            attempt_id="A1",
            locator={"host": "a", "attempt_dir": f"{tmp_path}/remote/.bridge/runs/R1/A1"},
        )
        with pytest.raises(BackendError, match="could not copy the results of A1"):
            backend.fetch_artifacts(handle, tmp_path / "local")
        backend.release()


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with a fixed identity and return stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


class TestSSHBackendGitSync:
    def test_remote_checks_out_the_pushed_commit(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """With code_sync = "git" the remote runs the pushed commit, recorded in the handle."""
        bare = tmp_path / "origin.git"
        git(tmp_path, "init", "-q", "--bare", str(bare))
        git(project, "init", "-q")
        (project / ".gitignore").write_text("data/\n.bridge/\n")
        git(project, "add", ".")
        git(project, "commit", "-qm", "first")
        git(project, "push", "-q", str(bare), "HEAD:refs/heads/main")
        git(tmp_path, "clone", "-q", str(bare), str(tmp_path / "remote"))
        (project / "job.py").write_text(JOB.replace("done", "second"))
        git(project, "commit", "-qam", "second")
        commit = git(project, "rev-parse", "HEAD")
        backend = make_backend(tmp_path, [sshd], project, code_sync="git")
        spec = spec_for(backend, "R1", "x", slot=Slot(host="a"))
        with pytest.raises(BackendError, match="not on the remote"):
            backend.submit(spec)
        git(project, "push", "-q", str(bare), "HEAD:refs/heads/main")
        handle = backend.submit(spec)
        assert handle.locator["commit"] == commit
        assert wait_done(backend, handle).status is JobStatus.SUCCEEDED
        assert (Path(handle.locator["attempt_dir"]) / "stdout.log").read_text() == "second x\n"
        backend.release()

    def test_uncommitted_changes_are_refused(
        self, tmp_path: Path, sshd: SshServer, project: Path
    ) -> None:
        """Uncommitted tracked changes stop a git-mode launch instead of running old code."""
        git(project, "init", "-q")
        git(project, "add", "job.py")
        git(project, "commit", "-qm", "first")
        (project / "job.py").write_text("print('changed')\n")
        backend = make_backend(tmp_path, [sshd], project, code_sync="git")
        with pytest.raises(BackendError, match="uncommitted changes"):
            backend.submit(spec_for(backend, "R1", "x", slot=Slot(host="a")))
