"""
The ``bridge`` command: the parser and its thin handlers (:mod:`bridge.cli.commands`) and the
rich rendering of pipeline state (:mod:`bridge.cli.console`). ``bridge.cli:main`` is the console
script's entry point.
"""

from __future__ import annotations

from bridge.cli.commands import main

__all__ = ["main"]
