"""
The daemons the test fixtures start (the Slurm cluster's munged, slurmctld and slurmd, with the
job it runs from the start; loopback sshd) end with the pytest that started them, however it is
stopped: SIGTERM (``timeout``; turned into the fixtures' normal teardown) or SIGKILL (nothing of
pytest's runs: the reaper, ``tests/reaper.py``, stops them). Once, four sets of them were found
left running by killed test sessions.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.adapters.backends.slurm.cluster import SLURM_MISSING, _alive
from tests.adapters.backends.ssh.sshd import SSHD
from tests.pipeline.conftest import REPO_ROOT, wait_for


def _started_under(base: Path) -> list[str]:
    """Every live process whose command line or working directory is under ``base``."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            argv = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if (str(base) in argv or cwd.startswith(str(base))) and _alive(int(proc.name)):
            found.append(f"{proc.name}: {argv} (in {cwd})")
    return found


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_the_daemons_end_with_a_stopped_pytest(tmp_path: Path, signum: signal.Signals) -> None:
    """A pytest holding the session's Slurm cluster and sshd is sent ``signum``: once it and
    its reaper are gone, none of the daemons, and no process under its temporary directory
    (Slurm's job among them), is left."""
    missing = SLURM_MISSING or ("" if SSHD else "OpenSSH server not installed")
    if missing:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI must run the daemon tests: {missing}")
        pytest.skip(missing)
    held, base = tmp_path / "held.json", tmp_path / "base"
    env = dict(os.environ) | {"HOLD_DAEMONS": str(held), "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--basetemp={base}",
         "tests/adapters/backends/hold_daemons.py"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        wait_for(lambda: held.exists() or proc.poll() is not None, 120, "the daemons up")
        assert held.exists(), proc.communicate(timeout=60)[0]
        pids: dict[str, int] = json.loads(held.read_text())
        assert all(_alive(pid) for pid in pids.values()), pids
        assert _started_under(base)
        proc.send_signal(signum)
        out = proc.communicate(timeout=120)[0]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    wait_for(lambda: not _alive(pids["reaper"]), 120, "the reaper done")
    assert {name: pid for name, pid in pids.items() if _alive(pid)} == {}, out
    assert _started_under(base) == [], out
