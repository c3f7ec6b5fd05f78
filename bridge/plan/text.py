"""
Reading a Markdown file into lines, headings and tables, tolerantly and in linear time.

This is deliberately not a Markdown renderer: it only finds what the plan reader needs — which
lines are headings (never inside fenced code or blockquotes), which runs of lines are pipe tables
(split the way a careful reader would, with broken rows repaired and reported), and the plain text
of every line with its 1-based line number. Every regex here is anchored or bounded so that a
pathological line costs time proportional to its length.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from bridge.errors import PlanError
from bridge.lazy_patterns import lazy
from bridge.value_methods import value_methods

__all__ = [
    "Document",
    "Heading",
    "Table",
    "TextWarning",
    "decode",
    "first_named",
    "first_six_named",
    "plain",
    "quoted_at_lines",
    "split_cells",
]

_HEADING = lazy(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_FENCE = lazy(r"^ {0,3}(`{3,}|~{3,})")
_SEPARATOR_CELL = lazy(r"^\s*:?-{1,}:?\s*$")
_BACKTICKS = lazy(r"`+")
_SPECIAL = lazy(r"`+|\\\||\|")
# ``__`` is emphasis only at a word's edge (as in CommonMark): inside a word it is part of
# the name (``v2__s3_comp``, ``abl__no_attn``), and run ids and identifiers keep it.
_EMPHASIS = lazy(r"(?<![\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])")
_CODE_SPAN = lazy(r"(`+[^`]*`+)")
_STRONG = lazy(r"\*\*|(?<!\w)__|__(?!\w)")


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class TextWarning:
    """
    A problem noticed while reading, kept for the user (converted to ``PlanWarning`` upstream).

    Args:
        line: 1-based line number.
        message: what was not understood or was repaired.
    """

    line: int
    message: str


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Heading:
    """
    One Markdown heading outside code fences.

    Args:
        index: the 0-based line index of the heading.
        level: 1 for ``#`` … 6 for ``######``.
        text: the heading text with surrounding spaces and closing ``#`` removed.
        end: the index one past the last line of its section (next heading of the same or
            higher level, or the end of the file).
    """

    index: int
    level: int
    text: str
    end: int

    @property
    def line(self) -> int:
        """
        The 1-based line number of the heading.
        """
        return self.index + 1


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Table:
    """
    One pipe table: a header row, a separator row and zero or more body rows.

    Args:
        index: 0-based line index of the header row.
        header: the header cells, stripped.
        rows: ``(line_number, cells)`` for each body row, each repaired to the header's width.
        end: the index one past the last row.
    """

    index: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    end: int

    @property
    def line(self) -> int:
        """
        The 1-based line number of the header row.
        """
        return self.index + 1


def decode(data: bytes, file: str, *, replace_nul: bool = False) -> str:
    """
    Turn a file's bytes into text with ``\\n`` line endings and no byte-order mark.

    Args:
        data: the raw bytes.
        file: the path to name in errors.
        replace_nul: read NUL bytes as U+FFFD instead of refusing the file (for the tracker,
            which bridge writes itself: one an older bridge wrote a NUL into must stay readable).

    Returns:
        The decoded text.

    Raises:
        PlanError: the bytes are binary (contain NUL) or not UTF-8; the message names the line.
    """
    nul = data.find(b"\x00")
    if nul >= 0 and replace_nul:
        data = data.replace(b"\x00", "\ufffd".encode())
    elif nul >= 0:
        raise PlanError(
            "this is a binary file, not a Markdown plan (it contains NUL bytes)",
            file=file,
            line=data.count(b"\n", 0, nul) + 1,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            file=file,
            line=data.count(b"\n", 0, exc.start) + 1,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")


def plain(text: str) -> str:
    """
    Remove bold/italic/code markers and surrounding space from inline Markdown.

    Args:
        text: one cell or label.

    Returns:
        The text without ``**``, ``__`` (at a word's edge), single ``*`` emphasis or backticks.
    """
    # Inside a code span every character is literal ("`<from R006 W*>`"); outside, a single
    # "*" is emphasis only when it opens and closes a span ("*best*"), not a star in a name
    # ("W*", "A*").
    if "*" not in text and "`" not in text and "__" not in text:
        return text.strip()  # nothing to remove: most cells
    pieces = _CODE_SPAN.split(text) if "`" in text else [text]
    out = []
    for n, piece in enumerate(pieces):
        if n % 2:
            out.append(piece.strip("`"))
            continue
        piece = piece.replace("\\*", "\0")  # an escaped star ("A\*") is a star
        piece = _STRONG.sub("", piece)
        piece = _EMPHASIS.sub(r"\1", piece)
        out.append(piece.replace("`", "").replace("\0", "*"))
    return "".join(out).strip()


def split_cells(line: str) -> list[str]:
    """
    Split one table row on unescaped pipes that are outside backtick code spans.

    A backtick run only opens a code span when a run of the same length closes it later on the
    line (as in CommonMark); a lone backtick is literal. Each run length is searched for at most
    once after it fails, which keeps the cost linear in the line length.

    Args:
        line: the row, with or without leading and trailing pipes.

    Returns:
        The stripped cells (``\\|`` becomes ``|``).
    """
    return [cell.strip() for cell in _raw_cells(line)]


def _raw_cells(line: str) -> list[str]:
    """The cells :func:`split_cells` gives, each with the spaces around it as written."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    if "`" not in body and "\\" not in body:
        return body.split("|")
    cells: list[str] = []
    current: list[str] = []
    unmatched_from: dict[int, int] = {}  # run length -> position after which no closer exists
    i = 0
    n = len(body)
    for special in _SPECIAL.finditer(body):
        if special.start() < i:
            continue
        current.append(body[i : special.start()])
        mark = special.group(0)
        i = special.end()
        if mark == "\\|":
            current.append("|")
        elif mark == "|":
            cells.append("".join(current))
            current = []
        else:
            length = len(mark)
            close = -1
            if unmatched_from.get(length, n + 1) > special.start():
                close = _find_run(body, i, length)
                if close < 0:
                    unmatched_from[length] = special.start()
            if close >= 0:
                current.append(body[special.start() : close + length])
                i = close + length
            else:
                current.append(mark)
    current.append(body[i:])
    cells.append("".join(current))
    return cells


def _spaced_cells(line: str) -> list[str]:
    """
    The cells of a row split only on its spaced pipes, a space on either side (or the row's
    edge): a pipe touching a character on one side is the row's own text, as in 032's metric
    formulas «(1/Σ|M_i|) Σ_i …» and «Σ_i ||u_i - θ||²».
    """
    raw = _raw_cells(line)
    cells = [raw[0]]
    for cell in raw[1:]:
        before, after = cells[-1], cell
        if before[-1:].isspace() and after[:1].isspace():
            cells.append(cell)
        else:
            cells[-1] = f"{before}|{cell}"
    return [cell.strip() for cell in cells]


def _find_run(text: str, start: int, length: int) -> int:
    """
    Find the next backtick run of exactly ``length`` at or after ``start``; -1 if none.
    """
    pos = start
    while True:
        found = text.find("`" * length, pos)
        if found < 0:
            return -1
        run = _BACKTICKS.match(text, found)
        assert run is not None
        if run.end() - found == length and (found == 0 or text[found - 1] != "`"):
            return found
        pos = run.end()


def _is_separator(cells: Sequence[str]) -> bool:
    return bool(cells) and all(_SEPARATOR_CELL.match(c) for c in cells) and any(cells)


class Document:
    """
    A Markdown file split into lines, with fenced code, headings and tables located.

    Args:
        text: the decoded text (see :func:`decode`).
        file: the path used in warnings.
    """

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.lines: list[str] = [line.rstrip() for line in text.split("\n")]
        self.in_fence: list[bool] = []
        self.warnings: list[TextWarning] = []
        #: 1-based lines of table rows whose cells do not fit their header (padded with empty
        #: cells, or extra cells joined into the last), each with the number of cells the row
        #: has as written: which cell is missing or extra cannot be told from the row.
        self.uneven_rows: dict[int, int] = {}
        self._scan_fences()
        self.headings: list[Heading] = self._scan_headings()
        self.tables: list[Table] = self._scan_tables()

    def _scan_fences(self) -> None:
        fence: str | None = None
        for line in self.lines:
            match = _FENCE.match(line)
            if fence is None:
                if match:
                    fence = match.group(1)
                    self.in_fence.append(True)
                else:
                    self.in_fence.append(False)
            else:
                self.in_fence.append(True)
                if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                    rest = line.strip()[len(match.group(1)) :]
                    if not rest.strip():
                        fence = None

    def _scan_headings(self) -> list[Heading]:
        found: list[tuple[int, int, str]] = []
        for index, line in enumerate(self.lines):
            if self.in_fence[index] or not line.lstrip(" ").startswith("#"):
                continue
            match = _HEADING.match(line)
            if match:
                found.append((index, len(match.group(1)), (match.group(2) or "").strip()))
        # Section ends: the next heading of the same or a higher level (a stack keeps it linear).
        ends = [len(self.lines)] * len(found)
        stack: list[int] = []
        for position, (index, level, _text) in enumerate(found):
            while stack and found[stack[-1]][1] >= level:
                ends[stack.pop()] = index
            stack.append(position)
        return [
            Heading(index=index, level=level, text=text, end=ends[position])
            for position, (index, level, text) in enumerate(found)
        ]

    def _scan_tables(self) -> list[Table]:
        tables: list[Table] = []
        i = 0
        total = len(self.lines)
        while i < total - 1:
            line = self.lines[i].strip()
            if self.in_fence[i] or not line.startswith("|"):
                i += 1
                continue
            nxt = self.lines[i + 1].strip()
            if self.in_fence[i + 1] or "-" not in nxt or not nxt.startswith(("|", ":", "-")):
                i += 1
                continue
            separator = split_cells(nxt)
            if not _is_separator(separator):
                i += 1
                continue
            header = tuple(split_cells(line))
            rows: list[tuple[int, tuple[str, ...]]] = []
            j = i + 2
            said = len(self.warnings)
            while j < total and not self.in_fence[j] and self.lines[j].strip().startswith("|"):
                cells = self._repair(self.lines[j], len(header), j + 1)
                rows.append((j + 1, cells))
                j += 1
            self._short_rows_together(said, len(header))
            tables.append(Table(index=i, header=header, rows=tuple(rows), end=j))
            i = j
        return tables

    def _short_rows_together(self, said: int, width: int) -> None:
        """
        The rows of one table short of the same cells, said once: a column added to a table's
        header and filled on one row (033's tracker, a `Checked` column on its results log)
        gave a warning per row, nine, and `bridge run` hid the rest behind "… and 1 more".
        """
        short: dict[int, list[int]] = {}
        kept: list[TextWarning] = []
        for warning in self.warnings[said:]:
            cells = self.uneven_rows.get(warning.line)
            if cells is not None and cells < width:
                short.setdefault(cells, []).append(warning.line)
            else:
                kept.append(warning)
        for cells, lines in short.items():
            if len(lines) == 1:
                message = (
                    f"table row has {cells} cells under a {width}-column header; missing cells "
                    "left empty"
                )
            else:
                message = (
                    f"{len(lines)} table rows (lines {_line_spans(lines)}) have {cells} cells "
                    f"under a {width}-column header; missing cells left empty"
                )
            kept.append(TextWarning(line=lines[0], message=message))
        self.warnings[said:] = sorted(kept, key=lambda w: w.line)

    def _repair(self, row: str, width: int, line: int) -> tuple[str, ...]:
        """
        The cells of ``row`` under a ``width``-column header. A row of more cells whose spaced
        pipes alone split it into ``width`` cells keeps its other pipes in their cells (032's
        «(1/Σ|M_i|) Σ_i …» under Formula, docs/plan-format.md "Tables"); else the extra cells
        are joined into the last column, or missing ones left empty, and a warning says so.
        """
        cells = split_cells(row)
        if len(cells) == width:
            return tuple(cells)
        if len(cells) > width and len(spaced := _spaced_cells(row)) == width:
            return tuple(spaced)
        if len(cells) > width:
            extra = cells[width:]
            if not any(extra):
                # Trailing empty cells (`| a | b | |`) carry nothing; drop them quietly but say so.
                self.warnings.append(
                    TextWarning(
                        line=line,
                        message=f"table row has {len(cells)} cells under a "
                        f"{width}-column header; dropped empty trailing cells",
                    )
                )
                return tuple(cells[:width])
            self.warnings.append(
                TextWarning(
                    line=line,
                    message=f"table row has {len(cells)} cells under a "
                    f"{width}-column header; joined the extra cells into the last column",
                )
            )
            self.uneven_rows[line] = len(cells)
            if width <= 1:
                return (" | ".join(cells),)
            return (*cells[: width - 1], " | ".join(cells[width - 1 :]))
        self.warnings.append(
            TextWarning(
                line=line,
                message=f"table row has {len(cells)} cells under a "
                f"{width}-column header; missing cells left empty",
            )
        )
        self.uneven_rows[line] = len(cells)
        return (*cells, *([""] * (width - len(cells))))

    def section_tables(self, start: int, end: int) -> list[Table]:
        """
        The tables whose header row lies in ``[start, end)`` (0-based line indices).

        Args:
            start: first line index.
            end: one past the last line index.

        Returns:
            The tables in file order.
        """
        return [t for t in self.tables if start <= t.index < end]

    def text_lines(self, start: int, end: int) -> list[tuple[int, str]]:
        """
        The ``(line_number, text)`` pairs in ``[start, end)`` that are outside code fences.

        Args:
            start: first line index.
            end: one past the last line index.

        Returns:
            The lines, with trailing whitespace already removed.
        """
        return [
            (i + 1, self.lines[i])
            for i in range(start, min(end, len(self.lines)))
            if not self.in_fence[i]
        ]

    def raw(self, start: int, end: int) -> str:
        """
        The raw text of lines ``[start, end)`` (fences included), stripped of blank edges.

        Args:
            start: first line index.
            end: one past the last line index.

        Returns:
            The joined text.
        """
        return "\n".join(self.lines[start:end]).strip("\n")


def _line_spans(lines: list[int]) -> str:
    """Line numbers in order, runs of consecutive ones as ``first–last``: ``102–105, 107``."""
    spans: list[list[int]] = []
    for line in lines:
        if spans and line == spans[-1][1] + 1:
            spans[-1][1] = line
        else:
            spans.append([line, line])
    return ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in spans)


def quoted_at_lines(found: Sequence[tuple[int, str]], shown: int) -> str:
    """
    The first ``shown`` of ``found`` (line number, text) quoted with their line numbers, and
    how many more at which lines: ``'a' (line 95), 'b' (line 96) (+2 more: lines 98, 99)``;
    ``""`` when ``found`` is empty. A warning names every line it stands for, so "(+1 more)"
    alone cannot leave one unnamed (033's E3 ``yaw_obj: JS divergence < 0.20``, line 122).
    """
    quoted = ", ".join(f"'{text}' (line {line})" for line, text in found[:shown])
    rest = [str(line) for line, _ in found[shown:]]
    if not rest:
        return quoted
    lines = f"line {rest[0]}" if len(rest) == 1 else f"lines {', '.join(rest)}"
    return f"{quoted} (+{len(rest)} more: {lines})"


def first_six_named(names: Sequence[str], more: str = " and {n} more") -> str:
    """
    The first six of ``names`` joined by ", ", then ``more`` with ``n`` the count of the rest
    (``"R1, …, R6 and 2 more"``; the caller's translation of ``more`` for another language);
    all of them when six or fewer. One way to name a long list in a sentence, for
    ``bridge plan``'s first runs and the plan's warnings alike.
    """
    return first_named(names, 6, more)


def first_named(names: Sequence[str], shown: int, more: str = " and {n} more") -> str:
    """
    :func:`first_six_named` with the first ``shown`` of ``names`` named (the run warnings of
    :mod:`bridge.plan.runs` name eight).
    """
    rest = len(names) - shown
    return ", ".join(names[:shown]) + (more.format(n=rest) if rest > 0 else "")
