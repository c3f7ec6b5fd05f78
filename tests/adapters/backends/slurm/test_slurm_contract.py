"""
The backend contract against the Slurm backend on a real single-node cluster.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.adapters.backends.slurm.backend import SlurmBackend
from bridge.adapters.backends.slurm.config import SlurmConfig
from bridge.machine.ports import Backend, JobHandle
from bridge.testing.backend_contract import BackendContract
from tests.adapters.backends.slurm.cluster import SlurmCluster, kill_tree
from tests.pipeline.conftest import wait_for

pytest_plugins = ["tests.adapters.backends.slurm.conftest_slurm"]


class TestSlurmBackendContract(BackendContract):
    """Every contract property, through sbatch, squeue and scancel."""

    @pytest.fixture(autouse=True)
    def _cluster(self, slurm: SlurmCluster) -> None:
        self.cluster = slurm

    def make_backend(self, root: Path) -> Backend:
        return SlurmBackend(SlurmConfig(poll_seconds=0.2), root)

    def kill_hard(self, backend: Backend, handle: JobHandle) -> None:
        # SIGKILL to the batch script and everything under it, behind Slurm's back (a signal
        # sent through scancel would make Slurm call the job CANCELLED).
        pid_file = Path(handle.locator["attempt_dir"]) / "pid"
        wait_for(pid_file.exists, what="the job's pid file")
        kill_tree(int(pid_file.read_text()))
