"""
The environment variables that hold bridge's own credentials, and what is done with them.

Every setting whose name ends in ``_env`` names a variable bridge reads a credential from
(``reviewer.api_key_env``, ``backends.vast.api_key_env``, ``metrics.wandb.api_key_env``,
``notify.webhook_url_env`` …); a configured adapter with a default variable (``VAST_API_KEY``,
``WANDB_API_KEY``, ``MODAL_TOKEN_ID``/``MODAL_TOKEN_SECRET``, ``BRIDGE_WEBHOOK_URL``) counts
too. Their values are registered for redaction (:mod:`bridge.events.secrets`) when a project
is opened, and the variables are removed from the environment runs inherit, unless the run's
``env`` names them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping

from bridge.events.secrets import register_secret_values
from bridge.plan import LoadedProject

__all__ = ["credential_variables", "register_credentials"]

# Adapters that read a credential from a fixed variable when bridge.toml names none.
_DEFAULTS_BY_BACKEND = {
    "vast": ("VAST_API_KEY",),
    "modal": ("MODAL_TOKEN_ID", "MODAL_TOKEN_SECRET"),
}


def _env_settings(table: Mapping[str, object]) -> Iterator[str]:
    for key, value in table.items():
        if isinstance(value, Mapping):
            yield from _env_settings(value)
        elif key.endswith("_env") and isinstance(value, str) and value:
            yield value


def credential_variables(project: LoadedProject) -> frozenset[str]:
    """
    The names of the variables bridge reads credentials from, for this project's configuration.
    """
    config = project.config
    names: set[str] = set()
    tables: list[Mapping[str, object]] = [
        config.reviewer, config.implementer, config.notify, config.ablations,
        *config.backends.values(),
    ]  # fmt: skip
    if config.metrics.wandb is not None:
        tables.append(config.metrics.wandb)
        names.add("WANDB_API_KEY")
    if config.notify:
        names.add("BRIDGE_WEBHOOK_URL")
    for table in tables:
        names.update(_env_settings(table))
    for backend in {project.options.backend, *config.backends}:
        names.update(_DEFAULTS_BY_BACKEND.get(backend, ()))
    return frozenset(names)


def register_credentials(
    project: LoadedProject, environ: Mapping[str, str] | None = None
) -> frozenset[str]:
    """
    Register the value of every credential variable for redaction; return the variables' names.
    """
    env = os.environ if environ is None else environ
    names = credential_variables(project)
    register_secret_values(env[name] for name in names if env.get(name))
    return names
