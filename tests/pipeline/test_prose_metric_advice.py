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
    collapse_attacked = baseline_J − attacked_J" }`, prose no criterion can name. They then said
    which recorded names the prose writes, and to list them as the block's metrics; the table
    now shows them, as its Metrics and its criterion (`collapse_attacked ≥ 0.20 abs`) write
    them out whole (h18G: 023's `ENS` inside Chinese prose), and no alias is advised."""
    root = as_project("005", tmp_path)
    results = run_to_results(root, _JOB, '"--out", "{output_dir}"')
    assert '"RECORDED NAME" = "per-clip exported J-drop. Compute' not in results
    b3 = results.split("### B3", 1)[1].split("\n### ", 1)[0]
    assert "| A3-attacked | J-drop | 0.5 | - | 1 | R007 |" in b3, b3
    assert "| A3-attacked | collapse_attacked | 0.3 | - | 1 | R007 |" in b3, b3
    assert "none matching the plan's metrics" not in b3, b3
