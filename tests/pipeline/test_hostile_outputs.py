"""
Whole pipeline, real subprocesses: runs that hand back hostile outputs (a FIFO, JSON nested
1,000 deep, a NaN in a field the plan does not measure) do not stop the project: ``bridge run``
ends, each problem is shown on its run, and the sanity run is blocked neither by the NaN nor
by a table the JSON rules leave to a query (a note, not a broken output).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.tiny import write_project

REPO = Path(__file__).resolve().parents[2]

HOSTILE = """import argparse, json, os, pathlib
p = argparse.ArgumentParser()
p.add_argument("--model"); p.add_argument("--seed", type=int); p.add_argument("--lr", type=float)
p.add_argument("--out"); p.add_argument("--sleep", type=float, default=0.0)
a = p.parse_args()
out = pathlib.Path(a.out); out.mkdir(parents=True, exist_ok=True)
if a.model == "baseline":
    os.mkfifo(out / "metrics.json")
elif os.path.exists("markers-sanity-done"):
    (out / "metrics.json").write_text("[" * 1000 + "0.8" + "]" * 1000)
else:
    pathlib.Path("markers-sanity-done").write_text("")
    papers = ", ".join('{"year": %d}' % (2000 + i % 20) for i in range(100))
    (out / "metrics.json").write_text(
        '{"accuracy": 0.8, "diagnostics": {"degenerate": NaN}, "papers": [%s]}' % papers
    )
"""


def results_problems(results: dict[str, object]) -> list[dict[str, object]]:
    """Every extraction problem in results.json, whatever the run."""
    found: list[dict[str, object]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            found.extend(node.get("extraction_problems", []))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(results)
    return found


@pytest.mark.timeout(240)
def test_hostile_outputs_end_as_problems_on_their_runs(tmp_path: Path) -> None:
    """bridge run finishes; the FIFO and the deep JSON are problems; sanity passes with a NaN
    diagnostic and an unread table noted as information."""
    root = write_project(tmp_path / "p")
    (root / "train.py").write_text(HOSTILE)
    toml = (root / "bridge.toml").read_text().replace('outputs = ["metrics.json"]\n', "")
    (root / "bridge.toml").write_text(toml)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "bridge", "run", "--plain", "--project", str(root)],
        capture_output=True,
        text=True,
        timeout=200,
        env=env,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert "stage COLLECTED" in done.stdout, done.stdout + done.stderr
    results = json.loads((root / "refine-logs" / "results.json").read_text())
    text = json.dumps(results)
    assert "is not a regular file (a FIFO)" in text
    assert "nested deeper than 64 levels" in text
    report = (root / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert "not a metric the plan measures" in report
    assert "(information): papers is a list of 100 objects" in report
    fifo = next(p for p in results_problems(results) if "FIFO" in p["message"])
    assert fifo["blocking"] is True
    assert "SANITY_FAILED" not in done.stdout


UNMATCHED = """import argparse, json, pathlib
p = argparse.ArgumentParser()
p.add_argument("--model"); p.add_argument("--seed", type=int); p.add_argument("--lr", type=float)
p.add_argument("--out"); p.add_argument("--sleep", type=float, default=0.0)
a = p.parse_args()
out = pathlib.Path(a.out); out.mkdir(parents=True, exist_ok=True)
top1 = {"baseline": 0.5, "method": 0.8}[a.model]
(out / "metrics.json").write_text(json.dumps({"eval": {"accuracy_top1": top1, "loss": 1 - top1}}))
"""


@pytest.mark.timeout(240)
def test_values_under_other_names_are_listed_with_the_alias_to_add(tmp_path: Path) -> None:
    """Recorded values that match no plan metric: the block lists them and suggests an alias."""
    root = write_project(tmp_path / "p")
    (root / "train.py").write_text(UNMATCHED)
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    done = subprocess.run(
        [sys.executable, "-m", "bridge", "run", "--plain", "--project", str(root)],
        capture_output=True,
        text=True,
        timeout=200,
        env=env,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    report = (root / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert "No metric values recorded yet" not in report
    assert "2 metric names were recorded, none matching the plan's metrics" in report
    assert "`eval.accuracy_top1`, `eval.loss`" in report
    assert '[metrics] aliases = { "eval.accuracy_top1" = "accuracy" }' in report
    assert "[[metrics.extract]]" in report
