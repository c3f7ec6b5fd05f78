"""
What every ``bridge`` command starts from: the project it is about, the ``-o`` overrides, the
run a name means, the pipeline or its folded state, the console, and the exit codes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from bridge.cli.parser import Parsed
from bridge.errors import InputError, UnknownRunError
from bridge.pipeline.root import MARKERS, find_root
from bridge.projections.visible import KEEP_LINES, visible

if TYPE_CHECKING:
    from rich.console import Console

    from bridge.machine.fold import PipelineState
    from bridge.pipeline.bridge import Bridge

__all__ = [
    "EXIT_FAILURE",
    "EXIT_OK",
    "EXIT_WAITING",
    "folded_state",
    "new_console",
    "open_bridge",
    "out",
    "output_language",
    "overrides",
    "project_root",
    "resolve_run",
]

EXIT_OK, EXIT_FAILURE, EXIT_WAITING = 0, 1, 3


def project_root(args: Parsed) -> Path:
    """
    The project the command is about: ``--project`` (a folder, a folder inside a project, or a
    plan file) or the current folder, walking up to the nearest project root like git does.

    A folder holding ``EXPERIMENT_PLAN.md`` itself (not in ``refine-logs/``) is taken as the
    project, so that loading it says where the plan belongs instead of "not a project".

    Raises:
        InputError: the path does not exist, or neither it nor any folder above is a project.
    """
    start = Path(args.project or ".")
    if not start.exists():
        raise InputError(f"--project {args.project}: no such file or directory")
    root = find_root(start)
    if root is None and (start / "EXPERIMENT_PLAN.md").is_file():
        # A plan kept outside refine-logs/: loading the folder says where it belongs.
        return start.resolve()
    if root is None:
        where = f"--project {args.project}" if args.project else str(start.resolve())
        raise InputError(
            f"{where}: not a bridge project, nor is any folder above it (a project holds one "
            f"of {', '.join(MARKERS[1:3])} or .bridge/); pass --project, or start one with "
            "`bridge init`"
        )
    return root


def overrides(args: Parsed) -> dict[str, object]:
    """
    ``-o key=value`` pairs, checked against the options' names and types.

    Raises:
        ConfigError: a pair without ``=``, a key given twice, an unknown option, or a badly
            typed value.
    """
    from bridge.errors import ConfigError

    out: dict[str, object] = {}
    for item in args.option:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(
                f"-o {item!r}: expected key=value (e.g. -o max_parallel=2)", setting=item
            )
        key = key.strip()
        if key in out:
            # Refused, as two spellings of one option are (apply_options): the last one
            # winning silently would hide a mistake in a script or a repeated command line.
            # The values are not shown: an option's value is the user's, not a message's.
            raise ConfigError(f"-o: {key} is set twice; keep one", setting=key)
        out[key] = value.strip()
    if out:
        from bridge.plan.options import OptionLayer, Options, apply_options

        apply_options(Options(), out, OptionLayer(name="-o"))
    return out


def output_language(args: Parsed) -> str:
    """
    The language the command speaks to the researcher of the project ``args`` names, for the
    errors it ends with (``bridge.cli.main``), found without loading the project, which may be
    what failed: the ``language`` option given with ``-o``, else the one in ``bridge.toml``'s
    ``[bridge]`` table, when it names ``en`` or ``zh``; else the language of the plan's text
    (the tracker's without a plan), as ``bridge plan`` and ``bridge init`` detect it. English
    where there is no project, or nothing there can be read.
    """
    import tomllib

    from bridge.plan.options import option_key
    from bridge.plan.project import PLAN, TRACKER
    from bridge.plan.reader import language_of
    from bridge.projections.text import chosen_language

    given = getattr(args, "dir", None) or args.project or "."
    root = find_root(given)
    if root is None:
        return "en"
    chosen = "auto"
    for item in args.option:
        key, _, value = item.partition("=")
        if option_key(key) == "language":
            chosen = value.strip().casefold()
    if chosen == "auto":
        try:
            table = tomllib.loads((root / "bridge.toml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            table = {}
        section = table.get("bridge")
        written = section.get("language") if isinstance(section, dict) else None
        chosen = written.strip().casefold() if isinstance(written, str) else "auto"
    for name in (PLAN, TRACKER):
        try:
            text = (root / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        return chosen_language(chosen, language_of(text))
    return chosen_language(chosen, "en")


def resolve_run(given: str, known: Iterable[str]) -> str:
    """
    The run id ``given`` names: itself when it is one, else the single id equal to it ignoring
    case.

    Raises:
        UnknownRunError: no id matches, or more than one does ignoring case.
    """
    ids = list(known)
    if given in ids:
        return given
    matches = [run_id for run_id in ids if run_id.casefold() == given.casefold()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UnknownRunError(f"run {given!r} matches {', '.join(matches)}: give the exact id")
    if not ids:
        # Before the first `bridge run` nothing is recorded (trial N3: "runs: none yet" beside
        # a `bridge plan` that lists the run).
        raise UnknownRunError(
            f"no run {given!r} is recorded yet: nothing has run in this project; `bridge run` "
            "records the plan's runs"
        )
    shown = ", ".join(ids[:12]) + (", …" if len(ids) > 12 else "")
    raise UnknownRunError(f"no run {given!r} in this project (runs: {shown})")


def open_bridge(args: Parsed, root: Path) -> Bridge:
    from bridge.cli import logfile
    from bridge.pipeline.bridge import Bridge

    made = Bridge(root, options=overrides(args))
    logfile.configure(root, verbose=args.verbose)
    return made


def folded_state(root: Path) -> PipelineState:
    from bridge.pipeline import snapshots
    from bridge.pipeline.project_log import open_store

    store = open_store(root)
    try:
        loaded = snapshots.load(store)
    finally:
        store.close()
    for note in loaded.notes:  # a snapshot skipped is said, on stderr: stdout stays the answer
        sys.stderr.write(f"note: {visible(note, keep=KEEP_LINES)}\n")
    return loaded.folder.state()


def new_console() -> Console:
    from bridge.cli.console import make_console

    return make_console()


def out(line: str) -> None:
    """
    Write ``line`` to stdout with every control character but newline and tab shown as its
    JSON escape (:func:`~bridge.projections.visible.visible`): a reason or a metric name a run
    wrote cannot drive the terminal, and JSON output stays JSON holding the same values.
    """
    sys.stdout.write(visible(line, keep=KEEP_LINES) + "\n")
