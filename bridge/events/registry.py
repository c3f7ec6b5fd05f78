"""
The event registry: :func:`event` gives a class its stable type tag and schema version and
records it in :data:`EVENT_TYPES`, which the codec and ``docs/events.md`` are built from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Protocol, TypeVar

from bridge.plan.finite import finite

__all__ = ["EVENT_TYPES", "event", "finite"]


class Tagged(Protocol):
    """What every event class declares and :func:`event` fills in: its tag and schema version."""

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]


E = TypeVar("E", bound=Tagged)

#: type tag → (schema version, class). Filled by :func:`event`.
EVENT_TYPES: dict[str, tuple[int, type[Tagged]]] = {}


def event(tag: str, version: int = 1) -> Callable[[type[E]], type[E]]:
    """
    Register an event class under ``tag`` at schema ``version``.

    Raises:
        ValueError: when the tag is registered twice.
    """

    def register(cls: type[E]) -> type[E]:
        if tag in EVENT_TYPES:
            raise ValueError(f"event type {tag!r} registered twice")
        cls.TYPE = tag
        cls.SCHEMA_VERSION = version
        EVENT_TYPES[tag] = (version, cls)
        return cls

    return register
