"""
Benchmark the plan parser on the shared corpus.

Reports the time to parse every corpus plan (with its tracker and proposal), the largest file's
time, and the linearity check: the largest plan concatenated 10x must parse in at most 12x the
time of one copy (both measured in this run, best of several repeats).

Usage: ``python bench/parse.py [CORPUS_PLANS_DIR]`` (default: ``$BRIDGE_SHARED/corpus/plans``,
falling back to ``../shared/corpus/plans`` beside the checkout). Exits 1 when a target is missed.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bridge.plan import load_plan, parse_plan_text  # noqa: E402

CORPUS_TARGET_S = 1.0
LINEAR_FACTOR = 12.0


def best_of(repeats: int, action: object) -> float:
    """
    The fastest of ``repeats`` timings of ``action()``, with the garbage collector paused as
    ``timeit`` does (its pauses depend on heap history, not on the parser's work).
    """
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            action()  # type: ignore[operator]
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


def main() -> int:
    shared = Path(os.environ.get("BRIDGE_SHARED", REPO_ROOT.parent / "shared"))
    default = shared / "corpus" / "plans"
    plans_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    plans = sorted(plans_dir.glob("*/EXPERIMENT_PLAN.md"))
    if not plans:
        print(f"no plans under {plans_dir}", file=sys.stderr)
        return 2
    total = best_of(3, lambda: [load_plan(p) for p in plans])
    largest = max(plans_dir.glob("*/*.md"), key=lambda p: p.stat().st_size)
    text = largest.read_text(encoding="utf-8-sig")
    one = best_of(15, lambda: parse_plan_text(text))
    ten = best_of(5, lambda: parse_plan_text("\n".join([text] * 10)))
    ratio = ten / one
    print(
        f"corpus: {len(plans)} plans (with trackers/proposals) in {total * 1000:.0f} ms "
        f"(target < {CORPUS_TARGET_S * 1000:.0f} ms)"
    )
    print(
        f"largest: {largest.parent.name}/{largest.name} ({largest.stat().st_size} bytes) "
        f"in {one * 1000:.1f} ms"
    )
    print(
        f"10x concatenation: {ten * 1000:.1f} ms = {ratio:.2f}x one copy "
        f"(target <= {LINEAR_FACTOR:.0f}x)"
    )
    ok = total < CORPUS_TARGET_S and ratio <= LINEAR_FACTOR
    print("OK" if ok else "MISSED TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
