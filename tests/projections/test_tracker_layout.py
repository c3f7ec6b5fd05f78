"""
The tracker stays the researcher's (issue 14, item 5): every real corpus tracker, filled in from a
log where some of its runs ran, keeps every byte outside the Status and Notes cells of the runs
bridge launched; done-like and out-of-scope rows are recorded as such and kept as written.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from bridge.errors import ConfigError, PlanError
from bridge.events import types as ev
from bridge.machine.fold import PipelineState, fold
from bridge.machine.stages import NOT_BRIDGES_RUN_STATES, RunState
from bridge.pipeline.recording import plan_events
from bridge.plan import load_project
from bridge.plan.text import Document, plain, split_cells
from bridge.plan.tracker import block_column, column_positions, is_run_table
from bridge.projections import tracker
from bridge.projections.tracker_layout import (
    GENERATED_MARK,
    cell_spans,
    result_column,
    template_of,
)
from bridge.projections.writer import WRITTEN_DIR
from tests.conftest import needs_shared
from tests.plan.corpus import as_project, plan_dirs
from tests.recorded_runs import finished_run, planned

TRACKERS = [p.name for p in plan_dirs() if (p / "EXPERIMENT_TRACKER.md").is_file()]


def _state(root: Path, launched: int = 3) -> PipelineState:
    """The project's plan recorded, then its first ``launched`` pending runs run: one fails,
    the others succeed."""
    store = planned(root)
    pending = [r.run_id for r in fold(store.read()).runs.values() if r.state is RunState.PENDING]
    for n, run_id in enumerate(pending[:launched]):
        attempt = f"{run_id}-a1"
        finished: object = (
            ev.RunFailed(run_id=run_id, attempt_id=attempt, exit_code=1, reason="exit 1")
            if n == 0
            else ev.RunSucceeded(run_id=run_id, attempt_id=attempt)
        )
        store.append(
            f"run:{run_id}",
            [
                ev.RunSubmitted(run_id=run_id, attempt_id=attempt, attempt=1, backend="local"),
                finished,
            ],
            None,
        )
    return fold(store.read())


def _fixed_cells(header: tuple[str, ...]) -> set[int]:
    columns = column_positions(header)
    return {columns[k] for k in ("status", "notes") if k in columns}


@pytest.mark.parametrize("name", TRACKERS)
def test_corpus_tracker_keeps_everything_but_status_and_notes(name: str, tmp_path: Path) -> None:
    """Outside the Status and Notes cells of rows bridge ran, the tracker is byte for byte the
    researcher's: every line, column, section and table; only bridge's section follows."""
    root = as_project(name[:3], tmp_path)
    original = (root / "refine-logs" / "EXPERIMENT_TRACKER.md").read_bytes().decode("utf-8-sig")
    try:
        state = _state(root)
    except (PlanError, ConfigError) as exc:  # pragma: no cover - would say which plan
        pytest.fail(f"{name}: {exc}")
    text = tracker.render(state)
    template = original.replace("\r\n", "\n")
    assert GENERATED_MARK in text
    # The file is the researcher's: bridge says which parts are its own, never "not this file".
    assert "the rest of this file is yours" in text.split(GENERATED_MARK, 1)[1]
    assert "edit the plan, not this file" not in text
    assert len(template_of(text).split("\n")) == len(template.split("\n"))
    before, after = template.split("\n"), text.split("\n")
    doc = Document(template, "EXPERIMENT_TRACKER.md")
    row_lines = {
        number - 1: table for table in doc.tables if is_run_table(table) for number, _ in table.rows
    }
    untouchable = {r.run_id for r in state.runs.values() if r.state in NOT_BRIDGES_RUN_STATES}
    # Tables of blocks (034's `| Block | Status | Run ID | … |`, 015's `| Date | Block | Status
    # | … |`): only their Status and Run ID cells are bridge's, and the part of a Result cell
    # after bridge's label (the researcher's words before it as written).
    block_lines = {
        number - 1: {
            column_positions(table.header).get("status"),
            *(n for n, h in enumerate(table.header) if plain(h).casefold().strip() == "run id"),
        }
        for table in doc.tables
        if block_column(table) is not None
        for number, _ in table.rows
    }
    block_results = {
        number - 1: at
        for table in doc.tables
        if block_column(table) is not None
        and (at := result_column(table.header, column_positions(table.header))) is not None
        for number, _ in table.rows
    }
    changed_rows = 0
    for index, line in enumerate(before):
        table = row_lines.get(index)
        if after[index] == line:
            continue
        if table is None and index in block_lines:
            ours = block_lines[index]
            old, new = split_cells(line), split_cells(after[index])
            if (at := block_results.get(index)) is not None and new[at] != old[at]:
                theirs, label, _ = new[at].partition("bridge: ")
                assert label and theirs.removesuffix("; ") in (old[at], ""), (name, index)
                assert theirs or old[at] in ("", "-", "—"), (name, index)
                ours = {*ours, at}
            assert [c for k, c in enumerate(old) if k not in ours] == [
                c for k, c in enumerate(new) if k not in ours
            ], (name, index)
            continue
        assert table is not None, f"{name}: line {index + 1} changed outside a run table row"
        run_id = split_cells(line)[0].strip("*` ")
        # A row naming several seeds (032's `Seeds` 3) shows its runs E02-s0 … together.
        seeded = {r.run_id for r in state.runs.values() if r.run_id.startswith(f"{run_id}-s")}
        assert run_id in state.runs or seeded, f"{name}: row {run_id} (line {index + 1}) is no run"
        assert run_id not in untouchable, f"{name}: {run_id} was not bridge's to change"
        free = _fixed_cells(table.header)
        old, new = split_cells(line), split_cells(after[index])
        kept = [c for k, c in enumerate(old) if k not in free and k < len(table.header) - 1]
        assert kept == [c for k, c in enumerate(new) if k not in free][: len(kept)], (name, index)
        changed_rows += 1
    launched = {r.run_id for r in state.runs.values() if r.attempts}
    # A launched run whose row has a Status column shows bridge's status there.
    assert changed_rows >= len(launched & _first_cells(doc))


def _first_cells(doc: Document) -> set[str]:
    """The run ids of the rows of run tables that have a Status column."""
    return {
        cells[0].strip("*` ")
        for table in doc.tables
        if is_run_table(table) and "status" in column_positions(table.header)
        for _, cells in table.rows
    }


def test_every_corpus_tracker_is_covered() -> None:
    """The corpus is there (read from ../shared) and most of its plans have trackers."""
    assert len(TRACKERS) >= 20


def test_areal_tracker_keeps_its_171_lines_and_columns(tmp_path: Path) -> None:
    """018 (Chinese, extra columns Block / 结果/证据 / 产物位置, decision and failure logs):
    every researcher line is still there, and done or out-of-scope rows are not launched."""
    root = as_project("018", tmp_path)
    state = _state(root)
    text = tracker.render(state)
    original = (root / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text()
    assert len(template_of(text).split("\n")) == len(original.split("\n"))
    assert text.count("\n") > original.count("\n")
    skipped = [r for r in state.runs.values() if r.state in NOT_BRIDGES_RUN_STATES]
    assert skipped, "the 018 tracker marks runs done and out of scope"
    for run in skipped:
        assert f"- {run.run_id} — " in text


def test_areal_stamp_names_the_trackers_own_columns(tmp_path: Path) -> None:
    """018's run ledger calls its columns 状态 and 备注: bridge's stamp names the cells it owns
    by those headers, not "Status 与 Notes", which the researcher finds nowhere in the file."""
    text = tracker.render(_state(as_project("018", tmp_path)), "zh")
    said = text.split(GENERATED_MARK, 1)[1]
    assert "本节及 bridge 运行过的行的 状态 与 备注 单元格归 bridge 所有；" in said
    assert "Status 与 Notes" not in said


def test_an_english_tracker_stamp_names_status_and_notes(tmp_path: Path) -> None:
    """009's columns are Status and Notes: named as they are written."""
    text = tracker.render(_state(as_project("009", tmp_path)))
    assert "the Status and Notes cells of the runs bridge ran are bridge's" in text


def test_a_tracker_without_a_notes_column_keeps_its_columns_and_gets_the_notes_below(
    tmp_path: Path,
) -> None:
    """027's run table has no Notes column. Its columns stay exactly as written (none added),
    bridge's notes on its runs (the failed one's reason too) are listed in its own section, and
    its stamp no longer claims "Status 与 Notes" cells: only Status, saying where the notes are."""
    root = as_project("027", tmp_path)
    state = _state(root)
    text = tracker.render(state, "zh")
    original = (root / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text(encoding="utf-8")
    header = original.split("\n")[2]
    assert "Notes" not in header and "备注" not in header
    assert template_of(text).split("\n")[2] == header
    said = text.split(GENERATED_MARK, 1)[1]
    assert (
        "本节及 bridge 运行过的行的 Status 单元格归 bridge 所有（运行表没有 Notes 列：bridge "
        "对其运行的备注写在本节）；文件其余部分归你。"
    ) in said
    assert "Notes 单元格" not in said
    failed = next(r for r in state.runs.values() if r.state is RunState.FAILED)
    notes = said.split("### bridge 的备注\n\n", 1)[1]
    # Seed 3407, the one B1 writes and B2's three begin with, is the plan's (trial t9).
    assert f"- {failed.run_id}: bridge：种子 3407；第 1 次尝试，local；退出码 1" in notes
    english = tracker.render(state, "en").split(GENERATED_MARK, 1)[1]
    assert (
        "this section and the Status cells of the runs bridge ran are bridge's (the run table "
        "has no Notes column: bridge's notes on its runs are in this section)"
    ) in english


@needs_shared
def test_a_tracker_without_a_result_column_says_what_each_run_measured(tmp_path: Path) -> None:
    """027 (h41B F1): its run table has no Result column. Seeds of a multi-seed row said what
    they measured under bridge's notes, a one-run row such as R-L3-V only "退出码 0": its
    numbers were nowhere in the tracker."""
    root = as_project("027", tmp_path)
    store = planned(root)
    store.append("run:R-L3-V", finished_run("R-L3-V", {"D_motion": 0.4}), None)
    text = tracker.render(fold(store.read()), "zh")
    notes = text.split("### bridge 的备注\n\n", 1)[1]
    (said,) = [line for line in notes.splitlines() if line.startswith("- R-L3-V: ")]
    assert said.endswith("；测得 D_motion = 0.4"), said


def test_cell_spans_agree_with_the_reader() -> None:
    """The cells located for rewriting are the cells the reader reads."""
    for line in (
        "| R1 | a `x|y` b | DONE | n |",
        "R1 | a \\| b | TODO",
        "  | R2 |  | ✅ 7/7 | notes | ",
        "| `` a ` b `` | c |",
    ):
        spans = [line[s:e].strip() for s, e in cell_spans(line)]
        assert [s.replace("\\|", "|") for s in spans] == split_cells(line), line


@needs_shared
def test_034_a_table_of_blocks_shows_its_runs(tmp_path: Path) -> None:
    """034's tracker lists blocks (`| Block | Status | Run ID | … |`, every row "pending" and
    "—"), not runs. Once runs of a block have run, its row's Status shows them (with the first
    three of 034's runs launched: P0's R001 FAILED, P1's R002 and A1's R003 DONE) and its empty
    Run ID cell their ids; a block whose runs have not run keeps its Status as written."""
    root = as_project("034", tmp_path)
    text = tracker.render(_state(root))
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    assert rows["P0"].startswith("| P0 | FAILED | R001 | — |")
    assert rows["P1"].startswith("| P1 | DONE | R002 |")
    assert rows["A2"].startswith("| A2 | pending | R004 |")  # not run yet: Status as written
    # Each run is listed one by one after the mark, under a heading that says the block rows
    # name them (it said "Runs not in the tables above" for runs the rows had just named).
    after = text.split("## bridge — Runs", 1)[1]
    assert "### Each run of the block rows above" in after
    assert "Runs not in the tables above" not in after
    # The stamp spoke of "the run table" and its missing Notes column: 034 has neither (its
    # table of blocks has a Notes column bridge leaves alone) (h41C).
    assert (
        "this section and the Status and Run ID cells of the block rows are bridge's (the "
        "tracker lists blocks, not runs: bridge lists each run here, with its notes on it)"
    ) in after
    assert "run table has no Notes column" not in after


@needs_shared
def test_033_a_tracker_of_checklists_has_no_run_table_said(tmp_path: Path) -> None:
    """033's tracker is checklists, no run table: the stamp said "the run table has no Notes
    column" of a table that is not there (h41C)."""
    after = tracker.render(_state(as_project("033", tmp_path), launched=1)).split(
        GENERATED_MARK, 1
    )[1]
    assert (
        "this section is bridge's (the tracker has no run table: bridge lists its runs here, "
        "with its notes on them); the rest of this file is yours."
    ) in after
    assert "### Runs not in the tables above" in after


def test_only_block_rows_name_the_runs_listed_under_them() -> None:
    """A run a decision log or another table mentions is no run of a block row: it stays under
    "Runs not in the tables above" (every mention anywhere in the file counted before)."""
    from bridge.projections.tracker import _block_rows_text

    lines = [
        "| Run ID | Status |",
        "|---|---|",
        "| R1 | TODO |",
        "",
        "- 2026-01-10: R9 depends on R3.",
        "",
        "| Block | Status | Run ID |",
        "|---|---|---|",
        "| B1 | DONE | R4, R5 |",
    ]
    text = _block_rows_text(lines, "T.md")
    assert "R4, R5" in text and "R9" not in text and "R1" not in text


@needs_shared
def test_011_waiting_rows_wait_and_done_tasks_read_done(tmp_path: Path) -> None:
    """011's R020 waits for R017 (human annotation, which bridge does not run): the tracker
    listed it "out of scope" and counted it SKIPPED; its done implementation tasks (R001
    "Implement Stage B", DONE in its row) read SKIPPED in the count and in `bridge status`.
    Now a waiting row waits (TODO) and a done task is DONE, as the tracker's rows say."""
    from bridge.cli.console import render_status
    from bridge.projections import results

    state = _state(as_project("011", tmp_path), launched=0)
    assert tracker.status_word(state.runs["R001"]) == "DONE"
    assert tracker.status_word(state.runs["R020"]) == "TODO"
    text = tracker.render(state)
    after = text.split("## bridge — Runs", 1)[1]
    assert "- R020 — waiting: TODO (waits for R017, which bridge does not run" in after
    assert "R020 — out of scope" not in after
    assert "SKIPPED" not in after.split("### ", 1)[0]  # the count: DONE and TODO only
    assert "- R020 — waiting: TODO (waits for R017" in results.render(state)
    status = render_status(state, width=120).plain
    assert "2 waiting for runs bridge does not run" in status
    assert "out of scope" not in status


def test_a_waiting_row_is_said_in_chinese_on_a_chinese_plan(tmp_path: Path) -> None:
    """A Chinese plan's row that waits for work people do is listed 等待中 (waiting), as its
    status line says it, never 不在范围内 (out of scope)."""
    root = tmp_path / "zh"
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# 实验计划：审核\n\n本计划检验一个小模型在问答上的准确率，并由人工评估生成质量。\n\n"
        "## 实验块\n\n### B1：主实验\n- **对比系统**：本方法\n",
        encoding="utf-8",
    )
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | Block | Purpose | System / Variant | Status | Notes |\n"
        "|---|---|---|---|---|---|---|\n"
        "| R1 | M1 | B1 | 主实验 | 本方法 | TODO | - |\n"
        "| R2 | M1 | B1 | 人工评估（50 条） | 本方法 | TODO | - |\n"
        "| R4 | M1 | B1 | 汇总分析 | 本方法 | TODO | After R2 |\n",
        encoding="utf-8",
    )
    state = _state(root, launched=0)
    text = tracker.render(state, "zh")
    assert "- R4 — 等待中: TODO（等待 R2，bridge 不运行它" in text
    assert "不在范围内" not in text
    assert tracker.status_word(state.runs["R4"]) == "TODO"


def test_the_researchers_status_of_several_parts_follows_bridges_word() -> None:
    """038's HIP-03 `PASS-STATIC / PENDING-RESIDENT` read `DONE` once bridge ran it: their words
    follow bridge's, in the plan's language, and a Status bridge filled in earlier, read back
    after an edit of the tracker, keeps them once; a Status of one part is bridge's word alone."""
    written = "**PASS-STATIC / PENDING-RESIDENT**"
    assert tracker._with_earlier("DONE", written, "en") == (
        "DONE (was: PASS-STATIC / PENDING-RESIDENT)"
    )
    assert tracker._with_earlier("FAILED", written, "zh") == (
        "FAILED（原为：PASS-STATIC / PENDING-RESIDENT）"
    )
    again = "DONE (was: PASS-STATIC / PENDING-RESIDENT)"
    assert tracker._with_earlier("FAILED", again, "en") == (
        "FAILED (was: PASS-STATIC / PENDING-RESIDENT)"
    )
    assert tracker._with_earlier("DONE", "PENDING", "en") == "DONE"


@needs_shared
def test_030_result_cells_take_what_bridges_runs_measured(tmp_path: Path) -> None:
    """030's run table has a Result column, empty (trial t18 F8): the row of a run bridge ran
    takes its measured key metric as results.md's Key Metric cell shows it; a row not run yet
    keeps its empty cell; bridge's own earlier value (the cell as its last write had it) is
    rewritten after a rerun, while what the researcher wrote there is kept, in any form, its
    own included."""
    root = as_project("030", tmp_path)
    store = planned(root)
    measured = {"A1": 1.0, "B1": 0.98, "C1": 0.97, "D1": 0.8}
    names = {"A1": "registration_success", "B1": "completion_rate", "C1": "correct_routing_rate"}
    for run_id, value in measured.items():
        numbers = {names.get(run_id, "useful_completion_rate"): value}
        store.append(f"run:{run_id}", finished_run(run_id, numbers, key_metric=None), None)
    state = fold(store.read())

    def result(text: str, run_id: str) -> str:
        line = next(x for x in text.splitlines() if x.startswith(f"| {run_id} |"))
        return plain(split_cells(line)[5])

    text = tracker.render(state)
    assert result(text, "B1") == "completion_rate = 0.98"
    assert result(text, "A2") == ""  # not run yet
    assert (
        "A Result cell bridge filled (`metric = value`) is the run's measured key metric"
        in (text.split(GENERATED_MARK, 1)[1])
    )
    # Bridge's last write held C1's value from before its rerun (0.5); the tracker is read
    # back after the researcher wrote in three Result cells, B1's in the very form bridge
    # writes (`completion_rate = 0.80` typed by hand, which was taken for bridge's and
    # replaced by the rerun's value). What bridge last wrote is read from its note of that
    # write, as the plan is loaded.
    ours = text.replace("| correct_routing_rate = 0.97 |", "| correct_routing_rate = 0.5 |")
    template = (
        template_of(ours)
        .replace("| registration_success = 1 |", "| all 4 registered |")
        .replace("| useful_completion_rate = 0.8 |", "| useful_completion_rate = 0.7 (ana) |")
        .replace("| completion_rate = 0.98 |", "| completion_rate = 0.80 |")
    )
    assert template.count("all 4 registered") == template.count("= 0.80 |") == 1
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(template, encoding="utf-8")
    note = root / WRITTEN_DIR / "refine-logs" / "EXPERIMENT_TRACKER.md"
    note.parent.mkdir(parents=True)
    note.write_text(ours, encoding="utf-8")
    loaded = next(
        e
        for stream, events in plan_events(load_project(root))
        if stream == "bridge"
        for e in events
        if isinstance(e, ev.PlanLoaded)
    )
    assert loaded.tracker_results["C1"] == "correct_routing_rate = 0.5"
    again = tracker.render(attrs.evolve(state, plan=loaded))
    assert result(again, "A1") == "all 4 registered"
    assert result(again, "C1") == "correct_routing_rate = 0.97"
    assert result(again, "D1") == "useful_completion_rate = 0.7 (ana)"
    assert result(again, "B1") == "completion_rate = 0.80"


@needs_shared
def test_015_bridges_own_rows_say_what_their_columns_name(tmp_path: Path) -> None:
    """015's tracker lists blocks, so bridge lists the runs under its own header (trial t18
    F7): B0's Inputs (trace data, installs, a solver) is no split, so the Split cell stays
    empty, and the Metrics cell says what the run measured though the block names no metric."""
    root = as_project("015", tmp_path)
    store = planned(root)
    store.append("run:R001", finished_run("R001", {"requests_per_model": 600.0}), None)
    text = tracker.render(fold(store.read()))
    after = text.split(GENERATED_MARK, 1)[1].split("### Runs not in the tables above", 1)[1]
    header = next(x for x in after.splitlines() if x.startswith("| Run ID |"))
    row = next(x for x in after.splitlines() if x.startswith("| R001 |"))
    cells = dict(zip(split_cells(header), split_cells(row), strict=True))
    assert cells["Split"] == ""
    assert cells["Metrics"] == "requests_per_model = 600"
    assert "Patterns Behind Chaos" not in after
