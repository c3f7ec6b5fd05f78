"""
The fold's state as bytes and back, for snapshots (:mod:`bridge.events.snapshots`).

:func:`encode_state` writes a :class:`PipelineState` as JSON through the event codec's generated
encoders (every event inside the state is written as the log writes it); :func:`decode_state`
reads it back through the codec's decoders (generated ones for a large snapshot), and
``decode_state(encode_state(s)) == s`` for every state the fold makes (tested with hypothesis).
JSON, not pickle: unpickling runs whatever code the bytes name, and a snapshot is read from a
file anyone with write access to the project can edit; a JSON snapshot that was edited decodes
to wrong data at worst, which the snapshot's digest and ``bridge verify`` catch.

:func:`state_format` fingerprints the shapes the bytes depend on (the state's classes and every
event class's tag, schema version and fields); a snapshot taken by code with another fingerprint
or another :data:`~bridge.machine.fold.FOLD_VERSION` is not read, only replaced.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import typing
from datetime import datetime
from typing import Any  # Any: JSON data

import attrs
import orjson

from bridge.events import codec
from bridge.events import types as ev
from bridge.machine.fold import PipelineState
from bridge.machine.stages import RunState

__all__ = [
    "GENERATE_ABOVE",
    "SHAPE_MODULES",
    "SnapshotDecodeError",
    "decode_state",
    "encode_state",
    "shape_classes",
    "state_format",
]


class SnapshotDecodeError(ValueError):
    """
    The bytes are not a state this code wrote (edited, truncated, or of another shape).
    """


# Fields whose JSON is not what the codec writes for their type: mappings with keys JSON cannot
# hold (a RunState, a (must, state) pair) and the (seq, event) pairs of the stage history.
_SPECIAL = frozenset({"run_ids_by_state", "milestone_counts", "stage_history"})


#: The modules whose attrs classes a state can hold (the views, the events and their values);
#: tests/machine/test_snapshot.py checks that every class reachable from PipelineState is here.
SHAPE_MODULES = (
    "bridge.machine.views",
    "bridge.events.types",
    "bridge.events.values",
    "bridge.events.measurements",
    "bridge.events.code_events",
    "bridge.events.cost_events",
    "bridge.events.plan_events",
    "bridge.events.result_events",
    "bridge.events.run_spec_events",
)


def shape_classes() -> list[type]:
    """
    Every attrs class defined in :data:`SHAPE_MODULES`, in a fixed order.
    """
    found: dict[type, None] = {}
    for name in SHAPE_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and attrs.has(value) and value.__module__ == name:
                found[value] = None
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


@functools.cache
def state_format() -> str:
    """
    A fingerprint of the shapes a snapshot's bytes depend on: the field names of every attrs
    class a state can hold (:func:`shape_classes`) and each event's tag and schema version. Read
    without resolving type hints, so checking a snapshot costs well under a millisecond.
    """
    shapes = [
        [f"{cls.__module__}.{cls.__qualname__}", [f.name for f in attrs.fields(cls)]]
        for cls in shape_classes()
    ]
    tags = [[tag, version] for tag, (version, _) in sorted(ev.EVENT_TYPES.items())]
    return hashlib.sha256(orjson.dumps([shapes, tags])).hexdigest()[:16]


@functools.cache
def _fields() -> tuple[tuple[str, bool], ...]:
    # (name, holds a time) for each field of PipelineState, in declaration order.
    hints = codec.field_types(PipelineState)
    return tuple(
        (f.name, datetime in (hints[f.name], *typing.get_args(hints[f.name])))
        for f in attrs.fields(PipelineState)
    )


def encode_state(state: PipelineState) -> bytes:
    """
    The state as JSON bytes (one object, one key per field of :class:`PipelineState`).
    """
    data: dict[str, Any] = {}
    for name, is_time in _fields():
        value = getattr(state, name)
        data[name] = value.isoformat() if is_time and value is not None else value
    data["run_ids_by_state"] = [[s.value, ids] for s, ids in state.run_ids_by_state.items()]
    data["milestone_counts"] = [
        [milestone, [[must, s.value, n] for (must, s), n in counts.items()]]
        for milestone, counts in state.milestone_counts.items()
    ]
    return codec.dumps_values(data, classes=_classes())


@functools.cache
def _classes() -> tuple[object, ...]:  # typing forms
    hints = codec.field_types(PipelineState)
    return tuple(hints[f.name] for f in attrs.fields(PipelineState))


@functools.cache
def _structurers(generated: bool, lax: bool) -> dict[str, codec.Structurer]:
    hints = codec.field_types(PipelineState)
    return {
        f.name: codec.structurer(hints[f.name], generated=generated, lax=lax)
        for f in attrs.fields(PipelineState)
        if f.name not in _SPECIAL
    }


#: Snapshots larger than this many bytes decode through generated code (codec.structurer):
#: generating it costs about what decoding 1 MB without it costs more, so a smaller one (the
#: quickstart's 20 runs are 120 KB) decodes without compiling anything; `bridge status` on a
#: small project spent 12 ms of its ~150 ms of CPU generating code it used once.
GENERATE_ABOVE = 1 << 20


def decode_state(data: bytes, *, generated: bool | None = None) -> PipelineState:
    """
    The state :func:`encode_state` wrote. ``generated`` chooses how its classes are decoded
    (the same values either way; see :func:`bridge.events.codec.structurer`); by default, by
    size (:data:`GENERATE_ABOVE`). A state folded from a row an older bridge wrote with an int or
    bool field holding another kind of JSON (read as stored) holds that value, and so does its
    snapshot: only when the strict decode refuses such a value is it decoded again taking int and
    bool values as stored (:func:`bridge.events.codec.decode_as_stored`), so such a snapshot is
    read and agrees with the fold.

    Raises:
        SnapshotDecodeError: the bytes are not such a state (whatever is wrong with them).
    """
    if generated is None:
        generated = len(data) > GENERATE_ABOVE
    try:
        raw = orjson.loads(data)
        if type(raw) is not dict:
            raise TypeError("not a JSON object")
        try:
            return _decode(raw, generated, lax=False)
        except codec.KindMisfit:
            return _decode(raw, generated, lax=True)
    except Exception as exc:  # a snapshot is untrusted bytes: anything wrong means "not usable"
        raise SnapshotDecodeError(f"{type(exc).__name__}: {exc}") from exc


def _decode(raw: dict[str, Any], generated: bool, *, lax: bool) -> PipelineState:
    structurers = _structurers(generated, lax)
    expected = structurers.keys() | _SPECIAL
    if raw.keys() != expected:
        odd = sorted(raw.keys() ^ expected)
        raise KeyError(f"fields {', '.join(odd)} are not the state's")
    kwargs = {name: conv(raw[name]) for name, conv in structurers.items()}
    kwargs["run_ids_by_state"] = {
        RunState(s): _strings(ids) for s, ids in _pairs(raw["run_ids_by_state"])
    }
    kwargs["milestone_counts"] = {
        _string(milestone): {(_bool(must), RunState(s)): _int(n) for must, s, n in counts}
        for milestone, counts in _pairs(raw["milestone_counts"])
    }
    stage = codec.structurer(ev.StageEntered, generated=generated, lax=lax)
    kwargs["stage_history"] = tuple(
        (_int(seq), stage(entered)) for seq, entered in _pairs(raw["stage_history"])
    )
    return PipelineState(**kwargs)


def _pairs(value: Any) -> list[tuple[Any, Any]]:
    if type(value) is not list or any(type(p) is not list or len(p) != 2 for p in value):
        raise TypeError("expected a list of pairs")
    return [(a, b) for a, b in value]


def _strings(value: object) -> tuple[str, ...]:
    if type(value) is not list:
        raise TypeError("expected a list of strings")
    return tuple(_string(item) for item in value)


def _string(value: object) -> str:
    if type(value) is not str:
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _int(value: object) -> int:
    if type(value) is not int:
        raise TypeError(f"expected a whole number, got {type(value).__name__}")
    return value


def _bool(value: object) -> bool:
    if type(value) is not bool:
        raise TypeError(f"expected true or false, got {type(value).__name__}")
    return value
