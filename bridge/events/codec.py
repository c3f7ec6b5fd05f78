"""
The event codec: events ⇄ canonical JSON, through one private cattrs converter.

Canonical JSON is UTF-8, keys sorted, no insignificant whitespace, and never NaN or Infinity
(events refuse non-finite floats at construction, and the encoder refuses them again). The same
event always encodes to the same bytes, which is what makes the hash chain and byte-identical
projections possible.

Old schema versions are upcast when read: register a function with :func:`upcaster` that turns
the data of ``(type, version)`` into the data of ``version + 1``. An unknown type is an error,
never silently dropped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import cattrs
import orjson
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from bridge.errors import IntegrityError, SecretError
from bridge.events.types import EVENT_TYPES, Event

__all__ = [
    "check_no_secrets",
    "decode",
    "dumps",
    "dumps_checked",
    "encode",
    "event_data",
    "loads",
    "type_of",
    "upcaster",
]

_converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=False)
_converter.register_unstructure_hook(datetime, lambda value: value.isoformat())
_converter.register_structure_hook(datetime, lambda value, _: datetime.fromisoformat(value))

for _version, _cls in EVENT_TYPES.values():
    # Generated functions are several times faster than the generic path; the fold reads
    # millions of events, so this matters (bench/event_store.py).
    _converter.register_unstructure_hook(_cls, make_dict_unstructure_fn(_cls, _converter))
    _converter.register_structure_hook(
        _cls, make_dict_structure_fn(_cls, _converter, _cattrs_forbid_extra_keys=True)
    )

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
_upcasters: dict[tuple[str, int], Upcaster] = {}


def upcaster(tag: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """
    Register a function turning ``tag``'s data at ``from_version`` into ``from_version + 1``.

    Returns:
        The decorator; the function is returned unchanged.
    """

    def register(fn: Upcaster) -> Upcaster:
        _upcasters[(tag, from_version)] = fn
        return fn

    return register


def dumps(value: Any) -> str:
    """
    Encode plain data as canonical JSON.

    Raises:
        ValueError: for NaN, Infinity, or data JSON cannot hold.
    """
    try:
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError as exc:  # orjson reports unsupported types as TypeError
        raise ValueError(str(exc)) from exc
    return text


def dumps_checked(value: Any) -> str:
    """
    Like :func:`dumps`, for data that was not built from events (whose floats are validated):
    walks the data and refuses NaN and Infinity, which orjson would silently write as null.

    Raises:
        ValueError: for NaN, Infinity, or data JSON cannot hold.
    """
    _reject_non_finite(value)
    return dumps(value)


def _reject_non_finite(value: Any) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("canonical JSON refuses NaN and Infinity")
    if isinstance(value, Mapping):
        for item in value.values():
            _reject_non_finite(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _reject_non_finite(item)


loads = orjson.loads


def type_of(evt: Event) -> str:
    """
    Return the registered type tag of ``evt``.

    Raises:
        TypeError: when ``evt`` is not a registered event.
    """
    tag = getattr(type(evt), "TYPE", None)
    if tag is None or tag not in EVENT_TYPES:
        raise TypeError(f"{type(evt).__name__} is not a registered event type")
    return str(tag)


def event_data(evt: Event) -> dict[str, Any]:
    """
    Return the event's fields as plain JSON-ready data.
    """
    data: dict[str, Any] = _converter.unstructure(evt)
    return data


# A field whose name says it holds a secret, and whose value is a non-empty string. Names that
# hold the *name* of a secret (api_key_env, token_name) or a path to one (key_file) are fine.
_SUSPICIOUS = ("key", "secret", "token", "passw", "pwd", "credential")
_STRING_FIELD = re.compile(r'"([^"\\]{1,200})":"(?!")')
_SECRET_NAME = re.compile(
    r"(?:^|[_\-. ])(?:api[_\-]?key|apikey|secret|token|password|passwd|pwd|credentials?)"
    r"(?:$|[_\-. ])|(?:^|[_\-.])key$",
    re.IGNORECASE,
)
_SAFE_SUFFIX = re.compile(r"(?:_env|_name|_file|_path|_id|_var)$", re.IGNORECASE)
# Values that look like well-known credential formats, wherever they appear.
_SECRET_VALUE = re.compile(
    r"(?:sk-[A-Za-z0-9_\-]{20,}|ghp_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}"
    r"|AKIA[0-9A-Z]{16}|xox[bpas]-[A-Za-z0-9\-]{10,}|hf_[A-Za-z0-9]{30,})"
)


def check_no_secrets(tag: str, text: str) -> None:
    """
    Refuse event JSON that carries a secret value.

    Raises:
        SecretError: naming the event type and the field (never the value).
    """
    if _SECRET_VALUE.search(text):
        raise SecretError(
            f"refusing to record {tag}: a value looks like an API key or token; secrets never "
            "enter the log — pass them through environment variables named in bridge.toml"
        )
    lowered = text.lower()
    if not any(word in lowered for word in _SUSPICIOUS):  # the common case: append's hot path
        return
    for match in _STRING_FIELD.finditer(text):
        name = match.group(1)
        if _SECRET_NAME.search(name) is None or _SAFE_SUFFIX.search(name):
            continue
        raise SecretError(
            f"refusing to record {tag}: field {name!r} holds a secret value; configure the "
            "*name* of an environment variable that holds it instead (e.g. api_key_env)"
        )


def encode(evt: Event) -> tuple[str, int, str]:
    """
    Encode an event as ``(type tag, schema version, canonical JSON data)``.

    Raises:
        TypeError: not a registered event.
        SecretError: the event carries a secret.
        ValueError: a non-finite float.
    """
    tag = type_of(evt)
    text = dumps(event_data(evt))
    check_no_secrets(tag, text)
    return tag, EVENT_TYPES[tag][0], text


def decode(tag: str, version: int, data: str | bytes | dict[str, Any]) -> Event:
    """
    Decode stored event data, upcasting old schema versions.

    Raises:
        IntegrityError: an unknown type, a version from the future, a missing upcaster, or data
            that does not fit the event's fields.
    """
    entry = EVENT_TYPES.get(tag)
    if entry is None:
        raise IntegrityError(f"unknown event type {tag!r} in the log")
    current, cls = entry
    raw: dict[str, Any] = loads(data) if isinstance(data, str | bytes) else data
    if version != current:
        raw = _upcast(tag, version, current, raw)
    try:
        return _converter.structure(raw, cls)
    except Exception as exc:  # cattrs raises several types; all mean "data does not fit"
        raise IntegrityError(f"event {tag} v{version} does not decode: {exc}") from exc


def _upcast(tag: str, version: int, current: int, raw: dict[str, Any]) -> dict[str, Any]:
    if version > current:
        raise IntegrityError(
            f"event {tag} has schema version {version}, newer than this bridge knows "
            f"({current}); upgrade bridge"
        )
    while version < current:
        step = _upcasters.get((tag, version))
        if step is None:
            raise IntegrityError(f"no upcaster for {tag} from schema version {version}")
        raw = step(raw)
        version += 1
    return raw
