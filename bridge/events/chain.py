"""
The hash chain both event stores keep: one stored row (:class:`Recorded`), its hash, the append
path both stores share (check the stream's version, chain the encoded events onto the log's
head) and the check that finds the first row that breaks the chain.

``prev_hash`` is the previous row's ``hash`` (:data:`GENESIS_HASH` for the first) and ``hash =
sha256(canonical JSON of [prev_hash, seq, stream, version, type, schema_version, recorded_at,
causation, correlation, data])``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any  # Any: SQLite rows and generated code

import attrs
import orjson

from bridge.errors import ConcurrencyError, IntegrityError
from bridge.events import codec
from bridge.events.clock import Clock
from bridge.events.types import Event
from bridge.value_methods import value_methods

__all__ = [
    "COLUMNS",
    "GENESIS_HASH",
    "Recorded",
    "Row",
    "StreamAppend",
    "chain_hash",
    "chain_rows",
    "chain_streams",
    "encode_all",
    "encode_parts",
    "first_bad",
    "make_recorded",
    "row_hash",
]

GENESIS_HASH = "0" * 64

#: A row's fields in order: the SQLite table's columns, and every :data:`Row` tuple.
COLUMNS = (
    "seq, stream, version, type, schema_version, recorded_at, causation, correlation, data, "
    "prev_hash, hash"
)


def chain_hash(
    prev_hash: str,
    seq: int,
    stream: str,
    version: int,
    type_: str,
    schema_version: int,
    recorded_at: str,
    causation: str | None,
    correlation: str | None,
    data: str,
) -> str:
    """
    Return the hash of one row given the previous row's hash (the module docstring's formula).
    """
    # codec.dumps minus its str round trip: orjson's bytes are the canonical JSON's UTF-8 (a
    # list of strings, ints and nulls has no keys to sort; tests compare with codec.dumps).
    material = _dumps(
        [prev_hash, seq, stream, version, type_, schema_version, recorded_at, causation,
         correlation, data]
    )  # fmt: skip
    return _sha256(material).hexdigest()


_dumps = orjson.dumps
_sha256 = hashlib.sha256


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Recorded:
    """
    One stored event with its envelope. ``event`` is the decoded (and upcast) event.
    """

    seq: int
    stream: str
    version: int
    type: str
    schema_version: int
    data: str
    recorded_at: datetime
    causation: str | None
    correlation: str | None
    prev_hash: str
    hash: str
    event: Event


def _recorded_maker() -> Callable[[tuple[Any, ...], datetime, Event], Recorded]:
    # Reading builds one Recorded per row; attrs' keyword __init__ costs more than decoding the
    # event, so rows become records by setting the (frozen) slots directly: same object, same
    # fields, a quarter of the cost (bench/event_store.py). Row order is COLUMNS'.
    columns = {"seq": 0, "stream": 1, "version": 2, "type": 3, "schema_version": 4,
               "causation": 6, "correlation": 7, "data": 8, "prev_hash": 9, "hash": 10}  # fmt: skip
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": Recorded}
    lines = ["def make(row, recorded_at, event):", "    obj = _new(_cls)"]
    for i, name in enumerate(attrs.fields_dict(Recorded)):
        namespace[f"_set{i}"] = vars(Recorded)[name].__set__
        value = f"row[{columns[name]}]" if name in columns else name
        lines.append(f"    _set{i}(obj, {value})")
    lines.append("    return obj")
    exec("\n".join(lines) + "\n", namespace)  # noqa: S102
    make: Callable[[tuple[Any, ...], datetime, Event], Recorded] = namespace["make"]
    return make


make_recorded = _recorded_maker()


#: One row in :data:`COLUMNS` order.
Row = tuple[int, str, int, str, int, str, str | None, str | None, str, str, str]


def encode_all(events: Iterable[Event]) -> tuple[list[tuple[str, int, str]], list[Event]]:
    """
    Encode events for an append, refusing any that would not decode back.

    Decoding is stricter than encoding (a ``str`` field, a tuple of strings or a mapping of
    strings holding a number, an ``int`` field holding a string, a float or a bool, encodes, and
    is refused when read), and a row that cannot be decoded would make the whole log unreadable
    from then on, with no way to remove it. So each encoded event is decoded once here, before
    anything is stored: about 10 µs an event, against a few hundred for the append itself.

    Returns:
        ``(type tag, schema version, data)`` per event, and each event as the log holds it
        (decoded from that data: a registered secret ``[redacted]``, a NUL U+FFFD), which the
        stores hand back from the append without decoding again.

    Raises:
        TypeError: not a registered event.
        SecretError: an event carries a secret.
        ValueError: a non-finite float, or an event whose data would not decode (naming its
            type and why).
    """
    encoded = []
    held = []
    for evt in events:
        tag, version, data = codec.encode(evt)
        try:
            held.append(codec.decode(tag, version, data))
        except IntegrityError as exc:
            raise ValueError(f"{tag} cannot be appended: it would not decode ({exc})") from exc
        encoded.append((tag, version, data))
    return encoded, held


def chain_rows(
    stream: str,
    encoded: Sequence[tuple[str, int, str]],
    *,
    version: int,
    expected_version: int | None,
    head: tuple[int, str],
    clock: Clock,
    causation: str | None,
    correlation: str | None,
) -> list[Row]:
    """
    The append path both stores share: check the stream's version, then chain the encoded
    events onto the log's head as rows in :data:`COLUMNS` order, all stamped with one time.

    Args:
        stream: the stream appended to.
        encoded: ``(type tag, schema version, data)`` per event, in order.
        version: the stream's version now.
        expected_version: what the caller read, or ``None`` to skip the check.
        head: the last row's (seq, hash), ``(0, GENESIS_HASH)`` for an empty log.
        clock: read once, after the version check.
        causation: the causation id of every row.
        correlation: the correlation id of every row.

    Raises:
        ConcurrencyError: the stream is not at ``expected_version``.
    """
    if expected_version is not None and version != expected_version:
        raise ConcurrencyError(
            f"stream {stream!r} is at version {version}, expected {expected_version}"
        )
    seq, prev = head
    at = clock().isoformat()
    rows: list[Row] = []
    for tag, schema, data in encoded:
        seq += 1
        version += 1
        digest = chain_hash(prev, seq, stream, version, tag, schema, at, causation,
                            correlation, data)  # fmt: skip
        rows.append((seq, stream, version, tag, schema, at, causation, correlation, data,
                     prev, digest))  # fmt: skip
        prev = digest
    return rows


@attrs.frozen
class StreamAppend:
    """
    One stream's part of an append to several streams at once
    (:meth:`~bridge.events.store.AppendsStreams.append_streams`): its events, and the version the
    caller last saw (0 for a new stream; ``None`` appends whatever the version is).
    """

    stream: str
    events: Sequence[Event]
    expected_version: int | None


def encode_parts(
    appends: Sequence[StreamAppend],
) -> tuple[list[tuple[StreamAppend, list[tuple[str, int, str]]]], list[Event]]:
    """
    :func:`encode_all` of every part of an append to several streams: each part with its
    encoded events, and every event as the log holds it, in order.

    Raises:
        as :func:`encode_all`, before anything is stored.
    """
    prepared = []
    held: list[Event] = []
    for part in appends:
        encoded, kept = encode_all(part.events)
        prepared.append((part, encoded))
        held.extend(kept)
    return prepared, held


def chain_streams(
    appends: Sequence[tuple[StreamAppend, Sequence[tuple[str, int, str]]]],
    *,
    version_of: Callable[[str], int],
    head: tuple[int, str],
    clock: Clock,
) -> list[Row]:
    """
    :func:`chain_rows` for several streams in turn, as one append: each stream's version is
    checked (``version_of`` gives it as stored; a stream named twice continues from its first
    part), every row chains onto the one before, and all are stamped with one time.

    Args:
        appends: each part with its events encoded (:func:`encode_all`).
        version_of: the stream's version in the log before this append.
        head: the last row's (seq, hash), ``(0, GENESIS_HASH)`` for an empty log.
        clock: read once.

    Raises:
        ConcurrencyError: a stream is not at its part's expected version (nothing is chained).
    """
    at = clock()
    versions: dict[str, int] = {}
    rows: list[Row] = []
    for part, encoded in appends:
        version = versions.get(part.stream)
        if version is None:
            version = version_of(part.stream)
        chained = chain_rows(
            part.stream,
            encoded,
            version=version,
            expected_version=part.expected_version,
            head=head,
            clock=lambda: at,
            causation=None,
            correlation=None,
        )
        if chained:
            head = (chained[-1][0], chained[-1][10])
            version = chained[-1][2]
        versions[part.stream] = version
        rows.extend(chained)
    return rows


def row_hash(prev: str, row: tuple[Any, ...]) -> str:
    """
    The hash a row read with :data:`COLUMNS` must have, chained onto ``prev``.
    """
    return chain_hash(prev, row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8])


def first_bad(rows: Iterable[Row]) -> int | None:
    prev = GENESIS_HASH
    expected_seq = 1
    for seq, stream, version, tag, schema, at, cause, corr, data, prev_hash, digest in rows:
        if seq != expected_seq or prev_hash != prev:
            return seq if seq == expected_seq else expected_seq
        try:
            if chain_hash(prev, seq, stream, version, tag, schema, at, cause, corr, data) != digest:
                return seq
            datetime.fromisoformat(at)
        except (TypeError, ValueError):  # undecodable text (orjson refuses it), a bad time
            return seq
        prev = digest
        expected_seq += 1
    return None
