"""
The results renderers on logs built event by event (no processes): language, applicability,
the compact log, the code review file, the handoff summary and the fold of ``MetricsRecorded``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest

from bridge.errors import TransitionError
from bridge.events import types as ev
from bridge.events.measurements import HistorySummary, MetricValue, QualityFlag
from bridge.events.store import InMemoryEventStore
from bridge.events.values import Finding, JobHandle, Severity, Slot
from bridge.machine.fold import PipelineState, fold
from bridge.machine.judge import VerdictKind
from bridge.machine.stages import Stage
from bridge.plan.metric_names import UNITS_OPTION, units_text
from bridge.projections import code_review, compact_log, results, results_data
from bridge.projections.outcome import evaluate
from bridge.projections.reasons import in_language
from bridge.projections.summary import handoff_summary
from tests.conftest import needs_shared
from tests.recorded_runs import recorded_value

_T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _clock() -> Callable[[], datetime]:
    ticks = iter(range(10_000))
    return lambda: _T0 + timedelta(seconds=next(ticks))


def _value(run: str, name: str, value: float | None, raw: str) -> MetricValue:
    return recorded_value(run, name, value, raw)


def _log(
    *,
    compact: bool = False,
    with_metrics: bool = True,
    gates: dict[str, str] | None = None,
    units: dict[str, str] | None = None,
) -> InMemoryEventStore:
    store = InMemoryEventStore(clock=_clock())
    options = {"language": "en", "compact": "true" if compact else "false"}
    if units:
        options[UNITS_OPTION] = units_text(units)
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="Toy",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="b" * 64,
                options=options,
                milestones=(ev.MilestoneInfo(id="M1", goal="Main", blocks=("B1",)),),
                blocks=(
                    ev.BlockInfo(
                        id="B1",
                        title="Main",
                        systems=("Baseline", "Ours"),
                        metrics=("accuracy",),
                        success_criterion="Ours accuracy > 2% over the Baseline",
                    ),
                ),
                run_gates=gates or {},
            ),
            ev.CodeReviewed(
                reviewer="checklist",
                local_only=True,
                findings=(Finding(severity=Severity.BLOCKING, message="seed unused", check="x"),),
            ),
        ],
        None,
    )
    for run, system, acc in (("R001", "Baseline", 0.5), ("R002", "Ours", 0.9)):
        events: list[object] = [
            ev.RunPlanned(
                run_id=run,
                milestone="M1",
                block="B1",
                system=system,
                seed=0,
                params={"lr": "0.1", "run_id": run},
            ),
            ev.RunSubmitted(
                run_id=run,
                attempt_id=f"{run}-a1",
                attempt=1,
                backend="local",
                slots=(Slot(host="local", gpu=0),),
                argv=("python", "train.py", "--name", "it's"),
            ),
            ev.RunStarted(
                run_id=run,
                attempt_id=f"{run}-a1",
                handle=JobHandle(backend="local", attempt_id="x"),
            ),
            ev.RunSucceeded(run_id=run, attempt_id=f"{run}-a1"),
        ]
        if with_metrics:
            events.append(
                ev.MetricsRecorded(
                    run_id=run,
                    attempt_id=f"{run}-a1",
                    values=(
                        _value(run, "accuracy", acc, str(acc)),
                        _value(run, "loss", None, "NaN"),
                    ),
                    histories=(
                        HistorySummary(
                            name="loss", source="h.csv", sha256="c" * 64, rule="csv:column:loss"
                        ),
                    ),
                    quality=(QualityFlag(metric="loss", kind="non_finite", message="loss = NaN"),)
                    if run == "R001"
                    else (),
                    key_metric="accuracy",
                )
            )
        store.append(f"run:{run}", events, None)
    store.append("bridge", [ev.StageEntered(stage="IMPLEMENTED", trigger="implement")], None)
    return store


def _state(**kwargs: bool | dict[str, str]) -> PipelineState:
    return fold(_log(**kwargs).read())


class TestMetricsRecordedFold:
    def test_metrics_attach_to_the_attempt(self) -> None:
        """The fold keeps MetricsRecorded on the run's latest attempt."""
        run = _state().runs["R002"]
        assert run.metrics is not None and run.metrics.key_metric == "accuracy"
        assert run.current is not None and run.current.metrics is run.metrics

    def test_metrics_before_the_attempt_ends_are_refused(self) -> None:
        """Recording metrics for an attempt still running is an illegal transition."""
        store = InMemoryEventStore(clock=_clock())
        store.append(
            "run:R1",
            [
                ev.RunPlanned(run_id="R1"),
                ev.RunSubmitted(run_id="R1", attempt_id="R1-a1", attempt=1, backend="x"),
                ev.MetricsRecorded(run_id="R1", attempt_id="R1-a1"),
            ],
            None,
        )
        with pytest.raises(TransitionError):
            fold(store.read())

    def test_non_finite_values_cannot_enter_an_event(self) -> None:
        """A NaN value must be stored as None with its raw text, never as a float."""
        with pytest.raises(ValueError, match="finite"):
            _value("R1", "loss", float("nan"), "nan")


class TestResultsRender:
    def test_nothing_before_a_plan(self) -> None:
        """With no plan in the log every results renderer returns an empty string."""
        empty = PipelineState()
        assert results.render(empty, "en") == ""
        assert results_data.render_json(empty) == ""
        assert results_data.render_csv(empty) == ""
        assert code_review.render(empty, "en") == ""
        assert compact_log.render(empty, "en") == ""

    def test_run_gates_are_judged_per_run_beside_the_verdict(self) -> None:
        """A run's own gate (011's run tables: R014 "Dev macro F1 ≥ 0.60") was shown nowhere.
        Now each is listed under its milestone, a clause on one metric judged against the run's
        value (met / not met, with the number), one bridge cannot read or a NaN value quoted
        with why; a block whose run missed its gate says so beside its verdict, which is the
        criterion's alone (B1's is the same with and without them); results.json carries the
        same."""
        gates = {"R001": "accuracy ≥ 0.6; All gates pass", "R002": "accuracy ≥ 0.6, Loss < 1"}
        state = _state(gates=gates)
        text = results.render(state, "en")
        milestone = text.split("### M1", 1)[1].split("## Blocks", 1)[0]
        assert (
            "  - R001: «accuracy ≥ 0.6» NOT MET (accuracy = 0.5: does not meet ≥ 0.6); «All gates "
            "pass» not checked by bridge: no comparison with a number or with another system"
        ) in milestone, milestone
        assert (
            "  - R002: «accuracy ≥ 0.6» MET (accuracy = 0.9: meets ≥ 0.6); «Loss < 1» read as "
            "loss < 1, unjudged: loss is not a finite number"
        ) in milestone, milestone
        block = text.split("### B1", 1)[1]
        verdict = next(x for x in block.splitlines() if x.startswith("- **Verdict:**"))
        plain = results.render(_state(), "en")
        assert verdict in plain  # the gates change no verdict
        assert (
            f"{verdict}\n"
            "- **⚠ Run gates not met (the verdict above is the criterion's alone; these runs' own "
            "gates, listed under their milestone):** R001 «accuracy ≥ 0.6» (accuracy = 0.5: does "
            "not meet ≥ 0.6)"
        ) in block, block
        data = json.loads(results_data.render_json(state))
        runs = {r["run_id"]: r for r in data["runs"]}
        assert [c["outcome"] for c in runs["R001"]["gate"]["clauses"]] == ["not met", "not checked"]
        assert runs["R002"]["gate"]["clauses"][0] == {
            "text": "accuracy ≥ 0.6",
            "outcome": "met",
            "reading": "accuracy ≥ 0.6",
            "said": "accuracy = 0.9: meets ≥ 0.6",
            "metric": "accuracy",
            "value": 0.9,
        }
        assert data["blocks"][0]["run_gates_not_met"] == [
            {"run": "R001", "gate": "accuracy ≥ 0.6", "said": "accuracy = 0.5: does not meet ≥ 0.6"}
        ]
        assert (
            "- **Runs that missed their own gate (listed under their milestones; no verdict rests "
            "on it):** R001\n"
        ) in text
        assert data["summary"]["run_gates_not_met"] == ["R001"]
        # Without gates nothing is added (every other plan reads as before).
        assert "Run gates" not in plain
        # [metrics] units reach the gates as they reach the criteria: R002's accuracy 0.9
        # declared percent is 0.9 %, read as 90 % and met before (h41F).
        gates = {"R002": "accuracy ≥ 60%"}
        (guessed,) = results_data.gate_clauses(_state(gates=gates).runs["R002"], gates["R002"], {})
        assert guessed.said == "accuracy = 0.9, read as 90%: meets ≥ 60%"
        declared = _state(gates=gates, units={"accuracy": "percent"})
        data = json.loads(results_data.render_json(declared))
        (clause,) = {r["run_id"]: r for r in data["runs"]}["R002"]["gate"]["clauses"]
        assert (clause["outcome"], clause["said"]) == (
            "not met",
            "accuracy = 0.9 (percent, as [metrics] units says): does not meet ≥ 60%",
        )
        assert (
            "R002 «accuracy ≥ 60%» (accuracy = 0.9 (percent, as [metrics] units says): does not "
            "meet ≥ 60%)"
        ) in results.render(declared, "en")

    def test_chinese_keeps_machine_read_headers(self) -> None:
        """In Chinese the prose is translated but table headers, ids and numbers are not."""
        text = results.render(_state(), "zh")
        assert "# 实验结果: Toy" in text
        assert "| Run | System | Key Metric | Status |" in text
        assert "| System | Metric | Mean | Std | n | Runs |" in text
        assert "| R002 | Ours | accuracy = 0.9（另有 1 个） | DONE |" in text
        assert "R001 `non_finite`" in text
        assert "## 总结" in text and "## 下一步" in text
        assert "Summary" not in text

    def test_pending_stage_is_not_ready(self) -> None:
        """Before COLLECTED the results say NO and why, and the next step is to keep running."""
        text = results.render(_state(), "en")
        assert "**Ready for the review loop:** NO" in text
        assert "not COLLECTED" in text
        assert "continue with `bridge run`" in text

    def test_nan_key_metric_makes_the_block_inconclusive(self) -> None:
        """A blocking finding on a compared run makes the block's verdict inconclusive."""
        doc = results_data.document(_state())
        (block,) = doc["blocks"]
        assert block["verdict"] == "inconclusive"
        assert "training-quality" in block["reason"]

    def test_runs_without_metrics_are_listed_as_not_ready(self) -> None:
        """Succeeded runs whose metrics were never recorded block the review loop."""
        doc = results_data.document(_state(with_metrics=False))
        assert any("without recorded metrics" in r for r in doc["summary"]["not_ready_reasons"])

    def test_csv_keeps_non_finite_as_raw_text(self) -> None:
        """A NaN value has an empty value cell and its raw text in results.csv."""
        csv_text = results_data.render_csv(_state())
        assert ",loss,,NaN," in csv_text


class TestCompactLog:
    def test_off_by_default(self) -> None:
        """Without compact the log is not written."""
        assert compact_log.render(_state(), "en") == ""

    def test_entries_quote_the_command(self) -> None:
        """Each finished run has an entry whose command is shell-quoted."""
        text = compact_log.render(_state(compact=True), "en")
        assert "## R001 — 2026-03-01" in text and "## R002" in text
        assert "python train.py --name 'it'\"'\"'s'" in text
        assert "- **Config:** lr=0.1" in text

    def test_backticks_in_a_command_cannot_close_its_block(self) -> None:
        """An argument holding ``` gets a longer fence, so the entry stays one code block."""
        state = _state(compact=True)
        run = state.runs["R001"]
        *earlier, last = run.attempts
        hostile = attrs.evolve(last, argv=("echo", "```\n## R9 — forged"))
        runs = {**state.runs, "R001": attrs.evolve(run, attempts=(*earlier, hostile))}
        text = compact_log.render(attrs.evolve(state, runs=runs), "en")
        assert "````sh\necho '```\n## R9 — forged'\n````" in text


class TestCodeReview:
    def test_reviewer_local_only_and_severity(self) -> None:
        """Reviews name their reviewer, the [local-only] mark and BLOCKING findings."""
        text = code_review.render(_state(), "en")
        assert "by `checklist`) [local-only]: 1 blocking finding" in text
        assert "| BLOCKING | x |  | seed unused |" in text


class TestHandoffSummary:
    def test_summary_names_counts_paths_and_next_step(self) -> None:
        """The handoff summary gives runs, slots, completion, the main result and the files."""
        text = handoff_summary(_state())
        assert "Runs: 2 of 2 deployed on 1 GPU via local" in text
        # R001's loss is NaN: succeeded, but not counted completed (said what it is).
        assert "Must-run completed: 1/2 (1 succeeded with numbers not trusted: R001)" in text
        assert "Main result (M1): inconclusive" in text
        assert "refine-logs/EXPERIMENT_RESULTS.md" in text and "MANIFEST.md" in text
        assert text.rstrip().splitlines()[-1].startswith("Next step:")

    def test_summary_block_reasons_in_the_plans_language(self) -> None:
        """A Chinese plan's summary gives bridge's phrases of the main blocks' reasons in
        Chinese (ids and metric names as recorded); an English plan's stay English."""
        english = _state()
        assert english.plan is not None
        options = {**english.plan.options, "language": "zh"}
        chinese = attrs.evolve(english, plan=attrs.evolve(english.plan, options=options))
        assert "B1 inconclusive: training-quality problems: R001 loss: non_finite" in (
            handoff_summary(english)
        )
        assert "B1 inconclusive（无定论）：训练质量问题：R001 loss: non_finite" in handoff_summary(
            chinese
        )

    def test_summary_before_a_plan(self) -> None:
        """Before the plan is loaded the summary says so."""
        assert handoff_summary(PipelineState()) == "No plan loaded yet."

    def test_summary_follows_the_state(self) -> None:
        """The summary is a function of the state: a blocked pipeline says why and what to do."""
        state = attrs.evolve(
            _state(),
            stage=Stage.BLOCKED,
            blocked=ev.PipelineBlocked(reason="reviewer unreachable"),
        )
        text = handoff_summary(state)
        assert "stage BLOCKED" in text
        assert "Next step: The pipeline is blocked: reviewer unreachable." in text


def test_a_plan_without_blocks_says_why_no_verdict_follows() -> None:
    """032's plan has no experiment blocks: the verdicts heading stood empty."""
    store = InMemoryEventStore(clock=_clock())
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="No blocks",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="b" * 64,
                options={"language": "en"},
                milestones=(ev.MilestoneInfo(id="M1", name="Week 1"),),
            )
        ],
        None,
    )
    text = results.render(fold(store.read()))
    after = text.split("## Blocks: criteria and verdicts", 1)[1]
    assert after.lstrip().startswith("The plan has no experiment blocks, so there is no criterion")
    # and says what would give verdicts, not to name a main milestone, which cannot help
    assert "- **Main result:** `inconclusive` (the plan has no experiment blocks)" in text
    assert "main_milestone" not in text
    assert "give the plan experiment blocks with success criteria" in text
    # The next step is printed by `bridge run` too, where no "Results by milestone" is above
    # (026, trial t12): it names the file.
    state = attrs.evolve(fold(store.read()), stage=Stage.COLLECTED)
    step = results.next_step(state, evaluate(state), "en")
    assert "each run's numbers are in EXPERIMENT_RESULTS.md under “Results by milestone”" in step
    assert "above" not in step
    zh = results.next_step(state, evaluate(state), "zh")
    assert "各运行的数值见 EXPERIMENT_RESULTS.md 的“按里程碑的结果”" in zh
    assert "上方" not in zh


def _blocks_store(
    blocks: dict[str, tuple[str, str]],
    values: dict[str, tuple[MetricValue, ...]],
    run_metrics: tuple[str, ...] = (),
    options: dict[str, str] | None = None,
) -> InMemoryEventStore:
    """A log of a plan whose milestones run the blocks that name them (``{block id: (milestone,
    criterion)}``, no Metrics lines) with one run each, named as its block, that succeeded and
    recorded ``values[block id]`` (its row's Metrics cell: ``run_metrics``); none for a block
    ``values`` does not name."""
    store = InMemoryEventStore(clock=_clock())
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="Prose",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="b" * 64,
                options={"language": "en", **(options or {})},
                # A milestone named by several blocks covers them all (015's M3: B3, B4, B6).
                milestones=tuple(
                    ev.MilestoneInfo(
                        id=milestone,
                        goal="DPO",
                        blocks=tuple(b for b, (m, _) in blocks.items() if m == milestone),
                    )
                    for milestone in dict.fromkeys(m for m, _ in blocks.values())
                ),
                blocks=tuple(
                    ev.BlockInfo(id=block, title="Gap-filtered DPO", success_criterion=criterion)
                    for block, (_, criterion) in blocks.items()
                ),
            )
        ],
        None,
    )
    for block, (milestone, _) in blocks.items():
        if block in values:
            _add_run(store, block, milestone, block, values[block], metrics=run_metrics)
    return store


def _add_run(
    store: InMemoryEventStore,
    run_id: str,
    milestone: str,
    block: str,
    values: tuple[MetricValue, ...],
    quality: tuple[QualityFlag, ...] = (),
    aliases: dict[str, tuple[str, ...]] | None = None,
    **planned: object,
) -> None:
    """Append a run of ``block`` that succeeded and recorded ``values`` with training-quality
    findings ``quality`` under the ``[metrics] aliases`` ``aliases`` (``planned``: more fields
    of its ``RunPlanned``)."""
    attempt = f"{run_id}-a1"
    store.append(
        f"run:{run_id}",
        [
            ev.RunPlanned(run_id=run_id, milestone=milestone, block=block, **planned),  # type: ignore[arg-type]
            ev.RunSubmitted(
                run_id=run_id, attempt_id=attempt, attempt=1, backend="local", argv=("python",)
            ),
            ev.RunStarted(
                run_id=run_id, attempt_id=attempt, handle=JobHandle(backend="local", attempt_id="x")
            ),
            ev.RunSucceeded(run_id=run_id, attempt_id=attempt),
            ev.MetricsRecorded(
                run_id=run_id,
                attempt_id=attempt,
                values=values,
                quality=quality,
                aliases=aliases or {},
            ),
        ],
        None,
    )


def _blocks_log(
    blocks: dict[str, tuple[str, str]],
    values: dict[str, tuple[MetricValue, ...]],
    run_metrics: tuple[str, ...] = (),
    options: dict[str, str] | None = None,
) -> PipelineState:
    """:func:`_blocks_store`, folded."""
    return fold(_blocks_store(blocks, values, run_metrics, options).read())


def _one_block(
    criterion: str, values: tuple[MetricValue, ...], run_metrics: tuple[str, ...] = ()
) -> str:
    """The results of a plan with one block (M2.1, no Metrics line) whose one run recorded
    ``values``."""
    return results.render(
        _blocks_log({"M2.1": ("M2", criterion)}, {"M2.1": values}, run_metrics=run_metrics)
    )


def test_rows_without_a_system_are_pooled_only_as_seeds_of_one_run() -> None:
    """029's M4 rows name no system and say different things (a sampling step, XGBoost, an
    MLP): their numbers are not pooled into "auroc: 0.8 (n=3) → met". Two seeds of one row
    (the same Notes) still are."""

    def judged(notes: tuple[str, str]) -> str:
        store = _blocks_store(
            {"B1": ("M1", "AUROC ≥ 0.80")}, {"B1": (_value("B1", "auroc", 0.95, "0.95"),)}
        )
        for run_id, note, value in (("R041", notes[0], 0.70), ("R042", notes[1], 0.75)):
            _add_run(
                store, run_id, "M1", "B1", (_value(run_id, "auroc", value, str(value)),), notes=note
            )
        return results.render(fold(store.read()))

    mixed = judged(("xgb", "mlp"))
    # Rows of one seed (a block's one written seed, 001's `Seed: 42`) are no seeds of one run.
    store = _blocks_store(
        {"B1": ("M1", "AUROC ≥ 0.80")}, {"B1": (_value("B1", "auroc", 0.95, "0.95"),)}
    )
    for run_id, note, value in (("R041", "xgb", 0.70), ("R042", "mlp", 0.75)):
        _add_run(
            store,
            run_id,
            "M1",
            "B1",
            (_value(run_id, "auroc", value, str(value)),),
            notes=note,
            seed=42,
        )
    assert "are not seeds of one run (B1, R041, R042)" in results.render(fold(store.read()))
    assert "the block's runs name no system and are not seeds of one run (B1, R041, R042)" in mixed
    assert "→ met" not in mixed
    # Nor in the block's table: a row each (030's C1 and C2 were one row "-", trial T7).
    assert "| (R041) | auroc | 0.7 | - | 1 | R041 |" in mixed
    assert "| - | auroc | 0.8 |" not in mixed
    assert "auroc: 0.8 ± 0.1323 (n=3); 0.8 ≥ 0.8 → met" in judged(("", ""))


def test_runs_of_one_named_system_are_pooled_only_as_seeds_of_one_run() -> None:
    """030 with a System column "Hermes MVP" on every row, as bridge advised (h41B F5): A1
    registers accounts, A2 creates profiles, C1-C3 route three kinds of task. They were taken
    for seeds of Hermes MVP: «registration success = 100%» read "missing seeds: … 1 of 2
    expected", and C1-C3's routing rates one mean ± std. A value one run recorded is that
    run's; values several recorded are not pooled, in the verdict or the table."""
    store = _blocks_store(
        {
            "A": ("M1", "registration success = 100% and service discovery success ≥ 95%"),
            "C": ("M1", "correct routing rate ≥ 95%; fallback rate ≤ 15%"),
        },
        {},
    )
    for run_id, purpose, recorded in (
        ("A1", "Register User A, User B", {"registration_success": 1.0}),
        ("A2", "Create service profiles", {"service_discovery_success": 0.9}),
        ("C1", "Private task", {"correct_routing_rate": 1.0}),
        ("C2", "Heavy urgent task", {"correct_routing_rate": 0.96}),
        ("C3", "Safe background task", {"correct_routing_rate": 0.92}),
        ("C4", "Peer failure", {"fallback_rate": 0.12}),
    ):
        values = tuple(_value(run_id, m, v, str(v)) for m, v in recorded.items())
        _add_run(store, run_id, "M1", run_id[0], values, system="Hermes MVP", purpose=purpose)
    text = results.render(fold(store.read()))

    assert "missing seeds" not in text, text
    assert (
        "[1] met: «registration success = 100%» — registration_success: Hermes MVP 1 (n=1)" in text
    )
    assert "[2] not met: «service discovery success ≥ 95%» — service_discovery_success: " in text
    assert "its runs (A1, A2) are not seeds of one run (their rows say different things)" in text
    assert (
        "[1] open: «correct routing rate ≥ 95%» — Hermes MVP correct_routing_rate was recorded "
        "by C1, C2, C3, runs of Hermes MVP that are not seeds of one run" in text
    )
    assert "[2] met: «fallback rate ≤ 15%» — fallback_rate: Hermes MVP 0.12 (n=1)" in text
    assert (
        "由 C1, C2, C3 记录，它们是 Hermes MVP 的运行，但不是同一运行的不同种子（追踪表各行写的内容"
        "不同）：它们的数值不能合并" in in_language(text, "zh")
    )
    assert "| Hermes MVP (Private task) | correct_routing_rate | 1 | - | 1 | C1 |" in text
    assert "| Hermes MVP | correct_routing_rate |" not in text
    # C1-C4 are no seeds: results.json said `expected_seeds: 4` of C, 2 of A (trial s43 h43D).
    from bridge.projections.results_data import document

    expected = {b["block"]: b["expected_seeds"] for b in document(fold(store.read()))["blocks"]}
    assert expected == {"A": 1, "C": 1}, expected
    # Seeds of one row (the same purpose) are still seeds.
    seeds = _blocks_store({"C": ("M1", "correct routing rate ≥ 95%")}, {})
    for run_id, seed, value in (("C1", 1, 0.97), ("C2", 2, 0.95)):
        values = (_value(run_id, "correct_routing_rate", value, str(value)),)
        _add_run(
            seeds, run_id, "M1", "C", values, system="Hermes MVP", purpose="Private task", seed=seed
        )
    assert "correct_routing_rate: Hermes MVP 0.96 ± 0.01414 (n=2)" in results.render(
        fold(seeds.read())
    )
    # Two procedures at two seeds are still two procedures ("full data" at seed 0, "10% data"
    # at seed 1: their mean would be a wrong verdict; a second review of s42).
    apart = _blocks_store({"C": ("M1", "correct routing rate ≥ 95%")}, {})
    for run_id, seed, purpose, value in (("C1", 0, "full data", 0.99), ("C2", 1, "10% data", 0.9)):
        values = (_value(run_id, "correct_routing_rate", value, str(value)),)
        _add_run(apart, run_id, "M1", "C", values, system="Hermes MVP", purpose=purpose, seed=seed)
    assert "by C1, C2, runs of Hermes MVP that are not seeds of one run" in results.render(
        fold(apart.read())
    )
    # A Purpose that names its row's seed is still one procedure ("Private task, seed 1" and
    # "Private task, seed 2" were two systems; third review of s42).
    named = _blocks_store({"C": ("M1", "correct routing rate ≥ 95%")}, {})
    for run_id, seed, value in (("C1", 1, 0.97), ("C2", 2, 0.95)):
        values = (_value(run_id, "correct_routing_rate", value, str(value)),)
        _add_run(
            named,
            run_id,
            "M1",
            "C",
            values,
            system="Hermes MVP",
            purpose=f"Private task, seed {seed}",
            seed=seed,
        )
    assert "correct_routing_rate: Hermes MVP 0.96 ± 0.01414 (n=2)" in results.render(
        fold(named.read())
    )


def test_a_run_ruled_out_takes_no_part_in_the_unnamed_runs_check() -> None:
    """029's M4 (trial B): R042 "NOT RUN — not needed for the paper" recorded no number, yet
    held the block open as "not seeds of one run (R041, R042)". A run ruled out counts for
    nothing: the one run left is judged; and the advice, in Chinese too, names a setting that
    gives a tracker run its system ([systems] tables name none)."""
    store = _blocks_store(
        {"B1": ("M1", "AUROC ≥ 0.80")}, {"B1": (_value("B1", "auroc", 0.83, "0.83"),)}
    )
    store.append(
        "run:R042",
        [
            ev.RunPlanned(run_id="R042", milestone="M1", block="B1", notes="mlp"),
            ev.RunRuledOut(run_id="R042", reason="NOT RUN — not needed for the paper"),
        ],
        None,
    )
    text = results.render(fold(store.read()))
    assert "not seeds of one run" not in text
    assert "0.83 ≥ 0.8 → met" in text
    _add_run(store, "R041", "M1", "B1", (_value("R041", "auroc", 0.7, "0.7"),), notes="xgb")
    text = results.render(fold(store.read()))
    assert (
        "not seeds of one run (B1, R041): their numbers cannot be pooled; give each run its "
        'system (the tracker\'s System column, or [[runs]] id = "…" system = "…" in '
        "bridge.toml); a run that already succeeded takes it at the next bridge run without "
        "running again (unless its command uses the label: then bridge retry --changed)" in text
    )
    # Not "when run again (bridge retry --force RUN)": 030's 12 runs (trial t6) were
    # relabelled at the next `bridge run`, not re-run; a re-run was never needed.
    verdict = text.split("**Verdict:**")[-1].split("\n")[0]
    assert "retry --force" not in verdict
    zh = in_language(verdict, "zh")
    assert (
        '[[runs]] id = "…" system = "…"）；已成功的运行在下次 bridge run 时采用它，无需再次运行'
        "（若其命令使用该标签，则用 bridge retry --changed）" in zh
    )


def test_an_alias_naming_no_recorded_metric_is_said_in_the_verdict() -> None:
    """029 (trial B, 029d/029e): `"auroc[risk/KLAX/xgb.json]" = "auroc"`, the form the docs
    showed, names no value (bridge names it `auroc[output/risk/KLAX/xgb.json]`) and was taken
    without a word. The verdict says the alias connects nothing and names the nearest recorded
    names; the alias bridge's name gives is judged."""

    def judged(alias: str, language: str = "en") -> str:
        store = InMemoryEventStore(clock=_clock())
        plan = ev.PlanLoaded(
            title="Airport access",
            plan_path="refine-logs/EXPERIMENT_PLAN.md",
            plan_sha256="b" * 64,
            options={"language": "en"},
            milestones=(ev.MilestoneInfo(id="M4", goal="Risk field", blocks=("M4",)),),
            blocks=(
                ev.BlockInfo(
                    id="M4", title="Risk field", success_criterion="XGBoost achieves AUROC ≥ 0.80"
                ),
            ),
        )
        store.append("bridge", [plan], None)
        values = tuple(
            _value("R041", f"auroc[output/risk/KLAX/{m}.json]", v, str(v))
            for m, v in (("lr", 0.70), ("xgb", 0.83))
        )
        store.append(
            "run:R041",
            [
                ev.RunPlanned(run_id="R041", milestone="M4", block="M4"),
                ev.RunSubmitted(
                    run_id="R041", attempt_id="R041-a1", attempt=1, backend="local", argv=("x",)
                ),
                ev.RunStarted(
                    run_id="R041",
                    attempt_id="R041-a1",
                    handle=JobHandle(backend="local", attempt_id="x"),
                ),
                ev.RunSucceeded(run_id="R041", attempt_id="R041-a1"),
                ev.MetricsRecorded(
                    run_id="R041",
                    attempt_id="R041-a1",
                    values=values,
                    aliases={"auroc": (alias,), alias: ("auroc",)},
                ),
            ],
            None,
        )
        return results.render(fold(store.read()), language)

    text = judged("auroc[risk/KLAX/xgb.json]")
    assert (
        '; [metrics] aliases "auroc[risk/KLAX/xgb.json]" = "auroc" names no metric any run '
        "recorded, so it connects nothing (nearest recorded: auroc[output/risk/KLAX/xgb.json], "
        "auroc[output/risk/KLAX/lr.json])"
    ) in text
    assert (
        '[metrics] aliases "auroc[risk/KLAX/xgb.json]" = "auroc" 所指的指标没有任何运行记录过，'
        "因此不起作用（最接近的已记录名称：auroc[output/risk/KLAX/xgb.json]"
    ) in judged("auroc[risk/KLAX/xgb.json]", "zh")
    good = judged("auroc[output/risk/KLAX/xgb.json]")
    assert "0.83 ≥ 0.8 → met" in good
    assert "connects nothing" not in good


def test_an_alias_naming_no_recorded_metric_is_said_in_the_handoff_summary() -> None:
    """`bridge run` ends with the summary: an alias neither of whose names any run recorded is a
    warning line there too, whatever the criteria (029's alias, trial B), in Chinese too; an
    alias reading a recorded name is not."""

    def summary(aliases: dict[str, tuple[str, ...]], language: str = "en") -> str:
        store = InMemoryEventStore(clock=_clock())
        plan = ev.PlanLoaded(
            title="Airport access",
            plan_path="refine-logs/EXPERIMENT_PLAN.md",
            plan_sha256="b" * 64,
            options={"language": language},
            milestones=(ev.MilestoneInfo(id="M1", goal="Risk field", blocks=("B1",)),),
            blocks=(ev.BlockInfo(id="B1", title="Risk", success_criterion="accuracy ≥ 0.5"),),
        )
        store.append("bridge", [plan], None)
        values = (_value("R041", "auroc[output/risk/KLAX/xgb.json]", 0.83, "0.83"),)
        _add_run(store, "R041", "M1", "B1", values, aliases=aliases)
        return handoff_summary(fold(store.read()))

    dead = {"auroc": ("auroc[risk/KLAX/xgb.json]",), "auroc[risk/KLAX/xgb.json]": ("auroc",)}
    assert (
        'Warning: [metrics] aliases "auroc[risk/KLAX/xgb.json]" = "auroc" names no metric any '
        "run recorded, so it connects nothing (nearest recorded: "
        "auroc[output/risk/KLAX/xgb.json]).\n"
    ) in summary(dead)
    assert (
        '警告：[metrics] aliases "auroc[risk/KLAX/xgb.json]" = "auroc" 所指的指标没有任何运行'
        "记录过，因此不起作用（最接近的已记录名称：auroc[output/risk/KLAX/xgb.json]）。\n"
    ) in summary(dead, "zh")
    live = {
        "auroc": ("auroc[output/risk/KLAX/xgb.json]",),
        "auroc[output/risk/KLAX/xgb.json]": ("auroc",),
    }
    assert "Warning" not in summary(live)


def test_blocks_left_unjudged_in_a_plan_with_no_milestones_name_none() -> None:
    """032 with blocks written as `bridge plan` advises (trial h41I), no milestones, its B12
    titled "6-org main table": "Ready …: NO (blocks of the main milestone  not judged
    (inconclusive): B11)", two spaces round a milestone that has no name."""
    store = InMemoryEventStore(clock=_clock())
    blocks = (
        ev.BlockInfo(id="B11", title="2-org MVP", success_criterion="the gap is clear"),
        ev.BlockInfo(id="B12", title="6-org main table", success_criterion="median gap ≤ 3%"),
    )
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="Fed-HyPCA",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="b" * 64,
                options={"language": "en"},
                blocks=blocks,
            )
        ],
        None,
    )
    _add_run(store, "B11", "", "B11", (_value("B11", "peak_t", 79.0, "79"),))
    _add_run(store, "B12", "", "B12", (_value("B12", "median_gap", 5.0, "5"),))
    state = fold(store.read())
    assert evaluate(state).main_unjudged == ("B11",)
    assert "; blocks not judged (inconclusive): B11).\n" in handoff_summary(state)
    assert "NO — why not: the pipeline is at PLANNED, not COLLECTED; blocks not judged" in (
        results.render(state)
    )
    zh = attrs.evolve(state, plan=attrs.evolve(state.plan, options={"language": "zh"}))
    assert "；未能判定（无定论）的实验块：B11）" in handoff_summary(zh)


def test_a_must_run_block_not_met_outside_the_main_milestone_is_in_the_summary() -> None:
    """004's B6 and 033's E1 were judged not met, but the summary named only the main
    milestone's verdicts: the failed claim was seen only by reading every block."""
    state = _blocks_log(
        {"B1": ("M1", "accuracy ≥ 0.9"), "B2": ("M2", "accuracy ≥ 0.9")},
        {
            "B1": (_value("B1", "accuracy", 0.95, "0.95"),),
            "B2": (_value("B2", "accuracy", 0.5, "0.5"),),
        },
        options={"main_milestone": "M1"},
    )
    text = results.render(state)
    assert "- **Main result:** `positive` (M1)" in text
    assert "- **Must-run blocks outside the main milestone not met:** B2" in text
    assert "Must-run blocks outside it not met: B2." in handoff_summary(state)


def test_a_negative_main_result_names_the_main_blocks_left_unjudged() -> None:
    """015's M3 held its headline B3 and B4 (criteria the rules cannot check, no reviewer)
    beside B6, a rigor check not met: the summary read "negative, a criterion was not met",
    "Ready: YES" and "revisit the method", the headline never judged. The result stays
    negative (one failed criterion fails the milestone), but the unjudged blocks are named in
    the summary and the readiness (the whole pipeline, to COLLECTED: test_main_result.py)."""
    state = _blocks_log(
        {
            "B3": ("M3", "the NMP-native gap is clear"),
            "B4": ("M3", "A5 loses to direct-T on >= 3/4 families"),
            "B6": ("M3", "median gap ≤ 3%"),
        },
        {
            "B3": (_value("B3", "peak_t", 79.0, "79"),),
            "B4": (_value("B4", "peak_t", 79.0, "79"),),
            "B6": (_value("B6", "median_gap", 0.8, "0.8"),),
        },
        options={"main_milestone": "M3"},
    )
    outcome = evaluate(state)
    assert outcome.main_result.value == "negative"
    assert outcome.main_unjudged == ("B3", "B4")
    text = results.render(state)
    assert (
        "- **Main result:** `negative` (M3; not met: B6; not judged (inconclusive): B3, B4)" in text
    )
    assert "blocks of the main milestone M3 not judged (inconclusive): B3, B4" in text
    summary = handoff_summary(state)
    assert "Main result (M3): negative, a criterion was not met (B6), but B3, B4 were" in summary
    zh = handoff_summary(
        _blocks_log(
            {"B3": ("M3", "差距明显"), "B6": ("M3", "median gap ≤ 3%")},
            {
                "B3": (_value("B3", "peak_t", 79.0, "79"),),
                "B6": (_value("B6", "median_gap", 0.8, "0.8"),),
            },
            options={"main_milestone": "M3", "language": "zh"},
        )
    )
    assert "主要结果（M3）：负面，有标准未满足（B6），但 B3 未能判定" in zh
    assert "主要里程碑 M3 中未能判定（无定论）的实验块：B3" in zh
    # Every block judged: the plain negative result, ready as before.
    judged = _blocks_log(
        {"B3": ("M3", "peak_t ≤ 80"), "B6": ("M3", "median gap ≤ 3%")},
        {
            "B3": (_value("B3", "peak_t", 79.0, "79"),),
            "B6": (_value("B6", "median_gap", 0.8, "0.8"),),
        },
        options={"main_milestone": "M3"},
    )
    assert evaluate(judged).main_unjudged == ()
    assert "negative, a criterion was not met — B3 met" in handoff_summary(judged)
    assert "not judged" not in results.render(judged)


def test_a_must_run_block_outside_the_main_milestone_with_untrusted_numbers_is_named() -> None:
    """The quickstart's R012 and R014 diverged (a blocking finding: their block is
    inconclusive) while the summary read only "positive, every criterion met" and "Ready:
    YES": the runs whose numbers are not trusted are named beside the main result. A
    finding for information only (a plateau) is not."""
    store = _blocks_store(
        {"B1": ("M1", "accuracy ≥ 0.9"), "B2": ("M2", "accuracy ≥ 0.9")},
        {"B1": (_value("B1", "accuracy", 0.95, "0.95"),), "B2": ()},
        options={"main_milestone": "M1"},
    )
    flag = QualityFlag(metric="loss", kind="divergence", message="loss rose")
    plateau = QualityFlag(metric="accuracy", kind="plateau", message="flat", blocking=False)
    for run_id, quality in (("R012", (flag,)), ("R013", (plateau,)), ("R014", (flag, plateau))):
        _add_run(store, run_id, "M2", "B2", (_value(run_id, "accuracy", 0.95, "0.95"),), quality)
    state = fold(store.read())
    named = "B2 (R012 divergence, R014 divergence)"
    assert (
        f"- **Must-run blocks outside the main milestone with numbers not trusted:** {named}"
        in results.render(state)
    )
    assert f"Must-run blocks outside it with numbers not trusted: {named}." in handoff_summary(
        state
    )


def test_a_runs_numbers_are_on_the_page_when_no_metric_is_named() -> None:
    """036's blocks (milestone sections) name no metric and its criterion is prose: M2.1's
    chrF++ 31.2 and contamination 0.04 showed as "-" in its milestone and "none matching the
    plan's metrics (-)" under its block. Its first value is shown, with how many more, and the
    block's table shows what was recorded; a run naming no system has "-" in the System cell.
    (Its "without increasing contamination" names a metric, read as a clause of its own: left
    out here, where no metric is named.)"""
    text = _one_block(
        "beat the UNK baseline",
        (
            _value("M2.1", "chrF++", 31.2, "31.2"),
            _value("M2.1", "contamination", 0.04, "0.04"),
        ),
    )
    assert "| M2.1 |  | chrF++ = 31.2 (+1 more) | DONE |" in text
    assert "| - | contamination | 0.04 | - | 1 | M2.1 |" in text
    assert "none matching the plan's metrics" not in text


def test_a_setting_recorded_beside_the_results_is_not_the_key_metric() -> None:
    """018's smoke run (`jphrl-smoke.json`) records its `seed` first, a value per event of its
    trace (`events.index[…]`, `events.payload.attempt[…]`, `events.payload.reward[…]`), then
    `reward` and `success`: its Key Metric cell showed "seed = 0 (+5 more)", a setting. It shows
    the first measured top-level value; the seed and per-event values are counted in "more"."""
    run = "M2.1"
    event = "e:0011"
    text = _one_block(
        "the contract smoke passes",
        (
            _value(run, "seed", 0.0, "0"),
            _value(run, f"events.index[{event}]", 11.0, "11"),
            _value(run, f"events.payload.attempt[{event}]", 0.0, "0"),
            _value(run, f"events.payload.reward[{event}]", 1.0, "1.0"),
            _value(run, "results.learning_rate", 0.4, "0.4"),
            _value(run, "reward", 1.0, "1.0"),
            _value(run, "success", 1.0, "true"),
        ),
    )
    assert "| M2.1 |  | reward = 1 (+6 more) | DONE |" in text
    assert "seed = 0 (+" not in text


def test_only_settings_recorded_are_still_shown() -> None:
    """A run that recorded nothing but a setting still shows it: no number is left off."""
    text = _one_block("the smoke passes", (_value("M2.1", "seed", 0.0, "0"),))
    assert "| M2.1 |  | seed = 0 | DONE |" in text


def test_a_block_that_names_no_metric_says_so_not_a_dash() -> None:
    """001's B4 has no Metrics line and no criterion: the note read "none matching the plan's
    metrics (-)". A clause naming a metric its runs did not record said "the block has no
    primary metric" (001's B3, which names one)."""
    text = _one_block(
        "",
        (_value("M2.1", "gate_mean", 0.5, "0.5"), _value("M2.1", "n_examples", 24, "24")),
        run_metrics=("gate values",),
    )
    assert (
        "2 metric names were recorded, but the block names no metric: `gate_mean`, "
        "`n_examples`. Name the one to judge in the block's Metrics, or set `[metrics] primary` "
        "in bridge.toml."
    ) in text, text
    assert "(-)" not in text
    # Nothing for a reviewer to judge either (030's empty criteria said "no reviewer has judged
    # it (a [reviewer] … judges such criteria)").
    assert "criterion not machine-checkable: empty criterion" in text
    assert "no reviewer has judged it" not in text
    # A clause's metric is the plan's: named in the note, not "the block names no metric".
    text = _one_block(
        "accuracy drop ≥ 2 and gate entropy ≤ 1", (_value("M2.1", "gate_mean", 0.5, "0.5"),)
    )
    assert "none matching the plan's metrics (`accuracy`, `gate entropy`): `gate_mean`" in text
    assert "metric 'gate entropy' not found in the block's runs (extracted: gate_mean)" in text


def test_one_run_that_measured_every_system_judges_them() -> None:
    """009's B4: one evaluation run writes each heuristic's regret under its name
    (`regret[frequency-only heuristic]`); the block compares the heuristics, and its criterion
    stayed open ("metric not found"), or was judged on one system's number under another's
    name after the aliases bridge suggested (trial O3). Values named by a system of the block
    are that system's, and the verdict says where each came from."""

    def judged(signal: float, frequency: float) -> str:
        store = InMemoryEventStore(clock=_clock())
        systems = ("frequency-only heuristic", "signal-score heuristic")
        store.append(
            "bridge",
            [
                ev.PlanLoaded(
                    title="Placement",
                    plan_path="refine-logs/EXPERIMENT_PLAN.md",
                    plan_sha256="b" * 64,
                    options={"language": "en"},
                    milestones=(ev.MilestoneInfo(id="M4", blocks=("B4",)),),
                    blocks=(
                        ev.BlockInfo(
                            id="B4",
                            systems=systems,
                            success_criterion="signal-score heuristic beats frequency-only "
                            "heuristic on regret",
                        ),
                    ),
                )
            ],
            None,
        )
        values = (
            _value("R005", "regret[signal-score heuristic]", signal, str(signal)),
            _value("R005", "regret[Frequency-only heuristic]", frequency, str(frequency)),
            _value("R005", "regret[oracle]", 0.0, "0.0"),
        )
        _add_run(store, "R005", "M4", "B4", values, system="signal-score heuristic")
        return results.render(fold(store.read()))

    met = judged(0.14, 0.21)
    assert "**met** (judged by rule) — regret (lower is better): signal-score heuristic 0.14" in met
    assert (
        "(values named by system: signal-score heuristic ← R005 "
        "`regret[signal-score heuristic]`; frequency-only heuristic ← R005 "
        "`regret[Frequency-only heuristic]`)"
    ) in met
    assert "| frequency-only heuristic | regret | 0.21 | - | 1 | R005 |" in met
    assert "**not_met**" in judged(0.25, 0.21)


def test_a_value_named_by_system_is_listed_once() -> None:
    """036's M2.1 (trial T1): one run of no system wrote `chrF[filter 0.2]`,
    `chrF[filter 0.4]` and `chrF[baseline]`; the block's table listed each filter's number
    twice, under "-" by its labelled name and under the system. A label naming no system of
    the block stays the run's own row."""
    store = InMemoryEventStore(clock=_clock())
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="Gap",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="b" * 64,
                options={"language": "en"},
                milestones=(ev.MilestoneInfo(id="M2", blocks=("M2.1",)),),
                blocks=(
                    ev.BlockInfo(
                        id="M2.1",
                        systems=("filter 0.2", "filter 0.4"),
                        success_criterion="beat baseline on chrF without increasing contamination",
                    ),
                ),
            )
        ],
        None,
    )
    values = (
        _value("M2.1", "results.chrF[baseline]", 40.0, "40"),
        _value("M2.1", "results.chrF[filter 0.2]", 41.2, "41.2"),
        _value("M2.1", "results.chrF[filter 0.4]", 39.1, "39.1"),
        _value("M2.1", "results.contamination[filter 0.2]", 0.05, "0.05"),
    )
    _add_run(store, "M2.1", "M2", "M2.1", values, system="")
    text = results.render(fold(store.read()))
    table = text.split("| System | Metric |")[1].split("\n\n")[0]
    assert "| filter 0.2 | results.chrF | 41.2 |" in table, table
    assert "| filter 0.4 | results.chrF | 39.1 |" in table, table
    assert "| filter 0.2 | results.contamination | 0.05 |" in table, table
    assert "[filter" not in table, table
    assert "| - | results.chrF[baseline] | 40 |" in table, table


def test_an_evaluation_run_naming_two_of_four_systems_is_judged() -> None:
    """Trial Q3 (039's B3, and a four-system minimum): one evaluation run wrote
    `results.AUPRC[threshold/GNN]` and `results.AUPRC[threshold/no-message]` in a block that
    also lists systems without values. The verdict was "inconclusive — the block has no runs",
    a not-met B2 hidden by it, and the table left out the two systems compared (another
    system's plain `AUPRC` had taken the plan metric's place)."""

    def judged(gnn: float, plain: float) -> str:
        store = InMemoryEventStore(clock=_clock())
        store.append(
            "bridge",
            [
                ev.PlanLoaded(
                    title="Graphs",
                    plan_path="refine-logs/EXPERIMENT_PLAN.md",
                    plan_sha256="b" * 64,
                    options={"language": "en"},
                    milestones=(ev.MilestoneInfo(id="M1", blocks=("B3",)),),
                    blocks=(
                        ev.BlockInfo(
                            id="B3",
                            systems=("MART", "threshold/GNN", "threshold/no-message", "shuffle"),
                            metrics=("AUPRC",),
                            success_criterion="threshold/GNN improves AUPRC over "
                            "threshold/no-message by at least 3 points",
                        ),
                    ),
                )
            ],
            None,
        )
        _add_run(store, "R003", "M1", "B3", (_value("R003", "AUPRC", 0.42, "0.42"),), system="MART")
        labelled = (
            _value("R005", "results.AUPRC[threshold/GNN]", gnn, str(gnn)),
            _value("R005", "results.AUPRC[threshold/no-message]", plain, str(plain)),
        )
        _add_run(store, "R005", "M1", "B3", labelled, system="threshold sweep")
        return results.render(fold(store.read()))

    met = judged(0.45, 0.41)
    assert "**met** (judged by rule)" in met, met
    assert "the block has no runs" not in met
    assert "| threshold/GNN | results.AUPRC | 0.45 | - | 1 | R005 |" in met
    assert "| threshold/no-message | results.AUPRC | 0.41 | - | 1 | R005 |" in met
    assert "| MART | AUPRC | 0.42 | - | 1 | R003 |" in met
    assert "**not_met** (judged by rule)" in judged(0.43, 0.41)


def _sanity_run_in_a_block(
    criterion: str = "mrr ≥ 0.3", systems: tuple[str, ...] = ("",)
) -> PipelineState:
    """009's shape: block B1 holds R001, a run of the sanity milestone M0 that recorded
    `tasks = 1839` and `tasks_with_schema = 1839`, and one run of M1 per system of ``systems``
    (R002, R003, …: `mrr = 0.41`; ``""``, a run that names none), under ``criterion``."""
    store = InMemoryEventStore(clock=_clock())
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="Tools",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="b" * 64,
                options={"language": "en"},
                milestones=(
                    ev.MilestoneInfo(id="M0", goal="rebuild data", sanity=True),
                    ev.MilestoneInfo(id="M1", goal="retrieval", blocks=("B1",)),
                ),
                # Its Compared systems line lists none: its runs' systems are its systems.
                blocks=(ev.BlockInfo(id="B1", title="Data", success_criterion=criterion),),
            )
        ],
        None,
    )
    counts = (_value("R001", "tasks", 1839.0, "1839"),)
    if systems != ("",):
        counts += (_value("R001", "tasks_with_schema", 1839.0, "1839"),)
    _add_run(store, "R001", "M0", "B1", counts)
    for i, system in enumerate(systems, start=2):
        run = f"R{i:03d}"
        _add_run(store, run, "M1", "B1", (_value(run, "mrr", 0.41, "0.41"),), system=system)
    return fold(store.read())


def test_a_blocks_sanity_runs_numbers_are_shown_with_it_not_pooled() -> None:
    """009's B1 holds R001 (the M0 data rebuild: its task and schema counts are what the
    criterion's first clause is about) and R002: R001's numbers were in neither B1's table
    nor its verdict. They are listed under the block, apart from what it is judged on."""
    state = _sanity_run_in_a_block()
    (block,) = evaluate(state).blocks
    assert block.run_ids == ("R002",)
    assert block.sanity_numbers == ("R001 (M0): tasks = 1839",)
    assert "- R001 (M0): tasks = 1839" in results.render(state)


def test_a_clause_on_what_only_the_sanity_run_recorded_says_so_in_its_clause() -> None:
    """009's B1 "tasks_with_schema of tasks ≥ 95%" beside a second clause, two systems and
    none proposed: the first clause read "the block's proposed system is not known". It says
    the block's runs recorded no tasks_with_schema and that the sanity run R001 did, in that
    clause, not after the next one."""
    state = _sanity_run_in_a_block(
        "tasks_with_schema of tasks ≥ 95%; mrr ≥ 0.3", ("BM25 name_desc", "BM25 compact")
    )
    (block,) = evaluate(state).blocks
    assert block.verdict.verdict.value == "inconclusive"
    assert (
        "— metric 'tasks_with_schema' not found in the block's runs (extracted: mrr); a sanity "
        "run recorded it: R001 (tasks_with_schema), and a sanity run's numbers check the "
        "pipeline, not a block | [2]"
    ) in block.verdict.reason
    assert "proposed system is not known" not in block.verdict.reason.split(" | [2]")[0]


def _alias_log(
    aliases: tuple[dict[str, tuple[str, ...]], ...], *, m2: str = "pending"
) -> PipelineState:
    """A plan of must-run blocks B1 (M1: R1, criterion on `acc`) and B2 (M2: R2, criterion on
    `m2_score`); R1 succeeded recording `acc` under the ``[metrics] aliases`` ``aliases[0]``;
    R2 is planned only (``m2="pending"``), done before bridge by its tracker row
    (``"done_before"``, no number in the log) or succeeded too, recording `other` under
    ``aliases[-1]``."""
    store = InMemoryEventStore(clock=_clock())
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="Partial",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="b" * 64,
                options={"language": "en"},
                milestones=(
                    ev.MilestoneInfo(id="M1", goal="first", blocks=("B1",)),
                    ev.MilestoneInfo(id="M2", goal="second", blocks=("B2",)),
                ),
                blocks=(
                    ev.BlockInfo(id="B1", title="One", success_criterion="acc ≥ 0.5"),
                    ev.BlockInfo(id="B2", title="Two", success_criterion="m2_score ≥ 0.5"),
                ),
            )
        ],
        None,
    )
    _add_run(store, "R1", "M1", "B1", (_value("R1", "acc", 0.9, "0.9"),), aliases=aliases[0])
    if m2 == "pending":
        store.append("run:R2", [ev.RunPlanned(run_id="R2", milestone="M2", block="B2")], None)
    elif m2 == "done_before":
        store.append(
            "run:R2",
            [
                ev.RunPlanned(run_id="R2", milestone="M2", block="B2"),
                ev.RunFoundDone(run_id="R2", status="DONE", evidence="m2_score 0.7"),
            ],
            None,
        )
    else:
        _add_run(store, "R2", "M2", "B2", (_value("R2", "other", 0.9, "0.9"),), aliases=aliases[-1])
    return fold(store.read())


def test_an_alias_for_runs_not_run_yet_is_no_warning() -> None:
    """A plan stopped after M1 warned "[metrics] aliases … connects nothing" for the alias
    meant for M2's runs, which had not run: the researcher was pushed to delete a correct
    alias. It is said once the runs that could record it have ended, not before."""
    alias = {"m2_score": ("eval.m2_score",)}
    partial = _alias_log((alias,))
    assert "connects nothing" not in handoff_summary(partial)
    (_, b2) = evaluate(partial).blocks
    assert "connects nothing" not in b2.verdict.reason
    ended = _alias_log((alias,), m2="succeeded")
    assert (
        'Warning: [metrics] aliases "m2_score" = "eval.m2_score" names no metric any run '
        "recorded, so it connects nothing.\n"
    ) in handoff_summary(ended)
    (_, b2) = evaluate(ended).blocks
    assert "connects nothing" in b2.verdict.reason
    # Nor while the run that would record it was done before bridge (the log has no number of
    # it): 009's aliases for B1, whose R002 the tracker says was done (trial t17 F8).
    assert "connects nothing" not in handoff_summary(_alias_log((alias,), m2="done_before"))


def test_the_alias_warning_reads_the_settings_in_force_not_the_first_runs() -> None:
    """The aliases are read from the newest settings the runs recorded: an alias the
    researcher mended (or removed) after the first run is no longer warned of, and one added
    later is."""
    dead = {"m2_score": ("eval.m2_score",)}
    mended = {"m2_score": ("other",)}
    assert "connects nothing" not in handoff_summary(_alias_log((dead, mended), m2="succeeded"))
    assert "connects nothing" in handoff_summary(_alias_log(({}, dead), m2="succeeded"))


def test_results_json_holds_what_the_summary_lines_say() -> None:
    """The review-loop program reads results.json: the must-run blocks with numbers not
    trusted (with their runs and finding kinds), the main blocks left unjudged beside a
    negative result and the failed ones, and each block's sanity runs' numbers were only on
    the results page and the console."""
    store = _blocks_store(
        {"B1": ("M1", "accuracy ≥ 0.9"), "B2": ("M2", "accuracy ≥ 0.9")},
        {"B1": (_value("B1", "accuracy", 0.95, "0.95"),), "B2": ()},
        options={"main_milestone": "M1"},
    )
    flag = QualityFlag(metric="loss", kind="divergence", message="loss rose")
    nan = QualityFlag(metric="loss", kind="non_finite", message="loss is nan")
    plateau = QualityFlag(metric="accuracy", kind="plateau", message="flat", blocking=False)
    for run_id, quality in (("R012", (flag, nan)), ("R013", (plateau,))):
        _add_run(store, run_id, "M2", "B2", (_value(run_id, "accuracy", 0.95, "0.95"),), quality)
    data = json.loads(results_data.render_json(fold(store.read())))
    assert data["summary"]["untrusted_blocks"] == [
        {"block": "B2", "runs": [{"run": "R012", "kinds": ["divergence", "non_finite"]}]}
    ]
    assert data["summary"]["main_unjudged"] == []
    assert data["summary"]["main_not_met"] == []
    assert all(b["sanity_numbers"] == [] for b in data["blocks"])
    unjudged = _blocks_log(
        {"B3": ("M3", "the NMP-native gap is clear"), "B6": ("M3", "median gap ≤ 3%")},
        {
            "B3": (_value("B3", "peak_t", 79.0, "79"),),
            "B6": (_value("B6", "median_gap", 0.8, "0.8"),),
        },
        options={"main_milestone": "M3"},
    )
    summary = json.loads(results_data.render_json(unjudged))["summary"]
    assert (summary["main_result"], summary["main_not_met"], summary["main_unjudged"]) == (
        "negative",
        ["B6"],
        ["B3"],
    )
    (block,) = json.loads(results_data.render_json(_sanity_run_in_a_block()))["blocks"]
    assert block["sanity_numbers"] == ["R001 (M0): tasks = 1839"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_untrusted_blocks_are_on_the_console_with_no_main_milestone(language: str) -> None:
    """With no main milestone the console's main sentence ended at "no main milestone
    recognised" and never named the blocks whose numbers are not trusted, though the results
    page did ("Must-run blocks with numbers not trusted")."""
    store = _blocks_store(
        {"B1": ("M1", "accuracy ≥ 0.9"), "B2": ("M2", "accuracy ≥ 0.9")},
        {"B1": (_value("B1", "accuracy", 0.95, "0.95"),), "B2": ()},
        options={"language": language},
    )
    flag = QualityFlag(metric="loss", kind="divergence", message="loss rose")
    _add_run(store, "R012", "M2", "B2", (_value("R012", "accuracy", 0.95, "0.95"),), (flag,))
    state = fold(store.read())
    assert evaluate(state).main_milestone is None
    assert "- **Must-run blocks with numbers not trusted:** B2 (R012 divergence)" in (
        results.render(state)
    ) or "数值不可信的必做实验块" in results.render(state)
    summary = handoff_summary(state)
    if language == "zh":
        assert "。数值不可信的必做实验块：B2（R012 divergence）。\n" in summary, summary
    else:
        assert "). Must-run blocks with numbers not trusted: B2 (R012 divergence).\n" in summary, (
            summary
        )


def test_a_plans_own_ablations_are_named_in_the_next_step() -> None:
    """Trial C: after the quickstart's positive main result the next step said "consider
    ablating each component of the proposed system", though its B3 and B4 are the plan's own
    ablations, judged on the same page."""
    store = _blocks_store(
        {"B1": ("M1", "accuracy ≥ 0.9"), "B2": ("M2", "accuracy ≥ 0.9")},
        {
            "B1": (_value("B1", "accuracy", 0.95, "0.95"),),
            "B2": (_value("B2", "accuracy", 0.95, "0.95"),),
        },
        options={"main_milestone": "M1"},
    )
    # The plan collected: the next step reads the main result.
    path = (
        ("IMPLEMENTED", "implement"),
        ("REVIEWED", "review"),
        ("SANITY_OK", "pass_sanity"),
        ("DEPLOYED", "deploy"),
        ("COLLECTED", "collect"),
    )
    store.append(
        "bridge", [ev.StageEntered(stage=stage, trigger=trigger) for stage, trigger in path], None
    )
    plain = results.render(fold(store.read()))
    assert "consider ablating each component of the proposed system" in plain
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="Prose",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="c" * 64,
                options={"language": "en", "main_milestone": "M1"},
                milestones=(
                    ev.MilestoneInfo(id="M1", goal="DPO", blocks=("B1",)),
                    ev.MilestoneInfo(id="M2", goal="ablate", blocks=("B2",)),
                ),
                blocks=(
                    ev.BlockInfo(id="B1", title="Main", success_criterion="accuracy ≥ 0.9"),
                    ev.BlockInfo(
                        id="B2", title="Ablation — scaling", success_criterion="accuracy ≥ 0.9"
                    ),
                ),
            )
        ],
        None,
    )
    said = results.render(fold(store.read()))
    assert "the plan's own ablations (B2) are judged above" in said
    assert "consider ablating" not in said


def test_a_rows_nan_values_are_counted_beside_its_n() -> None:
    """Trial C: with R008's macro_f1 NaN the row read `| … | 2 | R006, R007, R008 |`, as if a
    run were lost; the NaN is counted beside n."""
    store = _blocks_store(
        {"B1": ("M1", "accuracy ≥ 0.9")}, {"B1": (_value("B1", "accuracy", 0.95, "0.95"),)}
    )
    _add_run(store, "R2", "M1", "B1", (_value("R2", "accuracy", None, "NaN"),))
    text = results.render(fold(store.read()))
    assert "| accuracy | 0.95 | - | 1 (+1 NaN/Inf) | B1, R2 |" in text, text


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_main_milestone_run_with_untrusted_numbers_holds_readiness(language: str) -> None:
    """A run of a main-milestone block diverged where no clause reads its numbers: the block
    was met, untrusted_blocks skipped it (main blocks were thought inconclusive already) and
    readiness said YES with no word of it. The block is named among the untrusted blocks and
    readiness waits, saying why; it is not said to be outside the main milestone."""
    store = InMemoryEventStore(clock=_clock())
    block = ev.BlockInfo(
        id="B1", systems=("KAN", "MLP"), proposed="KAN", success_criterion="KAN accuracy ≥ 0.9"
    )
    milestone = ev.MilestoneInfo(id="M1", goal="KAN", blocks=("B1",))
    options = {"language": language, "main_milestone": "M1"}
    plan = ev.PlanLoaded(
        title="KAN",
        plan_path="refine-logs/EXPERIMENT_PLAN.md",
        plan_sha256="b" * 64,
        options=options,
        milestones=(milestone,),
        blocks=(block,),
    )
    store.append("bridge", [plan], None)
    flag = QualityFlag(metric="loss", kind="divergence", message="loss rose")
    _add_run(store, "R001", "M1", "B1", (_value("R001", "accuracy", 0.95, "0.95"),), system="KAN")
    # The MLP's run diverged; the criterion reads the KAN's accuracy only.
    _add_run(
        store, "R013", "M1", "B1", (_value("R013", "accuracy", 0.5, "0.5"),), (flag,), system="MLP"
    )
    state = fold(store.read())
    outcome = evaluate(state)
    b1 = {b.block.id: b.verdict for b in outcome.blocks}["B1"]
    assert b1.verdict is VerdictKind.MET, b1.reason
    assert not outcome.ready
    assert "blocks of the main milestone M1 with numbers not trusted: B1 (R013 divergence)" in (
        outcome.not_ready
    )
    assert "主要里程碑 M1 中数值不可信的实验块：B1（R013 divergence）" in outcome.not_ready_zh
    data = json.loads(results_data.render_json(state))
    assert data["summary"]["untrusted_blocks"] == [
        {"block": "B1", "runs": [{"run": "R013", "kinds": ["divergence"]}]}
    ]
    assert "outside it with numbers not trusted" not in handoff_summary(state)
    assert "outside the main milestone with numbers not trusted" not in results.render(state)
    assert "主要里程碑之外数值不可信" not in results.render(state)


def test_with_no_main_milestone_the_advice_names_those_holding_a_block() -> None:
    """023 names no main milestone and only M2 holds a block: the advice listed every
    milestone ("milestones: M1, M2, M3, M4, M5"), and M4, named from it, had nothing to judge
    (trial h40I). It names the milestones that hold a block."""
    store = InMemoryEventStore(clock=_clock())
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="Prose",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="b" * 64,
                options={"language": "en"},
                milestones=(
                    ev.MilestoneInfo(id="M1", goal="Pilot"),
                    ev.MilestoneInfo(id="M2", goal="DPO", blocks=("B1",)),
                    ev.MilestoneInfo(id="M3", name="Confirm"),
                ),
                blocks=(ev.BlockInfo(id="B1", title="DPO", success_criterion="accuracy ≥ 0.8"),),
            )
        ],
        None,
    )
    _add_run(store, "B1", "M2", "B1", (_value("B1", "accuracy", 0.9, "0.9"),))
    store.append(
        "bridge",
        [ev.StageEntered(stage=stage, trigger=trigger) for stage, trigger in _COLLECTED],
        None,
    )
    state = fold(store.read())
    assert evaluate(state).main_milestone is None
    page = results.render(state)
    assert (
        'No main milestone was recognised in the plan: name it with main_milestone = "M2" in '
        "bridge.toml [bridge] (milestones: M2), then run `bridge run`."
    ) in page
    assert 'name it with main_milestone = "M2" in bridge.toml [bridge])' in handoff_summary(state)


def test_a_main_milestone_with_nothing_in_it_says_why_it_is_inconclusive() -> None:
    """018's main milestone M4 had no block and no run: the results read "`inconclusive` (M4)"
    and "the main milestone M4 is inconclusive" with no reason, as a judgement that could not
    be made reads. The summary, the results and the readiness now say there is nothing in it."""
    store = InMemoryEventStore(clock=_clock())
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="Prose",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="b" * 64,
                options={"language": "en"},
                milestones=(
                    ev.MilestoneInfo(id="M1", goal="DPO", blocks=("B1",)),
                    ev.MilestoneInfo(id="M2", name="Decisive 3-seed run"),
                ),
                blocks=(ev.BlockInfo(id="B1", title="DPO", success_criterion="accuracy ≥ 0.8"),),
            )
        ],
        None,
    )
    _add_run(store, "B1", "M1", "B1", (_value("B1", "accuracy", 0.9, "0.9"),))
    state = fold(store.read())
    outcome = evaluate(state)
    assert (outcome.main_milestone, outcome.main_result.value) == ("M2", "inconclusive")
    said = "no block or run of the plan is in M2, so there is nothing to judge"
    assert f"the main milestone M2 is inconclusive: {said}" in outcome.not_ready
    assert f"- **Main result:** `inconclusive` (M2: {said})\n" in results.render(state)
    assert f"Main result (M2): inconclusive, {said}." in handoff_summary(state)
    store.append(
        "bridge",
        [ev.StageEntered(stage=stage, trigger=trigger) for stage, trigger in _COLLECTED],
        None,
    )
    page = results.render(fold(store.read()))
    # The next step says what gives it something to judge, and which milestone already has:
    # "resolve the reasons each block's verdict gives" named no verdict of it (023 with
    # main_milestone = "M4", trial h40I). It has no runs, so no `block` to set on them.
    assert (
        "The main milestone M2 holds no block, so there is nothing to judge: name its block in "
        "its row's Runs or Goal cell of the plan (the plan's blocks: B1), or name a milestone "
        "that holds one with main_milestone (M1), then run `bridge run`."
    ) in page
    assert "resolve the reasons each block's verdict gives" not in page


_COLLECTED = (
    ("IMPLEMENTED", "implement"),
    ("REVIEWED", "review"),
    ("SANITY_OK", "pass_sanity"),
    ("DEPLOYED", "deploy"),
    ("COLLECTED", "collect"),
)


def _nan_store(
    language: str, *, command: bool = True, failed: tuple[str, ...] = ()
) -> InMemoryEventStore:
    """012's shape: the main milestone's block judged on R004 and R005, R004's NLL_high_DTU
    NaN (a blocking non_finite finding), the runs collected; ``failed``: must-run runs of
    another milestone's block B3 that failed."""
    store = InMemoryEventStore(clock=_clock())
    block = ev.BlockInfo(
        id="B2",
        systems=("per-gene", "bounded"),
        proposed="bounded",
        success_criterion="bounded NLL_high_DTU ≤ 1.48",
    )
    plan = ev.PlanLoaded(
        title="Fabric",
        plan_path="refine-logs/EXPERIMENT_PLAN.md",
        plan_sha256="b" * 64,
        options={"language": language, "main_milestone": "M2"},
        milestones=(ev.MilestoneInfo(id="M2", goal="weighting", blocks=("B2",)),),
        blocks=(block,),
    )
    store.append("bridge", [plan], None)
    nan = QualityFlag(metric="NLL_high_DTU", kind="non_finite", message="NLL_high_DTU = NaN")
    argv = {"command": ("python3", "train.py", "--run", "{run_id}")} if command else {}
    _add_run(
        store,
        "R004",
        "M2",
        "B2",
        (_value("R004", "NLL_high_DTU", None, "NaN"),),
        (nan,),
        system="bounded",
        **argv,
    )
    _add_run(
        store,
        "R005",
        "M2",
        "B2",
        (_value("R005", "NLL_high_DTU", 1.46, "1.46"),),
        system="per-gene",
        **argv,
    )
    for run_id in failed:
        attempt = f"{run_id}-a1"
        store.append(
            f"run:{run_id}",
            [
                ev.RunPlanned(run_id=run_id, milestone="M3", block="B3", **argv),  # type: ignore[arg-type]
                ev.RunSubmitted(
                    run_id=run_id, attempt_id=attempt, attempt=1, backend="local", argv=("x",)
                ),
                ev.RunFailed(run_id=run_id, attempt_id=attempt, exit_code=1, reason="exit 1"),
            ],
            None,
        )
    store.append(
        "bridge",
        [ev.StageEntered(stage=stage, trigger=trigger) for stage, trigger in _COLLECTED],
        None,
    )
    return store


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "first. Numbers not trusted in B2 (R004 non_finite): fix the cause, then run "
            "`bridge retry --force R004` and `bridge run`. Ablation planning skipped",
        ),
        (
            "zh",
            "。数值不可信：B2（R004 non_finite）；修复原因后运行 `bridge retry --force R004` 和 "
            "`bridge run`。消融规划已跳过",
        ),
    ],
)
def test_a_nan_that_leaves_a_block_open_names_its_retry(language: str, said: str) -> None:
    """012 (trial copies 012b/012c): R004's NLL_high_DTU was NaN, B2 of the main milestone
    inconclusive, and the next step said only "resolve the reasons each block's verdict gives
    above", where a failed run's next step names `bridge retry`. The run and the command that
    runs it again (--force: it succeeded) are named, on the results page and the console."""
    state = fold(_nan_store(language).read())
    outcome = evaluate(state)
    b2 = {b.block.id: b.verdict for b in outcome.blocks}["B2"]
    assert b2.verdict is VerdictKind.INCONCLUSIVE, b2.reason
    step = results.next_step(state, outcome, language)
    assert said in step, step
    assert said in results.render(state, language)
    assert said in handoff_summary(state)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "Must-run runs did not succeed (R301, R302): read why, fix the cause, then run "
            "`bridge retry --failed` and `bridge run`. Numbers not trusted in B2 (R004 "
            "non_finite): fix the cause, then run `bridge retry --force R004` and `bridge run`. "
            "Ablation planning skipped (must-run runs not done).",
        ),
        (
            "zh",
            "必做运行未成功（R301、R302）：查看原因并修复，然后运行 `bridge retry --failed` 和 "
            "`bridge run`。数值不可信：B2（R004 non_finite）；修复原因后运行 "
            "`bridge retry --force R004` 和 `bridge run`。消融规划已跳过（必做运行未完成）。",
        ),
    ],
)
def test_failed_runs_and_a_nan_name_both_retries(language: str, said: str) -> None:
    """004 (trial copy 004_nous): R302's TPR was NaN beside failed R303, R401…; the first next
    step named only the failed runs and `bridge retry --failed`, which leaves a succeeded run,
    and the NaN run's `--force` retry came only after they had run again. In Chinese the failed
    runs are listed with "、", as the cancelled ones are (they read "R301, R302")."""
    state = fold(_nan_store(language, failed=("R301", "R302")).read())
    outcome = evaluate(state)
    step = results.next_step(state, outcome, language)
    assert step == said, step
    assert said in handoff_summary(state)


def test_a_nan_of_a_run_with_no_command_says_what_it_needs() -> None:
    """A run with no command (018's imported rows) cannot be retried: no command that would be
    refused, but what it needs. The results page knows only the spec the log recorded: said as
    recorded ("has no command here" was false once bridge.toml gave it one, trial t16 F16);
    the console, which knows bridge.toml's commands now, names the retry when one is there
    and says "no command here" only when none is."""
    state = fold(_nan_store("en", command=False).read())
    outcome = evaluate(state)
    step = results.next_step(state, outcome, "en")
    assert "bridge retry" not in step, step
    assert "no command here" not in step, step
    assert (
        "Numbers not trusted in B2 (R004 non_finite): fix the cause; bridge recorded R004 with "
        "no command: give it a [[runs]] entry with a command in bridge.toml."
    ) in step, step
    given = results.next_step(state, outcome, "en", {"R004": ("python", "train.py")})
    assert (
        "Numbers not trusted in B2 (R004 non_finite): fix the cause, then run "
        "`bridge retry --force R004` and `bridge run`."
    ) in given, given
    assert "no command" not in given, given
    none = handoff_summary(state, {"R004": ()})
    assert "R004 has no command here: give it a [[runs]] entry" in none, none
    zh = fold(_nan_store("zh", command=False).read())
    assert "bridge 记录 R004 时没有命令，需先在 bridge.toml 中为其写 [[runs]] 条目" in (
        results.next_step(zh, evaluate(zh), "zh")
    )
    assert "修复原因后运行 `bridge retry --force R004` 和 `bridge run`" in handoff_summary(
        zh, {"R004": ("python", "train.py")}
    )


def test_a_positive_result_beside_untrusted_numbers_is_not_handed_on() -> None:
    """The main milestone met beside a diverged run of its block: readiness said NO, and the
    next step "hand EXPERIMENT_RESULTS.md to the review loop"; it names the run's retry."""
    store = InMemoryEventStore(clock=_clock())
    block = ev.BlockInfo(
        id="B1", systems=("KAN", "MLP"), proposed="KAN", success_criterion="KAN accuracy ≥ 0.9"
    )
    plan = ev.PlanLoaded(
        title="KAN",
        plan_path="refine-logs/EXPERIMENT_PLAN.md",
        plan_sha256="b" * 64,
        options={"language": "en", "main_milestone": "M1"},
        milestones=(ev.MilestoneInfo(id="M1", goal="KAN", blocks=("B1",)),),
        blocks=(block,),
    )
    store.append("bridge", [plan], None)
    flag = QualityFlag(metric="loss", kind="divergence", message="loss rose")
    run = ("python3", "train.py")
    _add_run(
        store,
        "R001",
        "M1",
        "B1",
        (_value("R001", "accuracy", 0.95, "0.95"),),
        system="KAN",
        command=run,
    )
    _add_run(
        store,
        "R013",
        "M1",
        "B1",
        (_value("R013", "accuracy", 0.5, "0.5"),),
        (flag,),
        system="MLP",
        command=run,
    )
    store.append(
        "bridge",
        [ev.StageEntered(stage=stage, trigger=trigger) for stage, trigger in _COLLECTED],
        None,
    )
    state = fold(store.read())
    outcome = evaluate(state)
    assert outcome.main_result.value == "positive" and not outcome.ready
    step = results.next_step(state, outcome, "en")
    assert step == (
        "The main result is positive, but not ready for the review loop. Numbers not trusted in "
        "B1 (R013 divergence): fix the cause, then run `bridge retry --force R013` and "
        "`bridge run`."
    ), step


def test_an_untrusted_run_shared_into_must_run_blocks_from_no_must_run_block_is_named() -> None:
    """002's R008 (NaN loss) is shared into B1 and B2, which it leaves open, from no must-run
    block of its own: the summary named only B3's R010, and R008 nowhere. A shared run is named
    under each block judged on it when no must-run block holds it as its own; one that a
    must-run block holds stays with that block alone."""
    from bridge.projections.outcome_types import blocks_with_untrusted_runs

    store = _blocks_store(
        {"B1": ("M1", "accuracy ≥ 0.9"), "B2": ("M1", "accuracy ≥ 0.9")},
        {"B1": (_value("B1", "accuracy", 0.95, "0.95"),), "B2": ()},
    )
    state = fold(store.read())
    b1, b2 = evaluate(state).blocks
    nan = QualityFlag(metric="loss", kind="non_finite", message="NaN")
    flags = (("R008", nan),)
    shared_in = (
        attrs.evolve(b1, run_ids=(*b1.run_ids, "R008"), shared=("R008",)),
        attrs.evolve(b2, run_ids=(*b2.run_ids, "R008"), shared=("R008",)),
    )
    assert blocks_with_untrusted_runs(shared_in, flags) == (
        ("B1", (("R008", ("non_finite",)),)),
        ("B2", (("R008", ("non_finite",)),)),
    )
    owned_by_b2 = (shared_in[0], attrs.evolve(b2, run_ids=(*b2.run_ids, "R008"), shared=()))
    assert blocks_with_untrusted_runs(owned_by_b2, flags) == (("B2", (("R008", ("non_finite",)),)),)


def test_a_blocks_sanity_runs_are_named_beside_its_runs() -> None:
    """009's B1: `bridge plan` lists "MCP-Flow local parser: R001 (sanity); BM25
    name/compact/full: R002", the results "**Runs:** R002" alone, R001 (done before bridge,
    no numbers) named nowhere under B1. Its Runs line names it apart, with why."""
    state = _sanity_run_in_a_block()
    assert "- **Runs:** R002 (the block's sanity runs, not judged on: R001)\n" in results.render(
        state
    )
    assert "- **运行:** R002 (本实验块的健全性运行，不计入判定: R001)\n" in results.render(
        state, "zh"
    )


@needs_shared
@pytest.mark.parametrize("name", ["036", "020"])
def test_the_next_step_at_collected_names_the_plans_exit_criteria(
    name: str, tmp_path: Path
) -> None:
    """036's "## Exit Criteria" («The paper is ready for a first full draft when: …») were in
    `bridge plan` and the results, but the step that ended a run never named them (trial h40):
    at COLLECTED it quotes them, the list as one passage after its lead-in, before any handoff.
    020 states none: its step is as before. Before COLLECTED nothing is added."""
    from tests.plan.corpus import as_project
    from tests.recorded_runs import planned

    planned_state = fold(planned(as_project(name, tmp_path)).read())
    state = attrs.evolve(planned_state, stage=Stage.COLLECTED)
    step = results.next_step(state, evaluate(state), "en")
    zh = results.next_step(state, evaluate(state), "zh")
    before = results.next_step(planned_state, evaluate(planned_state), "en")
    assert "exit criteria" not in before and "checklist" not in before, before
    if name == "020":
        assert "exit criteria" not in step and "退出条件" not in zh, (step, zh)
        # Its "## 最终检查清单" (15 items, 7 ticked) was read nowhere: the step says how many
        # are still unticked, the results list them as the plan writes them; none is ticked
        # by bridge.
        assert step.endswith(
            "8 of the 15 items of the plan's final checklist are still unticked (listed in "
            "EXPERIMENT_RESULTS.md): tick each in refine-logs/EXPERIMENT_PLAN.md yourself once "
            "the results bear it out; bridge ticks none."
        ), step
        assert zh.endswith(
            "计划的最终检查清单 15 项中仍有 8 项未勾选（列在 EXPERIMENT_RESULTS.md 中）：结果支持"
            "某项时请在 refine-logs/EXPERIMENT_PLAN.md 中自行勾选；bridge 不勾选任何一项。"
        ), zh
        page = results.render(state)
        assert (
            "## The plan's final checklist (not checked by bridge, which ticks none of it: "
            "tick each item in the plan yourself)\n\n15 items, 7 ticked, as "
            "refine-logs/EXPERIMENT_PLAN.md writes them:\n\n- [x] «A800 single-host"
        ) in page
        assert "- [ ] «main paper tables covered» (refine-logs/EXPERIMENT_PLAN.md:400)\n" in page
        assert page.count("\n- [x] «") == 7 and page.count("\n- [ ] «") == 8
        assert results_data.document(state)["checklist"][5] == {
            "text": "main paper tables covered",
            "ticked": False,
            "file": "refine-logs/EXPERIMENT_PLAN.md",
            "line": 400,
        }
        return
    # A quote that ends with its own full stop ends the step: no «….». (h41).
    assert step.endswith(
        "Check the plan's exit criteria against the results (bridge checks none of them; all "
        "are listed in EXPERIMENT_RESULTS.md): «The paper is ready for a first full draft "
        "when: baseline3_2_multitask remains the best reference-aligned model, the "
        "human-reference metric sanity check is documented, the DPO section is either "
        "repaired by a low-cost rerun or clearly framed as a negative result.»"
    ), step
    assert "checklist" not in step, step
    assert "对照结果检查计划的退出条件（bridge 不检查它们" in zh, zh
    # M0.1's run was done before bridge, which reads no metrics of it: said so, not "No
    # metric values recorded yet." as of M2.1, whose run is still to come (trial h41I F2).
    text = results.render(state)
    m01 = text[text.index("### M0.1:") : text.index("### M0.2:")]
    assert "No metric values: the tracker says its runs were done before bridge, whose " in m01
    m21 = text[text.index("### M2.1:") : text.index("### M2.2:")]
    assert "No metric values recorded yet." in m21, m21
