"""
A tracker edit that sets a Status bridge does not take on rows it ran AND adds a column (a note
column beside the Status) is said as the Status not taken, everything else carried (trial t16
on the real project 018: TODO on JPH-B2-PO-S0, `NOT RUN — 本机无 GPU` on JPH-B2-FX-S0 and a new
`复核` column read «…写在那里的文字只在该副本中（请把笔记写在标记之上）», though nothing was written
below the marker and the new column, `已看` included, was in the tracker: the cells of rows
were compared only when the row had as many cells as bridge's last write). A pipe in a cell, in
`inline code` or escaped (`\\|`), is in its cell, as the tracker reader reads it: a Status
holding one was taken for a column more, and said as text lost again.
Real `bridge` commands (run in the test's process), real runs of a small script.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli.project_018 import project_018, run_018
from tests.conftest import needs_shared

pytestmark = needs_shared


# Pipes in cells, as a researcher writes them: in a command in inline code, and escaped.
NOT_RUN = "NOT RUN — 本机无 GPU（`nvidia-smi -L | wc -l` 为 0）"
NOTE = "pilot；lr 1e-3 \\| 3e-4；`python a.py | tee log`；"


def _edit(tracker: Path) -> None:
    """The researcher's edit: a `复核` column at the ledger's end, a note in it on JT, TODO on
    PO and NOT RUN on FX (both succeeded under bridge), the latter's reason a command with a
    pipe in it; and pipes in JT's Notes (:data:`NOTE`)."""
    lines = []
    for line in tracker.read_text(encoding="utf-8").split("\n"):
        if line.startswith("| Run ID |"):
            line += " 复核 |"
        elif line.startswith("|---|---|---|---:|"):
            line += "---|"
        elif line.startswith("| JPH-"):
            if line.startswith("| JPH-B2-PO-S0 "):
                assert "| passed |" in line, line
                line = line.replace("| passed |", "| TODO |", 1)
            if line.startswith("| JPH-B2-FX-S0 "):
                line = line.replace("| passed |", f"| {NOT_RUN} |", 1)
            if line.startswith("| JPH-B2-JT-S0 "):
                line = line.replace("| pilot；", f"| {NOTE}", 1)
            line += " 已看 |" if line.startswith("| JPH-B2-JT-S0 ") else "  |"
        lines.append(line)
    tracker.write_text("\n".join(lines), encoding="utf-8")


def test_a_status_not_taken_beside_a_new_column_is_said_as_such(tmp_path: Path) -> None:
    project = project_018(tmp_path)
    run_018(project)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    _edit(tracker)

    said = run_018(project)

    # Each Status not taken is said, with why: the run has run (NOT RUN's why in Chinese too,
    # as the English line gives it).
    assert "JPH-B2-PO-S0 已成功，追踪表的 Status 被改为 TODO" in said, said
    assert (
        f"JPH-B2-FX-S0 已成功，追踪表的 Status 被改为 {NOT_RUN}：bridge 保留其结果并写回"
        "已完成的状态（已运行过的运行不会被排除在范围之外）。"
    ) in said, said
    # The copy is said to be kept for those Status cells only, not for text lost.
    assert (
        "已读取你对 refine-logs/EXPERIMENT_TRACKER.md 的修改：你在 JPH-B2-FX-S0, JPH-B2-PO-S0 上"
        "写的 Status 没有被采用（原因见上文），bridge 在那里写回了它自己的状态；你留下的原文保存在 "
        "refine-logs/EXPERIMENT_TRACKER.edited.md，你写的其他内容都在追踪表中"
    ) in said, said
    assert "写在那里的文字只在该副本中" not in said, said
    # And so it is: the new column and its note are in the tracker, bridge's Status back.
    rows = {
        line.split(" | ")[0]: line
        for line in tracker.read_text(encoding="utf-8").splitlines()
        if line.startswith("| JPH-B2-")
    }
    assert rows["| JPH-B2-JT-S0"].endswith("| 已看 |"), rows
    assert f"| 外置 run dir | {NOTE}bridge：" in rows["| JPH-B2-JT-S0"], rows  # byte for byte
    assert "| passed |" in rows["| JPH-B2-FX-S0"] and "NOT RUN" not in rows["| JPH-B2-FX-S0"]
    assert "| passed |" in rows["| JPH-B2-PO-S0"] and "| TODO |" not in rows["| JPH-B2-PO-S0"]
    header = next(
        line
        for line in tracker.read_text(encoding="utf-8").splitlines()
        if line.startswith("| Run ID |")
    )
    assert header.endswith("| 复核 |"), header


def test_the_no_milestone_reason_ends_as_a_chinese_sentence(tmp_path: Path) -> None:
    """018's results said «…（按运行或按实验块）都没有指明.», an ASCII full stop after Chinese text
    (trial t16)."""
    project = project_018(tmp_path)
    run_018(project)
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert (
        "这些运行的里程碑无法确定：它们的行和里程碑的 Runs 单元格（按运行或按实验块）都没有指明。\n"
    ) in results, results
    assert "都没有指明." not in results


# Writes the numbers 002's runs measure, whatever the run.
_JOB_002 = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"final_task_quality": 0.5, "runtime": 100.0}))
"""


def test_a_blank_result_column_added_after_the_runs_keeps_no_copy(tmp_path: Path) -> None:
    """002's researcher adds an empty Result column to the tracker after bridge ran R004-R008,
    for bridge to fill in. Bridge wrote each run's measured value there, kept
    `EXPERIMENT_TRACKER.edited.md` and said «text you wrote there is only in that copy», though
    the copy differed only in the blanks bridge filled (trial h39A)."""
    from tests.in_process import bridge_here
    from tests.plan.corpus import as_project, run_to_results

    project = as_project("002", tmp_path)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    # R001's gate failed before bridge: settled, so the sanity milestone lets the rest run;
    # M1's reused baselines left out (fewer runs, a cheaper test).
    text = tracker.read_text(encoding="utf-8").replace("| **GATE FAILED** |", "| DONE |", 1)
    for reused in ("JORA-NoRot matched reference", "current additive JORA-Diag matched reference"):
        at = text.index(f"| {reused} |")
        text = text[:at] + text[at:].replace("| TODO/REUSE |", "| NOT RUN — reused |", 1)
    tracker.write_text(text, encoding="utf-8")
    run_to_results(project, _JOB_002)
    lines = []
    for line in tracker.read_text(encoding="utf-8").split("\n"):
        if line.startswith("| Run ID |"):
            line = line.replace("| Status | Notes |", "| Status | Result | Notes |")
        elif line.startswith("|--------|-----------|"):
            line += "--------|"
        elif line.startswith("| R0"):
            cells = line.split("|")
            line = "|".join([*cells[:9], " ", *cells[9:]])
        lines.append(line)
    tracker.write_text("\n".join(lines), encoding="utf-8")

    said = bridge_here("run", "--plain", "--project", str(project))

    assert said.returncode == 0, said.stdout + said.stderr
    assert "only in that copy" not in said.stdout, said.stdout
    assert not (project / "refine-logs" / "EXPERIMENT_TRACKER.edited.md").exists()
    rows = tracker.read_text(encoding="utf-8").split("\n")
    row = next(line for line in rows if line.startswith("| R007 |"))
    assert "| DONE (was: TODO/REUSE) | final_task_quality = 0.5 (+1 more) | Matched" in row, row
