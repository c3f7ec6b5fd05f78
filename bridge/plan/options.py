"""
The pipeline's options (``[bridge]``) and their precedence chain, read by the one settings
reader (:mod:`bridge.plan.settings`).

Precedence, lowest first: defaults < ``bridge.toml`` ``[bridge]`` < the override line in the plan
< the override line passed as an argument < ``-o key=value`` / keyword overrides. Each option is
declared once, as a field of :class:`Options` (type, default, read function, help); every layer
is structured onto it by the same converter, so an unknown key, a value of the wrong type and a
value out of range are refused the same way in each. The read functions take the TOML value or
the text the string layers give (``"true"``, ``"4"``): a layer of strings needs no coercion of
its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TypeVar

import attrs

from bridge.errors import ConfigError
from bridge.lazy_patterns import lazy
from bridge.plan import setting_rules as rules
from bridge.plan.setting_fields import Invalid, setting
from bridge.plan.settings import SettingsTable
from bridge.value_methods import value_methods

__all__ = [
    "OPTION_NAMES",
    "OptionLayer",
    "Options",
    "apply_options",
    "option_key",
    "parse_override_line",
]

T = TypeVar("T")

# The spellings a switch takes, in TOML or as text (an override line, -o).
_TRUE = frozenset({"true", "yes", "on", "1", "y"})
_FALSE = frozenset({"false", "no", "off", "0", "n"})


def _switch(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in _TRUE | _FALSE:
        return value.strip().casefold() in _TRUE
    raise Invalid("must be true or false", value)


def _at_least_one(value: object) -> int:
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("must be a whole number", value)
    if value < 1:
        raise Invalid("must be at least 1", value)
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise Invalid("must be a string", value)
    return value.strip()


def _choice(*choices: str) -> Callable[[object], str]:
    exact = rules.one_of(*choices)
    return lambda value: exact(value.strip() if isinstance(value, str) else value)


def _option(default: T, read: Callable[[object], T], help: str) -> T:
    """
    One option's declaration: its default, how a layer's value is read, and what it does.

    The same read function checks a value given in code (``Options(max_parallel=0)``), so an
    ``Options`` holds only values a layer could have set.
    """

    def declared(instance: object, attribute: attrs.Attribute[T], value: T) -> None:
        try:
            ok = read(value) == value
        except Invalid as exc:
            raise ConfigError(
                f"{attribute.name} {exc.reason}, not {value!r}", setting=attribute.name
            ) from None
        if not ok:
            raise ConfigError(f"{attribute.name} cannot be {value!r}", setting=attribute.name)

    return attrs.field(default=default, validator=declared, metadata=setting(read=read, help=help))


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Options:
    """
    The pipeline's switches: ``[bridge]`` in ``bridge.toml``. Each field's ``help`` (its
    :func:`~bridge.plan.setting_fields.setting` metadata) says what it does.
    """

    auto_deploy: bool = _option(
        True, _switch, "deploy after review without asking (false stops at AWAITING_APPROVAL)"
    )
    code_review: bool = _option(True, _switch, "have the code reviewed before GPU time is spent")
    sanity_first: bool = _option(True, _switch, "run the sanity milestone before everything else")
    max_parallel: int = _option(4, _at_least_one, "the most runs in flight at once (at least 1)")
    base_repo: str = _option("", _text, "a git URL to start the implementation from, or empty")
    compact: bool = _option(
        False, _switch, "compact mode: write EXPERIMENT_LOG.md, prefer IDEA_CANDIDATES.md"
    )
    backend: str = _option(
        "local", _choice("local", "ssh", "slurm", "vast", "modal"), "where runs execute"
    )
    rescue_on_failure: bool = _option(
        True, _switch, "ask for a rescue diagnosis on repeated identical failures"
    )
    language: str = _option(
        "auto",
        _choice("auto", "en", "zh"),
        "language of human-facing text; auto follows the language detected in the plan",
    )
    budget: str = _option(
        "warn", _choice("warn", "enforce"), "what happens when the GPU-hour budget is exceeded"
    )
    main_milestone: str = _option(
        "",
        _text,
        "the milestone whose blocks give the main result (M2); empty: the one named main, "
        "decisive or 主实验",
    )


OPTION_NAMES: tuple[str, ...] = tuple(f.name for f in attrs.fields(Options))


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class OptionLayer:
    """
    Where one layer of option values came from, for the reader's messages.

    Args:
        name: the layer as messages name it (``-o``, ``the plan's override line``).
        section: ``bridge`` for ``bridge.toml``, whose settings are named ``bridge.<key>`` like
            every section's; ``""`` for a layer of text, whose messages start with the layer's
            name and name the bare option (``-o: max_parallel must be a whole number``).
        file: the file the layer came from, if one.
        line: the layer's one line in that file (an override line), if it has one.
        line_of: the 1-based line of a dotted setting (``bridge.max_parallel``) in ``file``.
    """

    name: str
    section: str = ""
    file: str | None = None
    line: int | None = None
    line_of: Callable[[str], int | None] | None = None


def option_key(raw: str) -> str:
    """
    The option name a user wrote, normalised (``base repo``/``BASE-REPO`` → ``base_repo``).

    Args:
        raw: the key as written.

    Returns:
        The normalised key (it may still be unknown).
    """
    return re.sub(r"[\s\-]+", "_", raw.strip().strip("*`").strip()).casefold()


def apply_options(base: Options, values: Mapping[str, object], layer: OptionLayer) -> Options:
    """
    Lay one layer of option values over ``base``, structured onto :class:`Options` by the
    settings reader.

    Args:
        base: the options so far.
        values: key → value as the user wrote them; keys are normalised (:func:`option_key`),
            values are TOML values or text (``"true"``, ``"4"``), read by each option's read
            function.
        layer: where the values came from, for messages.

    Returns:
        The new options.

    Raises:
        ConfigError: an unknown key (with the closest option and all of them), two keys that
            name one option, or a value its option does not take; naming the setting, the file
            and line when the layer has them, and the layer when it is not ``bridge.toml``.
    """
    written: dict[str, str] = {}
    twice: tuple[str, str] | None = None
    for raw in values:
        key = option_key(raw)
        if key in written and twice is None:
            twice = (written[key], raw)
        written[key] = raw
    table = {f.name: getattr(base, f.name) for f in attrs.fields(Options)}
    table.update({key: values[raw] for key, raw in written.items()})

    def line_of(name: str) -> int | None:
        if layer.line is not None or layer.line_of is None:
            return layer.line
        key = name.removeprefix(f"{layer.section}.")
        return layer.line_of(_named(layer, written.get(key, key)))

    noun = "setting" if layer.section else "option"
    reader = SettingsTable(layer.section, table, file=layer.file, line_of=line_of, noun=noun)
    try:
        if twice is not None:
            first, again = twice
            key = option_key(again)
            both = f"{_named(layer, first)} and {_named(layer, again)}"
            reader.fail(key, f"{both} both set {key}; keep one")
        return reader.structure(Options)
    except ConfigError as exc:
        if layer.section:
            raise
        raise ConfigError(
            f"{layer.name}: {exc.message}", setting=exc.setting, file=layer.file, line=layer.line
        ) from None


def _named(layer: OptionLayer, key: str) -> str:
    return f"{layer.section}.{key}" if layer.section else key


_PAIR_START = lazy(r"(?:^|,)\s*([A-Za-z][A-Za-z_ \-]{0,30}?)\s*[:=]\s*")


def parse_override_line(line: str) -> dict[str, str]:
    """
    Parse an override line such as ``— compact: true, base repo: https://github.com/org/p``.

    Keys are option names (spaces, hyphens and case tolerated), separated from values by ``:``
    or ``=``; pairs are separated by commas. A value runs up to the next ``, key:`` so a URL's
    own colon stays in the value.

    Args:
        line: the line, with or without the leading dash.

    Returns:
        key → raw value (keys as written; :func:`apply_options` normalises and validates them).

    Raises:
        ConfigError: the line holds no ``key: value`` pair, or sets one key twice.
    """
    body = line.strip().lstrip("—–-").strip()
    starts = [
        m
        for m in _PAIR_START.finditer(body)
        if not body[m.end() - 1 : m.end() + 1].startswith(":/")
    ]
    pairs: dict[str, str] = {}
    for position, match in enumerate(starts):
        end = starts[position + 1].start() if position + 1 < len(starts) else len(body)
        key, value = match.group(1).strip(), body[match.end() : end].strip().strip(",").strip()
        if key in pairs:
            # One spelling twice: refused as two spellings are (apply_options), not the first
            # value silently dropped.
            raise ConfigError(
                f"override line: {key} is set twice ({pairs[key]!r}, then {value!r}); keep one",
                setting=option_key(key),
            )
        pairs[key] = value
    if not pairs:
        raise ConfigError(
            f"cannot read the override line {line!r}: expected 'key: value, ...'",
            setting="override_line",
        )
    return pairs
