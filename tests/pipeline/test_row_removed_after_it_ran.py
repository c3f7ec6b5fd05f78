"""
A tracker row the researcher deleted after bridge ran it (trial t8 on 004: R309 "seeds 1, 2" ran,
then its row was deleted; on 039, R004b): its runs are no row's any more. They are ruled out with
their reason, their results kept in the log, and counted nowhere: not in the block's aggregate
and verdict, nor in the milestone; `bridge retry` refuses them. A row put back runs again and
counts. Runs bridge proposed (no tracker) are no rows the researcher deleted: never ruled out.
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

_ROW = "| R004 | M1 | baseline rerun | Baseline | test | accuracy | MUST | TODO | seeds 7, 8 |"


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
    assert "- **Runs:** R002, R003\n" in markdown
    tracker = _tracker(project).read_text(encoding="utf-8")
    # Listed once, with why: not put back as a row under "Runs not in the tables above".
    said = [line for line in tracker.splitlines() if "R004-s7" in line]
    assert said == [f"- R004-s7 — set aside: {_reason('R004-s7')}"], tracker

    capsys.readouterr()
    assert main(["status", "--project", str(project)]) == 0
    said = capsys.readouterr().out
    assert "2/2 ok, 2 out of scope" in said, said


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


def test_a_row_put_back_runs_again_and_counts(tmp_path: Path) -> None:
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
        assert len(runs[run_id].attempts) == 2  # it ran again
    assert _baseline(project)["run_ids"] == ["R002", "R004-s7", "R004-s8"]


def test_a_chinese_plan_says_why_in_chinese(tmp_path: Path) -> None:
    project = _ran_then_deleted(tmp_path / "p", 'language = "zh"')
    assert main(["run", "--project", str(project)]) == 0
    said = "- R004-s7 — 已搁置: R004-s7 在运行后已从追踪表中删除；其结果保留在日志中，不计入"
    for name in ("EXPERIMENT_RESULTS.md", "EXPERIMENT_TRACKER.md"):
        text = (project / "refine-logs" / name).read_text(encoding="utf-8")
        assert said in text, name


def test_runs_bridge_proposed_are_not_ruled_out(tmp_path: Path) -> None:
    """No tracker: the runs are bridge's proposals (R001 Baseline, R002 Method). With Baseline
    gone from the plan's compared systems, R002 is proposed no more; it was never a row the
    researcher deleted, and stays as it ran."""
    project = write_project(tmp_path / "p")
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
    bridge = Bridge(project)
    try:
        runs = bridge.status().runs
    finally:
        bridge.close()
    assert "R002" in runs
    assert [r.run_id for r in runs.values() if r.state is RunState.OUT_OF_SCOPE] == []


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
    assert "cannot retry: R002 (one run) was split into seeds 1, 2 in the plan" in said, said


def test_a_nan_of_a_deleted_row_holds_no_verdict_open(tmp_path: Path) -> None:
    """004's R309-s2 wrote TPR = NaN, then R309's row was deleted; before, B3 stayed open with
    "training-quality problems: R309-s2 TPR: non_finite" and the summary named B3 not trusted."""
    assert _NAN_AT_8 != _SEEDED
    project = _ran_then_deleted(tmp_path / "p", script=_NAN_AT_8)
    assert main(["run", "--project", str(project)]) == 0
    markdown = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "non_finite" not in markdown, markdown
    assert "- **Verdict:** **met**" in markdown, markdown
