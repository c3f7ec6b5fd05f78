"""
Metrics a block's Metrics line and criterion write out where the split of a Chinese line into
names misses them, in the block's results table: the real plan 023's B2 names its co-primary
metrics in code spans (`形成 `D_Vanilla` 与 `D_PredRNN-online` 两个 co-primary differences`,
`Holm-adjusted `D_Vanilla>0` 与 `D_PredRNN-online>0` 同时成立`), its B1 its decisive ones in a
Chinese parenthesis (`official EarthNetScore（ENS，越高越好）及 MAD/OLS/EMD/SSIM 分量`); run by
its researcher once its M2 code is written, R011 placed in B1 (h18G F6).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bridge import Bridge, Stage
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

pytestmark = needs_shared

# Every run writes B1's ENS and its components, B2's two co-primary differences, its NDVI MAE,
# and a number neither block names.
_JOB = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps(
    {"ENS": 0.32, "MAD": 0.25, "OLS": 0.33, "EMD": 0.3, "SSIM": 0.41, "D_Vanilla": 0.012,
     "D_PredRNN-online": -0.003, "ndvi_mae": 0.081, "wall_clock_s": 12}))
"""


@pytest.fixture(scope="module")
def p023(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """023 run to its results once: its researcher wrote M2's code (its rows say TODO, as `bridge
    run`'s next step asks), placed R011 in B1 (`[systems."matched Direct24"] block = "B1"`) and
    set R031 to run; every other row says DONE, so that only those six runs run (cheap)."""
    project = as_project("023", tmp_path_factory.mktemp("p023"))
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").split("\n")
    for at, line in enumerate(lines):
        if line.startswith("| R0"):
            cells = line.split("|")
            todo = cells[2].strip() == "M2" or cells[1].strip() in ("R011", "R031")
            cells[8] = " TODO " if todo else " DONE "
            lines[at] = "|".join(cells)
    tracker.write_text("\n".join(lines), encoding="utf-8")
    (project / "job.py").write_text(_JOB, encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 4\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", "{{output_dir}}", "{{seed}}"]\n'
        'args = { seed = "0" }\n\n[systems."matched Direct24"]\nblock = "B1"\n',
        encoding="utf-8",
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    return project


def test_023_block_tables_show_the_metrics_their_lines_write_out(p023: Path) -> None:
    """B2's table showed only ndvi_mae and said `D_Vanilla`, `D_PredRNN-online` were left out
    because neither its Metrics line nor its criterion named them: both name them, in code
    spans; B1's left out its decisive ENS, MAD, OLS, EMD and SSIM, written inside a Chinese
    parenthesis. Their rows are in the tables now, with the numbers the runs wrote."""
    project = p023
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    b2 = results.split("### B2:", 1)[1].split("### B3:", 1)[0]
    rows = [row for row in b2.splitlines() if row.startswith("| ") and "| R021 |" in row]
    assert "| aligned residual update | D_Vanilla | 0.012 | - | 1 | R021 |" in rows, rows
    assert "| aligned residual update | D_PredRNN-online | -0.003 | - | 1 | R021 |" in rows, rows
    assert "| aligned residual update | ndvi_mae | 0.081 | - | 1 | R021 |" in rows, rows
    left_out = b2.split("另有已记录的指标未列入此表", 1)[1].split("\n", 1)[0]
    assert "D_Vanilla" not in left_out and "D_PredRNN-online" not in left_out, left_out
    assert "`ENS`" in left_out and "`wall_clock_s`" in left_out  # named nowhere in B2
    b1 = results.split("### B1:", 1)[1].split("### B2:", 1)[0]
    for metric, value in (("ENS", "0.32"), ("MAD", "0.25"), ("OLS", "0.33"), ("SSIM", "0.41")):
        assert f"| matched Direct24 | {metric} | {value} | - | 1 | R011 |" in b1, b1
    left_out = b1.split("另有已记录的指标未列入此表", 1)[1].split("\n", 1)[0]
    assert "`ENS`" not in left_out and "`wall_clock_s`" in left_out, left_out
    # results.json had them all along: the table now agrees with it.
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    assert {
        a["metric"] for a in data["aggregates"] if a["block"] == "B2" and a["run_ids"] == ["R021"]
    } >= {"D_Vanilla", "D_PredRNN-online", "ndvi_mae"}


def test_023_a_stage_name_in_a_note_is_no_number_it_recorded(p023: Path) -> None:
    """R031's note «等用户的最终 Stage1.5 checkpoint 冻结» holds no measured number, but its
    "1.5" read as one: its row alone got `测得 ENS = 0.32（另有 8 个）` beside it, as a row whose
    note records a number of the researcher's gets what this attempt measured (009's "MRR
    0.383"). It reads as the other rows bridge ran do now."""
    tracker = (p023 / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in tracker.splitlines() if "| R0" in line}
    assert "等用户的最终 Stage1.5 checkpoint 冻结；bridge：第 1 次尝试" in rows["R031"], rows[
        "R031"
    ]
    assert "测得" not in rows["R031"] and "测得" not in rows["R021"], rows["R031"]
