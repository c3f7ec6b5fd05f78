"""
Start-up benchmark: whole ``bridge`` processes as a user runs them, against a bare Python that
imports argparse, measured in the same run with rounds alternating.

Reports, for ``bridge --help`` (target ≤ 4× the floor), ``bridge status`` on a finished small
project (the quickstart, target ≤ 8×) and ``import bridge`` (no target; what it loads is listed):
the median wall time of each, the floor's, ratio / target / meets, and a ``python -X importtime``
attribution of what remains (self time summed per top-level package, and the slowest modules).

With ``--long-log N`` it measures instead ``bridge status`` on an N-event log (default 1M)
against the same command on a 1,000-event log of the same project (target ≤ 2×): both logs are
the recorded quickstart log with polls of a live run (``run.artifacts_fetched``,
``run.queue_noted``: what a long campaign repeats) inserted while its first run runs, so both end
in the same state. The long log holds one snapshot 999 events before its head (the most the
session's every-1,000-events policy leaves to fold); the short one none (a fold from seq 1). It
also times one status on the long log with its snapshots removed.

Usage::

    python bench/cli.py               # 15 rounds
    python bench/cli.py --rounds 30
    python bench/cli.py --long-log 1000000 --rounds 7
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the checkout under test, for building the logs
from installed import child_env, warm  # noqa: E402

ENV = child_env(REPO, COLUMNS="100")  # bytecode cached, as an installed bridge has it
FLOOR = [sys.executable, "-c", "import argparse"]


def _bridge() -> list[str]:
    """The console script beside this Python (what a user runs), else ``python -m bridge``."""
    script = Path(sys.executable).parent / "bridge"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bridge"]


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _finished_project(tmp: Path) -> Path:
    project = tmp / "quickstart"
    shutil.copytree(
        REPO / "examples" / "quickstart", project, ignore=shutil.ignore_patterns(".bridge")
    )
    subprocess.run(
        [sys.executable, "-m", "bridge", "run", "--plain", "--project", str(project)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return project


_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def attribution(code: str, top: int = 8) -> str:
    """Self time per top-level package and the slowest modules, from ``-X importtime``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    per_package: dict[str, int] = defaultdict(int)
    modules: list[tuple[int, str]] = []
    for match in _LINE.finditer(done.stderr):
        self_us, name = int(match.group(1)), match.group(4)
        package = (
            ".".join(name.split(".")[:2]) if name.startswith("bridge.") else name.split(".")[0]
        )
        per_package[package] += self_us
        modules.append((self_us, name))
    total = sum(per_package.values())
    lines = [f"    imports: {total / 1000:.0f} ms self time in all"]
    ranked = sorted(per_package.items(), key=lambda kv: -kv[1])[:top]
    lines.append("    by package: " + ", ".join(f"{p} {us / 1000:.0f} ms" for p, us in ranked))
    slow = sorted(modules, reverse=True)[:top]
    lines.append("    slowest modules: " + ", ".join(f"{n} {us / 1000:.0f} ms" for us, n in slow))
    return "\n".join(lines)


def _with_polls(project: Path, target: Path, total: int) -> int:
    """
    Copy ``project`` to ``target`` with a log of ``total`` events: the project's own log with
    polls of its first run inserted while that run runs. Returns the seq the polls start after.
    """
    from bridge.events import types as ev
    from bridge.events.store import SQLiteEventStore

    shutil.copytree(project, target, ignore=shutil.ignore_patterns(".bridge"))
    source = SQLiteEventStore(project / ".bridge" / "events.db")
    records = list(source.read())
    source.close()
    at = next(i for i, r in enumerate(records) if isinstance(r.event, ev.RunStarted))
    started = records[at].event
    assert isinstance(started, ev.RunStarted)
    fetched = next(
        r.event for r in records
        if isinstance(r.event, ev.ArtifactsFetched) and r.event.attempt_id == started.attempt_id
    )  # fmt: skip
    polls = [
        ev.ArtifactsFetched(
            run_id=started.run_id, attempt_id=started.attempt_id, local_dir=fetched.local_dir
        ),
        ev.RunQueueNoted(run_id=started.run_id, attempt_id=started.attempt_id, waiting=""),
    ]
    store = SQLiteEventStore(target / ".bridge" / "events.db")
    try:

        def copy(part: list[Any]) -> None:
            group: list[Any] = []
            for record in part:  # one append per run of records on one stream
                if group and group[-1].stream != record.stream:
                    store.append(group[0].stream, [r.event for r in group], None)
                    group = []
                group.append(record)
            if group:
                store.append(group[0].stream, [r.event for r in group], None)

        copy(records[: at + 1])
        left = total - len(records)
        while left > 0:
            size = min(left, 20_000)
            store.append(f"run:{started.run_id}", [polls[i % 2] for i in range(size)], None)
            left -= size
        copy(records[at + 1 :])
    finally:
        store.close()
    return at + 1


def _snapshot_at(project: Path, seq: int) -> None:
    """Take the snapshot a session would have taken at ``seq``."""
    from bridge.events.store import SQLiteEventStore
    from bridge.machine.fold import Folder
    from bridge.pipeline import snapshots

    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        folder = Folder()
        folder.apply_all(itertools.takewhile(lambda r: r.seq <= seq, store.read()))
        snapshots.take(store, folder)
    finally:
        store.close()


def long_log(rounds: int, events: int) -> None:
    """``bridge status`` on an ``events``-long log against a 1,000-event one (target ≤ 2×)."""
    import sqlite3

    bridge = _bridge()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        finished = _finished_project(Path(tmp))
        short, long = Path(tmp) / "short", Path(tmp) / "long"
        start = time.perf_counter()
        _with_polls(finished, short, 1000)
        _with_polls(finished, long, events)
        _snapshot_at(long, events - 999)
        built = time.perf_counter() - start
        times: dict[str, list[float]] = {"short": [], "long": []}
        for _ in range(rounds):  # alternate, so load changes hit both alike
            times["short"].append(_time([*bridge, "status", "--project", str(short)]))
            times["long"].append(_time([*bridge, "status", "--project", str(long)]))
        conn = sqlite3.connect(long / ".bridge" / "events.db")
        conn.execute("DELETE FROM snapshots")
        conn.commit()
        conn.close()
        unsnapped = _time([*bridge, "status", "--project", str(long)])
        floor, took = statistics.median(times["short"]), statistics.median(times["long"])
        ratio = took / floor
        print(
            f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; "
            f"{rounds} rounds, medians; logs built in {built:.0f} s"
        )
        print(f"floor  bridge status, 1,000-event log (no snapshot)   {floor * 1000:8.1f} ms")
        print(
            f"bridge status, {events:,}-event log (snapshot + 999)  {took * 1000:8.1f} ms  "
            f"ratio {ratio:5.2f}×  target ≤ 2×  meets: {ratio <= 2.0}"
        )
        print(
            f"  the same log without its snapshot (one round)        {unsnapped * 1000:8.1f} ms  "
            f"ratio {unsnapped / floor:5.2f}×"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--long-log", type=int, default=None, metavar="N",
                        help="measure bridge status on an N-event log instead")  # fmt: skip
    args = parser.parse_args()
    warm(ENV)
    if args.long_log is not None:
        long_log(args.rounds, args.long_log)
        return
    bridge = _bridge()
    with tempfile.TemporaryDirectory() as tmp:
        project = _finished_project(Path(tmp))
        cases = {
            "bridge --help": ([*bridge, "--help"], 4.0),
            "bridge status (finished quickstart)": (
                [*bridge, "status", "--project", str(project)],
                8.0,
            ),
            "import bridge": ([sys.executable, "-c", "import bridge"], None),
        }
        times: dict[str, list[float]] = {"floor": [], **{name: [] for name in cases}}
        for _ in range(args.rounds):  # alternate, so load changes hit every case alike
            times["floor"].append(_time(FLOOR))
            for name, (argv, _target) in cases.items():
                times[name].append(_time(argv))
        floor = statistics.median(times["floor"])
        print(
            f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; "
            f"{args.rounds} rounds, medians"
        )
        print(f"floor  python -c 'import argparse'  {floor * 1000:7.1f} ms")
        for name, (_argv, target) in cases.items():
            took = statistics.median(times[name])
            ratio = took / floor
            verdict = "" if target is None else f"  target ≤ {target:g}×  meets: {ratio <= target}"
            print(f"{name:<36} {took * 1000:7.1f} ms  ratio {ratio:5.2f}×{verdict}")
        print("what remains (python -X importtime):")
        print("  bridge --help")
        print(
            attribution(
                "from bridge.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass"
            )
        )
        print("  bridge status")
        print(
            attribution(
                f"from bridge.cli import main; main(['status', '--project', {str(project)!r}])"
            )
        )
        probe = (
            "import bridge, sys; print(' '.join(sorted(m for m in sys.modules if m.startswith("
            "('bridge', 'rich', 'httpx', 'sqlite', 'structlog')))))"
        )
        loaded = subprocess.run(
            [sys.executable, "-c", probe], env=ENV, capture_output=True, text=True, check=True
        ).stdout.strip()
        print(f"  import bridge loads: {loaded}")


if __name__ == "__main__":
    main()
