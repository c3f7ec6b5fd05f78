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

__all__ = ["DERIVED", "parse_derived"]

#: A clause that starts with a quantity of two metrics and ends with its threshold.
DERIVED = lazy(
    r"^\(?\s*(?P<a>[a-z][\w.\[\]-]*?)\s*(?P<op>\s-\s|/|\sof\s|÷)\s*"
    r"(?P<b>[a-z][\w.\[\]-]*?)\s*\)?\s*(?P<rest>[<>≥≤=].*)$"
)


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
