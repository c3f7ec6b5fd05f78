"""
What the results say of 039's clauses they cannot judge, run to the end on the real plan: the
reason a clause is open, and the alias advice for a Metrics phrase naming two metrics.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import needs_shared
from tests.plan.corpus import as_project, run_to_results

# Every run records the two numbers 039's runs measure.
_JOB = """\
import json, os, sys
out = sys.argv[sys.argv.index("--out") + 1]
os.makedirs(out, exist_ok=True)
json.dump({"AUROC": 0.7, "AUPRC": 0.4}, open(os.path.join(out, "metrics.json"), "w"))
"""


@needs_shared
def test_039s_open_clauses_say_what_they_lack(tmp_path: Path) -> None:
    """039's B3 «GNN 同时优于 同 support 的 no-message» and «source-shuffle 使性能下降» read
    "没有与数值或其他系统的比较": the first now says its reference could be either no-message
    system; the second is read on the block's primary metric, and is open only for want of the
    source-shuffle system's numbers; B2's Metrics phrase
    "与完整 MART 的 paired ΔAUROC/ΔAUPRC" (two metrics) was advised as the target of one alias,
    `aliases = { "RECORDED NAME" = "与完整 MART 的 paired ΔAUROC/ΔAUPRC" }` (trial)."""
    root = as_project("039", tmp_path)
    results = run_to_results(root, _JOB, '"--out", "{output_dir}"')
    way = (
        "无法自动检验：用文字说明变化方向，没有指明指标，也没有可衡量的数值；请写明所用的指标"
        "（及幅度）以及与之比较的系统"
    )
    # Clause 2's reference could be either no-message system: said so, with both (h35).
    assert (
        "[2] 未定：«GNN 同时优于 同 support 的 no-message» — 无法自动检验：参照对象 «同 support 的 "
        "no-message» 可能是该实验块多个系统中的任何一个（threshold/no-message; "
        "typed-mass-cover/no-message）"
    ) in results, results
    # Clause 3 is read (the proposed system beats the source-shuffle system on the primary
    # metric, h51); the tracker's run of it is "source-shuffle best GNN", which the plan's
    # warning says to alias, so it is open for that system's missing numbers, not for words.
    assert way not in results
    assert (
        "[3] 未定：«source-shuffle 使性能下降» — 没有结果的系统：最佳 GNN 的 source-shuffle"
        in results
    )
    assert "RECORDED NAME" not in results
    assert (
        "计划的指标 `与完整 MART 的 paired ΔAUROC/ΔAUPRC` 在一个短语中写了多个指标，别名无法把一个"
        "记录的名称对应到它"
    ) in results
