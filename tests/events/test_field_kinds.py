"""
Tests that decoding takes each scalar field only as the JSON kind its type names: a str field a
string, an int field a whole number (not ``true``, not ``2.0``), a bool field ``true`` or
``false``, a float field any number; ``X | None`` takes null too. Every field of every event type
is tried, nested ones included, on both decoding paths (the generated code and the general path
that data with a field missing takes).
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bridge.errors import IntegrityError
from bridge.events import codec
from bridge.events.types import EVENT_TYPES
from tests.strategies import events, finite, text

#: Where a value sits in an event's JSON: keys and list indexes from the top.
Path = tuple[str | int, ...]

_SCALARS = (str, int, bool, float)
_ANY_JSON = st.one_of(st.none(), st.booleans(), st.integers(-(2**53), 2**53), finite, text)


def _fits(kind: type, optional: bool, value: object) -> bool:
    """Whether ``value`` is JSON a field of ``kind`` (``| None`` when ``optional``) takes."""
    if value is None:
        return optional
    if kind is float:
        return type(value) in (int, float)
    return type(value) is kind


@attrs.frozen
class _Scalar:
    """A scalar in an event's JSON, and the attrs object (of ``owner``) whose data holds it."""

    path: Path
    kind: type
    optional: bool  # null fits too
    owner: Path
    owner_cls: type


def _scalars(value: Any, tp: Any, path: Path = (), owner: Path = (),
             owner_cls: type = object) -> Iterator[_Scalar]:  # fmt: skip
    """Every scalar in ``value`` (JSON of type ``tp``)."""
    optional = False
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        (tp,) = (arg for arg in typing.get_args(tp) if arg is not type(None))
        optional = True
    origin = typing.get_origin(tp)
    if tp in _SCALARS:
        yield _Scalar(path, tp, optional, owner, owner_cls)
    elif value is None or tp is datetime or (isinstance(tp, type) and issubclass(tp, enum.Enum)):
        return
    elif origin is tuple:
        for index, item in enumerate(value):
            yield from _scalars(item, typing.get_args(tp)[0], (*path, index), owner, owner_cls)
    elif origin is not None and issubclass(origin, Mapping):
        for key, item in value.items():
            yield from _scalars(item, typing.get_args(tp)[1], (*path, key), owner, owner_cls)
    elif isinstance(tp, type) and attrs.has(tp):
        hints = codec.field_types(tp)
        for name, item in value.items():
            yield from _scalars(item, hints[name], (*path, name), path, tp)


def _at(value: Any, path: Path) -> Any:
    for step in path:
        if isinstance(value, list | tuple | Mapping):
            value = value[step]
        else:
            assert isinstance(step, str)
            value = getattr(value, step)
    return value


def _replaced(data: Any, path: Path, value: object) -> Any:
    """``data`` with what sits at ``path`` replaced by ``value``, or removed if it is _GONE."""
    head, *rest = path
    if isinstance(data, list):
        assert isinstance(head, int)
        return [_replaced(item, tuple(rest), value) if rest else value
                if i == head else item for i, item in enumerate(data)]  # fmt: skip
    changed = {key: (_replaced(item, tuple(rest), value) if rest else value)
               if key == head else item for key, item in data.items()}  # fmt: skip
    return {key: item for key, item in changed.items() if item is not _GONE}


_GONE = object()


@attrs.frozen
class _Misfit:
    """An event's JSON with one scalar replaced by JSON of a kind its field does not take."""

    tag: str
    data: dict[str, Any]
    scalar: _Scalar


def _of(evt: Any, kinds: tuple[type, ...]) -> list[_Scalar]:
    found = _scalars(orjson.loads(codec.encode(evt)[2]), type(evt))
    return [scalar for scalar in found if scalar.kind in kinds]


@st.composite
def _misfits(draw: st.DrawFn, kinds: tuple[type, ...] = _SCALARS) -> _Misfit:
    """A field, an item, a nested class's field: any scalar of ``kinds`` of any event type."""
    evt = draw(events.filter(lambda e: bool(_of(e, kinds))))
    tag, _, data = codec.encode(evt)
    raw = orjson.loads(data)
    scalar = draw(st.sampled_from(_of(evt, kinds)))
    wrong = draw(_ANY_JSON.filter(lambda v: not _fits(scalar.kind, scalar.optional, v)))
    return _Misfit(tag, _replaced(raw, scalar.path, wrong), scalar)


class TestScalarFieldKinds:
    @given(_misfits())
    def test_a_value_of_another_kind_does_not_decode(self, misfit: _Misfit) -> None:
        """Any scalar replaced by JSON of a kind its type does not take is refused by decode
        (the generated code: the data holds every field)."""
        with pytest.raises(IntegrityError, match="does not decode"):
            codec.decode(misfit.tag, 1, misfit.data)

    @given(_misfits(), st.data())
    def test_a_value_of_another_kind_does_not_decode_on_the_general_path(
        self, misfit: _Misfit, data: st.DataObject
    ) -> None:
        """The same where the object holding it lacks a defaulted field (old data), which takes
        the general path through the class's __init__."""
        scalar = misfit.scalar
        field = scalar.path[len(scalar.owner)]
        defaulted = [f.name for f in attrs.fields(scalar.owner_cls)
                     if f.default is not attrs.NOTHING and f.name != field]  # fmt: skip
        assume(defaulted)
        gone = (*scalar.owner, data.draw(st.sampled_from(defaulted)))
        with pytest.raises(IntegrityError, match="does not decode"):
            codec.decode(misfit.tag, 1, _replaced(misfit.data, gone, _GONE))

    @given(_misfits(kinds=(int, bool, float)))
    def test_a_number_of_another_kind_does_not_decode_where_no_code_is_generated(
        self, misfit: _Misfit
    ) -> None:
        """On the plain path (small snapshots) a misfit in an int, bool or float field is
        refused too (str fields are left to the class there: structuring.structurer says why)."""
        cls = EVENT_TYPES[misfit.tag][1]
        with pytest.raises((TypeError, ValueError)):
            codec.structurer(cls, generated=False)(misfit.data)

    @pytest.mark.parametrize(
        ("tag", "data"),
        [
            ("run.planned", '{"run_id":"R","gpus":"two"}'),
            ("run.planned", '{"run_id":"R","gpus":true}'),
            ("run.planned", '{"run_id":"R","gpus":2.0}'),
            ("run.planned", '{"run_id":"R","seed":"7"}'),
            ("run.failed", '{"run_id":"R","attempt_id":"a","exit_code":false}'),
            ("run.failed", '{"run_id":"R","attempt_id":"a","oom":1}'),
            ("run.artifacts_fetched", '{"run_id":"R","attempt_id":"a","local_dir":"d",'
             '"artifacts":[{"path":"p","size":"1","sha256":"s"}]}'),
            ("stage.entered", '{"stage":"PLANNED","trigger":7}'),
        ],
    )  # fmt: skip
    def test_examples_do_not_decode(self, tag: str, data: str) -> None:
        """A string, bool or float for a count, a number for a bool, and a number in a str field
        of data missing a defaulted field (the general path) are refused."""
        with pytest.raises(IntegrityError, match="does not decode"):
            codec.decode(tag, 1, data)

    @given(events)
    def test_every_field_of_what_encode_writes_fits(self, evt: Any) -> None:
        """What the encoder writes fits every field's kind (so old logs, all written by it, are
        read as before), and decodes to values of exactly the declared scalar types."""
        tag, version, data = codec.encode(evt)
        raw = orjson.loads(data)
        back = codec.decode(tag, version, data)
        for scalar in _scalars(raw, type(evt)):
            written, value = _at(raw, scalar.path), _at(back, scalar.path)
            assert _fits(scalar.kind, scalar.optional, written), (scalar, written)
            assert value is None or type(value) is scalar.kind, (scalar, value)


def _as_stored(tag: str, data: dict[str, Any]) -> tuple[Any, str]:
    """decode_as_stored after the strict decode refused ``data``, as the stores' reads call it."""
    text = orjson.dumps(data)
    with pytest.raises(IntegrityError) as refused:
        codec.decode(tag, 1, text)
    return codec.decode_as_stored(tag, 1, text, refused.value)


class TestReadAsStored:
    """A stored row whose int or bool field holds another kind (an older bridge took such fields
    as stored) reads as it did then: the value as stored, every other field checked."""

    @given(_misfits((int, bool)))
    def test_an_int_or_bool_of_another_kind_reads_as_stored(self, misfit: _Misfit) -> None:
        """Generated code: the value is the stored one, and the note names where it sits."""
        wrong = _at(misfit.data, misfit.scalar.path)
        try:
            evt, note = _as_stored(misfit.tag, misfit.data)
        except IntegrityError as exc:  # a validator or converter of the field refuses it
            assert "does not decode" in str(exc)
            return
        assert _at(evt, misfit.scalar.path) == wrong
        assert type(_at(evt, misfit.scalar.path)) is type(wrong)
        assert note.startswith(f"{misfit.tag} holds a value of another kind than its field (")
        assert orjson.dumps(wrong).decode()[:30] in note

    @given(_misfits((int, bool)), st.data())
    def test_the_same_on_the_general_path(self, misfit: _Misfit, data: st.DataObject) -> None:
        """Where the object holding it lacks a defaulted field (the general path)."""
        scalar = misfit.scalar
        field = scalar.path[len(scalar.owner)]
        defaulted = [f.name for f in attrs.fields(scalar.owner_cls)
                     if f.default is not attrs.NOTHING and f.name != field]  # fmt: skip
        assume(defaulted)
        gone = (*scalar.owner, data.draw(st.sampled_from(defaulted)))
        wrong = _at(misfit.data, scalar.path)
        try:
            evt, _ = _as_stored(misfit.tag, _replaced(misfit.data, gone, _GONE))
        except IntegrityError as exc:
            assert "does not decode" in str(exc)
            return
        assert _at(evt, scalar.path) == wrong

    @given(_misfits((str, float)))
    def test_other_kinds_are_not_read_as_stored(self, misfit: _Misfit) -> None:
        """A str or float field of another kind was refused before too: it stays refused."""
        with pytest.raises(IntegrityError, match="does not decode"):
            _as_stored(misfit.tag, misfit.data)
