"""
Start-up benchmark: whole ``bridge`` processes as a user runs them, against a bare Python that
imports argparse, measured in the same run with rounds alternating.

Reports, for ``bridge --help`` (target ≤ 4× the floor), ``bridge status`` on a finished small
project (the quickstart, target ≤ 8×) and ``import bridge`` (no target; what it loads is listed):
the median wall time of each, the floor's, ratio / target / meets, and a ``python -X importtime``
attribution of what remains (self time summed per top-level package, and the slowest modules).

Usage::

    python bench/cli.py               # 15 rounds
    python bench/cli.py --rounds 30
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "100"}
FLOOR = [sys.executable, "-c", "import argparse"]


def _bridge() -> list[str]:
    """The console script beside this Python (what a user runs), else ``python -m bridge``."""
    script = Path(sys.executable).parent / "bridge"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bridge"]


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _finished_project(tmp: Path) -> Path:
    project = tmp / "quickstart"
    shutil.copytree(
        REPO / "examples" / "quickstart", project, ignore=shutil.ignore_patterns(".bridge")
    )
    subprocess.run(
        [sys.executable, "-m", "bridge", "run", "--plain", "--project", str(project)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return project


_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def attribution(code: str, top: int = 8) -> str:
    """Self time per top-level package and the slowest modules, from ``-X importtime``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    per_package: dict[str, int] = defaultdict(int)
    modules: list[tuple[int, str]] = []
    for match in _LINE.finditer(done.stderr):
        self_us, name = int(match.group(1)), match.group(4)
        package = (
            ".".join(name.split(".")[:2]) if name.startswith("bridge.") else name.split(".")[0]
        )
        per_package[package] += self_us
        modules.append((self_us, name))
    total = sum(per_package.values())
    lines = [f"    imports: {total / 1000:.0f} ms self time in all"]
    ranked = sorted(per_package.items(), key=lambda kv: -kv[1])[:top]
    lines.append("    by package: " + ", ".join(f"{p} {us / 1000:.0f} ms" for p, us in ranked))
    slow = sorted(modules, reverse=True)[:top]
    lines.append("    slowest modules: " + ", ".join(f"{n} {us / 1000:.0f} ms" for us, n in slow))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    bridge = _bridge()
    with tempfile.TemporaryDirectory() as tmp:
        project = _finished_project(Path(tmp))
        cases = {
            "bridge --help": ([*bridge, "--help"], 4.0),
            "bridge status (finished quickstart)": (
                [*bridge, "status", "--project", str(project)],
                8.0,
            ),
            "import bridge": ([sys.executable, "-c", "import bridge"], None),
        }
        times: dict[str, list[float]] = {"floor": [], **{name: [] for name in cases}}
        for _ in range(args.rounds):  # alternate, so load changes hit every case alike
            times["floor"].append(_time(FLOOR))
            for name, (argv, _target) in cases.items():
                times[name].append(_time(argv))
        floor = statistics.median(times["floor"])
        print(
            f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; "
            f"{args.rounds} rounds, medians"
        )
        print(f"floor  python -c 'import argparse'  {floor * 1000:7.1f} ms")
        for name, (_argv, target) in cases.items():
            took = statistics.median(times[name])
            ratio = took / floor
            verdict = "" if target is None else f"  target ≤ {target:g}×  meets: {ratio <= target}"
            print(f"{name:<36} {took * 1000:7.1f} ms  ratio {ratio:5.2f}×{verdict}")
        print("what remains (python -X importtime):")
        print("  bridge --help")
        print(
            attribution(
                "from bridge.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass"
            )
        )
        print("  bridge status")
        print(
            attribution(
                f"from bridge.cli import main; main(['status', '--project', {str(project)!r}])"
            )
        )
        probe = (
            "import bridge, sys; print(' '.join(sorted(m for m in sys.modules if m.startswith("
            "('bridge', 'rich', 'httpx', 'sqlite', 'structlog')))))"
        )
        loaded = subprocess.run(
            [sys.executable, "-c", probe], env=ENV, capture_output=True, text=True, check=True
        ).stdout.strip()
        print(f"  import bridge loads: {loaded}")


if __name__ == "__main__":
    main()
