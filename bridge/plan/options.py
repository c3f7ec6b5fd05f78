"""
The pipeline's option constants and their precedence chain.

Precedence, lowest first: defaults < ``bridge.toml`` ``[bridge]`` < the override line in the plan
< the override line passed as an argument < ``-o key=value`` / keyword overrides. Every layer is
validated the same way: an unknown key is a :class:`ConfigError` naming the closest valid key, and
string values (``"true"``, ``"4"``) are coerced to the option's type.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from bridge.errors import ConfigError
from bridge.plan.setting_fields import did_you_mean

__all__ = ["OPTION_NAMES", "Options", "apply_options", "option_key", "parse_override_line"]

_CHOICES: dict[str, tuple[str, ...]] = {
    "backend": ("local", "ssh", "slurm", "vast", "modal"),
    "language": ("auto", "en", "zh"),
    "budget": ("warn", "enforce"),
}


def _check_choice(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    allowed = _CHOICES[attribute.name]
    if value not in allowed:
        raise ConfigError(
            f"option {attribute.name} must be one of {', '.join(allowed)}, not {value!r}",
            setting=attribute.name,
        )


def _check_parallel(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ConfigError(
            f"option max_parallel must be at least 1, not {value}", setting="max_parallel"
        )


@attrs.frozen(kw_only=True)
class Options:
    """
    The pipeline's switches.

    Args:
        auto_deploy: deploy after review without asking (False stops at AWAITING_APPROVAL).
        code_review: have the code reviewed before GPU time is spent.
        sanity_first: run the sanity milestone before everything else.
        max_parallel: the most runs in flight at once (at least 1).
        base_repo: a git URL to start the implementation from, or ``""``.
        compact: compact mode (EXPERIMENT_LOG.md, IDEA_CANDIDATES preferred).
        backend: ``local``, ``ssh``, ``vast`` or ``modal``.
        rescue_on_failure: ask for a rescue diagnosis on repeated identical failures.
        language: ``en`` or ``zh`` for human-facing text; ``auto`` (the default) follows the
            language detected in the plan.
        budget: ``warn`` or ``enforce`` when the GPU-hour budget is exceeded.
        main_milestone: the milestone whose blocks give the main result (``M2``); ``""``
            (the default) recognises it by name ("main", "decisive", "主实验").
    """

    auto_deploy: bool = True
    code_review: bool = True
    sanity_first: bool = True
    max_parallel: int = attrs.field(default=4, validator=_check_parallel)
    base_repo: str = ""
    compact: bool = False
    backend: str = attrs.field(default="local", validator=_check_choice)
    rescue_on_failure: bool = True
    language: str = attrs.field(default="auto", validator=_check_choice)
    budget: str = attrs.field(default="warn", validator=_check_choice)
    main_milestone: str = ""


OPTION_NAMES: tuple[str, ...] = tuple(f.name for f in attrs.fields(Options))
_TYPES: dict[str, type] = {f.name: type(f.default) for f in attrs.fields(Options)}
_KIND_WORDS = {bool: "true or false", int: "a whole number", str: "a string"}
_TRUE = {"true", "yes", "on", "1", "y"}
_FALSE = {"false", "no", "off", "0", "n"}


def option_key(raw: str) -> str:
    """
    The option name a user wrote, normalised (``base repo``/``BASE-REPO`` → ``base_repo``).

    Args:
        raw: the key as written.

    Returns:
        The normalised key (it may still be unknown).
    """
    return re.sub(r"[\s\-]+", "_", raw.strip().strip("*`").strip()).casefold()


def _unknown(key: str, where: str, file: str | None, line: int | None) -> ConfigError:
    hint = did_you_mean(key, OPTION_NAMES) or f"; valid options: {', '.join(OPTION_NAMES)}"
    return ConfigError(
        f"unknown option {key!r} in {where}{hint}", setting=key, file=file, line=line
    )


def _coerce(key: str, value: object, where: str, file: str | None, line: int | None) -> object:
    kind = _TYPES[key]
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().casefold() in _TRUE | _FALSE:
            return value.strip().casefold() in _TRUE
    elif kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
            return int(value)
    elif isinstance(value, str):
        return value.strip()
    raise ConfigError(
        f"option {key} in {where} must be {_KIND_WORDS.get(kind, kind.__name__)}, not {value!r}",
        setting=key,
        file=file,
        line=line,
    )


def apply_options(
    base: Options,
    values: Mapping[str, object],
    *,
    where: str,
    file: str | None = None,
    lines: Mapping[str, int] | None = None,
) -> Options:
    """
    Lay one layer of option values over ``base``.

    Args:
        base: the options so far.
        values: key → value as the user wrote them (keys are normalised here).
        where: the layer's name for messages (``bridge.toml [bridge]``, ``-o``).
        file: the file the layer came from, if one.
        lines: key → 1-based line in that file, if known.

    Returns:
        The new options.

    Raises:
        ConfigError: an unknown key (naming the closest valid key) or a badly typed value.
    """
    changes: dict[str, object] = {}
    for raw_key, value in values.items():
        key = option_key(raw_key)
        line = (lines or {}).get(raw_key)
        if key not in OPTION_NAMES:
            raise _unknown(key, where, file, line)
        changes[key] = _coerce(key, value, where, file, line)
    try:
        # arg-type: the keys are checked against OPTION_NAMES above and each value by _coerce;
        # the attrs plugin cannot see which field a run-time key names.
        return attrs.evolve(base, **changes)  # type: ignore[arg-type]
    except ConfigError as exc:
        raise ConfigError(
            f"{exc.message} (in {where})",
            setting=exc.setting,
            file=file,
            line=(lines or {}).get(exc.setting or ""),
        ) from None


_PAIR_START = re.compile(r"(?:^|,)\s*([A-Za-z][A-Za-z_ \-]{0,30}?)\s*[:=]\s*")


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
        ConfigError: the line holds no ``key: value`` pair.
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
        pairs[match.group(1).strip()] = body[match.end() : end].strip().strip(",").strip()
    if not pairs:
        raise ConfigError(
            f"cannot read the override line {line!r}: expected 'key: value, ...'",
            setting="override_line",
        )
    return pairs
