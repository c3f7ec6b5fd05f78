"""
``refine-logs/EXPERIMENT_CODE_REVIEW.md``: every implementation, review and rescue diagnosis.

Each review names its reviewer (and model), is marked ``[local-only]`` when no outside model was
asked, and lists its findings as BLOCKING or NON-BLOCKING, round by round. The findings table's
header is machine-read and never translated.
"""

from __future__ import annotations

from collections.abc import Sequence

from bridge.events.values import Finding, Severity
from bridge.machine.fold import PipelineState
from bridge.projections.finding_words import finding_in_language, review_text_in_language
from bridge.projections.markdown import table
from bridge.projections.reasons import summary_in_language
from bridge.projections.text import stamp

__all__ = ["FINDING_HEADER", "render", "unavailable_note"]

FINDING_HEADER = ("Severity", "Check", "File", "Message")

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Experiment Code Review", "实验代码评审"),
    "implementation": ("Implementation", "实现"),
    "review": ("Review", "评审"),
    "rescue": ("Rescue diagnosis", "救援诊断"),
    "round": ("round", "轮次"),
    "by": ("by", "执行者"),
    "skipped": ("Skipped", "已跳过"),
    "no_findings": ("No findings.", "没有发现问题。"),
    "changed": ("Files changed", "修改的文件"),
    "verdict_blocking": ("blocking findings", "个阻断问题"),
    "verdict_clean": ("no blocking findings", "没有阻断问题"),
}


def _t(key: str, language: str) -> str:
    english, chinese = _WORDS[key]
    return chinese if language == "zh" else english


def unavailable_note(state: PipelineState, language: str = "en") -> str:
    """
    One line saying the configured reviewer could not be reached and the local checklist stood
    in (``[local-only]``), from the latest review; ``""`` when that did not happen.
    """
    latest = state.reviews[-1] if state.reviews else None
    return _unavailable(latest.unavailable, language) if latest is not None else ""


def _unavailable(reason: str, language: str) -> str:
    if not reason:
        return ""
    if language == "zh":
        return f"[local-only] 配置的评审者无法连接（{reason}）；改由本地检查清单评审代码。"
    return (
        f"[local-only] The configured reviewer could not be reached ({reason}); "
        "the local checklist reviewed the code instead."
    )


def _findings(findings: Sequence[Finding], language: str) -> list[str]:
    if not findings:
        return [_t("no_findings", language), ""]
    rows = [
        (
            "BLOCKING" if f.severity is Severity.BLOCKING else "NON-BLOCKING",
            f.check,
            f"{f.file}:{f.line}" if f.file and f.line else f.file,
            finding_in_language(f.message, language),
        )
        for f in findings
    ]
    return [table(FINDING_HEADER, rows), ""]


def _count(findings: Sequence[Finding], language: str) -> str:
    blocking = sum(1 for f in findings if f.severity is Severity.BLOCKING)
    if blocking:
        words = _t("verdict_blocking", language)
        # "1 blocking finding", not "1 blocking finding(s)" (trial t17 F2).
        return f"{blocking} {words[:-1] if blocking == 1 and language != 'zh' else words}"
    return _t("verdict_clean", language)


def render(state: PipelineState, language: str = "en") -> str:
    """
    Render the code review file; ``""`` before any implementation, review or rescue is logged.
    """
    if state.plan is None or not (state.implementations or state.reviews or state.rescues):
        return ""
    lines = [f"# {_t('title', language)}: {state.plan.title}", "", stamp(state, language), ""]
    for impl in state.implementations:
        lines.append(
            f"## {_t('implementation', language)} ({_t('round', language)} {impl.round}, "
            f"{_t('by', language)} `{impl.implementer}`): {_count(impl.findings, language)}"
        )
        lines.append("")
        if impl.summary:
            lines.extend([summary_in_language(impl.summary, language), ""])
        if impl.changed_files:
            lines.append(f"{_t('changed', language)}:")
            lines.extend(
                f"- `{path}` sha256 `{sha[:12]}`" for path, sha in impl.changed_files.items()
            )
            lines.append("")
        lines.extend(_findings(impl.findings, language))
    for review in state.reviews:
        mark = " [local-only]" if review.local_only else ""
        model = f" ({review.model})" if review.model else ""
        head = (
            f"## {_t('review', language)} ({_t('round', language)} {review.round}, "
            f"{_t('by', language)} `{review.reviewer}`{model}){mark}"
        )
        if review.skipped:
            lines.extend(
                [
                    f"{head}: {_t('skipped', language)}",
                    "",
                    review_text_in_language(review.text, language),
                    "",
                ]
            )
            continue
        lines.extend([f"{head}: {_count(review.findings, language)}", ""])
        if review.unavailable:
            lines.extend([_unavailable(review.unavailable, language), ""])
        lines.extend(_findings(review.findings, language))
    for number, rescue in enumerate(state.rescues, start=1):
        lines.extend(
            [
                f"## {_t('rescue', language)} {number} ({_t('by', language)} `{rescue.reviewer}`"
                + (f", {rescue.milestone}: {', '.join(rescue.runs)}" if rescue.milestone else "")
                + ")",
                "",
            ]
        )
        if rescue.text:
            lines.extend([review_text_in_language(rescue.text, language).strip(), ""])
        lines.extend(_findings(rescue.findings, language))
    return "\n".join(lines)
