"""
A clause on a quantity two recorded metrics give: ``(a − b) ≥ 0.1``, ``a / b ≥ 0.9``,
``a of b ≥ 90%``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bridge.lazy_patterns import lazy
from bridge.plan.criteria.lexicon import (
    POST,
    PREFIX,
    THRESHOLD,
    UNIT,
    Unit,
)
from bridge.plan.criteria.model import (
    Criterion,
    Derived,
    DerivedOp,
    Mode,
    Unparsed,
)
from bridge.plan.criteria.phrases import original_spelling

__all__ = ["DERIVED", "RATE_NAME", "names_a_rate", "parse_derived"]

#: A clause that starts with a quantity of two metrics and ends with its threshold.
DERIVED = lazy(
    r"^\(?\s*(?P<a>[a-z][\w.\[\]-]*?)\s*(?P<op>\s-\s|/|\sof\s|÷)\s*"
    r"(?P<b>[a-z][\w.\[\]-]*?)\s*\)?\s*(?P<rest>[<>≥≤=].*)$"
)

# What a rate's name divides by: a unit of time, or one of a counted thing ("tokens/s",
# "samples/sec", "ms/token", "it/s"). A quotient of two recorded metrics divides by another
# metric ("hits / total"), never by one of these.
_PER_UNIT = frozenset(
    {"s", "sec", "secs", "second", "ms", "us", "min", "mins", "minute", "h", "hr", "hrs",
     "hour", "day", "token", "tok", "sample", "step", "iter", "it", "epoch", "image", "img",
     "query", "request", "req"}
)  # fmt: skip

#: A rate's name written with its slash inside a clause ("online predictor tokens/s ≥ 1.1 ×
#: GPU-only"): one metric, whatever else the clause says.
RATE_NAME = lazy(
    r"(?<![\w⟨⟩(/.-])[a-z][a-z0-9-]*/(?:"
    + "|".join(sorted(_PER_UNIT, key=len, reverse=True))
    + r")(?![\w⟨⟩)/.-])"
)


def names_a_rate(match: re.Match[str]) -> bool:
    """
    Whether the ``a / b`` that :data:`DERIVED` matched is one metric's name, a rate per a
    unit ("tokens/s ≥ 30" names the recorded ``tokens/s``), not ``a`` divided by a metric
    ``b``: read as a quotient, both sides matched the recorded ``tokens/s`` and 40 tokens/s was
    judged as 40 / 40 = 1, "not met" (017's B5, trial h40C).
    """
    return match.group("op").strip() == "/" and match.group("b").lower() in _PER_UNIT


def parse_derived(text: str, match: re.Match[str], metrics: Sequence[str]) -> Criterion | Unparsed:
    """
    A clause on a quantity two recorded metrics give: ``(a − b) ≥ 0.1``, ``a / b ≥ 0.9``,
    ``a of b ≥ 90%``.
    """
    rest = re.sub(r"\babs(?:olute)?\b", "", match.group("rest")).strip()
    found = THRESHOLD.fullmatch(rest)
    if found is None or found.group("pre") is None:
        return Unparsed(
            text=text, reason=f"a derived quantity with an unreadable threshold: {rest!r}"
        )
    comparison, _ = PREFIX[found.group("pre")]
    if found.group("post"):
        comparison = POST[found.group("post")]
    unit = UNIT[found.group("unit")] if found.group("unit") else Unit.NONE
    if unit in (Unit.RATIO, Unit.RELATIVE):
        return Unparsed(text=text, reason="a derived quantity with a ratio unit")
    op_text = match.group("op").strip()
    op = {"-": DerivedOp.DIFFERENCE, "/": DerivedOp.RATIO, "÷": DerivedOp.RATIO}.get(
        op_text, DerivedOp.SHARE
    )
    derived = Derived(
        op=op,
        left=original_spelling(match.group("a"), text),
        right=original_spelling(match.group("b"), text),
    )
    return Criterion(
        text=text,
        metric=derived.describe(),
        comparison=comparison,
        threshold=float(found.group("num")),
        mode=Mode.ABSOLUTE,
        percent_scale=unit in (Unit.PERCENT, Unit.POINTS),
        derived=derived,
        notes=(f"computed from two recorded metrics: {derived.describe()}",),
    )
