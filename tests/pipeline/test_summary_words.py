"""
What bridge says about a finished pipeline says what happened (found trying the real projects
009 and 018 as a new user): where CPU runs ran on a backend without CPU slots, why the sanity
step had nothing to check, the not-ready reasons in the plan's language, milestone headings and
status bars for milestones without blocks, runs without a milestone and skipped runs, and
which runs a retry takes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bridge.cli.console import status_lines
from bridge.errors import InputError
from bridge.events.store import SQLiteEventStore
from bridge.events.types import Event, SanityChecked, StageEntered
from bridge.machine.ports import Slot
from bridge.machine.stages import Stage
from bridge.pipeline import Bridge
from bridge.testing import FakeBackend, FakeOutcome
from tests.conftest import needs_shared
from tests.in_process import bridge_here
from tests.pipeline.conftest import Run, write_project
from tests.pipeline.test_output_language import CHINESE_PREFACE


def _set_status(project: Path, statuses: dict[str, str]) -> None:
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text().split("\n")
    for i, line in enumerate(lines):
        cells = line.split("|")
        if len(cells) > 8 and cells[1].strip() in statuses:
            cells[8] = f" {statuses[cells[1].strip()]} "
            lines[i] = "|".join(cells)
    tracker.write_text("\n".join(lines))


def _set_notes(project: Path, run_id: str, notes: str) -> None:
    """The tracker row ``run_id``'s Notes cell (the ninth) set to ``notes``."""
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text().split("\n")
    for i, row in enumerate(lines):
        cells = row.split("|")
        if len(cells) > 9 and cells[1].strip() == run_id:
            cells[9] = f" {notes} "
            lines[i] = "|".join(cells)
    tracker.write_text("\n".join(lines))


def _ruled_out_said(project: Path) -> dict[str, str]:
    """What `bridge run` printed for each run the tracker ruled out, by run id."""
    from bridge.cli.watch import describe
    from bridge.events.types import RunRuledOut

    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        return {
            r.event.run_id: str(describe(r, "en"))
            for r in store.read()
            if isinstance(r.event, RunRuledOut)
        }
    finally:
        store.close()


def _events(project: Path) -> list[Event]:
    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        return [r.event for r in store.read()]
    finally:
        store.close()


def test_cpu_runs_on_a_backend_without_cpu_slots_are_counted_as_attempts(project: Path) -> None:
    """Modal (and Slurm) give a CPU run no slot: the summary counts its attempts, never
    'on 0 CPU slot(s)'."""
    write_project(project, [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")])
    modal = FakeBackend(
        lambda _spec: FakeOutcome(outputs={"metrics.json": '{"accuracy": 0.9}'}),
        slots=(Slot(host="modal", gpu=0),),
        name="modal",
    )
    bridge = Bridge(project, backend=modal)
    assert bridge.run() is Stage.COLLECTED
    summary = bridge.summary()
    # A succeeded run has ended too: the refusal says which runs a retry takes.
    with pytest.raises(InputError, match=r"ended without succeeding can be retried .*--force"):
        bridge.retry("R1")
    bridge.close()
    assert "Runs: 2 of 2 deployed via modal (2 attempts); " in summary, summary
    assert "CPU slot" not in summary


def test_sanity_runs_done_before_bridge_are_named_not_denied(project: Path) -> None:
    """A sanity milestone whose runs the tracker marks done is not 'no sanity milestone', and
    runs done (or failed) before bridge are not counted as 'succeeded' at collection."""
    write_project(
        project,
        [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1"), Run(id="R2", milestone="M1")],
    )
    _set_status(project, {"S1": "DONE", "R2": "invalid"})
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    bridge.close()
    events = _events(project)
    checked = [e.detail for e in events if isinstance(e, SanityChecked)]
    reasons = [e.reason for e in events if isinstance(e, StageEntered)]
    said = "sanity milestone M0: the tracker says S1 done before bridge"
    assert checked == [said]
    assert f"{said}; nothing to check first" in reasons
    assert "deploying the plan" in reasons and "sanity passed; deploying the plan" not in reasons
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert "**Sanity: not run by bridge (the tracker says its runs were done before" in results
    assert "Sanity: passed" not in results
    assert reasons[-1] == (
        "2/3 must-run runs completed: 1 succeeded, 1 done before bridge; "
        "1 more ended failed or invalid before bridge"
    )


def test_a_chinese_summary_gives_its_reasons_in_chinese(project: Path) -> None:
    """The not-ready reasons are fixed text: Chinese in a Chinese plan's summary and results
    (results.json keeps the English a program reads)."""
    write_project(
        project,
        [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1", mode="fail")],
        bridge="max_parallel = 2\ncode_review = false",
    )
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    head, _, rest = plan.read_text().partition("\n")
    plan.write_text(head + "\n\n" + CHINESE_PREFACE * 3 + rest)
    bridge = Bridge(project)
    bridge.run()
    summary = bridge.summary()
    bridge.close()
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    data = (project / "refine-logs" / "results.json").read_text()
    assert "可进入评审循环：否（必做运行未成功：R1" in summary, summary
    assert "**可进入评审循环:** NO（否） — 原因: 必做运行未成功：R1" in results
    assert "- **判定:** **inconclusive**（无定论，判定者：规则） — " in results
    assert "must-run runs not succeeded: R1" in data
    assert json.loads(data)["summary"]["must_run"]["not_succeeded"] == ["R1"]
    assert "not succeeded" not in summary + results
    # The stage reasons `bridge run` prints after '阶段 …:' are the plan's language too.
    reasons = {e.stage: e.reason for e in _events(project) if isinstance(e, StageEntered)}
    assert reasons["REVIEWED"] == "代码审查已关闭"
    assert reasons["SANITY_OK"] == "健全性里程碑通过"
    assert reasons["DEPLOYED"] == "健全性检查通过；开始部署计划"
    assert reasons["COLLECTED"] == "1/2 个必做运行成功"


def test_a_chinese_summary_joins_its_lists_of_runs_with_the_chinese_comma(project: Path) -> None:
    """025 (trial t6): the not-ready reasons of a Chinese plan read `必做运行未成功：E-rag-sft,
    A1`, where every other Chinese list bridge writes is joined with "、" (and the results page
    joined the reasons with "; "); results.json keeps the English a program reads."""
    write_project(
        project,
        [
            Run(id="S1", milestone="M0"),
            Run(id="R1", milestone="M1", mode="fail"),
            Run(id="R2", milestone="M1", mode="fail"),
        ],
        bridge="max_parallel = 2\ncode_review = false",
    )
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    head, _, rest = plan.read_text().partition("\n")
    plan.write_text(head + "\n\n" + CHINESE_PREFACE * 3 + rest)
    bridge = Bridge(project)
    bridge.run()
    summary = bridge.summary()
    bridge.close()
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    data = json.loads((project / "refine-logs" / "results.json").read_text())
    assert "；必做运行未成功：R1、R2；" in summary, summary
    assert "；必做运行未成功：R1、R2；" in results, results
    assert "must-run runs not succeeded: R1, R2" in data["summary"]["not_ready_reasons"]


@needs_shared
def test_025s_summary_says_whose_tracker_it_names_and_joins_its_runs_in_chinese(
    tmp_path: Path, project: Path
) -> None:
    """025 (trial t6) has no tracker file, its runs in the plan's own table: the summary's
    `追踪表：refine-logs/EXPERIMENT_TRACKER.md` named a file the researcher never wrote, and its
    not-ready reasons read `必做运行未成功：E-rag-sft, A1`. A project with a tracker of its own
    gets the path alone."""
    from tests.pipeline.test_researchers_tracker import _plan_table_project

    numbers = {"*": {"KC": 0.45, "accuracy": 0.7}, "E-rag-sft": "fail", "A1": "fail"}
    bridge = Bridge(_plan_table_project(tmp_path / "p", numbers))
    try:
        bridge.run()
        summary = bridge.summary()
    finally:
        bridge.close()
    assert (
        "追踪表：refine-logs/EXPERIMENT_TRACKER.md（由 bridge 生成：项目没有追踪表文件；"
        "运行来自计划中的运行表）\n"
    ) in summary, summary
    # A1 and A2 never ran (the pipeline blocked first): not run yet, not failed (trial t9).
    assert "必做运行未成功：E-rag-sft；必做运行尚未运行：A1、A2" in summary, summary
    write_project(project, [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")])
    bridge = Bridge(project)
    try:
        bridge.run()
        summary = bridge.summary()
    finally:
        bridge.close()
    assert "\nTracker: refine-logs/EXPERIMENT_TRACKER.md\n" in summary, summary


@pytest.mark.parametrize("chinese", [False, True])
def test_the_collected_count_names_runs_with_numbers_not_trusted(
    project: Path, chinese: bool
) -> None:
    """012 (trial t6): `stage COLLECTED: 9/9 must-run runs succeeded` next to `Must-run
    completed: 8/9 (1 succeeded with numbers not trusted: R007)`. The stage line counts what
    the summary counts, and names the run whose numbers are not trusted as the summary does,
    in the plan's language."""
    write_project(
        project,
        [
            Run(id="S1", milestone="M0"),
            Run(id="R1", milestone="M1", mode="nan"),
            Run(id="R2", milestone="M1"),
        ],
    )
    if chinese:
        plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        head, _, rest = plan.read_text().partition("\n")
        plan.write_text(head + "\n\n" + CHINESE_PREFACE * 3 + rest)
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    summary = bridge.summary()
    bridge.close()
    reasons = {e.stage: e.reason for e in _events(project) if isinstance(e, StageEntered)}
    if chinese:
        assert reasons["COLLECTED"] == "2/3 个必做运行完成（1 个已成功但数值不可信：R1）"
        assert "必做运行完成：2/3（1 个已成功但数值不可信：R1）" in summary, summary
    else:
        assert reasons["COLLECTED"] == (
            "2/3 must-run runs completed (1 succeeded with numbers not trusted: R1)"
        )
        assert "Must-run completed: 2/3 (1 succeeded with numbers not trusted: R1)" in summary


@pytest.mark.parametrize("chinese", [False, True])
def test_the_collected_count_beside_runs_done_before_bridge_is_the_summarys(
    project: Path, chinese: bool
) -> None:
    """009 (trial t6): `4/4 must-run runs completed: 2 succeeded (1 with numbers not trusted:
    R005), 2 done before bridge` beside the summary's `Must-run completed: 3/4 (1 succeeded
    with numbers not trusted: R005)`: one count, the run not trusted named outside it."""
    write_project(
        project,
        [
            Run(id="S1", milestone="M0"),
            Run(id="R1", milestone="M1"),
            Run(id="R2", milestone="M1", mode="nan"),
            Run(id="R3", milestone="M1"),
        ],
    )
    _set_status(project, {"R1": "DONE"})
    if chinese:
        plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        head, _, rest = plan.read_text().partition("\n")
        plan.write_text(head + "\n\n" + CHINESE_PREFACE * 3 + rest)
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    summary = bridge.summary()
    bridge.close()
    reasons = {e.stage: e.reason for e in _events(project) if isinstance(e, StageEntered)}
    if chinese:
        assert reasons["COLLECTED"] == (
            "3/4 个必做运行完成：2 个成功，1 个在 bridge 之前已完成；"
            "另有 1 个已成功但数值不可信：R2"
        )
        assert "必做运行完成：3/4（1 个已成功但数值不可信：R2）" in summary, summary
    else:
        assert reasons["COLLECTED"] == (
            "3/4 must-run runs completed: 2 succeeded, 1 done before bridge; "
            "1 more succeeded with numbers not trusted: R2"
        )
        assert "Must-run completed: 3/4 (1 succeeded with numbers not trusted: R2)" in summary


def test_milestones_without_blocks_runs_without_one_and_skipped_runs(project: Path) -> None:
    """No empty '()' after a milestone without blocks; the status bar of runs with no milestone
    is named; a milestone whose runs are out of scope, or that has none, says so instead of a
    bare '0/0 ok'."""
    write_project(project, [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")])
    _set_status(project, {"R1": "NOT RUN — needs GPUs"})
    # M2 is in the plan's run order with no run anywhere (018's GPU milestones).
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    order = "| M1 | Main |"
    text = plan.read_text()
    row = next(line for line in text.splitlines() if line.startswith(order))
    plan.write_text(text.replace(row, row + "\n| M2 | Later | - | ok | 1 | none |"))
    # X1 was set up by hand; X2 failed before bridge: done, but not ok.
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text().rstrip("\n")
        + "\n| X1 |  | setup | main | test | accuracy | MUST | DONE | set up by hand |"
        + "\n| X2 |  | setup | main | test | accuracy | MUST | failed | OOM on 1 GPU |\n"
    )
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    state = bridge.status()
    bridge.close()
    # Wide enough for each bar on one line (on a narrower terminal they are broken).
    lines = status_lines(state, width=200)
    bars = [line for line in lines if "━" in line or "╺" in line]
    assert any(line.startswith("M1 ") and line.endswith("0/0 ok, 1 out of scope") for line in bars)
    assert any(line.startswith("M2 ") and line.endswith(" no runs") for line in bars), bars
    assert any(
        line.startswith("(no milestone) ")
        # X1's ok is the tracker's word, not a run bridge checked (trial T6, 009's R001).
        and line.endswith(
            "1/2 ok (1 done before bridge), 1 failed or invalid before bridge; "
            "no row names their milestone"
        )
        for line in bars
    ), bars
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert "()" not in results
    # The runs of no milestone have a section of their own in the results (018: they were in
    # none), as in `bridge plan`'s milestone table.
    assert "\n### (no milestone)\n" in results
    data = json.loads((project / "refine-logs" / "results.json").read_text())
    assert {"milestone": "", "runs": ["X1", "X2"]}.items() <= next(
        m for m in data["milestones"] if m["milestone"] == ""
    ).items()
    shown = bridge_here("plan", "--project", str(project), columns=100)
    # With why no milestone can be told: their rows name none, nor does a Runs cell.
    assert re.search(r"│ \(no milestone\) +│ no row names one +│ +│ 2 +│", shown.stdout), (
        shown.stdout
    )


def test_a_failed_nice_to_have_run_is_named_in_the_summary(tmp_path: Path) -> None:
    """036: a nice-to-have run of the main milestone failed; the command ended 0 and the
    summary said only "nice-to-have completed: 3/4". It names the run and the retry."""
    runs = [
        Run(id="S1", milestone="M0"),
        Run(id="R1", milestone="M1"),
        Run(id="R2", milestone="M1", priority="NICE", mode="fail"),
    ]
    project = write_project(tmp_path / "p", runs)
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        summary = bridge.summary()
    finally:
        bridge.close()
    assert (
        "nice-to-have completed: 0/1 (not succeeded: R2; `bridge retry --failed` runs them "
        "again)." in summary
    )


def test_a_row_whose_gate_failed_before_bridge_reads_failed(tmp_path: Path) -> None:
    """002's sanity row says "**GATE FAILED**": bridge blocks on it, and the results listed it
    DONE with "Must-run completed: 1/…" and no word of the failure."""
    project = write_project(
        tmp_path / "p", [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")]
    )
    _set_status(project, {"S1": "**GATE FAILED**"})
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.BLOCKED
        summary = bridge.summary()
        # A failed gate is the finished experiment's outcome: `--failed` does not run it
        # again (014's COMPLETE_FAIL_HARD_STOP).
        with pytest.raises(InputError, match="nothing to retry"):
            bridge.retry(failed=True)
    finally:
        bridge.close()
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert any(
        row.startswith("| S1 |") and row.rstrip().endswith("| FAILED (GATE FAILED) |")
        for row in results.splitlines()
    )
    assert "Must-run completed: 0/2 (1 ended failed or invalid before bridge: S1)" in (summary)
    bridge = Bridge(project)
    try:
        assert bridge.retry("S1").asked == ("S1",)  # named, it runs again
    finally:
        bridge.close()


@needs_shared
def test_002s_paused_sanity_rows_are_named_beside_the_count(tmp_path: Path) -> None:
    """002 as written: R002/R003 (MUST, sanity milestone M0) say **PAUSED**, read as out of
    scope; the count said "Must-run completed: 0/5 (1 ended failed …; 4 more are blocked …)"
    of 11 must-run rows, those two in no word and not in results.json's `out_of_scope` (a
    sanity milestone's rows were left out of it; trial h42A)."""
    import sys

    from tests.plan.corpus import as_project

    project = as_project("002", tmp_path / "p")
    (project / "bridge.toml").write_text(
        f'[run]\ncommand = ["{sys.executable}", "-c", "pass"]\n', encoding="utf-8"
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.BLOCKED  # R001's GATE FAILED holds the sanity milestone
        summary = bridge.summary()
    finally:
        bridge.close()
    assert (
        "Must-run completed: 0/5 (1 ended failed or invalid before bridge: R001; 4 more are "
        "blocked in the tracker, not counted: R006, R009, R010, R011; 2 more are out of scope "
        "in the tracker, not counted: R002, R003)"
    ) in summary, summary
    data = json.loads((project / "refine-logs" / "results.json").read_text())
    assert data["summary"]["must_run"]["out_of_scope"] == ["R002", "R003"]


def test_must_run_rows_the_tracker_says_are_blocked_are_named_not_dropped(project: Path) -> None:
    """038's SELECT-02 `BLOCKED-BY-HOST` and OMM-01 `BLOCKED-BY-BUILD` (MUST) left the count in
    silence: "Must-run completed: 28/28", ready. They are named, and the plan is not done while
    they wait; a row set to SKIPPED is a decision, counted nowhere and named among the runs
    bridge did not launch."""
    write_project(
        project,
        [Run(id="S1", milestone="M0"), *(Run(id=f"R{n}", milestone="M1") for n in (1, 2, 3))],
    )
    _set_status(project, {"R2": "BLOCKED-BY-HOST", "R3": "SKIPPED"})
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    summary = bridge.summary()
    bridge.close()
    assert (
        "Must-run completed: 2/2 (1 more is blocked in the tracker, not counted: R2; 1 more is "
        "out of scope in the tracker, not counted: R3);"
    ) in summary, summary
    assert "Ready for the review loop: NO (must-run runs the tracker says are blocked: R2" in (
        summary
    )
    assert "R3" not in summary.split("Ready for the review loop")[1].split("\n")[0]
    data = json.loads((project / "refine-logs" / "results.json").read_text())
    assert data["summary"]["must_run"]["blocked"] == ["R2"]


def test_a_row_the_tracker_says_is_blocked_is_called_blocked_everywhere(project: Path) -> None:
    """002's R006 `**BLOCKED**`, its Notes "BLOCKED — mechanism gate failed (R001 FAIL)", was
    "out of scope in the tracker" in the summary and missing from the readiness line beside
    R009-R011 (the Notes' "failed" read as a failure); 027's `BLOCKED_BY_M1.5` rows were "out of
    scope, not run" on the console, "13 out of scope" and SKIPPED in `bridge status` and SKIPPED
    in the tracker's counts, while the summary said blocked. Every place says blocked; a
    SKIPPED row stays out of scope."""
    write_project(
        project,
        [Run(id="S1", milestone="M0"), *(Run(id=f"R{n}", milestone="M1") for n in (1, 2, 3))],
    )
    _set_status(project, {"R1": "**BLOCKED**", "R2": "BLOCKED_BY_M1.5", "R3": "SKIPPED"})
    _set_notes(project, "R1", "BLOCKED — mechanism gate failed (R001 FAIL); redesign needed")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        summary = bridge.summary()
        shown = status_lines(bridge.status(), width=120)
    finally:
        bridge.close()
    assert "1 more is blocked" not in summary
    assert (
        "Must-run completed: 1/1 (2 more are blocked in the tracker, not counted: R1, R2; 1 more "
        "is out of scope in the tracker, not counted: R3);"
    ) in summary, summary
    assert "must-run runs the tracker says are blocked: R1, R2;" in summary
    assert any(
        line.endswith("0/0 ok, 2 blocked in the tracker, 1 out of scope") for line in shown
    ), shown
    words = {line.split()[0]: line.split()[3] for line in shown if line.startswith("R")}
    assert (words["R1"], words["R2"], words["R3"]) == ("BLOCKED", "BLOCKED", "SKIPPED"), shown
    said = _ruled_out_said(project)
    assert " R1 blocked in the tracker, not run: BLOCKED — mechanism gate failed" in said["R1"]
    assert " R3 out of scope, not run: SKIPPED" in said["R3"]
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert "- R1 — blocked in the tracker: BLOCKED — mechanism gate failed" in results
    assert "- R3 — out of scope: SKIPPED" in results
    ours = tracker.read_text()
    assert "- R2 — blocked in the tracker: BLOCKED_BY_M1.5" in ours
    assert "(BLOCKED 2, DONE 1, SKIPPED 1)" in ours, ours


def test_must_run_work_people_do_is_named_as_such_not_as_excluded(project: Path) -> None:
    """020's R025, R047 … (TODO, owner `白天：人工`) read "61/61 (5 more must-run runs excluded
    by the tracker)" and ready but for the main milestone: they are work people do, not done
    yet. Named so beside the count, on the console, in results.json, and the plan is not ready
    while they stand."""
    write_project(
        project,
        [Run(id="S1", milestone="M0"), *(Run(id=f"R{n}", milestone="M1") for n in (1, 2))],
    )
    _set_notes(project, "R2", "API run is user-only")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        summary = bridge.summary()
        shown = status_lines(bridge.status(), width=120)
    finally:
        bridge.close()
    assert any(line.endswith("1/1 ok, 1 work people do, not done yet") for line in shown), shown
    assert (
        "Must-run completed: 2/2 (1 more is work people do, not done yet, not counted: R2);"
    ) in summary, summary
    assert "out of scope" not in summary.split("Must-run completed")[1].split("\n")[0]
    assert "Ready for the review loop: NO (must-run runs are work people do, not done yet: R2" in (
        summary
    )
    data = json.loads((project / "refine-logs" / "results.json").read_text())
    assert data["summary"]["must_run"]["by_person"] == ["R2"]
    assert data["summary"]["must_run"]["out_of_scope"] == []
    said = _ruled_out_said(project)
    assert list(said) == ["R2"]
    assert (
        " R2 work people do, not run by bridge: TODO (Notes: user-only; work people do"
        in (said["R2"])
    )
    # Listed as work still to do, not "out of scope" (020's "R047 — 不在范围内"), and its
    # status word is the tracker's TODO, not SKIPPED.
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert "- R2 — work people do, not done yet: TODO" in results, results
    assert "- R2 — out of scope" not in results
    row = next(line for line in shown if line.startswith("R2 "))
    assert " TODO " in row and "SKIPPED" not in row, row


def test_a_mixed_outcome_done_before_bridge_is_shown_as_written(tmp_path: Path) -> None:
    """038's "PASS-PARITY / FAIL-SPEEDUP" records a finished run whose 5x-speedup gate came out
    negative (HIP-02): it read as failed before bridge, kept the plan from the review loop and
    was offered `bridge retry`, which the plan forbids ("A negative result remains the
    authoritative first run"). It is done, its negative outcome shown in its own words; a plain
    FAILED part is a failed run; a part that says nothing ("ANNOTATION-ONLY") leaves a row
    done."""
    project = write_project(
        tmp_path / "p",
        [Run(id="S1", milestone="M0"), *(Run(id=f"R{n}", milestone="M1") for n in (1, 2, 3))],
    )
    _set_status(
        project,
        {
            "R1": "PASS-PARITY / FAIL-SPEEDUP",
            "R2": "PASS-RUNTIME / ANNOTATION-ONLY",
            "R3": "PASS-STATIC / FAILED",
        },
    )
    bridge = Bridge(project)
    try:
        bridge.run()
        shown = "\n".join(status_lines(bridge.status(), width=100))
    finally:
        bridge.close()
    assert "1 failed or invalid before bridge" in shown, shown
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    rows = [row for row in results.splitlines() if row.startswith(("| R1 |", "| R2 |", "| R3 |"))]
    assert (
        rows[0]
        .rstrip()
        .endswith("| DONE (PASS-PARITY / FAIL-SPEEDUP (a negative result, not a failed run)) |")
    ), rows
    assert rows[1].rstrip().endswith("| DONE (PASS-RUNTIME / ANNOTATION-ONLY) |"), rows
    assert rows[2].rstrip().endswith("| FAILED (PASS-STATIC / FAILED) |"), rows
    said = "PASS-PARITY / FAIL-SPEEDUP (a negative result, not a failed run)"
    assert f"- R1 — done before bridge: {said}" in results
    data = json.loads((project / "refine-logs" / "results.json").read_text())
    assert data["summary"]["must_run"]["failed_before_bridge"] == ["R3"]


def test_a_row_failed_before_bridge_with_no_command_is_not_advised_a_retry(
    tmp_path: Path,
) -> None:
    """018's calibration cells ended failed before bridge and have no command here: the next
    step said `bridge retry JPH-CAL-…`, which is refused ("has no command", trial T6). It says
    to change their Status, or give each a command."""
    project = write_project(
        tmp_path / "p",
        [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1"), Run(id="X2", milestone="M1")],
    )
    _set_status(project, {"X2": "failed"})
    config = project / "bridge.toml"
    text = config.read_text()
    head, rest = text.split("\n[run]\n", 1)
    command, rest = rest.split("\n", 1)
    entries = rest.replace('\n[[runs]]\nid = "S1"\n', f'\n[[runs]]\nid = "S1"\n{command}\n')
    entries = entries.replace('\n[[runs]]\nid = "R1"\n', f'\n[[runs]]\nid = "R1"\n{command}\n')
    config.write_text(f"{head}\n[run]\n{entries}")
    bridge = Bridge(project)
    try:
        bridge.run()
        assert not bridge.status().runs["X2"].spec.command
        summary = bridge.summary()
    finally:
        bridge.close()
    step = next(line for line in summary.splitlines() if line.startswith("Next step:"))
    # Its retry only once bridge.toml gives it a command: a retry before that is refused.
    assert "bridge retry X2" not in step.split("have bridge.toml give them one")[0], step
    # The Status that takes them out of scope is named (trial t16's F3), and their command as
    # recorded, not "no command here": bridge.toml may give one since (F16).
    assert (
        "(X2): if that result stands, set their Status in the tracker to `NOT RUN — <reason>` "
        "(out of scope, not counted among the must-run runs; DONE counts as done); to run them "
        "under bridge, bridge recorded them with no command"
    ) in step, step
    assert "no command here" not in step, step


def test_a_chinese_summary_joins_the_blocked_runs_it_names_with_a_chinese_comma(
    project: Path,
) -> None:
    """025 (trial t6) read `另有 3 个必做运行在追踪表中受阻，未计入：E-rag-sft, A1, A2`: a run
    list joined with ", " inside Chinese text, where every other Chinese list of runs bridge
    writes uses "、". So did the failed nice-to-have runs beside it (`未成功：A3, A4`)."""
    nice = [Run(id=f"N{n}", milestone=f"M{n}", priority="NICE", mode="fail") for n in (1, 2)]
    write_project(
        project,
        [
            Run(id="S1", milestone="M0"),
            *(Run(id=f"R{n}", milestone="M1") for n in (1, 2, 3)),
            *nice,
        ],
    )
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    head, _, rest = plan.read_text().partition("\n")
    plan.write_text(head + "\n\n" + CHINESE_PREFACE * 3 + rest)
    _set_status(project, {"R2": "BLOCKED", "R3": "BLOCKED"})
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        summary = bridge.summary()
    finally:
        bridge.close()
    assert "另有 2 个必做运行在追踪表中受阻，未计入：R2、R3" in summary, summary
    # So are the failed nice-to-have runs on the same line (025: 未成功：A3, A4).
    assert "（未成功：N1、N2；`bridge retry --failed` 可重新运行）" in summary, summary


@needs_shared
@pytest.mark.parametrize(
    ("language", "bar"),
    [("zh", "（无里程碑）"), ("en", "(no milestone)")],
)
def test_rows_done_before_bridge_with_a_negative_result_are_not_counted_ok(
    tmp_path: Path, language: str, bar: str
) -> None:
    """018's tracker marks four JPH-CAL rows `failed`, which its legend says is the method
    failing in a run that completed ("`failed` 表示方法/任务失败"): done, but no success.
    `bridge status` counted them as succeeded (`8/13 成功（其中 8 个在 bridge 之前已完成）`);
    they are said apart, and `ok`/`成功` counts only the rows whose Status says they passed."""
    from tests.plan.corpus import as_project

    project = as_project("018", tmp_path / "p")
    (project / "bridge.toml").write_text(
        f'[bridge]\ncode_review = false\nlanguage = "{language}"\n\n[run]\ncommand = ["true"]\n'
    )
    bridge = Bridge(project)
    try:
        bridge.run()
        lines = status_lines(bridge.status(), width=200)
    finally:
        bridge.close()
    (line,) = [x for x in lines if x.startswith(bar + " ")]
    # 4 passed, 4 JPH-CAL rows the legend's `failed` (方法/任务失败) makes negative results,
    # 5 invalid.
    if language == "zh":
        assert line.endswith(
            " 4/13 成功（其中 4 个在 bridge 之前已完成），4 个在 bridge 之前已完成、结果为负，"
            "5 个在 bridge 之前已失败或无效；没有行指明它们的里程碑"
        ), line
    else:
        assert line.endswith(
            " 4/13 ok (4 done before bridge), 4 done before bridge with a negative result, "
            "5 failed or invalid before bridge; no row names their milestone"
        ), line


def test_a_chinese_status_view_says_a_retry_a_person_asked_for_in_chinese(project: Path) -> None:
    """021 (trial t9): after `bridge retry --force R007`, a Chinese plan's `bridge status` noted
    "retry asked by a person" in English, where the tracker's Notes already said 由人要求重试."""
    write_project(project, [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")])
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    head, _, rest = plan.read_text().partition("\n")
    plan.write_text(head + "\n\n" + CHINESE_PREFACE * 3 + rest)
    bridge = Bridge(project)
    bridge.run()
    bridge.retry("R1", force=True)
    lines = status_lines(bridge.status(), width=200)
    bridge.close()
    line = next(line for line in lines if line.lstrip().startswith("R1 "))
    assert "由人要求重试" in line, line
    assert "retry asked by a person" not in line, line


def test_runs_not_launched_yet_are_not_called_not_succeeded(project: Path) -> None:
    """030 with `auto_deploy = false` (trial t9): at the approval stop, before any run started,
    the readiness line read "must-run runs not succeeded: A1, A2, …", as if they had failed."""
    write_project(
        project,
        [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1"), Run(id="R2", milestone="M1")],
        bridge="auto_deploy = false\ncode_review = false",
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.AWAITING_APPROVAL
        summary = bridge.summary()
    finally:
        bridge.close()
    assert "must-run runs not run yet: S1, R1, R2" in summary, summary
    assert "not succeeded" not in summary, summary
