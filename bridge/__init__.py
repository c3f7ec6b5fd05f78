"""
bridge: carry an ARIS experiment plan to finished, audited results.

The public face is deliberately small; everything else lives in subpackages::

    import bridge
    bridge.Bridge("path/to/project").run()

Names are loaded on first use (PEP 562): ``import bridge`` or ``import bridge.plan`` costs only
what they use, and the pipeline, its adapters, rich, httpx and SQLite load when ``Bridge`` is
first touched. ``tests/test_imports.py`` holds the line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bridge.errors import (
    BackendError,
    BackendUnavailable,
    BridgeError,
    ConcurrencyError,
    ConfigError,
    InputError,
    IntegrityError,
    PlanError,
    TransitionError,
)
from bridge.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from bridge.machine.stages import RunState, Stage
    from bridge.pipeline import Bridge, Step
    from bridge.plan import Plan, load_plan

__all__ = [
    "BackendError",
    "BackendUnavailable",
    "Bridge",
    "BridgeError",
    "ConcurrencyError",
    "ConfigError",
    "InputError",
    "IntegrityError",
    "Plan",
    "PlanError",
    "RunState",
    "Stage",
    "Step",
    "TransitionError",
    "load_plan",
]

# Public name -> the module that defines it; imported on first attribute access.
_LAZY = {
    "Bridge": "bridge.pipeline",
    "Step": "bridge.pipeline",
    "Plan": "bridge.plan",
    "load_plan": "bridge.plan",
    "RunState": "bridge.machine.stages",
    "Stage": "bridge.machine.stages",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
