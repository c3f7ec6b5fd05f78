"""
The ``bridge`` command: the parser (:mod:`bridge.cli.parser`), one handler per command
(:mod:`bridge.cli.handlers`), the one place output is rendered (:mod:`bridge.cli.console`), the
live view (:mod:`bridge.cli.watch`) and the command's log file (:mod:`bridge.cli.logfile`).
``bridge.cli:main`` is the console script's entry point.
"""

from __future__ import annotations

from bridge.cli.main import main

__all__ = ["main"]
