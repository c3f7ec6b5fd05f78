"""
README's two commands, as a newcomer meets them: the first on a machine with nothing set up, the
second's shared-dependent tests on a clone without ``../shared/``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
FENCE = re.compile(r"```bash\n(.*?)\n```", re.S)


def _commands() -> list[str]:
    return FENCE.findall((REPO / "README.md").read_text(encoding="utf-8"))


def _clone(target: Path) -> Path:
    """The checkout's files as a fresh clone has them (tracked and new, nothing ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _pip_source() -> dict[str, str]:
    # A new machine reaches PyPI; this one may only have a local index, configured for its
    # user. Hand pip that configuration and nothing else of the user's environment.
    found = subprocess.run(
        [sys.executable, "-m", "pip", "config", "debug"], capture_output=True, text=True
    ).stdout
    files = re.findall(r"^\s+(\S+pip\.conf), exists: True", found, re.M)
    user = [f for f in files if not f.startswith(("/etc", "/usr"))]
    return {"PIP_CONFIG_FILE": user[-1]} if user else {}


class TestFirstCommand:
    def test_readme_first_command_names_no_bare_bridge(self) -> None:
        """The command runs bridge through the environment's own Python, never PATH's bridge."""
        first = _commands()[0]
        assert ".venv/bin/python -m bridge run" in first
        assert not re.search(r"(^|&&|;)\s*bridge\b", first)

    @pytest.mark.slow
    def test_first_command_on_a_clean_machine(self, tmp_path: Path) -> None:
        """With only the system PATH and an empty HOME, README's first command reaches COLLECTED."""
        if not Path("/usr/bin/python3").exists():
            pytest.skip("no system python3 at /usr/bin/python3")
        clone = _clone(tmp_path / "bridge")
        home = tmp_path / "home"
        home.mkdir()
        env = {"PATH": SYSTEM_PATH, "HOME": str(home), "TMPDIR": str(tmp_path), **_pip_source()}
        done = subprocess.run(
            ["bash", "-c", _commands()[0]],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        # The summary's count: R012 and R014 diverge on purpose (examples/quickstart's B4).
        assert (
            "stage COLLECTED: 15/17 must-run runs completed (2 succeeded with numbers not "
            "trusted: R012, R014)" in done.stdout
        )
        assert "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone with nothing beside it (no ../shared/), made once: the tests only run pytest in
    it."""
    return _clone(tmp_path_factory.mktemp("readme") / "bridge")


class TestSecondCommandWithoutShared:
    def _pytest(self, clone: Path, **extra: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BRIDGE_")}
        subset = [
            "tests/test_shared.py",
            "tests/plan/test_corpus.py",
            "tests/plan/test_regressions.py::TestCorpusMilestones",
        ]
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *subset],
            cwd=clone,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def test_shared_tests_are_not_run_and_say_so_once(self, clone: Path) -> None:
        """Without ../shared the subset passes, and one line says what was left out and why."""
        done = self._pytest(clone)
        assert done.returncode in (0, 5), done.stdout[-3000:]  # 5: nothing left to run
        lines = [line for line in done.stdout.splitlines() if "../shared/" in line]
        assert len(lines) == 1, done.stdout
        assert re.match(r"skipped \d+ tests that read \.\./shared/", lines[0])
        assert "SKIPPED" not in done.stdout

    def test_ci_turns_the_absence_into_a_failure(self, clone: Path) -> None:
        """BRIDGE_REQUIRE_SHARED=1, as .ci/run sets it, fails at once without ../shared."""
        done = self._pytest(clone, BRIDGE_REQUIRE_SHARED="1")
        assert done.returncode not in (0, 5)
        assert "BRIDGE_REQUIRE_SHARED=1 but there is no shared folder" in done.stdout + done.stderr
        ci = (REPO / ".ci" / "run").read_text()
        assert "BRIDGE_REQUIRE_SHARED=1" in ci and "./scripts/test" in ci
