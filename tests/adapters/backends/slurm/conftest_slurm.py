"""
Session fixture for the Slurm tests: one real single-node cluster (``cluster.py``).

It also submits, as soon as the cluster is up, the job that runs past Slurm's own ``--time``
limit (:func:`submit_over_time`), for the test of Slurm's TIMEOUT to read.

Loaded as a plugin (``pytest_plugins = ["tests.adapters.backends.slurm.conftest_slurm"]``) by
the modules that use it. The tests never skip in CI (``CI=true``): there, a missing Slurm is a
failure; elsewhere it is a skip that names the install command.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.adapters.backends.slurm.cluster import SLURM_MISSING, SlurmCluster, submit_over_time
from tests.reaper import reaper


@pytest.fixture(scope="session")
def slurm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlurmCluster]:
    """A real Slurm cluster (controller + one node), with ``SLURM_CONF`` set for the session."""
    if SLURM_MISSING:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI must run the Slurm tests: {SLURM_MISSING}")
        pytest.skip(SLURM_MISSING)
    cluster = SlurmCluster(tmp_path_factory.mktemp("slurm"))
    previous = os.environ.get("SLURM_CONF")
    # Were pytest killed outright, the reaper stops the cluster (tests/reaper.py).
    key = f"slurm:{cluster.root}"
    reaper().register(key, "tests.adapters.backends.slurm.cluster:stop_left", str(cluster.root))
    cluster.start()
    os.environ["SLURM_CONF"] = str(cluster.conf)
    # Slurm's own time limit takes a minute or more to hit (limits are whole minutes); the job
    # that shows it starts with the cluster, so its minute passes while the other tests run.
    cluster.over_time = submit_over_time(tmp_path_factory.mktemp("over-time"))
    try:
        yield cluster
    finally:
        cluster.stop()
        reaper().unregister(key)
        if previous is None:
            os.environ.pop("SLURM_CONF", None)
        else:
            os.environ["SLURM_CONF"] = previous


@pytest.fixture
def slurm_up(slurm: SlurmCluster) -> Iterator[SlurmCluster]:
    """The cluster with its partition up again after the test (a test may hold it DOWN)."""
    yield slurm
    slurm.partition("UP")
