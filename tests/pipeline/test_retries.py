"""
Automatic retries carried out by the dispatcher (not only decided by the scheduler), and
pending runs left alone by the phase that does not own them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge import Bridge, Stage
from bridge.errors import InputError
from bridge.machine.stages import RunState
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
