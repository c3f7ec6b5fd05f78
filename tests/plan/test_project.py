"""
Projects on disk: discovery order, options precedence, bridge.toml, runs and templates.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.errors import ConfigError, PlanError
from bridge.plan import Options, load_project, plan_json, render_argv
from bridge.plan.milestones import MILESTONES_TO_WRITE
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

PLAN = """# Experiment Plan: Toy

**Problem**: does it work?
**Method Thesis**: yes.
**Date**: 2026-01-02

## Experiment Blocks

### Block 1: Baselines
- **Compared systems**: Logistic regression, MLP
- **Setup details**: 2 seeds {0, 1}
- **Priority**: MUST-RUN

### Block 2: Extra (NICE-TO-HAVE)
- Compared systems: MLP
- Setup: seed 7

## Run Order and Milestones

| Milestone | Goal | Runs | Decision Gate | Cost | Risk |
|---|---|---|---|---|---|
| M0 | sanity | B1 | runs | 1 GPU-h | low |
| M1 | extra | B2 | — | ~2-3 GPU hours | low |
"""

TRACKER = """# Experiment Tracker

| Run ID | Milestone | Purpose | System / Variant | Split | Metrics | Priority | Status | Notes |
|---|---|---|---|---|---|---|---|---|
| R001 | M0 | sanity | Logistic regression | val | acc | MUST | DONE | seed 0 |
| R002 | M1 | extra | MLP | val | acc | NICE | TODO | |
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


class TestDiscovery:
    def test_plan_is_preferred(self, tmp_path: Path) -> None:
        """With a plan and a tracker, the plan is the source and the tracker gives the runs."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", TRACKER)
        project = load_project(tmp_path)
        assert project.sources["plan"] == "refine-logs/EXPERIMENT_PLAN.md"
        assert project.sources["tracker"] == "refine-logs/EXPERIMENT_TRACKER.md"
        assert [r.id for r in project.runs] == ["R001", "R002"]
        assert not project.needs_confirmation

    def test_tracker_alone(self, tmp_path: Path) -> None:
        """Without a plan the tracker is read; milestones are synthesised from its runs."""
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", TRACKER)
        project = load_project(tmp_path)
        assert project.sources["plan"] is None
        assert [m.id for m in project.milestones] == ["M0", "M1"]
        assert project.milestones[0].sanity

    def test_proposal_alone(self, tmp_path: Path) -> None:
        """A proposal alone gives title, problem and thesis, no runs, and a warning."""
        write(
            tmp_path,
            "refine-logs/FINAL_PROPOSAL.md",
            "# Final Proposal: X\n\n## Problem Anchor\n\nWhy X fails.\n\n"
            "## Method Thesis\n\nDo Y.\n",
        )
        project = load_project(tmp_path)
        assert project.plan.title == "Final Proposal: X"
        assert project.plan.problem == "Why X fails."
        assert project.plan.thesis == "Do Y."
        assert project.runs == ()
        assert any("no runs" in w.message for w in project.warnings)

    def test_idea_candidates_in_idea_stage(self, tmp_path: Path) -> None:
        """idea-stage/IDEA_CANDIDATES.md is found when nothing else exists."""
        write(tmp_path, "idea-stage/IDEA_CANDIDATES.md", "# Idea Candidates\n\n### 候选 1: A\n")
        assert load_project(tmp_path).sources["ideas"] == "idea-stage/IDEA_CANDIDATES.md"

    def test_idea_candidates_at_root(self, tmp_path: Path) -> None:
        """./IDEA_CANDIDATES.md is the fallback for idea-stage/."""
        write(tmp_path, "IDEA_CANDIDATES.md", "# Ideas\n")
        assert load_project(tmp_path).sources["ideas"] == "IDEA_CANDIDATES.md"

    def test_idea_report_preferred_unless_compact(self, tmp_path: Path) -> None:
        """IDEA_REPORT wins by default; compact=true prefers IDEA_CANDIDATES."""
        write(tmp_path, "idea-stage/IDEA_CANDIDATES.md", "# Candidates\n")
        write(tmp_path, "IDEA_REPORT.md", "# Report\n")
        assert load_project(tmp_path).sources["ideas"] == "IDEA_REPORT.md"
        compact = load_project(tmp_path, overrides={"compact": "true"})
        assert compact.sources["ideas"] == "idea-stage/IDEA_CANDIDATES.md"

    def test_nothing_found_lists_every_path(self, tmp_path: Path) -> None:
        """An empty project raises PlanError listing each path looked at and `bridge init`."""
        with pytest.raises(PlanError) as info:
            load_project(tmp_path)
        message = str(info.value)
        for relative in (
            "refine-logs/EXPERIMENT_PLAN.md",
            "refine-logs/EXPERIMENT_TRACKER.md",
            "refine-logs/FINAL_PROPOSAL.md",
            "idea-stage/IDEA_CANDIDATES.md",
            "IDEA_CANDIDATES.md",
            "idea-stage/IDEA_REPORT.md",
            "IDEA_REPORT.md",
        ):
            assert relative in message
        assert "bridge init" in message

    def test_binary_plan_is_refused(self, tmp_path: Path) -> None:
        """A binary plan file is a PlanError naming the file."""
        path = tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md"
        path.parent.mkdir()
        path.write_bytes(b"# Plan\n\x00\x01\x02")
        with pytest.raises(PlanError, match="binary"):
            load_project(tmp_path)

    def test_latin1_plan_is_refused(self, tmp_path: Path) -> None:
        """A non-UTF-8 plan is a PlanError with the line of the bad byte."""
        path = tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md"
        path.parent.mkdir()
        path.write_bytes(b"# Plan\n\ncaf\xe9\n")
        with pytest.raises(PlanError, match="UTF-8") as info:
            load_project(tmp_path)
        assert info.value.line == 3


class TestOptions:
    def test_precedence_chain(self, tmp_path: Path) -> None:
        """defaults < [bridge] < plan line < override_line argument < overrides."""
        write(
            tmp_path,
            "refine-logs/EXPERIMENT_PLAN.md",
            PLAN + "\n— compact: true, base repo: https://github.com/org/p, max parallel: 3\n",
        )
        write(
            tmp_path,
            "bridge.toml",
            '[bridge]\nmax_parallel = 2\nbackend = "ssh"\nbudget = "enforce"\ncompact = false\n',
        )
        project = load_project(
            tmp_path, override_line="max_parallel: 5, backend: vast", overrides={"backend": "modal"}
        )
        options = project.options
        assert options.budget == "enforce"  # bridge.toml over default
        assert options.compact is True  # plan line over bridge.toml
        assert options.base_repo == "https://github.com/org/p"
        assert options.max_parallel == 5  # argument line over plan line
        assert options.backend == "modal"  # overrides over everything
        assert options.code_review is True  # default kept

    def test_defaults(self, tmp_path: Path) -> None:
        """Without configuration every option has its documented default."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
        assert load_project(tmp_path).options == Options()

    def test_unknown_override_names_closest_key(self, tmp_path: Path) -> None:
        """An unknown -o key is a ConfigError suggesting the closest valid key."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
        with pytest.raises(ConfigError, match="max_parallel"):
            load_project(tmp_path, overrides={"max_paralel": "2"})

    def test_bad_value(self, tmp_path: Path) -> None:
        """A value of the wrong type or outside its choices is a ConfigError."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
        with pytest.raises(ConfigError, match="backend"):
            load_project(tmp_path, overrides={"backend": "kubernetes"})
        with pytest.raises(ConfigError, match="max_parallel"):
            load_project(tmp_path, overrides={"max_parallel": "many"})


class TestBridgeToml:
    @pytest.mark.parametrize(
        ("toml", "line", "words"),
        [
            ("[run]\ncommand = 'x'\n[bridge\n", 3, "syntax"),
            ("[bridge]\nmax_parallel = 2\nauto_deploi = true\n", 3, "auto_deploy"),
            ("[run]\ncomand = 'x'\n", 2, "command"),
            ("[runz]\n", 1, "'run'"),
            # A table named only through its sub-table's header: that header's line.
            ("[run]\ncommand = 'x'\n[sytems.\"x\"]\ncommand = 'y'\n", 3, "'systems'"),
            ("[run]\ncommand = 'python t.py --lr {lrr}'\nargs = { lr = 0.1 }\n", 2, "{lrr}"),
            ("[systems.MLP]\ngpu = 1\n", 2, "gpus"),
            ("[metrics]\nprimery = 'acc'\n", 2, "primary"),
            ("[run]\noutputs = ['../escape.json']\n", 2, "escapes"),
            ("[run]\ncwd = '/abs'\n", 2, "escapes"),
            ("[[runs]]\nid = 'R9'\nseeds = 1\n", 3, "seed"),
        ],
    )
    def test_bad_config_names_file_line_and_key(
        self, tmp_path: Path, toml: str, line: int, words: str
    ) -> None:
        """A bad bridge.toml is a ConfigError with file:line and the key (or the closest one)."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
        write(tmp_path, "bridge.toml", toml)
        with pytest.raises(ConfigError) as info:
            load_project(tmp_path)
        assert info.value.file == "bridge.toml"  # named from the project root, as plan files are
        assert info.value.line == line
        assert words in str(info.value)

    def test_missing_placeholder_names_run(self, tmp_path: Path) -> None:
        """A {seed} placeholder for a run with no seed is an error naming the run (R002's
        block writes no seed here, nor does the plan: B1's "2 seeds {0, 1}", read as B1's
        count alone, gives no value; its first, 0, would be the plan's seed and R002's)."""
        plan = PLAN.replace("- Setup: seed 7\n", "").replace("2 seeds {0, 1}", "2 seeds")
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", plan)
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", TRACKER)
        write(tmp_path, "bridge.toml", "[run]\ncommand = 'python t.py --seed {seed}'\n")
        with pytest.raises(ConfigError, match=r"R002.*\{seed\}"):
            load_project(tmp_path)

    def test_a_systems_table_whose_name_is_a_typo_is_refused_though_an_alias_matches(
        self, tmp_path: Path
    ) -> None:
        """Trial N2 on 004: `[systems."…attackr-mode…"]` with an alias naming the block's
        system loaded without a word; the misspelt system's run ran [run] command, not the
        table's, and its block had no results. Its name close to a system's is refused with
        file:line; a name of its own that aliases connect still loads."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", TRACKER)
        write(
            tmp_path,
            "bridge.toml",
            "[run]\ncommand = 'python t.py'\n"
            '[systems."logistic-regresion"]\naliases = ["MLP"]\ncommand = "false"\n',
        )
        with pytest.raises(ConfigError) as info:
            load_project(tmp_path)
        assert (info.value.file, info.value.line) == ("bridge.toml", 3)
        assert str(info.value).endswith(
            "(only its aliases do); did you mean 'Logistic regression'?"
        )
        write(
            tmp_path,
            "bridge.toml",
            "[run]\ncommand = 'python t.py'\n"
            '[systems."LR"]\naliases = ["logistic-regression"]\ncommand = "python lr.py"\n',
        )
        project = load_project(tmp_path)
        assert [r.command for r in project.runs if r.id == "R001"] == [("python", "lr.py")]

    @needs_shared
    def test_a_systems_table_where_nothing_names_a_system_says_so_and_names_the_run(
        self, tmp_path: Path
    ) -> None:
        """Trial t7 on 026: `[systems."MRSD full MATH-500 (n=500, Bt=1024)"]`, E4's Experiment
        cell, was refused with "(systems: )", an empty list and no way on. 026's tracker has no
        System column and its plan no Compared systems: the refusal says so, and that a
        `[[runs]]` entry with E4's id sets the run's settings (which worked)."""
        root = as_project("026", tmp_path)
        write(
            root,
            "bridge.toml",
            "[run]\ncommand = 'python t.py'\n"
            '[systems."MRSD full MATH-500 (n=500, Bt=1024)"]\ngpus = 1\n',
        )
        with pytest.raises(ConfigError) as info:
            load_project(root)
        said = str(info.value)
        assert (info.value.file, info.value.line) == ("bridge.toml", 3)
        assert "(systems: )" not in said
        assert "no run of the plan or tracker has a system" in said, said
        assert "the tracker has no System column" in said, said
        assert '[[runs]] entry with id = "E4"' in said, said

    def test_systems_and_runs_override(self, tmp_path: Path) -> None:
        """[systems.X] matches case-insensitively; [[runs]] overrides a tracker run's fields."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", TRACKER)
        write(
            tmp_path,
            "bridge.toml",
            """
[run]
command = "python t.py --model {system} --seed {seed} --lr {lr} --out {output_dir} --gpu {gpu}"
outputs = ["metrics.json"]
args = { lr = "0.1" }
gpus = 1
[systems."logistic-regression"]
args = { lr = "0.5" }
gpus = 0
[[runs]]
id = "R002"
seed = 3
args = { lr = "0.01" }
""",
        )
        project = load_project(tmp_path)
        r1, r2 = project.runs
        assert r1.seed == 0 and r1.params["lr"] == "0.5" and r1.gpus == 0
        assert r2.seed == 3 and r2.params["lr"] == "0.01" and r2.gpus == 1
        argv = render_argv(r2.command, {**r2.params, "output_dir": "out/R002", "gpu": "{gpu}"})
        assert argv == (
            "python",
            "t.py",
            "--model",
            "MLP",
            "--seed",
            "3",
            "--lr",
            "0.01",
            "--out",
            "out/R002",
            "--gpu",
            "{gpu}",
        )

    def test_config_runs_replace_proposals(self, tmp_path: Path) -> None:
        """Without a tracker, [[runs]] entries are the runs (source config, no confirmation)."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
        write(
            tmp_path,
            "bridge.toml",
            "[[runs]]\nid = 'A'\nmilestone = 'M1'\n[[runs]]\n"
            "id = 'B'\nmilestone = 'M0'\ndepends_on = []\n",
        )
        project = load_project(tmp_path)
        assert [(r.id, r.source) for r in project.runs] == [("B", "config"), ("A", "config")]
        assert not project.needs_confirmation

    def test_grid_with_phases(self, tmp_path: Path) -> None:
        """[grid] expands axes per phase; a later phase depends on matching earlier runs."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
        write(
            tmp_path,
            "bridge.toml",
            """
[run]
command = "python t.py --seed {seed} --lr {lr} --stage {stage}"
[grid]
milestone = "M1"
axes = { seed = [0, 1], lr = [0.1] }
[[grid.phases]]
name = "train"
axes = { stage = ["train"] }
[[grid.phases]]
name = "eval"
axes = { stage = ["eval"] }
depends_on = ["train"]
match = ["seed"]
""",
        )
        runs = load_project(tmp_path).runs
        assert [r.id for r in runs] == ["G001", "G002", "G003", "G004"]
        assert runs[2].depends_on == ("G001",) and runs[3].depends_on == ("G002",)
        assert runs[0].params["stage"] == "train" and runs[0].seed == 0
        assert all(r.source == "grid" for r in runs)


class TestProposedRuns:
    def test_blocks_times_systems_times_seeds(self, tmp_path: Path) -> None:
        """No tracker and no config: R001… from milestone blocks × systems × seeds, confirmed."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
        project = load_project(tmp_path)
        assert project.needs_confirmation
        got = [(r.id, r.milestone, r.block, r.system, r.seed, r.priority) for r in project.runs]
        assert got == [
            ("R001", "M0", "B1", "Logistic regression", 0, "must"),
            ("R002", "M0", "B1", "Logistic regression", 1, "must"),
            ("R003", "M0", "B1", "MLP", 0, "must"),
            ("R004", "M0", "B1", "MLP", 1, "must"),
            ("R005", "M1", "B2", "MLP", 7, "nice"),
        ]
        document = plan_json(project)
        assert document["budget"] == {"gpu_hours": None, "raw": "", "hardware": ""}
        assert [m["gpu_hours"] for m in document["milestones"]] == [1.0, 3.0]  # type: ignore[index]


class TestRenderArgv:
    def test_single_pass(self) -> None:
        """A value containing a placeholder is not substituted again."""
        assert render_argv(["--x={a}", "{b}"], {"a": "{b}", "b": "2"}) == ("--x={b}", "2")

    def test_literal_braces(self) -> None:
        """`{{`/`}}` and non-identifier braces are literal."""
        assert render_argv(["{{a}}", "{0,1}"], {}) == ("{a}", "{0,1}")

    def test_unknown_placeholder(self) -> None:
        """A placeholder without a value is a ConfigError naming it."""
        with pytest.raises(ConfigError, match=r"\{nope\}"):
            render_argv(["{nope}"], {})


def test_the_init_template_names_every_backend() -> None:
    """`bridge init`'s bridge.toml lists the backends to choose from: every one bridge has, in
    its order (trial T3: slurm was left out)."""
    from bridge.pipeline.bootstrap import BACKENDS

    template = Path(__file__).resolve().parents[2] / "bridge" / "templates" / "bridge.toml"
    line = next(
        line for line in template.read_text(encoding="utf-8").splitlines() if "backend =" in line
    )
    assert line.split("#")[-1].strip() == " | ".join(BACKENDS)


# A plan whose only milestone-like headings are its weeks (032's "10-Week Execution Roadmap"),
# and a tracker that places its runs in no milestone (032's, 025's, 026's).
WEEKS_PLAN = """# Experiment Plan: Weeks

## Execution Roadmap

### Week 1: Infrastructure
Build the data pipeline.

### Week 2: Baselines
Run the baselines.
**Cost**: ~40 GPU-hours
"""

WEEKS_TRACKER = """# Experiment Tracker

| Run ID | Purpose | System | Priority | Status |
|---|---|---|---|---|
| R001 | sanity | base | MUST | TODO |
| R002 | main | ours | MUST | TODO |
"""


class TestScheduleHeadings:
    def test_headings_no_run_or_block_is_in_are_not_milestones(self, tmp_path: Path) -> None:
        """Week headings that no run and no block is in are the plan's schedule: no
        milestones (they ordered nothing, and the estimate left each out), said once, with
        the cost written under them that no longer counts."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", WEEKS_PLAN)
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", WEEKS_TRACKER)
        project = load_project(tmp_path)
        assert project.milestones == ()
        assert project.plan.milestones == ()
        assert [(r.id, r.milestone) for r in project.runs] == [("R001", ""), ("R002", "")]
        said = [w for w in project.warnings if "schedule" in w.message]
        assert [(w.line, w.message) for w in said] == [
            (
                5,
                "the 2 headings Week 1 … Week 2 (from line 5) are read as the plan's schedule, "
                "not its run order: no run and no block of the plan is in any of them, so they "
                "are not milestones and no milestone order holds back a run; the cost written "
                "under Week 2 (Cost: ~40 GPU-hours, line 10) is not in the estimate; to order the "
                "runs by milestone, give the tracker a Milestone column or write a run-order "
                "table",
            )
        ]

    def test_headings_main_milestone_names_stay_milestones(self, tmp_path: Path) -> None:
        """`main_milestone = "Week 2"` in bridge.toml names one of the headings: they stay the
        plan's milestones, as before (every command stopped with "not a milestone of the
        plan (milestones: none)")."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", WEEKS_PLAN)
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", WEEKS_TRACKER)
        write(tmp_path, "bridge.toml", '[bridge]\nmain_milestone = "Week 2"\n')
        project = load_project(tmp_path)
        assert [m.id for m in project.milestones] == ["Week 1", "Week 2"]
        assert not [w for w in project.warnings if "schedule" in w.message]

    def test_a_repeated_phase_heading_leaves_one_warning(self, tmp_path: Path) -> None:
        """A phase heading written twice: the warning that milestones were read from the phase
        headings (counting three) stood beside the one saying they are none."""
        write(
            tmp_path,
            "refine-logs/EXPERIMENT_PLAN.md",
            "# Experiment Plan: Phases\n\n### Phase 1: Data\nBuild.\n\n### Phase 2: Train\n"
            "Train.\n\n### Phase 2: Train\nAgain.\n",
        )
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", WEEKS_TRACKER)
        project = load_project(tmp_path)
        assert project.milestones == ()
        said = [w.message for w in project.warnings if "heading" in w.message]
        assert len(said) == 1 and "read as the plan's schedule" in said[0], said

    def test_headings_a_run_is_in_stay_milestones(self, tmp_path: Path) -> None:
        """One run placed in a week (the tracker's Milestone column) keeps every week a
        milestone, as before: the order gates the runs."""
        write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", WEEKS_PLAN)
        tracker = WEEKS_TRACKER.replace("| Run ID |", "| Run ID | Milestone |")
        tracker = tracker.replace("|---|", "|---|---|", 1)
        tracker = tracker.replace("| R001 |", "| R001 | Week 1 |").replace("| R002 |", "| R002 | |")
        write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", tracker)
        project = load_project(tmp_path)
        assert [m.id for m in project.milestones] == ["Week 1", "Week 2"]
        assert [(r.id, r.milestone) for r in project.runs] == [("R001", "Week 1"), ("R002", "")]
        assert not [w for w in project.warnings if "schedule" in w.message]


def test_milestones_the_runs_give_are_said_where_the_plan_has_none(tmp_path: Path) -> None:
    """027's plan has no milestones of its own; its tracker's Milestone column gives B0, M1, …
    The warning said "no milestones found" above the milestones it then listed."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# Experiment Plan: X\n\n## Experiment Blocks\n\n### Block 1: A\n"
        "- **Compared systems**: a, b\n- **Success criterion**: a > b on acc\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System | Status |\n|---|---|---|---|\n"
        "| R1 | M1 | a | TODO |\n| R2 | M2 | b | TODO |\n",
    )
    project = load_project(tmp_path)
    assert [m.id for m in project.milestones] == ["M1", "M2"]
    said = [w.message for w in project.warnings if w.message.startswith("no milestones found")]
    assert said == [
        "no milestones found (no run-order table, milestone headings or list); the runs' "
        "Milestone cells give them: M1, M2"
    ]
    # Without any in the runs either, the warning stands as it was, saying what to write.
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | System | Status |\n|---|---|---|\n| R1 | a | TODO |\n",
    )
    bare = load_project(tmp_path)
    assert [w.message for w in bare.warnings if w.message.startswith("no milestones found")] == [
        f"no milestones found (no run-order table, milestone headings or list); write "
        f"{MILESTONES_TO_WRITE}"
    ]
