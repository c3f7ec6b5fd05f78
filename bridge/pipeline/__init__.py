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

from typing import TYPE_CHECKING

from bridge.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from bridge.pipeline.bridge import Bridge
    from bridge.pipeline.session import Step

__all__ = ["Bridge", "Step"]

_LAZY = {"Bridge": "bridge.pipeline.bridge", "Step": "bridge.pipeline.session"}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
