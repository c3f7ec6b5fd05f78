"""
A Status the researcher wrote in bridge's part of their tracker, below its marker: bridge
writes that part from its log and never reads it, so such a Status asks nothing; the kept copy
of the edit alone would not say so (trial t7 on 034: `NOT RUN` on R009 in the per-run table
went to ``EXPERIMENT_TRACKER.edited.md`` without a word, and R009 was launched). Each is said,
with where the Status is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from bridge.plan.plan_section import GENERATED_MARK
from bridge.plan.text import split_cells
from bridge.plan.vocabulary import OUT_OF_SCOPE_STATUSES, normalise_status
from bridge.projections.text import t

if TYPE_CHECKING:
    from bridge.machine.views import RunView

__all__ = ["proposed_blocks", "statuses_below_marker"]


def _cells(line: str) -> list[str] | None:
    """
    A table row's cells, or ``None`` for a line that is no row (or a separator row), split as
    the tracker reader splits them (:func:`~bridge.plan.text.split_cells`: a pipe in `inline
    code` or escaped is in its cell, not a border).
    """
    text = line.strip()
    if not text.startswith("|") or set(text) <= set("|-: "):
        return None
    return split_cells(text)


def _statuses(part: str) -> dict[str, str]:
    """Run id to Status cell of the tables in ``part`` that have a Status column."""
    found: dict[str, str] = {}
    status_at: int | None = None
    for line in part.splitlines():
        cells = _cells(line)
        if cells is None:
            if not line.strip().startswith("|"):
                status_at = None  # a table ended
            continue
        lowered = [c.casefold() for c in cells]
        if status_at is None:
            status_at = lowered.index("status") if "status" in lowered else -1
            continue  # the header row
        if 0 <= status_at < len(cells) and cells[0]:
            found[cells[0].strip("*` ")] = cells[status_at]
    return found


def proposed_blocks(runs: Iterable[RunView]) -> dict[str, str]:
    """
    Run id to block id of the runs bridge proposed from the plan's blocks (no tracker row or
    ``[[runs]]`` entry of their own names them), as :func:`statuses_below_marker` takes them.
    """
    # Imported here: bridge.plan.runs is large, and only a kept tracker edit needs it.
    from bridge.plan.runs import PROPOSED

    return {r.spec.run_id: r.spec.block for r in runs if r.spec.source == PROPOSED and r.spec.block}


def statuses_below_marker(
    file: str, kept: str, written: str, language: str, proposed: Mapping[str, str] | None = None
) -> list[str]:
    """
    A line for each run whose Status the researcher changed below the marker (``kept``, their
    file) to one that asks something (out of scope, or to run) where bridge wrote another
    (``written``, the file now), saying it is not read and where it is: the run's row above
    the marker; where the tracker lists blocks (the run is named only in its block's Run ID
    cell), the block's systems in the plan, as its row's Status is for all its runs; for a run
    bridge proposed from a block (``proposed``: run id to block id, :func:`proposed_blocks`)
    and no row names, the block in the plan: its systems or seeds, or its Priority ``CUT``.
    """
    above, mark, theirs = kept.partition(GENERATED_MARK)
    if not mark:
        return []
    ours = _statuses(written.partition(GENERATED_MARK)[2])
    rows = [c for c in (_cells(line) for line in above.splitlines()) if c]
    lines = []
    for run_id, status in _statuses(theirs).items():
        asked = normalise_status(status)
        if status == ours.get(run_id, status) or not (
            asked in OUT_OF_SCOPE_STATUSES or asked == "todo"
        ):
            continue
        own = any(c[0].strip("*` ") == run_id for c in rows)
        block = next(
            (
                c[0].strip("*` ")
                for c in rows
                if any(run_id in re.split(r"[,;\s]+", c2) for c2 in c[1:])
            ),
            "",
        )
        origin = (proposed or {}).get(run_id, "")
        if not own and not block and origin:
            # No row to write it in: a run table written above the marker would replace every
            # run bridge proposed (033's R025, whose tracker has a checklist, no run table).
            siblings = sum(b == origin for b in (proposed or {}).values())
            key = "status_below_marker_proposed" if siblings > 1 else "status_below_marker_alone"
            where = t(key, language).format(run=run_id, block=origin)
        elif own or not block:
            where = t("status_below_marker_row", language).format(run=run_id)
        else:
            where = t("status_below_marker_block", language).format(run=run_id, block=block)
        lines.append(
            t("status_below_marker", language).format(
                file=file, run=run_id, status=status, where=where
            )
        )
    return lines
