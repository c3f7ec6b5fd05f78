"""
The project's files a run's command runs: the scripts and ``python -m`` modules it names, read
as Python and a POSIX shell would read them, and the project's modules those import.

A command is read, never run. Its words are an argv (bridge runs a command without a shell), or,
inside ``sh -c '…'``, a shell's words, where ``cd DIR`` moves where the words after it are read
from (009's R004 names its script inside ``sh -c``; ``cd sub && python train.py`` runs
``sub/train.py``). An interpreter's options are read as ``python`` reads them, so the module of
``python -W ignore -m pkg.mod`` is found behind an option that takes a value. A run whose
files these are is marked "kept as it ran" when one is edited after it succeeded
(:mod:`bridge.pipeline.recording`), and they are the code the reviewer is shown
(:func:`bridge.pipeline.steps.code.code_files`).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

from bridge.lazy_patterns import lazy
from bridge.pipeline.local_imports import local_imports

__all__ = ["MAX_SCRIPTS", "command_files"]

MAX_SCRIPTS = 200  # Python files watched for changes; a large code base is watched in part

_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh"})
_PYTHON = lazy(r"python[0-9.]*")
_MODULE = lazy(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_SHELL_DEPTH = 3  # `sh -c "bash -c '…'"` is read this deep; deeper nesting is left unread
# A POSIX shell's operator characters, and a newline, which ends a command as `;` does.
_OPERATOR_CHARS = "();<>|&\n"
# Words after which a shell word is a command's name (`{ cd sub; …; }`, `then cd sub`).
_COMMAND_START = frozenset({"{", "!", "then", "else", "do", "time"})
# `cd`'s options, none of which changes where it goes.
_CD_OPTION = lazy(r"-[LPe@]+")
# Python's options that take a value (`-W ignore`, `-Wignore`); -c and -m end the options.
_VALUED = frozenset("WX")
_VALUED_LONG = frozenset({"--check-hash-based-pycs"})


def command_files(
    base: Path, cwd: str, command: Sequence[str], most: int = MAX_SCRIPTS
) -> list[str]:
    """
    The project's files one command runs, relative to ``base`` (the resolved project root), in
    the order found, at most ``most`` of the imported ones: every ``*.py`` word (whether the
    file exists yet or not); the script ``python`` runs after its options, also without
    ``.py`` (a folder: its ``__main__.py``); the module of ``python -m pkg.mod`` where it is the
    project's own file (``pkg/mod.py``, or the package's ``__main__.py`` and ``__init__.py``);
    all of these inside the command string of ``sh -c``/``bash -c`` too, read from the folder
    its ``cd DIR`` went to (an existing folder; a subshell's ``cd`` ends with it); and the
    project's files these import, transitively (:func:`local_imports`). ``cwd`` is the run's
    working directory, relative to ``base``. A file outside the project is none of its code,
    wherever a ``cd`` went. Not the other files in a script's folder: 009's R004 script
    beside R001's is no code of R001.
    """
    here = (base / cwd).resolve() if cwd else base
    named = _named(base, here, command, in_shell=False, depth=0)
    if not named:
        return []
    # What the named files import of the project's own code ran too (the quickstart's
    # train.py runs scripts/logreg.py): looked for beside each script, then where it runs.
    entries = [base / path for path in named]
    roots = [*dict.fromkeys([*(path.parent for path in entries), *named.values()])]
    imported = local_imports(base, entries, roots, most)
    found = dict.fromkeys(named)
    found.update(dict.fromkeys(_inside(base, imported)))
    return list(found)


@attrs.frozen
class _Python:
    """What one ``python`` reads after its name: the module of ``-m``, else the script (a path
    word, ``-`` for standard input), and the positions of the words its options took."""

    module: str = ""
    script: str = ""
    taken: frozenset[int] = frozenset()


def _named(
    base: Path, here: Path, words: Sequence[str], *, in_shell: bool, depth: int
) -> dict[str, Path]:
    """
    The files ``words`` name, each with the folder it runs from, read from ``here``: an argv,
    or with ``in_shell`` the words of a shell's command string (operators apart, ``cd`` followed).
    """
    found: dict[str, Path] = {}
    subshells: list[Path] = []  # where each open `(` was, to go back there at its `)`
    taken: set[int] = set()  # words an option of python's or a cd took: no file names
    for i, word in enumerate(words):
        if in_shell and _operator(word):
            for char in word:
                if char == "(":
                    subshells.append(here)
                elif char == ")" and subshells:
                    here = subshells.pop()
            continue
        if i in taken:
            continue
        if in_shell and word == "cd" and _command_start(words, i):
            here, used = _cd(here, words, i + 1)
            taken.update(used)
        elif (
            i
            and re.fullmatch(r"-[a-z]*c[a-z]*", words[i - 1])
            and _after(words, i - 1, lambda name: name in _SHELLS)
        ):
            # A shell's command string is read as its words: one ending in `x.py` is no path.
            if depth < _SHELL_DEPTH:
                inner = _named(base, here, _shell_words(word), in_shell=True, depth=depth + 1)
                found.update((path, cwd) for path, cwd in inner.items() if path not in found)
        elif _PYTHON.fullmatch(Path(word).name):
            python = _python(words, i, in_shell)
            taken.update(python.taken)
            paths = _module_files(here, python.module) if python.module else []
            if python.script not in ("", "-") and "{" not in python.script:
                paths = _script_files(here / python.script)
            for path in _inside(base, paths):
                found.setdefault(path, here)
        elif word.endswith(".py") and "{" not in word:
            for path in _inside(base, [here / word]):
                found.setdefault(path, here)
    return found


def _python(words: Sequence[str], at: int, in_shell: bool) -> _Python:
    """
    What the ``python`` at ``at`` runs, its options read as Python reads them: flags alone or
    together (``-u``, ``-OO``, ``-uB``); ``-W``/``-X`` and ``--check-hash-based-pycs`` with a
    value, attached or the next word; ``-c CODE`` and ``-m MOD`` end the options (the rest are
    their arguments), as does the first other word, the script.
    """
    taken: set[int] = set()
    i = at + 1
    while i < len(words):
        word = words[i]
        if in_shell and _operator(word):
            break
        if word == "--":
            return _Python(
                script=words[i + 1] if i + 1 < len(words) else "", taken=frozenset(taken)
            )
        if not word.startswith("-") or word == "-":
            return _Python(script=word, taken=frozenset(taken))
        if word.startswith("--"):
            if word in _VALUED_LONG:
                taken.add(i + 1)
                i += 1
            i += 1
            continue
        for k, flag in enumerate(word[1:], start=2):
            if flag not in ("c", "m", *_VALUED):
                continue
            value, used = (word[k:], i) if word[k:] else (_word(words, i + 1), i + 1)
            taken.add(used)
            match flag:
                case "c":
                    return _Python(taken=frozenset(taken))
                case "m":
                    return _Python(module=value, taken=frozenset(taken))
                case _:
                    i = used
                    break
        i += 1
    return _Python(taken=frozenset(taken))


def _word(words: Sequence[str], i: int) -> str:
    return words[i] if i < len(words) else ""


def _cd(here: Path, words: Sequence[str], i: int) -> tuple[Path, set[int]]:
    """
    Where ``cd`` with its arguments from ``i`` goes from ``here``, and the words it took: an
    existing folder it names plainly; else ``here`` (``cd`` alone, ``cd -``, a ``$VAR`` or a
    glob the shell alone can expand, or a folder not there: the shell's cd fails and, after
    ``;``, the rest runs where it was).
    """
    used = set()
    while i < len(words) and (_CD_OPTION.fullmatch(words[i]) or words[i] == "--"):
        used.add(i)
        i += 1
    if i >= len(words) or _operator(words[i]):
        return here, used
    used.add(i)
    target = words[i]
    if target.startswith("-") or any(char in target for char in "$~`*?[{\0"):
        return here, used
    try:
        there = (here / target).resolve()
        return (there if there.is_dir() else here), used
    except (OSError, ValueError):  # a name the file system refuses: the shell's cd fails too
        return here, used


def _command_start(words: Sequence[str], i: int) -> bool:
    """Whether the shell word at ``i`` is a command's name: first, or after an operator."""
    return i == 0 or _operator(words[i - 1]) or words[i - 1] in _COMMAND_START


def _operator(word: str) -> bool:
    """Whether a shell word is an operator (``&&``, ``;``, ``|``, ``(``, a newline…)."""
    return bool(word) and all(char in _OPERATOR_CHARS for char in word)


def _after(command: Sequence[str], option: int, program: Callable[[str], object]) -> bool:
    """Whether the option at ``option`` is one of a ``program``'s (only options between)."""
    for token in reversed(command[:option]):
        if not token.startswith("-"):
            return bool(program(Path(token).name))
    return False


def _module_files(root: Path, name: str) -> list[Path]:
    """The files ``python -m name`` runs from ``root``: ``name``'s module, or its package's."""
    if not _MODULE.fullmatch(name):
        return []
    path = root.joinpath(*name.split("."))
    if path.with_suffix(".py").is_file():
        return [path.with_suffix(".py")]
    return [f for f in (path / "__main__.py", path / "__init__.py") if f.is_file()]


def _script_files(path: Path) -> list[Path]:
    """
    The file ``python PATH`` runs: ``PATH`` when it is named ``*.py`` (there yet or not) or is
    a file, a folder's ``__main__.py``; else none (a word that names nothing is no code).
    """
    if path.is_dir():
        return [path / "__main__.py"] if (path / "__main__.py").is_file() else []
    return [path] if path.suffix == ".py" or path.is_file() else []


def _shell_words(text: str) -> list[str]:
    """
    The words of a shell command string, split as a POSIX shell would (``&&``, ``;``, ``|``
    and a line's end apart); none if it cannot be split (an unclosed quote): it is read, never
    run.
    """
    words = shlex.shlex(text, posix=True, punctuation_chars=_OPERATOR_CHARS)
    # A newline is an operator here, not a space: `python a.py⏎cd sub⏎python b.py`.
    words.whitespace = " \t\r"
    words.whitespace_split = True
    try:
        return list(words)
    except ValueError:
        return []


def _inside(base: Path, paths: Sequence[Path]) -> list[str]:
    """The ``paths`` inside the project, relative to it; code elsewhere is not the project's."""
    resolved = [path.resolve() for path in paths]
    return [str(path.relative_to(base)) for path in resolved if path.is_relative_to(base)]
