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
from bridge.plan.criteria import Comparison, Criterion, Mode, Unparsed, parse_criterion
from bridge.projections.reasons import in_language

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


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "ORFN-15 aggregate net ≥ ORFN-14 aggregate net + 1",
            "'≥ ORFN-14 aggregate net + 1' read as 'at least 1 above ORFN-14'",
        ),
        (
            "ORFN-14 aggregate net + 1 ≤ ORFN-15 aggregate net",
            "'ORFN-14 aggregate net + 1 ≤ ORFN-15 aggregate net' read as 'at least 1 above "
            "ORFN-14'",
        ),
    ],
)
def test_a_margin_on_the_reference_with_the_metric_said_again(text: str, said: str) -> None:
    # It was "a number without a comparison: '1'".
    parsed = parse_criterion(text, block_systems=_ORFN)
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.mode, parsed.comparison, parsed.threshold) == (
        Mode.DIFFERENCE,
        Comparison.GE,
        1.0,
    )
    assert (parsed.subject, parsed.reference) == ("ORFN-15", "ORFN-14")
    # Not the block's primary metric: the words said of both systems.
    assert parsed.metric == "aggregate net", parsed
    assert said in parsed.notes
    assert "metric read as 'aggregate net', the words said of both systems" in parsed.notes
    assert "指标解析为 'aggregate net'（两个系统都用这些词指称它）" in in_language(
        "; ".join(parsed.notes), "zh"
    )


def test_other_words_after_the_reference_are_no_margin() -> None:
    # "net" of one and "recall" of the other: not one metric's difference.
    parsed = parse_criterion("ORFN-15 net ≥ ORFN-14 recall + 1", block_systems=_ORFN)
    assert isinstance(parsed, Unparsed), parsed


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
