"""
A plan run on the Modal backend through the CLI: the real modal SDK against the loopback Modal
fake, whose deployed launcher runs each call for real in a container process on this machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import attrs
import modal
import pytest

from bridge.cli import main
from bridge.machine.stages import Stage
from bridge.pipeline import Bridge
from tests.adapters.backends.modal.fake_modal_server import FakeModalServer, serve_fake_modal
from tests.adapters.backends.modal.memory_gateway import LAUNCHER_PATH
from tests.e2e.tiny import write_project


@attrs.frozen
class ModalProject:
    """A tiny project configured for the fake Modal, and the fake."""

    root: Path
    mount: Path
    server: FakeModalServer

    def configure(self, **settings: object) -> None:
        """Append [backends.modal] with these settings to bridge.toml."""
        table = {
            "app": "bridge-runs",
            "function": "run_attempt",
            "volume": "runs-vol",
            "mount_path": str(self.mount),
            "poll_interval_seconds": 0.05,
            "slots": 2,
            **settings,
        }
        lines = ["[backends.modal]", *(f"{k} = {json.dumps(v)}" for k, v in table.items())]
        with (self.root / "bridge.toml").open("a") as toml:
            toml.write("\n".join(lines) + "\n")

    def calls_of(self, function: str) -> int:
        """How many calls the fake received for one of the app's functions."""
        wanted = self.server.state.functions[("bridge-runs", function)].function_id
        return sum(1 for call in self.server.state.calls.values() if call.function_id == wanted)


@pytest.fixture
def modal_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModalProject]:
    """The tiny project, and a fake Modal on which the documented launcher is deployed: the
    entry function with the Volume, and its image-report function on the same image."""
    root = write_project(tmp_path / "p", toml_extra='backend = "modal"')
    mount = tmp_path / "mnt"
    with serve_fake_modal(tmp_path / "modal") as server:
        state = server.state
        volume_id = state.add_volume("runs-vol")
        state.deploy(
            "bridge-runs",
            "run_attempt",
            volume_mounts={str(mount): volume_id},
            launcher=LAUNCHER_PATH,
            workspace=root,
        )
        state.deploy(
            "bridge-runs",
            "run_attempt_image_report",
            launcher=LAUNCHER_PATH,
            entry="describe_environment",
            workspace=root,
        )
        monkeypatch.setenv("MODAL_SERVER_URL", server.url)
        monkeypatch.setenv("MODAL_TOKEN_ID", state.token_id)
        monkeypatch.setenv("MODAL_TOKEN_SECRET", "as-e2e-secret")
        try:
            yield ModalProject(root=root, mount=mount, server=server)
        finally:
            # bridge used the SDK's process-wide client: close it before its server goes. Without
            # credentials there is none (from_env refuses to make one): nothing to close.
            with suppress(modal.exception.AuthError):
                modal.Client.from_env().close()


class TestModalPipeline:
    def test_plan_reaches_collected_with_the_image_checked(
        self, modal_project: ModalProject, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With the image's packages declared and present, the three runs run on Modal (the
        launcher in a container process), their outputs come back, and verify passes."""
        (modal_project.root / "requirements.txt").write_text("# what train.py needs\nattrs>=20\n")
        modal_project.configure(requirements="requirements.txt", packages=["packaging"])
        code = main(["run", "--plain", "--project", str(modal_project.root)])
        out = capsys.readouterr()
        assert code == 0, out
        # CPU runs hold no slot on Modal: the summary counts its calls, not "0 CPU slot(s)".
        assert "Runs: 3 of 3 deployed via modal (3 attempts);" in out.out, out.out
        fetched = sorted(modal_project.root.glob(".bridge/runs/*/*/output/metrics.json"))
        assert len(fetched) == 3
        tracker = (modal_project.root / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text()
        assert tracker.count("| DONE |") == 3
        assert modal_project.calls_of("run_attempt_image_report") == 1
        assert modal_project.calls_of("run_attempt") == 3
        assert main(["verify", "--project", str(modal_project.root)]) == 0

    def test_package_missing_from_the_image_is_exit_2_before_any_launch(
        self, modal_project: ModalProject, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A declared package the image lacks, or holds in another version: exit 2 naming each
        setting, before any run is launched."""
        (modal_project.root / "requirements.txt").write_text("attrs<1\n")
        modal_project.configure(
            requirements="requirements.txt", packages=["bridge-no-such-dist>=1"]
        )
        assert main(["run", "--plain", "--project", str(modal_project.root)]) == 2
        err = capsys.readouterr().err
        assert "backends.modal.packages[0]: 'bridge-no-such-dist>=1' is not installed" in err
        assert "backends.modal.requirements (requirements.txt:1): 'attrs<1': the image has" in err
        assert "Traceback" not in err
        assert modal_project.calls_of("run_attempt") == 0
        assert not list(modal_project.root.glob(".bridge/runs/*/*"))


class TestModalGpuMemory:
    def test_sanity_run_over_the_gpu_memory_bound_fails_sanity(
        self, modal_project: ModalProject, tmp_path: Path
    ) -> None:
        """The launcher samples its container's GPUs (an image with nvidia-smi reporting 9000
        MiB): the peak is in the run's record and sanity fails over max_gpu_memory_gb = 4."""
        image_bin = tmp_path / "image-bin"
        image_bin.mkdir()
        smi = image_bin / "nvidia-smi"
        smi.write_text("#!/bin/sh\necho 9000\n")
        smi.chmod(0o755)
        fn = modal_project.server.state.functions[("bridge-runs", "run_attempt")]
        fn.image_path = image_bin
        toml = modal_project.root / "bridge.toml"
        text = toml.read_text().replace("[run]\n", "[run]\nmax_gpu_memory_gb = 4\n", 1)
        # Long enough for the launcher's once-a-second sample.
        toml.write_text(text.replace("--sleep 0.0", "--sleep 1.5"))
        modal_project.configure()
        bridge = Bridge(modal_project.root)
        try:
            stage = bridge.run()
            state = bridge.status()
        finally:
            bridge.close()
        assert stage is Stage.BLOCKED, stage
        sanity_run = state.runs["R001"]
        assert sanity_run.current is not None and sanity_run.current.gpu_memory_peak_mib == 9000
        checks = [c for c in state.sanity_checks if not c.passed]
        assert checks and "GPU memory peaked at 8.79 GB" in checks[0].detail, checks
        assert not state.runs["R002"].attempts and not state.runs["R003"].attempts


class TestModalUnusableAtStart:
    def test_refused_credentials_are_exit_2_naming_the_variables(
        self,
        modal_project: ModalProject,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """Credentials Modal refuses: exit 2 (a configuration problem, as for every backend),
        naming the variables, never the secret; nothing launched."""
        monkeypatch.setenv("MODAL_TOKEN_ID", "ak-someone-else")
        modal_project.configure()
        assert main(["run", "--plain", "--project", str(modal_project.root)]) == 2
        err = capsys.readouterr().err
        assert "the modal backend cannot be used" in err and "MODAL_TOKEN_ID" in err
        assert "as-e2e-secret" not in err and "Traceback" not in err
        assert modal_project.calls_of("run_attempt") == 0

    def test_missing_credentials_are_exit_2(
        self,
        modal_project: ModalProject,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
    ) -> None:
        """No token in the environment nor in a Modal profile: exit 2 saying how to set one."""
        monkeypatch.delenv("MODAL_TOKEN_ID")
        monkeypatch.delenv("MODAL_TOKEN_SECRET")
        monkeypatch.setenv("MODAL_CONFIG_PATH", str(tmp_path / "no-modal.toml"))
        modal_project.configure()
        assert main(["run", "--plain", "--project", str(modal_project.root)]) == 2
        err = capsys.readouterr().err
        assert "the modal backend cannot be used" in err and "MODAL_TOKEN_ID" in err
        assert "Traceback" not in err

    def test_unreachable_modal_is_exit_2(
        self, modal_project: ModalProject, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Modal answering UNAVAILABLE at start: exit 2 naming [backends.modal]."""
        modal_project.server.state.down = True
        modal_project.configure()
        assert main(["run", "--plain", "--project", str(modal_project.root)]) == 2
        err = capsys.readouterr().err
        assert "could not be reached" in err and "[backends.modal]" in err
        assert "Traceback" not in err
