"""
Criteria left unjudged by how they were worded: "all within N" outside "either … or …" (001's
B2 equivalence part written as the whole criterion, or joined by "and"), and "A or B" without
"either".

Each expectation was written by reading the clause, not by running the parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.machine.judge import Aggregate, VerdictKind, judge_block
from bridge.plan import load_project
from bridge.plan.criteria import Compound, Criterion, Unparsed, parse_criterion
from bridge.plan.criteria.model import Comparison, Mode, Orientation
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

_E3 = "E3: DepthGate (from Block 1)"
_E4 = "E4: DepthFiLM r=102 + rank-space FiLM"
_E5 = "E5: DepthBasis K=6, r=16, adapter-output mixing"
_SYSTEMS = (_E3, _E4, _E5)


def _judged(
    criterion: Criterion | Unparsed | Compound, accuracy: dict[str, float]
) -> tuple[VerdictKind, str]:
    aggregates = [
        Aggregate(block="B2", system=s, metric="accuracy", mean=v, std=None, n=1, run_ids=(s,))
        for s, v in accuracy.items()
    ]
    verdict = judge_block(
        criterion,
        aggregates,
        runs_status=dict.fromkeys(accuracy, "succeeded"),
        expected_seeds=1,
        reference_system=None,
        primary_metric="accuracy",
        planned_systems=_SYSTEMS,
    )
    return verdict.verdict, verdict.reason


def _pairs(clauses: tuple[Criterion | Unparsed, ...]) -> list[tuple[str | None, str | None]]:
    pairs = []
    for clause in clauses:
        assert isinstance(clause, Criterion), clause
        assert (clause.comparison, clause.threshold, clause.mode) == (
            Comparison.LE,
            1.0,
            Mode.DIFFERENCE,
        )
        assert clause.orientation is Orientation.EITHER
        pairs.append((clause.subject, clause.reference))
    return pairs


@needs_shared
def test_001_b2_equivalence_alone_is_every_two_systems_within_1_point(tmp_path: Path) -> None:
    # 001's B2 systems, its equivalence part as the whole criterion: it was "a margin without
    # a number ('clear')", unjudged, though inside "either … or …" the same words were read.
    block = next(b for b in load_project(as_project("001", tmp_path)).plan.blocks if b.id == "B2")
    assert tuple(block.systems) == _SYSTEMS
    parsed = parse_criterion("clear equivalence (all within 1 point)", block_systems=block.systems)
    assert isinstance(parsed, Compound) and parsed.alternatives == (), parsed
    assert _pairs(parsed.clauses) == [(_E3, _E4), (_E3, _E5), (_E4, _E5)]
    assert _judged(parsed, {_E3: 0.600, _E4: 0.605, _E5: 0.609})[0] is VerdictKind.MET
    assert _judged(parsed, {_E3: 0.60, _E4: 0.61, _E5: 0.62})[0] is VerdictKind.NOT_MET


def test_all_within_joined_by_and_is_read_with_the_other_clause() -> None:
    parsed = parse_criterion(
        "accuracy > 50% and all within 1 point", block_systems=_SYSTEMS, metrics=["accuracy"]
    )
    assert isinstance(parsed, Compound), parsed
    first, *rest = parsed.clauses
    assert isinstance(first, Criterion) and first.threshold == 50.0, first
    assert _pairs(tuple(rest)) == [(_E3, _E4), (_E3, _E5), (_E4, _E5)]


def test_all_within_names_its_metric() -> None:
    parsed = parse_criterion(
        "F1 all within 1 point", block_systems=_SYSTEMS[:2], metrics=["accuracy", "F1"]
    )
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.metric, parsed.subject, parsed.reference) == ("F1", _E3, _E4)


def test_or_without_either_between_two_conditions_is_one_of_them() -> None:
    # It was "several or conditional clauses; only one condition can be checked".
    parsed = parse_criterion(
        "DepthFiLM beats DepthGate by 1 point or DepthBasis beats DepthGate by 1 point",
        block_systems=_SYSTEMS,
        metrics=["accuracy"],
    )
    assert isinstance(parsed, Compound) and parsed.alternatives == ((0,), (1,)), parsed
    assert any("met when one part is met" in n for n in parsed.notes), parsed.notes
    assert _judged(parsed, {_E3: 0.60, _E4: 0.605, _E5: 0.62})[0] is VerdictKind.MET
    assert _judged(parsed, {_E3: 0.60, _E4: 0.605, _E5: 0.603})[0] is VerdictKind.NOT_MET


@pytest.mark.parametrize(
    "text",
    [
        # 001's B5: what to do when it fails, no second condition.
        "Sobel helps by >= 0.5 points, or can be dropped if not",
        # One comparator.
        "accuracy greater than or equal to 80%",
        "accuracy of 80% or more",
        # Which clauses "or" joins cannot be told without "either".
        "accuracy > 80% and F1 > 0.5 or accuracy > 90%",
    ],
)
def test_an_or_that_joins_no_two_conditions_is_no_alternative(text: str) -> None:
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=["accuracy"])
    assert not (isinstance(parsed, Compound) and parsed.alternatives), parsed
