"""
Reviewers: a second opinion on the code before GPU time is spent, and rescue diagnoses.

``OpenAIReviewer`` (any OpenAI-compatible chat-completions endpoint), ``AgentCLIReviewer`` (a
coding-agent command) and ``ChecklistReviewer`` (local checks, marked ``[local-only]``; the
default). ``build_reviewer`` turns the ``[reviewer]`` table into one of them.
"""

from __future__ import annotations

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
