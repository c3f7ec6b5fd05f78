"""
bridge's launcher for Modal: copy this file into your project, edit the constants, then deploy it.

    modal deploy modal_launcher.py

bridge never deploys it for you. It runs each attempt's command inside this function's container,
with your project at /workspace, and keeps markers, logs and outputs on a Modal Volume:

    <MOUNT_PATH>/attempts/<attempt_id>.json          written first: the call id (reconciliation)
    <MOUNT_PATH>/runs/<run_id>/<attempt_id>/output/  the run's output directory ({output_dir})
    <MOUNT_PATH>/runs/<run_id>/<attempt_id>/log.txt  stdout and stderr
    <MOUNT_PATH>/runs/<run_id>/<attempt_id>/exit_code

A second, CPU-only function on the same image, <FUNCTION_NAME>_image_report, tells bridge's
pre-launch check which Python and packages the image holds (backends.modal.requirements).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import modal

# Edit these to match [backends.modal] in bridge.toml.
APP_NAME = "bridge-runs"  # app
FUNCTION_NAME = "run_attempt"  # function (the name of the entry function below)
VOLUME_NAME = "bridge-runs"  # volume
MOUNT_PATH = "/bridge"  # mount_path
GPU = "A100-80GB"  # gpu
TIMEOUT_SECONDS = 6 * 60 * 60  # timeout
SECRETS: list[str] = []  # secrets: names of Modal Secrets (e.g. "wandb-secret")
PROJECT_DIR = Path(__file__).resolve().parent  # uploaded to /workspace at deploy time
WORKSPACE = "/workspace"

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_LOG_TAIL_BYTES = 8192
_GPU_SAMPLE_SECONDS = 1.0  # how often the container's GPU memory is read while a run goes

image = (
    modal.Image.debian_slim(python_version="3.11")
    # .pip_install("torch", "numpy")            # your project's dependencies go here
    .add_local_dir(
        PROJECT_DIR,
        remote_path=WORKSPACE,
        ignore=[".git", ".bridge", "**/__pycache__", ".venv"],
    )  # add_local_* must stay the last image step
)
volume = modal.Volume.from_name(VOLUME_NAME, create_if_missing=True)
app = modal.App(APP_NAME)


def run_spec_attempt(
    spec: dict[str, Any],
    *,
    volume_root: Path,
    call_id: str,
    commit: Callable[[], None],
    reload: Callable[[], None],
    workspace: Path,
) -> dict[str, Any]:
    """
    Run one attempt described by ``spec`` and return its result; plain Python, testable locally.

    Args:
        spec: ``run_id``, ``attempt_id``, ``argv`` (list), ``env`` (dict), ``cwd`` (relative to
            the workspace), ``timeout_seconds`` (or None).
        volume_root: where the Volume is mounted.
        call_id: this Modal function call's id.
        commit: makes written files visible outside the container (``volume.commit``).
        reload: shows files other containers committed (``volume.reload``).
        workspace: the project directory inside the container.

    Returns:
        ``{"exit_code": int | None, "timed_out": bool, "log_tail": str, "duplicate_of": str,
        "gpu_memory_peak_mib": int | None}`` (the peak is None without nvidia-smi).
    """
    run_id, attempt_id = str(spec["run_id"]), str(spec["attempt_id"])
    for value in (run_id, attempt_id):
        if not _SAFE_ID.match(value):
            raise ValueError(f"unsafe id in run spec: {value!r}")
    marker = volume_root / "attempts" / f"{attempt_id}.json"
    reload()
    if marker.exists():
        earlier = json.loads(marker.read_text(encoding="utf-8")).get("call_id", "")
        if earlier and earlier != call_id:
            # Launched twice (a crash between spawn and its record): the first call owns it.
            return {"exit_code": None, "timed_out": False, "log_tail": "", "duplicate_of": earlier}
    marker.parent.mkdir(parents=True, exist_ok=True)
    record = {"call_id": call_id, "run_id": run_id, "attempt_id": attempt_id}
    marker.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    attempt_dir = volume_root / "runs" / run_id / attempt_id
    output_dir = attempt_dir / "output"
    output_dir.mkdir(parents=True, exist_ok=True)
    commit()  # the marker must be visible before any work is done

    env = {**os.environ, **{str(k): str(v) for k, v in dict(spec.get("env") or {}).items()}}
    env["BRIDGE_OUTPUT_DIR"] = str(output_dir)
    cwd = (workspace / str(spec.get("cwd") or "")).resolve()
    timeout = spec.get("timeout_seconds")
    log_path = attempt_dir / "log.txt"
    timed_out = False
    peak: int | None = None
    with log_path.open("wb") as log:
        try:
            process = subprocess.Popen(
                [str(a) for a in spec["argv"]],
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        except OSError as exc:  # command not found, not executable, bad cwd
            exit_code: int | None = 127
            log.write(f"[bridge] could not start {spec['argv']!r}: {exc}\n".encode())
        else:
            deadline = time.monotonic() + float(timeout) if timeout else None
            try:
                while True:
                    left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
                    try:
                        code = process.wait(
                            _GPU_SAMPLE_SECONDS if left is None else min(_GPU_SAMPLE_SECONDS, left)
                        )
                        break
                    except subprocess.TimeoutExpired:
                        used = gpu_memory_used_mib()
                        if used is not None and (peak is None or used > peak):
                            peak = used
                        if deadline is not None and time.monotonic() >= deadline:
                            process.kill()
                            process.wait()
                            timed_out = True
                            break
            except BaseException:  # Modal's cancellation interrupts here: stop the run too
                process.kill()
                process.wait()
                raise
            if timed_out:
                exit_code = 124
                log.write(f"\n[bridge] killed after {timeout} s\n".encode())
            else:
                # A command killed by signal N reads 128 + N, as a shell (and every other
                # backend) reports it: 137 for SIGKILL, how an out-of-memory kill is recognised.
                exit_code = 128 - code if code < 0 else code
    (attempt_dir / "exit_code").write_text(f"{exit_code}\n", encoding="utf-8")
    commit()
    tail = log_path.read_bytes()[-_LOG_TAIL_BYTES:].decode("utf-8", errors="replace")
    return {
        "exit_code": exit_code,
        "timed_out": timed_out,
        "log_tail": tail,
        "duplicate_of": "",
        "gpu_memory_peak_mib": peak,
    }


def gpu_memory_used_mib() -> int | None:
    """
    Return the GPU memory in use on this container's GPUs, in MiB summed over them; None
    without nvidia-smi (a CPU function) or when it fails. The container's GPUs are its own,
    so what is in use is the run's.
    """
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return None
    try:
        out = subprocess.run(
            [smi, "--query-gpu=memory.used", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    values = [int(v) for v in out.split() if v.isdigit()]
    return sum(values) if values else None


@app.function(
    name=FUNCTION_NAME,
    image=image,
    gpu=GPU,
    timeout=TIMEOUT_SECONDS,
    volumes={MOUNT_PATH: volume},
    secrets=[modal.Secret.from_name(name) for name in SECRETS],
)
def run_attempt(spec: dict[str, Any]) -> dict[str, Any]:
    """
    Modal entry point: bridge calls ``spawn(spec)`` on this function.
    """
    return run_spec_attempt(
        spec,
        volume_root=Path(MOUNT_PATH),
        call_id=modal.current_function_call_id() or "",
        commit=volume.commit,
        reload=volume.reload,
        workspace=Path(WORKSPACE),
    )


def describe_environment() -> dict[str, Any]:
    """
    Return this environment's Python version and installed distributions (name -> version).
    """
    packages: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            packages[str(name)] = dist.version
    return {"python": platform.python_version(), "packages": packages}


@app.function(name=f"{FUNCTION_NAME}_image_report", image=image, timeout=300)
def image_report() -> dict[str, Any]:
    """
    bridge's pre-launch check calls this (no GPU, no Volume) to read what the image holds.
    """
    return describe_environment()
