"""
Runs that only wait, for their code or for people's work, and the runs held behind them, as
every place that counts or lists them says (trial t10, defect 5): on a copy of the real plan
023 (its M2 rows ``PENDING_IMPLEMENTATION``) and of the real project 009 (R004 user-only), each
run through ``bridge run`` with the local backend.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bridge.cli import main
from tests.conftest import SHARED, needs_shared
from tests.plan.corpus import as_project

pytestmark = needs_shared

# 023's runs write one number each; the seed keeps R040's three seeds three computations.
_FAKE = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"ENS": 0.31, "seed": int(sys.argv[2])}))
"""
_HELD = ("R031", "R032", "R040-s42", "R040-s27", "R040-s97", "R042", "R043")


@pytest.fixture
def p023(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """023 as its researcher has it, after one `bridge run`: M0 and M1 ran, M2 waits for its
    code, and M3-M5 are held behind it."""
    project = as_project("023", tmp_path / "p023")
    (project / "fake.py").write_text(_FAKE, encoding="utf-8")
    (project / "bridge.toml").write_text(
        '[run]\ncommand = ["python3", "fake.py", "{output_dir}", "{seed}"]\n'
        'args = { seed = "0" }\n',
        encoding="utf-8",
    )
    # 0: the runs only wait for their code, and those held behind it have not failed (the
    # docs' exit codes; 020's held runs made it 1, trial t12).
    assert main(["run", "--project", str(project)]) == 0
    (project / "run.out").write_text(capsys.readouterr().out, encoding="utf-8")
    return project


def _status(project: Path, capsys: pytest.CaptureFixture[str], *more: str) -> list[str]:
    # A terminal wide enough for each bar on one line (at 80 columns M3's is broken).
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COLUMNS", "200")
        assert main(["status", "--project", str(project), *more]) == 0
    return capsys.readouterr().out.splitlines()


def test_023_status_bars_say_waiting_and_held_not_out_of_scope_or_not_ok(
    p023: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bridge run` printed `R031 已取消: 未运行：…` as for a run cancelled for good, and
    `bridge status` said `M2 … 0/0 成功，4 个不在范围内` and `M3 … 0/2 成功，2 个未成功`
    (English `2 not ok`), where the summary says they wait for their code."""
    lines = (p023 / "run.out").read_text(encoding="utf-8").splitlines()
    held = [x.split(" ", 1)[1] for x in lines if " R031 " in x]
    assert held == ["R031 暂缓运行: 未运行：里程碑 M2 的必做运行 R020 在等待其代码写好"], held
    bars = {line.split()[0]: line for line in _status(p023, capsys)[1:7]}
    assert bars["M2"].endswith("0/0 成功，4 个等待代码写好"), bars
    assert bars["M3"].endswith("0/2 成功，1 个等待代码写好，2 个等待前面的代码写好后运行"), bars
    assert bars["M5"].endswith("0/2 成功，2 个等待前面的代码写好后运行"), bars
    assert not any("未成功" in b or "不在范围内" in b for m, b in bars.items() if m != "M1")
    english = {line.split()[0]: line for line in _status(p023, capsys, "-o", "language=en")[1:7]}
    assert english["M2"].endswith("0/0 ok, 4 waiting for their code"), english
    assert english["M4"].endswith(
        "0/3 ok, 1 waiting for their code, 3 held until that code is written"
    ), english


def test_023_verdict_and_not_launched_list_say_the_runs_wait_for_their_code(p023: Path) -> None:
    """B2 read `该实验块的所有运行都不在范围内：R020, R021, R022, R023` and its runs were listed
    `R020 — 不在范围内: PENDING_IMPLEMENTATION …`, beside a summary saying they wait."""
    results = (p023 / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert (
        "— 该实验块的所有运行都仍在等待，尚未判定：R020, R021, R022, R023（代码尚未写好）"
    ) in results
    assert "- R020 — 等待代码写好: PENDING_IMPLEMENTATION — " in results
    assert "不在范围内: PENDING_IMPLEMENTATION" not in results
    data = json.loads((p023 / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    (b2,) = [b for b in data["blocks"] if b["block"] == "B2"]
    assert b2["reason"] == (
        "every run of the block is still waiting, so it is not judged yet: "
        "R020, R021, R022, R023 (its code is not written yet)"
    )


def test_023_researchers_todo_is_kept_for_runs_bridge_only_holds(p023: Path) -> None:
    """R031, R032, R040, R042 and R043 changed from `TODO` to `CANCELLED` in the researcher's
    own tracker; bridge's reason goes to the Notes."""
    tracker = (p023 / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(): line for line in tracker.splitlines() if line.startswith("| R0")
    }
    for run_id in ("R031", "R032", "R040", "R042", "R043"):
        assert "| TODO |" in rows[run_id] and "CANCELLED" not in rows[run_id], rows[run_id]
    assert "bridge：未运行：里程碑 M2 的必做运行 R020 在等待其代码写好" in rows["R031"]
    assert "CANCELLED" not in tracker


def test_023_retry_failed_leaves_the_held_runs_held_and_says_why(
    p023: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bridge retry --failed` answered `将再次运行：R031, R032, R040-s42, …` and the next
    `bridge run` cancelled all seven again at once."""
    assert main(["retry", "--failed", "--project", str(p023)]) == 2
    said = capsys.readouterr().err
    assert (
        "没有可重试的运行：R031、R032、R040-s42、R040-s27、R040-s97、R042 等 7 个 在等待 R020 "
        "的代码写好，不会重试：写好后把追踪表中 R020 的状态改为 TODO，`bridge run` 会先运行它，"
        "再运行这些运行"
    ) in said, said
    assert main(["retry", "R031", "--project", str(p023)]) == 2
    assert "R031 在等待 R020 的代码写好" in capsys.readouterr().err
    assert main(["status", "--json", "--project", str(p023)]) == 0
    runs = {r["id"]: r for r in json.loads(capsys.readouterr().out)["runs"]}
    assert all(runs[r]["state"] == "cancelled" for r in _HELD)


def test_009_b3_says_r004_is_work_people_do_not_out_of_scope(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """B3 read `every run of the block is out of scope: R004` while the same file listed
    `R004 — work people do, not done yet: READY`. The summary's "nice-to-have completed: 0/0"
    did not name R004, the researcher's own nice-to-have run: it does, as the must-run count
    names such rows."""
    project = Path(shutil.copytree(SHARED / "projects" / "009_tool-placement", tmp_path / "p009"))
    # R004's row is READY, "API run is user-only": a run people do, whatever command is set.
    (project / "fake.py").write_text(_FAKE, encoding="utf-8")
    (project / "bridge.toml").write_text(
        '[run]\ncommand = ["python3", "fake.py", "{output_dir}", "{seed}"]\n'
        'args = { seed = "0" }\n',
        encoding="utf-8",
    )
    main(["run", "--project", str(project)])
    assert (
        "Must-run completed: 4/4; nice-to-have completed: 0/0 (1 more is work people do, not "
        "done yet, not counted: R004).\n"
    ) in capsys.readouterr().out
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    (b3,) = [b for b in data["blocks"] if b["block"] == "B3"]
    # B3's criterion is two clauses since "without increasing prompt cost substantially" is
    # one, neither checkable: said as of any such criterion whose runs all wait (023's B2).
    assert b3["reason"] == (
        "every run of the block is still waiting, so it is not judged yet: "
        "R004 (work people do, not done yet)"
    ), b3["reason"]
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "out of scope: R004" not in results


def test_023_status_table_results_and_tracker_counts_say_waiting_and_held_not_todo(
    p023: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bridge status` showed `R020 M2 … TODO … PENDING_IM…`, the results `| R020 | capacity-
    matched VanillaFilter | - | TODO |` and the tracker's header `TODO 13`, beside bars saying
    `4 个等待代码写好` (trial t11, defect 9): TODO read as ready to launch. The researcher's own
    Status cells keep their words."""
    table = {line.split()[0]: line for line in _status(p023, capsys)[8:]}
    assert "  等待代码  " in table["R020"] and "  等待代码  " in table["R041"], table
    assert all("  暂缓运行  " in table[r] for r in _HELD), [table[r] for r in _HELD]
    assert not any(" TODO " in row for row in table.values()), table
    english = {x.split()[0]: x for x in _status(p023, capsys, "-o", "language=en")[8:]}
    assert " WAITING (code) " in english["R020"] and " HELD " in english["R031"], english
    results = (p023 / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "| R020 | capacity-matched VanillaFilter | - | 等待代码 |" in results
    assert "| R031 | Stage1 vs final Stage1.5 | - | 暂缓运行 |" in results
    assert "| TODO |" not in results
    tracker = (p023 / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text(encoding="utf-8")
    assert "**运行:** 24 (DONE 10, SKIPPED 1, 暂缓运行 7, 等待代码 6)" in tracker, tracker
    rows = {x.split("|")[1].strip(): x for x in tracker.splitlines() if x.startswith("| R0")}
    assert "| PENDING_IMPLEMENTATION |" in rows["R020"] and "| TODO |" in rows["R031"]


def test_027s_blocked_blocks_say_blocked_not_out_of_scope(tmp_path: Path) -> None:
    """027's B2-B4 runs are `BLOCKED_BY_M1.5`, `BLOCKED_BY_M2`, … in the tracker: their verdicts
    read `该实验块的所有运行都不在范围内：R-A1, …` (`every run of the block is out of scope`,
    trial t13), the researcher's word for runs they dropped, while the same page lists them
    blocked."""
    project = as_project("027", tmp_path / "p027")
    (project / "fake.py").write_text(_FAKE, encoding="utf-8")
    (project / "bridge.toml").write_text(
        '[run]\ncommand = ["python3", "fake.py", "{output_dir}", "{seed}"]\n'
        'args = { seed = "0" }\n',
        encoding="utf-8",
    )
    main(["run", "--project", str(project)])
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    reasons = {b["block"]: b["reason"] for b in data["blocks"]}
    assert reasons["B4"].startswith(
        "every run of the block is still waiting, so it is not judged yet: "
        "R-FINAL (blocked in the tracker)"
    ), reasons["B4"]
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "该实验块的所有运行都仍在等待，尚未判定：R-FINAL（在追踪表中受阻）" in results
    assert "该实验块的所有运行都不在范围内" not in results


def test_027s_b3_clause_on_a_blocked_system_says_it_waits(tmp_path: Path) -> None:
    """027's B3 with R-C2 and R-C4 run and R-C3 still `BLOCKED_BY_M2`: clause 1 (A2 vs A3)
    read only "no results for system A3 + mixed control", as if the block lacked A3; its runs
    are blocked in the tracker, so the clause says it waits for them, by id."""
    project = as_project("027", tmp_path / "p027")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").split("\n")
    for n, line in enumerate(lines):
        if line.startswith(("| R-M0-EVAL ", "| R-L3 ")):
            done = line.replace("| IN_PROGRESS |", "| DONE |")
            lines[n] = done.replace("| RUNNING |", "| DONE |")
        elif line.startswith(("| R-C2 ", "| R-C4 ")):
            lines[n] = line.replace("| BLOCKED_BY_M2 |", "| TODO |")
    tracker.write_text("\n".join(lines), encoding="utf-8")
    # The runs record the metric clause 1 names (its FK p95), so what it lacks is A3's runs.
    fake = _FAKE.replace('{"ENS": 0.31,', '{"ENS": 0.31, "fk_p95": 0.5,')
    assert fake != _FAKE
    (project / "fake.py").write_text(fake, encoding="utf-8")
    (project / "bridge.toml").write_text(
        '[run]\ncommand = ["python3", "fake.py", "{output_dir}", "{seed}"]\n'
        'args = { seed = "0" }\n\n[metrics]\nprimary = "ENS"\n',
        encoding="utf-8",
    )
    main(["run", "--project", str(project)])
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    reason = {b["block"]: b["reason"] for b in data["blocks"]}["B3"]
    assert (
        "— no results for system A3 + mixed control; still waiting: its runs are blocked in the "
        "tracker: R-C3-s3407, R-C3-s3408, R-C3-s3409 | [2]"
    ) in reason, reason
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert (
        "没有结果的系统：A3 + mixed control；仍在等待：其运行在追踪表中受阻：R-C3-s3407, "
        "R-C3-s3408, R-C3-s3409"
    ) in results
