"""
A project's event log found and opened: where it lives (:func:`db_path`), opening it with the
store's checks (:func:`open_store`), and refusing an empty log that replaced one bridge wrote
from (:func:`check_not_lost`). Apart from :mod:`bridge.pipeline.audit` (which exports them too)
so that ``bridge status`` opens its log without loading the auditing it does not do.
"""

from __future__ import annotations

from pathlib import Path

from bridge.errors import InputError, IntegrityError
from bridge.events.store import EventStore, SQLiteEventStore
from bridge.pipeline.layout import ProjectLayout

__all__ = ["check_not_lost", "db_path", "open_store"]


def db_path(project: Path) -> Path:
    """
    Where a project's event log lives.
    """
    return ProjectLayout(project).events_db


def open_store(project: Path, *, must_exist: bool = True, check: bool = True) -> SQLiteEventStore:
    """
    Open the project's event store.

    Args:
        project: the project root.
        must_exist: refuse a project without a log.
        check: make the store's checks on open (:meth:`SQLiteEventStore.problems`); only
            ``bridge verify``, which reports them, opens without.

    Raises:
        InputError: ``must_exist`` and the project has no log yet.
        IntegrityError: ``check`` and the log is damaged (the message says to run verify).
    """
    path = db_path(project)
    if must_exist and not path.exists():
        raise InputError(
            f"{project}: no bridge event log at {path} — "
            "`bridge run` or `bridge advance` starts one"
        )
    store = SQLiteEventStore(path, check=check)
    if check:
        try:
            check_not_lost(project, store)
        except IntegrityError:
            store.close()
            raise
    return store


def check_not_lost(project: Path, store: EventStore) -> None:
    """
    Refuse an empty log in a project whose ``MANIFEST.md`` lists files bridge wrote: the log
    they came from is gone (deleted, truncated to 0 bytes), and starting history again would
    rewrite the tracker and results from nothing.

    Raises:
        IntegrityError: the log is empty and the manifest has rows of bridge's.
    """
    if store.head() != 0:
        return
    from bridge.projections.manifest import PATH as MANIFEST_PATH  # only for an empty log

    try:
        text = (project / MANIFEST_PATH).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    if any(line.startswith("| ") and " | bridge | " in line for line in text.splitlines()):
        raise IntegrityError(
            f"{db_path(project)} is empty, but {MANIFEST_PATH} lists files bridge wrote from "
            "an earlier log: the log was lost or replaced; nothing was done — run `bridge "
            f"verify`, restore .bridge/ from a backup, or move {MANIFEST_PATH} away to start "
            "a new history"
        )
