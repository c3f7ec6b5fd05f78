"""
Why runs failed and why the pipeline is blocked, in Chinese for a Chinese plan: bridge's words
rewritten, the program's error line as written; English unchanged.
"""

from __future__ import annotations

import re

import pytest

from bridge.machine.classify import GENERIC_FAILURE, explain_failure
from bridge.projections.failure_words import (
    code_change_in_language,
    failure_in_language,
    retry_in_language,
)
from bridge.projections.finding_words import (
    blocked_in_language,
    finding_in_language,
    stage_reason_in_language,
)
from tests.english_left import english_left

# One recorded failure reason for each meaning bridge knows, and one it does not.
_REASONS = [
    "exit 0 but expected outputs missing: metrics.json",
    "exit 127: sh: 1: trainx: not found",
    "exit 126: Permission denied",
    "exit 2: python: can't open file 'train.py'",
    "exit 1: ModuleNotFoundError: No module named 'torch'",
    "exit 2: train.py: error: unrecognized arguments: --lr",
    "out of memory: CUDA out of memory. Tried to allocate 2.00 GiB",
    "GPU memory peaked at 30.00 GB, over [run] max_gpu_memory_gb = 24",
    "exit 137: Killed",
    "timed_out",
    "no metric could be read from its outputs",
    "exit 1: ValueError: the loss went the wrong way",
]
# The program's own words in those reasons (its error lines), kept as written.
_THEIRS = {
    "metrics",
    "trainx",
    "found",
    "Permission",
    "denied",
    "python",
    "open",
    "file",
    "train",
    "ModuleNotFoundError",
    "module",
    "named",
    "torch",
    "error",
    "unrecognized",
    "arguments",
    "CUDA",
    "memory",
    "Tried",
    "allocate",
    "Killed",
    "ValueError",
    "loss",
    "went",
    "wrong",
}


@pytest.mark.parametrize("reason", _REASONS)
def test_the_finding_for_failed_runs_in_chinese(reason: str) -> None:
    """The finding bridge writes for failed runs (what it means, the fix), as
    bridge/pipeline/steps/sanity.py composes it from classify.explain_failure."""
    meaning, fix = explain_failure(reason)
    detail = re.sub(r"^exit \d+: ", "", reason)
    what = reason if meaning == GENERIC_FAILURE else f"{meaning} — {detail}"
    message = f"R1, R2: {what}. Fix: {fix}"
    assert finding_in_language(message, "en") == message
    chinese = finding_in_language(message, "zh")
    assert chinese.startswith("R1, R2："), chinese
    assert "修复：" in chinese
    # What is left in English is the program's error line, and names.
    recorded = {"PATH", "chmod", "TensorFlow", "SIGKILL"}
    assert english_left(chinese, _THEIRS | recorded) == [], chinese
    assert english_left(message, _THEIRS | recorded), message


def test_the_finding_for_a_run_cancelled_for_another_in_chinese() -> None:
    """A sanity run cancelled because the run it waits for failed has no fix of its own
    (bridge/pipeline/steps/sanity.py)."""
    message = "R8: not run: dependency R7 failed. Fix: none of its own; it runs again with R7"
    assert finding_in_language(message, "zh") == (
        "R8：未运行：它依赖的 R7 失败了。修复：无需单独修复；它会随 R7 再次运行"
    )


def test_a_runs_failure_reason_in_chinese() -> None:
    reason = "exit 1: ValueError: the loss went the wrong way"
    assert failure_in_language(reason, "en") == reason
    assert failure_in_language(reason, "zh") == "退出码 1：ValueError: the loss went the wrong way"
    # GPU memory only where the run asked for a GPU (025's CPU run read 显存不足).
    assert failure_in_language("out of GPU memory 3 times (4 attempts)", "zh") == (
        "显存不足 3 次（4 次尝试）"
    )
    assert failure_in_language("out of memory 3 times (4 attempts)", "zh") == (
        "内存不足 3 次（4 次尝试）"
    )
    assert failure_in_language("out of GPU memory: CUDA out of memory", "zh") == (
        "显存不足：CUDA out of memory"
    )
    assert failure_in_language("out of memory: Killed", "zh") == "内存不足：Killed"
    # Both read as running out of memory, with its fix (the rescue and the sanity finding).
    assert explain_failure("out of GPU memory 3 times (3 attempts)")[0] == "out of memory"
    assert failure_in_language("the host said no", "zh") == "the host said no"
    # The signal that ended a run, in Chinese; the log line it was writing as written.
    killed = (
        "exit 137: killed by SIGKILL (the kernel's OOM killer also sends this); its log's "
        "last line: starting stratified analysis"
    )
    assert failure_in_language(killed, "zh") == (
        "退出码 137：被 SIGKILL 终止（内核的 OOM killer 也会发送此信号）；其日志最后一行："
        "starting stratified analysis"
    )
    assert failure_in_language("exit 143: killed by SIGTERM", "zh") == "退出码 143：被 SIGTERM 终止"


def test_retry_reasons_in_chinese() -> None:
    assert retry_in_language("failed; retry 1 of 2", "zh") == "失败；第 1 次重试（共 2 次）"
    assert retry_in_language("failed; retry 1 of 2", "en") == "failed; retry 1 of 2"
    assert retry_in_language("rescued: 3 runs of M1 failed the same way", "zh") == (
        "已救援：M1 的 3 个运行以相同方式失败"
    )
    assert retry_in_language("rescued: 3 runs failed the same way", "zh") == (
        "已救援：3 个运行以相同方式失败"
    )
    # 018 and 025 as a new user saw them: "重试: the tracker's row now says …"
    assert retry_in_language("the tracker's row now says TODO", "zh") == "追踪表的行现在写着 TODO"
    assert retry_in_language("retry asked by a person", "zh") == "由人要求重试"
    assert retry_in_language("R011's tracker row now takes it out of scope", "zh") == (
        "追踪表中 R011 的行现已将其排除在范围之外"
    )
    # 018 (trial S1): a Status set on a row bridge ran, quoted whole in Chinese.
    assert retry_in_language("the tracker's row now says status 'stopped'", "zh") == (
        "追踪表的行现在的状态为「stopped」"
    )
    # 023: the runs a row held come back when the row no longer holds them.
    assert retry_in_language(
        "R020's tracker row no longer says its code is not written yet", "zh"
    ) == ("追踪表中 R020 的行不再写着其代码尚未写好")
    assert retry_in_language(
        "R005's tracker row no longer says it ended failed before bridge", "zh"
    ) == ("追踪表中 R005 的行不再写着它在 bridge 之前已失败")
    assert retry_in_language("the tracker's row now says that it is to run", "zh") == (
        "追踪表的行现在写着要运行"
    )
    # A cancelled run asked for again says who had stopped it (009's R003 and R005).
    assert retry_in_language(
        "retry asked by a person; it had been cancelled by a person (`bridge cancel`)", "zh"
    ) == ("由人要求重试；它此前已由人取消（`bridge cancel`）")
    assert retry_in_language(
        "the tracker's row now says that it is to run; bridge had cancelled it (not run: "
        "milestone M2 must-run R003 ended cancelled)",
        "zh",
    ) == (
        "追踪表的行现在写着要运行；bridge 此前已取消它（未运行："
        "里程碑 M2 的必做运行 R003 已被取消）"
    )
    assert retry_in_language(
        "the tracker now says to run R003 (a run it waits for runs again)", "zh"
    ) == ("追踪表现在写着要运行 R003（它等待的运行再次运行）")
    assert retry_in_language(
        "its settings changed (inputs changed: bridge.toml) (a run it waits for runs again)", "zh"
    ) == ("其设置已变更（输入已变更：bridge.toml）（它等待的运行再次运行）")
    # A failed run whose script was fixed: "重试: its code changed (scripts/job.py edited)".
    assert retry_in_language(
        "its code changed (scripts/job.py edited, scripts/util.py removed)", "zh"
    ) == ("其代码已变更（scripts/job.py 已修改、scripts/util.py 已删除）")
    assert retry_in_language("its code changed (job.py edited)", "en") == (
        "its code changed (job.py edited)"
    )


def test_what_changed_in_a_runs_code_in_chinese() -> None:
    """The paths as written, bridge's word for each in Chinese; words that are not bridge's
    whole stay as written rather than guessed."""
    assert code_change_in_language("my dir/train.py edited", "zh") == "my dir/train.py 已修改"
    assert code_change_in_language("a.py removed, b.py edited", "zh") == "a.py 已删除、b.py 已修改"
    assert code_change_in_language("a.py edited", "en") == "a.py edited"
    assert code_change_in_language("a.py rewritten", "zh") == "a.py rewritten"


def test_what_a_failure_means_and_a_cancel_in_chinese() -> None:
    """018's blocked line ended "…：the script refused its arguments (exit 2)"; its notes said
    "stopped by cancel"."""
    assert blocked_in_language(
        "sanity fails repeatedly: R0: the script refused its arguments (exit 2)", "zh"
    ) == ("健全性检查反复失败：R0：脚本拒绝了它的参数（退出码 2）")
    assert failure_in_language("stopped by cancel", "zh") == "已被取消"
    assert failure_in_language("stopped by cancel", "en") == "stopped by cancel"


@pytest.mark.parametrize(
    ("reason", "chinese"),
    [
        (
            "milestone M1: R5, R8 failed the same way: R5, R8: exit 1: ValueError: boom",
            "里程碑 M1：R5, R8 以相同方式失败：R5, R8：退出码 1：ValueError: boom",
        ),
        # A plan with no milestones (025): the runs named alone, not "milestone : …".
        (
            "E-rag-sft, A1 failed the same way: E-rag-sft, A1: exit 1: ValueError: boom",
            "E-rag-sft, A1 以相同方式失败：E-rag-sft, A1：退出码 1：ValueError: boom",
        ),
        (
            "the runs still fail after 2 rescue rounds: A1: exit 1: ValueError: boom",
            "这些运行经过 2 轮救援仍然失败：A1：退出码 1：ValueError: boom",
        ),
        (
            "the same sanity failure twice: S1: exit 2: usage: job.py",
            "健全性检查两次以相同方式失败：S1：退出码 2：usage: job.py",
        ),
        (
            "code review found 1 blocking issue: R2: the script scripts/gone.py does not "
            "exist in the project",
            "代码评审发现 1 个阻断问题：R2：脚本 scripts/gone.py 在项目中不存在",
        ),
        # As a log written before the plural was said (session 38) holds it.
        (
            "code review found 1 blocking issue(s): R2: the script scripts/gone.py does not "
            "exist in the project",
            "代码评审发现 1 个阻断问题：R2：脚本 scripts/gone.py 在项目中不存在",
        ),
        ("implementation failed: agent exited 1", "实现失败：agent exited 1"),
        ("something bridge has no Chinese for", "something bridge has no Chinese for"),
    ],
)
def test_blocked_reasons_in_chinese(reason: str, chinese: str) -> None:
    assert blocked_in_language(reason, "en") == reason
    assert blocked_in_language(reason, "zh") == chinese


@pytest.mark.parametrize(
    ("reason", "chinese"),
    [
        (
            "auto_deploy is off: waiting for `bridge approve`",
            "auto_deploy 已关闭：等待 `bridge approve`",
        ),
        ("sanity failed once; running it again", "健全性检查失败一次；再运行一次"),
        ("2 proposed run(s) need approval", "2 个提议的运行需要批准"),
        ("1 run(s) added to the plan: R9", "计划新增 1 个运行：R9"),
        ("1 run added to the plan: R9", "计划新增 1 个运行：R9"),
        (
            "2 runs added to the plan and 1 to run again: R9, R10, P1",
            "计划新增 2 个运行，1 个运行需重新运行：R9, R10, P1",
        ),
        ("1 proposed run needs approval", "1 个提议的运行需要批准"),
        ("2 runs to run again: P1, P2", "2 个运行需重新运行：P1, P2"),
        ("2 run(s) to run again: P1, P2", "2 个运行需重新运行：P1, P2"),
        ("1 run(s) back in the plan by a tracker edit: R020", "1 个运行按追踪表重新计划：R020"),
        (
            "1 run(s) added to the plan and 1 to run again: R9, P1",
            "计划新增 1 个运行，1 个运行需重新运行：R9, P1",
        ),
        ("inputs changed (plan, bridge.toml)", "输入已变更（plan, bridge.toml）"),
        ("sanity failed: S1: exit 1: boom", "健全性检查失败：S1：退出码 1：boom"),
        ("a reason bridge has no Chinese for", "a reason bridge has no Chinese for"),
    ],
)
def test_stage_reasons_in_chinese(reason: str, chinese: str) -> None:
    assert stage_reason_in_language(reason, "en") == reason
    assert stage_reason_in_language(reason, "zh") == chinese


@pytest.mark.parametrize(
    ("reason", "chinese"),
    [
        # 020: R030 after its milestone's must-run R021 failed (bridge/machine/scheduler.py).
        (
            "not run: milestone M2 must-run R021 ended failed",
            "未运行：里程碑 M2 的必做运行 R021 已失败",
        ),
        # 005: R005 is FAIL in the tracker (bridge/machine/scheduler.py).
        (
            "not run: milestone M1 must-run R005 ended failed before bridge",
            "未运行：里程碑 M1 的必做运行 R005 在 bridge 之前已失败",
        ),
        # 023: R031 after M2's must-run R020 waits for its code (bridge/machine/scheduler.py).
        (
            "not run: milestone M2 must-run R020 waits for its code",
            "未运行：里程碑 M2 的必做运行 R020 在等待其代码写好",
        ),
        (
            "not run: milestone M1 must-run R3 ended timed_out",
            "未运行：里程碑 M1 的必做运行 R3 已超时",
        ),
        # 034's milestones are named in words ("Ablations complete"), spaces and all.
        (
            "not run: milestone Ablations complete must-run R005 ended failed",
            "未运行：里程碑 Ablations complete 的必做运行 R005 已失败",
        ),
        (
            "not run: milestone Main results must-run R020 waits for its code",
            "未运行：里程碑 Main results 的必做运行 R020 在等待其代码写好",
        ),
        ("not run: dependency R1 failed", "未运行：它依赖的 R1 失败了"),
        # 011's R028 behind R027, itself cancelled behind R025.
        ("not run: dependency R27 was cancelled", "未运行：它依赖的 R27 已被取消"),
        ("not run: unknown dependency R9", "未运行：未知的依赖 R9"),
        (
            "not run: dependency R4 is out of scope in the tracker",
            "未运行：它依赖的 R4 在追踪表中不在范围内",
        ),
        # bridge/pipeline/dispatch.py
        (
            'not run: 2.50 more GPU-hours would pass the budget of 10 (budget = "enforce")',
            '未运行：再用 2.50 GPU 小时将超出 10 的预算（budget = "enforce"）',
        ),
        (
            "not run: needs 4 GPUs on one host; the backend has at most 2",
            "未运行：需要一台主机上的 4 个 GPU；后端最多只有 2 个",
        ),
        (
            "not run: needs 1 GPU on one host; the backend has at most 0",
            "未运行：需要一台主机上的 1 个 GPU；后端最多只有 0 个",
        ),
        # As a log written before the plural was said (session 38) holds it.
        (
            "not run: needs 4 GPU(s) on one host; the backend has at most 2",
            "未运行：需要一台主机上的 4 个 GPU；后端最多只有 2 个",
        ),
        (
            "not run: a run it depends on, or its milestone, cannot go on",
            "未运行：它依赖的运行或其里程碑无法继续",
        ),
        # An adapter's error after "not run: " stays as written.
        (
            "not run: ssh: connect to host gpu1: refused",
            "未运行：ssh: connect to host gpu1: refused",
        ),
    ],
)
def test_why_a_run_was_not_run_in_chinese(reason: str, chinese: str) -> None:
    """The recorded reason stays English (retries.py reads the failed run's id back from it);
    what a Chinese plan's researcher reads is Chinese."""
    assert failure_in_language(reason, "en") == reason
    assert failure_in_language(reason, "zh") == chinese


@pytest.mark.parametrize(
    "problem",
    [
        "lens_loss: lens_loss is NaN at step 200 (1 of 5 points) in out/lens.jsonl (json:lens)",
        "accuracy: accuracy = NaN in out/metrics.json (json:accuracy)",
        "loss: loss rose from 0.5 to 6 over the last 5 points; best was 0.5 (more than 3× "
        "allowed) in out/log.csv (csv:loss)",
    ],
)
def test_a_sanity_run_with_a_number_it_cannot_trust_is_explained(problem: str) -> None:
    """034's R001 exited 0 with a NaN in its series: its finding read "it failed … correct the
    error its log shows", for a log with no error."""
    meaning, fix = explain_failure(problem)
    assert meaning.startswith("a number it recorded cannot be trusted"), meaning
    assert "the file and step the finding names" in fix
    chinese = finding_in_language(f"R001: {meaning} — {problem}. Fix: {fix}", "zh")
    assert "它记录的数值不可信" in chinese and "查明训练为何出错" in chinese, chinese


def test_a_sanity_check_held_again_reads_in_chinese() -> None:
    """The reasons a sanity run run again after collection holds the plan with (a run that
    failed, the sanity criterion not met) were English beside Chinese stage lines."""
    failed = (
        "S1: exit code 1. 1 sanity run ran again after the sanity milestone passed and "
        "did not pass: fix the cause and `bridge retry S1`"
    )
    assert blocked_in_language(failed, "zh") == (
        "S1: exit code 1。健全性里程碑通过后再次运行的健全性运行未通过：修复原因后运行 "
        "`bridge retry S1`"
    )
    # As a log written before the count was said (session 38) holds it.
    old = failed.replace("1 sanity run ran", "The sanity run(s) ran")
    assert blocked_in_language(old, "zh") == blocked_in_language(failed, "zh")
    # Its numbers read again under new [metrics] settings, no run: said so in Chinese too.
    reread = failed.replace(
        "ran again", "had its numbers read again under new [metrics] settings"
    ).replace("retry S1", "retry --force S1")
    assert blocked_in_language(reread, "zh") == (
        "S1: exit code 1。健全性里程碑通过后在新的 [metrics] 设置下重新读取数值的健全性运行未通过："
        "修复原因后运行 `bridge retry --force S1`"
    )
    # Two runs ("had their"), as a log written before one was said with "its" holds it too.
    two = reread.replace("1 sanity run had its", "2 sanity runs had their")
    assert blocked_in_language(two, "zh").endswith(
        "健全性里程碑通过后在新的 [metrics] 设置下重新读取数值的健全性运行未通过："
        "修复原因后运行 `bridge retry --force S1`"
    )
    held = (
        "the sanity milestone's own success criterion is not met: B0: clause 2 of 2 not met. "
        "[2] not met: «accuracy < 0.8» — accuracy: 0.9. Fix the cause and `bridge retry "
        "--force S1`, or `bridge approve` to go on with the later milestones anyway"
    )
    said = blocked_in_language(held, "zh")
    # The block's verdict in Chinese too: 025's «B1: clause 2 of 2 not met. [2] not met: …»
    # stood English inside the Chinese line of `bridge status` (trial h41A).
    assert said.startswith(
        "健全性里程碑自身的成功标准未满足：B0: 2 个条件中第 2 个未满足。"
        "[2] 未满足：«accuracy < 0.8»"
    ), said
    assert said.endswith("`bridge retry --force S1`，或运行 `bridge approve` 以继续后续里程碑")
    # Held again after an approval: what happened since it is said in Chinese too (it stayed
    # "S1's numbers were read again … the earlier approval was for the earlier numbers").
    approved = held.replace(
        "accuracy: 0.9. Fix",
        "accuracy: 0.9. S1's numbers were read again under new [metrics] settings and S2, S3 "
        "ran again after a person approved going past the criterion: the earlier approval was "
        "for the earlier numbers. Fix",
    )
    assert (
        "accuracy: 0.9。S1 的数值在新的 [metrics] 设置下重新读取；S2、S3 再次运行，"
        "而此前有人批准越过该标准：那次批准针对的是先前的数值。修复原因后"
        in (blocked_in_language(approved, "zh"))
    )
    # With how the numbers read again changed (006's R002 skill): said in the Chinese too.
    changed = approved.replace(
        "earlier numbers. Fix", "earlier numbers (S1 accuracy 0.9 → 0.8). Fix"
    )
    assert "那次批准针对的是先前的数值（S1 accuracy 0.9 → 0.8）。修复原因后" in (
        blocked_in_language(changed, "zh")
    )


def test_a_setting_set_or_unset_since_a_run_is_said_so() -> None:
    """012's R003 ran with no seed of its own; one set since read "seed:  → 1103"."""
    from bridge.events import types as ev
    from bridge.projections.failure_words import kept_in_language

    changes = (ev.SpecChange(field="seed", old="", new="1103"),)
    assert kept_in_language(changes, "en") == ("earlier settings", "seed: (unset) → 1103")
    assert kept_in_language(changes, "zh") == ("旧设置", "seed: （未设） → 1103")
    gone = (ev.SpecChange(field="seed", old="7", new=""),)
    assert kept_in_language(gone, "en")[1] == "seed: 7 → (unset)"
