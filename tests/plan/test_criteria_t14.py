"""
Criteria a new-user trial (t14) saw misread or lost: a metric written as an identifier with
capitals after it (025's «cf_arc_easy KC») read as the identifier alone; a Success criterion
written as a list without ``C#:`` labels right under its label (033's E7) read as none; and a
margin written on the reference's value with the metric said again ("ORFN-15 aggregate net ≥
ORFN-14 aggregate net + 1") refused as a number without a comparison.

Each expectation was written by reading the clause, not by running the parser.
"""

from __future__ import annotations

import pytest

from bridge.plan import parse_plan_text
from bridge.plan.criteria import Criterion, parse_criterion

_PHASES = ("Phase 1 only", "Phase 1+2 (ours)")
_ORFN = ("ORFN-14", "ORFN-15")


@pytest.mark.parametrize(
    "text",
    [
        "Phase 1+2 的 cf_arc_easy KC 高于 Phase 1 only",
        "Phase 1+2 的 cf_arc_easy KC 比 Phase 1 only 高",
        "Phase 1+2 cf_arc_easy KC > Phase 1 only",
    ],
)
def test_capitals_after_an_identifier_are_the_rest_of_its_name(text: str) -> None:
    # Read as 'cf_arc_easy', the runs' accuracy of that name judged a criterion about KC.
    parsed = parse_criterion(text, block_systems=_PHASES)
    assert isinstance(parsed, Criterion), parsed
    assert parsed.metric == "cf_arc_easy KC", parsed
    assert (parsed.subject, parsed.reference) == ("Phase 1+2 (ours)", "Phase 1 only")
    assert "metric read as 'cf_arc_easy KC', the identifier the criterion names" in parsed.notes


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        # A word of the sentence after the identifier is no part of its name.
        ("ours improves high_dtu_nll over base", "high_dtu_nll"),
        ("cf_arc_easy > 0.5", "cf_arc_easy"),
        ("cf_arc_easy is above 0.5", "cf_arc_easy"),
    ],
)
def test_an_identifier_alone_stays_the_metric(text: str, metric: str) -> None:
    parsed = parse_criterion(text, block_systems=("base", "ours"))
    assert isinstance(parsed, Criterion), parsed
    assert parsed.metric == metric, parsed


_E7 = """# Plan

## Experiment 7 — Azimuth Retraining (Week 4)

**Compared systems**:
- ORFN-14
- ORFN-15

**Success criterion**:
{items}

**Recording**: per-trial log.
"""


def _block(items: str) -> tuple[str, tuple[str, ...], list[str]]:
    plan = parse_plan_text(_E7.format(items=items))
    block = plan.blocks[0]
    return block.success_criterion, block.systems, [w.message for w in plan.warnings]


def test_a_list_without_labels_under_the_success_criterion_is_the_criterion() -> None:
    # 033's E7: read as "(none written)", with a warning that the block wrote no criterion.
    criterion, systems, warnings = _block(
        "- ORFN-15 aggregate net ≥ ORFN-14 aggregate net + 1\n- ORFN-15 aggregate net ≥ 5"
    )
    assert criterion == (
        "ORFN-15 aggregate net ≥ ORFN-14 aggregate net + 1; ORFN-15 aggregate net ≥ 5"
    )
    assert systems == _ORFN
    assert not any("writes no Success criterion" in w for w in warnings), warnings


def test_labelled_and_unlabelled_items_are_read_alike_and_a_tier_stays_out() -> None:
    # 033's E5 with one label left out: "C4:" is the label, not the clause; the tier after the
    # list is shown, not judged, as with the labels.
    criterion, _, warnings = _block(
        "- LGGSN+ORFN success rate ≥ GR-ConvNet baseline, with net ≥ 0\n"
        "- C5: ORFN-15 aggregate net ≥ 1\n"
        "- Strong result: CrackerBox still shows gain on real hardware"
    )
    assert criterion == (
        "LGGSN+ORFN success rate ≥ GR-ConvNet baseline, with net ≥ 0; ORFN-15 aggregate net ≥ 1"
    )
    assert any(
        "followed by tiers bridge shows but does not judge: 'Strong result: CrackerBox" in w
        for w in warnings
    ), warnings
