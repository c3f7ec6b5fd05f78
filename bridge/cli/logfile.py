"""
The command line's structured log: JSON lines in ``<project>/.bridge/bridge.log``.

The library only ever asks structlog for loggers; configuring where they write is the embedding
program's choice, and this module is the command line's. :func:`configure` is called once a
command knows its project; :func:`reset` undoes it, so calling ``main()`` in-process (tests,
embedding) leaves nothing behind.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

__all__ = ["configure", "reset"]

_OPEN: list[TextIO] = []


def configure(project: Path, *, verbose: bool) -> None:
    """
    Send structlog's events to ``project/.bridge/bridge.log``; ``verbose`` mirrors them on stderr.
    """
    import structlog  # here, not at the top: a command that logs nothing never loads it

    from bridge.events.secrets import redact

    (project / ".bridge").mkdir(parents=True, exist_ok=True)
    handle = (project / ".bridge" / "bridge.log").open("a", encoding="utf-8")
    _OPEN.append(handle)

    class _Tee:
        def msg(self, message: str) -> None:
            message = redact(message)  # bridge's credentials never reach a log line
            handle.write(message + "\n")
            handle.flush()
            if verbose:
                sys.stderr.write(message + "\n")

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


def reset() -> None:
    """
    Close the log files :func:`configure` opened and return structlog to unconfigured.
    """
    if not _OPEN:
        return  # never configured (and structlog perhaps never imported)
    import structlog

    while _OPEN:
        _OPEN.pop().close()
    structlog.reset_defaults()
