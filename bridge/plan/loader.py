"""
Turning plan, tracker, proposal and idea files into one :class:`Plan`.

Only files are read here (no network, no subprocesses). A plan that is only a pointer to another
plan file in the same folder is followed (FORMAT-NOTES §13.12).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import attrs

from bridge.errors import PlanError
from bridge.lazy_patterns import lazy
from bridge.plan.blocks import free_block_number
from bridge.plan.checklist import final_checklist
from bridge.plan.dependencies import (
    cell_dependencies,
    from_dependencies,
    graph_dependencies,
    heading_dependencies,
    note_dependencies,
    table_dependencies,
)
from bridge.plan.gates import exit_criteria, stop_rules
from bridge.plan.model import (
    Block,
    BlockRowStatus,
    Budget,
    Claim,
    Milestone,
    Plan,
    PlanWarning,
    Risk,
    Section,
    StatedDependency,
    TrackerRun,
)
from bridge.plan.plan_section import is_generated_tracker, read_part
from bridge.plan.proposal import read_proposal_document
from bridge.plan.quantities import normalise_block_id
from bridge.plan.reader import alternatives, language_of, read_plan_document
from bridge.plan.run_gates import plan_run_gates
from bridge.plan.text import Document, Table, decode, plain, quoted_at_lines
from bridge.plan.tracker import block_column, column_positions, read_tracker_runs
from bridge.plan.vocabulary import OUT_OF_SCOPE_STATUSES, normalise_status

__all__ = ["build_plan", "load_plan", "parse_plan_text", "read_document"]

_MAX_POINTER_HOPS = 3


def read_document(path: Path, display: str, *, replace_nul: bool = False) -> Document:
    """
    Read and lex one Markdown file.

    Args:
        path: the file.
        display: the name to use in messages (relative to the project root).
        replace_nul: read NUL bytes as U+FFFD (see :func:`bridge.plan.text.decode`).

    Returns:
        The document.

    Raises:
        PlanError: the file cannot be read, is binary or is not UTF-8.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanError(f"cannot read the file: {exc.strerror or exc}", file=display) from None
    # Bridge's own sections (the approved ablations it appended to the plan, the generated end
    # of the tracker) are not the researcher's.
    data = read_part(data)
    return Document(decode(data, display, replace_nul=replace_nul), display)


def parse_plan_text(text: str, file: str = "EXPERIMENT_PLAN.md") -> Plan:
    """
    Parse plan text held in memory (no tracker or proposal).

    Args:
        text: the plan's Markdown.
        file: the name used in warnings.

    Returns:
        The plan.
    """
    doc = Document(text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"), file)
    return _assemble(plan_doc=doc, tracker_doc=None, proposal_doc=None, ideas_doc=None)


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def _follow_pointer(path: Path, root: Path | None, warnings: list[PlanWarning]) -> Document:
    """
    Follow a pointer-stub plan to the plan file it links to, when the link resolves.
    """
    current = path
    doc = read_document(current, _display(current, root))
    for _ in range(_MAX_POINTER_HOPS):
        display = doc.file
        if any(h.level >= 2 for h in doc.headings) or len(doc.lines) > 60:
            return doc
        target: Path | None = None
        missing: tuple[int, str] | None = None
        for number, line in doc.text_lines(0, len(doc.lines)):
            for link in re.findall(r"\]\(\s{0,2}<?([^)\s>]{1,300}\.md)>?\s{0,2}\)", line):
                candidate = (current.parent / link).resolve()
                if (
                    candidate.parent == current.parent.resolve()
                    and candidate != current.resolve()
                    and candidate.name.upper().startswith("EXPERIMENT_PLAN")
                ):
                    if candidate.is_file():
                        target = candidate
                        break
                    missing = missing or (number, link)
            if target:
                break
        if target is None:
            if missing is not None:
                # 038 moved as `bridge` advised, without the file its stub links to: read as
                # free text, with no word of the link (trial O3).
                warnings.append(
                    PlanWarning(
                        file=display,
                        line=missing[0],
                        message=f"this plan only points to {missing[1]}, which is not there: "
                        "the plan is read as written; put that file beside it",
                    )
                )
            return doc
        warnings.append(
            PlanWarning(
                file=display,
                line=0,
                message=f"this plan only points to {target.name}; reading that file instead",
            )
        )
        current = target
        doc = read_document(current, _display(current, root))
    return doc


def build_plan(
    *,
    plan: Path | None,
    tracker: Path | None,
    proposal: Path | None,
    ideas: Path | None,
    root: Path | None = None,
) -> Plan:
    """
    Read whichever input files exist into one plan.

    Args:
        plan: EXPERIMENT_PLAN.md, if present.
        tracker: EXPERIMENT_TRACKER.md, if present.
        proposal: FINAL_PROPOSAL.md, if present.
        ideas: IDEA_CANDIDATES.md or IDEA_REPORT.md, if present.
        root: the project root (file names in the plan and warnings are relative to it).

    Returns:
        The plan.

    Raises:
        PlanError: a file is unreadable, binary or not UTF-8.
    """
    warnings: list[PlanWarning] = []
    plan_doc = _follow_pointer(plan, root, warnings) if plan is not None else None
    docs = [
        read_document(p, _display(p, root), replace_nul=p is tracker) if p is not None else None
        for p in (tracker, proposal, ideas)
    ]
    return _assemble(
        plan_doc=plan_doc,
        tracker_doc=docs[0],
        proposal_doc=docs[1],
        ideas_doc=docs[2],
        extra_warnings=warnings,
    )


def load_plan(path: str | Path) -> Plan:
    """
    Parse one plan file, with the tracker and proposal found beside it.

    Args:
        path: the plan file (usually ``refine-logs/EXPERIMENT_PLAN.md``).

    Returns:
        The plan; the siblings ``EXPERIMENT_TRACKER.md`` and ``FINAL_PROPOSAL.md`` are read
        when present.

    Raises:
        PlanError: the file does not exist, or is unreadable, binary or not UTF-8.
    """
    plan = Path(path)
    if not plan.is_file():
        raise PlanError("no such plan file; create one with `bridge init`", file=str(plan))
    folder = plan.parent
    tracker = folder / "EXPERIMENT_TRACKER.md"
    proposal = folder / "FINAL_PROPOSAL.md"
    return build_plan(
        plan=plan,
        tracker=tracker if tracker.is_file() and tracker.resolve() != plan.resolve() else None,
        proposal=proposal if proposal.is_file() and proposal.resolve() != plan.resolve() else None,
        ideas=None,
        root=None,
    )


# A section of its own stating success criteria for the whole plan ("## Success Criteria").
_PLAN_CRITERIA = lazy(r"^(?:success criteri|成功标准|成功判据|成功条件)", re.IGNORECASE)
# A list item of such a section: each is one criterion the warning quotes.
_CRITERION_ITEM = lazy(r"^(?:[-*+]|\d{1,2}[.)])\s+(.+)$")
# How many of the section's items the warning quotes; the rest are counted, with their lines.
_QUOTED_ITEMS = 6


def _named_claims(block: Block, claims: Sequence[Claim]) -> tuple[str, ...]:
    """
    The claim ids ``block``'s Claim tested field names: the ``C2``/``H1`` ids read with the
    block, then each id of the claim map that is not of that shape (``Anti-claim``,
    ``Anti-claim 2``) written there whole, in any case (012's B2 "C2 and anti-claim."). A
    map id followed by a number is not the map's bare id ("Anti-claim 1" is no "Anti-claim").
    """
    found = list(block.claims)
    for claim in claims:
        if claim.id in found or _SHAPED_CLAIM_ID.fullmatch(claim.id):
            continue
        written = re.compile(rf"(?<![\w-]){re.escape(claim.id)}(?![\w-]|\s*\d)", re.IGNORECASE)
        if written.search(block.claim_text):
            found.append(claim.id)
    return tuple(found)


# A claim id a block's Claim tested field is read for as it is (bridge.plan.blocks).
_SHAPED_CLAIM_ID = lazy(r"(?:C\d{1,2}(?:\.[a-z0-9]{1,3})?[a-z]?|H\d{1,2})")


def _claim_warnings(claims: Sequence[Claim], blocks: Sequence[Block]) -> list[PlanWarning]:
    """
    What the claim map and the blocks' Claim tested fields say that cannot both be so, each
    with the lines it stands on:

    - two rows of the claim map read as one id (005's "C2 (method, …)" and "C2-supporting
      (deployment)", lines 18 and 19): the blocks of both are the id's, and the first row's
      text is the one shown with them;
    - a block whose field names claims and which the map links to claims, none of them the
      same (001's B2 "C3 — …" where the map links C1): both are shown with the block.

    A field that names fewer or more claims than the map links is no disagreement: a
    "supporting" block the map leaves out is common, and the two are joined.
    """
    out: list[PlanWarning] = []
    first: dict[str, Claim] = {}
    for claim in claims:
        earlier = first.setdefault(claim.id, claim)
        if earlier is claim:
            continue
        out.append(
            PlanWarning(
                file=claim.file,
                line=claim.line,
                message=f"the claim map's rows at lines {earlier.line} and {claim.line} both "
                f"read as claim {claim.id} ({_shown(earlier.text)!r}, {_shown(claim.text)!r}): "
                f"a block testing {claim.id} is shown with line {earlier.line}'s text, and both "
                f"rows' blocks count as testing it; give each row its own id",
            )
        )
    for block in blocks:
        field = next((f for f in block.fields if f.key == "claim"), None)
        linked = [c for c in claims if block.id in c.blocks]
        if field is None or not block.claims or not linked:
            continue
        if {c.id for c in linked} & set(block.claims):
            continue
        map_lines = ", ".join(f"{c.id} (line {c.line})" for c in linked)
        out.append(
            PlanWarning(
                file=block.file,
                line=field.line,
                message=f"block {block.id}'s {field.label} field names "
                f"{', '.join(block.claims)} ({_shown(field.value)!r}, line {field.line}), "
                f"but the claim map links it to {map_lines}: bridge shows the block testing "
                f"both; correct the field or the map's blocks column",
            )
        )
    return out


def _shown(text: str) -> str:
    """``text`` on one line, cut to 60 characters with "…" when longer."""
    one = " ".join(text.split())
    return one if len(one) <= 60 else one[:59] + "…"


def _section_items(doc: Document, start: int, end: int) -> str:
    """
    The list items of the lines ``start``..``end`` quoted with their line numbers, as
    bridge.plan.unread_thresholds quotes thresholds (``'…' (line 95), … (+2 more: lines …)``),
    or ``""`` when there is none (a section in prose).
    """
    found = [
        (n + 1, plain(item.group(1)).strip())
        for n in range(start, end)
        if not doc.in_fence[n] and (item := _CRITERION_ITEM.match(doc.lines[n].strip()))
    ]
    return quoted_at_lines(found, _QUOTED_ITEMS)


def _plan_wide_criteria(doc: Document, blocks: Sequence[Block]) -> list[PlanWarning]:
    """
    A plan-wide success-criteria section (017's "## Success Criteria", three bullets) is read
    as no block's criterion; say so, quoting its items, rather than leave it unmentioned (each
    block showed "criterion: (none written)"). When blocks have none of their own, the warning
    names them, and the results repeat it under the verdict of each
    (:func:`bridge.plan.unread_thresholds.recorded_unread`): the criteria were nowhere in them.
    When every block has its own, the section is still judged by no block: said too, since
    017's three criteria went unmentioned once its blocks had theirs (trial h40C).
    """
    without = [b.id for b in blocks if not b.success_criterion.strip()]
    if not blocks:
        return []
    warnings = []
    for heading in doc.headings:
        if heading.level > 2 or not _PLAN_CRITERIA.match(plain(heading.text).strip()):
            continue
        items = _section_items(doc, heading.index + 1, heading.end)
        warnings.append(
            PlanWarning(
                file=doc.file,
                line=heading.line,
                message=f"the section {plain(heading.text)!r} is read as no block's criterion: "
                + (f"{items}; " if items else "")
                + (
                    "each block is judged on the Success criterion field in its own section "
                    f"(none written for {', '.join(without)}); copy the condition there"
                    if without
                    else "each block is judged on the Success criterion field in its own "
                    "section, and every block writes its own: bridge judges none of these; "
                    "read them against the results, or copy one into a block's field"
                ),
            )
        )
    return warnings


def _assemble(
    *,
    plan_doc: Document | None,
    tracker_doc: Document | None,
    proposal_doc: Document | None,
    ideas_doc: Document | None,
    extra_warnings: list[PlanWarning] | None = None,
) -> Plan:
    warnings = list(extra_warnings or [])
    title = problem = thesis = date = method = ""
    header: dict[str, str] = {}
    claims: tuple[Claim, ...] = ()
    blocks: tuple[Block, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    risks: tuple[Risk, ...] = ()
    sections: tuple[Section, ...] = ()
    override_line, override_number = "", 0
    budget = Budget(gpu_hours=None, raw="", hardware="", bottleneck="", file="", line=0)
    language_text = ""
    tracker_runs: list[TrackerRun] = []
    block_statuses: tuple[BlockRowStatus, ...] = ()
    if plan_doc is not None:
        parts = read_plan_document(plan_doc)
        title, header, problem, thesis, date = (
            parts.title,
            parts.header,
            parts.problem,
            parts.thesis,
            parts.date,
        )
        claims, blocks, milestones, risks = (
            parts.claims,
            parts.blocks,
            parts.milestones,
            parts.risks,
        )
        # A claim map's id of words ("Anti-claim") named in a Claim tested field is a claim
        # the block tests as much as a "C2" there (012's B2 "C2 and anti-claim.").
        blocks = tuple(attrs.evolve(b, claims=_named_claims(b, claims)) for b in blocks)
        warnings.extend(_claim_warnings(claims, blocks))
        # A block whose Claim tested field names no claim id takes the claim map's links.
        blocks = tuple(
            b
            if b.claims
            else attrs.evolve(b, claims=tuple(c.id for c in claims if b.id in c.blocks))
            for b in blocks
        )
        budget, sections = parts.budget, parts.sections
        override_line, override_number = parts.override_line, parts.override_line_number
        warnings.extend(
            PlanWarning(file=plan_doc.file, line=line, message=message)
            for line, message in parts.warnings
        )
        warnings.extend(_plan_wide_criteria(plan_doc, blocks))
        language_text = "\n".join(plan_doc.lines)
        compared = [name for block in blocks for name in block.systems]
        embedded, embedded_warnings = read_tracker_runs(plan_doc, compared)
        if (
            embedded
            and tracker_doc is not None
            and is_generated_tracker("\n".join(tracker_doc.lines))
        ):
            # 025: the plan holds the run table and bridge wrote the tracker from it, asking
            # for edits to the plan: the plan's rows stay the researcher's word (a row they
            # set from ❌ to TODO is launched, not held by the status bridge wrote).
            tracker_doc = None
        if tracker_doc is None and embedded:
            tracker_runs = embedded
            warnings.extend(
                PlanWarning(file=plan_doc.file, line=line, message=message)
                for line, message in embedded_warnings
            )
    if tracker_doc is not None and is_generated_tracker("\n".join(tracker_doc.lines)):
        # A tracker bridge wrote whole (the project had none) asks for edits to the plan: read
        # as the researcher's, its rows said every run was "done before bridge" and the plan's
        # runs came "from tracker" (trial O3 on 040). The runs come from the plan, as before.
        tracker_doc = None
    if tracker_doc is not None:
        runs, run_warnings = read_tracker_runs(
            tracker_doc, [name for block in blocks for name in block.systems]
        )
        tracker_runs = runs
        warnings.extend(
            PlanWarning(file=tracker_doc.file, line=w.line, message=w.message)
            for w in tracker_doc.warnings
        )
        warnings.extend(
            PlanWarning(file=tracker_doc.file, line=line, message=message)
            for line, message in run_warnings
        )
        block_table = next((t for t in tracker_doc.tables if block_column(t) is not None), None)
        if not runs and block_table is not None:
            block_statuses = _block_statuses(block_table, tracker_doc.file)
            warnings = _alternatives_in_block_rows(warnings, blocks, block_table, tracker_doc.file)
            warnings.append(
                PlanWarning(
                    file=tracker_doc.file,
                    line=block_table.line,
                    message="the tracker's table lists blocks, not runs (a Block column): "
                    "the runs come from the plan, and each block row's Status (and an empty "
                    "Run ID cell) is filled in from that block's runs; NOT RUN — <reason> (or "
                    "SKIPPED) written there takes the block's runs that have not succeeded out of "
                    "scope (a run that succeeded keeps its result: its Status is written back), "
                    "TODO runs those that have not succeeded again (one that succeeded runs again "
                    "with `bridge retry --force <run>`)",
                )
            )
        elif not runs:
            warnings.append(
                PlanWarning(
                    file=tracker_doc.file,
                    line=0,
                    message="the tracker has no run table (first column Run ID / ID / Run / #)",
                )
            )
        if not title:
            title = next((plain(h.text) for h in tracker_doc.headings if h.level == 1), "")
        language_text = language_text or "\n".join(tracker_doc.lines)
    for doc in (proposal_doc, ideas_doc):
        if doc is None:
            continue
        extra = read_proposal_document(doc)
        title = title or extra.title
        problem = problem or extra.problem
        thesis = thesis or extra.thesis
        method = method or extra.method
        language_text = language_text or "\n".join(doc.lines)
    dependencies = _stated_dependencies(plan_doc, tracker_doc, tracker_runs)
    return Plan(
        title=title,
        problem=problem,
        thesis=thesis,
        date=date,
        language=language_of(language_text),
        header=header,
        claims=claims,
        blocks=blocks,
        milestones=milestones,
        budget=budget,
        risks=risks,
        tracker_runs=tuple(tracker_runs),
        method=method,
        override_line=override_line,
        override_line_number=override_number,
        sections=sections,
        warnings=tuple(warnings),
        plan_file=plan_doc.file if plan_doc else "",
        tracker_file=tracker_doc.file if tracker_doc else "",
        proposal_file=proposal_doc.file if proposal_doc else "",
        ideas_file=ideas_doc.file if ideas_doc else "",
        dependencies=dependencies,
        stop_rules=stop_rules(plan_doc) if plan_doc is not None else (),
        exit_criteria=exit_criteria(plan_doc) if plan_doc is not None else (),
        checklist=final_checklist(plan_doc) if plan_doc is not None else (),
        block_statuses=block_statuses,
        run_gates=plan_run_gates(plan_doc) if plan_doc is not None else {},
        free_block=free_block_number(plan_doc) if plan_doc is not None else 1,
    )


def _alternatives_in_block_rows(
    warnings: list[PlanWarning], blocks: Sequence[Block], table: Table, file: str
) -> list[PlanWarning]:
    """
    ``warnings`` with the advice on alternative systems (:func:`alternatives`) told for a
    tracker that lists blocks: it has no row per run to mark NOT RUN (034's M1, trial t7).
    """
    at = block_column(table) or 0
    rows = {normalise_block_id(plain(cells[at]).strip()): n for n, cells in table.rows}
    out = list(warnings)
    for block in blocks:
        told = alternatives(block)
        if not told:
            continue
        where = f"{file}:{rows[block.id]}" if block.id in rows else file
        said = {(block.file, line, message) for line, message in told}
        out = [w for w in out if (w.file, w.line, w.message) not in said]
        out.extend(
            PlanWarning(file=block.file, line=line, message=message)
            for line, message in alternatives(block, where)
        )
    return out


def _block_statuses(table: Table, file: str) -> tuple[BlockRowStatus, ...]:
    """
    The rows of a tracker's table of blocks (034's ``| Block | Status | Run ID | … |``) whose
    Status asks something of the block's runs: out of scope (``NOT RUN — closed-weight model``,
    the words bridge's own warnings tell the researcher to write) or to run (``TODO``). Before,
    such a Status was written over with the runs' status, without a word (trial T1 on 034).
    ``CANCELLED`` is left out: bridge writes it there for runs it did not launch, and read back
    it would take a run added to the block later out of scope.
    """
    status_at = column_positions(table.header).get("status")
    notes_at = column_positions(table.header).get("notes")
    block_at = block_column(table) or 0
    if status_at is None:
        return ()
    found = []
    for number, cells in table.rows:
        block = normalise_block_id(plain(cells[block_at]).strip())
        raw = " ".join(cells[status_at].replace("**", "").split())
        status = normalise_status(raw)
        if not block or raw.upper() == "CANCELLED" or "×" in raw:
            continue  # "DONE ×2, FAILED ×1": bridge's word for several runs, no request
        if status in OUT_OF_SCOPE_STATUSES or status == "todo":
            found.append(
                BlockRowStatus(
                    block=block,
                    status=status,
                    status_raw=raw,
                    notes=plain(cells[notes_at]).strip() if notes_at is not None else "",
                    file=file,
                    line=number,
                )
            )
    return tuple(found)


# A header of a column holding what a run executes, not words about it.
_COMMAND_HEADER = lazy(r"command|\bcmd\b|命令|脚本|script", re.IGNORECASE)


def _free_text(run: TrackerRun) -> tuple[str, ...]:
    """
    A tracker row's cells that may say in words what it waits for: all but its id (the first),
    its Notes (read on their own), its Status (bridge writes it, its "waits for R017" too, which
    read back would keep a wait the plan no longer states) and a command or script.
    """
    positions = column_positions(tuple(run.columns))
    kept = {0, positions.get("notes"), positions.get("status")}
    return tuple(
        cell
        for n, (header, cell) in enumerate(run.columns.items())
        if n not in kept and not _COMMAND_HEADER.search(header)
    )


def _stated_dependencies(
    plan_doc: Document | None, tracker_doc: Document | None, tracker_runs: Sequence[TrackerRun]
) -> tuple[StatedDependency, ...]:
    """
    What the rows say their runs wait for: Depends On columns in the plan and the tracker, the
    arrows of a dependency section, then tracker notes (a row stated by a column or an arrow
    does not also take its notes), and the runs a row's cells say it takes its input from.
    """
    docs = [doc for doc in (plan_doc, tracker_doc) if doc is not None]
    stated = [
        *(d for doc in docs for d in table_dependencies(doc)),
        *(d for doc in docs for d in graph_dependencies(doc)),
    ]
    rows = {d.row for d in stated}
    ids = {run.id for run in tracker_runs}
    by_heading = {
        (d.row, d.file, d.line): d
        for d in (
            heading_dependencies(tracker_doc, [(r.id, r.line) for r in tracker_runs], ids)
            if tracker_doc is not None
            else []
        )
    }
    for run in tracker_runs:
        if run.id in rows or run.line in {d.line for d in stated if d.file == run.file}:
            continue
        # The Notes first, then the row's other free-text cells (026's G7: "Queued after G6"
        # in its File column, which as Notes made G7 wait), then its section's heading (026's
        # "GPU 1 Queue (… — starts after P6)"): the id and Notes cells are no other text.
        noted = (
            note_dependencies(run.id, run.notes, run.file, run.line)
            or cell_dependencies(run.id, _free_text(run), ids, run.file, run.line)
            or by_heading.get((run.id, run.file, run.line))
        )
        if noted is not None:
            stated.append(noted)
            rows.add(run.id)
    # A cell naming the runs a row takes its input from counts beside a column or arrow: 005's
    # graph says "R012 -> postprocess R013", while R013's row says "postprocess from R005 +
    # R011", and R013 started before R011's output existed (trial B).
    for run in tracker_runs:
        taken = from_dependencies(run.id, list(run.columns.values()), ids, run.file, run.line)
        if taken is not None:
            stated.append(taken)
    return tuple(stated)
