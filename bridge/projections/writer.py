"""
The one place projection files are written, applying bridge's output protocol.

Fixed files follow the log: whenever a projection's rendering changed since it was last
recorded, the fixed ``NAME.ext`` is rewritten atomically (temp file + rename) and an
``OutputWritten`` event with no copy is returned for the caller to append.

Versions are kept at the points where bridge hands the project back to a person: with
``version=True`` (the end of ``bridge run`` and of each ``bridge advance`` step), every projection
whose content differs from its last version (the log position it states aside: ``(seq N,
time)`` and results.json's ``log_seq``/``generated_at``) gets a timestamped copy
``NAME_YYYYMMDD_HHMMSS.ext``
(the time of the newest content event folded; ``_2``, ``_3`` … when that name is taken), written
before the fixed file and recorded by an ``OutputWritten`` naming the copy. Copies are never
deleted. ``MANIFEST.md`` is rewritten from every ``OutputWritten`` that names a copy: one row per
version, with the fixed name and the copy.

A file the user had before bridge first wrote it is kept as ``NAME.before-bridge.ext``; a
researcher's edit of a file bridge wrote is kept as ``NAME.edited.ext`` before it is rewritten.
Rendering is pure and which versions exist is recorded in the log, so rebuilding from the same
log gives byte-identical fixed files and manifest (a rebuild never adds a version).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import attrs

from bridge.events.types import OutputWritten
from bridge.lazy_patterns import lazy
from bridge.machine.fold import PipelineState, RunView
from bridge.plan.notes_label import BRIDGE_LABEL
from bridge.plan.plan_section import GENERATED_MARK, is_generated_tracker
from bridge.plan.text import Document, plain, split_cells
from bridge.plan.tracker import column_positions, is_run_table
from bridge.plan.vocabulary import normalise_status
from bridge.projections import (
    code_review,
    compact_log,
    manifest,
    plot,
    results,
    results_data,
    tracker,
)
from bridge.projections.text import language_of
from bridge.projections.tracker_layout import WRITTEN_DIR, cell_spans
from bridge.projections.visible import KEEP_LINES, visible
from bridge.value_methods import value_methods

__all__ = [
    "DEFAULT_PROJECTIONS",
    "HELD_EDIT",
    "MANIFEST_PATH",
    "WRITTEN_DIR",
    "BeforeReplace",
    "Drift",
    "Projection",
    "ProjectionWriter",
    "atomic_write",
    "exchange",
    "language_of",
    "sha256_text",
]

MANIFEST_PATH = manifest.PATH
#: What the writer put or is about to put in each fixed file and has not logged (path → every
#: such sha256, oldest first), noted before writing, so a file written by a bridge that stopped
#: before logging it is recognised as its own, however many runs stopped in a row. A path's
#: hashes are dropped once the log's last write of it is one of them. A crash note, never
#: state: it is read only to tell bridge's writes from a researcher's edits.
PENDING_PATH = ".bridge/pending-outputs.json"
#: Beside that note (``NAME.ext`` + this), the rows bridge wrote in the file before its last
#: write, by run id (a row's first cell): each row's last :data:`EARLIER_ROWS` lines that differ
#: from the one it has now, oldest first. What tells a word bridge wrote on a row (TODO for a
#: queued retry) saved back by an editor that had the file open from the researcher's word
#: (018's JPH-B2-PO-S0, trial t12). A note, never state: a missing one only reads every row as
#: the researcher's.
EARLIER_SUFFIX = ".earlier-rows.json"
EARLIER_ROWS = 8
#: Beside that note (``NAME.ext`` + this), the sha256 of bridge's part (from its marker on) of
#: each of its last :data:`EARLIER_ROWS` writes of the file before its last one, oldest first:
#: a file saved from an editor holding one of them has bridge's words below the marker, nothing
#: of the researcher's (030: a note added in an editor opened at `bridge retry`'s write kept an
#: `.edited.md` copy said to hold text found only there, trial h39F). A note, never state: a
#: missing one only keeps the copy.
EARLIER_SECTIONS_SUFFIX = ".earlier-sections.json"
Renderer = Callable[[PipelineState, str], str | bytes]


class BeforeReplace(Protocol):
    """
    Called with a researcher's file's path once bridge has checked what is there and written
    its new version beside it, just before that version takes the file's place: the instant a
    save from the researcher's editor could land unseen (a test's seam; nothing by default).
    """

    def __call__(self, path: Path) -> None: ...


# Which log position a file shows (the "(seq 125, 2026-12-03 08:32:40 UTC)" of
# bridge.projections.text.stamp, in both languages, and results.json's "log_seq" and
# "generated_at"): what changes when nothing else does.
_STAMP = re.compile(
    (
        r'\(seq \d+, [^)]*\)|（seq \d+，[^）]*）|"log_seq": \d+|"generated_at": (?:"[^"]*"|null)'
    ).encode()
)


# The log position bridge's part of the tracker states it was written at: "(seq 125, …)".
_WRITTEN_SEQ = lazy(r"[(（]seq (\d+)[,，]")


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Projection:
    """
    One projection file: where it goes, who it is attributed to, and its pure renderer.

    ``render`` returns text (or bytes, for the plot); a projection that does not apply to the
    state (compact log when ``compact`` is off, the plot without matplotlib) is skipped by
    returning an empty string.
    """

    path: str
    description: str
    render: Renderer
    skill: str = "bridge"
    #: The file is the researcher's, bridge filling in its parts (the tracker): the writer
    #: leaves every character of it as rendered (a NUL aside), so the researcher's own text
    #: (an RLM mark in Hebrew prose, a bidi embedding pasted from a web page) stays as they
    #: wrote it; the renderer shows untrusted text visibly in the parts it writes itself.
    researchers_file: bool = False


# What `bridge verify` and `bridge rebuild` say of a tracker holding the researcher's edit.
_UNREAD_EDIT = "holds an edit no command has read yet (the next `bridge run` reads it)"
#: What `bridge verify` says of bridge's own tracker holding the researcher's edit, which no
#: command reads (:meth:`ProjectionWriter.held_by_edit`): "the next run reads it" was untrue.
HELD_EDIT = (
    "holds your edit of the tracker bridge writes whole: left as you wrote it and no longer "
    "updated (move your notes to a file of your own and delete it to have it written again)"
)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Drift:
    """
    A file on disk that does not match the log: ``kind`` is ``modified``, ``missing``,
    ``behind`` (a projection that is bridge's own last recorded write, rendered before the
    latest events: nobody edited it), ``edited`` (a researcher's file, the tracker, changed
    since bridge last wrote it: an edit the next ``bridge run`` reads, not damage), or
    ``older`` (set by :func:`bridge.pipeline.audit.verify`: bridge's own last write, after the
    last event, laid out by another version of bridge: not damage).
    """

    path: str
    kind: str
    detail: str = ""


DEFAULT_PROJECTIONS: tuple[Projection, ...] = (
    Projection(
        path="refine-logs/EXPERIMENT_TRACKER.md",
        description="run tracker: every run's status and notes",
        render=tracker.render,
        researchers_file=True,
    ),
    Projection(
        path="refine-logs/EXPERIMENT_RESULTS.md",
        description="results: milestones, criteria, verdicts, summary and next step",
        render=results.render,
    ),
    Projection(
        path="refine-logs/results.json",
        description="machine-readable results: every value with its source file and sha256",
        render=results_data.render_json,
    ),
    Projection(
        path="refine-logs/results.csv",
        description="machine-readable metric values, one row each, with provenance",
        render=results_data.render_csv,
    ),
    Projection(
        path="refine-logs/EXPERIMENT_CODE_REVIEW.md",
        description="code review: implementations, reviews and rescue diagnoses",
        render=code_review.render,
    ),
    Projection(
        path=plot.PATH,
        description="plot: the key metric per system per block, mean ± std over seeds",
        render=plot.render,
    ),
    Projection(
        path="EXPERIMENT_LOG.md",
        description="compact log: one entry per finished run with its command",
        render=compact_log.render,
    ),
)


def _below_marker_only(fixed: Path, text: str | bytes) -> bool:
    """Whether the file at ``fixed`` differs from ``text`` only from bridge's marker on."""
    try:
        theirs = fixed.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    ours = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    if GENERATED_MARK not in theirs:
        return False
    return theirs.partition(GENERATED_MARK)[0] == ours.partition(GENERATED_MARK)[0]


def _row_id(line: str) -> str:
    """The first cell of a table row without markup, as the tracker reader reads a run id."""
    spans = cell_spans(line)
    return plain(line[spans[0][0] : spans[0][1]]).strip() if spans else ""


def _run_rows(text: str) -> dict[int, tuple[str, int | None]]:
    """
    The rows of the run tables of ``text`` above bridge's marker, placed as the tracker
    reader and :func:`~bridge.projections.tracker_layout.fill_in` place them: by line index
    (0-based, in ``text.split("\n")``), the run id (the row's first cell, without markup) and
    the position of its table's Notes cell (None for a table without one). A line of another
    table or of prose is none: a row is bridge's by its run id, never by words found in it.
    """
    rows: dict[int, tuple[str, int | None]] = {}
    for table in _document(text.partition(GENERATED_MARK)[0]).tables:
        if not is_run_table(table):
            continue
        notes = column_positions(table.header).get("notes")
        for number, cells in table.rows:
            rows.setdefault(number - 1, (plain(cells[0]).strip(), notes))
    return rows


@functools.lru_cache(maxsize=8)
def _document(text: str) -> Document:
    """``text`` parsed once (a refresh reads the same three versions of the tracker twice)."""
    return Document(text, "EXPERIMENT_TRACKER.md")


def _launched_by(written: str, runs: Mapping[str, RunView]) -> frozenset[str] | None:
    """
    The runs bridge had launched when it wrote ``written`` (the log position its stamp, after
    the marker, states): the rows of runs bridge ran in that write, whose Status (and Notes
    after its label) are bridge's words. A row bridge's label is on but whose run it never
    launched (a run held for its code, cancelled before it ran) is the researcher's row. None
    when ``written`` states no position.
    """
    stamp = _WRITTEN_SEQ.search(written.partition(GENERATED_MARK)[2])
    if stamp is None:
        return None
    seq = int(stamp[1])
    return frozenset(
        run_id
        for run_id, run in runs.items()
        if any(attempt.submitted_seq <= seq for attempt in run.attempts)
    )


def _bridges_rows(
    text: str, launched: Collection[str] | None, *, theirs_only: bool = False
) -> dict[str, str]:
    """
    The first row of each run in ``text`` (:func:`_run_rows`), of those of ``launched`` (None:
    of every run), by run id: as written, or, with ``theirs_only``, with bridge's labelled part
    of its Notes cell left out (:func:`_theirs_only`).
    """
    lines = text.split("\n")
    rows: dict[str, str] = {}
    for at, (run_id, notes) in sorted(_run_rows(text).items()):
        if (launched is None or run_id in launched) and run_id not in rows and at < len(lines):
            rows[run_id] = _theirs_only(lines[at], notes) if theirs_only else lines[at]
    return rows


def _theirs_only(line: str, notes: int | None) -> str:
    """
    A row ``line`` with bridge's labelled part of its Notes cell (at ``notes``) left out
    (``bridge: attempt 2 …``), the label found as the tracker reader finds it: in that cell's
    text alone, where it may open the cell (030's `| bridge: attempt 1 … |`, which a search of
    the whole row missed); the same words in another cell (a note naming another run's
    ``bridge:`` part) are the researcher's.
    """
    spans = cell_spans(line)
    if notes is None or notes >= len(spans):
        return line
    start, end = spans[notes]
    cell = line[start:end].strip()
    found = BRIDGE_LABEL.search(cell)
    if found is None:
        return line
    return f"{line[:start]} {cell[: found.start()].rstrip()} {line[end:]}"


def _cells_carried(run_id: str, line: str, ours: Mapping[str, str], now: Mapping[str, str]) -> bool:
    """
    Whether the row ``line`` of the researcher's file, the row of ``run_id`` that bridge wrote
    last as ``ours`` has it (by run id), is written next (``now``) with every cell they changed
    as they wrote it: the cells they left as bridge wrote them are bridge's to rewrite (its
    Status as the run moves on). Every row is given with bridge's labelled part of its Notes
    left out (:func:`_theirs_only`). A row they gave a column more or less is compared cell by
    cell where :func:`_aligned` places bridge's cells; one bridge writes next with another
    number of cells is not compared.
    """
    changed = _changed_cells(run_id, line, ours, now)
    return changed is not None and not changed


def _changed_cells(
    run_id: str, line: str, ours: Mapping[str, str], now: Mapping[str, str]
) -> list[str] | None:
    """
    The cells of the row ``line`` of ``run_id`` that the researcher changed from bridge's last
    write (``ours``), not to empty, and that bridge does not write next as they wrote them
    (``now``); None when the row is not in both or bridge writes it with another number of
    cells. Cells are split as the tracker reader splits them
    (:func:`~bridge.plan.text.split_cells`): an escaped ``\\|`` or a pipe in `inline code`
    (`python a.py | tee log`) is in its cell, not a border (a Status holding one counted as a
    column added, and the Status not taken was said as text lost).
    """
    if run_id not in ours or run_id not in now:
        return None
    theirs = split_cells(line)
    was = _aligned(split_cells(ours[run_id]), theirs)
    will = split_cells(now[run_id])
    if len(theirs) != len(will):
        return None
    # A cell they emptied, or left blank in a column they added, holds nothing to lose where
    # bridge fills it (030's Result cells, in a file saved from an editor holding it as it was
    # before bridge ran; 002's tracker given an empty Result column after its runs, trial h39A).
    return [
        cell
        for cell, old, next_cell in zip(theirs, was, will, strict=True)
        if cell and cell != old and cell != next_cell
    ]


def _aligned(was: Sequence[str], theirs: Sequence[str]) -> list[str | None]:
    """
    The cells of bridge's last write of a row (``was``) put in the places of the researcher's
    cells of it (``theirs``), so each cell of theirs is compared with the one it was: the same
    list when they have as many cells; where they added or removed a column (018: a `复核` note
    column added beside a Status set to TODO, trial t16), the cells of runs of equal cells and
    of same-length replacements keep their place, and a cell of theirs with no counterpart (a
    new column, or one of a stretch that changed length) is ``None``: what it was is unknown,
    so it counts as theirs.
    """
    if len(was) == len(theirs):
        return list(was)
    import difflib

    placed: list[str | None] = [None] * len(theirs)
    matcher = difflib.SequenceMatcher(a=list(was), b=list(theirs), autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and a1 - a0 == b1 - b0):
            placed[b0:b1] = was[a0:a1]
    return placed


def _status_only(run_id: str, line: str, ours: Mapping[str, str], now: Mapping[str, str]) -> str:
    """
    ``run_id``, that of the row ``line`` of the researcher's file (not carried: see
    :func:`_cells_carried`), when the one cell they changed that is not written next as they
    wrote it reads as a Status (TODO, NOT RUN — …, DONE): bridge writes the run's own there, and
    says so apart; ``""`` otherwise.
    """
    lost = _changed_cells(run_id, line, ours, now)
    return run_id if lost and len(lost) == 1 and normalise_status(lost[0]) != "unknown" else ""


def sha256_text(text: str | bytes) -> str:
    """
    Return the hex sha256 of ``text`` (UTF-8 when it is a string).
    """
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def atomic_write(path: Path, text: str | bytes) -> tuple[int, int]:
    """
    Write ``text`` (UTF-8 when a string) to ``path`` so a reader sees the old or the new file,
    never half of one. Returns the ``(st_mtime_ns, st_size)`` of the file written, taken from
    its own descriptor: what ``path`` stats as until someone else writes it (a ``stat`` of the
    path afterwards could already see another writer's file).
    """
    tmp, info = _written_beside(path, text)
    try:
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return info


def _written_beside(path: Path, text: str | bytes) -> tuple[Path, tuple[int, int]]:
    """
    ``text`` (UTF-8 when a string) written whole and synced to a new temporary file beside
    ``path``, mode 0644: its path, and its ``(st_mtime_ns, st_size)`` from its descriptor.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode() if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
            # The rename and the chmod below leave the file's mtime and size as they are.
            info = os.fstat(handle.fileno())
        # mkstemp creates 0600; projections are ordinary shared files like the plan itself.
        tmp.chmod(0o644)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, (info.st_mtime_ns, info.st_size)


# renameat2(2)'s flag that swaps two paths (Linux 3.15, glibc 2.28), and the descriptor that
# stands for the working directory (the paths given are absolute or relative to it).
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    """libc's ``renameat2``, looked up once; None off Linux or in a libc without it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    path = ctypes.c_char_p
    function.argtypes = (ctypes.c_int, path, ctypes.c_int, path, ctypes.c_uint)
    function.restype = ctypes.c_int
    found: Callable[[int, bytes, int, bytes, int], int] = function
    return found


def exchange(first: Path, second: Path) -> bool:
    """
    Swap the files at ``first`` and ``second`` in one step (``renameat2`` with
    ``RENAME_EXCHANGE``): each path then names what the other named. False, with nothing done,
    where that cannot be done: not Linux, a libc without ``renameat2``, a kernel or file system
    refusing it (ENOSYS, EINVAL, EOPNOTSUPP), or a path missing (ENOENT); the caller renames
    then. Any other failure raises :class:`OSError`.
    """
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOENT):
            return False
        raise OSError(code, os.strerror(code), str(second))
    return True


def _file_sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _harmless(projection: Projection, text: str | bytes) -> str | bytes:
    """
    Nothing bridge writes holds a NUL (a log written by an older bridge may carry one in a
    command or a reason): as text it reads as U+FFFD. Nor, in a file bridge owns, any other
    control character: what a run printed, a metric name from its files, a host's error text
    are written with their escape sequences, carriage returns and bidi controls shown as
    escapes (:func:`visible`), so the Markdown, CSV and JSON hold only text (the JSON the same
    values). A researcher's file (:attr:`Projection.researchers_file`) keeps its characters:
    its renderer shows the untrusted text it writes. Bytes (the plot) are left alone.
    """
    if isinstance(text, str):
        text = text.replace("\x00", "\ufffd")
        return text if projection.researchers_file else visible(text, keep=KEEP_LINES)
    return text


class ProjectionWriter:
    """
    Writes projections of a folded state under a project root.

    Args:
        root: the project root; every projection path is relative to it.
        projections: what to write (default: :data:`DEFAULT_PROJECTIONS`).
        before_replace: called just before bridge's version of a researcher's file takes its
            place (:class:`BeforeReplace`; a test's seam).
    """

    def __init__(
        self,
        root: Path,
        projections: Sequence[Projection] = DEFAULT_PROJECTIONS,
        *,
        before_replace: BeforeReplace | None = None,
    ) -> None:
        self.root = root
        self.projections = tuple(projections)
        self.before_replace = before_replace
        # Each projection file bridge wrote last, as it stats: (mtime_ns, size) by path.
        self.written_stat: dict[str, tuple[int, int]] = {}
        # Copies of the researcher's edit kept only for a Status bridge writes its own over,
        # on rows it ran: the copy's path (relative to the root) → those rows' run ids.
        self.kept_for_status: dict[str, tuple[str, ...]] = {}

    def render_all(self, state: PipelineState) -> dict[str, str | bytes]:
        """
        Render every projection (and the manifest) of ``state``: path → text (bytes for the plot).
        No I/O.
        """
        language = language_of(state)
        rendered = {p.path: _harmless(p, p.render(state, language)) for p in self.projections}
        rendered = {path: text for path, text in rendered.items() if text}
        rendered[MANIFEST_PATH] = manifest.render(state.outputs, language)
        return rendered

    def refresh(
        self, state: PipelineState, *, force: bool = False, version: bool = False
    ) -> list[OutputWritten]:
        """
        Write every projection whose rendering changed; return the events to record.

        With ``version`` a timestamped copy is also kept of every projection whose content
        differs from its last version. With ``force`` the fixed files are rewritten even when
        unchanged (``bridge rebuild``).
        """
        language = language_of(state)
        last: dict[str, OutputWritten] = {}
        versioned: dict[str, OutputWritten] = {}
        taken: set[str] = set()
        for out in state.outputs:
            last[out.path] = out
            if out.copy:
                versioned[out.path] = out
                taken.add(out.copy)
        stamp_at = state.last_content_at
        timestamp = stamp_at.strftime("%Y-%m-%d %H:%M:%S") if stamp_at else ""
        suffix = stamp_at.strftime("%Y%m%d_%H%M%S") if stamp_at else "00000000_000000"
        written: list[OutputWritten] = []
        # The researcher's tracker as bridge last read it: a row of it is their word, never
        # one of bridge's to take for a stale save-back (_note_earlier_rows).
        read = state.plan.tracker_text if state.plan is not None else ""
        pending = self._pending({path: out.sha256 for path, out in last.items()})
        texts = [(p, _harmless(p, p.render(state, language))) for p in self.projections]
        # Before a new version of a file lands, note what it will be: a crash after writing and
        # before the caller logs it must not make the next run call bridge's file an edit. The
        # note keeps the hashes earlier stopped runs noted beside it: one that stopped after
        # writing a file and another that stopped after noting its own (before writing it)
        # leave the first one's file under the second one's note.
        upcoming = [
            (p.path, sha256_text(text))
            for p, text in texts
            if text and (last.get(p.path) is None or last[p.path].sha256 != sha256_text(text))
        ]
        added = [(path, sha) for path, sha in upcoming if sha not in pending.get(path, ())]
        if added:
            for path, sha in added:
                pending[path] = [*pending.get(path, ()), sha]
            atomic_write(self.root / PENDING_PATH, json.dumps(pending, sort_keys=True))
        for projection, text in texts:
            if not text:
                continue
            digest = sha256_text(text)
            fixed = self.root / projection.path
            previous = last.get(projection.path)
            # What replacing a researcher's file may take away without a word: the file as the
            # checks below see it (kept or carried by them), or one of bridge's own writes.
            # Bridge's own files are not read for it (a refresh reads only what it must).
            expected = (
                {
                    _file_sha(fixed),
                    digest,
                    *((previous.sha256,) if previous else ()),
                    *pending.get(projection.path, ()),
                }
                if projection.researchers_file
                else set()
            )
            if self._edit_not_taken(projection, previous, digest, state, pending) and (
                # `bridge rebuild` restores bridge's own part below the marker; an unread edit
                # of the researcher's part is left for the next command to read.
                not force or not _below_marker_only(fixed, text)
            ):
                continue
            uncarried = self._uncarried(
                projection, previous, versioned.get(projection.path), state, text
            )
            if uncarried is None or uncarried:
                kept = self._keep_users_file(
                    fixed, digest, previous.sha256 if previous else None, pending
                )
                if kept is not None and uncarried and all(uncarried):
                    self.kept_for_status[kept.relative_to(self.root).as_posix()] = tuple(uncarried)
            changed = previous is None or previous.sha256 != digest
            new_version = version and self._new_version(versioned.get(projection.path), text)
            if not changed and not new_version:
                if force or _file_sha(fixed) != digest:
                    self._write_fixed(projection, text, state.runs, expected, read)
                continue
            copy = ""
            if new_version:
                copy = self._copy_name(projection.path, suffix, taken)
                taken.add(copy)
                atomic_write(self.root / copy, text)
            if not self._write_fixed(projection, text, state.runs, expected, read):
                # A save of the researcher's landed as bridge wrote: theirs stays, and this
                # version is written at a later refresh, once their edit is read.
                if copy:
                    (self.root / copy).unlink(missing_ok=True)
                    taken.discard(copy)
                continue
            written.append(
                OutputWritten(
                    path=projection.path,
                    copy=copy,
                    sha256=digest,
                    timestamp=timestamp,
                    skill=projection.skill,
                    stage=state.stage.value,
                    description=projection.description,
                )
            )
        manifest_text = manifest.render((*state.outputs, *written), language)
        if force or written or _file_sha(self.root / MANIFEST_PATH) != sha256_text(manifest_text):
            self._keep_manifest_edit(state, manifest_text, pending.get(MANIFEST_PATH, ()))
            # Noted first, as the projections are: a manifest written by a refresh that stopped
            # before its outputs were logged is bridge's own, not an edit to keep a copy of.
            noted = [sha256_text(manifest_text)]
            if pending.get(MANIFEST_PATH) != noted:
                pending[MANIFEST_PATH] = noted  # the latest only: the log never records it
                atomic_write(self.root / PENDING_PATH, json.dumps(pending, sort_keys=True))
            atomic_write(self.root / MANIFEST_PATH, manifest_text)
        return written

    def _keep_manifest_edit(self, state: PipelineState, text: str, noted: Sequence[str]) -> None:
        """
        Before ``MANIFEST.md`` is rewritten as ``text``: keep the file on disk as a copy when
        it is neither ``text`` nor the manifest bridge wrote last (the render of the log's
        outputs before this refresh, in either language, or ``noted``, the one the pending
        note says bridge wrote last), as a projection's edit is kept
        (``MANIFEST.edited.md``; ``MANIFEST.before-bridge.md`` for one there before bridge
        wrote any). 012's line added to it was overwritten with no copy and no word (trial t16
        F18); the command says the copy as it says the others.
        """
        fixed = self.root / MANIFEST_PATH
        current = _file_sha(fixed)
        if current is None or current == sha256_text(text):
            return
        ours = {sha256_text(manifest.render(state.outputs, lang)) for lang in ("en", "zh")}
        if current in ours or current in noted:
            return
        self._keep_copy(fixed, fixed.read_bytes(), "edited" if state.outputs else "before-bridge")

    def is_own_write(self, path: str, sha256: str, state: PipelineState) -> bool:
        """
        True when the file at ``path`` (relative to the root) with content ``sha256`` is bridge's
        own: what the log says bridge wrote last, or what bridge was writing when it stopped
        before logging it (:data:`PENDING_PATH` names it).
        """
        last = {out.path: out.sha256 for out in state.outputs}  # each file's latest write
        if last.get(path) == sha256:
            return True
        return sha256 in self._pending(last).get(path, ())

    def _pending(self, last: Mapping[str, str]) -> dict[str, list[str]]:
        """
        The pending note (:data:`PENDING_PATH`): path → the hashes bridge noted for it and has
        not logged, oldest first. A path whose last logged write (``last``: path → sha256) is
        one of its hashes is left out: that write replaced whatever bridge wrote before it, so
        the list ends there (the note on disk loses it at its next rewrite). A note written by
        an earlier bridge (one hash per path) reads as a list of one; an unreadable note as
        empty.
        """
        try:
            data = json.loads((self.root / PENDING_PATH).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        found: dict[str, list[str]] = {}
        for path, hashes in data.items():
            shas = [str(h) for h in hashes] if isinstance(hashes, list) else [str(hashes)]
            if last.get(str(path)) not in shas:
                found[str(path)] = shas
        return found

    def _edit_not_taken(
        self,
        projection: Projection,
        previous: OutputWritten | None,
        digest: str,
        state: PipelineState,
        pending: Mapping[str, list[str]],
    ) -> bool:
        """
        Whether the researcher's file (their tracker) holds an edit the log has not taken yet:
        neither what bridge wrote last, nor what it is about to write or noted writing, nor the
        file as the plan was last read from it. Such a file is left as it is until the edit is
        read (the next idle turn of a run, or the next command); rewriting it from the layout
        read before would put their note or their SKIPPED only in ``NAME.edited.md`` (018).
        """
        if not projection.researchers_file or previous is None:
            return False
        current = _file_sha(self.root / projection.path)
        if current is None or current in (digest, previous.sha256):
            return False
        if current in pending.get(projection.path, ()):
            return False
        read = state.plan.inputs.get(projection.path) if state.plan is not None else None
        return current != read

    def _uncarried(
        self,
        projection: Projection,
        previous: OutputWritten | None,
        versioned: OutputWritten | None,
        state: PipelineState,
        text: str | bytes,
    ) -> list[str] | None:
        """
        What of the researcher's edit of their tracker is not carried into what bridge writes
        next (``text``): ``[]`` when it is carried whole, so no copy of it is needed (below);
        for each line they changed that is not, the run id of its row when the one cell of it
        not written as they wrote it is a Status (bridge writes its own there: the run's status
        said apart, trial t15), else ``""``; ``None`` when carrying cannot be shown. Carried
        whole: the plan read this very file (its text
        above bridge's marker is in the log, and its rows' cells are the researcher's word),
        its part from the marker on is what bridge wrote last, as the note of that write
        (:data:`WRITTEN_DIR`) or the copy kept of it shows, and every line they changed above
        the marker is in ``text`` as they wrote it, bridge's labelled part of a Notes cell
        aside. A Status set to TODO, as bridge asks, left an ``.edited-N.md`` copy each time
        (023), and so did a SKIPPED bridge took (trial S1), and a row moved to a new table
        after a write made while runs went on (018, trial t11). When that cannot be shown
        (neither note nor copy of the last write, no marker), or a line they
        changed is not in ``text`` (a Status bridge writes back), the copy is kept.
        """
        if not projection.researchers_file or previous is None or state.plan is None:
            return None
        fixed = self.root / projection.path
        current = _file_sha(fixed)
        if current is None or current != state.plan.inputs.get(projection.path):
            return None
        ours = self._last_write(projection.path, previous, versioned)
        try:
            theirs = fixed.read_bytes()
        except OSError:
            return None
        if ours is None:
            return None
        mark = GENERATED_MARK.encode()
        # A file saved with no marker (from an editor holding it as it was before bridge's
        # first write, 030) has none of bridge's part to have edited: all of it is above.
        below = theirs.partition(mark)[2]
        if (
            mark in theirs
            and below != ours.partition(mark)[2]
            and not self._below_as_in_a_version(projection.path, below, state)
        ):
            return None
        # A line the researcher changed that bridge does not write as they wrote it (INVALID
        # or passed over bridge's Status on a row it ran: bridge writes its own back) keeps
        # their version, and is said (trials Q1, R1). Bridge's own part of a row's Notes may
        # move on (a new attempt) without losing anything of theirs.
        # Rows bridge had not run (TODO for a row held for code, a row added) are carried as
        # written: the Status bridge fills in as it runs them is its own.
        # A row of one they changed only in cells bridge does not write (a Seed cell, 018's
        # split undone: "0, 1, 2" → "0") is carried when those cells are written as they wrote
        # them, whatever bridge writes in its Status now (trial t11).
        # The rows bridge ran are the rows, placed as the tracker reader places them (by run id),
        # of the runs launched by the time of that last write (the log position its stamp
        # states): 030's run table has no Notes column, so no label, and where it has one the
        # label opens the cell (`| bridge: attempt 1 … |`), which a search of the whole row
        # missed (TODO on E1, which succeeded, was carried as if bridge had not run the row: no
        # copy kept, no line said so, trial t18); a row held for its code that the researcher
        # set to TODO, launched since, is theirs to set, labelled or not.
        last = ours.decode("utf-8", "replace")
        launched = _launched_by(last, state.runs)
        if launched is None:
            return None  # which rows bridge ran cannot be told: the copy is kept
        before = set(last.partition(GENERATED_MARK)[0].split("\n"))
        written = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        ours_rows = _bridges_rows(last, launched, theirs_only=True)
        now_rows = _bridges_rows(written, launched, theirs_only=True)
        now = {*written.partition(GENERATED_MARK)[0].split("\n"), *now_rows.values()}
        edited = theirs.decode("utf-8", "replace")
        lines = edited.split("\n")
        # A row as bridge wrote it before its last write (E1's TODO of a queued retry, saved
        # back by an editor holding that write) is bridge's stale word, which it writes over,
        # as the plan's reading takes it for no request (pipeline.steps.code._SavedBack).
        wrote_before = self.wrote_row_before(projection.path)
        uncarried: list[str] = []
        for at, (run_id, notes) in sorted(_run_rows(edited).items()):
            line = lines[at]
            if line in before or run_id not in ours_rows or wrote_before(line):
                continue
            mine = _theirs_only(line, notes)
            if mine in now or _cells_carried(run_id, mine, ours_rows, now_rows):
                continue
            uncarried.append(_status_only(run_id, mine, ours_rows, now_rows))
        return uncarried

    def _below_as_in_a_version(self, path: str, below: bytes, state: PipelineState) -> bool:
        """
        Whether ``below``, the part of the researcher's file ``path`` from bridge's marker on,
        is that part as one of bridge's earlier writes has it: one noted
        (:data:`EARLIER_SECTIONS_SUFFIX`), or one of its kept versions of the file (its
        timestamped copies, newest first): the file was saved from an editor holding that
        earlier write, so the part is bridge's words, nothing of theirs (018, trial t14: a note
        added in an editor opened before the run kept an `.edited.md` copy said to hold text
        found only there). A copy missing or changed since it was recorded is no evidence.
        """
        mark = GENERATED_MARK.encode()
        if sha256_text(below) in self._earlier_sections(path):
            return True  # one of bridge's earlier writes that was no version (a retry's)
        for out in reversed(state.outputs):
            if out.path != path or not out.copy:
                continue
            try:
                data = (self.root / out.copy).read_bytes()
            except OSError:
                continue
            if sha256_text(data) != out.sha256 or mark not in data:
                continue
            if data.partition(mark)[2] == below:
                return True
        return False

    def _last_write(
        self, path: str, previous: OutputWritten, versioned: OutputWritten | None
    ) -> bytes | None:
        """
        The bytes of bridge's last write of ``path`` (``previous``): its note under
        :data:`WRITTEN_DIR`, or the timestamped copy kept of it (``versioned``, when that write
        was a version); ``None`` when neither holds it.
        """
        kept = [self.root / WRITTEN_DIR / path]
        if versioned is not None and versioned.copy and versioned.sha256 == previous.sha256:
            kept.append(self.root / versioned.copy)
        for candidate in kept:
            try:
                data = candidate.read_bytes()
            except OSError:
                continue
            if sha256_text(data) == previous.sha256:
                return data
        return None

    def _write_fixed(
        self,
        projection: Projection,
        text: str | bytes,
        runs: Mapping[str, RunView],
        expected: Collection[str | None] = (),
        read: str = "",
    ) -> bool:
        """
        Write ``projection``'s fixed file, and, for a researcher's file, the note of that write
        (:data:`WRITTEN_DIR`) after it: a stop between the two leaves a stale note, which only
        keeps a copy of their next edit. ``read`` is the researcher's file as bridge last read
        it, and ``runs`` the log's (:meth:`_note_earlier_rows`). True when written.

        A researcher's file takes bridge's version by an exchange (:func:`exchange`), so that
        what it replaced is seen: when that is none of ``expected`` (the sha256 of the file the
        caller's checks saw, and of bridge's own writes), a save of theirs landed between those
        checks and now, and it is put back (False: nothing written), to be read at the next
        idle turn or command as a save a moment earlier is; a save landing in the instant
        between the two exchanges is kept as ``NAME.edited.ext``. Where the exchange cannot be
        made (not Linux, a file system refusing it) a plain rename replaces the file, and such
        a save is lost: the window is the few milliseconds since the checks.
        """
        fixed = self.root / projection.path
        if not projection.researchers_file:
            self.written_stat[projection.path] = atomic_write(fixed, text)
            return True
        tmp, info = _written_beside(fixed, text)
        try:
            if self.before_replace is not None:
                self.before_replace(fixed)
            if not exchange(tmp, fixed):
                tmp.replace(fixed)
            elif _file_sha(tmp) not in expected:
                if not exchange(tmp, fixed):
                    tmp.replace(fixed)  # the path was removed since: theirs is all there is
                elif _file_sha(tmp) not in (None, sha256_text(text)):
                    # Yet another save, between the two exchanges: it is no longer the file.
                    self._keep_copy(fixed, tmp.read_bytes(), "edited")
                return False
        finally:
            tmp.unlink(missing_ok=True)
        self.written_stat[projection.path] = info
        note = self.root / WRITTEN_DIR / projection.path
        self._note_earlier_rows(projection.path, note, text, read, runs)
        atomic_write(note, text)
        return True

    def _note_earlier_rows(
        self, path: str, note: Path, text: str | bytes, read: str, runs: Mapping[str, RunView]
    ) -> None:
        """
        Before the note of bridge's last write of the researcher's file ``path`` (``note``) is
        replaced by ``text``, add the rows it held that ``text`` writes otherwise to the note of
        earlier rows (:data:`EARLIER_SUFFIX`); rows ``text`` lacks leave it, and so does a row
        as ``read`` has it (the file as bridge last read it) of a run bridge had not launched
        by that write (``runs``, the log's: :func:`_launched_by`): that write carried the
        researcher's own row as they wrote it, and their row restored later (git checkout, an
        undo) is their word, not bridge's saved back. Rows are placed as the tracker reader
        places them (:func:`_run_rows`).
        """
        try:
            data = note.read_bytes()
        except OSError:
            return
        last = data.decode("utf-8", "replace")
        self._note_earlier_section(path, note, data, text)
        earlier = self._earlier_rows(path)
        now = _bridges_rows(
            text.decode("utf-8", "replace") if isinstance(text, bytes) else text, None
        )
        was = _bridges_rows(last, None)
        theirs = {row.strip() for row in _bridges_rows(read, None).values()}
        # The rows bridge ran in that write (its runs launched by then): their Status is
        # bridge's word, so such a row in the file bridge read is still bridge's (the TODO of a
        # queued retry, read again for an edit elsewhere in the file), labelled or not (030's
        # table has no Notes column; where it has one the label opens the cell). A row bridge
        # had not launched is the researcher's as they wrote it, a label on it or not.
        ran = _launched_by(last, runs) or frozenset()
        kept: dict[str, list[str]] = {}
        for run_id, line in now.items():
            rows = [row for row in earlier.get(run_id, ()) if row != line]
            if (
                run_id in was
                and was[run_id] != line
                and was[run_id] not in rows
                and (was[run_id].strip() not in theirs or run_id in ran)
            ):
                rows.append(was[run_id])
            if rows:
                kept[run_id] = rows[-EARLIER_ROWS:]
        if kept != earlier:
            atomic_write(
                note.with_name(note.name + EARLIER_SUFFIX), json.dumps(kept, sort_keys=True)
            )

    def _note_earlier_section(self, path: str, note: Path, last: bytes, text: str | bytes) -> None:
        """
        Add the sha256 of bridge's part of its last write ``last`` (from the marker on) to the
        note of earlier sections of ``path`` (:data:`EARLIER_SECTIONS_SUFFIX`) when ``text``,
        its next write, has another; a write with no marker adds none.
        """
        mark = GENERATED_MARK.encode()
        data = text.encode() if isinstance(text, str) else text
        if mark not in last or last.partition(mark)[2] == data.partition(mark)[2]:
            return
        digest = sha256_text(last.partition(mark)[2])
        earlier = self._earlier_sections(path)
        kept = [*(sha for sha in earlier if sha != digest), digest][-EARLIER_ROWS:]
        if kept != earlier:
            atomic_write(note.with_name(note.name + EARLIER_SECTIONS_SUFFIX), json.dumps(kept))

    def _earlier_sections(self, path: str) -> list[str]:
        """The note of earlier sections of ``path`` (:data:`EARLIER_SECTIONS_SUFFIX`); empty when
        unreadable."""
        note = self.root / WRITTEN_DIR / (path + EARLIER_SECTIONS_SUFFIX)
        try:
            data = json.loads(note.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [str(sha) for sha in data] if isinstance(data, list) else []

    def _earlier_rows(self, path: str) -> dict[str, list[str]]:
        """The note of earlier rows of ``path`` (:data:`EARLIER_SUFFIX`); empty when unreadable."""
        note = self.root / WRITTEN_DIR / (path + EARLIER_SUFFIX)
        try:
            data = json.loads(note.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(run_id): [str(line) for line in lines]
            for run_id, lines in data.items()
            if isinstance(lines, list)
        }

    def wrote_row_before(self, path: str) -> Callable[[str], bool]:
        """
        Whether a line, a table row of the researcher's file ``path`` as it reads now, is a row
        bridge wrote there before its last write (:data:`EARLIER_SUFFIX`), whitespace at its
        ends aside: the file was saved from an editor that had an earlier write of bridge's
        open, and the row's words (its Status) are bridge's, not the researcher's. The note is
        read once, here; the test it returns reads nothing.
        """
        earlier = {
            run_id: {line.strip() for line in lines}
            for run_id, lines in self._earlier_rows(path).items()
        }

        def wrote(line: str) -> bool:
            row = line.strip()
            return row in earlier.get(_row_id(row), ())

        return wrote

    def _keep_users_file(
        self, fixed: Path, digest: str, ours: str | None, pending: Mapping[str, list[str]]
    ) -> Path | None:
        """
        Before overwriting a file that is neither what bridge wrote last nor what it is about
        to write — the researcher's own tracker, or their edit of bridge's — keep a copy:
        ``NAME.before-bridge.ext`` the first time, ``NAME.edited.ext`` (``-2``, ``-3`` …) after.
        A file bridge wrote and stopped before logging (in ``pending``) is its own, not an edit.
        Returns the copy that holds it (None when nothing needed keeping).
        """
        current = _file_sha(fixed)
        if current is None or current in (digest, ours):
            return None
        if current in pending.get(str(fixed.relative_to(self.root)), ()):
            return None
        return self._keep_copy(
            fixed, fixed.read_bytes(), "before-bridge" if ours is None else "edited"
        )

    @staticmethod
    def _keep_copy(fixed: Path, data: bytes, label: str) -> Path:
        """
        Keep ``data``, a version of ``fixed`` that is not bridge's, as ``NAME.LABEL.ext``
        (``-2``, ``-3`` … when taken), unless a copy of that name holds it already; returns
        the copy that holds it.
        """
        current = sha256_text(data)
        keep = fixed.with_name(f"{fixed.stem}.{label}{fixed.suffix}")
        n = 1
        while keep.exists():
            if _file_sha(keep) == current:
                return keep  # this very version is kept already
            n += 1
            keep = fixed.with_name(f"{fixed.stem}.{label}-{n}{fixed.suffix}")
        keep.write_bytes(data)
        return keep

    def _new_version(self, last: OutputWritten | None, text: str | bytes) -> bool:
        """
        Whether ``text`` is a new version after the ``last`` one kept: its content differs,
        the line saying which log position it shows aside (a copy that differs from the one
        before only by "seq 125" → "seq 130" is no new version).
        """
        if last is None:
            return True
        if last.sha256 == sha256_text(text):
            return False
        try:
            kept = (self.root / last.copy).read_bytes()
        except OSError:
            return True  # the copy is gone: keep this one (verify names the missing copy)
        fresh = text.encode("utf-8") if isinstance(text, str) else text
        return _STAMP.sub(b"", kept) != _STAMP.sub(b"", fresh)

    def _copy_name(self, path: str, suffix: str, taken: set[str]) -> str:
        base = Path(path)
        stem = f"{base.stem}_{suffix}"
        candidate = str(base.with_name(f"{stem}{base.suffix}"))
        n = 1
        while candidate in taken or (self.root / candidate).exists():
            n += 1
            candidate = str(base.with_name(f"{stem}_{n}{base.suffix}"))
        return candidate

    def held_by_edit(self, state: PipelineState) -> list[str]:
        """
        The files bridge wrote whole (its own tracker, written because the project has none:
        "edit the plan, not this file") that hold an edit of the researcher's, so bridge leaves
        them unwritten: no plan reads them, so their text cannot be carried into the next
        write, and writing over it would lose it (:meth:`_edit_not_taken`). Until the edit is
        gone the file stays as the researcher left it, its runs' Status as of bridge's last
        write: ``bridge run`` says so (040, trial t14: after a note was added the tracker stayed
        at seq 77 while the results went on to seq 99, and nothing said why).
        """
        if state.plan is None or state.plan.tracker_text:
            return []  # the researcher's own tracker: their edit is read and carried
        last = {out.path: out.sha256 for out in state.outputs}
        pending = self._pending(last)
        held: list[str] = []
        for projection in self.projections:
            if not projection.researchers_file or projection.path not in last:
                continue
            fixed = self.root / projection.path
            current = _file_sha(fixed)
            if current is None or current == last[projection.path]:
                continue
            if current in pending.get(projection.path, ()):
                continue  # bridge's own write, not logged before it stopped
            try:
                text = fixed.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if is_generated_tracker(text):
                held.append(projection.path)
        return held

    def drift(self, state: PipelineState) -> list[Drift]:
        """
        Compare the files on disk with what the log says they must be; return the differences.

        Checks each projection's fixed file against its rendering, each recorded version
        (timestamped copy) against its recorded sha256, and the manifest.
        """
        found: list[Drift] = []
        last = {out.path: out.sha256 for out in state.outputs}  # each file's latest write
        theirs = {p.path for p in self.projections if p.researchers_file}
        held = set(self.held_by_edit(state))
        for path, text in self.render_all(state).items():
            on_disk = _file_sha(self.root / path)
            if on_disk is None:
                found.append(Drift(path=path, kind="missing"))
            elif on_disk != sha256_text(text) and on_disk == last.get(path):
                # Nobody edited it: bridge renders at refreshes, so while a `bridge run` goes
                # (or after one was killed) the file can be its own last write, before the
                # latest events.
                found.append(
                    Drift(
                        path=path,
                        kind="behind",
                        detail="is bridge's last write, made before the latest events; the next "
                        "bridge command rewrites it",
                    )
                )
            elif (
                on_disk != sha256_text(text)
                and path in theirs
                and path in last
                and (path in held or self._ours_below_marker(path, text))
            ):
                # The researcher's own file, edited since bridge last wrote it above bridge's
                # marker: their edit, read by the next `bridge run`, not damage (018's tracker
                # after a note was added read "modified … differs from the log", exit 1; trial
                # t14). A change from the marker on, bridge's part, is drift as before; a
                # tracker bridge writes whole and left as the researcher edited it is theirs.
                said = HELD_EDIT if path in held else _UNREAD_EDIT
                found.append(Drift(path=path, kind="edited", detail=said))
            elif on_disk != sha256_text(text):
                found.append(Drift(path=path, kind="modified", detail="differs from the log"))
        for out in state.outputs:
            if not out.copy:
                continue
            on_disk = _file_sha(self.root / out.copy)
            if on_disk is None:
                found.append(Drift(path=out.copy, kind="missing"))
            elif on_disk != out.sha256:
                found.append(
                    Drift(path=out.copy, kind="modified", detail="differs from its record")
                )
        return found

    def _ours_below_marker(self, path: str, rendered: str | bytes) -> bool:
        """
        Whether the researcher's file ``path`` holds, from bridge's marker on, what bridge
        renders there now (``rendered``) or wrote there last (:data:`WRITTEN_DIR`): only the
        part above the marker, theirs, was edited. A file without the marker is not.
        """
        try:
            disk = (self.root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
        mark, ours = disk.partition(GENERATED_MARK)[1:]
        if not mark:
            return False
        candidates = [
            rendered.decode("utf-8", "replace") if isinstance(rendered, bytes) else rendered
        ]
        with contextlib.suppress(OSError):  # no note: only the rendering is bridge's
            candidates.append(
                (self.root / WRITTEN_DIR / path).read_text(encoding="utf-8", errors="replace")
            )
        return any(ours == c.partition(GENERATED_MARK)[2] for c in candidates)

    def write_to(self, state: PipelineState, out_dir: Path) -> list[Path]:
        """
        Write every projection of ``state`` under ``out_dir`` (fixed names only; for replay).
        """
        paths = []
        for path, text in self.render_all(state).items():
            target = out_dir / path
            atomic_write(target, text)
            paths.append(target)
        return paths
