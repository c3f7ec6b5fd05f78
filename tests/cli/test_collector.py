"""
The garbage collector during a command: paused while it starts, frozen and resumed after, and
as it was once the command returns (``main()`` called in-process).
"""

from __future__ import annotations

import atexit
import gc
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge.cli import collector
from bridge.cli.main import main


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


def _wait_for(condition: object, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)  # polling a condition, bounded by the deadline
    return False


class TestPaused:
    def test_no_collection_while_starting_and_restored_after(self) -> None:
        with collector.paused(seconds=600):
            assert not gc.isenabled()
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0

    def test_resumes_after_its_seconds_with_start_up_frozen(self) -> None:
        """A long command gets its collector back: what start-up made is frozen, not scanned."""
        with collector.paused(seconds=0.05):
            made = [object() for _ in range(100)]  # noqa: F841 (lives through the block)
            assert _wait_for(gc.isenabled)
            assert gc.get_freeze_count() > 0
            cycle: list[object] = []
            cycle.append(cycle)
            del cycle
            assert gc.collect() >= 1  # collecting works again: the cycle made after it is found
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0

    def test_objects_made_while_paused_join_the_oldest_generation(self) -> None:
        """Leaving does not leave them in the youngest, which the next allocation would scan."""
        with collector.paused(seconds=600):
            made = [[] for _ in range(5000)]
        assert gc.get_count()[0] < 700
        assert len(made) == 5000

    def test_a_disabled_collector_is_left_alone(self) -> None:
        gc.disable()
        with collector.paused(seconds=0.01):
            pass
        assert not gc.isenabled()

    def test_a_frozen_collector_is_left_alone(self) -> None:
        # Not compared with the count before: frozen objects freed meanwhile (a finished
        # thread's) lower it. Had paused() frozen and unfrozen around the block, it would be 0.
        gc.freeze()
        with collector.paused(seconds=600):
            assert gc.isenabled()
        assert gc.get_freeze_count() > 0

    def test_an_error_inside_still_restores(self) -> None:
        with pytest.raises(ValueError), collector.paused(seconds=600):
            raise ValueError("boom")
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0


def test_main_in_process_leaves_the_collector_as_it_was(tmp_path: Path) -> None:
    """A program calling main() keeps a running, unfrozen collector (here after an error)."""
    (tmp_path / "bridge.toml").write_text("")
    exit_hooks = atexit._ncallbacks()
    assert main(["status", "--project", str(tmp_path)]) == 2  # no log yet
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert atexit._ncallbacks() == exit_hooks  # and nothing frozen at its exit


def test_the_bridge_process_freezes_everything_before_its_final_collection(tmp_path: Path) -> None:
    """
    main() reading sys.argv (the console script, python -m bridge) freezes every object at exit,
    so the interpreter's final collection scans none; an exit hook registered before main runs
    after bridge's (last in, first out) and sees them frozen.
    """
    (tmp_path / "bridge.toml").write_text("")
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 1000))\n"
        "from bridge.cli.main import main\n"
        f"sys.argv = ['bridge', 'status', '--project', {str(tmp_path)!r}]\n"
        "sys.exit(main())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 2, done.stderr  # no log yet: refused, then the exit hooks ran
    assert done.stdout.strip() == "frozen at exit: True"
