"""
Declared requirements (``packages``, the requirements file) and their check against an image.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.adapters.backends.modal.backend import ModalBackend
from bridge.adapters.backends.modal.gateway import DeployedFunction, ImageReport
from bridge.adapters.backends.modal.requirements import (
    DeclaredRequirement,
    read_requirements_file,
    unmet,
)
from bridge.errors import BackendConfigError, BackendUnavailable
from tests.adapters.backends.modal.memory_gateway import MemoryModalGateway
from tests.adapters.backends.modal.test_modal_backend import make_config


def declared(*texts: str) -> list[DeclaredRequirement]:
    return [DeclaredRequirement(text=t, where=f"packages[{i}]") for i, t in enumerate(texts)]


class TestRequirementsFile:
    def test_requirements_comments_includes_and_options(self, tmp_path: Path):
        """Comments, continuations, -r includes and package-less options are read as pip does;
        each requirement remembers its file and line."""
        (tmp_path / "base.txt").write_text("numpy>=1.24  # arrays\n")
        (tmp_path / "requirements.txt").write_text(
            "# training\n"
            "--extra-index-url https://download.pytorch.org/whl/cu121\n"
            "torch>=2.1 \\\n"
            "    --hash=sha256:abc\n"
            "-r base.txt\n"
            "\n"
            "pkg @ https://example.org/pkg-1.0.tar.gz#egg=pkg\n"
        )
        found = read_requirements_file(tmp_path / "requirements.txt", "requirements.txt")
        assert [(r.text, r.where) for r in found] == [
            ("torch>=2.1", "backends.modal.requirements (requirements.txt:3)"),
            ("numpy>=1.24", "backends.modal.requirements (base.txt:1)"),
            (
                "pkg @ https://example.org/pkg-1.0.tar.gz#egg=pkg",
                "backends.modal.requirements (requirements.txt:7)",
            ),
        ]

    @pytest.mark.parametrize(
        ("line", "says"),
        [
            ("-e .", "editable install"),
            ("torch >>> 2", "is not a requirement"),
            ("--frobnicate", "unknown pip option"),
        ],
    )
    def test_unusable_line_names_file_and_line(self, tmp_path: Path, line: str, says: str):
        """A line bridge cannot check is a configuration error at file:line."""
        (tmp_path / "requirements.txt").write_text(f"numpy\n{line}\n")
        with pytest.raises(BackendConfigError) as err:
            read_requirements_file(tmp_path / "requirements.txt", "requirements.txt")
        assert err.value.setting == "backends.modal.requirements"
        assert (err.value.file, err.value.line) == ("requirements.txt", 2)
        assert says in str(err.value)

    def test_missing_file_is_named(self, tmp_path: Path):
        """A requirements file that does not exist is named."""
        with pytest.raises(BackendConfigError, match=r"cannot read reqs\.txt"):
            read_requirements_file(tmp_path / "reqs.txt", "reqs.txt")


class TestUnmet:
    def test_each_unmet_requirement_is_named(self):
        """Missing packages and versions outside the range are named; names compare as pip
        normalises them; markers for another Python do not apply."""
        packages = {"Torch": "2.0.1", "scikit_learn": "1.4.0", "numpy": "1.26.4"}
        problems = unmet(
            declared(
                "torch>=2.1",
                "scikit-learn>=1.3",
                "wandb",
                "numpy",
                "tomli; python_version < '3.11'",
            ),
            "3.11.9",
            packages,
        )
        assert problems == [
            "packages[0]: 'torch>=2.1': the image has torch 2.0.1",
            "packages[2]: 'wandb' is not installed in the image",
        ]


class TestPreflightImageCheck:
    @pytest.fixture
    def gateway(self, tmp_path: Path) -> MemoryModalGateway:
        gw = MemoryModalGateway(tmp_path / "volumes")
        gw.volumes["runs-vol"] = "vo-1"
        gw.secrets["wandb"] = ("st-1", {"WANDB_API_KEY"})
        for name in ("run_attempt", "run_attempt_image_report"):
            gw.functions[("bridge-runs", name)] = DeployedFunction(
                gpus=(("A100-80GB", 1),) if name == "run_attempt" else (),
                timeout_seconds=3600,
                volume_mounts={"/bridge": "vo-1"} if name == "run_attempt" else {},
                secret_ids=("st-1",) if name == "run_attempt" else (),
                image_id="im-7",
            )
        gw.images[("bridge-runs", "run_attempt_image_report")] = ImageReport(
            python="3.11.9", packages={"torch": "2.3.0", "numpy": "1.26.4"}
        )
        return gw

    def test_declared_packages_present_pass(self, gateway: MemoryModalGateway, tmp_path: Path):
        """Packages the image holds in allowed versions pass; the report is read once."""
        (tmp_path / "requirements.txt").write_text("numpy>=1.20\n")
        config = make_config(packages=("torch>=2.1",), requirements="requirements.txt")
        backend = ModalBackend(config, tmp_path, gateway=gateway)
        assert len(backend.preflight()) == 2
        del gateway.images[("bridge-runs", "run_attempt_image_report")]
        assert len(backend.preflight()) == 2  # a second probe does not ask again

    def test_missing_package_is_named(self, gateway: MemoryModalGateway, tmp_path: Path):
        """A package the image lacks is one problem line naming the setting and the image."""
        config = make_config(packages=("torch>=2.1", "wandb"))
        with pytest.raises(BackendUnavailable) as err:
            ModalBackend(config, tmp_path, gateway=gateway).preflight()
        assert "backends.modal.packages[1]: 'wandb' is not installed in the image" in str(err.value)
        assert "image im-7, Python 3.11.9" in str(err.value)
        assert "packages[0]" not in str(err.value)

    def test_report_function_missing_or_on_another_image(
        self, gateway: MemoryModalGateway, tmp_path: Path
    ):
        """Without the image-report function, or with one built from another image, the image
        cannot be checked, and preflight says how to fix it."""
        config = make_config(packages=("torch",))
        report = gateway.functions.pop(("bridge-runs", "run_attempt_image_report"))
        with pytest.raises(BackendUnavailable, match="'run_attempt_image_report' of app"):
            ModalBackend(config, tmp_path, gateway=gateway).preflight()
        gateway.functions[("bridge-runs", "run_attempt_image_report")] = DeployedFunction(
            gpus=(), timeout_seconds=300, volume_mounts={}, secret_ids=(), image_id="im-old"
        )
        with pytest.raises(BackendUnavailable, match="runs image im-old but 'run_attempt' runs"):
            ModalBackend(config, tmp_path, gateway=gateway).preflight()
        assert report.image_id == "im-7"

    def test_without_declared_requirements_nothing_is_called(
        self, gateway: MemoryModalGateway, tmp_path: Path
    ):
        """No requirements declared: the image report is never asked for."""
        gateway.images.clear()
        assert len(ModalBackend(make_config(), tmp_path, gateway=gateway).preflight()) == 2
