"""
The import direction of DESIGN.md §2, checked by reading every module's imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "bridge"

# Higher layers may import lower ones, never the reverse.
# Each layer is a folder of bridge/; the top-level files are placed by hand.
LAYERS = ["testing", "cli", "pipeline", "adapters|projections", "machine", "events", "plan"]
TOP_LEVEL_LAYER = {
    "__init__": "pipeline",  # the public face re-exports the pipeline's API
    "__main__": "cli",
    "errors": "plan",  # importable from every layer, so it imports nothing of bridge itself
    "logs": "plan",  # likewise: the quiet library loggers every layer uses
    "lazy_exports": "plan",  # likewise: the packages' lazy public names
    "value_methods": "plan",  # likewise: the frozen classes' shared __eq__/__hash__/__repr__
    "lazy_patterns": "plan",  # likewise: regular expressions compiled on first use
    "compile_cache": "plan",  # likewise: what a command compiled, kept between processes
}
SIBLINGS = LAYERS.index("adapters|projections")
ANYWHERE = {
    "bridge.errors",
    "bridge.logs",
    "bridge.lazy_exports",
    "bridge.lazy_patterns",
    "bridge.value_methods",
    "bridge.compile_cache",
}
VENDOR_ONLY_IN_ADAPTERS = {"fabric", "vastai", "modal", "httpx", "subprocess", "paramiko", "invoke"}


def _layer_of(module: str) -> int:
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else "__init__"
    layer = TOP_LEVEL_LAYER.get(name, name)
    for rank, group in enumerate(LAYERS):
        if layer in group.split("|"):
            return rank
    raise AssertionError(f"{module} is in no layer")


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        found.append((".".join(rel.parts), path))
    return found


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize(("module", "path"), _modules(), ids=lambda v: str(v))
class TestImportDirection:
    def test_imports_point_down(self, module: str, path: Path) -> None:
        """A module imports bridge modules only from its own layer or the layers below."""
        mine = _layer_of(module)
        for name in _imports(path):
            if not name.startswith("bridge") or name in ANYWHERE or name == "bridge":
                continue
            assert _layer_of(name) >= mine, f"{module} imports {name}, a higher layer"
            # The adapters and projections are siblings: neither imports the other.
            if mine == SIBLINGS and _layer_of(name) == SIBLINGS:
                assert module.split(".")[1] == name.split(".")[1], f"{module} imports {name}"

    def test_vendor_libraries_only_in_adapters(self, module: str, path: Path) -> None:
        """fabric, vastai, modal, httpx and subprocess appear only under bridge/adapters/."""
        if module.startswith("bridge.adapters"):
            return
        for name in _imports(path):
            assert name.split(".")[0] not in VENDOR_ONLY_IN_ADAPTERS, f"{module} imports {name}"

    def test_nothing_imports_sqlite_utils(self, module: str, path: Path) -> None:
        """sqlite_utils is not a dependency (docs/architecture.md says why): an import of it
        would fail on a clean install."""
        assert "sqlite_utils" not in {n.split(".")[0] for n in _imports(path)}
