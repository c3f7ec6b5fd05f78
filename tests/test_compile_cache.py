"""
What the ``bridge`` command compiled, kept between processes (:mod:`bridge.compile_cache`): a
command reading the cache prints what one compiling everything prints, every cached pattern and
attrs method equals what compiling it gives, and a damaged or refused entry is compiled again,
never an error. Each case runs real ``bridge`` processes with their own bytecode folder
(``PYTHONPYCACHEPREFIX``), as an installed bridge keeps its cache beside its bytecode.
"""

from __future__ import annotations

import json
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
QUICKSTART = REPO / "examples" / "quickstart"


def _env(prefix: Path, *, write: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(REPO)
    env["PYTHONPYCACHEPREFIX"] = str(prefix)
    if not write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _cache_files(prefix: Path) -> list[Path]:
    return sorted(prefix.rglob("compile-cache.*.bin"))


def _output(argv: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    return done.stdout


def _plan(project: Path, env: dict[str, str]) -> str:
    return _output(["-m", "bridge", "plan", "--project", str(project)], env)


def _python(code: str, env: dict[str, str]) -> str:
    return _output(["-c", code], env)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "quickstart"
    shutil.copytree(QUICKSTART, copy)
    return copy


class TestCommands:
    def test_a_second_command_reads_what_the_first_compiled(
        self, project: Path, tmp_path: Path
    ) -> None:
        """
        The first command writes the cache; the second finds all it needs there (it writes
        nothing) and prints the same as a command with no cache at all.
        """
        prefix = tmp_path / "pycache"
        first = _plan(project, _env(prefix))
        [cache] = _cache_files(prefix)
        written = cache.stat().st_mtime_ns, cache.read_bytes()
        second = _plan(project, _env(prefix))
        assert (cache.stat().st_mtime_ns, cache.read_bytes()) == written
        uncached = _plan(project, _env(tmp_path / "elsewhere", write=False))
        assert first == second == uncached
        assert "Experiment" in first  # the preview itself, not an empty output

    def test_nothing_is_written_when_python_writes_no_bytecode(
        self, project: Path, tmp_path: Path
    ) -> None:
        """``PYTHONDONTWRITEBYTECODE`` (as ``-B``) leaves no cache, as it leaves no .pyc."""
        prefix = tmp_path / "pycache"
        _plan(project, _env(prefix, write=False))
        assert _cache_files(prefix) == []

    def test_a_library_user_compiles_as_before(self, project: Path, tmp_path: Path) -> None:
        """Only the ``bridge`` command turns the cache on: a plan read from Python writes none."""
        prefix = tmp_path / "pycache"
        _python(
            "from pathlib import Path\nfrom bridge.plan import load_plan\n"
            f"load_plan(Path({str(project / 'refine-logs' / 'EXPERIMENT_PLAN.md')!r}))\n",
            _env(prefix),
        )
        assert _cache_files(prefix) == []

    def test_a_damaged_file_is_compiled_again_and_replaced(
        self, project: Path, tmp_path: Path
    ) -> None:
        """A file cut short (a machine that stopped mid-write) costs one compile, no error."""
        prefix = tmp_path / "pycache"
        expected = _plan(project, _env(prefix))
        [cache] = _cache_files(prefix)
        whole = cache.read_bytes()
        cache.write_bytes(whole[: len(whole) // 2])
        assert _plan(project, _env(prefix)) == expected
        mended = cache.read_bytes()
        assert len(mended) >= len(whole) * 0.9  # written whole again
        assert _plan(project, _env(prefix)) == expected
        assert cache.read_bytes() == mended  # and read: nothing compiled the third time


# Run with the cache on: compile every lazy pattern in bridge (or only the given ones), then
# print how many came from the cache, how many differ from re.compile's, and how many were
# compiled here.
_EVERY_PATTERN = """
import importlib, json, pkgutil, re, sys
import bridge
from bridge import compile_cache
from bridge.lazy_patterns import LazyPattern
compile_cache.enable()
store = compile_cache._store
before = set(store.entries)
def walk(v):
    if isinstance(v, LazyPattern): yield v
    elif isinstance(v, (tuple, list)):
        for i in v: yield from walk(i)
    elif isinstance(v, dict):
        for i in v.values(): yield from walk(i)
found = []
for info in pkgutil.walk_packages(bridge.__path__, "bridge."):
    if info.name.endswith("__main__"):
        continue
    try:
        module = importlib.import_module(info.name)
    except ImportError:
        continue
    found += [p for v in vars(module).values() for p in walk(v)]
differ = [p.pattern for p in found if p.compiled() != re.compile(p.pattern, p.flags)]
keys = {("re", p.pattern, int(p.flags)) for p in found}
print(json.dumps({"patterns": len(keys), "from_cache": len(keys & before), "differ": differ,
                  "made": store.made}))
"""


class TestEntries:
    def test_every_pattern_built_from_the_cache_equals_re_compile(self, tmp_path: Path) -> None:
        """
        All of bridge's lazy patterns: compiled and kept by one process, built from the cache
        by the next, each equal to ``re.compile``'s (same flags and program).
        """
        env = _env(tmp_path / "pycache")
        first = json.loads(_python(_EVERY_PATTERN, env))
        second = json.loads(_python(_EVERY_PATTERN, env))
        assert first["patterns"] > 800 and first["from_cache"] == 0 and first["made"]
        assert second["from_cache"] == second["patterns"] == first["patterns"]
        assert first["differ"] == second["differ"] == []
        assert second["made"] is False

    def test_every_cached_attrs_method_equals_a_fresh_compile(
        self, project: Path, tmp_path: Path
    ) -> None:
        """
        The code attrs is handed back is what ``compile()`` gives for the same source and file
        name with attrs' own ``__future__`` flags; and classes built from it behave alike.
        """
        env = _env(tmp_path / "pycache")
        _plan(project, env)
        probe = (
            "import builtins, json, marshal, __future__\n"
            "from bridge import compile_cache\n"
            "compile_cache.enable()\n"
            "store = compile_cache._store\n"
            "import attr._make\n"
            "flags = __future__.annotations.compiler_flag\n"
            "keys = [k for k in store.entries if k[0] == 'attrs']\n"
            "same = sum(store.get(k) == builtins.compile(k[1], k[2], 'exec', flags, True)"
            " for k in keys)\n"
            "from bridge.events import types as ev\n"
            "done = ev.RunSucceeded(run_id='R1', attempt_id='R1-a1', exit_code=0)\n"
            "print(json.dumps([len(keys), same, repr(done), done == ev.RunSucceeded("
            "run_id='R1', attempt_id='R1-a1', exit_code=0)]))\n"
        )
        cached, same, shown, equal = json.loads(_python(probe, env))
        assert cached > 100 and same == cached
        fresh = json.loads(_python(probe, _env(tmp_path / "fresh", write=False)))
        assert fresh[2:] == [shown, equal] and equal is True

    def test_an_entry_the_engine_refuses_is_compiled_again(self, tmp_path: Path) -> None:
        """
        A program the regular-expression engine refuses (here: written over with nonsense) is
        dropped and the pattern compiled as before; the file no longer holds it.
        """
        env = _env(tmp_path / "pycache")
        source = "(?P<word>[a-z]+)-(\\d+)"
        probe = (
            "import json, re\n"
            "from bridge import compile_cache\n"
            "compile_cache.enable()\n"
            f"p = compile_cache.pattern({source!r}, re.I)\n"
            f"print(json.dumps([p == re.compile({source!r}, re.I), "
            "p.match('Ab-12').groupdict(), compile_cache._store.made]))\n"
        )
        assert json.loads(_python(probe, env)) == [True, {"word": "Ab"}, True]
        [cache] = _cache_files(tmp_path / "pycache")
        header, entries = marshal.loads(cache.read_bytes())
        [key] = [k for k in entries if k[1] == source]
        flags, _program, groups, names, by_index = marshal.loads(entries[key])
        entries[key] = marshal.dumps((flags, [99, 99, 99], groups, names, by_index))
        cache.write_bytes(marshal.dumps((header, entries)))
        assert json.loads(_python(probe, env)) == [True, {"word": "Ab"}, True]
        _, after = marshal.loads(cache.read_bytes())
        assert marshal.loads(after[key])[1] != [99, 99, 99]  # dropped, then kept as compiled
        assert json.loads(_python(probe, env))[2] is False  # and read from the cache now

    def test_an_entry_that_does_not_unmarshal_is_compiled_again(self, tmp_path: Path) -> None:
        """Bytes that are no marshalled entry (a damaged sector) cost one compile, no error."""
        env = _env(tmp_path / "pycache")
        probe = (
            "import json, re\n"
            "from bridge import compile_cache\n"
            "compile_cache.enable()\n"
            "p = compile_cache.pattern('a(b)c')\n"
            "print(json.dumps([p == re.compile('a(b)c'), compile_cache._store.made]))\n"
        )
        assert json.loads(_python(probe, env)) == [True, True]
        [cache] = _cache_files(tmp_path / "pycache")
        header, entries = marshal.loads(cache.read_bytes())
        entries[("re", "a(b)c", 0)] = b"\xff not marshal"
        cache.write_bytes(marshal.dumps((header, entries)))
        assert json.loads(_python(probe, env)) == [True, True]
        assert json.loads(_python(probe, env)) == [True, False]  # mended, then read
