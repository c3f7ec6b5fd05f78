"""
Dispatch benchmark: N runs of ``sleep 0.1`` at max_parallel=4 through ``Bridge.run`` versus
``xargs -P 4`` running the same commands, measured in the same process run.

Reports the wall-time ratio (target ≤ 1.3), bridge's added cost per run in milliseconds, and the
median delay from a run's exit (the mtime of its ``exit_code`` marker, written by the wrapper as
the command ends) to its ``RunSucceeded`` event (target ≤ 0.5 s).

With ``--slurm`` the same runs go through a Slurm cluster instead (``$SLURM_CONF``'s, or a
single-node test cluster started in a temporary directory, as root, when it is unset): bridge
with ``backend = "slurm"`` against a minimal driver that keeps 4 of the same jobs in Slurm and
asks ``squeue`` every 0.1 s (Slurm's own scheduling, polled tightly), reporting the seconds
bridge adds per run.

Usage::

    python bench/dispatch.py                # 200 and 1000 runs
    python bench/dispatch.py --runs 200     # one size
    python bench/dispatch.py --slurm --runs 40 [--poll-seconds 1]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bridge.events import types as ev
from bridge.events.store import SQLiteEventStore
from bridge.pipeline import Bridge

PARALLEL = 4
SLEEP = "0.1"


def write_project(root: Path, n: int, backend: str = "") -> None:
    """A plan with one milestone of ``n`` runs, each ``sleep 0.1``."""
    (root / "refine-logs").mkdir(parents=True)
    ids = [f"R{k:04d}" for k in range(1, n + 1)]
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# Experiment Plan — dispatch benchmark\n\n"
        "**Problem**: how much does bridge add per run?\n"
        "**Method Thesis**: sleep.\n\n"
        "## Experiment Blocks\n\n### Block 1: Sleep\n- **Claim tested**: none.\n"
        "- **Compared systems**:\n  - sleep\n- **Metrics**: wall time.\n"
        "- **Setup details**: seed 0.\n- **Success criterion**: exit 0.\n"
        "- **Priority**: MUST-RUN.\n\n## Run Order and Milestones\n\n"
        "| Milestone | Goal | Runs | Decision Gate | Cost | Risk |\n"
        "|-----------|------|------|---------------|------|------|\n"
        f"| M1 | Main | {ids[0]}-{ids[-1]} (Block 1) | none | 0 | none |\n\n"
        "## Compute and Data Budget\n- **Total estimated GPU-hours**: 0\n"
    )
    rows = "".join(
        f"| {rid} | M1 | main | sleep | test | wall | MUST | TODO | seed 0 |\n" for rid in ids
    )
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "# Experiment Tracker\n\n"
        "| Run ID | Milestone | Purpose | System / Variant | Split | Metrics | Priority | Status "
        "| Notes |\n"
        "|---|---|---|---|---|---|---|---|---|\n" + rows
    )
    (root / "bridge.toml").write_text(
        f"[bridge]\nmax_parallel = {PARALLEL}\ncode_review = false\n{backend}\n"
        f'[run]\ncommand = ["sleep", "{SLEEP}"]\n'
    )


def time_xargs(n: int) -> float:
    """Wall time of ``xargs -P 4`` running ``sleep 0.1`` n times."""
    start = time.perf_counter()
    subprocess.run(
        ["xargs", "-P", str(PARALLEL), "-n", "1", "sleep"],
        input=f"{SLEEP}\n" * n,
        text=True,
        check=True,
    )
    return time.perf_counter() - start


def time_bridge(n: int, where: str | None) -> tuple[float, list[float]]:
    """Wall time of ``Bridge(project).run()`` and each run's exit → RunSucceeded delay."""
    with tempfile.TemporaryDirectory(prefix="bridge-bench-", dir=where) as tmp:
        root = Path(tmp) / "project"
        write_project(root, n)
        start = time.perf_counter()
        bridge = Bridge(root)
        stage = bridge.run()
        wall = time.perf_counter() - start
        bridge.close()
        if stage.value != "COLLECTED":
            raise SystemExit(f"bridge stopped at {stage.value}")
        store = SQLiteEventStore(root / ".bridge" / "events.db")
        delays = []
        for record in store.read():
            if isinstance(record.event, ev.RunSucceeded):
                marker = root / ".bridge" / "runs" / record.event.run_id
                exit_at = os.stat(marker / record.event.attempt_id / "exit_code").st_mtime
                delays.append(record.recorded_at.timestamp() - exit_at)
        store.close()
        if len(delays) != n:
            raise SystemExit(f"{len(delays)} of {n} runs succeeded")
        return wall, delays


def measure(n: int, where: str | None) -> dict[str, object]:
    """One comparison at ``n`` runs, the project in a temporary folder under ``where``."""
    baseline = time_xargs(n)
    wall, delays = time_bridge(n, where)
    return {
        "runs": n,
        "dir": where or tempfile.gettempdir(),
        "xargs_s": round(baseline, 3),
        "bridge_s": round(wall, 3),
        "ratio": round(wall / baseline, 3),
        "added_ms_per_run": round((wall - baseline) / n * 1000, 2),
        "exit_to_event_median_s": round(statistics.median(delays), 3),
        "exit_to_event_p95_s": round(sorted(delays)[int(0.95 * (len(delays) - 1))], 3),
    }


def time_sbatch(n: int, where: str) -> float:
    """
    Wall time of a minimal driver: ``sbatch`` of ``sleep 0.1`` keeping 4 jobs in Slurm, one
    ``squeue`` every 0.1 s to see which ended (Slurm's own scheduling, polled tightly).
    """
    start = time.perf_counter()
    left, live = n, set()
    while left or live:
        while left and len(live) < PARALLEL:
            out = subprocess.run(
                ["sbatch", "--parsable", f"--output={where}/sbatch-%j.out", "--wrap",
                 f"sleep {SLEEP}"],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            live.add(out.strip().split(";")[0])
            left -= 1
        time.sleep(0.1)
        out = subprocess.run(
            ["squeue", "-h", "--states=all", "-o", "%i|%T"], capture_output=True, text=True
        ).stdout
        states = dict(line.split("|", 1) for line in out.split())
        live = {j for j in live if states.get(j) in ("PENDING", "CONFIGURING", "RUNNING",
                                                     "COMPLETING")}  # fmt: skip
    return time.perf_counter() - start


def time_bridge_slurm(n: int, where: str, poll_seconds: float) -> float:
    """Wall time of ``Bridge(project).run()`` with ``backend = "slurm"``."""
    with tempfile.TemporaryDirectory(prefix="bridge-bench-", dir=where) as tmp:
        root = Path(tmp) / "project"
        write_project(
            root, n, f'backend = "slurm"\n\n[backends.slurm]\npoll_seconds = {poll_seconds}\n'
        )
        start = time.perf_counter()
        bridge = Bridge(root)
        stage = bridge.run()
        wall = time.perf_counter() - start
        bridge.close()
        if stage.value != "COLLECTED":
            raise SystemExit(f"bridge stopped at {stage.value}")
        return wall


def measure_slurm(n: int, poll_seconds: float) -> dict[str, object]:
    """Bridge on Slurm against Slurm's own scheduling of the same jobs, at ``n`` runs."""
    with tempfile.TemporaryDirectory(prefix="bridge-bench-", dir=os.getcwd()) as where:
        baseline = time_sbatch(n, where)
        wall = time_bridge_slurm(n, where, poll_seconds)
    return {
        "runs": n,
        "backend": "slurm",
        "poll_seconds": poll_seconds,
        "sbatch_driver_s": round(baseline, 3),
        "bridge_s": round(wall, 3),
        "ratio": round(wall / baseline, 3),
        "added_s_per_run": round((wall - baseline) / n, 3),
    }


def _slurm_cluster() -> object | None:
    """Start a single-node test cluster when no ``SLURM_CONF`` names one; None otherwise."""
    if os.environ.get("SLURM_CONF"):
        return None
    from tests.adapters.backends.slurm.cluster import SLURM_MISSING, SlurmCluster

    if SLURM_MISSING:
        raise SystemExit(f"--slurm: {SLURM_MISSING}")
    cluster = SlurmCluster(Path(tempfile.mkdtemp(prefix="bridge-bench-slurm-")))
    cluster.start()
    os.environ["SLURM_CONF"] = str(cluster.conf)
    return cluster


def main() -> None:
    """Run the benchmark and print one JSON object per size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, action="append", help="sizes (default 200, 1000)")
    parser.add_argument(
        "--dir", help="where the project goes (default: $TMPDIR); /dev/shm takes fsync out"
    )
    parser.add_argument("--slurm", action="store_true", help="through Slurm (see above)")
    parser.add_argument("--poll-seconds", type=float, default=1.0, help="backends.slurm setting")
    args = parser.parse_args()
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(40))
    if args.slurm:
        cluster = _slurm_cluster()
        try:
            for n in args.runs or [40]:
                print(json.dumps(measure_slurm(n, args.poll_seconds)), flush=True)
        finally:
            if cluster is not None:
                cluster.stop()  # type: ignore[attr-defined]
        return
    for n in args.runs or [200, 1000]:
        print(json.dumps(measure(n, args.dir)), flush=True)


if __name__ == "__main__":
    main()
