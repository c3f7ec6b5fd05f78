"""
A row the tracker says failed before bridge, given a command after bridge first recorded it, is
retried by name with that command (trial t16 on the real project 018: the next step said «要在
bridge 下运行，请为每个运行在 bridge.toml 中写 [[runs]] 条目并给出 command»; written, `bridge retry
JPH-G1-BRIDGE-001` still answered «无法重试：JPH-G1-BRIDGE-001 没有命令（在 bridge.toml 中设置 [run]
command，或为它写带 command 的 [[runs]] 条目）»: the retry read the spec recorded when the row was
planned, which such a row keeps until it runs).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from bridge.cli import main
from tests.conftest import SHARED, needs_shared

pytestmark = needs_shared

FAKE = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[sys.argv.index("--out") + 1])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"task_success": 0.5, "invalid_rate": 0.02}))
"""


def test_a_failed_before_bridge_row_given_a_command_is_retried_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p018"
    shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", project)
    (project / "fake.py").write_text(FAKE, encoding="utf-8")
    command = json.dumps([sys.executable, str(project / "fake.py"), "--out", "{output_dir}"])
    # The four B2 arms have their commands in their systems' tables; the rows of 018 that
    # failed before bridge (JPH-G1-BRIDGE-001…005) are recorded with none.
    arms = "".join(
        f'[systems."{arm}"]\ncommand = {command}\n'
        for arm in ("fixed", "policy-only", "Harness-only", "joint")
    )
    toml = project / "bridge.toml"
    toml.write_text(arms, encoding="utf-8")
    argv = ["--project", str(project)]
    assert main(["run", "--plain", *argv]) == 1  # five must-run rows failed before bridge
    first = capsys.readouterr().out
    said = "要在 bridge 下运行，请为每个运行在 bridge.toml 中写 [[runs]] 条目并给出 command"
    assert said in first, first

    # As the next step says: a [[runs]] entry with a command for the row.
    g1 = json.dumps([sys.executable, str(project / "fake.py"), "--g1", "--out", "{output_dir}"])
    toml.write_text(
        arms + f'[[runs]]\nid = "JPH-G1-BRIDGE-001"\ncommand = {g1}\n', encoding="utf-8"
    )
    assert main(["retry", "JPH-G1-BRIDGE-001", *argv]) == 0
    retried = capsys.readouterr()
    assert "没有命令" not in retried.err, retried.err
    assert "将再次运行：JPH-G1-BRIDGE-001" in retried.out, retried.out

    main(["run", "--plain", *argv])
    capsys.readouterr()
    assert main(["log", "--json", "--run", "JPH-G1-BRIDGE-001", *argv]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    submitted = [e for e in events if e["type"] == "run.submitted"]
    assert len(submitted) == 1, events
    assert "--g1" in submitted[0]["data"]["argv"]  # the command the entry gives
    assert any(e["type"] == "run.succeeded" for e in events)

    # A `[run] command` written now gives the other four rows one: a retry that takes none of
    # them names their own retry, not "no command here" (the spec they were recorded with).
    toml.write_text(
        f"[run]\ncommand = {command}\n" + toml.read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert main(["retry", "--milestone", "（无里程碑）", *argv]) == 2
    refused = capsys.readouterr().err
    rest = " ".join(f"JPH-G1-BRIDGE-00{i}" for i in range(2, 6))
    assert f"`bridge retry {rest}` 在 bridge 下运行它们" in refused, refused
    assert "在此没有命令" not in refused, refused
    # The runs of no milestone named in words, not "（（无里程碑） 中）".
    assert "没有可重试的运行（无里程碑的运行中）：" in refused, refused
