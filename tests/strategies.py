"""
Hypothesis strategies for bridge's value types and events.
"""

from __future__ import annotations

import enum
import typing
from datetime import UTC, datetime
from typing import Any

import attrs
from hypothesis import strategies as st

from bridge.events.types import EVENT_TYPES
from bridge.events.values import Artifact, Finding, JobHandle, Severity, Slot

# No NUL: the codec stores one as U+FFFD (tests/events/test_codec.py checks that separately).
text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20
)
# Keys that are not secret-looking, so the secret guard does not refuse generated events.
keys = st.text(st.sampled_from("abcdefghijmnoqrsuvwxyz_"), min_size=1, max_size=8)
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)

_BY_TYPE: dict[Any, st.SearchStrategy[Any]] = {
    str: text,
    int: st.integers(-(2**53), 2**53),
    float: finite,
    bool: st.booleans(),
    datetime: moments,
    Slot: st.builds(Slot, host=text, gpu=st.none() | st.integers(0, 16)),
    JobHandle: st.builds(
        JobHandle, backend=text, attempt_id=text, locator=st.dictionaries(keys, text, max_size=3)
    ),
    Artifact: st.builds(Artifact, path=text, size=st.integers(0, 2**40), sha256=text),
    Finding: st.builds(
        Finding,
        severity=st.sampled_from(Severity),
        message=text,
        file=text,
        line=st.none() | st.integers(1, 10**6),
        check=text,
    ),
}


def for_type(tp: Any) -> st.SearchStrategy[Any]:
    """
    A strategy for one (resolved) field type.
    """
    if tp in _BY_TYPE:
        return _BY_TYPE[tp]
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, __import__("types").UnionType):
        return st.one_of(*(for_type(a) for a in args))
    if tp is type(None):
        return st.none()
    if origin is tuple:
        return st.lists(for_type(args[0]), max_size=3).map(tuple)
    if origin is not None and getattr(origin, "__name__", "") == "Mapping":
        return st.dictionaries(keys, for_type(args[1]), max_size=3)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(tp)
    if attrs.has(tp):
        return builds(tp)
    raise NotImplementedError(f"no strategy for {tp!r}")


def builds(cls: type[Any]) -> st.SearchStrategy[Any]:
    """
    ``st.builds`` over every field of an attrs class, with bridge-safe field strategies.
    """
    hints = typing.get_type_hints(cls)
    fields = {f.name: for_type(hints[f.name]) for f in attrs.fields(cls)}
    return st.builds(cls, **fields)


events = st.one_of(*(builds(cls) for _, (_, cls) in sorted(EVENT_TYPES.items())))
