"""
``bridge.cli:main``: parse, run the command's handler, turn errors into one line and an exit
code.

Exit codes: 0 done, 1 runtime failure, 2 bad input or configuration, 3 stopped waiting for a
person (AWAITING_APPROVAL or BLOCKED), 128+N ended by signal N (130 Ctrl-C, 143 SIGTERM).
Errors are one line, never a traceback, unless ``--debug``. Output cut short by a closed pipe
(``bridge log | head``) ends quietly with 0.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType

from bridge.cli.parser import EXIT_INPUT, Parsed, parse
from bridge.errors import BridgeError, InputError, LockedError
from bridge.events.secrets import redact
from bridge.projections.visible import KEEP_LINES, visible

__all__ = ["main"]

EXIT_FAILURE = 1
# Seconds a command runs before the garbage collector resumes (bridge.cli.collector): past most
# commands' whole run and a `bridge run`'s imports, short enough to bound what cycles hold.
START_UP_SECONDS = 2.0


class _Stop:
    """
    SIGTERM ends bridge the way Ctrl-C does (KeyboardInterrupt, caught in :func:`main`): the
    current append rolls back or completes, files are written whole, the lock goes with the
    process, and detached runs go on. Remembers which signal came, for the exit code.
    """

    def __init__(self) -> None:
        self.signum = int(signal.SIGINT)
        # What signal.signal returns: a handler, SIG_DFL/SIG_IGN, or None (not set from Python).
        self._previous: dict[int, Callable[[int, FrameType | None], object] | int | None] = {}
        if threading.current_thread() is not threading.main_thread():
            return  # handlers can only be set from the main thread (an embedder's worker)
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, self._raise)

    def _raise(self, signum: int, frame: object) -> None:
        self.signum = signum
        raise KeyboardInterrupt

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    def hold(self) -> None:
        for signum in self._previous:
            signal.signal(signum, signal.SIG_IGN)

    def restore(self) -> None:
        for signum, previous in self._previous.items():
            # The start-up handler of bridge.cli only covers the imports: give the defaults back.
            if getattr(previous, "__name__", "") == "_stopped_while_starting":
                if signum == signal.SIGINT:
                    signal.signal(signum, signal.default_int_handler)
                else:
                    signal.signal(signum, signal.SIG_DFL)
            else:
                signal.signal(signum, previous)


def _forget_unhandled_interrupt() -> None:
    # CPython marks a KeyboardInterrupt that escapes code run from a string by exec()/eval()
    # (dataclasses and namedtuple build their methods so while a module is imported) as
    # unhandled, and `python -m bridge` then ends by SIGINT at exit although main caught it:
    # -2 rather than 128 + N. Running any string from the start clears that mark.
    exec("")  # noqa: S102 - a constant empty string, run for the side effect above


def _say(message: str) -> None:
    # An error may quote a run's output, a host's reply or a file's text: shown, not obeyed.
    sys.stderr.write(visible(message, keep=KEEP_LINES) + "\n")
    sys.stderr.flush()


def _in_language(message: str, args: Parsed) -> str:
    # The prefix stays the program's name and kind of message, as argparse's own errors say it
    # (scripts look for it); what follows it is said in the plan's language (026's Chinese plan
    # was answered "nothing to run: …" in English).
    from bridge.cli.project import output_language
    from bridge.projections.error_words import error_in_language

    return error_in_language(message, output_language(args))


def _quiet_stdout() -> None:
    # The reader went away: send whatever is still buffered nowhere, so the interpreter's final
    # flush cannot fail again (the recipe in Python's signal documentation).
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the ``bridge`` command and return its exit code. With ``argv`` None (the command line
    of the process: the console script, ``python -m bridge``) the process is taken to be
    ``bridge`` and skips the interpreter's final collection at exit
    (:func:`bridge.cli.collector.frozen_at_exit`).
    """
    from bridge.cli import collector

    if argv is None:
        collector.frozen_at_exit()
    # Start-up objects live as long as the command: not collected while they are being made.
    with collector.paused(seconds=START_UP_SECONDS):
        return _command(argv)


def _command(argv: Sequence[str] | None) -> int:
    from bridge import compile_cache
    from bridge.cli import logfile
    from bridge.cli.handlers import HANDLERS

    stop = _Stop()
    args = parse(argv)
    # From here on a command compiles only what no earlier one did (bridge.compile_cache):
    # before its handler imports the modules whose attrs classes and patterns it uses.
    compile_cache.enable()
    try:
        code = HANDLERS[args.command](args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except InputError as exc:
        if args.debug:
            raise
        _say(f"bridge: error: {_in_language(redact(str(exc)), args)}")
        return EXIT_INPUT
    except LockedError as exc:
        if args.debug:
            raise
        _say(f"bridge: {exc}")
        return EXIT_FAILURE
    except BridgeError as exc:
        if args.debug:
            raise
        _say(f"bridge: {type(exc).__name__}: {redact(str(exc))}")
        return EXIT_FAILURE
    except OSError as exc:
        # A path the user named that cannot be written or read (--out on a file, a read-only
        # folder): one line naming it, not a traceback.
        if args.debug:
            raise
        _say(f"bridge: error: {exc}")
        return EXIT_FAILURE
    except KeyboardInterrupt:
        stop.hold()  # a second Ctrl-C must not break the clean-up into a traceback
        _forget_unhandled_interrupt()
        _say(
            f"bridge: interrupted ({stop.name}); runs already launched keep running and the "
            "next `bridge run` adopts and collects them (`bridge status` shows them meanwhile)"
        )
        return 128 + stop.signum
    finally:
        stop.restore()
        logfile.reset()
