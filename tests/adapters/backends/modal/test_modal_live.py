"""
A live smoke test against real Modal: runs only with credentials and a deployed launcher.

Set MODAL_TOKEN_ID and MODAL_TOKEN_SECRET, deploy docs/backends/modal_launcher.py, and name it
with BRIDGE_MODAL_LIVE_APP, BRIDGE_MODAL_LIVE_VOLUME (and BRIDGE_MODAL_LIVE_FUNCTION,
BRIDGE_MODAL_LIVE_MOUNT if not the launcher's defaults). Run with ``pytest -m live``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bridge.adapters.backends.modal.backend import ModalBackend
from bridge.adapters.backends.modal.config import ModalConfig
from bridge.machine.ports import JobSpec, JobStatus
from bridge.pipeline.layout import ProjectLayout

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not (os.environ.get("MODAL_TOKEN_ID") and os.environ.get("MODAL_TOKEN_SECRET")),
        reason="no Modal credentials (MODAL_TOKEN_ID/MODAL_TOKEN_SECRET)",
    ),
    pytest.mark.skipif(
        not (
            os.environ.get("BRIDGE_MODAL_LIVE_APP") and os.environ.get("BRIDGE_MODAL_LIVE_VOLUME")
        ),
        reason="no deployed launcher named (BRIDGE_MODAL_LIVE_APP/BRIDGE_MODAL_LIVE_VOLUME)",
    ),
]


class TestModalLive:
    @pytest.mark.timeout(900)
    def test_spawn_poll_fetch(self, tmp_path: Path):
        """A real attempt runs on Modal, succeeds, and its output comes back from the Volume."""
        config = ModalConfig(
            app=os.environ["BRIDGE_MODAL_LIVE_APP"],
            function=os.environ.get("BRIDGE_MODAL_LIVE_FUNCTION", "run_attempt"),
            volume=os.environ["BRIDGE_MODAL_LIVE_VOLUME"],
            mount_path=os.environ.get("BRIDGE_MODAL_LIVE_MOUNT", "/bridge"),
            poll_interval_seconds=5.0,
            packages=("modal",),  # the image check, live: every Modal image holds the client
        )
        backend = ModalBackend(config, tmp_path)
        backend.preflight()
        attempt = f"live-{int(time.time())}"
        out = backend.output_dir(ProjectLayout.place("LIVE", attempt))
        handle = backend.submit(
            JobSpec(
                place=ProjectLayout.place("LIVE", attempt),
                argv=("sh", "-c", f"echo hi > {out}/hi.txt"),
            )
        )
        deadline = time.monotonic() + 600
        state = backend.poll(handle)
        while state.status in (JobStatus.QUEUED, JobStatus.RUNNING) and time.monotonic() < deadline:
            backend.wait([handle], timeout=10)
            state = backend.poll(handle)
        assert state.status is JobStatus.SUCCEEDED, state
        paths = [a.path for a in backend.fetch_artifacts(handle, tmp_path / "dest")]
        assert "output/hi.txt" in paths
        assert backend.find(ProjectLayout.place("LIVE", attempt)) is not None
        backend.release()
