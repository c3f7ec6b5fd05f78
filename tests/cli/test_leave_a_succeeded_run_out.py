"""
`NOT RUN — <reason>` on a run bridge ran and that succeeded does not take it out of scope (a
run that has run keeps its result), and bridge's line names the way that does leave its
numbers out: deleting its row, which sets the run aside, its result kept in the log, until the
row is put back (trial t16 on the real project 018: «JPH-B2-FX-S0 已成功，追踪表的 Status 被改为
NOT RUN — …：bridge 保留其结果并写回已完成的状态» said nothing of how to take the arm out of the
comparison). Real `bridge` commands (run in the test's process), real runs of a small script,
followed end to end.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.project_018 import project_018, run_018
from tests.conftest import needs_shared
from tests.in_process import bridge_here

pytestmark = needs_shared


FX = "| JPH-B2-FX-S0 "


def _lines(tracker: Path) -> list[str]:
    return tracker.read_text(encoding="utf-8").split("\n")


def _b2_runs(project: Path) -> str:
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    return next(line for line in results.splitlines() if line.startswith("- **运行:** JPH-B2-"))


def test_the_way_named_for_not_run_on_a_succeeded_run_works(tmp_path: Path) -> None:
    project = project_018(tmp_path)
    run_018(project)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    assert "JPH-B2-FX-S0" in _b2_runs(project)
    ran_row = next(line for line in _lines(tracker) if line.startswith(FX))

    # The researcher marks the succeeded arm NOT RUN with a reason: kept, and the way named.
    lines = _lines(tracker)
    at = next(i for i, line in enumerate(lines) if line.startswith(FX))
    lines[at] = lines[at].replace("| passed |", "| NOT RUN — 本机无 GPU |", 1)
    tracker.write_text("\n".join(lines), encoding="utf-8")
    said = run_018(project)
    assert (
        "JPH-B2-FX-S0 已成功，追踪表的 Status 被改为 NOT RUN — 本机无 GPU：bridge 保留其结果并写回"
        "已完成的状态（已运行过的运行不会被排除在范围之外）。要把它的数值排除在结果之外，请从追踪表中"
        "删除该行：bridge 会搁置该运行，结果保留在日志中、不计入任何判定（把行放回即重新计入）。"
    ) in said, said
    assert "JPH-B2-FX-S0" in _b2_runs(project)  # the word alone leaves it counted

    # Following the line: the row deleted, the run is set aside, out of B2's numbers.
    tracker.write_text(
        "\n".join(line for line in _lines(tracker) if not line.startswith(FX)), encoding="utf-8"
    )
    said = run_018(project)
    assert (
        "JPH-B2-FX-S0 已搁置，不计入: JPH-B2-FX-S0 在运行后已从追踪表中删除；"
        "其结果保留在日志中，不计入"
    ) in said, said
    assert "JPH-B2-FX-S0" not in _b2_runs(project), _b2_runs(project)
    results = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    b2 = next(block for block in results["blocks"] if block["block"] == "B2")
    assert "JPH-B2-FX-S0" not in json.dumps(b2, ensure_ascii=False)
    # The log keeps everything: its success and numbers, then the ruling out.
    log = bridge_here("log", "--project", str(project)).stdout
    events = [line.split()[4] for line in log.splitlines() if "run:JPH-B2-FX-S0 " in line]
    assert events.index("run.succeeded") < events.index("run.ruled_out"), events
    assert "run.metrics_recorded" in events

    # Put back: counted again with its own result, not run again, the log whole.
    lines = _lines(tracker)
    at = next(i for i, line in enumerate(lines) if line.startswith("| JPH-B2-PO-S0 "))
    tracker.write_text("\n".join([*lines[:at], ran_row, *lines[at:]]), encoding="utf-8")
    said = run_018(project)
    assert "JPH-B2-FX-S0：其自身在种子 0 上的结果，设置相同，不再重新运行" in said, said
    assert "JPH-B2-FX-S0" in _b2_runs(project)
    assert "JPH-B2-FX-S0-a2" not in bridge_here("log", "--project", str(project)).stdout
    verified = bridge_here("verify", "--project", str(project))
    assert verified.returncode == 0, verified.stdout + verified.stderr
