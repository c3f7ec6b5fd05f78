"""
``bridge gc``: the rented instances (or, on Slurm, the queued jobs) of this project that the log
does not use, listed, and destroyed or cancelled when asked.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from bridge.cli.parser import Parsed
from bridge.cli.project import EXIT_OK, new_console, open_bridge, project_root
from bridge.errors import InputError
from bridge.projections.visible import visible

if TYPE_CHECKING:
    from rich.console import Console

    from bridge.adapters.backends.slurm.backend import SlurmBackend
    from bridge.pipeline.bridge import Bridge

__all__ = ["gc"]


def gc(args: Parsed) -> int:
    """``bridge gc [--destroy]``: rented instances of this project that the log does not use."""
    from rich.table import Table

    from bridge.machine.ports import InstanceSweeper
    from bridge.machine.scheduler import LIVE

    bridge = open_bridge(args, project_root(args))
    console = new_console()
    try:
        backend = bridge.backend
        from bridge.adapters.backends.slurm.backend import SlurmBackend

        if isinstance(backend, SlurmBackend):
            return _gc_jobs(bridge, backend, args, console)
        if not isinstance(backend, InstanceSweeper):
            raise InputError(
                f"bridge gc looks for rented cloud instances; backend {backend.name!r} rents none"
            )
        live = [r.current for r in bridge.status().runs.values() if r.state in LIVE and r.current]
        orphans = backend.orphans(
            handles=[a.handle for a in live if a.handle is not None],
            attempt_ids=[a.attempt_id for a in live],
        )
        if not orphans:
            console.print("no orphaned instances: every instance of this project is in use")
            return EXIT_OK
        table = Table("instance", "status", "$/h", "hours", "$ so far", "label")
        for o in orphans:
            table.add_row(
                visible(str(o.instance_id)),
                visible(o.status),
                f"{o.dph:g}",
                f"{o.hours:.2f}",
                f"{o.dollars:.2f}",
                visible(o.label),
            )
        console.print(table)
        if not args.destroy:
            console.print("destroy them with `bridge gc --destroy`")
            return EXIT_OK
        if not args.yes:
            if not sys.stdin.isatty():
                raise InputError(
                    "bridge gc --destroy asks for confirmation: run it in a terminal, or add --yes"
                )
            from bridge.plan.overview import counted

            answer = input(f"destroy {counted(len(orphans), 'instance')}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                console.print("nothing destroyed")
                return EXIT_OK
        for o in orphans:
            backend.destroy_instance(o.instance_id)
            console.print(f"destroyed instance {o.instance_id}")
        return EXIT_OK
    finally:
        bridge.close()


def _gc_jobs(bridge: Bridge, backend: SlurmBackend, args: Parsed, console: Console) -> int:
    """
    ``bridge gc`` on Slurm: this project's queued or running jobs whose attempt is not live in
    the log; ``--cancel`` scancels them.
    """
    from rich.table import Table

    from bridge.machine.scheduler import LIVE

    runs = bridge.status().runs.values()
    live = [r.current.attempt_id for r in runs if r.state in LIVE and r.current]
    orphans = backend.orphans(live_attempt_ids=live)
    if not orphans:
        console.print("no stray jobs: every queued or running job of this project is in use")
        return EXIT_OK
    table = Table("job", "state", "attempt", "name")
    for job in orphans:
        table.add_row(
            *(visible(cell) for cell in (job.job_id, job.state, job.attempt_id, job.name))
        )
    console.print(table)
    if not args.cancel:
        console.print("cancel them with `bridge gc --cancel`")
        return EXIT_OK
    for job in orphans:
        backend.cancel_job(job.job_id)
        console.print(f"cancelled job {job.job_id}")
    return EXIT_OK
