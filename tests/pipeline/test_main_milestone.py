"""
Which milestone gives the main result: recognised by name, or named by the researcher.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.errors import ConfigError
from bridge.machine.stages import Stage
from bridge.pipeline import Bridge
from bridge.plan import load_project
from bridge.projections.plan_words import warning_in_language
from tests.pipeline.conftest import Run, write_project

RUNS = [Run(id="S1", milestone="M0", system="sanity"), Run(id="R1", milestone="M1")]


def _unnamed(project: Path, bridge: str = "max_parallel = 2\ncode_review = false") -> Path:
    write_project(project, RUNS, bridge=bridge)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    # A diagnostic plan (like a real one in ../shared/projects) names no milestone "main".
    plan.write_text(plan.read_text().replace("| Main |", "| Signal report |"))
    return project


def _summary(project: Path) -> str:
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        return bridge.summary()
    finally:
        bridge.close()


def test_no_main_milestone_says_how_to_name_one(project: Path) -> None:
    """With no milestone named main, the summary says so and how to name it, and the results
    are not ready for the review loop. Ablation planning was skipped for the inconclusive
    result, and results.json says so as the summary does (008: it said "no ablation planner
    configured")."""
    import json

    text = _summary(_unnamed(project))
    data = json.loads((project / "refine-logs" / "results.json").read_text())
    assert data["summary"]["ablation_planning"]["reason"] == "main result inconclusive"
    assert 'name it with main_milestone = "M1" in bridge.toml [bridge]' in text
    assert "Ready for the review loop: NO" in text
    # The one instruction is that, not the generic "resolve the reasons listed above".
    next_step = text.split("Next step: ", 1)[1]
    assert next_step.startswith(
        'No main milestone was recognised in the plan: name it with main_milestone = "M1" in '
        "bridge.toml [bridge] (milestones: M1), then run `bridge run`."
    ), next_step


def test_the_advice_names_a_milestone_of_the_plan(project: Path) -> None:
    """034's milestones have no M-ids (`Pilot positive`, `Ablations complete`): the advice
    said `main_milestone = "M…"`, and `-o main_milestone=M4` was refused. `bridge plan`, the
    results and the summary show a value of the plan's own, in English and Chinese, and that
    value makes the milestone the main result."""
    from bridge.cli.main import main
    from bridge.projections.results import render

    runs = [Run(id="S1", milestone="M0", system="sanity"), Run(id="R1", milestone="Pilot positive")]
    write_project(project, runs)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(plan.read_text().replace("| Main |", "| Signal report |"))
    setting = 'main_milestone = "Pilot positive"'
    (warning,) = [w for w in load_project(project).warnings if "main_milestone" in w.message]
    assert f"name it with {setting} in bridge.toml [bridge] (milestones: Pilot positive)" in (
        warning.message
    )
    zh = warning_in_language(warning.message, "zh")
    assert f"可在 bridge.toml [bridge] 中用 {setting} 指定（里程碑：Pilot positive）" in zh, zh
    text = _summary(project)
    assert f"name it with {setting} in bridge.toml [bridge]" in text
    assert "M…" not in text
    bridge = Bridge(project)
    try:
        state = bridge.status()
    finally:
        bridge.close()
    assert f"可在 bridge.toml 中用 {setting} 指定" in render(state, "zh")
    assert f"name it with {setting} in bridge.toml" in render(state, "en")
    # The advice works: the value it shows names the main result.
    root = ["--project", str(project)]
    assert main(["run", *root, "--plain", "-o", "main_milestone=Pilot positive"]) == 0
    bridge = Bridge(project, options={"main_milestone": "Pilot positive"})
    try:
        assert "Main result (Pilot positive): positive" in bridge.summary()
    finally:
        bridge.close()


def test_main_milestone_option_chooses_it(project: Path) -> None:
    """main_milestone = "M1" makes M1's blocks the main result."""
    text = _summary(
        _unnamed(project, 'max_parallel = 2\ncode_review = false\nmain_milestone = "M1"')
    )
    assert "Main result (M1): positive" in text
    assert "Ready for the review loop: YES" in text


def test_unknown_main_milestone_is_a_config_error(project: Path) -> None:
    """A main_milestone the plan does not have is refused at load, naming the setting and the
    closest id."""
    _unnamed(project, 'max_parallel = 2\nmain_milestone = "M11"')
    with pytest.raises(ConfigError, match="did you mean 'M1'") as caught:
        load_project(project)
    assert caught.value.setting == "bridge.main_milestone"


def test_an_option_given_later_reaches_a_collected_project(project: Path) -> None:
    """012: `bridge run -o main_milestone=M1` on a collected project judged as before, since
    only files counted as changed inputs. The option is now recorded with the plan, the
    main result follows it, and dropping it again goes back to bridge.toml's value."""
    from bridge.cli.main import main

    _unnamed(project)
    assert "Main result: inconclusive" in _summary(project)
    root = ["--project", str(project)]
    assert main(["run", *root, "--plain", "-o", "main_milestone=M1"]) == 0
    bridge = Bridge(project, options={"main_milestone": "M1"})
    try:
        assert "Main result (M1): positive" in bridge.summary()
        plan = bridge.status().plan
    finally:
        bridge.close()
    assert plan is not None and plan.options["main_milestone"] == "M1"
    assert main(["run", *root, "--plain"]) == 0
    assert "Main result: inconclusive" in Bridge(project).summary()
