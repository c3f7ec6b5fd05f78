"""
The fold's indexes of the runs, kept up to date from the runs changed since the last snapshot.

Taking a snapshot after each event must cost O(changed runs), not O(runs): :class:`RunIndex`
holds each run's frozen view as of the last snapshot and, from those, the run ids per state,
the per-milestone counts by (must-run, state), the planning order and the GPU time used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from bridge.machine.live_run import LiveRun
from bridge.machine.stages import RunState
from bridge.machine.views import RunView
from bridge.plan.priority import Priority

__all__ = ["RunIndex"]


class RunIndex:
    """
    Each run's latest frozen view and the indexes derived from them.

    Attributes:
        views: each run's view as of the last :meth:`update`, in planning order.
        by_state: the ids of the runs in each state, in planning order; a state no run is in is
            absent.
        counts: per milestone, how many runs are in each (must-run, state); zero counts and
            milestones without runs are absent.
        order: each run's position in planning order (a new dict whenever a run is planned,
            so an earlier snapshot's stays as it was).
        gpu_ns: GPU time of every attempt of every run, in whole nanoseconds (integers, so the
            total does not depend on how the records were grouped into snapshots).
        planned_last: the runs the last :meth:`update` planned, in the order they joined
            ``views`` (after every run there before).
        milestone_moved: whether the last :meth:`update` gave a run already there another
            milestone (the milestones the runs name may then have lost one).
    """

    def __init__(self) -> None:
        self.views: dict[str, RunView] = {}
        self.by_state: dict[RunState, tuple[str, ...]] = {}
        self.counts: dict[str, Mapping[tuple[bool, RunState], int]] = {}
        self.order: dict[str, int] = {}
        self.gpu_ns = 0
        self.planned_last: tuple[str, ...] = ()
        self.milestone_moved = False
        # The working sets behind by_state and counts: dicts kept in planning order, and raw
        # counts that may hold zeros.
        self._buckets: dict[RunState, dict[str, None]] = {}
        self._tallies: dict[str, dict[tuple[bool, RunState], int]] = {}

    @classmethod
    def restore(
        cls,
        views: Mapping[str, RunView],
        by_state: Mapping[RunState, tuple[str, ...]],
        counts: Mapping[str, Mapping[tuple[bool, RunState], int]],
        order: Mapping[str, int],
    ) -> RunIndex:
        """
        The index a fold had when its state held these views and indexes (a fold resumed from a
        snapshot): updating it then gives what updating the original gives.
        """
        index = cls()
        index.views = dict(views)
        index.by_state = dict(by_state)
        index.counts = dict(counts)
        index.order = dict(order)
        index.gpu_ns = sum(_ns(view) for view in views.values())
        index._buckets = {state: dict.fromkeys(ids) for state, ids in by_state.items()}
        index._tallies = {milestone: dict(tally) for milestone, tally in counts.items()}
        return index

    def update(self, changed: Mapping[str, LiveRun], runs: Mapping[str, LiveRun]) -> bool:
        """
        Bring the views and indexes up to date with the ``changed`` runs (``runs`` is every
        run, for planning positions): O(changed runs), plus O(runs in a state) for each state
        whose set changed.

        Returns:
            True when the milestones the runs name may have changed.
        """
        views, buckets, tallies = self.views, self._buckets, self._tallies
        moved: set[RunState] = set()
        unsorted: set[RunState] = set()
        recounted: set[str] = set()
        planned: dict[str, int] = {}
        new_runs = moved_milestone = False
        for run_id, run in changed.items():
            old = views.get(run_id)
            new = views[run_id] = run.view()
            if old is None:
                new_runs = True
                planned[run_id] = run.index
            elif old.state is new.state and old.spec is new.spec:
                self.gpu_ns += _ns(new) - _ns(old)
                continue
            if old is None or old.state is not new.state:
                if old is not None:
                    del buckets[old.state][run_id]
                    moved.add(old.state)
                bucket = buckets.setdefault(new.state, {})
                if bucket and runs[next(reversed(bucket))].index > run.index:
                    unsorted.add(new.state)
                bucket[run_id] = None
                moved.add(new.state)
            if old is not None:
                key = (old.spec.priority is Priority.MUST, old.state)
                tallies[old.spec.milestone][key] -= 1
                recounted.add(old.spec.milestone)
                self.gpu_ns -= _ns(old)
                if old.spec.milestone != new.spec.milestone:
                    new_runs = moved_milestone = True  # the milestone list may change
            key = (new.spec.priority is Priority.MUST, new.state)
            tally = tallies.setdefault(new.spec.milestone, {})
            tally[key] = tally.get(key, 0) + 1
            recounted.add(new.spec.milestone)
            self.gpu_ns += _ns(new)
        self.planned_last = tuple(planned)
        self.milestone_moved = moved_milestone
        if planned:
            # A new dict, not an update: earlier snapshots hold the old one.
            self.order = {**self.order, **planned}
        for state in moved:
            bucket = buckets[state]
            if state in unsorted:
                bucket = dict.fromkeys(sorted(bucket, key=lambda i: runs[i].index))
                buckets[state] = bucket
            # Empty entries are dropped, so the indexes do not depend on the states runs
            # passed through between snapshots (fold(all) equals the incremental fold).
            if bucket:
                self.by_state[state] = tuple(bucket)
            else:
                self.by_state.pop(state, None)
        for milestone in recounted:
            view = {k: v for k, v in tallies[milestone].items() if v}
            if view:
                self.counts[milestone] = view
            else:
                self.counts.pop(milestone, None)
        return new_runs


# The most GPU time one run counts for, in nanoseconds: far past any real run (3e233 years), and
# far enough below the largest float that the total of any number of runs still converts.
_MOST_NS = 10**250


def _ns(run: RunView) -> int:
    """
    A run's GPU time in whole nanoseconds (exact to add and subtract), at most ``_MOST_NS``:
    a backend's report is untrusted, and attempts of 1e308 GPU-seconds each sum to infinity,
    which no integer holds (the log could not be folded at all).
    """
    if not run.attempts:
        return 0
    ns = run.gpu_seconds * 1e9
    if not math.isfinite(ns) or abs(ns) > _MOST_NS:
        return _MOST_NS if ns > 0 else -_MOST_NS
    return round(ns)
