"""
Gates a plan states, which bridge quotes and never checks: a section's labelled gate (``**STOP
gate:** If coverage < 70% …`` under a milestone; ``Promotion gate:`` and its numbered list under
a block that writes no Success criterion, what the block must show), and the plan's stop rules
(``## Kill Criteria``, ``## Stop rules``, ``## Stop/Go Rules``, ``## Go/No-Go``, ``## Decision
Gates``, ``## Failure Conditions``, ``## Exit Criteria``: a list, or a table of outcomes, a rule
per row).
"""

from __future__ import annotations

import re

import attrs

from bridge.lazy_patterns import lazy
from bridge.plan.text import Document, plain
from bridge.value_methods import value_methods

__all__ = ["LabelledGate", "exit_criteria", "labelled_gate", "section_gate", "stop_rules"]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class LabelledGate:
    """
    A gate as its section labels it.

    Args:
        label: the label as written, without markup (``STOP gate``, ``Promotion gate``).
        items: the condition, one item per list entry (one item when the label's line holds it).
        offset: 0-based line of the label within the section's body.
    """

    label: str
    items: tuple[str, ...]
    offset: int


# A line that is the label of a gate: "**STOP gate:** …", "Promotion gate:", "门控：…". A line
# that only mentions gates ("quality gate, argmax …") is prose, and a table line (a run table's
# "| … | Gate |" header or a row's gate cell) belongs to its runs.
_GATE_LABEL = lazy(
    r"^[-*+\s]*(?:\*\*)?(?P<label>(?:[\w/-]+\s+){0,2}(?:gate|门控|通过条件))(?:\*\*)?\s*[:：]"
    r"(?:\*\*)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


def labelled_gate(body: str) -> LabelledGate | None:
    """
    The first gate a section's body labels, or None. A label that ends its line takes the list
    under it (``Promotion gate:`` then ``1. …``), up to the first blank line after the list.
    """
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if line.lstrip().startswith("|"):
            continue
        match = _GATE_LABEL.match(line)
        if match is None:
            continue
        rest = plain(match["rest"])
        bulleted = re.match(r"^(\s*)[-*+]\s", line)
        within = len(bulleted.group(1)) if bulleted else -1
        if rest:
            items: tuple[str, ...] = (_wrapped(rest, lines[index + 1 :], within),)
        else:
            items = tuple(_list_after(lines[index + 1 :], within))
        if items:
            return LabelledGate(label=plain(match["label"]), items=items, offset=index)
        return None
    return None


def section_gate(body: str) -> str:
    """
    The decision gate a milestone's own section states, on one line (``STOP gate: If …``), or
    ``""``.
    """
    gate = labelled_gate(body)
    return f"{gate.label}: {'; '.join(gate.items)}" if gate is not None else ""


def _wrapped(first: str, lines: list[str], within: int) -> str:
    """
    A label's text with the lines it wraps onto (indented under a bulleted label, or up to a
    blank line, a list item, a heading or a table), without a closing ``;`` or ``。``.
    """
    parts = [first]
    for line in lines:
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if (
            not stripped
            or (within >= 0 and indent <= within)
            or re.match(r"^(?:[-*+]|\d{1,2}[.)])\s|^[#|]", stripped)
        ):
            break
        parts.append(plain(stripped))
    return re.sub(r"[\s;；。.,，]+$", "", " ".join(parts))


_ITEM = lazy(r"^(?:[-*+]|\d{1,2}[.)])\s+")


def _list_after(lines: list[str], within: int, *, closed: bool = True) -> list[str]:
    """
    The items of the list that starts the lines (after blank lines), each on one line, without
    its closing ``;`` or ``。`` when ``closed`` (the items are joined into one line). With
    ``within`` ≥ 0 (the label is itself a list item indented so far), only the items nested
    deeper belong to it: the next item as shallow as the label ends the list.
    """
    items: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if items:
                break
            continue
        indent = len(line) - len(line.lstrip())
        if within >= 0 and indent <= within:
            break
        item = re.match(r"^(?:[-*+]|\d{1,2}[.)])\s+(.*)$", stripped)
        if item is None:
            if not items:
                break
            items[-1] = f"{items[-1]} {plain(stripped)}"
            continue
        items.append(plain(item.group(1)))
    if not closed:
        return items  # quoted as written
    return [re.sub(r"[\s;；。.,，]+$", "", item) for item in items]


# "## Kill Criteria" (034), "## Stop rules" (014), "## Stop/Go Rules" (027), "## 终止条件".
_STOP_HEADING = lazy(
    r"\bkill criteri|\bstop(?:/go|[- ]go)? rules?\b|\babort criteri|终止条件|停止规则|止损"
    # 025's "## 九、Go/No-Go (RAG SFT 因果判据)": its only criterion, a table of actions.
    r"|\bgo\s*/\s*no[- ]?go\b|\bgo[- ]no[- ]go\b"
    # 017's "## Failure Conditions" (when to give the idea up) and 036's "## Exit Criteria"
    # (when the experiments are done): plan-wide, read nowhere, so quoted nowhere.
    r"|\bfailure conditions?\b|\bexit criteri|退出条件|退出标准",
    re.IGNORECASE,
)
# Exit criteria say what they are the exit of in the sentence before their list (036's "The
# paper is ready for a first full draft when:"): that sentence is kept as a rule, where a stop
# heading's ("Stop immediately if any of the following occurs:") only repeats the heading.
_EXIT_HEADING = lazy(r"\bexit criteri|退出条件|退出标准", re.IGNORECASE)
# A section of the plan's own gates, its whole heading (030's "## Decision Gates", a list of
# "If …, …"; 033's, a fenced block): "Run Order with Decision Gates" (015) is a milestone table
# and "Gate-driven 执行顺序" (020) a gate table, whose gates the milestones already quote.
_GATES_HEADING = lazy(
    r"(?:[\d.]+\s*|[一二三四五六七八九十]+、\s*)?"
    r"(?:decision\s+gates?|gates|go\s*/\s*no[- ]?go\s+gates?|决策门|决策关口)\s*[:：]?",
    re.IGNORECASE,
)
_MAX_RULES = 12
_BOUND = lazy(r"[<>≤≥=]|\d")
_BREAK = lazy(r"(?:-{3,}|\*{3,}|_{3,})")


def _row_rule(header: tuple[str, ...], row: tuple[str, ...]) -> str:
    """
    One row of a table of outcomes as a rule, its cells joined by "→"; a first cell that opens
    with a bound ("< 40%", "40% ~ 55%") follows the quantity its column names ("RAG SFT cf_arc
    KC < 40% → ✅ 强论文 — …").
    """
    cells = [plain(cell).strip() for cell in row]
    quantity = plain(header[0]).strip() if header else ""
    if cells and quantity and _BOUND.match(cells[0]):
        cells[0] = f"{quantity} {cells[0]}"
    return " → ".join(cell for cell in cells if cell)


def _fenced_rules(doc: Document, start: int, end: int) -> list[str]:
    """
    The rules of the untagged fenced blocks between ``start`` and ``end``, one per paragraph
    (033's "After Week 1: Exp 1 gate" and the outcomes under it), its lines joined by "; ": the
    fence markers are no rule's words, and a block tagged with a language (```` ```bash ````,
    ```` ```python ````) is code, not rules.
    """
    rules: list[str] = []
    paragraph: list[str] = []
    opened = tagged = False
    for n in range(start, end):
        text = doc.lines[n].strip() if doc.in_fence[n] else ""
        marker = text.startswith(("```", "~~~"))
        if marker:
            # A marker opens a block, or closes the one open.
            opened, tagged = not opened, not opened and bool(text.strip("`~ "))
        if text and not marker and not tagged:
            paragraph.append(plain(text))
        elif paragraph:
            rules.append("; ".join(paragraph))
            paragraph = []
    return [*rules, "; ".join(paragraph)] if paragraph else rules


def stop_rules(doc: Document) -> tuple[str, ...]:
    """
    The rules of every section whose heading says kill criteria, stop rules or failure
    conditions, or is the plan's decision gates, one per list item (a paragraph when the
    section has no list, a paragraph of a fenced block), each on one line: ``bridge plan`` and
    the results quote them, as bridge checks none of them. Exit criteria are
    :func:`exit_criteria`'s.
    """
    return _rules(doc, exits=False)


def exit_criteria(doc: Document) -> tuple[str, ...]:
    """
    The rules of every section whose heading says exit criteria (036's "## Exit Criteria": when
    the experiments are done), read as :func:`stop_rules` reads its sections: they say when
    to stop for good, not when to give up, and were listed as stop rules (trial h39E).
    """
    return _rules(doc, exits=True)


def _rules(doc: Document, *, exits: bool) -> tuple[str, ...]:
    """The rules of the exit-criteria sections (``exits``) or of the other stop sections."""
    rules: list[str] = []
    for heading in doc.headings:
        title = plain(heading.text).strip()
        if not (_STOP_HEADING.search(title) or _GATES_HEADING.fullmatch(title)):
            continue
        if (_EXIT_HEADING.search(title) is not None) != exits:
            continue
        # A table of outcomes and what to do (025: "| RAG SFT cf_arc KC | 行动 |", "| < 40% |
        # ✅ 强论文 — … |"): a rule per row, each table on its own, its cells joined; a row
        # that opens with a bound is said with the quantity its header names.
        tables = doc.section_tables(heading.index + 1, heading.end)
        in_table = {n for t in tables for n in range(t.index, t.end)}
        rows = [rule for t in tables for _, row in t.rows if (rule := _row_rule(t.header, row))]
        # Only the decision gates are written as a fenced block (033's); under Kill Criteria or
        # Stop rules one holds a command or code, which was quoted as a stop rule.
        gates = _GATES_HEADING.fullmatch(title) is not None
        blocks = _fenced_rules(doc, heading.index + 1, heading.end) if gates else []
        in_table |= {n for n in range(heading.index + 1, heading.end) if doc.in_fence[n]}
        # Tables, fenced blocks (read above) and thematic breaks ("---" before the next section)
        # are no rule's words.
        lines = [
            x
            for n, x in enumerate(doc.lines[heading.index + 1 : heading.end], heading.index + 1)
            if n not in in_table and not _BREAK.fullmatch(x.strip())
        ]
        first = next((n for n, x in enumerate(lines) if _ITEM.match(x.strip())), len(lines))
        # The words before the list: a rule of their own, unless they only introduce it
        # (014's "Stop immediately if any of the following occurs:").
        intro = " ".join(plain(x) for x in lines[:first] if x.strip())
        items = _list_after(lines[first:], -1, closed=False)
        exit_rules = _EXIT_HEADING.search(title) is not None
        if (items or rows) and intro.rstrip().endswith((":", "：")) and not exit_rules:
            intro = ""
        rules += [r for r in (intro, *items, *rows, *blocks) if r]
    return tuple(rules[:_MAX_RULES])
