"""
What the pipeline records about the plan, and the texts it builds from it.

Kept apart from :mod:`bridge.pipeline` so that module stays about the stages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from bridge.adapters.metrics import (
    Extraction,
    MetricsSpec,
    RegexRule,
    extract_metrics,
    match_metric,
)
from bridge.adapters.wandb import WandbSource
from bridge.errors import ConfigError
from bridge.events import types as ev
from bridge.events.secrets import redact
from bridge.machine.fold import PipelineState
from bridge.machine.measurements import QualityFlag, UnreadOutput, summarise_history
from bridge.machine.ports import ProposedRun
from bridge.machine.quality import QualitySettings, check_quality
from bridge.plan import BUILTIN_PLACEHOLDERS, LoadedProject, match_system, render_argv
from bridge.plan.config import MetricsConfig

__all__ = [
    "approval_summary",
    "collect_metrics",
    "input_digests",
    "merge_extractions",
    "metric_aliases",
    "metrics_spec",
    "plan_events",
    "plan_excerpt",
    "proposed_run_events",
    "setup_params",
    "wandb_source",
]


def _sha(project: LoadedProject, rel: str | None) -> str:
    if not rel:
        return ""
    try:
        return hashlib.sha256((project.root / rel).read_bytes()).hexdigest()
    except OSError:
        return ""


def plan_events(project: LoadedProject) -> list[tuple[str, Sequence[Any]]]:
    """
    The events that record a loaded plan: ``PlanLoaded`` then one ``RunPlanned`` per run.
    """
    plan = project.plan
    options = project.options
    evaluation = project.config.evaluation
    blocks = tuple(
        ev.BlockInfo(
            id=b.id,
            title=b.title,
            priority=b.priority or "must",
            systems=b.systems,
            metrics=b.metrics,
            success_criterion=b.success_criterion,
            seed_count=b.seed_count,
            evaluation_type=evaluation.get(b.id, "real_gt"),
        )
        for b in plan.blocks
    )
    milestones = tuple(
        ev.MilestoneInfo(
            id=m.id,
            name=m.name,
            goal=m.goal,
            sanity=m.sanity,
            blocks=m.blocks,
            gpu_hours=m.gpu_hours,
        )
        for m in project.milestones
    )
    sources = {k: v for k, v in project.sources.items() if v}
    loaded = ev.PlanLoaded(
        title=plan.title,
        plan_path=sources.get("plan", ""),
        plan_sha256=_sha(project, sources.get("plan")),
        language=plan.language,
        sources=sources,
        options={
            name: str(getattr(options, name)).lower()
            if isinstance(getattr(options, name), bool)
            else redact(str(getattr(options, name)))  # base_repo may carry a token
            for name in _option_names(options)
        },
        milestones=milestones,
        blocks=blocks,
        budget_gpu_hours=plan.budget.gpu_hours,
        warnings=tuple(f"{w.file}:{w.line}: {w.message}" for w in project.warnings)[:200],
        inputs=input_digests(project),
    )
    run_cfg = project.config.run
    out: list[tuple[str, Sequence[Any]]] = [("bridge", [loaded])]
    for spec in project.runs:
        out.append(
            (
                f"run:{spec.id}",
                [
                    ev.RunPlanned(
                        run_id=spec.id,
                        milestone=spec.milestone,
                        block=spec.block,
                        system=spec.system,
                        seed=spec.seed,
                        priority=spec.priority,
                        purpose=spec.purpose,
                        split=spec.split,
                        metrics=spec.metrics,
                        command=spec.command,
                        params=dict(spec.params),
                        outputs=spec.outputs,
                        estimated_minutes=spec.estimated_minutes,
                        gpus=spec.gpus,
                        timeout_minutes=spec.timeout_minutes,
                        env=dict(spec.env),
                        cwd=spec.cwd,
                        depends_on=spec.depends_on,
                        max_retries=run_cfg.max_retries,
                        oom_max_attempts=run_cfg.oom_max_attempts,
                        source=spec.source,
                        notes=spec.notes,
                    )
                ],
            )
        )
    return out


def input_digests(project: LoadedProject) -> dict[str, str]:
    """
    The sha256 of every input the plan was read from (plan, tracker, proposal, ideas and
    ``bridge.toml``), by path relative to the project: what tells a changed input.
    """
    paths = [p for p in project.sources.values() if p]
    if project.config.path is not None:
        paths.append(str(project.config.path.relative_to(project.root)))
    return {rel: _sha(project, rel) for rel in sorted(set(paths))}


def _option_names(options: Any) -> list[str]:
    import attrs

    return [f.name for f in attrs.fields(type(options))]


def setup_params(project: LoadedProject) -> dict[str, tuple[str, ...]]:
    """
    Per block, the hyperparameter names its setup text names (``lr = 0.1``, ``--epochs``).
    """
    import re

    found: dict[str, tuple[str, ...]] = {}
    for block in project.plan.blocks:
        names = re.findall(r"(?:--)?\b([a-z][a-z0-9_]{1,30})\s*(?:=|:)\s*[-+0-9.e]+", block.setup)
        flags = re.findall(r"--([a-z][a-z0-9_-]{1,30})", block.setup)
        found[block.id] = tuple(dict.fromkeys([*names, *flags]))
    return found


def plan_excerpt(project: LoadedProject) -> str:
    """
    The parts of the plan the code must implement: title, problem, thesis and the blocks.
    """
    plan = project.plan
    parts = [f"# {plan.title}", plan.problem, plan.thesis]
    for block in plan.blocks:
        parts.append(
            f"## {block.id} {block.title}\nsystems: {', '.join(block.systems)}\n"
            f"metrics: {', '.join(block.metrics)}\nsetup: {block.setup}\n"
            f"success: {block.success_criterion}"
        )
    return "\n\n".join(p for p in parts if p)[:20_000]


def approval_summary(project: LoadedProject, state: PipelineState) -> str:
    """
    What a person approves: milestones, runs per milestone, estimated GPU-hours.
    """
    lines = []
    total = 0.0
    for milestone in project.milestones:
        runs = state.runs_in(milestone.id)
        hours = sum(r.spec.gpus * (r.spec.estimated_minutes or 0) / 60 for r in runs)
        total += hours
        flag = " (sanity)" if milestone.sanity else ""
        lines.append(f"{milestone.id}{flag} {milestone.name}: {len(runs)} runs, ~{hours:.2f} GPU-h")
    budget = project.plan.budget.gpu_hours
    lines.append(
        f"estimated total: ~{total:.2f} GPU-h" + (f" of {budget:g} budgeted" if budget else "")
    )
    lines.append(f"backend: {project.options.backend}; max_parallel {project.options.max_parallel}")
    return "\n".join(lines)


def metrics_spec(config: MetricsConfig) -> MetricsSpec:
    """
    Translate ``[metrics]`` into what the extraction adapter reads from one attempt directory.

    Extraction runs over the attempt directory (``.bridge/runs/RUN/ATTEMPT``), so the configured
    file globs are taken inside its ``output/`` folder; a regex rule reads ``output/FILE`` and,
    when ``FILE`` is a plain file name (``stdout.log``), also the attempt's own ``FILE`` (where
    the backends put the captured stdout and stderr).

    Raises:
        ConfigError: a regex does not compile or has no group (setting ``metrics.regex``).
    """
    rules: list[RegexRule] = []
    for rx in config.regex:
        rules.append(RegexRule(name=rx.name, pattern=rx.pattern, files=f"output/{rx.file}"))
        if "/" not in rx.file and not any(c in rx.file for c in "*?["):
            rules.append(RegexRule(name=rx.name, pattern=rx.pattern, files=rx.file))
    return MetricsSpec(
        files=tuple(f"output/{glob}" for glob in config.files),
        regex=tuple(rules),
        aliases=metric_aliases(config),
    )


def metric_aliases(config: MetricsConfig) -> dict[str, tuple[str, ...]]:
    """
    ``[metrics] aliases`` (alternative name → canonical name) as the matcher's plan name →
    extracted names, in both directions: a plan may use either name, and so may a file.
    """
    out: dict[str, list[str]] = {}
    for alternative, canonical in sorted(config.aliases.items()):
        out.setdefault(canonical, []).append(alternative)
        out.setdefault(alternative, []).append(canonical)
    return {name: tuple(dict.fromkeys(targets)) for name, targets in sorted(out.items())}


def _block_primary(metrics: Sequence[str]) -> str:
    for item in metrics:
        if item.lower().startswith("primary:"):
            return item.split(":", 1)[1].split(",")[0].strip()
    return metrics[0].split(",")[0].strip() if metrics else ""


def _key_metric(
    candidates: Sequence[str], names: Sequence[str], aliases: Mapping[str, Sequence[str]]
) -> str:
    for candidate in candidates:
        if not candidate:
            continue
        try:
            found = match_metric(candidate, names, aliases)
        except ConfigError:
            continue  # ambiguous for this candidate: try the next one rather than guess
        if found is not None:
            return found
    return ""


def collect_metrics(project: LoadedProject, state: PipelineState, run_id: str) -> list[Any]:
    """
    Read a finished run's metrics from its latest attempt's files (and from W&B when
    ``[metrics.wandb]`` is configured) and check training quality.

    W&B's values and histories are merged after the files': on a name clash the file wins (its
    bytes can be re-hashed by ``bridge verify``; a W&B answer cannot be fetched again
    identically), and the W&B number is not recorded. The quality checks run on the merged
    histories. W&B not answering, refusing the key or not knowing the run is recorded as a
    problem with the ``wandb:`` source and the reason, and the files' numbers stand alone.

    Args:
        project: the loaded project (``[metrics]`` settings, the root).
        state: the pipeline state, in which the run's latest attempt has ended.
        run_id: the run.

    Returns:
        ``[MetricsRecorded]`` for the run's stream, or ``[]`` when the run has no finished
        attempt. Files that matched but could not be read are recorded as problems.

    Raises:
        ConfigError: a ``[metrics]`` regex is unusable (setting ``metrics.regex``), or the
            ``[metrics.wandb]`` table is wrong (``validate`` refuses it earlier).
    """
    run = state.runs.get(run_id)
    attempt = run.current if run is not None else None
    if run is None or attempt is None or attempt.finished_at is None:
        return []
    config = project.config.metrics
    spec = metrics_spec(config)
    attempt_dir = project.root / ".bridge" / "runs" / run_id / attempt.attempt_id
    extraction = extract_metrics(
        attempt_dir,
        project_root=project.root,
        run_id=run_id,
        attempt_id=attempt.attempt_id,
        config=spec,
    )
    source = wandb_source(project)
    if source is not None:
        gpu = ",".join(str(slot.gpu) for slot in attempt.slots if slot.gpu is not None)
        extraction = merge_extractions(
            extraction,
            source.fetch(
                run_id,
                {**run.spec.params, "output_dir": attempt.output_dir, "gpu": gpu},
                attempt_id=attempt.attempt_id,
            ),
        )
    lower = {name: not higher for name, higher in sorted(config.higher_is_better.items())}
    findings = check_quality(
        extraction.values,
        extraction.histories,
        settings=QualitySettings(lower_is_better=lower),
    )
    block = next(
        (b for b in (state.plan.blocks if state.plan else ()) if b.id == run.spec.block), None
    )
    candidates = [
        config.primary,
        _block_primary(block.metrics) if block is not None else "",
        *run.spec.metrics,
    ]
    return [
        ev.MetricsRecorded(
            run_id=run_id,
            attempt_id=attempt.attempt_id,
            values=extraction.values,
            histories=tuple(summarise_history(h) for h in extraction.histories),
            quality=tuple(
                QualityFlag(
                    metric=f.metric, kind=f.kind.value, message=f.message, blocking=f.blocking
                )
                for f in findings
            ),
            problems=tuple(
                UnreadOutput(source=p.source, message=p.message) for p in extraction.problems
            ),
            key_metric=_key_metric(candidates, extraction.names(), spec.aliases),
            aliases=dict(spec.aliases),
            lower_is_better=lower,
        )
    ]


def wandb_source(project: LoadedProject) -> WandbSource | None:
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
    known = set(BUILTIN_PLACEHOLDERS) | set(config.run.args)
    for system in config.systems.values():
        known |= set(system.args)
    for entry in config.runs:
        known |= set(entry.args)
    if config.grid is not None:
        for phase in config.grid.phases:
            known |= set(phase.axes)
    path = config.path
    return WandbSource.from_table(
        table,
        file=str(path.relative_to(project.root)) if path is not None else None,
        line_of=config.line_of,
        known_placeholders=known,
    )


def merge_extractions(files: Extraction, wandb: Extraction) -> Extraction:
    """
    The files' extraction followed by W&B's, a W&B value or history dropped when a file already
    gave one of that name (the file is the source ``bridge verify`` can check).

    Args:
        files: what the attempt's files gave.
        wandb: what W&B gave (values, histories, or the problem that kept it from answering).

    Returns:
        One extraction: the files' entries first, then W&B's that do not clash; all problems.
    """
    value_names = {v.name for v in files.values}
    history_names = {h.name for h in files.histories}
    return Extraction(
        values=files.values + tuple(v for v in wandb.values if v.name not in value_names),
        histories=files.histories
        + tuple(h for h in wandb.histories if h.name not in history_names),
        problems=files.problems + wandb.problems,
    )


def proposed_run_events(
    project: LoadedProject, proposal: ProposedRun, milestone: str
) -> tuple[ev.RunPlanned | None, str]:
    """
    Turn an ablation proposal into a nice-to-have ``RunPlanned`` with the configured command
    (``[run]`` overridden by the system's ``[systems]`` table and the proposal's args).

    Returns:
        The event, or None with the reason when the command cannot be rendered for it.
    """
    run = project.config.run
    system = match_system(proposal.system, project.config.systems)
    command = system.command if system is not None and system.command else run.command
    params = {**run.args, **(system.args if system is not None else {}), **proposal.args}
    for key, value in (
        ("run_id", proposal.id),
        ("system", proposal.system),
        ("seed", None if proposal.seed is None else str(proposal.seed)),
        ("block", proposal.block),
        ("milestone", milestone),
    ):
        if value:
            params[key] = value
    if not command:
        return None, f"{proposal.id}: no command configured for system {proposal.system!r}"
    try:
        render_argv(command, {**params, "output_dir": "OUT", "gpu": ""})
    except ConfigError as exc:
        return None, f"{proposal.id}: {exc}"

    def pick(name: str, default: Any) -> Any:
        value = getattr(system, name, None) if system is not None else None
        return default if value is None else value

    return (
        ev.RunPlanned(
            run_id=proposal.id,
            milestone=milestone,
            block=proposal.block,
            system=proposal.system,
            seed=proposal.seed,
            priority="nice",
            purpose=proposal.purpose,
            command=command,
            params=params,
            outputs=pick("outputs", run.outputs),
            estimated_minutes=pick("estimated_minutes", run.estimated_minutes),
            gpus=pick("gpus", run.gpus),
            timeout_minutes=pick("timeout_minutes", run.timeout_minutes),
            env={**run.env, **(system.env if system is not None else {})},
            cwd=run.cwd,
            max_retries=run.max_retries,
            oom_max_attempts=run.oom_max_attempts,
            source="ablation-planner",
        ),
        "",
    )
