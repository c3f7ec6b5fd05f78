"""
The bridge process SIGKILLed mid-flight, then run again: every run executes exactly once.

Exact points use the ``BRIDGE_TEST_CRASH_AT`` seam in :mod:`bridge.dispatch` (the process kills
itself with SIGKILL there); random moments are SIGKILLs from the test once the log holds a
chosen number of events.
"""

from __future__ import annotations

import random
import signal
from pathlib import Path

import pytest

from bridge.events.store import SQLiteEventStore
from bridge.machine.fold import fold
from bridge.machine.stages import RunState, Stage
from bridge.pipeline import Bridge
from tests.pipeline.conftest import (
    Run,
    events_of,
    executions,
    start_bridge,
    wait_for,
    write_project,
)

RUNS = [
    Run(id="R1", milestone="M0", system="sanity", sleep=0.1),
    Run(id="R2", milestone="M1", sleep=0.15),
    Run(id="R3", milestone="M1", sleep=0.15),
    Run(id="R4", milestone="M2", sleep=0.1),
]


def _finish_and_check(project: Path) -> None:
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
    assert all(len(r.attempts) == 1 for r in state.runs.values())


class TestCrashAtEachPoint:
    @pytest.mark.parametrize(
        ("point", "run_id"),
        [
            ("after_intent", "R1"),
            ("after_act", "R1"),
            *(
                (point, "R3")
                for point in (
                    "after_intent",
                    "after_act",
                    "after_confirm",
                    "before_finish",
                    "after_finish",
                )
            ),
        ],
    )
    def test_killed_at_point_then_resumed(self, project: Path, point: str, run_id: str) -> None:
        """Killed at an intent/act/confirm point, a second run completes every run exactly once."""
        write_project(project, RUNS)
        crashed = start_bridge(project, {"BRIDGE_TEST_CRASH_AT": f"{point}:{run_id}"})
        _, err = crashed.communicate(timeout=60)
        assert crashed.returncode == -signal.SIGKILL, err
        _finish_and_check(project)


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
                timeout=30,
                what=f"{target} events",
            )
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
        _finish_and_check(project)
