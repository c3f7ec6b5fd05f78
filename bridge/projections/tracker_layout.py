"""
The researcher's own tracker, filled in: their file as they wrote it, with only the Status and
Notes cells of the runs bridge knows rewritten from the log.

Every other byte of the template stays: extra columns (Block, evidence, artifact location),
sections (decision log, failure log, gate checklist), prose, tables that are not run tables, and
the rows of runs bridge was told not to launch (done before bridge, out of scope), which keep
their own Status and Notes. A run table without a Status or Notes column gets one appended.
What bridge adds (its stamp, the runs it did not launch and why, runs that are not in the
researcher's tables) goes after :data:`GENERATED_MARK` at the end, which is cut off again when
the file is read back as a template.
"""

from __future__ import annotations

import collections
import functools
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Literal

from bridge.lazy_patterns import lazy
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.stages import NOT_BRIDGES_RUN_STATES, RunState
from bridge.plan.notes_label import BRIDGE_LABEL, note_joiner
from bridge.plan.plan_section import GENERATED_MARK
from bridge.plan.quantities import normalise_block_id
from bridge.plan.status_legend import (
    NO_LEGEND,
    StatusLegend,
    legend_status,
    marks_by_meaning,
    read_legend,
    untrusted_status,
)
from bridge.plan.text import Document, Table, plain
from bridge.plan.tracker import (
    block_column,
    column_positions,
    is_combined_status,
    is_run_table,
    seed_row,
)
from bridge.projections.text import stamp, t
from bridge.projections.visible import visible

__all__ = [
    "GENERATED_MARK",
    "WRITTEN_DIR",
    "cell_spans",
    "fill_in",
    "generated_section",
    "has_result_column",
    "kept_as_written",
    "researchers_words",
    "result_cells",
    "result_column",
    "result_text",
    "template_legend",
    "template_of",
    "template_untrusted_word",
]

#: Bridge's last write of each researcher's file (:attr:`Projection.researchers_file`), by its
#: path under this folder: what their edit is told apart from when that write was no version
#: (a refresh while runs go on keeps no timestamped copy; 018's row moved to a new table mid-run
#: was kept as ``.edited.md`` for want of it, trial t11). A note, never state: a missing or
#: stale one (its sha256 not the log's last write) only keeps the edit's copy. Here, not in the
#: writer, so reading the plan (which records the Result cells of that note) does not load the
#: renderers before the first launch.
WRITTEN_DIR = ".bridge/written"

#: The line after which everything in the tracker is bridge's (and is dropped from a template).

_SPECIAL = lazy(r"`+|\\\||\|")


def template_of(text: str) -> str:
    """
    The researcher's part of a tracker: ``text`` without bridge's generated section and the
    blank line bridge put before it.
    """
    at = text.find(GENERATED_MARK)
    if at < 0:
        return text
    return text[:at].removesuffix("\n")


def cell_spans(line: str) -> list[tuple[int, int]]:
    """
    Where each cell of a table row is in ``line``: ``(start, end)`` between the pipes, the same
    cells :func:`bridge.plan.text.split_cells` reads (pipes inside backtick code spans and
    escaped ``\\|`` do not split).
    """
    pipes: list[int] = []
    i = 0
    n = len(line)
    unmatched: dict[int, int] = {}  # backtick run length -> position after which none closes
    while i < n:
        found = _SPECIAL.search(line, i)
        if found is None:
            break
        mark = found.group(0)
        if mark == "|":
            pipes.append(found.start())
            i = found.end()
        elif mark == "\\|":
            i = found.end()
        else:
            length = len(mark)
            close = -1
            if unmatched.get(length, n + 1) > found.start():
                close = _closing_run(line, found.end(), length)
                if close < 0:
                    unmatched[length] = found.start()
            i = close + length if close >= 0 else found.end()
    body_start = len(line) - len(line.lstrip())
    body_end = len(line.rstrip())
    bounds = list(pipes)
    if not bounds or bounds[0] != body_start:
        bounds.insert(0, body_start - 1)
    if bounds[-1] != body_end - 1 or len(bounds) == 1:
        bounds.append(body_end)
    return [(bounds[k] + 1, bounds[k + 1]) for k in range(len(bounds) - 1)]


def _closing_run(text: str, start: int, length: int) -> int:
    pos = start
    while True:
        found = text.find("`" * length, pos)
        if found < 0:
            return -1
        end = found
        while end < len(text) and text[end] == "`":
            end += 1
        if end - found == length:
            return found
        pos = end


def _cell_text(value: str) -> str:
    # What bridge writes into a cell (a run's failure, a host's error) is shown, never obeyed:
    # the rest of the file is the researcher's and keeps its characters.
    return " " + visible(" ".join(value.split())).replace("|", "\\|") + " "


def _set_cells(line: str, values: dict[int, str], width: int) -> str:
    """
    ``line`` with the cells at the given 0-based positions replaced; missing trailing cells are
    added empty first. ``width`` is the header's: as the reader does, the header's last column
    holds any extra cells the row has. Every other character stays as it was.
    """
    spans = cell_spans(line)
    needed = max(values) + 1
    if len(spans) < needed:
        body = line.rstrip()
        if not body.endswith("|"):
            body += " |"
        body += " |" * (needed - len(spans))
        line = body + line[len(line.rstrip()) :]
        spans = cell_spans(line)
    for position in sorted(values, reverse=True):
        start, end = spans[position]
        if position == width - 1 and len(spans) > width:
            end = spans[-1][1]
        line = line[:start] + _cell_text(values[position]) + line[end:]
    return line


# What an earlier bridge wrote in a Notes cell unlabelled.
_UNLABELLED = lazy(r"^(?:seed \d+; )?attempt \d+ on |^(?:种子 \d+；)?第 \d+ 次尝试")


# One part of what bridge wrote after its label on an earlier render (tracker.py ``_notes``).
_BRIDGE_SEGMENT = lazy(
    r"(?:seed \d+|种子 \d+|attempt \d+(?: on [^;；]+)?|第 \d+ 次尝试(?:，[^;；]+)?|exit -?\d+"
    r"|退出码 -?\d+"
    r"|OVERDUE|超时预警 OVERDUE|cleanup: [^;；]+|清理: [^;；]+"
    # A blocking training-quality finding ("⚠ non_finite: accuracy", "⚠ divergence：loss").
    r"|⚠ \w+(?:(?:: |：)[^;；]+)?"
    # A run kept as it ran (tracker.py, both languages): its changes may hold "; " and
    # brackets, so up to the retry command that closes the note. Unknown, it was taken for the
    # researcher's once the mark went, and stayed on the row for good.
    r"|numbers from earlier [a-z ]+ \(.*?\), `bridge retry --force [^`]*` runs it with the"
    r" current ones"
    r"|数值来自旧[^（]*（.*?），`bridge retry --force [^`]*` 会用当前版本重新运行"
    # A run that succeeded with no number, and what one measured beside a note holding numbers
    # of its own (its Key Metric cell, whose brackets may hold "; "): unknown, 005's R012 and
    # R010 took "measured median = 0.57 (…)" and "recorded no metric value" into the
    # researcher's part once the tracker was edited, beside bridge's new ones.
    r"|recorded no metric value|没有记录任何指标数值"
    r"|results in the row's other cells are from the record before bridge \(then [^)]*\), not"
    r" measured by this attempt"
    r"|本行其他列中的结果来自 bridge 之前的记录（当时为 [^）]*），不是这次尝试测得的"
    r"|(?:measured|测得) (?:[^;；()（）]|[(（](?:[^()（）]|[(（][^()（）]*[)）])*[)）])+"
    r"|the note's numbers before this label are the record before bridge \(then [^)]*\), not"
    r" measured by this attempt"
    r"|前面备注中的数值来自 bridge 之前的记录（当时为 [^）]*），不是这次尝试测得的"
    r")(?=\s*[;；]|\s*$)"
)


def _after_former_part(after: str, former: Collection[str]) -> str:
    """
    What follows bridge's part of an earlier render in ``after`` (the cell's text after
    bridge's label): bridge's parts (seed, attempt, exit code, OVERDUE, clean-up, a ⚠ finding,
    and the reasons ``former`` its attempts stopped for, as a cell shows them) are skipped from the
    left; what remains is the researcher's, written there since.
    """
    reasons = sorted((r for r in former if r), key=len, reverse=True)
    rest = after.strip()
    while rest:
        taken = next((len(r) for r in reasons if rest.startswith(r)), 0)
        if not taken:
            segment = _BRIDGE_SEGMENT.match(rest)
            if segment is None:
                break
            taken = segment.end()
        rest = rest[taken:].lstrip(_JOINERS).strip()
    return rest


def former_reasons(run: RunView) -> frozenset[str]:
    """
    The reasons bridge may have written in a run's Notes on an earlier render, in both
    languages and as a cell shows them: every reason the run was given, and each attempt's,
    each as tracker.py ``_notes`` words it (why it ended, why it runs again, why it is set
    aside). A reason of bridge's not known here reads as the researcher's note: 018's
    "由人要求重试" moved before the ``bridge：`` label once the row was read back (trial t11).
    """
    from bridge.projections.failure_words import (
        failure_in_language,
        retry_in_language,
        split_in_language,
    )

    said = {*run.reasons, *(a.reason for a in run.attempts), run.reason}
    return frozenset(
        _cell_text(words(reason, language)).strip()
        for reason in said
        if reason
        for language in ("en", "zh")
        for words in (failure_in_language, retry_in_language, split_in_language)
    )


# What a note written after bridge's part may open with that only joined it to that part
# ("exit 0. Verified against the notebook.": ". Verified …" read "; . Verified …", trial S1).
_JOINERS = ";；.。,， "


def _with_markup(
    cell: str,
    note: str,
    notes: str,
    seed: int | None = None,
    former: Collection[str] = (),
) -> str:
    """
    The Notes cell to write: the researcher's part as the cell holds it now, then bridge's.

    ``notes`` is what bridge would write (the researcher's ``note`` as first read, without
    Markdown marks, then its own part, labelled ``bridge:``); ``cell`` the row's Notes as the
    tracker holds them. The researcher's part is taken from the cell: the note as first read
    when the cell opens with it (its code spans and bold kept, a ``bridge:`` of their own in
    it too), then what they wrote there since, before bridge's label and after bridge's part
    (moved before the label), also when bridge's part has changed since (a new attempt): the
    parts an earlier render wrote, with the reasons ``former`` it may have given, are skipped
    and what follows them is kept. What an earlier bridge wrote unlabelled is bridge's. A ``seed
    N`` (``seed``, the run's) the note said and the cell no longer says is bridge's to say:
    the row must not show a seed the run did not use.
    """
    ours = notes[len(note) :] if note and notes.startswith(note) else notes
    ours = ours.lstrip(";； ")
    if not ours.startswith(("bridge:", "bridge：")):  # bridge has nothing to add
        ours = ""
    zh = ours.startswith("bridge：")
    said = re.sub(r"^bridge[:：]\s?", "", ours)
    text = cell.strip()
    cut = _opening(text, note)
    label = BRIDGE_LABEL.search(text, cut)
    written = (text[: label.start()] if label else text).strip().rstrip(";；").strip()
    if label:
        # Also where bridge has nothing to say now (an out-of-scope run): its earlier part goes,
        # what the researcher wrote after it stays.
        after = text[label.end() :].strip()
        # What follows bridge's part as said now may still be bridge's, from a longer part
        # an earlier render wrote (a kept note, gone with its mark): skipped as well.
        # Bridge's part as said now, where the cell's goes on past a joiner or ends: "exit 1"
        # now (an out-of-scope run says no failure) is no part of the earlier "exit 1:
        # Traceback: …", whose tail read as the researcher's ("; : Traceback: …", 006's R010
        # set to NOT RUN after it failed, trial h43F).
        whole = after.startswith(said) and after[len(said) : len(said) + 1] in ("", *_JOINERS)
        added = _after_former_part(after[len(said) :].lstrip(_JOINERS) if whole else after, former)
        if added:
            written = f"{written}{note_joiner(written, zh)}{added}" if written else added
    if not note and (_UNLABELLED.match(written) or (said and plain(written) == said)):
        written = ""
    lost_seed = seed is not None and f"seed {seed}" in note and f"seed {seed}" not in written
    if ours and lost_seed:
        said = f"{'种子' if zh else 'seed'} {seed}{'；' if zh else '; '}{said}"
        ours = f"bridge：{said}" if zh else f"bridge: {said}"
    if not ours:
        return written
    return f"{written}{note_joiner(written, zh)}{ours}" if written else ours


def _opening(text: str, note: str) -> int:
    """Where the note as first read ends in ``text`` when ``text`` opens with it (its marks
    counted in), else 0."""
    if not note:
        return 0
    if text.startswith(note):  # no marks before it: every render of a plain note takes this
        return len(note)
    if len(text) > 4000 or not plain(text).startswith(note):
        return 0
    cut = 0
    for end in range(len(note), len(text) + 1):
        if plain(text[:end]) == note:
            cut = end
        elif cut:
            break
    # Not the space after it: bridge's label is found after the note's own last mark ("Uses
    # `x.py`." then " bridge:"); taken in, the label went unseen and bridge's part was written
    # again after itself, in the researcher's part (trial P3 on 009's R003).
    return len(text[:cut].rstrip()) if cut else 0


#: Given a run and its row's Status cell as written: the Status and Notes to show (None keeps
#: the cell as written).
RowFiller = Callable[[RunView, str], tuple[str | None, str | None]]


def fill_in(
    template: str,
    file: str,
    state: PipelineState,
    row: RowFiller,
    measured: Mapping[str, str] | None = None,
    language: str = "en",
) -> tuple[list[str], dict[str, bool]]:
    """
    Fill the researcher's run tables in: for each row of a run bridge knows, ``row(run,
    status_as_written)`` gives the new Status and Notes (None keeps the cell as written). A
    table without a Status or Notes column is left as it is (no column is added). A Result
    column's cell (:func:`result_column`) of a run bridge ran takes what it measured
    (:func:`_result_cell`).

    Args:
        template: the researcher's tracker text.
        file: its path, for the reader.
        state: the folded state (runs by id).
        row: the Status and Notes a run's row shows.
        measured: the Key Metric cell of each succeeded run that recorded a value, by run id
            (:func:`bridge.projections.results.key_cells`); None fills no Result cell.
        language: the language of bridge's part of a block row's Result cell
            (:func:`_fill_block_rows`).

    Returns:
        The lines of the filled-in tracker, and for each run whose status it shows whether its
        row also has a Notes cell.
    """
    lines = template.split("\n")
    doc = Document(template, file)
    shown: dict[str, bool] = {}
    # Bridge's last write of each Result cell: what tells its own value there from theirs.
    ours = state.plan.tracker_results if state.plan is not None else {}
    seeded = _seed_runs(state)
    for table in doc.tables:
        if not is_run_table(table):
            _fill_block_rows(table, lines, state, row, measured, language)
            continue
        columns = column_positions(table.header)
        status_at = columns.get("status")
        if status_at is None:
            continue
        notes_at = columns.get("notes")
        result_at = result_column(table.header, columns) if measured is not None else None
        width = len(table.header)
        for number, cells in table.rows:
            run_id = plain(cells[0]).strip()
            run = state.runs.get(run_id)
            if run is None and seeded.get(run_id) and run_id not in shown:
                # A row naming several seeds: its runs' statuses together; their notes go under
                # "Notes by bridge", as one Notes cell cannot hold several runs' notes.
                group = seeded[run_id]
                shown.update({run_id: False, **{r.run_id: False for r in group}})
                written = "" if is_combined_status(cells[status_at]) else plain(cells[status_at])
                together = _together([row(r, cells[status_at])[0] for r in group], written)
                if together is not None:
                    lines[number - 1] = _set_cells(lines[number - 1], {status_at: together}, width)
                continue
            if run is None or run_id in shown:
                continue
            shown[run_id] = notes_at is not None
            status, notes = row(run, cells[status_at])
            values: dict[int, str] = {}
            if status is not None:
                values[status_at] = status
            if notes is not None and notes_at is not None:
                filled = _with_markup(
                    cells[notes_at], run.spec.notes, notes, run.spec.seed, former_reasons(run)
                )
                if filled != cells[notes_at].strip():  # unchanged: its bytes stay as written
                    values[notes_at] = filled
            if result_at is not None and result_at < len(cells):
                result = _result_cell(
                    run, cells[result_at], (measured or {}).get(run_id, ""), ours.get(run_id)
                )
                if result is not None:
                    values[result_at] = result
            if values:
                lines[number - 1] = _set_cells(lines[number - 1], values, width)
    return lines, shown


# The headers of a column for a run's outcome, by name (casefolded, spaces squeezed): 030's
# `| ID | Block | Run | Status | Expected Output | Result | Decision | Owner |`.
_RESULT_HEADERS = frozenset(
    {
        "result",
        "results",
        "key result",
        "key results",
        "key metric",
        "key metrics",
        "outcome",
        "结果",
        "实验结果",
        "关键结果",
        "主要结果",
        "关键指标",
        "结论",
    }
)


def result_column(header: Sequence[str], columns: Mapping[str, int]) -> int | None:
    """
    The column of a run table whose header names a run's result (``Result``, ``Key result``,
    ``结果``: :data:`_RESULT_HEADERS`), unless it is the table's Status or Notes column; None
    when there is none.
    """
    taken = {columns.get("status"), columns.get("notes")}
    return next(
        (
            n
            for n, name in enumerate(header)
            if n not in taken and " ".join(plain(name).casefold().split()) in _RESULT_HEADERS
        ),
        None,
    )


def has_result_column(template: str, file: str) -> bool:
    """Whether a run table, or a table of blocks, of the researcher's tracker has a Result
    column (:func:`result_column`) and a Status column, so :func:`fill_in` fills it."""
    for table in _template_doc(template, file).tables:
        is_table = is_run_table(table) or block_column(table) is not None
        columns = column_positions(table.header) if is_table else {}
        if "status" in columns and result_column(table.header, columns) is not None:
            return True
    return False


def _result_cell(run: RunView, written: str, measured: str, ours: str | None) -> str | None:
    """
    The Result cell of a run's row: what the run measured (``measured``, its Key Metric cell as
    results.md shows it, ``""`` when it has none) where the cell is empty (``-`` and the like
    count as empty) or holds what bridge last wrote there (``ours``: that cell of its last
    write, :attr:`~bridge.events.types.PlanLoaded.tracker_results`), rewritten after a rerun.
    None keeps the cell as written: anything else in it is the researcher's, never
    overwritten, also in the form bridge writes (``acc = 0.80`` typed by hand was taken for
    bridge's and replaced by the rerun's value); a run bridge did not run (done before it, out
    of scope) keeps its cell, and so does a run with nothing measured now (its Status says why).
    """
    if not measured or run.state in NOT_BRIDGES_RUN_STATES or not run.attempts:
        return None
    text = result_text(written)
    if text.casefold() in _EMPTY_CELLS or (ours is not None and text == ours):
        return measured if measured != text else None
    return None


def result_text(cell: str) -> str:
    """A Result cell's words, as they are compared: without markup, spaces squeezed."""
    return " ".join(plain(cell).split())


def result_cells(text: str, file: str) -> dict[str, str]:
    """
    The Result cell (:func:`result_column`, :func:`result_text`) of each row of the run tables
    of ``text``, a tracker as bridge wrote it, by run id as :func:`fill_in` places a row (its
    first cell): what bridge's write put in each, told from the researcher's words there later.
    """
    cells: dict[str, str] = {}
    for table in Document(template_of(text), file).tables:
        columns = column_positions(table.header) if is_run_table(table) else {}
        at = result_column(table.header, columns) if "status" in columns else None
        if at is None:
            continue
        for _, row in table.rows:
            if at < len(row):
                cells.setdefault(plain(row[0]).strip(), result_text(row[at]))
    return cells


@functools.lru_cache(maxsize=4)
def _template_doc(template: str, file: str) -> Document:
    """The researcher's tracker parsed once for the readers that only read it (its words, its
    legend): every refresh renders the same template."""
    return Document(template, file)


def researchers_words(template: str, file: str, ours: Collection[str]) -> dict[str, str]:
    """
    The status words the researcher's run tables use, by what they mean (``done`` →
    ``passed``), so bridge writes a row's status in them: 018's tracker says "状态只使用：planned、
    running、passed、failed、stopped、invalid", and bridge wrote DONE, FAILED and CANCELLED over
    its ``passed``. For each meaning the word most used for it (the first written on a tie) is
    learnt when it is a plain status word of theirs: not bridge's own (``ours``), nor a row's
    outcome such as ``GATE FAILED`` or ``invalid``. A status legend's marks stand for the
    meanings no such word is learnt for.
    """
    doc = _template_doc(template, file)
    legend = read_legend(doc)
    counts: dict[str, collections.Counter[str]] = {}
    for table in doc.tables:
        at = column_positions(table.header).get("status") if is_run_table(table) else None
        if at is None:
            continue
        for _, cells in table.rows:
            word = plain(cells[at]).strip() if at < len(cells) else ""
            if not word or is_combined_status(word):
                continue
            # Through the legend: 018's `failed` is a negative result (done), so bridge writes
            # FAILED, not `failed`, for a run of its own that failed, and reads its word back so.
            meaning = legend_status(word, legend)
            if meaning in ("done", "failed", "todo", "running", "skipped"):
                counts.setdefault(meaning, collections.Counter())[word] += 1
    # The word most used for a meaning, when it is a plain status word of theirs: a row's own
    # outcome ("GATE FAILED" reads as done, as a gate's; "invalid" as failed; "CODE_READY" as to
    # do) must not be written on others, nor a word that only mixes in bridge's ("✅ DONE").
    # A row's outcome more used than their plain word does not hide it: 018 has five "invalid"
    # and four "failed" rows, and "invalid" winning left bridge writing FAILED beside its
    # legend's lower-case words (trial M1). Bridge's own word most used is theirs: kept.
    learnt = {}
    for meaning, found in counts.items():
        for word, _ in found.most_common():
            if word in ours or re.sub(r"[^\w ]+", "", word).strip() in ours:  # "✅ DONE"
                break
            if _PLAIN_STATUS.get(word.casefold()) == meaning:
                learnt[meaning] = word
                break
    # A status legend says which mark means what (032's "- ✅ Complete"): its marks are the
    # researcher's words for those meanings, where their rows have no plain word for one.
    for meaning, mark in marks_by_meaning(legend).items():
        if meaning in ("done", "failed", "todo", "running", "skipped"):
            learnt.setdefault(meaning, mark)
    return learnt


# The status words a researcher's vocabulary may hold for what bridge writes, by meaning.
_PLAIN_STATUS = {
    **dict.fromkeys(
        ("passed", "done", "completed", "complete", "finished", "完成", "已完成"), "done"
    ),
    **dict.fromkeys(
        ("planned", "todo", "to do", "pending", "not started", "未开始", "待运行", "待办"), "todo"
    ),
    **dict.fromkeys(("running", "in progress", "ongoing", "运行中", "进行中"), "running"),
    **dict.fromkeys(("failed", "fail", "失败"), "failed"),
    **dict.fromkeys(
        ("skipped", "stopped", "cancelled", "canceled", "跳过", "已停止", "已取消"), "skipped"
    ),
}


_RUN_ID_HEADERS = frozenset({"run id", "run ids", "runs", "run", "运行", "运行id", "运行 id"})
_EMPTY_CELLS = frozenset({"", "-", "—", "–", "n/a"})


def _fill_block_rows(
    table: Table,
    lines: list[str],
    state: PipelineState,
    row: RowFiller,
    measured: Mapping[str, str] | None = None,
    language: str = "en",
) -> None:
    """
    A table of blocks, not runs (034's tracker: `| Block | Status | Run ID | … |`, one row per
    block, its Run ID "—" until runs exist): each block row's Status shows its runs' statuses
    together, and an empty Run ID cell their ids, so the table does not read "pending" beside
    bridge's list of the same runs done. A Result column's cell (:func:`result_column`, 015's
    ``Key result``) keeps the researcher's words and gets bridge's part after a ``bridge:``
    label, as a Notes cell does (:func:`_block_result`): "DONE | pre-flight inventory not yet
    run" read as a row contradicting itself (trial h40I). Nothing else in the row is touched.
    """
    block_at = block_column(table)
    if block_at is None:
        return
    status_at = column_positions(table.header).get("status")
    if status_at is None:
        return
    ids_at = next(
        (
            n
            for n, h in enumerate(table.header)
            if n != block_at and plain(h).casefold().strip() in _RUN_ID_HEADERS
        ),
        None,
    )
    result_at = (
        result_column(table.header, column_positions(table.header))
        if measured is not None
        else None
    )
    by_block: dict[str, list[RunView]] = {}
    for run in state.runs.values():
        by_block.setdefault(run.spec.block, []).append(run)
    width = len(table.header)
    for number, cells in table.rows:
        runs = by_block.get(normalise_block_id(plain(cells[block_at]).strip()), [])
        if not runs:
            continue
        values: dict[int, str] = {}
        statuses = [row(r, cells[status_at])[0] for r in runs]
        together = _together(statuses, plain(cells[status_at]))
        if together is not None:
            values[status_at] = together
        if result_at is not None and result_at < len(cells):
            ours = [
                f"{r.run_id} {(measured or {}).get(r.run_id) or status}"
                for r, status in zip(runs, statuses, strict=True)
                # Runs bridge launched: "bridge: R010 TODO" beside the researcher's words
                # before anything ran told nothing.
                if status is not None and r.attempts
            ]
            result = _block_result(cells[result_at], ours, language)
            if result != cells[result_at].strip():  # unchanged: its bytes stay as written
                values[result_at] = result
        if ids_at is not None and plain(cells[ids_at]).strip().casefold() in _EMPTY_CELLS:
            ids = [r.run_id for r in runs]
            values[ids_at] = ", ".join(ids[:6]) + (f", … ({len(ids)})" if len(ids) > 6 else "")
        if values:
            lines[number - 1] = _set_cells(lines[number - 1], values, width)


def _block_result(cell: str, ours: Sequence[str], language: str) -> str:
    """
    A block row's Result cell: the researcher's words (``cell`` up to bridge's ``bridge:``
    label, :data:`~bridge.plan.notes_label.BRIDGE_LABEL`, where an earlier render put it),
    then bridge's part, labelled: what each of the block's runs that bridge launched and whose
    status it writes measured (its Key Metric cell), else that status (``ours``: ``"R001 acc =
    0.8"``, the first six, then how many more). Only the researcher's words when bridge writes
    no such run's status; only bridge's part, labelled, when the cell held nothing of theirs.
    """
    zh = language == "zh"
    label = BRIDGE_LABEL.search(cell)
    theirs = (cell[: label.start()] if label is not None else cell).strip()
    if not ours:
        return theirs
    rest = len(ours) - 6
    more = (f"；另有 {rest} 个" if zh else f"; {rest} more") if rest > 0 else ""
    part = ("bridge：" if zh else "bridge: ") + ("；" if zh else "; ").join(ours[:6]) + more
    if theirs.casefold() in _EMPTY_CELLS:
        return part
    return f"{theirs}{note_joiner(theirs, zh)}{part}"


def _seed_runs(state: PipelineState) -> dict[str, list[RunView]]:
    """
    The runs planned from tracker rows that name several seeds, by the row's id (``E02`` for
    ``E02-s0``, ``E02-s1`` …; see :func:`bridge.plan.tracker.seed_run_id`).
    """
    by_row: dict[str, list[RunView]] = {}
    for run in state.runs.values():
        if (row := seed_row(run.run_id, run.spec.seed)) is not None:
            by_row.setdefault(row, []).append(run)
    return by_row


def _together(statuses: Sequence[str | None], kept: str) -> str | None:
    """
    One Status cell for several runs: their status when they share it, else each status with
    its count (``DONE ×2, pending ×1``, a run whose status stays as written counted as
    ``kept``, the cell's text); None (keep the cell) when every run keeps it.
    """
    if all(status is None for status in statuses):
        return None
    said = [status or kept or "TODO" for status in statuses]
    counts = dict(collections.Counter(said))
    if len(counts) == 1:
        return said[0]
    return ", ".join(f"{status} ×{count}" for status, count in counts.items())


def run_table_header(template: str, file: str) -> tuple[str, ...] | None:
    """
    The header of the researcher's first run table with a Status column, as written: the
    columns bridge lists the runs their tables lack under, so those rows read like the
    researcher's own (their Block, Seed or Owner column kept, not bridge's fixed set).
    """
    for table in Document(template, file).tables:
        if is_run_table(table) and "status" in column_positions(table.header):
            return table.header
    return None


def kept_as_written(run: RunView, status_raw: str, legend: StatusLegend = NO_LEGEND) -> bool:
    """
    Whether a row's Status stays as the researcher wrote it: runs bridge did not launch, and
    pending runs whose status already says "not started" (``⬜ Pending`` stays ``⬜ Pending``)
    or says running (someone runs it elsewhere: bridge holds the plan on it, and must not
    write TODO over the researcher's word), as read through the tracker's ``legend`` (033's
    ``[~]`` is "In progress").
    """
    if run.state in NOT_BRIDGES_RUN_STATES:
        return True
    return (
        run.state is RunState.PENDING
        and not run.attempts
        and (legend_status(status_raw, legend) in ("todo", "running"))
    )


def template_legend(template: str, file: str) -> StatusLegend:
    """The status legend of the researcher's tracker (:func:`read_legend`)."""
    return read_legend(_template_doc(template, file))


def template_untrusted_word(template: str, file: str) -> str:
    """The word the researcher's tracker legend gives a result that cannot stand
    (:func:`~bridge.plan.status_legend.untrusted_status`: 018's `invalid`), or ``""``."""
    return untrusted_status(_template_doc(template, file))


def owned_columns(header: tuple[str, ...] | None) -> tuple[str, str]:
    """
    The names of the Status and Notes columns of a run table ``header`` (as
    :func:`run_table_header` gives it), as the researcher wrote them: the cells bridge rewrites,
    named in its stamp by the tracker's own words (018's ``状态`` and ``备注``, where the stamp
    said "Status 与 Notes"). ``Status`` and ``Notes`` where the table has no such column.
    """
    columns = column_positions(header) if header is not None else {}
    status, notes = columns.get("status"), columns.get("notes")
    return (
        plain(header[status]).strip() if header is not None and status is not None else "Status",
        plain(header[notes]).strip() if header is not None and notes is not None else "Notes",
    )


def generated_section(
    lines: list[str],
    state: PipelineState,
    language: str,
    body: list[str],
    columns: tuple[str, str | None] = ("Status", "Notes"),
    rows: Literal["runs", "blocks", "none"] = "runs",
) -> list[str]:
    """
    Bridge's own part after the filled-in ``lines``: a blank line, the mark, the stamp (naming
    the tracker's Status and Notes ``columns`` as written; Notes ``None`` when bridge writes no
    Notes cell; ``rows`` what the tracker's rows are, :func:`~bridge.projections.text.stamp`),
    ``body``.
    """
    gap = [] if lines and lines[-1] == "" else [""]
    heading = f"## bridge — {t('runs', language)}"
    said = stamp(state, language, in_yours=True, columns=columns, rows=rows)
    return [*gap, GENERATED_MARK, "", heading, "", said, "", *body]
