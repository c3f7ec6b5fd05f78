"""
Thresholds a block writes where bridge reads no criterion from are warned about at their line,
never dropped in silence (trial t5: 033's E3 and E5, 038's B2), and a Metrics list of labelled
items is read for its metric names (033's E3 measured nothing).

Each expectation was written by reading the plan's lines, not by running bridge.
"""

from __future__ import annotations

from pathlib import Path

from bridge.plan import LoadedProject, load_project
from bridge.plan.metric_names import plan_metric_names
from bridge.projections.plan_words import warning_in_language
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

PLAN = "refine-logs/EXPERIMENT_PLAN.md"


def _said(loaded: LoadedProject, containing: str) -> tuple[str, int, str]:
    """The one warning containing ``containing``: its file, line and message."""
    (said,) = [w for w in loaded.warnings if containing in w.message]
    return said.file, said.line, said.message


@needs_shared
def test_033_e3_metrics_list_is_read_and_its_thresholds_warned_about(tmp_path: Path) -> None:
    """E3 (plan:119-124) writes no Success criterion; its Metrics list is three labelled items
    with thresholds ("H_rel distribution: JS divergence < 0.15 per object"). It showed
    `criterion: (none written)`, `metrics: []` and no warning."""
    loaded = load_project(as_project("033", tmp_path))
    (e3,) = [b for b in loaded.plan.blocks if b.id == "E3"]
    assert plan_metric_names(e3.metrics) == ["JS divergence"]
    assert _said(loaded, "block E3 writes no Success criterion") == (
        PLAN,
        120,
        "block E3 writes no Success criterion, but its text states thresholds: 'H_rel "
        "distribution: JS divergence < 0.15 per object' (line 120), 'dist_to_centroid: JS "
        "divergence < 0.15' (line 121) (+1 more: line 122); the results judge nothing for the "
        "block: write the ones it must meet as its Success criterion to have them judged",
    )
    # The third, "yaw_obj: JS divergence < 0.20" (line 122), was "(+1 more)" with no line, in
    # the results too.
    e3 = _said(loaded, "block E3 writes no Success criterion")[2]
    assert warning_in_language(e3, "zh").startswith(
        "实验块 E3 没有写 Success criterion，但其文字写有阈值：'H_rel distribution: JS "
        "divergence < 0.15 per object'（第 120 行）、'dist_to_centroid: JS divergence < 0.15'"
        "（第 121 行）（另有 1 行：第 122 行）；结果不会"
    )


@needs_shared
def test_033_e5_tiers_after_the_criterion_are_shown(tmp_path: Path) -> None:
    """E5's Success criterion list (plan:180-183) is C4 and two tiers; the tiers vanished.
    C4 stays the criterion (a "Strong result" judged as a clause would fail a block that met
    it); the tiers are shown at their line."""
    loaded = load_project(as_project("033", tmp_path))
    (e5,) = [b for b in loaded.plan.blocks if b.id == "E5"]
    assert e5.success_criterion == "LGGSN+ORFN success rate ≥ GR-ConvNet baseline, with net ≥ 0"
    file, line, message = _said(loaded, "block E5's Success criterion is followed by tiers")
    assert (file, line) == (PLAN, 182)
    assert message == (
        "block E5's Success criterion is followed by tiers bridge shows but does not judge: "
        "'Minimum meaningful result: Scissors regression eliminated (net_Scissors ≥ −1 on "
        "real)' (line 182), 'Strong result: CrackerBox still shows gain on real hardware' "
        "(line 183); only the criterion above them is judged: write a tier as a clause of the "
        "Success criterion to have it judged"
    )
    assert warning_in_language(message, "zh").startswith(
        "实验块 E5 的 Success criterion 后列有分级结果，bridge 只显示、不判定：'Minimum "
        "meaningful result: Scissors regression eliminated (net_Scissors ≥ −1 on real)'（第 "
        "182 行）、'Strong result"
    )
    # E1's list (plan:69-72) is all its criterion, with no such warning.
    assert not [w for w in loaded.warnings if "block E1" in w.message and "tiers" in w.message]


@needs_shared
def test_038_b2_claim_tiers_are_warned_about(tmp_path: Path) -> None:
    """038's B2 (three-gates plan:122-128) states its thresholds under "Claim tiers" and no
    Success criterion: `criterion: (none written)` and no word."""
    loaded = load_project(as_project("038", tmp_path))
    file, line, message = _said(loaded, "block B2 writes no Success criterion")
    assert (file, line) == ("refine-logs/EXPERIMENT_PLAN_20260802_TRIPHARM_THREE_GATES.md", 125)
    assert "'exploratory positive: AP lift greater than 1 and EF1% greater than 1 on" in message
    assert "'competition-strength positive: median EF1% at least 2," in message


@needs_shared
def test_027_b0_thresholds_are_warned_about_in_chinese(tmp_path: Path) -> None:
    """027 (Chinese): B0 writes no Success criterion, but its item 5 fixes thresholds
    (`<1e-4 m`, `>0.999`, `<0.01`); the warning is said in Chinese, the line quoted from a
    little before its first threshold. It quoted the line's first 120 characters, "5. **Text
    evaluator bridge**: K273 -> …", list number and all, and never the threshold."""
    loaded = load_project(as_project("027", tmp_path))
    file, line, message = _said(loaded, "block B0 writes no Success criterion")
    assert (file, line) == (PLAN, 177)
    assert warning_in_language(message, "zh") == (
        "实验块 B0 没有写 Success criterion，但其文字写有阈值：'…门槛固定为 joint "
        "reconstruction max error `<1e-4 m`、同一 GT 经两条 evaluator 输入路径的 "
        "motion-embedding cosine `>0.999`，且 R@1/2/3 与…'（第 177 行）；结果不会为该实验块"
        "判定任何内容：请把必须达到的阈值写成它的 Success criterion 以便判定"
    )


def test_a_decision_line_or_a_block_with_a_criterion_is_no_unread_threshold(
    tmp_path: Path,
) -> None:
    """A line saying what to do if ("If coverage < 70%, stop") is a decision, not a threshold
    the block must meet; a block whose criterion is read has its other thresholds left alone."""
    plan = tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.parent.mkdir()
    plan.write_text(
        "# Plan\n\n## Block B1: Main\n\n- **Compared systems**: A, B\n- **Metrics**: F1\n"
        "- **Success criterion**: B beats A on F1\n- **Notes**: F1 ≥ 0.5 was reached before\n\n"
        "## Block B2: Check\n\n- **Compared systems**: A\n- **Metrics**: coverage\n"
        "- **Setup**: If coverage < 70%, stop and relabel.\n"
    )
    loaded = load_project(tmp_path)
    assert not [w for w in loaded.warnings if "threshold" in w.message or "tiers" in w.message]


def _plan(tmp_path: Path, text: str) -> LoadedProject:
    """The project holding ``text`` as its plan, loaded."""
    plan = tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.parent.mkdir()
    plan.write_text(text)
    return load_project(tmp_path)


def test_ascii_at_most_and_at_least_are_thresholds_and_arrows_are_not(tmp_path: Path) -> None:
    """``<=`` and ``>=`` compare with a number as ``≤`` and ``≥`` do; they were never found (the
    check after ``<`` refused the ``=``). An arrow (``->``, ``=>``, ``<-``) is no comparison."""
    loaded = _plan(
        tmp_path,
        "# Plan\n\n## Block B1: Main\n\n- **Compared systems**: A\n- **Metrics**: latency, acc\n"
        "- **Setup**: stage A -> 3 stages, x => 2, y <- 5\n- latency <= 10 ms\n"
        "- acc >= 0.8 on the test split\n",
    )
    assert _said(loaded, "block B1 writes no Success criterion")[1:] == (
        8,
        "block B1 writes no Success criterion, but its text states thresholds: "
        "'latency <= 10 ms' (line 8), 'acc >= 0.8 on the test split' (line 9); the results "
        "judge nothing for the block: write the ones it must meet as its Success criterion to "
        "have them judged",
    )


def test_only_arrows_are_no_threshold(tmp_path: Path) -> None:
    """A block whose lines hold arrows and no comparison is warned about for none."""
    loaded = _plan(
        tmp_path,
        "# Plan\n\n## Block B1: Main\n\n- **Compared systems**: A\n- **Metrics**: acc\n"
        "- **Setup**: stage A -> 3 stages, x => 2, y <- 5, a<-1\n",
    )
    assert not [w for w in loaded.warnings if "threshold" in w.message]


def test_a_long_line_is_quoted_around_its_threshold(tmp_path: Path) -> None:
    """A line longer than 120 characters is quoted from a little before its first threshold,
    without its list number: its first 120 characters said what the item is about and left the
    threshold out."""
    intro = "the evaluator bridge must pass its parity audit before the checkpoint is chosen, " * 2
    loaded = _plan(
        tmp_path,
        "# Plan\n\n## Block B1: Main\n\n- **Compared systems**: A\n- **Metrics**: error\n\n"
        f"5. {intro}with a fixed max error `<1e-4 m` on the reference set.\n"
        "6. drift < 0.01\n",
    )
    message = _said(loaded, "block B1 writes no Success criterion")[2]
    assert message.split("'")[1:4] == [
        "…is chosen, with a fixed max error `<1e-4 m` on the reference set.",
        " (line 8), ",
        "drift < 0.01",
    ]


def test_more_lines_are_named_by_line_and_a_bold_label_is_quoted_plain(tmp_path: Path) -> None:
    """Past the two lines quoted, the others are named by their lines ("(+1 more)" said
    neither which nor where); a ``**Setup**:`` label was quoted "Setup**: …"."""
    loaded = _plan(
        tmp_path,
        "# Plan\n\n## Block B1: Main\n\n- **Compared systems**: A\n- **Metrics**: acc\n"
        "- **Setup**: acc >= 0.8\n- loss < 2\n- drift < 0.1\n- gap < 0.2\n",
    )
    assert _said(loaded, "block B1 writes no Success criterion")[2].split("; ")[0] == (
        "block B1 writes no Success criterion, but its text states thresholds: "
        "'Setup: acc >= 0.8' (line 7), 'loss < 2' (line 8) (+2 more: lines 9, 10)"
    )
    assert "（另有 2 行：第 9、10 行）；" in warning_in_language(
        _said(loaded, "block B1 writes no")[2], "zh"
    )


def test_a_setting_item_under_an_empty_metrics_label_is_no_metric(tmp_path: Path) -> None:
    """Under ``**Metrics**:`` with no value, ``- Primary: accuracy`` names a metric and
    ``- Eval sets: CIFAR-10, SVHN`` the data it is measured on: CIFAR-10 and SVHN were read as
    metrics. The setting item stays a field of its own."""
    loaded = _plan(
        tmp_path,
        "# Plan\n\n## Block B1: Main\n\n- **Compared systems**: A, B\n- **Metrics**:\n"
        "- Primary: accuracy\n- Eval sets: CIFAR-10, SVHN\n- Secondary: ECE\n- 测试划分: test-A\n"
        "- Calibration: NLL < 0.5\n- **Success criterion**: B beats A on accuracy\n",
    )
    (block,) = loaded.plan.blocks
    assert plan_metric_names(block.metrics) == ["accuracy", "ECE", "NLL"]
    assert [(f.label, f.value) for f in block.fields if not f.key] == [
        ("Eval sets", "CIFAR-10, SVHN"),
        ("测试划分", "test-A"),
    ]
