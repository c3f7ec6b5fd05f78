"""
Which Metrics phrases name several metrics, so that no alias of one recorded name can stand for
them (the alias advice says so instead of offering one).
"""

from __future__ import annotations

import pytest

from bridge.projections.unmatched import _names_several


@pytest.mark.parametrize(
    ("phrase", "several"),
    [
        # 014's B3 (trial t9): another block's metrics plus more, advised as one alias's target.
        ("B2 metrics plus pixel-distribution shift summaries", True),
        ("Block 2 metrics", True),
        ("B2 的指标", True),
        # 039's B2.
        ("与完整 MART 的 paired ΔAUROC/ΔAUPRC", True),
        ("precision and recall", True),
        # One metric each: a unit, a name with a number, a metric's own plural.
        ("tokens/s", False),
        ("top-1 accuracy", False),
        ("F1 metrics", False),
        ("success rate", False),
    ],
)
def test_a_phrase_naming_several_metrics_is_told_apart(phrase: str, several: bool) -> None:
    assert _names_several(phrase) is several
