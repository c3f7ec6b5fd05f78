"""
A row waiting for its code and the runs held behind it, on a copy of the real plan 020 (trial
t12, defects 7, 8 and 9): R040 (M4, must-run) set to `待实现`, a word bridge reads as "its code
is not written yet", holds M5's R060, R061, R062 and R070. Each test runs ``bridge plan`` or
``bridge run`` with the local backend and a script that writes one number per run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from bridge.cli import main
from tests.conftest import needs_shared
from tests.in_process import bridge_here
from tests.plan.corpus import as_project

pytestmark = needs_shared

# B2's typed memory 12 pp above instant_mlp (R024 against R023), so that M2, the main milestone,
# is positive; every other run writes 0.5.
_FAKE = """\
import json, pathlib, sys
run, out = sys.argv[1], pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
value = {"R023": 0.60, "R024": 0.72}.get(run, 0.5)
(out / "metrics.json").write_text(json.dumps({"valid recovery success": value}))
"""
_R040_TODO = "| event_trace_only | held-out | contribution | MUST | 夜间：ARIS | TODO |"
_R040_CODE = "| event_trace_only | held-out | contribution | MUST | 夜间：ARIS | 待实现 |"
_B2_SAID = (
    "- 成功标准：heuristic 不是 strawman，但在至少一个 cumulative/degradation family 上存在明显 "
    "oracle gap 和 learnable gap。"
)
_B2_CHECKABLE = (
    "- 成功标准：`typed_event_body_memory` 的 valid recovery success 比 `instant_mlp` 高至少 "
    "5 个百分点。"
)
_HELD = ["R060", "R061", "R062", "R070"]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _p020(root: Path) -> Path:
    """020 with R040 `待实现`, B2's criterion one the rules check, and M2 the main milestone."""
    project = as_project("020", root)
    logs = project / "refine-logs"
    _edit(logs / "EXPERIMENT_TRACKER.md", _R040_TODO, _R040_CODE)
    _edit(logs / "EXPERIMENT_PLAN.md", _B2_SAID, _B2_CHECKABLE)
    (project / "fake.py").write_text(_FAKE, encoding="utf-8")
    (project / "bridge.toml").write_text(
        '[bridge]\nmain_milestone = "M2"\n\n'
        '[run]\ncommand = ["python3", "fake.py", "{run_id}", "{output_dir}"]\ngpus = 0\n',
        encoding="utf-8",
    )
    return project


@pytest.fixture
def p020(tmp_path: Path) -> Path:
    """:func:`_p020` in ``tmp_path``, not run yet."""
    return _p020(tmp_path / "p020")


@pytest.fixture(scope="module")
def ran_020(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CompletedProcess[str]]:
    """:func:`_p020` after one `bridge run`, and what that run said (shared: a test that goes
    on from it works on a copy)."""
    project = _p020(tmp_path_factory.mktemp("ran") / "p020")
    return project, bridge_here("run", "--project", str(project))


def test_plan_does_not_call_待实现_a_status_bridge_does_not_know(
    p020: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bridge plan` listed R040 as waiting for its code and also warned `R040 ('待实现')：不是
    bridge 认识的状态，按尚未开始读取，bridge 会启动它们`, which it does not."""
    assert main(["plan", "--project", str(p020)]) == 0
    said = capsys.readouterr()
    out = said.out + said.err
    assert "1 个追踪表写明代码尚未写好（R040；代码写好后把该行设为 TODO）" in out, out
    assert "不是 bridge 认识的状态" not in out, out


def test_runs_held_behind_r040_are_not_failed_and_leave_the_exit_code_0(
    ran_020: tuple[Path, CompletedProcess[str]],
) -> None:
    """B6 read `失败的运行：R060（已取消）, …`, results.json's `not_succeeded` named the four held
    runs, and `bridge run` exited 1; the console called R040 `不在范围内，不运行`."""
    p020, done = ran_020
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    said = [line.split(" ", 1)[1] for line in out.splitlines() if " R040 " in line]
    assert any(x.startswith("R040 等待代码写好，暂不运行: 待实现 — ") for x in said), said
    assert not any("不在范围内" in x for x in said), said
    logs = p020 / "refine-logs"
    data = json.loads((logs / "results.json").read_text(encoding="utf-8"))
    must = data["summary"]["must_run"]
    assert (must["not_succeeded"], must["held_for_code"]) == ([], _HELD), must
    assert must["awaiting_code"] == ["R040"]
    assert data["summary"]["ready_for_review_loop"] is False
    (b6,) = [b for b in data["blocks"] if b["block"] == "B6"]
    assert b6["verdict"] == "inconclusive"
    assert "runs failed" not in b6["reason"], b6["reason"]
    assert b6["reason"].endswith(
        "; runs held until an earlier milestone's code is written: R060, R061, R062, R070"
    ), b6["reason"]
    results = (logs / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "暂缓运行（等待前面里程碑的代码写好）：R060, R061, R062, R070" in results
    assert "已取消" not in results
    # B2's reading names its systems as the plan writes them, in backticks: one code span held
    # it whole only with a longer fence (it read ``typed_event_body_memory` 对比 …`, h42G F12).
    assert (
        "- **解析为:** `` `typed_event_body_memory` 对比 `instant_mlp`：valid recovery success "
        "增益（按升高计）≥ 5 pp ``\n"
    ) in results, results


def test_next_step_names_the_person_rows_while_not_ready(
    ran_020: tuple[Path, CompletedProcess[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With R040 back to TODO and run, M2 positive and five must-run rows work people do,
    `可进入评审循环：否（…）` was followed by `下一步：主要结果为正面：将 EXPERIMENT_RESULTS.md
    交给评审循环。`"""
    # A copy of the project after its first run (whose exit code is the test above's).
    p020 = Path(shutil.copytree(ran_020[0], tmp_path / "p020", symlinks=True))
    _edit(p020 / "refine-logs" / "EXPERIMENT_TRACKER.md", _R040_CODE, _R040_TODO)
    capsys.readouterr()
    assert main(["run", "--project", str(p020)]) == 0
    lines = capsys.readouterr().out.splitlines()
    people = "R025、R047、R063、R064、R071"
    assert f"可进入评审循环：否（由人工执行、尚未完成的必做运行：{people}）。" in lines, lines
    (step,) = [line for line in lines if line.startswith("下一步：")]
    assert step == (
        f"下一步：主要结果为正面，但还不能交给评审循环：由人工执行的必做运行尚未完成（{people}）："
        "完成后把追踪表中这些行的状态改为 DONE，再运行 `bridge run`。"
        # 020's final checklist: 15 items, 7 ticked by its researcher.
        "计划的最终检查清单 15 项中仍有 8 项未勾选（列在 EXPERIMENT_RESULTS.md 中）：结果支持某项时"
        "请在 refine-logs/EXPERIMENT_PLAN.md 中自行勾选；bridge 不勾选任何一项。"
    ), step


def test_a_criterion_with_no_values_names_the_held_runs_as_held(
    p020: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """B6 comparing two of its three systems, none of which its runs stand for: the verdict
    read `没有 … 的数值（成功标准比较的是它）：未成功的运行：R060（已取消）, …` of the runs held
    behind R040, as if they had failed."""
    plan = p020 / "refine-logs" / "EXPERIMENT_PLAN.md"
    _edit(
        plan,
        "- 对比系统：final method + key baselines。",
        "- 对比系统：`final_method`、`key_baseline`、`ablated_method`。",
    )
    _edit(
        plan,
        "- 成功标准：每个 main claim 有表/图支撑，失败案例与 limitations 一致。",
        "- 成功标准：`final_method` 的 valid recovery success 比 `key_baseline` 高至少 5 个"
        "百分点。",
    )
    assert main(["run", "--project", str(p020)]) == 0
    capsys.readouterr()
    logs = p020 / "refine-logs"
    data = json.loads((logs / "results.json").read_text(encoding="utf-8"))
    (b6,) = [b for b in data["blocks"] if b["block"] == "B6"]
    assert b6["reason"] == (
        "no values of `final_method`, `key_baseline`, which the criterion compares: runs held "
        "until an earlier milestone's code is written: R060, R061, R062, R070"
    ), b6["reason"]
    results = (logs / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert (
        "没有 `final_method`, `key_baseline` 的数值（成功标准比较的是它）："
        "暂缓运行（等待前面里程碑的代码写好）：R060, R061, R062, R070"
    ) in results
    assert "已取消" not in results
