"""
Whole plans through ``Bridge.run`` on the local backend with real processes and fake GPUs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from bridge.events import types as ev
from bridge.events.store import SQLiteEventStore
from bridge.machine.stages import RunState, Stage
from bridge.pipeline import Bridge
from bridge.plan import load_project
from tests.pipeline.conftest import Execution, Run, executions, write_project


def _max_overlap(spans: list[Execution]) -> int:
    points = sorted([(e.start, 1) for e in spans] + [(e.end or e.start, -1) for e in spans])
    live = peak = 0
    for _, delta in sorted(points, key=lambda p: (p[0], p[1])):
        live += delta
        peak = max(peak, live)
    return peak


TEN = [
    Run(id="R01", milestone="M0", system="sanity", sleep=0.1),
    *(Run(id=f"R0{k}", milestone="M1", sleep=0.2) for k in range(2, 5)),
    *(Run(id=f"R0{k}", milestone="M2", sleep=0.2) for k in range(5, 8)),
    *(Run(id=f"R{k:02d}", milestone="M3", sleep=0.2) for k in range(8, 11)),
]


class TestTenRunPlan:
    def test_every_run_once_in_order_within_limits(
        self, project: Path, fake_gpus: Callable[[int], None]
    ) -> None:
        """Ten runs execute once each, milestone by milestone, ≤ max_parallel, one per GPU."""
        fake_gpus(3)
        write_project(project, TEN, run="gpus = 1")
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        runs = executions(project)
        assert sorted(runs) == sorted(r.id for r in TEN)
        assert all(len(v) == 1 and v[0].end is not None for v in runs.values())
        spans = [v[0] for v in runs.values()]
        by_milestone: dict[str, list[Execution]] = {}
        for r in TEN:
            by_milestone.setdefault(r.milestone, []).append(runs[r.id][0])
        order = ["M0", "M1", "M2", "M3"]
        for before, after in itertools.pairwise(order):
            assert max(e.end or 0 for e in by_milestone[before]) <= min(
                e.start for e in by_milestone[after]
            ), f"{after} started before {before} finished"
        assert _max_overlap(spans) <= 2
        for gpu in {e.gpu for e in spans}:
            assert gpu in {"0", "1", "2"}
            assert _max_overlap([e for e in spans if e.gpu == gpu]) == 1, f"GPU {gpu} shared"
        assert {r.state for r in state.runs.values()} == {RunState.SUCCEEDED}
        # What the scripts saw agrees with what the log says about slots.
        for run_id, run in state.runs.items():
            assert run.current is not None
            assert str(run.current.slots[0].gpu) == runs[run_id][0].gpu


class TestFailures:
    def test_oom_retries_on_other_gpus_then_stuck(
        self, project: Path, fake_gpus: Callable[[int], None]
    ) -> None:
        """An OOM run is retried with backoff on a new GPU each time, then ends stuck."""
        fake_gpus(3)
        write_project(
            project,
            [Run(id="R1", milestone="M1", mode="oom"), Run(id="R2", milestone="M2")],
            sanity=None,
            # Scheduling of every run, not the check of the first one alone.
            bridge="max_parallel = 2\ncode_review = false\nsanity_first = false",
            run="gpus = 1\noom_max_attempts = 3\noom_backoff_seconds = 0.05",
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        r1 = state.runs["R1"]
        assert r1.state is RunState.STUCK
        assert [a.state for a in r1.attempts] == [RunState.FAILED_OOM] * 3
        gpus = [e.gpu for e in executions(project)["R1"]]
        assert len(gpus) == 3 and len(set(gpus)) == 3, gpus
        # Backoff: each retry starts no earlier than its scheduled time, and later ones wait longer.
        gaps = [
            (b.submitted_at - a.finished_at).total_seconds()  # type: ignore[operator]
            for a, b in zip(r1.attempts, r1.attempts[1:], strict=False)
        ]
        assert gaps[0] >= 0.05 and gaps[1] >= 0.1
        # A must-run that got stuck stops the milestones after it, at once (the loop waited
        # its idle turn, 5 s, between the two).
        assert state.runs["R2"].state is RunState.CANCELLED
        assert "R2" not in executions(project)
        store = SQLiteEventStore(project / ".bridge" / "events.db")
        try:
            at = {
                type(r.event): r.recorded_at
                for r in store.read()
                if isinstance(r.event, ev.RunStuck | ev.RunCancelled)
            }
        finally:
            store.close()
        assert (at[ev.RunCancelled] - at[ev.RunStuck]).total_seconds() < 3, at

    def test_dependant_does_not_start_after_its_dependency_failed(self, project: Path) -> None:
        """A run whose dependency failed is cancelled, never executed; other runs go on."""
        write_project(
            project,
            [
                Run(id="P1", milestone="M1", mode="fail", priority="NICE"),
                Run(id="P2", milestone="M1", depends_on=("P1",)),
                Run(id="P3", milestone="M1"),
            ],
            sanity=None,
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.runs["P1"].state is RunState.FAILED
        assert state.runs["P2"].state is RunState.CANCELLED
        assert "P1" in state.runs["P2"].reason
        assert state.runs["P3"].state is RunState.SUCCEEDED
        assert sorted(executions(project)) == ["P1", "P3"]
        assert "ValueError" in state.runs["P1"].reason

    def test_must_run_failure_cancels_later_milestones(self, project: Path) -> None:
        """A failed must-run run ends the plan early: later milestones never execute."""
        write_project(
            project,
            [Run(id="A", milestone="M1", mode="fail"), Run(id="B", milestone="M2")],
            sanity=None,
            bridge="max_parallel = 2\ncode_review = false\nsanity_first = false",
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            assert bridge.status().runs["B"].state is RunState.CANCELLED
        finally:
            bridge.close()
        assert sorted(executions(project)) == ["A"]


def test_runs_wait_for_what_their_rows_say_they_depend_on(project: Path) -> None:
    """011_ere-dcqg: the plan's milestone tables have a `Depends On` column (R005 on R003 and
    R004) and tracker notes say "after R003+R004". Before, every run of a milestone started at
    once; now a run starts only once the runs its row names have finished, and a run whose row
    names a run of a later milestone is warned about, not left waiting forever."""
    write_project(
        project,
        [
            Run(id="A", milestone="M1", sleep=0.3),
            Run(id="B", milestone="M1", sleep=0.3),
            Run(id="C", milestone="M1"),
            Run(id="D", milestone="M1"),
            Run(id="E", milestone="M2"),
        ],
        sanity=None,
        # Runs side by side from the start: not the first one alone as the sanity check.
        bridge="max_parallel = 4\ncode_review = false\nsanity_first = false",
    )
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(
        plan.read_text()
        + "\n## Runs\n\n| Run | Task | Depends On |\n|---|---|---|\n| C | merge | A, B |\n"
        "| D | late | E |\n"
    )
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text()
    tracker.write_text(text.replace("| TODO | seed 0 |\n| C", "| TODO | after A |\n| C"))
    loaded = load_project(project)
    assert {r.id: r.depends_on for r in loaded.runs} == {
        "A": (), "B": ("A",), "C": ("A", "B"), "D": (), "E": ()
    }  # fmt: skip
    assert any(
        w.message == "D waits for E (M2), of a later milestone: bridge runs milestones in "
        "order, so it does not wait for them"
        for w in loaded.warnings
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    runs = {run_id: spans[0] for run_id, spans in executions(project).items()}
    assert runs["B"].start >= (runs["A"].end or float("inf"))
    assert runs["C"].start >= (runs["B"].end or float("inf"))
    assert runs["D"].start < (runs["A"].end or 0.0)  # not held back by E
