"""
How the values of ``bridge.toml`` settings are read: the field rules that the sections' attrs
classes (:mod:`bridge.plan.config`, the backends' ``config`` modules) name in their
``setting(read=...)`` metadata.

Each function takes the TOML value and returns the field's value or raises
:class:`bridge.plan.setting_fields.Invalid` (or :class:`~bridge.plan.setting_fields.Within`
for an entry of a table); the reader (:mod:`bridge.plan.settings`) adds the setting's name and
line.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Callable, Mapping
from pathlib import Path

from bridge.plan.priority import Priority
from bridge.plan.setting_fields import Invalid, Within, did_you_mean

EVALUATION_TYPES = (
    "real_gt",
    "synthetic_proxy",
    "self_supervised_proxy",
    "simulation_only",
    "human_eval",
)

__all__ = [
    "ENV_NAME",
    "EVALUATION_TYPES",
    "absolute_path",
    "argv",
    "axes",
    "command",
    "env_name",
    "evaluation",
    "existing_file",
    "flags",
    "inside_output_dir",
    "inside_project",
    "jmespath_query",
    "limit",
    "local_path",
    "non_negative",
    "non_negative_number",
    "one_of",
    "outputs",
    "positive",
    "positive_seconds",
    "priority",
    "regex_with_group",
    "required_text",
    "scalar",
    "scalars",
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


def scalar(value: object) -> str:
    """
    A string, or a number or boolean written as one (``seed = 3`` means ``"3"`` in a command).
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise Invalid("must be a string or number", value)


def scalars(value: object) -> dict[str, str]:
    """
    A table of :func:`scalar` values (``args``, ``env``).
    """
    out: dict[str, str] = {}
    for key, item in table(value).items():
        try:
            out[str(key)] = scalar(item)
        except Invalid as exc:
            raise within((key,), exc) from None
    return out


def flags(value: object) -> dict[str, bool]:
    """
    A table of booleans (``higher_is_better``).
    """
    out: dict[str, bool] = {}
    for key, item in table(value).items():
        if not isinstance(item, bool):
            raise within((key,), Invalid("must be true or false", item))
        out[str(key)] = item
    return out


def non_negative_number(value: object) -> float:
    """
    A number, 0 or more.
    """
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    raise Invalid("must be a non-negative number", value)


def non_negative(value: object) -> int:
    """
    A whole number, 0 or more.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise Invalid("must be a non-negative integer", value)


def limit(*, whole: bool, top: int | None = None, least: int = 1) -> Callable[[object], float]:
    """
    A positive limit (``max_file_mb``, ``max_depth``): a number, or a whole number when
    ``whole``, at least ``least`` (above 0 for numbers) and at most ``top``.
    """

    def read(value: object) -> float:
        amount = non_negative(value) if whole else non_negative_number(value)
        if amount <= 0 or (whole and amount < least) or (top is not None and amount > top):
            if top is not None:
                raise Invalid(f"must be between {least} and {top}", value)
            raise Invalid(f"must be at least {least}" if least > 1 else "must be above 0", value)
        return amount

    return read


def strings(value: object) -> tuple[str, ...]:
    """
    One string or a list of strings.
    """
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
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


def command(value: object) -> tuple[str, ...]:
    """
    A command: a list of arguments, or one line split as a POSIX shell would (never run by one).
    """
    if isinstance(value, str):
        try:
            tokens = tuple(shlex.split(value))
        except ValueError as exc:
            raise Invalid(f"cannot be split into arguments: {exc}") from None
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        tokens = tuple(value)
    else:
        raise Invalid("must be a string or a list of strings")
    if not tokens:
        raise Invalid("is empty")
    return tokens


def _relative(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise Invalid("must be a string", value)
    if not value:
        return value
    normal = posixpath.normpath(value.replace("\\", "/"))
    if (
        posixpath.isabs(normal)
        or re.match(r"^[A-Za-z]:", normal)
        or normal == ".."
        or normal.startswith("../")
    ):
        raise Invalid(f"= {value!r} escapes the {what}; use a path inside it")
    return "" if normal == "." else normal


def inside_project(value: object) -> str:
    """
    A path relative to the project that stays inside it (``run.cwd``).
    """
    return _relative(value, "project")


def inside_output_dir(value: object) -> str:
    """
    A path relative to a run's output directory that stays inside it.
    """
    return _relative(value, "run's output directory")


def outputs(value: object) -> tuple[str, ...]:
    """
    Output globs (one or a list), each inside the run's output directory.
    """
    return tuple(inside_output_dir(v) for v in strings(value))


def priority(value: object) -> Priority:
    """
    ``must`` or ``nice``.
    """
    if not isinstance(value, str) or value not in tuple(Priority):
        raise Invalid("must be 'must' or 'nice'")
    return Priority(value)


def regex_with_group(value: object) -> str:
    """
    A regular expression with a capture group for the number.
    """
    if not isinstance(value, str):
        raise Invalid("must be a string", value)
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise Invalid(f"is not a valid regex: {exc}") from None
    if compiled.groups < 1:
        raise Invalid("needs one capture group for the number")
    return value


def evaluation(value: object) -> dict[str, str]:
    """
    ``[evaluation]``: block → one of :data:`EVALUATION_TYPES`.
    """
    out: dict[str, str] = {}
    for block, kind in table(value).items():
        if not isinstance(kind, str):
            raise within((block,), Invalid("must be a string", kind))
        if kind not in EVALUATION_TYPES:
            raise within(
                (block,),
                Invalid(
                    f"= {kind!r} is not one of {', '.join(EVALUATION_TYPES)}"
                    + did_you_mean(kind, EVALUATION_TYPES)
                ),
            )
        out[str(block)] = kind
    return out


def jmespath_query(value: object) -> str:
    """
    A JMESPath query that compiles (its answer is checked when the file is read).
    """
    query = required_text(value)
    # Imported here: only a project with queries pays for the import.
    import jmespath
    import jmespath.exceptions

    try:
        jmespath.compile(query)
    except jmespath.exceptions.JMESPathError as exc:
        raise Invalid(f"is not a valid JMESPath query: {_query_error(exc, query)}") from None
    return query


def _query_error(exc: Exception, query: str) -> str:
    """
    A JMESPath compile error on one line: what was expected and where.
    """
    if type(exc).__name__ == "IncompleteExpressionError":
        return f"the query ends too early: {query!r}"
    message = str(getattr(exc, "msg", "") or exc).splitlines()[0]
    position = getattr(exc, "lex_position", None)
    where = f" at character {position + 1}" if isinstance(position, int) else ""
    return f"{message}{where} of {query!r}"


def axes(value: object) -> dict[str, tuple[str, ...]]:
    """
    Grid axes: name → a non-empty list of :func:`scalar` values.
    """
    out: dict[str, tuple[str, ...]] = {}
    for name, values in table(value).items():
        if not isinstance(values, list) or not values:
            raise within((name,), Invalid("must be a non-empty list", values))
        try:
            out[str(name)] = tuple(scalar(v) for v in values)
        except Invalid as exc:
            raise within((name,), exc) from None
    return out


def string_list(value: object) -> tuple[str, ...]:
    """
    A list of strings (never one string: ``exclude = "data"`` is a mistake, not one pattern).
    """
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("must be a list of strings", value)
    return tuple(value)


def positive_seconds(value: object) -> float:
    """
    A number of seconds above 0.
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise Invalid("must be a positive number of seconds", value)
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
        return value

    return read


def one_of(*choices: str, say: str = "") -> Callable[[object], str]:
    """
    One of ``choices`` (``say``, when given, explains them).
    """

    def read(value: object) -> str:
        if not isinstance(value, str) or value not in choices:
            hint = did_you_mean(value, choices) if isinstance(value, str) else ""
            meaning = f" ({say})" if say else ""
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


def local_path(value: object) -> str:
    """
    A path on this machine, ``~`` expanded.
    """
    if not isinstance(value, str) or not value:
        raise Invalid("must be a non-empty string", value)
    return str(Path(value).expanduser())


def existing_file(what: str) -> Callable[[object], str]:
    """
    A file on this machine that exists (``~`` expanded), ``what`` saying what it holds.
    """

    def read(value: object) -> str:
        path = Path(local_path(value))
        if not path.is_file():
            raise Invalid(f"names no such file {str(path)!r} ({what})")
        return str(path)

    return read


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
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise Invalid("must be a positive number", value)
    return float(value)


ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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
    if not isinstance(value, list) or not value or not all(isinstance(a, str) and a for a in value):
        raise Invalid("must be a non-empty list of non-empty strings", value)
    return tuple(value)


def env_name(value: object) -> str:
    """
    The NAME of an environment variable (the variable itself is read where it is used). The
    value is never quoted back: a secret pasted here by mistake must not reach a log.
    """
    if not isinstance(value, str) or not ENV_NAME.match(value):
        raise Invalid(
            "must be the NAME of an environment variable (letters, digits, _), not the secret "
            "itself"
        )
    return value
