"""
Tracker run ids that name several runs (brace sets) and ids that cannot name a directory.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bridge.plan import LoadedProject, load_project
from bridge.plan.tracker import expand_braces, row_seeds
from tests.conftest import SHARED, needs_shared
from tests.plan.corpus import as_project

PLAN = """# Experiment Plan: Audit

## Experiment Blocks

### Block 1: Audit
- **Compared systems**: MHC-MI
"""


def _project(root: Path, run_id: str) -> Path:
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(PLAN, encoding="utf-8")
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | Block | System / Variant | Status |\n|---|---|---|---|---|\n"
        f"| `{run_id}` | M1 | B1 | MHC-MI | TODO |\n",
        encoding="utf-8",
    )
    return root


class TestBraceSets:
    @pytest.mark.parametrize(
        ("written", "ids"),
        [
            (
                "SSR-B1-AUDIT-MHC-MI-{A1,A2,ADJ}",
                ["SSR-B1-AUDIT-MHC-MI-A1", "SSR-B1-AUDIT-MHC-MI-A2", "SSR-B1-AUDIT-MHC-MI-ADJ"],
            ),
            ("X-{A1,ADJ}-{s0, s1}", ["X-A1-s0", "X-A1-s1", "X-ADJ-s0", "X-ADJ-s1"]),
            ("R046-R048", ["R046-R048"]),  # a range stays one run (PARSE-RULES)
            ("R{1}", ["R{1}"]),
            ("a{,b}", ["a{,b}"]),
        ],
    )
    def test_expansion(self, written: str, ids: list[str]) -> None:
        """Brace sets expand shell-style; anything else is left as written."""
        assert expand_braces(written) == ids

    def test_three_runs_with_a_warning(self, tmp_path: Path) -> None:
        """The issue's id is three runs of the row, planned (not refused), with a warning."""
        loaded = load_project(_project(tmp_path, "SSR-B1-AUDIT-MHC-MI-{A1,A2,ADJ}"))
        assert [(r.id, r.block, r.system) for r in loaded.runs] == [
            (f"SSR-B1-AUDIT-MHC-MI-{s}", "B1", "MHC-MI") for s in ("A1", "A2", "ADJ")
        ]
        assert any(
            "run id 'SSR-B1-AUDIT-MHC-MI-{A1,A2,ADJ}' names 3 runs" in w.message
            for w in loaded.warnings
        )


class TestUnsafeIds:
    def test_a_safe_directory_is_derived(self, tmp_path: Path) -> None:
        """An id with a slash and a space keeps its id and gets a directory name, warned."""
        loaded = load_project(_project(tmp_path, "B1/audit run"))
        (run,) = loaded.runs
        assert run.id == "B1/audit run"
        assert run.directory.startswith("B1_audit_run-") and len(run.directory) == 21
        assert any(
            "run id 'B1/audit run' cannot name a directory; its files go to .bridge/runs/"
            f"{run.directory}/" in w.message
            for w in loaded.warnings
        )

    def test_safe_ids_keep_their_name(self, tmp_path: Path) -> None:
        """A safe id is its own directory (nothing recorded)."""
        (run,) = load_project(_project(tmp_path, "R001")).runs
        assert run.directory == ""

    @pytest.mark.parametrize("run_id", ["abl__no_attn", "v2__s3_comp_wind_delta_h6"])
    def test_a_double_underscore_inside_an_id_is_kept(self, tmp_path: Path, run_id: str) -> None:
        """``__`` inside a word is part of the name, not Markdown bold (it was dropped:
        ``abl__no_attn`` became the run ``ablno_attn``)."""
        (run,) = load_project(_project(tmp_path, run_id)).runs
        assert run.id == run_id


class TestMilestoneFromRunsCell:
    def test_ids_prefixes_and_ranges(self, tmp_path: Path) -> None:
        """
        A tracker without a Milestone column: the plan's Runs cells name the runs by id, by id
        prefix (`JPH-M0-LOCAL` is `JPH-M0-LOCAL-001`) or `S0..2` range; a warning says so.
        """
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
            PLAN
            + "\n## Run Order and Milestones\n\n| Milestone | Goal | 首批 Run |\n|---|---|---|\n"
            "| M0 | sanity | JPH-M0-LOCAL、JPH-B0-OFFICIAL |\n| M1 | main | JPH-B1-HO-S0..2 |\n",
            encoding="utf-8",
        )
        rows = ["JPH-M0-LOCAL-001", "JPH-B0-OFFICIAL-001", "JPH-B1-HO-S1", "JPH-B1-HO-S3", "X-1"]
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
            "| Run ID | Block | System / Variant |\n|---|---|---|\n"
            + "".join(f"| {r} | B1 | MHC-MI |\n" for r in rows),
            encoding="utf-8",
        )
        loaded = load_project(tmp_path)
        assert {r.id: r.milestone for r in loaded.runs} == {
            "JPH-M0-LOCAL-001": "M0",
            "JPH-B0-OFFICIAL-001": "M0",
            "JPH-B1-HO-S1": "M1",
            "JPH-B1-HO-S3": "",
            "X-1": "",
        }
        assert any(
            w.message.startswith("JPH-B1-HO-S1: no milestone in the tracker; M1 from the plan")
            for w in loaded.warnings
        )


def _m0_m1_project(root: Path, rows: list[tuple[str, str]]) -> Path:
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        PLAN + "\n## Run Order and Milestones\n\n| Milestone | Goal | Runs |\n|---|---|---|\n"
        "| M0 | sanity | JPH-M0-LOCAL |\n| M1 | main | JPH-B1-HO-S0..2 |\n",
        encoding="utf-8",
    )
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Block | System / Variant | Status |\n|---|---|---|---|\n"
        + "".join(f"| {r} | B1 | MHC-MI | {status} |\n" for r, status in rows),
        encoding="utf-8",
    )
    return root


def test_an_id_naming_a_milestone_takes_it(tmp_path: Path) -> None:
    """018's rows JPH-M0-REMOTE-ENV-001 … name M0 in their ids like JPH-M0-LOCAL-001, which
    M0's Runs cell names; they fell out of every milestone. They take M0, said once. An "M0" in
    an id no run of M0 shares (ABL-M0-MASK), two milestones in one id, or a milestone the plan
    lacks places nothing: an ablation must not become a sanity run by its name."""
    rows = [
        ("JPH-M0-LOCAL-001", "DONE"),
        ("JPH-M0-REMOTE-ENV-001", "DONE"),
        ("JPH-M0-GITHUB-001", "TODO"),
        ("ABL-M0-MASK", "TODO"),
        ("JPH-M0-M1-1", "TODO"),
        ("Y-M7-1", "TODO"),
    ]
    loaded = load_project(_m0_m1_project(tmp_path, rows))
    assert {r.id: r.milestone for r in loaded.runs} == {
        "JPH-M0-LOCAL-001": "M0",
        "JPH-M0-REMOTE-ENV-001": "M0",
        "JPH-M0-GITHUB-001": "M0",
        "ABL-M0-MASK": "",
        "JPH-M0-M1-1": "",
        "Y-M7-1": "",
    }
    said = [w.message for w in loaded.warnings if "from the run ids" in w.message]
    assert said == [
        "JPH-M0-REMOTE-ENV-001, JPH-M0-GITHUB-001: no milestone in the tracker; M0 from the run "
        "ids, which name it as the ids of its runs do"
    ]


def test_runs_left_without_a_milestone_are_named(tmp_path: Path) -> None:
    """018's thirteen rows no milestone names were counted under "(no milestone)" with no word
    of which or why. One warning names them, and says that those still to launch wait for
    every milestone of the plan."""
    rows = [("JPH-M0-LOCAL-001", "DONE"), ("P-1", "DONE"), ("P-2", "TODO")]
    loaded = load_project(_m0_m1_project(tmp_path, rows))
    said = [w for w in loaded.warnings if ": no milestone: " in w.message]
    assert [w.message for w in said] == [
        "P-1, P-2: no milestone: neither their rows nor a milestone's Runs cell names one; they "
        "are reported under (no milestone), and those still to run (P-2) launch only after every "
        "milestone of the plan has settled. Give each row its milestone (a Milestone column, or "
        "its id in a milestone's Runs cell)"
    ]
    assert (said[0].file, said[0].line) == ("refine-logs/EXPERIMENT_TRACKER.md", 4)
    done = load_project(
        _m0_m1_project(tmp_path / "done", [("JPH-M0-LOCAL-001", "TODO"), ("P-1", "DONE")])
    )
    assert [w.message for w in done.warnings if ": no milestone: " in w.message] == [
        "P-1: no milestone: neither their rows nor a milestone's Runs cell names one; they are "
        "reported under (no milestone). Give each row its milestone (a Milestone column, or its "
        "id in a milestone's Runs cell)"
    ]
    # Where no run is in any milestone, the milestones order nothing: no such warning.
    none = load_project(_m0_m1_project(tmp_path / "none", [("P-1", "TODO"), ("P-2", "TODO")]))
    assert not [w for w in none.warnings if ": no milestone: " in w.message]


@needs_shared
def test_step_ids_take_their_milestone(tmp_path: Path) -> None:
    """036's tracker has no Milestone column; its ids M0.1 … M3.1 are steps of the plan's
    `## Milestone N` sections. Each run is placed in its milestone, said in one warning per
    milestone; an id naming no milestone of the plan (M9.1) stays without one."""
    root = as_project("036", tmp_path)
    tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(tracker.read_text() + "| M9.1 | Unplanned | TODO | NICE-TO-HAVE | - |\n")
    project = load_project(root)
    placed = {r.id: r.milestone for r in project.runs}
    assert placed["M0.1"] == "M0" and placed["M2.3"] == "M2" and placed["M3.1"] == "M3"
    assert placed["M9.1"] == ""
    said = [w.message for w in project.warnings if "from the run ids" in w.message]
    assert said[0] == (
        "M0.1, M0.2, M0.3: no milestone in the tracker; M0 from the run ids, steps of the "
        "plan's milestone M0"
    )
    assert len(said) == 4


@needs_shared
def test_a_milestone_the_plan_does_not_have_is_warned(tmp_path: Path) -> None:
    """021's tracker puts R015 under M6; the plan's milestones stop at M5 (its ids are shifted
    against the plan's). The warning names the run, the milestone and the plan's milestones."""
    project = load_project(as_project("021", tmp_path))
    said = [w for w in project.warnings if "is not a milestone of the plan" in w.message]
    assert len(said) == 1
    assert said[0].message.startswith("R015: milestone M6 is not a milestone of the plan (M0 ")
    assert "M5 论文整合); it runs after the plan's milestones, under M6" in said[0].message
    assert (said[0].file, said[0].line) == ("refine-logs/EXPERIMENT_TRACKER.md", 22)


MILESTONE_PLAN = """# Experiment Plan: Steps

## Experiment Blocks

### Block 1: Audit
- **Compared systems**: MHC-MI

## Run Order and Milestones

| Milestone | Goal | Runs | Decision Gate |
|---|---|---|---|
| M1 | Baseline | M1.1 | none |
| M1.5 | Check | M1.5 | none |
"""


def _milestone_project(root: Path, rows: str) -> Path:
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(MILESTONE_PLAN, encoding="utf-8")
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Block | System / Variant | Status | Notes |\n|---|---|---|---|---|\n" + rows,
        encoding="utf-8",
    )
    return root


def test_a_run_named_as_a_plan_milestone_takes_that_milestone(tmp_path: Path) -> None:
    """A run `M1.5` in a plan that has a milestone `M1.5` is that milestone's, not a step of
    M1; `M1.1` is still a step of M1."""
    project = load_project(
        _milestone_project(
            tmp_path, "| M1.1 | B1 | MHC-MI | TODO | - |\n| M1.5 | B1 | MHC-MI | TODO | - |\n"
        )
    )
    assert {r.id: r.milestone for r in project.runs} == {"M1.1": "M1", "M1.5": "M1.5"}
    said = sorted(w.message for w in project.warnings if "from the run ids" in w.message)
    assert said == [
        "M1.1: no milestone in the tracker; M1 from the run ids, steps of the plan's milestone M1",
        "M1.5: no milestone in the tracker; M1.5 from the run ids",
    ]


def test_running_rows_bridge_wrote_are_not_warned_about(tmp_path: Path) -> None:
    """A RUNNING row whose Notes carry bridge's labelled part is bridge's own launch; only the
    researcher's RUNNING (a run in `screen`) is warned about before `bridge run`."""
    project = load_project(
        _milestone_project(
            tmp_path,
            "| M1.1 | B1 | MHC-MI | RUNNING | seed 0; bridge: attempt 1 on local:0 |\n"
            "| M1.5 | B1 | MHC-MI | RUNNING | `screen -r m15` |\n",
        )
    )
    running = [w.message for w in project.warnings if "the tracker says RUNNING" in w.message]
    assert len(running) == 1 and running[0].startswith("M1.5: the tracker says RUNNING.")


@needs_shared
def test_running_rows_of_the_plans_own_table_say_the_plan(tmp_path: Path) -> None:
    """025 writes its runs in the plan's own table, E-main RUNNING: the warning named "the
    tracker", a file the researcher never wrote that row in."""
    from tests.plan.corpus import as_project

    project = load_project(as_project("025", tmp_path))
    running = [w for w in project.warnings if "Unless bridge launched them" in w.message]
    assert len(running) == 1
    # Its Status cell as written, read as running.
    assert running[0].message.startswith("E-main: the plan says 🔄 4B完成, 其余训练中 (running).")
    assert running[0].file.endswith("EXPERIMENT_PLAN.md")


@needs_shared
def test_036_step_sections_are_blocks_of_the_runs_named_by_them(tmp_path: Path) -> None:
    """036 has no block headings; its `### M0.1 …` … `### M2.2 …` sections each state a
    success criterion and stand as blocks. The tracker's run M2.1 is the section M2.1: placed
    there by its id; M2.3, which no section states, stays unplaced with the reason."""
    project = load_project(as_project("036", tmp_path))
    blocks = [b.id for b in project.plan.blocks]
    assert blocks == ["M0.1", "M0.2", "M0.3", "M1.1", "M1.2", "M2.1", "M2.2"]
    placed = {r.id: (r.block, r.attribution) for r in project.runs}
    assert placed["M2.1"] == ("M2.1", "its run id is the block's id")
    assert placed["M0.3"][0] == "M0.3"
    assert placed["M2.3"][0] == ""
    assert project.plan.blocks[5].success_criterion == (
        "beat `baseline3_1_unk` on chrF++ without increasing contamination."
    )


class TestSeedCells:
    @pytest.mark.parametrize(
        ("header", "cell", "seeds"),
        [
            ("Seeds", "3", (0, 1, 2)),
            ("Seeds", "1", (0,)),
            ("# seeds", "×2", (0, 1)),
            ("Seed", "3 seeds", (0, 1, 2)),
            ("Seeds", "3407/3408/3409", (3407, 3408, 3409)),
            ("Seed", "0, 1, 2", (0, 1, 2)),
            ("Seed", "{0,1}", (0, 1)),
            # one seed value, an empty cell, words: not several seeds
            ("Seed", "3", ()),
            ("Seeds", "3407", ()),
            ("Seeds", "—", ()),
            ("Seeds", "fixed eval", ()),
            ("Seeds", "500", ()),
            ("Seeds", "2/3", ()),  # progress: two of three seeds done
            ("Seeds", "42/43", (42, 43)),
        ],
    )
    def test_row_seeds(self, header: str, cell: str, seeds: tuple[int, ...]) -> None:
        assert row_seeds(header, cell) == seeds

    def test_a_seeds_column_holding_a_zero_holds_seed_values(self, tmp_path: Path) -> None:
        """`Seeds` with 0, 1, 2 down the rows (one seed per row, as 018 writes under `Seed`):
        the numbers are seeds, not counts, so no row is split."""
        root = _project(tmp_path, "R0")
        (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
            "| Run ID | Milestone | Block | System / Variant | Seeds | Status |\n"
            "|---|---|---|---|---|---|\n"
            + "".join(f"| R{n} | M1 | B1 | MHC-MI | {n} | TODO |\n" for n in range(3)),
            encoding="utf-8",
        )
        runs = load_project(root).runs
        assert [(r.id, r.seed) for r in runs] == [("R0", 0), ("R1", 1), ("R2", 2)]

    def test_seeds_a_system_cell_ends_with(self, tmp_path: Path) -> None:
        """023 (trial T5), no Seed column: R020 "capacity-matched VanillaFilter seed 42" ran
        with the default seed 0 and recorded none; R040 "… seeds 42/27/97" was one seedless
        run. The seeds are the runs' own, and the system is named without them."""
        root = _project(tmp_path, "R0")
        (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
            "| Run ID | Milestone | Block | System / Variant | Status |\n"
            "|---|---|---|---|---|\n"
            "| R020 | M1 | B1 | capacity-matched VanillaFilter seed 42 | TODO |\n"
            "| R040 | M1 | B1 | final Direct24/Rollout24 seeds 42/27/97 | TODO |\n"
            "| R041 | M1 | B1 | Vanilla / innovation / online recurrent seeds | TODO |\n",
            encoding="utf-8",
        )
        runs = [(r.id, r.seed, r.system) for r in load_project(root).runs]
        assert runs == [
            ("R020", 42, "capacity-matched VanillaFilter"),
            ("R040-s42", 42, "final Direct24/Rollout24"),
            ("R040-s27", 27, "final Direct24/Rollout24"),
            ("R040-s97", 97, "final Direct24/Rollout24"),
            ("R041", None, "Vanilla / innovation / online recurrent seeds"),
        ]
        messages = [w.message for w in load_project(root).warnings]
        assert any(
            m.startswith("System / Variant cells name several seeds (R040 ×3)") for m in messages
        )

    @needs_shared
    def test_032_seed_counts_and_priority_sections(self, tmp_path: Path) -> None:
        """032_fed-hypca: `Seeds` 3 gives three runs, `## Priority 2 (Nice-to-Have)` makes its
        rows nice-to-have, and the GPU-hours with no run asking for a GPU are warned: those of
        its tracker's `GPU-hrs` column, each row's, before the plan's 2,500 GPU-h budget."""
        project = load_project(as_project("032", tmp_path))
        ids = [r.id for r in project.runs]
        assert ids[:5] == ["E01", "E02-s0", "E02-s1", "E02-s2", "E03-s0"]
        assert len(ids) == 25
        priorities = {r.id: r.priority.value for r in project.runs}
        assert priorities["E04-s2"] == "must" and priorities["E05-s0"] == "nice"
        assert priorities["E09"] == "nice"
        messages = [w.message for w in project.warnings]
        assert any(m.startswith("Seed cells name several seeds (E02 ×3, E03 ×3") for m in messages)
        assert any(
            m.startswith(
                "the tracker's 'GPU-hrs' column gives GPU-hours (E01 1, E02 40, E03 700, "
                "E04 100, E05 800, E06 100, …) but no run asks for a GPU"
            )
            for m in messages
        )


@needs_shared
def test_a_metrics_cell_stating_a_gate_names_the_metric(tmp_path: Path) -> None:
    """011's Metrics cells state gates ("Dev macro F1 ≥ 0.55", "Coverage ≥80%, Hard ≥250"):
    the names are the parts before the comparison, so "did you mean" and the metric matching
    never offer "Parse ≥90%" as a metric's name."""
    runs = {r.id: r.metrics for r in load_project(as_project("011", tmp_path)).runs}
    assert runs["R013"] == ("Dev macro F1",)
    assert runs["R006"] == ("Coverage", "Hard")
    assert runs["R005"] == ()


@needs_shared
def test_a_metrics_cell_naming_another_rows_metrics_has_that_rows(tmp_path: Path) -> None:
    """012's R004 "same as R003" and R005 "same plus calibration" point at R003's metrics; they
    were read as metrics named 'same as R003' and 'same plus calibration', which `bridge plan`
    offered as B2's first metrics and the results never showed R005's calibration under."""
    runs = {r.id: r.metrics for r in load_project(as_project("012", tmp_path)).runs}
    assert runs["R003"] == ("full", "high-DTU", "stable NLL")
    assert runs["R004"] == runs["R003"]
    assert runs["R005"] == (*runs["R003"], "calibration")
    # A pointer to no row read before it is read as written, never as no metric at all: the
    # results show a name no run records, where () would drop it without a word (review).
    tracker = tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    assert "same as R003" in text
    tracker.write_text(text.replace("same as R003", "same as v2"), encoding="utf-8")
    runs = {r.id: r.metrics for r in load_project(tmp_path).runs}
    assert runs["R004"] == ("same as v2",)


@needs_shared
def test_rows_that_run_only_under_a_condition_are_named(tmp_path: Path) -> None:
    """001's R013 "Only if margins tight" and 004's R501/R502 "Only if R203 M2 gate fails": bridge
    cannot check the condition; `bridge plan` names them before anything runs, rather than run
    them without a word. A row whose note says what to do after a result ("If … fails, stop")
    is not among them."""
    messages = [w.message for w in load_project(as_project("001", tmp_path / "a")).warnings]
    (said,) = [m for m in messages if m.startswith("runs whose row says they run only under")]
    # R005/R006 "After M2 confirms" and R014 "If DepthBasis is trained" were launched without a
    # word (new-user trial): a result that must hold first, a model that may never be trained.
    assert said.startswith(
        "runs whose row says they run only under a condition (R005: 'After M2 confirms'; R006: "
        "'After M2 confirms'; R013: 'Only if margins tight'; R014: 'If DepthBasis is trained')"
    )
    messages = [w.message for w in load_project(as_project("004", tmp_path / "b")).warnings]
    (said,) = [m for m in messages if "only under a condition" in m]
    assert "R501: 'Only if R203 M2 gate fails'; R502:" in said
    # 023 (a Chinese tracker): "start only after the M1/M3 gate passes", "wait until the user
    # freezes the final checkpoint" were launched in the first pass without a word.
    messages = [w.message for w in load_project(as_project("023", tmp_path / "c")).warnings]
    (said,) = [m for m in messages if "only under a condition" in m]
    assert "R031: '等用户的最终 Stage1.5 checkpoint 冻结'; R040: '仅 M1/M3 gate 通过后启动'" in said


@needs_shared
def test_a_condition_is_quoted_without_bridges_part_of_the_notes(tmp_path: Path) -> None:
    """004's R501 after a run: "Only if R203 M2 gate fails; bridge: its settings changed (in"
    was quoted as the researcher's condition (trial T7)."""
    project = as_project("004", tmp_path)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    assert "**Only if R203 M2 gate fails** |" in text
    tracker.write_text(
        text.replace(
            "**Only if R203 M2 gate fails** |",
            "**Only if R203 M2 gate fails**; bridge: its settings changed (inputs changed) |",
            1,
        ),
        encoding="utf-8",
    )
    messages = [w.message for w in load_project(project).warnings]
    (said,) = [m for m in messages if "only under a condition" in m]
    assert "R501: 'Only if R203 M2 gate fails'" in said, said
    assert "bridge:" not in said


@needs_shared
def test_blocks_whose_text_states_a_condition_are_named(tmp_path: Path) -> None:
    """034's S3 "Skipped if tuned-lens is unavailable for closed-weight models." (plan:65): the
    block's runs launched without a word (034's failed, and the plan ended "Must-run runs did
    not succeed"). Named with the plan's line. 001's B2 "MUST-RUN (but AFTER Block 1 confirms
    depth conditioning works)" (plan:87) names no run the row warning does not already name
    (R005/R006 "After M2 confirms"), so it is said once, there; its B1 "Seed: 42 (run 3 seeds
    only if margins are tight)" is a condition on its seeds, not on launching it."""
    warnings = load_project(as_project("001", tmp_path / "a")).warnings
    assert not [w for w in warnings if w.message.startswith("block ") and "condition" in w.message]
    (rows,) = [w for w in warnings if w.message.startswith("runs whose row says they run only")]
    assert "R005: 'After M2 confirms'; R006: 'After M2 confirms'" in rows.message
    warnings = load_project(as_project("034", tmp_path / "b")).warnings
    (s3,) = [w for w in warnings if w.message.startswith("block ") and "condition" in w.message]
    assert (s3.file, s3.line) == ("refine-logs/EXPERIMENT_PLAN.md", 65)
    assert s3.message.startswith(
        "block S3's text says its runs run only under a condition (R013: 'Skipped if tuned-lens "
        "is unavailable for closed-weight models.')"
    )
    # 034's tracker lists blocks: the block's row is where NOT RUN takes its runs out.
    assert "mark the block's tracker row NOT RUN — <reason>" in s3.message


def _conditional_block(root: Path, tracker: str = "") -> list[tuple[str, int, str]]:
    """
    The block-condition warnings of a plan whose block B2 (heading at line 9, a blank line
    under it) says "Skipped if tuned-lens is unavailable." at line 14, with ``tracker`` as
    its tracker when given: each warning's file, line and message.
    """
    plan = (
        "# Plan\n\n### Block B1: main\n\n- Compared systems: A; B\n- Seeds: 0\n"
        "- Success criterion: A accuracy > B accuracy\n\n"
        "### Block B2: extra\n\n- Compared systems: A; C\n- Seeds: 0\n- Priority: MUST\n"
        "- Skipped if tuned-lens is unavailable.\n- Success criterion: A accuracy > C accuracy\n"
    )
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(plan, encoding="utf-8")
    if tracker:
        (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(tracker, encoding="utf-8")
    return [
        (w.file, w.line, w.message)
        for w in load_project(root).warnings
        if w.message.startswith("block B2's text says")
    ]


def test_a_proposed_blocks_condition_is_at_its_line_and_says_how_to_rule_it_out(
    tmp_path: Path,
) -> None:
    """With the usual blank line under the heading the warning pointed one line too high
    (plan:13, the Priority), and it said "mark their rows NOT RUN" of runs proposed from the
    plan, which have no rows: a tracker row or a [[runs]] entry for one would replace every
    proposed run. Writing the block's Priority as CUT leaves its runs out."""
    ((file, line, message),) = _conditional_block(tmp_path)
    assert (file, line) == ("refine-logs/EXPERIMENT_PLAN.md", 14)
    assert message == (
        "block B2's text says its runs run only under a condition (R003, R004: 'Skipped if "
        "tuned-lens is unavailable.'): bridge cannot check it and runs them as planned; they "
        "are proposed from the plan and have no tracker rows: write the block's Priority as "
        "CUT — <reason> when its condition does not hold, and bridge proposes none of them"
    )
    # What it says to do takes the runs out.
    plan = tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace("- Priority: MUST", "- Priority: CUT — no tuned-lens"), encoding="utf-8"
    )
    loaded = load_project(tmp_path)
    assert [r.id for r in loaded.runs] == ["R001", "R002"]
    assert not [w for w in loaded.warnings if w.message.startswith("block B2's text says")]


def test_a_blocks_condition_names_only_runs_no_row_warning_names(tmp_path: Path) -> None:
    """001's R005/R006 were named twice, by their rows' "After M2 confirms" and by B2's
    Priority: the block warning names the block's other runs only."""
    tracker = (
        "# Tracker\n\n## Runs\n\n"
        "| Run ID | Block | System | Seed | Status | Notes |\n|---|---|---|---|---|---|\n"
        "| R1 | B1 | A | 0 | TODO | |\n| R2 | B1 | B | 0 | TODO | |\n"
        "| R3 | B2 | A | 0 | TODO | After M2 confirms |\n| R4 | B2 | C | 0 | TODO | |\n"
    )
    ((file, line, message),) = _conditional_block(tmp_path, tracker)
    assert (file, line) == ("refine-logs/EXPERIMENT_PLAN.md", 14)
    assert message == (
        "block B2's text says its runs run only under a condition (R4: 'Skipped if tuned-lens "
        "is unavailable.'): bridge cannot check it and runs them as planned; mark their rows "
        "NOT RUN — <reason> when its condition does not hold"
    )


@pytest.mark.parametrize(
    ("note", "conditional"),
    [
        ("等用户的最终 Stage1.5 checkpoint 冻结", True),
        ("等 R003 完成后再跑", True),
        ("start only after the M1 gate passes", True),
        # 001's R005/R006 and R014, 034's S3
        ("After M2 confirms", True),
        ("AFTER Block 1 confirms depth conditioning works", True),
        ("If DepthBasis is trained", True),
        ("Skipped if tuned-lens is unavailable for closed-weight models.", True),
        ("若 DepthBasis 已训练", True),
        # a wait for a run (bridge keeps it), a step count, what to do after a result: none
        ("After R014", False),
        ("After 3 passes over the data, evaluate", False),
        ("If E3 > E2 by >= 2pts → GO to M3", False),
        ("If the gate fails, stop", False),
        # "equal weights", "equal budget", once per seed: no condition
        ("等权重平均", False),
        ("等预算比较", False),
        ("run only once per seed", False),
    ],
)
def test_which_notes_state_a_condition(note: str, conditional: bool) -> None:
    from bridge.plan.runs import _ONLY_IF

    assert bool(_ONLY_IF.match(note)) is conditional


@needs_shared
def test_rows_whose_system_is_code_are_implementation_tasks(tmp_path: Path) -> None:
    """006's R005 "Implement safe_exp/safe_div …" and R006 "Add quantile clipping …" are both
    `Code change` rows: neither is an experiment run (R006 was launched and marked DONE)."""
    runs = {r.id: r for r in load_project(as_project("006", tmp_path)).runs}
    assert runs["R005"].task and runs["R006"].task
    assert not runs["R007"].task


@needs_shared
def test_rows_a_person_runs_are_not_launched(tmp_path: Path) -> None:
    """020's Owner column `白天/夜间负责人` says `白天：人工` (a person, by day) for R025, R047 …
    and `夜间：ARIS` for the automated rows; 009's R004 notes "API run is user-only". The
    person's rows are out of scope, with the reason; the others are bridge's."""
    from bridge.pipeline.recording import tracker_status_events

    runs = {r.id: r for r in load_project(as_project("020", tmp_path / "a")).runs}
    assert runs["R025"].settled_before_bridge and runs["R047"].settled_before_bridge
    assert not runs["R029"].settled_before_bridge  # 夜间：ARIS
    (ruled_out,) = tracker_status_events(runs["R025"])
    # Said as work people do (the summary and readiness name it so, not "excluded").
    assert ruled_out.reason.startswith(
        "TODO (白天/夜间负责人: 白天：人工；人工完成的工作，bridge 不运行)"
    )
    shared = SHARED / "projects" / "009_tool-placement"
    r004 = next(r for r in load_project(shared).runs if r.id == "R004")
    assert r004.settled_before_bridge
    assert r004.status_raw == "READY (Notes: user-only; work people do, not bridge)"
    # A [[runs]] entry with a command of its own says bridge runs it (a CPU re-analysis).
    copy = tmp_path / "009"
    (copy / "refine-logs").mkdir(parents=True)
    for name in ("EXPERIMENT_PLAN.md", "EXPERIMENT_TRACKER.md"):
        (copy / "refine-logs" / name).write_bytes((shared / "refine-logs" / name).read_bytes())
    (copy / "bridge.toml").write_text('[[runs]]\nid = "R004"\ncommand = "python3 -V"\n')
    r004 = next(r for r in load_project(copy).runs if r.id == "R004")
    assert not r004.settled_before_bridge and r004.status_raw == "READY"


@needs_shared
def test_work_people_do_is_not_launched(tmp_path: Path) -> None:
    """032's E09 "Human audit (200 examples)" and 011's R017/R033 "Human annotation: … × 2
    annotators" (System "Human") were launched with the experiment command and marked DONE;
    011's R018 (LLM judges on the same samples) stays bridge's. The reason says why they are out
    of scope, in the plan's language: "⬜ Pending (Purpose: Human audit)" read as a status."""
    runs = {r.id: r for r in load_project(as_project("032", tmp_path / "a")).runs}
    assert runs["E09"].settled_before_bridge
    assert runs["E09"].status_raw == (
        "⬜ Pending (its Purpose 'Human audit' is work people do, not a run bridge launches)"
    )
    runs = {r.id: r for r in load_project(as_project("011", tmp_path / "b")).runs}
    assert runs["R017"].settled_before_bridge and runs["R033"].settled_before_bridge
    assert runs["R017"].status_raw == (
        "TODO (its Purpose 'Human annotation' is work people do, not a run bridge launches)"
    )
    assert not runs["R018"].settled_before_bridge


@needs_shared
def test_rows_that_are_no_experiment_are_not_launched_and_the_plan_names_them(
    tmp_path: Path,
) -> None:
    """004's M4 rows and its M2 gate review were launched with `[run] command`, with no word
    (trial h39B F10): R203 a Gemini cross-review, R401 curated by hand, R402/R403 figures drawn,
    R404 the paper rewritten. They are work people do, each with why, named by one warning that
    says how to have them otherwise; the experiments beside them (R202, R308 "added per
    Gemini", R003 on hand-labeled rules) stay bridge's. 008's R010 and 011's R037, whose System
    is the paper, too."""
    project = load_project(as_project("004", tmp_path / "a"))
    runs = {r.id: r for r in project.runs}
    out = [i for i, r in runs.items() if r.settled_before_bridge]
    assert out == ["R203", "R401", "R402", "R403", "R404"], out
    assert runs["R402"].status_raw == (
        "TODO (its Purpose 'Figure 2 render' is work people do, not a run bridge launches)"
    )
    assert runs["R404"].status_raw == (
        "TODO (its Purpose 'Tables 1–3 finalize + paper/main.tex Sections 2–4 rewrite' is work "
        "people do, not a run bridge launches)"
    )
    (warning,) = [w for w in project.warnings if "by their own words" in w.message]
    assert warning.message.startswith(
        "rows read as work people do, not experiment runs, by their own words (R203: its "
        "Purpose 'Claim-1 gate cross-review'; R401: its Purpose 'Qualitative proof-trace "
        "curation'; R402: its Purpose 'Figure 2 render'; R403: its Purpose 'Figure 3 render'; "
        "R404: its Purpose 'Tables 1–3 finalize + paper/main.tex Sections 2–4 rewrite'): bridge "
        "does not launch them; mark each DONE once done, `NOT RUN — <reason>` if it will not be "
        "done, or give it a [[runs]] entry with its own command"
    ), warning.message
    r010 = next(r for r in load_project(as_project("008", tmp_path / "b")).runs if r.id == "R010")
    assert (
        r010.status_raw
        == "TODO (its System 'Paper draft' names the paper, not a system bridge runs)"
    )


def test_work_people_do_is_said_in_chinese_on_a_chinese_plan(tmp_path: Path) -> None:
    """A Chinese plan's row of work people do (人工评估, or a System naming people) gives its
    reason in Chinese, as the rest of its output."""
    root = tmp_path / "zh"
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# 实验计划：审核\n\n本计划检验一个小模型在问答上的准确率，并由人工评估生成质量。\n\n"
        "## 实验块\n\n### B1：主实验\n- **对比系统**：本方法\n",
        encoding="utf-8",
    )
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | Block | Purpose | System / Variant | Status |\n"
        "|---|---|---|---|---|---|\n"
        "| R1 | M1 | B1 | 主实验 | 本方法 | TODO |\n"
        "| R2 | M1 | B1 | 人工评估（50 条） | 本方法 | TODO |\n"
        "| R3 | M1 | B1 | 抽样 100 条 | 标注员 | TODO |\n",
        encoding="utf-8",
    )
    runs = {r.id: r for r in load_project(root).runs}
    assert not runs["R1"].settled_before_bridge
    assert runs["R2"].status_raw == (
        "TODO (其 Purpose「人工评估」是人做的工作，不是 bridge 启动的运行)"
    )
    assert runs["R3"].status_raw == "TODO (其 System「标注员」指的是人，不是 bridge 运行的系统)"


@pytest.mark.parametrize(
    ("purpose", "system", "persons"),
    [
        ("Human evaluation (50 items)", "GPT-4o", True),
        ("User study (n=12)", "ours", True),
        ("Sample 100 for raters", "Human", True),
        # Rows that use people's work are compute runs.
        ("Train reward model on human annotations", "RM", False),
        ("Correlation of LLM judge with human ratings", "judge", False),
        ("Compute inter-annotator agreement on human annotation", "Analysis", False),
        ("Simulated user study with LLM agents", "agents", False),
        ("人工标注数据训练", "ours", False),
        # No experiment by its words (004's R203, R402, R404; 008's R010) …
        ("Claim-1 gate cross-review", "Gemini 3.1 Pro (`gemini` CLI) reads Table 1", True),
        ("Figure 3 render (CI bars)", "R306+R307 output", True),
        ("Rewrite paper Sections 2–4", "—", True),
        ("Curate 10 cases by hand", "ours", True),
        ("Final manuscript claim audit", "Paper draft", True),
        # … and the runs that only sound so: a figure a script draws (006's R003), one generated
        # (020's R061), an LLM judge (011's R018), a rendering checked (006's R001).
        ("S3 composite time series figure", "make_thesis_figures.py on composite", False),
        ("Figure 2 render", "plot_fig2.py", False),
        ("figure 1 generation", "branch/matched outcome CI", False),
        ("LLM judges on 200 samples", "GPT-4o-mini + Qwen-32B", False),
        ("Verify S3 sub-formula LaTeX rendering", "wind/solar/load formulas", False),
        ("Train on paper abstracts", "ours", False),
    ],
)
def test_which_rows_are_work_people_do(purpose: str, system: str, persons: bool) -> None:
    from bridge.plan.model import TrackerRun
    from bridge.plan.runs import _persons_run

    row = TrackerRun(
        id="R1",
        milestone="M1",
        block="",
        purpose=purpose,
        system=system,
        split="",
        metrics="",
        priority=None,
        priority_raw="",
        status="todo",
        status_raw="TODO",
        notes="2 GPU-h + 1 person-hour setup",
        seed=None,
        columns={},
        file="T.md",
        line=1,
    )
    assert bool(_persons_run(row)) is persons


@needs_shared
def test_runs_waiting_for_a_run_bridge_does_not_run_are_held_with_it(tmp_path: Path) -> None:
    """011's R020/R021 wait for R017 (a human annotation, a person's): cancelled at launch, they
    stopped M3 and M4 with them. They are held out of scope with the reason, R034 (waiting for
    R033) too; R023, which waits for nothing held, stays bridge's. R037 (waiting for R020), the
    paper's final tables (System "Paper"), is work people do itself, until a [[runs]] entry with
    a command of its own makes it bridge's: then it waits, as R020 does."""
    from bridge.plan.runs import waits_outside

    project = as_project("011", tmp_path)
    runs = {r.id: r for r in load_project(project).runs}
    held = sorted(i for i, r in runs.items() if waits_outside(r.status_raw))
    assert held == ["R020", "R021", "R034"]
    assert runs["R037"].status_raw == (
        "TODO (its System 'Paper' names the paper, not a system bridge runs)"
    )
    (project / "bridge.toml").write_text('[[runs]]\nid = "R037"\ncommand = "python3 -V"\n')
    runs = {r.id: r for r in load_project(project).runs}
    assert runs["R020"].status_raw == (
        "TODO (waits for R017, which bridge does not run: it runs once R017 is done)"
    )
    assert runs["R020"].settled_before_bridge
    assert not runs["R023"].settled_before_bridge
    # R037 waits for R020, held for R017: it said "waits for R020, which bridge does not run",
    # and bridge runs R020 once R017 is done. The run bridge does not run is named.
    assert runs["R037"].status_raw == (
        "TODO (waits for R017, which bridge does not run: it runs once R017 is done)"
    )


@needs_shared
def test_a_priority_word_that_names_no_priority_is_said(tmp_path: Path) -> None:
    """014's R003 has Priority `DIAGNOSTIC` ("retained only as historical diagnostic"): read as
    must-run with no word of it, so its failure would hold M2 and cancel every later milestone.
    `bridge plan` says so at its row, in the plan's language too."""
    from bridge.projections.plan_words import warning_in_language

    project = load_project(as_project("014", tmp_path))
    said = [w for w in project.warnings if "names no priority" in w.message]
    assert [(w.file, w.line, w.message) for w in said] == [
        (
            "refine-logs/EXPERIMENT_TRACKER.md",
            11,
            "R003: the Priority 'DIAGNOSTIC' names no priority (MUST, NICE, CUT, P0 …): read as "
            "must-run, so a failure holds its milestone and cancels the later ones; write "
            "MUST-RUN or NICE-TO-HAVE in the cell",
        )
    ]
    assert warning_in_language(said[0].message, "zh").startswith(
        "R003：优先级 'DIAGNOSTIC' 不是可识别的优先级"
    )


@needs_shared
def test_a_blocks_priority_that_names_no_priority_is_said(tmp_path: Path) -> None:
    """020's B5 «优先级：AFTER CORE GATES；不是 first pilot 前置项» (plan:315) names no priority:
    B5 was counted among the must-run blocks (`7 个必做`, priority null in --json) with no word
    of how it was read (h40D F12)."""
    from bridge.projections.plan_words import warning_in_language

    project = load_project(as_project("020", tmp_path))
    said = [w for w in project.warnings if "names no priority" in w.message]
    assert [(w.file, w.line, w.message) for w in said] == [
        (
            "refine-logs/EXPERIMENT_PLAN.md",
            315,
            "B5: the Priority 'AFTER CORE GATES；不是 first pilot 前置项' names no priority "
            "(MUST, NICE, CUT, P0 …): the block is read as must-run, its verdict counted among "
            "the must-run blocks'; write MUST-RUN or NICE-TO-HAVE in B5's Priority",
        )
    ]
    assert warning_in_language(said[0].message, "zh") == (
        "B5：优先级 'AFTER CORE GATES；不是 first pilot 前置项' 不是可识别的优先级（MUST、NICE、"
        "CUT、P0 …）：该实验块按必做处理，其结论计入必做实验块；请在 B5 的优先级中写 MUST-RUN 或 "
        "NICE-TO-HAVE"
    )


def test_a_run_bridge_cancelled_holds_nothing(tmp_path: Path) -> None:
    """Trial P1 on 011: R004 failed, bridge cancelled R008 (its row then says CANCELLED in
    bridge's part), and after the fix R016, which waits for R008, was held "out of scope ...
    which bridge does not run", though bridge ran R008 in that same invocation."""
    project = _milestone_project(
        tmp_path,
        "| M1.1 | B1 | MHC-MI | CANCELLED | seed 0; bridge: cancelled: M1.0 failed |\n"
        "| M1.2 | B1 | MHC-MI | TODO | depends on M1.1 |\n",
    )
    runs = {r.id: r for r in load_project(project).runs}
    assert runs["M1.2"].depends_on == ("M1.1",)
    assert runs["M1.2"].status_raw == "TODO"
    assert not runs["M1.2"].settled_before_bridge


@pytest.mark.parametrize(
    ("notes", "seed"),
    [
        ("seed 3", 3),
        ("seed=7; fast", 7),
        # the seed a checkpoint was trained with (020's R007j), not this run's
        ("候选：seed 202 的 model_9000.pt", None),
        ("evaluates seed 202's checkpoint", None),
    ],
)
def test_a_seed_in_the_notes(notes: str, seed: int | None) -> None:
    from bridge.plan.tracker import _seed

    assert _seed("", notes) == seed


def test_the_status_bridge_wrote_for_a_rows_seeds_is_not_read_back_as_the_researchers(
    tmp_path: Path,
) -> None:
    """Bridge writes "DONE ×1, RUNNING ×1, TODO ×2" into a row naming four seeds. Read back
    after a tracker edit, that cell said "done" for every seed, so the seeds not launched yet
    were recorded as done before bridge and never ran."""
    root = _project(tmp_path, "R0")
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | Block | System / Variant | Seeds | Status |\n"
        "|---|---|---|---|---|---|\n"
        "| R2 | M1 | B1 | MHC-MI | 4 | DONE ×1, RUNNING ×1, TODO ×2 |\n",
        encoding="utf-8",
    )
    runs = load_project(root).runs
    assert [(r.id, r.status) for r in runs] == [(f"R2-s{n}", "todo") for n in range(4)]
    assert not any(r.settled_before_bridge for r in runs)
    # With a legend, the marks bridge writes are its words (032): "🔄 ×2, ✅ ×1" is bridge's too,
    # and no seed's status says "(legend: Running)" (a saved-back tracker read as a request).
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "## Status Legend: ✅ Complete | 🔄 Running | ⬜ Pending\n\n"
        "| Run ID | Milestone | Block | System / Variant | Seeds | Status |\n"
        "|---|---|---|---|---|---|\n"
        "| R2 | M1 | B1 | MHC-MI | 3 | 🔄 ×2, ✅ ×1 |\n",
        encoding="utf-8",
    )
    runs = load_project(root).runs
    assert [(r.id, r.status, r.status_raw) for r in runs] == [
        (f"R2-s{n}", "todo", "") for n in range(3)
    ]


def test_a_runs_entry_for_a_row_naming_seeds_applies_to_each_seed(tmp_path: Path) -> None:
    """`[[runs]] id = "R2"` for a row whose Seeds cell says 3: each seed's run takes the
    entry (it used to become a fourth run R2, beside R2-s0 … R2-s2 without the entry)."""
    root = _project(tmp_path, "R0")
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | Block | System / Variant | Seeds | Status |\n"
        "|---|---|---|---|---|---|\n| R2 | M1 | B1 | MHC-MI | 3 | TODO |\n",
        encoding="utf-8",
    )
    (root / "bridge.toml").write_text(
        '[[runs]]\nid = "R2"\ncommand = "python3 train.py --seed {seed}"\n', encoding="utf-8"
    )
    runs = load_project(root).runs
    assert [(r.id, r.seed, r.command) for r in runs] == [
        (f"R2-s{n}", n, ("python3", "train.py", "--seed", "{seed}")) for n in range(3)
    ]


@pytest.mark.parametrize(
    ("system", "purpose", "notes", "task"),
    [
        ("Code change", "Add quantile clipping", "", True),
        ("Code Llama 7B", "Evaluate", "", False),
        ("code-davinci-002", "Evaluate", "", False),
        ("model", "Write summaries with the model", "code at github.com/x", False),
        ("hook", "Implement A3 hook", "~2h coding", True),
    ],
)
def test_which_rows_are_coding_tasks(
    tmp_path: Path, system: str, purpose: str, notes: str, task: bool
) -> None:
    root = _project(tmp_path, "R0")
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | Purpose | System / Variant | Status | Notes |\n"
        f"|---|---|---|---|---|---|\n| R1 | M1 | {purpose} | {system} | TODO | {notes} |\n",
        encoding="utf-8",
    )
    (run,) = load_project(root).runs
    assert run.task is task


@pytest.mark.parametrize(
    ("cells", "milestone", "purpose"),
    [
        # 038: the Gate cell says what the row checks
        (("Core overlay reuses AIAA ROCm stack; no duplicate Torch",) * 2, "", "Core overlay"),
        # a Gate column of gate labels is the milestone
        (("G1", "G2"), "G1", ""),
        (("Gate A: data ready", "Gate B: model trains well"), "Gate A", ""),
    ],
)
def test_a_gate_column_of_sentences_is_no_milestone(
    tmp_path: Path, cells: tuple[str, str], milestone: str, purpose: str
) -> None:
    """038's `| ID | Gate | Status | Evidence |`: 30 rows each got a milestone named after its
    Gate sentence, and the plan's real milestones showed no runs."""
    (tmp_path / "refine-logs").mkdir(parents=True)
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(PLAN, encoding="utf-8")
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| ID | Gate | Status | Evidence |\n|---|---|---|---|\n"
        + "".join(f"| R{n} | {cell} | TODO | x |\n" for n, cell in enumerate(cells)),
        encoding="utf-8",
    )
    run = load_project(tmp_path).runs[0]
    assert run.milestone == milestone
    assert run.purpose.startswith(purpose)


def test_a_tracker_section_table_without_run_ids_is_named(tmp_path: Path) -> None:
    """025's "## 八、Experiment Tracker" table (`| 实验 | 模型 | 状态 | 结果摘要 |`) was left out
    without a word; a tracker file's own title says nothing of the tables under it."""
    (tmp_path / "refine-logs").mkdir(parents=True)
    plan = tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(
        PLAN + "\n## 一、实验总览\n\n| 编号 | 状态 |\n|---|---|\n| R1 | TODO |\n"
        "\n## 八、Experiment Tracker\n\n| 实验 | 模型 | 状态 |\n|---|---|---|\n"
        "| RAG SFT training | 4B | ❌ |\n",
        encoding="utf-8",
    )
    messages = [w.message for w in load_project(tmp_path).plan.warnings]
    assert [m for m in messages if "not read as runs" in m] == [
        "a table under a tracker heading is not read as runs: its first column '实验' is no Run "
        "ID column (name it `Run ID`, with one id a row, to have its rows run)"
    ]
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "# Experiment Tracker\n\n| Date | Block | Status |\n|---|---|---|\n| 06-23 | B1 | ready |\n"
        "\n| Run ID | Milestone | Status |\n|---|---|---|\n| R1 | M1 | TODO |\n",
        encoding="utf-8",
    )
    messages = [w.message for w in load_project(tmp_path).plan.warnings]
    assert not [m for m in messages if "not read as runs" in m]


def test_a_tracker_whose_every_row_is_settled_says_the_plans_runs_are_not_planned(
    tmp_path: Path,
) -> None:
    """033: a one-row table added to take a proposed run out of scope became the tracker's only
    run table; the plan's other runs were planned no more, without a word."""
    (tmp_path / "refine-logs").mkdir(parents=True)
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# Plan\n\n## Experiment Blocks\n\n### Block 1: Main\n- Compared systems: A, B.\n"
        "- Seeds: 0, 1.\n- Success criterion: accuracy > 0.5.\n\n## Run Order and Milestones\n\n"
        "| Milestone | Goal | Runs | Decision Gate |\n|---|---|---|---|\n| M1 | main | B1 | - |\n",
        encoding="utf-8",
    )
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "## Hardware runs\n\n| Run ID | Milestone | Status | System |\n|---|---|---|---|\n"
        "| R9 | M1 | NOT RUN — real robot, by hand | robot |\n",
        encoding="utf-8",
    )
    loaded = load_project(tmp_path)
    assert [r.id for r in loaded.runs] == ["R9"]
    (warning,) = [w.message for w in loaded.warnings if "nothing runs" in w.message]
    assert warning.startswith(
        "every run the tracker lists is done or out of scope, so nothing runs, and the 4 runs "
        "the plan's blocks would give are not planned"
    )
    # Trial O3 on 009: once bridge has run the table's rows (its labelled part in their
    # Notes), the table is the plan's runs: no advice to remove it.
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | Status | System | Notes |\n|---|---|---|---|---|\n"
        "| R1 | M1 | DONE | A | seed 0; bridge: attempt 1 on local#0:cpu; exit 0 |\n",
        encoding="utf-8",
    )
    assert not [w for w in load_project(tmp_path).warnings if "nothing runs" in w.message]


@needs_shared
def test_notes_that_repeat_the_status_are_not_said_twice(tmp_path: Path) -> None:
    """002's R002 is ``**PAUSED**`` with Notes "Paused — TC-CS mechanism gate failed …", and
    R009 ``**BLOCKED**`` with "BLOCKED — depends on R006 passing": the reason read "PAUSED —
    Paused — …". Notes that open with the Status stand alone; others follow it. A log that
    recorded the earlier form reads as the same row, so nothing is recorded again."""
    from bridge.events import types as ev
    from bridge.events.store import InMemoryEventStore
    from bridge.machine.fold import fold
    from bridge.pipeline.recording import ruled_out_reason, tracker_status_events
    from bridge.pipeline.steps.code import _tracker_changed

    runs = {r.id: r for r in load_project(as_project("002", tmp_path / "a")).runs}
    (r002,) = tracker_status_events(runs["R002"])
    assert isinstance(r002, ev.RunRuledOut)
    assert r002.reason.startswith("Paused — TC-CS mechanism gate failed; covariance EMA")
    (r009,) = tracker_status_events(runs["R009"])
    assert isinstance(r009, ev.RunRuledOut)
    assert r009.reason == "BLOCKED — depends on R006 passing"
    assert ruled_out_reason("CANCELLED", "out of budget") == "CANCELLED — out of budget"
    # "BLOCKED-BY-HOST" is not what "blocked by the host" opens with: both are kept.
    assert ruled_out_reason("BLOCKED-BY-HOST", "blocked by the host") == (
        "BLOCKED-BY-HOST — blocked by the host"
    )
    assert ruled_out_reason("BLOCKED", "BLOCKEDX") == "BLOCKED — BLOCKEDX"
    # The log of an earlier version holds "BLOCKED — BLOCKED — depends on R006 passing".
    store = InMemoryEventStore()
    store.append("run:R009", [ev.RunPlanned(run_id="R009", milestone="M3")], None)
    earlier = ev.RunRuledOut(run_id="R009", status="BLOCKED", reason=f"BLOCKED — {r009.reason}")
    store.append("run:R009", [earlier], 1)
    old = fold(store.read()).runs["R009"]
    assert _tracker_changed(old, [r009]) == []
    moved = ev.RunRuledOut(run_id="R009", status="BLOCKED", reason="BLOCKED — host down")
    assert [type(e) for e in _tracker_changed(old, [moved])] == [
        ev.RunRetryScheduled,
        ev.RunRuledOut,
    ]


@needs_shared
def test_a_shifted_milestone_column_is_named(tmp_path: Path) -> None:
    """021's tracker has one milestone more than the plan: R012–R014 ("执行量通道消融") sit
    under M5, whose plan goal is "论文整合", while the plan's M4 is "通道消融"; only M6 was
    warned of. The warning names the rows and the milestone they read like, in Chinese too."""
    from bridge.projections.plan_words import warning_in_language

    loaded = load_project(as_project("021", tmp_path / "a"))
    (shifted,) = [w for w in loaded.warnings if "may be shifted" in w.message]
    assert shifted.message == (
        "the tracker's Milestone column may be shifted against the plan's: R012, R013, R014 "
        "under M5 read like the plan's M4 (通道消融); R015 under M6 read like the plan's M5 "
        "(论文整合). The runs are reported under the milestone their row names; correct the "
        "column if it is off"
    )
    assert warning_in_language(shifted.message, "zh") == (
        "追踪表的里程碑（Milestone）列可能与计划的编号错位：M5 下的 R012, R013, R014 读来像计划的 "
        "M4（通道消融）；M6 下的 R015 读来像计划的 M5（论文整合）。运行按其行写的里程碑报告；"
        "若错位请更正该列"
    )
    # A tracker whose milestones are all the plan's is never said to be shifted (005, 018).
    for name in ("005", "018"):
        others = load_project(as_project(name, tmp_path / name)).warnings
        assert not [w for w in others if "may be shifted" in w.message]
    # The results show R012–R014 under "M5: 论文整合" with M5's gate, R015 under M6: each of
    # those milestones says so there, not only `bridge plan` (trial h18D).
    from bridge.machine.fold import fold
    from bridge.projections.results import render
    from tests.recorded_runs import planned

    state = fold(planned(tmp_path / "a").read())
    english, chinese = render(state, "en"), render(state, "zh")
    m5 = english.split("### M5: ")[1].split("### ")[0]
    assert "«边界清晰，不夸大 AI 控制»" in m5
    assert (
        "- **⚠ Milestone column may be shifted:** R012, R013, R014 under M5 read like the plan's "
        "M4 (通道消融), by their Purpose: the name and decision gate above are the plan's M5's, "
        "which these runs may not be; correct the tracker's Milestone column if it is off"
    ) in m5
    assert (
        "R015 under M6 read like the plan's M5 (论文整合), by their Purpose: they are "
        in (english.split("### M6: ")[1].split("### ")[0])
    )
    assert (
        "- **⚠ 里程碑列可能错位:** M5 下的 R012, R013, R014 读来像计划的 M4（通道消融），按其 "
        "Purpose 列判断：上面的名称与决策门是计划中 M5 的，未必属于这些运行；"
    ) in chinese.split("### M5: ")[1].split("### ")[0]
    # M4 is shown as the plan's "通道消融" with its gate over R010, R011 (boundary scans): the
    # rows that read like it are under M5, and it says so (trial h40D).
    m4 = english.split("### M4: ")[1].split("### ")[0]
    assert "«结论与 v7 执行量分类一致»" in m4 and "| R010 |" in m4
    assert (
        "- **⚠ Milestone column may be shifted:** R012, R013, R014 under M5 read like the plan's "
        "M4 (通道消融), by their Purpose: the name and decision gate above are the plan's M4's, "
        "which those runs read like, not necessarily the runs below; correct the tracker's "
        "Milestone column if it is off"
    ) in m4
    assert (
        "- **⚠ 里程碑列可能错位:** M5 下的 R012, R013, R014 读来像计划的 M4（通道消融），按其 "
        "Purpose 列判断：上面的名称与决策门是计划中 M4 的，属于那些运行，未必属于下面的运行；"
    ) in chinese.split("### M4: ")[1].split("### ")[0]
    # M5 says its own rows' shift, not also the one onto it (R015's under M6).
    assert english.count("may be shifted") == 3 and chinese.count("里程碑列可能错位") == 3


@needs_shared
def test_an_ablation_table_that_becomes_no_runs_is_warned(tmp_path: Path) -> None:
    """033 has no tracker: runs are proposed per compared system and seed, and E1's "Ablations
    in Exp 1" table (A1-A4, 10 seeds each) became no runs with no word said."""
    loaded = load_project(as_project("033", tmp_path / "a"))
    _the_warning(
        loaded,
        "block E1's ablation table",  # E6's is warned of too (tests/plan/test_stated_counts.py)
        at=("refine-logs/EXPERIMENT_PLAN.md", 78),
        opens="block E1's ablation table (A1, A2, A3, A4) becomes no runs: runs are proposed "
        "for its compared systems and seeds only",
        zh_opens="实验块 E1 的消融表（A1, A2, A3, A4）不会成为任何运行",
    )


@needs_shared
def test_an_evidence_column_is_the_note_and_a_row_lacking_what_it_needs_is_warned(
    tmp_path: Path,
) -> None:
    """038's tracker is `| ID | Gate | Status | Evidence |`: its Evidence cells were read as
    nothing, so "checkpoint intentionally absent" on the PENDING row ENV-OF3-02 went unseen and
    it was the first to launch with no word said. With no Notes column the Evidence is the note,
    and a row to run whose note says it lacks what it needs is warned about."""
    loaded = load_project(as_project("038", tmp_path / "a"))
    runs = {r.id: r for r in loaded.runs}
    assert runs["ENV-OF3-02"].notes == "checkpoint intentionally absent; cofold remains optional"
    assert runs["HIP-02"].notes.startswith("complete CPU/HIP score-vector parity passes")
    _the_warning(
        loaded,
        "lack something they need",
        at=("refine-logs/EXPERIMENT_TRACKER.md", 9),
        opens="runs whose row says they lack something they need (ENV-OF3-02: 'checkpoint "
        "intentionally absent; cofold remains optional'): bridge cannot check it",
        zh_opens="这些运行的行写明缺少所需的东西（ENV-OF3-02",
    )


def _the_warning(
    loaded: LoadedProject, containing: str, *, at: tuple[str, int], opens: str, zh_opens: str
) -> None:
    """The one warning whose message contains ``containing``: where it points, how it opens,
    and how it opens in Chinese."""
    from bridge.projections.plan_words import warning_in_language

    (said,) = [w for w in loaded.warnings if containing in w.message]
    assert (said.file, said.line) == at
    assert said.message.startswith(opens), said.message
    assert warning_in_language(said.message, "zh").startswith(zh_opens)


def test_one_id_on_two_different_rows_is_refused_and_a_repeated_row_is_not() -> None:
    """Trial N2 on 004: R202's id typed as R201 left the main system's run out and the must-run
    count one lower, with a warning only. Two different rows under one id are refused at the
    second's line; the same row written twice is read once, with a warning."""
    from bridge.errors import PlanError
    from bridge.plan.text import Document
    from bridge.plan.tracker import read_tracker_runs

    head = "| Run ID | System / Variant | Status |\n|---|---|---|\n"
    with pytest.raises(PlanError) as refused:
        read_tracker_runs(
            Document(f"{head}| R201 | SEAP | TODO |\n| R201 | LSVJ-S | TODO |\n", "T.md")
        )
    assert str(refused.value) == (
        "T.md:4: run id R201 is on two different rows (first at line 3): give each run its own id"
    )
    runs, warnings = read_tracker_runs(
        Document(f"{head}| R201 | SEAP | TODO |\n| R201 | SEAP | TODO |\n", "T.md")
    )
    assert [r.id for r in runs] == ["R201"]
    assert warnings == [(4, "run R201 appears again (first at line 3); this row is ignored")]


def test_a_row_whose_status_column_holds_no_status_after_a_shift_is_refused() -> None:
    """Trial N2 on 004: R202's row missed one cell mid-row, so its note "Main paper Table 1 row
    5" stood in the Status column: read as unknown, launched, and bridge's status written over
    the note. Such a row is refused at its line; a short row whose Status is a status (the
    Notes cell left off at the end) is read as before."""
    from bridge.errors import PlanError
    from bridge.plan.text import Document
    from bridge.plan.tracker import read_tracker_runs

    head = "| Run ID | System / Variant | Split | Status | Notes |\n|---|---|---|---|---|\n"
    with pytest.raises(PlanError) as refused:
        read_tracker_runs(Document(f"{head}| R202 | LSVJ-S | DONE | Main paper row 5 |\n", "T.md"))
    assert str(refused.value).startswith(
        "T.md:3: run R202: the row has 4 cells and the table's header 5, and its Status "
        "column holds 'Main paper row 5', no status"
    )
    # Trial N3 on 012: a stray `|` in Purpose put the Priority in the Status column; the DONE
    # row was launched and DONE written over "MUST".
    head4 = "| Run ID | Purpose | Priority | Status | Notes |\n|---|---|---|---|---|\n"
    with pytest.raises(PlanError, match=r"Status column holds 'MUST', no status"):
        read_tracker_runs(Document(f"{head4}| R003 | a | b | MUST | DONE | ok |\n", "T.md"))
    runs, _ = read_tracker_runs(Document(f"{head}| R202 | LSVJ-S | test | DONE |\n", "T.md"))
    assert [(r.id, r.status) for r in runs] == [("R202", "done")]
    # A cell deleted mid-row of a row with no Notes left its Status column empty: refused too.
    with pytest.raises(
        PlanError,
        match=r"T.md:3: run R203: the row has 4 cells and the table's "
        r"header 5, and its Status column is empty: a cell is missing before it",
    ):
        read_tracker_runs(Document(f"{head}| R203 | LSVJ-S | TODO | |\n", "T.md"))
    # A table with no Status column has no status to misread: its short row is read.
    plain_head = "| Run ID | System / Variant | Notes |\n|---|---|---|\n"
    runs, _ = read_tracker_runs(Document(f"{plain_head}| R204 | LSVJ-S |\n", "T.md"))
    assert [(r.id, r.system) for r in runs] == [("R204", "LSVJ-S")]


@needs_shared
def test_a_cell_deleted_mid_row_of_018_is_refused_before_any_launch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """018's JPH-B2-FX-S0 with its 目的/Arm cell deleted: the cells after it shifted left, its
    状态 column read the empty 结果/证据 cell, and `bridge run` launched it as not started. Now
    `bridge plan` and `bridge run` refuse the tracker at the row's line, with both cell counts,
    and nothing is launched."""
    from bridge.cli import main

    project = tmp_path / "018"
    (project / "refine-logs").mkdir(parents=True)
    shared = SHARED / "projects" / "018_areal-harness-cn" / "refine-logs"
    for name in ("EXPERIMENT_PLAN.md", "EXPERIMENT_TRACKER.md"):
        (project / "refine-logs" / name).write_bytes((shared / name).read_bytes())
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    row = "| JPH-B2-FX-S0 | B2/B3 | fixed | 0 |"
    assert row in text
    tracker.write_text(text.replace(row, "| JPH-B2-FX-S0 | B2/B3 | 0 |"), encoding="utf-8")
    (project / "bridge.toml").write_text(
        '[bridge]\nbackend = "local"\n\n[[runs]]\nid = "JPH-B2-FX-S0"\ncommand = "python3 -V"\n',
        encoding="utf-8",
    )
    said = (
        "refine-logs/EXPERIMENT_TRACKER.md:43: run JPH-B2-FX-S0: the row has 9 cells and the "
        "table's header 10, and its Status column is empty: a cell is missing before it"
    )
    for command in ("plan", "run"):
        assert main([command, "--project", str(project)]) == 2
        assert capsys.readouterr().err.startswith(f"bridge: error: {said}")
    assert not (project / ".bridge" / "runs").exists()


@needs_shared
def test_implementation_tasks_not_done_are_named(tmp_path: Path) -> None:
    """001's I5-I7 (TODO: a type split in the eval script, depth maps, verifying baselines)
    were left out as tasks, and the runs that need them launched without a word. One warning
    names the tasks not done, in Chinese too; with an agent to write code, none."""
    from bridge.projections.plan_words import warning_in_language

    loaded = load_project(as_project("001", tmp_path / "a"))
    (tasks,) = [w for w in loaded.warnings if "implementation tasks" in w.message]
    assert tasks.message == (
        "implementation tasks the tracker says are not done (I5, I6, I7): bridge does not do "
        "them, and launches the runs without them; mark each DONE once it is done, and a run "
        "that needs one NOT RUN — <reason> until then"
    )
    assert (tasks.file, tasks.line) == ("refine-logs/EXPERIMENT_TRACKER.md", 13)
    assert warning_in_language(tasks.message, "zh").startswith(
        "追踪表中尚未完成的实现任务（I5, I6, I7）：bridge 不执行它们"
    )
    project = as_project("001", tmp_path / "b")
    config = project / "bridge.toml"
    text = config.read_text() if config.exists() else ""
    config.write_text(text + '\n[implementer]\nkind = "agent"\ncommand = ["true"]\n')
    loaded = load_project(project)
    assert not [w for w in loaded.warnings if "implementation tasks" in w.message]


@needs_shared
def test_018s_four_arms_at_seed_0_take_m3_together(tmp_path: Path) -> None:
    """018's run-order table says M3 `tau2 单 seed pilot | 四臂 seed 0` and names
    JPH-B2-JT-S0 in M2; the tracker has no Milestone column and its four seed-0 arms (fixed,
    policy-only, Harness-only, joint; notes "pilot") were split: JT-S0 under M2, the other three
    under no milestone, M3 with none. All four now take M3, and one warning says M2's and M4's
    cells name them too, in Chinese for this Chinese plan."""
    from bridge.projections.plan_words import warning_in_language

    project = tmp_path / "018"
    shared = SHARED / "projects" / "018_areal-harness-cn" / "refine-logs"
    shutil.copytree(shared, project / "refine-logs")
    loaded = load_project(project)
    arms = ["JPH-B2-FX-S0", "JPH-B2-PO-S0", "JPH-B2-HO-S0", "JPH-B2-JT-S0"]
    assert {r.id: r.milestone for r in loaded.runs if r.id in arms} == dict.fromkeys(arms, "M3")
    (said,) = [
        w for w in loaded.warnings if w.message.startswith(f"{', '.join(arms)}: no milestone")
    ]
    assert said.message == (
        f"{', '.join(arms)}: no milestone in the tracker; M3 from the plan's run-order table "
        "(line 142), whose Runs cell '四臂 seed 0' names the arms of B2 at seed 0; M2's Runs "
        "cell (line 141) also names JPH-B2-JT-S0; M4's Runs cell (line 143) also names them: "
        "they run once, under M3, with their arms"
    )
    assert (said.file, said.line) == ("refine-logs/EXPERIMENT_TRACKER.md", 43)
    assert warning_in_language(said.message, "zh") == (
        f"{', '.join(arms)}：追踪表中没有写里程碑；取 M3：计划运行顺序表（第 142 行）的 "
        "Runs 单元格 '四臂 seed 0' 指的是 B2 在 seed 0 的各臂；"
        "M2 的 Runs 单元格（第 141 行）也列出了 JPH-B2-JT-S0；"
        "M4 的 Runs 单元格（第 143 行）也列出了它们：它们只运行一次，与同组各臂一起归入 M3"
    )


def _018(root: Path, edit: Callable[[str], str]) -> LoadedProject:
    """018's plan and tracker from /work/shared, the tracker edited by ``edit``."""
    shared = SHARED / "projects" / "018_areal-harness-cn" / "refine-logs"
    shutil.copytree(shared, root / "refine-logs")
    tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    edited = edit(text)
    assert edited != text
    tracker.write_text(edited, encoding="utf-8")
    return load_project(root)


_018_SEED_0 = ["JPH-B2-FX-S0", "JPH-B2-PO-S0", "JPH-B2-HO-S0", "JPH-B2-JT-S0"]
_018_CALIBRATION = ["JPH-CAL-LP-C0", "JPH-CAL-LP-C1", "JPH-CAL-CG-C2A", "JPH-CAL-CG-C2B"]


@needs_shared
def test_018s_arms_keep_m3_when_one_arm_is_relabelled(tmp_path: Path) -> None:
    """Trial t7 relabelled one of 018's seed-0 arms (tracker:44, `policy-only` →
    `Harness-only`): the seed-0 rows left M3 (three labels no longer made "四臂") and M4's
    "四臂 seeds 0–2" took B0's four calibration rows at seed 1 (G1/B0 calibration), so the
    main milestone was judged by B0. The arms are B2's four compared systems: the seed-0 rows
    stay in M3 and the calibration rows in no milestone, whatever one row's label says."""
    loaded = _018(
        tmp_path / "018",
        lambda text: text.replace(
            "| JPH-B2-PO-S0 | B2/B3 | policy-only |", "| JPH-B2-PO-S0 | B2/B3 | Harness-only |"
        ),
    )
    placed = {r.id: r.milestone for r in loaded.runs}
    assert {i: placed[i] for i in _018_SEED_0} == dict.fromkeys(_018_SEED_0, "M3")
    assert {i: placed[i] for i in _018_CALIBRATION} == dict.fromkeys(_018_CALIBRATION, "")
    assert not [w for w in loaded.warnings if "G1/B0 calibration at" in w.message]


@needs_shared
def test_018s_seed_1_arms_take_m4(tmp_path: Path) -> None:
    """Trial t7 added 018's next rows, `JPH-B2-{FX,PO,HO,JT}-S1` at seed 1 (one labelled
    `policy-only (PPO)`): they stood under no milestone, M4 with 0 runs, and the warning said no
    Runs cell names them, while M4's "四臂 seeds 0–2" does. They take M4, the seed-0 arms keep
    M3, and the warning says why, in Chinese for this Chinese plan."""
    from bridge.projections.plan_words import warning_in_language

    arms = ["JPH-B2-FX-S1", "JPH-B2-PO-S1", "JPH-B2-HO-S1", "JPH-B2-JT-S1"]
    systems = ["fixed", "policy-only (PPO)", "Harness-only", "joint"]
    rows = "".join(
        f"| {i} | B2/B3 | {s} | 1 | frozen | frozen | planned |  | 外置 run dir | 3-seed |\n"
        for i, s in zip(arms, systems, strict=True)
    )
    last = (
        "| JPH-B2-JT-S0 | B2/B3 | joint | 0 | trainable | trainable | planned |  | 外置 run dir "
        "| pilot |\n"
    )
    loaded = _018(tmp_path / "018", lambda text: text.replace(last, last + rows))
    placed = {r.id: r.milestone for r in loaded.runs}
    assert {i: placed[i] for i in arms} == dict.fromkeys(arms, "M4")
    assert {i: placed[i] for i in _018_SEED_0} == dict.fromkeys(_018_SEED_0, "M3")
    assert {i: placed[i] for i in _018_CALIBRATION} == dict.fromkeys(_018_CALIBRATION, "")
    (said,) = [w for w in loaded.warnings if w.message.startswith(", ".join(arms))]
    assert said.message == (
        f"{', '.join(arms)}: no milestone in the tracker; M4 from the plan's run-order table "
        "(line 143), whose Runs cell '四臂 seeds 0–2' names the arms of B2 at seed 1"
    )
    assert (said.file, said.line) == ("refine-logs/EXPERIMENT_TRACKER.md", 47)
    assert warning_in_language(said.message, "zh") == (
        f"{', '.join(arms)}：追踪表中没有写里程碑；取 M4：计划运行顺序表（第 143 行）的 "
        "Runs 单元格 '四臂 seeds 0–2' 指的是 B2 在 seed 1 的各臂"
    )
    # Not also among the runs no Runs cell names (the warning t7 saw).
    assert not [
        w for w in loaded.warnings if "JPH-B2-FX-S1" in w.message and "Runs cell" in w.message
    ][1:]


def test_arms_are_the_blocks_compared_systems_whatever_a_row_says(tmp_path: Path) -> None:
    """`three arms seed 1` names the rows of the block that compares three systems, by the
    systems the plan lists, not by how many labels the rows happen to show: with one of B1's
    rows relabelled (two labels left), they still take M1, and the three calibration rows of
    another Block cell (three labels, none a system of its block) take none."""
    root = tmp_path / "p"
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# Experiment Plan: Arms\n\n## Experiment Blocks\n\n### Block 1: Arms\n"
        "- **Compared systems**: a, b, c\n\n### Block 2: Probe\n- **Compared systems**: x\n"
        "\n## Run Order and Milestones\n\n| Milestone | Goal | Runs |\n|---|---|---|\n"
        "| M0 | sanity | S-1 |\n| M1 | pilot | three arms seed 1 |\n",
        encoding="utf-8",
    )
    rows = [("A-1", "B1", "a"), ("B-1", "B1", "a"), ("C-1", "B1", "c")]
    rows += [("P-1", "B2 calib", "p"), ("Q-1", "B2 calib", "q"), ("R-1", "B2 calib", "r")]
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Block | System / Variant | Seed |\n|---|---|---|---|\n"
        + "".join(f"| {r} | {b} | {s} | 1 |\n" for r, b, s in rows)
        + "| S-1 | B1 | a | 0 |\n",
        encoding="utf-8",
    )
    placed = {r.id: r.milestone for r in load_project(root).runs}
    assert placed == {
        "A-1": "M1",
        "B-1": "M1",
        "C-1": "M1",
        "P-1": "",
        "Q-1": "",
        "R-1": "",
        "S-1": "M0",
    }


def test_arms_at_seeds_need_one_block_with_that_many_arms(tmp_path: Path) -> None:
    """`three arms seed 1` names the rows of the one Block cell with three arms at seed 1; a
    cell whose count fits no Block cell (`two arms seed 1`) names none, and a row the tracker
    gives a milestone keeps it."""
    for cell, expected in (("three arms seed 1", "M1"), ("two arms seed 1", "")):
        root = tmp_path / cell.replace(" ", "_")
        (root / "refine-logs").mkdir(parents=True)
        (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
            PLAN + "\n## Run Order and Milestones\n\n| Milestone | Goal | Runs |\n|---|---|---|\n"
            f"| M0 | sanity | S-1 |\n| M1 | pilot | {cell} |\n",
            encoding="utf-8",
        )
        rows = [("A-1", "B1", "a", 1), ("B-1", "B1", "b", 1), ("C-1", "B1", "c", 1)]
        rows += [("D-1", "B2", "d", 1), ("S-1", "B1", "a", 0)]
        (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
            "| Run ID | Block | System / Variant | Seed |\n|---|---|---|---|\n"
            + "".join(f"| {r} | {b} | {s} | {n} |\n" for r, b, s, n in rows),
            encoding="utf-8",
        )
        placed = {r.id: r.milestone for r in load_project(root).runs}
        assert placed == {"A-1": expected, "B-1": expected, "C-1": expected, "D-1": "", "S-1": "M0"}


@needs_shared
def test_running_rows_are_quoted_as_the_tracker_wrote_them(tmp_path: Path) -> None:
    """027's R-M0-EVAL says IN_PROGRESS and R-L3 RUNNING: the warning said "the tracker says
    RUNNING" of both, a word R-M0-EVAL's row never wrote. Both words are quoted, with bridge's
    reading of them, in either language."""
    from bridge.projections.plan_words import warning_in_language
    from tests.plan.corpus import as_project

    project = load_project(as_project("027", tmp_path))
    (running,) = [w for w in project.warnings if "Unless bridge launched them" in w.message]
    assert running.message.startswith(
        "R-M0-EVAL, R-L3: the tracker says IN_PROGRESS / RUNNING (running). Unless"
    )
    assert warning_in_language(running.message, "zh").startswith(
        "R-M0-EVAL, R-L3：追踪表写着 IN_PROGRESS / RUNNING（进行中）。除非是 bridge 启动的"
    )


@needs_shared
def test_a_runs_entry_for_a_proposed_run_changes_only_what_it_sets(tmp_path: Path) -> None:
    """034 (trial t7): `[[runs]] id = "R005"` giving the crashed run a fixed command replaced
    the 13 runs bridge proposed with R005 alone, which lost its milestone "Ablations complete",
    block A3 and purpose (`bridge log`: milestone "Ablations complete"→"", block "A3"→""). The
    entry now changes only the command; the other proposed runs stay, and still need approval."""
    project = as_project("034", tmp_path / "p")
    (project / "bridge.toml").write_text(
        '[run]\ncommand = ["python3", "train.py", "--run", "{run_id}"]\n\n'
        '[[runs]]\nid = "R005"\ncommand = ["python3", "train2.py", "--run", "{run_id}"]\n\n'
        '[[runs]]\nid = "X1"\nblock = "A3"\nmilestone = "Ablations complete"\n',
        encoding="utf-8",
    )
    loaded = load_project(project)
    runs = {r.id: r for r in loaded.runs}
    assert [r for r in runs if r.startswith("R")] == [f"R{n:03d}" for n in range(1, 14)]
    r005 = runs["R005"]
    assert (r005.milestone, r005.block, r005.purpose, r005.source) == (
        "Ablations complete",
        "A3",
        "Threshold / decomposition sensitivity",
        "proposed",
    )
    assert r005.command[:2] == ("python3", "train2.py")
    assert runs["R004"].command[:2] == ("python3", "train.py")
    # An entry naming no proposed run is a run of its own, beside them.
    assert (runs["X1"].block, runs["X1"].source) == ("A3", "config")
    assert loaded.needs_confirmation
    assert not [w for w in loaded.warnings if "not attributed to a block" in w.message]
    assert not [w for w in loaded.warnings if "come from bridge.toml" in w.message]


_BLOCKS_BY_MILESTONE = """# Experiment Plan: Curriculum

## Experiment Blocks

### B1: Main result
- **Compared systems**: Vanilla RAG (baseline), TokenMem (ours)
- **Success criterion**: TokenMem accuracy ≥ 0.6

### B2: Curriculum ablation
- **Compared systems**: Phase 1 only, Phase 1+2 (ours)
- **Success criterion**: Phase 1+2 accuracy higher than Phase 1 only

## Run Order and Milestones

| Milestone | Goal | Runs |
|---|---|---|
| M0 | Curriculum ablation | B2 |
| M1 | Main result | B1 |
| M2 | Audit | JPH-B1-AUDIT |
"""


def test_rows_without_a_milestone_take_the_one_their_block_is_named_in(tmp_path: Path) -> None:
    """025's researcher wrote a run-order table naming a block in each Runs cell beside a
    tracker with a Block column and no Milestone one: all five runs stayed under "(no
    milestone)", so the sanity milestone M0 had none, every run launched at once and nothing
    was said (trial t14). Each row takes the milestone naming its block, said once per
    milestone; a block inside a run id (M2's `JPH-B1-AUDIT`) names no block."""
    root = tmp_path / "p"
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(_BLOCKS_BY_MILESTONE)
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Block | System | Seed | Status |\n|---|---|---|---|---|\n"
        "| R001 | B1 | Vanilla RAG | 0 | TODO |\n"
        "| R002 | B1 | TokenMem | 0 | TODO |\n"
        "| R003 | B2 | Phase 1 only | 0 | TODO |\n"
        "| R004 | B2 | Phase 1+2 | 0 | TODO |\n"
    )
    project = load_project(root)
    assert [(r.id, r.milestone) for r in project.runs] == [
        ("R003", "M0"),
        ("R004", "M0"),
        ("R001", "M1"),
        ("R002", "M1"),
    ]
    said = [w.message for w in project.warnings if "no milestone" in w.message]
    assert said == [
        "R003, R004: no milestone in the tracker; M0 from the plan's run-order table (line 17), "
        "which names their block B2",
        "R001, R002: no milestone in the tracker; M1 from the plan's run-order table (line 18), "
        "which names their block B1",
    ]
