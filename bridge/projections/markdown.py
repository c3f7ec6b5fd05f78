"""
Small Markdown building blocks shared by the renderers (tables and cell escaping).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["cell", "table"]


def cell(value: object) -> str:
    """
    Return ``value`` as one Markdown table cell: pipes escaped, newlines folded.
    """
    text = "" if value is None else str(value)
    return (
        text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip()
    )


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """
    Return a GitHub-flavoured Markdown table (header, separator, one line per row).
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(cell(v) for v in row) + " |" for row in rows)
    return "\n".join(lines)
