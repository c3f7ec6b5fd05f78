"""
The one reader of ``bridge.toml`` sections: cattrs structuring onto attrs classes, with errors
that name the file, the line and the dotted setting.

Every section (``[run]``, ``[metrics]``, ``[reviewer]``, ``[backends.ssh]``, ...) is read here.
A section's attrs class is the schema: cattrs (a private converter, ``forbid_extra_keys``) turns
the TOML table into it, so an unknown key, a missing required key and a value of the wrong type
are refused in one place, with one "did you mean"
(:func:`bridge.plan.setting_fields.did_you_mean`). A field says how its value is read when that
is more than its type (a range, a path that must stay inside the project, a command split into
arguments) through :func:`bridge.plan.setting_fields.setting` metadata: a read function from
:mod:`bridge.plan.setting_rules` that returns the value or raises ``Invalid``. Checks across
fields stay in the section's :meth:`Section.checked`, raising through
:meth:`SettingsTable.fail`; a section whose needs depend on one key's value reads key by key
with :meth:`SettingsTable.value` and the same read functions.

Values of settings marked ``secret`` are never quoted back in a message.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, NoReturn, Self, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from bridge.errors import ConfigError
from bridge.plan.setting_fields import (
    Invalid,
    Within,
    did_you_mean,
    key_of,
    keys_of,
    rule_of,
)
from bridge.plan.setting_rules import LARGEST_INTEGER, LARGEST_NUMBER
from bridge.value_methods import value_methods

__all__ = ["Section", "SettingsTable", "structure_value"]

T = TypeVar("T")
D = TypeVar("D")


def _strict(kind: type, reason: str) -> Callable[[object, type], object]:
    def hook(value: object, _: type) -> object:
        if isinstance(value, bool) and kind is not bool:
            raise Invalid(reason, value)
        if not isinstance(value, kind):
            raise Invalid(reason, value)
        if isinstance(value, int) and not -LARGEST_INTEGER <= value <= LARGEST_INTEGER:
            raise Invalid(f"must be at most {LARGEST_INTEGER} in size", value)
        return value

    return hook


def _number(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid("must be a number", value)
    if not -LARGEST_NUMBER <= value <= LARGEST_NUMBER:  # TOML's inf and nan too
        raise Invalid(f"must be a finite number, at most {LARGEST_NUMBER} in size", value)
    return float(value)


def _is_tuple(type_: object) -> bool:  # a typing form
    return typing.get_origin(type_) is tuple


def _tuple_hook(
    type_: Any,
) -> Callable[[object, type], object]:  # Any: a typing form, as cattrs types it
    args = typing.get_args(type_)
    item = args[0]

    def hook(value: object, _: type) -> object:
        if not isinstance(value, list):
            if attrs.has(item):
                raise Invalid("must be an array of tables ([[{setting}]])")
            raise Invalid("must be a list", value)
        out: list[object] = []
        for index, entry in enumerate(value):
            try:
                out.append(_CONVERTER.structure(entry, item))
            except Exception as exc:
                exc.__notes__ = [IterableValidationNote(f"@ index {index}", index, item)]
                raise IterableValidationError(f"While structuring {type_}", [exc], type_) from None
        return tuple(out)

    return hook


def _field_hook(read: Callable[[object], object]) -> Callable[[object, type], object]:
    def hook(value: object, _: type) -> object:
        return read(value)

    return hook


def _class_hook(cls: type) -> Callable[[object, type], object]:
    # Any: cattrs takes the overrides as **kwargs beside its own options of other types.
    overrides: dict[str, Any] = {}
    for field in attrs.fields(cls):
        rule = rule_of(field)
        if rule.internal:
            overrides[field.name] = override(omit=True)
            continue
        overrides[field.name] = override(
            rename=rule.key,
            struct_hook=_field_hook(rule.read) if rule.read is not None else None,
        )
    structure: Callable[[Mapping[str, object], type], object] = make_dict_structure_fn(
        cls,
        _CONVERTER,
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=True,
        **overrides,
    )

    def hook(value: object, type_: type) -> object:
        if not isinstance(value, Mapping):
            raise Invalid("must be a table", value)
        return structure(value, type_)

    return hook


_CONVERTER = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
_CONVERTER.register_structure_hook(str, _strict(str, "must be a string"))
_CONVERTER.register_structure_hook(bool, _strict(bool, "must be true or false"))
_CONVERTER.register_structure_hook(int, _strict(int, "must be an integer"))
_CONVERTER.register_structure_hook(float, _number)
_CONVERTER.register_structure_hook_factory(_is_tuple, _tuple_hook)
_CONVERTER.register_structure_hook_factory(attrs.has, _class_hook)


def structure_value(value: object, cls: type[T]) -> T:
    """
    Structure one value onto ``cls`` (for read functions that hold tables of tables).

    Raises:
        Exception: cattrs' errors and :class:`Invalid`; :meth:`SettingsTable.structure` turns
            them into a :class:`ConfigError`.
    """
    return _CONVERTER.structure(value, cls)


@value_methods
@attrs.frozen(eq=False, repr=False)
class _Found:
    path: tuple[str | int, ...]
    error: BaseException
    secret: bool


def _notes_key(error: BaseException, owner: type | None) -> tuple[str | int | None, bool]:
    for note in getattr(error, "__notes__", ()):
        if isinstance(note, IterableValidationNote):
            return note.index, False
        name = getattr(note, "name", None)
        if isinstance(name, str):
            if owner is not None and attrs.has(owner):
                field = attrs.fields_dict(owner).get(name)
                if field is not None:
                    return key_of(field), rule_of(field).secret
            return name, False
    return None, False


def _leaves(error: BaseException, path: tuple[str | int, ...], secret: bool) -> list[_Found]:
    owner = error.cl if isinstance(error, ClassValidationError) else None
    if isinstance(error, ClassValidationError | IterableValidationError):
        found: list[_Found] = []
        for sub in error.exceptions:
            key, hidden = _notes_key(sub, owner)
            here = path if key is None else (*path, key)
            found += _leaves(sub, here, secret or hidden)
        return found
    if isinstance(error, Within):
        return _leaves(error.error, (*path, error.key), secret)
    return [_Found(path, error, secret)]


@value_methods
@attrs.frozen(eq=False, repr=False)
class SettingsTable:
    """
    One table of ``bridge.toml`` and the means to read it: structure it onto a class, read one
    key, or refuse it with a :class:`ConfigError` naming ``file:line`` and the setting.

    Args:
        section: the table's dotted name (``backends.ssh``; ``""`` for the whole file); settings
            are named ``section.key``, entries of arrays ``section.key[0]``.
        table: the table's contents, as ``tomllib`` returns them.
        file: the configuration file, for messages.
        line_of: the 1-based line of a dotted setting, or ``None`` when unknown.
        noun: what a key is called in messages (``unknown setting run.comand``); ``option``
            for the options given as text (``-o``, an override line).
    """

    section: str
    table: Mapping[str, object] = attrs.field(factory=dict)
    file: str | None = None
    line_of: Callable[[str], int | None] | None = None
    noun: str = "setting"

    def setting(self, key: str | int = "") -> str:
        """
        Return the dotted name of ``key`` (``reviewer.base_url``, ``runs[0]``).
        """
        if isinstance(key, int):
            return f"{self.section}[{key}]"
        if not key:
            return self.section
        return f"{self.section}.{key}" if self.section else key

    def at(self, key: str | int, table: Mapping[str, object]) -> SettingsTable:
        """
        Return the reader of a nested table (``hosts[0]`` of ``backends.ssh``).
        """
        return attrs.evolve(self, section=self.setting(key), table=table)

    def error(self, key: str | int, message: str) -> ConfigError:
        """
        Return a ConfigError about ``key`` (``""`` for the table itself), with its line.
        """
        name = self.setting(key)
        line = self.line_of(name) if self.line_of is not None and name else None
        return ConfigError(message, setting=name or None, file=self.file, line=line)

    def fail(self, key: str | int, message: str) -> NoReturn:
        """
        Raise :meth:`error`.

        Raises:
            ConfigError: always.
        """
        raise self.error(key, message)

    def unknown(self, key: str, valid: Iterable[str]) -> ConfigError:
        """
        Return the error for an unknown key: the closest valid key, then all of them.
        """
        known = list(valid)
        return self.error(
            key,
            f"unknown {self.noun} {self.setting(key)}{did_you_mean(key, known)} "
            f"(valid: {', '.join(known)})",
        )

    def reject_unknown(self, known: Iterable[str]) -> None:
        """
        Refuse the first key (in file order) not in ``known``: a typo must not silently fall
        back to a default.

        Raises:
            ConfigError: naming the key, the closest known one and all of them.
        """
        valid = list(known)
        for key in self.table:
            if key not in valid:
                raise self.unknown(key, valid)

    def structure(self, cls: type[T]) -> T:
        """
        Structure the table onto ``cls`` (an attrs class whose fields are the section's keys).

        Returns:
            The instance, with the class's defaults for absent keys and internal fields.

        Raises:
            ConfigError: the first unknown key (in file order), else the first missing or
                invalid setting, naming it and its line; a secret's value is never quoted.
        """
        try:
            return _CONVERTER.structure(self.table, cls)
        except (ClassValidationError, IterableValidationError, Within, Invalid) as exc:
            raise self._explain(exc) from None

    def _explain(self, exc: BaseException) -> ConfigError:
        found = _leaves(exc, (), False)
        for leaf in found:
            if isinstance(leaf.error, ForbiddenExtraKeysError):
                inner = self._nested(leaf.path)
                extra = [k for k in inner.table if k in leaf.error.extra_fields]
                first = extra[0] if extra else sorted(leaf.error.extra_fields)[0]
                return inner.unknown(first, keys_of(leaf.error.cl))
        leaf = found[0]
        name = self._name(leaf.path)
        where = attrs.evolve(self, section=name)
        match leaf.error:
            case Invalid() as invalid:
                quote = (
                    f", not {_as_toml(invalid.value)}" if invalid.quote and not leaf.secret else ""
                )
                reason = invalid.reason.replace("{setting}", name)
                return where.error("", f"{name} {reason}{quote}")
            case KeyError():
                return where.error("", f"{name} is required")
            case ConfigError() as error:
                return where.error("", f"{name}: {error.message}")
            case error:
                return where.error("", f"{name} is not valid: {error}")

    def _name(self, path: tuple[str | int, ...]) -> str:
        name = self.section
        for part in path:
            name = attrs.evolve(self, section=name).setting(part)
        return name

    def _nested(self, path: tuple[str | int, ...]) -> SettingsTable:
        table: object = self.table
        for part in path:
            if isinstance(part, int) and isinstance(table, list) and part < len(table):
                table = table[part]
            elif isinstance(part, str) and isinstance(table, Mapping):
                table = table.get(part, {})
        return attrs.evolve(
            self,
            section=self._name(path),
            table=table if isinstance(table, Mapping) else {},
        )

    def value(self, key: str, read: Callable[[object], T], default: D) -> T | D:
        """
        Read one key with a read function (:mod:`bridge.plan.setting_rules`), for sections
        whose needs depend on another key's value (``[reviewer] kind``).

        Args:
            key: the key.
            read: turns the TOML value into the setting's value or raises ``Invalid``.
            default: returned when the key is absent.

        Raises:
            ConfigError: ``read`` refused the value; named like :meth:`structure` names it.
        """
        if key not in self.table:
            return default
        try:
            return read(self.table[key])
        except (Invalid, Within) as exc:
            raise self._explain(Within(key, exc)) from None


class Section:
    """
    A ``bridge.toml`` section whose attrs class is its schema (mixed into the class).

    Subclasses set ``SECTION`` (``"backends.ssh"``) and override :meth:`checked` for checks
    across fields, or :meth:`read` when the section is read key by key (what it needs depends
    on another key's value).
    """

    __slots__ = ()
    SECTION: ClassVar[str] = ""

    @classmethod
    def from_table(
        cls,
        table: Mapping[str, object],
        *,
        file: str | None = None,
        line_of: Callable[[str], int | None] | None = None,
    ) -> Self:
        """
        Build the section from its parsed table.

        Args:
            table: the table's contents as ``tomllib`` returns them.
            file: the configuration file, for messages.
            line_of: the 1-based line of a dotted setting in ``file``, when known.

        Raises:
            ConfigError: an unknown key (with the closest valid one), a missing or invalid
                setting, or a failed check across settings; named with its line.
        """
        return cls.read(SettingsTable(cls.SECTION, table, file=file, line_of=line_of))

    @classmethod
    def read(cls, reader: SettingsTable) -> Self:
        """
        Structure the table onto the class, then apply :meth:`checked`.
        """
        return reader.structure(cls).checked(reader)

    def checked(self, reader: SettingsTable) -> Self:
        """
        Return the section after the checks no single setting can make (none by default).

        Raises:
            ConfigError: through ``reader.fail``.
        """
        del reader
        return self


def _as_toml(value: object) -> str:
    """A value quoted as bridge.toml spells it (``true``, not Python's ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)
