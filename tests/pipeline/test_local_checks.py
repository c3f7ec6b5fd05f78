"""
The local backend's checks of the runs against this machine (``bridge.pipeline.local_checks``),
on a real plan: what they name and count.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.errors import ConfigError
from bridge.pipeline import local_checks
from bridge.plan import load_project
from tests.conftest import needs_shared
from tests.plan.corpus import as_project


@needs_shared
def test_gpu_refusal_counts_runs_not_implementation_tasks(tmp_path: Path) -> None:
    """001 with `gpus = 1` on a machine without GPUs: the refusal said "… (21 runs)", counting
    the tracker's 7 implementation tasks (I1-I7) among its 14 runs; it names runs only."""
    project = as_project("001", tmp_path)
    (project / "bridge.toml").write_text('[run]\ncommand = "python3 -V"\ngpus = 1\n')
    loaded = load_project(project)
    assert sum(r.task for r in loaded.runs) == 7  # the tasks are there, and are no runs
    with pytest.raises(ConfigError) as caught:
        local_checks.check_gpus(loaded, lambda: 0)
    said = str(caught.value)
    assert "R001, R002, R003, R004, R005, R006, R007, R008, … (14 runs) ask for up to 1 GPU(s)" in (
        said
    ), said
    assert "I1" not in said
