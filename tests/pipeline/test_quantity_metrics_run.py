"""
A Chinese plan whose criteria compare a training time and a parameter count («DepthGate 的训练时间
比标准 LoRA 少 20%», «DepthGate 的参数量低于标准 LoRA»), its runs real subprocesses recording
them as `wall_clock_s` and `num_params` beside `accuracy`. Both clauses were judged on accuracy
(B1 "accuracy（按降低计）… 降幅 -5 pp；要求降幅 ≥ 20 pp → 未满足"), the numbers they compare never
read (trial t12, note 32).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import structlog

from bridge.pipeline import Bridge

PLAN = """\
# 实验计划：DepthGate 的开销

**问题**：DepthGate 是否训练更快、模型更小？

## 实验块

### B1：训练开销
- **对比系统**：
  - 标准 LoRA
  - DepthGate（我们的）
- **指标**：准确率
- **成功标准**：DepthGate 的训练时间比标准 LoRA 少 20%
- **优先级**：MUST-RUN。

### B2：模型大小
- **对比系统**：
  - 标准 LoRA
  - DepthGate（我们的）
- **指标**：准确率
- **成功标准**：DepthGate 的参数量低于标准 LoRA
- **优先级**：MUST-RUN。

## 运行顺序与里程碑

| 里程碑 | 目标 | 运行 | 决策门 | 成本 | 风险 |
|--------|------|------|--------|------|------|
| M1 | 主实验 | R1-R4 | 准确率 | 1 | 无 |
"""

TRACKER = """\
# 实验追踪表

| Run ID | Milestone | Block | Purpose | System / Variant | Seed | Status | Notes |
|---|---|---|---|---|---|---|---|
| R1 | M1 | B1 | 主实验 | 标准 LoRA | 0 | TODO | |
| R2 | M1 | B1 | 主实验 | DepthGate | 0 | TODO | |
| R3 | M1 | B2 | 主实验 | 标准 LoRA | 0 | TODO | |
| R4 | M1 | B2 | 主实验 | DepthGate | 0 | TODO | |
"""

# DepthGate trains in 3600 s against LoRA's 9000 (60 % less: B1 met) with 12.4M parameters
# against LoRA's 9.19M (more: B2 not met); its accuracy is higher, which neither clause compares.
JOB = """\
import argparse, json, pathlib
p = argparse.ArgumentParser()
p.add_argument("--system", required=True)
p.add_argument("--out", required=True)
a = p.parse_args()
ours = a.system == "DepthGate"
m = {"accuracy": 0.90 if ours else 0.85, "wall_clock_s": 3600.0 if ours else 9000.0,
     "num_params": 12.4e6 if ours else 9.19e6}
pathlib.Path(a.out, "metrics.json").write_text(json.dumps(m))
"""


def test_a_compared_training_time_and_parameter_count_are_judged_on_their_keys(
    tmp_path: Path,
) -> None:
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "scripts").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(PLAN, encoding="utf-8")
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER, encoding="utf-8")
    (tmp_path / "scripts" / "job.py").write_text(JOB, encoding="utf-8")
    command = [sys.executable, "scripts/job.py", "--system", "{system}", "--out", "{output_dir}"]
    (tmp_path / "bridge.toml").write_text(
        '[bridge]\nbackend = "local"\nmax_parallel = 2\n\n'
        f"[run]\ncommand = {json.dumps(command)}\n",
        encoding="utf-8",
    )
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
    bridge = Bridge(tmp_path)
    try:
        bridge.run()
    finally:
        bridge.close()
    results = json.loads((tmp_path / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    verdicts = {b["block"]: (b["verdict"], b["reason"]) for b in results["blocks"]}
    assert verdicts["B1"][0] == "met", verdicts
    assert verdicts["B1"][1].startswith(
        "wall_clock_s (counted as a drop): DepthGate（我们的） 3600 (n=1); "
        "vs 标准 LoRA 9000 (n=1): drop +60%; required drop ≥ 20% → met"
    ), verdicts
    assert verdicts["B2"][0] == "not_met", verdicts
    assert verdicts["B2"][1].startswith(
        "num_params (counted as a drop): DepthGate（我们的） 1.24e+07 (n=1); vs 标准 LoRA "
        "9.19e+06 (n=1): drop -3.21e+06; required drop > 0 → not met"
    ), verdicts
    written = (tmp_path / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "wall_clock_s（按降低计）: DepthGate（我们的） 3600 (n=1); 对比 标准 LoRA" in written
