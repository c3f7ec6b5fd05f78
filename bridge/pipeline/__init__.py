"""
The application layer: what happens when, nothing about how.

``Bridge`` (in :mod:`bridge.pipeline.bridge`) is the public pipeline API; ``Session`` holds one
project's log, fold and ports; :mod:`~bridge.pipeline.bootstrap` is the only place that builds
adapters from ``bridge.toml``; ``steps/`` holds one module per stage; ``dispatch`` carries the
scheduler's decisions out; ``recording`` turns inputs into events; ``audit`` reads the log back.

``Bridge`` and ``Step`` load on first use, so the command line can import a light module from
here (``bridge.pipeline.root``) without the whole application.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bridge.pipeline.bridge import Bridge
    from bridge.pipeline.session import Step

__all__ = ["Bridge", "Step"]

_LAZY = {"Bridge": "bridge.pipeline.bridge", "Step": "bridge.pipeline.session"}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'bridge.pipeline' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
