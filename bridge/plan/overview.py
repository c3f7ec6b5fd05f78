"""
The workflow's opening summary of a loaded plan, and the GPU-hour estimate it and the approval
checkpoint share.

ARIS's experiment bridge opens with what it understood: the milestones with their names, how
many blocks and runs are must-run and nice-to-have, and the estimated GPU-hours. ``bridge plan``
prints it, and ``bridge run`` prints it before the first stage.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Protocol

import attrs

from bridge.lazy_patterns import lazy
from bridge.plan.milestones import blocks_placed, runs_of_its_systems, why_no_runs
from bridge.plan.model import Milestone
from bridge.plan.option_tables import table_of, table_text
from bridge.plan.priority import Priority
from bridge.plan.project import LoadedProject
from bridge.value_methods import value_methods

__all__ = [
    "COSTS_OPTION",
    "Estimate",
    "RunCost",
    "costs_of",
    "costs_text",
    "counted",
    "estimate_cost",
    "estimate_milestone",
    "overview",
    "own_cost_shown",
    "own_gpu_hours",
]


class RunCost(Protocol):
    """
    What the estimate reads of a run (a ``RunSpec`` or a recorded ``RunPlanned``).
    """

    @property
    def gpus(self) -> int:
        """GPUs the run asks for."""
        ...

    @property
    def estimated_minutes(self) -> float | None:
        """Its expected duration, if known."""
        ...


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Estimate:
    """
    A milestone's estimated GPU-hours and where the number came from.

    Attributes:
        gpu_hours: the estimate, or ``None`` when nothing gives one; 0 for a milestone with no
            runs (bridge launches nothing there, whatever the plan's Cost says).
        source: ``"the runs' estimates"``, ``"the plan's Cost column (…)"`` or why there is none.
        from_plan: the number is the plan's stated cost (its Cost column or its text), not
            bridge's estimate of its runs; ``bridge plan`` labels it so.
        none_left: the milestone has runs that ask for GPUs, but the tracker marks them all
            done or ruled out: nothing is left to spend there; ``bridge plan`` labels it so.
    """

    gpu_hours: float | None
    source: str
    from_plan: bool = False
    none_left: bool = False


_CUMULATIVE = lazy(r"累计|累積|累积|\bcumulative\b|\brunning total\b|\btotal so far\b", re.I)


def own_gpu_hours(milestones: Sequence[Milestone]) -> dict[str, tuple[float | None, str]]:
    """
    Each milestone's own GPU-hours from the plan's Cost column, with the cost as the estimate
    names it: as read, except a cost the plan states as a running total (018's M4
    ``累计 800–1600 GPUh``), which is that total less the hours of the milestones before it
    (adding it to them counted them twice).
    """
    own: dict[str, tuple[float | None, str]] = {}
    before = 0.0
    for m in milestones:
        hours, shown = m.gpu_hours, m.cost_raw
        if hours is not None and _CUMULATIVE.search(m.cost_raw):
            hours = max(0.0, hours - before)
            shown = own_cost_shown(m.cost_raw, before)
        own[m.id] = (hours, shown)
        before += hours or 0.0
    return own


def own_cost_shown(cost_raw: str, before: float) -> str:
    """
    A milestone's Cost as its estimate names it, ``before``: the own GPU-hours of the
    milestones before it: as written, or, for a running total (:func:`own_gpu_hours`), as
    written with what is taken off it. ``bridge status`` names it so from the log's Costs
    (:data:`COSTS_OPTION`) and own hours.
    """
    if _CUMULATIVE.search(cost_raw):
        return f"{cost_raw}, less the {before:g} GPU-h of the milestones before it"
    return cost_raw


# The key of ``PlanLoaded.options`` holding each milestone's Cost as the plan writes it
# (``bridge.plan.option_tables``): the log's milestones record only its own GPU-hours (018's M4
# ``累计 800–1600 GPUh`` is 1280 there), and `bridge status --json` names the plan's words.
COSTS_OPTION = "plan.costs"


def costs_text(milestones: Sequence[Milestone]) -> str:
    """The milestones' Costs as written, by id, as :data:`COSTS_OPTION` keeps them."""
    return table_text({m.id: m.cost_raw for m in milestones if m.cost_raw.strip()})


def costs_of(text: str) -> dict[str, str]:
    """:func:`costs_text`'s Costs read back; ``{}`` in a log written before they were kept."""
    return table_of(text)


def estimate_milestone(
    milestone: Milestone,
    runs: Sequence[RunCost],
    own: Mapping[str, tuple[float | None, str]] | None = None,
    *,
    settled: Sequence[RunCost] = (),
) -> Estimate:
    """
    GPU-hours for a milestone: none when it has no runs (bridge launches nothing there) or
    every run is a CPU run; else from its runs'
    ``estimated_minutes × gpus`` when any run has an estimate, otherwise from the plan's
    run-order Cost column (``own``, from :func:`own_gpu_hours` over the plan's milestones,
    turns a running total into the milestone's own hours), otherwise unknown (saying whether
    the Cost column was there). ``runs`` are those bridge launches; ``settled`` the milestone's
    others, which the tracker marks done or ruled out (:func:`estimate_cost`).
    """
    hours, shown = (own or {}).get(milestone.id, (milestone.gpu_hours, milestone.cost_raw))
    if not runs:
        # Counted as none: the plan's figure named as written, not as a running total's share.
        hours, shown = milestone.gpu_hours, milestone.cost_raw
    # A cost the plan states in a section's prose is named where it is, not as a Cost column.
    stated = f"{milestone.file}:{milestone.cost_line}" if milestone.cost_line else ""
    return estimate_cost(hours, shown, runs, stated=stated, settled=settled)


def estimate_cost(
    gpu_hours: float | None,
    cost_raw: str | None,
    runs: Sequence[RunCost],
    *,
    stated: str = "",
    settled: Sequence[RunCost] = (),
) -> Estimate:
    """
    :func:`estimate_milestone` from a milestone's Cost column as read: ``gpu_hours``, and
    ``cost_raw`` as written (``None`` when not at hand: the log records only the GPU-hours);
    ``stated``: ``file:line`` of the prose that gives the cost when no Cost column does (026's
    Phase 2 ``**预估成本**：~40 GPU-hours``, which was named "the plan's Cost column").
    ``bridge status`` uses it with the milestones and runs recorded in the log.

    ``runs`` are the runs bridge launches; ``settled`` the milestone's runs it does not, which
    the tracker marks done or ruled out (done before bridge, out of scope, blocked): the
    estimate is of what is left to spend, so they count nothing, and the source says they are
    left out (018's M0, five rows done before bridge, counted the plan's 16–32 GPUh). A
    milestone with none left counts 0 (``none_left``), the plan's Cost named as written; one
    whose Cost stands in for the runs left says the Cost is the whole milestone's. A milestone
    of CPU runs only is said so, left out or not: leaving them out changes nothing.
    """
    if (runs or settled) and all(r.gpus == 0 for r in (*runs, *settled)):
        return Estimate(gpu_hours=0.0, source="CPU runs only")
    n = len(settled)
    if not runs and n:
        # Nothing left to launch: the plan's figure is what those runs cost, already spent.
        none_left = f"none to launch: the tracker marks its {counted(n, 'run')} done or ruled out"
        if gpu_hours is not None:
            cost = cost_raw or f"{gpu_hours:g} GPU-h"
            said = f"{none_left}; the plan's Cost ({cost}) not counted"
            return Estimate(gpu_hours=0.0, source=said, none_left=True)
        return Estimate(gpu_hours=0.0, source=none_left, none_left=True)
    estimate = _estimate_left(gpu_hours, cost_raw, runs, stated=stated)
    if not n or estimate.gpu_hours is None:
        return estimate
    if estimate.from_plan:
        # The plan's figure covers the runs done too; no share of it is bridge's to guess.
        whole = (
            f"; the Cost is the whole milestone's, with the {n} of its {n + len(runs)} runs "
            "the tracker marks done or ruled out"
        )
        return attrs.evolve(estimate, source=estimate.source + whole)
    left_out = f"; {counted(n, 'run')} the tracker marks done or ruled out not counted"
    return attrs.evolve(estimate, source=estimate.source + left_out)


def _estimate_left(
    gpu_hours: float | None,
    cost_raw: str | None,
    runs: Sequence[RunCost],
    *,
    stated: str = "",
) -> Estimate:
    """:func:`estimate_cost` of the runs bridge launches, the runs it does not aside."""
    if not runs:
        # Nothing to launch, so nothing to spend: 018's M2 and M4, whose runs the tracker puts
        # in M3, read the plan's 32 and 1280 GPU-h beside M3's CPU runs at 0, and the total
        # added hours no run of bridge's spends. The plan's figure is named, not counted.
        if gpu_hours is not None:
            return Estimate(
                gpu_hours=0.0,
                source=f"no runs; the plan's Cost ({cost_raw or f'{gpu_hours:g} GPU-h'}) "
                "not counted",
            )
        return Estimate(gpu_hours=0.0, source="no runs")
    if all(r.gpus == 0 for r in runs):
        return Estimate(gpu_hours=0.0, source="CPU runs only")
    estimated = [r for r in runs if r.estimated_minutes is not None]
    if estimated:
        hours = sum(r.gpus * (r.estimated_minutes or 0.0) / 60.0 for r in estimated)
        return Estimate(gpu_hours=hours, source="from the runs' estimates")
    if gpu_hours is not None and stated:
        return Estimate(
            gpu_hours=gpu_hours,
            source=f"from the plan's text at {stated} ({cost_raw or f'{gpu_hours:g} GPU-h'})",
            from_plan=True,
        )
    if gpu_hours is not None:
        return Estimate(
            gpu_hours=gpu_hours,
            source=f"from the plan's Cost column ({cost_raw or f'{gpu_hours:g} GPU-h'})",
            from_plan=True,
        )
    if cost_raw is None:
        return Estimate(
            gpu_hours=None, source="no run estimate and no GPU-hours in the plan's Cost"
        )
    if cost_raw:
        return Estimate(
            gpu_hours=None,
            source=f"no run estimate, and the plan's Cost ({cost_raw}) is not GPU-hours",
        )
    return Estimate(gpu_hours=None, source="no run estimate and no Cost in the plan")


def counted(n: int, word: str) -> str:
    """``n`` of ``word`` in English, singular for one: "1 run", "4 CPU slots"."""
    return f"{n} {word}{'' if n == 1 else 's'}"


# The overview's lines in English and Chinese; ids, names, numbers and the unit GPU-h as they are.
_LINES: dict[str, tuple[str, str]] = {
    "counts": (
        "{blocks} ({must_blocks} must-run, {nice_blocks} nice-to-have{cut}); {runs} "
        "({must_runs} must-run, {nice_runs} nice-to-have){tasks}",
        "{n_blocks} 个实验块（{must_blocks} 个必做，{nice_blocks} 个可选{cut}）；{n_runs} 个运行"
        "（{must_runs} 个必做，{nice_runs} 个可选）{tasks}",
    ),
    "tasks": (
        "; {tasks} of the tracker, not runs",
        "；另有 {n} 个追踪表的实现任务，不是运行",
    ),
    "milestone": (
        "{id}{sanity}{name}: {runs}{why}, {hours}",
        "{id}{sanity}{name}：{n_runs} 个运行{why}，{hours}",
    ),
    "sanity": (" (sanity)", "（健全性）"),
    "no_milestone": ("(no milestone)", "（无里程碑）"),
    "unknown": ("GPU-h unknown", "GPU-h 未知"),
    "estimated": ("estimated: ~{total:.2f} GPU-h", "估计：~{total:.2f} GPU-h"),
    "without": (" (without {ids})", "（不含 {ids}）"),
    "left": (
        " for the runs left to launch ({runs} the tracker marks done or ruled out not counted)",
        "，为待启动运行的估计（追踪表标为已完成或排除的 {n} 个运行不计入）",
    ),
    "budgeted": (" of {budget:g} budgeted", "，预算 {budget:g} GPU-h"),
    "above": (" ⚠ above the budget", " ⚠ 超出预算"),
}


def _line(key: str, language: str, **values: object) -> str:
    english, chinese = _LINES[key]
    return (chinese if language == "zh" else english).format(**values)


def overview(project: LoadedProject, language: str = "en") -> tuple[str, ...]:
    """
    The opening summary, one line each: blocks and runs by priority, each milestone with its
    name, runs and GPU-hours (then the runs of a milestone the plan lacks, or of none), and
    the total of them all against the plan's budget; in ``language``
    (``"zh"``, or English for anything else).
    """
    plan = project.plan
    blocks = [b for b in plan.blocks if b.priority != "cut"]
    # Said, not only left out: 008's results list five blocks where this said four.
    cut = len(plan.blocks) - len(blocks)
    must_blocks = sum(1 for b in blocks if b.priority != Priority.NICE)
    # The tracker's implementation tasks (001's I1-I7) are no runs: counted apart.
    runs = [r for r in project.runs if not r.task]
    tasks = len(project.runs) - len(runs)
    must_runs = sum(1 for r in runs if r.priority is Priority.MUST)
    lines = [
        _line(
            "counts",
            language,
            blocks=counted(len(blocks), "block"),
            n_blocks=len(blocks),
            cut=(f"，另有 {cut} 个被计划删减" if language == "zh" else f", {cut} cut by the plan")
            if cut
            else "",
            must_blocks=must_blocks,
            nice_blocks=len(blocks) - must_blocks,
            runs=counted(len(runs), "run"),
            n_runs=len(runs),
            must_runs=must_runs,
            nice_runs=len(runs) - must_runs,
            tasks=_line("tasks", language, n=tasks, tasks=counted(tasks, "implementation task"))
            if tasks
            else "",
        ),
    ]
    total = 0.0
    unknown: list[str] = []
    own = own_gpu_hours(project.milestones)
    planned = {m.id for m in project.milestones}
    # The runs of a milestone the plan lacks, or of none, are estimated too, after the plan's
    # (as the approval summary does): left out, 032's 25 runs of no milestone, 2,500 GPU-h by
    # its tracker's GPU-hrs column, made "estimated: ~0.00 GPU-h".
    others = [
        Milestone.bare(mid)
        for mid in dict.fromkeys(r.milestone for r in runs if r.milestone not in planned)
    ]
    settled = 0
    # Where each block's runs are, for a milestone of the plan with none (018's M2: its
    # block's runs went to M3 with their arms), in plan order.
    order = [m.id for m in [*project.milestones, *others]]
    placed = blocks_placed(((r.block, r.milestone) for r in runs), order)
    lent = runs_of_its_systems(
        ((b.id, b.systems) for b in project.plan.blocks),
        ((r.id, r.block, r.block_system or r.system) for r in runs),
    )
    for milestone in [*project.milestones, *others]:
        mine = [r for r in runs if r.milestone == milestone.id]
        why = (
            why_no_runs(milestone.blocks, placed, language, lent)
            if not mine and milestone.id in planned
            else ""
        )
        # What is left to spend: the rows the tracker marks done or ruled out launch nothing.
        done = [r for r in mine if r.settled_before_bridge]
        left = [r for r in mine if not r.settled_before_bridge]
        # Said in the total only where leaving them out changes it: runs that ask for GPUs.
        settled += len(done) if any(r.gpus for r in done) else 0
        estimate = estimate_milestone(milestone, left, own, settled=done)
        shown = milestone.id or _line("no_milestone", language)
        if estimate.gpu_hours is None:
            unknown.append(shown)
            hours = _line("unknown", language)
        else:
            total += estimate.gpu_hours
            hours = f"~{estimate.gpu_hours:.2f} GPU-h"
        lines.append(
            _line(
                "milestone",
                language,
                id=shown,
                sanity=_line("sanity", language) if milestone.sanity else "",
                name=f" {milestone.name}" if milestone.name else "",
                runs=counted(len(mine), "run"),
                n_runs=len(mine),
                why=(f"（{why}）" if language == "zh" else f" ({why})") if why else "",
                hours=hours,
            )
        )
    budget = plan.budget.gpu_hours
    lines.append(
        _line("estimated", language, total=total)
        + (_line("left", language, n=settled, runs=counted(settled, "run")) if settled else "")
        + (_line("without", language, ids=", ".join(unknown)) if unknown else "")
        + (_line("budgeted", language, budget=budget) if budget is not None else "")
        + (_line("above", language) if budget is not None and total > budget else "")
    )
    return tuple(lines)
