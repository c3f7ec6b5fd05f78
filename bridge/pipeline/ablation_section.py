"""
The approved ablation runs, written into the researcher's ``EXPERIMENT_PLAN.md`` in bridge's own
section (:mod:`bridge.plan.plan_section`), so the plan lists every run bridge was approved to run.
"""

from __future__ import annotations

from pathlib import Path

from bridge.errors import ConfigError
from bridge.events import types as ev
from bridge.logs import get_logger
from bridge.machine.fold import PipelineState
from bridge.plan import render_for_reading
from bridge.plan.plan_section import with_section

__all__ = ["section_body", "write_plan_section"]

log = get_logger("bridge.ablation_section")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _command(run: ev.RunPlanned) -> str:
    try:
        return " ".join(render_for_reading(run.command, run.params))
    except ConfigError:  # a proposal was planned only once its command rendered; show it raw
        return " ".join(run.command)


def section_body(state: PipelineState) -> str:
    """
    The section's Markdown: one table row per approved ablation run (proposals in the log that
    were planned), or ``""`` when none was approved.
    """
    planned = state.ablations
    if planned is None:
        return ""
    approved = [p for p in planned.proposals if p.run_id in state.runs]
    if not approved:
        return ""
    lines = [
        "## Approved Ablations (added by bridge)",
        "",
        f"Proposed by the ablation planner `{planned.planner}` after a positive main result and "
        "approved with `bridge approve`. bridge runs them as milestone `ABLATIONS` and tracks "
        "them in EXPERIMENT_TRACKER.md. This section is bridge's: it is rewritten from the log "
        "and left out when the plan is read.",
        "",
        "| Run | System | Block | Purpose | Command |",
        "|-----|--------|-------|---------|---------|",
    ]
    for run in approved:
        lines.append(
            f"| {_cell(run.run_id)} | {_cell(run.system)} | {_cell(run.block)} | "
            f"{_cell(run.purpose)} | `{_cell(_command(run))}` |"
        )
    return "\n".join(lines)


def write_plan_section(root: Path, plan: str | None, state: PipelineState) -> bool:
    """
    Append (or rewrite) bridge's section of the plan at ``root / plan`` from ``state``; the
    researcher's bytes stay as they are and the file keeps its mode. False when there is no
    plan file to write to (the approved runs are still in the tracker and the log).
    """
    if not plan:
        return False
    path = root / plan
    try:
        data = path.read_bytes()
        mode = path.stat().st_mode & 0o777
    except OSError as exc:
        log.warning("plan_section_not_written", plan=plan, error=str(exc))
        return False
    new = with_section(data, section_body(state))
    if new == data:
        return True
    from bridge.projections.writer import atomic_write  # only when ablations are planned

    atomic_write(path, new)
    path.chmod(mode)
    return True
