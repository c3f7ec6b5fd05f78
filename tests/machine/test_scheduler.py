"""
Tests for the pure scheduler: ``decide`` over folded logs built from real events.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bridge.events import types as ev
from bridge.events.store import InMemoryEventStore
from bridge.events.values import JobHandle, Slot
from bridge.machine.fold import PipelineState, fold
from bridge.machine.scheduler import (
    Cancel,
    GiveUp,
    Launch,
    Policy,
    Retry,
    WarnBudget,
    decide,
    held_for_code_by,
    phase_done,
)
from bridge.machine.stages import RunState
from bridge.plan.status_legend import held_for_code

T0 = datetime(2026, 1, 1, tzinfo=UTC)
CPU = tuple(Slot(host=f"local#{k}") for k in range(8))
GPUS = tuple(Slot(host="local", gpu=k) for k in range(4))


class Log:
    """
    A real in-memory event log with shorthand for the run events the scheduler reads.
    """

    def __init__(self, milestones: tuple[tuple[str, bool], ...], budget: float | None = None):
        self.store = InMemoryEventStore()
        self.store.append(
            "bridge",
            [
                ev.PlanLoaded(
                    title="t",
                    plan_path="refine-logs/EXPERIMENT_PLAN.md",
                    plan_sha256="0" * 64,
                    milestones=tuple(ev.MilestoneInfo(id=m, sanity=s) for m, s in milestones),
                    budget_gpu_hours=budget,
                )
            ],
            None,
        )

    def plan(self, run_id: str, milestone: str, **fields: Any) -> Log:
        self.store.append(
            f"run:{run_id}", [ev.RunPlanned(run_id=run_id, milestone=milestone, **fields)], None
        )
        return self

    def _attempt(self, run_id: str) -> str:
        return self.state().runs[run_id].current.attempt_id  # type: ignore[union-attr]

    def launch(self, run_id: str, *slots: Slot) -> Log:
        number = len(self.state().runs[run_id].attempts) + 1
        aid = f"{run_id}-a{number}"
        self.store.append(
            f"run:{run_id}",
            [
                ev.RunSubmitted(
                    run_id=run_id, attempt_id=aid, attempt=number, backend="x", slots=slots
                ),
                ev.RunStarted(
                    run_id=run_id, attempt_id=aid, handle=JobHandle(backend="x", attempt_id=aid)
                ),
            ],
            None,
        )
        return self

    def finish(self, run_id: str, event: type[Any] = ev.RunSucceeded, **fields: Any) -> Log:
        self.store.append(
            f"run:{run_id}",
            [event(run_id=run_id, attempt_id=self._attempt(run_id), **fields)],
            None,
        )
        return self

    def run(self, run_id: str, *slots: Slot, **fields: Any) -> Log:
        return self.launch(run_id, *slots).finish(run_id, **fields)

    def add(self, run_id: str, *events: Any) -> Log:
        self.store.append(f"run:{run_id}", list(events), None)
        return self

    def state(self) -> PipelineState:
        return fold(self.store.read())


def launched(decisions: list[Any]) -> list[str]:
    return [d.run_id for d in decisions if isinstance(d, Launch)]


def of(kind: type[Any], decisions: list[Any]) -> list[Any]:
    return [d for d in decisions if isinstance(d, kind)]


def three_milestones() -> Log:
    log = Log((("M0", True), ("M1", False), ("M2", False)))
    log.plan("S1", "M0").plan("A1", "M1").plan("A2", "M1").plan("B1", "M2").plan("B2", "M2")
    return log


class TestMilestoneOrder:
    def test_sanity_phase_launches_only_the_sanity_milestone(self) -> None:
        """In the sanity phase only the sanity milestone's runs are launched."""
        log = three_milestones()
        assert launched(decide(log.state(), CPU, T0, Policy(), phase="sanity")) == ["S1"]

    def test_deploy_phase_never_launches_sanity_runs(self) -> None:
        """The deploy phase starts at the first non-sanity milestone and skips sanity runs."""
        log = three_milestones()
        assert launched(decide(log.state(), CPU, T0, Policy(), phase="deploy")) == ["A1", "A2"]

    def test_without_sanity_first_the_sanity_milestone_is_just_the_first(self) -> None:
        """sanity_first=False treats the sanity milestone as an ordinary first milestone."""
        log = three_milestones()
        policy = Policy(sanity_first=False)
        assert launched(decide(log.state(), CPU, T0, policy, phase="deploy")) == ["S1"]

    def test_next_milestone_waits_for_every_must_run(self) -> None:
        """M2 does not start while one must-run run of M1 is still running."""
        log = three_milestones().run("A1").launch("A2")
        assert launched(decide(log.state(), CPU, T0, Policy())) == []

    def test_next_milestone_starts_once_must_runs_succeeded(self) -> None:
        """M2 starts as soon as every must-run run of M1 succeeded."""
        log = three_milestones().run("A1").run("A2")
        assert launched(decide(log.state(), CPU, T0, Policy())) == ["B1", "B2"]

    def test_milestones_follow_plan_order_not_run_order(self) -> None:
        """Runs planned out of order still go milestone by milestone in the plan's order."""
        log = Log((("M1", False), ("M2", False)))
        log.plan("late", "M2").plan("early", "M1")
        assert launched(decide(log.state(), CPU, T0, Policy())) == ["early"]

    def test_must_run_failure_cancels_later_milestones(self) -> None:
        """A failed must-run run cancels every pending run of the milestones after it."""
        log = three_milestones().run("A1").run("A2", event=ev.RunFailed, exit_code=1)
        decisions = decide(log.state(), CPU, T0, Policy())
        assert sorted(d.run_id for d in of(Cancel, decisions)) == ["B1", "B2"]
        assert all("A2" in d.reason for d in of(Cancel, decisions))
        assert launched(decisions) == []

    def test_a_failed_milestone_does_not_stop_runs_of_no_milestone(self) -> None:
        """034's R013, of a block no milestone names, was cancelled by a failed must-run run
        of milestone A3: runs of no milestone wait for no milestone, so they run."""
        log = three_milestones().plan("Z1", "")
        log.run("A1").run("A2", event=ev.RunFailed, exit_code=1)
        decisions = decide(log.state(), CPU, T0, Policy())
        assert sorted(d.run_id for d in of(Cancel, decisions)) == ["B1", "B2"]
        assert launched(decisions) == ["Z1"]

    def test_a_must_run_row_failed_before_bridge_cancels_later_milestones(self) -> None:
        """005's R005, ``FAIL`` in the tracker, stops what comes after its milestone as a
        failure under bridge does; the reason says it failed before bridge."""
        log = three_milestones().run("A1")
        log.add("A2", ev.RunFoundDone(run_id="A2", status="FAIL"))
        decisions = decide(log.state(), CPU, T0, Policy())
        assert sorted(d.run_id for d in of(Cancel, decisions)) == ["B1", "B2"]
        assert {d.reason for d in of(Cancel, decisions)} == {
            "not run: milestone M1 must-run A2 ended failed before bridge"
        }
        assert launched(decisions) == []

    def test_a_must_run_row_waiting_for_its_code_cancels_later_milestones(self) -> None:
        """023's M2 rows wait for their code (PENDING_IMPLEMENTATION) and M3-M5 ran ahead of
        them: the later milestones are cancelled, saying which row holds them; the runs of its
        own milestone go on."""
        log = three_milestones()
        held = held_for_code("PENDING_IMPLEMENTATION", "its code is not written yet")
        log.add("A2", ev.RunRuledOut(run_id="A2", status="blocked", reason=held))
        decisions = decide(log.state(), CPU, T0, Policy())
        assert launched(decisions) == ["A1"]
        assert sorted(d.run_id for d in of(Cancel, decisions)) == ["B1", "B2"]
        reasons = {d.reason for d in of(Cancel, decisions)}
        assert reasons == {"not run: milestone M1 must-run A2 waits for its code"}
        log.add("B1", ev.RunCancelled(run_id="B1", reason=reasons.pop()))
        assert held_for_code_by(log.state().runs["B1"]) == "A2"
        assert held_for_code_by(log.state().runs["A1"]) is None

    def test_a_milestone_named_in_words_still_says_which_row_holds_it(self) -> None:
        """034's milestones are named in words ("Ablations complete"): the held run's reason is
        read back with the spaces in the milestone's name."""
        log = three_milestones()
        reason = "not run: milestone Ablations complete must-run A2 waits for its code"
        log.add("B1", ev.RunCancelled(run_id="B1", reason=reason))
        assert held_for_code_by(log.state().runs["B1"]) == "A2"

    def test_a_row_ruled_out_or_a_nice_row_waiting_for_code_holds_nothing(self) -> None:
        """A row the researcher ruled out (SKIPPED) is no part of the plan any more, and a
        nice-to-have row holds nothing, as under bridge."""
        log = three_milestones().run("A1")
        log.add("A2", ev.RunRuledOut(run_id="A2", status="skipped", reason="SKIPPED"))
        assert launched(decide(log.state(), CPU, T0, Policy())) == ["B1", "B2"]
        log = Log((("M1", False), ("M2", False)))
        log.plan("A1", "M1").plan("N1", "M1", priority="nice").plan("B1", "M2").run("A1")
        held = held_for_code("TODO-CODE", "its code is not written yet")
        log.add("N1", ev.RunRuledOut(run_id="N1", status="blocked", reason=held))
        assert launched(decide(log.state(), CPU, T0, Policy())) == ["B1"]

    def test_a_row_done_before_bridge_lets_the_plan_go_on(self) -> None:
        """Done before bridge without a failure (DONE, 002's settled gate) holds nothing."""
        log = three_milestones().run("A1")
        log.add("A2", ev.RunFoundDone(run_id="A2", status="DONE"))
        decisions = decide(log.state(), CPU, T0, Policy())
        assert of(Cancel, decisions) == [] and launched(decisions) == ["B1", "B2"]

    def test_a_nice_row_failed_before_bridge_holds_nothing(self) -> None:
        """Only must-run rows hold the plan, as under bridge."""
        log = Log((("M1", False), ("M2", False)))
        log.plan("A1", "M1").plan("N1", "M1", priority="nice").plan("B1", "M2").run("A1")
        log.add("N1", ev.RunFoundDone(run_id="N1", status="FAIL"))
        assert launched(decide(log.state(), CPU, T0, Policy())) == ["B1"]

    def test_nice_to_have_failure_does_not_block(self) -> None:
        """A failed nice-to-have run neither blocks nor cancels the next milestone."""
        log = Log((("M1", False), ("M2", False)))
        log.plan("A1", "M1").plan("N1", "M1", priority="nice").plan("B1", "M2")
        log.run("A1").run("N1", event=ev.RunFailed, exit_code=1)
        decisions = decide(log.state(), CPU, T0, Policy())
        assert launched(decisions) == ["B1"]
        assert of(Cancel, decisions) == []

    def test_failure_with_retries_left_does_not_cancel(self) -> None:
        """A must-run failure that will be retried holds the next milestone but cancels nothing."""
        log = Log((("M1", False), ("M2", False)))
        log.plan("A1", "M1", max_retries=1).plan("B1", "M2")
        log.run("A1", event=ev.RunFailed, exit_code=1)
        decisions = decide(log.state(), CPU, T0, Policy())
        assert [d.run_id for d in of(Retry, decisions)] == ["A1"]
        assert of(Cancel, decisions) == [] and launched(decisions) == []

    def test_overdue_run_does_not_hold_the_next_milestone(self) -> None:
        """A run flagged overdue lets the next milestone start while it keeps running."""
        log = Log((("M1", False), ("M2", False)))
        log.plan("A1", "M1", estimated_minutes=1.0).plan("B1", "M2").launch("A1")
        log.add(
            "A1",
            ev.RunOverdue(
                run_id="A1", attempt_id="A1-a1", estimated_minutes=1.0, elapsed_minutes=3.0
            ),
        )
        assert launched(decide(log.state(), CPU, T0, Policy())) == ["B1"]

    def test_phase_done_only_when_every_run_is_terminal(self) -> None:
        """phase_done is false while a sanity run is live and true once it has ended."""
        log = three_milestones().launch("S1")
        assert not phase_done(log.state(), Policy(), "sanity")
        log.finish("S1")
        assert phase_done(log.state(), Policy(), "sanity")
        assert not phase_done(log.state(), Policy(), "deploy")


class TestDependencies:
    def test_dependant_waits_for_its_dependency(self) -> None:
        """A run with depends_on does not launch until its dependency succeeded."""
        log = Log((("M1", False),))
        log.plan("P1", "M1").plan("P2", "M1", depends_on=("P1",))
        assert launched(decide(log.state(), CPU, T0, Policy())) == ["P1"]
        log.run("P1")
        assert launched(decide(log.state(), CPU, T0, Policy())) == ["P2"]

    def test_failed_dependency_cancels_the_dependant(self) -> None:
        """A dependency that failed for good cancels the run that waits for it, naming it."""
        log = Log((("M1", False),))
        log.plan("P1", "M1", priority="nice").plan("P2", "M1", depends_on=("P1",))
        log.run("P1", event=ev.RunFailed, exit_code=2)
        decisions = decide(log.state(), CPU, T0, Policy())
        assert [(d.run_id, "P1" in d.reason) for d in of(Cancel, decisions)] == [("P2", True)]
        assert launched(decisions) == []

    def test_a_dependency_failed_before_bridge_cancels_the_dependant(self) -> None:
        """005's R013 post-processes R005's outputs; R005 is ``FAIL`` in the tracker, so R013
        cannot run on them; a dependency done before bridge lets it run."""
        log = Log((("M1", False),))
        log.plan("P1", "M1", priority="nice").plan("P2", "M1", depends_on=("P1",))
        log.plan("D1", "M1", priority="nice").plan("P3", "M1", depends_on=("D1",))
        log.add("P1", ev.RunFoundDone(run_id="P1", status="FAIL"))
        log.add("D1", ev.RunFoundDone(run_id="D1", status="DONE"))
        decisions = decide(log.state(), CPU, T0, Policy())
        assert [d.run_id for d in of(Cancel, decisions)] == ["P2"]
        assert "dependency P1 failed" in of(Cancel, decisions)[0].reason
        assert launched(decisions) == ["P3"]

    def test_a_chain_of_dependants_is_cancelled_in_one_round(self) -> None:
        """011: R008 waits on R007, R009 on R008; R007 failed and R009 was cancelled 5 s after
        R008, on the dispatcher's next wake-up. Both go in one round."""
        log = Log((("M1", False),))
        log.plan("P1", "M1", priority="nice").plan("P2", "M1", depends_on=("P1",))
        log.plan("P3", "M1", depends_on=("P2",))
        log.run("P1", event=ev.RunFailed, exit_code=1)
        decisions = decide(log.state(), CPU, T0, Policy())
        assert [(d.run_id, d.reason) for d in of(Cancel, decisions)] == [
            ("P2", "not run: dependency P1 failed"),
            # P2 never ran: "P2 failed" sent 011's reader to a run with no error of its own.
            ("P3", "not run: dependency P2 was cancelled"),
        ]

    def test_a_dependency_cancelled_earlier_is_said_cancelled(self) -> None:
        """011's R028 waits on R027, cancelled in an earlier round (or by a person): its reason
        says R027 was cancelled, not that it failed."""
        log = Log((("M1", False),))
        log.plan("P1", "M1", priority="nice").plan("P2", "M1", depends_on=("P1",))
        log.add("P1", ev.RunCancelled(run_id="P1", reason="cancelled by a person"))
        decisions = decide(log.state(), CPU, T0, Policy())
        assert [(d.run_id, d.reason) for d in of(Cancel, decisions)] == [
            ("P2", "not run: dependency P1 was cancelled")
        ]

    def test_stuck_dependency_cancels_the_dependant(self) -> None:
        """A dependency stuck after OOM retries also cancels its dependant."""
        log = Log((("M1", False),))
        log.plan("P1", "M1", oom_max_attempts=1, priority="nice").plan(
            "P2", "M1", depends_on=("P1",)
        )
        log.run("P1", event=ev.RunFailed, oom=True).add(
            "P1", ev.RunStuck(run_id="P1", reason="oom")
        )
        assert [d.run_id for d in of(Cancel, decide(log.state(), CPU, T0, Policy()))] == ["P2"]


class TestResources:
    def test_at_most_max_parallel_runs_live(self) -> None:
        """Launches stop at max_parallel, counting runs already live."""
        log = Log((("M1", False),))
        for k in range(6):
            log.plan(f"R{k}", "M1")
        log.launch("R0", CPU[0])
        assert launched(decide(log.state(), CPU, T0, Policy(max_parallel=3))) == ["R1", "R2"]

    def test_one_run_per_gpu(self) -> None:
        """A GPU held by a live run is not offered again; each launch gets a distinct GPU."""
        log = Log((("M1", False),))
        for k in range(5):
            log.plan(f"R{k}", "M1", gpus=1)
        log.launch("R0", GPUS[2])
        decisions = of(Launch, decide(log.state(), GPUS, T0, Policy(max_parallel=8)))
        slots = [s for d in decisions for s in d.slots]
        assert len(decisions) == 3
        assert sorted(s.gpu for s in slots) == [0, 1, 3]

    def test_multi_gpu_run_waits_for_enough_gpus(self) -> None:
        """A run needing 2 GPUs does not launch on one free GPU."""
        log = Log((("M1", False),))
        log.plan("R0", "M1", gpus=1).plan("R1", "M1", gpus=2)
        decisions = of(Launch, decide(log.state(), GPUS[:2], T0, Policy()))
        assert [d.run_id for d in decisions] == ["R0"]


class TestOutOfMemory:
    def test_oom_retries_after_backoff_avoiding_the_gpu(self) -> None:
        """An OOM failure is retried after the backoff, avoiding the GPU it failed on."""
        log = Log((("M1", False),))
        log.plan("R0", "M1", gpus=1, oom_max_attempts=3).run(
            "R0", GPUS[1], event=ev.RunFailed, oom=True
        )
        (retry,) = of(Retry, decide(log.state(), GPUS, T0, Policy(oom_backoff_seconds=10)))
        assert retry.not_before == T0 + timedelta(seconds=10)
        assert retry.avoid_slots == (GPUS[1],)

    def test_a_cpu_run_is_not_told_it_moves_to_another_gpu(self) -> None:
        """Trial t6: a run with no GPU read `retry 1 after 30s on another GPU` (zh `在另一块
        GPU 上`); a GPU run still says so."""
        from bridge.projections.failure_words import retry_in_language

        log = Log((("M1", False),))
        log.plan("R0", "M1", gpus=0, oom_max_attempts=3).run(
            "R0", CPU[0], event=ev.RunFailed, oom=True
        )
        log.plan("R1", "M1", gpus=1, oom_max_attempts=3).run(
            "R1", GPUS[1], event=ev.RunFailed, oom=True
        )
        decided = of(Retry, decide(log.state(), (*CPU, *GPUS), T0, Policy(oom_backoff_seconds=30)))
        reasons = {d.run_id: d.reason for d in decided}
        assert reasons == {
            "R0": "out of memory; retry 1 after 30s",
            "R1": "out of memory; retry 1 after 30s on another GPU",
        }
        assert retry_in_language(reasons["R0"], "zh") == "内存不足；30 秒后第 1 次重试"
        assert (
            retry_in_language(reasons["R1"], "zh") == "显存不足；30 秒后在另一块 GPU 上第 1 次重试"
        )

    def test_a_cpu_runs_give_up_says_memory_not_gpu_memory(self) -> None:
        """025 (trial t6): a run with no GPU that ran out of memory every time read `显存不足 3
        次` (GPU memory) when it gave up; a GPU run's still says GPU memory."""
        from bridge.projections.failure_words import failure_in_language

        log = Log((("M1", False),))
        log.plan("R0", "M1", gpus=0, oom_max_attempts=1).run(
            "R0", CPU[0], event=ev.RunFailed, oom=True
        )
        log.plan("R1", "M1", gpus=1, oom_max_attempts=1).run(
            "R1", GPUS[1], event=ev.RunFailed, oom=True
        )
        given_up = of(GiveUp, decide(log.state(), (*CPU, *GPUS), T0, Policy()))
        reasons = {d.run_id: d.reason for d in given_up}
        assert reasons == {
            "R0": "out of memory 1 times (1 attempts)",
            "R1": "out of GPU memory 1 times (1 attempts)",
        }
        assert failure_in_language(reasons["R0"], "zh") == "内存不足 1 次（1 次尝试）"
        assert failure_in_language(reasons["R1"], "zh") == "显存不足 1 次（1 次尝试）"

    def test_a_cpu_run_whose_log_says_cuda_ran_out_says_gpu_memory(self) -> None:
        """Review r33: a run that asked for no GPU but used one (its failure reads `out of GPU
        memory: … CUDA out of memory`) was told its retry and its giving up were for the host's
        memory (`内存不足`)."""
        from bridge.projections.failure_words import failure_in_language, retry_in_language

        cuda = "out of GPU memory: RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB"
        log = Log((("M1", False),))
        log.plan("R0", "M1", gpus=0, oom_max_attempts=3).run(
            "R0", CPU[0], event=ev.RunFailed, oom=True, reason=cuda
        )
        log.plan("R1", "M1", gpus=0, oom_max_attempts=1).run(
            "R1", CPU[1], event=ev.RunFailed, oom=True, reason=cuda
        )
        decided = decide(log.state(), CPU, T0, Policy(oom_backoff_seconds=30))
        (retry,) = of(Retry, decided)
        (given_up,) = of(GiveUp, decided)
        assert retry.reason == "out of GPU memory; retry 1 after 30s"
        assert retry_in_language(retry.reason, "zh") == "显存不足；30 秒后第 1 次重试"
        assert given_up.reason == "out of GPU memory 1 times (1 attempts)"
        assert failure_in_language(given_up.reason, "zh") == "显存不足 1 次（1 次尝试）"

    def test_backoff_doubles_with_each_oom(self) -> None:
        """The second OOM waits twice as long as the first."""
        log = Log((("M1", False),))
        log.plan("R0", "M1", gpus=1, oom_max_attempts=5)
        log.run("R0", GPUS[0], event=ev.RunFailed, oom=True).add(
            "R0", ev.RunRetryScheduled(run_id="R0")
        )
        log.run("R0", GPUS[1], event=ev.RunFailed, oom=True)
        (retry,) = of(Retry, decide(log.state(), GPUS, T0, Policy(oom_backoff_seconds=10)))
        assert retry.not_before == T0 + timedelta(seconds=20)

    def test_retry_waits_for_backoff_then_moves_to_another_gpu(self) -> None:
        """A pending OOM retry is not launched before not_before, then lands on another GPU."""
        log = Log((("M1", False),))
        log.plan("R0", "M1", gpus=1).run("R0", GPUS[0], event=ev.RunFailed, oom=True)
        later = T0 + timedelta(seconds=30)
        log.add("R0", ev.RunRetryScheduled(run_id="R0", not_before=later, avoid_slots=(GPUS[0],)))
        assert launched(decide(log.state(), GPUS, T0, Policy())) == []
        (launch,) = of(Launch, decide(log.state(), GPUS, later, Policy()))
        assert launch.slots != (GPUS[0],)

    def test_every_gpu_that_ran_out_of_memory_is_avoided(self) -> None:
        """After OOMs on GPUs 0 and 1, the retry avoids both, not only the last one."""
        log = Log((("M1", False),))
        log.plan("R0", "M1", gpus=1, oom_max_attempts=4)
        log.run("R0", GPUS[0], event=ev.RunFailed, oom=True).add(
            "R0", ev.RunRetryScheduled(run_id="R0")
        )
        log.run("R0", GPUS[1], event=ev.RunFailed, oom=True)
        (retry,) = of(Retry, decide(log.state(), GPUS, T0, Policy()))
        assert set(retry.avoid_slots) == {GPUS[0], GPUS[1]}

    def test_stuck_after_the_attempt_limit(self) -> None:
        """Once oom_max_attempts attempts ran out of memory the run gives up as stuck."""
        log = Log((("M1", False),))
        log.plan("R0", "M1", gpus=1, oom_max_attempts=2)
        log.run("R0", GPUS[0], event=ev.RunFailed, oom=True).add(
            "R0", ev.RunRetryScheduled(run_id="R0")
        )
        log.run("R0", GPUS[1], event=ev.RunFailed, oom=True)
        decisions = decide(log.state(), GPUS, T0, Policy())
        assert [d.run_id for d in of(GiveUp, decisions)] == ["R0"] and of(Retry, decisions) == []

    def test_ordinary_failure_is_not_retried_by_default(self) -> None:
        """A non-OOM failure with max_retries=0 is final: no retry, no give-up."""
        log = Log((("M1", False),))
        log.plan("R0", "M1").run("R0", event=ev.RunFailed, exit_code=1)
        decisions = decide(log.state(), CPU, T0, Policy())
        assert of(Retry, decisions) == [] and of(GiveUp, decisions) == []


class TestLaunchFailed:
    """A launch the backend refused (nothing ran) is retried after a deliberate, growing wait;
    a run that ran and failed is retried at once."""

    @staticmethod
    def _refused(log: Log, run_id: str) -> Log:
        number = len(log.state().runs[run_id].attempts) + 1
        aid = f"{run_id}-a{number}"
        return log.add(
            run_id,
            ev.RunSubmitted(run_id=run_id, attempt_id=aid, attempt=number, backend="x"),
            ev.RunFailed(run_id=run_id, attempt_id=aid, reason="launch failed: host down"),
        )

    @staticmethod
    def _retry(log: Log, run_id: str, policy: Policy) -> Retry:
        (retry,) = of(Retry, decide(log.state(), CPU, T0, policy))
        log.add(run_id, ev.RunRetryScheduled(run_id=run_id, reason=retry.reason))
        return retry

    def test_the_wait_doubles_per_launch_failure_in_a_row_up_to_64_times(self) -> None:
        """launch_backoff_seconds (default 5 s), then 10 s, … at most 64 times it."""
        log = Log((("M1", False),))
        log.plan("R0", "M1", max_retries=9)
        waits = []
        for _ in range(9):
            retry = self._retry(self._refused(log, "R0"), "R0", Policy())
            assert retry.not_before is not None
            waits.append((retry.not_before - T0).total_seconds())
        assert waits == [5, 10, 20, 40, 80, 160, 320, 320, 320]
        assert retry.reason == "launch failed; retry 9 of 9 after 320s"
        # Out of retries: the failure stands, nothing more is launched.
        decisions = decide(self._refused(log, "R0").state(), CPU, T0, Policy())
        assert of(Retry, decisions) == [] and launched(decisions) == []

    def test_a_run_that_ran_and_failed_is_retried_at_once(self) -> None:
        """After a run that started, the launch failures before it no longer count: its own
        failure is retried at once, and a launch failure after it waits the first delay."""
        log = Log((("M1", False),))
        log.plan("R0", "M1", max_retries=3)
        first = self._retry(self._refused(log, "R0"), "R0", Policy(launch_backoff_seconds=2))
        assert first.not_before == T0 + timedelta(seconds=2)
        ran = self._retry(log.run("R0", event=ev.RunFailed, exit_code=1), "R0", Policy())
        assert (ran.not_before, ran.reason) == (None, "failed; retry 2 of 3")
        again = self._retry(self._refused(log, "R0"), "R0", Policy(launch_backoff_seconds=2))
        assert again.not_before == T0 + timedelta(seconds=2)

    def test_the_reason_reads_in_chinese(self) -> None:
        """The retry's reason is one of bridge's, said in the plan's language."""
        from bridge.projections.failure_words import retry_in_language

        said = retry_in_language("launch failed; retry 1 of 2 after 5s", "zh")
        assert said == "启动失败；5 秒后第 1 次重试（共 2 次）"


class TestBudget:
    def _spent(self, *, enforce: bool, used_hours: float, budget: float = 10.0) -> list[Any]:
        log = Log((("M1", False),), budget=budget)
        log.plan("done", "M1", gpus=1).plan("next", "M1", gpus=1, estimated_minutes=120.0)
        log.run("done", GPUS[0], gpu_seconds=used_hours * 3600)
        return decide(log.state(), GPUS, T0, Policy(budget_enforce=enforce))

    def test_warns_at_80_percent(self) -> None:
        """Crossing 80% of the budget warns once at 0.8."""
        warnings = of(WarnBudget, self._spent(enforce=False, used_hours=8.5))
        assert [w.threshold for w in warnings] == [0.8]

    def test_warns_at_100_percent_too(self) -> None:
        """Crossing the whole budget warns at 0.8 and 1.0."""
        assert [
            w.threshold for w in of(WarnBudget, self._spent(enforce=False, used_hours=10.5))
        ] == [0.8, 1.0]

    def test_warning_is_not_repeated(self) -> None:
        """A threshold already warned about in the log is not warned again."""
        log = Log((("M1", False),), budget=10.0)
        log.plan("done", "M1", gpus=1).run("done", GPUS[0], gpu_seconds=9 * 3600)
        log.store.append(
            "bridge", [ev.BudgetWarned(threshold=0.8, used_gpu_hours=9, planned_gpu_hours=10)], None
        )
        assert of(WarnBudget, decide(log.state(), GPUS, T0, Policy())) == []

    def test_warn_mode_still_launches_past_the_budget(self) -> None:
        """With budget = warn a run that would exceed the budget still launches."""
        assert launched(self._spent(enforce=False, used_hours=9.0)) == ["next"]

    def test_enforce_mode_launches_nothing_past_the_budget(self) -> None:
        """With budget = enforce a run whose estimate would exceed the budget is not launched."""
        assert launched(self._spent(enforce=True, used_hours=9.0)) == []

    def test_enforce_mode_launches_what_fits(self) -> None:
        """With budget = enforce a run that fits in what is left is launched."""
        assert launched(self._spent(enforce=True, used_hours=7.0)) == ["next"]


class TestRunStates:
    def test_lost_run_is_relaunched_once(self) -> None:
        """A lost attempt is retried once (lost_retries), then left lost."""
        log = Log((("M1", False),))
        log.plan("R0", "M1").run("R0", event=ev.RunLost)
        assert [d.run_id for d in of(Retry, decide(log.state(), CPU, T0, Policy()))] == ["R0"]
        log.add("R0", ev.RunRetryScheduled(run_id="R0")).run("R0", event=ev.RunLost)
        assert of(Retry, decide(log.state(), CPU, T0, Policy())) == []
        assert log.state().runs["R0"].state is RunState.LOST
