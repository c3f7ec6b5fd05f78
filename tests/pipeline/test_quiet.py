"""
The library never prints: ``Bridge`` writes nothing to stdout or stderr unless the embedding
program configures logging, and then its structlog events reach that configuration.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import structlog
from structlog.testing import capture_logs

from bridge.logs import get_logger

REPO = Path(__file__).resolve().parents[2]

EMBEDDER = """
import sys
import bridge
b = bridge.Bridge(sys.argv[1])
stage = b.run()
b.close()
open(sys.argv[2], "w").write(stage.value)
"""


class TestQuietLibrary:
    def test_a_whole_run_prints_nothing(self, tmp_path: Path) -> None:
        """A program running the quickstart through Bridge sees no output of bridge's."""
        project = tmp_path / "quickstart"
        shutil.copytree(REPO / "examples" / "quickstart", project)
        result = tmp_path / "stage"
        done = subprocess.run(
            [sys.executable, "-c", EMBEDDER, str(project), str(result)],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert result.read_text() == "COLLECTED"
        assert (done.stdout, done.stderr) == ("", "")

    def test_events_reach_a_configured_structlog(self) -> None:
        """Once the embedder configures structlog, a library logger's events arrive there."""
        with capture_logs() as logs:
            get_logger("bridge.test").bind(project="p").info("stage_entered", stage="REVIEWED")
        assert logs == [
            {"event": "stage_entered", "log_level": "info", "project": "p", "stage": "REVIEWED"}
        ]

    def test_unconfigured_structlog_gets_nothing(self, capsys: pytest.CaptureFixture[str]) -> None:
        """With structlog at its defaults (which print), a library logger stays silent."""
        structlog.reset_defaults()
        get_logger("bridge.test").warning("launch_lost_race", run_id="R001")
        out, err = capsys.readouterr()
        assert (out, err) == ("", "")
