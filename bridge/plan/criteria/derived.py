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
from bridge.plan.metric_names import metric_key

__all__ = [
    "DERIVED",
    "RATE_NAME",
    "count_held_to_a_percent",
    "counts_averaged_to_a_percent",
    "derived_of_names",
    "metric_of_a_subset",
    "names_a_count",
    "names_a_rate",
    "parse_derived",
]

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
    # Longest first, then by name: a set's order changes from process to process, and the
    # pattern's text is its key in the compile cache (tests/test_compile_cache.py).
    + "|".join(sorted(_PER_UNIT, key=lambda unit: (-len(unit), unit)))
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


# The same with names of several words (009's B1 reworded as `bridge plan` advises, «covered
# tasks of observed tasks ≥ 95%»; "full MRR - compact MRR ≥ 0.05"): read by the words, the first
# name matched a metric and the rest was dropped, so a count of 1790 "met ≥ 95%" and MRR 0.38 met
# "≥ 0.05" whatever the difference. A "/" or "-" between names has spaces round it ("compact/full
# card length" is one name).
_NAME = r"[a-z][\w.@\[\]-]*(?:\s+[a-z0-9][\w.@\[\]-]*){0,5}"
_DERIVED_NAMES = lazy(
    rf"^\(?\s*(?P<a>{_NAME})(?P<op>\s+(?:/|-|÷|of)\s+|\s*÷\s*)"
    rf"(?P<b>{_NAME})\s*\)?\s*(?P<rest>[<>≥≤=].*)$"
)
# Words that make a name a count of things, the first name of a share ("covered tasks of
# observed tasks", "hits of total").
_COUNT_WORDS = frozenset(
    {"tasks", "hits", "count", "counts", "items", "samples", "cases", "examples", "successes",
     "errors", "failures", "queries", "calls", "instances", "matches", "runs", "n", "num"}
)  # fmt: skip
# Words no metric's name holds: they make the words round them a sentence, not two names.
_NOT_NAME_WORDS = frozenset(
    {
        "than", "vs", "versus", "over", "against", "by", "at", "least", "most", "on", "in",
        "for", "with", "without", "and", "or", "is", "are", "be", "must", "should", "stays",
        "remains", "when", "if", "across", "per", "each", "every", "both", "all", "of", "to",
        "from", "improves", "beats", "reduces", "increases", "drops", "not", "no",
    }
)  # fmt: skip
# Words that open a thing, not a metric, after "of" ("accuracy of the model ≥ 0.9").
_DETERMINERS = frozenset({"the", "a", "an", "our", "its", "their", "this", "that", "any"})
# Words that make what follows "of" the data a metric is taken on ("accuracy of test set").
_DATA_WORDS = frozenset({"set", "split", "data", "dataset", "benchmark", "subset"})


def derived_of_names(
    norm: str, metrics: Sequence[str], systems: Sequence[str]
) -> re.Match[str] | None:
    """
    The match of a quantity of two names of several words each (``a / b``, ``a - b``, ``a ÷
    b``, ``a of b``) that ``norm`` (a normalised clause) opens with and ends with its threshold,
    for :func:`parse_derived`; ``None`` where the words are no such quantity: a name holding a
    word that makes a sentence ("than", "on", …), a "/" that a metric of the plan (``metrics``)
    holds, a system of the block (``systems``) as either name, or an "of" whose second part is
    a thing or data ("of the model", "of test set") or whose threshold is no share (a number
    above 1, not a percent).
    """
    found = _DERIVED_NAMES.match(norm)
    if found is None:
        return None
    a, b, op = found["a"], found["b"], found["op"].strip()
    if any(w in _NOT_NAME_WORDS for w in (*a.split(), *b.split())):
        return None
    if op == "/" and any("/" in m and m.casefold() in norm for m in metrics):
        return None
    named = {" ".join(s.casefold().split()) for s in systems}
    if a in named or b in named:
        return None
    if op == "of":
        threshold = THRESHOLD.fullmatch(found["rest"].strip())
        share = threshold is not None and (
            threshold["unit"] is not None or float(threshold["num"]) <= 1.0
        )
        words = b.split()
        if words[0] in _DETERMINERS or _DATA_WORDS.intersection(words) or not share:
            return None
    return found


def names_a_count(name: str) -> bool:
    """
    Whether a metric's name says a count of things ("covered tasks", "num_hits", "calls"):
    a word of it is one of the count words. Such a value above 100 is no share in percent.
    """
    return bool(_COUNT_WORDS.intersection(re.split(r"[\s_-]+", name.casefold())))


def count_held_to_a_percent(
    name: str, value: float, comparison: str, threshold: float
) -> str | None:
    """
    Why a level in percent (``comparison`` ``threshold``%, "covered tasks ≥ 95%") cannot be
    asked of the recorded ``value`` of metric ``name``, or ``None`` where it can: the name is a
    count (:func:`names_a_count`) and the value above 100, so it is no share, and "1000 ≥ 95 →
    met" (009, trial h40B F10) would judge the count as if it were one; or the value is exactly
    1, a count of one as much as a share of 1 (100 %), which the fraction guess read "1 → 100 ≥
    95 → met" (h41F). A count of 0 is 0 % of any total, judged as it reads. One reason for a
    block's criterion and a run's gate alike.
    """
    if not names_a_count(name) or (value <= 100.0 and value != 1.0):
        return None
    write = (
        f"record the share as a metric, "
        f"or write '{name} / <total> {comparison} {threshold:g}%' with the total recorded"
    )
    if value == 1.0:
        return (
            f"{name}: 1 may be a count of one or a share of 1 (100%), so it cannot be held to "
            f"{comparison} {threshold:g}%: {write}"
        )
    return (
        f"{name}: {value:g} is a count, not a share in percent, so it cannot be held to "
        f"{comparison} {threshold:g}%: {write}"
    )


def counts_averaged_to_a_percent(
    name: str, raws: Sequence[str], mean: float, comparison: str, threshold: float
) -> str | None:
    """
    Why a level in percent cannot be asked of the ``mean`` of metric ``name`` over seeds whose
    values were recorded as ``raws`` (each as written), or ``None`` where it can: the name is
    a count (:func:`names_a_count`), every seed's value is written as a whole number ≥ 0 (``1``,
    not ``1.0`` or ``true``), there are two or more, and their mean lies strictly between 0 and
    1. Counts 0 and 1 averaged to 0.5, which the fraction guess read as 50 % against the level;
    a mean of counts is no share (a seed's share would be 0 % or 100 %). A mean of 0 is 0 % of
    any total; of 1 a count of one (:func:`count_held_to_a_percent`).
    """
    counts = all(re.fullmatch(r"\d+", raw.strip()) for raw in raws)
    if not names_a_count(name) or len(raws) < 2 or not counts or not 0.0 < mean < 1.0:
        return None
    shown = ", ".join(raw.strip() for raw in raws)
    return (
        f"{name}: counts recorded per seed ({shown}), whose mean {mean:g} is no share, so it "
        f"cannot be held to {comparison} {threshold:g}%: record the share as a metric, "
        f"or write '{name} / <total> {comparison} {threshold:g}%' with the total recorded"
    )


def metric_of_a_subset(
    text: str, match: re.Match[str], metrics: Sequence[str], systems: Sequence[str]
) -> str | None:
    """
    Why the ``a of b`` that :func:`derived_of_names` matched is no share of two metrics, or
    ``None`` where it is one. A share counts things of a total: its first name is a count
    ("covered tasks", "hits") or its second a metric the plan lists (``metrics``). Otherwise
    it is a metric on a subset, "F1 of minority class", read as F1 ÷ 'minority class' (h40K);
    ``text`` is the clause as written, for the spelling in the reason.
    read as the plain F1 it would be judged on all the classes, so it is left open.
    """
    if match.group("op").strip() != "of":
        return None
    a, b = match.group("a"), match.group("b")
    if metric_key(b) in {metric_key(m) for m in metrics}:
        return None
    if _COUNT_WORDS.intersection(re.split(r"[\s_]+", a)):
        return None
    if re.search(r"[_\d]", b):
        # An identifier ("observed_tasks", `ckpt_0.5`) may be a recorded metric: it is looked
        # up as one, and the clause is open where no run records it.
        return None
    # "ours success rate of long tasks": the system the clause opens with is no part of it.
    for system in sorted((" ".join(s.casefold().split()) for s in systems), key=len, reverse=True):
        if system and a.startswith(system + " "):
            a = a[len(system) + 1 :]
            break
    said, subset = original_spelling(f"{a} of {b}", text), original_spelling(b, text)
    return (
        f"{said!r} is a metric on a subset ('of {subset}'), not a share of two recorded metrics:"
        " record it as one metric and name it as recorded (a share is written "
        "'count of total ≥ N%' with two recorded counts)"
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
