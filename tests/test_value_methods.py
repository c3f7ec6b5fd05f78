"""
The shared ``__eq__``, ``__hash__`` and ``__repr__`` of :func:`bridge.value_methods.value_methods`
answer as the methods attrs compiles for a frozen class do.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import attrs
import pytest
from hypothesis import given

from bridge.machine.snapshot import shape_classes
from bridge.value_methods import value_methods
from tests.strategies import events


@attrs.frozen(kw_only=True)
class _Inner:
    label: str


@attrs.frozen(kw_only=True)
class _ByAttrs:
    name: str
    size: float
    inner: _Inner | None = None
    items: tuple[str, ...] = ()


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class _Shared:
    name: str
    size: float
    inner: _Inner | None = None
    items: tuple[str, ...] = ()


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class _Single:
    size: float


def _pair(**kwargs: Any) -> tuple[Any, Any]:
    return _ByAttrs(**kwargs), _Shared(**kwargs)


class TestAgainstAttrs:
    def test_repr_is_attrs_text(self) -> None:
        """The repr is attrs' own, character for character, but for the class's name."""
        for kwargs in (
            {"name": "a'b", "size": 1.5},
            {"name": "", "size": math.inf, "inner": _Inner(label="x"), "items": ("p", "q")},
        ):
            by_attrs, shared = _pair(**kwargs)
            assert repr(shared) == repr(by_attrs).replace("_ByAttrs(", "_Shared(", 1)

    def test_equality_and_hash_follow_the_fields(self) -> None:
        """Equal fields are equal and hash alike; any field differing makes them unequal."""
        one = _Shared(name="a", size=1.0, items=("x",))
        assert one == _Shared(name="a", size=1.0, items=("x",))
        assert hash(one) == hash(_Shared(name="a", size=1.0, items=("x",)))
        assert one != attrs.evolve(one, name="b")
        assert one != attrs.evolve(one, items=())
        assert one != attrs.evolve(one, inner=_Inner(label=""))

    def test_another_class_with_the_same_fields_is_not_equal(self) -> None:
        """As attrs: equality holds only for the very same class."""
        by_attrs, shared = _pair(name="a", size=1.0)
        assert shared != by_attrs
        assert by_attrs != shared
        assert shared.__eq__(by_attrs) is NotImplemented

    def test_a_nan_field_is_unequal_as_in_attrs(self) -> None:
        """attrs compares field by field with ==, so a NaN field is unequal even to itself."""
        nan = float("nan")
        by_attrs, shared = _pair(name="a", size=nan)
        assert (by_attrs == copy.copy(by_attrs)) is (shared == copy.copy(shared)) is False
        assert _Single(size=nan) != _Single(size=nan)
        assert _Single(size=1.0) == _Single(size=1.0)

    def test_a_field_left_out_of_equality_is_refused(self) -> None:
        """A field attrs would skip is refused at import, not compared by mistake."""
        with pytest.raises(TypeError, match="compares every field"):

            @value_methods
            @attrs.frozen(kw_only=True, eq=False, repr=False)
            class _Skips:
                kept: str
                skipped: str = attrs.field(eq=False)

    def test_a_class_that_is_not_attrs_is_refused(self) -> None:
        """The decorator goes above @attrs.frozen."""
        with pytest.raises(TypeError, match=r"above @attrs\.frozen"):
            value_methods(type("Plain", (), {}))


def test_every_class_a_state_holds_has_value_methods() -> None:
    """No event, value or view falls back to identity equality or object's repr."""
    for cls in shape_classes():
        assert cls.__eq__ is not object.__eq__, cls
        assert cls.__hash__ is not object.__hash__, cls
        assert cls.__repr__ is not object.__repr__, cls


@given(events)
def test_every_event_compares_hashes_and_shows_its_fields(evt: Any) -> None:
    """
    A copy is equal with the same hash (where its fields hash); the repr lists every field's
    repr, as attrs does.
    """
    twin = copy.deepcopy(evt)
    assert twin == evt
    values = tuple(getattr(evt, f.name) for f in attrs.fields(type(evt)))
    try:
        hash(values)
    except TypeError:  # a dict field: unhashable under attrs' own __hash__ too
        with pytest.raises(TypeError):
            hash(evt)
    else:
        assert hash(twin) == hash(evt)
    body = ", ".join(f"{f.name}={getattr(evt, f.name)!r}" for f in attrs.fields(type(evt)))
    assert repr(evt) == f"{type(evt).__name__}({body})"
