"""
A tracker run table that lists one block's runs, added to 033 after bridge proposed its runs
from the plan (its tracker has no run table; trial t14): the table adds its rows; the other
blocks keep their proposed runs, their ids, milestones and ``[[runs]]`` entries, in
`bridge plan` as in `bridge run`; removing the table gives every run its id back.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bridge import Bridge, Stage
from bridge.cli import main
from bridge.machine.stages import RunState
from bridge.projections.failure_words import split_in_language, unproposed, unproposed_reason
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

# E2's command fails unless its `[[runs]]` entry's fix (FIXED=1) reaches it: a run of E2 that
# lost the entry fails.
_JOB = """\
import json, os, pathlib, sys
block, out = sys.argv[1], pathlib.Path(sys.argv[2])
if block == "E2" and os.environ.get("FIXED") != "1":
    sys.exit("E2 needs --fixed")
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"success_rate": 0.7, "net": 1}))
"""

_FIX = '\n[[runs]]\nid = "R002"\nenv = { FIXED = "1" }\n'

# The run-order table of the trial's copy (EXPERIMENT_PLAN.md:225): E6 is in M2.
_ORDER = """\
## Run Order and Timeline

| Milestone | Goal | Runs |
|---|---|---|
| M0 | Sim validation + PCA check (Week 1) | E1, E2 |
| M1 | Hardware setup + alignment (Week 2) | E3, E4 |
| M2 | Real-robot eval (Week 3) — main result | E5, E6 |
"""

# The table the trial's researcher added, as bridge's warning on E6's ablation table advised.
_TABLE = """\
## Ablation runs (real robot, Exp 6)

| Run ID | Block | System | Seed | Status | Notes |
|---|---|---|---|---|---|
| A-YAW | E6 | ORFN-yaw only | 0 | TODO | 5 trials Scissors |
| A-H | E6 | ORFN-H only | 0 | TODO | 5 trials Scissors |

"""


def _project(root: Path) -> Path:
    project = as_project("033", root)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    # Two seeds per object (E5: R005-R008) keep the runs few; E6's run is R009.
    seeds = next(line for line in text.splitlines() if line.startswith("- Seeds: "))
    text = text.replace(seeds, "- Seeds: 2 per object = 6 trials total")
    text = text.replace("## Run Order and Timeline\n", _ORDER, 1)
    plan.write_text(text, encoding="utf-8")
    (project / "job.py").write_text(_JOB, encoding="utf-8")
    words = (sys.executable, "job.py", "{block}", "{output_dir}", "{seed}")
    command = ", ".join(f'"{t}"' for t in words)
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 4\n\n"
        f'[run]\ncommand = [{command}]\nargs = {{ seed = "0" }}\n' + _FIX,
        encoding="utf-8",
    )
    return project


def _table(project: Path, *, add: bool) -> None:
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    week4 = "## Week 4 — Analysis + Writing"
    if add:
        text = text.replace(week4, _TABLE + week4, 1)
    else:
        start = text.index("## Ablation runs (real robot, Exp 6)")
        text = text[:start] + text[text.index(week4) :]
    tracker.write_text(text, encoding="utf-8")


def _run(project: Path) -> dict[str, tuple[str, str, RunState, int]]:
    """`bridge run` (approving once): each run's block, milestone, state and attempt count."""
    bridge = Bridge(project)
    try:
        if bridge.run() is Stage.AWAITING_APPROVAL:
            bridge.approve()
        assert bridge.run() is Stage.COLLECTED
        runs = bridge.status().runs
    finally:
        bridge.close()
    return {
        r.run_id: (r.spec.block, r.spec.milestone, r.state, len(r.attempts)) for r in runs.values()
    }


def _plan(project: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["plan", "--project", str(project)]) == 0
    return capsys.readouterr().out


@needs_shared
def test_033_a_table_for_one_block_keeps_the_other_blocks_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """033 run from its proposed runs (R002's failing command fixed by a `[[runs]]` entry),
    then a two-row table for E6 added to the tracker: `bridge plan` showed 3 runs "from
    tracker" while `bridge run` kept the proposed ones, R002 lost its block and milestone,
    A-YAW and A-H had no milestone; the table removed, R002's run came back as R032, its
    result discarded as "the plan no longer proposes R002 (block )", its entry applying to
    nothing. Now the other blocks keep their runs, ids and entries throughout."""
    project = _project(tmp_path / "p")
    first = _run(project)
    assert first["R002"] == ("E2", "M0", RunState.SUCCEEDED, 1)
    assert first["R009"][:2] == ("E6", "M2")
    assert all(state is RunState.SUCCEEDED for _, _, state, _ in first.values())

    _table(project, add=True)
    shown = _plan(project, capsys)
    assert "runs from tracker + proposed" in shown
    assert "  runs:      R002 (sanity)\n" in shown
    assert "  runs:      ORFN-yaw only: A-YAW; ORFN-H only: A-H\n" in shown
    assert (
        "the tracker's run rows name block E6 only: blocks E1, E2, E3, E4 and E5 keep the runs "
        "proposed from the plan (8 runs)"
    ) in shown
    with_table = _run(project)
    # Every earlier run as it was, not re-run; the rows run in E6's milestone.
    for run_id in (f"R{n:03d}" for n in range(1, 9)):
        assert with_table[run_id] == first[run_id], run_id
    assert with_table["A-YAW"] == ("E6", "M2", RunState.SUCCEEDED, 1)
    assert with_table["A-H"] == ("E6", "M2", RunState.SUCCEEDED, 1)

    _table(project, add=False)
    shown = _plan(project, capsys)
    assert "(block )" not in shown
    assert "R010" not in shown  # no new id for a run proposed before
    assert "  runs:      R002 (sanity)\n" in shown
    without = _run(project)
    for run_id in (f"R{n:03d}" for n in range(1, 10)):
        assert without[run_id][:3] == first[run_id][:3], run_id
    assert without["R002"][3] == 1  # not re-run
    assert not any(run_id.startswith("R") and run_id > "R009" for run_id in without)
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "(block )" not in results


def test_a_proposed_run_of_no_block_is_said_so() -> None:
    """A run an older bridge relabelled to no block (033's R002, trial t14), set aside once the
    plan proposed it no more: its reason read "(block )", and, unmatched as bridge's own, the
    summary called it "out of scope in the tracker". Now "(no block)", and known as bridge's."""
    reason = unproposed_reason("R002", "", None, ran=True)
    assert reason == (
        "the plan no longer proposes R002 (no block); its result is kept in the log, not counted"
    )
    assert unproposed(reason)
    said = split_in_language(reason, "zh")
    assert said == "计划不再提出 R002（无实验块）；其结果保留在日志中，不计入"
