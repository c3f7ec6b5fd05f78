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
    assert detail == "2 sanity run(s) passed; S2 names no metric and recorded no number"


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
    assert detail == "2 sanity run(s) passed; S2 names no metric and recorded no number"
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
