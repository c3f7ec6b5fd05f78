"""
The SSH backend: runs attempts on the researcher's own servers over SSH (fabric).

Each attempt runs detached on the remote host (own session, stdio redirected) in
``<remote_dir>/<place.path>/`` (the path the pipeline names: ``.bridge/runs/<run_id>/<attempt_id>``,
as in the local project), so it survives the connection, the
bridge process and the laptop going away. Its state is read from markers in that directory:
finished ⇔ ``exit_code`` exists; alive ⇔ the wrapper process exists, is not a zombie and names
the directory in its command line. See ``docs/backends/ssh.md``.
"""

from __future__ import annotations

import os
import posixpath
import time
from collections.abc import Sequence
from pathlib import Path

import attrs

from bridge.adapters import retry
from bridge.adapters.backends.ssh import remote
from bridge.adapters.backends.ssh.config import HostConfig, SSHConfig
from bridge.adapters.backends.ssh.link import (
    Connector,
    HostUnreachable,
    Links,
    default_connector,
)
from bridge.adapters.backends.ssh.transfer import (
    collect_artifacts,
    git_checkout_script,
    local_commit,
    rsync_fetch,
    rsync_push,
    sftp_fetch,
)
from bridge.errors import BackendError, BackendUnavailable, JobNotFound
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

__all__ = ["HostConfig", "SSHBackend", "SSHConfig"]

_POLL_INTERVAL = 0.5
_FETCH_TRIES = 3
# An attempt directory without a pid this young is still being launched, not lost.
_LAUNCH_WINDOW_SECONDS = 30


#: Where attempts' scratch directories live on a host (``{scratch_dir}``). The job refuses a
#: project folder there that is not its user's own directory (see ``remote.job_script``).
SCRATCH_ROOT = "/tmp/bridge-scratch"  # noqa: S108


class SSHBackend:
    """
    Runs attempts on one or more SSH hosts.

    Args:
        config: the ``[backends.ssh]`` settings.
        project_root: the local project, synced to ``remote_dir`` before the first launch on a
            host (``code_sync = "rsync"``) or whose HEAD the remote checks out (``"git"``).
        connect: makes an unopened ``fabric.Connection`` for a host; the default honours the
            settings (key, SSH config, timeouts). The backend applies the host-key policy to
            whatever this returns.

    Not thread-safe beyond one call at a time per host (calls are serialised internally).
    """

    name = "ssh"

    def __init__(
        self,
        config: SSHConfig,
        project_root: Path,
        *,
        connect: Connector | None = None,
    ) -> None:
        self.config = config
        self.project_root = Path(project_root)
        self._links = Links(config, connect or default_connector(config))
        self._synced: dict[str, str] = {}  # host name → commit ("" for rsync)
        self._last: dict[str, JobState] = {}

    # ---------------------------------------------------------------- preflight

    def preflight(self) -> Sequence[Slot]:
        """
        Connect to every host, make sure ``remote_dir`` is usable, run ``setup``, and return the
        free GPU slots (``nvidia-smi``; memory use under 500 MiB counts as free), or
        ``max_parallel`` CPU slots (default 1) on a host without GPUs.

        Raises:
            BackendUnavailable: a host cannot be reached, refuses the key or host key, its
                ``setup`` fails, ``remote_dir`` is not writable, or ``nvidia-smi`` fails.
        """
        slots: list[Slot] = []
        for host in self.config.hosts:
            slots.extend(self._host_slots(host))
        return tuple(slots)

    def _host_slots(self, host: HostConfig) -> list[Slot]:
        script = remote.probe_script(remote_dir=self.config.remote_dir, setup=self.config.setup)
        out = self._run_or_unavailable(host, script)
        where = f"ssh host {host.name} ({host.address()})"
        if remote.PROBE_SETUP_FAILED in out:
            code = out.split(remote.PROBE_SETUP_FAILED, 1)[1].strip()
            raise BackendUnavailable(
                f"{where}: the setup line (backends.ssh.setup) failed with exit code {code}"
            )
        if remote.PROBE_REMOTE_DIR in out:
            raise BackendUnavailable(
                f"{where}: backends.ssh.remote_dir {self.config.remote_dir!r} cannot be "
                "created or is not writable"
            )
        if remote.PROBE_SMI_FAILED in out:
            raise BackendUnavailable(f"{where}: nvidia-smi failed: {out.strip()[-300:]}")
        limit = host.max_parallel
        if remote.PROBE_GPUS in out:
            gpus = remote.parse_gpus(out.split(remote.PROBE_GPUS, 1)[1])
            known = {g.index for g in gpus}
            if host.gpus is not None and not set(host.gpus) <= known:
                raise BackendUnavailable(
                    f"{where}: {host.setting('gpus')} names GPUs "
                    f"{sorted(set(host.gpus) - known)} that nvidia-smi does not show "
                    f"(it shows {sorted(known)})"
                )
            free = [g.index for g in gpus if g.is_free()]
            if host.gpus is not None:
                free = [i for i in free if i in host.gpus]
            if gpus:
                return [Slot(host=host.name, gpu=i) for i in free[:limit]]
        if host.gpus:
            # No nvidia-smi to check against: trust the configuration.
            return [Slot(host=host.name, gpu=i) for i in host.gpus[:limit]]
        return [Slot(host=host.name, gpu=None) for _ in range(limit or 1)]

    # ---------------------------------------------------------------- launch

    def attempt_dir(self, place: AttemptPlace) -> str:
        """
        Return ``<remote_dir>/<place.path>``, the attempt's directory on every host. Pure.
        """
        return posixpath.join(self.config.remote_dir, place.path)

    def output_dir(self, place: AttemptPlace) -> str:
        """
        Return ``<remote_dir>/<place.path>/output`` (the same on every host). Pure.
        """
        return posixpath.join(self.attempt_dir(place), "output")

    def scratch_dir(self, place: AttemptPlace) -> str:
        """
        Return the attempt's scratch directory on its host: under ``/tmp`` there
        (``/tmp/bridge-scratch-<project tag>/<run>/<attempt>``), outside ``remote_dir`` and so
        outside the project's checkout. The job creates it, private to the user, before its
        command starts (the host is chosen only at launch).

        Raises:
            BackendError: an id that cannot name a directory.
        """
        return remote.scratch_path(
            SCRATCH_ROOT, self.config.remote_dir, place.run_id, place.attempt_id
        )

    def remove_scratch(self, place: AttemptPlace) -> None:
        """
        Delete the attempt's scratch directory on every host that may hold it (a few ``rm``
        calls: only the host the attempt ran on has it), and its run's and project's folders
        when left empty.

        Raises:
            BackendError: a host cannot be reached or the directory cannot be removed.
        """
        script = remote.remove_scratch_script(self.scratch_dir(place))
        for host in self.config.hosts:
            out = self._run_or_unavailable(host, script).strip()
            if out:
                raise BackendError(f"ssh host {host.name}: {out[-300:]}")

    def submit(self, spec: JobSpec) -> JobHandle:
        """
        Sync the code to the host of ``spec.slots`` (once per host and backend object), then
        launch the attempt detached and return at once.

        Idempotent: when the attempt directory already exists on the host, its handle is
        returned and nothing is launched. ``CUDA_VISIBLE_DEVICES`` is set from the slots (empty
        for CPU slots). ``spec.timeout_seconds`` is enforced on the remote with ``timeout``.

        Raises:
            BackendUnavailable: the host cannot be reached or refuses us.
            BackendError: the slots name an unknown host or several hosts, the code sync
                failed, or the command or environment cannot be expressed safely.
        """
        host = self._host_of_slots(spec.slots)
        attempt = self.attempt_dir(spec.place)
        commit = self._sync_code(host)
        # A value "${NAME}" is bridge's NAME: it reaches the job through the launch script's
        # standard input, never through job.sh or a command line on the host.
        env, handed = split_env(spec.env, os.environ)
        if spec.slots:
            env["CUDA_VISIBLE_DEVICES"] = ",".join(
                str(s.gpu) for s in spec.slots if s.gpu is not None
            )
        job = remote.job_script(
            attempt=attempt,
            workdir=posixpath.normpath(posixpath.join(self.config.remote_dir, spec.cwd)),
            setup=self.config.setup,
            argv=spec.argv,
            env=env,
            timeout_seconds=spec.timeout_seconds,
            kill_grace_seconds=self.config.cancel_grace_seconds,
            scratch=self._scratch_of(spec),
        )
        out = self._run_or_unavailable(
            host,
            remote.launch_script(attempt=attempt, job=job, handed=bool(handed)),
            stdin=remote.handed_exports(handed) if handed else None,
        )
        words = out.split()
        if not words or words[0] not in ("launched", "existing"):
            raise BackendError(
                f"ssh host {host.name}: the launch of {spec.attempt_id} gave no pid: {out[-300:]!r}"
            )
        locator = {
            "host": host.name,
            "attempt_dir": attempt,
            "run_id": spec.run_id,
            "pid": words[1] if len(words) > 1 else "",
        }
        if commit:
            locator["commit"] = commit
        return JobHandle(backend=self.name, attempt_id=spec.attempt_id, locator=locator)

    def _scratch_of(self, spec: JobSpec) -> str:
        # The job creates its scratch directory only when its command was given one.
        path = self.scratch_dir(spec.place)
        return path if any(path in token for token in spec.argv) else ""

    def _host_of_slots(self, slots: Sequence[Slot]) -> HostConfig:
        names = {s.host for s in slots}
        if not names:
            return self.config.hosts[0]
        if len(names) > 1:
            raise BackendError(f"one attempt's slots span several hosts: {sorted(names)}")
        (name,) = names
        try:
            return self.config.host(name)
        except KeyError:
            raise BackendError(f"slot host {name!r} is not a configured ssh host") from None

    def _sync_code(self, host: HostConfig) -> str:
        if host.name in self._synced:
            return self._synced[host.name]
        if self.config.code_sync == "git":
            commit = local_commit(self.project_root)
            out = self._run_or_unavailable(
                host, git_checkout_script(self.config.remote_dir, commit), timeout=600
            )
            if out.strip() != "ok":
                raise BackendError(
                    f'ssh host {host.name}: code_sync = "git" could not check out {commit} in '
                    f"{self.config.remote_dir}: {out.strip()}"
                )
        else:
            commit = ""
            rsync_push(self.config, host, self.project_root)
        self._synced[host.name] = commit
        return commit

    # ---------------------------------------------------------------- status

    def poll(self, handle: JobHandle) -> JobState:
        """
        Read the attempt's markers on its host.

        A dropped connection is reopened and the check repeated. While the host cannot be
        reached the last known state is returned (``RUNNING`` if none) with the reason in
        ``detail``; past ``lost_grace_seconds`` of unreachability the state is ``LOST``.

        Raises:
            JobNotFound: the handle names a host that is not configured.
            BackendUnavailable: the host refuses the key or host key.
        """
        host, attempt = self._locate(handle)
        try:
            out = self._links.run(host, remote.status_script(attempt))
        except HostUnreachable as exc:
            down = self._links.mark_down(host)
            if down >= self.config.lost_grace_seconds:
                return JobState(
                    status=JobStatus.LOST,
                    detail=(
                        f"host unreachable for {down:.0f} s, longer than "
                        f"backends.ssh.lost_grace_seconds = {self.config.lost_grace_seconds:g}: "
                        f"{exc.reason}"
                    ),
                )
            last = self._last.get(handle.attempt_id, JobState(status=JobStatus.RUNNING))
            return JobState(
                status=last.status,
                exit_code=last.exit_code,
                log_tail=last.log_tail,
                detail=f"host unreachable for {down:.0f} s, will retry: {exc.reason}",
            )
        state = _state_of(remote.parse_status(out))
        self._last[handle.attempt_id] = state
        return state

    def wait(self, handles: Sequence[JobHandle], timeout: float) -> None:
        """
        Return when one of ``handles`` finished or lost its process, or after ``timeout``
        seconds; checks each host about every half second. Unreachable hosts are skipped
        (``poll`` reports them).
        """
        deadline = time.monotonic() + max(0.0, timeout)
        by_host: dict[str, list[tuple[str, str]]] = {}
        for handle in handles:
            host, attempt = self._locate(handle)
            by_host.setdefault(host.name, []).append((attempt, handle.locator.get("pid", "")))
        while True:
            for name, attempts in by_host.items():
                try:
                    out = self._links.run(self.config.host(name), remote.changed_script(attempts))
                except HostUnreachable:
                    continue
                if "changed" in out:
                    return
            left = deadline - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(_POLL_INTERVAL, left))

    def find(self, place: AttemptPlace) -> JobHandle | None:
        """
        Look for ``<remote_dir>/<place.path>`` on every host and return the handle of the
        attempt found there, or ``None`` when no host has it.

        Raises:
            BackendUnavailable: no host has it but some host could not be asked (answering
                ``None`` then could launch the attempt twice).
        """
        attempt_id = place.attempt_id
        script = remote.find_script(self.attempt_dir(place))
        unreachable: list[str] = []
        for host in self.config.hosts:
            try:
                out = self._links.run(host, script)
            except HostUnreachable as exc:
                unreachable.append(exc.reason)
                continue
            for line in out.splitlines():
                path, _, pid = line.partition("\t")
                if not path:
                    continue
                return JobHandle(
                    backend=self.name,
                    attempt_id=attempt_id,
                    locator={
                        "host": host.name,
                        "attempt_dir": path,
                        "run_id": place.run_id,
                        "pid": pid.strip(),
                    },
                )
        if unreachable:
            raise BackendUnavailable(
                f"cannot tell whether attempt {attempt_id} was launched: " + "; ".join(unreachable)
            )
        return None

    # ---------------------------------------------------------------- cancel, results

    def cancel(self, handle: JobHandle) -> None:
        """
        Write the ``cancelled`` marker, TERM the attempt's process group and session, and KILL
        what is left after ``cancel_grace_seconds``. Does nothing to a finished attempt.
        Idempotent.

        Raises:
            BackendUnavailable: the host cannot be reached.
        """
        host, attempt = self._locate(handle)
        grace = self.config.cancel_grace_seconds
        self._run_or_unavailable(
            host,
            remote.cancel_script(attempt, grace_seconds=grace),
            timeout=grace + self.config.connect_timeout * 3,
        )

    def fetch_artifacts(self, handle: JobHandle, dest: Path) -> Sequence[Artifact]:
        """
        Copy ``output/``, ``stdout.log``, ``stderr.log`` and ``exit_code`` of the attempt into
        ``dest`` with rsync (SFTP when rsync fails or is missing), retried.

        Returns:
            The copied files with size and sha256, paths relative to ``dest``.

        Raises:
            BackendError: every try failed; the message holds each failure.
        """
        host, attempt = self._locate(handle)
        failures: list[str] = []
        try:
            for tried in retry.attempts(tries=_FETCH_TRIES, first_wait=0.5, max_wait=4.0):
                with tried:
                    try:
                        rsync_fetch(self.config, host, attempt, dest)
                    except BackendError as exc:
                        failures.append(f"rsync: {exc}")
                        raise retry.Transient(str(exc)) from None
                    return collect_artifacts(dest)
        except retry.Transient:
            pass  # rsync failed every try: SFTP next
        try:
            sftp_fetch(self._links.connection(host), attempt, dest)
            return collect_artifacts(dest)
        except (OSError, EOFError, HostUnreachable, BackendUnavailable) as exc:
            self._links.drop(host)
            failures.append(f"sftp: {type(exc).__name__}: {exc}")
        raise BackendError(
            f"could not copy the results of {handle.attempt_id} from ssh host {host.name} "
            f"({attempt}) to {dest}: " + " | ".join(failures)
        )

    def release(self) -> None:
        """
        Close every connection; remote runs go on. Idempotent.
        """
        self._links.close()

    # ---------------------------------------------------------------- internals

    def _locate(self, handle: JobHandle) -> tuple[HostConfig, str]:
        name = handle.locator.get("host", "")
        attempt = handle.locator.get("attempt_dir", "")
        try:
            host = self.config.host(name)
        except KeyError:
            raise JobNotFound(
                f"attempt {handle.attempt_id} ran on ssh host {name!r}, which is no longer "
                "configured in backends.ssh.hosts"
            ) from None
        if not attempt:
            raise JobNotFound(f"handle of attempt {handle.attempt_id} names no remote directory")
        return host, attempt

    def _run_or_unavailable(
        self,
        host: HostConfig,
        script: str,
        *,
        timeout: float | None = None,
        stdin: str | None = None,
    ) -> str:
        try:
            return self._links.run(host, script, timeout=timeout, stdin=stdin)
        except HostUnreachable as exc:
            raise BackendUnavailable(exc.reason) from exc


def _state_of(s: remote.RemoteStatus) -> JobState:
    """
    Map the remote markers to a ``JobState`` (the one table of this backend's states), with
    the GPU memory the job's sampler recorded.
    """
    state = _status_of(s)
    return attrs.evolve(
        state,
        gpu_memory_peak_mib=s.gpu.peak_mib,
        gpu_memory_total_mib=s.gpu.total_mib,
        gpu_memory_unmeasured=s.gpu.unmeasured,
    )


def _status_of(s: remote.RemoteStatus) -> JobState:
    tail = s.log_tail
    if not s.present:
        return JobState(status=JobStatus.LOST, detail="the remote attempt directory is gone")
    if s.alive:
        return JobState(status=JobStatus.RUNNING, log_tail=tail)
    if s.cancelled:
        return JobState(status=JobStatus.CANCELLED, exit_code=s.exit_code, log_tail=tail)
    if s.exit_code is not None:
        if s.timed_out:
            status = JobStatus.TIMED_OUT
        else:
            status = JobStatus.SUCCEEDED if s.exit_code == 0 else JobStatus.FAILED
        return JobState(status=status, exit_code=s.exit_code, log_tail=tail)
    if not s.pid and s.age_seconds < _LAUNCH_WINDOW_SECONDS:
        return JobState(status=JobStatus.QUEUED, detail="launching", log_tail=tail)
    return JobState(
        status=JobStatus.LOST,
        detail=(
            "the remote process is gone and left no exit code (killed, or the host rebooted)"
            if s.pid
            else "the launch was cut off before the process started"
        ),
        log_tail=tail,
    )
