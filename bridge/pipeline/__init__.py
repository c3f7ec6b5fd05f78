"""
The application layer: what happens when, nothing about how.

``Bridge`` (in :mod:`bridge.pipeline.bridge`) is the public pipeline API; ``Session`` holds one
project's log, fold and ports; :mod:`~bridge.pipeline.bootstrap` is the only place that builds
adapters from ``bridge.toml``; ``steps/`` holds one module per stage; ``dispatch`` carries the
scheduler's decisions out; ``recording`` turns inputs into events; ``audit`` reads the log back.
"""

from __future__ import annotations

from bridge.pipeline.bridge import Bridge
from bridge.pipeline.session import Step

__all__ = ["Bridge", "Step"]
