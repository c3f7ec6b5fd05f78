"""
Tests for the [implementer] table and build_implementer.
"""

from __future__ import annotations

import pytest

from bridge.adapters.implement.agent import AgentCLI
from bridge.adapters.implement.config import ImplementerConfig, build_implementer
from bridge.adapters.implement.existing import ExistingCode
from bridge.errors import ConfigError


class TestImplementerConfig:
    def test_default_is_existing(self):
        """No table, or an empty one, means ExistingCode."""
        assert isinstance(build_implementer(None), ExistingCode)
        assert ImplementerConfig.from_table({}).kind == "existing"

    def test_agent_with_command(self):
        """kind = agent with a command list builds AgentCLI with base_repo passed through."""
        built = build_implementer(
            {"kind": "agent", "command": ["claude", "-p", "{prompt_file}"], "timeout_seconds": 60},
            base_repo="file:///x",
        )
        assert isinstance(built, AgentCLI)
        assert built.command == ("claude", "-p", "{prompt_file}")
        assert (built.timeout_seconds, built.base_repo) == (60.0, "file:///x")

    def test_agent_without_command_names_it(self):
        """kind = agent without command is a ConfigError naming implementer.command."""
        with pytest.raises(ConfigError, match=r"needs implementer\.command") as caught:
            ImplementerConfig.from_table(
                {"kind": "agent"}, file="bridge.toml", line_of={"implementer.command": 4}.get
            )
        assert caught.value.setting == "implementer.command"

    def test_bad_values(self):
        """An unknown kind, a string command and unknown keys are refused."""
        with pytest.raises(ConfigError, match="is not one of"):
            ImplementerConfig.from_table({"kind": "magic"})
        with pytest.raises(ConfigError, match="list of arguments"):
            ImplementerConfig.from_table({"kind": "agent", "command": "codex exec"})
        # A blank program names nothing to start (session 38).
        with pytest.raises(ConfigError, match="non-empty list of non-empty strings"):
            ImplementerConfig.from_table({"kind": "agent", "command": [" ", "{prompt_file}"]})
        with pytest.raises(ConfigError, match="unknown setting"):
            ImplementerConfig.from_table({"kind": "existing", "cmd": ["x"]})
        with pytest.raises(ConfigError, match="set kind = 'agent'"):
            ImplementerConfig.from_table({"command": ["x"]})
