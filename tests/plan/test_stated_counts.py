"""
A block whose text says more than the runs bridge proposes for it is warned about at the line
that says it (new-user trials: 033's E5 and E6 and 034's A1 became fewer runs, in silence).

Each expectation was written by reading the plan's lines, not by running bridge.
"""

from __future__ import annotations

from pathlib import Path

from bridge.plan import LoadedProject, load_project
from bridge.projections.plan_words import warning_in_language
from tests.conftest import needs_shared
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
    assert zh.startswith("实验块 E5 写明 30 次 trials，但 bridge 只为它提议 20 个运行")
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
