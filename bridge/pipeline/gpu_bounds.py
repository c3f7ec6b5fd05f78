"""
The GPU memory a sanity run must stay within, and how a run's sampled peak compares to it.

The bound is ``[run] max_gpu_memory_gb`` when set; otherwise the memory of the GPUs the run had
(one GPU's ``memory.total`` as the backend recorded it, times the run's ``gpus``, at least one)
less ``[run] gpu_memory_margin_gb`` (default 1 GB; 0 turns this default check off). A run whose
peak was not sampled is neither passed on nor failed: :func:`unmeasured` says so, with why.
"""

from __future__ import annotations

import attrs

from bridge.machine.fold import RunView
from bridge.plan.config import RunConfig
from bridge.value_methods import value_methods

__all__ = ["GpuBounds", "over_bound", "unmeasured"]

_MIB_PER_GB = 1024


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class GpuBounds:
    """
    The two settings that bound a sanity run's GPU memory.

    Attributes:
        max_gb: ``[run] max_gpu_memory_gb``; None when not set.
        margin_gb: ``[run] gpu_memory_margin_gb``, used only without ``max_gb``.
    """

    max_gb: float | None = None
    margin_gb: float = 1.0

    @classmethod
    def of(cls, run: RunConfig) -> GpuBounds:
        """
        The bounds ``[run]`` sets.
        """
        return cls(max_gb=run.max_gpu_memory_gb, margin_gb=run.gpu_memory_margin_gb)


def over_bound(run: RunView, bounds: GpuBounds) -> str:
    """
    Why the run's latest attempt used too much GPU memory, or ``""`` when it did not (or its
    peak was not sampled, or without ``max_gb`` the GPU's memory is unknown).
    """
    attempt = run.current
    peak = attempt.gpu_memory_peak_mib if attempt is not None else None
    if attempt is None or peak is None:
        return ""
    shown = f"GPU memory peaked at {peak / _MIB_PER_GB:.2f} GB"
    if bounds.max_gb is not None:
        if peak > bounds.max_gb * _MIB_PER_GB:
            return f"{shown}, over [run] max_gpu_memory_gb = {bounds.max_gb:g}"
        return ""
    total = attempt.gpu_memory_total_mib
    if total is None or bounds.margin_gb <= 0:
        return ""
    gpus = max(1, run.spec.gpus)
    capacity = total * gpus
    if peak <= capacity - bounds.margin_gb * _MIB_PER_GB:
        return ""
    what = f"its GPU's {capacity / _MIB_PER_GB:.2f} GB"
    if gpus > 1:
        what = f"its {gpus} GPUs' {capacity / _MIB_PER_GB:.2f} GB"
    if peak > capacity:  # more GPUs than the run asked for, or another GPU than the smallest
        return f"{shown}, more than {what} (the run's `gpus` is {run.spec.gpus})"
    return f"{shown}, within [run] gpu_memory_margin_gb = {bounds.margin_gb:g} of {what}"


def unmeasured(run: RunView, bounds: GpuBounds) -> str:
    """
    ``"<run>: GPU memory not measured (why)"`` for a run whose latest attempt has no sampled
    peak while it asked for GPUs or a bound is set; ``""`` otherwise (a CPU run without a bound
    has nothing to measure).
    """
    attempt = run.current
    if attempt is None or attempt.gpu_memory_peak_mib is not None:
        return ""
    if run.spec.gpus <= 0 and bounds.max_gb is None:
        return ""
    why = attempt.gpu_memory_unmeasured or f"the {attempt.backend} backend does not sample it"
    return f"{run.run_id}: GPU memory not measured ({why})"
