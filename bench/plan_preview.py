"""
Benchmark: the whole ``bridge plan`` command on generated plans of growing size, to show how the
preview grows with the plan (it asks, for each block's criterion, which runs of other blocks
stand for the systems it compares).

Each size is a plan of N blocks (two compared systems each, one criterion comparing them, one
metric) and 4·N tracker rows, four per block. Every size runs as a fresh process, as a user runs
it, rounds alternating between sizes; the CPU time (user + system) of the process is reported,
which load elsewhere on the machine changes far less than the wall time. The floor is the
smallest size measured in the same run: for each larger size the bench prints its time over the
floor's against its size over the floor's (``growth``: 1.0 is linear, the size ratio is
quadratic).

Usage::

    python bench/plan_preview.py                       # 25, 100 and 400 blocks, 3 rounds
    python bench/plan_preview.py --blocks 25 --blocks 200 --rounds 5
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from installed import child_env, warm  # noqa: E402

ENV = child_env(REPO)


def write_plan(root: Path, blocks: int) -> None:
    """A plan of ``blocks`` blocks and four tracker rows per block under ``root/refine-logs``."""
    logs = root / "refine-logs"
    logs.mkdir(parents=True)
    text = ["# Plan\n\n## Experiment blocks\n"]
    for k in range(1, blocks + 1):
        text.append(
            f"\n### Block B{k}: Experiment {k}\n- Systems: ours{k}, base{k}\n- Metrics: acc\n"
            f"- Success criterion: ours{k} beats base{k} on acc by ≥ 1 pp\n- Seeds: 3\n"
        )
    text.append("\n## Milestones\n| Milestone | Blocks |\n|---|---|\n| M1 main | all |\n")
    (logs / "EXPERIMENT_PLAN.md").write_text("".join(text))
    rows = "".join(
        f"| R{k * 4 + j:05d} | M1 | B{k} | {'ours' if j % 2 else 'base'}{k} | TODO | |\n"
        for k in range(1, blocks + 1)
        for j in range(4)
    )
    (logs / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | Block | System | Status | Notes |\n|---|---|---|---|---|---|\n"
        + rows
    )


def time_plan(root: Path) -> float:
    """CPU seconds (user + system) of one whole ``bridge plan`` process on ``root``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "bridge", "plan", "--project", str(root)],
        env=ENV,
        cwd=root,
        capture_output=True,
        text=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"bridge plan exited {done.returncode}:\n{done.stderr[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--blocks", type=int, action="append", help="sizes (default 25 100 400)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per size (default 3)")
    args = parser.parse_args()
    sizes = sorted(set(args.blocks or [25, 100, 400]))
    warm(ENV)
    times: dict[int, list[float]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory(prefix="bridge-plan-bench-") as tmp:
        roots = {n: Path(tmp) / f"p{n}" for n in sizes}
        for n, root in roots.items():
            write_plan(root, n)
        for k in range(args.rounds):
            for n in sizes if k % 2 == 0 else reversed(sizes):
                times[n].append(time_plan(roots[n]))
    floor_n = sizes[0]
    floor = statistics.median(times[floor_n])
    print(f"| blocks | runs | `bridge plan` CPU (s) | × {floor_n} blocks' | size × | growth |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        cpu = statistics.median(times[n])
        ratio, size = cpu / floor, n / floor_n
        print(f"| {n} | {4 * n} | {cpu:.2f} | {ratio:.2f} | {size:.0f} | {ratio / size:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
