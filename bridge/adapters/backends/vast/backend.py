"""
The Vast.ai backend: rents GPU instances with the vastai SDK and runs attempts on them over SSH.

An instance is an SSH host. The backend finds or rents it, waits (bounded) until Vast says
``running``, computes the SSH endpoint itself (direct ``public_ipaddr`` + the port mapped to
``22/tcp`` first, the ``ssh_host:ssh_port`` proxy second), and then hands sync, launch, polling,
cancel and copy-back to an :class:`~bridge.adapters.backends.ssh.SSHBackend` pointed at that
endpoint. Every instance bridge rents is labelled ``bridge:<project>:<host>:<attempt id>``, which
is how a later process finds it again after a crash (no second rental) and how ``bridge gc``
finds instances the log no longer uses. See ``docs/backends/vast.md``.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import attrs

from bridge.adapters.backends.ssh import remote as ssh_remote
from bridge.adapters.backends.ssh.backend import SSHBackend
from bridge.adapters.backends.ssh.config import HostConfig, SSHConfig
from bridge.adapters.backends.ssh.link import Connector
from bridge.adapters.backends.vast.client import (
    DEAD,
    InstanceRow,
    Offer,
    VastApi,
    VastClient,
)
from bridge.adapters.backends.vast.config import VastConfig
from bridge.errors import BackendError, BackendUnavailable, JobNotFound
from bridge.events import types as ev
from bridge.logs import get_logger
from bridge.machine.ports import Artifact, JobHandle, JobSpec, JobState, JobStatus, Slot

__all__ = [
    "CostEstimate",
    "InstanceCost",
    "Orphan",
    "VastBackend",
    "VastConfig",
    "active_instance_ids",
    "project_label",
]

log = get_logger("bridge.vast")

_SSH_KEYS = ("host", "attempt_dir", "run_id", "pid", "commit")
_START_POLL = 5.0
_SSH_RETRY = 3.0
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def project_label(project_root: Path) -> str:
    """
    Return the label prefix of this project's instances: ``bridge:<dir name>-<path hash>:``.

    The hash of the resolved path keeps two projects with the same folder name apart.
    """
    root = Path(project_root).resolve()
    name = _UNSAFE.sub("_", root.name)[:24] or "project"
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:8]
    return f"bridge:{name}-{digest}:"


def active_instance_ids(handles: Iterable[JobHandle]) -> frozenset[int]:
    """
    Return the instance ids named by Vast handles (the log's live attempts).
    """
    ids = set()
    for handle in handles:
        value = handle.locator.get("instance_id", "")
        if handle.backend == "vast" and value.isdigit():
            ids.add(int(value))
    return frozenset(ids)


@attrs.frozen(kw_only=True)
class CostEstimate:
    """
    What a deployment is expected to cost, shown at the approval checkpoint.

    Attributes:
        dph: dollars per hour of one instance (the offer that would be rented, or the reused one).
        instances: how many instances at most.
        hours: the estimated hours (from the plan).
        dollars: ``dph × instances × hours``.
        offer: ``"offer 123 (2x RTX_4090)"`` or ``"instance 456"``.
        over_budget: the estimate exceeds ``max_total_cost``.
    """

    dph: float
    instances: int
    hours: float
    dollars: float
    offer: str
    over_budget: bool = False


@attrs.frozen(kw_only=True)
class InstanceCost:
    """
    One instance this backend used, with its accumulated cost (``dph × hours since start``).

    ``state`` is ``active``, ``destroyed``, ``kept`` (with the reason in ``note``) or ``gone``.
    """

    instance_id: int
    host: str
    label: str
    endpoint: str
    dph: float
    hours: float
    dollars: float
    state: str
    note: str = ""


@attrs.frozen(kw_only=True)
class Orphan:
    """
    An instance carrying this project's label that the log does not show as active.
    """

    instance_id: int
    label: str
    status: str
    dph: float
    hours: float
    dollars: float


@attrs.define
class _Rented:
    host: str
    row: InstanceRow
    ssh: SSHBackend
    ours: bool  # rented by bridge (labelled), not the configured instance_id
    checked_at: float
    gone: str = ""
    ended_at: float | None = None
    state: str = "active"
    note: str = ""
    used: bool = False  # this process submitted or copied back on it


@attrs.define
class _Attempt:
    instance_id: int
    settled: bool = False
    copy_failed: str = ""


class VastBackend:
    """
    Runs attempts on rented Vast.ai instances.

    Args:
        config: the ``[backends.vast]`` settings.
        project_root: the local project (synced to ``remote_dir`` on each instance).
        client: the SDK client (default ``vastai.VastAI`` made on first use).
        connect: the SSH connection factory handed to the SSH backend (tests pin keys).
        sleep: waits between status checks while an instance starts.
        clock: epoch seconds, for cost and status-check intervals.
    """

    name = "vast"

    def __init__(
        self,
        config: VastConfig,
        project_root: Path,
        *,
        client: VastClient | None = None,
        connect: Connector | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.project_root = Path(project_root)
        self.label_prefix = project_label(self.project_root)
        self.api = VastApi(config, client=client)
        self._connect = connect
        self._sleep = sleep
        self._clock = clock
        self._rented: dict[str, _Rented] = {}  # host → the instance serving it now
        self._seen: dict[int, _Rented] = {}  # every instance used, for cost and release
        self._attempts: dict[str, _Attempt] = {}
        self._offer: Offer | None = None
        self._on_rented: Callable[[ev.InstanceRented], None] | None = None

    def on_rented(self, hook: Callable[[ev.InstanceRented], None]) -> None:
        """
        Report every instance this backend rents or adopts to ``hook`` (with its ``vastai
        destroy instance N`` cleanup command and what it holds) before an attempt runs on it.
        """
        self._on_rented = hook

    def _report(self, instance_id: int, label: str, attempt_id: str) -> None:
        if self._on_rented is None:
            return
        self._on_rented(
            ev.InstanceRented(
                backend=self.name,
                instance_id=str(instance_id),
                attempt_id=attempt_id,
                cleanup=f"vastai destroy instance {instance_id}",
                label=label,
                image=self.config.image,
                mounts=(
                    f"the project's code copied to {self.config.remote_dir}",
                    f"container disk {self.config.disk_gb:g} GB",
                ),
            )
        )

    @property
    def hosts(self) -> tuple[str, ...]:
        """
        The host names slots and handles carry: ``vast-0`` … ``vast-<instances - 1>``.
        """
        return tuple(f"vast-{i}" for i in range(self.config.instances))

    # ---------------------------------------------------------------- preflight, cost

    def preflight(self) -> Sequence[Slot]:
        """
        Check the key and return the slots: the free GPUs of instances already rented (or
        reused, or found by this project's label), and for each host not rented yet the GPUs
        of the offer that would be rented. Nothing is rented here.

        Raises:
            BackendUnavailable: the key is missing or refused, the API cannot be reached, no
                offer matches ``query``/``max_dph``, or a rented instance's SSH does not answer.
            BackendError: the reused instance is not running.
        """
        slots: list[Slot] = []
        found = self._labelled_live() if self.config.instance_id is None else []
        for host in self.hosts:
            rented = self._rented.get(host)
            if rented is None and self.config.instance_id is not None:
                rented = self._bring_up(host, self.config.instance_id, ours=False)
            if rented is None:
                row = next((r for r in found if _host_of(r.label, self.label_prefix) == host), None)
                if row is not None:
                    rented = self._bring_up(host, row.id, ours=True)
            if rented is not None and not rented.gone:
                slots.extend(rented.ssh.preflight())
                continue
            offer = self._best_offer()
            slots.extend(Slot(host=host, gpu=i) for i in range(max(offer.num_gpus, 1)))
        return tuple(slots)

    def estimate(self, hours: float) -> CostEstimate:
        """
        Return the estimated cost of ``hours`` of every instance: the best offer's (or the
        reused instance's) dollars per hour × instances × hours.

        Raises:
            BackendUnavailable: as for :meth:`preflight`.
            BackendError: the reused instance does not exist.
        """
        if self.config.instance_id is not None:
            row = self.api.show(self.config.instance_id)
            if row is None:
                raise BackendError(
                    f"instance {self.config.instance_id} (backends.vast.instance_id) does not "
                    "exist in this Vast.ai account"
                )
            dph, what = row.dph, f"instance {row.id}"
        else:
            offer = self._best_offer()
            dph = offer.dph
            what = f"offer {offer.id} ({offer.num_gpus}x {offer.gpu_name or 'GPU'})"
        dollars = dph * self.config.instances * max(hours, 0.0)
        limit = self.config.max_total_cost
        return CostEstimate(
            dph=dph,
            instances=self.config.instances,
            hours=hours,
            dollars=round(dollars, 4),
            offer=what,
            over_budget=limit is not None and self.spent() + dollars > limit,
        )

    def costs(self) -> tuple[InstanceCost, ...]:
        """
        Return every instance this backend used, with dollars accumulated so far.
        """
        now = self._clock()
        out = []
        for r in self._seen.values():
            end = r.ended_at if r.ended_at is not None else now
            hours = max(end - r.row.start_date, 0.0) / 3600.0 if r.row.start_date else 0.0
            out.append(
                InstanceCost(
                    instance_id=r.row.id,
                    host=r.host,
                    label=r.row.label,
                    endpoint=str(r.row.endpoint or ""),
                    dph=r.row.dph,
                    hours=round(hours, 6),
                    dollars=round(hours * r.row.dph, 6),
                    state=r.state,
                    note=r.note,
                )
            )
        return tuple(out)

    def spent(self) -> float:
        """
        Return the dollars accumulated by every instance this backend used.
        """
        return round(sum(c.dollars for c in self.costs()), 6)

    # ---------------------------------------------------------------- launch

    def output_dir(self, run_id: str, attempt_id: str) -> str:
        """
        Return ``<remote_dir>/.bridge/runs/<run_id>/<attempt_id>/output`` on the instance. Pure.
        """
        return posixpath.join(
            ssh_remote.attempt_dir(self.config.remote_dir, run_id, attempt_id), "output"
        )

    def submit(self, spec: JobSpec) -> JobHandle:
        """
        Find or rent the instance of the slots' host, then launch the attempt on it over SSH.

        Idempotent on ``spec.attempt_id``: an instance labelled with this project and host (the
        one a crashed process rented) is reused instead of renting a second, and an attempt
        already launched there is returned, not launched again.

        Raises:
            BackendUnavailable: the key, the API or the instance's SSH failed.
            BackendError: ``max_total_cost`` is spent, no offer could be rented, the instance
                stopped starting (``exited``, ``offline``, ``unknown``; named in the message),
                or the SSH launch failed.
        """
        names = {s.host for s in spec.slots} or {"vast-0"}
        if len(names) > 1 or not names <= set(self.hosts):
            raise BackendError(
                f"attempt {spec.attempt_id}: slots name {sorted(names)}, not one of {self.hosts}"
            )
        (host,) = names
        rented = self._instance_for(host, spec.attempt_id)
        rented.used = True
        inner = rented.ssh.submit(spec)
        self._attempts[spec.attempt_id] = _Attempt(instance_id=rented.row.id)
        return self._wrap(inner, rented)

    def _instance_for(self, host: str, attempt_id: str) -> _Rented:
        rented = self._rented.get(host)
        if rented is not None and not rented.gone:
            return rented
        if self.config.instance_id is not None:
            return self._bring_up(host, self.config.instance_id, ours=False)
        label = f"{self.label_prefix}{host}:{attempt_id}"
        rows = [r for r in self._labelled_live() if _host_of(r.label, self.label_prefix) == host]
        rows.sort(key=lambda r: (r.label != label, r.id))
        if rows:
            log.info("vast_instance_adopted", instance_id=rows[0].id, label=rows[0].label)
            self._report(rows[0].id, rows[0].label, attempt_id)
            return self._bring_up(host, rows[0].id, ours=True)
        self._check_budget()
        offer = self._best_offer(fresh=True)
        instance_id = self.api.create(offer, label=label)
        log.info(
            "vast_instance_created",
            instance_id=instance_id,
            offer=offer.id,
            dph=offer.dph,
            label=label,
        )
        # Billing runs from now: the cleanup command is in the log before anything else.
        self._report(instance_id, label, attempt_id)
        return self._bring_up(host, instance_id, ours=True)

    def _check_budget(self) -> None:
        limit = self.config.max_total_cost
        spent = self.spent()
        if limit is not None and spent >= limit:
            raise BackendError(
                f"backends.vast.max_total_cost = ${limit:g} is spent (${spent:.2f} so far); "
                "no further instance is rented"
            )

    def _best_offer(self, *, fresh: bool = False) -> Offer:
        if self._offer is not None and not fresh:
            return self._offer
        offers = self.api.search()
        if not offers:
            cap = (
                f" at ${self.config.max_dph:g}/h or less (backends.vast.max_dph)"
                if self.config.max_dph is not None
                else ""
            )
            raise BackendUnavailable(
                f"no Vast.ai offer matches backends.vast.query {self.config.query!r}{cap}"
            )
        self._offer = offers[0]
        return offers[0]

    def _bring_up(self, host: str, instance_id: int, *, ours: bool) -> _Rented:
        row = self._wait_running(instance_id, ours=ours)
        assert row.endpoint is not None
        rented = _Rented(
            host=host,
            row=row,
            ssh=self._ssh_for(host, row.endpoint.host, row.endpoint.port),
            ours=ours,
            checked_at=self._clock(),
        )
        self._rented[host] = rented
        self._seen[row.id] = rented
        log.info(
            "vast_instance_running",
            instance_id=row.id,
            endpoint=str(row.endpoint),
            endpoint_kind=row.endpoint.kind,
            dph=row.dph,
        )
        self._wait_ssh(rented)
        return rented

    def _wait_running(self, instance_id: int, *, ours: bool) -> InstanceRow:
        deadline = time.monotonic() + self.config.start_timeout_seconds
        last = ""
        while True:
            row = self.api.show(instance_id)
            if row is None:
                raise BackendError(
                    f"Vast.ai instance {instance_id} vanished while starting (destroyed, or the "
                    "offer was taken)"
                )
            if row.status in DEAD:
                raise BackendError(
                    f"Vast.ai instance {instance_id} is {row.status}"
                    + (f" ({row.status_msg})" if row.status_msg else "")
                    + " and will not start; "
                    + self._give_up(instance_id, ours=ours)
                )
            if row.status == "running" and row.endpoint is not None:
                return row
            last = row.status or "not yet scheduled"
            if time.monotonic() >= deadline:
                raise BackendError(
                    f"Vast.ai instance {instance_id} is still {last} after "
                    f"{self.config.start_timeout_seconds:g} s "
                    "(backends.vast.start_timeout_seconds); "
                    + self._give_up(instance_id, ours=ours)
                )
            self._sleep(_START_POLL)

    def _give_up(self, instance_id: int, *, ours: bool) -> str:
        # Nothing of the researcher's is on an instance that never ran, so auto_destroy may
        # destroy it; without auto_destroy it is kept and said so.
        if ours and self.config.auto_destroy:
            self.api.destroy(instance_id)
            log.info("vast_instance_destroyed", instance_id=instance_id, reason="never started")
            return "it was destroyed (auto_destroy)"
        return (
            f"it was kept: destroy it with `bridge gc --destroy` or `vastai destroy instance "
            f"{instance_id}`"
        )

    def _wait_ssh(self, rented: _Rented) -> None:
        # Vast reports "running" before the container's sshd accepts our key.
        deadline = time.monotonic() + self.config.ssh_ready_seconds
        while True:
            try:
                rented.ssh.preflight()
                return
            except BackendUnavailable as exc:
                if time.monotonic() >= deadline:
                    raise BackendUnavailable(
                        f"Vast.ai instance {rented.row.id} is running but its SSH server at "
                        f"{rented.row.endpoint} did not let us in within "
                        f"{self.config.ssh_ready_seconds:g} s (backends.vast.ssh_ready_seconds): "
                        f"{exc}"
                    ) from exc
            self._sleep(_SSH_RETRY)

    def _ssh_for(self, host: str, address: str, port: int) -> SSHBackend:
        c = self.config
        ssh = SSHConfig(
            remote_dir=c.remote_dir,
            hosts=(
                HostConfig(
                    name=host, host=address, port=port, user=c.ssh_user, key_file=c.ssh_key_file
                ),
            ),
            setup=c.setup,
            code_sync=c.code_sync,
            exclude=c.exclude,
            known_hosts=c.known_hosts,
            strict_host_keys=c.strict_host_keys,
            connect_timeout=c.connect_timeout,
            lost_grace_seconds=c.lost_grace_seconds,
            cancel_grace_seconds=c.cancel_grace_seconds,
            ssh_config=c.ssh_config,
        )
        return SSHBackend(ssh, self.project_root, connect=self._connect)

    def _labelled_live(self) -> list[InstanceRow]:
        return [r for r in self.api.labelled(self.label_prefix) if r.status not in DEAD]

    # ---------------------------------------------------------------- status

    def poll(self, handle: JobHandle) -> JobState:
        """
        Return the attempt's state: ``LOST`` when its instance vanished or died (named in
        ``detail``), else what the SSH backend reads from the attempt's markers; an instance
        whose SSH does not answer while the API says running is retried up to
        ``lost_grace_seconds``, then ``LOST``.

        Raises:
            JobNotFound: the handle names no instance.
            BackendUnavailable: the key was refused or the API cannot be reached.
        """
        rented = self._locate(handle)
        if isinstance(rented, str):
            self._settle(handle.attempt_id)
            return JobState(status=JobStatus.LOST, detail=rented)
        state = rented.ssh.poll(_inner(handle))
        if state.status is JobStatus.LOST and "unreachable" in state.detail:
            # The SSH grace ran out: say whether Vast still has the instance.
            rented.checked_at = float("-inf")
            again = self._locate(handle)
            if isinstance(again, str):
                state = JobState(status=JobStatus.LOST, detail=again)
        if state.status in (JobStatus.LOST, JobStatus.CANCELLED):
            self._settle(handle.attempt_id)
        return state

    def wait(self, handles: Sequence[JobHandle], timeout: float) -> None:
        """
        Block until one attempt may have changed, or ``timeout`` seconds (the SSH backend's
        checks, shared out over the instances).
        """
        groups: dict[int, list[JobHandle]] = {}
        for handle in handles:
            raw = handle.locator.get("instance_id", "")
            rented = self._seen.get(int(raw)) if raw.isdigit() else None
            if rented is not None and not rented.gone:
                groups.setdefault(rented.row.id, []).append(_inner(handle))
        if not groups:
            time.sleep(max(0.0, min(timeout, 1.0)))
            return
        share = max(0.0, timeout) / len(groups)
        for instance_id, inner in groups.items():
            self._seen[instance_id].ssh.wait(inner, share)

    def find(self, attempt_id: str) -> JobHandle | None:
        """
        Return the handle of an attempt launched earlier on one of this project's instances
        (found by label; a starting one is waited for), or ``None`` when none has it.

        Raises:
            BackendUnavailable: an instance that might have it cannot be asked.
        """
        if self.config.instance_id is not None and "vast-0" not in self._rented:
            self._bring_up("vast-0", self.config.instance_id, ours=False)
        elif self.config.instance_id is None:
            for row in self._labelled_live():
                host = _host_of(row.label, self.label_prefix)
                if host in self.hosts and host not in self._rented:
                    self._bring_up(host, row.id, ours=True)
        for rented in list(self._rented.values()):
            if rented.gone:
                continue
            inner = rented.ssh.find(attempt_id)
            if inner is not None:
                self._attempts.setdefault(attempt_id, _Attempt(instance_id=rented.row.id))
                return self._wrap(inner, rented)
        return None

    # ---------------------------------------------------------------- cancel, results, release

    def cancel(self, handle: JobHandle) -> None:
        """
        Stop the attempt on its instance; nothing to do when the instance is gone. Idempotent.

        Raises:
            BackendUnavailable: the instance cannot be reached.
        """
        rented = self._locate(handle)
        if not isinstance(rented, str):
            rented.ssh.cancel(_inner(handle))
        self._settle(handle.attempt_id)

    def fetch_artifacts(self, handle: JobHandle, dest: Path) -> Sequence[Artifact]:
        """
        Copy the attempt's outputs and logs back over SSH (as the SSH backend does).

        Raises:
            BackendError: the copy failed; the instance is then kept (never auto-destroyed)
                and the message says so, or the instance is gone.
        """
        rented = self._locate(handle)
        if isinstance(rented, str):
            raise BackendError(f"cannot copy the results of {handle.attempt_id}: {rented}")
        rented.used = True
        record = self._attempts.setdefault(handle.attempt_id, _Attempt(instance_id=rented.row.id))
        try:
            artifacts = rented.ssh.fetch_artifacts(_inner(handle), dest)
        except BackendError as exc:
            record.copy_failed = str(exc)
            raise BackendError(
                f"{exc}; Vast.ai instance {rented.row.id} ({rented.row.endpoint}) is kept, not "
                "destroyed, so the results can still be copied"
            ) from exc
        record.settled = True
        record.copy_failed = ""
        return artifacts

    def release(self) -> None:
        """
        Close the SSH connections. With ``auto_destroy``, destroy each instance bridge rented
        and used here once every attempt on it is copied back (or ended with nothing to copy);
        an instance with a failed copy or an unsettled attempt is kept, and the log says why.
        The reused ``instance_id`` is never destroyed. Idempotent.
        """
        for rented in self._seen.values():
            rented.ssh.release()
            self._destroy_if_done(rented, final=True)

    def release_idle(self) -> None:
        """
        With ``auto_destroy``, destroy now every instance whose attempts are all settled (copied
        back or ended with nothing to copy): called when no queued run needs one, so an idle
        instance stops billing before the whole plan ends. Instances still running an attempt
        are left alone; one with a failed copy is kept and says why. Idempotent.
        """
        for rented in self._seen.values():
            if self._destroy_if_done(rented, final=False):
                rented.ssh.release()

    def _destroy_if_done(self, rented: _Rented, *, final: bool) -> bool:
        """
        Destroy ``rented`` when bridge rented it, used it, ``auto_destroy`` is on and every
        attempt on it is settled; return True when it was destroyed now. With ``final``, an
        instance that cannot be destroyed is marked kept with the reason.
        """
        if rented.gone or rented.state == "destroyed":
            return False
        if not (self.config.auto_destroy and rented.ours and rented.used):
            return False
        mine = [a for a in self._attempts.values() if a.instance_id == rented.row.id]
        failed = [a for a in mine if a.copy_failed]
        open_ = [a for a in mine if not a.settled and not a.copy_failed]
        if failed or open_:
            if final or failed:
                rented.state = "kept"
                rented.note = (
                    f"{len(failed)} attempt(s) could not be copied back"
                    if failed
                    else f"{len(open_)} attempt(s) not finished and copied back"
                )
                log.warning("vast_instance_kept", instance_id=rented.row.id, reason=rented.note)
            return False
        self.api.destroy(rented.row.id)
        rented.ended_at = self._clock()
        rented.state = "destroyed"
        cost = next(c for c in self.costs() if c.instance_id == rented.row.id)
        log.info(
            "vast_instance_destroyed",
            instance_id=rented.row.id,
            dph=rented.row.dph,
            hours=cost.hours,
            dollars=cost.dollars,
        )
        return True

    # ---------------------------------------------------------------- orphans (bridge gc)

    def orphans(
        self, *, handles: Iterable[JobHandle] = (), attempt_ids: Iterable[str] = ()
    ) -> tuple[Orphan, ...]:
        """
        Return the instances carrying this project's label that are not active: not named by
        ``handles`` (the log's live attempts) and not rented for one of ``attempt_ids`` (live
        attempts that have no handle yet).

        Raises:
            BackendUnavailable: the key was refused or the API cannot be reached.
        """
        active = active_instance_ids(handles)
        live = {f":{a}" for a in attempt_ids}
        now = self._clock()
        out = []
        for row in self.api.labelled(self.label_prefix):
            if row.id in active or any(row.label.endswith(s) for s in live):
                continue
            hours = max(now - row.start_date, 0.0) / 3600.0 if row.start_date else 0.0
            out.append(
                Orphan(
                    instance_id=row.id,
                    label=row.label,
                    status=row.status or "unknown",
                    dph=row.dph,
                    hours=round(hours, 4),
                    dollars=round(hours * row.dph, 4),
                )
            )
        return tuple(out)

    def destroy_instance(self, instance_id: int) -> None:
        """
        Destroy one of this project's instances (``bridge gc --destroy``).

        Raises:
            BackendError: the instance does not carry this project's label (bridge destroys
                only what it rented).
        """
        row = self.api.show(instance_id)
        if row is None:
            return
        if not row.label.startswith(self.label_prefix):
            raise BackendError(
                f"Vast.ai instance {instance_id} is labelled {row.label!r}, not as one of this "
                "project's instances; bridge does not destroy it"
            )
        self.api.destroy(instance_id)
        log.info("vast_instance_destroyed", instance_id=instance_id, reason="gc")

    # ---------------------------------------------------------------- internals

    def _wrap(self, inner: JobHandle, rented: _Rented) -> JobHandle:
        return JobHandle(
            backend=self.name,
            attempt_id=inner.attempt_id,
            locator={
                **inner.locator,
                "instance_id": str(rented.row.id),
                "endpoint": str(rented.row.endpoint),
                "dph": f"{rented.row.dph:g}",
                "label": rented.row.label,
            },
        )

    def _settle(self, attempt_id: str) -> None:
        record = self._attempts.get(attempt_id)
        if record is not None:
            record.settled = True

    def _locate(self, handle: JobHandle) -> _Rented | str:
        """
        Return the handle's instance, attached and checked no longer ago than
        ``status_interval_seconds``, or why it is gone.
        """
        raw = handle.locator.get("instance_id", "")
        host = handle.locator.get("host", "")
        if not raw.isdigit() or host not in self.hosts:
            raise JobNotFound(
                f"attempt {handle.attempt_id}: the handle names no Vast.ai instance of this "
                f"configuration ({dict(handle.locator)})"
            )
        instance_id = int(raw)
        rented = self._seen.get(instance_id)
        if rented is not None:
            if rented.gone:
                return rented.gone
            if self._clock() - rented.checked_at < self.config.status_interval_seconds:
                return rented
        row = self.api.show(instance_id)
        why = ""
        if row is None:
            why = f"Vast.ai instance {instance_id} vanished (destroyed outside bridge, or by Vast)"
        elif row.status in DEAD:
            why = f"Vast.ai instance {instance_id} is {row.status}" + (
                f" ({row.status_msg})" if row.status_msg else ""
            )
        if why:
            if rented is not None:
                rented.gone, rented.state = why, "gone"
            return why
        assert row is not None
        if rented is not None:
            rented.checked_at = self._clock()
            return rented
        endpoint = row.endpoint
        if endpoint is None:
            address, _, port = handle.locator.get("endpoint", "").rpartition(":")
            if not port.isdigit():
                return f"Vast.ai instance {instance_id} publishes no SSH endpoint"
            ssh = self._ssh_for(host, address, int(port))
        else:
            ssh = self._ssh_for(host, endpoint.host, endpoint.port)
        attached = _Rented(
            host=host,
            row=row,
            ssh=ssh,
            ours=instance_id != self.config.instance_id,
            checked_at=self._clock(),
        )
        rented = self._rented.get(host)
        self._seen[instance_id] = attached
        if rented is None or rented.gone:
            self._rented[host] = attached
        return attached


def _inner(handle: JobHandle) -> JobHandle:
    return JobHandle(
        backend="ssh",
        attempt_id=handle.attempt_id,
        locator={k: v for k, v in handle.locator.items() if k in _SSH_KEYS},
    )


def _host_of(label: str, prefix: str) -> str:
    return label[len(prefix) :].split(":", 1)[0] if label.startswith(prefix) else ""
