"""
What `bridge plan` says of the corpus's Chinese plans: every warning bridge gives them, and every
reason a clause of theirs is not machine-checkable, in Chinese; English unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bridge.plan import load_project
from bridge.plan.criteria import Compound, Criterion, Unparsed, parse_criterion
from bridge.plan.reader import language_of
from bridge.plan.recorded_status import status_in_language
from bridge.projections.plan_words import criterion_in_language, warning_in_language
from bridge.projections.reasons import in_language
from tests.conftest import needs_shared
from tests.english_left import english_left
from tests.plan.corpus import as_project, plan_dirs

_CHINESE = [
    p.name[:3]
    for p in plan_dirs()
    if language_of((p / "EXPERIMENT_PLAN.md").read_text(encoding="utf-8")) == "zh"
]


@needs_shared
def test_the_corpus_has_chinese_plans() -> None:
    assert len(_CHINESE) >= 5, _CHINESE


@needs_shared
@pytest.mark.parametrize("name", _CHINESE)
def test_warnings_and_unchecked_clauses_in_chinese(name: str, tmp_path: Path) -> None:
    loaded = load_project(as_project(name, tmp_path))
    for warning in loaded.warnings:
        # English as composed, but for bridge's notes on a row's Status it quotes, written in
        # the plan's language (026's "🔄 / ⏳（图例：Auto-Queued）"): said in English.
        assert warning_in_language(warning.message, "en") == status_in_language(
            warning.message, "en"
        )
        assert "图例：" not in warning_in_language(warning.message, "en")
        assert warning_in_language(warning.message, "zh") != warning.message, warning.message
    for block in loaded.plan.blocks:
        if not block.success_criterion.strip():
            continue
        parsed = parse_criterion(block.success_criterion, block_systems=block.systems)
        clauses = parsed.clauses if isinstance(parsed, Compound) else (parsed,)
        for clause in clauses:
            if isinstance(clause, Unparsed):
                english = f"not machine-checkable: {clause.reason}"
                chinese = in_language(english, "zh")
                # What the clause quotes of the plan ('…') stays as written (020's B5 note quotes
                # «若 VLM 更强，改写成 VLM baseline/policy comparison paper» whole).
                assert english_left(re.sub(r"'[^']*'", " ", chinese)) == [], chinese


def test_a_clause_as_read_in_chinese() -> None:
    clause = parse_criterion(
        "accuracy improves by at least 2% over base", block_systems=("ours", "base")
    )
    assert isinstance(clause, Criterion)
    assert clause.describe() == "the proposed system vs base: accuracy gain (better) ≥ 2 pp"
    assert criterion_in_language(clause, "en") == clause.describe()
    assert (
        criterion_in_language(clause, "zh")
        == "提议的系统 对比 base：accuracy 增益（按指标方向更好）≥ 2 pp"
    )


def test_a_warning_bridge_has_no_chinese_for_stays_as_written() -> None:
    assert warning_in_language("something new happened", "zh") == "something new happened"


@pytest.mark.parametrize(
    "message",
    [
        "M0.1, M0.2: no milestone in the tracker; M0 from the run ids, steps of the plan's "
        "milestone M0",
        "R2, R3: the tracker says RUNNING. Unless bridge launched them, `bridge run` holds before "
        "any launch (never a second copy of a run going elsewhere): mark each row DONE once it "
        "finished, NOT RUN — <reason> if it is not bridge's, or TODO for bridge to run it",
        "R015: milestone M6 is not a milestone of the plan (M0 准备, M5 论文整合); it runs after "
        "the plan's milestones, under M6. If the Milestone column is shifted against the plan's "
        "ids, correct it",
        "R015, R016: milestone M6 is not a milestone of the plan (M0 准备); they run after "
        "the plan's milestones, under M6. If the Milestone column is shifted against the plan's "
        "ids, correct it",
        "M1.5: no milestone in the tracker; M1.5 from the run ids",
        "no milestones found (no run-order table, milestone headings or list); the runs' "
        "Milestone cells give them: B0, M1, M1.5",
        "no milestones found (no run-order table, milestone headings or list); write a run-order "
        "table `| Milestone | Goal | Runs |`, `### M1: …` headings, or a run-order list whose "
        "steps open with their milestone ids and name the blocks they run (`1. M0: B1 …`)",
        "no milestones found: the run-order list (line 88) names no milestone ids (M0, M1, …); "
        "write a run-order table `| Milestone | Goal | Runs |`, `### M1: …` headings, or a "
        "run-order list whose steps open with their milestone ids and name the blocks they run "
        "(`1. M0: B1 …`)",
        "JPH-M0-REMOTE-ENV-001: no milestone in the tracker; M0 from the run ids, which name it "
        "as the ids of its runs do",
        "A1, B2 and 5 more: no milestone: neither their rows nor a milestone's Runs cell names "
        "one; they are reported under (no milestone), and those still to run (B2) launch only "
        "after every milestone of the plan has settled. Give each row its milestone (a "
        "Milestone column, or its id in a milestone's Runs cell)",
        "A1, G1: no milestone: neither their rows nor a milestone's Runs cell names one; they "
        "are reported under (no milestone). Give each its milestone (a tracker row: a Milestone "
        "column, or its id in a milestone's Runs cell; a run of bridge.toml: `milestone` in its "
        "entry)",
        "A1: no milestone: neither their rows nor a milestone's Runs cell names one; they are "
        "reported under (no milestone). Give each row its milestone (a Milestone column, or its "
        "id in a milestone's Runs cell)",
        "no experiment block headings; the milestone sections that state a success criterion "
        "stand as blocks (M0, M1), each judged on the runs of its milestone or named by its id",
    ],
)
def test_the_placement_warnings_in_chinese(message: str) -> None:
    """The warnings about where runs were placed or held leave no English prose in Chinese."""
    said = warning_in_language(message, "zh")
    assert said != message
    assert (
        english_left(said, {"bridge", "RUNNING", "DONE", "TODO", "NOT", "RUN", "Milestone"}) == []
    )


def test_a_long_list_of_runs_without_a_command_reads_in_chinese(tmp_path: Path) -> None:
    """023 has 21 runs without a command: the count after the first twenty is Chinese too."""
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | System | Status |\n|---|---|---|---|\n| R100 | M1 | a | DONE |\n"
        + "".join(f"| R{n:03d} | M1 | a | TODO |\n" for n in range(21))
    )
    (message,) = [w.message for w in load_project(tmp_path).warnings if "no command:" in w.message]
    chinese = warning_in_language(message, "zh")
    assert chinese.startswith("21 个运行没有命令：R000, R001")
    assert "…（共 21 个）；请在 bridge.toml 中设置" in chinese
    assert english_left(chinese, {"command", "NAME", "reason", "NOT", "bridge.toml"}) == []


def test_a_tracker_command_column_is_said_not_to_run(tmp_path: Path) -> None:
    """029's tracker has a Command column: "R041 has no command" said nothing of it (trial
    M1). The warning names the column, in Chinese too."""
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | Command | Status |\n|---|---|---|---|\n"
        "| R040 | M1 | python a.py | DONE |\n| R041 | M1 | python train.py --model xgb | TODO |\n"
    )
    (message,) = [w.message for w in load_project(tmp_path).warnings if "no command:" in w.message]
    assert message.startswith(
        "1 run has no command: R041 (the tracker's 'Command' column is not run: copy what "
        "it says into bridge.toml); set [run] command"
    ), message
    chinese = warning_in_language(message, "zh")
    assert "追踪表的 'Command' 列不会被运行" in chinese
    # "1 run(s) have" before the plural was said (t17 F2): a log's earlier words read the same.
    old = message.replace("1 run has no command", "1 run(s) have no command")
    assert warning_in_language(old, "zh") == chinese
    assert (
        english_left(chinese, {"command", "NAME", "reason", "NOT", "bridge.toml", "Command"}) == []
    )


def test_runs_from_bridge_toml_say_the_proposed_runs_are_not(tmp_path: Path) -> None:
    """015 (trial M1): one [[runs]] entry for R016 replaced the plan's 19 proposed runs and
    every milestone showed 0 runs, without a word."""
    plan = tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.parent.mkdir()
    plan.write_text(
        "# Plan\n\n## Experiment Blocks\n\n### Block 1: Main\n"
        "- **Compared systems**: ours; base\n- **Metrics**: accuracy\n- **Setup**: seeds 0, 1\n"
        "- **Success criterion**: ours beats base on accuracy\n\n"
        "## Run Order and Milestones\n\n| Milestone | Goal | Runs | Decision Gate | Cost | Risk |\n"
        "|---|---|---|---|---|---|\n| M1 | Main | B1 | done | 1h | low |\n"
    )
    (tmp_path / "bridge.toml").write_text(
        '[run]\ncommand = "true"\n\n[[runs]]\nid = "X1"\nsystem = "ours"\n'
    )
    (message,) = [w.message for w in load_project(tmp_path).warnings if "come from" in w.message]
    assert message == (
        "the runs come from bridge.toml (1: X1), so the 4 runs the plan's blocks would give "
        "are not proposed; list every run in [[runs]] (or in a tracker's run table), "
        "or remove [[runs]] and [grid] to have them proposed"
    )
    chinese = warning_in_language(message, "zh")
    assert chinese.startswith("运行取自 bridge.toml（1 个：X1）")
    assert english_left(chinese, {"bridge.toml", "runs", "grid"}) == []


def test_a_block_condition_in_a_chinese_plan_reads_in_chinese() -> None:
    """The block warning is said in Chinese on a Chinese plan, as the row warning is."""
    message = (
        "block B2's text says its runs run only under a condition (R005, R006: '仅当 B1 通过'): "
        "bridge cannot check it and runs them as planned; mark their rows NOT RUN — <reason> "
        "when its condition does not hold"
    )
    assert warning_in_language(message, "zh") == (
        "实验块 B2 的正文写明它的运行只在某个条件下运行（R005, R006: '仅当 B1 通过'）：bridge "
        "无法检查该条件，会照计划运行它们；条件不成立时请把这些运行的行标为 NOT RUN — <原因>"
    )


def test_a_tracker_that_settles_every_run_is_said_in_chinese() -> None:
    """Trial C on 018: `bridge plan` on a Chinese plan whose tracker settles every row said
    "every run the tracker lists is done or out of scope, …" in English among Chinese lines."""
    said = warning_in_language(
        "every run the tracker lists is done or out of scope, so nothing runs, and the 31 runs "
        "the plan's blocks would give are not planned: a tracker's run table lists all the "
        "runs; list them there (or remove the table to have them proposed)",
        "zh",
    )
    assert said.startswith("追踪表列出的每个运行都已完成或不在范围内")
    assert "31 个运行没有被规划" in said and not english_left(said), said


def test_a_proposed_blocks_condition_reads_in_chinese() -> None:
    """Runs proposed from the plan have no rows: the Chinese says to write the block's Priority
    as CUT, as the English does."""
    message = (
        "block S3's text says its runs run only under a condition (R013: '仅当 B1 通过'): "
        "bridge cannot check it and runs them as planned; they are proposed from the plan and "
        "have no tracker rows: write the block's Priority as CUT — <reason> when its condition "
        "does not hold, and bridge proposes none of them"
    )
    assert warning_in_language(message, "zh") == (
        "实验块 S3 的正文写明它的运行只在某个条件下运行（R013: '仅当 B1 通过'）：bridge "
        "无法检查该条件，会照计划运行它们；它们由计划提议，在追踪表中没有行：条件不成立时请把该"
        "实验块的 Priority 写为 CUT — <原因>，bridge 就不会提议它们"
    )
