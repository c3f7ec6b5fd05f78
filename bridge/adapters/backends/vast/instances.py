"""
The Vast.ai instances one backend object uses: finding or renting one per host, waiting until
it runs and its SSH answers, checking it is still there, and destroying it once its attempts
are settled. Each instance is driven through its own
:class:`~bridge.adapters.backends.ssh.backend.SSHBackend`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import attrs

from bridge.adapters.backends.ssh.backend import SSHBackend
from bridge.adapters.backends.ssh.config import HostConfig, RemoteProject, SSHConfig
from bridge.adapters.backends.ssh.link import Connector
from bridge.adapters.backends.vast.client import DEAD, InstanceRow, Offer, VastApi
from bridge.adapters.backends.vast.config import VastConfig
from bridge.adapters.backends.vast.costs import InstanceCost, hours_since_start
from bridge.adapters.backends.vast.labels import host_of, project_label
from bridge.errors import BackendError, BackendUnavailable, JobNotFound
from bridge.events import types as ev
from bridge.logs import get_logger
from bridge.machine.ports import JobHandle
from bridge.plan.overview import counted

__all__ = ["AttemptRecord", "Instances", "Rented"]

log = get_logger("bridge.vast")

_START_POLL = 5.0
_SSH_RETRY = 3.0


@attrs.define
class Rented:
    """
    One instance in use for a host, and what this process knows of it.
    """

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
class AttemptRecord:
    """
    Where an attempt ran and whether it is settled (copied back, or ended with nothing to copy).
    """

    instance_id: int
    settled: bool = False
    copy_failed: str = ""


class Instances:
    """
    The instances serving ``config``'s hosts (``vast-0`` …) for one project.

    Args:
        config: the ``[backends.vast]`` settings.
        project_root: the local project (synced to ``remote_dir`` on each instance).
        api: the Vast.ai API.
        connect: the SSH connection factory handed to each SSH backend.
        sleep: waits between status checks while an instance starts.
        clock: epoch seconds, for cost and status-check intervals.
    """

    def __init__(
        self,
        config: VastConfig,
        project_root: Path,
        api: VastApi,
        *,
        connect: Connector | None,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
    ) -> None:
        self.config = config
        self.project_root = project_root
        self.label_prefix = project_label(project_root)
        self.api = api
        self.clock = clock
        self._connect = connect
        self._sleep = sleep
        self.rented: dict[str, Rented] = {}  # host → the instance serving it now
        self.seen: dict[int, Rented] = {}  # every instance used, for cost and release
        self.attempts: dict[str, AttemptRecord] = {}
        self.on_rented: Callable[[ev.InstanceRented], None] | None = None
        self._offer: Offer | None = None

    @property
    def hosts(self) -> tuple[str, ...]:
        """
        The host names slots and handles carry: ``vast-0`` … ``vast-<instances - 1>``.
        """
        return tuple(f"vast-{i}" for i in range(self.config.instances))

    # ---------------------------------------------------------------- finding and renting

    def labelled_live(self) -> list[InstanceRow]:
        """
        Return this project's labelled instances that are not dead.
        """
        return [r for r in self.api.labelled(self.label_prefix) if r.status not in DEAD]

    def for_host(self, host: str, attempt_id: str) -> Rented:
        """
        Return the running instance serving ``host``: the one in use, the configured
        ``instance_id``, one of this project's labelled instances (the label naming
        ``attempt_id`` first), or a new rental within ``max_total_cost``.
        """
        rented = self.rented.get(host)
        if rented is not None and not rented.gone:
            return rented
        if self.config.instance_id is not None:
            return self.bring_up(host, self.config.instance_id, ours=False)
        label = f"{self.label_prefix}{host}:{attempt_id}"
        rows = [r for r in self.labelled_live() if host_of(r.label, self.label_prefix) == host]
        rows.sort(key=lambda r: (r.label != label, r.id))
        if rows:
            log.info("vast_instance_adopted", instance_id=rows[0].id, label=rows[0].label)
            self._report(rows[0].id, rows[0].label, attempt_id)
            return self.bring_up(host, rows[0].id, ours=True)
        self._check_budget()
        offer = self.best_offer(fresh=True)
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
        return self.bring_up(host, instance_id, ours=True)

    def best_offer(self, *, fresh: bool = False) -> Offer:
        """
        Return the cheapest matching offer (searched once, again when ``fresh``).

        Raises:
            BackendUnavailable: no offer matches ``query``/``max_dph``.
        """
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

    def bring_up(self, host: str, instance_id: int, *, ours: bool) -> Rented:
        """
        Wait until the instance runs and its SSH lets us in, and make it ``host``'s instance.
        """
        row = self._wait_running(instance_id, ours=ours)
        assert row.endpoint is not None
        rented = Rented(
            host=host,
            row=row,
            ssh=self.ssh_for(host, row.endpoint.host, row.endpoint.port),
            ours=ours,
            checked_at=self.clock(),
        )
        self.rented[host] = rented
        self.seen[row.id] = rented
        log.info(
            "vast_instance_running",
            instance_id=row.id,
            endpoint=str(row.endpoint),
            endpoint_kind=row.endpoint.kind,
            dph=row.dph,
        )
        self._wait_ssh(rented)
        return rented

    def ssh_for(self, host: str, address: str, port: int) -> SSHBackend:
        """
        Return an SSH backend for one instance's endpoint, with the Vast settings it shares.
        """
        c = self.config
        # The Vast settings are a RemoteProject: hand its fields over as they are.
        shared = {f.name: getattr(c, f.name) for f in attrs.fields(RemoteProject)}
        login = HostConfig(
            name=host, host=address, port=port, user=c.ssh_user, key_file=c.ssh_key_file
        )
        ssh = SSHConfig(**shared, hosts=(login,))
        return SSHBackend(ssh, self.project_root, connect=self._connect)

    # ---------------------------------------------------------------- checking

    def locate(self, handle: JobHandle) -> Rented | str:
        """
        Return the handle's instance, attached and checked no longer ago than
        ``status_interval_seconds``, or why it is gone.

        Raises:
            JobNotFound: the handle names no instance of this configuration.
        """
        raw = handle.locator.get("instance_id", "")
        host = handle.locator.get("host", "")
        if not raw.isdigit() or host not in self.hosts:
            raise JobNotFound(
                f"attempt {handle.attempt_id}: the handle names no Vast.ai instance of this "
                f"configuration ({dict(handle.locator)})"
            )
        instance_id = int(raw)
        rented = self.seen.get(instance_id)
        if rented is not None:
            if rented.gone:
                return rented.gone
            if self.clock() - rented.checked_at < self.config.status_interval_seconds:
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
            rented.checked_at = self.clock()
            return rented
        endpoint = row.endpoint
        if endpoint is None:
            address, _, port = handle.locator.get("endpoint", "").rpartition(":")
            if not port.isdigit():
                return f"Vast.ai instance {instance_id} publishes no SSH endpoint"
            ssh = self.ssh_for(host, address, int(port))
        else:
            ssh = self.ssh_for(host, endpoint.host, endpoint.port)
        attached = Rented(
            host=host,
            row=row,
            ssh=ssh,
            ours=instance_id != self.config.instance_id,
            checked_at=self.clock(),
        )
        rented = self.rented.get(host)
        self.seen[instance_id] = attached
        if rented is None or rented.gone:
            self.rented[host] = attached
        return attached

    def record(self, attempt_id: str, rented: Rented) -> AttemptRecord:
        """
        Return the attempt's record, made (on ``rented``'s instance) when it has none yet.
        """
        return self.attempts.setdefault(attempt_id, AttemptRecord(instance_id=rented.row.id))

    def settle(self, attempt_id: str) -> None:
        """
        Mark the attempt settled: nothing of it is left to copy back.
        """
        record = self.attempts.get(attempt_id)
        if record is not None:
            record.settled = True

    # ---------------------------------------------------------------- cost and destroying

    def costs(self) -> tuple[InstanceCost, ...]:
        """
        Return every instance used, with dollars accumulated so far.
        """
        now = self.clock()
        out = []
        for r in self.seen.values():
            hours = hours_since_start(r.row, r.ended_at if r.ended_at is not None else now)
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
        Return the dollars accumulated by every instance used.
        """
        return round(sum(c.dollars for c in self.costs()), 6)

    def destroy_if_done(self, rented: Rented, *, final: bool) -> bool:
        """
        Destroy ``rented`` when bridge rented it, used it, ``auto_destroy`` is on and every
        attempt on it is settled; return True when it was destroyed now. With ``final``, an
        instance that cannot be destroyed is marked kept with the reason.
        """
        if rented.gone or rented.state == "destroyed":
            return False
        if not (self.config.auto_destroy and rented.ours and rented.used):
            return False
        mine = [a for a in self.attempts.values() if a.instance_id == rented.row.id]
        failed = [a for a in mine if a.copy_failed]
        open_ = [a for a in mine if not a.settled and not a.copy_failed]
        if failed or open_:
            if final or failed:
                rented.state = "kept"
                rented.note = (
                    f"{counted(len(failed), 'attempt')} could not be copied back"
                    if failed
                    else f"{counted(len(open_), 'attempt')} not finished and copied back"
                )
                log.warning("vast_instance_kept", instance_id=rented.row.id, reason=rented.note)
            return False
        self.api.destroy(rented.row.id)
        rented.ended_at = self.clock()
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

    # ---------------------------------------------------------------- internals

    def _report(self, instance_id: int, label: str, attempt_id: str) -> None:
        if self.on_rented is None:
            return
        self.on_rented(
            ev.InstanceRented(
                backend="vast",
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

    def _check_budget(self) -> None:
        limit = self.config.max_total_cost
        spent = self.spent()
        if limit is not None and spent >= limit:
            raise BackendError(
                f"backends.vast.max_total_cost = ${limit:g} is spent (${spent:.2f} so far); "
                "no further instance is rented"
            )

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

    def _wait_ssh(self, rented: Rented) -> None:
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
