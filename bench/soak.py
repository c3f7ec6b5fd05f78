"""
Soak: random SIGKILL, SIGTERM and SIGINT against ``bridge run`` on real projects, then count.

Projects of ``--runs`` runs (default 30: one sanity run, the rest in two milestones, each a real
Python script that leaves ``start``/``end`` marker lines, from ``tests/pipeline/conftest.py``)
are driven by ``bridge run`` subprocesses that are stopped by a random signal after a random
delay (0.05-2.5 s: during start-up, plan loading, sanity, deploy and collection alike). Every
fifth round starts three runners at once on the same project (they race for its lock) and
signals all three. A project that reaches COLLECTED is checked and replaced by a fresh one.
When ``--kills`` signals have landed, every project is finished by one undisturbed
``bridge run`` and checked:

- **duplicates**: runs whose script started more than once (every script succeeds, so any
  second start is a relaunch);
- **losses**: runs not SUCCEEDED in the folded log, or whose script never ended;
- **tracebacks**: a runner's stderr holding "Traceback" (SIGKILL aside, none is expected);
  a SIGINT that lands while Python is still importing the package, before bridge's own code
  runs, is counted apart;
- **verify**: projects whose ``bridge verify`` failed.

Not part of the test suite (minutes). Usage::

    python bench/soak.py                    # 150 kills, 3 projects at a time, 30 runs each
    python bench/soak.py --kills 300 --runs 40 --seed 7
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bridge.events.store import SQLiteEventStore  # noqa: E402
from bridge.machine.fold import fold  # noqa: E402
from bridge.machine.stages import RunState, Stage  # noqa: E402
from tests.pipeline.conftest import Run, executions, write_project  # noqa: E402

SIGNALS = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)
ENV = dict(os.environ) | {"PYTHONPATH": str(REPO)}


class Tally:
    """What the soak counted, shared by the project threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kills: Counter[str] = Counter()
        self.runs = 0
        self.projects = 0
        self.duplicates: list[str] = []
        self.losses: list[str] = []
        self.tracebacks: list[str] = []
        self.verify_failures: list[str] = []
        self.locked = 0
        self.import_interrupts = 0

    def total_kills(self) -> int:
        with self.lock:
            return sum(self.kills.values())


def _runner(project: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bridge", "run", "--plain", "--project", str(project)],
        env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _new_project(root: Path, n: int, rng: random.Random) -> Path:
    runs = [Run(id="R00", milestone="M0", system="sanity", sleep=0.05)]
    runs += [
        Run(id=f"R{k:02d}", milestone="M1" if k <= n // 2 else "M2", sleep=rng.uniform(0.05, 0.4))
        for k in range(1, n)
    ]
    write_project(root, runs, bridge="max_parallel = 4\ncode_review = false")
    return root


def _state(project: Path) -> Stage | None:
    db = project / ".bridge" / "events.db"
    if not db.exists():
        return None
    store = SQLiteEventStore(db, check=False)
    try:
        return fold(store.read()).stage
    finally:
        store.close()


def _check(project: Path, tally: Tally) -> None:
    """Finish the project undisturbed and count duplicates and losses."""
    done = _runner(project)
    _, err = done.communicate(timeout=600)
    if "Traceback" in err:
        tally.tracebacks.append(f"{project.name} final: {err[-400:]}")
    store = SQLiteEventStore(project / ".bridge" / "events.db", check=False)
    try:
        state = fold(store.read())
    finally:
        store.close()
    ran = executions(project)
    verify = subprocess.run(
        [sys.executable, "-m", "bridge", "verify", "--project", str(project)],
        env=ENV, capture_output=True, text=True, check=False,
    )  # fmt: skip
    with tally.lock:
        tally.projects += 1
        tally.runs += len(state.runs)
        for run in state.runs.values():
            starts = ran.get(run.run_id, [])
            if len(starts) > 1:
                tally.duplicates.append(f"{project.name}/{run.run_id} ran {len(starts)} times")
            if run.state is not RunState.SUCCEEDED or not starts or starts[-1].end is None:
                tally.losses.append(f"{project.name}/{run.run_id}: {run.state.value}")
        if verify.returncode != 0:
            tally.verify_failures.append(f"{project.name}: {verify.stdout[-300:]}")


def _signal(proc: subprocess.Popen[str], rng: random.Random, tally: Tally) -> None:
    if proc.poll() is not None:
        return
    signum = rng.choice(SIGNALS)
    proc.send_signal(signum)
    with tally.lock:
        tally.kills[signum.name] += 1


def _reap(proc: subprocess.Popen[str], tally: Tally, where: str) -> None:
    _, err = proc.communicate(timeout=300)
    with tally.lock:
        if "Traceback" in err and proc.returncode != -signal.SIGKILL:
            if "KeyboardInterrupt" in err and "importlib._bootstrap" in err:
                # Ctrl-C while Python imports bridge, before any of bridge's code runs.
                tally.import_interrupts += 1
            else:
                tally.tracebacks.append(f"{where} (exit {proc.returncode}): {err[-400:]}")
        if "another bridge process" in err:
            tally.locked += 1


def _soak(base: Path, index: int, args: argparse.Namespace, tally: Tally) -> None:
    rng = random.Random(args.seed * 1000 + index)
    generation = 0
    project = _new_project(base / f"p{index}-{generation}", args.runs, rng)
    rounds = 0
    while tally.total_kills() < args.kills:
        rounds += 1
        crowd = 3 if rounds % 5 == 0 else 1
        procs = [_runner(project) for _ in range(crowd)]
        time.sleep(rng.uniform(0.05, 2.5))
        for proc in procs:
            _signal(proc, rng, tally)
        for proc in procs:
            _reap(proc, tally, f"{project.name} round {rounds}")
        if _state(project) is Stage.COLLECTED:
            _check(project, tally)
            generation += 1
            project = _new_project(base / f"p{index}-{generation}", args.runs, rng)
    _check(project, tally)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=150)
    parser.add_argument("--runs", type=int, default=30, help="runs per project")
    parser.add_argument("--projects", type=int, default=3, help="projects soaked at once")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    tally = Tally()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bridge-soak-") as tmp:
        threads = [
            threading.Thread(target=_soak, args=(Path(tmp), k, args, tally))
            for k in range(args.projects)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    kills = sum(tally.kills.values())
    detail = ", ".join(f"{name} {count}" for name, count in sorted(tally.kills.items()))
    print(f"projects {tally.projects} ({args.runs} runs each, {args.projects} soaked at once)")
    print(f"runs {tally.runs}")
    print(f"kills {kills} ({detail}); runners refused by the lock {tally.locked}")
    print(f"duplicates {len(tally.duplicates)}")
    print(f"losses {len(tally.losses)}")
    print(f"tracebacks {len(tally.tracebacks)}")
    print(f"SIGINT while Python imported bridge (import traceback) {tally.import_interrupts}")
    print(f"verify failures {len(tally.verify_failures)}")
    print(f"wall {time.monotonic() - started:.0f} s")
    for line in [*tally.duplicates, *tally.losses, *tally.tracebacks, *tally.verify_failures]:
        print("  " + line)
    bad = tally.duplicates or tally.losses or tally.tracebacks or tally.verify_failures
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
