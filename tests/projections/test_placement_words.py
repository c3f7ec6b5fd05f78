"""
Why a run is in the block it is in, in Chinese: the placement reasons of placed runs ("system
matches one block", "milestone M2's runs R020, R022 run block B2's systems") had none, so
results.json of a Chinese plan (023) held them in English only (trial s43 h43D). results.json
keeps `attribution` English for programs and says it in the output's language beside it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bridge.plan import load_project
from bridge.projections.reasons import in_language
from tests.conftest import needs_shared
from tests.plan.corpus import as_project, plan_dirs, run_to_results

pytestmark = needs_shared

# English left once quoted names, code spans and ids are taken out: two words in a row.
_ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,.;:]+[A-Za-z]{2,}")


def _left(said: str) -> str:
    return re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", "", said)


@pytest.mark.parametrize("plan", [p.name for p in plan_dirs()])
def test_every_placement_reason_of_the_corpus_has_chinese(plan: str, tmp_path: Path) -> None:
    """Each run's placement reason, placed or not, in every corpus plan, leaves no English
    phrase when said in Chinese."""
    project = load_project(as_project(plan[:3], tmp_path / plan))
    english = {
        r.attribution
        for r in project.runs
        if _ENGLISH.search(_left(in_language(r.attribution, "zh")))
    }
    assert not english, english


def test_results_json_of_a_chinese_plan_says_where_each_run_is_placed_in_chinese(
    tmp_path: Path,
) -> None:
    """023 run to its results: `attribution` as it was, `attribution_said` in Chinese."""
    project = as_project("023", tmp_path / "023")
    job = (
        "import json, os, sys\nos.makedirs(sys.argv[2], exist_ok=True)\n"
        "json.dump({'accuracy': 0.8}, open(os.path.join(sys.argv[2], 'metrics.json'), 'w'))\n"
    )
    run_to_results(project, job, config='args = { seed = "42" }\n')
    runs = {
        r["run_id"]: r
        for r in json.loads((project / "refine-logs" / "results.json").read_text())["runs"]
    }
    assert runs["R020"]["attribution"] == "system matches one block"
    assert runs["R020"]["attribution_said"] == "系统与唯一一个实验块相符"
    said = {run: runs[run]["attribution_said"] for run in ("R021", "R022")}
    assert said == {
        "R021": "里程碑 M2 的运行 R020, R022 运行的是实验块 B2 的系统",
        "R022": "其系统的另一写法 'PredRNN-online' 与唯一一个实验块相符",
    }
