"""
Sampling the GPU memory an attempt's process group uses, keeping its peak on disk
(``gpu_peak_mib`` in the attempt directory).
"""

from __future__ import annotations

import time
from pathlib import Path

import structlog

from bridge.adapters.backends.local import procfs
from bridge.adapters.backends.local.attempt_files import read_ident, read_int
from bridge.adapters.gpu import GpuProcessProbe
from bridge.errors import BackendError
from bridge.machine.ports import GpuProbe

__all__ = ["PEAK_FILE", "GpuMemorySampler", "recorded_peak"]

#: The attempt directory's file holding the most MiB its process group was seen using.
PEAK_FILE = "gpu_peak_mib"
_log = structlog.get_logger(__name__)
_SAMPLE_EVERY_SECONDS = 1.0


class GpuMemorySampler:
    """
    Adds up the GPU memory of attempts' process groups from one shared
    ``nvidia-smi --query-compute-apps`` reading, taken at most once a second for all attempts.

    Args:
        probe: this machine's GPU probe; one that cannot list processes
            (not a :class:`GpuProcessProbe`) makes :meth:`sample` do nothing.
    """

    def __init__(self, probe: GpuProbe) -> None:
        self._probe = probe
        self._apps: tuple[float, dict[int, int]] | None = None  # (when, pid → MiB) sampled
        self._error = ""

    def sample(self, attempt_dir: Path) -> None:
        """
        Add up the GPU memory of the attempt's process group now; keep it when above its peak.
        A failing ``nvidia-smi`` is logged once and never fails the run.
        """
        probe = self._probe
        if not isinstance(probe, GpuProcessProbe):
            return
        now = time.monotonic()
        if self._apps is None or now - self._apps[0] >= _SAMPLE_EVERY_SECONDS:
            try:
                self._apps = (now, probe.process_memory())
            except BackendError as exc:
                if self._error != str(exc):
                    _log.warning("gpu_memory_not_sampled", error=str(exc))
                    self._error = str(exc)
                self._apps = (now, {})
        apps = self._apps[1]
        ident = read_ident(attempt_dir)
        if not apps or ident is None:
            return
        group = ident[0]  # the wrapper leads the attempt's process group
        used = 0
        for pid, mib in apps.items():
            stat = procfs.read_stat(pid)
            if stat is not None and stat.pgid == group:
                used += mib
        peak_file = attempt_dir / PEAK_FILE
        if used > (read_int(peak_file) or 0):
            peak_file.write_text(str(used), encoding="ascii")


def recorded_peak(attempt_dir: Path) -> int | None:
    """
    Return the attempt's recorded GPU memory peak in MiB, or ``None`` when none was sampled.
    """
    return read_int(attempt_dir / PEAK_FILE)
