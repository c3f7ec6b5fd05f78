"""
What a reviewer is shown of the code: the code the runs run (the files their commands name and
the project's modules those import, as "kept as it ran" reads a run's code), nothing outside
the project.
"""

from __future__ import annotations

from pathlib import Path

from bridge.pipeline.steps.code import code_files
from tests.adapters.review.conftest import ScriptedOpenAI
from tests.conftest import needs_shared


class TestCodeFiles:
    def test_entry_script_and_the_modules_it_imports(self, tmp_path: Path) -> None:
        """The entry script and the project's modules it imports are shown, by project-relative
        path; another entry script beside it, which the run never runs, is not (it was)."""
        (tmp_path / "src").mkdir()
        (tmp_path / "src" / "train.py").write_text("import model\n")
        (tmp_path / "src" / "model.py").write_text("W = 1\n")
        (tmp_path / "src" / "plot_figures.py").write_text("import matplotlib\n")
        files = code_files(tmp_path, {"R1": ("python3", "src/train.py", "--seed", "0")})
        assert files == {"src/train.py": "import model\n", "src/model.py": "W = 1\n"}

    def test_the_code_of_a_shell_string_and_a_module(self, tmp_path: Path) -> None:
        """`sh -c 'cd sub && python train.py'` and `python -W ignore -m pkg.run` showed the
        reviewer nothing (no word of theirs ends in .py); now it sees what they run."""
        (tmp_path / "sub").mkdir()
        (tmp_path / "sub" / "train.py").write_text("import model\n")
        (tmp_path / "sub" / "model.py").write_text("W = 1\n")
        (tmp_path / "pkg").mkdir()
        (tmp_path / "pkg" / "__init__.py").write_text("")
        (tmp_path / "pkg" / "run.py").write_text("from . import data\n")
        (tmp_path / "pkg" / "data.py").write_text("ROWS = 3\n")
        commands = {
            "R1": ("sh", "-c", "cd sub && python train.py --out OUT"),
            "R2": ("python", "-W", "ignore", "-m", "pkg.run"),
        }
        assert set(code_files(tmp_path, commands)) == {
            "sub/train.py",
            "sub/model.py",
            "pkg/run.py",
            "pkg/__init__.py",  # `from . import data` runs the package's __init__.py
            "pkg/data.py",
        }

    def test_a_runs_working_directory_is_where_its_words_are_read(self, tmp_path: Path) -> None:
        """A run with ``cwd = "sub"`` runs sub/train.py, not a train.py at the root."""
        (tmp_path / "sub").mkdir()
        (tmp_path / "sub" / "train.py").write_text("X = 1\n")
        (tmp_path / "train.py").write_text("Y = 2\n")
        files = code_files(tmp_path, {"R1": ("python", "train.py")}, cwds={"R1": "sub"})
        assert files == {"sub/train.py": "X = 1\n"}

    def test_nothing_outside_the_project(self, tmp_path: Path) -> None:
        """An absolute path elsewhere, a ../ path and a link leading out are all left out."""
        project, outside = tmp_path / "p", tmp_path / "elsewhere"
        project.mkdir()
        outside.mkdir()
        (outside / "secret.py").write_text("TOKEN = 'x'\n")
        (project / "link.py").symlink_to(outside / "secret.py")
        commands = {
            "R1": ("python3", str(outside / "secret.py")),
            "R2": ("python3", "../elsewhere/secret.py"),
            "R3": ("python3", "link.py"),
            "R4": ("sh", "-c", "cd .. && python3 elsewhere/secret.py"),
        }
        assert code_files(project, commands) == {}

    def test_size_limit_is_kept(self, tmp_path: Path) -> None:
        """Files stop being added once the limit would be passed."""
        (tmp_path / "a.py").write_text("import b\n" + "x" * 60)
        (tmp_path / "b.py").write_text("y" * 60)
        files = code_files(tmp_path, {"R1": ("python3", "a.py")}, limit=100)
        assert files == {"a.py": "import b\n" + "x" * 60}

    def test_every_runs_script_comes_before_the_modules_they_import(self, tmp_path: Path) -> None:
        """Where the limit cuts, it cuts an imported module, not another run's own script."""
        (tmp_path / "a.py").write_text("import big\n")
        (tmp_path / "big.py").write_text("z" * 80)
        (tmp_path / "b.py").write_text("B = 1\n")
        commands = {"R1": ("python3", "a.py"), "R2": ("python3", "b.py")}
        assert set(code_files(tmp_path, commands, limit=50)) == {"a.py", "b.py"}


@needs_shared
def test_018_the_reviewer_reads_the_modules_its_runs_run(tmp_path: Path) -> None:
    """018's runs are `python3 -m jphrl.…` and `sh -c '…'` commands: the reviewer was shown no
    file at all. Now it reads each run's module (the B1 runs' harness_bandit.py, the G1
    control's g1_integrity.py and verify script, M0's cli.py) and what they import, within
    the limit."""
    from bridge.plan import load_project
    from bridge.plan.templates import render_for_reading
    from tests.acceptance.test_real_projects import _copy

    project = _copy("018_areal-harness-cn", tmp_path)
    runs = load_project(project).runs
    commands = {r.id: render_for_reading(r.command, r.params) for r in runs if r.command}
    files = code_files(project, commands)
    assert {
        "jphrl/cli.py",
        "jphrl/experiments/harness_bandit.py",
        "jphrl/experiments/g1_integrity.py",
        "scripts/verify_g1_integrity.py",
        "jphrl/harness/controller.py",
    } <= set(files)
    assert sum(map(len, files.values())) <= 200_000


def test_the_reviewer_reads_the_code_the_runs_run(
    tmp_path: Path, openai_server: ScriptedOpenAI
) -> None:
    """The tiny project's runs run `sh -c 'cd sub && python3 train.py …'` for real: the code
    review's prompt carried no file at all ("# Files (none)"); now it carries sub/train.py and
    the sub/weights.py it imports, and not a plotting script beside them that no run runs."""
    from bridge import Bridge, Stage
    from tests.e2e.tiny import SCRIPT, run_in_sub, write_project

    project = write_project(
        tmp_path / "p",
        toml_extra=f'[reviewer]\nkind = "openai"\nbase_url = "{openai_server.base_url}"\n'
        'model = "m"\n',
    )
    (project / "sub").mkdir()
    (project / "train.py").unlink()
    (project / "sub" / "train.py").write_text("import weights\n" + SCRIPT)
    (project / "sub" / "weights.py").write_text("SCALE = 1.0\n")
    (project / "sub" / "plot_figures.py").write_text("import matplotlib\n")
    run_in_sub(project)
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    prompts = [str(r["body"]["messages"][-1]["content"]) for r in openai_server.requests]
    assert prompts, "no review was asked for"
    files = prompts[0].split("# Files\n", 1)[1]
    assert "## sub/train.py" in files and "## sub/weights.py" in files, files[:500]
    assert "plot_figures" not in files
