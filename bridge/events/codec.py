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

import enum
import functools
import math
import re
import sys
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any  # Any: JSON data and the generated codecs

import attrs
import orjson

from bridge.errors import IntegrityError, SecretError
from bridge.events.secrets import (
    SECRET_VALUE,
    VALUE_PREFIXES,
    has_value_prefix,
    redact_known,
    substring_test,
)
from bridge.events.types import EVENT_TYPES, Event
from bridge.plan.finite import finite

__all__ = [
    "Structurer",
    "check_no_secrets",
    "decode",
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
# not go through the converter's generic dispatch (bench/event_store.py measured it at most of a
# read's cost). For every attrs class reachable from an event, a small function is generated
# once from its fields: to structure, only fields that need work (tuples, nested classes, enums,
# times) are touched and the class's own ``__init__`` does the rest (missing or unknown fields
# raise there, validators run there); to unstructure, orjson writes tuples, dicts, enums and
# numbers itself and calls back only for nested attrs objects. A test proves the bytes equal
# the converter's.

_Fn = Callable[[Any], Any]
#: A generated decoder: JSON data in, a value of its type out (see :func:`structurer`).
Structurer = _Fn
_structurers: dict[type, _Fn] = {}
_unstructurers: dict[type, _Fn] = {}


def _field_structurer(tp: object, generated: bool = True) -> _Fn | None:
    """
    Return the function turning JSON data into a value of type ``tp``, refusing (TypeError)
    JSON of another kind: a str field takes a JSON string, an int field a JSON integer (not
    ``true``: JSON's booleans are Python ints, and the encoder never writes one into an int
    field), a bool field ``true`` or ``false``, a float field any JSON number. None when there
    is nothing to do (a mapping of any JSON). ``generated``: attrs classes through generated
    code (:func:`_class_structurer`), else through closures (:func:`_plain_class_structurer`).
    """
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        members = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        if len(members) != 1:
            raise TypeError(f"codec cannot structure {tp!r}")
        inner = _field_structurer(members[0], generated)
        if inner is None:
            return None

        def optional(value: Any, inner: _Fn = inner) -> Any:
            return None if value is None else inner(value)

        return optional
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"codec cannot structure {tp!r}")
        if args[0] is str:
            return _tuple_of_strings
        item = _field_structurer(args[0], generated)
        if item is None:
            return _tuple_of_json

        def tuple_of(value: Any, item: _Fn = item) -> tuple[Any, ...]:
            if type(value) is not list:
                raise TypeError(f"expected a JSON array, got {type(value).__name__}")
            return tuple(map(item, value))

        return tuple_of
    if origin is not None and issubclass(origin, Mapping):
        value_type = typing.get_args(tp)[1] if typing.get_args(tp) else Any
        if value_type is str:
            return _dict_of_strings
        values = None if value_type is Any else _field_structurer(value_type, generated)
        if values is None:
            return _dict_of_json

        def dict_of(value: Any, values: _Fn = values) -> dict[str, Any]:
            return {key: values(item) for key, item in _dict_of_json(value).items()}

        return dict_of
    if tp is datetime:
        return _parse_time
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if isinstance(tp, type) and attrs.has(tp):
        return _class_structurer(tp) if generated else _plain_class_structurer(tp)
    if tp is float:
        return _float
    if tp is int:
        return _int
    if tp is str:
        return _str
    if tp is bool:
        return _bool
    raise TypeError(f"codec cannot structure {tp!r}")


def _checked_list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise TypeError(f"expected a JSON array, got {type(value).__name__}")
    return value


def _tuple_of_json(value: Any) -> tuple[Any, ...]:
    return tuple(_checked_list(value))


def _tuple_of_strings(value: Any) -> tuple[str, ...]:
    # Interned, as str fields are (_class_structurer): commands, argv and metric lists repeat
    # the same words in every run of a long log, and the folded state keeps every run's.
    return tuple(map(sys.intern, _checked_list(value)))


def _dict_of_strings(value: Any) -> dict[str, str]:
    # Interned values, as in _tuple_of_strings (orjson already shares equal keys).
    checked = _dict_of_json(value)
    return dict(zip(checked, map(sys.intern, checked.values()), strict=True))


def _dict_of_json(value: Any) -> dict[str, Any]:
    if type(value) is not dict:
        raise TypeError(f"expected a JSON object, got {type(value).__name__}")
    return value


def _float(value: Any) -> float:
    # JSON has one number type; canonical JSON writes 1.0 as 1.0, but hand-written data may not.
    if type(value) is float:
        return value
    if type(value) is int:
        return float(value)
    raise TypeError(f"expected a number, got {type(value).__name__}")


def _int(value: Any) -> int:
    # type(), not isinstance(): a bool is an int to Python, and `true` is not a count.
    if type(value) is int:
        return value
    raise TypeError(f"expected a whole number, got {type(value).__name__}")


def _str(value: Any) -> str:
    # Only where no code is generated: generated code interns str fields, which checks them.
    if type(value) is str:
        return value
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _bool(value: Any) -> bool:
    if type(value) is bool:
        return value
    raise TypeError(f"expected true or false, got {type(value).__name__}")


# Scalar fields checked inline by generated code: (the type's name, its check). A str field is
# interned there, which checks it; an optional one is only checked.
_INLINE_CHECKS: dict[object, tuple[str, str]] = {int: ("int", "_int"), bool: ("bool", "_bool")}
_INLINE_OPTIONAL_CHECKS = {**_INLINE_CHECKS, str: ("str", "_str")}


def _optional_of(tp: object) -> object:
    """``X`` for ``X | None``, else None."""
    if typing.get_origin(tp) not in (types.UnionType, typing.Union):
        return None
    members = [arg for arg in typing.get_args(tp) if arg is not type(None)]
    return members[0] if len(members) == 1 else None


_time_cache: dict[str, datetime] = {}


def _parse_time(value: str) -> datetime:
    parsed = _time_cache.get(value)
    if parsed is None:
        if len(_time_cache) > 4096:  # bounded: times repeat within a batch, not across a log
            _time_cache.clear()
        parsed = _time_cache[value] = datetime.fromisoformat(value)
    return parsed


@functools.cache
def field_types(cls: type) -> dict[str, Any]:
    """
    The resolved type of each attrs field of ``cls`` (name → type), as
    :func:`typing.get_type_hints` gives it; read by the class's structurer, its unstructurer, the
    secret-key check and the snapshots, once per class.

    ``get_type_hints`` compiles each annotation string apart (about 300 compiles for the classes
    a snapshot holds, a few per cent of ``bridge status``); this evaluates all of a class's
    annotations as one tuple, in the namespaces ``get_type_hints`` uses (the module's names
    first, then the class's). Where that cannot give its answer (a field inherited from another
    class, or a type holding a name as a string or ``None``, which it resolves further),
    ``get_type_hints`` is asked. tests/events/test_codec.py checks both agree for every class.
    """
    fields = attrs.fields(cls)
    if fields and not any(f.inherited for f in fields) and all(type(f.type) is str for f in fields):
        source = "(" + "".join(f"{f.type}," for f in fields) + ")"
        module = sys.modules[cls.__module__]
        try:
            values = eval(source, dict(vars(cls)), vars(module))  # noqa: S307 - our annotations
        except NameError:
            values = None  # a name only get_type_hints finds: it resolves or raises below
        if values is not None and all(_resolved(v) for v in values):
            return {f.name: v for f, v in zip(fields, values, strict=True)}
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in fields}


def _resolved(tp: object) -> bool:
    if tp is None or isinstance(tp, str | typing.ForwardRef):
        return False
    return all(_resolved(arg) for arg in typing.get_args(tp))


def _class_structurer(cls: type) -> _Fn:
    known = _structurers.get(cls)
    if known is not None:
        return known
    hints = field_types(cls)
    fields = attrs.fields(cls)
    work = {f.name: conv for f in fields
            if (conv := _field_structurer(hints[f.name])) is not None}  # fmt: skip
    slow = _general_structurer(cls, tuple(work.items()))
    # The fast path, for data holding exactly the class's fields (what encode writes): read every
    # field, convert it, then do what attrs' own __init__ does (converters, slots, validators,
    # __attrs_post_init__) without its keyword argument handling, which costs more than the rest
    # of a decode. Anything else (a missing or unknown key, upcast data relying on defaults)
    # takes the general path and its errors. Floats, the commonest field, are converted and
    # checked inline, and ints, bools and optional strings checked inline: a call per field is
    # most of what a nested value costs.
    namespace: dict[str, Any] = {
        "_new": object.__new__, "_cls": cls, "_slow": slow, "_float": _float,
        "_isfinite": math.isfinite, "_intern": sys.intern,
        "_int": _int, "_bool": _bool, "_str": _str,
    }  # fmt: skip
    reads = [f"        v{i} = data[{f.name!r}]" for i, f in enumerate(fields)]
    lines = [
        "def structure(data):",
        f"    if type(data) is not dict or len(data) != {len(fields)}:",
        "        return _slow(data)",
        "    try:",
        *reads,
        "    except KeyError:",
        "        return _slow(data)",
    ]
    checks: list[str] = []
    for i, field in enumerate(fields):
        hint = hints[field.name]
        if hint is str:
            lines.append(f"    v{i} = _intern(v{i})")
        elif hint is float:
            lines.append(f"    if type(v{i}) is not float: v{i} = _float(v{i})")
        elif hint == float | None:
            lines.append(
                f"    if v{i} is not None and type(v{i}) is not float: v{i} = _float(v{i})"
            )
        elif hint in _INLINE_CHECKS:  # the check only raises: the test before it is the check
            name, check = _INLINE_CHECKS[hint]
            lines.append(f"    if type(v{i}) is not {name}: {check}(v{i})")
        elif (scalar := _optional_of(hint)) in _INLINE_OPTIONAL_CHECKS:
            name, check = _INLINE_OPTIONAL_CHECKS[scalar]
            lines.append(f"    if v{i} is not None and type(v{i}) is not {name}: {check}(v{i})")
        elif field.name in work:
            namespace[f"_conv{i}"] = work[field.name]
            lines.append(f"    v{i} = _conv{i}(v{i})")
        if field.converter is not None:
            namespace[f"_cvt{i}"] = field.converter
            lines.append(f"    v{i} = _cvt{i}(v{i})")
        if field.validator is not None:
            namespace[f"_check{i}"] = field.validator
            namespace[f"_field{i}"] = field
            call = f"_check{i}(obj, _field{i}, v{i})"
            if field.validator is finite and hint in (float, float | None):
                # The same test as the validator's, which is only called to raise.
                test = f"v{i} is not None and not _isfinite(v{i})"
                checks.append(f"    if {test}: {call}")
            else:
                checks.append(f"    {call}")
    lines.append("    obj = _new(_cls)")
    for i, field in enumerate(fields):
        namespace[f"_set{i}"] = _slot_setter(cls, field.name)
        lines.append(f"    _set{i}(obj, v{i})")
    lines += checks
    if getattr(cls, "__attrs_post_init__", None) is not None:
        lines.append("    obj.__attrs_post_init__()")
    lines.append("    return obj")
    exec("\n".join(lines) + "\n", namespace)  # noqa: S102
    fn: _Fn = namespace["structure"]
    _structurers[cls] = fn
    return fn


_plain_structurers: dict[type, _Fn] = {}


def _plain_class_structurer(cls: type) -> _Fn:
    # The general path of _class_structurer alone: no code generated, so nothing compiled.
    known = _plain_structurers.get(cls)
    if known is None:
        hints = field_types(cls)
        work = tuple(
            (f.name, conv)
            for f in attrs.fields(cls)
            if (conv := _field_structurer(hints[f.name], generated=False)) is not None
        )
        known = _plain_structurers[cls] = _general_structurer(cls, work)
    return known


def _slot_setter(cls: type, name: str) -> Callable[[object, object], None]:
    descriptor = None
    for klass in cls.__mro__:
        descriptor = vars(klass).get(name)
        if descriptor is not None:
            break
    setter: Callable[[object, object], None] | None = getattr(descriptor, "__set__", None)
    if setter is None:
        raise TypeError(f"{cls.__name__}.{name} is not a slot")
    return setter


def _general_structurer(cls: type, work: tuple[tuple[str, _Fn], ...]) -> _Fn:
    def structure(data: Any) -> Any:
        if type(data) is not dict:
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        kwargs = data.copy()  # the caller's data is never changed
        for name, conv in work:
            if name in kwargs:
                kwargs[name] = conv(kwargs[name])
        return cls(**kwargs)  # unknown or missing fields raise here

    return structure


def _class_unstructurer(cls: type) -> _Fn:
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
        _class_unstructurer(tp)
    for arg in typing.get_args(tp):
        _register_nested(arg)


def structurer(tp: object, *, generated: bool = True) -> _Fn:
    """
    The function turning JSON data back into a value of type ``tp`` (an attrs class, a tuple,
    mapping or optional of them, an enum, a time, a number), generated as the events' decoders
    are: the fold's snapshots (:mod:`bridge.machine.snapshot`) decode through it.

    With ``generated=False`` each attrs class is structured by a closure (its keyword arguments
    converted, then its ``__init__``: the general path the generated code itself takes for data
    it does not expect) instead of generated code: the same values for what the codec wrote,
    strings not interned, about a third slower per value, but nothing compiled (generating the
    code for the ~35 classes a snapshot holds costs as much as decoding 1 MB of it).

    Raises:
        TypeError: ``tp`` is not a type the codec can structure.
    """
    fn = _field_structurer(tp, generated)
    return fn if fn is not None else _same


def _same(value: Any) -> Any:
    return value


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
        raise ValueError(str(exc)) from exc


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _default(obj: object) -> object:
    # orjson calls this for what it cannot write itself: nested attrs objects and non-dict
    # mappings (attrs fields typed Mapping may hold any mapping).
    fn = _unstructurers.get(type(obj))
    if fn is not None:
        return fn(obj)
    if isinstance(obj, Mapping):
        return dict(obj)
    raise TypeError(f"Type is not JSON serializable: {type(obj).__name__}")


def _keys_may_be_secret(tp: object, seen: set[object] | None = None) -> bool:
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
            _has_suspicious_word(f.name.lower()) or _keys_may_be_secret(hints[f.name], seen)
            for f in attrs.fields(tp)
        )
    return any(_keys_may_be_secret(arg, seen) for arg in typing.get_args(tp))


# Per event class and per tag, filled on first use of each (a process reading a small log
# meets a few dozen types; generating all of them up front would cost more than the read).
_EVENT_CODECS: dict[type, tuple[str, int, _Fn, bool]] = {}
_STRUCTURE: dict[str, tuple[int, _Fn]] = {}


def _encoder_for(cls: type) -> tuple[str, int, _Fn, bool]:
    tag = getattr(cls, "TYPE", None)
    registered = EVENT_TYPES.get(tag) if isinstance(tag, str) else None
    if not isinstance(tag, str) or registered is None or registered[1] is not cls:
        raise TypeError(f"{cls.__name__} is not a registered event type")
    entry = _EVENT_CODECS[cls] = (
        tag,
        registered[0],
        _class_unstructurer(cls),
        _keys_may_be_secret(cls),
    )
    return entry


def _decoder_for(tag: str) -> tuple[int, _Fn]:
    registered = EVENT_TYPES.get(tag)
    if registered is None:
        raise IntegrityError(f"unknown event type {tag!r} in the log")
    entry = _STRUCTURE[tag] = (registered[0], _class_structurer(registered[1]))
    return entry


_SORTED = orjson.OPT_SORT_KEYS


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


def dumps(value: object) -> str:
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
_SECRET_VALUE = SECRET_VALUE
_VALUE_PREFIXES = VALUE_PREFIXES
_has_value_prefix = has_value_prefix
_has_suspicious_word = substring_test(_SUSPICIOUS)


def names_may_be_secret(tag: str) -> bool:
    """
    Whether the JSON of event type ``tag`` can hold a secret-named key at all (most cannot, and
    skip that scan).
    """
    return _keys_may_be_secret(EVENT_TYPES[tag][1])


def check_no_secrets(tag: str, text: str, *, names_may_be_secret: bool = True) -> None:
    """
    Refuse event JSON that carries a secret value.

    Args:
        tag: the event type, for the message.
        text: the event's canonical JSON.
        names_may_be_secret: False when no key of ``text`` can name a secret (see
            :func:`_keys_may_be_secret`); skips the scan for secret-named fields.

    Raises:
        SecretError: naming the event type and the field (never the value).
    """
    # The common case, on append's hot path: plain substring tests (C speed) rule out every
    # credential prefix of _SECRET_VALUE and every word of _SUSPICIOUS before any regex runs.
    if _has_value_prefix(text) and _SECRET_VALUE.search(text):
        raise SecretError(
            f"refusing to record {tag}: a value looks like an API key or token; secrets never "
            "enter the log — pass them through environment variables named in bridge.toml"
        )
    if not names_may_be_secret or not _has_suspicious_word(text.lower()):
        return
    for match in _STRING_FIELD.finditer(text):
        name = match.group(1)
        if _SECRET_NAME.search(name) is None or _SAFE_SUFFIX.search(name):
            continue
        raise SecretError(
            f"refusing to record {tag}: field {name!r} holds a secret value; configure the "
            "*name* of an environment variable that holds it instead (e.g. api_key_env)"
        )


# A JSON-escaped NUL (\u0000) not itself preceded by an escaped backslash.
_JSON_NUL = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")


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
    try:
        text = orjson.dumps(unstructure(evt), default=_default, option=_SORTED).decode()
    except TypeError as exc:  # orjson reports unsupported types as TypeError
        raise ValueError(str(exc)) from exc
    # A value read from a *_env variable is replaced wherever it sits (any field, any shape):
    # once in the hash-chained log it could never be removed.
    text = redact_known(text)
    if "\\u0000" in text:  # a NUL, as JSON escapes it: nothing bridge writes may carry one
        text = _JSON_NUL.sub(r"\1\\ufffd", text)
    check_no_secrets(tag, text, names_may_be_secret=names_may_be)
    return tag, version, text


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
