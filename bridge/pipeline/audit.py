"""
Auditing a project's log: the timeline, replay at a point in time, rebuild, and verify.

These read the log and the projection files only; they never launch or change runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import attrs

from bridge.errors import InputError, IntegrityError
from bridge.events import codec
from bridge.events.store import EventStore, Recorded, SQLiteEventStore
from bridge.machine.fold import PipelineState, fold
from bridge.pipeline import snapshots
from bridge.pipeline.project_log import check_not_lost, db_path, open_store
from bridge.projections.text import language_of
from bridge.value_methods import value_methods

if TYPE_CHECKING:
    from bridge.projections.writer import Drift, Projection

__all__ = [
    "VerifyReport",
    "check_not_lost",
    "db_path",
    "open_store",
    "rebuild",
    "replay",
    "source_drift",
    "timeline",
    "verify",
]


class TimelineRow(TypedDict):
    """One event of :func:`timeline`, as ``bridge log --json`` prints it."""

    seq: int
    recorded_at: str
    stream: str
    version: int
    type: str
    data: object  # the event's decoded JSON
    hash: str


def timeline(store: EventStore, *, run: str | None = None) -> Iterator[TimelineRow]:
    """
    Yield the log as plain dicts (seq, time, stream, version, type, data), optionally one run's.
    """
    stream = f"run:{run}" if run else None
    for rec in store.read(stream=stream):
        yield {
            "seq": rec.seq,
            "recorded_at": rec.recorded_at.isoformat(),
            "stream": rec.stream,
            "version": rec.version,
            "type": rec.type,
            "data": codec.loads(rec.data),
            "hash": rec.hash,
        }


def _upto(store: EventStore, seq: int) -> Iterator[Recorded]:
    for rec in store.read():
        if rec.seq > seq:
            return
        yield rec


def replay(
    store: EventStore, seq: int, out_dir: Path, projections: tuple[Projection, ...] | None = None
) -> list[Path]:
    """
    Write the projections as they were right after ``seq`` into ``out_dir``.

    Raises:
        InputError: ``seq`` is not in the log.
    """
    from bridge.projections.writer import ProjectionWriter

    head = store.head()
    if seq < 0 or seq > head:
        raise InputError(f"--at {seq}: the log holds seq 1..{head}")
    state = fold(_upto(store, seq))
    writer = (
        ProjectionWriter(out_dir) if projections is None else ProjectionWriter(out_dir, projections)
    )
    return writer.write_to(state, out_dir)


def rebuild(
    store: EventStore, project: Path, projections: tuple[Projection, ...] | None = None
) -> PipelineState:
    """
    Rewrite every projection file from the log; record any file whose content is new.

    Raises:
        IntegrityError: the hash chain does not verify (a forged value is never copied into
            the files); nothing is written.
    """
    from bridge.projections.writer import ProjectionWriter

    bad = store.verify()
    if bad is not None:
        raise IntegrityError(
            f"the hash chain is broken at seq {bad}: not rebuilding from a log that was "
            "changed; run `bridge verify`",
            seq=bad,
        )
    state = fold(store.read())
    writer = (
        ProjectionWriter(project) if projections is None else ProjectionWriter(project, projections)
    )
    written = writer.refresh(state, force=True)
    if written:
        store.append("bridge", written, None)
        state = fold(store.read())
        writer.refresh(state, force=True)
    return state


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class VerifyReport:
    """
    What ``bridge verify`` found: the first bad seq of the chain, drifted files, what the
    checks on open found (:meth:`SQLiteEventStore.problems`), and whether the append-only
    triggers were found missing and put back (only once every row verified). ``undecodable``:
    the first row of an intact chain that cannot be read (seq, why), a failure; ``as_stored``:
    rows an older bridge wrote with an int or bool field holding another kind of JSON, read as
    stored (seq, note), notes only.
    """

    events: int
    bad_seq: int | None
    drift: tuple[Drift, ...]
    problems: tuple[str, ...] = ()
    triggers_restored: bool = False
    triggers_removed: tuple[str, ...] = ()
    bad_snapshots: tuple[tuple[int, str], ...] = ()
    snapshots_agreed: int = 0
    snapshots_other_version: int = 0
    undecodable: tuple[int, str] | None = None
    as_stored: tuple[tuple[int, str], ...] = ()
    language: str = "en"

    @property
    def ok(self) -> bool:
        """
        True when the chain is intact, every row reads, the log's checks on open pass, every
        stored snapshot equals the fold at its seq, and every file matches (rows read as stored,
        a researcher's edit of their tracker not yet read and a file in another version's
        layout are notes, not failures).
        """
        return (
            self.bad_seq is None
            and self.undecodable is None
            and all(d.kind in {"edited", "older"} for d in self.drift)
            and not self.problems
            and not self.bad_snapshots
        )


def verify(
    store: EventStore, project: Path, projections: tuple[Projection, ...] | None = None
) -> VerifyReport:
    """
    Recompute the hash chain and compare the projection files on disk with the log.
    """
    from bridge.pipeline.lineage import lineage_drift
    from bridge.projections.writer import ProjectionWriter

    problems = tuple(store.problems()) if isinstance(store, SQLiteEventStore) else ()
    bad = store.verify()
    if bad is not None:
        return VerifyReport(events=store.head(), bad_seq=bad, drift=(), problems=problems)
    try:
        checked = snapshots.check(store)
    except IntegrityError as exc:
        # The chain holds: the row is what was written, but this bridge cannot read it. Not
        # tampering, so not reported as a broken chain.
        seq = exc.seq or 0
        why = str(exc).removeprefix(f"seq {seq}: ")
        return VerifyReport(
            events=store.head(), bad_seq=None, drift=(), problems=problems, undecodable=(seq, why)
        )
    as_stored = store.read_as_stored() if isinstance(store, SQLiteEventStore) else ()
    state = checked.state
    restored = False
    removed: tuple[str, ...] = ()
    if isinstance(store, SQLiteEventStore) and any("trigger" in p for p in problems):
        # Every row verified: the content is what bridge wrote, so the guard goes back on
        # and a trigger that is not bridge's comes off.
        restored = any("append-only trigger" in p for p in problems)
        removed = store.restore_triggers()
        problems = tuple(p for p in problems if "trigger" not in p)
    writer = (
        ProjectionWriter(project) if projections is None else ProjectionWriter(project, projections)
    )
    drift = [
        *_older_layout(store, state, writer.drift(state)),
        *source_drift(state, project),
        *lineage_drift(state, project),
    ]
    return VerifyReport(
        events=state.events,
        bad_seq=None,
        drift=tuple(drift),
        problems=problems,
        triggers_restored=restored,
        triggers_removed=removed,
        bad_snapshots=checked.bad,
        snapshots_agreed=checked.agreed,
        snapshots_other_version=checked.other_version,
        as_stored=as_stored,
        language=language_of(state),
    )


#: What an ``older`` drift says: the file is bridge's own write, laid out by another version.
OLDER_LAYOUT = (
    "was written by another version of bridge (the one before an upgrade), which lays it out "
    "differently; nothing is damaged: it is exactly what bridge wrote, and the log holds "
    "everything in it"
)


def _older_layout(store: EventStore, state: PipelineState, drift: list[Drift]) -> list[Drift]:
    """
    ``drift`` with each ``behind`` file that bridge wrote after the log's last content event
    said as ``older``: no event came after its rendering, so it differs from this bridge's
    rendering only in layout (a log carried over from an earlier bridge), not by events it
    has not shown yet; ``bridge rebuild`` lays it out anew. A file rendered before later
    events stays ``behind``.
    """
    if not any(d.kind == "behind" for d in drift):
        return drift
    from bridge.events.types import OutputWritten

    # Everything after the last content event is writes of files (Folder's last_content_seq).
    rendered_last = {
        rec.event.path
        for rec in store.read(after=state.last_content_seq)
        if isinstance(rec.event, OutputWritten)
    }
    return [
        attrs.evolve(d, kind="older", detail=OLDER_LAYOUT)
        if d.kind == "behind" and d.path in rendered_last
        else d
        for d in drift
    ]


def source_drift(state: PipelineState, project: Path) -> list[Drift]:
    """
    Re-hash every file a recorded metric value or history came from; report what changed.

    Returns:
        ``source-missing`` for a file that is gone, ``source-changed`` for one whose sha256 is no
        longer the one recorded at extraction; each names the run and attempt. A number is never
        reported without the file behind it. Sources read from W&B (``wandb:ENTITY/PROJECT/RUN``)
        are not files and are not re-hashed: their sha256 is of the API's answer at collection.
    """
    # Imported here: `bridge status` and `bridge log` use this module and load no adapter.
    from bridge.adapters.metrics.wandb import SOURCE_PREFIX as WANDB_SOURCE_PREFIX
    from bridge.projections.writer import Drift

    recorded: dict[str, tuple[str, str]] = {}
    for run in state.runs.values():
        for attempt in run.attempts:
            metrics = attempt.metrics
            if metrics is None:
                continue
            owner = f"{run.run_id}/{attempt.attempt_id}"
            pairs = [(v.source, v.sha256) for v in metrics.values]
            pairs += [(h.source, h.sha256) for h in metrics.histories]
            for source, sha in pairs:
                if source.startswith(WANDB_SOURCE_PREFIX):
                    continue
                recorded.setdefault(source, (sha, owner))
    found: list[Drift] = []
    for source, (sha, owner) in sorted(recorded.items()):
        try:
            digest = hashlib.sha256((project / source).read_bytes()).hexdigest()
        except FileNotFoundError:
            found.append(
                Drift(path=source, kind="source-missing", detail=f"metrics of {owner} came from it")
            )
            continue
        if digest != sha:
            found.append(
                Drift(
                    path=source,
                    kind="source-changed",
                    detail=f"sha256 {digest[:12]} ≠ {sha[:12]} recorded for {owner}",
                )
            )
    return found
