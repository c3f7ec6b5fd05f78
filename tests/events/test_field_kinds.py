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
from hypothesis import given
from hypothesis import strategies as st

from bridge.errors import IntegrityError
from bridge.events import codec
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


def _scalars(value: Any, tp: Any, path: Path = ()) -> Iterator[tuple[Path, type, bool]]:
    """Every scalar in ``value`` (JSON of type ``tp``): its path, its kind, whether null fits."""
    optional = False
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        (tp,) = (arg for arg in typing.get_args(tp) if arg is not type(None))
        optional = True
    origin = typing.get_origin(tp)
    if tp in _SCALARS:
        yield path, tp, optional
    elif value is None or tp is datetime or (isinstance(tp, type) and issubclass(tp, enum.Enum)):
        return
    elif origin is tuple:
        for index, item in enumerate(value):
            yield from _scalars(item, typing.get_args(tp)[0], (*path, index))
    elif origin is not None and issubclass(origin, Mapping):
        for key, item in value.items():
            yield from _scalars(item, typing.get_args(tp)[1], (*path, key))
    elif isinstance(tp, type) and attrs.has(tp):
        hints = codec.field_types(tp)
        for name, item in value.items():
            yield from _scalars(item, hints[name], (*path, name))


def _replaced(data: Any, path: Path, value: object) -> Any:
    if not path:
        return value
    head, *rest = path
    if isinstance(data, list):
        assert isinstance(head, int)
        return [_replaced(item, tuple(rest), value) if i == head else item
                for i, item in enumerate(data)]  # fmt: skip
    return {key: _replaced(item, tuple(rest), value) if key == head else item
            for key, item in data.items()}  # fmt: skip


@st.composite
def _misfits(draw: st.DrawFn) -> tuple[str, type, dict[str, Any], Path, object]:
    """An event's JSON with one scalar (a field, an item, a nested class's field) replaced by
    JSON of a kind that field does not take."""
    evt = draw(events.filter(lambda e: any(_scalars(orjson.loads(codec.encode(e)[2]), type(e)))))
    tag, _, data = codec.encode(evt)
    raw = orjson.loads(data)
    path, kind, optional = draw(st.sampled_from(list(_scalars(raw, type(evt)))))
    wrong = draw(_ANY_JSON.filter(lambda v: not _fits(kind, optional, v)))
    return tag, type(evt), _replaced(raw, path, wrong), path, wrong


class TestScalarFieldKinds:
    @given(_misfits())
    def test_a_value_of_another_kind_does_not_decode(
        self, case: tuple[str, type, dict[str, Any], Path, object]
    ) -> None:
        """Any scalar replaced by JSON of a kind its type does not take is refused by decode
        (the generated fast path: the data holds every field)."""
        tag, _, data, _, _ = case
        with pytest.raises(IntegrityError, match="does not decode"):
            codec.decode(tag, 1, data)

    @given(_misfits())
    def test_a_value_of_another_kind_does_not_decode_on_the_general_path(
        self, case: tuple[str, type, dict[str, Any], Path, object]
    ) -> None:
        """The same on the general path, which generates no code (small snapshots, and event
        data missing a defaulted field)."""
        _, cls, data, _, _ = case
        with pytest.raises((TypeError, ValueError)):
            codec.structurer(cls, generated=False)(data)

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
        for path, kind, optional in _scalars(raw, type(evt)):
            written, value = _at(raw, path), _at(back, path)
            assert _fits(kind, optional, written), (path, written)
            assert value is None or type(value) is kind, (path, value)


def _at(value: Any, path: Path) -> Any:
    for step in path:
        if isinstance(value, list | tuple | Mapping):
            value = value[step]
        else:
            assert isinstance(step, str)
            value = getattr(value, step)
    return value
