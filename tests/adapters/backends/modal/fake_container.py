"""
One container of the loopback Modal fake (``fake_modal_server.py``): runs one call for real.

Usage: ``python fake_container.py JOB.pickle``. The job names the launcher file and the function
of it the call runs (its ``entry``), the call's arguments and id, the Volume's mount path (where
the launcher and the run read and write, as in a container) and its committed store (what
Modal's API serves), the project directory, and where to leave the result. The launcher's
``commit`` copies the mount into the store, each file replaced atomically, so a reader through
the API never sees a half-written file and sees nothing the container has not committed, as on
Modal. The result is pickled as ``("success", value)`` or ``("failure", exception)``; a
container killed before it writes one has no result, which the fake reports as a lost worker.
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import signal
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any


def _commit(mount: Path, store: Path) -> None:
    for path in sorted(mount.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        target = store / path.relative_to(mount)
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".commit-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)


def main(job_path: str) -> None:
    job: dict[str, Any] = pickle.loads(Path(job_path).read_bytes())
    if job["image_path"]:  # what the image installs, a GPU image's nvidia-smi
        os.environ["PATH"] = job["image_path"] + os.pathsep + os.environ["PATH"]
    spec = importlib.util.spec_from_file_location("bridge_modal_launcher", job["launcher"])
    assert spec is not None and spec.loader is not None
    launcher = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launcher)
    outcome: tuple[str, Any]
    try:
        if job["entry"] == "run_spec_attempt":
            # The Modal entry point's body, with this machine's paths for the container's.
            mount, store = Path(job["mount"]), Path(job["store"])
            mount.mkdir(parents=True, exist_ok=True)
            value = launcher.run_spec_attempt(
                job["args"][0],
                volume_root=mount,
                call_id=job["call_id"],
                commit=lambda: _commit(mount, store),
                reload=lambda: None,  # one machine: every container already sees the same mount
                workspace=Path(job["workspace"]),
            )
        else:
            value = getattr(launcher, job["entry"])(*job["args"])
        outcome = ("success", value)
    except Exception as exc:  # the function raised: Modal returns the exception to the caller
        outcome = ("failure", exc)
    result = Path(job["result"])
    result.with_suffix(".tmp").write_bytes(pickle.dumps(outcome))
    os.replace(result.with_suffix(".tmp"), result)


def zygote() -> None:
    """
    Read a job path per line on stdin; fork a container for each, in its own session with its
    output to ``container.log`` beside the job, and answer its pid on stdout.
    """
    import modal  # noqa: F401  (imported once here, inherited by every container)

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps ended containers
    for line in sys.stdin:
        job_path = line.strip()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                # The run's own subprocess needs its exit status: undo the zygote's SIG_IGN.
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.setsid()
                log = os.open(
                    Path(job_path).with_name("container.log"),
                    os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                    0o644,
                )
                os.dup2(log, 1)
                os.dup2(log, 2)
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                main(job_path)
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        print(pid, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--zygote":
        zygote()
    else:
        main(sys.argv[1])
