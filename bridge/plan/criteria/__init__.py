"""
Success criteria: a plan's free-text "Success criterion" turned into something a rule can check.

:func:`parse_criterion` splits the text into clauses (on ``;``, "and", "且", "并且", "同时" and
commas that join conditions) and understands one condition on one metric per clause, in English
or Chinese:

- absolute: ``PPL < 20``, ``accuracy at least 90%``, ``困惑度低于20``, ``mean lift ≥ +0.05``
  (the words before the comparator name the metric), ``composite skill is positive``;
- difference against a reference system: ``≥ 0.5 F1 improvement vs B``, ``F1 提升 ≥ 0.5``,
  ``DepthGate accuracy > Standard LoRA accuracy by >= 2 points``, ``outperforms the baseline on
  accuracy`` (a difference greater than 0), ``improves macro accuracy ≥5pp over K=1``;
- relative (percent of the reference's value): ``reduces loss by 10%``, ``相对提升 5%``,
  ``1.3× throughput over B``;
- ablations: ``each component contributes > 0.5%``, ``每个组件贡献超过0.5%``, ``Sobel helps by
  >= 0.5 points`` (the system with the component against the one without it), ``accuracy drops
  by > 2% against A``;
- derived quantities of two recorded metrics: ``(collapse_attacked − collapse_control) ≥ 0.10``,
  ``hits / total ≥ 0.9``, ``hits of total ≥ 90%``.

A text with several clauses is a :class:`Compound`; each clause is a :class:`Criterion` or an
:class:`Unparsed` with the reason (significance tests, counts over subsets such as "on ≥ 3/4
families", conditionals, numbers it cannot place). A clause that is not machine-checkable may be
judged by a reviewer instead. The parser prefers saying "cannot parse" over guessing; every
interpretation it does make (reading a bare ``%`` as percentage points, an implicit baseline, a
metric read from the words before a comparator) is written into :attr:`Criterion.notes`.

Modules: :mod:`.model` (the types), :mod:`.lexicon` (words and normalisation),
:mod:`.clauses` (splitting into clauses), :mod:`.parser` (one clause → a criterion),
:mod:`.phrases` (system, component and metric names read from a clause's words),
:mod:`.derived` (quantities of two metrics).

Pure: no I/O. Never raises on any text.
"""

from __future__ import annotations

from bridge.plan.criteria.model import (
    BASELINE,
    Comparison,
    Compound,
    Criterion,
    Derived,
    DerivedOp,
    Mode,
    Orientation,
    Scope,
    Setting,
    Unparsed,
)
from bridge.plan.criteria.parser import (
    clause_metrics,
    names_no_metric,
    parse_criterion,
    parse_with_aliases,
)
from bridge.plan.criteria.phrases import conditions_apart

__all__ = [
    "BASELINE",
    "Comparison",
    "Compound",
    "Criterion",
    "Derived",
    "DerivedOp",
    "Mode",
    "Orientation",
    "Scope",
    "Setting",
    "Unparsed",
    "clause_metrics",
    "conditions_apart",
    "names_no_metric",
    "parse_criterion",
    "parse_with_aliases",
]
