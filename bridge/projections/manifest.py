"""
``MANIFEST.md``: one row for every file bridge wrote, from the ``OutputWritten`` events.
"""

from __future__ import annotations

from collections.abc import Sequence

from bridge.events.types import OutputWritten
from bridge.projections.markdown import table

__all__ = ["HEADER", "render"]

HEADER = ("Timestamp", "Skill", "File", "Stage", "Description")


def render(outputs: Sequence[OutputWritten]) -> str:
    """
    Render the manifest from ``OutputWritten`` events in log order.

    The header is machine-read and never translated.
    """
    body = [(out.timestamp, out.skill, out.copy, out.stage, out.description) for out in outputs]
    return "\n".join(["# Manifest", "", table(HEADER, body), ""])
