"""
The review prompt, and the parser that turns a reviewer's reply into findings.

The reply format the reviewer is asked for (both LLM and agent reviewers)::

    VERDICT: APPROVE                      (or VERDICT: CHANGES_REQUIRED)
    BLOCKING: train.py:42 - the loss is computed on the test split
    NON-BLOCKING: eval.py - log the seed next to the metrics

and, optionally or instead, a JSON block::

    {"verdict": "changes_required",
     "findings": [{"severity": "blocking", "message": "...", "file": "train.py", "line": 42}]}

The parser is tolerant, because models write the same lists many ways: markers may be bulleted,
numbered, bold (``**BLOCKING**:``), bracketed (``[BLOCKING]``), lower case, spelled ``NON_BLOCKING``
or ``NONBLOCKING``, followed by a noun (``Blocking issues:``); a heading (``## BLOCKING issues``,
``**Non-blocking suggestions**``, ``BLOCKING:`` alone) opens a list whose bulleted, numbered or
plain lines are findings until the next heading; an indented line continues the finding above it;
``None.``, ``BLOCKING: none`` and "No blocking issues." are empty lists. The verdict may be a
``VERDICT:`` line, ``**Overall verdict:** ...``, ``Verdict - ...``, a ``## Verdict`` heading with
the word on the next line, or absent. When a JSON block with ``findings`` is present it wins. Only a
reply with no recognisable structure (no verdict, no marker, no heading) is malformed, and the error
quotes its first lines. A rejecting verdict (``CHANGES_REQUIRED``) with no blocking finding listed
becomes one BLOCKING finding, so an unexplained rejection is never read as an approval.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any  # Any: the reviewer's JSON answer

from bridge.errors import ReviewError
from bridge.events.secrets import redact
from bridge.lazy_patterns import lazy
from bridge.machine.ports import CriterionRequest, Finding, ReviewRequest, Severity

__all__ = [
    "MAX_FILE_CHARS",
    "build_criterion_prompt",
    "build_review_prompt",
    "parse_judgment_reply",
    "parse_review_reply",
]

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

_KIND = r"(?P<kind>non[-_ ]?blocking|blocking)"
# What may follow the kind word in a marker or heading: "issues", "(must fix)", "(2)".
_KIND_TAIL = (
    r"(?:\s+(?:issues?|findings?|concerns?|problems?|items?|changes?|suggestions?|comments?"
    r"|notes?|bugs?|fixes))?(?:\s*\([^)]{0,40}\))?"
)
_LIST_ITEM = lazy(r"^\s*(?:[-*+•]|\d{1,3}[.)]|\(\d{1,3}\))\s+(?P<rest>.*)$")
# "- BLOCKING: x", "**Blocking issues**: x", "[NON-BLOCKING] x", "BLOCKING:" (a heading).
_MARKER = lazy(
    rf"^\[?{_KIND}\]?{_KIND_TAIL}\s*(?:[:：]|(?<=\])|\s[-–—]\s)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# "## BLOCKING issues", "Blocking issues (must fix)", "NON-BLOCKING": the kind alone on a line.
_HEADING = lazy(rf"^{_KIND}{_KIND_TAIL}\s*[:：]?$", re.IGNORECASE)
# "No blocking issues.", "There are no non-blocking findings": an empty list, said in words.
_NO_KIND = lazy(
    rf"^(?:there\s+are\s+|i\s+found\s+|i\s+see\s+)?no\s+{_KIND}{_KIND_TAIL}\b",
    re.IGNORECASE,
)
_VERDICT_WORD = r"(?:(?:final|overall)\s+)?(?:verdict|decision|recommendation)"
_VERDICT_LINE = lazy(
    rf"^{_VERDICT_WORD}\s*(?:[:：]|\s[-–—]\s|\s+is\s+)\s*(?P<verdict>[A-Za-z_ -]+)",
    re.IGNORECASE,
)
_VERDICT_HEADING = lazy(rf"^{_VERDICT_WORD}\s*[:：]?$", re.IGNORECASE)
_OTHER_HEADING = lazy(r"^\s*(?:#{1,6}\s+\S|\*\*[^*]+\*\*\s*:?\s*$)")
_WHERE = lazy(
    r"^\[?`?(?P<file>[\w./\\-]+\.[A-Za-z0-9]+)(?::(?P<line>\d+))?`?\]?\s*(?:[-–—:]\s+|\s+-\s+|$)"
)
_NONE = lazy(r"^\(?(none|n/?a|nothing|no issues?|-|无|没有|暂无)\)?[.。]?$", re.IGNORECASE)
_JSON_BLOCK = lazy(r"```(?:json)?\s*(\{.*?\})\s*```", re.DOTALL)


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
        ``(system, user)``; secrets are redacted from ``user`` (see
        :func:`bridge.events.secrets.redact`).
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
    # The reviewer is outside: a key written in the plan, the tracker, a file or a log tail
    # (one of bridge's own credentials, or any credential-shaped value) does not go to it.
    return system, redact("\n\n".join(sections) + "\n")


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


_FIRST_LINES = 4  # lines of a malformed reply quoted in the error


def _plain(line: str) -> str:
    """
    The line without Markdown decoration: heading hashes, bold, italic stars, and underscores or
    backticks around a BLOCKING, NON-BLOCKING or VERDICT word. Underscores inside words
    (``NON_BLOCKING``, ``train_loss``) stay.
    """
    text = re.sub(r"^\s*#{1,6}\s*", "", line)
    # Bold pairs and single italic stars; a run of three or more stars (a scrubbed secret,
    # "***") is text, not decoration.
    text = re.sub(r"(?<!\*)\*\*(?!\*)|(?<![\w*])\*(?=\w)|(?<=\w)\*(?![\w*])", "", text)
    text = re.sub(
        r"__(?=\w)|(?<=\w)__|(?<![\w`])[_`](?=(?:non[-_ ]?)?blocking|verdict)"
        r"|(?<=blocking)[_`]|(?<=verdict)[_`]",
        "",
        text,
        flags=re.IGNORECASE,
    )
    return text.strip()


def _from_lines(text: str) -> tuple[str, tuple[Finding, ...], bool]:
    """
    Read the line formats: markers, sections under headings, list items, a verdict line.

    Returns:
        ``(verdict, findings, structured)``: ``structured`` is whether any BLOCKING or
        NON-BLOCKING marker, heading or "no blocking issues" sentence was seen, so that a reply
        saying only "BLOCKING: None." is an answer and not a malformed reply.
    """
    findings: list[tuple[Severity, list[str]]] = []
    verdict = ""
    structured = False
    section: Severity | None = None  # the list a heading opened
    current: list[str] | None = None  # the finding continuation lines join
    verdict_next = False  # a "## Verdict" heading: the verdict is on the next line

    def start(severity: Severity, message: str) -> None:
        nonlocal current
        current = [message]
        findings.append((severity, current))

    for line in text.splitlines():
        if not line.strip():
            current = None
            continue
        item = _LIST_ITEM.match(line)
        plain = _plain(item.group("rest") if item else line)
        if verdict_next:
            verdict_next = False
            word = re.match(r"[A-Za-z_ -]+", plain)
            if word and word.group(0).strip():
                verdict = verdict or word.group(0).strip()
                continue
        said = _VERDICT_LINE.match(plain)
        if said:
            verdict = verdict or said.group("verdict").strip()
            section = current = None
            continue
        if _VERDICT_HEADING.match(plain):
            verdict_next = True
            section = current = None
            continue
        if _NO_KIND.match(plain):
            structured = True
            section = current = None
            continue
        heading = _HEADING.match(plain)
        if heading:
            structured = True
            section = _severity(heading.group("kind"))
            current = None
            continue
        marker = _MARKER.match(plain)
        if marker:
            structured = True
            rest = marker.group("rest").strip()
            section = current = None
            if rest and not _NONE.match(rest):
                start(_severity(marker.group("kind")), rest)
            continue
        if _OTHER_HEADING.match(line):
            section = current = None
            continue
        if current is not None and line[:1].isspace() and not item:
            current.append(plain)
            continue
        if section is not None:
            # Inside a BLOCKING or NON-BLOCKING list: a list item, or a paragraph written
            # without a bullet; "None." is the empty list and a line ending in ":" an intro.
            if _NONE.match(plain) or plain.endswith((":", "：")):
                current = None
                continue
            start(section, plain)
            continue
        current = None
    result = []
    for severity, parts in findings:
        message, file, line_no = _located(" ".join(parts))
        result.append(Finding(severity=severity, message=message, file=file, line=line_no))
    return verdict, tuple(result), structured


def _first_lines(text: str) -> str:
    lines = [line.rstrip()[:160] for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return "(empty reply)"
    quoted = "\n".join(f"  > {line}" for line in lines[:_FIRST_LINES])
    more = len(lines) - _FIRST_LINES
    return "it begins:\n" + quoted + (f"\n  ({more} more lines)" if more > 0 else "")


def parse_review_reply(text: str) -> tuple[Finding, ...]:
    """
    Parse a reviewer's reply into findings (the formats are in this module's docstring).

    Args:
        text: the reply.

    Returns:
        The findings; empty when the reply approves or says its lists are empty ("None.").

    Raises:
        ReviewError: the reply has no recognisable structure (no verdict, no BLOCKING or
            NON-BLOCKING marker, heading or list); the message quotes its first lines. Also
            when a JSON finding lacks a message.
    """
    verdict, findings, structured = _from_lines(text)
    verdict = verdict.lower()
    parsed = _from_json(text)
    if parsed is not None:
        verdict = parsed[0].strip().lower() or verdict
        findings = parsed[1]
        structured = True
    if not structured and not findings and not verdict:
        raise ReviewError(
            "the reviewer's reply has no VERDICT line and no BLOCKING/NON-BLOCKING findings "
            "(no recognisable structure); " + _first_lines(text)
        )
    approving = ("approve", "pass", "ok", "lgtm", "accept", "no change", "no blocking")
    rejected = verdict and not verdict.replace("_", " ").startswith(approving)
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


_CRITERION = """\
You judge whether an experiment block met its success criterion, from the block as the plan
wrote it and the aggregated numbers the runs recorded (mean ± sample std over seeds, n, and the
runs they come from). Automatic rules could not check this criterion; the reason is given.
Judge only from the numbers shown: when they cannot decide the criterion (a needed number is
missing, a test the criterion asks for was not run), answer INCONCLUSIVE and say what is missing.

Answer in exactly this format:

VERDICT: MET | NOT_MET | INCONCLUSIVE
REASONING: <two to six sentences naming the numbers you compared>"""

_JUDGMENT = lazy(
    r"^\s*[*_`#]*\s*verdict\s*[*_`]*\s*[:：]\s*[*_`]*\s*"
    r"(?P<verdict>not[\s_-]*met|met|inconclusive|undecided|cannot\s+(?:be\s+)?(?:decided|tell))\b",
    re.IGNORECASE | re.MULTILINE,
)
_REASONING = lazy(
    r"^\s*[*_`#]*\s*reasoning\s*[*_`]*\s*[:：]\s*[*_`]*\s*", re.IGNORECASE | re.MULTILINE
)


def build_criterion_prompt(request: CriterionRequest) -> tuple[str, str]:
    """
    Build the system and user messages asking a reviewer to judge one criterion.

    Args:
        request: the block, its criterion, the numbers with provenance, and why the rules
            could not decide.

    Returns:
        ``(system, user)``.
    """
    user = "\n\n".join(
        [
            f"# Block {request.block}\n{request.plan_excerpt.strip() or '(none)'}",
            f"# Success criterion\n{request.criterion.strip()}",
            f"# Why the rules could not decide\n{request.rule_reason.strip()}",
            f"# Aggregated numbers\n{request.numbers.strip() or '(none recorded)'}",
        ]
    )
    return _CRITERION, user + "\n"


def parse_judgment_reply(text: str) -> tuple[str, str]:
    """
    Read a reviewer's verdict on a criterion.

    Args:
        text: the reply: a ``VERDICT:`` line (``MET``, ``NOT_MET``, ``NOT MET``,
            ``INCONCLUSIVE``; bold, lower case and headings tolerated) and the reasoning
            (after ``REASONING:``, else the rest of the reply).

    Returns:
        ``(verdict, reasoning)`` with the verdict as ``met``, ``not_met`` or ``inconclusive``.

    Raises:
        ReviewError: the reply has no verdict line; the message quotes its first lines.
    """
    found = _JUDGMENT.search(text)
    if found is None:
        raise ReviewError("the reviewer's judgment has no VERDICT line; " + _first_lines(text))
    word = re.sub(r"[\s_-]+", "_", found.group("verdict").strip().lower())
    verdict = {"met": "met", "not_met": "not_met"}.get(word, "inconclusive")
    reasoning_at = _REASONING.search(text)
    if reasoning_at is not None:
        reasoning = text[reasoning_at.end() :].strip()
    else:
        reasoning = (text[: found.start()] + text[found.end() :]).strip()
    return verdict, " ".join(reasoning.split()) or "(no reasoning given)"
