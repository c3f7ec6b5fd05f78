"""
A clause that names its metric in words bridge does not know («… 的 endpoint/fullpose pre-clamp
FK p95 改善至少 10%», 027's B3) was read on the block's primary metric, and its "%" as
percentage points of it ("primary metric gain (better) ≥ 10 pp"): the metric is the words it
names, and "at least 10%" of a metric that is no rate a relative gain, as "improves X by at
least 10%" is read of a metric bridge knows.

Each expectation was written by reading the clause, not by running the parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from bridge.cli.plan_view import render_blocks
from bridge.plan import load_project
from bridge.plan.criteria import Compound, Criterion, Mode, Orientation, parse_criterion
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

# 027's B3 runs' systems (the block lists none; its blocked runs name them).
_SYSTEMS = ("A2 + mixed control", "A3 + mixed control", "A4 + mixed control")


def _read(text: str) -> Criterion:
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=())
    assert isinstance(parsed, Criterion), parsed
    return parsed


def test_027_b3s_clause_is_read_on_the_metric_it_names_as_a_relative_gain() -> None:
    parsed = parse_criterion(
        "A2 必须分别对 A3 和 A4 的 endpoint/fullpose pre-clamp FK p95 改善至少 10%",
        block_systems=_SYSTEMS,
        metrics=(),
    )
    assert isinstance(parsed, Compound), parsed
    for clause, reference in zip(parsed.clauses, _SYSTEMS[1:], strict=True):
        assert isinstance(clause, Criterion), clause
        assert (clause.subject, clause.reference) == (_SYSTEMS[0], reference)
        assert clause.metric == "endpoint/fullpose pre-clamp FK p95"
        assert (clause.mode, clause.threshold, clause.percent_scale) == (Mode.RELATIVE, 10.0, False)
        assert not clause.percent_of_primary


@pytest.mark.parametrize(
    ("text", "metric", "threshold", "orientation"),
    [
        (
            "A2 相比 A3 的 endpoint/fullpose pre-clamp FK p95 改善 10% 以上",
            "endpoint/fullpose pre-clamp FK p95",
            10.0,
            Orientation.BETTER,
        ),
        ("A2 相比 A3 的 FK p95 至少降低 20%", "FK p95", 20.0, Orientation.LOWER),
        ("A2 相比 A3 的 FK p95 提升 10%以上", "FK p95", 10.0, Orientation.BETTER),
        ("A2 improves FK p95 by at least 10% over A3", "FK p95", 10.0, Orientation.BETTER),
    ],
)
def test_other_ways_of_saying_it_read_the_same(
    text: str, metric: str, threshold: float, orientation: Orientation
) -> None:
    # The direction in the threshold's words («至少降低», «提升 … 以上») or before the name
    # ("improves FK p95 by"): the words before the number are the metric; they were "primary
    # metric … pp".
    parsed = _read(text)
    assert (parsed.metric, parsed.orientation) == (metric, orientation)
    assert (parsed.mode, parsed.threshold, parsed.percent_scale) == (
        Mode.RELATIVE,
        threshold,
        False,
    )
    assert (parsed.subject, parsed.reference) == _SYSTEMS[:2]


@pytest.mark.parametrize(
    "text",
    [
        "A2 scores at least 2% above A3",
        "A2 stays ≥ 2% above A3",
        "A2 holds a margin ≥ 2% over A3",
        "A2 相比 A3 改善至少 10%",
    ],
)
def test_a_verb_before_the_number_names_no_metric(text: str) -> None:
    # Only words after «的» or after a direction word ("improves FK p95 by") name the metric:
    # "scores", "stays" would be looked for in the runs and the clause left open.
    assert _read(text).metric is None


def test_points_stay_points() -> None:
    parsed = _read("A2 相比 A3 的 FK p95 降低至少 10 个百分点")
    assert (parsed.metric, parsed.mode, parsed.threshold, parsed.percent_scale) == (
        "FK p95",
        Mode.DIFFERENCE,
        10.0,
        True,
    )


def _blocks(name: str, root: Path) -> str:
    console = Console(width=400, record=True)
    console.print(render_blocks(load_project(as_project(name, root)), language="en"))
    return console.export_text()


@needs_shared
def test_027_b3_is_previewed_on_fk_p95_relative(tmp_path: Path) -> None:
    b3 = _blocks("027", tmp_path).split("B3: Short Control Curriculum")[1].split("B4: ")[0]
    for n, reference in ((1, "A3"), (2, "A4")):
        assert (
            f" {n}. A2 + mixed control vs {reference} + mixed control: endpoint/fullpose "
            "pre-clamp FK p95 relative gain (better) ≥ 10%"
        ) in b3, b3
    assert "primary metric" not in b3.split(" 3. ")[0], b3


@needs_shared
def test_001_b2s_within_one_point_stays_on_the_primary_metric(tmp_path: Path) -> None:
    # «clear equivalence (all within 1 point)» is rewritten "E3 changes by ≤ 1 vs E4": the
    # verb is no metric's name (a first try read "changes difference (either way) ≤ 1 pp").
    b2 = _blocks("001", tmp_path).split("B2: ")[1].split("B3: ")[0]
    assert "DepthFiLM r=102 + rank-space FiLM: primary metric difference (either way) ≤ 1 pp" in b2
    assert "changes difference" not in b2


@needs_shared
def test_an_alias_is_no_part_of_a_longer_word() -> None:
    """An alias name is a part of the metric a clause names only as whole words of it: "net"
    of 033's E1 «CrackerBox net ≥ +3» (read without the alias, trial h18E), but not "acc" of
    011's B4 «Human-evaluated difficulty accuracy higher …», which the alias "acc" spells (a
    substring test read it without the alias written for it)."""
    from bridge.plan import load_plan
    from bridge.plan.criteria import parse_with_aliases
    from tests.plan.corpus import corpus

    def metrics(plan: str, block: str, alias: str, drop: str = "") -> list[str | None]:
        found = next(
            b for b in load_plan(corpus(plan) / "EXPERIMENT_PLAN.md").blocks if b.id == block
        )
        parsed = parse_with_aliases(
            found.success_criterion.replace(drop, ""), metrics=found.metrics, aliased=(alias,)
        )
        assert isinstance(parsed, Compound), parsed
        return [c.metric if isinstance(c, Criterion) else None for c in parsed.clauses]

    # "for reranked" names no system of B4, which leaves the clause unread (trial h42B, F5).
    assert metrics("011", "B4", "acc") == [None, None]
    assert metrics("011", "B4", "acc", drop=" for reranked")[0] == "acc"
    assert metrics("033", "E1", "net") == ["Scissors net", "CrackerBox net", "Aggregate net"]
