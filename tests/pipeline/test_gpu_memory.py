"""
Sanity checks GPU memory (#20 gap 6): the local backend samples each attempt's GPU memory
(``nvidia-smi --query-compute-apps``, attributed to the attempt's process group) into the run's
record, and a sanity run above ``[run] max_gpu_memory_gb`` fails sanity. A fake ``nvidia-smi``
on PATH reports 9000 MiB for every running ``scripts/job.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bridge.machine.stages import RunState, Stage
from bridge.pipeline import Bridge
from tests.pipeline.conftest import Run, executions, write_project

FAKE = """\
#!/bin/sh
case "$1" in
  --query-compute-apps=*)
    for pid in $(pgrep -f "^[^ ]*python[^ ]* scripts/job.py"); do echo "$pid, 9000"; done ;;
  *) printf '0, 10, 16000\\n' ;;
esac
"""

# Shorter than the dispatcher's 5 s between polls: the backend's wait samples every second.
RUNS = [Run(id="S1", milestone="M0", system="sanity", sleep=2.0), Run(id="R1", milestone="M1")]


@pytest.fixture
def smi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "nvidia-smi"
    script.write_text(FAKE)
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


class TestGpuMemory:
    def test_a_sanity_run_over_the_limit_fails_sanity(self, project: Path, smi: None) -> None:
        """9000 MiB sampled > max_gpu_memory_gb = 4: sanity fails naming the peak; nothing
        deploys."""
        write_project(
            project, RUNS, run="gpus = 1\nmax_gpu_memory_gb = 4", bridge="code_review = false"
        )
        bridge = Bridge(project)
        try:
            stage = bridge.run()
            state = bridge.status()
        finally:
            bridge.close()
        assert stage is Stage.BLOCKED, stage
        s1 = state.runs["S1"]
        assert s1.state is RunState.SUCCEEDED
        assert s1.current is not None and s1.current.gpu_memory_peak_mib == 9000
        checks = [c for c in state.sanity_checks if not c.passed]
        assert checks and "GPU memory peaked at 8.79 GB" in checks[0].detail, checks
        assert "max_gpu_memory_gb = 4" in checks[0].detail
        assert "R1" not in executions(project)

    def test_within_the_limit_passes_and_the_peak_is_recorded(
        self, project: Path, smi: None
    ) -> None:
        """Under the limit the pipeline deploys; the peak is in the run's record."""
        write_project(
            project, RUNS, run="gpus = 1\nmax_gpu_memory_gb = 12", bridge="code_review = false"
        )
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        s1 = state.runs["S1"].current
        assert s1 is not None and s1.gpu_memory_peak_mib == 9000
        assert (s1.gpu_memory_total_mib, s1.gpu_memory_unmeasured) == (16000, "")
