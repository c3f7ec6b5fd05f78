"""
017's ``## Required Baselines`` and ``## Metrics`` sections, outside any block, were shown
nowhere: not by `bridge plan`, not in the results (trial s43 h43D). Bridge judges by neither;
it shows them where a researcher looks, the baselines no block compares by name marked.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import needs_shared
from tests.in_process import bridge_here
from tests.plan.corpus import as_project, run_to_results

pytestmark = needs_shared

_METRICS = (
    "Latency per generated token, Tokens/s, P50/P95 latency, Regret to oracle, Fraction of "
    "decode units labeled memory-bound, Estimated energy proxy if available"
)


def test_bridge_plan_shows_the_plans_own_baselines_and_metrics(tmp_path: Path) -> None:
    """Listed after the stop rules, each baseline no block compares by its name marked."""
    done = bridge_here("plan", "--project", str(as_project("017", tmp_path / "017")))
    assert done.returncode == 0, done.stderr
    assert (
        "baselines the plan requires in a section of its own (bridge judges by none of them: "
        "each block is judged on the systems it compares)\n"
        "  - GPU-only\n"
        "  - Static offload (no block compares it by this name)\n"
        "  - Oracle dispatch (no block compares it by this name)\n"
        "  - At least one lightweight online policy (no block compares it by this name)\n"
        "metrics the plan lists in a section of its own (a criterion may name them; the results "
        f"read the numbers the runs record under these names): {_METRICS}\n"
    ) in done.stdout, done.stdout


def test_the_results_keep_the_plans_own_baselines_and_metrics(tmp_path: Path) -> None:
    """EXPERIMENT_RESULTS.md and results.json, after a run to the end."""
    project = as_project("017", tmp_path / "017")
    job = (
        "import json, os, sys\nos.makedirs(sys.argv[2], exist_ok=True)\n"
        "json.dump({'latency': 1.0}, open(os.path.join(sys.argv[2], 'metrics.json'), 'w'))\n"
    )
    text = run_to_results(project, job, config='args = { seed = "0" }\n')
    assert "- «GPU-only»\n- «Static offload» (no block compares it by this name)\n" in text, text
    assert "`Latency per generated token`, `Tokens/s`, `P50/P95 latency`" in text
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    assert data["required_baselines"][:2] == ["GPU-only", "Static offload"]
    assert ", ".join(data["plan_metrics"]) == _METRICS
