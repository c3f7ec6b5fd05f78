"""
Which sanity runs must give a number: those that name a metric. 006's M0 draws a figure
(R003) and checks a LaTeX rendering (R001) beside computing a skill, and its tracker has no
Metrics column: "no metric could be read from its outputs" failed the sanity check on the
figure (trial T1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge import Bridge, Stage
from bridge.errors import InputError
from tests.conftest import needs_shared
from tests.pipeline.conftest import Run, write_project


def _project(root: Path, metrics: str) -> Path:
    runs = [Run(id="S1", milestone="M0"), Run(id="S2", milestone="M0", mode="none")]
    project = write_project(root, [*runs, Run(id="R1", milestone="M1")])
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text().replace(
            "| S2 | M0 | sanity | main | test | accuracy |",
            f"| S2 | M0 | sanity | main | test | {metrics} |",
        )
    )
    # A figure step writes no metrics.json: no output is required of every run here.
    config = project / "bridge.toml"
    config.write_text(config.read_text().replace('outputs = ["metrics.json"]\n', ""))
    return project


def test_a_sanity_run_naming_no_metric_passes_without_a_number(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", "")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        detail = bridge.status().sanity_checks[-1].detail
    finally:
        bridge.close()
    assert detail == "2 sanity runs passed; S2 names no metric and recorded no number"


def test_a_sanity_run_naming_a_metric_still_needs_it(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", "accuracy")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.BLOCKED
        blocked = bridge.status().blocked
    finally:
        bridge.close()
    assert blocked is not None and "S2" in blocked.reason
    # It exited 0: `--failed` does not take it, and says how to run it again (trial T7).
    bridge = Bridge(project)
    try:
        with pytest.raises(
            InputError,
            match=r"the sanity check failed on S2, which exited 0: `bridge retry "
            r"--force S2` runs it again",
        ):
            bridge.retry(failed=True)
    finally:
        bridge.close()


def test_a_chinese_plan_says_the_numberless_sanity_run_in_chinese(tmp_path: Path) -> None:
    """The stage reason of a Chinese plan names the sanity run that names no metric in Chinese,
    while the recorded check keeps the English a program reads."""
    from bridge.events import types as ev
    from bridge.events.store import SQLiteEventStore
    from tests.pipeline.test_output_language import CHINESE_PREFACE

    project = _project(tmp_path / "p", "")
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    head, _, rest = plan.read_text().partition("\n")
    plan.write_text(head + "\n\n" + CHINESE_PREFACE * 3 + rest)
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        detail = bridge.status().sanity_checks[-1].detail
    finally:
        bridge.close()
    assert detail == "2 sanity runs passed; S2 names no metric and recorded no number"
    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        reasons = {
            r.event.stage: r.event.reason
            for r in store.read()
            if isinstance(r.event, ev.StageEntered)
        }
    finally:
        store.close()
    assert reasons["SANITY_OK"] == "健全性里程碑通过；S2 未指明指标，也未记录数值"


_VERDICT_JOB = """\
import argparse, json, pathlib
parser = argparse.ArgumentParser()
parser.add_argument("--run", required=True)
parser.add_argument("--out", required=True)
args = parser.parse_args()
values = {"R001": {"pass": PASS, "loss": 2.1}}.get(args.run, {"quality": 0.6})
pathlib.Path(args.out, "metrics.json").write_text(json.dumps(values))
"""


def _jora(root: Path, passed: str) -> Path:
    """002's real plan and tracker, its sanity row R001 set back to TODO (as trial 002d did)."""
    import sys

    from tests.plan.corpus import as_project

    project = as_project("002", root)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text(encoding="utf-8").replace("| **GATE FAILED** |", "| TODO |"),
        encoding="utf-8",
    )
    (project / "job.py").write_text(_VERDICT_JOB.replace("PASS", passed), encoding="utf-8")
    (project / "bridge.toml").write_text(
        f'[bridge]\ncode_review = false\n[run]\ncommand = ["{sys.executable}", "job.py", '
        '"--run", "{run_id}", "--out", "{output_dir}"]\n',
        encoding="utf-8",
    )
    return project


@needs_shared
def test_002_a_sanity_run_recording_its_pass_fail_as_0_fails_sanity(tmp_path: Path) -> None:
    """
    002's R001 names `pass/fail` and wrote `pass: 0`: the sanity milestone passed ("Sanity:
    passed" beside "pass = 0"), though the gate's own answer was no.
    """
    project = _jora(tmp_path / "p", "0")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.BLOCKED
        check = bridge.status().sanity_checks[-1]
    finally:
        bridge.close()
    assert not check.passed
    assert check.detail == "R001: recorded pass = 0: the row's pass/fail says it failed"
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "**Sanity: failed**" in results


@needs_shared
def test_002_a_sanity_run_recording_its_pass_fail_as_true_passes(tmp_path: Path) -> None:
    project = _jora(tmp_path / "p", "True")
    bridge = Bridge(project)
    try:
        bridge.run()
        check = bridge.status().sanity_checks[0]
    finally:
        bridge.close()
    assert check.passed, check.detail


@needs_shared
@pytest.mark.parametrize("passed", ["False", "0", "0.0"])
def test_002_a_pass_fail_recorded_as_false_or_0_fails_sanity(tmp_path: Path, passed: str) -> None:
    """A boolean false or a 0 under a `pass/fail` cell is the run's verdict: no. A `0.0` too
    (a script writing `float(ok)`): the cell says the number is a verdict (review)."""
    project = _jora(tmp_path / "p", passed)
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.BLOCKED
        check = bridge.status().sanity_checks[-1]
    finally:
        bridge.close()
    raw = "false" if passed == "False" else passed
    assert check.detail == f"R001: recorded pass = {raw}: the row's pass/fail says it failed"


@needs_shared
def test_002_a_bare_success_cell_is_no_verdict(tmp_path: Path) -> None:
    """
    A Metrics cell that is just `success` names a success rate (020's R026-R045 list `success`
    as a metric; a smoke run may record 0): a recorded 0 does not fail sanity by it. It did
    before ("the row's success says it failed").
    """
    project = _jora(tmp_path / "p", "0")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text(encoding="utf-8").replace(
            "| internal | pass/fail |", "| internal | success |"
        ),
        encoding="utf-8",
    )
    bridge = Bridge(project)
    try:
        bridge.run()
        check = bridge.status().sanity_checks[0]
    finally:
        bridge.close()
    assert check.passed, check.detail
