"""
Language follows the plan: a plan written in Chinese gives Chinese projections and a Chinese
handoff summary unless ``language`` says otherwise (issue 14, item 7).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.machine.stages import Stage
from bridge.pipeline import Bridge
from tests.in_process import bridge_here
from tests.pipeline.conftest import Run, write_project

CHINESE_PREFACE = """\
> 本实验计划检验一个小脚本能否按计划完成每一次运行，并记录每次运行的结果与证据。
> 所有运行都在本地执行，结果写入追踪表与结果文件，供后续评审循环使用。

"""


def _chinese_project(root: Path, language: str = "") -> Path:
    write_project(
        root,
        [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")],
        bridge="max_parallel = 2\ncode_review = false"
        + (f'\nlanguage = "{language}"' if language else ""),
    )
    plan = root / "refine-logs" / "EXPERIMENT_PLAN.md"
    head, _, rest = plan.read_text().partition("\n")
    plan.write_text(head + "\n\n" + CHINESE_PREFACE * 3 + rest)
    return root


def test_a_chinese_plan_gives_chinese_outputs(project: Path) -> None:
    """No ``language`` set: the detected Chinese plan gives Chinese results, tracker notes and
    handoff summary; machine-read headers stay as they are."""
    _chinese_project(project)
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    tracker = (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text()
    summary = bridge.summary()
    assert "下一步" in results
    assert "第 1 次尝试" in tracker and "attempt 1 on" not in tracker
    assert "| Run ID |" in tracker  # the machine-read header is never translated
    assert "必做运行完成：2/2" in summary and "Next step" not in summary


def test_language_setting_wins_over_the_plan(project: Path) -> None:
    """``language = "en"`` keeps a Chinese plan's outputs English."""
    _chinese_project(project, language="en")
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    tracker = (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text()
    assert "attempt 1 on" in tracker
    assert "Must-run completed: 2/2" in bridge.summary()


def test_the_console_follows_the_language(project: Path) -> None:
    """``bridge run --plain`` on a Chinese plan prints its progress lines and handoff in
    Chinese; a row the tracker marks done is named as not run."""
    _chinese_project(project)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    row = "| R1 | M1 | main | main | test | accuracy | MUST |"
    tracker.write_text(tracker.read_text().replace(f"{row} TODO |", f"{row} 已完成 |"))
    done = bridge_here("run", "--plain", "--project", str(project))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "阶段 COLLECTED" in done.stdout and "stage COLLECTED" not in done.stdout
    assert "S1 完成" in done.stdout
    assert "R1 运行前已完成，不运行: 已完成" in done.stdout
    assert "必做运行完成：2/2" in done.stdout


def test_retry_says_what_it_does_in_the_plans_language(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """026 as a new user ran it: `bridge retry` printed "Will run again … Next step" in English
    under a Chinese plan."""
    from bridge.cli import main

    _chinese_project(project)
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    capsys.readouterr()
    assert main(["retry", "--force", "R1", "--project", str(project)]) == 0
    said = capsys.readouterr().out
    assert said == "将再次运行：R1\n下一步：`bridge run`。\n"


def test_a_cancel_reads_in_the_plans_language(project: Path) -> None:
    """020: after R021 failed, `bridge run` printed "R030 已取消: not run: milestone M2 must-run
    R021 ended failed" and the tracker's Notes "bridge：未运行：milestone M2 …". Both are Chinese
    now; the log keeps the English reason (retries.py reads the failed run's id back from it)."""
    write_project(
        project,
        [
            Run(id="S1", milestone="M0"),
            Run(id="R1", milestone="M1", mode="fail"),
            Run(id="R2", milestone="M2"),
        ],
    )
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    head, _, rest = plan.read_text().partition("\n")
    plan.write_text(head + "\n\n" + CHINESE_PREFACE * 3 + rest)
    done = bridge_here("run", "--plain", "--project", str(project))
    chinese = "未运行：里程碑 M1 的必做运行 R1 已失败"
    assert f"R2 已取消: {chinese}" in done.stdout, done.stdout + done.stderr
    tracker = (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text()
    row = next(line for line in tracker.splitlines() if line.startswith("| R2 |"))
    assert chinese in row and "must-run" not in row, row
    bridge = Bridge(project)
    try:
        reason = bridge.status().runs["R2"].reason
    finally:
        bridge.close()
    assert reason == "not run: milestone M1 must-run R1 ended failed"
