"""
`bridge plan` warns of a clause counting a gain the
better way of a metric whose better way nothing gives (not its words, `[metrics]
higher_is_better`, nor the names bridge knows): the results leave it open (h43E), so the
researcher learns it after the GPU time is spent unless told now (005's B2 «A1-full mean paired
lift over A1-only ≥+0.05» on J-drop). Once per metric, with the bridge.toml line to add. Not
`bridge run` at its start: it launches before it loads the criteria's parser (tests/
test_imports.py), as for the other criterion warnings (no_primary_metric, unplanned systems).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bridge.cli import main
from tests.conftest import needs_shared
from tests.e2e.tiny import write_project
from tests.plan.corpus import as_project

B2_LINE = (
    "B2 «A1-full mean paired lift over A1-only ≥+0.05»: per-clip exported J-drop paired: "
    "which way is better is not known (the criterion's words do not say, nor does bridge.toml, "
    "and bridge does not know the metric): set [metrics] higher_is_better = "
    '{ "per-clip exported J-drop paired" = true } (or false) in bridge.toml (under the name the '
    "runs record it by), else the results leave it open"
)


def _said(capsys: pytest.CaptureFixture[str]) -> str:
    return " ".join(capsys.readouterr().out.split())


def _line(project: Path, start: str) -> int:
    lines = project.joinpath("refine-logs", "EXPERIMENT_PLAN.md").read_text("utf-8").split("\n")
    return lines.index(next(x for x in lines if x.startswith(start))) + 1


@needs_shared
def test_005_b2_is_warned_of_at_its_criterion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = as_project("005", tmp_path)
    assert main(["plan", "--project", str(project)]) == 0
    said = _said(capsys)
    line = _line(project, "- **Success criterion**: A1-full mean paired lift")
    assert f"warning refine-logs/EXPERIMENT_PLAN.md:{line}: {B2_LINE}" in said, said
    assert said.count("which way is better is not known") == 1


@needs_shared
@pytest.mark.parametrize(
    "toml",
    [
        '[metrics]\nhigher_is_better = { "per-clip exported J-drop paired" = true }\n',
        # The name the runs record, connected to the plan's by an alias, set.
        '[metrics]\naliases = { "J_drop" = "per-clip exported J-drop paired" }\n'
        'higher_is_better = { "J_drop" = true }\n',
    ],
)
def test_005_b2_not_warned_of_once_the_direction_is_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str
) -> None:
    project = as_project("005", tmp_path)
    (project / "bridge.toml").write_text(toml, encoding="utf-8")
    assert main(["plan", "--project", str(project)]) == 0
    said = _said(capsys)
    assert "A1-full vs A1-only: primary metric gain (better) ≥ 0.05" in said, said
    assert "which way is better is not known" not in said


@needs_shared
def test_005_in_bridge_plan_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = as_project("005", tmp_path)
    assert main(["plan", "--json", "--project", str(project)]) == 0
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    line = _line(project, "- **Success criterion**: A1-full mean paired lift")
    said = [w for w in warnings if "which way is better" in w["message"]]
    assert [(w["file"], w["line"], " ".join(w["message"].split())) for w in said] == [
        ("refine-logs/EXPERIMENT_PLAN.md", line, B2_LINE)
    ]


@needs_shared
def test_027_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """027's B1 «三个 D_k 中任一项不得退化超过 5%»: which way is worse is not known."""
    project = as_project("027", tmp_path)
    assert main(["plan", "--project", str(project)]) == 0
    said = _said(capsys)
    assert (
        "B1 «三个 D_k 中任一项不得退化超过 5%»：D_k：不知道哪个方向算变差：请在 bridge.toml 中设置 "
        '[metrics] higher_is_better = { "D_k" = true }（或 false）（用运行记录该指标的名字），'
        "否则结果只能判为待定"
    ) in said, said


def _tiny(root: Path, criterion: str, setting: str = "") -> Path:
    """The tiny project comparing Vpk, a metric bridge does not know, by ``criterion``, with
    ``setting`` added to its ``[metrics]``."""
    project = write_project(root)
    for name in ("EXPERIMENT_PLAN.md", "EXPERIMENT_TRACKER.md"):
        path = project / "refine-logs" / name
        text = path.read_text("utf-8").replace("accuracy", "Vpk")
        path.write_text(text.replace("Method Vpk > 10% over Baseline", criterion), encoding="utf-8")
    script = project / "train.py"
    script.write_text(script.read_text("utf-8").replace('"accuracy"', '"Vpk"'), "utf-8")
    cfg = project / "bridge.toml"
    primary = 'primary = "Vpk"\n' + setting
    cfg.write_text(cfg.read_text("utf-8").replace('primary = "accuracy"', primary))
    return project


VPK = (
    "Vpk: which way is better is not known (the criterion's words do not say, nor does "
    "bridge.toml, and bridge does not know the metric): set [metrics] higher_is_better = "
    '{ "Vpk" = true } (or false) in bridge.toml'
)


def test_once_per_metric_naming_each_clause(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _tiny(
        tmp_path,
        "Method improves Vpk over Baseline by at least 0.1 and Method outperforms Baseline on Vpk",
    )
    line = _line(project, "- **Success criterion**:")
    warning = (
        f"warning refine-logs/EXPERIMENT_PLAN.md:{line}: B1 «Method improves Vpk over Baseline "
        f"by at least 0.1», B1 «Method outperforms Baseline on Vpk»: {VPK} (under the name the "
        "runs record it by), else the results leave it open"
    )
    assert main(["plan", "--project", str(project)]) == 0
    planned = _said(capsys)
    assert warning in planned, planned
    assert planned.count("which way is better") == 1


@pytest.mark.parametrize(
    ("criterion", "setting"),
    [
        (
            "Method improves Vpk over Baseline by at least 0.1",
            'higher_is_better = { "Vpk" = false }',
        ),
        ("Method reduces Vpk relative to Baseline by at least 10%", ""),
        ("Method has lower Vpk than Baseline", ""),
        ("Method Vpk ≥ 0.8", ""),
    ],
)
def test_not_warned_of_where_the_way_is_given_or_not_needed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], criterion: str, setting: str
) -> None:
    project = _tiny(tmp_path, criterion, setting)
    assert main(["plan", "--project", str(project)]) == 0
    said = _said(capsys)
    assert f"criterion: {criterion}" in said, said
    assert "which way" not in said, said
