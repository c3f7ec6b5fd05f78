"""
The alias advice of a block whose metrics name statistics, run to the end on 005's real plan:
a statistic (mean, median, win count) is no metric's name, and the advice never proposes one.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import needs_shared
from tests.plan.corpus import as_project, run_to_results

# Every run records one name, which none of B2's metrics is.
_JOB = """\
import json, os, sys
out = sys.argv[sys.argv.index("--out") + 1]
os.makedirs(out, exist_ok=True)
json.dump({"mean lift": 0.01}, open(os.path.join(out, "metrics.json"), "w"))
"""


def _run(root: Path) -> str:
    """Run the 005 copy at ``root`` to the end with :data:`_JOB`; its EXPERIMENT_RESULTS.md."""
    return run_to_results(root, _JOB, '"--out", "{output_dir}"')


@needs_shared
def test_005s_b2_is_not_advised_a_statistic_as_its_metric(tmp_path: Path) -> None:
    """005's B2 (plan:83) writes «per-clip exported J-drop paired; mean / median / win count»
    and its criterion «… median >0»; the runs recorded `mean lift`, and the results advised
    `[metrics] aliases = { "RECORDED NAME" = "median" }` (trial t12): a statistic, not a
    metric. The advice now names the metric the block measures, and lists no statistic among
    the plan's metrics."""
    root = as_project("005", tmp_path)
    results = _run(root)
    assert '= "median" }' not in results, results
    assert (
        "1 metric name was recorded, none matching the plan's metrics "
        "(`per-clip exported J-drop paired`): `mean lift`. If one of them is the plan's metric, "
        'add `[metrics] aliases = { "RECORDED NAME" = "per-clip exported J-drop paired" }`'
    ) in results, results


@needs_shared
def test_005s_must_run_block_with_no_run_is_said_beside_the_count(tmp_path: Path) -> None:
    """005's B5 "d_mem(t) persistence trace" is MUST-RUN; with its one run's row (R009) gone
    from the tracker it has no run, and the summary read "Must-run completed: 11/11" with no
    word of it (trial t12). The count now says so, in the results and the summary."""
    root = as_project("005", tmp_path)
    tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
    rows = tracker.read_text(encoding="utf-8").splitlines(keepends=True)
    tracker.write_text("".join(r for r in rows if "**R009**" not in r), encoding="utf-8")
    results = _run(root)
    line = next(x for x in results.splitlines() if x.startswith("- **Must-run completed:**"))
    assert line.endswith("must-run block B5 has no run)"), line
