"""
Slurm's own time limit (#16): a job past its ``--time`` is stopped by Slurm and recorded
TIMED_OUT. The job was submitted when the cluster started (``conftest_slurm``), and this test is
marked ``last`` (it runs after every other test of the session): in a whole run its minute, and
Slurm's check, have passed by the time it looks; run alone, it waits for them.
"""

from __future__ import annotations

import time

import pytest

from bridge.machine.ports import JobStatus
from bridge.testing.backend_contract import settle
from tests.adapters.backends.slurm.cluster import SlurmCluster

pytest_plugins = ["tests.adapters.backends.slurm.conftest_slurm"]


@pytest.mark.last
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
