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
