"""
The errors the ``bridge`` command shows a researcher, in Chinese.

An error is raised in English (an embedder catching :class:`bridge.errors.InputError` reads it
so, and the log's words stay one language); the command line shows it after its ``bridge:
error:`` prefix through :func:`error_in_language`, in the language of the project's plan. Only
a message that is one of bridge's own phrases *whole* is rewritten, after the ``file:`` or
``file:line:`` a plan error starts with; ids, paths, commands and the lists of runs and
milestones stay as written, and an error bridge has no Chinese for stays English.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bridge.lazy_patterns import LazyPattern, lazy
from bridge.projections.plan_words import no_runs_advice_in_chinese

__all__ = ["error_in_language"]

# bridge.plan.project.no_runs_advice: the way to the template (``how``) and the tracker.
_ADVICE = (
    r"list the runs as \[\[runs\]\] entries in bridge\.toml, one per run with its id, system "
    r"and command \((?P<how>.+?); docs/configuration\.md, \"\[\[runs\]\] — explicit runs\"\), or "
    r"as a run table in (?P<tracker>\S+)"
)


def _nothing_to_run(found: re.Match[str]) -> str:
    also = f"（bridge 还找到了 {found['also']}）" if found["also"] else ""
    return (
        f"没有可运行的：计划中没有运行顺序、实验块或追踪表的行可供运行{also}；"
        + no_runs_advice_in_chinese(found["how"], found["tracker"])
    )


def _no_log_no_runs(found: re.Match[str]) -> str:
    return (
        f"{found['root']}：{found['path']} 处没有 bridge 事件日志，`bridge run` 也无法开始一个："
        "计划中没有写出运行；" + no_runs_advice_in_chinese(found["how"], found["tracker"])
    )


# bridge.plan.setting_fields.did_you_mean: "; did you mean 'a' or 'b'?", the names as written.
_MEANT = r"(?:; did you mean (?P<meant>.+?)\?)?"


def _meant(found: re.Match[str]) -> str:
    if not found["meant"]:
        return ""
    # Between two quoted names only: a name may hold the word "or" itself.
    names = re.sub(r"(?<=['\"]) or (?=['\"])", " 或 ", found["meant"])
    return f"；是不是想写 {names}？"


def _unknown_setting(found: re.Match[str]) -> str:
    noun = "选项" if found["noun"] == "option" else "设置"
    return f"未知的{noun} {found['key']}{_meant(found)}（可用的{noun}：{found['valid']}）"


def _no_such_system(found: re.Match[str]) -> str:
    return (
        f'[systems."{found["key"]}"] 没有指明计划或追踪表中的任何系统{_meant(found)}'
        f"（系统：{found['listed']}）"
    )


def _aliases_only(found: re.Match[str]) -> str:
    return (
        f'[systems."{found["key"]}"] 没有指明计划或追踪表中的任何系统（只有它的别名指明了）'
        f"{_meant(found)}"
    )


# Whole messages, after the file a plan error names: (pattern, replacement). Matched with
# fullmatch; the named groups keep what the English said of this project.
_ERRORS: tuple[tuple[re.Pattern[str] | LazyPattern, str | Callable[[re.Match[str]], str]], ...] = (
    # bridge.plan.project.require_runs, a plan that names no runs (026).
    (
        lazy(
            r"nothing to run: the plan has no run order, experiment blocks or tracker rows to "
            r"run(?: \(bridge also found (?P<also>.+?)\))?; " + _ADVICE
        ),
        _nothing_to_run,
    ),
    (
        lazy(
            r"nothing to run: bridge found (.+) but no experiment plan \((\S+)\)\. Add a plan "
            r"with experiment blocks and a run order \(or tracker rows in (\S+), or \[\[runs\]\] "
            r"in bridge\.toml\); `bridge init` writes commented templates to start from\."
        ),
        r"没有可运行的：bridge 找到了 \1，但没有实验计划（\2）。请添加写有实验块和运行顺序的"
        r"计划（或在 \3 中写追踪表的行，或在 bridge.toml 中写 [[runs]]）；"
        r"`bridge init` 会写出带注释的模板作为起点。",
    ),
    # `bridge init` a second time beside a plan (the researcher's files named).
    (
        lazy(
            r"(.+?): bridge\.toml already exists \(use --force to replace it, the old one kept as "
            r"bridge\.toml\.before-init; (.+) are yours and never written over\)"
        ),
        r"\1：bridge.toml 已存在（用 --force 替换它，原文件保存为 bridge.toml.before-init；"
        r"\2 是你的文件，从不被覆盖）",
    ),
    # bridge.cli.handlers: `bridge status` before any log, of a plan that names no runs.
    (
        lazy(
            r"(?P<root>.+?): no bridge event log at (?P<path>.+), and `bridge run` cannot start "
            r"one: the plan names no runs; " + _ADVICE
        ),
        _no_log_no_runs,
    ),
    # bridge.pipeline.project_log.open_store: a command that reads the log, before there is one.
    (
        lazy(r"(.+?): no bridge event log at (.+) — `bridge run` or `bridge advance` starts one"),
        r"\1：\2 处没有 bridge 事件日志——`bridge run` 或 `bridge advance` 会开始一个",
    ),
    # bridge.cli.project.resolve_run and the pipeline's own check of a run id.
    (
        lazy(
            r"no run ('.*') is recorded yet: nothing has run in this project; `bridge run` "
            r"records the plan's runs"
        ),
        r"还没有记录运行 \1：这个项目中还没有运行过任何东西；`bridge run` 会记录计划的运行",
    ),
    (
        lazy(r"no run ('.*') in this (?:project|plan) \(runs: (.*)\)"),
        r"没有名为 \1 的运行（现有运行：\2）",
    ),
    (
        lazy(r"run ('.*') matches (.+): give the exact id"),
        r"运行 \1 匹配 \2：请给出确切的 id",
    ),
    # bridge.pipeline.retries: `bridge retry --milestone` of a milestone the plan lacks.
    (
        lazy(r"--milestone (.+): the plan has milestones (.*)"),
        r"--milestone \1：计划中的里程碑是 \2",
    ),
    # bridge.toml's most common refusals (bridge.plan.settings, bridge.plan.crosscheck): a key
    # misspelt, a [systems] table whose name is no system's (018's `[systems."jiont"]`, trial
    # t16). The setting names, the names meant and the lists stay as written.
    (
        lazy(
            r"unknown (?P<noun>setting|option) (?P<key>\S+)" + _MEANT + r" \(valid: (?P<valid>.*)\)"
        ),
        _unknown_setting,
    ),
    (
        lazy(
            r'\[systems\."(?P<key>.+?)"\] names no system of the plan or tracker'
            + _MEANT
            + r" \(systems: (?P<listed>.*)\)"
        ),
        _no_such_system,
    ),
    (
        lazy(
            r'\[systems\."(?P<key>.+?)"\] names no system of the plan or tracker \(only its '
            r"aliases do\)" + _MEANT
        ),
        _aliases_only,
    ),
    # `bridge replay --at` of an event the log does not hold.
    (
        lazy(r"--at (\S+): the log's events are numbered 1 to (\d+)"),
        r"--at \1：日志中的事件编号为 1 到 \2",
    ),
    (
        lazy(r"--at (\S+): the log holds seq 1\.\.(\d+)"),
        r"--at \1：日志中的事件编号为 1 到 \2",
    ),
)

# A plan or configuration error's place (bridge.errors.PlanError: ``file:line: message``).
_WHERE = lazy(r"(?P<file>[^\s:]+(?::\d+)?): (?P<message>.+)", re.DOTALL)


def error_in_language(message: str, language: str) -> str:
    """
    An error's message in ``language`` (``"zh"``; anything else returns it unchanged) when it
    is one of bridge's errors whole, the ``file:`` or ``file:line:`` before it kept and its
    colon made Chinese; any other message is returned as written.
    """
    if language != "zh":
        return message
    if (said := _translated(message)) is not None:
        return said
    if (where := _WHERE.fullmatch(message)) and (said := _translated(where["message"])):
        return f"{where['file']}：{said}"
    return message


def _translated(message: str) -> str | None:
    for pattern, replacement in _ERRORS:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message)
    return None
