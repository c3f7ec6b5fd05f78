"""
The one rule for ids that name files and directories: run directories, attempt ids, and the
path components every backend builds from them (here and on remote hosts, where they also
travel in shell commands).

A safe id is 1-128 letters, digits, ``.``, ``_`` or ``-``, starting with a letter or digit, so
it is never empty, ``.`` or ``..``, never holds ``/``, NUL, a newline or a shell metacharacter,
and never reads as an option.
"""

from __future__ import annotations

from bridge.lazy_patterns import lazy

__all__ = ["SAFE_ID_MAX", "SAFE_ID_RULE", "is_safe_id", "replace_unsafe"]

#: The rule in words, for messages.
SAFE_ID_RULE = "1-128 letters, digits, '.', '_' or '-', starting with a letter or digit"

#: The longest safe id.
SAFE_ID_MAX = 128

_SAFE_ID = lazy(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{SAFE_ID_MAX - 1}}}")
_UNSAFE_RUN = lazy(r"[^A-Za-z0-9._-]+")


def is_safe_id(value: str) -> bool:
    """
    True when ``value`` follows the rule (the whole of it: a trailing newline does not pass).
    """
    return _SAFE_ID.fullmatch(value) is not None


def replace_unsafe(text: str) -> str:
    """
    Replace each run of characters a safe id cannot hold with one ``_``; the caller trims the
    ends and the length to what it needs (the result alone may still start with ``.``).
    """
    return _UNSAFE_RUN.sub("_", text)
