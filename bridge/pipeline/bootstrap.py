"""
The composition root: the only place that turns options and ``bridge.toml`` into adapters.

A backend, reviewer or implementer that is asked for and not configured is a
:class:`~bridge.errors.ConfigError` naming what is missing — never a silent fallback.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, cast

from bridge.adapters.backends.local.backend import LocalBackend
from bridge.adapters.backends.local.config import LocalConfig
from bridge.adapters.gpu import NvidiaSmiProbe
from bridge.adapters.implement.checks import check_commands
from bridge.adapters.implement.config import build_implementer
from bridge.adapters.implement.existing import ExistingCode
from bridge.adapters.review.config import build_reviewer
from bridge.errors import ConfigError
from bridge.machine.ports import (
    AblationPlanner,
    Backend,
    Implementer,
    Notifier,
    Reviewer,
    Severity,
)
from bridge.pipeline import local_checks
from bridge.pipeline.credentials import (
    check_literal_secrets,
    check_passed_variables,
    credential_variables,
)
from bridge.plan import LoadedProject, PlanWarning, placeholders
from bridge.plan.setting_fields import did_you_mean, keys_of
from bridge.plan.settings import SettingsTable

if TYPE_CHECKING:  # imported where used: each loads httpx or an agent runner when configured
    from bridge.adapters.metrics.wandb import WandbSource

__all__ = [
    "BACKENDS",
    "check_notify",
    "make_ablation_planner",
    "make_backend",
    "make_implementer",
    "make_notifier",
    "make_reviewer",
    "script_warnings",
    "validate",
]

BACKENDS = ("local", "ssh", "slurm", "vast", "modal")


def _config_file(project: LoadedProject) -> str | None:
    return project.config.file


def make_backend(project: LoadedProject) -> Backend:
    """
    Build the backend the ``backend`` option names.

    Raises:
        ConfigError: the backend's ``[backends.<name>]`` section is missing or wrong, or its
            optional extra is not installed.
    """
    name = project.options.backend
    tables = project.config.backends
    if name == "local":
        local = LocalConfig.from_table(
            tables.get("local") or {},
            file=_config_file(project),
            line_of=project.config.line_of,
        )
        return LocalBackend(
            project.root,
            cpu_slots=local.cpu_slots or project.options.max_parallel,
            gpu_free_threshold_mib=local.gpu_free_threshold_mib,
            withheld_env=credential_variables(project),
        )
    remote = tables.get(name)
    if remote is None:
        raise ConfigError(
            f'backend = "{name}" needs a [backends.{name}] section in bridge.toml; see '
            f"docs/backends/{name}.md",
            setting=f"backends.{name}",
            file=_config_file(project) or "bridge.toml",
        )
    return _remote_backend(name, remote, project)


#: backend name → (module, config class, backend class); imported only when asked for, so
#: the optional extras (fabric, vastai, modal) are needed only by those who use them.
_REMOTE = {
    "ssh": ("bridge.adapters.backends.ssh.backend", "SSHConfig", "SSHBackend"),
    "slurm": ("bridge.adapters.backends.slurm.backend", "SlurmConfig", "SlurmBackend"),
    "modal": ("bridge.adapters.backends.modal.backend", "ModalConfig", "ModalBackend"),
    "vast": ("bridge.adapters.backends.vast.backend", "VastConfig", "VastBackend"),
}


def _remote_config(
    name: str, table: Mapping[str, object], project: LoadedProject
) -> tuple[ModuleType, object]:
    """
    Import a remote backend's module (its optional extra) and parse its section.

    Returns:
        The module and the parsed configuration.

    Raises:
        ConfigError: an unknown backend, a missing extra, or a wrong section.
    """
    if name not in _REMOTE:
        raise ConfigError(
            f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}", setting="backend"
        )
    module_name, config_name, _ = _REMOTE[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(
            f'backend = "{name}" needs the optional extra: pip install "bridge[{name}]" ({exc})',
            setting="backend",
        ) from exc
    config = getattr(module, config_name).from_table(
        table, file=_config_file(project), line_of=project.config.line_of
    )
    return module, config


def _remote_backend(name: str, table: Mapping[str, object], project: LoadedProject) -> Backend:
    module, config = _remote_config(name, table, project)
    if name == "slurm":
        # sbatch hands its own environment to the job: bridge's credentials stay out of it.
        withheld = credential_variables(project)
        return cast(Backend, module.SlurmBackend(config, project.root, withheld_env=withheld))
    return cast(Backend, getattr(module, _REMOTE[name][2])(config, project.root))


def validate(
    project: LoadedProject,
    *,
    backend: bool = True,
    implementer: bool = True,
    reviewer: bool = True,
    ablations: bool = True,
) -> None:
    """
    Check every configured section before any work starts, so a mistake in ``[reviewer]``,
    ``[implementer]``, ``[ablations]``, ``[metrics.wandb]``, ``[notify]`` or the backend's
    section is an error now (exit 2), not after hours of runs. Builds nothing that connects
    anywhere. For the local backend, the runs are checked against this machine too: every
    command's program is found, and runs asking for GPUs have them
    (:mod:`bridge.pipeline.local_checks`).

    The flags leave out the ports an embedder passed in itself.

    Raises:
        ConfigError: naming the setting that is wrong or missing.
    """
    if implementer:
        make_implementer(project)
    if reviewer:
        make_reviewer(project, {}, {})
    if ablations:
        make_ablation_planner(project)
    make_wandb_source(project)
    check_notify(project)
    name = project.options.backend
    check_literal_secrets(project)
    check_passed_variables(project, backend=name if backend else None)
    if not backend:
        return
    _check_other_backends(project, name)
    _check_scratch(project, name)
    if name == "local":
        make_backend(project)
        local_checks.check_programs(project)
        local_checks.check_gpus(project, lambda: len(NvidiaSmiProbe().probe()))
        return
    table = project.config.backends.get(name)
    if table is None:
        make_backend(project)  # raises the ConfigError that names the missing section
        return
    _remote_config(name, table, project)


#: backend name → its settings class, in a module that imports no SDK.
_SETTINGS = {
    "local": ("bridge.adapters.backends.local.config", "LocalConfig"),
    "ssh": ("bridge.adapters.backends.ssh.config", "SSHConfig"),
    "slurm": ("bridge.adapters.backends.slurm.config", "SlurmConfig"),
    "vast": ("bridge.adapters.backends.vast.config", "VastConfig"),
    "modal": ("bridge.adapters.backends.modal.config", "ModalConfig"),
}


def _check_other_backends(project: LoadedProject, selected: str) -> None:
    """
    The sections of backends not in use are checked for their names and keys: a misspelt
    section or key in a section kept for later (switching from local to ssh) is an error now,
    not a silent default on the day the backend is switched. Their values and required keys
    are checked in full when the backend is chosen (a section may hold only what another
    setting refers to, such as ``api_key_env``). Connects nowhere.
    """
    for name, table in project.config.backends.items():
        if name == selected:
            continue  # checked with the backend itself
        if name not in _SETTINGS:
            raise ConfigError(
                f"unknown backend section [backends.{name}]"
                + did_you_mean(name, BACKENDS)
                + f" (backends: {', '.join(BACKENDS)})",
                setting=f"backends.{name}",
                file=_config_file(project) or "bridge.toml",
                line=project.config.line_of(f"backends.{name}"),
            )
        module_name, class_name = _SETTINGS[name]
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            # Its optional extra is not installed: the section is not used now, and is read
            # in full (with the message naming the extra) when the backend is chosen.
            continue
        settings = SettingsTable(
            f"backends.{name}", table, file=_config_file(project), line_of=project.config.line_of
        )
        settings.reject_unknown(keys_of(getattr(module, class_name)))


#: The backends that give each attempt a ``{scratch_dir}`` (``ScratchSpace``).
_SCRATCH_BACKENDS = frozenset({"local", "ssh", "slurm"})


def _check_scratch(project: LoadedProject, backend: str) -> None:
    """
    ``{scratch_dir}`` needs a backend that makes one (local, SSH, Slurm): refuse a command
    using it on another backend at start, naming the run, not when it would launch.
    """
    if backend in _SCRATCH_BACKENDS:
        return
    for run in project.runs:
        if any("scratch_dir" in placeholders(token) for token in run.command):
            raise ConfigError(
                f"run {run.id} uses {{scratch_dir}}, which the {backend} backend does not give "
                "(the local, ssh and slurm backends do); write scratch files under {output_dir}",
                setting="run.command",
                file=_config_file(project),
                line=project.config.line_of("run.command"),
            )


def make_implementer(project: LoadedProject) -> Implementer:
    """
    Build the implementer ``[implementer]`` asks for (``ExistingCode`` without the section).
    """
    return build_implementer(
        project.config.implementer or None,
        base_repo=project.options.base_repo or None,
        file=_config_file(project),
        line_of=project.config.line_of,
    )


def script_warnings(project: LoadedProject) -> tuple[PlanWarning, ...]:
    """
    What the implement stage of ``bridge run`` would block on in the existing code, found now
    for ``bridge plan``: the BLOCKING findings of the default implementer's own checks
    (:func:`~bridge.adapters.implement.checks.check_commands`: a script the command names that
    does not exist, with the closest name; one that does not parse), over the runs that
    ``bridge run`` checks (not the rows the tracker says were done before bridge or are out of
    scope), each as a warning at the ``bridge.toml`` line that names the script.

    Empty when ``[implementer]`` is an agent (it writes the missing scripts) or ``base_repo`` is
    set (the scripts may come with the clone, made only at the implement stage): there a missing
    script is not yet a mistake.
    """
    from bridge.plan.templates import render_for_reading

    implementer = make_implementer(project)
    if not isinstance(implementer, ExistingCode) or not implementer.answers_at_once:
        return ()
    # The commands the implement stage is asked about (Session.commands), from the plan here.
    commands = {
        run.id: render_for_reading(run.command, run.params)
        for run in project.runs
        if run.command and not run.settled_before_bridge
    }
    file = _config_file(project) or "bridge.toml"
    lines = (
        project.config.path.read_text(encoding="utf-8").splitlines() if project.config.path else []
    )
    warnings = []
    for finding in check_commands(project.root, commands, {}):
        if finding.severity is not Severity.BLOCKING:
            continue
        # The line to edit: the first that names the script (a typo is fixed where it is written).
        line = next(
            (at for at, text in enumerate(lines, 1) if finding.file and finding.file in text), 0
        )
        warnings.append(PlanWarning(file=file, line=line, message=finding.message))
    return tuple(warnings)


def make_reviewer(
    project: LoadedProject,
    commands: Mapping[str, Sequence[str]],
    setup_params: Mapping[str, Sequence[str]],
) -> Reviewer:
    """
    Build the reviewer ``[reviewer]`` asks for (the local checklist without the section).
    """
    extra = (project.root / "base_repo",) if project.options.base_repo else ()
    return build_reviewer(
        project.config.reviewer or None,
        commands=commands,
        setup_params=setup_params,
        extra_roots=tuple(Path(p) for p in extra),
        file=_config_file(project),
        line_of=project.config.line_of,
    )


def make_ablation_planner(project: LoadedProject) -> AblationPlanner | None:
    """
    Build the ablation planner when ``[ablations]`` is configured; None otherwise.
    """
    table = project.config.ablations or None
    if table is None:
        return None
    from bridge.adapters.ablation import build_ablation_planner

    return build_ablation_planner(table, file=_config_file(project), line_of=project.config.line_of)


def make_notifier(project: LoadedProject) -> Notifier | None:
    """
    Build the webhook notifier when ``[notify]`` is configured; None otherwise.
    """
    table = project.config.notify or None
    if table is None:
        return None
    from bridge.adapters.notify import build_notifier

    return build_notifier(table, file=_config_file(project), line_of=project.config.line_of)


def check_notify(project: LoadedProject) -> None:
    """
    Read ``[notify]`` when configured, so ``bridge plan`` refuses what ``bridge run`` would (a
    webhook URL pasted where its variable's name goes, an unknown event). Whether the variable
    is set is left to ``bridge run`` (:func:`make_notifier`): the shell that previews the plan
    need not be the one that runs it.

    Raises:
        ConfigError: naming the ``notify.<key>`` that is wrong.
    """
    table = project.config.notify or None
    if table is None:
        return
    from bridge.adapters.notify import NotifyConfig

    NotifyConfig.from_table(table, file=_config_file(project), line_of=project.config.line_of)


def make_wandb_source(project: LoadedProject) -> WandbSource | None:
    """
    The W&B source ``[metrics.wandb]`` configures, or ``None`` when the table is absent.

    Connects nowhere, so ``bootstrap.validate`` calls it to check the table at start.

    Raises:
        ConfigError: the table is wrong (the message names ``metrics.wandb.<key>``).
    """
    config = project.config
    table = config.metrics.wandb
    if table is None:
        return None
    from bridge.adapters.metrics.wandb import WandbSource

    known = config.placeholder_names()
    return WandbSource.from_table(
        table,
        file=config.file,
        line_of=config.line_of,
        known_placeholders=known,
    )
