"""
Tests of the nvidia-smi GPU probe, with fake nvidia-smi scripts on PATH (real subprocesses).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from bridge.adapters.gpu import (
    QUERY_ARGS,
    CommandResult,
    NvidiaSmiProbe,
    free_slots,
    parse_nvidia_smi,
)
from bridge.errors import BackendError
from bridge.machine.ports import GpuInfo, Slot


def fake_nvidia_smi(bin_dir: Path, body: str) -> Path:
    """
    Write an executable ``nvidia-smi`` shell script into ``bin_dir`` and return its path.
    """
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "nvidia-smi"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


class TestParseNvidiaSmi:
    """parse_nvidia_smi reads the CSV query output."""

    def test_parses_lines_sorted_by_index(self) -> None:
        """Each line becomes a GpuInfo, sorted by index, ignoring spaces and empty lines."""
        text = "1, 30000, 81920\n\n0, 10, 81920\n"
        assert parse_nvidia_smi(text) == (
            GpuInfo(index=0, memory_used_mib=10, memory_total_mib=81920),
            GpuInfo(index=1, memory_used_mib=30000, memory_total_mib=81920),
        )

    def test_empty_means_no_gpus(self) -> None:
        """Empty output is no GPUs."""
        assert parse_nvidia_smi("") == ()

    @pytest.mark.parametrize(
        ("text", "needle"),
        [
            ("0, 10, 81920\n1, [N/A], 81920\n", "line 2: memory.used is '[N/A]'"),
            ("0, , 81920\n", "memory.used is '<blank>'"),
            ("0, 10 MiB, 81920\n", "memory.used is '10 MiB'"),
            ("0, 10\n", "expected 3 comma-separated fields"),
            ("0, 1, 2\n0, 1, 2\n", "GPU index 0 repeats"),
            ("-1, 1, 2\n", "index is '-1'"),
        ],
    )
    def test_unreadable_lines_raise(self, text: str, needle: str) -> None:
        """Unreadable values raise BackendError naming the line and the field."""
        with pytest.raises(BackendError, match=None) as caught:
            parse_nvidia_smi(text)
        assert needle in str(caught.value)


class TestFreeSlots:
    """free_slots keeps the GPUs under the memory threshold."""

    def test_threshold(self) -> None:
        """A GPU is free strictly below the threshold; slots carry the host and index."""
        gpus = [
            GpuInfo(index=2, memory_used_mib=499, memory_total_mib=100),
            GpuInfo(index=0, memory_used_mib=500, memory_total_mib=100),
            GpuInfo(index=1, memory_used_mib=0, memory_total_mib=100),
        ]
        assert free_slots(gpus, "h") == (Slot(host="h", gpu=1), Slot(host="h", gpu=2))
        assert free_slots(gpus, "h", threshold_mib=501) == tuple(
            Slot(host="h", gpu=i) for i in (0, 1, 2)
        )


class TestNvidiaSmiProbe:
    """NvidiaSmiProbe runs nvidia-smi found on PATH at call time."""

    def test_reads_fake_nvidia_smi(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A fake nvidia-smi on PATH is run with the query arguments and its GPUs reported."""
        log = tmp_path / "args.txt"
        fake_nvidia_smi(tmp_path / "bin", f'echo "$@" > {log}\nprintf "0, 5, 100\\n1, 900, 100\\n"')
        monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
        gpus = NvidiaSmiProbe().probe()
        assert [g.index for g in gpus] == [0, 1]
        assert log.read_text().split() == list(QUERY_ARGS)

    def test_absent_means_cpu_only(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without nvidia-smi on PATH the probe answers no GPUs."""
        (tmp_path / "empty").mkdir()
        monkeypatch.setenv("PATH", str(tmp_path / "empty"))
        assert NvidiaSmiProbe().probe() == ()

    def test_failure_raises(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """An nvidia-smi that exits non-zero raises BackendError quoting its message."""
        fake_nvidia_smi(
            tmp_path / "bin", 'echo "NVIDIA-SMI has failed: driver mismatch" >&2\nexit 9'
        )
        monkeypatch.setenv("PATH", str(tmp_path / "bin"))
        with pytest.raises(BackendError, match="exit status 9: NVIDIA-SMI has failed"):
            NvidiaSmiProbe().probe()

    def test_hang_raises(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """An nvidia-smi that does not answer within the timeout raises BackendError."""
        fake_nvidia_smi(tmp_path / "bin", "exec sleep 30")
        monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
        with pytest.raises(BackendError, match="did not answer"):
            NvidiaSmiProbe(timeout=0.3).probe()

    def test_runner_seam(self) -> None:
        """A runner gets the full argv; its exit status 127 means not installed."""
        seen: list[Sequence[str]] = []

        def runner(argv: Sequence[str], timeout: float) -> CommandResult:
            seen.append(argv)
            return CommandResult(returncode=127, stdout="", stderr="nvidia-smi: not found")

        assert NvidiaSmiProbe(runner=runner).probe() == ()
        assert list(seen[0]) == ["nvidia-smi", *QUERY_ARGS]

    def test_runner_output_parsed(self) -> None:
        """A runner's stdout is parsed like local output."""
        probe = NvidiaSmiProbe(runner=lambda argv, t: CommandResult(returncode=0, stdout="3, 1, 2"))
        assert probe.probe() == (GpuInfo(index=3, memory_used_mib=1, memory_total_mib=2),)
