"""
Tests for the [reviewer] table and build_reviewer.
"""

from __future__ import annotations

import pytest

from bridge.adapters.review.agent import AgentCLIReviewer
from bridge.adapters.review.checklist import ChecklistReviewer
from bridge.adapters.review.config import ReviewerConfig, build_reviewer
from bridge.adapters.review.fallback import LocalFallbackReviewer
from bridge.adapters.review.openai import OpenAIReviewer
from bridge.errors import ConfigError

OPENAI = {
    "kind": "openai",
    "base_url": "https://api.example.com/v1/",
    "model": "gpt-x",
    "api_key_env": "REVIEW_KEY",
}


class TestReviewerConfig:
    def test_openai_defaults(self):
        """An openai table gets reasoning_effort xhigh, 120 s timeout and 4 retries by default."""
        config = ReviewerConfig.from_table(OPENAI)
        assert config.base_url == "https://api.example.com/v1"
        assert (config.reasoning_effort, config.timeout_seconds, config.max_retries) == (
            "xhigh",
            120.0,
            4,
        )

    @pytest.mark.parametrize("missing", ["base_url", "model"])
    def test_openai_missing_setting_is_named(self, missing):
        """A missing openai setting is a ConfigError naming it, with file and line."""
        table = {k: v for k, v in OPENAI.items() if k != missing}
        with pytest.raises(ConfigError) as caught:
            ReviewerConfig.from_table(table, file="bridge.toml", line_of=lambda s: 7)
        error = caught.value
        assert error.setting == f"reviewer.{missing}"
        assert f"reviewer.kind = 'openai' needs reviewer.{missing}" in str(error)
        assert str(error).startswith("bridge.toml:7: ")

    def test_agent_needs_command(self):
        """kind = agent without command names reviewer.command."""
        with pytest.raises(ConfigError, match=r"needs reviewer\.command"):
            ReviewerConfig.from_table({"kind": "agent"})

    def test_command_must_be_a_list(self):
        """A command given as one string is refused (it would need a shell)."""
        with pytest.raises(ConfigError, match="list of arguments"):
            ReviewerConfig.from_table({"kind": "agent", "command": "codex exec x"})

    def test_unknown_kind_and_key(self):
        """An unknown kind or a typo'd key is refused, never defaulted."""
        with pytest.raises(ConfigError, match="is not one of"):
            ReviewerConfig.from_table({"kind": "gpt"})
        with pytest.raises(ConfigError, match=r"unknown setting reviewer\.modle"):
            ReviewerConfig.from_table({**OPENAI, "modle": "x"})

    def test_literal_key_is_refused_without_echo(self):
        """An api_key written into the file is refused and its value never quoted."""
        with pytest.raises(ConfigError) as caught:
            ReviewerConfig.from_table({**OPENAI, "api_key": "sk-LEAK"})
        assert "sk-LEAK" not in str(caught.value)
        with pytest.raises(ConfigError) as caught:
            ReviewerConfig.from_table({**OPENAI, "api_key_env": "sk-LEAK-value!"})
        assert "sk-LEAK" not in str(caught.value)

    def test_an_empty_variable_name_or_program_is_refused(self):
        """`api_key_env = ""` names no variable (it read "not the secret itself"), and a
        blank program starts nothing (it was taken) (session 38)."""
        with pytest.raises(ConfigError) as caught:
            ReviewerConfig.from_table({**OPENAI, "api_key_env": ""})
        assert str(caught.value) == (
            "reviewer.api_key_env must be the NAME of an environment variable (letters, "
            "digits, _), not empty"
        )
        with pytest.raises(ConfigError, match="non-empty list of non-empty strings"):
            ReviewerConfig.from_table({"kind": "agent", "command": [" "]})

    def test_setting_of_another_kind_is_refused(self):
        """A base_url on an agent reviewer is an error, not silently ignored."""
        with pytest.raises(ConfigError, match=r"reviewer\.base_url does not apply"):
            ReviewerConfig.from_table({"kind": "agent", "command": ["x"], "base_url": "http://h"})

    def test_bad_numbers(self):
        """Timeouts must be positive numbers and retries whole numbers."""
        with pytest.raises(ConfigError, match="timeout_seconds"):
            ReviewerConfig.from_table({**OPENAI, "timeout_seconds": 0})
        with pytest.raises(ConfigError, match="max_retries"):
            ReviewerConfig.from_table({**OPENAI, "max_retries": True})


class TestOnUnavailable:
    def test_values_and_misuse(self):
        """on_unavailable is local-only (default) or block; anything else, or on the checklist
        kind, is a ConfigError naming the setting."""
        assert ReviewerConfig.from_table(OPENAI).on_unavailable == "local-only"
        with pytest.raises(ConfigError, match="on_unavailable") as caught:
            ReviewerConfig.from_table({**OPENAI, "on_unavailable": "skip"})
        assert caught.value.setting == "reviewer.on_unavailable"
        with pytest.raises(ConfigError, match="does not apply"):
            ReviewerConfig.from_table({"kind": "checklist", "on_unavailable": "block"})


class TestBuildReviewer:
    def test_no_table_is_the_checklist(self):
        """Without [reviewer] the documented default is the local checklist."""
        assert isinstance(build_reviewer(None), ChecklistReviewer)

    def test_openai_with_key_set(self):
        """An openai table with its key variable set builds an OpenAIReviewer (wrapped so the
        local checklist stands in when it cannot be reached, the default)."""
        reviewer = build_reviewer(OPENAI, environ={"REVIEW_KEY": "k"})
        assert isinstance(reviewer, LocalFallbackReviewer)
        assert isinstance(reviewer.primary, OpenAIReviewer)
        assert isinstance(reviewer.local, ChecklistReviewer)
        assert "k" not in vars(reviewer.primary).values()
        blocking = build_reviewer(
            {**OPENAI, "on_unavailable": "block"}, environ={"REVIEW_KEY": "k"}
        )
        assert isinstance(blocking, OpenAIReviewer)

    def test_unset_key_variable_is_named(self):
        """An unset api_key_env variable is a ConfigError naming the variable."""
        with pytest.raises(ConfigError, match="REVIEW_KEY") as caught:
            build_reviewer(OPENAI, environ={})
        assert caught.value.setting == "reviewer.api_key_env"

    def test_agent_and_checklist_kinds(self):
        """kind = agent and kind = checklist build their reviewers."""
        agent = build_reviewer(
            {
                "kind": "agent",
                "command": ["codex", "exec", "{prompt_file}"],
                "on_unavailable": "block",
            }
        )
        assert isinstance(agent, AgentCLIReviewer) and agent.timeout_seconds == 900.0
        assert isinstance(build_reviewer({"kind": "checklist"}), ChecklistReviewer)
