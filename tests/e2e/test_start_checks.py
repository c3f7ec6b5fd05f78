"""
Mistakes caught at start (exit 2, nothing launched), through the command line on the
quickstart: a program not on PATH, GPU runs on a machine without them, a misspelt
``[systems."NAME"]`` table or key, a placeholder in ``outputs``; runs with no command listed at
once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_cli import quickstart  # noqa: F401 (the fixture)
from tests.e2e.tiny import write_project
from tests.in_process import bridge_here


def _edit(project: Path, old: str, new: str) -> None:
    toml = project / "bridge.toml"
    text = toml.read_text()
    assert old in text
    toml.write_text(text.replace(old, new, 1))


def _refused(project: Path, *words: str, command: str = "run") -> None:
    result = bridge_here(command, "--project", str(project))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert not (project / ".bridge" / "runs").exists()  # nothing launched


class TestCaughtAtStart:
    @pytest.mark.parametrize("command", ["plan", "run"])
    def test_program_not_on_path(self, quickstart: Path, command: str) -> None:  # noqa: F811
        """A misspelt program is named with the runs and the closest names, at start; `bridge
        plan` says so too (a preview of a plan that cannot start)."""
        _edit(quickstart, 'command = "python3 ', 'command = "pythn3 ')
        _refused(
            quickstart,
            "bridge: error: bridge.toml:13: ",
            "'pythn3' is not on PATH",
            "did you mean",
            "R001",
            command=command,
        )

    @pytest.mark.parametrize("command", ["plan", "run"])
    def test_gpu_runs_without_gpus(self, quickstart: Path, command: str) -> None:  # noqa: F811
        """Runs asking for more GPUs than the machine has are refused, not failed at sanity."""
        _edit(quickstart, "timeout_minutes = 2\n", "timeout_minutes = 2\ngpus = 64\n")
        _refused(quickstart, "gpus = 64", "R001", command=command)

    @pytest.mark.parametrize("command", ["plan", "plan --json", "run"])
    def test_misspelt_backend_key(self, quickstart: Path, command: str) -> None:  # noqa: F811
        """A misspelt key in a [backends.NAME] section: `bridge plan` refuses it as `bridge run`
        does at start, with the same message and nothing printed of the plan."""
        section = "\n[backends.local]\nslot = 2\n"
        _edit(quickstart, 'backend = "local"\n', 'backend = "local"\n' + section)
        result = bridge_here(*command.split(), "--project", str(quickstart))
        assert result.returncode == 2, result.stdout + result.stderr
        assert result.stderr.startswith(
            "bridge: error: bridge.toml:13: unknown setting backends.local.slot"
        ), result.stderr
        assert result.stdout == ""

    @pytest.mark.parametrize("command", ["plan", "run"])
    def test_unknown_systems_table(self, quickstart: Path, command: str) -> None:  # noqa: F811
        """A [systems] table no run names is refused with the closest system names."""
        _edit(quickstart, '[systems."Perceptron"]', '[systems."Perceptorn"]')
        _refused(quickstart, '"Perceptorn"', "did you mean 'Perceptron'", command=command)

    @pytest.mark.parametrize("command", ["plan", "run"])
    def test_misspelt_key(self, quickstart: Path, command: str) -> None:  # noqa: F811
        """A misspelt bridge.toml key is refused with file:line and the key meant, no traceback."""
        _edit(quickstart, "timeout_minutes = 2\n", "timeout_minutes = 2\ntimeout_minuts = 3\n")
        _refused(
            quickstart,
            "bridge: error: bridge.toml:17: ",
            "unknown setting run.timeout_minuts; did you mean 'timeout_minutes'?",
            command=command,
        )

    def test_placeholder_in_outputs(self, quickstart: Path) -> None:  # noqa: F811
        """{output_dir} in outputs is refused with the path to write instead."""
        _edit(quickstart, 'outputs = ["metrics.json"', 'outputs = ["{output_dir}/metrics.json"')
        _refused(quickstart, "run.outputs", "write 'metrics.json'", command="plan")


class TestRunsWithoutCommand:
    def test_listed_at_once_by_plan_and_blocking_at_implement(self, tmp_path: Path) -> None:
        """Every run without a command is named together: a warning from `bridge plan`, one
        blocking finding at implement (exit 3), and nothing launched."""
        project = write_project(tmp_path / "p")
        toml = project / "bridge.toml"
        toml.write_text(
            "\n".join(ln for ln in toml.read_text().splitlines() if not ln.startswith("command"))
        )
        plan = bridge_here("plan", "--project", str(project))
        assert plan.returncode == 0, plan.stderr
        assert "none of the 3 runs has a command; set [run] command" in plan.stdout
        run = bridge_here("run", "--plain", "--project", str(project))
        assert run.returncode == 3, run.stdout + run.stderr
        assert "3 runs have no command: R001, R002, R003" in run.stdout
        assert not (project / ".bridge" / "runs").exists()

    def test_without_a_bridge_toml_the_warning_names_the_file_alone(self, tmp_path: Path) -> None:
        """No bridge.toml at all: the warning is about the file as a whole, so it names
        ``bridge.toml`` without a line, never a line 0."""
        project = write_project(tmp_path / "p")
        (project / "bridge.toml").unlink()
        plan = bridge_here("plan", "--project", str(project))
        assert plan.returncode == 0, plan.stderr
        assert "warning bridge.toml: none of the 3 runs has a command" in plan.stdout
        assert "bridge.toml:0" not in plan.stdout
