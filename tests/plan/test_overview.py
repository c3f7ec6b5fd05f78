"""
The opening summary of a loaded plan (``bridge plan`` and the start of ``bridge run``).
"""

from __future__ import annotations

from pathlib import Path

from bridge.plan import load_project
from bridge.plan.overview import estimate_milestone, overview

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "quickstart"


def test_quickstart_overview_counts_blocks_and_runs() -> None:
    """Blocks and runs are counted by priority, every milestone is named with its runs."""
    lines = overview(load_project(QUICKSTART))
    assert (
        lines[0] == "5 blocks (5 must-run, 0 nice-to-have); 20 runs (17 must-run, 3 nice-to-have)"
    )
    assert lines[1] == "M0 (sanity) Sanity: 2 runs, ~0.00 GPU-h"
    assert [line.split(" ")[0] for line in lines[1:-1]] == ["M0", "M1", "M2", "M3"]
    assert lines[-1] == "estimated: ~0.00 GPU-h of 0 budgeted"


def test_estimate_prefers_run_estimates_then_the_cost_column() -> None:
    """Run estimates (minutes × GPUs) win; without them the plan's Cost column; else unknown."""
    import attrs

    milestone = load_project(QUICKSTART).milestones[2]
    with_cost = attrs.evolve(milestone, gpu_hours=3.0, cost_raw="3 GPU-h")

    @attrs.frozen
    class Run:
        gpus: int
        estimated_minutes: float | None

    runs = [Run(2, 30.0), Run(1, None)]
    assert estimate_milestone(with_cost, runs).gpu_hours == 1.0
    estimate = estimate_milestone(with_cost, [Run(1, None)])
    assert (estimate.gpu_hours, estimate.source) == (3.0, "from the plan's Cost column (3 GPU-h)")
    none = estimate_milestone(attrs.evolve(milestone, gpu_hours=None), [Run(1, None)])
    assert none.gpu_hours is None and "no run estimate" in none.source
    cpu = estimate_milestone(with_cost, [Run(0, None), Run(0, 30.0)])
    assert (cpu.gpu_hours, cpu.source) == (0.0, "CPU runs only")
