"""
The environment variables that hold bridge's own credentials, and what is done with them.

Every setting whose name ends in ``_env`` names a variable bridge reads a credential from
(``reviewer.api_key_env``, ``backends.vast.api_key_env``, ``metrics.wandb.api_key_env``,
``notify.webhook_url_env`` …); a configured adapter with a default variable (``VAST_API_KEY``,
``WANDB_API_KEY``, ``MODAL_TOKEN_ID``/``MODAL_TOKEN_SECRET``, ``BRIDGE_WEBHOOK_URL``) counts
too. Their values are registered for redaction (:mod:`bridge.events.secrets`) when a project
is opened, and the variables are removed from the environment runs inherit, unless the run's
``env`` names them.

A run's ``env`` value written ``${NAME}`` hands bridge's ``NAME`` to the run. When either name
says it is a credential (``HF_TOKEN = "${LAB_TOKEN}"``, ``X = "${WANDB_KEY}"``: the encoder's
:func:`~bridge.events.encoding.names_a_secret`), its value is registered for redaction too, so
a run that prints it, or fails quoting it, does not carry it into the log. Other handed-over
values are not: ``WORK = "${SCRATCH}"`` is a path that also appears in bridge's own records,
and redacting it there would rewrite every recorded path holding it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from bridge.errors import ConfigError
from bridge.events.encoding import names_a_secret
from bridge.events.secrets import SECRET_VALUE, register_secret_values
from bridge.plan import LoadedProject
from bridge.plan.handed_over import handed_over

__all__ = [
    "check_passed_variables",
    "credential_variables",
    "passed_variables",
    "register_credentials",
]


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


def passed_variables(project: LoadedProject) -> frozenset[str]:
    """
    The names of bridge's variables a run's ``env`` hands over with ``${NAME}`` as a credential
    (the ``env`` key or ``NAME`` names one): in ``[run]``, any system's or ``[[runs]]``
    entry's ``env``, or the runs as planned.
    """
    tables = [table for _, table in _env_tables(project)]
    tables.extend(run.env for run in project.runs)
    return frozenset(
        name
        for table in tables
        for key, value in table.items()
        if (name := handed_over(value)) is not None
        and (names_a_secret(key) or names_a_secret(name))
    )


def _env_tables(project: LoadedProject) -> Iterator[tuple[str, Mapping[str, str]]]:
    config = project.config
    yield "run.env", config.run.env
    for name, system in config.systems.items():
        yield f"systems.{name}.env", system.env
    for index, entry in enumerate(config.runs):
        yield f"runs[{index}].env", entry.env


def check_literal_secrets(project: LoadedProject) -> None:
    """
    Refuse, before anything is recorded or launched, a run ``env`` value written out in
    ``bridge.toml`` that is a credential: shaped like one (``hf_…``, ``sk-…``) or under a
    credential's name (``HF_TOKEN = "abc"``). It would reach the log and the run's files; the
    way is to hand over bridge's own variable (``HF_TOKEN = "${HF_TOKEN}"``). The message names
    the entry, never the value.

    Raises:
        ConfigError: at the ``env`` entry's line, with the ``${NAME}`` to write instead.
    """
    config = project.config
    for setting, table in _env_tables(project):
        for key, value in table.items():
            if not value or handed_over(value) is not None:
                continue
            if not (SECRET_VALUE.search(value) or names_a_secret(key)):
                continue
            where = f"{setting}.{key}"
            raise ConfigError(
                f"{where} holds a credential written out in bridge.toml; bridge records every "
                "run's settings, so it would be kept in the log and the run's files. Hand it "
                f'over from bridge\'s environment instead: {key} = "${{{key}}}" (and export '
                f"{key} before bridge run)",
                setting=where,
                file=config.file or "bridge.toml",
                line=config.line_of(where),
            )


def check_passed_variables(
    project: LoadedProject, *, backend: str | None, environ: Mapping[str, str] | None = None
) -> None:
    """
    Check, before any launch, that every variable a run's ``env`` hands over with ``${NAME}``
    is set where bridge runs, and that ``backend`` (the one bridge builds; None when the
    caller passed its own) can hand it over at all.

    Raises:
        ConfigError: naming the ``env`` entry and its line: ``NAME`` is not set (the run would
            get an empty value), or the backend is Modal (the value would travel in the call's
            input, stored by Modal: a Modal Secret is the way there).
    """
    env = os.environ if environ is None else environ
    config = project.config
    for setting, table in _env_tables(project):
        for key, value in table.items():
            name = handed_over(value)
            if name is None:
                continue
            where = f"{setting}.{key}"
            if backend == "modal":
                reason = (
                    f'{where} = "${{{name}}}" would send bridge\'s {name} to Modal in the '
                    "call's input; attach a Modal Secret holding it instead "
                    "(backends.modal.secrets, docs/backends/modal.md)"
                )
            elif not env.get(name):
                reason = (
                    f'{where} = "${{{name}}}" hands over bridge\'s {name}, which is not set '
                    "(or empty) here; export it before bridge run, or remove the entry"
                )
            else:
                continue
            raise ConfigError(
                reason, setting=where, file=config.file or "bridge.toml", line=config.line_of(where)
            )


def register_credentials(
    project: LoadedProject, environ: Mapping[str, str] | None = None
) -> frozenset[str]:
    """
    Register for redaction the value of every credential variable and of every variable a run's
    ``env`` hands over as a credential; return the credential variables' names (the ones runs
    do not inherit).
    """
    env = os.environ if environ is None else environ
    names = credential_variables(project)
    handed = passed_variables(project)
    register_secret_values(env[name] for name in names if env.get(name))
    # A handed-over value that is a path on this machine (GOOGLE_APPLICATION_CREDENTIALS, a
    # folder) names where a secret is, and bridge's own records hold paths: left alone.
    register_secret_values(
        env[name] for name in handed if env.get(name) and not _is_path(env[name])
    )
    return names


def _is_path(value: str) -> bool:
    """Whether ``value`` names a file or folder here (a multi-KB credential is not a name)."""
    try:
        return Path(value).exists()
    except (OSError, ValueError):  # too long a name, a NUL
        return False
