"""
The fields of a run, declared once: :class:`RunFields` is what a run carries from the plan to
its launch. :class:`~bridge.plan.runs.RunSpec` (the run as read from the plan) and the event
:class:`~bridge.events.types.RunPlanned` (the run as recorded) both extend it, the recording
copies it field by field (:func:`run_fields`), and a replan compares the fields marked as the
run's spec (:data:`SPEC_FIELDS`). Adding a run field is one edit here, plus what it means.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any  # Any: the values of differently typed fields, copied between classes

import attrs

from bridge.plan.finite import finite
from bridge.plan.priority import Priority, as_priority
from bridge.value_methods import value_methods

__all__ = ["SANITY_CHECK", "SPEC_FIELDS", "RunFields", "launch_seed", "run_fields"]

#: How a run's attribution opens for a run outside the sanity milestone whose Purpose says it is
#: a sanity check (:mod:`bridge.plan.attribution`): its numbers are no block's, not even shared
#: by a system name (block_runs), and it is the run checked alone first in a plan without a
#: sanity milestone (:mod:`bridge.machine.sanity_probe`). Here, not in the attribution module,
#: so the scheduler reads it without loading what attribution needs (the config's readers).
SANITY_CHECK = "its Purpose says it is a sanity check"

# A field the tracker or bridge keeps about a run rather than how it runs: a replan that
# changes only these does not change the run's spec.
_BOOKKEEPING = {"bookkeeping": True}


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunFields:
    """
    What a run carries from the plan to its launch.

    Attributes:
        milestone: milestone id, ``""`` if unknown.
        block: block id, ``""`` if none.
        system: the system / variant.
        seed: the seed, None when unknown.
        priority: ``must`` or ``nice``.
        purpose: what the run is for.
        split: dataset split.
        metrics: metric names.
        command: the command template's tokens, unrendered; ``()`` when none is configured.
        params: placeholder values except ``output_dir`` and ``gpu``.
        outputs: expected output globs relative to the attempt's output directory.
        estimated_minutes: expected duration, or None.
        gpus: GPUs per run (0 = CPU).
        timeout_minutes: time limit, or None.
        env: extra environment variables.
        cwd: working directory relative to the project root.
        depends_on: run ids this run waits for.
        max_retries: retries after an ordinary failure (``[run] max_retries``).
        oom_max_attempts: attempts before an out-of-memory run is stuck.
        source: ``tracker``, ``config``, ``proposed``, ``grid`` or ``ablation-planner``.
        notes: the tracker row's Notes, as written (kept in the tracker bridge writes).
        block_system: the block's compared system this run stands for, as the plan writes it
            (``""`` when unattributed or no compared system matches the run's system).
        attribution: how the block was chosen, or why none could be (when ``block`` is ``""``).
        directory: the run's directory name when its id cannot name one (``""``: the id).
        aliases: the other names its system goes by (its ``[systems."X"]`` table's name and
            ``aliases``), by which another block that compares one of them shares the run.
    """

    milestone: str = ""
    block: str = ""
    system: str = ""
    seed: int | None = None
    priority: Priority = attrs.field(default=Priority.MUST, converter=as_priority)
    purpose: str = ""
    split: str = ""
    metrics: tuple[str, ...] = ()
    command: tuple[str, ...] = ()
    params: Mapping[str, str] = attrs.field(factory=dict)
    outputs: tuple[str, ...] = ()
    estimated_minutes: float | None = attrs.field(default=None, validator=finite)
    gpus: int = 0
    timeout_minutes: float | None = attrs.field(default=None, validator=finite)
    env: Mapping[str, str] = attrs.field(factory=dict)
    cwd: str = ""
    depends_on: tuple[str, ...] = ()
    max_retries: int = 0
    oom_max_attempts: int = 3
    source: str = attrs.field(default="", metadata=_BOOKKEEPING)
    notes: str = attrs.field(default="", metadata=_BOOKKEEPING)
    block_system: str = attrs.field(default="", metadata=_BOOKKEEPING)
    attribution: str = attrs.field(default="", metadata=_BOOKKEEPING)
    directory: str = attrs.field(default="", metadata=_BOOKKEEPING)
    aliases: tuple[str, ...] = attrs.field(default=(), metadata=_BOOKKEEPING)


#: The fields a replan may change of a run that has not started yet, in declaration order
#: (notes, status and the other bookkeeping are not the run).
SPEC_FIELDS: tuple[str, ...] = tuple(
    f.name for f in attrs.fields(RunFields) if not f.metadata.get("bookkeeping")
)


def run_fields(run: RunFields) -> dict[str, Any]:
    """
    Return ``run``'s :class:`RunFields` by name, to build another class that extends it.
    """
    return {f.name: getattr(run, f.name) for f in attrs.fields(RunFields)}


def launch_seed(run: RunFields) -> str | None:
    """
    The seed ``run`` is launched with, as its command's ``{seed}`` gets it: its own seed, else
    the ``[run] args`` default (012's R003 and R004 ran at ``[run] args``' 0 while R005 ran at
    its tracker Notes' 1103); ``None`` when it has neither.
    """
    if "seed" in run.params:
        return run.params["seed"]
    return None if run.seed is None else str(run.seed)
