"""
A Chinese plan gets Chinese output, all of it: `bridge plan`, `bridge run`'s opening summary,
the rule verdicts' arithmetic in the results and the handoff summary, the training-quality
findings, the code review's findings and the manifest. The same project with ``language =
"en"`` keeps every English sentence as it was.

The project is a small one a researcher might write: three blocks (a gain over the baseline in
percentage points, an absolute threshold, a relative reduction of latency), three seeds each,
a hyperparameter the script cannot set (a code-review finding), a NaN in a metric the plan does
not measure (a quality finding) and a tracker row that names no block and needs GPUs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.english_left import chinese_left, english_left
from tests.in_process import bridge_here

PLAN = """\
# 实验计划：小型检索增强

**问题**：本方法能否在准确率与延迟上同时优于基线？
**方法主张**：本方法在检索前加入一个轻量的重排序步骤，准确率更高，延迟更低。
**日期**：2026-01-15

## 实验块

### B1：主实验
- **测试声明**：本方法的准确率高于基线。
- **对比系统**：
  - 基线
  - 本方法（我们的）
- **指标**：准确率（accuracy）。
- **设置**：3 个种子（seed 0, 1, 2），warmup_steps = 100。
- **成功标准**：准确率比基线高2%以上
- **优先级**：MUST-RUN。

### B2：绝对阈值
- **测试声明**：本方法的准确率足够高。
- **对比系统**：
  - 本方法（我们的）
- **指标**：准确率（accuracy）。
- **设置**：3 个种子（seed 0, 1, 2）。
- **成功标准**：准确率 ≥ 0.95
- **优先级**：MUST-RUN。

### B3：延迟
- **测试声明**：本方法更快。
- **对比系统**：
  - 基线
  - 本方法（我们的）
- **指标**：延迟（latency）。
- **设置**：3 个种子（seed 0, 1, 2）。
- **成功标准**：相对基线，延迟降低 20%
- **优先级**：MUST-RUN。

## 运行顺序与里程碑

| 里程碑 | 目标 | 运行 | 决策门 | 成本 | 风险 |
|--------|------|------|--------|------|------|
| M0 | 健全性检查 | S1 | 能跑通 | 0 | 无 |
| M1 | 主实验 | R1-R15 (B1, B2, B3) | 准确率 | 1 | 无 |

## 计算与数据预算
- **总 GPU 小时**：1
"""

JOB = """\
import argparse, json, pathlib
p = argparse.ArgumentParser()
p.add_argument("--system", required=True)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--out", required=True)
a = p.parse_args()
ours = a.system != "基线"
m = {"accuracy": (0.90 if ours else 0.85) + 0.01 * a.seed}
m["latency"] = (70.0 if ours else 100.0) + a.seed
if ours and a.seed == 2:
    m["grad_norm"] = float("nan")
pathlib.Path(a.out, "metrics.json").write_text(json.dumps(m))
"""

TOML = """\
[bridge]
backend = "local"
max_parallel = 2
{language}
[run]
command = ["{python}", "scripts/job.py", "--system", "{{system}}", "--seed", "{{seed}}",
           "--out", "{{output_dir}}"]
"""

# The researcher's own words that stay as written: metric and hyperparameter names.
THEIRS = {"accuracy", "latency", "warmup"}


FAILS = """\
if ours and a.seed == 1:
    raise ValueError("损失发散")
"""


def _write(
    root: Path,
    language: str = "",
    *,
    failing: bool = False,
    gated: bool = False,
    deferred: bool = False,
) -> Path:
    rows = ["| S1 | M0 | B1 | 健全性 | 本方法 | 0 | accuracy | MUST | TODO | 冒烟 |"]
    n = 1
    for block, systems in (
        ("B1", ["基线", "本方法"]),
        ("B2", ["本方法"]),
        ("B3", ["基线", "本方法"]),
    ):
        for system in systems:
            for seed in range(3):
                cells = f"R{n} | M1 | {block} | 主实验 | {system} | {seed} | accuracy | MUST | TODO"
                rows.append(f"| {cells} | |")
                n += 1
    rows.append("| X1 | M1 | | 主实验 | 大模型 | 0 | accuracy | MUST | 阻塞 — 需要 GPU | |")
    if deferred:
        # A row the researcher deferred: bridge says why it is not run, in its own words.
        rows.append(
            "| D1 | M1 | B1 | 主实验 | 本方法 | 3 | accuracy | DEFERRED | NOT_SCHEDULED | |"
        )
    (root / "refine-logs").mkdir(parents=True)
    (root / "scripts").mkdir()
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(PLAN, encoding="utf-8")
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "# 实验追踪表\n\n| Run ID | Milestone | Block | Purpose | System / Variant | Seed "
        "| Metrics | Priority | Status | Notes |\n|---|---|---|---|---|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n",
        encoding="utf-8",
    )
    (root / "scripts" / "job.py").write_text(JOB + (FAILS if failing else ""), encoding="utf-8")
    setting = (f'language = "{language}"\n' if language else "") + (
        "auto_deploy = false\n" if gated else ""
    )
    setting += "compact = true\n" if failing else ""
    (root / "bridge.toml").write_text(
        TOML.format(language=setting, python=sys.executable), encoding="utf-8"
    )
    return root


def _bridge(*args: str, code: int = 0) -> str:
    """`bridge ARGS`, in this process, 200 columns wide: its stdout, once its exit code is
    ``code``."""
    done = bridge_here(*args, columns=200)
    assert done.returncode == code, done.stdout + done.stderr
    return done.stdout


def _read(project: Path, name: str) -> str:
    return (project / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chinese(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The Chinese project after `bridge plan` and `bridge run --plain`: (project, plan, run)."""
    project = _write(tmp_path_factory.mktemp("zh") / "project")
    plan = _bridge("plan", "--project", str(project))
    return project, plan, _bridge("run", "--plain", "--project", str(project))


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The same project with ``language = "en"``."""
    project = _write(tmp_path_factory.mktemp("en") / "project", language="en", deferred=True)
    plan = _bridge("plan", "--project", str(project))
    return project, plan, _bridge("run", "--plain", "--project", str(project))


def test_bridge_plan_in_chinese(chinese: tuple[Path, str, str]) -> None:
    """Headings, labels, how each criterion is read, the overview and the warnings."""
    _project, plan, _run = chinese
    assert "┃ 里程碑 ┃" in plan and "│ M0     │ 健全性检查 │ 是 " in plan
    assert "  解析为：  提议的系统 对比 基线：accuracy 增益（按升高计）≥ 2 pp\n" in plan
    assert "  解析为：  提议的系统：accuracy ≥ 0.95\n" in plan
    assert "3 个实验块（3 个必做，0 个可选）；17 个运行（17 个必做，0 个可选）" in plan
    assert "警告 refine-logs/EXPERIMENT_TRACKER.md:" in plan
    assert (
        "运行 X1 未归属任何实验块：里程碑 M1 指明的实验块：B1, B2, B3; 系统 '大模型' 不在" in plan
    )
    # The researcher's names, the unit GPU-h and the run source stay; nothing else is English.
    assert english_left(plan, THEIRS | {"tracker"}) == []


def test_bridge_run_in_chinese(chinese: tuple[Path, str, str]) -> None:
    """The opening summary and the handoff summary, whose main result quotes the verdicts."""
    _project, _plan, run = chinese
    assert "  M0（健全性） 健全性检查：1 个运行，~0.00 GPU-h\n" in run
    assert "  估计：~0.00 GPU-h，预算 1 GPU-h\n" in run
    summary = run[run.index("主要结果") :]
    assert (
        "B2 not_met（未满足）：accuracy: 本方法（我们的） 0.91 ± 0.01 (n=3); "
        "0.91，要求 ≥ 0.95 → 未满足" in summary
    )
    # Stage names, the verdict words, the implementer's name and paths are machine words.
    machine = {"IMPLEMENTED", "REVIEWED", "SANITY_OK", "DEPLOYED", "existing", "local", "results"}
    assert english_left(run, THEIRS | machine) == []


def test_results_and_quality_in_chinese(chinese: tuple[Path, str, str]) -> None:
    """Each rule verdict's arithmetic, and the quality findings, in Chinese."""
    results = _read(chinese[0], "refine-logs/EXPERIMENT_RESULTS.md")
    assert (
        # No units advice: a gain of 2 points no percent within 0–1 reaches (its Chinese is in
        # tests/projections/test_reasons.py); the ×100 of the numbers shown is said.
        "— accuracy（按升高计）（数值按比例读取，×100）: "
        "本方法（我们的） 91 ± 1 (n=3); 对比 基线 "
        "86 ± 1 (n=3)：增益 +5 pp；要求增益 ≥ 2 pp → 满足（解析为：指标 '准确率' 解析为 'accuracy'"
    ) in results
    assert "对比 基线 101 ± 1 (n=3)：增益 +29.703%；要求增益 ≥ 20% → 满足" in results
    assert "grad_norm = NaN（来源 .bridge/runs/R6/R6-a1/output/metrics.json，json:grad_norm）" in (
        results
    )
    # How the criterion is read, in Chinese too (027's "the proposed system: hit rate < 5%").
    assert "- **解析为:** `提议的系统 对比 基线：accuracy 增益（按升高计）≥ 2 pp`" in results
    assert english_left(results, THEIRS | {"json"}) == []  # json: the rule that read it


def test_code_review_and_manifest_in_chinese(chinese: tuple[Path, str, str]) -> None:
    review = _read(chinese[0], "refine-logs/EXPERIMENT_CODE_REVIEW.md")
    assert "| B1：设置中提到的超参数不可配置（没有 argparse 选项或命令占位符）：warmup |" in review
    assert english_left(review, THEIRS | {"existing", "checklist"}) == []
    manifest = _read(chinese[0], "MANIFEST.md")
    assert manifest.startswith("# 产出清单\n")
    assert "| COLLECTED | 运行追踪表：每个运行的状态与备注 |" in manifest
    assert "| Timestamp | Skill | File | Version | Stage | Description |" in manifest
    assert english_left(manifest, THEIRS) == []


def test_english_is_as_it_was(english: tuple[Path, str, str]) -> None:
    """``language = "en"``: the English sentences the Chinese replaced, word for word."""
    project, plan, run = english
    assert "  read as:   the proposed system vs 基线: accuracy gain (higher) ≥ 2 pp\n" in plan
    # D1, deferred, is the nice-to-have run (the Chinese project has no such row).
    assert "3 blocks (3 must-run, 0 nice-to-have); 18 runs (17 must-run, 1 nice-to-have)" in plan
    assert "warning refine-logs/EXPERIMENT_TRACKER.md:" in plan
    assert "  M0 (sanity) 健全性检查: 1 run, ~0.00 GPU-h\n" in run
    results = _read(project, "refine-logs/EXPERIMENT_RESULTS.md")
    assert (
        "accuracy (higher) (values read as fractions, ×100): "
        "本方法（我们的） 91 ± 1 (n=3); "
        "vs 基线 86 ± 1 (n=3): gain +5 pp; required gain ≥ 2 pp → met (read as: metric "
        "'准确率' read as 'accuracy'; '%' read as percentage points (a rate metric); subject "
        "本方法（我们的）: the block's proposed system (marked as ours/proposed))"
    ) in results
    assert "; not a metric the plan measures: noted, not blocking" in results
    review = _read(project, "refine-logs/EXPERIMENT_CODE_REVIEW.md")
    assert "B1: hyperparameters named in the setup are not configurable" in review
    manifest = _read(project, "MANIFEST.md")
    assert manifest.startswith("# Manifest\n")
    assert "| run tracker: every run's status and notes |" in manifest
    # The check the Chinese tests use finds this English (it can fail).
    assert english_left(results, THEIRS)
    # A Chinese plan's deferred row, said in English: its priority note was written in the
    # plan's language (027's "NOT_SCHEDULED（优先级：DEFERRED）" under `-o language=en`).
    assert "- D1 — out of scope: NOT_SCHEDULED (priority DEFERRED)" in results
    tracker = _read(project, "refine-logs/EXPERIMENT_TRACKER.md")
    mine = tracker[tracker.index("<!-- bridge:") :]
    # Nothing bridge says is Chinese but the plan's own words.
    theirs = [*PLAN.splitlines(), "基线", "本方法（我们的）", "大模型", "主实验", "阻塞 — 需要 GPU"]
    for said in (results, mine, run):
        assert chinese_left(said, theirs) == [], chinese_left(said, theirs)


def test_verify_in_chinese(chinese: tuple[Path, str, str]) -> None:
    """`bridge verify` on a Chinese project answers in Chinese (it printed English)."""
    out = _bridge("verify", "--project", str(chinese[0]))
    assert out.startswith("正常：") and "哈希链完整" in out and "产出文件与日志一致" in out
    assert english_left(out, THEIRS) == []


def test_verify_names_a_changed_file_in_chinese(
    chinese: tuple[Path, str, str], tmp_path: Path
) -> None:
    """A file changed since bridge wrote it is named in Chinese too (only the closing line
    was; the drift lines were English)."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(chinese[0], project)
    results = project / "refine-logs" / "EXPERIMENT_RESULTS.md"
    results.write_text(results.read_text(encoding="utf-8") + "\n我的笔记\n", encoding="utf-8")
    out = _bridge("verify", "--project", str(project), code=1)
    assert "已修改：refine-logs/EXPERIMENT_RESULTS.md 与日志不符" in out, out
    assert english_left(out, THEIRS) == []


def test_an_unread_tracker_edit_and_a_rebuild_in_chinese(
    chinese: tuple[Path, str, str], tmp_path: Path
) -> None:
    """A note the researcher added to the tracker is their edit, named in Chinese with exit 0
    by `bridge verify` (018 read "已修改 … 与日志不符", exit 1), and `bridge rebuild` says what
    it did in Chinese (018, 025 read "rebuilt projections from …"; trial t14)."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(chinese[0], project)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text("我的笔记\n\n" + tracker.read_text(encoding="utf-8"), encoding="utf-8")
    out = _bridge("verify", "--project", str(project))
    assert (
        "你的修改：refine-logs/EXPERIMENT_TRACKER.md 含有尚未被任何命令读取的修改（下一次 "
        "`bridge run` 会读取）"
    ) in out, out
    assert "已修改" not in out and out.rstrip().splitlines()[-1].startswith("正常：")
    rebuilt = _bridge("rebuild", "--project", str(project))
    assert rebuilt.startswith("已根据 ") and "个事件重建产出文件（seq " in rebuilt, rebuilt
    kept = "refine-logs/EXPERIMENT_TRACKER.md 含有尚未被任何命令读取的修改：保持你写的样子"
    assert kept in rebuilt, rebuilt
    # bridge's own part, from its marker on, damaged: drift, as before (review r35).
    text = tracker.read_text(encoding="utf-8")
    tracker.write_text("\n".join(text.splitlines()[:-6]) + "\n", encoding="utf-8")
    out = _bridge("verify", "--project", str(project), code=1)
    assert "已修改：refine-logs/EXPERIMENT_TRACKER.md 与日志不符" in out, out
    assert english_left(rebuilt, THEIRS) == [], rebuilt


@pytest.fixture(scope="module")
def blocked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The Chinese project whose method fails at seed 1 in every block: blocked (exit 3)."""
    project = _write(tmp_path_factory.mktemp("blocked") / "project", failing=True)
    return project, _bridge("run", "--plain", "--project", str(project), code=3)


def test_failures_and_the_block_in_chinese(blocked: tuple[Path, str]) -> None:
    """A run's failure, why the pipeline is blocked, the finding that explains it and the next
    step: bridge's words in Chinese, the program's error line as written."""
    project, run = blocked
    assert "R5 失败: 退出码 1：ValueError: 损失发散\n" in run
    # The runs named once (they were said again before the exit code; trial h18D, 027).
    assert "阶段 BLOCKED: 里程碑 M1：R5, R8, R14 以相同方式失败：退出码 1：ValueError" in run
    assert "  - R5, R8, R14：退出码 1：ValueError: 损失发散。修复：修正其日志中显示的错误" in run
    machine = {"IMPLEMENTED", "REVIEWED", "SANITY_OK", "DEPLOYED", "BLOCKED", "COLLECTED"}
    machine |= {"existing", "local", "results", "ValueError", "failed"}
    assert english_left(run, THEIRS | machine) == []
    tracker = _read(project, "refine-logs/EXPERIMENT_TRACKER.md")
    # the exit code once: "退出码 1；退出码 1：" said it twice
    assert "；退出码 1：ValueError: 损失发散 |" in tracker
    assert "退出码 1；退出码 1" not in tracker
    results = _read(project, "refine-logs/EXPERIMENT_RESULTS.md")
    assert "流水线已阻断：里程碑 M1：R5, R8, R14 以相同方式失败：" in results
    log = _read(project, "EXPERIMENT_LOG.md")  # compact mode
    assert "- **系统:** 本方法 (B1, M1，种子 1)\n" in log
    assert "- **结果:** FAILED; 退出码 1：ValueError: 损失发散\n" in log


def test_bridge_status_in_chinese(blocked: tuple[Path, str]) -> None:
    """`bridge status`: the stage line, each milestone's bar, the run table's header and
    notes, the GPU-hours; the status words are the tracker's (DONE, FAILED) as everywhere."""
    project, _run = blocked
    status = _bridge("status", "--project", str(project))
    assert status.startswith("阶段 BLOCKED  ·  实验计划：小型检索增强\n")
    # X1's 阻塞 is the tracker's blocked: said so, as the summary says it.
    assert " 12/15 成功，3 个未成功，1 个在追踪表中受阻\n" in status
    assert re.search(r"\n运行 +里程碑 +系统 +状态 +尝试 +槽位 +用时 +备注\n", status)
    assert "  退出码 1：ValueError: 损失发散\n" in status
    assert "已用 0.00 GPU-h，预算 1 GPU-h" in status
    words = {"DONE", "FAILED", "BLOCKED", "local", "ValueError"}
    assert english_left(status, THEIRS | words) == []


def test_the_approval_checkpoint_in_chinese(tmp_path: Path) -> None:
    """``auto_deploy = false``: the stage reason, the label and what a person approves."""
    project = _write(tmp_path / "project", gated=True)
    run = _bridge("run", "--plain", "--project", str(project), code=3)
    assert "阶段 AWAITING_APPROVAL: auto_deploy 已关闭：等待 `bridge approve`\n" in run
    assert (
        "等待批准（auto_deploy 已关闭）：\nM0（健全性） 健全性检查：1 个运行（CPU），~0.00 GPU-h"
        in run
    )
    assert "估计总计：~0.00 GPU-h，预算 1 GPU-h\n后端：local；max_parallel 2\n" in run
    machine = {"IMPLEMENTED", "REVIEWED", "AWAITING_APPROVAL", "COLLECTED", "existing", "local"}
    assert english_left(run, THEIRS | machine | {"results"}) == []


@pytest.mark.parametrize("language", ["", "en"])
def test_approve_and_an_edit_after_the_runs_in_the_plans_language(
    tmp_path: Path, language: str
) -> None:
    """`bridge approve` answered "已由人批准: now REVIEWED; continue with `bridge run`", and an
    edit of the script after the runs succeeded read "code: as run → scripts/job.py edited" in
    the Chinese line naming them, as did the retry of runs whose script was fixed ("重试: its
    code changed (…)"). Chinese now; ``language = "en"`` keeps the English as it was."""
    project = _write(tmp_path / "project", language, gated=True)
    _bridge("run", "--plain", "--project", str(project), code=3)
    approved = _bridge("approve", "--project", str(project))
    _bridge("run", "--plain", "--project", str(project))
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text().replace('"{seed}",', '"{seed}", "--x", "1",'), "utf-8")
    script = project / "scripts" / "job.py"
    script.write_text(script.read_text(encoding="utf-8") + "# tuned\n", encoding="utf-8")
    kept = _bridge("run", "--plain", "--project", str(project))
    (kept_line,) = [line for line in kept.splitlines() if "{seed}" in line]
    _bridge("retry", "--changed", "--project", str(project))
    _bridge("run", "--plain", "--project", str(project), code=3)  # --x is no option of job.py
    script.write_text(
        script.read_text(encoding="utf-8").replace(
            'p.add_argument("--out", required=True)',
            'p.add_argument("--out", required=True)\np.add_argument("--x")',
        ),
        encoding="utf-8",
    )
    fixed = _bridge("run", "--plain", "--project", str(project))
    if language == "en":
        assert approved == "approved by a person: now REVIEWED; continue with `bridge run`\n"
        assert "; code: as run → scripts/job.py edited): kept as they ran" in kept_line
        assert " retry: its code changed (scripts/job.py edited)\n" in fixed
        return
    assert approved == "已由人批准：现为 REVIEWED；用 `bridge run` 继续\n"
    assert "; 代码：运行时的版本 → scripts/job.py 已修改）：保留原结果" in kept_line
    # The setting's name and its values are the researcher's words.
    assert english_left(kept_line, {"command", "seed"}) == []
    assert " 重试: 其代码已变更（scripts/job.py 已修改）\n" in fixed
    machine = {"REVIEWED"}
    assert english_left(approved, machine) == []
