"""
The launcher users deploy: its documented copy, and its attempt logic run locally.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from tests.adapters.backends.modal.memory_gateway import LAUNCHER_PATH, REPO_ROOT, load_launcher

DOC = REPO_ROOT / "docs" / "backends" / "modal.md"


def run(tmp_path: Path, spec: dict[str, object], call_id: str = "fc-1") -> dict[str, object]:
    commits: list[int] = []
    result: dict[str, object] = load_launcher().run_spec_attempt(
        {"run_id": "R001", "attempt_id": "A1", "env": {}, "cwd": "", **spec},
        volume_root=tmp_path / "vol",
        call_id=call_id,
        commit=lambda: commits.append(1),
        reload=lambda: None,
        workspace=tmp_path,
    )
    result["commits"] = len(commits)
    return result


class TestModalLauncher:
    def test_doc_contains_the_launcher_verbatim(self):
        """The launcher in docs/backends/modal.md is the tested file, byte for byte."""
        blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
        assert LAUNCHER_PATH.read_text(encoding="utf-8") in blocks

    def test_module_defines_the_modal_app(self):
        """The module imports and defines the app, the volume and the entry function."""
        launcher = load_launcher()
        assert launcher.app.name == launcher.APP_NAME
        assert launcher.run_attempt.__class__.__name__ == "Function"

    def test_marker_log_exit_code_and_output_dir(self, tmp_path: Path):
        """The marker holds the call id; output goes to BRIDGE_OUTPUT_DIR; both commits happen."""
        code = "import os; print('out', os.environ['BRIDGE_OUTPUT_DIR'], os.environ['SEED'])"
        result = run(tmp_path, {"argv": [sys.executable, "-c", code], "env": {"SEED": "7"}})
        attempt = tmp_path / "vol" / "runs" / "R001" / "A1"
        marker = json.loads((tmp_path / "vol" / "attempts" / "A1.json").read_text())
        assert marker == {"call_id": "fc-1", "run_id": "R001", "attempt_id": "A1"}
        assert result["exit_code"] == 0 and result["commits"] == 2
        assert (attempt / "exit_code").read_text() == "0\n"
        assert f"out {attempt / 'output'} 7" in (attempt / "log.txt").read_text()

    def test_second_call_defers_to_the_first(self, tmp_path: Path):
        """A second call for the same attempt runs nothing and names the first call."""
        run(tmp_path, {"argv": [sys.executable, "-c", "print(1)"]})
        result = run(tmp_path, {"argv": ["false"]}, call_id="fc-2")
        assert result["duplicate_of"] == "fc-1" and result["exit_code"] is None

    def test_missing_command_is_127(self, tmp_path: Path):
        """A command that cannot start exits 127 with the reason in the log."""
        result = run(tmp_path, {"argv": ["/nonexistent/tool"]})
        assert result["exit_code"] == 127
        assert "could not start" in str(result["log_tail"])

    def test_gpu_memory_peak_is_sampled_while_the_run_goes(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ):
        """With nvidia-smi in the container, the run's GPU memory (summed over the container's
        GPUs) is read while it runs and the peak returned; without it, the peak is None."""
        smi = tmp_path / "bin" / "nvidia-smi"
        smi.parent.mkdir()
        readings = tmp_path / "readings"
        readings.write_text("500\n700\n")  # MiB on each of two GPUs
        smi.write_text(f"#!/bin/sh\ncat {readings}\n")
        smi.chmod(0o755)
        launcher = load_launcher()
        launcher._GPU_SAMPLE_SECONDS = 0.05
        argv = [sys.executable, "-c", "import time; time.sleep(0.6)"]
        spec = {"run_id": "R001", "attempt_id": "A1", "env": {}, "cwd": "", "argv": argv}
        kwargs = {"commit": lambda: None, "reload": lambda: None, "workspace": tmp_path}
        monkeypatch.setenv("PATH", f"{smi.parent}:{os.environ['PATH']}")
        result = launcher.run_spec_attempt(
            spec, volume_root=tmp_path / "vol", call_id="fc-1", **kwargs
        )
        assert (result["exit_code"], result["gpu_memory_peak_mib"]) == (0, 1200)
        smi.unlink()
        again = launcher.run_spec_attempt(
            {**spec, "attempt_id": "A2"}, volume_root=tmp_path / "vol", call_id="fc-2", **kwargs
        )
        assert again["gpu_memory_peak_mib"] is None

    def test_killed_by_signal_is_128_plus_signal(self, tmp_path: Path):
        """A command killed by SIGKILL exits 137, as a shell and the other backends say."""
        code = "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
        result = run(tmp_path, {"argv": [sys.executable, "-c", code]})
        assert result["exit_code"] == 137

    def test_timeout_kills_the_run(self, tmp_path: Path):
        """The run's timeout stops it and says so."""
        argv = [sys.executable, "-c", "import time; time.sleep(30)"]
        result = run(tmp_path, {"argv": argv, "timeout_seconds": 0.3})
        assert result["timed_out"] is True and result["exit_code"] == 124

    @pytest.mark.parametrize("attempt", ["../escape", "a/b"])
    def test_unsafe_ids_are_refused(self, tmp_path: Path, attempt: str):
        """Ids that would leave the Volume's attempt tree are refused."""
        with pytest.raises(ValueError, match="unsafe id"):
            run(tmp_path, {"attempt_id": attempt, "argv": ["true"]})
