"""
The event codec: events ⇄ canonical JSON, through one private cattrs converter.

Canonical JSON is UTF-8, keys sorted, no insignificant whitespace, and never NaN or Infinity
(events refuse non-finite floats at construction, and the encoder refuses them again). The same
event always encodes to the same bytes, which is what makes the hash chain and byte-identical
projections possible.

Old schema versions are upcast when read: register a function with :func:`upcaster` that turns
the data of ``(type, version)`` into the data of ``version + 1``. An unknown type is an error,
never silently dropped.

Reading is :mod:`bridge.events.structuring` (the generated decoders) and writing
:mod:`bridge.events.encoding` (the generated encoders, canonical JSON, the secret checks); their
public names are imported from here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any  # Any: JSON data and the generated codecs

import orjson

from bridge.errors import IntegrityError
from bridge.events.encoding import (
    check_no_secrets,
    class_unstructurer,
    dumps,
    dumps_checked,
    dumps_values,
    event_json,
    keys_may_be_secret,
)
from bridge.events.structuring import (
    KindMisfit,
    Structurer,
    class_structurer,
    field_types,
    lax_class_structurer,
    misfits,
    structurer,
)
from bridge.events.types import EVENT_TYPES, Event

__all__ = [
    "KindMisfit",
    "Structurer",
    "check_no_secrets",
    "decode",
    "decode_as_stored",
    "dumps",
    "dumps_checked",
    "dumps_values",
    "encode",
    "event_data",
    "field_types",
    "loads",
    "names_may_be_secret",
    "structurer",
    "type_of",
    "upcaster",
]

if TYPE_CHECKING:
    import cattrs


@functools.cache
def _converter() -> cattrs.Converter:
    """
    The cattrs converter behind :func:`event_data` (and the oracle the fast paths are tested
    against). Built on first use: generating its hooks for every event costs more than reading a
    small log, and ``bridge status`` never needs it.
    """
    import cattrs
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=False)
    converter.register_unstructure_hook(datetime, lambda value: value.isoformat())
    converter.register_structure_hook(datetime, lambda value, _: datetime.fromisoformat(value))
    for _version, cls in EVENT_TYPES.values():
        # Generated functions are several times faster than the generic path.
        converter.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, converter))
        converter.register_structure_hook(
            cls, make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)
        )
    return converter


# -- the hot paths: encode and decode ---------------------------------------------------------
#
# The fold reads millions of events and the pipeline appends thousands, so encode and decode do
# not go through the converter's generic dispatch: each event class gets generated functions
# (bridge.events.structuring to read, bridge.events.encoding to write), which tests prove give
# exactly the converter's bytes and values.

# Per event class and per tag, filled on first use of each (a process reading a small log
# meets a few dozen types; generating all of them up front would cost more than the read).
_Fn = Callable[[Any], Any]
_EVENT_CODECS: dict[type, tuple[str, int, _Fn, bool]] = {}
_STRUCTURE: dict[str, tuple[int, Structurer]] = {}


def _encoder_for(cls: type) -> tuple[str, int, _Fn, bool]:
    tag = getattr(cls, "TYPE", None)
    registered = EVENT_TYPES.get(tag) if isinstance(tag, str) else None
    if not isinstance(tag, str) or registered is None or registered[1] is not cls:
        raise TypeError(f"{cls.__name__} is not a registered event type")
    entry = _EVENT_CODECS[cls] = (
        tag,
        registered[0],
        class_unstructurer(cls),
        keys_may_be_secret(cls),
    )
    return entry


def _decoder_for(tag: str) -> tuple[int, Structurer]:
    registered = EVENT_TYPES.get(tag)
    if registered is None:
        raise IntegrityError(f"unknown event type {tag!r} in the log")
    entry = _STRUCTURE[tag] = (registered[0], class_structurer(registered[1]))
    return entry


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
    data: dict[str, Any] = _converter().unstructure(evt)
    return data


def names_may_be_secret(tag: str) -> bool:
    """
    Whether the JSON of event type ``tag`` can hold a secret-named key at all (most cannot, and
    skip that scan).
    """
    return keys_may_be_secret(EVENT_TYPES[tag][1])


def encode(evt: Event) -> tuple[str, int, str]:
    """
    Encode an event as ``(type tag, schema version, canonical JSON data)``.

    Registered secret values (:func:`bridge.events.secrets.register_secret_values`) are replaced
    by ``[redacted]`` and NUL characters by U+FFFD in the data, so the stored event may differ
    from ``evt`` there; decode the data to get what the log holds.

    Raises:
        TypeError: not a registered event.
        SecretError: the event carries a secret.
        ValueError: a non-finite float.
    """
    entry = _EVENT_CODECS.get(type(evt)) or _encoder_for(type(evt))
    tag, version, unstructure, names_may_be = entry
    return tag, version, event_json(tag, unstructure(evt), names_may_be_secret=names_may_be)


def decode(tag: str, version: int, data: str | bytes | dict[str, Any]) -> Event:
    """
    Decode stored event data, upcasting old schema versions.

    Raises:
        IntegrityError: an unknown type, a version from the future, a missing upcaster, or data
            that does not fit the event's fields.
    """
    current, structure = _STRUCTURE.get(tag) or _decoder_for(tag)
    try:
        raw: dict[str, Any] = data if isinstance(data, dict) else loads(data)
        if version != current:
            raw = _upcast(tag, version, current, raw)
        evt: Event = structure(raw)  # the structurer registered for ``tag`` builds its class
        return evt
    except IntegrityError:
        raise
    except Exception as exc:  # TypeError, ValueError, JSONDecodeError: "data does not fit"
        raise IntegrityError(f"event {tag} v{version} does not decode: {exc}") from exc


def decode_as_stored(
    tag: str, version: int, data: str | bytes, refused: IntegrityError
) -> tuple[Event, str]:
    """
    Decode a stored row that :func:`decode` ``refused`` only because an int or bool field holds
    JSON of another kind (``true`` or ``2.0`` where a whole number belongs): bridge took such
    fields as stored before they were checked, so a log it wrote may hold one, and it is read as
    then (those fields as stored, every other field checked). For the stores' reads only; an
    append stays strict. Costs nothing for a good row: called only after ``refused``.

    Returns:
        The event, and a note naming each such field and value, for ``bridge verify``.

    Raises:
        IntegrityError: ``refused`` when it was for something else, or the row's own error when
            it does not decode even so.
    """
    if not isinstance(refused.__cause__, KindMisfit):
        raise refused
    cls = EVENT_TYPES[tag][1]  # decode found the tag registered
    try:
        raw: dict[str, Any] = loads(data)
        if version != EVENT_TYPES[tag][0]:
            raw = _upcast(tag, version, EVENT_TYPES[tag][0], raw)
        evt: Event = lax_class_structurer(cls)(raw)
    except IntegrityError:
        raise
    except Exception as exc:  # as decode: whatever else does not fit
        raise IntegrityError(f"event {tag} v{version} does not decode: {exc}") from exc
    found = "; ".join(misfits(cls, raw)) or str(refused.__cause__)
    return evt, f"{tag} holds a value of another kind than its field ({found}); read as stored"


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
