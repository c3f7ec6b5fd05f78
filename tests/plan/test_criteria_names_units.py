"""
Criteria readings the r36 review left (session 35, h12B): a name with a dot or a hyphen after
"beats" read whole, ...

Each expectation was written by reading the clause, not by running the parser.
"""

from __future__ import annotations

import pytest

from bridge.plan.criteria import Criterion, Unparsed, parse_criterion

_SYSTEMS = ("Baseline", "Method")
_METRICS = ("accuracy", "latency")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Method beats ckpt_0.5 by 2 points", "ckpt_0.5"),
        ("Method beats `ckpt_0.5` by 2 points", "ckpt_0.5"),
        ("Method beats ckpt_0.5 on accuracy.", "ckpt_0.5"),
        ("Method outperforms v1.2", "v1.2"),
        ("Method beats gpt-4o by 2 points", "gpt-4o"),
    ],
)
def test_a_dotted_name_after_beats_is_one_reference(text: str, name: str) -> None:
    # "beats ckpt_0.5 by 2 points" was the metric 'ckpt_0' against the block's baseline.
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=_METRICS)
    assert isinstance(parsed, Unparsed), parsed
    assert f"the reference «{name}» after" in parsed.reason
    assert "not a system of the block" in parsed.reason


def test_a_dotted_name_that_is_a_system_is_the_reference() -> None:
    parsed = parse_criterion(
        "Method beats ckpt_0.5 by 2 points on accuracy",
        block_systems=(*_SYSTEMS, "ckpt_0.5"),
        metrics=_METRICS,
    )
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.reference, parsed.metric, parsed.threshold) == ("ckpt_0.5", "accuracy", 2.0)


def test_a_dotted_name_with_no_systems_listed_is_the_reference() -> None:
    parsed = parse_criterion("Method beats ckpt_0.5 by 2 points on accuracy", metrics=_METRICS)
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.reference, parsed.metric, parsed.threshold) == ("ckpt_0.5", "accuracy", 2.0)
