"""
A Chinese plan's researcher reads bridge's reasons for a row split into seeds, a split undone and
a retry asked for in Chinese, on the console and in the tracker's Notes, as the tracker's own
section already said them (trial t11 on the real project 018: `JPH-B2-FX-S0 已搁置，不计入:
JPH-B2-FX-S0 (one run) was split into seeds …`, `重试: JPH-B2-FX-S0 is in the plan again` (now
`重新回到计划中`, no retry), and Notes reading `…第 2 次尝试，local#0:cpu；retry asked by a person`
while the runs went on).
Real `bridge` commands (run in the test's process), real runs of a small script.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.project_018 import project_018, run_018
from tests.conftest import needs_shared
from tests.in_process import bridge_here

pytestmark = needs_shared

ROW = "| JPH-B2-FX-S0 | B2/B3 | fixed | {seed} | frozen | frozen |"


def _seed(project: Path, old: str, new: str) -> None:
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    assert ROW.format(seed=old) in text
    tracker.write_text(text.replace(ROW.format(seed=old), ROW.format(seed=new), 1), "utf-8")


def _lines(out: str, run_id: str) -> list[str]:
    """The console's lines about ``run_id``, without their time."""
    return [line[9:] for line in out.splitlines() if line[9:].startswith(f"{run_id} ")]


def test_a_split_row_its_undo_and_a_retry_read_in_chinese(tmp_path: Path) -> None:
    project = project_018(tmp_path)
    run_018(project)
    _seed(project, "0", "0, 1, 2")
    split = run_018(project)
    # Seed 0 ran as the row's one run with the same settings: its result is seed 0's run's.
    assert (
        "JPH-B2-FX-S0 已搁置，不计入: JPH-B2-FX-S0（单个运行）已在追踪表中拆分为种子 0, 1, 2；"
        "其种子 0 的结果即 JPH-B2-FX-S0-s0 的结果，设置相同，不再重新运行"
    ) in _lines(split, "JPH-B2-FX-S0"), split
    assert any(
        line.endswith("JPH-B2-FX-S0-s0：JPH-B2-FX-S0 在种子 0 上的结果，设置相同，不再重新运行")
        for line in split.splitlines()
    ), split
    assert "JPH-B2-FX-S0-s0 已启动" not in split
    _seed(project, "0, 1, 2", "0")
    undone = run_018(project)
    # Back in the plan: no retry said (it may take back its result, not run again).
    assert "JPH-B2-FX-S0 重新回到计划中" in _lines(undone, "JPH-B2-FX-S0"), undone
    assert "重试" not in "".join(_lines(undone, "JPH-B2-FX-S0")), undone
    assert (
        "JPH-B2-FX-S0-s1 已搁置，不计入: JPH-B2-FX-S0-s1（JPH-B2-FX-S0 的种子 1）："
        "JPH-B2-FX-S0 在计划中已恢复为单个运行，不再拆分为种子；其结果保留在日志中，不计入"
    ) in _lines(undone, "JPH-B2-FX-S0-s1"), undone
    # Only the Seed cell was the researcher's edit, and the tracker has it as they wrote it:
    # no copy, and no line saying their text is only in one (t11's EXPERIMENT_TRACKER.edited-2).
    assert not list((project / "refine-logs").glob("EXPERIMENT_TRACKER.edited*"))
    assert "EXPERIMENT_TRACKER.edited" not in split + undone
    status = bridge_here("status", "--project", str(project), columns=400).stdout
    (set_aside,) = [line for line in status.splitlines() if line.startswith("JPH-B2-FX-S0-s1 ")]
    assert "（JPH-B2-FX-S0 的种子 1）" in set_aside and "no longer" not in set_aside

    retried = bridge_here("retry", "--force", "JPH-B2-PO-S0", "--project", str(project))
    assert retried.returncode == 0, retried.stdout + retried.stderr
    run_018(project)
    # The tracker as it was while the retried run's attempt 2 ran: the log's own replay of it.
    log = bridge_here("log", "--project", str(project), columns=400).stdout
    (seq,) = [
        int(line.split()[0])
        for line in log.splitlines()
        if re.search(r"run:JPH-B2-PO-S0 +run\.started .*JPH-B2-PO-S0-a2", line)
    ]
    past = tmp_path / "past"
    bridge_here("replay", "--at", str(seq), "--out", str(past), "--project", str(project))
    tracker = (past / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text(encoding="utf-8")
    (row,) = [line for line in tracker.splitlines() if line.startswith("| JPH-B2-PO-S0 |")]
    assert "| RUNNING |" in row
    assert row.endswith("bridge：种子 0；第 2 次尝试，local#0:cpu；由人要求重试 |"), row
