"""
Automatic retries carried out by the dispatcher (not only decided by the scheduler), and
pending runs left alone by the phase that does not own them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bridge import Bridge, Stage
from bridge.errors import InputError
from bridge.events import types as ev
from bridge.events.store import InMemoryEventStore, SQLiteEventStore
from bridge.machine.fold import fold
from bridge.machine.stages import RunState
from bridge.pipeline.dispatch import IDLE_TURN_SECONDS, wait_seconds
from bridge.pipeline.retries import net_changes
from tests.conftest import needs_shared
from tests.pipeline.conftest import Run, executions, write_project


class TestAutomaticRetry:
    def test_a_failure_is_retried_up_to_max_retries(self, project: Path) -> None:
        """With max_retries = 1 a run that fails once runs again and succeeds."""
        write_project(
            project,
            [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1", mode="flaky")],
            run="max_retries = 1",
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.runs["R1"].state is RunState.SUCCEEDED
        assert len(state.runs["R1"].attempts) == 2
        assert len(executions(project)["R1"]) == 2
        # Retried at once: nothing else to wait for (the loop waited its idle turn, 5 s, first).
        first, second = state.runs["R1"].attempts
        assert first.finished_at is not None
        assert (second.submitted_at - first.finished_at).total_seconds() < 3, state.runs["R1"]
        assert state.runs["R1"].reasons[-1] == "failed; retry 1 of 1"

    def test_a_launch_that_keeps_failing_is_retried_after_a_growing_wait(
        self, project: Path
    ) -> None:
        """A launch the backend refuses (here: its working directory is gone) is retried after
        launch_backoff_seconds, doubling per failure in a row, and only max_retries times: no
        tight loop of launches. Before, the last run's failed launch was not retried at all
        (the phase ended first) and another's was spaced by the loop's 5-s idle turn."""
        write_project(
            project,
            [Run(id="R1", milestone="M1")],
            sanity=None,
            bridge="max_parallel = 2\ncode_review = false\nsanity_first = false",
            run='cwd = "gone"\nmax_retries = 3\nlaunch_backoff_seconds = 0.1',
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            run = bridge.status().runs["R1"]
        finally:
            bridge.close()
        assert run.state is RunState.FAILED
        assert run.reason.startswith("launch failed: working directory ")
        assert run.reasons[1:] == (
            "launch failed; retry 1 of 3 after 0.1s",
            "launch failed; retry 2 of 3 after 0.2s",
            "launch failed; retry 3 of 3 after 0.4s",
        )
        assert [a.started_at for a in run.attempts] == [None] * 4
        gaps = [
            (b.submitted_at - a.finished_at).total_seconds()  # type: ignore[operator]
            for a, b in zip(run.attempts, run.attempts[1:], strict=False)
        ]
        # Each retry waits its delay from the failure, and not much longer.
        assert all(d <= g < d + 3 for g, d in zip(gaps, (0.1, 0.2, 0.4), strict=True)), gaps
        assert "R1" not in executions(project)

    def test_without_retries_the_failure_stands(self, project: Path) -> None:
        """With the default max_retries = 0 the same run fails once and stays failed."""
        write_project(
            project, [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1", mode="flaky")]
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.runs["R1"].state is RunState.FAILED
        assert len(executions(project)["R1"]) == 1


class TestWaits:
    def test_a_retry_delay_is_waited_out_and_a_passed_one_wakes_nothing(self) -> None:
        """A round that changed nothing waits until the soonest retry delay still ahead (never
        more than the idle turn); one already passed, its run waiting for a slot, made the
        loop poll every 50 ms."""
        t0 = datetime(2026, 1, 1, tzinfo=UTC)
        store = InMemoryEventStore()
        store.append(
            "bridge", [ev.PlanLoaded(title="t", plan_path="p", plan_sha256="0" * 64)], None
        )

        def retried(run_id: str, seconds: float) -> None:
            aid = f"{run_id}-a1"
            store.append(
                f"run:{run_id}",
                [
                    ev.RunPlanned(run_id=run_id, milestone="M1"),
                    ev.RunSubmitted(run_id=run_id, attempt_id=aid, attempt=1, backend="x"),
                    ev.RunFailed(run_id=run_id, attempt_id=aid, reason="launch failed: down"),
                    ev.RunRetryScheduled(
                        run_id=run_id, reason="r", not_before=t0 + timedelta(seconds=seconds)
                    ),
                ],
                None,
            )

        retried("R1", -1.0)
        assert wait_seconds(fold(store.read()), t0) == IDLE_TURN_SECONDS == 5.0
        retried("R2", 2.5)
        assert wait_seconds(fold(store.read()), t0) == 2.5
        assert wait_seconds(fold(store.read()), t0 + timedelta(seconds=2)) == 0.5


class TestSanityPhaseLeavesTheRestAlone:
    def test_a_failed_then_passing_sanity_still_runs_the_plan(self, project: Path) -> None:
        """A sanity run that fails once and passes on the re-run leaves every later run to run."""
        runs = [
            Run(id="S1", milestone="M0", mode="flaky"),
            Run(id="R1", milestone="M1"),
            Run(id="R2", milestone="M1"),
        ]
        write_project(project, runs)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert {r.run_id: r.state for r in state.runs.values()} == {
            "S1": RunState.SUCCEEDED,
            "R1": RunState.SUCCEEDED,
            "R2": RunState.SUCCEEDED,
        }


class TestRetrySanityRunLater:
    def test_a_sanity_run_retried_after_collection_runs_again(self, project: Path) -> None:
        """`bridge retry --force S1` at COLLECTED: the next run executes S1 once more (through
        the sanity phase, the deploy phase never launches sanity runs) and ends collected."""
        write_project(
            project,
            [Run(id="S1", milestone="M0", system="sanity"), Run(id="R1", milestone="M1")],
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            bridge.retry("S1", force=True)
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert [len(executions(project)[r]) for r in ("S1", "R1")] == [2, 1]
        assert state.runs["S1"].state is RunState.SUCCEEDED


class TestRetryRequests:
    def test_a_milestone_typed_in_lower_case_and_refusals_in_words(self, project: Path) -> None:
        """`--milestone m1` is M1, as run ids are matched; a refusal says "succeeded", not the
        log's state names."""
        write_project(project, [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")])
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            retried = bridge.retry(milestone="m1", force=True)
            assert retried.asked == ("R1",)
            with pytest.raises(InputError) as refused:
                bridge.retry("S1")
        finally:
            bridge.close()
        assert "S1 succeeded; only runs that ended without succeeding" in str(refused.value)
        assert "(add --force to run a succeeded run again)" in str(refused.value)


class TestRetryOfRunsOfNoMilestone:
    def test_the_name_the_status_bar_shows_takes_the_runs_of_no_milestone(
        self, project: Path
    ) -> None:
        """`bridge status` names the bar of runs the plan places in no milestone `(no
        milestone)` (`（无里程碑）` in Chinese): `--milestone "(no milestone)"` takes them, and a
        name that is no milestone says such runs are there and how to take them."""
        write_project(project, [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")])
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        tracker.write_text(
            tracker.read_text().rstrip("\n")
            + "\n| X1 |  | main | main | test | accuracy | MUST | TODO | seed 0 |\n"
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            assert bridge.retry(milestone="(no milestone)", force=True).asked == ("X1",)
            assert bridge.run() is Stage.COLLECTED
            assert bridge.retry(milestone="（无里程碑）", force=True).asked == ("X1",)
            with pytest.raises(InputError) as unknown:
                bridge.retry(milestone="M9")
        finally:
            bridge.close()
        assert str(unknown.value) == (
            "--milestone M9: the plan has milestones M0, M1, and runs of no milestone "
            '(--milestone "(no milestone)")'
        )

    @needs_shared
    def test_a_plan_without_milestones_says_so_and_how_to_choose_runs(self, tmp_path: Path) -> None:
        """032 places its runs in no milestone: `bridge retry --force --milestone "(no
        milestone)"`, the name its status bar shows, answered "--milestone (no milestone): the
        plan has milestones " (an empty list, no way on). It takes every run; another name
        says the plan has none and how to choose runs."""
        from tests.plan.corpus import as_project

        project = as_project("032", tmp_path / "p")
        (project / "bridge.toml").write_text(
            '[bridge]\ncode_review = false\n\n[run]\ncommand = ["true", "{run_id}"]\n'
        )
        bridge = Bridge(project)
        try:
            bridge.run()
            with pytest.raises(InputError) as unknown:
                bridge.retry(milestone="M1", force=True)
            retried = bridge.retry(milestone="(no milestone)", force=True)
            every = [r.run_id for r in bridge.status().runs.values() if not r.is_task]
        finally:
            bridge.close()
        assert str(unknown.value) == (
            "--milestone M1: the plan has no milestones: name the runs (`bridge retry E01 "
            'E02-s0`), or use --failed; --milestone "(no milestone)" takes all its runs'
        )
        assert set(retried.asked) <= set(every) and "E01" in retried.asked


class TestAFailedRowOfAStoppedPlan:
    @needs_shared
    def test_014s_next_step_works_when_followed(self, tmp_path: Path) -> None:
        """014's Status line says STOPPED_R002_GEOMETRY_FAIL. Its R002 row says
        COMPLETE_FAIL_HARD_STOP: a complete search whose gate came out negative (the plan's
        Execution verdict), which the next step offered to run again (trial h39C F2); it is
        done, with a negative result. With R002 set FAILED (a row that failed before bridge):
        the next step said "run them under bridge with `bridge retry R002` and `bridge run`",
        and that `bridge run` stopped at BLOCKED on the Status line, which the step never
        named: it comes first now. A bridge.toml without `[run] args` then had the retry
        refused ("placeholder {seed} … has no value … set it in … [run] args"), and still
        refused once args was written: the retry took the spec recorded before it."""
        import sys

        from bridge.projections.summary import handoff_summary
        from tests.plan.corpus import as_project

        project = as_project("014", tmp_path / "p")
        (project / "job.py").write_text(
            "import pathlib, sys\n"
            "pathlib.Path(sys.argv[-1], 'metrics.json').write_text('{\"tcig\": 0.1}')\n"
        )
        config = project / "bridge.toml"
        command = f'command = ["{sys.executable}", "job.py", "{{seed}}", "{{output_dir}}"]\n'
        config.write_text(f"[bridge]\ncode_review = false\n[run]\n{command}")
        results = project / "refine-logs" / "EXPERIMENT_RESULTS.md"
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            summary = handoff_summary(bridge.status())
        finally:
            bridge.close()
        # R002's negative result is said beside the count, as the stage line says it: "2/2"
        # alone read as two runs that went as planned.
        assert (
            "Must-run completed: 2/2 (R002 done before bridge with a negative result; 7 more "
            "are blocked in the tracker, not counted: R003, R004, R005, R006, R007, R010, R011)"
            in " ".join(summary.split())
        ), summary
        # R008, R009 (CONDITIONAL, so nice-to-have) are NOT_RUN_R002_FAIL: "nice-to-have
        # completed: 0/0" said nothing of them, as the must-run count does of its own.
        assert (
            "nice-to-have completed: 0/0 (2 more are blocked in the tracker, not counted: R008, "
            "R009)." in " ".join(summary.split())
        ), summary
        written = results.read_text()
        assert (
            "- R002 — done before bridge: COMPLETE_FAIL_HARD_STOP (a negative result, not a "
            "failed run) — complete search"
        ) in written
        assert "bridge retry R002" not in written
        # The plan stopped on R002's negative result: the step names both, not "resolve the
        # reasons each block's verdict gives" or main_milestone, which launch nothing while its
        # Status says so; the stage line's "2 done before bridge" says which was negative.
        assert written.split("## Next step\n\n", 1)[1].startswith(
            "The plan's Status line says 'STOPPED_R002_GEOMETRY_FAIL': bridge launches none of "
            "its runs while it says so; the tracker records R002 (COMPLETE_FAIL_HARD_STOP) as a "
            "negative result of a completed run. If the plan stops here, EXPERIMENT_RESULTS.md "
            "is its record; to go on, change the plan's Status line; the tracker says must-run "
            "rows are blocked (R003, R004, R005, R006, R007, R010, R011): once unblocked, set "
            "their Status to TODO; then run `bridge run`. Ablation planning skipped"
        )
        store = SQLiteEventStore(project / ".bridge" / "events.db")
        try:
            reasons = [r.event.reason for r in store.read() if isinstance(r.event, ev.StageEntered)]
        finally:
            store.close()
        assert reasons[-1] == (
            "2/2 must-run runs completed: 0 succeeded, 2 done before bridge (R002 with a "
            "negative result)"
        )
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        tracker.write_text(tracker.read_text().replace("| COMPLETE_FAIL_HARD_STOP |", "| FAILED |"))
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
        finally:
            bridge.close()
        step = results.read_text().split("## Next step\n\n", 1)[1]
        assert step.startswith(
            "The tracker says must-run runs failed before bridge (R002): run them under bridge: "
            "change the plan's Status line ('STOPPED_R002_GEOMETRY_FAIL': bridge launches none "
            "of its runs while it says so), then `bridge retry R002` and `bridge run`"
        ), step
        plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        plan.write_text(plan.read_text().replace("STOPPED_R002_GEOMETRY_FAIL", "ACTIVE", 1))
        # As the refusal said ("set it in … [run] args"): a value there, then the retry.
        config.write_text(f'{config.read_text()}args = {{ seed = "0" }}\n')
        bridge = Bridge(project)
        try:
            assert bridge.retry("R002").asked == ("R002",)
            assert bridge.run() is Stage.COLLECTED
            assert bridge.status().runs["R002"].state is RunState.SUCCEEDED
        finally:
            bridge.close()
        step = results.read_text().split("## Next step\n\n", 1)[1]
        assert "change the plan's Status line" not in step
        # With the Status changed, the step asks for the main milestone (h40J: it is not named
        # while the plan says it is stopped, so it must come once the plan goes on).
        assert step.startswith(
            'No main milestone was recognised in the plan: name it with main_milestone = "…" '
            "in bridge.toml [bridge] (milestones: M1, M2, M3, M4, M6), then run "
            "`bridge run`."
        ), step
        # Named, the main result waits on the rows the tracker still says are blocked: the step
        # says to set them TODO, as the stopped plan's did, not only "resolve the reasons …".
        config.write_text(
            config.read_text().replace("[bridge]\n", '[bridge]\nmain_milestone = "M6"\n')
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
        finally:
            bridge.close()
        step = results.read_text().split("## Next step\n\n", 1)[1]
        assert step.startswith(
            "The main result is inconclusive: the tracker says must-run rows are blocked (R003, "
            "R004, R005, R006, R007, R010, R011): once unblocked, set their Status to TODO, then "
            "run `bridge run`; resolve the other reasons each block's verdict gives above"
        ), step

    @needs_shared
    def test_014s_plan_view_names_the_status_line_beside_the_retry(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`bridge plan` on 014 said "held by a failed row: … `bridge retry R002` runs it again"
        and nothing of the Status line that keeps the retried run from launching. R002 as
        written (COMPLETE_FAIL_HARD_STOP, a completed run's negative result) holds nothing, nor
        do the rows not run for it (NOT_RUN_R002_FAIL); set FAILED, it holds the later
        milestones."""
        from bridge.cli.main import main
        from tests.plan.corpus import as_project

        project = as_project("014", tmp_path / "p")
        assert main(["plan", "--project", str(project)]) == 0
        assert "held by a failed row" not in capsys.readouterr().out
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        tracker.write_text(tracker.read_text().replace("| COMPLETE_FAIL_HARD_STOP |", "| FAILED |"))
        assert main(["plan", "--project", str(project)]) == 0
        out = " ".join(capsys.readouterr().out.split())
        assert (
            "`bridge retry R002` runs it again (and brings them back), or set its row to DONE if "
            "the plan may go on (first change the plan's Status line, "
            "'STOPPED_R002_GEOMETRY_FAIL': bridge launches none of its runs while it says so)"
        ) in out, out


class TestRetryRefusalOfUntrustedNumbers:
    def test_a_succeeded_run_with_a_nan_is_refused_with_its_force_retry(
        self, project: Path
    ) -> None:
        """004's R302 wrote TPR = NaN: `bridge retry R302` answered only "R302 succeeded", where
        the results call its numbers not trusted. The refusal says so and names the command."""
        write_project(
            project, [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1", mode="nan")]
        )
        bridge = Bridge(project)
        try:
            bridge.run()
            assert bridge.status().runs["R1"].state is RunState.SUCCEEDED
            with pytest.raises(InputError) as refused:
                bridge.retry("R1")
            # Named with a run that simply succeeded, both hints are given (review).
            with pytest.raises(InputError) as both:
                bridge.retry("R1", "S1")
        finally:
            bridge.close()
        assert str(refused.value) == (
            "cannot retry: R1 succeeded, but its numbers are not trusted (non_finite); only runs "
            "that ended without succeeding can be retried: `bridge retry --force R1` runs it again"
        )
        assert str(both.value).endswith(
            "only runs that ended without succeeding can be retried (add --force to run a "
            "succeeded run again): `bridge retry --force R1` runs it again"
        ), str(both.value)


class TestRefusalsInChinese:
    def test_retry_cancel_and_approve_refuse_in_the_plans_language(self, project: Path) -> None:
        """021 (a Chinese plan): `bridge retry R008` answered "cannot retry: R008 succeeded…",
        `bridge cancel R008` "run R008 already ended…", beside Chinese output elsewhere."""
        write_project(
            project,
            [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1", mode="nan")],
            bridge='max_parallel = 2\ncode_review = false\nlanguage = "zh"',
        )
        bridge = Bridge(project)
        said: list[str] = []
        try:
            bridge.run()
            asks: list[Callable[[], object]] = [
                lambda: bridge.retry("S1"),
                lambda: bridge.retry("R1"),
                lambda: bridge.retry(),
                lambda: bridge.retry(failed=True),
                lambda: bridge.cancel("S1"),
                bridge.approve,
            ]
            for ask in asks:
                with pytest.raises(InputError) as refused:
                    ask()
                said.append(str(refused.value))
        finally:
            bridge.close()
        assert said == [
            "无法重试：S1 已成功；只有未成功结束的运行可以重试"
            "（加 --force 可再次运行已成功的运行）",
            "无法重试：R1 已成功，但其数值不可信（non_finite）；只有未成功结束的运行可以重试："
            "`bridge retry --force R1` 会再次运行它",
            "bridge retry：请指明要重试的运行（如 R003 R004），或用 --failed、--milestone M2",
            "没有可重试的运行：没有在 bridge 下未成功结束的运行"
            "（加 --force 可再次运行已成功的运行）",
            "运行 S1 已结束（succeeded）；没有可取消的",
            "没有需要批准的：流水线处于 COLLECTED",
        ]


def test_a_field_edited_twice_before_a_launch_is_said_once() -> None:
    """020's R032, cancelled after `--bogus` was added to its command, then fixed: `bridge retry
    --failed` said "command: … --seed {seed} … → … --bogus …；command: … {run_id} --bogus … →
    … {run_id} …", two edits chained, the first never run (h42G F13). Net per field, and a
    field set back as it was is no change."""
    first, second = "fake.py --seed {seed}", "fake.py --bogus"
    net = net_changes(
        [
            ev.SpecChange(field="command", old=first, new=second),
            ev.SpecChange(field="gpus", old="0", new="1"),
            ev.SpecChange(field="command", old=second, new="fake.py"),
            ev.SpecChange(field="gpus", old="1", new="0"),
        ]
    )
    assert [(c.field, c.old, c.new) for c in net] == [("command", first, "fake.py")]
