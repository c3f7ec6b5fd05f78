"""
``bridge.toml`` checked against the runs it configures: mistakes that only show once the plan's
runs are known, refused (or listed) before anything launches.

- a ``[systems."NAME"]`` table that no run or block names (a typo would otherwise be ignored and
  its runs take ``[run]``'s settings): refused, with the closest names;
- a placeholder in ``outputs`` (``{output_dir}/metrics.json``): outputs are paths inside the
  run's output directory and are not expanded, so it is refused with the path to write instead;
- a ``[[metrics.extract]]`` or ``[[metrics.regex]]`` ``blocks`` entry that is not a block of
  the plan, or a ``runs`` glob that matches no run: refused, with the closest ids (a typo would
  otherwise leave the rule applied to no run, silently); a glob matching no run is a warning
  instead when ``[ablations]`` is configured, since proposals add runs later;
- a ``block`` set for runs (``[[runs]]``, ``[grid]`` or a phase, ``[systems."NAME"]``) that is
  not a block of the plan: refused, with the closest ids (its runs would run in no block and
  never be judged);
- ``[metrics] primary`` named by no block, run or metrics rule: a warning, with the closest
  name;
- runs with no command: listed together, as one warning (``bridge plan``); the implement stage
  blocks on them;
- milestones whose Cost the plan states in GPU-hours while their runs ask for no GPU and
  ``bridge.toml`` sets ``gpus`` nowhere: one warning (they would run on the CPU, and the
  estimate counts 0 GPU-hours where the plan counts hours).

Besides ``bridge.toml``, the plan against its tracker: a block whose Priority disagrees with
the Priority cells of all its runs' tracker rows (014's B4 "CONDITIONAL MUST-RUN", nice-to-have,
whose R007 the tracker makes MUST): one warning per block.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Collection, Iterable, Mapping, Sequence

import attrs

from bridge.errors import ConfigError
from bridge.lazy_patterns import lazy
from bridge.plan.attribution import Attributor, system_table
from bridge.plan.config import Config, ScopedRule, SystemConfig
from bridge.plan.model import Block, Budget, Milestone, Plan, PlanWarning, TrackerRun
from bridge.plan.priority import Priority
from bridge.plan.quantities import normalise_block_id
from bridge.plan.runs import RunSpec, match_system, run_system_table
from bridge.plan.setting_fields import did_you_mean
from bridge.plan.text import first_six_named, plain
from bridge.plan.tracker import seed_row

__all__ = [
    "check_against_runs",
    "gpu_cost_without_gpus",
    "priority_disagreements",
    "runs_without_command",
]

_PLACEHOLDER = lazy(r"\{[^{}]*\}")
# A priority that holds only under a condition ("CONDITIONAL MUST-RUN"): read as nice-to-have
# (vocabulary.normalise_priority), as bridge cannot check the condition.
_CONDITIONAL_PRIORITY = lazy(r"^\W*(?:conditional|条件)", re.IGNORECASE)


def _fold(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def _no_systems_at_all(key: str, runs: Sequence[RunSpec]) -> str:
    """
    Why no name can match ``key`` when the plan and tracker name no system at all (026: "(systems:
    )" said nothing), and the entry that sets one run's settings instead: a ``[[runs]]`` id,
    the run whose row reads ``key`` where there is one.
    """
    where = (
        "the tracker has no System column and no block lists Compared systems"
        if any(r.source == "tracker" for r in runs)
        else "no block lists Compared systems"
    )
    named = [r.id for r in runs if r.purpose and _fold(r.purpose) == _fold(key)]
    example = named[0] if named else (runs[0].id if runs else "R001")
    which = f"{example}'s row reads {key!r}" if named else "one per run"
    return (
        f'[systems."{key}"] names no system: no run of the plan or tracker has a system ({where}); '
        f'to set a run\'s settings, write them in a [[runs]] entry with id = "{example}" '
        f"({which})"
    )


def _unknown_systems(
    config: Config, names: Iterable[str], runs: Sequence[RunSpec], plan: Plan
) -> list[PlanWarning]:
    # The tables runs take (run_system_table): a run's own system's first, so a table naming
    # only the block's system of a run that has its own configures nothing.
    used = {
        id(table)
        for r in runs
        if (table := run_system_table(r.system, r.block_system, config.systems)) is not None
    }
    known = sorted(set(names))
    warnings = []
    for key, system in config.systems.items():
        if id(system) in used:
            by_name = any(
                system_table(n, {key: attrs.evolve(system, aliases=())}) is not None for n in known
            )
            close = [] if by_name else difflib.get_close_matches(key, known, n=1, cutoff=0.85)
            if close:
                # Its aliases connect it, its name is a typo of another system's (trial N2 on
                # 004: that system's runs ran [run] command, not the table's, and its block had
                # no results for the alias): the one reading that cannot be meant.
                raise ConfigError(
                    f'[systems."{key}"] names no system of the plan or tracker (only its aliases '
                    f"do); did you mean {close[0]!r}?",
                    setting=f"systems.{key}",
                    file=config.file,
                    line=config.line_of(f"systems.{key}"),
                )
            continue
        if (twin := _twin_table(config, key, system, known, runs)) is not None:
            message = twin
        else:
            message = _unused_table(config, key, system, known, runs, plan)
        line = config.line_of(f"systems.{key}")
        if config.ablations:  # the table may be meant for the ablation planner's proposals
            warnings.append(
                PlanWarning(file=config.file or "bridge.toml", line=line or 0, message=message)
            )
            continue
        raise ConfigError(message, setting=f"systems.{key}", file=config.file, line=line)
    return warnings


def _twin_table(
    config: Config, key: str, system: SystemConfig, known: Sequence[str], runs: Sequence[RunSpec]
) -> str | None:
    """
    Why the unused table ``key`` configures no run when another table names the same system
    (as written, or with other case or punctuation: 012's `[systems."bounded DTU weighted macro
    head"]` beside `[systems."bounded DTU-weighted macro head"]`, 018's `"Harness only"` beside
    `"Harness-only"`): a run takes one table, the other's, so the two are to be merged. Before,
    it read "names no system …; did you mean 'bounded DTU-weighted macro head'", the very
    system it names, or "names the block's system of JPH-B2-HO-S0" (trial t16). None when no
    other table takes a system ``key`` names.
    """
    for name in known:
        if system_table(name, {key: system}) is None:
            continue
        other = match_system(name, config.systems)
        if other is None or other is system:
            continue
        ids = [
            r.id
            for r in runs
            if run_system_table(r.system, r.block_system, config.systems) is other
            and name in (r.system, r.block_system)
        ]
        at = config.line_of(f"systems.{other.name}")
        where = f" ({config.file or 'bridge.toml'}:{at})" if at else ""
        of = f" ({', '.join(ids[:6])}{', …' if len(ids) > 6 else ''})" if ids else ""
        return (
            f'[systems."{key}"] and [systems."{other.name}"]{where} both name the system '
            f'{name!r}{of}, and a run takes one table only, [systems."{other.name}"]: merge '
            f'what [systems."{key}"] sets into that table'
        )
    return None


def _unused_table(
    config: Config,
    key: str,
    system: SystemConfig,
    known: Sequence[str],
    runs: Sequence[RunSpec],
    plan: Plan,
) -> str:
    """Why the table ``key``, which no run takes and no other table shadows, configures none."""
    contains = [n for n in known if _fold(key) in _fold(n) or _fold(n) in _fold(key)]
    hint = did_you_mean(key, known, most=3, fallback=contains)
    listed = f"{', '.join(repr(n) for n in known[:10])}{', …' if len(known) > 10 else ''}"
    compared = [b.id for b in plan.blocks if any(system_table(n, {key: system}) for n in b.systems)]
    owned = [
        r
        for r in runs
        if r.block_system and system_table(r.block_system, {key: system}) is not None
    ]
    if owned:
        # The table each of those runs takes, named: "that table" alone left the researcher to
        # find it (012's "variant 3", an alias of R005's own table, trial t16).
        taken = sorted(
            {
                f'[systems."{table.name}"]'
                for r in owned
                if (table := run_system_table(r.system, r.block_system, config.systems))
            }
        )
        ids = ", ".join(r.id for r in owned[:6])
        one = len(owned) == 1
        tables = ", ".join(taken)  # never empty: a run with no own table would take this one
        return (
            f'[systems."{key}"] names the block\'s system of {ids}, which '
            f"take{'s' if one else ''} the table of {'its' if one else 'their'} own system's "
            f"name instead ({tables}), so it configures no run: set what it sets in "
            f"{'that table' if len(taken) == 1 else 'those tables'}"
        )
    if known and compared:
        return (
            f'[systems."{key}"] names a compared system of {", ".join(compared)} that no run '
            "stands for, so it would configure no run: a table configures the runs whose "
            "system it names, as the tracker writes it or as `bridge plan` shows it beside "
            f"the run{hint} (systems of runs: {listed})"
        )
    if known:
        return f'[systems."{key}"] names no system of the plan or tracker{hint} (systems: {listed})'
    return _no_systems_at_all(key, runs)


def _dead_aliases(plan: Plan, config: Config) -> list[PlanWarning]:
    """
    A ``[systems]`` alias that names no block's compared system connects nothing: a typo, or a
    name shortened past what the plan writes, and the runs it was meant to place stay where
    they were, without a word (trial O1: "Totally unknown name" was silent).
    """
    if not plan.blocks:
        return []
    attributor = Attributor(plan, config.systems)
    systems = sorted({s for b in plan.blocks for s in b.systems})
    warnings = []
    for key, table in config.systems.items():
        for alias in table.aliases:
            if attributor.names_a_system(alias):
                continue
            hint = did_you_mean(alias, systems, most=2)
            warnings.append(
                PlanWarning(
                    file=config.file or "bridge.toml",
                    line=config.line_of(f"systems.{key}") or 0,
                    message=f'[systems."{key}"] aliases: {alias!r} names no compared system of '
                    f"any block{hint}; an alias connects the table's runs to a block's system as "
                    "the plan writes it",
                )
            )
    return warnings


def _placeholder_outputs(config: Config) -> None:
    tables = [("run.outputs", config.run.outputs)] + [
        (f"systems.{name}.outputs", s.outputs or ()) for name, s in config.systems.items()
    ]
    for setting, outputs in tables:
        for output in outputs:
            if _PLACEHOLDER.search(output):
                plain = _PLACEHOLDER.sub("", output).lstrip("/") or "metrics.json"
                raise ConfigError(
                    f"{setting}: {output!r} has a placeholder; outputs are paths inside the "
                    f"run's output directory and are not expanded: write {plain!r}",
                    setting=setting,
                    file=config.file,
                    line=config.line_of(setting),
                )


def _listed(ids: Sequence[str]) -> str:
    return f"{', '.join(ids[:10])}{', …' if len(ids) > 10 else ''}" if ids else "none"


def _rule_scopes(plan: Plan, config: Config, runs: Sequence[RunSpec]) -> list[PlanWarning]:
    """
    Every ``blocks`` id and ``runs`` glob of ``[[metrics.extract]]`` and ``[[metrics.regex]]``
    names something.

    Raises:
        ConfigError: a block id the plan does not have, or a glob no run matches (naming the
            setting, its line and the closest ids).
    """
    blocks = [b.id for b in plan.blocks]
    run_ids = [r.id for r in runs]
    # A row split into seeds is named by its id still: the rule is for its seeds' runs
    # (025's A3 after `0, 1`: `runs = ["A3"]` was refused, "did you mean 'A3-s1'").
    rows = [row for r in runs if (row := seed_row(r.id, r.seed)) is not None]
    warnings: list[PlanWarning] = []
    scoped: list[tuple[str, ScopedRule]] = [
        (f"metrics.{kind}[{index}]", rule)
        for kind, kinds in (("extract", config.metrics.extract), ("regex", config.metrics.regex))
        for index, rule in enumerate(kinds)
    ]
    for name, rule in scoped:
        for block in rule.blocks:
            if normalise_block_id(block) in blocks:
                continue
            setting = f"{name}.blocks"
            raise ConfigError(
                f"{setting}: {block!r} is not a block of the plan"
                f"{did_you_mean(normalise_block_id(block), blocks)} (blocks: {_listed(blocks)})",
                setting=setting,
                file=config.file,
                line=config.line_of(setting),
            )
        # Without runs no glob could match one: `bridge run` says there is nothing to run.
        for pattern in rule.runs if runs else ():
            if any(fnmatch.fnmatchcase(run_id, pattern) for run_id in [*run_ids, *rows]):
                continue
            setting = f"{name}.runs"
            hint = did_you_mean(pattern, run_ids, most=3)
            message = f"{setting}: {pattern!r} matches no run{hint} (runs: {_listed(run_ids)})"
            line = config.line_of(setting)
            if config.ablations:  # proposed ablation runs may be the ones the rule is for
                warnings.append(
                    PlanWarning(file=config.file or "bridge.toml", line=line or 0, message=message)
                )
                continue
            raise ConfigError(message, setting=setting, file=config.file, line=line)
    return warnings


def _explicit_blocks(plan: Plan, config: Config) -> None:
    """
    Every block ``bridge.toml`` sets for runs (``[[runs]]``, ``[grid]`` and its phases,
    ``[systems."NAME"]``) is a block of the plan: a typo would otherwise leave the runs in no
    block, so they would be run and never judged. A plan without blocks is left to the
    attribution's warning (no block could be right).

    Raises:
        ConfigError: the first such block the plan does not have, with the setting, its line
            and the closest ids.
    """
    blocks = [b.id for b in plan.blocks]
    if not blocks:
        return
    named = [(f"runs[{i}].block", entry.block) for i, entry in enumerate(config.runs)]
    named += [(f"systems.{name}.block", system.block) for name, system in config.systems.items()]
    if config.grid is not None:  # a phase without a block of its own takes the grid's
        named += [
            (
                f"grid.phases[{i}].block"
                if f"grid.phases.{i}.block" in config.key_lines
                else "grid.block",
                phase.block,
            )
            for i, phase in enumerate(config.grid.phases)
        ]
    for setting, block in named:
        if not block or normalise_block_id(block) in blocks:
            continue
        line = config.line_of(setting)
        raise ConfigError(
            f"{setting}: {block!r} is not a block of the plan"
            f"{did_you_mean(normalise_block_id(block), blocks)} (blocks: {_listed(blocks)}); "
            "its runs would be run and never judged",
            setting=setting,
            file=config.file,
            line=line,
        )


def _unknown_primary(
    plan: Plan, config: Config, runs: Sequence[RunSpec], recorded: Collection[str]
) -> list[PlanWarning]:
    """
    ``[metrics] primary`` named nowhere the plan, the tracker or ``[metrics]`` speaks of
    metrics: most likely a typo, which would leave the key metric chosen by other rules without
    a word. A warning, not an error: a run's files may still hold a value by that name. None
    once a run has recorded a metric of that name (``recorded``, the log's): no typo then.
    """
    metrics = config.metrics
    primary = metrics.primary.strip()
    if not primary:
        return []
    # 012 warned at every command after all its runs had recorded high_dtu_nll (trial t16 F13).
    if primary.casefold() in {name.casefold() for name in recorded}:
        return []
    names = [m for r in runs for m in r.metrics]
    names += [r.name for r in metrics.extract] + [r.name for r in metrics.regex if r.name]
    names += [*metrics.aliases, *metrics.aliases.values()]
    texts = [*names, *(m for b in plan.blocks for m in b.metrics)]
    if any(primary.casefold() in text.casefold() for text in texts):
        return []
    # A name a section of the plan lists as a word (032's "### Primary (Main Table)" metric
    # table, with no blocks to name it): the plan names it (trial O3).
    word = re.compile(rf"(?<![\w.-]){re.escape(primary)}(?![\w-])", re.IGNORECASE)
    if any(word.search(section.text) for section in plan.sections):
        return []
    known = sorted(set(names))
    # The blocks' Metrics fields are prose ("Primary: test accuracy"): their words are
    # candidates for the closest name, not names to list.
    words = {w for b in plan.blocks for m in b.metrics for w in re.findall(r"\w[\w.-]{2,}", m)}
    listed = f" (metrics: {_listed(known)})" if known else ""
    return [
        PlanWarning(
            file=config.file or "bridge.toml",
            line=config.line_of("metrics.primary") or 0,
            message=f"[metrics] primary = {primary!r} is named by no block, run or metrics rule "
            f"of the plan{did_you_mean(primary, sorted(words | set(known)))}{listed}; the key "
            "metric is the block's own where no run records this name",
        )
    ]


def runs_without_command(runs: Sequence[RunSpec]) -> list[str]:
    """
    The ids of the runs no command is configured for, in plan order, leaving out the tracker's
    rows that bridge will not launch (done before bridge, or out of scope): they need none.
    """
    return [r.id for r in runs if not r.command and not r.settled_before_bridge]


# A seed a tracker Command cell passes (029's R041 `… --seed 42 --no-grid`).
_COMMAND_SEED = lazy(r"--(?:random[-_])?seed(?:=|\s+)(\d+)\b", re.IGNORECASE)
_COMMAND_HEADER = lazy(r"\W*(?:command|cmd|命令)\W*", re.IGNORECASE)


def _seed_in_command_cell(plan: Plan, runs: Sequence[RunSpec]) -> list[PlanWarning]:
    """
    A warning per seed that tracker rows' Command cells pass while their runs do not run with
    it: bridge runs bridge.toml's command, never a tracker cell, so 029's R041 and R042
    (`--seed 42`) had no seed of their own and a retry would pass ``[run] args``' seed, with
    no word. The Seed column, or ``seed N`` in the Notes, is what gives a row its seed.
    """
    by_id = {r.id: r for r in runs}
    said: dict[tuple[str, str], list[tuple[str, str, int]]] = {}
    for row in plan.tracker_runs:
        spec = by_id.get(row.id)
        cells = [c for h, c in row.columns.items() if _COMMAND_HEADER.fullmatch(plain(h))]
        found = [m.group(1) for c in cells for m in _COMMAND_SEED.finditer(c)]
        if spec is None or not found or str(spec.seed) == found[0]:
            continue
        given = spec.params.get("seed")
        if spec.seed is not None:
            runs_with = f"run with seed {spec.seed}"
        elif given is not None:
            runs_with = f"have no seed of their own, so {{seed}} is bridge.toml's {given!r}"
        else:
            runs_with = "have no seed of their own"
        said.setdefault((found[0], runs_with), []).append((row.id, row.file, row.line))
    warnings = []
    for (seed, runs_with), rows in said.items():
        ids = first_six_named([i for i, _, _ in rows])
        warnings.append(
            PlanWarning(
                file=rows[0][1],
                line=rows[0][2],
                message=f"the tracker's Command cells of {ids} pass --seed {seed}, which bridge "
                f"does not read (it runs bridge.toml's command, not the tracker's): these runs "
                f"{runs_with}; to run them with seed {seed}, give the tracker a Seed column (or "
                f"write 'seed {seed}' in their Notes)",
            )
        )
    return warnings


def check_against_runs(
    plan: Plan, config: Config, runs: Sequence[RunSpec], recorded: Collection[str] = ()
) -> list[PlanWarning]:
    """
    Check ``config`` against the assembled runs; ``recorded``: the metric names the project's
    log holds values of (a ``[metrics] primary`` among them is no typo).

    Returns:
        Warnings to show with the plan (the runs without a command, all in one).

    Raises:
        ConfigError: an unknown ``[systems."NAME"]`` table (a warning instead when
            ``[ablations]`` is configured: its proposals may use it), a placeholder in
            ``outputs``, a ``block`` for runs that the plan does not have, or a
            ``[[metrics.extract]]`` or ``[[metrics.regex]]`` scope naming an unknown block or
            matching no run (a warning for the runs glob with ``[ablations]``); file:line and
            the setting named.
    """
    # The names a table can configure a run by: its own system, or the block's compared
    # system it stands for, as `bridge plan` shows it (run_system_table). A compared system
    # no run stands for configures nothing: 001's `[systems."E4: …"]` was accepted as B2's
    # system while R005, its run, took its settings from its tracker name only (trial t15).
    names = [n for r in runs for n in (r.system, r.block_system) if n]
    warnings = _unknown_systems(config, names, runs, plan) if runs else []
    _placeholder_outputs(config)
    _explicit_blocks(plan, config)
    warnings += _rule_scopes(plan, config, runs)
    warnings += _unknown_primary(plan, config, runs, recorded)
    warnings += _dead_aliases(plan, config)
    warnings += _seed_in_command_cell(plan, runs)
    missing = runs_without_command(runs)
    if not missing:
        return warnings
    shown = ", ".join(missing[:20]) + (f", … ({len(missing)} in all)" if len(missing) > 20 else "")
    which = (
        f"none of the {len(missing)} runs has a command"
        if len(missing) == len(runs)
        else f"{len(missing)} {'run has' if len(missing) == 1 else 'runs have'} no command: {shown}"
    )
    # 029's tracker has a Command column (trial M1): bridge does not run what a tracker cell
    # says (its commands are the researcher's record, templates like `--model {lr,rf,xgb}`),
    # and said nothing of it.
    written = next(
        (
            header
            for row in plan.tracker_runs
            if row.id in missing
            for header, cell in row.columns.items()
            if _COMMAND_HEADER.fullmatch(header) and cell.strip()
        ),
        None,
    )
    unread = (
        f" (the tracker's {written!r} column is not run: copy what it says into bridge.toml)"
        if written
        else ""
    )
    return [
        *warnings,
        PlanWarning(
            file=config.file or "bridge.toml",
            line=config.line_of("run.command") or 0,
            message=f"{which}{unread}; set [run] command in "
            'bridge.toml (or command in the system\'s [systems."NAME"] table), or, for a run that '
            "cannot run here, mark its tracker row NOT RUN — <reason>",
        ),
    ]


# GPU time named in a Cost cell, with or without a number ("GPU-hour/seed", «GPU 小时»).
_GPU_TIME = lazy(
    r"\bGPU[-\s]?(?:hours?|hrs?|h|days?)\b|GPU\s*(?:小时|时|天)|\bGPUh\b", re.IGNORECASE
)


def gpu_cost_without_gpus(
    milestones: Sequence[Milestone],
    config: Config,
    runs: Sequence[RunSpec],
    budget: Budget | None = None,
) -> list[PlanWarning]:
    """
    One warning when the plan states GPU-hours while no run asks for a GPU and ``bridge.toml``
    sets ``gpus`` nowhere: the runs take the default (0, the CPU), so they would start without a
    GPU and the estimate reads 0 GPU-hours. The GPU-hours are those of the milestones' Cost
    (at the first such milestone), else those the tracker's GPU-hours column gives its rows
    (026's ``Est GPU-h``, at the first such row), else the plan's compute budget (032's
    "~2,500 GPU-hours"), else a Cost naming GPU time with no number (039's M3 «数个
    GPU-hour/seed»). Silent once ``gpus`` is set anywhere (the researcher chose).
    """
    if any(key.rpartition(".")[2] == "gpus" for key in config.key_lines):
        return []
    live = [r for r in runs if not r.settled_before_bridge]
    # Rows done before bridge or out of scope start nothing: their milestone is not named.
    stated = [m for m in milestones if m.gpu_hours and [r for r in live if r.milestone == m.id]]
    if stated:
        hours = ", ".join(f"{m.id} {m.gpu_hours:g}" for m in stated)
        file, line, said = (
            stated[0].file,
            stated[0].line,
            f"the plan's Cost gives GPU-hours ({hours} GPU-h)",
        )
    elif rows := [r for r in live if r.stated_gpu_hours and r.gpus == 0]:
        # Per row, as the tracker writes it (a row naming three seeds is one cell, not three).
        per_row: dict[tuple[str, int], tuple[str, float]] = {}
        for r in rows:
            assert r.stated_gpu_hours is not None  # the filter's
            row_id = re.sub(r"-s\d+$", "", r.id) if r.seed is not None else r.id
            _, before = per_row.get((r.file, r.line), (row_id, 0.0))
            per_row[r.file, r.line] = (row_id, before + r.stated_gpu_hours[1])
        listed = [f"{row_id} {hours:g}" for row_id, hours in per_row.values()]
        hours = ", ".join(listed[:6]) + (", …" if len(listed) > 6 else "")
        column = rows[0].stated_gpu_hours[0] if rows[0].stated_gpu_hours else ""
        file, line = rows[0].file, rows[0].line
        said = f"the tracker's {column!r} column gives GPU-hours ({hours})"
    elif budget is not None and budget.gpu_hours and live and all(r.gpus == 0 for r in live):
        file, line = budget.file, budget.line
        said = f"the plan's compute budget is {budget.gpu_hours:g} GPU-h"
    elif worded := [
        m
        for m in milestones
        if m.gpu_hours is None
        and _GPU_TIME.search(m.cost_raw)
        and [r for r in live if r.milestone == m.id]
    ]:
        # 039's M3 «数个 GPU-hour/seed»: GPU time with no number; its runs would start on the
        # CPU as well, and the estimate read "~0.00" with no word of it.
        costs = ", ".join(f"{m.id} «{m.cost_raw}»" for m in worded)
        file, line = worded[0].file, worded[0].line
        said = f"the plan's Cost counts GPU time ({costs})"
    else:
        return []
    return [
        PlanWarning(
            file=file or config.file or "bridge.toml",
            line=line,
            message=f"{said} but no run asks for a "
            "GPU: without `gpus` in bridge.toml every run gets 0 GPUs (the CPU) and counts "
            '0 GPU-h in the estimate; set [run] gpus (or gpus in a [systems."NAME"] table or '
            "a [[runs]] entry), or gpus = 0 where the runs are meant for the CPU",
        )
    ]


def priority_disagreements(plan: Plan, runs: Sequence[RunSpec]) -> list[PlanWarning]:
    """
    One warning per block whose stated Priority disagrees with the Priority cells of its runs'
    tracker rows (none of them shares it), at the block's Priority: the block's priority
    decides whether its verdict is counted among the must-run blocks', a run's whether its
    failure holds its milestone, so a disagreement splits one intent two ways. 014's B4
    "CONDITIONAL MUST-RUN" read as nice-to-have (``4 must-run, 1 nice-to-have``) while the
    tracker made its run R007 MUST, with no word of it. A block some of whose runs share its
    priority is not split (an appendix run marked NICE in a must-run block). Blocks or rows
    that state no priority, cut blocks and cut or deferred rows are not compared.
    """
    rows = {row.id: row for row in plan.tracker_runs}
    warnings: list[PlanWarning] = []
    for block in plan.blocks:
        if block.priority is None and not block.priority_raw:
            warnings += _unstated_block_priority(block, runs, rows)
            continue
        if block.priority not in (Priority.MUST, Priority.NICE):
            continue
        stated = Priority(block.priority)
        other: list[tuple[str, str, int]] = []
        agree = 0
        for run in runs:
            if run.block != block.id or run.source != "tracker" or run.task:
                continue
            row = rows.get(run.id) or rows.get(seed_row(run.id, run.seed) or "")
            if row is None or row.priority not in (Priority.MUST, Priority.NICE):
                continue
            if Priority(row.priority) is not stated:
                other.append((run.id, row.file, row.line))
            else:
                agree += 1
        # A must-run block with an appendix run or two marked NICE beside must-run ones (012's
        # B4) is one intent: only a block none of whose own runs shares its priority is said
        # (004's B2, whose one own run R301 is NICE, "skippable if timeline slips", is).
        if not other or agree:
            continue
        raw = " ".join(block.priority_raw.replace("*", "").split()).rstrip(".。")
        word = "nice-to-have" if stated is Priority.NICE else "must-run"
        theirs = "must-run" if stated is Priority.NICE else "nice-to-have"
        why = (
            f"{raw!r} holds only under a condition bridge cannot check, so it reads as nice-to-have"
            if stated is Priority.NICE and _CONDITIONAL_PRIORITY.match(raw)
            else f"{raw!r} reads as {word}"
        )
        ids = ", ".join(run_id for run_id, _, _ in other)
        file, line = other[0][1], other[0][2]
        where = f"{file}:{line}" if line else file
        fix = (
            f"write `Priority: MUST-RUN` in {block.id} to count it as must-run, or NICE in the "
            "tracker's Priority cell"
            if stated is Priority.NICE
            else f"write the same priority in {block.id} and the tracker's Priority cells"
        )
        warnings.append(
            PlanWarning(
                file=block.file,
                line=_priority_line(plan, block.id) or block.line,
                message=f"{block.id}'s priority {why}, but the tracker makes its "
                f"{'run' if len(other) == 1 else 'runs'} {ids} {theirs} ({where}): the "
                f"block's verdict counts as {word}, while a failure of "
                f"{'that run' if len(other) == 1 else 'those runs'} "
                f"{'holds' if theirs == 'must-run' else 'does not hold'} its milestone; {fix}",
            )
        )
    return warnings


def _unstated_block_priority(
    block: Block, runs: Sequence[RunSpec], rows: Mapping[str, TrackerRun]
) -> list[PlanWarning]:
    """
    The warning for a block that states no priority (read as must-run) while every one of its
    runs whose row states one is nice-to-have: 025's ablations `### A3: 注入层数`, P1 in the
    plan's run table, were counted among the unmet must-run blocks with no word of it.
    """
    nice: list[tuple[str, str, int]] = []
    for run in runs:
        if run.block != block.id or run.source != "tracker" or run.task:
            continue
        row = rows.get(run.id) or rows.get(seed_row(run.id, run.seed) or "")
        if row is None or row.priority not in (Priority.MUST, Priority.NICE):
            continue
        if Priority(row.priority) is Priority.MUST:
            return []
        nice.append((run.id, row.file, row.line))
    if not nice:
        return []
    ids = ", ".join(run_id for run_id, _, _ in nice)
    file, line = nice[0][1], nice[0][2]
    where = f"{file}:{line}" if line else file
    return [
        PlanWarning(
            file=block.file,
            line=block.line,
            message=f"{block.id} states no priority, so it reads as must-run (its verdict "
            f"counts among the must-run blocks'), but its {'run' if len(nice) == 1 else 'runs'} "
            f"{ids} {'is' if len(nice) == 1 else 'are'} nice-to-have ({where}); write "
            f"`Priority: NICE` in {block.id} to count it as nice-to-have, or MUST in the runs' "
            "Priority cells",
        )
    ]


def unread_block_priorities(plan: Plan) -> list[PlanWarning]:
    """
    One warning per block whose Priority field is written but names no priority (020's B5
    «优先级：AFTER CORE GATES；不是 first pilot 前置项»), at that field: such a block is read
    as must-run, its verdict counted among the must-run blocks' (``7 个必做``), with no word of
    it, as a tracker row's Priority that names none is said (:mod:`bridge.plan.runs`).
    """
    warnings: list[PlanWarning] = []
    for block in plan.blocks:
        said = " ".join(block.priority_raw.replace("*", "").split()).rstrip(".。")
        if said and block.priority is None:
            warnings.append(
                PlanWarning(
                    file=block.file,
                    line=_priority_line(plan, block.id) or block.line,
                    message=f"{block.id}: the Priority {said!r} names no priority (MUST, NICE, "
                    "CUT, P0 …): the block is read as must-run, its verdict counted among the "
                    f"must-run blocks'; write MUST-RUN or NICE-TO-HAVE in {block.id}'s Priority",
                )
            )
    return warnings


def _priority_line(plan: Plan, block_id: str) -> int:
    """The 1-based line of ``block_id``'s Priority field, or 0 when it has none."""
    block = next(b for b in plan.blocks if b.id == block_id)
    for field in block.fields:
        if field.key == "priority":
            return field.line
    return 0
