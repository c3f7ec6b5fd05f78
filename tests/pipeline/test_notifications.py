"""
Which notifications the pipeline sends: a notifier that says what it wants (``wants``) gets only
those kinds; one that does not gets every kind.
"""

from __future__ import annotations

from pathlib import Path

from bridge import Bridge, Stage
from bridge.events.store import InMemoryEventStore
from bridge.machine.ports import Notifier, SelectiveNotifier
from bridge.testing import FakeBackend
from tests.pipeline.test_ablations import _outcome
from tests.pipeline.test_paid import _project


class Recording:
    """A notifier that keeps the titles it was sent."""

    def __init__(self) -> None:
        self.titles: list[str] = []

    def notify(self, title: str, text: str) -> None:
        self.titles.append(title)


class FinishedOnly(Recording):
    """A notifier that wants only the end of the runs."""

    def wants(self, event: str) -> bool:
        return event == "finished"


def _run(tmp_path: Path, notifier: Notifier) -> None:
    bridge = Bridge(
        _project(tmp_path), store=InMemoryEventStore(), backend=FakeBackend(_outcome),
        notifier=notifier,
    )  # fmt: skip
    assert bridge.run() is Stage.COLLECTED
    bridge.close()


class TestNotificationKinds:
    def test_a_notifier_with_wants_gets_only_what_it_wants(self, tmp_path: Path) -> None:
        """Sanity passing is not sent to a notifier that wants only "finished"; the end is."""
        everything, finished = Recording(), FinishedOnly()
        assert isinstance(finished, SelectiveNotifier)
        assert not isinstance(everything, SelectiveNotifier)
        _run(tmp_path / "a", everything)
        _run(tmp_path / "b", finished)
        assert "bridge: sanity passed" in everything.titles
        assert "bridge: runs finished" in everything.titles
        assert finished.titles == ["bridge: runs finished"]
