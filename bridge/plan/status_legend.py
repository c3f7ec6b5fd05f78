"""
A tracker's status legend: what the researcher says each status mark or word means.

Trackers explain their own statuses (FORMAT-NOTES: 026, 032, 033, 005, 023), in a heading
(``## Status Legend: ✅ Done | 🔄 Running | ⏳ Auto-Queued | ❌ Blocked``), in a list under
such a heading (``- ❌ Failed``, ``- IMPL — implementation in progress``, ``- `[✗]` Blocked /
failed``), or in a sentence (023's ``状态含义：`CODE_READY` 表示…；`PENDING_IMPLEMENTATION`
表示该实验依赖尚未写入代码；…``). The same mark means different things in different trackers
(``❌`` is "blocked" in 026 and "failed" in 032), so a row's status is read through its own
document's legend first (:func:`legend_status`), and a status the legend (or the word itself)
says has no code yet is told apart (:func:`awaited_code`): bridge must not launch it as if its
code were there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from bridge.lazy_patterns import lazy
from bridge.plan.text import Document, plain
from bridge.plan.vocabulary import normalise_status
from bridge.value_methods import value_methods

__all__ = [
    "AWAITS_CODE",
    "AWAITS_CODE_ZH",
    "NO_LEGEND",
    "RELEASED_BY_TODO",
    "RELEASED_BY_TODO_ZH",
    "StatusLegend",
    "awaited_code",
    "held_for_code",
    "is_held_for_code",
    "legend_status",
    "marks_by_meaning",
    "meaning_status",
    "queued_outside",
    "read_legend",
    "says_negative_result",
    "untrusted_status",
]

# Why a row is held: in the recorded status, where `bridge plan` and the results find it.
AWAITS_CODE = "its code is not written yet"
AWAITS_CODE_ZH = "追踪表写明其代码尚未写好"


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class StatusLegend:
    """
    The status legend of one document: each key (a mark such as ``❌``, ``[~]``, or a word such
    as ``IMPL``) with its meaning as written, in the order written; empty when the document
    has none.
    """

    entries: tuple[tuple[str, str], ...] = ()

    def meaning_of(self, status_raw: str) -> tuple[str, str] | None:
        """
        The ``(key, meaning)`` whose key the status cell starts with (bold and code marks
        aside; a word key only as a whole word), or None.
        """
        text = _bare(status_raw)
        # Longest key first, so "⏸️" is tried before "⏸".
        for key, meaning in sorted(self.entries, key=lambda entry: -len(entry[0])):
            if not text.startswith(key):
                continue
            rest = text[len(key) :]
            if _is_word(key) and rest[:1].isalnum():
                continue  # "IMPL" does not open "IMPLEMENTED"
            return key, meaning
        return None


NO_LEGEND = StatusLegend()

# A heading or label that introduces a legend: "Status Legend", "Status key", "Legend",
# "状态含义", "状态说明", "状态图例".
# 018's "状态只使用：`planned`、…、`invalid`。`failed` 表示方法/任务失败；…" lists its
# statuses, then says what one means.
_LABEL = lazy(
    r"(?:status(?:es)?\s+(?:legend|key|meanings?)|\blegend\b"
    r"|状态(?:含义|说明|图例|定义|只使用|仅使用|只用|取值))"
    r"\s*[:：]?\s*",
    re.IGNORECASE,
)
_ITEM = lazy(r"^\s*(?:>\s*)*(?:[-*+]|\d{1,2}[.)])\s+")
_QUOTE = lazy(r"^\s*(?:>\s*)+")
# What separates a key from its meaning: a dash, a colon, "=", "means", 表示.
_SEPARATOR = lazy(r"^\s*(?:[—–:=：]|-(?=\s)|means?\b|表示|代表|指)\s*", re.IGNORECASE)
_CODE_KEY = lazy(r"^`([^`\n]{1,40})`")
_BRACKET_KEY = lazy(r"^(\[[^\]\n]{0,3}\])")
# A mark: symbols, emoji with their variation selectors and joiners.
_MARK_KEY = lazy(r"^([^\x00-\x7f\w\s，；：（）、。]{1,6})")
_WORD_KEY = lazy(r"^([A-Z][A-Z0-9]*(?:[_-][A-Z0-9]+)*)\b")
_ENTRY_SPLIT = lazy(r"\s*(?:\||;|；|·|。)\s*")
# A key followed by another: a list of the statuses, not a meaning ("`planned`、`running`、…").
_LISTED = lazy(r"^\s*[、,，]")


def _bare(status_raw: str) -> str:
    return status_raw.replace("**", "").replace("`", "").strip()


def _is_word(key: str) -> bool:
    return key[:1].isalnum()


def _entry(text: str, *, inline: bool) -> tuple[str, str] | None:
    """
    One legend entry, ``(key, meaning)``: a code span, a checkbox, a mark or an upper-case
    word, then its meaning. A word key needs a separator (``IMPL — …``, ``TODO: …``) unless the
    entry stands in a legend line of its own (``inline``), so a sentence is not read as one.
    """
    text = _ITEM.sub("", text).replace("**", "").strip()
    for pattern in (_CODE_KEY, _BRACKET_KEY, _MARK_KEY, _WORD_KEY):
        found = pattern.match(text)
        if found is None:
            continue
        key = found.group(1).strip()
        rest = text[found.end() :]
        if _LISTED.match(rest):
            return None
        separated = _SEPARATOR.match(rest)
        if separated is None and pattern is _WORD_KEY and not (inline and rest[:1].isspace()):
            return None
        meaning = rest[separated.end() :] if separated else rest
        meaning = plain(meaning).strip(" .。；;")
        key = _bare(key)
        if not key or not meaning:
            return None
        return key, meaning
    return None


def _paragraph(doc: Document, start: int) -> tuple[str, int]:
    """
    The text of the paragraph (or block quote) that opens at line ``start``, its lines joined
    (023's legend runs over three quoted lines), and the index one past it.
    """
    parts = []
    index = start
    while index < len(doc.lines) and not doc.in_fence[index]:
        line = doc.lines[index]
        body = _QUOTE.sub("", line).strip()
        if not body or line.lstrip().startswith("#") or (index > start and _ITEM.match(line)):
            break
        parts.append(body)
        index += 1
    return " ".join(parts), index


def _heading_entries(doc: Document) -> Iterator[tuple[str, str]]:
    for heading in doc.headings:
        found = _LABEL.search(heading.text)
        if found is None:
            continue
        inline = heading.text[found.end() :].strip()
        if inline:
            # "## Status Legend: ✅ Done | 🔄 Running | ⏳ Auto-Queued | ❌ Blocked"
            for part in _ENTRY_SPLIT.split(inline):
                if (entry := _entry(part, inline=True)) is not None:
                    yield entry
            continue
        for index in range(heading.index + 1, heading.end):
            if doc.in_fence[index]:
                continue
            line = doc.lines[index]
            if line.lstrip().startswith("|"):
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                entry = (
                    _entry(f"{cells[0]} — {cells[1]}", inline=True)
                    if len(cells) >= 2 and not set(cells[0]) <= set("-: ")
                    else None
                )
                if entry is not None:
                    yield entry
                continue
            if _ITEM.match(line) and (entry := _entry(line, inline=True)) is not None:
                yield entry


def _sentence_entries(doc: Document) -> Iterator[tuple[str, str]]:
    """
    Legends written as a labelled line outside any legend heading: ``> 状态含义：`TODO` 表示…；
    `DONE` 表示…`` or ``Status legend: ⬜ pending · ✅ done``.
    """
    index = 0
    while index < len(doc.lines):
        if doc.in_fence[index]:
            index += 1
            continue
        body = _ITEM.sub("", _QUOTE.sub("", doc.lines[index])).replace("**", "").lstrip()
        found = _LABEL.match(body)
        if found is None or doc.lines[index].lstrip().startswith("#"):
            index += 1
            continue
        text, index = _paragraph(doc, index)
        text = _LABEL.split(_ITEM.sub("", text).replace("**", ""), maxsplit=1)[-1]
        for part in _ENTRY_SPLIT.split(text):
            if (entry := _entry(part, inline=True)) is not None:
                yield entry


def read_legend(doc: Document) -> StatusLegend:
    """
    The document's status legend (every form above; the first meaning given for a key wins),
    or :data:`NO_LEGEND`.
    """
    meanings: dict[str, str] = {}
    for key, meaning in (*_heading_entries(doc), *_sentence_entries(doc)):
        meanings.setdefault(key, meaning)
    if not meanings:
        return NO_LEGEND
    return StatusLegend(entries=tuple(meanings.items()))


# A legend key that names a result that cannot stand, and a meaning that says so.
_UNTRUSTED_KEY = lazy(r"^(?:invalid|untrusted|not[ _-]?trusted|无效|不可信)$", re.IGNORECASE)
_UNTRUSTED_MEANING = lazy(
    r"\binvalid\b|\buntrusted\b|\bnot\s+trusted\b|cannot\s+be\s+(?:trusted|reproduced)"
    r"|无效|不可信|无法复算|无法复现|不可复现",
    re.IGNORECASE,
)
_CODE_SPAN = lazy(r"`([^`\n]{1,40})`")


def untrusted_status(doc: Document) -> str:
    """
    The status the document's legend gives a run whose result cannot stand (its numbers
    cannot be trusted or reproduced), as written, or ``""`` when it gives none: a legend key
    that is such a word (``invalid``, ``无效``) or whose meaning says so, or such a word in code
    marks in a labelled legend line that lists the statuses (018's "状态只使用：`planned`、…、
    `invalid`。…无法复算行为概率、mask 或版本的结果必须标 `invalid`").
    """
    for key, meaning in read_legend(doc).entries:
        if _UNTRUSTED_KEY.match(key) or _UNTRUSTED_MEANING.search(meaning):
            return key
    for index, line in enumerate(doc.lines):
        body = _ITEM.sub("", _QUOTE.sub("", line)).replace("**", "").lstrip()
        if doc.in_fence[index] or line.lstrip().startswith("#") or not _LABEL.match(body):
            continue
        for span in _CODE_SPAN.finditer(_paragraph(doc, index)[0]):
            if _UNTRUSTED_KEY.match(word := span.group(1).strip()):
                return word
    return ""


# A meaning that says "not", so a word in it does not count: 023's CODE_READY "…但尚未在真实冻结
# 数据上完成" is not done.
_NOT_YET = lazy(r"尚未|未|没有|不能|\bnot\b|\bno\b|\byet\b", re.IGNORECASE)


def legend_status(status_raw: str, legend: StatusLegend) -> str:
    """
    The normalised status of a cell read through its document's legend: a mark's meaning
    (``❌`` → "Failed" in 032, "Blocked" in 026) or an unknown word's (005's ``IMPL``) when the
    cell says nothing more of its own (``❌ failed at step 3`` says failed itself); otherwise the
    cell as :func:`~bridge.plan.vocabulary.normalise_status` reads it. A meaning that reads as
    no status, or as done in a negated sentence, changes nothing. A meaning that calls a key a
    negative result of a completed run (:func:`says_negative_result`) reads the bare key as
    done, never a cell with words of its own after it (``failed: OOM at step 3``).
    """
    own = normalise_status(status_raw)
    found = legend.meaning_of(status_raw)
    if found is None:
        return own
    key, meaning = found
    bare_key = not _bare(status_raw)[len(key) :].strip(_TRAILING)
    if bare_key and own in ("failed", "unknown") and says_negative_result(meaning):
        # 018's `failed` 表示方法/任务失败: the run completed and the method did not work there;
        # its `invalid` is the run whose result cannot stand. Read as failed, its four
        # calibration rows were counted as runs that failed before bridge. Only the bare key:
        # words after it are the row's own ("failed: OOM at step 3" is a crash, not a result).
        return "done"
    if _is_word(key) and own != "unknown":
        return own
    if (rest := normalise_status(_bare(status_raw)[len(key) :])) in _SETTLED_WORDS:
        # "⏸️ Blocked", "❌ failed at step 3": the words settle it, whatever the mark alone
        # says. Words that only say it has not run ("❌ not run", "❌ pending fix") do not
        # outweigh a mark the legend says is blocked.
        return rest
    said = meaning_status(meaning)
    return own if said == "unknown" else said


_SETTLED_WORDS = frozenset({"done", "failed", "blocked", "skipped"})
# What may close a bare key in a cell ("failed.", "failed；"): no words of the row's own.
_TRAILING = " \t.;:,。；：，"


# A legend meaning that says a status word is a negative result of a run that completed, not a
# run that failed: 018's "`failed` 表示方法/任务失败" (the method failed, as its calibration rows
# record: every cell audited, the preregistered gate not passed).
_NEGATIVE_MEANING = lazy(
    r"negative\s+result|hypothesis\s+(?:was\s+)?(?:rejected|refuted|falsified|not\s+supported)"
    r"|method\s+(?:failed|did\s+not\s+work|does\s+not\s+work)|负结果|阴性结果"
    r"|方法(?:/[^\s/，；。]{1,4})?(?:失败|无效|不成立)|假设(?:不成立|被否定|被拒绝)",
    re.IGNORECASE,
)


def says_negative_result(meaning: str) -> bool:
    """
    Whether a legend's meaning says its status is a negative result of a run that completed
    (018's ``failed`` "方法/任务失败", "negative result", "hypothesis rejected"), not a run that
    failed: such a row is done, and its result stands.
    """
    return _NEGATIVE_MEANING.search(meaning) is not None


# A queue that is not bridge's: 026's "⏳ Auto-Queued" rows wait in the researcher's own queue
# scripts ("Auto-queue monitor: ✅ Running"), which will run them.
_OWN_QUEUE = lazy(r"\bauto[- ]?queu|自动排队|自动队列", re.IGNORECASE)


def meaning_status(meaning: str) -> str:
    """
    The normalised status a legend's meaning says ("Complete" → done, "Blocked / failed" →
    failed), or ``unknown``: also for a done said in the negative (023's "…但尚未…完成"). A
    row auto-queued outside bridge (026's "Auto-Queued") is running there: bridge launching it
    too would run it twice.
    """
    if _OWN_QUEUE.search(meaning):
        return "running"
    if says_negative_result(meaning):
        return "done"
    said = normalise_status(meaning)
    return "unknown" if said == "done" and _NOT_YET.search(meaning) else said


def marks_by_meaning(legend: StatusLegend) -> dict[str, str]:
    """
    The legend's marks (not its words) by the normalised status their meaning says, the first
    given for each: the words a tracker with a legend uses for what bridge writes (032: done →
    ``✅``, failed → ``❌``).
    """
    marks: dict[str, str] = {}
    for key, meaning in legend.entries:
        # A queue outside bridge (026's ⏳ Auto-Queued) reads as running, but is no word for
        # bridge's own running rows.
        # Nor is a negative result (done by its meaning) bridge's word for a run it completed.
        if (
            not _is_word(key)
            and not _OWN_QUEUE.search(meaning)
            and not says_negative_result(meaning)
        ):
            marks.setdefault(meaning_status(meaning), key)
    marks.pop("unknown", None)
    return marks


# A status word that says the run's code is not written yet.
_AWAITS_WORD = lazy(
    r"^(?:(?:PENDING|AWAITING|NEEDS?|REQUIRES?|WAITING)[ _-]?(?:FOR[ _-])?(?:IMPLEMENTATION|IMPL"
    r"|CODE|CODING)|NOT[ _-]?(?:YET[ _-]?)?IMPLEMENTED|UNIMPLEMENTED|TO[ _-]?IMPLEMENT|IMPLEMENTING"
    r"|IMPL|NO[ _-]?CODE)(?=$|\s*[(\[—–:;,/]|\s+-)"
    r"|^(?:待实现|未实现|尚未实现|实现中|待开发|代码未完成)",
    re.IGNORECASE,
)
# A legend meaning that says the same: 023's "该实验依赖尚未写入代码", 005's "implementation in
# progress".
_AWAITS_MEANING = lazy(
    r"implementation\s+(?:is\s+)?(?:in\s+progress|pending|not\s+(?:yet\s+)?(?:written|done|"
    r"started|finished))|not\s+(?:yet\s+)?implemented|code\s+(?:is\s+)?not\s+(?:yet\s+)?"
    r"(?:written|ready|there)|(?:needs?|awaiting|waiting\s+for)\s+(?:its\s+)?"
    r"(?:code|implementation)|尚未写入代码|代码尚未|尚未实现|未实现|待实现|实现中|正在实现",
    re.IGNORECASE,
)


_LEADING_MARKS = lazy(r"^[^\w\u4e00-\u9fff]+")
# What a cell says after its status word that means the same ("needs code review" does not).
_AWAITS_IN_CELL = lazy(
    r"\bnot\s+(?:yet\s+)?implemented\b|\bimplementation\s+(?:is\s+)?(?:pending|in\s+progress)"
    r"|\bcode\s+(?:is\s+)?not\s+(?:yet\s+)?written\b|尚未实现|未实现|待实现|代码尚未",
    re.IGNORECASE,
)


def awaited_code(status_raw: str, legend: StatusLegend) -> str:
    """
    Why a row's code is not written yet, or ``""``: its status word says so
    (``PENDING_IMPLEMENTATION``, ``NOT_IMPLEMENTED``, 待实现), or the legend's meaning for it does
    (023: ``PENDING_IMPLEMENTATION`` 表示该实验依赖尚未写入代码; 005: ``IMPL — implementation in
    progress``). The reason quotes the legend when there is one; the status itself is shown
    beside it by the caller.
    """
    text = _bare(status_raw)
    found = legend.meaning_of(status_raw)
    if found is not None and _AWAITS_MEANING.search(found[1]):
        return f"{AWAITS_CODE} (legend: {found[1]})"
    # A mark before the word ("⏳ PENDING_IMPLEMENTATION", "🚧 NOT IMPLEMENTED"), or a word
    # after another ("TODO — not implemented yet").
    if _AWAITS_WORD.match(_LEADING_MARKS.sub("", text)) or _AWAITS_IN_CELL.search(text):
        return AWAITS_CODE
    return ""


def held_for_code(status_raw: str, why: str, language: str = "en") -> str:
    """
    The recorded status of a row held because its code is not written yet: the cell as
    written, ``why`` (what :func:`awaited_code` said), and what releases it, in the plan's
    ``language``.
    """
    if language == "zh":
        why = why.replace(AWAITS_CODE, AWAITS_CODE_ZH, 1)
        why = re.sub(r" \(legend: (.*)\)$", r"（图例：\1）", why)
        return f"{status_raw} — {why}{RELEASED_BY_TODO_ZH}"
    return f"{status_raw} — {why}{RELEASED_BY_TODO}"


#: What releases a row held for its code, as :func:`held_for_code` says it.
RELEASED_BY_TODO = (
    ': not launched until its Status says it can run (TODO), or with [implementer] kind = "agent" '
    "to write it"
)
RELEASED_BY_TODO_ZH = (
    '：写好后把该行的状态改为 TODO 即会启动，或设置 [implementer] kind = "agent" 由它编写'
)


def is_held_for_code(status_raw: str) -> bool:
    """
    Whether a recorded status is one :func:`held_for_code` wrote.
    """
    return AWAITS_CODE in status_raw or AWAITS_CODE_ZH in status_raw


def queued_outside(status_raw: str) -> bool:
    """
    Whether a recorded status says the row waits in a queue that is not bridge's (its legend's
    meaning, as 026's "⏳ (legend: Auto-Queued)"): held as a run going on outside bridge.
    """
    return bool(_OWN_QUEUE.search(status_raw))
