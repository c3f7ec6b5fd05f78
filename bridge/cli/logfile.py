"""
The command line's structured log: JSON lines in ``<project>/.bridge/bridge.log``.

The library only ever asks :mod:`bridge.logs` for loggers; where they write is the embedding
program's choice, and this module is the command line's. :func:`configure` is called once a
command knows its project: it routes bridge's loggers straight to the file (structlog is not
imported for that: it costs about 40 ms of every command's start-up), and configures structlog
to write the same lines only if a library that logs through it is loaded (stamina's retries).
:func:`reset` undoes it, so calling ``main()`` in-process (tests, embedding) leaves nothing
behind.

Each line is what structlog's ``add_log_level``, ``TimeStamper(fmt="iso", utc=True)`` and
``JSONRenderer(sort_keys=True)`` make of an event: its values, ``event``, ``level`` and
``timestamp`` (ISO 8601, UTC, ``Z``), keys sorted, a value JSON cannot hold written as its
``repr``; credentials redacted.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bridge.events.secrets import redact

__all__ = ["configure", "reset"]

_OPEN: list[TextIO] = []
_STRUCTLOG: list[bool] = []  # True once configure_structlog() did: reset() undoes it


def _default(value: object) -> object:
    # structlog's JSONRenderer falls back the same way, so the lines read as they always did.
    method = getattr(value, "__structlog__", None)
    return method() if callable(method) else repr(value)


class _FileSink:
    """Writes each event as one JSON line to the log file, and to stderr when ``verbose``."""

    def __init__(self, handle: TextIO, *, verbose: bool) -> None:
        self.handle = handle
        self.verbose = verbose

    def line(self, message: str) -> None:
        message = redact(message)  # bridge's credentials never reach a log line
        self.handle.write(message + "\n")
        self.handle.flush()
        if self.verbose:
            sys.stderr.write(message + "\n")

    def write(self, level: str, event: str, values: Mapping[str, object]) -> None:
        record = dict(values)
        record["event"] = event
        record["level"] = level
        record["timestamp"] = datetime.now(tz=UTC).isoformat().replace("+00:00", "Z")
        self.line(json.dumps(record, sort_keys=True, default=_default))

    def configure_structlog(self) -> None:
        if _STRUCTLOG:
            return
        import structlog

        sink = self

        class _Tee:
            def msg(self, message: str) -> None:
                sink.line(message)

            log = debug = info = warning = warn = error = critical = exception = msg

        structlog.configure(
            processors=[
                structlog.processors.add_log_level,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
                structlog.processors.JSONRenderer(sort_keys=True),
            ],
            logger_factory=lambda *_: _Tee(),
            cache_logger_on_first_use=False,
        )
        _STRUCTLOG.append(True)


def configure(project: Path, *, verbose: bool) -> None:
    """
    Send bridge's log events to ``project/.bridge/bridge.log``; ``verbose`` mirrors them on
    stderr.
    """
    (project / ".bridge").mkdir(parents=True, exist_ok=True)
    handle = (project / ".bridge" / "bridge.log").open("a", encoding="utf-8")
    _OPEN.append(handle)
    from bridge import logs  # here: `bridge --help` and parse errors never load attrs

    logs.route(_FileSink(handle, verbose=verbose))


def reset() -> None:
    """
    Close the log files :func:`configure` opened, unroute bridge's loggers and return structlog
    to unconfigured if it was configured here.
    """
    if not _OPEN:
        return  # never configured
    from bridge import logs

    logs.route(None)
    while _OPEN:
        _OPEN.pop().close()
    if _STRUCTLOG:
        _STRUCTLOG.clear()
        import structlog

        structlog.reset_defaults()
