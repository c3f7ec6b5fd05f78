"""
The handoff summary ``bridge run`` prints when it stops: what was implemented and run, what
came out, where the files are, and what to do next. Pure: a function of the state.
"""

from __future__ import annotations

from bridge.machine.fold import PipelineState
from bridge.machine.judge import MainResult
from bridge.projections.outcome import evaluate
from bridge.projections.results import next_step

__all__ = ["handoff_summary"]

RESULTS_PATH = "refine-logs/EXPERIMENT_RESULTS.md"
TRACKER_PATH = "refine-logs/EXPERIMENT_TRACKER.md"
MANIFEST_PATH = "MANIFEST.md"


def _main_sentence(state: PipelineState) -> str:
    outcome = evaluate(state)
    if outcome.main_milestone is None:
        return "Main result: inconclusive (no main milestone recognised in the plan)."
    blocks = [
        b
        for b in outcome.blocks
        if any(
            b.block.id in m.blocks
            for m in outcome.milestones
            if m.info.id == outcome.main_milestone
        )
    ]
    detail = "; ".join(
        f"{b.block.id} {b.verdict.verdict.value}: {b.verdict.reason}" for b in blocks
    )
    word = outcome.main_result.value
    if outcome.main_result is MainResult.POSITIVE:
        lead = f"Main result ({outcome.main_milestone}): positive, every criterion met"
    elif outcome.main_result is MainResult.NEGATIVE:
        lead = f"Main result ({outcome.main_milestone}): negative, a criterion was not met"
    else:
        lead = f"Main result ({outcome.main_milestone}): {word}"
    return f"{lead} — {detail}." if detail else f"{lead}."


def handoff_summary(state: PipelineState) -> str:
    """
    Return the summary printed at the end of ``bridge run`` (English, plain text, several lines).

    Args:
        state: the folded state.

    Returns:
        Scripts implemented, runs deployed and on how many GPU slots, must-run and
        nice-to-have completed, the main result in one sentence, the paths of the results,
        tracker and manifest, and the next step. ``"No plan loaded yet."`` before a plan.
    """
    if state.plan is None:
        return "No plan loaded yet."
    outcome = evaluate(state)
    changed = sorted({p for impl in state.implementations for p in impl.changed_files})
    implementers = sorted({impl.implementer for impl in state.implementations})
    if changed:
        scripts = f"{len(changed)} file(s) implemented by {', '.join(implementers)}"
    elif implementers:
        scripts = f"existing code used as is (checked by {', '.join(implementers)})"
    else:
        scripts = "no implementation recorded yet"
    launched = [r for r in state.runs.values() if r.attempts]
    slots = {slot for r in launched for a in r.attempts for slot in a.slots}
    gpus = {s for s in slots if s.gpu is not None}
    backends = sorted({a.backend for r in launched for a in r.attempts})
    where = (f"{len(gpus)} GPU(s)" if gpus else f"{len(slots)} CPU slot(s)") + (
        f" via {', '.join(backends)}" if backends else ""
    )
    lines = [
        f"bridge: {state.plan.title} — stage {state.stage.value}",
        f"Scripts: {scripts}.",
        f"Runs: {len(launched)} of {len(state.runs)} deployed on {where}; "
        f"{state.gpu_hours_used:.2f} GPU-hours used.",
        f"Must-run completed: {outcome.must_done}/{outcome.must_total}; "
        f"nice-to-have completed: {outcome.nice_done}/{outcome.nice_total}.",
        _main_sentence(state),
        f"Ready for the review loop: {'YES' if outcome.ready else 'NO'}"
        + (f" ({'; '.join(outcome.not_ready)})" if not outcome.ready else "")
        + ".",
        f"Results: {RESULTS_PATH}, refine-logs/results.json, refine-logs/results.csv",
        f"Tracker: {TRACKER_PATH}",
        f"Manifest: {MANIFEST_PATH}",
        f"Next step: {next_step(state, outcome, 'en')}",
    ]
    return "\n".join(lines) + "\n"
