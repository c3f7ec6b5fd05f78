"""
A block's Priority against its runs' tracker Priority cells: a block none of whose runs shares
its priority is warned at its Priority line, before anything runs.
"""

from __future__ import annotations

from pathlib import Path

from bridge.plan import load_project
from bridge.plan.priority import Priority
from bridge.projections.plan_words import warning_in_language
from tests.conftest import needs_shared
from tests.plan.corpus import as_project


def _split(root: Path) -> list[str]:
    return [
        f"{w.where}: {w.message}"
        for w in load_project(root).warnings
        if "'s priority " in w.message and "but the tracker makes its run" in w.message
    ]


@needs_shared
class TestBlockAgainstTracker:
    def test_a_conditional_must_run_block_with_a_must_run_is_warned(self, tmp_path: Path) -> None:
        """014's B4 "Priority: CONDITIONAL MUST-RUN." read as nice-to-have ("5 blocks (4
        must-run, 1 nice-to-have)") while the tracker makes its R007 MUST, with no word of it.
        It stays nice-to-have (bridge cannot check the condition), and the warning says so, at
        the block's Priority line, with the way to count it as must-run."""
        root = as_project("014", tmp_path)
        project = load_project(root)
        assert {b.id: b.priority for b in project.plan.blocks}["B4"] == Priority.NICE
        assert _split(root) == [
            "refine-logs/EXPERIMENT_PLAN.md:208: B4's priority 'CONDITIONAL MUST-RUN' holds only "
            "under a condition bridge cannot check, so it reads as nice-to-have, but the tracker "
            "makes its run R007 must-run (refine-logs/EXPERIMENT_TRACKER.md:15): the block's "
            "verdict counts as nice-to-have, while a failure of that run holds its milestone; "
            "write `Priority: MUST-RUN` in B4 to count it as must-run, or NICE in the tracker's "
            "Priority cell"
        ]

    def test_following_the_advice_ends_it(self, tmp_path: Path) -> None:
        root = as_project("014", tmp_path)
        plan = root / "refine-logs" / "EXPERIMENT_PLAN.md"
        plan.write_text(
            plan.read_text(encoding="utf-8").replace(
                "Priority: CONDITIONAL MUST-RUN.", "Priority: MUST-RUN."
            ),
            encoding="utf-8",
        )
        assert _split(root) == []
        blocks = {b.id: b.priority for b in load_project(root).plan.blocks}
        assert blocks["B4"] == Priority.MUST

    def test_a_must_run_block_whose_only_run_is_nice_is_warned(self, tmp_path: Path) -> None:
        """004's B2 is MUST-RUN; its one run R301 is NICE ("skippable if timeline slips")."""
        (said,) = _split(as_project("004", tmp_path))
        assert said.startswith(
            "refine-logs/EXPERIMENT_PLAN.md:70: B2's priority 'MUST-RUN' reads as must-run, but "
            "the tracker makes its run R301 nice-to-have (refine-logs/EXPERIMENT_TRACKER.md:21)"
        )
        assert said.endswith(
            "does not hold its milestone; write the same priority in B2 and the tracker's "
            "Priority cells"
        )

    def test_a_block_some_of_whose_runs_share_its_priority_is_not_warned(
        self, tmp_path: Path
    ) -> None:
        """012's B4 is MUST-RUN with must-run runs and two NICE ones (R009, R010: "appendix,
        never sole headline"): one intent, no warning."""
        root = as_project("012", tmp_path)
        runs = {r.id: r.priority for r in load_project(root).runs if r.block == "B4"}
        assert runs["R009"] is Priority.NICE and Priority.MUST in runs.values()
        assert _split(root) == []

    def test_in_chinese(self, tmp_path: Path) -> None:
        """A Chinese plan shows the warning in Chinese, as its other warnings are."""
        (said,) = _split(as_project("014", tmp_path))
        message = said.split(": ", 1)[1]
        assert warning_in_language(message, "zh") == (
            "B4 的优先级 'CONDITIONAL MUST-RUN' 只在 bridge 无法检查的条件下成立，因此按可选读取，"
            "但追踪表把它的运行 R007 标为必做（refine-logs/EXPERIMENT_TRACKER.md:15）：该实验块的"
            "判定按可选计，而这些运行失败时会阻断所在里程碑；若要按必做计，请在 B4 中写 "
            "`Priority: MUST-RUN`，或在追踪表的 Priority 单元格中写 NICE"
        )


def _unstated(root: Path) -> list[str]:
    return [
        f"{w.where}: {w.message}"
        for w in load_project(root).warnings
        if " states no priority, so it reads as must-run" in w.message
    ]


@needs_shared
def test_a_block_stating_no_priority_whose_runs_are_nice_is_warned(tmp_path: Path) -> None:
    """036's milestone sections M1.2, M2.1 and M2.2 stand as blocks and state no priority, so
    their verdicts count among the must-run blocks', while the tracker makes their runs
    SHOULD-RUN (025's ablations A3/A4, P1 in its run table, were "unmet must-run blocks" so,
    trial h41A). Each is said, at its heading; M1.1, whose run is MUST-RUN, is not."""
    root = as_project("036", tmp_path)
    blocks = {b.id: b.priority for b in load_project(root).plan.blocks}
    assert blocks["M1.2"] is None and blocks["M1.1"] is None
    said = _unstated(root)
    assert [s.split(": ", 1)[1].split(" ", 1)[0] for s in said] == ["M1.2", "M2.1", "M2.2"]
    assert said[0] == (
        "refine-logs/EXPERIMENT_PLAN.md:59: M1.2 states no priority, so it reads as must-run "
        "(its verdict counts among the must-run blocks'), but its run M1.2 is nice-to-have "
        "(refine-logs/EXPERIMENT_TRACKER.md:9); write `Priority: NICE` in M1.2 to count it as "
        "nice-to-have, or MUST in the runs' Priority cells"
    )
    assert warning_in_language(said[0].split(": ", 1)[1], "zh") == (
        "M1.2 没有写优先级，按必做读取（其判定计入必做实验块），但它的运行 M1.2 为可选"
        "（refine-logs/EXPERIMENT_TRACKER.md:9）；若要按可选计，请在 M1.2 中写 `Priority: NICE`，"
        "或在这些运行的 Priority 单元格中写 MUST"
    )
    # Following the advice ends it.
    plan = root / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8").replace(
        "### M1.2 Subset analysis\n", "### M1.2 Subset analysis\n\n**Priority**: NICE\n", 1
    )
    plan.write_text(text, encoding="utf-8")
    assert [s.split(": ", 1)[1].split(" ", 1)[0] for s in _unstated(root)] == ["M2.1", "M2.2"]
