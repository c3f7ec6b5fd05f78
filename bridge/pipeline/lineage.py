"""
Lineage between runs: ``{outputs_of:RUN}`` hands one run's recorded outputs to a dependent run.

At launch the placeholder renders as the dependency's recorded output directory, and the
dependent run's ``RunSubmitted`` records which attempt it read and a digest of the collected
copy; ``bridge verify`` recomputes that digest, so an output changed after a run read it is found.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bridge.errors import PlanError
from bridge.events import types as ev
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.stages import NOT_BRIDGES_RUN_STATES, RunState
from bridge.plan import RunSpec, outputs_of, placeholders
from bridge.plan.recorded_status import researchers_status

if TYPE_CHECKING:
    from bridge.projections.writer import Drift

__all__ = [
    "LineageError",
    "check_inputs_recorded",
    "directory_digest",
    "lineage_drift",
    "resolve_inputs",
]


class LineageError(Exception):
    """
    A dependency's outputs cannot be handed on (the message says which run and why).
    """


def directory_digest(path: Path) -> str:
    """
    sha256 over every file under ``path``: its relative path and content sha256, in path order.

    A missing directory digests as an empty one; links are not followed (a link's target text
    is hashed instead), so the digest names only what lies in the directory.
    """
    outer = hashlib.sha256()
    if not path.is_dir():
        return outer.hexdigest()
    for file in sorted(p for p in path.rglob("*") if p.is_file() or p.is_symlink()):
        relative = file.relative_to(path).as_posix()
        if file.is_symlink():
            content = hashlib.sha256(str(file.readlink()).encode()).hexdigest()
        else:
            content = hashlib.sha256(file.read_bytes()).hexdigest()
        outer.update(f"{relative}\0{content}\n".encode())
    return outer.hexdigest()


def check_inputs_recorded(state: PipelineState, specs: Sequence[RunSpec]) -> None:
    """
    Refuse, before any launch, a run bridge still has to run whose ``{outputs_of:RUN}`` names a
    run bridge will never record outputs for: one the tracker marks done before bridge, or out
    of scope. (Otherwise the dependent run would only be stopped when its turn to launch came,
    after other runs had spent their hours.)

    Raises:
        PlanError: naming both runs and what to do, at the named run's tracker row.
    """
    rows = {spec.id: spec for spec in specs}
    for run in state.runs.values():
        if run.state in NOT_BRIDGES_RUN_STATES or run.state is RunState.SUCCEEDED:
            continue
        for token in run.spec.command:
            for name in placeholders(token):
                source = outputs_of(name)
                dependency = state.runs.get(source) if source is not None else None
                if source is None or dependency is None:
                    continue
                if dependency.state not in NOT_BRIDGES_RUN_STATES:
                    continue
                said = (
                    "done before bridge"
                    if dependency.state is RunState.DONE_BEFORE
                    else "out of scope"
                )
                # The Status as the researcher wrote it: the message is English, and bridge's
                # notes on it are in the plan's language (018's "failed（图例：…）").
                own = researchers_status(dependency.found_status)
                status = f" ({own})" if own else ""
                row = rows.get(source)
                raise PlanError(
                    f"run {run.run_id}: {{{name}}} names {source}, which the tracker marks "
                    f"{said}{status}, so bridge has no recorded output directory to hand on. "
                    f"Let bridge run {source} (`bridge retry --force {source}`), or give "
                    f"{run.run_id} the directory in its command instead of {{{name}}}",
                    file=row.file if row is not None else None,
                    line=row.line if row is not None else None,
                )


def resolve_inputs(
    state: PipelineState, run: RunView, project: Path
) -> tuple[dict[str, str], tuple[ev.RunInput, ...]]:
    """
    The values of the run's ``{outputs_of:RUN}`` placeholders and the lineage to record.

    Returns:
        ``(values, inputs)``: placeholder name → the dependency's recorded output directory,
        and one ``RunInput`` per dependency read.

    Raises:
        LineageError: a named run has no succeeded attempt whose outputs bridge collected (done
            before bridge, say): there is no recorded directory to hand on.
    """
    values: dict[str, str] = {}
    inputs: list[ev.RunInput] = []
    for token in run.spec.command:
        for name in placeholders(token):
            source = outputs_of(name)
            if source is None or name in values:
                continue
            dependency = state.runs.get(source)
            attempt = dependency.current if dependency is not None else None
            if (
                dependency is None
                or dependency.state is not RunState.SUCCEEDED
                or attempt is None
                or not attempt.local_dir
            ):
                raise LineageError(
                    f"{{{name}}}: run {source} has no succeeded attempt whose outputs bridge "
                    "collected, so there is no output directory to hand on"
                )
            local = f"{attempt.local_dir}/output"
            values[name] = attempt.output_dir
            inputs.append(
                ev.RunInput(
                    run_id=source,
                    attempt_id=attempt.attempt_id,
                    path=attempt.output_dir,
                    local_dir=local,
                    digest=directory_digest(project / local),
                )
            )
    return values, tuple(inputs)


def lineage_drift(state: PipelineState, project: Path) -> list[Drift]:
    """
    Re-digest every output directory a run read through ``{outputs_of:RUN}``.

    Returns:
        ``input-changed`` for each directory whose digest is no longer the one recorded when the
        dependent attempt launched (naming both runs), each directory once.
    """
    # Imported here: the run path checks lineage before every launch and never looks for drift.
    from bridge.projections.writer import Drift

    found: list[Drift] = []
    seen: set[str] = set()
    for run in state.runs.values():
        for attempt in run.attempts:
            for item in attempt.inputs:
                if item.local_dir in seen:
                    continue
                digest = directory_digest(project / item.local_dir)
                if digest != item.digest:
                    seen.add(item.local_dir)
                    found.append(
                        Drift(
                            path=item.local_dir,
                            kind="input-changed",
                            detail=(
                                f"outputs of {item.run_id}/{item.attempt_id} changed since "
                                f"{run.run_id}/{attempt.attempt_id} read them: sha256 "
                                f"{digest[:12]} ≠ {item.digest[:12]}"
                            ),
                        )
                    )
    return found
