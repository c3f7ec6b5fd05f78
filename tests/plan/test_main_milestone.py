"""
Which milestone gives the main result: the rule ``bridge plan`` shows and the results apply.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from bridge.errors import ConfigError
from bridge.plan import load_project
from bridge.plan.main_milestone import MainChoice, main_milestone
from tests.conftest import needs_shared
from tests.plan.corpus import as_project


@attrs.frozen
class M:
    id: str
    name: str = ""
    goal: str = ""
    sanity: bool = False


@attrs.frozen
class B:
    id: str
    title: str


MILESTONES = [M("M0", "Sanity", sanity=True), M("M1", "Baselines"), M("M2", "Ablations")]


def test_the_researchers_choice_wins() -> None:
    """`main_milestone` is taken as set, whatever the names say."""
    named = [*MILESTONES, M("M3", "Main")]
    assert main_milestone("M1", named, [], []) == MainChoice(id="M1", reason="set")


def test_main_in_a_name_then_a_goal_then_core_or_headline_in_a_name() -> None:
    """001's `M2: Core` is main; the sanity milestone never is; a name saying main wins over a
    goal saying so, which wins over a name saying core; a goal's "core" says nothing."""
    core = [M("M0", "Main sanity", sanity=True), M("M1", "Baseline"), M("M2", "Core")]
    assert main_milestone("", core, [], []) == MainChoice(id="M2", reason="named")
    goal = [M("M1", "Week 2", goal="the main table"), M("M2", "Headline")]
    assert main_milestone("", goal, [], []) == MainChoice(id="M1", reason="named", others=("M2",))
    named = [M("M1", "Baselines", goal="reproduce the core baselines"), M("M2", "Main results")]
    assert main_milestone("", named, [], []) == MainChoice(id="M2", reason="named")
    assert main_milestone("", named[:1], [], []) is None


def test_the_other_milestones_that_say_so_are_named() -> None:
    """005's "M2 Decisive: A3 first" (a framing gate) was chosen with no word of "M3 Headline"
    (B1, "Table 1 (main, headline)") or "M4 Decisive": the others are kept, in plan order,
    for `bridge plan` to name beside the choice."""
    milestones = [
        M("M0", "Sanity", sanity=True),
        M("M2", "Decisive: A3 first"),
        M("M3", "Headline"),
        M("M4", "Decisive"),
    ]
    assert main_milestone("", milestones, [], []) == MainChoice(
        id="M2", reason="named", others=("M3", "M4")
    )


def test_else_the_milestone_with_most_runs_of_main_blocks() -> None:
    """Blocks titled main count their runs per milestone; a block's 'core' (a pilot) does not.
    How many is kept, so `bridge plan` can say how thin the evidence is (011's M1: one run)."""
    blocks = [B("B1", "Main comparison"), B("P0", "Pilot Core")]
    runs = [("M1", "B1"), ("M2", "B1"), ("M2", "B1"), ("M1", "P0"), ("M1", "P0")]
    assert main_milestone("", MILESTONES, blocks, runs) == MainChoice(
        id="M2", reason="blocks", runs=2, total=2, block="B1"
    )
    assert main_milestone("", MILESTONES, [B("P0", "Pilot Core")], runs) is None


def test_then_the_one_milestone_whose_name_and_goal_name_a_main_block_by_its_title() -> None:
    """011's M2 "Classifier Evaluation — Claim 1", goal "Prove classifier > LLM judges on human
    test set", gives B1 "Classifier vs. LLM Judges — Main Anchor": it was M1 "Classifier
    Training", for one incidental run of B1. The title's main part and joining words aside;
    a milestone naming only some of its words, or two milestones naming them, decide nothing."""
    blocks = [B("B1", "Classifier vs. LLM Judges — Main Anchor"), B("B2", "Ablation")]
    milestones = [
        M("M0", "Data Pipeline", sanity=False),
        M("M1", "Classifier Training", goal="Trained multi-task classifiers with 5-fold CV."),
        M("M2", "Classifier Evaluation — Claim 1", goal="Prove classifier > LLM judges."),
    ]
    runs = [("M1", "B1")]
    assert main_milestone("", milestones, blocks, runs) == MainChoice(
        id="M2", reason="title", block="B1"
    )
    twice = [*milestones, M("M3", "LLM judges against the classifier")]
    assert main_milestone("", twice, blocks, runs) == MainChoice(
        id="M1", reason="blocks", runs=1, total=1, block="B1"
    )
    # A sanity milestone naming it is no candidate; nor is a block whose title says only main.
    sanity = [attrs.evolve(twice[3], sanity=True), *milestones]
    assert main_milestone("", sanity, blocks, runs) == MainChoice(
        id="M2", reason="title", block="B1"
    )
    assert main_milestone("", milestones, [B("B1", "Main")], runs) == MainChoice(
        id="M1", reason="blocks", runs=1, total=1, block="B1"
    )


@needs_shared
class TestPlanTime:
    """The choice, or its absence, is shown before anything runs."""

    @staticmethod
    def _no_main(root: Path) -> list[str]:
        return [
            f"{w.file}:{w.line}"
            for w in load_project(root).warnings
            if w.message.startswith("no milestone is marked as the main result")
        ]

    def test_a_plan_naming_none_is_warned_at_its_run_order(self, tmp_path: Path) -> None:
        """009's milestones (M1 … M4) say none of the words: a warning at its run-order table."""
        assert self._no_main(as_project("009", tmp_path)) == ["refine-logs/EXPERIMENT_PLAN.md:80"]

    def test_setting_main_milestone_ends_it(self, tmp_path: Path) -> None:
        """`main_milestone = "M4"` in [bridge]: no warning."""
        root = as_project("009", tmp_path)
        (root / "bridge.toml").write_text('[bridge]\nmain_milestone = "M4"\n')
        assert self._no_main(root) == []

    def test_the_advice_shows_a_value_that_works_for_the_plan(self, tmp_path: Path) -> None:
        """034's milestones have no M-ids: the warning said `main_milestone = "M…"`, read as
        "an M-id", and `-o main_milestone=M4` was refused; it now shows `"…"` beside the
        milestones to pick from (a value shown was copied as it stood: 009's first is "M1
        Retrieval sanity"), and setting one of them ends the warning."""
        root = as_project("034", tmp_path)
        (said,) = [
            w.message
            for w in load_project(root).warnings
            if w.message.startswith("no milestone is marked as the main result")
        ]
        assert (
            'name it with main_milestone = "…" in bridge.toml [bridge] (milestones: Pilot '
            "positive, Ablations complete, "
        ) in said
        (root / "bridge.toml").write_text('[bridge]\nmain_milestone = "Pilot positive"\n')
        assert self._no_main(root) == []

    def test_a_plan_naming_one_is_not_warned(self, tmp_path: Path) -> None:
        """001's `M2: Core`."""
        assert self._no_main(as_project("001", tmp_path)) == []

    def test_a_choice_by_block_runs_says_how_many(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """015's M3 "C2 holds" is chosen by one run of its blocks titled main: the count, out
        of its own runs ("the most runs (1)" read as a miscount of its 3), and the way out."""
        from bridge.cli.main import main

        assert main(["plan", "--project", str(as_project("015", tmp_path))]) == 0
        assert (
            "(it has the most runs in blocks titled main: 1 of its 3 runs, in B3; if it is not "
            "the main one, set main_milestone in bridge.toml)"
        ) in capsys.readouterr().out

    def test_011_the_evaluation_milestone_is_the_main_result(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """011's main result was M1 "Classifier Training" ("it runs the most runs (1) of the
        blocks titled main"): its M2 "Classifier Evaluation — Claim 1", whose goal "Prove
        classifier > LLM judges on human test set" names B1 "Classifier vs. LLM Judges — Main
        Anchor", gives it."""
        from bridge.cli.main import main

        assert main(["plan", "--project", str(as_project("011", tmp_path))]) == 0
        out = " ".join(capsys.readouterr().out.split())
        assert (
            "main result: M2 Classifier Evaluation — Claim 1 (Days 8-12, ~$3 API + 20 "
            "person-hours) (its name and goal name block B1, titled main; if it is not the main "
            "one, set main_milestone in bridge.toml)"
        ) in out, out

    @staticmethod
    def _main_without_block(root: Path) -> list[str]:
        return [
            f"{w.where}: {w.message}"
            for w in load_project(root).warnings
            if w.message.startswith("the main milestone ")
        ]

    def test_a_main_milestone_with_no_block_is_warned_at_its_row(self, tmp_path: Path) -> None:
        """002's M2 "Main mechanism test" restates B1's comparison without naming B1, and its
        runs' systems are compared in several blocks: `bridge plan` said nothing, and `bridge
        run` later "Main result (M2): inconclusive, no block of the plan is in M2". The warning
        comes before anything runs, with the ways that link a block. (With R008 in M1, B1 and
        B2 are judged on runs of two milestones, so neither is M2's.)"""
        root = as_project("002", tmp_path)
        tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
        text = tracker.read_text(encoding="utf-8")
        tracker.write_text(text.replace("| R008 | M2 |", "| R008 | M1 |"), encoding="utf-8")
        (said,) = self._main_without_block(root)
        assert said.startswith(
            "refine-logs/EXPERIMENT_PLAN.md:153: the main milestone M2 (Main mechanism test) "
            "has no block: its row names no block and none of its runs (R006, R007) "
            "belongs to one, so the results will say its main result has nothing to judge; "
            "name its block in the row's Runs or Goal cell (the plan's blocks: B1, B2, B3, B4, "
            "B5)"
        )
        # Only M3 and M4 hold a block (B1 and B2 are judged on runs of M1 and M2, so of
        # neither; M4's R011 is B4's by its Purpose): named, M1 would have nothing to judge
        # either (023's M4, trial h40I).
        assert said.endswith('main_milestone = "…" in bridge.toml [bridge] (milestones: M3, M4)')

    def test_023_the_advice_names_the_milestones_holding_a_block(self, tmp_path: Path) -> None:
        """023 names no main milestone; only M2 holds a block (B2, by its runs' systems). The
        advice listed M1, M2, M3, M4, M5, and M4 named from it had nothing to judge (trial
        h40I)."""
        (said,) = [
            w.message
            for w in load_project(as_project("023", tmp_path)).warnings
            if w.message.startswith("no milestone is marked as the main result")
        ]
        assert said.endswith(
            'name it with main_milestone = "M2" in bridge.toml [bridge] (milestones: M2)'
        ), said

    def test_blocks_judged_on_its_runs_alone_are_its_own(self, tmp_path: Path) -> None:
        """002 as written: M2's runs R006-R008 are the runs B1 and B2 (must-run, named in no
        milestone, no run their own) are judged on, so the results hold them as M2's and judge
        its main result on them. The warning said the results "will say its main result has
        nothing to judge", which they no longer do."""
        assert self._main_without_block(as_project("002", tmp_path)) == []

    def test_following_the_advice_ends_it(self, tmp_path: Path) -> None:
        """Naming B1 in M2's Runs cell puts B1 (and R006-R008 with it) in M2; naming another
        milestone as the main one ends it too."""
        root = as_project("002", tmp_path)
        plan = root / "refine-logs" / "EXPERIMENT_PLAN.md"
        text = plan.read_text(encoding="utf-8")
        plan.write_text(
            text.replace(
                "| Main mechanism test | TC-CS-1S", "| Main mechanism test | B1: TC-CS-1S"
            ),
            encoding="utf-8",
        )
        assert self._main_without_block(root) == []
        project = load_project(root)
        assert {r.id: r.block for r in project.runs if r.milestone == "M2"} == {
            "R006": "B1",
            "R007": "B1",
            "R008": "B1",
        }
        plan.write_text(text, encoding="utf-8")
        (root / "bridge.toml").write_text('[bridge]\nmain_milestone = "M3"\n')
        assert self._main_without_block(root) == []

    def test_in_chinese(self, tmp_path: Path) -> None:
        """018's M4 "3-seed 决定性实验" has no block and no run yet: a Chinese plan's warning
        is Chinese, as its others are."""
        from bridge.projections.plan_words import warning_in_language

        (said,) = self._main_without_block(as_project("018", tmp_path))
        assert warning_in_language(said.split(": ", 1)[1], "zh") == (
            "主要结果的里程碑 M4（3-seed 决定性实验）没有实验块：它的行没有写实验块，"
            "它也没有运行，结果会说它的主要结果无可判定；请在该行的 Runs 或 Goal "
            "单元格中写上它的实验块（计划的实验块：B0, B1, B2, B3, B4），或为它的运行设置 "
            "`block`（bridge.toml 的 "
            "[[runs]] 或 [systems]，或追踪表的 Block 列），或在 bridge.toml [bridge] 中用 "
            'main_milestone = "…" 指定另一个里程碑（里程碑：M1, M2, M3）'
        )

    def test_a_main_milestone_with_a_block_is_not_warned(self, tmp_path: Path) -> None:
        """001's `M2: Core` names its blocks."""
        assert self._main_without_block(as_project("001", tmp_path)) == []


@needs_shared
class TestSetting:
    """`main_milestone` naming no usable milestone is exit 2 with a message that says why."""

    @staticmethod
    def _refused_error(root: Path, value: str) -> ConfigError:
        (root / "bridge.toml").write_text(f'[bridge]\nmain_milestone = "{value}"\n')
        with pytest.raises(ConfigError) as caught:
            load_project(root)
        return caught.value

    @classmethod
    def _refused(cls, root: Path, value: str) -> str:
        return str(cls._refused_error(root, value))

    def test_the_sanity_milestone_is_refused_as_such(self, tmp_path: Path) -> None:
        """001's M0 is its sanity milestone: not "not a milestone", but why it cannot be main."""
        root = as_project("001", tmp_path)
        sanity = [m.id for m in load_project(root).milestones if m.sanity]
        assert sanity == ["M0"]
        message = self._refused(root, "M0")
        assert "names the plan's sanity milestone" in message
        assert "not a milestone" not in message and "M1" in message

    def test_a_value_given_with_o_is_said_to_come_from_o(self, tmp_path: Path) -> None:
        """034: `-o main_milestone=M1` was reported at "bridge.toml:1", where nothing names it."""
        root = as_project("001", tmp_path)
        with pytest.raises(ConfigError) as caught:
            load_project(root, overrides={"main_milestone": "M9"})
        assert str(caught.value).startswith("-o: main_milestone = 'M9' is not a milestone")
        assert str(self._refused_error(root, "M9")).startswith("bridge.toml:2: main_milestone")

    def test_a_typo_lists_every_milestone_with_the_sanity_one_marked(self, tmp_path: Path) -> None:
        message = self._refused(as_project("001", tmp_path), "M9")
        assert "is not a milestone of the plan" in message
        assert "milestones: M0 (sanity), M1" in message


@needs_shared
def test_main_milestone_may_name_an_m0_that_is_sanity_only_by_its_id(tmp_path: Path) -> None:
    """006's M0 is "S3 Polish", the plan's first priority: bridge takes an M0 as the sanity
    check, but `main_milestone = "M0"` says otherwise. It is the main result, no milestone is
    the sanity check, and a warning says so; before, the setting was refused."""
    project = load_project(as_project("006", tmp_path), overrides={"main_milestone": "M0"})
    assert [m.id for m in project.milestones if m.sanity] == []
    assert any(
        w.message.startswith("main_milestone = 'M0' names M0, which bridge takes as the sanity")
        for w in project.warnings
    )


@needs_shared
def test_an_m0_with_no_experiment_is_no_sanity_milestone(tmp_path: Path) -> None:
    """014's M0 is "Review candidate authority | no experiment" (plan:242): taken as the
    sanity milestone by its id alone, it passed the sanity stage with "has no runs; nothing to
    check first" and no run was checked alone first. It is no sanity milestone now, said in a
    warning at its line; an M0 whose Runs cell names runs stays one."""
    project = load_project(as_project("014", tmp_path))
    assert [m.id for m in project.milestones if m.sanity] == []
    (said,) = [w for w in project.warnings if w.message.startswith("milestone M0 says")]
    assert (said.file, said.line) == ("refine-logs/EXPERIMENT_PLAN.md", 242)
    assert said.message == (
        "milestone M0 says 'no experiment' and has no runs: it is no sanity milestone (only its "
        "id M0 made it one), so the first run is checked alone first, before the rest launch"
    )
    plan = tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "| M0 | Review candidate authority | no experiment |",
            "| M0 | Review candidate authority | B1 |",
        ),
        encoding="utf-8",
    )
    assert [m.id for m in load_project(tmp_path).milestones if m.sanity] == ["M0"]


_M0_THEN_SANITY = """# Experiment Plan

## Experiment Blocks

### Block 1: Main

- **Compared systems**: Ours, Base
- **Metrics**: accuracy
- **Success criterion:** Ours beats Base on accuracy by 2 points
- **Priority**: MUST-RUN

## Run Order

| Milestone | Goal | Runs | Cost |
|---|---|---|---|
| M0 | Review prior results | no experiment | 0 |
| M1 | Sanity check: smoke test the pipeline | R001 | 1 GPU-h |
| M2 | Main comparison (B1) | R002, R003 | 10 GPU-h |
"""

_M0_THEN_SANITY_TRACKER = """# Tracker

| Run ID | Milestone | Purpose | System | Metrics | Priority | Status |
|---|---|---|---|---|---|---|
| R001 | M1 | smoke | Ours | accuracy | MUST | TODO |
| R002 | M2 | main | Ours | accuracy | MUST | TODO |
| R003 | M2 | main | Base | accuracy | MUST | TODO |
"""


def test_a_later_sanity_milestone_is_the_sanity_check_when_m0_has_no_experiment(
    tmp_path: Path,
) -> None:
    """M0 "no experiment" is no sanity milestone; "M1 | Sanity check: smoke test" after it is.
    Bridge flags one milestone only and stopped at the M0, so M1 was left unflagged: its run
    lost the sanity gate and the warning said the first run would be checked alone instead."""
    logs = tmp_path / "refine-logs"
    logs.mkdir()
    (logs / "EXPERIMENT_PLAN.md").write_text(_M0_THEN_SANITY, encoding="utf-8")
    (logs / "EXPERIMENT_TRACKER.md").write_text(_M0_THEN_SANITY_TRACKER, encoding="utf-8")
    project = load_project(tmp_path)
    assert [(m.id, m.sanity) for m in project.milestones] == [
        ("M0", False),
        ("M1", True),
        ("M2", False),
    ]
    (said,) = [w for w in project.warnings if w.message.startswith("milestone M0 says")]
    assert said.message == (
        "milestone M0 says 'no experiment' and has no runs: it is no sanity milestone (only its "
        "id M0 made it one), so M1 is the sanity milestone"
    )


def test_a_final_smoke_test_is_not_the_sanity_check_after_an_m0_without_experiment(
    tmp_path: Path,
) -> None:
    """Only the first milestone with runs may take the sanity gate from such an M0 (review): a
    last milestone named "final smoke test" would have held every other milestone behind it."""
    plan = _M0_THEN_SANITY.replace(
        "| M1 | Sanity check: smoke test the pipeline | R001 | 1 GPU-h |\n"
        "| M2 | Main comparison (B1) | R002, R003 | 10 GPU-h |",
        "| M1 | Main comparison (B1) | R002, R003 | 10 GPU-h |\n"
        "| M2 | Independent final smoke test | R001 | 1 GPU-h |",
    )
    assert plan != _M0_THEN_SANITY
    tracker = (
        _M0_THEN_SANITY_TRACKER.replace("| R001 | M1 |", "| R001 | M2 |")
        .replace("| R002 | M2 |", "| R002 | M1 |")
        .replace("| R003 | M2 |", "| R003 | M1 |")
    )
    logs = tmp_path / "refine-logs"
    logs.mkdir()
    (logs / "EXPERIMENT_PLAN.md").write_text(plan, encoding="utf-8")
    (logs / "EXPERIMENT_TRACKER.md").write_text(tracker, encoding="utf-8")
    project = load_project(tmp_path)
    assert [(m.id, m.sanity) for m in project.milestones] == [
        ("M0", False),
        ("M1", False),
        ("M2", False),
    ]
    (said,) = [w for w in project.warnings if w.message.startswith("milestone M0 says")]
    assert said.message.endswith("so the first run is checked alone first, before the rest launch")


def test_the_m0_without_experiment_warning_reads_in_chinese() -> None:
    from bridge.projections.plan_words import warning_in_language

    said = (
        "milestone M0 says '无实验' and has no runs: it is no sanity milestone (only its id M0 "
        "made it one), so the first run is checked alone first, before the rest launch"
    )
    assert warning_in_language(said, "zh") == (
        "里程碑 M0 写明“无实验”且没有运行：它不是健全性里程碑"
        "（只因编号为 M0 才被当作健全性里程碑），因此第一个运行先单独运行并检查，之后其余运行才启动"
    )


def test_the_m0_without_experiment_warning_naming_the_sanity_milestone_reads_in_chinese() -> None:
    from bridge.projections.plan_words import warning_in_language

    said = (
        "milestone M0 says '无实验' and has no runs: it is no sanity milestone (only its id M0 "
        "made it one), so M1 is the sanity milestone"
    )
    assert warning_in_language(said, "zh") == (
        "里程碑 M0 写明“无实验”且没有运行：它不是健全性里程碑"
        "（只因编号为 M0 才被当作健全性里程碑），因此健全性里程碑是 M1"
    )


@needs_shared
def test_011_an_m0_preparing_the_data_its_sanity_check_needs_stays_the_sanity_milestone(
    tmp_path: Path,
) -> None:
    """011's M0 "Data Pipeline (Days 1-5, ~$30 API)" was passed over for R012 "Sanity: overfit
    on 100 items" in M1, which was then checked alone first; but R012 needs M0's training data
    (it waits for R010, a DONE code task that waits for R008 "Merge → train_dataset.jsonl").
    M0 stays the sanity milestone, its data made first, and no warning says it is none."""
    project = load_project(as_project("011", tmp_path))
    assert [m.id for m in project.milestones if m.sanity] == ["M0"]
    assert [m.id for m in project.plan.milestones if m.sanity] == ["M0"]
    assert not [w for w in project.warnings if w.message.startswith("milestone M0 says")]
    assert {r.id: r.depends_on for r in project.runs}["R012"] == ("R008",)


_DATA_M0 = """# Experiment Plan

## Experiment Blocks

### Block 1: Main

- **Compared systems**: Ours, Base
- **Metrics**: accuracy
- **Success criterion:** Ours beats Base on accuracy by 2 points
- **Priority**: MUST-RUN

## Run Order

| Milestone | Goal | Runs | Cost |
|---|---|---|---|
| M0 | Data preparation | R001 | 1 GPU-h |
| M1 | Compare (B1) | R002, R003 | 10 GPU-h |
"""

_DATA_M0_TRACKER = """# Tracker

| Run ID | Milestone | Purpose | System | Metrics | Priority | Status |
|---|---|---|---|---|---|---|
| R001 | M0 | tokenise the corpus | Pipeline | — | MUST | TODO |
| R002 | M1 | main | Ours | accuracy | MUST | TODO |
| R003 | M1 | main | Base | accuracy | MUST | TODO |
"""


_DATA_M0_WAITS_TRACKER = """# Tracker

| Run ID | Milestone | Purpose | System | Metrics | Depends On | Priority | Status |
|---|---|---|---|---|---|---|---|
| R001 | M0 | tokenise the corpus | Pipeline | — | — | MUST | TODO |
| T1 | M1 | Implement the loader | Code | — | R001 | MUST | DONE |
| R002 | M1 | Sanity: overfit | Ours | accuracy | T1 | MUST | TODO |
| R003 | M1 | main | Base | accuracy | — | MUST | TODO |
"""


@pytest.mark.parametrize(
    ("plan", "tracker", "sanity"),
    [
        # Nothing else is called a sanity check: the M0 stays the one, as before.
        (_DATA_M0, _DATA_M0_TRACKER, ["M0"]),
        # A later milestone that says so is the sanity milestone.
        (
            _DATA_M0.replace("| M1 | Compare (B1) |", "| M1 | Smoke test (B1) |"),
            _DATA_M0_TRACKER,
            ["M1"],
        ),
        # A run whose Purpose says it is a sanity check: no milestone is (it is checked first).
        (
            _DATA_M0,
            _DATA_M0_TRACKER.replace("| M1 | main | Ours |", "| M1 | Sanity: overfit | Ours |"),
            [],
        ),
        # One that waits for the M0's data, through a code task done before: the M0 stays.
        (
            _DATA_M0,
            _DATA_M0_WAITS_TRACKER,
            ["M0"],
        ),
        # So does one of a later milestone than the first with runs after the M0.
        (
            _DATA_M0.replace("| M1 | Compare (B1) | R002, R003 |", "| M1 | Compare (B1) | R002 |")
            + "| M2 | Check | R003 | 1 GPU-h |\n",
            _DATA_M0_TRACKER.replace("| R003 | M1 | main |", "| R003 | M2 | Sanity: reload |"),
            ["M0"],
        ),
        # An M0 that says sanity, or says nothing of data, stays the sanity milestone.
        (
            _DATA_M0.replace("Data preparation", "Sanity: data preparation"),
            _DATA_M0_TRACKER.replace("| M1 | main | Ours |", "| M1 | Sanity: overfit | Ours |"),
            ["M0"],
        ),
        (
            _DATA_M0.replace("Data preparation", "Rebuild local data artifacts"),
            _DATA_M0_TRACKER.replace("| M1 | main | Ours |", "| M1 | Sanity: overfit | Ours |"),
            ["M0"],
        ),
    ],
)
def test_an_m0_that_prepares_data_yields_only_to_what_the_plan_calls_a_sanity_check(
    tmp_path: Path, plan: str, tracker: str, sanity: list[str]
) -> None:
    logs = tmp_path / "refine-logs"
    logs.mkdir()
    (logs / "EXPERIMENT_PLAN.md").write_text(plan, encoding="utf-8")
    (logs / "EXPERIMENT_TRACKER.md").write_text(tracker, encoding="utf-8")
    assert [m.id for m in load_project(tmp_path).milestones if m.sanity] == sanity


def test_the_m0_preparing_data_warnings_read_in_chinese() -> None:
    from bridge.projections.plan_words import warning_in_language

    said = (
        "milestone M0 says '数据预处理': it prepares data and is no sanity milestone (only its id "
        "M0 made it one), so its sanity check R012 ('健全性：过拟合 100 条') is checked alone "
        "first, before the rest launch"
    )
    assert warning_in_language(said, "zh") == (
        "里程碑 M0 写明“数据预处理”：它准备数据，不是健全性里程碑（只因编号为 M0 才被当作健全性"
        "里程碑），因此先单独运行并检查其健全性检查 R012（“健全性：过拟合 100 条”），之后其余运行"
        "才启动"
    )
    for then, zh in (
        ("M1 is the sanity milestone", "因此健全性里程碑是 M1"),
        (
            "the first run is checked alone first, before the rest launch",
            "因此第一个运行先单独运行并检查，之后其余运行才启动",
        ),
    ):
        said = (
            "milestone M0 says '数据预处理': it prepares data and is no sanity milestone (only its "
            f"id M0 made it one), so {then}"
        )
        assert warning_in_language(said, "zh") == (
            "里程碑 M0 写明“数据预处理”：它准备数据，不是健全性里程碑（只因编号为 M0 才被当作健全性"
            f"里程碑），{zh}"
        )
