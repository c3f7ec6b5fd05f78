"""
:func:`value_methods`: attrs' ``__eq__``, ``__hash__`` and ``__repr__`` for a frozen class,
shared by every class instead of compiled for each.

attrs generates those methods as source and compiles them, class by class, when the module is
imported. For the ~60 event classes and the folded state's views that was about an eighth of
what ``bridge status`` executes (docs/performance.md, "Start-up"), paid by every command before
it reads anything. The functions here give the same answers from the class's field list, read
once when the class is decorated: equality compares the fields in order with ``==`` when the
other object is of the very same class, the hash is taken over the same fields, and the repr is
attrs' text, character for character.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["value_methods"]

C = TypeVar("C", bound=type)

_repring = threading.local()  # ids of the objects whose repr is being built, as attrs keeps


def value_methods(cls: C) -> C:
    """
    Give ``cls`` (declared with ``@attrs.frozen(..., eq=False, repr=False)``) the value
    equality, hash and repr that attrs would have compiled for it. Put it above the attrs
    decorator.

    Raises:
        TypeError: ``cls`` is not an attrs class, or a field asks for something these shared
            methods do not do (a field left out of equality or hashing, or an equality key),
            which attrs' own methods would then have to serve.
    """
    declared: type = cls  # checked apart: attrs.has would narrow cls away from C
    if not attrs.has(declared):
        raise TypeError(f"{cls.__qualname__}: value_methods goes above @attrs.frozen")
    fields = attrs.fields(declared)
    for field in fields:
        if field.eq is not True or field.eq_key is not None or field.hash not in (None, True):
            raise TypeError(f"{cls.__qualname__}.{field.name}: value_methods compares every field")
    names = tuple(field.name for field in fields)
    # Always a tuple of the field values, compared field by field with == as attrs does (so a
    # NaN field is unequal even to itself: no tuple identity shortcut).
    get = operator.attrgetter(*names) if names else None
    key: Callable[[Any], tuple[Any, ...]]
    if get is None:
        key = lambda _obj: ()  # noqa: E731
    elif len(names) == 1:
        key = lambda obj: (get(obj),)  # noqa: E731
    else:
        key = get
    # attrs hashes a tuple led by a number of the class's own, so equal fields of two classes
    # rarely collide; any fixed number per class does that.
    salt = hash(f"{cls.__module__}.{cls.__qualname__}")
    shown = tuple(
        (field.name, repr if field.repr is True else field.repr)
        for field in fields
        if field.repr is not False
    )

    def __eq__(self: Any, other: object) -> bool:  # noqa: N807
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(map(operator.eq, key(self), key(other)))

    def __hash__(self: Any) -> int:  # noqa: N807
        return hash((salt, key(self)))

    def __repr__(self: Any) -> str:  # noqa: N807
        # The name as attrs writes it, and "..." for an object met again inside its own repr.
        name = self.__class__.__qualname__.rsplit(">.", 1)[-1]
        seen: set[int] | None = getattr(_repring, "ids", None)
        if seen is None:
            seen = _repring.ids = set()
        if id(self) in seen:
            return "..."
        seen.add(id(self))
        try:
            body = ", ".join(f"{n}={show(getattr(self, n, attrs.NOTHING))}" for n, show in shown)
        finally:
            seen.discard(id(self))
        return f"{name}({body})"

    for method in (__eq__, __hash__, __repr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)
    return cls
