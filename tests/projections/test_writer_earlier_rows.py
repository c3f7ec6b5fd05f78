"""
The rows bridge wrote in the researcher's tracker before its last write, kept beside that
write's note: what tells a Status bridge wrote there (TODO for a queued retry) saved back by an
editor from the researcher's word.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from bridge.events.store import InMemoryEventStore
from bridge.machine.fold import PipelineState, fold
from bridge.projections.writer import EARLIER_ROWS, Projection, ProjectionWriter

PATH = "refine-logs/EXPERIMENT_TRACKER.md"
HEAD = "| Run ID | Status | Notes |\n|---|---|---|\n"


def _writes(root: Path, texts: list[str]) -> ProjectionWriter:
    """A writer of one researcher's file that wrote each of ``texts`` in turn, each logged."""
    text = [""]
    tracker = Projection(
        path=PATH,
        description="the researcher's tracker",
        render=lambda _state, _language: text[0],
        researchers_file=True,
    )
    writer = ProjectionWriter(root, [tracker])
    state: PipelineState = fold(InMemoryEventStore().read())
    for each in texts:
        text[0] = each
        written = writer.refresh(state)
        state = attrs.evolve(state, outputs=(*state.outputs, *written))
    return writer


def test_a_row_bridge_wrote_before_is_told_from_the_researchers(tmp_path: Path) -> None:
    queued = "| R1 | TODO | seed 0; bridge: attempt 1 on local; exit 1; retry 1 of 1 |"
    running = "| R1 | RUNNING | seed 0; bridge: attempt 2 on local |"
    done = "| R1 | DONE | seed 0; bridge: attempt 2 on local; exit 0 |"
    texts = [HEAD + f"{row}\n| R2 | TODO | seed 1 |\n" for row in (queued, running, done)]
    writer = _writes(tmp_path, texts)
    assert writer.wrote_row_before(PATH)(queued)
    assert writer.wrote_row_before(PATH)(f"  {running}  ")
    # The row as bridge wrote it last, and the researcher's TODO on it, are not earlier rows.
    assert not writer.wrote_row_before(PATH)(done)
    assert not writer.wrote_row_before(PATH)(done.replace("| DONE |", "| TODO |"))
    # A row bridge wrote the same each time has no earlier row.
    assert not writer.wrote_row_before(PATH)("| R2 | TODO | seed 1 |")


def test_each_row_keeps_its_last_earlier_rows_and_a_row_gone_none(tmp_path: Path) -> None:
    rows = [f"| R1 | RUNNING | bridge: attempt {n} |" for n in range(EARLIER_ROWS + 3)]
    writer = _writes(tmp_path, [HEAD + f"{row}\n| R2 | TODO | |\n" for row in rows])
    kept = [row for row in rows[:-1] if writer.wrote_row_before(PATH)(row)]
    assert kept == rows[-1 - EARLIER_ROWS : -1]
    # A row no longer written keeps nothing (its run is gone from the tracker).
    texts = [HEAD + "| R2 | TODO | |\n", HEAD + "| R2 | DONE | |\n", HEAD]
    writer = _writes(tmp_path / "gone", texts)
    assert not writer.wrote_row_before(PATH)("| R2 | TODO | |")
