"""
The plan's own final checklist (``## Final Checklist``, 020's ``## 最终检查清单``): its ``- [ ]``
and ``- [x]`` items as written, ticked or not, each with its file and line. bridge reads it to
show it (``bridge plan``, the results, the next step at COLLECTED) and never checks or ticks an
item: whether "Main paper tables are covered" holds is the researcher's call.
"""

from __future__ import annotations

import re

from bridge.lazy_patterns import lazy
from bridge.plan.model import ChecklistItem
from bridge.plan.text import Document, plain

__all__ = ["final_checklist"]

# "## Final Checklist" (001, 002, …), "## Final checklist" (008, 014, 038), "## 最终检查清单"
# (020). Any level; a number or "九、" before it is the plan's numbering.
_HEADING = lazy(r"\bfinal\s+check\s*-?\s*list\b|最终检查清单", re.IGNORECASE)
# A task-list item: "- [ ] …", "* [x] …", "1. [X] …".
_ITEM = lazy(r"^(?P<indent>\s*)(?:[-*+]|\d{1,2}[.)])\s+\[(?P<box>[ xX])\]\s*(?P<text>.*)$")
# Any list item, with or without a box: it ends the item before it.
_ANY_ITEM = lazy(r"^\s*(?:[-*+]|\d{1,2}[.)])\s")


def final_checklist(doc: Document) -> tuple[ChecklistItem, ...]:
    """
    The items of every section whose heading says final checklist, in file order. A line
    indented under an item, up to a blank line or the next item, is the item's wrapped text
    (008's "B3 static qualification completed …; proposed / testbed stopped as ineligible.").
    A line without a box (prose, a plain bullet) is no item; fenced code is skipped.
    """
    items: list[ChecklistItem] = []
    for heading in doc.headings:
        if _HEADING.search(plain(heading.text)) is None:
            continue
        words: list[str] = []
        where = 0
        ticked = False
        within = -1
        for n in range(heading.index + 1, heading.end):
            text = doc.lines[n]
            match = None if doc.in_fence[n] else _ITEM.match(text)
            if match is not None:
                if words:
                    items.append(_item(words, ticked, doc.file, where))
                words, where = [match["text"]], n + 1
                ticked, within = match["box"] != " ", len(match["indent"])
                continue
            indent = len(text) - len(text.lstrip())
            wrapped = words and text.strip() and not doc.in_fence[n] and indent > within
            if wrapped and not _ANY_ITEM.match(text):
                words.append(text.strip())
                continue
            if words:
                items.append(_item(words, ticked, doc.file, where))
                words = []
        if words:
            items.append(_item(words, ticked, doc.file, where))
    return tuple(items)


def _item(words: list[str], ticked: bool, file: str, line: int) -> ChecklistItem:
    """An item from its lines, joined on one line without markup."""
    return ChecklistItem(
        text=" ".join(plain(" ".join(words)).split()), ticked=ticked, file=file, line=line
    )
