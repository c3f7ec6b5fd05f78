"""
The words plans use, mapped to what they mean: section kinds, field labels, priorities, statuses.

Matching is on meaning, not exact strings (corpus FORMAT-NOTES §3, §5, §6, §11): headings lose
their numbering and case before lookup, labels lose bold and parentheticals, and priorities and
statuses go through a lookup of leading tokens with the raw text always kept by the caller.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Literal

from bridge.compile_cache import pattern as compile_pattern
from bridge.lazy_patterns import lazy
from bridge.plan.priority import Priority

__all__ = [
    "ABLATION_WORD",
    "DONE_STATUSES",
    "FAILED_STATUSES",
    "FIELD_KEYS",
    "NEGATIVE_GATE",
    "NEGATIVE_GATE_ZH",
    "NEGATIVE_RESULT",
    "NEGATIVE_RESULT_ZH",
    "OUT_OF_SCOPE_STATUSES",
    "VERSUS",
    "ZH_WHEN",
    "ended_failed",
    "ended_negative",
    "field_key",
    "misspelt_status",
    "negative_gates",
    "normalise_heading",
    "normalise_priority",
    "normalise_status",
    "recorded_stopped",
    "says_failure",
    "says_not_run",
    "section_kind",
    "status_parts",
    "stopped_status",
    "stopped_warning",
]

#: The word that says a line, a table's first column or a block's title is about ablations
#: (033's E6 table headed "Ablation", the quickstart's "Block 3: Ablation — …").
ABLATION_WORD = lazy(r"\bablations?\b|消融", re.IGNORECASE)

#: A Chinese «当 X 时» ("when X"), the words between 当 and 时 included: a conditional, as "if" and
#: "when" are. Not 当 as the start or end of another word (当前 "current", 当然 "of course", 当作
#: "treat as", 相当 "quite", 适当 "suitable", 应当 "should"), nor 当时 ("at that time"); but
#: «当下降 …时», «当中位数 …时», «当时延 …时» are "when the drop / median / latency …". A pattern's
#: text, so that the readers of conditionals (criteria, direction words, gates) may put it in
#: their own.
ZH_WHEN = (
    r"(?<![相适应正恰妥充担理])当"
    r"(?![前然初地作做成选即场年天日今代心面事局量值期家]|下(?!降)|中(?!位)|时(?![延间长]))"
    r"[^，。；,;：:！？!?\n]{1,40}?时"
)

#: The word between the systems a line compares: "black-box vs delay-aware vs projected"
#: (021's M3 Runs cell), "Raw logit-lens vs tuned-lens vs random-affine-lens (baseline)."
VERSUS = lazy(r"\s+(?:vs\.?|versus|对比|对)\s+", re.IGNORECASE)

# Tracker statuses (as normalise_status gives them) that mean bridge must not launch the run:
# done before bridge (a negative or failed result, ``invalid``, ``已完成-失败``, is a result
# too: the run happened), or out of scope. Everything else (todo, running, unknown) is bridge's.
DONE_STATUSES = frozenset({"done", "failed"})
# Of those, the ones whose result was a failure: completed, not succeeded; summaries name them.
FAILED_STATUSES = frozenset({"failed"})
OUT_OF_SCOPE_STATUSES = frozenset({"skipped", "blocked"})
# The statuses of a run not finished: a Status with such a part is not done.
_OPEN = ("todo", "running")
# NOT RUN with a reason after it, in any language ("NOT RUN — 服务器上运行中", "NOT RUN: quota"),
# or 不运行 ("will not run"), at the start. A bare NOT RUN (or "NOT RUN yet") is a row not
# started (FORMAT-NOTES' not-started statuses), not a decision.
_NOT_RUN = lazy(r"\W*(?:not[\s_-]+run\b(?![\W_]*yet\b)[\W_]*\w|不运行)", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)  # pure; `bridge plan` asks it of every row per block
def says_not_run(status: str) -> bool:
    """
    Whether a tracker Status opens with NOT RUN and a reason (or 不运行): the researcher's
    decision not to run the row here ("NOT RUN — needs API placement outputs", 009's R005, as
    bridge's own advice "NOT RUN — <reason>" asks), ruled out for good even where its reason
    reads as a wait, whatever the reason's language (026's "NOT RUN — 服务器上运行中"). A bare
    NOT RUN (``Not run``, ``⬜ Not run``, ``not-run``) says no such thing: a row not started.
    """
    return _NOT_RUN.match(status.replace("*", "").replace("`", "")) is not None


# The larger patterns are compiled on first use: `bridge status` imports this module for the
# tracker's status words and never reads a heading, label or priority (about 2 ms saved).


@functools.cache
def _numbering() -> re.Pattern[str]:
    return compile_pattern(
        r"^(?:part\s+\d+\s*[:.：]\s*|\d+(?:\.\d+)*[.)]?\s+|[一二三四五六七八九十]+\s*[、.．]\s*|[ivx]+\.\s+)",
        re.IGNORECASE,
    )


@functools.cache
def _emoji_and_marks() -> re.Pattern[str]:
    return compile_pattern(r"[*`_~\u2600-\u27bf\U0001f300-\U0001faff\u2b1c\u2b50\u2705\u274c]")


_SPACES = lazy(r"\s+")


def normalise_heading(text: str) -> str:
    """
    Reduce a heading to a comparable key: no numbering, marks, emoji or case.

    Args:
        text: the heading text as written.

    Returns:
        The lower-cased heading without leading ``1.``/``4.2``/``一、``/``Part 3:`` numbering.
    """
    cleaned = _emoji_and_marks().sub("", text).strip()
    cleaned = _numbering().sub("", cleaned, count=1)
    return _SPACES.sub(" ", cleaned).strip().casefold()


# Ordered: the first kind whose words appear in the heading wins. Budget is tested before run
# order so "Compute Budget Timeline" stays a budget; risks before everything with "gate" in it.
_SECTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("checklist", ("checklist", "检查清单")),
    ("risks", ("risk", "风险")),
    ("budget", ("budget", "预算", "gpu 分配", "gpu分配", "resource")),
    ("claims", ("claim", "声明映射", "claims to validate")),
    ("storyline", ("storyline", "故事线", "实验叙事")),
    ("blocks", ("experiment blocks", "experimental blocks", "experiment block", "实验块")),
    (
        "run_order",
        (
            "run order",
            "milestone",
            "execution schedule",
            "execution roadmap",
            "roadmap",
            "timeline",
            "运行顺序",
            "里程碑",
            "执行顺序",
            "schedule",
        ),
    ),
    (
        "gates",
        ("decision gate", "stop/go", "stop rule", "go/stop", "kill criteria", "exit criteria"),
    ),
    ("problem", ("problem", "goal", "项目目标", "问题")),
    ("thesis", ("thesis", "方法论点", "方法主张")),
    ("method", ("method", "方法")),
)


def section_kind(heading: str) -> str | None:
    """
    Classify a heading as one of the plan's known sections.

    Args:
        heading: the heading text as written.

    Returns:
        ``claims``, ``storyline``, ``blocks``, ``run_order``, ``budget``, ``risks``,
        ``checklist``, ``gates``, ``problem``, ``thesis``, ``method`` or None.
    """
    key = normalise_heading(heading)
    for kind, words in _SECTION_WORDS:
        if kind == "budget" and _STUDIED_BUDGET.search(key) and not _COMPUTE.search(key):
            continue  # 026's "Phase 1: 预算扫描（Budget Sweep）": a budget the method varies
        if any(word in key for word in words):
            return kind
    return None


# A budget the experiments study (a sweep of token budgets, a budget controller), not the
# compute the plan may spend.
_STUDIED_BUDGET = lazy(
    r"sweep|扫描|forcing|controller|控制器|token budget|thinking budget|reasoning budget"
    r"|推理预算|思考预算|budget[- ]aware"
)
# Words that make it the compute budget after all ("GPU and Token Budget", "推理算力预算").
_COMPUTE = lazy(r"gpu|compute|算力|计算|资源|resource|hour|小时")


# Field label synonyms (FORMAT-NOTES §5), keyed by normalised label (case-folded, no marks).
FIELD_KEYS: dict[str, str] = {}
for _key, _labels in {
    "claim": (
        "claim tested",
        "claims tested",
        "validates",
        "question",
        "goal",
        "测试声明",
        "测试 claim",
        "验证 claim",
        "claim",
        "claims",
    ),
    "why": (
        "why this block exists",
        "why this block existed",
        "why",
        "rationale",
        "为什么存在此块",
        "为什么存在",
        "motivation",
    ),
    "dataset": (
        "dataset / split / task",
        "dataset/split/task",
        "dataset / split",
        "dataset",
        "data",
        "split",
        "数据集/分割/任务",
        "数据集 / 分割 / 任务",
        "数据/任务",
        "任务",
        "数据集",
        "task",
        "dataset / task",
    ),
    "systems": (
        "compared systems",
        "systems",
        "baselines",
        "variants",
        "policies",
        "对比系统",
        "系统",
        "compared methods",
        "methods",
    ),
    "metrics": (
        "metrics",
        "metric",
        "metrics to derive",
        "指标",
        "evaluation metrics",
        "primary metrics",
    ),
    "setup": ("setup details", "setup", "method", "design", "设置细节", "设置", "setup detail"),
    "success": (
        "success criterion",
        "success criteria",
        "success",
        "acceptance",
        "acceptance criterion",
        "acceptance criteria",
        "pass",
        "pass criterion",
        "pass criteria",
        "go gate",
        "success gate",
        "exit criterion",
        "成功标准",
        "成功条件",
    ),
    "failure": ("failure interpretation", "stop", "失败解释", "failure", "if it fails"),
    "table": (
        "table / figure target",
        "table / figure",
        "table/figure target",
        "table target",
        "figure target",
        "表格/图形目标",
        "论文位置",
        "table / figure targets",
    ),
    "priority": ("priority", "优先级"),
    "seeds": ("seeds", "seed", "随机种子"),
    "cost": ("gpu estimate", "budget", "cost", "compute", "time estimate", "compute note"),
}.items():
    for _label in _labels:
        FIELD_KEYS[_label] = _key


@functools.cache
def _label_paren() -> re.Pattern[str]:
    return compile_pattern(r"\s*[(（][^)）]*[)）]\s*")


def field_key(label: str) -> str | None:
    """
    Map a block field label to its template field.

    Args:
        label: the label as written, without the colon (bold and parentheticals allowed).

    Returns:
        ``claim``, ``why``, ``dataset``, ``systems``, ``metrics``, ``setup``, ``success``,
        ``failure``, ``table``, ``priority``, ``seeds``, ``cost`` or None for an unknown label.
    """
    key = _SPACES.sub(" ", _label_paren().sub(" ", label.replace("*", "").replace("`", ""))).strip()
    key = key.casefold().rstrip(":：").strip()
    if key in FIELD_KEYS:
        return FIELD_KEYS[key]
    if key.startswith("if ") and "fail" in key:
        return "failure"
    return None


@functools.cache
def _lead_token() -> re.Pattern[str]:
    return compile_pattern(r"[A-Za-z]+[0-9]?|[\u4e00-\u9fff]+")


_MUST = {"must", "mustrun", "critical", "high", "p0", "required", "essential", "必须", "必须运行"}
_NICE = {
    "nice",
    "nicetohave",
    "should",
    "shouldrun",
    "optional",
    "appendix",
    "conditional",
    "p1",
    "p2",
    "p3",
    "low",
    "medium",
    "可选",
    "附录",
    "stretch",
}


# A priority that puts the run off ("DEFERRED", 027's R-S-MULTI): not this round's work, like CUT.
_DEFERRED = frozenset({"deferred", "defer", "postponed", "later", "future"})


def normalise_priority(raw: str) -> Priority | Literal["cut"] | None:
    """
    Normalise a priority as PARSE-RULES says: ``must``, ``nice``, ``cut`` or None.

    The leading token decides (``CONDITIONAL MUST-RUN`` is nice); when it is not a priority word
    the first priority word anywhere decides (``写作周 MUST-RUN`` is must).

    Args:
        raw: the priority text as written.

    Returns:
        The normalised priority, or None when no priority word is present.
    """
    text = raw.replace("*", "").replace("`", "").replace("-", "").replace("_", "").strip()
    tokens = [t.casefold() for t in _lead_token().findall(text)]
    if not tokens:
        return None
    first = tokens[0]
    for word in (first, tokens[0] + tokens[1] if len(tokens) > 1 else first):
        if word.startswith("必须") or word in _MUST:
            return Priority.MUST
        if word == "cut" or word in _DEFERRED:
            return "cut"
        if word in _NICE or word.startswith("可选"):
            return Priority.NICE
    folded = text.casefold()
    for token in tokens:
        if token in _MUST or token.startswith("必须"):
            return Priority.MUST
        if token in {"nice", "nicetohave", "optional", "appendix"} or token.startswith("可选"):
            return Priority.NICE
        if token == "cut":  # noqa: S105 - a priority word, not a secret
            return "cut"
    if "mustrun" in folded:
        return Priority.MUST
    return None


_STATUS_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "todo",
        (
            "TODO",
            "PENDING",
            "PLANNED",
            "PLAN",
            "READY",
            "QUEUED",
            "QUEUE",
            "WAITING",
            "SCHEDULED",
            "NEW",
            "OPEN",
            "NOTSTARTED",
            "NOTSCHEDULED",
            "CODEREADY",
            "UNSTARTED",
            "TBD",
        ),
    ),
    ("running", ("RUNNING", "INPROGRESS", "STARTED", "ACTIVE", "TRAINING", "ONGOING", "WIP")),
    (
        "failed",
        (
            "FAILED",
            "FAIL",
            "FAILURE",
            "CRASHED",
            "CRASH",
            "INVALID",
            "ERROR",
            "ERRORED",
            "OOM",
            # The words bridge itself writes for runs that ended without a result (a timeout,
            # a lost process, out-of-memory retries used up): read back, not "unknown".
            "TIMEOUT",
            "TIMEDOUT",
            "LOST",
            "STUCK",
        ),
    ),
    (
        "done",
        (
            "DONE",
            "COMPLETE",
            "COMPLETED",
            "FINISHED",
            "PASS",
            "PASSED",
            "SUCCESS",
            "SUCCEEDED",
            "OK",
            "DEPLOYYES",
            "NEGATIVE",
            "VERIFIED",
            "APPROVED",
            # A go/no-go verdict recorded (027's R-B0-REVIEW "GO", its review approved): the
            # row is done. Read as "ready to go" it was launched again and DONE written over it.
            "GO",
            "NOGO",  # "NO-GO": the same verdict, the other way
            "GATE",
            "UPPERBOUND",
        ),
    ),
    ("blocked", ("BLOCKED", "LOCKED", "BLOCKING", "NOTRUNBECAUSE")),
    (
        "skipped",
        (
            "STOPPED",
            "STOP",
            "CANCELLED",
            "CANCELED",
            "SKIPPED",
            "SKIP",
            "DEFER",
            "DEFERRED",
            "PAUSED",
            "PAUSE",
            "MOOT",
            "ABANDONED",
            "DROPPED",
            "CUT",
            "KILLED",
            # Plain words for "not going to run" (trial N3: launched as unknown).
            "ONHOLD",
            "HOLD",
            "SUPERSEDED",
            "PARKED",
            "OBSOLETE",
            "DEPRECATED",
            "REJECTED",
            "DISCARDED",
            "WONTDO",
            "WONTFIX",
        ),
    ),
)
_STATUS_LOOKUP = {word: status for status, words in _STATUS_WORDS for word in words}
# What a run waits for when its row says "PENDING DATA": something outside bridge.
_WAITED_FOR = frozenset({"DATA", "APPROVAL", "REVIEW", "ACCESS", "HARDWARE", "GPU", "GPUS"})
# After "NOT": the run is not wanted ("NOT NEEDED" read as not started, trial N3).
_NOT_WANTED = frozenset({"NEEDED", "REQUIRED", "APPLICABLE", "PURSUED", "DOING"})
# The words that keep a row from being launched, for near-misses (``DOEN``, ``SKIPED``).
_SETTLING_WORDS = [
    w
    for status, words in _STATUS_WORDS
    if status != "todo" and status != "running"
    for w in words
    if len(w) >= 4
]


def misspelt_status(raw: str) -> str | None:
    """
    The status word bridge knows that an unknown Status cell (:func:`normalise_status` gives
    ``unknown``) misspells, when that word would keep the row from being launched (``DOEN`` →
    ``DONE``, ``SKIPED`` → ``SKIPPED``); else None. Read as it is written, such a row is not
    started and is launched: a finished, paid-for run again (trial N2 on 004).
    """
    # The cell is the one word (``Parse ≥90%`` from a shifted row is no status word at all).
    word = raw.replace("*", "").replace("`", "").strip()
    if len(word) < 3 or not _STATUS_TOKENS.fullmatch(word):
        return None
    close = difflib.get_close_matches(word.upper(), _SETTLING_WORDS, n=1, cutoff=0.75)
    return close[0] if close else None


# A failure word standing alone (not "fail-safe"), and the word before it, if any.
_FAILURE = lazy(
    r"(?:([\w]+)[^\w\n]{1,3})?(?<![\w-])"
    r"(failed|fail|fails|failure|crashed|invalid|errored|diverged|nan)(?![\w-])",
    re.IGNORECASE,
)
# Negated or only supposed: "no failures", "0 failed", "retry if fails".
_NEGATIONS = frozenset(
    {"no", "not", "non", "zero", "without", "never", "0", "if", "unless", "when", "may", "might"}
)

# A status that starts with a gate: its FAIL is the gate's outcome, not the run's.
_GATE = lazy(r"\W*gate\b", re.IGNORECASE)


# What bridge adds to the recorded status of a row whose failure word its tracker's legend says
# is a negative result of a run that completed (018's "`failed` 表示方法/任务失败", beside
# `invalid` for results that cannot be recomputed): read back, the row ended done, not failed.
NEGATIVE_RESULT = "a negative result of a completed run, not a failed run"
NEGATIVE_RESULT_ZH = "已完成运行的负结果，不是运行失败"
# What bridge adds to the recorded status of a row whose Status names the gate that came out
# negative (038's "PASS-PARITY / FAIL-SPEEDUP", :func:`negative_gates`): short, as the results'
# "DONE (…)" cell shows 80 characters of it.
NEGATIVE_GATE = "a negative result, not a failed run"
NEGATIVE_GATE_ZH = "负结果，不是运行失败"


_NEGATIVE_SAID = (NEGATIVE_RESULT, NEGATIVE_RESULT_ZH, NEGATIVE_GATE, NEGATIVE_GATE_ZH)


def ended_negative(status: str) -> bool:
    """
    Whether a recorded status says the run completed with a negative result: its failure word
    is the method's negative result by the tracker's legend (:data:`NEGATIVE_RESULT`, 018's
    JPH-CAL rows "`failed` 表示方法/任务失败"), or it names the gate that came out negative
    (:data:`NEGATIVE_GATE`, 038's "PASS-PARITY / FAIL-SPEEDUP"). Done, but not a success.
    """
    return any(said in status for said in _NEGATIVE_SAID)


@functools.lru_cache(maxsize=1024)  # pure; asked for each row done before bridge at every
# dispatcher wake-up (the scheduler's hold on failed rows made `decide` 3-5x slower on 018)
def ended_failed(status: str) -> bool:
    """
    Whether a tracker Status says the run ended failed or invalid: a failed status, or one that
    says a failure (002's "**GATE FAILED**", which reads as a settled gate otherwise;
    "RUN_FAIL_HARD_STOP"). Not a recorded status that says its failure word is a negative
    result (:data:`NEGATIVE_RESULT`): the run completed and measured that the method failed;
    nor one word saying the run completed, then FAIL (014's "COMPLETE_FAIL_HARD_STOP",
    :func:`negative_gates`).
    """
    if ended_negative(status) or _completed_negative(status):
        # The tracker's legend says its failure word is the method's negative result (018), or
        # its Status names the gate that came out negative (038), or says the run completed
        # and its outcome was FAIL (014's "COMPLETE_FAIL_HARD_STOP").
        return False
    # "RUN_FAIL_HARD_STOP" says FAIL between underscores; "PASS-STATIC / FAILED" says it in one
    # part of several. A part naming the criterion its gate failed (038's
    # "PASS-PARITY / FAIL-SPEEDUP") is a finished run's negative outcome: HIP-02 read as failed
    # and was offered `bridge retry`, which the plan forbids ("A negative result remains the
    # authoritative first run").
    return (
        normalise_status(status) in FAILED_STATUSES
        or says_failure(status.replace("_", " "))
        or any(_part_status(part) in FAILED_STATUSES for part in status_parts(status))
    )


def says_failure(text: str) -> bool:
    """
    Whether a status or note says a failure, not negated or supposed ("no failures", "0
    failed", "retry if fails"): a failed run, an invalid output, or a gate's FAIL outcome.
    """
    return any(
        (match.group(1) or "").lower() not in _NEGATIONS for match in _FAILURE.finditer(text)
    )


_STATUS_TOKENS = lazy(r"[A-Za-z]+")
# A status of several parts, each an upper-case word (038's "PASS-PARITY / FAIL-SPEEDUP",
# "PASS-STATIC / PENDING-RESIDENT"): one outcome per part, "/" between them. Digits around a
# slash ("DONE 5/5") or lower-case words ("DONE (CPU/GPU)") are no parts.
_PART = r"[A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)*"
_PARTS = lazy(rf"\s*({_PART}(?:\s*/\s*{_PART})+)(?![\w/-])")
_SLASH = lazy(r"\s*/\s*")


# A part that names the criterion its gate failed on (038's "FAIL-SPEEDUP",
# "FAIL-COMPETITION-STRENGTH"): the run finished and measured a negative outcome. A bare "FAIL"
# or "FAILED" part says the run failed.
_NEGATIVE_GATE = lazy(r"FAIL-[A-Z0-9]+(?:-[A-Z0-9]+)*")
# A FAIL-<word> part naming how a run broke, not a criterion ("PASS-BUILD / FAIL-OOM"): the run
# failed, to retry, as a bare FAIL part says.
_FAILURE_KIND = lazy(
    r"FAIL-(?:OOM(?:-KILLED)?|CRASH(?:ED)?|ERROR|TIMEOUT|TIMED-OUT|NAN|KILLED|SEGFAULT|EXIT\d*)",
    re.IGNORECASE,
)


def _negative_gate(part: str) -> bool:
    """Whether ``part`` names the criterion a finished run's gate failed on (FAIL-SPEEDUP), not
    how the run broke (FAIL-OOM, FAIL-CRASH, FAIL-NAN …, a failed run)."""
    return bool(_NEGATIVE_GATE.fullmatch(part)) and not _FAILURE_KIND.fullmatch(part)


def status_parts(raw: str) -> tuple[str, ...]:
    """
    The parts of a tracker Status that gives one outcome per part, as written
    (``("PASS-PARITY", "FAIL-SPEEDUP")``); ``()`` for a Status of one part. The worst part is
    what the row says: a FAIL or FAILED part is a failed run (:func:`ended_failed`), a PENDING
    or RUNNING part a run not finished (:func:`normalise_status`); a FAIL-<criterion> part is a
    finished run's negative outcome (:func:`negative_gates`), done.
    """
    found = _PARTS.match(raw.replace("*", "").replace("`", ""))
    return tuple(_SLASH.split(found.group(1))) if found else ()


# A Status of one upper-case word that says the run completed, then its outcome FAIL (014's
# "COMPLETE_FAIL_HARD_STOP", beside R001's "COMPLETE_PASS"): a finished run's negative result.
_COMPLETED_FAIL = lazy(r"COMPLETED?[_-]FAIL(?:ED)?((?:[_-][A-Z0-9]+)*)")
# A word after it that says how the run broke ("COMPLETE_FAIL_OOM"): a failed run after all.
_BROKE_WORDS = frozenset(
    {"OOM", "CRASH", "CRASHED", "ERROR", "TIMEOUT", "NAN", "KILLED", "SEGFAULT", "EXIT"}
)


def _completed_negative(raw: str) -> str:
    """
    The Status as written when it is one upper-case word saying the run completed and its
    outcome was FAIL (014's ``COMPLETE_FAIL_HARD_STOP``: a complete geometry search whose gate
    came out negative, as the plan's Execution verdict says), and no word after says how the
    run broke (``COMPLETE_FAIL_OOM``); ``""`` otherwise. "Done - failed", words and
    punctuation, still reads as a failed run.
    """
    word = raw.replace("*", "").replace("`", "").strip()
    found = _COMPLETED_FAIL.fullmatch(word)
    if found is None:
        return ""
    after = {w.rstrip("0123456789") for w in found.group(1).replace("-", "_").split("_")}
    return "" if after & _BROKE_WORDS else word


def negative_gates(raw: str) -> tuple[str, ...]:
    """
    The parts of a tracker Status of several parts that record a gate's negative outcome by
    the criterion it names (038's ``("FAIL-SPEEDUP",)`` of "PASS-PARITY / FAIL-SPEEDUP"), when
    no part says the run failed or is not finished, or a Status of one word that says the run
    completed with the outcome FAIL (014's ``("COMPLETE_FAIL_HARD_STOP",)``): the run is done
    and its result stands (not retried, not counted as failed); ``()`` otherwise.
    """
    if completed := _completed_negative(raw):
        return (completed,)
    parts = status_parts(raw)
    gates = tuple(part for part in parts if _negative_gate(part))
    if not gates or any(_part_status(part) in ("failed", *_OPEN) for part in parts):
        return ()
    return gates


def _part_status(part: str) -> str:
    """One part's status: a FAIL-<criterion> part is a finished run's negative outcome, done."""
    return "done" if _negative_gate(part) else normalise_status(part)


# What negates the Chinese word after it (:func:`_negated`): 未完成, 尚未完成, 没(有)完成,
# 不通过, 无法完成.
# The finished words a negation turns into "not finished" (a gate 未通过 stays a finished run's
# outcome, as a gate FAIL does: PARSE-RULES).
_FINISHED_WORDS = frozenset({"已完成", "完成"})
_CHINESE_NEGATIONS = ("尚未", "没有", "无法", "未", "没", "不", "无")


def _negated(text: str, word: str) -> bool:
    """Whether every ``word`` in ``text`` comes right after a Chinese negation."""
    start = text.find(word)
    while start != -1:
        if not text[:start].endswith(_CHINESE_NEGATIONS):
            return False
        start = text.find(word, start + 1)
    return True


_CHINESE_STATUS: tuple[tuple[str, str], ...] = (
    ("已完成-失败", "failed"),
    ("失败", "failed"),
    ("已完成", "done"),
    ("完成", "done"),
    ("通过", "done"),
    ("待运行", "todo"),
    ("未开始", "todo"),
    ("计划", "todo"),
    ("训练中", "running"),
    ("运行中", "running"),
    ("进行中", "running"),
    ("阻塞", "blocked"),
    ("受阻", "blocked"),
    ("暂缓", "skipped"),
    ("暂停", "skipped"),
    ("取消", "skipped"),
    ("跳过", "skipped"),
)


def normalise_status(raw: str) -> str:
    """
    Normalise a tracker status to the PARSE-RULES enum.

    Args:
        raw: the status cell as written (bold, emoji, counts and commentary allowed).

    Returns:
        One of ``todo``, ``running``, ``done``, ``failed``, ``blocked``, ``skipped``, ``unknown``.
    """
    text = raw.replace("*", "").replace("`", "").strip()
    if not text:
        return "unknown"
    if text.startswith("[ ]"):
        return "todo"
    if text[:3].lower() == "[x]":
        return "done"
    if says_not_run(text):
        # The researcher's decision, out of scope whatever its reason says: before, only a
        # reason in Latin letters was read ("NOT RUN — running on server"), so 026's
        # "NOT RUN — 服务器上运行中" read as TODO and was launched. A row not run has no
        # failure of its own: a failure its reason names is another run's. A bare NOT RUN is
        # not here (says_not_run): not started, read below.
        return "skipped" if "MOOT" in _STATUS_TOKENS.findall(text[:80].upper()) else "blocked"
    if says_failure(text[:60]) and not _GATE.match(text):
        # "Done - failed", "done, invalid", "DONE — NaN at step 200", "❌ failed", "Running →
        # failed": the run failed or its output is invalid, whatever word or mark comes first.
        # Not a gate's outcome ("GATE FAILED"): PARSE-RULES counts that run as done.
        return "failed"
    for mark, status in (
        ("✅", "done"),
        ("✓", "done"),
        ("🔄", "running"),
        ("⬜", "todo"),
        ("⏳", "todo"),
        ("⏸", "skipped"),
        ("❌", "blocked"),
    ):
        if text.startswith(mark):
            return status
    parts = [_part_status(part) for part in status_parts(text)]
    if "failed" not in parts and (open_part := next((p for p in parts if p in _OPEN), None)):
        # "PASS-STATIC / PENDING-RESIDENT" (038's HIP-03): one part passed, the run is not
        # finished; read as done it counted as a success. A FAIL part leaves it done (a gate's
        # outcome, PARSE-RULES), which ended_failed reads as failed.
        return "running" if "running" in parts else open_part
    if parts and negative_gates(text):
        # "FAIL-SPEEDUP / PASS-PARITY": a finished run whose named gate came out negative, done
        # whichever part comes first (its first word, FAIL, read as a failed run).
        return "done"
    tokens = [t.upper() for t in _STATUS_TOKENS.findall(text[:80])]
    lead = text.lstrip()[:1]
    if tokens and lead.isascii():
        first = tokens[0]
        pair = first + tokens[1] if len(tokens) > 1 else first
        if first == "NOT" and len(tokens) > 1:
            rest = tokens[1:]
            if "MOOT" in rest or rest[0] in _NOT_WANTED:
                return "skipped"  # "NOT NEEDED", "not applicable": not to be run
            if rest[0] == "RUN" and len(rest) > 1 and rest[1] != "YET":
                # NOT_RUN_R002_FAIL: not run because another run failed (says_not_run's \b
                # stops at its "_"). A bare NOT RUN falls through to todo: not started.
                return "blocked"
            return "todo"
        if (
            first in ("WAITING", "PENDING", "AWAITING")
            and len(tokens) > 1
            and (tokens[1] in ("ON", "FOR") or tokens[1] in _WAITED_FOR)
        ):
            # "WAITING ON DATA", "PENDING APPROVAL": held by something outside bridge, not
            # ready to launch (trial N4: launched as not started).
            return "blocked"
        if pair in _STATUS_LOOKUP:
            return _STATUS_LOOKUP[pair]
        if first in _STATUS_LOOKUP:
            return _STATUS_LOOKUP[first]
    unfinished = False
    for word, status in _CHINESE_STATUS:
        if word in text:
            if word in _FINISHED_WORDS and _negated(text, word):
                # 未完成, 尚未完成, 代码未完成, 没完成: not finished, so not done. Read as done,
                # such a row counted as finished before bridge and was never launched. The rest
                # of the cell may say more ("未完成（运行中）": running elsewhere, not to launch).
                unfinished = True
                continue
            return status
    if unfinished:
        return "todo"
    for mark, status in (
        ("✅", "done"),
        ("🔄", "running"),
        ("⬜", "todo"),
        ("⏳", "todo"),
        ("⏸", "skipped"),
        ("❌", "blocked"),
    ):
        if mark in text:
            return status
    return "unknown"


_PLAN_STATUS_KEYS = frozenset({"status", "状态", "plan status"})


def stopped_status(header: Mapping[str, str]) -> str:
    """
    The plan's header Status line when it says the plan is stopped, paused or blocked (014's
    ``**Status:** STOPPED_R002_GEOMETRY_FAIL``), on one line; ``""`` otherwise.
    """
    said = next((v for k, v in header.items() if k.strip().casefold() in _PLAN_STATUS_KEYS), "")
    if not said.strip() or normalise_status(said) not in ("skipped", "blocked"):
        return ""
    return " ".join(said.split())


# The warning a stopped plan gets (:func:`stopped_warning`); its two ends find it again among a
# loaded plan's recorded warnings (:func:`recorded_stopped`).
_STOPPED_SAID = "the plan's Status says "
_STOPPED_END = ": `bridge run` launches none of its runs while it says so"


def stopped_warning(said: str) -> str:
    """The warning for a plan whose Status line (``said``, see :func:`stopped_status`) stops it."""
    return f"{_STOPPED_SAID}{said!r}{_STOPPED_END}"


def recorded_stopped(warnings: Iterable[str]) -> str:
    """
    The stopped Status line a loaded plan's recorded ``warnings`` quote (``'STOPPED_R002_…'``,
    quotes included), or ``""`` when none says the plan is stopped. The results' next step is
    written from the log alone: a retry it advises launches nothing while the Status says so
    (014: `bridge retry R002` then `bridge run` stopped at BLOCKED on that line).
    """
    for warning in warnings:
        start = warning.find(_STOPPED_SAID)
        end = warning.find(_STOPPED_END, start + 1)
        if start >= 0 and end > start:
            return warning[start + len(_STOPPED_SAID) : end]
    return ""
