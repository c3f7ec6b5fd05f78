"""
``AgentCLI``: an external coding agent (``codex exec``, ``claude -p``, ...) writes or fixes code.
"""

from __future__ import annotations

from collections.abc import Sequence

from bridge.adapters.implement.base_repo import clone_if_set
from bridge.adapters.implement.changes import changed_files, take_snapshot
from bridge.adapters.implement.checks import check_commands
from bridge.adapters.implement.command import run_agent
from bridge.adapters.implement.prompt import build_implement_prompt
from bridge.errors import ImplementError
from bridge.logs import get_logger
from bridge.machine.ports import Implementation, ImplementRequest

__all__ = ["AgentCLI"]

_log = get_logger(__name__)
_SUMMARY = 2000  # characters of the agent's output kept as the summary


class AgentCLI:
    """
    Run a coding-agent command in the project with a generated prompt, then re-check the code.

    The prompt (plan excerpt, method, commands, hyperparameters, the findings to fix and what
    the local checks report) is handed over as described in
    :mod:`bridge.adapters.implement.command`. The files the agent changed are recorded with
    their sha256 (see :mod:`bridge.adapters.implement.changes`).

    Args:
        command: the agent's argv, e.g. ``["codex", "exec", "--full-auto", "{prompt_file}"]``.
        timeout_seconds: bound on one agent run.
        base_repo: a repository URL to clone into ``<project>/base_repo/`` first, or ``None``.
        clone_timeout_seconds: bound on the clone.

    Raises:
        ImplementError: ``command`` is empty.
    """

    name = "agent"

    def __init__(
        self,
        command: Sequence[str],
        *,
        timeout_seconds: float = 3600.0,
        base_repo: str | None = None,
        clone_timeout_seconds: float = 600.0,
    ) -> None:
        if not command:
            raise ImplementError("the agent implementer needs a non-empty command")
        self.command = tuple(command)
        self.timeout_seconds = timeout_seconds
        self.base_repo = base_repo
        self.clone_timeout_seconds = clone_timeout_seconds

    @property
    def can_fix(self) -> bool:
        """
        True: the agent can change code in answer to findings.
        """
        return True

    def implement(self, request: ImplementRequest) -> Implementation:
        """
        Run the agent once, then run the checks again on the result.

        Returns:
            The changed files (path → sha256, ``""`` for a deleted file), the checks' findings
            after the agent ran, the tail of the agent's output, and the base commit.

        Raises:
            ImplementError: the clone failed, or the agent could not start, timed out or
                exited non-zero.
        """
        base_commit, extra_roots = clone_if_set(
            self.base_repo, request.project, timeout_seconds=self.clone_timeout_seconds
        )
        pending = check_commands(
            request.project, request.commands, request.setup_params, extra_roots=extra_roots
        )
        prompt = build_implement_prompt(request, pending)
        before = take_snapshot(request.project)
        _log.info("agent_started", implementer=self.name, program=self.command[0])
        output = run_agent(
            self.command,
            prompt,
            project=request.project,
            timeout_seconds=self.timeout_seconds,
            error=ImplementError,
        )
        changed = changed_files(request.project, before)
        findings = check_commands(
            request.project, request.commands, request.setup_params, extra_roots=extra_roots
        )
        _log.info("agent_finished", implementer=self.name, changed=len(changed))
        return Implementation(
            changed_files=changed,
            findings=findings,
            summary=output.reply.strip()[-_SUMMARY:],
            base_commit=base_commit,
        )
