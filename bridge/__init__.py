"""
bridge: carry an ARIS experiment plan to finished, audited results.

The public face is deliberately small; everything else lives in subpackages::

    import bridge
    bridge.Bridge("path/to/project").run()
"""

from __future__ import annotations

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
