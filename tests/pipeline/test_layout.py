"""
``ProjectLayout`` names each attempt's paths once, relative to the project root, and the
``AttemptPlace`` that carries them to the backends refuses anything that could leave a root.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.machine.ports import AttemptPlace
from bridge.pipeline.layout import ProjectLayout


class TestAttemptPaths:
    def test_the_layout_names_both_paths_relative_to_the_project(self, tmp_path: Path) -> None:
        """An attempt's directory is .bridge/runs/<run>/<attempt> and its in-project scratch
        .bridge/scratch/<run>/<attempt>, both relative (so they join any root), and
        attempt_dir is the first under this project."""
        place = ProjectLayout.place("R001", "R001-a2")
        assert (place.run_id, place.attempt_id) == ("R001", "R001-a2")
        assert place.path == ".bridge/runs/R001/R001-a2"
        assert place.scratch_path == ".bridge/scratch/R001/R001-a2"
        layout = ProjectLayout(tmp_path)
        assert layout.attempt_dir("R001", "R001-a2") == tmp_path / place.path

    @pytest.mark.parametrize(
        ("run_id", "attempt_id"),
        [("../up", "A1"), ("R001", "a/b"), ("R001", ""), (".", "A1"), ("r;touch x", "A1")],
    )
    def test_unsafe_ids_cannot_be_placed(self, run_id: str, attempt_id: str) -> None:
        """Ids that could escape the attempt directory (or carry shell syntax) are refused
        before any backend sees them."""
        with pytest.raises(ValueError, match="cannot name a directory"):
            ProjectLayout.place(run_id, attempt_id)

    @pytest.mark.parametrize(
        "path",
        ["", "/abs/R1/A1", "a/../b", "../a", "./a", "a//b", "a/b/", "a/./b", "a\nb", "a\x00b"],
    )
    def test_paths_that_could_leave_a_root_are_refused(self, path: str) -> None:
        """A path that is absolute, not normalised, holds '..' or a control character is
        refused: joined to a backend's root, a place's path always stays inside it."""
        with pytest.raises(ValueError, match="normalised relative POSIX path"):
            AttemptPlace(run_id="R1", attempt_id="A1", path=path, scratch_path="s/R1/A1")
        with pytest.raises(ValueError, match="normalised relative POSIX path"):
            AttemptPlace(run_id="R1", attempt_id="A1", path="r/R1/A1", scratch_path=path)
