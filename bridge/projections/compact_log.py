"""
``EXPERIMENT_LOG.md`` (with ``compact`` on): one entry per finished run.

Each entry gives the run id and the time it ended, the system, the key configuration (its
parameters), the result, the block's verdict, and the exact command that reproduces it (the
attempt's argv, shell-quoted, in the directory it ran in).
"""

from __future__ import annotations

import shlex

from bridge.machine.fold import PipelineState, RunView
from bridge.machine.stages import TERMINAL_RUN_STATES
from bridge.projections.failure_words import failure_in_language
from bridge.projections.markdown import fenced, line
from bridge.projections.outcome import evaluate, key_value
from bridge.projections.results import number
from bridge.projections.text import stamp
from bridge.projections.tracker import status_word

__all__ = ["render"]

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Experiment Log", "实验日志"),
    "system": ("System", "系统"),
    "config": ("Config", "配置"),
    "result": ("Result", "结果"),
    "verdict": ("Verdict", "判定"),
    "command": ("Reproduce", "复现"),
    "none": ("No run has finished yet.", "尚无运行结束。"),
    "seed": (", seed {seed}", "，种子 {seed}"),
}

# Parameters bridge adds to every run; the run id, block and milestone are in the heading.
_BOOKKEEPING = frozenset({"run_id", "block", "milestone", "system", "output_dir", "gpu"})


def _t(key: str, language: str) -> str:
    english, chinese = _WORDS[key]
    return chinese if language == "zh" else english


def _command(run: RunView) -> str:
    attempt = run.current
    if attempt is None or not attempt.argv:
        return "-"
    command = shlex.join(attempt.argv)
    return f"cd {shlex.quote(run.spec.cwd)} && {command}" if run.spec.cwd else command


def _result(run: RunView, language: str) -> str:
    parts = [status_word(run)]
    value = key_value(run)
    if value is not None:
        shown = value.raw if value.value is None else number(value.value)
        parts.append(f"{line(value.name)} = {line(shown)} (`{line(value.source)}`)")
    if run.metrics is not None:
        parts.extend(f"⚠ {f.kind}: {line(f.metric)}" for f in run.metrics.quality if f.blocking)
    if run.reason and status_word(run) != "DONE":
        parts.append(line(failure_in_language(run.reason, language)))
    return "; ".join(parts)


def render(state: PipelineState, language: str = "en") -> str:
    """
    Render the compact log; ``""`` unless the plan's ``compact`` option is on.
    """
    if state.plan is None or state.plan.options.get("compact", "false") != "true":
        return ""
    outcome = evaluate(state)
    verdicts = {b.block.id: b.verdict.verdict.value for b in outcome.blocks}
    finished = [
        r
        for r in state.runs.values()
        if r.state in TERMINAL_RUN_STATES and r.current is not None and r.current.finished_at
    ]
    finished.sort(key=lambda r: (r.current.finished_at if r.current else None, r.run_id))
    lines = [f"# {_t('title', language)}: {state.plan.title}", "", stamp(state, language), ""]
    if not finished:
        lines.extend([_t("none", language), ""])
    for run in finished:
        attempt = run.current
        assert attempt is not None and attempt.finished_at is not None
        at = attempt.finished_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        spec = run.spec
        config = ", ".join(
            f"{k}={v}" for k, v in sorted(spec.params.items()) if k not in _BOOKKEEPING
        )
        where = f"{spec.block}, {spec.milestone}" + (
            _t("seed", language).format(seed=spec.seed) if spec.seed is not None else ""
        )
        lines.extend(
            [
                f"## {run.run_id} — {at} ({attempt.attempt_id})",
                "",
                f"- **{_t('system', language)}:** {spec.system} ({where})",
                f"- **{_t('config', language)}:** {config or '-'}",
                f"- **{_t('result', language)}:** {_result(run, language)}",
                f"- **{_t('verdict', language)}:** {spec.block} `{verdicts.get(spec.block, '-')}`",
                f"- **{_t('command', language)}:**",
                "",
                *fenced(_command(run), "sh"),
                "",
            ]
        )
    return "\n".join(lines)
