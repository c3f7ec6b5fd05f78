"""
Where the Slurm backend's scripts run: bash on this machine (bridge runs on the login node), or
bash on the login node over SSH with the SSH backend's connection code.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from typing import Protocol

from bridge.errors import BackendUnavailable

__all__ = ["LocalShell", "Shell"]


class Shell(Protocol):
    """
    Runs one bash script where the Slurm commands are and returns its stdout.
    """

    where: str

    def run(
        self, script: str, *, timeout: float = 60.0, env: Mapping[str, str] | None = None
    ) -> str:
        """
        Run ``script`` with bash and return its stdout (scripts report in their output; a
        non-zero exit is not an error). ``env`` adds variables to the script's environment
        (``sbatch`` hands its environment to the job).

        Raises:
            BackendUnavailable: the place cannot be reached, or the script did not end in time.
        """
        ...

    def close(self) -> None:
        """
        Free connections. Idempotent.
        """
        ...


class LocalShell:
    """
    Runs scripts with ``bash`` on this machine, in bridge's environment less ``withheld_env``
    (the variables bridge reads its own credentials from).
    """

    where = "this machine"

    def __init__(self, withheld_env: frozenset[str] = frozenset()) -> None:
        self.withheld_env = withheld_env

    def run(
        self, script: str, *, timeout: float = 60.0, env: Mapping[str, str] | None = None
    ) -> str:
        """
        Run ``script`` with bash here and return its stdout.

        Raises:
            BackendUnavailable: bash is missing, or the script ran past ``timeout`` seconds.
        """
        try:
            done = subprocess.run(
                ["bash", "-c", script],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                stdin=subprocess.DEVNULL,
                env={k: v for k, v in os.environ.items() if k not in self.withheld_env}
                | dict(env or {}),
            )
        except FileNotFoundError as exc:
            raise BackendUnavailable(f"cannot run bash on {self.where}: {exc}") from exc
        except subprocess.TimeoutExpired as exc:
            raise BackendUnavailable(
                f"a Slurm command on {self.where} did not answer within {timeout:g} s"
            ) from exc
        return done.stdout

    def close(self) -> None:
        """
        Nothing to free.
        """
