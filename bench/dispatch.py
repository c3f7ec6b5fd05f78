"""
Dispatch benchmark: the whole ``bridge run`` command (process start to exit, as a user runs it)
on a project of N runs of ``sleep S`` at ``max_parallel = 4`` (local backend), against
``xargs -P 4`` running the same commands, rounds alternating so that load from elsewhere on the
machine lands on both sides alike.

Each case runs with the project on disk (a folder on the repository's file system) and on tmpfs
(``/dev/shm``, which takes fsync out). Default cases: 120 and 1,000 runs of ``sleep 0.1``
(target ≤ 1.2× the floor) and 40 runs of ``sleep 1`` (target ≤ 1.1×). Each case prints one JSON
object per round, then a table of medians: measured / floor / ratio / target / meets, bridge's
added milliseconds per run, its added CPU milliseconds per run (user + system of the whole
process tree, less xargs's: load changes it far less than the wall time), and the median delay
from a run's exit (the mtime of its ``exit_code`` marker, written by the wrapper as the command
ends) to its ``RunSucceeded``.

With ``--slurm`` the same runs go through a Slurm cluster instead (``$SLURM_CONF``'s, or a
single-node test cluster started in a temporary directory, as root, when it is unset): bridge
with ``backend = "slurm"`` against a minimal driver that keeps 4 of the same jobs in Slurm and
asks ``squeue`` every 0.1 s (Slurm's own scheduling, polled tightly), reporting the seconds
bridge adds per run.

Usage::

    python bench/dispatch.py                          # every default case, 2 rounds each
    python bench/dispatch.py --runs 120 --where tmpfs --rounds 5
    python bench/dispatch.py --runs 40 --sleep 1
    python bench/dispatch.py --slurm --runs 40 [--poll-seconds 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from installed import child_env, warm  # noqa: E402

from bridge.events import types as ev  # noqa: E402
from bridge.events.store import SQLiteEventStore  # noqa: E402

PARALLEL = 4
ENV = child_env(REPO)  # bytecode cached, as an installed bridge has it
WHERE = {"disk": str(REPO), "tmpfs": "/dev/shm"}
TARGETS = {"0.1": 1.2, "1": 1.1}
DEFAULT_CASES = [(120, "0.1"), (1000, "0.1"), (40, "1")]


def _bridge() -> list[str]:
    """The console script beside this Python (what a user runs), else ``python -m bridge``."""
    script = Path(sys.executable).parent / "bridge"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bridge"]


def write_project(root: Path, n: int, sleep: str, backend: str = "") -> None:
    """A plan with one milestone of ``n`` runs, each ``sleep <sleep>``."""
    (root / "refine-logs").mkdir(parents=True)
    ids = [f"R{k:04d}" for k in range(1, n + 1)]
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# Experiment Plan — dispatch benchmark\n\n"
        "**Problem**: how much does bridge add per run?\n"
        "**Method Thesis**: sleep.\n\n"
        "## Experiment Blocks\n\n### Block 1: Sleep\n- **Claim tested**: none.\n"
        "- **Compared systems**:\n  - sleep\n- **Metrics**: -\n"
        "- **Setup details**: seed 0.\n- **Success criterion**: exit 0.\n"
        "- **Priority**: MUST-RUN.\n\n## Run Order and Milestones\n\n"
        "| Milestone | Goal | Runs | Decision Gate | Cost | Risk |\n"
        "|-----------|------|------|---------------|------|------|\n"
        f"| M1 | Main | {ids[0]}-{ids[-1]} (Block 1) | none | 0 | none |\n\n"
        "## Compute and Data Budget\n- **Total estimated GPU-hours**: 0\n"
    )
    rows = "".join(
        # No metric named: a run whose row names one and records no number is evidence
        # missing (bridge run exits 1), and `sleep` records none.
        f"| {rid} | M1 | main | sleep | test | - | MUST | TODO | seed 0 |\n"
        for rid in ids
    )
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "# Experiment Tracker\n\n"
        "| Run ID | Milestone | Purpose | System / Variant | Split | Metrics | Priority | Status "
        "| Notes |\n"
        "|---|---|---|---|---|---|---|---|---|\n" + rows
    )
    (root / "bridge.toml").write_text(
        # sanity_first off: the floor checks nothing first, and this plan names no sanity
        # milestone, so bridge would run the first sleep alone before the rest.
        f"[bridge]\nmax_parallel = {PARALLEL}\ncode_review = false\nsanity_first = false\n"
        f"{backend}\n"
        f'[run]\ncommand = ["sleep", "{sleep}"]\n'
    )


def warm_command() -> None:
    """
    One small ``bridge run`` of the benchmark's plan, untimed, so that what bridge keeps between
    commands (its bytecode, and the patterns and attrs methods of ``bridge.compile_cache``) is
    there before the first timed round, as it is after a user's first command.
    """
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "warm"
        write_project(root, PARALLEL, "0")
        subprocess.run(
            [*_bridge(), "run", "--plain", "--project", str(root)],
            env=ENV,
            check=True,
            capture_output=True,
        )


def time_xargs(n: int, sleep: str) -> tuple[float, float]:
    """
    Wall time and CPU time (user + system, its children's included) of the whole
    ``xargs -P 4 -n 1 sleep`` process running ``sleep`` n times.
    """
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(
        ["xargs", "-P", str(PARALLEL), "-n", "1", "sleep"],
        input=f"{sleep}\n" * n,
        text=True,
        check=True,
    )
    return time.perf_counter() - start, _children_cpu() - cpu


def _children_cpu() -> float:
    """CPU seconds (user + system) of every child process waited for so far, theirs included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def exit_to_event_delays(root: Path) -> list[float]:
    """Each run's delay from its ``exit_code`` marker's mtime to its ``RunSucceeded``."""
    store = SQLiteEventStore(root / ".bridge" / "events.db")
    delays = []
    try:
        for record in store.read():
            if isinstance(record.event, ev.RunSucceeded):
                marker = root / ".bridge" / "runs" / record.event.run_id
                exit_at = os.stat(marker / record.event.attempt_id / "exit_code").st_mtime
                delays.append(record.recorded_at.timestamp() - exit_at)
    finally:
        store.close()
    return delays


def time_bridge(n: int, sleep: str, where: str) -> tuple[float, float, list[float]]:
    """
    Wall time and CPU time (as :func:`time_xargs`) of the whole ``bridge run --plain`` process
    on a fresh project under ``where`` (its output to a file, as in a CI log), and each run's
    exit → RunSucceeded delay.
    """
    with tempfile.TemporaryDirectory(prefix="bridge-bench-", dir=where) as tmp:
        root = Path(tmp) / "project"
        write_project(root, n, sleep)
        with open(Path(tmp) / "bridge-run.out", "w") as out:
            cpu = _children_cpu()
            start = time.perf_counter()
            done = subprocess.run(
                [*_bridge(), "run", "--plain", "--project", str(root)],
                env=ENV,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            wall = time.perf_counter() - start
            cpu = _children_cpu() - cpu
        if done.returncode != 0:
            text = (Path(tmp) / "bridge-run.out").read_text()
            raise SystemExit(f"bridge run exited {done.returncode}:\n{text[-3000:]}")
        delays = exit_to_event_delays(root)
        if len(delays) != n:
            raise SystemExit(f"{len(delays)} of {n} runs succeeded")
        return wall, cpu, delays


def measure(n: int, sleep: str, where: str, rounds: int) -> dict[str, object]:
    """
    One case, ``rounds`` rounds alternating which side goes first; each round printed as it
    ends. Returns the medians over rounds.
    """
    floors, walls, delays, cpus = [], [], [], []
    for k in range(rounds):
        if k % 2 == 0:
            floor, floor_cpu = time_xargs(n, sleep)
            wall, cpu, delay = time_bridge(n, sleep, WHERE[where])
        else:
            wall, cpu, delay = time_bridge(n, sleep, WHERE[where])
            floor, floor_cpu = time_xargs(n, sleep)
        floors.append(floor)
        walls.append(wall)
        delays.extend(delay)
        cpus.append(cpu - floor_cpu)
        round_ = {"runs": n, "sleep": sleep, "where": where, "round": k + 1}
        round_ |= {"xargs_s": round(floor, 3), "bridge_s": round(wall, 3)}
        round_ |= {"ratio": round(wall / floor, 3), "added_cpu_s": round(cpu - floor_cpu, 3)}
        print(json.dumps({**round_, "load": round(os.getloadavg()[0], 1)}), flush=True)
    floor, wall = statistics.median(floors), statistics.median(walls)
    target = TARGETS.get(sleep, 1.2)
    return {
        "runs": n,
        "sleep": sleep,
        "where": f"{where} ({WHERE[where]})",
        "rounds": rounds,
        "bridge_s": round(wall, 3),
        "xargs_s": round(floor, 3),
        "ratio": round(wall / floor, 3),
        "target": target,
        "meets": wall / floor <= target,
        "added_ms_per_run": round((wall - floor) / n * 1000, 2),
        "added_cpu_ms_per_run": round(statistics.median(cpus) / n * 1000, 2),
        "exit_to_event_median_s": round(statistics.median(delays), 3),
        "exit_to_event_p95_s": round(sorted(delays)[int(0.95 * (len(delays) - 1))], 3),
    }


def table(results: list[dict[str, object]]) -> str:
    """The medians as a Markdown table."""
    lines = [
        "| runs × sleep | where | bridge run (s) | xargs -P 4 (s) | ratio | target | meets "
        "| added ms/run | added CPU ms/run | exit → RunSucceeded median |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['runs']} × {r['sleep']} s | {r['where']} | {r['bridge_s']:.2f} "
            f"| {r['xargs_s']:.2f} | {r['ratio']:.3f} | ≤ {r['target']} "
            f"| {'yes' if r['meets'] else 'no'} | {r['added_ms_per_run']} "
            f"| {r['added_cpu_ms_per_run']} "
            f"| {r['exit_to_event_median_s']} s |"
        )
    return "\n".join(lines)


def time_sbatch(n: int, where: str) -> float:
    """
    Wall time of a minimal driver: ``sbatch`` of ``sleep 0.1`` keeping 4 jobs in Slurm, one
    ``squeue`` every 0.1 s to see which ended (Slurm's own scheduling, polled tightly).
    """
    start = time.perf_counter()
    left, live = n, set[str]()
    while left or live:
        while left and len(live) < PARALLEL:
            out = subprocess.run(
                ["sbatch", "--parsable", f"--output={where}/sbatch-%j.out", "--wrap",
                 "sleep 0.1"],
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
    from bridge.pipeline import Bridge

    with tempfile.TemporaryDirectory(prefix="bridge-bench-", dir=where) as tmp:
        root = Path(tmp) / "project"
        slurm = f'backend = "slurm"\n\n[backends.slurm]\npoll_seconds = {poll_seconds}\n'
        write_project(root, n, "0.1", slurm)
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
    """Run the benchmark: one JSON object per round, then the table of medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, action="append", help="sizes (default: see above)")
    parser.add_argument("--sleep", help="seconds each run sleeps (default: see above)")
    parser.add_argument(
        "--where", choices=sorted(WHERE), action="append", help="disk, tmpfs (default: both)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="rounds per case (default 2)")
    parser.add_argument("--slurm", action="store_true", help="through Slurm (see above)")
    parser.add_argument("--poll-seconds", type=float, default=1.0, help="backends.slurm setting")
    args = parser.parse_args()
    warm(ENV)
    if args.slurm:
        import structlog

        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(40))
        cluster = _slurm_cluster()
        try:
            for n in args.runs or [40]:
                print(json.dumps(measure_slurm(n, args.poll_seconds)), flush=True)
        finally:
            if cluster is not None:
                cluster.stop()  # type: ignore[attr-defined]
        return
    warm_command()
    if args.runs or args.sleep:
        cases = [(n, args.sleep or "0.1") for n in args.runs or [120]]
    else:
        cases = DEFAULT_CASES
    results = []
    for n, sleep in cases:
        for where in args.where or ["disk", "tmpfs"]:
            results.append(measure(n, sleep, where, args.rounds))
    print(f"\nload average: {os.getloadavg()}, {os.cpu_count()} CPUs\n")
    print(table(results))


if __name__ == "__main__":
    main()
