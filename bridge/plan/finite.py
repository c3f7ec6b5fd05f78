"""
The one attrs validator that keeps NaN and Infinity out of recorded numbers: the log is
canonical JSON, which has neither.
"""

from __future__ import annotations

import math
from typing import TypeVar

import attrs

__all__ = ["finite"]

#: A float field or an optional one (attrs.Attribute is generic over the field's type).
_Number = TypeVar("_Number", bound=float | None)


def finite(_: object, attribute: attrs.Attribute[_Number], value: _Number) -> None:
    """
    Refuse NaN and ±Infinity (``None`` passes).

    Raises:
        ValueError: naming the field and the value.
    """
    if value is not None and not math.isfinite(value):
        raise ValueError(f"{attribute.name} must be finite or None, got {value!r}")
