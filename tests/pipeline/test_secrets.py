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


class TestHandedOverVariables:
    """``env = { NAME = "${VAR}" }`` hands bridge's VAR to a run: whatever VAR is called, its
    value is a secret the researcher kept out of bridge.toml."""

    def _project(self, tmp_path: Path, env: str, **kwargs: str) -> Path:
        project = write_project(
            tmp_path / "p", [Run(id="R1", milestone="M0", system="sanity")], run=env, **kwargs
        )
        (project / "bridge.toml").write_text(
            (project / "bridge.toml").read_text().replace('"scripts/job.py"', '"scripts/leak.py"')
        )
        (project / "scripts" / "leak.py").write_text(LEAKY)
        return project

    def test_a_handed_over_value_is_redacted_wherever_bridge_writes(self, tmp_path: Path) -> None:
        """A variable no ``*_env`` setting names, handed to the run as HF_TOKEN and printed by
        it: the value is nowhere in what bridge wrote or printed, and the secret-looking key
        name with a ``${...}`` value is not refused (it names a secret, it holds none)."""
        value = "c0ffee11d00dfeed2bad4badcafe5eed"
        project = self._project(
            tmp_path, 'env = { HF_TOKEN = "${RT_TOKEN}", LEAK = "${RT_TOKEN}" }'
        )
        env = dict(os.environ) | {"PYTHONPATH": str(REPO_ROOT), "RT_TOKEN": value}
        done = subprocess.run(
            [sys.executable, "-m", "bridge", "run", "--plain", "--project", str(project)],
            capture_output=True, text=True, timeout=120, env=env, check=False,
        )  # fmt: skip
        assert done.returncode in (1, 3), done.stdout + done.stderr
        assert "[redacted]" in done.stdout + done.stderr  # the run's error line is shown
        assert value not in done.stdout + done.stderr
        for path in _bridge_files(project):
            assert value.encode() not in path.read_bytes(), path
        # The run did get it: its own stderr holds it (the run's file, not bridge's).
        stderr = next((project / ".bridge" / "runs" / "R1").glob("*/stderr.log"))
        assert value in stderr.read_text()

    def test_a_handed_over_path_is_not_taken_for_a_secret(self, tmp_path: Path) -> None:
        """``WORK = "${SCRATCH}"`` names no credential, ``${PWD}`` is the shell's folder, and
        a credential's path (GOOGLE_APPLICATION_CREDENTIALS) is where a secret is, not one:
        redacting such a value (a path also in bridge's own records) would turn every recorded
        path into "[redacted]/..."."""
        project = write_project(tmp_path / "p", [Run(id="R1", milestone="M0", system="sanity")])
        toml = project / "bridge.toml"
        toml.write_text(
            toml.read_text()
            + '\n[systems."sanity"]\nenv = { WORK = "${LAB_WORK}", HERE = "${PWD}", '
            'GOOGLE_APPLICATION_CREDENTIALS = "${LAB_WORK}" }\n'
        )
        env = dict(os.environ) | {
            "PYTHONPATH": str(REPO_ROOT), "LAB_WORK": str(project), "PWD": str(project)
        }  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "bridge", "run", "--plain", "--project", str(project)],
            capture_output=True, text=True, timeout=120, env=env, check=False, cwd=project,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        assert "[redacted]" not in done.stdout + done.stderr
        log = _cli(project, "log", "--json")
        assert "[redacted]" not in log.stdout
        assert f"{project}/.bridge/runs/R1/" in log.stdout
        assert not (project / "[redacted]").exists()

    def test_an_unset_variable_is_exit_2_before_any_launch(self, tmp_path: Path) -> None:
        """An unset ``${VAR}`` would hand the run an empty value: refused, naming the line."""
        project = self._project(tmp_path, 'env = { HF_TOKEN = "${BRIDGE_TEST_UNSET_VAR}" }')
        done = _cli(project, "run", "--plain")
        assert done.returncode == 2, done.stdout + done.stderr
        line = _line_of(project, "HF_TOKEN")
        assert f"bridge.toml:{line}: run.env.HF_TOKEN" in done.stderr, done.stderr
        assert "BRIDGE_TEST_UNSET_VAR, which is not set" in done.stderr
        assert not (project / ".bridge" / "runs").exists()

    @pytest.mark.parametrize(
        ("entry", "reason"),
        [
            ('CACHE = "${HOME}/cache"', "whole value is"),
            ('CACHE = "${HOME"', "whole value is"),
            ('"BAD=NAME" = "1"', "is not a variable name"),
            ('"2FAST" = "1"', "is not a variable name"),
        ],
    )
    def test_an_env_entry_bridge_would_pass_wrong_is_exit_2(
        self, tmp_path: Path, entry: str, reason: str
    ) -> None:
        """A value with ``${`` around other text, or a name no shell takes: refused at load with
        the line, not passed on as written (or failed at launch)."""
        project = self._project(tmp_path, f"env = {{ {entry} }}")
        done = _cli(project, "plan")
        assert done.returncode == 2, done.stdout + done.stderr
        assert f"bridge.toml:{_line_of(project, 'env = ')}: run.env" in done.stderr, done.stderr
        assert reason in done.stderr

    @pytest.mark.parametrize(
        "entry",
        ['HF_TOKEN = "hf_abcdefghijklmnopqrstuvwxyzABCDEF12"', 'DB_PASSWORD = "hunter2hunter2"'],
    )
    @pytest.mark.parametrize("command", ["plan", "run"])
    def test_a_credential_written_out_is_exit_2_at_its_line(
        self, tmp_path: Path, entry: str, command: str
    ) -> None:
        """A key-shaped value, or any value under a credential's name, written in bridge.toml:
        `bridge plan` and `bridge run` both refuse it at its line before anything is recorded,
        name the `${NAME}` to write instead, and never print the value (`bridge plan` said
        nothing, `bridge run` printed the plan and then "refusing to record run.planned" at the
        tracker row)."""
        project = self._project(tmp_path, f"env = {{ {entry} }}")
        done = _cli(project, command, *(["--plain"] if command == "run" else []))
        assert done.returncode == 2, done.stdout + done.stderr
        key = entry.split(" ")[0]
        assert f"bridge.toml:{_line_of(project, key)}: run.env.{key} holds a credential" in (
            done.stderr
        ), done.stderr
        assert f'{key} = "${{{key}}}"' in done.stderr
        assert entry.split('"')[1] not in done.stdout + done.stderr
        assert done.stdout == ""
        assert not (project / ".bridge" / "runs").exists()

    def test_modal_refuses_a_handed_over_variable(self, tmp_path: Path) -> None:
        """On Modal the value would travel in the call's input: exit 2, pointing at Secrets."""
        project = self._project(tmp_path, 'env = { HF_TOKEN = "${LAB_KEY}" }')
        done = _cli(project, "run", "--plain", "-o", "backend=modal")
        assert done.returncode == 2, done.stdout + done.stderr
        assert "run.env.HF_TOKEN" in done.stderr and "Modal Secret" in done.stderr
        assert KEY not in done.stdout + done.stderr

    def test_a_key_named_argument_is_not_taken_for_a_secret(self, tmp_path: Path) -> None:
        """``metric_key`` names a metric, not a credential: the run is recorded and launched."""
        project = write_project(
            tmp_path / "p",
            [Run(id="R1", milestone="M0", system="sanity")],
        )
        toml = project / "bridge.toml"
        toml.write_text(
            toml.read_text().replace(
                'args = { mode = "ok",',
                'args = { metric_key = "val_acc", sort_key = "x", mode = "ok",',
            )
        )
        done = _cli(project, "run", "--plain")
        assert done.returncode == 0, done.stdout + done.stderr


def _line_of(project: Path, text: str) -> int:
    lines = (project / "bridge.toml").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)
