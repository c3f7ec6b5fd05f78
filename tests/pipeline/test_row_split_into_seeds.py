"""
A tracker row split into seeds after bridge ran it once (trial t6 on 012: R004 ran at the
default seed, then its Notes were given "seeds 1103, 1104, 1105"): the row's runs are the seeds'
runs now. The one run it had is ruled out with its reason, its result kept in the log, and it
is counted nowhere: not in the block's aggregate, nor in its verdict.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bridge import Bridge, Stage
from bridge.cli import main
from bridge.events.store import SQLiteEventStore
from bridge.machine.stages import RunState
from bridge.pipeline.steps.sanity import log_tail
from tests.conftest import SHARED, needs_shared
from tests.e2e.tiny import SCRIPT, write_project
from tests.pipeline.conftest import REPO_ROOT
from tests.plan.corpus import as_project

# The tiny script, its accuracy moved by the seed: the run at seed 0 (0.5) and those at seeds
# 1, 2, 3 (0.51, 0.52, 0.53) give another mean and count together than apart.
_SEEDED = SCRIPT.replace(
    'acc = {"baseline": 0.5, "method": 0.8}[a.model]',
    'acc = {"baseline": 0.5, "method": 0.8}[a.model] + a.seed / 100\n'
    'with open("launches.txt", "a") as _log:\n'
    '    _log.write(f"{a.model} {a.seed}\\n")',
)

_REASON = (
    "R002 (one run) was split into seeds 1, 2, 3 in the tracker; its earlier result is kept in "
    "the log, not counted"
)


def _split_r002(project: Path, notes: str) -> None:
    """Bridge's tracker after a run, R002's "seed 0" (the researcher's part) replaced."""
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").split("\n")
    (n,) = [n for n, line in enumerate(lines) if line.startswith("| R002 ")]
    # Bridge's part of the Notes follows "; " ("；" on a Chinese plan).
    assert "| seed 0" in lines[n], lines[n]
    lines[n] = lines[n].replace("| seed 0", f"| {notes}", 1)
    tracker.write_text("\n".join(lines), encoding="utf-8")


def _ran_once_then_split(root: Path, notes: str, toml_extra: str = "") -> Path:
    project = write_project(root, toml_extra=toml_extra)
    assert _SEEDED != SCRIPT
    (project / "train.py").write_text(_SEEDED, encoding="utf-8")
    assert main(["run", "--project", str(project)]) == 0
    _split_r002(project, notes)
    return project


def test_the_run_of_a_row_split_into_seeds_is_ruled_out_not_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: Baseline's accuracy 0.515 (n=4), R002's 0.5 beside R002-s1..s3."""
    project = _ran_once_then_split(tmp_path / "p", "seeds 1, 2, 3")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        runs = bridge.status().runs
    finally:
        bridge.close()
    old = runs["R002"]
    assert old.state is RunState.OUT_OF_SCOPE
    assert old.reason == _REASON
    assert old.metrics is not None  # its result is kept in the log
    for seed in (1, 2, 3):
        assert runs[f"R002-s{seed}"].state is RunState.SUCCEEDED

    results = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    (baseline,) = [
        a for a in results["aggregates"] if a["system"] == "Baseline" and a["metric"] == "accuracy"
    ]
    assert baseline["run_ids"] == ["R002-s1", "R002-s2", "R002-s3"]
    assert baseline["n"] == 3
    assert baseline["mean"] == pytest.approx(0.52)
    # results.json says set aside as every other view does (it read only out_of_scope, t14).
    set_aside = {r["run_id"]: r["set_aside"] for r in results["runs"]}
    assert {r for r, aside in set_aside.items() if aside} == {"R002"}
    markdown = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert f"R002 — set aside: {_REASON}" in markdown
    assert "0.52" in markdown and "0.515" not in markdown

    capsys.readouterr()
    assert main(["status", "--json", "--project", str(project)]) == 0
    said = capsys.readouterr().out
    assert _REASON in said, said


def _launched(project: Path) -> list[str]:
    """Each launch of the seeded script so far, ``"<model> <seed>"``."""
    log = project / "launches.txt"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_a_split_keeps_the_result_of_the_seed_that_ran(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The old run's seed 0 is one of the new seeds, nothing else changed: R002's result
    stands for R002-s0, which is not launched; only seed 1 runs. Before, R002-s0 ran seed 0
    again and R002's result was set aside."""
    project = _ran_once_then_split(tmp_path / "p", "seeds 0, 1")
    ran = _launched(project)
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert _launched(project)[len(ran) :] == ["baseline 1"], _launched(project)
    assert "R002-s0: R002's result at seed 0, same settings, not run again" in out, out
    bridge = Bridge(project)
    try:
        runs = bridge.status().runs
    finally:
        bridge.close()
    assert runs["R002"].state is RunState.OUT_OF_SCOPE
    assert runs["R002"].reason == (
        "R002 (one run) was split into seeds 0, 1 in the tracker; its result at seed 0 stands "
        "for R002-s0, same settings, not run again"
    )
    carried = runs["R002-s0"]
    assert carried.state is RunState.SUCCEEDED
    assert carried.carried is not None and carried.carried.from_run == "R002"
    (attempt,) = carried.attempts
    assert attempt.attempt_id == runs["R002"].attempts[-1].attempt_id
    assert attempt.gpu_seconds == 0.0
    results = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    (baseline,) = [
        a for a in results["aggregates"] if a["system"] == "Baseline" and a["metric"] == "accuracy"
    ]
    assert baseline["run_ids"] == ["R002-s0", "R002-s1"]
    assert baseline["mean"] == pytest.approx(0.505)
    markdown = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "- R002-s0: R002's result at seed 0, same settings, not run again" in markdown
    assert main(["verify", "--project", str(project)]) == 0
    # The next command launches nothing: the carried run stays succeeded.
    assert main(["run", "--project", str(project)]) == 0
    assert len(_launched(project)) == len(ran) + 1


@pytest.mark.parametrize("edit", ["settings", "code"])
def test_a_split_with_other_settings_runs_the_seed_again(tmp_path: Path, edit: str) -> None:
    """Seed 0's run would not run what R002 ran (its learning rate, or train.py, edited with
    the split): R002's result is set aside and seed 0 runs again, as the reason says."""
    project = _ran_once_then_split(tmp_path / "p", "seeds 0, 1")
    if edit == "settings":
        toml = project / "bridge.toml"
        toml.write_text(toml.read_text().replace("--lr 0.1", "--lr 0.2"), encoding="utf-8")
    else:
        script = project / "train.py"
        script.write_text(script.read_text() + "\n# edited\n", encoding="utf-8")
    ran = _launched(project)
    assert main(["run", "--project", str(project)]) == 0
    assert sorted(_launched(project)[len(ran) :]) == ["baseline 0", "baseline 1"]
    bridge = Bridge(project)
    try:
        runs = bridge.status().runs
    finally:
        bridge.close()
    assert runs["R002"].state is RunState.OUT_OF_SCOPE
    assert runs["R002"].reason == (
        "R002 (one run) was split into seeds 0, 1 in the tracker; its earlier result is kept "
        "in the log, not counted; its seed 0 runs again as R002-s0"
    )
    assert runs["R002-s0"].carried is None


def test_a_chinese_plan_says_why_in_chinese(tmp_path: Path) -> None:
    """Before: ``- R002 — 不在范围内: R002 (one run) was split …``, English amid Chinese."""
    project = _ran_once_then_split(tmp_path / "p", "seeds 1, 2, 3", 'language = "zh"')
    assert main(["run", "--project", str(project)]) == 0
    said = (
        "- R002 — 已搁置: R002（单个运行）已在追踪表中拆分为种子 1, 2, 3；"
        "其先前结果保留在日志中，不计入"
    )
    for name in ("EXPERIMENT_RESULTS.md", "EXPERIMENT_TRACKER.md"):
        text = (project / "refine-logs" / name).read_text(encoding="utf-8")
        assert said in text, name


_TWO_SEEDS = "| R004 | M1 | baseline | Baseline | test | accuracy | MUST | TODO | seeds 7, 8 |"


def _split_then_one_seed(root: Path, toml_extra: str = "") -> Path:
    """The tiny project with R004 "seeds 7, 8" run (R004-s7, R004-s8), then its Notes cut
    back to "seed 7" in bridge's tracker, as the researcher edits it."""
    project = write_project(root, toml_extra=toml_extra)
    (project / "train.py").write_text(_SEEDED, encoding="utf-8")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(tracker.read_text(encoding="utf-8") + _TWO_SEEDS + "\n", encoding="utf-8")
    assert main(["run", "--project", str(project)]) == 0
    text = tracker.read_text(encoding="utf-8")
    (row,) = [line for line in text.split("\n") if line.startswith("| R004 ")]
    assert "| DONE | seeds 7, 8 |" in row, row  # bridge's DONE, written for the seeds' runs
    tracker.write_text(text.replace("| seeds 7, 8 |", "| seed 7 |"), encoding="utf-8")
    return project


def test_a_split_undone_runs_the_row_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review r33 (item 5) and trial t10 on 002 (R007 "seeds 42, 43" back to "seeds 42"):
    R004-s7 and R004-s8 were ruled out as "removed from the tracker after it ran" (the row was
    there), R004 read the DONE bridge itself wrote on the row as done before bridge, and B1 was
    "inconclusive — runs not run by bridge, no numbers in the log: R004". R004 is the row's
    one run again, and the seeds' runs say the split was undone: R004-s7 ran what R004 would
    run, so its result stands for R004, which is not launched (before, R004 ran seed 7 again)."""
    project = _split_then_one_seed(tmp_path / "p")
    ran = _launched(project)
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert _launched(project) == ran, _launched(project)
    assert "removed from the tracker" not in out, out
    assert "done before bridge" not in out, out
    assert "R004: R004-s7's result at seed 7, same settings, not run again" in out, out
    bridge = Bridge(project)
    try:
        runs = bridge.status().runs
    finally:
        bridge.close()
    assert runs["R004"].state is RunState.SUCCEEDED, runs["R004"].reason
    assert runs["R004"].spec.seed == 7 and len(runs["R004"].attempts) == 1
    assert runs["R004"].carried is not None and runs["R004"].carried.from_run == "R004-s7"
    assert runs["R004-s7"].state is RunState.OUT_OF_SCOPE
    assert runs["R004-s7"].reason == (
        "R004-s7 (seed 7 of R004): R004 is one run again in the plan, no longer split into "
        "seeds; its result stands for R004, same settings, not run again"
    )
    assert runs["R004-s8"].reason == (
        "R004-s8 (seed 8 of R004): R004 is one run again in the plan, no longer split into "
        "seeds; its result is kept in the log, not counted"
    )
    results = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    (baseline,) = [
        a for a in results["aggregates"] if a["system"] == "Baseline" and a["metric"] == "accuracy"
    ]
    assert baseline["run_ids"] == ["R002", "R004"]
    assert baseline["mean"] == pytest.approx(0.535)
    # `bridge status` says them set aside, as their reason does: its bar read "2 out of scope"
    # and its table SKIPPED (trial t12 on 018).
    capsys.readouterr()
    assert main(["status", "--project", str(project)]) == 0
    shown = capsys.readouterr().out
    assert "2 set aside" in shown, shown
    assert "out of scope" not in shown, shown
    rows = [line for line in shown.splitlines() if line.startswith(("R004-s7 ", "R004-s8 "))]
    assert len(rows) == 2 and all("SET ASIDE" in row for row in rows), rows


def test_a_split_undone_says_why_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _split_then_one_seed(tmp_path / "p", 'language = "zh"')
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "R004：R004-s7 在种子 7 上的结果，设置相同，不再重新运行" in out, out
    said = (
        "- R004-s8 — 已搁置: R004-s8（R004 的种子 8）：R004 在计划中已恢复为单个运行，"
        "不再拆分为种子；其结果保留在日志中，不计入"
    )
    carried = (
        "- R004-s7 — 已搁置: R004-s7（R004 的种子 7）：R004 在计划中已恢复为单个运行，"
        "不再拆分为种子；其结果即 R004 的结果，设置相同，不再重新运行"
    )
    for name in ("EXPERIMENT_RESULTS.md", "EXPERIMENT_TRACKER.md"):
        text = (project / "refine-logs" / name).read_text(encoding="utf-8")
        assert said in text, name
        assert carried in text, name
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "- R004: R004-s7 在种子 7 上的结果，设置相同，不再重新运行" in results, results
    tracker = (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text(encoding="utf-8")
    (row,) = [line for line in tracker.splitlines() if line.startswith("| R004 |")]
    assert "bridge：R004-s7 在种子 7 上的结果，设置相同，不再重新运行" in row, row


def test_a_run_ruled_out_for_its_row_is_not_said_retried(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial t10 on 002: `R007-s42 retry: R007-s42 was removed from the tracker after it ran …`
    before the line ruling it out: the step back to pending is no retry."""
    project = _split_then_one_seed(tmp_path / "p")
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    lines = [line.split(" ", 1)[-1] for line in capsys.readouterr().out.splitlines()]
    assert not [line for line in lines if line.startswith("R004-s") and " retry: " in line]
    assert any(line.startswith("R004-s8 set aside, not counted: R004-s8 (seed 8") for line in lines)


# Every run of 002 succeeds with its sanity verdict and one number.
_JOB_002 = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"pass": 1, "final quality": 0.6}))
"""


def _seeds_of_r007(project: Path, seeds: str) -> None:
    """R007's Notes as the researcher edits them in bridge's tracker: ``seeds`` before bridge's
    part (or in place of the seeds written before)."""
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").split("\n")
    (n,) = [n for n, line in enumerate(lines) if line.startswith("| R007 ")]
    notes = lines[n].split(" | ")[-1]
    assert notes.startswith("Matched comparator for R006; "), notes
    researcher = notes.split("; bridge: ")[0]
    lines[n] = lines[n].replace(researcher, f"Matched comparator for R006; {seeds}", 1)
    tracker.write_text("\n".join(lines), encoding="utf-8")


@needs_shared
def test_002_a_row_split_into_seeds_is_set_aside_not_out_of_scope(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """002 (trial t10), `seeds 42, 43` added to R007's Notes after it ran: `Must-run completed:
    10/10 (1 more is out of scope in the tracker, not counted: R007)`, `R007 out of scope, not
    run: …` and `R007 retry: …` printed, and B1's Runs line still listed R007 among the runs
    shared from other blocks. Nobody marked R007 out of scope: it is set aside, split into
    seeds. Back to `seeds 42`, the seeds' runs printed `R007-s42 retry: R007-s42 was removed
    …`: they are set aside too, not run again."""
    project = as_project("002", tmp_path / "p")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    for held in ("**GATE FAILED**", "**PAUSED**", "**BLOCKED**"):
        text = text.replace(f"| {held} |", "| TODO |")
    tracker.write_text(text, encoding="utf-8")
    (project / "job.py").write_text(_JOB_002, encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 2\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", "{{seed}}", "{{output_dir}}"]\n'
        'args = { seed = "42" }\n',
        encoding="utf-8",
    )
    assert main(["run", "--project", str(project)]) == 0
    _seeds_of_r007(project, "seeds 42, 43")
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "R007 retry:" not in out, out
    assert "R007 set aside, not counted: R007 (one run) was split into seeds 42, 43" in out, out
    # 002's B4 "Simplicity Check" has its run, R011 (Purpose "simplicity check"): no block
    # without a run is said beside the count (it was, trial h42A F1).
    assert "(1 more is set aside, split into seeds, not counted: R007)" in out, out
    assert "out of scope" not in out.split("Must-run completed")[1].split("\n")[0], out
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    must = data["summary"]["must_run"]
    assert (must["split_into_seeds"], must["out_of_scope"]) == (["R007"], [])
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    runs_lines = [line for line in results.splitlines() if line.startswith("- **Runs:**")]
    assert runs_lines and not any("R007," in line or "R007)" in line for line in runs_lines), (
        runs_lines
    )
    assert "- R007 — set aside: R007 (one run) was split into seeds 42, 43" in results

    _seeds_of_r007(project, "seeds 42")
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "R007-s42 retry:" not in out and "R007-s43 retry:" not in out, out
    # The split undone (h89), not a row removed.
    assert "R007-s42 set aside, not counted: R007-s42 (seed 42 of R007): R007 is one" in out, out
    assert (
        "(2 more are set aside, no longer in the plan, not counted: R007-s42, R007-s43)" in out
    ), out


# 018's arms write their task success (the plan's metric) by system.
_JOB_018 = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
rate = {"fixed": 0.4, "policy-only": 0.45, "Harness-only": 0.44, "joint": 0.52}
(out / "metrics.json").write_text(json.dumps({"task_success": rate.get(sys.argv[1], 0.5)}))
"""


def _seed_cell_018(project: Path, seeds: str) -> None:
    """JPH-B2-FX-S0's Seed cell (the fourth) set to ``seeds``, as the researcher edits it."""
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").split("\n")
    (n,) = [n for n, x in enumerate(lines) if x.startswith("| JPH-B2-FX-S0 |")]
    cells = lines[n].split("|")
    cells[4] = f" {seeds} "
    lines[n] = "|".join(cells)
    tracker.write_text("\n".join(lines), encoding="utf-8")


@needs_shared
def test_018_a_seed_split_undone_leaves_the_main_milestone_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """018 (trial t11, defect 6): JPH-B2-FX-S0's Seed `0, 1, 2` placed -s1 and -s2 in M4 (its
    Runs cell `四臂 seeds 0–2`); back to `0`, they are set aside, yet M4 read `(B2)` and the
    headline `主要结果（M4）：无定论 — B2 …`: the single-seed M3 pilot stood for the 3-seed
    decisive result. Before the split it said M4 has nothing to judge; so it does after."""
    project = Path(shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", tmp_path / "p"))
    (project / "job.py").write_text(_JOB_018, encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", '
        '"{system}", "{seed}", "{output_dir}"]\n'
        'gpus = 0\nargs = { seed = "0" }\n',
        encoding="utf-8",
    )
    empty = "主要结果（M4）：无定论，计划中没有实验块或运行属于 M4，无可判定"
    # 1: the tracker says five must-run rows ended invalid before bridge.
    assert main(["run", "--project", str(project)]) == 1
    assert empty in capsys.readouterr().out
    _seed_cell_018(project, "0, 1, 2")
    assert main(["run", "--project", str(project)]) == 1
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    (m4,) = [m for m in data["milestones"] if m["milestone"] == "M4"]
    assert m4["runs"] == ["JPH-B2-FX-S0-s1", "JPH-B2-FX-S0-s2"], m4
    _seed_cell_018(project, "0")
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 1
    out = capsys.readouterr().out
    assert "JPH-B2-FX-S0-s1 已搁置" in out, out
    assert empty in out, out
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    (m4,) = [m for m in data["milestones"] if m["milestone"] == "M4"]
    assert (m4["blocks"], m4["runs"]) == ([], []), m4
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "### M4: 3-seed 决定性实验\n" in results
    assert "(M4：计划中没有实验块或运行属于 M4，无可判定)" in results
    # Still listed once, with why, among the runs bridge did not launch.
    assert "- JPH-B2-FX-S0-s1 — 已搁置: " in results


# The tiny tracker with a Seed column and no Notes column (027's and 032's layout): bridge's
# notes on its runs go below the tracker, so the row carries no "bridge:" part to say it ran.
_SEED_COLUMN = """# Experiment Tracker

| Run ID | Milestone | Purpose | System / Variant | Split | Metrics | Priority | Seed | Status |
|---|---|---|---|---|---|---|---|---|
| R001 | M0 | sanity | Method | test | accuracy | MUST | 0 | TODO |
| R002 | M1 | baseline | Baseline | test | accuracy | MUST | 0 | {status} |
| R003 | M1 | main | Method | test | accuracy | MUST | 0 | TODO |
"""


def _seed_cell_r002(project: Path, seeds: str) -> str:
    """R002's Seed cell set to ``seeds`` in the tracker as it is now; returns its Status."""
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").split("\n")
    (n,) = [n for n, line in enumerate(lines) if line.startswith("| R002 ")]
    cells = lines[n].split("|")
    assert cells[8].strip() == "0", lines[n]
    cells[8] = f" {seeds} "
    lines[n] = "|".join(cells)
    tracker.write_text("\n".join(lines), encoding="utf-8")
    return cells[9].strip()


def _baseline_launches(project: Path) -> dict[int, int]:
    """How many times the tiny script ran Baseline, by seed (one marker file a launch)."""
    launches: dict[int, int] = {}
    for marker in (project / "markers").iterdir():
        model, seed, _ = marker.name.split("-")
        if model == "baseline":
            launches[int(seed)] = launches.get(int(seed), 0) + 1
    return launches


def _split_by_seed_cell(root: Path, status: str, toml_extra: str = "") -> Path:
    """The tiny project with a Seed column, R002's Status ``status``: run once, then R002's
    Seed cell ``0`` → ``1, 2`` and run again."""
    project = write_project(root, toml_extra=toml_extra)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(_SEED_COLUMN.format(status=status), encoding="utf-8")
    assert main(["run", "--project", str(project)]) == 0
    _seed_cell_r002(project, "1, 2")
    assert main(["run", "--project", str(project)]) == 0
    return project


def test_a_row_bridge_ran_split_through_its_seed_cell_runs_its_seeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial t13 on 032 (E06's Seeds 1 → 2) and 027 (R-L3's 3407 → 3407/3408): the DONE bridge
    wrote on the row was read as the researcher's for each seed's run, `E06-s0, E06-s1 done
    before bridge, not run: ✅`, nothing launched and both counted as completed. Split through a
    Notes cell the row carries bridge's "bridge:" part and its seeds ran; through the Seed cell
    they run too."""
    project = write_project(tmp_path / "p")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(_SEED_COLUMN.format(status="TODO"), encoding="utf-8")
    assert main(["run", "--project", str(project)]) == 0
    assert _baseline_launches(project) == {0: 1}
    assert _seed_cell_r002(project, "1, 2") == "DONE"  # bridge's word for R002
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "done before bridge" not in out, out
    assert _baseline_launches(project) == {0: 1, 1: 1, 2: 1}
    bridge = Bridge(project)
    try:
        runs = bridge.status().runs
    finally:
        bridge.close()
    for seed in (1, 2):
        run = runs[f"R002-s{seed}"]
        assert run.state is RunState.SUCCEEDED and len(run.attempts) == 1, run.reason
    assert runs["R002"].state is RunState.OUT_OF_SCOPE
    results = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    (baseline,) = [
        a for a in results["aggregates"] if a["system"] == "Baseline" and a["metric"] == "accuracy"
    ]
    assert baseline["run_ids"] == ["R002-s1", "R002-s2"]


def test_a_chinese_row_bridge_ran_split_through_its_seed_cell_runs_its_seeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """027 (trial t13), a Chinese plan: `R-L3-s3407、R-L3-s3408 运行前已完成，不运行: DONE`
    beside `R-L3 已搁置…；其种子 3407 作为 R-L3-s3407 重新运行`."""
    project = _split_by_seed_cell(tmp_path / "p", "TODO", 'language = "zh"')
    out = capsys.readouterr().out
    assert "运行前已完成" not in out, out
    assert "R002-s1 已启动" in out and "R002-s2 已启动" in out, out
    assert _baseline_launches(project) == {0: 1, 1: 1, 2: 1}


def test_a_row_done_before_bridge_split_into_seeds_stays_done_before_bridge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The researcher's DONE on a row bridge never ran is theirs: split, its seeds' runs are
    done before bridge, as before, and none launches."""
    project = _split_by_seed_cell(tmp_path / "p", "DONE")
    out = capsys.readouterr().out
    assert "R002-s1, R002-s2 done before bridge, not run: DONE" in out, out
    assert not (project / "markers").exists() or _baseline_launches(project) == {}
    bridge = Bridge(project)
    try:
        runs = bridge.status().runs
    finally:
        bridge.close()
    assert {runs[f"R002-s{seed}"].state for seed in (1, 2)} == {RunState.DONE_BEFORE}


@pytest.mark.parametrize(
    ("status", "said"),
    [
        ("TODO", "first to launch: R002-s1 (Baseline), R002-s2 (Baseline)"),
        ("DONE", "2 the tracker says are done or ended before bridge (R002-s1, R002-s2)"),
    ],
)
def test_bridge_plan_says_the_seeds_of_a_row_bridge_ran_launch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], status: str, said: str
) -> None:
    """`bridge plan` between the split and `bridge run` (027, trial t13): `最先启动：无` and R-L3's
    seeds among the runs "the tracker says are done or ended before bridge". A row bridge ran
    (TODO at first) launches its seeds; one the researcher marked DONE stays done before bridge."""
    project = write_project(tmp_path / "p")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(_SEED_COLUMN.format(status=status), encoding="utf-8")
    assert main(["run", "--project", str(project)]) == 0
    assert _seed_cell_r002(project, "1, 2") == "DONE"
    capsys.readouterr()
    assert main(["plan", "--project", str(project)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert said in out, out
    if status == "TODO":
        assert "done or ended before bridge" not in out, out


# Every run of 032 writes the plan's violation rate, and its seed as a file name to count
# launches by.
_JOB_032 = """\
import json, pathlib, sys
run_id, seed, out = sys.argv[1:4]
out = pathlib.Path(out)
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"AggViol": 0.05}))
launched = pathlib.Path("launched")
launched.mkdir(exist_ok=True)
with open(launched / f"{run_id}@{seed}", "a") as marker:
    marker.write("x")
"""


@needs_shared
def test_032_a_row_split_through_its_seeds_cell_runs_both_seeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """032 (trial t13): E06 ran under bridge, which wrote ✅ (the tracker's legend word for
    Complete) on its row; its Seeds cell then 1 → 2 printed `E06-s0, E06-s1 done before bridge,
    not run: ✅`, counted both completed and launched neither. They are bridge's to run now."""
    project = as_project("032", tmp_path / "p")
    (project / "job.py").write_text(_JOB_032, encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 4\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", "{{run_id}}", "{{seed}}", '
        '"{output_dir}"]\nargs = { seed = "0" }\n',
        encoding="utf-8",
    )
    assert main(["run", "--project", str(project)]) == 0
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    row = "| E06 | Robustness: jailbreak eval | Qwen-2.5-3B | 6 | 1 | ✅ |"
    assert row in text, text
    # h39D F9: a row naming three seeds has no Result cell of its own (E02's stays "—"), so its
    # runs' lines under "Notes by bridge" say what each measured; they read "exit 0" alone.
    assert "| E02 | 2-org MVP: FedAvg vs Ours | Qwen-2.5-3B | 2 | 3 | ✅ | — |" in text, text
    for seed in range(3):
        said = f"- E02-s{seed}: bridge: seed {seed}; attempt 1 on "
        (noted,) = [line for line in text.splitlines() if line.startswith(said)]
        assert noted.endswith("; exit 0; measured AggViol = 0.05"), noted
    # E01, one run, has its Result cell, and its line says it no second time.
    assert "| E01 | Synthetic quadratic toy | N/A | 2 | 1 | ✅ | AggViol = 0.05 |" in text, text
    (noted,) = [line for line in text.splitlines() if line.startswith("- E01: bridge: ")]
    assert "measured" not in noted, noted
    tracker.write_text(text.replace(row, row.replace("| 6 | 1 |", "| 6 | 2 |")), encoding="utf-8")
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "done before bridge" not in out, out
    # Seed 1 is new: launched once. Seed 0 is the one E06 ran at: whether it runs again or
    # keeps E06's result, it is bridge's run, never "done before bridge".
    assert (project / "launched" / "E06-s1@1").read_text(encoding="utf-8") == "x"
    bridge = Bridge(project)
    try:
        runs = bridge.status().runs
    finally:
        bridge.close()
    assert {runs[f"E06-s{seed}"].state for seed in (0, 1)} == {RunState.SUCCEEDED}


@pytest.mark.parametrize(
    "point",
    [
        "before:run.result_carried:run:R002-s0",
        "after:run.result_carried:run:R002-s0",
        "before:run.ruled_out:run:R002",
    ],
)
def test_a_carried_result_is_recorded_once_when_killed(tmp_path: Path, point: str) -> None:
    """SIGKILLed at the carry (before or after it is stored), or between it and R002 set
    aside, then run again: R002-s0 takes R002's result exactly once and never launches."""
    project = _ran_once_then_split(tmp_path / "p", "seeds 0, 1")
    ran = _launched(project)
    env = dict(os.environ) | {"PYTHONPATH": str(REPO_ROOT)}
    killed = subprocess.run(
        [sys.executable, "-m", "tests.pipeline.crashing", str(project), point],
        env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert main(["run", "--project", str(project)]) == 0
    assert _launched(project)[len(ran) :] == ["baseline 1"], _launched(project)
    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        carried = [r.event for r in store.read("run:R002-s0") if r.type == "run.result_carried"]
        ruled_out = [r for r in store.read("run:R002") if r.type == "run.ruled_out"]
    finally:
        store.close()
    assert [(e.run_id, e.from_run) for e in carried] == [("R002-s0", "R002")]
    assert len(ruled_out) == 1
    assert main(["verify", "--project", str(project)]) == 0


def _status(project: Path) -> dict[str, Any]:
    bridge = Bridge(project)
    try:
        return dict(bridge.status().runs)
    finally:
        bridge.close()


def _baseline_accuracy(project: Path) -> tuple[list[str], float]:
    results = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    (baseline,) = [
        a for a in results["aggregates"] if a["system"] == "Baseline" and a["metric"] == "accuracy"
    ]
    return baseline["run_ids"], baseline["mean"]


def test_a_carried_result_stands_when_the_metrics_settings_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review r35 (item 1): a `[metrics]` edit reads every succeeded run's outputs again. R002-s0
    holds R002's attempt, whose files are in R002's folder; before, they were looked for in
    R002-s0's, nothing was read, and bridge recorded that: "must-run runs recorded no metric
    value: R002-s0", M1 inconclusive ("Baseline accuracy has 1 of 2"), advice to retry it."""
    project = _ran_once_then_split(tmp_path / "p", "seeds 0, 1")
    assert main(["run", "--project", str(project)]) == 0
    before = _status(project)["R002-s0"]
    assert before.carried is not None and before.metrics is not None
    toml = project / "bridge.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'files = ["metrics.json"]' in text
    toml.write_text(
        text.replace('files = ["metrics.json"]', 'files = ["metrics.json", "*.json"]'),
        encoding="utf-8",
    )
    ran = _launched(project)
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert _launched(project) == ran
    assert "recorded no metric value" not in out, out
    assert "Main result (M1): positive" in out, out
    after = _status(project)["R002-s0"]
    assert after.state is RunState.SUCCEEDED and after.carried == before.carried
    assert after.metrics is not None
    assert [(v.run_id, v.name, v.value) for v in after.metrics.values] == [
        (v.run_id, v.name, v.value) for v in before.metrics.values
    ]
    run_ids, mean = _baseline_accuracy(project)
    assert run_ids == ["R002-s0", "R002-s1"] and mean == pytest.approx(0.505)
    # Its log, as a rescue or a failure signature reads it, is R002's attempt's too.
    tail = log_tail(project, after)
    assert "loss=0.5" in tail and tail == log_tail(project, _status(project)["R002"])


def test_a_split_undone_gives_the_row_its_own_result_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review r35 (item 2): R002's Notes "seed 0" → "seeds 0, 1" → "seed 0". R002-s0 held R002's
    result while the row was split; the row's run takes its own attempt back. Before, R002
    held a 0-GPU copy of it said to be "R002-s0's result at seed 0"."""
    project = _ran_once_then_split(tmp_path / "p", "seeds 0, 1")
    assert main(["run", "--project", str(project)]) == 0
    own = _status(project)["R002"].attempts
    ran = _launched(project)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").split("\n")
    (n,) = [n for n, line in enumerate(lines) if line.startswith("| R002 ")]
    assert "| seeds 0, 1" in lines[n], lines[n]
    lines[n] = lines[n].replace("| seeds 0, 1", "| seed 0", 1)
    tracker.write_text("\n".join(lines), encoding="utf-8")
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert _launched(project) == ran
    assert "R002-s0's result" not in out, out
    assert "R002: its own result at seed 0, same settings, not run again" in out, out
    runs = _status(project)
    r002 = runs["R002"]
    assert r002.state is RunState.SUCCEEDED and r002.carried is None
    assert r002.attempts == own  # its own view: its GPU time, its numbers under its id
    assert r002.metrics is not None and {v.run_id for v in r002.metrics.values} == {"R002"}
    assert "R002-s0" not in r002.reason
    assert runs["R002-s0"].state is RunState.OUT_OF_SCOPE
    run_ids, mean = _baseline_accuracy(project)
    assert run_ids == ["R002"] and mean == pytest.approx(0.5)
    for name in ("EXPERIMENT_RESULTS.md", "EXPERIMENT_TRACKER.md"):
        text = (project / "refine-logs" / name).read_text(encoding="utf-8")
        assert "R002-s0's result" not in text, name


_LOSS = '\n[[metrics.regex]]\nname = "loss"\npattern = "loss=([0-9.]+)"\n'


@pytest.mark.parametrize(("before", "after"), [('runs = ["R00?"]', ""), ("", 'runs = ["R002-s*"]')])
def test_a_carried_result_is_read_with_the_rules_of_either_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: str, after: str
) -> None:
    """R002-s0 holds R002's attempt: its numbers are read again from R002's folder at a
    `[metrics]` edit, with the `[[metrics.regex]]` rules limited to either run. Before, a rule
    meant for R002 (`runs = ["R00?"]`, the plan's runs as first written) was matched against
    R002-s0 alone, and its `loss` went missing from R002-s0 at the first `[metrics]` edit. A
    rule limited to R002-s0 (written after the split) reads R002's files for it too."""
    project = write_project(tmp_path / "p")
    (project / "train.py").write_text(_SEEDED, encoding="utf-8")
    toml = project / "bridge.toml"
    if before:
        toml.write_text(toml.read_text(encoding="utf-8") + _LOSS + before + "\n", "utf-8")
    assert main(["run", "--project", str(project)]) == 0
    _split_r002(project, "seeds 0, 1")
    assert main(["run", "--project", str(project)]) == 0
    text = toml.read_text(encoding="utf-8").replace(
        'files = ["metrics.json"]', 'files = ["metrics.json", "*.json"]'
    )
    toml.write_text(text + (_LOSS + after + "\n" if after else ""), encoding="utf-8")
    ran = _launched(project)
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    assert _launched(project) == ran
    carried = _status(project)["R002-s0"]
    assert carried.carried is not None and carried.carried.from_run == "R002"
    assert carried.metrics is not None
    values = {v.name: v.value for v in carried.metrics.values}
    assert values.get("loss") == pytest.approx(0.5), values
    # Limited to runs of the plan: R003's own numbers take the rule as before.
    r003 = _status(project)["R003"].metrics
    assert r003 is not None
    assert ("loss" in {v.name for v in r003.values}) == bool(before)


def _025_with_seeds(root: Path) -> Path:
    """025 (no tracker file: its runs are the plan's own table) with a Seed column before the
    Status, no seed written, the ❌ rows "Not started" by a legend, and a command per seed."""
    from tests.plan.corpus import as_project

    project = as_project("025", root)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    header = "| 编号 | 名称 | 优先级 | 内容 | 状态 |\n|------|------|--------|------|------|\n"
    assert header in text and "| 🔄 4B完成, 其余训练中 |" in text
    text = text.replace(
        header,
        "## Status Legend: ❌ Not started\n\n| 编号 | 名称 | 优先级 | 内容 | Seed | 状态 |\n"
        "|------|------|--------|------|------|------|\n",
    ).replace("| 🔄 4B完成, 其余训练中 |", "| ❌ |")
    for row in ("E-rag-sft", "E-main", "A1", "A2", "A3", "A4"):
        head, _, rest = text.partition(f"| **{row}** |")
        line, _, tail = rest.partition("\n")
        cells = line.split("|")
        text = f"{head}| **{row}** |{'|'.join([*cells[:-2], '  ', *cells[-2:]])}\n{tail}"
    plan.write_text(text, encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\n\n[run]\ncommand = \"sh -c 'echo seed {seed}'\"\n"
        'args = { seed = "0" }\n',
        encoding="utf-8",
    )
    return project


def _a3_seeds(project: Path, seeds: str) -> None:
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    lines = plan.read_text(encoding="utf-8").split("\n")
    (n,) = [n for n, line in enumerate(lines) if line.startswith("| **A3** |")]
    cells = lines[n].split("|")
    cells[-3] = f" {seeds} "
    lines[n] = "|".join(cells)
    plan.write_text("\n".join(lines), encoding="utf-8")


@needs_shared
@pytest.mark.parametrize(
    ("seeds", "reason", "zh"),
    [
        # A3-s0 is set aside in turn: A3's result stands for no run of the plan.
        (
            "1, 2",
            "A3 (one run) was split into seeds 1, 2 in the plan; its earlier result is kept in "
            "the log, not counted",
            "A3（单个运行）已在计划中拆分为种子 1, 2；其先前结果保留在日志中，不计入",
        ),
        # A3-s0 still holds A3's result: said so still, with the row's seeds as they are now.
        (
            "0, 1, 2",
            "A3 (one run) was split into seeds 0, 1, 2 in the plan; its result at seed 0 stands "
            "for A3-s0, same settings, not run again",
            "A3（单个运行）已在计划中拆分为种子 0, 1, 2；其种子 0 的结果即 A3-s0 的结果，设置相同，"
            "不再重新运行",
        ),
    ],
)
def test_025_a_row_split_again_says_why_its_run_is_set_aside_as_it_is_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seeds: str, reason: str, zh: str
) -> None:
    """025's A3 ran at seed 0, its Seed cell then `0, 1` (A3-s0 holds A3's result, A3 set
    aside), then ``seeds``. Before, A3's note kept "its result at seed 0 stands for A3-s0" and
    "seeds 0, 1" in the results, the tracker and `bridge status` (其种子 0 的结果即 A3-s0 的结果)
    after `1, 2` had set A3-s0 aside too."""
    project = _025_with_seeds(tmp_path)
    assert main(["run", "--project", str(project)]) == 0
    _a3_seeds(project, "0, 1")
    assert main(["run", "--project", str(project)]) == 0
    assert "seeds 0, 1 in the plan; its result at seed 0" in _status(project)["A3"].reason
    _a3_seeds(project, seeds)
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert f"A3 已搁置，不计入: {zh}" in out, out
    runs = _status(project)
    assert runs["A3"].state is RunState.OUT_OF_SCOPE and runs["A3"].reason == reason
    for name in ("EXPERIMENT_RESULTS.md", "EXPERIMENT_TRACKER.md"):
        text = (project / "refine-logs" / name).read_text(encoding="utf-8")
        assert zh in text, name
        assert "拆分为种子 0, 1；" not in text, name
    # Nothing changed since: nothing is said again.
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    assert "A3 已搁置" not in capsys.readouterr().out


def test_a_carried_result_is_looked_up_in_wandb_by_the_run_that_ran_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`[metrics.wandb]` added after R002's result came to stand for R002-s0: R002-s0's numbers
    are looked up under the W&B run R002's attempt logged to (`run_name = "bridge-{run_id}"`
    with R002's id), as its files are R002's. Before, bridge asked W&B for `bridge-R002-s0`,
    a run nobody logged, and recorded it as not found."""
    from tests.adapters.metrics.fake_wandb import FakeRun, losses, serving

    project = _ran_once_then_split(tmp_path / "p", "seeds 0, 1")
    assert main(["run", "--project", str(project)]) == 0
    ran = _launched(project)
    with serving() as server:
        server.lookup = lambda entity, name_of, name: (
            FakeRun(summary={"val_loss": 0.25}, history=losses([1.0, 0.5]))
            if name == "bridge-R002"
            else None
        )
        monkeypatch.setenv("BRIDGE_TEST_WANDB_KEY", server.key)
        with (project / "bridge.toml").open("a", encoding="utf-8") as f:
            f.write(
                '\n[metrics.wandb]\nentity = "lab"\nproject = "iris"\n'
                'run_name = "bridge-{run_id}"\napi_key_env = "BRIDGE_TEST_WANDB_KEY"\n'
                f'base_url = "{server.base_url}"\ntimeout_seconds = 2\n'
            )
        main(["run", "--project", str(project)])
        asked = sorted(s.variables["name"] for s in server.seen)
    assert _launched(project) == ran
    assert "bridge-R002-s0" not in asked, asked
    carried = _status(project)["R002-s0"]
    assert carried.carried is not None and carried.metrics is not None
    by_name = {v.name: v for v in carried.metrics.values}
    assert by_name["val_loss"].source == "wandb:lab/iris/bridge-R002", by_name
    assert by_name["val_loss"].run_id == "R002-s0"


@needs_shared
@pytest.mark.parametrize("between", ["0", "1, 2"])
def test_025_a_row_split_again_into_seeds_it_ran_keeps_their_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], between: str
) -> None:
    """025's A3 ran at seed 0, its Seed cell then `0, 1` (A3-s1 ran), then ``between`` (cut
    back to one seed, or other seeds), then `0, 1` again: nothing changed in what A3-s0 and
    A3-s1 run, so neither launches. Before, the run put back in the plan ran again (A3-s1
    after `0`, A3-s0 after `1, 2`): "A3-s1 已启动 (A3-s1-a2)"."""
    project = _025_with_seeds(tmp_path)
    assert main(["run", "--project", str(project)]) == 0
    for seeds in ("0, 1", between, "0, 1"):
        _a3_seeds(project, seeds)
        capsys.readouterr()
        assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "A3-s0 已启动" not in out and "A3-s1 已启动" not in out, out
    runs = _status(project)
    s0, s1 = runs["A3-s0"], runs["A3-s1"]
    assert s0.state is RunState.SUCCEEDED and s1.state is RunState.SUCCEEDED
    # A3-s0 holds A3's attempt again, A3-s1 its own, with its GPU time (its own view).
    assert s0.carried is not None and s0.carried.from_run == "A3"
    assert [a.attempt_id for a in s0.attempts] == ["A3-a1"]
    assert s1.carried is None and [a.attempt_id for a in s1.attempts] == ["A3-s1-a1"]
    assert runs["A3"].state is RunState.OUT_OF_SCOPE
    assert "其种子 0 的结果即 A3-s0 的结果" in (
        project / "refine-logs" / "EXPERIMENT_RESULTS.md"
    ).read_text(encoding="utf-8")
    said = "A3-s1：其自身在种子 1 上的结果，设置相同，不再重新运行"
    if between == "0":
        assert any(line.endswith(said) for line in out.splitlines()), out
    assert main(["verify", "--project", str(project)]) == 0


@needs_shared
def test_025_a_row_split_again_runs_a_seed_whose_command_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As above, `0, 1` → `0` → `0, 1`, with the command edited before the last split: what
    A3-s1 would run is not what it ran, so it runs again."""
    project = _025_with_seeds(tmp_path)
    assert main(["run", "--project", str(project)]) == 0
    _a3_seeds(project, "0, 1")
    assert main(["run", "--project", str(project)]) == 0
    _a3_seeds(project, "0")
    assert main(["run", "--project", str(project)]) == 0
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text("utf-8").replace("echo seed", "echo the seed"), "utf-8")
    _a3_seeds(project, "0, 1")
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "A3-s1 已启动 (A3-s1-a2)" in out, out
    assert "其自身在种子 1 上的结果" not in out, out


@needs_shared
def test_025_a_metrics_rule_naming_a_split_row_is_for_its_seeds_runs(tmp_path: Path) -> None:
    """025's A3 split into seeds `0, 1`, then a `[[metrics.regex]]` limited to `runs = ["A3"]`,
    the row's id as the plan writes it. Before: refused at load, "metrics.regex[0].runs: 'A3'
    matches no run; did you mean 'A3-s1' or 'A3-s0' or 'A4'?" (exit 2). It is for the row's
    seeds' runs: A3-s0 (A3's result) and A3-s1 read it; A4 does not."""
    project = _025_with_seeds(tmp_path)
    toml = project / "bridge.toml"
    toml.write_text(
        toml.read_text("utf-8").replace("echo seed {seed}", "echo seed {seed} kc: 0.{seed}5"),
        "utf-8",
    )
    assert main(["run", "--project", str(project)]) == 0
    _a3_seeds(project, "0, 1")
    assert main(["run", "--project", str(project)]) == 0
    with toml.open("a", encoding="utf-8") as f:
        f.write(
            '\n[[metrics.regex]]\nname = "kc"\npattern = "kc: ([0-9.]+)"\n'
            'file = "stdout.log"\nruns = ["A3"]\n'
        )
    assert main(["run", "--project", str(project)]) == 0
    runs = _status(project)

    def kc(run_id: str) -> float | None:
        metrics = runs[run_id].metrics
        assert metrics is not None
        return next((v.value for v in metrics.values if v.name == "kc"), None)

    assert kc("A3-s0") == pytest.approx(0.05)
    assert kc("A3-s1") == pytest.approx(0.15)
    assert kc("A4") is None
    # A glob that names nothing is refused still.
    toml.write_text(toml.read_text("utf-8").replace('runs = ["A3"]', 'runs = ["A9"]'), "utf-8")
    assert main(["run", "--project", str(project)]) == 2
