"""
The project's own Python files a run's script imports: what it ran besides the file its
command names.

An edit of ``scripts/logreg.py``, which the quickstart's ``scripts/train.py`` imports, changes
the numbers of every run of ``train.py``; an edit of another entry script beside it (009's
``scripts/analyze_placement_results.py``, R004's alone) changes none of theirs. So the code of a
run is the files its command names and, transitively, the project's files they import, found
where Python looks for them. The files are read with :mod:`ast`, never run; one that does not
parse imports nothing (its own edit still counts).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["local_imports"]


def local_imports(
    base: Path, entries: Sequence[Path], roots: Sequence[Path], most: int
) -> list[Path]:
    """
    The files inside ``base`` that ``entries`` import, directly or through one another, in the
    order found, ``entries`` themselves not among them, at most ``most``. An absolute import is
    looked for under ``roots`` in order (where Python looks: the script's folder, then the
    working directory), a relative one beside the importing file's package; a package's
    ``__init__.py`` files come with a module in it, as Python runs them. A name no root holds
    (the standard library, an installed package) is none of the project's.
    """
    seen = {path.resolve() for path in entries}
    found: list[Path] = []
    queue = [path.resolve() for path in entries]
    while queue and len(found) < most:
        importer = queue.pop(0)
        for name, level in _imported(importer):
            for candidate in _files(importer, name, level, roots):
                if candidate in seen or not candidate.is_relative_to(base):
                    continue
                seen.add(candidate)
                found.append(candidate)
                queue.append(candidate)
    return found[:most]


def _imported(path: Path) -> tuple[tuple[str, int], ...]:
    """The modules ``path`` imports, as (dotted name, relative level); none if unreadable."""
    try:
        stat = path.stat()
    except OSError:
        return ()
    return _parsed(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=512)
def _parsed(path: str, _mtime_ns: int, _size: int) -> tuple[tuple[str, int], ...]:
    # Keyed by the file's time and size as well: an edited file is read again.
    try:
        tree = ast.parse(Path(path).read_bytes(), filename=path)
    except (OSError, SyntaxError, ValueError):
        return ()
    names: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((alias.name, 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names.append((module, node.level))
            # `from pkg import mod` imports pkg/mod.py when there is one.
            names.extend(
                (f"{module}.{alias.name}" if module else alias.name, node.level)
                for alias in node.names
                if alias.name != "*"
            )
    return tuple(dict.fromkeys(names))


def _files(importer: Path, name: str, level: int, roots: Sequence[Path]) -> Iterable[Path]:
    """The project files importing ``name`` at ``level`` runs, from the first place with it."""
    parts = [part for part in name.split(".") if part]
    if level:
        package = importer.parent
        for _ in range(level - 1):
            package = package.parent
        places: Sequence[Path] = (package,)
    else:
        places = roots
    for place in places:
        module = place.joinpath(*parts)
        target = module.with_suffix(".py") if parts else None
        if target is not None and target.is_file():
            files = [target]
        elif (module / "__init__.py").is_file():
            files = [module / "__init__.py"]
        else:
            continue
        # The packages on the way are run first (`import a.b` runs a/__init__.py).
        inits = [place.joinpath(*parts[:n], "__init__.py") for n in range(1, len(parts))]
        return [path.resolve() for path in (*inits, *files) if path.is_file()]
    return []
