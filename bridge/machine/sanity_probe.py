"""
The run checked alone first when the plan names no sanity milestone.

A plan without a sanity milestone (034's milestones are "Pilot positive", "Ablations complete",
…) launched every run at once: on real GPUs the whole budget was spent before the first run
showed whether the pipeline works at all (trial T1). With ``sanity_first`` on, bridge now runs
one run of the plan's first milestone alone (the run the plan itself calls a sanity check
first, when it is of the first milestone with runs, data preparation passed over, and waits
for no run) and checks it as it checks a sanity milestone (it succeeded, its metrics were
read and are trusted) before it launches the rest. The run is one of the plan's own, not an
extra one: its numbers count in its block as any run's do.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from bridge.plan.priority import Priority

__all__ = ["probe_of"]


def probe_of(
    runs: Iterable[tuple[str, str, Priority, bool]],
    milestones: Sequence[str],
    sanity_checks: Collection[str] = (),
    data_milestones: Collection[str] = (),
) -> str | None:
    """
    The id of the run checked alone first: of ``runs`` (run id, milestone, priority, whether
    numbers are asked of it: it names metrics or is in a block), the runs bridge would launch
    that wait for no other run, in planning order, the first must-run run whose Purpose says it
    is a sanity check (``sanity_checks``) of the first milestone with such runs, milestones that
    prepare data (``data_milestones``: 011's M0 "Data Pipeline") not counted; else the first
    must-run run of the earliest milestone in ``milestones`` that has one (plan order; a
    milestone not there comes after them), one asked for numbers before one that is not (a data
    preparation step checks nothing of the metrics); else, with no must-run run at all, the
    first nice-to-have one. A nice-to-have run is no check of the plan: its failure holds
    nothing back. A sanity check of a later milestone ("sanity: reload the M3 checkpoint") is
    no check of the pipeline's start: it does not go before the earlier milestones' runs.

    A pure function of the plan and of which runs bridge runs, so every command picks the same
    run, whatever the runs' states.
    """
    order = {m: i for i, m in enumerate(milestones)}
    listed = list(runs)
    # The first milestone with a must-run run to launch, data preparation passed over: only a
    # sanity check of it is the plan's check of its start.
    first = min(
        (
            order.get(milestone, len(order))
            for _, milestone, priority, _ in listed
            if priority is Priority.MUST and milestone not in data_milestones
        ),
        default=None,
    )
    best: tuple[bool, bool, int, bool, int, str] | None = None
    for at, (run_id, milestone, priority, numbers) in enumerate(listed):
        must = priority is Priority.MUST
        check = run_id in sanity_checks and order.get(milestone, len(order)) == first
        key = (not must, not check, order.get(milestone, len(order)), not numbers, at, run_id)
        if best is None or key < best:
            best = key
    return None if best is None else best[5]
