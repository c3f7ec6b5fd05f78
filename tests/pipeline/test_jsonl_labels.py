"""
End to end on the real 033 plan (trial t10): a run that logs one JSON line per object is judged
on each object's numbers, as the same rows written as a CSV are.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import needs_shared
from tests.plan.corpus import as_project, run_to_results

# R001 (E1, the sim validation) logs one line per object, as the plan's own recording does
# (EXPERIMENT_PLAN.md:185-189); every other run writes a metrics.json.
_JOB = """\
import json, pathlib, sys
run, out = sys.argv[1], pathlib.Path(sys.argv[2])
if run == "R001":
    lines = [
        {"object": "Scissors", "net": -2},
        {"object": "CrackerBox", "net": 4},
        {"object": "Aggregate", "net": 5},
    ]
    (out / "history.jsonl").write_text("".join(json.dumps(x) + "\\n" for x in lines))
else:
    (out / "metrics.json").write_text(json.dumps({"success_rate": 0.6, "net": 1}))
"""


@needs_shared
def test_one_json_line_per_object_is_judged_per_object(tmp_path: Path) -> None:
    """R001's `history.jsonl` was read as `net = 5` (its last line, Aggregate's) with no note,
    and E1 read "metric 'Scissors net' not found in the block's runs (extracted: net)": each
    line is now its object's numbers, and E1 is judged on Scissors' −2."""
    project = as_project("033", tmp_path / "p")
    files = '[metrics]\nfiles = ["metrics.json", "history.jsonl"]\n'
    page = run_to_results(project, _JOB, config=files)
    results = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    (r001,) = [run for run in results["runs"] if run["run_id"] == "R001"]
    assert [(m["name"], m["value"]) for m in r001["metrics"]] == [
        ("net[Scissors]", -2.0),
        ("net[CrackerBox]", 4.0),
        ("net[Aggregate]", 5.0),
    ]
    assert r001["extraction_problems"] == []
    e1 = page[page.index("### E1:") : page.index("### E2:")]
    verdict = next(x for x in e1.splitlines() if x.startswith("- **Verdict:**"))
    assert "not found in the block's runs" not in verdict
    assert "**not_met** (judged by rule) — clause 1 of 3 not met." in verdict, verdict
    assert "[1] not met: «Scissors net ≥ −1 (vs current −4)»" in verdict
    assert "[2] met: «CrackerBox net ≥ +3" in verdict
    assert "[3] met: «Aggregate net ≥ +3»" in verdict


# E5's runs log one line per trial, as the plan's Recording prescribes (EXPERIMENT_PLAN.md:
# 188-191), one trial per object here; every other run writes a metrics.json.
_TRIALS = """\
import json, pathlib, sys
block, out = sys.argv[1], pathlib.Path(sys.argv[3])
if block == "E5":
    lines = [
        {"seed": 1, "object": "CrackerBox", "stage": 3, "success": True},
        {"seed": 1, "object": "MustardBottle", "stage": 3, "success": False},
        {"seed": 1, "object": "Scissors", "stage": 3, "success": True},
    ]
    (out / "trials.jsonl").write_text("".join(json.dumps(x) + "\\n" for x in lines))
else:
    (out / "metrics.json").write_text(json.dumps({"success_rate": 0.6, "net": 1}))
"""


@needs_shared
def test_a_rate_over_trials_is_never_advised_as_one_objects_value(tmp_path: Path) -> None:
    """033's E5 runs log one JSON line per trial (`{"seed": 1, "object": "CrackerBox",
    "stage": 3, "success": true}`), read as `success[CrackerBox]`, …; the block advised
    `[metrics] aliases = { "success[CrackerBox]" = "success rate" }`, which judged the success
    rate on one CrackerBox trial (trial t11). The note says the runs record `success` per object
    and how to have the rate read instead."""
    project = as_project("033", tmp_path / "p")
    config = 'args = { seed = "0" }\n\n[metrics]\nfiles = ["metrics.json", "trials.jsonl"]\n'
    page = run_to_results(project, _TRIALS, '"{block}", "{seed}", "{output_dir}"', config)
    e5 = " ".join(page[page.index("### E5:") : page.index("### E6:")].split())
    assert '= "success rate"' not in e5, e5
    assert (
        "The runs record `success` per object (`success[CrackerBox]`, `success[MustardBottle]`, "
        "`success[Scissors]`), one value of each, not the plan's `success rate` over them: an "
        "alias would judge it on one object's value. bridge does not pool labelled values into "
        "a rate: have the run write the rate over its trials as a number (`success_rate` in "
        "metrics.json), which is read as `success rate`."
    ) in e5, e5
