"""
What importing bridge loads: the public names are there, and nothing heavy comes with them
until it is used (adapters, the pipeline, rich, httpx, SQLite, structlog).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pipeline.conftest import Run, write_project

REPO = Path(__file__).resolve().parents[1]

HEAVY = ("bridge.adapters", "bridge.pipeline.bridge", "rich", "httpx", "sqlite3", "sqlite_utils")

PROBE = """
import json, sys
{code}
print(json.dumps(sorted(sys.modules)))
"""


def _loaded(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(code=code)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=120,
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


class TestLazyImports:
    @pytest.mark.parametrize("module", ["bridge", "bridge.plan", "bridge.errors"])
    def test_importing_loads_nothing_heavy(self, module: str) -> None:
        """`import bridge` and `import bridge.plan` load no adapter, rich, httpx or SQLite."""
        loaded = _loaded(f"import {module}")
        assert _heavy(loaded) == []
        assert "structlog" not in loaded

    def test_help_loads_nothing_heavy(self) -> None:
        """`bridge --help` builds its parser without loading the application."""
        loaded = _loaded(
            "from bridge.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
        )
        assert _heavy(loaded) == []
        assert not any(m.startswith("bridge.plan") for m in loaded)
        assert "attr" not in loaded  # its classes are the application's

    def test_status_loads_no_adapter(self, tmp_path: Path) -> None:
        """`bridge status` reads the log without loading any adapter, the pipeline or rich."""
        (tmp_path / "bridge.toml").write_text("")
        loaded = _loaded(
            f"from bridge.cli import main\nmain(['status', '--project', {str(tmp_path)!r}])"
        )
        assert not any(m.startswith(("bridge.adapters", "bridge.pipeline.bridge")) for m in loaded)
        assert "rich" not in loaded

    def test_run_loads_no_http_client_it_was_not_asked_for(self, tmp_path: Path) -> None:
        """
        `bridge run` without a reviewer, notifier, W&B source or ablation planner configured
        never loads httpx, the retry policy or those adapters (start-up of every run).
        """
        write_project(tmp_path, [Run(id="R1", milestone="M1")], sanity=None)
        loaded = _loaded(
            f"from bridge.cli import main\nmain(['run', '--plain', '--project', {str(tmp_path)!r}])"
        )
        assert "bridge.pipeline.bridge" in loaded  # it did run the pipeline
        unasked = ("httpx", "stamina", "bridge.adapters.review.openai", "bridge.adapters.notify",
                   "bridge.adapters.metrics.wandb", "bridge.adapters.ablation",
                   "bridge.adapters.review.agent", "bridge.adapters.review.prompt",
                   "bridge.adapters.review.fallback",
                   "bridge.adapters.implement.agent")  # fmt: skip
        assert sorted(m for m in unasked if m in loaded) == []
        # Its log file is written without structlog (which loads asyncio and rich's traceback),
        # and into a pipe it prints plain text without rich.
        assert sorted(m for m in ("structlog", "asyncio", "rich") if m in loaded) == []

    def test_run_launches_before_loading_the_renderers(self, tmp_path: Path) -> None:
        """
        `bridge run` launches a new plan's first run before it loads the projections' writer,
        the results, the judge or the criteria's parser (they load for the first rendering,
        while the runs go): the modules loaded when the first wrapper is spawned.
        """
        write_project(tmp_path, [Run(id="R1", milestone="M1")], sanity=None)
        code = (
            "import os\n"
            "seen = []\n"
            "spawn = os.posix_spawn\n"
            "def first(*a, **k):\n"
            "    if not seen:\n"
            "        seen.append(sorted(sys.modules))\n"
            "    return spawn(*a, **k)\n"
            "os.posix_spawn = first\n"
            "from bridge.cli import main\n"
            f"main(['run', '--plain', '--project', {str(tmp_path)!r}])\n"
            "print(json.dumps(seen[0]))\n"
            "sys.exit(0)\n"  # before the probe prints what is loaded at the end
        )
        at_launch = _loaded(code)
        assert "bridge.pipeline.dispatch" in at_launch  # it did get to the launch
        late = (
            "bridge.projections.writer",
            "bridge.projections.results",
            "bridge.projections.outcome",
            "bridge.machine.judge",
            "bridge.plan.criteria",
        )
        assert sorted(m for m in late if m in at_launch) == []

    def test_public_names_load_on_first_use(self) -> None:
        """bridge.Bridge, bridge.Stage and bridge.load_plan resolve, and only then load."""
        loaded = _loaded("import bridge\nbridge.Bridge, bridge.Stage, bridge.load_plan")
        assert "bridge.pipeline.bridge" in loaded

    def test_an_unknown_name_is_an_attribute_error(self) -> None:
        """A misspelt public name fails like any module attribute."""
        import bridge

        with pytest.raises(AttributeError, match="Bridgee"):
            _ = bridge.Bridgee  # type: ignore[attr-defined]
