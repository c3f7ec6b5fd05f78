"""
Benchmark: bridge's event store against raw stdlib ``sqlite3`` doing the same work.

Three measurements, each run side by side in one invocation, at the same durability (WAL,
``synchronous=FULL``), on the same row shape (every column of ``events``, a precomputed JSON
``data`` column, the same ``UNIQUE(stream, version)`` index and the same append-only triggers):

(a) durable single-event appends: one transaction (and one fsync) per event;
(b) 1,000-event appends, one transaction each;
(c) a full read + decode + fold of an ``--events``-long log (default 1,000,000): events/s (wall
    and CPU time) and peak RSS growth. Raw reads the same file's rows and parses ``data`` with
    ``orjson.loads`` (``json.loads`` is printed too, for reference). Each read runs in a fresh
    process, so its peak RSS is its own.

The raw side is handed its JSON and hashes precomputed and tracks seq and versions in Python
variables: it is the floor of what any SQLite event store can cost. Prints the ratio bridge/raw
for each, against the targets of issue 2: (a) ≥ 0.7, (b) ≥ 0.5, (c) ≥ 0.5 with RSS growth
≤ 50 MiB.

Run from the repository root::

    python bench/event_store.py                 # the full run (a few minutes)
    python bench/event_store.py --events 100000 # a quicker one

The log for (c) is real: bridge runs the quickstart and the two real projects of
``../shared/projects`` (as the acceptance test does) at bench time, and their logs are copied
with renamed runs until ``--events`` (``bench/realistic_log.py``), so it holds what a real log
holds (plans, stage changes, run lifecycles, outputs written, metrics, findings) in the
proportions bridge wrote them. The folded state grows with the log (every run copied is a run),
so the RSS growth measures the state as well as the read path. ``--log PATH`` keeps the log at
PATH and reuses it on the next run (recording takes minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import orjson  # noqa: E402

from bench import realistic_log  # noqa: E402
from bridge.events import codec  # noqa: E402
from bridge.events import types as ev  # noqa: E402
from bridge.events.store import SQLiteEventStore  # noqa: E402
from bridge.events.values import Artifact, JobHandle, Slot  # noqa: E402
from bridge.machine.fold import fold  # noqa: E402

TARGETS = {"a": 0.7, "b": 0.5, "c": 0.5}
RSS_LIMIT_MIB = 50.0

_DDL = (
    """CREATE TABLE events (seq INTEGER PRIMARY KEY, stream TEXT NOT NULL,
       version INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
       recorded_at TEXT NOT NULL, causation TEXT, correlation TEXT, data TEXT NOT NULL,
       prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""",
    "CREATE UNIQUE INDEX idx_events_stream_version ON events (stream, version)",
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'bridge events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'bridge events are append-only: DELETE refused'); END""",
)
_INSERT = (
    "INSERT INTO events (seq, stream, version, type, schema_version, recorded_at, causation, "
    "correlation, data, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)


# -- workloads ------------------------------------------------------------------------------


def _attempt(run: int) -> str:
    return f"R{run:04d}-a1"


def run_prologue(run: int) -> list[Any]:
    """The first three events of run ``run``: planned, submitted, started."""
    run_id = f"R{run:04d}"
    return [
        ev.RunPlanned(
            run_id=run_id,
            milestone="M1",
            block="B1",
            system="ours",
            seed=run % 5,
            purpose="main result",
            split="test",
            metrics=("acc", "f1"),
            command=("python", "train.py", "--seed", "{seed}"),
            params={"lr": "3e-4"},
            outputs=("results.json",),
            estimated_minutes=30.0,
            gpus=1,
            timeout_minutes=120.0,
        ),
        ev.RunSubmitted(
            run_id=run_id,
            attempt_id=_attempt(run),
            attempt=1,
            backend="ssh",
            slots=(Slot(host="gpu1", gpu=run % 8),),
            argv=("python", "train.py", "--seed", str(run % 5)),
            output_dir=f"runs/{run_id}/a1",
        ),
        ev.RunStarted(
            run_id=run_id,
            attempt_id=_attempt(run),
            handle=JobHandle(
                backend="ssh",
                attempt_id=_attempt(run),
                locator={"host": "gpu1", "pid": str(4000 + run)},
            ),
        ),
    ]


def run_middle(run: int, i: int) -> Any:
    """One event of the long middle of a run: an artifact fetch or an overdue flag."""
    run_id = f"R{run:04d}"
    if i % 2:
        return ev.RunOverdue(
            run_id=run_id,
            attempt_id=_attempt(run),
            estimated_minutes=30.0,
            elapsed_minutes=60.0 + i,
        )
    return ev.ArtifactsFetched(
        run_id=run_id,
        attempt_id=_attempt(run),
        local_dir=f"runs/{run_id}/a1/{i}",
        artifacts=(Artifact(path="metrics.json", size=1000 + i, sha256="ab" * 32),),
    )


def run_epilogue(run: int) -> Any:
    """The last event of run ``run``."""
    return ev.RunSucceeded(run_id=f"R{run:04d}", attempt_id=_attempt(run), gpu_seconds=1800.0)


def sample_events(n: int) -> list[tuple[str, Any]]:
    """``n`` (stream, event) pairs for the append benchmarks, cycling over run event types."""
    out: list[tuple[str, Any]] = []
    run = 0
    while len(out) < n:
        stream = f"run:R{run:04d}"
        for evt in [*run_prologue(run), run_middle(run, 1), run_middle(run, 2), run_epilogue(run)]:
            out.append((stream, evt))
        run += 1
    return out[:n]


# -- raw sqlite3 ----------------------------------------------------------------------------


def raw_connect(path: Path) -> sqlite3.Connection:
    """A raw connection at bridge's durability, with bridge's schema."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    for ddl in _DDL:
        conn.execute(ddl)
    return conn


def raw_rows(pairs: list[tuple[str, Any]]) -> list[tuple[Any, ...]]:
    """Precomputed rows (JSON and a hash-shaped string) for the raw side."""
    rows = []
    versions: dict[str, int] = {}
    at = datetime.now(UTC).isoformat()
    for seq, (stream, evt) in enumerate(pairs, start=1):
        tag, schema, data = codec.encode(evt)
        versions[stream] = versions.get(stream, 0) + 1
        rows.append(
            (
                seq,
                stream,
                versions[stream],
                tag,
                schema,
                at,
                None,
                None,
                data,
                f"{seq - 1:064x}",
                f"{seq:064x}",
            )
        )
    return rows


def bench_single(tmp: Path, n: int) -> tuple[float, float]:
    """
    (a): events/s for bridge and raw, one durable transaction per event.

    The two sides alternate append by append, each timed on its own, so a burst of load from
    elsewhere on the machine (or a slow fsync) falls on both alike.
    """
    pairs = sample_events(n)
    rows = raw_rows(pairs)
    conn = raw_connect(tmp / "a_raw.db")
    store = SQLiteEventStore(tmp / "a_bridge.db")
    versions: dict[str, int] = {}
    raw_time = bridge_time = 0.0
    clock = time.perf_counter
    for row, (stream, evt) in zip(rows, pairs, strict=True):
        start = clock()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(_INSERT, row)
        conn.execute("COMMIT")
        middle = clock()
        versions[stream] = store.append(stream, [evt], versions.get(stream, 0))
        end = clock()
        raw_time += middle - start
        bridge_time += end - middle
    conn.close()
    store.close()
    return n / bridge_time, n / raw_time


def bench_batched(tmp: Path, batches: int, size: int) -> tuple[float, float]:
    """(b): events/s for bridge and raw, ``size`` events per transaction, alternating."""
    pairs = [(f"run:B{b:04d}", evt) for b in range(batches) for _, evt in sample_events(size)]
    rows = raw_rows(pairs)
    conn = raw_connect(tmp / "b_raw.db")
    store = SQLiteEventStore(tmp / "b_bridge.db")
    raw_time = bridge_time = 0.0
    clock = time.perf_counter
    for b in range(batches):
        chunk = slice(b * size, (b + 1) * size)
        events = [evt for _, evt in pairs[chunk]]
        start = clock()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(_INSERT, rows[chunk])
        conn.execute("COMMIT")
        middle = clock()
        store.append(pairs[b * size][0], events, 0)
        end = clock()
        raw_time += middle - start
        bridge_time += end - middle
    conn.close()
    store.close()
    return batches * size / bridge_time, batches * size / raw_time


# -- (c): the read ----------------------------------------------------------------------------


def build_log(path: Path, total: int) -> None:
    """
    Write the realistic ``total``-event log at ``path``: record the real pipeline logs in a
    temporary folder beside it, then scale them up (``bench/realistic_log.py``).
    """
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        logs = realistic_log.record(Path(work))
    recorded = time.perf_counter() - start
    sources = ", ".join(f"{name} ({len(rows)} events)" for name, rows in logs.items())
    print(f"    (recorded by bridge in {recorded:.0f} s: {sources})")
    start = time.perf_counter()
    mix = realistic_log.scale(logs, total, path)
    shown = ", ".join(f"{tag} {n / total:.1%}" for tag, n in mix.most_common(9))
    rest = total - sum(n for _, n in mix.most_common(9))
    print(
        f"    (scaled to {total:,} events in {time.perf_counter() - start:.0f} s; mix: {shown}, "
        f"{len(mix) - 9} other types {rest / total:.1%})"
    )


def _status_mib(field: str) -> float:
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across fork + exec, so a child
    # would report its parent's peak.
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _raw_read(path: Path, parse: Any) -> Iterator[Any]:
    conn = sqlite3.connect(path)
    try:
        cursor = conn.execute(
            "SELECT seq, stream, version, type, schema_version, recorded_at, causation, "
            "correlation, data, prev_hash, hash FROM events ORDER BY seq"
        )
        for row in cursor:
            yield parse(row[8])
    finally:
        conn.close()


def read_child(path: Path, mode: str) -> None:
    """Run one read in this (fresh) process and print ``events rate rss_growth`` as JSON."""
    before = _status_mib("VmRSS")
    start, cpu = time.perf_counter(), time.process_time()
    if mode == "bridge":
        store = SQLiteEventStore(path)
        state = fold(store.read())
        count = state.events
        runs = len(state.runs)
        store.close()
    else:
        parse = orjson.loads if mode == "raw-orjson" else json.loads
        count = sum(1 for _ in _raw_read(path, parse))
        runs = 0
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _status_mib("VmHWM")
    held = _status_mib("VmRSS")  # with the folded state still referenced
    print(
        json.dumps(
            {"events": count, "rate": count / elapsed, "cpu_rate": count / cpu,
             "rss": peak - before, "held": held - before, "runs": runs}
        )
    )  # fmt: skip


def bench_read(path: Path, mode: str) -> dict[str, float]:
    """Run :func:`read_child` in a fresh interpreter and return its numbers."""
    out = subprocess.run(
        [sys.executable, __file__, "--read-child", mode, "--db", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


# -- main -----------------------------------------------------------------------------------


def _verdict(ratio: float, target: float) -> str:
    return "meets" if ratio >= target else "BELOW"


def main() -> int:
    """Parse arguments, run the measurements, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=1_000_000, help="log length for (c)")
    parser.add_argument("--single", type=int, default=3000, help="appends for (a)")
    parser.add_argument("--batches", type=int, default=50, help="transactions for (b)")
    parser.add_argument("--batch-size", type=int, default=1000, help="events per batch in (b)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of (c)")
    parser.add_argument("--only", default="abc", help="which measurements, e.g. 'ab'")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the databases")
    parser.add_argument("--log", type=Path, default=None, help="keep (and reuse) the (c) log here")
    parser.add_argument("--read-child", choices=("bridge", "raw-orjson", "raw-json"))
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    if args.read_child:
        read_child(args.db, args.read_child)
        return 0

    base = args.dir or REPO_ROOT / ".bench"
    base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=base) as name:
        tmp = Path(name)
        print(
            f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, "
            f"orjson {orjson.__version__}, {os.cpu_count()} cores, databases in {base}"
        )
        print(f"{'measurement':<44}{'bridge/s':>12}{'raw/s':>12}{'ratio':>8}{'target':>8}")
        ok = True
        if "a" in args.only:
            bridge, raw = bench_single(tmp, args.single)
            ok &= _line(f"(a) durable single appends ×{args.single}", bridge, raw, "a")
        if "b" in args.only:
            bridge, raw = bench_batched(tmp, args.batches, args.batch_size)
            label = f"(b) {args.batch_size}-event appends ×{args.batches}"
            ok &= _line(label, bridge, raw, "b")
        if "c" in args.only:
            path = args.log or tmp / "c.db"
            if path.exists():
                print(f"    (log for (c): {path}, kept from an earlier run)")
            else:
                build_log(path, args.events)
            size = path.stat().st_size / 2**20
            print(f"    (log for (c): {args.events:,} events, {size:,.0f} MiB)")
            raw_json = bench_read(path, "raw-json")
            # Alternate the two sides and keep each one's best round: a read takes seconds to
            # minutes, long enough for load from elsewhere to come and go.
            rounds = [(bench_read(path, "raw-orjson"), bench_read(path, "bridge"))
                      for _ in range(args.rounds)]  # fmt: skip
            raw = max((r for r, _ in rounds), key=lambda r: r["rate"])
            bridge_read = max((b for _, b in rounds), key=lambda b: b["rate"])
            bridge_read["rss"] = max(b["rss"] for _, b in rounds)  # the worst round's growth
            raw_cpu = max(r["cpu_rate"] for r, _ in rounds)
            bridge_cpu = max(b["cpu_rate"] for _, b in rounds)
            if bridge_read["events"] != args.events or raw["events"] != args.events:
                raise SystemExit(f"read {bridge_read['events']}/{raw['events']} events")
            ok &= _line(
                f"(c) read+decode+fold ×{args.events}", bridge_read["rate"], raw["rate"], "c"
            )
            print(
                f"    on CPU time (less sensitive to load): bridge {bridge_cpu:,.0f}/s, raw "
                f"{raw_cpu:,.0f}/s, ratio {bridge_cpu / raw_cpu:.2f}"
            )
            print(
                f"    raw json.loads: {raw_json['rate']:,.0f}/s "
                f"(bridge/json ratio {bridge_read['rate'] / raw_json['rate']:.2f})"
            )
            rss_ok = bridge_read["rss"] <= RSS_LIMIT_MIB
            print(
                f"    peak RSS growth: bridge {bridge_read['rss']:.1f} MiB, raw "
                f"{raw['rss']:.1f} MiB (target ≤ {RSS_LIMIT_MIB:.0f} MiB: "
                f"{'meets' if rss_ok else 'ABOVE'}); still held with the folded state: "
                f"{bridge_read['held']:.1f} MiB"
            )
            # The state keeps every run (its spec, attempts and metrics): its size follows the
            # runs the log plans, not its events.
            runs = int(bridge_read["runs"])
            print(
                f"    runs in the folded state: {runs:,}, "
                f"{bridge_read['held'] * 1024 / max(runs, 1):.1f} KiB held per run"
            )
            ok &= rss_ok
        print("all targets met" if ok else "some targets missed")
    return 0


def _line(label: str, bridge: float, raw: float, key: str) -> bool:
    ratio = bridge / raw
    target = TARGETS[key]
    print(
        f"{label:<44}{bridge:>12,.0f}{raw:>12,.0f}{ratio:>8.2f}{'≥ ' + str(target):>8}  "
        f"{_verdict(ratio, target)}"
    )
    return ratio >= target


if __name__ == "__main__":
    raise SystemExit(main())
