"""
A metric one run wrote to several files (029's `auroc` in lr.json, rf.json and xgb.json, trial
T3) in the results page: each file's number in a row of its own, the metrics the table leaves
out named under it, and the verdict naming the file it judged.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bridge import Bridge, Stage

PLAN = """\
# Experiment Plan — Risk field

**Problem**: Can a risk field predict conflicts?
**Method Thesis**: Gradient boosting on geometry features predicts conflicts.
**Date**: 2026-01-15

## Experiment Blocks

### Block 0: Sanity
- **Claim tested**: The pipeline runs.
- **Compared systems**:
  - sanity
- **Metrics**: ok.
- **Setup details**: seed 0.
- **Success criterion**: ok > 0.5.
- **Priority**: MUST-RUN.

### Block 1: Risk models
- **Claim tested**: XGBoost predicts conflicts.
- **Compared systems**:
  - risk models
- **Metrics**: AUROC.
- **Setup details**: seed 0.
- **Success criterion**: XGBoost achieves AUROC ≥ 0.80 on a held-out test day.
- **Priority**: MUST-RUN.

## Run Order and Milestones

| Milestone | Goal | Runs | Decision Gate | Cost | Risk |
|-----------|------|------|---------------|------|------|
| M0 | Sanity | S1 (Block 0) | ok | 1 | none |
| M1 | Main | R1 (Block 1) | ok | 1 | none |

## Compute and Data Budget
- **Total estimated GPU-hours**: 1
"""

TRACKER = """\
# Experiment Tracker

| Run ID | Milestone | Purpose | System / Variant | Split | Metrics | Priority | Status | Notes |
|--------|-----------|---------|------------------|-------|---------|----------|--------|-------|
| S1 | M0 | sanity | sanity | test | ok | MUST | TODO | seed 0 |
| R1 | M1 | main | risk models | test | AUROC | MUST | TODO | seed 0 |
"""

# Each model's evaluation in its own file, as 029's train_risk_field.py writes them.
JOB = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[2])
if sys.argv[1] == "sanity":
    (out / "metrics.json").write_text(json.dumps({"ok": 1.0}))
else:
    for model, auroc in (("lr", 0.687), ("rf", 0.659), ("xgb", 0.68)):
        (out / f"{model}.json").write_text(json.dumps({"auroc": auroc, "coverage": 0.9}))
"""


def _collected(
    root: Path, metrics: str = "", language: str = "en"
) -> tuple[str, dict[str, object]]:
    """Run the project at ``root`` to the end (``metrics``: more lines of ``[metrics]``, in
    ``language``); its results page and its B1 in results.json."""
    (root / "refine-logs").mkdir(parents=True)
    (root / "scripts").mkdir()
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(PLAN, encoding="utf-8")
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER, encoding="utf-8")
    (root / "scripts" / "job.py").write_text(JOB, encoding="utf-8")
    (root / "bridge.toml").write_text(
        f'[bridge]\nmax_parallel = 2\ncode_review = false\nlanguage = "{language}"\n\n'
        f'[run]\ncommand = ["{sys.executable}", "scripts/job.py", "{{kind}}", "{{output_dir}}"]\n'
        'args = { kind = "risk" }\n\n[systems."sanity"]\nargs = { kind = "sanity" }\n\n'
        f'[metrics]\nfiles = ["*.json"]\n{metrics}',
        encoding="utf-8",
    )
    bridge = Bridge(root)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    page = (root / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    data = json.loads((root / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    (block,) = [b for b in data["blocks"] if b["block"] == "B1"]
    return page, block


def _section(page: str, heading: str) -> str:
    return page.split(heading, 1)[1].split("\n## ", 1)[0]


def test_each_files_number_has_its_own_row_and_the_rest_are_named(tmp_path: Path) -> None:
    """Trial T3: the block's table showed none (or one) of R1's three AUROCs and nothing of
    the other files, though results.json had every one. Each is a row labelled with its file,
    and the one metric the plan does not name is said to be left out, and why."""
    page, _ = _collected(tmp_path / "p")
    block = _section(page, "### B1: Risk models")
    for model, auroc in (("lr", "0.687"), ("rf", "0.659"), ("xgb", "0.68")):
        assert f"| risk models | auroc[output/{model}.json] | {auroc} | - | 1 | R1 |" in block
    assert (
        "Also recorded, not in this table (it holds the metrics the block's Metrics line and "
        "its criterion as read name; results.json and results.csv hold every value): "
        "`coverage`."
    ) in block
    assert "none matching the plan's metrics" not in block


def test_an_alias_picks_the_judged_file_and_the_others_stay_in_the_table(tmp_path: Path) -> None:
    """With the alias the note asks for, XGBoost's file is judged, the verdict names it, and
    the logistic regression's and the forest's rows are still shown beside it."""
    alias = 'aliases = { "auroc[output/xgb.json]" = "AUROC" }\n'
    page, block = _collected(tmp_path / "p", alias)
    assert block["verdict"] == "not_met"
    assert str(block["reason"]).startswith("auroc[output/xgb.json]: risk models 0.68 (n=1)")
    section = _section(page, "### B1: Risk models")
    assert "| risk models | auroc[output/lr.json] | 0.687 |" in section
    assert "| risk models | auroc[output/rf.json] | 0.659 |" in section
    assert "| risk models | auroc[output/xgb.json] | 0.68 |" in section


def test_a_criterion_on_a_metric_read_per_file_says_how_to_pick_one(tmp_path: Path) -> None:
    """Without an alias no file's AUROC stands for the run (the numbers cannot tell which
    model the criterion means): the verdict said only "not found" beside the extracted names;
    it says the metric is recorded per file and how to name the one meant."""
    _, block = _collected(tmp_path / "p")
    assert block["verdict"] == "inconclusive"
    assert str(block["reason"]).endswith(
        "; AUROC is recorded under several labels (auroc[output/lr.json], auroc[output/rf.json], "
        "auroc[output/xgb.json]) and no one of them stands for the run: name the one meant in "
        'bridge.toml, e.g. [metrics] aliases = { "auroc[output/xgb.json]" = "AUROC" }'
    )


def test_the_pick_is_said_in_chinese_too(tmp_path: Path) -> None:
    """The Chinese results page says the same sentence in Chinese, the names as recorded."""
    root = tmp_path / "p"
    _collected(root, language="zh")
    page = (root / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert (
        "AUROC 以多个标签分别记录（auroc[output/lr.json], auroc[output/rf.json], "
        "auroc[output/xgb.json]），没有哪一个单独代表该运行：请在 bridge.toml 中指明所指的那个，"
        '例如 [metrics] aliases = { "auroc[output/xgb.json]" = "AUROC" }'
    ) in page
    assert "另有已记录的指标未列入此表" in page
