"""
How the values of the plan's own ``bridge.toml`` sections (``[run]``, ``[systems]``,
``[[runs]]``, ``[grid]``, ``[metrics]``, ``[evaluation]``) are read: the read functions that
:mod:`bridge.plan.config` names in its ``setting(read=...)`` metadata, beside the generic ones
of :mod:`bridge.plan.setting_rules`.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Callable

from bridge.plan.handed_over import PASS_THROUGH
from bridge.plan.priority import Priority
from bridge.plan.setting_fields import Invalid, did_you_mean
from bridge.plan.setting_rules import (
    ENV_NAME,
    non_negative,
    non_negative_number,
    required_text,
    strings,
    table,
    within,
)

__all__ = [
    "EVALUATION_TYPES",
    "METRIC_UNITS",
    "axes",
    "command",
    "environment",
    "evaluation",
    "flags",
    "inside_output_dir",
    "inside_project",
    "jmespath_query",
    "limit",
    "outputs",
    "placeholders",
    "priority",
    "regex_with_group",
    "scalar",
    "scalars",
    "units",
]


EVALUATION_TYPES = (
    "real_gt",
    "synthetic_proxy",
    "self_supervised_proxy",
    "simulation_only",
    "human_eval",
)


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
    return _each(value, scalar)


def placeholder(value: object) -> str:
    """
    A placeholder's value (``args``, a ``[grid]`` axis): a :func:`scalar`, never a boolean. A
    boolean has no one spelling on a command line (``--lr {lr}`` with ``true`` could mean
    ``true``, ``True``, ``1``, or the bare flag), so the researcher writes the text the script
    takes, or the flag itself in the command.
    """
    if isinstance(value, bool):
        spelt = "true" if value else "false"
        raise Invalid(
            f"= {spelt} is a boolean, which has no one spelling on a command line: write the "
            f'text the script takes as a string ("{spelt}", "{spelt.title()}", '
            f'"{int(value)}"), or write the flag itself in the command'
        )
    return scalar(value)


def placeholders(value: object) -> dict[str, str]:
    """
    An ``args`` table: each value a :func:`placeholder`.
    """
    return _each(value, placeholder)


def _each(value: object, read: Callable[[object], str]) -> dict[str, str]:
    """A table of ``value``'s entries each read by ``read``; a refusal names its key."""
    out: dict[str, str] = {}
    for key, item in table(value).items():
        try:
            out[str(key)] = read(item)
        except Invalid as exc:
            raise within((key,), exc) from None
    return out


def environment(value: object) -> dict[str, str]:
    """
    An ``env`` table: each key a variable name a shell accepts, each value a :func:`scalar`.

    A value that mentions ``${`` must be exactly ``${NAME}`` (bridge's ``NAME``, handed over at
    launch): ``"${A}/x"`` or ``"${A"`` would otherwise reach the run as those very characters.
    """
    out = scalars(value)
    for key, item in out.items():
        if not ENV_NAME.fullmatch(key):
            raise within(
                (key,),
                Invalid(
                    "is not a variable name (letters, digits and _, not starting with a digit)",
                    key,
                ),
            )
        if "${" in item and not PASS_THROUGH.fullmatch(item):
            raise within(
                (key,),
                Invalid(
                    'hands over a variable only when the whole value is "${NAME}" (bridge\'s '
                    "own NAME); anything around it would reach the run as written",
                    item,
                ),
            )
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
        # An empty entry is an argument the program gets as "" (a stray comma or a blanked
        # value), never what a list means; a line's quoted '' is written on purpose.
        for index, entry in enumerate(value):
            if not entry:
                raise within((index,), Invalid("must be a non-empty string", entry))
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


#: The units ``[metrics] units`` may give a metric: values written in percent (0.5 is 0.5 %)
#: or as fractions (0.5 is 50 %).
METRIC_UNITS = ("percent", "fraction")


def units(value: object) -> dict[str, str]:
    """
    ``[metrics] units``: metric → one of :data:`METRIC_UNITS`, the scale its values are
    written on, which the judge uses instead of guessing it from the values.
    """
    out: dict[str, str] = {}
    for metric, unit in table(value).items():
        if not isinstance(unit, str):
            raise within((metric,), Invalid("must be a string", unit))
        if unit not in METRIC_UNITS:
            raise within(
                (metric,),
                Invalid(
                    f"= {unit!r} is not one of {', '.join(METRIC_UNITS)}"
                    + did_you_mean(unit, METRIC_UNITS)
                ),
            )
        out[str(metric)] = unit
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
    Grid axes: name → a non-empty list of :func:`placeholder` values.
    """
    out: dict[str, tuple[str, ...]] = {}
    for name, values in table(value).items():
        if not isinstance(values, list) or not values:
            raise within((name,), Invalid("must be a non-empty list", values))
        read: list[str] = []
        for index, item in enumerate(values):
            try:
                read.append(placeholder(item))
            except Invalid as exc:
                raise within((name, index), exc) from None
        out[str(name)] = tuple(read)
    return out
