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

SCRIPT = """import argparse, json, os, pathlib, time
p = argparse.ArgumentParser()
p.add_argument("--model"); p.add_argument("--seed", type=int); p.add_argument("--lr", type=float)
p.add_argument("--out"); p.add_argument("--sleep", type=float, default=0.0)
a = p.parse_args()
markers = pathlib.Path("markers"); markers.mkdir(exist_ok=True)
with open(markers / f"{a.model}-{a.seed}-{os.getpid()}", "w") as marker:
    marker.write(a.out)
time.sleep(a.sleep)
out = pathlib.Path(a.out); out.mkdir(parents=True, exist_ok=True)
acc = {"baseline": 0.5, "method": 0.8}[a.model]
(out / "metrics.json").write_text(json.dumps({"accuracy": acc}))
print(f"loss={1 - acc}")
"""


def write_project(
    root: Path,
    *,
    toml_extra: str = "",
    backend_table: dict[str, object] | None = None,
    sleep: float = 0.0,
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
        'command = "python3 train.py --model {model} --seed {seed} --lr 0.1 --out {output_dir} '
        f'--sleep {sleep}"',
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


def run_in_sub(project: Path) -> None:
    """
    Make the project's command ``sh -c 'cd sub && python3 …'``: the script is run from the
    folder ``sub`` (which the caller fills), as a shell string with a ``cd`` in it.
    """
    toml = (project / "bridge.toml").read_text(encoding="utf-8")
    command = next(line for line in toml.splitlines() if line.startswith("command = "))
    shell = command.replace('"python3 ', "\"sh -c 'cd sub && python3 ").removesuffix('"') + "'\""
    (project / "bridge.toml").write_text(toml.replace(command, shell), encoding="utf-8")
