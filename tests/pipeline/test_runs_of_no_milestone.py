"""
Runs of no milestone are shown with why none can be told (trial on 033: its 25 runs, E5's 20
seed runs among them, under "(no milestone)" with no word why; the plan has no milestones).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import needs_shared
from tests.plan.corpus import as_project, run_to_results

pytestmark = needs_shared

_JOB = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"success rate": 0.5, "net": -1}))
"""


def test_033s_runs_of_no_milestone_say_the_plan_has_none(tmp_path: Path) -> None:
    """033's plan has no run-order table, milestone headings or list (its "Week 1 …" timeline
    is a code block), so no run has a milestone: the results' "(no milestone)" section says
    so, where E5's seed runs are shown, and the blocks not met are named as such."""
    results = run_to_results(as_project("033", tmp_path), _JOB)
    section = results[results.index("### (no milestone)") :]
    assert section.startswith(
        "### (no milestone) (E1, E2, E3, E4, E5, E6)\n\n"
        "No milestone can be told for these runs: the plan has no milestones.\n\n"
        "| Run | System | Key Metric | Status |"
    ), section[:300]
    assert "| R015 | SO-ARM + LGGSN+ORFN (sim-trained, zero-shot) |" in section
    # E5's "net ≥ 0" is not met (net -1): with no main milestone it is said as a block not met,
    # not "outside the main milestone" there is none of, and on the console too, which said
    # only "Main result: inconclusive (the plan has no milestones …)" (trial h18E).
    assert "\n- **Must-run blocks not met:** E5\n" in results
    assert "outside the main milestone" not in results
    from bridge import Bridge
    from bridge.projections.summary import handoff_summary

    bridge = Bridge(tmp_path)
    try:
        summary = handoff_summary(bridge.status())
    finally:
        bridge.close()
    assert "`1. M0: …`))). Must-run blocks not met: E5.\n" in summary, summary


def test_033s_status_bar_of_no_milestone_says_the_plan_has_none(tmp_path: Path) -> None:
    """`bridge status` showed 033's bar as "(no milestone) ╺╺╺ 0/25 ok" with no word why, where
    `bridge plan`'s milestone table says "the plan has none": the bar says it too."""
    from bridge import Bridge
    from bridge.cli.console import status_lines

    bridge = Bridge(as_project("033", tmp_path))
    try:
        bridge.advance()  # no command: blocked, every run still to run
        lines = status_lines(bridge.status(), width=120)
    finally:
        bridge.close()
    (bar,) = [line for line in lines if line.startswith("(no milestone) ")]
    assert bar.endswith(" 0/25 ok; the plan has no milestones"), bar
