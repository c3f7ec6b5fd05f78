"""
Where the Slurm backend's scripts run: bash on this machine (bridge runs on the login node), or
bash on the login node over SSH with the SSH backend's connection code.
"""

from __future__ import annotations

import subprocess
from typing import Protocol

from bridge.errors import BackendUnavailable

__all__ = ["LocalShell", "Shell"]


class Shell(Protocol):
    """
    Runs one bash script where the Slurm commands are and returns its stdout.
    """

    where: str

    def run(self, script: str, *, timeout: float = 60.0) -> str:
        """
        Run ``script`` with bash and return its stdout (scripts report in their output; a
        non-zero exit is not an error).

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
    Runs scripts with ``bash`` on this machine.
    """

    where = "this machine"

    def run(self, script: str, *, timeout: float = 60.0) -> str:
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
