"""
A reference carried from one clause of a criterion to the next, and where it is not (h43B):
a later clause that names no system it is measured from fell back to the block's baseline
though an earlier clause named another; "… by 0.02 accuracy, and latency by 5 ms" was
distributed as if "latency" were a system; «在 FedAvg 的基础上» before a level was refused.

Each expectation was written by reading the clause, not by running the parser.
"""

from __future__ import annotations

from bridge.machine.judge import VerdictKind
from bridge.plan.criteria import Compound, Criterion, Mode, Unparsed, parse_criterion
from tests.plan.judged import judged

_SYSTEMS = ["Ours", "FedAvg", "Base"]
_METRICS = ["accuracy", "latency_ms"]
# FedAvg is what the criteria compare with; Base, the block's baseline, is another system. On
# accuracy Ours leads both; on latency Ours is 10 ms faster than Base but 2 ms faster than
# FedAvg, so a clause judged against the baseline is met where against FedAvg it is not.
_VALUES = {
    ("Ours", "accuracy"): 0.93,
    ("FedAvg", "accuracy"): 0.90,
    ("Base", "accuracy"): 0.80,
    ("Ours", "latency_ms"): 50.0,
    ("FedAvg", "latency_ms"): 52.0,
    ("Base", "latency_ms"): 60.0,
}


def _parsed(text: str) -> Criterion | Unparsed | Compound:
    return parse_criterion(text, block_systems=_SYSTEMS, metrics=_METRICS)


def _verdict(parsed: Criterion | Unparsed | Compound) -> VerdictKind:
    return judged(
        parsed, _VALUES, reference="Base", candidate="Ours", systems=_SYSTEMS
    ).verdict


def test_a_plain_margin_after_and_is_the_comparison_again_on_that_metric() -> None:
    # Distributed as a list of systems, "FedAvg by 0.02 accuracy" and "latency" were two
    # systems beaten by 5 ms: one clause with two thresholds (open) and «Ours beats latency by
    # 5 ms» judged against the block's baseline, met at 10 ms faster than Base.
    for text in (
        "Ours beats FedAvg by 0.02 accuracy, and latency by 5 ms",
        "Ours beats FedAvg by 0.02 accuracy and latency by 5 ms",
        "Ours beats FedAvg on accuracy by 0.02, and latency by 5 ms",
    ):
        parsed = _parsed(text)
        assert isinstance(parsed, Compound), (text, parsed)
        accuracy, latency = parsed.clauses
        assert isinstance(accuracy, Criterion) and isinstance(latency, Criterion), parsed
        assert (accuracy.subject, accuracy.reference, accuracy.threshold) == (
            "Ours",
            "FedAvg",
            0.02,
        )
        assert (latency.subject, latency.reference, latency.metric, latency.threshold) == (
            "Ours",
            "FedAvg",
            "latency",
            5.0,
        ), latency
        assert latency.mode is Mode.DIFFERENCE
        # 2 ms faster than FedAvg: not the 5 ms asked.
        assert _verdict(parsed) is VerdictKind.NOT_MET, text
    # A second system with its margin is that system beaten, as before.
    systems = _parsed("Ours beats FedAvg by 0.02 accuracy, and Base by 0.03 accuracy")
    assert isinstance(systems, Compound), systems
    assert [
        (c.subject, c.reference, c.threshold)
        for c in systems.clauses
        if isinstance(c, Criterion)
    ] == [("Ours", "FedAvg", 0.02), ("Ours", "Base", 0.03)]
