"""
Reading the log from its latest snapshot, taking snapshots, and checking them all.

:func:`load` is how every command but ``bridge verify`` gets the state: the newest stored
snapshot that fits the log and the running code, resumed, plus the records after it. A snapshot
that does not fit (its hash is not the log's at its seq, its digest is not its content's, it does
not decode, or the records after it do not fold onto it) is skipped with a note saying why, and
the next older one is tried, down to a fold from seq 1: what a command shows is always the fold
of the log. :func:`check` is ``bridge verify``'s part: it folds from seq 1 and compares every
stored snapshot with the fold at its seq.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from bridge.errors import StoreError, TransitionError
from bridge.events.snapshots import SnapshotStore, StoredSnapshot
from bridge.events.store import EventStore, Recorded
from bridge.machine.fold import FOLD_VERSION, Folder, PipelineState
from bridge.machine.snapshot import SnapshotDecodeError, decode_state, encode_state, state_format
from bridge.value_methods import value_methods

__all__ = ["EVERY", "Loaded", "SnapshotCheck", "check", "load", "take"]

#: A snapshot is taken once this many records were appended since the last one (and at every
#: stage boundary). Folding 1,000 records costs a few milliseconds, which is all a command pays
#: on top of decoding the snapshot; taking one costs about as much as decoding it, once per
#: 1,000 appends of a few milliseconds each (docs/performance.md).
EVERY = 1000


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Loaded:
    """
    A fold brought up to the log's head: ``snapshot_seq`` is the seq of the snapshot it resumed
    from (0 for a fold from seq 1), ``notes`` say why newer snapshots were not used.
    """

    folder: Folder
    snapshot_seq: int
    notes: tuple[str, ...] = ()


def load(store: EventStore) -> Loaded:
    """
    The fold of the whole log, from the newest usable snapshot when the store keeps them.

    Raises:
        TransitionError: the log does not fold (from seq 1; a snapshot never causes it).
        IntegrityError: a record does not decode.
    """
    if not isinstance(store, SnapshotStore):
        return Loaded(folder=Folder().apply_all(store.read()), snapshot_seq=0)
    notes: list[str] = []
    fmt = state_format()
    try:
        for snap in store.snapshots():
            if not snap.fits(FOLD_VERSION, fmt):
                continue  # taken by another bridge: replaced at the next snapshot, not a finding
            folder, why = _resume(store, snap)
            if folder is not None:
                if notes:
                    notes.append(f"the state was read from the snapshot at seq {snap.seq} and "
                                 "the log after it")  # fmt: skip
                return Loaded(folder=folder, snapshot_seq=snap.seq, notes=tuple(notes))
            notes.append(f"the snapshot at seq {snap.seq} was not used: {why}")
    except StoreError as exc:
        notes.append(f"the snapshots were not read: {exc}")
    if notes:
        notes.append("the state was folded from seq 1; `bridge verify` checks every snapshot")
    return Loaded(folder=Folder().apply_all(store.read()), snapshot_seq=0, notes=tuple(notes))


def _resume(store: EventStore, snap: StoredSnapshot) -> tuple[Folder | None, str]:
    problem = snap.problem()
    if problem is not None:
        return None, problem
    try:
        state = decode_state(snap.data)
    except SnapshotDecodeError as exc:
        return None, f"it does not decode ({exc})"
    if state.last_seq != snap.seq:
        return None, f"it holds the state after seq {state.last_seq}"
    folder = Folder.resume(state)
    try:
        folder.apply_all(store.read(after=snap.seq))
    except TransitionError as exc:
        return None, f"the records after it do not fold onto it ({exc})"
    return folder, ""


def take(store: EventStore, folder: Folder) -> int:
    """
    Store a snapshot of ``folder``'s state when the store keeps them; returns its seq (0 when
    none was taken: an empty log, or a store without snapshots).

    Raises:
        StoreError: the database refused the write.
    """
    state = folder.state()
    if state.last_seq == 0 or not isinstance(store, SnapshotStore):
        return 0
    store.put_snapshot(state.last_seq, FOLD_VERSION, state_format(), encode_state(state))
    return state.last_seq


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class SnapshotCheck:
    """
    What :func:`check` found: the fold of the whole log, each snapshot that disagrees with it
    (seq and why), and how many snapshots agreed or were of another fold version.
    """

    state: PipelineState
    bad: tuple[tuple[int, str], ...] = ()
    agreed: int = 0
    other_version: int = 0


def check(store: EventStore) -> SnapshotCheck:
    """
    Fold the log from seq 1 and compare every stored snapshot of this fold version with the
    fold at its seq; each one that disagrees is reported and removed.

    Raises:
        TransitionError: the log does not fold.
        IntegrityError: a record does not decode.
        StoreError: a disagreeing snapshot could not be removed.
    """
    if not isinstance(store, SnapshotStore):
        return SnapshotCheck(state=Folder().apply_all(store.read()).state())
    snaps = sorted(store.snapshots(), key=lambda s: s.seq)
    fmt = state_format()
    folder = Folder()
    bad: list[tuple[int, str]] = []
    agreed = other = 0
    for snap in snaps:
        if not snap.fits(FOLD_VERSION, fmt):
            other += 1
            continue
        folder.apply_all(_through(store, folder.state().last_seq, snap.seq))
        reached = folder.state()
        why = snap.problem()
        if why is None and reached.last_seq != snap.seq:
            why = f"the log ends at seq {reached.last_seq}"
        if why is None:
            try:
                held = decode_state(snap.data)
            except SnapshotDecodeError as exc:
                why = f"it does not decode ({exc})"
            else:
                differ = [f.name for f in attrs.fields(PipelineState)
                          if getattr(held, f.name) != getattr(reached, f.name)]  # fmt: skip
                if differ:
                    why = f"it differs from the fold of the log in {', '.join(differ)}"
        if why is None:
            agreed += 1
        else:
            bad.append((snap.seq, why))
    folder.apply_all(store.read(after=folder.state().last_seq))
    for seq, _ in bad:
        # A disagreeing snapshot goes, as verify puts back missing triggers: no later command
        # can meet it (one edited along with its digest looks usable to them).
        store.discard_snapshots(seq)
    return SnapshotCheck(state=folder.state(), bad=tuple(bad), agreed=agreed, other_version=other)


def _through(store: EventStore, after: int, seq: int) -> Iterator[Recorded]:
    for record in store.read(after=after):
        if record.seq > seq:
            return
        yield record
