"""
End to end on the real 001 plan (trial t9): its seeds edited after every run ran at 42.

B1 writes `- Seed: 42 (run 3 seeds only if margins are tight)` (EXPERIMENT_PLAN.md:64), the only
seed the plan writes, and every run of every block launched at 42. Edited to
`- Seeds: 42, 43, 44`, the plan had no one seed any more: every run fell back to the
`args = { seed = "0" }` that `bridge init` writes (`seed: 42 → (unset)`, and `bridge retry
--changed` re-ran all 14 at `--seed 0`), a seed the plan never states, while the warning said
B1's rows ran "without one".

Then R002-R004 given seeds 42, 43, 44 in the tracker: `bridge run` set each one run aside and
ran its seed 42 again as R00x-s42 (~19 GPU-h by the plan's estimates), with nothing said
beforehand, and the reason said the row was split "in the plan"; now each one's result stands
for its seed 42's run, and only seeds 43 and 44 run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bridge import Bridge, Stage
from bridge.cli import main
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

# Each run writes an accuracy as metrics.json and appends "<run> <seed>" to launches.txt.
_JOB = """\
import json, pathlib, sys
run, seed, out = sys.argv[1:4]
with open(pathlib.Path(__file__).with_name("launches.txt"), "a") as log:
    log.write(f"{run} {seed}\\n")
pathlib.Path(out, "metrics.json").write_text(json.dumps({"accuracy": 60.0, "loss": 0.4}))
"""

_SEED_LINE = (
    "  - Seed: 42 (run 3 seeds only if margins are tight)",
    "  - Seeds: 42, 43, 44",
)


def _launches(project: Path) -> list[str]:
    """The launches so far, ``"<run> <seed>"`` each."""
    log = project / "launches.txt"
    return log.read_text(encoding="utf-8").split() if log.exists() else []


def _ran(root: Path) -> Path:
    """001 run to the end at its seed 42 with bridge.toml's `bridge init` seed 0."""
    project = as_project("001", root)
    (project / "job.py").write_text(_JOB, encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 4\n\n[run]\n"
        f'command = ["{sys.executable}", "job.py", "{{run_id}}", "{{seed}}", "{{output_dir}}"]\n'
        'args = { seed = "0" }\n',
        encoding="utf-8",
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    launched = _launches(project)
    assert len(launched) == 2 * 14 and set(launched[1::2]) == {"42"}, launched
    return project


def _ran_then_edited(root: Path) -> Path:
    """001 run to the end at seed 42, then B1's seed line edited to three seeds."""
    project = _ran(root)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    assert _SEED_LINE[0] in text
    plan.write_text(text.replace(*_SEED_LINE), encoding="utf-8")
    return project


@needs_shared
def test_editing_one_blocks_seed_line_reseeds_no_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every run keeps seed 42 (B1's first; B2-B5, the sanity run and the unplaced runs the
    plan's): nothing is marked as run with other settings, `retry --changed` runs nothing, the
    tracker keeps `bridge: seed 42`, and the warning says B1's seedless rows run at 42."""
    project = _ran_then_edited(tmp_path / "p")
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    said = capsys.readouterr().out
    assert "seed: 42 → (unset)" not in said, said
    assert "retry --changed" not in said, said
    assert main(["retry", "--changed", "--project", str(project)]) == 2
    assert "no succeeded run's settings or code differ" in capsys.readouterr().err
    assert main(["run", "--project", str(project)]) == 0
    assert len(_launches(project)) == 2 * 14  # none ran again

    state = json.loads(_status_json(project, capsys))
    seeds = {run["id"]: run["seed"] for run in state["runs"] if run["id"].startswith("R")}
    assert set(seeds.values()) == {42}, seeds
    assert not [run["id"] for run in state["runs"] if run["kept_as_ran"]]
    tracker = (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text(encoding="utf-8")
    rows = [line for line in tracker.splitlines() if line.startswith("| R0")]
    assert len(rows) == 14 and all("bridge: seed 42;" in row for row in rows), rows

    capsys.readouterr()
    assert main(["plan", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert (
        "block B1 gives seeds 42, 43, 44, but its rows R002, R003, R004 name no seed: each runs "
        "once, at the block's first seed 42 (the other values go to the runs proposed from the "
        "plan only)"
    ) in out, out
    assert "without one" not in out


def _status_json(project: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`bridge status --json`'s output."""
    capsys.readouterr()
    assert main(["status", "--json", "--project", str(project)]) == 0
    return capsys.readouterr().out


# R002-R004's Notes as the researcher wrote them, and bridge's note on each after the run.
_NOTES = {
    "R002": "May already exist on server",
    "R003": "Re-run if prior run used different rank",
    "R004": "**STOP/GO gate**",
}


@needs_shared
def test_a_split_keeps_the_result_of_the_seed_that_ran(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """R002-R004 given seeds 42, 43, 44 after they ran at 42, nothing else changed: `bridge
    plan` says each one's result stands for its seed 42's run, and `bridge run` launches seeds
    43 and 44 only (before: it warned, set the results aside and ran R00x-s42 again, ~19 GPU-h
    by the plan's estimates). The log says whose result each is (``run.result_carried``), the
    results and the tracker say so, and `bridge verify` passes on the log."""
    project = _ran(tmp_path / "p")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").split("\n")
    for n, line in enumerate(lines):
        for run_id, notes in _NOTES.items():
            if line.startswith(f"| {run_id} |"):
                assert f"| {notes}; bridge: seed 42;" in line, line
                lines[n] = line.replace(f"| {notes};", "| seeds 42, 43, 44;", 1)
    tracker.write_text("\n".join(lines), encoding="utf-8")

    capsys.readouterr()
    assert main(["plan", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert (
        "refine-logs/EXPERIMENT_TRACKER.md:22: R002, R003, R004 already succeeded at a seed "
        "their rows are now split into in the tracker (R002 at 42 → R002-s42, R003 at 42 → "
        "R003-s42, R004 at 42 → R004-s42), with the settings and code that seed's run has: "
        "`bridge run` counts each result as that seed's run, not run again, and runs the other "
        "seeds"
    ) in " ".join(out.split()), out
    assert "runs those seeds again" not in out

    before = len(_launches(project))
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    said = capsys.readouterr().out
    launched = _launches(project)[before:]
    assert sorted(zip(launched[::2], launched[1::2], strict=True)) == [
        (f"{row}-s{seed}", seed) for row in ("R002", "R003", "R004") for seed in ("43", "44")
    ], launched
    assert "R002-s42: R002's result at seed 42, same settings, not run again" in said, said
    state = json.loads(_status_json(project, capsys))
    runs = {run["id"]: run for run in state["runs"]}
    assert runs["R002"]["reason"] == (
        "R002 (one run) was split into seeds 42, 43, 44 in the tracker; its result at seed 42 "
        "stands for R002-s42, same settings, not run again"
    )
    assert runs["R002-s42"]["status"] == "DONE", runs["R002-s42"]
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "- R002-s42: R002's result at seed 42, same settings, not run again" in results
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    carried = {r["run_id"]: r["carried_from"] for r in data["runs"] if r["carried_from"]}
    assert carried == {"R002-s42": "R002", "R003-s42": "R003", "R004-s42": "R004"}
    b1 = [a for a in data["aggregates"] if a["block"] == "B1" and a["metric"] == "accuracy"]
    assert any("R002-s42" in a["run_ids"] for a in b1), b1
    text = tracker.read_text(encoding="utf-8")
    (row,) = [line for line in text.splitlines() if line.startswith("| R002-s42 |")]
    assert "bridge: R002's result at seed 42, same settings, not run again" in row, row
    assert main(["verify", "--project", str(project)]) == 0
    # Once the split is in the log, nothing is left to say, and nothing runs again.
    capsys.readouterr()
    assert main(["plan", "--project", str(project)]) == 0
    assert "already succeeded at a seed" not in capsys.readouterr().out
    assert main(["run", "--project", str(project)]) == 0
    assert len(_launches(project)) == before + 2 * 6


# B2's Setup line (EXPERIMENT_PLAN.md:80) as written, and with seeds of its own added (trial t11).
_B2_SETUP = (
    "- **Setup details**: Same training setup as Block 1; matched param budgets (~9-10M each)",
    "- **Setup details**: Same training setup as Block 1; matched param budgets (~9-10M each); "
    "seeds 0, 1, 2",
)


@needs_shared
def test_seeds_added_to_one_block_reseed_only_its_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """001 ran to the end at B1's 42; then B2's Setup line given `seeds 0, 1, 2`. The plan
    had no one seed any more: the sanity run R001, B3-B5's runs and M6's fell to bridge.toml's
    0 (`seed: 42 → (unset)`), and `bridge run` advised `bridge retry --force R001 R007 … R014`
    (~9 GPU-h by the plan's estimates) for an edit of B2 alone. Only B2's rows R005 and R006
    change (to its first seed 0); every other run keeps 42, and `bridge plan` says why."""
    project = _ran(tmp_path / "p")
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    assert _B2_SETUP[0] in text
    plan.write_text(text.replace(*_B2_SETUP), encoding="utf-8")

    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    said = capsys.readouterr().out
    assert "(unset)" not in said, said
    changed = [line for line in said.splitlines() if "before the settings changed" in line]
    assert changed == [
        "R005, R006 succeeded before the settings changed (seed: 42 → 0; params: … seed=42, … → "
        "… seed=0, …): kept as they ran; `bridge retry --changed` runs them with the current "
        "settings."
    ], said
    state = json.loads(_status_json(project, capsys))
    seeds = {run["id"]: run["seed"] for run in state["runs"] if run["id"].startswith("R")}
    assert set(seeds.values()) == {42}, seeds  # as they ran
    kept = {run["id"]: run["kept_as_ran"] for run in state["runs"] if run["kept_as_ran"]}
    assert set(kept) == {"R005", "R006"}, kept
    assert {"field": "seed", "old": "42", "new": "0"} in kept["R005"], kept
    assert len(_launches(project)) == 2 * 14  # nothing ran again by itself

    capsys.readouterr()
    assert main(["plan", "--project", str(project)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert (
        "warning refine-logs/EXPERIMENT_PLAN.md:64: blocks write different seeds (B1: 42 at "
        "refine-logs/EXPERIMENT_PLAN.md:64; B2: 0, 1, 2 at refine-logs/EXPERIMENT_PLAN.md:80): "
        "R001, R007, R008, R009, R010, R011, R012, R013, … belong to none of them and run at 42, "
        "the seed of B1, the first block that writes one"
    ) in out, out
