"""
A tracker row whose System cell names several systems (``Direct24/Rollout24/Partition24``) is
one run per seed with a combined system: `bridge plan` says so at the row.
"""

from __future__ import annotations

from pathlib import Path

from bridge.plan import load_project
from bridge.projections.plan_words import warning_in_language
from tests.conftest import needs_shared
from tests.plan.corpus import as_project


def _said(root: Path) -> list[str]:
    return [
        f"{w.where}: {w.message}"
        for w in load_project(root).warnings
        if "names" in w.message and "systems" in w.message and "in one row" in w.message
    ]


@needs_shared
class TestSystemsInOneRow:
    def test_a_row_naming_three_systems_and_three_seeds_is_warned(self, tmp_path: Path) -> None:
        """023's R040 "final Direct24/Rollout24/Partition24 seeds 42/27/97" became three runs
        (R040-s42, -s27, -s97) each with one combined system, where its M4 expects "约 6–9
        full runs", with no word of it; R010 "Direct24, Rollout24, Partition24" is one run."""
        said = _said(as_project("023", tmp_path))
        assert said == [
            "refine-logs/EXPERIMENT_TRACKER.md:20: R010: its System cell 'Direct24, Rollout24, "
            "Partition24' names 3 systems ('Direct24', 'Rollout24', 'Partition24') in one row: "
            "bridge plans one run (R010) with the combined system, not one per system (1 where "
            "3 may be meant), and the results cannot tell the systems apart; give each system "
            "a tracker row of its own (its System column) to run each",
            "refine-logs/EXPERIMENT_TRACKER.md:32: R040: its System cell 'final "
            "Direct24/Rollout24/Partition24' names 3 systems ('Direct24', 'Rollout24', "
            "'Partition24') in one row: bridge plans 3 runs (R040-s42, R040-s27, R040-s97), one "
            "per seed, each with the combined system, not one per system (3 where 9 may be "
            "meant), and the results cannot tell the systems apart; give each system a tracker "
            "row of its own (its System column) to run each",
        ]
        assert warning_in_language(said[1].split(": ", 1)[1], "zh") == (
            "R040：它的 System 单元格 'final Direct24/Rollout24/Partition24' 在一行中写了 3 个"
            "系统（'Direct24', 'Rollout24', 'Partition24'）：bridge 把它规划为 3 个运行"
            "（R040-s42, R040-s27, R040-s97，每个种子一个），系统是它们合在一起的名字，而不是"
            "每个系统一个运行（3 个，可能应为 9 个），结果也无法区分这些系统；请给每个系统一行"
            "追踪表（写在它的 System 列），才会分别运行"
        )

    def test_following_the_advice_gives_a_run_per_system_and_seed(self, tmp_path: Path) -> None:
        root = as_project("023", tmp_path)
        tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
        lines = tracker.read_text(encoding="utf-8").splitlines()
        (at,) = [n for n, line in enumerate(lines) if line.startswith("| R040 |")]
        row = lines[at]
        lines[at : at + 1] = [
            row.replace("| R040 |", f"| R040{x} |").replace(
                "final Direct24/Rollout24/Partition24", f"final {system}"
            )
            for x, system in zip("abc", ("Direct24", "Rollout24", "Partition24"), strict=True)
        ]
        tracker.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert [s for s in _said(root) if "R040" in s] == []
        runs = [r for r in load_project(root).runs if r.id.startswith("R040")]
        assert len(runs) == 9
        assert {r.system for r in runs} == {
            "final Direct24",
            "final Rollout24",
            "final Partition24",
        }

    def test_words_and_acronyms_and_sanity_rows_are_not_systems(self, tmp_path: Path) -> None:
        """020's rows "correct/null/masked/shuffled/stale", "with/without language" and its
        sanity row R002 "Python/MuJoCo/MJLab-classic imports" (done) are one run each, as
        meant; 018's "SSH/GPU/磁盘预检" too."""
        assert _said(as_project("020", tmp_path / "020")) == []
        assert _said(as_project("018", tmp_path / "018")) == []
