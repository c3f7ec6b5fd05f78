"""
``ProjectLayout``: every path bridge owns inside a project, in one place.

Everything bridge writes for itself lives under ``<project>/.bridge/``: the event log, the
project lock, the structured log, the list of projections being written, and one directory per
attempt (``runs/<run>/<attempt>/``) that holds what the backend copied back (``output/``,
``stdout.log``, ``stderr.log``, ``exit_code``). The researcher's files (plan, tracker, results,
``MANIFEST.md``) are the projections' business and are not named here.
"""

from __future__ import annotations

from pathlib import Path

import attrs

__all__ = ["ProjectLayout"]


@attrs.frozen
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

    @property
    def runs_dir(self) -> Path:
        """``.bridge/runs/``: one folder per run, one per attempt inside it."""
        return self.state_dir / "runs"

    def attempt_dir(self, run_id: str, attempt_id: str) -> Path:
        """
        ``.bridge/runs/<run_id>/<attempt_id>/``: what the attempt handed back. ``run_id`` is the
        run's directory name (``RunView.directory``: the id, or the safe name derived from an
        id that cannot name a directory).
        """
        return self.runs_dir / run_id / attempt_id
