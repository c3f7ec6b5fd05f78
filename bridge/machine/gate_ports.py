"""
The ports to the people around a run: the gate that approves or stops a deployment, and the
notifiers that tell someone what happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import attrs

from bridge.value_methods import value_methods

__all__ = [
    "Gate",
    "GateDecision",
    "Notifier",
    "SelectiveNotifier",
]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class GateDecision:
    """
    A milestone gate's answer: proceed, or hold with a reason.
    """

    proceed: bool
    reason: str = ""


class Gate(Protocol):
    """
    Decides whether the next milestone may start once the current one finished.
    """

    def decide(self, milestone: str, summary: Mapping[str, str]) -> GateDecision:
        """
        Return whether the pipeline may start the milestone after ``milestone``.
        """
        ...


class Notifier(Protocol):
    """
    Tells people about milestones, failures and the end of a run. Must never raise.
    """

    def notify(self, title: str, text: str) -> None:
        """
        Send a notification; failures are logged, never raised.
        """
        ...


@runtime_checkable
class SelectiveNotifier(Notifier, Protocol):
    """
    A notifier that chooses which kinds of event it is told about (``[notify] events``).
    """

    def wants(self, event: str) -> bool:
        """
        Return whether notifications of kind ``event`` (``milestone``, ``failed``, ``blocked``,
        ...) should be sent.
        """
        ...
