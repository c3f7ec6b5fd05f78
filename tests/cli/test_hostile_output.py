"""
Text a run wrote reaches the researcher's terminal and files shown, never obeyed: a real
``bridge run`` on the local backend whose run prints escape sequences, a title change, an OSC 8
link, backspaces, a bidi override and rich markup to stderr and fails, and whose other run
writes a metric named with an escape and a carriage return. The event log keeps what was
recorded; every display of it shows each control character as its JSON escape.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from bridge.events import types as ev
from bridge.events.store import SQLiteEventStore
from bridge.pipeline.audit import db_path
from tests.cli.conftest import bridge_cli
from tests.pipeline.conftest import Run, write_project

# What the failing run prints: clear screen, set the title, a hidden link, backspaces over the
# text, a right-to-left override, an 8-bit CSI, rich markup; then the word the reason keeps.
STDERR = (
    "step 1\x1b[2J\x1b]0;owned\x07 \x1b]8;;https://evil.example/\x07link\x1b]8;;\x07 "
    "\u202eevil\x08\x08 [bold red]PASS[/] \x9b2J error: boom"
)
METRIC = "acc\x1b[31m\rPASS\b\u202e"

JOB = f"""\
import argparse, json, pathlib, sys
parser = argparse.ArgumentParser()
for name in ("--run", "--mode", "--sleep", "--name", "--seed", "--out"):
    parser.add_argument(name)
args = parser.parse_args()
if args.mode == "hostile":
    sys.stderr.write({STDERR!r} + "\\n")
    sys.exit(1)
values = {{"accuracy": 0.9}}
if args.mode == "metric":
    values[{METRIC!r}] = 1.0
pathlib.Path(args.out, "metrics.json").write_text(json.dumps(values))
"""

# Raw, any of these drives a terminal or hides text; newline and tab are the only controls a
# multi-line output keeps.
RAW = ("\x1b", "\x07", "\r", "\x08", "\x00", "\u202e", "\x9b")


def _raw_in(text: str) -> list[str]:
    return [repr(ch) for ch in RAW if ch in text]


# What rich itself sends a terminal for the live view and styles: colours and bold, cursor up,
# erase line, hide and show the cursor. No clear screen, no title, no link.
RICHS_OWN = re.compile(r"\x1b\[(?:[0-9;]*m|\d*A|2K|\?25[hl])")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The project after one `bridge run --plain`: its root, stdout and stderr."""
    root = write_project(
        tmp_path_factory.mktemp("hostile") / "p",
        [
            Run(id="S1", milestone="M0"),
            Run(id="R1", milestone="M1", mode="hostile"),
            Run(id="R2", milestone="M1", mode="metric"),
        ],
    )
    (root / "scripts" / "job.py").write_text(JOB)
    done = bridge_cli("run", "--plain", "--project", str(root), columns=400)
    assert done.returncode == 1, done.stdout + done.stderr  # R1, a must-run run, failed
    return root, done.stdout, done.stderr


class TestTerminal:
    def test_bridge_run_shows_the_failure_and_obeys_nothing(
        self, project: tuple[Path, str, str]
    ) -> None:
        _root, stdout, stderr = project
        assert _raw_in(stdout + stderr) == [], stdout + stderr
        failed = next(line for line in stdout.splitlines() if " R1 failed: " in line)
        assert "step 1\\u001b[2J\\u001b]0;owned\\u0007 " in failed
        assert "\\u001b]8;;https://evil.example/\\u0007link" in failed
        assert "\\u202eevil\\b\\b [bold red]PASS[/] \\u009b2J error: boom" in failed

    def test_bridge_status_shows_the_reason_and_keeps_the_table(
        self, project: tuple[Path, str, str]
    ) -> None:
        root, _, _ = project
        shown = bridge_cli("status", "--project", str(root), columns=400)
        assert shown.returncode == 0, shown.stderr
        assert _raw_in(shown.stdout + shown.stderr) == [], shown.stdout
        row = next(line for line in shown.stdout.splitlines() if line.startswith("R1 "))
        assert "exit 1: step 1\\u001b[2J\\u001b]0;owned\\u0007 " in row
        # The escapes are counted as the cells they take: the other rows line up with R1's.
        header = shown.stdout.splitlines()[3]
        assert row.index("FAILED") == header.index("status")

    def test_bridge_status_json_is_json_with_the_text_as_recorded(
        self, project: tuple[Path, str, str]
    ) -> None:
        root, _, _ = project
        shown = bridge_cli("status", "--json", "--project", str(root))
        assert _raw_in(shown.stdout) == [], shown.stdout
        runs = {r["id"]: r for r in json.loads(shown.stdout)["runs"]}
        assert runs["R1"]["reason"] == "exit 1: " + STDERR

    def test_bridge_log_shows_the_metric_name(self, project: tuple[Path, str, str]) -> None:
        root, _, _ = project
        for args in (("log", "--run", "R2"), ("log", "--json", "--run", "R2")):
            shown = bridge_cli(*args, "--project", str(root))
            assert shown.returncode == 0, shown.stderr
            assert _raw_in(shown.stdout) == [], shown.stdout
            assert "acc\\u001b[31m\\rPASS\\b\\u202e" in shown.stdout
        # --json is still one JSON object per line, holding the name as recorded.
        names = [
            value["name"]
            for line in shown.stdout.splitlines()
            for value in json.loads(line)["data"].get("values", [])
        ]
        assert METRIC in names

    def test_an_error_quoting_the_command_line_is_shown(
        self, project: tuple[Path, str, str]
    ) -> None:
        root, _, _ = project
        shown = bridge_cli("status", "--project", str(root / "\x1b[2J\u202e"))
        assert shown.returncode == 2
        assert _raw_in(shown.stderr) == [], shown.stderr
        assert "\\u001b[2J\\u202e" in shown.stderr
        shown = bridge_cli("log", "--no-such-option\x1b]0;owned\x07", "--project", str(root))
        assert shown.returncode == 2
        assert _raw_in(shown.stderr) == [], shown.stderr
        assert "--no-such-option\\u001b]0;owned\\u0007" in shown.stderr


class TestFiles:
    def test_no_file_bridge_wrote_holds_a_raw_control(self, project: tuple[Path, str, str]) -> None:
        root, _, _ = project
        written = [
            p
            for p in [*(root / "refine-logs").iterdir(), root / "MANIFEST.md"]
            if p.suffix in (".md", ".csv", ".json") and p.name != "EXPERIMENT_PLAN.md"
        ]
        assert len(written) >= 5, written
        for path in written:
            assert _raw_in(path.read_text(encoding="utf-8")) == [], path

    def test_the_tracker_and_results_show_what_the_run_wrote(
        self, project: tuple[Path, str, str]
    ) -> None:
        root, _, _ = project
        tracker = (root / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text(encoding="utf-8")
        row = next(line for line in tracker.splitlines() if line.startswith("| R1 |"))
        assert "step 1\\u001b[2J\\u001b]0;owned\\u0007" in row
        assert row.count("|") - row.count("\\|") == 10  # still one row of nine cells
        with (root / "refine-logs" / "results.csv").open(encoding="utf-8", newline="") as f:
            metrics = {r["metric"] for r in csv.DictReader(f)}
        assert "acc\\u001b[31m\\rPASS\\b\\u202e" in metrics
        results = json.loads((root / "refine-logs" / "results.json").read_text(encoding="utf-8"))
        assert METRIC in {a["metric"] for a in results["aggregates"]}  # the values as recorded

    def test_the_log_keeps_the_bytes_as_recorded(self, project: tuple[Path, str, str]) -> None:
        """The audit trail is not display: the reason and the name are stored as the run wrote
        them (a NUL would be U+FFFD, as the codec has always stored it)."""
        root, _, _ = project
        store = SQLiteEventStore(db_path(root))
        try:
            events = [rec.event for rec in store.read()]
        finally:
            store.close()
        failed = next(e for e in events if isinstance(e, ev.RunFailed) and e.run_id == "R1")
        assert failed.reason == "exit 1: " + STDERR
        recorded = next(e for e in events if isinstance(e, ev.MetricsRecorded) and e.run_id == "R2")
        assert METRIC in {v.name for v in recorded.values}


def test_the_live_view_on_a_terminal_sends_only_richs_own_escapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    `bridge run` on a terminal (FORCE_COLOR: the rich console and its live view) whose sanity
    run prints the hostile text and fails twice: the pipeline blocks (exit 3), the live status
    table, the "blocked:" lines and the summary show the text, and nothing but rich's own
    styling and cursor sequences reaches the terminal.
    """
    root = write_project(
        tmp_path / "p", [Run(id="S1", milestone="M0", mode="hostile"), Run(id="R1", milestone="M1")]
    )
    (root / "scripts" / "job.py").write_text(JOB)
    monkeypatch.setenv("FORCE_COLOR", "1")
    done = bridge_cli("run", "--project", str(root), columns=400)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "\x1b[1A" in done.stdout  # the live view drew (and redrew) its table
    rest = RICHS_OWN.sub("", done.stdout)
    assert _raw_in(rest + done.stderr) == [], rest
    blocked = next(line for line in rest.splitlines() if line.startswith("blocked:"))
    assert "step 1\\u001b[2J\\u001b]0;owned\\u0007 " in blocked
    assert "[bold red]PASS[/]" in blocked  # markup is never read


def test_a_metric_name_with_a_newline_forges_no_line(tmp_path: Path) -> None:
    """
    The only metric a run records is named with a newline and a heading after it, so the
    verdict's reason quotes it ("not found for main (extracted: …)") and so does the note on
    names matching no plan metric: neither `bridge run`'s summary nor EXPERIMENT_RESULTS.md
    gets a line of the run's making.
    """
    name = "acc\x1b[31m\n## forged"
    job = JOB.replace(f"values[{METRIC!r}] = 1.0", f"values = {{{name!r}: 1.0}}")
    assert job != JOB
    root = write_project(
        tmp_path / "p", [Run(id="S1", milestone="M0"), Run(id="R2", milestone="M1", mode="metric")]
    )
    (root / "scripts" / "job.py").write_text(job)
    done = bridge_cli("run", "--plain", "--project", str(root), columns=400)
    results = (root / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    for text in (done.stdout, results):
        assert "acc\\u001b[31m ## forged" in text, text
        assert not [line for line in text.splitlines() if line.startswith("## forged")], text
