"""
``bridge retry`` says every run the next ``bridge run`` starts, with why: a fix in bridge.toml
for a failed run, found by a retry of another run, sends that run back too (trial t15 on 039:
``bridge retry --force R002`` printed only "will run again: R002", and the next run started
R002 and R004 with no word of R004's changed settings, which a plain ``bridge run`` prints).
"""

from __future__ import annotations

import sys
from pathlib import Path

from bridge import Bridge
from bridge.machine.stages import RunState
from tests.conftest import needs_shared
from tests.in_process import bridge_here
from tests.plan.corpus import as_project, run_to_results

# Fails R004 (039's "MART deletion suite") until its command passes --groups=fixed.
JOB = """import json, pathlib, sys
run_id, out = sys.argv[1], pathlib.Path(sys.argv[2])
if run_id == "R004" and "--groups=fixed" not in sys.argv:
    sys.exit("KeyError: feature_groups")
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"AUPRC": 0.3}))
"""

CONFIG = 'outputs = ["metrics.json"]\n\n[metrics]\nfiles = ["metrics.json"]\nprimary = "AUPRC"\n'

FIX = (
    '\n[systems."MART deletion suite"]\n'
    f'command = ["{sys.executable}", "job.py", "{{run_id}}", "{{output_dir}}", "--groups=fixed"]\n'
)


@needs_shared
def test_retry_of_another_run_names_the_run_the_fix_sends_back(tmp_path: Path) -> None:
    project = as_project("039", tmp_path / "p")
    run_to_results(project, JOB, config=CONFIG)
    with (project / "bridge.toml").open("a", encoding="utf-8") as toml:
        toml.write(FIX)

    said = bridge_here("retry", "--force", "R002", cwd=project)

    assert said.returncode == 0, said.stderr
    lines = said.stdout.splitlines()
    assert lines[0] == "将再次运行：R002"
    # R004's fix, with what changed, as `bridge run` would have said it; and the runs bridge
    # cancelled because R004 failed, which come back with it.
    assert (
        "下一次 `bridge run` 也会再次运行 R004：其设置已变更（输入已变更：bridge.toml）："
        "command: … {output_dir} → … {output_dir} --groups=fixed"
    ) in lines
    assert any(
        line.startswith("下一次 `bridge run` 也会再次运行 R005、R006、R007：") for line in lines
    ), lines
    bridge = Bridge(project)
    try:
        bridge.run()
        runs = bridge.status().runs
    finally:
        bridge.close()
    assert runs["R004"].state is RunState.SUCCEEDED
    assert len(runs["R002"].attempts) == 2


@needs_shared
def test_retry_of_the_fixed_run_names_its_changed_settings(tmp_path: Path) -> None:
    """The fix in bridge.toml, then `bridge retry --failed`, as the next step says (trial h18E
    on 033: R003 fixed by its `[[runs]]` args): the retry recorded the change, so `bridge run`
    no longer said "spec changed", and the retry said only "will run again: R004", leaving the
    fix unseen. It names R004's changed settings."""
    project = as_project("039", tmp_path / "p")
    run_to_results(project, JOB, config=CONFIG)
    with (project / "bridge.toml").open("a", encoding="utf-8") as toml:
        toml.write(FIX)

    said = bridge_here("retry", "--failed", cwd=project)

    assert said.returncode == 0, said.stderr
    lines = said.stdout.splitlines()
    assert lines[0] == "将再次运行：R004", lines
    assert "R004 以改过的设置运行：command: … {output_dir} → … {output_dir} --groups=fixed" in lines


@needs_shared
def test_retry_says_the_tracker_rows_it_found_edited(tmp_path: Path) -> None:
    """009's R004 (READY, a row a person runs) set to `NOT RUN — …` before `bridge retry --force
    R003`: the retry recorded the edit, so no `bridge run` said it, and the retry said only
    "will run again: R003" (trial h40B F3). It says it as `bridge run` does."""
    project = as_project("009", tmp_path / "p")
    run_to_results(project, JOB)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    tracker.write_text(
        text.replace("| NICE | READY |", "| NICE | NOT RUN — no API budget |"), encoding="utf-8"
    )

    said = bridge_here("retry", "--force", "R003", cwd=project)

    assert said.returncode == 0, said.stderr
    assert said.stdout.splitlines()[:3] == [
        "R004 replanned: the tracker's row now says status 'NOT RUN — no API budget'",
        "R004 out of scope, not run: NOT RUN — no API budget — template_macro placement is "
        "implemented; API run is user-only.",
        "will run again: R003",
    ], said.stdout
