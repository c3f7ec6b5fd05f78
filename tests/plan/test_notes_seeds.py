"""
Several seeds written in a tracker row's Notes are planned as one run per seed, as a Seed cell
naming several is; seed words in Notes bridge cannot read are warned of at the row's line
(trial t6 on 012: "seeds 1103, 1104, 1105" in R003-R005's Notes was dropped without a word,
each row launched once at ``[run] args``' seed 0 and B2 was judged at n=1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.plan import load_project
from bridge.plan.project import LoadedProject
from bridge.projections.plan_words import warning_in_language
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

_TOML = (
    '[run]\ncommand = ["python3", "train.py", "--run", "{run_id}", "--seed", "{seed}", '
    '"--out", "{output_dir}"]\nargs = { seed = "0" }\n'
)
_TRACKER = "refine-logs/EXPERIMENT_TRACKER.md"


def _012_with_notes(root: Path, old: str, new: str) -> LoadedProject:
    """012 with each of R003-R005's Notes ending in ``new`` (R005's ``old`` replaced by it)."""
    project = as_project("012", root)
    (project / "bridge.toml").write_text(_TOML, encoding="utf-8")
    tracker = project / _TRACKER
    lines = tracker.read_text(encoding="utf-8").splitlines(keepends=True)
    for n, line in enumerate(lines):
        if line.startswith(("| R003 ", "| R004 ")):
            lines[n] = line.rstrip().removesuffix("|").rstrip() + f"; {new} |\n"
        elif line.startswith("| R005 "):
            assert old in line
            lines[n] = line.replace(old, new)
    tracker.write_text("".join(lines), encoding="utf-8")
    return load_project(project)


@needs_shared
@pytest.mark.parametrize(
    "notes", ["seeds 1103, 1104, 1105", "seeds 1103–1105", "seed 1103/1104/1105"]
)
def test_012_several_seeds_in_notes_are_one_run_each(tmp_path: Path, notes: str) -> None:
    loaded = _012_with_notes(tmp_path, "seed 1103;", f"{notes};")
    b2 = {r.id: r.params.get("seed") for r in loaded.runs if r.block == "B2"}
    rows, seeds = ("R003", "R004", "R005"), (1103, 1104, 1105)
    assert b2 == {f"{row}-s{seed}": str(seed) for row in rows for seed in seeds}
    (said,) = [w for w in loaded.warnings if "name several seeds" in w.message]
    assert (said.file, said.line) == (_TRACKER, 7)
    assert said.message.startswith(
        "Notes cells name several seeds (R003 ×3, R004 ×3, R005 ×3); each seed is planned as "
        "its own run"
    )
    # Every system of B2 runs at the same seeds, as its plan asks (plan:55): no warning.
    assert not [w for w in loaded.warnings if "asks for the same seeds" in w.message]


@needs_shared
def test_012_one_seed_in_notes_is_still_the_rows_seed(tmp_path: Path) -> None:
    loaded = _012_with_notes(tmp_path, "seed 1103;", "seed 1103;")
    seeds = {r.id: r.params.get("seed") for r in loaded.runs if r.block == "B2"}
    assert seeds == {"R003": "1103", "R004": "1103", "R005": "1103"}
    assert not [w for w in loaded.warnings if "seed" in w.message.casefold()]


@needs_shared
@pytest.mark.parametrize("notes", ["seeds 1103 or 1104", "seeds 3", "3 seeds"])
def test_012_seed_words_in_notes_bridge_cannot_read_are_warned_of(
    tmp_path: Path, notes: str
) -> None:
    loaded = _012_with_notes(tmp_path, "seed 1103;", f"{notes};")
    said = [w for w in loaded.warnings if "Notes name seeds bridge cannot read" in w.message]
    assert [(w.file, w.line) for w in said] == [(_TRACKER, 7), (_TRACKER, 8), (_TRACKER, 9)]
    assert said[2].message == (
        f"run R005's Notes name seeds bridge cannot read ({notes!r}): it is planned without a "
        "seed of its own; write `seed N` for one seed, or `seeds 1, 2, 3` / `seeds 1-3` for "
        "one run per seed"
    )


def _tracker_runs(tmp_path: Path, notes: str) -> LoadedProject:
    refine = tmp_path / "refine-logs"
    refine.mkdir(parents=True)
    (refine / "EXPERIMENT_PLAN.md").write_text(
        "# Plan\n\n### B1: Main\n\n- Compare: A\n- Success criterion: A reaches acc >= 0.5.\n",
        encoding="utf-8",
    )
    (refine / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | Block | System | Status | Notes |\n|---|---|---|---|---|---|\n"
        f"| R1 | M1 | B1 | A | TODO | {notes} |\n",
        encoding="utf-8",
    )
    return load_project(tmp_path)


@pytest.mark.parametrize(
    "notes",
    [
        # 020's R007i: the checkpoints seeds 101-103 trained, not this run's seeds
        "Stage A seeds `101/102/103` 的 `model_250.pt` 到 `model_10000.pt`",
        # a subset's seeds, not the run's
        "random 100-clip subset, seeds 1, 2",
        "one seed, no sweep",
        "same source splits/seeds",
    ],
)
def test_seeds_in_notes_that_are_no_runs_seeds(tmp_path: Path, notes: str) -> None:
    loaded = _tracker_runs(tmp_path, notes)
    assert [(r.id, r.seed) for r in loaded.runs] == [("R1", None)]
    assert not [w for w in loaded.warnings if "seed" in w.message.casefold()]


def test_chinese_seeds_in_notes(tmp_path: Path) -> None:
    loaded = _tracker_runs(tmp_path, "同一数据；种子 1、2、3")
    assert [(r.id, r.seed) for r in loaded.runs] == [("R1-s1", 1), ("R1-s2", 2), ("R1-s3", 3)]


def test_the_warnings_read_in_chinese(tmp_path: Path) -> None:
    several = _tracker_runs(tmp_path / "a", "seeds 1, 2")
    unread = _tracker_runs(tmp_path / "b", "seeds 1 or 2")
    messages = [
        warning_in_language(w.message, "zh")
        for w in (*several.warnings, *unread.warnings)
        if "seeds" in w.message
    ]
    assert messages == [
        "Notes 单元格写了多个种子（R1 ×2）；每个种子作为单独的运行规划，命名为 <行 id>-s<种子>，"
        "该行的状态合并显示它们",
        "运行 R1 的备注写了 bridge 读不懂的种子（'seeds 1 or 2'）：它按没有自己的种子规划；一个"
        "种子写 `seed N`，每个种子一个运行写 `seeds 1, 2, 3` 或 `seeds 1-3`",
    ]


@needs_shared
def test_020s_done_rows_naming_several_seeds_have_no_one_seed(tmp_path: Path) -> None:
    """020's R007g (Split `policy seeds 101/102/103`) ran three seeds: its Notes say «…seed 102
    on GPU 2, seed 103 on GPU 3；… seeds `101/102/103` 均完成…», and R007i's «Stage A seeds
    `101/102/103` 的 model_250.pt … 是 seed `202` run 的 `model_9000.pt`». The first lone seed
    was read as the row's (`"seed": 102` and `202` in results.json): neither row is one seed.
    Seeds named one by one are said unread, as other Notes bridge cannot read are, but not on a
    row done before bridge, which is never planned."""
    project = as_project("020", tmp_path)
    loaded = load_project(project)
    seeds = {r.id: r.seed for r in loaded.runs}
    assert (seeds["R007g"], seeds["R007i"]) == (None, None)
    assert not [s for s in seeds.values() if s is not None]
    assert not [w for w in loaded.warnings if "seed" in w.message.casefold()]
    # Its Split cell (`policy seeds 101/102/103`) is read nowhere: a DONE row's is no matter,
    # but R007j, still to run, written `smoke seeds 1/2/3` ran once at seed 0 without a word.
    assert not [w for w in loaded.warnings if "Split cell" in w.message]
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    assert text.count("| smoke seeds TBD |") == 1
    tracker.write_text(text.replace("| smoke seeds TBD |", "| smoke seeds 1/2/3 |"), "utf-8")
    again = load_project(project)
    assert [(r.id, r.seed) for r in again.runs if r.id.startswith("R007j")] == [("R007j", None)]
    (split,) = [w for w in again.warnings if "Split cell" in w.message]
    assert split.message == (
        "run R007j's Split cell names seeds bridge does not read there ('seeds 1/2/3'): it is "
        "planned without a seed of its own; write `seed N` for one seed, or `seeds 1, 2, 3` "
        "for one run per seed, in its Notes or a Seed column"
    )
    assert warning_in_language(split.message, "zh").startswith(
        "运行 R007j 的 Split 单元格写了种子（'seeds 1/2/3'），bridge 不从那里读取种子"
    )


@pytest.mark.parametrize(
    ("notes", "seed"),
    [
        ("seed 102 on GPU 2, seed 103 on GPU 3", None),
        ("seeds 1, 2 and 3 finished; seed 2 best", None),
        ("seed 7 on GPU 2; rerun of seed 7", 7),
        ("seed 42, 5 epochs", 42),
    ],
)
def test_seeds_named_one_by_one_are_no_one_seed(tmp_path: Path, notes: str, seed: int) -> None:
    loaded = _tracker_runs(tmp_path, notes)
    assert [(r.id, r.seed) for r in loaded.runs] == [("R1", seed)]
    # A row still to run is told why it runs with no seed of its own.
    unread = [w for w in loaded.warnings if "Notes name seeds bridge cannot read" in w.message]
    assert len(unread) == (seed is None), loaded.warnings
