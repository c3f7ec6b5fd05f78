"""
The prompt a coding agent gets to implement the plan or fix findings.
"""

from __future__ import annotations

from bridge.events.secrets import redact
from bridge.machine.ports import Finding, ImplementRequest, Severity

__all__ = ["build_implement_prompt", "format_findings"]


def format_findings(findings: tuple[Finding, ...]) -> str:
    """
    Return findings as Markdown bullets: ``- BLOCKING [file:line] (check) message``.
    """
    lines = []
    for finding in findings:
        label = "BLOCKING" if finding.severity is Severity.BLOCKING else "NON-BLOCKING"
        where = finding.file + (f":{finding.line}" if finding.file and finding.line else "")
        parts = [f"- {label}"]
        if where:
            parts.append(f"[{where}]")
        if finding.check:
            parts.append(f"({finding.check})")
        parts.append(finding.message)
        lines.append(" ".join(parts))
    return "\n".join(lines)


def build_implement_prompt(request: ImplementRequest, pending: tuple[Finding, ...]) -> str:
    """
    Build the prompt for one implementation (or fix) pass.

    Args:
        request: what to implement, with the findings to fix on a fix pass.
        pending: the findings the local checks report now (the missing pieces).

    Returns:
        Markdown text: the task, the plan excerpt, the method, the commands every run will use,
        the findings to fix, and the rules the code must follow.
    """
    fixing = bool(request.findings)
    task = (
        "Fix the code of this research project so that the findings below are resolved. "
        "Change only what the findings require."
        if fixing
        else "Implement the code of this research project so that every run below can start "
        "with exactly its command and produces the results the plan asks for."
    )
    commands = "\n".join(
        f"- {run_id}: `{' '.join(argv)}`" for run_id, argv in sorted(request.commands.items())
    )
    params = "\n".join(
        f"- {block}: {', '.join(names)}" for block, names in sorted(request.setup_params.items())
    )
    sections = [
        "# Task",
        task,
        "# Plan excerpt",
        request.plan_excerpt.strip() or "(none)",
        "# Method (from the proposal)",
        request.method.strip() or "(none)",
        "# Commands (one per run; they must work as written)",
        commands or "(none)",
        "# Hyperparameters each block must expose as command-line options",
        params or "(none)",
    ]
    if fixing:
        sections += ["# Findings to fix", format_findings(request.findings)]
    if pending:
        sections += ["# What the local checks report now", format_findings(pending)]
    sections += [
        "# Rules",
        "- Every hyperparameter above is an argparse option; the seed is a `--seed` option.\n"
        "- Metrics are written as JSON or CSV into the run's output directory.\n"
        "- Evaluation uses the dataset's ground truth, never another model's output.\n"
        "- Do not start training or download large data; only edit the code.",
    ]
    # The agent is outside: bridge's credentials and credential-shaped values do not go to it.
    return redact("\n\n".join(sections) + "\n")
