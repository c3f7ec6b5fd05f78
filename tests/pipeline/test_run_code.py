"""
Which code a run ran: the files its command names (:func:`run_script_paths`), read from the
real projects' commands (``sh -c`` strings, ``python -m pkg.mod``) and from small inline ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.pipeline.recording import run_script_paths, script_paths
from bridge.plan import load_project
from tests.acceptance.test_real_projects import _copy
from tests.conftest import needs_shared


def _paths(project: Path) -> dict[str, set[str]]:
    loaded = load_project(project)
    return {spec.id: run_script_paths(loaded, spec) for spec in loaded.runs}


@needs_shared
def test_009_each_run_ran_the_script_it_names(tmp_path: Path) -> None:
    """009: R004's script is named inside `sh -c '… python3 scripts/analyze_placement_results.py
    …'` and was never seen, while R001–R003 counted every script of their folder as theirs, so
    an edit of R004's script marked them "kept as they ran" and not R004. Now each run has the
    one script it names."""
    paths = _paths(_copy("009_tool-placement", tmp_path))
    assert paths == {
        "R001": {"scripts/parse_mcp_flow_level1.py"},
        "R002": {"scripts/run_retrieval_baseline.py"},
        "R003": {"scripts/analyze_representation_signals.py"},
        "R004": {"scripts/analyze_placement_results.py"},
        "R005": set(),  # no command: it needs model-call outputs from an API
    }


@needs_shared
def test_018_python_dash_m_is_the_modules_file(tmp_path: Path) -> None:
    """018: `python3 -m jphrl.experiments.harness_bandit` named no code, so an edit of
    jphrl/experiments/harness_bandit.py said nothing; now it is the B1 runs' code, and the
    `sh -c` of the G1 control names its module and its verify script."""
    project = _copy("018_areal-harness-cn", tmp_path)
    paths = _paths(project)
    for run in ("JPH-B1-HO-S0", "JPH-B1-HO-S1", "JPH-B1-HO-S2"):
        assert "jphrl/experiments/harness_bandit.py" in paths[run], run
        # And the project's modules it imports, which it ran as well.
        assert "jphrl/harness/controller.py" in paths[run], run
        assert "jphrl/harness/__init__.py" in paths[run], run
        assert all(path.startswith("jphrl/") for path in paths[run]), paths[run]
    assert "jphrl/cli.py" in paths["JPH-M0-LOCAL-001"]
    assert {
        "jphrl/experiments/g1_integrity.py",
        "scripts/verify_g1_integrity.py",
    } <= paths["JPH-G1-CTRL-001"]
    assert "jphrl/experiments/harness_bandit.py" in script_paths(load_project(project))


def _project(root: Path, command: str) -> Path:
    """A one-run project whose run's command is ``command`` (a TOML basic string's text)."""
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# Plan\n\n## Claim Map\n\n### Block B1: Main\n- Systems: Method\n"
        "- Metrics: acc\n- Success criterion: acc > 0.5\n",
        encoding="utf-8",
    )
    (root / "bridge.toml").write_text(
        f'[[runs]]\nid = "R1"\nsystem = "Method"\nblock = "B1"\ncommand = "{command}"\n',
        encoding="utf-8",
    )
    (root / "pkg" / "app").mkdir(parents=True)
    for name in ("pkg/__init__.py", "pkg/mod.py", "pkg/app/__main__.py", "pkg/app/__init__.py"):
        (root / name).write_text("", encoding="utf-8")
    (root / "pkg" / "helper.py").write_text("", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        # A package runs its __main__.py; only the module named, not its neighbour helper.py.
        ("python -u -m pkg.app --x 1", {"pkg/app/__main__.py", "pkg/app/__init__.py"}),
        ("python3.11 -m pkg.mod", {"pkg/mod.py"}),
        # An installed module is no file of the project; `git commit -m` is no Python.
        ("python -m pytest -q", set()),
        ("sh -c 'git commit -m pkg.mod && python pkg/helper.py'", {"pkg/helper.py"}),
        ("bash -lc 'cd x; python3 -m pkg.mod|tee log'", {"pkg/mod.py"}),
        # An unclosed quote is read as no words, never run and never a traceback.
        ("sh -c 'python pkg/mod.py \\\"'", set()),
        ("python ../outside.py", set()),
    ],
)
def test_the_code_a_command_names(tmp_path: Path, command: str, expected: set[str]) -> None:
    """The files a command names: ``python -m`` modules inside the project and scripts inside
    ``sh -c`` strings, nothing outside the project, nothing for what is not read."""
    loaded = load_project(_project(tmp_path / "p", command))
    (spec,) = loaded.runs
    assert run_script_paths(loaded, spec) == expected


def test_the_modules_a_script_imports_are_its_code(tmp_path: Path) -> None:
    """The quickstart's train.py imports common, logreg, majority and perceptron from its
    folder: an edit of logreg.py changes every run's numbers, so they are its code (read with
    ast, never run), while a script beside it that it does not import is not."""
    import shutil

    project = tmp_path / "quickstart"
    shutil.copytree(Path(__file__).parents[2] / "examples" / "quickstart", project)
    (project / "scripts" / "other_entry.py").write_text("import json\n")
    (project / "scripts" / "broken.py").write_text("def (:\n")  # does not parse: imports none
    paths = _paths(project)
    assert paths["R001"] == {
        "scripts/train.py",
        "scripts/common.py",
        "scripts/logreg.py",
        "scripts/majority.py",
        "scripts/perceptron.py",
    }


def test_relative_and_package_imports_are_followed_and_others_are_not(tmp_path: Path) -> None:
    """`from .model import Net` inside a package, `import pkg.util` (its __init__ run too); the
    standard library and a name no file holds are none of the project's code."""
    from bridge.pipeline.local_imports import local_imports

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "train.py").write_text(
        "import json\nimport pkg.util\nfrom .model import Net\nimport not_installed_anywhere\n"
    )
    (tmp_path / "pkg" / "model.py").write_text("from . import layers\n")
    (tmp_path / "pkg" / "layers.py").write_text("X = 1\n")
    (tmp_path / "pkg" / "util.py").write_text("")
    (tmp_path / "pkg" / "unused.py").write_text("")
    found = local_imports(tmp_path, [tmp_path / "pkg" / "train.py"], [tmp_path], 50)
    assert {str(p.relative_to(tmp_path)) for p in found} == {
        "pkg/__init__.py",
        "pkg/util.py",
        "pkg/model.py",
        "pkg/layers.py",
    }
    assert local_imports(tmp_path, [tmp_path / "pkg" / "train.py"], [tmp_path], 2)[2:] == []
