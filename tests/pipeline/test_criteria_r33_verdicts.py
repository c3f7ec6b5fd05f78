"""
End to end on the tiny project (review r33): `bridge run` with runs that record accuracy and
training time, `[metrics] primary = "accuracy"`, and a criterion that was judged "met" on a
10-point accuracy drop, or judged on the training time it holds fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.cli import main
from tests.e2e.tiny import PLAN, SCRIPT, write_project


def _verdict(root: Path, criterion: str, *, method: float, method_time: float) -> str:
    """Block 1's Verdict line after `bridge run`, Method's accuracy ``method`` (Baseline's
    0.5) and its training time ``method_time`` (Baseline's 50)."""
    project = write_project(root)
    plan = PLAN.replace("- **Metrics**: accuracy\n", "")
    plan = plan.replace("Method accuracy > 10% over Baseline", criterion)
    (project / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(plan, encoding="utf-8")
    script = SCRIPT.replace('"method": 0.8', f'"method": {method}').replace(
        'json.dumps({"accuracy": acc})',
        'json.dumps({"accuracy": acc, "training_time": '
        f'{method_time} if a.model == "method" else 50.0}})',
    )
    (project / "train.py").write_text(script, encoding="utf-8")
    assert main(["run", "--project", str(project)]) == 0
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    return next(x for x in results.splitlines() if x.startswith("- **Verdict:**"))


@pytest.mark.parametrize(
    ("criterion", "said"),
    [
        # Was "**met** — either of 2 parts: … part 2 (clause 2) met (one part met is enough)".
        (
            "No regression vs Baseline: accuracy drop ≤ 1 pp or training_time increase ≤ 10%",
            "**inconclusive** (judged by rule) — criterion not machine-checkable: several or "
            "conditional clauses",
        ),
        # Was "**met** — … drop +10 pp; required drop > 1 pp → met".
        (
            "Method does not drop accuracy by more than 1 pp vs Baseline",
            "**not_met** (judged by rule) — accuracy (counted as a drop)",
        ),
    ],
)
def test_a_ten_point_accuracy_drop_is_not_met(tmp_path: Path, criterion: str, said: str) -> None:
    verdict = _verdict(tmp_path / "p", criterion, method=0.4, method_time=50.0)
    assert said in verdict, verdict
    assert "**met**" not in verdict, verdict


def test_a_training_time_held_fixed_is_not_the_metric_judged(tmp_path: Path) -> None:
    # Was "**not_met** — training_time (lower is better): Method 100 (n=1); vs Baseline 50
    # (n=1): gain -100%; required gain > 10% → not met".
    verdict = _verdict(
        tmp_path / "p",
        "Method improves by more than 10% over Baseline at the same training time",
        method=0.8,
        method_time=100.0,
    )
    assert verdict.startswith(
        "- **Verdict:** **met** (judged by rule) — accuracy (better) (values read as fractions, "
        "×100): "
    ), verdict
    assert "'at the same training time' read as a condition the comparison holds under" in (verdict)
