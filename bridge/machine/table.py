"""
The transition tables, declared once as data and checked with ``transitions``.

Each row is ``(trigger, sources, destination)``. At import, both tables are loaded into a
``transitions.Machine`` (Enum states, no auto transitions, no callbacks); the lookup used by the
fold and the pipeline is then read back from the machine's own compiled transitions, so what is
legal is exactly what ``transitions`` says is legal. The fold replays millions of events, so it
uses that lookup rather than firing triggers on a machine per event.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TypeVar

from transitions import Machine

from bridge.errors import TransitionError
from bridge.machine.stages import RunState, Stage

__all__ = [
    "RUN_TABLE",
    "STAGE_TABLE",
    "next_run_state",
    "next_stage",
    "run_lookup",
    "stage_lookup",
]

S = Stage
R = RunState
_NOT_DONE = (S.PLANNED, S.IMPLEMENTED, S.REVIEWED, S.SANITY_OK, S.SANITY_FAILED, S.RESCUE,
             S.DEPLOYED, S.AWAITING_APPROVAL)  # fmt: skip

STAGE_TABLE: tuple[tuple[str, tuple[Stage, ...], Stage], ...] = (
    # From DEPLOYED: a deployment rescue's diagnosis applied by an implementer able to fix.
    ("implement", (S.PLANNED, S.SANITY_FAILED, S.RESCUE, S.DEPLOYED), S.IMPLEMENTED),
    ("review", (S.IMPLEMENTED,), S.REVIEWED),
    ("request_approval", (S.REVIEWED, S.COLLECTED), S.AWAITING_APPROVAL),
    ("approve", (S.AWAITING_APPROVAL,), S.REVIEWED),
    ("pass_sanity", (S.REVIEWED,), S.SANITY_OK),
    ("fail_sanity", (S.REVIEWED,), S.SANITY_FAILED),
    ("retry_sanity", (S.SANITY_FAILED,), S.REVIEWED),
    ("rescue", (S.SANITY_FAILED,), S.RESCUE),
    ("deploy", (S.SANITY_OK,), S.DEPLOYED),
    ("collect", (S.DEPLOYED,), S.COLLECTED),
    ("redeploy", (S.COLLECTED,), S.DEPLOYED),
    ("block", _NOT_DONE, S.BLOCKED),
    ("reopen", (S.BLOCKED,), S.PLANNED),
)

_LIVE = (R.SUBMITTED, R.RUNNING)
RUN_TABLE: tuple[tuple[str, tuple[RunState, ...], RunState], ...] = (
    ("replan", (R.PENDING,), R.PENDING),
    # A run that has not succeeded takes changed inputs for its next attempt, in any state
    # but live or succeeded (a succeeded run keeps what it ran with).
    *(
        ("respec", (state,), state)
        for state in (R.PENDING, R.FAILED, R.FAILED_OOM, R.TIMED_OUT, R.LOST, R.CANCELLED, R.STUCK)
    ),
    ("submit", (R.PENDING,), R.SUBMITTED),
    ("start", (R.SUBMITTED,), R.RUNNING),
    ("succeed", _LIVE, R.SUCCEEDED),
    ("fail", _LIVE, R.FAILED),
    ("fail_oom", _LIVE, R.FAILED_OOM),
    ("time_out", _LIVE, R.TIMED_OUT),
    ("lose", _LIVE, R.LOST),
    ("cancel", (R.PENDING, *_LIVE), R.CANCELLED),
    # The researcher's tracker says the run was done before bridge, or is out of scope.
    ("find_done", (R.PENDING,), R.DONE_BEFORE),
    ("rule_out", (R.PENDING,), R.OUT_OF_SCOPE),
    # SUCCEEDED too: a sanity run whose metrics could not be trusted runs again after a fix;
    # DONE_BEFORE and OUT_OF_SCOPE when a person asks bridge to run the row after all.
    (
        "retry",
        (
            R.FAILED_OOM,
            R.FAILED,
            R.TIMED_OUT,
            R.LOST,
            R.CANCELLED,
            R.STUCK,
            R.SUCCEEDED,
            R.DONE_BEFORE,
            R.OUT_OF_SCOPE,
        ),
        R.PENDING,
    ),
    ("give_up", (R.FAILED_OOM,), R.STUCK),
    ("flag_overdue", (R.RUNNING,), R.RUNNING),
    ("note_queue", (R.RUNNING,), R.RUNNING),
)

E = TypeVar("E", bound=enum.Enum)


class _Model:
    """
    A bare model object for ``transitions`` (it only ever holds the state).
    """


def _compile(
    states: type[E], table: Sequence[tuple[str, tuple[E, ...], E]]
) -> dict[tuple[E, str], E]:
    machine = Machine(
        model=_Model(),
        states=states,
        transitions=[
            {"trigger": trigger, "source": list(sources), "dest": dest}
            for trigger, sources, dest in table
        ],
        initial=next(iter(states)),
        auto_transitions=False,
        model_override=True,
    )
    lookup: dict[tuple[E, str], E] = {}
    for trigger, evt in machine.events.items():
        for source_name, transitions in evt.transitions.items():
            for transition in transitions:
                lookup[(states[source_name], trigger)] = states[str(transition.dest)]
    return lookup


stage_lookup: dict[tuple[Stage, str], Stage] = _compile(Stage, STAGE_TABLE)
run_lookup: dict[tuple[RunState, str], RunState] = _compile(RunState, RUN_TABLE)


def next_stage(current: Stage, trigger: str, *, seq: int | None = None) -> Stage:
    """
    Return the stage ``trigger`` leads to from ``current``.

    Raises:
        TransitionError: the table has no such transition (naming ``seq`` when given).
    """
    dest = stage_lookup.get((current, trigger))
    if dest is None:
        raise TransitionError(f"stage {current.value} has no transition {trigger!r}", seq=seq)
    return dest


def next_run_state(
    run_id: str, current: RunState, trigger: str, *, seq: int | None = None
) -> RunState:
    """
    Return the run state ``trigger`` leads to from ``current``.

    Raises:
        TransitionError: the table has no such transition (naming ``seq`` when given).
    """
    dest = run_lookup.get((current, trigger))
    if dest is None:
        raise TransitionError(
            f"run {run_id} in state {current.value} has no transition {trigger!r}", seq=seq
        )
    return dest
