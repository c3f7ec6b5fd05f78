"""
The ``[implementer]`` table of ``bridge.toml`` and the implementer it builds.

::

    [implementer]
    kind = "agent"                        # "existing" (the default) | "agent"
    command = ["codex", "exec", "--full-auto", "{prompt_file}"]
    timeout_seconds = 3600                # agent only; bound on one agent run
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

from bridge.adapters.implement.existing import ExistingCode
from bridge.machine.ports import Implementer
from bridge.plan import setting_rules as read
from bridge.plan.setting_fields import setting
from bridge.plan.settings import Section, SettingsTable
from bridge.value_methods import value_methods

__all__ = ["ImplementerConfig", "build_implementer"]

_KINDS = ("existing", "agent")


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ImplementerConfig(Section):
    """
    The parsed ``[implementer]`` table.

    Attributes:
        kind: ``existing`` or ``agent``.
        command: the agent's argv (``agent`` only).
        timeout_seconds: bound on one agent run.
    """

    SECTION = "implementer"

    kind: str = attrs.field(default="existing", metadata=setting(read=read.one_of(*_KINDS)))
    command: tuple[str, ...] = attrs.field(default=(), metadata=setting(read=read.argv))
    timeout_seconds: float = attrs.field(default=3600.0, metadata=setting(read=read.positive))

    def checked(self, reader: SettingsTable) -> ImplementerConfig:
        """
        ``kind = "agent"`` needs ``command``; ``kind = "existing"`` takes none.
        """
        if self.kind == "agent" and not self.command:
            reader.fail("command", "implementer.kind = 'agent' needs implementer.command")
        if self.kind == "existing" and "command" in reader.table:
            reader.fail(
                "command",
                "implementer.command is set but implementer.kind is 'existing'; "
                "set kind = 'agent' to use it",
            )
        return self


def build_implementer(
    table: Mapping[str, object] | None,
    *,
    base_repo: str | None = None,
    file: str | None = None,
    line_of: Callable[[str], int | None] | None = None,
) -> Implementer:
    """
    Build the implementer ``[implementer]`` asks for; ``ExistingCode`` when there is no table.

    Args:
        table: the ``[implementer]`` table, or ``None`` when ``bridge.toml`` has none.
        base_repo: the plan's base repository URL, cloned before implementing, or ``None``.
        file: the configuration file, for messages.
        line_of: the line of a dotted setting, if known.

    Raises:
        ConfigError: the table is wrong (see :meth:`ImplementerConfig.from_table`).
    """
    config = ImplementerConfig.from_table(table or {}, file=file, line_of=line_of)
    if config.kind == "agent":
        # Here, not at the top: the agent's prompt, snapshots and runner are for this kind only.
        from bridge.adapters.implement.agent import AgentCLI

        return AgentCLI(config.command, timeout_seconds=config.timeout_seconds, base_repo=base_repo)
    return ExistingCode(base_repo=base_repo)
