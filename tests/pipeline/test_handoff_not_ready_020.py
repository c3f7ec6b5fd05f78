"""
The handoff's next step agrees with "Ready for the review loop" after a positive main result,
on a copy of the real plan 020 (trial t12, left from session h9): B2's criterion made one the
rules check, M2 the main milestone, and a script that writes one number per run. Each test runs
``bridge run`` with the local backend; the English words are read from the same log. And on
008, a must-run block with no run (trial h40B).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bridge.cli import main
from bridge.machine.fold import PipelineState, fold
from bridge.pipeline.audit import open_store
from bridge.projections.outcome import evaluate
from bridge.projections.results import next_step
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

pytestmark = needs_shared

# B2's typed memory 12 pp above instant_mlp (R024 against R023), so that M2 is positive; the
# typed memory trained 5000 s, every other run 2000 s.
_FAKE = """\
import json, pathlib, sys
run, out = sys.argv[1], pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
value = {"R023": 0.60, "R024": 0.72}.get(run, 0.5)
seconds = 5000 if run == "R024" else 2000
(out / "metrics.json").write_text(
    json.dumps({"valid recovery success": value, "training_time": seconds})
)
"""
_B2_SAID = (
    "- 成功标准：heuristic 不是 strawman，但在至少一个 cumulative/degradation family 上存在明显 "
    "oracle gap 和 learnable gap。"
)
_B2_CHECKABLE = (
    "- 成功标准：`typed_event_body_memory` 的 valid recovery success 比 `instant_mlp` 高至少 "
    "5 个百分点。"
)
_B2_SAME_TIME = (
    "- 成功标准：在相同训练时间下，`typed_event_body_memory` 的 valid recovery success 比 "
    "`instant_mlp` 高至少 5 个百分点。"
)
_R041 = "| body_trend_only | held-out | contribution | MUST | 夜间：ARIS | {} |"
# 020's rows that are work people do and still TODO (owner 白天：人工).
_PEOPLE = ("R025", "R047", "R063", "R064", "R071")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# At COLLECTED the step ends with how many items of 020's final checklist are still unticked.
_CHECKLIST_ZH = (
    "计划的最终检查清单 15 项中仍有 8 项未勾选（列在 EXPERIMENT_RESULTS.md 中）：结果支持某项时"
    "请在 refine-logs/EXPERIMENT_PLAN.md 中自行勾选；bridge 不勾选任何一项。"
)
_CHECKLIST_EN = (
    "8 of the 15 items of the plan's final checklist are still unticked (listed in "
    "EXPERIMENT_RESULTS.md): tick each in refine-logs/EXPERIMENT_PLAN.md yourself once the "
    "results bear it out; bridge ticks none."
)


def _project(root: Path, criterion: str, runs: str = "") -> Path:
    project = as_project("020", root)
    _edit(project / "refine-logs" / "EXPERIMENT_PLAN.md", _B2_SAID, criterion)
    (project / "fake.py").write_text(_FAKE, encoding="utf-8")
    (project / "bridge.toml").write_text(
        '[bridge]\nmain_milestone = "M2"\n\n'
        '[run]\ncommand = ["python3", "fake.py", "{run_id}", "{output_dir}"]\ngpus = 0\n' + runs,
        encoding="utf-8",
    )
    return project


def _people_done(project: Path) -> None:
    """Set 020's person-run rows DONE, as their researcher would once the work is done."""
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").splitlines(keepends=True)
    done = [
        re.sub(r"\| TODO \|", "| DONE |", line, count=1)
        if line.startswith(tuple(f"| {r} |" for r in _PEOPLE))
        else line
        for line in lines
    ]
    assert done != lines
    tracker.write_text("".join(done), encoding="utf-8")


def _run(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[list[str], PipelineState]:
    """`bridge run`'s lines, and the state its log folds to."""
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    lines = capsys.readouterr().out.splitlines()
    store = open_store(project)
    try:
        return lines, fold(store.read())
    finally:
        store.close()


def _said(lines: list[str], label: str) -> str:
    (said,) = [line for line in lines if line.startswith(label)]
    return said


def test_next_step_names_blocked_and_waiting_rows_beside_people_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """R041 `BLOCKED` and R043 waiting for R025 (work people do): readiness said NO naming
    both, and the next step named the person-run rows alone, as if setting them DONE made the
    results ready."""
    project = _project(
        tmp_path / "p020", _B2_CHECKABLE, '\n[[runs]]\nid = "R043"\ndepends_on = ["R025"]\n'
    )
    _edit(
        project / "refine-logs" / "EXPERIMENT_TRACKER.md",
        _R041.format("TODO"),
        _R041.format("BLOCKED"),
    )
    lines, state = _run(project, capsys)
    people = "、".join(_PEOPLE)
    assert _said(lines, "可进入评审循环：") == (
        "可进入评审循环：否（必做运行等待 bridge 不运行的运行：R043；"
        f"由人工执行、尚未完成的必做运行：{people}；追踪表写着受阻的必做运行：R041）。"
    )
    assert _said(lines, "下一步：") == (
        "下一步：主要结果为正面，但还不能交给评审循环："
        f"由人工执行的必做运行尚未完成（{people}）：完成后把追踪表中这些行的状态改为 DONE；"
        "追踪表写着必做运行受阻（R041）：阻碍解除后把这些行的状态改为 TODO；"
        "必做运行等待 bridge 不运行的运行（R043）：它们等待的运行完成后，在追踪表中把那些行标为 "
        "DONE，再运行 `bridge run`。" + _CHECKLIST_ZH
    )
    assert next_step(state, evaluate(state), "en") == (
        "The main result is positive, but not ready for the review loop: must-run rows are "
        f"work people do, not done yet ({', '.join(_PEOPLE)}): once each is done, set its "
        "Status in the tracker to DONE; the tracker says must-run rows are blocked (R041): "
        "once unblocked, set their Status to TODO; must-run rows wait for runs bridge does "
        "not run (R043): once the runs they wait for are done, mark those rows DONE in the "
        "tracker, then run `bridge run`. " + _CHECKLIST_EN
    )


def test_a_blocked_row_alone_is_no_handoff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the person-run rows DONE and R041 `BLOCKED`: `可进入评审循环：否（追踪表写着受阻的
    必做运行：R041）` was followed by `下一步：主要结果为正面：将 EXPERIMENT_RESULTS.md 交给评审
    循环。`"""
    project = _project(tmp_path / "p020", _B2_CHECKABLE)
    _people_done(project)
    _edit(
        project / "refine-logs" / "EXPERIMENT_TRACKER.md",
        _R041.format("TODO"),
        _R041.format("BLOCKED"),
    )
    lines, _ = _run(project, capsys)
    assert (
        _said(lines, "可进入评审循环：") == "可进入评审循环：否（追踪表写着受阻的必做运行：R041）。"
    )
    step = _said(lines, "下一步：")
    assert step == (
        "下一步：主要结果为正面，但还不能交给评审循环：追踪表写着必做运行受阻（R041）："
        "阻碍解除后把这些行的状态改为 TODO，再运行 `bridge run`。" + _CHECKLIST_ZH
    ), step


def test_a_condition_the_runs_break_is_no_handoff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """B2 «在相同训练时间下» beside training_time 5000 against 2000: the headline said the
    condition does not hold, and under it `可进入评审循环：是。` and `下一步：主要结果为正面：将
    EXPERIMENT_RESULTS.md 交给评审循环。… → /auto-review-loop`. Dropping the condition from
    the criterion, as the step says, makes the results ready without running anything."""
    project = _project(tmp_path / "p020", _B2_SAME_TIME)
    _people_done(project)
    lines, state = _run(project, capsys)
    assert "但 B2 的比较所依据的条件在运行中不成立" in _said(lines, "主要结果（M2）：")
    assert _said(lines, "可进入评审循环：") == (
        "可进入评审循环：否（主要里程碑 M2 中比较所依据的条件在运行中不成立的实验块：B2）。"
    )
    assert _said(lines, "下一步：") == (
        "下一步：主要结果为正面，但还不能交给评审循环：B2 的比较所依据的条件在运行中不成立"
        "（见其判定）：在该条件下重新运行所比较的系统；或者，要把这一差异交给评审，"
        "从计划的成功标准中去掉该条件，再运行 `bridge run`（按已记录的数值重新判定）。"
        + _CHECKLIST_ZH
    )
    assert next_step(state, evaluate(state), "en") == (
        "The main result is positive, but not ready for the review loop: a condition the "
        "comparison of B2 holds under does not hold in the runs (see its verdict): run the "
        "compared systems again under it, or, to take the difference into "
        "the review, drop the condition from the plan's criterion and run `bridge run` (it "
        "judges again from the recorded numbers). " + _CHECKLIST_EN
    )
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    assert data["summary"]["ready_for_review_loop"] is False
    assert data["summary"]["not_ready_reasons"] == [
        "blocks of the main milestone M2 compared under a condition that does not hold in "
        "the runs: B2"
    ]
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    _edit(plan, _B2_SAME_TIME, _B2_CHECKABLE)
    # Exit criteria to check go before the handoff's command; with no space before the
    # Chinese arrow they were put after `/auto-review-loop "实验计划"` (review of session 41).
    plan.write_text(f"{plan.read_text('utf-8')}\n## 退出条件\n\n- 评审认可主要结果。\n", "utf-8")
    lines, _ = _run(project, capsys)
    assert _said(lines, "可进入评审循环：") == "可进入评审循环：是。"
    # The exit criteria, then the checklist's count, before the handoff's command (the Chinese
    # step has no space before "→"); the quote's own stop ends it, none doubled (h41).
    assert _said(lines, "下一步：").endswith(
        "全部列在 EXPERIMENT_RESULTS.md 中）：«评审认可主要结果。»"
        f'{_CHECKLIST_ZH}→ /auto-review-loop "实验计划"'
    )


# 008's final claim audit R010 given a command, writing the number B5 judges.
_AUDIT_008 = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"unsupported core claims": 0}))
"""


def test_a_must_run_block_with_no_run_is_no_handoff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """008 with M5 the main milestone and R010 run: B5 met, and "Ready for the review loop:
    YES" while the must-run blocks B1, B2 had no run and no verdict (no tracker row is theirs;
    trial h40B). They hold it now, and the next step says how to settle them; cutting them in
    the plan, as it says, makes the results ready."""
    project = as_project("008", tmp_path / "p008")
    (project / "audit.py").write_text(_AUDIT_008, encoding="utf-8")
    (project / "bridge.toml").write_text(
        '[bridge]\nmain_milestone = "M5"\n\n[[runs]]\nid = "R010"\n'
        'command = ["python3", "audit.py", "{output_dir}"]\ngpus = 0\n',
        encoding="utf-8",
    )
    lines, state = _run(project, capsys)
    assert _said(lines, "Main result (M5): ").startswith("Main result (M5): positive")
    assert _said(lines, "Ready for the review loop:") == (
        "Ready for the review loop: NO (must-run blocks with no run, so not judged: B1, B2)."
    )
    assert _said(lines, "Next step:") == (
        "Next step: The main result is positive, but not ready for the review loop: must-run "
        "blocks B1, B2 have no run, so they were not judged: give each its runs (the block in "
        "the tracker's Block column, or `block` on a [[runs]] entry in bridge.toml), or, if "
        "the plan no longer needs one, write its Priority in the plan as CUT — <reason>, then "
        "run `bridge run`. 2 of the 8 items of the plan's final checklist are still unticked "
        "(listed in EXPERIMENT_RESULTS.md): tick each in refine-logs/EXPERIMENT_PLAN.md "
        "yourself once the results bear it out; bridge ticks none."
    )
    assert next_step(state, evaluate(state), "zh").startswith(
        "主要结果为正面，但还不能交给评审循环：必做实验块没有任何运行，未能判定（B1、B2）："
    )
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    assert data["summary"]["not_ready_reasons"] == [
        "must-run blocks with no run, so not judged: B1, B2"
    ]
    # R010's value is the one B5's criterion judges: the note no longer says the plan's
    # primary metric (B5's Metrics line, in other words) was "not recorded" beside it (h40B F4).
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert (
        "| R010 | Paper draft | unsupported core claims = 0 (the metric the criterion judges; "
        "the plan's primary metric reads unsupported-claim count in the final claim/evidence "
        "matrix) | DONE |"
    ) in results, results
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    cut = "- **Priority**: CUT — integrated in the paper already."
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "- **Priority**: MUST-RUN; completed evidence, integration still required.", cut
        ),
        encoding="utf-8",
    )
    lines, _ = _run(project, capsys)
    assert _said(lines, "Ready for the review loop:") == "Ready for the review loop: YES."
