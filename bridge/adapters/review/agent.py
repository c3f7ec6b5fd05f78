"""
``AgentCLIReviewer``: the same review as the HTTP reviewer, through a coding-agent command.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bridge.adapters.implement.command import AgentOutput, run_agent
from bridge.adapters.review.prompt import (
    build_criterion_prompt,
    build_review_prompt,
    parse_judgment_reply,
    parse_review_reply,
)
from bridge.errors import ReviewError
from bridge.logs import get_logger
from bridge.machine.ports import CriterionJudgment, CriterionRequest, Review, ReviewRequest

__all__ = ["AgentCLIReviewer"]

_log = get_logger(__name__)


class AgentCLIReviewer:
    """
    Run a review through an agent command (``codex exec``, ``claude -p``) and parse its answer.

    The prompt (system instructions, then the request) is handed over through ``{prompt_file}``
    or stdin; the answer is read from ``{reply_file}`` when the command names it, else from
    stdout (see :mod:`bridge.adapters.implement.command`). It is parsed like the HTTP reply.

    Args:
        command: the agent's argv.
        timeout_seconds: bound on one review.

    Raises:
        ReviewError: ``command`` is empty.
    """

    name = "agent"

    def __init__(self, command: Sequence[str], *, timeout_seconds: float = 900.0) -> None:
        if not command:
            raise ReviewError("the agent reviewer needs a non-empty command")
        self.command = tuple(command)
        self.timeout_seconds = timeout_seconds

    def review(self, request: ReviewRequest) -> Review:
        """
        Run the agent in the project and parse its reply.

        Returns:
            ``Review(reviewer="agent")`` with the parsed findings and the reply text.

        Raises:
            ReviewError: the agent could not start, timed out, exited non-zero, or its reply is
                malformed.
        """
        system, user = build_review_prompt(request)
        output = self._ask(system, user, request.project)
        try:
            findings = parse_review_reply(output.reply)
        except ReviewError as err:
            raise ReviewError(f"malformed review from {self.command[0]!r}: {err}") from err
        _log.info("review_received", reviewer=self.name, findings=len(findings))
        return Review(reviewer=self.name, findings=findings, text=output.reply)

    def judge_criterion(self, request: CriterionRequest) -> CriterionJudgment:
        """
        Run the agent in the project with the criterion prompt and read its verdict.

        Raises:
            ReviewError: the agent could not start, timed out, exited non-zero, or its reply
                has no ``VERDICT:`` line.
        """
        system, user = build_criterion_prompt(request)
        output = self._ask(system, user, request.project)
        try:
            verdict, reasoning = parse_judgment_reply(output.reply)
        except ReviewError as err:
            raise ReviewError(f"malformed judgment from {self.command[0]!r}: {err}") from err
        _log.info("criterion_judged", reviewer=self.name, block=request.block, verdict=verdict)
        return CriterionJudgment(verdict=verdict, reasoning=reasoning, reviewer=self.name)

    def _ask(self, system: str, user: str, project: Path) -> AgentOutput:
        """
        Run the agent once in ``project`` with the two prompts joined.

        Raises:
            ReviewError: the agent could not start, timed out or exited non-zero.
        """
        return run_agent(
            self.command,
            f"{system}\n\n{user}",
            project=project,
            timeout_seconds=self.timeout_seconds,
            error=ReviewError,
        )
