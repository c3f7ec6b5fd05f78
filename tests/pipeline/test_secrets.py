"""
Secrets by value: a credential bridge reads from a ``*_env`` variable never reaches the log, a
projection, a log line or the console, whatever its shape, and runs do not inherit it.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bridge.adapters.review.prompt import build_review_prompt
from bridge.events.secrets import redact, register_secret_values
from bridge.machine.ports import ReviewRequest
from tests.pipeline.conftest import REPO_ROOT, Run, write_project

# A hex key: no known credential shape, so only its value can give it away.
KEY = "9f3b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"

LEAKY = """\
import os, pathlib, sys
pathlib.Path("markers").mkdir(exist_ok=True)
pathlib.Path("markers/env").write_text("LAB_KEY" if "LAB_KEY" in os.environ else "-")
pathlib.Path("markers/passed").write_text(os.environ.get("HANDED", "-")[:4])
key = os.environ.get("LEAK", "")
print("auth failed for key", key, flush=True)
raise SystemExit("token rejected: " + key)
"""


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ) | {"PYTHONPATH": str(REPO_ROOT), "LAB_KEY": KEY, "LEAK": KEY}
    return subprocess.run(
        [sys.executable, "-m", "bridge", *args, "--project", str(project)],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip


def _bridge_files(project: Path) -> list[Path]:
    """Every file bridge wrote: the log, its projections and copies, its own log lines."""
    runs = project / ".bridge" / "runs"
    return [
        p for p in project.rglob("*")
        if p.is_file() and runs not in p.parents and p.parent.name != "scripts"
    ]  # fmt: skip


class TestSecretsByValue:
    def test_failing_run_printing_a_hex_key_leaks_it_nowhere(self, tmp_path: Path) -> None:
        """A run that prints the reviewer-style key: not in events.db, tracker, results, console."""
        project = write_project(
            tmp_path / "p",
            [Run(id="R1", milestone="M0", system="sanity")],
            run='env = { LEAK = "${LEAK}", HANDED = "${LAB_KEY}" }',
            extra='[backends.vast]\napi_key_env = "LAB_KEY"\n',
        )
        (project / "bridge.toml").write_text(
            (project / "bridge.toml").read_text().replace('"scripts/job.py"', '"scripts/leak.py"')
        )
        (project / "scripts" / "leak.py").write_text(LEAKY)
        done = _cli(project, "run", "--plain")
        assert done.returncode in (1, 3), done.stdout + done.stderr
        forms = [KEY, base64.b64encode(KEY.encode()).decode(), KEY.encode().hex()]
        assert not any(form in done.stdout + done.stderr for form in forms)
        written = _bridge_files(project)
        assert project / ".bridge" / "events.db" in written
        assert any(p.name == "EXPERIMENT_TRACKER.md" for p in written)
        for path in written:
            data = path.read_bytes()
            assert not any(form.encode() in data for form in forms), path
        log = _cli(project, "log", "--json")
        assert "[redacted]" in log.stdout, log.stdout  # the text is kept, the key is not
        assert KEY not in log.stdout
        # The run did not inherit the credential variable; `${LAB_KEY}` in env handed it over.
        assert (project / "markers" / "env").read_text() == "-"
        assert (project / "markers" / "passed").read_text() == KEY[:4]

    def test_reviewer_prompt_screens_plan_text(self) -> None:
        """A registered key written into the plan does not go to the reviewer."""
        register_secret_values([KEY])
        request = ReviewRequest(
            purpose="code_review", project=Path("."), plan_excerpt=f"use key {KEY}", method="",
            files={"train.py": f"KEY = {base64.b64encode(KEY.encode()).decode()!r}"},
        )  # fmt: skip
        _, user = build_review_prompt(request)
        assert KEY not in user
        assert base64.b64encode(KEY.encode()).decode() not in user
        assert user.count("[redacted]") == 2

    def test_implementer_prompt_screens_plan_text(self) -> None:
        """A registered key in the plan excerpt does not go to a coding agent either."""
        from bridge.adapters.implement.prompt import build_implement_prompt
        from bridge.machine.ports import ImplementRequest

        register_secret_values([KEY])
        request = ImplementRequest(
            project=Path("."), plan_excerpt=f"token {KEY}", method="", commands={}
        )
        assert KEY not in build_implement_prompt(request, ())

    @pytest.mark.parametrize("short", ["", "abc", "1234567"])
    def test_short_values_are_not_registered(self, short: str) -> None:
        """Values too short to be a credential are not scrubbed from every text."""
        register_secret_values([short])
        assert redact("abc 1234567") == "abc 1234567"


class TestSecretInTheTracker:
    def test_refused_key_names_the_tracker_line(self, tmp_path: Path) -> None:
        """A key pasted into a tracker row is refused naming the tracker file and line, exit 2."""
        project = write_project(tmp_path / "p", [Run(id="R1", milestone="M0", system="sanity")])
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        tracker.write_text(
            tracker.read_text().replace("seed 0", "key sk-abcdefghijklmnopqrstuvwxyz0123")
        )
        done = _cli(project, "run", "--plain")
        assert done.returncode == 2, done.stdout + done.stderr
        assert "EXPERIMENT_TRACKER.md:5: run R1" in done.stderr, done.stderr
        assert "sk-abcdefghij" not in done.stderr + done.stdout
