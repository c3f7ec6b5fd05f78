"""
Values ⇄ JSON, the writing half: the events' generated unstructurers, canonical JSON, and the
checks every event's JSON passes before it is appended (registered secrets redacted, NULs
replaced, secret values refused).

The public names are re-exported by :mod:`bridge.events.codec`, which callers import.
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any  # Any: the generated unstructurers

import attrs
import orjson

from bridge.errors import SecretError
from bridge.events.secrets import SECRET_VALUE, has_value_prefix, redact_known, substring_test
from bridge.events.structuring import field_types
from bridge.lazy_patterns import lazy
from bridge.plan.handed_over import PASS_THROUGH

__all__ = [
    "check_no_secrets",
    "class_unstructurer",
    "dumps",
    "dumps_checked",
    "dumps_values",
    "event_json",
    "keys_may_be_secret",
    "names_a_secret",
]

_Fn = Callable[[Any], Any]
_unstructurers: dict[type, _Fn] = {}


def class_unstructurer(cls: type) -> _Fn:
    known = _unstructurers.get(cls)
    if known is not None:
        return known
    hints = field_types(cls)
    names = [f.name for f in attrs.fields(cls)]
    times = {name for name in names if datetime in (hints[name], *typing.get_args(hints[name]))}
    for name in names:
        _register_nested(hints[name])
    # Built as source so each class gets one flat dict display: the fastest CPython has.
    body = ", ".join(
        f"{name!r}: _iso(obj.{name})" if name in times else f"{name!r}: obj.{name}"
        for name in names
    )
    namespace: dict[str, Any] = {"_iso": _iso}
    exec(f"def unstructure(obj):\n    return {{{body}}}\n", namespace)  # noqa: S102
    fn: _Fn = namespace["unstructure"]
    _unstructurers[cls] = fn
    return fn


def _register_nested(tp: object) -> None:
    if isinstance(tp, type) and attrs.has(tp):
        class_unstructurer(tp)
    for arg in typing.get_args(tp):
        _register_nested(arg)


def dumps_values(value: object, *, classes: tuple[object, ...]) -> bytes:
    """
    JSON bytes of plain data that holds attrs objects of ``classes`` (or classes reachable from
    their fields), each written as the events' encoders write it. Keys keep their insertion
    order: this is not canonical JSON, and is never hashed as text (the fold's snapshots).

    Raises:
        ValueError: data JSON cannot hold.
    """
    for cls in classes:
        _register_nested(cls)
    try:
        return orjson.dumps(value, default=_default)
    except TypeError as exc:  # orjson reports unsupported types as TypeError
        raise _not_json(exc) from exc


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _not_json(exc: TypeError) -> ValueError:
    """
    The ValueError for orjson's TypeError (data JSON cannot hold); a stop signal raised while
    orjson was in :func:`_default` (KeyboardInterrupt, SystemExit), which orjson wraps in that
    TypeError, is raised as itself: a SIGTERM during an append printed a traceback about a
    ``Slot`` instead of stopping (tests/cli/test_signals.py, once in a few hundred runs).
    """
    cause = exc.__cause__
    if isinstance(cause, BaseException) and not isinstance(cause, Exception):
        raise cause from None
    return ValueError(str(exc))


def _default(obj: object) -> object:
    # orjson calls this for what it cannot write itself: nested attrs objects and non-dict
    # mappings (attrs fields typed Mapping may hold any mapping).
    fn = _unstructurers.get(type(obj))
    if fn is not None:
        return fn(obj)
    if isinstance(obj, Mapping):
        return dict(obj)
    raise TypeError(f"Type is not JSON serializable: {type(obj).__name__}")


def keys_may_be_secret(tp: object, seen: set[object] | None = None) -> bool:
    """
    Whether JSON written for ``tp`` can hold a key naming a secret: a key is either a field name
    of an attrs class (fixed, so checked here once) or a key of a mapping (any, so: yes).
    """
    seen = set() if seen is None else seen
    if tp in seen:
        return False
    seen.add(tp)
    origin = typing.get_origin(tp)
    if origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
        return True
    if isinstance(tp, type) and attrs.has(tp):
        hints = field_types(tp)
        return any(
            _has_suspicious_word(f.name.lower()) or keys_may_be_secret(hints[f.name], seen)
            for f in attrs.fields(tp)
        )
    return any(keys_may_be_secret(arg, seen) for arg in typing.get_args(tp))


def dumps(value: object) -> str:
    """
    Encode plain data as canonical JSON.

    Raises:
        ValueError: for NaN, Infinity, or data JSON cannot hold.
    """
    try:
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError as exc:  # orjson reports unsupported types as TypeError
        raise _not_json(exc) from exc
    return text


def dumps_checked(value: object) -> str:
    """
    Like :func:`dumps`, for data that was not built from events (whose floats are validated):
    walks the data and refuses NaN and Infinity, which orjson would silently write as null.

    Raises:
        ValueError: for NaN, Infinity, or data JSON cannot hold.
    """
    _reject_non_finite(value)
    return dumps(value)


def _reject_non_finite(value: object) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("canonical JSON refuses NaN and Infinity")
    if isinstance(value, Mapping):
        for item in value.values():
            _reject_non_finite(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _reject_non_finite(item)


# A field whose name says it holds a secret, and whose value is a non-empty string. Names that
# hold the *name* of a secret (api_key_env, token_name) or a path to one (key_file) are fine.
_SUSPICIOUS = ("key", "secret", "token", "passw", "pwd", "credential")
_STRING_FIELD = lazy(r'"([^"\\]{1,200})":"((?:[^"\\]|\\.)*)"')
# A "..._key" counts when a word before it makes it a credential (WANDB_KEY, SSH_KEY, a bare
# "key"): EXPERIMENT_KEY, metric_key or sort_key name no secret. A value shaped like a known
# credential is refused whatever its name (SECRET_VALUE).
_SECRET_NAME = lazy(
    r"(?:^|[_\-. ])(?:api[_\-]?key|apikey|secret|token|password|passwd|pwd|credentials?)"
    r"(?:$|[_\-. ])|^key$|(?:^|[_\-.])(?:api|private|access|secret|ssh|auth|signing|"
    r"encryption|client|master|license|wandb|hf|huggingface|openai|anthropic|aws|gcp|google|"
    r"azure|stripe|github|gh|gitlab|comet|neptune|vast|modal|slack|discord|db|database|"
    r"service)[_\-.]?key$",
    re.IGNORECASE,
)
_SAFE_SUFFIX = lazy(r"(?:_env|_name|_file|_path|_id|_var|_dir|_limit)$", re.IGNORECASE)

# The shell's own folder variables: "pwd" in them is "print working directory".
_SHELL_FOLDERS = frozenset({"PWD", "OLDPWD"})


def names_a_secret(name: str) -> bool:
    """
    Whether a setting or variable called ``name`` holds a credential by its name
    (``HF_TOKEN``, ``WANDB_API_KEY``, ``db_password``, ``SSH_KEY``), as opposed to the name of
    one (``api_key_env``), a path to one (``key_file``, ``HF_TOKEN_DIR``) or a key that is not a
    credential (``metric_key``, ``EXPERIMENT_KEY``).
    """
    return (
        _SECRET_NAME.search(name) is not None
        and _SAFE_SUFFIX.search(name) is None
        and name.upper() not in _SHELL_FOLDERS
    )


_has_suspicious_word = substring_test(_SUSPICIOUS)


def check_no_secrets(tag: str, text: str, *, names_may_be_secret: bool = True) -> None:
    """
    Refuse event JSON that carries a secret value.

    Args:
        tag: the event type, for the message.
        text: the event's canonical JSON.
        names_may_be_secret: False when no key of ``text`` can name a secret (see
            :func:`keys_may_be_secret`); skips the scan for secret-named fields.

    Raises:
        SecretError: naming the event type and the field (never the value).
    """
    # The common case, on append's hot path: plain substring tests (C speed) rule out every
    # credential prefix of SECRET_VALUE and every word of _SUSPICIOUS before any regex runs.
    if has_value_prefix(text) and SECRET_VALUE.search(text):
        raise SecretError(
            f"refusing to record {tag}: a value looks like an API key or token; secrets never "
            "enter the log — pass them through environment variables named in bridge.toml"
        )
    if not names_may_be_secret or not _has_suspicious_word(text.lower()):
        return
    for match in _STRING_FIELD.finditer(text):
        name, value = match.group(1), match.group(2)
        # A value that hands over one of bridge's variables (``${HF_TOKEN}``) names a secret,
        # it does not hold one: a run's env may write it under any name.
        if value == "" or PASS_THROUGH.fullmatch(value):
            continue
        if not names_a_secret(name):
            continue
        raise SecretError(
            f"refusing to record {tag}: field {name!r} holds a secret value; configure the "
            "*name* of an environment variable that holds it instead (e.g. api_key_env)"
        )


# A JSON-escaped NUL (\u0000) not itself preceded by an escaped backslash.
_JSON_NUL = lazy(r"(?<!\\)((?:\\\\)*)\\u0000")


def event_json(tag: str, data: dict[str, Any], *, names_may_be_secret: bool) -> str:
    """
    The canonical JSON of an event's unstructured ``data``, as the log stores it: registered
    secret values (:func:`bridge.events.secrets.register_secret_values`) replaced by
    ``[redacted]`` and NUL characters by U+FFFD.

    Args:
        tag: the event type, for messages.
        data: the event's fields, as its :func:`class_unstructurer` gives them.
        names_may_be_secret: as for :func:`check_no_secrets`.

    Raises:
        SecretError: the JSON carries a secret.
        ValueError: a non-finite float, or data JSON cannot hold.
    """
    try:
        text = orjson.dumps(data, default=_default, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError as exc:  # orjson reports unsupported types as TypeError
        raise _not_json(exc) from exc
    # A value read from a *_env variable is replaced wherever it sits (any field, any shape):
    # once in the hash-chained log it could never be removed.
    text = redact_known(text)
    if "\\u0000" in text:  # a NUL, as JSON escapes it: nothing bridge writes may carry one
        text = _JSON_NUL.sub(r"\1\\ufffd", text)
    check_no_secrets(tag, text, names_may_be_secret=names_may_be_secret)
    return text
