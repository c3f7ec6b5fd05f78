"""
The review prompt, and the parser that turns a reviewer's reply into findings.

The reply format the reviewer is asked for (both LLM and agent reviewers)::

    VERDICT: APPROVE                      (or VERDICT: CHANGES_REQUIRED)
    BLOCKING: train.py:42 - the loss is computed on the test split
    NON-BLOCKING: eval.py - log the seed next to the metrics

and, optionally or instead, a JSON block::

    {"verdict": "changes_required",
     "findings": [{"severity": "blocking", "message": "...", "file": "train.py", "line": 42}]}

The parser is tolerant: markers may be bulleted, numbered, bold (``**BLOCKING**:``), lower case,
spelled ``NON_BLOCKING`` or ``NONBLOCKING``; an indented line continues the finding above it;
``BLOCKING: none`` is ignored. When a JSON block with ``findings`` is present it wins. "No
findings" must be explicit (``VERDICT: APPROVE``); a reply with neither a verdict nor a finding
is malformed. A ``CHANGES_REQUIRED`` verdict with no blocking finding listed becomes one
BLOCKING finding, so an unexplained rejection is never read as an approval.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from bridge.errors import ReviewError
from bridge.machine.ports import Finding, ReviewRequest, Severity

__all__ = ["MAX_FILE_CHARS", "build_review_prompt", "parse_review_reply"]

MAX_FILE_CHARS = 60_000  # per file; longer files are cut and marked
MAX_PROMPT_FILES_CHARS = 400_000  # all files together

_FORMAT = """\
Answer in exactly this format, one finding per line:

VERDICT: APPROVE            (when nothing must change before GPU time is spent)
VERDICT: CHANGES_REQUIRED   (when at least one finding is BLOCKING)
BLOCKING: <file>:<line> - <what is wrong and how to fix it>
NON-BLOCKING: <file>:<line> - <a suggestion that need not stop the runs>

BLOCKING is for anything that would make the results wrong or the runs fail. You may add a JSON
block {"verdict": "...", "findings": [{"severity": "blocking"|"non_blocking", "message": "...",
"file": "...", "line": 1}]} instead of the lines. Write nothing else after the findings."""

_CODE_REVIEW = """\
You are reviewing the code of a machine-learning experiment before GPU time is spent on it.
Judge:
1. Does the code implement the proposal's method as described?
2. Is every hyperparameter the plan names configurable (a command-line option)?
3. Logic bugs: wrong loss, wrong data split, train/test leakage, a metric that does not match
   the plan's metric.
4. Is evaluation computed against the dataset's ground truth, and never against another
   model's output?
5. Are seeds, result paths, logging and failure handling enough to reproduce every number?
"""

_RESCUE = """\
A sanity run of a machine-learning experiment failed the same way twice. Diagnose the failure
from the logs below. Propose only concrete fixes grounded in the logs (name the file, the line
and the change); do not propose speculative rewrites. Each fix that must be applied before the
run can succeed is BLOCKING.
"""

_MARKER = re.compile(
    r"^\s*(?:[-*+•]|\d+[.)])?\s*[*_`]*\s*"
    r"(?P<kind>non[-_ ]?blocking|blocking)\s*[*_`]*\s*[:：]\s*[*_`]*\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_VERDICT = re.compile(
    r"^\s*[*_`#]*\s*verdict\s*[*_`]*\s*[:：]\s*[*_`]*\s*(?P<verdict>[A-Za-z_ -]+)",
    re.IGNORECASE | re.MULTILINE,
)
_WHERE = re.compile(
    r"^\[?`?(?P<file>[\w./\\-]+\.[A-Za-z0-9]+)(?::(?P<line>\d+))?`?\]?\s*(?:[-–—:]\s+|\s+-\s+|$)"
)
_NONE = re.compile(r"^\(?(none|n/?a|nothing|no issues?|-)\)?\.?$", re.IGNORECASE)
_JSON_BLOCK = re.compile(r"```(?:json)?\s*(\{.*?\})\s*```", re.DOTALL)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n... [cut: {len(text) - limit} more characters]"


def build_review_prompt(request: ReviewRequest) -> tuple[str, str]:
    """
    Build the system and user messages for a review (``code_review``) or a rescue diagnosis.

    Args:
        request: what to review. Files are cut to 60,000 characters each and 400,000 in all.

    Returns:
        ``(system, user)``.
    """
    rescue = request.purpose == "rescue"
    system = (_RESCUE if rescue else _CODE_REVIEW) + "\n" + _FORMAT
    sections = [
        f"# Purpose\n{request.purpose}",
        f"# Plan excerpt\n{request.plan_excerpt.strip() or '(none)'}",
        f"# Method (from the proposal)\n{request.method.strip() or '(none)'}",
    ]
    if request.failure:
        sections.append(f"# Failure (command, backend, log excerpt, signature)\n{request.failure}")
    if request.diff:
        sections.append(f"# Diff\n```diff\n{_cut(request.diff, MAX_FILE_CHARS)}\n```")
    budget = MAX_PROMPT_FILES_CHARS
    files = []
    for path in sorted(request.files):
        text = _cut(request.files[path], min(MAX_FILE_CHARS, max(budget, 0)))
        budget -= len(text)
        files.append(f"## {path}\n```\n{text}\n```")
    sections.append("# Files\n" + ("\n\n".join(files) if files else "(none)"))
    return system, "\n\n".join(sections) + "\n"


def _severity(kind: str) -> Severity:
    return Severity.BLOCKING if kind.lower() == "blocking" else Severity.NON_BLOCKING


def _located(rest: str) -> tuple[str, str, int | None]:
    match = _WHERE.match(rest)
    if match:
        message = rest[match.end() :].strip()
        if message:
            line = match.group("line")
            return message, match.group("file"), int(line) if line else None
    return rest.strip(), "", None


def _from_json(text: str) -> tuple[str, tuple[Finding, ...]] | None:
    candidates = [m.group(1) for m in _JSON_BLOCK.finditer(text)]
    stripped = text.strip()
    if stripped.startswith("{"):
        candidates.append(stripped)
    for candidate in candidates:
        try:
            data = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(data, Mapping) and isinstance(data.get("findings"), list):
            return str(data.get("verdict", "")), tuple(_json_finding(f) for f in data["findings"])
    return None


def _json_finding(raw: Any) -> Finding:
    if not isinstance(raw, Mapping) or not str(raw.get("message", "")).strip():
        raise ReviewError(f"the reviewer's JSON finding has no message: {str(raw)[:200]}")
    severity = str(raw.get("severity", "blocking")).strip().lower().replace("-", "_")
    line = raw.get("line")
    return Finding(
        severity=Severity.NON_BLOCKING if severity.startswith("non") else Severity.BLOCKING,
        message=str(raw["message"]).strip(),
        file=str(raw.get("file") or ""),
        line=line if isinstance(line, int) and not isinstance(line, bool) and line > 0 else None,
    )


def _from_lines(text: str) -> tuple[Finding, ...]:
    findings: list[tuple[Severity, list[str]]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        marker = _MARKER.match(line)
        if marker:
            rest = marker.group("rest").strip()
            if _NONE.match(rest) or not rest:
                current = None
                continue
            current = [rest]
            findings.append((_severity(marker.group("kind")), current))
        elif current is not None and line.strip() and line[:1].isspace():
            current.append(line.strip())
        else:
            current = None
    result = []
    for severity, parts in findings:
        message, file, line_no = _located(" ".join(parts))
        result.append(Finding(severity=severity, message=message, file=file, line=line_no))
    return tuple(result)


def parse_review_reply(text: str) -> tuple[Finding, ...]:
    """
    Parse a reviewer's reply into findings (the format is in this module's docstring).

    Args:
        text: the reply.

    Returns:
        The findings; empty only when the reply says ``VERDICT: APPROVE`` and lists none.

    Raises:
        ReviewError: the reply has neither a verdict nor a finding, or a JSON finding lacks a
            message.
    """
    verdict_match = _VERDICT.search(text)
    verdict = verdict_match.group("verdict").strip().lower() if verdict_match else ""
    parsed = _from_json(text)
    if parsed is not None:
        verdict = parsed[0].strip().lower() or verdict
        findings = parsed[1]
    else:
        findings = _from_lines(text)
    if not findings and not verdict:
        raise ReviewError(
            "the reviewer's reply has no VERDICT line and no BLOCKING/NON-BLOCKING findings: "
            + (repr(text[:200]) if text.strip() else "(empty reply)")
        )
    rejected = verdict and not verdict.startswith(("approve", "pass", "ok", "lgtm"))
    if rejected and not any(f.severity is Severity.BLOCKING for f in findings):
        findings = (
            Finding(
                severity=Severity.BLOCKING,
                message=f"the reviewer's verdict is {verdict!r} but it listed no blocking "
                "finding; read the review text",
            ),
            *findings,
        )
    return findings
