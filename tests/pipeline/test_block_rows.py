"""
A tracker that lists blocks, not runs: the Status the researcher writes on a block's row.

034's tracker has one row per block (`| Block | Status | Run ID | … |`) and its runs come from
the plan. The researcher wrote `NOT RUN — closed-weight model, no tuned lens` on S3's row, as
bridge's own warning tells them to: it was written over with FAILED, without a word, and the
run kept failing the must-run count (trial T1).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bridge import Bridge, Stage
from bridge.events import types as ev
from bridge.events.store import SQLiteEventStore
from bridge.machine.stages import RunState
from bridge.plan import load_project
from tests.conftest import needs_shared
from tests.pipeline.conftest import Run, executions, write_project
from tests.plan.corpus import as_project, run_to_results

TRACKER = """\
# Experiment Tracker

| Block | Status | Run ID | Notes |
|---|---|---|---|
| B0 | pending | — | the first block |
| B1 | {b1} | — | {notes} |
"""


def _project(root: Path, b1: str = "pending", notes: str = "—", mode: str = "fail") -> Path:
    """Two blocks, their runs proposed from the plan (R001 in B0, R002 in B1, B1's failing)."""
    write_project(
        root,
        [Run(id="A", milestone="M1"), Run(id="B", milestone="M2", system="other")],
        sanity=None,
    )
    # One system per block: B0 compares "main", B1 "other".
    plan = root / "refine-logs" / "EXPERIMENT_PLAN.md"
    first, second = plan.read_text().split("### Block 1")
    plan.write_text(
        first.replace("  - main\n  - other\n", "  - main\n")
        + "### Block 1"
        + second.replace("  - main\n  - other\n", "  - other\n")
    )
    config = root / "bridge.toml"
    # The runs come from the plan's blocks: no [[runs]] entry of the test's rows.
    kept = config.read_text().split("\n[[runs]]")[0]
    config.write_text(kept + f'\n[systems."other"]\nargs = {{ mode = "{mode}" }}\n')
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER.format(b1=b1, notes=notes))
    return root


def _run(project: Path) -> Bridge:
    bridge = Bridge(project)
    if bridge.run() is Stage.AWAITING_APPROVAL:  # runs proposed from the plan: confirmed once
        bridge.approve()
        bridge.run()
    return bridge


def _set_b1(project: Path, status: str) -> None:
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text().splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("| B1 |"))
    cells = lines[at].split("|")
    cells[2] = f" {status} "
    lines[at] = "|".join(cells)
    tracker.write_text("\n".join(lines) + "\n")


def test_a_block_rows_out_of_scope_status_takes_its_runs_out_before_they_run(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path / "p", b1="SKIPPED", notes="no API access")
    loaded = load_project(project)
    runs = {r.id: r for r in loaded.runs}
    assert (runs["R002"].block, runs["R002"].status) == ("B1", "skipped")
    assert runs["R002"].settled_before_bridge and not runs["R001"].settled_before_bridge
    bridge = _run(project)
    try:
        state = bridge.status()
    finally:
        bridge.close()
    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        ruled_out = [r.event for r in store.read() if isinstance(r.event, ev.RunRuledOut)]
    finally:
        store.close()
    assert state.runs["R002"].state is RunState.OUT_OF_SCOPE
    assert state.runs["R001"].state is RunState.SUCCEEDED
    assert "R002" not in executions(project)
    # Where it was said: the block's row of the tracker, and why.
    assert [(e.run_id, e.file, e.line) for e in ruled_out] == [
        ("R002", "refine-logs/EXPERIMENT_TRACKER.md", 6)
    ]
    assert "no API access" in ruled_out[0].reason


def test_a_status_written_on_a_failed_runs_block_row_is_applied_and_kept(tmp_path: Path) -> None:
    project = _project(tmp_path / "p")
    bridge = _run(project)
    try:
        assert bridge.status().runs["R002"].state is RunState.FAILED
    finally:
        bridge.close()
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    assert "| B1 | FAILED |" in tracker.read_text()

    _set_b1(project, "NOT RUN — closed-weight model, no tuned lens")
    bridge = _run(project)
    try:
        state = bridge.status()
        summary = bridge.summary()
    finally:
        bridge.close()
    assert state.runs["R002"].state is RunState.OUT_OF_SCOPE
    assert "closed-weight model" in state.runs["R002"].reason
    # The researcher's words stay in their row; the run no longer counts as not succeeded.
    assert "| B1 | NOT RUN — closed-weight model, no tuned lens |" in tracker.read_text()
    assert "must-run runs not succeeded" not in summary, summary
    assert "out of scope in the tracker, not counted: R002" in summary, summary

    # Back to TODO once the cause is fixed: the run runs again, with the settings of now.
    config = project / "bridge.toml"
    config.write_text(config.read_text().replace('mode = "fail"', 'mode = "ok"'))
    _set_b1(project, "TODO")
    bridge = _run(project)
    try:
        assert bridge.status().runs["R002"].state is RunState.SUCCEEDED
    finally:
        bridge.close()
    assert "| B1 | DONE |" in tracker.read_text()


def test_bridges_own_words_on_a_block_row_ask_nothing(tmp_path: Path) -> None:
    """CANCELLED (bridge's word for runs it did not launch) and a cell for several runs
    ("DONE ×2, FAILED ×1") are no request: a run added to the block later still runs."""
    for written in ("CANCELLED", "DONE ×2, CANCELLED ×1"):
        project = _project(tmp_path / written.replace(" ", "_"), b1=written, mode="ok")
        runs = {r.id: r for r in load_project(project).runs}
        assert not runs["R002"].settled_before_bridge, written
        assert runs["R002"].status == "todo", written


def test_not_run_on_a_block_row_whose_runs_succeeded_is_said_not_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """NOT RUN written on the row of a block whose runs succeeded (trial T4, 034b): the runs keep
    their results and `bridge run` says the Status is written back and why; the tracker's
    warning no longer promises that such a word takes them out of scope."""
    from bridge.cli.main import main

    project = _project(tmp_path / "p", mode="ok")
    _run(project).close()
    _set_b1(project, "NOT RUN — closed-weight model")
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert (
        "R002 succeeded, and the tracker's Status now says NOT RUN — closed-weight model: bridge "
        "keeps its result and writes its done status back"
    ) in out
    assert "takes the block's runs that have not succeeded out of scope (a run that " in out
    bridge = Bridge(project)
    try:
        assert bridge.status().runs["R002"].state is RunState.SUCCEEDED
    finally:
        bridge.close()


def test_bridge_plan_names_a_failed_block_set_back_to_todo_as_first_to_launch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """B1's run failed; the researcher set B1's row back to TODO, which the next `bridge run`
    applies: `bridge plan` said "first to launch: none: each run has been run by bridge"
    (trial T4)."""
    from bridge.cli.main import main

    project = _project(tmp_path / "p")
    _run(project).close()
    _set_b1(project, "TODO")
    assert main(["plan", "--project", str(project)]) == 0
    assert "\nfirst to launch: R002 (other)\n" in capsys.readouterr().out


FAKE_015 = """import json, pathlib, sys
out = pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"requests_per_model": 600}))
"""


@needs_shared
def test_a_block_column_after_a_date_column_is_read_as_the_block_rows(tmp_path: Path) -> None:
    """
    015's tracker is a dated table of blocks, `| Date | Block | Status | Key result | Next
    action |`: its Block column is the second. It read as no table at all ("the tracker has no
    run table"): `NOT RUN — …` written on B9's row launched R010 all the same, and after the
    runs every block row still said `not-started` (trial t18).
    """
    project = as_project("015", tmp_path / "p")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").split("\n")
    # Only B0's run (R001) is left to run: every other block row ruled out, as a person would.
    tracker.write_text(
        "\n".join(
            re.sub(r"\| (not-started|optional) \|", "| NOT RUN — not this week |", line)
            if re.match(r"\| 2026-06-24 \| B[1-9] ", line)
            else line
            for line in lines
        ),
        encoding="utf-8",
    )
    loaded = load_project(project)
    runs = {r.block: r for r in loaded.runs}
    assert (runs["B9"].id, runs["B9"].status) == ("R010", "blocked"), runs["B9"]
    assert runs["B0"].status == "todo"
    (said,) = [w.message for w in loaded.plan.warnings if "lists blocks, not runs" in w.message]
    # TODO alone does not rerun a block whose run succeeded (h40I F6): the advice names what does.
    assert said.endswith(
        "TODO runs those that have not succeeded again (one that succeeded runs again with "
        "`bridge retry --force <run>`)"
    ), said
    assert not any("has no run table" in w.message for w in loaded.plan.warnings)

    run_to_results(project, FAKE_015)

    rows = tracker.read_text(encoding="utf-8").split("\n")
    # The researcher's Key result words stay, and bridge's part beside them is labelled: "DONE |
    # pre-flight inventory not yet run" read as a row contradicting itself (h40I F7).
    assert (
        "| 2026-06-24 | B0 | DONE | pre-flight inventory not yet run; bridge: R001 "
        "requests_per_model = 600 |"
    ) in rows[5], rows[5]
    assert "| 2026-06-24 | B9 | NOT RUN — not this week | firebreak ring isolation |" in rows[14]
    assert "| 2026-06-23 | init | ready |" in rows[4]  # no block of the plan: as written


def test_a_block_rows_result_cell_keeps_the_researchers_words_and_relabels_bridges() -> None:
    """Bridge's part of a block row's Result cell is the part after its label: rewritten on
    each render (a rerun's value), the researcher's words before it kept as they stand now;
    Chinese in a Chinese tracker; only the researcher's words once bridge writes no status."""
    from bridge.projections.tracker_layout import _block_result

    cell = " inventory done by hand; bridge: R001 acc = 0.7 "
    assert _block_result(cell, ["R001 acc = 0.8"], "en") == (
        "inventory done by hand; bridge: R001 acc = 0.8"
    )
    assert _block_result("—", ["R001 DONE"], "en") == "bridge: R001 DONE"
    assert _block_result("待运行", ["R001 acc = 0.8"], "zh") == "待运行；bridge：R001 acc = 0.8"
    assert _block_result(cell, [], "en") == "inventory done by hand"
    many = [f"R00{n} DONE" for n in range(1, 9)]
    assert _block_result("", many, "en").endswith("R006 DONE; 2 more")
