"""
Logs built event by event for the tests that judge, place or render runs without running them:
a project's plan as ``bridge run`` records it, and runs that launched, succeeded and recorded
the numbers a test chooses, as the collector writes them (one attempt, a JSON source).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from bridge.events import types as ev
from bridge.events.measurements import MetricValue, QualityFlag
from bridge.events.store import InMemoryEventStore
from bridge.events.values import JobHandle, Slot


def planned(root: Path, store: InMemoryEventStore | None = None) -> InMemoryEventStore:
    """``store`` (a new one by default) with the plan of the project at ``root`` appended as
    ``bridge run`` records it: each run's stream new, the plan's stream appended to."""
    from bridge.pipeline.recording import plan_events
    from bridge.plan import load_project

    store = InMemoryEventStore() if store is None else store
    for stream, events in plan_events(load_project(root)):
        store.append(stream, events, 0 if stream.startswith("run:") else None)
    return store


def recorded_value(run: str, name: str, value: float | None, raw: str | None = None) -> MetricValue:
    """``name`` = ``value`` read from the first attempt's ``metrics.json`` of ``run``; ``raw``
    defaults to the value's text (``NaN`` for ``None``, as the log keeps a NaN)."""
    attempt = f"{run}-a1"
    return MetricValue(
        run_id=run,
        attempt_id=attempt,
        name=name,
        value=value,
        raw=("NaN" if value is None else str(value)) if raw is None else raw,
        source=f".bridge/runs/{run}/{attempt}/output/metrics.json",
        sha256="a" * 64,
        rule=f"json:{name}",
    )


def finished_run(
    run: str,
    numbers: Mapping[str, float | None],
    *,
    argv: tuple[str, ...] = ("python3", "fake.py"),
    quality: Sequence[QualityFlag] = (),
    key_metric: str | None = "",
    lower_is_better: Sequence[str] = (),
) -> list[ev.Event]:
    """The events of ``run`` launched on the local backend with ``argv``, succeeded and having
    recorded ``numbers`` (in that order) with ``quality``; ``key_metric`` ``""`` records none
    (no ``[metrics] primary`` and no Metrics field), ``None`` the first of ``numbers``;
    ``lower_is_better`` names the metrics ``[metrics] higher_is_better`` says are better lower."""
    attempt = f"{run}-a1"
    return [
        ev.RunSubmitted(
            run_id=run,
            attempt_id=attempt,
            attempt=1,
            backend="local",
            slots=(Slot(host="local", gpu=None),),
            argv=argv,
        ),
        ev.RunStarted(
            run_id=run, attempt_id=attempt, handle=JobHandle(backend="local", attempt_id=attempt)
        ),
        ev.RunSucceeded(run_id=run, attempt_id=attempt),
        ev.MetricsRecorded(
            run_id=run,
            attempt_id=attempt,
            values=tuple(recorded_value(run, name, value) for name, value in numbers.items()),
            quality=tuple(quality),
            key_metric=next(iter(numbers)) if key_metric is None else key_metric,
            lower_is_better=dict.fromkeys(lower_is_better, True),
        ),
    ]
