"""
The two state vocabularies: pipeline stages and run states.
"""

from __future__ import annotations

import enum

__all__ = ["TERMINAL_RUN_STATES", "RunState", "Stage"]


class Stage(enum.Enum):
    """
    Where the pipeline as a whole stands.

    The happy path is PLANNED → IMPLEMENTED → REVIEWED → SANITY_OK → DEPLOYED → COLLECTED;
    AWAITING_APPROVAL is the ``auto_deploy = false`` checkpoint, SANITY_FAILED and RESCUE handle a
    failing sanity milestone, and BLOCKED waits for a person.
    """

    PLANNED = "PLANNED"
    IMPLEMENTED = "IMPLEMENTED"
    REVIEWED = "REVIEWED"
    AWAITING_APPROVAL = "AWAITING_APPROVAL"
    SANITY_OK = "SANITY_OK"
    SANITY_FAILED = "SANITY_FAILED"
    RESCUE = "RESCUE"
    DEPLOYED = "DEPLOYED"
    COLLECTED = "COLLECTED"
    BLOCKED = "BLOCKED"


class RunState(enum.Enum):
    """
    Where one run stands.
    """

    PENDING = "pending"
    SUBMITTED = "submitted"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED_OOM = "failed_oom"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    LOST = "lost"
    CANCELLED = "cancelled"
    STUCK = "stuck"


#: States in which a run needs nothing more from the scheduler unless a person retries it.
TERMINAL_RUN_STATES = frozenset(
    {
        RunState.SUCCEEDED,
        RunState.FAILED,
        RunState.TIMED_OUT,
        RunState.LOST,
        RunState.CANCELLED,
        RunState.STUCK,
    }
)
