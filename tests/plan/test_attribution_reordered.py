"""
Runs a corpus plan's tracker writes in other words than its blocks, placed where they belong:
a system's name in another order with the setting its commentary gives (011's R014), a Purpose
that is what tells a block's joined system apart (011's R028-R030), and a Chinese milestone
named by the head of one block's title (039's M4). Each rule is narrow; what it must leave
alone is checked beside it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.plan import load_project
from tests.plan.corpus import as_project, plan_dirs

needs_corpus = pytest.mark.skipif(not plan_dirs(), reason="shared corpus not found (BRIDGE_SHARED)")


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@needs_corpus
def test_011_a_reordered_name_with_the_commentarys_setting_is_that_system(tmp_path: Path) -> None:
    """011's R014 "DeBERTa multi-task λ=0.3" runs B2's "**Multi-task DeBERTa** (difficulty +
    evidence, λ=0.3)": it was in no block ("system 'DeBERTa multi-task λ=0.3' is not among any
    block's compared systems"), and B2, the plan's only checkable criterion, had no run of its
    proposed system. R015 "DeBERTa multi-task variants" (λ=0 and λ=1.0 in one row) stays out,
    said so."""
    runs = {r.id: r for r in load_project(as_project("011", tmp_path)).runs}
    assert (runs["R014"].block, runs["R014"].block_system) == (
        "B2",
        "**Multi-task DeBERTa** (difficulty + evidence, λ=0.3)",
    )
    assert runs["R015"].block == ""
    assert "not among any block's compared systems" in runs["R015"].attribution


def test_a_setting_other_than_the_commentarys_names_no_system(tmp_path: Path) -> None:
    """Only the setting the system's own commentary writes: "Net big λ=0.5" is not "Big Net
    (λ=0.3)", nor is the name without its words ("Net λ=0.3")."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# Plan\n\n## Experiment Blocks\n\n### Block 1: Main\n"
        "- Compared systems: Big Net (λ=0.3); Small baseline.\n"
        "- Success criterion: accuracy > 0.5.\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System | Status |\n|---|---|---|---|\n"
        "| R1 | M1 | Net big λ=0.3 | TODO |\n| R2 | M1 | Net big λ=0.5 | TODO |\n"
        "| R3 | M1 | Net λ=0.3 | TODO |\n",
    )
    runs = {r.id: r for r in load_project(tmp_path).runs}
    assert (runs["R1"].block, runs["R1"].block_system) == ("B1", "Big Net (λ=0.3)")
    assert runs["R2"].block_system == ""
    assert runs["R3"].block_system == ""


@needs_corpus
def test_011_a_purpose_telling_a_joined_system_apart_is_that_system(tmp_path: Path) -> None:
    """011's R028 "Classifier reranking", R029 "LLM judge reranking" and R030 "Random selection
    baseline" (milestone M3, which names no block) are B3's "K=5 + classifier reranking",
    "K=5 + LLM judge reranking" and "K=5 + random selection": B3 read "the block has no
    runs" and was listed among the must-run blocks with none."""
    runs = {r.id: r for r in load_project(as_project("011", tmp_path)).runs}
    assert [(runs[i].block, runs[i].block_system) for i in ("R028", "R029", "R030")] == [
        ("B3", "K=5 + classifier reranking"),
        ("B3", "K=5 + LLM judge reranking"),
        ("B3", "K=5 + random selection"),
    ]
    assert runs["R028"].attribution == (
        "its Purpose is what tells apart block B3's 'K=5 + classifier reranking'"
    )
    # The generation runs say none of B3's systems: still said to be in no block.
    assert runs["R023"].block == ""


def test_a_purpose_that_tells_apart_two_systems_places_nothing(tmp_path: Path) -> None:
    """The Purpose must be the whole telling part of one system: "reranking" alone is a
    word, and "classifier reranking" written after two blocks' shared settings says neither."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# Plan\n\n## Experiment Blocks\n\n### Block 1: Small pool\n"
        "- Compared systems: K=5 + classifier reranking; K=5 + random pick.\n"
        "- Success criterion: accuracy > 0.5.\n\n### Block 2: Large pool\n"
        "- Compared systems: K=20 + classifier reranking; K=20 + random pick.\n"
        "- Success criterion: accuracy > 0.5.\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | Purpose | System | Status |\n|---|---|---|---|---|\n"
        "| R1 | M9 | Classifier reranking | Clf | TODO |\n| R2 | M9 | reranking | Clf | TODO |\n",
    )
    runs = {r.id: r for r in load_project(tmp_path).runs}
    assert (runs["R1"].block, runs["R2"].block) == ("", "")


@needs_corpus
def test_039_a_chinese_milestone_heading_one_blocks_title_is_that_block(tmp_path: Path) -> None:
    """039's M4 "稳健性" runs B4 "稳健性与失败分析": its R007 was in no block ("里程碑 M4 没有指明
    实验块") and B4 read "运行：-"."""
    runs = {r.id: r for r in load_project(as_project("039", tmp_path)).runs}
    assert runs["R007"].block == "B4"
    assert runs["R007"].attribution.startswith(
        "milestone M4, '稳健性', is named in block B4's title"
    )


def test_a_chinese_milestone_heading_two_titles_names_neither(tmp_path: Path) -> None:
    """A head several titles begin with says no one block; nor does a single character."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# 计划\n\n## Experiment Blocks\n\n### B1：稳健性与失败分析\n- 对比系统：甲；乙。\n\n"
        "### B2：稳健性扩展\n- 对比系统：丙；丁。\n\n### B3：图消融\n- 对比系统：戊；己。\n\n"
        "## Run Order and Milestones\n\n| 里程碑 | 目标 | 运行 | 决策门槛 |\n|---|---|---|---|\n"
        "| M1 | 稳健性 | 分组 | - |\n| M2 | 图 | 消融 | - |\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | Purpose | System | Status |\n|---|---|---|---|---|\n"
        "| R1 | M1 | robustness | subgroup | TODO |\n| R2 | M2 | graph | ablate | TODO |\n",
    )
    runs = {r.id: r for r in load_project(tmp_path).runs}
    assert (runs["R1"].block, runs["R2"].block) == ("", "")


@needs_corpus
def test_011_a_system_another_block_also_compares_shares_its_run(tmp_path: Path) -> None:
    """011's B1 lists "**DeBERTa difficulty-only** (single-task, same data — ablation, also
    B2)" and B2 "**Single-task DeBERTa** (difficulty only, same architecture minus evidence
    head)": B1's R013 stands for B2's baseline too, and B2's criterion finds its run."""
    from bridge.plan.attribution import stands_for

    loaded = load_project(as_project("011", tmp_path))
    b1 = next(b for b in loaded.plan.blocks if b.id == "B1")
    b2 = next(b for b in loaded.plan.blocks if b.id == "B2")
    shared = next(s for s in b1.systems if "also B2" in s)
    assert [s for s in b2.systems if stands_for(shared, s, b2.systems)] == [b2.systems[1]]
    # No block-wide claim: B1's other systems stand for none of B2's.
    others = [s for s in b1.systems if s != shared]
    assert not [(o, s) for o in others for s in b2.systems if stands_for(o, s, b2.systems)]


def test_also_another_block_needs_each_name_in_the_others_words() -> None:
    """ "also B2" alone shares nothing: the other block's system must be written with this
    one's words, and this one with its."""
    from bridge.plan.attribution import stands_for

    systems = ["Big model (large, ours)", "Small model (tiny)"]
    assert stands_for("Model large (big, also B2)", systems[0], systems)
    assert not stands_for("Model medium (also B2)", systems[0], systems)
    assert not stands_for("Model small (big, also B2)", systems[0], systems)
