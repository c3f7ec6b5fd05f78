"""
What a researcher reads after `bridge run` on 001's shape (trial t5 on corpus 001_dcham): the
next step beside a negative main result and an untrusted block, the runs it names as failed,
and the counts of runs (tracker tasks apart, a NaN run not counted completed). Logs built event
by event (no processes).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest

from bridge.events import types as ev
from bridge.events.measurements import MetricValue, QualityFlag
from bridge.events.store import InMemoryEventStore
from bridge.events.values import JobHandle
from bridge.machine.fold import PipelineState, fold
from bridge.machine.judge import MainResult, VerdictKind
from bridge.machine.views import TASK_NOT_RUN, TASK_NOT_RUN_TAIL
from bridge.projections import results, results_data, tracker
from bridge.projections.outcome import evaluate
from bridge.projections.summary import handoff_summary
from tests.conftest import needs_shared
from tests.plan.corpus import as_project
from tests.recorded_runs import finished_run, planned, recorded_value

_T0 = datetime(2026, 12, 6, 7, 53, tzinfo=UTC)
_COLLECTED = (
    ("IMPLEMENTED", "implement"),
    ("REVIEWED", "review"),
    ("SANITY_OK", "pass_sanity"),
    ("DEPLOYED", "deploy"),
    ("COLLECTED", "collect"),
)
_CMD = ("python3", "fake_train.py", "--run", "{run_id}")
_NAN = QualityFlag(metric="accuracy", kind="non_finite", message="accuracy = NaN")


def _clock() -> Callable[[], datetime]:
    ticks = iter(range(10_000))
    return lambda: _T0 + timedelta(seconds=next(ticks))


def _value(run: str, value: float | None, raw: str, name: str = "accuracy") -> MetricValue:
    return recorded_value(run, name, value, raw)


def _succeeded(
    store: InMemoryEventStore,
    run_id: str,
    milestone: str,
    block: str,
    system: str,
    value: MetricValue,
    quality: tuple[QualityFlag, ...] = (),
) -> None:
    attempt = f"{run_id}-a1"
    store.append(
        f"run:{run_id}",
        [
            ev.RunPlanned(
                run_id=run_id, milestone=milestone, block=block, system=system, command=_CMD
            ),
            ev.RunSubmitted(
                run_id=run_id, attempt_id=attempt, attempt=1, backend="local", argv=("x",)
            ),
            ev.RunStarted(
                run_id=run_id, attempt_id=attempt, handle=JobHandle(backend="local", attempt_id="x")
            ),
            ev.RunSucceeded(run_id=run_id, attempt_id=attempt),
            ev.MetricsRecorded(run_id=run_id, attempt_id=attempt, values=(value,), quality=quality),
        ],
        None,
    )


def _store(
    language: str = "en", *, crashed: bool = False, left: bool = False
) -> InMemoryEventStore:
    """
    001's shape: M2 (main) judges B1 not met on R003 (Standard LoRA 0.61) and R004 (DepthGate
    0.62, under the 2-point gain); M3's B2 holds R005 (accuracy NaN) and R006; two tracker
    implementation tasks (I1 done, I5 not). ``crashed``: R006 crashed and bridge cancelled M4's
    R007 and R008 because of it, as the first `bridge run` of trial t5 did. ``left``: as
    ``crashed``, but R006 has succeeded since, and R007 and R008 are still cancelled.
    """
    store = InMemoryEventStore(clock=_clock())
    b1 = ev.BlockInfo(
        id="B1",
        systems=("Standard LoRA", "DepthGate"),
        proposed="DepthGate",
        metrics=("accuracy",),
        success_criterion="DepthGate accuracy > Standard LoRA accuracy by >= 2 points",
        failure_interpretation="If DepthGate ≈ Standard LoRA → depth conditioning of PEFT "
        "doesn't help → paper becomes negative result (C1 falsified)",
    )
    b2 = ev.BlockInfo(
        id="B2",
        systems=("DepthFiLM", "DepthBasis"),
        metrics=("accuracy",),
        success_criterion="Either clear ordering OR clear equivalence",
    )
    b3 = ev.BlockInfo(
        id="B3",
        systems=("shuffled", "zero"),
        metrics=("accuracy",),
        success_criterion="shuffled accuracy > zero accuracy",
    )
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="DCHAM",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="b" * 64,
                options={"language": language, "main_milestone": "M2"},
                milestones=(
                    ev.MilestoneInfo(id="M2", goal="Core", blocks=("B1",)),
                    ev.MilestoneInfo(id="M3", goal="Progressive", blocks=("B2",)),
                    ev.MilestoneInfo(id="M4", goal="Causality", blocks=("B3",)),
                ),
                blocks=(b1, b2, b3),
            )
        ],
        None,
    )
    for task, done in (("I1", " (done)"), ("I5", "")):
        store.append(
            f"run:{task}",
            [
                ev.RunPlanned(run_id=task),
                ev.RunRuledOut(
                    run_id=task,
                    status="DONE" if done else "TODO",
                    reason=f"{TASK_NOT_RUN} (a task){done and ', done'}{TASK_NOT_RUN_TAIL}",
                ),
            ],
            None,
        )
    _succeeded(store, "R003", "M2", "B1", "Standard LoRA", _value("R003", 0.61, "0.61"))
    _succeeded(store, "R004", "M2", "B1", "DepthGate", _value("R004", 0.62, "0.62"))
    _succeeded(store, "R005", "M3", "B2", "DepthFiLM", _value("R005", None, "NaN"), (_NAN,))
    if left:
        _succeeded(store, "R006", "M3", "B2", "DepthBasis", _value("R006", 0.64, "0.64"))
    if crashed or left:
        for run_id, system in (("R007", "shuffled"), ("R008", "zero")):
            store.append(
                f"run:{run_id}",
                [
                    ev.RunPlanned(
                        run_id=run_id, milestone="M4", block="B3", system=system, command=_CMD
                    ),
                    ev.RunCancelled(
                        run_id=run_id, reason="not run: milestone M3 must-run R006 ended failed"
                    ),
                ],
                None,
            )
    if crashed:
        store.append(
            "run:R006",
            [
                ev.RunPlanned(
                    run_id="R006", milestone="M3", block="B2", system="DepthBasis", command=_CMD
                ),
                ev.RunSubmitted(
                    run_id="R006", attempt_id="R006-a1", attempt=1, backend="local", argv=("x",)
                ),
                ev.RunFailed(run_id="R006", attempt_id="R006-a1", exit_code=1, reason="exit 1"),
            ],
            None,
        )
    elif not left:
        _succeeded(store, "R006", "M3", "B2", "DepthBasis", _value("R006", 0.64, "0.64"))
        _succeeded(store, "R007", "M4", "B3", "shuffled", _value("R007", 0.58, "0.58"))
        _succeeded(store, "R008", "M4", "B3", "zero", _value("R008", 0.605, "0.605"))
    store.append(
        "bridge",
        [ev.StageEntered(stage=stage, trigger=trigger) for stage, trigger in _COLLECTED],
        None,
    )
    return store


def _state(language: str = "en", *, crashed: bool = False, left: bool = False) -> PipelineState:
    return fold(_store(language, crashed=crashed, left=left).read())


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "The main result is negative: revisit the method or the plan against the plan's "
            "failure interpretation. Numbers not trusted in B2 (R005 non_finite): fix the "
            "cause, then run `bridge retry --force R005` and `bridge run`. Ablation planning "
            "skipped (main result negative).",
        ),
        (
            "zh",
            "主要结果为负面：对照计划中的失败解释修改方法或计划。"
            "数值不可信：B2（R005 non_finite）；修复原因后运行 `bridge retry --force R005` 和 "
            "`bridge run`。"
            "消融规划已跳过（主要结果为负面）。",
        ),
    ],
)
def test_a_negative_result_still_names_the_nan_run_of_an_open_block(
    language: str, said: str
) -> None:
    """001 (trial t5): after `bridge retry --failed` B2 still held R005's NaN, inconclusive,
    and the next step said only "The main result is negative: revisit the method…", with no
    word of R005 (the first run's next step had named its `--force` retry). The docs promise
    the retry for every must-run block left inconclusive when the result is not positive."""
    state = _state(language)
    outcome = evaluate(state)
    assert outcome.main_result is MainResult.NEGATIVE
    verdicts = {b.block.id: b.verdict.verdict for b in outcome.blocks}
    assert verdicts["B2"] is VerdictKind.INCONCLUSIVE
    # Outside the main milestone: named, readiness as the docs say (not held by it).
    assert outcome.ready, outcome.not_ready
    assert results.next_step(state, outcome, language) == said
    assert said in handoff_summary(state)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "Must-run runs did not succeed (R006): read why, fix the cause, then run "
            "`bridge retry --failed` and `bridge run`; it also runs R007, R008 again, which "
            "bridge cancelled without running them (milestone M3 must-run R006 ended failed).",
        ),
        (
            "zh",
            "必做运行未成功（R006）：查看原因并修复，然后运行 `bridge retry --failed` 和 "
            "`bridge run`；它也会重新运行被 bridge 取消、未曾运行的必做运行 R007、R008"
            "（里程碑 M3 的必做运行 R006 已失败）。",
        ),
    ],
)
def test_runs_bridge_cancelled_are_not_named_failed(language: str, said: str) -> None:
    """001 (trial t5): R006 crashed and bridge cancelled M4 and later runs; the next step said
    "Must-run runs did not succeed (R006, R007, R008, …): read why", as if each had failed.
    The failed run is the one to read; the others are named as cancelled because of it, with
    the `--failed` retry that runs them again."""
    state = _state(language, crashed=True)
    step = results.next_step(state, evaluate(state), language)
    assert said in step, step


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "Must-run runs R007, R008 were cancelled by bridge without running (milestone M3 "
            "must-run R006 ended failed): once the cause is gone, run `bridge retry --failed` "
            "and `bridge run` to run them.",
        ),
        (
            "zh",
            "必做运行 R007、R008 被 bridge 取消、未曾运行（里程碑 M3 的必做运行 R006 已失败）："
            "原因消除后运行 `bridge retry --failed` 和 `bridge run` 来运行它们。",
        ),
    ],
)
def test_runs_left_cancelled_after_their_cause_succeeded_are_named_cancelled(
    language: str, said: str
) -> None:
    """034 (trial t7): R006-R012 were cancelled because R005 failed; once R005 succeeded, the
    next step read "Must-run runs did not succeed (R006, …, R012): read why, fix the cause",
    though none of them had run."""
    state = _state(language, left=True)
    step = results.next_step(state, evaluate(state), language)
    assert said in step, step
    assert "did not succeed" not in step and "未成功（" not in step


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "5/6 (1 succeeded with numbers not trusted: R005)"),
        ("zh", "5/6（1 个已成功但数值不可信：R005）"),
    ],
)
def test_a_nan_run_is_not_counted_completed(language: str, said: str) -> None:
    """001d (trial t5): sanity R001 wrote loss NaN and blocked the plan ("a number it recorded
    cannot be trusted") next to "Must-run completed: 1/11", which counted it. A run whose
    numbers are not trusted is not completed, and the count says what it is."""
    state = _state(language)
    outcome = evaluate(state)
    assert outcome.must_done == 5 and outcome.must_untrusted == ("R005",)
    page = results.render(state, language)
    assert said in page, page
    assert said in handoff_summary(state)
    must = results_data.document(state)["summary"]["must_run"]
    assert (must["completed"], must["numbers_not_trusted"]) == (5, ["R005"])


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "**Runs:** 6 (DONE 5, DONE ⚠ not trusted 1) · **Implementation tasks of the "
            "tracker (not runs):** 2",
        ),
        ("zh", "**运行:** 6 (DONE 5, DONE ⚠ 数值不可信 1) · **追踪表的实现任务（不是运行）：** 2"),
    ],
)
def test_the_trackers_run_count_holds_runs_only(language: str, said: str) -> None:
    """001 (trial t5): the tracker's line said "**Runs:** 21 (CANCELLED 8, DONE 9, FAILED 1,
    SKIPPED 3)" where 14 rows are runs, I1-I7 the tracker's implementation tasks, and R005's
    NaN counted DONE. Runs are counted alone, the tasks apart, the NaN run as not trusted."""
    text = tracker.render(_state(language), language)
    assert said in text, text


@needs_shared
def test_a_negative_result_names_what_the_plan_writes_to_revisit_against(
    tmp_path: Path,
) -> None:
    """027 (trial h18D): M3's B3 not met (A2's FK p95 5.8% below A4's, 10% asked), and the next
    step said "revisit the method or the plan against the plan's failure interpretation": 027
    writes none, its blocks have no Failure interpretation. It names the plan's stop rules, which
    the results quote; a plan with neither is told only to revisit the method or the plan."""
    root = as_project("027", tmp_path)
    tracker_path = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
    # B3's runs to run; every other row done before bridge, so the result is what B3 says.
    text = tracker_path.read_text(encoding="utf-8").replace("| BLOCKED_BY_M2 |", "| TODO |")
    for status in ("IN_PROGRESS", "RUNNING", "READY_TO_LAUNCH", "BLOCKED_BY_M1.5"):
        text = text.replace(f"| {status} |", "| DONE |")
    for status in ("BLOCKED_BY_M2_SCREEN", "BLOCKED_BY_M3"):
        text = text.replace(f"| {status} |", "| DONE |")
    tracker_path.write_text(text, encoding="utf-8")
    (root / "bridge.toml").write_text('[bridge]\nmain_milestone = "M3"\n', encoding="utf-8")
    store = planned(root)
    for arm, fk in (("C2", 0.080), ("C3", 0.100), ("C4", 0.085)):
        for seed in ("3407", "3408", "3409"):
            run = f"R-{arm}-s{seed}"
            store.append(f"run:{run}", finished_run(run, {"fk_p95": fk}), None)
    stages = [ev.StageEntered(stage=stage, trigger=trigger) for stage, trigger in _COLLECTED]
    store.append("bridge", stages, None)
    state = fold(store.read())
    outcome = evaluate(state)
    assert outcome.main_result is MainResult.NEGATIVE
    assert results.next_step(state, outcome, "en").startswith(
        "The main result is negative: revisit the method or the plan against the plan's stop "
        "rules (quoted in EXPERIMENT_RESULTS.md). Ablation planning"
    )
    assert results.next_step(state, outcome, "zh").startswith(
        "主要结果为负面：对照计划写明的停止规则（见 EXPERIMENT_RESULTS.md）修改方法或计划。"
    )
    assert "failure interpretation" not in results.render(state, "en")
    # No stop rules either: nothing named to revisit against.
    bare = attrs.evolve(state, plan=attrs.evolve(state.plan, stop_rules=()))
    assert results.next_step(bare, evaluate(bare), "en").startswith(
        "The main result is negative: revisit the method or the plan. Ablation planning"
    )
