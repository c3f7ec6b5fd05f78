"""
What the pipeline records about its inputs: the plan and its runs as events, the digests that
tell a changed input, the texts built from the plan (excerpt, approval summary), and ablation
proposals turned into planned runs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import TypeVar

from bridge.errors import SecretError
from bridge.events import codec
from bridge.events import types as ev
from bridge.events.secrets import redact
from bridge.lazy_patterns import lazy
from bridge.machine.fold import PipelineState
from bridge.machine.ports import ProposedRun
from bridge.machine.stages import NOT_BRIDGES_RUN_STATES
from bridge.machine.views import TASK_DONE, TASK_NOT_RUN, TASK_NOT_RUN_TAIL
from bridge.pipeline.command_code import MAX_SCRIPTS, command_files
from bridge.plan import LoadedProject, Options, RunSpec, match_system
from bridge.plan.baselines import BASELINES_OPTION, required_baselines
from bridge.plan.directions import (
    SAID_DIRECTIONS_OPTION,
    said_directions,
    said_directions_text,
)
from bridge.plan.hyperparams import setup_hyperparameters
from bridge.plan.metric_names import (
    PLAN_METRICS_OPTION,
    UNITS_OPTION,
    plan_wide_metric_names,
    units_text,
)
from bridge.plan.milestones import stated_gate
from bridge.plan.model import Block, Milestone, Plan, TrackerRun
from bridge.plan.notes_label import BRIDGE_LABEL
from bridge.plan.overview import (
    COSTS_OPTION,
    costs_text,
    counted,
    estimate_milestone,
    own_gpu_hours,
)
from bridge.plan.plan_section import researchers_part
from bridge.plan.priority import Priority
from bridge.plan.quantities import (
    SAME_SEEDS_OPTION,
    SEEDS_TOGETHER_OPTION,
    same_seeds_text,
    seeds_together_text,
)
from bridge.plan.run_fields import run_fields
from bridge.plan.runs import same_seed_blocks
from bridge.plan.templates import AT_LAUNCH, unfilled
from bridge.plan.text import decode
from bridge.plan.vocabulary import DONE_STATUSES, OUT_OF_SCOPE_STATUSES
from bridge.projections.text import chosen_language, t
from bridge.projections.tracker_layout import WRITTEN_DIR, result_cells, template_of

__all__ = [
    "METRICS_INPUT",
    "approval_summary",
    "file_digest",
    "input_digests",
    "plan_events",
    "plan_excerpt",
    "proposed_run_events",
    "ruled_out_reason",
    "run_script_paths",
    "script_paths",
    "setup_params",
    "tracker_status_events",
    "tracker_template",
]

_T = TypeVar("_T")


def file_digest(project: LoadedProject, rel: str | None) -> str:
    """
    The sha256 of one input file, by path relative to the project, as :func:`input_digests`
    gives it (a plan's without bridge's section); ``""`` for no path or a missing file.
    """
    if not rel:
        return ""
    try:
        # Bridge's section in the plan is left out: writing it is not an edit of the plan.
        return hashlib.sha256(researchers_part((project.root / rel).read_bytes())).hexdigest()
    except OSError:
        return ""


def _claims(plan: Plan, block: Block) -> tuple[ev.ClaimInfo, ...]:
    """The claims ``block`` tests, each with its text from the claim map, or its Claim tested
    field as written when it names no claim id (see :class:`~bridge.events.ClaimInfo`)."""
    texts: dict[str, str] = {}
    for claim in plan.claims:
        texts.setdefault(claim.id, claim.text)
    if not (ids := plan.claims_of(block)):
        return (ev.ClaimInfo(id="", text=block.claim_text),) if block.claim_text else ()
    return tuple(ev.ClaimInfo(id=c, text=texts.get(c, "")) for c in ids)


def plan_events(project: LoadedProject) -> list[tuple[str, Sequence[ev.Event]]]:
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
            priority=b.priority or Priority.MUST,
            systems=b.systems,
            metrics=b.metrics,
            success_criterion=b.success_criterion,
            seed_count=b.seed_count,
            evaluation_type=evaluation.get(b.id, "real_gt"),
            status_tag=b.status_tag,
            baseline=b.baseline,
            proposed=b.proposed,
            failure_interpretation=b.failure_interpretation,
            claims=_claims(plan, b),
        )
        for b in plan.blocks
    )
    own = own_gpu_hours(project.milestones)
    milestones = tuple(
        ev.MilestoneInfo(
            id=m.id,
            name=m.name,
            goal=m.goal,
            sanity=m.sanity,
            blocks=m.blocks,
            gpu_hours=own[m.id][0],  # the milestone's own: a running total less those before
            gate=stated_gate(m.gate),
        )
        for m in project.milestones
    )
    sources = {k: v for k, v in project.sources.items() if v}
    loaded = ev.PlanLoaded(
        title=plan.title,
        plan_path=sources.get("plan", ""),
        plan_sha256=file_digest(project, sources.get("plan")),
        language=plan.language,
        sources=sources,
        # [metrics] units reach the judge through the log, beside the options (the results are
        # the log's alone); absent when none is set, so other logs stay as they were.
        options={
            **option_values(options),
            **(
                {UNITS_OPTION: units_text(project.config.metrics.units)}
                if project.config.metrics.units
                else {}
            ),
            # The blocks whose plan asks for the same seeds: their verdicts stay open while
            # the compared runs ran at different ones.
            **(
                {SAME_SEEDS_OPTION: same_seeds_text({b: w for b, (w, _, _) in same.items()})}
                if (same := same_seed_blocks(project.plan))
                else {}
            ),
            # The blocks whose seeds one command runs: a list of numbers their runs record may
            # be a value per seed, not a series whose last value stands for the run.
            **(
                {SEEDS_TOGETHER_OPTION: seeds_together_text(together)}
                if (
                    together := {
                        b.id: b.seeds_together for b in project.plan.blocks if b.seeds_together
                    }
                )
                else {}
            ),
            # Each milestone's Cost as the plan writes it: the milestones keep only its own
            # GPU-hours (018's M4 "累计 800–1600 GPUh" is 1280 there), and `bridge status`
            # names the plan's words, as `bridge plan` does.
            **(
                {COSTS_OPTION: costs_text(project.milestones)}
                if any(m.cost_raw.strip() for m in project.milestones)
                else {}
            ),
            # The metric names the plan's own metrics sections list: a criterion naming one is
            # judged on it, as `bridge plan` previews it (032's «improves AggViol over FedAvg»).
            **(
                {PLAN_METRICS_OPTION: "\n".join(named)}
                if (named := plan_wide_metric_names((s.heading, s.text) for s in plan.sections))
                else {}
            ),
            # The baselines the plan requires in a section of its own (017's "Required
            # Baselines"): judged by nothing, kept for the results to show.
            **(
                {BASELINES_OPTION: "\n".join(baselines)}
                if (baselines := required_baselines((s.heading, s.text) for s in plan.sections))
                else {}
            ),
            # The plan's words on which way its metrics are better, for the metrics nothing
            # else gives a direction (027's «FK-vs-position p95 显著下降»).
            **(
                {SAID_DIRECTIONS_OPTION: said_directions_text(said)}
                if (said := said_directions(project.plan))
                else {}
            ),
        },
        milestones=milestones,
        blocks=blocks,
        budget_gpu_hours=plan.budget.gpu_hours,
        warnings=tuple(f"{w.where}: {w.message}" for w in project.warnings)[:200],
        inputs=input_digests(project),
        tracker_text=tracker_template(project),
        method=plan.method_text(),
        stop_rules=tuple(" ".join(r.split())[:500] for r in plan.stop_rules),
        exit_criteria=tuple(" ".join(r.split())[:500] for r in plan.exit_criteria),
        checklist=tuple(
            ev.ChecklistItemInfo(text=i.text[:500], ticked=i.ticked, file=i.file, line=i.line)
            for i in plan.checklist
        ),
        tracker_results=tracker_results_written(project),
        run_gates={r.id: r.gate[:500] for r in project.runs if r.gate},
    )
    out: list[tuple[str, Sequence[ev.Event]]] = [("bridge", [loaded])]
    rows = {(r.file, r.line): r for r in plan.tracker_runs}
    for spec in project.runs:
        row = rows.get((spec.file, spec.line))
        out.append(
            (
                f"run:{spec.id}",
                [
                    ev.RunPlanned(run_id=spec.id, **run_fields(spec)),
                    *tracker_status_events(spec, results_cells(row) if row else ""),
                ],
            )
        )
        _screen(spec, out[-1][1])
    return out


def _screen(spec: RunSpec, events: Sequence[ev.Event]) -> None:
    """
    Refuse a run whose recorded form would carry a secret, naming where the run was written
    (the tracker row or the ``[[runs]]`` entry), before anything is appended.

    Raises:
        SecretError: with the run's file and line.
    """
    for event in events:
        try:
            codec.encode(event)
        except SecretError as exc:
            raise SecretError(f"{spec.file}:{spec.line}: run {spec.id}: {exc}") from None


def tracker_status_events(
    spec: RunSpec, results: str = ""
) -> list[ev.RunFoundDone | ev.RunRuledOut]:
    """
    What the researcher's tracker row says about a run before bridge touches it: an
    implementation task, done or not (``RunRuledOut``, saying so: it is no run to launch or to
    count), done before bridge (``RunFoundDone``, its ``results`` cells and its Notes as
    evidence), out of scope (``RunRuledOut``, with the reason as written), or nothing (bridge
    runs it).
    """
    if not spec.tracker_status:
        return []
    # The row that says so: the run's, or its block's in a tracker listing blocks (034).
    file, line = (
        (spec.status_file, spec.status_line) if spec.status_file else (spec.file, spec.line)
    )
    raw = " ".join(spec.status_raw.replace("**", "").split())
    notes = " ".join(spec.notes.split())
    if spec.task:
        # Before "done": a task done before bridge (001's I1-I4 DONE) is still no experiment
        # run, so it counts in no must-run total ("9/15 completed: … 4 done before bridge").
        # Not done, said so: 006's R005/R006 (Code change, TODO) read as if merely out of
        # scope, while `bridge plan` warned they were not done (trial h41H F6).
        done = (
            TASK_DONE
            if spec.status in DONE_STATUSES
            else f", not done yet (its row says {raw})"
            if raw
            else ""
        )
        return [
            ev.RunRuledOut(
                run_id=spec.id,
                status=raw,
                reason=f"{TASK_NOT_RUN} ({spec.purpose}){done}{TASK_NOT_RUN_TAIL}",
                file=file,
                line=line,
            )
        ]
    if spec.status in DONE_STATUSES:
        # Notes the results cells already say are not said again: read from an Evidence column
        # they lose its backticks (038's "`experiment-results/aiaa-environment.json`; …"), and
        # the evidence said the cell twice, as written and without them.
        said = notes and _bare(notes) in _bare(results)
        evidence = "; ".join(part for part in (results, "" if said else notes) if part)
        return [
            ev.RunFoundDone(run_id=spec.id, status=raw, evidence=evidence, file=file, line=line)
        ]
    if spec.status in OUT_OF_SCOPE_STATUSES:
        reason = ruled_out_reason(raw, notes)
        return [ev.RunRuledOut(run_id=spec.id, status=raw, reason=reason, file=file, line=line)]
    return []


# Headers of the columns where a tracker records what a row found (018's `结果/证据`, 030's
# `Result`, "Outcome", "Evidence"): a row done before bridge is quoted with them, not with its
# Notes alone (018's evidence read "does not constitute a real result", its numbers unquoted).
_RESULTS_HEADER = lazy(r"result|evidence|outcome|finding|结果|证据|结论", re.IGNORECASE)


def results_cells(row: TrackerRun) -> str:
    """
    The row's cells under a results or evidence header, joined, as written (one line each);
    not its Notes cell, which a tracker without a Notes column reads from its Evidence.
    """
    cells = []
    for header, cell in row.columns.items():
        text = " ".join(cell.split())
        if (
            _RESULTS_HEADER.search(header)
            and text
            and text not in ("-", "—")
            and text != " ".join(row.notes.split())
        ):
            cells.append(text)
    return "; ".join(cells)


def _bare(text: str) -> str:
    """``text`` without code marks, its whitespace runs one space: how two cells compare."""
    return " ".join(text.replace("`", "").split())


def ruled_out_reason(status: str, notes: str) -> str:
    """
    Why a row is out of scope, as recorded: its Status, then its Notes when they say more; the
    Notes alone when they open with the Status's word (002's "**PAUSED**" and "Paused — TC-CS
    mechanism gate failed" read "PAUSED — Paused — TC-CS …"). Only the researcher's part of the
    Notes: bridge's labelled part is no reason of theirs (021's R011, marked NOT RUN after a
    retry, gave "…；bridge：由人要求重试；bridge 此前已取消它（…）" as its reason, trial t17).
    """
    label = BRIDGE_LABEL.search(notes)
    notes = notes[: label.start()].strip() if label else notes
    if not notes or notes in status:
        return status
    said = status.casefold().strip("*_ ")
    opening = notes.casefold()
    if said and opening.startswith(said) and not opening[len(said) : len(said) + 1].isalnum():
        return notes
    return f"{status} — {notes}"


def tracker_template(project: LoadedProject) -> str:
    """
    The researcher's tracker as written (decoded; without the part bridge generates), the
    layout the tracker projection fills in; ``""`` when the project has no tracker file.
    """
    rel = project.sources.get("tracker")
    if not rel:
        return ""
    try:
        data = (project.root / rel).read_bytes()
    except OSError:
        return ""
    return template_of(decode(data, rel, replace_nul=True).replace("\r\n", "\n"))


def tracker_results_written(project: LoadedProject) -> dict[str, str]:
    """
    The Result cells of the researcher's tracker as bridge last wrote it, by run id
    (:func:`~bridge.projections.tracker_layout.result_cells` of the writer's note of that
    write): what tells its own value in such a cell from the researcher's. Empty when there is
    no tracker or no note (bridge has not written it: every cell is theirs).
    """
    rel = project.sources.get("tracker")
    if not rel:
        return {}
    try:
        data = (project.root / WRITTEN_DIR / rel).read_bytes()
    except OSError:
        return {}
    return result_cells(decode(data, rel, replace_nul=True).replace("\r\n", "\n"), rel)


def input_digests(project: LoadedProject) -> dict[str, str]:
    """
    The sha256 of every input the plan was read from (plan, tracker, proposal, ideas and
    ``bridge.toml``) and of the code the commands run (each command's entry script, present
    or not, and the Python files beside it), by path relative to the project: what tells a
    changed input. A missing file has the digest ``""``, so creating it is a change too.
    ``METRICS_INPUT`` is the digest of the ``[metrics]`` settings alone.
    """
    paths = [p for p in project.sources.values() if p]
    if project.config.path is not None:
        paths.append(str(project.config.path.relative_to(project.root)))
    paths.extend(script_paths(project))
    digests = {rel: file_digest(project, rel) for rel in sorted(set(paths))}
    # The [metrics] settings on their own: a change there re-reads collected runs' metrics.
    digests[METRICS_INPUT] = hashlib.sha256(repr(project.config.metrics).encode()).hexdigest()
    return digests


METRICS_INPUT = "bridge.toml [metrics]"


def script_paths(project: LoadedProject) -> list[str]:
    """
    The code the runs' commands name, relative to the project, as :func:`run_script_paths`
    finds it for each run: the union over the runs, in their order.
    """
    base = project.root.resolve()
    found: dict[str, None] = {}
    seen: set[tuple[str, tuple[str, ...]]] = set()  # thousands of runs share a few commands
    for spec in project.runs:
        if (spec.cwd, spec.command) in seen:
            continue
        seen.add((spec.cwd, spec.command))
        found.update(dict.fromkeys(command_files(base, spec.cwd, spec.command)))
        if len(found) >= MAX_SCRIPTS:
            return list(found)[:MAX_SCRIPTS]
    return list(found)


def run_script_paths(project: LoadedProject, spec: RunSpec) -> set[str]:
    """
    The code one run's command runs, relative to the project, as
    :func:`~bridge.pipeline.command_code.command_files` reads it: the scripts and ``python -m``
    modules it names (also inside ``sh -c '…'``, after its ``cd DIR``) and the project's files
    they import (the quickstart's ``train.py`` runs ``logreg.py``). Not the other files in a
    script's folder: 009's R004 script beside R001's is no code of R001 (an edit of it is not
    news about R001).
    """
    return set(command_files(project.root.resolve(), spec.cwd, spec.command))


def option_values(options: Options) -> dict[str, str]:
    """
    The options in force as ``PlanLoaded.options`` records them: every option by name, as
    text (booleans lower-case), secrets redacted (``base_repo`` may carry a token).
    """
    return {
        name: str(getattr(options, name)).lower()
        if isinstance(getattr(options, name), bool)
        else redact(str(getattr(options, name)))
        for name in _option_names(options)
    }


def _option_names(options: Options) -> list[str]:
    import attrs

    return [f.name for f in attrs.fields(type(options))]


def setup_params(project: LoadedProject) -> dict[str, tuple[str, ...]]:
    """
    Per block, the hyperparameter names its setup text names with a value: ``lr = 0.1``,
    ``--epochs``, and prose ("learning rate 0.1", "3 epochs"; :mod:`bridge.plan.hyperparams`).
    """
    return {
        block.id: tuple(h.name for h in setup_hyperparameters(block.setup))
        for block in project.plan.blocks
    }


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
    What a person approves: per milestone its runs, the GPUs each asks for and the GPU-hours,
    then the total against the plan's budget, the backend and ``max_parallel``; in the
    plan's language (the ``language`` option, else the one detected), as recorded.

    GPU-hours come from the runs' estimates (``estimated_minutes`` × ``gpus``) when any run of
    the milestone has one, otherwise from the plan's run-order Cost column; each line says
    which, and says "unknown" when neither gives a number. A total above the plan's budget is
    flagged on its own line.
    """
    # Imported here: its module loads the criteria's parser and patterns, which a run does
    # not need before its first launch (docs/performance.md, "Dispatch").
    from bridge.projections.plan_words import estimate_source_in_language

    language = chosen_language(project.options.language, project.plan.language)
    lines = []
    total = 0.0
    unknown: list[str] = []
    own = own_gpu_hours(project.milestones)
    planned = {m.id for m in project.milestones}
    # Runs of a milestone the plan lacks, or of none (034's R013, of block S3): a line each,
    # after the plan's, so every run a person approves is on the summary. Implementation tasks
    # alone make no line: 001's I1-I7, of no milestone, gave "(no milestone): 0 runs (CPU),
    # ~0.00 GPU-h (no runs)" (trial t12).
    others = [
        Milestone.bare(mid)
        for mid in state.milestone_ids
        if mid not in planned and any(not r.is_task for r in state.runs_in(mid))
    ]
    for milestone in [*project.milestones, *others]:
        # Implementation tasks are no runs, as `bridge plan` counts them (011's code tasks
        # R001/R002 were "runs the tracker marks done or ruled out" of M0).
        runs = [r for r in state.runs_in(milestone.id) if not r.is_task]
        gpus = sorted({r.spec.gpus for r in runs})
        if not gpus or gpus == [0]:
            asks = "CPU"
        elif len(gpus) == 1:
            asks = t("approval_gpus", language).format(gpus=gpus[0])
        else:
            asks = t("approval_gpu_range", language).format(low=gpus[0], high=gpus[-1])
        # What is left to spend: the runs the tracker marks done or ruled out launch nothing.
        left = [r.spec for r in runs if r.state not in NOT_BRIDGES_RUN_STATES]
        done = [r.spec for r in runs if r.state in NOT_BRIDGES_RUN_STATES]
        estimate = estimate_milestone(milestone, left, own, settled=done)
        said = estimate.source
        if not left and done and not estimate.none_left:
            # CPU runs cost nothing either way, so their estimate says "CPU runs only"; read
            # beside "1 run (CPU)" it said that run would launch (009's M0, done before bridge,
            # and M3, a row a person runs): what launches is what a person approves.
            said = f"none to launch: the tracker marks its {counted(len(done), 'run')} done or "
            said += "ruled out"
        hours, source = estimate.gpu_hours, estimate_source_in_language(said, language)
        flag = t("plan_sanity_run", language) if milestone.sanity else ""
        name = f" {milestone.name}" if milestone.name else ""
        if not milestone.id:
            name = t("status_no_milestone", language)  # the id is "": the name says so
        count = t("approval_count", language).format(
            n=len(runs), s="s" if len(runs) != 1 else "", asks=asks
        )
        if hours is None:
            unknown.append(milestone.id or t("status_no_milestone", language))
            shown = t("approval_unknown", language)
        else:
            total += hours
            shown = f"~{hours:.2f} GPU-h"
        lines.append(
            t("approval_milestone", language).format(
                id=milestone.id, sanity=flag, name=name, count=count, hours=shown, source=source
            )
        )
    budget = project.plan.budget.gpu_hours
    lines.append(
        t("approval_total", language).format(total=total)
        + (t("approval_without", language).format(ids=", ".join(unknown)) if unknown else "")
        # A budget of 0 is one (009's "Total estimated GPU-hours: 0"), as `bridge plan` says it.
        + (t("approval_budgeted", language).format(budget=budget) if budget is not None else "")
    )
    if budget is not None and total > budget:
        lines.append(t("approval_over", language).format(budget=budget, by=total - budget))
    lines.append(
        t("approval_backend", language).format(
            backend=project.options.backend, n=project.options.max_parallel
        )
    )
    return "\n".join(lines)


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
    lacking = unfilled(command, params)
    if lacking:
        return None, (
            f"{proposal.id}: placeholder {{{lacking[0]}}} has no value (known: "
            f"{', '.join(sorted({*params, *AT_LAUNCH}))})"
        )

    # Each default has its field's type: the system table's field of that name has it too.
    def pick(name: str, default: _T) -> _T:
        value: _T | None = getattr(system, name, None) if system is not None else None
        return default if value is None else value

    return (
        ev.RunPlanned(
            run_id=proposal.id,
            milestone=milestone,
            block=proposal.block,
            system=proposal.system,
            seed=proposal.seed,
            priority=Priority.NICE,
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
