"""
`bridge plan` warns of a clause read as "primary metric" when neither `[metrics] primary` nor
the block's Metrics field names one (trial t16 F14 on 012: B2, «variant 3 improves the locked
high-DTU endpoint beyond variant 2», read as "variant 3 vs variant 2: primary metric gain
(better) > 0" with no word; it was found inconclusive only after the runs).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.cli import main
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

pytestmark = needs_shared

TOML = """\
[systems."per-gene macro dynamic head"]
aliases = ["variant 2"]

[systems."bounded DTU-weighted macro head"]
aliases = ["variant 3"]
"""


def _plan(tmp_path: Path, toml: str, *options: str) -> str:
    project = as_project("012", tmp_path)
    (project / "bridge.toml").write_text(toml, encoding="utf-8")
    assert main(["plan", "--project", str(project), *options]) == 0
    return project.joinpath("refine-logs", "EXPERIMENT_PLAN.md").read_text(encoding="utf-8")


def test_a_clause_on_the_primary_metric_nothing_names_is_warned_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _plan(tmp_path, TOML)
    said = capsys.readouterr().out
    assert "read as:   variant 3 vs variant 2: primary metric gain (better) > 0" in said
    line = (
        plan.split("\n").index(
            next(x for x in plan.split("\n") if "Success criterion: variant 3" in x)
        )
        + 1
    )
    assert (
        f"warning refine-logs/EXPERIMENT_PLAN.md:{line}: B2: its criterion «variant 3 improves "
        "the locked high-DTU endpoint beyond variant 2, not merely beyond the molecule-weighted "
        "baseline.» names no metric and the block's Metrics field names none, so it is judged on "
        # R004's "same as R003" and R005's "same plus calibration" are R003's metrics, not
        # metrics named so; the clause speaks of 'high-DTU', another metric R003's row lists
        # («full, high-DTU, stable NLL»), so it is not judged on 'full' either.
        "the first metric of its runs' rows ('full') only where a run records a value by that "
        "name, and not even then: it mentions 'high-DTU', another metric those rows list, so "
        "the results leave it inconclusive rather than judge it on the first; set the metric "
        "to judge it on in "
        'bridge.toml: [metrics] primary = "<the name the runs record>", or name it in the '
        "criterion, else the results leave it inconclusive"
    ) in " ".join(said.split()), said


def test_in_the_plans_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _plan(tmp_path, '[bridge]\nlanguage = "zh"\n\n' + TOML)
    said = " ".join(capsys.readouterr().out.split())
    assert "B2：其成功标准 «variant 3 improves" in said, said
    assert '请在 bridge.toml 中设置用于判定的指标：[metrics] primary = "<运行记录的指标名>"' in said
    assert "它提到了这些行列出的另一个指标 'high-DTU'，因此结果会判为无法定论" in said, said


def test_no_warning_once_the_primary_metric_is_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _plan(tmp_path, TOML + '\n[metrics]\nprimary = "high_dtu_nll"\n')
    said = capsys.readouterr().out
    assert "read as:   variant 3 vs variant 2: primary metric gain (better) > 0" in said
    assert "names no metric" not in said
