"""
Read functions for ``bridge.toml`` settings that any section may use: the ``read=`` of
:func:`bridge.plan.setting_fields.setting` metadata, and of :meth:`bridge.plan.settings.
SettingsTable.value` for sections read key by key.

Each takes the TOML value and returns the setting's value or raises
:class:`~bridge.plan.setting_fields.Invalid` (or :class:`~bridge.plan.setting_fields.Within`
for an entry of a table); the reader adds the setting's name and line, and quotes the value
unless the setting is secret or the rule says not to.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from pathlib import Path

from bridge.lazy_patterns import lazy
from bridge.plan.setting_fields import Invalid, Within, did_you_mean

__all__ = [
    "ENV_NAME",
    "LARGEST_INTEGER",
    "LARGEST_NUMBER",
    "LONGEST_MINUTES",
    "absolute_path",
    "argv",
    "env_name",
    "existing_file",
    "filled",
    "local_path",
    "minutes",
    "name",
    "non_negative",
    "non_negative_number",
    "one_of",
    "positive",
    "positive_seconds",
    "required_text",
    "string_list",
    "strings",
    "table",
    "tables",
    "text",
    "text_or_none",
    "whole",
    "within",
]


def within(path: tuple[str | int, ...], error: Exception) -> Exception:
    """
    Wrap ``error`` so the reader names it at ``path`` below the current setting.
    """
    for key in reversed(path):
        error = Within(key, error)
    return error


def table(value: object) -> dict[str, object]:
    """
    A table, kept raw for the module that owns it.
    """
    if not isinstance(value, dict):
        raise Invalid("must be a table", value)
    return value


def tables(value: object) -> dict[str, Mapping[str, object]]:
    """
    A table of tables (``[backends.ssh]``, ``[backends.vast]``), each kept raw.
    """
    out: dict[str, Mapping[str, object]] = {}
    for key, item in table(value).items():
        if not isinstance(item, dict):
            raise within((key,), Invalid("must be a table", item))
        out[str(key)] = item
    return out


#: The largest number a setting takes: ten years in seconds. Far beyond any real count, size,
#: price or duration, and small enough that a deadline, a sleep or a back-off computed from
#: any setting stays within what dates, timers and 64-bit integers hold (1e12 seconds of
#: out-of-memory back-off overflowed a datetime).
LARGEST_NUMBER = 10 * 365 * 24 * 3600
#: The largest whole number a count or a seed takes: what the log's JSON holds (64-bit).
LARGEST_INTEGER = 2**63 - 1
#: The longest duration in minutes (ten years): beyond it a timeout means "none", and Slurm's
#: ``--time`` or a deadline computed from it would overflow.
LONGEST_MINUTES = 10 * 365 * 24 * 60


def non_negative_number(value: object) -> float:
    """
    A number, 0 or more, finite and at most :data:`LARGEST_NUMBER` (TOML's ``inf`` and ``nan``
    are numbers too).
    """
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        if not value <= LARGEST_NUMBER:  # also catches inf
            raise Invalid(f"must be a finite number, at most {LARGEST_NUMBER}", value)
        return float(value)
    raise Invalid("must be a non-negative number", value)


def minutes(value: object) -> float:
    """
    A duration in minutes: a :func:`non_negative_number` of at most ten years.
    """
    if isinstance(value, int | float) and not isinstance(value, bool) and value > LONGEST_MINUTES:
        raise Invalid(f"must be at most {LONGEST_MINUTES} minutes (ten years)", value)
    return non_negative_number(value)


def non_negative(value: object) -> int:
    """
    A whole number, 0 or more.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        if value > LARGEST_INTEGER:
            raise Invalid(f"must be at most {LARGEST_INTEGER}", value)
        return value
    raise Invalid("must be a non-negative integer", value)


def filled(value: object) -> str:
    """
    A string with something in it, kept as written: ``""`` (or only spaces) names nothing, and
    a setting that takes a name, a path or a pattern has no reading for it.
    """
    if not isinstance(value, str):
        raise Invalid("must be a string", value)
    if not value.strip():
        raise Invalid("must be a non-empty string", value)
    return value


def name(value: object) -> str:
    """
    A name or an id (a run's ``id``, ``block``, ``system``, ``milestone``): a non-empty string,
    or a number written as one (``id = 3`` is ``"3"``). Never a boolean (``system = true`` is
    no system's name) and never empty (``block = ""`` names no block: leave the key out).
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Invalid("must be a string or number", value)
    return filled(str(value))


def _entries(value: list[object]) -> tuple[str, ...]:
    """Each entry of a list :func:`filled`, an entry's error named at its index."""
    out: list[str] = []
    for index, entry in enumerate(value):
        try:
            out.append(filled(entry))
        except Invalid as exc:
            raise Within(index, exc) from None
    return tuple(out)


def strings(value: object) -> tuple[str, ...]:
    """
    One string or a list of strings (globs, block ids), none of them empty.
    """
    if isinstance(value, str):
        return (filled(value),)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return _entries(value)
    raise Invalid("must be a string or a list of strings")


def required_text(value: object) -> str:
    """
    A non-empty string.
    """
    if not isinstance(value, str):
        raise Invalid("must be a string", value)
    if not value:
        raise Invalid("is required")
    return value


def string_list(value: object) -> tuple[str, ...]:
    """
    A list of strings, none of them empty (never one string: ``exclude = "data"`` is a
    mistake, not one pattern, and ``aliases = "A, B"`` would be one name holding a comma).
    """
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("must be a list of strings", value)
    return _entries(value)


def positive_seconds(value: object) -> float:
    """
    A number of seconds above 0.
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise Invalid("must be a positive number of seconds", value)
    if not value <= LARGEST_NUMBER:
        raise Invalid(f"must be a finite number, at most {LARGEST_NUMBER}", value)
    return float(value)


def whole(minimum: int, maximum: int | None = None) -> Callable[[object], int]:
    """
    An integer from ``minimum`` (to ``maximum``).
    """

    def read(value: object) -> int:
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < minimum
            or (maximum is not None and value > maximum)
        ):
            bound = f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}"
            raise Invalid(f"must be an integer {bound}", value)
        if value > LARGEST_INTEGER:
            raise Invalid(f"must be at most {LARGEST_INTEGER}", value)
        return value

    return read


def one_of(*choices: str, say: str = "") -> Callable[[object], str]:
    """
    One of ``choices`` (``say``, when given, explains them).
    """

    def read(value: object) -> str:
        meaning = f" ({say})" if say else ""
        if not isinstance(value, str):
            # Shown as TOML writes it (`true`, not Python's `True`).
            raise Invalid(f"must be one of: {', '.join(choices)}{meaning}", value)
        if value not in choices:
            hint = did_you_mean(value, choices)
            raise Invalid(f"= {value!r} is not one of: {', '.join(choices)}{meaning}{hint}")
        return value

    return read


def absolute_path(where: str) -> Callable[[object], str]:
    """
    An absolute POSIX path on another machine (normalised), ``where`` naming it.
    """

    def read(value: object) -> str:
        if not isinstance(value, str) or not posixpath.isabs(value):
            raise Invalid(f"must be an absolute path {where}", value)
        return posixpath.normpath(value)

    return read


def local_path(default: str | None) -> Callable[[object], str | None]:
    """
    A path on this machine, ``~`` expanded; ``""`` means ``default`` (expanded too).
    """

    def read(value: object) -> str | None:
        if not isinstance(value, str):
            raise Invalid("must be a string", value)
        path = value or default
        return str(Path(path).expanduser()) if path else None

    return read


def existing_file(what: str) -> Callable[[object], str | None]:
    """
    A file on this machine that exists (``~`` expanded), ``what`` saying what it holds; ``""``
    means none.
    """

    def read(value: object) -> str | None:
        given = local_path(None)(value)
        if given is None:
            return None
        path = Path(given)
        if not path.is_file():
            raise Invalid(f"names no such file {str(path)!r} ({what})")
        return str(path)

    return read


def blank_means(
    default: str, read: Callable[[object], str] | None = None
) -> Callable[[object], str]:
    """
    ``""`` means ``default`` (as if the key were absent); anything else is a string read by
    ``read`` when given.
    """

    def rule(value: object) -> str:
        if not isinstance(value, str):
            raise Invalid("must be a string", value)
        if not value:
            return default
        return read(value) if read is not None else value

    return rule


def text_or_none(value: object) -> str | None:
    """
    A string; empty means not set.
    """
    if not isinstance(value, str):
        raise Invalid("must be a string", value)
    return value or None


def positive(value: object) -> float:
    """
    A number above 0.
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise Invalid("must be a positive number", value)
    if not value <= LARGEST_NUMBER:
        raise Invalid(f"must be a finite number, at most {LARGEST_NUMBER}", value)
    return float(value)


#: A variable name a shell takes (matched whole: ``$`` would let a trailing newline in).
ENV_NAME = lazy(r"[A-Za-z_][A-Za-z0-9_]*")


def text(value: object) -> str:
    """
    A non-empty string, stripped.
    """
    if not isinstance(value, str) or not value.strip():
        raise Invalid("must be a non-empty string", value)
    return value.strip()


def argv(value: object) -> tuple[str, ...]:
    """
    A command as a list of arguments (never a shell line: nothing splits it).
    """
    if isinstance(value, str):
        raise Invalid(
            'must be a list of arguments (e.g. ["codex", "exec", "{prompt_file}"]), not one string'
        )
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(a, str) and a for a in value)
        # A blank program (" ") names nothing to start; a blank argument after it may be meant.
        or not value[0].strip()
    ):
        raise Invalid("must be a non-empty list of non-empty strings", value)
    return tuple(value)


def env_name(value: object) -> str:
    """
    The NAME of an environment variable (the variable itself is read where it is used). The
    value is never quoted back: a secret pasted here by mistake must not reach a log. An empty
    one names no variable (said so, not taken for a secret).
    """
    if isinstance(value, str) and not value.strip():
        raise Invalid("must be the NAME of an environment variable (letters, digits, _), not empty")
    if not isinstance(value, str) or not ENV_NAME.fullmatch(value):
        raise Invalid(
            "must be the NAME of an environment variable (letters, digits, _), not the secret "
            "itself"
        )
    return value
