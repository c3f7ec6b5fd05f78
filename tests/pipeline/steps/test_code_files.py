"""
What a reviewer is shown of the code: the project's scripts and nothing outside it.
"""

from __future__ import annotations

from pathlib import Path

from bridge.pipeline.steps.code import code_files


class TestCodeFiles:
    def test_entry_script_and_its_neighbours(self, tmp_path: Path) -> None:
        """The entry script and the .py files beside it are shown, by project-relative path."""
        (tmp_path / "src").mkdir()
        (tmp_path / "src" / "train.py").write_text("import model\n")
        (tmp_path / "src" / "model.py").write_text("W = 1\n")
        files = code_files(tmp_path, {"R1": ("python3", "src/train.py", "--seed", "0")})
        assert files == {"src/train.py": "import model\n", "src/model.py": "W = 1\n"}

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
        }
        assert code_files(project, commands) == {}

    def test_size_limit_is_kept(self, tmp_path: Path) -> None:
        """Files stop being added once the limit would be passed."""
        (tmp_path / "a.py").write_text("x" * 60)
        (tmp_path / "b.py").write_text("y" * 60)
        files = code_files(tmp_path, {"R1": ("python3", "a.py")}, limit=100)
        assert files == {"a.py": "x" * 60}
