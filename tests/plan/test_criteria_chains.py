"""
A chain of systems ordered by a metric (001's B2 "clear ordering (Gate < FiLM < Basis)", "A < B <
C < D", 034's "tuned-lens > logit-lens > random-affine on correlation with length") is read as
the comparison of each two neighbours on the chain's metric. Before, a chain of four kept its
first comparison only (the rest dropped without a word), one in brackets after words was cut
at the bracket, its metric stayed with the last name, and 001's short names ("Gate" of
"DepthGate") named no system, so B2's ordering was "not machine-checkable".

Each expectation was written by reading the clause, not by running the parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.cli import main
from bridge.plan.criteria import Compound, Criterion, Orientation, Unparsed, parse_criterion
from tests.conftest import needs_shared
from tests.plan.corpus import as_project


def _pairs(
    text: str, systems: tuple[str, ...], metrics: tuple[str, ...] = ()
) -> list[tuple[str | None, str | None, str | None, Orientation | None, str | None]]:
    parsed = parse_criterion(text, block_systems=systems, metrics=metrics)
    assert isinstance(parsed, Compound), parsed
    assert all(isinstance(c, Criterion) for c in parsed.clauses), parsed
    return [
        (c.subject, c.reference, c.metric, c.orientation, c.margin_in_words)
        for c in parsed.clauses
        if isinstance(c, Criterion)
    ]


def test_a_chain_of_four_reads_every_neighbour() -> None:
    systems = ("A", "B", "C", "D")
    lower = Orientation.LOWER
    assert _pairs("A < B < C < D", systems) == [
        ("A", "B", None, lower, None),
        ("B", "C", None, lower, None),
        ("C", "D", None, lower, None),
    ]


def test_a_chain_in_brackets_takes_the_words_before_it() -> None:
    systems = ("Gate", "FiLM", "Basis")
    assert _pairs("clear ordering (Gate < FiLM < Basis)", systems) == [
        ("Gate", "FiLM", None, Orientation.LOWER, "clear"),
        ("FiLM", "Basis", None, Orientation.LOWER, "clear"),
    ]


def test_the_metric_after_the_last_name_is_every_pair_s() -> None:
    # 034's A1 "Predict:" line, as a criterion.
    systems = ("tuned-lens", "logit-lens", "random-affine")
    text = "tuned-lens > logit-lens > random-affine on correlation with length"
    metric = "correlation with length"
    assert _pairs(text, systems, (metric,)) == [
        ("tuned-lens", "logit-lens", metric, Orientation.HIGHER, None),
        ("logit-lens", "random-affine", metric, Orientation.HIGHER, None),
    ]
    # 034's A1 has no Metrics line: the words after "on" name it, "with" kept between them
    # (read 'correlation length', it matched no recorded correlation_with_length; h41C F17).
    assert [m for _, _, m, _, _ in _pairs(text, systems)] == [metric, metric]


def test_a_range_is_no_chain() -> None:
    # Numbers are no systems: read as a chain, "0.5 < accuracy" would compare two systems.
    parsed = parse_criterion("0.5 < accuracy < 0.9", block_systems=("A",), metrics=("accuracy",))
    assert parsed == Unparsed(
        text="0.5 < accuracy < 0.9", reason="a number without a comparison: '0.5'"
    )


@needs_shared
def test_001_b2_reads_the_ordering(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = as_project("001", tmp_path / "p001")
    assert main(["plan", "--project", str(project)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    # Was "1. not machine-checkable: a margin without a number ('clear')".
    assert (
        "1. E3: DepthGate (from Block 1) vs E4: DepthFiLM r=102 + rank-space FiLM: primary "
        "metric gain (lower) > 0, by a margin stated only in words ('clear')"
    ) in out, out
    assert (
        "2. E4: DepthFiLM r=102 + rank-space FiLM vs E5: DepthBasis K=6, r=16, "
        "adapter-output mixing: primary metric gain (lower) > 0, by a margin stated only in "
        "words ('clear')"
    ) in out, out
    assert "met when one part is met: clauses 1, 2 | 3, 4, 5" in out, out


@pytest.mark.parametrize("text", ["A > B, C", "A > B and C", "A > B, C on accuracy", "A ≥ B & C"])
def test_a_symbol_over_a_list_of_systems_reads_each(text: str) -> None:
    """«A > B, C» and «A > B and C» were read as A > B alone: with C (0.95) above A (0.9),
    the criterion read met on B (review h43R3, item 4). The symbol form is distributed over its
    systems as "beats B, C" is, and judged not met on C."""
    from tests.plan.judged import judged

    systems = ("A", "B", "C")
    parsed = parse_criterion(text, block_systems=systems, metrics=("accuracy",))
    assert [r for _, r, *_ in _pairs(text, systems, ("accuracy",))] == ["B", "C"], parsed
    values = {("A", "accuracy"): 0.9, ("B", "accuracy"): 0.8, ("C", "accuracy"): 0.95}
    verdict = judged(parsed, values, reference="B", candidate="A", systems=systems)
    assert verdict.verdict.value == "not_met", verdict.reason


@pytest.mark.parametrize("text", ["accuracy > 0.8 and 0.9", "accuracy > 0.8, 0.9"])
def test_a_symbol_before_numbers_is_no_list_of_systems(text: str) -> None:
    """Numbers after the symbol are no systems to distribute over."""
    parsed = parse_criterion(text, block_systems=("A", "B"), metrics=("accuracy",))
    assert not (isinstance(parsed, Compound) and any("per system" in n for n in parsed.notes))


@pytest.mark.parametrize("text", ["A ≥ B and C by 2 points", "A > B, C by 2 points on accuracy"])
def test_a_symbol_over_a_list_with_a_margin_gives_it_each(text: str) -> None:
    """«A ≥ B and C by 2 points» was read as A ≥ B by 2 alone; the margin is each system's, as
    in «A outperforms B and C by 2 points»: with A 2.5 points above B but below C, not met."""
    from tests.plan.judged import judged

    systems = ("A", "B", "C")
    parsed = parse_criterion(text, block_systems=systems, metrics=("accuracy",))
    assert [r for _, r, *_ in _pairs(text, systems, ("accuracy",))] == ["B", "C"], parsed
    values = {("A", "accuracy"): 0.9, ("B", "accuracy"): 0.875, ("C", "accuracy"): 0.95}
    verdict = judged(parsed, values, reference="B", candidate="A", systems=systems)
    assert verdict.verdict.value == "not_met", verdict.reason


def test_a_lower_symbol_over_a_list_of_systems_reads_each() -> None:
    """«A < B, C on loss» was read as A < B alone, as «A > B, C» was: with C's loss below A's,
    not met."""
    from tests.plan.judged import judged

    systems = ("A", "B", "C")
    text = "A < B, C on loss"
    parsed = parse_criterion(text, block_systems=systems, metrics=("loss",))
    assert [r for _, r, *_ in _pairs(text, systems, ("loss",))] == ["B", "C"], parsed
    values = {("A", "loss"): 0.2, ("B", "loss"): 0.3, ("C", "loss"): 0.1}
    verdict = judged(
        parsed,
        values,
        reference="B",
        candidate="A",
        systems=systems,
        primary="loss",
        lower_is_better={"loss": True},
    )
    assert verdict.verdict.value == "not_met", verdict.reason
