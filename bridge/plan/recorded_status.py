"""
What bridge's recorded status of a tracker row it does not launch says about why, read back by
every place that names such a row (`bridge run`'s lines, `bridge status`, the tracker, the
results, the summary): the row waits for a run bridge does not run, it is work people do, or
the tracker says it is blocked. Kept apart from bridge/plan/runs.py, which writes the first two:
`bridge status` reads these without loading the plan reader.
"""

from __future__ import annotations

from bridge.lazy_patterns import lazy
from bridge.plan.status_legend import is_held_for_code
from bridge.plan.vocabulary import normalise_status, says_not_run

__all__ = [
    "PERSONS_WORK",
    "PERSONS_WORK_ZH",
    "WAITS",
    "WAITS_ZH",
    "done_by_person",
    "tracker_says_blocked",
    "waits_outside",
]

# How the recorded status of a row a person runs says so (done_by_person reads it): the words
# bridge.plan.runs adds to an owner's or a Notes' reason, and those it gives a Purpose or a
# System that says work people do.
PERSONS_WORK = "work people do, not bridge"
PERSONS_WORK_ZH = "人工完成的工作，bridge 不运行"
_BY_PERSON = lazy(
    r"work people do|names people, not a system bridge runs|是人做的工作|指的是人，不是 bridge"
    r"|人工完成的工作"
)


def done_by_person(status_raw: str) -> bool:
    """
    Whether a recorded status is one ``bridge.plan.runs`` wrote for a row a person runs (020's
    ``白天：人工``, 032's "Human audit"): work still to be done, by people, not the tracker's
    decision not to run it.
    """
    return _BY_PERSON.search(status_raw) is not None


# How the recorded status of a run held by bridge.plan.runs._hold_dependents says so
# (waits_outside reads it).
WAITS = "waits for"
WAITS_ZH = "等待"
_WAITS_OUTSIDE = lazy(
    rf"\({WAITS} \S+, which bridge does not run|（{WAITS_ZH} \S+，bridge 不运行它"
)


def tracker_says_blocked(status_raw: str, reason: str = "") -> bool:
    """
    Whether a row bridge does not launch is one the tracker says is blocked (038's
    ``BLOCKED-BY-HOST``, 027's ``BLOCKED_BY_M1.5``, 002's ``**BLOCKED**``): waiting for
    something, not a decision not to run it (SKIPPED, CANCELLED), so every place that names it
    says "blocked". Read from its Status as written (``status_raw``): 002's R006 Notes, "BLOCKED —
    mechanism gate failed (R001 FAIL)", read as a failure and R006 was called out of scope
    beside R009-R011. Not a row NOT RUN (the researcher's decision, as bridge's advice asks)
    nor one held for its code or for a run bridge does not run (``reason``: named apart).
    """
    said = status_raw or reason
    return normalise_status(said) == "blocked" and not any(
        check(text)
        for text in (status_raw, reason)
        for check in (says_not_run, is_held_for_code, waits_outside)
    )


def waits_outside(status_raw: str) -> bool:
    """
    Whether a run's recorded status is one ``bridge.plan.runs._hold_dependents`` wrote: it
    waits for a run bridge does not run, and runs once that one is done.
    """
    return _WAITS_OUTSIDE.search(status_raw) is not None
