"""
``bridge.toml``: the typed home of the project's configuration.

``[bridge]`` options, ``[run]`` defaults, ``[systems."<name>"]`` overrides, ``[[runs]]`` explicit
runs, ``[grid]`` expansion, ``[metrics]``, ``[evaluation]``; ``[reviewer]``, ``[implementer]``,
``[notify]``, ``[ablations]`` and ``[backends.*]`` are kept raw for the modules that own them.
Unknown tables and keys are errors naming the closest valid key and file:line; command templates
are checked here, at load time, for unknown placeholders.
"""

from __future__ import annotations

import difflib
import posixpath
import re
import shlex
import tomllib
from collections.abc import Mapping
from pathlib import Path

import attrs

from bridge.errors import ConfigError
from bridge.plan.priority import Priority
from bridge.plan.templates import BUILTIN_PLACEHOLDERS, outputs_of, placeholders

__all__ = [
    "Config",
    "GridConfig",
    "GridPhase",
    "MetricExtract",
    "MetricRegex",
    "MetricsConfig",
    "RunConfig",
    "RunEntry",
    "SystemConfig",
    "load_config",
]

EVALUATION_TYPES = (
    "real_gt",
    "synthetic_proxy",
    "self_supervised_proxy",
    "simulation_only",
    "human_eval",
)


@attrs.frozen(kw_only=True)
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
        args: extra placeholder values.
        keep_scratch: keep each attempt's ``{scratch_dir}`` after its results are collected.
        max_gpu_memory_gb: a sanity run whose sampled GPU memory peak is above this fails.
    """

    command: tuple[str, ...] = ()
    cwd: str = ""
    outputs: tuple[str, ...] = ()
    estimated_minutes: float | None = None
    gpus: int = 0
    timeout_minutes: float | None = None
    env: Mapping[str, str] = attrs.field(factory=dict)
    max_retries: int = 0
    oom_max_attempts: int = 3
    oom_backoff_seconds: float = 30.0
    args: Mapping[str, str] = attrs.field(factory=dict)
    keep_scratch: bool = False
    max_gpu_memory_gb: float | None = None


@attrs.frozen(kw_only=True)
class SystemConfig:
    """
    ``[systems."<name>"]``: overrides for runs of one system (None/empty = not overridden).

    ``block`` attributes every run of the system to that block; ``aliases`` are other names the
    plan or tracker writes for the same system (see bridge/plan/attribution.py).
    """

    name: str
    block: str | None = None
    aliases: tuple[str, ...] = ()
    command: tuple[str, ...] | None = None
    args: Mapping[str, str] = attrs.field(factory=dict)
    outputs: tuple[str, ...] | None = None
    estimated_minutes: float | None = None
    gpus: int | None = None
    timeout_minutes: float | None = None
    env: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class RunEntry:
    """
    One ``[[runs]]`` entry: an explicit run, or an override of the tracker run with its id.
    """

    id: str
    line: int
    milestone: str | None = None
    block: str | None = None
    system: str | None = None
    seed: int | None = None
    priority: Priority | None = None
    purpose: str | None = None
    args: Mapping[str, str] = attrs.field(factory=dict)
    command: tuple[str, ...] | None = None
    depends_on: tuple[str, ...] = ()
    outputs: tuple[str, ...] | None = None
    estimated_minutes: float | None = None
    gpus: int | None = None
    timeout_minutes: float | None = None
    env: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
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
    line: int


@attrs.frozen(kw_only=True)
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
    line: int


@attrs.frozen(kw_only=True)
class MetricRegex:
    """
    ``[[metrics.regex]]``: a metric read from a text file by a regex with one group.
    """

    name: str
    pattern: str
    file: str


@attrs.frozen(kw_only=True)
class MetricExtract:
    """
    ``[[metrics.extract]]``: a metric picked from a JSON output file by a JMESPath query.

    Attributes:
        name: the metric name the answer is recorded under.
        file: the JSON file (a glob allowed), relative to the run's output directory.
        query: the JMESPath expression (checked when the file is read).
    """

    name: str
    file: str
    query: str


@attrs.frozen(kw_only=True)
class MetricsConfig:
    """
    ``[metrics]``: where a run's numbers are read from.

    Args:
        files: JSON/CSV files (globs, relative to the output dir); nested JSON keys are dotted.
        primary: the primary metric's name.
        aliases: alternative name → canonical name.
        regex: metrics read from logs by regex.
        higher_is_better: metric → direction, when the plan's criteria need one.
        wandb: the raw ``[metrics.wandb]`` table (read and checked by
            :mod:`bridge.adapters.wandb`), or ``None`` when W&B is not configured.
        extract: metrics picked by JMESPath queries.
        max_file_mb: a metrics file larger than this (MiB) is not read.
        max_depth: JSON nested deeper than this is not parsed (at most 500).
        max_values: at most this many values, and histories, are recorded per attempt.
        overfit_evaluations: evaluations in a row a validation loss must rise, while the
            training loss falls, to be reported as overfitting (at least 2).
    """

    files: tuple[str, ...] = ("metrics.json",)
    primary: str = ""
    aliases: Mapping[str, str] = attrs.field(factory=dict)
    regex: tuple[MetricRegex, ...] = ()
    higher_is_better: Mapping[str, bool] = attrs.field(factory=dict)
    wandb: Mapping[str, object] | None = None
    extract: tuple[MetricExtract, ...] = ()
    max_file_mb: float = 64.0
    max_depth: int = 64
    max_values: int = 2000
    overfit_evaluations: int = 3


@attrs.frozen(kw_only=True)
class Config:
    """
    The typed ``bridge.toml`` (all defaults when the file is absent).
    """

    path: Path | None = None
    bridge: Mapping[str, object] = attrs.field(factory=dict)
    run: RunConfig = attrs.field(factory=RunConfig)
    systems: Mapping[str, SystemConfig] = attrs.field(factory=dict)
    runs: tuple[RunEntry, ...] = ()
    grid: GridConfig | None = None
    metrics: MetricsConfig = attrs.field(factory=MetricsConfig)
    reviewer: Mapping[str, object] = attrs.field(factory=dict)
    implementer: Mapping[str, object] = attrs.field(factory=dict)
    notify: Mapping[str, object] = attrs.field(factory=dict)
    ablations: Mapping[str, object] = attrs.field(factory=dict)
    backends: Mapping[str, Mapping[str, object]] = attrs.field(factory=dict)
    evaluation: Mapping[str, str] = attrs.field(factory=dict)
    key_lines: Mapping[str, int] = attrs.field(factory=dict)

    def line_of(self, dotted_key: str) -> int | None:
        """
        The line of a key in bridge.toml, best effort.

        Args:
            dotted_key: ``run.command``, ``backends.ssh.host``, ``runs.0.id``, ``systems.X``.

        Returns:
            The 1-based line, or None when unknown.
        """
        key = dotted_key
        while key:
            if key in self.key_lines:
                return self.key_lines[key]
            key = key.rpartition(".")[0]
        return None

    @property
    def file(self) -> str | None:
        """
        The config file's path as a string, or None.
        """
        return str(self.path) if self.path else None


_TOP = (
    "bridge",
    "run",
    "systems",
    "runs",
    "grid",
    "metrics",
    "evaluation",
    "reviewer",
    "implementer",
    "notify",
    "ablations",
    "backends",
)
_RUN_KEYS = (
    "command",
    "cwd",
    "outputs",
    "estimated_minutes",
    "gpus",
    "timeout_minutes",
    "env",
    "max_retries",
    "oom_max_attempts",
    "oom_backoff_seconds",
    "args",
    "keep_scratch",
    "max_gpu_memory_gb",
)
_SYSTEM_KEYS = (
    "command",
    "args",
    "outputs",
    "estimated_minutes",
    "gpus",
    "timeout_minutes",
    "env",
    "block",
    "aliases",
)
_ENTRY_KEYS = (
    "id",
    "milestone",
    "block",
    "system",
    "seed",
    "priority",
    "purpose",
    "args",
    "command",
    "depends_on",
    "outputs",
    "estimated_minutes",
    "gpus",
    "timeout_minutes",
    "env",
)
_GRID_KEYS = ("id_prefix", "axes", "milestone", "block", "priority", "phases")
_PHASE_KEYS = ("name", "axes", "milestone", "block", "priority", "depends_on", "match")
_METRIC_KEYS = (
    "files",
    "primary",
    "aliases",
    "regex",
    "higher_is_better",
    "wandb",
    "extract",
    "max_file_mb",
    "max_depth",
    "max_values",
    "overfit_evaluations",
)
_REGEX_KEYS = ("name", "pattern", "file")
_EXTRACT_KEYS = ("name", "file", "query")

_HEADER = re.compile(r"^\s*\[(\[)?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="""
)
_PART = re.compile(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*\.?""")


def _parts(dotted: str) -> list[str]:
    return [p.group(1).strip("\"'") for p in _PART.finditer(dotted) if p.group(1)]


def _key_lines(text: str) -> dict[str, int]:
    """
    Map dotted keys to their lines by a light scan (tomllib gives no positions).
    """
    lines: dict[str, int] = {}
    prefix: list[str] = []
    arrays: dict[str, int] = {}
    in_multiline = False
    for number, line in enumerate(text.split("\n"), start=1):
        if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
            in_multiline = not in_multiline
            if not in_multiline:
                continue
        elif in_multiline:
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            parts = _parts(header.group(2))
            if header.group(1):
                name = ".".join(parts)
                index = arrays.get(name, -1) + 1
                arrays[name] = index
                parts = [*parts, str(index)]
            prefix = parts
            lines.setdefault(".".join(prefix), number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault(".".join([*prefix, *_parts(key.group(1))]), number)
    return lines


class _Reader:
    """
    Checks and converts the raw TOML dict, raising ConfigError with file:line.
    """

    def __init__(self, path: Path, lines: dict[str, int]) -> None:
        self.file = str(path)
        self.lines = lines

    def error(self, message: str, dotted: str) -> ConfigError:
        line = None
        key = dotted
        while key and line is None:
            line = self.lines.get(key)
            key = key.rpartition(".")[0]
        return ConfigError(message, setting=dotted, file=self.file, line=line)

    def table(self, value: object, dotted: str) -> dict[str, object]:
        if not isinstance(value, dict):
            raise self.error(f"{dotted} must be a table", dotted)
        return value

    def keys(
        self, table: Mapping[str, object], allowed: tuple[str, ...], dotted: str, at: str = ""
    ) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
                hint = (
                    f"; did you mean {close[0]!r}?"
                    if close
                    else (f"; valid keys: {', '.join(allowed)}")
                )
                where = f"in [{dotted}]" if dotted else "(top-level table)"
                raise self.error(
                    f"unknown key {key!r} {where}{hint}",
                    f"{at or dotted}.{key}" if (at or dotted) else key,
                )

    def string(self, value: object, dotted: str) -> str:
        if isinstance(value, str):
            return value
        raise self.error(f"{dotted} must be a string, not {value!r}", dotted)

    def scalar(self, value: object, dotted: str) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int | float):
            return str(value)
        raise self.error(f"{dotted} must be a string or number, not {value!r}", dotted)

    def number(self, value: object, dotted: str) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return float(value)
        raise self.error(f"{dotted} must be a non-negative number, not {value!r}", dotted)

    def integer(self, value: object, dotted: str) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        raise self.error(f"{dotted} must be a non-negative integer, not {value!r}", dotted)

    def strings(self, value: object, dotted: str) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise self.error(f"{dotted} must be a string or a list of strings", dotted)

    def mapping(self, value: object, dotted: str) -> dict[str, str]:
        table = self.table(value, dotted)
        return {str(k): self.scalar(v, f"{dotted}.{k}") for k, v in table.items()}

    def command(self, value: object, dotted: str) -> tuple[str, ...]:
        if isinstance(value, str):
            try:
                tokens = tuple(shlex.split(value))
            except ValueError as exc:
                raise self.error(
                    f"{dotted} cannot be split into arguments: {exc}", dotted
                ) from None
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            tokens = tuple(value)
        else:
            raise self.error(f"{dotted} must be a string or a list of strings", dotted)
        if not tokens:
            raise self.error(f"{dotted} is empty", dotted)
        return tokens

    def relative(self, value: str, dotted: str, what: str) -> str:
        if not value:
            return value
        normal = posixpath.normpath(value.replace("\\", "/"))
        if (
            posixpath.isabs(normal)
            or re.match(r"^[A-Za-z]:", normal)
            or normal == ".."
            or (normal.startswith("../"))
        ):
            raise self.error(
                f"{dotted} = {value!r} escapes the {what}; use a path inside it", dotted
            )
        return "" if normal == "." else normal

    def outputs(self, value: object, dotted: str) -> tuple[str, ...]:
        return tuple(
            self.relative(v, dotted, "run's output directory") for v in self.strings(value, dotted)
        )


def _overrides(reader: _Reader, table: Mapping[str, object], dotted: str) -> dict[str, object]:
    """
    The keys shared by [run], [systems.X] and [[runs]], converted.
    """
    out: dict[str, object] = {}
    if "command" in table:
        out["command"] = reader.command(table["command"], f"{dotted}.command")
    if "args" in table:
        out["args"] = reader.mapping(table["args"], f"{dotted}.args")
    if "outputs" in table:
        out["outputs"] = reader.outputs(table["outputs"], f"{dotted}.outputs")
    for key in ("estimated_minutes", "timeout_minutes"):
        if key in table:
            out[key] = reader.number(table[key], f"{dotted}.{key}")
    if "gpus" in table:
        out["gpus"] = reader.integer(table["gpus"], f"{dotted}.gpus")
    if "env" in table:
        out["env"] = reader.mapping(table["env"], f"{dotted}.env")
    return out


# C0 controls (NUL among them) and DEL; tab, newline and carriage return are text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refuse_control_characters(reader: _Reader, value: object, dotted: str) -> None:
    """
    Refuse a control character (a NUL, an escape) in any key or string of the file: it would
    reach commands, the log and bridge's own files, where nothing can read it back.

    Raises:
        ConfigError: naming the setting and its line, and the character as an escape.
    """
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{dotted}.{key}" if dotted else str(key)
            _refuse_control_characters(reader, key, name)
            _refuse_control_characters(reader, item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_control_characters(reader, item, f"{dotted}.{index}")
    elif isinstance(value, str):
        found = _CONTROL.search(value)
        if found is not None:
            raise reader.error(
                f"{dotted or 'a key'} holds the control character "
                f"{found.group()!r}; remove it (only tab and newlines are allowed in text)",
                dotted,
            )


def load_config(path: Path | None) -> Config:
    """
    Read and validate ``bridge.toml``.

    Args:
        path: the file, or None for an all-defaults configuration.

    Returns:
        The typed configuration.

    Raises:
        ConfigError: unreadable file, TOML syntax error, unknown table or key, wrong type, a path
            escaping the project or output directory, or a template with an unknown placeholder;
            the message names file:line and the dotted key.
    """
    if path is None:
        return Config()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read bridge.toml: {exc}", file=str(path)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(
            f"TOML syntax error: {exc}", file=str(path), line=int(match.group(1)) if match else None
        ) from None
    lines = _key_lines(text)
    reader = _Reader(path, lines)
    _refuse_control_characters(reader, data, "")
    reader.keys(data, _TOP, "")

    bridge = reader.table(data.get("bridge", {}), "bridge")
    run_table = reader.table(data.get("run", {}), "run")
    reader.keys(run_table, _RUN_KEYS, "run")
    run_values = _overrides(reader, run_table, "run")
    if "cwd" in run_table:
        run_values["cwd"] = reader.relative(
            reader.string(run_table["cwd"], "run.cwd"), "run.cwd", "project"
        )
    for key in ("max_retries", "oom_max_attempts"):
        if key in run_table:
            run_values[key] = reader.integer(run_table[key], f"run.{key}")
    if "oom_backoff_seconds" in run_table:
        run_values["oom_backoff_seconds"] = reader.number(
            run_table["oom_backoff_seconds"], "run.oom_backoff_seconds"
        )
    if "keep_scratch" in run_table:
        if not isinstance(run_table["keep_scratch"], bool):
            raise reader.error("run.keep_scratch must be true or false", "run.keep_scratch")
        run_values["keep_scratch"] = run_table["keep_scratch"]
    if "max_gpu_memory_gb" in run_table:
        run_values["max_gpu_memory_gb"] = reader.number(
            run_table["max_gpu_memory_gb"], "run.max_gpu_memory_gb"
        )
    run = RunConfig(**run_values)  # type: ignore[arg-type]

    systems: dict[str, SystemConfig] = {}
    for name, raw in reader.table(data.get("systems", {}), "systems").items():
        table = reader.table(raw, f"systems.{name}")
        reader.keys(table, _SYSTEM_KEYS, f"systems.{name}")
        values = _overrides(reader, table, f"systems.{name}")
        if "block" in table:
            values["block"] = reader.scalar(table["block"], f"systems.{name}.block")
        if "aliases" in table:
            values["aliases"] = reader.strings(table["aliases"], f"systems.{name}.aliases")
        systems[name] = SystemConfig(name=name, **values)  # type: ignore[arg-type]

    runs = _read_runs(reader, data.get("runs", []))
    grid = _read_grid(reader, data["grid"]) if "grid" in data else None
    metrics = _read_metrics(reader, data.get("metrics", {}))
    evaluation = {
        str(k): reader.string(v, f"evaluation.{k}")
        for k, v in reader.table(data.get("evaluation", {}), "evaluation").items()
    }
    for block, kind in evaluation.items():
        if kind not in EVALUATION_TYPES:
            close = difflib.get_close_matches(kind, EVALUATION_TYPES, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise reader.error(
                f"evaluation.{block} = {kind!r} is not one of {', '.join(EVALUATION_TYPES)}{hint}",
                f"evaluation.{block}",
            )
    backends = {
        str(k): reader.table(v, f"backends.{k}")
        for k, v in reader.table(data.get("backends", {}), "backends").items()
    }
    config = Config(
        path=path,
        bridge=bridge,
        run=run,
        systems=systems,
        runs=runs,
        grid=grid,
        metrics=metrics,
        reviewer=reader.table(data.get("reviewer", {}), "reviewer"),
        implementer=reader.table(data.get("implementer", {}), "implementer"),
        notify=reader.table(data.get("notify", {}), "notify"),
        ablations=reader.table(data.get("ablations", {}), "ablations"),
        backends=backends,
        evaluation=evaluation,
        key_lines=lines,
    )
    _check_templates(reader, config)
    return config


def _read_runs(reader: _Reader, raw: object) -> tuple[RunEntry, ...]:
    if not isinstance(raw, list):
        raise reader.error("runs must be an array of tables ([[runs]])", "runs")
    entries: list[RunEntry] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        dotted = f"runs.{index}"
        table = reader.table(item, dotted)
        reader.keys(table, _ENTRY_KEYS, "runs", dotted)
        if "id" not in table:
            raise reader.error("a [[runs]] entry needs an id", dotted)
        run_id = reader.scalar(table["id"], f"{dotted}.id")
        if run_id in seen:
            raise reader.error(f"run id {run_id!r} appears twice in [[runs]]", f"{dotted}.id")
        seen.add(run_id)
        values = _overrides(reader, table, dotted)
        for key in ("milestone", "block", "system", "purpose"):
            if key in table:
                values[key] = reader.scalar(table[key], f"{dotted}.{key}")
        if "priority" in table:
            priority = reader.string(table["priority"], f"{dotted}.priority")
            if priority not in tuple(Priority):
                raise reader.error(
                    f"{dotted}.priority must be 'must' or 'nice'", f"{dotted}.priority"
                )
            values["priority"] = Priority(priority)
        if "seed" in table:
            values["seed"] = reader.integer(table["seed"], f"{dotted}.seed")
        if "depends_on" in table:
            values["depends_on"] = reader.strings(table["depends_on"], f"{dotted}.depends_on")
        entries.append(RunEntry(id=run_id, line=reader.lines.get(dotted, 0), **values))  # type: ignore[arg-type]
    return tuple(entries)


def _axes(reader: _Reader, raw: object, dotted: str) -> dict[str, tuple[str, ...]]:
    table = reader.table(raw, dotted)
    axes: dict[str, tuple[str, ...]] = {}
    for name, values in table.items():
        if not isinstance(values, list) or not values:
            raise reader.error(f"{dotted}.{name} must be a non-empty list", f"{dotted}.{name}")
        axes[str(name)] = tuple(reader.scalar(v, f"{dotted}.{name}") for v in values)
    return axes


def _read_grid(reader: _Reader, raw: object) -> GridConfig:
    table = reader.table(raw, "grid")
    reader.keys(table, _GRID_KEYS, "grid")
    base_axes = _axes(reader, table.get("axes", {}), "grid.axes")
    defaults = {
        k: reader.scalar(table[k], f"grid.{k}")
        for k in ("milestone", "block", "priority")
        if k in table
    }
    phases_raw = table.get("phases", [{"name": "grid"}])
    if not isinstance(phases_raw, list):
        raise reader.error(
            "grid.phases must be an array of tables ([[grid.phases]])", "grid.phases"
        )
    phases: list[GridPhase] = []
    names: set[str] = set()
    for index, item in enumerate(phases_raw):
        dotted = f"grid.phases.{index}"
        phase = reader.table(item, dotted)
        reader.keys(phase, _PHASE_KEYS, "grid.phases", dotted)
        name = reader.scalar(phase.get("name", f"phase{index + 1}"), f"{dotted}.name")
        depends = reader.strings(phase.get("depends_on", []), f"{dotted}.depends_on")
        for dep in depends:
            if dep not in names:
                raise reader.error(
                    f"{dotted}.depends_on names {dep!r}, which is not an earlier phase",
                    f"{dotted}.depends_on",
                )
        names.add(name)
        axes = {**base_axes, **_axes(reader, phase.get("axes", {}), f"{dotted}.axes")}
        if not axes:
            raise reader.error("[grid] needs axes (e.g. axes = { seed = [0, 1, 2] })", dotted)
        priority = reader.scalar(
            phase.get("priority", defaults.get("priority", Priority.MUST)), f"{dotted}.priority"
        )
        if priority not in tuple(Priority):
            raise reader.error(f"{dotted}.priority must be 'must' or 'nice'", f"{dotted}.priority")
        match = reader.strings(phase.get("match", []), f"{dotted}.match")
        phases.append(
            GridPhase(
                name=name,
                axes=axes,
                milestone=reader.scalar(
                    phase.get("milestone", defaults.get("milestone", "")), f"{dotted}.milestone"
                ),
                block=reader.scalar(
                    phase.get("block", defaults.get("block", "")), f"{dotted}.block"
                ),
                priority=Priority(priority),
                depends_on=depends,
                match=match,
                line=reader.lines.get(dotted, reader.lines.get("grid", 0)),
            )
        )
    prefix = reader.scalar(table.get("id_prefix", "G"), "grid.id_prefix")
    return GridConfig(id_prefix=prefix, phases=tuple(phases), line=reader.lines.get("grid", 0))


def _read_metrics(reader: _Reader, raw: object) -> MetricsConfig:
    table = reader.table(raw, "metrics")
    reader.keys(table, _METRIC_KEYS, "metrics")
    regexes: list[MetricRegex] = []
    regex_raw = table.get("regex", [])
    if not isinstance(regex_raw, list):
        raise reader.error(
            "metrics.regex must be an array of tables ([[metrics.regex]])", "metrics.regex"
        )
    for index, item in enumerate(regex_raw):
        dotted = f"metrics.regex.{index}"
        entry = reader.table(item, dotted)
        reader.keys(entry, _REGEX_KEYS, "metrics.regex", dotted)
        pattern = reader.string(entry.get("pattern", ""), f"{dotted}.pattern")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise reader.error(
                f"{dotted}.pattern is not a valid regex: {exc}", f"{dotted}.pattern"
            ) from None
        if compiled.groups < 1:
            raise reader.error(
                f"{dotted}.pattern needs one capture group for the number", f"{dotted}.pattern"
            )
        regexes.append(
            MetricRegex(
                name=reader.string(entry.get("name", ""), f"{dotted}.name") or f"regex{index}",
                pattern=pattern,
                file=reader.relative(
                    reader.string(entry.get("file", "stdout.log"), f"{dotted}.file"),
                    f"{dotted}.file",
                    "run's output directory",
                ),
            )
        )
    higher = reader.table(table.get("higher_is_better", {}), "metrics.higher_is_better")
    for key, value in higher.items():
        if not isinstance(value, bool):
            raise reader.error(
                f"metrics.higher_is_better.{key} must be true or false",
                f"metrics.higher_is_better.{key}",
            )
    limits = _read_limits(reader, table)
    overfit = reader.integer(table.get("overfit_evaluations", 3), "metrics.overfit_evaluations")
    if overfit < 2:
        raise reader.error(
            f"metrics.overfit_evaluations must be at least 2, not {overfit}",
            "metrics.overfit_evaluations",
        )
    return MetricsConfig(
        overfit_evaluations=overfit,
        extract=_read_extract(reader, table.get("extract", [])),
        max_file_mb=limits[0],
        max_depth=int(limits[1]),
        max_values=int(limits[2]),
        files=reader.outputs(table["files"], "metrics.files")
        if "files" in table
        else ("metrics.json",),
        primary=reader.string(table.get("primary", ""), "metrics.primary"),
        aliases=reader.mapping(table.get("aliases", {}), "metrics.aliases"),
        regex=tuple(regexes),
        higher_is_better={str(k): bool(v) for k, v in higher.items()},
        wandb=reader.table(table["wandb"], "metrics.wandb") if "wandb" in table else None,
    )


def _read_limits(reader: _Reader, table: Mapping[str, object]) -> tuple[float, float, float]:
    """
    ``max_file_mb``, ``max_depth`` and ``max_values``, each positive (depth at most 500: the
    JSON parser must never reach Python's recursion limit).
    """
    out: list[float] = []
    for key, default, top in (
        ("max_file_mb", 64.0, None),
        ("max_depth", 64, 500),
        ("max_values", 2000, None),
    ):
        dotted = f"metrics.{key}"
        raw = table.get(key, default)
        amount = reader.number(raw, dotted) if key == "max_file_mb" else reader.integer(raw, dotted)
        if amount <= 0 or (top is not None and amount > top):
            bound = f"between 1 and {top}" if top is not None else "above 0"
            raise reader.error(f"{dotted} must be {bound}, not {raw!r}", dotted)
        out.append(float(amount))
    return out[0], out[1], out[2]


def _read_extract(reader: _Reader, raw: object) -> tuple[MetricExtract, ...]:
    """
    ``[[metrics.extract]]``: name, file and a JMESPath query that compiles.
    """
    if not isinstance(raw, list):
        raise reader.error(
            "metrics.extract must be an array of tables ([[metrics.extract]])", "metrics.extract"
        )
    rules: list[MetricExtract] = []
    for index, item in enumerate(raw):
        dotted = f"metrics.extract.{index}"
        entry = reader.table(item, dotted)
        reader.keys(entry, _EXTRACT_KEYS, "metrics.extract", dotted)
        for key in _EXTRACT_KEYS:
            if not entry.get(key):
                raise reader.error(
                    f"{dotted}.{key} is required", f"{dotted}.{key}" if key in entry else dotted
                )
        query = reader.string(entry["query"], f"{dotted}.query")
        # Imported here: only a project with queries pays for the import.
        import jmespath
        import jmespath.exceptions

        try:
            jmespath.compile(query)
        except jmespath.exceptions.JMESPathError as exc:
            detail = _query_error(exc, query)
            raise reader.error(
                f"{dotted}.query is not a valid JMESPath query: {detail}", f"{dotted}.query"
            ) from None
        rules.append(
            MetricExtract(
                name=reader.string(entry["name"], f"{dotted}.name"),
                file=reader.relative(
                    reader.string(entry["file"], f"{dotted}.file"),
                    f"{dotted}.file",
                    "run's output directory",
                ),
                query=query,
            )
        )
    return tuple(rules)


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


def _check_templates(reader: _Reader, config: Config) -> None:
    """
    Every placeholder in every command must be a built-in or an arg defined somewhere.
    """
    known = set(BUILTIN_PLACEHOLDERS) | set(config.run.args)
    for system in config.systems.values():
        known |= set(system.args)
    for entry in config.runs:
        known |= set(entry.args)
    if config.grid is not None:
        for phase in config.grid.phases:
            known |= set(phase.axes)
    commands: list[tuple[str, tuple[str, ...]]] = [("run.command", config.run.command)]
    commands += [
        (f"systems.{n}.command", s.command) for n, s in config.systems.items() if s.command
    ]
    commands += [(f"runs.{i}.command", e.command) for i, e in enumerate(config.runs) if e.command]
    for dotted, tokens in commands:
        for token in tokens:
            try:
                names = placeholders(token)
            except ConfigError as exc:
                raise reader.error(f"{dotted}: {exc.message}", dotted) from None
            for name in names:
                # {outputs_of:RUN} is checked against the run's dependencies once runs exist.
                if name not in known and outputs_of(name) is None:
                    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
                    hint = f"; did you mean {{{close[0]}}}?" if close else ""
                    raise reader.error(
                        f"{dotted} uses unknown placeholder {{{name}}}{hint} (known: "
                        f"{', '.join(sorted(known))}; define more under [run] args)",
                        dotted,
                    )
