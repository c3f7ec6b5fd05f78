"""
The main result as the summaries say it, on a real plan run to the end.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bridge.machine.stages import Stage
from bridge.pipeline import Bridge
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

# What each of 015's runs writes (the trial's numbers): B6's R006 a median gap of 80%.
_NUMBERS = {
    "R001": {"peak_t": 80.0},
    "R002": {"pearson": 0.8, "spearman": 0.9},
    "R003": {"token_gini": 0.04, "peak_t": 81.0},
    "R004": {"peak_t": 79.0},
    "R005": {"peak_t": 80.0},
    "R006": {"median_gap": 0.8, "peak_t": 79.0},
    "R007": {"throughput": 1.2, "throttle_event_count": 10},
    "R008": {"peak_t": 79.0},
    "R009": {"peak_t": 79.0},
    "R010": {"peak_t": 79.0},
}

_JOB = """\
import json, pathlib, sys
numbers = json.loads(pathlib.Path(__file__).with_name("numbers.json").read_text())
pathlib.Path(sys.argv[2], "metrics.json").write_text(json.dumps(numbers[sys.argv[1]]))
"""


@needs_shared
def test_a_negative_result_with_the_headline_unjudged_is_not_read_as_final(
    tmp_path: Path,
) -> None:
    """015's M3 holds B3 ("C2 — the headline result", plan:49) and B4, criteria the rules
    cannot check with no reviewer, beside B6, a rigor check whose median gap is not met. The
    summary read "negative, a criterion was not met", "Ready for the review loop: YES" and
    "revisit the method", the headline never judged. The result stays negative (one failed
    criterion fails the milestone), but the blocks left unjudged are named with it, it is not
    ready until they are judged, and the next step says to judge them first."""
    project = as_project("015", tmp_path / "p")
    (project / "job.py").write_text(_JOB, encoding="utf-8")
    (project / "numbers.json").write_text(json.dumps(_NUMBERS), encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 2\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", "{{run_id}}", "{{output_dir}}"]\n\n'
        '[metrics]\nfiles = ["metrics.json"]\n',
        encoding="utf-8",
    )
    bridge = Bridge(project)
    try:
        # No tracker table: the runs are proposed from the plan, and a person approves them.
        assert bridge.run() is Stage.AWAITING_APPROVAL
        bridge.approve()
        assert bridge.run() is Stage.COLLECTED
        summary = bridge.summary()
    finally:
        bridge.close()
    assert "Main result (M3): negative, a criterion was not met (B6), but B3, B4 were not" in (
        summary
    )
    assert (
        "Ready for the review loop: NO (blocks of the main milestone M3 not judged "
        "(inconclusive): B3, B4)"
    ) in summary
    assert "but B3, B4 of the main milestone were not judged: resolve the reasons" in summary
    page = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "- **Main result:** `negative` (M3; not met: B6; not judged (inconclusive): B3, B4)" in (
        page
    )
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    assert data["summary"]["main_result"] == "negative"
    assert data["summary"]["ready_for_review_loop"] is False
