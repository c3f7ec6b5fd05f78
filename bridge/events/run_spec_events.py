"""
What a run is: planned, found done or ruled out before bridge, its spec changed, placed in a
block again, its result kept from settings or code the inputs no longer give, and the inputs
it read (each on its ``run:<RUN_ID>`` stream).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import attrs

from bridge.events.registry import event
from bridge.events.secrets import redact
from bridge.plan.run_fields import RunFields
from bridge.value_methods import value_methods

__all__ = [
    "RunFoundDone",
    "RunInput",
    "RunKeptAsRan",
    "RunPlaced",
    "RunPlanned",
    "RunResultCarried",
    "RunRuledOut",
    "RunSpecChanged",
    "RunStatusKept",
    "SpecChange",
]


@event("run.planned")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunPlanned(RunFields):
    """
    A run of the plan, with everything needed to launch it (the command template and values).
    Every field but run_id is declared once, in bridge/plan/run_fields.py, and shared with the
    run as read from the plan.

    ``block_system`` is the block's compared system the run stands for, as the plan writes it;
    ``attribution`` says how the block was chosen, or, when ``block`` is empty, why no block
    could be (bridge/plan/attribution.py). ``directory`` is the safe name of the run's
    directory when its id cannot name one (``""``: the id itself).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str


@event("run.found_done")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunFoundDone:
    """
    The researcher's tracker says this run was done before bridge (DONE, COMPLETED, passed, ✓):
    it is not launched and counts as done; ``evidence`` is the row's Notes as written, ``status``
    its Status cell. ``bridge retry --force`` runs it after all.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    status: str = ""
    evidence: str = ""
    file: str = ""
    line: int = 0


@event("run.ruled_out")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunRuledOut:
    """
    The researcher's tracker marks this run out of scope (CANCELLED, SKIPPED, MOOT, BLOCKED, NOT
    RUN — reason): it is not launched, does not count against must-run totals, and is listed
    with ``reason`` (the Status cell, and the Notes when they say more).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    status: str = ""
    reason: str = ""
    file: str = ""
    line: int = 0


@event("run.result_carried")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunResultCarried:
    """
    The result of the run ``from_run`` stands for this run, which is not launched: attempt
    ``attempt_id`` of ``from_run`` succeeded with the settings this run has (the same command,
    seed, arguments, environment and code), so running it would run that attempt again. A row
    split into seeds whose one run ran at one of them (``R002`` at 42 → ``R002-s42``), or a
    split cut back to one seed whose run ran (``R004-s7`` → ``R004``). This run succeeds with
    that attempt's outputs and metrics, and no GPU time of its own; ``reason`` says why.
    ``from_run`` may be this run itself: set aside and put back in the plan, it takes back the
    attempt it ran, with its own GPU time (a row split into seeds again: ``A3-s1``).
    ``bridge retry --force`` runs it after all.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    from_run: str
    attempt_id: str
    reason: str = ""


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class SpecChange:
    """
    One field of a run's spec that changed: its name and the old and new values as text.
    """

    field: str
    old: str = attrs.field(converter=redact)
    new: str = attrs.field(converter=redact)


@event("run.spec_changed")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunSpecChanged:
    """
    The inputs changed and a run that has not succeeded takes the new spec (``spec``) for its
    next attempt; ``changes`` lists each field old → new and ``inputs`` the digests of the inputs
    it was built from. Recorded before the attempt it applies to is launched, so the log shows
    which attempt ran with which settings. A succeeded run takes one only for a new label its
    command does not use (its system, milestone or priority), and a row done before bridge or
    out of scope only for new labels: what it ran stands, and the fold refuses one that changes
    anything else of such a run. ``reason`` opens with "relabelled, not run again" then.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    spec: RunPlanned
    changes: tuple[SpecChange, ...] = ()
    inputs: Mapping[str, str] = attrs.field(factory=dict)
    reason: str = ""


@event("run.placed")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunPlaced:
    """
    The inputs place a run differently: the block it counts in (``block``, ``""`` for none),
    the block's compared system it stands for (``block_system``), why (``attribution``) and
    the other names its system goes by (``aliases``, by which other blocks share it),
    as the plan and ``bridge.toml`` say now. In any state, a succeeded run's included: where a
    run's numbers count is not how it ran, so it needs no new attempt (a ``[[runs]] block`` or
    a ``[systems] aliases`` added after it ran). ``reason`` names the inputs that changed.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    block: str
    block_system: str = ""
    attribution: str = ""
    reason: str = ""
    aliases: tuple[str, ...] = ()


@event("run.kept_as_ran")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunKeptAsRan:
    """
    A succeeded run keeps the result it ran with while the inputs now give it other settings
    or code: ``changes`` lists each field old (as it ran) → new (``code``: ``as run`` →
    ``train.py edited``), ``code`` the sha256 of each of its code files that differ, as it ran
    them (path → digest), which a later edit is compared with, so a file restored byte for
    byte is no change. No ``changes``: the inputs give again what it ran with, and the mark
    goes. ``reason`` names the inputs that changed. A retry of the run sets the mark aside:
    its next attempt runs with the inputs as they are.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    changes: tuple[SpecChange, ...] = ()
    code: Mapping[str, str] = attrs.field(factory=dict)
    reason: str = ""


@event("run.status_kept")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunStatusKept:
    """
    The researcher's tracker set a Status that takes a run out of scope (``status``: ``NOT RUN
    — <reason>``, SKIPPED) on a run that had already succeeded under bridge: bridge keeps its
    result and writes its done status back (a run that has run is not taken out of scope), and
    records the word, so that no retry that takes runs by kind (``--changed``, ``--failed``,
    ``--milestone``) launches it again after the word was written over: only a retry that names
    it does. A retry of the run sets the word aside.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    status: str = ""


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunInput:
    """
    Lineage: a run's command read another run's outputs through ``{outputs_of:RUN}``.

    ``path`` is the directory the placeholder rendered to; ``local_dir`` the project-relative
    copy bridge collected, whose ``digest`` (sha256 over every file's relative path and sha256,
    in path order) ``bridge verify`` recomputes.
    """

    run_id: str
    attempt_id: str
    path: str
    local_dir: str
    digest: str
