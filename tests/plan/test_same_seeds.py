"""
A plan asking its systems for the same seeds, and runs launched at different ones, is warned
of before any launch (012's B2: "Use the same seeds, …" at plan:55, M2 "B2 variants 1-3, paired
seeds"; R005 ran at its tracker Notes' 1103, R003 and R004 at ``[run] args``' 0, and neither
`bridge plan` nor the verdict said so).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.plan import load_project
from bridge.plan.quantities import same_seeds
from bridge.projections.plan_words import warning_in_language
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

_TOML = (
    '[run]\ncommand = ["python3", "train.py", "--run", "{run_id}", "--seed", "{seed}", '
    '"--out", "{output_dir}"]\nargs = { seed = "0" }\n'
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("- Use the same seeds, budget, eligible choices, and checkpoints.", "same seeds"),
        ("| M2 | Isolate loss weighting | B2 variants 1-3, paired seeds |", "paired seeds"),
        ("all arms use matched seeds", "matched seeds"),
        ("seeds are shared across arms", "seeds are shared"),
        ("各臂使用相同的种子", "相同的种子"),
        # The English word in a Chinese sentence (027, 039), never "不同" (different).
        ("使用相同 seed", "相同 seed"),
        ("使用同 seed/source split", "同 seed"),
        ("不同 seed 的结果", None),
        ("不相同的种子", None),
        ("3 seeds per system", None),
        ("seed 0", None),
        ("seeds 0-2", None),
    ],
)
def test_the_words_that_ask_for_the_same_seeds(text: str, words: str | None) -> None:
    assert same_seeds(text) == words


@needs_shared
def test_012_seeds_that_differ_are_warned_of_before_any_launch(tmp_path: Path) -> None:
    root = as_project("012", tmp_path)
    (root / "bridge.toml").write_text(_TOML, encoding="utf-8")
    loaded = load_project(root)
    seeds = {r.id: r.params.get("seed") for r in loaded.runs if r.block == "B2"}
    assert seeds == {"R003": "0", "R004": "0", "R005": "1103"}
    (said,) = [w for w in loaded.warnings if "asks for the same seeds" in w.message]
    assert (said.file, said.line) == ("refine-logs/EXPERIMENT_PLAN.md", 55)
    assert said.message == (
        "block B2 asks for the same seeds of its systems ('same seeds'), but its runs are "
        "launched at different ones: seed 0: R003 (global molecule-weighted dynamic head), R004 "
        "(per-gene macro dynamic head) ([run] args' default); seed 1103: R005 (bounded "
        "DTU-weighted macro head) (its own); give them one seed (a Seed column, `seed N` in the "
        "tracker's Notes, or [[runs]] seed), or its verdict stays open"
    )
    assert warning_in_language(said.message, "zh").startswith(
        "实验块 B2 要求各系统使用相同的种子（'same seeds'），但其运行的启动种子不同：种子 0：R003"
    )


@needs_shared
def test_012_one_seed_for_every_run_is_not_warned(tmp_path: Path) -> None:
    root = as_project("012", tmp_path)
    (root / "bridge.toml").write_text(
        _TOML + '\n[[runs]]\nid = "R005"\nseed = 0\n', encoding="utf-8"
    )
    loaded = load_project(root)
    assert {r.params.get("seed") for r in loaded.runs if r.block == "B2"} == {"0"}
    assert not [w for w in loaded.warnings if "asks for the same seeds" in w.message]


@needs_shared
def test_002_runs_take_the_seed_the_plan_states_and_a_differing_default_is_named(
    tmp_path: Path,
) -> None:
    """
    002's B1 says "begin with seed `42`" (plan:49) and no block names another: its rows,
    attributed to no block, launched at ``[run] args``' 0 and nothing said so.
    """
    root = as_project("002", tmp_path)
    (root / "bridge.toml").write_text(_TOML, encoding="utf-8")
    loaded = load_project(root)
    launched = {r.id: r.params.get("seed") for r in loaded.runs if r.id in ("R004", "R007")}
    assert launched == {"R004": "42", "R007": "42"}
    (said,) = [w for w in loaded.warnings if w.message.startswith("bridge.toml sets seed")]
    assert (said.file, said.line) == ("bridge.toml", 3)
    assert said.message.startswith(
        "bridge.toml sets seed 0 ([run] args), but the plan states seed 42 "
        "(refine-logs/EXPERIMENT_PLAN.md:49): R004, R005, R007, R008 launch at the plan's 42, "
        "bridge.toml's 0 serving only runs the plan gives no seed"
    )


@needs_shared
def test_002_needs_no_default_seed_when_the_plan_states_one(tmp_path: Path) -> None:
    """Without ``[run] args``' seed, ``{seed}`` was "no value for this run" for R004."""
    root = as_project("002", tmp_path)
    (root / "bridge.toml").write_text(_TOML.replace('args = { seed = "0" }\n', ""), "utf-8")
    loaded = load_project(root)
    assert not [w for w in loaded.warnings if "sets seed" in w.message]
    assert {r.params.get("seed") for r in loaded.runs if not r.task} == {"42"}


@needs_shared
def test_012_a_plan_stating_no_seed_leaves_seedless_rows_at_the_default(tmp_path: Path) -> None:
    """012's plan writes no seed value: R003 and R004 keep ``[run] args``' 0, unwarned by it."""
    root = as_project("012", tmp_path)
    (root / "bridge.toml").write_text(_TOML, encoding="utf-8")
    loaded = load_project(root)
    assert {r.id: r.seed for r in loaded.runs if r.id in ("R003", "R004", "R005")} == {
        "R003": None,
        "R004": None,
        "R005": 1103,
    }
    assert not [w for w in loaded.warnings if "sets seed" in w.message]


@needs_shared
def test_005_a_frame_samplers_seed_is_no_seed_of_the_plan(tmp_path: Path) -> None:
    """
    005's B3 writes "uniform random sample, fixed seed=0 per clip" (plan:99), a frame sampler's
    seed, and B4 "sampled uniformly at random …, fixed seed=0 per clip" (plan:116): every row of
    the plan ran at 0, B1's and B2's included (the warning named R004-R011, …). Nor do B3's and
    B4's own rows run at it: R008 passes the sampler's seed itself (``--control-seed 0``), R014
    its own (``--random-seed 0``), and R006/R007 sample nothing; before, all four launched at
    "the plan's 0" over ``[run] args``' seed. R003, the task that writes the sampler ("Sample 3
    random … frames per clip, fixed seed=0"), has no run seed either.
    """
    root = as_project("005", tmp_path)
    (root / "bridge.toml").write_text(_TOML.replace('"0"', '"7"'), encoding="utf-8")
    loaded = load_project(root)
    wanted = ("R003", "R005", "R006", "R008", "R012", "R014")
    seeds = {r.id: r.seed for r in loaded.runs if r.id in wanted}
    assert seeds == {
        "R003": None,
        "R005": None,
        "R006": None,
        "R008": None,
        "R012": None,
        "R014": None,
    }
    assert {r.params.get("seed") for r in loaded.runs if not r.task} == {"7"}
    assert not [w for w in loaded.warnings if w.message.startswith("bridge.toml sets seed")]


@needs_shared
def test_005_a_sampler_seed_in_a_tracker_row_is_no_run_seed(tmp_path: Path) -> None:
    """
    A training seed a row writes stays its run seed beside the sampler's: 005's tracker with
    R006's System cell ending "seed 3" runs R006 at 3, while R003's "fixed seed=0" of its frame
    sampler stays no seed.
    """
    root = as_project("005", tmp_path)
    tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    text = text.replace("(no hook) |", "(no hook), seed 3 |", 1)
    tracker.write_text(text, encoding="utf-8")
    loaded = load_project(root)
    assert {r.id: r.seed for r in loaded.runs if r.id in ("R003", "R006")} == {
        "R003": None,
        "R006": 3,
    }


@needs_shared
def test_034_the_seed_of_a_random_subset_is_no_seed_of_the_plan(tmp_path: Path) -> None:
    """
    034's "MATH500 random 100 (seed 0)" (plan:26) picks the problems, and no block writes
    another seed: a tracker row of a block writing none (M1's R101, as the researcher fills the
    tracker in) ran at 0, with "the plan states seed 0 (…:26)" against bridge.toml's 7.
    """
    root = as_project("034", tmp_path)
    (root / "bridge.toml").write_text(_TOML.replace('"0"', '"7"'), encoding="utf-8")
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "# Tracker\n\n| Run ID | Milestone | Purpose | System | Metrics | Priority | Status |\n"
        "|---|---|---|---|---|---|---|\n| R101 | M1 | pilot | base | accuracy | MUST | TODO |\n",
        encoding="utf-8",
    )
    loaded = load_project(root)
    assert [(r.id, r.block, r.seed, r.params.get("seed")) for r in loaded.runs] == [
        ("R101", "M1", None, "7")
    ]
    assert not [w for w in loaded.warnings if w.message.startswith("bridge.toml sets seed")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- uniform random sample, fixed seed=0 per clip; via `build_control_frames`", ((), None)),
        ("- Data: AIME-2024 (30 problems) + MATH500 random 100 (seed 0).", ((), None)),
        ("- random sample with seed 0; train with seed 1", ((1,), 1)),
        ("- **Seed**: 42", ((42,), 1)),
        ("- train/val split 90/10, seed 42", ((42,), 1)),
    ],
)
def test_a_samplers_seed_is_not_among_a_blocks_seeds(
    text: str, expected: tuple[tuple[int, ...], int | None]
) -> None:
    """A seed written for a sampler or a subset is not a block's seed; a training seed is."""
    from bridge.plan.quantities import seeds

    assert seeds(text) == expected


@pytest.mark.parametrize(
    ("text", "sampling"),
    [
        ("- uniform random sample, fixed seed=0 per clip; via `build_control_frames`", True),
        ("- Data: AIME-2024 (30 problems) + MATH500 random 100 (seed 0).", True),
        ("- 每个视频采样 3 帧，种子 0", True),
        ("- begin with seed `42`", False),
        ("- **Seed**: 42", False),
        ("- random sample with seed 0; train with seed 0", False),
        # A dataset or split named beside the training seed is the plan's seed (review).
        ("- Dataset: CIFAR-10. Seed: 42", False),
        ("- Data: WikiText-103, seed 42", False),
        ("- train/val split 90/10, seed 42", False),
        ("- Train ResNet-18 on the CIFAR-10 dataset, seed 42", False),
    ],
)
def test_a_seed_value_written_for_sampling(text: str, sampling: bool) -> None:
    from bridge.plan.quantities import seed_value_for_sampling

    value = 42 if "42" in text else 0
    assert seed_value_for_sampling(text, value) is sampling


def test_the_warning_of_a_differing_seed_reads_in_chinese() -> None:
    said = (
        "bridge.toml sets seed 0 ([run] args), but the plan states seed 42 "
        "(refine-logs/EXPERIMENT_PLAN.md:49): R004, R005 launch at the plan's 42, bridge.toml's "
        '0 serving only runs the plan gives no seed; set it to "42" to agree, or a run\'s own '
        "seed (a Seed column, `seed N` in the tracker's Notes, [[runs]] seed) to run it at another"
    )
    assert warning_in_language(said, "zh") == (
        "bridge.toml 设定种子 0（[run] args），但计划写明种子 42"
        "（refine-logs/EXPERIMENT_PLAN.md:49）：R004, R005 按计划的 42 启动，"
        'bridge.toml 的 0 只用于计划未给种子的运行；改为 "42" 使两者一致，'
        "或为某个运行写明它自己的种子（Seed 列、跟踪表备注中的 `seed N`、[[runs]] seed）"
    )
