"""
Seed edits of runs bridge proposed from the plan, on 033's plan (its tracker has no run table:
E5's 10 seeds per system are R005-R024, E6's one run R025; trial t10). One seed more keeps
every earlier id, with a `[[runs]]` entry naming a proposed run as without one; seeds cut rule
the runs the plan no longer proposes out of the verdict, their results kept in the log, and
putting the seeds back runs them again.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bridge import Bridge, Stage
from bridge.cli import main
from bridge.machine.stages import RunState
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

# Each run writes its system's numbers (E5's criterion: LGGSN+ORFN success rate ≥ GR-ConvNet
# baseline, with net ≥ 0); the seed moves them a little, so n and the mean tell which ran.
_JOB = """\
import json, pathlib, sys
system, seed, out = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
ours = "LGGSN+ORFN" in system
shift = int(seed) / 1000 if seed.isdigit() else 0.0
(out / "metrics.json").write_text(
    json.dumps({"success_rate": (0.7 if ours else 0.6) + shift, "net": 1 if ours else 0})
)
"""

_BASELINE = "SO-ARM + GR-ConvNet top-1 (Stage 3 equivalent, LGGSN disabled)"
_OURS = "SO-ARM + LGGSN+ORFN (sim-trained, zero-shot)"
_FIX = '\n[[runs]]\nid = "R017"\nenv = { FIXED = "1" }\n'


def _project(root: Path) -> Path:
    project = as_project("033", root)
    (project / "job.py").write_text(_JOB, encoding="utf-8")
    command = ", ".join(f'"{t}"' for t in (sys.executable, "job.py", "{system}", "{seed}"))
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 4\n\n"
        f'[run]\ncommand = [{command}, "{{output_dir}}"]\n'
        'args = { seed = "0", system = "-" }\n',
        encoding="utf-8",
    )
    return project


def _seeds(project: Path, count: int) -> None:
    """E5's seeds line (EXPERIMENT_PLAN.md:175) with ``count`` seeds per object."""
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    now = next(line for line in text.splitlines() if line.startswith("- Seeds: "))
    assert now.endswith("trials total")
    plan.write_text(
        text.replace(now, f"- Seeds: {count} per object = {3 * count} trials total"),
        encoding="utf-8",
    )


def _run(project: Path) -> dict[str, tuple[str, str, int | None, RunState]]:
    """`bridge run` (approving the proposed runs once): each run's block, system, seed, state."""
    bridge = Bridge(project)
    try:
        if bridge.run() is Stage.AWAITING_APPROVAL:
            bridge.approve()
        assert bridge.run() is Stage.COLLECTED
        runs = bridge.status().runs
    finally:
        bridge.close()
    return {
        r.run_id: (r.spec.block, r.spec.block_system, r.spec.seed, r.state) for r in runs.values()
    }


def _e5(project: Path) -> dict[str, list[str]]:
    """E5's success_rate aggregate per system: the runs it is over."""
    results = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    return {
        a["system"]: a["run_ids"]
        for a in results["aggregates"]
        if a["block"] == "E5" and a["metric"] == "success_rate"
    }


def _ids(first: int, last: int) -> list[str]:
    return [f"R{n:03d}" for n in range(first, last + 1)]


@needs_shared
def test_033_one_seed_more_keeps_every_id_with_a_runs_entry(tmp_path: Path) -> None:
    """033 with `[[runs]] id = "R017"` (env FIXED=1), then E5 at 11 seeds: R015 (ran as
    LGGSN+ORFN seed 0) became the baseline's seed 10, R016-R024 each moved down a seed, R025
    (E6's run) was placed in E5 as LGGSN+ORFN seed 9, the baseline's 11th seed never launched,
    E5 was judged met on the wrong runs, and the entry applied to seed 1. Now every run keeps
    its id, as without the entry, and R026, R027 are the seeds 10."""
    project = _project(tmp_path / "p")
    before = _run(project)
    assert before["R015"][:3] == ("E5", _OURS, 0)
    assert before["R025"][0] == "E6"
    config = project / "bridge.toml"
    config.write_text(config.read_text(encoding="utf-8") + _FIX, encoding="utf-8")
    assert _run(project) == before
    _seeds(project, 11)
    after = _run(project)
    assert {run_id: after[run_id] for run_id in before} == before
    assert {run_id: after[run_id] for run_id in after if run_id not in before} == {
        "R026": ("E5", _BASELINE, 10, RunState.SUCCEEDED),
        "R027": ("E5", _OURS, 10, RunState.SUCCEEDED),
    }
    bridge = Bridge(project)  # the run as the inputs give it now (it ran before the entry)
    try:
        (spec,) = [r for r in bridge.project.runs if r.id == "R017"]
    finally:
        bridge.close()
    assert (spec.seed, dict(spec.env)) == (2, {"FIXED": "1"})
    assert _e5(project) == {
        _BASELINE: [*_ids(5, 14), "R026"],
        _OURS: [*_ids(15, 24), "R027"],
    }


def _reason(run_id: str, seed: int) -> str:
    return (
        f"the plan no longer proposes {run_id} (block E5, seed {seed}); its result is kept in "
        "the log, not counted"
    )


@needs_shared
def test_033_seeds_cut_leave_the_verdict_and_come_back_when_put_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """033 run at 10 seeds, then E5 cut to 8: `bridge plan` listed 8 seeds per system, but
    E5 was still judged on n=10 per system, its runs R013, R014, R023, R024 outside the plan,
    and nothing said so. Now they are ruled out with why, listed once, counted nowhere; retry
    refuses them; the seeds put back bring them back with their results (nothing they run
    changed: they ran again before) and they count."""
    project = _project(tmp_path / "p")
    _run(project)
    _seeds(project, 8)
    runs = _run(project)
    cut = {"R013": 8, "R014": 9, "R023": 8, "R024": 9}
    assert [r for r, (*_, state) in runs.items() if state is RunState.OUT_OF_SCOPE] == list(cut)
    bridge = Bridge(project)
    try:
        state = bridge.status()
    finally:
        bridge.close()
    for run_id, seed in cut.items():
        assert state.runs[run_id].reason == _reason(run_id, seed)
        assert state.runs[run_id].metrics is not None  # its result is kept in the log
    assert _e5(project) == {_BASELINE: _ids(5, 12), _OURS: _ids(15, 22)}
    markdown = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "(n=8)" in markdown and "(n=10)" not in markdown
    assert f"- **Runs:** {', '.join([*_ids(5, 12), *_ids(15, 22)])}\n" in markdown
    said = [line for line in markdown.splitlines() if "R014" in line and "Must-run" not in line]
    assert said == [f"- R014 — set aside: {_reason('R014', 9)}"], said

    capsys.readouterr()
    assert main(["status", "--project", str(project)]) == 0
    # Set aside, as their reason says (it read "4 out of scope", trial t12).
    assert "21/21 ok, 4 set aside" in capsys.readouterr().out
    assert main(["retry", "--force", "R014", "--project", str(project)]) != 0
    assert (
        f"cannot retry: {_reason('R014', 9)} (put its seed or system back in the plan to bring "
        "it back)"
    ) in capsys.readouterr().err

    _seeds(project, 10)
    runs = _run(project)
    assert all(state is RunState.SUCCEEDED for *_, state in runs.values())
    bridge = Bridge(project)
    try:
        state = bridge.status()
    finally:
        bridge.close()
    # Not launched again: each holds its own attempt, counted again.
    assert [len(state.runs[r].attempts) for r in cut] == [1] * len(cut)
    assert all(state.runs[r].carried is None for r in cut)
    assert _e5(project) == {_BASELINE: _ids(5, 14), _OURS: _ids(15, 24)}


@needs_shared
def test_033_a_plan_read_again_rules_out_nothing(tmp_path: Path) -> None:
    """`bridge run` again with nothing edited, and one seed more: no run is ruled out."""
    project = _project(tmp_path / "p")
    first = _run(project)
    assert _run(project) == first
    _seeds(project, 11)
    assert all(state is RunState.SUCCEEDED for *_, state in _run(project).values())
