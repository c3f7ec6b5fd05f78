"""
025's block judged on the metric its criterion names, run to the end with real runs: a
criterion naming «cf_arc_easy KC» (an identifier and the capitals after it) is judged on the
runs' `cf_arc_easy_kc`, never on the `cf_arc_easy` they record beside it.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import needs_shared
from tests.plan.corpus import as_project, run_to_results

# The block trial t14 added to 025's plan, in its own words: no 指标 line, the metric named in
# the criterion only.
_BLOCK = """
## 十一、实验块

### B2: Curriculum 必要性 (A1)

- **系统**: Phase 1 only, Phase 1+2 (ours)
- **成功标准**: Phase 1+2 的 cf_arc_easy KC 高于 Phase 1 only
- **优先级**: MUST-RUN
"""

# The tracker the trial wrote: one run of each system; it stands in for the plan's own run table
# (E-main, running elsewhere, would hold every launch).
_TRACKER = """\
# TokenMem 实验追踪表

| Run ID | Block | System | Seed | Status | Notes |
|---|---|---|---|---|---|
| R004 | B2 | Phase 1 only | 0 | TODO | |
| R005 | B2 | Phase 1+2 | 0 | TODO | |
"""

# Each system records both numbers: KC rises with Phase 2, the accuracy falls a little.
_JOB = """\
import json, os, sys
out, system = sys.argv[sys.argv.index("--out") + 1], sys.argv[sys.argv.index("--system") + 1]
values = {"Phase 1 only": (0.30, 0.80), "Phase 1+2": (0.69, 0.75)}
kc, accuracy = values.get(system, (0.5, 0.5))
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "metrics.json"), "w") as f:
    json.dump({"cf_arc_easy_kc": kc, "cf_arc_easy": accuracy}, f)
"""


@needs_shared
def test_025s_kc_criterion_is_judged_on_kc(tmp_path: Path) -> None:
    """«Phase 1+2 的 cf_arc_easy KC 高于 Phase 1 only» was read as `cf_arc_easy` (指标解析为
    'cf_arc_easy'（标准中写出的标识符）) and judged not_met on the accuracy, 0.80 → 0.75, while
    KC rose 0.30 → 0.69 (trial t14)."""
    root = as_project("025", tmp_path)
    plan = root / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(plan.read_text(encoding="utf-8") + _BLOCK, encoding="utf-8")
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(_TRACKER, encoding="utf-8")
    results = run_to_results(root, _JOB, '"--out", "{output_dir}", "--system", "{system}"')
    section = results.split("### B2:", 1)[1].split("\n### ", 1)[0]
    assert "Phase 1 only：cf_arc_easy KC 增益（按升高计）> 0" in section, section
    verdict = next(x for x in section.splitlines() if x.startswith("- **判定:**"))
    assert verdict.startswith("- **判定:** **met**"), verdict
    assert "cf_arc_easy_kc（按升高计）: Phase 1+2 (ours) 0.69 (n=1)" in verdict, verdict
    assert "对比 Phase 1 only 0.3 (n=1)" in verdict, verdict
