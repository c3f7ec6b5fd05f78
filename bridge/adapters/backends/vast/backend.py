"""
The Vast.ai backend: rents GPU instances with the vastai SDK and runs attempts on them over SSH.

An instance is an SSH host. The backend finds or rents it, waits (bounded) until Vast says
``running``, computes the SSH endpoint itself (direct ``public_ipaddr`` + the port mapped to
``22/tcp`` first, the ``ssh_host:ssh_port`` proxy second), and then hands sync, launch, polling,
cancel and copy-back to an :class:`~bridge.adapters.backends.ssh.SSHBackend` pointed at that
endpoint. Every instance bridge rents is labelled ``bridge:<project>:<host>:<attempt id>``, which
is how a later process finds it again after a crash (no second rental) and how ``bridge gc``
finds instances the log no longer uses. See ``docs/backends/vast.md``.

This module is the port facade; the instances it drives are in ``instances`` (renting, checking,
destroying), their cost in ``costs`` and their labels in ``labels``.
"""

from __future__ import annotations

import posixpath
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from bridge.adapters.backends.ssh.link import Connector
from bridge.adapters.backends.vast.client import VastApi, VastClient
from bridge.adapters.backends.vast.config import VastConfig
from bridge.adapters.backends.vast.costs import CostEstimate, InstanceCost, Orphan
from bridge.adapters.backends.vast.instances import AttemptRecord, Instances, Rented
from bridge.adapters.backends.vast.labels import active_instance_ids, host_of, project_label
from bridge.errors import BackendError
from bridge.events import types as ev
from bridge.logs import get_logger
from bridge.machine.ports import (
    Artifact,
    AttemptPlace,
    JobHandle,
    JobSpec,
    JobState,
    JobStatus,
    Slot,
)

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
        self.api = VastApi(config, client=client)
        self._instances = Instances(
            config, self.project_root, self.api, connect=connect, sleep=sleep, clock=clock
        )
        self.label_prefix = self._instances.label_prefix

    def on_rented(self, hook: Callable[[ev.InstanceRented], None]) -> None:
        """
        Report every instance this backend rents or adopts to ``hook`` (with its ``vastai
        destroy instance N`` cleanup command and what it holds) before an attempt runs on it.
        """
        self._instances.on_rented = hook

    @property
    def hosts(self) -> tuple[str, ...]:
        """
        The host names slots and handles carry: ``vast-0`` … ``vast-<instances - 1>``.
        """
        return self._instances.hosts

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
        found = self._instances.labelled_live() if self.config.instance_id is None else []
        for host in self.hosts:
            rented = self._instances.rented.get(host)
            if rented is None and self.config.instance_id is not None:
                rented = self._instances.bring_up(host, self.config.instance_id, ours=False)
            if rented is None:
                row = next((r for r in found if host_of(r.label, self.label_prefix) == host), None)
                if row is not None:
                    rented = self._instances.bring_up(host, row.id, ours=True)
            if rented is not None and not rented.gone:
                slots.extend(rented.ssh.preflight())
                continue
            offer = self._instances.best_offer()
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
            offer = self._instances.best_offer()
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
        return self._instances.costs()

    def spent(self) -> float:
        """
        Return the dollars accumulated by every instance this backend used.
        """
        return self._instances.spent()

    # ---------------------------------------------------------------- launch

    def output_dir(self, place: AttemptPlace) -> str:
        """
        Return ``<remote_dir>/<place.path>/output`` on the instance. Pure.
        """
        return posixpath.join(self.config.remote_dir, place.path, "output")

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
        rented = self._instances.for_host(host, spec.attempt_id)
        rented.used = True
        inner = rented.ssh.submit(spec)
        self._instances.attempts[spec.attempt_id] = AttemptRecord(instance_id=rented.row.id)
        return self._wrap(inner, rented)

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
        rented = self._instances.locate(handle)
        if isinstance(rented, str):
            self._instances.settle(handle.attempt_id)
            return JobState(status=JobStatus.LOST, detail=rented)
        state = rented.ssh.poll(_inner(handle))
        if state.status is JobStatus.LOST and "unreachable" in state.detail:
            # The SSH grace ran out: say whether Vast still has the instance.
            rented.checked_at = float("-inf")
            again = self._instances.locate(handle)
            if isinstance(again, str):
                state = JobState(status=JobStatus.LOST, detail=again)
        if state.status in (JobStatus.LOST, JobStatus.CANCELLED):
            self._instances.settle(handle.attempt_id)
        return state

    def wait(self, handles: Sequence[JobHandle], timeout: float) -> None:
        """
        Block until one attempt may have changed, or ``timeout`` seconds (the SSH backend's
        checks, shared out over the instances).
        """
        groups: dict[int, list[JobHandle]] = {}
        for handle in handles:
            raw = handle.locator.get("instance_id", "")
            rented = self._instances.seen.get(int(raw)) if raw.isdigit() else None
            if rented is not None and not rented.gone:
                groups.setdefault(rented.row.id, []).append(_inner(handle))
        if not groups:
            time.sleep(max(0.0, min(timeout, 1.0)))
            return
        share = max(0.0, timeout) / len(groups)
        for instance_id, inner in groups.items():
            self._instances.seen[instance_id].ssh.wait(inner, share)

    def find(self, place: AttemptPlace) -> JobHandle | None:
        """
        Return the handle of the attempt launched earlier at ``place`` on one of this project's
        instances (found by label; a starting one is waited for), or ``None`` when none has it.

        Raises:
            BackendUnavailable: an instance that might have it cannot be asked.
        """
        if self.config.instance_id is not None and "vast-0" not in self._instances.rented:
            self._instances.bring_up("vast-0", self.config.instance_id, ours=False)
        elif self.config.instance_id is None:
            for row in self._instances.labelled_live():
                host = host_of(row.label, self.label_prefix)
                if host in self.hosts and host not in self._instances.rented:
                    self._instances.bring_up(host, row.id, ours=True)
        for rented in list(self._instances.rented.values()):
            if rented.gone:
                continue
            inner = rented.ssh.find(place)
            if inner is not None:
                self._instances.attempts.setdefault(
                    place.attempt_id, AttemptRecord(instance_id=rented.row.id)
                )
                return self._wrap(inner, rented)
        return None

    # ---------------------------------------------------------------- cancel, results, release

    def cancel(self, handle: JobHandle) -> None:
        """
        Stop the attempt on its instance; nothing to do when the instance is gone. Idempotent.

        Raises:
            BackendUnavailable: the instance cannot be reached.
        """
        rented = self._instances.locate(handle)
        if not isinstance(rented, str):
            rented.ssh.cancel(_inner(handle))
        self._instances.settle(handle.attempt_id)

    def fetch_artifacts(self, handle: JobHandle, dest: Path) -> Sequence[Artifact]:
        """
        Copy the attempt's outputs and logs back over SSH (as the SSH backend does).

        Raises:
            BackendError: the copy failed; the instance is then kept (never auto-destroyed)
                and the message says so, or the instance is gone.
        """
        rented = self._instances.locate(handle)
        if isinstance(rented, str):
            raise BackendError(f"cannot copy the results of {handle.attempt_id}: {rented}")
        rented.used = True
        record = self._instances.attempts.setdefault(
            handle.attempt_id, AttemptRecord(instance_id=rented.row.id)
        )
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
        for rented in self._instances.seen.values():
            rented.ssh.release()
            self._instances.destroy_if_done(rented, final=True)

    def release_idle(self) -> None:
        """
        With ``auto_destroy``, destroy now every instance whose attempts are all settled (copied
        back or ended with nothing to copy): called when no queued run needs one, so an idle
        instance stops billing before the whole plan ends. Instances still running an attempt
        are left alone; one with a failed copy is kept and says why. Idempotent.
        """
        for rented in self._instances.seen.values():
            if self._instances.destroy_if_done(rented, final=False):
                rented.ssh.release()

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
        now = self._instances.clock()
        return tuple(
            Orphan.of(row, now)
            for row in self.api.labelled(self.label_prefix)
            if row.id not in active and not any(row.label.endswith(s) for s in live)
        )

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

    def _wrap(self, inner: JobHandle, rented: Rented) -> JobHandle:
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


def _inner(handle: JobHandle) -> JobHandle:
    return JobHandle(
        backend="ssh",
        attempt_id=handle.attempt_id,
        locator={k: v for k, v in handle.locator.items() if k in _SSH_KEYS},
    )
