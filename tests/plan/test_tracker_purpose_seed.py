"""
A seed written in a tracker row's Experiment / Purpose cell (026's E5 "MRSD GSM8K seed=123
(n=200)", its second-seed run, in a tracker whose one descriptive column is `Experiment`): it
ran at [run] args' seed 0 with no word (trial t12), while the same words in a System / Variant
cell seed the run. Read as a Notes cell's seeds are.
"""

from __future__ import annotations

from pathlib import Path

from bridge.plan import load_project
from bridge.projections.plan_words import warning_in_language
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

_PLAN = """# Experiment Plan: Seeds

## Experiment Blocks

### Block 1: Main
- **Compared systems**: MRSD
"""


def _runs(root: Path, tracker: str) -> list[tuple[str, int | None]]:
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(_PLAN, encoding="utf-8")
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(tracker, encoding="utf-8")
    return [(r.id, r.seed) for r in load_project(root).runs]


def test_a_seed_in_the_experiment_cell_seeds_the_run(tmp_path: Path) -> None:
    runs = _runs(
        tmp_path,
        "| ID | Experiment | Status | Priority | Est GPU-h |\n"
        "|----|-----------|--------|----------|-----------|\n"
        "| E4 | MRSD full MATH-500 (n=500, Bt=1024) | TODO | HIGH | 8 |\n"
        "| E5 | MRSD GSM8K seed=123 (n=200) | TODO | MEDIUM | 1 |\n"
        "| E6 | MRSD MATH-500 seed=123 (n=200, Bt=2048) | TODO | MEDIUM | 3 |\n"
        "| E7 | MRSD GSM8K seed 7 | TODO | MEDIUM | 1 |\n"
        # A sampler's seed is no run's (005's R003 "… frames per clip, fixed seed=0").
        "| E8 | Sample 3 random frames per clip, fixed seed=0 | TODO | MEDIUM | 1 |\n",
    )
    # E5 and E6 were planned with no seed of their own and ran at seed 0.
    assert runs == [("E4", None), ("E5", 123), ("E6", 123), ("E7", 7), ("E8", None)]


def test_several_seeds_in_the_experiment_cell_are_a_run_each(tmp_path: Path) -> None:
    root = tmp_path / "p"
    runs = _runs(
        root,
        "| ID | Experiment | Status |\n|----|-----------|--------|\n"
        "| E9 | MRSD GSM8K seeds 1, 2, 3 | TODO |\n",
    )
    assert runs == [("E9-s1", 1), ("E9-s2", 2), ("E9-s3", 3)]
    messages = [w.message for w in load_project(root).warnings]
    several = next(m for m in messages if "several seeds" in m)
    assert warning_in_language(several, "zh").startswith(
        "Experiment / Purpose 单元格写了多个种子（E9 ×3）"
    )
    assert any(
        m.startswith("Experiment / Purpose cells name several seeds (E9 ×3)") for m in messages
    ), messages


def test_seeds_the_experiment_cell_names_unreadably_are_warned(tmp_path: Path) -> None:
    root = tmp_path / "p"
    runs = _runs(
        root,
        "| ID | Experiment | Status |\n|----|-----------|--------|\n"
        "| E9 | MRSD GSM8K seeds 3 or 4 | TODO |\n",
    )
    assert runs == [("E9", None)]
    messages = [w.message for w in load_project(root).warnings]
    unread = [m for m in messages if "cannot read" in m]
    assert unread == [
        "run E9's Experiment / Purpose cell names seeds bridge cannot read ('seeds 3 or 4'): it "
        "is planned without a seed of its own; write `seed N` for one seed, or `seeds 1, 2, 3` "
        "/ `seeds 1-3` for one run per seed"
    ], messages
    # A Chinese plan's `bridge plan` says it in Chinese, as it does of Notes.
    assert warning_in_language(unread[0], "zh") == (
        "运行 E9 的实验/目的单元格写了 bridge 读不懂的种子（'seeds 3 or 4'）：它按没有自己的种子"
        "规划；一个种子写 `seed N`，每个种子一个运行写 `seeds 1, 2, 3` 或 `seeds 1-3`"
    )


def test_a_seed_cell_comes_first(tmp_path: Path) -> None:
    runs = _runs(
        tmp_path,
        "| ID | Experiment | Seed | Status |\n|----|-----------|------|--------|\n"
        "| E5 | MRSD GSM8K seed=123 | 7 | TODO |\n",
    )
    assert runs == [("E5", 7)]


@needs_shared
def test_026_e5_and_e6_run_at_their_seed(tmp_path: Path) -> None:
    project = load_project(as_project("026", tmp_path / "p026"))
    seeds = {r.id: r.seed for r in project.runs}
    # The tracker's lines 38-39: "E5-E6: Multi-seed", the second seed of E3 and E4b.
    assert (seeds["E5"], seeds["E6"]) == (123, 123), seeds
    assert (seeds["E3"], seeds["E4b"]) == (None, None), seeds
