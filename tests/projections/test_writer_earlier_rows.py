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
from bridge.plan.plan_section import GENERATED_MARK
from bridge.projections.writer import EARLIER_ROWS, Projection, ProjectionWriter, _theirs_only
from tests.conftest import needs_shared
from tests.plan.corpus import as_project
from tests.recorded_runs import finished_run, planned

PATH = "refine-logs/EXPERIMENT_TRACKER.md"
HEAD = "| Run ID | Status | Notes |\n|---|---|---|\n"


def _writes(root: Path, texts: list[str], state: PipelineState | None = None) -> ProjectionWriter:
    """A writer of one researcher's file that wrote each of ``texts`` in turn, each logged, from
    ``state`` (an empty log's by default)."""
    text = [""]
    tracker = Projection(
        path=PATH,
        description="the researcher's tracker",
        render=lambda _state, _language: text[0],
        researchers_file=True,
    )
    writer = ProjectionWriter(root, [tracker])
    state = fold(InMemoryEventStore().read()) if state is None else state
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


@needs_shared
def test_rows_bridge_ran_are_placed_by_run_id_not_by_a_label_in_the_row(tmp_path: Path) -> None:
    """Which rows of a write bridge ran is told by the runs it had launched by then (its stamp's
    seq) and the row placed by its run id, as the tracker reader places it: 030's run table has
    no Notes column, so bridge's TODO on E1 (a queued retry) read back in the file bridge read
    was no earlier row of bridge's (a whole-row search for its label found none), nor was it
    where the label opens the Notes cell; and a row whose run bridge never launched is the
    researcher's, bridge's label on it or not."""
    store = planned(as_project("030", tmp_path / "project"))
    store.append("run:E1", finished_run("E1", {"completion_rate": 0.9}), None)
    state = fold(store.read())
    stamp = f"\n{GENERATED_MARK}\n\n_(seq 9999, 2026-12-07 10:00:00 UTC)_\n"
    head = "| ID | Block | Run | Status | Result | Notes |\n|----|----|----|----|----|----|\n"
    e1 = "| E1 | Personalization | Separate memories | {} | {} |{}|"
    queued, done = e1.format("TODO", "", ""), e1.format("DONE", "completion_rate = 0.9", "")
    labelled = e1.format("TODO", "", " bridge: retry asked by a person ")
    held = "| E2 | Personalization | Leakage probe | TODO | | held; bridge: waiting for R017 |"
    moved_on = held.replace("R017", "R018")
    for n, (first, then) in enumerate(((queued, done), (labelled, done))):
        read = head + f"{first}\n{held}\n"
        # The file as bridge last read it holds its own rows (an edit elsewhere was read).
        seen = attrs.evolve(state, plan=attrs.evolve(state.plan, tracker_text=read))
        texts = [read + stamp, head + f"{then}\n{moved_on}\n" + stamp]
        writer = _writes(tmp_path / str(n), texts, seen)
        assert writer.wrote_row_before(PATH)(first)
        assert not writer.wrote_row_before(PATH)(held)
    assert _theirs_only(labelled, 5) == e1.format("TODO", "", "  ")
    # Bridge's label is found in the Notes cell only: a Result cell quoting it is theirs.
    quoting = "| E1 | x | y | DONE | as E2; bridge: attempt 1 | mine; bridge: exit 0 |"
    assert _theirs_only(quoting, 5) == "| E1 | x | y | DONE | as E2; bridge: attempt 1 | mine |"
