"""
bridge: carry an ARIS experiment plan to finished, audited results.

The public face is deliberately small; everything else lives in subpackages.
"""

from __future__ import annotations

from bridge.errors import BridgeError, ConfigError, PlanError

__all__ = ["BridgeError", "ConfigError", "PlanError"]
