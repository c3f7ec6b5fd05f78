"""
The claim map and the blocks' Claim tested fields read together: a claim named in words in the
field is the block's, and what the two say that cannot both be so is warned about with the
lines it stands on (trials h40A, h40C; session 41).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.plan import load_plan
from bridge.projections.plan_words import warning_in_language
from tests.conftest import needs_shared
from tests.plan.corpus import corpus

pytestmark = needs_shared


def test_012_b2_names_the_anti_claim_in_words() -> None:
    """012's B2 "Claim tested: C2 and anti-claim." tests the map's "Anti-claim" by its own
    field: read as C2 alone, it held the anti-claim only while the map linked it too."""
    plan = load_plan(corpus("012") / "EXPERIMENT_PLAN.md")
    assert [plan.block(b).claims for b in ("B2", "B4")] == [  # type: ignore[union-attr]
        ("C2", "Anti-claim"),
        ("C2",),
    ]


def test_002_anti_claims_keep_their_own_ids() -> None:
    """002's claim map writes "A1. Anti-claim: gains come only from …" and "A2. …": they were
    claims C3 and C4 by position, ids the plan does not have, shown as "C3 «A1. Anti-claim: …»"
    in the results (trial h42A F3). B2's "Claim tested: C1 and A2." names A2 by its id."""
    plan = load_plan(corpus("002") / "EXPERIMENT_PLAN.md")
    assert [(c.id, c.text, c.blocks) for c in plan.claims][2:] == [
        ("A1", "Anti-claim: gains come only from more parameters or retuning", ("B1", "B2")),
        (
            "A2",
            "Anti-claim: global sparse rotation is already enough, coupling restriction is "
            "decorative",
            ("B2",),
        ),
    ]
    assert plan.claims_of(plan.block("B2")) == ("C1", "A2", "C2", "A1")  # type: ignore[arg-type]


def test_005_c2_supporting_is_a_claim_of_its_own(tmp_path: Path) -> None:
    """005's claim map has "C2 (method, RAW joint headline)" (line 18) and "C2-supporting
    (deployment)" (line 19), linked to B1 alone. Read as a second C2, B2 (which tests C2) was
    said to test it too, with a warning to give each row its own id, which the plan had done
    (h42D). Two rows that do share an id are still warned about, with the lines."""
    plan = load_plan(corpus("005") / "EXPERIMENT_PLAN.md")
    assert not [w for w in plan.warnings if "both read as claim" in w.message]
    supporting = next(c for c in plan.claims if c.id == "C2-supporting")
    assert (supporting.text, supporting.blocks, supporting.line) == ("deployment", ("B1",), 19)
    text = (corpus("005") / "EXPERIMENT_PLAN.md").read_text(encoding="utf-8")
    (tmp_path / "EXPERIMENT_PLAN.md").write_text(
        text.replace("**C2-supporting (deployment)**", "**C2 (deployment)**"), encoding="utf-8"
    )
    plan = load_plan(tmp_path / "EXPERIMENT_PLAN.md")
    [warning] = [w for w in plan.warnings if "both read as claim" in w.message]
    assert warning.file.endswith("EXPERIMENT_PLAN.md") and warning.line == 19
    assert warning.message == (
        "the claim map's rows at lines 18 and 19 both read as claim C2 ('method, RAW joint "
        "headline', 'deployment'): a block testing C2 is shown with line 18's "
        "text, and both rows' blocks count as testing it; give each row its own id"
    )
    assert warning_in_language(warning.message, "zh").startswith(
        "论点表第 18 行和第 19 行都读作论点 C2（'method, RAW joint headline'、"
    )
    # A range is no id of its own: "C2-C3 (deployment)" is C2's row (a second review of s42:
    # it was read as a claim 'C2-C3').
    (tmp_path / "EXPERIMENT_PLAN.md").write_text(
        text.replace("**C2-supporting (deployment)**", "**C2-C3 (deployment)**"), encoding="utf-8"
    )
    plan = load_plan(tmp_path / "EXPERIMENT_PLAN.md")
    assert "C2-C3" not in {c.id for c in plan.claims}
    assert [w.line for w in plan.warnings if "both read as claim C2" in w.message] == [19]


def test_a_claim_tested_field_the_map_contradicts_is_warned_about() -> None:
    """001's Block 2 says "Claim tested: C3" (line 72) where the claim map links C1 to B2 and
    C3 to B4: both lines quoted. 012's B4 "C2." beside the map's C2 and Anti-claim is no
    contradiction (the map links more), and is not warned about."""
    plan = load_plan(corpus("001") / "EXPERIMENT_PLAN.md")
    [warning] = [w for w in plan.warnings if "the claim map links it" in w.message]
    assert warning.line == 72
    assert warning.message == (
        "block B2's Claim tested field names C3 ('C3 — Conditioning richness ordering', line "
        "72), but the claim map links it to C1 (line 15): bridge shows the block testing both; "
        "correct the field or the map's blocks column"
    )
    assert warning_in_language(warning.message, "zh") == (
        "实验块 B2 的 Claim tested 字段写的是 C3（'C3 — Conditioning richness ordering'，第 72 "
        "行），但论点表把它链接到 C1（第 15 行）：bridge 显示该实验块同时检验两者；"
        "请更正该字段或论点表的实验块列"
    )
    fabric = load_plan(corpus("012") / "EXPERIMENT_PLAN.md")
    assert not [w for w in fabric.warnings if "claim map" in w.message]


@pytest.mark.parametrize(
    "field",
    [
        "C1-C3",
        "c1-c3",
        "C1–C3 (all three)",
        # Review h43R2: these named C1 alone or C1 and C3.
        "C1-3",
        "C1 to C3",
        "C1 至 C3",
        "C1～C3",
        # A lower-case id beside capitals, or of another letter, is a word: the C4 corpus, a
        # level-2 heading (review h43R2: C4 and H2 became claims).
        "C1–C3 on the c4 dataset",
        "claims c1, c2, c3 (h2 heading)",
    ],
)
def test_a_claim_range_in_any_case_names_each_claim(tmp_path: Path, field: str) -> None:
    # Third review of s42: "C1-C3" named C1 and C3 (C2 left out), "c1-c3" named none, unsaid.
    text = (corpus("005") / "EXPERIMENT_PLAN.md").read_text(encoding="utf-8")
    said = '- **Claim tested**: C2 (method-level "RAW joint weakly dominates insert-only on'
    assert said in text
    (tmp_path / "EXPERIMENT_PLAN.md").write_text(
        text.replace(said, f"- **Claim tested**: {field} (", 1), encoding="utf-8"
    )
    plan = load_plan(tmp_path / "EXPERIMENT_PLAN.md")
    assert plan.blocks[0].claims == ("C1", "C2", "C3")


def test_a_lower_case_claim_id_is_the_same_claim(tmp_path: Path) -> None:
    # "c2-c3 (deployment)" was a claim 'c2' beside the map's "C2", with no word that both rows
    # read as one id.
    text = (corpus("005") / "EXPERIMENT_PLAN.md").read_text(encoding="utf-8")
    (tmp_path / "EXPERIMENT_PLAN.md").write_text(
        text.replace("**C2-supporting (deployment)**", "**c2-c3 (deployment)**"), encoding="utf-8"
    )
    plan = load_plan(tmp_path / "EXPERIMENT_PLAN.md")
    assert "c2" not in {c.id for c in plan.claims}
    assert [w.line for w in plan.warnings if "both read as claim C2" in w.message] == [19]


def test_a_claim_range_read_as_its_ends_is_said(tmp_path: Path) -> None:
    # Review h43R2: "C1-C30" (over 20 claims) was read as C1 and C30 with no word.
    text = (corpus("005") / "EXPERIMENT_PLAN.md").read_text(encoding="utf-8")
    said = '- **Claim tested**: C2 (method-level "RAW joint weakly dominates insert-only on'
    assert said in text
    (tmp_path / "EXPERIMENT_PLAN.md").write_text(
        text.replace(said, "- **Claim tested**: C1-C30 (", 1), encoding="utf-8"
    )
    plan = load_plan(tmp_path / "EXPERIMENT_PLAN.md")
    assert plan.blocks[0].claims == ("C1", "C30")
    assert [w.message for w in plan.warnings if "claim range" in w.message] == [
        f"{plan.blocks[0].id}: the claim range 'C1-C30' is backwards or spans more than 20 "
        "claims; read as its two ends only (name the claims one by one)"
    ]
