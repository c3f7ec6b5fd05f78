"""
The log of ``bench/event_store.py`` (c): real pipeline logs, recorded at bench time and scaled up.

:func:`record` runs bridge on the quickstart (``examples/quickstart``) and, when
``../shared/projects`` is there, on the two real projects with the acceptance test's
``bridge.toml`` and tracker edits (``tests/acceptance/test_real_projects.py``; 009 also retried
and run again, as that test does), each in a temporary copy, and returns each project's log rows
as written. Nothing recorded is kept in the repository: the third-party projects stay in
``../shared``.

:func:`scale` writes a ``total``-event log from those rows: copy after copy of each recorded log
in turn, every copy after the first with its runs renamed (``R001`` → ``R001-x7``, in the stream
names and wherever the id appears in the event data), its times moved after the previous copy's,
and, where the previous copy left the pipeline in a stage the next copy's first stage change
cannot follow (COLLECTED before ``implement``), the shortest legal path of ``stage.entered``
events between them. So the log holds the recorded mix (plan, stages, run lifecycle, outputs
written, metrics, findings) at scale, and every event is legal for the fold. Rows are chained
with bridge's own :func:`~bridge.events.store.chain_hash`, so ``bridge verify`` accepts the log.
"""

from __future__ import annotations

import collections
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bridge.events import codec  # noqa: E402
from bridge.events import types as ev  # noqa: E402
from bridge.events.store import GENESIS_HASH, SQLiteEventStore, chain_hash  # noqa: E402
from bridge.machine.stages import Stage  # noqa: E402
from bridge.machine.table import stage_lookup  # noqa: E402

#: One stored row without its seq and hashes: stream, version, type, schema_version,
#: recorded_at, causation, correlation, data.
Row = tuple[str, int, str, int, str, str | None, str | None, str]

_COLUMNS = "stream, version, type, schema_version, recorded_at, causation, correlation, data"
_INSERT = (
    "INSERT INTO events (seq, stream, version, type, schema_version, recorded_at, causation, "
    "correlation, data, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)


# -- recording ------------------------------------------------------------------------------


def _bridge(*args: str, exit_code: int = 0) -> None:
    """Run the ``bridge`` command line on this checkout in a fresh process; raise when it
    exits otherwise than ``exit_code`` (the acceptance test's: 018's run exits 1, its tracker
    saying must-run rows ended failed before bridge, after recording a whole pipeline)."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    code = "import sys; from bridge.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != exit_code:
        raise SystemExit(f"bridge {' '.join(args)} exited {done.returncode}:\n{done.stderr}")


def _rows(project: Path) -> list[Row]:
    conn = sqlite3.connect(project / ".bridge" / "events.db")
    try:
        query = f"SELECT {_COLUMNS} FROM events ORDER BY seq"
        return [tuple(row) for row in conn.execute(query)]
    finally:
        conn.close()


def record(workdir: Path) -> dict[str, list[Row]]:
    """
    Run the quickstart and (when ``../shared`` is there) the two real projects through bridge
    in copies under ``workdir``; return each project's log rows by project name, in the order
    run. Prints what it recorded, and says so when the real projects are missing.
    """
    logs: dict[str, list[Row]] = {}
    quickstart = workdir / "quickstart"
    shutil.copytree(REPO_ROOT / "examples" / "quickstart", quickstart)
    _bridge("run", "--project", str(quickstart))
    logs["quickstart"] = _rows(quickstart)

    from tests.conftest import HAVE_SHARED, SHARED

    if not HAVE_SHARED:
        print(f"    (no shared folder at {SHARED}: the log is scaled from the quickstart alone)")
        return logs
    # The acceptance test's own setup, so that the logs recorded are the ones it checks.
    from tests.acceptance.test_real_projects import _HARNESS_ROWS, _copy, _edit_tracker

    harness = _copy("018_areal-harness-cn", workdir)
    _edit_tracker(harness, _HARNESS_ROWS)
    _bridge("run", "--project", str(harness), exit_code=1)
    logs[harness.name] = _rows(harness)

    placement = _copy("009_tool-placement", workdir)
    _edit_tracker(placement, {"R005": "NOT RUN — needs model-call outputs from an API"})
    _bridge("run", "--project", str(placement))
    _bridge("retry", "--force", "R001", "R002", "--project", str(placement))
    _bridge("run", "--project", str(placement))
    logs[placement.name] = _rows(placement)
    return logs


# -- scaling --------------------------------------------------------------------------------


def _stage_path(start: Stage, trigger: str, target: Stage) -> list[tuple[str, Stage]]:
    """
    The shortest list of (trigger, stage) steps from ``start`` to a stage where ``trigger``
    leads to ``target`` (empty when it already does).
    """
    paths: dict[Stage, list[tuple[str, Stage]]] = {start: []}
    queue = collections.deque([start])
    while queue:
        stage = queue.popleft()
        if stage_lookup.get((stage, trigger)) is target:
            return paths[stage]
        for (source, step), dest in stage_lookup.items():
            if source is stage and dest not in paths:
                paths[dest] = [*paths[stage], (step, dest)]
                queue.append(dest)
    raise SystemExit(f"no stage path from {start.value} to {trigger!r} → {target.value}")


def _copies(logs: dict[str, list[Row]]) -> Iterator[list[Row]]:
    """Every copy of the recorded logs in turn, renamed, re-timed and stage-bridged, forever."""
    stage = Stage.PLANNED
    versions: dict[str, int] = {}  # non-run streams continue across copies
    times = {name: sorted({row[4] for row in rows}) for name, rows in logs.items()}
    parsed = {t: datetime.fromisoformat(t) for ts in times.values() for t in ts}
    origin = min(parsed.values())
    shift = timedelta(0)  # from origin to the start of the next copy
    copy = 0
    while True:
        for name, rows in logs.items():
            run_ids = sorted({r[0][4:] for r in rows if r[0].startswith("run:")}, key=len)[::-1]
            pattern = re.compile(
                r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, run_ids)) + r")(?![A-Za-z0-9_])"
            )
            suffix = f"-x{copy}"
            renaming = copy > 0 and bool(run_ids)  # the first copy keeps the recorded names

            def rename(
                text: str, pattern: re.Pattern[str] = pattern, suffix: str = suffix,
                renaming: bool = renaming,
            ) -> str:  # fmt: skip
                return pattern.sub(lambda m: m.group(1) + suffix, text) if renaming else text

            first = parsed[times[name][0]]
            moved = {t: (origin + shift + (parsed[t] - first)).isoformat() for t in times[name]}
            out: list[Row] = []
            for stream, version, tag, schema, at, cause, corr, data in rows:
                when = moved[at]
                if stream.startswith("run:"):
                    out.append((rename(stream), version, tag, schema, when, cause, corr,
                                rename(data)))  # fmt: skip
                    continue
                if tag == ev.StageEntered.TYPE:
                    entered = codec.decode(tag, schema, data)
                    assert isinstance(entered, ev.StageEntered)
                    target = Stage(entered.stage)
                    for step, dest in _stage_path(stage, entered.trigger, target):
                        _, step_schema, step_data = codec.encode(
                            ev.StageEntered(
                                stage=dest.value,
                                trigger=step,
                                reason="bench: the next copy of a recorded log begins",
                            )
                        )
                        versions[stream] = versions.get(stream, 0) + 1
                        out.append((stream, versions[stream], tag, step_schema, when, None, None,
                                    step_data))  # fmt: skip
                    stage = target
                versions[stream] = versions.get(stream, 0) + 1
                out.append((stream, versions[stream], tag, schema, when, cause, corr,
                            rename(data)))  # fmt: skip
            yield out
            last = parsed[times[name][-1]] - first + shift
            shift = last + timedelta(seconds=1)
            copy += 1


def scale(logs: dict[str, list[Row]], total: int, path: Path) -> collections.Counter[str]:
    """
    Write a legal ``total``-event log at ``path`` (a new file) from the recorded ``logs``;
    return how many events of each type it holds.
    """
    SQLiteEventStore(path).close()  # bridge's own schema and triggers
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")  # a bench fixture: a crash only means a rebuild
    mix: collections.Counter[str] = collections.Counter()
    seq, prev = 0, GENESIS_HASH
    try:
        for rows in _copies(logs):
            batch = []
            for stream, version, tag, schema, at, cause, corr, data in rows[: total - seq]:
                seq += 1
                digest = chain_hash(prev, seq, stream, version, tag, schema, at, cause, corr, data)
                batch.append((seq, stream, version, tag, schema, at, cause, corr, data, prev,
                              digest))  # fmt: skip
                prev = digest
                mix[tag] += 1
            conn.execute("BEGIN")
            conn.executemany(_INSERT, batch)
            conn.execute("COMMIT")
            if seq >= total:
                break
    finally:
        conn.close()
    return mix
