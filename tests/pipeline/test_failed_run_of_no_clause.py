"""
End to end on the real 004 plan (trial t8): a run that failed, of a system no clause of its
block compares, does not hide a clause that is not met on the runs it compares.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from tests.conftest import needs_shared
from tests.plan.corpus import as_project, run_to_results

# Each run writes its entry of numbers.json (else "*") as metrics.json; null crashes it.
_JOB = """\
import json, pathlib, sys
numbers = json.loads(pathlib.Path(__file__).with_name("numbers.json").read_text())
entry = numbers.get(sys.argv[1], numbers["*"])
if entry is None:
    sys.exit("RuntimeError: crashed on purpose")
pathlib.Path(sys.argv[2], "metrics.json").write_text(json.dumps(entry))
"""

# B3's second clause as trial t8 edited it (EXPERIMENT_PLAN.md:86): one system against the full
# one, so it compares R303 and R202 only.
_CLAUSE = (
    "  - Each `no_class_A/B/C` yields overall TPR drop ≥ 3pp",
    "  - `no_class_A` TPR at least 3pp lower than LSVJ-S full",
)


def _b3_verdict(tmp_path: Path, crashed: dict[str, object]) -> str:
    """B3's Verdict line of EXPERIMENT_RESULTS.md and the Summary's not-met line after
    `bridge run` of 004 with R202's TPR 0.70, R303's 0.68 and ``crashed`` over the rest."""
    project = as_project("004", tmp_path / "p")
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    assert _CLAUSE[0] in text
    plan.write_text(text.replace(*_CLAUSE), encoding="utf-8")
    numbers: dict[str, object] = {
        "*": {"TPR": 0.6, "FPR": 0.1},
        "R202": {"TPR": 0.7, "FPR": 0.08},
        "R303": {"TPR": 0.68},
        **crashed,
    }
    (project / "numbers.json").write_text(json.dumps(numbers), encoding="utf-8")
    system = '[systems."L1+L2+L3-LSVJ-S+L4; N=5 perturbation, k=3 vote"]\n'
    alias = system + 'aliases = ["LSVJ-S full"]\n'
    results = run_to_results(project, _JOB, config=alias)
    b3 = results[results.index("### B3:") :]
    verdict = next(x for x in b3.splitlines() if x.startswith("- **Verdict:**"))
    summary = [x for x in results.splitlines() if "blocks outside the main milestone not met" in x]
    return "\n".join([verdict, *summary])


@needs_shared
def test_a_crashed_run_no_clause_compares_leaves_the_clause_not_met(tmp_path: Path) -> None:
    """R304 (`no_class_B`) crashed: B3 read "**inconclusive** — runs failed: R304 (failed)",
    and "not met: B3" left the summary, though clause 2's 2 pp drop (3 pp required) is on
    R303 and R202 alone."""
    said = _b3_verdict(tmp_path, {"R304": None})
    assert "**not_met** (judged by rule) — clause 2 of 2 not met. [1] open: «`no_sem_gate`" in said
    assert "[2] not met: «`no_class_A` TPR at least 3pp lower than LSVJ-S full»" in said
    assert "drop +2 pp; required drop ≥ 3 pp → not met" in said
    assert "; also: runs failed: R304 (failed), of no system a checkable clause compares" in said
    assert "- **Must-run blocks outside the main milestone not met:** B3" in said


@needs_shared
def test_a_crashed_run_the_clause_compares_holds_it_open(tmp_path: Path) -> None:
    """R303 (`no_class_A`) crashed: clause 2 has no numbers to be judged on, and says why."""
    said = _b3_verdict(tmp_path, {"R303": None})
    assert "**inconclusive** (judged by rule) — 2 of 2 clauses open (1, 2)." in said, said
    assert (
        "[2] open: «`no_class_A` TPR at least 3pp lower than LSVJ-S full» — runs failed: R303"
        in said
    )
    assert "not met:** B3" not in said


@needs_shared
def test_a_nan_and_a_crash_of_runs_no_clause_compares_hide_nothing(tmp_path: Path) -> None:
    """R305 (`no_class_C`) wrote a NaN TPR beside R304's crash: B3 stayed inconclusive."""
    said = _b3_verdict(tmp_path, {"R304": None, "R305": {"TPR": math.nan}})
    assert "**not_met** (judged by rule) — clause 2 of 2 not met." in said, said
    assert "training-quality problems: R305 TPR: non_finite" in said
    assert "also: runs failed: R304 (failed)" in said
