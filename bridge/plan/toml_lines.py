"""
Where each key of a TOML file stands: a light line scanner, because ``tomllib`` gives no
positions and every configuration error must name ``file:line``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from bridge.lazy_patterns import lazy

__all__ = ["key_lines", "line_of", "set_twice"]

_HEADER = lazy(r"^\s*\[(\[)?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = lazy(
    r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="""
)
_PART = lazy(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*\.?""")
_INDEX = lazy(r"\[(\d+)\]")


def _parts(dotted: str) -> list[str]:
    return [p.group(1).strip("\"'") for p in _PART.finditer(dotted) if p.group(1)]


def _definitions(text: str) -> Iterator[tuple[str, int, bool]]:
    """
    Each key and table a TOML text defines, in order: its dotted name, its 1-based line, and
    whether a header only implies it (``a`` of ``[a.b]``). The n-th ``[[array]]`` entry is
    ``array.n`` (0-based); lines inside multi-line strings are skipped.
    """
    prefix: list[str] = []
    arrays: dict[str, int] = {}
    in_multiline = False
    for number, line in enumerate(text.split("\n"), start=1):
        if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
            in_multiline = not in_multiline
            if not in_multiline:
                continue
        elif in_multiline:
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            parts = _parts(header.group(2))
            if header.group(1):
                name = ".".join(parts)
                index = arrays.get(name, -1) + 1
                arrays[name] = index
                parts = [*parts, str(index)]
            prefix = parts
            # A table's parents are defined there too: `[sytems."x"]` is where the unknown
            # `sytems` stands (trial N2: its error had no line).
            for end in range(1, len(prefix) + 1):
                yield ".".join(prefix[:end]), number, end < len(prefix)
            continue
        key = _KEY.match(line)
        if key:
            yield ".".join([*prefix, *_parts(key.group(1))]), number, False


def key_lines(text: str) -> dict[str, int]:
    """
    Map each dotted key of a TOML text to its 1-based line.

    Tables are keyed by their header's line, and so are the tables a header implies (``a`` of
    ``[a.b]``, at its first header); the n-th ``[[array]]`` entry is ``array.n`` (0-based).
    Lines inside multi-line strings are skipped.
    """
    lines: dict[str, int] = {}
    for name, number, _implied in _definitions(text):
        lines.setdefault(name, number)
    return lines


def set_twice(text: str, line: int) -> tuple[str, int] | None:
    """
    The key or table that ``line`` defines when an earlier line already defined it, with
    that earlier line: what a TOML parser's "Cannot overwrite a value" or "Cannot declare
    ... twice" at ``line`` is about (``tomllib`` names neither the key nor the first line).

    Returns:
        ``(dotted name, first line)``, or None when ``line`` repeats nothing the scanner saw.
    """
    first: dict[str, int] = {}
    for name, number, implied in _definitions(text):
        if number == line and not implied and name in first:
            return name, first[name]
        first.setdefault(name, number)
    return None


def line_of(lines: Mapping[str, int], dotted: str) -> int | None:
    """
    The line of a dotted setting (``runs[0].id``, ``backends.ssh.hosts[1]``), or of the nearest
    enclosing key the scanner saw (an entry of an inline array sits on its key's line).

    Returns:
        The 1-based line, or None when no part of the name was found.
    """
    key = _INDEX.sub(r".\1", dotted)
    while key:
        if key in lines:
            return lines[key]
        key = key.rpartition(".")[0]
    return None
