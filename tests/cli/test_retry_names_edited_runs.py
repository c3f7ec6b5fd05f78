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
def test_retry_failed_names_the_fix_of_the_run_it_schedules(tmp_path: Path) -> None:
    """023 (h18G F10): R021 failed on a typo in its `[systems]` command; after the fix,
    `bridge retry --failed` said only "将再次运行：R021", and the next `bridge run` did not say
    the change either (the retry had recorded it): no command said the fix. It names it now."""
    project = as_project("039", tmp_path / "p")
    run_to_results(project, JOB, config=CONFIG)
    with (project / "bridge.toml").open("a", encoding="utf-8") as toml:
        toml.write(FIX)

    said = bridge_here("retry", "--failed", cwd=project)

    assert said.returncode == 0, said.stderr
    lines = said.stdout.splitlines()
    assert lines[0] == "将再次运行：R004"
    assert (
        "R004 将按变更后的设置运行：command: … {output_dir} → … {output_dir} --groups=fixed"
    ) in lines, lines
    assert not any(line.startswith("下一次 `bridge run` 也会再次运行 R004") for line in lines)
