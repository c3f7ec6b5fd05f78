"""
FINAL_PROPOSAL.md and idea files: title, problem anchor, method thesis and method text.
"""

from __future__ import annotations

import re

import attrs

from bridge.plan.text import Document, plain
from bridge.plan.vocabulary import normalise_heading
from bridge.value_methods import value_methods

__all__ = ["ProposalParts", "read_proposal_document"]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ProposalParts:
    """
    What a proposal (or idea file) contributes to the plan.

    Args:
        title: its H1.
        problem: the Problem Anchor section's first paragraph.
        thesis: the Method Thesis section's first paragraph.
        method: the method section(s) as written.
    """

    title: str
    problem: str
    thesis: str
    method: str


_PROBLEM = ("problem anchor", "问题锚点", "problem", "问题")
_THESIS = ("method thesis", "thesis", "final method thesis", "方法论点", "方法论文", "方法主张")
_METHOD = ("method", "technical", "proposed method", "方法", "approach")


def _paragraph(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip().lstrip(">").strip()
        if not stripped:
            if out:
                break
            continue
        if stripped.startswith(("#", "|", "```", "---")):
            if out:
                break
            continue
        out.append(plain(re.sub(r"^[-*]\s+", "", stripped)))
    return " ".join(out)


def read_proposal_document(doc: Document) -> ProposalParts:
    """
    Read a proposal or idea document.

    Args:
        doc: the parsed Markdown.

    Returns:
        Its parts; absent sections give empty strings.
    """
    title = next((plain(h.text) for h in doc.headings if h.level == 1), "")
    problem = thesis = method = ""
    for heading in doc.headings:
        if heading.level < 2:
            continue
        key = normalise_heading(heading.text)
        body = doc.raw(heading.index + 1, heading.end)
        if not problem and any(key.startswith(word) for word in _PROBLEM):
            problem = _paragraph(body)
        elif not thesis and any(word in key for word in _THESIS):
            thesis = _paragraph(body)
        elif not method and any(key.startswith(word) for word in _METHOD):
            method = body
    return ProposalParts(title=title, problem=problem, thesis=thesis, method=method)
