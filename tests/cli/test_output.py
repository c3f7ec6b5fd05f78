"""
What the command line prints: user text exactly as written (never read as markup), every run
in 80 columns with long notes cut, and progress lines in plain mode.
"""

from __future__ import annotations

import io
import json
import shutil
import time
from pathlib import Path

import pytest

from bridge.cli import main
from bridge.cli.console import make_console, render_status
from bridge.cli.watch import Watcher, describe_all
from bridge.events.store import SQLiteEventStore
from bridge.events.types import (
    MilestoneInfo,
    PipelineBlocked,
    PlanLoaded,
    RunFailed,
    RunFoundDone,
    RunPlaced,
    RunPlanned,
    RunRetryScheduled,
    RunSpecChanged,
    RunStarted,
    RunSubmitted,
    SpecChange,
    StageEntered,
)
from bridge.events.values import JobHandle
from bridge.machine.fold import fold
from bridge.pipeline.audit import db_path
from tests.cli.conftest import LONG_REASON, SYSTEM, TITLE
from tests.conftest import SHARED, needs_shared
from tests.e2e.tiny import write_project
from tests.in_process import bridge_here


def _start(store: SQLiteEventStore, run_id: str) -> None:
    attempt = f"{run_id}-a1"
    store.append(
        f"run:{run_id}",
        [
            RunSubmitted(run_id=run_id, attempt_id=attempt, attempt=1, backend="local"),
            RunStarted(
                run_id=run_id,
                attempt_id=attempt,
                handle=JobHandle(backend="local", attempt_id=attempt),
            ),
        ],
        1,
    )


def _wait_for(buffer: io.StringIO, text: str, bound: float = 20.0) -> str:
    deadline = time.monotonic() + bound
    while text not in buffer.getvalue():
        assert time.monotonic() < deadline, f"{text!r} never appeared in {buffer.getvalue()!r}"
        time.sleep(0.02)
    return buffer.getvalue()


class TestTextNotMarkup:
    def test_the_console_prints_markup_looking_text_exactly(self) -> None:
        """Brackets, rich tags and emoji codes come out as typed."""
        out = io.StringIO()
        make_console(file=out).print(f"{TITLE} {SYSTEM}")
        assert out.getvalue() == f"{TITLE} {SYSTEM}\n"

    def test_status_shows_title_and_system_exactly(self, logged: Path) -> None:
        """`bridge status` prints the plan title and a bracketed system name as written."""
        done = bridge_here("status", "--project", str(logged), columns=120)
        assert done.returncode == 0, done.stderr
        assert TITLE in done.stdout
        assert SYSTEM in done.stdout

    def test_the_live_view_shows_text_exactly(self, logged: Path) -> None:
        """The live view (the same renderer) keeps brackets in titles and systems."""
        store = SQLiteEventStore(db_path(logged))
        state = fold(store.read())
        store.close()
        out = io.StringIO()
        console = make_console(file=out)
        console.width = 160
        console.print(render_status(state, width=console.width))
        assert TITLE in out.getvalue() and SYSTEM in out.getvalue()

    def test_plan_shows_title_and_systems_exactly(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`bridge plan` prints a bracketed plan title and system name as written."""
        project = write_project(tmp_path / "p")
        for name in ("EXPERIMENT_PLAN.md", "EXPERIMENT_TRACKER.md"):
            path = project / "refine-logs" / name
            path.write_text(
                path.read_text().replace("— Tiny", "— " + TITLE).replace("Method", SYSTEM)
            )
        assert main(["plan", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        assert TITLE in out
        assert f"R001 ({SYSTEM})" in out

    def test_plan_reads_a_wrapped_criterion_as_one_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A success criterion wrapped over two lines is one line of text (008, 012: the wrap
        is the editor's, not a new clause), never with a literal ``\\n`` between them; a
        control character in it is still shown escaped."""
        project = write_project(tmp_path / "p")
        path = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        path.write_text(
            path.read_text().replace(
                "Method accuracy > 10% over Baseline",
                "Method accuracy > 10% over Baseline\non every seed \x1b[2J",
            )
        )
        assert main(["plan", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        assert "Method accuracy > 10% over Baseline on every seed \\u001b[2J" in out, out

    def test_plan_lists_decision_gates_as_not_checked(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The Decision Gate column is prose bridge does not check: `bridge plan` lists each
        gate under a heading that says so, and a cell saying none is no gate."""
        project = write_project(tmp_path / "p")
        path = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        text = path.read_text()
        text = text.replace("| R001 | runs |", "| R001 | if accuracy < 0.2 → investigate |")
        path.write_text(text.replace("| R002-R003 | done |", "| R002-R003 | none |"))
        assert main(["plan", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        assert "decision gates (not checked by bridge" in out
        assert "  M0: if accuracy < 0.2 → investigate" in out
        assert "  M1:" not in out

    def test_plain_lines_keep_brackets(self, logged: Path) -> None:
        """A failure reason with brackets scrolls by exactly in plain mode."""
        out = io.StringIO()
        store = SQLiteEventStore(db_path(logged))
        with Watcher(db_path(logged), make_console(file=out), plain=True):
            _start(store, "R002")
            store.append(
                "run:R002",
                [
                    RunFailed(
                        run_id="R002", attempt_id="R002-a1", reason="[reviewer] said [b]no[/b]"
                    )
                ],
                None,
            )
            _wait_for(out, "R002 failed")
        store.close()
        assert "R002 failed: [reviewer] said [b]no[/b]\n" in out.getvalue()


class TestStatus:
    def test_every_run_in_80_columns(self, logged: Path) -> None:
        """Every run has a line, no line passes 80 columns, and the long note is cut."""
        done = bridge_here("status", "--project", str(logged), columns=80)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        for run_id in ("R001", "R002", "R003"):
            assert any(line.split()[:1] == [run_id] for line in lines), run_id
        assert max(len(line) for line in lines) <= 80
        assert "END-OF-REASON" not in done.stdout and "…" in done.stdout

    def test_the_full_note_is_in_json_and_the_run_log(self, logged: Path) -> None:
        """The cut note is whole in `status --json` and in `bridge log --run`."""
        status = json.loads(bridge_here("status", "--json", "--project", str(logged)).stdout)
        assert {r["id"]: r["reason"] for r in status["runs"]}["R001"] == LONG_REASON
        log = bridge_here("log", "--run", "R001", "--project", str(logged)).stdout
        assert "END-OF-REASON" in log

    def test_gpu_hours_budget_and_estimate_are_named_apart(self, tmp_path: Path) -> None:
        """`status --json` gives the plan's budget and the estimate `bridge plan` shows, each
        under its own name, with every milestone's estimate and where it came from."""
        root = tmp_path / "proj"
        milestones = (
            MilestoneInfo(id="M0", sanity=True),
            MilestoneInfo(id="M1", gpu_hours=100.0),
            MilestoneInfo(id="M2", gpu_hours=7.0),
            MilestoneInfo(id="M3"),
        )
        plan = PlanLoaded(
            title=TITLE,
            plan_path="p.md",
            plan_sha256="0" * 64,
            milestones=milestones,
            budget_gpu_hours=45.0,
        )
        runs = [
            RunPlanned(run_id="R0", milestone="M0"),
            RunPlanned(run_id="R1", milestone="M1", gpus=1),
            RunPlanned(run_id="R2", milestone="M2", gpus=2, estimated_minutes=30.0),
            RunPlanned(run_id="R3", milestone="M3", gpus=1),
        ]
        store = SQLiteEventStore(db_path(root))
        store.append("bridge", [plan], 0)
        for run in runs:
            store.append(f"run:{run.run_id}", [run], 0)
        store.close()
        done = bridge_here("status", "--json", "--project", str(root))
        assert done.returncode == 0, done.stderr
        status = json.loads(done.stdout)
        assert status["gpu_hours_budget"] == 45.0
        assert status["gpu_hours_planned"] == 45.0  # the budget, as before (compatibility)
        assert status["gpu_hours_estimated"] == 101.0
        # A log without the plan's Costs as written (plan.costs) names the hours it has.
        assert status["gpu_hours_estimates"] == [
            {"milestone": "M0", "gpu_hours": 0.0, "source": "CPU runs only",
             "plan_cost": None, "plan_own_gpu_hours": None},
            {"milestone": "M1", "gpu_hours": 100.0,
             "source": "from the plan's Cost column (100 GPU-h)",
             "plan_cost": None, "plan_own_gpu_hours": 100.0},
            {"milestone": "M2", "gpu_hours": 1.0, "source": "from the runs' estimates",
             "plan_cost": None, "plan_own_gpu_hours": 7.0},
            {"milestone": "M3", "gpu_hours": None,
             "source": "no run estimate and no GPU-hours in the plan's Cost",
             "plan_cost": None, "plan_own_gpu_hours": None},
        ]  # fmt: skip
        text = bridge_here("status", "--project", str(root), columns=80).stdout
        assert "GPU-hours used 0.00 of 45 budgeted" in text


@needs_shared
def test_018_status_json_estimates_what_is_left_with_the_plans_cost_as_written(
    tmp_path: Path,
) -> None:
    """018's tracker marks M0's five rows (and M1's, and the 13 of no milestone) done or failed
    before bridge: `status --json` counted M0 at the plan's 32 GPU-h all the same (288 in all),
    and gave M4's Cost as the log's 1280, its share of the plan's running total «累计 800–1600
    GPUh». The estimate is of the runs left to launch now (M3's 256), each source saying what it
    leaves out, and each milestone's `plan_cost` is the plan's Cost as written, the log's own
    hours apart under `plan_own_gpu_hours`."""
    project = tmp_path / "p018"
    shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", project)
    # GPUs asked for, as on the researcher's 8×A100 host: the plan's Cost stands in.
    (project / "bridge.toml").write_text(
        '[bridge]\nbackend = "ssh"\nauto_deploy = false\n[run]\ngpus = 8\ncommand = "true"\n'
        '[backends.ssh]\nremote_dir = "/r"\n[[backends.ssh.hosts]]\nhost = "x"\n',
        encoding="utf-8",
    )
    done = bridge_here("run", "--project", str(project))
    assert "AWAITING_APPROVAL" in done.stdout, done.stdout + done.stderr
    status = json.loads(bridge_here("status", "--json", "--project", str(project)).stdout)
    by_id = {e["milestone"]: e for e in status["gpu_hours_estimates"]}
    assert by_id["M0"] == {
        "milestone": "M0",
        "gpu_hours": 0.0,
        "source": "none to launch: the tracker marks its 5 runs done or ruled out; the plan's "
        "Cost (16–32 GPUh) not counted",
        "plan_cost": "16–32 GPUh",
        "plan_own_gpu_hours": 32.0,
    }
    assert by_id["M3"]["gpu_hours"] == 256.0
    assert by_id["M3"]["source"] == "from the plan's Cost column (128–256 GPUh)"
    assert by_id["M4"] == {
        "milestone": "M4",
        "gpu_hours": 0.0,
        "source": "no runs; the plan's Cost (累计 800–1600 GPUh) not counted",
        "plan_cost": "累计 800–1600 GPUh",
        "plan_own_gpu_hours": 1280.0,
    }
    assert by_id[""]["source"] == "none to launch: the tracker marks its 13 runs done or ruled out"
    assert status["gpu_hours_estimated"] == 256.0


@needs_shared
def test_011_implementation_tasks_are_no_runs_of_status_json_or_the_approval(
    tmp_path: Path,
) -> None:
    """011's code tasks R010/R011 (Code, DONE) are out of scope in the log and took `[run]
    gpus = 1`: `status --json` read M1 "the Cost is the whole milestone's, with the 2 of its 6
    runs the tracker marks done or ruled out" and the approval checkpoint "M1 …: 6 runs", where
    `bridge plan` counts M1's 4 runs and no task."""
    from tests.plan.corpus import as_project

    project = as_project("011", tmp_path / "p")
    (project / "bridge.toml").write_text(
        '[bridge]\nbackend = "ssh"\nauto_deploy = false\n[run]\ngpus = 1\ncommand = "true"\n'
        '[backends.ssh]\nremote_dir = "/r"\n[[backends.ssh.hosts]]\nhost = "x"\n',
        encoding="utf-8",
    )
    done = bridge_here("run", "--project", str(project))
    assert "AWAITING_APPROVAL" in done.stdout, done.stdout + done.stderr
    approval = [x for x in done.stdout.splitlines() if x.startswith("M1 Classifier Training")]
    assert approval and ": 4 runs (1 GPU each)" in approval[-1], approval
    assert "done or ruled out" not in approval[-1], approval
    status = json.loads(bridge_here("status", "--json", "--project", str(project)).stdout)
    by_id = {e["milestone"]: e for e in status["gpu_hours_estimates"]}
    assert by_id["M1"]["source"] == (
        "from the plan's Cost column (M1: Classifier Training (Days 5-8, ~22 GPU-hours))"
    ), by_id["M1"]


class TestProgressLines:
    def test_plain_mode_prints_progress_per_milestone(self, logged: Path) -> None:
        """With a run live, plain mode prints done / running / queued, elapsed and GPU-hours."""
        store = SQLiteEventStore(db_path(logged))
        _start(store, "R002")
        store.close()
        out = io.StringIO()
        with Watcher(db_path(logged), make_console(file=out), plain=True, progress_every=0.05):
            text = _wait_for(out, "progress M1")
        line = next(line for line in text.splitlines() if "progress M1" in line)
        assert "progress M1: 1 done, 1 running, 1 queued · elapsed 0:00:0" in line
        assert line.endswith("0.00 GPU-h")

    def test_no_progress_line_before_its_time(self, logged: Path) -> None:
        """The default interval is long: a short watch prints no progress line."""
        store = SQLiteEventStore(db_path(logged))
        _start(store, "R002")
        out = io.StringIO()
        with Watcher(db_path(logged), make_console(file=out), plain=True):
            store.append(
                "run:R002", [RunFailed(run_id="R002", attempt_id="R002-a1", reason="x")], None
            )
            _wait_for(out, "R002 failed")
        store.close()
        assert "progress" not in out.getvalue()


class TestMergedLines:
    def test_the_same_change_to_many_runs_is_one_line(self, tmp_path: Path) -> None:
        """A bridge.toml edit that changes six runs' command the same way prints one line naming
        the first three and the count; a run changed differently, and the retries that follow,
        keep their own lines; two runs are named in full."""
        store = SQLiteEventStore(tmp_path / "events.db")
        same = (
            SpecChange(field="command", old="python t.py --epohcs 3", new="python t.py --epochs 3"),
        )
        other = (SpecChange(field="timeout_minutes", old="30", new="60"),)
        for i in range(1, 8):
            run = f"R00{i}"
            store.append(
                f"run:{run}",
                [
                    RunPlanned(run_id=run),
                    RunSpecChanged(
                        run_id=run, spec=RunPlanned(run_id=run), changes=other if i == 7 else same
                    ),
                ],
                None,
            )
        for run in ("R001", "R002"):
            store.append(
                f"run:{run}", [RunRetryScheduled(run_id=run, reason="its settings changed")], 2
            )
        lines = [line.split(" ", 1)[1] for line in describe_all(list(store.read()))]
        store.close()
        assert lines == [
            "R001, R002, R003 and 3 more (6 runs) spec changed: "
            "command: … --epohcs … → … --epochs …",
            "R007 spec changed: timeout_minutes: 30 → 60",
            "R001, R002 retry: its settings changed",
        ]

    def test_an_added_or_removed_argument_is_shown_beside_its_neighbour(
        self, tmp_path: Path
    ) -> None:
        """An argument appended to (or dropped from) a command is shown with the word before it,
        never as an empty side ('…  → … --steps 200')."""
        store = SQLiteEventStore(tmp_path / "events.db")
        changes = {
            "R001": SpecChange(
                field="command", old="python t.py --out o", new="python t.py --out o --steps 2"
            ),
            "R002": SpecChange(
                field="command", old="python t.py -v --out o", new="python t.py --out o"
            ),
            "R003": SpecChange(field="command", old="t.py", new="python t.py"),
        }
        for run, change in changes.items():
            store.append(
                f"run:{run}",
                [
                    RunPlanned(run_id=run),
                    RunSpecChanged(run_id=run, spec=RunPlanned(run_id=run), changes=(change,)),
                ],
                None,
            )
        lines = [line.split(" ", 1)[1] for line in describe_all(list(store.read()))]
        store.close()
        assert lines == [
            "R001 spec changed: command: … o → … o --steps 2",
            "R002 spec changed: command: … t.py -v … → … t.py …",
            "R003 spec changed: command: t.py → python t.py",
        ]

    def test_a_row_that_failed_before_bridge_and_a_placement(self, tmp_path: Path) -> None:
        """002's "R001 done before bridge, not run: GATE FAILED" read as a success; a run
        placed again says where."""
        store = SQLiteEventStore(tmp_path / "events.db")
        store.append(
            "run:R001",
            [RunPlanned(run_id="R001"), RunFoundDone(run_id="R001", status="**GATE FAILED**")],
            None,
        )
        store.append(
            "run:R002",
            [RunPlanned(run_id="R002"), RunPlaced(run_id="R002", block="B1", block_system="X")],
            None,
        )
        lines = [line.split(" ", 1)[1] for line in describe_all(list(store.read()))]
        store.close()
        assert lines == [
            "R001 ended failed before bridge, not run: **GATE FAILED**",
            "R002 placed in block B1 (X)",
        ]

    def test_a_block_is_said_once(self, tmp_path: Path) -> None:
        """Blocking records PipelineBlocked then StageEntered(BLOCKED) with the same reason: the
        plain lines say it once (the quickstart's typo printed it twice in a row)."""
        store = SQLiteEventStore(tmp_path / "events.db")
        why = "sanity fails repeatedly: R001: the script refused its arguments (exit 2)"
        store.append(
            "bridge",
            [
                PipelineBlocked(reason=why),
                StageEntered(stage="BLOCKED", trigger="block", reason=why),
            ],
            None,
        )
        lines = [line.split(" ", 1)[1] for line in describe_all(list(store.read()))]
        store.close()
        assert lines == [f"stage BLOCKED: {why}"]


def test_status_says_what_blocks_the_plan_whole(tmp_path: Path) -> None:
    """`bridge status` at BLOCKED says why and how to go on, wrapped to the terminal, never cut
    (it said only `stage BLOCKED`: the reason was in `bridge run`'s output alone)."""
    from bridge.cli.console import status_lines
    from bridge.events.clock import utc_now
    from bridge.machine.stages import Stage

    why = (
        "the tracker says R2 RUNNING, and bridge did not launch it: mark each row DONE once "
        "it finished, NOT RUN — <reason> if it is not bridge's, or TODO for bridge to run it"
    )
    store = SQLiteEventStore(tmp_path / "events.db")
    store.append(
        "bridge",
        [PipelineBlocked(reason=why), StageEntered(stage="BLOCKED", trigger="block", reason=why)],
        None,
    )
    state = fold(store.read())
    store.close()
    assert state.stage is Stage.BLOCKED
    lines = status_lines(state, utc_now(), width=40)
    said = [line for line in lines[1:] if line.startswith(("blocked:", "  "))]
    assert said[0].startswith("blocked: the tracker says R2")
    assert all(len(line) <= 40 for line in said)
    assert " ".join(line.strip() for line in said) == f"blocked: {why}"


def test_columns_left_out_at_80_columns_are_said() -> None:
    """018's run ids and systems at 80 columns after its runs ran: the slot column, then the
    attempt's, give way to a readable system, and a line says which and where they are."""
    from bridge.cli.console import status_lines
    from bridge.events.clock import utc_now
    from bridge.events.store import InMemoryEventStore
    from bridge.events.values import Slot

    store = InMemoryEventStore()
    for k, system in enumerate(("Harness-only contextual bandit", "policy-only")):
        run = f"JPH-B2-HO-S{k}-LONG-ID"
        store.append(
            f"run:{run}",
            [
                RunPlanned(run_id=run, milestone="M3", system=system),
                RunSubmitted(
                    run_id=run,
                    attempt_id=f"{run}-a1",
                    attempt=1,
                    backend="local",
                    slots=(Slot(host=f"local#{k}"),),
                ),
                RunStarted(
                    run_id=run,
                    attempt_id=f"{run}-a1",
                    handle=JobHandle(backend="local", attempt_id=f"{run}-a1"),
                ),
            ],
            None,
        )
    lines = status_lines(fold(store.read()), utc_now(), width=80)
    header = next(line for line in lines if line.startswith("run "))
    assert "slot" not in header and "try" in header and "elapsed" in header, lines
    assert any("  Harness-only contextual" in line for line in lines), lines
    assert "(not shown at this width: slot; `bridge status --json` has every column)" in lines
    assert all(len(line) <= 80 for line in lines), lines
    wide = status_lines(fold(store.read()), utc_now(), width=160)
    assert "slot" in next(line for line in wide if line.startswith("run ")), wide
    assert not any("not shown" in line for line in wide), wide


@needs_shared
@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "zh",
            [
                "（无里程碑） " + "━" * 22 + " 4/13 成功（其中 4 个在 bridge 之前已完成），",
                "  4 个在 bridge 之前已完成、结果为负，5 个在 bridge 之前已失败或无效；",
                "  没有行指明它们的里程碑",
            ],
        ),
        (
            "en",
            [
                "(no milestone) " + "━" * 20 + " 4/13 ok (4 done before bridge),",
                "  4 done before bridge with a negative result,",
                "  5 failed or invalid before bridge; no row names their milestone",
            ],
        ),
    ],
)
def test_018_status_bar_of_no_milestone_fits_the_terminal(
    tmp_path: Path, language: str, said: list[str]
) -> None:
    """Trial t16 on 018 (F20): on an 80-column terminal `bridge status`'s line of the 13 runs of
    no milestone ran to ~150 cells («4/13 成功（其中 4 个…），4 个…结果为负，5 个…失败或
    无效；没有行指明它们的里程碑») where the run lines are fitted. It is broken between
    its counts, in both languages, nothing cut; a milestone line that fits stays one line."""
    from bridge.cli.console import terminal_cells as cells

    project = tmp_path / "p018"
    shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", project)
    bridge_here("run", "--plain", "--project", str(project))  # blocked: no command, recorded
    lines = bridge_here(
        "status", "-o", f"language={language}", "--project", str(project), columns=80
    ).stdout.splitlines()
    assert all(cells(line) <= 80 for line in lines), [line for line in lines if cells(line) > 80]
    start = lines.index(said[0])
    assert lines[start : start + len(said)] == said, lines
    m1 = "3/3 成功（其中 3 个在 bridge 之前已完成）" if language == "zh" else "3/3 ok (3 done"
    # The bars start in one column: the names padded to the longest, the no-milestone line's.
    name = "（无里程碑）" if language == "zh" else "(no milestone)"
    m1_head = f"M1{' ' * (cells(name) - 2)} ━"
    assert any(line.startswith(m1_head) and m1 in line for line in lines), lines
    # The systems are readable (they read «Harne…», «本地 …», the notes taking the rest): the
    # attempt, slot and time columns, empty on every row here, give way first, said by no line.
    row = next(line for line in lines if line.startswith("JPH-B1-HO-S0 "))
    assert "  Harness-only contex…  " in row, lines
    assert any(
        line.startswith("JPH-M0-LOCAL-001 ") and "本地 contract smoke" in line for line in lines
    )
    assert not any("status --json" in line for line in lines), lines


@pytest.mark.parametrize(
    ("reason", "language", "line"),
    [
        # 023's R020, set from PENDING_IMPLEMENTATION to TODO, read "R020 重试" on its first launch.
        (
            "the tracker's row now says that it is to run",
            "zh",
            "R020 按追踪表重新计划: 追踪表的行现在写着要运行",
        ),
        (
            "the tracker's row now says that it is to run",
            "en",
            "R020 replanned: the tracker's row now says that it is to run",
        ),
        ("retry asked by a person", "en", "R020 retry: retry asked by a person"),
    ],
)
def test_a_row_put_back_in_the_plan_is_no_retry(reason: str, language: str, line: str) -> None:
    from bridge.cli.watch import describe
    from bridge.events.store import InMemoryEventStore

    store = InMemoryEventStore()
    store.append("run:R020", [RunRetryScheduled(run_id="R020", reason=reason, manual=True)], None)
    (recorded,) = store.read()
    said = describe(recorded, language)
    assert said is not None and said.split(" ", 1)[1] == line


def test_a_cancel_line_reads_in_the_plans_language() -> None:
    """020's console line was "R030 已取消: not run: milestone M2 must-run R021 ended failed"."""
    from bridge.cli.watch import describe
    from bridge.events.store import InMemoryEventStore
    from bridge.events.types import RunCancelled

    store = InMemoryEventStore()
    reason = "not run: milestone M2 must-run R021 ended failed"
    store.append("run:R030", [RunCancelled(run_id="R030", reason=reason)], None)
    (recorded,) = store.read()
    zh, en = describe(recorded, "zh"), describe(recorded, "en")
    assert (
        zh is not None
        and zh.split(" ", 1)[1] == "R030 已取消: 未运行：里程碑 M2 的必做运行 R021 已失败"
    )
    assert en is not None and en.split(" ", 1)[1] == f"R030 cancelled: {reason}"


def test_status_shows_the_language_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bridge status -o language=en` on a project run in Chinese (023) printed Chinese: the
    option was checked and dropped. It is the language of what status prints; the log keeps
    the one the project was run with."""
    project = write_project(tmp_path)
    assert main(["run", "--project", str(project), "--plain", "-o", "language=zh"]) == 0
    capsys.readouterr()
    assert main(["status", "--project", str(project)]) == 0
    assert capsys.readouterr().out.startswith("阶段 COLLECTED")
    assert main(["status", "--project", str(project), "-o", "language=en"]) == 0
    assert capsys.readouterr().out.startswith("stage COLLECTED")
    # Any spelling the option takes elsewhere (keys are normalised).
    assert main(["status", "--project", str(project), "-o", "LANGUAGE=en"]) == 0
    assert capsys.readouterr().out.startswith("stage COLLECTED")
    assert main(["status", "--project", str(project)]) == 0
    assert capsys.readouterr().out.startswith("阶段 COLLECTED")


def test_an_edited_criterion_is_said_when_the_verdicts_are_judged_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An edited criterion at COLLECTED was judged again without a line saying the plan was
    read again (trial T2): `bridge run` says which input changed, and says nothing when none
    did (the tracker bridge rewrote itself is no change)."""
    project = write_project(tmp_path / "p")
    assert main(["run", "--project", str(project), "--plain"]) == 0
    capsys.readouterr()
    assert main(["run", "--project", str(project), "--plain"]) == 0
    assert "inputs changed" not in capsys.readouterr().out
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(plan.read_text().replace("> 10% over Baseline", "> 12% over Baseline"))
    assert main(["run", "--project", str(project), "--plain"]) == 0
    out = capsys.readouterr().out
    assert (
        " inputs changed (refine-logs/EXPERIMENT_PLAN.md): the plan was read again; the verdicts "
        "are judged again from the recorded numbers\n"
    ) in out, out


@needs_shared
def test_009_a_budget_of_zero_is_said_in_status(tmp_path: Path) -> None:
    """009's plan states "Total estimated GPU-hours: 0": `bridge plan` says "of 0 budgeted",
    `bridge status` ended "GPU-hours used 0.00", as for a plan stating no budget (trial t17 F9)."""
    project = tmp_path / "009"
    source = SHARED / "projects" / "009_tool-placement" / "refine-logs"
    shutil.copytree(source, project / "refine-logs")
    assert main(["advance", "--project", str(project)]) == 3  # blocked: runs with no command
    text = bridge_here("status", "--project", str(project), columns=80).stdout
    assert text.rstrip().endswith("GPU-hours used 0.00 of 0 budgeted"), text
