"""
Real research projects in ``tmp_path`` for whole-pipeline tests: a plan, a tracker, a
``bridge.toml`` and one experiment script that leaves marker lines behind.

The script ``scripts/job.py`` appends ``start <time> <pid> <CUDA_VISIBLE_DEVICES>`` to
``markers/<run>`` when it starts and ``end <time> <pid>`` when it ends, so a test can tell how
many times each run executed, when, and on which GPU, from files the bridge never writes.
Its ``--mode``: ``ok``; ``fail`` (a ValueError, exit 1); ``oom`` (a CUDA out-of-memory error);
``broken`` (fails while ``scripts/job.py`` says ``BROKEN = True``); ``flaky`` (fails its
first attempt only); ``empty`` (succeeds with a ``metrics.json`` of ``{}``); ``gate`` (waits, at
most a minute, for the file ``markers/open.flag``); ``hold`` (starts a
grandchild ``sleep`` and waits for it, writing its pid to ``markers/<run>.child``). In mode
``ok`` a run writes the accuracy in ``markers/<run>.accuracy`` when a test wrote one (0.9 else).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import attrs
import pytest

# The scripted OpenAI-compatible server, started per test: one definition for every pipeline
# test that asks a reviewer.
from tests.adapters.review.conftest import openai_server  # noqa: F401

E = TypeVar("E")

REPO_ROOT = Path(__file__).resolve().parents[2]

JOB = """\
import argparse, os, pathlib, subprocess, sys, time

BROKEN = False

parser = argparse.ArgumentParser()
parser.add_argument("--run", required=True)
parser.add_argument("--mode", default="ok")
parser.add_argument("--sleep", type=float, default=0.0)
parser.add_argument("--name", default="")
parser.add_argument("--seed", default="0")
parser.add_argument("--out", required=True)
args = parser.parse_args()
markers = pathlib.Path("markers")
markers.mkdir(exist_ok=True)
gpu = os.environ.get("CUDA_VISIBLE_DEVICES", "")
with open(markers / args.run, "a") as log:
    log.write(f"start {time.time()!r} {os.getpid()} {gpu or '-'}\\n")
print("starting", args.run, flush=True)
pathlib.Path(args.out, "argv.txt").write_text("\\n".join(sys.argv[1:]))
if args.mode == "hold":
    child = subprocess.Popen(["sleep", "60"])
    (markers / f"{args.run}.child").write_text(str(child.pid))
    child.wait()
time.sleep(args.sleep)
if args.mode == "gate":
    deadline = time.time() + 60
    while not (markers / "open.flag").exists() and time.time() < deadline:
        time.sleep(0.02)
if args.mode == "fail":
    raise ValueError("the loss went the wrong way")
if args.mode == "oom":
    print("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB", file=sys.stderr)
    sys.exit(1)
if args.mode == "broken" and BROKEN:
    raise KeyError("labels")
if args.mode == "flaky" and (markers / args.run).read_text().count("start") == 1:
    raise RuntimeError("a flaky first attempt")
metrics = {"empty": "{}", "cut": '{"accuracy": 0.9', "nan": '{"accuracy": NaN}'}.get(
    args.mode, '{"accuracy": 0.9}'
)
given = markers / f"{args.run}.accuracy"
if args.mode == "ok" and given.exists():  # a test's other number for the run's next execution
    metrics = '{"accuracy": %s}' % given.read_text().strip()
if args.mode != "none":  # "none": a data preparation step, no metrics file at all
    pathlib.Path(args.out, "metrics.json").write_text(metrics)
with open(markers / args.run, "a") as log:
    log.write(f"end {time.time()!r} {os.getpid()}\\n")
"""

PLAN_HEAD = """\
# Experiment Plan — Pipeline test

**Problem**: Does the bridge run every planned run exactly once?
**Method Thesis**: A small script that writes markers shows what ran, when and where.
**Date**: 2026-01-15

## Experiment Blocks

"""

BLOCK = """\
### Block {n}: {title}
- **Claim tested**: {title} works.
- **Compared systems**:
{systems}
- **Metrics**: accuracy.
- **Setup details**: seed 0.
- **Success criterion**: accuracy > 0.5.
- **Priority**: MUST-RUN.

"""


@attrs.frozen(kw_only=True)
class Run:
    """
    One tracker row plus its per-run arguments.
    """

    id: str
    milestone: str
    system: str = "main"
    priority: str = "MUST"
    mode: str = "ok"
    sleep: float = 0.0
    depends_on: tuple[str, ...] = ()


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_project(
    root: Path,
    runs: Sequence[Run],
    *,
    sanity: str | None = "M0",
    bridge: str = "max_parallel = 2\ncode_review = false",
    run: str = "",
    extra: str = "",
    budget: str = "1",
) -> Path:
    """
    Write a whole project under ``root`` and return it.

    Args:
        runs: the tracker rows, in order; milestones are taken in order of first appearance.
        sanity: the id of the sanity milestone (named "Sanity"), or None.
        bridge: lines of the ``[bridge]`` table.
        run: extra lines of the ``[run]`` table.
        extra: more TOML after everything else.
        budget: the plan's total GPU-hours.
    """
    (root / "refine-logs").mkdir(parents=True, exist_ok=True)
    (root / "scripts").mkdir(exist_ok=True)
    (root / "scripts" / "job.py").write_text(JOB)
    milestones = list(dict.fromkeys(r.milestone for r in runs))
    systems = list(dict.fromkeys(r.system for r in runs))
    blocks = "".join(
        BLOCK.format(n=i, title=m, systems="\n".join(f"  - {s}" for s in systems))
        for i, m in enumerate(milestones)
    )
    rows = "\n".join(
        f"| {m} | {'Sanity' if m == sanity else 'Main'} | "
        f"{', '.join(r.id for r in runs if r.milestone == m)} (Block {i}) | ok | 1 | none |"
        for i, m in enumerate(milestones)
    )
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        PLAN_HEAD
        + blocks
        + "## Run Order and Milestones\n\n"
        + "| Milestone | Goal | Runs | Decision Gate | Cost | Risk |\n"
        + "|-----------|------|------|---------------|------|------|\n"
        + rows
        + f"\n\n## Compute and Data Budget\n- **Total estimated GPU-hours**: {budget}\n"
    )
    tracker = [
        "# Experiment Tracker",
        "",
        "| Run ID | Milestone | Purpose | System / Variant | Split | Metrics | Priority | Status "
        "| Notes |",
        "|--------|-----------|---------|------------------|-------|---------|----------|--------"
        "|-------|",
    ]
    for r in runs:
        purpose = "sanity" if r.milestone == sanity else "main"
        tracker.append(
            f"| {r.id} | {r.milestone} | {purpose} | {r.system} | test | accuracy | "
            f"{r.priority} | TODO | seed 0 |"
        )
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text("\n".join(tracker) + "\n")
    command = [
        sys.executable,
        "scripts/job.py",
        "--run",
        "{run_id}",
        "--mode",
        "{mode}",
        "--sleep",
        "{sleep}",
        "--name",
        "{system}",
        "--out",
        "{output_dir}",
    ]
    entries = "".join(
        f"\n[[runs]]\nid = {_toml_str(r.id)}\n"
        f"args = {{ mode = {_toml_str(r.mode)}, sleep = {_toml_str(str(r.sleep))} }}\n"
        + (
            f"depends_on = [{', '.join(_toml_str(d) for d in r.depends_on)}]\n"
            if r.depends_on
            else ""
        )
        for r in runs
    )
    (root / "bridge.toml").write_text(
        f"[bridge]\n{bridge}\n\n[run]\ncommand = [{', '.join(_toml_str(t) for t in command)}]\n"
        f'outputs = ["metrics.json"]\nargs = {{ mode = "ok", sleep = "0" }}\n{run}\n'
        f"{entries}\n{extra}\n"
    )
    return root


@attrs.frozen(kw_only=True)
class Execution:
    """
    One execution of a run, read back from its marker file.
    """

    run_id: str
    start: float
    end: float | None
    pid: int
    gpu: str


def executions(root: Path) -> dict[str, list[Execution]]:
    """
    Every execution the experiment scripts recorded, by run id.
    """
    found: dict[str, list[Execution]] = {}
    markers = root / "markers"
    for path in sorted(markers.iterdir()) if markers.is_dir() else []:
        if "." in path.name:
            continue
        ends = {}
        starts = []
        for line in path.read_text().splitlines():
            kind, at, pid, *rest = line.split()
            if kind == "start":
                starts.append((float(at), int(pid), rest[0]))
            else:
                ends[int(pid)] = float(at)
        found[path.name] = [
            Execution(run_id=path.name, start=s, end=ends.get(p), pid=p, gpu=g)
            for s, p, g in starts
        ]
    return found


def wait_for(condition: Callable[[], object], timeout: float = 20.0, what: str = "") -> object:
    """
    Poll ``condition`` until it returns something truthy; fail the test after ``timeout``.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what or condition}")
        time.sleep(0.02)


def recorded(root: Path, kind: type[E]) -> list[E]:
    """Every event of type ``kind`` in the project's log, decoded, in log order."""
    from bridge.events.store import SQLiteEventStore

    store = SQLiteEventStore(root / ".bridge" / "events.db")
    try:
        return [r.event for r in store.read() if isinstance(r.event, kind)]
    finally:
        store.close()


def events_of(root: Path) -> list[tuple[int, str, str]]:
    """
    ``(seq, stream, type)`` of every event in the project's log, read with plain sqlite3.
    """
    db = root / ".bridge" / "events.db"
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return list(conn.execute("SELECT seq, stream, type FROM events ORDER BY seq"))
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


DRIVER = """\
import sys
from bridge.errors import LockedError
from bridge.pipeline import Bridge
try:
    print(Bridge(sys.argv[1]).run().value)
except LockedError as exc:
    print(f"locked: {exc}", file=sys.stderr)
    sys.exit(3)
"""


def start_bridge(root: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """
    Start ``Bridge(root).run()`` in its own process (a real ``bridge run`` equivalent).
    """
    full = dict(os.environ) | {"PYTHONPATH": str(REPO_ROOT)} | (env or {})
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(root)],
        env=full,
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def fake_gpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """
    Put a fake ``nvidia-smi`` reporting ``n`` idle GPUs first on PATH.
    """

    def install(n: int) -> None:
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir(exist_ok=True)
        lines = "\\n".join(f"{k}, 10, 16000" for k in range(n))
        script = bin_dir / "nvidia-smi"
        # --query-compute-apps (GPU memory per process) answers: no process uses a GPU.
        script.write_text(
            f'#!/bin/sh\ncase "$1" in --query-compute-apps=*) exit 0 ;; esac\n'
            f"printf '{lines}\\n'\n"
        )
        script.chmod(0o755)
        monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    return install


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """
    The directory a test writes its project into.
    """
    root = tmp_path / "project"
    root.mkdir()
    yield root
