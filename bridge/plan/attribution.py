"""
Which experiment block each run belongs to, and which of the block's compared systems it runs.

Evidence is taken in a fixed order, the first that decides wins:

1. an explicit ``block =`` on the run's ``[[runs]]`` entry (or its ``[grid]`` phase), then on its
   ``[systems."X"]`` table;
2. the tracker's Block column, split into block ids (``B2/B3`` names two blocks, ``G1/B4`` names
   B4 because G1 is not a block; a cell may also name a block by its title, ``Scheduler``);
   then the one block whose own section lists the run as an item of a list or checklist
   (020's ``- [ ] R030: no-memory / instant MLP supervisor …`` under ``### B3``; a run listed
   in two blocks' sections is not placed by this), a block id opening the Purpose (``B6
   Adversarial Synthesis …``), a single block named
   in the run's Notes (unless the run's milestone has one other block: a mention is not
   membership), or a Milestone cell that names a block;
3. the run's milestone when it names exactly one block: by id, or through the labels of the
   compared systems its Runs cell lists (``E4 (DepthFiLM), E5`` names the block that lists
   ``E4: DepthFiLM r=102 …`` and ``E5: …``); but a run outside the sanity milestone whose
   Purpose begins "Sanity", "Smoke" or "Overfit" stops here, not attributed: its numbers check
   the pipeline and measure no block; nor is a run placed by its milestone's one block alone
   when its Purpose says it reviews results and its system is none of that block's compared
   systems (004's R203 "Claim-1 gate cross-review"): its verdict is on the block's table;
4. system matching: the blocks whose compared systems include the run's system, compared after
   :func:`system_key` normalisation, with ``[systems."X"] aliases`` as further names (across
   every block only after step 5: an alias names the system for the blocks that share the run,
   and must not move it out of the block its Purpose names); when none
   is named whole, a system written as alternatives (023's "PredRNN-online or matched
   recurrent assimilation") of which exactly one is a compared system, of one block; a system
   joining compared systems with " + " (011's R018 "GPT-4o-mini + Qwen-32B"), of one block,
   is that block's (of several: in none, each part's blocks said); then a
   shortened name that begins exactly one compared system of the milestone's
   blocks, word for word (never across every block);
5. the tracker's Purpose cell, when no compared system is named by the run's system: the one
   compared system whose name begins it, word for word, among the milestone's blocks (all
   blocks when the milestone names none), or of the block its milestone alone places it in
   (004's R201 "`SEAP` (12-rule expert menu, …)"); in that block, first, a system whose
   description (``**LSVJ-S (ours)** — L1+L2+L3-LSVJ-S+L4``, one system's only) the run's
   system begins with (R202 "L1+L2+L3-LSVJ-S+L4; N=5 …");
6. a system that is one block's compared system with its first words left out (021's
   "Hybrid PIS-IEK" of "piecewise hybrid PIS-IEK"), two words at least, is not placed by
   what follows: it may be that system or another ("random search" and "constrained random
   search"), and the reason names the near match;
7. when the milestone names no block and nothing above decided: the one block whose text names
   the scripts or code spans the milestone's Runs cell names (009's M2 runs
   ``analyze_representation_signals.py``, which only Block 2's setup names), else the one
   block whose compared systems the Runs cell lists (two at least, more than any other
   block's: 039's M1), else the one
   block whose title holds every word of the milestone's name or goal (``Policy readiness`` in
   "Policy Readiness Check"); then the one block whose text names the scripts the run's
   tracker Notes or Purpose name. A script more than one block names (``train.py``) says
   nothing. Last, for a milestone the plan does not define (only the tracker names it), the
   one block with its number under another letter (027's M1.5 runs are B1.5's).
   When still nothing decided, among the milestone's blocks (all when it names none): the one
   block whose title, or its head before a dash or colon, is the run's Purpose word for word
   (002's R011 "simplicity check", B4 "Simplicity Check — One-sided first is enough"; not a
   sanity check's Purpose, nor a run whose system shares no word with the block's compared
   systems); then, outside the sanity milestone: the one block whose compared
   systems write a flag or ``_`` identifier the run's system writes (005's R017
   ``--oracle-traj-v4-lambda-keep-full 50``, B7's), else whose title, else whose Metrics
   line, writes such a term of the run's Purpose or Metrics (R009's "d_mem trace", B5's
   title): see :meth:`Attributor._by_distinct_term`.
   Placing a plan's runs together (:meth:`Attributor.attribute_all`), a milestone that names
   no block counts as the one block whose compared systems its runs run, two at least, when
   none of its runs is in another block (023's M2: R020 and R022 run B2's systems, so R021
   "aligned residual update" is B2's).

Where evidence names several blocks, system matching narrows it; a run still left with several
blocks, or with none, is *not attributed*, and the reason says why. Nothing is guessed: such a
run is listed by ``bridge plan`` and in the results, never counted under a block it may not
belong to.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import attrs

from bridge.lazy_patterns import lazy
from bridge.plan.blocks import system_descriptions
from bridge.plan.config import SystemConfig
from bridge.plan.model import Block, Milestone, Plan
from bridge.plan.quantities import block_refs, normalise_block_id
from bridge.plan.run_fields import SANITY_CHECK
from bridge.plan.vocabulary import VERSUS
from bridge.value_methods import value_methods

__all__ = [
    "NO_BLOCKS",
    "REVIEW",
    "SANITY_CHECK",
    "Attribution",
    "Attributor",
    "RunFacts",
    "block_cell_ids",
    "distinguished_systems",
    "run_stands_for",
    "stands_for",
    "system_key",
    "system_table",
    "whole_names",
]

#: Why no run of a plan without experiment blocks is attributed.
NO_BLOCKS = "the plan has no experiment blocks"
#: How the reason opens for a run its milestone alone would place whose Purpose says it reviews
#: the results and whose system is none of the block's compared systems: a verdict on the
#: block's table, not a row of it.
REVIEW = "its Purpose says it reviews results"
# Words after a system's name that take a part of it away: "X w/o Y" is an ablation of X.
_TAKING_AWAY = frozenset({"w", "wo", "without", "no", "minus", "not", "except"})
_COMMENTARY = lazy(r"[(（\[【][^()（）\[\]【】]*[)）\]】]")
_MARKUP = lazy(r"[`*~]|(?<!\w)_|_(?!\w)")
# A short code labelling a list item ("E2: Standard LoRA"), not part of the system's name.
_LABEL = lazy(r"^\s*[A-Za-z]{1,3}\d{1,3}[a-z]?\s*:\s*(?=\S)")


@functools.lru_cache(maxsize=4096)  # pure; the results ask it for every run × system
def system_key(name: str, *, keep_commentary: bool = False) -> str:
    """
    A system name reduced to what identifies it, for comparing names written differently.

    Full-width characters become their ASCII forms (NFKC), Markdown marks (backticks, bold,
    strikethrough) and parenthesised commentary (``(baseline, unscaled features)``, ``（ours）``)
    are removed, and what is left is compared by its words, ignoring case, punctuation and
    spacing: ``**`Raw-Centroid`** (baseline)`` and ``raw centroid`` have the same key. A
    short code labelling a list item (``E2: Standard LoRA``) is removed too.

    Args:
        name: a system as written in a plan, tracker or bridge.toml.
        keep_commentary: keep the words in parentheses: the stricter key, used for the run's
            side of a comparison, because in ablations they are what tells systems apart
            (``Logistic regression (no feature scaling)``).

    Returns:
        The key; ``""`` when nothing identifying is left.
    """
    text = unicodedata.normalize("NFKC", name)
    text = _MARKUP.sub("", text)
    text = _LABEL.sub("", text, count=1)
    previous = None
    while not keep_commentary and previous != text:  # nested commentary: "(a (b))"
        previous = text
        text = _COMMENTARY.sub(" ", text)
    words = re.findall(r"[^\W_]+", text.casefold())
    return " ".join(_same_words(words))


# Words that say the same thing in a system's name: what is taken away ("no-Sobel", "w/o
# Sobel", "(without Sobel)": 001's R012 and its block's system). Not "full" for 完整: 039's
# R003 "MART full" is B1's MART as much as B2's "完整 MART", and left unplaced it is said so.
_SAME_WORD = {"no": "without", "wo": "without", "minus": "without"}


def _same_words(words: Sequence[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if word == "o" and out and out[-1] == "w":  # "w/o"
            out[-1] = "without"
            continue
        out.append(_SAME_WORD.get(word, word))
    return out


def _bag(key: str) -> str:
    """
    A :func:`system_key` with its words sorted, for names that say the same words in another
    order (021's `Lambda_diff` only and only `Lambda_diff`); ``""`` when a word makes the order
    matter ("A without B", "A on B") or there is a single word.
    """
    words = key.split()
    if len(words) < 2 or _ORDERED.intersection(words):
        return ""
    return " ".join(sorted(words))


# Words that make a name's word order matter: what is taken away, compared, put on or into.
_ORDERED = frozenset(
    {
        "without", "w", "o", "wo", "no", "not", "minus", "except", "vs", "versus", "over",
        "than", "to", "from", "on", "onto", "into", "in", "of", "for", "by", "with", "after",
        "before", "then", "under", "at", "per", "via", "through", "and", "or", "plus",
    }
)  # fmt: skip


def stands_for(written: str, system: str, systems: Sequence[str]) -> bool:
    """
    Whether a run whose system is ``written`` runs ``system``, one of a block's ``systems``:
    the same name, or the same words once the block's name drops its commentary (a run of
    ``current additive JORA-Diag`` for ``current additive JORA-Diag (global sparse rotation)``),
    or that name followed by words of the commentary (``TC-CS-1S attention-only`` for
    ``TC-CS-1S (attention-only first)``). The run's own commentary is kept (``X (no
    scaling)`` does not run ``X``), commentary that takes a part away is never dropped (``X``
    does not run ``X (without gate)``), and a name the block has two systems for (``X`` and
    ``X (ours)``) stands only for the one written whole.
    """
    if written == system:
        return True
    if written in systems or _takes_away(system):
        return False
    key = system_key(written, keep_commentary=True)
    if not key:
        return False
    if _FROM_BLOCK.search(system):
        return _named_from_block(written, key, system)
    if _ALSO_BLOCK.search(written) and _crossed(written, system):
        # 011's B1 lists "**DeBERTa difficulty-only** (single-task, same data — ablation, also
        # B2)", B2 "**Single-task DeBERTa** (difficulty only, …)": one system, each name in
        # the other's commentary; B2's criterion found no run of its baseline.
        return sum(1 for other in systems if _crossed(written, other)) == 1
    if key != system_key(system):
        # "TC-CS-1S attention-only" for 002's "TC-CS-1S (attention-only first)": the name with
        # words of its own commentary, which only one of the block's systems has.
        return _in_own_words(key, system) and (
            sum(1 for other in systems if _in_own_words(key, other)) == 1
        )
    return sum(1 for other in systems if system_key(other) == key) == 1


# A system the block takes from another block: "E3: DepthGate (from Block 1)" (001's B2),
# "X (from B1)", "X (same as Block 1)".
_FROM_BLOCK = lazy(
    r"[(（]\s*(?:from|as\s+in|same\s+as|reused\s+from)\s+(?:block|exp(?:eriment)?\.?)?\s*"
    r"[A-Z]?\d{1,2}[a-z]?\s*[)）]",
    re.IGNORECASE,
)


# A system's commentary saying another block compares it too: "(…, also B2)", "(also in Block 3)".
_ALSO_BLOCK = lazy(r"[(（][^()（）]*\balso\s+(?:in\s+)?(?:B|Block\s*)\d{1,2}\b", re.IGNORECASE)


def _crossed(written: str, system: str) -> bool:
    """
    Whether each of two names has its own words (commentary aside) among the other's words
    with commentary, neither taking a part away: the same system, named by another block
    with what this one writes in parentheses.
    """
    if _takes_away(written) or _takes_away(system):
        return False
    mine, theirs = system_key(written).split(), system_key(system).split()
    return (
        len(mine) >= 2
        and len(theirs) >= 2
        and set(mine) <= set(system_key(system, keep_commentary=True).split())
        and set(theirs) <= set(system_key(written, keep_commentary=True).split())
    )


def _named_from_block(written: str, key: str, system: str) -> bool:
    """
    Whether a run named ``written`` (``key`` its :func:`system_key` with commentary) runs
    ``system``, a system another block defines and this one names short ("E3: DepthGate (from
    Block 1)" for B1's "E3: DepthGate r=102 + scalar gates (simplest depth conditioning)"):
    the short name, then more words of the full one; and the same item label (``E3``) where
    the block writes one. Without this B2 had no run of its DepthGate to compare with, and no
    word said so.
    """
    base = system_key(system)
    label = _LABEL.match(unicodedata.normalize("NFKC", _MARKUP.sub("", system)))
    if label is not None:
        theirs = _LABEL.match(unicodedata.normalize("NFKC", _MARKUP.sub("", written)))
        if (
            theirs is None
            or theirs.group().rstrip(": ").casefold() != label.group().rstrip(": ").casefold()
        ):
            return False
    return bool(base) and (key == base or key.startswith(base + " ")) and not _takes_away(written)


def whole_names(systems: Iterable[str]) -> frozenset[str]:
    """The keys of ``systems`` with their commentary kept (:func:`system_key`), for
    :func:`run_stands_for`'s ``plan_names``: every compared system of a plan."""
    return frozenset(key for s in systems if (key := system_key(s, keep_commentary=True)))


def run_stands_for(
    names: Sequence[str],
    aliases: Sequence[str],
    system: str,
    systems: Sequence[str],
    plan_names: frozenset[str] = frozenset(),
    purpose: str = "",
) -> bool:
    """
    Whether a run known by ``names`` (the system it stands for in its own block, its system as
    written) or by one of ``aliases`` (its ``[systems]`` table's) runs ``system``, one of a
    block's ``systems``, each read as :func:`stands_for` reads it; but an alias that is a
    compared system of the plan written whole (one of ``plan_names``, :func:`whole_names`)
    stands for that name only, not for another block's system with more commentary. A tracker
    ``purpose`` that is ``system`` whole, a name the plan coined (:func:`_coined`), says so too:
    004's R202, B1's "LSVJ-S (ours)" by its System cell, has the Purpose "LSVJ-S full", the
    system B2 judges its verbatim-match on, and B2 found no run of it.

    The researcher wrote the alias for that system: 004's ``aliases = ["LSVJ-S full"]``
    (B2's system) also ran B6's "LSVJ-S full (b.4 enabled)" on B1's R202, and B6's clause was
    judged on it. An alias no block writes whole keeps the usual reading (011's
    "Single-task DeBERTa" for B2's "**Single-task DeBERTa** (difficulty only, …)").
    """
    if any(stands_for(name, system, systems) for name in names):
        return True
    whole = system_key(system, keep_commentary=True)
    if purpose and _coined(system) and system_key(purpose, keep_commentary=True) == whole:
        return True
    if (
        _coined(system)
        and any(_equated(text, system) for text in (*names, purpose))
        # "= A1" where the block has "A1" and "A1 (ours)": which one is not said.
        and sum(1 for other in systems if system_key(other) == system_key(system)) == 1
    ):
        # 005's R011 "C2 RAW joint v5 (= A1-full) on 10": the row says it is B2's A1-full (the
        # plan: "A1-full = same as B1's joint v5 → can SHARE B1's runs"), and B2 found no run.
        return True
    for alias in aliases:
        key = system_key(alias, keep_commentary=True)
        if (key == whole) if key in plan_names else stands_for(alias, system, systems):
            return True
    return False


# A row saying what else it is: "(= A1-full)", "= A1-full", "same as A1-full", "即 X", "同 X";
# the name runs to a bracket, a comma or semicolon, or the end of the text.
_EQUATED = lazy(
    r"(?:(?<![=<>!≤≥])=(?![=>])|\bsame\s+as\b|\bidentical\s+to\b|(?<![\w])(?:即|等同于|同))"
    r"\s*(?P<name>[^()（）\[\],，;；=]+)",
    re.IGNORECASE,
)
# Words after the name that say where or how much it runs, not another system: "= A1-full on 10".
_WHERE = frozenset({"on", "in", "at", "for", "across", "over", "x"})
# The key of a setting right before an "=": ``lr=0.1``, ``--lr=0.1``, ``T_obj=16``, ``λ = 0.3``.
_SETTING_KEY = lazy(r"(?<![\w.-])-{0,2}[^\W\d][\w.-]*(?P<space>\s*)$")
# The value of a setting a name ends at: "(= lr=0.1)" names "lr=0.1".
_ASSIGNED = lazy(r"\s*=\s*(?P<value>[^()（）\[\],，;；=\s]+)")
# A value alone: ``0.1``, ``3e-4``, ``16``, ``10%``.
_VALUE = lazy(r"[-+−]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?\s*%?", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)  # pure; asked for every run × compared system
def _equated(text: str, system: str) -> bool:
    """
    Whether ``text`` (a run's system or Purpose) says the run is ``system``: ``(= X)``,
    ``= X``, ``same as X`` with X ``system``'s name, whole (its commentary kept or left out),
    or followed only by where it runs (``= X on 10``). Neither a comparison (``<=``, ``==``)
    nor a setting: ``lr=0.1`` (a key joined to its "=", or any key before a value alone)
    says the run is neither a system "0.1" nor one written ``lr=0.1``; ``(= lr=0.1)`` says it
    is the latter.
    """
    if not text:
        return False
    keys = {k for k in (system_key(system, keep_commentary=True), system_key(system)) if k}
    text = unicodedata.normalize("NFKC", text)
    for match in _EQUATED.finditer(text):
        setting_key = _SETTING_KEY.search(text, 0, match.start())
        if setting_key is not None and (
            not setting_key["space"] or _VALUE.fullmatch(match["name"].strip())
        ):
            # A hyperparameter's value names no system: "ResNet lr=0.1" ran no sweep's "0.1"
            # (review r34), nor, a setting said in passing, the sweep's "lr=0.1".
            continue
        name = match["name"]
        if assigned := _ASSIGNED.match(text, match.end()):
            # "(= lr=0.1)": the name is the whole setting, a system written so.
            name += "=" + assigned["value"]
        said = system_key(name, keep_commentary=True)
        for key in keys:
            if said == key or (
                said.startswith(key + " ") and said[len(key) + 1 :].split(" ", 1)[0] in _WHERE
            ):
                return True
    return False


@functools.lru_cache(maxsize=4096)  # pure; asked for every run × compared system
def _in_own_words(key: str, system: str) -> bool:
    """
    Whether ``key`` (a run's system, its commentary kept) is ``system``'s name without its
    commentary followed by words that all stand in that commentary.
    """
    base = system_key(system)
    if not base or not key.startswith(base + " ") or _takes_away(system):
        return False
    said = system_key(system, keep_commentary=True).split()[len(base.split()) :]
    return all(word in said for word in key[len(base) + 1 :].split())


def _before_description(system: str) -> tuple[str, ...]:
    """
    The name before a description the plan wrote after a colon: "DepthGate (without Sobel)"
    of "DepthGate (without Sobel): raw depth only, Conv2d(1→64,...)" (001's B5, whose run
    names only the system), or after a full-width colon, which needs no space ("capacity-
    matched VanillaFilter" of 023's "capacity-matched VanillaFilter：获得同一个 …");
    ``()`` when there is no such description.
    """
    # NFKC makes "：" a bare ":", which also joins "a:b" inside a name: spaced first, it stays
    # a separator.
    spaced = system.replace("：", ": ")
    text = _LABEL.sub("", _MARKUP.sub("", unicodedata.normalize("NFKC", spaced)), count=1)
    head, colon, rest = text.partition(": ")
    if not colon:
        # "E_best(shuffled depth) — randomly permute depth maps across images" (001's E6):
        # a description after a spaced dash (an alias naming the system stood for nothing,
        # trial O1).
        head, dash, rest = (*_DESCRIBED.split(text, maxsplit=1), "", "")[:3]
        # Not a dash inside brackets (005's "A0 (K3_top + insert-only, frozen — Stage 11-13)").
        colon = dash if head.count("(") == head.count(")") else ""
    if not colon or not head.strip() or not rest.strip() or len(head.split()) > 6:
        return ()
    return (head.strip(),)


_DESCRIBED = lazy(r"(\s+[—–]\s+)")


# A setting written in a system's commentary: "λ=0.3", "K = 5", "lr=1e-4".
_SETTING = lazy(r"(?<![\w.])[^\W\d_][\w.-]*\s*=\s*[\w.+-]*\d[\w.+-]*")


def _own_setting(system: str) -> str:
    """
    The one setting (``λ=0.3``) the parenthesised commentary of ``system`` writes, when the
    commentary takes no part away; ``""`` when it writes none or several.
    """
    text = unicodedata.normalize("NFKC", _MARKUP.sub("", system))
    settings = [
        found
        for commentary in _COMMENTARY.findall(text)
        if not _takes_away(f"x {commentary}")
        for found in _SETTING.findall(commentary)
    ]
    return settings[0] if len(settings) == 1 else ""


def _keys(name: str) -> tuple[str, str]:
    return system_key(name, keep_commentary=True), system_key(name)


_CELL_SPLIT = lazy(r"\s*(?:/|,|，|、|\+|&|;|；|\band\b|\bor\b|和|及|与)\s*")


def block_cell_ids(cell: str, ids: Sequence[str], titles: Mapping[str, str]) -> tuple[str, ...]:
    """
    The plan blocks a tracker Block cell names, in order.

    The cell is split on ``/``, commas, ``+``, ``&``, ``and`` …; each part is a block id
    (normalised like plan ids: ``Block 2`` → ``B2``), possibly followed by commentary
    (``B0 calibration``), or a block's title or a word of it (``Scheduler``,
    ``AI-AI``). Parts that name no block of the plan (``G1``, a gate) are left out.

    Args:
        cell: the Block cell as written.
        ids: the plan's block ids.
        titles: block id → title.

    Returns:
        The block ids named, without duplicates.
    """
    found: dict[str, None] = {}
    known = set(ids)
    for part in _CELL_SPLIT.split(cell.replace("`", "").replace("*", "")):
        part = part.strip()
        if not part:
            continue
        head = part.split()[0]
        candidate = normalise_block_id(head)
        if candidate in known:
            found.setdefault(candidate, None)
            continue
        whole = normalise_block_id(part)
        if whole in known:
            found.setdefault(whole, None)
            continue
        key = system_key(part)
        if not key:
            continue
        by_title = [b for b in ids if _names_title(key, titles.get(b, ""))]
        if len(by_title) == 1:
            found.setdefault(by_title[0], None)
    return tuple(found)


def _names_title(key: str, title: str) -> bool:
    """
    Whether a cell's words name a block title: every word of the cell starts a word of the
    title (``Accounts`` names "Account and Social Layer" by its stem, ``AI-AI`` names
    "AI-AI Communication").
    """
    title_words = system_key(title).split()
    if not title_words:
        return False
    for word in key.split():
        stem = word[:-1] if len(word) > 4 and word.endswith("s") else word
        if not any(t.startswith(stem) for t in title_words):
            return False
    return True


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Attribution:
    """
    Where a run was placed, and why.

    Args:
        block: the block id, ``""`` when the run is not attributed.
        system: the block's compared-system entry the run stands for (as the plan writes it),
            ``""`` when the run is not attributed or none of the block's systems matches.
        basis: how it was decided (``bridge.toml [[runs]]``, ``tracker Block column`` …) or,
            when ``block`` is ``""``, why no block could be chosen.
    """

    block: str
    system: str
    basis: str


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunFacts:
    """
    What attribution looks at for one run.

    Args:
        id: the run id.
        milestone: the milestone id, ``""`` when unknown.
        system: the system as written.
        explicit_block: a block set in bridge.toml for this run (``[[runs]]`` or ``[grid]``).
        block_cell: the tracker's Block cell as written, ``""`` when none.
        notes: the tracker's Notes.
        purpose: the tracker's Purpose cell, ``""`` when none.
        metrics: the tracker's Metrics cell, as metric names.
    """

    id: str
    milestone: str
    system: str
    explicit_block: str = ""
    block_cell: str = ""
    notes: str = ""
    purpose: str = ""
    metrics: tuple[str, ...] = ()


# A compared system's own label (``E4: DepthFiLM r=102``, ``**A2**: …``), and a word of a
# milestone's Runs cell that may be one (``E4 (DepthFiLM), E5``).
_SYSTEM_LABEL = lazy(r"\s*\**([A-Z][A-Za-z]{0,2}\d+[a-z]?)\**\s*[:：]")
_LABEL_WORD = lazy(r"\b([A-Z][A-Za-z]{0,2}\d+[a-z]?)\b")


def _aliases_written(systems: Mapping[str, SystemConfig], block: Block) -> list[str]:
    """
    The ``[systems]`` aliases ``block``'s criterion writes whole (case aside, not as part of a
    longer word or number: "variant 3" is not in "variant 30"), in table order; and an alias
    "<word> N" when the criterion numbers systems with that word, two numbers or more ("variant
    3 … beyond variant 2"), and one numbered list of the block's text has those items and an
    item N (012's B2 lists its four objectives "1." to "4.": "variant 1" is its first as much as
    "variant 3" its third, though the criterion does not name it). Any numbered list ("Steps:
    1. … 2. …") beside a criterion naming one "variant 4" let the block claim every "variant N".
    """
    text = " ".join(block.success_criterion.casefold().split())
    lists = _numbered_lists(block.text)
    found = []
    for table in systems.values():
        for alias in table.aliases:
            said = " ".join(alias.casefold().split())
            if not said:
                continue
            if re.search(rf"(?<!\w){re.escape(said)}(?!\w)", text) or (
                (parts := _WORD_NUMBER.fullmatch(said)) is not None
                and len(
                    named := {
                        int(n)
                        for n in re.findall(
                            rf"(?<!\w){re.escape(parts[1])} (\d{{1,2}})(?!\w)", text
                        )
                    }
                )
                >= 2
                and any(named | {int(parts[2])} <= items for items in lists)
            ):
                found.append(alias)
    return found


def _numbered_lists(text: str) -> list[set[int]]:
    """The numbers of each numbered list in ``text``, a list being items numbered 1, 2, 3 … in
    turn (a "1." after other items starts another)."""
    lists: list[set[int]] = []
    last = 0
    for number in (int(n) for n in _NUMBERED_ITEM.findall(text)):
        if number == last + 1 and lists:
            lists[-1].add(number)
        else:
            lists.append({number})
        last = number
    return lists


# An alias that numbers a system: "variant 1", "config 2".
_WORD_NUMBER = lazy(r"([a-z][a-z-]*) (\d{1,2})")
# A numbered list item of a block's text: "  1. current global …".
_NUMBERED_ITEM = lazy(r"(?m)^\s*(\d{1,2})[.)]\s")


class Attributor:
    """
    Places runs in the blocks of one plan (see the module docstring for the order).
    """

    def __init__(
        self,
        plan: Plan,
        systems: Mapping[str, SystemConfig],
        milestones: Sequence[str] = (),
    ) -> None:
        """
        Args:
            plan: the plan whose blocks runs are placed in.
            systems: the ``[systems]`` tables of ``bridge.toml``.
            milestones: the milestones the runs name (a tracker's Milestone cells), for those
                the plan does not define (:func:`_numbered_alike`).
        """
        self.plan = plan
        self.order = [b.id for b in plan.blocks]
        self.ids = set(self.order)
        self.titles = {b.id: b.title for b in plan.blocks}
        self.known = frozenset(b for b in self.order if not re.fullmatch(r"B\d+(?:\.\d+)?", b))
        self.systems = systems
        # block → (strict key → system as written, loose key → system as written)
        self.block_systems: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
        for block in plan.blocks:
            strict, loose = self.block_systems.setdefault(block.id, ({}, {}))
            for system in block.systems:
                for name in (system, *_before_description(system)):
                    full, base = _keys(name)
                    if full:
                        strict.setdefault(full, system)
                    # "DepthGate (without Sobel)" is not the "DepthGate" a run names.
                    base = full if _takes_away(name) else base
                    if base:
                        loose.setdefault(base, system)
            if not block.systems:
                # 012's B2 lists no compared systems and its criterion names its runs' by
                # number ("variant 3 … beyond variant 2"): an alias the criterion writes whole
                # is the name the block gives that table's runs, and they stand for it there.
                for alias in _aliases_written(systems, block):
                    full, base = _keys(alias)
                    if full:
                        strict.setdefault(full, alias)
                    if base:
                        loose.setdefault(base, alias)
        # block → (key of a description → system): a system's description, as its Compared
        # systems line writes it after the bold name, is another name a run may carry (004's
        # R202 "L1+L2+L3-LSVJ-S+L4; N=5 …" runs "**LSVJ-S (ours)** — L1+L2+L3-LSVJ-S+L4"); only
        # a description one system of the block has says which.
        self.described: dict[str, dict[str, str]] = {}
        for block in plan.blocks:
            said: dict[str, list[str]] = {}
            for system, description in system_descriptions(block.systems_raw).items():
                if system in block.systems and (key := system_key(description)):
                    said.setdefault(key, []).append(system)
            # Not among the names matched across blocks: a description's words are the system's
            # parts, which other runs share (005's R009 "Extract M_clean …" is none of B3's).
            self.described[block.id] = {k: s[0] for k, s in said.items() if len(s) == 1}
        self.plan_systems = {block.id: block.systems for block in plan.blocks}
        # block → (words sorted → system as written): the last resort of matching, when no
        # name is the same word for word (see _bag).
        self.block_bags: dict[str, dict[str, str]] = {}
        for block in plan.blocks:
            bags = self.block_bags.setdefault(block.id, {})
            for system in block.systems:
                if bag := _bag(system_key(system)):
                    bags.setdefault(bag, system)
            for system in block.systems:
                # 011's R014 "DeBERTa multi-task λ=0.3" is B2's "**Multi-task DeBERTa**
                # (difficulty + evidence, λ=0.3)": the name with the one setting its commentary
                # gives, in another order. Only after the names themselves, which come first.
                if (setting := _own_setting(system)) and (
                    bag := _bag(f"{system_key(system)} {system_key(setting)}")
                ):
                    bags.setdefault(bag, system)
        # block → (the words every compared system's name has, each system's own words): what
        # tells variants of one method apart (see _distinguished).
        self.variants = {block.id: _variant_words(block.systems) for block in plan.blocks}
        self.sanity_milestones = {m.id for m in plan.milestones if m.sanity}
        # run id (casefolded) → the blocks whose section lists it as a list item, in plan order.
        self.listed: dict[str, list[str]] = {}
        for block in plan.blocks:
            for run_id in [*_LISTED_RUN.findall(block.text), *_RUN_LINE.findall(block.text)]:
                holders = self.listed.setdefault(run_id.casefold(), [])
                if block.id not in holders:
                    holders.append(block.id)
        self.milestone_blocks = {
            m.id: [b for b in m.blocks if b in self.ids] or self._labelled(m.runs_raw, plan)
            for m in plan.milestones
        }
        # milestone → (block, why) for a milestone that names no block but whose Runs cell
        # names a script only one block runs, or whose goal is one block's title: weaker
        # evidence than the run's own system or Purpose, so taken after them.
        self.milestone_inferred: dict[str, tuple[str, str]] = {}
        # The milestones inferred from the systems their Runs cell lists: a run there is placed
        # by it only when its name shares a word with the block's systems (005's M2 lists B3's
        # A3 arms and a "d_mem trace" of B5; its R009 "Extract M_clean …" is none of B3's).
        self.listed_by_systems: set[str] = set()
        for milestone in plan.milestones:
            if self.milestone_blocks[milestone.id]:
                continue
            coded = _named_code(milestone.runs_raw, plan)
            listed = _named_by_systems(milestone.runs_raw, plan)
            if coded is not None:
                found = (coded[0], f"milestone {milestone.id}'s Runs cell names {coded[1]}")
            elif listed is not None:
                found = (listed[0], f"milestone {milestone.id}'s Runs cell {listed[1]}")
                self.listed_by_systems.add(milestone.id)
            elif (goal := _named_by_goal(milestone, plan)) is not None:
                found = (goal[0], f"milestone {milestone.id}, {goal[1]}")
            else:
                continue
            self.milestone_inferred[milestone.id] = found

        self.numbered = _numbered_alike(
            [m for m in dict.fromkeys(milestones) if m and m not in self.milestone_blocks], plan
        )

    def names_a_system(self, name: str) -> bool:
        """
        Whether ``name`` (a ``[systems]`` table's alias) names a compared system of some block,
        at any level at which runs are matched (whole, without commentary, by its words).
        """
        full, base = _keys(name)
        bag = _bag(system_key(name))
        return any(
            full in strict or full in loose or base in loose or (bag and bag in self.block_bags[b])
            for b, (strict, loose) in self.block_systems.items()
        )

    def compares(self, block: str, system: str) -> bool:
        """
        Whether ``block`` compares the system a run names (``system``, as a tracker row writes
        it), at any level at which runs are matched to a block's systems (see
        :meth:`_matching`): ``policy-only (PPO)`` is B2's ``policy-only``.
        """
        return block in self.ids and bool(self._matching(self._names(system), [block]))

    def _labelled(self, runs_cell: str, plan: Plan) -> list[str]:
        """
        The blocks a milestone's Runs cell names through the labels of their compared systems
        (``E4 (DepthFiLM), E5 (DepthBasis)`` where a block lists ``E4: DepthFiLM r=102 …``), in
        plan order; none when the cell names no such label.
        """
        named = set(_LABEL_WORD.findall(runs_cell))
        if not named:
            return []
        return [
            block.id
            for block in plan.blocks
            if any((m := _SYSTEM_LABEL.match(s)) and m.group(1) in named for s in block.systems)
        ]

    def _names(self, system: str, *, aliases: bool = True) -> tuple[set[str], set[str]]:
        """
        The strict and loose keys a run's system is known by: its own, and its ``[systems]``
        table's name and (with ``aliases``) its aliases.
        """
        strict: set[str] = set()
        loose: set[str] = set()
        if not system:
            return strict, loose
        names = [system]
        table = system_table(system, self.systems)
        if table is not None:
            names += [table.name, *(table.aliases if aliases else ())]
        for name in names:
            full, base = _keys(name)
            strict.add(full)
            # Parentheses that take a part away ("DepthGate (without Sobel)") are the name's
            # point: dropped, the ablation would pass for the full system another block lists.
            loose.add(full if _takes_away(name) else base)
        strict.discard("")
        loose.discard("")
        return strict, loose

    def _shares_a_word(self, system: str, block: str) -> bool:
        """
        Whether the run's ``system`` is blank or shares a word with one of ``block``'s compared
        systems: a Purpose that is a block's title places the run there only then. 002's R011
        («compare one-sided TC-CS-1S against …») writes B4's TC-CS-1S; a run of another system
        («大模型» beside a block comparing 基线 and 本方法) is that block's purpose run by a
        system it does not compare, and stays unplaced, said so, rather than judged beside it.
        """
        mine = set(system_key(system).split())
        theirs = {word for key in self.block_systems[block][1] for word in key.split()}
        return not mine or bool(mine & theirs)

    def _pairs(
        self, block: str, names: tuple[set[str], set[str]]
    ) -> list[tuple[set[str], dict[str, str]]]:
        """
        The (run keys, block keys) comparisons in order of strictness: the run's words in
        parentheses always count (``X (no feature scaling)`` is not ``X``), the plan's may be
        commentary (``X (ours)`` is ``X``); only when neither finds a match are the run's
        parentheses dropped too.
        """
        strict, loose = self.block_systems[block]
        return [(names[0], strict), (names[0], loose), (names[1], loose)]

    def _matching(self, names: tuple[set[str], set[str]], among: Sequence[str]) -> list[str]:
        """
        The blocks among ``among`` that compare the run's system, at the strictest level at
        which any does (see :meth:`_pairs`).
        """
        first = [
            b
            for b in among
            if any(mine & keyed.keys() for mine, keyed in self._pairs(b, names)[:2])
        ]
        if first:
            return first
        loose = [b for b in among if names[1] & self.block_systems[b][1].keys()]
        if loose:
            return loose
        bags = {bag for key in names[1] if (bag := _bag(key))}
        return [b for b in among if bags & self.block_bags[b].keys()]

    def _placed(
        self, block: str, names: tuple[set[str], set[str]], basis: str, purpose: str = ""
    ) -> Attribution:
        """
        The attribution to ``block``, with the compared system the run's system names, or
        else the one its ``purpose`` begins with (when given).
        """
        system = ""
        for mine, keyed in self._pairs(block, names):
            system = next((keyed[n] for n in sorted(mine) if n in keyed), "")
            if system:
                break
        if not system:
            bags = {bag for key in names[1] if (bag := _bag(key))}
            system = next(
                (self.block_bags[block][b] for b in sorted(bags & self.block_bags[block].keys())),
                "",
            )
        if not system:
            system = self._shortened(block, names[0])
        if not system:
            system = self._by_description(block, names[0])
        if not system:
            system = _qualified(names[0], self.plan_systems[block])
        if not system and purpose:
            opened = self._opened_by(purpose, [block])
            if opened is None and (labelled := _PURPOSE_LABEL.match(purpose)) is not None:
                opened = self._opened_by(purpose[labelled.end() :], [block])
            system = opened[1] if opened is not None else ""
        if not system:
            system = self._distinguished(block, names[0])
        return Attribution(block=block, system=system, basis=basis)

    def _distinguished(self, block: str, keys: set[str]) -> str:
        """
        The one compared system of ``block`` (already chosen by other evidence) that the run's
        system names by the words telling the block's variants apart, when the block's systems
        share words of one method: 001's B3 compares "E_best(predicted depth)", "E6:
        E_best(shuffled depth)" and "E7: E_best(zero depth)", and its R007 runs "Best method +
        shuffled depth" (a word they share, "best", and only E6's "shuffled"). ``""`` when the
        run shares no word of the common name, takes a part away, or has the own words of
        none or of several systems: "shuffled then zero" is not said to be either.
        """
        common, own = self.variants[block]
        found: set[str] = set()
        for key in keys:
            words = set(key.split())
            if words & common and not words & _TAKING_AWAY:
                found.update(system for system, mine in own.items() if words & mine)
        return found.pop() if len(found) == 1 else ""

    def _beginning(self, keys: set[str], among: Sequence[str]) -> list[tuple[str, str]]:
        """
        The (block, compared system) pairs among ``among`` whose name a key of the run begins
        word for word (and is not whole), when that can only mean a shortened name: the run's
        name has two words at least (a bare ``LoRA`` or ``DepthGate`` is a baseline or the full
        model as often as a shortening of ``LoRA + DepthGate``), what follows does not take a
        part away (``w/o Sobel``, ``without``, ``no``), and no other compared system of those
        blocks holds the run's name among its words.
        """
        named = [
            (block, key, written)
            for block in among
            for key, written in self.block_systems[block][1].items()
        ]
        found: set[tuple[str, str]] = set()
        for mine in keys:
            if " " not in mine:
                continue
            begun = [
                (block, written)
                for block, key, written in named
                if key.startswith(mine + " ")
                and key[len(mine) + 1 :].split(" ", 1)[0] not in _TAKING_AWAY
            ]
            held_elsewhere = any(
                f" {mine} " in f" {key} " and not key.startswith(mine + " ") for _, key, _ in named
            )
            if not held_elsewhere:
                found.update(begun)
        return sorted(found)

    def _system_words(self, block: str) -> set[str]:
        """The words (three letters or more) of ``block``'s compared systems, set words such as
        "model" or "baseline" aside."""
        return {
            w
            for key in self.block_systems[block][1]
            for w in key.split()
            if len(w) > 2 and w not in _NAME_WORDS
        }

    def _shared_words(self, keys: set[str], block: str) -> set[str]:
        """The words of the run's system (its keys) that are words of ``block``'s compared
        systems (:meth:`_system_words`)."""
        theirs = self._system_words(block)
        return {w for key in keys for w in key.split() if w in theirs}

    def _only_a_common_word(self, keys: set[str], block: str, shared: set[str]) -> list[str]:
        """
        The other blocks whose compared systems have the one word (``shared``) the run's
        system shares with ``block``'s, when that word is all that ties them and the run's name
        has words of its own besides: 011's R027 "Quality judge" shares only "judge" with B3's
        "K=5 + LLM judge reranking", a word of B1's "GPT-4o-mini judge" and B4's "LLM judge"
        too, so the word tells no block (its pass rate was listed under B3). ``[]`` when the
        word counts: two words shared, a word no other block's systems have (023's R023 "same
        trained online systems", B2's "online"), a coined name the block's systems write with
        capitals (039's "MART"), or a name that is that word alone once words saying "the
        system itself" are set aside (039's R003 "MART full" in M1, B1's "MART").
        """
        if len(shared) != 1:
            return []
        (word,) = shared
        own = {
            w
            for key in keys
            for w in key.split()
            if len(w) > 2 and not w.isdigit() and w not in _NAME_WORDS and w not in _ITSELF
        }
        if own <= shared:
            return []
        written = [
            m.group(0)
            for system in self.plan_systems[block]
            for m in re.finditer(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", system, re.I)
        ]
        if any(w != w.casefold() for w in written):
            # A coined name (039's "MART", "GNN"), which the plan writes with capitals, names
            # one method wherever it is compared: an ordinary word ("judge") names none.
            return []
        return [b for b in self.order if b != block and word in self._system_words(b)]

    def _qualified_away(self, keys: set[str]) -> list[tuple[str, str]]:
        """
        The (block, compared system) pairs of every block whose name ends with a key of the
        run's, word for word, after words the run leaves out (``hybrid pis iek`` of ``piecewise
        hybrid PIS-IEK``): two words at least, and not a system that takes a part away. Only
        the end: a name that begins a longer one is often another thing (``GPT-4o-mini`` and
        the block's ``GPT-4o-mini judge``).
        """
        found: set[tuple[str, str]] = set()
        for mine in keys:
            if mine.count(" ") < 1:
                continue
            for block in self.order:
                for key, written in self.block_systems[block][1].items():
                    if (
                        key.endswith(" " + mine)
                        and not _TAKING_AWAY.intersection(key.split())
                        and not _takes_away(written)
                    ):
                        found.add((block, written))
        return sorted(found)

    def _prefixed(self, system: str, among: Sequence[str]) -> list[tuple[str, str]]:
        """
        The (block, compared system) pairs among ``among`` whose name, as written, is the run's
        system made one identifier longer (``shuffled_memory`` → ``shuffled_memory_negative_
        control``).
        """
        mine = system.strip().strip("`").casefold()
        if not mine:
            return []
        return sorted(
            (block, written)
            for block in among
            for written in self.block_systems[block][0].values()
            if re.match(rf"{re.escape(mine)}[_-]\w", written.strip().strip("`").casefold())
        )

    def _by_description(self, block: str, keys: set[str]) -> str:
        """
        The one compared system of ``block`` (already chosen by other evidence) whose
        description a key of the run's system begins with, word for word (004's R202
        "L1+L2+L3-LSVJ-S+L4; N=5 perturbation, k=3 vote" of "**LSVJ-S (ours)** —
        L1+L2+L3-LSVJ-S+L4"); ``""`` when none or several do.
        """
        found = {
            system
            for key, system in self.described[block].items()
            for mine in keys
            if mine == key or mine.startswith(key + " ")
        }
        return found.pop() if len(found) == 1 else ""

    def _shortened(self, block: str, keys: set[str]) -> str:
        """
        The one compared system of ``block`` (already chosen by other evidence) whose name the
        run's system begins, word for word, when no name matches whole: a tracker writes
        ``DepthFiLM r=102`` for the plan's ``E4: DepthFiLM r=102 + rank-space FiLM``. ``""``
        when none or several begin so: which one it stands for is then not known.
        """
        found = self._beginning(keys, [block])
        return found[0][1] if len(found) == 1 else ""

    def _opened_by(self, purpose: str, among: Sequence[str]) -> tuple[str, str] | None:
        """
        The one (block, compared system) among ``among`` whose name the run's Purpose begins
        with, word for word (005: the System cell holds a command and the Purpose says
        ``A3-attacked (full v5 + W_attacked block) on 10``); the longest name wins over a name
        it begins with (``A3-baseline`` over ``A3``). Only a coined name counts (see
        :func:`_coined`): 011's "Classifier reranking" is B3's reranking run, not B4's
        "(b) classifier" judging questions. ``None`` when no name, or names of several systems
        or blocks, begin it. A bold name the plan describes counts as coined (004's
        "**`SEAP`** — L1+L2+12-rule expert menu …").
        """
        opening = system_key(purpose)
        if not opening:
            return None
        keyed = [
            (key, block, written)
            for block in among
            for key, written in self.block_systems[block][1].items()
        ]
        begun = [
            (key, block, written)
            for key, block, written in keyed
            # A bold name the plan describes is one it coined, whatever its letters (004's
            # "**`SEAP`** — L1+L2+12-rule expert menu …", R201's Purpose "`SEAP` (…)").
            if (_coined(written) or written in self.described[block].values())
            and (
                opening == key
                or (
                    opening.startswith(key + " ")
                    and opening[len(key) + 1 :].split(" ", 1)[0] not in _ADDING
                )
            )
        ]
        if not begun:
            return None
        longest = max(len(key) for key, _, _ in begun)
        found = {(block, written) for key, block, written in begun if len(key) == longest}
        if len(found) != 1:
            return None
        ((block, written),) = found
        key = next(k for k, b, w in begun if (b, w) == (block, written))
        # "Llama-3-8B" begins "Llama-3-8B + RAG (ours)" too: the Purpose may mean either.
        # Not the system's own longer key: "LLM-only" of "LLM-only — DeepSeek-V3.2 …" (004).
        if any(k != key and w != written and k.startswith(key + " ") for k, _, w in keyed):
            return None
        return block, written

    def _completes(self, purpose: str, among: Sequence[str]) -> tuple[str, str] | None:
        """
        The one (block, compared system) among ``among`` written as a shared setting joined to
        what tells it apart (``K=5 + classifier reranking``) whose telling part the run's
        Purpose is, word for word, with at most a trailing "baseline" more: 011's R028
        "Classifier reranking", R029 "LLM judge reranking" and R030 "Random selection
        baseline" (milestone M3 names no block) are B3's "K=5 + classifier reranking", "K=5 +
        LLM judge reranking" and "K=5 + random selection". ``None`` when the Purpose has fewer
        than two words, or is the telling part of several systems, or names a compared system
        whole (then it is that system, not a part of another).
        """
        words = system_key(purpose).split()
        if words and words[-1] == "baseline":  # the role the row gives the system
            words = words[:-1]
        told = " ".join(words)
        if len(words) < 2 or any(told in self.block_systems[b][1] for b in self.order):
            return None
        found = {
            (block, written)
            for block in among
            for written in self.block_systems[block][1].values()
            if len(parts := _JOINED.split((_before_description(written) or (written,))[0])) > 1
            and system_key(parts[-1]) == told
        }
        if len(found) != 1:
            return None
        return found.pop()

    def _joined(self, system: str) -> list[tuple[str, list[tuple[str, str]]]]:
        """
        For a system written as several joined by `` + `` (011's "GPT-4o-mini + Qwen-32B"), each
        part with the (block, compared system) pairs it names, whole or as the beginning of a
        longer name (:meth:`_beginning`: "GPT-4o-mini" of "GPT-4o-mini judge"), across every
        block; ``[]`` when the system is one name, or a part names no compared system: then the
        parts are a method's components ("LoRA + DepthGate"), not systems compared.
        """
        parts = [p.strip() for p in _JOINED.split(system) if p.strip()]
        if len(parts) < 2:
            return []
        joined: list[tuple[str, list[tuple[str, str]]]] = []
        for part in parts:
            names = self._names(part, aliases=False)
            found = [(b, s) for b in self._matching(names, self.order) for s in [part]]
            found = found or self._beginning(names[0], self.order)
            if not found:
                return []
            joined.append((part, found))
        return joined

    def _alternative(self, system: str, among: Sequence[str]) -> tuple[str, str] | None:
        """
        The (block, alternative) of a system written as alternatives (``A or B``, ``A 或 B``)
        when exactly one alternative is a compared system, of exactly one block among
        ``among``, and no other alternative is any block's compared system; ``None``
        otherwise. The run is one of them, not both: a row running both writes "A / B" or
        "A vs B", which stays a name of its own.
        """
        alternatives = [a.strip() for a in _ALTERNATIVES.split(system) if a.strip()]
        if len(alternatives) < 2:
            return None
        found: list[tuple[str, str]] = []
        for alternative in alternatives:
            names = self._names(alternative)
            blocks = self._matching(names, among)
            if not blocks and self._matching(names, self.order):
                return None  # another block compares it: which one the run is, is not said
            found.extend((block, alternative) for block in blocks)
        return found[0] if len(found) == 1 else None

    def _by_distinct_term(self, run: RunFacts, among: Sequence[str]) -> tuple[str, str, str] | None:
        """
        The one block among ``among`` that a distinct term of the run names, with the compared
        system (``""`` when not one) and why; ``None`` when no term, or terms of several blocks.
        A term is a command-line flag (``--oracle-traj-v4-lambda-keep-full``) or an identifier
        joined by ``_`` (``T_obj``, ``d_mem``), case aside. First the run's system's terms
        written in the compared systems of exactly one block (005's R015 "re-extract d_mem with
        T_obj=16 then 64" of B6's "T_obj ∈ {16, 32, 64} on B5's d_mem analysis"); then the
        terms of the run's Purpose and Metrics that exactly one block's title writes (005's R009
        "d_mem trace 3-condition × 10" of B5 "d_mem(t) persistence trace"): what the block
        measures. Not a block's Metrics line: a metric key is shared by any run.
        """
        blocks = [b for b in self.plan.blocks if b.id in among]
        mine = _terms(run.system)
        if mine:
            found = {
                b.id: [s for s in b.systems if mine & _terms(s)]
                for b in blocks
                if mine & _terms(" ".join(b.systems))
            }
            if len(found) == 1:
                ((block, systems),) = found.items()
                shown = ", ".join(sorted(mine & _terms(" ".join(systems))))
                return (
                    block,
                    systems[0] if len(systems) == 1 else "",
                    f"its system's {shown} is written in block {block}'s compared systems only",
                )
        measured = _terms(" ".join((run.purpose, *run.metrics)))
        if not measured:
            return None
        # Only a block's title: what it measures. Not its Metrics line, which shares a metric
        # key (`val_acc`) with any run of the plan: an "lr 3e-4 warmup sweep" recording val_acc
        # went to the one block listing it (review r34).
        held = {b.id: sorted(measured & _terms(b.title)) for b in blocks}
        held = {block: terms for block, terms in held.items() if terms}
        if len(held) == 1:
            ((block, terms),) = held.items()
            return (
                block,
                "",
                f"its Purpose or Metrics name {', '.join(terms)}, which only block {block}'s "
                "title names",
            )
        return None

    def attribute_all(self, runs: Sequence[RunFacts]) -> list[Attribution]:
        """
        The blocks of a plan's runs, in order: each as :meth:`attribute` places it, and then,
        for a milestone that names no block, whose runs that run a block's compared system (two
        at least) all run one block's, and none of whose runs is in another block, the
        milestone's other runs in that block too, when their system shares a word with the
        block's systems (as for a Runs cell listing them, see ``listed_by_systems``). 023's M2
        "Mechanism Pilot" runs B2's "capacity-matched VanillaFilter" (R020) and "PredRNN-online"
        (R022); its R021 "aligned residual update" and R023 "same trained online systems" are
        B2's proposed update and no-reveal counterfactual. Not the sanity milestone: its runs
        check the pipeline on a block's systems. The milestone's block is kept on the
        attributor (``milestone_inferred``), for later calls of :meth:`attribute` too.

        Args:
            runs: the runs to place.

        Returns:
            One attribution per run, in the order given.
        """
        placed = [self.attribute(run) for run in runs]
        blocks: dict[str, set[str]] = {}
        by_system: dict[str, list[str]] = {}
        for run, where in zip(runs, placed, strict=True):
            if not where.block or not run.milestone:
                continue
            blocks.setdefault(run.milestone, set()).add(where.block)
            if where.system:
                by_system.setdefault(run.milestone, []).append(run.id)
        found = False
        for milestone, ids in by_system.items():
            if (
                len(ids) < 2
                or len(blocks[milestone]) != 1
                or self.milestone_blocks.get(milestone)
                or milestone in self.milestone_inferred
                or milestone in self.sanity_milestones
            ):
                continue
            (block,) = blocks[milestone]
            why = f"milestone {milestone}'s runs {', '.join(ids)} run block {block}'s systems"
            self.milestone_inferred[milestone] = (block, why)
            # A run there is its block's only when it shares a word with the block's systems.
            self.listed_by_systems.add(milestone)
            found = True
        if not found:
            return placed
        return [
            where if where.block else self.attribute(run)
            for run, where in zip(runs, placed, strict=True)
        ]

    def attribute(self, run: RunFacts) -> Attribution:
        """
        The block of one run.

        Args:
            run: what is known of the run.

        Returns:
            The attribution; ``block == ""`` with the reason in ``basis`` when the run cannot
            be placed in exactly one block.
        """
        names = self._names(run.system)
        shown = f"system {run.system!r}" if run.system else "no system"
        milestone = run.milestone if " " not in run.milestone else repr(run.milestone)
        if not self.order:
            return Attribution(block="", system="", basis=NO_BLOCKS)
        if run.explicit_block:
            block = normalise_block_id(run.explicit_block)
            if block in self.ids:
                return self._placed(block, names, "bridge.toml block", run.purpose)
            return Attribution(
                block="",
                system="",
                basis=f"bridge.toml sets block {run.explicit_block!r}, which the plan does not "
                f"have (blocks: {', '.join(self.order)})",
            )
        table = system_table(run.system, self.systems) if run.system else None
        if (
            table is not None
            and table.block
            and _SANITY_PURPOSE.match(run.purpose)
            and run.milestone not in self.sanity_milestones
        ):
            # A system's table places the system's runs, not a sanity check that runs it (011's
            # R012 "Sanity: overfit on 100 items" was pooled into B2 by `block = "B2"` on its
            # system's table: met on its overfit score, trial O1). A [[runs]] block still does.
            return Attribution(
                block="",
                system="",
                basis=f"{SANITY_CHECK} ({run.purpose!r}), whose numbers are not a block's",
            )
        if table is not None and table.block:
            block = normalise_block_id(table.block)
            if block in self.ids:
                return self._placed(
                    block, names, f'bridge.toml [systems."{table.name}"] block', run.purpose
                )
            return Attribution(
                block="",
                system="",
                basis=f'[systems."{table.name}"] block = {table.block!r} is not a block of the '
                f"plan (blocks: {', '.join(self.order)})",
            )
        doubt = guess = ""
        if run.block_cell:
            named = block_cell_ids(run.block_cell, self.order, self.titles)
            if len(named) == 1:
                return self._placed(named[0], names, "tracker Block column")
            if len(named) > 1:
                narrowed = self._matching(names, named)
                if len(narrowed) == 1:
                    return self._placed(
                        narrowed[0],
                        names,
                        f"tracker Block column ({run.block_cell}) and system",
                    )
                return Attribution(
                    block="",
                    system="",
                    basis=f"the tracker's Block column names {len(named)} blocks "
                    f"({', '.join(named)}) and {shown} does not tell which",
                )
            doubt = f"the tracker's Block column {run.block_cell!r} names no block of the plan"
        listed = self.listed.get(run.id.strip().casefold(), [])
        if len(listed) == 1:
            # The plan's own words: the block's checklist names the run (020's B2-B6, whose
            # runs' systems are compared in several blocks and whose milestones name none).
            return self._placed(listed[0], names, f"listed in block {listed[0]}'s section")
        only = self.milestone_blocks.get(run.milestone, [])
        named_first = _OPENING_ID.match(_MARKUP.sub("", run.purpose))
        first = normalise_block_id(named_first.group(1)) if named_first is not None else ""
        if first in self.ids and (len(only) != 1 or only == [first]):
            # 004's R308 "**B6 Adversarial Synthesis Stress Test**" in milestone M3 (B2-B4): the
            # Purpose names its block. As with the Notes, not against the milestone's one block.
            return self._placed(first, names, f"the tracker's Purpose opens with block {first}")
        noted = [b for b in block_refs(run.notes, self.known) if b in self.ids]
        if len(noted) == 1 and (len(only) != 1 or noted == only):
            # A block the Notes mention does not outweigh the one block of the run's milestone:
            # 029's R060 (milestone M6) notes its output is "sufficient for M8 figures".
            return self._placed(noted[0], names, "a block named in the tracker's Notes")
        if run.id.strip() in self.ids:
            # 036's run M2.1 is the plan's section "### M2.1 Gap-filtered DPO": the step is
            # the block.
            return self._placed(run.id.strip(), names, "its run id is the block's id")
        if _SANITY_PURPOSE.match(run.purpose) and run.milestone not in self.sanity_milestones:
            # 011's R012 "Sanity: overfit on 100 items" runs B2's system in milestone M1: its
            # overfit score is no measurement of the block, and averaged in it would be one.
            return Attribution(
                block="",
                system="",
                basis=f"{SANITY_CHECK} ({run.purpose!r}), whose numbers are not a block's",
            )
        if run.milestone in self.ids and run.milestone not in self.milestone_blocks:
            return self._placed(run.milestone, names, "tracker Milestone column names a block")
        in_milestone = self.milestone_blocks.get(run.milestone, [])
        if len(in_milestone) == 1:
            # With the Purpose: a run whose System cell says how it is built can name the system
            # there (004's R201 "`SEAP` (12-rule expert menu, pre-registered)").
            placed = self._placed(
                in_milestone[0], names, f"milestone {milestone}'s only block", run.purpose
            )
            if not placed.system and _REVIEW_PURPOSE.search(run.purpose):
                # 004's R203 "Claim-1 gate cross-review" (milestone "M2 Gate"): Gemini reading
                # Table 1 is no system B1 compares, and placed in B1 its "pass / revise" stood
                # in B1's table as a sixth system.
                return Attribution(
                    block="",
                    system="",
                    basis=f"{REVIEW} ({run.purpose!r}), and its system is none of block "
                    f"{in_milestone[0]}'s compared systems",
                )
            return placed
        narrowed = self._matching(names, in_milestone)
        if len(narrowed) == 1:
            return self._placed(narrowed[0], names, f"system among milestone {milestone}'s blocks")
        # Across every block, the system's own names first: an alias names the system for the
        # blocks that share the run (005's "Joint search" for B4), and placed by it, the run
        # left the block its Purpose names (R011, "C2 RAW joint v5", B1's).
        own = self._names(run.system, aliases=False)
        holders = narrowed or self._matching(own, self.order)
        aliased = [] if holders else self._matching(names, self.order)
        if len(holders) == 1 and not narrowed:
            # 020's R033 "shuffled_memory" is B4's "shuffled memory" whole and begins B3's
            # "shuffled_memory_negative_control": which one it stands for is not said.
            others = [b for b in self.order if b != holders[0]]
            begun = self._prefixed(run.system, others)
            if begun:
                block, written = begun[0]
                return Attribution(
                    block="",
                    system="",
                    basis=f"{shown} is compared in block {holders[0]} and begins block "
                    f"{block}'s {written!r}",
                )
        if len(holders) == 1:
            return self._placed(holders[0], names, "system matches one block")
        if not holders and not aliased and (joined := self._joined(run.system)):
            # 011's R018 "GPT-4o-mini + Qwen-32B" runs B1's two LLM judges, "GPT-4o-mini judge"
            # and "Qwen-32B judge", in one row: B1's run, standing for no one system of it.
            blocks = sorted({b for _, found in joined for b, _ in found}, key=self.order.index)
            if len(blocks) == 1:
                # As the plan names them, its markup and commentary aside.
                systems = ", ".join(
                    repr(_COMMENTARY.sub("", s).replace("**", "").strip())
                    for _, found in joined
                    for _, s in found
                )
                return Attribution(
                    block=blocks[0],
                    system="",
                    basis=f"its system joins block {blocks[0]}'s compared systems {systems}",
                )
            where = "; ".join(
                f"{part!r}: {', '.join(sorted({b for b, _ in found}, key=self.order.index))}"
                for part, found in joined
            )
            return Attribution(
                block="",
                system="",
                basis=f"{shown} joins systems compared in blocks {', '.join(blocks)} ({where}): "
                "which block its numbers are for is not said; give each block's systems a row "
                "of their own",
            )
        if not holders and not aliased:
            # 023's R022 "PredRNN-online or matched recurrent assimilation": the run is one of
            # the systems it names, and only the first is compared, in B2 alone.
            chosen = self._alternative(run.system, in_milestone or self.order)
            if chosen is not None:
                block, alternative = chosen
                return self._placed(
                    block,
                    self._names(alternative),
                    f"its system's alternative {alternative!r} matches one block",
                )
        if not holders and in_milestone:
            # No compared system is named whole: a shortened name that begins exactly one of
            # the milestone's blocks' still says which. Only there: across every block, a
            # reranking run's "GPT-4o-mini" began another block's "GPT-4o-mini judge".
            begun = self._beginning(names[0], in_milestone)
            if len(begun) == 1:
                ((block, system),) = begun
                return Attribution(
                    block=block,
                    system=system,
                    basis=f"system begins one compared system of milestone {milestone}'s blocks",
                )
        if not holders and run.purpose:
            opened = self._opened_by(run.purpose, in_milestone or self.order)
            labelled = _PURPOSE_LABEL.match(run.purpose)
            if opened is None and labelled is not None:
                # "C2 RAW joint v5 (= A1-full) on 10" (005's R011): the claim or arm it is for,
                # then the system.
                opened = self._opened_by(run.purpose[labelled.end() :], in_milestone or self.order)
            if opened is not None:
                block, system = opened
                return Attribution(
                    block=block, system=system, basis=f"Purpose begins with system {system!r}"
                )
            completed = self._completes(run.purpose, in_milestone or self.order)
            if completed is not None and not aliased:
                block, system = completed
                return Attribution(
                    block=block,
                    system=system,
                    basis=f"its Purpose is what tells apart block {block}'s {system!r}",
                )
        if len(aliased) == 1:
            return self._placed(aliased[0], names, "an alias of its system matches one block")
        holders = holders or aliased
        if not holders:
            # "Hybrid PIS-IEK" reads as B4's "piecewise hybrid PIS-IEK" with its first word left
            # out, or as another system ("random search" is not "constrained random search"):
            # not placed by a milestone's Runs cell that suggests another block (021's M4 lists
            # B5's channels, and put R011 there, trial T5), but said, for the researcher to
            # decide.
            qualified = self._qualified_away(names[0])
            if len(qualified) == 1:
                ((block, system),) = qualified
                return Attribution(
                    block="",
                    system="",
                    basis=f"{shown} ends block {block}'s {system!r}: if it runs that system, "
                    f'set `block = "{block}"` (and the system\'s name) for it',
                )
        if not holders and not in_milestone:
            inferred = self.milestone_inferred.get(run.milestone)
            if inferred is not None and run.milestone in self.listed_by_systems:
                shared = self._shared_words(names[1], inferred[0])
                others = self._only_a_common_word(names[1], inferred[0], shared)
                if others:
                    # Said, not placed: one word other blocks' systems have too is a guess, and
                    # placed, the run's numbers would count in that block's verdict.
                    guess = (
                        f"{inferred[1]}, but {shown} shares only the word {min(shared)!r} with "
                        f"them, which the systems of {_blocks(others)} have too: not placed by "
                        f"that word; if its numbers are {inferred[0]}'s, set `block = "
                        f'"{inferred[0]}"` for it'
                    )
                if not shared or guess:
                    inferred = None
            if inferred is not None:
                return self._placed(inferred[0], names, inferred[1], run.purpose)
            # 009's R003 "Uses `scripts/analyze_representation_signals.py`": the script only
            # block B2's setup runs.
            coded = _named_code(f"{run.notes} {run.purpose}", self.plan)
            if coded is not None:
                return self._placed(coded[0], names, f"the tracker names {coded[1]}", run.purpose)
            # Last, the weakest: a milestone only the tracker names, numbered as a block.
            if (numbered := self.numbered.get(run.milestone)) is not None:
                return self._placed(
                    numbered,
                    names,
                    f"milestone {run.milestone}, which the plan does not define, has block "
                    f"{numbered}'s number",
                    run.purpose,
                )
        if not holders and not _SANITY_PURPOSE.match(run.purpose):
            # 002's R011 (milestone M4 "Simplicity confirmation", which names no block): its
            # Purpose "simplicity check" is B4's title "Simplicity Check — One-sided first is
            # enough" before its dash, word for word. Left unplaced, B4 had no run and held the
            # plan from being ready after R011 had run (trial h42A F1).
            titled = _titled_by(run.purpose, self.plan, in_milestone or self.order)
            if titled is not None and self._shares_a_word(run.system, titled[0]):
                block, title = titled
                return self._placed(
                    block,
                    names,
                    f"its Purpose {run.purpose.strip()!r} is block {block}'s title {title!r}",
                )
        if not holders and run.milestone not in self.sanity_milestones:
            # Last: a flag or identifier of one block's compared system (005's R017 runs
            # `--oracle-traj-v4-lambda-keep-full 50`, B7's "full v5 with `--oracle-traj-v4-
            # lambda-keep-full 50`"), or the quantity one block's title measures (R009's "d_mem
            # trace", B5 "d_mem(t) persistence trace"). Not a sanity run: it checks parts of
            # several blocks (005's R004 "Full v5 + A3-attacked + … + d_mem trace").
            distinct = self._by_distinct_term(run, in_milestone or self.order)
            if distinct is not None:
                block, system, why = distinct
                return Attribution(block=block, system=system, basis=why)
        reasons = [doubt] if doubt else []
        if guess:
            reasons.append(guess)
        elif holders:
            reasons.append(f"{shown} is compared in blocks {', '.join(holders)}")
        else:
            if in_milestone:
                reasons.append(f"milestone {milestone} names blocks {', '.join(in_milestone)}")
            elif run.milestone:
                reasons.append(f"milestone {milestone} names no block")
            else:
                reasons.append("no milestone")
            reasons.append(
                f"{shown} is not among any block's compared systems"
                if run.system
                else "no system to match"
            )
        return Attribution(block="", system="", basis="; ".join(reasons))


# Between the systems one row runs together: "GPT-4o-mini + Qwen-32B" (011's R018); not the
# "+" of a name ("C++", "K=5+rerank").
_JOINED = lazy(r"\s+[+＋]\s+|\s*＋\s*")


# Between the alternatives a system is written as: "PredRNN-online or matched recurrent
# assimilation" (023's R022), "A 或 B", "A 或者 B"; not 或许 ("perhaps").
_ALTERNATIVES = lazy(r"\s+or\s+|\s*或者?(?!许)\s*", re.IGNORECASE)


# A script or file a cell names (``scripts/run_retrieval_baseline.py``), or a code span
# (`` `template_macro` ``).
_CODE_SPAN = lazy(r"`([^`\n]{3,80})`")
_SCRIPT = lazy(r"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]*\w\.(?:py|sh|ipynb|jl|R|m|lua|cpp|cu|rs))\b")


# A command-line flag (``--lambda-keep-full``) or an identifier joined by ``_`` (``d_mem``).
_TERM = lazy(r"(?<![\w-])(--[A-Za-z][\w-]*\w|[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+)")


def _terms(text: str) -> frozenset[str]:
    """
    The flags and ``_``-joined identifiers ``text`` writes, casefolded, but for the flags every
    command has (:data:`_COMMON_FLAGS`: ``--seed``, ``--config``, ``--lr``), which tell no block.
    """
    found = (m.casefold() for m in _TERM.findall(_MARKUP.sub(" ", text)))
    return frozenset(t for t in found if t not in _COMMON_FLAGS)


# Flags any run's command may carry: shared by two systems, they say nothing of a block.
_COMMON_FLAGS = frozenset(
    {
        "--seed", "--config", "--cfg", "--output", "--out", "--output_dir", "--output-dir",
        "--data", "--dataset", "--lr", "--learning_rate", "--learning-rate", "--epochs",
        "--batch_size", "--batch-size", "--steps", "--max_steps", "--max-steps", "--device",
        "--gpus", "--gpu", "--run", "--run_id", "--run-id", "--model", "--resume", "--eval",
    }
)  # fmt: skip


def _code_names(text: str) -> set[str]:
    """
    The scripts and code spans a text names, each as the last part of its path
    (``scripts/x.py`` → ``x.py``); spans with spaces (a shell command, prose) are left out.
    """
    # A code span counts when it names a file or an identifier (`template_macro`, `tau_AI`),
    # not a value (021's `40A->20A`).
    spans = {m.group(1).strip() for m in _CODE_SPAN.finditer(text)}
    names = {n for n in spans if _SCRIPT.fullmatch(n) or _IDENTIFIER.fullmatch(n)}
    names |= {m.group(1) for m in _SCRIPT.finditer(text)}
    return {n.rsplit("/", 1)[-1] for n in names if n and " " not in n and len(n) >= 3}


_IDENTIFIER = lazy(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")


def _named_code(cell: str, plan: Plan) -> tuple[str, str] | None:
    """
    The one block whose text names the scripts or code spans ``cell`` names (009's milestone
    M2 runs `` `analyze_representation_signals.py` ``, which Block 2's setup runs), with what
    was named (shown for the basis); ``None`` when the cell names none, or the names are found
    in no block or in several (a shared ``train.py`` says nothing).
    """
    named = _code_names(cell)
    if not named:
        return None
    holders = {block.id: sorted(named & _code_names(block.text)) for block in plan.blocks}
    found = [(block, names) for block, names in holders.items() if names]
    if len(found) != 1:
        return None
    block, names = found[0]
    shown = ", ".join(f"`{n}`" for n in names)
    return block, f"{shown}, which only block {block} names"


def _named_by_systems(cell: str, plan: Plan) -> tuple[str, str] | None:
    """
    The one block whose compared systems a milestone's Runs cell lists (039's M1
    "position-only、statistics、MART" lists B1's "relative-position only", "旧 scalar
    statistics" and "MART"), with why; ``None`` otherwise. An item of the cell counts for a
    block when its words stand word for word inside one of the block's systems; the block must
    have two such items at least, and more than any other block (a system several blocks
    compare, MART in B1 and B3, says nothing alone).
    """
    parts = [p for piece in VERSUS.split(cell) for p in _CELL_SPLIT.split(piece)]
    items = {key for part in parts if (key := system_key(part))}
    if len(items) < 2 or not plan.blocks:
        return None
    counts: list[tuple[int, str]] = []
    for block in plan.blocks:
        keys = [f" {system_key(system)} " for system in block.systems]
        counts.append((sum(1 for item in items if any(f" {item} " in k for k in keys)), block.id))
    counts.sort(key=lambda c: -c[0])
    best, found = counts[0]
    if best < 2 or (len(counts) > 1 and counts[1][0] == best):
        return None
    return found, f"lists {best} of block {found}'s compared systems"


def _name_words(system: str) -> frozenset[str]:
    """The words of a system's name that may tell it apart (three letters or more, set words
    such as "model" aside; commentary kept, a description after the name left out)."""
    name = (*_before_description(system), system)[0]
    return frozenset(
        w
        for w in system_key(name, keep_commentary=True).split()
        if len(w) > 2 and not w.isdigit() and w not in _NAME_WORDS
    )


def _variant_words(systems: Sequence[str]) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """
    The words (:func:`_name_words`) every one of ``systems`` has, and for each system those of
    its name no other system has (systems with none left out); ``(∅, {})`` for fewer than two
    systems or when they share no such word: they are then no variants of one method.
    """
    named = {system: _name_words(system) for system in dict.fromkeys(systems)}
    if len(named) < 2:
        return frozenset(), {}
    common = frozenset.intersection(*named.values())
    if not common:
        return frozenset(), {}
    return common, _own_words(named)


def _own_words(named: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """Each system's words no other system of ``named`` has (systems with none left out)."""
    own = {
        system: words.difference(*(v for s, v in named.items() if s != system))
        for system, words in named.items()
    }
    return {system: words for system, words in own.items() if words}


def distinguished_systems(name: str, systems: Sequence[str]) -> tuple[str, ...]:
    """
    The ones of a block's ``systems``, variants of one method (:func:`_variant_words`), whose
    own words (those of its name no other of ``systems`` has: ``shuffled`` of 001's "E6:
    E_best(shuffled depth)") a run's system ``name`` has, in ``systems``' order. An alias
    advised for a run pairs it with the one system it names so, never with another: "Best
    method + zero depth" is not "E_best(predicted depth)". Several when the name says words of
    several; none when it says none, or the systems share no word: then a word in common says
    little (006's "make_thesis_figures.py on composite" is no "S3 composite").
    """
    _, own = _variant_words(systems)
    words = frozenset(system_key(name, keep_commentary=True).split())
    return tuple(system for system, mine in own.items() if words & mine)


def _blocks(ids: Sequence[str]) -> str:
    """``block B1``, ``blocks B1, B4``: block ids in a sentence."""
    return f"block {ids[0]}" if len(ids) == 1 else f"blocks {', '.join(ids)}"


# Words many systems' names have, which tie a run to no block.
_NAME_WORDS = frozenset(
    {"the", "and", "with", "model", "method", "system", "baseline", "base", "full", "run"}
)
# Words that only say a name is the system itself, in full: "MART full" runs the plan's "MART".
_ITSELF = frozenset({"full", "complete", "default", "main", "final", "ours", "proposed", "完整"})


def _qualified(keys: set[str], systems: Sequence[str]) -> str:
    """
    The one of a block's ``systems`` (the block chosen by other evidence) that the run's name
    names once words saying "the system itself, in full" are set aside on both sides (039's
    R003 "MART full", placed in B1 by its milestone, runs B1's "MART"); ``""`` when none or
    several do. Only within the block: across blocks "MART full" is B2's "完整 MART" as much.
    """
    bare = {" ".join(w for w in key.split() if w not in _ITSELF) for key in keys}
    bare.discard("")
    found = {
        system
        for system in systems
        if " ".join(w for w in system_key(system).split() if w not in _ITSELF) in bare
    }
    return found.pop() if len(found) == 1 else ""


def _named_by_goal(milestone: Milestone, plan: Plan) -> tuple[str, str] | None:
    """
    The one block whose title holds every word of the milestone's name or goal (009's M4
    "Policy readiness" is "Block 4: Policy Readiness Check"), with why; ``None`` otherwise.
    Words are compared whole (a plural's ``s`` aside), so "Train" never names "Training
    dynamics".
    """
    for text in (milestone.name, milestone.goal):
        words = [_singular(w) for w in system_key(text).split()]
        if not words:
            continue
        found = [
            block.id
            for block in plan.blocks
            if set(words) <= {_singular(w) for w in system_key(block.title).split()}
        ]
        if not found and len(words) == 1 and len(words[0]) >= 2 and _CJK_WORD.fullmatch(words[0]):
            # 039's M4 "稳健性" is B4 "稳健性与失败分析": Chinese writes no spaces, so the
            # milestone's one word is the head of the title's first word, not a word of it.
            found = [
                block.id
                for block in plan.blocks
                if system_key(block.title).split()[:1]
                and system_key(block.title).split()[0].startswith(words[0])
            ]
        if len(found) == 1:
            title = next(b.title for b in plan.blocks if b.id == found[0])
            return found[0], f"{text.strip()!r}, is named in block {found[0]}'s title {title!r}"
    return None


def _titled_by(purpose: str, plan: Plan, among: Sequence[str]) -> tuple[str, str] | None:
    """
    The one block of ``among`` whose title, or the title's head before a dash or colon, is
    ``purpose`` word for word (case, punctuation and a plural's ``s`` aside), with that title;
    ``None`` when none or several are. The whole Purpose must be the title's head: "simplicity
    check" names "Simplicity Check — One-sided first is enough" (002's B4), never a Purpose that
    only shares words with a title.
    """
    wanted = [_singular(w) for w in system_key(purpose).split()]
    if not wanted:
        return None
    found = [
        block
        for block in plan.blocks
        if block.id in among
        and any(
            [_singular(w) for w in system_key(head).split()] == wanted
            for head in {block.title, _TITLE_HEAD.split(block.title, maxsplit=1)[0]}
        )
    ]
    return (found[0].id, found[0].title) if len(found) == 1 else None


# Where a block title's head ends: "Simplicity Check — One-sided first is enough",
# "Main Anchor: Claim 1 Main Table".
_TITLE_HEAD = lazy(r"\s+[—–-]\s+|\s*[:：]\s*")


# A word of Chinese characters only.
_CJK_WORD = lazy(r"[\u4e00-\u9fff]+")


# A milestone or block id made of a letter prefix and a number: "M1.5", "B1.5", "E2".
_NUMBERED_ID = lazy(r"([A-Za-z]+)(\d{1,2}(?:\.\d{1,2})?)")


def _numbered_alike(milestones: Sequence[str], plan: Plan) -> dict[str, str]:
    """
    Each of ``milestones`` (milestones the plan does not define: only the tracker's Milestone
    cells name them) → the one block with its number under another letter, when they form a
    scheme: two at least, and every one with a number has such a block. 027's tracker runs
    M1.5, M2, M3 and M4 against the plan's sections "B1.5: … JiT V-Loss Comparator" (R-L3-V,
    its comparator), "B2: Architecture Isolation" (R-A1…R-A4, its compute controls) and so
    on, with no run order of its own. A lone M1 beside a B1 is no scheme, and a milestone the
    plan defines says what it runs, so its number alone says nothing (the quickstart's M1 is a
    baseline, its B1 the main result).
    """
    found: dict[str, str] = {}
    blocks = {b.id for b in plan.blocks}
    for milestone in milestones:
        own = _NUMBERED_ID.fullmatch(milestone)
        if own is None or milestone in blocks:  # 027's "B0" cells name the block itself
            continue
        same = [
            block.id
            for block in plan.blocks
            if (other := _NUMBERED_ID.fullmatch(block.id)) is not None
            and other.group(2) == own.group(2)
            and other.group(1).casefold() != own.group(1).casefold()
        ]
        if len(same) != 1:
            return {}
        found[milestone] = same[0]
    return found if len(found) >= 2 else {}


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


# A block id opening a Purpose cell, before its title or a colon ("B6 Adversarial …", "B2: …").
# A run id opening an item of a list or checklist in a block's section: "- [ ] R030: …",
# "- [x] **R034a** — …", "1. **R001** …". An id mentioned inside an item's prose is not listed.
_LISTED_RUN = lazy(
    r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[[ xX~/-]\][ \t]+)?[*`_]{0,2}"
    r"([A-Za-z][\w.-]*\d[\w-]*?)[*`_]{0,2}(?=[ \t]*(?:[:：—–(（]|-[ \t]|[ \t]|$))",
    re.MULTILINE,
)
# A run id opening a line of a plain list, its description after two or more spaces (027's
# "Runs:" block: "R-L2  semantic-weighted MSE   200K, GPU 0-3").
_RUN_LINE = lazy(r"^[ \t]*([A-Za-z][\w.-]*\d[\w-]*?)(?=[ \t]{2,}\S|\t+\S)", re.MULTILINE)
_OPENING_ID = lazy(r"\W*(B\d{1,2}(?:\.\d)?|Block\s+\d{1,2})(?=[\s:：—-]|$)")
# A claim or arm label opening a Purpose cell: "C2 ", "H1: ", "A2 ".
_PURPOSE_LABEL = lazy(r"^\s*[A-Z]\d{1,2}[a-z]?\s*[:：]?\s+")

# Commentary that opens by taking a part away: "(without Sobel)", "(w/o gate)", "(no scaling)";
# not one that only mentions a "no" ("(Class A primitives return no-tuples)").
_TAKES_AWAY = lazy(
    r"^[(（]\s*(?:w/o\b|without\b|no\b|minus\b|except\b|not\b|去掉|去除|不含|不带|无)",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=4096)  # pure; asked for every run × compared system
def _takes_away(name: str) -> bool:
    """
    Whether a name's parenthesised commentary takes a part away (``(without Sobel)``,
    ``(w/o gate)``); a setting (``(w=0.5)``) or an addition (``(w/ Sobel)``) does not.
    """
    return any(
        _TAKES_AWAY.search(note)
        for note in _COMMENTARY.findall(unicodedata.normalize("NFKC", name))
    )


# Words after a system's name in a Purpose that add to the system ("Llama-3-8B with retrieval").
_ADDING = frozenset({"with", "plus", "and", "using", "via", "w", "add", "adding"})
# A Purpose saying the run checks the pipeline rather than measures a system: "Sanity: …",
# "Smoke test on dog", "overfit on 100 items", 冒烟测试; not "Smoke detection" or "Overfitting
# regime".
_SANITY_PURPOSE = lazy(
    r"\W{0,3}(?:(?:sanity|smoke)(?:[\s-]*(?:checks?|tests?|runs?))?\s*[:：]"
    r"|(?:sanity|smoke)[\s-]+(?:checks?|tests?|runs?)\b|overfit\s+(?:on|to)\b"
    r"|冒烟|健全性)",
    re.IGNORECASE,
)
# A Purpose saying the run reviews results rather than produces them: "Claim-1 gate
# cross-review", "Reviewer cross-read of Table 1", 结果评审; not "review" inside a word.
_REVIEW_PURPOSE = lazy(
    r"(?<![\w-])(?:cross[\s-]?)?(?:review(?:s|ed|ing)?|cross[\s-]?read(?:s|ing)?)(?![\w-])"
    r"|评审|审阅|审稿",
    re.IGNORECASE,
)
_COINED = lazy(r"\d|\w_\w|\w-\w")


def _coined(name: str) -> bool:
    """
    Whether a system's name, its commentary left out, is one the plan coined (``A3-baseline``,
    ``no_sem_gate``, ``A0``: a digit, or words joined by ``_`` or ``-``) rather than words a
    task description may begin with too (``classifier``, ``LLM judge``).
    """
    text = _MARKUP.sub("", unicodedata.normalize("NFKC", name))
    previous = None
    while previous != text:
        previous = text
        text = _COMMENTARY.sub(" ", text)
    return bool(_COINED.search(text))


def system_table(name: str, systems: Mapping[str, SystemConfig]) -> SystemConfig | None:
    """
    The ``[systems."X"]`` table for a system: by exact name, then ignoring case and
    punctuation (``raw-centroid`` finds ``RawCentroid``), then by one of its aliases compared the
    same way. Parenthesised words count here: they pick the command, and
    ``X (no feature scaling)`` must never run ``X``'s.

    Args:
        name: the run's system as written.
        systems: the configured systems.

    Returns:
        The matching table, or None.
    """
    if name in systems:
        return systems[name]
    folded = _fold(name)
    if not folded:
        return None
    for table in systems.values():
        if _fold(table.name) == folded:
            return table
    for table in systems.values():
        if folded in {_fold(a) for a in table.aliases}:
            return table
    return None


def _fold(name: str) -> str:
    name = _MARKUP.sub("", unicodedata.normalize("NFKC", name))
    return re.sub(r"[\W_]+", "", name).casefold()
