"""
The garbage collector while a command starts.

A command's first fraction of a second creates tens of thousands of objects that live as long as
it does (the modules' classes, functions and compiled patterns, the plan, the folded log), and
CPython's collector, run every 700 net allocations, scans them again and again: about 30 ms of
a ``bridge run``'s CPU, nearly all of the collector's work in a short command. :func:`paused`
stops collecting for a command's first ``seconds``, then freezes what exists (``gc.freeze``:
those objects are never scanned again) and collects as before, so a long ``bridge run`` keeps
its memory bounded. Meanwhile objects are still freed by reference counting (nearly all of
them); only garbage in reference cycles waits for the collector.

On leaving, the collector runs again and nothing is frozen, so a program calling ``main()``
in-process keeps its collector (what the command made is in the oldest generation, as after
any long-lived work); one that disabled or froze the collector itself is left alone.

:func:`frozen_at_exit` is for the ``bridge`` process itself (``main()`` reading ``sys.argv``):
the interpreter's last act is a full collection that scans every object the command made, only
to free memory the operating system takes back anyway. It was about 26 ms of a 170 ms ``bridge
status`` (15 %; 30 million instructions, callgrind). Freezing everything at exit skips that
scan. What it gives up: objects in reference cycles still alive at exit are not finalized by
the collector (their ``__del__`` does not run); objects held by modules are still released as
the modules are cleared, and bridge closes its log, its database and every file it writes
explicitly, so nothing of bridge waits on such a finalizer (CPython does not promise them at
exit either).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["frozen_at_exit", "paused"]


@contextlib.contextmanager
def paused(seconds: float) -> Iterator[None]:
    """
    No garbage collection for the first ``seconds`` of the block (or all of it, if shorter);
    then what exists is frozen and collection resumes. Restores the collector on exit.
    """
    if not gc.isenabled() or gc.get_freeze_count():
        yield  # the embedding program manages the collector: leave it alone
        return
    lock = threading.Lock()
    done: list[bool] = []

    def resume() -> None:
        with lock:
            if not done:
                done.append(True)
                gc.freeze()
                gc.enable()

    gc.disable()
    timer = threading.Timer(seconds, resume)
    timer.daemon = True  # never keeps a finished command's process alive
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:  # the timer cannot resume after this
            done.append(True)
            # Everything made meanwhile joins the oldest generation without being scanned (a
            # plain enable would scan it all at the next allocation: ~30 ms for a `bridge run`).
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def frozen_at_exit() -> None:
    """
    At interpreter exit, freeze every object before the interpreter's final collection, which
    then has nothing to scan (see the module's docstring for what that gives up). Only for a
    process that is ``bridge``: registered by ``main()`` when it reads ``sys.argv``.
    """
    atexit.register(gc.freeze)
