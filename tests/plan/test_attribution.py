"""
Attribution of runs to blocks (bridge/plan/attribution.py): the evidence order, system names
compared after normalisation, ``[systems]`` block and aliases, the Block column read without
gluing ids, and the runs left unattributed with their reason, on synthetic and corpus plans.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.errors import ConfigError
from bridge.plan import load_project
from bridge.plan.attribution import block_cell_ids, stands_for, system_key
from bridge.projections.reasons import in_language
from tests.plan.corpus import as_project, plan_dirs

needs_corpus = pytest.mark.skipif(not plan_dirs(), reason="shared corpus not found (BRIDGE_SHARED)")


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


class TestSystemKey:
    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("`raw-centroid` (baseline, unscaled features)", "raw-centroid"),
            ("**Raw Centroid**", "raw_centroid"),
            ("Ours（我们的）", "ours"),
            ("ＢＭ２５ ｃｏｍｐａｃｔ", "bm25 compact"),
            ("E2: Standard LoRA r=102 (non-depth PEFT)", "Standard LoRA r=102"),
            ("  Method\t(no  X) ", "method"),
        ],
    )
    def test_same_system_written_differently(self, a: str, b: str) -> None:
        """Markup, commentary, case, spacing, full-width forms and a list label do not count."""
        assert system_key(a) == system_key(b) != ""

    @pytest.mark.parametrize(
        "written", ["DepthGate no-Sobel", "DepthGate w/o Sobel", "DepthGate minus Sobel"]
    )
    def test_taking_away_is_said_alike(self, written: str) -> None:
        """001's R012 "DepthGate no-Sobel" runs its block's "DepthGate (without Sobel)"."""
        assert system_key(written, keep_commentary=True) == system_key(
            "DepthGate (without Sobel)", keep_commentary=True
        )
        assert system_key(written, keep_commentary=True) != system_key(
            "DepthGate (with Sobel)", keep_commentary=True
        )

    def test_commentary_is_kept_in_the_strict_key(self) -> None:
        """The strict key tells ablations apart by what their parentheses say."""
        plain = system_key("Logistic regression", keep_commentary=True)
        ablation = system_key("Logistic regression (no feature scaling)", keep_commentary=True)
        assert plain != ablation
        assert system_key("Logistic regression (no feature scaling)") == system_key(
            "Logistic regression"
        )


IDS = ("A", "B", "C", "B0", "B2", "B3", "B4")
TITLES = {
    "A": "Account and Social Layer",
    "B": "AI-AI Communication",
    "C": "Scheduler",
    "B0": "Data plane",
}


class TestBlockCell:
    @pytest.mark.parametrize(
        ("cell", "ids"),
        [
            ("B2/B3", ("B2", "B3")),
            ("G1/B4", ("B4",)),
            ("G1/B0 calibration", ("B0",)),
            ("Block 2", ("B2",)),
            ("Accounts", ("A",)),
            ("AI-AI", ("B",)),
            ("Scheduler", ("C",)),
            ("Gate G1", ()),
        ],
    )
    def test_cells(self, cell: str, ids: tuple[str, ...]) -> None:
        """Ids are split, never glued (`B2/B3` is not `B2B3`); titles name blocks too."""
        assert block_cell_ids(cell, IDS, TITLES) == ids


PLAN = """# Experiment Plan: Attribution

## Experiment Blocks

### Block 1: Main
- **Compared systems**: `raw-centroid` (baseline, unscaled features), **Scaled centroid** (ours)
- **Success criterion**: Scaled centroid accuracy > 2% over raw-centroid

### Block 2: Ablation
- **Compared systems**: Scaled centroid, Scaled centroid (no whitening)

### Block 3: Transfer
- **Compared systems**: Transfer probe

## Run Order and Milestones

| Milestone | Goal | Runs |
|---|---|---|
| M0 | Sanity | smoke |
| M1 | Main | Blocks 1, 2 |
| M2 | Transfer | Block 3 |
"""

TRACKER = """# Experiment Tracker

| Run ID | Milestone | Block | System / Variant | Status | Notes |
|---|---|---|---|---|---|
| R001 | M1 | | RAW-CENTROID | TODO | seed 0 |
| R002 | M1 | | scaled centroid (no whitening) | TODO | seed 0 |
| R003 | M1 | | Scaled centroid | TODO | in B1 and B2: ambiguous |
| R004 | M1 | B1/B2 | Scaled centroid | TODO | two blocks, system in both |
| R005 | M1 | | centroid-v2 | TODO | only an alias says which |
| R006 | M1 | | Scaled centroid | TODO | bridge.toml says B2 |
| R007 | M1 | | Mystery | TODO | nothing says which |
| R008 | M2 | | anything | TODO | M2 has one block |
| R009 | M1 | B3 | Scaled centroid | TODO | the Block column wins over the system |
| R010 | M1 | | Pinned | TODO | its [systems] table names B3 |
"""

TOML = """
[run]
command = "true"

[systems."centroid-v2"]
aliases = ["Scaled centroid (ours)"]

[systems."Pinned"]
block = "B3"

[[runs]]
id = "R006"
block = "B2"
"""


class TestEvidenceOrder:
    @pytest.fixture
    def project(self, tmp_path: Path) -> Path:
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", TRACKER)
        write(tmp_path, "bridge.toml", TOML)
        return tmp_path

    def test_blocks_and_systems(self, project: Path) -> None:
        """Each run's block and the compared system it stands for, as the plan writes it."""
        loaded = load_project(project)
        placed = {r.id: (r.block, r.block_system) for r in loaded.runs}
        assert placed == {
            "R001": ("B1", "`raw-centroid` (baseline, unscaled features)"),
            "R002": ("B2", "Scaled centroid (no whitening)"),
            "R003": ("", ""),
            "R004": ("", ""),
            "R005": ("B1", "**Scaled centroid** (ours)"),
            "R006": ("B2", "Scaled centroid"),
            "R007": ("", ""),
            "R008": ("B3", ""),
            "R009": ("B3", ""),
            "R010": ("B3", ""),
        }

    def test_bases_and_reasons(self, project: Path) -> None:
        """How each block was chosen, and why none could be, is kept on the run."""
        basis = {r.id: r.attribution for r in load_project(project).runs}
        assert basis["R001"] == "system among milestone M1's blocks"
        assert basis["R003"] == "system 'Scaled centroid' is compared in blocks B1, B2"
        assert basis["R004"] == (
            "the tracker's Block column names 2 blocks (B1, B2) and system 'Scaled centroid' "
            "does not tell which"
        )
        assert basis["R006"] == "bridge.toml block"
        assert basis["R007"] == (
            "milestone M1 names blocks B1, B2; system 'Mystery' is not among any block's "
            "compared systems"
        )
        assert basis["R008"] == "milestone M2's only block"
        assert basis["R009"] == "tracker Block column"
        assert basis["R010"] == 'bridge.toml [systems."Pinned"] block'

    def test_unattributed_runs_are_warned_about(self, project: Path) -> None:
        """One warning per reason names the runs, the reason and how to settle it."""
        messages = [w.message for w in load_project(project).warnings]
        unplaced = [m for m in messages if "not attributed to a block" in m]
        assert len(unplaced) == 3
        assert any(m.startswith("run R004 not attributed") and "(B1, B2)" in m for m in unplaced)
        assert all("Block column" in m for m in unplaced)

    def test_runs_of_a_milestone_no_block_compares_share_one_warning(self, project: Path) -> None:
        """Each run's own system made each reason unique: a real plan printed one warning per
        run (66 for one corpus plan). The runs of one milestone share one; one run alone still
        names its system, and every run keeps its own reason."""
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        tracker.write_text(
            tracker.read_text()
            + "| R011 | M1 | | Enigma | TODO | |\n| R012 | M1 | | Riddle | TODO | |\n"
        )
        loaded = load_project(project)
        unplaced = [w.message for w in loaded.warnings if "not attributed to a block" in w.message]
        assert (
            "runs R007, R011, R012 not attributed to a block: milestone M1 names blocks B1, B2; "
            "their systems are not among any block's compared systems. Set `block` on each "
            "run's [[runs]] entry or its [systems] table, or fill the tracker's Block column"
        ) in unplaced
        assert len(unplaced) == 3
        reasons = {r.id: r.attribution for r in loaded.runs}
        assert reasons["R011"] == (
            "milestone M1 names blocks B1, B2; system 'Enigma' is not among any block's "
            "compared systems"
        )

    @pytest.mark.parametrize(
        ("edit", "setting", "written"),
        [
            (('block = "B2"', 'block = "Block 9"'), "runs[0].block", 'block = "Block 9"'),
            (('block = "B3"', 'block = "B33"'), "systems.Pinned.block", 'block = "B33"'),
            (
                ("[[runs]]", '[grid]\nblock = "B7"\naxes = { seed = [0] }\n\n[[runs]]'),
                "grid.block",
                'block = "B7"',
            ),
        ],
    )
    def test_unknown_explicit_block_is_refused(
        self, project: Path, edit: tuple[str, str], setting: str, written: str
    ) -> None:
        """
        A `block =` in bridge.toml naming no block of the plan is a configuration error naming
        the setting, its line and the closest block: its runs would otherwise be run and never
        judged.
        """
        text = TOML.replace(*edit)
        write(project, "bridge.toml", text)
        with pytest.raises(ConfigError) as caught:
            load_project(project)
        err = caught.value
        assert (err.setting, err.line) == (setting, text.split("\n").index(written) + 1)
        assert "is not a block of the plan; did you mean" in str(err)
        assert "(blocks: B1, B2, B3)" in str(err)

    def test_unknown_block_of_a_grid_phase_is_refused(self, project: Path) -> None:
        """A phase's own block is checked under its own setting name."""
        grid = '[grid]\naxes = { seed = [0] }\n\n[[grid.phases]]\nname = "a"\nblock = "B1"\n\n'
        grid += '[[grid.phases]]\nname = "b"\nblock = "B4"\n\n[[runs]]'
        text = TOML.replace("[[runs]]", grid)
        write(project, "bridge.toml", text)
        with pytest.raises(ConfigError, match=r"grid\.phases\[1\]\.block: 'B4'") as caught:
            load_project(project)
        assert caught.value.line == text.split("\n").index('block = "B4"') + 1

    def test_explicit_block_written_as_a_title_number_is_kept(self, project: Path) -> None:
        """`Block 2` is B2, as the extract scope reads it."""
        write(project, "bridge.toml", TOML.replace('block = "B2"', 'block = "Block 2"'))
        run = next(r for r in load_project(project).runs if r.id == "R006")
        assert run.block == "B2"

    def test_plan_without_blocks(self, tmp_path: Path) -> None:
        """With no experiment blocks, every run is unattributed for that one reason."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", "# Plan\n\n## Notes\n\nNothing.\n")
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", TRACKER)
        loaded = load_project(tmp_path)
        assert {r.attribution for r in loaded.runs} == {"the plan has no experiment blocks"}
        # and the warning asks for blocks: a `block` bridge would refuse is no way out (040)
        (warning,) = [w.message for w in loaded.warnings if "not attributed" in w.message]
        assert warning.endswith(
            "Give the plan experiment blocks (`### Block 1: …` with a Success criterion) to "
            "have verdicts"
        )
        assert "Set `block`" not in warning
        from bridge.projections.plan_words import warning_in_language

        assert warning_in_language(warning, "zh").endswith("以得到判定")


LABELLED_PLAN = """# Experiment Plan: Labels

## Experiment Blocks

### Block 1: Main
- **Compared systems**:
  - E1: Standard LoRA r=8 (baseline)
  - E2: DepthGate r=8 + scalar gates

### Block 2: Progressive
- **Compared systems**:
  - E2: DepthGate (from Block 1)
  - E3: DepthFiLM r=8 + rank-space FiLM
  - E4: DepthBasis K=6

## Run Order and Milestones

| Milestone | Goal | Runs |
|---|---|---|
| M1 | Core | E2 (DepthGate train + eval) |
| M2 | Progressive | E3 (DepthFiLM), E4 (DepthBasis) |
| M3 | Analysis | R1 and R2 checkpoints |
"""

LABELLED_TRACKER = """# Experiment Tracker

| Run ID | Milestone | System / Variant | Status | Notes |
|---|---|---|---|---|
| R1 | M1 | DepthGate r=8 | TODO | |
| R2 | M2 | DepthFiLM r=8 | TODO | |
| R3 | M2 | DepthBasis (K=6) | TODO | |
| R4 | M3 | DepthGate checkpoint | TODO | |
"""


class TestMilestoneLabels:
    def test_a_runs_cell_naming_system_labels_names_their_block(self, tmp_path: Path) -> None:
        """
        `E3 (DepthFiLM), E4 (DepthBasis)` names the one block listing `E3: …` and `E4: …`; a
        label two blocks list names both (system matching must then decide, and a system that
        matches none leaves the run unattributed); a cell with no label names none.
        """
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", LABELLED_PLAN)
        write(
            tmp_path,
            "refine-logs/EXPERIMENT_TRACKER.md",
            LABELLED_TRACKER + "| R6 | M1 | Mystery | TODO | |\n",
        )
        runs = {r.id: r for r in load_project(tmp_path).runs}
        assert runs["R6"].block == ""
        assert runs["R6"].attribution.startswith("milestone M1 names blocks B1, B2;")
        assert (runs["R2"].block, runs["R2"].attribution) == ("B2", "milestone M2's only block")
        assert runs["R3"].block == "B2"
        # E2 is listed by both blocks, so the label names both; the run's shortened name then
        # begins one compared system of the two blocks (B1's `E2: DepthGate r=8 + scalar
        # gates`; B2's is `E2: DepthGate (from Block 1)`).
        assert (runs["R1"].block, runs["R1"].block_system, runs["R1"].attribution) == (
            "B1",
            "E2: DepthGate r=8 + scalar gates",
            "system begins one compared system of milestone M1's blocks",
        )
        assert runs["R4"].block == ""
        assert runs["R4"].attribution.startswith("milestone M3 names no block;")

    def test_a_shortened_name_stands_for_the_one_system_it_begins(self, tmp_path: Path) -> None:
        """In a block chosen by other evidence, `DepthFiLM r=8` is the plan's `E3: DepthFiLM r=8
        + rank-space FiLM` (the only system whose name it begins): the run counts for that
        system. A part of a word (`Depth`) begins none; a name two systems begin stands for
        neither."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", LABELLED_PLAN)
        write(
            tmp_path,
            "refine-logs/EXPERIMENT_TRACKER.md",
            LABELLED_TRACKER + "| R5 | M2 | Depth | TODO | |\n",
        )
        runs = {r.id: r for r in load_project(tmp_path).runs}
        assert runs["R2"].block_system == "E3: DepthFiLM r=8 + rank-space FiLM"
        assert runs["R3"].block_system == "E4: DepthBasis K=6"
        assert (runs["R5"].block, runs["R5"].block_system) == ("B2", "")
        two = LABELLED_PLAN.replace("E4: DepthBasis K=6", "E4: DepthFiLM r=8 + basis mixing")
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", two)
        runs = {r.id: r for r in load_project(tmp_path).runs}
        assert (runs["R2"].block, runs["R2"].block_system) == ("B2", "")


SHORTENED_PLAN = """# Experiment Plan: Shortened names

## Experiment Blocks

### Block 1: Main
- **Compared systems**: Standard LoRA r=8 (baseline); LoRA r=8 + DepthGate (ours)

### Block 2: Ablation
- **Compared systems**: Full model r=8 (reference); DepthGate r=8 w/o Sobel

## Run Order and Milestones

| Milestone | Goal | Runs |
|---|---|---|
| M1 | Main | Block 1 |
| M2 | Ablation | Block 2 |
"""


def test_a_shortened_name_that_could_be_another_system_stands_for_none(tmp_path: Path) -> None:
    """A prefix is not taken when it may be a baseline or the full model: one word (`LoRA`),
    a name another compared system also holds (`LoRA r=8` is in `Standard LoRA r=8`), or a
    system whose rest takes a part away (`DepthGate r=8` before `w/o Sobel`)."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", SHORTENED_PLAN)
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System / Variant | Status |\n|---|---|---|---|\n"
        "| R1 | M1 | LoRA | TODO |\n| R2 | M1 | LoRA r=8 | TODO |\n"
        "| R3 | M2 | DepthGate r=8 | TODO |\n| R4 | M2 | DepthGate | TODO |\n",
    )
    runs = {r.id: r for r in load_project(tmp_path).runs}
    assert {r: (runs[r].block, runs[r].block_system) for r in runs} == {
        "R1": ("B1", ""),
        "R2": ("B1", ""),
        "R3": ("B2", ""),
        "R4": ("B2", ""),
    }


PURPOSE_PLAN = """# Plan

## Experiment Blocks

### Block 1: Memory causality

- **Compared systems**:
  - **A3-baseline**: full model, no blocking
  - **A3-attacked**: full model with the inserted frames blocked
- **Success criterion**: A3-baseline J-drop > A3-attacked J-drop

### Block 2: Human evaluation

- **Compared systems**: (a) annotators, (b) classifier
- **Success criterion**: classifier agreement > 0.7
"""


def test_a_purpose_opening_with_a_coined_system_name_places_the_run(tmp_path: Path) -> None:
    """005's tracker puts commands in its System column and the arm in Purpose: a Purpose that
    begins with a coined compared-system name (`A3-attacked`, words joined by `-`) places the run;
    one beginning with a plain word a block lists (`Classifier reranking`) places nothing."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PURPOSE_PLAN)
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | Purpose | System / Variant | Status |\n|---|---|---|---|---|\n"
        "| R1 | M1 | A3-baseline (full) on 10 | `--no-hook` | TODO |\n"
        "| R2 | M1 | A3-attacked on 10 | + `--block attacked` | TODO |\n"
        "| R3 | M1 | Classifier reranking | `--rerank` | TODO |\n",
    )
    loaded = load_project(tmp_path)
    # One line per system, a bold name then what it is: the name is the system.
    assert loaded.plan.blocks[0].systems == ("A3-baseline", "A3-attacked")
    runs = {r.id: r for r in loaded.runs}
    assert {r: (runs[r].block, runs[r].block_system) for r in runs} == {
        "R1": ("B1", "A3-baseline"),
        "R2": ("B1", "A3-attacked"),
        "R3": ("", ""),
    }
    assert runs["R2"].attribution == "Purpose begins with system 'A3-attacked'"


MODELS_PLAN = """# Plan

## Experiment Blocks

### Block 1: Retrieval

- **Compared systems**: Llama-3-8B; Llama-3-8B + RAG (ours)
- **Success criterion**: Llama-3-8B + RAG accuracy > Llama-3-8B accuracy

### Block 2: Smoke detection

- **Compared systems**: YOLO-S; YOLO-S + temporal (ours)
- **Success criterion**: YOLO-S + temporal F1 > YOLO-S F1
"""


def test_a_purpose_that_may_mean_either_system_places_nothing(tmp_path: Path) -> None:
    """ "Llama-3-8B with retrieval" begins with B1's baseline name, but "with" adds to it and
    "Llama-3-8B + RAG" begins the same: the run is not placed as the baseline. A Purpose that
    names the topic ("Smoke detection, …", "Overfitting regime: …") is no sanity check."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", MODELS_PLAN)
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | Purpose | System / Variant | Status |\n|---|---|---|---|---|\n"
        "| R1 | M1 | Llama-3-8B with retrieval (ours) | `run.sh --rag` | TODO |\n"
        "| R2 | M1 | Llama-3-8B on the test set | `run.sh` | TODO |\n"
        "| R3 | M2 | Smoke detection, baseline | YOLO-S | TODO |\n"
        "| R4 | M2 | Overfitting regime: train 300 epochs | YOLO-S + temporal | TODO |\n"
        "| R5 | M2 | Smoke test on one clip | YOLO-S | TODO |\n",
    )
    runs = {r.id: r for r in load_project(tmp_path).runs}
    assert runs["R1"].block_system == ""
    assert (runs["R3"].block, runs["R3"].block_system) == ("B2", "YOLO-S")
    assert (runs["R4"].block, runs["R4"].block_system) == ("B2", "YOLO-S + temporal (ours)")
    assert runs["R5"].block == "" and "sanity check" in runs["R5"].attribution


TAKING_AWAY_PLAN = """# Plan

## Experiment Blocks

### Block 1: Sobel

- **Compared systems**: DepthGate (without Sobel); DepthGate (with Sobel); Ours
- **Success criterion**: DepthGate (with Sobel) accuracy > DepthGate (without Sobel) accuracy
"""


def test_parentheses_taking_a_part_away_are_never_dropped(tmp_path: Path) -> None:
    """A run "DepthGate" is not the plan's "DepthGate (without Sobel)" listed first; a run's
    "(w=0.5)" is a setting and "(w/ Sobel)" an addition: both still stand for "Ours"."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", TAKING_AWAY_PLAN)
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System / Variant | Status |\n|---|---|---|---|\n"
        "| R1 | M1 | DepthGate | TODO |\n| R2 | M1 | Ours (w=0.5) | TODO |\n"
        "| R3 | M1 | Ours (w/ Sobel) | TODO |\n| R4 | M1 | DepthGate (no Sobel) | TODO |\n",
    )
    runs = {r.id: r for r in load_project(tmp_path).runs}
    assert runs["R1"].block_system != "DepthGate (without Sobel)"
    assert (runs["R2"].block, runs["R2"].block_system) == ("B1", "Ours")
    assert (runs["R3"].block, runs["R3"].block_system) == ("B1", "Ours")
    assert runs["R4"].block_system != "DepthGate (with Sobel)"


@needs_corpus
class TestCorpus:
    def test_025_an_overview_tables_name_is_each_runs_purpose(self, tmp_path: Path) -> None:
        """025's runs come from its plan's overview table (编号 | 名称 | 优先级 | 内容 | 状态):
        the tracker bridge wrote for it had empty Purpose cells, the 名称 not carried over."""
        runs = {r.id: r for r in load_project(as_project("025", tmp_path)).runs}
        assert runs["E-rag-sft"].purpose == "RAG SFT (受控通道对比)"
        assert runs["E-main"].purpose == "核心矩阵"

    def test_001_a_system_named_before_its_description(self, tmp_path: Path) -> None:
        """001's B5 lists "DepthGate (without Sobel): raw depth only, Conv2d(1→64,...) …" and
        its run R012 names "DepthGate no-Sobel": it was left out of every block."""
        runs = {r.id: r for r in load_project(as_project("001", tmp_path)).runs}
        assert (runs["R012"].block, runs["R012"].attribution) == ("B5", "system matches one block")

    def test_023_a_system_named_before_a_full_width_colon(self, tmp_path: Path) -> None:
        """023's B2 lists "capacity-matched VanillaFilter：获得同一个 …", its description after a
        full-width colon with no space, and its R020 names "capacity-matched VanillaFilter": it
        was in no block ("not among any block's compared systems")."""
        runs = {r.id: r for r in load_project(as_project("023", tmp_path)).runs}
        r020 = runs["R020"]
        assert (r020.block, r020.attribution) == ("B2", "system matches one block")
        assert r020.block_system.startswith("capacity-matched VanillaFilter：获得同一个")

    def test_023_one_of_a_systems_alternatives_is_compared(self, tmp_path: Path) -> None:
        """023's R022 runs "PredRNN-online or matched recurrent assimilation": the first is
        B2's "PredRNN-online：reveal 时…", the other no block's; it was in no block."""
        runs = {r.id: r for r in load_project(as_project("023", tmp_path)).runs}
        r022 = runs["R022"]
        assert (r022.block, r022.attribution) == (
            "B2",
            "its system's alternative 'PredRNN-online' matches one block",
        )
        assert r022.block_system.startswith("PredRNN-online：reveal 时")

    def test_023_a_milestones_runs_place_its_other_runs(self, tmp_path: Path) -> None:
        """023's M2 names no block; its R020 and R022 run B2's VanillaFilter and PredRNN-online,
        so its R021 "aligned residual update" (the proposed update) and R023 "same trained
        online systems" (their no-reveal counterfactual) are B2's too; 021's M5 runs B5's
        "only `Lambda_diff`" and "only `Ton_diff`", and its R014 `Lambda+Ton+projection` is
        B5's `Lambda_diff + Ton_diff + safety projection`. Each was in no block."""
        runs = {r.id: r for r in load_project(as_project("023", tmp_path / "023")).runs}
        why = "milestone M2's runs R020, R022 run block B2's systems"
        assert {r: (runs[r].block, runs[r].attribution) for r in ("R021", "R023")} == {
            "R021": ("B2", why),
            "R023": ("B2", why),
        }
        # The others of 023 stay out, each with its reason (M0's protocol checks, M1's pilots,
        # M3-M5 whose runs name no block's system whole).
        left = {i: r.attribution for i, r in runs.items() if not r.block}
        assert sorted(left) == [
            *(f"R00{n}" for n in range(1, 7)),
            *(f"R01{n}" for n in range(5)),
            "R030", "R031", "R032", "R040-s27", "R040-s42", "R040-s97", "R041", "R042", "R043",
        ]  # fmt: skip
        assert left["R031"] == (
            "milestone M3 names no block; system 'Stage1 vs final Stage1.5' is not among any "
            "block's compared systems"
        )
        b5 = {r.id: r for r in load_project(as_project("021", tmp_path / "021")).runs}
        assert (b5["R014"].block, b5["R014"].attribution) == (
            "B5",
            "milestone M5's runs R012, R013 run block B5's systems",
        )

    def test_every_tracker_run_is_attributed_or_has_a_reason(self, tmp_path: Path) -> None:
        """Over every real plan: each tracker run has a plan block, or a reason why not."""
        attributed = unattributed = 0
        for n, folder in enumerate(plan_dirs()):
            loaded = load_project(as_project(folder.name[:3], tmp_path / str(n)))
            blocks = {b.id for b in loaded.plan.blocks}
            for run in loaded.runs:
                if run.block in blocks:
                    attributed += 1
                else:
                    assert run.block == "" and run.attribution, (folder.name, run.id)
                    unattributed += 1
        assert attributed >= 98 and attributed + unattributed >= 433

    def test_018_block_column(self, tmp_path: Path) -> None:
        """018: `G1/B4` is B4 (G1 is a gate), `G1/B0 calibration` B0; `B2/B3` names two blocks
        and the `目的/Arm` cell (not the Policy column) the system, one of B2's four arms (the
        plan's "fixed、policy-only、Harness-only、joint 四臂": the count is no part of a name)."""
        loaded = load_project(as_project("018", tmp_path))
        runs = {r.id: r for r in loaded.runs}
        assert runs["JPH-G1-CTRL-001"].block == "B4"
        assert runs["JPH-CAL-LP-C0"].block == "B0"
        assert runs["JPH-B1-HO-S0"].block == "B1"
        assert runs["JPH-B1-HO-S0"].system == "Harness-only contextual bandit"
        b2 = {i: (r.block, r.system) for i, r in runs.items() if "-B2-" in i}
        assert b2 == {
            "JPH-B2-FX-S0": ("B2", "fixed"),
            "JPH-B2-PO-S0": ("B2", "policy-only"),
            "JPH-B2-HO-S0": ("B2", "Harness-only"),
            "JPH-B2-JT-S0": ("B2", "joint"),
        }
        (block,) = [b for b in loaded.plan.blocks if b.id == "B2"]
        assert block.systems == ("fixed", "policy-only", "Harness-only", "joint")

    def test_018_a_block_column_naming_two_blocks_says_which_one_counts(
        self, tmp_path: Path
    ) -> None:
        """018's seed-0 arms say `B2/B3`: they count in B2 (their arms are B2's systems), and B3
        showed `运行：-` and "inconclusive — the block has no runs" without a word of the `/B3`
        left out. A run counts in one block, so one warning at the first row says which, and
        what gives B3 runs, in Chinese for this Chinese plan."""
        from bridge.projections.plan_words import warning_in_language

        loaded = load_project(as_project("018", tmp_path))
        arms = "JPH-B2-FX-S0, JPH-B2-PO-S0, JPH-B2-HO-S0, JPH-B2-JT-S0"
        (said,) = [w for w in loaded.warnings if "'B2/B3'" in w.message]
        assert said.message == (
            f"{arms}: the tracker's Block column 'B2/B3' names B2 and B3, and a run counts in "
            "one block: they count in B2, whose compared systems include theirs, and not in B3. "
            "For runs of B3, give it rows of their own, or write one block in the column"
        )
        assert (said.file, said.line) == ("refine-logs/EXPERIMENT_TRACKER.md", 43)
        assert warning_in_language(said.message, "zh") == (
            f"{arms}：追踪表的 Block 列 'B2/B3' 写了 B2 和 B3，而一个运行只计入一个实验块："
            "它们计入 B2（其对比系统中有它们的系统），不计入 B3。要让 B3 有运行，请为它另写"
            "追踪表行，或在该列只写一个实验块"
        )

    def test_one_run_in_a_cell_naming_three_blocks(self, tmp_path: Path) -> None:
        """One row whose Block cell names three blocks and whose system only B1 compares: it
        counts in B1, and the warning names B2 and B3 as left out, in either language."""
        from bridge.projections.plan_words import warning_in_language

        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
            "# Experiment Plan: Three\n\n## Experiment Blocks\n\n"
            + "".join(
                f"### Block {n}: Part {n}\n- **Compared systems**: {s}\n\n"
                for n, s in ((1, "a, b"), (2, "x"), (3, "y"))
            ),
            encoding="utf-8",
        )
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
            "| Run ID | Block | System / Variant |\n|---|---|---|\n| R1 | B1/B2/B3 | a |\n",
            encoding="utf-8",
        )
        loaded = load_project(tmp_path)
        assert [r.block for r in loaded.runs] == ["B1"]
        (said,) = [w for w in loaded.warnings if "Block column" in w.message]
        assert said.message == (
            "R1: the tracker's Block column 'B1/B2/B3' names B1, B2 and B3, and a run counts in "
            "one block: it counts in B1, whose compared systems include its, and not in B2 or "
            "B3. For runs of B2 and B3, give each rows of their own, or write one block in the "
            "column"
        )
        assert warning_in_language(said.message, "zh") == (
            "R1：追踪表的 Block 列 'B1/B2/B3' 写了 B1、B2 和 B3，而一个运行只计入一个实验块："
            "它计入 B1（其对比系统中有它的系统），不计入 B2 或 B3。要让 B2 和 B3 有运行，"
            "请为每个实验块另写追踪表行，或在该列只写一个实验块"
        )

    def test_005_purpose_names_the_arm(self, tmp_path: Path) -> None:
        """005: the System column holds commands; the Purpose begins with the arm's name."""
        runs = {r.id: r for r in load_project(as_project("005", tmp_path)).runs}
        placed = {i: (runs[i].block, runs[i].block_system) for i in ("R006", "R007", "R008")}
        assert placed == {
            "R006": ("B3", "A3-baseline"),
            "R007": ("B3", "A3-attacked"),
            "R008": ("B3", "A3-control"),
        }
        assert (runs["R012"].block, runs["R012"].block_system) == ("B2", "A1-only")
        # A claim or arm label before the arm's name: "C2 RAW joint v5 (= A1-full) on 10",
        # "A2 random K=3 + full v5 polish".
        assert runs["R011"].block == "B1"
        assert runs["R011"].block_system.startswith("RAW joint v5")
        assert (runs["R014"].block, runs["R014"].block_system) == ("B4", "Random K=3")

    def test_004_a_purpose_opening_with_a_block_id_places_the_run(self, tmp_path: Path) -> None:
        """004's R308 "**B6 Adversarial Synthesis Stress Test** (added per Gemini R5)" in
        milestone M3 (blocks B2-B4): it is B6's run, which reported "the block has no runs"."""
        loaded = load_project(as_project("004", tmp_path))
        runs = {r.id: r for r in loaded.runs}
        assert runs["R308"].block == "B6"
        assert runs["R308"].attribution == "the tracker's Purpose opens with block B6"
        # R402 and R404 (figures, paper) write System "—": no system of their own (B5 listed
        # them under a system "—"), nor B5's systems left without a run.
        assert (runs["R402"].system, runs["R404"].system, runs["R402"].block) == ("", "", "B5")
        assert not [w for w in loaded.warnings if "block B5 lists" in w.message]

    def test_002_a_purpose_that_is_a_blocks_title_places_the_run(self, tmp_path: Path) -> None:
        """002's R011 (milestone M4 "Simplicity confirmation", naming no block; its system "compare
        one-sided TC-CS-1S against current broader global rotation", no compared system) has the
        Purpose "simplicity check": B4 "Simplicity Check — One-sided first is enough". Placed
        nowhere, B4 had no run and held the plan from being ready after R011 ran (trial h42A)."""
        loaded = load_project(as_project("002", tmp_path))
        runs = {r.id: r for r in loaded.runs}
        assert runs["R011"].block == "B4"
        assert runs["R011"].attribution == (
            "its Purpose 'simplicity check' is block B4's title "
            "'Simplicity Check — One-sided first is enough'"
        )
        # In Chinese too (review s42, item 17).
        assert in_language(runs["R011"].attribution, "zh") == (
            "其目的 'simplicity check' 即实验块 B4 的标题 'Simplicity Check — One-sided first is "
            "enough'"
        )
        assert not [w for w in loaded.warnings if "R011" in w.message]
        # A Purpose sharing only some words with a title places nothing: R006's "main mechanism
        # test" is no block's title, and R001 "sanity" checks the pipeline.
        assert runs["R006"].block == runs["R001"].block == ""

    def test_004_a_bold_name_and_its_description_is_the_name(self, tmp_path: Path) -> None:
        """004's B1 lists "**`SEAP`** — L1+L2+12-rule expert menu (pre-registered) + L4" and
        "**LSVJ-S (ours)** — L1+L2+L3-LSVJ-S+L4": the systems were those lines, markup and all,
        and no run stood for them (trial t8: "no results for system **LSVJ-S (ours)** — …").
        They are the bold names; R202's System cell begins with LSVJ-S's description, R201's
        Purpose opens with `SEAP`, and R101/R102's Purposes with "LLM-only"/"Rules-only"."""
        loaded = load_project(as_project("004", tmp_path))
        b1 = loaded.plan.blocks[0]
        assert b1.systems[3:] == ("SEAP", "LSVJ-S (ours)")
        runs = {r.id: r for r in loaded.runs}
        assert {r: runs[r].block_system for r in ("R101", "R102", "R201", "R202")} == {
            "R101": b1.systems[0],
            "R102": b1.systems[1],
            "R201": "SEAP",
            "R202": "LSVJ-S (ours)",
        }
        assert all(runs[r].block == "B1" for r in ("R101", "R102", "R201", "R202"))

    def test_004_a_review_of_the_results_is_no_compared_system(self, tmp_path: Path) -> None:
        """004's R203 "Claim-1 gate cross-review" (milestone "M2 Gate", whose one block is B1):
        Gemini reading Table 1 was placed in B1 and its "pass / revise" stood in B1's table as a
        sixth system beside the five B1 compares (trial). It is in no block, saying why, in
        English and in Chinese; R202, the same milestone's run of a compared system, stays.
        Being no experiment (a cross-review by Gemini), R203 is not launched either: the plan
        names it as work people do, not as a run reported under its milestone."""
        from bridge.projections.reasons import in_language

        loaded = load_project(as_project("004", tmp_path))
        runs = {r.id: r for r in loaded.runs}
        assert runs["R202"].block == "B1"
        assert runs["R203"].block == ""
        reason = (
            "its Purpose says it reviews results ('Claim-1 gate cross-review'), and its system "
            "is none of block B1's compared systems"
        )
        assert runs["R203"].attribution == reason
        assert in_language(reason, "zh") == (
            "其目的写明是评审结果（'Claim-1 gate cross-review'），且其系统不是实验块 B1 的对比系统"
        )
        assert not [w for w in loaded.warnings if "R203 not attributed" in w.message]
        (warning,) = [w.message for w in loaded.warnings if "by their own words" in w.message]
        assert "R203: its Purpose 'Claim-1 gate cross-review'" in warning

    def test_020_a_name_one_identifier_short_of_another_blocks_is_placed_by_the_plans_list(
        self, tmp_path: Path
    ) -> None:
        """020's R033 `shuffled_memory` (milestone M3) is B4's "shuffled memory" and the start of
        B3's `shuffled_memory_negative_control`: it was placed in B4 and its numbers judged
        there. B3's checklist lists it ("R033: shuffled-memory negative-control"), so it is
        B3's, standing for that system; without the list it would be in no block, with why."""
        from bridge.projections.reasons import in_language

        project = as_project("020", tmp_path)
        runs = {r.id: r for r in load_project(project).runs}
        assert (runs["R033"].block, runs["R033"].block_system) == (
            "B3",
            "`shuffled_memory_negative_control`",
        )
        assert runs["R033"].attribution == "listed in block B3's section"
        assert runs["R020"].block == "B2"  # B1's "controller-native only …" is another name
        plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        plan.write_text(plan.read_text(encoding="utf-8").replace("- [ ] R033:", "- [ ] R0-33:"))
        runs = {r.id: r for r in load_project(project).runs}
        assert runs["R033"].block == ""
        assert runs["R033"].attribution.startswith(
            "system 'shuffled_memory' is compared in block B4 and begins block B3's"
        )
        assert "系统 'shuffled_memory' 是实验块 B4 的对比系统" in in_language(
            runs["R033"].attribution, "zh"
        )

    def test_011_a_sanity_run_outside_the_sanity_milestone_is_no_blocks(
        self, tmp_path: Path
    ) -> None:
        """011's R012 "Sanity: overfit on 100 items" runs B2's "Multi-task DeBERTa" in M1: its
        overfit score would be averaged with R014's real one; it is listed with the reason."""
        runs = {r.id: r for r in load_project(as_project("011", tmp_path)).runs}
        r012 = runs["R012"]
        assert r012.block == ""
        assert r012.attribution == (
            "its Purpose says it is a sanity check ('Sanity: overfit on 100 items'), whose "
            "numbers are not a block's"
        )
        # Trial O1: `block = "B2"` on the system's [systems] table pooled R012 into B2 (met on
        # its overfit score); the table places the system's other runs, not the sanity check.
        project = tmp_path / "011"
        as_project("011", project)
        (project / "bridge.toml").write_text(
            '[systems."DeBERTa multi-task λ=0.3"]\nblock = "B2"\n'
            'aliases = ["Multi-task DeBERTa"]\n',
            encoding="utf-8",
        )
        loaded = load_project(project)
        placed = {r.id: r for r in loaded.runs}
        assert placed["R012"].block == "" and placed["R014"].block == "B2"
        (warning,) = [w.message for w in loaded.warnings if "R012 not attributed" in w.message]
        assert warning.endswith(
            "It is reported under its milestone; set `block` on its [[runs]] entry if its "
            "numbers are a block's"
        )
        # In the sanity milestone a "Sanity check" run is what it should be: the rule is silent.
        sanity = {r.id: r for r in load_project(as_project("001", tmp_path / "001")).runs}
        assert sanity["R001"].milestone == "M0"
        assert "sanity check" not in sanity["R001"].attribution

    def test_011_the_llm_judges_run_is_b1s(self, tmp_path: Path) -> None:
        """011's R018 "GPT-4o-mini + Qwen-32B" (M2, "LLM judges on 200 samples") runs B1's
        "GPT-4o-mini judge" and "Qwen-32B judge": it was in no block ("system 'GPT-4o-mini +
        Qwen-32B' is not among any block's compared systems"), so B1, the main block, had
        nothing of M2 to judge. R019 "Multi-task + single-task" names systems of B1 and B2:
        still in none, with that reason."""
        from bridge.projections.reasons import in_language

        loaded = load_project(as_project("011", tmp_path))
        runs = {r.id: r for r in loaded.runs}
        assert (runs["R018"].block, runs["R018"].attribution) == (
            "B1",
            "its system joins block B1's compared systems 'GPT-4o-mini judge', 'Qwen-32B judge'",
        )
        assert (runs["R019"].block, runs["R019"].attribution) == (
            "",
            "system 'Multi-task + single-task' joins systems compared in blocks B1, B2 "
            "('Multi-task': B1, B2; 'single-task': B2): which block its numbers are for is not "
            "said; give each block's systems a row of their own",
        )
        # The main milestone M2 has a block now: no "has no block" warning.
        assert not [w for w in loaded.warnings if w.message.startswith("the main milestone ")]
        # M3's R028-R030 run B3's systems; its R027 "Quality judge" (a quality gate on the
        # candidates) shares only "judge" with them, a word of B1's and B4's systems too: it
        # was placed in B3 by that word, its pass rate listed under B3's verdict (F8).
        guess = (
            "milestone M3's runs R028, R029, R030 run block B3's systems, but system 'Quality "
            "judge' shares only the word 'judge' with them, which the systems of blocks B1, B4 "
            'have too: not placed by that word; if its numbers are B3\'s, set `block = "B3"` '
            "for it"
        )
        assert (runs["R027"].block, runs["R027"].attribution) == ("", guess)
        assert [w.message for w in loaded.warnings if "R027 not attributed" in w.message] == [
            f"run R027 not attributed to a block: {guess}. Set `block` on the run's [[runs]] "
            "entry or its [systems] table, or fill the tracker's Block column"
        ]
        assert in_language(guess, "zh").endswith(
            "，但系统 'Quality judge' 与它们只共有一个词 'judge'，"
            "而实验块 B1, B4 的系统也有这个词：不据此归属；"
            '若其数值属于 B3，请为它设置 `block = "B3"`'
        )

    def test_001_an_alias_names_a_system_without_its_description(self, tmp_path: Path) -> None:
        """001's B3 lists "E6: E_best(shuffled depth) — randomly permute depth maps across
        images": an alias "E6: E_best(shuffled depth)" placed nothing (only the whole line with
        its description did, trial O1); an alias naming no system at all is warned about."""
        project = tmp_path / "001"
        as_project("001", project)
        (project / "bridge.toml").write_text(
            '[systems."Best method + shuffled depth"]\naliases = ["E6: E_best(shuffled depth)"]\n'
            '[systems."Best method + zero depth"]\naliases = ["Totally unknown name"]\n',
            encoding="utf-8",
        )
        loaded = load_project(project)
        runs = {r.id: r for r in loaded.runs}
        assert (runs["R007"].block, runs["R007"].block_system) == (
            "B3",
            "E6: E_best(shuffled depth) — randomly permute depth maps across images",
        )
        (dead,) = [w for w in loaded.warnings if "names no compared system" in w.message]
        assert dead.message.startswith(
            "[systems.\"Best method + zero depth\"] aliases: 'Totally unknown name' names no "
            "compared system of any block"
        )
        assert (dead.file, dead.line) == ("bridge.toml", 3)

    def test_001_an_alias_for_an_ablation_keeps_what_it_takes_away(self, tmp_path: Path) -> None:
        """001's R012 "DepthGate no-Sobel" under `[systems."DepthGate (without Sobel)"]`: the
        table's "(without Sobel)" is never dropped, so the run is not B2's full "DepthGate"
        but B5's "DepthGate (without Sobel): raw depth only, …"."""
        root = as_project("001", tmp_path)
        (root / "bridge.toml").write_text(
            '[run]\ncommand = "true"\n\n[systems."DepthGate (without Sobel)"]\n'
            'aliases = ["DepthGate no-Sobel"]\n'
        )
        runs = {r.id: r for r in load_project(root).runs}
        assert (runs["R012"].block, runs["R012"].attribution) == ("B5", "system matches one block")

    def test_001_a_variant_run_stands_for_the_system_its_distinguishing_word_names(
        self, tmp_path: Path
    ) -> None:
        """001's B3 compares "E_best(predicted depth)", "E6: E_best(shuffled depth)" and "E7:
        E_best(zero depth)"; its tracker rows run "Best method + shuffled depth" (R007) and
        "Best method + zero depth" (R008). They stood for none of them, so B3 found "no results
        for system E6" beside R007's number (trial t11)."""
        runs = {r.id: r for r in load_project(as_project("001", tmp_path)).runs}
        assert (runs["R007"].block, runs["R007"].block_system) == (
            "B3",
            "E6: E_best(shuffled depth) — randomly permute depth maps across images",
        )
        assert (runs["R008"].block, runs["R008"].block_system) == (
            "B3",
            "E7: E_best(zero depth) — all-zero depth tensor",
        )

    def test_030_block_column_holds_titles(self, tmp_path: Path) -> None:
        """030: the Block column says `Accounts`, `AI-AI`, `Scheduler`: the blocks so titled."""
        runs = {r.id: r.block for r in load_project(as_project("030", tmp_path)).runs}
        assert (runs["A1"], runs["A2"], runs["B1"], runs["C1"]) == ("A", "A", "B", "C")


@pytest.mark.parametrize(
    ("written", "system", "systems", "expected"),
    [
        ("current additive JORA-Diag", "current additive JORA-Diag (global sparse rotation)",
         ("current additive JORA-Diag (global sparse rotation)", "JORA-NoRot"), True),
        ("`Ours`", "**Ours** (proposed)", ("Baseline", "**Ours** (proposed)"), True),
        ("X (no scaling)", "X", ("X", "Y"), False),
        ("X", "X (without gate)", ("X (without gate)",), False),
        ("X", "X (ours)", ("X", "X (ours)"), False),
        ("X", "X (a)", ("X (a)", "X (b)"), False),
        # 002's B1: the name with words of its own commentary.
        ("TC-CS-1S attention-only", "TC-CS-1S (attention-only first)",
         ("JORA-NoRot", "TC-CS-1S (attention-only first)"), True),
        ("TC-CS-1S all-layers", "TC-CS-1S (attention-only first)",
         ("JORA-NoRot", "TC-CS-1S (attention-only first)"), False),
        ("X small", "X (small, fast)", ("X (small, fast)", "X (small, slow)"), False),
        ("X gate", "X (without gate)", ("X (without gate)",), False),
    ],
)  # fmt: skip
def test_a_run_stands_for_a_system_written_without_its_commentary(
    written: str, system: str, systems: tuple[str, ...], expected: bool
) -> None:
    """A run's system stands for a block's system named the same once the block's commentary
    is dropped, or named with words of that commentary, unless the commentary takes a part away
    or the name fits two systems."""
    assert stands_for(written, system, systems) is expected


SCRIPTS_PLAN = """# Plan

## Experiment Blocks

### Block 1: Data and Retrieval Sanity
- Compared systems: BM25 over names and cards.
- Setup details: reuse `scripts/prepare.py` and `scripts/train.py`.
- Success criterion: MRR > 0.3.

### Block 2: Signal Extraction
- Compared systems: per-tool diagnostic scores.
- Setup details: run `scripts/signals.py` after `train.py`.
- Success criterion: MRR > 0.3.

### Block 3: Policy Readiness Check
- Compared systems: frequency-only heuristic, signal heuristic.
- Setup details: fit on the outputs.
- Success criterion: MRR > 0.3.

### Block 4: Training dynamics
- Compared systems: LoRA.
- Success criterion: MRR > 0.3.

## Run Order and Milestones

| Milestone | Goal | Runs | Decision Gate |
|---|---|---|---|
| M0 | Rebuild data | `prepare.py` | schemas cover tasks |
| M1 | Signal report | `signals.py` | groups nonempty |
| M2 | Policy readiness | compare heuristics | signal wins |
| M3 | Train | `train.py` | loss falls |
| M4 | Extras | extra runs | none |
"""

SCRIPTS_TRACKER = """| Run ID | Milestone | Purpose | System / Variant | Status | Notes |
|---|---|---|---|---|---|
| R1 | M0 | rebuild data | local parser | TODO | |
| R2 | M1 | signals | signal diagnostics | TODO | |
| R3 | M2 | readiness | heuristic vs oracle | TODO | |
| R4 | M3 | training | trainer | TODO | |
| R5 | M4 | extra signals | diagnostics v2 | TODO | Uses `scripts/signals.py`. |
| R6 | M4 | extra training | trainer v2 | TODO | Uses `train.py`. |
| R7 | M0 | LoRA rerun | LoRA | TODO | |
"""


class TestScriptsAndGoals:
    """A milestone that names no block still says which block it runs: by the scripts its Runs
    cell names that only one block's text names, or by its goal being a block's title (009)."""

    @pytest.fixture
    def runs(self, tmp_path: Path) -> dict[str, tuple[str, str]]:
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", SCRIPTS_PLAN)
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", SCRIPTS_TRACKER)
        return {r.id: (r.block, r.attribution) for r in load_project(tmp_path).runs}

    def test_a_script_only_one_block_names(self, runs: dict[str, tuple[str, str]]) -> None:
        assert runs["R1"] == (
            "B1",
            "milestone M0's Runs cell names `prepare.py`, which only block B1 names",
        )
        assert runs["R2"][0] == "B2"

    def test_a_goal_in_one_blocks_title(self, runs: dict[str, tuple[str, str]]) -> None:
        assert runs["R3"] == (
            "B3",
            "milestone M2, 'Policy readiness', is named in block B3's title "
            "'Policy Readiness Check'",
        )

    def test_a_script_several_blocks_name_and_a_partial_word_say_nothing(
        self, runs: dict[str, tuple[str, str]]
    ) -> None:
        """`train.py` is in B1 and B2; "Train" is not the word "Training"."""
        assert runs["R4"][0] == ""
        assert runs["R4"][1].startswith("milestone M3 names no block")
        assert runs["R6"][0] == ""

    def test_the_tracker_notes_name_a_script(self, runs: dict[str, tuple[str, str]]) -> None:
        assert runs["R5"] == (
            "B2",
            "the tracker names `signals.py`, which only block B2 names",
        )

    def test_the_runs_own_system_comes_first(self, runs: dict[str, tuple[str, str]]) -> None:
        """R7 runs B4's LoRA in milestone M0, whose script only B1 names."""
        assert runs["R7"] == ("B4", "system matches one block")

    def test_a_value_in_a_code_span_names_no_block(self, tmp_path: Path) -> None:
        """021's M0 Runs cell names `40A->20A`, a load step B2's text quotes: a value, not code
        (an identifier such as `tau_AI` still counts)."""
        write(
            tmp_path,
            "refine-logs/EXPERIMENT_PLAN.md",
            SCRIPTS_PLAN.replace(
                "| M4 | Extras | extra runs | none |", "| M4 | Load | `40A->20A` step | none |"
            ).replace("- Setup details: fit on the outputs.", "- Setup details: steps `40A->20A`."),
        )
        write(
            tmp_path,
            "refine-logs/EXPERIMENT_TRACKER.md",
            "| Run ID | Milestone | System / Variant | Status |\n|---|---|---|---|\n"
            "| R1 | M4 | logger | TODO |\n",
        )
        (run,) = load_project(tmp_path).runs
        assert run.block == ""

    @needs_corpus
    def test_009_every_run_placed_from_the_plan_alone(self, tmp_path: Path) -> None:
        """The real 009 plan: no Block column, a run-order table naming scripts."""
        runs = {r.id: r for r in load_project(as_project("009", tmp_path)).runs}
        assert {i: r.block for i, r in runs.items()} == {
            "R001": "B1",
            "R002": "B1",
            "R003": "B2",
            "R004": "B3",
            "R005": "B4",
        }
        assert "`template_macro`" in runs["R004"].attribution
        assert "'Policy readiness'" in runs["R005"].attribution


def test_a_block_the_notes_mention_does_not_outweigh_the_milestones_one_block(
    tmp_path: Path,
) -> None:
    """029's R060 (milestone M6, whose one block is M6) notes its output is "sufficient for M8
    figures": it was placed in M8. Where the milestone has no single block, the Notes still say."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# Plan\n\n## Experiment Blocks\n\n"
        "### Block 1: Main\n- Compared systems: Ours.\n- Success criterion: accuracy > 0.5.\n\n"
        "### Block 2: Figures\n- Compared systems: Plots.\n- Success criterion: accuracy > 0.5.\n\n"
        "## Run Order and Milestones\n\n| Milestone | Goal | Runs | Decision Gate |\n"
        "|---|---|---|---|\n| M1 | main | B1 | - |\n| M2 | both | B1, B2 | - |\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System | Status | Notes |\n|---|---|---|---|---|\n"
        "| R1 | M1 | kpi | TODO | output sufficient for B2 figures |\n"
        "| R2 | M2 | kpi | TODO | for B2 |\n",
    )
    runs = {r.id: (r.block, r.attribution) for r in load_project(tmp_path).runs}
    assert runs["R1"] == ("B1", "milestone M1's only block")
    assert runs["R2"] == ("B2", "a block named in the tracker's Notes")


def test_a_run_a_blocks_checklist_lists_is_that_blocks(tmp_path: Path) -> None:
    """020's blocks list their runs (`- [ ] R030: …` under `### B3`) while the runs' systems
    are compared in several blocks and the milestones name none: 52 of 74 runs fell out of
    their blocks. A run listed in two blocks' sections, or only mentioned in an item's prose,
    is not placed by the listing."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# Plan\n\n## Experiment Blocks\n\n"
        "### B2: Baselines\n- Compared systems: `instant_mlp`, `gru`.\n"
        "- Success criterion: accuracy > 0.5.\n\n"
        "- [ ] R020: instant MLP baseline（若不跑，R031 summary 必须写明）.\n"
        "- [x] **R021** — GRU baseline.\n- [ ] R040: shared with B3.\n\n"
        "### B3: Memory value\n- Compared systems: `instant_mlp`, `gru`.\n"
        "- Success criterion: accuracy > 0.5.\n\n"
        "1. **R030** no-memory supervisor.\n- [ ] R040: shared with B2.\n\n"
        "## Run Order and Milestones\n\n| Milestone | Goal | Runs | Decision Gate |\n"
        "|---|---|---|---|\n| M2 | baseline ladder | R020-R040 | - |\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System | Status |\n|---|---|---|---|\n"
        "| R020 | M2 | instant_mlp | TODO |\n| R021 | M2 | gru | TODO |\n"
        "| R030 | M2 | instant_mlp | TODO |\n| R031 | M2 | gru | TODO |\n"
        "| R040 | M2 | gru | TODO |\n",
    )
    runs = {r.id: (r.block, r.system, r.attribution) for r in load_project(tmp_path).runs}
    assert runs["R020"] == ("B2", "instant_mlp", "listed in block B2's section")
    assert runs["R021"] == ("B2", "gru", "listed in block B2's section")
    assert runs["R030"] == ("B3", "instant_mlp", "listed in block B3's section")
    # Mentioned in B2's prose only, and listed in both blocks: the systems decide, and here
    # they cannot.
    assert runs["R031"][0] == runs["R040"][0] == ""
    assert "compared in blocks B2, B3" in runs["R040"][2]


def test_an_alias_shares_a_run_and_does_not_take_it_from_its_purposes_block(
    tmp_path: Path,
) -> None:
    """005: `[systems."full v5, NO wrapper"] aliases = ["Joint search"]` (B4's name for the
    same forward pass) took R011 out of B1, whose system its Purpose names ("C2 RAW joint v5
    …"), and B1's verdict went from not met to inconclusive. The alias names the system for the
    blocks that share the run; with `block = "B1"` set as well, R011 stands for B1's system its
    Purpose names, not for none of them."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# Plan\n\n## Experiment Blocks\n\n"
        "### Block 1: Headline\n- Compared systems: A0 baseline; RAW joint v5.\n"
        "- Success criterion: mean lift ≥ 0.05.\n\n"
        "### Block 4: Placement\n- Compared systems: Joint search; Random K=3.\n"
        "- Success criterion: search > random by ≥ 0.10 mean lift.\n\n"
        "## Run Order and Milestones\n\n| Milestone | Goal | Runs | Decision Gate |\n"
        "|---|---|---|---|\n| M3 | headline | R011 | - |\n| M4 | placement | R014 | - |\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | Purpose | System | Status |\n|---|---|---|---|---|\n"
        "| R011 | M3 | C2 RAW joint v5 on 10 | full v5, NO wrapper | TODO |\n"
        "| R014 | M4 | A2 random | Random K=3 | TODO |\n",
    )
    aliased = '[systems."full v5, NO wrapper"]\naliases = ["Joint search"]\n'
    write(tmp_path, "bridge.toml", aliased)
    runs = {r.id: (r.block, r.block_system, r.attribution) for r in load_project(tmp_path).runs}
    assert runs["R011"] == ("B1", "RAW joint v5", "Purpose begins with system 'RAW joint v5'")
    write(tmp_path, "bridge.toml", aliased + 'block = "B1"\n')
    runs = {r.id: (r.block, r.block_system, r.attribution) for r in load_project(tmp_path).runs}
    assert runs["R011"][:2] == ("B1", "RAW joint v5")
    # With nothing else to go on, the alias still places the run.
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System | Status |\n"
        "|---|---|---|---|\n| R011 | M3 | full v5, NO wrapper | TODO |\n",
    )
    write(tmp_path, "bridge.toml", aliased)
    runs = {r.id: (r.block, r.block_system, r.attribution) for r in load_project(tmp_path).runs}
    assert runs["R011"] == ("B4", "Joint search", "an alias of its system matches one block")


def test_the_same_words_in_another_order_name_the_same_system(tmp_path: Path) -> None:
    """021's B5 compares "only `Lambda_diff`" and its tracker's R012 runs "`Lambda_diff` only":
    the block read "no runs". Where a word makes the order matter ("A without B"), another
    order is another system."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# Plan\n\n## Experiment Blocks\n\n"
        "### Block 5: Ablation\n- Compared systems: only `Lambda_diff`; gate without memory.\n"
        "- Success criterion: accuracy > 0.5.\n\n"
        "## Run Order and Milestones\n\n| Milestone | Goal | Runs | Decision Gate |\n"
        "|---|---|---|---|\n| M5 | ablation | R012-R013 | - |\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System | Status |\n|---|---|---|---|\n"
        "| R012 | M5 | `Lambda_diff` only | TODO |\n| R013 | M5 | memory without gate | TODO |\n",
    )
    runs = {r.id: (r.block, r.block_system) for r in load_project(tmp_path).runs}
    assert runs["R012"] == ("B5", "only `Lambda_diff`")
    assert runs["R013"][1] == ""  # not "gate without memory"


def test_runs_listed_one_a_line_in_a_blocks_section_are_its_runs(tmp_path: Path) -> None:
    """Trial N3 on 027: B1's section lists "Runs:" in a plain block, one id a line with its
    description after two spaces (`R-L3  semantic-weighted MSE + consistency   200K`); the runs
    fell out of the block ("milestone M1 names no block") and B1 had no runs. A line of prose
    that opens with an id and one space lists nothing."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# P\n\n## Experiment Blocks\n\n### B1: Scratch runs\n\n- Success criterion: loss < 1\n\n"
        "Runs:\n\n```text\nR-L2  semantic-weighted MSE        200K\n"
        "R-L3  semantic-weighted MSE + consistency   200K\n```\n\n"
        "### B2: Other\n\n- Success criterion: loss < 2\n\nR-L4 is run after B1.\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System | Status |\n|---|---|---|---|\n"
        "| R-L2 | M1 | weighted MSE | TODO |\n| R-L3 | M1 | L2 + consistency | TODO |\n"
        "| R-L4 | M1 | other | TODO |\n",
    )
    runs = {r.id: (r.block, r.attribution) for r in load_project(tmp_path).runs}
    assert runs["R-L2"] == ("B1", "listed in block B1's section")
    assert runs["R-L3"] == ("B1", "listed in block B1's section")
    assert runs["R-L4"][0] == ""


def test_a_milestone_only_the_tracker_names_goes_to_the_block_with_its_number(
    tmp_path: Path,
) -> None:
    """Trial on 027: the plan has blocks B1, B1.5 and B2 and no run order; the tracker runs
    M1.5 and M2. R-L3-V (B1.5's JiT comparator) and R-A1 (B2's architecture baseline) fell
    out of their blocks ("milestone M1.5 names no block"). Only a scheme places: a milestone
    with no block of its number (M7) says the numbers are not one, and a milestone the plan
    defines says what it runs: its number alone places nothing."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# P\n\n## B1: Scratch runs\n\n- Success criterion: loss < 1\n\n"
        "## B1.5: JiT comparator\n\n- Success criterion: loss < 1\n\n"
        "## B2: Architecture isolation\n\n- Success criterion: loss < 2\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System | Status |\n|---|---|---|---|\n"
        "| R-L3-V | M1.5 | x0 head + v loss | TODO |\n| R-A1 | M2 | one-stage | TODO |\n",
    )
    runs = {r.id: (r.block, r.attribution) for r in load_project(tmp_path).runs}
    assert runs["R-L3-V"] == (
        "B1.5",
        "milestone M1.5, which the plan does not define, has block B1.5's number",
    )
    assert runs["R-A1"][0] == "B2"
    tracker = tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(tracker.read_text() + "| R-X | M7 | other | TODO |\n")
    assert {r.block for r in load_project(tmp_path).runs} == {""}
    tracker.write_text(tracker.read_text().replace("| R-X | M7 | other | TODO |\n", ""))
    # The same milestones defined by the plan's run order: their numbers say nothing.
    plan = tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(
        plan.read_text() + "\n## Run order\n\n| Milestone | Goal | Runs |\n|---|---|---|\n"
        "| M1.5 | compare heads | R-L3-V |\n| M2 | isolate | R-A1 |\n"
    )
    assert {r.id: r.block for r in load_project(tmp_path).runs}["R-A1"] == ""


def test_a_script_the_tracker_names_outweighs_a_milestones_number(tmp_path: Path) -> None:
    """The number of a milestone only the tracker names is the weakest evidence: a run of M2
    whose Notes name a script only B1.5's setup runs is B1.5's, not B2's."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# P\n\n## B1.5: JiT comparator\n\n- Setup: `scripts/jit_compare.py`\n"
        "- Success criterion: loss < 1\n\n"
        "## B2: Architecture isolation\n\n- Success criterion: loss < 2\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System | Status | Notes |\n|---|---|---|---|---|\n"
        "| R-L3-V | M1.5 | x0 head | TODO | |\n"
        "| R-A1 | M2 | one-stage | TODO | |\n"
        "| R-A9 | M2 | re-check | TODO | runs `scripts/jit_compare.py` again |\n",
    )
    runs = {r.id: r.block for r in load_project(tmp_path).runs}
    assert runs == {"R-L3-V": "B1.5", "R-A1": "B2", "R-A9": "B1.5"}


ALTERNATIVES_PLAN = """# Plan

## Experiment Blocks

### Block 1: Open loop

- **Compared systems**: persistence, Direct24
- **Success criterion**: Direct24 ENS > persistence ENS

### Block 2: Correction

- **Compared systems**: VanillaFilter, PredRNN-online
- **Success criterion**: PredRNN-online MAE < VanillaFilter MAE
"""


def test_a_system_written_as_alternatives_runs_the_one_a_block_compares(tmp_path: Path) -> None:
    """A run of "A or B" runs one of them: when only A is a compared system, of one block, it is
    that block's (023's R022 "PredRNN-online or matched recurrent assimilation"); when B is
    another block's, which one it runs is not said, and "A / B" (a row running both) is no
    alternative."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", ALTERNATIVES_PLAN)
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System / Variant | Status |\n|---|---|---|---|\n"
        "| R1 | M1 | PredRNN-online or matched recurrent assimilation | TODO |\n"
        "| R2 | M1 | Direct24 或 VanillaFilter | TODO |\n"
        "| R3 | M1 | PredRNN-online / recurrent assimilation | TODO |\n"
        "| R4 | M1 | 或许 VanillaFilter | TODO |\n",
    )
    runs = {r.id: r for r in load_project(tmp_path).runs}
    assert (runs["R1"].block, runs["R1"].block_system, runs["R1"].attribution) == (
        "B2",
        "PredRNN-online",
        "its system's alternative 'PredRNN-online' matches one block",
    )
    assert [runs[r].block for r in ("R2", "R3", "R4")] == ["", "", ""]
    assert "not among any block's compared systems" in runs["R2"].attribution


def test_a_system_joining_one_blocks_systems_is_that_blocks_run(tmp_path: Path) -> None:
    """A row of "A + B" where A and B are compared systems of one block is that block's run,
    standing for neither alone; of two blocks, it is in none and the reason names both; a "+"
    whose parts are no compared systems (a method's parts) reads as before."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", ALTERNATIVES_PLAN)
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System / Variant | Status |\n|---|---|---|---|\n"
        "| R1 | M1 | VanillaFilter + PredRNN-online | TODO |\n"
        "| R2 | M1 | Direct24 + VanillaFilter | TODO |\n"
        "| R3 | M1 | Direct24 + attention | TODO |\n",
    )
    runs = {r.id: r for r in load_project(tmp_path).runs}
    assert (runs["R1"].block, runs["R1"].block_system, runs["R1"].attribution) == (
        "B2",
        "",
        "its system joins block B2's compared systems 'VanillaFilter', 'PredRNN-online'",
    )
    assert (runs["R2"].block, runs["R2"].attribution) == (
        "",
        "system 'Direct24 + VanillaFilter' joins systems compared in blocks B1, B2 ('Direct24': "
        "B1; 'VanillaFilter': B2): which block its numbers are for is not said; give each "
        "block's systems a row of their own",
    )
    assert (runs["R3"].block, runs["R3"].attribution) == (
        "",
        "milestone M1 names no block; system 'Direct24 + attention' is not among any block's "
        "compared systems",
    )


def test_the_reason_of_a_run_joining_several_blocks_systems_reads_in_chinese() -> None:
    from bridge.projections.reasons import in_language

    said = (
        "system 'Direct24 + VanillaFilter' joins systems compared in blocks B1, B2 ('Direct24': "
        "B1; 'VanillaFilter': B2): which block its numbers are for is not said; give each "
        "block's systems a row of their own"
    )
    assert in_language(said, "zh") == (
        "系统 'Direct24 + VanillaFilter' 合并了实验块 B1, B2 的对比系统（'Direct24': B1; "
        "'VanillaFilter': B2）：未写明其数值属于哪个实验块；请为每个实验块的系统各写一行"
    )


SIBLINGS_PLAN = """# Plan

## Experiment Blocks

### Block 1: Open loop

- **Compared systems**: persistence, Direct24
- **Success criterion**: Direct24 ENS > persistence ENS

### Block 2: Correction

- **Compared systems**: VanillaFilter, PredRNN-online, residual update
- **Success criterion**: residual update MAE < VanillaFilter MAE

## Run Order and Milestones

| Milestone | Goal | Runs | Decision Gate |
|---|---|---|---|
| M1 | Pilot | R1–R4 | gain |
| M2 | Mixed | R5–R7 | gain |
| M3 | Lone | R8–R9 | gain |
"""


def test_a_milestones_runs_of_one_blocks_systems_place_its_other_runs(tmp_path: Path) -> None:
    """A milestone naming no block whose runs run one block's compared systems (two at least,
    none in another block) is that block's: its other runs sharing a word with the block's
    systems are placed there (023's M2); a run sharing none, a milestone whose runs run two
    blocks' systems, or one with a single such run, place nothing."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", SIBLINGS_PLAN)
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System / Variant | Status |\n|---|---|---|---|\n"
        "| R1 | M1 | VanillaFilter | TODO |\n| R2 | M1 | PredRNN-online | TODO |\n"
        "| R3 | M1 | aligned residual update | TODO |\n| R4 | M1 | tokenizer audit | TODO |\n"
        "| R5 | M2 | VanillaFilter | TODO |\n| R6 | M2 | Direct24 | TODO |\n"
        "| R7 | M2 | aligned residual update | TODO |\n"
        "| R8 | M3 | VanillaFilter | TODO |\n| R9 | M3 | aligned residual update | TODO |\n",
    )
    runs = {r.id: r for r in load_project(tmp_path).runs}
    assert (runs["R3"].block, runs["R3"].attribution) == (
        "B2",
        "milestone M1's runs R1, R2 run block B2's systems",
    )
    assert {r: runs[r].block for r in ("R4", "R7", "R9")} == {"R4": "", "R7": "", "R9": ""}
    assert runs["R4"].attribution == (
        "milestone M1 names no block; system 'tokenizer audit' is not among any block's "
        "compared systems"
    )


DESCRIBED_PLAN = """# Plan

## Experiment Blocks

### Block 1: Main

- **Compared systems**:
  1. **`Menu`** — L1+L2+menu+L4
  2. **Synth (ours)** — L1+L2+synth+L4
  3. **Synth-big** — L1+L2+synth+L4
- **Success criterion**: Synth accuracy > Menu accuracy

## Milestones

| Milestone | Goal | Runs |
|---|---|---|
| M1 | Main | B1 |
"""


def test_a_run_carrying_a_systems_description_runs_it_when_only_one_has_it(
    tmp_path: Path,
) -> None:
    """A compared system written "**NAME** — DESCRIPTION" is NAME, markup stripped, and a run
    whose system begins with the description runs it (004's R202), unless two systems share
    that description: then it runs neither, and says nothing it does not know."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", DESCRIBED_PLAN)
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | Purpose | System / Variant | Status |\n|---|---|---|---|---|\n"
        "| R1 | M1 | menu run | L1+L2+menu+L4; k=3 | TODO |\n"
        "| R2 | M1 | synth run | L1+L2+synth+L4 | TODO |\n",
    )
    loaded = load_project(tmp_path)
    assert loaded.plan.blocks[0].systems == ("Menu", "Synth (ours)", "Synth-big")
    runs = {r.id: r for r in loaded.runs}
    assert {r: (runs[r].block, runs[r].block_system) for r in runs} == {
        "R1": ("B1", "Menu"),
        "R2": ("B1", ""),
    }


def test_a_run_with_two_systems_distinguishing_words_stands_for_neither(tmp_path: Path) -> None:
    """A run named by the words that tell one variant apart stands for that variant, but not one
    that also says another's ("shuffled" and "zero"), nor one that shares no word of the
    variants' common name: which one it runs is then not said."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# Plan\n\n## Experiment blocks\n\n### Block 1: Causality\n"
        "- **Compared systems**:\n  - Net(predicted depth)\n  - Net(shuffled depth)\n"
        "  - Net(zero depth)\n- **Success criterion**: Predicted > Shuffled\n\n"
        "## Run order\n\n| Milestone | Goal | Runs | Decision gate | Cost |\n"
        "|---|---|---|---|---|\n| M1 | Causality | Block 1 | - | 1h |\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | Purpose | System / Variant | Status |\n|---|---|---|---|---|\n"
        "| R1 | M1 | c | Net variant, shuffled depth | TODO |\n"
        "| R2 | M1 | c | Net variant, shuffled then zero depth | TODO |\n"
        "| R3 | M1 | c | Other + zero | TODO |\n",
    )
    runs = {r.id: r for r in load_project(tmp_path).runs}
    assert [(runs[i].block, runs[i].block_system) for i in ("R1", "R2", "R3")] == [
        ("B1", "Net(shuffled depth)"),
        ("B1", ""),
        ("B1", ""),
    ]


@needs_corpus
def test_021_b2s_own_metric_on_loose_runs_is_said_not_placed(tmp_path: Path) -> None:
    """021's must-run B2 got no runs though milestone M1 (naming no block) runs R002-R004c on
    `N_skip`, a metric B2 alone lists (trial h40D F4): bridge says so, and places none of them
    (a shared metric is evidence, not the plan's word). R004d records "skip", not `N_skip`."""
    from bridge.projections.plan_words import warning_in_language

    loaded = load_project(as_project("021", tmp_path))
    assert not [r.id for r in loaded.runs if r.block == "B2"]
    (said,) = [w for w in loaded.warnings if w.message.startswith("must-run block")]
    assert said.line == 48 and said.file.endswith("EXPERIMENT_PLAN.md")
    assert said.message == (
        "must-run block B2 has no runs, while R002, R003, R004, R004b, R004c, placed in no "
        "block, record N_skip, which only block B2 lists among the blocks' metrics: bridge does "
        "not place a run by a metric; if they are B2's, write B2 in their tracker Block column "
        '(or `block = "B2"` on the [[runs]] entry)'
    )
    assert warning_in_language(said.message, "zh") == (
        "必做实验块 B2 没有任何运行，而未归属任何实验块的 R002, R003, R004, R004b, R004c 记录了 "
        "N_skip，在各实验块的指标中只有 B2 列出它：bridge 不按指标归属运行；若它们是 B2 的运行，"
        '请在追踪表的 Block 列填写 B2（或在其 [[runs]] 条目中设置 `block = "B2"`）'
    )
    # One run listed (R002 alone records N_skip): "it", 它, not "they", 它们 (h41).
    tracker = tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(tracker.read_text().replace(", `N_skip`", ""))
    (one,) = [w for w in load_project(tmp_path).warnings if w.message.startswith("must-run block")]
    assert one.message == (
        "must-run block B2 has no runs, while R002, placed in no block, records N_skip, which "
        "only block B2 lists among the blocks' metrics: bridge does not place a run by a "
        "metric; if it is B2's, write B2 in its tracker Block column "
        '(or `block = "B2"` on the [[runs]] entry)'
    )
    assert warning_in_language(one.message, "zh") == (
        "必做实验块 B2 没有任何运行，而未归属任何实验块的 R002 记录了 N_skip，在各实验块的指标中"
        "只有 B2 列出它：bridge 不按指标归属运行；若它是 B2 的运行，"
        '请在追踪表的 Block 列填写 B2（或在其 [[runs]] 条目中设置 `block = "B2"`）'
    )


@pytest.mark.skipif(not plan_dirs(), reason="needs the shared corpus")
def test_a_placeholder_in_the_block_column_names_no_block(tmp_path: Path) -> None:
    """032 given a block and a Block column, as `bridge plan` advises (trial h41I F7): E01's
    '-' read "the tracker's Block column '-' names no block of the plan", a placeholder taken
    for a block's name. It names none, as '-' in a System cell names no system."""
    project = as_project("032", tmp_path)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(
        plan.read_text(encoding="utf-8") + "\n## Experiment Blocks\n\n### Block 11: 2-org MVP\n"
        "- **Compared systems**: FedAvg, Ours (proposed)\n"
        "- **Success criterion**: Ours reduces AggViol by at least 0.05 over FedAvg\n",
        encoding="utf-8",
    )
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    old = "| E01 | Synthetic quadratic toy | N/A | 2 | 1 |"
    assert old in text
    text = text.replace("| ID | Experiment | Model |", "| ID | Experiment | Block | Model |", 1)
    text = text.replace("|----|-----------|-------|", "|----|-----------|-------|-------|", 1)
    text = text.replace(old, "| E01 | Synthetic quadratic toy | - | N/A | 2 | 1 |")
    text = text.replace(
        "| E02 | 2-org MVP: FedAvg vs Ours |", "| E02 | 2-org MVP: FedAvg vs Ours | B11 |"
    )
    text = text.replace(
        "| E03 | 6-org baselines (B1-B10) |", "| E03 | 6-org baselines (B1-B10) | — |"
    )
    text = text.replace("| E04 | 6-org full method |", "| E04 | 6-org full method | N/A |")
    tracker.write_text(text, encoding="utf-8")
    runs = {r.id: r for r in load_project(project).runs}
    assert runs["E02-s0"].block == "B11"
    for run_id in ("E01", "E03-s0", "E04-s0"):
        assert runs[run_id].block == "", run_id
        assert "Block column" not in runs[run_id].attribution, runs[run_id].attribution
    assert runs["E01"].attribution == "no milestone; no system to match"
