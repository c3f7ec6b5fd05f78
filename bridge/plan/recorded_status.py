"""
What bridge's recorded status of a tracker row it does not launch says about why, read back by
every place that names such a row (`bridge run`'s lines, `bridge status`, the tracker, the
results, the summary): the row waits for a run bridge does not run, it is work people do, or
the tracker says it is blocked. Kept apart from bridge/plan/runs.py, which writes the first two:
`bridge status` reads these without loading the plan reader.
"""

from __future__ import annotations

from collections.abc import Callable

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
    normalise_priority,
    normalise_status,
    says_not_run,
)

__all__ = [
    "PERSONS_WORK",
    "PERSONS_WORK_ZH",
    "WAITS",
    "WAITS_ZH",
    "done_by_person",
    "researchers_status",
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
    r"|人工完成的工作|names the paper, not a system bridge runs|指的是论文，不是 bridge"
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
# The note of a row waiting for a run bridge does not run (_hold_dependents), in each language.
_WAITS_NOTE = lazy(rf" \({WAITS} (\S+), which bridge does not run: it runs once \S+ is done\)")
_WAITS_NOTE_ZH = lazy(rf"（{WAITS_ZH} (\S+)，bridge 不运行它：它完成后才会运行）")
_STATUS_WORDS: tuple[tuple[LazyPattern | None, str, LazyPattern, str], ...] = (
    (
        _WAITS_NOTE,
        r" (waits for \1, which bridge does not run: it runs once \1 is done)",
        _WAITS_NOTE_ZH,
        rf"（{WAITS_ZH} \1，bridge 不运行它：它完成后才会运行）",
    ),
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
    (
        lazy(r"its System '([^']*)' names the paper, not a system bridge runs"),
        r"its System '\1' names the paper, not a system bridge runs",
        lazy(r"其 System「([^」]*)」指的是论文，不是 bridge 运行的系统"),
        r"其 System「\1」指的是论文，不是 bridge 运行的系统",
    ),
)


def _cut(said: str) -> bool:
    """Whether a priority note's words read as the cut or deferred priority bridge notes."""
    return normalise_priority(said) == "cut"


# The notes bridge adds in brackets around the researcher's words (the legend's meaning, the
# priority as written), which may hold brackets of their own («方法失败（任务级）»): each as
# (English opening, Chinese opening, whether the words inside are bridge's note), closed by the
# bracket that matches the opening one. A priority note is bridge's only where the priority it
# quotes is one bridge notes (cut, deferred): a researcher's own "（优先级：高）" in a Status is
# their words, never rewritten.
_BRACKETED: tuple[tuple[str, str, Callable[[str], bool] | None], ...] = (
    (" (legend: ", "（图例：", None),
    (" (priority ", "（优先级：", _cut),
)
# A row with no Status of its own: bridge's priority note is the whole status (runs.py).
_WHOLE_PRIORITY = ("priority ", "优先级：")


def _closing(text: str, start: int, opening: str, closing: str) -> int | None:
    """The index of the ``closing`` bracket that matches the ``opening`` one just before
    ``start`` in ``text``, or ``None`` when it is never closed."""
    depth = 1
    for index in range(start, len(text)):
        if text[index] == opening:
            depth += 1
        elif text[index] == closing:
            depth -= 1
            if depth == 0:
                return index
    return None


def _notes(status: str, chinese: bool) -> list[tuple[int, int, int, str]]:
    """
    Bridge's bracketed notes (:data:`_BRACKETED`) in ``status`` as written in Chinese (or
    English), in order: ``(start, inside, end, English opening)``, the note being
    ``status[start:end]`` and the researcher's words it quotes ``status[inside : end - 1]``.
    """
    opening, closing = ("（", "）") if chinese else ("(", ")")
    found: list[tuple[int, int, int, str]] = []
    for english, zh, ours in _BRACKETED:
        said = zh if chinese else english
        at = status.find(said)
        while at >= 0:
            inside = at + len(said)
            end = _closing(status, inside, opening, closing)
            if end is None:
                break
            if ours is None or ours(status[inside:end]):
                found.append((at, inside, end + 1, english))
            at = status.find(said, end + 1)
    return sorted(found)


def _bracketed_in(status: str, to_chinese: bool) -> str:
    """``status`` with the bracketed notes of :data:`_BRACKETED` said in Chinese (or English),
    the words inside kept as written, however many brackets they hold."""
    chinese = {english: zh for english, zh, _ in _BRACKETED}
    out: list[str] = []
    done = 0
    for start, inside, end, english in _notes(status, chinese=not to_chinese):
        if start < done:
            continue  # inside a note already said (a legend quoting a priority)
        said = status[inside : end - 1]
        note = f"{chinese[english]}{said}）" if to_chinese else f"{english}{said})"
        out.extend([status[done:start], note])
        done = end
    status = "".join(out) + status[done:]
    english, zh = _WHOLE_PRIORITY
    # The English whole-status note is never read back: "priority …" may be the researcher's.
    if not to_chinese and status.startswith(zh) and _cut(status[len(zh) :]):
        status = english + status[len(zh) :]
    return status


def researchers_status(status: str) -> str:
    """
    A recorded status without the notes bridge added to it when it read the plan, in either
    language (the legend's meaning, the priority, the negative gate, the runs it waits for, its
    code not written yet): the Status cell as the researcher wrote it, for a message that
    quotes it (018's "failed（图例：方法/任务失败；…）" quoted whole in an English error). A
    status that is only bridge's note (a row with no Status of its own) gives ``""``.
    """
    for chinese in (True, False):
        kept: list[str] = []
        done = 0
        for start, _, end, _ in _notes(status, chinese):
            if start >= done:
                kept.append(status[done:start])
                done = end
        status = "".join(kept) + status[done:]
    status = _WAITS_NOTE_ZH.sub("", _WAITS_NOTE.sub("", status))
    for held in (f" — {AWAITS_CODE}", f" — {AWAITS_CODE_ZH}"):
        status = status.split(held, 1)[0]
    for gate in (f" ({NEGATIVE_GATE})", f"（{NEGATIVE_GATE_ZH}）"):
        status = status.replace(gate, "")
    english, zh = _WHOLE_PRIORITY
    for said in (english, zh):
        if status.startswith(said) and _cut(status[len(said) :]):
            return ""
    return status.strip()


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
    written, brackets of their own included; a status bridge added nothing to is returned as
    it is, and so is a priority in brackets that is not one bridge notes (the researcher's own
    "（优先级：高）").
    """
    if language not in ("en", "zh"):
        return status
    zh = language == "zh"
    status = _bracketed_in(status, zh)
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
