"""
The environment a benchmark runs bridge under: as a user's installed copy runs, with its
modules' bytecode cached.

``pip install`` compiles every module to bytecode, so an installed ``bridge`` never parses its
own source at start-up. A checkout run with ``PYTHONDONTWRITEBYTECODE=1`` (set in some
development containers) has no ``__pycache__`` and compiles all of bridge's ~170 modules on
every start: about 0.35 s of CPU that no user pays, and that was counted as start-up before.
:func:`child_env` drops that variable and caches the bytecode under ``.bench/pycache`` (ignored
by git), so the checkout stays clean; :func:`warm` starts bridge once so the cache is there
before anything is timed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["child_env", "warm"]


def child_env(repo: Path, **extra: str) -> dict[str, str]:
    """``os.environ`` with ``PYTHONPATH`` on ``repo`` and bytecode cached under ``repo/.bench``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(repo)
    env["PYTHONPYCACHEPREFIX"] = str(repo / ".bench" / "pycache")
    env.update(extra)
    return env


def warm(env: dict[str, str]) -> None:
    """Import every bridge module once (and what they import), so their bytecode is cached."""
    code = (
        "import pkgutil, importlib, bridge\n"
        "for m in pkgutil.walk_packages(bridge.__path__, 'bridge.'):\n"
        "    if m.name.endswith('__main__'):\n        continue\n"
        "    try:\n        importlib.import_module(m.name)\n"
        "    except ImportError:\n        pass\n"  # an optional extra not installed
    )
    for argv in ([sys.executable, "-c", code], [sys.executable, "-m", "bridge", "--help"]):
        subprocess.run(argv, env=env, check=True, capture_output=True)
