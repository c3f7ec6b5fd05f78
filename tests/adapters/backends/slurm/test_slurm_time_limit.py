"""
Slurm's own time limit (#16): a job past its ``--time`` is stopped by Slurm and recorded
TIMED_OUT. In its own module, which runs after the other Slurm backend tests: the job was
submitted when the cluster started (``conftest_slurm``), so most of its minute has passed by
the time this test looks.
"""

from __future__ import annotations

import time

from bridge.machine.ports import JobStatus
from bridge.testing.backend_contract import settle
from tests.adapters.backends.slurm.cluster import SlurmCluster

pytest_plugins = ["tests.adapters.backends.slurm.conftest_slurm"]


def test_slurms_own_time_limit_is_timed_out(slurm: SlurmCluster) -> None:
    """A job past Slurm's own ``--time=1`` (no timer of bridge's in the job) is killed by Slurm
    and recorded TIMED_OUT with Slurm's word, after at least its minute. Limits are whole
    minutes and slurmctld checks them every 30 s: the job ends 60-90 s after it started."""
    over = slurm.over_time
    assert over is not None
    state = settle(over.backend, over.handle, timeout=150)
    took = time.monotonic() - over.submitted
    assert state.status is JobStatus.TIMED_OUT, state
    assert "Slurm's time limit stopped it" in state.detail, state
    assert took >= 60, took
