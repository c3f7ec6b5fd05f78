"""
``Bridge.advance()`` through every stage: review with fixes, sanity with rescue, the approval
checkpoint, BASE_REPO, and configuration errors — with real processes, a real loopback HTTP
reviewer and a real executable fake coding agent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bridge.errors import ConfigError
from bridge.events.store import SQLiteEventStore
from bridge.events.types import OutputWritten, RunSubmitted
from bridge.machine.stages import RunState, Stage
from bridge.pipeline import Bridge
from bridge.projections.summary import handoff_summary
from tests.adapters.review.conftest import ScriptedOpenAI
from tests.pipeline.conftest import Run, executions, write_project

SANITY_AND_MAIN = [
    Run(id="S1", milestone="M0", system="sanity"),
    Run(id="R1", milestone="M1"),
    Run(id="R2", milestone="M1"),
]

# A coding agent that fixes the script only when told what the run raised: it fails to fix
# the first sanity failure and fixes it once the rescue diagnosis names the exception.
FIXING_AGENT = """\
import pathlib, sys
prompt = pathlib.Path(sys.argv[1]).read_text()
pathlib.Path("agent_calls.txt").open("a").write("call\\n")
if "{trigger}" in prompt:
    job = pathlib.Path("scripts/job.py")
    job.write_text(job.read_text().replace("BROKEN = True", "BROKEN = False"))
    print("fixed the script")
else:
    print("nothing to change")
"""


def _agent(tmp_path: Path, trigger: str) -> str:
    path = tmp_path / "agent.py"
    path.write_text(FIXING_AGENT.replace("{trigger}", trigger))
    argv = f'["{sys.executable}", "{path}", "{{prompt_file}}"]'
    return f'[implementer]\nkind = "agent"\ncommand = {argv}\n'


def _break(project: Path) -> None:
    job = project / "scripts" / "job.py"
    job.write_text(job.read_text().replace("BROKEN = False", "BROKEN = True"))


def _stages(bridge: Bridge, limit: int = 30) -> list[tuple[Stage, Stage]]:
    steps = []
    for _ in range(limit):
        step = bridge.advance()
        steps.append((step.before, step.after))
        if step.after in (Stage.COLLECTED, Stage.BLOCKED, Stage.AWAITING_APPROVAL):
            return steps
    pytest.fail(f"no end after {limit} advances: {steps}")


class TestLifecycle:
    def test_planned_to_collected_through_advance_only(self, project: Path) -> None:
        """Repeated advance() calls walk every stage once, each step one transition."""
        write_project(project, SANITY_AND_MAIN, bridge="max_parallel = 2")
        bridge = Bridge(project)
        try:
            steps = _stages(bridge)
            state = bridge.status()
        finally:
            bridge.close()
        assert [after for _, after in steps] == [
            Stage.IMPLEMENTED,
            Stage.REVIEWED,
            Stage.SANITY_OK,
            Stage.DEPLOYED,
            Stage.COLLECTED,
        ]
        assert all(b is not a for b, a in steps)
        assert {r.state for r in state.runs.values()} == {RunState.SUCCEEDED}
        assert state.reviews[-1].local_only  # no [reviewer]: the local checklist, marked so

    def test_auto_deploy_off_waits_for_approval(self, project: Path) -> None:
        """With auto_deploy = false nothing runs until approve(); then it finishes."""
        write_project(project, SANITY_AND_MAIN, bridge="auto_deploy = false\ncode_review = false")
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.AWAITING_APPROVAL
            assert executions(project) == {}
            assert bridge.run() is Stage.AWAITING_APPROVAL  # still waiting, nothing launched
            summary = bridge.status().approval
            assert summary is not None and "M1" in summary.summary
            bridge.approve(by="tester")
            assert bridge.run() is Stage.COLLECTED
        finally:
            bridge.close()
        assert sorted(executions(project)) == ["R1", "R2", "S1"]


def _rendered_at(project: Path) -> list[str]:
    """The stage of each projection write the log records, in order."""
    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        return [r.event.stage for r in store.read() if isinstance(r.event, OutputWritten)]
    finally:
        store.close()


class TestProjectionsAtStages:
    def test_stages_passed_straight_through_are_rendered_once(self, project: Path) -> None:
        """
        Implemented, reviewed and sanity-passed follow one another without a wait: the
        projections are rendered when the runs start (deployed) and at the end, not per stage.
        """
        # With no sanity check at all (a plan naming none runs its first run alone first).
        write_project(
            project,
            [Run(id="R1", milestone="M1")],
            sanity=None,
            bridge="max_parallel = 2\ncode_review = false\nsanity_first = false",
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
        finally:
            bridge.close()
        stages = _rendered_at(project)
        assert {"DEPLOYED", "COLLECTED"} <= set(stages)
        assert not {"IMPLEMENTED", "REVIEWED", "SANITY_OK"} & set(stages), stages

    def test_a_new_plan_is_first_rendered_once_its_runs_started(self, project: Path) -> None:
        """
        The default implementer and the local checklist (code review on) answer at once:
        nothing is rendered before the first launch, and the end of the run writes each
        projection once, as its version (judging with no reviewer able to judge renders
        nothing first).
        """
        write_project(project, [Run(id="R1", milestone="M1")], sanity=None, bridge="")
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            assert bridge.status().reviews[-1].reviewer == "checklist"
        finally:
            bridge.close()
        store = SQLiteEventStore(project / ".bridge" / "events.db")
        try:
            records = list(store.read())
        finally:
            store.close()
        first_write = next(r.seq for r in records if isinstance(r.event, OutputWritten))
        first_launch = next(r.seq for r in records if isinstance(r.event, RunSubmitted))
        assert first_launch < first_write
        at_end = [
            r.event for r in records if isinstance(r.event, OutputWritten)
            and r.event.stage == "COLLECTED"
        ]  # fmt: skip
        assert at_end and all(out.copy for out in at_end), at_end

    def test_a_reviewer_that_may_take_minutes_is_asked_with_the_stage_shown(
        self,
        project: Path,
        openai_server: ScriptedOpenAI,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """A model reviewer may take minutes: IMPLEMENTED is rendered before it is asked."""
        monkeypatch.setenv("BRIDGE_TEST_REVIEW_KEY", "k-123")
        openai_server.script = [("reply", "VERDICT: APPROVE")]
        write_project(
            project,
            [Run(id="R1", milestone="M1")],
            sanity=None,
            bridge="",
            extra=TestReviewRounds.config(openai_server),
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
        finally:
            bridge.close()
        assert _rendered_at(project)[0] == "IMPLEMENTED"

    def test_a_stage_entered_by_a_persons_command_is_shown_when_it_returns(
        self, project: Path
    ) -> None:
        """approve() enters a stage and returns: the files show that stage already."""
        write_project(project, SANITY_AND_MAIN, bridge="auto_deploy = false\ncode_review = false")
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.AWAITING_APPROVAL
            bridge.approve(by="tester")
            stage = bridge.status().stage
        finally:
            bridge.close()
        assert stage is not Stage.AWAITING_APPROVAL
        assert _rendered_at(project)[-1] == stage.value


class TestSanityRescue:
    def test_same_failure_twice_goes_to_rescue_and_the_agent_fix_succeeds(
        self, tmp_path: Path, project: Path
    ) -> None:
        """Sanity failing twice alike → RESCUE → the agent applies the diagnosis → COLLECTED."""
        runs = [Run(id="S1", milestone="M0", system="sanity", mode="broken"), *SANITY_AND_MAIN[1:]]
        write_project(project, runs, extra=_agent(tmp_path, "the run raised KeyError"))
        _break(project)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        visited = [evt.stage for _, evt in state.stage_history]
        assert visited.count("SANITY_FAILED") == 2 and "RESCUE" in visited
        assert visited.index("RESCUE") < visited.index("SANITY_OK")
        assert len(state.rescues) == 1 and "KeyError" in state.rescues[0].findings[0].message
        assert "BROKEN = False" in (project / "scripts" / "job.py").read_text()
        assert "scripts/job.py" in state.implementations[-1].changed_files
        # Its files counted in words ("2 file(s) implemented by …" before).
        assert "Scripts: 2 files implemented by agent." in handoff_summary(state)
        assert len(executions(project)["S1"]) == 3  # two failures and the fixed run
        assert all(len(executions(project)[r]) == 1 for r in ("R1", "R2"))

    def test_checklist_without_fixer_blocks_with_the_diagnosis(self, project: Path) -> None:
        """With the local checklist and no implementer able to fix, repeated failure → BLOCKED."""
        runs = [Run(id="S1", milestone="M0", system="sanity", mode="broken"), *SANITY_AND_MAIN[1:]]
        write_project(project, runs)
        _break(project)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.BLOCKED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.blocked is not None and "KeyError" in state.blocked.reason
        assert "RESCUE" in [evt.stage for _, evt in state.stage_history]
        assert sorted(executions(project)) == ["S1"]  # never deployed on a failed sanity


class TestReviewRounds:
    @staticmethod
    def config(server: ScriptedOpenAI) -> str:
        return (
            f'[reviewer]\nkind = "openai"\nbase_url = "{server.base_url}"\nmodel = "m"\n'
            'api_key_env = "BRIDGE_TEST_REVIEW_KEY"\n'
        )

    def test_blocking_review_fixed_then_passed(
        self,
        tmp_path: Path,
        project: Path,
        openai_server: ScriptedOpenAI,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """A BLOCKING review goes to the agent once; the re-review approves; runs deploy."""
        monkeypatch.setenv("BRIDGE_TEST_REVIEW_KEY", "k-123")
        openai_server.script = [
            ("reply", "VERDICT: CHANGES_REQUIRED\nBLOCKING: scripts/job.py:3 - BROKEN is set"),
            ("reply", "VERDICT: APPROVE"),
        ]
        write_project(
            project,
            SANITY_AND_MAIN,
            bridge="max_parallel = 2",
            extra=self.config(openai_server) + _agent(tmp_path, "BROKEN is set"),
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert len(openai_server.requests) == 2
        assert [r.round for r in state.reviews] == [1, 2]
        assert (project / "agent_calls.txt").read_text().count("call") == 2  # implement + fix
        assert "k-123" not in (project / ".bridge" / "events.db").read_bytes().decode(
            errors="ignore"
        )

    def test_blocking_twice_is_blocked(
        self,
        tmp_path: Path,
        project: Path,
        openai_server: ScriptedOpenAI,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """A review still BLOCKING after the fix round stops at BLOCKED before any run."""
        monkeypatch.setenv("BRIDGE_TEST_REVIEW_KEY", "k-123")
        openai_server.script = [
            ("reply", "VERDICT: CHANGES_REQUIRED\nBLOCKING: scripts/job.py:3 - split leaks"),
        ]
        write_project(
            project,
            SANITY_AND_MAIN,
            bridge="max_parallel = 2",
            extra=self.config(openai_server) + _agent(tmp_path, "never matches"),
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.BLOCKED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.blocked is not None and "split leaks" in state.blocked.reason
        # Counted in words: it read "1 blocking issue(s)" (session 38).
        assert state.blocked.reason.startswith("code review found 1 blocking issue: ")
        assert len(openai_server.requests) == 2
        assert executions(project) == {}


class TestBaseRepo:
    def test_base_repo_is_cloned_from_a_file_url(self, tmp_path: Path, project: Path) -> None:
        """base_repo over file:// is cloned into base_repo/ and its commit recorded."""
        origin = tmp_path / "origin"
        origin.mkdir()
        (origin / "model.py").write_text("WIDTH = 4\n")
        git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid"]
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"]):
            subprocess.run([*git, *args], cwd=origin, check=True, capture_output=True)
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=origin, check=True, capture_output=True, text=True
        ).stdout.strip()
        write_project(
            project,
            SANITY_AND_MAIN,
            bridge=f'code_review = false\nbase_repo = "file://{origin}"',
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.base_repo is not None and state.base_repo.commit == head
        assert (project / "base_repo" / "model.py").read_text() == "WIDTH = 4\n"


class TestConfigErrors:
    @pytest.mark.parametrize(
        ("extra", "bridge_lines", "setting"),
        [
            ('[reviewer]\nkind = "openai"\nmodel = "m"\n', "", "reviewer.base_url"),
            ('[implementer]\nkind = "agent"\n', "", "implementer.command"),
            ("", 'backend = "ssh"', "backends.ssh"),
        ],
    )
    def test_asked_for_and_not_configured(
        self, project: Path, extra: str, bridge_lines: str, setting: str
    ) -> None:
        """A reviewer, implementer or backend asked for but not configured names its setting."""
        write_project(project, SANITY_AND_MAIN, bridge=bridge_lines, extra=extra)
        bridge = Bridge(project)
        try:
            with pytest.raises(ConfigError) as caught:
                bridge.run()
        finally:
            bridge.close()
        assert setting in str(caught.value) or caught.value.setting == setting
        assert executions(project) == {}


class TestReviewerUnavailable:
    def _config(self, on_unavailable: str) -> str:
        import socket

        with socket.socket() as sock:  # a loopback port nothing listens on
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        return (
            f'[reviewer]\nkind = "openai"\nbase_url = "http://127.0.0.1:{port}/v1"\n'
            f'model = "m"\nmax_retries = 0\non_unavailable = "{on_unavailable}"\n'
        )

    def test_unreachable_reviewer_falls_back_to_the_local_checklist_loudly(
        self, project: Path
    ) -> None:
        """The workflow's rule: the checklist reviews instead, and the review, the results
        and the summary say [local-only] with the reason; the runs go on."""
        write_project(
            project, SANITY_AND_MAIN, bridge="max_parallel = 2", extra=self._config("local-only")
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
            summary = bridge.summary()
        finally:
            bridge.close()
        review = state.reviews[-1]
        assert review.local_only and review.reviewer == "checklist"
        assert review.unavailable.startswith("openai")
        code_review = (project / "refine-logs" / "EXPERIMENT_CODE_REVIEW.md").read_text()
        results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        for text in (code_review, results, summary):
            assert "[local-only] The configured reviewer could not be reached (openai" in text
        assert sorted(executions(project)) == ["R1", "R2", "S1"]

    def test_on_unavailable_block_stops_before_any_run(self, project: Path) -> None:
        """on_unavailable = "block" keeps the old behaviour: BLOCKED, nothing launched."""
        write_project(
            project, SANITY_AND_MAIN, bridge="max_parallel = 2", extra=self._config("block")
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.BLOCKED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.blocked is not None and "code review failed" in state.blocked.reason
        assert executions(project) == {}
