"""
The opening summary of a loaded plan (``bridge plan`` and the start of ``bridge run``).
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from bridge.plan import load_project
from bridge.plan.overview import estimate_milestone, overview
from tests.conftest import needs_shared

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "quickstart"


def test_quickstart_overview_counts_blocks_and_runs() -> None:
    """Blocks and runs are counted by priority, every milestone is named with its runs."""
    lines = overview(load_project(QUICKSTART))
    assert (
        lines[0] == "5 blocks (5 must-run, 0 nice-to-have); 20 runs (17 must-run, 3 nice-to-have)"
    )
    assert lines[1] == "M0 (sanity) Sanity: 2 runs, ~0.00 GPU-h"
    assert [line.split(" ")[0] for line in lines[1:-1]] == ["M0", "M1", "M2", "M3"]
    assert lines[-1] == "estimated: ~0.00 GPU-h of 0 budgeted"


def test_estimate_prefers_run_estimates_then_the_cost_column() -> None:
    """Run estimates (minutes × GPUs) win; without them the plan's Cost column; else unknown."""

    milestone = load_project(QUICKSTART).milestones[2]
    with_cost = attrs.evolve(milestone, gpu_hours=3.0, cost_raw="3 GPU-h")

    @attrs.frozen
    class Run:
        gpus: int
        estimated_minutes: float | None

    runs = [Run(2, 30.0), Run(1, None)]
    assert estimate_milestone(with_cost, runs).gpu_hours == 1.0
    estimate = estimate_milestone(with_cost, [Run(1, None)])
    assert (estimate.gpu_hours, estimate.source) == (3.0, "from the plan's Cost column (3 GPU-h)")
    none = estimate_milestone(attrs.evolve(milestone, gpu_hours=None), [Run(1, None)])
    assert none.gpu_hours is None and "no run estimate" in none.source
    cpu = estimate_milestone(with_cost, [Run(0, None), Run(0, 30.0)])
    assert (cpu.gpu_hours, cpu.source) == (0.0, "CPU runs only")
    # No runs, nothing launched: the plan's Cost is named, not counted (018's M2 and M4).
    idle = estimate_milestone(with_cost, [])
    assert (idle.gpu_hours, idle.source) == (0.0, "no runs; the plan's Cost (3 GPU-h) not counted")
    assert estimate.from_plan and not idle.from_plan and not cpu.from_plan
    from bridge.projections.plan_words import estimate_source_in_language

    zh = estimate_source_in_language(idle.source, "zh")
    assert zh == "没有运行；计划的 Cost（3 GPU-h）不计入"


@needs_shared
class TestGpuCostWithoutGpus:
    """A plan that costs its milestones in GPU-hours, with runs that ask for no GPU."""

    @staticmethod
    def _warnings(tmp_path: Path, toml: str | None) -> list[str]:
        from tests.plan.corpus import as_project

        root = as_project("005", tmp_path)
        if toml is not None:
            (root / "bridge.toml").write_text(toml)
        return [
            f"{w.file}:{w.line}: {w.message}"
            for w in load_project(root).warnings
            if "no run asks for a GPU" in w.message
        ]

    def test_named_at_the_run_order_table_with_each_milestones_hours(self, tmp_path: Path) -> None:
        """005's Cost column (M0 1h … M5 4h) against 17 tracker runs with the default gpus = 0."""
        (warning,) = self._warnings(tmp_path, None)
        assert warning.startswith("refine-logs/EXPERIMENT_PLAN.md:178: the plan's Cost gives ")
        assert "(M0 1, M1 3, M2 10, M3 8, M4 5, M5 4 GPU-h)" in warning
        assert "set [run] gpus" in warning

    def test_milestones_done_before_bridge_are_not_named(self, tmp_path: Path) -> None:
        """018's M0 (16–32 GPUh) rows are all passed before bridge: only M3 (its four seed-0
        arms, 128–256 GPUh) starts anything."""
        from tests.plan.corpus import as_project

        loaded = load_project(as_project("018", tmp_path))
        (warning,) = [w for w in loaded.warnings if "no run asks for a GPU" in w.message]
        assert "(M3 256 GPU-h)" in warning.message

    def test_a_cost_in_gpu_time_without_a_number(self, tmp_path: Path) -> None:
        """039's M3 costs «数个 GPU-hour/seed» (several, no number) and its budget names an RTX
        4090: `bridge plan` showed M3 at "~0.00" GPU-h with no word that its runs would start
        on the CPU (h41D). M0's «CPU/GPU 分钟级» names no GPU time to count."""
        from bridge.projections.plan_words import warning_in_language
        from tests.plan.corpus import as_project

        loaded = load_project(as_project("039", tmp_path))
        (warning,) = [w for w in loaded.warnings if "no run asks for a GPU" in w.message]
        assert (warning.file, warning.line) == ("refine-logs/EXPERIMENT_PLAN.md", 66)
        assert warning.message.startswith(
            "the plan's Cost counts GPU time (M3 «数个 GPU-hour/seed») but no run asks for a GPU"
        )
        assert warning_in_language(warning.message, "zh").startswith(
            "计划的 Cost 写的是 GPU 时间（M3 «数个 GPU-hour/seed»），但没有运行申请 GPU"
        )

    def test_silent_once_gpus_is_set_anywhere(self, tmp_path: Path) -> None:
        """`gpus` set (even to 0, the researcher's choice) ends the warning."""
        assert self._warnings(tmp_path / "a", '[run]\ngpus = 1\ncommand = "true"\n') == []
        assert self._warnings(tmp_path / "b", '[run]\ngpus = 0\ncommand = "true"\n') == []


@needs_shared
def test_a_running_total_in_the_cost_column_is_not_counted_twice(tmp_path: Path) -> None:
    """018's M4 costs `累计 800–1600 GPUh` (cumulative): its own hours are 1600 less M0 32, M2
    32 and M3 256, so the plan's estimate is its stated 1600, not 1856. (M2 and M4 have no
    runs, so the estimate counts neither; M0's runs the tracker marks done before bridge, so
    it counts nothing left to spend: M3's 256 GPU-h, where it read 288 with M0's 32.)"""
    from bridge.plan.overview import own_gpu_hours
    from tests.plan.corpus import as_project

    root = as_project("018", tmp_path)
    (root / "bridge.toml").write_text("[run]\ngpus = 1\n")
    loaded = load_project(root)
    own = own_gpu_hours(loaded.milestones)
    assert own["M4"] == (
        1280.0,
        "累计 800–1600 GPUh, less the 320 GPU-h of the milestones before it",
    )
    assert [m.gpu_hours for m in loaded.milestones if m.id == "M4"] == [1600.0]  # as read
    assert overview(loaded)[-1] == (
        "estimated: ~256.00 GPU-h for the runs left to launch (21 runs the tracker marks done or "
        "ruled out not counted)"
    )
    (m0,) = [m for m in loaded.milestones if m.id == "M0"]
    done = [r for r in loaded.runs if r.milestone == "M0"]
    assert estimate_milestone(m0, [], own, settled=done).source == (
        "none to launch: the tracker marks its 5 runs done or ruled out; the plan's Cost "
        "(16–32 GPUh) not counted"
    )
    # M4 has no runs: its cost is named as the plan writes it, not as the total's share.
    (m4,) = [m for m in loaded.milestones if m.id == "M4"]
    assert estimate_milestone(m4, [], own).source == (
        "no runs; the plan's Cost (累计 800–1600 GPUh) not counted"
    )


@needs_shared
def test_a_milestone_whose_blocks_runs_are_elsewhere_says_where(tmp_path: Path) -> None:
    """Trial t16 on 018 (F7): M2's Runs cell names JPH-B2-JT-S0, which runs once with its arms
    under M3, so M2 has none; `bridge run`'s header said «M2 joint toy/工具任务：0 个运行，~0.00
    GPU-h», the reason in `bridge plan`'s warning only. It says where its block's runs are; a
    milestone of no block (018's M4, 006's "Paper Writing") is left as it was: no noise."""
    from tests.plan.corpus import as_project

    loaded = load_project(as_project("018", tmp_path))
    zh = overview(loaded, "zh")
    assert "M2 joint toy/工具任务：0 个运行（B2 的运行都在 M3 中），~0.00 GPU-h" in zh, zh
    assert "M4 3-seed 决定性实验：0 个运行，~0.00 GPU-h" in zh, zh
    en = overview(loaded, "en")
    assert "M2 joint toy/工具任务: 0 runs (B2's runs are in M3), ~0.00 GPU-h" in en, en
    assert "M3 tau2 单 seed pilot: 4 runs, ~0.00 GPU-h" in en, en
    paper = overview(load_project(as_project("006", tmp_path / "006")), "en")
    assert "M4 Paper Writing: 0 runs, ~0.00 GPU-h" in paper, paper


def test_a_block_the_plan_cuts_is_counted_apart(tmp_path: Path) -> None:
    """008's B4 "Priority: CUT" left "4 blocks" where its results list five: the cut one is
    said, in both languages, and a row ruled out for good is not asked for a block."""
    plan = tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.parent.mkdir(parents=True)
    plan.write_text(
        "# Plan\n\n## Experiment Blocks\n\n"
        "### Block 1: Main\n- Compared systems: Ours.\n- Success criterion: accuracy > 0.5.\n\n"
        "### Block 2: Calibration\n- Compared systems: Cal.\n- Priority: CUT after B1.\n"
        "- Success criterion: accuracy > 0.5.\n\n"
        "## Run Order and Milestones\n\n| Milestone | Goal | Runs | Decision Gate |\n"
        "|---|---|---|---|\n| M1 | main | B1 | - |\n| M2 | later | R2 | - |\n",
        encoding="utf-8",
    )
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | System | Status |\n|---|---|---|---|\n"
        "| R1 | M1 | Ours | TODO |\n| R2 | M2 | Conditional design | STOPPED |\n",
        encoding="utf-8",
    )
    project = load_project(tmp_path)
    assert overview(project)[0] == (
        "1 block (1 must-run, 0 nice-to-have, 1 cut by the plan); 2 runs (2 must-run, "
        "0 nice-to-have)"
    )
    assert overview(project, "zh")[0].startswith(
        "1 个实验块（1 个必做，0 个可选，另有 1 个被计划删减）"
    )
    r2 = next(r for r in project.runs if r.id == "R2")
    assert r2.block == "" and r2.status == "skipped"
    assert not [w for w in project.warnings if "not attributed" in w.message]


@needs_shared
def test_a_cost_stated_in_a_sections_prose_is_named_where_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """026 has no Cost column: its Phase 2 section says `**预估成本**：~40 GPU-hours` (plan:75),
    and the approval screen named it "来自计划的 Cost 列（40 GPU-h）" (trial). The estimate
    names the line and its words. (The plan as read: with 026's tracker, whose runs none of
    its phases holds, the phases are its schedule and no milestones of the project.)"""
    from bridge.plan import load_plan
    from tests.plan.corpus import as_project

    as_project("026", tmp_path)
    monkeypatch.chdir(tmp_path)
    plan = load_plan("refine-logs/EXPERIMENT_PLAN.md")
    (phase,) = [m for m in plan.milestones if m.id == "Phase 2"]

    @attrs.frozen
    class Run:
        gpus: int = 1
        estimated_minutes: float | None = None

    estimate = estimate_milestone(phase, [Run()])  # a GPU run without an estimate
    assert estimate.gpu_hours == 40.0
    assert estimate.source == (
        "from the plan's text at refine-logs/EXPERIMENT_PLAN.md:75 (预估成本：~40 GPU-hours)"
    )
    from bridge.projections.plan_words import estimate_source_in_language

    assert estimate_source_in_language(estimate.source, "zh") == (
        "来自计划正文 refine-logs/EXPERIMENT_PLAN.md:75（预估成本：~40 GPU-hours）"
    )


@needs_shared
class TestTrackerGpuHours:
    """A tracker column whose header says GPU hours gives each run's estimate: 026's `Est
    GPU-h` (E1 3 … E9 4) and 032's `GPU-hrs` (E02, three seeds, 40) were never read, and 026's
    24 runs counted nothing beside a prose cost (trial)."""

    def test_read_as_each_runs_estimate_when_it_asks_for_gpus(self, tmp_path: Path) -> None:
        from tests.plan.corpus import as_project

        root = as_project("026", tmp_path)
        (root / "bridge.toml").write_text("[run]\ngpus = 2\n")
        runs = {r.id: r for r in load_project(root).runs}
        assert runs["E1"].stated_gpu_hours == ("Est GPU-h", 3.0)
        assert runs["E1"].estimated_minutes == 90.0  # 3 GPU-h on 2 GPUs
        assert runs["E7"].estimated_minutes == 300.0

    def test_a_rows_hours_are_shared_by_its_seeds(self, tmp_path: Path) -> None:
        from tests.plan.corpus import as_project

        root = as_project("032", tmp_path)
        (root / "bridge.toml").write_text("[run]\ngpus = 1\n")
        runs = {r.id: r for r in load_project(root).runs}
        seeds = [runs[f"E02-s{n}"].estimated_minutes for n in range(3)]
        assert seeds == [800.0, 800.0, 800.0]  # 40 GPU-h over three runs
        assert runs["E01"].estimated_minutes == 60.0  # "<1": its upper bound

    def test_the_runs_of_no_milestone_are_in_the_estimate(self, tmp_path: Path) -> None:
        """032's 25 runs are of no milestone (its Week headings are its schedule): the
        estimate counted only the milestones' runs and read "~0.00 GPU-h" with `gpus = 1`,
        where the GPU-hrs column gives 2,541 GPU-h."""
        from tests.plan.corpus import as_project

        root = as_project("032", tmp_path)
        (root / "bridge.toml").write_text("[run]\ngpus = 1\n")
        lines = overview(load_project(root))
        assert lines[-2] == "(no milestone): 25 runs, ~2541.00 GPU-h"
        # One row the tracker marks done is left out (it has no GPU-hrs of its own), and said.
        assert lines[-1] == (
            "estimated: ~2541.00 GPU-h for the runs left to launch (1 run the tracker marks done "
            "or ruled out not counted) of 2500 budgeted ⚠ above the budget"
        )

    def test_without_gpus_the_column_is_named_in_the_warning(self, tmp_path: Path) -> None:
        from tests.plan.corpus import as_project

        loaded = load_project(as_project("032", tmp_path))
        (warning,) = [w for w in loaded.warnings if "no run asks for a GPU" in w.message]
        assert f"{warning.file}:{warning.line}" == "refine-logs/EXPERIMENT_TRACKER.md:12"
        assert warning.message.startswith(
            "the tracker's 'GPU-hrs' column gives GPU-hours (E01 1, E02 40, E03 700, E04 100, "
        )


@attrs.frozen
class _Cost:
    """What the estimate reads of a run (the ``RunCost`` protocol): its GPUs and minutes."""

    gpus: int = 1
    estimated_minutes: float | None = None


def test_runs_left_out_are_said_in_the_source_in_both_languages() -> None:
    """The estimate is of the runs left to launch: those the tracker marks done or ruled out
    count nothing, and the source says so; a Cost standing in for the runs left is said to be
    the whole milestone's (bridge guesses no share of it); CPU runs stay "CPU runs only"."""
    from bridge.plan.overview import estimate_cost
    from bridge.projections.plan_words import estimate_source_in_language

    whole = estimate_cost(40.0, "20–40 GPUh", [_Cost()], settled=[_Cost(), _Cost()])
    assert (whole.gpu_hours, whole.from_plan) == (40.0, True)
    assert whole.source == (
        "from the plan's Cost column (20–40 GPUh); the Cost is the whole milestone's, with the 2 "
        "of its 3 runs the tracker marks done or ruled out"
    )
    assert estimate_source_in_language(whole.source, "zh") == (
        "来自计划的 Cost 列（20–40 GPUh）；该 Cost 是整个里程碑的，含追踪表标为已完成或排除的 "
        "2 个运行（共 3 个）"
    )
    runs = estimate_cost(None, "", [_Cost(2, 30.0)], settled=[_Cost(2, 600.0)])
    assert (runs.gpu_hours, runs.source) == (
        1.0,
        "from the runs' estimates; 1 run the tracker marks done or ruled out not counted",
    )
    assert estimate_source_in_language(runs.source, "zh") == (
        "来自运行的估计；追踪表标为已完成或排除的 1 个运行不计入"
    )
    none = estimate_cost(32.0, "16–32 GPUh", [], settled=[_Cost()] * 5)
    assert (none.gpu_hours, none.none_left) == (0.0, True)
    assert estimate_source_in_language(none.source, "zh") == (
        "没有待启动的运行：追踪表把其 5 个运行标为已完成或排除；计划的 Cost（16–32 GPUh）不计入"
    )
    cpu = estimate_cost(32.0, "16–32 GPUh", [], settled=[_Cost(0)])
    assert (cpu.gpu_hours, cpu.source, cpu.none_left) == (0.0, "CPU runs only", False)
