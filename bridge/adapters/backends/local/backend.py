"""
The local backend: each attempt is a detached process group on this machine.

Every attempt lives in its own directory, ``<runs_dir>/<run_id>/<attempt_id>/``
(``runs_dir`` defaults to ``<project>/.bridge/runs``)::

    launch        created with O_EXCL before anything else: the idempotency key
    argv.json     the command, a JSON list of strings (never passed through a shell)
    pid           the wrapper's pid; pid.start: its start time in clock ticks (guards pid reuse)
    stdout.log    the command's standard output; stderr.log: its standard error
    exit_code     written atomically by the wrapper when the command ends (128+N for signal N)
    timed_out     marker: the wrapper stopped the command at its timeout
    cancelled     marker: cancel() was asked
    output/       the run's ``{output_dir}``

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
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs
import structlog

from bridge.adapters.backends.local import procfs
from bridge.adapters.gpu import GpuProcessProbe, NvidiaSmiProbe, free_slots
from bridge.adapters.metrics.reading import read_tail
from bridge.errors import BackendError, BackendUnavailable, JobNotFound
from bridge.machine.ports import (
    Artifact,
    GpuProbe,
    JobHandle,
    JobSpec,
    JobState,
    JobStatus,
    Slot,
)

__all__ = ["WRAPPER_PATH", "LocalBackend", "validate_id"]

#: The attempt wrapper, a POSIX shell script run by ``/bin/sh``.
WRAPPER_PATH = Path(__file__).with_name("wrapper.sh")
_log = structlog.get_logger(__name__)
_SHELL = "/bin/sh"
_LOG_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_APPEND
_CATCHABLE_SIGNALS = frozenset(signal.valid_signals()) - {signal.SIGKILL, signal.SIGSTOP}

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_CPU_HOST = re.compile(r"local(#[0-9]+)?")
_PASS_THROUGH = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_TAIL_BYTES = 4096
_ADOPTED_POLL_SECONDS = 0.1


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def validate_id(kind: str, value: str) -> str:
    """
    Check that ``value`` can name a directory without escaping its parent.

    Args:
        kind: what the value is (``"run id"``, ``"attempt id"``), for the message.
        value: the id.

    Returns:
        ``value`` unchanged.

    Raises:
        BackendError: the id is empty, too long, or holds anything but letters, digits,
            ``.``, ``_`` and ``-`` (or does not start with a letter or digit).
    """
    if not _SAFE_ID.fullmatch(value):
        raise BackendError(
            f"{kind} {value!r} cannot name an attempt directory: use 1-128 letters, digits, "
            "'.', '_' or '-', starting with a letter or digit"
        )
    return value


def _write_atomic(path: Path, text: str, *, durable: bool = True) -> None:
    """
    Write ``text`` to ``path`` via a temporary file and a rename (readers see all or nothing).

    Args:
        path: the file.
        text: its content.
        durable: fsync before the rename, so the file also survives a machine crash. Records
            that only matter while the attempt's processes live (the argv, the pid) skip it: a
            bridge process that crashes leaves them in the page cache, and a machine crash ends
            the attempt anyway (it then reads as lost either way).
    """
    tmp = path.with_name(f"{path.name}.tmp.{os.getpid()}.{threading.get_ident()}")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())
    tmp.replace(path)


def _tail(path: Path, size: int) -> str:
    """
    Return the last ``size`` bytes of ``path`` as text ("" when it does not exist); a log the
    run replaced by a link or a FIFO is not read (:func:`read_tail`).
    """
    return read_tail(path, size)


def _sha256(path: Path) -> str:
    """
    Return the hex sha256 of a file's bytes.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _disk_full(path: Path) -> bool:
    """
    True when the file system holding ``path`` has no block left for an ordinary user.
    """
    try:
        return os.statvfs(path).f_bavail == 0
    except OSError:
        return False


def _describe_exit(code: int) -> str:
    """
    Explain an exit code for people: a code above 128 names the signal that killed the command.
    """
    if code > 128:
        try:
            name = signal.Signals(code - 128).name
        except ValueError:
            return f"exit code {code}"
        extra = " (the kernel's OOM killer also sends this)" if name == "SIGKILL" else ""
        return f"exit code {code}: killed by {name}{extra}"
    return f"exit code {code}"


class LocalBackend:
    """
    Runs attempts as detached process groups on this machine.

    Args:
        project_root: the research project; commands run in ``project_root / spec.cwd``.
        runs_dir: where attempt directories go; default ``project_root/.bridge/runs``.
        probe: reports this machine's GPUs; default :class:`NvidiaSmiProbe` (CPU only when
            ``nvidia-smi`` is not on ``PATH``).
        cpu_slots: how many CPU slots to offer on a machine without GPUs.
        gpu_free_threshold_mib: a GPU is free when less than this many MiB are in use.
        kill_grace_seconds: how long ``cancel`` and the timeout wait after SIGTERM before SIGKILL.
        launch_grace_seconds: how long an attempt whose ``launch`` marker exists may go without
            a recorded pid before ``poll`` calls it lost (a crash between marker and launch).
        withheld_env: variables of bridge's environment that runs do not inherit (the ones
            bridge reads its own credentials from) unless the run's ``env`` names them.
    """

    name = "local"

    def __init__(
        self,
        project_root: Path,
        *,
        runs_dir: Path | None = None,
        probe: GpuProbe | None = None,
        cpu_slots: int = 4,
        gpu_free_threshold_mib: int = 500,
        kill_grace_seconds: float = 5.0,
        launch_grace_seconds: float = 30.0,
        withheld_env: frozenset[str] = frozenset(),
        scratch_root: Path | None = None,
    ) -> None:
        if cpu_slots < 1:
            raise BackendError(f"cpu_slots must be at least 1, got {cpu_slots}")
        self.project_root = Path(project_root).resolve()
        self.runs_dir = Path(runs_dir or self.project_root / ".bridge" / "runs").resolve()
        # Outside the project (so outside its git checkout), one folder per project.
        key = hashlib.sha256(str(self.project_root).encode()).hexdigest()[:12]
        self.scratch_root = Path(
            scratch_root or Path(tempfile.gettempdir()) / "bridge-scratch" / key
        ).resolve()
        self.cpu_slots = cpu_slots
        self.gpu_free_threshold_mib = gpu_free_threshold_mib
        self.kill_grace_seconds = kill_grace_seconds
        self.launch_grace_seconds = launch_grace_seconds
        self.withheld_env = withheld_env
        self._probe: GpuProbe = probe if probe is not None else NvidiaSmiProbe()
        self._apps: tuple[float, dict[int, int]] | None = None  # (when, pid → MiB) sampled
        self._apps_error = ""
        self._children: dict[str, int] = {}  # attempt id -> wrapper pid
        # Attempt ids of children whose wrapper the reaper thread has seen exit. Until then a
        # child of ours is known to be running without reading /proc (a zombie cannot exist
        # before the reaper's waitpid returns, and another waitpid would race it).
        self._exited: set[str] = set()
        self._reapers: list[threading.Thread] = []
        self._changed = threading.Condition()
        self._generation = 0

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
            BackendUnavailable: no ``/proc`` (not Linux) or the runs directory cannot be made.
            BackendError: ``nvidia-smi`` exists but fails.
        """
        if not Path("/proc/self/stat").exists():
            raise BackendUnavailable("the local backend needs Linux: /proc is not available")
        try:
            self.runs_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackendUnavailable(
                f"cannot create runs directory {self.runs_dir}: {exc}"
            ) from exc
        gpus = self._probe.probe()
        if gpus:
            return free_slots(gpus, "local", self.gpu_free_threshold_mib)
        return tuple(Slot(host=f"local#{k}") for k in range(self.cpu_slots))

    def output_dir(self, run_id: str, attempt_id: str) -> str:
        """
        Return the absolute path of the attempt's ``output/`` directory (no I/O).

        Raises:
            BackendError: an id that is not a safe directory name.
        """
        return str(self._attempt_dir(run_id, attempt_id) / "output")

    def scratch_dir(self, run_id: str, attempt_id: str) -> str:
        """
        Create (private to this user) and return the attempt's scratch directory, under
        ``scratch_root``: outside the project, so nothing there is ever mistaken for its files.

        Raises:
            BackendError: an unsafe id, or the directory cannot be created (the message says
                which path).
        """
        path = (
            self.scratch_root
            / validate_id("run id", run_id)
            / validate_id("attempt id", attempt_id)
        )
        try:
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise BackendError(f"cannot create the scratch directory {path}: {exc}") from exc
        return str(path)

    def remove_scratch(self, run_id: str, attempt_id: str) -> None:
        """
        Delete the attempt's scratch directory (and its run's and project's folders once empty).

        Raises:
            BackendError: it exists but cannot be removed (the message says which path).
        """
        parent = self.scratch_root / validate_id("run id", run_id)
        path = parent / validate_id("attempt id", attempt_id)
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
        Launch the attempt detached and return at once; idempotent on ``spec.attempt_id``.

        The ``launch`` marker is created with ``O_EXCL`` before anything starts, so of two
        callers (threads or processes) only one launches; the other gets the same handle.

        Raises:
            BackendError: unsafe ids, slots of another host, a missing working directory, an
                empty command, non-text environment values, or the wrapper could not be started
                (then ``exit_code`` 127 is recorded too). Nothing is claimed before these checks.
        """
        attempt_dir = self._attempt_dir(spec.run_id, spec.attempt_id)
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
        attempt_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(attempt_dir / "launch", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return self._handle_from_disk(spec.run_id, attempt_id=spec.attempt_id)
        os.close(fd)
        _write_atomic(attempt_dir / "argv.json", json.dumps(list(spec.argv)) + "\n", durable=False)
        (attempt_dir / "output").mkdir(exist_ok=True)
        env = self._environment(spec.env)
        env["CUDA_VISIBLE_DEVICES"] = ",".join(str(gpu) for gpu in gpus)
        # A POSIX shell script, not Python: it starts in about 1 ms, so a run's command starts
        # as soon as its slot is given. The argv reaches it as arguments, never as shell text.
        timeout = "" if spec.timeout_seconds is None else repr(float(spec.timeout_seconds))
        command = [
            _SHELL,
            str(WRAPPER_PATH),
            str(attempt_dir),
            str(cwd),
            timeout,
            repr(float(self.kill_grace_seconds)),
            *spec.argv,
        ]
        try:
            # posix_spawn rather than subprocess: it resets every signal to its default action
            # (a shell cannot undo a signal ignored before it started, as under nohup), and it
            # starts the new session itself. The wrapper enters the working directory.
            pid = os.posix_spawn(
                _SHELL,
                command,
                env,
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_OPEN, 1, str(attempt_dir / "stdout.log"), _LOG_FLAGS, 0o644),
                    (os.POSIX_SPAWN_OPEN, 2, str(attempt_dir / "stderr.log"), _LOG_FLAGS, 0o644),
                ],
                setsid=True,
                setsigdef=_CATCHABLE_SIGNALS,
            )
        except OSError as exc:
            with (attempt_dir / "stderr.log").open("ab") as err:
                err.write(f"[bridge] cannot start the attempt wrapper: {exc}\n".encode())
            _write_atomic(attempt_dir / "exit_code", "127\n")
            raise BackendError(f"cannot start attempt {spec.attempt_id}: {exc}") from exc
        # Our child cannot be reaped before the reaper thread starts, so /proc still has it.
        stat = procfs.read_stat(pid)
        start = stat.start_ticks if stat is not None else ""
        _write_atomic(attempt_dir / "pid.start", start + "\n", durable=False)
        _write_atomic(attempt_dir / "pid", f"{pid}\n", durable=False)
        self._watch(spec.attempt_id, pid)
        return self._handle(spec.run_id, spec.attempt_id, str(pid), start)

    def _environment(self, extra: Mapping[str, str]) -> dict[str, str]:
        """
        The attempt's environment: bridge's own, less ``withheld_env``, plus the run's ``env``.
        A value written ``${NAME}`` is bridge's ``NAME`` (unset: empty), so a credential can be
        handed to a run without writing it into ``bridge.toml`` or the log.
        """
        env = {k: v for k, v in os.environ.items() if k not in self.withheld_env}
        for key, value in extra.items():
            match = _PASS_THROUGH.fullmatch(value)
            env[key] = os.environ.get(match.group(1), "") if match else value
        return env

    def poll(self, handle: JobHandle) -> JobState:
        """
        Return the attempt's state (:meth:`_poll`) with the most GPU memory its process group
        was seen using: sampled (``nvidia-smi --query-compute-apps``, at most once a second for
        all attempts) while it runs, kept in the attempt directory's ``gpu_peak_mib``.

        Raises:
            JobNotFound: the handle names no attempt directory of this backend.
        """
        state = self._poll(handle)
        attempt_dir = self._dir_of(handle)
        if state.status is JobStatus.RUNNING:
            self._sample_gpu_memory(attempt_dir)
            return state
        peak = _read_int(attempt_dir / "gpu_peak_mib")
        return state if peak is None else attrs.evolve(state, gpu_memory_peak_mib=peak)

    def _sample_gpu_memory(self, attempt_dir: Path) -> None:
        """
        Add up the GPU memory of the attempt's process group now; keep it when above its peak.
        A failing ``nvidia-smi`` is logged once and never fails the run.
        """
        probe = self._probe
        if not isinstance(probe, GpuProcessProbe):
            return
        now = time.monotonic()
        if self._apps is None or now - self._apps[0] >= 1.0:
            try:
                self._apps = (now, probe.process_memory())
            except BackendError as exc:
                if self._apps_error != str(exc):
                    _log.warning("gpu_memory_not_sampled", error=str(exc))
                    self._apps_error = str(exc)
                self._apps = (now, {})
        apps = self._apps[1]
        ident = self._ident(attempt_dir)
        if not apps or ident is None:
            return
        group = ident[0]  # the wrapper leads the attempt's process group
        used = 0
        for pid, mib in apps.items():
            stat = procfs.read_stat(pid)
            if stat is not None and stat.pgid == group:
                used += mib
        peak_file = attempt_dir / "gpu_peak_mib"
        if used > (_read_int(peak_file) or 0):
            peak_file.write_text(str(used), encoding="ascii")

    def _poll(self, handle: JobHandle) -> JobState:
        """
        Return the attempt's state from its directory and ``/proc``.

        ``exit_code`` decides a finished attempt (``timed_out`` and ``cancelled`` markers take
        precedence over the code). Without it, the attempt is RUNNING while its wrapper, or any
        process of its group, lives; a pid now held by another process or a zombie counts as
        gone, and gone without an exit code is LOST.

        Raises:
            JobNotFound: the handle names no attempt directory of this backend.
        """
        attempt_dir = self._dir_of(handle)
        if self._running_child(handle.attempt_id):
            # Our reaper has not seen the wrapper exit, and the wrapper outlives the command:
            # running, for certain. The dispatcher polls every live run after every event, so
            # this answer costs no file reads (the log tail matters once the attempt ends).
            return JobState(status=JobStatus.RUNNING)
        tail = self._log_tail(attempt_dir)
        finished = self._finished_state(attempt_dir, tail)
        if finished is not None:
            return finished
        cancelled = (attempt_dir / "cancelled").exists()
        ident = self._ident(attempt_dir)
        if ident is None:
            if cancelled:
                return JobState(status=JobStatus.CANCELLED, detail="cancelled before it started")
            age = time.time() - (attempt_dir / "launch").stat().st_mtime
            if age < self.launch_grace_seconds:
                return JobState(status=JobStatus.QUEUED, detail="launching", log_tail=tail)
            return JobState(
                status=JobStatus.LOST,
                detail="the launch was claimed but no process was ever recorded "
                "(the launcher stopped in between)",
                log_tail=tail,
            )
        pid, start = ident
        if procfs.process_alive(pid, start):
            return JobState(status=JobStatus.RUNNING, log_tail=tail)
        if procfs.group_alive(pid, start):
            return JobState(
                status=JobStatus.RUNNING,
                detail=f"wrapper {pid} is gone without an exit code; its process group still runs",
                log_tail=tail,
            )
        # The wrapper may have written exit_code and exited between the two looks.
        finished = self._finished_state(attempt_dir, tail)
        if finished is not None:
            return finished
        if cancelled:
            return JobState(status=JobStatus.CANCELLED, detail="killed by cancel", log_tail=tail)
        return JobState(
            status=JobStatus.LOST,
            detail=f"process {pid} ended without recording an exit code "
            + (
                f"(the disk holding {attempt_dir} is full: the wrapper could not write it)"
                if _disk_full(attempt_dir)
                else "(killed from outside, or the machine restarted)"
            ),
            log_tail=tail,
        )

    def wait(self, handles: Sequence[JobHandle], timeout: float) -> None:
        """
        Block until one of ``handles`` may have changed state, or ``timeout`` seconds passed.

        Returns at once when one of them has already ended. Attempts launched by this object
        wake the wait as soon as their wrapper exits; attempts adopted from an earlier bridge
        process are checked in ``/proc`` every 0.1 s.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            seen = self._generation
        if any(self._ended(handle) for handle in handles):
            return
        adopted = [handle for handle in handles if handle.attempt_id not in self._children]
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            with self._changed:
                if self._generation == seen:
                    self._changed.wait(
                        min(remaining, _ADOPTED_POLL_SECONDS) if adopted else remaining
                    )
                if self._generation != seen:
                    return
            if any(self._ended(handle) for handle in adopted):
                return

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
        ident = self._ident(attempt_dir)
        if ident is None or not procfs.group_alive(*ident):
            return
        pid, start = ident
        self._signal_group(pid, signal.SIGTERM)
        if self._await_group_end(pid, start, self.kill_grace_seconds):
            return
        self._signal_group(pid, signal.SIGKILL)
        if not self._await_group_end(pid, start, 10.0):
            raise BackendError(
                f"attempt {handle.attempt_id}: process group {pid} survived SIGKILL "
                f"(members: {procfs.group_members(pid)})"
            )

    def fetch_artifacts(self, handle: JobHandle, dest: Path) -> Sequence[Artifact]:
        """
        Return the attempt's outputs as artifacts, copying them (and the logs) when ``dest``
        is not the attempt directory itself.

        Outputs are untrusted: paths are resolved, never taken lexically. ``output/`` itself
        replaced by a link that leads out of the attempt directory, or a file inside it linked
        to somewhere outside, is refused, so no file elsewhere is hashed or recorded. Entries
        that are not regular files (a FIFO, a socket, a device) are not opened, so none can
        block the collection; they are left out of the list and logged.

        Returns:
            One :class:`Artifact` per regular file under ``output/``, its path relative to
            ``dest`` (``output/...``), sorted by path.

        Raises:
            JobNotFound: the handle names no attempt of this backend.
            BackendError: ``output/`` or an output is a symbolic link leading outside, or
                copying failed.
        """
        attempt_dir = self._dir_of(handle)
        source = attempt_dir / "output"
        dest = Path(dest).resolve()
        copy = dest != attempt_dir.resolve()
        artifacts: list[Artifact] = []
        try:
            real_source = source.resolve()
            if source.is_symlink() or not real_source.is_relative_to(attempt_dir.resolve()):
                raise BackendError(
                    f"output {source} is a link leading outside the attempt directory "
                    f"(to {real_source}); its files are not hashed or recorded"
                )
            files = (
                sorted(p for p in source.rglob("*") if not p.is_dir()) if source.exists() else []
            )
            for path in files:
                real = path.resolve()
                if not real.is_relative_to(real_source):
                    raise BackendError(f"output {path} is a link leading outside {source}")
                if not stat.S_ISREG(real.lstat().st_mode):
                    _log.warning("output_not_a_file", path=str(path), attempt_id=handle.attempt_id)
                    continue
                relative = Path("output") / path.relative_to(source)
                if copy:
                    (dest / relative).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(real, dest / relative)
                artifacts.append(
                    Artifact(
                        path=relative.as_posix(), size=real.stat().st_size, sha256=_sha256(real)
                    )
                )
            if copy:
                dest.mkdir(parents=True, exist_ok=True)
                for log_name in ("stdout.log", "stderr.log"):
                    if (attempt_dir / log_name).exists():
                        shutil.copyfile(attempt_dir / log_name, dest / log_name)
        except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop (Python < 3.13)
            raise BackendError(f"cannot collect outputs of {handle.attempt_id}: {exc}") from exc
        return artifacts

    def find(self, attempt_id: str) -> JobHandle | None:
        """
        Return the handle of an attempt launched earlier (its ``launch`` marker exists under
        ``runs_dir/*/attempt_id``), or ``None``.

        Raises:
            BackendError: an unsafe id, or the id appears under two runs.
        """
        validate_id("attempt id", attempt_id)
        found = sorted(self.runs_dir.glob(f"*/{attempt_id}/launch"))
        if not found:
            return None
        if len(found) > 1:
            runs = ", ".join(p.parent.parent.name for p in found)
            raise BackendError(f"attempt {attempt_id} exists under several runs: {runs}")
        return self._handle_from_disk(found[0].parent.parent.name, attempt_id=attempt_id)

    def release(self) -> None:
        """
        Forget reaper threads whose processes ended. Running attempts are left running: they
        are detached on purpose. Idempotent.
        """
        self._reapers = [thread for thread in self._reapers if thread.is_alive()]

    # ----------------------------------------------------------------------------------------
    # Internals
    # ----------------------------------------------------------------------------------------

    def _attempt_dir(self, run_id: str, attempt_id: str) -> Path:
        """
        Return ``runs_dir/run_id/attempt_id`` after checking both ids are safe names.
        """
        return self.runs_dir / validate_id("run id", run_id) / validate_id("attempt id", attempt_id)

    def _dir_of(self, handle: JobHandle) -> Path:
        """
        Return the attempt directory a handle names, refusing handles of other backends.
        """
        if handle.backend != self.name:
            raise JobNotFound(f"handle of backend {handle.backend!r} given to the local backend")
        run_id = handle.locator.get("run_id", "")
        attempt_dir = self._attempt_dir(run_id, handle.attempt_id)
        if not (attempt_dir / "launch").exists():
            raise JobNotFound(f"no attempt {handle.attempt_id} of run {run_id} in {self.runs_dir}")
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

    def _handle(self, run_id: str, attempt_id: str, pid: str, start: str) -> JobHandle:
        """
        Build a handle; the locator holds strings only so it round-trips through events.
        """
        locator = {"run_id": run_id, "dir": str(self._attempt_dir(run_id, attempt_id))}
        if pid:
            locator |= {"pid": pid, "start": start}
        return JobHandle(backend=self.name, attempt_id=attempt_id, locator=locator)

    def _handle_from_disk(self, run_id: str, *, attempt_id: str) -> JobHandle:
        """
        Build the handle of an already launched attempt from its directory.
        """
        ident = self._ident(self._attempt_dir(run_id, attempt_id))
        pid, start = (str(ident[0]), ident[1]) if ident else ("", "")
        return self._handle(run_id, attempt_id, pid, start)

    @staticmethod
    def _ident(attempt_dir: Path) -> tuple[int, str] | None:
        """
        Return the recorded (pid, start ticks) of the wrapper, or ``None`` before it is known.
        """
        try:
            pid = int((attempt_dir / "pid").read_text(encoding="ascii").strip())
            start = (attempt_dir / "pid.start").read_text(encoding="ascii").strip()
        except (FileNotFoundError, ValueError):
            return None
        return pid, start

    def _finished_state(self, attempt_dir: Path, tail: str) -> JobState | None:
        """
        Return the final state when ``exit_code`` exists, else ``None``.
        """
        try:
            text = (attempt_dir / "exit_code").read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        try:
            code = int(text)
        except ValueError as exc:
            raise BackendError(f"{attempt_dir / 'exit_code'} holds {text!r}, not a code") from exc
        if (attempt_dir / "timed_out").exists():
            status, detail = JobStatus.TIMED_OUT, "stopped at its timeout"
        elif (attempt_dir / "cancelled").exists():
            status, detail = JobStatus.CANCELLED, "stopped by cancel"
        elif code == 0:
            status, detail = JobStatus.SUCCEEDED, ""
        else:
            status, detail = JobStatus.FAILED, _describe_exit(code)
        return JobState(status=status, exit_code=code, detail=detail, log_tail=tail)

    @staticmethod
    def _log_tail(attempt_dir: Path) -> str:
        """
        Return the last few KiB of stdout followed by the last few KiB of stderr.
        """
        out = _tail(attempt_dir / "stdout.log", _TAIL_BYTES)
        err = _tail(attempt_dir / "stderr.log", _TAIL_BYTES)
        return out + ("\n" if out and not out.endswith("\n") else "") + err

    def _ended(self, handle: JobHandle) -> bool:
        """
        True when the attempt recorded an exit code or has no live process left.
        """
        if self._running_child(handle.attempt_id):
            return False
        try:
            attempt_dir = self._dir_of(handle)
        except BackendError:
            return True
        if (attempt_dir / "exit_code").exists():
            return True
        ident = self._ident(attempt_dir)
        return ident is not None and not procfs.group_alive(*ident)

    def _running_child(self, attempt_id: str) -> bool:
        """
        True when ``attempt_id`` was launched by this object and its wrapper has not exited:
        the wrapper outlives the command, so the attempt is certainly still running.
        """
        return attempt_id in self._children and attempt_id not in self._exited

    def _watch(self, attempt_id: str, pid: int) -> None:
        """
        Reap our child ``pid`` in a daemon thread and wake waiters the moment it exits.
        """

        def reap() -> None:
            os.waitpid(pid, 0)
            with self._changed:
                self._exited.add(attempt_id)
                self._generation += 1
                self._changed.notify_all()

        self._children[attempt_id] = pid
        thread = threading.Thread(target=reap, name=f"bridge-reap-{attempt_id}", daemon=True)
        thread.start()
        self._reapers.append(thread)

    def _signal_group(self, pgid: int, signum: signal.Signals) -> None:
        """
        Send ``signum`` to process group ``pgid``; a group that is already gone is fine.
        """
        try:
            os.killpg(pgid, signum)
        except ProcessLookupError:
            pass
        except PermissionError as exc:
            raise BackendError(f"not allowed to signal process group {pgid}: {exc}") from exc
        except OSError as exc:  # pragma: no cover - other errnos do not occur for killpg
            if exc.errno != errno.ESRCH:
                raise BackendError(f"cannot signal process group {pgid}: {exc}") from exc

    def _await_group_end(self, pgid: int, start: str, seconds: float) -> bool:
        """
        Wait up to ``seconds`` for the group to have no live member; True when it has none.
        """
        deadline = time.monotonic() + seconds
        while procfs.group_alive(pgid, start):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            # Our own wrapper's exit notifies the condition; grandchildren are rechecked often.
            with self._changed:
                self._changed.wait(min(remaining, 0.05))
        return True
