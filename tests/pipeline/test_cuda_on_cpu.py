"""
A run that asked for no GPU and printed "CUDA out of memory" (trial t11 on 023: R012, ``gpus =
0`` on the local backend's CPU slots): the script used CUDA where it had no GPU. That is its
own mistake, not GPU memory to wait for: it fails once, as any script error does, and says what
to change, where it was labelled ``显存不足`` and retried twice, 60 s apart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bridge.cli import main
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

pytestmark = needs_shared

# 023's runs write one number each; R012 dies as a script calling CUDA on a CPU run does.
_FAKE = """\
import json, pathlib, sys
run, out = sys.argv[1], pathlib.Path(sys.argv[2])
if run == "R012":
    print("Traceback (most recent call last):", file=sys.stderr)
    print("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB", file=sys.stderr)
    sys.exit(1)
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"ENS": 0.31, "seed": int(sys.argv[3])}))
"""


def test_023_cuda_out_of_memory_on_a_cpu_run_is_the_scripts_failure_not_retried(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = as_project("023", tmp_path / "p023")
    (project / "fake.py").write_text(_FAKE, encoding="utf-8")
    (project / "bridge.toml").write_text(
        f'[run]\ncommand = ["{sys.executable}", "fake.py", "{{run_id}}", "{{output_dir}}", '
        '"{seed}"]\ngpus = 0\nargs = { seed = "0" }\n'
        # A short wait, so that a retry as out of GPU memory would show without a long test.
        "oom_backoff_seconds = 0.1\n",
        encoding="utf-8",
    )
    assert main(["run", "--project", str(project)]) == 1
    out = capsys.readouterr().out
    said = [x.split(" ", 1)[1] for x in out.splitlines() if " R012 " in x]
    assert not any("重试" in x or "显存不足" in x for x in said), said
    assert (
        "R012 失败: 退出码 1：脚本使用了 CUDA，但该运行没有申请 GPU（gpus = 0），在 CPU 上运行："
        "请让脚本在 CPU 上运行，或在 bridge.toml 中设置 gpus 为该运行分配 GPU；其日志最后一行："
        "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB"
    ) in said, said
    assert main(["status", "--json", "--project", str(project)]) == 0
    runs = {r["id"]: r for r in json.loads(capsys.readouterr().out)["runs"]}
    assert (runs["R012"]["state"], runs["R012"]["attempts"]) == ("failed", 1), runs["R012"]
    assert runs["R012"]["reason"].startswith(
        "exit 1: the script used CUDA, but the run asked for no GPU (gpus = 0) and ran on the "
        "CPU: make the script run on the CPU, or set gpus in bridge.toml to give the run a GPU; "
    ), runs["R012"]
