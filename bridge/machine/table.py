"""
The transition tables, declared once as data and run by ``transitions``.

Each row is ``(trigger, sources, destination)``. :func:`machine_definition` turns a table into
the one ``transitions`` machine definition (Enum states, no auto transitions) that three users
share: the lookups here, which the fold uses (it replays millions of events, so it reads a dict
rather than firing a trigger per event; :func:`compiled_by_transitions` reads the same dict out
of a ``Machine`` over that definition, and tests/machine/test_fold.py checks they are equal, so
the lookups are built from the rows at import without loading ``transitions``, its ``logging``
and ``six``: a tenth of ``bridge status``'s imports); the pipeline's stage changes at run time,
fired on a ``Machine`` with a callback (:mod:`bridge.machine.stage_machine`, a handful per
run); and ``bridge diagram``, drawn by a ``GraphMachine`` (:mod:`bridge.projections.diagram`).
What is legal is exactly what ``transitions`` says is legal, in all three.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, Generic, TypedDict, TypeVar

from bridge.errors import TransitionError
from bridge.machine.stages import RunState, Stage
from bridge.machine.triggers import RunTrigger, StageTrigger

if TYPE_CHECKING:
    from transitions.core import TransitionConfigDict

__all__ = [
    "RUN_TABLE",
    "STAGE_TABLE",
    "MachineDefinition",
    "compiled_by_transitions",
    "machine_definition",
    "next_run_state",
    "next_stage",
    "run_lookup",
    "stage_lookup",
]

S = Stage
R = RunState
ST = StageTrigger
RT = RunTrigger
_NOT_DONE = (S.PLANNED, S.IMPLEMENTED, S.REVIEWED, S.SANITY_OK, S.SANITY_FAILED, S.RESCUE,
             S.DEPLOYED, S.AWAITING_APPROVAL)  # fmt: skip

STAGE_TABLE: tuple[tuple[StageTrigger, tuple[Stage, ...], Stage], ...] = (
    # From DEPLOYED: a deployment rescue's diagnosis applied by an implementer able to fix.
    (ST.IMPLEMENT, (S.PLANNED, S.SANITY_FAILED, S.RESCUE, S.DEPLOYED), S.IMPLEMENTED),
    (ST.REVIEW, (S.IMPLEMENTED,), S.REVIEWED),
    (ST.REQUEST_APPROVAL, (S.REVIEWED, S.COLLECTED), S.AWAITING_APPROVAL),
    (ST.APPROVE, (S.AWAITING_APPROVAL,), S.REVIEWED),
    (ST.PASS_SANITY, (S.REVIEWED,), S.SANITY_OK),
    (ST.FAIL_SANITY, (S.REVIEWED,), S.SANITY_FAILED),
    (ST.RETRY_SANITY, (S.SANITY_FAILED,), S.REVIEWED),
    (ST.RESCUE, (S.SANITY_FAILED,), S.RESCUE),
    (ST.DEPLOY, (S.SANITY_OK,), S.DEPLOYED),
    (ST.COLLECT, (S.DEPLOYED,), S.COLLECTED),
    (ST.REDEPLOY, (S.COLLECTED,), S.DEPLOYED),
    (ST.BLOCK, _NOT_DONE, S.BLOCKED),
    (ST.REOPEN, (S.BLOCKED,), S.PLANNED),
)

_LIVE = (R.SUBMITTED, R.RUNNING)
# What a succeeded run's new spec may change (RESPEC in SUCCEEDED, below): its labels, and the
# params that name them. Anything else is what it ran, which stands (the fold refuses it); a
# row bridge did not run (RESPEC in DONE_BEFORE, OUT_OF_SCOPE) takes no more either.
RELABEL_FIELDS = ("system", "milestone", "priority")
RELABEL_PARAMS = ("system", "milestone", "block")

RUN_TABLE: tuple[tuple[RunTrigger, tuple[RunState, ...], RunState], ...] = (
    (RT.REPLAN, (R.PENDING,), R.PENDING),
    # A run that has not succeeded takes changed inputs for its next attempt, in any state
    # but live (a succeeded run keeps what it ran with, below).
    *(
        (RT.RESPEC, (state,), state)
        for state in (R.PENDING, R.FAILED, R.FAILED_OOM, R.TIMED_OUT, R.LOST, R.CANCELLED, R.STUCK)
    ),
    # A succeeded run takes a new label its command does not use (its system, milestone or
    # priority): what it ran stands (bridge/pipeline/steps/code.py, _relabelled). A row done
    # before bridge or out of scope takes the labels its row gives now: nothing ran under
    # bridge; its other settings are taken when it is back to pending.
    *((RT.RESPEC, (state,), state) for state in (R.SUCCEEDED, R.DONE_BEFORE, R.OUT_OF_SCOPE)),
    (RT.SUBMIT, (R.PENDING,), R.SUBMITTED),
    (RT.START, (R.SUBMITTED,), R.RUNNING),
    (RT.SUCCEED, _LIVE, R.SUCCEEDED),
    (RT.FAIL, _LIVE, R.FAILED),
    (RT.FAIL_OOM, _LIVE, R.FAILED_OOM),
    (RT.TIME_OUT, _LIVE, R.TIMED_OUT),
    (RT.LOSE, _LIVE, R.LOST),
    (RT.CANCEL, (R.PENDING, *_LIVE), R.CANCELLED),
    # The researcher's tracker says the run was done before bridge, or is out of scope.
    (RT.FIND_DONE, (R.PENDING,), R.DONE_BEFORE),
    (RT.RULE_OUT, (R.PENDING,), R.OUT_OF_SCOPE),
    # Another run's succeeded attempt stands for it, the same spec (RunResultCarried).
    (RT.CARRY, (R.PENDING,), R.SUCCEEDED),
    # SUCCEEDED too: a sanity run whose metrics could not be trusted runs again after a fix;
    # DONE_BEFORE and OUT_OF_SCOPE when a person asks bridge to run the row after all.
    (
        RT.RETRY,
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
    (RT.GIVE_UP, (R.FAILED_OOM,), R.STUCK),
    (RT.FLAG_OVERDUE, (R.RUNNING,), R.RUNNING),
    (RT.NOTE_QUEUE, (R.RUNNING,), R.RUNNING),
)

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T", bound=enum.StrEnum)


class MachineDefinition(TypedDict, Generic[E]):
    """
    The keyword arguments that define a ``transitions`` machine over one table; unpacked into
    ``Machine(model=..., **definition)`` (or a ``GraphMachine``) with the user's own options.
    """

    states: type[E]
    initial: E
    transitions: list[TransitionConfigDict]
    auto_transitions: bool
    model_override: bool


def machine_definition(
    states: type[E], table: Sequence[tuple[T, tuple[E, ...], E]]
) -> MachineDefinition[E]:
    """
    The machine definition of ``table``: its states, the first state as the initial one, one
    transition per row, and none of the ``to_<state>`` transitions ``transitions`` would add.
    ``model_override`` is off: with it on, ``transitions`` logs a WARNING for every convenience
    method it skips binding (a dozen per machine, printed by any embedder whose logging shows
    warnings); the models are private, so the methods it binds to them harm nothing.
    """
    return {
        "states": states,
        "initial": next(iter(states)),
        "transitions": [
            {"trigger": trigger.value, "source": list(sources), "dest": dest}
            for trigger, sources, dest in table
        ],
        "auto_transitions": False,
        "model_override": False,
    }


class _Model:
    """
    A bare model object for ``transitions`` (it only ever holds the state).
    """


def compiled_by_transitions(
    states: type[E], triggers: type[T], table: Sequence[tuple[T, tuple[E, ...], E]]
) -> dict[tuple[E, T], E]:
    """
    The (state, trigger) → destination lookup of ``table`` as ``transitions`` compiles it: the
    oracle for :data:`stage_lookup` and :data:`run_lookup`.
    """
    from transitions import Machine

    machine = Machine(model=_Model(), **machine_definition(states, table))
    lookup: dict[tuple[E, T], E] = {}
    for trigger, evt in machine.events.items():
        for source_name, transitions in evt.transitions.items():
            for transition in transitions:
                lookup[(states[source_name], triggers(trigger))] = states[str(transition.dest)]
    return lookup


def _edges(table: Sequence[tuple[T, tuple[E, ...], E]]) -> dict[tuple[E, T], E]:
    return {(source, trigger): dest for trigger, sources, dest in table for source in sources}


#: (stage, trigger) → the stage it leads to; equal to :func:`compiled_by_transitions`'s.
stage_lookup: dict[tuple[Stage, StageTrigger], Stage] = _edges(STAGE_TABLE)
#: (run state, trigger) → the state it leads to; equal to :func:`compiled_by_transitions`'s.
run_lookup: dict[tuple[RunState, RunTrigger], RunState] = _edges(RUN_TABLE)


def next_stage(current: Stage, trigger: StageTrigger, *, seq: int | None = None) -> Stage:
    """
    Return the stage ``trigger`` leads to from ``current``.

    Raises:
        TransitionError: the table has no such transition (naming ``seq`` when given).
    """
    dest = stage_lookup.get((current, trigger))
    if dest is None:
        raise TransitionError(f"stage {current.value} has no transition '{trigger}'", seq=seq)
    return dest


def next_run_state(
    run_id: str, current: RunState, trigger: RunTrigger, *, seq: int | None = None
) -> RunState:
    """
    Return the run state ``trigger`` leads to from ``current``.

    Raises:
        TransitionError: the table has no such transition (naming ``seq`` when given).
    """
    dest = run_lookup.get((current, trigger))
    if dest is None:
        raise TransitionError(
            f"run {run_id} in state {current.value} has no transition '{trigger}'", seq=seq
        )
    return dest
