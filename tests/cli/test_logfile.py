"""
The command's log file, ``.bridge/bridge.log``: one JSON line per event, written without
structlog, in the shape structlog's renderer gave it; structlog writes there too once a library
that logs through it is loaded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog

from bridge import logs
from bridge.cli import logfile
from bridge.cli.main import main
from bridge.logs import get_logger
from tests.pipeline.conftest import Run, write_project

STAMP = re.compile(r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\Z")


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    logfile.reset()  # a failing test must not leave the route to a closed file behind


def _lines(project: Path) -> list[dict[str, object]]:
    text = (project / ".bridge" / "bridge.log").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _structlog_line(level: str, event: str, values: dict[str, object]) -> dict[str, object]:
    """What structlog's renderer (the log's format before) makes of the same event."""
    rendered = structlog.processors.JSONRenderer(sort_keys=True)(
        None,
        level,
        structlog.processors.TimeStamper(fmt="iso", utc=True)(
            None, level, structlog.processors.add_log_level(None, level, {**values, "event": event})
        ),
    )
    assert isinstance(rendered, str)
    return dict(json.loads(rendered))


class TestLogFile:
    def test_a_run_logs_its_stages(self, project: Path) -> None:
        """`bridge run` writes a JSON line per stage entered: event, level, UTC stamp, values."""
        write_project(project, [Run(id="R1", milestone="M1")], sanity=None)
        main(["run", "--plain", "--project", str(project)])
        lines = _lines(project)
        stages = [line["stage"] for line in lines if line["event"] == "stage_entered"]
        assert stages[-1] == "COLLECTED"
        for line in lines:
            assert line["level"] == "info"
            assert STAMP.match(str(line["timestamp"]))
        assert {"project": str(project), "trigger": "deploy"}.items() <= next(
            line.items() for line in lines if line.get("stage") == "DEPLOYED"
        )

    def test_lines_read_as_structlog_wrote_them(self, project: Path) -> None:
        """Same keys and values as structlog's renderer; JSON-less values as their repr."""
        logfile.configure(project, verbose=False)
        values: dict[str, object] = {"where": Path("/x y"), "n": 3, "ok": None, "level": "kept?"}
        get_logger("bridge.test").bind(run_id="R1").warning("launch_lost_race", **values)
        (line,) = _lines(project)
        expected = _structlog_line("warning", "launch_lost_race", {"run_id": "R1", **values})
        assert {k: v for k, v in line.items() if k != "timestamp"} == {
            k: v for k, v in expected.items() if k != "timestamp"
        }
        assert line["where"] == "PosixPath('/x y')"
        assert line["level"] == "warning"  # the event's level wins over a value named level

    def test_verbose_mirrors_on_stderr_and_secrets_are_redacted(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        logfile.configure(project, verbose=True)
        get_logger("bridge.test").info("called", url="https://user:hunter2@example.org/x")
        logfile.reset()
        written = (project / ".bridge" / "bridge.log").read_text(encoding="utf-8")
        assert "hunter2" not in written
        assert capsys.readouterr().err == written

    def test_structlog_writes_there_once_a_library_may_log_through_it(self, project: Path) -> None:
        """stamina logs retries through structlog: those lines reach the same file."""
        logfile.configure(project, verbose=False)
        logs.structlog_may_log()
        structlog.get_logger("stamina").warning("stamina.retry_scheduled", attempt=1)
        logfile.reset()
        (line,) = _lines(project)
        assert (line["event"], line["level"], line["attempt"]) == (
            "stamina.retry_scheduled",
            "warning",
            1,
        )
        assert not structlog.is_configured()  # reset() undid it

    def test_a_sink_routed_later_still_takes_structlog(self, project: Path) -> None:
        """The library may be loaded before the command knows its project (adapters first)."""
        logs.structlog_may_log()
        logfile.configure(project, verbose=False)
        structlog.get_logger("stamina").warning("stamina.retry_scheduled", attempt=2)
        logfile.reset()
        assert [line["attempt"] for line in _lines(project)] == [2]

    def test_reset_routes_back_to_structlog(self, project: Path) -> None:
        """After reset, a library logger is silent again (structlog unconfigured)."""
        logfile.configure(project, verbose=False)
        logfile.reset()
        get_logger("bridge.test").info("after_reset")
        assert (project / ".bridge" / "bridge.log").read_text(encoding="utf-8") == ""
