"""
``[[metrics.extract]]`` scoped to the runs it is for, on the real project 009 in
``../shared/projects/`` run by ``bridge run`` with the local backend (its bridge.toml from
``projects/009_tool-placement/``, R001 and R002 done before bridge, R005 not run here).

Its B2 run (R003) writes ``summary.json``, an object of counts; its B3 run (R004) writes
``placement_summary_recomputed.json``, a list of per-placement records. A researcher who wants
B3's argument accuracy for template macros writes one rule, with a glob on the file name. Without
a scope the rule is put to R003's ``summary.json`` too, and R003 gets a blocking problem quoting
the query (a sanity run would fail on it); scoped to B3, R003 hears nothing of it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bridge.cli import main
from tests.acceptance.test_real_projects import _copy, _edit_tracker
from tests.conftest import needs_shared

pytestmark = needs_shared

QUERY = "[?placement=='template_macro'].argument_exact | [0]"


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scope: str) -> Path:
    """009 with one rule for B3's argument accuracy (``scope``: its blocks/runs lines)."""
    # The project's own modules would otherwise leave __pycache__ in the copy.
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    project = _copy("009_tool-placement", tmp_path)
    _edit_tracker(project, {"R005": "NOT RUN — needs model-call outputs from an API"})
    with (project / "bridge.toml").open("a", encoding="utf-8") as f:
        f.write(
            f'\n[[metrics.extract]]\nname = "arg_exact_macro"\nfile = "*summary*.json"\n'
            f'query = "{QUERY}"\n{scope}\n'
        )
    return project


def _runs(project: Path) -> dict[str, dict[str, Any]]:
    """`bridge run` through the command line; results.json's runs by id."""
    assert main(["run", "--project", str(project)]) == 0
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    return {r["run_id"]: r for r in data["runs"]}


def _about_the_rule(run: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in run["extraction_problems"] if "arg_exact_macro" in p["message"]]


def test_without_a_scope_the_other_blocks_run_gets_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today's behaviour, kept: every run is queried; R003's summary.json answers null."""
    runs = _runs(_project(tmp_path, monkeypatch, ""))
    assert _about_the_rule(runs["R003"]) == [
        {
            "blocking": True,
            "message": f"[[metrics.extract]] 'arg_exact_macro' (query {QUERY!r}) found nothing",
            "source": ".bridge/runs/R003/R003-a1/output/summary.json",
        }
    ]
    assert [m["value"] for m in runs["R004"]["metrics"] if m["name"] == "arg_exact_macro"] == [0.79]


@pytest.mark.parametrize("scope", ['blocks = ["B3"]', 'blocks = "Block 3"', 'runs = ["R00[4-9]"]'])
def test_a_scoped_rule_reads_its_runs_and_says_nothing_to_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scope: str
) -> None:
    """R004's number is picked and traced to its file; R003 is neither queried nor told."""
    runs = _runs(_project(tmp_path, monkeypatch, scope))
    assert _about_the_rule(runs["R003"]) == []
    assert not [m for m in runs["R003"]["metrics"] if m["name"] == "arg_exact_macro"]
    picked = [m for m in runs["R004"]["metrics"] if m["name"] == "arg_exact_macro"]
    assert [(m["value"], m["rule"], m["source"]) for m in picked] == [
        (
            0.79,
            f"jmespath:{QUERY}",
            ".bridge/runs/R004/R004-a1/output/placement_summary_recomputed.json",
        )
    ]
    assert _about_the_rule(runs["R004"]) == []


def test_a_scoped_rule_still_reports_nothing_found_on_its_own_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In scope, a query answering null is the problem it always was; out of scope, silence."""
    project = _project(tmp_path, monkeypatch, 'blocks = ["B3"]')
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text("utf-8").replace("'template_macro'", "'macro'"), "utf-8")
    runs = _runs(project)
    assert _about_the_rule(runs["R003"]) == []
    assert [(p["blocking"], p["source"]) for p in _about_the_rule(runs["R004"])] == [
        (True, ".bridge/runs/R004/R004-a1/output/placement_summary_recomputed.json")
    ]


@pytest.mark.parametrize(
    ("scope", "words"),
    [
        (
            'blocks = ["B3", "B5"]',
            "metrics.extract[0].blocks: 'B5' is not a block of the plan; did you mean",
        ),
        ('runs = ["R04"]', "metrics.extract[0].runs: 'R04' matches no run; did you mean 'R004'"),
    ],
)
def test_a_scope_naming_nothing_stops_before_any_run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    scope: str,
    words: str,
) -> None:
    """Exit 2 with bridge.toml:LINE, and no run launched."""
    project = _project(tmp_path, monkeypatch, scope)
    line = (project / "bridge.toml").read_text("utf-8").split("\n").index(scope) + 1
    assert main(["run", "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert f"bridge.toml:{line}: {words}" in err, err
    assert "Traceback" not in err
    assert not (project / ".bridge" / "runs").exists()
