"""
Reviewers: a second opinion on the code before GPU time is spent, and rescue diagnoses.

``OpenAIReviewer`` (any OpenAI-compatible chat-completions endpoint), ``AgentCLIReviewer`` (a
coding-agent command) and ``ChecklistReviewer`` (local checks, marked ``[local-only]``; the
default). ``build_reviewer`` turns the ``[reviewer]`` table into one of them.

Names load on first use (PEP 562): building the default checklist reviewer does not load httpx
and the retry policy, which only ``OpenAIReviewer`` needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bridge.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from bridge.adapters.review.agent import AgentCLIReviewer
    from bridge.adapters.review.checklist import ChecklistReviewer
    from bridge.adapters.review.config import ReviewerConfig, build_reviewer
    from bridge.adapters.review.openai import OpenAIReviewer
    from bridge.adapters.review.prompt import build_review_prompt, parse_review_reply

__all__ = [
    "AgentCLIReviewer",
    "ChecklistReviewer",
    "OpenAIReviewer",
    "ReviewerConfig",
    "build_review_prompt",
    "build_reviewer",
    "parse_review_reply",
]

# Public name -> the module that defines it; imported on first attribute access.
_LAZY = {
    "AgentCLIReviewer": "bridge.adapters.review.agent",
    "ChecklistReviewer": "bridge.adapters.review.checklist",
    "OpenAIReviewer": "bridge.adapters.review.openai",
    "ReviewerConfig": "bridge.adapters.review.config",
    "build_review_prompt": "bridge.adapters.review.prompt",
    "build_reviewer": "bridge.adapters.review.config",
    "parse_review_reply": "bridge.adapters.review.prompt",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
