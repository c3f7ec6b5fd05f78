"""
Small Markdown building blocks shared by the renderers (tables, cell and line escaping).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bridge.projections.visible import visible

__all__ = ["cell", "fenced", "line", "table"]


def cell(value: object) -> str:
    """
    Return ``value`` as one Markdown table cell: pipes escaped, newlines folded, every other
    control character (an escape sequence a run printed, a carriage return, a bidi override)
    shown as its escape (:func:`~bridge.projections.visible.visible`), whose backslash is
    escaped too so the rendered cell reads ``\\u001b``, not an escape of its own.
    """
    text = "" if value is None else str(value)
    text = visible(text.replace("\r\n", " ").replace("\n", " "), keep="\t")
    return text.replace("\\", "\\\\").replace("|", "\\|").strip()


def line(value: object) -> str:
    """
    Return ``value`` (a reason, a message, a metric name a run or a host wrote) as text that
    stays on its Markdown line: newlines folded to spaces, so it cannot start a line of its own
    (a forged list item or heading), and every other control character shown as its escape
    (:func:`~bridge.projections.visible.visible`).
    """
    text = "" if value is None else str(value)
    return visible(text.replace("\r\n", " ").replace("\n", " "), keep="\t")


def fenced(body: str, info: str = "") -> list[str]:
    """
    Return ``body`` (a command line a plan or a run named) as the lines of a fenced code block
    whose fence is one backtick longer than the longest run of backticks in ``body`` (at least
    three), so nothing in ``body`` can close the block early and turn the rest of the page
    into Markdown of its author's choosing.
    """
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + info, body, fence]


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """
    Return a GitHub-flavoured Markdown table (header, separator, one line per row).
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(cell(v) for v in row) + " |" for row in rows)
    return "\n".join(lines)
