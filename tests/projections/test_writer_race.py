"""
A save of the researcher's tracker that lands between the writer's checks and its rewrite of the
file (the instant a flaky test once hit): it is put back, not overwritten without a copy.
"""

from __future__ import annotations

import sys
from pathlib import Path

import attrs
import pytest

from bridge.events.store import InMemoryEventStore
from bridge.machine.fold import PipelineState, fold
from bridge.projections.writer import (
    WRITTEN_DIR,
    BeforeReplace,
    Projection,
    ProjectionWriter,
    exchange,
)

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="renameat2 is Linux's; elsewhere a plain rename"
)

PATH = "refine-logs/EXPERIMENT_TRACKER.md"


def _writer(root: Path, text: list[str], before: BeforeReplace | None = None) -> ProjectionWriter:
    """A writer of one researcher's file whose text is ``text[0]`` at each render."""
    tracker = Projection(
        path=PATH,
        description="the researcher's tracker",
        render=lambda _state, _language: text[0],
        researchers_file=True,
    )
    return ProjectionWriter(root, [tracker], before_replace=before)


def _logged(state: PipelineState, written: list[object]) -> PipelineState:
    """``state`` with the writes logged, as the session records them."""
    return attrs.evolve(state, outputs=(*state.outputs, *written))


class _Save:
    """The researcher's editor saving the tracker in the instant bridge replaces it."""

    def __init__(self, *saves: str) -> None:
        self.saves = list(saves)

    def __call__(self, path: Path) -> None:
        if self.saves:
            path.write_text(self.saves.pop(0))


def test_exchange_swaps_two_files(tmp_path: Path) -> None:
    """Where the file system does it (tmpfs, ext4 …), each path names the other's file."""
    first, second = tmp_path / "a", tmp_path / "b"
    first.write_text("a\n")
    second.write_text("b\n")
    if not exchange(first, second):
        pytest.skip("this file system refuses RENAME_EXCHANGE: the writer renames")
    assert (first.read_text(), second.read_text()) == ("b\n", "a\n")


def test_a_save_landing_as_bridge_rewrites_the_tracker_is_put_back(tmp_path: Path) -> None:
    """
    Bridge checked the tracker (its own last write), then the researcher saved their edit,
    then bridge's new version took the path: their edit was gone, with no copy. It is put
    back, bridge's version is not recorded as written, and the next refresh leaves it for the
    edit to be read.
    """
    if not _exchanges(tmp_path):
        pytest.skip("this file system refuses RENAME_EXCHANGE: the writer renames")
    state = fold(InMemoryEventStore().read())
    text = ["| R1 | TODO |\n"]
    state = _logged(state, list(_writer(tmp_path, text).refresh(state)))
    text[0] = "| R1 | RUNNING |\n"
    edit = "| R1 | SKIPPED |\n"
    written = _writer(tmp_path, text, _Save(edit)).refresh(state)
    tracker = tmp_path / PATH
    assert tracker.read_text() == edit
    assert [w.path for w in written] == []
    assert (tmp_path / WRITTEN_DIR / PATH).read_text() == "| R1 | TODO |\n"
    assert not [p for p in tracker.parent.iterdir() if p.name.startswith(".")]
    # Not read yet (the session reads it at its next idle turn): left as they saved it.
    assert _writer(tmp_path, text).refresh(state) == []
    assert tracker.read_text() == edit


def test_no_save_in_that_instant_writes_as_before(tmp_path: Path) -> None:
    """The exchange that finds bridge's own last write writes, and records, the new version."""
    if not _exchanges(tmp_path):
        pytest.skip("this file system refuses RENAME_EXCHANGE: the writer renames")
    state = fold(InMemoryEventStore().read())
    text = ["| R1 | TODO |\n"]
    state = _logged(state, list(_writer(tmp_path, text).refresh(state)))
    text[0] = "| R1 | RUNNING |\n"
    written = _writer(tmp_path, text, _Save()).refresh(state)
    assert [w.path for w in written] == [PATH]
    assert (tmp_path / PATH).read_text() == text[0]
    assert (tmp_path / WRITTEN_DIR / PATH).read_text() == text[0]
    assert not list(tmp_path.rglob("*.edited*"))


def _exchanges(root: Path) -> bool:
    """Whether the file system under ``root`` swaps two files."""
    first, second = root / ".probe-a", root / ".probe-b"
    first.write_text("a")
    second.write_text("b")
    try:
        return exchange(first, second)
    finally:
        first.unlink()
        second.unlink()
