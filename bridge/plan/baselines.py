"""
The baselines a plan requires in a section of its own (017's ``## Required Baselines``, 032's
``## Baselines`` table), outside any block: bridge judges nothing by them, and before this
they were shown nowhere. ``bridge plan`` lists them, marking those no block compares by the
name written, and the results keep them beside the stop rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bridge.lazy_patterns import lazy
from bridge.plan.text import plain

__all__ = ["BASELINES_OPTION", "compared_by_no_block", "required_baselines"]

#: The key of ``PlanLoaded.options`` that carries :func:`required_baselines` (one a line) to
#: the results, which read only the log; absent when the plan requires none.
BASELINES_OPTION = "plan.required_baselines"

# A section of its own on baselines: "Required Baselines", "Baselines", «基线»; not a block's
# heading ("Block 1. Decode Profiling Baseline") nor a schedule's ("Week 6: Baseline Runs").
_HEADING = lazy(
    r"^\W*(?:required\s+|reference\s+|comparison\s+)?baselines?\s*(?:methods?|systems?)?\W*$"
    r"|^\W*(?:必需的?|所需的?|对比)?基线(?:方法|系统)?\W*$",
    re.IGNORECASE,
)
_LIST_ITEM = lazy(r"^\s*(?:[-*+]|\d+[.)])\s+(.*\S)")
# The column of a baselines table that names them (032's "| # | Method | Source | …").
_NAME_COLUMNS = frozenset({"method", "baseline", "system", "name", "方法", "基线", "系统"})


def required_baselines(sections: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """
    The items of every ``(heading, text)`` section whose heading names baselines: each list
    item as written (markup dropped), and the cell of a table's name column (``Method``,
    ``Baseline``, ``方法``) of each row; once each, in order. ``()`` when the plan has none.
    """
    items: list[str] = []
    for heading, text in sections:
        if not _HEADING.search(plain(heading).strip()):
            continue
        column: int | None = None
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.startswith("|"):
                cells = [plain(c).strip() for c in stripped.strip("|").split("|")]
                if all(set(c) <= set("-: ") for c in cells):
                    continue  # the separator row
                if column is None:
                    column = next(
                        (i for i, c in enumerate(cells) if c.casefold() in _NAME_COLUMNS), -1
                    )
                elif 0 <= column < len(cells) and cells[column]:
                    items.append(cells[column])
                continue
            column = None
            if found := _LIST_ITEM.match(line):
                items.append(plain(found.group(1)).strip())
    return tuple(dict.fromkeys(i for i in items if i))


def compared_by_no_block(baseline: str, systems: Sequence[str]) -> bool:
    """
    Whether no block's compared system is ``baseline`` by the name written (case, markup
    and punctuation aside): said beside it, as a baseline the plan requires that no block
    compares is run by none of its proposed runs.
    """
    key = _key(baseline)
    return not any(_key(s) == key or _key(plain(s).split("(")[0]) == key for s in systems)


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", plain(name).casefold()).split())
