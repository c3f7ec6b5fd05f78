"""
Real git repositories and real executable fake agents for the implementer tests.
"""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

GIT_IDENTITY = ["-c", "user.name=Bridge Test", "-c", "user.email=test@example.invalid"]


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` and return stdout (fails the test on a non-zero exit)."""
    done = subprocess.run(
        ["git", *GIT_IDENTITY, *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def run_git():
    """The git helper, as a fixture so test modules need not import this conftest."""
    return git


@pytest.fixture
def git_project(tmp_path: Path) -> Path:
    """A git repository with one commit holding train.py and README.md."""
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q", "-b", "main")
    (project / "train.py").write_text("print('old')\n")
    (project / "README.md").write_text("# demo\n")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "initial")
    return project


@pytest.fixture
def write_agent(tmp_path: Path):
    """Write a real executable Python script (shebang, chmod +x) and return its path."""

    def write(name: str, body: str) -> Path:
        path = tmp_path / "agents" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
        return path

    return write
