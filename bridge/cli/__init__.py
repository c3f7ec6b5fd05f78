"""
The ``bridge`` command: the parser (:mod:`bridge.cli.parser`), one handler per command
(:data:`bridge.cli.handlers.HANDLERS`: the pipeline's commands there, the log's in
:mod:`bridge.cli.log_commands`, ``gc`` in :mod:`bridge.cli.gc_command`, what they start from
in :mod:`bridge.cli.project`), the one place output is rendered (:mod:`bridge.cli.console`), the
live view (:mod:`bridge.cli.watch`) and the command's log file (:mod:`bridge.cli.logfile`).
``bridge.cli:main`` is the console script's entry point.

Ctrl-C or SIGTERM while the command is still importing ends it with one line and exit
128 + N, never an import traceback: the handler below is set before anything heavy is imported,
and :func:`main` replaces it with its own once it runs.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType


def _stopped_while_starting(signum: int, frame: FrameType | None) -> None:
    sys.stderr.write(f"bridge: stopped by {signal.Signals(signum).name} while starting\n")
    raise SystemExit(128 + signum)


if threading.current_thread() is threading.main_thread():
    for _signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(_signum) in (signal.SIG_DFL, signal.default_int_handler):
            signal.signal(_signum, _stopped_while_starting)

from bridge.cli.main import main  # noqa: E402 - after the handler, so the import is covered

__all__ = ["main"]
