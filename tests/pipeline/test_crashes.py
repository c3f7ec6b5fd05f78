"""
The bridge process SIGKILLed mid-flight, then run again: every run executes exactly once.

Exact points are append boundaries: ``tests/pipeline/crashing.py`` runs bridge over an event
store that SIGKILLs the process just before or just after a chosen append (the store is a port
bridge takes; production code has no crash hook). Random moments are SIGKILLs from the test
once the log holds a chosen number of events.
"""

from __future__ import annotations

import random
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge.events import types as ev
from bridge.events.store import SQLiteEventStore
from bridge.machine.fold import fold
from bridge.machine.stages import RunState, Stage
from bridge.pipeline import Bridge
from bridge.pipeline.layout import ProjectLayout
from tests.pipeline.conftest import (
    REPO_ROOT,
    Run,
    events_of,
    executions,
    recorded,
    start_bridge,
    wait_for,
    write_project,
)
from tests.pipeline.crashing import PASSED, Crasher

RUNS = [
    Run(id="R1", milestone="M0", system="sanity", sleep=0.1),
    Run(id="R2", milestone="M1", sleep=0.15),
    Run(id="R3", milestone="M1", sleep=0.15),
    Run(id="R4", milestone="M2", sleep=0.1),
]


def _finish_and_check(project: Path, *, unstarted_attempts: bool = False) -> None:
    """
    Finish the project and check every run executed exactly once and succeeded, in one attempt.

    With ``unstarted_attempts`` a run may hold earlier attempts that never started, lost with
    no start recorded, each followed by the one that ran: a SIGKILL at a random moment can land
    between an attempt's launch marker and its spawn, a window of a few system calls that the
    promise allows (the command still runs once); append boundaries never fall inside it.
    """
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    ran = executions(project)
    assert {k: len(v) for k, v in ran.items()} == {r.id: 1 for r in RUNS}
    assert all(v[0].end is not None for v in ran.values())
    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        state = fold(store.read())
    finally:
        store.close()
    assert state.stage is Stage.COLLECTED
    assert {r.state for r in state.runs.values()} == {RunState.SUCCEEDED}
    for run in state.runs.values():
        *earlier, last = run.attempts
        assert last.state is RunState.SUCCEEDED
        assert not earlier or unstarted_attempts, f"{run.spec.run_id}: {len(run.attempts)} attempts"
        for attempt in earlier:
            assert attempt.state is RunState.LOST and attempt.started_at is None, attempt


@pytest.fixture(scope="module")
def crasher() -> Iterator[Crasher]:
    """One crash server for the module: bridge imported once, a fresh child per point."""
    server = Crasher(REPO_ROOT)
    try:
        yield server
    finally:
        server.close()


def _crash(crasher: Crasher, project: Path, spec: str) -> bool:
    """
    Run bridge in its own process until the store kills it at ``spec`` (see
    tests/pipeline/crashing.py); False when the point was passed already (an earlier batch
    held it).
    """
    returncode, said = crasher.crash(project, spec)
    if returncode == PASSED:
        return False
    assert returncode == -signal.SIGKILL, f"{spec} was never reached: {said[-2000:]}"
    return True


# Every append boundary of a run's life, for the sanity run R1 and the deployed run R3, and
# of the pipeline's own stream, in the order the log reaches them (a restarted bridge carries
# on, so each point is still ahead of it).
_RUN_EVENTS = (
    "run.submitted", "run.started", "run.artifacts_fetched", "run.succeeded",
    "run.metrics_recorded",
)  # fmt: skip
# The projections are rendered before bridge first waits on a launched run (never before the
# first launch), so where that falls between R1's events depends on how long a restart takes;
# after R3's results it is certain: R4's launch is followed by a wait.
_CHAIN = (
    "plan.loaded:bridge", "implementation.recorded:bridge",
    "stage.entered:bridge", "code.reviewed:bridge", "stage.entered:bridge",
    *(f"{tag}:run:R1" for tag in _RUN_EVENTS),
    "milestone.completed:bridge", "sanity.checked:bridge", "stage.entered:bridge",
    *(f"{tag}:run:R3" for tag in _RUN_EVENTS),
    "output.written:bridge", "stage.entered:bridge", "output.written:bridge",
)  # fmt: skip


class TestCrashAtEachPoint:
    @pytest.mark.parametrize("when", ["before", "after"])
    def test_killed_at_every_append_boundary_in_turn(
        self, crasher: Crasher, project: Path, when: str
    ) -> None:
        """Killed before (or after) each append of every stage in turn, every run runs once."""
        write_project(project, RUNS)
        crashed = [point for point in _CHAIN if _crash(crasher, project, f"{when}:{point}")]
        # A run's results and metrics are one append (three tags, one boundary): R1's and R3's
        # second and third tags are passed already when reached.
        assert len(crashed) >= len(_CHAIN) - 4, set(_CHAIN) - set(crashed)
        _finish_and_check(project)
        assert not list(project.rglob("*.edited.*")), "bridge's own files taken for edits"

    @pytest.mark.parametrize(
        "spec",
        [
            "after:run.succeeded:run:R1",  # sanity: success and metrics recorded, no more
            "before:output.written:bridge",  # projection written, not logged
        ],
    )
    def test_killed_at_point_then_resumed(self, crasher: Crasher, project: Path, spec: str) -> None:
        """Killed at one point, a second run completes every run exactly once."""
        write_project(project, RUNS)
        _crash(crasher, project, spec)
        _finish_and_check(project)
        assert not list(project.rglob("*.edited.*")), "bridge's own files taken for edits"

    def test_killed_between_launch_marker_and_spawn(self, crasher: Crasher, project: Path) -> None:
        """
        Killed after claiming R1's launch (its ``launch`` marker made) and before starting
        it: the restarted bridge records that attempt lost, never started (no RunStarted for
        a process that never was), and runs R1 once under a new attempt.
        """
        write_project(project, RUNS)
        assert _crash(crasher, project, "after:run.submitted:run:R1")
        store = SQLiteEventStore(project / ".bridge" / "events.db")
        try:
            run = fold(store.read()).runs["R1"]
        finally:
            store.close()
        assert run.state is RunState.SUBMITTED and run.current is not None
        attempt_dir = project / ProjectLayout.place(run.directory, run.current.attempt_id).path
        attempt_dir.mkdir(parents=True)
        (attempt_dir / "launch").touch()
        _finish_and_check(project, unstarted_attempts=True)
        r1 = [kind for _, stream, kind in events_of(project) if stream == "run:R1"]
        assert r1[1:5] == ["run.submitted", "run.lost", "run.retry_scheduled", "run.submitted"], r1
        lost = recorded(project, ev.RunLost)
        assert "no process was ever started" in lost[0].reason, lost
        # Relaunched at once (the loop waited its idle turn, 5 s, first).
        store = SQLiteEventStore(project / ".bridge" / "events.db")
        try:
            never, ran = fold(store.read()).runs["R1"].attempts
        finally:
            store.close()
        assert never.finished_at is not None
        assert (ran.submitted_at - never.finished_at).total_seconds() < 3, (never, ran)

    def test_a_success_is_never_logged_without_its_metrics(
        self, crasher: Crasher, project: Path
    ) -> None:
        """
        A succeeded attempt's metrics are appended with the events that end it: killed just
        before that append, the log holds neither, and the run is collected again.
        """
        write_project(project, RUNS)
        assert _crash(crasher, project, "before:run.metrics_recorded:run:R1")
        store = SQLiteEventStore(project / ".bridge" / "events.db")
        try:
            run = fold(store.read()).runs["R1"]
        finally:
            store.close()
        assert run.state is RunState.RUNNING
        _finish_and_check(project)

    def test_killed_before_a_rerun_sanity_run_is_checked(
        self, crasher: Crasher, project: Path
    ) -> None:
        """
        `bridge retry --force S1` once the plan was collected; S1's second run writes 0.1
        (criterion accuracy > 0.5) and bridge is killed just after its end is logged, before its
        check: the next `bridge run` still checks it and holds the plan (it went on to COLLECTED,
        "Sanity: passed" over the block judged not met).
        """
        runs = [Run(id="S1", milestone="M0", system="sanity"), Run(id="R1", milestone="M1")]
        write_project(project, runs)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            (project / "markers" / "S1.accuracy").write_text("0.1")
            bridge.retry("S1", force=True)
        finally:
            bridge.close()
        # The first run to end in the killed process is S1's second (the only run to launch).
        assert _crash(crasher, project, "after:run.succeeded:*")
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.BLOCKED
            state = bridge.status()
        finally:
            bridge.close()
        assert len(state.runs["S1"].attempts) == 2
        assert not state.sanity_checks[-1].passed
        assert state.sanity_checks[-1].detail.startswith(ev.CRITERION_HELD)
        assert "`bridge retry --force S1`" in state.sanity_checks[-1].detail
        assert {k: len(v) for k, v in executions(project).items()} == {"S1": 2, "R1": 1}

    def test_a_rerun_sanity_run_a_person_cancelled_holds_nothing(
        self, crasher: Crasher, project: Path
    ) -> None:
        """
        `bridge retry --force S1` once the plan was collected; bridge is killed while S1's
        second run is live, and a person then `bridge cancel`s it: the next `bridge run` leaves
        that run alone (a person's cancel stands), where it rechecked it as a sanity run that
        did not pass and held the plan.
        """
        runs = [Run(id="S1", milestone="M0", system="sanity"), Run(id="R1", milestone="M1")]
        write_project(project, runs)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            bridge.retry("S1", force=True)
        finally:
            bridge.close()
        assert _crash(crasher, project, "after:run.started:*")
        bridge = Bridge(project)
        try:
            bridge.cancel("S1")
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.runs["S1"].state is RunState.CANCELLED
        assert state.sanity_checks[-1].passed


class TestCrashAtRandomMoments:
    @pytest.mark.parametrize("seed", range(3))
    def test_killed_after_n_events_then_resumed(self, project: Path, seed: int) -> None:
        """Killed once the log holds N events, a second run still executes each run once."""
        write_project(project, RUNS)
        # Small counts land in plan loading and the early stages; larger ones among the runs.
        target = [2, random.Random(seed).randint(5, 20), random.Random(seed).randint(20, 40)][seed]
        proc = start_bridge(project)
        try:
            wait_for(
                lambda: len(events_of(project)) >= target or proc.poll() is not None,
                # The bound covers start-up and up to 40 appends (1.8 s of CPU alone) on a
                # 2-core machine at load 10, as the crash points' own 120 s does.
                timeout=120,
                what=f"{target} events",
            )
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
        _finish_and_check(project, unstarted_attempts=True)
