"""
``[[metrics.regex]]`` scoped by ``blocks``/``runs`` on a real ``bridge run`` of the tiny project
(local backend, real processes): the rule reads only the runs it is for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bridge.cli import main
from tests.e2e.tiny import write_project

RULE = '\n[[metrics.regex]]\nname = "loss"\npattern = "loss=([0-9.]+)"\n'


def _metric_names(project: Path) -> dict[str, list[str]]:
    assert main(["run", "--project", str(project), "--plain"]) == 0
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    return {r["run_id"]: sorted(m["name"] for m in r["metrics"]) for r in data["runs"]}


@pytest.mark.parametrize(
    ("scope", "with_loss"),
    [
        ("", {"R001", "R002", "R003"}),
        ('runs = ["R00[3-9]"]', {"R003"}),
        ('blocks = "Block 1"', {"R001", "R002", "R003"}),
        ('runs = ["R002"]\nblocks = []', None),
    ],
)
def test_a_regex_rule_reads_the_runs_it_is_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scope: str, with_loss: set[str] | None
) -> None:
    """Unscoped: every run; with runs/blocks: those runs only; an empty list is refused."""
    project = write_project(tmp_path)
    with (project / "bridge.toml").open("a", encoding="utf-8") as f:
        f.write(RULE + scope + "\n")
    if with_loss is None:
        assert main(["run", "--project", str(project)]) == 2
        assert "metrics.regex[0].blocks is empty" in capsys.readouterr().err
        return
    names = _metric_names(project)
    assert {run for run, metrics in names.items() if "loss" in metrics} == with_loss
    assert all("accuracy" in metrics for metrics in names.values())


def test_a_regex_scope_naming_nothing_stops_before_any_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown block: exit 2, bridge.toml:LINE and the closest id, nothing launched."""
    project = write_project(tmp_path)
    with (project / "bridge.toml").open("a", encoding="utf-8") as f:
        f.write(RULE + 'blocks = ["B2"]\n')
    line = (project / "bridge.toml").read_text("utf-8").split("\n").index('blocks = ["B2"]') + 1
    assert main(["run", "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert f"bridge.toml:{line}: metrics.regex[0].blocks: 'B2' is not a block of the plan" in err
    assert "did you mean 'B1'" in err
    assert not (project / ".bridge" / "runs").exists()
