"""
How a run's ``env`` value hands over one of bridge's own variables: a value that is exactly
``${NAME}`` is bridge's ``NAME`` at launch (never written into ``bridge.toml``, the log or a
job script), so a credential reaches a run without being recorded anywhere.

Kept apart from the ``bridge.toml`` readers: the event encoder's secret check needs only this
pattern, on every command's path.
"""

from __future__ import annotations

from collections.abc import Mapping

from bridge.lazy_patterns import lazy

__all__ = ["PASS_THROUGH", "handed_over", "split_env"]

#: An ``env`` value that hands one of bridge's variables to the run: exactly ``${NAME}``.
PASS_THROUGH = lazy(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def handed_over(value: str) -> str | None:
    """
    The name of bridge's variable that ``value`` hands over, or None for a literal value.
    """
    match = PASS_THROUGH.fullmatch(value)
    return match.group(1) if match else None


def split_env(
    env: Mapping[str, str], environ: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """
    Split a run's ``env`` into its literal values and the ones it hands over, the latter with
    their values from ``environ`` (bridge's environment; an unset variable is empty, which
    ``bridge run`` refuses before any launch).
    """
    literal: dict[str, str] = {}
    handed: dict[str, str] = {}
    for key, value in env.items():
        name = handed_over(value)
        if name is None:
            literal[key] = value
        else:
            handed[key] = environ.get(name, "")
    return literal, handed
