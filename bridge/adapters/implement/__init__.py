"""
Implementers: make sure every run has code that can start.

``ExistingCode`` (the default: check the code that is there) and ``AgentCLI`` (a coding-agent
command writes or fixes it). Both clone ``base_repo`` first when one is set, and both run the
self-review checks of :mod:`bridge.adapters.implement.checks`. ``build_implementer`` turns the
``[implementer]`` table into one of them.
"""

from __future__ import annotations

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
