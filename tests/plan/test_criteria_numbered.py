"""
Systems a criterion names by number ("variant 3 improves … beyond variant 2", 012's B2): read
as the block's system that carries the number as its label, when exactly one does; otherwise
declined, saying how to name them. Expectations written from the wording, not the parser.
"""

from __future__ import annotations

import pytest

from bridge.plan.criteria import Criterion, Unparsed, parse_criterion
from bridge.plan.criteria.model import Mode, Orientation
from bridge.projections.reasons import in_language

_TEXT = "variant 3 improves accuracy beyond variant 2, not merely beyond the baseline."


@pytest.mark.parametrize(
    ("second", "third"),
    [
        ("Variant 2: per-gene macro", "Variant 3: bounded DTU"),
        ("per-gene macro (variant 2)", "bounded DTU (variant 3)"),
        ("V2 per-gene macro", "V3 bounded DTU"),
        ("2. per-gene macro", "3. bounded DTU"),
    ],
)
def test_a_number_one_system_is_labelled_with_names_it(second: str, third: str) -> None:
    parsed = parse_criterion(
        _TEXT, block_systems=("molecule-weighted", second, third), metrics=["accuracy"]
    )
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.subject, parsed.reference, parsed.mode, parsed.orientation) == (
        third,
        second,
        Mode.DIFFERENCE,
        Orientation.BETTER,
    )
    assert parsed.metric == "accuracy"
    assert any("'variant 3' read as" in n for n in parsed.notes), parsed.notes


@pytest.mark.parametrize(
    "systems",
    [
        # No system carries the numbers (012's own runs).
        ("global molecule-weighted dynamic head", "per-gene macro dynamic head"),
        # Two carry "3": which one is meant cannot be told.
        ("variant 3a: x (variant 3)", "3. variant 3 y", "variant 2"),
        # "A3" is no label of "arm 3": an ablation's as often.
        ("A2 per-gene macro", "A3 bounded DTU"),
    ],
)
def test_a_number_no_single_system_carries_is_declined(systems: tuple[str, ...]) -> None:
    text = _TEXT.replace("variant", "arm") if systems[0].startswith("A2") else _TEXT
    parsed = parse_criterion(text, block_systems=systems, metrics=["accuracy"])
    assert isinstance(parsed, Unparsed), parsed
    assert parsed.reason.startswith("names systems by number"), parsed.reason


def test_the_refusal_says_what_to_write_in_bridge_toml() -> None:
    parsed = parse_criterion(_TEXT, block_systems=("CIS", "Full"))
    assert isinstance(parsed, Unparsed), parsed
    assert parsed.reason.endswith(
        "where the block lists no Compared systems, give a run's system that name in "
        'bridge.toml: `[systems."<its system>"] aliases = ["variant 3"]`'
    ), parsed.reason
    assert in_language(parsed.reason, "zh").endswith(
        '于 bridge.toml 中把该名称设为某个运行系统的别名：`[systems."<运行的系统>"] '
        'aliases = ["variant 3"]`'
    )
