"""
How a ``bridge.toml`` section's attrs class declares its keys: :func:`setting` metadata (the
key's name in the file, how its value is read, whether it is secret or set by code), and the
errors a field's read function raises (:class:`Invalid`, :class:`Within`).

The reader that uses them is :mod:`bridge.plan.settings`; the read functions are in
:mod:`bridge.plan.setting_rules` (any section) and :mod:`bridge.plan.config_values` (the plan's
own sections).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

import attrs

from bridge.value_methods import value_methods

__all__ = ["Invalid", "Within", "did_you_mean", "key_of", "keys_of", "rule_of", "setting"]

_META = "bridge.setting"


class Invalid(ValueError):
    """
    A value its setting does not take. Raised by a field's read function; the reader adds the
    setting's dotted name, its line, and the value (unless the setting is secret).

    Args:
        reason: what the setting takes, as the end of a sentence (``"must be a positive
            number"``); ``{setting}`` in it stands for the setting's dotted name.
        value: the value as written, quoted after the reason; omit to quote nothing.
    """

    def __init__(self, reason: str, value: object = ..., *, quote: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value
        self.quote = quote and value is not ...


class Within(Exception):
    """
    An error inside one entry of a table of tables (``systems."MLP"``): the key it sits under.
    """

    def __init__(self, key: str | int, error: Exception) -> None:
        super().__init__(key, error)
        self.key = key
        self.error = error


@value_methods
@attrs.frozen(eq=False, repr=False)
class _Rule:
    read: Callable[[object], object] | None
    key: str | None
    secret: bool
    internal: bool
    help: str = ""


def setting(
    *,
    read: Callable[[object], object] | None = None,
    key: str | None = None,
    secret: bool = False,
    internal: bool = False,
    help: str = "",
) -> dict[str, object]:
    """
    Field metadata saying how a ``bridge.toml`` key becomes this field.

    Args:
        read: turns the TOML value into the field's value, or raises :class:`Invalid`; without
            it the field's type decides (strictly: a string is not a number).
        key: the key in the file when it differs from the field's name.
        secret: the value is never quoted back in a message.
        internal: not a key of the file (set by the code after reading; must have a default).
        help: what the setting does, in a phrase (``[bridge]``'s options declare theirs).

    Returns:
        The metadata for ``attrs.field(metadata=...)``.
    """
    return {_META: _Rule(read=read, key=key, secret=secret, internal=internal, help=help)}


def rule_of(field: attrs.Attribute[object]) -> _Rule:
    """
    How a field is read (its :func:`setting` metadata, or the defaults).
    """
    found = field.metadata.get(_META)
    return found if isinstance(found, _Rule) else _Rule(None, None, False, False)


def key_of(field: attrs.Attribute[object]) -> str:
    """
    The key a field is written as in the file.
    """
    return rule_of(field).key or field.name


def keys_of(cls: type) -> tuple[str, ...]:
    """
    The keys a section's class takes: its own first, then each base's (``[backends.vast]``'s
    before the SSH settings it shares), each in the order the class declares them.
    """
    names: dict[str, None] = {}
    for klass in cls.__mro__:
        if attrs.has(klass):
            names.update((f.name, None) for f in attrs.fields(klass) if not f.inherited)
    fields = attrs.fields_dict(cls)
    return tuple(key_of(fields[n]) for n in names if not rule_of(fields[n]).internal)


def did_you_mean(
    key: str,
    valid: Iterable[str],
    show: Callable[[str], str] = repr,
    *,
    most: int = 1,
    cutoff: float = 0.5,
    fallback: Iterable[str] = (),
) -> str:
    """
    ``"; did you mean 'x'?"`` naming the valid names closest to ``key``, or ``""``.

    Args:
        key: what was written.
        valid: the names it may have meant.
        show: how a name is written in the message (``repr``: ``'x'``).
        most: name at most this many (``'a' or 'b'``).
        cutoff: how close a name must be (``difflib``'s ratio, 0 to 1).
        fallback: names to offer when none is close enough.
    """
    close = difflib.get_close_matches(key, list(valid), n=most, cutoff=cutoff)
    close = close or list(fallback)[:most]
    return f"; did you mean {' or '.join(show(c) for c in close)}?" if close else ""
