"""
Implementers: make sure every run has code that can start.

``ExistingCode`` (the default: check the code that is there) and ``AgentCLI`` (a coding-agent
command writes or fixes it). Both clone ``base_repo`` first when one is set, and both run the
self-review checks of :mod:`bridge.adapters.implement.checks`. ``build_implementer`` turns the
``[implementer]`` table into one of them.

Names load on first use (PEP 562): building the default ``ExistingCode`` does not load the
agent's prompt, snapshots and runner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bridge.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from bridge.adapters.implement.agent import AgentCLI
    from bridge.adapters.implement.base_repo import BaseRepo, clone_base_repo
    from bridge.adapters.implement.checks import check_commands
    from bridge.adapters.implement.config import ImplementerConfig, build_implementer
    from bridge.adapters.implement.existing import ExistingCode

__all__ = [
    "AgentCLI",
    "BaseRepo",
    "ExistingCode",
    "ImplementerConfig",
    "build_implementer",
    "check_commands",
    "clone_base_repo",
]

# Public name -> the module that defines it; imported on first attribute access.
_LAZY = {
    "AgentCLI": "bridge.adapters.implement.agent",
    "BaseRepo": "bridge.adapters.implement.base_repo",
    "ExistingCode": "bridge.adapters.implement.existing",
    "ImplementerConfig": "bridge.adapters.implement.config",
    "build_implementer": "bridge.adapters.implement.config",
    "check_commands": "bridge.adapters.implement.checks",
    "clone_base_repo": "bridge.adapters.implement.base_repo",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
