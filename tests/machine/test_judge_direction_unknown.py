"""
A metric whose better way nothing says (no word of the criterion, no ``[metrics]
higher_is_better``, no name bridge knows, no agreeing words of the plan): a gain the better way
of it is open, naming the bridge.toml line to add; a gain whose way the criterion's own words
give ("reduces", "lower", «降低», "<") is judged that way. It was taken as higher-is-better
behind a firm verdict ("Ours improves Vpk over B" met, "improves pos_rms" not met).
"""

from __future__ import annotations

import pytest

from bridge.machine.judge import Verdict, VerdictKind
from bridge.plan.criteria import parse_criterion
from tests.plan.judged import judged

OURS, BASE = "Ours", "B"


def _verdict(
    text: str, metric: str, ours: float, base: float, lower_is_better: dict[str, bool] | None = None
) -> Verdict:
    """``text`` judged on one run of Ours and one of B recording ``metric``."""
    parsed = parse_criterion(text, block_systems=[OURS, BASE], metrics=[metric])
    return judged(
        parsed,
        {(OURS, metric): ours, (BASE, metric): base},
        reference=BASE,
        candidate=OURS,
        systems=[OURS, BASE],
        primary=metric,
        lower_is_better=lower_is_better,
    )


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("Ours improves Vpk over B by at least 0.1", "Vpk"),
        ("Ours outperforms B on Vpk", "Vpk"),
        ("Ours improves pos_rms over B", "pos_rms"),
        ("Ours 的 Vpk 优于 B", "Vpk"),
        ("Ours beats B on sigma_x by at least 5%", "sigma_x"),
        # Per second but no work done, and a distance built on a correlation (review h43R2:
        # both read met on the larger value).
        ("Ours improves cost_per_second over B", "cost_per_second"),
        ("Ours improves spearman_footrule over B", "spearman_footrule"),
    ],
)
def test_a_gain_the_better_way_of_an_unknown_metric_is_open(text: str, metric: str) -> None:
    """Open whichever way the numbers go, with the line to add."""
    for ours, base in ((1.0, 0.5), (0.5, 1.0)):
        v = _verdict(text, metric, ours, base)
        assert v.verdict is VerdictKind.INCONCLUSIVE, (text, v.reason)
        assert v.reason.endswith(
            f"{metric}: which way is better is not known (the criterion's words do not say, nor "
            "does bridge.toml, and bridge does not know the metric): set [metrics] "
            f'higher_is_better = {{ "{metric}" = true }} (or false) in bridge.toml'
        ), v.reason


@pytest.mark.parametrize("lower", [True, False])
def test_a_direction_set_in_bridge_toml_is_judged(lower: bool) -> None:
    """With the line added, the same clause is judged the way it says."""
    v = _verdict("Ours improves Vpk over B", "Vpk", 0.5, 1.0, lower_is_better={"Vpk": lower})
    assert v.verdict is (VerdictKind.MET if lower else VerdictKind.NOT_MET), v.reason


@pytest.mark.parametrize(
    "text",
    [
        "Ours reduces sigma_x relative to B by at least 10%",
        "Ours has lower sigma_x than B",
        "Ours sigma_x < B",
        "Ours 相比 B 降低 sigma_x 至少 10%",
    ],
)
def test_the_criterions_own_direction_word_is_judged(text: str) -> None:
    """ "reduces", "lower", '<', «降低» say which way: judged, counted as a drop."""
    met = _verdict(text, "sigma_x", 0.5, 1.0)
    assert met.verdict is VerdictKind.MET, met.reason
    assert "counted as a drop" in met.reason
    assert _verdict(text, "sigma_x", 1.0, 0.5).verdict is VerdictKind.NOT_MET


@pytest.mark.parametrize(
    ("metric", "ours", "base"),
    [("accuracy", 0.9, 0.8), ("loss", 0.5, 0.6), ("latency", 10.0, 12.0), ("F1", 0.7, 0.6),
     ("AUROC", 0.9, 0.8), ("perplexity", 9.0, 10.0), ("BLEU", 30.0, 28.0), ("error", 0.1, 0.2),
     ("nDCG@10", 0.5, 0.4)],
)  # fmt: skip
def test_a_common_metric_keeps_its_direction(metric: str, ours: float, base: float) -> None:
    """ "outperforms" of a metric bridge knows is judged its known way."""
    v = _verdict(f"Ours outperforms B on {metric}", metric, ours, base)
    assert v.verdict is VerdictKind.MET, v.reason
    assert _verdict(f"Ours outperforms B on {metric}", metric, base, ours).verdict is (
        VerdictKind.NOT_MET
    )


def test_an_absolute_level_needs_no_direction() -> None:
    """ "Vpk ≥ 0.8" is a level as written: judged."""
    assert _verdict("Vpk ≥ 0.8", "Vpk", 1.0, 0.5).verdict is VerdictKind.MET


@pytest.mark.parametrize(
    ("metric", "lower", "ours", "base", "met"),
    [("sigma_x", True, 1.2, 1.0, False), ("sigma_x", True, 1.05, 1.0, True),
     ("sigma_x", True, 0.5, 1.0, True), ("Vpk", False, 0.85, 1.0, False),
     ("Vpk", False, 0.95, 1.0, True), ("loss", None, 1.2, 1.0, False),
     ("accuracy", None, 0.85, 1.0, False), ("accuracy", None, 0.95, 1.0, True)],
)  # fmt: skip
def test_no_more_than_a_margin_worse_is_read_in_the_metrics_own_way(
    metric: str, lower: bool | None, ours: float, base: float, met: bool
) -> None:
    """ "Ours sigma_x no more than 0.1 worse than B": worse was guessed from the names alone at
    parse time (a drop, for a name bridge does not know), so with bridge.toml saying sigma_x is
    better lower a rise of 0.2 met it. It is the way bridge.toml or the names say."""
    text = f"Ours {metric} no more than 0.1 worse than B"
    v = _verdict(text, metric, ours, base, None if lower is None else {metric: lower})
    assert v.verdict is (VerdictKind.MET if met else VerdictKind.NOT_MET), v.reason


def test_no_more_than_a_margin_worse_of_an_unknown_metric_is_open() -> None:
    """With nothing to say which way is worse: open, with the line to add."""
    v = _verdict("Ours Vpk no more than 0.1 worse than B", "Vpk", 0.95, 1.0)
    assert v.verdict is VerdictKind.INCONCLUSIVE, v.reason
    assert v.reason == (
        'Vpk: which way is worse is not known: set [metrics] higher_is_better = { "Vpk" = true } '
        "(or false) in bridge.toml"
    )
