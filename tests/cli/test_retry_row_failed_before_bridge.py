"""
A row the tracker says failed before bridge, given a command after bridge first recorded it, is
retried by name with that command (trial t16 on the real project 018: the next step said «要在
bridge 下运行，请为每个运行在 bridge.toml 中写 [[runs]] 条目并给出 command»; written, `bridge retry
JPH-G1-BRIDGE-001` still answered «无法重试：JPH-G1-BRIDGE-001 没有命令（在 bridge.toml 中设置 [run]
command，或为它写带 command 的 [[runs]] 条目）»: the retry read the spec recorded when the row was
planned, which such a row keeps until it runs).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from bridge.cli import main
from tests.conftest import SHARED, needs_shared

pytestmark = needs_shared

FAKE = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[sys.argv.index("--out") + 1])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"task_success": 0.5, "invalid_rate": 0.02}))
"""


def _project_018(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """
    A copy of 018 whose four B2 arms have their commands in their systems' tables (a script
    writing metrics); the rows that failed before bridge (JPH-G1-BRIDGE-001…005) are recorded
    with none. Returns the project, its bridge.toml, the command and the arms' tables.
    """
    project = tmp_path / "p018"
    shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", project)
    (project / "fake.py").write_text(FAKE, encoding="utf-8")
    command = json.dumps([sys.executable, str(project / "fake.py"), "--out", "{output_dir}"])
    arms = "".join(
        f'[systems."{arm}"]\ncommand = {command}\n'
        for arm in ("fixed", "policy-only", "Harness-only", "joint")
    )
    toml = project / "bridge.toml"
    toml.write_text(arms, encoding="utf-8")
    return project, toml, command, arms


def test_a_failed_before_bridge_row_given_a_command_is_retried_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, toml, command, arms = _project_018(tmp_path)
    argv = ["--project", str(project)]
    assert main(["run", "--plain", *argv]) == 1  # five must-run rows failed before bridge
    first = capsys.readouterr().out
    said = "请让 bridge.toml 给出命令（[run] command，或带 command 的 [[runs]] 条目）"
    assert said in first, first

    # As the next step says: a [[runs]] entry with a command for the row.
    g1 = json.dumps([sys.executable, str(project / "fake.py"), "--g1", "--out", "{output_dir}"])
    toml.write_text(
        arms + f'[[runs]]\nid = "JPH-G1-BRIDGE-001"\ncommand = {g1}\n', encoding="utf-8"
    )
    assert main(["retry", "JPH-G1-BRIDGE-001", *argv]) == 0
    retried = capsys.readouterr()
    assert "没有命令" not in retried.err, retried.err
    assert "将再次运行：JPH-G1-BRIDGE-001" in retried.out, retried.out

    main(["run", "--plain", *argv])
    capsys.readouterr()
    assert main(["log", "--json", "--run", "JPH-G1-BRIDGE-001", *argv]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    submitted = [e for e in events if e["type"] == "run.submitted"]
    assert len(submitted) == 1, events
    assert "--g1" in submitted[0]["data"]["argv"]  # the command the entry gives
    assert any(e["type"] == "run.succeeded" for e in events)

    # A `[run] command` written now gives the other four rows one: a retry that takes none of
    # them names their own retry, not "no command here" (the spec they were recorded with).
    toml.write_text(
        f"[run]\ncommand = {command}\n" + toml.read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert main(["retry", "--milestone", "（无里程碑）", *argv]) == 2
    refused = capsys.readouterr().err
    rest = " ".join(f"JPH-G1-BRIDGE-00{i}" for i in range(2, 6))
    assert f"`bridge retry {rest}` 在 bridge 下运行它们" in refused, refused
    assert "在此没有命令" not in refused, refused
    # The runs of no milestone named in words, not "（（无里程碑） 中）".
    assert "没有可重试的运行（无里程碑的运行中）：" in refused, refused


def test_the_next_step_of_rows_failed_before_bridge_is_followable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    Trial t16 on 018 (F16, F3, F4): after COLLECTED the next step said the rows failed before
    bridge (JPH-G1-BRIDGE-001…005) «在此没有命令» even once `[run] command` gave them one (the
    log keeps the spec they were planned with), and «请在追踪表中改写其状态» without saying to
    what; marking them NOT RUN then printed «设置已变更: command: （未设） → …» for each, just
    before «不在范围内，不运行». Now the step says what was recorded, the retry that works once
    bridge.toml gives a command, and the Status that takes them out of scope; a run ruled out
    gets no spec-change line.
    """
    project, toml, command, arms = _project_018(tmp_path)
    argv = ["--project", str(project)]
    assert main(["run", "--plain", *argv]) == 1
    capsys.readouterr()
    toml.write_text(f"[run]\ncommand = {command}\n{arms}", encoding="utf-8")
    assert main(["run", "--plain", *argv]) == 1
    out = capsys.readouterr().out
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    rows = [f"JPH-G1-BRIDGE-00{i}" for i in range(1, 6)]
    for said in (out, results):
        assert "在此没有命令" not in said, said
        assert (
            "若该结果成立，请在追踪表中把它们的 Status 改为 `NOT RUN — <原因>`（不在范围内，"
            "不计入必做运行；写 DONE 则记为已完成）"
        ) in said, said
    # The console knows bridge.toml's `[run] command` gives them one now: it names their
    # retry, not "bridge recorded them with no command" (trial t16 F16). The results page,
    # written from the log alone, says what was recorded and the retry once one is given.
    assert f"用 `bridge retry {' '.join(rows)}` 和 `bridge run` 在 bridge 下重新运行" in out, out
    assert "没有命令" not in out.split("下一步：")[-1], out
    assert f"再运行 `bridge retry {' '.join(rows)}` 和 `bridge run`" in results, results
    assert "bridge 记录它们时没有命令" in results, results
    # Followed (on a copy), the retry runs them.
    followed = tmp_path / "followed"
    shutil.copytree(project, followed)
    assert main(["retry", *rows, "--project", str(followed)]) == 0
    assert f"将再次运行：{', '.join(rows)}" in capsys.readouterr().out
    assert main(["run", "--plain", "--project", str(followed)]) == 0
    capsys.readouterr()

    # As the step says: the rows marked NOT RUN — <reason> in the tracker.
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").splitlines(keepends=True)
    marked = [
        line.replace("| invalid |", "| NOT RUN — 结果成立 |", 1)
        if line.startswith(tuple(f"| {r} |" for r in rows))
        else line
        for line in lines
    ]
    assert marked != lines
    tracker.write_text("".join(marked), encoding="utf-8")
    assert main(["run", "--plain", *argv]) == 0
    out = capsys.readouterr().out
    for run in rows:
        assert f"{run} 不在范围内，不运行: NOT RUN — 结果成立" in out, out
    assert "设置已变更" not in out, out
    # The JPH-CAL rows' legend makes `failed` a negative result: done, and said so (h40J).
    assert (
        "必做运行完成：20/20（其中 JPH-CAL-LP-C0、JPH-CAL-LP-C1、JPH-CAL-CG-C2A、JPH-CAL-CG-C2B 在 "
        "bridge 之前已完成、结果为负；另有 5 个必做运行被追踪表排除在范围之外"
    ) in out, out
