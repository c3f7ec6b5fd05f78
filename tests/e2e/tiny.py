"""
A tiny real project for end-to-end tests: a plan, a tracker, bridge.toml and one script.
"""

from __future__ import annotations

import json
from pathlib import Path

PLAN = """# Experiment Plan — Tiny

**Problem**: does the method beat the baseline?

## Experiment Blocks

### Block 1: Main comparison (MUST-RUN)
- **Compared systems**:
  - Baseline
  - Method
- **Metrics**: accuracy
- **Setup details**: lr = 0.1
- **Success criterion**: Method accuracy > 10% over Baseline
- **Priority**: MUST-RUN

## Run Order and Milestones

| Milestone | Goal | Runs | Decision Gate | Cost |
|---|---|---|---|---|
| M0 | Sanity | R001 | runs | 0.01 GPU-h |
| M1 | Main | R002-R003 | done | 0.01 GPU-h |

## Compute and Data Budget
- **Total estimated GPU-hours**: 1
"""

TRACKER = """# Experiment Tracker

| Run ID | Milestone | Purpose | System / Variant | Split | Metrics | Priority | Status | Notes |
|---|---|---|---|---|---|---|---|---|
| R001 | M0 | sanity | Method | test | accuracy | MUST | TODO | seed 0 |
| R002 | M1 | baseline | Baseline | test | accuracy | MUST | TODO | seed 0 |
| R003 | M1 | main | Method | test | accuracy | MUST | TODO | seed 0 |
"""

SCRIPT = """import argparse, json, os, pathlib
p = argparse.ArgumentParser()
p.add_argument("--model"); p.add_argument("--seed", type=int); p.add_argument("--lr", type=float)
p.add_argument("--out")
a = p.parse_args()
out = pathlib.Path(a.out); out.mkdir(parents=True, exist_ok=True)
acc = {"baseline": 0.5, "method": 0.8}[a.model]
(out / "metrics.json").write_text(json.dumps({"accuracy": acc}))
print(f"loss={1 - acc}")
"""


def write_project(
    root: Path, *, toml_extra: str = "", backend_table: dict[str, object] | None = None
) -> Path:
    """Write the tiny project under ``root`` and return it."""
    (root / "refine-logs").mkdir(parents=True, exist_ok=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(PLAN)
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER)
    (root / "train.py").write_text(SCRIPT)
    toml = [
        "[bridge]",
        "max_parallel = 2",
        toml_extra,
        "[run]",
        'command = "python3 train.py --model {model} --seed {seed} --lr 0.1 --out {output_dir}"',
        'outputs = ["metrics.json"]',
        "estimated_minutes = 1",
        "timeout_minutes = 5",
        'args = { model = "method" }',
        '[systems."Baseline"]',
        'args = { model = "baseline" }',
        "[metrics]",
        'files = ["metrics.json"]',
        'primary = "accuracy"',
    ]
    if backend_table is not None:
        toml.append("[backends.ssh]")
        hosts = backend_table.pop("hosts")
        for key, value in backend_table.items():
            toml.append(f"{key} = {json.dumps(value)}")
        for host in hosts:  # type: ignore[attr-defined]
            toml.append("[[backends.ssh.hosts]]")
            for key, value in host.items():
                toml.append(f"{key} = {json.dumps(value)}")
    (root / "bridge.toml").write_text("\n".join(toml) + "\n")
    return root
