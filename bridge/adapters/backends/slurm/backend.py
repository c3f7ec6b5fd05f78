"""
The Slurm backend: each attempt is one batch job in the cluster's real queue.

The job is named after the attempt (``bridge.<attempt id>.<tag of the runs directory>``) and
its batch script writes its own markers into the attempt directory on the shared filesystem
(``started``, ``exit_code``, ``timed_out``), as the local and SSH wrappers do. A submit asks
Slurm and the directory first, so a restarted bridge finds the job it submitted before it
crashed and never submits twice. One ``squeue`` call per poll round covers every job. Without
``backends.slurm.host``, Slurm's commands run here (bridge is on the login node); with it, on the
login node over SSH. See ``docs/backends/slurm.md``.
"""

from __future__ import annotations

import os
import posixpath
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from bridge.adapters.backends.outputs import collect_outputs
from bridge.adapters.backends.slurm import scripts
from bridge.adapters.backends.slurm.config import SlurmConfig
from bridge.adapters.backends.slurm.shell import LocalShell, Shell
from bridge.adapters.backends.ssh import remote
from bridge.errors import BackendConfigError, BackendError, BackendUnavailable, JobNotFound
from bridge.machine.ports import (
    Artifact,
    AttemptPlace,
    JobHandle,
    JobSpec,
    JobState,
    JobStatus,
    Slot,
)
from bridge.plan.handed_over import split_env

if TYPE_CHECKING:
    from bridge.adapters.backends.slurm.login import LoginShell

__all__ = ["SlurmBackend", "SlurmConfig", "SlurmJob"]

_KILL_GRACE_SECONDS = 10.0
_TERMINAL = frozenset(
    {
        JobStatus.SUCCEEDED,
        JobStatus.FAILED,
        JobStatus.TIMED_OUT,
        JobStatus.CANCELLED,
        JobStatus.LOST,
    }
)


@attrs.frozen(kw_only=True)
class SlurmJob:
    """
    One job of this project in Slurm's queue, as ``bridge gc`` lists it.
    """

    job_id: str
    name: str
    state: str
    attempt_id: str


class SlurmBackend:
    """
    Runs attempts as Slurm batch jobs.

    Args:
        config: the ``[backends.slurm]`` settings.
        project_root: the local project; the jobs' working directory without ``host``, the
            code copied to ``remote_dir`` with it.
        shell: where Slurm's commands run; by default this machine, or the login node when
            ``config.host`` is set.
        withheld_env: variables of bridge's environment kept from ``sbatch`` and so from the
            jobs (the ones bridge reads its own credentials from); a run's ``env`` value
            ``${NAME}`` hands one over, through sbatch's environment, never written to disk.
    """

    name = "slurm"

    def __init__(
        self,
        config: SlurmConfig,
        project_root: Path,
        *,
        shell: Shell | None = None,
        withheld_env: frozenset[str] = frozenset(),
    ) -> None:
        self.config = config
        self.project_root = Path(project_root).resolve()
        self.directory = config.directory(self.project_root)
        self._login: LoginShell | None = None
        if shell is None and config.ssh is not None:
            from bridge.adapters.backends.slurm.login import LoginShell

            self._login = LoginShell(config.ssh)
            shell = self._login
        self.shell: Shell = shell or LocalShell(withheld_env)
        self._workdir = config.remote_dir if config.ssh is not None else str(self.project_root)
        self._pushed = False
        self._watch: dict[str, JobHandle] = {}  # attempt id → handle of every live job asked about
        self._snapshot: scripts.Snapshot | None = None
        self._taken = 0.0  # time.monotonic() of the snapshot
        self._final: dict[str, JobState] = {}  # terminal answers, which never change
        self._told: dict[str, JobStatus] = {}  # the last status poll() answered
        self.squeue_calls = 0

    # ---------------------------------------------------------------- preflight

    def preflight(self) -> Sequence[Slot]:
        """
        Check that Slurm's commands are on PATH where they run, the shared directory is
        writable, the partition exists, and ``sbatch --test-only`` accepts the settings; return
        ``gpus`` GPU slots (how many GPUs bridge's queued jobs may ask for at once). CPU runs
        are limited by ``max_parallel`` alone; Slurm places every job.

        Raises:
            BackendConfigError: a missing command, an unknown partition, or settings sbatch
                rejects (exit code 2, with Slurm's message).
            BackendUnavailable: the login node cannot be reached.
        """
        test = ["sbatch", "--test-only", *self._resources(0, None), *self.config.sbatch_args]
        test.append("--wrap=true")
        out = self.shell.run(
            scripts.preflight_script(
                directory=self.directory, partition=self.config.partition, test_argv=test
            )
        )
        where = self.shell.where
        if "@@missing" in out:
            names = out.split("@@missing", 1)[1].split("\n", 1)[0].split()
            raise BackendConfigError(
                f'backend = "slurm": {", ".join(names)} not found on PATH on {where}; '
                + (
                    "bridge must run on a login node with Slurm's commands, or set "
                    "backends.slurm.host to submit through one"
                    if self.config.ssh is None
                    else "is backends.slurm.host a login node of the cluster?"
                )
            )
        if "@@dir" in out:
            raise BackendConfigError(
                f"the directory {self.directory} cannot be created or is not writable on "
                f"{where} (backends.slurm.remote_dir)"
            )
        if "@@partition" in out:
            known = out.split("@@partition", 1)[1].split("\n", 1)[0].split()
            raise BackendConfigError(
                f"backends.slurm.partition = {self.config.partition!r}: Slurm has no such "
                f"partition (sinfo -p on {where}); partitions: {', '.join(known) or 'none'}"
            )
        if "@@rejected" in out:
            message = out.split("@@rejected", 1)[1].strip()
            raise BackendConfigError(
                f"Slurm rejected the job settings of [backends.slurm] (sbatch --test-only on "
                f"{where}): {message[-600:]}"
            )
        if "@@ok" not in out:
            raise BackendUnavailable(f"unexpected answer from the Slurm check on {where}: {out!r}")
        return tuple(Slot(host="slurm", gpu=i) for i in range(self.config.gpus))

    # ---------------------------------------------------------------- launch

    def _attempt_dir(self, place: AttemptPlace) -> str:
        return posixpath.join(self.directory, place.path)

    def output_dir(self, place: AttemptPlace) -> str:
        """
        Return ``<dir>/<place.path>/output``, ``<dir>`` being ``remote_dir`` or the project.
        Pure.
        """
        return posixpath.join(self._attempt_dir(place), "output")

    def scratch_dir(self, place: AttemptPlace) -> str:
        """
        Return the attempt's scratch directory, ``<dir>/<place.scratch_path>`` on the shared
        filesystem (in bridge's own folder, never synced or committed with the code): a compute
        node's ``/tmp`` could not be cleaned from here after collection. The job creates it,
        private to the user, before its command starts. Pure.
        """
        return posixpath.join(self.directory, place.scratch_path)

    def remove_scratch(self, place: AttemptPlace) -> None:
        """
        Delete the attempt's scratch directory and all in it (and its run's and the scratch
        folder once empty); nothing when it is already gone.

        Raises:
            BackendError: it cannot be removed, or the login node cannot be reached.
        """
        out = self.shell.run(remote.remove_scratch_script(self.scratch_dir(place)))
        if out.strip():
            raise BackendError(f"slurm: {out.strip()[-300:]}")

    def submit(self, spec: JobSpec) -> JobHandle:
        """
        Submit the attempt as one batch job and return at once.

        Idempotent: when Slurm knows a job of this attempt's name, or the attempt directory
        holds its job id, that job's handle is returned and nothing is submitted. The GPUs
        asked for are the number of GPU slots (``--gres=gpu:N`` or ``--gpus=N``); Slurm sets
        ``CUDA_VISIBLE_DEVICES``. ``spec.timeout_seconds`` is enforced in the job (exit code
        and ``timed_out`` written) with Slurm's ``--time`` as a backstop.

        Raises:
            BackendError: sbatch rejected the job (its message), an unsafe id or environment
                name, or the code could not be copied to the login node.
            BackendUnavailable: Slurm or the login node cannot be reached.
        """
        attempt = self._attempt_dir(spec.place)
        name = scripts.job_name(self.directory, spec.attempt_id)
        if self._login is not None and not self._pushed:
            self._login.push(self.project_root)
            self._pushed = True
        literal, handed = split_env(spec.env, os.environ)
        scratch = self.scratch_dir(spec.place)
        job = scripts.batch_script(
            attempt=attempt,
            workdir=posixpath.normpath(posixpath.join(self._workdir, spec.cwd)),
            modules=self.config.modules,
            setup=self.config.setup,
            argv=spec.argv,
            env=literal,
            timeout_seconds=spec.timeout_seconds,
            kill_grace_seconds=_KILL_GRACE_SECONDS,
            scratch=scratch if any(scratch in token for token in spec.argv) else "",
        )
        gpus = sum(1 for s in spec.slots if s.gpu is not None)
        argv = scripts.sbatch_argv(
            attempt=attempt,
            name=name,
            resources=self._resources(gpus, spec.timeout_seconds),
            extra=self.config.sbatch_args,
        )
        out = self.shell.run(
            scripts.submit_script(attempt=attempt, name=name, job=job, argv=argv), env=handed
        )
        head, _, rest = out.strip().partition("\n")
        word, _, job_id = head.partition(" ")
        if word == "@@rejected":
            raise BackendError(f"sbatch rejected {spec.attempt_id}: {rest.strip()[-600:]}")
        if word == "@@error":
            raise BackendUnavailable(
                f"cannot submit {spec.attempt_id} on {self.shell.where}: {rest.strip()[-300:]}"
            )
        if word not in ("@@submitted", "@@existing") or not job_id.strip():
            raise BackendError(f"sbatch gave no job id for {spec.attempt_id}: {out[-300:]!r}")
        return self._handle(spec.attempt_id, spec.run_id, attempt, job_id.strip(), name)

    def _resources(self, gpus: int, timeout_seconds: float | None) -> list[str]:
        return scripts.resource_args(
            partition=self.config.partition,
            account=self.config.account,
            qos=self.config.qos,
            gpus=gpus,
            gpu_flag=self.config.gpu_flag,
            cpus_per_task=self.config.cpus_per_task,
            mem=self.config.mem,
            timeout_seconds=timeout_seconds,
            kill_grace_seconds=_KILL_GRACE_SECONDS,
        )

    def _handle(
        self, attempt_id: str, run_id: str, attempt: str, job_id: str, name: str
    ) -> JobHandle:
        handle = JobHandle(
            backend=self.name,
            attempt_id=attempt_id,
            locator={"job_id": job_id, "attempt_dir": attempt, "run_id": run_id, "name": name},
        )
        self._watch[attempt_id] = handle
        return handle

    # ---------------------------------------------------------------- status

    def poll(self, handle: JobHandle) -> JobState:
        """
        Return the attempt's state from the round's ``squeue`` snapshot and its markers (one
        ``squeue`` for every watched job, at most once per ``poll_seconds``).

        While Slurm cannot be asked the last state is returned (``RUNNING`` if none) with the
        reason in ``detail``: Slurm keeps its jobs when the controller or the login node is
        briefly away.

        Raises:
            JobNotFound: the handle names no job id or attempt directory.
        """
        attempt, _ = self._locate(handle)
        final = self._final.get(handle.attempt_id)
        if final is not None:
            return final
        self._watch.setdefault(handle.attempt_id, handle)
        snap = self._snapshot
        fresh = snap is not None and time.monotonic() - self._taken < self.config.poll_seconds
        if not fresh or snap is None or attempt not in snap.markers:
            snap = self._refresh()
        if snap.queue is None:
            status = self._told.get(handle.attempt_id, JobStatus.RUNNING)
            return JobState(status=status, detail=f"Slurm cannot be asked now: {snap.error}")
        entry = snap.queue.get(handle.locator.get("name", ""))
        if entry is not None and entry.job_id != handle.locator["job_id"]:
            entry = None  # an older job of the same name; this handle's job is gone
        markers = snap.markers.get(attempt, scripts.Markers(present=False))
        state = scripts.state_of(entry, markers)
        if state.status in _TERMINAL:
            tail = self._tail(attempt)
            state = scripts.state_of(entry, markers, tail)
            self._final[handle.attempt_id] = state
            self._watch.pop(handle.attempt_id, None)
        self._told[handle.attempt_id] = state.status
        return state

    def _refresh(self) -> scripts.Snapshot:
        handles = list(self._watch.values())
        names = [h.locator.get("name", "") for h in handles if h.locator.get("name")]
        attempts = [h.locator["attempt_dir"] for h in handles if h.locator.get("attempt_dir")]
        try:
            out = self.shell.run(scripts.snapshot_script(names, attempts))
        except BackendUnavailable as exc:
            snap = scripts.Snapshot(queue=None, markers={}, error=str(exc))
        else:
            snap = scripts.parse_snapshot(out)
        self.squeue_calls += 1
        self._snapshot, self._taken = snap, time.monotonic()
        return snap

    def _tail(self, attempt: str) -> str:
        try:
            return self.shell.run(scripts.tail_script(attempt))
        except BackendUnavailable:
            return ""

    def wait(self, handles: Sequence[JobHandle], timeout: float) -> None:
        """
        Return when one of ``handles`` may have changed state, or after ``timeout`` seconds.
        Asks Slurm at most once per ``poll_seconds`` (one ``squeue`` for all jobs).
        """
        deadline = time.monotonic() + max(0.0, timeout)
        for handle in handles:
            if handle.attempt_id not in self._final:
                self._watch.setdefault(handle.attempt_id, handle)
        while True:
            age = time.monotonic() - self._taken
            if handles and age >= self.config.poll_seconds:
                self._refresh()
                if any(self._changed(h) for h in handles):
                    return
                age = 0.0
            left = deadline - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(self.config.poll_seconds - age, left))

    def _changed(self, handle: JobHandle) -> bool:
        if handle.attempt_id in self._final:
            return True
        told = self._told.get(handle.attempt_id)
        snap = self._snapshot
        if told is None or snap is None or snap.queue is None:
            return told is None
        attempt = handle.locator.get("attempt_dir", "")
        entry = snap.queue.get(handle.locator.get("name", ""))
        markers = snap.markers.get(attempt, scripts.Markers(present=False))
        return scripts.state_of(entry, markers).status is not told

    def find(self, place: AttemptPlace) -> JobHandle | None:
        """
        Return the handle of the attempt's job, found by its name in Slurm's queue or by the
        job id its directory ``<dir>/<place.path>`` holds; ``None`` when neither knows it (never
        submitted).

        Raises:
            BackendUnavailable: Slurm cannot be asked (answering ``None`` could submit twice).
        """
        attempt_id = place.attempt_id
        name = scripts.job_name(self.directory, attempt_id)
        out = self.shell.run(scripts.find_script(attempt=self._attempt_dir(place), name=name))
        if out.startswith("@@error"):
            raise BackendUnavailable(
                f"cannot tell whether attempt {attempt_id} was submitted: Slurm on "
                f"{self.shell.where} says {out.split(chr(10), 1)[-1].strip()[-300:]!r}"
            )
        queued = ""
        dirs: list[tuple[str, str]] = []
        for line in out.splitlines():
            if line.startswith("@@queue "):
                queued = line.split(" ", 1)[1].strip()
            elif line.startswith("@@dir "):
                path, _, job_id = line[len("@@dir ") :].partition("\t")
                dirs.append((path, job_id.strip()))
        for path, job_id in dirs:
            if queued or job_id:
                return self._handle(attempt_id, place.run_id, path, queued or job_id, name)
        return None

    # ---------------------------------------------------------------- cancel, results

    def cancel(self, handle: JobHandle) -> None:
        """
        Write the ``cancelled`` marker and ``scancel`` the job; nothing for a job that wrote
        its exit code. Idempotent.

        Raises:
            BackendUnavailable: Slurm or the login node cannot be reached.
        """
        attempt, job_id = self._locate(handle)
        self.shell.run(scripts.cancel_script(attempt=attempt, job_id=job_id))
        self._taken = 0.0  # the next poll asks Slurm again

    def fetch_artifacts(self, handle: JobHandle, dest: Path) -> Sequence[Artifact]:
        """
        Copy ``output/``, the logs and ``exit_code`` of the attempt into ``dest`` (nothing to
        copy when ``dest`` is the attempt directory itself) and describe the outputs.

        Raises:
            BackendError: the copy failed, or ``output/`` or an output is a link leading out
                (special files such as FIFOs are left out and logged, never opened).
        """
        attempt, _ = self._locate(handle)
        dest = Path(dest)
        if self._login is not None:
            return self._login.fetch(attempt, dest)
        return collect_outputs(
            Path(attempt), dest, handle.attempt_id, logs=("stdout.log", "stderr.log", "exit_code")
        )

    def release(self) -> None:
        """
        Close the login node's connection; queued and running jobs go on. Idempotent.
        """
        self.shell.close()

    # ---------------------------------------------------------------- gc

    def jobs(self) -> tuple[SlurmJob, ...]:
        """
        Every job of this project (by the tag in its name) that Slurm still lists.

        Raises:
            BackendUnavailable: Slurm cannot be asked.
        """
        out = self.shell.run(scripts.jobs_script(self.directory))
        if out.startswith("@@error"):
            raise BackendUnavailable(f"squeue failed on {self.shell.where}: {out[7:].strip()}")
        found = []
        for entry in scripts.parse_jobs(out).values():
            attempt_id = entry.name.split(".", 1)[1].rsplit(".", 1)[0] if "." in entry.name else ""
            found.append(
                SlurmJob(
                    job_id=entry.job_id, name=entry.name, state=entry.state, attempt_id=attempt_id
                )
            )
        return tuple(sorted(found, key=lambda j: scripts._job_number(j.job_id)))

    def orphans(self, *, live_attempt_ids: Sequence[str]) -> tuple[SlurmJob, ...]:
        """
        This project's waiting or running jobs whose attempt is not live in the log.
        """
        live = set(live_attempt_ids)
        active = scripts.WAITING | scripts.ACTIVE
        return tuple(j for j in self.jobs() if j.state in active and j.attempt_id not in live)

    def cancel_job(self, job_id: str) -> None:
        """
        ``scancel`` one job by id (``bridge gc --cancel``).
        """
        self.shell.run(f"scancel {remote.check_name(job_id, 'job id')} 2>&1; exit 0\n")

    # ---------------------------------------------------------------- internals

    def _locate(self, handle: JobHandle) -> tuple[str, str]:
        attempt = handle.locator.get("attempt_dir", "")
        job_id = handle.locator.get("job_id", "")
        if not attempt or not job_id:
            raise JobNotFound(
                f"handle of attempt {handle.attempt_id} names no Slurm job or attempt directory"
            )
        return attempt, job_id
