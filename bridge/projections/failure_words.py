"""
Why a run failed, in Chinese, where bridge wrote the words.

A run's failure reason (``exit 1: ValueError: …``) and the finding that explains failed runs
(``R1: … Fix: …``) are recorded in English (the log, ``results.json`` and the notifications keep
them so). A Chinese plan's researcher reads them through these functions: bridge's own words
are rewritten; the program's error line, ids, paths and numbers, and any text bridge has no
Chinese for, stay as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bridge.events import types as ev
from bridge.lazy_patterns import LazyPattern, lazy
from bridge.machine.classify import CUDA_ON_CPU, GENERIC_FAILURE
from bridge.plan.recorded_status import status_in_language
from bridge.plan.tracker import seed_run_id

__all__ = [
    "AS_RUN",
    "CODE_EDITED",
    "CODE_FIELD",
    "CODE_REMOVED",
    "RELABELLED",
    "RUNNING_ELSEWHERE",
    "TRACKER_ROW_NOW",
    "carried_words",
    "change_words",
    "changed_words",
    "code_change_in_language",
    "failure_finding_in_language",
    "failure_in_language",
    "kept_in_language",
    "kept_retry",
    "own_result_words",
    "removed_reason",
    "retry_in_language",
    "row_gone",
    "row_split",
    "running_elsewhere",
    "split_in_language",
    "split_reason",
    "stopped_clause",
    "stopped_in_language",
    "unproposed",
    "unproposed_reason",
    "unsplit_reason",
]

# How the reason opens when a tracker edit puts a run back in the plan (steps/code.py): no retry
# of an attempt, so `bridge run` does not print it as one.
TRACKER_ROW_NOW = "the tracker's row now says"
# What a retry's reason adds when the run had been stopped (cancelled) before a person asked
# for it again (retries.schedule, row_status.requested_events): who stopped it, so `bridge run`,
# `bridge status` and the tracker's Notes say that a cancelled run runs again, and whose word
# brings it back is the reason's start ("retry asked by a person", "the tracker's row now says").
CANCELLED_BY_PERSON = "it had been cancelled by a person (`bridge cancel`)"
CANCELLED_BY_BRIDGE = "bridge had cancelled it"
# How the reason of a RunSpecChanged opens when it gives a run new labels only, without a new
# attempt (steps/code.py: a succeeded run's system, milestone or priority): `bridge run` says
# so, not "spec changed", the words of a change the next attempt runs with.
RELABELLED = "relabelled, not run again"

# Why the one run of a row split into seeds since it ran is ruled out (steps/code.py), and
# its Chinese (the tracker's and the results' "不在范围内：…" line was otherwise English).
# The log's reasons before trial t9 all say "in the plan", whatever split the row.
_SPLIT = lazy(
    r"(\S+) \(one run\) was split into seeds (.+?) in the (tracker|plan)(?:; its earlier "
    r"result is kept in the log, not counted(?:; its seed (\S+) runs again as (\S+))?| before "
    r"it ran|; its result at seed (\S+) stands for (\S+), same settings, not run again)"
)


def split_reason(
    row_id: str,
    seeds: Sequence[int],
    old_seed: str | None,
    ran: bool,
    where: str = "plan",
    *,
    carried: bool = False,
) -> str:
    """
    Why the run of a row now split into one run per seed is not counted: its result stays in
    the log, each seed's run stands for the row (``old_seed``: the seed it ran with, said when
    one of the seeds' runs runs it again); ``ran`` False: it never launched, and has no result.
    ``carried``: its result stands for that seed's run, the same settings, which does not run
    (``RunResultCarried``). ``where`` (``"tracker"`` or ``"plan"``) is the file whose row was
    split: 001's R002-R004, split by a Seed column of the tracker, read "split … in the plan"
    (trial t9).
    """
    said = ", ".join(str(seed) for seed in seeds)
    if not ran:
        return f"{row_id} (one run) was split into seeds {said} in the {where} before it ran"
    if carried and old_seed is not None:
        return (
            f"{row_id} (one run) was split into seeds {said} in the {where}; its result at seed "
            f"{old_seed} stands for {seed_run_id(row_id, int(old_seed))}, same settings, not "
            "run again"
        )
    seed = int(old_seed) if old_seed is not None and old_seed.isdigit() else None
    again = (
        f"; its seed {seed} runs again as {seed_run_id(row_id, seed)}"
        if seed is not None and seed in seeds
        else ""
    )
    return (
        f"{row_id} (one run) was split into seeds {said} in the {where}; its earlier result is "
        f"kept in the log, not counted{again}"
    )


# The reason of a run another run's result stands for (RunResultCarried), read back for its
# Chinese (split_in_language).
_CARRIED = lazy(r"(\S+)'s result(?: at seed (\S+))?, same settings, not run again")


def carried_words(from_run: str, seed: str | None, language: str = "en") -> str:
    """
    What a run whose result is another's (``RunResultCarried``) is said with, in ``language``:
    ``R002's result at seed 42, same settings, not run again`` (R002-s42's, 001's R002 split
    into seeds 42, 43, 44 after it ran at 42); no seed when it has none.
    """
    if language == "zh":
        at = f"在种子 {seed} 上" if seed is not None else ""
        return f"{from_run} {at}的结果，设置相同，不再重新运行"
    at = f" at seed {seed}" if seed is not None else ""
    return f"{from_run}'s result{at}, same settings, not run again"


# The reason of a run handed back the attempt it ran itself (RunResultCarried into the run
# that ran it: a split undone), read back for its Chinese (split_in_language).
_OWN = lazy(r"its own result(?: at seed (\S+))?, same settings, not run again")


def own_result_words(seed: str | None, language: str = "en") -> str:
    """
    What a run handed back its own attempt is said with (``RunResultCarried`` from the run
    that held it: R002 → R002-s0 → R002, the row's split undone), in ``language``: ``its own
    result at seed 0, same settings, not run again``; no seed when it has none.
    """
    if language == "zh":
        at = f"在种子 {seed} 上" if seed is not None else ""
        return f"其自身{at}的结果，设置相同，不再重新运行"
    at = f" at seed {seed}" if seed is not None else ""
    return f"its own result{at}, same settings, not run again"


# Why a run whose row the researcher deleted from the tracker (or the plan's run table) is
# ruled out (steps/code.py): the same mechanism as a split row's, and its Chinese.
_REMOVED = lazy(
    r"(\S+) was removed from (?:the )?(tracker|plan|bridge\.toml) (?:after it ran; its result "
    r"is kept in the log, not counted|before bridge ran it)"
)
_WHERE_ZH = {"tracker": "追踪表", "plan": "计划", "bridge.toml": " bridge.toml "}


def removed_reason(run_id: str, where: str, ran: bool) -> str:
    """
    Why a run whose row was deleted from ``where`` (``"tracker"`` or ``"plan"``), or whose
    ``[[runs]]`` entry from ``"bridge.toml"``, is not counted: its result stays in the log
    (``ran`` False: it never launched, and has none).
    """
    the = "" if where == "bridge.toml" else "the "
    if not ran:
        return f"{run_id} was removed from {the}{where} before bridge ran it"
    return (
        f"{run_id} was removed from {the}{where} after it ran; its result is kept in the log, "
        "not counted"
    )


# Why one seed's run of a row split into seeds is ruled out once the row names one seed again
# (steps/code.py: R004 "seeds 7, 8" cut back to "seed 7"): the row is there, so it was not
# "removed from the tracker" (review r33, trial t10 on 002's R007), and its Chinese.
_UNSPLIT = lazy(
    r"(\S+) \(seed (\S+) of (\S+)\): \3 is one run again in the plan, no longer split into "
    r"seeds(?:; its result is kept in the log, not counted(; its seed \2 runs again as \3)?"
    r"| before it ran|(; its result stands for \3, same settings, not run again))"
)


def unsplit_reason(
    run_id: str,
    row_id: str,
    seed: int,
    row_seed: int | None,
    ran: bool,
    *,
    carried: bool = False,
) -> str:
    """
    Why ``run_id``, seed ``seed``'s run of the tracker row ``row_id`` when the row named several
    seeds, is not counted now that the row is one run again (``row_seed``: the seed it names
    now): its result stays in the log, and the row's run stands for the row; ``ran`` False: it
    never launched, and has no result. ``carried``: its result stands for the row's run, the
    same settings, which does not run (``RunResultCarried``).
    """
    said = f"{run_id} (seed {seed} of {row_id}): {row_id} is one run again in the plan, no longer "
    if not ran:
        return said + "split into seeds before it ran"
    if carried:
        return (
            said + f"split into seeds; its result stands for {row_id}, same settings, not run again"
        )
    again = f"; its seed {seed} runs again as {row_id}" if row_seed == seed else ""
    return said + f"split into seeds; its result is kept in the log, not counted{again}"


# Why a run bridge proposed from the plan is ruled out once the plan proposes it no more (a
# block's seeds cut, a compared system taken out: 033's E5 cut from 11 seeds to 9, trial t10):
# the same mechanism as a deleted row's, and its Chinese.
_UNPROPOSED = lazy(
    r"the plan no longer proposes (\S+) \((?:block (.+?)|no block)(?:, seed (-?\d+))?\)"
    r"(; its result is kept in the log, not counted|, and bridge never ran it)"
)


def unproposed_reason(run_id: str, block: str, seed: int | None, ran: bool) -> str:
    """
    Why a run bridge proposed from the plan (of ``block``, at ``seed``) is not counted once
    the plan no longer proposes it: its result stays in the log (``ran`` False: it never
    launched, and has none).
    """
    # A run relabelled to no block by an older bridge (033's R002, trial t14) printed "(block )".
    where = f"block {block}" if block else "no block"
    what = f"{run_id} ({where}" + (f", seed {seed})" if seed is not None else ")")
    if not ran:
        return f"the plan no longer proposes {what}, and bridge never ran it"
    return f"the plan no longer proposes {what}; its result is kept in the log, not counted"


def unproposed(reason: str) -> bool:
    """
    Whether a ruled-out run's ``reason`` is :func:`unproposed_reason`'s: a run bridge proposed
    that the plan proposes no more (no row of the researcher's).
    """
    return _UNPROPOSED.fullmatch(reason) is not None


def row_gone(reason: str) -> bool:
    """
    Whether a ruled-out run's ``reason`` is bridge's for a row no longer in the plan as it
    was (:func:`split_reason`, :func:`removed_reason`, :func:`unsplit_reason`), or for a run
    bridge proposed that the plan no longer proposes (:func:`unproposed_reason`), not the
    researcher's own word.
    """
    return any(p.fullmatch(reason) is not None for p in (_SPLIT, _REMOVED, _UNSPLIT)) or unproposed(
        reason
    )


def row_split(reason: str) -> bool:
    """
    Whether a ruled-out run's ``reason`` is :func:`split_reason`'s: its row is split into one
    run per seed now, and the seeds' runs stand for it (a :func:`row_gone` run that is not a
    removed row).
    """
    return _SPLIT.fullmatch(reason) is not None


def split_in_language(reason: str, language: str) -> str:
    """
    A ruled-out run's reason in ``language`` (``"zh"``) when it is :func:`split_reason`'s,
    :func:`removed_reason`'s, :func:`unsplit_reason`'s or :func:`unproposed_reason`'s, and a
    carried run's (:func:`carried_words`); any other reason (the researcher's Status and Notes)
    is returned as written, but for the words bridge added to the researcher's Status when it
    read the plan, which are said in ``language`` (:func:`status_in_language`).
    """
    if language != "zh":
        return status_in_language(reason, language)
    if (standing := _CARRIED.fullmatch(reason)) is not None:
        return carried_words(standing.group(1), standing.group(2), language)
    if (own := _OWN.fullmatch(reason)) is not None:
        return own_result_words(own.group(1), language)
    if (gone := _UNPROPOSED.fullmatch(reason)) is not None:
        run_id, block, seed, tail = gone.groups()
        where = f"实验块 {block}" if block else "无实验块"
        what = f"{run_id}（{where}" + (f"，种子 {seed}）" if seed is not None else "）")
        if tail.startswith(";"):
            return f"计划不再提出 {what}；其结果保留在日志中，不计入"
        return f"计划不再提出 {what}，bridge 未曾运行它"
    if (removed := _REMOVED.fullmatch(reason)) is not None:
        run_id, where = removed.groups()
        if reason.endswith(" before bridge ran it"):
            return f"{run_id} 在 bridge 运行前已从{_WHERE_ZH[where]}中删除"
        return f"{run_id} 在运行后已从{_WHERE_ZH[where]}中删除；其结果保留在日志中，不计入"
    if (unsplit := _UNSPLIT.fullmatch(reason)) is not None:
        run_id, seed, row_id, again, carried = unsplit.groups()
        said = (
            f"{run_id}（{row_id} 的种子 {seed}）：{row_id} 在计划中已恢复为单个运行，不再拆分为种子"
        )
        if reason.endswith(" before it ran"):
            return said + "（在其运行前）"
        if carried:
            return said + f"；其结果即 {row_id} 的结果，设置相同，不再重新运行"
        return (
            said
            + "；其结果保留在日志中，不计入"
            + (f"；其种子 {seed} 作为 {row_id} 重新运行" if again else "")
        )
    found = _SPLIT.fullmatch(reason)
    if found is None:
        return status_in_language(reason, language)
    row_id, seeds, where, old_seed, again, carried_seed, carried_to = found.groups()
    if found.group(0).endswith(" before it ran"):
        return f"{row_id}（单个运行）在运行前已在{_WHERE_ZH[where]}中拆分为种子 {seeds}"
    if carried_to is not None:
        return (
            f"{row_id}（单个运行）已在{_WHERE_ZH[where]}中拆分为种子 {seeds}；其种子 "
            f"{carried_seed} 的结果即 {carried_to} 的结果，设置相同，不再重新运行"
        )
    said = (
        f"{row_id}（单个运行）已在{_WHERE_ZH[where]}中拆分为种子 {seeds}；"
        "其先前结果保留在日志中，不计入"
    )
    return said + (f"；其种子 {old_seed} 作为 {again} 重新运行" if again else "")


# What bridge says of a run's code edited since it ran (steps/code.py): the change of a kept run
# (field CODE_FIELD, from AS_RUN to "<path> edited, <path> removed") and the reason a failed
# run runs again ("its code changed (<path> edited)"). Said in English, shown through
# :func:`code_change_in_language` (`code: as run → … edited` was English amid Chinese).
CODE_FIELD = "code"
AS_RUN = "as run"
CODE_EDITED = "edited"
CODE_REMOVED = "removed"
_CODE_SAID = lazy(rf"(.+) ({CODE_EDITED}|{CODE_REMOVED})")
_CODE_CHANGED = lazy(r"its code changed \((.*)\)", re.DOTALL)


def code_change_in_language(said: str, language: str) -> str:
    """
    ``"<path> edited, <path> removed"`` (what changed in a run's code) in ``language``
    (``"zh"``; anything else returns it unchanged): the paths as written.
    """
    if language != "zh":
        return said
    found = [_CODE_SAID.fullmatch(part) for part in said.split(", ")]
    words = {CODE_EDITED: "已修改", CODE_REMOVED: "已删除"}
    parts = [f"{m.group(1)} {words[m.group(2)]}" for m in found if m is not None]
    # Not bridge's words whole (a path with ", " in it): kept as written rather than guessed.
    return "、".join(parts) if len(parts) == len(found) else said


def changed_words(old: str, new: str) -> str:
    """
    ``old → new`` shown by the words that differ (a long command changes in one word).
    """
    a, b = old.split(" "), new.split(" ")
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    # A word added or dropped leaves one side empty: show the word before it (or after it, at
    # the start) on both sides, so the line reads "… o → … o --steps 2", not "…  → … --steps 2".
    if start == len(a) - end or start == len(b) - end:
        if start:
            start -= 1
        elif end:
            end -= 1
    left = "… " if start else ""
    right = " …" if end else ""
    mid_a = " ".join(a[start : len(a) - end])
    mid_b = " ".join(b[start : len(b) - end])
    return f"{left}{mid_a}{right} → {left}{mid_b}{right}"


def change_words(change: ev.SpecChange, zh: bool) -> str:
    """
    One changed field, ``field: old → new``; the edit of a run's code (``code: as run →
    train.py edited``) in Chinese where ``zh``: a setting's name and values stay as written.
    """
    if zh and change.field == CODE_FIELD and change.old == AS_RUN:
        return f"代码：运行时的版本 → {code_change_in_language(change.new, 'zh')}"
    if not change.old or not change.new:
        # A field set where it was not, or unset: 012's R003 read "seed:  → 1103".
        unset = "（未设）" if zh else "(unset)"
        return f"{change.field}: {change.old or unset} → {change.new or unset}"
    return f"{change.field}: {changed_words(change.old, change.new)}"


def kept_in_language(changes: Sequence[ev.SpecChange], language: str) -> tuple[str, str]:
    """
    What a run kept as it ran (``RunKeptAsRan.changes``) is said with, in ``language``: the
    kind of inputs its numbers come from (``earlier settings``, ``earlier code``, ``earlier
    settings and code``) and each change, ``field: old → new``, joined by ``; ``.
    """
    zh = language == "zh"
    code = any(c.field == CODE_FIELD for c in changes)
    settings = any(c.field != CODE_FIELD for c in changes)
    if zh:
        kind = "旧设置与旧代码" if code and settings else "旧代码" if code else "旧设置"
    else:
        kind = (
            "earlier settings and code"
            if code and settings
            else "earlier code"
            if code
            else "earlier settings"
        )
    return kind, ("；" if zh else "; ").join(change_words(c, zh) for c in changes)


def kept_retry(run_ids: Sequence[str]) -> str:
    """
    The command that runs succeeded runs kept as they ran again, with the inputs as they are:
    these runs by id (``--force``: they succeeded), where ``--changed`` would run every run
    kept as it ran.
    """
    return f"bridge retry --force {' '.join(run_ids)}"


# How the reason opens when the plan holds on rows the tracker says are RUNNING that bridge
# never launched (steps/elsewhere.py), and the ids it names: `bridge status` shows those rows
# as running elsewhere, not as TODO (032's E05 while the plan was held on it).
RUNNING_ELSEWHERE = "the tracker says {ids} RUNNING, and bridge did not launch {them}"
_ELSEWHERE = lazy(r"the tracker says (.+?) RUNNING, and bridge did not launch (?:it|them)")


def running_elsewhere(reason: str) -> frozenset[str]:
    """
    The run ids a blocked reason of :data:`RUNNING_ELSEWHERE`'s form names (none otherwise).
    """
    found = _ELSEWHERE.match(reason)
    return frozenset(found.group(1).split(", ")) if found else frozenset()


# The start of a run's failure reason (bridge/machine/outcomes.py, scheduler.py, dispatch.py).
_FAILURES: tuple[tuple[LazyPattern, str], ...] = (
    (lazy(r"exit 0 but expected outputs missing: "), "退出码 0，但缺少预期的输出："),
    (
        lazy(rf"exit (-?\d+): {re.escape(CUDA_ON_CPU)}; its log's last line: "),
        r"退出码 \1：脚本使用了 CUDA，但该运行没有申请 GPU（gpus = 0），在 CPU 上运行："
        r"请让脚本在 CPU 上运行，或在 bridge.toml 中设置 gpus 为该运行分配 GPU；其日志最后一行：",
    ),
    (lazy(r"exit (-?\d+): "), r"退出码 \1："),
    (lazy(r"exit (-?\d+)$"), r"退出码 \1"),
    # A run that asked for a GPU ran out of GPU memory; one that asked for none, of the host's.
    (
        lazy(r"out of GPU memory (\d+) times \((\d+) attempts\)"),
        r"显存不足 \1 次（\2 次尝试）",
    ),
    (lazy(r"out of GPU memory: "), "显存不足："),
    (lazy(r"out of memory (\d+) times \((\d+) attempts\)"), r"内存不足 \1 次（\2 次尝试）"),
    (lazy(r"out of memory: "), "内存不足："),
    (lazy(r"launch failed: "), "启动失败："),
    (lazy(r"not run: "), "未运行："),
    (lazy(r"results could not be copied back: "), "结果无法拷回："),
    (lazy(r"(\S+) has no trace of (\S+)"), r"\1 上没有 \2 的记录"),
    # why a sanity run does not pass (bridge/pipeline/steps/sanity.py, gpu_bounds.py)
    (lazy(r"no metric could be read from its outputs"), "无法从其输出中读取任何指标"),
    (lazy(r"unreadable output (\S+): "), r"无法读取的输出 \1："),
    (
        lazy(r"recorded (\S+) = (\S+): the row's (.+?) says it failed$"),
        r"记录的 \1 = \2：该行的 \3 表明它未通过",
    ),
    (
        lazy(r"GPU memory peaked at (\S+) GB, over \[run\] max_gpu_memory_gb = (\S+)$"),
        r"GPU 显存峰值 \1 GB，超过 [run] max_gpu_memory_gb = \2",
    ),
    (
        lazy(
            r"GPU memory peaked at (\S+) GB, more than its (?:GPU's|(\d+) GPUs') (\S+) GB "
            r"\(the run's `gpus` is (\d+)\)$"
        ),
        r"GPU 显存峰值 \1 GB，超过其 GPU 的 \3 GB（该运行的 `gpus` 为 \4）",
    ),
    (
        lazy(
            r"GPU memory peaked at (\S+) GB, within \[run\] gpu_memory_margin_gb = (\S+) of "
            r"its (?:GPU's|(\d+) GPUs') (\S+) GB$"
        ),
        r"GPU 显存峰值 \1 GB，与其 GPU 的 \4 GB 相差不到 [run] gpu_memory_margin_gb = \2",
    ),
)

# What a failure means and its fix (bridge/machine/classify.py), in Chinese.
_MEANINGS = {
    "it exited 0 but did not write its expected outputs": "退出码为 0，但没有写出预期的输出",
    "command not found (exit 127)": "找不到命令（退出码 127）",
    "the program cannot be executed (exit 126)": "程序无法执行（退出码 126）",
    "a file it needs does not exist": "它需要的文件不存在",
    "a Python module could not be imported": "无法导入某个 Python 模块",
    "the script refused its arguments (exit 2)": "脚本拒绝了它的参数（退出码 2）",
    "out of memory": "内存不足",
    "the script used CUDA (a GPU) on a run that asked for no GPU": (
        "脚本在没有申请 GPU 的运行中使用了 CUDA（GPU）"
    ),
    "its GPU memory peak is above the bound sanity checks": "其 GPU 显存峰值超过健全性检查的上限",
    "killed (exit 137: SIGKILL, often the out-of-memory killer)": (
        "被终止（退出码 137：SIGKILL，常见于内存耗尽时被系统终止）"
    ),
    "it ran past its timeout": "运行超过了时限",
    "its metrics could not be read": "无法读取其指标",
    "its own check failed": "它自己的检查未通过",
    "a number it recorded cannot be trusted (not finite, or a loss that diverged)": (
        "它记录的数值不可信（非有限值，或损失发散）"
    ),
}
_FIXES = {
    "fix what the check tests (its log says what), then `bridge retry` the run": (
        "修正该检查所检验的内容（见其日志），然后 `bridge retry` 该运行"
    ),
    "make the script write them under the folder given as {output_dir}, or correct `outputs` "
    "in bridge.toml": "让脚本把它们写到 {output_dir} 指定的文件夹下，或修正 bridge.toml 中的 "
    "`outputs`",
    "correct the program in the command (`[run] command`, or the system's `command`, in "
    "bridge.toml), or install it on the backend's PATH": "修正命令中的程序（bridge.toml 中的 "
    "`[run] command` 或该系统的 `command`），或把它安装到后端的 PATH 上",
    "make it executable (chmod +x) or call it through its interpreter in the command": (
        "使其可执行（chmod +x），或在命令中通过解释器调用它"
    ),
    "create the file, or correct its path in the command or the script": (
        "创建该文件，或修正命令或脚本中的路径"
    ),
    "install it in the environment the command runs in, or correct the import": (
        "在命令运行的环境中安装它，或修正导入"
    ),
    "make the command (`[run] command`) and its arguments (`[run] args`, the systems' `args`) "
    "match the script's options": "让命令（`[run] command`）及其参数（`[run] args`、各系统的 "
    "`args`）与脚本的选项一致",
    "make the script run on the CPU, or set `gpus` in bridge.toml's `[run]` (or the system's "
    "table) so that the run is given a GPU": (
        "让脚本在 CPU 上运行，或在 bridge.toml 的 `[run]`（或该系统的表）中设置 `gpus`，"
        "为该运行分配 GPU"
    ),
    "lower the batch size or memory use, or give the run more GPUs or memory": (
        "减小批大小或内存用量，或给运行更多 GPU 或内存"
    ),
    "lower the batch size or model size, or give the run more GPUs; if the framework reserves "
    "GPU memory up front (TensorFlow, JAX), set `[run] max_gpu_memory_gb` (or "
    "`gpu_memory_margin_gb = 0`) in bridge.toml": "减小批大小或模型规模，或给运行更多 GPU；"
    "若框架预先占用 GPU 显存（TensorFlow、JAX），请在 bridge.toml 中设置 "
    "`[run] max_gpu_memory_gb`（或 `gpu_memory_margin_gb = 0`）",
    "lower the memory use, or give the run more memory": "降低内存用量，或给运行更多内存",
    "raise `timeout_minutes` in bridge.toml, or make the run shorter": (
        "调大 bridge.toml 中的 `timeout_minutes`，或缩短运行"
    ),
    "write the metrics to a file `[metrics] files` names (JSON or CSV), or correct `[metrics]` "
    "in bridge.toml": "把指标写入 `[metrics] files` 指定的文件（JSON 或 CSV），或修正 "
    "bridge.toml 中的 `[metrics]`",
    "find why the training broke (learning rate, data, a division by zero) in its log and the "
    "file and step the finding names": (
        "在其日志以及发现所指的文件和步数中查明训练为何出错（学习率、数据、除以零）"
    ),
    "correct the error its log shows (the last error line is quoted)": (
        "修正其日志中显示的错误（上面引用了最后一行错误）"
    ),
}


# How a must-run run ended, as a cancel reason names it (its state's value), in Chinese.
_ENDED = {
    "failed": "已失败",
    # The state alone does not say whose memory ran out (a CPU run's is the host's: 025).
    "failed_oom": "已因内存或显存不足失败",
    "timed_out": "已超时",
    "lost": "已丢失",
    "cancelled": "已被取消",
    "stuck": "已卡住",
    "failed before bridge": "在 bridge 之前已失败",
}
_MILESTONE_ENDED = lazy(r"milestone (.+?) must-run (\S+) ended (\w+(?: before bridge)?)")

# Why a run was not run, after "not run: " (bridge/machine/scheduler.py, pipeline/dispatch.py),
# whole. The recorded reason stays English: pipeline/retries.py reads the failed run's id back
# from it, so only what is shown is translated (020's "未运行：milestone M2 must-run …").
_NOT_RUN: tuple[tuple[LazyPattern, str], ...] = (
    (lazy(r"dependency (\S+) failed"), r"它依赖的 \1 失败了"),
    (lazy(r"dependency (\S+) was cancelled"), r"它依赖的 \1 已被取消"),
    (
        lazy(r"milestone (.+?) must-run (\S+) waits for its code"),
        r"里程碑 \1 的必做运行 \2 在等待其代码写好",
    ),
    (lazy(r"unknown dependency (\S+)"), r"未知的依赖 \1"),
    (
        lazy(r"dependency (\S+) is out of scope in the tracker"),
        r"它依赖的 \1 在追踪表中不在范围内",
    ),
    (
        lazy(r'(\S+) more GPU-hours would pass the budget of (\S+) \(budget = "enforce"\)'),
        r'再用 \1 GPU 小时将超出 \2 的预算（budget = "enforce"）',
    ),
    (
        # "GPU(s)" in a log written before the plural was said (session 38).
        lazy(r"needs (\d+) GPU(?:s|\(s\))? on one host; the backend has at most (\d+)"),
        r"需要一台主机上的 \1 个 GPU；后端最多只有 \2 个",
    ),
    (
        lazy(r"a run it depends on, or its milestone, cannot go on"),
        "它依赖的运行或其里程碑无法继续",
    ),
)
_NOT_RUN_PREFIX = "not run: "


def _not_run_in_chinese(why: str) -> str | None:
    """Why a run was not run (after ``not run: ``) in Chinese, or ``None`` when bridge did not
    write all of it (an adapter's error, kept as written)."""
    ended = _MILESTONE_ENDED.fullmatch(why)
    if ended is not None and ended.group(3) in _ENDED:
        milestone, run_id, state = ended.groups()
        return f"里程碑 {milestone} 的必做运行 {run_id} {_ENDED[state]}"
    for pattern, replacement in _NOT_RUN:
        found = pattern.fullmatch(why)
        if found is not None:
            return found.expand(replacement)
    return None


def failure_in_language(reason: str, language: str) -> str:
    """
    A run's failure reason in ``language`` (``"zh"``; anything else returns it unchanged):
    bridge's words at its start in Chinese, the program's error line as written. A cancel's
    ``not run: …`` is Chinese whole when bridge wrote all of it (a failed milestone or
    dependency, the budget, the GPUs); otherwise only its start.
    """
    if language != "zh":
        return reason
    if reason.startswith(_NOT_RUN_PREFIX):
        why = _not_run_in_chinese(reason[len(_NOT_RUN_PREFIX) :])
        if why is not None:
            return f"未运行：{why}"
    for pattern, replacement in _FAILURES:
        found = pattern.match(reason)
        if found is not None:
            rest = _KILLED.sub(_killed_in_chinese, reason[found.end() :], count=1)
            return found.expand(replacement) + rest
    for meaning, said in _MEANINGS.items():
        # What a failure means (a blocked line's "R0: the script refused its arguments (exit
        # 2)"), then the detail it quotes as written.
        if reason.startswith(meaning):
            return said + reason[len(meaning) :].replace(" — ", " —— ", 1)
    for english, chinese in _STOPPED.items():
        if reason == english:
            return chinese
    return reason


# The signal that ended a run, after its exit code (bridge/machine/classify.py `killed_by`),
# and the log line quoted after it.
_KILLED = lazy(
    r"^killed by (?P<signal>SIG[A-Z0-9]+)(?P<oom> \(the kernel's OOM killer also sends this\))?"
    r"(?:; its log's last line: )?"
)


def _killed_in_chinese(found: re.Match[str]) -> str:
    said = f"被 {found['signal']} 终止" + (
        "（内核的 OOM killer 也会发送此信号）" if found["oom"] else ""
    )
    return said + ("；其日志最后一行：" if found.group(0).endswith(": ") else "")


# Why a backend says an attempt stopped, whole.
_STOPPED = {"stopped by cancel": "已被取消", "cancelled by a person": "已由人取消"}


_FAILED_RUNS = lazy(r"(?P<ids>[^:]+): (?P<what>.*)\. Fix: (?P<fix>.*)", re.DOTALL)


_RUNS_WITH = lazy(r"none of its own; it runs again with (\S+)")


def failure_finding_in_language(message: str, language: str) -> str | None:
    """
    The finding that explains failed runs (``R1, R2: <what>. Fix: <fix>``) in ``language``;
    ``None`` when ``message`` is not one (or ``language`` is not ``"zh"``).
    """
    if language != "zh":
        return None
    found = _FAILED_RUNS.fullmatch(message)
    if found is None:
        return None
    waits = _RUNS_WITH.fullmatch(found.group("fix"))
    if waits is not None:  # a run cancelled for the one it waits for (pipeline/steps/sanity.py)
        what = failure_in_language(found.group("what"), language)
        return f"{found.group('ids')}：{what}。修复：无需单独修复；它会随 {waits.group(1)} 再次运行"
    if found.group("fix") not in _FIXES:
        return None
    what = found.group("what")
    meaning, dash, detail = what.partition(" — ")
    if dash and meaning in _MEANINGS:
        what = f"{_MEANINGS[meaning]} — {failure_in_language(detail, language)}"
    elif meaning != GENERIC_FAILURE:
        what = failure_in_language(what, language)
    return f"{found.group('ids')}：{what}。修复：{_FIXES[found.group('fix')]}"


# Why a run is scheduled again (bridge/machine/scheduler.py, bridge/pipeline/steps/), whole.
_RETRIES: tuple[tuple[LazyPattern, str], ...] = (
    (lazy(r"failed; retry (\d+) of (\d+)"), r"失败；第 \1 次重试（共 \2 次）"),
    # A launch the backend refused or could not start (bridge/machine/scheduler.py's backoff).
    (
        lazy(r"launch failed; retry (\d+) of (\d+) after (\S+)s"),
        r"启动失败；\3 秒后第 \1 次重试（共 \2 次）",
    ),
    (
        lazy(r"out of memory; retry (\d+) after (\S+)s on another GPU"),
        r"显存不足；\2 秒后在另一块 GPU 上第 \1 次重试",
    ),
    # A run with no GPU whose log says a GPU's memory ran out (it used one all the same).
    (lazy(r"out of GPU memory; retry (\d+) after (\S+)s"), r"显存不足；\2 秒后第 \1 次重试"),
    # A run with no GPU: its host's memory ran out.
    (lazy(r"out of memory; retry (\d+) after (\S+)s"), r"内存不足；\2 秒后第 \1 次重试"),
    (lazy(r"lost \((.*)\); relaunching", re.DOTALL), r"丢失（\1）；重新启动"),
    (lazy(r"sanity runs again"), "健全性运行再次执行"),
    (
        lazy(r"rescued: (\d+) runs of (\S+) failed the same way"),
        r"已救援：\2 的 \1 个运行以相同方式失败",
    ),
    (lazy(r"rescued: (\d+) runs failed the same way"), r"已救援：\1 个运行以相同方式失败"),
    (lazy(r"inputs changed: (.*)", re.DOTALL), r"输入已变更：\1"),
    (lazy(r"retry asked by a person"), "由人要求重试"),
    # A row ruled out as gone (split into seeds, removed) that the plan has again (steps/code.py
    # `_put_back`): 018's `重试: JPH-B2-FX-S0 is in the plan again` (trial t11).
    (lazy(r"(\S+) is in the plan again"), r"\1 重新回到计划中"),
    (
        lazy(r"(\S+)'s tracker row no longer says it ended failed before bridge"),
        r"追踪表中 \1 的行不再写着它在 bridge 之前已失败",
    ),
    (
        lazy(r"(\S+)'s tracker row no longer says its code is not written yet"),
        r"追踪表中 \1 的行不再写着其代码尚未写好",
    ),
    (
        lazy(r"(\S+)'s tracker row now takes it out of scope"),
        r"追踪表中 \1 的行现已将其排除在范围之外",
    ),
    (lazy(r"the tracker's row now says that it is to run"), "追踪表的行现在写着要运行"),
    # The runs bridge cancelled because of a run whose row was set back to TODO (code.reload).
    (lazy(r"the tracker now says to run (.+)", re.DOTALL), r"追踪表现在写着要运行 \1"),
    (
        lazy(r"the tracker's row now says status '(.*)'", re.DOTALL),
        r"追踪表的行现在的状态为「\1」",
    ),
    (lazy(r"the tracker's row now says (.*)", re.DOTALL), r"追踪表的行现在写着 \1"),
    (
        lazy(r"its settings changed \(inputs changed: (.*)\)", re.DOTALL),
        r"其设置已变更（输入已变更：\1）",
    ),
)
_WAITED_FOR = " (a run it waits for runs again)"


def stopped_clause(reason: str, *, by_bridge: bool) -> str:
    """
    The clause a retry's reason ends with when the run had been cancelled before it was asked
    for again: by a person (``bridge cancel``), or by bridge with ``reason`` (its ``not run:
    …``, when a run it waited for or its milestone could not go on).
    """
    return f"{CANCELLED_BY_BRIDGE} ({reason})" if by_bridge else CANCELLED_BY_PERSON


def stopped_in_language(clause: str, language: str) -> str:
    """:func:`stopped_clause` in ``language`` (``"zh"``; anything else as written)."""
    if language != "zh":
        return clause
    if clause == CANCELLED_BY_PERSON:
        return "它此前已由人取消（`bridge cancel`）"
    if clause.startswith(f"{CANCELLED_BY_BRIDGE} (") and clause.endswith(")"):
        why = clause[len(CANCELLED_BY_BRIDGE) + 2 : -1]
        return f"bridge 此前已取消它（{failure_in_language(why, language)}）"
    return clause


def retry_in_language(reason: str, language: str) -> str:
    """
    Why a run is scheduled again, in ``language`` (``"zh"``; anything else returns it
    unchanged), when it is one of bridge's reasons whole; any other as written.
    """
    if language != "zh":
        return reason
    for clause in (f"; {CANCELLED_BY_PERSON}", f"; {CANCELLED_BY_BRIDGE} ("):
        head, found, tail = reason.partition(clause)
        if found:
            said = stopped_in_language(found[2:] + tail, language)
            return f"{retry_in_language(head, language)}；{said}"
    if reason.endswith(_WAITED_FOR):
        return retry_in_language(reason[: -len(_WAITED_FOR)], language) + "（它等待的运行再次运行）"
    if changed := _CODE_CHANGED.fullmatch(reason):
        return f"其代码已变更（{code_change_in_language(changed.group(1), language)}）"
    for pattern, replacement in _RETRIES:
        if pattern.fullmatch(reason):
            return pattern.sub(replacement, reason)
    return reason
