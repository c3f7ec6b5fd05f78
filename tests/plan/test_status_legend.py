"""
A tracker's status legend is read, and a row whose code is not written yet is told apart.

The corpus expectations were written by reading the trackers (026, 032, 033, 005 and 023).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.plan import load_project
from bridge.plan.status_legend import (
    NO_LEGEND,
    awaited_code,
    legend_status,
    read_legend,
    untrusted_status,
)
from bridge.plan.text import Document
from tests.conftest import needs_shared
from tests.plan.corpus import as_project, corpus


def _legend(text: str) -> dict[str, str]:
    return dict(read_legend(Document(text, "T.md")).entries)


class TestReading:
    def test_a_legend_in_its_heading(self) -> None:
        """026's form: the entries after the heading's colon, split on bars."""
        text = "# T\n\n## Status Legend: ✅ Done | 🔄 Running | ⏳ Auto-Queued | ❌ Blocked\n"
        assert _legend(text) == {
            "✅": "Done",
            "🔄": "Running",
            "⏳": "Auto-Queued",
            "❌": "Blocked",
        }

    def test_a_list_under_a_legend_heading(self) -> None:
        """Marks with variation selectors, checkboxes in code and words with a dash each read
        as a key; an item under another heading is not a legend entry."""
        text = (
            "## Status legend\n\n- ⏸️ Blocked\n- `[~]` In progress\n- IMPL — implementation "
            "in progress\n- FAIL: run failed; needs retry\n\n## Runs\n\n- DONE — not a legend\n"
        )
        assert _legend(text) == {
            "⏸️": "Blocked",
            "[~]": "In progress",
            "IMPL": "implementation in progress",
            "FAIL": "run failed; needs retry",
        }

    def test_a_labelled_sentence_over_quoted_lines(self) -> None:
        """023's form: ``状态含义：`KEY` 表示 …；`` running over several quoted lines."""
        text = (
            "> Protocol note.\n>\n> 状态含义：`CODE_READY` 表示代码已写好；\n"
            "> `PENDING_IMPLEMENTATION` 表示该实验依赖尚未写入代码；\n"
            "> `DONE` 只能表示结果已保存。\n"
        )
        assert _legend(text) == {
            "CODE_READY": "代码已写好",
            "PENDING_IMPLEMENTATION": "该实验依赖尚未写入代码",
            "DONE": "只能表示结果已保存",
        }

    def test_a_table_under_a_legend_heading(self) -> None:
        text = "## Status key\n\n| Mark | Meaning |\n|---|---|\n| ❌ | not done |\n"
        assert _legend(text) == {"❌": "not done"}

    def test_a_list_of_statuses_then_what_one_means(self) -> None:
        """018's form: ``状态只使用：`planned`、…`` lists the statuses (no meanings), and the
        next sentence says what `failed` means; the sentence after it names no key."""
        text = (
            "# 追踪表\n\n状态只使用：`planned`、`running`、`passed`、`failed`、`stopped`、"
            "`invalid`。\n`failed` 表示方法/任务失败；无法复算行为概率、mask 或版本的结果必须标 "
            "`invalid`。\n"
        )
        assert _legend(text) == {"failed": "方法/任务失败"}

    def test_a_sentence_is_not_a_legend(self) -> None:
        """Words without a separator in a paragraph read as no entries."""
        text = "## Notes\n\nTODO items are listed below.\n\nLegend has it DONE is good.\n"
        assert _legend(text) == {}


@needs_shared
class TestCorpusLegends:
    @pytest.mark.parametrize(
        ("name", "key", "meaning"),
        [
            ("026", "❌", "Blocked"),
            ("032", "❌", "Failed"),
            ("032", "⏸️", "Blocked"),
            ("033", "[✗]", "Blocked / failed"),
            ("005", "IMPL", "implementation in progress"),
            ("023", "PENDING_IMPLEMENTATION", "该实验依赖尚未写入代码"),
        ],
    )
    def test_each_trackers_legend(self, name: str, key: str, meaning: str) -> None:
        path = corpus(name) / "EXPERIMENT_TRACKER.md"
        legend = dict(read_legend(Document(path.read_text(), str(path))).entries)
        assert legend[key] == meaning

    def test_the_023_rows_whose_code_is_not_written_are_held(self, tmp_path: Path) -> None:
        """023's six PENDING_IMPLEMENTATION rows are out of scope with the legend's reason; its
        CODE_READY rows (whose meaning says 尚未…完成, not done) still run."""
        project = load_project(as_project("023", tmp_path))
        runs = {r.id: r for r in project.runs}
        held = sorted(i for i, r in runs.items() if r.status == "blocked")
        assert held == ["R020", "R021", "R022", "R023", "R030", "R041"]
        # 023 is a Chinese plan: the reason is recorded in its language.
        assert runs["R020"].status_raw == (
            "PENDING_IMPLEMENTATION — 追踪表写明其代码尚未写好（图例：该实验依赖尚未写入代码）："
            '写好后把该行的状态改为 TODO 即会启动，或设置 [implementer] kind = "agent" 由它编写'
        )
        assert runs["R001"].status == "todo" and runs["R001"].status_raw == "CODE_READY"

    def test_with_an_agent_to_write_it_such_a_row_is_planned(self, tmp_path: Path) -> None:
        root = as_project("023", tmp_path)
        (root / "bridge.toml").write_text('[implementer]\nkind = "agent"\ncommand = ["true"]\n')
        runs = {r.id: r for r in load_project(root).runs}
        assert runs["R020"].status == "todo"
        assert runs["R020"].status_raw == "PENDING_IMPLEMENTATION"


class TestStatus:
    LEGEND_032 = read_legend(Document("## Status Legend\n- ❌ Failed\n- ⏸️ Blocked\n", "T.md"))
    LEGEND_026 = read_legend(Document("## Status Legend: ❌ Blocked | ⏳ Auto-Queued\n", "T.md"))

    @pytest.mark.parametrize(
        ("cell", "legend", "status"),
        [
            ("❌", LEGEND_032, "failed"),
            ("**❌**", LEGEND_032, "failed"),
            ("❌", LEGEND_026, "blocked"),
            ("❌", NO_LEGEND, "blocked"),
            ("⏸️", LEGEND_032, "blocked"),
            ("⏸️", NO_LEGEND, "skipped"),
            # The words after the mark say it (032's "⏸️ Blocked" read as skipped, a bare ⏸️ as
            # blocked).
            ("⏸️ Blocked", LEGEND_032, "blocked"),
            # A meaning that is no status leaves the mark's own reading.
            ("⏳", read_legend(Document("## Status Legend: ⏳ Later\n", "T.md")), "todo"),
            # Queued in the researcher's own queue (026's auto-queue scripts): running there.
            ("⏳", LEGEND_026, "running"),
            # The cell says more than the mark: its own words count.
            ("❌ failed at step 3", LEGEND_026, "failed"),
        ],
    )
    def test_a_mark_reads_as_its_legend_says(self, cell: str, legend: object, status: str) -> None:
        assert legend_status(cell, legend) == status  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("legend_line", "cell"),
        [
            ("`failed` 表示方法/任务失败", "failed"),
            ("- FAIL — negative result (the run completed)", "FAIL"),
            ("- ✖ hypothesis rejected", "✖"),
        ],
    )
    def test_a_negative_result_is_done_not_failed(self, legend_line: str, cell: str) -> None:
        """018's legend says `failed` is the method's failure, beside `invalid` for results that
        cannot stand: a row marked so completed with a negative result, and is done."""
        label = "状态含义：" if "表示" in legend_line else "## Status legend\n"
        legend = read_legend(Document(f"{label}{legend_line}\n", "T.md"))
        assert legend_status(cell, legend) == "done"
        assert legend_status("invalid", legend) == "failed"

    @pytest.mark.parametrize(
        ("cell", "status"),
        [
            ("**failed**", "done"),
            ("`failed`", "done"),
            ("failed。", "done"),
            # Words of the row's own after the key settle it: a crash, not a negative result.
            ("failed: OOM at step 3", "failed"),
            ("failed — CUDA error, no output", "failed"),
            ("**failed** (killed at step 40)", "failed"),
        ],
    )
    def test_a_negative_result_is_the_bare_key_only(self, cell: str, status: str) -> None:
        """Review of 018's legend reading: with "`failed` 表示方法/任务失败", a cell saying
        `failed: OOM at step 3` read as done, a crash counted as a completed run."""
        legend = read_legend(Document("状态含义：`failed` 表示方法/任务失败\n", "T.md"))
        assert legend_status(cell, legend) == status

    def test_a_negative_result_is_no_mark_bridge_writes(self) -> None:
        """A mark the legend says is a negative result is no word for a run bridge completed."""
        from bridge.plan.status_legend import marks_by_meaning

        legend = read_legend(Document("## Status Legend: ✖ negative result | ✅ Done\n", "T.md"))
        assert marks_by_meaning(legend)["done"] == "✅"

    def test_a_queue_outside_bridge_is_no_mark_bridge_writes(self) -> None:
        """026's ⏳ Auto-Queued reads as running elsewhere, but bridge's own running rows get
        the legend's running mark, not the researcher's queue mark, even when ⏳ comes first."""
        from bridge.plan.status_legend import marks_by_meaning

        legend = read_legend(Document("## Status Legend: ⏳ Auto-Queued | 🔄 Running\n", "T.md"))
        assert marks_by_meaning(legend)["running"] == "🔄"

    def test_a_known_word_keeps_its_own_reading(self) -> None:
        """023's CODE_READY "…但尚未…完成" is not done: a word bridge knows is read as itself."""
        legend = read_legend(Document("状态含义：`CODE_READY` 表示实现已通过但尚未完成。\n", "T"))
        assert legend_status("CODE_READY", legend) == "todo"

    def test_a_negated_done_meaning_is_not_done(self) -> None:
        # Not yet finished: to run (it read "unknown" while 尚未完成 itself read as done).
        legend = read_legend(Document("## Status Legend\n- ❓ 尚未完成\n", "T.md"))
        assert legend_status("❓", legend) == "todo"

    @pytest.mark.parametrize(
        ("cell", "awaits"),
        [
            ("PENDING_IMPLEMENTATION", True),
            ("NOT_IMPLEMENTED (R020)", True),
            ("Needs code", True),
            ("待实现", True),
            ("⏳ PENDING_IMPLEMENTATION", True),
            ("🚧 NOT IMPLEMENTED", True),
            ("⏳ 待实现", True),
            ("TODO — not implemented yet", True),
            ("TODO — needs code review", False),
            ("IMPLEMENTED", False),
            ("Needs code review", False),
            ("TODO", False),
            ("CODE_READY", False),
        ],
    )
    def test_a_word_that_says_the_code_is_not_written(self, cell: str, awaits: bool) -> None:
        assert bool(awaited_code(cell, NO_LEGEND)) is awaits

    def test_a_legend_that_says_the_code_is_not_written(self) -> None:
        text = "## Status legend\n- IMPL — implementation in progress\n"
        legend = read_legend(Document(text, "T.md"))
        assert awaited_code("IMPL", legend) == (
            "its code is not written yet (legend: implementation in progress)"
        )
        assert awaited_code("IMPLEMENTED", legend) == ""


@needs_shared
def test_a_chinese_plans_legend_note_is_in_chinese(tmp_path: Path) -> None:
    """Where the legend decided a row's status, the recorded status says so in the plan's
    language (026 is Chinese; its legend made to read ❌ as Failed, P1's row marked ❌)."""
    root = as_project("026", tmp_path)
    tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text().replace("❌ Blocked", "❌ Failed", 1)
    tracker.write_text(
        text.replace(
            "| P1 | CDF sufficiency (8B, GSM8K) | ✅ |",
            "| P1 | CDF sufficiency (8B, GSM8K) | ❌ |",
            1,
        )
    )
    runs = {r.id: r for r in load_project(root).runs}
    assert (runs["P1"].status, runs["P1"].status_raw) == ("failed", "❌（图例：Failed）")


@needs_shared
def test_018s_failed_rows_are_negative_results_done_before_bridge(tmp_path: Path) -> None:
    """018's tracker: "`failed` 表示方法/任务失败；无法复算…的结果必须标 `invalid`". Its four
    calibration rows marked `failed` (each cell audited, the preregistered gate not passed) were
    read as runs that failed before bridge, beside the five `invalid` bridge attempts. They are
    done, and their recorded status says why in the plan's language."""
    from bridge.plan.vocabulary import ended_failed

    runs = {r.id: r for r in load_project(as_project("018", tmp_path)).runs}
    for run_id in ("JPH-CAL-LP-C0", "JPH-CAL-LP-C1", "JPH-CAL-CG-C2A", "JPH-CAL-CG-C2B"):
        run = runs[run_id]
        assert run.status == "done", run_id
        assert run.status_raw == "failed（图例：方法/任务失败；已完成运行的负结果，不是运行失败）"
        assert not ended_failed(run.status_raw)
    invalid = runs["JPH-G1-BRIDGE-001"]
    assert (invalid.status, invalid.status_raw) == ("failed", "invalid")
    assert ended_failed(invalid.status_raw)


@needs_shared
def test_018s_failed_row_with_a_crash_of_its_own_is_failed(tmp_path: Path) -> None:
    """018's legend calls a bare `failed` the method's negative result; a calibration row whose
    cell says more (`failed: OOM at step 3`) read as done through it, a crash counted as a
    completed run."""
    from bridge.plan.vocabulary import ended_failed

    root = as_project("018", tmp_path)
    tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    row = "| JPH-CAL-LP-C1 | G1/B0 calibration |"
    at = text.index(row)
    end = text.index("\n", at)
    crashed = text[at:end].replace(" | failed | ", " | failed: OOM at step 3 | ", 1)
    tracker.write_text(text[:at] + crashed + text[end:], encoding="utf-8")
    runs = {r.id: r for r in load_project(root).runs}
    run = runs["JPH-CAL-LP-C1"]
    assert (run.status, run.status_raw) == ("failed", "failed: OOM at step 3")
    assert ended_failed(run.status_raw)
    assert runs["JPH-CAL-LP-C0"].status == "done"


def _crossed(legend: str) -> tuple[list[tuple[str, str]], list[str]]:
    from bridge.plan.tracker import read_tracker_runs

    text = (
        f"# Tracker\n\n{legend}| Run ID | Milestone | Status |\n|---|---|---|\n"
        "| R1 | M1 | ✅ |\n| R2 | M1 | **❌** |\n| R3 | M1 | ❌ failed at step 3 |\n"
    )
    runs, warnings = read_tracker_runs(Document(text, "T.md"))
    return [(r.id, r.status) for r in runs], [message for _, message in warnings]


def test_a_bare_cross_without_a_legend_is_said() -> None:
    """025's ✅ / 🔄 / ❌ table means "not started" by ❌ (026's legend says Blocked, 032's
    Failed): without a legend the mark alone is read as blocked and said, with the two ways to
    say otherwise; a legend decides it, and words beside the mark decide it as before."""
    statuses, warnings = _crossed("")
    assert statuses == [("R1", "done"), ("R2", "blocked"), ("R3", "failed")]
    assert warnings == [
        "R2: the Status says only ❌ and no status legend says what ❌ means here: read as "
        "blocked, not launched; if it means not started, write TODO in those rows or add a "
        "legend line (`## Status Legend: ❌ Not started`)"
    ]
    statuses, warnings = _crossed("## Status Legend: ✅ Done | ❌ Not started\n\n")
    assert statuses == [("R1", "done"), ("R2", "todo"), ("R3", "failed")]
    assert warnings == []


def test_a_status_misspelling_a_settling_word_is_refused_at_its_line() -> None:
    """Trial N2 on 004: R202's Status `DOEN` was read as not started, launched, and DONE written
    over it: a finished, paid-for run again. A near-miss of a word that keeps a row from
    launching is refused with file:line and the word; other unknown words are not."""
    from bridge.errors import PlanError
    from bridge.plan.tracker import read_tracker_runs

    def tracker(status: str) -> Document:
        return Document(
            f"# T\n\n| Run ID | Status |\n|---|---|\n| R1 | TODO |\n| R202 | {status} |\n", "T.md"
        )

    with pytest.raises(PlanError) as refused:
        read_tracker_runs(tracker("**DOEN**"))
    assert str(refused.value) == (
        "T.md:6: run R202: Status '**DOEN**' is no status bridge knows, and close to DONE: a row "
        "whose status bridge does not know is launched; write DONE (or TODO to have it run)"
    )
    with pytest.raises(PlanError, match="close to SKIPPED"):
        read_tracker_runs(tracker("SKIPED"))
    runs, _ = read_tracker_runs(tracker("REVIEW"))
    assert [r.status for r in runs] == ["todo", "unknown"]


@pytest.mark.parametrize(
    ("status", "read"),
    [
        ("NOT NEEDED", "skipped"),
        ("ON HOLD", "skipped"),
        ("SUPERSEDED", "skipped"),
        ("PARKED", "skipped"),
        ("not applicable", "skipped"),
        ("NOT STARTED", "todo"),
        # Held by something outside bridge (trial N4: launched as not started).
        ("WAITING ON DATA", "blocked"),
        ("PENDING APPROVAL", "blocked"),
        ("PENDING", "todo"),
        ("WAITING", "todo"),
    ],
)
def test_plain_words_for_not_running(status: str, read: str) -> None:
    """Trial N3: "NOT NEEDED" read as not started, "ON HOLD", "SUPERSEDED" and "PARKED" as
    unknown, and each was launched."""
    from bridge.plan.vocabulary import normalise_status

    assert normalise_status(status) == read


@pytest.mark.parametrize(
    ("status", "read"),
    [
        ("NOT RUN — running on server", "blocked"),
        ("NOT RUN — 无配额 quota", "blocked"),
        # A reason with no Latin letter read as TODO and launched.
        ("NOT RUN — 集群配额不足", "blocked"),
        ("NOT RUN — 服务器上", "blocked"),
        ("NOT RUN: 服务器上运行中", "blocked"),
        ("NOT RUN: quota", "blocked"),
        ("NOT RUN (R001 failed)", "blocked"),
        ("⬜ NOT RUN — 无 GPU", "blocked"),
        # A bare NOT RUN is a row not started (FORMAT-NOTES' not-started statuses): it read
        # as out of scope, never launched and left out of the must-run totals.
        ("NOT RUN", "todo"),
        ("**NOT RUN**", "todo"),
        ("`NOT RUN`", "todo"),
        ("Not run", "todo"),
        ("⬜ Not run", "todo"),
        ("not-run", "todo"),
        ("NOT_RUN", "todo"),
        ("NOT RUN — ", "todo"),
        ("NOT RUN yet", "todo"),
        ("不运行 — 服务器上运行中", "blocked"),
        # A failure the reason names is another run's: this row never ran.
        ("NOT RUN — R001 failed", "blocked"),
        ("NOT RUN — MOOT", "skipped"),
        ("NOT_RUN_R002_FAIL", "blocked"),
        ("Not running", "todo"),
    ],
)
def test_not_run_with_any_reason_is_not_launched(status: str, read: str) -> None:
    """Trial on 026 and 032: NOT RUN was honoured only when its reason held Latin letters.
    Review: a bare NOT RUN (a row not started, FORMAT-NOTES) then read as out of scope."""
    from bridge.plan.vocabulary import normalise_status

    assert normalise_status(status) == read


@needs_shared
def test_rows_marked_not_run_with_a_chinese_reason_are_out_of_scope(tmp_path: Path) -> None:
    """Trial on 026 (P6, G6) and 032 (E05, E06): following bridge's advice "不归 bridge 运行的
    标为 NOT RUN — ‹原因›", the researcher wrote `NOT RUN — 服务器上运行中`; `bridge plan`
    listed P6 first to launch and G6 after it (032's E05 too). 032's E06 marked with a bare
    NOT RUN is a row not started: it stays bridge's to run."""
    from bridge.plan.vocabulary import OUT_OF_SCOPE_STATUSES

    def marked(name: str, rows: dict[str, str]) -> dict[str, tuple[str, str]]:
        root = as_project(name, tmp_path / name)
        tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
        lines = tracker.read_text(encoding="utf-8").splitlines(keepends=True)
        for run_id, status in rows.items():
            (at,) = [n for n, line in enumerate(lines) if line.startswith(f"| {run_id} |")]
            cells = lines[at].split(" | ")
            cells[status_column[name]] = status
            lines[at] = " | ".join(cells)
        tracker.write_text("".join(lines), encoding="utf-8")
        return {r.id: (r.status, r.status_raw) for r in load_project(root).runs}

    status_column = {"026": 2, "032": 5}
    on_server = "NOT RUN — 服务器上运行中"
    runs = marked("026", {"P6": on_server, "G6": on_server})
    assert runs["P6"] == runs["G6"] == ("blocked", on_server)
    runs = marked("032", {"E05": on_server, "E06": "NOT RUN"})
    assert {runs[r][0] for r in ("E05-s0", "E05-s1", "E05-s2")} <= OUT_OF_SCOPE_STATUSES
    assert runs["E06"] == ("todo", "NOT RUN")


def test_an_unknown_status_is_said_before_it_is_launched() -> None:
    """An unknown status is bridge's to run (plan-format.md); `bridge plan` now says which rows
    that is, with what to write instead."""
    from bridge.plan.tracker import read_tracker_runs

    text = "| Run ID | Status |\n|---|---|\n| R1 | TODO |\n| R3 | in review |\n| R4 |  |\n"
    runs, warnings = read_tracker_runs(Document(text, "T.md"))
    assert [(r.id, r.status) for r in runs] == [
        ("R1", "todo"),
        ("R3", "unknown"),
        ("R4", "unknown"),
    ]
    assert warnings == [
        (
            4,
            "R3 ('in review'): no status bridge knows, read as not started, so bridge launches "
            "them; write TODO to say so, or DONE, SKIPPED or BLOCKED if they are not to run",
        )
    ]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # 018's (EXPERIMENT_TRACKER.md:3-4): a list of its statuses, then what one means.
        (
            "状态只使用：`planned`、`running`、`passed`、`failed`、`stopped`、`invalid`。\n"
            "`failed` 表示方法/任务失败；无法复算行为概率、mask 或版本的结果必须标 `invalid`。\n",
            "invalid",
        ),
        ("## Status Legend: ✅ Done | ❌ Failed | ⚠️ Invalid (numbers not trusted)\n", "⚠️"),
        (
            "Status legend: `TODO` — not started; `INVALID` — result cannot be reproduced\n",
            "INVALID",
        ),
        # 026's: nothing for a result that cannot stand.
        ("## Status Legend: ✅ Done | 🔄 Running | ⏳ Auto-Queued | ❌ Blocked\n", ""),
        # `invalid` in prose, in no legend, is no status of the legend's.
        ("Mark a row `invalid` by hand if you must.\n", ""),
    ],
)
def test_the_legends_word_for_a_result_that_cannot_stand(text: str, word: str) -> None:
    """The word bridge writes on a run it ran whose numbers are not trusted (018's JPH-B2-JT-S0,
    a NaN `task success`, read `passed`, trial T7)."""
    assert untrusted_status(Document(text, "EXPERIMENT_TRACKER.md")) == word


@pytest.mark.parametrize(
    ("status", "read"),
    [
        # Not finished: read as 完成 (done), the row counted as run before bridge and was
        # never launched.
        ("未完成", "todo"),
        ("尚未完成", "todo"),
        ("没有完成", "todo"),
        ("没完成", "todo"),
        # What else the cell says still counts: running elsewhere, not to launch (review r34).
        ("未完成（运行中）", "running"),
        ("未完成，训练中", "running"),
        ("未完成（服务器运行中）", "running"),
        ("未完成，暂停", "skipped"),
        # A gate not passed is a finished run's outcome, as a gate FAIL is (PARSE-RULES).
        ("未通过", "done"),
        ("不通过", "done"),
        # The words themselves still read as before.
        ("完成", "done"),
        ("已完成", "done"),
        ("通过", "done"),
        ("部分完成", "done"),
        # A note after it naming an earlier state: the status is the done one.
        ("未完成 → 已完成", "done"),
    ],
)
def test_a_negated_chinese_done_word_is_not_done(status: str, read: str) -> None:
    """020's words (this session, helper h9G): `未完成`, `尚未完成` and `代码未完成` read as done
    (the substring 完成), so such a row counted as finished before bridge."""
    from bridge.plan.vocabulary import normalise_status

    assert normalise_status(status) == read


def test_code_not_finished_waits_for_its_code() -> None:
    """`代码未完成` is a waiting-for-code word (status_legend): read as done before, the row
    was finished before bridge and its code never awaited; now it waits for its code."""
    from bridge.plan.tracker import read_tracker_runs

    text = "# T\n\n| Run ID | Status |\n|---|---|\n| R1 | TODO |\n| R202 | 代码未完成 |\n"
    runs, _ = read_tracker_runs(Document(text, "T.md"))
    waiting = [r for r in runs if r.id == "R202"]
    assert waiting and waiting[0].status == "todo"
    assert waiting[0].awaits_code


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("NOT_SCHEDULED（优先级：DEFERRED）", "NOT_SCHEDULED (priority DEFERRED)"),
        ("🔄 / ⏳（图例：Auto-Queued）", "🔄 / ⏳ (legend: Auto-Queued)"),
        (
            "failed（图例：方法/任务失败；已完成运行的负结果，不是运行失败）",
            "failed (legend: 方法/任务失败; a negative result of a completed run, not a failed "
            "run)",
        ),
        (
            "待实现 — 追踪表写明其代码尚未写好：写好后把该行的状态改为 TODO 即会启动，"
            '或设置 [implementer] kind = "agent" 由它编写',
            "待实现 — its code is not written yet: not launched until its Status says it can run "
            '(TODO), or with [implementer] kind = "agent" to write it',
        ),
        (
            "TODO（等待 R017，bridge 不运行它：它完成后才会运行）",
            "TODO (waits for R017, which bridge does not run: it runs once R017 is done)",
        ),
        (
            "TODO (白天：人工；人工完成的工作，bridge 不运行)",
            "TODO (白天：人工; work people do, not bridge)",
        ),
    ],
)
def test_bridges_words_in_a_status_follow_the_output_language(chinese: str, english: str) -> None:
    """What bridge adds to a row's Status is written in the plan's language when the plan is
    read (027's `NOT_SCHEDULED（优先级：DEFERRED）`); the output says it in its own language
    either way, the researcher's words (the Status, the legend's meaning) as written."""
    from bridge.plan.recorded_status import status_in_language

    assert status_in_language(chinese, "en") == english
    assert status_in_language(english, "zh") == chinese
    assert status_in_language(chinese, "zh") == chinese
    assert status_in_language(english, "en") == english


@needs_shared
def test_018s_notes_in_english_leave_the_researchers_brackets_as_written(tmp_path: Path) -> None:
    """018's legend («`failed` 表示方法/任务失败；…»), given a bracket of its own
    («方法/任务失败（任务级）»), stayed «（图例：…）» in English output: the pattern stopped at the
    inner bracket. A Status the researcher wrote with «（优先级：高）» was rewritten "(priority
    高)", as if bridge had noted it. Only bridge's notes are said in the output's language."""
    from bridge.plan.recorded_status import status_in_language

    project = as_project("018", tmp_path)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    text = text.replace("`failed` 表示方法/任务失败；", "`failed` 表示方法/任务失败（任务级）；", 1)
    row = (
        "| JPH-B1-HO-S2 | B1 | Harness-only contextual bandit | 2 | frozen/not invoked | trainable "
    )
    assert row + "| passed |" in text
    text = text.replace(row + "| passed |", row + "| passed（优先级：高） |", 1)
    tracker.write_text(text, encoding="utf-8")
    specs = {r.id: r for r in load_project(project).runs}
    failed = specs["JPH-CAL-LP-C0"].status_raw
    assert failed == "failed（图例：方法/任务失败（任务级）；已完成运行的负结果，不是运行失败）"
    assert status_in_language(failed, "en") == (
        "failed (legend: 方法/任务失败（任务级）; a negative result of a completed run, not a "
        "failed run)"
    )
    assert status_in_language(status_in_language(failed, "en"), "zh") == failed
    own = specs["JPH-B1-HO-S2"].status_raw
    assert own == "passed（优先级：高）"
    assert status_in_language(own, "en") == own
    # Nor, the other way, an English plan's own "(priority high)" under Chinese output.
    assert status_in_language("TODO (priority high)", "zh") == "TODO (priority high)"


@needs_shared
def test_027s_deferred_row_quoted_by_its_researchers_status(tmp_path: Path) -> None:
    """027's R-S-MULTI (Priority DEFERRED, Status NOT_SCHEDULED) is recorded with bridge's
    note «（优先级：DEFERRED）»; a message quoting what the tracker says quotes the researcher's
    Status alone."""
    from bridge.plan.recorded_status import researchers_status

    specs = {r.id: r for r in load_project(as_project("027", tmp_path)).runs}
    recorded = specs["R-S-MULTI-s3407"].status_raw
    assert recorded == "NOT_SCHEDULED（优先级：DEFERRED）"
    assert researchers_status(recorded) == "NOT_SCHEDULED"
    assert researchers_status("passed（优先级：高）") == "passed（优先级：高）"
