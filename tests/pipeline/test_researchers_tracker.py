"""
The tracker stays the researcher's (issue 14, item 5), through a real ``bridge run``: rows marked
done are recorded as done before bridge and not launched, out-of-scope rows are not launched and
not counted, and the rewritten tracker keeps the researcher's columns and sections.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import attrs
import pytest

from bridge.errors import InputError
from bridge.events import types as ev
from bridge.machine.stages import RunState, Stage
from bridge.machine.views import PipelineState
from bridge.pipeline import Bridge
from bridge.projections.finding_words import blocked_in_language
from tests.conftest import needs_shared
from tests.english_left import english_left
from tests.pipeline.conftest import Run, events_of, executions, recorded, write_project

TRACKER = """\
# Experiment Tracker

Owner notes before the table.

| Run ID | Block | Milestone | Purpose | System | Metrics | Priority | Status | Evidence | Notes |
|---|---|---|---|---|---|---|---|---|---|
| S1 | B0 | M0 | sanity | main | accuracy | MUST | TODO | - | seed 0 |
| R1 | B1 | M1 | main | main | accuracy | MUST | ✅ DONE | `runs/r1.json` | acc 0.91 on the server |
| R2 | B1 | M1 | main | main | accuracy | MUST | TODO | - | seed 0 |
| R3 | B1 | M1 | main | main | accuracy | MUST | NOT RUN — MOOT | - | superseded by R2 |
| R4 | B1 | M1 | main | main | accuracy | MUST | **CANCELLED** | - | out of budget |
| R5 | B1 | M1 | main | main | accuracy | MUST | passed | `runs/r5.json` | gate passed by hand |
| R6 | B1 | M1 | main | main | accuracy | MUST | invalid | `runs/r6.json` | mask mismatch |

## Decision log

- 2026-01-10: R3 is moot after R2 changed the split.

## Failure log

| Date | Run | What |
|------|-----|------|
| 2026-01-09 | R4 | budget |
"""


def _project(root: Path) -> Path:
    write_project(
        root,
        [
            Run(id=i, milestone="M0" if i == "S1" else "M1")
            for i in ("S1", "R1", "R2", "R3", "R4", "R5", "R6")
        ],
    )
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER)
    return root


def _commands_only_for(project: Path, run_ids: tuple[str, ...]) -> None:
    """bridge.toml's `[run] command` moved to the `[[runs]]` entries of ``run_ids``: the other
    runs have none."""
    toml = project / "bridge.toml"
    text = toml.read_text()
    command = next(line for line in text.splitlines() if line.startswith("command = "))
    text = text.replace(command + "\n", "", 1)
    for run_id in run_ids:
        text = text.replace(f'id = "{run_id}"\n', f'id = "{run_id}"\n{command}\n', 1)
    toml.write_text(text)


def test_done_and_out_of_scope_rows_are_not_launched(project: Path) -> None:
    """Only S1 and R2 run; R1, R5 and R6 are done before bridge with their Evidence and Notes
    cells as evidence; R3
    and R4 are out of scope with their reason; R6, whose row says ``invalid``, is not done
    (4/5 must-run), is named wherever the count is shown, and holds the results back from the
    review loop (005's R005 `FAIL` read "completed 11/11" and "Ready: YES")."""
    _project(project)
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    assert sorted(executions(project)) == ["R2", "S1"]
    state = bridge.status()
    assert state.runs["R1"].state is RunState.DONE_BEFORE
    # Its Evidence cell first, then its Notes (018's `结果/证据` numbers were left unquoted).
    assert state.runs["R1"].reason == "✅ DONE — `runs/r1.json`; acc 0.91 on the server"
    assert state.runs["R5"].state is RunState.DONE_BEFORE
    assert state.runs["R3"].state is RunState.OUT_OF_SCOPE
    assert state.runs["R4"].reason == "CANCELLED — out of budget"
    types = [t for _seq, stream, t in events_of(project) if stream in ("run:R1", "run:R3")]
    assert types == ["run.planned", "run.found_done", "run.planned", "run.ruled_out"]
    summary = bridge.summary()
    failed = (
        "(1 ended failed or invalid before bridge: R6; 2 more are out of scope in the tracker, "
        "not counted: R3, R4)"
    )
    assert f"Must-run completed: 4/5 {failed};" in summary, summary
    # The plan's evidence is not all there: not ready, and the way to run the row is said.
    not_ready = "must-run runs ended failed or invalid before bridge (their tracker rows say so)"
    assert f"{not_ready}: R6" in summary
    assert "`bridge retry R6` and `bridge run`" in summary
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert f"- **Must-run completed:** 4/5 {failed}" in results
    data = json.loads((project / "refine-logs" / "results.json").read_text())
    assert data["summary"]["ready_for_review_loop"] is False
    assert data["summary"]["must_run"] == {
        "completed": 4,
        "total": 5,
        "failed_before_bridge": ["R6"],
        "negative_before_bridge": [],
        "awaiting_code": [],
        "waiting_outside": [],
        "blocked": [],
        "by_person": [],
        "out_of_scope": ["R3", "R4"],
        "split_into_seeds": [],
        "row_removed": [],
        "not_succeeded": [],
        "held_for_code": [],
        "no_metric_value": [],
        "numbers_not_trusted": [],
    }
    assert "## Runs bridge did not launch" in results
    assert "- R4 — out of scope: CANCELLED — out of budget" in results
    assert "- R6 — ended failed before bridge: invalid — `runs/r6.json`; mask mismatch" in results


TASKS = """
## Implementation Tasks (before server runs)

| ID | Task | Status | Notes |
|----|------|--------|-------|
| I1 | Implement the depth gate | DONE | merged |
| I2 | Add the eval split | TODO | next week |
"""


def test_implementation_tasks_are_counted_nowhere(project: Path) -> None:
    """001's tracker has an Implementation Tasks table: I1-I4 DONE were counted as must-run
    runs done before bridge ("9/15 completed"), and every task was in the run totals ("14 of
    21 deployed") and a "(no milestone)" table. A task, done or not, is no run: it is listed
    among the rows bridge did not launch, and counted nowhere."""
    _project(project)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(TRACKER.replace("## Decision log", TASKS + "\n## Decision log", 1))
    bridge = Bridge(project)
    bridge.run()
    summary = bridge.summary()
    state = bridge.status()
    bridge.close()
    assert "Runs: 2 of 7 deployed" in summary, summary
    from bridge.cli.console import status_lines

    shown = "\n".join(status_lines(state))
    assert "(no milestone)" not in shown, shown  # no bar of "0/0 ok, 2 out of scope" for tasks
    assert (
        "Must-run completed: 4/5 (1 ended failed or invalid before bridge: R6; 2 more are out "
        "of scope in the tracker, not counted: R3, R4);"
    ) in summary
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert "| I1 " not in results and "(no milestone)" not in results
    assert (
        "- I1 — out of scope: an implementation task of the tracker (Implement the depth gate), "
        "done, not an experiment run" in results
    )
    assert (
        "- I2 — out of scope: an implementation task of the tracker (Add the eval split), not "
        "done yet (its row says TODO), not an experiment run" in results
    )


def test_rows_that_cannot_run_are_refused_by_retry(project: Path) -> None:
    """`bridge retry I1` took 001's implementation task, and `bridge retry R005` 009's NOT RUN
    row with no command: the next `bridge run` failed them at launch ("the command must be a
    non-empty list of strings"), counted them as failed must-run runs and wrote FAILED over
    the researcher's DONE and NOT RUN. Both are refused, saying why, before anything runs."""
    from bridge.errors import InputError

    write_project(project, [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")])
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text()
        + "| R2 | M1 | main | main | test | accuracy | MUST | NOT RUN — needs API outputs | - |\n"
        + TASKS
    )
    # Commands per run: R2, out of scope, has none.
    _commands_only_for(project, ("S1", "R1"))
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        with pytest.raises(InputError) as task:
            bridge.retry("I1")
        assert str(task.value) == (
            "cannot retry: I1 is an implementation task of the tracker, not an experiment run "
            "(a [[runs]] entry with its own command makes it one)"
        )
        with pytest.raises(InputError) as bare:
            bridge.retry("R2")
        assert str(bare.value) == (
            "cannot retry: R2 has no command (set [run] command in bridge.toml, or a [[runs]] "
            "entry with its own command)"
        )
        assert bridge.status().runs["R2"].state is RunState.OUT_OF_SCOPE
        # NOT RUN, as bridge's advice for a run that cannot run asks, is a decision: not
        # "blocked in the tracker", which kept the results from the review loop for good.
        summary = bridge.summary()
    finally:
        bridge.close()
    assert "blocked" not in summary, summary
    data = json.loads((project / "refine-logs" / "results.json").read_text())
    assert data["summary"]["must_run"]["blocked"] == []


def test_implementation_tasks_in_the_plan_preview(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bridge plan` said "7 runs" with the tasks among them and a "(no milestone)" row."""
    from bridge.cli.main import main

    _project(project)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(TRACKER.replace("## Decision log", TASKS + "\n## Decision log", 1))
    assert main(["plan", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert (
        "7 runs (7 must-run, 0 nice-to-have); 2 implementation tasks of the tracker, not runs"
        in out
    )
    assert "2 implementation tasks of the tracker, not runs (I1, I2)" in out
    assert "(no milestone)" not in out


def test_a_row_that_failed_before_bridge_is_retried_without_force(project: Path) -> None:
    """``bridge retry R6`` takes a row the tracker says ended failed before bridge, as a run
    that ended without succeeding; it then runs under bridge, the tracker's
    old ``invalid`` is not read as done again, and the plan is complete."""
    from bridge.cli.main import main

    _project(project)
    # A script driving bridge can tell: exit 1, as for a must-run run that failed under it.
    assert main(["run", "--plain", "--project", str(project)]) == 1
    bridge = Bridge(project)
    assert bridge.retry("R6").asked == ("R6",)
    assert bridge.run() is Stage.COLLECTED
    state = bridge.status()
    bridge.close()
    assert sorted(executions(project)) == ["R2", "R6", "S1"]
    assert state.runs["R6"].state is RunState.SUCCEEDED
    assert "Must-run completed: 5/5 (2 more are out of scope in the tracker" in (
        Bridge(project).summary()
    )


def test_a_placeholder_only_a_done_rows_launch_needs_is_asked_at_its_retry(
    project: Path,
) -> None:
    """036 and 002: `{seed}` in [run] command with seeds given only for the rows bridge runs
    stopped `bridge plan` and `bridge run` with exit 2 on a DONE row that is never launched.
    Such rows load; retrying one names the placeholder it lacks (not a failed launch)."""
    _project(project)
    # The block writes no seed (its one written seed would be R6's: 001's B1).
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(plan.read_text().replace("- **Setup details**: seed 0.\n", ""))
    toml = project / "bridge.toml"
    # Only the rows bridge runs say a seed ("seed 0" in their Notes).
    toml.write_text(toml.read_text().replace('"{system}"', '"{system}{seed}"'))
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    assert sorted(executions(project)) == ["R2", "S1"]
    with pytest.raises(InputError) as refused:
        bridge.retry("R6")
    assert str(refused.value) == (
        "cannot retry: R6: placeholder {seed} in its command has no value for this run (set it "
        "in the tracker, [[runs]] or [run] args)"
    )
    bridge.close()


def _held_project(project: Path) -> Path:
    """S1 (M0), R2 and R6 (M1), R7 (M2): the tracker says must-run R6 ended ``invalid``
    before bridge, so it holds R7's milestone. Returns the tracker's path."""
    write_project(
        project,
        [
            Run(id=i, milestone={"S1": "M0", "R7": "M2"}.get(i, "M1"))
            for i in ("S1", "R2", "R6", "R7")
        ],
    )
    rows = [
        line
        for line in TRACKER.splitlines()
        if not line.startswith(("| R1 ", "| R3 ", "| R4 ", "| R5 "))
    ]
    rows.insert(
        rows.index(next(r for r in rows if r.startswith("| R6 "))) + 1,
        "| R7 | B1 | M2 | main | main | accuracy | MUST | TODO | - | seed 0 |",
    )
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text("\n".join(rows) + "\n")
    return tracker


def test_a_must_run_row_failed_before_bridge_holds_later_milestones(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """005: R005 (M1) is ``FAIL`` in the tracker and R013 (M3) post-processes its outputs; it
    ran. A must-run row that failed before bridge now stops the milestones after it as a
    failure under bridge does: R7 (M2) is cancelled, naming R6, and ``bridge retry R6`` brings
    it back, so both run."""
    _held_project(project)
    # `bridge plan` says so before anything runs.
    from bridge.cli.main import main

    assert main(["plan", "--project", str(project)]) == 0
    assert (
        "\nheld by a failed row: the tracker says must-run R6 of M1 ended failed before bridge, "
        "so the runs of the milestones after it (M2) are cancelled when `bridge run` gets there"
    ) in capsys.readouterr().out
    bridge = Bridge(project)
    bridge.run()
    state = bridge.status()
    assert sorted(executions(project)) == ["R2", "S1"]
    assert state.runs["R7"].state is RunState.CANCELLED
    assert state.runs["R7"].reason == "not run: milestone M1 must-run R6 ended failed before bridge"
    assert bridge.retry("R6").revived == ("R7",)
    assert bridge.run() is Stage.COLLECTED
    bridge.close()
    assert sorted(executions(project)) == ["R2", "R6", "R7", "S1"]


def test_retry_failed_leaves_rows_the_tracker_says_failed(project: Path) -> None:
    """018 (trial M1): the next step said `bridge retry --failed`, which re-launched nine runs
    the tracker marks invalid ("不重跑") and wrote them back as passed. `--failed` is for
    failures under bridge; a row failed before bridge is retried by name, as the next step
    says, and the runs it holds come back with it."""
    _held_project(project)
    bridge = Bridge(project)
    try:
        bridge.run()
        summary = bridge.summary()
        assert (
            "The tracker says must-run runs failed before bridge (R6): run them under bridge "
            "with `bridge retry R6` and `bridge run` (R7, which they hold, runs with them)"
        ) in summary, summary
        assert "--failed" not in summary
        with pytest.raises(InputError) as refused:
            bridge.retry(failed=True)
        assert str(refused.value) == (
            "nothing to retry: no run ended without succeeding under bridge; R7 waits for rows "
            "the tracker says failed before bridge (R6): `bridge retry R6` runs those under "
            "bridge, and these with them"
        )
        assert bridge.retry("R6").revived == ("R7",)
    finally:
        bridge.close()


def test_retry_failed_names_the_failed_rows_not_force(project: Path) -> None:
    """018 (a real run): with nothing failed under bridge, `--failed` said "add --force",
    which would re-launch every row done before bridge; it names the failed rows' retry."""
    _project(project)
    bridge = Bridge(project)
    try:
        bridge.run()
        with pytest.raises(InputError) as refused:
            bridge.retry(failed=True)
    finally:
        bridge.close()
    assert str(refused.value) == (
        "nothing to retry: no run ended without succeeding under bridge; the tracker says R6 "
        "ended failed before bridge: `bridge retry R6` runs them under bridge"
    )


def test_retry_failed_names_only_rows_a_retry_can_launch(project: Path) -> None:
    """018 (trial): `--failed` named `bridge retry JPH-G1-BRIDGE-001 …`, and that was refused
    ("has no command"). A row failed before bridge with no command here is told what it
    needs, not put in a retry that fails."""
    _project(project)
    # R6 (failed before bridge) gets no command: only the runs bridge runs have one.
    _commands_only_for(project, ("S1", "R2"))
    bridge = Bridge(project)
    try:
        bridge.run()
        assert not bridge.status().runs["R6"].spec.command
        with pytest.raises(InputError) as refused:
            bridge.retry(failed=True)
    finally:
        bridge.close()
    assert str(refused.value) == (
        "nothing to retry: no run ended without succeeding under bridge; the tracker says R6 "
        "ended failed before bridge, and it has no command here: to run it under bridge, give "
        "it a [[runs]] entry with a command in bridge.toml; if that result stands, set its "
        "Status in the tracker to `NOT RUN — <reason>` (out of scope, not counted among the "
        "must-run runs; DONE counts as done)"
    )


def test_rows_failed_before_bridge_some_without_a_command(project: Path) -> None:
    """Of two rows failed before bridge, R6 has a command and R5 none: the retry named only
    R6 (R5's was refused, "has no command"), and neither the refusal nor the next step said
    what R5 needs."""
    _project(project)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text().replace("| MUST | passed | `runs/r5", "| MUST | failed | `runs/r5")
    )
    _commands_only_for(project, ("S1", "R2", "R6"))
    bridge = Bridge(project)
    try:
        bridge.run()
        summary = bridge.summary()
        with pytest.raises(InputError) as refused:
            bridge.retry(failed=True)
    finally:
        bridge.close()
    assert (
        "The tracker says must-run runs failed before bridge (R5, R6): run them under bridge "
        "with `bridge retry R6` and `bridge run` (bridge recorded R5 with no command: have "
        "bridge.toml give it one, [run] command or a [[runs]] entry with a command, then retry "
        "the same way), or, if that result stands, set their Status in the tracker to "
        "`NOT RUN — <reason>` (out of scope, not counted among the must-run runs; DONE counts "
        "as done)."
    ) in summary, summary
    assert str(refused.value) == (
        "nothing to retry: no run ended without succeeding under bridge; the tracker says R5, "
        "R6 ended failed before bridge: `bridge retry R6` runs those under bridge; R5 has no "
        "command here: to run it under bridge, give it a [[runs]] entry with a command in "
        "bridge.toml; if that result stands, set its Status in the tracker to `NOT RUN — "
        "<reason>` (out of scope, not counted among the must-run runs; DONE counts as done)"
    )


def test_a_row_no_longer_failed_releases_what_it_held(project: Path) -> None:
    """The other way the next step gives: "if that result stands, change their Status in the
    tracker". R6's row set to DONE left R7 cancelled for good, its reason naming a row that
    had not failed any more; the next `bridge run` now runs it."""
    tracker = _held_project(project)
    bridge = Bridge(project)
    try:
        bridge.run()
        assert bridge.status().runs["R7"].state is RunState.CANCELLED
    finally:
        bridge.close()
    text = tracker.read_text()
    row = next(line for line in text.splitlines() if line.startswith("| R6 "))
    tracker.write_text(text.replace(row, row.replace("| invalid |", "| DONE |")))
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        r7 = bridge.status().runs["R7"]
    finally:
        bridge.close()
    assert r7.state is RunState.SUCCEEDED
    assert sorted(executions(project)) == ["R2", "R7", "S1"]
    conn = sqlite3.connect(project / ".bridge" / "events.db")
    try:
        released = [
            json.loads(data)["reason"]
            for (data,) in conn.execute(
                "SELECT data FROM events WHERE stream = 'run:R7' AND type = 'run.retry_scheduled'"
            )
        ]
    finally:
        conn.close()
    assert released == ["R6's tracker row no longer says it ended failed before bridge"]


def test_the_rewritten_tracker_keeps_the_researchers_file(project: Path) -> None:
    """Every line of the researcher's tracker is still there, in place; only the Status and
    Notes cells of the runs bridge ran changed; bridge's part follows at the end."""
    _project(project)
    Bridge(project).run()
    text = (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text()
    before, after = TRACKER.split("\n"), text.split("\n")
    changed = [n for n, line in enumerate(before) if after[n] != line]
    assert [before[n].split("|")[1].strip() for n in changed] == ["S1", "R2"]
    for n in changed:
        assert after[n].split("|")[:8] == before[n].split("|")[:8]  # up to Status
        assert after[n].split("|")[9] == before[n].split("|")[9]  # Evidence
        assert "| DONE |" in after[n] and "attempt 1 on" in after[n]
        assert "seed 0 |" not in after[n].split("attempt")[0]  # replaced, not appended to
    tail = text[len("\n".join(before)) :]
    assert "R3 — out of scope: NOT RUN — MOOT — superseded by R2" in tail
    assert "R1 — done before bridge: ✅ DONE — `runs/r1.json`; acc 0.91 on the server" in tail
    # R6's row says invalid: it ended failed, as the console and the summary say (032's
    # "❌ Failed" read "done before bridge" here).
    assert "R6 — ended failed before bridge: invalid — `runs/r6.json`; mask mismatch" in tail


def test_the_researchers_own_characters_stay_as_written(project: Path) -> None:
    """Direction marks and embeddings in the researcher's prose, in a cell bridge does not
    fill and in the decision log (common in right-to-left text and in text pasted from web
    pages) are kept as written: only what bridge writes is shown escaped."""
    _project(project)
    path = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    marked = (
        TRACKER.replace(
            "Owner notes before the table.", "Owner notes: שלום\u200f, \u202bعربي\u202c."
        )
        .replace("| R1 | B1 | M1 | main", "| R1 | B1 | M1 | main \u200e")
        .replace("R3 is moot", "R3 \u2067is\u2069 moot")
    )
    path.write_text(marked)
    Bridge(project).run()
    text = path.read_text()
    for line in marked.splitlines():
        if not line.startswith(("| S1 ", "| R2 ")):  # the rows bridge ran: Status and Notes
            assert line in text.splitlines(), line
    assert "\\u200f" not in text and "\\u202b" not in text


def test_a_done_row_the_researcher_marks_later_is_respected(project: Path) -> None:
    """A run not started yet, marked SKIPPED in the tracker before the next ``bridge run``,
    is not launched."""
    _project(project)
    bridge = Bridge(project)
    assert bridge.run(until=Stage.SANITY_OK) is Stage.SANITY_OK
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        TRACKER.replace("TODO | - | seed 0 |\n| R3", "SKIPPED | - | not needed |\n| R3")
    )
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    assert sorted(executions(project)) == ["S1"]
    assert bridge.status().runs["R2"].state is RunState.OUT_OF_SCOPE


def test_rows_bridge_will_not_launch_need_no_command(project: Path) -> None:
    """A row that cannot run here (no command configured for it) but is out of scope or done
    in the tracker neither blocks the implement stage nor shows in `bridge plan`'s warning."""
    from bridge.plan import load_project

    _project(project)
    # The researcher's bridge.toml gives a command to the runs bridge should run, and none to
    # R1 and R5 (done), R3 and R4 (out of scope).
    argv = ", ".join(
        f'"{a}"'
        for a in (sys.executable, "scripts/job.py", "--run", "{run_id}", "--out", "{output_dir}")
    )
    entries = "".join(
        f'\n[[runs]]\nid = "{run_id}"\ncommand = [{argv}]\noutputs = ["metrics.json"]\n'
        for run_id in ("S1", "R2")
    )
    (project / "bridge.toml").write_text(
        "[bridge]\nmax_parallel = 2\ncode_review = false\n" + entries
    )
    loaded = load_project(project)
    assert not any("no command" in w.message for w in loaded.warnings)
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED


def test_a_sanity_gate_the_tracker_says_failed_holds_the_plan(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The researcher's sanity row says **GATE FAILED** (a run that is done, whose outcome is
    the gate holding): bridge launched the main runs anyway ("nothing to check first"). Now it
    blocks before any launch and says how to go on; setting the row back to TODO runs it, and
    marking it DONE lets the plan go on without it."""
    _project(project)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        TRACKER.replace(
            "| MUST | TODO | - | seed 0 |\n| R1",
            "| MUST | **GATE FAILED** | - | overlap 100% |\n| R1",
            1,
        )
    )
    # `bridge plan` says so before anything runs, rather than name runs "first to launch"
    # that `bridge run` then holds back (002's R001).
    from bridge.cli.main import main

    assert main(["plan", "--project", str(project)]) == 0
    assert (
        "\nfirst to launch: none: the tracker says 1 sanity run failed before bridge (S1), so "
        "`bridge run` stops at the sanity milestone"
    ) in capsys.readouterr().out
    # Marked NOT RUN, the row is out of scope and holds nothing, as `bridge run` reads it: the
    # preview said the plan stopped at the sanity milestone on its word "failed".
    gate = tracker.read_text()
    tracker.write_text(gate.replace("**GATE FAILED**", "NOT RUN — gate failed", 1))
    assert main(["plan", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "\nfirst to launch: R" in out and "sanity run failed before bridge" not in out, out
    tracker.write_text(gate)
    bridge = Bridge(project)
    assert bridge.run() is Stage.BLOCKED
    state = bridge.status()
    assert state.runs["S1"].state is RunState.DONE_BEFORE
    assert state.blocked is not None
    assert state.blocked.reason.startswith(
        "the tracker says 1 sanity run failed before bridge: S1 (GATE FAILED). Set the row "
        "back to TODO once fixed (or `bridge retry S1`)"
    )
    assert executions(project) == {}

    tracker.write_text(tracker.read_text().replace("**GATE FAILED**", "TODO", 1))
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    assert sorted(executions(project)) == ["R2", "S1"]

    blocked = project.parent / "again"
    blocked.mkdir()
    _project(blocked)
    (blocked / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        TRACKER.replace(
            "| MUST | TODO | - | seed 0 |\n| R1", "| MUST | GATE FAILED | - | - |\n| R1", 1
        )
    )
    assert Bridge(blocked).run() is Stage.BLOCKED
    tracker = blocked / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(tracker.read_text().replace("GATE FAILED", "DONE", 1))
    bridge = Bridge(blocked)
    assert bridge.run() is Stage.COLLECTED
    assert sorted(executions(blocked)) == ["R2"]
    assert bridge.status().runs["S1"].found_status == "DONE"


def test_a_row_back_in_scope_runs_with_the_settings_written_now(project: Path) -> None:
    """An out-of-scope row set back to TODO, with its ``[[runs]]`` entry changed in the same
    edit, runs with the new settings (recorded as a spec change), not those planned before:
    what ``bridge plan`` shows is what runs."""
    _project(project)
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    assert bridge.status().runs["R4"].state is RunState.OUT_OF_SCOPE
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(tracker.read_text().replace("**CANCELLED**", "TODO", 1))
    toml = project / "bridge.toml"
    before = 'id = "R4"\nargs = { mode = "ok", sleep = "0.0" }'
    assert before in toml.read_text()
    toml.write_text(toml.read_text().replace(before, before.replace('"0.0"', '"0.01"')))
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    run = bridge.status().runs["R4"]
    assert run.state is RunState.SUCCEEDED
    assert dict(run.spec.params)["sleep"] == "0.01"
    types = [t for _, stream, t in events_of(project) if stream == "run:R4"]
    assert "run.spec_changed" in types
    assert types.index("run.retry_scheduled") < types.index("run.spec_changed")


def test_a_row_running_elsewhere_is_not_launched_a_second_time(project: Path) -> None:
    """036: the researcher's row says RUNNING (`screen`: …) for a run bridge never launched.
    `bridge run` holds before any launch and says how to go on; set to TODO, it runs."""
    _project(project)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        TRACKER.replace("| TODO | - | seed 0 |\n| R3", "| RUNNING | - | `screen`: r2 |\n| R3")
    )
    bridge = Bridge(project)
    assert bridge.run() is Stage.BLOCKED
    blocked = bridge.status().blocked
    assert blocked is not None
    assert blocked.reason.startswith("the tracker says R2 RUNNING, and bridge did not launch")
    assert "TODO for bridge to run it" in blocked.reason
    # Where the row is (025: in the plan's own table, not the tracker bridge writes).
    assert blocked.reason.endswith(" (rows: refine-logs/EXPERIMENT_TRACKER.md:9)")
    # 027 writes Chinese: the reason is all in Chinese there, the run ids as they are.
    assert blocked_in_language(blocked.reason, "zh") == (
        "追踪表写着 R2 正在运行（RUNNING），而它们不是 bridge 启动的：运行结束后把该行标为 DONE；"
        "不归 bridge 运行的标为 NOT RUN — <原因>；要 bridge 运行则标为 TODO；"
        "之后 `bridge run` 会继续（所在行：refine-logs/EXPERIMENT_TRACKER.md:9）"
    )
    assert executions(project) == {}
    # The researcher's word stays in their tracker: no TODO written over it.
    row = next(line for line in tracker.read_text().splitlines() if line.startswith("| R2 "))
    assert "| RUNNING |" in row
    # `bridge status` shows it as the tracker does, not as TODO (032's E05 while held on it).
    from bridge.cli.console import status_lines
    from bridge.events.clock import utc_now

    lines = status_lines(bridge.status(), utc_now(), width=200)
    r2 = next(line for line in lines if line.startswith("R2 "))
    assert " RUNNING " in r2 and "the tracker says it is running; bridge did not launch it" in r2
    s1 = next(line for line in lines if line.startswith("S1 "))
    assert s1.split()[3] == "TODO"
    # An option given now is recorded, but is no answer to the block: nothing reopens.
    again = Bridge(project, options={"compact": True})
    assert again.run() is Stage.BLOCKED
    state = again.status()
    again.close()
    assert state.plan is not None and state.plan.options["compact"] == "true"
    assert [e.trigger for _seq, e in state.stage_history].count("reopen") == 0

    tracker.write_text(tracker.read_text().replace("| RUNNING |", "| TODO |", 1))
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    assert sorted(executions(project)) == ["R2", "S1"]


def test_runs_the_tracker_lacks_are_listed_in_the_researchers_columns(project: Path) -> None:
    """A run of bridge.toml that no tracker row lists is shown under "Runs not in the tables
    above" with the columns of the researcher's run table (their Block and Owner columns),
    not bridge's fixed set, which dropped the Block a researcher reads rows by."""
    write_project(
        project, [Run(id="S1", milestone="M0", system="sanity"), Run(id="R1", milestone="M1")]
    )
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        "# Experiment Tracker\n\n"
        "| Run ID | Milestone | Block | System / Variant | Owner | Status | Notes |\n"
        "|---|---|---|---|---|---|---|\n"
        "| S1 | M0 | B0 | sanity | ana | TODO | seed 0 |\n"
        "| R1 | M1 | B1 | main | ana | TODO | seed 0 |\n"
    )
    toml = project / "bridge.toml"
    toml.write_text(
        toml.read_text()
        + '\n[[runs]]\nid = "R9"\nmilestone = "M1"\nsystem = "main"\nblock = "B1"\n'
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    text = tracker.read_text()
    extra = text[text.index("### Runs not in the tables above") :]
    lines = extra.splitlines()
    assert lines[2] == "| Run ID | Milestone | Block | System / Variant | Owner | Status | Notes |"
    assert lines[4].startswith("| R9 | M1 | B1 | main |  | DONE | ")


def test_a_row_marked_running_after_sanity_is_not_launched_either(project: Path) -> None:
    """After a first `bridge run` finished, the researcher adds R7 and starts it by hand
    (RUNNING, `screen`). The next `bridge run` redeploys for the new row but holds before
    launching it, saying how to go on; set to TODO, it runs once."""
    _project(project)
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    row = "| R7 | B1 | M1 | main | main | accuracy | MUST | RUNNING | - | `screen -r r7` |"
    tracker.write_text(tracker.read_text().replace("| R6 |", f"{row}\n| R6 |", 1))
    bridge = Bridge(project)
    assert bridge.run() is Stage.BLOCKED
    blocked = bridge.status().blocked
    assert blocked is not None
    assert blocked.reason.startswith("the tracker says R7 RUNNING, and bridge did not launch")
    assert "R7" not in executions(project)

    tracker.write_text(tracker.read_text().replace("| RUNNING |", "| TODO |", 1))
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    assert len(executions(project)["R7"]) == 1


SEEDS_TRACKER = """\
# Experiment Tracker

## Priority 0 (Must-Have)

| ID | Milestone | Experiment | System | Seeds | Status | GPU-hrs |
|----|-----------|------------|--------|-------|--------|---------|
| S1 | M0 | sanity | main | 1 | ⬜ Pending | <1 |
| R2 | M1 | main | main | 3 | ⬜ Pending | 40 |

## Priority 2 (Nice-to-Have)

| ID | Milestone | Experiment | System | Seeds | Status | GPU-hrs |
|----|-----------|------------|--------|-------|--------|---------|
| R3 | M1 | extra | main | 2 | ⬜ Pending | 10 |
"""


def test_a_seeds_count_runs_each_seed_and_a_priority_heading_sets_priority(
    project: Path,
) -> None:
    """032_fed-hypca: the tracker's Seeds column holds counts (`3`) and its sections are
    priorities (`## Priority 2 (Nice-to-Have)`). Each seed runs as its own run (R2-s0, R2-s1,
    R2-s2, with the seed passed to the command), a count of one is one run with no seed, the
    rows under the Priority 2 heading are nice-to-have, and each row's Status shows its seeds'
    runs together. Before, `3` was read as the seed value and one run was launched."""
    write_project(project, [Run(id="S1", milestone="M0"), Run(id="R2", milestone="M1")])
    (project / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(SEEDS_TRACKER)
    toml = project / "bridge.toml"
    text = toml.read_text()
    toml.write_text(
        text[: text.index("\n[[runs]]")]
        .replace('"{run_id}",', '"{run_id}-{seed}",')
        .replace('sleep = "0" }', 'sleep = "0", seed = "none" }')
        + "\n"
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        state = bridge.status()
    finally:
        bridge.close()
    runs = {run_id: (run.spec.seed, run.spec.priority.value) for run_id, run in state.runs.items()}
    # S1's count of one names no seed: it takes the one its block writes (`seed 0`).
    assert runs == {
        "S1": (0, "must"),
        "R2-s0": (0, "must"),
        "R2-s1": (1, "must"),
        "R2-s2": (2, "must"),
        "R3-s0": (0, "nice"),
        "R3-s1": (1, "nice"),
    }
    assert sorted(executions(project)) == [
        "R2-s0-0", "R2-s1-1", "R2-s2-2", "R3-s0-0", "R3-s1-1", "S1-0"
    ]  # fmt: skip
    tracker = (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text()
    assert "| R2 | M1 | main | main | 3 | DONE | 40 |" in tracker
    assert "| R3 | M1 | extra | main | 2 | DONE | 10 |" in tracker
    assert "Runs not in the tables above" not in tracker
    assert "- R2-s1: bridge: seed 1; attempt 1 on" in tracker


EDITOR = """\
import pathlib, sys, time
tracker = pathlib.Path("refine-logs/EXPERIMENT_TRACKER.md")
# Saved once bridge has shown this run as RUNNING: the test is about an edit made while it runs;
# a save landing in the instant bridge rewrites the file (its check, then its swap) is
# tests/projections/test_writer_race.py's (put back on Linux, lost where bridge can only rename).
deadline = time.monotonic() + 60
while "| R2 | B1 | M1 | main | main | accuracy | MUST | RUNNING |" not in tracker.read_text():
    if time.monotonic() > deadline:
        sys.exit("bridge never showed R2 as RUNNING")
    time.sleep(0.02)
text = tracker.read_text()
text = text.replace("| R4 | B1 | M1 | main | main | accuracy | MUST | TODO |",
                    "| R4 | B1 | M1 | main | main | accuracy | MUST | SKIPPED |")
mine, mark, theirs = text.partition("<!-- bridge:")  # notes go above bridge's part
tracker.write_text(mine + "## My notes\\n\\nWritten while the runs went on.\\n\\n" + mark + theirs)
pathlib.Path(sys.argv[1], "metrics.json").write_text('{"accuracy": 0.9}')
"""


def test_a_tracker_edit_made_while_runs_go_on_is_taken_at_once(project: Path) -> None:
    """A researcher edits the tracker while a long `bridge run` goes on: a section of notes
    added, a row not launched yet set to SKIPPED. The run's refreshes fill in their file as it
    is now (before, they rewrote the layout recorded at the start, and the edit survived only
    in EXPERIMENT_TRACKER.edited.md), and the row set to SKIPPED is not launched: the edit is
    looked for at the idle turn after the file changed, not ten seconds later (018: rows went
    on launching meanwhile)."""
    runs = [Run(id="S1", milestone="M0"), *(Run(id=f"R{n}", milestone="M1") for n in (2, 3, 4))]
    write_project(project, runs, bridge="max_parallel = 1\ncode_review = false")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        "| Run ID | Block | Milestone | Purpose | System | Metrics | Priority | Status | Notes |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
        + "".join(
            f"| {r.id} | B{r.milestone[1]} | {r.milestone} | main | main | accuracy | MUST | "
            "TODO | seed 0 |\n"
            for r in runs
        )
    )
    (project / "scripts" / "edit.py").write_text(EDITOR)
    toml = project / "bridge.toml"
    toml.write_text(
        toml.read_text().replace(
            'id = "R2"\n',
            'id = "R2"\ncommand = ["' + sys.executable + '", "scripts/edit.py", "{output_dir}"]\n',
        )
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        state = bridge.status()
    finally:
        bridge.close()
    assert state.runs["R4"].state is RunState.OUT_OF_SCOPE
    assert "R4" not in executions(project)
    text = tracker.read_text()
    assert "## My notes\n\nWritten while the runs went on." in text
    assert "| R4 | B1 | M1 | main | main | accuracy | MUST | SKIPPED | seed 0 |" in text
    assert "| R3 | B1 | M1 | main | main | accuracy | MUST | DONE |" in text


def test_a_refresh_leaves_an_edit_not_yet_taken_alone(project: Path) -> None:
    """018: a note added while a run went on vanished when the next refresh (after an event,
    before the edit was read) rewrote the tracker from the layout read at the start. The
    refresh now leaves their file as it is; the next command takes the note."""
    from bridge.projections.writer import ProjectionWriter

    write_project(project, [Run(id="S1", milestone="M0"), Run(id="R2", milestone="M1")])
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        state = bridge.status()
    finally:
        bridge.close()
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    edited = tracker.read_text().replace("| seed 0; bridge:", "| seed 0 KL looks fine; bridge:", 1)
    tracker.write_text(edited)
    written = ProjectionWriter(project).refresh(state, version=True)
    assert "refine-logs/EXPERIMENT_TRACKER.md" not in [w.path for w in written]
    assert tracker.read_text() == edited
    bridge = Bridge(project)
    try:
        bridge.run()
    finally:
        bridge.close()
    assert "KL looks fine" in tracker.read_text()


def test_running_saved_back_from_an_open_editor_is_no_request(project: Path) -> None:
    """A tracker saved from an editor opened while S1 ran still says RUNNING in S1's row:
    bridge wrote that word, so it is not taken for the researcher's (bridge said "the
    tracker's Status now says RUNNING … `bridge retry --force S1`"). A row set to TODO is."""
    write_project(project, [Run(id="S1", milestone="M0"), Run(id="R2", milestone="M1")])
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text()
    for status, kept in (("RUNNING", False), ("TODO", True)):
        tracker.write_text(
            text.replace(
                "| MUST | DONE | seed 0; bridge: attempt 1",
                f"| MUST | {status} | seed 0; bridge: attempt 1",
                1,
            )
        )
        bridge = Bridge(project)
        try:
            bridge.run()
            assert ("S1" in bridge.kept_settings) is kept, status
        finally:
            bridge.close()


def test_a_plan_whose_status_says_stopped_launches_nothing(project: Path) -> None:
    """014_vivid-med: the plan's header says `**Status:** STOPPED_R002_GEOMETRY_FAIL`. `bridge
    plan` says so, and `bridge run` holds before any launch with the plan's words; with the
    line changed, the runs go on."""
    from bridge.plan import load_project

    _project(project)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text()
    head, rest = text.split("\n", 1)
    plan.write_text(f"{head}\n\n**Status:** STOPPED_R002_GEOMETRY_FAIL\n{rest}")
    assert any(
        w.message == "the plan's Status says 'STOPPED_R002_GEOMETRY_FAIL': `bridge run` "
        "launches none of its runs while it says so"
        for w in load_project(project).warnings
    )
    bridge = Bridge(project)
    assert bridge.run() is Stage.BLOCKED
    blocked = bridge.status().blocked
    assert blocked is not None and blocked.reason.startswith(
        "the plan's Status says 'STOPPED_R002_GEOMETRY_FAIL': bridge launches none"
    )
    assert english_left(blocked_in_language(blocked.reason, "zh")) == []
    assert executions(project) == {}
    plan.write_text(f"{head}\n\n**Status:** active\n{rest}")
    assert Bridge(project).run() is Stage.COLLECTED
    assert sorted(executions(project)) == ["R2", "S1"]


def test_status_words_are_the_researchers_own(project: Path) -> None:
    """018's tracker says "状态只使用：planned、running、passed、failed、stopped、invalid" and
    bridge wrote DONE and FAILED over its rows. It writes their words for what they have words
    for (planned, passed), and its own for the rest (no row of theirs says how a failure reads:
    R3 is FAILED)."""
    runs = [
        Run(id="S1", milestone="M0"),
        Run(id="R2", milestone="M1"),
        Run(id="R3", milestone="M1", mode="fail"),
    ]
    write_project(project, runs, bridge="max_parallel = 1\ncode_review = false")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text().replace("| MUST | TODO |", "| MUST | planned |")
        + "| R0 | M0 | sanity | main | test | accuracy | MUST | passed | earlier |\n"
    )
    bridge = Bridge(project)
    try:
        bridge.run()
    finally:
        bridge.close()
    rows = {
        line.split("|")[1].strip(): line.split("|")[8].strip()
        for line in tracker.read_text().splitlines()
        if line.startswith(("| S1 ", "| R2 ", "| R3 "))
    }
    assert rows == {"S1": "passed", "R2": "passed", "R3": "FAILED"}


def test_only_plain_status_words_are_learnt() -> None:
    """A row's own outcome is never written on others (002's "GATE FAILED" reads as a done
    gate, 018's "invalid" as failed, 023's "CODE_READY" as to do); used more than their plain
    word for the same meaning, it does not hide that word (018: five "invalid", four "failed",
    and bridge wrote FAILED)."""
    from bridge.projections.tracker_layout import researchers_words

    template = (
        "| Run ID | Status |\n|---|---|\n| R1 | **GATE FAILED** |\n| R2 | GATE FAILED |\n"
        "| R3 | invalid |\n| R4 | invalid |\n| R5 | failed |\n| R6 | CODE_READY |\n"
        "| R7 | CODE_READY |\n| R8 | planned |\n| R9 | DONE |\n"
    )
    assert researchers_words(template, "t.md", {"DONE", "TODO"}) == {
        "failed": "failed",
        "todo": "planned",
    }
    theirs = (
        "| Run ID | Status |\n|---|---|\n| R1 | planned |\n| R2 | planned |\n| R3 | passed |\n"
        "| R4 | failed |\n| R5 | ✅ DONE |\n"
    )
    assert researchers_words(theirs, "t.md", {"DONE", "TODO"}) == {
        "todo": "planned",
        "done": "passed",
        "failed": "failed",
    }


def test_a_word_the_legend_says_is_a_negative_result_is_not_bridges_failed() -> None:
    """018's legend: "`failed` 表示方法/任务失败" (the method failed, the run completed). Bridge
    wrote `failed` for a run of its own that failed, a word that reads back as a negative
    result, done; it writes its own FAILED there now, and still `passed` and `planned`."""
    from bridge.projections.tracker_layout import researchers_words

    legend = (
        "状态只使用：`planned`、`running`、`passed`、`failed`、`stopped`、`invalid`。\n"
        "`failed` 表示方法/任务失败；无法复算行为概率、mask 或版本的结果必须标 `invalid`。\n\n"
    )
    table = (
        "| Run ID | 状态 |\n|---|---|\n| R1 | planned |\n| R2 | passed |\n| R3 | failed |\n"
        "| R4 | failed |\n| R5 | invalid |\n"
    )
    assert researchers_words(legend + table, "t.md", {"DONE", "TODO", "FAILED"}) == {
        "todo": "planned",
        "done": "passed",
    }


def test_a_legends_marks_are_the_researchers_words() -> None:
    """032's legend (⬜ Pending, 🔄 Running, ✅ Complete, ❌ Failed, ⏸️ Blocked): bridge wrote
    DONE, a word the tracker does not use; a plain word its rows use still comes first."""
    from bridge.projections.tracker_layout import researchers_words

    legend = (
        "## Status Legend\n- ⬜ Pending\n- 🔄 Running\n- ✅ Complete\n- ❌ Failed\n- ⏸️ Blocked\n\n"
    )
    table = "| Run ID | Status |\n|---|---|\n| E1 | ✅ |\n| E2 | ⬜ |\n"
    assert researchers_words(legend + table, "t.md", {"DONE", "TODO"}) == {
        "todo": "⬜",
        "running": "🔄",
        "done": "✅",
        "failed": "❌",
    }
    planned = table + "| E3 | planned |\n| E4 | planned |\n"
    assert researchers_words(legend + planned, "t.md", {"DONE", "TODO"})["todo"] == "planned"


LEGEND_TRACKER = """\
# Experiment Tracker

## Status legend

- ❌ Failed
- PENDING_IMPLEMENTATION — the code is not written yet

| Run ID | Block | Milestone | Purpose | System | Metrics | Priority | Status | Notes |
|---|---|---|---|---|---|---|---|---|
| S1 | B0 | M0 | sanity | main | accuracy | MUST | TODO | seed 0 |
| R1 | B1 | M1 | main | main | accuracy | MUST | ❌ | diverged on the server |
| R2 | B1 | M1 | main | main | accuracy | MUST | PENDING_IMPLEMENTATION | needs the new loss |
| R3 | B1 | M1 | main | main | accuracy | MUST | TODO | seed 0 |
"""


def test_the_trackers_legend_decides_its_marks_and_unwritten_code_is_held(project: Path) -> None:
    """023's PENDING_IMPLEMENTATION rows were launched and counted as successes, and 032's
    legend (❌ Failed) was not read. Through a real ``bridge run``: the ❌ row counts as ended
    failed before bridge; the row whose code is not written is not launched, with the legend's
    reason; both cells stay as written; set to TODO, the row runs."""
    write_project(
        project,
        [Run(id=i, milestone="M0" if i == "S1" else "M1") for i in ("S1", "R1", "R2", "R3")],
    )
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(LEGEND_TRACKER)
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    assert sorted(executions(project)) == ["R3", "S1"]
    state = bridge.status()
    assert state.runs["R1"].state is RunState.DONE_BEFORE
    assert state.runs["R2"].state is RunState.OUT_OF_SCOPE
    assert "its code is not written yet (legend: the code is not written yet)" in (
        state.runs["R2"].reason
    )
    assert (
        "Must-run completed: 2/3 (1 ended failed or invalid before bridge: R1; 1 more "
        "waits for its code, not counted: R2);"
    ) in bridge.summary()
    summary = bridge.summary()
    assert "Ready for the review loop: NO (must-run runs ended failed or invalid before " in summary
    assert "; must-run runs wait for their code: R2" in summary
    data = json.loads((project / "refine-logs" / "results.json").read_text())
    assert data["summary"]["must_run"]["awaiting_code"] == ["R2"]
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert "- R2 — waiting for its code: PENDING_IMPLEMENTATION — its code is not written yet" in (
        results
    )
    written = tracker.read_text()
    assert "| MUST | ❌ | diverged on the server |" in written
    assert "| MUST | PENDING_IMPLEMENTATION | needs the new loss |" in written
    tracker.write_text(written.replace("| PENDING_IMPLEMENTATION |", "| TODO |", 1))
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    assert bridge.status().runs["R2"].state is RunState.SUCCEEDED
    # It had never run: put back by the edit, not "to run again".
    redeployed = [e.reason for e in recorded(project, ev.StageEntered) if e.trigger == "redeploy"]
    assert redeployed == ["1 run back in the plan by a tracker edit: R2"]
    assert "wait for their code" not in bridge.summary()


HELD_TRACKER = """\
# Experiment Tracker

| Run ID | Block | Milestone | Purpose | System | Metrics | Priority | Status | Notes |
|---|---|---|---|---|---|---|---|---|
| S1 | B0 | M0 | sanity | main | accuracy | MUST | TODO | seed 0 |
| R2 | B1 | M1 | main | main | accuracy | MUST | PENDING_IMPLEMENTATION | needs the new loss |
| R3 | B1 | M1 | main | main | accuracy | MUST | TODO | seed 0 |
| R4 | B1 | M2 | main | main | accuracy | MUST | TODO | only after the M1 gate |
| R5 | B1 | M2 | main | main | accuracy | NICE | TODO | seed 1 |
"""


def test_a_row_waiting_for_its_code_holds_the_milestones_after_it(project: Path) -> None:
    """Trial P2 on 023: M2's rows wait for their code (PENDING_IMPLEMENTATION) and M3-M5 ran
    ahead of them, "only after the M2 gate" rows included. Through a real ``bridge run``: the
    later milestone's runs are not launched, each saying which row holds them; the summary
    neither calls them failed nor offers `retry --failed`, and its next step names the row;
    set to TODO, the row runs and the runs it held run after it."""
    write_project(
        project,
        [
            Run(id=i, milestone=m, priority=p)
            for i, m, p in (
                ("S1", "M0", "MUST"),
                ("R2", "M1", "MUST"),
                ("R3", "M1", "MUST"),
                ("R4", "M2", "MUST"),
                ("R5", "M2", "NICE"),
            )
        ],
    )
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(HELD_TRACKER)
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    assert sorted(executions(project)) == ["R3", "S1"]
    state = bridge.status()
    for run_id in ("R4", "R5"):
        assert state.runs[run_id].state is RunState.CANCELLED
        assert state.runs[run_id].reason == "not run: milestone M1 must-run R2 waits for its code"
    summary = bridge.summary()
    assert "not succeeded" not in summary and "retry --failed" not in summary, summary
    assert "must-run runs of later milestones wait for that code: R4" in summary
    assert (
        "Next step: Must-run rows wait for their code (R2): once it is written, change their "
        "Status in the tracker to TODO and run `bridge run` (the 2 runs of later milestones "
        "they hold run after them)"
    ) in summary
    tracker.write_text(tracker.read_text().replace("| PENDING_IMPLEMENTATION |", "| TODO |", 1))
    bridge = Bridge(project)
    assert bridge.run() is Stage.COLLECTED
    state = bridge.status()
    assert [state.runs[r].state for r in ("R2", "R4", "R5")] == [RunState.SUCCEEDED] * 3
    released = [
        e.reason for e in recorded(project, ev.RunRetryScheduled) if e.run_id in ("R4", "R5")
    ]
    assert released == ["R2's tracker row no longer says its code is not written yet"] * 2
    assert "wait for" not in bridge.summary()
    # The edit was read, and nothing of it was below bridge's marker: no copy of it is kept
    # (each Status set to TODO left another EXPERIMENT_TRACKER.edited-N.md).
    assert not list(tracker.parent.glob("EXPERIMENT_TRACKER.edited*"))
    # A Status changed on a row bridge ran is bridge's to write back: the researcher's version
    # is kept (trials Q1, R1: an INVALID reverted with no trace).
    text = tracker.read_text()
    row = next(line for line in text.split("\n") if line.startswith("| R3 |"))
    tracker.write_text(text.replace(row, row.replace("| DONE |", "| INVALID |", 1), 1))
    Bridge(project).run()
    (kept,) = tracker.parent.glob("EXPERIMENT_TRACKER.edited*")
    assert "| INVALID |" in kept.read_text()


def test_a_sanity_row_waiting_for_its_code_holds_the_plan(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A must-run sanity row waiting for its code held nothing: the scheduler holds later
    milestones within one phase, and the deploy phase never saw the sanity row, so the main
    runs launched unchecked. `bridge plan` says nothing launches first, `bridge run` blocks
    at sanity before any launch saying what releases it, and TODO lets it run."""
    write_project(project, [Run(id="S1", milestone="M0"), Run(id="R2", milestone="M1")])
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        HELD_TRACKER.replace("| TODO | seed 0 |", "| PENDING_IMPLEMENTATION | seed 0 |", 1)
        .replace("| PENDING_IMPLEMENTATION | needs the new loss |", "| TODO | seed 0 |")
        .replace("| R3 |", "| R3x |")
        .split("| R3x |")[0]
    )
    from bridge.cli.main import main

    assert main(["plan", "--project", str(project)]) == 0
    assert (
        "first to launch: none: the tracker says 1 must-run sanity run waits for code (S1)"
    ) in capsys.readouterr().out
    bridge = Bridge(project)
    assert bridge.run() is Stage.BLOCKED
    blocked = bridge.status().blocked
    assert blocked is not None and blocked.reason.startswith(
        "the tracker says 1 must-run sanity run waits for code: S1. Set each row to TODO"
    )
    assert executions(project) == {}
    # As the reason offers, NOT RUN — <reason> (here naming the code) takes the row out of
    # scope: the preview no longer says the plan stops there (`bridge run` reads it so too).
    held = tracker.read_text()
    tracker.write_text(
        held.replace("| PENDING_IMPLEMENTATION |", "| NOT RUN — code not written yet |", 1)
    )
    assert main(["plan", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "\nfirst to launch: R2 (main)\n" in out and "waits for code" not in out, out
    tracker.write_text(held.replace("| PENDING_IMPLEMENTATION |", "| TODO |", 1))
    assert Bridge(project).run() is Stage.COLLECTED
    assert sorted(executions(project)) == ["R2", "S1"]


def test_a_row_its_legend_says_is_in_progress_keeps_its_word(project: Path) -> None:
    """033's legend reads `[~]` as "In progress": a row marked so is someone else's run, and
    bridge wrote its TODO over the researcher's mark."""
    from bridge.machine.fold import fold
    from bridge.pipeline.audit import open_store
    from bridge.projections import tracker as tracker_projection

    write_project(project, [Run(id="S1", milestone="M0"), Run(id="R2", milestone="M1")])
    bridge = Bridge(project)
    try:
        bridge.run(until=Stage.SANITY_OK)
    finally:
        bridge.close()
    store = open_store(project)
    try:
        state = fold(store.read())
    finally:
        store.close()
    assert state.runs["R2"].state is RunState.PENDING
    template = (
        "## Status Legend\n- `[ ]` Not started\n- `[~]` In progress\n\n"
        "| Run ID | Milestone | Purpose | System | Status |\n|---|---|---|---|---|\n"
        "| S1 | M0 | sanity | main | [x] |\n| R2 | M1 | main | main | [~] |\n"
    )
    state = attrs.evolve(state, plan=attrs.evolve(state.plan, tracker_text=template))
    assert "| R2 | M1 | main | main | [~] |" in tracker_projection.render(state)


@needs_shared
def test_bridges_own_tracker_says_running_for_a_row_running_elsewhere(tmp_path: Path) -> None:
    """025 has no tracker file: its runs come from the plan's overview table, where E-main is
    🔄 (training elsewhere). While the plan holds on it, the tracker bridge writes said TODO
    where `bridge status` said RUNNING."""
    from tests.plan.corpus import as_project

    project = as_project("025", tmp_path)
    (project / "bridge.toml").write_text(
        f'[bridge]\ncode_review = false\n[run]\ncommand = ["{sys.executable}", "-c", "pass"]\n'
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.BLOCKED
    finally:
        bridge.close()
    text = (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| E-main |"))
    assert "| RUNNING |" in row and "它不是 bridge 启动的" in row, row
    assert "| TODO |" not in row


def test_a_note_ending_in_a_code_span_keeps_bridges_part_once(tmp_path: Path) -> None:
    """Trial P3 on 009: R003's Notes "Uses `scripts/…py`." got bridge's part twice after an
    edit of another row (`… bridge: attempt 1 …; exit 0; bridge: attempt 1 …; exit 0`), the
    copy in the researcher's part from then on: the label after the note's closing mark and a
    space went unseen."""
    from tests.e2e.tiny import write_project as write_tiny

    project = write_tiny(tmp_path / "p")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text().replace(
            "| MUST | TODO | seed 0 |\n", "| MUST | TODO | Uses `train.py`. |\n"
        )
    )
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text().replace("--seed {seed}", "--seed 0"))
    Bridge(project).run()
    edited = tracker.read_text().replace(
        "| DONE | Uses `train.py`. bridge:", "| DONE | Uses `train.py`. Ours. bridge:", 1
    )
    tracker.write_text(edited)
    Bridge(project).run()
    rows = [line for line in tracker.read_text().splitlines() if "Uses `train.py`." in line]
    assert rows and all(row.count("bridge:") == 1 for row in rows), rows


@needs_shared
def test_rows_auto_queued_outside_bridge_are_not_launched(tmp_path: Path) -> None:
    """026's legend reads ⏳ as "Auto-Queued", and its tracker says the researcher's own queue
    scripts run them ("Auto-queue monitor: ✅ Running"): bridge launched G7 and E1–E10 at
    once, a second copy of each. They hold the plan as rows running elsewhere do, and the
    reason says they are queued outside bridge."""
    from bridge.plan.status_legend import meaning_status
    from tests.plan.corpus import as_project

    assert meaning_status("Auto-Queued") == "running"
    assert meaning_status("Queued") == "todo"  # bridge's own queue: a row to run
    project = as_project("026", tmp_path)
    (project / "bridge.toml").write_text(
        f'[bridge]\ncode_review = false\n[run]\ncommand = ["{sys.executable}", "-c", "pass"]\n'
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.BLOCKED
        state = bridge.status()
    finally:
        bridge.close()
    assert not [r.run_id for r in state.runs.values() if r.attempts]
    assert state.blocked is not None
    assert "; queued outside bridge, as the tracker's legend says: G7, E1, E2" in (
        state.blocked.reason
    )
    said = blocked_in_language(state.blocked.reason, "zh")
    assert "按追踪表的图例，这些在 bridge 之外排队：G7, E1, E2" in said
    assert "queued outside" not in said
    text = (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text(encoding="utf-8")
    assert "| E1 | Split-budget MATH-500 (n=200) | ⏳ |" in text


@needs_shared
def test_rows_marked_not_run_with_a_chinese_reason_are_not_launched(tmp_path: Path) -> None:
    """Trial on 026: P6 and G6 marked `NOT RUN — 服务器上运行中` (bridge's own advice, the
    reason in Chinese) were launched, P6 as the sanity run, and their cells rewritten to ✅,
    the reason lost. They are out of scope and their cells kept as written."""
    from tests.plan.corpus import as_project

    project = as_project("026", tmp_path)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    on_server = "NOT RUN — 服务器上运行中"
    text = tracker.read_text(encoding="utf-8").replace("| ⏳ |", "| TODO |")
    for row in ("| P6 | MRSD pilot (8B, MATH-500, n=200) |", "| G6 | 9B thinking@1024 (n=1319) |"):
        text = text.replace(f"{row} 🔄 |", f"{row} {on_server} |", 1)
    tracker.write_text(text, encoding="utf-8")
    (project / "bridge.toml").write_text(
        f'[bridge]\ncode_review = false\n[run]\ncommand = ["{sys.executable}", "-c", "pass"]\n'
    )
    bridge = Bridge(project)
    try:
        bridge.run()
        state = bridge.status()
    finally:
        bridge.close()
    for run_id in ("P6", "G6"):
        assert state.runs[run_id].state is RunState.OUT_OF_SCOPE
        assert not state.runs[run_id].attempts
    text = tracker.read_text(encoding="utf-8")
    assert f"| P6 | MRSD pilot (8B, MATH-500, n=200) | {on_server} |" in text
    assert f"| G6 | 9B thinking@1024 (n=1319) | {on_server} |" in text
    # Listed with its reason where the rewritten tracker names the rows bridge does not run.
    assert f"- P6 — 不在范围内: {on_server}\n" in text


def _run_again(project: Path) -> tuple[list[str], PipelineState]:
    """`bridge run` again after the tracker was edited: the lines said of the rows kept, and the
    state it ends in (collected)."""
    from bridge.cli.watch import kept_lines

    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        return kept_lines(bridge.kept_settings), bridge.status()
    finally:
        bridge.close()


def _first_run(root: Path, mode: str = "fail", ends: RunState = RunState.FAILED) -> Path:
    """S1 (sanity) and R2 succeed, R1 (must-run) runs in ``mode`` and ends ``ends`` (fails, by
    default): a first `bridge run` done."""
    write_project(
        root,
        [
            Run(id="S1", milestone="M0"),
            Run(id="R1", milestone="M1", mode=mode),
            Run(id="R2", milestone="M1"),
        ],
    )
    bridge = Bridge(root)
    try:
        assert bridge.run() is Stage.COLLECTED
        assert bridge.status().runs["R1"].state is ends
    finally:
        bridge.close()
    return root


def _set_status(root: Path, run_id: str, word: str) -> None:
    tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text().splitlines(keepends=True)
    (at,) = [n for n, line in enumerate(lines) if line.startswith(f"| {run_id} |")]
    cells = lines[at].split(" | ")
    cells[-2] = word  # the Status, before the Notes
    lines[at] = " | ".join(cells)
    tracker.write_text("".join(lines))


def _row(root: Path, run_id: str) -> str:
    text = (root / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text()
    return next(line for line in text.splitlines() if line.startswith(f"| {run_id} |"))


def test_a_status_set_on_a_failed_row_bridge_ran_is_applied(project: Path) -> None:
    """Trial R2: STOPPED written on a row bridge ran and recorded failed was written back as
    FAILED in silence. It takes the run out of scope (the researcher's decision, as before
    bridge), the row keeps the word, and TODO later runs it again, with the settings then."""
    _first_run(project)
    _set_status(project, "R1", "STOPPED")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        run = bridge.status().runs["R1"]
        assert run.state is RunState.OUT_OF_SCOPE and run.reason.startswith("STOPPED"), run
        assert "| STOPPED |" in _row(project, "R1")
        assert len(executions(project)["R1"]) == 1
    finally:
        bridge.close()
    # The edit is in the tracker as written: no copy of it, and no "read your edit" said
    # (trial S1: one after every edit, nine copies).
    assert not list((project / "refine-logs").glob("EXPERIMENT_TRACKER.edited*"))
    # Fixed in bridge.toml, then set back to TODO: it runs with the settings written now (the
    # review: it ran with those it had before it went out of scope, and failed again).
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text().replace('mode = "fail"', 'mode = "ok"', 1))
    _set_status(project, "R1", "TODO")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        assert bridge.status().runs["R1"].state is RunState.SUCCEEDED
    finally:
        bridge.close()
    assert len(executions(project)["R1"]) == 2


def test_a_pending_retry_set_to_skipped_is_not_launched(project: Path) -> None:
    """A retry scheduled (`bridge retry R1`), then the row set to SKIPPED: the run is taken
    out of scope, never launched again."""
    _first_run(project)
    bridge = Bridge(project)
    try:
        bridge.retry("R1")
    finally:
        bridge.close()
    _set_status(project, "R1", "SKIPPED")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        assert bridge.status().runs["R1"].state is RunState.OUT_OF_SCOPE
    finally:
        bridge.close()
    assert len(executions(project)["R1"]) == 1


def test_a_word_bridge_cannot_take_is_said_not_applied(project: Path) -> None:
    """PASSED on a row bridge ran that failed, INVALID on one that succeeded: neither is a
    result bridge recorded; each is written back with a line saying so and what to do."""
    _first_run(project)
    _set_status(project, "R1", "PASSED")
    _set_status(project, "R2", "INVALID")
    lines, state = _run_again(project)
    assert state.runs["R1"].state is RunState.FAILED
    assert state.runs["R2"].state is RunState.SUCCEEDED
    assert sorted(lines) == [
        "R1 ended FAILED when bridge ran it, and the tracker's Status now says PASSED: not "
        "applied (bridge counts only results it recorded), so the row's Status says how "
        "bridge's run ended again. `bridge retry R1` runs it again; a word of the tracker's "
        "for not running (SKIPPED — <reason>) as the Status leaves it out.",
        "R2 succeeded, and the tracker's Status now says INVALID: bridge keeps its result and "
        "writes its done status back; `bridge retry --force R2` runs it again.",
    ], lines
    assert "| FAILED |" in _row(project, "R1") and "| DONE |" in _row(project, "R2")
    (kept,) = (project / "refine-logs").glob("EXPERIMENT_TRACKER.edited*")
    assert "| PASSED |" in kept.read_text() and "| INVALID |" in kept.read_text()


def test_a_run_with_numbers_not_trusted_set_back_to_todo_runs_again(project: Path) -> None:
    """030's C4 (trial t6): it wrote a NaN (`DONE ⚠ non_finite`), the researcher fixed the
    script and set its row to TODO; bridge kept the NaN result and wrote DONE back, nothing ran.
    TODO on such a run asks for what `bridge retry --force` does: it runs again. TODO on a
    succeeded run whose numbers are trusted is still not taken (R2)."""
    _first_run(project, mode="nan", ends=RunState.SUCCEEDED)
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text().replace('mode = "nan"', 'mode = "ok"', 1))
    _set_status(project, "R1", "TODO")
    _set_status(project, "R2", "TODO")
    lines, state = _run_again(project)
    assert len(executions(project)["R1"]) == 2
    assert len(executions(project)["R2"]) == 1
    run = state.runs["R1"]
    assert run.state is RunState.SUCCEEDED and run.metrics is not None
    assert not run.metrics.quality, run.metrics.quality
    assert [line for line in lines if line.startswith("R1")] == [], lines
    assert "| DONE |" in _row(project, "R1") and "| DONE |" in _row(project, "R2")


def _plan_table_project(root: Path, numbers: dict[str, object]) -> Path:
    """025 as trial t6 ran it: no tracker file, the runs in the plan's own table, E-main marked
    DONE and a legend making its ❌ rows "Not started"; each run writes its ``numbers`` entry."""
    import json
    import sys

    from tests.pipeline.test_collection import _NUMBERS_JOB
    from tests.plan.corpus import as_project

    # A run whose entry is "fail" exits 1.
    job = _NUMBERS_JOB.replace(
        "text = ", 'sys.exit(1) if numbers.get(sys.argv[1]) == "fail" else 0\ntext = '
    )

    project = as_project("025", root)
    assert not (project / "refine-logs" / "EXPERIMENT_TRACKER.md").exists()
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    last = "| **A4** | 训练数据量 | P1 | 10K/25K/50K 消融 | ❌ |\n"
    assert "| 🔄 4B完成, 其余训练中 |" in text and last in text
    text = text.replace("| 🔄 4B完成, 其余训练中 |", "| DONE |")
    plan.write_text(text.replace(last, last + "\n## Status Legend: ❌ Not started\n"))
    (project / "job.py").write_text(job, encoding="utf-8")
    (project / "numbers.json").write_text(json.dumps(numbers), encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 4\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", "{{run_id}}", "{{output_dir}}"]\n'
        '\n[metrics]\nprimary = "KC"\n',  # a NaN KC is a number not trusted
        encoding="utf-8",
    )
    return project


@needs_shared
def test_025_rows_of_the_plans_own_table_are_not_said_changed(tmp_path: Path) -> None:
    """025 (trial t6), runs in the plan's table, no tracker: after A2's row was set to TODO,
    `bridge run` said `E-rag-sft、A1、A3、A4 已成功，追踪表的 Status 被改为 ❌（图例：Not
    started）：bridge 保留其结果并写回已完成的状态` — those rows were ❌ all along, and bridge
    writes nothing to the plan. A "to run" word there is the one the row had when bridge ran it:
    nothing is said; another word is said without "writes back". Nor is A3, whose NaN is not
    trusted, run again at every `bridge run` for its ❌: only a TODO bridge did not write asks
    that (030's C4, in the researcher's tracker)."""
    import math

    from bridge.cli.watch import kept_lines

    numbers = {
        "*": {"KC": 0.45, "accuracy": 0.7},
        "A3": {"KC": math.nan, "accuracy": 0.7},
        "A4": "fail",
    }
    project = _plan_table_project(tmp_path / "p", numbers)
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        nan = bridge.status().runs["A3"].metrics
        assert nan is not None and any(q.blocking for q in nan.quality), nan
    finally:
        bridge.close()
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    for old, new in (
        ("High-Prior vs Low-Prior分层分析 | ❌ |", "High-Prior vs Low-Prior分层分析 | TODO |"),
        ("Curriculum训练的必要性消融 | ❌ |", "Curriculum训练的必要性消融 | INVALID |"),
        ("10K/25K/50K 消融 | ❌ |", "10K/25K/50K 消融 | DONE |"),
    ):
        assert old in text
        text = text.replace(old, new)
    plan.write_text(text, encoding="utf-8")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        lines = kept_lines(bridge.kept_settings, "zh")
        attempts = {r: len(v.attempts) for r, v in bridge.status().runs.items()}
    finally:
        bridge.close()
    assert sorted(lines) == [
        "A1 已成功，计划运行表中的 Status 现为 INVALID：bridge 保留其结果（计划中的 Status "
        "由你维护，bridge 不改写）；`bridge retry --force A1` 会重新运行。",
        "A4 由 bridge 运行，结束为 FAILED；计划运行表中的 Status 现为 DONE：未采用（bridge "
        "只计入它记录到的结果）（计划中的 Status 由你维护，bridge 不改写）。`bridge retry A4` "
        "会重新运行；把 Status 写成追踪表表示不运行的词（如 SKIPPED — <原因>）可将其排除。",
    ], lines
    assert attempts == {"E-rag-sft": 1, "E-main": 0, "A1": 1, "A2": 1, "A3": 1, "A4": 1}
    assert "| ❌ |" in plan.read_text(encoding="utf-8")  # nothing written back to the plan


def test_rebuild_leaves_an_edit_no_command_has_read(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bridge rebuild` rewrote the researcher's tracker from the log over an edit no command
    had read yet (their SKIPPED went to a copy, unsaid, and the next `bridge run` read bridge's
    FAILED). The edit is left as written, and said; the next run takes it."""
    from bridge.cli.main import main

    _first_run(project)
    _set_status(project, "R1", "SKIPPED")
    assert main(["rebuild", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "refine-logs/EXPERIMENT_TRACKER.md holds an edit no command has read yet" in out
    assert "| SKIPPED |" in _row(project, "R1")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        assert bridge.status().runs["R1"].state is RunState.OUT_OF_SCOPE
    finally:
        bridge.close()


def test_runs_held_by_a_failed_row_come_back_once_it_is_out_of_scope(project: Path) -> None:
    """Trial S1 on 023: R011 (must-run, M1) failed and the M2 runs were not run ("R011
    failed"); the researcher set R011 to DEFERRED, and the M2 runs stayed cancelled under
    that stale reason, reported as must-run runs not succeeded. They run now."""
    write_project(
        project,
        [
            Run(id="S1", milestone="M0"),
            Run(id="R1", milestone="M1", mode="fail"),
            Run(id="R2", milestone="M2"),
        ],
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        held = bridge.status().runs["R2"]
        assert held.state is RunState.CANCELLED and "must-run R1 ended failed" in held.reason
    finally:
        bridge.close()
    _set_status(project, "R1", "DEFERRED")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        assert bridge.status().runs["R2"].state is RunState.SUCCEEDED
        assert "not succeeded" not in bridge.summary()
    finally:
        bridge.close()
    released = [e.reason for e in recorded(project, ev.RunRetryScheduled) if e.run_id == "R2"]
    assert released == ["R1's tracker row now takes it out of scope"]


def test_bridges_own_legend_mark_on_a_failed_row_is_no_request(project: Path) -> None:
    """A tracker whose legend makes ❌ "Failed" gets ❌ from bridge for a run that failed under
    it; read back with no legend, a bare ❌ is "blocked", and the run was taken out of scope
    as if the researcher had asked. It stays failed, for `retry --failed`."""
    write_project(
        project,
        [
            Run(id=i, milestone="M0" if i == "S1" else "M1", mode="fail" if i == "R3" else "ok")
            for i in ("S1", "R1", "R2", "R3")
        ],
    )
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(LEGEND_TRACKER.replace("| PENDING_IMPLEMENTATION |", "| TODO |"))
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    assert "| ❌ |" in _row(project, "R3")
    tracker.write_text(tracker.read_text().replace("diverged on the server", "diverged there"))
    bridge = Bridge(project)
    try:
        bridge.run()
        assert bridge.status().runs["R3"].state is RunState.FAILED
    finally:
        bridge.close()


@needs_shared
def test_038_the_researchers_status_of_several_parts_stays_on_a_row_bridge_ran(
    tmp_path: Path,
) -> None:
    """038's HIP-03 `PASS-STATIC / PENDING-RESIDENT` (tracker:19) read `DONE` once bridge ran
    it: "resident still pending" survived only in `.before-bridge.md`. Bridge's word comes
    first, the researcher's Status after it, also once they edit the tracker bridge filled in;
    a plain PENDING (ENV-OF3-02) is bridge's word alone. HIP-02's `PASS-PARITY / FAIL-SPEEDUP`
    (tracker:18) is a finished run's negative result: done, not failed before bridge.

    A run of "TriPharm HIP" in B4 (which lists no systems) is judged against the TriPharm CPU
    its criterion names, B2's system, which has no run there: read as TriPharm HIP, the one
    system sharing its word "TriPharm", the clause compared the run with itself.

    Its tracker's second column is "Gate", not System: "Runs not attributed to a block" showed
    an empty System cell on all 28 rows, and so did the milestone tables; each says what it is
    instead."""
    from tests.plan.corpus import as_project

    project = as_project("038", tmp_path)
    speedup = "import sys; open(sys.argv[1] + '/metrics.json', 'w').write('{\"speedup\": 3.1}')"
    hip = json.dumps([sys.executable, "-c", speedup, "{output_dir}"])
    (project / "bridge.toml").write_text(
        f'[bridge]\ncode_review = false\n[run]\ncommand = ["{sys.executable}", "-c", "pass"]\n'
        f'\n[[runs]]\nid = "HIP-HS90A"\nsystem = "TriPharm HIP"\nblock = "B4"\n'
        f'milestone = "M4"\ncommand = {hip}\n'
    )
    # The clause's "on HS90A plus one LIT-PCBA target" leaves it unjudged (each item, h42G
    # F6); without it, it compares with TriPharm CPU, as checked below.
    plan = project / "refine-logs" / "EXPERIMENT_PLAN_20260802_TRIPHARM_THREE_GATES.md"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(" on HS90A plus one LIT-PCBA target", ""),
        encoding="utf-8",
    )
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"

    def row(run_id: str) -> str:
        text = tracker.read_text(encoding="utf-8")
        return next(line for line in text.splitlines() if line.startswith(f"| {run_id} |"))

    bridge = Bridge(project)
    try:
        bridge.run()
        hip_02 = bridge.status().runs["HIP-02"]
    finally:
        bridge.close()
    said = "| DONE (was: PASS-STATIC / PENDING-RESIDENT) | five warm-ups"
    assert said in row("HIP-03"), row("HIP-03")
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "2. `the proposed system vs TriPharm CPU: speedup relative gain" in results, results
    assert "speedup over TriPharm CPU» — no results for system TriPharm CPU |" in results, results
    stray = results.split("## Runs not attributed to a block", 1)[1].split("\n## ", 1)[0]
    assert (
        "| ENV-AIAA-01 | no system: Core overlay reuses AIAA ROCm stack; no duplicate Torch |"
    ) in stray, stray
    # The milestone's table shows the same cell: it was left empty there (h40N left it).
    by_milestone = results.split("## Results by milestone", 1)[1].split("\n## ", 1)[0]
    assert (
        "| ENV-AIAA-01 | no system: Core overlay reuses AIAA ROCm stack; no duplicate Torch |"
    ) in by_milestone, by_milestone
    assert "| DONE | checkpoint intentionally absent" in row("ENV-OF3-02"), row("ENV-OF3-02")
    assert "| PASS-PARITY / FAIL-SPEEDUP | complete" in row("HIP-02")
    assert hip_02.state is RunState.DONE_BEFORE and not hip_02.failed_before_bridge
    # The researcher edits another row of the tracker bridge filled in: read again, HIP-03's
    # earlier Status stays.
    tracker.write_text(
        tracker.read_text(encoding="utf-8").replace(
            "| QA-01 | Full automated regression | PASS |",
            "| QA-01 | Full automated regression | PASS | rerun 08-05. ",
        ),
        encoding="utf-8",
    )
    bridge = Bridge(project)
    try:
        bridge.run()
    finally:
        bridge.close()
    assert said in row("HIP-03"), row("HIP-03")


@needs_shared
def test_025_failed_rows_of_the_plans_own_table_do_not_run_again_after_a_plan_edit(
    tmp_path: Path,
) -> None:
    """025, runs in the plan's own table, every run failed at its one attempt: a comment added
    to the plan sent all of them to attempt 2, the log saying `the tracker's row now says that
    it is to run` in a project with no tracker. Their ❌ ("Not started") is the word the rows had
    when bridge ran them: it asks nothing."""
    project = _plan_table_project(tmp_path / "p", {})
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nsanity_first = false\nmax_parallel = 4\n\n"
        '[run]\ncommand = ["false"]\nmax_retries = 0\n',
        encoding="utf-8",
    )
    for edit in ("", "\n<!-- a note -->\n"):
        plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        plan.write_text(plan.read_text(encoding="utf-8") + edit, encoding="utf-8")
        bridge = Bridge(project)
        try:
            bridge.run()
            runs = bridge.status().runs
        finally:
            bridge.close()
        failed = {r: len(v.attempts) for r, v in runs.items() if v.attempts}
        assert failed and set(failed.values()) == {1}, failed
        assert all(runs[r].state is RunState.FAILED for r in failed), runs


def test_a_negative_result_word_on_a_run_bridge_ran_is_said_not_taken(project: Path) -> None:
    """018 (trial t14): the researcher set `failed` (the legend's "方法/任务失败", a finished
    run's negative result) on a row bridge ran and recorded done; `bridge run` wrote `passed`
    back with only the generic "edit kept in a copy, write notes above the marker" line, though
    the edit was above the marker. The row, the word, why it is not taken and where the finding
    stays are said now (the word reads as done, so no other line named it)."""
    from bridge.cli.watch import kept_lines
    from tests.in_process import bridge_here

    _first_run(project)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    legend = "## Status Legend\n- `failed` — negative result (the method failed)\n\n"
    tracker.write_text(tracker.read_text().replace("\n\n", f"\n\n{legend}", 1))
    _set_status(project, "R2", "failed")
    done = bridge_here("run", "--plain", "--project", str(project), cwd=project.parent)
    said = (
        "R2 succeeded, and the tracker's Status now says failed (by its legend a finished "
        "run's negative result): bridge takes no verdict from a Status word (it judges the "
        "block on the plan's criteria and the run's numbers), so the row reads done again and "
        "failed is only in the copy; to keep that finding, write it in the row's Notes (the "
        "text before bridge's part stays)."
    )
    assert said in " ".join(done.stdout.split()), done.stdout + done.stderr
    assert "| DONE |" in _row(project, "R2")
    (kept,) = (project / "refine-logs").glob("EXPERIMENT_TRACKER.edited*")
    assert "| failed |" in kept.read_text()
    # The same in Chinese, for a Chinese plan's console.
    from bridge.pipeline.steps.row_status import StatusKept

    (line,) = kept_lines({"R2": (StatusKept(written="failed", in_plan=False, finding=True),)}, "zh")
    assert line.startswith(
        "R2 已成功，追踪表的 Status 被改为 failed（按图例是已完成运行的负结果）：bridge 不从 "
        "Status 的词取判定"
    ), line


def test_an_editor_save_of_bridges_earlier_words_keeps_no_copy(project: Path) -> None:
    """018 (trial t14): the tracker as an editor held it from an earlier `bridge run`, saved back
    with one note added after R2 ran again: only bridge's own words differed (R2's Notes, the
    marker section's seq and counts), the note was in the tracker, yet bridge kept an
    `.edited.md` copy and said "text you wrote there is only in that copy". Bridge's earlier
    version (its timestamped copy) tells its words apart: no copy, the note stays."""
    write_project(project, [Run(id="S1", milestone="M0"), Run(id="R2", milestone="M1")])
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    held = tracker.read_text()  # what the editor opened
    bridge = Bridge(project)
    try:
        bridge.retry("R2", force=True)
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    assert "attempt 2" in _row(project, "R2")
    noted = held.replace("# Experiment Tracker\n", "# Experiment Tracker\n\nMy note.\n", 1)
    tracker.write_text(noted)
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    assert "\nMy note.\n" in tracker.read_text()
    assert "attempt 2" in _row(project, "R2")
    assert list((project / "refine-logs").glob("EXPERIMENT_TRACKER.edited*")) == []


def test_a_word_on_a_row_bridge_cancelled_before_it_launched_is_taken(project: Path) -> None:
    """Trial t15 on 039: R004 failed, so bridge cancelled R005–R007 before they launched; the
    researcher then marked R007 `NOT RUN — 时间不够` and fixed bridge.toml for R004. The next
    `bridge run` launched R007 anyway (its settings had changed) and wrote DONE over their
    word; without the fix its row was rewritten CANCELLED. A run that never ran under bridge is
    like a row not started yet: NOT RUN takes it out of scope, DONE records it done before
    bridge, each said, and neither launches."""
    write_project(
        project,
        [
            Run(id="A", milestone="M1", mode="fail"),
            Run(id="B", milestone="M2"),
            Run(id="C", milestone="M2"),
            Run(id="D", milestone="M2"),
        ],
        sanity=None,
        bridge="max_parallel = 2\ncode_review = false\nsanity_first = false",
    )
    bridge = Bridge(project)
    try:
        bridge.run()
        runs = bridge.status().runs
        assert [runs[r].state for r in "BCD"] == [RunState.CANCELLED] * 3
    finally:
        bridge.close()
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text()
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    assert "| CANCELLED |" in rows["B"], rows["B"]
    text = text.replace(
        rows["B"], rows["B"].replace("| CANCELLED |", "| NOT RUN — out of budget |")
    )
    text = text.replace(rows["C"], rows["C"].replace("| CANCELLED |", "| DONE |"))
    tracker.write_text(text)
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text().replace('mode = "fail"', 'mode = "ok"'))
    bridge = Bridge(project)
    try:
        bridge.run()
        runs = bridge.status().runs
    finally:
        bridge.close()
    assert runs["A"].state is RunState.SUCCEEDED
    assert runs["B"].state is RunState.OUT_OF_SCOPE
    # The researcher's reason, not bridge's note on the row ("not run: milestone M1 …").
    assert runs["B"].reason == "NOT RUN — out of budget — seed 0", runs["B"].reason
    assert runs["C"].state is RunState.DONE_BEFORE
    assert runs["D"].state is RunState.SUCCEEDED  # bridge's own CANCELLED asks nothing
    assert sorted(executions(project)) == ["A", "D"]
    rewritten = tracker.read_text()
    assert "| NOT RUN — out of budget |" in rewritten


# 021's runs with a CPU command: every one writes its numbers; R008 fails until `fixed` exists.
_JOB_021 = """\
import json, pathlib, sys
run, out = sys.argv[1], pathlib.Path(sys.argv[2])
if run == "R008" and not pathlib.Path("fixed").exists():
    sys.exit("ValueError: delay d must be >= 0")
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"reward": 0.6, "violations": 0.05}))
"""


@needs_shared
def test_021_a_reason_written_after_a_retry_is_the_researchers_alone(tmp_path: Path) -> None:
    """Trial t17 on 021: R008 failed, bridge cancelled R010-R014; `bridge retry --failed` wrote
    R011's Notes "证明 hybrid extension 的必要性；bridge：由人要求重试；bridge 此前已取消它（…）";
    the researcher then marked R011 `NOT RUN — 时间不够`. The run was left out, but its reason,
    printed and in the results, quoted bridge's own notes as theirs ("NOT RUN — 时间不够 — 证明
    …；bridge：由人要求重试；…"). bridge's labelled part of the Notes is no reason of theirs."""
    from tests.plan.corpus import as_project

    project = as_project("021", tmp_path / "p021")
    (project / "job.py").write_text(_JOB_021, encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", "{{run_id}}", "{{output_dir}}"]\n'
        "gpus = 0\n",
        encoding="utf-8",
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        assert bridge.status().runs["R011"].state is RunState.CANCELLED
        bridge.retry(failed=True)
        # R004c, done before bridge with numbers in its note ("9.451 mV"), run again.
        bridge.retry("R004c", force=True)
    finally:
        bridge.close()
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").split("\n")
    (at,) = [i for i, line in enumerate(lines) if line.startswith("| R011 |")]
    cells = lines[at].split("|")
    assert "bridge：" in cells[9], cells[9]  # bridge's part of the Notes, after the retry
    cells[8] = " NOT RUN — 时间不够 "
    lines[at] = "|".join(cells)
    tracker.write_text("\n".join(lines), encoding="utf-8")
    (project / "fixed").write_text("", encoding="utf-8")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        r011 = bridge.status().runs["R011"]
    finally:
        bridge.close()
    assert r011.state is RunState.OUT_OF_SCOPE
    assert r011.reason == "NOT RUN — 时间不够 — 证明 hybrid extension 的必要性", r011.reason
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "由人要求重试" not in results
    # Nor does its row keep bridge's notes of the retry and the cancel beside NOT RUN (t17 F6):
    # the researcher's note as written.
    row = next(r for r in tracker.read_text("utf-8").splitlines() if r.startswith("| R011 |"))
    assert row.endswith("| NOT RUN — 时间不够 | 证明 hybrid extension 的必要性 |"), row
    # A rerun row's note keeps the researcher's numbers; bridge's part says what the rerun
    # measured and that those numbers are the earlier record (009's R002 "MRR 0.383", t17 F4).
    row = next(r for r in tracker.read_text("utf-8").splitlines() if r.startswith("| R004c |"))
    assert row.endswith(
        "| DONE | instant 降低最终静差但显著放大欠压；near-0 欠压从 9.451 mV 到 35.750 mV；"
        "bridge：第 1 次尝试，local#0:cpu；退出码 0；测得 reward = 0.6（另有 1 个）；"
        "前面备注中的数值来自 bridge 之前的记录（当时为 DONE），不是这次尝试测得的 |"
    ), row
