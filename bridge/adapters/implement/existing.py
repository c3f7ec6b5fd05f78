"""
``ExistingCode``: the default implementer. The code is already there; check it, change nothing.
"""

from __future__ import annotations

from bridge.adapters.implement.base_repo import clone_if_set
from bridge.adapters.implement.checks import check_commands
from bridge.logs import get_logger
from bridge.machine.ports import Implementation, ImplementRequest, Severity

__all__ = ["ExistingCode"]

_log = get_logger(__name__)


class ExistingCode:
    """
    Resolve every run's command against the existing code and run the self-review checks.

    A missing script is a BLOCKING finding naming the run and the path; see
    :mod:`bridge.adapters.implement.checks` for the checks and their ids. It cannot fix
    anything (``can_fix`` is False), so a fix pass only re-runs the checks.

    Args:
        base_repo: a repository URL to clone into ``<project>/base_repo/`` first (shallow),
            or ``None``. Scripts are resolved against the project, then against the clone.
        clone_timeout_seconds: bound on the clone.
    """

    name = "existing"

    def __init__(
        self, *, base_repo: str | None = None, clone_timeout_seconds: float = 600.0
    ) -> None:
        self.base_repo = base_repo
        self.clone_timeout_seconds = clone_timeout_seconds

    @property
    def can_fix(self) -> bool:
        """
        False: existing code is never changed by bridge.
        """
        return False

    @property
    def answers_at_once(self) -> bool:
        """
        True unless ``base_repo`` is set: the checks read the project's files here, a clone may
        take minutes (``AnswersAtOnce``).
        """
        return self.base_repo is None

    def implement(self, request: ImplementRequest) -> Implementation:
        """
        Check the existing code for every run in ``request.commands``.

        Returns:
            No changed files, the checks' findings, a one-line summary, and the base commit
            when ``base_repo`` is set.

        Raises:
            ImplementError: cloning ``base_repo`` failed (git's message included).
        """
        base_commit, extra_roots = clone_if_set(
            self.base_repo, request.project, timeout_seconds=self.clone_timeout_seconds
        )
        findings = check_commands(
            request.project, request.commands, request.setup_params, extra_roots=extra_roots
        )
        blocking = sum(1 for f in findings if f.severity is Severity.BLOCKING)
        runs, other = len(request.commands), len(findings) - blocking
        summary = (
            f"existing code checked for {runs} run{'' if runs == 1 else 's'}: "
            f"{blocking} blocking, {other} non-blocking finding{'' if other == 1 else 's'}"
        )
        _log.info("implementation_checked", implementer=self.name, findings=len(findings))
        return Implementation(
            changed_files={}, findings=findings, summary=summary, base_commit=base_commit
        )
