"""
Sampling the GPU memory an attempt's process group uses, keeping its peak on disk
(``gpu_peak_mib`` in the attempt directory).
"""

from __future__ import annotations

import time
from pathlib import Path

from bridge.adapters.backends.local import procfs
from bridge.adapters.backends.local.attempt_files import read_ident, read_int
from bridge.adapters.gpu import GpuProcessProbe
from bridge.adapters.gpu_sampling import GpuMemory
from bridge.errors import BackendError
from bridge.logs import get_logger
from bridge.machine.ports import GpuInfo, GpuProbe

__all__ = ["PEAK_FILE", "GpuMemorySampler"]

#: The attempt directory's file holding the most MiB its process group was seen using.
PEAK_FILE = "gpu_peak_mib"
_log = get_logger(__name__)
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
        # (when, pid → MiB) sampled; None as the mapping when nvidia-smi failed then.
        self._apps: tuple[float, dict[int, int] | None] | None = None
        self._error = ""
        self._gpus: tuple[GpuInfo, ...] | str | None = None  # asked once; str: why none
        self._active: bool | None = None  # what active() found (it cannot change)

    def active(self) -> bool:
        """
        Whether sampling can measure anything here: a probe that lists processes, and GPUs.
        Worked out once (the GPUs are asked once): a running attempt's poll asks every time.
        """
        if self._active is None:
            self._active = isinstance(self._probe, GpuProcessProbe) and not isinstance(
                self.gpus(), str
            )
        return self._active

    def gpus(self) -> tuple[GpuInfo, ...] | str:
        """
        This machine's GPUs (asked once per backend), or why there are none to sample.
        """
        if self._gpus is None:
            try:
                found = self._probe.probe()
            except BackendError as exc:
                self._gpus = f"nvidia-smi failed: {exc}"
            else:
                self._gpus = found or "no GPU on this machine (no nvidia-smi, or it lists none)"
        return self._gpus

    def sample(self, attempt_dir: Path) -> None:
        """
        Add up the GPU memory of the attempt's process group now; keep it when above its peak.
        A failing ``nvidia-smi`` is logged once and never fails the run.
        """
        probe = self._probe
        if not isinstance(probe, GpuProcessProbe) or isinstance(self.gpus(), str):
            return
        now = time.monotonic()
        if self._apps is None or now - self._apps[0] >= _SAMPLE_EVERY_SECONDS:
            try:
                self._apps = (now, probe.process_memory())
            except BackendError as exc:
                if self._error != str(exc):
                    _log.warning("gpu_memory_not_sampled", error=str(exc))
                    self._error = str(exc)
                self._apps = (now, None)
        apps = self._apps[1]
        ident = read_ident(attempt_dir)
        if apps is None or ident is None:
            return
        group = ident[0]  # the wrapper leads the attempt's process group
        used = 0
        for pid, mib in apps.items():
            stat = procfs.read_stat(pid)
            if stat is not None and stat.pgid == group:
                used += mib
        peak_file = attempt_dir / PEAK_FILE
        before = read_int(peak_file)
        if before is None or used > before:  # 0 too: measured, and nothing used the GPU
            peak_file.write_text(str(used), encoding="ascii")

    def reading(self, attempt_dir: Path) -> GpuMemory:
        """
        What was sampled for the attempt: its peak, one GPU's memory here (the smallest), and
        why nothing was sampled when nothing was.
        """
        peak = read_int(attempt_dir / PEAK_FILE)
        gpus = self.gpus() if isinstance(self._probe, GpuProcessProbe) else "not sampled here"
        if isinstance(gpus, str):
            return GpuMemory(peak_mib=peak, unmeasured="" if peak is not None else gpus)
        total = min(g.memory_total_mib for g in gpus)
        why = "" if peak is not None else "it ended before its first sample"
        return GpuMemory(peak_mib=peak, total_mib=total, unmeasured=why)
