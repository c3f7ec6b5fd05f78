"""
An executable ``nvidia-smi`` stand-in for hosts without a GPU: a stand-in for the hardware, not a
mock of bridge's code. Put on the PATH a remote job sees (the SSH or Slurm ``setup`` line), it
answers the three queries bridge asks in the format real ``nvidia-smi`` prints with
``--format=csv,noheader,nounits``:

- ``--query-gpu=index,memory.used,memory.total``: two idle GPUs of ``TOTAL_MIB``;
- ``--query-gpu=memory.total``: ``TOTAL_MIB`` per GPU;
- ``--query-compute-apps=pid,used_memory``: one line per file in the usage directory (the file
  named by a pid, holding the MiB that process "uses"), plus a process outside every job
  (pid 1, 50000 MiB) that bridge must not count; and, when the file ``<usage dir>.jobs``
  exists, each process running the pipeline tests' ``scripts/job.py`` with the MiB it holds.
  When ``<usage dir>.only`` exists, its lines instead, verbatim (empty: no GPU process at all,
  as ``nvidia-smi`` in a container often says).

A job says what it "uses" by writing its pid's file there (:func:`using`).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["TOTAL_MIB", "install", "using"]

#: One GPU's memory.total as an 80 GB H100 reports it.
TOTAL_MIB = 81559

_SCRIPT = """\
#!/bin/sh
case "$1" in
  --query-compute-apps=*)
    if [ -f {usage}.only ]; then cat {usage}.only; exit 0; fi
    for f in {usage}/*; do [ -f "$f" ] && echo "$(basename "$f"), $(cat "$f")"; done
    [ -f {usage}.jobs ] && for p in $(pgrep -f "scripts/job.py --run"); do
      echo "$p, $(cat {usage}.jobs)"; done
    echo "1, 50000" ;;
  --query-gpu=memory.total) printf '{total}\\n{total}\\n' ;;
  --query-gpu=*) printf '0, 0, {total}\\n1, 0, {total}\\n' ;;
  *) echo "nvidia-smi stand-in: unknown query $1" >&2; exit 2 ;;
esac
"""


def using(usage: Path, mib: int, hold: float) -> str:
    """
    Python code for a job: "use" ``mib`` for ``hold`` seconds (a short peak), then 100 MiB for
    half a second, then end.
    """
    return (
        "import os, pathlib, time; "
        f"u = pathlib.Path({str(usage)!r}, str(os.getpid())); u.write_text('{mib}'); "
        f"time.sleep({hold}); u.write_text('100'); time.sleep(0.5)"
    )


def install(root: Path) -> tuple[Path, Path]:
    """
    Write the stand-in under ``root``; return ``(bin directory for PATH, usage directory)``.
    """
    bin_dir, usage = root / "smi-bin", root / "smi-usage"
    bin_dir.mkdir(parents=True)
    usage.mkdir()
    script = bin_dir / "nvidia-smi"
    script.write_text(_SCRIPT.format(usage=usage, total=TOTAL_MIB))
    script.chmod(0o755)
    return bin_dir, usage
