"""
The pipeline's stage changes at run time, carried out by a ``transitions`` machine.

A run changes stage a handful of times, so each change is fired as a trigger on a
``transitions.Machine`` built from the stage table's one definition
(:func:`bridge.machine.table.machine_definition`): ``transitions`` checks the move is legal
from the current stage and calls back to record it before the stage changes. The fold reads
the same table through its compiled lookup instead, for speed.
"""

from __future__ import annotations

from collections.abc import Callable

from transitions import EventData, Machine, MachineError

from bridge.errors import TransitionError
from bridge.machine.stages import Stage
from bridge.machine.table import STAGE_TABLE, machine_definition
from bridge.machine.triggers import StageTrigger

__all__ = ["Record", "StageMachine"]

#: Records one stage change: (from, trigger, to, reason). It raises to refuse the change.
Record = Callable[[Stage, StageTrigger, Stage, str], None]


class _Pipeline:
    """
    The model ``transitions`` moves: it only holds the stage.
    """

    state: Stage


class StageMachine:
    """
    Fires stage triggers on a ``transitions`` machine, recording each change before it is made.

    Args:
        record: called by the machine before the stage changes (``before_state_change``) with
            the move and its reason; when it raises (the log refused the event), the stage does
            not change and the error reaches the caller of :meth:`fire`.
    """

    def __init__(self, record: Record) -> None:
        self._record = record
        self._model = _Pipeline()
        self._machine = Machine(
            model=self._model,
            **machine_definition(Stage, STAGE_TABLE),
            send_event=True,
            before_state_change=self._before,
        )

    def fire(self, current: Stage, trigger: StageTrigger, reason: str) -> Stage:
        """
        Move the pipeline from ``current`` (the folded stage) by ``trigger``; return the new stage.

        Raises:
            TransitionError: the stage table has no such move from ``current``; nothing is
                recorded.
        """
        self._machine.set_state(current, model=self._model)
        try:
            self._machine.events[trigger.value].trigger(self._model, reason=reason)
        except MachineError as exc:
            raise TransitionError(f"stage {current.value} has no transition '{trigger}'") from exc
        return self._model.state

    def _before(self, event: EventData) -> None:
        # transitions' callback: the event it hands over names the move by its states' names.
        move = event.transition
        assert move is not None and move.dest is not None
        reason = event.kwargs["reason"]
        assert isinstance(reason, str)
        self._record(Stage[move.source], StageTrigger(event.event.name), Stage[move.dest], reason)
