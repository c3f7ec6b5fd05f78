"""
The ``[backends.local]`` section of ``bridge.toml``: how many runs share this machine's CPUs,
and when one of its GPUs counts as free.
"""

from __future__ import annotations

import attrs

from bridge.plan import setting_rules as read
from bridge.plan.setting_fields import setting
from bridge.plan.settings import Section
from bridge.value_methods import value_methods

__all__ = ["LocalConfig"]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class LocalConfig(Section):
    """
    The local backend's settings.

    Attributes:
        cpu_slots: at most this many CPU runs at once; ``None`` for ``[bridge] max_parallel``.
        gpu_free_threshold_mib: a GPU is free when less than this many MiB are in use.
    """

    SECTION = "backends.local"

    cpu_slots: int | None = attrs.field(default=None, metadata=setting(read=read.whole(1)))
    gpu_free_threshold_mib: int = attrs.field(default=500, metadata=setting(read=read.whole(0)))
