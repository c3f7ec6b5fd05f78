"""
What a ``bridge`` command compiles at every start and that never changes between two commands,
kept between processes as Python keeps bytecode: the programs of bridge's regular expressions
and the methods attrs generates for its classes.

Python keeps a module's bytecode in ``__pycache__`` so that importing it does not compile it
again; two things bridge does while it starts have no such cache. attrs writes the source of
each class's ``__init__`` (and of ``__eq__``, ``__repr__``, … where :mod:`bridge.value_methods`
does not share them) and compiles it as the module is imported: about 200 compiles before a
``bridge run`` launches its first run. The ``re`` module parses and compiles a pattern at its
first use (:mod:`bridge.lazy_patterns`): another 200 before that launch, most of them the plan
reader's. Together about 75 ms of every command's start on a 2-core machine
(docs/performance.md, "Compiled once per machine"). Neither library keeps anything between
processes (attrs' issue 575 asks for it; ``re`` caches within a process only), so this module
does, in one file.

**Where and for whom.** Beside bridge's bytecode (``bridge/__pycache__``, or under
``sys.pycache_prefix``), named for the interpreter's cache tag; the file also records the
interpreter's full version and the regular-expression engine's magic number, and is not read by
any other. Each entry is keyed by everything its result depends on (a compile's source text,
file name and mode; a pattern's text and flags), so an edit to bridge or an upgrade of attrs
needs nothing invalidated: changed text is another key. The file is read once, when the
``bridge`` command starts (:func:`enable`), and written at exit only by a process that compiled
something it did not hold, unless Python is told not to write bytecode (``-B``,
``PYTHONDONTWRITEBYTECODE``), which it honours as ``__pycache__`` does. A program that imports
bridge as a library never turns it on and compiles as before.

**Why it cannot change a result.** A code object is what ``compile()`` returned for the same
source, file name, mode and inherited ``__future__`` flags. A pattern's entry is the program
``re`` builds (the arguments ``re`` hands ``_sre.compile``), kept only after the pattern built
from it compared equal to ``re.compile``'s own (same flags and program); the engine checks a
program again whenever one is built. Anything unexpected — a file cut short or written by
another Python, an entry the engine refuses, an attrs that no longer compiles through
``attr._make``'s ``compile`` — falls back to compiling as before, never to an error: this is a
cache, and a command never depends on it. The file has the trust of the ``.pyc`` files beside
it (both hold code Python runs).
"""

from __future__ import annotations
import __future__

import atexit
import builtins
import contextlib
import marshal
import os
import re
import sys
import types
from importlib import import_module
from importlib.util import cache_from_source
from pathlib import Path
from typing import Any

__all__ = ["enable", "pattern"]

# Bumped when what an entry holds changes shape: a file in another format is not read.
_FORMAT = 1
# Past this many entries a process writes only those it holds itself (read or made), so the file
# tracks what commands use rather than every pattern any older bridge once compiled.
_MAX_ENTRIES = 3000

_Key = tuple[str, str, str | int]
# What ``re`` hands ``_sre.compile`` after the pattern's text: final flags, program, number of
# groups, group names to numbers, and numbers to names.
_Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


class _Store:
    """
    The entries of the cache file, each kept marshalled until first asked for (a command uses
    a fraction of what the file holds), and those this process made.
    """

    def __init__(self, path: Path | None, header: tuple[int, str, int | None]) -> None:
        self.path = path
        self.header = header
        self.entries: dict[_Key, bytes] = {}
        self.held: set[_Key] = set()
        self.dropped: set[_Key] = set()
        self.made = False

    def read(self) -> None:
        """The file's entries, when it is one this interpreter wrote; otherwise none."""
        self.entries = self._on_disk()

    def _on_disk(self) -> dict[_Key, bytes]:
        if self.path is None:
            return {}
        try:
            # Trusted as the .pyc files beside it are: bridge's own, written by this interpreter.
            header, entries = marshal.loads(self.path.read_bytes())  # noqa: S302
        except (OSError, EOFError, ValueError, TypeError):
            return {}  # none yet, unreadable, cut short, or not two items
        if header != self.header or not isinstance(entries, dict):
            return {}
        return entries

    def get(self, key: _Key) -> Any:
        """The entry for ``key``, or None."""
        data = self.entries.get(key)
        if data is None:
            return None
        try:
            value = marshal.loads(data)  # noqa: S302 - see _on_disk
        except (EOFError, ValueError, TypeError):
            self.drop(key)
            return None
        self.held.add(key)
        return value

    def put(self, key: _Key, value: Any) -> None:
        """Keep ``value`` for ``key``; written at exit."""
        try:
            self.entries[key] = marshal.dumps(value)
        except ValueError:
            return  # holds something marshal cannot write: compiled again next time
        self.held.add(key)
        self.dropped.discard(key)
        self.made = True

    def drop(self, key: _Key) -> None:
        """Forget an entry found unusable, and write the file without it."""
        self.entries.pop(key, None)
        self.held.discard(key)
        self.dropped.add(key)
        self.made = True

    def write(self) -> None:
        """
        At exit: the file with this process's entries added to what is on disk now (another
        command may have written since this one read it), replaced in one rename. A cache that
        cannot be written is left as it is.
        """
        if not self.made or self.path is None:
            return
        merged = {**self._on_disk(), **self.entries}
        for key in self.dropped:  # found unusable here: not taken back from the file
            merged.pop(key, None)
        if len(merged) > _MAX_ENTRIES:
            merged = {key: self.entries[key] for key in self.held if key in self.entries}
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(marshal.dumps((self.header, merged)))
            temporary.replace(self.path)
        except BaseException as exc:  # Ctrl-C at exit too: no half-written file left behind
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            if not isinstance(exc, OSError):
                raise


_store: _Store | None = None
# The regular-expression engine as :func:`_engine` found it when the cache was turned on.
_sre_engine: tuple[int, Any, Any] | None = None


def enable() -> None:
    """
    Read the cache and use it for the rest of the process: for every pattern compiled through
    :func:`pattern` and every attrs class made from now on. Written at exit when something new
    was compiled. Called by the ``bridge`` command once its arguments are read; a second call
    does nothing.
    """
    global _store, _sre_engine
    if _store is not None or sys.implementation.name != "cpython":
        return
    engine = _sre_engine = _engine()
    store = _Store(_path(), (_FORMAT, sys.version, engine[0] if engine else None))
    store.read()
    _store = store
    _compile_attrs_through(store)
    if store.path is not None and not sys.dont_write_bytecode:
        atexit.register(store.write)


def pattern(text: str, flags: int = 0) -> re.Pattern[str]:
    """
    ``re.compile(text, flags)``, built from the cached program when the cache is on and holds
    it, and its program kept when it did not. For bridge's own patterns, constants of its
    source (:mod:`bridge.lazy_patterns`): the file keeps each pattern's text, so one made from a
    plan's, a setting's or a secret's text must be compiled with ``re.compile``.
    """
    store, engine = _store, _sre_engine
    if store is None or engine is None:
        return re.compile(text, flags)
    _, build, program_of = engine
    key: _Key = ("re", text, int(flags))
    program = store.get(key)
    if isinstance(program, tuple):
        try:
            built: re.Pattern[str] = build(text, *program)
        except Exception:  # refused by the engine, or not the shape it takes: compile it
            store.drop(key)
        else:
            return built
    compiled = re.compile(text, flags)
    try:
        program = program_of(text, int(flags))
        same = build(text, *program) == compiled
    except Exception:  # re's insides are not laid out as in 3.11 to 3.13: compile as before
        return compiled
    if same:
        store.put(key, program)
    return compiled


def _path() -> Path | None:
    """The cache file beside this module's bytecode (``__pycache__`` or the prefix's)."""
    try:
        bytecode = cache_from_source(str(Path(__file__).with_name("compile-cache.py")))
    except NotImplementedError:  # no cache tag: this Python keeps no bytecode either
        return None
    return Path(bytecode).with_suffix(".bin")


def _engine() -> tuple[int, Any, Any] | None:
    """
    The regular-expression engine's magic number, its pattern constructor, and a function
    giving the arguments ``re.compile`` hands that constructor for a pattern (as CPython 3.11
    to 3.13 build them); None where the engine is not laid out so.
    """
    try:
        sre = import_module("_sre")
        parser = import_module("re._parser")
        compiler = import_module("re._compiler")
        magic = int(sre.MAGIC)
        build = sre.compile
        code_of = compiler._code
        parse = parser.parse
    except (ImportError, AttributeError, TypeError, ValueError):
        return None

    def program_of(text: str, flags: int) -> _Program:
        parsed = parse(text, flags)
        names: dict[str, int] = dict(parsed.state.groupdict)
        by_index: list[str | None] = [None] * parsed.state.groups
        for name, index in names.items():
            by_index[index] = name
        code = [int(word) for word in code_of(parsed, flags)]
        return (
            int(flags | parsed.state.flags),
            code,
            parsed.state.groups - 1,
            names,
            tuple(by_index),
        )

    return magic, build, program_of


def _compile_attrs_through(store: _Store) -> None:
    """
    Give attrs' code generator a ``compile`` that returns the code object kept for the same
    source, file name and mode, compiling (with the ``__future__`` flags attrs' module would
    have passed on) only what the cache lacks. Left alone when attrs is laid out otherwise.
    """
    try:
        make = import_module("attr._make")
    except ImportError:
        return
    namespace = vars(make)
    generator = namespace.get("_compile_and_eval")
    if (
        "compile" in namespace
        or not isinstance(generator, types.FunctionType)
        or "compile" not in generator.__code__.co_names
    ):
        return
    inherited = 0
    for name in __future__.all_feature_names:
        feature = getattr(__future__, name)
        flag: int = feature.compiler_flag
        if namespace.get(name) is feature:  # `from __future__ import <name>` in attr._make
            inherited |= flag

    def compile_once(
        source: Any,
        filename: str,
        mode: str,
        flags: int = 0,
        dont_inherit: bool = False,
        optimize: int = -1,
    ) -> Any:
        own = flags | (0 if dont_inherit else inherited)
        if (
            type(source) is not str
            or mode != "exec"
            or flags
            or dont_inherit
            or optimize != -1
            # attrs writes a number of the class's own into a generated __hash__, from hash()
            # of a string, which differs from process to process: that source never comes again.
            or "def __hash__(" in source
        ):
            return builtins.compile(source, filename, mode, own, True, optimize)
        key: _Key = ("attrs", source, filename)
        code = store.get(key)
        if isinstance(code, types.CodeType):
            return code
        code = builtins.compile(source, filename, mode, own, True)
        store.put(key, code)
        return code

    make.compile = compile_once  # type: ignore[attr-defined]
