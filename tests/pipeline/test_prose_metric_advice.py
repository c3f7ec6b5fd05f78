"""
The alias advice of a block whose Metrics line is prose, run to the end on 005's real plan: the
advice names a metric name, never a fragment of the prose split at its commas.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import needs_shared
from tests.plan.corpus import as_project, run_to_results

# Every run records the two names 005's B3 runs write (trial t7).
_JOB = """\
import json, os, sys
out = sys.argv[sys.argv.index("--out") + 1]
os.makedirs(out, exist_ok=True)
json.dump({"J-drop": 0.5, "collapse_attacked": 0.3}, open(os.path.join(out, "metrics.json"), "w"))
"""


@needs_shared
def test_005s_prose_metrics_line_is_advised_by_the_names_it_writes(tmp_path: Path) -> None:
    """005's B3 (plan:100) writes «per-clip exported J-drop. Compute `collapse_attacked =
    baseline_J − attacked_J` and …»; the runs recorded `J-drop` and `collapse_attacked`, and the
    results advised `aliases = { "RECORDED NAME" = "per-clip exported J-drop. Compute
    collapse_attacked = baseline_J − attacked_J" }`, prose no criterion can name. They now say
    which recorded names the prose writes, and to list them as the block's metrics."""
    root = as_project("005", tmp_path)
    results = run_to_results(root, _JOB, '"--out", "{output_dir}"')
    assert '"RECORDED NAME" = "per-clip exported J-drop. Compute' not in results
    assert (
        "The plan's Metrics write `J-drop`, `collapse_attacked` inside prose, which bridge does "
        "not read as metric names: list them as the block's metrics "
        "(`- **Metrics**: J-drop, collapse_attacked`), or name one in the success criterion."
    ) in results, results
