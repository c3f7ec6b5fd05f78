"""
A tiny real research project for the results tests: a plan, a tracker, ``bridge.toml`` and one
experiment script that writes nested JSON, a CSV history and a log, run by the real pipeline with
the local backend.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import structlog

from bridge.pipeline import Bridge

EXPERIMENT = """
import argparse, json, math, os

p = argparse.ArgumentParser()
p.add_argument("--sys")
p.add_argument("--seed", type=int)
p.add_argument("--loss", default="ok")
p.add_argument("--out")
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
acc = {"Baseline": 0.50, "Ours": 0.80}.get(a.sys, 0.6) + 0.01 * a.seed
losses = [1.0 / (step + 1) for step in range(12)]
if a.loss == "nan":
    losses[7] = float("nan")
if a.loss == "diverge":
    losses = losses[:8] + [0.5, 1.0, 2.0, 4.0]
with open(os.path.join(a.out, "metrics.json"), "w") as f:
    f.write(json.dumps({"eval": {"accuracy": acc}, "train": {"final_loss": losses[-1]}}))
with open(os.path.join(a.out, "history.csv"), "w") as f:
    f.write("step,loss\\n")
    for step, value in enumerate(losses, start=1):
        f.write(f"{step},{value}\\n")
for step, value in enumerate(losses, start=1):
    print(f"step {step} grad_norm={0.1 * step:.3f}")
"""

PLAN = """\
# Experiment Plan — Tiny results study

**Problem**: Does Ours beat Baseline?
**Method Thesis**: Ours is better than Baseline.

## Experiment Blocks

### Block 0: Sanity
- **Compared systems**:
  - Ours sanity
- **Metrics**: accuracy
- **Success criterion**: Ours sanity accuracy > 0.5
- **Priority**: MUST-RUN.

### Block 1: Main result
- **Compared systems**:
  - Baseline
  - Ours
- **Metrics**:
  - Primary: accuracy
- **Setup details**: 2 seeds (0, 1).
- **Success criterion**: Ours accuracy > 20% over the Baseline (absolute points, mean of 2 seeds).
- **Priority**: MUST-RUN.

### Block 2: Stability probes
- **Compared systems**:
  - Unstable
  - Diverging
- **Metrics**: accuracy
- **Success criterion**: Unstable accuracy > 0.5
- **Priority**: NICE-TO-HAVE.

## Run Order and Milestones

| Milestone | Goal | Runs | Decision Gate | Cost | Risk |
|-----------|------|------|---------------|------|------|
| M0 | Sanity | R001 (Block 0) | runs | ~1 CPU-second | none |
| M1 | Main | R002-R005 (Block 1) | criterion | ~1 CPU-second | none |
| M2 | Probes | R006-R007 (Block 2) | none | ~1 CPU-second | none |
"""

TRACKER = """\
# Experiment Tracker

| Run ID | Milestone | Purpose | System / Variant | Split | Metrics | Priority | Status | Notes |
|--------|-----------|---------|------------------|-------|---------|----------|--------|-------|
| R001 | M0 | sanity | Ours sanity | test | accuracy | MUST | TODO | seed 0 |
| R002 | M1 | main | Baseline | test | accuracy | MUST | TODO | seed 0 |
| R003 | M1 | main | Baseline | test | accuracy | MUST | TODO | seed 1 |
| R004 | M1 | main | Ours | test | accuracy | MUST | TODO | seed 0 |
| R005 | M1 | main | Ours | test | accuracy | MUST | TODO | seed 1 |
| R006 | M2 | probe | Unstable | test | accuracy | NICE | TODO | seed 0 |
| R007 | M2 | probe | Diverging | test | accuracy | NICE | TODO | seed 0 |
"""


def toml(extra: str = "") -> str:
    """
    The project's ``bridge.toml`` (``extra`` is appended to the ``[bridge]`` table).
    """
    python = json.dumps(sys.executable)
    return textwrap.dedent(
        f"""\
        [bridge]
        max_parallel = 4
        backend = "local"
        {extra}

        [run]
        command = "{{python}} exp.py --sys {{s}} --seed {{seed}} --loss {{l}} --out {{output_dir}}"
        outputs = ["metrics.json", "history.csv"]
        estimated_minutes = 0.1
        timeout_minutes = 2
        args = {{ python = {python}, s = "Ours", l = "ok" }}

        [systems."Ours sanity"]
        args = {{ s = "Ours" }}

        [systems."Baseline"]
        args = {{ s = "Baseline" }}

        [systems."Ours"]
        args = {{ s = "Ours" }}

        [systems."Unstable"]
        args = {{ s = "Unstable", l = "nan" }}

        [systems."Diverging"]
        args = {{ s = "Diverging", l = "diverge" }}

        [metrics]
        files = ["metrics.json", "history.csv"]
        primary = "accuracy"

        [[metrics.regex]]
        name = "grad_norm"
        pattern = 'step (?P<step>\\d+) grad_norm=(?P<value>[0-9.]+)'
        file = "stdout.log"
        """
    )


def make_project(root: Path, extra: str = "") -> Path:
    """
    Write the tiny project under ``root`` and return it.
    """
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(PLAN)
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER)
    (root / "bridge.toml").write_text(toml(extra))
    (root / "exp.py").write_text(EXPERIMENT)
    return root


def run_project(root: Path) -> Bridge:
    """
    Run the whole plan with the real pipeline; return the (closed) ``Bridge``.
    """
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
    bridge = Bridge(root)
    try:
        bridge.run()
    finally:
        bridge.close()
    return bridge
