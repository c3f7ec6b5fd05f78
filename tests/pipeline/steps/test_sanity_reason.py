"""
The one-line stage reason a sanity failure gives: cut where a clause ends, never inside a quoted
criterion (006's "[2] open: «composite skill )").
"""

from __future__ import annotations

from bridge.pipeline.steps.sanity import _cut


def test_a_long_reason_is_cut_between_clauses() -> None:
    reason = "[1] met: «KAN skill > 0.4» — skill 0.45 | " + "[2] open: «composite skill > 0» " * 8
    cut = _cut(reason)
    assert cut.startswith("[1] met: «KAN skill > 0.4» — skill 0.45 | [2] open: «composite")
    assert cut.endswith(" …") and len(cut) <= 202
    assert cut.count("«") == cut.count("»")


def test_a_short_reason_is_kept_whole() -> None:
    assert _cut("S1: exit 1: boom") == "S1: exit 1: boom"
