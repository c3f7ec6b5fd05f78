"""
A block whose text says more than the runs bridge proposes for it is warned about at the line
that says it (new-user trials: 033's E5 and E6 and 034's A1 became fewer runs, in silence).

Each expectation was written by reading the plan's lines, not by running bridge.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.plan import LoadedProject, load_project
from bridge.plan.stated_counts import COUNTED
from bridge.projections.plan_words import warning_in_language
from tests.conftest import needs_shared
from tests.english_left import english_left
from tests.plan.corpus import as_project

PLAN = "refine-logs/EXPERIMENT_PLAN.md"


def _said(loaded: LoadedProject, containing: str) -> tuple[str, int, str, str]:
    """The one warning containing ``containing``: its file, line, message and Chinese."""
    (said,) = [w for w in loaded.warnings if containing in w.message]
    return said.file, said.line, said.message, warning_in_language(said.message, "zh")


@needs_shared
def test_033_trials_beyond_the_runs_and_the_e6_ablation_table(tmp_path: Path) -> None:
    loaded = load_project(as_project("033", tmp_path))
    # E5: "Seeds: 10 per object = 30 trials total" (3 objects), 2 systems × 10 seeds proposed.
    file, line, message, zh = _said(loaded, "block E5 states")
    assert (file, line) == (PLAN, 175)
    assert message == (
        "block E5 states 30 trials but bridge proposes 20 runs for it; '10 per object' is read "
        "as 10 seeds per system: bridge proposes no run per object, so each run must cover "
        "every object; list the runs in the tracker or [[runs]] entries to run them all"
    )
    assert zh.startswith("实验块 E5 写明 30 次试验，但 bridge 只为它提议 20 个运行")
    assert "不按 object 提议运行" in zh
    # E6: "Total: 15 additional real-robot trials." against its one proposed run.
    file, line, message, _ = _said(loaded, "block E6 states 15")
    assert (file, line) == (PLAN, 206)
    assert message.startswith("block E6 states 15 trials but bridge proposes 1 run for it; list")
    # E6's table is headed "Ablation", with no line above it saying so.
    file, line, message, _ = _said(loaded, "block E6's ablation table")
    assert (file, line) == (PLAN, 200)
    assert message.startswith(
        "block E6's ablation table (ORFN-yaw only, ORFN-H only, Full ORFN) becomes no runs"
    )
    # E1's table keeps its warning at its line.
    assert _said(loaded, "block E1's ablation table")[:2] == (PLAN, 78)


@needs_shared
def test_034_systems_in_a_versus_line_and_a_predict_line(tmp_path: Path) -> None:
    loaded = load_project(as_project("034", tmp_path))
    file, line, message, zh = _said(loaded, "block A1 lists no Compared systems")
    assert (file, line) == (PLAN, 41)
    assert message == (
        "block A1 lists no Compared systems, but a line names several ('Raw logit-lens vs "
        "tuned-lens vs random-affine-lens (baseline)'): bridge proposes 1 run for the block, "
        "not one per system; write them as the block's Compared systems to run each"
    )
    assert zh.startswith("实验块 A1 没有写 Compared systems")
    file, line, message, zh = _said(loaded, "block A1 writes no Success criterion")
    assert (file, line) == (PLAN, 42)
    assert message.startswith("block A1 writes no Success criterion; its 'Predict:' line")
    assert zh.startswith("实验块 A1 没有写 Success criterion；其中的 'Predict:' 一行")


def test_a_total_the_runs_cover_is_not_warned(tmp_path: Path) -> None:
    plan = (
        "# Plan\n\n### Block B1: main\n\n- Compared systems: A; B\n- Seeds: 0, 1, 2\n"
        "- 3 seeds per system = 6 runs total\n- Success criterion: A accuracy > B accuracy\n"
    )
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(plan, encoding="utf-8")
    loaded = load_project(tmp_path)
    assert len(loaded.runs) == 6
    assert not [w for w in loaded.warnings if "bridge proposes" in w.message]


def _plan(tmp_path: Path, plan: str) -> LoadedProject:
    """The project whose plan is ``plan``, with no tracker: its runs are proposed."""
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(plan, encoding="utf-8")
    return load_project(tmp_path)


_ONE_SYSTEM = "# Plan\n\n### Block B1: main\n\n- Compared systems: PPO\n- Seeds: 0, 1, 2\n"


@pytest.mark.parametrize(
    "line",
    [
        # What one run evaluates is no run (a review found "states 100 episodes … list the
        # runs in the tracker" for it).
        "Evaluate each policy on a total of 100 episodes per seed.",
        "Total: 500 rollouts and 2000 samples in total.",
        # A count of one seed's, run's or system's share is no total of the block's runs.
        "Each seed runs a total of 12 trials per seed.",
        "= 40 runs per system",
    ],
)
def test_what_one_run_counts_is_no_total_of_runs(line: str, tmp_path: Path) -> None:
    loaded = _plan(tmp_path, f"{_ONE_SYSTEM}- {line}\n- Success criterion: PPO return > 100\n")
    assert len(loaded.runs) == 3
    assert not [w for w in loaded.warnings if "bridge proposes" in w.message]


def test_a_total_of_runs_beyond_the_proposed_ones_is_warned(tmp_path: Path) -> None:
    loaded = _plan(
        tmp_path, f"{_ONE_SYSTEM}- Total of 12 runs.\n- Success criterion: PPO return > 100\n"
    )
    (said,) = [w for w in loaded.warnings if "bridge proposes" in w.message]
    assert (said.file, said.line) == (PLAN, 7)
    assert said.message.startswith("block B1 states 12 runs but bridge proposes 3 runs for it;")
    assert warning_in_language(said.message, "zh").startswith(
        "实验块 B1 写明 12 个运行，但 bridge 只为它提议 3 个运行"
    )


@pytest.mark.parametrize("noun", COUNTED)
def test_each_counted_noun_is_said_in_chinese(noun: str) -> None:
    message = (
        f"block E5 states 30 {noun} but bridge proposes 20 runs for it; list the runs in the "
        "tracker or [[runs]] entries to run them all"
    )
    chinese = warning_in_language(message, "zh")
    stated = chinese.split("，")[0]
    assert stated.startswith("实验块 E5 写明 30 "), chinese
    assert english_left(stated) == [], chinese


_TWO_BLOCKS = (
    "# Plan\n\n### Block B1: main\n\n- Compared systems: PPO (baseline); SAC-Lag (ours)\n"
    "- Seeds: 0\n- Success criterion: SAC-Lag return > PPO return\n\n"
    "### Block B2: curves\n\n- Seeds: 0\n- {line}\n- Success criterion: return > 100\n"
)


@pytest.mark.parametrize(
    "line",
    [
        # A metric against training steps, found on the review's plan.
        "Plot success rate vs training steps.",
        "Return vs wall-clock time",
        # A line that shows or compares, whatever it names.
        "Compare PPO (baseline) vs SAC-Lag",
        "Report SAC-Lag vs PPO on every seed",
        # One name the plan uses is no sign that the others are systems.
        "PPO return vs episode length",
    ],
)
def test_a_versus_line_of_no_systems_is_not_warned(line: str, tmp_path: Path) -> None:
    loaded = _plan(tmp_path, _TWO_BLOCKS.format(line=line))
    assert not [w for w in loaded.warnings if "lists no Compared systems" in w.message]


@pytest.mark.parametrize("line", ["SAC-Lag vs PPO", "PPO vs TRPO (ours)"])
def test_a_versus_line_naming_systems_is_warned(line: str, tmp_path: Path) -> None:
    """Two systems the plan names elsewhere, or a role beside one, say the line names systems."""
    loaded = _plan(tmp_path, _TWO_BLOCKS.format(line=line))
    (said,) = [w for w in loaded.warnings if "lists no Compared systems" in w.message]
    assert (said.file, said.line) == (PLAN, 12)
    assert said.message.startswith(
        f"block B2 lists no Compared systems, but a line names several ('{line}')"
    )


@needs_shared
def test_036_one_tracker_row_for_a_section_of_two_variants(tmp_path: Path) -> None:
    """036's M2.1 (plan:71-73) names the variants `gap >= 0.2` and `gap >= 0.4`, "one short
    pilot each", and its tracker has one row M2.1 (tracker:10) with no system: `bridge plan`
    listed both as systems and one run, without a word."""
    loaded = load_project(as_project("036", tmp_path))
    assert [r.id for r in loaded.runs if r.block == "M2.1"] == ["M2.1"]
    file, line, message, zh = _said(loaded, "not one per system")
    assert (file, line) == ("refine-logs/EXPERIMENT_TRACKER.md", 10)
    assert message == (
        "block M2.1 lists 2 compared systems with no run of their own ('filter with "
        "`gap >= 0.2`', 'filter with `gap >= 0.4`'), but its tracker row M2.1 names none of "
        "them: it is 1 run, not one per system; give each system a tracker row of its own (its "
        "System column) to run each"
    )
    assert zh.startswith("实验块 M2.1 的 2 个对比系统没有各自的运行")
    assert not english_left(zh, allowed=("filter", "with"))  # the plan's own words


def test_rows_naming_the_systems_are_not_warned(tmp_path: Path) -> None:
    """A block whose tracker rows name its compared systems runs each: no warning."""
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# Plan\n\n## Blocks\n\n### B1: Filters\n\n- Compared systems: low, high\n"
        "- Success criterion: high beats low on acc\n",
        encoding="utf-8",
    )
    rows = "| R1 | M1 | B1 | {} | TODO |\n"
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | Block | System | Status |\n|---|---|---|---|---|\n"
        + rows.format("low")
        + rows.format("high").replace("R1", "R2"),
        encoding="utf-8",
    )
    loaded = load_project(tmp_path)
    assert {r.block for r in loaded.runs} == {"B1"}
    assert not [w for w in loaded.warnings if "not one per system" in w.message]


@needs_shared
def test_015_b3s_six_arms_named_only_in_its_method_are_warned(tmp_path: Path) -> None:
    """015's "### B3 — Main 6-arm thermal comparison" lists no Compared systems; its Method
    names the six baselines in prose: bridge proposes one run with no system, and said nothing
    of the arms (trial h40I). B7 "rerun[s] the 6-arm comparison" with no list of its own."""
    loaded = load_project(as_project("015", tmp_path))
    file, line, message, zh = _said(loaded, "block B3 says")
    assert (file, line) == (PLAN, 48)
    assert message == (
        "block B3 says '6-arm' but lists no Compared systems: bridge proposes 1 run for the "
        "block with no system, not one per arm; its text lists them ('random, even-odd, "
        "NeuroTAP-style, Stratum-style, TACG-port, TACE', line 50); write them as the block's "
        "Compared systems to run each"
    )
    assert zh == (
        "实验块 B3 写的是 '6-arm'，但没有写 Compared systems：bridge 只为该实验块提议 1 个没有系统"
        "的运行，而不是每个分支一个；其文字列出了它们（'random, even-odd, NeuroTAP-style, "
        "Stratum-style, TACG-port, TACE'，第 50 行）；要分别运行，请把它们写进该实验块的 "
        "Compared systems"
    )
    assert _said(loaded, "block B7 says")[1] == 83
