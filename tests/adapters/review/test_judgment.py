"""
A reviewer judging a criterion the rules cannot check: the prompt, the reply parser, and the
OpenAI-compatible reviewer against the loopback server.
"""

from __future__ import annotations

import attrs
import pytest

from bridge.adapters.review.agent import AgentCLIReviewer
from bridge.adapters.review.openai import OpenAIReviewer
from bridge.adapters.review.prompt import build_criterion_prompt, parse_judgment_reply
from bridge.errors import ReviewError
from bridge.machine.ports import CriterionRequest
from tests.adapters.review.conftest import ScriptedOpenAI

REQUEST = CriterionRequest(
    block="B2",
    plan_excerpt="Title: Ablation\nCompared systems: full; no gate",
    criterion="the gate is worth keeping: a meaningful gain without extra cost",
    numbers="full | accuracy: 0.81 ± 0.01 (n=3; runs R4, R5, R6)",
    rule_reason="criterion not machine-checkable: a margin without a number ('meaningful')",
)


class TestParseJudgmentReply:
    @pytest.mark.parametrize(
        ("reply", "verdict", "reasoning"),
        [
            ("VERDICT: MET\nREASONING: 0.81 vs 0.74.", "met", "0.81 vs 0.74."),
            (
                "**Verdict:** NOT_MET\n\n**Reasoning:** only 0.2 points.",
                "not_met",
                "only 0.2 points.",
            ),
            ("verdict: not met\nThe gain is 0.2 points.", "not_met", "The gain is 0.2 points."),
            (
                "## Verdict: INCONCLUSIVE\nREASONING: cost not recorded",
                "inconclusive",
                "cost not recorded",
            ),
            ("Looking at it...\nVERDICT: Met", "met", "Looking at it..."),
        ],
    )
    def test_shapes(self, reply: str, verdict: str, reasoning: str) -> None:
        """The verdict line is read in the shapes models write; the reasoning follows it."""
        assert parse_judgment_reply(reply) == (verdict, reasoning)

    def test_no_verdict_is_malformed_and_quoted(self) -> None:
        """A reply without a VERDICT line is a ReviewError quoting its first lines."""
        with pytest.raises(ReviewError, match=r"(?s)no VERDICT line.*> I think it probably worked"):
            parse_judgment_reply("I think it probably worked.\nHard to say.")


class TestOpenAIJudgesCriteria:
    def test_prompt_carries_block_criterion_numbers_and_reason(self) -> None:
        """The user message holds the block, the criterion, why the rules declined, the numbers."""
        system, user = build_criterion_prompt(REQUEST)
        assert "VERDICT: MET | NOT_MET | INCONCLUSIVE" in system
        for part in (REQUEST.plan_excerpt, REQUEST.criterion, REQUEST.numbers, REQUEST.rule_reason):
            assert part in user

    def test_judgment_from_the_loopback_server(self, openai_server: ScriptedOpenAI) -> None:
        """The reviewer asks the endpoint and returns its verdict, reasoning and model."""
        openai_server.script = [("reply", "VERDICT: NOT_MET\nREASONING: 0.81 vs 0.80 is noise.")]
        reviewer = OpenAIReviewer(base_url=openai_server.base_url, model="judge-1", max_retries=0)
        judgment = reviewer.judge_criterion(REQUEST)
        assert (judgment.verdict, judgment.reasoning, judgment.model, judgment.reviewer) == (
            "not_met",
            "0.81 vs 0.80 is noise.",
            "judge-1",
            "openai",
        )
        sent = openai_server.requests[0]["body"]["messages"][1]["content"]
        assert REQUEST.numbers in sent and REQUEST.criterion in sent

    def test_malformed_judgment(self, openai_server: ScriptedOpenAI) -> None:
        """A reply with no verdict line is a ReviewError naming the endpoint."""
        openai_server.script = [("reply", "Sure! Happy to help.")]
        reviewer = OpenAIReviewer(base_url=openai_server.base_url, model="judge-1", max_retries=0)
        with pytest.raises(ReviewError, match=r"(?s)malformed judgment from .*judge-1.*Sure!"):
            reviewer.judge_criterion(REQUEST)


class TestAgentJudgesCriteria:
    def test_agent_judgment(self, write_agent, tmp_path) -> None:
        """A real executable agent gets the prompt on stdin and its verdict is read."""
        agent = write_agent(
            "judge",
            "import sys\nprompt = sys.stdin.read()\n"
            "ok = 'full | accuracy: 0.81' in prompt\n"
            "print('VERDICT: MET' if ok else 'VERDICT: INCONCLUSIVE')\n"
            "print('REASONING: read the numbers')\n",
        )
        request = attrs.evolve(REQUEST, project=tmp_path)
        judgment = AgentCLIReviewer([str(agent)]).judge_criterion(request)
        assert (judgment.verdict, judgment.reasoning, judgment.reviewer) == (
            "met",
            "read the numbers",
            "agent",
        )
