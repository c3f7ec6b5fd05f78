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


def _tree(root: Path, command: str) -> Path:
    """A one-run project (:func:`_project`) with a ``sub/`` folder holding a script that imports
    a module beside it, a ``train.py`` of the same name at the root, and one outside the
    project, so that where a word is read from decides which file it names."""
    _project(root, command)
    (root / "sub" / "pkg").mkdir(parents=True)
    (root / "sub" / "train.py").write_text("import model\n", encoding="utf-8")
    (root / "sub" / "model.py").write_text("W = 1\n", encoding="utf-8")
    (root / "sub" / "pkg" / "mod.py").write_text("", encoding="utf-8")
    (root / "train.py").write_text("import json\n", encoding="utf-8")
    (root.parent / "train.py").write_text("", encoding="utf-8")
    return root


_SUB = {"sub/train.py", "sub/model.py"}


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("sh -c 'cd sub && python train.py --out x'", _SUB),
        ("bash -c 'cd sub; python3 -m pkg.mod'", {"sub/pkg/mod.py"}),
        ("sh -c 'cd -P sub && python train.py'", _SUB),
        ("sh -c 'cd \\\"sub\\\" && python train.py'", _SUB),
        # A subshell's cd ends with it.
        ("sh -c '(cd sub && python train.py); python train.py'", {*_SUB, "train.py"}),
        ("sh -c 'cd sub && cd .. && python train.py'", {"train.py"}),
        # Out of the project: the file there is no code of the project.
        ("sh -c 'cd .. && python train.py'", set()),
        # A cd that fails leaves the shell where it was (`;` runs the rest there).
        ("sh -c 'cd missing; python train.py'", {"train.py"}),
        ("bash -c \\\"cd sub && sh -c 'python train.py'\\\"", _SUB),
        # A line of its own is a command as after `;`.
        ("bash -c 'python train.py\\ncd sub\\npython train.py'", {*_SUB, "train.py"}),
        # The word cd as an argument moves nothing; a cd the shell alone knows stays put.
        ("sh -c 'echo cd sub && python train.py'", {"train.py"}),
        ("sh -c 'cd $HOME && python train.py'", {"train.py"}),
        # Without a shell there is no cd: the argv is run as it stands.
        ("python train.py", {"train.py"}),
    ],
)
def test_a_cd_in_a_shell_string_moves_where_the_words_after_it_are_read(
    tmp_path: Path, command: str, expected: set[str]
) -> None:
    """`sh -c 'cd sub && python train.py'` runs sub/train.py (and the sub/model.py it imports),
    which was looked for at the project's root: an edit of the script the run ran said nothing,
    and the root's train.py of the same name was taken for its code."""
    loaded = load_project(_tree(tmp_path / "p", command))
    (spec,) = loaded.runs
    assert run_script_paths(loaded, spec) == expected


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        # Options that take a value, before `-m`: the module after them was not found.
        ("python -W ignore -m pkg.mod", {"pkg/mod.py"}),
        ("python3 -X importtime -u -m pkg.mod", {"pkg/mod.py"}),
        ("python --check-hash-based-pycs always -m pkg.mod", {"pkg/mod.py"}),
        # Flags written together, and `-m` with its module attached.
        ("python -Wignore -OO -m pkg.mod", {"pkg/mod.py"}),
        ("python -um pkg.mod", {"pkg/mod.py"}),
        ("python -mpkg.mod", {"pkg/mod.py"}),
        ("python -u -I -B -E -s -m pkg.mod", {"pkg/mod.py"}),
        # The interpreter behind a launcher.
        ("/usr/bin/env python3 -m pkg.mod", {"pkg/mod.py"}),
        ("uv run python -W error -m pkg.mod", {"pkg/mod.py"}),
        ("sh -c 'CUDA_VISIBLE_DEVICES=0 python3.11 -X dev -m pkg.mod'", {"pkg/mod.py"}),
        # A folder run as a script runs its __main__.py.
        ("python -u pkg/app", {"pkg/app/__main__.py"}),
        # `-c` is code, and the words after it its arguments: no file, no module.
        ("python -c 'print(1)' -m pkg.mod", set()),
        ("python -c helper.py", set()),
        ("python -", set()),
    ],
)
def test_pythons_options_are_read_as_python_reads_them(
    tmp_path: Path, command: str, expected: set[str]
) -> None:
    """`python -W ignore -m pkg.mod` ran pkg/mod.py, but `ignore` was taken for the program
    whose `-m` it was, so the run had no code: its edits said nothing."""
    project = _project(tmp_path / "p", command)
    (project / "helper.py").write_text("", encoding="utf-8")
    loaded = load_project(project)
    (spec,) = loaded.runs
    assert run_script_paths(loaded, spec) == expected


def test_an_edit_of_the_script_a_cd_led_to_marks_the_runs_kept_as_they_ran(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The tiny project's runs run `sh -c 'cd sub && python3 train.py …'` for real; an edit of
    sub/train.py after they succeeded was taken in silence (train.py was looked for at the
    root). Now `bridge run` names the runs and sub/train.py."""
    from bridge import Bridge, Stage
    from bridge.cli import main
    from tests.e2e.tiny import run_in_sub, write_project

    project = write_project(tmp_path / "p")
    (project / "sub").mkdir()
    (project / "train.py").rename(project / "sub" / "train.py")
    run_in_sub(project)
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    assert list((project / "sub" / "markers").iterdir())  # the script ran there
    capsys.readouterr()
    script = project / "sub" / "train.py"
    script.write_text(script.read_text(encoding="utf-8") + "\n# tuned after the runs\n")
    assert main(["run", "--plain", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    said = [line for line in out.splitlines() if "succeeded before" in line]
    assert len(said) == 1, out
    assert "(code: as run → sub/train.py edited): kept as they ran" in said[0]


def test_a_cd_to_a_name_the_file_system_refuses_stays_put(tmp_path: Path) -> None:
    """A NUL in a `cd` target ("embedded null byte") raised out of the reading of a run's code;
    the shell's cd fails there, so the words after it are read where it was."""
    from bridge.pipeline.command_code import command_files

    (tmp_path / "sub").mkdir()
    (tmp_path / "train.py").write_text("", encoding="utf-8")
    (tmp_path / "sub" / "train.py").write_text("", encoding="utf-8")
    assert command_files(tmp_path, "", ["sh", "-c", 'cd "su\0b" && python train.py']) == [
        "train.py"
    ]
    assert command_files(tmp_path, "", ["sh", "-c", "cd sub && python train.py"]) == [
        "sub/train.py"
    ]
