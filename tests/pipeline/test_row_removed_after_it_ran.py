"""
A tracker row the researcher deleted after bridge ran it (trial t8 on 004: R309 "seeds 1, 2" ran,
then its row was deleted; on 039, R004b): its runs are no row's any more. They are ruled out with
their reason, their results kept in the log, and counted nowhere: not in the block's aggregate
and verdict, nor in the milestone; `bridge retry` refuses them. A row put back runs again and
counts. A run bridge proposed (no tracker) that the plan no longer proposes goes the same way,
with its own reason (tests/pipeline/test_proposed_seeds_edited.py for 033's seeds).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bridge import Bridge, Stage
from bridge.cli import main
from bridge.machine.stages import RunState
from tests.e2e.tiny import PLAN, SCRIPT, write_project

# The tiny script, its accuracy moved by the seed: R004's runs at seeds 7 and 8 (0.57, 0.58)
# beside R002 at seed 0 (0.5) give another Baseline mean than R002 alone.
_SEEDED = SCRIPT.replace(
    'acc = {"baseline": 0.5, "method": 0.8}[a.model]',
    'acc = {"baseline": 0.5, "method": 0.8}[a.model] + a.seed / 100',
)

_ROW = "| R004 | M1 | baseline | Baseline | test | accuracy | MUST | TODO | seeds 7, 8 |"


def _reason(run_id: str) -> str:
    return (
        f"{run_id} was removed from the tracker after it ran; its result is kept in the log, "
        "not counted"
    )


def _tracker(project: Path) -> Path:
    return project / "refine-logs" / "EXPERIMENT_TRACKER.md"


# R004's seed 8 writes a NaN: a number not trusted, that holds B1's verdict open.
_NAN_AT_8 = _SEEDED.replace(
    '(out / "metrics.json")', "acc = float('nan') if a.seed == 8 else acc\n(out / \"metrics.json\")"
)


def _ran_then_deleted(root: Path, toml_extra: str = "", script: str = _SEEDED) -> Path:
    """The tiny project with R004 (two seeds) added, run, then R004's row deleted."""
    project = write_project(root, toml_extra=toml_extra)
    assert script != SCRIPT
    (project / "train.py").write_text(script, encoding="utf-8")
    tracker = _tracker(project)
    tracker.write_text(tracker.read_text(encoding="utf-8") + _ROW + "\n", encoding="utf-8")
    assert main(["run", "--project", str(project)]) == 0
    lines = tracker.read_text(encoding="utf-8").split("\n")
    kept = [line for line in lines if not line.startswith("| R004")]
    assert len(kept) == len(lines) - 1, lines  # R004's row, as bridge filled it in
    tracker.write_text("\n".join(kept), encoding="utf-8")
    return project


def _baseline(project: Path) -> dict[str, object]:
    results = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    (baseline,) = [
        a for a in results["aggregates"] if a["system"] == "Baseline" and a["metric"] == "accuracy"
    ]
    return dict(baseline)


def test_the_runs_of_a_deleted_row_are_ruled_out_not_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: Baseline's accuracy 0.55 (n=3, R002, R004-s7, R004-s8), the runs listed again
    under "Runs not in the tables above" and among the block's runs, M1 counted 4/4."""
    project = _ran_then_deleted(tmp_path / "p")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        runs = bridge.status().runs
    finally:
        bridge.close()
    for run_id in ("R004-s7", "R004-s8"):
        assert runs[run_id].state is RunState.OUT_OF_SCOPE
        assert runs[run_id].reason == _reason(run_id)
        assert runs[run_id].metrics is not None  # its result is kept in the log

    baseline = _baseline(project)
    assert baseline["run_ids"] == ["R002"]
    assert baseline["mean"] == pytest.approx(0.5)
    markdown = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert f"- R004-s7 — set aside: {_reason('R004-s7')}" in markdown
    assert "| R004-s7 |" not in markdown, markdown  # not in M1's table of runs
    assert "- **Runs:** R002, R003 (the block's sanity runs, not judged on: R001)\n" in markdown
    tracker = _tracker(project).read_text(encoding="utf-8")
    # Listed once, with why: not put back as a row under "Runs not in the tables above".
    said = [line for line in tracker.splitlines() if "R004-s7" in line]
    assert said == [f"- R004-s7 — set aside: {_reason('R004-s7')}"], tracker

    capsys.readouterr()
    assert main(["status", "--project", str(project)]) == 0
    said = capsys.readouterr().out
    assert "2/2 ok, 2 set aside" in said, said  # it read "2 out of scope" (trial t12)


def test_retry_refuses_the_run_of_a_deleted_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: `bridge retry --force R004-s8` ran it again, with no row."""
    project = _ran_then_deleted(tmp_path / "p")
    assert main(["run", "--project", str(project)]) == 0
    capsys.readouterr()
    assert main(["retry", "--force", "R004-s8", "--project", str(project)]) != 0
    said = capsys.readouterr().err
    assert f"cannot retry: {_reason('R004-s8')} (put its row back in the tracker" in said, said


def test_a_row_put_back_keeps_its_results_and_counts(tmp_path: Path) -> None:
    """The row pasted back as it was: its runs would run what they ran, so they take back
    their results and count again, not launched (they ran again before, h12C)."""
    project = _ran_then_deleted(tmp_path / "p")
    assert main(["run", "--project", str(project)]) == 0
    tracker = _tracker(project)
    tracker.write_text(
        tracker.read_text(encoding="utf-8").replace(
            "\n\n<!-- bridge:", f"\n{_ROW}\n\n<!-- bridge:", 1
        ),
        encoding="utf-8",
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        runs = bridge.status().runs
    finally:
        bridge.close()
    for run_id in ("R004-s7", "R004-s8"):
        assert runs[run_id].state is RunState.SUCCEEDED
        assert len(runs[run_id].attempts) == 1  # not run again
    assert _baseline(project)["run_ids"] == ["R002", "R004-s7", "R004-s8"]


def test_a_chinese_plan_says_why_in_chinese(tmp_path: Path) -> None:
    project = _ran_then_deleted(tmp_path / "p", 'language = "zh"')
    assert main(["run", "--project", str(project)]) == 0
    said = "- R004-s7 — 已搁置: R004-s7 在运行后已从追踪表中删除；其结果保留在日志中，不计入"
    for name in ("EXPERIMENT_RESULTS.md", "EXPERIMENT_TRACKER.md"):
        text = (project / "refine-logs" / name).read_text(encoding="utf-8")
        assert said in text, name


def _proposed_then_baseline_taken_out(root: Path, toml_extra: str = "") -> Path:
    """
    The tiny project without its tracker (the runs are bridge's proposals: R001 Baseline,
    R002 Method), run, then Baseline taken out of the plan's compared systems.
    """
    project = write_project(root, toml_extra=toml_extra)
    _tracker(project).unlink()
    toml = project / "bridge.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'args = { model = "method" }', 'args = { model = "method", seed = "0" }'
        ),
        encoding="utf-8",
    )
    for command in ("run", "approve", "run"):
        main([command, "--project", str(project)])
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    assert "  - Baseline\n" in PLAN
    plan.write_text(PLAN.replace("  - Baseline\n", ""), encoding="utf-8")
    baseline = '[systems."Baseline"]\nargs = { model = "baseline" }\n'
    assert baseline in toml.read_text(encoding="utf-8")
    toml.write_text(toml.read_text(encoding="utf-8").replace(baseline, ""), encoding="utf-8")
    main(["run", "--project", str(project)])
    return project


_UNPROPOSED = (
    "the plan no longer proposes R001 (block B1); its result is kept in the log, not counted"
)


def test_a_run_bridge_proposed_that_the_plan_no_longer_proposes_is_ruled_out(
    tmp_path: Path,
) -> None:
    """No tracker: with Baseline gone from the plan's compared systems, R001 (Baseline) is
    proposed no more. Before, it stayed as it ran, counted in B1 beside the plan's one system
    (033's E5 cut from 11 seeds to 9 was judged on n=11, trial t10). Now it is ruled out as a
    deleted row's run is, with why; R002 (Method) keeps its id."""
    project = _proposed_then_baseline_taken_out(tmp_path / "p")
    bridge = Bridge(project)
    try:
        runs = bridge.status().runs
    finally:
        bridge.close()
    assert runs["R002"].state is RunState.SUCCEEDED
    assert runs["R002"].spec.system == "Method"
    assert [r.run_id for r in runs.values() if r.state is RunState.OUT_OF_SCOPE] == ["R001"]
    assert runs["R001"].reason == _UNPROPOSED
    markdown = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert f"- R001 — set aside: {_UNPROPOSED}" in markdown, markdown


def test_a_chinese_plan_says_in_chinese_that_the_plan_no_longer_proposes_it(
    tmp_path: Path,
) -> None:
    project = _proposed_then_baseline_taken_out(tmp_path / "p", 'language = "zh"')
    said = "- R001 — 已搁置: 计划不再提出 R001（实验块 B1）；其结果保留在日志中，不计入"
    text = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert said in text, text


def test_retry_refuses_the_earlier_run_of_a_split_row_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same mechanism: R002's one run, ruled out once its row was split into seeds, ran
    again with `bridge retry --force R002` beside the seeds' runs."""
    from tests.pipeline.test_row_split_into_seeds import _ran_once_then_split

    project = _ran_once_then_split(tmp_path / "p", "seeds 1, 2")
    assert main(["run", "--project", str(project)]) == 0
    capsys.readouterr()
    assert main(["retry", "--force", "R002", "--project", str(project)]) != 0
    said = capsys.readouterr().err
    assert "cannot retry: R002 (one run) was split into seeds 1, 2 in the tracker" in said, said


def test_a_nan_of_a_deleted_row_holds_no_verdict_open(tmp_path: Path) -> None:
    """004's R309-s2 wrote TPR = NaN, then R309's row was deleted; before, B3 stayed open with
    "training-quality problems: R309-s2 TPR: non_finite" and the summary named B3 not trusted."""
    assert _NAN_AT_8 != _SEEDED
    project = _ran_then_deleted(tmp_path / "p", script=_NAN_AT_8)
    assert main(["run", "--project", str(project)]) == 0
    markdown = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "non_finite" not in markdown, markdown
    assert "- **Verdict:** **met**" in markdown, markdown


def _live_project(root: Path) -> tuple[Path, Path]:
    """R1 (quick) and R2 (waits for ``markers/open.flag``) in M1, R3 in M2 (after them): real
    runs, R1's and R3's settings all in their rows (an entry of a row cut would be refused)."""
    from tests.pipeline.conftest import Run
    from tests.pipeline.conftest import write_project as write_live_project

    project = write_live_project(
        root,
        [
            Run(id="R1", milestone="M1"),
            Run(id="R2", milestone="M1", mode="gate"),
            Run(id="R3", milestone="M2"),
        ],
        sanity=None,
    )
    toml = project / "bridge.toml"
    text = toml.read_text()
    for run_id in ("R1", "R3"):
        entry = f'\n[[runs]]\nid = "{run_id}"\nargs = {{ mode = "ok", sleep = "0.0" }}\n'
        assert entry in text
        text = text.replace(entry, "")
    toml.write_text(text)
    return project, project / "refine-logs" / "EXPERIMENT_TRACKER.md"


def _cut_while_r2_runs(project: Path, tracker: Path, rows: tuple[str, ...]) -> list[str]:
    """Once R1 succeeded and R2 runs, the tracker saved without ``rows``; the lines as saved
    before, once the running bridge read the edit."""
    from tests.pipeline.conftest import events_of, wait_for

    wait_for(
        lambda: ("run:R1", "run.succeeded") in {(s, t) for _, s, t in events_of(project)},
        what="R1 to succeed",
    )
    # Saved once bridge wrote R1's DONE and R2's RUNNING: an edit saved before that races
    # bridge's own rewrite of the file.
    wait_for(
        lambda: "| DONE |" in (text := tracker.read_text()) and "| RUNNING |" in text,
        what="the tracker to say R1 DONE, R2 RUNNING",
    )
    lines = tracker.read_text().split("\n")
    tracker.write_text(
        "\n".join(line for line in lines if not line.startswith(tuple(f"| {r} |" for r in rows)))
    )
    wait_for(
        lambda: [t for _, _, t in events_of(project)].count("plan.loaded") == 2,
        what="the edit to be read",
    )
    return lines


def _finish(project: Path, runner: object) -> None:
    import subprocess

    assert isinstance(runner, subprocess.Popen)
    (project / "markers" / "open.flag").touch()
    out, err = runner.communicate(timeout=60)
    assert runner.returncode == 0, err
    assert out.strip().splitlines()[-1] == "COLLECTED", out


def test_a_row_cut_and_pasted_back_while_runs_go_on_keeps_its_result(tmp_path: Path) -> None:
    """Review r33 (item 6): a tracker saved during `bridge run` without R1's row (a row cut,
    to be pasted elsewhere) ruled R1 out on the spot, and once the row was back R1 ran again
    in full, for an edit that changed nothing. A row missing from a tracker saved while runs
    go on is not ruled out then: R1 keeps its one result."""
    from tests.pipeline.conftest import events_of, executions, start_bridge, wait_for

    project, tracker = _live_project(tmp_path / "p")
    runner = start_bridge(project)
    try:
        lines = _cut_while_r2_runs(project, tracker, ("R1",))
        (r1,) = [line for line in lines if line.startswith("| R1 |")]
        moved = [line for line in lines if line != r1]
        (r2,) = [n for n, line in enumerate(moved) if line.startswith("| R2 |")]
        moved.insert(r2 + 1, r1)  # pasted back, below R2
        tracker.write_text("\n".join(moved))
        wait_for(
            lambda: [t for _, _, t in events_of(project)].count("plan.loaded") == 3,
            what="the paste to be read",
        )
        _finish(project, runner)
    finally:
        runner.kill()
        runner.communicate()
    bridge = Bridge(project)
    try:
        runs = bridge.status().runs
    finally:
        bridge.close()
    assert runs["R1"].state is RunState.SUCCEEDED, runs["R1"].reason
    assert len(runs["R1"].attempts) == 1
    assert len(executions(project)["R1"]) == 1  # it did not run again


def test_a_row_cut_while_runs_go_on_is_ruled_out_when_they_ended(tmp_path: Path) -> None:
    """The cut stays: R1 (it ran) is ruled out once the runs of the phase ended, not while R2
    still ran; R3, deleted before it launched, is ruled out at once and never runs."""
    from tests.pipeline.conftest import events_of, executions, start_bridge

    project, tracker = _live_project(tmp_path / "p")
    runner = start_bridge(project)
    try:
        _cut_while_r2_runs(project, tracker, ("R1", "R3"))
        seen = events_of(project)
        _finish(project, runner)
    finally:
        runner.kill()
        runner.communicate()
    assert ("run:R1", "run.ruled_out") not in {(s, t) for _, s, t in seen}
    assert ("run:R3", "run.ruled_out") in {(s, t) for _, s, t in seen}
    after = events_of(project)
    (r2_done,) = [seq for seq, s, t in after if (s, t) == ("run:R2", "run.succeeded")]
    (r1_out,) = [seq for seq, s, t in after if (s, t) == ("run:R1", "run.ruled_out")]
    assert r1_out > r2_done
    bridge = Bridge(project)
    try:
        runs = bridge.status().runs
    finally:
        bridge.close()
    assert runs["R1"].reason == _reason("R1")
    assert runs["R3"].reason == "R3 was removed from the tracker before bridge ran it"
    assert "R3" not in executions(project)
