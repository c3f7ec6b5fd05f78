"""
Runs: from the tracker, from ``[[runs]]`` and ``[grid]``, or proposed from the plan.

When the tracker has run tables its rows are the runs, and ``[[runs]]`` entries with the same id
add to or override them; otherwise the runs are ``[[runs]]`` and ``[grid]`` expansions; with
neither, runs are proposed as each milestone's blocks × compared systems × seeds (ids ``R001…``)
and the project needs confirmation. Every run's command template is checked here against its
placeholder values, so a missing value is an error naming the run before anything launches.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

import attrs

from bridge.errors import ConfigError
from bridge.plan.config import Config, RunEntry, SystemConfig
from bridge.plan.model import Milestone, Plan, PlanWarning, TrackerRun
from bridge.plan.quantities import block_refs
from bridge.plan.templates import placeholders

__all__ = ["RunSpec", "build_runs", "match_system"]


@attrs.frozen(kw_only=True)
class RunSpec:
    """
    One run as the scheduler sees it.

    Args:
        id: the run id.
        milestone: milestone id, ``""`` if unknown.
        block: block id, ``""`` if none.
        system: the system / variant.
        seed: the seed, None when unknown.
        priority: ``must`` or ``nice``.
        purpose: what the run is for.
        split: dataset split.
        metrics: metric names.
        status: normalised tracker status (``todo`` for runs not in a tracker).
        status_raw: the tracker's status as written.
        command: the command template's tokens, unrendered; ``()`` when none is configured.
        params: placeholder values except ``output_dir`` and ``gpu``.
        outputs: expected output globs relative to the attempt's output directory.
        estimated_minutes: expected duration, or None.
        gpus: GPUs per run (0 = CPU).
        timeout_minutes: time limit, or None.
        env: extra environment variables.
        cwd: working directory relative to the project root.
        depends_on: run ids this run waits for.
        source: ``tracker``, ``config``, ``proposed`` or ``grid``.
        file: where the run came from.
        line: 1-based line there.
        notes: the tracker row's Notes, as written (kept in the tracker bridge writes).
    """

    id: str
    milestone: str
    block: str
    system: str
    seed: int | None
    priority: str
    purpose: str
    split: str
    metrics: tuple[str, ...]
    status: str
    status_raw: str
    command: tuple[str, ...]
    params: Mapping[str, str]
    outputs: tuple[str, ...]
    estimated_minutes: float | None
    gpus: int
    timeout_minutes: float | None
    env: Mapping[str, str]
    cwd: str
    depends_on: tuple[str, ...]
    source: str
    file: str
    line: int
    notes: str = ""


def _fold(name: str) -> str:
    return re.sub(r"[\W_]+", "", name).casefold()


def match_system(name: str, systems: Mapping[str, SystemConfig]) -> SystemConfig | None:
    """
    The ``[systems."<name>"]`` table for a system: exact name first, then ignoring case/punctuation.

    Args:
        name: the run's system as written.
        systems: the configured systems.

    Returns:
        The matching table, or None.
    """
    if name in systems:
        return systems[name]
    folded = _fold(name)
    if not folded:
        return None
    for key, system in systems.items():
        if _fold(key) == folded:
            return system
    return None


@attrs.define
class _Draft:
    """
    A run being assembled (mutable until frozen into a RunSpec).
    """

    id: str
    milestone: str = ""
    block: str = ""
    system: str = ""
    seed: int | None = None
    priority: str = "must"
    purpose: str = ""
    split: str = ""
    metrics: tuple[str, ...] = ()
    status: str = "todo"
    status_raw: str = ""
    args: dict[str, str] = attrs.field(factory=dict)
    entry: RunEntry | None = None
    depends_on: tuple[str, ...] = ()
    source: str = "config"
    file: str = ""
    line: int = 0
    notes: str = ""


def _system_key(name: str) -> str:
    """
    A system name for exact comparison: without Markdown marks, case and repeated spaces.
    """
    return " ".join(name.replace("`", "").replace("*", "").split()).casefold()


@attrs.frozen(kw_only=True)
class _Assignment:
    """
    Which block a tracker run belongs to, and why when it is not certain.

    Args:
        block: the block id, ``""`` when the evidence does not name one.
        doubt: ``""`` when certain; otherwise a key grouping runs with the same doubt.
        message: the warning for the group (``{runs}`` stands for the run ids).
    """

    block: str
    doubt: str = ""
    message: str = ""


class _BlockEvidence:
    """
    The plan facts used to place tracker runs in blocks: block ids, each block's compared
    systems and each milestone's blocks.
    """

    def __init__(self, plan: Plan) -> None:
        self.order = [b.id for b in plan.blocks]
        self.ids = set(self.order)
        self.known = frozenset(b for b in self.order if not re.fullmatch(r"B\d+(?:\.\d+)?", b))
        self.by_system: dict[str, list[str]] = {}
        for block in plan.blocks:
            for system in block.systems:
                holders = self.by_system.setdefault(_system_key(system), [])
                if block.id not in holders:
                    holders.append(block.id)
        self.milestone_blocks = {
            m.id: [b for b in m.blocks if b in self.ids] for m in plan.milestones
        }

    def assign(self, run: TrackerRun) -> _Assignment:
        """
        The block of one tracker run, from the best evidence there is: the Block column; a
        single block named in the Notes (or a Milestone cell that names a block, not a
        milestone); the block whose compared systems list the run's system exactly (ignoring
        case), preferring the run's milestone's blocks; the milestone's only block.
        """
        if run.block:
            return _Assignment(block=run.block)
        noted = [b for b in block_refs(run.notes, self.known) if b in self.ids]
        if len(noted) == 1:
            return _Assignment(block=noted[0])
        if run.milestone in self.ids and run.milestone not in self.milestone_blocks:
            return _Assignment(block=run.milestone)
        in_milestone = self.milestone_blocks.get(run.milestone, [])
        holders = self.by_system.get(_system_key(run.system), []) if run.system else []
        candidates = [b for b in in_milestone if b in holders] or holders
        if len(candidates) == 1:
            return _Assignment(block=candidates[0])
        if candidates:
            listed = ", ".join(candidates)
            return _Assignment(
                block=candidates[0],
                doubt=f"system|{run.milestone}|{_system_key(run.system)}|{listed}",
                message=(
                    f"runs {{runs}} (system {run.system!r}) fit blocks {listed}, which all "
                    f"list that system; they are counted under {candidates[0]} (the first). "
                    "Add a Block column to the tracker to say which"
                ),
            )
        if len(in_milestone) == 1:
            return _Assignment(block=in_milestone[0])
        if len(in_milestone) > 1:
            listed = ", ".join(in_milestone)
            return _Assignment(
                block="",
                doubt=f"milestone|{run.milestone}|{listed}",
                message=(
                    f"runs {{runs}} of milestone {run.milestone} could belong to any of its "
                    f"blocks {listed} (no Block column, and their system is not one a block "
                    "lists); they are left without a block. Add a Block column to the tracker"
                ),
            )
        return _Assignment(block="")


def _tracker_drafts(plan: Plan, warnings: list[PlanWarning]) -> list[_Draft]:
    drafts = []
    evidence = _BlockEvidence(plan)
    doubts: dict[str, tuple[TrackerRun, str, list[str]]] = {}
    for run in plan.tracker_runs:
        assignment = evidence.assign(run)
        if assignment.doubt:
            doubts.setdefault(assignment.doubt, (run, assignment.message, []))[2].append(run.id)
        drafts.append(
            _Draft(
                id=run.id,
                milestone=run.milestone,
                block=assignment.block,
                system=run.system,
                seed=run.seed,
                priority="nice" if run.priority in ("nice", "cut") else "must",
                purpose=run.purpose,
                split=run.split,
                metrics=tuple(m.strip() for m in re.split(r"[,;，、]", run.metrics) if m.strip()),
                status=run.status,
                status_raw=run.status_raw,
                source="tracker",
                file=run.file,
                line=run.line,
                notes=run.notes,
            )
        )
    for first, message, run_ids in doubts.values():
        shown = ", ".join(run_ids[:8]) + (
            f" and {len(run_ids) - 8} more" if len(run_ids) > 8 else ""
        )
        warnings.append(
            PlanWarning(file=first.file, line=first.line, message=message.format(runs=shown))
        )
    return drafts


def _proposed(plan: Plan, warnings: list[PlanWarning]) -> list[_Draft]:
    drafts: list[_Draft] = []
    blocks = {b.id: b for b in plan.blocks}
    covered: set[str] = set()
    plan_file = plan.plan_file
    pairs: list[tuple[str, str]] = []
    for milestone in plan.milestones:
        for block_id in milestone.blocks:
            if block_id in blocks:
                pairs.append((milestone.id, block_id))
                covered.add(block_id)
    pairs += [("", b.id) for b in plan.blocks if b.id not in covered]
    for milestone_id, block_id in pairs:
        block = blocks[block_id]
        if block.priority == "cut":
            continue
        seeds: list[int | None] = list(block.seeds) or (
            list(range(block.seed_count)) if block.seed_count else [None]
        )
        if seeds == [None]:
            warnings.append(
                PlanWarning(
                    file=block.file,
                    line=block.line,
                    message=f"block {block.id} states no seeds; its proposed runs have none",
                )
            )
        systems = list(block.systems) or [""]
        for system, seed in itertools.product(systems, seeds):
            drafts.append(
                _Draft(
                    id=f"R{len(drafts) + 1:03d}",
                    milestone=milestone_id,
                    block=block_id,
                    system=system,
                    seed=seed,
                    priority="nice" if block.priority == "nice" else "must",
                    purpose=block.title,
                    split=block.dataset,
                    metrics=block.metrics,
                    source="proposed",
                    file=plan_file or block.file,
                    line=block.line,
                )
            )
    return drafts


def _grid_drafts(config: Config) -> list[_Draft]:
    grid = config.grid
    if grid is None:
        return []
    drafts: list[_Draft] = []
    by_phase: dict[str, list[_Draft]] = {}
    for phase in grid.phases:
        names = list(phase.axes)
        phase_drafts: list[_Draft] = []
        for combo in itertools.product(*(phase.axes[n] for n in names)):
            values = dict(zip(names, combo, strict=True))
            seed_text = values.pop("seed", None)
            system = values.pop("system", "")
            run_id = f"{grid.id_prefix}{len(drafts) + len(phase_drafts) + 1:03d}"
            depends: list[str] = []
            for dep in phase.depends_on:
                for other in by_phase.get(dep, []):
                    if all(
                        _axis(other, key) == _axis_value(key, values, system, seed_text)
                        for key in phase.match
                    ):
                        depends.append(other.id)
            phase_drafts.append(
                _Draft(
                    id=run_id,
                    milestone=phase.milestone,
                    block=phase.block,
                    system=system,
                    seed=int(seed_text)
                    if seed_text is not None and seed_text.lstrip("-").isdigit()
                    else None,
                    priority=phase.priority,
                    purpose=phase.name,
                    args=values,
                    depends_on=tuple(depends),
                    source="grid",
                    file=str(config.path or ""),
                    line=phase.line,
                )
            )
        by_phase[phase.name] = phase_drafts
        drafts.extend(phase_drafts)
    return drafts


def _axis(draft: _Draft, key: str) -> str | None:
    if key == "system":
        return draft.system
    if key == "seed":
        return None if draft.seed is None else str(draft.seed)
    return draft.args.get(key)


def _axis_value(key: str, values: Mapping[str, str], system: str, seed: str | None) -> str | None:
    if key == "system":
        return system
    if key == "seed":
        return seed
    return values.get(key)


def _apply_entry(draft: _Draft, entry: RunEntry) -> None:
    draft.entry = entry
    for key in ("milestone", "block", "system", "seed", "priority", "purpose"):
        value = getattr(entry, key)
        if value is not None:
            setattr(draft, key, value)
    draft.args.update(entry.args)
    if entry.depends_on:
        draft.depends_on = entry.depends_on


def build_runs(
    plan: Plan, config: Config, milestones: tuple[Milestone, ...], *, sanity_first: bool
) -> tuple[tuple[RunSpec, ...], bool, list[PlanWarning]]:
    """
    Assemble the project's runs.

    Args:
        plan: the parsed plan.
        config: the parsed bridge.toml.
        milestones: the project's milestones, in plan order (for launch order).
        sanity_first: put the sanity milestone's runs first.

    Returns:
        ``(runs, needs_confirmation, warnings)``: runs in launch order (milestone order, then
        source order); ``needs_confirmation`` is True when the runs were proposed from the plan.

    Raises:
        ConfigError: a run's command uses a placeholder that has no value for it, or a
            ``depends_on`` names an unknown run.
    """
    warnings: list[PlanWarning] = []
    drafts = _tracker_drafts(plan, warnings)
    by_id = {d.id: d for d in drafts}
    config_file = str(config.path) if config.path else "bridge.toml"
    for entry in config.runs:
        if entry.id in by_id:
            _apply_entry(by_id[entry.id], entry)
        else:
            draft = _Draft(id=entry.id, source="config", file=config_file, line=entry.line)
            _apply_entry(draft, entry)
            drafts.append(draft)
            by_id[entry.id] = draft
    for draft in _grid_drafts(config):
        if draft.id in by_id:
            raise ConfigError(
                f"grid run id {draft.id} collides with another run; set [grid] id_prefix",
                setting="grid.id_prefix",
                file=config.file,
                line=config.line_of("grid"),
            )
        drafts.append(draft)
        by_id[draft.id] = draft
    proposed = False
    if not drafts:
        drafts = _proposed(plan, warnings)
        proposed = bool(drafts)
    order = {m.id: n for n, m in enumerate(milestones)}
    sanity = next((m.id for m in milestones if m.sanity), None)

    def rank(item: tuple[int, _Draft]) -> tuple[int, int]:
        position, draft = item
        if sanity_first and sanity is not None and draft.milestone == sanity:
            return (-1, position)
        return (order.get(draft.milestone, len(order)), position)

    ordered = [d for _, d in sorted(enumerate(drafts), key=rank)]
    specs = tuple(_freeze(d, config) for d in ordered)
    known = {s.id for s in specs}
    for spec in specs:
        for dep in spec.depends_on:
            if dep not in known:
                raise ConfigError(
                    f"run {spec.id} depends on {dep!r}, which is not a run",
                    setting="depends_on",
                    file=spec.file,
                    line=spec.line,
                )
    return specs, proposed, warnings


def _freeze(draft: _Draft, config: Config) -> RunSpec:
    run = config.run
    system = match_system(draft.system, config.systems) if draft.system else None
    entry = draft.entry
    command: tuple[str, ...] = run.command
    command_key = "run.command"
    args: dict[str, str] = dict(run.args)
    outputs, estimated, gpus, timeout = (
        run.outputs,
        run.estimated_minutes,
        run.gpus,
        run.timeout_minutes,
    )
    env: dict[str, str] = dict(run.env)
    if system is not None:
        if system.command:
            command, command_key = system.command, f"systems.{system.name}.command"
        args.update(system.args)
        outputs = system.outputs if system.outputs is not None else outputs
        estimated = system.estimated_minutes if system.estimated_minutes is not None else estimated
        gpus = system.gpus if system.gpus is not None else gpus
        timeout = system.timeout_minutes if system.timeout_minutes is not None else timeout
        env.update(system.env)
    args.update(draft.args)
    if entry is not None:
        if entry.command:
            command, command_key = entry.command, f"runs.{config.runs.index(entry)}.command"
        outputs = entry.outputs if entry.outputs is not None else outputs
        estimated = entry.estimated_minutes if entry.estimated_minutes is not None else estimated
        gpus = entry.gpus if entry.gpus is not None else gpus
        timeout = entry.timeout_minutes if entry.timeout_minutes is not None else timeout
        env.update(entry.env)
    params = dict(args)
    for key, value in (
        ("run_id", draft.id),
        ("system", draft.system),
        ("seed", None if draft.seed is None else str(draft.seed)),
        ("block", draft.block),
        ("milestone", draft.milestone),
    ):
        if value:
            params[key] = value
    for token in command:
        for name in placeholders(token):
            if name not in params and name not in ("output_dir", "gpu"):
                raise ConfigError(
                    f"run {draft.id}: placeholder {{{name}}} in {command_key} has no value for "
                    f"this run (set it in the tracker, [[runs]] or [run] args)",
                    setting=command_key,
                    file=config.file,
                    line=config.line_of(command_key),
                )
    return RunSpec(
        id=draft.id,
        milestone=draft.milestone,
        block=draft.block,
        system=draft.system,
        seed=draft.seed,
        priority=draft.priority,
        purpose=draft.purpose,
        split=draft.split,
        metrics=draft.metrics,
        status=draft.status,
        status_raw=draft.status_raw,
        command=command,
        params=params,
        outputs=outputs,
        estimated_minutes=estimated,
        gpus=gpus,
        timeout_minutes=timeout,
        env=env,
        cwd=run.cwd,
        depends_on=draft.depends_on,
        source=draft.source,
        file=draft.file,
        line=draft.line,
        notes=draft.notes,
    )
