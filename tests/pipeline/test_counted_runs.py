"""
Which runs a block's verdict counts, on the quickstart run by `bridge run` with the local
backend and fixed numbers (trial t15):

- a run bridge attributes to no block counts in no block's verdict beside runs a block has of
  its system: a fourth Logistic regression row with no block (R021, "seed 3", macro-F1 0.99)
  made B2, which borrows B1's Logistic regression runs, judge on it too (n=4, gain +7.9 pp,
  met; main result positive), while B1 left it out (n=3) and the results listed it under "Runs
  not attributed to a block";
- a run that succeeded with no number (a metrics.json of `{}`) is named in its block's verdict
  and holds it open: B1 was judged on the other two seeds alone.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bridge.cli import main
from bridge.projections.reasons import in_language
from tests.conftest import REPO_ROOT

_ROW = (
    "| R021 | M2 | main: probabilistic linear model | Logistic regression | Iris 70/30 "
    "stratified (split seed 1936) | accuracy, macro-F1, train loss | MUST | TODO | seed 3 |"
)

# The trial's numbers (macro-F1 per run; accuracy and train loss follow it): Perceptron 0.78,
# 0.80, 0.77 and Logistic regression 0.93, 0.91, 0.62, a gain of +3.7 pp where B2 asks > 5 pp;
# R021's 0.99 makes it +7.9 pp.
_F1 = {
    "R001": 0.78, "R002": 0.68, "R003": 0.31, "R004": 0.31, "R005": 0.31, "R006": 0.78,
    "R007": 0.80, "R008": 0.77, "R009": 0.93, "R010": 0.91, "R011": 0.62, "R012": 0.88,
    "R013": 0.89, "R014": 0.90, "R015": 0.94, "R016": 0.93, "R017": 0.95, "R018": 0.68,
    "R019": 0.70, "R020": 0.69, "R021": 0.99,
}  # fmt: skip

# Each run writes its numbers from fixed.json, by run id: no training, the same numbers always.
_FAKE = (
    "import json, pathlib, sys\n"
    "f1 = json.loads(pathlib.Path('fixed.json').read_text()).get(sys.argv[1])\n"
    "out = pathlib.Path(sys.argv[2])\n"
    "out.mkdir(parents=True, exist_ok=True)\n"
    "metrics = {} if f1 is None else "
    "{'accuracy': f1 - 0.02, 'macro_f1': f1, 'train_loss': 1.3 - f1}\n"
    "(out / 'metrics.json').write_text(json.dumps(metrics))\n"
)

_TOML = """\
[bridge]
max_parallel = 2
backend = "local"
[run]
command = "python3 scripts/fixed.py {run_id} {output_dir}"
outputs = ["metrics.json"]
timeout_minutes = 2
[metrics]
files = ["metrics.json"]
primary = "accuracy"
"""


def _project(tmp_path: Path, numbers: dict[str, float] = _F1, *, r021: bool = True) -> Path:
    project = tmp_path / "quickstart"
    shutil.copytree(REPO_ROOT / "examples" / "quickstart", project)
    if r021:
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        lines = tracker.read_text("utf-8").splitlines()
        at = next(n for n, line in enumerate(lines) if line.startswith("| R020 "))
        lines.insert(at + 1, _ROW)
        tracker.write_text("\n".join(lines) + "\n", "utf-8")
    (project / "scripts" / "fixed.py").write_text(_FAKE, "utf-8")
    (project / "fixed.json").write_text(json.dumps(numbers), "utf-8")
    (project / "bridge.toml").write_text(_TOML, "utf-8")
    return project


def test_a_run_of_no_block_decides_no_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    # `bridge plan` lends B2 B1's runs of the system, not R021 beside them (it read
    # "Logistic regression: R009 (B1), R010 (B1), R011 (B1), R021"), and B3, B4 alike.
    assert main(["plan", "--project", str(project)]) == 0
    preview = capsys.readouterr().out
    lent = "from other blocks: Perceptron: R006 (B1), R007 (B1), R008 (B1); Logistic regression: "
    assert f"{lent}R009 (B1), R010 (B1), R011 (B1)\n" in preview
    assert "R011 (B1), R021" not in preview
    assert main(["run", "--project", str(project), "--plain"]) == 0
    data: dict[str, Any] = json.loads((project / "refine-logs" / "results.json").read_text())
    blocks = {b["block"]: b for b in data["blocks"]}
    runs = {r["run_id"]: r for r in data["runs"]}
    assert runs["R021"]["block"] == ""  # not attributed, as the plan's warning says
    # Counted in no block: neither B1, which owns Logistic regression, nor the blocks that
    # borrow B1's runs of it.
    for block in ("B1", "B2", "B3", "B4"):
        assert "R021" not in blocks[block]["runs"], block
    assert blocks["B2"]["shared_runs"] == ["R006", "R007", "R008", "R009", "R010", "R011"]
    assert blocks["B2"]["verdict"] == "not_met"
    assert "Logistic regression 82 ± 17.35 (n=3)" in blocks["B2"]["reason"]
    assert "seeds differ" not in blocks["B2"]["reason"]
    assert data["summary"]["main_result"] == "negative"
    text = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text("utf-8")
    section = text.split("## Runs not attributed to a block", 1)[1].split("\n## ", 1)[0]
    assert (
        "| R021 | Logistic regression | accuracy = 0.97 (+2 more) | system 'Logistic regression' "
        "is compared in blocks B1, B2 | no block |"
    ) in section
    assert (
        "R021"
        not in text.split("## Runs not attributed to a block", 1)[0].split(
            "## Blocks: criteria and verdicts", 1
        )[1]
    )


def test_a_run_with_no_number_holds_its_block_open(tmp_path: Path) -> None:
    """R011 (Logistic regression, seed 2) writes `{}`: B1 read met on R009 and R010 alone,
    naming R011 nowhere; it is open, naming R011, and so is B2, which borrows it."""
    numbers = {run: f1 for run, f1 in _F1.items() if run not in ("R011", "R021")}
    project = _project(tmp_path, numbers, r021=False)
    main(["run", "--project", str(project), "--plain"])
    data: dict[str, Any] = json.loads((project / "refine-logs" / "results.json").read_text())
    blocks = {b["block"]: b for b in data["blocks"]}
    for block in ("B1", "B2"):
        assert blocks[block]["verdict"] == "inconclusive", block
        assert "runs that succeeded but recorded no metric value: R011" in blocks[block]["reason"]
    # A block that does not compare Logistic regression is judged as before.
    assert blocks["B3"]["verdict"] == "met"


def test_a_system_with_more_runs_than_the_plans_seeds_says_which(tmp_path: Path) -> None:
    """R021 (Logistic regression, seed 3) given to B1, whose plan says "mean of 3 seeds (0, 1,
    2)": B1 and B2 judged Logistic regression on n=4 (+7.9 pp in B2, met) and said only that
    the seeds differ. Judged on the runs the block has, it now says it used four, and which."""
    project = _project(tmp_path)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text("utf-8")
    tracker.write_text(text.replace("| seed 3 |", "| seed 3; block B1 |"), "utf-8")
    main(["run", "--project", str(project), "--plain"])
    data: dict[str, Any] = json.loads((project / "refine-logs" / "results.json").read_text())
    blocks = {b["block"]: b for b in data["blocks"]}
    assert "R021" in blocks["B1"]["runs"]
    said = (
        "Logistic regression: judged on all its 4 runs of macro_f1 (R009, R010, R011, R021), "
        "where the block expects 3 seeds"
    )
    assert "Logistic regression 86.25 ± 16.52 (n=4)" in blocks["B2"]["reason"]
    assert said in blocks["B2"]["reason"], blocks["B2"]["reason"]
    assert said.replace("macro_f1", "accuracy") in blocks["B1"]["reason"]
    # A system with the block's three seeds is not named.
    assert "Perceptron: judged on" not in blocks["B2"]["reason"]
    assert in_language(said, "zh") == (
        "Logistic regression：按其 macro_f1 的全部 4 次运行（R009, R010, R011, R021）判断"
        "（该实验块应有 3 个种子）"
    )
