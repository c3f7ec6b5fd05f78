"""
The researcher's loop: a run fails, the researcher fixes an input, one ``bridge run`` goes on
with the fix; ``bridge retry`` by ids, ``--failed``, ``--milestone``, ``--force``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge import Bridge, Stage
from bridge.errors import InputError, UnknownRunError
from bridge.events import types as ev
from bridge.events.store import SQLiteEventStore
from bridge.machine.fold import PipelineState
from bridge.machine.stages import RunState
from tests.e2e.tiny import write_project
from tests.pipeline.conftest import Run
from tests.pipeline.conftest import write_project as write_runs


def _run(project: Path) -> Stage:
    bridge = Bridge(project)
    try:
        return bridge.run()
    finally:
        bridge.close()


def _state(project: Path) -> PipelineState:
    """The project's state as `bridge status` reads it."""
    bridge = Bridge(project)
    try:
        return bridge.status()
    finally:
        bridge.close()


def _records(project: Path) -> list[object]:
    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        return list(store.read())
    finally:
        store.close()


def _typo(project: Path, old: str, new: str) -> None:
    toml = project / "bridge.toml"
    text = toml.read_text()
    assert old in text
    toml.write_text(text.replace(old, new))


class TestFixTakesEffect:
    def test_sanity_typo_loop_finishes_with_one_run_after_the_fix(self, tmp_path: Path) -> None:
        """A typo in the [run] command fails sanity and blocks, leading with the failure and its
        fix; after fixing bridge.toml ONE run reaches COLLECTED, and the log records the changed
        spec before the attempt that ran with it."""
        project = write_project(tmp_path / "p")
        _typo(project, "--seed {seed}", "--sed {seed}")
        assert _run(project) is Stage.BLOCKED
        bridge = Bridge(project)
        try:
            blocked = bridge.status().blocked
            assert blocked is not None
            assert "the script refused its arguments (exit 2)" in blocked.reason
            assert "unrecognized arguments: --sed 0" in blocked.findings[0].message
            assert "Fix: make the command" in blocked.findings[0].message
            summary = bridge.summary()
        finally:
            bridge.close()
        next_steps = [line for line in summary.splitlines() if line.startswith("Next step:")]
        assert len(next_steps) == 1 and "`bridge run`" in next_steps[0]
        assert "approve" not in next_steps[0]

        _typo(project, "--sed {seed}", "--seed {seed}")
        assert _run(project) is Stage.COLLECTED
        records = [r for r in _records(project) if r.stream == "run:R001"]
        kinds = [type(r.event).__name__ for r in records]
        changed = kinds.index("RunSpecChanged")
        last_submit = max(i for i, k in enumerate(kinds) if k == "RunSubmitted")
        assert kinds.count("RunSubmitted") == 3 and changed < last_submit
        spec_changed = records[changed].event
        assert isinstance(spec_changed, ev.RunSpecChanged)
        (change,) = spec_changed.changes
        assert change.field == "command"
        assert "--sed {seed}" in change.old and "--seed {seed}" in change.new
        assert spec_changed.inputs["bridge.toml"]  # the digest of the input it came from
        submitted = records[last_submit].event
        assert isinstance(submitted, ev.RunSubmitted) and "--seed" in submitted.argv
        # The attempts before the fix keep the argv they ran with.
        first = next(r.event for r in records if isinstance(r.event, ev.RunSubmitted))
        assert "--sed" in first.argv

    def test_retry_failed_after_fixing_a_blocked_sanity_run_goes_on(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Sanity blocked on a typo; the researcher fixed bridge.toml and ran `bridge retry
        --failed` then `bridge run`: the retry recorded the edit without reopening, so the run
        said "still blocked: nothing bridge reads changed", and `bridge retry R001` then said it
        "has not run yet" (trial T2, 039). The retry reopens the pipeline, a second retry of the
        same run is taken as asked already, and `bridge run` runs the fixed command."""
        from bridge.cli.main import main

        project = write_project(tmp_path / "p")
        _typo(project, "--seed {seed}", "--sed {seed}")
        assert _run(project) is Stage.BLOCKED
        _typo(project, "--sed {seed}", "--seed {seed}")
        assert main(["retry", "--project", str(project), "--failed"]) == 0
        assert "will run again: R001\n" in capsys.readouterr().out
        assert _state(project).stage is Stage.PLANNED
        assert main(["retry", "--project", str(project), "R001"]) == 0
        assert "will run again: R001\n" in capsys.readouterr().out
        assert _run(project) is Stage.COLLECTED
        assert _state(project).runs["R001"].state is RunState.SUCCEEDED

    def test_a_sanity_run_that_exited_0_without_metrics_takes_the_fix(self, tmp_path: Path) -> None:
        """A command that exits 0 but writes its metrics elsewhere "succeeds" with none read:
        sanity fails. Fixed in bridge.toml, the sanity run ran again with the old command (a
        succeeded run keeps its spec) and blocked again, while bridge said it was kept as it
        ran. Now the re-run takes the fix, and nothing says it was kept."""
        project = write_runs(
            tmp_path / "p", [Run(id="R0", milestone="M0"), Run(id="R1", milestone="M1")]
        )
        _typo(project, 'outputs = ["metrics.json"]\n', "")
        _typo(project, '"{output_dir}"', '"."')
        assert _run(project) is Stage.BLOCKED
        # A fix outside what bridge reads needs the run again, and it "succeeded": --force
        # (005's R004, where `bridge retry R004` refused "R004 succeeded").
        bridge = Bridge(project)
        try:
            summary = bridge.summary()
        finally:
            bridge.close()
        assert "`bridge retry --force R0` runs it again." in summary, summary
        _typo(project, '"."', '"{output_dir}"')
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            kept = bridge.kept_settings
            run = bridge.status().runs["R0"]
        finally:
            bridge.close()
        assert run.state is RunState.SUCCEEDED and run.attempts[-1].argv[-1] != "."
        assert "R0" not in kept

    def test_a_second_try_gets_the_same_rounds_as_the_first(self, tmp_path: Path) -> None:
        """After a fix that fails differently, sanity is run again once before a rescue, as on
        the first try (the rounds count from the reopening, not from the project's start)."""
        project = write_project(tmp_path / "p")
        _typo(project, "--seed {seed}", "--sed {seed}")
        assert _run(project) is Stage.BLOCKED
        _typo(project, "--sed {seed}", "--sedd {seed}")
        assert _run(project) is Stage.BLOCKED
        state = _state(project)
        triggers = [evt.trigger for _, evt in state.stage_history]
        after = triggers[triggers.index("reopen") + 1 :]
        assert after.count("retry_sanity") == 1 and after.count("rescue") == 1
        assert state.blocked is not None and "--sedd" in state.blocked.findings[0].message

    def test_blocked_and_unchanged_stays_blocked(self, tmp_path: Path) -> None:
        """`bridge run` again with nothing changed records nothing and stays BLOCKED."""
        project = write_project(tmp_path / "p")
        _typo(project, '"python3 train.py', '"python3 trian.py')
        assert _run(project) is Stage.BLOCKED
        before = len(_records(project))
        assert _run(project) is Stage.BLOCKED
        assert len(_records(project)) == before

    def test_a_fix_outside_the_inputs_is_told_how_to_run_again(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """011's R007 failed sanity; the researcher fixed a data file the script reads, which no
        input bridge watches is, and `bridge run` as the next step said printed the same block
        again. It now says nothing changed, the next step names `bridge retry S1`, and a run
        cancelled for S1 is given S1 as its fix, not "correct the error its log shows"."""
        from bridge.cli.main import main

        project = write_runs(
            tmp_path / "p",
            [
                Run(id="S1", milestone="M0"),
                Run(id="S2", milestone="M0", depends_on=("S1",)),
                Run(id="R1", milestone="M1"),
            ],
        )
        job = project / "scripts" / "job.py"
        job.write_text(
            job.read_text().replace(
                'if args.mode == "fail":',
                'if args.run == "S1" and not pathlib.Path("data.ready").exists():\n'
                '    raise SystemExit("the dataset is not mounted")\n'
                'if args.mode == "fail":',
                1,
            )
        )
        assert _run(project) is Stage.BLOCKED
        (project / "data.ready").write_text("mounted")
        capsys.readouterr()
        assert main(["run", "--plain", "--project", str(project)]) == 3
        out = capsys.readouterr().out
        assert (
            "still blocked: nothing bridge reads (the plan, the tracker, bridge.toml, the " in out
        )
        assert (
            "  - S2: not run: dependency S1 failed. Fix: none of its own; it runs again with S1\n"
            in out
        )
        assert (
            "if the fix is outside the files bridge reads (data, a server, a disk), `bridge retry "
            "S1` runs it again." in out
        ), out
        bridge = Bridge(project)
        try:
            assert bridge.retry("S1").revived == ("S2",)
            assert bridge.run() is Stage.COLLECTED
        finally:
            bridge.close()

    def test_a_later_milestone_failing_alike_is_told_how_to_run_again(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """012's M3: R006 and R007 failed the same way, which blocks the plan; after a fix to
        their data the next step still said only "Fix it, then run `bridge run`", and that run
        said nothing changed: the loop never ended. The next step names their retry."""
        from bridge.cli.main import main

        project = write_runs(
            tmp_path / "p",
            [
                Run(id="S1", milestone="M0"),
                Run(id="R1", milestone="M1"),
                Run(id="R2", milestone="M1"),
            ],
        )
        job = project / "scripts" / "job.py"
        job.write_text(
            job.read_text().replace(
                'if args.mode == "fail":',
                'if args.run != "S1" and not pathlib.Path("data.ready").exists():\n'
                '    raise SystemExit("the dataset is not mounted")\n'
                'if args.mode == "fail":',
                1,
            )
        )
        assert _run(project) is Stage.BLOCKED
        blocked = _state(project).blocked
        assert blocked is not None and "R1, R2 failed the same way" in blocked.reason
        (project / "data.ready").write_text("mounted")
        capsys.readouterr()
        assert main(["run", "--plain", "--project", str(project)]) == 3
        out = capsys.readouterr().out
        assert (
            "if the fix is outside the files bridge reads (data, a server, a disk), `bridge retry "
            "R1 R2` runs them again." in out
        ), out
        bridge = Bridge(project)
        try:
            bridge.retry("R1", "R2")
            assert bridge.run() is Stage.COLLECTED
        finally:
            bridge.close()

    def test_creating_the_missing_script_is_the_signal(self, tmp_path: Path) -> None:
        """A command naming a script that does not exist blocks; creating it unblocks on the
        next run (the scripts the commands name are inputs too)."""
        project = write_project(tmp_path / "p")
        script = project / "train.py"
        text = script.read_text()
        script.unlink()
        assert _run(project) is Stage.BLOCKED
        script.write_text(text)
        assert _run(project) is Stage.COLLECTED

    def test_a_fix_of_the_failed_runs_script_runs_it_again(self, tmp_path: Path) -> None:
        """Trial N3: R004 failed in its script; after fixing scripts/train.py, `bridge run`
        named only the succeeded runs as kept and left R004 failed. A failed run whose script
        is fixed runs again, as after a fix in bridge.toml; the succeeded ones keep theirs."""
        project = write_runs(
            tmp_path / "p",
            [Run(id="R0", milestone="M0"), Run(id="R1", milestone="M1", mode="broken"),
             Run(id="R2", milestone="M1"), Run(id="R3", milestone="M1", depends_on=("R1",)),
             Run(id="R4", milestone="M2")],
        )  # fmt: skip
        job = project / "scripts" / "job.py"
        job.write_text(job.read_text().replace("BROKEN = False", "BROKEN = True"))
        _run(project)
        before = _state(project)
        assert before.runs["R1"].state is RunState.FAILED
        # Bridge cancelled the runs that waited for it; they run the same script (trial N4:
        # each scheduled on its own after R1 had revived them, "no transition 'retry'").
        assert before.runs["R3"].state is RunState.CANCELLED
        job.write_text(job.read_text().replace("BROKEN = True", "BROKEN = False"))
        assert _run(project) is Stage.COLLECTED
        state = _state(project)
        assert {r: state.runs[r].state for r in ("R1", "R3", "R4")} == dict.fromkeys(
            ("R1", "R3", "R4"), RunState.SUCCEEDED
        )
        assert len(state.runs["R1"].attempts) == 2
        assert len(state.runs["R2"].attempts) == 1  # succeeded: kept as it ran
        retried = [
            r.event.reason
            for r in _records(project)
            if isinstance(r.event, ev.RunRetryScheduled) and r.event.run_id == "R1"
        ]
        assert retried == ["its code changed (scripts/job.py edited)"]

    def test_a_retry_stopped_before_the_tracker_was_written_is_not_read_back(
        self, tmp_path: Path
    ) -> None:
        """Trial N4: a retry recorded, then bridge stopped before it wrote the tracker again:
        R1's row still held the FAILED bridge wrote at its attempt, and the next reload took it
        for the researcher's "failed before bridge" (`run.found_done`), so R1 never ran again.
        A run bridge has run is not settled by what its row says then."""
        project = write_runs(
            tmp_path / "p",
            [Run(id="R0", milestone="M0"), Run(id="R1", milestone="M1", mode="fail")],
        )
        _run(project)
        row = next(
            line
            for line in (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text().splitlines()
            if line.startswith("| R1 ")
        )
        assert "| FAILED |" in row
        state = _state(project)
        store = SQLiteEventStore(project / ".bridge" / "events.db")
        try:  # what `bridge retry R1` records before it writes the tracker
            retry = ev.RunRetryScheduled(run_id="R1", reason="retry asked by a person", manual=True)
            store.append("run:R1", [retry], state.runs["R1"].stream_version)
        finally:
            store.close()
        _typo(project, 'id = "R1"\nargs = { mode = "fail"', 'id = "R1"\nargs = { mode = "ok"')
        _run(project)
        state = _state(project)
        assert state.runs["R1"].state is RunState.SUCCEEDED
        assert len(state.runs["R1"].attempts) == 2
        assert not [r for r in _records(project) if isinstance(r.event, ev.RunFoundDone)]

    def test_succeeded_runs_keep_their_spec_unless_forced(self, tmp_path: Path) -> None:
        """After a change, succeeded runs keep the spec they ran with; retry --force runs one
        again with the current inputs."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        _typo(project, "--lr 0.1", "--lr 0.2")
        assert _run(project) is Stage.COLLECTED
        bridge = Bridge(project)
        try:
            state = bridge.status()
            assert "0.1" in state.runs["R002"].spec.command
            with pytest.raises(InputError, match="--force"):
                bridge.retry("R002")
            retried = bridge.retry("R002", force=True)
            assert retried.asked == ("R002",)
            assert "0.2" in bridge.status().runs["R002"].spec.command
            assert bridge.run() is Stage.COLLECTED
            run = bridge.status().runs["R002"]
        finally:
            bridge.close()
        assert run.state is RunState.SUCCEEDED
        assert len(run.attempts) == 2 and "0.2" in run.attempts[-1].argv


class TestMetricsChanged:
    def test_changed_metrics_settings_reread_collected_runs(self, tmp_path: Path) -> None:
        """A [metrics] rule added after collection is applied to every succeeded run's
        recorded outputs (with its source), without running anything again."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        toml = project / "bridge.toml"
        toml.write_text(
            toml.read_text()
            + "[[metrics.regex]]\nname = \"loss\"\npattern = 'loss=([0-9.]+)'\n"
            + 'file = "stdout.log"\n'
        )
        assert _run(project) is Stage.COLLECTED
        state = _state(project)
        for run in state.runs.values():
            assert len(run.attempts) == 1
            assert run.metrics is not None
            (loss,) = [v for v in run.metrics.values if v.name == "loss"]
            assert "stdout.log" in loss.source and loss.sha256

    def test_changed_evaluation_rejudges_without_running(self, tmp_path: Path) -> None:
        """An [evaluation] type set after collection is recorded and the results are judged
        again with it; nothing runs again."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        toml = project / "bridge.toml"
        toml.write_text(toml.read_text() + '[evaluation]\nB1 = "synthetic_proxy"\n')
        assert _run(project) is Stage.COLLECTED
        state = _state(project)
        assert state.plan is not None
        assert [b.evaluation_type for b in state.plan.blocks] == ["synthetic_proxy"]
        assert all(len(r.attempts) == 1 for r in state.runs.values())
        results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        assert "`synthetic_proxy`" in results


class TestRetry:
    def _dependant_failed(self, project: Path) -> None:
        """P1 fails, P2 (which waits on it) is cancelled by bridge, P3 succeeds."""
        write_runs(
            project,
            [
                Run(id="P1", milestone="M1", mode="fail", priority="NICE"),
                Run(id="P2", milestone="M1", depends_on=("P1",)),
                Run(id="P3", milestone="M1"),
            ],
            sanity=None,
        )
        assert _run(project) is Stage.COLLECTED

    def test_retry_takes_several_milestones(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`bridge retry --milestone M1 --milestone M2` kept only M2 (argparse kept the last
        value): each milestone given is taken. A milestone the plan lacks lists the plan's,
        without the empty id of runs of no milestone (a trailing ", "), which are named by the
        status bar's `(no milestone)` instead."""
        from bridge.cli.main import main

        write_runs(
            project,
            [
                Run(id="P1", milestone="M1", mode="fail", priority="NICE"),
                Run(id="Q1", milestone="M2", mode="fail", priority="NICE"),
                Run(id="Z1", milestone="", mode="fail", priority="NICE"),
            ],
            sanity=None,
            # Each fails as a run of its milestone, not P1 as the sanity check of the plan.
            bridge="max_parallel = 2\ncode_review = false\nsanity_first = false",
        )
        assert _run(project) is Stage.COLLECTED
        argv = ["retry", "--project", str(project), "--milestone", "m1", "--milestone", "M2"]
        assert main(argv) == 0
        assert "will run again: P1, Q1\n" in capsys.readouterr().out
        assert main(["retry", "--project", str(project), "--milestone", "M9"]) == 2
        # Z1's milestone is none: said with the name that takes it, not as an empty id.
        said = capsys.readouterr().err.rstrip()
        assert said.endswith(
            'the plan has milestones M1, M2, and runs of no milestone (--milestone "(no '
            'milestone)")'
        ), said

    def test_fixed_setting_reruns_the_failed_run_and_revives_its_dependant(
        self, project: Path
    ) -> None:
        """Fixing the failed run's arguments in bridge.toml: one `bridge run` runs it again
        with them, and the run cancelled because of it runs too."""
        self._dependant_failed(project)
        _typo(project, 'id = "P1"\nargs = { mode = "fail"', 'id = "P1"\nargs = { mode = "ok"')
        assert _run(project) is Stage.COLLECTED
        state = _state(project)
        assert {r: state.runs[r].state for r in ("P1", "P2", "P3")} == dict.fromkeys(
            ("P1", "P2", "P3"), RunState.SUCCEEDED
        )
        assert len(state.runs["P3"].attempts) == 1  # the succeeded run kept its attempt
        redeployed = [
            r.event.reason
            for r in _records(project)
            if isinstance(r.event, ev.StageEntered) and r.event.trigger == "redeploy"
        ]
        assert redeployed == ["2 runs to run again: P1, P2"]  # not "added to the plan"

    def test_retry_failed_after_fixing_the_setting_is_not_refused(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The next step says "fix the cause, then `bridge retry --failed` and `bridge run`":
        after a fix in bridge.toml the retry records the edit, which sends the failed run back
        already; it said "nothing to retry: no run ended without succeeding" with exit 2
        (trial N2, 005's R014). It names the run, exits 0, and the run runs with the fix; so does
        `--milestone` of its milestone."""
        from bridge.cli.main import main

        self._dependant_failed(project)
        _typo(project, 'id = "P1"\nargs = { mode = "fail"', 'id = "P1"\nargs = { mode = "ok"')
        assert main(["retry", "--project", str(project), "--failed"]) == 0
        out = capsys.readouterr().out
        assert "will run again: P1\nand the runs cancelled because of them: P2\n" in out
        assert _run(project) is Stage.COLLECTED
        state = _state(project)
        assert state.runs["P1"].state is RunState.SUCCEEDED
        assert state.runs["P2"].state is RunState.SUCCEEDED

    def test_retry_milestone_after_fixing_the_setting_is_not_refused(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """As above, with `--milestone M1`; a milestone the run is not in still refuses."""
        from bridge.cli.main import main

        self._dependant_failed(project)
        _typo(project, 'id = "P1"\nargs = { mode = "fail"', 'id = "P1"\nargs = { mode = "ok"')
        assert main(["retry", "--project", str(project), "--milestone", "m1"]) == 0
        assert "will run again: P1\n" in capsys.readouterr().out
        assert _run(project) is Stage.COLLECTED

    def test_retry_failed_in_the_library_after_a_fix(self, project: Path) -> None:
        """`Bridge.retry(failed=True)` (no milestone) takes the run the edit sent back."""
        self._dependant_failed(project)
        _typo(project, 'id = "P1"\nargs = { mode = "fail"', 'id = "P1"\nargs = { mode = "ok"')
        bridge = Bridge(project)
        try:
            retried = bridge.retry(failed=True)
        finally:
            bridge.close()
        assert (retried.asked, retried.revived) == (("P1",), ("P2",))

    def test_fixed_setting_reruns_the_milestones_it_stopped(self, project: Path) -> None:
        """A must-run run of M1 fails, so M2's runs are cancelled ("milestone M1 must-run P1
        ended failed"); fixing P1's arguments in bridge.toml, one `bridge run` runs P1 and
        then M2 (not only P1, leaving M2 cancelled until `bridge retry`)."""
        write_runs(
            project,
            [
                Run(id="P1", milestone="M1", mode="fail"),
                Run(id="P2", milestone="M1"),
                Run(id="Q1", milestone="M2"),
                Run(id="Q2", milestone="M2"),
            ],
            sanity=None,
            # P1 fails as a run of M1, not as the sanity check of a plan that names none.
            bridge="max_parallel = 2\ncode_review = false\nsanity_first = false",
        )
        _run(project)
        bridge = Bridge(project)
        try:
            before = bridge.status()
        finally:
            bridge.close()
        assert before.runs["Q1"].state is RunState.CANCELLED
        assert before.runs["Q1"].reason == "not run: milestone M1 must-run P1 ended failed"
        _typo(project, 'id = "P1"\nargs = { mode = "fail"', 'id = "P1"\nargs = { mode = "ok"')
        assert _run(project) is Stage.COLLECTED
        state = _state(project)
        assert {r.run_id: r.state for r in state.runs.values()} == dict.fromkeys(
            ("P1", "P2", "Q1", "Q2"), RunState.SUCCEEDED
        )
        assert [len(state.runs[r].attempts) for r in ("P1", "P2", "Q1", "Q2")] == [2, 1, 1, 1]

    def test_retry_by_id_failed_and_milestone(self, project: Path) -> None:
        """retry P1 brings back P2; --failed and --milestone select the runs that ended badly;
        succeeded runs need --force; unknown ids and milestones are refused."""
        self._dependant_failed(project)
        bridge = Bridge(project)
        try:
            with pytest.raises(UnknownRunError):
                bridge.retry("P9")
            with pytest.raises(UnknownRunError, match="M9"):
                bridge.retry(milestone="M9")
            with pytest.raises(InputError, match="name runs"):
                bridge.retry()
            with pytest.raises(InputError, match="--force"):
                bridge.retry("P3")
            assert bridge.retry("P1").all == ("P1", "P2")
            assert bridge.status().runs["P2"].state is RunState.PENDING
            assert bridge.run() is Stage.COLLECTED  # P1 fails again, P2 is cancelled again
            assert bridge.retry(failed=True).all == ("P1", "P2")
            assert bridge.run() is Stage.COLLECTED
            assert bridge.retry(milestone="M1").asked == ("P1", "P2")
            assert bridge.retry(milestone="M1", force=True).asked == ("P3",)
            state = bridge.status()
        finally:
            bridge.close()
        assert [len(state.runs[r].attempts) for r in ("P1", "P2", "P3")] == [3, 0, 1]


def test_a_fixed_command_typo_unblocks_a_plan_with_rows_done_before_bridge(
    tmp_path: Path,
) -> None:
    """029 (trial T3): a typo'd script blocked; once fixed, the rows done before bridge, never
    launched nor replanned, kept the typo and blocked the plan for good."""
    runs = [
        Run(id="S1", milestone="M0"),
        Run(id="D1", milestone="M1"),
        Run(id="R1", milestone="M1"),
    ]
    project = write_runs(tmp_path / "p", runs)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text().replace(
            "| D1 | M1 | main | main | test | accuracy | MUST | TODO |",
            "| D1 | M1 | main | main | test | accuracy | MUST | DONE |",
        )
    )
    config = project / "bridge.toml"
    config.write_text(config.read_text().replace("scripts/job.py", "scripts/jb.py"))
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.BLOCKED
    finally:
        bridge.close()
    config.write_text(config.read_text().replace("scripts/jb.py", "scripts/job.py"))
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        assert bridge.status().runs["D1"].state is RunState.DONE_BEFORE
    finally:
        bridge.close()


@pytest.mark.parametrize("broken", ["exit 1", "criterion"])
def test_a_sanity_run_forced_again_after_collection_is_checked_again(
    tmp_path: Path, broken: str
) -> None:
    """029's R001, run again with `bridge retry --force` after the plan was collected, wrote
    `ml_ok: false`: its block was judged not met while the results said "Sanity: passed" and
    nothing held the plan. A sanity run run again is checked as the first time: a failed run
    or the sanity block's criterion not met holds the plan, and its fix goes on."""
    project = write_runs(
        tmp_path / "p", [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")]
    )
    assert _run(project) is Stage.COLLECTED
    config = project / "bridge.toml"
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    fine = (config.read_text(), plan.read_text())
    if broken == "exit 1":
        config.write_text(
            fine[0].replace('id = "S1"\nargs = { mode = "ok"', 'id = "S1"\nargs = { mode = "fail"')
        )
    else:
        # The sanity block's criterion (the first one in the plan): 0.9 no longer passes its
        # second clause.
        plan.write_text(fine[1].replace("accuracy > 0.5", "accuracy > 0.5 and accuracy < 0.8", 1))
    assert fine != (config.read_text(), plan.read_text())
    bridge = Bridge(project)
    try:
        bridge.retry("S1", force=True)
        assert bridge.run() is Stage.BLOCKED
        state = bridge.status()
    finally:
        bridge.close()
    assert not state.sanity_checks[-1].passed
    assert len(state.runs["R1"].attempts) == 1  # nothing after the sanity milestone ran again
    reason = state.sanity_checks[-1].detail
    if broken == "exit 1":
        assert reason.startswith("S1: ") and "`bridge retry S1`" in reason, reason
    else:
        assert (
            "own success criterion is not met" in reason and "`bridge retry --force S1`" in reason
        )
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert "**Sanity: passed**" not in results
    # The fix: the inputs as they were, the run forced again, and the plan goes on.
    config.write_text(fine[0])
    plan.write_text(fine[1])
    bridge = Bridge(project)
    try:
        bridge.retry("S1", force=True)
        assert bridge.run() is Stage.COLLECTED
        assert bridge.status().sanity_checks[-1].passed
    finally:
        bridge.close()
