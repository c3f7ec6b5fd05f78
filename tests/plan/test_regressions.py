"""
Parser bugs found by running the real pipeline, each pinned by a regression test.

Every expectation was written by reading the plan text (the quickstart example, the corpus files
or the small plans below), not by running the parser.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bridge.errors import ConfigError
from bridge.plan import load_plan, load_project, parse_plan_text
from bridge.plan.criteria import Compound, parse_criterion
from bridge.plan.milestones import name_from_goal
from bridge.plan.quantities import block_refs, seeds, seeds_run_together, stated_seed_count
from bridge.projections.plan_words import warning_in_language
from tests.conftest import needs_shared
from tests.plan.corpus import REPO_ROOT, as_project, corpus

QUICKSTART = REPO_ROOT / "examples" / "quickstart"


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


class TestQuickstart:
    def test_milestone_blocks_expand_block_lists(self) -> None:
        """M2's Runs cell says `(Blocks 1, 2)` and M3's `(Blocks 3, 4)`: both blocks are kept."""
        plan = load_plan(QUICKSTART / "refine-logs" / "EXPERIMENT_PLAN.md")
        assert [(m.id, m.blocks) for m in plan.milestones] == [
            ("M0", ("B0",)),
            ("M1", ("B1",)),
            ("M2", ("B1", "B2")),
            ("M3", ("B3", "B4")),
        ]

    def test_milestone_names_come_from_the_goal_column(self) -> None:
        """The table has no Name column and bare `M0` cells: the Goal gives the name, goal kept."""
        plan = load_plan(QUICKSTART / "refine-logs" / "EXPERIMENT_PLAN.md")
        assert [m.name for m in plan.milestones] == ["Sanity", "Baseline", "Main", "Ablation"]
        assert [m.goal for m in plan.milestones] == ["Sanity", "Baseline", "Main", "Ablation"]

    def test_split_seed_is_not_a_run_seed(self) -> None:
        """`split seed 1936` is no run seed; `3 seeds (0, 1, 2)` and `3 seeds: 0, 1, 2` are 3."""
        plan = load_plan(QUICKSTART / "refine-logs" / "EXPERIMENT_PLAN.md")
        assert [(b.id, b.seeds, b.seed_count) for b in plan.blocks] == [
            ("B0", (0,), 1),
            ("B1", (0, 1, 2), 3),
            ("B2", (0, 1, 2), 3),
            ("B3", (0, 1, 2), 3),
            ("B4", (0, 1, 2), 3),
        ]

    def test_runs_follow_the_block_that_lists_their_system(self) -> None:
        """R012-R014 (no feature scaling) are B4's; R015-R020 B3's; M2's shared runs go to B1."""
        project = load_project(QUICKSTART)
        blocks = {r.id: r.block for r in project.runs}
        assert [blocks[f"R{n:03d}"] for n in range(1, 21)] == (
            ["B0"] * 2 + ["B1"] * 3 + ["B1"] * 6 + ["B4"] * 3 + ["B3"] * 6
        )

    def test_notes_naming_the_block_settle_it(self) -> None:
        """The quickstart's Notes name block B1 for the shared runs: no ambiguity warning."""
        assert load_project(QUICKSTART).warnings == ()

    def test_shared_runs_are_reported(self, tmp_path: Path) -> None:
        """
        Without a block in Notes, runs whose system B1 and B2 both list are not attributed (never
        counted under the first block), with one warning per system.
        """
        copy = Path(shutil.copytree(QUICKSTART, tmp_path / "q"))
        tracker = copy / "refine-logs" / "EXPERIMENT_TRACKER.md"
        tracker.write_text(
            tracker.read_text().replace("; block B1, also compared in the training-rule block", "")
        )
        project = load_project(copy)
        shared = [w.message for w in project.warnings if "compared in blocks B1, B2" in w.message]
        assert len(shared) == 2
        assert {r.id: r.block for r in project.runs if r.milestone == "M2"} == dict.fromkeys(
            [f"R{n:03d}" for n in range(6, 12)], ""
        )
        assert "R006, R007, R008" in shared[0] and "'Perceptron'" in shared[0]
        assert "R009, R010, R011" in shared[1] and "'Logistic regression'" in shared[1]


class TestBlockRefs:
    @pytest.mark.parametrize(
        ("text", "refs"),
        [
            ("R006-R011 (Blocks 1, 2)", ("B1", "B2")),
            ("B1–B3", ("B1", "B2", "B3")),
            ("Block 1 and 2", ("B1", "B2")),
            ("Blocks 1 and 2.", ("B1", "B2")),
            ("实验块 1、2", ("B1", "B2")),
            ("块 1 和 块 3", ("B1", "B3")),
            ("Blocks 1 to 3", ("B1", "B2", "B3")),
            ("Blocks 1-2, 4", ("B1", "B2", "B4")),
            ("Blocks A and B", ("A", "B")),
            ("Block 1.5 and 2", ("B1.5", "B2")),
            ("Complete Block 5 evidence", ("B5",)),
        ],
    )
    def test_lists_after_the_word_block_expand(self, text: str, refs: tuple[str, ...]) -> None:
        """A list or range after Block(s)/块 names every block in it."""
        assert block_refs(text) == refs

    @pytest.mark.parametrize(
        ("text", "refs"),
        [
            ("B1 configs 1, 2, 3 (LLM-only)", ("B1",)),
            ("B2 variants 1-3, paired seeds", ("B2",)),
            ("Block 1, 2 GPUs", ("B1",)),
            ("Block 1 and a smoke test", ("B1",)),
        ],
    )
    def test_other_numbers_are_not_blocks(self, text: str, refs: tuple[str, ...]) -> None:
        """Numbers after a bare `B1`, numbers with a unit and lower-case words are not blocks."""
        assert block_refs(text) == refs


class TestSeeds:
    @pytest.mark.parametrize(
        ("text", "found"),
        [
            (
                "LGGSN_ORFN=1 SEEDS=1..25 conda run -n owg2 python batch_s3s4.py",
                ("SEEDS=1..25", 25),
            ),
            ("python train.py --seeds 0 1 2 --out x", ("--seeds 0 1 2", 3)),
            ("python train.py --seeds=0-4", ("--seeds=0-4", 5)),
            ("SEEDS=1,2,3 bash run.sh", ("SEEDS=1,2,3", 3)),
            # One command line only, and no redirection read as a seed (the review's cases).
            ("python t.py --seeds 0 1 2\n3 seeds: 0, 1, 2", ("--seeds 0 1 2", 3)),
            ("python t.py --seeds 3 2>&1", None),
            ("seeds=1..25 in prose", None),
            ("python t.py --seed 3", None),
        ],
    )
    def test_seeds_one_command_runs_together(
        self, text: str, found: tuple[str, int] | None
    ) -> None:
        """033's `SEEDS=1..25 … batch_s3s4.py`: the command runs every seed itself."""
        together = seeds_run_together(text)
        assert (None if together is None else (together[0], len(together[1]))) == found

    @pytest.mark.parametrize(
        ("text", "values", "count"),
        [
            ("split seed 1936; 3 seeds (0, 1, 2).", (0, 1, 2), 3),
            ("split seed 1936, seed 0", (0,), 1),
            ("3 seeds: 0, 1, 2; runs shared with Block 1", (0, 1, 2), 3),
            ("seeds 0, 1 and 2.", (0, 1, 2), 3),
            ("data seed 7, bootstrap seeds 0-999", (), None),
            ("seeds 0, 30 epochs", (), None),
            ("fixed split (split seed 1936), 5 seeds", (), 5),
        ],
    )
    def test_only_run_seeds_count(
        self, text: str, values: tuple[int, ...], count: int | None
    ) -> None:
        """Lists count their items; seeds of splits, data or bootstraps are ignored."""
        assert seeds(text) == (values, count)

    @pytest.mark.parametrize(
        ("text", "count"),
        [
            ("Seed: 42 (run 3 seeds only if margins are tight)", 3),
            ("Stage B packed GPU 5 seeds `201/202/203`", None),
            ("LGGSN_ORFN=1 SEEDS=1..25", None),
            ("3 split seeds, then three seeds per system", 3),
            ("no randomness", None),
            ("3 seeds for each system", 3),
            ("5 seeds for all methods.", 5),
            ("3 seeds for stability", 3),
            # 015's B3: one system's count is not the block's ("10 per system" was said).
            ("replay the family's trace. 10 seeds for random. 4-fold shift", None),
            ("10 seeds for `random` only; 1 for the others", None),
            # What the seeds are for, or a group: the block's count (the review's cases).
            ("3 seeds for the main runs", 3),
            ("3 seeds for evaluation.", 3),
            ("5 seeds for training.", 5),
            ("3 seeds for CIs.", 3),
            ("3 seeds for baselines", 3),
            # 039's B1: seeds of a tie-break, a sampling step or a bootstrap are not the runs'.
            ("3 seeds 仅用于并列/采样算法，确定性 MART 报单次结果。", None),
            ("3 个种子（仅用于采样）", None),
            ("3 seeds only for sampling", None),
            ("3 seeds for bootstrap CIs", None),
            ("3 个采样种子", None),
            ("3 seeds；相同 action budget", 3),
        ],
    )
    def test_stated_count(self, text: str, count: int | None) -> None:
        """A count in words is found; a number belonging to a GPU or an assignment is not one,
        nor a count stated for one system."""
        assert stated_seed_count(text) == count

    def test_one_systems_seeds_are_named_in_the_warning(self) -> None:
        """015's B3 read "10 seeds for random" as every system's count; now its proposed
        runs have no seed and the warning quotes what the plan says, in either language."""
        from bridge.plan.quantities import seeds_of_one_system
        from bridge.projections.plan_words import warning_in_language

        assert seeds_of_one_system("trace. 10 seeds for random. 4-fold") == "10 seeds for random"
        assert seeds_of_one_system("3 seeds for each system") is None
        warning = (
            "block B3 states seeds for one system only ('10 seeds for random'); its proposed "
            "runs have none: give each run's seed in the tracker or [[runs]]"
        )
        assert warning_in_language(warning, "zh") == (
            "实验块 B3 只为一个系统写明了种子（'10 seeds for random'）；为它提议的运行没有种子："
            "请在追踪表或 [[runs]] 中写明每个运行的种子"
        )

    def test_disagreeing_count_warns(self) -> None:
        """Values and a different stated count: the values are used and a warning says so."""
        plan = parse_plan_text(
            "# P\n\n## Experiment Blocks\n\n### Block 1: Main\n"
            "- **Setup details**: seed 42 (run 3 seeds only if margins are tight)\n"
        )
        block = plan.blocks[0]
        assert (block.seeds, block.seed_count) == ((42,), 1)
        assert any("says 3 seeds" in w.message and w.line == 5 for w in plan.warnings)


class TestMilestoneNames:
    @pytest.mark.parametrize(
        ("goal", "name"),
        [
            ("Sanity", "Sanity"),
            ("Sanity: the pipeline runs end to end", "Sanity"),
            ("Baseline — reproduce the reference numbers", "Baseline"),
            ("验证数据与指标", "验证数据与指标"),
            ("", ""),
            (
                "Produce finalized training labels with self-consistency and counterfactual "
                "verification, then freeze them",
                "Produce finalized training labels with self-consistency and…",
            ),
            (
                "Reproduce the strong baselines on the held-out split first; then compare",
                "Reproduce the strong baselines on the held-out split first",
            ),
        ],
    )
    def test_name_from_goal(self, goal: str, name: str) -> None:
        """The leading phrase before a colon or spaced dash, else the short goal, else a clause."""
        assert name_from_goal(goal) == name

    def test_name_column_wins_over_goal(self) -> None:
        """A Name column gives the name; the milestone cell's own name beats both."""
        plan = parse_plan_text(
            "# P\n\n## Run Order and Milestones\n\n"
            "| Milestone | Name | Goal | Runs |\n|---|---|---|---|\n"
            "| M0 | Smoke | Sanity: it runs | B1 |\n"
            "| M1: Main | Other | Main result | B1 |\n"
            "| M2 | | Ablation — parts | B1 |\n"
        )
        assert [(m.name, m.goal) for m in plan.milestones] == [
            ("Smoke", "Sanity: it runs"),
            ("Main", "Main result"),
            ("Ablation", "Ablation — parts"),
        ]

    def test_a_date_is_not_a_name(self) -> None:
        """`M0 — Aug 2` and `M1 (Week 3)` give dates, not names: the goal names them."""
        plan = parse_plan_text(
            "# P\n\n## Run Order and Milestones\n\n"
            "| Milestone | Goal | Runs |\n|---|---|---|\n"
            "| M0 — Aug 2 | Seal scope | - |\n"
            "| M1 (Week 3) | Train: main runs | - |\n"
            "| M2 Sanity (W1–W3) | Other | - |\n"
        )
        assert [m.name for m in plan.milestones] == ["Seal scope", "Train", "Sanity (W1–W3)"]

    def test_goal_label_is_not_part_of_the_goal(self) -> None:
        """A milestone section's `**Goal:** ...` line is its goal, without the label."""
        plan = parse_plan_text(
            "# P\n\n## Run Order\n\n### M0: Data\n\nSome context first.\n\n"
            "**Goal:** Produce labels.\n\n### M1: Train\n\n- [ ] Train the model\n"
        )
        assert [(m.id, m.name, m.goal) for m in plan.milestones] == [
            ("M0", "Data", "Produce labels."),
            ("M1", "Train", "Train the model"),
        ]


PLAN = """# Experiment Plan: Toy

## Experiment Blocks

### Block 1: Main
- **Compared systems**: Baseline, Method
- **Setup details**: 2 seeds {0, 1}

### Block 2: Ablation
- **Compared systems**: Method, Method (no X)

### Block 3: Extra
- **Compared systems**: Probe

## Run Order and Milestones

| Milestone | Goal | Runs |
|---|---|---|
| M0 | Sanity | Block 1 |
| M1 | Main | Blocks 1, 2 |
| M2 | Extra | Blocks 2 and 3 |
"""

TRACKER = """# Experiment Tracker

| Run ID | Milestone | Block | System / Variant | Status | Notes |
|---|---|---|---|---|---|
| R001 | M0 | | Baseline | TODO | seed 0 |
| R002 | M1 | B2 | Baseline | TODO | explicit column |
| R003 | M1 | | method (NO x) | TODO | case differs |
| R004 | M1 | | Method | TODO | in B1 and B2 |
| R005 | M1 | | Mystery | TODO | no system match |
| R006 | M2 | | Mystery | TODO | for B3 |
| R007 | M2 | | Probe | TODO | |
| R008 | M9 | | Method (no X) | TODO | milestone unknown |
"""


class TestRunBlocks:
    def test_evidence_order(self, tmp_path: Path) -> None:
        """
        Block column, then a block in the notes, then the milestone's block, then the system;
        a run with several candidate blocks or none is left without one, with the reason.
        """
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", TRACKER)
        project = load_project(tmp_path)
        assert {r.id: r.block for r in project.runs} == {
            "R001": "B1",  # M0 runs only Block 1
            "R002": "B2",  # the Block column wins over the system (Baseline is B1's)
            "R003": "B2",  # only B2 lists "Method (no X)", compared ignoring case
            "R004": "",  # B1 and B2 both list Method: no guess, a warning
            "R005": "",  # M1 has B1 and B2 and neither lists Mystery: no guess, a warning
            "R006": "B3",  # the notes name B3
            "R007": "B3",  # only B3 lists Probe
            "R008": "B2",  # no such milestone, but only B2 lists the system
        }
        messages = [w.message for w in project.warnings]
        assert any(
            "R004 not attributed" in m and "'Method' is compared in blocks B1, B2" in m
            for m in messages
        )
        assert any(
            "R005 not attributed" in m
            and "milestone M1 names blocks B1, B2; system 'Mystery' is not among" in m
            for m in messages
        )
        reasons = {r.id: r.attribution for r in project.runs}
        assert reasons["R002"] == "tracker Block column"
        assert reasons["R003"] == "system among milestone M1's blocks"
        assert not any("R003" in m or "R007" in m for m in messages)

    def test_milestone_mentions_of_unknown_blocks_warn(self) -> None:
        """A Runs cell naming `B0–B2` in a plan whose blocks are A and B keeps no such block."""
        plan = parse_plan_text(
            "# P\n\n## Experiment Blocks\n\n### Block A: One\n- Setup: x\n\n"
            "### Block B: Two\n- Setup: y\n\n## Run Order and Milestones\n\n"
            "| Milestone | Goal | Runs |\n|---|---|---|\n"
            "| M0 | Compare | Block A vs baselines B0–B2 |\n"
        )
        assert plan.milestones[0].blocks == ("A",)
        assert any(
            "M0 mentions B0, B1, B2, which are not blocks" in w.message for w in plan.warnings
        )


@needs_shared
class TestCorpusMilestones:
    def test_006_goal_names_a_block(self) -> None:
        """006: M0's Goal is `Complete Block 5 evidence` and its Runs cell only run ids."""
        plan = load_plan(corpus("006") / "EXPERIMENT_PLAN.md")
        assert plan.milestones[0].id == "M0" and plan.milestones[0].blocks == ("B5",)
        assert plan.milestones[0].name == "S3 Polish"

    def test_005_goal_adds_blocks(self) -> None:
        """005: M5's Goal `B6 + B7 nice-to-haves` and Runs `(B5 reuse ...)` give B5, B6, B7."""
        plan = load_plan(corpus("005") / "EXPERIMENT_PLAN.md")
        m5 = next(m for m in plan.milestones if m.id == "M5")
        assert m5.blocks == ("B5", "B6", "B7")

    def test_002_names_from_goals(self) -> None:
        """002: `M0 | Sanity and instrumentation | ...` has no name but its goal."""
        plan = load_plan(corpus("002") / "EXPERIMENT_PLAN.md")
        assert plan.milestones[0].name == "Sanity and instrumentation"
        assert plan.milestones[2].name == "Main mechanism test"

    def test_038_dated_milestones_take_the_goal(self) -> None:
        """038's target plan: `| M0 — Aug 2 | Seal scope and metrics | ...` is named by its goal."""
        plan = load_plan(corpus("038") / "EXPERIMENT_PLAN.md")
        assert [(m.id, m.name) for m in plan.milestones][:2] == [
            ("M0", "Seal scope and metrics"),
            ("M1", "Remove HIP export bottleneck"),
        ]

    def test_029_baselines_are_not_blocks(self) -> None:
        """029 has no block headings; `baseline B0–B4` in its milestone sections are baselines,
        never blocks. Its milestone sections, each with a success criterion, stand as the
        blocks M0…M8, one per milestone (M7's "re-run M2–M6" does not make those M7's)."""
        plan = load_plan(corpus("029") / "EXPERIMENT_PLAN.md")
        ids = [f"M{n}" for n in range(9)]
        assert [b.id for b in plan.blocks] == ids
        assert [m.blocks for m in plan.milestones] == [(i,) for i in ids]
        assert plan.blocks[4].success_criterion.startswith("XGBoost achieves AUROC ≥ 0.80")
        assert (plan.blocks[0].title, plan.blocks[0].priority_raw) == ("Sanity", "must-run")
        assert plan.milestones[0].goal.startswith("prove the project skeleton works")
        said = [w.message for w in plan.warnings if "stand as blocks" in w.message]
        assert said == [
            "no experiment block headings; the milestone sections that state a success "
            "criterion stand as blocks (M0, M1, M2, M3, M4, M5, M6, M7, M8), each judged on "
            "the runs of its milestone or named by its id"
        ]

    def test_029_an_or_inside_brackets_stays_in_its_clause(self) -> None:
        """029's M3 (h39D F4): the "OR" of «a confidently identified configuration (winning
        runway has ≥ 70 % share of operations OR top-2 vote is consistent for 3 consecutive
        slices)» cut clause 1 inside its brackets, the rest "left out …: what to do otherwise"."""
        plan = load_plan(corpus("029") / "EXPERIMENT_PLAN.md")
        m3 = parse_criterion(plan.blocks[3].success_criterion)
        assert isinstance(m3, Compound) and len(m3.clauses) == 2
        assert m3.clauses[0].text.endswith(
            "(winning runway has ≥ 70 % share of operations OR top-2 vote is consistent for 3 "
            "consecutive slices)"
        ), m3.clauses[0].text
        assert not any("what to do otherwise" in note for note in m3.notes), m3.notes

    def test_027_milestone_cell_naming_a_block(self, tmp_path: Path) -> None:
        """027: tracker rows `R-B0-CAL | B0 | ...` put B0 in the Milestone column: block B0."""
        project = load_project(as_project("027", tmp_path))
        runs = {r.id: r for r in project.runs}
        assert runs["R-B0-CAL"].block == "B0"
        assert runs["R-B0-TRACE"].block == "B0"


@needs_shared
def test_038_a_status_of_several_parts_reads_as_its_worst(tmp_path: Path) -> None:
    """038's tracker:18 "PASS-PARITY / FAIL-SPEEDUP" (B4's 5x gate came out negative) and :23
    "PASS-PROTOCOL / FAIL-COMPETITION-STRENGTH" read as failed before bridge, to retry, which the
    plan forbids (:235 "A negative result remains the authoritative first run"): a FAIL-<criterion>
    part is a finished run's negative outcome, done, and its recorded status says so. A PENDING
    part is a run not finished, which bridge runs, saying why in the row's words."""
    from bridge.plan.vocabulary import ended_failed

    project = load_project(as_project("038", tmp_path))
    runs = {r.id: r for r in project.runs}
    assert [(runs[i].status, ended_failed(runs[i].status_raw)) for i in ("HIP-02", "PHARM-04")] == [
        ("done", False),
        ("done", False),
    ]
    assert runs["HIP-02"].status_raw == (
        "PASS-PARITY / FAIL-SPEEDUP (a negative result, not a failed run)"
    )
    # A plain FAIL or FAILED part is still a failed run.
    assert ended_failed("PASS-STATIC / FAIL") and ended_failed("PASS-STATIC / FAILED")
    assert (runs["HIP-03"].status, runs["DRUTAI-01"].status) == ("todo", "done")
    assert not ended_failed(runs["DRUTAI-01"].status_raw)  # "PASS-RUNTIME / ANNOTATION-ONLY"
    said = [(w.line, w.message) for w in project.warnings if "not finished in part" in w.message]
    assert said == [
        (
            19,
            "runs whose row says they are not finished in part (HIP-03: 'PASS-STATIC / "
            "PENDING-RESIDENT'): bridge cannot check it and runs them as planned; mark a row "
            "NOT RUN — <reason> when what is left is not bridge's to run",
        )
    ]


def test_an_arm_column_names_the_system_over_a_policy_column(tmp_path: Path) -> None:
    """`| Run ID | Block | Policy | Arm |`: the Arm cell is the run's system whatever the column
    order, and a list of systems closing with its count ("(three arms)") loses the count."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# Plan\n\n## Experiment Blocks\n\n### Block 1: Arms\n\n"
        "- **Compared systems**: fixed, adaptive and joint (three arms)\n"
        "- **Success criterion**: joint accuracy > fixed accuracy\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Block | Policy | Arm | Status |\n|---|---|---|---|---|\n"
        "| R001 | B1 | frozen | fixed | TODO |\n| R002 | B1 | trainable | joint | TODO |\n",
    )
    loaded = load_project(tmp_path)
    assert loaded.plan.blocks[0].systems == ("fixed", "adaptive", "joint")
    assert [(r.id, r.system) for r in loaded.runs] == [("R001", "fixed"), ("R002", "joint")]


@pytest.mark.parametrize(
    ("header", "row", "system"),
    [
        ("| Run ID | Purpose | System | Arm | Status |", "| R1 | p | ours | left | TODO |", "ours"),
        ("| Run ID | Method | Model | Status |", "| R1 | ours | Qwen-7B | TODO |", "ours"),
        # A Method column names what the row compares, a Model column beside it the backbone.
        ("| Run ID | Model | Method | Status |", "| R1 | Qwen-7B | ours | TODO |", "ours"),
        ("| Run ID | Purpose | System | Status |", "| R1 | p | N/A | TODO |", ""),
        ("| Run ID | Policy | Arm | Status |", "| R1 | frozen | fixed | TODO |", "fixed"),
    ],
)
def test_which_column_names_the_system(tmp_path: Path, header: str, row: str, system: str) -> None:
    """A System column first, then an Arm column, then Policy or Method in header order, then
    Model."""
    write(
        tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", f"{header}\n|---|---|---|---|---|\n{row}\n"
    )
    (run,) = load_project(tmp_path).runs
    assert run.system == system


@needs_shared
def test_a_model_column_shared_by_different_experiments_names_no_system(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """032's `| ID | Experiment | Model |` (trial h39D F10): its 2-org MVP (FedAvg vs Ours),
    baselines B1-B10 and full method were all the system Qwen-2.5-3B, and E01's "N/A" a
    system. The model they all run on names no system, and a warning says why."""
    loaded = load_project(as_project("032", tmp_path))
    assert {r.system for r in loaded.runs} == {""}
    (said,) = [w for w in loaded.warnings if "the Model column" in w.message]
    assert (said.file, said.line) == ("refine-logs/EXPERIMENT_TRACKER.md", 10)
    assert said.message.startswith(
        "the Model column names 'Qwen-2.5-3B' for rows of different experiments (E02, E03, "
        "E04, E05 and 4 more): read as the model the runs use, not as their systems"
    )
    assert said.message.endswith("; a command passes the model with {model}")
    # A command passing the model (`--model {system}` while it was the system) has {model},
    # and a {system} left with no value says so.
    toy = '\n[[runs]]\nid = "E01"\ncommand = "python toy.py"\n'
    seed = 'args = { seed = "0" }\n'
    write(tmp_path, "bridge.toml", f'[run]\ncommand = "t.py {{model}} {{seed}}"\n{seed}{toy}')
    by_id = {r.id: r for r in load_project(tmp_path).runs}
    assert by_id["E02-s1"].params["model"] == "Qwen-2.5-3B"
    assert by_id["E08-s0"].params["model"] == "Llama-3.1-8B"
    assert "model" not in by_id["E01"].params
    write(tmp_path, "bridge.toml", f'[run]\ncommand = "t.py {{system}} {{seed}}"\n{seed}{toy}')
    with pytest.raises(ConfigError) as raised:
        load_project(tmp_path)
    assert str(raised.value).endswith(
        "run E02-s0: placeholder {system} in run.command has no value for this run (set it in "
        "the tracker, [[runs]] or [run] args); its tracker row's Model column ('Qwen-2.5-3B') "
        "names the model the run uses, not its system: pass it with {model}"
    )
    # In Chinese too, as the other placeholder errors are (it stayed English, h40).
    from bridge.projections.error_words import error_in_language

    assert error_in_language(str(raised.value), "zh").endswith(
        "运行 E02-s0：run.command 中的占位符 {system} 对这个运行没有值（请在追踪表、[[runs]] 或 "
        "[run] args 中设置）；它在追踪表中那一行的 Model 列（'Qwen-2.5-3B'）写的是运行所用的模型，"
        "不是它的系统：请用 {model} 传入"
    ), error_in_language(str(raised.value), "zh")
    # A Chinese plan's `bridge plan` says the warning in Chinese (it stayed English).
    from bridge.cli.main import main

    write(tmp_path, "bridge.toml", '[bridge]\nlanguage = "zh"\n')
    assert main(["plan", "--project", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (
        "警告 refine-logs/EXPERIMENT_TRACKER.md:10: Model 列为不同实验的行（E02、E03、E04、E05 等"
        "（另有 4 个））都写了 'Qwen-2.5-3B'：读作这些运行所用的模型，而不是它们的系统，因此其表格"
        "中的运行没有指明系统；要比较它们，请加一个 System 列，写明每行运行的系统（每行一个系统）；"
        "命令用 {model} 传入该模型\n"
    ) in out, out


@needs_shared
def test_the_block_heading_bridge_suggests_to_032_is_free(tmp_path: Path) -> None:
    """032 has no blocks and names its baselines B1–B10 (trial h39D F11): the suggested
    `### Block 1: …` made block B1, which its milestone "Run B1-B6" and baseline table already
    meant. The suggestion numbers past them, in both messages, and following it reads."""
    root = as_project("032", tmp_path)
    said = [w.message for w in load_project(root).warnings if "### B" in w.message]
    assert said[0] == (
        "no experiment block headings found (expected e.g. '### Block 11: ...' or "
        "'### B11: ...': the plan already writes B1 … B10)"
    )
    assert said[1].endswith(
        "Give the plan experiment blocks (`### Block 11: …` with a Success criterion) to have "
        "verdicts"
    )
    assert warning_in_language(said[0], "zh") == (
        "没有找到实验块标题（应形如 '### Block 11: ...' 或 '### B11: ...'：计划中已写有 B1 … B10）"
    )
    assert "（`### Block 11: …`，含 Success criterion）" in warning_in_language(said[1], "zh")
    plan = root / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    blocks = "## Blocks\n\n### Block 11: 2-org MVP\n\n- **Success criterion**: AggViol < 0.1"
    plan.write_text(f"{text}\n{blocks}", encoding="utf-8")
    loaded = load_project(root)
    assert [b.id for b in loaded.plan.blocks] == ["B11"]
    # The Week headings stay the plan's schedule: B11 is none of the baselines they run.
    assert not loaded.milestones


def test_a_model_column_comparing_models_names_the_systems(tmp_path: Path) -> None:
    """A tracker that runs one experiment on two models compares them: its Model column stays
    the runs' systems."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| ID | Experiment | Model | Status |\n|---|---|---|---|\n"
        "| R1 | main eval | Qwen-7B | TODO |\n| R2 | main eval | Llama-8B | TODO |\n"
        "| R3 | robustness | Qwen-7B | TODO |\n",
    )
    loaded = load_project(tmp_path)
    assert [r.system for r in loaded.runs] == ["Qwen-7B", "Llama-8B", "Qwen-7B"]
    assert not [w for w in loaded.warnings if "the Model column" in w.message]


def test_a_model_column_naming_a_blocks_systems_names_the_systems(tmp_path: Path) -> None:
    """Rows of different purposes on one model ("Zero-shot Llama", "Fine-tuned Llama") beside
    a block that compares the models: the Model column names the block's systems, not their
    backbone. Read as a backbone, every run lost its system and no run was in B1."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# Plan\n\n## Experiment Blocks\n\n### Block B1: zero-shot vs fine-tuned\n"
        "- Compared systems: GPT-4o, Llama-3-8B\n- Metrics: accuracy\n"
        "- Success criterion: Llama-3-8B accuracy > GPT-4o\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| ID | Purpose | Model | Status |\n|---|---|---|---|\n"
        "| R1 | Zero-shot GPT-4o | GPT-4o | TODO |\n| R2 | Zero-shot Llama | Llama-3-8B | TODO |\n"
        "| R3 | Fine-tuned Llama | Llama-3-8B | TODO |\n",
    )
    loaded = load_project(tmp_path)
    assert [r.system for r in loaded.runs] == ["GPT-4o", "Llama-3-8B", "Llama-3-8B"]
    assert not [w for w in loaded.warnings if "the Model column" in w.message]


class TestDependsOn:
    """`depends_on` mistakes in bridge.toml are exit-2 errors at its line, before any launch."""

    TRACKER = (
        "| Run ID | Milestone | System / Variant | Status |\n|---|---|---|---|\n"
        "| R1 | M1 | a | TODO |\n| R2 | M1 | b | TODO |\n| R3 | M1 | c | TODO |\n"
    )

    def _error(self, root: Path, runs: str) -> tuple[str, str | None, int | None]:
        from bridge.errors import ConfigError

        write(root, "refine-logs/EXPERIMENT_TRACKER.md", self.TRACKER)
        write(root, "bridge.toml", '[run]\ncommand = "true"\n' + runs)
        with pytest.raises(ConfigError) as caught:
            load_project(root)
        return str(caught.value), caught.value.file, caught.value.line

    def test_a_run_waiting_for_itself(self, tmp_path: Path) -> None:
        message, file, line = self._error(tmp_path, '\n[[runs]]\nid = "R2"\ndepends_on = ["R2"]\n')
        assert "depends_on makes runs wait for themselves: R2 → R2" in message
        assert (file, line) == ("bridge.toml", 6)

    def test_a_cycle_through_other_runs(self, tmp_path: Path) -> None:
        message, file, line = self._error(
            tmp_path,
            '\n[[runs]]\nid = "R1"\ndepends_on = ["R3"]\n'
            '\n[[runs]]\nid = "R3"\ndepends_on = ["R2"]\n'
            '\n[[runs]]\nid = "R2"\ndepends_on = ["R1"]\n',
        )
        assert "R1 → R3 → R2 → R1" in message
        assert (file, line) == ("bridge.toml", 6)

    def test_an_unknown_run_is_named_at_bridge_toml(self, tmp_path: Path) -> None:
        message, file, line = self._error(
            tmp_path, '\n[[runs]]\nid = "R2"\ndepends_on = ["R9", "R1"]\n'
        )
        assert "run R2 depends on 'R9', which is not a run" in message
        assert (file, line) == ("bridge.toml", 6)

    def test_a_chain_is_fine(self, tmp_path: Path) -> None:
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", self.TRACKER)
        write(
            tmp_path,
            "bridge.toml",
            '[run]\ncommand = "true"\n\n[[runs]]\nid = "R3"\ndepends_on = ["R2", "R1"]\n'
            '\n[[runs]]\nid = "R2"\ndepends_on = ["R1"]\n',
        )
        runs = {r.id: r.depends_on for r in load_project(tmp_path).runs}
        assert runs == {"R1": (), "R2": ("R1",), "R3": ("R2", "R1")}


@pytest.mark.parametrize(
    ("section", "hours"),
    [
        ("- **Sanity budget**: 1 GPU-hour\n- **Total GPU-hours**: 40\n", 40.0),
        ("- **Per-run budget**: 2 GPU-hours\n- **Maximum budget**: 15 local GPU-hours\n", 15.0),
        ("| Phase | GPUs per hour | GPU-hours |\n|---|---|---|\n| Total | 8 | 40 |\n", 40.0),
        ("| Phase | GPU hardware | Days |\n|---|---|---|\n| Total | 8 | 40 |\n", None),
        # 017: bullets without a label, one of them in GPU-days ("budget: not stated" before).
        (
            "- Initial profiling should fit on a single consumer GPU with 7B-class models.\n"
            "- Keep first pass under 1 GPU-day.\n"
            "- Defer speculative decoding until initial signal is positive.\n",
            24.0,
        ),
        ("Keep the whole study within 2 GPU-weeks.\n", 336.0),
        ("- First pass under 1 GPU-day.\n- The full study up to 3 GPU-days.\n", None),
        ("- Keep each run under 2 GPU-hours.\n", None),
        # A part's cost is not a cap: read as the budget, `budget = "enforce"` would stop there.
        ("The headline run B1 alone needs ~40 GPU-hours.\n", None),
    ],
)
def test_the_budget_is_the_plans_total(section: str, hours: float | None) -> None:
    """A Total GPU field before any field saying budget; a part's budget (sanity, per-run) is
    not the plan's; a Total row is read under a GPU-hours column, not GPUs per hour; else the
    one line of the section that states GPU-hours (days and weeks too), none when several do."""
    text = f"# Plan\n\n## Compute budget\n\n{section}"
    assert parse_plan_text(text, "refine-logs/EXPERIMENT_PLAN.md").budget.gpu_hours == hours


@pytest.mark.parametrize(
    ("systems", "expected"),
    [
        (
            "fixed、policy-only、Harness-only、joint 四臂",
            ("fixed", "policy-only", "Harness-only", "joint"),
        ),
        ("对照组、实验1组、实验2组", ("对照组", "实验1组", "实验2组")),
        ("a, b 四臂", ("a", "b 四臂")),
        (
            "\n  - **A1-only**: insert with bridge zeroed\n  - **Baseline**: Standard LoRA",
            ("A1-only", "**Baseline**: Standard LoRA"),
        ),
    ],
)
def test_compared_systems_names(systems: str, expected: tuple[str, ...]) -> None:
    """A closing count is dropped only when it counts the items and stands apart; a bold name
    with its description is the name, unless it is a role ("Baseline")."""
    text = (
        "# Plan\n\n## Experiment Blocks\n\n### Block 1: X\n\n"
        f"- **Compared systems**: {systems}\n"
        "- **Metrics**:\n  - **Primary**: exact-match accuracy\n  - **Secondary**: latency\n"
    )
    (block,) = parse_plan_text(text, "refine-logs/EXPERIMENT_PLAN.md").blocks
    assert block.systems == expected
    # Metrics keep their lines: a bold label there is a role, not the metric.
    assert block.metrics == ("**Primary**: exact-match accuracy", "**Secondary**: latency")


def test_a_table_of_run_tasks_is_runs(tmp_path: Path) -> None:
    """`## Run tasks` with `| Run ID | Milestone | Task | Status |` lists runs, not
    implementation tasks: they launch."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "## Run tasks\n\n| Run ID | Milestone | Task | Status |\n|---|---|---|---|\n"
        "| R001 | M1 | train | TODO |\n",
    )
    (run,) = load_project(tmp_path).runs
    assert not run.task and not run.settled_before_bridge


class TestSectionGates:
    """A milestone section's gate is the line labelled as one, never a table line."""

    @pytest.mark.parametrize(
        ("body", "gate"),
        [
            ("**STOP gate:** If loss > 1, stop.", "STOP gate: If loss > 1, stop"),
            (
                "Promotion gate:\n\n1. `D` drops by 10%\n2. no NaN;\n   clipping < 5%\n\nAfter.",
                "Promotion gate: D drops by 10%; no NaN; clipping < 5%",
            ),
            ("- Gate: coverage ≥ 80%", "Gate: coverage ≥ 80%"),
            ("门控：覆盖率 ≥ 80%", "门控: 覆盖率 ≥ 80%"),
            ("| Run | Task | Gate |\n|---|---|---|\n| R1 | x | Loss < 1 |", ""),
            ("Generate 5, apply the quality gate, pick the best.", ""),
        ],
    )
    def test_gate_of_a_milestone_section(self, body: str, gate: str) -> None:
        plan = parse_plan_text(f"# P\n\n## Run Order\n\n### M0: Sanity\n\n{body}\n")
        assert [m.gate for m in plan.milestones] == [gate]

    def test_a_stop_gate_is_never_a_blocks_criterion(self) -> None:
        """A block's `STOP gate: If F1 < 0.55, …` is a decision rule: read as its criterion it
        would be met exactly when the block fails, so the block states none."""
        plan = parse_plan_text(
            "# P\n\n## Experiment Blocks\n\n### Block 1: Main\n\n- **Compared systems**: A\n\n"
            "**STOP gate:** If F1 < 0.55, stop.\n\n### Block 2: Other\n\n- Gate: if F1 < 0.5, "
            "drop it\n"
        )
        assert [b.success_criterion for b in plan.blocks] == ["", ""]

    def test_a_chinese_when_gate_is_never_a_blocks_criterion(self) -> None:
        """«门控：当 F1 < 0.55 时，停止» says what to do when, as "Gate: if F1 < 0.5, …" does; a
        gate that opens with 当前 ("current") is still what the block must show."""
        plan = parse_plan_text(
            "# P\n\n## Experiment Blocks\n\n### Block 1: Main\n\n"
            "- Gate: 当 F1 < 0.55 时，回退到 A\n\n### Block 2: Other\n\n- Gate: 当前 F1 ≥ 0.5\n"
        )
        assert [b.success_criterion for b in plan.blocks] == ["", "当前 F1 ≥ 0.5"]


def test_a_separator_closing_a_system_item_is_no_part_of_its_name() -> None:
    """014's B5 lists "- frozen B0;" one per line: the name is "frozen B0" (it was shown joined
    with ";;" and matched against runs with the ";")."""
    plan = parse_plan_text(
        "# P\n\n## Experiment Blocks\n\n### Block 5: Confirm\n\n- Compared systems:\n"
        "  - frozen B0;\n  - original frozen B2；\n  - rescued B2\n"
    )
    assert plan.blocks[0].systems == ("frozen B0", "original frozen B2", "rescued B2")
    # 036's M2.1 (trial T1): nor the period closing the last item; an ellipsis stays.
    plan = parse_plan_text(
        "# P\n\n## Experiment Blocks\n\n### Block 1: Gap\n\n- Compared systems:\n"
        "  - filter with `gap >= 0.2`,\n  - filter with `gap >= 0.4`.\n  - and more...\n"
    )
    assert plan.blocks[0].systems == (
        "filter with `gap >= 0.2`",
        "filter with `gap >= 0.4`",
        "and more...",
    )


@pytest.mark.parametrize(
    ("items", "names", "primary"),
    [
        # 006's B6: the targets in parentheses are no names ("<1.5)" was listed as one)
        (
            ("TGR (target: <1.5)", "formula RMSE (target: <2120)", "NaN/inf count (target: 0)"),
            ["TGR", "formula RMSE", "NaN/inf count"],
            "TGR",
        ),
        # 039's B1: a pair of acronyms is both, the one marked （主） is the primary
        (("token AUROC/AUPRC（主）",), ["AUROC", "AUPRC"], "AUROC"),
        (
            ("Primary: accuracy, macro F1", "Secondary: loss"),
            ["accuracy", "macro F1", "loss"],
            "accuracy",
        ),
        (("loss", "Primary: accuracy"), ["loss", "accuracy"], "accuracy"),
        # 001's B2 joins its three accuracies with " + " (runs recording
        # depth_sensitive_accuracy matched nothing); a "+" inside a name stays part of it
        (
            ("Overall accuracy + depth-sensitive subset accuracy + non-depth-sensitive accuracy",),
            ["Overall accuracy", "depth-sensitive subset accuracy", "non-depth-sensitive accuracy"],
            "Overall accuracy",
        ),
        (("chrF++ + BLEU", "C++ pass rate"), ["chrF++", "BLEU", "C++ pass rate"], "chrF++"),
        # 033's E3: the threshold after the name is no part of it; 023's "q=0 …" is a setting
        (
            ("JS divergence < 0.15 per object", "q=0 identity"),
            ["JS divergence", "q=0 identity"],
            "JS divergence",
        ),
        # 005's B2: "mean" and "median" say how the J-drop is summed up, no metrics of their own
        # ("A1-full mean paired lift" read the metric "mean", trial N2)
        (
            ("per-clip exported J-drop paired", "mean", "median", "win count"),
            ["per-clip exported J-drop paired", "win count"],
            "per-clip exported J-drop paired",
        ),
    ],
)
def test_the_metric_names_a_blocks_metrics_list(
    items: tuple[str, ...], names: list[str], primary: str
) -> None:
    from bridge.plan.metric_names import plan_metric_names, primary_metric_name

    assert plan_metric_names(items) == names
    assert primary_metric_name(items) == primary


@pytest.mark.parametrize(
    ("items", "primaries"),
    [
        # 039's B1: both names of the item marked （主） are primary, the response metric not
        (("token AUROC/AUPRC（主）", "response top-20%-mean（次）"), ["AUROC", "AUPRC"]),
        (("Primary: accuracy, macro F1", "Secondary: loss"), ["accuracy", "macro F1"]),
        (("loss", "Primary: accuracy"), ["accuracy"]),
        (("RMSE", "R²", "skill"), ["RMSE"]),
        # 001's B2: unmarked, the first name alone; the subsets after it are listed beside it
        (
            ("Overall accuracy + depth-sensitive subset accuracy + non-depth-sensitive accuracy",),
            ["Overall accuracy"],
        ),
        ((), []),
    ],
)
def test_the_primary_metrics_are_every_name_of_the_primary_item(
    items: tuple[str, ...], primaries: list[str]
) -> None:
    from bridge.plan.metric_names import primary_metric_names

    assert primary_metric_names(items) == primaries


@needs_shared
def test_the_metric_names_a_plans_metrics_section_lists() -> None:
    """032 (no blocks) names what it measures only in "## Metrics": a table headed `Metric`
    and a list; 017's is a list. Other sections name none (a NaN in 032's AggViol was noted
    "not a metric the plan measures")."""
    from bridge.plan.metric_names import section_metric_names

    def listed(name: str) -> list[str]:
        plan = load_plan(corpus(name) / "EXPERIMENT_PLAN.md")
        return [n for s in plan.sections for n in section_metric_names(s.heading, s.text)]

    fed = listed("032")
    assert fed[:8] == [
        "AggViol", "PersViol", "WorstViol", "RefRecall_i", "OverRefusal_i", "UtilityNLL", "ASR",
        "ConsensusDist",
    ]  # fmt: skip
    # The Ablation Matrix's and Baselines' first columns (A1, B1) are no metrics.
    assert not {"A1", "B1", "O1", "Org", "#"} & set(fed)
    assert listed("017")[:2] == ["Latency per generated token", "Tokens/s"]


@pytest.mark.parametrize(
    ("status", "failed"),
    [
        ("**GATE FAILED**", True),  # 002
        # 014: the run completed, its gate came out negative (h39C F2): no failed run.
        ("COMPLETE_FAIL_HARD_STOP", False),
        ("COMPLETE_FAIL_OOM", True),  # how the run broke
        ("Done - failed", True),
        ("failed", True),
        ("invalid", True),
        ("DONE_NEGATIVE_DIRECTIONAL_ONLY", False),  # a negative result is a finished run
        ("NO_FAILURES", False),
        ("DONE", False),
    ],
)
def test_which_statuses_say_the_run_ended_failed(status: str, failed: bool) -> None:
    """002's "**GATE FAILED**" read as DONE in the results and the counts; 014's
    "COMPLETE_FAIL_HARD_STOP" is a completed run's negative result, not a failed run."""
    from bridge.plan.vocabulary import ended_failed

    assert ended_failed(status) is failed


@pytest.mark.parametrize(
    ("written", "systems"),
    [
        # 009's B2: the statement was taken for the system without results
        ("no learned systems; per-tool diagnostic scores", ("per-tool diagnostic scores",)),
        ("no performance comparison; compare evidence types", ("compare evidence types",)),
        # a coined name that starts with "no" is a system (an ablation)
        ("`no_sem_gate`, LSVJ-S full", ("`no_sem_gate`", "LSVJ-S full")),
    ],
)
def test_an_item_saying_no_systems_is_no_system(written: str, systems: tuple[str, ...]) -> None:
    from bridge.plan.loader import parse_plan_text

    plan = parse_plan_text(
        f"# Plan\n\n## Experiment Blocks\n\n### Block 1: Main\n- Compared systems: {written}\n"
        "- Success criterion: accuracy > 0.5.\n"
    )
    assert plan.blocks[0].systems == systems


def test_a_block_id_described_again_as_another_block_is_said() -> None:
    """Trial N3 on 012: `### B2:` written twice, the second a MUST-RUN block with its own
    criterion, was merged into the first without a word ("3 blocks"). A later description
    with another title or criterion is said at its line; one that only fills in what the first
    left out is the same block, as before."""
    from bridge.projections.plan_words import warning_in_language

    plan = parse_plan_text(
        "# P\n\n## Experiment Blocks\n\n### B2: Dilution\n\n- Success criterion: acc > 0.5\n\n"
        "### B2: Modality\n\n- Success criterion: f1 > 0.6\n\n"
        "### B3: Other\n\n- Success criterion: acc > 0.1\n\n"
        "### B3: Other\n\n- Compared systems: A\n"
    )
    assert [b.id for b in plan.blocks] == ["B2", "B3"]
    said = [(w.line, w.message) for w in plan.warnings if "described again" in w.message]
    assert said == [
        (
            9,
            "block B2 is described again with another title (first at line 5): read as one "
            "block, whose criterion is the first's; give the second its own id if it is "
            "another block",
        )
    ]
    assert warning_in_language(said[0][1], "zh").startswith(
        "实验块 B2 再次出现，标题不同（首次在第 5 行）"
    )


@pytest.mark.parametrize(
    ("text", "values", "count"),
    [
        ("3 个种子（0, 1, 2）", (0, 1, 2), 3),
        ("种子：0, 1, 2", (0, 1, 2), 3),
        ("种子 0/1/2", (0, 1, 2), 3),
        ("3 个随机种子：0、1、2", (0, 1, 2), 3),
        ("- **种子**：0, 1, 2", (0, 1, 2), 3),
        ("- **Seeds**: 3", (), 3),
        ("Seed: 3", (3,), 1),
        ("数据种子 1936", (), None),
    ],
)
def test_seeds_said_in_chinese_and_as_a_field(
    text: str, values: tuple[int, ...], count: int | None
) -> None:
    """Trial N4: "3 个种子（0, 1, 2）" and "**Seeds**: 3" read no seeds, so the runs proposed
    for the block had none and `bridge plan` said the block stated none."""
    assert seeds(text) == (values, count)


@needs_shared
def test_a_result_remembered_in_a_systems_name_is_left_out_a_setting_kept() -> None:
    """006's B1 (plan:54) names its systems with their remembered skill, "KAN teacher
    (skill=0.453)", skill being one of its Metrics: the system is "KAN teacher", the plan's
    number only in the raw line. 011's B2 "λ=0.3" is a setting, no metric: part of the name."""
    b1 = next(b for b in load_plan(corpus("006") / "EXPERIMENT_PLAN.md").blocks if b.id == "B1")
    assert b1.systems == ("KAN teacher", "matched MLP", "persistence")
    assert "KAN teacher (skill=0.453)" in b1.systems_raw
    b2 = next(b for b in load_plan(corpus("011") / "EXPERIMENT_PLAN.md").blocks if b.id == "B2")
    assert "**Multi-task DeBERTa** (difficulty + evidence, λ=0.3)" in b2.systems


@needs_shared
def test_017_a_run_order_list_without_milestone_ids_is_named(tmp_path: Path) -> None:
    """017's `## Run Order` (:86-92) is a numbered list of steps: `bridge plan` said "no
    milestones found (no run-order table, milestone headings or list)" of a plan that had a list,
    and the next step "a numbered list of steps is none". The warning names the list by its line
    and says what to write, which holds: steps that open with their ids are milestones. 033's
    run order (a code block) has no list: the warning says what to write."""
    from bridge.plan.milestones import MILESTONES_TO_WRITE

    project = as_project("017", tmp_path / "a")
    said = [w.message for w in load_project(project).warnings if "milestones found" in w.message]
    assert said == [
        "no milestones found: the run-order list (line 88) names no milestone ids (M0, M1, …); "
        f"write {MILESTONES_TO_WRITE}"
    ]
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    for n in range(1, 6):
        text = text.replace(f"\n{n}. ", f"\n{n}. M{n - 1}: ", 1)
    plan.write_text(text, encoding="utf-8")
    written = load_project(project)
    assert [m.id for m in written.milestones] == ["M0", "M1", "M2", "M3", "M4"]
    assert not [w for w in written.warnings if "milestones found" in w.message]
    other = load_project(as_project("033", tmp_path / "b"))
    assert [w.message for w in other.warnings if "milestones found" in w.message] == [
        "no milestones found (no run-order table, milestone headings or list); write "
        f"{MILESTONES_TO_WRITE}"
    ]


def test_a_fail_part_naming_how_the_run_broke_is_a_failed_run() -> None:
    """038's FAIL-SPEEDUP names the criterion a finished run's gate failed on: done. A FAIL part
    naming how the run broke ("PASS-BUILD / FAIL-OOM", "PASS / FAIL-NAN") read the same, done and
    never retried with "(a negative result, not a failed run)" added: it is a failed run."""
    from bridge.plan.vocabulary import ended_failed, negative_gates

    for broke in (
        "PASS-BUILD / FAIL-OOM",
        "PASS-BUILD / FAIL-CRASH",
        "PASS-BUILD / FAIL-CRASHED",
        "PASS / FAIL-NAN",
        "PASS / FAIL-ERROR",
        "PASS / FAIL-TIMEOUT",
        "PASS / FAIL-TIMED-OUT",
        "PASS / FAIL-KILLED",
        "PASS / FAIL-OOM-KILLED",
        "PASS / FAIL-SEGFAULT",
        "PASS / FAIL-EXIT137",
    ):
        assert (negative_gates(broke), ended_failed(broke)) == ((), True), broke
    for gate in ("PASS-PARITY / FAIL-SPEEDUP", "PASS-PROTOCOL / FAIL-COMPETITION-STRENGTH"):
        assert (negative_gates(gate), ended_failed(gate)) == ((gate.split(" / ")[1],), False)


@needs_shared
def test_009_cut_offs_written_once_are_a_metric_each() -> None:
    """009's B1 lists "recall@1/3/5/10": read as one name, only recall@1 matched a recorded
    metric, and the results page put recall@3, @5 and @10 under "not in this table (it holds
    the metrics the block's Metrics line … name)" (trial t17 F3). Each cut-off is a name."""
    from bridge.plan.metric_names import plan_metric_names

    plan = load_plan(corpus("009") / "EXPERIMENT_PLAN.md")
    b1 = next(b for b in plan.blocks if b.id == "B1")
    assert plan_metric_names(b1.metrics) == [
        "covered tasks",
        "MRR",
        "recall@1",
        "recall@3",
        "recall@5",
        "recall@10",
        "compact/full card length",
    ]
