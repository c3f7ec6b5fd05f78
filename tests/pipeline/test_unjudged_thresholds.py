"""
Thresholds a plan states outside a Success criterion (tiers after it, or a block with none)
are named in the block's section of the results with why they are not judged, as `bridge plan`
warns of them: the results were silent on them, and a researcher reading the verdict alone took
every number of the plan for checked (trial t5: 033's E3 and E5).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from bridge import Bridge, Stage
from tests.conftest import needs_shared
from tests.plan.corpus import as_project, run_to_results

# Every run writes the same numbers: what is checked here is what the page says beside them.
_JOB = """\
import json, pathlib, sys
numbers = {"success_rate": 0.7, "net": 1, "js_h_rel": 0.1, "准确率": 0.9, "recall": 0.6}
pathlib.Path(sys.argv[2], "metrics.json").write_text(json.dumps(numbers))
"""


def _run_to_the_end(project: Path) -> tuple[str, dict[str, dict[str, object]]]:
    """Run ``project``'s plan with the fake job (approving its runs); its results page, and
    its results.json blocks by id."""
    page = run_to_results(project, _JOB)
    logs = project / "refine-logs"
    data = json.loads((logs / "results.json").read_text(encoding="utf-8"))
    blocks = {b["block"]: b for b in data["blocks"]}
    return page, blocks


def _section(page: str, block: str) -> str:
    """The block's section of the results page."""
    return page.split(f"\n### {block}", 1)[1].split("\n### ", 1)[0]


_E3 = (
    "block E3 writes no Success criterion, but its text states thresholds: 'H_rel "
    "distribution: JS divergence < 0.15 per object' (line 120), 'dist_to_centroid: JS "
    "divergence < 0.15' (line 121) (+1 more: line 122); the results judge nothing for the "
    "block: write the ones it must meet as its Success criterion to have them judged"
)
_E5 = (
    "block E5's Success criterion is followed by tiers bridge shows but does not judge: "
    "'Minimum meaningful result: Scissors regression eliminated (net_Scissors ≥ −1 on real)' "
    "(line 182), 'Strong result: CrackerBox still shows gain on real hardware' (line 183); "
    "only the criterion above them is judged: write a tier as a clause of the Success criterion "
    "to have it judged"
)


@needs_shared
def test_033_thresholds_outside_a_criterion_are_named_under_the_verdict(tmp_path: Path) -> None:
    """033's E3 (plan:119-122) states three JS-divergence thresholds and no Success criterion;
    E5's criterion (plan:180-181) is followed by two tiers. Their sections said "inconclusive
    … empty criterion" and "met" and nothing of them; each now names them under its verdict,
    in the words of the plan warning, and results.json carries them. E1, whose criterion is
    all it states, has none."""
    page, blocks = _run_to_the_end(as_project("033", tmp_path / "p"))
    e3 = _section(page, "E3")
    assert "- **Verdict:** **inconclusive** (judged by rule)" in e3
    assert f"\n- **Also stated, not judged:** {_E3}\n- **Runs:** R003\n" in e3
    assert f"\n- **Also stated, not judged:** {_E5}\n- **Runs:** R005," in _section(page, "E5")
    assert "not judged" not in _section(page, "E1")
    assert blocks["E3"]["not_judged"] == [_E3]
    assert blocks["E5"]["not_judged"] == [_E5]
    assert blocks["E1"]["not_judged"] == []


def test_a_chinese_plan_names_them_in_chinese(tmp_path: Path) -> None:
    """A Chinese plan's block with no Success criterion whose Setup says "准确率不低于 80%":
    the Chinese results section names it in Chinese (the label's bold markers no longer quoted,
    "'Setup**：…'"); B2, judged on its criterion, has no such line."""
    plan = tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.parent.mkdir(parents=True)
    plan.write_text(
        "# 实验计划：检索增强\n\n## Block B1: 主实验\n\n"
        "- **Compared systems**：基线 (baseline)，我们的方法 (ours)\n- **Metrics**：准确率\n"
        "- **Setup**：在测试集上评测，准确率不低于 80%。\n\n## Block B2: 召回\n\n"
        "- **Compared systems**：我们的方法 (ours)\n- **Metrics**：recall\n"
        "- **Success criterion**：我们的方法 recall ≥ 0.5\n",
        encoding="utf-8",
    )
    page, blocks = _run_to_the_end(tmp_path)
    assert (
        "\n- **另有写明、未判定:** 实验块 B1 没有写 Success criterion，但其文字写有阈值："
        "'Setup：在测试集上评测，准确率不低于 80%。'（第 7 行）；结果不会为该实验块判定任何内容："
        "请把必须达到的阈值写成它的 Success criterion 以便判定\n"
    ) in _section(page, "B1")
    assert "未判定:" not in _section(page, "B2")
    assert "- **判定:** **met**" in _section(page, "B2")
    assert blocks["B1"]["not_judged"] == [
        "block B1 writes no Success criterion, but its text states thresholds: "
        "'Setup：在测试集上评测，准确率不低于 80%。' (line 7); the results judge nothing for the "
        "block: write the ones it must meet as its Success criterion to have them judged"
    ]


_017 = (
    "the section 'Success Criteria' is read as no block's criterion: 'A nontrivial fraction of "
    "decode regions flip preferred device across settings.' (line 96), 'Dynamic policy "
    "recovers a meaningful share of oracle advantage.' (line 97), 'The result holds on more "
    "than one workload shape.' (line 98); each block is judged on the Success criterion field "
    "in its own section (none written for B1, B2, B3, B4, B5); copy the condition there"
)


@needs_shared
def test_017_plan_wide_success_criteria_are_named_under_each_verdict(tmp_path: Path) -> None:
    """017's only criteria are its `## Success Criteria` section (plan:94-98); no block writes
    one. Every block read "inconclusive — empty criterion" and the results, results.json and the
    tracker had not a word of the three criteria (trial h18E): each block's section names them,
    quoted, with why they are not judged."""
    project = as_project("017", tmp_path / "p")
    page, blocks = _run_to_the_end(project)
    for block in ("B1", "B2", "B3", "B4", "B5"):
        assert f"\n- **Also stated, not judged:** {_017}\n" in _section(page, block)
        assert blocks[block]["not_judged"] == [_017]
    # Each block given a criterion of its own, the section is still no block's: the results
    # said nothing of it then (trial h40C); now once, above the verdicts, and under none.
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    own = re.sub(
        r"(?m)^(### Block \d\..*)$",
        r"\1\n\n- **Success criterion**: recall ≥ 0.5",
        plan.read_text(encoding="utf-8"),
    )
    plan.write_text(own, encoding="utf-8")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    page = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    head, _, verdicts = page.partition("\n### B1")
    said = head.split("## Blocks: criteria and verdicts", 1)[1]
    assert "\n- **Also stated, not judged:** the section 'Success Criteria' is read as no " in said
    assert "every block writes its own: bridge judges none of these; read them" in said
    assert "not judged" not in verdicts
    assert verdicts.count("**met**") == 5
