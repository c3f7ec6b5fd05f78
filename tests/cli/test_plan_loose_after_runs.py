"""
`bridge plan`'s count of runs attributed to no block, read again after a run wrote the tracker
back: it counts what the results' "Runs not attributed to a block" lists.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from bridge.cli.plan_view import render_blocks
from bridge.plan import load_project
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

# R013 and R014 as the first `bridge run` of trial t5 wrote them back after R006 crashed:
# bridge's CANCELLED and its labelled note.
_CANCELLED = (
    "CANCELLED | {hours} | {notes}; bridge: seed 42; not run: milestone M3 must-run R006 "
    "ended failed |"
)


@needs_shared
def test_the_plans_loose_runs_are_the_results_ones(tmp_path: Path) -> None:
    """001 (trial t5): after the runs `bridge plan` said "runs not attributed to a block: 1 of
    14" (R001, the sanity run) while the results listed R013 and R014: the plan took bridge's
    own CANCELLED for the researcher's skip, and counted the sanity run the results report
    under its milestone. Both now name R013 and R014."""
    root = as_project("001", tmp_path)
    tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    for hours, notes in (("~6h", "Only if margins tight"), ("~0.5h", "If DepthBasis is trained")):
        text = text.replace(
            f"TODO | {hours} | {notes} |", _CANCELLED.format(hours=hours, notes=notes)
        )
    tracker.write_text(text, encoding="utf-8")
    console = Console(width=400, record=True)
    console.print(render_blocks(load_project(root)))
    out = console.export_text()
    assert "runs not attributed to a block: 2 of 14\n" in out, out
    listed = [
        line.split()[0] for line in out.split("runs not attributed to a block")[1].splitlines()[1:3]
    ]
    assert listed == ["R013", "R014"], out
    assert "  R001 (" not in out
