"""
The code-review findings and review lines bridge itself writes, in Chinese.

A finding's message is recorded in English (the log and the prompts sent to an implementer keep
it so); the code review a Chinese plan's researcher reads shows it through
:func:`finding_in_language`. Only a message that is one of bridge's own phrases *whole* is
rewritten (the existing-code checks, the local checklist, the missing-command check): a
reviewer's or an agent's findings are their own words and are shown as written, and so are run
ids, paths, commands, module names and exception text inside bridge's phrases.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bridge.lazy_patterns import LazyPattern, lazy
from bridge.projections.failure_words import failure_finding_in_language, failure_in_language
from bridge.projections.reasons import in_language

__all__ = [
    "blocked_in_language",
    "finding_in_language",
    "review_text_in_language",
    "stage_reason_in_language",
]

# The run (or runs, where several share one finding) a finding starts with.
_RUNS = r"(\S+(?:, \S+)*)"

# Whole messages: (pattern, replacement with the groups kept). Matched with fullmatch.
_FINDINGS: tuple[tuple[LazyPattern, str], ...] = (
    (
        lazy(_RUNS + r": the command `(.*)` runs no Python script or module that can be checked"),
        r"\1：命令 `\2` 没有运行可检查的 Python 脚本或模块",
    ),
    (
        lazy(_RUNS + r": the script (.+) does not exist in the project; did you mean (.+)\?"),
        r"\1：脚本 \2 在项目中不存在；是否指 \3？",
    ),
    (
        lazy(_RUNS + r": the script (.+) does not exist in the project"),
        r"\1：脚本 \2 在项目中不存在",
    ),
    (
        lazy(
            _RUNS + r": the seed is not controllable: (.+) has no --seed option and the command "
            r"sets no seed"
        ),
        r"\1：种子不可控：\2 没有 --seed 选项，命令也没有设置种子",
    ),
    (
        lazy(
            _RUNS + r": evaluation may score against another model's outputs, not ground truth "
            r"\((.+)\); check that the labels come from the data set"
        ),
        r"\1：评测可能以另一个模型的输出而非真实标注打分（\2）；请检查标签是否来自数据集",
    ),
    (
        lazy(_RUNS + r": (.+) declares no JSON or CSV output, so its metrics cannot be collected"),
        r"\1：\2 没有声明 JSON 或 CSV 输出，无法收集其指标",
    ),
    (
        lazy(
            _RUNS + r": hyperparameters named in the setup are not configurable \(no argparse "
            r"option or command placeholder\): (.+)"
        ),
        r"\1：设置中提到的超参数不可配置（没有 argparse 选项或命令占位符）：\2",
    ),
    (
        lazy(
            r"the run ran out of GPU memory: lower the batch size of the sanity run or enable "
            r"gradient accumulation/checkpointing"
        ),
        "运行时 GPU 显存不足：请减小健全性运行的批大小，或启用梯度累积/梯度检查点",
    ),
    (
        lazy(
            r"the run ran out of memory: lower the batch size of the sanity run or the data it "
            r"holds in memory, or give it a machine with more memory"
        ),
        "运行时内存不足：请减小健全性运行的批大小或它在内存中保存的数据，或换一台内存更大的机器",
    ),
    (
        lazy(
            r"the module (.+) is not installed where the run executes: add it to the "
            r"environment or fix the import"
        ),
        r"模块 \1 在运行环境中未安装：请把它加入环境，或修正导入",
    ),
    (lazy(r"the run raised (.+)"), r"运行抛出了 \1"),
    (
        lazy(
            r"the local checklist found no traceback in the log; configure a \[reviewer\] for a "
            r"diagnosis"
        ),
        "本地检查清单在日志中没有找到回溯信息；请配置 [reviewer] 来诊断",
    ),
    (
        lazy(
            # "run(s) have": the words of logs written before the plural was said.
            r"(\d+) (?:run\(s\) have|runs? ha(?:s|ve)) no command: (.+)\. Fix: set \[run\] "
            r"command in bridge\.toml "
            r"\(or command in the system's \[systems\.\"NAME\"\] table\), or, for a run that "
            r"cannot run here, mark its tracker row NOT RUN — <reason>"
        ),
        r"\1 个运行没有命令：\2。修复：在 bridge.toml 中设置 [run] command（或在该系统的 "
        r'[systems."NAME"] 表中设置 command）；无法在此运行的运行，请在追踪表中把它的行标为 '
        r"NOT RUN — <原因>",
    ),
)

# A whole review text bridge wrote (a skipped review's reason).
_TEXTS: tuple[tuple[LazyPattern, str], ...] = (
    (
        lazy(r"code review is off \(code_review = false\)"),
        "代码评审已关闭（code_review = false）",
    ),
)

# The local checklist's review text: its first line, then its findings as bullets.
_CHECKLIST_HEAD = lazy(
    r"\[local-only\] Local checklist (code review|rescue diagnosis) of (\d+) run commands "
    r"\(no model was asked; configure \[reviewer\] for a second opinion\)\."
)
_CHECKLIST_WHAT = {"code review": "代码评审", "rescue diagnosis": "救援诊断"}
_BULLET = lazy(r"(- (?:NON-)?BLOCKING(?: \[[^\]]*\])?(?: \([^)]*\))? )(.*)")


def finding_in_language(message: str, language: str) -> str:
    """
    ``message`` in ``language`` (``"zh"``; anything else returns it unchanged) when it is one
    of bridge's own finding phrases whole; any other message is returned as written.
    """
    if language != "zh":
        return message
    for pattern, replacement in _FINDINGS:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message)
    return failure_finding_in_language(message, language) or message


def review_text_in_language(text: str, language: str) -> str:
    """
    A review's or rescue diagnosis's text in ``language`` when bridge wrote it: a skipped
    review's reason, or the local checklist's text (its first line, and each finding bullet
    through :func:`finding_in_language`). A reviewer's own text is returned as written.
    """
    if language != "zh":
        return text
    for pattern, replacement in _TEXTS:
        if pattern.fullmatch(text):
            return pattern.sub(replacement, text)
    head = _CHECKLIST_HEAD.match(text)
    if head is None:
        return text
    lines = [
        f"[local-only] 本地检查清单对 {head.group(2)} 个运行命令的{_CHECKLIST_WHAT[head.group(1)]}"
        "（未询问任何模型；配置 [reviewer] 可获得第二意见）。"
    ]
    for line in text[head.end() :].split("\n"):
        bullet = _BULLET.fullmatch(line)
        if bullet is not None:
            line = bullet.group(1) + finding_in_language(bullet.group(2), language)
        elif line == "No findings.":
            line = "没有发现问题。"
        lines.append(line)
    return "\n".join(lines)


# What happened since a person approved past the sanity criterion
# (bridge/pipeline/steps/sanity.py's since_check), at the end of the held clauses, and how the
# numbers read again changed, when they did.
_APPROVED_BEFORE = lazy(
    r"\. ((?:(?!\. ).)+) after a person approved going past the criterion: the earlier "
    r"approval was for the earlier numbers(?: \((.+)\))?$",
    re.DOTALL,
)
_SINCE_PARTS = (
    (lazy(r"^(.+?) ran again$"), r"\1 再次运行"),
    (lazy(r"^(.+?)'s numbers were read again under new \[metrics\] settings$"), None),
    (lazy(r"^the numbers of (.+?) were read again under new \[metrics\] settings$"), None),
)


def _since_zh(part: str) -> str:
    for pattern, replacement in _SINCE_PARTS:
        if found := pattern.match(part):
            ids = found.group(1).replace(", ", "、")
            return (
                f"{ids} 再次运行" if replacement else f"{ids} 的数值在新的 [metrics] 设置下重新读取"
            )
    return part


def _approved_before_zh(clauses: str) -> str:
    """The held clauses, with the sentence saying an approval was for earlier numbers in
    Chinese (it stayed English inside a Chinese reason), the blocks' verdicts too (025's
    «B1: clause 2 of 2 not met. [2] not met: …» stood English in `bridge status`)."""
    found = _APPROVED_BEFORE.search(clauses)
    if found is None:
        return in_language(clauses, "zh")
    since = "；".join(_since_zh(p) for p in found.group(1).split(" and "))
    # The tail names how the numbers read again changed ("R002 skill -0.05 → -0.08").
    changed = f"（{found.group(2)}）" if found.group(2) else ""
    return (
        f"{in_language(clauses[: found.start()], 'zh')}。{since}，而此前有人批准越过该标准："
        "那次批准针对的是先前的数值"
        f"{changed}"
    )


def _after(head: str) -> Callable[[re.Match[str]], str]:
    """A replacement: ``head`` with the groups, then the failure (or finding) that follows."""

    def replace(found: re.Match[str]) -> str:
        *groups, rest = found.groups()
        return head.format(*groups) + _lead(rest)

    return replace


def _lead(text: str) -> str:
    # "R1, R2: exit 1: …" (the runs and their failure; "; " between several), or a failure
    # reason alone.
    parts = []
    for part in text.split("; "):
        ids, colon, reason = part.partition(": ")
        if colon and re.fullmatch(r"[\w.\-]+(?:, [\w.\-]+)*", ids):
            parts.append(f"{ids}：{failure_in_language(reason, 'zh')}")
        else:
            parts.append(failure_in_language(part, "zh"))
    return "; ".join(parts)


def _finding_after(head: str) -> Callable[[re.Match[str]], str]:
    """A replacement: ``head`` with the groups, then the finding that follows."""

    def replace(found: re.Match[str]) -> str:
        *groups, rest = found.groups()
        return head.format(*groups) + finding_in_language(rest, "zh")

    return replace


def _as_written(head: str) -> Callable[[re.Match[str]], str]:
    """A replacement: ``head`` with the groups, then the error text as written."""

    def replace(found: re.Match[str]) -> str:
        *groups, rest = found.groups()
        return head.format(*groups) + rest

    return replace


# What happened to sanity runs since the sanity milestone passed (sanity.Unseen's wordings).
_AGAIN_ZH = {
    "ran again": "再次运行",
    "had their numbers read again under new [metrics] settings": (
        "在新的 [metrics] 设置下重新读取数值"
    ),
    "ran again or had their numbers read again under new [metrics] settings": (
        "再次运行或在新的 [metrics] 设置下重新读取数值"
    ),
}


# Why the pipeline is blocked (bridge/pipeline/steps/): the head is bridge's, the tail is the
# failure, finding or error it quotes.
_BLOCKED: tuple[tuple[LazyPattern, Callable[[re.Match[str]], str]], ...] = (
    (
        # "issue(s)" in a log written before the plural was said (session 38).
        lazy(r"code review found (\d+) blocking issue(?:\(s\)|s)?: (.*)", re.DOTALL),
        _finding_after("代码评审发现 {0} 个阻断问题："),
    ),
    (
        lazy(r"(\d+) blocking finding(?:\(s\)|s)?: (.*)", re.DOTALL),
        _finding_after("{0} 个阻断问题："),
    ),
    (lazy(r"implementation failed: (.*)", re.DOTALL), _as_written("实现失败：")),
    (lazy(r"code review failed: (.*)", re.DOTALL), _as_written("代码评审失败：")),
    (
        lazy(r"fixing review findings failed: (.*)", re.DOTALL),
        _as_written("修复评审问题失败："),
    ),
    (lazy(r"rescue diagnosis failed: (.*)", re.DOTALL), _as_written("救援诊断失败：")),
    (
        lazy(r"rescue diagnosis for milestone (\S+) failed: (.*)", re.DOTALL),
        _as_written("里程碑 {0} 的救援诊断失败："),
    ),
    (
        lazy(r"rescue diagnosis for the runs failed: (.*)", re.DOTALL),
        _as_written("这些运行的救援诊断失败："),
    ),
    (
        lazy(r"the gate held the plan after (\S+): (.*)", re.DOTALL),
        _as_written("关卡在 {0} 之后拦住了计划："),
    ),
    (
        lazy(r"milestone (\S+): (.+?) failed the same way: (.*)", re.DOTALL),
        _after("里程碑 {0}：{1} 以相同方式失败："),
    ),
    (
        lazy(r"milestone (\S+) still fails after (\d+) rescue rounds: (.*)", re.DOTALL),
        _after("里程碑 {0} 经过 {1} 轮救援仍然失败："),
    ),
    # A plan with no milestones (025): the runs, named without one.
    (
        lazy(r"the runs still fail after (\d+) rescue rounds: (.*)", re.DOTALL),
        _after("这些运行经过 {0} 轮救援仍然失败："),
    ),
    (
        lazy(r"([\w.\-]+(?:, [\w.\-]+)*) failed the same way: (.*)", re.DOTALL),
        _after("{0} 以相同方式失败："),
    ),
    (
        lazy(r"sanity still fails after (\d+) rescue rounds: (.*)", re.DOTALL),
        _after("经过 {0} 轮救援，健全性检查仍然失败："),
    ),
    (
        lazy(r"the same sanity failure twice: (.*)", re.DOTALL),
        _after("健全性检查两次以相同方式失败："),
    ),
    (lazy(r"(\d+) sanity failures: (.*)", re.DOTALL), _after("健全性检查失败 {0} 次：")),
    (lazy(r"sanity fails repeatedly: (.*)", re.DOTALL), _after("健全性检查反复失败：")),
    (lazy(r"sanity failed: (.*)", re.DOTALL), _after("健全性检查失败：")),
    (
        lazy(
            # "The sanity run(s)" in a log written before the count was said (session 38).
            r"(.*)\. (?:The sanity run\(s\)|\d+ sanity runs?) (ran again|had (?:their|its) "
            r"numbers read again under new "
            r"\[metrics\] settings|ran again or had (?:their|its) numbers read again under new "
            r"\[metrics\] settings) after the sanity milestone passed and did not pass: fix the "
            r"cause and `bridge retry ([^`]*)`",
            re.DOTALL,
        ),
        lambda found: (
            f"{found.group(1)}。健全性里程碑通过后"
            f"{_AGAIN_ZH[found.group(2).replace(' its ', ' their ')]}的健全性运行未通过："
            f"修复原因后运行 `bridge retry {found.group(3)}`"
        ),
    ),
    (
        lazy(
            r"the sanity milestone's own success criterion is not met: (.*)\. Fix the cause and "
            r"`bridge retry --force ([^`]*)`, or `bridge approve` to go on with the later "
            r"milestones anyway",
            re.DOTALL,
        ),
        lambda found: (
            f"健全性里程碑自身的成功标准未满足：{_approved_before_zh(found.group(1))}。"
            "修复原因后运行 "
            f"`bridge retry --force {found.group(2)}`，或运行 `bridge approve` 以继续后续里程碑"
        ),
    ),
    (
        lazy(
            r"the tracker says (?:must-run sanity run\(s\) wait for their code|\d+ must-run sanity "
            r"runs? waits? for code): (.*)\. Set each row "
            r"to TODO once its code is written \(or NOT RUN — <reason> if the sanity milestone "
            r"is to go on without it\)",
            re.DOTALL,
        ),
        lambda found: (
            f"追踪表写着必做的健全性运行仍在等待代码：{found.group(1)}。代码写好后把该行改为 "
            "TODO（若健全性里程碑不等它，则写 NOT RUN — <原因>）"
        ),
    ),
    (
        lazy(
            r"the tracker says (?:sanity run\(s\)|\d+ sanity runs?) failed before bridge: (.*)\. "
            r"Set the row back to TODO once fixed \(or `bridge retry (?:--force )?([^`]*)`\), or "
            r"mark it DONE if that failure is settled",
            re.DOTALL,
        ),
        lambda found: (
            f"追踪表记录健全性运行在 bridge 之前已失败：{found.group(1)}。修复后把该行改回 TODO"
            f"（或运行 `bridge retry {found.group(2)}`）；若该失败已有定论，则标为 DONE"
        ),
    ),
    (
        lazy(
            r"the plan's Status says (.+): bridge launches none of its runs while the plan says it "
            r"is stopped; change that line once the plan goes on",
            re.DOTALL,
        ),
        lambda found: (
            f"计划的状态写着 {found.group(1)}：只要计划仍写着已停止，bridge 不启动任何运行；计划"
            "继续时请改掉这一行"
        ),
    ),
    (
        lazy(
            r"the tracker says (.+) RUNNING, and bridge did not launch (?:it|them): mark each "
            r"row DONE "
            r"once it finished, NOT RUN — <reason> if it is not bridge's, or TODO for bridge to "
            r"run it; `bridge run` then goes on(?: \(rows: ([^()]+)\))?"
            r"(?:; queued outside bridge, as the tracker's legend says: (.+))?",
            re.DOTALL,
        ),
        lambda found: (
            f"追踪表写着 {found.group(1)} 正在运行（RUNNING），而它们不是 bridge 启动的：运行结束后"
            "把该行标为 DONE；不归 bridge 运行的标为 NOT RUN — <原因>；要 bridge 运行则标为 "
            "TODO；之后 `bridge run` 会继续"
            + (f"（所在行：{found.group(2)}）" if found.group(2) else "")
            + (
                f"；按追踪表的图例，这些在 bridge 之外排队：{found.group(3)}"
                if found.group(3)
                else ""
            )
        ),
    ),
)


def blocked_in_language(reason: str, language: str) -> str:
    """
    Why the pipeline is blocked (or a sanity failure's stage reason) in ``language``
    (``"zh"``; anything else returns it unchanged); a reason bridge has no Chinese for, or the
    error text it quotes, as written.
    """
    if language != "zh":
        return reason
    for pattern, replace in _BLOCKED:
        found = pattern.fullmatch(reason)
        if found is not None:
            return replace(found)
    return reason


# The other reasons a stage is entered for (bridge/pipeline/), whole.
_STAGE_REASONS: tuple[tuple[LazyPattern, str], ...] = (
    (lazy(r"inputs changed \((.*)\)", re.DOTALL), r"输入已变更（\1）"),
    (lazy(r"reopened by a person after a block"), "阻断后由人重新开启"),
    (lazy(r"approved by a person"), "已由人批准"),
    (lazy(r"retrying (.*)", re.DOTALL), r"重试 \1"),
    (
        lazy(r"auto_deploy is off: waiting for `bridge approve`"),
        "auto_deploy 已关闭：等待 `bridge approve`",
    ),
    (
        lazy(r"sanity skipped by configuration \(sanity_first = false\)"),
        "按配置跳过健全性检查（sanity_first = false）",
    ),
    (lazy(r"the proposed sanity run (\S+) needs approval"), r"提议的健全性运行 \1 需要批准"),
    (
        lazy(r"the same sanity failure twice: asking for a diagnosis"),
        "健全性检查两次以相同方式失败：请求诊断",
    ),
    (
        lazy(r"(\d+) sanity failures: asking for a diagnosis"),
        r"健全性检查失败 \1 次：请求诊断",
    ),
    (lazy(r"sanity failed once; running it again"), "健全性检查失败一次；再运行一次"),
    # "run(s)": the words of logs written before the plural was said.
    (
        lazy(r"(\d+) (?:run\(s\)|runs?) added to the plan: (.*)", re.DOTALL),
        r"计划新增 \1 个运行：\2",
    ),
    (lazy(r"(\d+) (?:run\(s\)|runs?) to run again: (.*)", re.DOTALL), r"\1 个运行需重新运行：\2"),
    (
        lazy(r"(\d+) (?:run\(s\)|runs?) back in the plan by a tracker edit: (.*)", re.DOTALL),
        r"\1 个运行按追踪表重新计划：\2",
    ),
    (
        lazy(r"(\d+) (?:run\(s\)|runs?) added to the plan and (\d+) to run again: (.*)", re.DOTALL),
        r"计划新增 \1 个运行，\2 个运行需重新运行：\3",
    ),
    (
        lazy(r"(\d+) proposed (?:run\(s\) need|runs need|run needs) approval"),
        r"\1 个提议的运行需要批准",
    ),
)


def stage_reason_in_language(reason: str, language: str) -> str:
    """
    Why a stage was entered, in ``language`` (``"zh"``; anything else returns it unchanged):
    a blocked reason (:func:`blocked_in_language`) or another of bridge's stage reasons whole;
    a reason bridge has no Chinese for as written.
    """
    if language != "zh":
        return reason
    for pattern, replacement in _STAGE_REASONS:
        if pattern.fullmatch(reason):
            return pattern.sub(replacement, reason)
    return blocked_in_language(reason, language)
