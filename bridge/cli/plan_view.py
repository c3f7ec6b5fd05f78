"""
``bridge plan``'s block view: each block with its criterion, how the results will judge it,
its compared systems and the runs attributed to it, then the runs attributed to no block.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from bridge.cli.console import terminal_cells
from bridge.lazy_patterns import lazy
from bridge.plan.milestones import stated_gate
from bridge.plan.run_gates import gate_said, judge_gate
from bridge.plan.vocabulary import VERSUS
from bridge.projections.visible import visible

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from rich.console import Group
    from rich.text import Text

    from bridge.plan import LoadedProject
    from bridge.plan.criteria import Criterion, Unparsed
    from bridge.plan.model import Block, PlanWarning
    from bridge.plan.runs import RunSpec

__all__ = [
    "block_claims",
    "claim_lines",
    "proposed_unknown",
    "render_blocks",
    "stop_rule_lines",
    "unknown_directions",
    "unplanned_systems",
]


class _Preview:
    """
    One preview of a project (one call of :func:`render_blocks`, :func:`proposed_unknown` or
    :func:`unplanned_systems`), with what it asks for every block and clause worked out once:
    the runs ruled out, every block's runs and judged systems, the runs counted by how they are
    named. Asked again for each clause, a plan of hundreds of blocks spent seconds going over
    every run (docs/performance.md, "Previewing a large plan"). Lives only as long as the call.
    """

    def __init__(self, project: LoadedProject, kept: frozenset[str] = frozenset()) -> None:
        self.project = project
        self.kept = kept
        self._judged: dict[str, tuple[str, ...]] = {}

    @functools.cached_property
    def plan_wide_names(self) -> tuple[str, ...]:
        """The metric names the plan's own metrics sections list (``## Metrics``), which a
        criterion naming no metric of its block may write, as the results read it."""
        from bridge.plan.metric_names import plan_wide_metric_names

        sections = self.project.plan.sections
        return tuple(plan_wide_metric_names((s.heading, s.text) for s in sections))

    @functools.cached_property
    def ruled_out(self) -> frozenset[str]:
        """The runs the results count for nothing: out of scope, or said not to run."""
        from bridge.plan.vocabulary import OUT_OF_SCOPE_STATUSES, says_not_run

        # As the log records them (bridge/pipeline/recording.py): every out-of-scope status, a
        # blocked row's (027's BLOCKED_BY_M1.5) too, is ruled out.
        # Not a run bridge ran that succeeded: `NOT RUN — …` on its row keeps its result
        # (bridge/pipeline/recording.py); `bridge plan` warned that no run stood for 040's
        # no_edges while listing R2 for it (trial s43 h43D).
        return frozenset(
            r.id
            for r in self.project.runs
            if (r.status in OUT_OF_SCOPE_STATUSES or says_not_run(r.status_raw))
            and r.id not in self.kept
        )

    @functools.cached_property
    def runs_by_block(self) -> dict[str, list[RunSpec]]:
        """Every run of the project by its block, in plan order."""
        by_block: dict[str, list[RunSpec]] = {}
        for r in self.project.runs:
            by_block.setdefault(r.block, []).append(r)
        return by_block

    @functools.cached_property
    def counted(self) -> _Counted:
        """The runs the results count, by block and by how they are named (:class:`_Counted`)."""
        return _Counted(self.project, self.ruled_out)

    def waiting(self, block: Block) -> dict[str, list[str]]:
        """
        The block's own runs its tracker says are blocked (027's ``BLOCKED_BY_M2``), by the
        system they stand for, for the systems no other run of the block stands for: the
        results read the criterion with their names and judge them once they run, so a clause
        comparing them is still waiting, not a comparison with something the block lacks.
        """
        from bridge.plan.recorded_status import tracker_says_blocked
        from bridge.projections.block_runs import sanity_apart

        sanity = frozenset(m.id for m in self.project.milestones if m.sanity)
        judged, _ = sanity_apart(block.id, self.runs_by_block.get(block.id, []), _fields, sanity)
        ruled_out = self.ruled_out
        counted = {r.block_system or r.system for r in judged if r.id not in ruled_out}
        out: dict[str, list[str]] = {}
        for r in judged:
            system = r.block_system or r.system
            if system and system not in counted and tracker_says_blocked(r.status_raw):
                out.setdefault(system, []).append(r.id)
        return out

    def judged_systems(self, block: Block) -> tuple[str, ...]:
        """
        The systems of ``block``'s own runs that the results will judge it on, in plan order:
        the runs :func:`~bridge.projections.block_runs.sanity_apart` gives the results (a sanity
        run, 009's R001 in B1, is none of them), less a row ruled out (027's R-L2
        STOPPED_BY_USER, NOT RUN), which counts for nothing there, so B1's other run is its one
        system and the subject of a clause naming none. Where that rules out every run, the
        systems of them all, as the results read the criterion of a block listing no systems
        (027's B3, every run BLOCKED_BY_M2: its «A2 必须分别对 A3 和 A4 …» was previewed with no
        system, "compares with something that is not a system of the block ('分别对 A3')",
        where the results read "A2" as its run system "A2 + mixed control").
        """
        from bridge.projections.block_runs import sanity_apart

        known = self._judged.get(block.id)
        if known is not None:
            return known
        sanity = frozenset(m.id for m in self.project.milestones if m.sanity)
        # The block's own runs are all sanity_apart reads the judged ones from.
        own = self.runs_by_block.get(block.id, [])
        judged, _ = sanity_apart(block.id, own, _fields, sanity)
        ruled_out = self.ruled_out
        counted = [r for r in judged if r.id not in ruled_out] or judged
        named = dict.fromkeys(r.block_system or r.system for r in counted)
        systems = self._judged[block.id] = tuple(s for s in named if s)
        return systems


def stop_rule_lines(project: LoadedProject, language: str = "en") -> list[Text]:
    """
    The plan's stop rules, then its exit criteria, each quoted under its own heading (none when
    it states none), the baselines it requires in a section of its own (each no block compares
    by that name marked) and the metrics its own metrics section lists, then its final
    checklist in one line (how many items, how many ticked,
    where; the results list them): shown with the blocks, and alone for a plan without blocks
    (025's Go/No-Go table is its only criterion). 036's Exit Criteria were listed as stop rules.
    """
    from rich.text import Text

    from bridge.plan.baselines import compared_by_no_block, required_baselines
    from bridge.plan.metric_names import plan_wide_metric_names
    from bridge.projections.text import t

    lines: list[Text] = []
    for key, rules in (
        ("plan_stop_rules", project.plan.stop_rules),
        ("plan_exit_criteria", project.plan.exit_criteria),
    ):
        if rules:
            lines.append(Text(t(key, language), style="bold"))
            lines.extend(Text(visible(f"  - {rule}")) for rule in rules)
    # 017's "## Required Baselines" and "## Metrics" were shown nowhere (trial s43 h43D).
    sections = [(s.heading, s.text) for s in project.plan.sections]
    if baselines := required_baselines(sections):
        systems = [s for b in project.plan.blocks for s in b.systems]
        lines.append(Text(t("plan_baselines", language), style="bold"))
        lines.extend(
            Text(
                visible(
                    f"  - {baseline}"
                    + (
                        t("plan_baseline_unlisted", language)
                        if systems and compared_by_no_block(baseline, systems)
                        else ""
                    )
                )
            )
            for baseline in baselines
        )
    if names := plan_wide_metric_names(sections):
        said = t("plan_wide_metrics", language).format(names=", ".join(names))
        lines.append(Text(visible(said), style="bold"))
    if items := project.plan.checklist:
        said = t("plan_checklist", language).format(
            n=len(items),
            ticked=sum(i.ticked for i in items),
            file=items[0].file,
            line=items[0].line,
        )
        lines.append(Text(visible(said), style="bold"))
    return lines


def block_claims(project: LoadedProject, block: Block) -> str:
    """
    The claims ``block`` tests, by id (:meth:`~bridge.plan.model.Plan.claims_of`: its Claim
    tested field's and the claim map's links), or its Claim tested field as written when
    neither names a claim id (001's B5 "Supporting — DepthGeometryNet design choice"); ``""``
    when it says none.
    """
    return ", ".join(project.plan.claims_of(block)) or block.claim_text


def claim_lines(project: LoadedProject, language: str = "en") -> list[Text]:
    """
    The plan's claim map, each claim with its evidence and the blocks that test it (as the
    blocks' claims lines read them), or that no block does (032's C1–C5, a plan without
    blocks, were shown nowhere): bridge judges blocks, never claims, and says so.
    """
    from rich.text import Text

    from bridge.projections.text import t

    if not project.plan.claims:
        return []
    lines = [Text(t("plan_claims", language), style="bold")]
    for claim in project.plan.claims:
        tested = [b.id for b in project.plan.blocks if claim.id in project.plan.claims_of(b)]
        said = [claim.text]
        if claim.evidence:
            said.append(t("plan_claim_evidence", language).format(text=claim.evidence))
        said.append(
            t("plan_claim_blocks", language).format(ids=", ".join(tested))
            if tested
            else t("plan_claim_no_block", language)
        )
        lines.append(Text(visible(f"  {claim.id}: " + " — ".join(said))))
    return lines


def render_blocks(
    project: LoadedProject, language: str = "en", kept: frozenset[str] = frozenset()
) -> Group:
    """
    ``bridge plan``'s block view: each block with its criterion, compared systems and the runs
    attributed to it, grouped by the compared system they stand for (sanity runs marked), then
    the runs attributed to no block, each with the reason; bridge's words in ``language``. The
    plan's text is shown visibly (:func:`~bridge.cli.console.shown`): a rich renderable's text
    is never made visible by the console.
    """
    from rich.console import Group
    from rich.text import Text

    from bridge.plan.attribution import SANITY_CHECK, run_stands_for, whole_names
    from bridge.plan.vocabulary import OUT_OF_SCOPE_STATUSES, says_not_run
    from bridge.projections.block_runs import criterion_systems, lent_runs
    from bridge.projections.reasons import in_language
    from bridge.projections.text import t

    sanity = {m.id for m in project.milestones if m.sanity}
    known = {b.id for b in project.plan.blocks}
    connected = project.config.metrics.aliases
    aliases = list(dict.fromkeys([*connected, *connected.values()]))
    parts: list[Text] = [Text(t("plan_blocks", language), style="bold")]
    # An alias that is a compared system of the plan names that system only (004).
    plan_names = whole_names(s for b in project.plan.blocks for s in b.systems)
    # The runs another block may share, by how they are named (whether a run stands for a
    # system depends on nothing else): asked once per naming, not once per run and block.
    namings: dict[_Naming, list[RunSpec]] = {}
    order = {r.id: k for k, r in enumerate(project.runs)}
    for r in project.runs:
        # Nor a sanity check by its Purpose (011's R012), as the results leave it out.
        if r.milestone not in sanity and not r.attribution.startswith(SANITY_CHECK):
            namings.setdefault(_naming(r), []).append(r)
    preview = _Preview(project, kept)
    runs_by_block = preview.runs_by_block
    for block in project.plan.blocks:
        by_system: dict[str, list[str]] = {}
        for run in runs_by_block.get(block.id, ()):
            mark = t("plan_sanity_run", language) if run.milestone in sanity else ""
            if run.id in preview.ruled_out and says_not_run(run.status_raw):
                # The researcher's `NOT RUN — …`: listed, yet counted for nothing, said so.
                mark += t("plan_ruled_out_run", language)
            elif run.id in kept and (
                run.status in OUT_OF_SCOPE_STATUSES or says_not_run(run.status_raw)
            ):
                # 040's R2 set NOT RUN after it succeeded: still counted (bridge keeps a run's
                # result), said with the way that leaves it out.
                mark += t("plan_kept_run", language).format(status=run.status_raw.strip())
            shown = run.block_system or run.system
            if not block.systems and run.block_system and run.system != run.block_system:
                # A block with no Compared systems knows its runs by the aliases its criterion
                # writes (012's "variant 2"): the run's own system is said beside it.
                shown = f"{run.block_system} ({run.system})"
            by_system.setdefault(shown, []).append(run.id + mark)
        # Runs with no system are listed by id alone (030's "-: A1, A2" read as a system "-"),
        # but said so beside runs listed by system: 004's B5 read "LSVJ-S + SEAP: R401; R402,
        # R404; R306+R307 output: R403", its figure and draft rows unlabelled (trial h41N F5).
        labelled = any(by_system)
        runs = "; ".join(
            f"{system}: {', '.join(ids)}"
            if system
            else t("plan_no_system", language).format(ids=", ".join(ids))
            if labelled
            else ", ".join(ids)
            for system, ids in by_system.items()
        )
        # A compared system the block has no run of is judged on another block's runs of it
        # (bridge/projections/block_runs.py): named here with the block it comes from, as the
        # verdict will use it (039's B1 judged MART on B3's R008, which the preview never
        # showed).
        shared = {
            system: [
                f"{r.id} ({r.block})" if r.block else r.id
                # Runs of no block only where no block has a run of the system, as the
                # results lend them (lent_runs: the quickstart's R021 beside B1's runs).
                for r in lent_runs(
                    sorted(
                        (
                            r
                            for (names, aliases, purpose), theirs in namings.items()
                            if run_stands_for(
                                names, aliases, system, block.systems, plan_names, purpose
                            )
                            for r in theirs
                            if r.block != block.id
                        ),
                        key=lambda r: order[r.id],  # in the plan's order, as before
                    ),
                    lambda r: r.block,
                    known,
                )
            ]
            for system in block.systems
            if system not in by_system
        }
        borrowed = "; ".join(f"{system}: {', '.join(ids)}" for system, ids in shared.items() if ids)
        if borrowed:
            said = t("plan_shares", language).format(ids=borrowed)
            runs = f"{runs}; {said}" if runs else said
        head = f"{block.id}: {block.title}" if block.title else block.id
        parts.append(Text(visible(head), "bold"))
        criterion = block.success_criterion or t("plan_none_written", language)
        # The researcher's criterion keeps the lines it was written on, as before.
        shown = visible(f"{t('plan_criterion', language)}{criterion}", keep="\n")
        parts.append(Text(shown))
        # A block that lists no systems is judged on its runs' systems (the results read them
        # so): the preview reads the criterion with the same names (trial N3 on 012).
        # With the systems of the runs still blocked in the tracker, as the results read it
        # (027's B3 with R-C3 alone BLOCKED_BY_M2: «A2 … 分别对 A3» compared "something that
        # is not a system of the block"); a clause comparing one says it waits for them.
        waiting = preview.waiting(block)
        systems_of_runs = tuple(dict.fromkeys((*preview.judged_systems(block), *waiting)))
        parts.extend(
            Text(visible(line))
            for line in _criterion_lines(
                block.success_criterion,
                block,
                language,
                aliases,
                # A run of the block under its own name is a system the criterion may name
                # (039's B2 and R004's "MART deletion suite"), as the results read it.
                criterion_systems(
                    block.systems,
                    block.success_criterion,
                    systems_of_runs,
                    [s for b in project.plan.blocks if b.id != block.id for s in b.systems],
                ),
                project.plan.method_text(),
                preview,
                waiting,
            )
        )
        systems = "; ".join(block.systems) or "-"
        parts.append(Text(visible(f"{t('plan_systems', language)}{systems}")))
        if claims := block_claims(project, block):
            parts.append(Text(visible(f"{t('plan_block_claims', language)}{claims}")))
        parts.append(Text(visible(f"{t('plan_block_runs', language)}{runs or '-'}")))
        if block.seed_count and block.seed_count > 1:
            # Said before anything runs: a system planned with fewer runs than the stated
            # seeds (039's deterministic MART, run once) is judged on those.
            short = [
                f"{system} ({len(ids)})"
                for system, ids in by_system.items()
                if system and len(ids) < block.seed_count
            ]
            fewer = ", ".join(short[:4]) + (
                t("plan_more_systems", language).format(n=len(short) - 4) if len(short) > 4 else ""
            )
            seeds = t("plan_seeds", language).format(n=block.seed_count)
            if fewer:
                seeds += t("plan_seeds_fewer", language).format(systems=fewer)
            parts.append(Text(visible(seeds)))
        elif block.seeds_together:
            parts.append(
                Text(
                    visible(t("plan_seeds_together", language).format(command=block.seeds_together))
                )
            )
    parts.extend(claim_lines(project, language))
    gates = [(m.id, said) for m in project.milestones if (said := stated_gate(m.gate))]
    if gates:
        # Said once, before anything runs: bridge holds the plan on the sanity milestone's
        # runs and its blocks' criteria, never on a gate's prose, and must not seem to.
        parts.append(Text(t("plan_gates", language), style="bold"))
        parts.extend(Text(visible(f"  {milestone}: {said}")) for milestone, said in gates)
    gated = [r for r in project.runs if r.gate and not r.task]
    if gated:
        # Each run's own gate (011's R013 "Dev macro F1 ≥ 0.55"), with how bridge reads it:
        # shown nowhere, a failed one went unseen beside a verdict the researcher trusts.
        parts.append(Text(t("plan_run_gates", language), style="bold"))

        def words(reason: str) -> str:
            return in_language(reason, language)

        parts.extend(
            Text(
                visible(
                    f"  {r.id}: " + gate_said(r.gate, judge_gate(r.gate, None), language, words)
                )
            )
            for r in gated
        )
    parts.extend(stop_rule_lines(project, language))
    # Rows ruled out for good are listed as not launched, with their reason (see runs.py).
    # The tracker's implementation tasks are no runs (the counts line says how many): a block
    # has nothing to gain from them.
    experiments = [r for r in project.runs if not r.task]
    # As the results count them (their "Runs not attributed to a block"): a sanity run is
    # reported under its milestone, and a row bridge itself cancelled (its CANCELLED written
    # back beside its labelled note, 001's R013/R014 after R006 crashed) runs again, so it
    # still needs a block; only the researcher's own skip takes a row out.
    loose = [
        r
        for r in experiments
        if r.block not in known
        and r.milestone not in sanity
        and (_cancelled_by_bridge(r) or (r.status != "skipped" and not says_not_run(r.status_raw)))
    ]
    if loose:
        parts.append(
            Text(
                t("plan_loose", language).format(n=len(loose), total=len(experiments)),
                style="yellow",
            )
        )
        for run in loose[:20]:
            reason = in_language(run.attribution, language)
            parts.append(Text(visible(f"  {run.id} ({run.system or '-'}): {reason}")))
        if len(loose) > 20:
            parts.append(Text(t("plan_more", language).format(n=len(loose) - 20)))
    return Group(*parts)


def _cancelled_by_bridge(run: RunSpec) -> bool:
    """Whether the run's tracker row holds bridge's own CANCELLED (written back beside its
    labelled note when it could not go on), not the researcher's decision to skip the row."""
    from bridge.plan.runs import ran_by_bridge

    return ran_by_bridge(run.notes) and run.status_raw.strip("*_ ").upper() == "CANCELLED"


def _criterion_lines(
    text: str,
    block: Block,
    language: str = "en",
    aliases: Sequence[str] = (),
    systems: Sequence[str] = (),
    method: str = "",
    preview: _Preview | None = None,
    waiting: Mapping[str, Sequence[str]] | None = None,
) -> list[str]:
    """
    How the results will judge a criterion, clause by clause, so a researcher can reword it
    before running (``read as:`` a rule, or why it is not machine-checkable). ``aliases``: the
    metric names ``[metrics] aliases`` connects, which the criterion may use too; ``systems``:
    the names the results read it with (the block's, else its runs'); ``method``: the plan's
    method thesis, by which the results may tell the proposed system; ``preview``: the loaded
    project's preview, whose planned runs say which compared systems will have numbers;
    ``waiting``: the systems whose only runs the tracker says are blocked, with those runs (a
    clause comparing one is said to wait for them).
    """
    from bridge.plan.criteria import Compound, Criterion
    from bridge.plan.criteria.clauses import words_left_out
    from bridge.plan.criteria.model import GAP_READ
    from bridge.plan.metric_names import plan_metric_names, primary_metric_name
    from bridge.projections.outcome import parse_block_criterion
    from bridge.projections.plan_words import criterion_in_language
    from bridge.projections.reasons import in_language
    from bridge.projections.text import t

    if not text.strip():
        return []
    # Read as the results read it (one reading for both): with the plan-wide metric names a
    # clause naming none of its block's may write (032's «improves AggViol over FedAvg»).
    parsed = parse_block_criterion(
        text,
        systems,
        plan_metric_names(block.metrics),
        aliases,
        preview.plan_wide_names if preview is not None else (),
    )
    clauses = parsed.clauses if isinstance(parsed, Compound) else (parsed,)
    # A clause naming no metric is judged on the primary one, which decides what its bare "%"
    # means (points of a rate, else a relative change): read here as the judge reads it, where
    # the primary metric is known before the runs (`[metrics] primary`, else the block's own).
    primary = (preview.project.config.metrics.primary if preview is not None else "") or (
        primary_metric_name(block.metrics)
    )
    if primary:
        clauses = tuple(c.judged_on(primary) if isinstance(c, Criterion) else c for c in clauses)
    label = t("plan_read_as", language)
    lines = []
    for number, clause in enumerate(clauses, 1):
        index = f"{number}. " if len(clauses) > 1 else ""
        what = (
            criterion_in_language(clause, language)
            if isinstance(clause, Criterion)
            else in_language(f"not machine-checkable: {clause.reason}", language)
        )
        held = _held_runs(clause, waiting or {}) if isinstance(clause, Criterion) else []
        if held:
            # Its numbers come once those runs run: said so, not that the block lacks them.
            what += t("plan_waiting", language).format(ids=", ".join(held))
        elif isinstance(clause, Criterion) and (
            unnamed := _unnamed_reference(clause, block, systems, method)
        ):
            # As the judge will say it: a change after a comparison with a named system,
            # measured from it or from the block's baseline, another system (h43B, item 1).
            what = in_language(f"not machine-checkable: {unnamed}", language)
        elif isinstance(clause, Criterion) and _no_baseline(clause, block, systems):
            # 011's B4: "accuracy higher for reranked by ≥5pp" previewed as a comparison with
            # the baseline, and judged "the block has none" (trial T5).
            what += t("plan_no_baseline", language)
        elif isinstance(clause, Criterion) and (
            shared := _shared_subject(clause, block, systems, method)
        ):
            # As the judge will say it (039's B3 «GNN 同时优于 MART»): no comparison to preview.
            what = in_language(f"not machine-checkable: {shared}", language)
        elif isinstance(clause, Criterion) and _no_proposed(clause, block, systems, method):
            compared = _proposed_compared(clause, block, systems, method)
            what += (
                t("plan_no_proposed", language)
                if compared is None
                else t("plan_proposed_compared", language).format(
                    system=compared[0], why=in_language(compared[1], language)
                )
            )
        elif (
            isinstance(clause, Criterion)
            and preview is not None
            and (missing := _unplanned(preview, clause, block, systems, method))
        ):
            what += t("plan_unplanned", language).format(systems=", ".join(missing))
        gap = (
            next((n for n in clause.notes if GAP_READ.match(n)), None)
            if isinstance(clause, Criterion)
            else None
        )
        if gap is not None and isinstance(clause, Criterion):
            # 032's «UtilityNLL gap < 5%» previewed "UtilityNLL gap < 5 pp", a difference the
            # results never take: they look for a recorded gap, and leave it open without one.
            what += t("plan_gap", language).format(
                metric=repr(clause.metric), note=in_language(gap, language)
            )
        lines.append(f"{label if number == 1 else ' ' * terminal_cells(label)}{index}{what}")
    # A sentence the plan calls a bonus (006's B6), or one saying what is not required (008's
    # B4), is no clause: said, never dropped unseen. An Unparsed criterion says it in its reason.
    if isinstance(parsed, (Compound, Criterion)):
        for note in words_left_out(parsed.notes):
            said = in_language(note, language)
            lines.append(
                f"{' ' * terminal_cells(label)}{t('plan_bonus', language).format(note=said)}"
            )
    if isinstance(parsed, Compound) and parsed.alternatives:
        parts = " | ".join(", ".join(str(i + 1) for i in part) for part in parsed.alternatives)
        either = t("plan_either", language).format(parts=parts)
        lines.append(f"{' ' * terminal_cells(label)}{either}")
    return lines


def _held_runs(clause: Criterion, waiting: Mapping[str, Sequence[str]]) -> list[str]:
    """The blocked runs of the systems ``clause`` compares whose only runs are blocked."""
    named = [s for s in (clause.subject, clause.reference) if s is not None and s in waiting]
    return [run for system in named for run in waiting[system]]


def _fields(run: RunSpec) -> RunSpec:
    # A run of the plan is its own fields (a run of the log is read through its spec).
    return run


def _no_proposed(clause: Criterion, block: Block, systems: Sequence[str], method: str) -> bool:
    """
    Whether ``clause`` names no system and the results cannot tell the block's proposed system
    either: :func:`bridge.machine.comparisons.subject_of` finds no subject when every one of
    ``systems`` has results, with the reference and proposed system the results take (its
    ``Baseline:`` and ``Proposed:`` lines, else :func:`~bridge.projections.block_runs.
    reference_system` and :func:`~bridge.projections.block_runs.candidate_system`). 005's B1
    («top contributor <40%», with A0, RAW joint v5 and the wrapper) was read as "the proposed
    system: …" and judged open after the runs, with no word before them (trial B).
    """
    from bridge.plan.criteria import Scope

    # No systems: the block's runs, which name none, are the subject together.
    if clause.subject or not systems or clause.scope is not Scope.SINGLE:
        return False
    return _subject(clause, block, systems, method) is None


def _proposed_compared(
    clause: Criterion, block: Block, systems: Sequence[str], method: str
) -> tuple[str, str] | None:
    """
    The block's proposed system and the evidence for it (its Proposed line, a mark, the method
    thesis …) when it is the system ``clause`` compares with, which is then not its subject
    (039's B3 «GNN 同时优于 MART», MART the system the method thesis names); said so, as the
    results say it, rather than "the proposed system is not known".
    """
    from bridge.plan.criteria import BASELINE
    from bridge.projections.block_runs import candidate_system, reference_system

    reference = block.baseline if block.baseline in systems else reference_system(systems)
    named = clause.reference if clause.reference not in (None, BASELINE) else None
    if named is None:
        return None
    if block.proposed in systems and block.proposed != reference:
        candidate: str | None = block.proposed
        why = "the block's proposed system (its Proposed line)"
    else:
        candidate, why = candidate_system(
            systems, reference, frozenset(systems), method, listed=bool(block.systems)
        )
    return (candidate, why) if candidate is not None and candidate == named else None


def _subject(
    clause: Criterion,
    block: Block,
    systems: Sequence[str],
    method: str,
    judged: Sequence[str] = (),
) -> str | None:
    """
    The system ``clause`` is about, as :func:`bridge.machine.comparisons.subject_of` will read
    it (asked of it, so the preview and the results cannot differ): the one it names, else the
    block's proposed system unless the clause compares with it (039's B3 «GNN 同时优于 MART»,
    MART the system the method thesis names: previewed as "the proposed system vs MART" and
    judged "the proposed system is not known"), else the only other system besides the
    references; ``None`` when none of these names one. ``judged``: the systems of the runs the
    results will judge the block on, which are the systems the judge picks "the only other
    system" from (it knows no other); ``systems`` where none is given.
    """
    from bridge.machine.comparisons import ClauseContext, Inconclusive, subject_of
    from bridge.plan.criteria import BASELINE

    if clause.subject:
        return clause.subject
    reference, candidate = _reference_and_proposed(block, systems, method)
    context = ClauseContext(
        aggregates=(),
        expected_seeds=1,
        reference_system=reference,
        candidate_system=candidate,
        candidate_evidence="",
        primary_metric=None,
        ablated_systems=None,
        aliases=None,
        lower_is_better=None,
        planned_systems=block.systems,
    )
    named = clause.reference if clause.reference not in (None, BASELINE) else None
    try:
        return subject_of(clause, context, judged or systems, named, [])
    except Inconclusive:
        return None


def _reference_and_proposed(
    block: Block, systems: Sequence[str], method: str
) -> tuple[str | None, str | None]:
    """
    The block's reference and proposed systems as the results take them: its ``Baseline:``
    and ``Proposed:`` lines, else :func:`~bridge.projections.block_runs.reference_system` and
    :func:`~bridge.projections.block_runs.candidate_system`.
    """
    from bridge.projections.block_runs import candidate_system, reference_system

    reference = block.baseline if block.baseline in systems else reference_system(systems)
    candidate: str | None = block.proposed
    if not (candidate in systems and candidate != reference):
        candidate, _ = candidate_system(
            systems, reference, frozenset(systems), method, listed=bool(block.systems)
        )
    return reference, candidate


def _unnamed_reference(
    clause: Criterion, block: Block, systems: Sequence[str], method: str
) -> str | None:
    """
    Why the judge will leave ``clause`` open: a change naming no system it is measured from,
    after a comparison with other systems (``reference_before``), where the block's baseline
    is not the one of them (:func:`bridge.machine.comparisons.unnamed_reference_reason`);
    None otherwise.
    """
    import attrs

    from bridge.machine.comparisons import unnamed_reference_reason
    from bridge.plan.criteria import BASELINE

    if not clause.reference_before or clause.reference != BASELINE:
        return None
    baseline, proposed = _reference_and_proposed(block, systems, method)
    subject = clause.subject or proposed
    before = tuple(b for b in clause.reference_before if b != subject)
    if not before or [baseline] == list(before):
        return None
    return unnamed_reference_reason(attrs.evolve(clause, reference_before=before), baseline)


def _shared_subject(
    clause: Criterion, block: Block, systems: Sequence[str], method: str
) -> str | None:
    """
    Why the judge will not take a subject for ``clause``: its words are part of several
    systems' names and the block's proposed system is none of them
    (:func:`bridge.machine.comparisons.shared_subject_reason`); None otherwise.
    """
    from bridge.machine.comparisons import shared_subject_reason

    if not clause.subject_could_be:
        return None
    return shared_subject_reason(clause, _reference_and_proposed(block, systems, method)[1])


def _blocks_clauses(
    preview: _Preview,
) -> Iterator[tuple[Block, tuple[str, ...], tuple[Criterion | Unparsed, ...]]]:
    """
    Each block with a success criterion, the systems the results judge it on (its compared
    systems, or its own runs' where it lists none) and its criterion's clauses, parsed as the
    results parse them (the plan's metric names and the ``[metrics] aliases`` as metrics).
    """
    from bridge.plan.criteria import Compound
    from bridge.plan.metric_names import plan_metric_names
    from bridge.projections.block_runs import criterion_systems
    from bridge.projections.outcome import parse_block_criterion

    project = preview.project
    connected = project.config.metrics.aliases
    aliases = list(dict.fromkeys([*connected, *connected.values()]))
    for block in project.plan.blocks:
        if not block.success_criterion.strip():
            continue
        systems = criterion_systems(
            block.systems,
            block.success_criterion,
            preview.judged_systems(block),
            [s for b in project.plan.blocks if b.id != block.id for s in b.systems],
        )
        parsed = parse_block_criterion(
            block.success_criterion,
            systems,
            plan_metric_names(block.metrics),
            aliases,
            preview.plan_wide_names,
        )
        yield block, systems, parsed.clauses if isinstance(parsed, Compound) else (parsed,)


def no_primary_metric(project: LoadedProject, language: str = "en") -> list[PlanWarning]:
    """
    A warning at the Success criterion line of each block whose clauses name no metric (read
    as "primary metric") while neither ``[metrics] primary`` nor the block's Metrics field
    gives one: only a run recording its row's first metric by that very name does, else the
    results leave the clause inconclusive (012's B2, trial t16 F14). Said now, naming the
    setting to add, in ``language``.
    """
    from bridge.plan.criteria import Criterion
    from bridge.plan.metric_names import primary_metric_name
    from bridge.plan.model import PlanWarning
    from bridge.projections.text import t

    if project.config.metrics.primary.strip():
        return []
    out: list[PlanWarning] = []
    for block, _, clauses in _blocks_clauses(_Preview(project)):
        unnamed = [
            f"«{c.text}»"
            for c in clauses
            if isinstance(c, Criterion) and c.metric is None and c.derived is None
        ]
        if not unnamed or primary_metric_name(block.metrics):
            continue
        # A row's first metric is its run's key metric only if the run records that name
        # (012's "full, high-DTU, stable NLL" rows recorded high_dtu_nll: inconclusive).
        leads = [r.metrics[0] for r in project.runs if r.block == block.id and r.metrics]
        rows = (
            t("plan_no_primary_metric_rows", language).format(
                names=", ".join(repr(n) for n in dict.fromkeys(leads))
            )
            if leads
            else ""
        )
        # As the judge does (judge._listed_besides): a clause whose words speak of another
        # metric the rows list is left open, not judged on the lead one (012's «high-DTU
        # endpoint» beside 'full').
        listed = [m for r in project.runs if r.block == block.id for m in r.metrics[1:]]
        if said := _mentioned_besides(leads, listed, [c[1:-1] for c in unnamed]):
            rows += t("plan_no_primary_metric_mentions", language).format(
                names=", ".join(repr(n) for n in said)
            )
        line = next((f.line for f in block.fields if f.key == "success"), block.line)
        message = t("plan_no_primary_metric", language).format(
            block=block.id, clauses=", ".join(dict.fromkeys(unnamed)), rows=rows
        )
        out.append(PlanWarning(file=block.file, line=line, message=message))
    return out


def unknown_directions(project: LoadedProject, language: str = "en") -> list[PlanWarning]:
    """
    A warning per metric that clauses of the blocks' criteria count a gain of the better way
    ("improves", "outperforms", «优于», "does not degrade") while nothing says which way is
    better for it (:func:`bridge.machine.judge.direction_unknown`: not the clause's words,
    ``[metrics] higher_is_better``, the names bridge knows, nor the plan's agreeing words),
    at the first such clause's Success criterion line, naming every such clause and the
    bridge.toml line to add: the results would leave them open, after the runs (005's B2
    «mean paired lift … ≥+0.05» on J-drop). A level ("Vpk ≥ 0.8") needs no direction. The
    metric is the clause's, else ``[metrics] primary``, else the block's primary metric; it
    is known where a name ``[metrics] aliases`` connects to it is. In ``language``.
    """
    from bridge.machine.judge import direction_unknown
    from bridge.plan.criteria import Criterion
    from bridge.plan.directions import said_directions
    from bridge.plan.metric_names import metric_key, primary_metric_name
    from bridge.plan.model import PlanWarning
    from bridge.projections.reasons import in_language
    from bridge.projections.text import t

    metrics = project.config.metrics
    lower = {name: not higher for name, higher in metrics.higher_is_better.items()}
    said = said_directions(project.plan)
    found: dict[str, tuple[Block, str, list[str]]] = {}
    for block, systems, clauses in _blocks_clauses(_Preview(project)):
        # A clause naming no metric is judged on the key metric the runs record, which may be
        # their rows' lead one: known there (002's rows' "final quality"), it is not warned of.
        leads = [
            r.metrics[0]
            for r in project.runs
            if r.metrics and (r.block == block.id or (r.block_system or r.system) in systems)
        ]
        for clause in clauses:
            if not isinstance(clause, Criterion) or clause.derived is not None:
                continue
            metric = clause.metric or metrics.primary.strip() or primary_metric_name(block.metrics)
            if not metric:
                continue  # no metric at all: no_primary_metric says so
            # A name the aliases connect to it may be the one the runs record and bridge knows.
            key = metric_key(metric)
            names = [
                metric,
                *(b for a, b in metrics.aliases.items() if metric_key(a) == key),
                *(a for a, b in metrics.aliases.items() if metric_key(b) == key),
                *(leads if clause.metric is None and not metrics.primary.strip() else []),
            ]
            whys = [direction_unknown(clause, n, metric, lower, said) for n in names]
            if any(why is None for why in whys) or not (why := whys[0]):
                continue
            entry = found.setdefault(key, (block, why, []))
            entry[2].append(f"{block.id} «{clause.text}»")
    out: list[PlanWarning] = []
    for block, why, said_in in found.values():
        line = next((f.line for f in block.fields if f.key == "success"), block.line)
        message = t("plan_direction_unknown", language).format(
            clauses=", ".join(dict.fromkeys(said_in)), why=in_language(why, language)
        )
        out.append(PlanWarning(file=block.file, line=line, message=message))
    return out


def _mentioned_besides(leads: list[str], listed: list[str], texts: list[str]) -> list[str]:
    """
    The ``listed`` metrics (rows' Metrics cells past their lead) that name no lead metric and
    that ``texts`` mention by the words telling them apart from a lead (``high-DTU NLL``
    beside ``full NLL`` by "high DTU"), as written, once each.
    """
    from bridge.plan.metric_names import mentioned_in, metric_key, words_apart

    keys = {metric_key(lead) for lead in leads}
    apart: dict[str, str] = {}
    for name in dict.fromkeys(listed):
        if metric_key(name) in keys:
            continue
        for lead in leads or [""]:
            apart.setdefault(words_apart(name, lead), name)
    return list(dict.fromkeys(apart[m] for m in sorted(mentioned_in(apart, texts))))


def proposed_unknown(project: LoadedProject, language: str = "en") -> list[PlanWarning]:
    """
    A warning at each block's Success criterion line whose clauses name no system while the
    block's proposed system cannot be told (:func:`_no_proposed`), or is the system they
    compare with (:func:`_proposed_compared`, one warning per such system): said by ``bridge
    plan`` before anything runs, as a missing baseline is, with how to mark it; in
    ``language``.
    """
    from bridge.plan.blocks import proposed_line
    from bridge.plan.criteria import Criterion
    from bridge.plan.model import PlanWarning
    from bridge.projections.reasons import in_language
    from bridge.projections.text import t

    method = project.plan.method_text()
    out: list[PlanWarning] = []
    for block in project.plan.blocks:
        # A Proposed line beside a Compared systems field that names none of them counts for
        # nothing; said, as the reader followed advice to write it (005's B1, trial t7).
        # So too a Baseline line (004's B3, advised "add a `Baseline:` line", trial h39B).
        for kind, told in (("proposed", block.proposed), ("baseline", block.baseline)):
            role = proposed_line(block, kind)
            if role is not None and block.systems and not told:
                out.append(
                    PlanWarning(
                        file=block.file,
                        line=role.line,
                        message=t(f"plan_{kind}_ignored", language).format(
                            block=block.id, systems=", ".join(block.systems)
                        ),
                    )
                )
    preview = _Preview(project)
    for block, systems, clauses in _blocks_clauses(preview):
        ran = tuple(dict.fromkeys(preview.judged_systems(block)))
        for kind, told in (("proposed", block.proposed), ("baseline", block.baseline)):
            role = proposed_line(block, kind)
            if not block.systems and told and told not in ran and role:
                # A lone Proposed (Baseline) line in a block that lists no systems names one
                # of its runs' systems (038's B4, 027's B1); one naming none of them counts for
                # nothing, said so.
                out.append(
                    PlanWarning(
                        file=block.file,
                        line=role.line,
                        message=t(f"plan_{kind}_no_run", language).format(
                            block=block.id, named=told, systems=", ".join(ran) or "-"
                        ),
                    )
                )
        unheld = [
            c
            for c in clauses
            if isinstance(c, Criterion)
            and _no_proposed(c, block, systems, method)
            # Said in its read-as line, as a reference several systems could be is.
            and _shared_subject(c, block, systems, method) is None
        ]
        # Those whose reference is the proposed system (039's B3 «GNN 同时优于 MART») are said
        # apart: the proposed system is known there.
        compared: dict[tuple[str, str], list[str]] = {}
        open_: list[str] = []
        for clause in unheld:
            found = _proposed_compared(clause, block, systems, method)
            if found is None:
                open_.append(f"«{clause.text}»")
            else:
                compared.setdefault(found, []).append(f"«{clause.text}»")
        line = next((f.line for f in block.fields if f.key == "success"), block.line)
        # Each warning: its words, the clauses it is said of, and what else it names.
        said_of: list[tuple[str, list[str], dict[str, str]]] = []
        if open_:
            said_of.append(("plan_no_proposed_warning", open_, {}))
        said_of.extend(
            (
                "plan_proposed_compared_warning",
                said,
                {"system": system, "why": in_language(why, language)},
            )
            for (system, why), said in compared.items()
        )
        for key, said, named in said_of:
            one = len(said) == 1
            message = t(key, language).format(
                block=block.id,
                clauses=", ".join(said),
                names="names" if one else "name",
                it="it" if one else "they",
                **named,
            )
            out.append(PlanWarning(file=block.file, line=line, message=message))
    return out


def _unplanned(
    preview: _Preview, clause: Criterion, block: Block, systems: Sequence[str], method: str
) -> list[str]:
    """
    The systems ``clause`` compares (its subject and, for a comparison, its reference, as the
    results will read them) that no planned run stands for: not a system of the block's own
    runs, nor one another block's run stands for (as :func:`bridge.projections.block_runs.
    block_runs` shares them). The results find no numbers for such a system and leave the
    clause open: 006's B5 «composite skill > 0» is judged on "S3 composite", which R002
    computes under its tracker name ``combine_net_load_runs.py``; `bridge plan` read it as a
    checkable clause with no word, and the sanity milestone passed on it unjudged (trial).
    Empty for a block with no runs of its own (a block finished before this plan) or with no
    compared systems (its runs' systems are its systems).
    """
    from bridge.plan.criteria import BASELINE, Mode, Scope
    from bridge.projections.block_runs import reference_system

    if not block.systems or clause.scope is not Scope.SINGLE:
        return []
    # The subject among the systems the block's runs will have results under, as the judge
    # takes it: 008's B5 «zero unsupported core claims» is judged on R010's "Paper draft", the
    # block's only system with results, and was warned to have no run for the one system its
    # Compared systems line names.
    judged = preview.judged_systems(block)
    involved = [_subject(clause, block, systems, method, judged)]
    if clause.mode is not Mode.ABSOLUTE and clause.derived is None:
        reference = (
            (block.baseline if block.baseline in systems else reference_system(systems))
            if clause.reference == BASELINE
            else clause.reference
        )
        involved.append(reference)
    return _without_runs(preview, block, involved)


def _unplanned_named(preview: _Preview, clause: Unparsed, block: Block) -> list[str]:
    """
    The block's compared systems an open clause names that no planned run stands for (as
    :func:`_without_runs` tells): the clause is read by a person, who finds no numbers for
    them either. 039's B3 «source-shuffle 使性能下降» (the best GNN shuffled, which GNN not
    said) is open; its system 最佳 GNN 的 source-shuffle has no run of that name (R006 runs
    "source-shuffle best GNN"), which the plan warned of while the clause was read as a
    comparison, and stopped warning of when it was read as open.
    """
    from bridge.plan.criteria.lexicon import normalise, replace_terms
    from bridge.plan.criteria.phrases import system_name, system_terms

    systems = [s for s in block.systems if s.strip()]
    if not systems:
        return []
    tagged, _ = replace_terms(normalise(clause.text), system_terms(systems))
    named = [system_name(p, systems) for p in dict.fromkeys(_PLACEHOLDER.findall(tagged))]
    return _without_runs(preview, block, named)


_PLACEHOLDER = lazy(r"⟨S[A-Z]+⟩")


def _without_runs(preview: _Preview, block: Block, involved: Sequence[str | None]) -> list[str]:
    """
    The systems of ``involved`` that no planned run stands for: not a system of the block's
    own runs, nor one another block's run stands for; ``[]`` for a block with no runs of its
    own (see :func:`_unplanned`).
    """
    from bridge.plan.attribution import run_stands_for

    sanity = {m.id for m in preview.project.milestones if m.sanity}
    counted = preview.counted
    own = counted.by_block.get(block.id, [])
    if not own:
        return []
    # As the results choose a block's runs: sanity runs only for the sanity block itself.
    sanity_block = all(r.milestone in sanity for r in own)
    if not sanity_block:
        own = [r for r in own if r.milestone not in sanity]
    mine = {r.block_system or r.system for r in own}
    lacking = [system for system in dict.fromkeys(involved) if system and system not in mine]
    if not lacking:
        return []
    # The other blocks' runs that may stand for them (a sanity block may take any; another
    # block none of a sanity milestone or a sanity check by its Purpose), by how they are named.
    others = [
        naming
        for naming, (blocks, lendable) in counted.namings.items()
        if len(chosen := blocks if sanity_block else lendable) > 1 or block.id not in chosen
        if chosen
    ]
    return [
        system
        for system in lacking
        if not any(
            run_stands_for(names, aliases, system, block.systems, counted.plan_names, purpose)
            for names, aliases, purpose in others
        )
    ]


# (block system or system, system), aliases, Purpose
_Naming = tuple[tuple[str, str], tuple[str, ...], str]


def _naming(run: RunSpec) -> _Naming:
    """How a run is named, for another block to share it by (see ``run_stands_for``)."""
    return ((run.block_system or run.system, run.system), run.aliases, run.purpose)


class _Counted:
    """
    The runs the results count (no task, nothing ruled out), by block, and each way they are
    named with the blocks of its runs: all of them, and those another block may be lent (no
    sanity run, by milestone or Purpose); and the plan's compared systems written whole
    (:func:`~bridge.plan.attribution.whole_names`). Whether a run stands for a system depends
    only on how it is named, so it is asked once per naming.
    """

    def __init__(self, project: LoadedProject, ruled_out: frozenset[str]) -> None:
        from bridge.plan.attribution import SANITY_CHECK, whole_names

        sanity = {m.id for m in project.milestones if m.sanity}
        self.by_block: dict[str, list[RunSpec]] = {}
        self.namings: dict[_Naming, tuple[set[str], set[str]]] = {}
        for r in project.runs:
            if r.task or r.id in ruled_out:
                continue
            self.by_block.setdefault(r.block, []).append(r)
            blocks, lendable = self.namings.setdefault(_naming(r), (set(), set()))
            blocks.add(r.block)
            if r.milestone not in sanity and not r.attribution.startswith(SANITY_CHECK):
                lendable.add(r.block)
        # An alias that is a compared system of the plan names that system only (004).
        self.plan_names = whole_names(s for b in project.plan.blocks for s in b.systems)


def unplanned_systems(
    project: LoadedProject, language: str = "en", kept: frozenset[str] = frozenset()
) -> tuple[list[PlanWarning], list[PlanWarning]]:
    """
    A warning at the Success criterion line of each block whose checkable clauses compare
    systems no planned run stands for (:func:`_unplanned`), naming them and how to connect a
    run to one (an alias, as the results advise once it is too late); in ``language``.
    ``kept`` are the runs the log holds as succeeded: a `NOT RUN` on their rows rules none
    out. Returned as (a sanity block's, the others'): a sanity block's come first, saying what
    follows: its criterion left open holds nothing, and the later milestones launch once its
    runs pass.
    """
    from bridge.plan.criteria import Criterion, Unparsed
    from bridge.plan.criteria.parser import changes_best_of_several
    from bridge.plan.model import PlanWarning
    from bridge.plan.vocabulary import says_not_run
    from bridge.projections.block_runs import alias_pairs
    from bridge.projections.text import t

    method = project.plan.method_text()
    sanity = {m.id for m in project.milestones if m.sanity}
    first: list[PlanWarning] = []
    rest: list[PlanWarning] = []
    preview = _Preview(project, kept)
    for block, systems, clauses in _blocks_clauses(preview):
        missing: dict[str, None] = {}
        said: list[str] = []
        for clause in clauses:
            if isinstance(clause, Criterion) and not _no_proposed(clause, block, systems, method):
                lacking = _unplanned(preview, clause, block, systems, method)
            elif isinstance(clause, Unparsed) and changes_best_of_several(clause.reason):
                # Open (which of several the change was applied to is not said), but its
                # system is still one the results must show runs of (039's B3).
                lacking = _unplanned_named(preview, clause, block)
            else:
                lacking = []
            missing.update(dict.fromkeys(lacking))
            said.extend([f"«{clause.text}»"] if lacking else [])
        if not missing:
            continue
        own = [r for r in project.runs if r.block == block.id and not r.task]
        # Runs of the block that stand for none of its compared systems: the ones an alias
        # may connect (the results' advice, bridge/projections/outcome.py).
        loose = [r for r in own if r.system and not r.block_system]
        names = list(missing)
        # Each run with the missing system its words tell apart; the rest only with a system
        # no word of theirs contradicts (trial t11: "zero input" advised as "predicted depth").
        pairs, unnamed = alias_pairs(systems, names, [r.system for r in loose])
        parts = [
            t("plan_unplanned_paired", language).format(run=repr(run), name=run, system=system)
            for run, system in pairs
        ]
        left = [n for n in names if n not in {system for _, system in pairs}]
        # A system whose runs the tracker rules out has runs, counted for nothing (040's R2
        # set NOT RUN after it succeeded): said so, not that no run stands for it.
        ruled = {
            n: ids
            for n in left
            if (
                ids := [
                    r.id
                    for r in own
                    if r.id in preview.ruled_out and says_not_run(r.status_raw) and _stands(r, n)
                ]
            )
        }
        for name, ids in ruled.items():
            statuses = "; ".join(
                f"{r.id}: {r.status_raw.strip() or r.status}" for r in own if r.id in ids
            )
            parts.append(t("plan_unplanned_ruled_out", language).format(system=name, runs=statuses))
        left = [n for n in left if n not in ruled]
        if left:
            parts.append(
                t("plan_unplanned_loose", language).format(
                    runs=", ".join(repr(r) for r in unnamed), system=left[0]
                )
                if unnamed
                else t("plan_unplanned_none", language).format(system=left[0])
            )
            if len(left) > 1:
                parts[-1] += t("plan_unplanned_likewise", language).format(
                    systems=", ".join(left[1:])
                )
        advice = "; ".join(parts)
        # One run evaluating several systems ("signal heuristic vs oracle", 009's R005) may
        # record each one's numbers under its name (`regret[frequency-only heuristic]`), which
        # the results read: then nothing is missing.
        # The word is the one the runs' placement splits such a cell at (VERSUS), so a cell
        # read as several systems there is the one this advice is given for.
        if any(VERSUS.search(r.system) for r in loose):
            advice += t("plan_unplanned_labelled", language).format(
                system=left[0] if left else pairs[0][1]
            )
        values = {
            "block": block.id,
            "clauses": ", ".join(dict.fromkeys(said)),
            "systems": ", ".join(names),
            "advice": advice,
        }
        line = next((f.line for f in block.fields if f.key == "success"), block.line)
        milestones = sorted({r.milestone for r in own if r.milestone in sanity})
        if milestones and all(r.milestone in sanity for r in own):
            message = t("plan_unplanned_sanity", language).format(
                milestone=", ".join(milestones), **values
            )
            first.append(PlanWarning(file=block.file, line=line, message=message))
        else:
            message = t("plan_unplanned_warning", language).format(**values)
            rest.append(PlanWarning(file=block.file, line=line, message=message))
    return first, rest


def _stands(run: RunSpec, system: str) -> bool:
    """Whether ``run`` stands for ``system`` by the name the block's runs line shows it under."""
    return (run.block_system or run.system) == system


def _no_baseline(clause: Criterion, block: Block, systems: Sequence[str]) -> bool:
    """
    Whether ``clause`` compares with "the baseline" that the block cannot name: no Baseline
    line, no one system named baseline, and not two systems (then the other one is it).
    """
    from bridge.plan.criteria import BASELINE
    from bridge.projections.block_runs import reference_system

    # A lone Baseline line naming none of the runs' systems names no baseline (warned of).
    if clause.reference != BASELINE or (
        block.baseline and (block.systems or block.baseline in systems)
    ):
        return False
    return reference_system(systems) is None and len(systems) != 2
