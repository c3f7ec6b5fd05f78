"""
Patterns compiled on first use (:mod:`bridge.lazy_patterns`): they answer as ``re.Pattern``
does, every one in the wording tables compiles, and an English command compiles none of them.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.lazy_patterns import LazyPattern, lazy
from bridge.projections import failure_words, finding_words, plan_words, reasons

REPO = Path(__file__).resolve().parents[1]
TABLES = (reasons, plan_words, finding_words, failure_words)


def _lazies(value: object) -> Iterator[LazyPattern]:
    match value:
        case LazyPattern():
            yield value
        case tuple() | list():
            for item in value:
                yield from _lazies(item)
        case dict():
            for item in value.values():
                yield from _lazies(item)
        case _:
            pass


def _module_lazies(module: ModuleType) -> list[LazyPattern]:
    return [p for value in vars(module).values() for p in _lazies(value)]


class TestLazyPattern:
    @given(st.text(alphabet="ab 1-:", max_size=20))
    def test_answers_as_the_compiled_pattern(self, text: str) -> None:
        """Every method gives what the same ``re.Pattern`` method gives, before and after."""
        source = r"(a+)(\d)?"
        compiled = re.compile(source)
        for fresh in (lazy(source), lazy(source)):
            assert fresh.sub(r"<\1>", text) == compiled.sub(r"<\1>", text)
            assert fresh.subn("x", text, 1) == compiled.subn("x", text, 1)
            assert _groups(fresh.search(text)) == _groups(compiled.search(text))
            assert _groups(fresh.match(text)) == _groups(compiled.match(text))
            assert _groups(fresh.fullmatch(text)) == _groups(compiled.fullmatch(text))
            assert [m.span() for m in fresh.finditer(text)] == [
                m.span() for m in compiled.finditer(text)
            ]
            assert fresh.findall(text) == compiled.findall(text)
            assert fresh.split(text) == compiled.split(text)

    def test_flags_are_kept(self) -> None:
        assert lazy("abc", re.IGNORECASE).fullmatch("ABC") is not None
        assert lazy("abc").fullmatch("ABC") is None

    def test_compiles_once_then_calls_the_compiled_methods(self) -> None:
        """After the first call the instance holds the compiled pattern's own bound methods."""
        pattern = lazy(r"\d+")
        assert "compiled" not in vars(pattern)
        assert pattern.search("a12") is not None
        compiled = pattern.compiled()
        assert pattern.compiled() is compiled
        assert getattr(pattern.sub, "__self__", None) is compiled
        assert getattr(pattern.fullmatch, "__self__", None) is compiled

    def test_a_bad_expression_fails_on_first_use(self) -> None:
        pattern = lazy("(unclosed")
        with pytest.raises(re.error):
            pattern.search("x")


class TestWordingTables:
    @pytest.mark.parametrize("module", TABLES, ids=lambda m: m.__name__)
    def test_every_pattern_compiles(self, module: ModuleType) -> None:
        """A bad expression in a table would fail only when a Chinese plan first needs it."""
        patterns = _module_lazies(module)
        assert len(patterns) > 20
        for pattern in patterns:
            pattern.compiled()

    def test_every_pattern_of_every_module_compiles(self) -> None:
        """
        Every module's import-time patterns are lazy (docs/performance.md, "Patterns compiled on
        first use"): a bad expression anywhere would otherwise fail only when a plan first needs
        it, perhaps in the middle of a campaign.
        """
        import bridge

        seen = 0
        for info in pkgutil.walk_packages(bridge.__path__, "bridge."):
            if info.name.endswith("__main__"):
                continue
            try:
                module = importlib.import_module(info.name)
            except ImportError:  # an optional extra (vastai, modal) not installed
                continue
            for pattern in _module_lazies(module):
                pattern.compiled()
                seen += 1
        assert seen > 800

    def test_english_wording_compiles_none_of_them(self) -> None:
        """Importing the tables and putting reasons into English compiles no pattern of theirs."""
        probe = (
            "import json\n"
            "from bridge.projections import reasons, plan_words, finding_words, failure_words\n"
            "from bridge.lazy_patterns import LazyPattern\n"
            "reasons.in_language('metric \"acc\" not found for B1 (extracted: loss)', 'en')\n"
            "failure_words.failure_in_language('exit code 1', 'en')\n"
            "plan_words.warning_in_language('R3 is not attributed to a block', 'en')\n"
            "def walk(v):\n"
            "    if isinstance(v, LazyPattern): yield v\n"
            "    elif isinstance(v, (tuple, list)):\n"
            "        for i in v: yield from walk(i)\n"
            "    elif isinstance(v, dict):\n"
            "        for i in v.values(): yield from walk(i)\n"
            "mods = (reasons, plan_words, finding_words, failure_words)\n"
            "found = [p for m in mods for v in vars(m).values() for p in walk(v)]\n"
            "print(json.dumps([len(found), sum('compiled' in vars(p) for p in found)]))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=True,
            timeout=120,
        )
        total, compiled = json.loads(done.stdout.splitlines()[-1])
        assert total > 300
        assert compiled == 0

    def test_chinese_wording_still_translates(self) -> None:
        """The same tables, compiled on first use, still give the Chinese wording."""
        assert reasons.in_language("→ not met", "zh") == "→ 未满足"


def _groups(found: re.Match[str] | None) -> tuple[object, ...] | None:
    return None if found is None else (found.span(), found.groups())
