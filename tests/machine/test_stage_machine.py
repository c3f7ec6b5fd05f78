"""
Tests for the run-time stage changes fired on a ``transitions`` machine (``StageMachine``).
"""

from __future__ import annotations

import pytest

from bridge.errors import TransitionError
from bridge.machine.stage_machine import StageMachine
from bridge.machine.stages import Stage
from bridge.machine.table import STAGE_TABLE, stage_lookup
from bridge.machine.triggers import StageTrigger

Move = tuple[Stage, StageTrigger, Stage, str]


class Recorder:
    """
    Records each move the machine reports; refuses them all when ``refuse`` is set.
    """

    def __init__(self, refuse: Exception | None = None) -> None:
        self.moves: list[Move] = []
        self.refuse = refuse

    def __call__(self, source: Stage, trigger: StageTrigger, dest: Stage, reason: str) -> None:
        if self.refuse is not None:
            raise self.refuse
        self.moves.append((source, trigger, dest, reason))


class TestStageMachine:
    def test_every_legal_move_is_fired_and_recorded_once(self) -> None:
        """Each edge of the stage table, fired from its source, lands on its destination and
        is recorded once with its reason, agreeing with the fold's compiled lookup."""
        record = Recorder()
        machine = StageMachine(record)
        edges = [(src, trig, dest) for trig, srcs, dest in STAGE_TABLE for src in srcs]
        for source, trigger, dest in edges:
            assert machine.fire(source, trigger, f"{trigger} from {source.value}") is dest
            assert stage_lookup[(source, trigger)] is dest
        assert record.moves == [(s, t, d, f"{t} from {s.value}") for s, t, d in edges]

    def test_an_illegal_move_is_refused_and_nothing_recorded(self) -> None:
        """A trigger the table lacks from the current stage raises TransitionError naming
        both, and the record callback is never called."""
        record = Recorder()
        with pytest.raises(TransitionError, match="stage COLLECTED has no transition 'review'"):
            StageMachine(record).fire(Stage.COLLECTED, StageTrigger.REVIEW, "why")
        assert record.moves == []

    def test_a_refused_record_stops_the_move(self) -> None:
        """When recording the move raises (the log refused it), the error reaches the caller
        and the machine can fire again from any stage afterwards."""
        record = Recorder(refuse=TransitionError("the log said no"))
        machine = StageMachine(record)
        with pytest.raises(TransitionError, match="the log said no"):
            machine.fire(Stage.PLANNED, StageTrigger.IMPLEMENT, "why")
        record.refuse = None
        assert machine.fire(Stage.BLOCKED, StageTrigger.REOPEN, "fixed") is Stage.PLANNED
        assert record.moves == [(Stage.BLOCKED, StageTrigger.REOPEN, Stage.PLANNED, "fixed")]

    def test_the_machine_starts_from_the_stage_it_is_given(self) -> None:
        """fire starts from the folded stage passed in, not from where the last fire ended."""
        machine = StageMachine(Recorder())
        assert machine.fire(Stage.PLANNED, StageTrigger.IMPLEMENT, "a") is Stage.IMPLEMENTED
        assert machine.fire(Stage.SANITY_OK, StageTrigger.DEPLOY, "b") is Stage.DEPLOYED


def test_building_the_machines_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    """An embedder whose logging shows warnings sees none from building the stage machine, the
    compiled tables or the diagram (``transitions`` warned a dozen times per machine)."""
    import logging

    from bridge.machine import table
    from bridge.projections import diagram

    with caplog.at_level(logging.DEBUG, logger="transitions"):
        table.compiled_by_transitions(Stage, StageTrigger, STAGE_TABLE)
        StageMachine(lambda *_: None)
        diagram.mermaid.__wrapped__(Stage.DEPLOYED)  # uncached: the machine is built anew
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
