"""
The GPU memory bound sanity checks (``bridge.pipeline.gpu_bounds``), one row per case, over a
run folded from a real in-memory log whose attempt succeeded with a sampled peak.
"""

from __future__ import annotations

import pytest

from bridge.events import types as ev
from bridge.events.store import InMemoryEventStore
from bridge.events.values import JobHandle
from bridge.machine.fold import RunView, fold
from bridge.pipeline.gpu_bounds import GpuBounds, over_bound, unmeasured

GB = 1024


def finished(
    *, gpus: int = 1, peak: int | None, total: int | None = 80 * GB, why: str = ""
) -> RunView:
    """Run R1 (``gpus`` GPUs) whose one attempt succeeded with this sampled GPU memory."""
    store = InMemoryEventStore()
    store.append("run:R1", [ev.RunPlanned(run_id="R1", gpus=gpus)], None)
    handle = JobHandle(backend="slurm", attempt_id="R1-a1")
    store.append(
        "run:R1",
        [
            ev.RunSubmitted(run_id="R1", attempt_id="R1-a1", attempt=1, backend="slurm"),
            ev.RunStarted(run_id="R1", attempt_id="R1-a1", handle=handle),
            ev.RunSucceeded(
                run_id="R1",
                attempt_id="R1-a1",
                gpu_memory_peak_mib=peak,
                gpu_memory_total_mib=total,
                gpu_memory_unmeasured=why,
            ),
        ],
        None,
    )
    return fold(store.read()).runs["R1"]


@pytest.mark.parametrize(
    ("run", "bounds", "said"),
    [
        # An explicit bound decides alone, whatever the GPU's memory.
        (finished(peak=9 * GB), GpuBounds(max_gb=8), "peaked at 9.00 GB, over [run] max_gpu"),
        (finished(peak=79 * GB + 512), GpuBounds(max_gb=80), ""),
        # Without it: the GPU's memory less the margin.
        (finished(peak=79 * GB + 512), GpuBounds(), "within [run] gpu_memory_margin_gb = 1 of its"),
        (finished(peak=78 * GB), GpuBounds(), ""),
        (finished(peak=79 * GB + 512), GpuBounds(margin_gb=0), ""),  # 0: no default check
        (finished(gpus=2, peak=159 * GB + 512), GpuBounds(), "its 2 GPUs' 160.00 GB"),
        (finished(gpus=2, peak=159 * GB + 512), GpuBounds(margin_gb=0.25), ""),
        # More than the GPUs the run asked for can hold: said as such, not "within".
        (finished(gpus=0, peak=120 * GB), GpuBounds(), "more than its GPU's 80.00 GB"),
        # Unknown capacity, or nothing sampled: no bound to fail on.
        (finished(peak=79 * GB + 512, total=None), GpuBounds(), ""),
        (finished(peak=None, why="no nvidia-smi on n1"), GpuBounds(max_gb=1), ""),
    ],
)
def test_over_bound(run: RunView, bounds: GpuBounds, said: str) -> None:
    """Each case fails with its words, or passes with ``""``."""
    problem = over_bound(run, bounds)
    assert (said in problem) if said else problem == "", problem
    assert bool(problem) == bool(said)


def test_unmeasured_says_why_when_it_matters() -> None:
    """No peak: said with the backend's reason when the run wanted GPUs or a bound is set;
    nothing for a CPU run without a bound, nor for a measured run."""
    cpu = finished(gpus=0, peak=None, why="no nvidia-smi on n1")
    assert unmeasured(cpu, GpuBounds()) == ""
    assert (
        unmeasured(cpu, GpuBounds(max_gb=4)) == "R1: GPU memory not measured (no nvidia-smi on n1)"
    )
    silent = finished(peak=None, total=None)
    assert unmeasured(silent, GpuBounds()) == (
        "R1: GPU memory not measured (the slurm backend does not sample it)"
    )
    assert unmeasured(finished(peak=0), GpuBounds(max_gb=4)) == ""
