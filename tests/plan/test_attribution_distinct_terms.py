"""
Runs placed by what they say they are (bridge/plan/attribution.py): a row that writes
``(= X)`` for another block's compared system X stands for X there, and a run whose system
carries a flag or identifier of one block's compared system, or whose Purpose or Metrics name
the quantity one block's title measures, is that block's (005's R009, R015, R017; trial t12).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.cli import main
from bridge.plan import load_project
from bridge.plan.attribution import run_stands_for, whole_names
from tests.plan.corpus import as_project, plan_dirs

needs_corpus = pytest.mark.skipif(not plan_dirs(), reason="shared corpus not found (BRIDGE_SHARED)")


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@needs_corpus
def test_005_runs_in_the_blocks_their_terms_name(tmp_path: Path) -> None:
    """005's R009 "d_mem trace 3-condition × 10" (metric "d_mem(t) trace per clip") is B5's, the
    block titled "d_mem(t) persistence trace"; R015's "re-extract d_mem with T_obj=16 then 64"
    is B6's "T_obj ∈ {16, 32, 64} on B5's d_mem analysis"; R017's
    `--oracle-traj-v4-lambda-keep-full 50` is B7's "full v5 with
    `--oracle-traj-v4-lambda-keep-full 50`". They were all unattributed, and the MUST-RUN B5
    had no run. R016 (a qualitative figure), R010 (reading a verdict) and the sanity run R004
    (parts of B3 and B5 on one clip) stay unplaced."""
    runs = {r.id: r for r in load_project(as_project("005", tmp_path)).runs}
    placed = {i: (runs[i].block, runs[i].block_system) for i in ("R009", "R015", "R017")}
    assert placed == {
        "R009": ("B5", ""),
        "R015": ("B6", "T_obj ∈ {16, 32, 64} on B5's d_mem analysis"),
        "R017": ("B7", "full v5 with `--oracle-traj-v4-lambda-keep-full 50`"),
    }
    assert runs["R009"].attribution == (
        "its Purpose or Metrics name d_mem, which only block B5's title names"
    )
    assert runs["R017"].attribution == (
        "its system's --oracle-traj-v4-lambda-keep-full is written in block B7's compared "
        "systems only"
    )
    assert {runs[i].block for i in ("R004", "R010", "R016")} == {""}


@needs_corpus
def test_005_a_row_that_says_it_is_a1_full_stands_for_it_in_b2(tmp_path: Path) -> None:
    """005's R011 Purpose "C2 RAW joint v5 (= A1-full) on 10", B1's run; the plan: "A1-full =
    same as B1's joint v5 → can SHARE B1's runs". B2 found no run for A1-full, and its
    criterion stood unjudged with generic advice."""
    loaded = load_project(as_project("005", tmp_path))
    r011 = next(r for r in loaded.runs if r.id == "R011")
    assert r011.block == "B1"
    b2 = next(b for b in loaded.plan.blocks if b.id == "B2")
    plan_names = whole_names(s for b in loaded.plan.blocks for s in b.systems)
    names = (r011.block_system or r011.system, r011.system)
    stands = [
        s
        for s in b2.systems
        if run_stands_for(names, r011.aliases, s, b2.systems, plan_names, r011.purpose)
    ]
    assert stands == ["A1-full"]


@pytest.mark.parametrize(
    ("purpose", "expected"),
    [
        ("C2 RAW joint v5 (= A1-full) on 10", True),
        ("RAW joint v5 = A1-full on 10", True),
        ("RAW joint v5, same as A1-full", True),
        ("RAW joint v5 (= A1-only)", False),  # another system
        ("RAW joint v5 (= A1-full with more steps)", False),  # more than A1-full
        ("RAW joint v5 (A1-full <= A1-only)", False),  # a comparison
        ("RAW joint v5 with lr=0.1", False),  # a setting
        ("RAW joint v5 vs A1-full", False),  # named, not said to be it
    ],
)
def test_what_a_row_says_it_is(purpose: str, expected: bool) -> None:
    """`(= X)`, `= X`, `same as X` (and where it runs after X) say a run is X; a comparison, a
    setting, a longer name or a mere mention do not."""
    systems = ("A1-only", "A1-full")
    names = ("RAW joint v5", "full v5, NO wrapper")
    assert run_stands_for(names, (), "A1-full", systems, whole_names(systems), purpose) is expected


DISTINCT_PLAN = """# Plan

## Experiment Blocks

### Block 1: d_mem trace

- **Compared systems**: clean forward; attacked forward
- **Metrics**: d_mem integral
- **Success criterion**: attacked d_mem > clean d_mem

### Block 2: Lambda retry

- **Compared systems**: full with `--lambda-keep 50`; default 25
- **Metrics**: J-drop
- **Success criterion**: full J-drop > default J-drop

### Block 3: Lambda sweep

- **Compared systems**: full with `--lambda-keep 10`; full with `--warmup-steps 5`
- **Metrics**: J-drop, d_mem integral
- **Success criterion**: J-drop > 0.5

## Run Order and Milestones

| Milestone | Goal | Runs |
|---|---|---|
| M0 | Sanity | smoke |
| M1 | Main | everything |
"""


def test_a_term_of_several_blocks_places_nothing(tmp_path: Path) -> None:
    """A flag two blocks' systems write (`--lambda-keep`) says no block; one only B3's systems
    write (`--warmup-steps`) says B3. A quantity one title names (`d_mem`, B1's) places its run
    though B3's Metrics name it too; a sanity run naming it stays unplaced."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", DISTINCT_PLAN)
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | Purpose | System / Variant | Metrics | Status |\n"
        "|---|---|---|---|---|---|\n"
        "| R1 | M1 | retry | `--lambda-keep 50` on two clips | J-drop | TODO |\n"
        "| R2 | M1 | warmup | `--warmup-steps 5` on two clips | J-drop | TODO |\n"
        "| R3 | M1 | d_mem trace | extract memory per frame | d_mem(t) per clip | TODO |\n"
        "| R4 | M0 | smoke test | extract memory on one clip | non-zero d_mem | TODO |\n",
    )
    runs = {r.id: r for r in load_project(tmp_path).runs}
    assert {i: (r.block, r.block_system) for i, r in runs.items()} == {
        "R1": ("", ""),
        "R2": ("B3", "full with `--warmup-steps 5`"),
        "R3": ("B1", ""),
        "R4": ("", ""),
    }


def test_a_shared_metric_key_or_common_flag_places_nothing(tmp_path: Path) -> None:
    """Review r34: an "lr 3e-4 warmup sweep" recording `val_acc` went to the one block whose
    Metrics line lists `val_acc` (a metric key any run may record); a system carrying only
    `--seed`, which any command may, says no block either."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# Plan\n\n## Experiment Blocks\n\n### Block 1: Calibration\n\n"
        "- **Compared systems**: temperature scaling `--seed 1`; isotonic\n"
        "- **Metrics**: val_acc, ece_score\n"
        "- **Success criterion**: isotonic ece_score < temperature scaling ece_score\n\n"
        "### Block 2: Main\n\n- **Compared systems**: base; ours\n- **Metrics**: accuracy\n"
        "- **Success criterion**: ours accuracy > base accuracy\n\n"
        "## Run Order and Milestones\n\n| Milestone | Goal | Runs |\n|---|---|---|\n"
        "| M0 | Sanity | smoke |\n| M1 | Sweeps | everything |\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | Purpose | System / Variant | Metrics | Status |\n"
        "|---|---|---|---|---|---|\n"
        "| R1 | M1 | lr 3e-4 warmup sweep | warmup schedule | val_acc | TODO |\n"
        "| R2 | M1 | seed check | baseline `--seed 1` | loss | TODO |\n",
    )
    runs = {r.id: r for r in load_project(tmp_path).runs}
    assert {i: r.block for i, r in runs.items()} == {"R1": "", "R2": ""}


@pytest.mark.parametrize(
    ("purpose", "system", "expected"),
    [
        # A hyperparameter's value is no system (review r34: each was True).
        ("ResNet lr=0.1", "0.1", False),
        ("ResNet (lr=0.1)", "0.1", False),
        ("ResNet --lr=0.1", "0.1", False),
        ("ResNet, lr = 0.1", "0.1", False),
        ("ResNet λ=0.1", "0.1", False),
        # Nor a setting said in passing the system written as it.
        ("ResNet lr=0.1", "lr=0.1", False),
        ("ResNet --lr=0.1", "lr=0.1", False),
        # The row says it is that system, the setting whole.
        ("ResNet (= lr=0.1)", "lr=0.1", True),
        ("ResNet, same as lr = 0.1", "lr=0.1", True),
        ("ResNet (= lr=0.01)", "lr=0.1", False),
        ("ResNet (= 0.1)", "0.1", True),
    ],
)
def test_a_setting_names_no_system(purpose: str, system: str, expected: bool) -> None:
    """`lr=0.1` in a run's name or Purpose sets its learning rate: no sweep's system "0.1" and
    no "lr=0.1" either, unless the row says it is that system (`(= lr=0.1)`)."""
    systems = (system, system.replace("0.1", "0.01"))
    names = ("ResNet", "ResNet-ours")
    assert run_stands_for(names, (), system, systems, whole_names(systems), purpose) is expected


SWEEP_PLAN = """# Plan

## Experiment Blocks

### Block 1: Main comparison

- **Compared systems**: ResNet-ours; Baseline-net
- **Metrics**: accuracy
- **Success criterion**: ResNet-ours accuracy > Baseline-net accuracy

### Block 2: Learning-rate sweep

- **Compared systems**: 0.1; 0.01
- **Metrics**: accuracy
- **Success criterion**: 0.1 accuracy > 0.01 accuracy

## Run Order and Milestones

| Milestone | Goal | Runs |
|---|---|---|
| M1 | Main | R001-R002 |
| M2 | Sweep | R004 |
"""


def test_a_run_at_lr_0_1_is_no_sweeps_0_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """B1's rows run at `lr=0.1`; B2 sweeps the rate over the systems "0.1" and "0.01" and has
    a run of "0.01" only. `bridge plan` lent B2 B1's runs (`from other blocks: 0.1: R001 (B1),
    R002 (B1)`), and B2's criterion would have been judged on them."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", SWEEP_PLAN)
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | Purpose | System / Variant | Seed | Status |\n"
        "|---|---|---|---|---|---|\n"
        "| R001 | M1 | main | ResNet-ours lr=0.1 | 0 | TODO |\n"
        "| R002 | M1 | main | Baseline-net lr=0.1 | 0 | TODO |\n"
        "| R004 | M2 | sweep | 0.01 | 0 | TODO |\n",
    )
    assert main(["plan", "--project", str(tmp_path)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "runs: 0.01: R004 2 blocks" in out, out
    assert "but no planned run stands for 0.1 (see the warning below)" in out, out
