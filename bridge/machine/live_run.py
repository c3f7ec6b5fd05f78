"""
A run while the fold applies records: mutable, updated in place, frozen into views on demand.

The fold keeps each run as a :class:`LiveRun` (its latest attempt a :class:`LiveAttempt`) and
turns it into a frozen :class:`~bridge.machine.views.RunView` only when a snapshot asks for it:
evolving frozen views per event was most of the fold's cost (``bench/event_store.py``).
"""

from __future__ import annotations

from datetime import datetime

import attrs

from bridge.events import types as ev
from bridge.events.values import JobHandle, Slot
from bridge.machine.stages import RunState
from bridge.machine.views import AttemptView, RunView

__all__ = ["LiveAttempt", "LiveRun"]


@attrs.define(slots=True)
class LiveAttempt:
    """
    The latest attempt of a run, mutable while the fold runs; :meth:`view` freezes it.
    """

    # Updating it in place instead of attrs.evolve-ing a frozen view per event is most of the
    # fold's speed (bench/event_store.py).
    attempt_id: str
    number: int
    backend: str
    slots: tuple[Slot, ...]
    argv: tuple[str, ...]
    output_dir: str
    submitted_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    handle: JobHandle | None = None
    state: RunState = RunState.SUBMITTED
    exit_code: int | None = None
    reason: str = ""
    overdue: bool = False
    waiting: str = ""  # why the backend's queue holds the attempt ("" when it does not)
    gpu_seconds: float = 0.0
    local_dir: str = ""
    metrics: ev.MetricsRecorded | None = None
    scratch_dir: str = ""  # the {scratch_dir} it was given, removed after collection
    inputs: tuple[ev.RunInput, ...] = ()  # lineage: {outputs_of:RUN} it read
    gpu_memory_peak_mib: int | None = None
    gpu_memory_total_mib: int | None = None
    gpu_memory_unmeasured: str = ""
    submitted_seq: int = 0
    metrics_seq: int = 0

    @classmethod
    def from_view(cls, view: AttemptView) -> LiveAttempt:
        """
        The live attempt whose :meth:`view` is ``view`` (a fold resumed from a snapshot).
        """
        return cls(**{name: getattr(view, name) for name in _ATTEMPT_FIELDS})

    def view(self) -> AttemptView:
        """
        The attempt as a frozen view.
        """
        return AttemptView(
            attempt_id=self.attempt_id,
            number=self.number,
            backend=self.backend,
            slots=self.slots,
            argv=self.argv,
            output_dir=self.output_dir,
            submitted_at=self.submitted_at,
            started_at=self.started_at,
            finished_at=self.finished_at,
            handle=self.handle,
            state=self.state,
            exit_code=self.exit_code,
            reason=self.reason,
            overdue=self.overdue,
            waiting=self.waiting,
            gpu_seconds=self.gpu_seconds,
            local_dir=self.local_dir,
            metrics=self.metrics,
            scratch_dir=self.scratch_dir,
            gpu_memory_peak_mib=self.gpu_memory_peak_mib,
            gpu_memory_total_mib=self.gpu_memory_total_mib,
            gpu_memory_unmeasured=self.gpu_memory_unmeasured,
            inputs=self.inputs,
            submitted_seq=self.submitted_seq,
            metrics_seq=self.metrics_seq,
        )


@attrs.define(slots=True)
class LiveRun:
    """
    One run while the fold runs: its earlier attempts as views, its latest one live.
    """

    spec: ev.RunPlanned
    index: int  # position in planning order
    state: RunState = RunState.PENDING
    done: list[AttemptView] = attrs.Factory(list)  # every attempt before the latest, as views
    latest: LiveAttempt | None = None
    not_before: datetime | None = None
    avoid_slots: tuple[Slot, ...] = ()
    reason: str = ""
    oom_failures: int = 0
    failures: int = 0
    version: int = 0
    found_status: str = ""
    reasons: tuple[str, ...] = ()  # every reason given, oldest first (RunView.reasons)
    kept: ev.RunKeptAsRan | None = None  # RunView.kept
    carried: ev.RunResultCarried | None = None  # RunView.carried
    ruled_out_after: str = ""  # RunView.ruled_out_after
    cached: RunView | None = None  # the view, until the next event of this run

    @classmethod
    def from_view(cls, view: RunView, index: int) -> LiveRun:
        """
        The live run whose :meth:`view` is ``view``, at position ``index`` in planning order (a
        fold resumed from a snapshot).
        """
        attempts = view.attempts
        return cls(
            **{name: getattr(view, name) for name in _RUN_FIELDS},
            index=index,
            done=list(attempts[:-1]),
            latest=LiveAttempt.from_view(attempts[-1]) if attempts else None,
            version=view.stream_version,
            cached=view,
        )

    def give_reason(self, reason: str) -> None:
        """Set the run's reason, remembered among its ``reasons`` when it is new."""
        self.reason = reason
        if reason and reason not in self.reasons:
            self.reasons = (*self.reasons, reason)

    def view(self) -> RunView:
        """
        The run as a frozen view, cached until the run changes (``cached`` is reset).
        """
        if self.cached is None:
            latest = self.latest
            self.cached = RunView(
                spec=self.spec,
                state=self.state,
                attempts=(*self.done, latest.view()) if latest else tuple(self.done),
                not_before=self.not_before,
                avoid_slots=self.avoid_slots,
                reason=self.reason,
                oom_failures=self.oom_failures,
                failures=self.failures,
                stream_version=self.version,
                found_status=self.found_status,
                reasons=self.reasons,
                kept=self.kept,
                carried=self.carried,
                ruled_out_after=self.ruled_out_after,
            )
        return self.cached


# The fields a live class shares by name with its view (the rest are set by hand above).
_ATTEMPT_FIELDS = tuple(f.name for f in attrs.fields(LiveAttempt))
_RUN_FIELDS = tuple(
    f.name
    for f in attrs.fields(LiveRun)
    if f.name not in {"index", "done", "latest", "version", "cached"}
)
