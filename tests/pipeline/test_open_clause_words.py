"""
What the results say of 039's clauses they cannot judge, run to the end on the real plan: the
reason a clause is open, and the alias advice for a Metrics phrase naming two metrics.
"""

from __future__ import annotations

import json
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
    source-shuffle system's numbers (now: for it compares with the best of the GNNs); B2's
    Metrics phrase
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
    # Clause 3 compares the shuffled best GNN with the best GNN unshuffled (h11G): open, for
    # that is the best of several systems, and said so, not for words.
    assert way not in results
    assert (
        "[3] 未定：«source-shuffle 使性能下降» — 无法自动检验：与多个系统中最优者或全部比较"
        "（'最佳 GNN'，即 'source-shuffle' 所作用的系统）"
    ) in results
    assert "RECORDED NAME" not in results
    # Clause 1's "Read as" line says what its verdict says, not "提议的系统 对比 MART" (h41D).
    assert (
        "  1. 无法自动检验: 比较的系统 «GNN» 可能是该实验块多个系统中的任何一个（threshold/GNN; "
        "typed-mass-cover/GNN; 最佳 GNN 的 source-shuffle）"
    ) in results, results
    assert "提议的系统 对比 MART" not in results
    # The claims each block tests, beside its verdict (the claim map was shown nowhere, h39D):
    # B3 tests C2 by its own Claim tested field, B4 names none and shows none.
    assert "- **检验的论点:** C2 «GNN 只在精确 source 拓扑有额外信息时才必要»" in results
    assert results.count("检验的论点") == 3
    data = json.loads((root / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    claims = {b["block"]: b["claims"] for b in data["blocks"]}
    assert claims["B1"] == [{"id": "C1", "text": "机制对齐的路由轨迹可用于无监督幻觉检测"}]
    assert claims["B4"] == []
    assert (
        "计划的指标 `与完整 MART 的 paired ΔAUROC/ΔAUPRC` 在一个短语中写了多个指标，别名无法把一个"
        "记录的名称对应到它"
    ) in results


# The numbers trial t15 recorded for 039 (its fake_spec.json): the shuffled best GNN (R006)
# beats both GNNs of R005, and MART (R003) beats the shuffled GNN.
_RECORDED = """\
import json, os, sys
numbers = {
    "R001": {"coverage": 1.0, "AUPRC": 0.35},
    "R002": {"AUROC": 0.61, "AUPRC": 0.31},
    "R003": {"AUROC": 0.68, "AUPRC": 0.38},
    "R004": {"delta_AUPRC": 0.02},
    "R005": {
        "AUPRC[threshold/no-message]": 0.29, "AUPRC[typed-mass-cover/no-message]": 0.29,
        "AUPRC[threshold/GNN]": 0.3, "AUPRC[typed-mass-cover/GNN]": 0.31,
        "AUROC[threshold/no-message]": 0.58, "AUROC[typed-mass-cover/no-message]": 0.58,
        "AUROC[threshold/GNN]": 0.59, "AUROC[typed-mass-cover/GNN]": 0.6,
    },
    "R006": {"AUPRC": 0.33, "AUROC": 0.62},
    "R007": {"AUPRC": 0.36},
}
run, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
json.dump(numbers[run], open(os.path.join(out, "metrics.json"), "w"))
"""


@needs_shared
def test_039s_source_shuffle_is_not_judged_against_the_method_thesis_system(
    tmp_path: Path,
) -> None:
    """Trial t15 on 039 (its bridge.toml: AUPRC primary, the tracker's "source-shuffle best
    GNN" aliased to the plan's "最佳 GNN 的 source-shuffle"): B3's «source-shuffle 使性能下降»
    was judged met as MART 0.38 against the shuffled GNN 0.33, MART being the system the
    method thesis names, while the shuffled GNN beat both GNNs (0.30, 0.31): shuffling the
    source lowers the best GNN's performance is what the clause says, and which GNN is best is
    not said, so it is open. Clause 1 said the proposed system is not known while clause 3
    took MART for it; then that the proposed system, MART, is the one it compares with; now
    that its "GNN" could be either GNN (or the shuffled one), none of them MART."""
    root = as_project("039", tmp_path)
    config = (
        '\n[metrics]\nprimary = "AUPRC"\n\n[systems."source-shuffle best GNN"]\n'
        'aliases = ["最佳 GNN 的 source-shuffle"]\n'
    )
    results = run_to_results(root, _RECORDED, config=config)
    verdict = next(
        line
        for line in results.splitlines()
        if line.startswith("- **判定:**") and "«source" in line
    )
    assert (
        "[3] 未定：«source-shuffle 使性能下降» — 无法自动检验：与多个系统中最优者或全部比较"
        "（'最佳 GNN'，即 'source-shuffle' 所作用的系统）"
    ) in verdict, verdict
    assert "[3] 满足" not in verdict and "主体 MART" not in verdict, verdict
    # Its "GNN" is part of several systems' names, and the proposed system (MART) is none.
    assert (
        "[1] 未定：«GNN 同时优于 MART» — 比较的系统 «GNN» 可能是该实验块多个系统中的任何一个"
        "（threshold/GNN; typed-mass-cover/GNN; 最佳 GNN 的 source-shuffle）"
    ) in verdict, verdict
    assert "无法确定该实验块的提议系统" not in verdict, verdict
