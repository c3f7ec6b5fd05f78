"""
Regular expressions compiled on first use: every pattern a module defines when it is imported
is written ``lazy(...)`` where ``re.compile(...)`` would be. A command uses a fraction of them
(the Chinese wordings of reasons, warnings and findings are about 400 that an English plan never
needs; of the plan reader's and criteria parser's, a small English plan uses about 400 of 700),
and compiling them all at import cost about 0.15 s of every command's start (docs/performance.md,
"Start-up"). Imports nothing of bridge itself, so every layer may use it.

A caller that compares ``match.re`` with a module's pattern needs the compiled object: such a
pattern stays ``re.compile`` (``match.re`` is never the lazy wrapper).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from bridge.compile_cache import pattern as compile_pattern

__all__ = ["LazyPattern", "lazy"]


class LazyPattern:
    """
    A regular expression compiled the first time one of its methods is called.

    The methods are those of :class:`re.Pattern` with the same arguments and results. The first
    call compiles the expression and puts the compiled pattern's own bound methods on the
    instance, where they shadow this class's (a function on the class is a non-data
    descriptor): every later call goes straight to the compiled pattern, with no cost over an
    ``re.Pattern``. A bad expression raises :class:`re.error` on first use, not at import; the
    tests compile every table (``tests/test_lazy_patterns.py``).
    """

    def __init__(self, pattern: str, flags: int | re.RegexFlag = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def compiled(self) -> re.Pattern[str]:
        """The compiled expression (compiled now if it was not yet)."""
        compiled = compile_pattern(self.pattern, self.flags)
        self.__dict__.update(
            sub=compiled.sub,
            subn=compiled.subn,
            search=compiled.search,
            match=compiled.match,
            fullmatch=compiled.fullmatch,
            finditer=compiled.finditer,
            findall=compiled.findall,
            split=compiled.split,
            compiled=lambda: compiled,
        )
        return compiled

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        """:meth:`re.Pattern.sub`."""
        return self.compiled().sub(repl, string, count)

    def subn(
        self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0
    ) -> tuple[str, int]:
        """:meth:`re.Pattern.subn`."""
        return self.compiled().subn(repl, string, count)

    def search(self, string: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match[str] | None:
        """:meth:`re.Pattern.search`."""
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match[str] | None:
        """:meth:`re.Pattern.match`."""
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match[str] | None:
        """:meth:`re.Pattern.fullmatch`."""
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = 2**63 - 1
    ) -> Iterator[re.Match[str]]:
        """:meth:`re.Pattern.finditer`."""
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = 2**63 - 1) -> list[Any]:
        """:meth:`re.Pattern.findall`."""
        return self.compiled().findall(string, pos, endpos)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        """:meth:`re.Pattern.split`."""
        return self.compiled().split(string, maxsplit)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self.flags!r})"


def lazy(pattern: str, flags: int | re.RegexFlag = 0) -> LazyPattern:
    """A :class:`LazyPattern`: written where ``re.compile`` would be, with its arguments."""
    return LazyPattern(pattern, flags)
