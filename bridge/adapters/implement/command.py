"""
Running a configured coding-agent command (``codex exec ...``, ``claude -p ...``) with a prompt.

Shared by :class:`~bridge.adapters.implement.agent.AgentCLI` and
:class:`~bridge.adapters.review.agent.AgentCLIReviewer`. The command is an argv list, run with no
shell, in its own process group so a timeout kills the agent and everything it started.

Placeholders, replaced literally inside any argument (other braces are left alone):

``{prompt_file}``
    the path of a file holding the prompt. Without this placeholder the prompt goes to stdin.
``{reply_file}``
    the path of an empty file the agent may write its answer to; when the command names it,
    that file (not stdout) is the reply.
``{project}``
    the project root (also the working directory).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import attrs

from bridge.errors import BridgeError

__all__ = ["AgentOutput", "run_agent"]

_TAIL = 4000  # characters of stderr quoted in an error message


@attrs.frozen(kw_only=True)
class AgentOutput:
    """
    What an agent command produced.

    Attributes:
        reply: the reply file's text when ``{reply_file}`` was used, else stdout.
        stdout: the command's standard output.
        stderr: the command's standard error.
    """

    reply: str
    stdout: str
    stderr: str


def run_agent(
    command: Sequence[str],
    prompt: str,
    *,
    project: Path,
    timeout_seconds: float,
    error: type[BridgeError],
) -> AgentOutput:
    """
    Run ``command`` in ``project`` with ``prompt`` and wait for it (bounded).

    Args:
        command: the argv, with optional placeholders.
        prompt: the prompt text.
        project: the working directory.
        timeout_seconds: wall-clock bound; the process group is killed when it passes.
        error: the exception class to raise (``ImplementError`` or ``ReviewError``).

    Returns:
        The reply, stdout and stderr.

    Raises:
        BridgeError: (of class ``error``) the command cannot start, times out or exits non-zero.
    """
    with tempfile.TemporaryDirectory(prefix="bridge-agent-") as scratch:
        prompt_file = Path(scratch) / "prompt.md"
        reply_file = Path(scratch) / "reply.md"
        prompt_file.write_text(prompt, encoding="utf-8")
        reply_file.write_text("", encoding="utf-8")
        uses_prompt_file = any("{prompt_file}" in arg for arg in command)
        uses_reply_file = any("{reply_file}" in arg for arg in command)
        argv = [
            arg.replace("{prompt_file}", str(prompt_file))
            .replace("{reply_file}", str(reply_file))
            .replace("{project}", str(project))
            for arg in command
        ]
        name = argv[0] if argv else "(empty command)"
        try:
            process = subprocess.Popen(
                argv,
                cwd=project,
                stdin=subprocess.DEVNULL if uses_prompt_file else subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",  # an agent printing other encodings is still read
                start_new_session=True,
            )
        except OSError as err:
            raise error(f"the agent command {name!r} could not start: {err}") from err
        try:
            stdout, stderr = process.communicate(
                None if uses_prompt_file else prompt, timeout=timeout_seconds
            )
        except subprocess.TimeoutExpired as err:
            _kill_group(process)
            raise error(
                f"the agent command {name!r} did not finish within {timeout_seconds:g} s"
            ) from err
        if process.returncode != 0:
            raise error(
                f"the agent command {name!r} exited with code {process.returncode}: "
                f"{stderr[-_TAIL:].strip()}"
            )
        reply = reply_file.read_text(encoding="utf-8") if uses_reply_file else stdout
        return AgentOutput(reply=reply, stdout=stdout, stderr=stderr)


def _kill_group(process: subprocess.Popen[str]) -> None:
    # The agent may have started children (a shell, a test run); they share its session.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    # Bounded: a grandchild that left the group (setsid) could hold the pipes open forever.
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.communicate(timeout=10)
