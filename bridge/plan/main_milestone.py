"""
Which milestone gives the plan's main result: the one rule ``bridge plan`` (before anything
runs) and the results (after) share, so the researcher sees the choice while it can still be
changed.

The researcher's ``main_milestone`` wins; else the first non-sanity milestone whose name says
main or decisive (主实验, 主要结果, 主结果, 决定性), then whose goal says so, then whose name says
core or headline (核心: a goal's "reproduce the core baselines" says nothing); else the one
non-sanity milestone whose name and goal hold every word of the title of a block titled main or
decisive, the main words aside (011's M2 "Prove classifier > LLM judges on human test set" and
B1 "Classifier vs. LLM Judges — Main Anchor"); else the non-sanity milestone running the most
runs of blocks whose titles say main or decisive (a block's "core" is often a pilot's: "Pilot
Core"); else none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Literal, Protocol

import attrs

from bridge.lazy_patterns import lazy
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
MAIN_WORDS = lazy(r"\bmain\b|\bdecisive\b|主实验|主要结果|主结果|决定性", re.IGNORECASE)
#: Words that mark a milestone's name (not its goal) as the main result, after MAIN_WORDS.
CORE_WORDS = lazy(r"\bcore\b|\bheadline\b|核心", re.IGNORECASE)


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
        reason: ``set`` (``main_milestone``), ``named`` (its name or goal says so), ``title``
            (its name and goal name a block titled main by its title) or ``blocks`` (it runs
            the most runs of the blocks whose titles say so).
        block: for ``title``, the block its name and goal name; for ``blocks``, the blocks
            titled main its counted runs belong to (``"B3"``, ``"B1, B2"``).
        runs: for ``blocks``, how many runs of those blocks it runs (011's M1 was chosen by
            one incidental run: the number lets a reader see how thin the evidence is).
        total: for ``blocks``, how many runs it has in all (015's M3: 1 of its 3 runs is in
            a block titled main; "the most runs (1)" alone read as a miscount of its 3).
        others: for ``named``, the other milestones whose name or goal says main, decisive,
            core or headline too (005 chose "M2 Decisive: A3 first", a framing gate, over "M3
            Headline", which runs B1 "Table 1 (main, headline)"): the choice is the rule's, and
            the reader is told it had others to choose from.
    """

    id: str
    reason: Literal["set", "named", "title", "blocks"]
    runs: int = 0
    total: int = 0
    block: str = ""
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
    titled = _naming_a_main_block(candidates, blocks)
    if titled is not None:
        return MainChoice(id=titled[0], reason="title", block=titled[1])
    best: tuple[int, str] | None = None
    for m in milestones:
        if m.sanity:
            continue
        count = sum(
            1 for milestone, block in run_blocks if milestone == m.id and block in main_blocks
        )
        if count and (best is None or count > best[0]):
            best = (count, m.id)
    if best is None:
        return None
    mine = [block for milestone, block in run_blocks if milestone == best[1]]
    counted = [b.id for b in blocks if b.id in main_blocks and b.id in mine]
    return MainChoice(
        id=best[1], reason="blocks", runs=best[0], total=len(mine), block=", ".join(counted)
    )


# Words a title joins its parts with, which a milestone need not repeat.
_JOINING = frozenset(
    {"vs", "v", "versus", "against", "and", "or", "the", "a", "an", "of", "for", "with", "on"}
)
# Where a title's parts meet: "Classifier vs. LLM Judges — Main Anchor".
_TITLE_PARTS = lazy(r"\s+[—–-]\s+|[—–:：|（(）)]")


def _words(text: str) -> set[str]:
    """The words of ``text``, casefolded, a plural's ``s`` aside."""
    found = re.findall(r"[^\W_]+", text.casefold())
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in found}


def _naming_a_main_block(
    candidates: Sequence[MilestoneLike], blocks: Sequence[BlockLike]
) -> tuple[str, str] | None:
    """
    ``(milestone, block)``: the one candidate milestone whose name and goal hold every word of
    the title of a block titled main or decisive, two words at least, the title's parts that say
    main left out ("Main Anchor") and the words that join it ("vs."); ``None`` when no
    milestone, or more than one, does. A milestone's goal that repeats its main block's title
    says it gives that block's results, as 011's M2 "Prove classifier > LLM judges" does for B1
    "Classifier vs. LLM Judges — Main Anchor" (its M1 trains the classifier B1 compares).
    """
    found: dict[str, str] = {}
    for block in blocks:
        if not MAIN_WORDS.search(block.title):
            continue
        parts = [p for p in _TITLE_PARTS.split(block.title) if not MAIN_WORDS.search(p)]
        title = {w for p in parts for w in _words(p)} - _JOINING
        if len(title) < 2:
            continue
        for m in candidates:
            if title <= _words(f"{m.name} {m.goal}"):
                found.setdefault(m.id, block.id)
    return next(iter(found.items())) if len(found) == 1 else None


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
