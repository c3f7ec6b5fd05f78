"""
The plan's method thesis is evidence for which compared system is the proposed one.
"""

from __future__ import annotations

import json
from pathlib import Path

from bridge import Bridge, Stage
from tests.pipeline.conftest import Run, write_project

RUNS = [
    Run(id="R1", milestone="M1", system="DepthGate"),
    Run(id="R2", milestone="M1", system="Fixed gate"),
    Run(id="R3", milestone="M1", system="No gate"),
]


def _verdict(project: Path, thesis: str) -> dict[str, str]:
    write_project(project, RUNS, sanity=None)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    text = text.replace(
        "A small script that writes markers shows what ran, when and where.", thesis
    )
    text = text.replace("accuracy > 0.5.", "accuracy improves by at least 0.1 over Fixed gate.")
    plan.write_text(text, encoding="utf-8")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    doc = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    return next(b for b in doc["blocks"] if b["block"] == "B0")


def test_the_system_the_thesis_names_is_the_subject(project: Path) -> None:
    """Three systems, none marked: the one the method thesis names is compared with the
    reference, and the reason says why it was chosen."""
    block = _verdict(project, "DepthGate learns when to stop computing, per token.")
    assert block["verdict"] == "not_met"  # every run scored the same: no 0.1 gain
    assert "the system the plan's method thesis names" in block["reason"]
    assert "DepthGate" in block["reason"]


def test_without_that_evidence_the_subject_is_unknown(project: Path) -> None:
    """A thesis that names none of the systems leaves the subject open: inconclusive."""
    block = _verdict(project, "Gating computation per token saves time.")
    assert block["verdict"] == "inconclusive"
