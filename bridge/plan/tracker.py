"""
Tracker run tables (FORMAT-NOTES §11, PARSE-RULES "Tracker runs").

A run table is any table whose first column header is Run ID, ID, Run, #, 运行ID or 编号; every
such table counts, other tables (tasks, gates, results) do not. Columns are matched by header
name, never by position; every cell is also kept by its header as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

import attrs

from bridge.errors import PlanError
from bridge.lazy_patterns import lazy
from bridge.plan.milestones import milestone_id
from bridge.plan.model import TrackerRun
from bridge.plan.notes_label import BRIDGE_LABEL
from bridge.plan.quantities import normalise_block_id, seed_value_for_sampling
from bridge.plan.status_legend import (
    NO_LEGEND,
    StatusLegend,
    awaited_code,
    legend_status,
    read_legend,
)
from bridge.plan.text import Document, Table, first_six_named, plain
from bridge.plan.vocabulary import misspelt_status, normalise_priority, normalise_status

__all__ = [
    "block_column",
    "column_positions",
    "is_combined_status",
    "is_run_table",
    "model_cell",
    "read_tracker_runs",
    "row_seeds",
    "says_no_system",
    "seed_row",
    "seed_run_id",
    "unread_notes_seed",
]

_RUN_HEADERS = {
    "run id",
    "runid",
    "id",
    "run",
    "#",
    "运行id",
    "运行 id",
    "编号",
    "run ids",
    "run-id",
}
# The headers that name a run's system, in the order they are preferred: a System column, then
# an Arm column (018's `目的/Arm`: fixed, policy-only, Harness-only, joint, where a Policy
# column beside it says a setting of each), then Policy or Method in header order, then Model.
_SYSTEM_TIERS: tuple[tuple[str, ...], ...] = (
    ("system / variant", "system/variant", "system", "variant", "系统/变体", "系统 / 变体", "系统"),
    ("arm", "目的/arm", "purpose/arm", "purpose / arm"),
    # A Method or Policy column names what a row compares before a Model column, which more
    # often names the backbone every method runs on.
    ("policy", "method"),
    ("model",),
)
_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # key: (exact header names, header words that match by containment)
    "milestone": (("milestone", "里程碑", "stage", "phase", "gate"), ("milestone", "里程碑")),
    "block": (("block", "块", "实验块"), ("block",)),
    "purpose": (
        (
            "purpose",
            "目的",
            "description",
            "experiment",
            "study",
            "task",
            "purpose / system",
            "run",
            "goal",
            # 025's overview table: 编号 | 名称 | 优先级 | 内容 | 状态 (the name says what for)
            "名称",
            "内容",
            "name",
        ),
        ("purpose", "目的", "description"),
    ),
    "system": (
        tuple(name for tier in _SYSTEM_TIERS for name in tier),
        ("system", "variant", "系统", "变体"),
    ),
    "split": (("split", "数据集", "dataset", "data"), ("split", "dataset", "数据")),
    "metrics": (
        ("metrics", "decisive metrics", "metrics / gate", "指标", "metric"),
        ("metric", "指标"),
    ),
    "priority": (("priority", "优先级"), ("priority", "优先")),
    "status": (("status", "状态"), ("status", "状态")),
    # 038's `| ID | Gate | Status | Evidence |`: with no Notes column, its Evidence is the note.
    "notes": (
        ("notes", "备注", "note", "comments", "comment"),
        ("note", "备注", "evidence", "证据"),
    ),
    "seed": (("seed", "seeds", "种子"), ("seed",)),
}
# "seed 3" in Notes; not "seed 202 的 model_9000.pt" (020: the seed a checkpoint was trained
# with, "seed 202's model"), which is no seed of this run.
_SEED_IN_NOTES = lazy(r"\bseed\s{0,2}[=:：]?\s{0,2}(\d{1,12})\b(?!\s*(?:的|'s\b))", re.IGNORECASE)
# "seeds 1103, 1104, 1105", "seed 1103/1104/1105", "seeds 1103 and 1104" or "seeds 1103–1105"
# in Notes (012's R003-R005), ending the clause (a ";", "," or ")" or the cell's end follows):
# each seed its own run, as a Seed cell naming several. "seeds 101/102/103 的 model_250.pt"
# (020's R007i: the checkpoints those seeds trained) names no seed of this run.
_SEEDS_IN_NOTES = lazy(
    r"(?:\bseeds?|种子)\s{0,2}[=:：]?\s{0,2}[{(（]?\s{0,2}"
    r"(?:(?P<lo>\d{1,12})\s{0,2}(?:[–—~-]|\.\.|to|至|到)\s{0,2}(?P<hi>\d{1,12})"
    r"|(?P<list>\d{1,12}(?:\s{0,2}(?:[/,，;、&]|\band\b|和|及)\s{0,2}\d{1,12})+))"
    r"\s{0,2}[})）]?(?=\s*(?:$|[;；,，.。)）|]))(?!\s*(?:的|'s\b))",
    re.IGNORECASE,
)
# Several seeds named together anywhere in Notes, not only ending a clause: "seeds 101/102/103
# 均完成" (020's R007g), "seeds 1, 2 and 3 finished"; a single "seed" takes "/" lists only, so
# "seed 42, 5 epochs" is no list.
_SEED_LIST = lazy(
    r"(?:\bseeds|种子)\s{0,2}[=:：]?\s{0,2}[{(（]?\s{0,2}\d{1,12}"
    r"(?:\s{0,2}(?:[/,，;、&]|\band\b|和|及)\s{0,2}\d{1,12})+"
    r"|\bseed\s{0,2}[=:：]?\s{0,2}\d{1,12}(?:\s{0,2}/\s{0,2}\d{1,12})+",
    re.IGNORECASE,
)
# A seed word with a number the Notes readings above leave unread ("seeds 1103 or 1104",
# "seeds 3", "3 seeds"): warned about, never dropped in silence.
_SEED_WORDS_IN_NOTES = lazy(
    r"(?:\bseeds?|种子)\s{0,2}[=:：]?\s{0,2}\d[^;；。\n]{0,24}|\b\d{1,3}\s{0,2}(?:seeds\b|个?种子)",
    re.IGNORECASE,
)
_EMPTY_IDS = {"", "-", "—", "–", "n/a", "…", "..."}
# A System (or Model) cell that says there is none: never a system of its own (032's E01
# "N/A" was one, and E09's "—").
_NO_SYSTEM = {"-", "—", "–", "--", "n/a", "na", "…", "..."}


def is_run_table(table: Table) -> bool:
    """
    Whether a table is a run table (its first header names a run id column).

    Args:
        table: a table from the tracker.

    Returns:
        True for run tables.
    """
    if not table.header:
        return False
    first = re.sub(r"\s+", " ", plain(table.header[0]).casefold()).strip()
    return first in _RUN_HEADERS


def _map_columns(header: tuple[str, ...]) -> dict[str, int]:
    # Asked once per row and per table by the readers and the projections, of a few headers:
    # each header is mapped once (a copy each time: callers may keep or change theirs).
    return dict(_mapped_columns(header))


@functools.lru_cache(maxsize=256)
def _mapped_columns(header: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    names = [re.sub(r"\s+", " ", plain(h).casefold()).strip() for h in header]
    mapping: dict[str, int] = {}
    taken: set[int] = {0}
    for key, (exact, _words) in _COLUMNS.items():
        # In header order, except that the system is taken from a System column first, then an
        # Arm column, then a Model, Policy or Method one (018: `目的/Arm` over `Policy`).
        tiers = _SYSTEM_TIERS if key == "system" else (exact,)
        found = next(
            (
                p
                for tier in tiers
                for p, name in enumerate(names)
                if p not in taken and name in tier
            ),
            None,
        )
        if found is not None:
            mapping[key] = found
            taken.add(found)
    for key, (_exact, words) in _COLUMNS.items():
        if key in mapping:
            continue
        for position, name in enumerate(names):
            if position not in taken and any(word in name for word in words):
                mapping[key] = position
                taken.add(position)
                break
    return tuple(mapping.items())


# A milestone cell that opens with what names one: an id, a stage or phase, a gate label.
_NAMES_MILESTONE = lazy(
    r"\W*(?:[A-Z]{1,2}\d|M-|milestone|stage|phase|gate|step|week|里程碑|阶段|第)", re.IGNORECASE
)


def _prose_milestones(table: Table, at: int | None) -> bool:
    """
    Whether the column taken for the milestone holds sentences instead: most of its cells have
    four words or more and open with no milestone id or label.
    """
    if at is None:
        return False
    values = [plain(cells[at]).strip() for _, cells in table.rows if at < len(cells)]
    values = [v for v in values if v]
    prose = [v for v in values if len(v.split()) >= 4 and not _NAMES_MILESTONE.match(v)]
    return bool(values) and 2 * len(prose) > len(values)


_BLOCK_HEADERS = frozenset({"block", "blocks", "实验块", "块"})


def block_column(table: Table) -> int | None:
    """
    The column naming each row's block in a tracker table that lists blocks, not runs: its
    first column (034's ``| Block | Status | Run ID | … |``), or, in a table that is no run
    table and has a Status column, its Block column wherever it stands (015's ``| Date | Block
    | Status | Key result | Next action |``: read as no table at all before, so a ``NOT RUN —
    …`` written on B9's row was not read and R010 launched, trial t18). None for any other
    table.
    """
    if not table.header or is_run_table(table):
        return None
    names = [re.sub(r"\s+", " ", plain(h).casefold()).strip() for h in table.header]
    if names[0] in _BLOCK_HEADERS:
        return 0
    if "status" not in column_positions(table.header):
        return None
    return next((n for n, name in enumerate(names) if name in _BLOCK_HEADERS), None)


def column_positions(header: tuple[str, ...]) -> dict[str, int]:
    """
    Which column of a run table holds what, matched by header name (never by position).

    Args:
        header: the table's header cells as written.

    Returns:
        ``milestone``, ``block``, ``purpose``, ``system``, ``split``, ``metrics``,
        ``priority``, ``status``, ``notes``, ``seed`` → 0-based column, for those present.
    """
    return _map_columns(header)


_HEADING_M = lazy(r"(?<![A-Za-z0-9])M\d{1,2}(?:\.\d{1,2})?[A-Za-z]?(?![A-Za-z0-9])")


def _heading_milestones(doc: Document) -> dict[int, str]:
    """
    For each table, the milestone named by the nearest enclosing heading (``## M1 ...``,
    ``Stage M0``).
    """

    def milestone(text: str) -> str:
        match = _HEADING_M.search(text)
        return match.group(0) if match else ""

    return _heading_values(doc, milestone)


# "## Priority 0 (Must-Have for Submission)", "## P2 — nice to have", "## 优先级 1": the priority
# of the run tables under it (032 sorts its tracker by priority).
_PRIORITY_HEADING = lazy(
    r"^(?:priority|优先级)\s*[:：]?\s*(?P<n>\d)?|^p(?P<p>\d)\b|^(?:must|nice)[\s-]", re.IGNORECASE
)


def _heading_priorities(doc: Document) -> dict[int, str]:
    """
    For each table, the priority its nearest enclosing priority heading states (the heading as
    written; ``""`` when none): a P-number (``Priority 0`` is P0) or a priority word.
    """

    def priority(text: str) -> str:
        stated = _PRIORITY_HEADING.match(text.strip()) and _section_priority(text.strip())
        return text.strip() if stated else ""

    return _heading_values(doc, priority)


def _section_priority(heading: str) -> str | None:
    """
    The priority a priority heading states: its P-number (``Priority 1`` is P1, nice) or, with
    none, its priority word (``Must-run``).
    """
    match = _PRIORITY_HEADING.match(heading)
    number = (match.group("n") or match.group("p")) if match else None
    return normalise_priority(f"P{number}") if number else normalise_priority(heading)


def _heading_values(doc: Document, read: Callable[[str], str]) -> dict[int, str]:
    """
    For each table, ``read`` of the nearest enclosing heading for which it is not ``""``; one
    sweep over headings and tables together keeps it linear.
    """
    result: dict[int, str] = {}
    stack: list[tuple[int, str]] = []  # (section end, value or "")
    headings = doc.headings
    position = 0
    for table in doc.tables:
        while position < len(headings) and headings[position].index < table.index:
            heading = headings[position]
            while stack and stack[-1][0] <= heading.index:
                stack.pop()
            stack.append((heading.end, read(plain(heading.text))))
            position += 1
        while stack and stack[-1][0] <= table.index:
            stack.pop()
        result[table.index] = next((m for _end, m in reversed(stack) if m), "")
    return result


# A heading of a section that tracks runs ("## 八、Experiment Tracker", "Run tracker", "追踪表").
_TRACKER_HEADING = lazy(r"\btracker\b|追踪|跟踪", re.IGNORECASE)


def _tracker_sections(doc: Document) -> set[int]:
    """
    The tables right under a section heading (level 2 or deeper) that names a tracker: a
    tracker file's own title (``# Experiment Tracker``) encloses every table, so it says nothing.
    """
    named = {
        table.index
        for heading in doc.headings
        if heading.level >= 2 and _TRACKER_HEADING.search(plain(heading.text))
        for table in doc.tables
        if heading.index < table.index < heading.end
    }
    return named


# "Implementation Tasks (Before Server Runs)", "实现任务": a table of tasks, not of runs ("Run
# tasks" is runs).
_TASK_HEADING = lazy(r"\bimplementation\b|\bbefore\b.*\bruns?\b|实现", re.IGNORECASE)
_TASK_COLUMN = frozenset({"task", "tasks", "任务"})


# A row that is a coding task, not an experiment run (005's `| R001 | M0 | Implement A3 hook |
# … | n/a (code) | … | ~2h coding |`): its purpose says implement and its split, system or notes
# say code.
_IMPLEMENT = lazy(r"^(?:implement|实现)", re.IGNORECASE)
_CODE = lazy(r"\bcod(?:e|ing)\b|代码", re.IGNORECASE)
_CODING = lazy(r"\bcoding\b|\bLOC\b|写代码", re.IGNORECASE)
# The System cell of a coding task: "Code", "Code change", "Code: dcqg/…", "代码"; not a model
# named so ("Code Llama 7B", "code-davinci-002").
_CODE_SYSTEM = lazy(r"^(?:code(?:\s+(?:changes?|edits?|only))?\s*(?:[:：].*)?|代码.*)$", re.I)


def _task_row(row: TrackerRun) -> bool:
    """
    Whether one run row is an implementation task: its system is code (006's `Code change`,
    011's `Code: dcqg/difficulty/data.py`), or its purpose says implement and its split or notes
    say code (see ``_IMPLEMENT``).
    """
    if _CODE_SYSTEM.match(row.system.strip()):
        return True
    if not _IMPLEMENT.match(row.purpose.strip()):
        return False
    return bool(_CODE.search(row.split) or _CODING.search(row.notes))


def _task_table(
    doc: Document, index: int, header: tuple[str, ...], columns: dict[str, int]
) -> bool:
    """
    Whether a run table lists implementation tasks rather than runs: it names no system, its
    Purpose column is headed Task, and the heading above it says implementation (or "before …
    runs").
    """
    if "system" in columns or "purpose" not in columns:
        return False
    if plain(header[columns["purpose"]]).casefold().strip() not in _TASK_COLUMN:
        return False
    above = [h for h in doc.headings if h.index < index]
    return bool(above) and bool(_TASK_HEADING.search(plain(above[-1].text)))


def read_tracker_runs(
    doc: Document, compared: Sequence[str] = ()
) -> tuple[list[TrackerRun], list[tuple[int, str]]]:
    """
    Read every run row of every run table.

    Args:
        doc: the tracker (or a plan with an embedded tracker table).
        compared: the systems the plan's blocks compare: a Model column naming one of them
            names systems (:func:`_model_is_backbone`).

    Returns:
        The runs in file order (a repeated id keeps its first row) and warnings.
    """
    runs: list[TrackerRun] = []
    warnings: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    first_cells: dict[str, tuple[str, ...]] = {}
    by_seed: list[tuple[int, str, int]] = []  # (line, row id, seeds) of rows naming several
    # Where rows name several seeds: "Seed", "System / Variant" (023's R040) or "Notes" (012).
    sources: dict[str, None] = {}
    # The runs read from tables whose system is their Model column, by their position in
    # `runs`, and the first such table's line.
    from_model: list[int] = []
    model_line = 0
    milestones_at = _heading_milestones(doc)
    priorities_at = _heading_priorities(doc)
    trackers = _tracker_sections(doc)
    legend = read_legend(doc)
    for table in doc.tables:
        if not is_run_table(table):
            first_header = plain(table.header[0]).casefold().strip() if table.header else ""
            if (
                table.index in trackers
                and "status" in _map_columns(table.header)
                and first_header not in ("block", "blocks", "实验块", "块")
            ):
                # 025's "## 八、Experiment Tracker" table (`| 实验 | 模型 | 状态 | …`) was left out
                # without a word.
                first = plain(table.header[0]).strip() if table.header else ""
                warnings.append(
                    (
                        table.line,
                        f"a table under a tracker heading is not read as runs: its first column "
                        f"{first!r} is no Run ID column (name it `Run ID`, with one id a row, to "
                        "have its rows run)",
                    )
                )
            continue
        columns = _map_columns(table.header)
        if _prose_milestones(table, columns.get("milestone")):
            # 038's `| ID | Gate | Status | Evidence |`: each Gate cell says what the row
            # checks ("Core overlay reuses AIAA ROCm stack; …"), not which milestone it is in.
            at = columns.pop("milestone")
            columns.setdefault("purpose", at)
        heading_milestone = milestones_at.get(table.index, "")
        tasks = _task_table(doc, table.index, table.header, columns)
        header_names = [plain(h) or f"column {n + 1}" for n, h in enumerate(table.header)]
        seed_header = header_names[columns["seed"]] if "seed" in columns else ""
        first_run = len(runs)
        if seed_header and any(plain(c[columns["seed"]]).strip() == "0" for _, c in table.rows):
            # A seed 0 in the column: its numbers are seed values, never counts.
            seed_header = "seed"
        for line, cells in table.rows:
            written = plain(cells[0]).strip()
            if written.casefold() in _EMPTY_IDS or written.casefold() in _RUN_HEADERS:
                continue
            expanded = expand_braces(written)
            if len(expanded) > 1:
                warnings.append(
                    (
                        line,
                        f"run id {written!r} names {len(expanded)} runs "
                        f"({', '.join(expanded)}); each is planned as its own run",
                    )
                )
            for run_id in expanded:
                if run_id in seen:
                    if first_cells.get(run_id, cells) != cells:
                        # Trial N2 on 004: R202 renamed R201 by mistake: the main system's run
                        # was left out and the must-run count fell by one, with a warning only.
                        raise PlanError(
                            f"run id {run_id} is on two different rows (first at line "
                            f"{seen[run_id]}): give each run its own id",
                            file=doc.file,
                            line=line,
                        )
                    warnings.append(
                        (
                            line,
                            f"run {run_id} appears again (first at line "
                            f"{seen[run_id]}); this row is ignored",
                        )
                    )
                    continue
                seen[run_id] = line
                first_cells[run_id] = cells
                row = _row(
                    doc, columns, heading_milestone, header_names, run_id, line, cells, legend
                )
                _refuse_unreadable_status(doc, row, line, table.header, columns)
                if row.priority is None and priorities_at.get(table.index):
                    said = priorities_at[table.index]
                    row = attrs.evolve(row, priority=_section_priority(said), priority_raw=said)
                row = attrs.evolve(row, task=True) if tasks or _task_row(row) else row
                several = (
                    row_seeds(seed_header, plain(cells[columns["seed"]])) if seed_header else ()
                )
                source = "Seed"
                if not seed_header and row.seed is None:
                    row, several = _seeds_in_system(row)
                    source = "System / Variant"
                if not several and row.seed is None:
                    # 012's R003-R005 "seeds 1103, 1104, 1105" in Notes: planned once at
                    # [run] args' seed 0, and B2 judged at n=1, without a word (trial t6).
                    several, source = _seeds_in_notes(row.notes), "Notes"
                    # Not for a row done before bridge, never planned: 020's R007g «seed 102 on
                    # GPU 2, seed 103 on GPU 3», three training runs long finished.
                    before = row.status == "done" and not BRIDGE_LABEL.search(row.notes)
                    if (
                        not several
                        and not before
                        and (unread := unread_notes_seed(row.notes)) is not None
                    ):
                        warnings.append(
                            (
                                line,
                                f"run {run_id}'s Notes name seeds bridge cannot read "
                                f"({unread!r}): it is planned without a seed of its own; "
                                "write `seed N` for one seed, or `seeds 1, 2, 3` / `seeds 1-3` "
                                "for one run per seed",
                            )
                        )
                if not several and row.seed is None and "purpose" in columns:
                    # 026's E5 "MRSD GSM8K seed=123 (n=200)", its second-seed run in a tracker
                    # whose one descriptive column is its Experiment: run at [run] args' seed 0
                    # without a word, where the same words in a System cell seed it (trial t12).
                    row, several = _seeds_in_purpose(row, warnings, line)
                    source = "Experiment / Purpose"
                if (
                    not several
                    and row.seed is None
                    and row.status == "todo"
                    and (named := _SEED_WORDS_IN_NOTES.search(row.split)) is not None
                ):
                    # 020's Split cells name seeds (R007g `policy seeds 101/102/103`), which
                    # bridge reads nowhere: a row to run written so ran once at [run] args'
                    # seed, its seeds dropped without a word.
                    warnings.append(
                        (
                            line,
                            f"run {run_id}'s Split cell names seeds bridge does not read there "
                            f"({named.group(0).strip()!r}): it is planned without a seed of its "
                            "own; write `seed N` for one seed, or `seeds 1, 2, 3` for one run "
                            "per seed, in its Notes or a Seed column",
                        )
                    )
                if len(several) < 2 or tasks:
                    if several:  # "Seeds: 1": one run, its seed not stated
                        row = attrs.evolve(row, seed=None)
                    runs.append(row)
                    continue
                by_seed.append((line, run_id, len(several)))
                sources.setdefault(source)
                if is_combined_status(row.status_raw) or BRIDGE_LABEL.search(row.notes):
                    # The Status bridge wrote for the row's seeds together ("DONE ×1, TODO ×2"),
                    # or for the one run it ran before the row named several seeds (012's R005
                    # "seed 1103" → "seeds 1103, 1104, 1105": its seeds were "done before
                    # bridge, not run"): bridge's record of each run decides, never this cell.
                    row = attrs.evolve(
                        row,
                        status="todo",
                        status_raw="",
                        legend="",
                        awaits_code="",
                        notes=_researchers(row.notes),  # bridge's part told of the one run
                    )
                for seed in several:
                    one = seed_run_id(run_id, seed)
                    if one in seen:
                        warnings.append(
                            (
                                line,
                                f"run {one} appears again (first at line {seen[one]}); "
                                "this row is ignored",
                            )
                        )
                        continue
                    seen[one] = line
                    runs.append(attrs.evolve(row, id=one, seed=seed))
        system_at = columns.get("system")
        if system_at is not None and _SYSTEM_TIERS[-1] == (
            header_names[system_at].casefold().strip(),
        ):
            from_model.extend(range(first_run, len(runs)))
            model_line = model_line or table.line
    if said := _model_is_backbone(runs, from_model, compared):
        warnings.append((model_line, said))
        for n in from_model:
            runs[n] = attrs.evolve(runs[n], system="")
    warnings.extend(_statuses_said(runs, legend))
    if by_seed:
        sample = ", ".join(f"{run_id} ×{count}" for _, run_id, count in by_seed[:4])
        more = f", … +{len(by_seed) - 4}" if len(by_seed) > 4 else ""
        warnings.append(
            (
                by_seed[0][0],
                f"{' and '.join(sources) or 'Seed'} cells name several seeds "
                f"({sample}{more}); each seed is planned as its "
                "own run, named <row id>-s<seed>, and the row's Status shows them together",
            )
        )
    return runs, warnings


def model_cell(row: TrackerRun) -> str:
    """
    The row's Model column cell (``Qwen-2.5-3B``), ``""`` when its table has no Model column
    or the cell names none (``—``, ``N/A``): what a command's ``{model}`` is filled with,
    whether the column is read as the rows' systems or as the model they all run on (032).
    """
    for header, cell in row.columns.items():
        if plain(header).strip().casefold() in _SYSTEM_TIERS[-1]:
            value = plain(cell).strip()
            return "" if value.casefold() in _NO_SYSTEM else value
    return ""


def says_no_system(row: TrackerRun) -> bool:
    """
    Whether the row's System (or Model) cell says it runs no system (``—``, ``N/A``): such a
    row is meant as one run, not as one of a block's systems left unnamed (004's R402 "Figure
    2 render", System ``—``).
    """
    header = tuple(row.columns)
    at = column_positions(header).get("system")
    return at is not None and plain(row.columns[header[at]]).strip().casefold() in _NO_SYSTEM


def _model_is_backbone(
    runs: Sequence[TrackerRun], from_model: Sequence[int], compared: Sequence[str]
) -> str:
    """
    Why the Model column the runs at ``from_model`` took their system from names the model
    they run on, not what they compare (``""`` when it may name their systems): one model is
    named by rows of different purposes while no purpose is run on two models. 032's
    ``| ID | Experiment | Model |`` gave its 2-org MVP (FedAvg vs Ours), its baselines B1-B10
    and its full method all the system Qwen-2.5-3B, which no comparison can tell apart. A
    tracker comparing models runs one purpose on several of them, or names a model a block
    compares (``compared``: "Zero-shot GPT-4o", "Zero-shot Llama", "Fine-tuned Llama" beside a
    block comparing GPT-4o and Llama), and keeps them as systems.
    """
    rows = [runs[n] for n in from_model if runs[n].system]
    systems = {" ".join(name.split()).casefold() for name in compared}
    if any(" ".join(row.system.split()).casefold() in systems for row in rows):
        return ""
    purposes: dict[str, set[str]] = {}
    models: dict[str, set[str]] = {}
    for row in rows:
        purposes.setdefault(row.system, set()).add(row.purpose.strip())
        models.setdefault(row.purpose.strip(), set()).add(row.system)
    shared = [m for m, said in purposes.items() if len(said) > 1]
    if not shared or any(len(named) > 1 for named in models.values()):
        return ""
    model = shared[0]
    ids = list(dict.fromkeys(seed_row(r.id, r.seed) or r.id for r in rows if r.system == model))
    listed = ", ".join(ids[:4]) + (f" and {len(ids) - 4} more" if len(ids) > 4 else "")
    return (
        f"the Model column names {model!r} for rows of different experiments ({listed}): read "
        "as the model the runs use, not as their systems, so the runs of its tables name no "
        "system; add a System column naming what each row runs (one system a row) to compare "
        "them; a command passes the model with {model}"
    )


def _refuse_unreadable_status(
    doc: Document, row: TrackerRun, line: int, header: tuple[str, ...], columns: dict[str, int]
) -> None:
    """
    Refuse a row whose Status cannot be what the researcher meant, before anything launches:
    a row whose cells do not fit the ``header`` with no status word in the Status column
    (another cell, or none: a row short of cells), or a single word that misspells a word
    keeping the row from launching. A short row whose Status column holds a status is read:
    the cells up to it are in their columns (a Notes cell left off at the end); so is one of a
    table with no Status column (no status to misread).

    Raises:
        PlanError: with the file and the row's line, the row's and the header's cell counts.
    """
    if row.status != "unknown":
        return
    written, width = doc.uneven_rows.get(line), len(header)
    said = row.status_raw.strip()
    if written is not None and (said or (written < width and "status" in columns)):
        # Trial N2 on 004: a cell left out mid-row shifted the note "Main paper
        # Table 1 row 5" into the Status column; trial N3 on 012: a stray `|` put
        # the Priority "MUST" there. Read as unknown, the row was launched (a DONE
        # row again) and bridge's status written over the researcher's cell. A cell
        # deleted mid-row of 018's JPH-B2-FX-S0 left its Status column empty, read as
        # not started: the row was launched.
        holds = f"holds {said!r}, no status" if said else "is empty"
        where = "missing or extra before it (a stray `|`?)" if said else "missing before it"
        raise PlanError(
            f"run {row.id}: the row has {written} cells and the table's header {width}, "
            f"and its Status column {holds}: a cell is {where}, so its cells cannot be "
            "placed in their columns (read as not started, it would be launched); write one "
            "cell for each of the header's columns (an empty one as `|  |`)",
            file=doc.file,
            line=line,
        )
    if word := misspelt_status(row.status_raw):
        raise PlanError(
            f"run {row.id}: Status {row.status_raw.strip()!r} is no status bridge "
            f"knows, and close to {word}: a row whose status bridge does not know "
            f"is launched; write {word} (or TODO to have it run)",
            file=doc.file,
            line=line,
        )


def _statuses_said(runs: list[TrackerRun], legend: StatusLegend) -> list[tuple[int, str]]:
    """
    Warnings on what the rows' statuses leave to bridge: unknown words (launched as not
    started) and a bare ❌ no legend explains (read as blocked, not launched).
    """
    warnings: list[tuple[int, str]] = []
    # A word saying the row's code is not written yet (020's 待实现) is one bridge knows: the
    # row is held, not launched (bridge/plan/runs.py), and `bridge plan` lists it so. Read
    # from the row's ``awaits_code``, the one list of those words, so the two cannot disagree.
    unknown = [
        r
        for r in runs
        if r.status == "unknown" and r.status_raw.strip() and not r.task and not r.awaits_code
    ]
    if unknown:
        # Trial N3: "PARKED", "ON HOLD" were launched without a word (an unknown status is
        # bridge's to run, as the docs say; now said where it is decided).
        said = first_six_named([f"{r.id} ({plain(r.status_raw).strip()!r})" for r in unknown])
        warnings.append(
            (
                unknown[0].line,
                f"{said}: no status bridge knows, read as not started, so bridge launches "
                "them; write TODO to say so, or DONE, SKIPPED or BLOCKED if they are not to run",
            )
        )
    crossed = [
        r
        for r in runs
        if _BARE_CROSS.fullmatch(r.status_raw) and legend.meaning_of(r.status_raw) is None
    ]
    if crossed:
        # 025's ✅ / 🔄 / ❌ table: its ❌ means not started, 026's legend says Blocked, 032's
        # Failed. Without a legend the mark is read as blocked (nothing crossed out is
        # launched), and said: its five P0 rows were left out with only a count.
        ids = ", ".join(r.id for r in crossed[:8]) + (" …" if len(crossed) > 8 else "")
        warnings.append(
            (
                crossed[0].line,
                f"{ids}: the Status says only ❌ and no status legend says what ❌ means here: "
                "read as blocked, not launched; if it means not started, write TODO in those "
                "rows or add a legend line (`## Status Legend: ❌ Not started`)",
            )
        )
    return warnings


# A Status cell holding the mark alone (bold allowed): ``❌``, ``**❌**``.
_BARE_CROSS = lazy(r"[*_\s]*❌\ufe0f?[*_\s]*")


# "3407/3408/3409", "0, 1, 2", "{0,1,2}": seed values; "3", "×3", "3 seeds" under a plural
# header ("Seeds", "# seeds", "种子数"): a count. A single value under "Seed" is one seed.
_SEED_VALUES = lazy(r"\{?\s*\d{1,12}(?:\s*[/,;、]\s*\d{1,12})+\s*\}?")
_SEED_COUNT = lazy(r"[×x]?\s*(\d{1,2})\s*(?:[×x]|seeds?|个?种子)?", re.IGNORECASE)
_COUNT_HEADER = lazy(r"seeds|#\s*seed|n_?seeds?|seed\s*count|种子数", re.IGNORECASE)
_MAX_SEEDS = 20


def row_seeds(header: str, cell: str) -> tuple[int, ...]:
    """
    The seeds a run-table row's Seed cell names when it names several, else ``()``.

    Args:
        header: the Seed column's header as written (a plural one reads a small number as a
            count: ``Seeds`` ``3`` is three seeds, 0, 1 and 2).
        cell: the cell without markup.

    Returns:
        The seed values in order (a count of n gives ``0 … n-1``, so a count of one gives
        ``(0,)``), or ``()`` for a single seed value, an empty cell, or anything else.
    """
    text = cell.strip()
    if _SEED_VALUES.fullmatch(text):
        values = tuple(int(v) for v in re.findall(r"\d+", text))
        if "/" in text and len(values) == 2 and values[0] <= values[1] <= _MAX_SEEDS:
            return ()  # "2/3": two of three done, a count of progress, not two seeds
        unique = tuple(dict.fromkeys(values))
        return unique if 1 < len(unique) <= _MAX_SEEDS else ()
    count = _SEED_COUNT.fullmatch(text)
    plural = bool(_COUNT_HEADER.search(header)) or not text.isdigit()
    if count and plural and 0 < int(count.group(1)) <= _MAX_SEEDS:
        return tuple(range(int(count.group(1))))
    return ()


_COMBINED = lazy(r"^\s*[^,×]+ ×\d+(?:\s*,\s*[^,×]+ ×\d+)+\s*$")


def is_combined_status(cell: str) -> bool:
    """
    Whether a Status cell is the one bridge writes for a row's seeds together (``DONE ×2,
    RUNNING ×1``): bridge's, not the researcher's word about every seed.
    """
    return bool(_COMBINED.match(plain(cell)))


def seed_run_id(row_id: str, seed: int) -> str:
    """
    The id of one seed's run of a tracker row that names several seeds: ``E02-s1``.
    """
    return f"{row_id}-s{seed}"


def seed_row(run_id: str, seed: int | None) -> str | None:
    """
    The tracker row a seed's run was planned from (``E02`` for ``E02-s1`` with seed 1), or None
    for a run whose id is not :func:`seed_run_id` of its seed.
    """
    if seed is None:
        return None
    suffix = seed_run_id("", seed)
    if len(run_id) > len(suffix) and run_id.endswith(suffix):
        return run_id[: -len(suffix)]
    return None


_BRACES = lazy(r"\{([^{}]*,[^{}]*)\}")
_MAX_EXPANDED = 64


def expand_braces(run_id: str) -> list[str]:
    """
    The run ids a tracker id with brace sets names, shell-style: ``X-{A1,A2,ADJ}`` is ``X-A1``,
    ``X-A2``, ``X-ADJ``; several sets multiply. An id without a set (or with more than 64
    expansions, or an empty item) is returned as it is.

    Args:
        run_id: the Run ID cell without markup.

    Returns:
        The ids in order.
    """
    ids = _expand(run_id)
    if ids is None or len(ids) > _MAX_EXPANDED:
        return [run_id]
    return ids


def _expand(template: str) -> list[str] | None:
    match = _BRACES.search(template)
    if match is None:
        return [template]
    items = [item.strip() for item in match.group(1).split(",")]
    rest = _expand(template[match.end() :])
    if rest is None or any(not item for item in items):
        return None
    return [template[: match.start()] + item + tail for item in items for tail in rest]


def _row(
    doc: Document,
    columns: dict[str, int],
    heading_milestone: str,
    header_names: list[str],
    run_id: str,
    line: int,
    cells: tuple[str, ...],
    legend: StatusLegend = NO_LEGEND,
) -> TrackerRun:
    """
    The run ``run_id`` of one run-table row (a row naming several runs gives each the same cells),
    its Status read through the document's ``legend``.
    """

    def cell(key: str) -> str:
        position = columns.get(key)
        return plain(cells[position]) if position is not None else ""

    milestone_cell = cell("milestone")
    milestone = milestone_id(milestone_cell)[0] if milestone_cell else heading_milestone
    if milestone in _EMPTY_IDS:
        milestone = ""
    status_raw = cells[columns["status"]].strip() if "status" in columns else ""
    priority_raw = cell("priority")
    notes = cell("notes")
    # A placeholder ("-", "—", "N/A") names no block, as it names no system: 032's E01 read
    # "the tracker's Block column '-' names no block of the plan" (trial h41I F7).
    block_cell = "" if cell("block").strip().casefold() in _NO_SYSTEM else cell("block")
    status = legend_status(status_raw, legend)
    found = legend.meaning_of(status_raw)
    decided = found is not None and status != normalise_status(status_raw)
    return TrackerRun(
        id=run_id,
        milestone=milestone,
        block=_single_block(block_cell),
        purpose=cell("purpose"),
        system="" if cell("system").strip().casefold() in _NO_SYSTEM else cell("system"),
        split=cell("split"),
        metrics=cell("metrics"),
        priority=normalise_priority(priority_raw) if priority_raw else None,
        priority_raw=priority_raw,
        status=status,
        status_raw=status_raw,
        notes=notes,
        seed=_seed(cell("seed"), notes),
        columns={name: cells[n] for n, name in enumerate(header_names)},
        file=doc.file,
        line=line,
        block_cell=block_cell,
        legend=found[1] if decided and found is not None else "",
        awaits_code=awaited_code(status_raw, legend),
    )


_ONE_BLOCK = lazy(r"(?:[Bb]lock\s{0,2}|块\s{0,2})?[A-Za-z]{0,2}\d{1,3}(?:\.\d{1,2})?[a-z]?|[A-Z]")


def _single_block(cell: str) -> str:
    """
    The block id of a Block cell that names one block (``B2``, ``Block 2``, ``A``), else ``""``:
    a cell naming several (``B2/B3``) or a title is resolved against the plan's blocks when runs
    are attributed (bridge/plan/attribution.py), never glued into one id.
    """
    text = cell.strip()
    if _ONE_BLOCK.fullmatch(text):
        return normalise_block_id(text)
    return ""


# "capacity-matched VanillaFilter seed 42", "final Direct24/Rollout24 seeds 42/27/97": the seeds
# a System / Variant cell ends with, in a tracker with no Seed column.
_SYSTEM_SEEDS = lazy(
    r"[\s,;(（]+seeds?\s*[=:：]?\s*(\d{1,12}(?:\s*[/,、]\s*\d{1,12})*)\s*[)）]?\s*$",
    re.IGNORECASE,
)


def _seeds_in_system(row: TrackerRun) -> tuple[TrackerRun, tuple[int, ...]]:
    """
    The row with the seeds its System / Variant cell ends with taken out of the system's name:
    one seed is the row's seed; several are returned, each planned as its own run as a Seed
    cell naming several is. 023's R020 "capacity-matched VanillaFilter seed 42" ran with the
    default seed 0 and recorded none (trial T5). The row as it was, and ``()``, otherwise: also
    where its one seed is a sampler's or a subset's (005's R003 "Sample 3 random … frames per
    clip, fixed seed=0" writes the frame sampler, whose seed is no run's).
    """
    found = _SYSTEM_SEEDS.search(row.system)
    if found is None or not row.system[: found.start()].strip():
        return row, ()
    values = tuple(dict.fromkeys(int(v) for v in re.findall(r"\d+", found.group(1))))
    if len(values) > _MAX_SEEDS:
        return row, ()
    if len(values) == 1 and seed_value_for_sampling(row.system, values[0]):
        return row, ()
    named = row.system[: found.start()].strip()
    if len(values) == 1:
        return attrs.evolve(row, system=named, seed=values[0]), ()
    return attrs.evolve(row, system=named), values


def _seeds_in_purpose(
    row: TrackerRun, warnings: list[tuple[int, str]], line: int
) -> tuple[TrackerRun, tuple[int, ...]]:
    """
    The seeds a row's Experiment / Purpose cell names, read as a Notes cell's are: one
    (``seed=123``, ``seed 3``) is the row's seed; several (``seeds 1, 2, 3``) are returned, each
    planned as its own run; words naming seeds that neither reads (``seeds 3``) are warned about
    on ``line``, the row planned without a seed of its own. A sampler's or a subset's seed
    ("fixed seed=0" of a frame sampler) is no run's. The row as it was, and ``()``, otherwise.
    """
    several = _seeds_in_notes(row.purpose)
    if several:
        return row, several
    value = _seed("", row.purpose)
    if value is not None:
        return attrs.evolve(row, seed=value), ()
    if (unread := unread_notes_seed(row.purpose)) is not None:
        warnings.append(
            (
                line,
                f"run {row.id}'s Experiment / Purpose cell names seeds bridge cannot read "
                f"({unread!r}): "
                "it is planned without a seed of its own; write `seed N` for one seed, or "
                "`seeds 1, 2, 3` / `seeds 1-3` for one run per seed",
            )
        )
    return row, ()


def _researchers(notes: str) -> str:
    """
    The Notes before bridge's labelled part: "bridge: seed 1103; attempt 1 …" is bridge's record
    of what ran, no seed the researcher asks for; read as one, it hid their edit of their own
    part (012's "seeds 1103 or 1104", trial t6).
    """
    found = BRIDGE_LABEL.search(notes)
    return notes[: found.start()] if found else notes


def _seed(seed_cell: str, notes: str) -> int | None:
    match = re.fullmatch(r"\s*(\d{1,12})\s*", seed_cell)
    if match:
        return int(match.group(1))
    notes = _researchers(notes)
    if _seeds_in_notes(notes) or _SEED_LIST.search(notes):
        # "seed 1103/1104/1105": one run per seed, never one at its first; 020's R007g "…
        # seeds `101/102/103` 均完成": the row's seeds together, none of them its one seed.
        return None
    # "random 100-clip subset, seed 3": the subset's seed, not the run's.
    values = {
        value
        for found in _SEED_IN_NOTES.finditer(notes)
        if not seed_value_for_sampling(notes, value := int(found.group(1)))
    }
    # 020's R007g "… seed 102 on GPU 2, seed 103 on GPU 3": several seeds named one by one are
    # no one seed of the row (its first was read as its seed).
    return values.pop() if len(values) == 1 else None


def _seeds_in_notes(notes: str) -> tuple[int, ...]:
    """
    The seeds a Notes cell names when it names several (:data:`_SEEDS_IN_NOTES`), each planned
    as its own run as a Seed cell naming several is; ``()`` otherwise: one seed (``seed 3``,
    read by :func:`_seed`), more than 20, or seeds a sampler's or a subset's
    (:func:`seed_value_for_sampling`).
    """
    notes = _researchers(notes)
    for found in _SEEDS_IN_NOTES.finditer(notes):
        if found.group("lo") is not None:
            lo, hi = int(found.group("lo")), int(found.group("hi"))
            values = tuple(range(lo, hi + 1)) if lo < hi and hi - lo < _MAX_SEEDS else ()
        else:
            values = tuple(dict.fromkeys(int(v) for v in re.findall(r"\d+", found.group("list"))))
        if 1 < len(values) <= _MAX_SEEDS and not any(
            seed_value_for_sampling(notes, v) for v in values
        ):
            return values
    return ()


def unread_notes_seed(notes: str) -> str | None:
    """
    The words of a Notes cell naming seeds that neither :func:`_seed` nor
    :func:`_seeds_in_notes` reads (``seeds 1103 or 1104``, ``seeds 3``, ``3 seeds``), or None:
    also for a seed of a checkpoint (``seed 202 的 model``) or a sampler's, which are no seed
    of the run, read or not.
    """
    if _seed("", notes) is not None or _seeds_in_notes(notes):
        return None
    notes = _researchers(notes)
    for found in _SEED_WORDS_IN_NOTES.finditer(notes):
        words = found.group(0).strip().rstrip(",，)）")
        after = notes[found.end() : found.end() + 8]
        if re.match(r"\s*(?:的|'s\b)", after) or "的" in words or "'s " in words:
            continue
        numbers = [int(v) for v in re.findall(r"\d+", words)]
        if numbers and all(seed_value_for_sampling(notes, v) for v in numbers[:1]):
            continue
        return words
    return None
