"""
Timestamped versions of the projections: one per change of content, not per change of the log
position a file states.
"""

from __future__ import annotations

import re
from pathlib import Path

from bridge.events.store import SQLiteEventStore
from bridge.events.types import PlanLoaded, RunPlanned
from bridge.machine.fold import fold
from bridge.pipeline.audit import db_path
from bridge.projections.writer import ProjectionWriter

_COPY = re.compile(r"_\d{8}_\d{6}(?:_\d+)?\.\w+$")


def _copies(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "refine-logs").iterdir() if _COPY.search(p.name))


def test_a_new_log_position_alone_is_no_new_version(tmp_path: Path) -> None:
    """Events that change no file's content but the "(seq N, time)" it states, and
    results.json's log_seq, keep no copy; a change of content keeps one of that file only."""
    store = SQLiteEventStore(db_path(tmp_path))
    writer = ProjectionWriter(tmp_path)
    try:
        store.append("bridge", [PlanLoaded(title="T", plan_path="p.md", plan_sha256="0" * 64)], 0)
        store.append("run:R001", [RunPlanned(run_id="R001", milestone="M0", system="a")], 0)
        store.append("bridge", writer.refresh(fold(store.read()), version=True), None)
        first = _copies(tmp_path)
        assert first  # every projection's first version
        # The same plan recorded again (a reload that changed nothing): only the seq moves on.
        store.append(
            "bridge", [PlanLoaded(title="T", plan_path="p.md", plan_sha256="0" * 64)], None
        )
        state = fold(store.read())
        assert state.last_content_seq > 3
        written = writer.refresh(state, version=True)
        store.append("bridge", written, None)
        assert [w.copy for w in written if w.copy] == []
        assert _copies(tmp_path) == first
        store.append("run:R002", [RunPlanned(run_id="R002", milestone="M1", system="b")], 0)
        written = writer.refresh(fold(store.read()), version=True)
        assert any(w.copy.startswith("refine-logs/EXPERIMENT_TRACKER_") for w in written)
    finally:
        store.close()
