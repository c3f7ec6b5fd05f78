"""
Shared test configuration: hypothesis profiles and the paths tests need.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BRIDGE_SHARED", REPO_ROOT.parent / "shared"))

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.register_profile("ci", parent=settings.get_profile("default"), max_examples=60)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def repo_root() -> Path:
    """
    The checkout's root directory.
    """
    return REPO_ROOT


@pytest.fixture
def shared_dir() -> Path:
    """
    The shared folder beside the checkout (corpus, notes), or $BRIDGE_SHARED.
    """
    if not SHARED.is_dir():
        pytest.skip(f"shared folder not found at {SHARED} (set BRIDGE_SHARED)")
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
