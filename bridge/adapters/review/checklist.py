"""
``ChecklistReviewer``: the local review, run when no ``[reviewer]`` is configured.

It runs the implementer's self-review checks (:mod:`bridge.adapters.implement.checks`) and, for
a rescue, reads the failure log for a Python traceback. It asks no model, so its review is
marked ``[local-only]`` and ``local_only`` is True.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from bridge.adapters.implement.checks import check_commands
from bridge.adapters.implement.prompt import format_findings
from bridge.lazy_patterns import lazy
from bridge.machine.classify import is_gpu_oom
from bridge.machine.ports import Finding, Review, ReviewRequest, Severity

__all__ = ["ChecklistReviewer", "diagnose_failure"]

_FRAME = lazy(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)', re.MULTILINE)
_EXCEPTION = lazy(r"^(?P<name>[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt))\b:?.*$")
_NO_MODULE = lazy(r"No module named '(?P<module>[^']+)'")
_OOM = lazy(r"out of memory|OutOfMemoryError", re.IGNORECASE)


def diagnose_failure(failure: str, project: Path) -> tuple[Finding, ...]:
    """
    Read a failure log for what a person would look at first, with file and line.

    Only facts found in the log become findings: the last traceback frame inside the project,
    the final exception line, a missing module, CUDA out of memory.

    Args:
        failure: the failure text (command, backend, log excerpt, signature).
        project: the project root; frames inside it are shown relative to it.

    Returns:
        BLOCKING findings grounded in the log, or one NON-BLOCKING finding saying none was found.
    """
    frames = [(m.group("file"), int(m.group("line"))) for m in _FRAME.finditer(failure)]
    root = str(project.resolve())
    inside = [(f, n) for f, n in frames if f.startswith(root) or not Path(f).is_absolute()]
    file, line = (inside or frames or [("", 0)])[-1]
    if file.startswith(root):
        file = Path(file).relative_to(root).as_posix()
    exception = ""
    for text in reversed(failure.splitlines()):
        if _EXCEPTION.match(text.strip()):
            exception = text.strip()
            break
    findings: list[Finding] = []
    if _OOM.search(failure):
        # GPU memory only where the log says a GPU's allocator ran out: a CPU run's "out of
        # memory" is the host's, which gradient checkpointing does not help.
        findings.append(
            Finding(
                severity=Severity.BLOCKING,
                message="the run ran out of GPU memory: lower the batch size of the sanity "
                "run or enable gradient accumulation/checkpointing"
                if is_gpu_oom(failure)
                else "the run ran out of memory: lower the batch size of the sanity run or "
                "the data it holds in memory, or give it a machine with more memory",
                file=file,
                line=line or None,
                check="rescue.oom",
            )
        )
    elif (missing := _NO_MODULE.search(failure)) is not None:
        findings.append(
            Finding(
                severity=Severity.BLOCKING,
                message=f"the module {missing.group('module')!r} is not installed where the run "
                "executes: add it to the environment or fix the import",
                file=file,
                line=line or None,
                check="rescue.missing_module",
            )
        )
    elif exception:
        findings.append(
            Finding(
                severity=Severity.BLOCKING,
                message=f"the run raised {exception}",
                file=file,
                line=line or None,
                check="rescue.exception",
            )
        )
    else:
        findings.append(
            Finding(
                severity=Severity.NON_BLOCKING,
                message="the local checklist found no traceback in the log; configure a "
                "[reviewer] for a diagnosis",
                check="rescue.unknown",
            )
        )
    return tuple(findings)


class ChecklistReviewer:
    """
    Review locally with the self-review checks; the review is marked ``[local-only]``.

    ``ReviewRequest`` carries no commands, so the runs' commands and the blocks' hyperparameter
    names are given when the reviewer is built.

    Args:
        commands: run id → rendered argv.
        setup_params: block id → hyperparameter names from the block's setup.
        extra_roots: further directories to resolve scripts against (``base_repo/``).
    """

    name = "checklist"

    def __init__(
        self,
        *,
        commands: Mapping[str, Sequence[str]] | None = None,
        setup_params: Mapping[str, Sequence[str]] | None = None,
        extra_roots: Sequence[Path] = (),
    ) -> None:
        self.commands = dict(commands or {})
        self.setup_params = dict(setup_params or {})
        self.extra_roots = tuple(extra_roots)

    @property
    def answers_at_once(self) -> bool:
        """
        True: the checks read the project's files here (``AnswersAtOnce``).
        """
        return True

    def review(self, request: ReviewRequest) -> Review:
        """
        Run the checks (and, for ``purpose="rescue"``, read the failure log).

        Returns:
            ``Review(reviewer="checklist", local_only=True)``, its text starting ``[local-only]``.
        """
        findings = check_commands(
            request.project, self.commands, self.setup_params, extra_roots=self.extra_roots
        )
        if request.purpose == "rescue":
            findings = diagnose_failure(request.failure, request.project) + findings
        what = "rescue diagnosis" if request.purpose == "rescue" else "code review"
        body = format_findings(findings) if findings else "No findings."
        text = (
            f"[local-only] Local checklist {what} of {len(self.commands)} run commands (no "
            f"model was asked; configure [reviewer] for a second opinion).\n\n{body}\n"
        )
        return Review(reviewer=self.name, findings=findings, text=text, local_only=True)
