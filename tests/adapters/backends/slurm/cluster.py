"""
A real single-node Slurm cluster for tests: munge, slurmctld and slurmd from Debian's
``slurm-wlm``, started as root in one temporary directory with free ports, so parallel test
sessions never meet (recipe: ``notes/backends.md`` §5).

Client commands find the cluster through ``SLURM_CONF``; :attr:`SlurmCluster.env` holds it and
:meth:`SlurmCluster.run` runs a client command against it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from bridge.adapters.backends.slurm.backend import SlurmBackend
from bridge.adapters.backends.slurm.config import SlurmConfig
from bridge.machine.ports import JobHandle, JobSpec
from bridge.pipeline.layout import ProjectLayout

__all__ = [
    "SLURM_MISSING",
    "OverTime",
    "SlurmCluster",
    "kill_tree",
    "slurm_missing",
    "stop_left",
    "submit_over_time",
]

_DAEMONS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue")


def slurm_missing() -> str:
    """
    Why no cluster can be started here ("" when one can): a missing program, or not root.
    """
    missing = [name for name in _DAEMONS if shutil.which(name) is None]
    if missing:
        return (
            f"Slurm is not installed ({', '.join(missing)} missing; "
            "apt-get install slurm-wlm munge)"
        )
    if os.geteuid() != 0:
        return "the test Slurm daemons run as root"
    return ""


SLURM_MISSING = slurm_missing()


def _free_port_pair() -> int:
    while True:
        with socket.socket() as first:
            first.bind(("127.0.0.1", 0))
            port = int(first.getsockname()[1])
        if port >= 65535:
            continue
        with socket.socket() as second:
            try:
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port


@attrs.frozen(kw_only=True)
class OverTime:
    """
    A job submitted with ``--time=1`` that sleeps ten minutes: Slurm must stop it.

    Attributes:
        backend: the Slurm backend that submitted it.
        handle: its handle.
        submitted: ``time.monotonic()`` when it was submitted.
    """

    backend: SlurmBackend
    handle: JobHandle
    submitted: float


def submit_over_time(root: Path) -> OverTime:
    """
    Submit, through bridge's Slurm backend, a job whose only time limit is Slurm's own one
    minute (``sbatch_args = ["--time=1"]``, no ``timeout_minutes``), sleeping ten.
    """
    backend = SlurmBackend(SlurmConfig(poll_seconds=0.5, sbatch_args=("--time=1",)), root)
    spec = JobSpec(
        place=ProjectLayout.place("R001", "OVER-a1"),
        argv=("python3", "-c", "import time; time.sleep(600)"),
    )
    handle = backend.submit(spec)
    return OverTime(backend=backend, handle=handle, submitted=time.monotonic())


class SlurmCluster:
    """
    One controller and one compute node (this machine), partition ``debug``.

    Args:
        root: an empty directory for keys, state, spool and logs.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.host = socket.gethostname().split(".")[0]
        self.conf = root / "slurm.conf"
        self.env: dict[str, str] = {**os.environ, "SLURM_CONF": str(self.conf)}
        self.over_time: OverTime | None = None  # set by the session fixture

    def start(self, timeout: float = 30.0) -> None:
        """
        Start munge, the controller and the node; return once the node is idle.
        """
        s = self.root
        for sub in ("spool", "state", "log", "munge"):
            (s / sub).mkdir(parents=True, exist_ok=True)
        key = s / "munge" / "munge.key"
        key.write_bytes(os.urandom(1024))
        key.chmod(0o400)
        subprocess.run(
            [
                "munged",
                f"--key-file={key}",
                f"--socket={s / 'munge' / 'sock'}",
                f"--pid-file={s / 'munge' / 'pid'}",
                f"--log-file={s / 'munge' / 'log'}",
                f"--seed-file={s / 'munge' / 'seed'}",
                "-f",
            ],
            check=True,
        )
        port = _free_port_pair()
        memory = max(512, _memory_mib() - 512)
        self.conf.write_text(
            "\n".join(
                [
                    f"ClusterName=bt{port}",
                    f"SlurmctldHost={self.host}",
                    "SlurmUser=root",
                    "SlurmdUser=root",
                    "AuthType=auth/munge",
                    f"AuthInfo=socket={s / 'munge' / 'sock'}",
                    "CredType=cred/munge",
                    f"StateSaveLocation={s / 'state'}",
                    f"SlurmdSpoolDir={s / 'spool'}",
                    f"SlurmctldPidFile={s / 'slurmctld.pid'}",
                    f"SlurmdPidFile={s / 'slurmd.pid'}",
                    f"SlurmctldLogFile={s / 'log' / 'ctld.log'}",
                    f"SlurmdLogFile={s / 'log' / 'd.log'}",
                    f"SlurmctldPort={port}",
                    f"SlurmdPort={port + 1}",
                    "ProctrackType=proctrack/linuxproc",
                    "TaskPlugin=task/none",
                    "SwitchType=switch/none",
                    "MpiDefault=none",
                    "ReturnToService=2",
                    # An ended job stays in squeue for the whole session: the test of Slurm's
                    # time limit runs last and reads a job that ended in its first minutes.
                    "MinJobAge=7200",
                    # A job past its --time gets TERM at once and KILL 2 s later. (slurmctld
                    # checks limits every 30 s, a fixed period no slurm.conf setting changes.)
                    "OverTimeLimit=0",
                    "KillWait=2",
                    "SchedulerType=sched/backfill",
                    "SelectType=select/cons_tres",
                    "SelectTypeParameters=CR_Core",
                    "JobCompType=jobcomp/none",
                    "AccountingStorageType=accounting_storage/none",
                    "JobAcctGatherType=jobacct_gather/none",
                    f"NodeName={self.host} CPUs={os.cpu_count() or 1} RealMemory={memory} "
                    "State=UNKNOWN",
                    f"PartitionName=debug Nodes={self.host} Default=YES MaxTime=INFINITE "
                    "OverSubscribe=FORCE:8 State=UP",
                    "",
                ]
            )
        )
        subprocess.run(["slurmctld", "-f", str(self.conf)], check=True, env=self.env)
        subprocess.run(["slurmd", "-f", str(self.conf)], check=True, env=self.env)
        deadline = time.monotonic() + timeout
        while True:
            out = self.run(["sinfo", "-h", "-o", "%T"], check=False).stdout.strip()
            if out in ("idle", "mixed", "allocated"):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the test Slurm node did not come up: sinfo says {out!r}")
            time.sleep(0.1)

    def run(
        self, argv: Sequence[str], *, check: bool = True, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """
        Run a Slurm client command against this cluster.
        """
        return subprocess.run(
            list(argv),
            check=check,
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            timeout=60,
        )

    def partition(self, state: str) -> None:
        """
        Set the ``debug`` partition's state (``DOWN`` holds new jobs pending, ``UP`` frees them).
        """
        self.run(["scontrol", "update", "PartitionName=debug", f"State={state}"])

    def stop(self) -> None:
        """
        Cancel every job, wait (bounded) until Slurm has ended their processes, then stop the
        daemons: a job still running when slurmd stops would outlive the cluster. Idempotent.
        """
        self.run(["scancel", "--user=root"], check=False)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            live = self.run(
                ["squeue", "-h", "-t", "PENDING,RUNNING,COMPLETING", "-o", "%i"], check=False
            )
            if live.returncode != 0 or not live.stdout.strip():
                break
            time.sleep(0.1)
        for pid_file in ("slurmd.pid", "slurmctld.pid", "munge/pid"):
            path = self.root / pid_file
            try:
                pid = int(path.read_text().strip())
            except (OSError, ValueError):
                continue
            if not _started_from(pid, self.root):
                continue  # gone, and its pid perhaps another process's now
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            deadline = time.monotonic() + 10
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def stop_left(root: str) -> None:
    """
    Stop the cluster under ``root`` that a killed pytest left running (called by the reaper,
    ``tests/reaper.py``): its jobs cancelled, then its daemons.
    """
    SlurmCluster(Path(root)).stop()


def _started_from(pid: int, root: Path) -> bool:
    """Whether process ``pid`` is alive and its command line names a path under ``root``."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return str(root).encode() in argv and _alive(pid)


def kill_tree(pid: int) -> None:
    """
    SIGKILL ``pid`` and every process below it (found through ``/proc``), children first
    collected so none escapes by being re-parented.
    """
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    for member in tree:
        with contextlib.suppress(ProcessLookupError):
            os.kill(member, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def _memory_mib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    return 2048
