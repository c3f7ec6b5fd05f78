"""
The local backend: each attempt is a detached process group on this machine.

Every attempt lives in its own directory, ``<project>/<place.path>`` (the path the pipeline's
``ProjectLayout`` names: ``.bridge/runs/<run_id>/<attempt_id>``)::

    launch        created with O_EXCL right before the spawn: the idempotency key
    argv.json     the command, a JSON list of strings (never passed through a shell),
                  written once it started
    pid           the wrapper's pid; pid.start: its start time in clock ticks (guards pid reuse)
    stdout.log    the command's standard output; stderr.log: its standard error
    exit_code     written by the wrapper when the command ends (128+N for signal N)
    timed_out     marker: the wrapper stopped the command at its timeout
    cancelled     marker: cancel() was asked
    output/       the run's ``{output_dir}``

``pid``, ``pid.start`` and ``exit_code`` are one-line records the wrapper writes in place: each
is read only once its closing newline is there (``attempt_files.read_record``).

The command runs under a small wrapper (``wrapper.sh``, started with ``start_new_session=True``
so wrapper and command form their own process group) that writes ``exit_code`` itself: the
attempt's outcome never depends on the bridge process staying alive, and a later bridge process
finds it again with :meth:`LocalBackend.find`.

CPU slots: on a machine without GPUs, :meth:`LocalBackend.preflight` offers ``cpu_slots`` slots
named ``Slot(host="local#0", gpu=None)`` … ``Slot(host="local#<cpu_slots-1>", gpu=None)``.
Slots are values (equal when their fields are equal), so ``cpu_slots`` copies of
``Slot(host="local")`` would be one slot to a scheduler that keeps "one run per slot"; distinct
host labels keep every slot countable and make ``host:cpu`` labels in logs tell runs apart.
``submit`` accepts ``local`` and ``local#K`` hosts. On a machine with GPUs only the free GPUs are
offered, as ``Slot(host="local", gpu=i)``. This backend needs Linux (``/proc``).

This module is the port facade; the parts live beside it: ``attempt_files`` (the directory's
files), ``spawn`` (starting the wrapper), ``children`` (reaping and waking waiters), ``state``
(reading an attempt's state back) and ``gpu_memory`` (the sampled peak); collecting artifacts
is ``bridge.adapters.backends.outputs``, shared with Slurm.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

import attrs

from bridge.adapters.backends.local import procfs
from bridge.adapters.backends.local.attempt_files import read_ident, validate_id, write_atomic
from bridge.adapters.backends.local.children import Children, signal_group
from bridge.adapters.backends.local.gpu_memory import GpuMemorySampler
from bridge.adapters.backends.local.spawn import WRAPPER_PATH, environment, spawn_wrapper
from bridge.adapters.backends.local.state import attempt_state
from bridge.adapters.backends.outputs import collect_outputs
from bridge.adapters.gpu import NvidiaSmiProbe, free_slots
from bridge.errors import BackendError, BackendUnavailable, JobNotFound
from bridge.lazy_patterns import lazy
from bridge.machine.ports import (
    Artifact,
    AttemptPlace,
    GpuProbe,
    JobHandle,
    JobSpec,
    JobState,
    JobStatus,
    Slot,
)

__all__ = ["WRAPPER_PATH", "LocalBackend", "validate_id"]

_CPU_HOST = lazy(r"local(#[0-9]+)?")
_ADOPTED_POLL_SECONDS = 0.1
# While attempts run on a machine with GPUs, the wait samples their GPU memory this often, so a
# peak of a second or two between two of the dispatcher's polls is not missed.
_GPU_SAMPLE_SECONDS = 1.0


class LocalBackend:
    """
    Runs attempts as detached process groups on this machine.

    Args:
        project_root: the research project; commands run in ``project_root / spec.cwd``, and
            each attempt's directory is ``project_root / place.path``.
        probe: reports this machine's GPUs; default :class:`NvidiaSmiProbe` (CPU only when
            ``nvidia-smi`` is not on ``PATH``).
        cpu_slots: how many CPU slots to offer on a machine without GPUs.
        gpu_free_threshold_mib: a GPU is free when less than this many MiB are in use.
        kill_grace_seconds: how long ``cancel`` and the timeout wait after SIGTERM before SIGKILL.
        withheld_env: variables of bridge's environment that runs do not inherit (the ones
            bridge reads its own credentials from) unless the run's ``env`` names them.
    """

    name = "local"

    def __init__(
        self,
        project_root: Path,
        *,
        probe: GpuProbe | None = None,
        cpu_slots: int = 4,
        gpu_free_threshold_mib: int = 500,
        kill_grace_seconds: float = 5.0,
        withheld_env: frozenset[str] = frozenset(),
        scratch_root: Path | None = None,
    ) -> None:
        if cpu_slots < 1:
            raise BackendError(f"cpu_slots must be at least 1, got {cpu_slots}")
        self.project_root = Path(project_root).resolve()
        # Outside the project (so outside its git checkout), one folder per project.
        key = hashlib.sha256(str(self.project_root).encode()).hexdigest()[:12]
        self.scratch_root = Path(
            scratch_root or Path(tempfile.gettempdir()) / "bridge-scratch" / key
        ).resolve()
        self.cpu_slots = cpu_slots
        self.gpu_free_threshold_mib = gpu_free_threshold_mib
        self.kill_grace_seconds = kill_grace_seconds
        self.withheld_env = withheld_env
        self._probe: GpuProbe = probe if probe is not None else NvidiaSmiProbe()
        self._gpu_memory = GpuMemorySampler(self._probe)
        self._children = Children()

    # ----------------------------------------------------------------------------------------
    # Port methods
    # ----------------------------------------------------------------------------------------

    def preflight(self) -> Sequence[Slot]:
        """
        Check this machine can run attempts and return its free slots.

        Returns:
            ``Slot(host="local", gpu=i)`` for every free GPU, or, without GPUs, ``cpu_slots``
            slots ``Slot(host="local#k", gpu=None)``.

        Raises:
            BackendUnavailable: no ``/proc`` (not Linux).
            BackendError: ``nvidia-smi`` exists but fails.
        """
        if not Path("/proc/self/stat").exists():
            raise BackendUnavailable("the local backend needs Linux: /proc is not available")
        gpus = self._probe.probe()
        if gpus:
            return free_slots(gpus, "local", self.gpu_free_threshold_mib)
        return tuple(Slot(host=f"local#{k}") for k in range(self.cpu_slots))

    def output_dir(self, place: AttemptPlace) -> str:
        """
        Return the absolute path of the attempt's ``output/`` directory (no I/O).
        """
        return str(self._attempt_dir(place) / "output")

    def scratch_dir(self, place: AttemptPlace) -> str:
        """
        Create (private to this user) and return the attempt's scratch directory,
        ``scratch_root/<run_id>/<attempt_id>``: outside the project, so nothing there is ever
        mistaken for its files (``place.scratch_path`` names a folder inside it).

        Raises:
            BackendError: the directory cannot be created (the message says which path).
        """
        path = self._scratch_of(place)
        try:
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise BackendError(f"cannot create the scratch directory {path}: {exc}") from exc
        return str(path)

    def remove_scratch(self, place: AttemptPlace) -> None:
        """
        Delete the attempt's scratch directory (and its run's and project's folders once empty).

        Raises:
            BackendError: it exists but cannot be removed (the message says which path).
        """
        path = self._scratch_of(place)
        parent = path.parent
        try:
            shutil.rmtree(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise BackendError(f"cannot remove the scratch directory {path}: {exc}") from exc
        with contextlib.suppress(OSError):
            # Each only when empty: another attempt's (or run's) scratch may still be there.
            parent.rmdir()
            self.scratch_root.rmdir()

    def submit(self, spec: JobSpec) -> JobHandle:
        """
        Launch the attempt detached in ``project_root / spec.place.path`` and return at once;
        idempotent on the attempt (its directory's ``launch`` marker).

        The ``launch`` marker is created with ``O_EXCL`` before anything starts, so of two
        callers (threads or processes) only one launches; the other gets the same handle. The
        attempt's ``output/`` and environment are made first, so the marker is followed at once
        by the spawn: a bridge killed between the two leaves an attempt that never started,
        which ``poll`` calls lost (no wrapper process names its directory), and that window is
        kept to a few system calls. ``argv.json`` (for people: the log has the command) is written
        once the command has started: on a disk each file made costs about half a millisecond
        here, before the slot's next run can start.

        Raises:
            BackendError: slots of another host, a missing working directory, an
                empty command, non-text environment values, or the wrapper could not be started
                (then ``exit_code`` 127 is recorded too). Nothing is claimed before these checks.
        """
        attempt_dir = self._attempt_dir(spec.place)
        cwd = (self.project_root / spec.cwd).resolve()  # resolved: a symlink cannot lead out
        if not cwd.is_relative_to(self.project_root):
            raise BackendError(
                f"working directory {spec.cwd!r} of run {spec.run_id} resolves to {cwd}, "
                f"outside the project {self.project_root}"
            )
        if not cwd.is_dir():
            raise BackendError(f"working directory {cwd} of run {spec.run_id} does not exist")
        gpus = self._gpus_of(spec.slots)
        if not spec.argv or not all(isinstance(arg, str) for arg in spec.argv):
            raise BackendError(
                f"run {spec.run_id}: the command must be a non-empty list of strings"
            )
        bad = [key for key, value in spec.env.items() if not isinstance(value, str) or "=" in key]
        if bad:
            raise BackendError(f"run {spec.run_id}: environment entries {bad} are not NAME=text")
        # The run's folder, then the attempt's: a first attempt's parent is missing, and
        # mkdir(parents=True) would try the attempt's first and fail once more.
        attempt_dir.parent.mkdir(parents=True, exist_ok=True)
        attempt_dir.mkdir(exist_ok=True)
        launch = attempt_dir / "launch"
        if launch.exists():
            return self._handle_from_disk(spec.place)
        (attempt_dir / "output").mkdir(exist_ok=True)
        env = environment(spec.env, self.withheld_env)
        env["CUDA_VISIBLE_DEVICES"] = ",".join(str(gpu) for gpu in gpus)
        try:
            fd = os.open(launch, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return self._handle_from_disk(spec.place)
        os.close(fd)
        try:
            pid = spawn_wrapper(
                attempt_dir,
                cwd,
                spec.argv,
                env,
                timeout_seconds=spec.timeout_seconds,
                kill_grace_seconds=self.kill_grace_seconds,
            )
        except OSError as exc:
            with (attempt_dir / "stderr.log").open("ab") as err:
                err.write(f"[bridge] cannot start the attempt wrapper: {exc}\n".encode())
            write_atomic(attempt_dir / "exit_code", "127\n")
            raise BackendError(f"cannot start attempt {spec.attempt_id}: {exc}") from exc
        # Our child cannot be reaped before the reaper thread starts, so /proc still has it.
        # The wrapper records the same two as it starts, unless these came first: they are
        # there whole once submit returns, and even if bridge is killed right after the spawn.
        stat = procfs.read_stat(pid)
        start = stat.start_ticks if stat is not None else ""
        write_atomic(attempt_dir / "pid.start", start + "\n", durable=False)
        write_atomic(attempt_dir / "pid", f"{pid}\n", durable=False)
        self._children.watch(spec.attempt_id, pid)
        write_atomic(attempt_dir / "argv.json", json.dumps(list(spec.argv)) + "\n", durable=False)
        return self._handle(spec.place, str(pid), start)

    def poll(self, handle: JobHandle) -> JobState:
        """
        Return the attempt's state (:meth:`_poll`) with the most GPU memory its process group
        was seen using: sampled (``nvidia-smi --query-compute-apps``, at most once a second for
        all attempts) while it runs, kept in the attempt directory's ``gpu_peak_mib``.

        Raises:
            JobNotFound: the handle names no attempt directory of this backend.
        """
        if (
            handle.backend == self.name
            and self._children.running(handle.attempt_id)
            and not self._gpu_memory.active()
        ):
            # Our own child, not yet reaped (the wrapper outlives the command), and no GPU
            # memory to sample: running, for certain, and nothing on disk would say more. The
            # dispatcher polls every live run after every exit, so this skips the directory's
            # checks on most polls.
            return JobState(status=JobStatus.RUNNING)
        attempt_dir = self._dir_of(handle)
        state = self._poll(handle, attempt_dir)
        if state.status is JobStatus.RUNNING:
            self._gpu_memory.sample(attempt_dir)
            return state
        gpu = self._gpu_memory.reading(attempt_dir)
        return attrs.evolve(
            state,
            gpu_memory_peak_mib=gpu.peak_mib,
            gpu_memory_total_mib=gpu.total_mib,
            gpu_memory_unmeasured=gpu.unmeasured,
        )

    def _poll(self, handle: JobHandle, attempt_dir: Path) -> JobState:
        """
        Return the attempt's state from its directory (``attempt_dir``, the handle's, checked
        by :meth:`_dir_of`) and ``/proc``.

        ``exit_code`` decides a finished attempt (``timed_out`` and ``cancelled`` markers take
        precedence over the code). Without it, the attempt is RUNNING while its wrapper, or any
        process of its group, lives; a pid now held by another process or a zombie counts as
        gone, and gone without an exit code is LOST.
        """
        if self._children.running(handle.attempt_id):
            # Our reaper has not seen the wrapper exit, and the wrapper outlives the command:
            # running, for certain. The dispatcher polls every live run after every event, so
            # this answer costs no file reads (the log tail matters once the attempt ends).
            return JobState(status=JobStatus.RUNNING)
        return attempt_state(attempt_dir, known=_ident_of(handle))

    def wait(self, handles: Sequence[JobHandle], timeout: float) -> None:
        """
        Block until one of ``handles`` may have changed state, or ``timeout`` seconds passed.

        Returns at once when one of them has already ended. Attempts launched by this object
        wake the wait as soon as their wrapper exits; attempts adopted from an earlier bridge
        process are checked in ``/proc`` every 0.1 s. On a machine with GPUs the attempts' GPU
        memory is sampled about every second meanwhile.
        """
        deadline = time.monotonic() + timeout
        seen = self._children.generation()
        if any(self._ended(handle) for handle in handles):
            return
        adopted = [h for h in handles if not self._children.launched(h.attempt_id)]
        sampling = self._gpu_memory.active()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            wait = min(remaining, _ADOPTED_POLL_SECONDS) if adopted else remaining
            if sampling:
                wait = min(wait, _GPU_SAMPLE_SECONDS)
            if self._children.wait_for_exit(seen, wait):
                return
            if any(self._ended(handle) for handle in adopted):
                return
            if sampling:
                for handle in handles:
                    if not self._ended(handle):
                        self._gpu_memory.sample(self._dir_of(handle))

    def cancel(self, handle: JobHandle) -> None:
        """
        Stop the attempt: write ``cancelled``, SIGTERM its process group, SIGKILL whatever is
        left after ``kill_grace_seconds``, and return once no process of the group remains.
        Idempotent; an attempt that already ended is left as it is.

        Raises:
            JobNotFound: the handle names no attempt of this backend.
            BackendError: the group survived SIGKILL (an unkillable process, state D).
        """
        attempt_dir = self._dir_of(handle)
        if not (attempt_dir / "exit_code").exists():
            (attempt_dir / "cancelled").touch()
        ident = read_ident(attempt_dir) or _ident_of(handle)
        if ident is None or not procfs.group_alive(*ident):
            return
        pid, start = ident
        signal_group(pid, signal.SIGTERM)
        if self._children.await_group_end(pid, start, self.kill_grace_seconds):
            return
        signal_group(pid, signal.SIGKILL)
        if not self._children.await_group_end(pid, start, 10.0):
            raise BackendError(
                f"attempt {handle.attempt_id}: process group {pid} survived SIGKILL "
                f"(members: {procfs.group_members(pid)})"
            )

    def fetch_artifacts(self, handle: JobHandle, dest: Path) -> Sequence[Artifact]:
        """
        Return the attempt's outputs as artifacts, copying them (and the logs) when ``dest``
        is not the attempt directory itself; outputs are untrusted (see :func:`collect_outputs`
        for how links and special files are refused).

        Raises:
            JobNotFound: the handle names no attempt of this backend.
            BackendError: ``output/`` or an output is a link leading outside, or copying failed.
        """
        return collect_outputs(self._dir_of(handle), dest, handle.attempt_id)

    def find(self, place: AttemptPlace) -> JobHandle | None:
        """
        Return the handle of the attempt launched earlier at ``place`` (its ``launch`` marker
        exists in ``project_root / place.path``), or ``None``.
        """
        if not (self._attempt_dir(place) / "launch").exists():
            return None
        return self._handle_from_disk(place)

    def release(self) -> None:
        """
        End the reaper threads that wait for a next launch (their children exited). Running
        attempts are left running, their reapers too: they are detached on purpose. Idempotent.
        """
        self._children.forget_ended()

    # ----------------------------------------------------------------------------------------
    # Internals
    # ----------------------------------------------------------------------------------------

    def _attempt_dir(self, place: AttemptPlace) -> Path:
        """
        Return ``project_root / place.path``: the one place the attempt's files go.
        """
        return self.project_root / place.path

    def _scratch_of(self, place: AttemptPlace) -> Path:
        return (
            self.scratch_root
            / validate_id("run id", place.run_id)
            / validate_id("attempt id", place.attempt_id)
        )

    def _dir_of(self, handle: JobHandle) -> Path:
        """
        Return the attempt directory a handle names (its locator's ``path``, relative to the
        project), refusing handles of other backends and paths that would leave the project.

        Handles recorded before attempts' paths were given by the pipeline carry no ``path``;
        their ``dir`` is the absolute directory that version launched them in.
        """
        if handle.backend != self.name:
            raise JobNotFound(f"handle of backend {handle.backend!r} given to the local backend")
        path = handle.locator.get("path", "")
        if path:
            relative = PurePosixPath(path)
            if relative.is_absolute() or ".." in relative.parts:
                raise JobNotFound(f"handle of attempt {handle.attempt_id} names {path!r}")
            attempt_dir = self.project_root / relative
        elif handle.locator.get("dir", ""):
            attempt_dir = Path(handle.locator["dir"])
        else:
            raise JobNotFound(f"handle of attempt {handle.attempt_id} names no directory")
        if not (attempt_dir / "launch").exists():
            raise JobNotFound(f"no attempt {handle.attempt_id} in {attempt_dir}")
        return attempt_dir

    def _gpus_of(self, slots: Sequence[Slot]) -> list[int]:
        """
        Return the GPU indices of ``slots``, refusing slots this machine does not offer.
        """
        gpus: list[int] = []
        for slot in slots:
            if slot.gpu is not None and slot.host == "local":
                gpus.append(slot.gpu)
            elif slot.gpu is not None or not _CPU_HOST.fullmatch(slot.host):
                raise BackendError(f"slot {slot.label()} does not belong to the local backend")
        return gpus

    def _handle(self, place: AttemptPlace, pid: str, start: str) -> JobHandle:
        """
        Build a handle; the locator holds strings only so it round-trips through events.
        ``path`` is what later calls read; ``dir`` (absolute) is for people reading the log.
        """
        locator = {
            "run_id": place.run_id,
            "path": place.path,
            "dir": str(self._attempt_dir(place)),
        }
        if pid:
            locator |= {"pid": pid, "start": start}
        return JobHandle(backend=self.name, attempt_id=place.attempt_id, locator=locator)

    def _handle_from_disk(self, place: AttemptPlace) -> JobHandle:
        """
        Build the handle of an already launched attempt from its directory.
        """
        ident = read_ident(self._attempt_dir(place))
        pid, start = (str(ident[0]), ident[1]) if ident else ("", "")
        return self._handle(place, pid, start)

    def _ended(self, handle: JobHandle) -> bool:
        """
        True when the attempt recorded an exit code or has no live process left.
        """
        if self._children.running(handle.attempt_id):
            return False
        try:
            attempt_dir = self._dir_of(handle)
        except BackendError:
            return True
        if (attempt_dir / "exit_code").exists():
            return True
        ident = read_ident(attempt_dir) or _ident_of(handle)
        return ident is not None and not procfs.group_alive(*ident)


def _ident_of(handle: JobHandle) -> tuple[int, str] | None:
    """
    The wrapper's (pid, start ticks) as the handle has them: ``submit`` knows them before the
    wrapper has written its own records.
    """
    pid, start = handle.locator.get("pid", ""), handle.locator.get("start")
    return (int(pid), start) if pid.isdigit() and start is not None else None
