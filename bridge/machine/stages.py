"""
The two state vocabularies: pipeline stages and run states.
"""

from __future__ import annotations

import enum

__all__ = [
    "COUNTED_RUN_STATES",
    "ENDED_UNSUCCESSFUL",
    "NOT_BRIDGES_RUN_STATES",
    "SETTLED_RUN_STATES",
    "TERMINAL_RUN_STATES",
    "RunState",
    "Stage",
]


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
    # From the researcher's tracker: done before bridge (never launched by it, its Notes the
    # evidence), or out of scope (cancelled, skipped, moot, blocked: not launched, not counted).
    DONE_BEFORE = "done_before_bridge"
    OUT_OF_SCOPE = "out_of_scope"

    # Members are compared by identity, so they may hash by identity too: Enum's own __hash__
    # is Python code hashing the name, and the fold hashes a state for every run event.
    __hash__ = object.__hash__


#: States in which a run needs nothing more from the scheduler unless a person retries it.
TERMINAL_RUN_STATES = frozenset(
    {
        RunState.SUCCEEDED,
        RunState.FAILED,
        RunState.TIMED_OUT,
        RunState.LOST,
        RunState.CANCELLED,
        RunState.STUCK,
        RunState.DONE_BEFORE,
        RunState.OUT_OF_SCOPE,
    }
)

#: States a run ends in without succeeding (cancelled ones are told apart by their reason).
ENDED_UNSUCCESSFUL = frozenset(
    {
        RunState.FAILED,
        RunState.FAILED_OOM,
        RunState.TIMED_OUT,
        RunState.LOST,
        RunState.STUCK,
        RunState.CANCELLED,
    }
)

#: States in which a run counts as done: bridge ran it and it succeeded, or the tracker says it
#: was done before bridge.
SETTLED_RUN_STATES = frozenset({RunState.SUCCEEDED, RunState.DONE_BEFORE})

#: The runs bridge was not asked to run: listed with their reason, never launched.
NOT_BRIDGES_RUN_STATES = frozenset({RunState.DONE_BEFORE, RunState.OUT_OF_SCOPE})

#: States that count towards a milestone's or the plan's totals (out-of-scope runs do not).
COUNTED_RUN_STATES = frozenset(RunState) - {RunState.OUT_OF_SCOPE}
