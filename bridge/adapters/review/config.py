"""
The ``[reviewer]`` table of ``bridge.toml`` and the reviewer it builds.

::

    [reviewer]
    kind = "openai"                       # "openai" | "agent" | "checklist"
    base_url = "https://api.openai.com/v1"
    model = "gpt-5"
    api_key_env = "OPENAI_API_KEY"        # the NAME of the variable; never the key
    reasoning_effort = "xhigh"            # default; "" leaves it out of the request
    timeout_seconds = 120                 # default; one HTTP request (agent: one review, 900)
    max_retries = 4                       # default
    on_unavailable = "local-only"         # default; or "block"

    [reviewer]
    kind = "agent"
    command = ["codex", "exec", "{prompt_file}"]

No ``[reviewer]`` table means the local checklist reviewer: that is the documented default, and
never what happens when a configured reviewer is incomplete (that is a ``ConfigError``). A
configured reviewer that cannot be *reached* at review time is another matter: the workflow says
to run the checklist locally and mark the review ``[local-only]``, which is what
``on_unavailable = "local-only"`` (the default) does, loudly; ``"block"`` stops the pipeline
instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import attrs

from bridge.adapters.review.checklist import ChecklistReviewer
from bridge.machine.ports import Reviewer
from bridge.plan import setting_rules as rules
from bridge.plan.setting_fields import keys_of
from bridge.plan.settings import Section, SettingsTable
from bridge.value_methods import value_methods

__all__ = ["ReviewerConfig", "build_reviewer"]

_KINDS = ("openai", "agent", "checklist")
_ON_UNAVAILABLE = ("local-only", "block")
_OPENAI_ONLY = ("base_url", "model", "api_key_env", "reasoning_effort", "max_retries")


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ReviewerConfig(Section):
    """
    The parsed ``[reviewer]`` table.

    Attributes:
        kind: ``openai``, ``agent`` or ``checklist``.
        base_url: the API root (openai).
        model: the model name (openai).
        api_key_env: the name of the variable holding the API key (openai; optional for
            endpoints without authentication).
        reasoning_effort: sent with each request (openai).
        timeout_seconds: one HTTP request (openai) or one agent review (agent).
        max_retries: retries on 429/5xx/transport errors (openai).
        command: the agent's argv (agent).
        on_unavailable: ``"local-only"`` (the local checklist answers, marked ``[local-only]``)
            or ``"block"`` (the pipeline stops) when the reviewer cannot be reached.
    """

    kind: str = "checklist"
    base_url: str = ""
    model: str = ""
    api_key_env: str | None = None
    reasoning_effort: str = "xhigh"
    timeout_seconds: float = 120.0
    max_retries: int = 4
    command: tuple[str, ...] = ()
    on_unavailable: str = "local-only"

    SECTION = "reviewer"

    @classmethod
    def read(cls, reader: SettingsTable) -> ReviewerConfig:
        """
        Read ``[reviewer]`` key by key: what it needs depends on ``kind``.

        Raises:
            ConfigError: a missing ``kind``, an unknown key, a bad value, a setting the kind
                needs that is missing (``reviewer.kind = 'openai' needs reviewer.base_url``), a
                setting the kind does not take, or a key written into the file (``api_key``).
        """
        table = reader.table
        if "api_key" in table:
            reader.fail(
                "api_key",
                "reviewer.api_key is not allowed: keep the key in an environment variable "
                "and name that variable in reviewer.api_key_env",
            )
        reader.reject_unknown(keys_of(cls))
        if "kind" not in table:
            reader.fail("kind", "reviewer.kind is missing; one of: " + ", ".join(_KINDS))
        kind = reader.value("kind", rules.one_of(*_KINDS), "checklist")
        reasoning = table.get("reasoning_effort", "xhigh")
        if not isinstance(reasoning, str):
            reader.fail("reasoning_effort", "reviewer.reasoning_effort must be a string")
        config = cls(
            kind=kind,
            base_url=reader.value("base_url", rules.text, "").rstrip("/"),
            model=reader.value("model", rules.text, ""),
            api_key_env=reader.value("api_key_env", rules.env_name, None),
            reasoning_effort=reasoning.strip(),
            timeout_seconds=reader.value(
                "timeout_seconds", rules.positive, 900.0 if kind == "agent" else 120.0
            ),
            max_retries=reader.value("max_retries", rules.non_negative, 4),
            command=reader.value("command", rules.argv, ()),
            on_unavailable=reader.value(
                "on_unavailable", rules.one_of(*_ON_UNAVAILABLE), "local-only"
            ),
        )
        if kind == "openai":
            for key in ("base_url", "model"):
                if not getattr(config, key):
                    reader.fail(key, f"reviewer.kind = 'openai' needs reviewer.{key}")
            if not config.base_url.startswith(("http://", "https://")):
                reader.fail("base_url", "reviewer.base_url must start with http:// or https://")
        elif kind == "agent" and not config.command:
            reader.fail("command", "reviewer.kind = 'agent' needs reviewer.command")
        wrong = [k for k in _OPENAI_ONLY if k in table] if kind != "openai" else []
        if kind == "openai" and "command" in table:
            wrong = ["command"]
        if kind == "checklist":
            wrong += [k for k in ("timeout_seconds", "on_unavailable") if k in table]
        if wrong:
            reader.fail(
                wrong[0],
                f"reviewer.{wrong[0]} does not apply to reviewer.kind = {kind!r}",
            )
        return config


def build_reviewer(
    table: Mapping[str, object] | None,
    *,
    commands: Mapping[str, Sequence[str]] | None = None,
    setup_params: Mapping[str, Sequence[str]] | None = None,
    extra_roots: Sequence[Path] = (),
    environ: Mapping[str, str] | None = None,
    file: str | None = None,
    line_of: Callable[[str], int | None] | None = None,
) -> Reviewer:
    """
    Build the reviewer ``[reviewer]`` asks for; ``ChecklistReviewer`` when there is no table.

    Args:
        table: the ``[reviewer]`` table, or ``None`` when ``bridge.toml`` has none.
        commands: run id → rendered argv, for the checklist reviewer.
        setup_params: block id → hyperparameter names, for the checklist reviewer.
        extra_roots: further script roots (``base_repo/``), for the checklist reviewer.
        environ: the environment to check ``api_key_env`` in (default ``os.environ``).
        file: the configuration file, for messages.
        line_of: the line of a dotted setting, if known.

    Raises:
        ConfigError: the table is wrong, or the variable ``api_key_env`` names is not set.
    """
    if table is None:
        return ChecklistReviewer(
            commands=commands, setup_params=setup_params, extra_roots=extra_roots
        )
    config = ReviewerConfig.from_table(table, file=file, line_of=line_of)
    local = ChecklistReviewer(commands=commands, setup_params=setup_params, extra_roots=extra_roots)
    remote: Reviewer
    if config.kind == "openai":
        env = os.environ if environ is None else environ
        if config.api_key_env and not env.get(config.api_key_env):
            SettingsTable("reviewer", table, file=file, line_of=line_of).fail(
                "api_key_env",
                f"the environment variable {config.api_key_env} named by reviewer.api_key_env "
                "is not set",
            )
        # Here, not at the top: it loads httpx and stamina, which a project without an
        # OpenAI-compatible reviewer never needs (start-up of every `bridge run`).
        from bridge.adapters.review.openai import OpenAIReviewer

        remote = OpenAIReviewer(
            base_url=config.base_url,
            model=config.model,
            api_key_env=config.api_key_env,
            reasoning_effort=config.reasoning_effort,
            timeout_seconds=config.timeout_seconds,
            max_retries=config.max_retries,
            environ=environ,
        )
    elif config.kind == "agent":
        # Here, not at the top, like the fallback below: the agent's prompt and reply parser
        # compile a dozen long patterns that the default checklist reviewer never uses.
        from bridge.adapters.review.agent import AgentCLIReviewer

        remote = AgentCLIReviewer(config.command, timeout_seconds=config.timeout_seconds)
    else:
        return local
    if config.on_unavailable == "local-only":
        from bridge.adapters.review.fallback import LocalFallbackReviewer

        return LocalFallbackReviewer(remote, local)
    return remote
