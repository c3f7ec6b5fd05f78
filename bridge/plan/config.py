"""
``bridge.toml``: the typed home of the project's configuration, and its schema.

``[bridge]`` options, ``[run]`` defaults, ``[systems."<name>"]`` overrides, ``[[runs]]`` explicit
runs, ``[grid]`` expansion, ``[metrics]``, ``[evaluation]``; ``[reviewer]``, ``[implementer]``,
``[notify]``, ``[ablations]`` and ``[backends.*]`` are kept raw for the modules that own them.

These attrs classes are what :mod:`bridge.plan.settings` structures the file onto: a field's
``setting(read=...)`` metadata says how its value is read (:mod:`bridge.plan.config_values`,
:mod:`bridge.plan.setting_rules`), and ``internal`` fields are set by the loader
(:mod:`bridge.plan.config_reader`), not the file.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from pathlib import Path

import attrs

from bridge.plan import config_values as read
from bridge.plan import setting_rules as rules
from bridge.plan.priority import Priority
from bridge.plan.quantities import normalise_block_id
from bridge.plan.setting_fields import Invalid, setting
from bridge.plan.settings import structure_value
from bridge.plan.templates import BUILTIN_PLACEHOLDERS
from bridge.plan.toml_lines import line_of
from bridge.value_methods import value_methods

__all__ = [
    "Config",
    "GridConfig",
    "GridPhase",
    "MetricExtract",
    "MetricRegex",
    "MetricsConfig",
    "RunConfig",
    "RunEntry",
    "RunOverrides",
    "ScopedRule",
    "SystemConfig",
]

_NUMBER = setting(read=rules.non_negative_number)
_MINUTES = setting(read=rules.minutes)
_COUNT = setting(read=rules.non_negative)
_ARGS = setting(read=read.placeholders)
_NAME = setting(read=rules.name)
_NAMES = setting(read=rules.string_list)
_ENV = setting(read=read.environment)
_COMMAND = setting(read=read.command)
_OUTPUTS = setting(read=read.outputs)
_TABLE = setting(read=rules.table)


def _required_output(value: object) -> str:
    return read.inside_output_dir(rules.required_text(value))


def _output_file(value: object) -> str:
    return read.inside_output_dir(rules.filled(value))


def _metric_names(value: object) -> dict[str, str]:
    """
    ``[metrics] aliases``: other name → the name it stands for, each a :func:`rules.name`
    (``acc = ""`` stands for no metric).
    """
    out: dict[str, str] = {}
    for key, item in rules.table(value).items():
        try:
            out[str(rules.filled(key))] = rules.name(item)
        except Invalid as exc:
            raise rules.within((key,), exc) from None
    return out


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunConfig:
    """
    ``[run]``: how every run is launched unless a system or run overrides it.

    Args:
        command: the command template's tokens (empty when none is configured).
        cwd: working directory relative to the project root.
        outputs: expected output globs relative to the attempt's output directory.
        estimated_minutes: expected duration, or None.
        gpus: GPUs per run (0 = CPU).
        timeout_minutes: kill a run after this long, or None.
        env: extra environment variables.
        max_retries: retries for non-OOM failures.
        oom_max_attempts: attempts before an out-of-memory run is stuck.
        oom_backoff_seconds: the wait before the first out-of-memory retry (doubling after).
        launch_backoff_seconds: the wait before retrying a launch that failed (doubling per
            launch failure in a row, at most 64 times); other retries launch at once.
        args: extra placeholder values.
        keep_scratch: keep each attempt's ``{scratch_dir}`` after its results are collected.
        max_gpu_memory_gb: a sanity run whose sampled GPU memory peak is above this fails.
        gpu_memory_margin_gb: without ``max_gpu_memory_gb``, a sanity run whose peak comes
            within this of its GPUs' memory fails (0: no such check).
    """

    command: tuple[str, ...] = attrs.field(default=(), metadata=_COMMAND)
    cwd: str = attrs.field(default="", metadata=setting(read=read.inside_project))
    outputs: tuple[str, ...] = attrs.field(default=(), metadata=_OUTPUTS)
    estimated_minutes: float | None = attrs.field(default=None, metadata=_MINUTES)
    gpus: int = attrs.field(default=0, metadata=_COUNT)
    timeout_minutes: float | None = attrs.field(default=None, metadata=_MINUTES)
    env: Mapping[str, str] = attrs.field(factory=dict, metadata=_ENV)
    max_retries: int = attrs.field(default=0, metadata=_COUNT)
    oom_max_attempts: int = attrs.field(default=3, metadata=_COUNT)
    oom_backoff_seconds: float = attrs.field(default=30.0, metadata=_NUMBER)
    launch_backoff_seconds: float = attrs.field(default=5.0, metadata=_NUMBER)
    args: Mapping[str, str] = attrs.field(factory=dict, metadata=_ARGS)
    keep_scratch: bool = False
    max_gpu_memory_gb: float | None = attrs.field(default=None, metadata=_NUMBER)
    gpu_memory_margin_gb: float = attrs.field(default=1.0, metadata=_NUMBER)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunOverrides:
    """
    What ``[systems."<name>"]`` and ``[[runs]]`` may override of ``[run]`` (None/empty = not
    overridden; see :class:`RunConfig` for each).
    """

    command: tuple[str, ...] | None = attrs.field(default=None, metadata=_COMMAND)
    args: Mapping[str, str] = attrs.field(factory=dict, metadata=_ARGS)
    outputs: tuple[str, ...] | None = attrs.field(default=None, metadata=_OUTPUTS)
    estimated_minutes: float | None = attrs.field(default=None, metadata=_MINUTES)
    gpus: int | None = attrs.field(default=None, metadata=_COUNT)
    timeout_minutes: float | None = attrs.field(default=None, metadata=_MINUTES)
    env: Mapping[str, str] = attrs.field(factory=dict, metadata=_ENV)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class SystemConfig(RunOverrides):
    """
    ``[systems."<name>"]``: overrides for runs of one system (None/empty = not overridden).

    ``block`` attributes every run of the system to that block; ``aliases`` are other names the
    plan or tracker writes for the same system (see bridge/plan/attribution.py).
    """

    name: str = attrs.field(default="", metadata=setting(internal=True))
    block: str | None = attrs.field(default=None, metadata=_NAME)
    aliases: tuple[str, ...] = attrs.field(default=(), metadata=_NAMES)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunEntry(RunOverrides):
    """
    One ``[[runs]]`` entry: an explicit run, or an override of the tracker run with its id.
    """

    id: str = attrs.field(metadata=_NAME)
    line: int = attrs.field(default=0, metadata=setting(internal=True))
    milestone: str | None = attrs.field(default=None, metadata=_NAME)
    block: str | None = attrs.field(default=None, metadata=_NAME)
    system: str | None = attrs.field(default=None, metadata=_NAME)
    seed: int | None = attrs.field(default=None, metadata=_COUNT)
    priority: Priority | None = attrs.field(default=None, metadata=setting(read=read.priority))
    purpose: str | None = attrs.field(default=None, metadata=_NAME)
    depends_on: tuple[str, ...] = attrs.field(default=(), metadata=_NAMES)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class GridPhase:
    """
    One ``[[grid.phases]]`` entry: a Cartesian expansion that may wait for earlier phases.

    Args:
        name: phase name (used by ``depends_on``).
        axes: axis → values, merged over ``[grid] axes``.
        milestone: milestone id for its runs.
        block: block id for its runs.
        priority: ``must`` or ``nice``.
        depends_on: names of phases whose runs must finish first.
        match: axes whose values must agree for a dependency (empty = wait for the whole phase).
        line: 1-based line in bridge.toml.
    """

    name: str
    axes: Mapping[str, tuple[str, ...]]
    milestone: str
    block: str
    priority: Priority
    depends_on: tuple[str, ...]
    match: tuple[str, ...]
    line: int = 0


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class GridConfig:
    """
    ``[grid]``: runs generated as the Cartesian product of axes.

    Args:
        id_prefix: run ids are ``<prefix>001``… in expansion order.
        phases: the phases (one implicit phase when ``[[grid.phases]]`` is absent).
        line: 1-based line of ``[grid]``.
    """

    id_prefix: str
    phases: tuple[GridPhase, ...]
    line: int = 0


def _scope(value: object) -> tuple[str, ...]:
    """
    A rule's ``blocks`` or ``runs``: one name or a list of them, none empty, and not an empty
    list (which would apply the rule to no run: leave the key out to apply it to every run).
    """
    names = rules.strings(value)  # refuses an empty name, at its index
    if not names:
        raise Invalid("is empty; leave it out to apply the rule to every run")
    return names


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScopedRule:
    """
    A metrics rule (``[[metrics.extract]]``, ``[[metrics.regex]]``) that may say which runs it
    is for.

    Attributes:
        blocks: the plan's block ids (``B2``, ``Block 2``) whose runs the rule is for.
        runs: run id globs (``R01*``) the rule is for.

    With neither ``blocks`` nor ``runs`` the rule is for every run; with either, for the runs
    of those blocks and the runs those globs match (both given: either is enough); a glob
    matching a row split into seeds (``R002``) is for its seeds' runs (``R002-s0``, …). Each
    name must name something the plan has (:mod:`bridge.plan.crosscheck`).
    """

    blocks: tuple[str, ...] = attrs.field(default=(), metadata=setting(read=_scope))
    runs: tuple[str, ...] = attrs.field(default=(), metadata=setting(read=_scope))

    @property
    def scoped(self) -> bool:
        """
        Whether the rule names the runs it is for (``blocks`` or ``runs``).
        """
        return bool(self.blocks or self.runs)

    def applies_to(self, run_id: str, block: str) -> bool:
        """
        Whether the rule is for the run ``run_id`` of block ``block`` (``""``: none).

        Block ids are compared as the plan normalises them (``Block 2`` is ``B2``); run ids
        are matched case-sensitively by :func:`fnmatch.fnmatchcase` (``*``, ``?``, ``[...]``).
        """
        if not self.scoped:
            return True
        if block and block in {normalise_block_id(b) for b in self.blocks}:
            return True
        return any(fnmatch.fnmatchcase(run_id, pattern) for pattern in self.runs)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class MetricRegex(ScopedRule):
    """
    ``[[metrics.regex]]``: a metric read from a text file by a regex with one group, for every
    run or for those its ``blocks``/``runs`` name (:class:`ScopedRule`).
    """

    name: str = attrs.field(metadata=setting(read=rules.filled))
    pattern: str = attrs.field(metadata=setting(read=read.regex_with_group))
    file: str = attrs.field(default="stdout.log", metadata=setting(read=_output_file))


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class MetricExtract(ScopedRule):
    """
    ``[[metrics.extract]]``: a metric picked from a JSON output file by a JMESPath query, for
    every run or for those its ``blocks``/``runs`` name (:class:`ScopedRule`).

    Attributes:
        name: the metric name the answer is recorded under.
        file: the JSON file (a glob allowed), relative to the run's output directory.
        query: the JMESPath expression (checked when the file is read).
    """

    name: str = attrs.field(metadata=setting(read=rules.required_text))
    file: str = attrs.field(metadata=setting(read=_required_output))
    query: str = attrs.field(metadata=setting(read=read.jmespath_query))


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class MetricsConfig:
    """
    ``[metrics]``: where a run's numbers are read from.

    Args:
        files: JSON/CSV files (globs, relative to the output dir); nested JSON keys are dotted.
        primary: the primary metric's name.
        aliases: alternative name → canonical name.
        regex: metrics read from logs by regex.
        higher_is_better: metric → direction, when the plan's criteria need one.
        units: metric → ``percent`` or ``fraction``, the scale its values are written on: the
            judge reads a criterion's ``5%`` against them as said, instead of guessing from the
            values (027's grad clipping hit rate logged as 0.5, meaning 0.5 %).
        wandb: the raw ``[metrics.wandb]`` table (read and checked by
            :mod:`bridge.adapters.wandb`), or ``None`` when W&B is not configured.
        extract: metrics picked by JMESPath queries.
        max_file_mb: a metrics file larger than this (MiB) is not read.
        max_depth: JSON nested deeper than this is not parsed (at most 500).
        max_values: at most this many values, and histories, are recorded per attempt.
        overfit_evaluations: evaluations in a row a validation loss must rise, while the
            training loss falls, to be reported as overfitting (at least 2).
    """

    files: tuple[str, ...] = attrs.field(default=("metrics.json",), metadata=_OUTPUTS)
    primary: str = ""
    aliases: Mapping[str, str] = attrs.field(factory=dict, metadata=setting(read=_metric_names))
    regex: tuple[MetricRegex, ...] = ()
    higher_is_better: Mapping[str, bool] = attrs.field(
        factory=dict, metadata=setting(read=read.flags)
    )
    units: Mapping[str, str] = attrs.field(factory=dict, metadata=setting(read=read.units))
    wandb: Mapping[str, object] | None = attrs.field(
        default=None, metadata=setting(read=rules.table)
    )
    extract: tuple[MetricExtract, ...] = ()
    max_file_mb: float = attrs.field(default=64.0, metadata=setting(read=read.limit(whole=False)))
    # At most 500: the JSON parser must never reach Python's recursion limit.
    max_depth: int = attrs.field(default=64, metadata=setting(read=read.limit(whole=True, top=500)))
    max_values: int = attrs.field(default=2000, metadata=setting(read=read.limit(whole=True)))
    overfit_evaluations: int = attrs.field(
        default=3, metadata=setting(read=read.limit(whole=True, least=2))
    )


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Config:
    """
    The typed ``bridge.toml`` (all defaults when the file is absent).
    """

    path: Path | None = attrs.field(default=None, metadata=setting(internal=True))
    bridge: Mapping[str, object] = attrs.field(factory=dict, metadata=_TABLE)
    run: RunConfig = attrs.field(factory=RunConfig)
    systems: Mapping[str, SystemConfig] = attrs.field(
        factory=dict, metadata=setting(read=lambda value: _systems(value))
    )
    runs: tuple[RunEntry, ...] = ()
    grid: GridConfig | None = attrs.field(
        default=None, metadata=setting(read=lambda value: _grid(value))
    )
    metrics: MetricsConfig = attrs.field(factory=MetricsConfig)
    reviewer: Mapping[str, object] = attrs.field(factory=dict, metadata=_TABLE)
    implementer: Mapping[str, object] = attrs.field(factory=dict, metadata=_TABLE)
    notify: Mapping[str, object] = attrs.field(factory=dict, metadata=_TABLE)
    ablations: Mapping[str, object] = attrs.field(factory=dict, metadata=_TABLE)
    backends: Mapping[str, Mapping[str, object]] = attrs.field(
        factory=dict, metadata=setting(read=rules.tables)
    )
    evaluation: Mapping[str, str] = attrs.field(
        factory=dict, metadata=setting(read=read.evaluation)
    )
    key_lines: Mapping[str, int] = attrs.field(factory=dict, metadata=setting(internal=True))

    def placeholder_names(self) -> frozenset[str]:
        """
        The placeholders a command may use: the built-ins, every ``args`` key of ``[run]``,
        systems and runs, and every grid axis.
        """
        known = set(BUILTIN_PLACEHOLDERS) | set(self.run.args)
        for system in self.systems.values():
            known |= set(system.args)
        for entry in self.runs:
            known |= set(entry.args)
        if self.grid is not None:
            for phase in self.grid.phases:
                known |= set(phase.axes)
        return frozenset(known)

    def line_of(self, dotted_key: str) -> int | None:
        """
        The line of a key in bridge.toml, best effort.

        Args:
            dotted_key: ``run.command``, ``backends.ssh.hosts[0]``, ``runs[0].id``,
                ``systems.X``.

        Returns:
            The 1-based line, or None when unknown.
        """
        return line_of(self.key_lines, dotted_key)

    @property
    def file(self) -> str | None:
        """
        The config file as messages name it, or None: its path from the project root, as the
        plan's files are named (``bridge.toml``, which lives at the root), whatever folder
        bridge was started from.
        """
        return self.path.name if self.path else None


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class _PhaseTable:
    """
    One ``[[grid.phases]]`` entry as written (absent keys fall back to ``[grid]``'s).
    """

    name: str | None = attrs.field(default=None, metadata=_NAME)
    axes: Mapping[str, tuple[str, ...]] = attrs.field(
        factory=dict, metadata=setting(read=read.axes)
    )
    milestone: str | None = attrs.field(default=None, metadata=_NAME)
    block: str | None = attrs.field(default=None, metadata=_NAME)
    priority: Priority | None = attrs.field(default=None, metadata=setting(read=read.priority))
    depends_on: tuple[str, ...] = attrs.field(default=(), metadata=_NAMES)
    match: tuple[str, ...] = attrs.field(default=(), metadata=_NAMES)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class _GridTable:
    """
    ``[grid]`` as written: axes and defaults for its phases (one phase when none is given).
    """

    # A string only: `true` or `7` would make ids `true001` or `7001` (a prefix is text).
    id_prefix: str = "G"
    axes: Mapping[str, tuple[str, ...]] = attrs.field(
        factory=dict, metadata=setting(read=read.axes)
    )
    milestone: str | None = attrs.field(default=None, metadata=_NAME)
    block: str | None = attrs.field(default=None, metadata=_NAME)
    priority: Priority | None = attrs.field(default=None, metadata=setting(read=read.priority))
    phases: tuple[_PhaseTable, ...] = (_PhaseTable(name="grid"),)


def _grid(value: object) -> GridConfig:
    """
    ``[grid]``: each phase's axes merged over the grid's, its dependencies on earlier phases.
    """
    grid = structure_value(value, _GridTable)
    phases: list[GridPhase] = []
    names: set[str] = set()
    for index, phase in enumerate(grid.phases):
        name = phase.name if phase.name is not None else f"phase{index + 1}"
        for dep in phase.depends_on:
            if dep not in names:
                raise rules.within(
                    ("phases", index, "depends_on"),
                    Invalid(f"names {dep!r}, which is not an earlier phase"),
                )
        names.add(name)
        axes = {**grid.axes, **phase.axes}
        if not axes:
            needs = Invalid("needs axes (e.g. axes = { seed = [0, 1, 2] })")
            written = isinstance(value, Mapping) and "phases" in value
            raise rules.within(("phases", index), needs) if written else needs
        phases.append(
            GridPhase(
                name=name,
                axes=axes,
                milestone=phase.milestone or grid.milestone or "",
                block=phase.block or grid.block or "",
                priority=phase.priority or grid.priority or Priority.MUST,
                depends_on=phase.depends_on,
                match=phase.match,
            )
        )
    return GridConfig(id_prefix=grid.id_prefix, phases=tuple(phases))


def _systems(value: object) -> dict[str, SystemConfig]:
    """
    ``[systems."<name>"]``: each table structured as a :class:`SystemConfig` named by its key.
    """
    systems: dict[str, SystemConfig] = {}
    for name, entry in rules.table(value).items():
        try:
            system = structure_value(entry, SystemConfig)
        except Exception as exc:
            raise rules.within((name,), exc) from None
        systems[str(name)] = attrs.evolve(system, name=str(name))
    return systems
