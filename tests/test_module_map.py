"""
Tests that docs/modules.md names every module of the package and is current.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO_ROOT

DOC = REPO_ROOT / "docs" / "modules.md"
MODULES = sorted((REPO_ROOT / "bridge").rglob("*.py"))


@functools.cache
def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_module_map", REPO_ROOT / "scripts" / "gen_module_map.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestModuleMap:
    @pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
    def test_every_module_is_listed_under_its_folder(self, path: Path) -> None:
        """Each module has a docstring and a line in its folder's section (packages: a section)."""
        text = DOC.read_text(encoding="utf-8")
        folder = f"## `{path.parent.relative_to(REPO_ROOT).as_posix()}/`\n"
        assert folder in text, f"{folder.strip()} has no section in docs/modules.md"
        section = text[text.index(folder) :].split("\n## ", 1)[0]
        summary = _generator().summary(path)
        if path.name == "__init__.py":
            assert f"\n\n{summary}\n" in section
        else:
            assert f"\n- `{path.name}`: {summary}" in section

    def test_page_is_what_the_generator_writes(self) -> None:
        """The committed page equals scripts/gen_module_map.py's output (regenerate if not)."""
        assert DOC.read_text(encoding="utf-8") == _generator().render(), (
            "docs/modules.md is stale: run python scripts/gen_module_map.py"
        )

    def test_a_module_without_a_docstring_is_refused(self, tmp_path: Path) -> None:
        """The generator names the module that has nothing to say, rather than listing it blank."""
        (tmp_path / "bare.py").write_text("x = 1\n", encoding="utf-8")
        with pytest.raises(ValueError, match=r"bare\.py has no module docstring"):
            _generator().summary(tmp_path / "bare.py")
