"""
Which milestone gives the plan's main result: the one rule ``bridge plan`` (before anything
runs) and the results (after) share, so the researcher sees the choice while it can still be
changed.

The researcher's ``main_milestone`` wins; else the first non-sanity milestone whose name says
main or decisive (主实验, 主要结果, 主结果, 决定性), then whose goal says so, then whose name says
core or headline (核心: a goal's "reproduce the core baselines" says nothing); else the
non-sanity milestone running the most runs of blocks whose titles say main or decisive (a
block's "core" is often a pilot's: "Pilot Core"); else none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Literal, Protocol

import attrs

from bridge.value_methods import value_methods

__all__ = [
    "CORE_WORDS",
    "MAIN_WORDS",
    "MainChoice",
    "main_milestone",
    "main_milestone_setting",
    "milestones_listed",
]

#: The words that mark a milestone, or a block, as the main result.
MAIN_WORDS = re.compile(r"\bmain\b|\bdecisive\b|主实验|主要结果|主结果|决定性", re.IGNORECASE)
#: Words that mark a milestone's name (not its goal) as the main result, after MAIN_WORDS.
CORE_WORDS = re.compile(r"\bcore\b|\bheadline\b|核心", re.IGNORECASE)


class MilestoneLike(Protocol):
    """What the rule reads of a milestone (a plan's ``Milestone`` or a recorded one)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def goal(self) -> str: ...
    @property
    def sanity(self) -> bool: ...


class BlockLike(Protocol):
    """What the rule reads of a block."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class MainChoice:
    """
    The main milestone and why it was chosen.

    Attributes:
        id: the milestone's id.
        reason: ``set`` (``main_milestone``), ``named`` (its name or goal says so) or ``blocks``
            (it runs the most runs of the blocks whose titles say so).
        runs: for ``blocks``, how many runs of those blocks it runs (011's M1 was chosen by
            one incidental run: the number lets a reader see how thin the evidence is).
        others: for ``named``, the other milestones whose name or goal says main, decisive,
            core or headline too (005 chose "M2 Decisive: A3 first", a framing gate, over "M3
            Headline", which runs B1 "Table 1 (main, headline)"): the choice is the rule's, and
            the reader is told it had others to choose from.
    """

    id: str
    reason: Literal["set", "named", "blocks"]
    runs: int = 0
    others: tuple[str, ...] = ()


def main_milestone(
    chosen: str,
    milestones: Sequence[MilestoneLike],
    blocks: Sequence[BlockLike],
    run_blocks: Sequence[tuple[str, str | None]],
) -> MainChoice | None:
    """
    The main milestone by the module's rule, or ``None`` when nothing marks one.

    Args:
        chosen: ``[bridge] main_milestone`` (``""`` when unset; checked at load).
        milestones: the plan's milestones in plan order.
        blocks: the plan's blocks.
        run_blocks: each run's ``(milestone, block)``.
    """
    if chosen:
        return MainChoice(id=chosen, reason="set")
    candidates = [m for m in milestones if not m.sanity]
    tiers = (
        [m for m in candidates if MAIN_WORDS.search(m.name)],
        [m for m in candidates if MAIN_WORDS.search(m.goal)],
        [m for m in candidates if CORE_WORDS.search(m.name)],
    )
    named = next((tier[0] for tier in tiers if tier), None)
    if named is not None:
        said = {m.id for tier in tiers for m in tier} - {named.id}
        others = tuple(m.id for m in candidates if m.id in said)
        return MainChoice(id=named.id, reason="named", others=others)
    main_blocks = {b.id for b in blocks if MAIN_WORDS.search(b.title)}
    best: tuple[int, str] | None = None
    for m in milestones:
        if m.sanity:
            continue
        count = sum(
            1 for milestone, block in run_blocks if milestone == m.id and block in main_blocks
        )
        if count and (best is None or count > best[0]):
            best = (count, m.id)
    return MainChoice(id=best[1], reason="blocks", runs=best[0]) if best else None


def main_milestone_setting(milestones: Sequence[MilestoneLike]) -> str:
    """
    The ``main_milestone`` setting that names a milestone of this plan, for advice to show:
    the one non-sanity milestone's id as TOML writes a string, else ``main_milestone = "…"``,
    shown beside the list of the plan's milestones (:func:`milestones_listed`). 034's
    milestones have no M-ids (``Pilot positive``, ``Ablations complete``): the advice said
    ``main_milestone = "M…"``, read as "an M-id", and ``-o main_milestone=M4`` was refused, as
    only a milestone's own id works.
    """
    candidates = [m.id for m in milestones if not m.sanity]
    # One candidate is the value; of several, any one shown would be copied as it stands (009's
    # first, "M1 Retrieval sanity", made a sanity check the main result): "…" stands for the
    # one the researcher picks from the milestones listed beside it.
    # json's string is TOML's basic string (quotes and backslashes escaped, the rest as is).
    value = json.dumps(candidates[0], ensure_ascii=False) if len(candidates) == 1 else '"…"'
    return f"main_milestone = {value}"


def milestones_listed(milestones: Sequence[MilestoneLike], *, zh: bool = False) -> str:
    """
    `` (milestones: "M1", "M2")`` (``（里程碑："M1"、"M2"）``): the values
    :func:`main_milestone_setting`'s ``"…"`` stands for, as TOML writes them; ``""`` with
    fewer than two non-sanity milestones (the setting names the one).
    """
    ids = [json.dumps(m.id, ensure_ascii=False) for m in milestones if not m.sanity]
    if len(ids) < 2:
        return ""
    return f"（里程碑：{'、'.join(ids)}）" if zh else f" (milestones: {', '.join(ids)})"
