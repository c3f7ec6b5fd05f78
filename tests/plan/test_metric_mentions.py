"""
Which recorded metric names the plan's text mentions (``mentioned_in``): what makes a NaN in
them block rather than be a note.
"""

from __future__ import annotations

import pytest

from bridge.plan.metric_names import mentioned_in

TEXTS = [
    "A2 必须对 A3 的 endpoint/fullpose pre-clamp FK p95 改善至少 10%",
    "beat `baseline3_1_unk` on chrF++ without increasing contamination",
    "bounded head improves NLL_high_DTU beyond per-gene head",
    "准确率提升 2 个点",
    "Mean, std of PCA angle",
]


@pytest.mark.parametrize(
    "name",
    [
        "fk_p95",
        "FK-P95",
        "chrF++",
        "NLL_high_DTU",
        "eval.nll_high_dtu",
        "准确率",
        "x.chrf++[full]",
        # By a spelling the judge takes for the same metric: "准确率" is accuracy (trial T7).
        "accuracy",
        "eval.acc",
    ],
)
def test_names_the_plan_writes_are_mentioned(name: str) -> None:
    assert mentioned_in([name], TEXTS) == {name}


@pytest.mark.parametrize(
    "name",
    [
        "fk_p9",  # a word cut short
        "chrF",  # "chrF++" is another metric
        "fk_p99",
        "config.contamination",  # a setting, whatever its name
        "a",  # one character
        "dtu_high",  # the same words in another order
        "std",  # a statistic alone: a script's NaN for one seed (033's "Mean, std of …")
        "eval.mean",
        "recall",  # a synonym of no word the texts write
    ],
)
def test_other_names_are_not(name: str) -> None:
    assert mentioned_in([name], TEXTS) == frozenset()


@pytest.mark.parametrize(
    ("name", "other", "apart"),
    [
        # 012's rows «full, high-DTU, stable NLL»: what tells each from the lead `full NLL`.
        ("high-DTU NLL", "full NLL", "high dtu"),
        ("stable_nll", "full_nll", "stable"),
        ("high_dtu_nll", "", "high dtu nll"),
        # One word at least, however much they share.
        ("NLL", "full NLL", "nll"),
        ("accuracy", "loss", "accuracy"),
    ],
)
def test_the_words_that_tell_a_metric_apart(name: str, other: str, apart: str) -> None:
    """What `bridge plan`'s warning and the judge both search a criterion's words for, to tell
    that they speak of another metric the rows list (one rule, not two copies)."""
    from bridge.plan.metric_names import words_apart

    assert words_apart(name, other) == apart
