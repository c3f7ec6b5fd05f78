"""
``MANIFEST.md``: one row for every version bridge kept of a file, from the ``OutputWritten``
events that name a timestamped copy.
"""

from __future__ import annotations

from collections.abc import Sequence

from bridge.events.types import OutputWritten
from bridge.projections.markdown import table

__all__ = ["HEADER", "render"]

HEADER = ("Timestamp", "Skill", "File", "Version", "Stage", "Description")


def render(outputs: Sequence[OutputWritten]) -> str:
    """
    Render the manifest from ``OutputWritten`` events in log order: one row per version, with
    the fixed file name and its timestamped copy. Writes of the fixed file that kept no copy
    are in the log but not here.

    The header is machine-read and never translated.
    """
    body = [
        (out.timestamp, out.skill, out.path, out.copy, out.stage, out.description)
        for out in outputs
        if out.copy
    ]
    return "\n".join(["# Manifest", "", table(HEADER, body), ""])
