"""
ProjectionWriter after a stop between writing a projection and logging it: the file it left is
bridge's own, whatever the next run renders there, and however many runs stopped after it.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from bridge.events.store import InMemoryEventStore
from bridge.machine.fold import PipelineState, fold
from bridge.projections.writer import PENDING_PATH, Projection, ProjectionWriter, sha256_text


def _writer(root: Path, text: list[str]) -> ProjectionWriter:
    """A writer of one projection whose text is ``text[0]`` at each render."""
    page = Projection(
        path="refine-logs/page.md", description="a page", render=lambda _state, _language: text[0]
    )
    return ProjectionWriter(root, [page])


def _stopped_after_the_note(root: Path, text: list[str]) -> None:
    """
    A run that stops in the instant between rewriting the pending note and writing the page:
    the projection written first goes into a folder that is a file, so the refresh raises
    after the note (which names both) and before any projection file is written.
    """
    (root / "blocked").write_text("a file where a folder is needed\n")
    blocked = Projection(
        path="blocked/first.md", description="first", render=lambda _state, _language: "x\n"
    )
    page = _writer(root, text).projections[0]
    with pytest.raises(NotADirectoryError):
        ProjectionWriter(root, [blocked, page]).refresh(fold(InMemoryEventStore().read()))
    (root / "blocked").unlink()


def _note(root: Path) -> dict[str, list[str]]:
    data: dict[str, list[str]] = json.loads((root / PENDING_PATH).read_text())
    return data


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


class TestStoppedTwice:
    """
    Run 0 writes page.md and logs it; run 1 writes it and stops before logging; run 2 notes
    its own version and stops before writing it. Run 3 finds run 1's file under run 2's note.
    """

    def _two_stops(self, root: Path, text: list[str]) -> PipelineState:
        state = fold(InMemoryEventStore().read())
        text[0] = "zero\n"
        state = _logged(state, list(_writer(root, text).refresh(state)))
        text[0] = "first\n"
        _writer(root, text).refresh(state)  # written, then the process stopped: not logged
        text[0] = "second\n"
        _stopped_after_the_note(root, text)
        assert (root / "refine-logs" / "page.md").read_text() == "first\n"
        return state

    def test_the_file_a_stopped_run_wrote_is_not_an_edit_after_a_second_stop(
        self, tmp_path: Path
    ) -> None:
        """Run 1's file is bridge's own: run 3 overwrites it and keeps no copy."""
        text = [""]
        state = self._two_stops(tmp_path, text)
        text[0] = "third\n"
        written = _writer(tmp_path, text).refresh(state)
        assert [w.sha256 for w in written] == [sha256_text("third\n")]
        assert (tmp_path / "refine-logs" / "page.md").read_text() == "third\n"
        assert not list(tmp_path.rglob("*.edited*")) and not list(tmp_path.rglob("*.before-*"))

    def test_a_researchers_edit_after_two_stops_is_still_kept(self, tmp_path: Path) -> None:
        """An edit of the file the stops left is none of bridge's writes: it is kept."""
        text = [""]
        state = self._two_stops(tmp_path, text)
        (tmp_path / "refine-logs" / "page.md").write_text("my notes\n")
        text[0] = "third\n"
        _writer(tmp_path, text).refresh(state)
        assert (tmp_path / "refine-logs" / "page.edited.md").read_text() == "my notes\n"
        assert (tmp_path / "refine-logs" / "page.md").read_text() == "third\n"

    def test_a_paths_hashes_are_dropped_once_one_of_them_is_logged(self, tmp_path: Path) -> None:
        """
        The note holds every unlogged version of the page until one is logged; the next note
        written holds only what came after, and bridge's older writes count as edits again.
        """
        text = [""]
        state = self._two_stops(tmp_path, text)
        page = "refine-logs/page.md"
        assert _note(tmp_path)[page] == [sha256_text("first\n"), sha256_text("second\n")]
        text[0] = "third\n"
        state = _logged(state, list(_writer(tmp_path, text).refresh(state)))
        assert not _writer(tmp_path, text).is_own_write(page, sha256_text("first\n"), state)
        text[0] = "fourth\n"
        _writer(tmp_path, text).refresh(state)  # written, then the process stopped: not logged
        assert _note(tmp_path)[page] == [sha256_text("fourth\n")]

    def test_a_note_written_by_an_earlier_bridge_is_read(self, tmp_path: Path) -> None:
        """A note with one hash per path (as bridge wrote it before) still names its file."""
        state = fold(InMemoryEventStore().read())
        text = ["first\n"]
        _writer(tmp_path, text).refresh(state)  # written, then the process stopped: not logged
        (tmp_path / PENDING_PATH).write_text(
            json.dumps({"refine-logs/page.md": sha256_text("first\n")})
        )
        assert _writer(tmp_path, text).is_own_write(
            "refine-logs/page.md", sha256_text("first\n"), state
        )
        text[0] = "second\n"
        _writer(tmp_path, text).refresh(state)
        assert not list(tmp_path.rglob("*.before-*"))
