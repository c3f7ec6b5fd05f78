"""
Criteria a new-user trial (t8) saw misread on 039's B1 as a reviewer edited it: a threshold's
"%" tagged "（相对）" or "(absolute)" in brackets.

Each expectation was written by reading the clause, not by running the parser.
"""

from __future__ import annotations

import pytest

from bridge.machine.judge import VerdictKind
from bridge.plan.criteria import Criterion, parse_criterion
from bridge.plan.criteria.model import Mode
from tests.machine.test_judge_reading import _judge

# 039's B1 compares these three systems; the first holds the word "relative" in its name.
_SYSTEMS = ("relative-position only", "旧 scalar statistics", "MART")


def _read(text: str) -> Criterion:
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=["AUPRC"])
    assert isinstance(parsed, Criterion), parsed
    return parsed


@pytest.mark.parametrize(
    "text",
    [
        "MART 的 AUPRC 较 relative-position only 提高 ≥ 30%（相对）。",
        "MART 的 AUPRC 较 relative-position only 提高 ≥ 30%(相对)。",
        "MART 的 AUPRC 较 relative-position only 提高 ≥ 30% （相对值）。",
        "MART improves AUPRC over relative-position only by ≥ 30% (relative)",
    ],
)
def test_a_percent_tagged_relative_in_brackets_is_a_relative_gain(text: str) -> None:
    # Read as "gain ≥ 30 pp" of a rate metric: 0.31 against 0.22 (a gain of 41 %) failed.
    criterion = _read(text)
    assert (criterion.mode, criterion.threshold) == (Mode.RELATIVE, 30.0), criterion
    assert (criterion.subject, criterion.reference) == ("MART", "relative-position only")
    assert not criterion.notes, criterion.notes
    values = {("MART", "AUPRC"): 0.31, ("relative-position only", "AUPRC"): 0.22}
    verdict = _judge(text, _SYSTEMS, values)
    assert verdict.verdict is VerdictKind.MET, verdict.reason
    assert "gain +40.9091%" in verdict.reason, verdict.reason


@pytest.mark.parametrize(
    "text",
    [
        "MART 的 AUPRC 较 relative-position only 提高 ≥ 3%（绝对）。",
        "MART 的 AUPRC 较 relative-position only 提高 ≥ 3%（绝对值）。",
        "MART improves AUPRC over relative-position only by ≥ 3% (absolute)",
        "MART 的 AUPRC 较 relative-position only 提高 ≥ 3 个百分点。",
    ],
)
def test_a_percent_tagged_absolute_is_percentage_points(text: str) -> None:
    # Points said by the plan, not guessed from the metric: no "'%' read as points" note.
    criterion = _read(text)
    assert (criterion.mode, criterion.threshold) == (Mode.DIFFERENCE, 3.0), criterion
    assert criterion.percent_scale
    assert not criterion.notes, criterion.notes
    values = {("MART", "AUPRC"): 0.31, ("relative-position only", "AUPRC"): 0.22}
    assert _judge(text, _SYSTEMS, values).verdict is VerdictKind.MET


def test_a_loss_tagged_absolute_is_points_not_a_relative_change() -> None:
    # Of a metric that is no rate a bare "%" is relative; the tag says points.
    systems = ("ours", "base")
    parsed = parse_criterion("ours reduces loss by ≥ 5% (absolute) vs base", block_systems=systems)
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.mode, parsed.threshold, parsed.percent_scale) == (Mode.DIFFERENCE, 5.0, True)
    relative = parse_criterion("ours reduces loss by ≥ 5% vs base", block_systems=systems)
    assert isinstance(relative, Criterion) and relative.mode is Mode.RELATIVE


def test_a_reference_named_after_relative_is_not_a_tag() -> None:
    # "(relative to B)" names the reference; it is no tag of the number.
    parsed = parse_criterion(
        "MART 的 AUPRC 提高 ≥ 3%（相对于 relative-position only）",
        block_systems=_SYSTEMS,
        metrics=["AUPRC"],
    )
    assert isinstance(parsed, Criterion), parsed
    assert parsed.reference == "relative-position only", parsed
