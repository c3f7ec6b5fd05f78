"""
A project on disk: input discovery, options, bridge.toml and runs, joined into one value.
"""

from __future__ import annotations

import functools
import hashlib
import shlex
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Literal

import attrs

from bridge.errors import ConfigError, PlanError
from bridge.lazy_patterns import lazy
from bridge.plan.attribution import SANITY_CHECK, run_stands_for, whole_names
from bridge.plan.config import Config
from bridge.plan.config_reader import load_config
from bridge.plan.crosscheck import (
    check_against_runs,
    gpu_cost_without_gpus,
    priority_disagreements,
    unread_block_priorities,
)
from bridge.plan.loader import build_plan
from bridge.plan.main_milestone import main_milestone, main_milestone_setting
from bridge.plan.milestones import (
    NO_MILESTONES_FOUND,
    mark_sanity,
    phase_headings_note,
    says_data_preparation,
    says_no_runs,
    says_sanity,
    schedule_note,
)
from bridge.plan.model import Milestone, Plan, PlanWarning
from bridge.plan.options import OptionLayer, Options, apply_options, parse_override_line
from bridge.plan.priority import Priority
from bridge.plan.run_gates import GateOutcome, judge_gate
from bridge.plan.runs import ProposedBefore, RunSpec, build_runs
from bridge.plan.safe_ids import is_safe_id, replace_unsafe
from bridge.plan.setting_fields import did_you_mean
from bridge.plan.tracker import seed_row
from bridge.plan.vocabulary import stopped_status, stopped_warning
from bridge.value_methods import value_methods

__all__ = [
    "LoadedProject",
    "discover",
    "load_project",
    "misplaced_inputs",
    "no_runs_advice",
    "passed_over_m0",
    "plan_json",
    "require_runs",
]

PLAN = "refine-logs/EXPERIMENT_PLAN.md"
TRACKER = "refine-logs/EXPERIMENT_TRACKER.md"
PROPOSAL = "refine-logs/FINAL_PROPOSAL.md"
CANDIDATES = ("idea-stage/IDEA_CANDIDATES.md", "IDEA_CANDIDATES.md")
REPORT = ("idea-stage/IDEA_REPORT.md", "IDEA_REPORT.md")


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class LoadedProject:
    """
    Everything bridge needs to know before it starts.

    Args:
        root: the project root.
        plan: the parsed inputs.
        config: the parsed bridge.toml (defaults when absent).
        options: the resolved options.
        runs: the runs in deterministic launch order.
        milestones: plan milestones in plan order (synthesised in id order from the runs when
            the plan has none).
        sources: ``plan``/``tracker``/``proposal``/``ideas`` → path relative to root, or None.
        warnings: everything repaired or not understood.
        needs_confirmation: True when the runs were proposed from the plan.
    """

    root: Path
    plan: Plan
    config: Config
    options: Options
    runs: tuple[RunSpec, ...]
    milestones: tuple[Milestone, ...]
    sources: Mapping[str, str | None]
    warnings: tuple[PlanWarning, ...]
    needs_confirmation: bool

    # Read by the dispatcher's every idle turn (pipeline/steps/code.py's rule-outs): computed
    # once per loaded project, not once per turn, which made a 1,000-run phase quadratic.

    @functools.cached_property
    def run_ids(self) -> frozenset[str]:
        """The ids of :attr:`runs`."""
        return frozenset(run.id for run in self.runs)

    @functools.cached_property
    def row_metric_names(self) -> tuple[str, ...]:
        """Every metric the runs' rows name (their Metrics cells), once each, in run order."""
        return tuple(dict.fromkeys(name for run in self.runs for name in run.metrics))

    @functools.cached_property
    def seed_splits(self) -> Mapping[str, tuple[int, ...]]:
        """
        Each row the runs split into one run per seed (``R007`` for ``R007-s1103`` …,
        :func:`~bridge.plan.tracker.seed_row`) → its seeds, in run order; empty when none is.
        """
        seeds: dict[str, list[int]] = {}
        for run in self.runs:
            if run.seed is not None and (row := seed_row(run.id, run.seed)) is not None:
                seeds.setdefault(row, []).append(run.seed)
        return {row: tuple(each) for row, each in seeds.items()}


def _main_over_m0(
    options: Options, milestones: Sequence[Milestone]
) -> tuple[tuple[Milestone, ...], list[PlanWarning]]:
    """
    ``main_milestone`` naming the milestone bridge took as the sanity check only because its id
    is M0 (006's M0 "S3 Polish", the plan's first priority): the researcher's word wins, M0 is
    the main result and no milestone is the sanity check, said in a warning. A milestone whose
    name or goal says sanity or smoke stays the sanity check (and naming it is refused).
    """
    chosen = options.main_milestone
    picked = next((m for m in milestones if m.id == chosen and m.sanity), None)
    if picked is None or says_sanity(picked):
        return tuple(milestones), []
    unmarked = tuple(attrs.evolve(m, sanity=False) if m is picked else m for m in milestones)
    return unmarked, [
        PlanWarning(
            file=picked.file,
            line=picked.line,
            message=f"main_milestone = {chosen!r} names {chosen}, which bridge takes as the "
            "sanity check only by its id: it is the main result, and no milestone runs first "
            "as a sanity check",
        )
    ]


def passed_over_m0(
    project: LoadedProject,
) -> tuple[Literal["main", "no_runs", "data"], str] | None:
    """
    Why the plan's M0 is no sanity milestone when bridge took none: ``("main", "")`` when
    ``main_milestone`` names it (:func:`_main_over_m0`), ``("no_runs", words)`` when it says
    it has no experiment and has no runs (:func:`_m0_without_experiment`, its words as
    written), ``("data", words)`` when it says it prepares data (:func:`_m0_preparing_data`);
    ``None`` when the plan has no such M0 or names a sanity milestone. What `bridge plan`'s
    first-launch line and the sanity stage say in place of "no sanity milestone in the plan",
    which 014's M0 "Review candidate authority | no experiment" and 011's M0 "Data Pipeline"
    contradicted.
    """
    if any(m.sanity for m in project.milestones):
        return None
    m0 = next((m for m in project.milestones if m.id == "M0"), None)
    if m0 is None:
        return None
    if project.options.main_milestone == "M0":
        return ("main", "")
    said = says_no_runs(m0)
    if said and not any(r.milestone == "M0" and not r.task for r in project.runs):
        return ("no_runs", said)
    preparing = says_data_preparation(m0)
    return ("data", preparing) if preparing else None


def _m0_without_experiment(
    milestones: Sequence[Milestone], runs: Sequence[RunSpec]
) -> tuple[tuple[Milestone, ...], list[PlanWarning]]:
    """
    The milestone taken as the sanity check only because its id is M0, when it says it has no
    experiment and no run is in it while a later milestone has runs (014's M0 "Review candidate
    authority | no experiment"): it is no sanity milestone, so the first run is checked alone
    first, as in a plan that names none (:mod:`bridge.machine.sanity_probe`). Before, the
    sanity stage passed it with "the sanity milestone M0 has no runs; nothing to check first"
    and every run launched at once. A warning says so.

    The first milestone with runs, when its name or goal says sanity ("M1 | Sanity check: smoke
    test"), is the sanity milestone then, and the warning names it: :func:`mark_sanity` flags
    one milestone only, so it was passed over for the M0 and would otherwise lose its sanity
    gate.
    """
    picked = next((m for m in milestones if m.sanity), None)
    said = says_no_runs(picked) if picked is not None else ""
    if picked is None or picked.id != "M0" or says_sanity(picked) or not said:
        return tuple(milestones), []
    with_runs = {r.milestone for r in runs if not r.task}
    if picked.id in with_runs or not with_runs:
        return tuple(milestones), []
    # mark_sanity stopped at the M0; the first milestone with runs is the sanity milestone when
    # it says so ("M1 | Sanity check"); a later one saying "smoke test" (a final check) is not.
    first = next((m for m in milestones if m is not picked and m.id in with_runs), None)
    instead = first if first is not None and says_sanity(first) else None
    unmarked = tuple(
        attrs.evolve(m, sanity=m is instead) if m is picked or m is instead else m
        for m in milestones
    )
    then = (
        f"{instead.id} is the sanity milestone"
        if instead is not None
        else "the first run is checked alone first, before the rest launch"
    )
    return unmarked, [
        PlanWarning(
            file=picked.file,
            line=picked.line,
            message=f"milestone {picked.id} says {said!r} and has no runs: it is no sanity "
            f"milestone (only its id M0 made it one), so {then}",
        )
    ]


def _m0_preparing_data(
    milestones: Sequence[Milestone], runs: Sequence[RunSpec]
) -> tuple[tuple[Milestone, ...], list[PlanWarning]]:
    """
    The milestone taken as the sanity check only because its id is M0, when its name or goal
    says it prepares data and the plan calls something else its sanity check: the first later
    milestone with runs whose name or goal says sanity or smoke, or a run whose Purpose says it
    is a sanity check (011's M0 "Data Pipeline (Days 1-5, ~$30 API)" and R012 "Sanity: overfit
    on 100 items" in M1). Before, the data pipeline was the sanity gate and the overfit check
    gated nothing. The M0 is no sanity milestone then: that later milestone is, or else, with
    none, the run checked alone first is chosen as in a plan that names none, the plan's own
    sanity check first (``bridge.machine.sanity_probe.probe_of``). A warning says so. An
    M0 that prepares data while the plan names no other sanity check that can go first stays
    the sanity milestone: a run's sanity check that waits for a run (011's R012 waits for M0's
    R008 "Merge → train_dataset.jsonl" through its DONE code task R010) or is of a later
    milestone than the first with runs checks nothing of the start; M0's data runs go first,
    and the runs that wait for the check (R013–R015) wait for it as for any run.
    """
    picked = next((m for m in milestones if m.sanity), None)
    said = says_data_preparation(picked) if picked is not None else ""
    if picked is None or picked.id != "M0" or says_sanity(picked) or not said:
        return tuple(milestones), []
    with_runs = {r.milestone for r in runs if not r.task}
    # As for an M0 without experiment: only the first milestone with runs after it, saying so.
    first = next((m for m in milestones if m is not picked and m.id in with_runs), None)
    instead = first if first is not None and says_sanity(first) else None
    # The run probe_of (bridge.machine.sanity_probe) checks first: a must-run sanity check
    # that waits for no run, of the first milestone with runs to launch after the data ones,
    # asked for numbers first. One that waits for M0's data (011's R012 waits for R008 through
    # the code task R010) cannot go first: M0 stays the sanity milestone, its data made first.
    order = {m.id: at for at, m in enumerate(milestones)}
    data = {m.id for m in milestones if says_data_preparation(m)}
    launched = [r for r in runs if not r.settled_before_bridge and not r.depends_on]
    start = min(
        (
            order.get(r.milestone, len(order))
            for r in launched
            if r.priority is Priority.MUST and r.milestone not in data
        ),
        default=None,
    )
    check = min(
        (
            r
            for r in launched
            if r.priority is Priority.MUST
            and r.attribution.startswith(SANITY_CHECK)
            and order.get(r.milestone, len(order)) == start
        ),
        key=lambda r: not (r.metrics or r.block),
        default=None,
    )
    if instead is None and check is None:
        return tuple(milestones), []
    unmarked = tuple(
        attrs.evolve(m, sanity=m is instead) if m is picked or m is instead else m
        for m in milestones
    )
    if instead is not None:
        then = f"{instead.id} is the sanity milestone"
    else:
        assert check is not None  # narrowed above: one of them is there
        then = (
            f"its sanity check {check.id} ({check.purpose!r}) is checked alone first, before "
            "the rest launch"
        )
    return unmarked, [
        PlanWarning(
            file=picked.file,
            line=picked.line,
            message=f"milestone {picked.id} says {said!r}: it prepares data and is no sanity "
            f"milestone (only its id M0 made it one), so {then}",
        )
    ]


def _as_schedule(plan: Plan, runs: Sequence[RunSpec]) -> Plan | None:
    """
    The plan without its milestones when they are its schedule, not its run order
    (:func:`~bridge.plan.milestones.schedule_note`: labelled headings such as 032's Week 1–10
    that no run and no block is in), with the warning that says so in place of the one
    that said they were read from phase headings; ``None`` when they are its milestones.
    """
    note = schedule_note(plan.milestones, [r.milestone for r in runs if not r.task])
    if note is None:
        return None
    first = plan.milestones[0]
    # The phase-headings warning said where milestones came from; this one says they are none.
    # By its opening words: it counted the headings before a repeated one was merged.
    replaced = phase_headings_note(plan.milestones).split(" the ", 1)[0]
    warnings = [
        w for w in plan.warnings if not (w.line == first.line and w.message.startswith(replaced))
    ]
    warnings.append(PlanWarning(file=first.file, line=first.line, message=note))
    return attrs.evolve(plan, milestones=(), warnings=tuple(warnings))


def _check_main_milestone(
    options: Options, milestones: Sequence[Milestone], config: Config
) -> None:
    """
    ``main_milestone`` must name one of the plan's milestones (not the sanity one).

    Raises:
        ConfigError: naming the setting, the closest id and the ids there are.
    """
    chosen = options.main_milestone
    if not chosen:
        return
    ids = [m.id for m in milestones if not m.sanity]
    if chosen in ids:
        return
    sanity = [m.id for m in milestones if m.sanity]
    if chosen in sanity:
        # Not "not a milestone": it is one, and saying otherwise sends the researcher looking
        # for a typo. The sanity milestone checks the pipeline; its runs are no main result.
        why = (
            f"main_milestone = {chosen!r} names the plan's sanity milestone, which runs first "
            "to check the pipeline and is never the main result; name one of the others "
            f"({', '.join(ids) or 'none'})"
        )
    else:
        listed = ", ".join([*(f"{i} (sanity)" for i in sanity), *ids]) or "none"
        why = (
            f"main_milestone = {chosen!r} is not a milestone of the plan"
            f"{did_you_mean(chosen, ids)} (milestones: {listed})"
        )
    if "bridge.main_milestone" in config.key_lines:
        file, line = config.file, config.line_of("bridge.main_milestone")
    else:
        # Given with -o (034: the message said "bridge.toml:1", where nothing names it).
        file, line = "-o", None
    raise ConfigError(why, setting="bridge.main_milestone", file=file, line=line)


def _no_main_milestone(
    options: Options, plan: Plan, milestones: Sequence[Milestone], runs: Sequence[RunSpec]
) -> list[PlanWarning]:
    """
    A warning, at the run order, when nothing marks a milestone as the main result: the
    results would then give each block's verdict but no main result, which the researcher can
    still fix before anything runs. Nothing when every milestone is the sanity one.
    """
    candidates = [m for m in milestones if not m.sanity]
    if not candidates or not plan.blocks:
        return []
    run_blocks = [(r.milestone, r.block) for r in runs]
    if main_milestone(options.main_milestone, milestones, plan.blocks, run_blocks):
        return []
    first = next((m for m in candidates if m.line), None)
    named = _holding_blocks(plan, milestones, runs, candidates)
    return [
        PlanWarning(
            file=first.file if first else plan.plan_file,
            line=first.line if first else 0,
            message="no milestone is marked as the main result (none is named main, decisive, "
            "core or headline, and no block titled main has runs): the results will judge "
            f"each block but give no main result; name it with {main_milestone_setting(named)}"
            f" in bridge.toml [bridge] (milestones: {', '.join(m.id for m in named)})",
        )
    ]


def _holding_blocks(
    plan: Plan, milestones: Sequence[Milestone], runs: Sequence[RunSpec], among: Sequence[Milestone]
) -> list[Milestone]:
    """
    The milestones of ``among`` that hold a block (their row names one, a run of theirs is a
    block's, or a block no milestone holds is judged on their runs alone), else all of
    ``among``: only those give a main result when named. 023's M4 ("Confirm"), named from the
    list of every milestone, had "nothing to judge".
    """
    holding = {m.id for m in milestones if m.blocks} | {r.milestone for r in runs if r.block}
    found = [m for m in among if m.id in holding or _judged_on_main(plan, milestones, runs, m.id)]
    return found or list(among)


def _main_without_block(
    options: Options, plan: Plan, milestones: Sequence[Milestone], runs: Sequence[RunSpec]
) -> list[PlanWarning]:
    """
    A warning, at the main milestone's row, when no block is in it: its row names none and no
    run of it belongs to one, so the results would say its main result has nothing to judge
    (002's M2 "Main mechanism test": its Runs cell restates B1's comparison without naming B1,
    and its runs' systems are compared in several blocks). Said before anything runs, with
    what links a block to it. Nothing when the plan has no blocks (the results say so apart).
    """
    if not plan.blocks:
        return []
    run_blocks = [(r.milestone, r.block) for r in runs]
    choice = main_milestone(options.main_milestone, milestones, plan.blocks, run_blocks)
    main = next((m for m in milestones if choice is not None and m.id == choice.id), None)
    if main is None or main.blocks:
        return []
    mine = [r for r in runs if r.milestone == main.id and not r.task]
    if any(r.block for r in mine) or _judged_on_main(plan, milestones, runs, main.id):
        return []
    ids = ", ".join(r.id for r in mine[:8]) + (", …" if len(mine) > 8 else "")
    held = (
        f"its row names no block and none of its runs ({ids}) belongs to one"
        if mine
        else "its row names no block and it has no runs"
    )
    others = _holding_blocks(
        plan, milestones, runs, [m for m in milestones if not m.sanity and m.id != main.id]
    )
    listed = f" (milestones: {', '.join(m.id for m in others)})" if others else ""
    name = f" ({main.name})" if main.name else ""
    # The plan's block ids, not one of them as an example: an example is copied as it stands
    # (018's first block is B0, its sanity check).
    known = [b.id for b in plan.blocks]
    blocks = ", ".join(known[:8]) + (", …" if len(known) > 8 else "")
    return [
        PlanWarning(
            file=main.file or plan.plan_file,
            line=main.line,
            message=f"the main milestone {main.id}{name} has no block: {held}, so the results "
            f"will say its main result has nothing to judge; name its block in the row's Runs "
            f"or Goal cell (the plan's blocks: {blocks}), set `block` on its runs ([[runs]] or "
            "[systems] in bridge.toml, or the tracker's Block column), or name another "
            f'milestone with main_milestone = "…" in bridge.toml [bridge]{listed}',
        )
    ]


def _judged_on_main(
    plan: Plan, milestones: Sequence[Milestone], runs: Sequence[RunSpec], main: str
) -> bool:
    """
    Whether a must-run block that no milestone holds (no row names it, no run is its own) is
    judged on the main milestone's runs alone, shared as they stand for its compared systems:
    the results count it as the main milestone's (``bridge.projections.outcome``), so its main
    result has something to judge (002's B1 and B2, judged on M2's R006-R008).
    """
    held = {b for m in milestones for b in m.blocks} | {r.block for r in runs if r.block}
    sanity = {m.id for m in milestones if m.sanity}
    # As the results lend them: no task, no sanity run (by milestone or Purpose).
    lent = [
        r
        for r in runs
        if not r.task and r.milestone not in sanity and not r.attribution.startswith(SANITY_CHECK)
    ]
    plan_names = whole_names(s for b in plan.blocks for s in b.systems)
    for block in plan.blocks:
        if block.id in held or block.priority in ("nice", "cut"):
            continue
        judged = [
            r
            for system in block.systems
            for r in lent
            if run_stands_for(
                (r.block_system or r.system, r.system),
                r.aliases,
                system,
                block.systems,
                plan_names,
                r.purpose,
            )
        ]
        if judged and all(r.milestone == main for r in judged):
            return True
    return False


#: The first line of the commented ``[[runs]]`` template ``bridge init`` writes at the end of
#: bridge.toml for a plan that names no runs (bridge/templates/runs.toml).
RUNS_TEMPLATE_MARK = "# [[runs]]"


def no_runs_advice(root: Path) -> str:
    """
    What gives a plan that names no runs its runs, said alike by ``bridge plan``, ``bridge
    run``, ``bridge status`` and ``bridge init``: ``[[runs]]`` entries in bridge.toml, or a run
    table in the tracker, with the way to the ``[[runs]]`` template that fits the project (its
    bridge.toml holds it, has none, or is not there). 040's plan is prose: `bridge run` said
    "`bridge init` writes commented templates to start from", and `bridge init` wrote none for
    runs; only ``[[runs]]``, written by hand, worked.
    """
    config = root / "bridge.toml"
    if not config.is_file():
        how = "`bridge init` writes bridge.toml with a commented [[runs]] template"
    elif RUNS_TEMPLATE_MARK in config.read_text(encoding="utf-8", errors="replace"):
        how = "uncomment the [[runs]] template at the end of bridge.toml"
    else:
        how = (
            "`bridge init --force` writes bridge.toml afresh with a commented [[runs]] "
            "template, keeping yours as bridge.toml.before-init"
        )
    return (
        "list the runs as [[runs]] entries in bridge.toml, one per run with its id, system and "
        f'command ({how}; docs/configuration.md, "[[runs]] — explicit runs"), or as a run '
        f"table in {TRACKER}"
    )


def require_runs(project: LoadedProject) -> None:
    """
    Refuse a project from which no run can be derived, before any stage starts.

    The workflow asks the researcher what to implement when there is no usable plan; bridge
    cannot ask, so it stops and says what it found and what to add.

    Raises:
        PlanError: no runs, naming the input files found (and the plan file when there is one).
    """
    if project.runs:
        return
    plan = project.sources.get("plan")
    others = [path for key, path in project.sources.items() if path and key != "plan"]
    also = f" (bridge also found {', '.join(others)})" if others else ""
    if plan:
        # What works is said, not a plan template: the plan is there, its runs are not (040).
        raise PlanError(
            f"nothing to run: the plan has no run order, experiment blocks or tracker rows to "
            f"run{also}; {no_runs_advice(project.root)}",
            file=plan,
        )
    if others:
        what = f"bridge found {', '.join(others)} but no experiment plan ({PLAN})"
    else:
        what = f"bridge found no plan ({PLAN}), tracker or idea files in {project.root}"
    raise PlanError(
        f"nothing to run: {what}. Add a plan with experiment blocks and a run order (or "
        f"tracker rows in {TRACKER}, or [[runs]] in bridge.toml); `bridge init` writes "
        "commented templates to start from.",
        file=plan,
    )


def discover(root: Path, *, compact: bool) -> dict[str, Path | None]:
    """
    Find the input files in the documented order.

    Args:
        root: the project root.
        compact: prefer IDEA_CANDIDATES.md over IDEA_REPORT.md.

    Returns:
        ``plan``/``tracker``/``proposal``/``ideas`` → the file found, or None.

    Raises:
        PlanError: none of the inputs exists; the message lists every path looked at and says
            to start with ``bridge init``.
    """
    found: dict[str, Path | None] = {}
    looked: list[str] = []
    for key, relative in (("plan", PLAN), ("tracker", TRACKER), ("proposal", PROPOSAL)):
        path = root / relative
        looked.append(relative)
        _refuse_non_file(path)
        found[key] = path if path.is_file() else None
    _refuse_beside_refine_logs(root, found)
    ideas_order = (*CANDIDATES, *REPORT) if compact else (*REPORT, *CANDIDATES)
    found["ideas"] = None
    for relative in ideas_order:
        looked.append(relative)
        _refuse_non_file(root / relative)
        if (root / relative).is_file():
            found["ideas"] = root / relative
            break
    if not any(found.values()):
        listing = "\n".join(f"  - {root / p}" for p in looked)
        raise PlanError(
            f"no plan found. Looked for:\n{listing}\nStart a project with `bridge init`, or "
            f"write {PLAN}.",
            file=str(root),
        )
    return found


def _beside_refine_logs(root: Path, found: Mapping[str, Path | None]) -> list[str]:
    """
    The plan, tracker and proposal kept in the project's root folder instead of
    ``refine-logs/`` (a plan copied out of its project, a plan file named with ``--project``),
    with no counterpart in ``refine-logs/``: bridge does not read them.
    """
    stray = [
        Path(relative).name
        for key, relative in (("plan", PLAN), ("tracker", TRACKER), ("proposal", PROPOSAL))
        if found[key] is None and (root / Path(relative).name).is_file()
    ]
    if Path(PLAN).name in stray:
        # The plan's other parts (038's stub links to EXPERIMENT_PLAN_20260802_….md): moved
        # without them, the stub was read as free text (trial O3).
        stray += sorted(
            p.name for p in root.glob("EXPERIMENT_PLAN?*.md") if p.is_file() and p.name not in stray
        )
    return stray


def _move_hint(root: Path, stray: Sequence[str]) -> str:
    one = len(stray) == 1
    folder = Path(PLAN).parent
    return (
        f"{', '.join(stray)} {'is' if one else 'are'} in {root}, where bridge does not read "
        f"{'it' if one else 'them'}: the plan, tracker and proposal live in {folder}/ (the ARIS "
        f"layout). Move {'it' if one else 'them'} there: cd {shlex.quote(str(root))} && "
        f"mkdir -p {folder} && mv {' '.join(map(shlex.quote, stray))} {folder}/"
    )


def misplaced_inputs(root: Path) -> str | None:
    """
    What to do when the plan or tracker lie in ``root`` beside ``refine-logs/`` with no
    counterpart in it (026's files at the top of the project), as ``bridge plan`` says it;
    ``None`` when they do not. ``bridge init`` asks before writing a template plan that bridge
    would then read instead of the researcher's.
    """
    found: dict[str, Path | None] = {
        key: (root / relative if (root / relative).is_file() else None)
        for key, relative in (("plan", PLAN), ("tracker", TRACKER), ("proposal", PROPOSAL))
    }
    stray = _beside_refine_logs(root, found)
    if not stray or stray == [Path(PROPOSAL).name]:
        return None
    return _move_hint(root, stray)


def _refuse_beside_refine_logs(root: Path, found: Mapping[str, Path | None]) -> None:
    """
    A plan or tracker beside ``refine-logs/`` stops the load: bridge would plan from nothing,
    or write a tracker of its own beside the researcher's. (A proposal alone there is a
    warning: :func:`load_project`.)

    Raises:
        PlanError: naming every such file, with the command that moves them.
    """
    stray = _beside_refine_logs(root, found)
    if stray and stray != [Path(PROPOSAL).name]:
        raise PlanError(_move_hint(root, stray), file=str(root / stray[0]))


def _refuse_non_file(path: Path) -> None:
    """
    An input path that exists but is not a file (a folder named EXPERIMENT_PLAN.md) is a
    mistake to report, not a reason to fall back silently to the next input.
    """
    if path.exists() and not path.is_file():
        raise PlanError(f"{path.name} exists but is not a file", file=str(path))


_NATURAL = lazy(r"(\d+)")


def _directories(runs: tuple[RunSpec, ...]) -> tuple[tuple[RunSpec, ...], list[PlanWarning]]:
    """
    Give each run whose id cannot name a directory a safe directory name derived from it (the
    id's safe characters, ``_`` for the rest, and 8 hex digits of its sha256 so two ids never
    share one), recorded in the log with the run; the id itself is kept.
    """
    taken = {r.id for r in runs if is_safe_id(r.id)}
    out: list[RunSpec] = []
    warnings: list[PlanWarning] = []
    for run in runs:
        if run.id in taken:
            out.append(run)
            continue
        stem = replace_unsafe(run.id).strip("._-")[:100] or "run"
        digest = hashlib.sha256(run.id.encode("utf-8")).hexdigest()
        # Another run's id (or derived name) may already be the name: a longer digest then.
        width = 8
        directory = f"{stem}-{digest[:width]}"
        while directory in taken:
            width += 4
            directory = f"{stem}-{digest[:width]}" if width <= len(digest) else f"{directory}-"
        taken.add(directory)
        out.append(attrs.evolve(run, directory=directory))
        warnings.append(
            PlanWarning(
                file=run.file,
                line=run.line,
                message=f"run id {run.id!r} cannot name a directory; its files go to "
                f".bridge/runs/{directory}/ (the id is kept everywhere else)",
            )
        )
    return tuple(out), warnings


def _linked_out(root: Path) -> Path | None:
    """
    Where ``refine-logs`` leads when it is a link out of the project (a shared drive, say):
    followed, since the researcher put it there, but said, since bridge writes there.
    """
    folder = root / "refine-logs"
    if not folder.is_symlink():
        return None
    target = folder.resolve()
    inside = root.resolve()
    return None if target == inside or inside in target.parents else target


def _natural(text: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in _NATURAL.split(text)]


def _check_cwd_inside(root: Path, config: Config) -> None:
    """
    ``run.cwd`` is checked lexically when read; here it is resolved, so a symlink inside the
    project that points outside it cannot make commands run elsewhere.

    Raises:
        ConfigError: the resolved directory is outside the project (names run.cwd and its line).
    """
    if not config.run.cwd:
        return
    real_root = root.resolve()
    target = (real_root / config.run.cwd).resolve()
    if not target.is_relative_to(real_root):
        raise ConfigError(
            f"run.cwd = {config.run.cwd!r} resolves to {target}, outside the project "
            f"{real_root} (through a symbolic link); commands run inside the project only",
            setting="run.cwd",
            file=config.file,
            line=config.line_of("run.cwd"),
        )


def load_project(
    root: str | Path,
    *,
    overrides: Mapping[str, object] | None = None,
    override_line: str | None = None,
    proposed_before: Sequence[ProposedBefore] = (),
    recorded_metrics: Collection[str] = (),
) -> LoadedProject:
    """
    Load a project: discover inputs, read bridge.toml, resolve options, assemble runs.

    Args:
        root: the project directory.
        overrides: ``-o key=value`` / keyword options (highest precedence; strings coerced).
        override_line: an override line such as ``— compact: true, base repo: URL``.
        proposed_before: the runs bridge proposed from the plan before (its log's): a run the
            plan proposes again keeps its id (:func:`bridge.plan.runs.proposed_ids`).
        recorded_metrics: the metric names its log holds values of: a ``[metrics] primary``
            among them is not warned of as named nowhere.

    Returns:
        The loaded project.

    Raises:
        PlanError: no input file, or an unreadable, binary or non-UTF-8 one.
        ConfigError: a bad bridge.toml, option or template (file:line and the key named).
    """
    root_path = Path(root)
    if not root_path.is_dir():
        raise PlanError(
            "the project directory does not exist; create it with `bridge init`",
            file=str(root_path),
        )
    toml = root_path / "bridge.toml"
    if toml.exists() and not toml.is_file():
        raise ConfigError("exists but is not a file", file=toml.name)
    config = load_config(toml if toml.is_file() else None)
    _check_cwd_inside(root_path, config)
    # [bridge], then each layer of text over it; the override line and -o are laid again once
    # the plan's own override line is known (they outrank it), as discovery needs `compact`.
    options = apply_options(
        Options(),
        config.bridge,
        OptionLayer(name="bridge.toml", section="bridge", file=config.file, line_of=config.line_of),
    )
    line_values = parse_override_line(override_line) if override_line else {}
    argument_line = OptionLayer(name="the override_line argument")
    keyword = OptionLayer(name="overrides")
    early = apply_options(options, line_values, argument_line)
    if overrides:
        early = apply_options(early, overrides, keyword)
    found = discover(root_path, compact=early.compact)
    plan = build_plan(
        plan=found["plan"],
        tracker=found["tracker"],
        proposal=found["proposal"],
        ideas=found["ideas"],
        root=root_path,
    )
    if plan.override_line:
        plan_line = OptionLayer(
            name="override line",
            file=plan.plan_file,
            line=plan.override_line_number,
        )
        try:
            values = parse_override_line(plan.override_line)
        except ConfigError as exc:
            raise ConfigError(
                exc.message, setting=exc.setting, file=plan_line.file, line=plan_line.line
            ) from None
        options = apply_options(options, values, plan_line)
    options = apply_options(options, line_values, argument_line)
    if overrides:
        options = apply_options(options, overrides, keyword)

    milestones = plan.milestones
    runs, proposed, run_warnings = build_runs(
        plan,
        config,
        milestones,
        sanity_first=options.sanity_first,
        proposed_before=proposed_before,
    )
    # Unless bridge.toml names one of them as the main milestone: then they are milestones.
    named = options.main_milestone in {m.id for m in plan.milestones}
    if not named and (unplaced := _as_schedule(plan, runs)) is not None:
        # The headings were the project's schedule: the plan is read as one without
        # milestones, and its runs again as they would be (the runs' own milestones, if any).
        plan, milestones = unplaced, ()
        runs, proposed, run_warnings = build_runs(
            plan,
            config,
            milestones,
            sanity_first=options.sanity_first,
            proposed_before=proposed_before,
        )
    if not milestones:
        ids = sorted({r.milestone for r in runs if r.milestone}, key=_natural)
        milestones = tuple(mark_sanity([Milestone.bare(mid) for mid in ids]))
        if ids:
            runs, proposed, run_warnings = build_runs(
                plan,
                config,
                milestones,
                sanity_first=options.sanity_first,
                proposed_before=proposed_before,
            )
            # The plan's "no milestones found" stood above the milestones the runs give (027:
            # B0, M1, … from its tracker): it says where they come from instead of what to
            # write.
            plan = attrs.evolve(
                plan,
                warnings=tuple(
                    attrs.evolve(w, message=f"{w.message.split('; write ', 1)[0]}; the runs' "
                                 f"Milestone cells give them: {', '.join(ids)}")
                    if w.message.startswith(NO_MILESTONES_FOUND.split(" (", 1)[0])
                    else w
                    for w in plan.warnings
                ),
            )  # fmt: skip
    milestones, preparing = _m0_preparing_data(milestones, runs)
    if preparing:
        # Its runs are placed again as a plan without that sanity milestone places them.
        sanity = {m.id for m in milestones if m.sanity}
        plan = attrs.evolve(
            plan,
            milestones=tuple(attrs.evolve(m, sanity=m.id in sanity) for m in plan.milestones),
        )
        runs, proposed, run_warnings = build_runs(
            plan,
            config,
            milestones,
            sanity_first=options.sanity_first,
            proposed_before=proposed_before,
        )
    milestones, chosen_m0 = _main_over_m0(options, milestones)
    milestones, no_experiment = _m0_without_experiment(milestones, runs)
    _check_main_milestone(options, milestones, config)
    runs, directory_warnings = _directories(runs)
    run_warnings = run_warnings + directory_warnings
    warnings = list(plan.warnings) + run_warnings
    warnings += check_against_runs(plan, config, runs, recorded_metrics)
    warnings += gpu_cost_without_gpus(milestones, config, runs, plan.budget)
    warnings += priority_disagreements(plan, runs) + unread_block_priorities(plan)
    warnings += _no_main_milestone(options, plan, milestones, runs)
    warnings += _main_without_block(options, plan, milestones, runs)
    warnings += _stopped(plan)
    warnings += preparing + chosen_m0 + no_experiment
    if stray := _beside_refine_logs(root_path, found):  # a proposal alone: the rest was refused
        warnings.append(PlanWarning(file=stray[0], line=0, message=_move_hint(root_path, stray)))
    if elsewhere := _linked_out(root_path):
        warnings.append(
            PlanWarning(
                file="refine-logs",
                line=0,
                message=f"a link to {elsewhere}, outside the project: bridge reads the plan "
                "there and writes the tracker, results and their versions there",
            )
        )
    if not runs:
        warnings.append(
            PlanWarning(
                file=plan.plan_file or plan.tracker_file,
                line=0,
                message=(
                    # Each place runs come from as it is: 040 bare was told its tracker had no
                    # run table and its bridge.toml no [[runs]], with neither file there.
                    "no runs: "
                    + (
                        "the tracker has no run table"
                        if plan.tracker_file
                        else "there is no tracker"
                    )
                    + (
                        ", bridge.toml has no [[runs]] or [grid]"
                        if (root_path / "bridge.toml").is_file()
                        else ", there is no bridge.toml"
                    )
                    + (
                        ", and no runs could be proposed from the plan's blocks"
                        if plan.blocks
                        else ", and the plan has no experiment blocks to propose runs from"
                    )
                    + f"; `bridge run` refuses a plan with none: {no_runs_advice(root_path)}"
                ),
            )
        )
    sources = {
        "plan": plan.plan_file or None,
        "tracker": plan.tracker_file or None,
        "proposal": plan.proposal_file or None,
        "ideas": plan.ideas_file or None,
    }
    return LoadedProject(
        root=root_path,
        plan=plan,
        config=config,
        options=options,
        runs=runs,
        milestones=milestones,
        sources=sources,
        warnings=tuple(warnings),
        needs_confirmation=proposed,
    )


def plan_json(project: LoadedProject) -> dict[str, object]:
    """
    The ``bridge plan --json`` document (shape documented in docs/plan-format.md).

    Args:
        project: a loaded project.

    Returns:
        A JSON-ready dict with exactly the documented keys.
    """
    plan = project.plan
    return {
        "title": plan.title,
        "problem": plan.problem,
        "thesis": plan.thesis,
        "language": plan.language,
        "sources": dict(project.sources),
        "claims": [
            {"id": c.id, "text": c.text, "evidence": c.evidence, "blocks": list(c.blocks)}
            for c in plan.claims
        ],
        "blocks": [
            {
                "id": b.id,
                "title": b.title,
                "priority": b.priority,
                "priority_raw": b.priority_raw,
                "claims": list(b.claims),
                "dataset": b.dataset,
                "systems": list(b.systems),
                "metrics": list(b.metrics),
                "setup": b.setup,
                "seeds": list(b.seeds),
                "seed_count": b.seed_count,
                "success_criterion": b.success_criterion,
                "line": b.line,
            }
            for b in plan.blocks
        ],
        "milestones": [
            {
                "id": m.id,
                "name": m.name,
                "goal": m.goal,
                "blocks": list(m.blocks),
                "gate": m.gate,
                "cost_raw": m.cost_raw,
                "gpu_hours": m.gpu_hours,
                "sanity": m.sanity,
                "line": m.line,
            }
            for m in project.milestones
        ],
        "budget": {
            "gpu_hours": plan.budget.gpu_hours,
            "raw": plan.budget.raw,
            "hardware": plan.budget.hardware,
        },
        # Quoted by the text view and results.json, never checked: a script reading this saw
        # none of them (036's Exit Criteria, 034's Kill Criteria).
        "stop_rules": list(plan.stop_rules),
        "exit_criteria": list(plan.exit_criteria),
        # The plan's own final checklist, ticked or not: never checked or ticked by bridge.
        "checklist": [
            {"text": i.text, "ticked": i.ticked, "file": i.file, "line": i.line}
            for i in plan.checklist
        ],
        "runs": [
            {
                "id": r.id,
                "milestone": r.milestone,
                "block": r.block,
                "system": r.system,
                "seed": r.seed,
                "priority": r.priority,
                "status": r.status,
                "status_raw": r.status_raw,
                "source": r.source,
                "block_system": r.block_system,
                "attribution": r.attribution,
                "directory": r.directory,
                "depends_on": list(r.depends_on),
                # The run's own gate and how bridge reads each clause (judged in results.json).
                "gate": r.gate or None,
                "gate_clauses": [
                    {"text": c.text, "checked": c.outcome is not GateOutcome.NOT_CHECKED}
                    | ({"reading": c.reading} if c.reading else {"reason": c.said})
                    for c in (judge_gate(r.gate, None) if r.gate else ())
                ],
            }
            for r in project.runs
        ],
        "warnings": [
            {"file": w.file, "line": w.line, "message": w.message} for w in project.warnings
        ],
    }


def _stopped(plan: Plan) -> list[PlanWarning]:
    """
    The plan's own Status line says it is stopped (014's ``**Status:**
    STOPPED_R002_GEOMETRY_FAIL``): said before anything runs, as ``bridge run`` holds on it.
    """
    said = stopped_status(plan.header)
    if not said:
        return []
    return [
        PlanWarning(
            file=plan.plan_file,
            line=0,
            message=stopped_warning(said),
        )
    ]
