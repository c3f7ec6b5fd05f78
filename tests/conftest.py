"""
Shared test configuration: hypothesis profiles, the paths tests need, and the gate for tests
that read ``../shared/``.

Tests that read the shared folder beside the checkout (the corpus of real ARIS plans) carry the
``needs_shared`` mark. On a clone without it they are not run, and the session ends with one
line saying how many and why. CI sets ``BRIDGE_REQUIRE_SHARED=1`` (in ``.ci/run``), which turns
a missing shared folder into a failure before any test runs, so they can never be skipped there.
"""

from __future__ import annotations

import compileall
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, settings

from tests.reaper import say_goodbye

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BRIDGE_SHARED", REPO_ROOT.parent / "shared"))
HAVE_SHARED = (SHARED / "corpus" / "plans").is_dir()
REQUIRE_SHARED = os.environ.get("BRIDGE_REQUIRE_SHARED") == "1"

needs_shared = pytest.mark.needs_shared

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.register_profile("ci", parent=settings.get_profile("default"), max_examples=60)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

_NOT_RUN = pytest.StashKey[int]()


def _terminated(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"pytest got {signal.Signals(signum).name}")


def pytest_configure(config: pytest.Config) -> None:
    if REQUIRE_SHARED and not HAVE_SHARED:
        raise pytest.UsageError(
            f"BRIDGE_REQUIRE_SHARED=1 but there is no shared folder at {SHARED} (no "
            "corpus/plans in it): put shared/ beside the checkout or set BRIDGE_SHARED"
        )
    # Hundreds of tests start bridge in a child process (`python -m bridge`, the console script,
    # crash and signal drivers). Where PYTHONDONTWRITEBYTECODE is set no child writes bytecode,
    # so each one compiled all of bridge again (about half a second per child): compile it here
    # once (compileall writes whatever that variable says; children still read .pyc files).
    for package in ("bridge", "tests"):
        compileall.compile_dir(REPO_ROOT / package, quiet=1)
    # SIGTERM (`timeout`, a cancelled CI job) ends the session as Ctrl-C does, so the fixtures'
    # teardowns stop the daemons they started (Slurm, sshd); see tests/reaper.py for SIGKILL.
    if (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    ):
        signal.signal(signal.SIGTERM, _terminated)


def pytest_unconfigure(config: pytest.Config) -> None:
    # Every fixture has been torn down: the reaper (if a daemon fixture started one) has
    # nothing to clean up.
    say_goodbye()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A test marked ``last`` waits on something started early in the session (Slurm's own time
    # limit, a minute from the cluster's start): run after everything else, its wait is spent.
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)
    if HAVE_SHARED:
        return
    gated = [item for item in items if item.get_closest_marker("needs_shared")]
    if gated:
        items[:] = [item for item in items if not item.get_closest_marker("needs_shared")]
        config.hook.pytest_deselected(items=gated)
        config.stash[_NOT_RUN] = len(gated)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    count = terminalreporter.config.stash.get(_NOT_RUN, 0)
    if count:
        terminalreporter.write_line(
            f"skipped {count} tests that read ../shared/ (the corpus of real plans): no shared "
            f"folder at {SHARED}. For the full suite put shared/ beside the checkout or set "
            "BRIDGE_SHARED; BRIDGE_REQUIRE_SHARED=1 (CI) makes its absence a failure."
        )


@pytest.fixture
def repo_root() -> Path:
    """
    The checkout's root directory.
    """
    return REPO_ROOT


@pytest.fixture
def shared_dir() -> Path:
    """
    The shared folder beside the checkout (corpus, notes), or $BRIDGE_SHARED. Tests using it
    must carry the ``needs_shared`` mark.
    """
    return SHARED


# The one retry policy (bridge.adapters.retry, stamina) waits for nothing in tests: every
# backoff and Retry-After is zero, while the number of tries stays what the code asks for.
import stamina  # noqa: E402
import stamina.instrumentation  # noqa: E402

stamina.set_testing(True, attempts=1000, cap=True)


@pytest.fixture
def retries() -> Iterator[list[stamina.instrumentation.RetryDetails]]:
    """
    Every retry the code schedules while the test runs (``caused_by`` is the
    :class:`bridge.adapters.retry.Transient` with the wait it asked for).
    """
    seen: list[stamina.instrumentation.RetryDetails] = []
    before = stamina.instrumentation.get_on_retry_hooks()
    stamina.instrumentation.set_on_retry_hooks([seen.append])
    yield seen
    stamina.instrumentation.set_on_retry_hooks(before)
