"""
``refine-logs/EXPERIMENT_TRACKER.md``: every run, its status and notes, as the log tells it.

The table's header is machine-read by the ARIS tools and by bridge's own plan loader, so it is
never translated; headings and prose follow the ``language`` setting.
"""

from __future__ import annotations

from bridge.machine.fold import PipelineState, RunView
from bridge.machine.stages import RunState
from bridge.projections.diagram import mermaid
from bridge.projections.markdown import table
from bridge.projections.text import stamp, t

__all__ = ["HEADER", "STATUS_WORDS", "render", "status_word"]

HEADER = (
    "Run ID",
    "Milestone",
    "Purpose",
    "System / Variant",
    "Split",
    "Metrics",
    "Priority",
    "Status",
    "Notes",
)

STATUS_WORDS = {
    RunState.PENDING: "TODO",
    RunState.SUBMITTED: "QUEUED",
    RunState.RUNNING: "RUNNING",
    RunState.SUCCEEDED: "DONE",
    RunState.FAILED_OOM: "OOM",
    RunState.FAILED: "FAILED",
    RunState.TIMED_OUT: "TIMEOUT",
    RunState.LOST: "LOST",
    RunState.CANCELLED: "CANCELLED",
    RunState.STUCK: "STUCK",
}


def status_word(run: RunView) -> str:
    """
    The tracker's status word for ``run`` (the vocabulary the ARIS tracker uses).
    """
    return STATUS_WORDS[run.state]


def _notes(run: RunView, language: str) -> str:
    spec = run.spec
    zh = language == "zh"
    parts: list[str] = []
    if spec.seed is not None and f"seed {spec.seed}" not in spec.notes:
        parts.append(f"种子 {spec.seed}" if zh else f"seed {spec.seed}")
    attempt = run.current
    if attempt is not None:
        where = ",".join(slot.label() for slot in attempt.slots) or attempt.backend
        parts.append(
            f"第 {attempt.number} 次尝试，{where}" if zh else f"attempt {attempt.number} on {where}"
        )
        if attempt.exit_code is not None:
            parts.append(f"退出码 {attempt.exit_code}" if zh else f"exit {attempt.exit_code}")
        if attempt.overdue:
            parts.append("超时预警 OVERDUE" if zh else "OVERDUE")
    if run.reason and run.state is not RunState.SUCCEEDED:
        parts.append(run.reason)
    if spec.notes:
        parts.append(spec.notes)
    return ("；" if zh else "; ").join(parts)


def render(state: PipelineState, language: str = "en") -> str:
    """
    Render the tracker. Pure: the same state and language give the same bytes.
    """
    title = state.plan.title if state.plan else ""
    rows = [
        (
            run.run_id,
            run.spec.milestone,
            run.spec.purpose,
            run.spec.system,
            run.spec.split,
            ", ".join(run.spec.metrics),
            "MUST" if run.spec.priority == "must" else "NICE",
            status_word(run),
            _notes(run, language),
        )
        for run in state.runs.values()
    ]
    counts: dict[str, int] = {}
    for run in state.runs.values():
        word = status_word(run)
        counts[word] = counts.get(word, 0) + 1
    summary = ", ".join(f"{word} {n}" for word, n in sorted(counts.items())) or "-"
    parts = [
        f"# {t('tracker_title', language)}" + (f": {title}" if title else ""),
        "",
        stamp(state, language),
        "",
        f"**{t('stage', language)}:** `{state.stage.value}` · **{t('runs', language)}:** "
        f"{len(state.runs)} ({summary})",
        "",
        f"## {t('pipeline', language)}",
        "",
        mermaid(state.stage),
        "",
        f"## {t('runs', language)}",
        "",
        table(HEADER, rows),
        "",
    ]
    return "\n".join(parts)
