"""
Not collected by the suite (no ``test_`` prefix): ``test_daemons_outlive_no_pytest.py`` runs it
in a pytest of its own, which it then stops. The test starts the session's Slurm cluster and
sshd, writes where they are to ``$HOLD_DAEMONS``, and waits for a signal.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

from tests.adapters.backends.slurm.cluster import SlurmCluster
from tests.adapters.backends.ssh.sshd import SshServer
from tests.reaper import reaper

pytest_plugins = [
    "tests.adapters.backends.slurm.conftest_slurm",
    "tests.adapters.backends.ssh.conftest_ssh",
]


def test_hold(slurm: SlurmCluster, sshd: SshServer) -> None:
    assert sshd.proc is not None
    held = {"reaper": reaper().proc.pid, "sshd": sshd.proc.pid}
    for name, pid_file in (("slurmctld", "slurmctld.pid"), ("slurmd", "slurmd.pid")):
        held[name] = int((slurm.root / pid_file).read_text().strip())
    held["munged"] = int((slurm.root / "munge" / "pid").read_text().strip())
    target = Path(os.environ["HOLD_DAEMONS"])
    target.with_suffix(".tmp").write_text(json.dumps(held))
    target.with_suffix(".tmp").rename(target)
    while True:
        signal.pause()  # until SIGTERM (KeyboardInterrupt) or SIGKILL
