"""
Checks of the runs against this machine, for the local backend, before anything launches: each
command's program can be found, and runs that ask for GPUs have GPUs to run on. A mistake here
is a :class:`~bridge.errors.ConfigError` (exit 2) naming every run it concerns, not a failed
sanity milestone minutes later.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from bridge.errors import ConfigError
from bridge.plan import LoadedProject, RunSpec, run_system_table
from bridge.plan.overview import counted
from bridge.plan.setting_fields import did_you_mean

__all__ = ["check_gpus", "check_programs"]


def _ids(runs: Sequence[RunSpec]) -> str:
    ids = [r.id for r in runs]
    return ", ".join(ids[:8]) + (f", … ({len(ids)} runs)" if len(ids) > 8 else "")


def _runs(project: LoadedProject) -> list[RunSpec]:
    """
    The runs bridge may launch: not the tracker's implementation tasks, nor the rows its Status
    says were done before bridge or are out of scope (``settled_before_bridge``, the rows the
    implement stage leaves out too). Such a run is never launched, so it neither needs a program
    nor a GPU, and must not refuse the runs that do launch: 001 with ``gpus = 1`` counted its 7
    tasks I1-I7 among its 14 runs; 018's ``[systems."Harness-only contextual bandit"] gpus = 1``
    refused the whole project (exit 2) over JPH-B1-HO-S0..2, rows `passed` before bridge (trial
    t16). A row set back to TODO is a run again, and checked.
    """
    return [r for r in project.runs if not r.task and not r.settled_before_bridge]


def _path_names(path: str) -> list[str]:
    names: set[str] = set()
    for folder in path.split(os.pathsep):
        try:
            names.update(p.name for p in Path(folder or ".").iterdir())
        except OSError:
            continue
    return sorted(names)


def check_programs(project: LoadedProject) -> None:
    """
    Every run's program (the command's first word) exists, for the runs bridge may launch
    (not implementation tasks, nor rows the tracker says were done before bridge or are out of
    scope):
    on ``PATH`` (the run's own ``env`` ``PATH`` when it sets one) for a bare name, or as a file
    for a path (relative to the run's working directory). A program given by a placeholder is
    not checked.

    Raises:
        ConfigError: naming the program, the runs and the setting, with the closest names.
    """
    missing: dict[str, list[RunSpec]] = {}
    # Runs share a handful of programs: each (program, PATH) is looked up once, not once per
    # run (a 1,000-run plan made 1,000 walks of PATH).
    on_path: dict[tuple[str, str], bool] = {}
    for run in _runs(project):
        if not run.command or "{" in run.command[0]:
            continue
        program = run.command[0]
        path = run.env.get("PATH", os.environ.get("PATH", os.defpath))
        if "/" in program:
            base = project.root / run.cwd if run.cwd else project.root
            found = (base / program).exists()
        else:
            if (program, path) not in on_path:
                on_path[program, path] = shutil.which(program, path=path) is not None
            found = on_path[program, path]
        if not found:
            missing.setdefault(program, []).append(run)
    if not missing:
        return
    program, runs = next(iter(missing.items()))
    if "/" in program:
        what = f"program {program!r} does not exist (relative to the project)"
    else:
        path = runs[0].env.get("PATH", os.environ.get("PATH", os.defpath))
        hint = did_you_mean(program, _path_names(path), most=3, cutoff=0.75)
        what = f"program {program!r} is not on PATH{hint}"
    others = [p for p in missing if p != program]
    also = f" (also not found: {', '.join(repr(p) for p in others)})" if others else ""
    system = run_system_table(runs[0].system, runs[0].block_system, project.config.systems)
    setting = f"systems.{system.name}.command" if system and system.command else "run.command"
    raise ConfigError(
        f"the command of {_ids(runs)} cannot start: {what}{also}",
        setting=setting,
        file=project.config.file,
        line=project.config.line_of(setting),
    )


def check_gpus(project: LoadedProject, gpu_count: Callable[[], int]) -> None:
    """
    Runs that ask for GPUs (``gpus > 0``) have that many on this machine; the refusal names
    and counts runs bridge may launch only, never the tracker's implementation tasks nor rows
    it says were done before bridge or are out of scope.

    Args:
        gpu_count: how many GPUs the local backend can use (asked only when a run wants one).

    Raises:
        ConfigError: naming the runs, what they ask for and what the machine has.
    """
    wanting = [r for r in _runs(project) if r.gpus > 0]
    if not wanting:
        return
    have = gpu_count()
    short = [r for r in wanting if r.gpus > have]
    if not short:
        return
    most = max(r.gpus for r in short)
    machine = f"this machine has {counted(have, 'GPU')}" if have else "this machine has no GPU"
    give = "none to give" if not have else "too few to give"
    # The line that asks: the `gpus` of the runs asking most, where it is set (a [[runs]] entry,
    # their [systems] table, else [run]); 018's `[systems."…"] gpus = 1` was said at `[run]
    # gpus = 0` (trial t16).
    setting = _gpus_setting(project, next(r for r in short if r.gpus == most))
    raise ConfigError(
        f"{_ids(short)} ask{'s' if len(short) == 1 else ''} for up to {counted(most, 'GPU')} "
        f"(gpus = {most}) but the local backend "
        f"has {give}: {machine}. Set gpus = 0 for a CPU run, or choose a backend with "
        "GPUs (backend = ...)",
        setting=setting,
        file=project.config.file,
        line=project.config.line_of(setting),
    )


def _gpus_setting(project: LoadedProject, run: RunSpec) -> str:
    """
    The setting ``run``'s ``gpus`` comes from, as ``line_of`` takes it: its ``[[runs]]`` entry
    (``runs[I].gpus``), else its ``[systems."NAME"]`` table, else ``[run]`` (``run.gpus``), the
    order in which they override each other.
    """
    config = project.config
    for index, entry in enumerate(config.runs):
        if entry.id == run.id and entry.gpus is not None:
            return f"runs[{index}].gpus"
    table = run_system_table(run.system, run.block_system, config.systems)
    if table is not None and table.gpus is not None:
        return f"systems.{table.name}.gpus"
    return "run.gpus"
