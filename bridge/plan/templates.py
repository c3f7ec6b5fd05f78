"""
Command templates: ``{name}`` placeholders substituted token by token, in a single pass.

A template is a tuple of argv tokens (never a shell string), so values from plans and config
cannot be re-split or interpreted by a shell. ``{{`` and ``}}`` stand for literal braces; a brace
not followed by an identifier (``{0,1}``) is literal too.

``{outputs_of:RUN}`` is the one qualified placeholder: it names another run (which must be a
dependency of the run whose command uses it) and renders as that run's recorded output
directory; its name in ``placeholders`` and in ``render_argv``'s values is ``outputs_of:RUN``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bridge.errors import ConfigError
from bridge.lazy_patterns import lazy

__all__ = [
    "AT_LAUNCH",
    "BUILTIN_PLACEHOLDERS",
    "OUTPUTS_OF",
    "outputs_of",
    "placeholders",
    "render_argv",
    "render_for_reading",
    "unfilled",
]

BUILTIN_PLACEHOLDERS: tuple[str, ...] = (
    "run_id",
    "system",
    "model",
    "seed",
    "block",
    "milestone",
    "output_dir",
    "gpu",
    "attempt_id",
    "scratch_dir",
)
#: Placeholders the dispatcher fills in at launch, not from the plan or config.
AT_LAUNCH = frozenset({"output_dir", "gpu", "attempt_id", "scratch_dir"})
OUTPUTS_OF = "outputs_of"
_TOKEN = lazy(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*|outputs_of:[^{}\s]+)\}")


def placeholders(token: str) -> tuple[str, ...]:
    """
    The placeholder names used in one token.

    Args:
        token: one argv token of a template.

    Returns:
        The names in order of appearance.
    """
    return tuple(m.group(1) for m in _TOKEN.finditer(token) if m.group(1))


def outputs_of(name: str) -> str | None:
    """
    The run id an ``outputs_of:RUN`` placeholder name refers to, or None for any other name.
    """
    head, colon, run_id = name.partition(":")
    return run_id if colon and head == OUTPUTS_OF else None


def unfilled(command: Sequence[str], params: Mapping[str, str]) -> tuple[str, ...]:
    """
    The placeholders of ``command`` that neither ``params`` nor a launch gives a value, in
    order of appearance (``{outputs_of:…}`` is the dependency's, checked when the plan loads).
    """
    names = (n for token in command for n in placeholders(token))
    return tuple(
        dict.fromkeys(
            n for n in names if n not in params and n not in AT_LAUNCH and outputs_of(n) is None
        )
    )


def render_argv(tokens: Sequence[str], values: Mapping[str, str]) -> tuple[str, ...]:
    """
    Substitute placeholders in each token, once: a value containing ``{gpu}`` stays literal.

    Args:
        tokens: the template's argv tokens.
        values: placeholder name → value.

    Returns:
        The rendered argv.

    Raises:
        ConfigError: a token names a placeholder that ``values`` lacks (the message names it).
    """

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]
        if name not in values:
            raise ConfigError(
                f"placeholder {{{name}}} has no value (known: "
                f"{', '.join(sorted(values)) or 'none'})",
                setting=name,
            )
        return str(values[name])

    return tuple(_TOKEN.sub(replace, token) for token in tokens)


def render_for_reading(tokens: Sequence[str], params: Mapping[str, str]) -> tuple[str, ...]:
    """
    The command as a person (or a reviewer) reads it before launch: what only a launch knows is
    shown by name (``{output_dir}`` as ``OUT``, ``{scratch_dir}`` as ``SCRATCH``,
    ``{attempt_id}`` as ``ATTEMPT``, ``{outputs_of:R1}`` as ``OUTPUTS_OF_R1``, ``{gpu}`` empty).
    A placeholder ``params`` lacks is shown as written: only a row done before bridge loads
    without one (its retry asks for it, bridge/pipeline/retries.py).
    """
    values = {
        **{name: f"{{{name}}}" for name in unfilled(tokens, params)},
        **{
            name: f"OUTPUTS_OF_{source}"
            for token in tokens
            for name in placeholders(token)
            if (source := outputs_of(name)) is not None
        },
        **params,
        "output_dir": "OUT",
        "gpu": "",
        "attempt_id": "ATTEMPT",
        "scratch_dir": "SCRATCH",
    }
    return render_argv(tokens, values)
