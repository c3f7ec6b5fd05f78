"""
What a block's text states of its runs beyond what bridge proposes for it: a total of trials
or runs larger than its proposed runs, a count per something that is not a system (``10 per
object``), systems written in a line of ``vs`` with no Compared systems field, a ``Predict:``
line with no Success criterion. Each is a warning at the line that states it; nothing here adds
or drops a run (033's E5 and E6 and 034's A1 became fewer runs than the plan says, in silence).

Only what is a run is counted: episodes, rollouts or samples evaluated inside one run are none
("a total of 100 episodes per seed"), nor is a count stated per seed, run or system. A ``vs``
line is read as systems only when something says they are ("(baseline)", "(ours)", or two
names the plan's blocks or the tracker use for systems or runs), and never when it opens with a
verb that shows or compares ("Plot success rate vs training steps.").
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bridge.lazy_patterns import lazy
from bridge.plan.model import Block, PlanWarning
from bridge.plan.quantities import COUNT_WORDS
from bridge.plan.vocabulary import VERSUS

__all__ = ["COUNTED", "stated_beyond_runs"]

#: The nouns a total counts runs in: a trial, a run or a seed is one run each (033's real-robot
#: trials). Episodes, rollouts, samples or examples are counted inside one run, never here.
COUNTED = ("trials", "runs", "seeds")
_COUNTED = "|".join(COUNTED)
# "= 30 trials total", "Total: 15 additional real-robot trials", "40 runs in total".
_TOTAL = lazy(
    r"(?:=\s*|\btotal\s*(?:of\s*)?[:：]?\s*)(?P<n>\d+)\s+(?:[\w-]+\s+){0,2}?"
    rf"(?P<what>{_COUNTED})\b"
    rf"|(?P<n2>\d+)\s+(?P<what2>{_COUNTED})\s+(?:in\s+)?total\b",
    re.IGNORECASE,
)
# "… 100 trials per seed", "12 runs for each system": a count of one seed's, run's or
# system's share, no total of the block's runs.
_PER_SHARE = lazy(
    r"^\s*(?:in\s+total\s+|total\s+)?(?:per|for\s+(?:each|every)|each|every|/)\s+"
    r"(?:seed|run|system|episode|method|arm|variant|config(?:uration)?|model|policy|baseline|"
    r"condition)s?\b",
    re.IGNORECASE,
)
# "Seeds: 10 per object": a count per something that is not one of the systems runs are
# proposed for (a system, arm, method, variant, config, model).
_PER_OTHER = lazy(
    r"\b(?P<n>\d+)\s+(?:seeds?\s+|trials?\s+|runs?\s+|episodes?\s+)?per\s+(?P<what>[a-z][\w-]*)",
    re.IGNORECASE,
)
_PER_SYSTEM = frozenset(
    {
        "system", "systems", "arm", "arms", "method", "methods", "variant", "variants", "config",
        "configs", "configuration", "model", "models", "baseline", "condition", "seed", "run",
        "block", "gpu", "hour", "day", "step", "epoch", "second", "minute",
    }
)  # fmt: skip
# "Raw logit-lens vs tuned-lens vs random-affine-lens (baseline).": systems in one line.
_VERSUS_LINE = lazy(
    r"^\s*(?:[-*+]\s+)?(?P<line>[^:|：]{1,80}?\s+vs\.?\s+[^:|：]{1,80}?)\s*\.?\s*$", re.IGNORECASE
)
# A role written beside a name says it is a system: "random-affine-lens (baseline)".
_SYSTEM_MARK = lazy(
    r"\((?:the\s+)?(?:baselines?|ours|our\s+method|proposed|control|reference|oracle)\)",
    re.IGNORECASE,
)
# A line that shows or compares quantities, not one naming what to run: "Plot success rate vs
# training steps.", "Report accuracy vs model size".
_SHOWS = lazy(
    r"^\s*(?:[-*+]\s+)?[*_]*(?:plot|report|compare|show|visuali[sz]e|chart|graph|draw|tabulate|"
    r"track|log|measure|analy[sz]e|record|examine|study|inspect)\b",
    re.IGNORECASE,
)
# "Predict: …", "Prediction: …", "Expected outcome: …": what the block should show, written
# under a label the reader does not take for its Success criterion.
_PREDICTION = lazy(
    r"^\s*(?:[-*+]\s+)?[*_]*(?P<label>predict(?:ions?|ed)?|expected(?:\s+(?:outcome|result)s?)?|"
    r"hypothes[ie]s)[*_]*\s*[:：]",
    re.IGNORECASE,
)


def _runs(count: int) -> str:
    """The noun for ``count`` runs."""
    return "run" if count == 1 else "runs"


def _words(text: str) -> str:
    """``text`` lowercased, its markup and punctuation spaces: what names are compared by."""
    return " ".join(re.sub(r"[^\w.+-]+", " ", text.lower()).split())


def _name_forms(name: str) -> set[str]:
    """
    The forms a system or run name is recognised by: as written, without a note in brackets
    (001's "E2: Standard LoRA r=102 (non-depth PEFT, …)") and without a leading id (``E2:``).
    """
    bare = name.split("(")[0]
    forms = {name, bare, re.sub(r"^\s*[\w.-]{1,8}\s*[:：]\s*", "", bare)}
    return {w for f in forms if len(w := _words(f)) >= 2}


def _names_systems(items: list[str], known: Collection[str]) -> bool:
    """
    Whether a ``vs`` line's ``items`` are systems: one carries a role ("(baseline)"), or two
    are names of systems or runs ``known`` to the plan or the tracker (an item equal to such a
    name, or holding it as whole words).
    """
    if any(_SYSTEM_MARK.search(item) for item in items):
        return True
    forms = {form for name in known for form in _name_forms(name)}
    named = 0
    for item in items:
        said = f" {_words(item.split('(')[0])} "
        if any(f" {form} " in said for form in forms):
            named += 1
    return named >= 2


# A count of arms: "6-arm", "6 arms", "six-arm".
_ARMS = lazy(
    r"\b(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)[- ]arms?\b", re.IGNORECASE
)
# A parenthesised list: "(random, even-odd, NeuroTAP-style, …)".
_PARENTHESISED = lazy(r"\(([^()]{3,300})\)")


def _arms_stated(block: Block, first: int) -> tuple[int, str, int] | None:
    """
    Where ``block`` (heading first, then its text, whose first line is ``first``) states a
    count of arms of two or more (015's "### B3 — Main 6-arm thermal comparison"): the line,
    the words as written and the count; ``None`` when it states none.
    """
    places = [(block.line, block.heading)] + [
        (first + k, text) for k, text in enumerate(block.text.splitlines())
    ]
    for line, text in places:
        found = _ARMS.search(text)
        if found is None:
            continue
        word = found["n"].lower()
        count = int(word) if word.isdigit() else COUNT_WORDS[word]
        if count >= 2:
            return line, found[0], count
    return None


def _listed_arms(lines: list[str], count: int) -> tuple[int, str] | None:
    """The first parenthesised list of exactly ``count`` comma-separated items in ``lines``
    (015's B3 Method "(random, even-odd, NeuroTAP-style, Stratum-style, TACG-port, TACE)"),
    with its line's index; ``None`` when no line has one."""
    for index, text in enumerate(lines):
        for found in _PARENTHESISED.finditer(text):
            items = [i.strip() for i in found[1].split(",")]
            if len(items) == count and all(items):
                return index, ", ".join(items)
    return None


def stated_beyond_runs(
    block: Block, proposed: int, known: Collection[str] = ()
) -> list[PlanWarning]:
    """
    The warnings for ``block`` whose runs bridge proposes from the plan (``proposed`` of them,
    its compared systems × its seeds): each line of its text stating more than those runs
    cover, at that line. Empty when the text states nothing beyond them.

    A total counts only trials, runs or seeds (:data:`COUNTED`), and not one stated per seed,
    run or system. A ``vs`` line in a block with no Compared systems is warned of only when
    its items are systems: a role marks one (``(baseline)``, ``(ours)``), or two are among
    ``known``, the names of systems and runs the plan's blocks and the tracker use; a line
    opening with a verb that shows or compares (Plot, Report, Compare, Show, Visualize …) is
    never one. A block with no Compared systems whose heading or text states a count of arms
    ("6-arm") is warned of at that line, with the parenthesised list of that many items its
    text gives, if any (015's B3): the arms are not read from prose, so the one run proposed
    stands for none of them.
    """
    warnings: list[PlanWarning] = []
    lines = block.text.splitlines()
    first = block.text_line or block.line + 1  # the line of the text's first line

    def at(index: int, message: str) -> None:
        warnings.append(PlanWarning(file=block.file, line=first + index, message=message))

    for index, text in enumerate(lines):
        if text.lstrip().startswith("|"):
            continue  # a table's cells ("5 trials Scissors") are counted by the table's warning
        total = _TOTAL.search(text)
        if total is not None and not _PER_SHARE.match(text[total.end() :]):
            stated = int(total["n"] or total["n2"])
            what = (total["what"] or total["what2"]).lower()
            if stated > proposed:
                per = next(
                    (p for p in _PER_OTHER.finditer(text) if p["what"].lower() not in _PER_SYSTEM),
                    None,
                )
                dimension = (
                    ""
                    if per is None
                    else f"; '{per['n']} per {per['what']}' is read as {per['n']} seeds per "
                    f"system: bridge proposes no run per {per['what']}, so each run must cover "
                    f"every {per['what']}"
                )
                at(
                    index,
                    f"block {block.id} states {stated} {what} but bridge proposes {proposed} "
                    f"{_runs(proposed)} for it{dimension}; list the runs in the tracker or "
                    "[[runs]] entries to run them all",
                )
    if not block.systems:
        for index, text in enumerate(lines):
            versus = _VERSUS_LINE.match(text)
            if (
                versus is None
                or _PREDICTION.match(text)
                or _SHOWS.match(text)
                or not _names_systems(VERSUS.split(versus["line"]), known)
            ):
                continue
            named = " ".join(versus["line"].split())
            at(
                index,
                f"block {block.id} lists no Compared systems, but a line names several "
                f"('{named}'): bridge proposes {proposed} {_runs(proposed)} for the block, "
                "not one per system; write them as the block's Compared systems to run each",
            )
            break
    if not block.systems and (arms := _arms_stated(block, first)) is not None:
        at_line, said, count = arms
        listed = _listed_arms(lines, count)
        shown = (
            f"; its text lists them ('{listed[1]}', line {first + listed[0]})"
            if listed is not None
            else ""
        )
        warnings.append(
            PlanWarning(
                file=block.file,
                line=at_line,
                message=f"block {block.id} says '{said}' but lists no Compared systems: bridge "
                f"proposes {proposed} {_runs(proposed)} for the block with no system, not one "
                f"per arm{shown}; write them as the block's Compared systems to run each",
            )
        )
    if not block.success_criterion.strip():
        for index, text in enumerate(lines):
            prediction = _PREDICTION.match(text)
            if prediction is not None:
                at(
                    index,
                    f"block {block.id} writes no Success criterion; its "
                    f"'{prediction['label']}:' line is not read as one, so the results will "
                    "not judge it: label it 'Success criterion:' to have it judged",
                )
                break
    return warnings
