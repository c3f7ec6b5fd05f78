"""
What bridge's recorded status of a tracker row it does not launch says about why, read back by
every place that names such a row (`bridge run`'s lines, `bridge status`, the tracker, the
results, the summary): the row waits for a run bridge does not run, it is work people do, or
the tracker says it is blocked. Kept apart from bridge/plan/runs.py, which writes the first two:
`bridge status` reads these without loading the plan reader.
"""

from __future__ import annotations

from bridge.lazy_patterns import LazyPattern, lazy
from bridge.plan.status_legend import (
    AWAITS_CODE,
    AWAITS_CODE_ZH,
    RELEASED_BY_TODO,
    RELEASED_BY_TODO_ZH,
    is_held_for_code,
)
from bridge.plan.vocabulary import (
    NEGATIVE_GATE,
    NEGATIVE_GATE_ZH,
    NEGATIVE_RESULT,
    NEGATIVE_RESULT_ZH,
    normalise_status,
    says_not_run,
)

__all__ = [
    "PERSONS_WORK",
    "PERSONS_WORK_ZH",
    "WAITS",
    "WAITS_ZH",
    "done_by_person",
    "status_in_language",
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


# The words bridge.plan.runs (and held_for_code) adds to a row's recorded status when it reads
# the plan, in the plan's language: each as (English, Chinese) patterns whose groups are the
# researcher's words, kept as written. The row's own Status, Notes and names are never touched.
_STATUS_WORDS: tuple[tuple[LazyPattern | None, str, LazyPattern, str], ...] = (
    (
        lazy(rf" \({WAITS} (\S+), which bridge does not run: it runs once \S+ is done\)"),
        r" (waits for \1, which bridge does not run: it runs once \1 is done)",
        lazy(rf"（{WAITS_ZH} (\S+)，bridge 不运行它：它完成后才会运行）"),
        rf"（{WAITS_ZH} \1，bridge 不运行它：它完成后才会运行）",
    ),
    (
        lazy(r" \(legend: ([^()]*)\)"),
        r" (legend: \1)",
        lazy(r"（图例：([^（）]*)）"),
        r"（图例：\1）",
    ),
    (
        lazy(r" \(priority ([^()]*)\)"),
        r" (priority \1)",
        lazy(r"（优先级：([^（）]*)）"),
        r"（优先级：\1）",
    ),
    # A row with no Status of its own: said as the whole status. Only bridge's Chinese is
    # read back (a status "priority …" may be the researcher's own words).
    (None, r"priority \1", lazy(r"^优先级：(.*)$"), r"优先级：\1"),
    (
        lazy(r"its Purpose '([^']*)' is work people do, not a run bridge launches"),
        r"its Purpose '\1' is work people do, not a run bridge launches",
        lazy(r"其 Purpose「([^」]*)」是人做的工作，不是 bridge 启动的运行"),
        r"其 Purpose「\1」是人做的工作，不是 bridge 启动的运行",
    ),
    (
        lazy(r"its System '([^']*)' names people, not a system bridge runs"),
        r"its System '\1' names people, not a system bridge runs",
        lazy(r"其 System「([^」]*)」指的是人，不是 bridge 运行的系统"),
        r"其 System「\1」指的是人，不是 bridge 运行的系统",
    ),
)
# Fixed phrases, each said once in the status: (English, Chinese).
_STATUS_PHRASES: tuple[tuple[str, str], ...] = (
    (RELEASED_BY_TODO, RELEASED_BY_TODO_ZH),
    (f"; {NEGATIVE_RESULT}", f"；{NEGATIVE_RESULT_ZH}"),
    (f" ({NEGATIVE_GATE})", f"（{NEGATIVE_GATE_ZH}）"),
    (f"; {PERSONS_WORK}", f"；{PERSONS_WORK_ZH}"),
    (f" — {AWAITS_CODE}", f" — {AWAITS_CODE_ZH}"),
)


def status_in_language(status: str, language: str) -> str:
    """
    A recorded status (or a ruled-out run's reason) with the words bridge added to it when it
    read the plan in ``language`` (``"zh"`` or ``"en"``; anything else returns it unchanged):
    they are written in the plan's language when the plan is read, and the output may be in
    another (027's ``NOT_SCHEDULED（优先级：DEFERRED）`` under ``-o language=en``). The
    researcher's words (the Status cell, the legend's meaning, the priority said) stay as
    written; a status bridge added nothing to is returned as it is.
    """
    if language not in ("en", "zh"):
        return status
    zh = language == "zh"
    for english, to_english, chinese, to_chinese in _STATUS_WORDS:
        if not zh:
            status = chinese.sub(to_english, status)
        elif english is not None:
            status = english.sub(to_chinese, status)
    for english_words, chinese_words in _STATUS_PHRASES:
        status = (
            status.replace(english_words, chinese_words)
            if zh
            else status.replace(chinese_words, english_words)
        )
    return status
