"""
The one place the command line renders output: consoles, the status view and its JSON.

Every console made here prints text as text: rich's markup, emoji codes and highlighting are
off, so a plan title, a system name or a warning that mentions ``[[runs]]`` or ``[reviewer]``
is printed exactly as written. Nor does any of them print a control character it was handed:
an escape sequence or carriage return in what a run printed, a host's error or a metric name
is shown as its escape (:func:`shown`), never sent to the terminal, which would obey it.

Styling is applied with :class:`rich.text.Text` spans, never by embedding markup in strings.
The status view is laid out here as plain lines (fast: ``bridge status`` loads no rich at all),
and the live view shows the same lines. ``bridge run`` into a pipe or a file prints through
:class:`PlainConsole`, which writes what rich would there without loading it.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import unicodedata
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, Protocol

import attrs

from bridge.projections.visible import KEEP_LINES, visible
from bridge.value_methods import value_methods

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from bridge.events.measurements import QualityFlag
    from bridge.machine.fold import PipelineState, RunView

__all__ = [
    "PlainConsole",
    "Printer",
    "Styled",
    "make_console",
    "output_console",
    "progress_lines",
    "render_status",
    "shown",
    "status_json",
    "status_lines",
    "styled",
    "terminal_cells",
]


def make_console(*, stderr: bool = False, file: IO[str] | None = None) -> Console:
    """
    A console that prints user text exactly (no markup, no emoji codes, no highlighting) and
    every control character in text it is handed visibly (:func:`shown`), to stdout, stderr or
    ``file``.
    """
    return _shown_console()(
        stderr=stderr, file=file, markup=False, emoji=False, highlight=False, soft_wrap=True
    )


@functools.cache
def _shown_console() -> type[Console]:
    # Made when first needed: `bridge status` and plain `bridge run` never load rich.
    from rich.console import Console

    class ShownConsole(Console):
        """A rich console whose :meth:`print` shows text and :class:`Styled` as :func:`shown`."""

        def print(self, *objects: Any, **options: Any) -> None:
            super().print(*(shown(o) for o in objects), **options)

    return ShownConsole


@value_methods
@attrs.frozen(eq=False, repr=False)
class Styled:
    """
    ``label`` in ``style`` followed by ``rest`` as plain text (neither is ever parsed): a rich
    console renders it styled (``__rich__``), :class:`PlainConsole` as its text.
    """

    label: str
    style: str
    rest: str = ""

    def __rich__(self) -> Text:
        from rich.text import Text

        return Text.assemble((self.label, self.style), self.rest)

    def __str__(self) -> str:
        return self.label + self.rest


def styled(label: str, style: str, rest: str = "") -> Styled:
    """
    ``label`` in ``style`` followed by ``rest`` as plain text (``rest`` is never parsed).
    """
    return Styled(label, style, rest)


def shown(obj: object) -> object:
    """
    ``obj`` as a console prints it: text (a ``str``, either part of a :class:`Styled`) with
    every control character but newline and tab shown as its escape
    (:func:`~bridge.projections.visible.visible`: ``\\x1b[2J`` as ``\\u001b[2J``, ``\\r`` as
    ``\\r``), so text a run or a remote host wrote cannot clear the screen, retitle the
    terminal or overwrite a line; anything else as it is (a rich renderable holds text its
    maker made visible).
    """
    if isinstance(obj, str):
        return visible(obj, keep=KEEP_LINES)
    if isinstance(obj, Styled):
        return Styled(
            visible(obj.label, keep=KEEP_LINES), obj.style, visible(obj.rest, keep=KEEP_LINES)
        )
    return obj


class Printer(Protocol):
    """What a command prints through: a rich console or a :class:`PlainConsole`."""

    @property
    def is_terminal(self) -> bool:
        """Whether the output is a terminal (styles, a live view)."""
        ...

    def print(self, *objects: Any) -> None:
        """Print ``objects`` separated by spaces, then a new line."""
        ...


class PlainConsole:
    """
    Prints what :func:`make_console`'s console prints where the output is not a terminal (the
    text: no styles, no wrapping, control characters shown as :func:`shown` shows them),
    without loading rich.
    Text with a tab (rich expands it to tab stops counted in cells) and anything but text or
    :class:`Styled` go through such a rich console, made when first needed.

    Args:
        file: where to write (default: ``sys.stdout`` at each print).
    """

    is_terminal = False

    def __init__(self, file: IO[str] | None = None) -> None:
        self._file = file
        self._lock = threading.Lock()  # the watcher thread prints too: whole lines each
        self._rich: Console | None = None
        self._gone = False  # the reader closed the pipe: nothing more is written

    def print(self, *objects: Any) -> None:
        """
        Print ``objects`` separated by spaces, then a new line, as rich would.

        Raises:
            SystemExit: (1) the reader closed the pipe, as rich's console does: from the main
                thread that ends the command with 1 (it did not finish), in the watcher thread
                it ends only that thread, silently. The output is pointed at ``/dev/null``
                first, and every later print writes nothing.
        """
        if self._gone:
            return
        if all(isinstance(o, str | Styled) for o in objects):
            text = " ".join(str(o) for o in objects)
            if "\t" not in text:
                out = self._file or sys.stdout
                with self._lock:
                    try:
                        out.write(visible(text, keep=KEEP_LINES) + "\n")
                        out.flush()
                    except BrokenPipeError:
                        self._reader_gone(out)
                return
        if self._rich is None:
            self._rich = make_console(file=self._file)
        self._rich.print(*objects)

    def _reader_gone(self, out: IO[str]) -> None:
        # What rich's Console.on_broken_pipe does, so `bridge run | head` ends as it did when
        # rich printed there: the buffered text goes nowhere (the interpreter's last flush
        # cannot fail again), then SystemExit(1).
        self._gone = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, out.fileno())
        finally:
            os.close(devnull)
        raise SystemExit(1)


def output_console() -> Printer:
    """
    The console a command prints to on stdout: a :class:`PlainConsole` where rich would see no
    terminal (stdout not a TTY, neither ``TTY_COMPATIBLE=1`` nor ``FORCE_COLOR`` set), else
    :func:`make_console`'s.
    """
    try:
        tty = sys.stdout.isatty()
    except ValueError:  # closed
        tty = False
    if tty or os.environ.get("TTY_COMPATIBLE") == "1" or "FORCE_COLOR" in os.environ:
        return make_console()
    return PlainConsole()


def _elapsed(start: datetime | None, now: datetime) -> str:
    if start is None:
        return ""
    seconds = int((now - start).total_seconds())
    return f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def terminal_cells(text: str) -> int:
    """The terminal cells ``text`` takes: East Asian wide and full-width characters take two."""
    # Terminal cells: East Asian wide and full-width characters take two. No ASCII character is
    # either (tests/cli/test_plain_console.py), and ASCII is nearly every cell of a status table.
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    """``text`` padded to ``width`` cells, or cut to it with a final ``…``."""
    if terminal_cells(text) <= width:
        return text + " " * (width - terminal_cells(text))
    out, used = [], 0
    for ch in text:
        size = terminal_cells(ch)
        if used + size > width - 1:
            break
        out.append(ch)
        used += size
    return "".join(out) + "…" + " " * (width - 1 - used)


def _wrapped(text: str, width: int, indent: str = "  ") -> list[str]:
    """
    ``text`` on lines of at most ``width`` terminal cells, broken at spaces, and inside a word
    only when the word alone is wider than a line (Chinese has no spaces); lines after the
    first start with ``indent``.
    """
    lines: list[str] = []
    current, used, fresh = "", 0, 0  # fresh: the cells a new line starts with
    for word in text.split():
        size = terminal_cells(word)
        if used > fresh and used + 1 + size > width:
            lines.append(current)
            current, used = indent, terminal_cells(indent)
            fresh = used
        elif used > fresh:
            current, used = current + " ", used + 1
        for piece in word if used + size > width else (word,):
            cells = terminal_cells(piece)
            if used + cells > width and used > fresh:
                lines.append(current)
                current, used = indent, terminal_cells(indent)
                fresh = used
            current, used = current + piece, used + cells
    if used > fresh:
        lines.append(current)
    return lines


def _bar_lines(head: str, parts: Sequence[str], width: int, indent: str = "  ") -> list[str]:
    """
    A milestone's line of ``bridge status``: ``head`` (its name and bar), then ``parts`` (its
    counts, each after the first opening with its separator, ``", "`` or ``"，"``, and why runs
    have no milestone) on lines of at most ``width`` terminal cells, as the run lines are
    fitted. Broken between parts, the separator ending the line it closes; a part alone wider
    than a line is broken as :func:`_wrapped` does; lines after the first start with
    ``indent``. Nothing is cut: 018's runs of no milestone ran to ~150 cells on an 80-column
    terminal, the reason their milestone is unknown last (trial t16).
    """
    pieces = [(" ", parts[0]), *(_separated(part) for part in parts[1:])] if parts else []
    rows, current = [], head
    for number, (sep, body) in enumerate(pieces):
        # The next part's separator ends this line if the next part does not fit on it.
        after = terminal_cells(pieces[number + 1][0].rstrip()) if number + 1 < len(pieces) else 0
        if terminal_cells(current + sep + body) + after <= width:
            current += sep + body
            continue
        rows.append(current + sep.rstrip())
        current = indent + body
    rows.append(current)
    out: list[str] = []
    for number, row in enumerate(rows):
        if terminal_cells(row) <= width:
            out.append(row)
        elif number == 0:
            out.extend(_wrapped(row, width, indent))
        else:
            out.extend(indent + piece for piece in _wrapped(row, width - len(indent), ""))
    return out


def _separated(part: str) -> tuple[str, str]:
    """A count's separator (``", "``, ``"; "``, ``"，"``, ``"；"``) and the words after it."""
    body = part.lstrip(",;，； ")
    return part[: len(part) - len(body)], body


def _bar(done: int, total: int, width: int = 30) -> str:
    filled = round(width * done / total) if total else 0
    return "━" * filled + "╺" * (width - filled)


def _bar_heads(bars: Sequence[tuple[str, int, int]]) -> list[str]:
    """
    Each milestone's name and bar, from ``(name, done, total)``: the names padded to the
    longest, so the bars start in one column (027's "B0 ━━", "M1.5 ━━" and "deferred ━━"
    started in three), and the bars shortened by what a name longer than four cells adds,
    to 16 cells at least, so the counts after them keep their room on the line.
    """
    longest = max((terminal_cells(name) for name, _, _ in bars), default=0)
    width = max(16, 30 - max(0, longest - 4))
    return [
        f"{name}{' ' * (longest - terminal_cells(name))} {_bar(done, total, width)}"
        for name, done, total in bars
    ]


def _status(
    run: RunView, exited: Collection[str], elsewhere: Collection[str] = (), language: str = "en"
) -> str:
    from bridge.projections.tracker import shown_word

    if run.run_id in exited:
        return "exited"
    if run.run_id in elsewhere:
        return "RUNNING"  # as the tracker says; the note says bridge did not launch it
    attempt = run.current
    return "queued" if attempt and attempt.waiting else shown_word(run, language)


def _note(
    run: RunView, exited: Collection[str], language: str = "en", elsewhere: Collection[str] = ()
) -> str:
    """The status line's note: :func:`_note_text` shown visibly, on one line."""
    # Newlines and tabs fold to spaces (one line per run); any other control character shows.
    return " ".join(visible(_note_text(run, exited, language, elsewhere), keep=KEEP_LINES).split())


def _note_text(
    run: RunView, exited: Collection[str], language: str = "en", elsewhere: Collection[str] = ()
) -> str:
    """
    What the status view notes of ``run``, as said (``--json`` has it so): not collected yet,
    running elsewhere, overdue or waiting, numbers kept from earlier inputs, numbers not
    trusted, and its reason.
    """
    from bridge.projections.failure_words import (
        failure_in_language,
        retry_in_language,
        split_in_language,
    )
    from bridge.projections.text import t

    if run.run_id in exited:
        return t("status_uncollected", language)
    if run.run_id in elsewhere:
        return t("status_elsewhere", language)
    attempt = run.current
    note = ("OVERDUE " if attempt and attempt.overdue else "") + (
        f"{attempt.waiting} " if attempt and attempt.waiting else ""
    )
    # A run waiting to run again, or running again, holds why it does (021: "retry asked by a
    # person" read in English in a Chinese status view), as the tracker's Notes say it; any
    # other reason is why it ended, or bridge's for a run set aside (018's split row, t11).
    reason = retry_in_language(run.reason, language)
    if reason == run.reason:
        reason = split_in_language(failure_in_language(run.reason, language), language)
    if run.kept is not None and run.kept.changes:
        # A result kept as it ran, as the results and the tracker mark it (trial: `bridge
        # status` showed R006-R008 plain DONE after their settings changed).
        from bridge.projections.failure_words import kept_in_language

        kind, changes = kept_in_language(run.kept.changes, language)
        said = (
            f"数值来自{kind}（{changes}）"
            if language == "zh"
            else f"numbers from {kind} ({changes})"
        )
        reason = f"{said}; {reason}" if reason else said
    flags = _untrusted(run)
    if flags:
        # Numbers the verdicts do not trust, as the results mark them "DONE ⚠ non_finite"
        # (012's R005 with its judged metric NaN read plain DONE here, trial).
        found = ", ".join(dict.fromkeys(f"{f.metric} {f.kind}" for f in flags))
        said = f"⚠ 数值不可信：{found}" if language == "zh" else f"⚠ numbers not trusted: {found}"
        reason = f"{said}; {reason}" if reason else said
    return note + reason


def _untrusted(run: RunView) -> list[QualityFlag]:
    """
    The blocking training-quality findings of ``run``'s numbers (a NaN, a divergence): why the
    verdicts do not trust them, as the results' ``DONE ⚠ non_finite`` says; none when trusted.
    """
    return [f for f in (run.metrics.quality if run.metrics is not None else ()) if f.blocking]


def status_lines(
    state: PipelineState,
    now: datetime | None = None,
    *,
    exited: Collection[str] = (),
    detached: bool = False,
    width: int = 80,
) -> list[str]:
    """
    The status view as plain lines: stage and title, a bar per milestone, then every run, one
    line each, never wider than ``width`` cells (long systems and notes end in ``…``; ``--json``
    and ``bridge log --run`` have them in full), then GPU-hours.

    Args:
        state: the folded log.
        now: the time elapsed is measured to (default: the clock).
        exited: live runs whose process has ended but that no ``bridge run`` has collected yet.
        detached: no ``bridge run`` is active, so live runs are nobody's to collect for now.
        width: the terminal's width in cells.
    """
    from bridge.events.clock import utc_now
    from bridge.machine.scheduler import LIVE, milestone_order
    from bridge.machine.stages import SETTLED_RUN_STATES, TERMINAL_RUN_STATES, RunState, Stage
    from bridge.plan.milestones import blocks_placed, runs_of_its_systems, why_no_runs
    from bridge.plan.recorded_status import done_by_person
    from bridge.plan.vocabulary import ended_negative
    from bridge.projections.failure_words import row_gone
    from bridge.projections.text import language_of, t

    now = now or utc_now()
    language = language_of(state)
    title = visible(state.plan.title) if state.plan else t("status_no_plan", language)
    lines = [f"{t('status_stage', language)} {state.stage.value}  ·  {title}"]
    if state.stage is Stage.BLOCKED and state.blocked is not None:
        # What holds the plan and how to go on, whole: a cut reason would hide the way out.
        from bridge.projections.finding_words import blocked_in_language

        said = visible(blocked_in_language(state.blocked.reason, language))
        lines.extend(_wrapped(f"{t('blocked', language)} {said}", max(width, 20)))
    planned = {m.id for m in state.plan.milestones} if state.plan else set()
    # Where each block's runs are, for a milestone of the plan with none (018's M2 read «没有运行»
    # alone: its block's runs went to M3 with their arms, trial t16).
    order = milestone_order(state)
    blocks_of = {m.id: m.blocks for m in state.plan.milestones} if state.plan else {}
    placed = blocks_placed(
        ((r.spec.block, r.spec.milestone) for r in state.runs.values() if not r.is_task), order
    )
    lent = runs_of_its_systems(
        ((b.id, b.systems) for b in (state.plan.blocks if state.plan else ())),
        (
            (r.run_id, r.spec.block, r.spec.block_system or r.spec.system)
            for r in state.runs.values()
            if not r.is_task
        ),
    )
    bars: list[tuple[str, int, int, list[str]]] = []  # name, done, total, counts
    for milestone in order:
        # The tracker's implementation tasks are no runs: a milestone of nothing else (001's
        # "(no milestone)" of I1-I7) is no line.
        every = [r for r in state.runs_in(milestone) if not r.is_task]
        if not every and milestone not in planned:
            continue
        runs = [r for r in every if r.state is not RunState.OUT_OF_SCOPE]
        # Runs held until an earlier milestone's code is written (023's M3-M5) are still to
        # run: neither done nor "not ok" (they read as failures), said as held.
        held_back = sum(1 for r in runs if r.held_for_code)
        done = sum(1 for r in runs if r.state in TERMINAL_RUN_STATES) - held_back
        ok = sum(1 for r in runs if r.state in SETTLED_RUN_STATES)
        # Out-of-scope runs are not counted, but said: "0/0 ok" alone hides a skipped milestone.
        # Those the tracker says are blocked are said so (027's M2: "13 out of scope" here,
        # "blocked" in the summary).
        blocked = sum(1 for r in every if r.blocked_in_tracker)
        # Work people do (020's R025, owner 白天：人工) is still to do: said so, as the summary.
        by_person = sum(
            1 for r in every if r.state is RunState.OUT_OF_SCOPE and done_by_person(r.reason)
        )
        # So is a run that waits for one bridge does not run (011's R020 waits for R017).
        waiting = sum(1 for r in every if r.waits_outside)
        # So is a row whose code is not written yet (023's M2: "4 out of scope" here, "wait
        # for their code" in the summary).
        code = sum(1 for r in every if r.awaiting_code)
        # And a run set aside, its row no longer in the plan as it ran (a split, undone or
        # not, a row deleted): "set aside", as everywhere else, not "out of scope" (018's M4
        # after an undone split read "0/0 成功，2 个不在范围内").
        aside = sum(1 for r in every if r.state is RunState.OUT_OF_SCOPE and row_gone(r.reason))
        skipped = len(every) - len(runs) - blocked - by_person - waiting - code - aside
        # Runs the tracker says ended failed or invalid before bridge are done, but not ok.
        failed_before = sum(1 for r in runs if r.failed_before_bridge)
        # So are the rows whose Status is a negative result of a run that completed: 018's
        # four JPH-CAL rows `failed` (its legend: 方法/任务失败) read "8/13 成功" with them.
        negative = sum(1 for r in runs if r.negative_before_bridge)
        # A run that succeeded with no metric value is no ok run either: 018's JPH-B1-HO-S2,
        # rerun writing `{}`, read "M1 3/3 成功" (trial t15).
        no_number = sum(1 for r in runs if r.wrote_no_number)
        ok -= failed_before + negative + no_number
        not_ok = done - ok - failed_before - negative - no_number
        # Done before bridge is ok, but bridge ran none of it: "M0 1/1 ok" of a row the
        # tracker marks DONE read as a run bridge checked (trial T6, 009's R001).
        before = sum(
            1
            for r in runs
            if r.state is RunState.DONE_BEFORE
            and not r.failed_before_bridge
            and not ended_negative(r.found_status)
        )
        counts = (
            ("status_negative_before", negative),
            ("status_failed_before", failed_before),
            ("status_not_ok", not_ok),
            ("status_no_number", no_number),
            ("status_blocked", blocked),
            ("status_by_person", by_person),
            ("status_waiting", waiting),
            ("status_awaiting_code", code),
            ("status_held_for_code", held_back),
            ("status_set_aside", aside),
            ("status_out_of_scope", skipped),
        )
        parts = (
            [
                t("status_ok", language).format(ok=ok, n=len(runs))
                + (t("status_done_before", language).format(n=before) if before else ""),
                *(t(key, language).format(n=n) for key, n in counts if n),
            ]
            if every
            # the plan's milestone has no run in the tracker or bridge.toml
            else [t("status_no_runs", language)]
        )
        if not every and (why := why_no_runs(blocks_of.get(milestone, ()), placed, language, lent)):
            parts.append(t("status_why_no_runs", language).format(why=why))
        name = visible(milestone) or t("status_no_milestone", language)
        if not milestone and state.plan is not None:
            # Why none can be told, as `bridge plan`'s milestone table says (033's plan has none).
            why = "status_no_milestone_unnamed" if planned else "status_no_milestone_none"
            parts.append(t(why, language))
        bars.append((name, done, max(len(runs), 1), parts))
    heads = _bar_heads([(name, done, total) for name, done, total, _ in bars])
    for head, (*_, parts) in zip(heads, bars, strict=True):
        lines.extend(_bar_lines(head, parts, max(width, 20)))
    header = tuple(t("status_header", language).split("|"))
    rows = []
    from bridge.projections.failure_words import running_elsewhere

    held = state.blocked if state.stage is Stage.BLOCKED else None
    elsewhere = running_elsewhere(held.reason) if held is not None else frozenset()
    for run in state.runs.values():
        attempt = run.current
        # Every cell shown visibly before the widths are measured: a control character would
        # move the cursor, and its escape takes the cells it is counted for.
        rows.append(
            (
                visible(run.run_id),
                visible(run.spec.milestone),
                visible(run.spec.system),
                _status(run, exited, elsewhere, language),
                str(attempt.number) if attempt else "",
                visible(",".join(s.label() for s in attempt.slots)) if attempt else "",
                _elapsed(attempt.started_at, attempt.finished_at or now) if attempt else "",
                _note(run, exited, language, elsewhere),
            )
        )
    if rows:
        widths = [
            max(terminal_cells(row[i]) for row in (header, *rows)) for i in range(len(header))
        ]
        widths[5] = min(widths[5], 12)  # slots: the first few say enough
        shown = _columns_shown(
            widths, [any(row[i] for row in rows) for i in range(len(header))], width
        )
        # System and note share what the other columns leave: each whole when both fit, else
        # the system gets what the note does not need, but never less than half, nor less
        # than a readable width while the note keeps a few cells.
        spare = width - sum(widths[i] for i in shown if i not in (2, 7)) - 2 * (len(shown) - 1)
        if widths[2] + widths[7] > spare:
            readable = min(widths[2], _SYSTEM_READABLE, spare - _NOTE_LEAST)
            widths[2] = max(6, min(widths[2], max(spare // 2, spare - widths[7], readable)))
            widths[7] = max(4, spare - widths[2])
        right = {4}
        for number, row in enumerate((header, *rows)):
            cells = [
                " " * (widths[i] - terminal_cells(row[i])) + row[i]
                if i in right
                else _fit(row[i], widths[i])
                for i in shown
            ]
            lines.append("  ".join(cells).rstrip())
            if number == 0:
                lines.append("  ".join("─" * widths[i] for i in shown))
        left_out = [header[i] for i in (4, 5, 6) if i not in shown and any(r[i] for r in rows)]
        if left_out:
            # Said, never silently gone: the full rows are a wider terminal or --json away.
            lines.append(
                t("status_left_out", language).format(
                    columns=("、" if language == "zh" else ", ").join(left_out)
                )
            )
    budget = state.plan.budget_gpu_hours if state.plan else None
    used = state.gpu_hours_used
    lines.append(
        t("status_gpu", language).format(used=used)
        + (t("status_budget", language).format(budget=budget) if budget is not None else "")
    )
    live = [r for r in state.runs_in_state(*LIVE) if r.run_id not in exited]
    if detached and (live or exited):
        lines.append(t("status_detached", language).format(live=len(live), exited=len(exited)))
    return lines


#: The cells a system name needs to be read at a glance (018's «Harness-only contextual
#: bandit» read «Harne…» at 80 columns); the note, free text, gives way first.
_SYSTEM_READABLE = 20
#: The fewest cells the note keeps when the system takes its readable width.
_NOTE_LEAST = 8


def _columns_shown(widths: Sequence[int], filled: Sequence[bool], width: int) -> list[int]:
    """
    The status table's columns (indices of its header) to show at ``width`` cells: all of
    them when the system and note fit beside the others (or have the system's readable width
    with a few cells of note); else the attempt, slot and time columns left out, those empty
    on every row first, then the slot, the attempt and the time, until they do.
    """
    shown = list(range(len(widths)))

    def fits() -> bool:
        others = sum(widths[i] for i in shown if i not in (2, 7)) + 2 * (len(shown) - 1)
        spare = width - others
        need = min(widths[2], _SYSTEM_READABLE) + min(widths[7], _NOTE_LEAST)
        return widths[2] + widths[7] <= spare or spare >= need

    empty = [i for i in (5, 4, 6) if not filled[i]]
    for column in (*empty, *(i for i in (5, 4, 6) if filled[i])):
        if fits():
            break
        shown.remove(column)
    return shown


def render_status(state: PipelineState, now: datetime | None = None, *, width: int = 80) -> Text:
    """
    :func:`status_lines` as one rich renderable, for the live view (the stage in bold).
    """
    from rich.text import Text

    lines = status_lines(state, now, width=width)
    text = Text("\n".join(lines), no_wrap=True, overflow="ellipsis")
    text.stylize("bold", 0, len(lines[0].split("  ·  ")[0]))
    return text


def progress_lines(state: PipelineState, elapsed: str) -> list[str]:
    """
    One plain line per milestone that has begun and not finished: runs done / running / queued,
    the time since the command started and the GPU-hours used so far.
    """
    from bridge.machine.scheduler import LIVE, milestone_order
    from bridge.machine.stages import TERMINAL_RUN_STATES, RunState
    from bridge.projections.text import language_of, t

    language = language_of(state)
    lines = []
    for milestone in milestone_order(state):
        runs = [r for r in state.runs_in(milestone) if r.state is not RunState.OUT_OF_SCOPE]
        done = sum(1 for r in runs if r.state in TERMINAL_RUN_STATES)
        running = sum(1 for r in runs if r.state in LIVE)
        if running == 0 or done == len(runs):
            continue
        lines.append(
            t("status_progress", language).format(
                milestone=milestone or t("status_no_milestone", language),
                done=done,
                running=running,
                queued=len(runs) - done - running,
                elapsed=elapsed,
                gpu=state.gpu_hours_used,
            )
        )
    return lines


def status_json(
    state: PipelineState, now: datetime | None = None, *, exited: Collection[str] = ()
) -> dict[str, object]:
    """
    ``bridge status --json``: stage, each run's state, attempts, slots, elapsed, budget, and
    notes in full. ``process`` is ``exited`` for a live run whose process has ended but is not
    yet collected, ``running`` for the other live runs, and null otherwise. ``trusted`` is false
    when a blocking training-quality finding (``untrusted``: metric, kind, message) means the
    verdicts do not trust the run's numbers; ``note`` is the status view's note, whole, in
    English (the log's words, as ``reason``).
    """
    from bridge.events.clock import utc_now
    from bridge.machine.scheduler import LIVE
    from bridge.machine.stages import Stage
    from bridge.projections.failure_words import running_elsewhere
    from bridge.projections.tracker import status_word

    now = now or utc_now()
    held = state.blocked if state.stage is Stage.BLOCKED else None
    elsewhere = running_elsewhere(held.reason) if held is not None else frozenset()
    runs = []
    for run in state.runs.values():
        attempt = run.current
        process = None
        if run.state in LIVE:
            process = "exited" if run.run_id in exited else "running"
        runs.append(
            {
                "id": run.run_id,
                "milestone": run.spec.milestone,
                "block": run.spec.block,
                "system": run.spec.system,
                "seed": run.ran_seed,
                "priority": run.spec.priority,
                "state": run.state.value,
                "status": status_word(run),
                "process": process,
                "attempts": len(run.attempts),
                "slots": [s.label() for s in attempt.slots] if attempt else [],
                "elapsed_seconds": round(
                    ((attempt.finished_at or now) - attempt.started_at).total_seconds(), 3
                )
                if attempt and attempt.started_at
                else None,
                "overdue": bool(attempt and attempt.overdue),
                "waiting": attempt.waiting if attempt else "",
                "reason": run.reason,
                # 015's R004 (peak_T NaN) read plain succeeded here, where the status line
                # says "⚠ numbers not trusted: peak_T non_finite" (trial).
                "trusted": not _untrusted(run),
                "untrusted": [
                    {"metric": f.metric, "kind": f.kind, "message": f.message}
                    for f in _untrusted(run)
                ],
                "note": _note_text(run, exited, "en", elsewhere),
                # As results.json's runs[].kept_as_ran: what changed since it ran (field, old,
                # new); empty when its result is from the inputs as they are.
                "kept_as_ran": [
                    {"field": c.field, "old": c.old, "new": c.new}
                    for c in (run.kept.changes if run.kept is not None else ())
                ],
            }
        )
    return {
        "stage": state.stage.value,
        "title": state.plan.title if state.plan else None,
        "events": state.events,
        "last_seq": state.last_seq,
        "runs": runs,
        "gpu_hours_used": round(state.gpu_hours_used, 6),
        **_gpu_hours_ahead(state),
        "blocked": state.blocked.reason if state.blocked else None,
    }


def _gpu_hours_ahead(state: PipelineState) -> dict[str, object]:
    """
    The plan's GPU-hours as ``bridge plan`` shows them: ``gpu_hours_budget``, the budget the plan
    states (null when it states none); ``gpu_hours_estimated``, the sum of the milestones'
    estimates (runs' ``estimated_minutes × gpus``, else the plan's Cost column), with
    ``gpu_hours_estimates``, each milestone's estimate (null when nothing gives one) and its
    source, then those of the runs of a milestone the plan lacks or of none (``""``); and
    ``gpu_hours_planned``, kept for scripts that read it: the budget, as it was. Each
    milestone's ``plan_cost`` is its Cost as the plan writes it (018's M4 ``累计 800–1600
    GPUh``; null when it writes none, or the log is older than the key), and
    ``plan_own_gpu_hours`` the GPU-hours the log derived from it, a running total less the
    milestones before it (M4's 1280), which the source named as the plan's Cost before.
    """
    from bridge.machine.stages import NOT_BRIDGES_RUN_STATES
    from bridge.plan.overview import COSTS_OPTION, costs_of, estimate_cost, own_cost_shown

    plan = state.plan
    if plan is None:
        return {
            "gpu_hours_budget": None,
            "gpu_hours_estimated": None,
            "gpu_hours_estimates": [],
            "gpu_hours_planned": None,
        }
    estimates: list[dict[str, object]] = []
    total = 0.0
    planned = {m.id for m in plan.milestones}
    # Then the runs of a milestone the plan lacks, or of none (id ""), as `bridge plan` counts
    # them (032's 25 runs of no milestone).
    others = [(mid, None) for mid in state.milestone_ids if mid not in planned]
    written = costs_of(plan.options.get(COSTS_OPTION, ""))
    before = 0.0
    for mid, stated in [*((m.id, m.gpu_hours) for m in plan.milestones), *others]:
        # The tracker's implementation tasks are no runs (out of scope in the log, with `[run]
        # gpus`): `bridge plan` counts them nowhere, and 011's M0 read "2 runs the tracker
        # marks done or ruled out" of its code tasks R001/R002.
        every = [r for r in state.runs_in(mid) if not r.is_task]
        if mid not in planned and not every:
            continue
        # What is left to spend, as `bridge plan` counts it: the runs the tracker marks done or
        # ruled out launch nothing (018's M0, done before bridge, counted the plan's 32 GPU-h).
        runs = [r.spec for r in every if r.state not in NOT_BRIDGES_RUN_STATES]
        done = [r.spec for r in every if r.state in NOT_BRIDGES_RUN_STATES]
        # The Cost named as `bridge plan` names it: as written where nothing is counted of it
        # (018's M4, no runs, read "the plan's Cost (1280 GPU-h)", the log's share of its
        # running total), else with what a running total's share takes off it.
        raw = written.get(mid)
        shown = raw if raw is None or not runs else own_cost_shown(raw, before)
        estimate = estimate_cost(stated, shown, runs, settled=done)
        before += stated or 0.0
        total += estimate.gpu_hours or 0.0
        hours = None if estimate.gpu_hours is None else round(estimate.gpu_hours, 6)
        estimates.append(
            {
                "milestone": mid,
                "gpu_hours": hours,
                "source": estimate.source,
                "plan_cost": raw,
                "plan_own_gpu_hours": None if stated is None else round(stated, 6),
            }
        )
    return {
        "gpu_hours_budget": plan.budget_gpu_hours,
        "gpu_hours_estimated": round(total, 6),
        "gpu_hours_estimates": estimates,
        "gpu_hours_planned": plan.budget_gpu_hours,
    }
