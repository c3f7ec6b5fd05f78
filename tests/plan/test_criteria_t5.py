"""
Criteria a new-user trial (t5) saw misread on real plans: 038's "at least 5× warm or batched
end-to-end speedup", the speedup read as no metric at all.

Each expectation was written by reading the plan's clause, not by running the parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.machine.judge import Aggregate, VerdictKind, judge_block
from bridge.plan import load_project
from bridge.plan.criteria import Compound, Criterion, Unparsed, parse_criterion
from bridge.plan.criteria.model import Comparison, Mode
from bridge.plan.metric_names import plan_metric_names
from tests.conftest import needs_shared
from tests.plan.corpus import as_project


def _criterion(plan: str, block_id: str, root: Path) -> Criterion | Unparsed | Compound:
    """A corpus block's criterion, read with its systems and metrics."""
    project = load_project(as_project(plan, root))
    block = next(b for b in project.plan.blocks if b.id == block_id)
    return parse_criterion(
        block.success_criterion,
        block_systems=block.systems,
        metrics=list(plan_metric_names(block.metrics)),
    )


def _speedup(clause: Criterion | Unparsed) -> Criterion:
    assert isinstance(clause, Criterion), clause
    assert (clause.metric, clause.comparison, clause.threshold, clause.mode) == (
        "speedup",
        Comparison.GE,
        5.0,
        Mode.ABSOLUTE,
    ), clause
    return clause


@needs_shared
def test_038_b4_warm_or_batched_speedup_is_one_measurement(tmp_path: Path) -> None:
    # «exact parity everywhere and at least 5× warm or batched end-to-end speedup over TriPharm
    # CPU on HS90A plus one LIT-PCBA target»: "warm or batched" qualifies the one speedup; it
    # was cut off as "what to do otherwise", and the speedup read as "without a metric".
    parsed = _criterion("038", "B4", tmp_path)
    assert isinstance(parsed, Compound)
    parity, speed, cold = parsed.clauses
    assert isinstance(parity, Unparsed) and parity.text == "exact parity everywhere"
    assert "speedup over TriPharm CPU" in _speedup(speed).text
    assert isinstance(cold, Unparsed)
    assert not any("otherwise" in n for n in parsed.notes), parsed.notes
    assert any("'warm or batched'" in n for n in parsed.notes), parsed.notes
    # B4 recording a speedup of 3.2: the speedup clause fails, so the block is not met.
    verdict = judge_block(
        parsed,
        [
            Aggregate(
                block="B4",
                system="",
                metric="speedup",
                mean=3.2,
                std=None,
                n=1,
                run_ids=("HIP-03",),
            )
        ],
        runs_status={"HIP-03": "succeeded"},
        expected_seeds=1,
        reference_system=None,
    )
    assert verdict.verdict is VerdictKind.NOT_MET, verdict.reason
    assert "3.2 ≥ 5 → not met" in verdict.reason, verdict.reason


@pytest.mark.parametrize(
    "text",
    [
        "at least 5× speedup.",
        "speedup ≥ 5 over TriPharm CPU on HS90A plus one LIT-PCBA target.",
        "at least 5× warm end-to-end speedup.",
        "5x faster",
    ],
)
def test_a_multiple_of_speedup_names_the_metric(text: str) -> None:
    # Each was "an absolute threshold without a metric" (or "a number without a comparison").
    _speedup(parse_criterion(text))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        # A real alternative stays one: the "or" is not between two words before a noun.
        "accuracy ≥ 0.8, or can be dropped if not",
        "2x larger or smaller than the baseline",
    ],
)
def test_an_or_that_is_no_qualifier_is_read_as_before(text: str) -> None:
    parsed = parse_criterion(text)
    notes = parsed.notes if isinstance(parsed, Compound | Criterion) else ()
    assert not any("two ways of taking" in n for n in notes), notes
