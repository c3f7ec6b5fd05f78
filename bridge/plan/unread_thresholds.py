"""
Thresholds a block writes where its criterion is not read from: tiers listed after the Success
criterion's items (033's E5 ``- Minimum meaningful result: … (net_Scissors ≥ −1 on real)``,
``- Strong result: …``), and, in a block with no Success criterion, any line that states a
threshold (033's E3 Metrics list ``JS divergence < 0.15 per object``, 038's B2 "Claim tiers"
``AP lift greater than 1 …``). Each is a warning at the first such line, quoting them: they
disappeared from `bridge plan`, ``--json`` and the results without a word. The results repeat
the warning under the block's verdict (:func:`recorded_unread` finds it in the recorded plan).

Nothing here changes what is judged: a tier is a level the researcher states for reporting,
not a condition the block must meet (judged as a clause, "Strong result" would fail a block
that met its criterion), and a threshold outside the criterion may be a gate or a target the
researcher did not mean as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bridge.lazy_patterns import lazy
from bridge.plan.model import Block
from bridge.plan.text import quoted_at_lines

__all__ = ["recorded_plan_wide", "recorded_unread", "unread_thresholds"]

# How each warning opens after the block's id, shared with `recorded_unread`, which finds them
# again among a loaded plan's recorded warnings.
_TIERS_SAID = "'s Success criterion is followed by tiers bridge shows but does not judge: "
_STATED_SAID = " writes no Success criterion, but its text states thresholds: "
# A recorded warning is "WHERE: MESSAGE" (bridge.pipeline.recording), WHERE a path and line.
_RECORDED = lazy(
    rf"(?:^|: )(?P<message>block (?P<block>\S+?)(?:{re.escape(_TIERS_SAID)}|"
    rf"{re.escape(_STATED_SAID)}).*)$",
    re.DOTALL,
)

# bridge.plan.loader's warning of a plan-wide success-criteria section, with the blocks that
# write no criterion of their own.
_PLAN_WIDE = lazy(
    r"(?:^|: )(?P<message>the section .+? is read as no block's criterion: .*\(none written "
    r"for (?P<blocks>[^)]+)\); copy the condition there)$",
    re.DOTALL,
)
# The same warning where every block writes its own criterion: the section is no block's.
_PLAN_WIDE_ALL = lazy(
    r"(?:^|: )(?P<message>the section .+? is read as no block's criterion: .*every block "
    r"writes its own: bridge judges none of these; .*)$",
    re.DOTALL,
)

# A tier of outcomes listed under the criterion: "Minimum meaningful result", "Strong result",
# "Partial success", "Stretch goal", "最低结果".
_TIER = lazy(
    r"^(?:(?:minimum(?:\s+meaningful)?|minimal|strong|strongest|partial|weak|full|stretch|ideal|"
    r"best[- ]case|acceptable)\s+(?:results?|success|pass|outcomes?|goals?|evidence)|"
    r"(?:最低|强|部分|理想)(?:结果|成功|目标))$",
    re.IGNORECASE,
)
# A comparison with a number: "< 0.15", "<= 10", ">= 0.8", "≥ −1", "greater than 1", "at least 2",
# "不低于 80%"; not an arrow ("->", "=>", "<-"). The `=` of "<=" is read before the look ahead,
# which refused it as an arrow's, and so no "<=" or ">=" was ever found.
_THRESHOLD = lazy(
    r"(?:(?<![-=<>])[<>]=?(?![-<>])|[≤≥]|\b(?:greater|more|less|fewer|higher|lower)\s+than|"
    r"\bat\s+(?:least|most)|不低于|不高于|不超过|至少|至多|大于|小于|高于|低于|超过)"
    r"\s*[-+−]?\d",
    re.IGNORECASE,
)
# A line that says what to do if something happens is a decision rule, not what the block must
# show ("If coverage < 70%, stop").
_DECISION = lazy(
    r"^(?:[-*+]|\d{1,2}[.)])?\s*(?:[*_]*[^:：*_]{1,40}[*_]*[:：]\s*)?[*_]*"
    r"(?:if|when|unless|otherwise|stop|kill|abort|如果|若|否则)\b",
    re.IGNORECASE,
)
# "Predict: …", "Expected outcome: …": bridge.plan.stated_counts warns of such a line in a block
# with no Success criterion already; said twice, the warnings crowded out others.
_PREDICTION = lazy(
    r"^(?:[-*+]\s+)?[*_]*(?:predict(?:ions?|ed)?|expected(?:\s+(?:outcome|result)s?)?|"
    r"hypothes[ie]s)[*_]*\s*[:：]",
    re.IGNORECASE,
)
_FENCE = lazy(r"^\s*(?:```|~~~)")
_SHOWN = 2  # lines quoted in a warning; the rest counted
_LONGEST = 120  # characters of a line quoted
_BEFORE = 40  # characters quoted before a long line's first threshold, to say what it limits
# A list item's number ("5. **Text evaluator bridge**: …"), which the line number replaces.
_LIST_NUMBER = lazy(r"^\d{1,3}[.)]\s+")
_BOUNDARY = lazy(r"[。；，、;,]\s*|\s+")


def _window(text: str) -> str:
    """
    ``text`` quoted in at most ``_LONGEST`` characters: whole when it fits, else a window from
    a little before its first threshold, cut ends marked "…". A cut from the line's start left
    out the threshold of 027's B0, written 150 characters in.
    """
    if len(text) <= _LONGEST:
        return text
    found = _THRESHOLD.search(text)
    start = max(0, found.start() - _BEFORE) if found else 0
    # Start at a word or a clause rather than inside one ("…门槛固定为 …", not "…型。门槛").
    boundary = _BOUNDARY.search(text, start, found.start()) if found and start else None
    start = boundary.end() if boundary else start
    lead = "…" if start else ""
    window = text[start:].lstrip() if start else text
    if len(lead) + len(window) <= _LONGEST:
        return lead + window
    return lead + window[: _LONGEST - len(lead) - 1].rstrip() + "…"


def _quoted(found: list[tuple[int, str]]) -> str:
    """
    The first lines of ``found`` quoted with their line numbers, and how many more at which
    lines: the results repeat this, and "(+1 more)" alone left 033's E3 ``yaw_obj: JS divergence
    < 0.20`` (line 122) unnamed there.
    """
    return quoted_at_lines([(line, _window(text)) for line, text in found], _SHOWN)


def _tiers(block: Block) -> list[tuple[int, str]]:
    """The tier items written right after the block's Success criterion field, with lines."""
    fields = list(block.fields)
    at = next((n for n, f in enumerate(fields) if f.key == "success"), None)
    if at is None:
        return []
    found: list[tuple[int, str]] = []
    for field in fields[at + 1 :]:
        if field.key or not _TIER.match(field.label.strip()):
            break
        found.append((field.line, " ".join(f"{field.label}: {field.value}".split())))
    return found


def _stated(block: Block) -> list[tuple[int, str]]:
    """The lines of the block's text that state a threshold, with their line numbers."""
    first = block.text_line or block.line + 1
    found: list[tuple[int, str]] = []
    fenced = False
    for index, line in enumerate(block.text.splitlines()):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        text = line.strip()
        if (
            fenced
            or text.startswith(("|", "#", ">"))
            or _DECISION.match(text)
            or _PREDICTION.match(text)
        ):
            continue
        if _THRESHOLD.search(text):
            # Bold markers go with the list mark: "- **Setup**: …" was quoted "Setup**: …".
            item = _LIST_NUMBER.sub("", text.replace("**", "").lstrip("-*+ "))
            found.append((first + index, " ".join(item.split())))
    return found


def unread_thresholds(block: Block) -> list[tuple[int, str]]:
    """
    The warnings, as ``(line, message)``, for thresholds ``block`` writes where no criterion
    is read from: the tiers listed after its Success criterion's items (shown, never judged),
    or, when it writes no Success criterion, the lines of its text that compare with a number
    (a line saying what to do if, a table row, a heading or code is none). Empty when there is
    none.
    """
    if block.success_criterion.strip():
        tiers = _tiers(block)
        if not tiers:
            return []
        return [
            (
                tiers[0][0],
                f"block {block.id}{_TIERS_SAID}{_quoted(tiers)}; only the criterion above them "
                "is judged: write a tier as a clause of the Success criterion to have it judged",
            )
        ]
    stated = _stated(block)
    if not stated:
        return []
    return [
        (
            stated[0][0],
            f"block {block.id}{_STATED_SAID}{_quoted(stated)}; the results judge nothing for "
            "the block: write the ones it must meet as its Success criterion to have them judged",
        )
    ]


def recorded_unread(warnings: Iterable[str], block_id: str) -> tuple[str, ...]:
    """
    The messages of :func:`unread_thresholds` for ``block_id`` among a loaded plan's recorded
    ``warnings`` (each ``"WHERE: MESSAGE"``), in their order, without ``WHERE``, and the
    warning of a plan-wide success-criteria section when ``block_id`` writes no criterion of its
    own; empty when there is none (and for a log recorded before these warnings were). The
    results repeat them in the block's section: a threshold warned of only at `bridge plan` was
    gone from the verdict a researcher reads.
    """
    said: list[str] = []
    for warning in warnings:
        found = _RECORDED.search(warning)
        if found is not None and found["block"] == block_id:
            said.append(found["message"])
        # The plan's own success-criteria section, read as no block's (017's "## Success
        # Criteria"): said under each block that writes no criterion of its own.
        wide = _PLAN_WIDE.search(warning)
        if wide is not None and block_id in wide["blocks"].split(", "):
            said.append(wide["message"])
    return tuple(said)


def recorded_plan_wide(warnings: Iterable[str]) -> tuple[str, ...]:
    """
    The warnings of a plan-wide success-criteria section among a loaded plan's recorded
    ``warnings`` when every block writes its own criterion, without ``WHERE``: judged by no
    block, the results say them once, above the blocks' verdicts (017's three criteria were
    in no result once its blocks had criteria of their own, trial h40C).
    """
    return tuple(
        found["message"] for w in warnings if (found := _PLAN_WIDE_ALL.search(w)) is not None
    )
