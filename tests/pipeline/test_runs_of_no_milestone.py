"""
Runs of no milestone are shown with why none can be told (trial on 033: its 25 runs, E5's 20
seed runs among them, under "(no milestone)" with no word why; the plan has no milestones).
The same run reads E1's per-object nets beside an alias written for E5 (trial h18E).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import needs_shared
from tests.plan.corpus import as_project, run_to_results

pytestmark = needs_shared

_JOB = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
net = {"Scissors": -1, "CrackerBox": 2, "aggregate": 3}
(out / "metrics.json").write_text(json.dumps({"success rate": 0.5, "net": net}))
"""
# E5's "net ≥ 0" found net recorded under several labels, and its verdict named the alias to
# write; this one says E5's net is the Scissors one.
_ALIAS = '[metrics]\naliases = { "net.Scissors" = "net" }\n'


def test_033s_runs_of_no_milestone_say_the_plan_has_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """033's plan has no run-order table, milestone headings or list (its "Week 1 …" timeline
    is a code block), so no run has a milestone: the results' "(no milestone)" section says
    so, where E5's seed runs are shown, and the blocks not met are named as such."""
    results = run_to_results(as_project("033", tmp_path), _JOB, config=_ALIAS)
    section = results[results.index("### (no milestone)") :]
    assert section.startswith(
        "### (no milestone) (E1, E2, E3, E4, E5, E6)\n\n"
        "No milestone can be told for these runs: the plan has no milestones.\n\n"
        "| Run | System | Key Metric | Status |"
    ), section[:300]
    assert "| R015 | SO-ARM + LGGSN+ORFN (sim-trained, zero-shot) |" in section
    # E1 and E5 are not met (CrackerBox net 2 < 3; net -1 < 0): with no main milestone they
    # are said as blocks not met, not "outside the main milestone" there is none of, and on
    # the console too, which said only "Main result: inconclusive (the plan has no milestones
    # …)" (trial h18E).
    assert "\n- **Must-run blocks not met:** E1, E5\n" in results
    assert "outside the main milestone" not in results
    from bridge import Bridge
    from bridge.projections.summary import handoff_summary

    bridge = Bridge(tmp_path)
    try:
        summary = handoff_summary(bridge.status())
    finally:
        bridge.close()
    assert "`1. M0: B1 …`))). Must-run blocks not met: E1, E5.\n" in summary, summary
    # E1's "CrackerBox net ≥ +3" and "Aggregate net ≥ +3" were read as plain "net" once the
    # alias made "net" a name the parser knows, and judged on net.Scissors (-1): clause 3 was
    # not met on a number that is not its own. Each is judged on its own net again.
    e1 = results[results.index("### E1:") : results.index("### E2:")]
    verdict = next(x for x in e1.splitlines() if x.startswith("- **Verdict:**"))
    assert "**not_met** (judged by rule) — clause 2 of 3 not met." in verdict, verdict
    assert "[1] met: «Scissors net ≥ −1 (vs current −4)» — net.Scissors: -1 (n=1)" in verdict
    assert "— net.CrackerBox: 2 (n=1); 2, required ≥ 3 → not met" in verdict
    assert "[3] met: «Aggregate net ≥ +3» — net.aggregate: 3 (n=1); 3 ≥ 3 → met" in verdict
    e5 = results[results.index("### E5:") : results.index("### E6:")]
    assert "[2] not met: «net ≥ 0» — net.Scissors: SO-ARM + LGGSN+ORFN" in e5
    # `bridge plan` reads E1 as the results do.
    from bridge.cli import main

    assert main(["plan", "--project", str(tmp_path)]) == 0
    shown = capsys.readouterr().out
    assert "2. the proposed system: CrackerBox net ≥ 3\n" in shown, shown
    assert "3. the proposed system: Aggregate net ≥ 3\n" in shown, shown


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
