"""
What a block's text states of its runs beyond what bridge proposes for it: a total of trials
larger than its proposed runs, a count per something that is not a system (``10 per object``),
systems written in a line of ``vs`` with no Compared systems field, a ``Predict:`` line with no
Success criterion. Each is a warning at the line that states it; nothing here adds or drops a
run (033's E5 and E6 and 034's A1 became fewer runs than the plan says, in silence).
"""

from __future__ import annotations

import re

from bridge.plan.model import Block, PlanWarning

__all__ = ["stated_beyond_runs"]

# "= 30 trials total", "Total: 15 additional real-robot trials", "40 runs in total".
_TOTAL = re.compile(
    r"(?:=\s*|\btotal\s*(?:of\s*)?[:：]?\s*)(?P<n>\d+)\s+(?:[\w-]+\s+){0,2}?"
    r"(?P<what>trials|runs|episodes|rollouts)\b"
    r"|(?P<n2>\d+)\s+(?P<what2>trials|runs|episodes|rollouts)\s+(?:in\s+)?total\b",
    re.IGNORECASE,
)
# "Seeds: 10 per object": a count per something that is not one of the systems runs are
# proposed for (a system, arm, method, variant, config, model).
_PER_OTHER = re.compile(
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
_VERSUS_LINE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?P<line>[^:|：]{1,80}?\s+vs\.?\s+[^:|：]{1,80}?)\s*\.?\s*$", re.IGNORECASE
)
# "Predict: …", "Prediction: …", "Expected outcome: …": what the block should show, written
# under a label the reader does not take for its Success criterion.
_PREDICTION = re.compile(
    r"^\s*(?:[-*+]\s+)?[*_]*(?P<label>predict(?:ions?|ed)?|expected(?:\s+(?:outcome|result)s?)?|"
    r"hypothes[ie]s)[*_]*\s*[:：]",
    re.IGNORECASE,
)


def _runs(count: int) -> str:
    """The noun for ``count`` runs."""
    return "run" if count == 1 else "runs"


def stated_beyond_runs(block: Block, proposed: int) -> list[PlanWarning]:
    """
    The warnings for ``block`` whose runs bridge proposes from the plan (``proposed`` of them,
    its compared systems × its seeds): each line of its text stating more than those runs
    cover, at that line. Empty when the text states nothing beyond them.
    """
    warnings: list[PlanWarning] = []
    lines = block.text.splitlines()

    def at(index: int, message: str) -> None:
        first = block.text_line or block.line + 1
        warnings.append(PlanWarning(file=block.file, line=first + index, message=message))

    for index, text in enumerate(lines):
        if text.lstrip().startswith("|"):
            continue  # a table's cells ("5 trials Scissors") are counted by the table's warning
        total = _TOTAL.search(text)
        if total is not None:
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
            if versus is not None and not _PREDICTION.match(text):
                named = " ".join(versus["line"].split())
                at(
                    index,
                    f"block {block.id} lists no Compared systems, but a line names several "
                    f"('{named}'): bridge proposes {proposed} {_runs(proposed)} for the block, "
                    "not one per system; write them as the block's Compared systems to run each",
                )
                break
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
