"""
End to end through the installed ``bridge`` console script, on a fresh copy of the quickstart
(:class:`TestQuickstartEndToEnd`, :class:`TestReadme`). The checks of bad input, ``--help``,
``init``, ``diagram`` and exit codes are of what a command says and returns, not of the script:
they run the same command line in the test's process (``tests.in_process.bridge_here``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.in_process import bridge_here

REPO = Path(__file__).resolve().parents[2]
QUICKSTART = REPO / "examples" / "quickstart"
BRIDGE = shutil.which("bridge", path=str(Path(sys.executable).parent)) or shutil.which("bridge")


def bridge(
    *args: str, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the console script and capture its output."""
    assert BRIDGE is not None, "the bridge console script is not installed (pip install -e .)"
    # The checkout under test, whatever editable install the console script came with.
    env = {**os.environ, "COLUMNS": "200", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [BRIDGE, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
        check=False,
    )


@pytest.fixture
def quickstart(tmp_path: Path) -> Path:
    """A fresh copy of the quickstart project."""
    target = tmp_path / "quickstart"
    shutil.copytree(QUICKSTART, target, ignore=shutil.ignore_patterns(".bridge", "runs"))
    return target


def _versions(project: Path) -> dict[str, list[str]]:
    """The timestamped copies in the project, by the fixed file they are versions of."""
    found: dict[str, list[str]] = {}
    for path in sorted(project.rglob("*")):
        match = re.fullmatch(r"(.+)_\d{8}_\d{6}(?:_\d+)?(\.\w+)", path.name)
        if match and ".bridge" not in path.parts and "runs" not in path.parts:
            found.setdefault(match.group(1) + match.group(2), []).append(path.name)
    return found


class TestQuickstartEndToEnd:
    def test_run_collects_verifies_and_rebuilds(self, quickstart: Path) -> None:
        """bridge run reaches COLLECTED with every run DONE; verify passes; rebuild is exact."""
        done = bridge("run", "--plain", "--project", str(quickstart))
        assert done.returncode == 0, done.stderr + done.stdout
        assert "stage COLLECTED" in done.stdout
        # The workflow's opening summary comes first: blocks and runs by priority, milestones.
        opening = done.stdout.split("stage IMPLEMENTED", 1)[0]
        assert "5 blocks (5 must-run, 0 nice-to-have); 20 runs (17 must-run, 3 nice-to-have)" in (
            opening
        )
        assert "M2 Main: 6 runs" in opening
        tracker = (quickstart / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text()
        rows = [line for line in tracker.splitlines() if re.match(r"\| R\d{3} ", line)]
        assert len(rows) == 20
        # R012 and R014 diverge (the quickstart's seeds 0 and 2 of the high learning rate):
        # done, with the numbers marked not trusted; every other row plainly done.
        untrusted = {row[2:6] for row in rows if "| DONE ⚠ divergence |" in row}
        assert untrusted == {"R012", "R014"}, rows
        assert all("| DONE |" in row for row in rows if row[2:6] not in untrusted), rows
        assert (quickstart / "refine-logs" / "EXPERIMENT_TRACKER.before-bridge.md").exists()
        copies = _versions(quickstart)
        assert copies and all(len(names) == 1 for names in copies.values()), copies
        status = bridge("status", "--json", "--project", str(quickstart))
        assert '"stage": "COLLECTED"' in status.stdout
        assert bridge("verify", "--project", str(quickstart)).returncode == 0
        outputs = {
            p: p.read_bytes()
            for p in [
                quickstart / "MANIFEST.md",
                *sorted((quickstart / "refine-logs").glob("*.md")),
            ]
        }
        for path in (
            quickstart / "MANIFEST.md",
            quickstart / "refine-logs" / "EXPERIMENT_TRACKER.md",
        ):
            path.unlink()
        assert bridge("rebuild", "--project", str(quickstart)).returncode == 0
        assert {p: p.read_bytes() for p in outputs} == outputs
        again = bridge("run", "--plain", "--project", str(quickstart))
        assert again.returncode == 0
        log = bridge("log", "--json", "--project", str(quickstart)).stdout
        assert log.count('"type": "run.started"') == 20  # nothing ran twice
        assert _versions(quickstart) == copies  # nothing changed, so no new version

    def test_auto_deploy_off_waits_for_approval(self, quickstart: Path) -> None:
        """With auto_deploy=false, run stops with exit 3; approve then run finishes."""
        first = bridge("run", "--plain", "-o", "auto_deploy=false", "--project", str(quickstart))
        assert first.returncode == 3, first.stderr + first.stdout
        assert "bridge approve" in first.stdout
        drawn = bridge("diagram", "--project", str(quickstart)).stdout
        active = re.findall(r"^\s*Class (\w+) s_active$", drawn, re.M)
        assert active == ["AWAITING_APPROVAL"]  # the stage it waits in, alone
        assert bridge("approve", "--project", str(quickstart)).returncode == 0
        second = bridge("run", "--plain", "-o", "auto_deploy=false", "--project", str(quickstart))
        assert second.returncode == 0, second.stderr + second.stdout


class TestBadInput:
    def test_missing_plan_is_exit_2_with_a_hint(self, tmp_path: Path) -> None:
        """An empty directory: exit 2, where it looked, how to start, no traceback."""
        result = bridge_here("run", "--project", str(tmp_path))
        assert result.returncode == 2
        assert "bridge init" in result.stderr
        assert "Traceback" not in result.stderr + result.stdout

    def test_broken_bridge_toml_names_file_and_line(self, quickstart: Path) -> None:
        """A TOML syntax error: exit 2 naming bridge.toml and the line."""
        (quickstart / "bridge.toml").write_text("[bridge]\nmax_parallel = = 2\n")
        result = bridge_here("plan", "--project", str(quickstart))
        assert result.returncode == 2
        assert "bridge.toml" in result.stderr and ":2" in result.stderr
        assert "Traceback" not in result.stderr

    def test_unknown_option_names_the_closest(self, quickstart: Path) -> None:
        """-o max_paralel=2 is refused with the closest valid key."""
        result = bridge_here("plan", "-o", "max_paralel=2", "--project", str(quickstart))
        assert result.returncode == 2
        assert "max_parallel" in result.stderr
        assert "Traceback" not in result.stderr

    def test_secret_in_bridge_toml_is_refused(self, quickstart: Path) -> None:
        """A token written into [run] env is refused (exit 2) without echoing its value."""
        toml = quickstart / "bridge.toml"
        toml.write_text(toml.read_text().replace(
            'env = { PYTHONUNBUFFERED = "1" }',
            'env = { PYTHONUNBUFFERED = "1", HF_TOKEN = "hf_s3cr3tvalue" }',
        ))  # fmt: skip
        result = bridge_here("run", "--plain", "--project", str(quickstart))
        assert result.returncode == 2, result.stdout + result.stderr
        assert "HF_TOKEN" in result.stderr
        assert "hf_s3cr3tvalue" not in result.stderr + result.stdout
        assert not list(quickstart.glob(".bridge/runs/*"))  # nothing ran

    def test_unknown_run_id_is_exit_2(self, quickstart: Path) -> None:
        """retry R999 on a project without such a run is bad input."""
        assert bridge_here("advance", "--project", str(quickstart)).returncode == 0
        result = bridge_here("retry", "R999", "--project", str(quickstart))
        assert result.returncode == 2
        assert "R999" in result.stderr and "Traceback" not in result.stderr

    def test_help_has_an_example_for_every_command(self) -> None:
        """Every subcommand's --help shows an example."""
        for command in (
            "init",
            "plan",
            "advance",
            "run",
            "status",
            "approve",
            "cancel",
            "retry",
            "log",
            "replay",
            "rebuild",
            "verify",
            "diagram",
        ):
            result = bridge_here(command, "--help")
            assert result.returncode == 0
            assert "Example: bridge" in result.stdout, command


class TestInitAndDiagram:
    def test_init_writes_a_plan_bridge_can_read(self, tmp_path: Path) -> None:
        """bridge init writes templates that bridge plan reads without error."""
        assert bridge_here("init", str(tmp_path / "new")).returncode == 0
        result = bridge_here("plan", "--json", "--project", str(tmp_path / "new"))
        assert result.returncode == 0, result.stderr
        assert '"R001"' in result.stdout
        again = bridge_here("init", str(tmp_path / "new"))
        assert again.returncode == 2 and "--force" in again.stderr

    def test_diagram_is_mermaid(self, tmp_path: Path) -> None:
        """bridge diagram prints a fenced Mermaid state diagram; outside a project no stage is
        marked current."""
        result = bridge_here("diagram", "--project", str(tmp_path))
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(
            "```mermaid\n---\ntitle: bridge pipeline\n---\nstateDiagram-v2\n"
        )
        assert result.stdout.rstrip().endswith("```")
        assert "PLANNED --> IMPLEMENTED: implement" in result.stdout
        assert "Class PLANNED s_default" in result.stdout
        assert not re.findall(r"^\s*Class \w+ s_active$", result.stdout, re.M)


class TestReadme:
    def test_first_command_block_runs(self, tmp_path: Path) -> None:
        """The README's first shell block (install + quickstart) runs and succeeds."""
        readme = (REPO / "README.md").read_text()
        block = re.search(r"```bash\n(.*?)```", readme, re.S)
        assert block is not None
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "TMPDIR": str(tmp_path),
        }
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block.group(1)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        assert "stage COLLECTED" in result.stdout


class TestExitCodes:
    def test_failed_must_run_is_exit_1_with_the_summary(self, tmp_path: Path) -> None:
        """A finished pipeline whose must-run run failed exits 1 and says which run."""
        from tests.pipeline.conftest import Run, write_project

        project = write_project(
            tmp_path / "p",
            [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1", mode="fail")],
        )
        result = bridge_here("run", "--plain", "--project", str(project))
        assert result.returncode == 1, result.stdout + result.stderr
        assert "stage COLLECTED" in result.stdout
        assert "R1" in result.stdout and "Traceback" not in result.stderr
