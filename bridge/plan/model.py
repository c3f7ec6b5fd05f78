"""
The typed, immutable picture of a researcher's plan files.

Every value carries the file and 1-based line it came from, so a message about it can point the
user at their own text. Nothing here is guessed: absent fields are empty strings, empty tuples or
None, and whatever was not understood is kept raw (``fields``, ``columns``, ``sections``).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from bridge.value_methods import value_methods

__all__ = [
    "Block",
    "BlockRowStatus",
    "Budget",
    "ChecklistItem",
    "Claim",
    "Field",
    "Milestone",
    "Plan",
    "PlanWarning",
    "Risk",
    "Section",
    "StatedDependency",
    "TrackerRun",
]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class PlanWarning:
    """
    Something in the user's files that was repaired, ignored or not understood.

    Args:
        file: the file, relative to the project root where possible.
        line: the 1-based line (0 when the warning is about the file as a whole).
        message: what happened, for a person.
    """

    file: str
    line: int
    message: str

    @property
    def where(self) -> str:
        """``file:line``, or the file alone for a warning about the file as a whole."""
        return f"{self.file}:{self.line}" if self.line else self.file


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Field:
    """
    One labelled value inside a block (``- **Setup details**: ...``), known or not.

    Args:
        label: the label as written, without bold or colon.
        key: the template field it maps to (``setup``, ``systems`` …) or ``""`` when unknown.
        value: the value, with a nested list joined line by line.
        line: the 1-based line of the label.
    """

    label: str
    key: str
    value: str
    line: int


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Claim:
    """
    A claim from the claim map.

    Args:
        id: ``C1``, ``C1.a``, ``Anti-claim 1`` …, or ``C<n>`` by position when none is written.
        text: the claim as written.
        blocks: normalised ids of the blocks said to test it.
        file: source file.
        line: 1-based line.
        evidence: the claim map's evidence cell as written (027's «FK-vs-position p95 显著下降»),
            ``""`` when the table has no such column: which way its metrics go.
    """

    id: str
    text: str
    blocks: tuple[str, ...]
    file: str
    line: int
    evidence: str = ""


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Block:
    """
    One experiment block.

    Args:
        id: normalised id (``B1``, ``B1.5``, ``A``, ``P0``, ``E3``).
        title: the heading's title without id and tags.
        heading: the heading as written.
        priority: ``must``, ``nice``, ``cut`` or None.
        priority_raw: the Priority field, or the heading tag it came from.
        status_tag: a status tag from the heading (``COMPLETE``, ``LOCKED``, ``✅``), or ``""``.
        claims: claim ids named by the Claim tested field.
        claim_text: the Claim tested field as written.
        why: Why this block exists.
        dataset: Dataset / split / task.
        systems: compared systems, split into items.
        systems_raw: the Compared systems field as written (or the role lines they came from).
        baseline: the system a ``Baseline:`` line names, ``""`` when none does.
        proposed: the system a ``Proposed:`` (``Ours:``) line names, ``""`` when none does.
        metrics: metrics, split into items.
        metrics_raw: the Metrics field as written.
        setup: Setup details.
        seeds: seed values written in the block, each a run's.
        seed_count: number of seeds (values or a bare count), None when unstated.
        seeds_together: the command text that runs the block's seeds itself, as written
            (033's ``SEEDS=1..25``), or ``""``: then ``seeds`` and ``seed_count`` are empty,
            its seeds being one run's.
        success_criterion: Success criterion.
        failure_interpretation: Failure interpretation.
        table_target: Table / figure target.
        cost_raw: a cost in the heading or a cost field.
        gpu_hours: GPU-hours read from ``cost_raw``.
        fields: every labelled value in the block, known or not, in order.
        text: the block's whole body, raw.
        file: source file.
        line: 1-based line of the heading.
        text_line: 1-based line of ``text``'s first line (blank lines under the heading are not
            in ``text``), or 0 when not known: then the line below the heading.
    """

    id: str
    title: str
    heading: str
    priority: str | None
    priority_raw: str
    status_tag: str
    claims: tuple[str, ...]
    claim_text: str
    why: str
    dataset: str
    systems: tuple[str, ...]
    systems_raw: str
    metrics: tuple[str, ...]
    metrics_raw: str
    setup: str
    seeds: tuple[int, ...]
    seed_count: int | None
    success_criterion: str
    failure_interpretation: str
    table_target: str
    cost_raw: str
    gpu_hours: float | None
    fields: tuple[Field, ...]
    text: str
    file: str
    line: int
    baseline: str = ""
    proposed: str = ""
    seeds_together: str = ""
    text_line: int = 0


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Milestone:
    """
    One milestone of the run order.

    Args:
        id: ``M0``, ``M1.5``, ``M1A``, or the label as written (``Gate A``, ``Phase 1``).
        name: the rest of the milestone cell or heading (``Sanity``), or ``""``.
        goal: the Goal column or text.
        blocks: normalised ids of the blocks it runs.
        gate: the decision gate.
        cost_raw: the cost as written.
        gpu_hours: GPU-hours (upper bound) when the cost has a GPU-hour unit.
        sanity: True for the one sanity milestone (PARSE-RULES).
        runs_raw: the Runs cell as written.
        file: source file.
        line: 1-based line.
        cost_line: the 1-based line of the prose that states ``cost_raw`` (a milestone read
            from a heading: ``**预估成本**：~40 GPU-hours``), 0 when it is a Cost cell or none.
        labelled: read from a heading with a label (``### Phase 1 …``, ``### Week 3: …``), not
            an M-numbered heading, a table or a list: such headings may be the project's
            schedule rather than its run order (:func:`bridge.plan.milestones.schedule_note`).
    """

    id: str
    name: str
    goal: str
    blocks: tuple[str, ...]
    gate: str
    cost_raw: str
    gpu_hours: float | None
    sanity: bool
    file: str
    line: int
    runs_raw: str = ""
    cost_line: int = 0
    labelled: bool = False

    @classmethod
    def bare(cls, milestone_id: str) -> Milestone:
        """A milestone known by its id alone (the runs name it; no row of the plan does)."""
        return cls(
            id=milestone_id,
            name="",
            goal="",
            blocks=(),
            gate="",
            cost_raw="",
            gpu_hours=None,
            sanity=False,
            file="",
            line=0,
        )


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Budget:
    """
    The compute budget.

    Args:
        gpu_hours: the stated total in GPU-hours (upper bound), None when none is stated.
        raw: the budget section (or total line) as written.
        hardware: hardware named in the header or budget, as written.
        bottleneck: the stated biggest bottleneck, as written.
        file: source file.
        line: 1-based line of the budget section or total.
    """

    gpu_hours: float | None
    raw: str
    hardware: str
    bottleneck: str
    file: str
    line: int


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Risk:
    """
    One risk with its mitigation.

    Args:
        text: the risk as written.
        mitigation: the mitigation, or ``""``.
        file: source file.
        line: 1-based line.
    """

    text: str
    mitigation: str
    file: str
    line: int


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class BlockRowStatus:
    """
    The Status a tracker that lists blocks, not runs (034's ``| Block | Status | Run ID | … |``),
    gives on a block's row when it asks something of the block's runs: out of scope
    (``NOT RUN — closed-weight model``, ``SKIPPED``) or to run (``TODO``, ``pending``).

    Args:
        block: the block id the row's first cell names.
        status: the normalised status (PARSE-RULES).
        status_raw: the Status cell as written.
        notes: the row's Notes cell, or ``""``.
        file: the tracker.
        line: the row's 1-based line.
    """

    block: str
    status: str
    status_raw: str
    notes: str
    file: str
    line: int


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class TrackerRun:
    """
    One row of a tracker run table.

    Args:
        id: the Run ID cell without bold or backticks (ranges stay one run).
        milestone: the milestone id (normalised like plan milestones), or ``""``.
        block: the block id when the tracker's Block cell names exactly one (``B2``), else ``""``
            (``B2/B3`` names two: see ``block_cell``).
        purpose: Purpose.
        system: System / Variant.
        split: Split / dataset.
        metrics: Metrics.
        priority: ``must``, ``nice``, ``cut`` or None.
        priority_raw: the Priority cell.
        status: the normalised status (PARSE-RULES).
        status_raw: the Status cell as written.
        notes: Notes.
        seed: a seed from a Seed column or ``seed N`` in the notes, else None.
        columns: every cell by its header as written.
        file: source file.
        line: 1-based line.
        block_cell: the Block cell without markup, as written (``B2/B3``, ``G1/B0 calibration``).
        task: the row is an implementation task, not an experiment run: its table's heading
            says implementation or tasks and its columns name a Task and no system (001's
            "Implementation Tasks (Before Server Runs)": `| ID | Task | Status | Notes |`).
        legend: the meaning the document's status legend gives the Status cell, when that
            meaning decided ``status`` (032's ``❌`` → "Failed"), else ``""``.
        awaits_code: why the row's code is not written yet (its status, or the legend's meaning
            for it, says so: 023's ``PENDING_IMPLEMENTATION``), else ``""``.
    """

    id: str
    milestone: str
    block: str
    purpose: str
    system: str
    split: str
    metrics: str
    priority: str | None
    priority_raw: str
    status: str
    status_raw: str
    notes: str
    seed: int | None
    columns: Mapping[str, str]
    file: str
    line: int
    block_cell: str = ""
    task: bool = False
    legend: str = ""
    awaits_code: str = ""


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Section:
    """
    A section the reader did not interpret, kept raw.

    Args:
        heading: the heading as written.
        level: heading level.
        text: the section's body as written.
        file: source file.
        line: 1-based line of the heading.
    """

    heading: str
    level: int
    text: str
    file: str
    line: int


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class StatedDependency:
    """
    The runs one row says it waits for, as written (resolved against the project's runs when
    the runs are built: a row id may stand for several seeds' runs, a named id may be no run).

    Args:
        row: the row's run id as written.
        on: the run ids it names, in order (ranges ``R003-R006`` expanded).
        said: the cell or note as written.
        file: where it is written.
        line: 1-based line.
    """

    row: str
    on: tuple[str, ...]
    said: str
    file: str
    line: int


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ChecklistItem:
    """
    One item of the plan's final checklist.

    Args:
        text: the item's words without the box and inline markup, its wrapped lines joined.
        ticked: whether its box is ticked (``[x]`` or ``[X]``).
        file: the plan file it is written in.
        line: its 1-based line there.
    """

    text: str
    ticked: bool
    file: str
    line: int


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Plan:
    """
    Everything read from the plan, tracker, proposal and idea files.

    Args:
        title: the plan's title (H1 without the ``Experiment Plan`` boilerplate kept as is).
        problem: the problem statement.
        thesis: the method thesis.
        date: the plan's date as written (``YYYY-MM-DD`` in practice), or ``""``.
        language: ``en`` or ``zh``.
        header: every header field before the first section, by label as written.
        claims: the claim map.
        blocks: experiment blocks in plan order (a block described twice is merged).
        milestones: milestones in plan order.
        budget: the compute budget.
        risks: risks and mitigations.
        tracker_runs: tracker run rows in file order.
        block_statuses: the Status of each row of a tracker that lists blocks, not runs, when it
            asks something of the block's runs (see :class:`BlockRowStatus`).
        dependencies: the runs rows say they wait for (a Depends On column, a note).
        stop_rules: the plan's kill criteria or stop rules, one per item (never checked).
        exit_criteria: the plan's exit criteria (when its experiments are done), one per item
            (never checked).
        checklist: the items of the plan's final checklist, ticked or not (never checked, never
            ticked by bridge; :func:`bridge.plan.checklist.final_checklist`).
        method: the proposal's method text.
        override_line: an option override line found in the plan (``— compact: true``), or ``""``.
        override_line_number: its 1-based line, 0 when absent.
        sections: sections not interpreted, kept raw.
        warnings: what was repaired or not understood.
        plan_file: the plan path, or ``""``.
        tracker_file: the tracker path, or ``""``.
        proposal_file: the proposal path, or ``""``.
        ideas_file: the ideas path, or ``""``.
        run_gates: the Gate cell of each run in the plan's run tables, by run id: the cell and
            its 1-based line (:func:`bridge.plan.run_gates.plan_run_gates`).
        free_block: the number of the block heading bridge suggests (``### Block n: …``): past
            every ``B<n>`` the plan writes (:func:`bridge.plan.blocks.free_block_number`).
    """

    title: str
    problem: str
    thesis: str
    date: str
    language: str
    header: Mapping[str, str]
    claims: tuple[Claim, ...]
    blocks: tuple[Block, ...]
    milestones: tuple[Milestone, ...]
    budget: Budget
    risks: tuple[Risk, ...]
    tracker_runs: tuple[TrackerRun, ...]
    method: str
    override_line: str
    override_line_number: int
    sections: tuple[Section, ...]
    warnings: tuple[PlanWarning, ...]
    plan_file: str
    tracker_file: str
    proposal_file: str
    ideas_file: str
    dependencies: tuple[StatedDependency, ...] = ()
    stop_rules: tuple[str, ...] = ()
    exit_criteria: tuple[str, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()
    block_statuses: tuple[BlockRowStatus, ...] = ()
    run_gates: Mapping[str, tuple[str, int]] = attrs.field(factory=dict)
    free_block: int = 1

    def claims_of(self, block: Block) -> tuple[str, ...]:
        """
        The ids of the claims ``block`` tests: those its Claim tested field names, then those
        the claim map links to it (005's B3 names C1.a, the map links Anti-claim 2 to it too),
        each once, so the claims shown with a block and the blocks shown with a claim agree.
        """
        linked = (c.id for c in self.claims if block.id in c.blocks)
        return tuple(dict.fromkeys((*block.claims, *linked)))

    def block(self, block_id: str) -> Block | None:
        """
        The block with this id, or None.

        Args:
            block_id: a normalised block id.

        Returns:
            The block, or None when the plan has no such block.
        """
        for block in self.blocks:
            if block.id == block_id:
                return block
        return None

    def method_text(self) -> str:
        """
        The method thesis as the log records it (``PlanLoaded.method``): the thesis and the
        method, whitespace collapsed, at most 2,000 characters; the results tell a block's
        proposed system by it, and ``bridge plan`` reads it the same way before anything runs.
        """
        return " ".join(f"{self.thesis}\n{self.method}".split())[:2000]
