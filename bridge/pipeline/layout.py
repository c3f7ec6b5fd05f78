"""
``ProjectLayout``: every path bridge owns inside a project, in one place.

Everything bridge writes for itself lives under ``<project>/.bridge/``: the event log, the
project lock, the structured log, the list of projections being written, and one directory per
attempt (``runs/<run>/<attempt>/``) that holds what the backend copied back (``output/``,
``stdout.log``, ``stderr.log``, ``exit_code``). The researcher's files (plan, tracker, results,
``MANIFEST.md``) are the projections' business and are not named here.

An attempt's paths are named once, relative to the project root (:meth:`ProjectLayout.place`),
so that one relative path serves every root that stands for the project: the local checkout,
an SSH host's ``remote_dir``, Slurm's shared directory. Backends receive them in the
:class:`~bridge.machine.ports.AttemptPlace` and only join them to their root.
"""

from __future__ import annotations

import functools
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import attrs

from bridge.value_methods import value_methods

if TYPE_CHECKING:
    from bridge.machine.backend_port import AttemptPlace

__all__ = ["ProjectLayout"]

_STATE = PurePosixPath(".bridge")


@value_methods
@attrs.frozen(eq=False, repr=False)
class ProjectLayout:
    """
    The paths under one project root.

    Args:
        root: the project root (absolute).
    """

    root: Path

    @property
    def state_dir(self) -> Path:
        """``.bridge/``: everything bridge keeps for itself."""
        return self.root / ".bridge"

    @property
    def events_db(self) -> Path:
        """``.bridge/events.db``: the event log."""
        return self.state_dir / "events.db"

    @property
    def lock(self) -> Path:
        """``.bridge/lock``: held by the one process that may advance the pipeline."""
        return self.state_dir / "lock"

    @property
    def log_file(self) -> Path:
        """``.bridge/bridge.log``: structured logs, one JSON object a line."""
        return self.state_dir / "bridge.log"

    @staticmethod
    def place(run_id: str, attempt_id: str) -> AttemptPlace:
        """
        The attempt's paths relative to the project root: its directory
        ``.bridge/runs/<run_id>/<attempt_id>`` and its in-project scratch directory
        ``.bridge/scratch/<run_id>/<attempt_id>``. ``run_id`` is the run's directory name
        (``RunView.directory``: the id, or the safe name derived from an id that cannot name a
        directory).

        The same value is handed back for the same ids (kept for the last
        :data:`_PLACES_KEPT` attempts): the dispatcher asks for an attempt's place at its
        launch, its spec, its collection and its scratch clean-up, and building one (the
        joins, the validation of both ids and paths) cost more than the rest of a poll.

        Raises:
            ValueError: an id that is not a safe id (``RunView.directory`` never is one).
        """
        return _place(run_id, attempt_id)

    def attempt_dir(self, run_id: str, attempt_id: str) -> Path:
        """
        ``.bridge/runs/<run_id>/<attempt_id>/`` in this project: what the attempt handed back
        (the local backend runs it there too).
        """
        return self.root / self.place(run_id, attempt_id).path


#: How many attempts' places :meth:`ProjectLayout.place` keeps: more than a command has live at
#: once (each is four short strings).
_PLACES_KEPT = 4096


@functools.lru_cache(maxsize=_PLACES_KEPT)
def _place(run_id: str, attempt_id: str) -> AttemptPlace:
    # Imported here: `bridge status` opens the log through ProjectLayout and places nothing.
    from bridge.machine.backend_port import AttemptPlace

    return AttemptPlace(
        run_id=run_id,
        attempt_id=attempt_id,
        path=f"{_STATE}/runs/{run_id}/{attempt_id}",
        scratch_path=f"{_STATE}/scratch/{run_id}/{attempt_id}",
    )
