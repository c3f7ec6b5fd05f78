"""
Command templates: ``{name}`` placeholders substituted token by token, in a single pass.

A template is a tuple of argv tokens (never a shell string), so values from plans and config
cannot be re-split or interpreted by a shell. ``{{`` and ``}}`` stand for literal braces; a brace
not followed by an identifier (``{0,1}``) is literal too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bridge.errors import ConfigError

__all__ = ["BUILTIN_PLACEHOLDERS", "placeholders", "render_argv"]

BUILTIN_PLACEHOLDERS: tuple[str, ...] = (
    "run_id",
    "system",
    "seed",
    "block",
    "milestone",
    "output_dir",
    "gpu",
)
_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholders(token: str) -> tuple[str, ...]:
    """
    The placeholder names used in one token.

    Args:
        token: one argv token of a template.

    Returns:
        The names in order of appearance.
    """
    return tuple(m.group(1) for m in _TOKEN.finditer(token) if m.group(1))


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
