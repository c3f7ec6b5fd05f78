"""
A backend that rents machines: the quote at the approval checkpoint, per-instance costs summed
across sessions, and orphaned instances reported.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from bridge import Bridge, Stage
from bridge.events.store import InMemoryEventStore
from bridge.events.types import InstanceRented
from bridge.machine.ports import JobHandle, JobSpec
from bridge.testing import FakeBackend
from tests.pipeline.test_ablations import QUICKSTART, _outcome


@attrs.frozen
class Cost:
    instance_id: int
    dollars: float


@attrs.frozen
class Quote:
    dollars: float
    dph: float
    offer: str


@attrs.frozen
class Orphan:
    instance_id: int
    label: str
    status: str
    dollars: float


class RentingBackend(FakeBackend):
    """FakeBackend plus what a renting backend reports (a real, scripted implementation)."""

    def __init__(self, instances: dict[int, float], orphans: Sequence[Orphan] = ()) -> None:
        super().__init__(_outcome)
        self.instances = instances
        self.found = tuple(orphans)

    def estimate(self, hours: float) -> Quote:
        return Quote(dollars=round(hours * 0.5, 2), dph=0.5, offer="offer 7 (1x RTX_4090)")

    def spent(self) -> float:
        return sum(self.instances.values())

    def costs(self) -> Sequence[Cost]:
        return [Cost(instance_id=i, dollars=d) for i, d in self.instances.items()]

    def orphans(
        self, *, handles: Iterable[JobHandle] = (), attempt_ids: Iterable[str] = ()
    ) -> Sequence[Any]:
        return self.found


def _project(tmp_path: Path) -> Path:
    return Path(
        shutil.copytree(QUICKSTART, tmp_path / "q", ignore=shutil.ignore_patterns(".bridge"))
    )


class TestPaidBackend:
    def test_quote_in_the_approval_summary(self, tmp_path: Path) -> None:
        """With auto_deploy off the approval summary carries the backend's cost estimate."""
        bridge = Bridge(
            _project(tmp_path),
            store=InMemoryEventStore(),
            backend=RentingBackend({}),
            options={"auto_deploy": "false"},
        )
        assert bridge.run() is Stage.AWAITING_APPROVAL
        approval = bridge.status().approval
        assert approval is not None and "estimated cost: $" in approval.summary
        assert "offer 7 (1x RTX_4090)" in approval.summary

    def test_costs_of_instances_seen_by_different_sessions_add_up(self, tmp_path: Path) -> None:
        """Each session records its instances' totals; the log's spend is their sum."""
        store = InMemoryEventStore()
        project = _project(tmp_path)
        first = Bridge(project, store=store, backend=RentingBackend({11: 1.25}))
        first.advance()
        first.close()
        second = Bridge(project, store=store, backend=RentingBackend({12: 0.5}))
        second.advance()
        second.close()
        state = Bridge(project, store=store, backend=RentingBackend({})).status()
        assert state.costs == {"fake/11": 1.25, "fake/12": 0.5}
        assert state.dollars_spent == 1.75

    def test_orphans_are_reported_in_the_log(self, tmp_path: Path) -> None:
        """Instances labelled for the project that no run uses are recorded when runs start."""
        orphan = Orphan(
            instance_id=99, label="bridge:q:vast-0:R001-a1", status="running", dollars=3.0
        )
        bridge = Bridge(
            _project(tmp_path), store=InMemoryEventStore(), backend=RentingBackend({}, [orphan])
        )
        assert bridge.run() is Stage.COLLECTED
        reported = bridge.status().orphans
        assert reported is not None and "99 (bridge:q:vast-0:R001-a1" in reported.instances[0]


class ReleasingBackend(FakeBackend):
    """FakeBackend that records, at each release_idle call, how many runs were still pending."""

    def __init__(self, bridge_state: list[Any]) -> None:
        super().__init__(_outcome)
        self.pending_at_release: list[int] = []
        self.bridge_state = bridge_state

    def release_idle(self) -> None:
        state = self.bridge_state[0].status()
        self.pending_at_release.append(
            sum(1 for r in state.runs.values() if r.state.value == "pending")
        )


class TestIdleRelease:
    def test_machines_are_released_only_once_nothing_waits_to_launch(self, tmp_path: Path) -> None:
        """The dispatcher asks for idle machines back only when no run is left to launch."""
        holder: list[Any] = []
        backend = ReleasingBackend(holder)
        bridge = Bridge(_project(tmp_path), store=InMemoryEventStore(), backend=backend)
        holder.append(bridge)
        assert bridge.run() is Stage.COLLECTED
        assert backend.pending_at_release  # it was asked, during the deploy phase
        assert set(backend.pending_at_release) == {0}


class RentingReporter(RentingBackend):
    """A renting backend that reports each machine it rents, one per attempt, before launch."""

    def __init__(self) -> None:
        super().__init__({})
        self.hook: Callable[[InstanceRented], None] | None = None
        self.logged_at_launch: list[bool] = []
        self._project: Path | None = None

    def on_rented(self, hook: Callable[[InstanceRented], None]) -> None:
        self.hook = hook

    def submit(self, spec: JobSpec) -> JobHandle:
        assert self.hook is not None
        number = 100 + len(self.launches)
        self.hook(
            InstanceRented(
                backend=self.name,
                instance_id=str(number),
                attempt_id=spec.attempt_id,
                cleanup=f"vastai destroy instance {number}",
                mounts=("the project's code copied to /root/bridge",),
            )
        )
        self.logged_at_launch.append(self._project is not None and _logged(self._project, number))
        return super().submit(spec)


def _logged(project: Path, number: int) -> bool:
    conn = sqlite3.connect(project / ".bridge" / "events.db")
    try:
        (text,) = conn.execute(
            "SELECT group_concat(data) FROM events WHERE type = 'backend.instance_rented'"
        ).fetchone()
    finally:
        conn.close()
    return f"vastai destroy instance {number}" in (text or "")


class TestRentalRecords:
    def test_cleanup_command_is_in_the_log_and_the_tracker_before_launch(
        self, tmp_path: Path
    ) -> None:
        """Each rented machine is logged with its destroy command before its attempt launches,
        and the tracker's Notes of the run carry the command."""
        project = _project(tmp_path)
        backend = RentingReporter()
        backend._project = project
        bridge = Bridge(project, backend=backend)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert backend.logged_at_launch and all(backend.logged_at_launch)
        assert len(state.rentals) == len(backend.launches)
        first = state.rentals[0]
        run = next(
            r for r in state.runs.values() if r.current and r.current.attempt_id == first.attempt_id
        )
        tracker = (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text()
        row = next(line for line in tracker.splitlines() if line.startswith(f"| {run.run_id} "))
        assert f"cleanup: {first.cleanup}" in row, row
