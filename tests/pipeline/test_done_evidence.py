"""
The evidence a row done before bridge is quoted with: its results cells and its Notes, each
said once.
"""

from __future__ import annotations

from pathlib import Path

from bridge.events import types as ev
from bridge.pipeline.recording import plan_events
from bridge.plan import load_project
from tests.conftest import needs_shared
from tests.plan.corpus import as_project


@needs_shared
def test_an_evidence_cell_with_backticks_is_said_once(tmp_path: Path) -> None:
    """038 (trial t5): ENV-AIAA-01's Evidence cell "`experiment-results/aiaa-environment.json`;
    requirements exclude Torch" read "PASS — `experiment-results/aiaa-environment.json`;
    requirements exclude Torch; experiment-results/aiaa-environment.json; requirements exclude
    Torch" in the tracker and the results: the cell as written, then again as the Notes read
    it, without its backticks."""
    events = dict(plan_events(load_project(as_project("038", tmp_path))))
    (found,) = [e for e in events["run:ENV-AIAA-01"] if isinstance(e, ev.RunFoundDone)]
    assert (
        found.evidence == "`experiment-results/aiaa-environment.json`; requirements exclude Torch"
    )
