"""
``refine-logs/results.json`` and ``refine-logs/results.csv``: the results for programs.

Every run, every metric value with its provenance (run, attempt, file, sha256, rule), the
aggregates and the verdicts; the schema is in ``docs/results-format.md``. Formatting is canonical
(sorted keys, two-space indent, LF line ends, no NaN), so a rebuild from the same log gives the
same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence

import attrs

from bridge.machine.fold import PipelineState, RunView
from bridge.machine.judge import EvaluationType, claim_scope
from bridge.machine.stages import RunState
from bridge.plan.baselines import BASELINES_OPTION
from bridge.plan.criteria import Compound, Criterion
from bridge.plan.metric_names import PLAN_METRICS_OPTION, UNITS_OPTION, units_of
from bridge.plan.run_gates import GateClause, GateOutcome, judge_gate
from bridge.plan.unread_thresholds import recorded_unread
from bridge.projections.block_runs import set_aside
from bridge.projections.failure_words import kept_retry, row_gone
from bridge.projections.outcome import (
    BlockResult,
    evaluate,
    main_not_met,
    sanity_check,
    untrusted_blocks,
)
from bridge.projections.reasons import in_language

__all__ = [
    "CSV_HEADER",
    "SCHEMA_VERSION",
    "gate_clauses",
    "gate_of",
    "gates_not_met",
    "metric_units",
    "render_csv",
    "render_json",
]

SCHEMA_VERSION = 1
CSV_HEADER = (
    "run_id",
    "attempt_id",
    "block",
    "system",
    "milestone",
    "seed",
    "status",
    "metric",
    "value",
    "raw",
    "source",
    "sha256",
    "rule",
)


def gate_of(state: PipelineState, run_id: str) -> str:
    """The run's own gate as the latest plan states it (``PlanLoaded.run_gates``), else ``""``."""
    return state.plan.run_gates.get(run_id, "") if state.plan is not None else ""


def metric_units(state: PipelineState) -> dict[str, str]:
    """``[metrics] units`` as the log's latest plan recorded them (metric → percent/fraction)."""
    return units_of(state.plan.options.get(UNITS_OPTION, "")) if state.plan is not None else {}


def gate_clauses(run: RunView, gate: str, units: Mapping[str, str]) -> tuple[GateClause, ...]:
    """
    ``run``'s own ``gate`` judged clause by clause against the values its latest attempt recorded
    (:func:`bridge.plan.run_gates.judge_gate`, with the ``[metrics]`` aliases they were read
    with and the ``units`` of :func:`metric_units`); ``()`` when the run has no gate. A clause
    bridge reads has no value when the run recorded none, and then says so, so "not judged"
    never reads as "passed".
    """
    if not gate:
        return ()
    metrics = run.metrics
    if metrics is None:
        return tuple(
            attrs.evolve(c, said=_no_value_why(run)) if c.outcome is GateOutcome.NO_VALUE else c
            for c in judge_gate(gate, None)
        )
    values: dict[str, float | None] = {}
    for v in metrics.values:
        values.setdefault(v.name, v.value)
    return judge_gate(gate, values, metrics.aliases, units)


def _no_value_why(run: RunView) -> str:
    """
    Why ``run`` has no value to judge its gate with: done before bridge, whose numbers bridge
    never reads, else what its status says (waiting, blocked, work people do, failed …).
    """
    if run.state is RunState.DONE_BEFORE:
        # 011's R017 marked DONE read "(its status says why)" beside the status DONE (h42B F2).
        return (
            "the run was done before bridge, which reads no values of it: "
            "judge the gate from your own record of the run"
        )
    return "the run has recorded no value (its status says why)"


def gates_not_met(state: PipelineState, run_ids: Sequence[str]) -> list[tuple[str, GateClause]]:
    """
    The clauses of ``run_ids``' own gates that their recorded values do not meet, with each
    run's id: what a block's verdict is shown beside (the verdict is its criterion's alone).
    """
    units = metric_units(state)
    return [
        (run_id, clause)
        for run_id in dict.fromkeys(run_ids)
        if run_id in state.runs
        for clause in gate_clauses(state.runs[run_id], gate_of(state, run_id), units)
        if clause.outcome is GateOutcome.NOT_MET
    ]


def _gate(run: RunView, gate: str, units: Mapping[str, str]) -> dict[str, object] | None:
    """The run's gate for results.json: its text and each clause's outcome."""
    if not gate:
        return None
    return {
        "text": gate,
        "clauses": [
            {
                "text": c.text,
                "outcome": c.outcome.value,
                "reading": c.reading or None,
                "said": c.said,
                "metric": c.metric or None,
                "value": c.value,
            }
            for c in gate_clauses(run, gate, units)
        ],
    }


def _run(run: RunView, gate: str, units: Mapping[str, str], language: str) -> dict[str, object]:
    attempt = run.current
    metrics = run.metrics
    return {
        "run_id": run.run_id,
        "attempt_id": attempt.attempt_id if attempt else None,
        "attempts": len(run.attempts),
        "block": run.spec.block,
        "block_system": run.spec.block_system,
        "attribution": run.spec.attribution,
        "attribution_said": in_language(run.spec.attribution, language),
        "system": run.spec.system,
        "milestone": run.spec.milestone,
        "seed": run.ran_seed,
        "priority": run.spec.priority,
        "status": run.state.value,
        # Out of scope by bridge's doing, not the researcher's: its row split into seeds, undone
        # or removed (025's R002-s1 read only `out_of_scope` beside "set aside" everywhere else;
        # trial t14).
        "set_aside": run.state is RunState.OUT_OF_SCOPE and row_gone(run.reason),
        # A row the tracker says ended failed before bridge is `done_before_bridge` in the log
        # (bridge did not run it): said here, as summary.must_run.failed_before_bridge lists it,
        # so a reader of runs[] does not count it done (trial T6, 018).
        "ended_failed_before_bridge": run.failed_before_bridge,
        # Done before bridge with a negative result (014's R002 COMPLETE_FAIL_HARD_STOP):
        # counted done, as `status` says, but the result the row records is negative, as the
        # summary and the tracker say; a reader of runs[] had no field for it (trial h40).
        "ended_negative_before_bridge": run.negative_before_bridge,
        "reason": run.reason,
        # The run's own gate (plan run table's Gate cell, tracker Metrics thresholds), judged
        # against its recorded values where bridge reads a clause; never a block's verdict.
        "gate": _gate(run, gate, units),
        # Its numbers come from settings or code the inputs no longer give (null: from the
        # inputs as they are): what changed, old → new, and the command that runs it again.
        "kept_as_ran": {
            "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in run.kept.changes],
            "retry": kept_retry([run.run_id]),
        }
        if run.kept is not None
        else None,
        # Not launched: another run ran what it would run, and that run's result is its own
        # (null: its own attempt, or none).
        "carried_from": run.carried.from_run
        if run.carried is not None and run.state is RunState.SUCCEEDED
        else None,
        "argv": list(attempt.argv) if attempt else [],
        "finished_at": attempt.finished_at.isoformat() if attempt and attempt.finished_at else None,
        "key_metric": metrics.key_metric if metrics else None,
        "metrics": [
            {
                "name": v.name,
                "value": v.value,
                "raw": v.raw,
                "source": v.source,
                "sha256": v.sha256,
                "rule": v.rule,
            }
            for v in (metrics.values if metrics else ())
        ],
        "histories": [
            {
                "name": h.name,
                "points": h.points,
                "nonfinite": h.nonfinite,
                "first_step": h.first_step,
                "last_step": h.last_step,
                "first": h.first,
                "last": h.last,
                "min": h.minimum,
                "max": h.maximum,
                "source": h.source,
                "sha256": h.sha256,
                "rule": h.rule,
            }
            for h in (metrics.histories if metrics else ())
        ],
        "extraction_problems": [
            {"source": p.source, "message": p.message, "blocking": p.blocking}
            for p in (metrics.problems if metrics else ())
        ],
        "quality": [
            {"metric": f.metric, "kind": f.kind, "blocking": f.blocking, "message": f.message}
            for f in (metrics.quality if metrics else ())
        ],
    }


def _parsed(parsed: Criterion) -> dict[str, object]:
    return {
        "metric": parsed.metric,
        "comparison": parsed.comparison.value,
        "threshold": parsed.threshold,
        "mode": parsed.mode.value,
        "percent_scale": parsed.percent_scale,
        "orientation": parsed.orientation.value if parsed.orientation else None,
        "subject": parsed.subject,
        "reference": parsed.reference,
        "scope": parsed.scope.value,
        "derived": (
            {
                "op": parsed.derived.op.value,
                "left": parsed.derived.left,
                "right": parsed.derived.right,
            }
            if parsed.derived
            else None
        ),
        # Read by the judge the primary metric's way when no metric is named: "≥ 2×" is a
        # reduction of 50 % of a latency, "25%" a relative change of anything but a rate.
        "ratio": parsed.ratio,
        "percent_of_primary": parsed.percent_of_primary,
        # "by a non-trivial margin": a gain > 0 the judge leaves open where there is one.
        "margin_in_words": parsed.margin_in_words,
        # "on every question type", «每域»: judged on each label's value (trial t12).
        "per_item": parsed.per_item,
        # "latency < 5 ms": the unit written after the number, matched to the metric's name.
        "unit": parsed.unit,
        # "on the test set": the evaluation set whose value is judged.
        "evaluation_set": parsed.evaluation_set,
        "notes": list(parsed.notes),
    }


def _criterion(result: BlockResult) -> dict[str, object]:
    parsed = result.criterion
    if isinstance(parsed, Criterion):
        return {"text": parsed.text, "parsed": _parsed(parsed), "unparsed_reason": None}
    if isinstance(parsed, Compound):
        return {
            "text": parsed.text,
            "parsed": None,
            "unparsed_reason": None,
            "clauses": [
                {
                    "text": c.text,
                    "parsed": _parsed(c) if isinstance(c, Criterion) else None,
                    "unparsed_reason": None if isinstance(c, Criterion) else c.reason,
                }
                for c in parsed.clauses
            ],
            "notes": list(parsed.notes),
        }
    return {"text": parsed.text, "parsed": None, "unparsed_reason": parsed.reason}


def _listed(state: PipelineState, run_ids: Sequence[str]) -> list[str]:
    """
    ``run_ids`` without the runs set aside because their row is gone (deleted, or split into
    seeds: :func:`~bridge.projections.block_runs.set_aside`): each counts for nothing and is
    listed once, with why, under the runs bridge did not launch, as on the results page's Runs
    line (018's JPH-B2-FX-S0, its row deleted to leave it out, stayed in B2's `runs`, trial t16).
    """
    return [r for r in run_ids if not (r in state.runs and set_aside(state.runs[r]))]


def _block(result: BlockResult, warnings: Sequence[str], state: PipelineState) -> dict[str, object]:
    verdict = result.verdict
    try:
        scope = claim_scope(EvaluationType(result.block.evaluation_type))
    except ValueError:
        scope = ""
    return {
        "block": result.block.id,
        "title": result.block.title,
        "priority": result.block.priority,
        "systems": list(result.block.systems),
        "reference_system": result.reference,
        "candidate_system": result.candidate,
        "expected_seeds": result.expected_seeds,
        "runs": _listed(state, result.run_ids),
        "shared_runs": _listed(state, result.shared),
        "criterion": _criterion(result),
        "verdict": verdict.verdict.value,
        "reason": verdict.reason,
        # 12 significant digits: (0.63 − 0.60) × 100 read 3.0000000000000027 (001's B1, trial
        # h41H F7) where the reason says "+3 pp".
        "measured": None if verdict.measured is None else float(f"{verdict.measured:.12g}"),
        "judged_by": verdict.judged_by.value,
        "evaluation_type": result.block.evaluation_type,
        "claim_scope": scope,
        # The plan's claims the block tests, as the results page lists them beside the verdict.
        "claims": [{"id": c.id, "text": c.text} for c in result.block.claims],
        # The block's own sanity runs' numbers, which it is not judged on (009's R001 under B1),
        # one line per run as the results page lists them; the values are in runs[].
        "sanity_numbers": list(result.sanity_numbers),
        # Thresholds the plan states for the block that nothing judges (tiers after its
        # criterion, or a block with none), as `bridge plan` warned of them.
        "not_judged": list(recorded_unread(warnings, result.block.id)),
        # Its runs' own gates their values do not meet: shown beside the verdict, which is
        # judged on the criterion alone (runs[].gate has every clause).
        "run_gates_not_met": [
            {"run": run_id, "gate": clause.text, "said": clause.said}
            for run_id, clause in gates_not_met(state, (*result.run_ids, *result.shared))
        ],
    }


def document(state: PipelineState, language: str = "en") -> dict[str, object]:
    """
    The results as plain data (what ``results.json`` holds). The state must have a plan.
    Its reasons are English, for programs; a run's ``attribution_said`` is its placement
    reason in ``language``, the output's, as a researcher reads it.
    """
    assert state.plan is not None
    outcome = evaluate(state)
    return {
        "schema_version": SCHEMA_VERSION,
        "title": state.plan.title,
        "plan": state.plan.plan_path,
        "plan_sha256": state.plan.plan_sha256,
        "generated_at": state.last_content_at.isoformat() if state.last_content_at else None,
        "log_seq": state.last_content_seq,
        "stage": state.stage.value,
        "milestones": [
            {
                "milestone": m.info.id,
                "name": m.info.name or m.info.goal,
                "sanity": m.info.sanity,
                "sanity_passed": m.sanity_passed,
                # The word the results page shows: "unjudged" is not "passed" (029).
                "sanity_check": sanity_check(state, m) if m.info.sanity else None,
                # Quoted from the plan; bridge never checks a decision gate.
                "decision_gate": m.info.gate or None,
                "blocks": list(m.blocks),
                "runs": list(m.run_ids),
            }
            for m in outcome.milestones
        ],
        # Quoted from the plan; bridge never checks a stop rule.
        "stop_rules": list(state.plan.stop_rules),
        # A plan's own baselines and metrics sections (017's): judged by nothing, shown.
        "required_baselines": state.plan.options.get(BASELINES_OPTION, "").splitlines(),
        "plan_metrics": state.plan.options.get(PLAN_METRICS_OPTION, "").splitlines(),
        "exit_criteria": list(state.plan.exit_criteria),
        # The plan's own final checklist as written; bridge never checks or ticks an item.
        "checklist": [
            {"text": i.text, "ticked": i.ticked, "file": i.file, "line": i.line}
            for i in state.plan.checklist
        ],
        "runs": [
            _run(run, gate_of(state, r), metric_units(state), language)
            for r, run in sorted(state.runs.items())
        ],
        "aggregates": [
            {
                "block": a.block,
                "system": a.system,
                "metric": a.metric,
                "mean": a.mean,
                "std": a.std,
                "n": a.n,
                "n_nonfinite": a.n_nonfinite,
                "run_ids": list(a.run_ids),
            }
            for result in outcome.blocks
            for a in result.aggregates
        ],
        "blocks": [_block(result, state.plan.warnings, state) for result in outcome.blocks],
        "summary": {
            "must_run": {
                "completed": outcome.must_done,
                "total": outcome.must_total,
                "failed_before_bridge": list(outcome.must_failed_before),
                "negative_before_bridge": list(outcome.must_negative_before),
                "awaiting_code": list(outcome.must_awaiting_code),
                "waiting_outside": list(outcome.must_waiting_outside),
                "blocked": list(outcome.must_blocked),
                "by_person": list(outcome.must_by_person),
                "out_of_scope": list(outcome.must_ruled_out),
                "split_into_seeds": list(outcome.must_split),
                "row_removed": list(outcome.must_removed),
                "not_succeeded": list(outcome.must_not_succeeded),
                "held_for_code": list(outcome.must_held_for_code),
                "no_metric_value": list(outcome.must_no_number),
                "numbers_not_trusted": list(outcome.must_untrusted),
            },
            "nice_to_have": {"completed": outcome.nice_done, "total": outcome.nice_total},
            "main_milestone": outcome.main_milestone,
            "main_result": outcome.main_result.value,
            # A negative main result rests on these blocks; those beside them left inconclusive
            # are named, as the summary names them (015's B6 beside unjudged B3 and B4).
            "main_not_met": list(main_not_met(outcome)),
            # Runs that missed their own gate, as the Summary names them (runs[].gate says how).
            "run_gates_not_met": list(
                dict.fromkeys(run_id for run_id, _ in gates_not_met(state, sorted(state.runs)))
            ),
            "main_unjudged": list(outcome.main_unjudged),
            # Must-run blocks outside the main milestone (all of them when there is none) with
            # runs whose numbers are not trusted, as the summary lines say (the quickstart's B4).
            "untrusted_blocks": [
                {
                    "block": block,
                    "runs": [{"run": run, "kinds": list(kinds)} for run, kinds in runs],
                }
                for block, runs in untrusted_blocks(outcome)
            ],
            # The runs whose numbers come from earlier settings or code (runs[].kept_as_ran).
            "kept_as_ran": [r.run_id for _, r in sorted(state.runs.items()) if r.kept is not None],
            "ready_for_review_loop": outcome.ready,
            "not_ready_reasons": list(outcome.not_ready),
            "ablation_planning": _ablations(state),
        },
    }


def render_json(state: PipelineState, language: str = "en") -> str:
    """
    Render ``results.json`` (its reasons English, each run's ``attribution_said`` in
    ``language``); ``""`` before a plan is in the log.
    """
    if state.plan is None:
        return ""
    return (
        json.dumps(
            document(state, language), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False
        )
        + "\n"
    )


def render_csv(state: PipelineState, language: str = "en") -> str:
    """
    Render ``results.csv``: one row per metric value (long format); ``""`` before a plan.
    """
    if state.plan is None:
        return ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for _, run in sorted(state.runs.items()):
        metrics = run.metrics
        if metrics is None:
            continue
        for v in metrics.values:
            writer.writerow(
                (
                    run.run_id,
                    metrics.attempt_id,
                    run.spec.block,
                    run.spec.system,
                    run.spec.milestone,
                    "" if (seed := run.ran_seed) is None else seed,
                    run.state.value,
                    v.name,
                    "" if v.value is None else repr(v.value),
                    v.raw,
                    v.source,
                    v.sha256,
                    v.rule,
                )
            )
    return out.getvalue()


def _ablations(state: PipelineState) -> dict[str, object]:
    planned = state.ablations
    if planned is None:
        return {"outcome": "not yet", "planner": "", "reason": "", "runs": []}
    return {
        "outcome": planned.outcome,
        "planner": planned.planner,
        "reason": planned.reason,
        "runs": list(planned.runs),
    }
