"""
Ablation planning after a positive main result: proposals recorded, approved, then run.
"""

from __future__ import annotations

import json
import shutil
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from bridge import Bridge, Stage
from bridge.adapters.ablation import AgentCLIAblationPlanner, parse_proposals
from bridge.errors import ReviewError
from bridge.events.store import InMemoryEventStore
from bridge.machine.ports import AblationRequest, JobSpec, ProposedRun
from bridge.machine.stages import RunState
from bridge.plan import load_project
from bridge.plan.plan_section import BEGIN, END, researchers_part
from bridge.testing import FakeBackend, FakeOutcome
from tests.pipeline.conftest import events_of

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "quickstart"
ACCURACY = {"majority": 0.3333, "perceptron": 0.85, "logreg": 0.95}


def _outcome(spec: JobSpec) -> FakeOutcome:
    """Metrics as the quickstart's scripts would write them, by model."""
    model = spec.argv[spec.argv.index("--model") + 1]
    accuracy = ACCURACY[model]
    history = "epoch,loss,accuracy\n" + "".join(
        f"{e},{1.0 / e:.4f},{accuracy}\n" for e in range(1, 11)
    )
    metrics = {"accuracy": accuracy, "macro_f1": accuracy, "train_loss": 0.1}
    return FakeOutcome(outputs={"metrics.json": json.dumps(metrics), "history.csv": history})


class PetalPlanner:
    """A real planner: proposes two more seeds of the petal-only ablation, and remembers asks."""

    name = "petal"

    def __init__(self) -> None:
        self.requests: list[AblationRequest] = []

    def propose(self, request: AblationRequest) -> Sequence[ProposedRun]:
        self.requests.append(request)
        system = "Logistic regression (petal features only)"
        return [
            ProposedRun(id="A001", block="B3", system=system, seed=7),
            ProposedRun(id="A002", block="B3", system=system, seed=8, args={"epochs": "5"}),
        ]


def _without(project: Path) -> Path:
    """A copy of ``project`` whose plan has bridge's section cut off."""
    copy = Path(shutil.copytree(project, project.parent / "cut", ignore=_IGNORE))
    plan = copy / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_bytes(researchers_part(plan.read_bytes()))
    return copy


_IGNORE = shutil.ignore_patterns(".bridge")


@pytest.fixture
def quickstart(tmp_path: Path) -> Path:
    """A fresh copy of the quickstart project."""
    return Path(
        shutil.copytree(QUICKSTART, tmp_path / "q", ignore=shutil.ignore_patterns(".bridge"))
    )


class TestAblationPlanning:
    def test_proposals_wait_for_approval_then_run(self, quickstart: Path) -> None:
        """A positive main result → proposals as nice-to-have runs → approve → they run."""
        backend = FakeBackend(_outcome)
        planner = PetalPlanner()
        bridge = Bridge(
            quickstart, store=InMemoryEventStore(), backend=backend, ablation_planner=planner
        )
        assert bridge.run() is Stage.AWAITING_APPROVAL
        state = bridge.status()
        assert state.ablations is not None and state.ablations.runs == ("A001", "A002")
        proposed = {p.run_id: p for p in state.ablations.proposals}
        assert proposed["A001"].priority == "nice"
        assert proposed["A002"].params["epochs"] == "5"
        assert "A001" not in state.runs  # nothing can launch it before a person approves
        assert "2 new runs wait for approval: A001, A002" in (
            state.approval.summary if state.approval else ""
        )
        assert "Logistic regression (petal features only)" in planner.requests[0].systems
        assert len(backend.launches) == 20
        bridge.approve()
        assert bridge.status().runs["A001"].state is RunState.PENDING
        assert bridge.run() is Stage.COLLECTED
        state = bridge.status()
        assert state.runs["A001"].state is RunState.SUCCEEDED
        assert len(backend.launches) == 22
        assert len(planner.requests) == 1  # planned once, not again after the second collection
        launched = backend.launches[-1].argv
        assert launched[launched.index("--epochs") + 1] == "5"
        # The next step stays true after the ablations ran: they are done, hand off.
        assert "the ablation runs (A001, A002) have run" in bridge.summary()
        assert "approve them" not in bridge.summary()

    def test_planning_skipped_for_the_main_result_is_decided_again_once_it_is_positive(
        self, quickstart: Path
    ) -> None:
        """Trial N1: a main run failed (main result inconclusive, planning skipped for it); after
        its retry the main result was positive and the next step said "ablation planning
        skipped (main result inconclusive)". It is decided again: here no planner is
        configured, and the next step says so; skipped once for one reason, it is not
        recorded again at each collection."""

        def failing_r010(spec: JobSpec) -> FakeOutcome:
            return FakeOutcome(exit_code=1) if spec.run_id == "R010" else _outcome(spec)

        first = Bridge(quickstart, backend=FakeBackend(failing_r010))
        try:
            first.run()
            state = first.status()
        finally:
            first.close()
        assert state.ablations is not None
        assert state.ablations.reason == "main result inconclusive"
        retried = Bridge(quickstart, backend=FakeBackend(_outcome))
        try:
            retried.retry("R010")
            assert retried.run() is Stage.COLLECTED
            state = retried.status()
            assert state.ablations is not None
            assert state.ablations.reason == "no ablation planner configured"
            assert "Ablation planning skipped (no ablation planner configured)" in (
                retried.summary()
            )
            retried.run()
        finally:
            retried.close()
        planned = [t for _, _, t in events_of(quickstart) if t == "ablations.planned"]
        assert len(planned) == 2  # inconclusive, then no planner; not again at the third

    def test_a_result_changed_without_a_run_decides_the_planning_again(
        self, quickstart: Path
    ) -> None:
        """Trial N3: main_milestone set in bridge.toml made the main result positive with
        nothing to run, and the next step still said "ablation planning skipped (main result
        inconclusive)". The decision recorded for an inconclusive result (appended here as an
        earlier bridge wrote it) is taken again at COLLECTED."""
        from bridge.events import types as ev
        from bridge.events.store import SQLiteEventStore

        first = Bridge(quickstart, backend=FakeBackend(_outcome))
        try:
            assert first.run() is Stage.COLLECTED
        finally:
            first.close()
        store = SQLiteEventStore(quickstart / ".bridge" / "events.db")
        try:
            skipped = ev.AblationsPlanned(
                planner="", outcome="skipped", reason="main result inconclusive"
            )
            store.append("bridge", [skipped], None)
        finally:
            store.close()
        again = Bridge(quickstart, backend=FakeBackend(_outcome))
        try:
            again.run()
            state = again.status()
            summary = again.summary()
        finally:
            again.close()
        assert state.ablations is not None
        assert state.ablations.reason == "no ablation planner configured"
        assert "Ablation planning skipped (no ablation planner configured)" in summary

    def test_stopped_before_planning_ablations_plans_them_on_the_next_run(
        self, quickstart: Path
    ) -> None:
        """
        bridge stopped between entering COLLECTED and recording the ablation planning (a kill
        there; here the planner's call is interrupted): the next `bridge run` plans them and
        asks for approval, instead of staying at COLLECTED with no planning recorded.
        """

        class Killed(PetalPlanner):
            def propose(self, request: AblationRequest) -> Sequence[ProposedRun]:
                raise KeyboardInterrupt  # the process ends here: nothing more is recorded

        first = Bridge(quickstart, backend=FakeBackend(_outcome), ablation_planner=Killed())
        try:
            with pytest.raises(KeyboardInterrupt):
                first.run()
            state = first.status()
            assert state.stage is Stage.COLLECTED and state.ablations is None
        finally:
            first.close()
        planner = PetalPlanner()
        second = Bridge(quickstart, backend=FakeBackend(_outcome), ablation_planner=planner)
        try:
            assert second.run() is Stage.AWAITING_APPROVAL
            state = second.status()
            assert state.ablations is not None and state.ablations.runs == ("A001", "A002")
            assert len(planner.requests) == 1
        finally:
            second.close()

    def test_approved_proposals_are_appended_to_the_plan_in_bridges_section(
        self, quickstart: Path
    ) -> None:
        """Approving appends A001/A002 to EXPERIMENT_PLAN.md between bridge's markers; the
        researcher's bytes stay; the section is neither read as plan nor taken for an edit."""
        plan = quickstart / "refine-logs" / "EXPERIMENT_PLAN.md"
        original = plan.read_bytes()
        bridge = Bridge(quickstart, backend=FakeBackend(_outcome), ablation_planner=PetalPlanner())
        try:
            assert bridge.run() is Stage.AWAITING_APPROVAL
            assert plan.read_bytes() == original  # proposals alone are not the plan's
            bridge.approve()
            written = plan.read_bytes()
            assert written.startswith(original) and researchers_part(written) == original
            section = written[len(original) :].decode()
            assert section.startswith(f"\n{BEGIN}\n") and section.endswith(f"{END}\n")
            assert "| A001 | Logistic regression (petal features only) | B3 |" in section
            assert "--epochs 5" in section  # A002's command as it will run
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.runs["A002"].state is RunState.SUCCEEDED
        assert plan.read_bytes() == written
        loads = [t for _, _, t in events_of(quickstart) if t == "plan.loaded"]
        assert len(loads) == 1, "bridge's own section was taken for an edit of the plan"
        assert not any(t == "run.spec_changed" for _, _, t in events_of(quickstart))
        # Read as a new user's next `bridge plan` would: the section is not part of the plan.
        assert load_project(quickstart).plan == load_project(_without(quickstart)).plan

    def test_without_a_planner_the_skip_is_recorded(self, quickstart: Path) -> None:
        """No planner: the log says ablation planning was skipped and why; no approval asked."""
        bridge = Bridge(quickstart, store=InMemoryEventStore(), backend=FakeBackend(_outcome))
        assert bridge.run() is Stage.COLLECTED
        state = bridge.status()
        assert state.ablations is not None and state.ablations.outcome == "skipped"
        assert "no ablation planner configured" in state.ablations.reason

    def test_unrenderable_proposal_is_refused_with_the_reason(self, quickstart: Path) -> None:
        """A proposal for a system with a placeholder nobody fills is not planned, and said so."""

        class Bad(PetalPlanner):
            def propose(self, request: AblationRequest) -> Sequence[ProposedRun]:
                return [ProposedRun(id="A001", block="B3", system="Logistic regression")]

        bridge = Bridge(
            quickstart,
            store=InMemoryEventStore(),
            backend=FakeBackend(_outcome),
            ablation_planner=Bad(),
        )
        assert bridge.run() is Stage.COLLECTED
        state = bridge.status()
        assert state.ablations is not None and state.ablations.outcome == "skipped"
        assert "A001" in state.ablations.reason and "seed" in state.ablations.reason


AGENT = """#!{python}
import sys
prompt = open(sys.argv[1]).read()
assert "Results so far" in prompt and "Logistic regression" in prompt
print("Here you go:")
print('[{{"block": "B3", "system": "Logistic regression", "seed": 3}}]')
"""


class TestAgentCLIAblationPlanner:
    def test_agent_answer_becomes_proposals(self, tmp_path: Path) -> None:
        """A real executable agent is run with the prompt file; its JSON becomes runs."""
        script = tmp_path / "agent.py"
        script.write_text(AGENT.format(python=sys.executable))
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
        planner = AgentCLIAblationPlanner([str(script), "{prompt_file}"], timeout_seconds=30)
        request = AblationRequest(
            project=tmp_path,
            plan_excerpt="plan",
            results="results",
            systems=("Logistic regression",),
            taken_ids=("A001",),
        )
        (run,) = planner.propose(request)
        assert run == ProposedRun(id="A002", block="B3", system="Logistic regression", seed=3)

    @pytest.mark.parametrize(
        ("reply", "message"),
        [
            ("no json here", "no JSON array"),
            ('[{"block": "B1"}]', "system"),
            ('[{"system": "x", "seed": "one"}]', "seed must be an integer"),
            ('[{"system": "x", "seed": true}]', "seed must be an integer"),
            ('[{"system": "x", "id": "../../etc"}]', "id '../../etc' is not usable"),
            ('[{"system": "x", "id": "A1; rm -rf ~"}]', "is not usable"),
        ],
    )
    def test_unreadable_answers_are_errors(self, reply: str, message: str) -> None:
        """Replies that are not the documented shape are refused, never guessed."""
        with pytest.raises(ReviewError, match=message):
            parse_proposals(reply, ())

    def test_empty_array_is_no_proposal(self) -> None:
        """[] means the planner proposes nothing."""
        assert parse_proposals("Nothing worth it: []", ()) == ()


class TestConfiguredPlanner:
    def test_ablations_table_runs_the_agent_command(self, quickstart: Path) -> None:
        """`[ablations] command = [...]` in bridge.toml is the planner the pipeline asks."""
        script = quickstart / "planner.py"
        script.write_text(
            "import sys\n"
            'print(\'[{"block": "B3", "system": "Logistic regression (petal features only)", '
            '"seed": 9}]\')\n'
        )
        with (quickstart / "bridge.toml").open("a") as toml:
            toml.write(
                f'\n[ablations]\ncommand = ["{sys.executable}", "planner.py", "{{prompt_file}}"]\n'
            )
        bridge = Bridge(quickstart, store=InMemoryEventStore(), backend=FakeBackend(_outcome))
        assert bridge.run() is Stage.AWAITING_APPROVAL
        state = bridge.status()
        assert state.ablations is not None and state.ablations.planner == "agent"
        assert state.ablations.proposals[0].seed == 9

    def test_a_reply_the_log_would_refuse_is_a_skip_with_the_reason(self, quickstart: Path) -> None:
        """A planner answering `"seed": true` (a bool is an int to Python; the log refuses it in
        an int field) gets its planning recorded as skipped, with why, on a real log; the
        command ends at COLLECTED, not with a traceback."""
        (quickstart / "planner.py").write_text(
            'print(\'[{"block": "B3", "system": "Logistic regression", "seed": true}]\')\n'
        )
        with (quickstart / "bridge.toml").open("a") as toml:
            toml.write(
                f'\n[ablations]\ncommand = ["{sys.executable}", "planner.py", "{{prompt_file}}"]\n'
            )
        bridge = Bridge(quickstart, backend=FakeBackend(_outcome))
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.ablations is not None and state.ablations.outcome == "skipped"
        assert "seed must be an integer" in state.ablations.reason

    def test_unknown_ablations_key_is_a_config_error(self, quickstart: Path) -> None:
        """A misspelt key in [ablations] is refused naming the setting."""
        from bridge.errors import ConfigError

        with (quickstart / "bridge.toml").open("a") as toml:
            toml.write('\n[ablations]\ncomand = ["x"]\n')
        bridge = Bridge(quickstart, store=InMemoryEventStore(), backend=FakeBackend(_outcome))
        with pytest.raises(ConfigError, match="ablations"):  # before the first step
            bridge.advance()
        assert bridge.status().events == 0  # nothing was done
