"""
Seeds a block writes are that block's: an edit of one block's seeds re-seeds no run of another
(trial t11 on 001: B2's Setup line given `seeds 0, 1, 2` sent the sanity run R001 and the runs
of B3, B4, B5 and M6 from B1's 42 to bridge.toml's 0, and `bridge run` advised re-running 9 of
them). Runs of no block writing a seed take the first such block's, and `bridge plan` says so.
"""

from __future__ import annotations

from pathlib import Path

from bridge.plan import load_project
from bridge.projections.plan_words import warning_in_language
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

_TOML = (
    '[run]\ncommand = ["python3", "train.py", "--run", "{run_id}", "--seed", "{seed}", '
    '"--out", "{output_dir}"]\nargs = { seed = "0" }\n'
)

# Modelled on 001: B1 writes one seed, B2 runs "the same setup as Block 1", B3 writes none.
_PLAN = """# Experiment Plan

## Experiment Blocks

### Block 1: Main result

- **Compared systems**:
  - Base
  - Ours
- **Metrics**: accuracy
- **Setup details**:
  - Seed: 42
- **Success criterion**: Ours accuracy > Base accuracy by >= 2 points

### Block 2: Variants

- **Compared systems**:
  - Ours
  - Ours-wide
- **Metrics**: accuracy
- **Setup details**: Same training setup as Block 1{b2_seeds}
- **Success criterion**: Ours-wide accuracy > Ours accuracy

### Block 3: Ablation

- **Compared systems**:
  - Ours
  - Ours-noaug
- **Metrics**: accuracy
- **Success criterion**: Ours accuracy > Ours-noaug accuracy

## Run Order and Milestones

| Milestone | Goal | Runs | Decision Gate | Cost | Risk |
|---|---|---|---|---|---|
| M0: Sanity | Overfit 100 samples | Ours on 100 samples | Loss decreases | ~1h | Low |
| M1: Main | Main result (B1) | Base, Ours | Ours > Base | ~8h | Low |
| M2: Variants | Variants (B2) | Ours-wide | — | ~8h | Low |
| M3: Ablation | Ablation (B3) | Ours-noaug | — | ~8h | Low |
"""

_TRACKER = """# Tracker

| Run ID | Milestone | Purpose | System | Metrics | Priority | Status |
|---|---|---|---|---|---|---|
| R001 | M0 | Sanity check | Ours, 100 samples | loss | MUST | TODO |
| R002 | M1 | main | Base | accuracy | MUST | TODO |
| R003 | M1 | main | Ours | accuracy | MUST | TODO |
| R004 | M2 | variant | Ours-wide | accuracy | MUST | TODO |
| R005 | M3 | ablation | Ours-noaug | accuracy | MUST | TODO |
"""


def _seeds(root: Path, b2_seeds: str, toml: str = _TOML) -> tuple[dict[str, str | None], list[str]]:
    """The seed each run launches with, and the plan's warnings, with ``b2_seeds`` after B2's
    Setup line."""
    logs = root / "refine-logs"
    logs.mkdir(parents=True)
    (logs / "EXPERIMENT_PLAN.md").write_text(_PLAN.format(b2_seeds=b2_seeds), encoding="utf-8")
    (logs / "EXPERIMENT_TRACKER.md").write_text(_TRACKER, encoding="utf-8")
    (root / "bridge.toml").write_text(toml, encoding="utf-8")
    loaded = load_project(root)
    blocks = {r.id: r.block for r in loaded.runs}
    assert blocks == {"R001": "", "R002": "B1", "R003": "B1", "R004": "B2", "R005": "B3"}
    return {r.id: r.params.get("seed") for r in loaded.runs}, [w.message for w in loaded.warnings]


def test_seeds_written_in_one_block_reseed_only_its_runs(tmp_path: Path) -> None:
    """B2 given seeds 0, 1, 2: its row runs at its first seed 0; the sanity run, B1's and B3's
    rows keep B1's 42 (they fell to bridge.toml's 0), and a warning says which seed and why."""
    before, _ = _seeds(tmp_path / "before", "")
    assert set(before.values()) == {"42"}, before
    after, warnings = _seeds(tmp_path / "after", "; seeds 0, 1, 2")
    assert after == {"R001": "42", "R002": "42", "R003": "42", "R004": "0", "R005": "42"}
    (said,) = [w for w in warnings if w.startswith("blocks write different seeds")]
    assert said == (
        "blocks write different seeds (B1: 42 at refine-logs/EXPERIMENT_PLAN.md:12; B2: 0, 1, 2 "
        "at refine-logs/EXPERIMENT_PLAN.md:21): R001, R005 belong to none of them and run at 42, "
        "the seed of B1, the first block that writes one; give a run its own seed (a Seed "
        "column, `seed N` in the tracker's Notes, [[runs]] seed) to run it at another"
    )
    assert warning_in_language(said, "zh") == (
        "各实验块写明的种子不同（B1：42，见 refine-logs/EXPERIMENT_PLAN.md:12；B2：0, 1, 2，"
        "见 refine-logs/EXPERIMENT_PLAN.md:21）：R001, R005 不属于其中任何一块，按 42 运行，"
        "即第一个写明种子的实验块 B1 的种子；要让某个运行用别的种子，请为它写明自己的种子"
        "（Seed 列、跟踪表备注中的 `seed N`、[[runs]] seed）"
    )


def test_blocks_that_agree_are_not_warned(tmp_path: Path) -> None:
    """B2 beginning with B1's 42 leaves every run at 42, with nothing to say about it."""
    seeds, warnings = _seeds(tmp_path, "; seeds 42, 43, 44")
    assert set(seeds.values()) == {"42"}, seeds
    assert not [w for w in warnings if w.startswith("blocks write different seeds")]


@needs_shared
def test_001s_b2_given_seeds_keeps_every_other_run_at_42(tmp_path: Path) -> None:
    """The real 001 plan, B2's Setup line (plan:80) given `seeds 0, 1, 2` as in trial t11."""
    project = as_project("001", tmp_path)
    (project / "bridge.toml").write_text(_TOML, encoding="utf-8")
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    line = "matched param budgets (~9-10M each)\n"
    text = plan.read_text(encoding="utf-8")
    assert text.count(line) == 1
    plan.write_text(text.replace(line, line.rstrip() + "; seeds 0, 1, 2\n"), encoding="utf-8")
    loaded = load_project(project)
    seeds = {r.id: r.params.get("seed") for r in loaded.runs if not r.task}
    assert {i for i, s in seeds.items() if s != "42"} == {"R005", "R006"}, seeds
    assert (seeds["R005"], seeds["R006"]) == ("0", "0")
    (said,) = [w for w in loaded.warnings if w.message.startswith("blocks write different")]
    assert (said.file, said.line) == ("refine-logs/EXPERIMENT_PLAN.md", 64)
    assert ": R001, R007, R008, R009, R010, R011, R012, R013, … belong to none" in said.message


def test_bridge_toml_seed_warning_points_at_the_line_of_the_seed_taken(tmp_path: Path) -> None:
    """bridge.toml's seed 7 beside B1's 42 and B2's 0, 1, 2: each warning names the line that
    states the seed its rows take. B2's 0 was said to be stated at B1's `Seed: 42` line
    (review r34)."""
    _, warnings = _seeds(tmp_path, "; seeds 0, 1, 2", _TOML.replace('seed = "0"', 'seed = "7"'))
    said = sorted(w for w in warnings if w.startswith("bridge.toml sets seed 7"))
    assert len(said) == 2, said
    assert "the plan states seed 0 (refine-logs/EXPERIMENT_PLAN.md:21): R004 launch" in said[0]
    assert "the plan states seed 42 (refine-logs/EXPERIMENT_PLAN.md:12): R001, R002" in said[1]
