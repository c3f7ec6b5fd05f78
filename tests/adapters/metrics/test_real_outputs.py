"""
What bridge reads from the real outputs of the two real projects in ``../shared/projects/``
(their own scripts, run here on CPU in a temporary copy): the names a plan asks for are found,
per-condition lists are conditions, and nothing that is not a series is checked as one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bridge.adapters.metrics.files import Extraction, MetricsSpec, QueryRule, extract_metrics
from bridge.machine.quality import QualityKind, check_quality, measured_names
from tests.conftest import SHARED

PROJECTS = SHARED / "projects"
pytestmark = pytest.mark.skipif(
    not PROJECTS.is_dir(), reason=f"real projects not found at {PROJECTS}"
)
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def run(cwd: Path, *argv: str) -> None:
    done = subprocess.run(
        [sys.executable, *argv], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]


def read(root: Path, attempt: Path, *queries: QueryRule) -> Extraction:
    return extract_metrics(
        attempt,
        project_root=root,
        run_id="R",
        attempt_id="a1",
        config=MetricsSpec(files=("output/*.json",), queries=queries),
    )


def named(found: Extraction) -> dict[str, float | None]:
    return {v.name: v.value for v in found.values}


@pytest.fixture(scope="module")
def tool_placement(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """009_tool-placement: scripts and data copied; retrieval on the first 20 tasks (the
    full set takes half a minute), then commands 3 and 4 of SOURCES.md."""
    source = PROJECTS / "009_tool-placement"
    root = tmp_path_factory.mktemp("p009")
    shutil.copytree(source / "scripts", root / "scripts")
    shutil.copytree(source / "experiments", root / "experiments")
    data = root / "subset"
    data.mkdir()
    shutil.copy(root / "experiments" / "data" / "tools.jsonl", data)
    tasks = (root / "experiments" / "data" / "tasks.jsonl").read_text().splitlines()[:20]
    (data / "tasks.jsonl").write_text("\n".join(tasks) + "\n")
    for name in ("r2", "r3", "r4"):
        (root / name / "output").mkdir(parents=True)
    run(root, "scripts/run_retrieval_baseline.py", "--data", "subset", "--out", "r2/output")
    run(
        root,
        "scripts/analyze_representation_signals.py",
        "--data",
        "experiments/data",
        "--retrieval",
        "experiments/results/retrieval_predictions.jsonl",
        "--out",
        "r3/output",
    )
    shutil.copy(
        root
        / "experiments"
        / "results_template_macro_brightdata_100_split_tokens"
        / "placement_predictions.jsonl",
        root / "r4" / "output",
    )
    run(root, "scripts/analyze_placement_results.py", "--results", "r4/output")
    return root


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """018_areal-harness-cn: commands 2 and 3 of SOURCES.md (outputs outside the checkout)."""
    root = tmp_path_factory.mktemp("p018")
    project = root / "project"
    shutil.copytree(PROJECTS / "018_areal-harness-cn", project)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    out2, out3 = root / "r2" / "output", root / "r3" / "output"
    out2.mkdir(parents=True)
    out3.parent.mkdir(parents=True)
    run(project, "-m", "jphrl.experiments.harness_bandit", "--output", f"{out2}/b1-three-seed.json")
    run(
        project,
        "-m",
        "jphrl.experiments.g1_integrity",
        "--version-fixtures",
        "1000",
        "--work-dir",
        f"{out3}/work",
        "--output",
        f"{out3}/result.json",
        "--project-commit",
        "7b0f7397043bfbcb364f4fc0e5b0f6b15936effd",
    )
    run(
        project,
        "scripts/verify_g1_integrity.py",
        "--result",
        f"{out3}/result.json",
        "--audit",
        f"{out3}/audit.json",
    )
    return root


class TestToolPlacement:
    def test_retrieval_summary_is_read_as_doc_mode_conditions(self, tool_placement: Path) -> None:
        """retrieval_summary.json (a list per doc_mode) gives mrr[compact], not a series whose
        last item (full) would silently be "the" MRR; the plan's MRR covers all three."""
        found = read(tool_placement, tool_placement / "r2")
        document = json.loads((tool_placement / "r2/output/retrieval_summary.json").read_text())
        compact = next(d for d in document if d["doc_mode"] == "compact")
        values = named(found)
        assert values["mrr[compact]"] == compact["mrr"]
        assert values["recall@5[compact]"] == compact["recall@5"]
        assert "mrr" not in values and found.histories == ()
        assert measured_names(list(values), ["MRR"]) == {
            "mrr[name_desc]",
            "mrr[compact]",
            "mrr[full]",
        }

    def test_a_query_names_the_compact_mrr(self, tool_placement: Path) -> None:
        """The plan's "compact retrieval" number, picked by a query, recorded as mrr."""
        rule = QueryRule(
            name="mrr", query="[?doc_mode=='compact'].mrr | [0]", files="output/*summary.json"
        )
        found = read(tool_placement, tool_placement / "r2", rule)
        document = json.loads((tool_placement / "r2/output/retrieval_summary.json").read_text())
        assert named(found)["mrr"] == document[1]["mrr"]

    def test_signal_table_is_not_a_series(self, tool_placement: Path) -> None:
        """The 1,032-row per-tool table is not read as 30 "histories" (no plateau on a list of
        tools); summary.json's scalars are read; the table is a problem pointing at a query."""
        found = read(tool_placement, tool_placement / "r3")
        assert found.histories == ()
        assert named(found)["avg_compression_ratio"] == pytest.approx(0.4519, abs=1e-3)
        (problem,) = found.problems
        assert problem.source.endswith("tool_representation_signals.json")
        assert "list of 1032 objects" in problem.message
        assert check_quality(found.values, found.histories) == ()

    def test_placement_summary_is_per_placement(self, tool_placement: Path) -> None:
        """placement_summary_recomputed.json: tool_accuracy per placement, as recomputed."""
        found = read(tool_placement, tool_placement / "r4")
        values = named(found)
        assert values["tool_accuracy[retrieval]"] == 0.69
        assert values["tool_accuracy[template_macro]"] == 0.68
        assert values["valid_json_rate[template_macro]"] == 1.0


class TestHarness:
    def test_three_seed_file_is_read_per_seed(self, harness: Path) -> None:
        """b1-three-seed.json: one value per seed ([seed=N]), passed as 1, no plateau."""
        found = read(harness, harness / "r2")
        values = named(found)
        document = json.loads((harness / "r2/output/b1-three-seed.json").read_text())
        for entry in document["results"]:
            key = f"results.final_expected_success[seed={entry['seed']}]"
            assert values[key] == entry["final_expected_success"]
        assert values["passed"] == 1.0
        kinds = {f.kind for f in check_quality(found.values, found.histories)}
        assert QualityKind.PLATEAU not in kinds and QualityKind.DIVERGENCE not in kinds

    def test_audit_passes_and_work_files_are_not_metrics(self, harness: Path) -> None:
        """audit.json gives passed = 1; the 97 work files listed in it hold no numbers and
        add nothing; a query reads the check the plan's G1 gate names."""
        rule = QueryRule(
            name="paths_ok", query="all_paths_within_configured_root", files="output/audit.json"
        )
        found = read(harness, harness / "r3", rule)
        values = named(found)
        assert values["passed"] == 1.0 and values["paths_ok"] == 1.0
        assert not any(name.startswith("files") for name in values)
        assert found.problems == ()
