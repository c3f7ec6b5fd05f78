"""
``bridge ARGS`` run in the test's own process, answered as a child process would be.

A child ``bridge`` (the console script, ``python -m bridge``) spends 0.3-0.5 s starting before
it does anything: hundreds of such starts were minutes of the suite's time. A test about what a
command prints, writes or exits with needs none of that, so it calls :func:`bridge_here`, which
runs :func:`bridge.cli.main.main` here and hands back the same ``CompletedProcess`` the
subprocess helpers (``tests.e2e.test_cli.bridge``, ``tests.cli.conftest.bridge_cli``) do: the
exit code, and stdout and stderr as text. A test about the process itself (the console script,
exit codes under signals, a crash, a clean machine) keeps a real child.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from pathlib import Path

from bridge.cli.main import main


def bridge_here(
    *args: str, cwd: Path | None = None, columns: int = 200, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """
    Run ``bridge ARGS`` in this process, from ``cwd`` (this process's working directory when
    None), with a terminal ``columns`` wide (``COLUMNS``, as the subprocess helpers set it);
    stdout and stderr captured, never a terminal (bridge's plain console, as in a child with
    pipes). ``timeout`` is accepted for the subprocess helpers' signature and not enforced: the
    suite's own timeout covers a command that hangs. An argparse error (``SystemExit``) is its
    exit code, as a child's would be.
    """
    del timeout
    out, err = io.StringIO(), io.StringIO()
    before_cwd = Path.cwd()
    before_columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(columns)
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:
                if isinstance(exc.code, str):  # the interpreter prints it and exits 1
                    err.write(exc.code + "\n")
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        os.chdir(before_cwd)
        if before_columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before_columns
    return subprocess.CompletedProcess(["bridge", *args], code, out.getvalue(), err.getvalue())
