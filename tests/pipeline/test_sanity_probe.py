"""
A plan that names no sanity milestone: one of its runs is checked alone before the rest launch.

034 (trial T1) has milestones "Pilot positive", "Ablations complete", … and no sanity milestone:
`bridge run` said "no sanity milestone in the plan; nothing to check first" and launched all 13
runs at once, so on GPUs the budget was spent before any run showed the pipeline works.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge import Bridge, cli
from bridge.machine.sanity_probe import probe_of
from bridge.machine.stages import RunState, Stage
from bridge.plan.priority import Priority
from tests.conftest import needs_shared
from tests.pipeline.conftest import Run, write_project

MUST, NICE = Priority.MUST, Priority.NICE


def _times(project: Path, run_id: str) -> tuple[float, float | None]:
    """When the run's job started and ended (its markers file), end None when it did not."""
    lines = (project / "markers" / run_id).read_text().splitlines()
    start = float(lines[0].split()[1])
    ends = [float(line.split()[1]) for line in lines if line.startswith("end ")]
    return start, ends[-1] if ends else None


def test_the_first_run_runs_alone_and_is_checked_before_the_rest(tmp_path: Path) -> None:
    runs = [Run(id=f"R{i}", milestone="M1") for i in (1, 2, 3)]
    project = write_project(tmp_path / "p", runs, sanity=None, bridge="max_parallel = 3")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        state = bridge.status()
        checks = [e for e in state.sanity_checks if e.passed]
    finally:
        bridge.close()
    _, probe_end = _times(project, "R1")
    assert probe_end is not None
    for other in ("R2", "R3"):
        started, _ = _times(project, other)
        assert started > probe_end, (other, started, probe_end)
    assert checks and checks[-1].detail.startswith(
        "no sanity milestone in the plan: R1 (of M1) ran alone first"
    ), checks
    # One of the plan's runs, not an extra one: its numbers are its block's.
    assert state.runs["R1"].state is RunState.SUCCEEDED
    assert set(state.runs) == {"R1", "R2", "R3"}


def test_a_probe_that_fails_holds_every_other_run(tmp_path: Path) -> None:
    runs = [Run(id="R1", milestone="M1", mode="fail"), Run(id="R2", milestone="M1")]
    project = write_project(
        tmp_path / "p", runs, sanity=None, bridge="max_parallel = 2\nrescue_on_failure = false"
    )
    bridge = Bridge(project)
    try:
        stage = bridge.run()
        state = bridge.status()
    finally:
        bridge.close()
    assert stage is Stage.BLOCKED, stage
    assert not (project / "markers" / "R2").exists()
    assert state.runs["R2"].state is RunState.PENDING
    failed = [e for e in state.sanity_checks if not e.passed]
    assert failed and failed[0].detail.startswith("R1: "), failed


def test_sanity_first_off_launches_every_run_at_once(tmp_path: Path) -> None:
    runs = [Run(id="R1", milestone="M1", mode="gate"), Run(id="R2", milestone="M1")]
    project = write_project(
        tmp_path / "p", runs, sanity=None, bridge="max_parallel = 2\nsanity_first = false"
    )
    # R1 waits for a flag only R2's end writes: they must run side by side to finish.
    (project / "scripts" / "job.py").write_text(
        (project / "scripts" / "job.py")
        .read_text()
        .replace(
            'with open(markers / args.run, "a") as log:\n    log.write(f"end',
            'if args.run == "R2":\n    (markers / "open.flag").write_text("")\n'
            'with open(markers / args.run, "a") as log:\n    log.write(f"end',
        )
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        state = bridge.status()
    finally:
        bridge.close()
    assert state.sanity_checks[-1].skipped
    _, r1_end = _times(project, "R1")
    r2_start, _ = _times(project, "R2")
    assert r1_end is not None and r2_start < r1_end


def test_bridge_plan_says_which_run_is_checked_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = [Run(id="R1", milestone="M1"), Run(id="R2", milestone="M1")]
    project = write_project(tmp_path / "p", runs, sanity=None)
    assert cli.main(["plan", "--project", str(project)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "first to launch: R1 (main), alone, as the sanity check (the plan names no sanity " in (
        out
    ), out
    assert "; then R2 (main)" in out, out


def test_a_probe_alone_in_its_milestone_leaves_no_dangling_then(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first milestone holds the checked run alone (the rest come later): the line ended in
    "; then " with nothing after it (trial T4)."""
    runs = [Run(id="R1", milestone="M1"), Run(id="R2", milestone="M2")]
    project = write_project(tmp_path / "p", runs, sanity=None)
    assert cli.main(["plan", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("first to launch:"))
    assert line.startswith("first to launch: R1 (main), alone, as the sanity check"), line
    assert "then" not in line, line


@pytest.mark.parametrize(
    ("runs", "milestones", "probe"),
    [
        # The earliest milestone in plan order, whatever the planning order of the runs.
        ([("R1", "M2", MUST, True), ("R2", "M1", MUST, True)], ["M1", "M2"], "R2"),
        # A must-run run before a nice-to-have one of the same milestone.
        ([("R1", "M1", NICE, True), ("R2", "M1", MUST, True)], ["M1"], "R2"),
        # A must-run run of a later milestone before a nice-to-have one, whose failure holds
        # nothing back; a nice-to-have one only when no run is must-run.
        ([("R1", "M1", NICE, True), ("R2", "M2", MUST, True)], ["M1", "M2"], "R2"),
        ([("R1", "M2", NICE, True), ("R2", "M1", NICE, True)], ["M1", "M2"], "R2"),
        # Runs of no milestone come after the plan's milestones.
        ([("R1", "", MUST, True), ("R2", "M3", MUST, True)], ["M3"], "R2"),
        # In its milestone, a run asked for numbers before a data preparation step; never
        # one of a later milestone (it may need what the earlier one makes).
        ([("R1", "M1", MUST, False), ("R2", "M1", MUST, True)], ["M1"], "R2"),
        ([("R1", "M1", MUST, False), ("R2", "M2", MUST, True)], ["M1", "M2"], "R1"),
        ([], ["M1"], None),
    ],
)
def test_the_probe_is_the_first_must_run_run_in_milestone_order(
    runs: list[tuple[str, str, Priority, bool]], milestones: list[str], probe: str | None
) -> None:
    assert probe_of(runs, milestones) == probe


def test_a_run_that_waits_for_another_is_never_the_probe(tmp_path: Path) -> None:
    from bridge.machine.scheduler import sanity_probe

    runs = [
        Run(id="R1", milestone="M1", depends_on=("R2",)),
        Run(id="R2", milestone="M1"),
    ]
    project = write_project(tmp_path / "p", runs, sanity=None)
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        state = bridge.status()
        assert sanity_probe(state) == "R2"
        assert state.sanity_checks[-1].detail.startswith(
            "no sanity milestone in the plan: R2 (of M1)"
        )
    finally:
        bridge.close()
    # A plan with a sanity milestone has its runs as the check, and no probe.
    other = write_project(tmp_path / "q", [Run(id="S1", milestone="M0"), *runs])
    bridge = Bridge(other)
    try:
        assert bridge.run() is Stage.COLLECTED
        state = bridge.status()
        assert sanity_probe(state) is None
        assert state.sanity_checks[-1].detail == "1 sanity run passed"
    finally:
        bridge.close()


def test_a_probe_no_number_is_asked_of_passes_without_one(tmp_path: Path) -> None:
    """The first milestone holds only a data preparation step (no block, no metric named,
    no metrics file written): bridge chose it, and it is checked for what it is asked."""
    runs = [Run(id="P", milestone="M1", mode="none"), Run(id="R", milestone="M2")]
    project = write_project(tmp_path / "p", runs, sanity=None)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(plan.read_text().replace("| P (Block 0) |", "| P |"))
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text().replace(
            "| P | M1 | main | main | test | accuracy |", "| P | M1 | main | main | test | |"
        )
    )
    config = project / "bridge.toml"
    config.write_text(config.read_text().replace('id = "P"\n', 'id = "P"\noutputs = []\n'))
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        state = bridge.status()
    finally:
        bridge.close()
    assert (state.runs["P"].spec.block, state.runs["P"].spec.metrics) == ("", ())
    assert state.sanity_checks[-1].passed
    assert state.sanity_checks[-1].detail.startswith("no sanity milestone in the plan: P (of M1)")
    assert state.runs["R"].state is RunState.SUCCEEDED


def test_a_probe_with_a_number_it_cannot_trust_is_retried_with_force(tmp_path: Path) -> None:
    """034's R001 exited 0 with a NaN: the plan blocked, and the next step named no way to
    run it again when the fix is outside the files bridge reads (its data)."""
    runs = [Run(id="R1", milestone="M1", mode="nan"), Run(id="R2", milestone="M1")]
    project = write_project(
        tmp_path / "p", runs, sanity=None, bridge="max_parallel = 2\nrescue_on_failure = false"
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.BLOCKED
        summary = " ".join(bridge.summary().split())
    finally:
        bridge.close()
    assert not (project / "markers" / "R2").exists()
    assert "`bridge retry --force R1` runs it again" in summary, summary


def test_a_probe_in_a_block_giving_no_number_is_blocked_with_its_reason(tmp_path: Path) -> None:
    """030 (trial T7): the first-run check's run is in a block, names no metric, and wrote no
    metrics file: the check failed "no metric could be read", and the block said "A1: ." with
    the fix for an error its log does not have. The block says what failed and its fix."""
    runs = [Run(id="R1", milestone="M1", mode="none"), Run(id="R2", milestone="M1")]
    project = write_project(tmp_path / "p", runs, sanity=None)
    config = project / "bridge.toml"
    config.write_text(config.read_text().replace('outputs = ["metrics.json"]\n', ""))
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text().replace(
            "| R1 | M1 | main | main | test | accuracy |", "| R1 | M1 | main | main | test |  |"
        )
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.BLOCKED
        blocked = bridge.status().blocked
    finally:
        bridge.close()
    assert blocked is not None
    assert blocked.reason == "sanity fails repeatedly: R1: its metrics could not be read", blocked
    assert "Fix: write the metrics to a file" in blocked.findings[0].message


_QUALITY_JOB = """\
import argparse, pathlib
parser = argparse.ArgumentParser()
parser.add_argument("--out", required=True)
pathlib.Path(parser.parse_args().out, "metrics.json").write_text('{"quality": 0.6}')
"""


@needs_shared
def test_014_an_m0_with_no_experiment_does_not_pass_sanity_for_the_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """014's M0 "Review candidate authority | no experiment" was the sanity milestone by its
    id: `bridge run` said "stage SANITY_OK: the sanity milestone M0 has no runs; nothing to
    check first" and launched every run at once. The first run is checked alone first now."""
    import sys

    from tests.plan.corpus import as_project

    project = as_project("014", tmp_path / "p")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    # Set going again, as the trial did (the plan and tracker say it stopped at R002).
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("STOPPED_R002_GEOMETRY_FAIL", "ACTIVE"),
        encoding="utf-8",
    )
    text = tracker.read_text(encoding="utf-8").replace("STOPPED_R002_GEOMETRY_FAIL", "ACTIVE")
    for status in ("COMPLETE_FAIL_HARD_STOP", "NOT_RUN_R002_FAIL"):
        text = text.replace(f"| {status} |", "| TODO |")
    tracker.write_text(text, encoding="utf-8")
    (project / "job.py").write_text(_QUALITY_JOB, encoding="utf-8")
    (project / "bridge.toml").write_text(
        f'[bridge]\ncode_review = false\n[run]\ncommand = ["{sys.executable}", "job.py", '
        '"--out", "{output_dir}"]\n',
        encoding="utf-8",
    )
    # `bridge plan` said "(the plan names no sanity milestone; …)" beside the plan's M0.
    assert cli.main(["plan", "--project", str(project)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert (
        "first to launch: R002 (no model), alone, as the sanity check (milestone M0 says 'no "
        "experiment' and has no runs, so it is no sanity milestone; `sanity_first = false`"
    ) in out, out
    bridge = Bridge(project)
    try:
        bridge.run()
        first = bridge.status().sanity_checks[0]
    finally:
        bridge.close()
    assert first.passed
    # Why no milestone is the sanity check, as `bridge plan` said it: the detail said "no
    # sanity milestone in the plan" beside the plan's M0.
    assert first.detail.startswith(
        "milestone M0 says 'no experiment' and has no runs, so it is no sanity milestone: R002 "
        "(of M1) ran alone first"
    ), first.detail


@needs_shared
def test_014_with_nothing_left_to_check_names_m0_not_no_sanity_milestone(tmp_path: Path) -> None:
    """014 as it is, set going again (its Status line said it stopped): every row is done or
    ruled out before bridge, so nothing is checked first. The stage said "no sanity milestone
    in the plan; nothing to check first", though the plan has an M0 that `bridge plan` says is
    no sanity milestone because it has no experiment; it names M0 and that reason now."""
    from tests.plan.corpus import as_project

    project = as_project("014", tmp_path / "p")
    for name in ("EXPERIMENT_PLAN.md", "EXPERIMENT_TRACKER.md"):
        path = project / "refine-logs" / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("STOPPED_R002_GEOMETRY_FAIL", "ACTIVE"), encoding="utf-8")
    bridge = Bridge(project)
    try:
        bridge.run()
        state = bridge.status()
    finally:
        bridge.close()
    said = "milestone M0 says 'no experiment' and has no runs, so it is no sanity milestone"
    assert [c.detail for c in state.sanity_checks] == [said]
    reasons = [e.reason for _, e in state.stage_history if e.stage == Stage.SANITY_OK.value]
    assert reasons == [f"{said}; nothing to check first"], reasons


def test_a_run_the_plan_calls_a_sanity_check_is_the_probe_after_a_data_milestone_only() -> None:
    """A run whose Purpose says it is a sanity check went first of any milestone: one of M3
    ("sanity: reload the checkpoint") before M1's runs that do not wait for it. It goes first
    only in the first milestone with runs, a data-preparation milestone passed over; a
    nice-to-have one never before a must-run run."""
    runs = [("R1", "M0", MUST, False), ("R2", "M1", MUST, True), ("R3", "M1", NICE, True)]
    assert probe_of(runs, ["M0", "M1"], {"R2"}, {"M0"}) == "R2"
    assert probe_of(runs, ["M0", "M1"], {"R2"}) == "R1"
    assert probe_of(runs, ["M0", "M1"], {"R3"}, {"M0"}) == "R1"
    assert probe_of(runs, ["M0", "M1"]) == "R1"
    late = [("R1", "M1", MUST, True), ("R2", "M1", MUST, True), ("R9", "M3", MUST, True)]
    assert probe_of(late, ["M1", "M2", "M3"], {"R9"}) == "R1"
    assert probe_of(late, ["M1", "M2", "M3"], {"R2"}) == "R2"


@needs_shared
def test_011_bridge_plan_launches_the_data_pipeline_before_the_overfit_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """011's R012 "Sanity: overfit on 100 items" (Depends On R010, R011: DONE code tasks)
    needs M0's training data (R010 waits for R008 "Merge → train_dataset.jsonl"). `bridge
    plan` said "first to launch: R012 (Multi-task DeBERTa), alone, as the sanity check
    (milestone M0 says 'Data Pipeline': …)": it would overfit on a file not made yet. It
    waits for R008 now, so M0's data runs go first, M0 the sanity milestone."""
    import json

    from tests.plan.corpus import as_project

    project = as_project("011", tmp_path / "p")
    assert cli.main(["plan", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("first to launch:"))
    assert line == (
        "first to launch: R003 (Qwen-32B audit), R004 (Qwen-32B audit), R007 (Qwen-32B audit)"
    ), line
    assert "it prepares data and is no sanity milestone" not in out
    assert cli.main(["plan", "--project", str(project), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    waits = {r["id"]: r["depends_on"] for r in shown["runs"]}
    assert waits["R012"] == ["R008"]
    assert [m["id"] for m in shown["milestones"] if m["sanity"]] == ["M0"]


@needs_shared
def test_011_bridge_run_does_not_run_the_overfit_run_before_the_data(tmp_path: Path) -> None:
    """The sanity stage of `bridge run` on 011 ran R012 alone, before M0's R008 had merged
    the training data it overfits on; M0's data runs run first now, and R012 not yet."""
    import sys

    from bridge.machine.scheduler import sanity_probe
    from tests.plan.corpus import as_project

    project = as_project("011", tmp_path / "p")
    (project / "job.py").write_text(_QUALITY_JOB, encoding="utf-8")
    (project / "bridge.toml").write_text(
        f'[bridge]\ncode_review = false\n[run]\ncommand = ["{sys.executable}", "job.py", '
        '"--out", "{output_dir}"]\n',
        encoding="utf-8",
    )
    bridge = Bridge(project)
    try:
        bridge.run(until=Stage.SANITY_OK)
        state = bridge.status()
    finally:
        bridge.close()
    assert sanity_probe(state) is None
    ran = [r for r in state.runs if state.runs[r].attempts]
    assert ran and {state.runs[r].spec.milestone for r in ran} == {"M0"}, ran
