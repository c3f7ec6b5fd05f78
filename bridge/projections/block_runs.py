"""
Which runs a block is judged on and what its systems are: the runs attributed to it (or shared
from other blocks, sanity runs apart), the seeds expected of each system, the reference
(baseline) and candidate (proposed) systems, and the systems a criterion involves. The rules
are stated in :mod:`bridge.projections.outcome`'s docstring.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from typing import TypeVar

from bridge.events.types import BlockInfo, MilestoneInfo
from bridge.lazy_patterns import lazy
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.stages import RunState
from bridge.plan.attribution import (
    SANITY_CHECK,
    distinguished_systems,
    run_stands_for,
    whole_names,
)
from bridge.plan.criteria import BASELINE, Compound, Criterion, Mode, Scope, Unparsed
from bridge.plan.run_fields import RunFields
from bridge.projections.failure_words import row_gone

__all__ = [
    "alias_pairs",
    "block_runs",
    "candidate_system",
    "criterion_systems",
    "expected_seeds",
    "involved_systems",
    "lent_runs",
    "milestone_blocks",
    "reference_system",
    "sanity_apart",
    "sanity_ids",
    "set_aside",
    "system_in",
    "system_of",
]

# A run as the plan reads it (RunSpec) or as the log records it (RunView).
_Run = TypeVar("_Run")

_BASELINE = lazy(r"baseline|基线|基准", re.IGNORECASE)


def set_aside(run: RunView) -> bool:
    """
    Whether bridge set ``run`` aside because its row is no longer in the plan as it ran
    (deleted, split into seeds or back into one run, no longer proposed:
    :func:`~bridge.projections.failure_words.row_gone`): its result stays in the log, but it is
    in no milestone's or block's runs, and ties no block to a milestone.
    """
    return run.state is RunState.OUT_OF_SCOPE and row_gone(run.reason)


def milestone_blocks(state: PipelineState, info: MilestoneInfo) -> tuple[str, ...]:
    """
    The blocks a milestone names plus its runs' blocks, in plan order (unknown ones last); a
    run set aside (:func:`set_aside`) brings none: 018's JPH-B2-FX-S0-s1 and -s2, placed in M4
    by a seed split later undone, made M4 "(B2)" and its main result B2's single-seed pilot.
    """
    assert state.plan is not None
    named = set(info.blocks) | {
        r.spec.block for r in state.runs_in(info.id) if r.spec.block and not set_aside(r)
    }
    ordered = [b.id for b in state.plan.blocks if b.id in named]
    return tuple(ordered + sorted(named - set(ordered)))


def sanity_ids(state: PipelineState) -> frozenset[str]:
    """The ids of the plan's sanity milestones."""
    assert state.plan is not None
    return frozenset(m.id for m in state.plan.milestones if m.sanity)


def system_of(run: RunView) -> str:
    """
    The block system a run stands for: the compared system attribution matched, else the
    run's own system as written.
    """
    return run.spec.block_system or run.spec.system


def system_in(block: BlockInfo, run: RunView, plan_names: frozenset[str] = frozenset()) -> str:
    """
    The compared system of ``block`` a run counts as there: in its own block the one it stands
    for (:func:`system_of`); shared from another block, the one of ``block``'s systems its name
    stands for, as it stands there, as the run names it (or its Purpose, whole) or by an alias
    of its ``[systems]`` table (:func:`~bridge.plan.attribution.run_stands_for`: an alias that
    is one of ``plan_names`` for that name only); the run's own name otherwise.
    """
    if run.spec.block == block.id:
        return system_of(run)
    names = (system_of(run), run.spec.system)
    for system in block.systems:
        if run_stands_for(
            names, run.spec.aliases, system, block.systems, plan_names, run.spec.purpose
        ):
            return system
    return system_of(run)


def sanity_apart(
    block_id: str,
    runs: Sequence[_Run],
    fields: Callable[[_Run], RunFields],
    sanity: frozenset[str],
) -> tuple[list[_Run], list[_Run]]:
    """
    The runs of block ``block_id`` it is judged on, and those any block may be lent (of
    ``runs``, each read through ``fields``: the plan's runs or the log's), with the runs of the
    ``sanity`` milestones apart: a block holding nothing but sanity runs (a "Pipeline sanity"
    block) is judged on them. The results (:func:`block_runs`) and ``bridge plan``'s preview of
    a criterion read a block's runs through it alike.
    """
    own = [r for r in runs if fields(r).block == block_id]
    if own and all(fields(r).milestone in sanity for r in own):
        # The sanity block itself (a "Pipeline sanity" block): its runs are what it measures.
        return own, list(runs)
    # Sanity runs check the pipeline, not the claim: they are reported under their milestone
    # and never pooled with a block's seeds.
    # Nor are runs whose Purpose says they are sanity checks, in any milestone (011's R012
    # "Sanity: overfit on 100 items" in M1, shared into B2 by an alias: B2 read met on its
    # overfit score).
    lent = [
        r
        for r in runs
        if fields(r).milestone not in sanity and not fields(r).attribution.startswith(SANITY_CHECK)
    ]
    return [r for r in own if fields(r).milestone not in sanity], lent


def block_runs(state: PipelineState, block: BlockInfo) -> tuple[list[RunView], list[str]]:
    """
    The runs ``block`` is judged on, and which of them are shared from other blocks (a system
    the block has no run of); sanity runs only for a block that holds nothing else
    (:func:`sanity_apart`).
    """
    own, runs = sanity_apart(block.id, list(state.runs.values()), _spec, sanity_ids(state))
    if not block.systems:
        return own, []
    chosen: list[RunView] = []
    shared: list[str] = []
    assert state.plan is not None
    # An alias that is a compared system of the plan names that system only (004's
    # "LSVJ-S full", B2's, is not B6's "LSVJ-S full (b.4 enabled)").
    plan_names = whole_names(s for b in state.plan.blocks for s in b.systems)
    block_ids = frozenset(b.id for b in state.plan.blocks)
    for system in block.systems:
        mine = [r for r in own if system_of(r) == system]
        if not mine:
            # Another block's runs of this system, its name written with or without the
            # block's commentary ("X" runs "X (global sparse rotation)").
            # By the system the run stands for in its own block, or as the run names it (002:
            # R006 runs "TC-CS-1S attention-only", B2's name, and stands for B1's
            # "TC-CS-1S (attention-only first)").
            mine = lent_runs(
                [
                    r
                    for r in runs
                    if r.spec.block != block.id and system_in(block, r, plan_names) == system
                ],
                lambda r: r.spec.block,
                block_ids,
            )
            shared.extend(r.run_id for r in mine)
        chosen.extend(mine)
    # The block's runs whose system is none of its compared systems still count, under their
    # own system name: dropping them would hide numbers the researcher ran for this block.
    # By run id (unique): `r not in chosen` compared whole views, runs × runs per rendering.
    taken = {r.run_id for r in chosen}
    chosen.extend(r for r in own if r.run_id not in taken)
    return chosen, shared


def lent_runs(
    candidates: Sequence[_Run], block_of: Callable[[_Run], str], block_ids: Collection[str]
) -> list[_Run]:
    """
    Of ``candidates`` (the runs of other blocks, or of none, standing for one system a block
    has no run of), those the block is lent: the runs of blocks of the plan (``block_ids``),
    never one attributed to no block beside them; only when no block has a run of the system
    are the runs of none lent (002's R006-R008, each compared in several blocks, which all
    judge on them alike). A run of no block counted beside another block's runs of its system
    decided the quickstart's B2 (trial t15: R021, "not attributed to a block", made Logistic
    regression n=4 and the gain met) while B1, which owns the system, left it out.
    """
    owned = [r for r in candidates if block_of(r) in block_ids]
    return owned or list(candidates)


def _spec(run: RunView) -> RunFields:
    return run.spec


def expected_seeds(block: BlockInfo, runs: Sequence[RunView], apart: Collection[str] = ()) -> int:
    """
    Runs expected per system: the block's stated seeds, else the number of runs most of its
    systems are planned with in this block (the larger on a tie; sanity runs are never among
    them). A system planned with fewer is judged on its own runs, said in the verdict.

    ``apart`` are runs that are not seeds of one run (their rows say different things): they
    are no system's seeds and are not counted; a block of only such runs expects one run each.
    030's C1-C4, one named system's four scenarios, made results.json say ``expected_seeds: 4``.
    """
    if block.seed_count:
        return block.seed_count
    # A run the researcher ruled out is no seed the block waits for.
    runs = [r for r in runs if r.state is not RunState.OUT_OF_SCOPE]
    if apart:
        seeds = [r for r in runs if r.run_id not in apart]
        if not seeds and any(r.spec.block == block.id for r in runs):
            return 1
        runs = seeds
    per_system: dict[str, int] = {}
    for run in runs:
        if run.spec.block == block.id:
            per_system[system_of(run)] = per_system.get(system_of(run), 0) + 1
    if not per_system:
        for run in runs:
            per_system[system_of(run)] = per_system.get(system_of(run), 0) + 1
    # Not the most runs of one system: 027's R-C4 given a fourth seed made its block "expect 4
    # seeds" of R-C2 and R-C3, planned (and written in the plan) with three.
    counts = Counter(per_system.values())
    return max(counts, key=lambda n: (counts[n], n), default=0)


def reference_system(systems: Sequence[str]) -> str | None:
    """The one system whose name says baseline, or None (none, or more than one)."""
    hits = [s for s in systems if _BASELINE.search(s)]
    return hits[0] if len(hits) == 1 else None


_PROPOSED = lazy(
    r"[(（]\s*(?:ours|proposed|our method|本文|我们的?(?:方法)?)\s*[)）]|\bproposed method\b|"
    r"—\s*proposed\b|我们的|本文方法",
    re.IGNORECASE,
)


def _named_in(system: str, method: str) -> bool:
    """
    Whether the plan's method text names ``system`` (its name without markup or commentary,
    as a whole word, any case).
    """
    name = re.sub(r"[*`_]|[(（][^)）]*[)）]", "", system).strip()
    if len(name) < 2 or not method:
        return False
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", method, re.IGNORECASE) is not None


# A system named as the whole method an ablation block takes parts from: "LSVJ-S full",
# "LSVJ-S intact (reference)", "完整模型"; "full" after the method's name, not opening the name
# (009's "`full` tool cards" is a kind of card).
_FULL = lazy(
    # "LSVJ-S full", and (trial L) "X (full)" and "Full model" beside "w/o A", "w/o B".
    # Not a word alone in a code span: 009's "BM25 over `name_desc`, `compact`, and `full`
    # tool cards" is a list of card kinds (it read "its name says full").
    r"(?<=[\w)])[\s`*]+(?:(?<!`)|(?!(?:full|intact)`))"
    r"(?:full|intact)\b(?!\s*(?:fine-?tun|attention|batch|precision|rank))"
    # "X (full)", not "Dense (full KV cache)", a baseline (trial L2).
    r"|\(\s*(?:full|intact)\s*\)"
    # The whole name "Full model" ("`full` tool cards" is a kind of input, not the full system).
    r"|^\W*(?:full|intact)(?:\s+(?:model|method|system|pipeline|version|approach))?\W*$"
    r"|完整",
    re.IGNORECASE,
)


# What follows a shared name when the longer system adds to it (014's "frozen Qwen3.5-2B B2 +
# contiguous translated control", a control built on B2): the shorter one is then the base,
# not the whole method the others take parts from ("X w/o A", "X (no A)").
_ADDS = lazy(r"\s*(?:[+＋]|plus\b|附加|外加)", re.IGNORECASE)


def candidate_system(
    systems: Sequence[str],
    reference: str | None,
    with_runs: frozenset[str] = frozenset(),
    method: str = "",
    *,
    listed: bool = True,
) -> tuple[str | None, str]:
    """
    The block's proposed system and the evidence for it: marked "(ours)", "(proposed)",
    "我们的"; else the only one the plan's method thesis names; else the system whose name
    starts every other's (``X`` of ``X (no …)``); else the only one whose name says it is the
    full method (``LSVJ-S full``, ``intact``, 完整); else, of two systems that both have runs, the
    first listed ("A vs B") when the plan ``listed`` them: systems taken from the block's runs
    come in run order, which says nothing of which is proposed (015's B5 read as not met or met
    as its two tracker rows were ordered).
    """
    others = [s for s in systems if s != reference]
    marked = [s for s in others if _PROPOSED.search(s)]
    if len(marked) == 1:
        return marked[0], "the block's proposed system (marked as ours/proposed)"
    named = [s for s in others if _named_in(s, method)]
    if len(named) == 1:
        return named[0], "the system the plan's method thesis names"
    for system in others:
        rest = [s for s in others if s != system]
        if (
            rest
            and all(s.startswith(system) for s in rest)
            and not any(_ADDS.match(s[len(system) :]) for s in rest)
        ):
            return system, "the block's full system (every other system's name starts with it)"
    full = [s for s in others if _FULL.search(s)]
    if len(full) == 1:
        # 004's B2 "LSVJ-S full" beside `no_synth_6seed` and `SEAP`: "verbatim-match ≤ 30%"
        # is its number.
        return full[0], "the block's full system (its name says full)"
    if listed and len(systems) == 2 and reference is None and set(systems) <= with_runs:
        return systems[0], "the first-listed of the block's two systems"
    return None, ""


def involved_systems(
    criterion: Criterion | Unparsed | Compound,
    systems: Sequence[str],
    reference: str | None,
    candidate: str | None,
) -> frozenset[str]:
    """
    The systems a criterion compares: only their failed runs and quality findings can make the
    verdict inconclusive. All of the block's systems when that cannot be told.
    """
    everything = frozenset(systems)
    if not isinstance(criterion, Criterion) or criterion.scope is Scope.EACH_COMPONENT:
        return everything
    subject = criterion.subject or candidate
    if subject is None:
        others = [s for s in systems if s != reference]
        subject = others[0] if len(others) == 1 else None
    if criterion.mode is Mode.ABSOLUTE:
        return frozenset({subject}) if subject else everything
    ref = reference if criterion.reference == BASELINE else criterion.reference
    return frozenset({subject, ref}) if subject and ref else everything


def criterion_systems(
    systems: Sequence[str], criterion: str, own: Sequence[str], others: Sequence[str] = ()
) -> tuple[str, ...]:
    """
    The systems a block's ``criterion`` is read with: its compared ``systems`` (or, listing
    none, ``own``, the systems its runs run), and each of ``own`` the criterion writes out
    whole (039's B2 "MART deletion suite 的 AUPRC ≥ 0.3" names R004's system, none of the
    block's). Not one it only begins: a tracker's System cell is often a description (009's
    "signal heuristic vs oracle"), and its first words read as that run took "signal
    heuristic" from the plan's "signal-score heuristic" (trial T6).

    So too each of ``others`` (the systems the plan's other blocks compare) of two words or
    more that it writes out whole: 038's B4 «… speedup over TriPharm CPU …», with runs of
    "TriPharm HIP" alone, read "TriPharm CPU" as TriPharm HIP by their one shared word, and so
    compared TriPharm HIP with itself; with B2's "TriPharm CPU" it is that system, which has no
    runs in the block, said so.
    """
    text = " ".join(criterion.casefold().split())

    def said(name: str) -> str:
        return " ".join(name.casefold().split())

    base = tuple(dict.fromkeys(systems or own))
    written = [s for s in own if systems and s and said(s) in text]
    known = [said(s) for s in (*base, *written)]

    def words(name: str) -> set[str]:
        return set(re.findall(r"[a-z][a-z0-9]{3,}", name))

    # Of another block's systems, a whole name of two words or more (not inside a longer
    # word: "oracle" or "baseline" alone is a word any criterion may use) that shares a word
    # with one of these, which would otherwise be read for it; not one that is a shorter
    # form of one of these (002's B2 writes its "current additive JORA-Diag (global sparse
    # rotation)" as B1's "current additive JORA-Diag").
    written += [
        s
        for s in others
        if len(s.split()) >= 2
        and not any(said(s) in k for k in known)
        and any(words(said(s)) & words(k) for k in known)
        and re.search(rf"(?<![\w-]){re.escape(said(s))}(?![\w-])", text)
    ]
    return tuple(dict.fromkeys([*base, *written]))


def alias_pairs(
    systems: Sequence[str], missing: Sequence[str], loose: Sequence[str]
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """
    Which of a block's runs an alias may connect to the ``missing`` systems (of ``systems``,
    the block's compared ones), the runs given by their systems (``loose``: those standing for
    none of ``systems``).

    Returns:
        (run system, missing system) for each run whose words tell exactly one of ``systems``
        apart (:func:`~bridge.plan.attribution.distinguished_systems`: 001's "shuffled input"
        of "E6: E_best(shuffled depth)") when that one is missing, each missing system once;
        and the runs whose words tell no system apart, which any other missing system may be.
        A run naming a system that has runs, or several, is in neither: advised for another
        system, the alias would judge "predicted depth" on the shuffled-depth run (trial t11).
    """
    pairs: dict[str, str] = {}
    open_: list[str] = []
    for run in dict.fromkeys(loose):
        named = distinguished_systems(run, systems)
        if not named:
            open_.append(run)
        elif len(named) == 1 and named[0] in missing and named[0] not in pairs.values():
            pairs[run] = named[0]
    return tuple(pairs.items()), tuple(open_)
