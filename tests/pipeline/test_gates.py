"""
Milestone bookkeeping, gates between milestones, and reopening a blocked pipeline.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from bridge import Bridge, Stage
from bridge.machine.ports import GateDecision
from bridge.plan import load_project
from bridge.plan.milestones import MILESTONES_TO_WRITE
from tests.conftest import needs_shared
from tests.pipeline.conftest import Run, executions, write_project

T = TypeVar("T")

RUNS = [
    Run(id="S1", milestone="M0", system="sanity"),
    Run(id="R1", milestone="M1"),
    Run(id="R2", milestone="M2"),
]


class RecordingGate:
    """A real Gate: holds after the milestones it is told to, and remembers what it saw."""

    def __init__(self, hold: set[str]) -> None:
        self.hold = hold
        self.seen: list[tuple[str, dict[str, str]]] = []

    def decide(self, milestone: str, summary: Mapping[str, str]) -> GateDecision:
        self.seen.append((milestone, dict(summary)))
        if milestone in self.hold:
            return GateDecision(proceed=False, reason=f"{milestone} needs a look")
        return GateDecision(proceed=True)


class TestMilestones:
    def test_each_finished_milestone_is_recorded_once(self, project: Path) -> None:
        """Every milestone gets one MilestoneCompleted, in plan order."""
        write_project(project, RUNS)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.milestones_completed == ("M0", "M1", "M2")


class TestGate:
    def test_gate_that_lets_everything_through_sees_every_milestone(self, project: Path) -> None:
        """The gate is asked once per milestone, with the milestone's run states."""
        write_project(project, RUNS)
        gate = RecordingGate(hold=set())
        bridge = Bridge(project, gate=gate)
        try:
            assert bridge.run() is Stage.COLLECTED
        finally:
            bridge.close()
        assert [m for m, _ in gate.seen] == ["M0", "M1", "M2"]
        assert gate.seen[1][1] == {"runs": "1", "succeeded": "1", "R1": "succeeded"}

    def test_gate_veto_holds_the_next_milestone_and_blocks(self, project: Path) -> None:
        """A held gate after M1 blocks the pipeline; M2 never starts."""
        write_project(project, RUNS)
        bridge = Bridge(project, gate=RecordingGate(hold={"M1"}))
        try:
            assert bridge.run() is Stage.BLOCKED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.blocked is not None and "M1 needs a look" in state.blocked.reason
        assert sorted(executions(project)) == ["R1", "S1"]

    def test_approve_after_a_veto_asks_the_gate_again(self, project: Path) -> None:
        """After approve the gate is asked again; once it lets go M2 runs, and R1 never reruns."""
        write_project(project, RUNS)
        gate = RecordingGate(hold={"M1"})
        bridge = Bridge(project, gate=gate)
        try:
            assert bridge.run() is Stage.BLOCKED
            gate.hold.clear()
            assert bridge.approve().after is Stage.PLANNED
            assert bridge.run() is Stage.COLLECTED
        finally:
            bridge.close()
        assert {run: len(times) for run, times in executions(project).items()} == {
            "S1": 1,
            "R1": 1,
            "R2": 1,
        }


class TestSanityCriterion:
    """The sanity milestone's own block criterion (006: "composite skill > 0" on M0's runs) is
    part of the sanity check: runs that succeed with numbers that fail it hold the plan."""

    def _unmet(self, project: Path) -> Path:
        write_project(project, RUNS)
        plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        # Block 0 is M0's block; its runs write accuracy 0.9.
        plan.write_text(plan.read_text().replace("accuracy > 0.5", "accuracy > 0.95", 1))
        return plan

    def test_an_unmet_sanity_criterion_holds_the_later_milestones(self, project: Path) -> None:
        """BLOCKED before R1 launches, the reason naming the block, the measured value and how
        to go on; the results say the sanity check failed on its criterion, not "passed"."""
        self._unmet(project)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.BLOCKED
            blocked = bridge.status().blocked
        finally:
            bridge.close()
        assert blocked is not None
        assert blocked.reason.startswith("the sanity milestone's own success criterion is not met")
        assert "B0" in blocked.reason and "0.9" in blocked.reason
        # S1 succeeded: the advice is one `bridge retry` takes (trial O1 was told `bridge retry
        # S1`, which refuses a succeeded run without --force).
        assert "`bridge retry --force S1`" in blocked.reason
        assert "`bridge approve`" in blocked.reason
        assert sorted(executions(project)) == ["S1"]
        results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        bridge = Bridge(project)
        try:
            bridge.retry("S1", force=True)
        finally:
            bridge.close()
        assert "its runs passed, but its own success criterion is not met" in results
        assert "Sanity: passed" not in results
        # Trial P1 on 006: the next step said `bridge run` would check the fix and go on; with
        # the runs succeeded it blocked again on the same numbers.
        assert "Fix it, then run `bridge run`" not in results

    def test_a_fixed_criterion_lets_the_plan_go_on(self, project: Path) -> None:
        """The researcher corrects the criterion: the next run checks it again and goes on."""
        plan = self._unmet(project)
        assert Bridge(project).run() is Stage.BLOCKED
        plan.write_text(plan.read_text().replace("accuracy > 0.95", "accuracy > 0.5", 1))
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
        finally:
            bridge.close()
        assert sorted(executions(project)) == ["R1", "R2", "S1"]
        assert len(executions(project)["S1"]) == 1

    def test_a_criterion_bridge_cannot_judge_is_not_called_passed(self, project: Path) -> None:
        """029's sanity criterion was declined, and the results said "Sanity: passed" over a
        flag written false: the runs passed, the criterion is open, and both are said. So too
        where the sanity block has a run the tracker says was done before bridge (020's B0:
        21 such runs beside R007j), which kept its criterion from being looked at."""
        write_project(project, [Run(id="S0", milestone="M0", system="sanity"), *RUNS])
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        tracker.write_text(tracker.read_text().replace("| TODO | seed 0 |", "| DONE | seed 0 |", 1))
        plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        plan.write_text(
            plan.read_text().replace("accuracy > 0.5", "the smoke test looks reasonable", 1)
        )
        _text, data = _collected(project)
        results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        assert (
            "**Sanity: its runs passed; its own success criterion was not judged in full (a "
            "clause is open), so it held nothing back"
        ) in results
        assert "Sanity: passed" not in results
        assert data["milestones"][0]["sanity_passed"] is True
        # results.json tells it apart from a criterion met, as the page does.
        assert data["milestones"][0]["sanity_check"] == "unjudged"
        assert data["milestones"][1]["sanity_check"] is None
        # The summary `bridge run` ends with says it too, beside the main result: the
        # quickstart's open «loss at epoch 3 < loss at epoch 1» read "positive … Ready: YES"
        # with no word of it on the console.
        bridge = Bridge(project)
        try:
            summary = bridge.summary()
        finally:
            bridge.close()
        assert (
            "\nSanity: its runs passed; its own success criterion was not judged in full" in summary
        )
        assert summary.index("Main result") < summary.index("Sanity: its runs passed")

    def test_a_criterion_left_open_is_said_not_judged_with_what_to_set(self, project: Path) -> None:
        """006's B5 «composite skill > 0», no run standing for "S3 composite": the stage read
        "sanity milestone passed; B5's criterion not judged ([1] open: «Each sub-formula …» —
        not machine-checkable …)", cut before the clause and the alias that judges it, and M2
        deployed. The stage says plainly that the criterion was not judged, the clause a
        setting can judge first with its advice, and the deployment says the same."""
        write_project(project, RUNS)
        plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        text = plan.read_text()
        text = text.replace("  - sanity\n  - main\n", "  - sanity\n  - composite\n", 1)
        plan.write_text(
            text.replace(
                "accuracy > 0.5", "the smoke test looks reasonable; composite accuracy > 0.5", 1
            )
        )
        from tests.pipeline.test_notifications import Recording

        notifier = Recording()
        bridge = Bridge(project, notifier=notifier)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert "bridge: sanity runs passed, criterion not judged" in notifier.titles
        assert "bridge: sanity passed" not in notifier.titles
        reasons = {evt.stage: evt.reason for _, evt in state.stage_history}
        passed = reasons["SANITY_OK"]
        assert passed.startswith(
            "sanity runs passed, but the sanity milestone's own criterion was NOT judged"
        )
        assert "sanity milestone passed" not in passed
        # The clause a setting can judge leads, with the whole advice, not cut.
        assert passed.index(
            "[2] open: «composite accuracy > 0.5» — no results for system composite"
        ) < passed.index("[1] open:")
        assert 'aliases = ["composite"]' in passed
        assert "the later milestones go on without it" in passed
        assert reasons["DEPLOYED"] == (
            "sanity runs passed, their criterion not judged; deploying the plan"
        )
        results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        assert "so it held nothing back and the later milestones went on without it" in results

    def test_approval_goes_past_it_and_says_so(self, project: Path) -> None:
        """`bridge approve` at the block: the later milestones run, the approval is recorded,
        and the results say the criterion was not met and a person went on."""
        self._unmet(project)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.BLOCKED
            bridge.approve(by="ana")
            assert bridge.run() is Stage.COLLECTED
            checks = bridge.status().sanity_checks
        finally:
            bridge.close()
        assert sorted(executions(project)) == ["R1", "R2", "S1"]
        assert checks[-1].passed
        assert checks[-1].detail.startswith("sanity criterion not met, gone past by a person's")
        results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        assert "its own criterion is not met, and a person approved going on" in results

    def test_an_approval_covers_only_the_numbers_it_was_given_for(self, project: Path) -> None:
        """A person approved going past S1's 0.9 (criterion > 0.95); S1 run again once the plan
        was collected (`bridge retry --force S1`) writes 0.92: numbers the approval never saw,
        again not meeting the criterion, hold the plan, and the reason says the approval was
        for the earlier numbers. Approved again, the plan goes on without running R1 again."""
        self._unmet(project)
        bridge = Bridge(project)
        try:
            _approved_then_run_again(bridge, project, "0.92")
            assert bridge.run() is Stage.BLOCKED
            blocked = bridge.status().blocked
            results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
            bridge.approve(by="ana")
            assert bridge.run() is Stage.COLLECTED
            checks = bridge.status().sanity_checks
        finally:
            bridge.close()
        assert blocked is not None
        assert blocked.reason.startswith("the sanity milestone's own success criterion is not met")
        assert "0.92" in blocked.reason and "`bridge retry --force S1`" in blocked.reason
        assert (
            "S1 ran again after a person approved going past the criterion: the earlier "
            "approval was for the earlier numbers"
        ) in blocked.reason
        assert "a person approved going on" not in results
        assert checks[-1].passed and checks[-1].detail.startswith("sanity criterion not met, gone")
        assert {run: len(times) for run, times in executions(project).items()} == {
            "S1": 2,
            "R1": 1,
            "R2": 1,
        }

    def test_new_numbers_that_meet_it_pass_without_the_approval(self, project: Path) -> None:
        """The same approval, and S1 run again writes 0.97: the criterion is met, the plan stays
        collected, and the results say the sanity check passed, not that a person went past."""
        self._unmet(project)
        bridge = Bridge(project)
        try:
            _approved_then_run_again(bridge, project, "0.97")
            assert bridge.run() is Stage.COLLECTED
            checks = bridge.status().sanity_checks
        finally:
            bridge.close()
        assert checks[-1].passed and not checks[-1].detail.startswith("sanity criterion not met")
        results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        assert "**Sanity: passed**" in results
        assert "a person approved going on" not in results

    def _final_json(self, project: Path, accuracy: str = "0.8") -> None:
        """The runs also write ``final.json`` (``accuracy``), which ``[metrics]`` does not
        read yet: the researcher's final evaluation beside the per-epoch ``metrics.json``."""
        self._unmet(project)
        job = project / "scripts" / "job.py"
        write = 'pathlib.Path(args.out, "metrics.json").write_text(metrics)'
        final = f'pathlib.Path(args.out, "final.json").write_text(\'{{"accuracy": {accuracy}}}\')'
        job.write_text(job.read_text().replace(write, f"{write}\n    {final}"))

    def _read_final_json(self, project: Path) -> None:
        """``[metrics]`` now reads ``final.json``: at the next command every succeeded run's
        numbers are read again from its recorded outputs, and nothing runs again."""
        toml = project / "bridge.toml"
        toml.write_text(toml.read_text() + '\n[metrics]\nfiles = ["final.json"]\n')

    def test_numbers_read_again_after_an_approval_are_not_covered_by_it(
        self, project: Path
    ) -> None:
        """A person approved going past S1's 0.9 (criterion > 0.95) and the plan was collected;
        then ``[metrics]`` changed and S1's numbers, read again without a run, are 0.8: numbers
        the approval never saw. The next `bridge run` holds the plan, saying S1's numbers were
        read again under new [metrics] settings, and the results no longer say a person went
        past them; approved again, the plan goes on and nothing runs again."""
        self._final_json(project)
        assert _command(project, Bridge.run) is Stage.BLOCKED
        _command(project, lambda bridge: bridge.approve(by="ana"))
        assert _command(project, Bridge.run) is Stage.COLLECTED
        self._read_final_json(project)
        assert _command(project, Bridge.run) is Stage.BLOCKED
        blocked = _command(project, lambda bridge: bridge.status().blocked)
        results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        _command(project, lambda bridge: bridge.approve(by="ana"))
        assert _command(project, Bridge.run) is Stage.COLLECTED
        checks = _command(project, lambda bridge: bridge.status().sanity_checks)
        assert blocked is not None
        assert blocked.reason.startswith("the sanity milestone's own success criterion is not met")
        assert "0.8, required > 0.95 → not met" in blocked.reason
        assert (
            "S1's numbers were read again under new [metrics] settings after a person approved "
            "going past the criterion: the earlier approval was for the earlier numbers "
            "(S1 accuracy 0.9 → 0.8"
        ) in blocked.reason
        assert "a person approved going on" not in results
        assert checks[-1].passed and checks[-1].detail.startswith("sanity criterion not met, gone")
        assert {run: len(times) for run, times in executions(project).items()} == {
            "S1": 1,
            "R1": 1,
            "R2": 1,
        }

    def test_an_approval_stands_when_numbers_read_again_are_judged_the_same(
        self, project: Path
    ) -> None:
        """006 (trial t6): a person approved going past the sanity criterion, then changed
        ``[metrics]`` for another reason. S1's numbers, read again, give the criterion the
        same 0.9 it was approved on: the next `bridge run` stays collected, the approval still
        leads the latest check, and nothing asks for it again or runs again."""
        self._final_json(project, "0.9")
        assert _command(project, Bridge.run) is Stage.BLOCKED
        _command(project, lambda bridge: bridge.approve(by="ana"))
        assert _command(project, Bridge.run) is Stage.COLLECTED
        self._read_final_json(project)
        assert _command(project, Bridge.run) is Stage.COLLECTED
        state = _command(project, Bridge.status)
        assert state.stage is Stage.COLLECTED
        assert state.sanity_checks[-1].passed
        assert state.sanity_checks[-1].detail.startswith("sanity criterion not met, gone past")
        assert not any("after a person approved" in check.detail for check in state.sanity_checks)
        results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        assert "a person approved going on" in results
        assert {run: len(times) for run, times in executions(project).items()} == {
            "S1": 1,
            "R1": 1,
            "R2": 1,
        }

    def test_numbers_read_again_while_blocked_are_not_covered_by_the_approval(
        self, project: Path
    ) -> None:
        """Held on S1's 0.9, ``[metrics]`` changed and `bridge approve` given at once: the
        approval reads the changed settings first (S1 now 0.8) and covers the numbers of the
        check the person saw, not those. The next `bridge run` asks again."""
        self._final_json(project)
        assert _command(project, Bridge.run) is Stage.BLOCKED
        self._read_final_json(project)
        _command(project, lambda bridge: bridge.approve(by="ana"))
        assert _command(project, Bridge.run) is Stage.BLOCKED
        blocked = _command(project, lambda bridge: bridge.status().blocked)
        assert blocked is not None
        assert "0.8, required > 0.95 → not met" in blocked.reason
        assert "S1's numbers were read again under new [metrics] settings" in blocked.reason
        assert sorted(executions(project)) == ["S1"]

    def test_numbers_read_again_that_meet_it_pass_without_the_approval(self, project: Path) -> None:
        """The same approval, and S1's numbers read again meet the criterion (0.97 in
        ``final.json``): the plan stays collected, the check recorded says so, and the results
        say the sanity check passed, not that a person went past it."""
        self._final_json(project, "0.97")
        assert _command(project, Bridge.run) is Stage.BLOCKED
        _command(project, lambda bridge: bridge.approve(by="ana"))
        assert _command(project, Bridge.run) is Stage.COLLECTED
        self._read_final_json(project)
        assert _command(project, Bridge.run) is Stage.COLLECTED
        checks = _command(project, lambda bridge: bridge.status().sanity_checks)
        assert checks[-1].passed
        assert checks[-1].detail == (
            "S1's numbers were read again under new [metrics] settings and passed"
        )
        results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        assert "**Sanity: passed**" in results
        assert "a person approved going on" not in results
        assert {run: len(times) for run, times in executions(project).items()} == {
            "S1": 1,
            "R1": 1,
            "R2": 1,
        }


class TestApprovalPastOneOfTwoSanityBlocks:
    """033 (trial t14): the sanity milestone M0 holds two blocks, E1 and E2, each with its own
    run. A person approved going past E1's unmet criterion; later only E2's run failed and ran
    again. The approval is for E1's numbers, which did not change: it stands. Only when E1's
    own run runs again with a new number is the plan held again, saying so."""

    def _project(self, project: Path, preface: str = "") -> None:
        """M0's B0 (S1, criterion accuracy > 0.95, S1 writes 0.9: not met) and B3 (S2,
        accuracy > 0.5: met); M1 and M2 after it."""
        runs = [*RUNS[:1], Run(id="S2", milestone="M0", system="sanity"), *RUNS[1:]]
        write_project(project, runs)
        plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        head, _, rest = plan.read_text().partition("\n")
        second = (
            "### Block 3: M0 second check\n- **Claim tested**: the second check works.\n"
            "- **Compared systems**:\n  - sanity\n- **Metrics**: accuracy.\n"
            "- **Setup details**: seed 0.\n- **Success criterion**: accuracy > 0.5.\n"
            "- **Priority**: MUST-RUN.\n\n"
        )
        text = (
            rest.replace("accuracy > 0.5", "accuracy > 0.95", 1)
            .replace("S1, S2 (Block 0)", "S1 (Block 0), S2 (Block 3)")
            .replace("## Run Order", second + "## Run Order")
        )
        plan.write_text(head + "\n\n" + preface + text)
        toml = project / "bridge.toml"
        toml.write_text(
            toml.read_text()
            .replace('id = "S1"\n', 'id = "S1"\nblock = "B0"\n')
            .replace('id = "S2"\n', 'id = "S2"\nblock = "B3"\n')
        )

    def _approved_then_s2_ran_again(self, project: Path) -> Stage:
        """Held on B0, approved past it and collected; then S2 run again writes no number
        (the sanity check fails on S2 and holds the plan), and, fixed, runs again: the stage
        the next `bridge run` ends at."""
        assert _command(project, Bridge.run) is Stage.BLOCKED
        _command(project, lambda bridge: bridge.approve(by="ana"))
        assert _command(project, Bridge.run) is Stage.COLLECTED
        (project / "markers" / "S2.accuracy").write_text("")
        _command(project, lambda bridge: bridge.retry("S2", force=True))
        assert _command(project, Bridge.run) is Stage.BLOCKED
        blocked = _command(project, lambda bridge: bridge.status().blocked)
        assert blocked is not None and blocked.reason.startswith("S2: no metric could be read")
        (project / "markers" / "S2.accuracy").write_text("0.8")
        _command(project, lambda bridge: bridge.retry("S2", force=True))
        return _command(project, Bridge.run)

    def _s1_runs_again(self, project: Path) -> str:
        """S1 run again (`bridge retry --force S1`), writing 0.92: still not met. The stage
        reason the plan is held with."""
        (project / "markers" / "S1.accuracy").write_text("0.92")
        _command(project, lambda bridge: bridge.retry("S1", force=True))
        assert _command(project, Bridge.run) is Stage.BLOCKED
        state = _command(project, Bridge.status)
        return [evt.reason for _, evt in state.stage_history if evt.stage == "BLOCKED"][-1]

    def test_the_approval_stands_when_another_sanity_run_ran_again(self, project: Path) -> None:
        """Before: BLOCKED again on B0's unchanged 0.9 once S2 ran again, with no word why."""
        self._project(project)
        assert self._approved_then_s2_ran_again(project) is Stage.COLLECTED
        state = _command(project, Bridge.status)
        assert state.sanity_checks[-1].passed
        assert state.sanity_checks[-1].detail.startswith(
            "sanity criterion not met, gone past by a person's approval (B0 not met)"
        )
        results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        assert "a person approved going on" in results
        assert {run: len(times) for run, times in executions(project).items()} == {
            "S1": 1,
            "S2": 3,
            "R1": 1,
            "R2": 1,
        }
        # B0's own run runs again: new numbers the approval never saw hold the plan.
        reason = self._s1_runs_again(project)
        assert reason.startswith("the sanity milestone's own success criterion is not met: B0:")
        assert "0.92, required > 0.95 → not met" in reason
        assert (
            "S1 ran again after a person approved going past the criterion: the earlier "
            "approval was for the earlier numbers. Fix the cause and `bridge retry --force S1`"
        ) in reason
        assert "S2" not in reason

    def test_numbers_read_again_the_same_keep_the_approval_after_s2_ran_again(
        self, project: Path
    ) -> None:
        """After S2 failed and ran again, ``[metrics]`` changes and every number is read again
        without a run: B0 is judged on the same 0.9 the person approved, so the approval
        stands and nothing runs again (the check S2's failure recorded, between the
        approvals, judged no criterion)."""
        self._project(project)
        job = project / "scripts" / "job.py"
        write = 'pathlib.Path(args.out, "metrics.json").write_text(metrics)'
        final = 'pathlib.Path(args.out, "final.json").write_text(\'{"accuracy": 0.9}\')'
        job.write_text(job.read_text().replace(write, f"{write}\n    {final}"))
        assert self._approved_then_s2_ran_again(project) is Stage.COLLECTED
        toml = project / "bridge.toml"
        toml.write_text(toml.read_text() + '\n[metrics]\nfiles = ["final.json"]\n')
        assert _command(project, Bridge.run) is Stage.COLLECTED
        checks = _command(project, lambda bridge: bridge.status().sanity_checks)
        assert checks[-1].passed
        assert checks[-1].detail.startswith("sanity criterion not met, gone past by a person's")
        assert {run: len(times) for run, times in executions(project).items()} == {
            "S1": 1,
            "S2": 3,
            "R1": 1,
            "R2": 1,
        }

    def test_a_chinese_plan_says_it_in_chinese(self, project: Path) -> None:
        """The same in a Chinese plan: the approval stands, and the reason the plan is held
        once S1 ran again says in Chinese that S1 ran again and the approval was for the
        earlier numbers."""
        from tests.pipeline.test_output_language import CHINESE_PREFACE

        self._project(project, CHINESE_PREFACE * 3)
        assert self._approved_then_s2_ran_again(project) is Stage.COLLECTED
        reason = self._s1_runs_again(project)
        assert "0.92" in reason
        assert "S1 再次运行，而此前有人批准越过该标准：那次批准针对的是先前的数值" in reason
        assert "ran again" not in reason and "S2" not in reason


def test_numbers_read_again_that_fail_the_sanity_check_hold_the_plan(project: Path) -> None:
    """The sanity milestone passed and the plan was collected; then ``[metrics]`` reads a file
    no run wrote, and S1's numbers read again are none: the sanity check sees that reading
    and holds the plan (it stayed collected, S1 numberless), saying the numbers were read
    again, not that S1 ran again; nothing ran again."""
    write_project(project, RUNS)
    assert _command(project, Bridge.run) is Stage.COLLECTED
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text() + '\n[metrics]\nfiles = ["final.json"]\n')
    assert _command(project, Bridge.run) is Stage.BLOCKED
    blocked = _command(project, lambda bridge: bridge.status().blocked)
    assert blocked is not None
    assert blocked.reason.startswith("S1: no metric could be read from its outputs")
    assert (
        "1 sanity run had its numbers read again under new [metrics] settings after "
        "the sanity milestone passed and did not pass: fix the cause and `bridge retry "
        "--force S1`"
    ) in blocked.reason
    assert {run: len(times) for run, times in executions(project).items()} == {
        "S1": 1,
        "R1": 1,
        "R2": 1,
    }


def _command(project: Path, command: Callable[[Bridge], T]) -> T:
    """One bridge command, as the CLI gives it: a Bridge opened for it, which loads the
    project's files as they are now, and closed after."""
    bridge = Bridge(project)
    try:
        return command(bridge)
    finally:
        bridge.close()


def _approved_then_run_again(bridge: Bridge, project: Path, accuracy: str) -> None:
    """Held on S1's unmet criterion, approved past it and collected; then S1 run again
    (`bridge retry --force S1`), writing ``accuracy`` this time."""
    assert bridge.run() is Stage.BLOCKED
    bridge.approve(by="ana")
    assert bridge.run() is Stage.COLLECTED
    (project / "markers" / "S1.accuracy").write_text(accuracy)
    bridge.retry("S1", force=True)


def _collected(project: Path) -> tuple[str, dict[str, Any]]:
    """Run the project to COLLECTED; its EXPERIMENT_RESULTS.md and results.json."""
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    return results, json.loads((project / "refine-logs" / "results.json").read_text())


def test_a_sanity_milestone_without_runs_is_not_called_passed(project: Path) -> None:
    """036: the plan's sanity milestone lists no runs. The results say nothing was checked
    there, never "Sanity: passed", and results.json has no verdict for it."""
    write_project(project, [Run(id="R1", milestone="M1")])
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text()
    assert "| M1 | Main |" in text
    plan.write_text(
        text.replace("| M1 | Main |", "| M0 | Sanity | - | ok | 1 | none |\n| M1 | Main |")
    )
    results, data = _collected(project)
    assert "### M0" in results
    assert "Sanity: nothing checked (this milestone has no runs)" in results
    assert "Sanity: passed" not in results
    m0 = next(m for m in data["milestones"] if m["milestone"] == "M0")
    assert m0["sanity_passed"] is None


def test_a_decision_gate_is_quoted_as_not_checked_never_as_passed(project: Path) -> None:
    """002_jora, 006_kan-symbolic: a milestone's decision gate ("If … does not beat NoRot,
    stop the rotation revival story"), in the run-order table or as an "After M1: …" item,
    is not checked by bridge: the results quote it and say so (results.json too), rather than
    let the finished milestone read as a gate passed. A cell stating no gate is not quoted."""
    write_project(project, RUNS)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text()
    gates = {"M1": "If main < 0.95, stop", "M2": "none (last)"}
    for milestone, gate in gates.items():
        row = f"| {milestone} | Main | R{milestone[1]} (Block {milestone[1]}) |"
        assert f"{row} ok |" in text
        text = text.replace(f"{row} ok |", f"{row} {gate} |")
    plan.write_text(text + "\n**Decision gates:**\n- After M1: if accuracy < 0.5 → investigate\n")
    results, data = _collected(project)
    assert (
        "- **Decision gate (not checked by bridge; decide it from the results):** «If main < "
        "0.95, stop; after M1: if accuracy < 0.5 → investigate»\n" in results
    )
    assert results.count("Decision gate (not checked") == 2  # M0's "ok", M1's; not M2's
    gates = {m["milestone"]: m["decision_gate"] for m in data["milestones"]}
    assert gates == {
        "M0": "ok",
        "M1": "If main < 0.95, stop; after M1: if accuracy < 0.5 → investigate",
        "M2": None,
    }


def test_a_plan_without_blocks_is_judged_per_milestone_section(project: Path) -> None:
    """029_airportaccess, 036_tangut-nlp: no block headings, but each milestone section states a
    success criterion. Those sections stand as blocks and are judged on their milestone's runs;
    before, the criteria were dropped and the results had no verdict at all."""
    write_project(project, RUNS)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text()
    head, rest = text.split("## Experiment Blocks\n", 1)
    order = rest[rest.index("## Run Order") :]
    sections = "".join(
        f"## {m} — {goal}\n\n* **Goal:** {goal.lower()}.\n* **Success criterion:** {said}\n\n"
        for m, goal, said in (
            ("M0", "Sanity", "the script exits 0."),
            ("M1", "Main", "accuracy > 0.5."),
            ("M2", "Stretch", "accuracy ≥ 0.95."),
        )
    )
    plan.write_text(head + sections + order)
    results, data = _collected(project)
    verdicts = {b["block"]: (b["verdict"], b["runs"]) for b in data["blocks"]}
    assert verdicts["M1"] == ("met", ["R1"])
    assert verdicts["M2"] == ("not_met", ["R2"])
    assert "accuracy ≥ 0.95" in results


def test_the_plans_stop_rules_are_quoted_as_not_checked(project: Path) -> None:
    """034_latent-bias: a `## Kill Criteria` section ("Pilot kill. If … < 0, abandon LIB …") is
    quoted after the milestones, as not checked by bridge, and listed in results.json; it was
    shown nowhere, so a researcher reading the verdicts had no reminder of it."""
    write_project(project, RUNS)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(
        plan.read_text()
        + "\n## Kill Criteria\n\n- **Pilot kill.** If accuracy < 0.5, abandon the idea.\n"
        "- **Scope kill.** If R2 fails, drop the second claim.\n"
    )
    results, data = _collected(project)
    assert (
        "## Stop rules the plan states (not checked by bridge; decide them from the results)\n\n"
        "- «Pilot kill. If accuracy < 0.5, abandon the idea.»\n"
        "- «Scope kill. If R2 fails, drop the second claim.»\n"
    ) in results
    assert data["stop_rules"] == [
        "Pilot kill. If accuracy < 0.5, abandon the idea.",
        "Scope kill. If R2 fails, drop the second claim.",
    ]


@needs_shared
def test_a_plan_without_milestones_says_so_rather_than_ask_for_main_milestone(
    tmp_path: Path,
) -> None:
    """017 has no run order: its summary and next step said to set `main_milestone = "M…"`,
    which cannot name anything there. They say the plan has no milestones and how to give it
    some."""
    from tests.plan.corpus import as_project

    project = as_project("017", tmp_path)
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\n[run]\ncommand = \"python3 -c 'import json,sys; "
        'json.dump({\\"score\\": 1}, open(sys.argv[1] + \\"/metrics.json\\", \\"w\\"))\' '
        '{output_dir}"\n'
    )
    bridge = Bridge(project)
    try:
        # 017's runs are proposed from the plan (it has no tracker run table): a person checks
        # them before any is launched (nine were launched unasked).
        assert bridge.run() is Stage.AWAITING_APPROVAL
        assert not (project / ".bridge" / "runs").exists()
        approval = bridge.status().approval
        assert approval is not None
        asked = approval.summary
        assert asked.startswith("The runs were proposed from the plan (9: R001, R002, "), asked
        bridge.approve()
        assert bridge.run() is Stage.COLLECTED
        summary = bridge.summary()
    finally:
        bridge.close()
    assert "Main result: inconclusive (the plan has no milestones, so no main result" in summary
    # The results page too (030's said "name it with main_milestone = "…"", which then failed as
    # "not a milestone of the plan (milestones: none)").
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert "- **Main result:** `inconclusive` (the plan has no milestones)\n" in results
    assert "main_milestone" not in results
    # The next step says what `bridge plan` says: its run-order list (:86-92, steps 1.-5.) names
    # no milestone ids, and what to write (it said "a numbered list of steps is none" while the
    # warning said "no run-order table, milestone headings or list").
    said = "the run-order list (line 88) names no milestone ids (M0, M1, …)"
    assert (
        f"The plan has no milestones ({said}), so it has no main result: read each block's "
        "verdict in EXPERIMENT_RESULTS.md (“Blocks: criteria and verdicts”); for a main result, "
        f"write {MILESTONES_TO_WRITE}, then run `bridge run`."
    ) in results, results
    # The terminal's summary ends with the same step, and no verdict is printed above it
    # there: "read each block's verdict above" pointed at nothing (trial t18 on 030).
    assert "verdict above" not in summary
    assert "a numbered list of steps is none" not in results
    assert [w.message for w in load_project(project).warnings if said in w.message] == [
        f"no milestones found: {said}; write {MILESTONES_TO_WRITE}"
    ]
    # Without a sanity milestone first, the guessed runs still wait for a person.
    unchecked = as_project("017", tmp_path / "unchecked")
    (unchecked / "bridge.toml").write_text((project / "bridge.toml").read_text())
    bridge = Bridge(unchecked, options={"sanity_first": False})
    try:
        assert bridge.run() is Stage.AWAITING_APPROVAL
    finally:
        bridge.close()
    assert not (unchecked / ".bridge" / "runs").exists()
    assert "main_milestone" not in summary


def test_a_run_added_without_a_command_blocks_before_it_launches(tmp_path: Path) -> None:
    """Trial P3 on 009: a tracker row added after the first `bridge run`, whose system no
    command is configured for, was launched ("launch failed: the command must be a non-empty
    list") and counted as a failed must-run, with no word of bridge.toml. It blocks before
    anything launches, naming the run and the setting."""
    from tests.e2e.tiny import write_project as write_tiny

    project = write_tiny(tmp_path / "p")
    assert Bridge(project).run() is Stage.COLLECTED
    toml = project / "bridge.toml"
    command = next(line for line in toml.read_text().splitlines() if line.startswith("command"))
    text = toml.read_text().replace(command + "\n", "")
    text = text.replace('[systems."Baseline"]\n', f'[systems."Baseline"]\n{command}\n')
    text += f'\n[systems."Method"]\n{command}\n'
    toml.write_text(text)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text().replace(
            "| R003 |",
            "| R004 | M1 | extra | Other | test | accuracy | MUST | TODO | seed 1 |\n| R003 |",
        )
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.BLOCKED
        state = bridge.status()
    finally:
        bridge.close()
    assert state.blocked is not None
    assert state.blocked.reason.startswith("1 run has no command: R004. Fix: set [run] command")
    assert not state.runs["R004"].attempts


def test_a_block_judged_as_the_start_of_its_approved_entry_is_judged_otherwise() -> None:
    """An approval stands for a block read again only when it is judged exactly as in the
    check the person approved. "Judged the same" was a substring test: 006's B5 now at skill
    -0.0 where the person approved -0.05, or failing fewer clauses, read as the same entry
    (its start), and the approval covered numbers it never saw. Whole entries are compared,
    a block's own "; " is no boundary, and a detail cut at 2,000 characters leaves its last
    entry out (changed)."""
    from bridge.pipeline.steps.sanity import _held_entries

    b5 = "B5: skill: S3 composite -0.05"
    b8 = "B8: rmse: sanity 0.9 (n=1); 0.9, required < 0.5 → not met"
    tail = ". Fix the cause and `bridge retry --force R001 R002`, or `bridge approve` to go on"
    since = (
        ". R002's numbers were read again under new [metrics] settings after a person approved"
        " going past the criterion: the earlier approval was for the earlier numbers"
    )
    ids = {"B5", "B8", "B15"}
    for detail in (f" {b5}; {b8}{tail}", f" {b5}; {b8}{since}{tail}"):
        entries = _held_entries(detail, ids)
        assert entries == {b5, b8}, entries
        assert "B5: skill: S3 composite -0.0" not in entries
        assert "B8: rmse: sanity 0.9 (n=1)" not in entries
    cut = f" {b8}; {b5}"  # cut at 2,000 characters: B5 may have gone on
    assert _held_entries(cut, ids) == {b8}
