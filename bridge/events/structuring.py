"""
Values ⇄ JSON, the reading half: the function turning JSON data back into a value of a type
(an event, a class a snapshot holds), generated once per attrs class.

The fold reads millions of events, so decoding does not go through cattrs' generic dispatch
(bench/event_store.py measured it at most of a read's cost). For every attrs class reachable from
an event, a small function is generated once from its fields: only fields that need work (tuples,
nested classes, enums, times, scalar checks) are touched and the class's own ``__init__`` or its
slots do the rest. Each scalar field takes only the JSON kind its type names (a str field a
string, an int field a whole number, a bool field true or false, a float field any number).
tests/events/test_fast_paths.py proves the values equal cattrs' structuring.

The public names are re-exported by :mod:`bridge.events.codec`, which callers import.
"""

from __future__ import annotations

import enum
import functools
import math
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any  # Any: JSON data and the generated structurers

import attrs
import orjson

from bridge.plan.finite import finite

__all__ = [
    "KindMisfit",
    "Structurer",
    "class_structurer",
    "field_types",
    "lax_class_structurer",
    "misfits",
    "structurer",
]

_Fn = Callable[[Any], Any]
#: A generated decoder: JSON data in, a value of its type out (see :func:`structurer`).
Structurer = _Fn
_structurers: dict[type, _Fn] = {}
_lax_structurers: dict[type, _Fn] = {}


class KindMisfit(TypeError):
    """
    An int field holding JSON other than a whole number, or a bool field other than true or
    false: what decoding refuses since int and bool fields are checked, and what a log written
    before then may hold (int and bool fields were taken as stored). Stored rows that fail only
    so are read as stored (:func:`lax_class_structurer`); an append is refused.
    """


def _field_structurer(tp: object, generated: bool = True, lax: bool = False) -> _Fn | None:
    """
    Return the function turning JSON data into a value of type ``tp``, refusing (TypeError)
    JSON of another kind: a str field takes a JSON string, an int field a JSON integer (not
    ``true``: JSON's booleans are Python ints, and the encoder never writes one into an int
    field), a bool field ``true`` or ``false``, a float field any JSON number. None when there
    is nothing to do (a mapping of any JSON, a str with ``generated`` false). ``generated``:
    attrs classes through generated code (:func:`class_structurer`), else through closures
    (:func:`_plain_class_structurer`). ``lax``: int and bool fields, nested ones included, are
    taken as stored (what decoding did before they were checked; see :class:`KindMisfit`).
    """
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        members = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        if len(members) != 1:
            raise TypeError(f"codec cannot structure {tp!r}")
        inner = _field_structurer(members[0], generated, lax)
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
        item = _field_structurer(args[0], generated, lax)
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
        values = None if value_type is Any else _field_structurer(value_type, generated, lax)
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
        if lax:
            return lax_class_structurer(tp) if generated else _plain_class_structurer(tp, lax=True)
        return class_structurer(tp) if generated else _plain_class_structurer(tp)
    if tp is float:
        return _float
    if tp is int:
        return None if lax else _int
    if tp is str:
        # Generated code checks str fields by interning them, and its general path (data it does
        # not expect) with this. The plain path leaves them to the class, as before: it decodes
        # only snapshots the codec wrote, and a call per str field made it ~40% slower.
        return _str if generated else None
    if tp is bool:
        return None if lax else _bool
    raise TypeError(f"codec cannot structure {tp!r}")


def _checked_list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise TypeError(f"expected a JSON array, got {type(value).__name__}")
    return value


def _tuple_of_json(value: Any) -> tuple[Any, ...]:
    return tuple(_checked_list(value))


def _tuple_of_strings(value: Any) -> tuple[str, ...]:
    # Interned, as str fields are (class_structurer): commands, argv and metric lists repeat
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
    raise KindMisfit(f"expected a whole number, got {type(value).__name__}")


def _str(value: Any) -> str:
    # The general path of generated code (data it does not expect) and its check of an optional
    # str field; a required str field is checked by interning it, and the plain path leaves str
    # fields to the class.
    if type(value) is str:
        return value
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _bool(value: Any) -> bool:
    if type(value) is bool:
        return value
    raise KindMisfit(f"expected true or false, got {type(value).__name__}")


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


def class_structurer(cls: type) -> _Fn:
    """
    The function turning JSON data into an instance of the attrs class ``cls``, generated on
    first use and kept. Data holding exactly the class's fields takes the generated code; any
    other data the general path, which raises what the class's ``__init__`` raises.

    Raises:
        TypeError: a field of a type the codec cannot structure.
    """
    known = _structurers.get(cls)
    return known if known is not None else _generate(cls, lax=False)


def lax_class_structurer(cls: type) -> _Fn:
    """
    :func:`class_structurer` as decoding was before int and bool fields were checked: those
    fields, nested ones included, are taken as stored, every other field checked as there. Only
    for rows already in a log (a strict decode raised :class:`KindMisfit`), never for an append;
    generated on first use and kept.
    """
    known = _lax_structurers.get(cls)
    return known if known is not None else _generate(cls, lax=True)


def _generate(cls: type, *, lax: bool) -> _Fn:
    hints = field_types(cls)
    fields = attrs.fields(cls)
    work = {f.name: conv for f in fields
            if (conv := _field_structurer(hints[f.name], lax=lax)) is not None}  # fmt: skip
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
    inline: dict[object, tuple[str, str]] = {} if lax else _INLINE_CHECKS
    inline_optional: dict[object, tuple[str, str]] = (
        {str: _INLINE_OPTIONAL_CHECKS[str]} if lax else _INLINE_OPTIONAL_CHECKS
    )
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
        elif hint in inline:  # the check only raises: the test before it is the check
            name, check = inline[hint]
            lines.append(f"    if type(v{i}) is not {name}: {check}(v{i})")
        elif (scalar := _optional_of(hint)) in inline_optional:
            name, check = inline_optional[scalar]
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
    (_lax_structurers if lax else _structurers)[cls] = fn
    return fn


_plain_structurers: dict[tuple[type, bool], _Fn] = {}


def _plain_class_structurer(cls: type, *, lax: bool = False) -> _Fn:
    # The general path of class_structurer alone: no code generated, so nothing compiled.
    known = _plain_structurers.get((cls, lax))
    if known is None:
        hints = field_types(cls)
        work = tuple(
            (f.name, conv)
            for f in attrs.fields(cls)
            if (conv := _field_structurer(hints[f.name], generated=False, lax=lax)) is not None
        )
        known = _plain_structurers[(cls, lax)] = _general_structurer(cls, work)
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


def structurer(tp: object, *, generated: bool = True, lax: bool = False) -> _Fn:
    """
    The function turning JSON data back into a value of type ``tp`` (an attrs class, a tuple,
    mapping or optional of them, an enum, a time, a number), generated as the events' decoders
    are: the fold's snapshots (:mod:`bridge.machine.snapshot`) decode through it.

    With ``generated=False`` each attrs class is structured by a closure (its keyword arguments
    converted, then its ``__init__``: the general path the generated code itself takes for data
    it does not expect) instead of generated code: the same values for what the codec wrote,
    strings not interned nor checked (ints, bools and floats are), about a third slower per
    value, but nothing compiled (generating the code for the ~35 classes a snapshot holds costs
    as much as decoding 1 MB of it). With ``lax`` int and bool values are taken as stored (see
    :func:`lax_class_structurer`): for stored data a strict decode refused with :class:`KindMisfit`.

    Raises:
        TypeError: ``tp`` is not a type the codec can structure.
    """
    fn = _field_structurer(tp, generated, lax)
    return fn if fn is not None else _same


def _same(value: Any) -> Any:
    return value


def misfits(tp: object, value: Any, path: str = "") -> Iterator[str]:
    """
    Each int or bool field of ``tp`` (nested ones included) that ``value``, JSON data of ``tp``,
    fills with JSON of another kind, as ``"round: 2.0 where a whole number belongs"``: what a
    strict decode refused with :class:`KindMisfit`, named for a person. Only called for such a
    row, so it walks the data without generated code.
    """
    inner = _optional_of(tp)
    if inner is not None:
        if value is None:
            return
        tp = inner
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is int and type(value) is not int:
        yield f"{path}: {_shown(value)} where a whole number belongs"
    elif tp is bool and type(value) is not bool:
        yield f"{path}: {_shown(value)} where true or false belongs"
    elif origin is tuple and args and type(value) is list:
        for i, item in enumerate(value):
            yield from misfits(args[0], item, f"{path}[{i}]")
    elif origin is not None and issubclass(origin, Mapping) and len(args) == 2:
        if type(value) is dict and args[1] is not Any:
            for key, item in value.items():
                yield from misfits(args[1], item, f"{path}[{key!r}]")
    elif isinstance(tp, type) and attrs.has(tp) and type(value) is dict:
        hints = field_types(tp)
        for name, item in value.items():
            if name in hints:
                yield from misfits(hints[name], item, f"{path}.{name}" if path else name)


def _shown(value: Any) -> str:
    # As the log holds it (2.0, true, "two"), cut short: a value is quoted, never a whole blob.
    text = orjson.dumps(value).decode()
    return text if len(text) <= 40 else text[:39] + "…"
