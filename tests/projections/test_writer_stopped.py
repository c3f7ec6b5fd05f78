"""
ProjectionWriter after a stop between writing a projection and logging it: the file it left is
bridge's own, whatever the next run renders there.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from bridge.events.store import InMemoryEventStore
from bridge.machine.fold import PipelineState, fold
from bridge.projections.writer import Projection, ProjectionWriter


def _writer(root: Path, text: list[str]) -> ProjectionWriter:
    """A writer of one projection whose text is ``text[0]`` at each render."""
    page = Projection(
        path="refine-logs/page.md", description="a page", render=lambda _state, _language: text[0]
    )
    return ProjectionWriter(root, [page])


def _logged(state: PipelineState, written: list[object]) -> PipelineState:
    """``state`` with the writes logged, as the session records them."""
    return attrs.evolve(state, outputs=(*state.outputs, *written))


class TestStoppedBeforeLogging:
    def test_a_write_never_logged_is_not_an_edit_when_the_next_render_differs(
        self, tmp_path: Path
    ) -> None:
        """
        Run 1 writes page.md and stops before logging it; run 2 has logged more since, so it
        renders page.md differently: it overwrites the file without keeping it as an edit.
        """
        state = fold(InMemoryEventStore().read())
        text = ["first\n"]
        _writer(tmp_path, text).refresh(state)  # written, then the process stopped: not logged
        assert (tmp_path / "refine-logs" / "page.md").read_text() == "first\n"
        text[0] = "second, with what was logged since\n"
        written = _writer(tmp_path, text).refresh(state)
        assert [w.path for w in written] == ["refine-logs/page.md"]
        assert (tmp_path / "refine-logs" / "page.md").read_text() == text[0]
        assert not list(tmp_path.rglob("*.edited.*")) and not list(tmp_path.rglob("*.before-*"))

    def test_a_researchers_edit_is_still_kept(self, tmp_path: Path) -> None:
        """The file bridge logged, then edited by hand: kept as page.edited.md before rewriting."""
        state = fold(InMemoryEventStore().read())
        text = ["first\n"]
        state = _logged(state, list(_writer(tmp_path, text).refresh(state)))
        (tmp_path / "refine-logs" / "page.md").write_text("my notes\n")
        text[0] = "second\n"
        _writer(tmp_path, text).refresh(state)
        assert (tmp_path / "refine-logs" / "page.edited.md").read_text() == "my notes\n"
