"""
Criteria readings the r36 review left (session 35, h12B): a name with a dot or a hyphen after
"beats" or a comparator read whole, a model's name with digits a name, not a number, ...

Each expectation was written by reading the clause, not by running the parser.
"""

from __future__ import annotations

import pytest

from bridge.plan.criteria import Criterion, Unparsed, parse_criterion
from bridge.projections.reasons import in_language

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


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Method accuracy > gpt-4o", "the reference «gpt-4o» after '>'"),
        ("Method accuracy > gpt-3.5-turbo.", "the reference «gpt-3.5-turbo» after '>'"),
        ("gpt-4o accuracy > 0.8", "names «gpt-4o»"),
        ("Method accuracy > 0.8 with llama-3-8b", "names «llama-3-8b»"),
    ],
)
def test_a_model_name_with_digits_is_a_name(text: str, said: str) -> None:
    # Each was "a number without a comparison: '4'" (or '3'), which said nothing of the name.
    parsed = parse_criterion(text, block_systems=_SYSTEMS, metrics=_METRICS)
    assert isinstance(parsed, Unparsed), parsed
    assert parsed.reason.startswith(said), parsed.reason
    assert "is not a system of the block (Baseline; Method)" in parsed.reason
    assert "不是该实验块的系统" in in_language(parsed.reason, "zh")


def test_a_model_name_that_is_a_system_is_compared() -> None:
    parsed = parse_criterion(
        "Method accuracy > gpt-4o", block_systems=(*_SYSTEMS, "GPT-4o"), metrics=_METRICS
    )
    assert isinstance(parsed, Criterion), parsed
    assert (parsed.subject, parsed.reference, parsed.metric) == ("Method", "GPT-4o", "accuracy")


def test_top_1_is_still_a_metric_name() -> None:
    # Digits that end a hyphenated word ("top-1", "bleu-4") are no model's name.
    parsed = parse_criterion("top-1 accuracy > 0.8", block_systems=_SYSTEMS, metrics=())
    assert isinstance(parsed, Criterion), parsed
    assert parsed.threshold == 0.8
