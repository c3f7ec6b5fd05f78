"""
Tests of the local backend: the backend contract plus what only real local processes show.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bridge.adapters.backends.local import procfs
from bridge.adapters.backends.local.backend import LocalBackend
from bridge.errors import BackendError
from bridge.machine.classify import is_oom
from bridge.machine.ports import AttemptPlace, Backend, GpuInfo, JobHandle, JobSpec, JobStatus, Slot
from bridge.pipeline.layout import ProjectLayout
from bridge.testing.backend_contract import BackendContract, running, settle

PY = sys.executable


class NoGpus:
    """A GpuProbe for a machine without GPUs."""

    def probe(self) -> tuple[GpuInfo, ...]:
        return ()


def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """
    Wait for ``condition`` with a deadline (polling, never a fixed sleep for the answer).
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)


def pgid_of(handle: JobHandle) -> int:
    return int(handle.locator["pid"])


def nothing_left(handle: JobHandle) -> None:
    eventually(lambda: procfs.group_members(pgid_of(handle)) == ())


class TestLocalBackendContract(BackendContract):
    """The local backend passes the backend contract."""

    def make_backend(self, root: Path) -> Backend:
        return LocalBackend(root, probe=NoGpus(), kill_grace_seconds=1.0)

    def kill_hard(self, backend: Backend, handle: JobHandle) -> None:
        os.killpg(pgid_of(handle), signal.SIGKILL)

    def assert_nothing_left(self, backend: Backend, handle: JobHandle) -> None:
        nothing_left(handle)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    return root


@pytest.fixture
def local(project: Path) -> Iterator[LocalBackend]:
    backend = LocalBackend(project, probe=NoGpus(), kill_grace_seconds=0.3)
    yield backend
    for run_dir in (project / ".bridge/runs").glob("*/*"):
        found = backend.find(ProjectLayout.place(run_dir.parent.name, run_dir.name))
        if found is not None:
            backend.cancel(found)
    backend.release()


def spec(code: str, *args: str, attempt_id: str = "A1", **kwargs: object) -> JobSpec:
    return JobSpec(
        place=ProjectLayout.place("R001", attempt_id), argv=(PY, "-c", code, *args), **kwargs
    )  # type: ignore[arg-type]


class TestLocalBackendSlots:
    """preflight offers free GPUs, or distinct CPU slots; submit sets CUDA_VISIBLE_DEVICES."""

    def test_free_gpus_from_fake_nvidia_smi(
        self, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With a fake nvidia-smi on PATH, only the GPUs under 500 MiB are offered."""
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        smi = bin_dir / "nvidia-smi"
        smi.write_text('#!/bin/sh\nprintf "0, 10, 81920\\n1, 30000, 81920\\n2, 499, 81920\\n"\n')
        smi.chmod(0o755)
        monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
        slots = LocalBackend(project).preflight()
        assert tuple(slots) == (Slot(host="local", gpu=0), Slot(host="local", gpu=2))

    def test_cpu_only_slots_are_distinct(
        self, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without nvidia-smi, cpu_slots distinct CPU slots are offered."""
        (tmp_path / "empty").mkdir()
        monkeypatch.setenv("PATH", str(tmp_path / "empty"))
        slots = LocalBackend(project, cpu_slots=3).preflight()
        assert [s.label() for s in slots] == ["local#0:cpu", "local#1:cpu", "local#2:cpu"]
        assert len(set(slots)) == 3

    @pytest.mark.parametrize(
        ("slots", "expected"),
        [
            ((Slot(host="local", gpu=2), Slot(host="local", gpu=0)), "2,0"),
            ((Slot(host="local#1"),), ""),
            ((), ""),
        ],
    )
    def test_cuda_visible_devices(
        self,
        local: LocalBackend,
        monkeypatch: pytest.MonkeyPatch,
        slots: tuple[Slot, ...],
        expected: str,
    ) -> None:
        """The job sees its GPUs in CUDA_VISIBLE_DEVICES, and none on CPU slots."""
        monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "7")
        code = "import os,sys; open(sys.argv[1],'w').write(os.environ['CUDA_VISIBLE_DEVICES'])"
        out = local.output_dir(ProjectLayout.place("R001", "A1")) + "/cvd.txt"
        handle = local.submit(spec(code, out, slots=slots))
        assert settle(local, handle).status is JobStatus.SUCCEEDED
        assert Path(out).read_text() == expected

    def test_foreign_slot_refused(self, local: LocalBackend) -> None:
        """A slot of another host is refused before anything is launched."""
        with pytest.raises(BackendError, match="does not belong"):
            local.submit(spec("pass", slots=(Slot(host="gpu-box", gpu=0),)))
        assert local.find(ProjectLayout.place("R001", "A1")) is None


class TestLocalBackendLaunch:
    """How submit launches: layout, environment, working directory, exit codes."""

    def test_attempt_directory_layout(self, local: LocalBackend) -> None:
        """The attempt directory holds argv, pid, logs, exit code and the output directory."""
        handle = local.submit(spec("print('out'); import sys; print('err', file=sys.stderr)"))
        settle(local, handle)
        attempt = local.project_root / ProjectLayout.place("R001", "A1").path
        assert json.loads((attempt / "argv.json").read_text())[0] == PY
        assert int((attempt / "pid").read_text()) == pgid_of(handle)
        assert (attempt / "stdout.log").read_text() == "out\n"
        assert (attempt / "stderr.log").read_text() == "err\n"
        assert (attempt / "exit_code").read_text() == "0\n"
        assert local.output_dir(ProjectLayout.place("R001", "A1")) == str(attempt / "output")
        assert (attempt / "output").is_dir()

    def test_command_gets_default_signal_dispositions(self, local: LocalBackend) -> None:
        """The command starts with no signal ignored (SIGPIPE included), as under a shell."""
        handle = local.submit(
            JobSpec(place=ProjectLayout.place("R001", "A1"), argv=("cat", "/proc/self/status"))
        )
        assert settle(local, handle).status is JobStatus.SUCCEEDED
        status = (
            (local.project_root / ProjectLayout.place("R001", "A1").path) / "stdout.log"
        ).read_text()
        ignored = int(
            next(line for line in status.splitlines() if line.startswith("SigIgn:")).split()[1], 16
        )
        assert ignored & (1 << (signal.SIGPIPE - 1)) == 0
        assert ignored & (1 << (signal.SIGTERM - 1)) == 0

    def test_signals_ignored_by_bridge_are_not_inherited(self, local: LocalBackend) -> None:
        """Under nohup (SIGHUP ignored) the command still starts with no signal ignored."""
        saved = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGHUP, signal.SIGUSR1)}
        try:
            handle = local.submit(
                JobSpec(place=ProjectLayout.place("R001", "A1"), argv=("cat", "/proc/self/status"))
            )
        finally:
            for sig, action in saved.items():
                signal.signal(sig, action)
        assert settle(local, handle).status is JobStatus.SUCCEEDED
        status = (
            (local.project_root / ProjectLayout.place("R001", "A1").path) / "stdout.log"
        ).read_text()
        ignored = int(
            next(line for line in status.splitlines() if line.startswith("SigIgn:")).split()[1], 16
        )
        for sig in (signal.SIGHUP, signal.SIGUSR1, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            assert ignored & (1 << (sig - 1)) == 0, sig.name

    def test_sigkill_is_not_reported_as_oom(self, local: LocalBackend) -> None:
        """A command killed with SIGKILL from outside leaves no "Killed" line to mislead."""
        handle = local.submit(spec("import os,signal; os.kill(os.getpid(), signal.SIGKILL)"))
        state = settle(local, handle)
        assert state.exit_code == 137
        assert not is_oom(state.exit_code, state.log_tail)

    def test_env_and_cwd(self, local: LocalBackend, project: Path) -> None:
        """The job runs in project/cwd with the bridge environment plus the spec's env."""
        (project / "sub").mkdir()
        code = (
            "import os; open('seen.txt','w')"
            ".write(os.getcwd()+'|'+os.environ['X']+'|'+os.environ['PATH'])"
        )
        handle = local.submit(spec(code, env={"X": "a b;c"}, cwd="sub"))
        assert settle(local, handle).status is JobStatus.SUCCEEDED
        cwd, x, path = (project / "sub" / "seen.txt").read_text().split("|")
        assert (cwd, x, path) == (str(project / "sub"), "a b;c", os.environ["PATH"])

    def test_missing_cwd_refused_without_claiming(self, local: LocalBackend, project: Path) -> None:
        """A missing working directory raises and does not use up the attempt id."""
        with pytest.raises(BackendError, match="does not exist"):
            local.submit(spec("pass", cwd="nope"))
        (project / "nope").mkdir()
        assert settle(local, local.submit(spec("pass", cwd="nope"))).status is JobStatus.SUCCEEDED

    def test_missing_program_exit_127(self, local: LocalBackend) -> None:
        """A command that does not exist fails with exit code 127 and says why."""
        handle = local.submit(
            JobSpec(place=ProjectLayout.place("R001", "A1"), argv=("/no/such/program", "x"))
        )
        state = settle(local, handle)
        assert (state.status, state.exit_code) == (JobStatus.FAILED, 127)
        assert "/no/such/program" in state.log_tail

    def test_program_not_on_path_is_named_not_the_wrapper(self, local: LocalBackend) -> None:
        """A program missing from PATH is named in the log; bridge's wrapper file is not."""
        handle = local.submit(
            JobSpec(place=ProjectLayout.place("R001", "A1"), argv=("pythn3", "x.py"))
        )
        state = settle(local, handle)
        assert (state.status, state.exit_code) == (JobStatus.FAILED, 127)
        assert "program not found: 'pythn3' is not on PATH" in state.log_tail
        assert "wrapper.sh" not in state.log_tail

    def test_signal_exit_is_128_plus_signal(self, local: LocalBackend) -> None:
        """A command killed by SIGKILL (as the OOM killer does) reports exit code 137."""
        handle = local.submit(spec("import os,signal; os.kill(os.getpid(), signal.SIGKILL)"))
        state = settle(local, handle)
        assert (state.status, state.exit_code) == (JobStatus.FAILED, 137)
        assert "SIGKILL" in state.detail

    def test_racing_submits_launch_once(self, project: Path, tmp_path: Path) -> None:
        """Two backend objects submitting one attempt at the same instant launch it once."""
        count = tmp_path / "count"
        code = "import sys; open(sys.argv[1],'a').write('ran\\n')"
        backends = [LocalBackend(project, probe=NoGpus()) for _ in range(4)]
        barrier = threading.Barrier(len(backends))
        handles: list[JobHandle] = []

        def go(backend: LocalBackend) -> None:
            barrier.wait()
            handles.append(backend.submit(spec(code, str(count))))

        threads = [threading.Thread(target=go, args=(b,)) for b in backends]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for handle in handles:
            assert settle(backends[0], handle).status is JobStatus.SUCCEEDED
        assert count.read_text() == "ran\n"

    def test_timeout_kills_term_ignoring_job(self, local: LocalBackend) -> None:
        """A job ignoring SIGTERM past its timeout is SIGKILLed: TIMED_OUT, exit 137."""
        code = (
            "import signal,time; signal.signal(signal.SIGTERM, signal.SIG_IGN)"
            "\nwhile True: time.sleep(0.05)"
        )
        handle = local.submit(spec(code, timeout_seconds=0.3))
        state = settle(local, handle)
        assert (state.status, state.exit_code) == (JobStatus.TIMED_OUT, 137)
        nothing_left(handle)


class TestLocalBackendCancel:
    """cancel stops the whole process group."""

    def test_cancel_kills_stubborn_grandchild(self, local: LocalBackend, tmp_path: Path) -> None:
        """A grandchild that ignores SIGTERM is SIGKILLed after the grace: no orphan is left."""
        started = tmp_path / "started"
        grandchild = (
            "import signal,sys,time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
            "open(sys.argv[1],'w').close()\nwhile True: time.sleep(0.05)"
        )
        code = (
            "import subprocess,sys,time;"
            "subprocess.Popen([sys.executable,'-c',sys.argv[1],sys.argv[2]])"
            "\nwhile True: time.sleep(0.05)"
        )
        handle = local.submit(spec(code, grandchild, str(started)))
        eventually(started.exists)
        assert len(procfs.group_members(pgid_of(handle))) == 3
        local.cancel(handle)
        assert procfs.group_members(pgid_of(handle)) == ()
        assert local.poll(handle).status is JobStatus.CANCELLED


class TestLocalBackendWait:
    """wait wakes on process exit instead of sleeping a fixed interval."""

    def test_wakes_soon_after_exit(self, local: LocalBackend) -> None:
        """A job exiting after 0.2 s wakes a 30 s wait well within 2 s."""
        handle = local.submit(spec("import time; time.sleep(0.2)"))
        begin = time.monotonic()
        local.wait([handle], 30)
        assert time.monotonic() - begin < 2.0
        assert settle(local, handle, timeout=1).status is JobStatus.SUCCEEDED

    def test_returns_at_once_for_ended(self, local: LocalBackend) -> None:
        """Waiting on an attempt that already ended returns at once."""
        handle = local.submit(spec("pass"))
        settle(local, handle)
        begin = time.monotonic()
        local.wait([handle], 30)
        assert time.monotonic() - begin < 1.0

    def test_times_out(self, local: LocalBackend) -> None:
        """A wait on a running job returns after its timeout."""
        handle = local.submit(spec("import time\nwhile True: time.sleep(0.05)"))
        begin = time.monotonic()
        local.wait([handle], 0.3)
        assert 0.3 <= time.monotonic() - begin < 5.0
        assert local.poll(handle).status is JobStatus.RUNNING


class TestLocalBackendAdoption:
    """A second backend object (a restarted bridge) adopts attempts from disk."""

    def test_adopts_running_attempt(
        self, local: LocalBackend, project: Path, tmp_path: Path
    ) -> None:
        """A fresh backend finds a running job, wakes on its exit and reads its exit code."""
        release = tmp_path / "release"
        code = (
            "import os,sys,time\nwhile not os.path.exists(sys.argv[1]): time.sleep(0.02)"
            "\nsys.exit(4)"
        )
        local.submit(spec(code, str(release)))
        restarted = LocalBackend(project, probe=NoGpus())
        found = restarted.find(ProjectLayout.place("R001", "A1"))
        assert found is not None
        assert restarted.poll(found).status is JobStatus.RUNNING
        timer = threading.Timer(0.2, release.touch)
        timer.start()
        begin = time.monotonic()
        restarted.wait([found], 30)
        timer.join()
        assert time.monotonic() - begin < 2.0
        state = settle(restarted, found, timeout=2)
        assert (state.status, state.exit_code) == (JobStatus.FAILED, 4)
        assert restarted.submit(spec(code, str(release))).attempt_id == "A1"

    def test_handle_recorded_before_places_still_works(self, local: LocalBackend) -> None:
        """A handle in the log from the version before attempts' paths were given (locator
        ``run_id`` and absolute ``dir``, no ``path``) still polls and cancels its attempt, which
        that version launched where the layout's path is now."""
        handle = local.submit(spec("import time; time.sleep(60)"))
        assert handle.locator["path"] == ".bridge/runs/R001/A1"
        old = JobHandle(
            backend="local",
            attempt_id="A1",
            locator={k: v for k, v in handle.locator.items() if k != "path"},
        )
        restarted = LocalBackend(local.project_root, probe=NoGpus(), kill_grace_seconds=0.3)
        assert settle(restarted, old, running).status is JobStatus.RUNNING
        restarted.cancel(old)
        assert settle(restarted, old).status is JobStatus.CANCELLED
        assert settle(local, handle).status is JobStatus.CANCELLED


class TestLocalBackendReapers:
    def test_a_reaper_thread_is_reused_and_released(self, project: Path) -> None:
        """
        Attempts launched one after another are reaped by one thread (a thread start per
        launch cost more CPU than the rest of its bookkeeping); release() ends the idle ones.
        """
        backend = LocalBackend(project, probe=NoGpus())
        before = set(threading.enumerate())

        def reapers() -> list[threading.Thread]:
            new = set(threading.enumerate()) - before
            return [t for t in new if t.name == "bridge-reaper"]

        for k in range(3):
            handle = backend.submit(spec("pass", attempt_id=f"A{k}"))
            assert settle(backend, handle).status is JobStatus.SUCCEEDED
        assert len(reapers()) == 1
        backend.release()
        eventually(lambda: not reapers())


def craft_attempt(backend: LocalBackend, pid: int, start: str) -> JobHandle:
    """
    Lay out an attempt directory by hand, as an earlier bridge would have left it.
    """
    attempt = backend.project_root / ProjectLayout.place("R001", "A1").path
    (attempt / "output").mkdir(parents=True)
    (attempt / "launch").touch()
    (attempt / "argv.json").write_text(json.dumps([PY, "-c", "pass"]))
    (attempt / "pid").write_text(f"{pid}\n")
    (attempt / "pid.start").write_text(f"{start}\n")
    found = backend.find(ProjectLayout.place("R001", "A1"))
    assert found is not None
    return found


class TestLocalBackendLiveness:
    """Liveness checks guard against pid reuse and treat zombies as dead."""

    def test_reused_pid_is_lost_and_not_killed(self, local: LocalBackend) -> None:
        """A recorded pid now held by another process reads LOST, and cancel leaves it alone."""
        victim = subprocess.Popen([PY, "-c", "import time; time.sleep(60)"], start_new_session=True)
        try:
            handle = craft_attempt(local, victim.pid, start="1")
            state = local.poll(handle)
            assert state.status is JobStatus.LOST
            local.cancel(handle)
            assert victim.poll() is None
        finally:
            victim.kill()
            victim.wait()

    def test_zombie_is_dead(self, local: LocalBackend) -> None:
        """An exited but unreaped process (a zombie) counts as gone: LOST, not RUNNING."""
        zombie = subprocess.Popen([PY, "-c", "pass"], start_new_session=True)
        try:
            eventually(lambda: (s := procfs.read_stat(zombie.pid)) is not None and s.state == "Z")
            stat = procfs.read_stat(zombie.pid)
            assert stat is not None
            handle = craft_attempt(local, zombie.pid, start=stat.start_ticks)
            assert local.poll(handle).status is JobStatus.LOST
        finally:
            zombie.wait()

    def test_a_record_counts_once_whole(self, project: Path) -> None:
        """
        The wrapper writes pid, pid.start and exit_code in place: an empty or cut-off record
        (no closing newline yet, or ever after a kill mid-write) reads as not written, never
        as a wrong value.
        """
        backend = LocalBackend(project, probe=NoGpus())
        ended = subprocess.Popen([PY, "-c", "pass"], start_new_session=True)
        ended.wait()
        handle = craft_attempt(backend, ended.pid, start="1")
        attempt = backend.project_root / ProjectLayout.place("R001", "A1").path
        (attempt / "exit_code").write_text("13")
        state = backend.poll(handle)
        assert (state.status, state.exit_code) == (JobStatus.LOST, None), state
        (attempt / "exit_code").write_text("137\n")
        state = backend.poll(handle)
        assert (state.status, state.exit_code) == (JobStatus.FAILED, 137), state
        (attempt / "exit_code").unlink()
        (attempt / "pid").write_text("")
        found = backend.find(ProjectLayout.place("R001", "A1"))
        assert found is not None and "pid" not in found.locator
        assert backend.poll(found).status is JobStatus.LOST  # and no wrapper names the attempt

    def test_a_wrapper_gone_before_its_records_is_lost_at_once(self, local: LocalBackend) -> None:
        """
        The handle submit returned knows the wrapper's pid before the wrapper records it: a
        wrapper gone without any record reads LOST at once, not "launching" for the grace.
        """
        handle = local.submit(spec("pass"))
        assert settle(local, handle).status is JobStatus.SUCCEEDED
        attempt = local.project_root / ProjectLayout.place("R001", "A1").path
        for name in ("pid", "pid.start", "exit_code"):
            (attempt / name).unlink()
        state = local.poll(handle)
        assert state.status is JobStatus.LOST, state
        assert f"process {handle.locator['pid']} ended" in state.detail

    def test_claimed_but_never_started_is_lost_at_once(self, project: Path) -> None:
        """
        A launch marker without any recorded process, and no wrapper process naming the
        attempt, is LOST at once: only the launcher could still start one, and it is gone.
        """
        backend = LocalBackend(project, probe=NoGpus())
        attempt = backend.project_root / ProjectLayout.place("R001", "A1").path
        attempt.mkdir(parents=True)
        (attempt / "launch").touch()
        found = backend.find(ProjectLayout.place("R001", "A1"))
        assert found is not None
        state = backend.poll(found)
        assert state.status is JobStatus.LOST, state
        assert "no process was ever started" in state.detail

    def test_a_wrapper_not_yet_recorded_is_launching(
        self, local: LocalBackend, project: Path
    ) -> None:
        """
        A wrapper that lives but has not recorded its pid yet (a bridge killed right after the
        spawn) is found by its arguments: QUEUED, launching, to a bridge that did not start it.
        """
        handle = local.submit(spec("import time; print('up', flush=True); time.sleep(30)"))
        attempt = local.project_root / ProjectLayout.place("R001", "A1").path
        # The command runs: the wrapper has written its records (it does so before starting
        # it), so none comes after these are removed.
        eventually(lambda: (attempt / "stdout.log").read_text() == "up\n")
        for name in ("pid", "pid.start"):
            (attempt / name).unlink()
        restarted = LocalBackend(project, probe=NoGpus())
        found = restarted.find(ProjectLayout.place("R001", "A1"))
        assert found is not None and "pid" not in found.locator
        state = restarted.poll(found)
        assert (state.status, state.detail) == (JobStatus.QUEUED, "launching"), state
        local.cancel(handle)
        assert restarted.poll(found).status is not JobStatus.QUEUED


class TestLocalBackendArtifacts:
    """fetch_artifacts lists outputs in place or copies them."""

    def test_in_place_does_not_copy(self, local: LocalBackend) -> None:
        """Fetching into the attempt directory itself lists the outputs without copying."""
        out = local.output_dir(ProjectLayout.place("R001", "A1"))
        handle = local.submit(spec("import sys; open(sys.argv[1]+'/m.json','w').write('{}')", out))
        settle(local, handle)
        attempt = local.project_root / ProjectLayout.place("R001", "A1").path
        artifacts = local.fetch_artifacts(handle, attempt)
        assert [(a.path, a.size) for a in artifacts] == [("output/m.json", 2)]
        assert sorted(p.name for p in (attempt / "output").iterdir()) == ["m.json"]

    def test_copy_includes_logs(self, local: LocalBackend, tmp_path: Path) -> None:
        """Fetching elsewhere copies outputs and both logs."""
        handle = local.submit(spec("print('hi')"))
        settle(local, handle)
        assert local.fetch_artifacts(handle, tmp_path / "d") == []
        assert (tmp_path / "d" / "stdout.log").read_text() == "hi\n"

    def test_escaping_link_left_out(self, local: LocalBackend, tmp_path: Path) -> None:
        """An output that is a link leading outside output/ is left out: not copied, hashed or
        listed, and the run's other outputs are still collected (a link to a checkpoint
        elsewhere failed a run that exited 0)."""
        secret = tmp_path / "secret"
        secret.write_text("s")
        out = local.output_dir(ProjectLayout.place("R001", "A1"))
        handle = local.submit(
            spec(
                "import os,sys; os.symlink(sys.argv[1], sys.argv[2]+'/l'); "
                "open(sys.argv[2]+'/m.json', 'w').write('{}')",
                str(secret),
                out,
            )
        )
        settle(local, handle)
        artifacts = local.fetch_artifacts(handle, tmp_path / "d")
        assert [a.path for a in artifacts] == ["output/m.json"]
        assert not (tmp_path / "d" / "output" / "l").exists()

    def test_output_folder_replaced_by_a_link_is_refused(
        self, local: LocalBackend, tmp_path: Path
    ) -> None:
        """A run that swaps output/ for a link to a folder elsewhere: nothing there is hashed."""
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / "private.key").write_text("k")
        out = local.output_dir(ProjectLayout.place("R001", "A1"))
        code = (
            "import os,shutil,sys; shutil.rmtree(sys.argv[2]); os.symlink(sys.argv[1], sys.argv[2])"
        )
        handle = local.submit(spec(code, str(elsewhere), out))
        settle(local, handle)
        with pytest.raises(BackendError, match="not hashed or recorded"):
            local.fetch_artifacts(
                handle, (local.project_root / ProjectLayout.place("R001", "A1").path)
            )

    @pytest.mark.timeout(60)
    @pytest.mark.parametrize("swap", ["link", "fifo"])
    def test_a_log_swapped_by_the_run_is_not_read(
        self, local: LocalBackend, tmp_path: Path, swap: str
    ) -> None:
        """A failing run that replaces its stdout.log by a link to a secret or by a FIFO: the
        status comes back at once and the secret is not in the log tail."""
        secret = tmp_path / "secret.key"
        secret.write_text("TOPSECRET")
        code = (
            "import os,sys; log=os.path.join(os.path.dirname(sys.argv[1]), 'stdout.log'); "
            "os.remove(log); "
            "os.symlink(sys.argv[2], log) if sys.argv[3] == 'link' else os.mkfifo(log); "
            "sys.exit(3)"
        )
        out = local.output_dir(ProjectLayout.place("R001", "A1"))
        handle = local.submit(spec(code, out, str(secret), swap))
        state = settle(local, handle)
        assert state.status is JobStatus.FAILED
        assert "TOPSECRET" not in state.log_tail
        assert "stdout.log not read" in state.log_tail

    @pytest.mark.timeout(60)
    def test_a_fifo_among_the_outputs_does_not_block(self, local: LocalBackend) -> None:
        """A FIFO in output/ is left out of the artifacts instead of being opened."""
        out = local.output_dir(ProjectLayout.place("R001", "A1"))
        code = (
            "import os,sys; os.mkfifo(sys.argv[1]+'/pipe'); "
            "open(sys.argv[1]+'/m.json','w').write('{}')"
        )
        handle = local.submit(spec(code, out))
        settle(local, handle)
        artifacts = local.fetch_artifacts(
            handle, (local.project_root / ProjectLayout.place("R001", "A1").path)
        )
        assert [a.path for a in artifacts] == ["output/m.json"]


class TestLocalBackendRefusals:
    """Bad specs are refused before the attempt is claimed."""

    @pytest.mark.parametrize(
        "bad",
        [
            JobSpec(place=ProjectLayout.place("R001", "A1"), argv=()),
            JobSpec(place=ProjectLayout.place("R001", "A1"), argv=(PY, "-V"), env={"X": 1}),  # type: ignore[dict-item]
            JobSpec(place=ProjectLayout.place("R001", "A1"), argv=(PY, "-V"), env={"A=B": "c"}),
        ],
    )
    def test_bad_spec_refused_unclaimed(self, local: LocalBackend, bad: JobSpec) -> None:
        """An empty command or a non-text environment raises and leaves the attempt unclaimed."""
        with pytest.raises(BackendError):
            local.submit(bad)
        assert local.find(ProjectLayout.place("R001", "A1")) is None

    def test_cancel_before_start_never_runs(self, local: LocalBackend, tmp_path: Path) -> None:
        """A cancel marker present when the wrapper starts keeps the command from running."""
        attempt = local.project_root / ProjectLayout.place("R001", "A1").path
        attempt.mkdir(parents=True)
        (attempt / "cancelled").touch()
        ran = tmp_path / "ran"
        handle = local.submit(spec("import sys; open(sys.argv[1],'w').close()", str(ran)))
        assert settle(local, handle).status is JobStatus.CANCELLED
        assert not ran.exists()


@pytest.fixture
def full_disk(project: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs inside the project (root only): a disk the run can fill."""
    mount = project / "small"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
        capture_output=True, check=False,
    )  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr!r}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


class TestLocalBackendFullDisk:
    def test_a_run_that_fills_the_disk_is_not_killed_from_outside(
        self, project: Path, full_disk: Path
    ) -> None:
        """The wrapper cannot write exit_code: LOST names the full disk; no empty temp files."""
        backend = LocalBackend(project, probe=NoGpus())
        place = AttemptPlace(
            run_id="R001", attempt_id="A1", path="small/R001/A1", scratch_path="small/scratch"
        )
        fill = (
            "import os\n"
            "try:\n"
            "    with open(os.path.join(os.environ['OUT'], 'fill'), 'wb') as f:\n"
            "        while True: f.write(b'x' * 4096); f.flush()\n"
            "except OSError: pass\n"
        )
        out = backend.output_dir(place)
        handle = backend.submit(JobSpec(place=place, argv=(PY, "-c", fill), env={"OUT": out}))
        state = settle(backend, handle)
        backend.release()
        assert state.status is JobStatus.LOST, state
        assert "disk" in state.detail and "full" in state.detail, state.detail
        assert not list(Path(out).parent.glob("*.tmp.*"))
