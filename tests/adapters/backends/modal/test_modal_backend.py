"""
ModalBackend's own logic against the in-memory gateway, with the real launcher code.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from bridge.adapters.backends.modal.backend import ModalBackend
from bridge.adapters.backends.modal.config import ModalConfig, ModalSecret
from bridge.adapters.backends.modal.gateway import CallOutcome, DeployedFunction, Outcome
from bridge.errors import BackendError, BackendUnavailable
from bridge.machine.ports import Backend, JobHandle, JobSpec, JobStatus, Slot
from bridge.pipeline.layout import ProjectLayout
from tests.adapters.backends.modal.memory_gateway import MemoryModalGateway


def make_config(**overrides: object) -> ModalConfig:
    values: dict[str, object] = {
        "app": "bridge-runs",
        "function": "run_attempt",
        "volume": "runs-vol",
        "mount_path": "/bridge",
        "gpu": (("A100-80GB", 1),),
        "timeout_seconds": 3600,
        "secrets": (ModalSecret(name="wandb", required_keys=("WANDB_API_KEY",)),),
        "poll_interval_seconds": 0.01,
        "slots": 2,
    }
    values.update(overrides)
    return ModalConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
def gateway(tmp_path: Path) -> MemoryModalGateway:
    gw = MemoryModalGateway(tmp_path / "volumes")
    gw.volumes["runs-vol"] = "vo-1"
    gw.secrets["wandb"] = ("st-1", {"WANDB_API_KEY"})
    gw.functions[("bridge-runs", "run_attempt")] = DeployedFunction(
        gpus=(("A100-80GB", 1),),
        timeout_seconds=3600,
        volume_mounts={"/bridge": "vo-1"},
        secret_ids=("st-1",),
    )
    return gw


@pytest.fixture
def backend(gateway: MemoryModalGateway, tmp_path: Path) -> ModalBackend:
    b = ModalBackend(make_config(), tmp_path, gateway=gateway)
    b.preflight()
    return b


def spec(attempt: str = "A1", argv: tuple[str, ...] = ("true",), **kw: object) -> JobSpec:
    return JobSpec(place=ProjectLayout.place("R001", attempt), argv=argv, **kw)  # type: ignore[arg-type]


def py(code: str) -> tuple[str, ...]:
    return (sys.executable, "-c", code)


class TestModalBackendPreflight:
    def test_matching_deployment_gives_slots(self, gateway: MemoryModalGateway, tmp_path: Path):
        """A deployment matching the configuration yields one slot per configured slot."""
        b = ModalBackend(make_config(), tmp_path, gateway=gateway)
        assert isinstance(b, Backend)
        assert list(b.preflight()) == [Slot(host="modal", gpu=0), Slot(host="modal", gpu=1)]
        assert gateway.calls == {}

    def test_not_deployed_names_app_and_function(self, gateway: MemoryModalGateway, tmp_path: Path):
        """A function that is not deployed is BackendUnavailable naming app and function."""
        gateway.functions.clear()
        b = ModalBackend(make_config(), tmp_path, gateway=gateway)
        with pytest.raises(BackendUnavailable) as err:
            b.preflight()
        text = str(err.value)
        assert "'run_attempt'" in text and "'bridge-runs'" in text
        assert "never deploys" in text
        assert gateway.calls == {}

    def test_every_mismatch_is_named(self, gateway: MemoryModalGateway, tmp_path: Path):
        """GPU, timeout, volume mount and secret mismatches are each named by their setting."""
        gateway.functions[("bridge-runs", "run_attempt")] = DeployedFunction(
            gpus=(("T4", 1),),
            timeout_seconds=600,
            volume_mounts={"/other": "vo-1"},
            secret_ids=(),
        )
        gateway.secrets["hf"] = ("st-2", {"HF_TOKEN"})
        config = make_config(
            secrets=(
                ModalSecret(name="wandb", required_keys=("WANDB_API_KEY",)),
                ModalSecret(name="hf", required_keys=("HF_TOKEN", "HF_HOME")),
            )
        )
        with pytest.raises(BackendUnavailable) as err:
            ModalBackend(config, tmp_path, gateway=gateway).preflight()
        text = str(err.value)
        assert "backends.modal.gpu: configured A100-80GB:1, deployed T4:1" in text
        assert "backends.modal.timeout: configured 3600 s, deployed 600 s" in text
        assert "backends.modal.mount_path: the function mounts no volume at /bridge" in text
        assert "backends.modal.secrets[0]: the function was deployed without Secret 'wandb'" in text
        assert "backends.modal.secrets[1]:" in text and "HF_HOME" in text

    def test_other_volume_and_missing_volume(self, gateway: MemoryModalGateway, tmp_path: Path):
        """A different volume at the mount path, or no such volume, is named."""
        gateway.volumes["runs-vol"] = "vo-9"
        with pytest.raises(BackendUnavailable, match=r"mounts another volume \(vo-1\)"):
            ModalBackend(make_config(), tmp_path, gateway=gateway).preflight()
        del gateway.volumes["runs-vol"]
        with pytest.raises(BackendUnavailable, match=r"backends.modal.volume: Volume 'runs-vol'"):
            ModalBackend(make_config(), tmp_path, gateway=gateway).preflight()

    def test_unchecked_when_not_configured(self, gateway: MemoryModalGateway, tmp_path: Path):
        """Without gpu and timeout settings, any deployed GPU and timeout are accepted."""
        gateway.functions[("bridge-runs", "run_attempt")] = DeployedFunction(
            gpus=(), timeout_seconds=5, volume_mounts={"/bridge": "vo-1"}, secret_ids=("st-1",)
        )
        config = make_config(gpu=None, timeout_seconds=None)
        assert len(ModalBackend(config, tmp_path, gateway=gateway).preflight()) == 2

    def test_unreachable_is_unavailable(self, gateway: MemoryModalGateway, tmp_path: Path):
        """Modal unreachable is BackendUnavailable, never a fallback."""
        gateway.reachable = False
        with pytest.raises(BackendUnavailable, match="could not be reached"):
            ModalBackend(make_config(), tmp_path, gateway=gateway).preflight()


class TestModalBackendRuns:
    def test_submit_spawns_small_run_spec(self, backend: ModalBackend, gateway: MemoryModalGateway):
        """Submit spawns one call whose argument is the run spec, and returns its handle."""
        handle = backend.submit(spec(argv=("python", "train.py"), env={"SEED": "1"}, cwd="src"))
        assert handle == JobHandle(
            backend="modal",
            attempt_id="A1",
            locator={
                "call_id": "fc-1",
                "run_id": "R001",
                "app": "bridge-runs",
                "function": "run_attempt",
                "volume": "runs-vol",
            },
        )
        assert gateway.calls["fc-1"].run_spec == {
            "version": 1,
            "run_id": "R001",
            "attempt_id": "A1",
            "argv": ["python", "train.py"],
            "env": {"SEED": "1"},
            "cwd": "src",
            "timeout_seconds": None,
        }

    def test_queued_then_running_then_succeeded(
        self, backend: ModalBackend, gateway: MemoryModalGateway, tmp_path: Path
    ):
        """Pending is QUEUED before the marker, RUNNING after it; exit 0 is SUCCEEDED."""
        handle = backend.submit(spec(argv=py("print('hello')")))
        assert backend.poll(handle).status is JobStatus.QUEUED
        marker = gateway.volume_dir("runs-vol") / "attempts" / "A1.json"
        marker.parent.mkdir(parents=True)
        marker.write_text('{"call_id": "fc-1", "run_id": "R001", "attempt_id": "A1"}')
        assert backend.poll(handle).status is JobStatus.RUNNING
        gateway.run_launcher("fc-1", "runs-vol", tmp_path)
        state = backend.poll(handle)
        assert (state.status, state.exit_code) == (JobStatus.SUCCEEDED, 0)
        assert "hello" in state.log_tail

    @pytest.mark.parametrize(
        ("outcome", "status", "detail"),
        [
            (Outcome.FUNCTION_TIMEOUT, JobStatus.TIMED_OUT, "FunctionTimeoutError: 60s"),
            (Outcome.RAISED, JobStatus.FAILED, "ValueError: boom"),
            (Outcome.EXPIRED, JobStatus.LOST, "OutputExpiredError"),
            (Outcome.INPUT_LOST, JobStatus.LOST, "InternalFailure: worker preempted"),
        ],
    )
    def test_exceptions_are_classified(
        self,
        backend: ModalBackend,
        gateway: MemoryModalGateway,
        outcome: Outcome,
        status: JobStatus,
        detail: str,
    ):
        """Each terminal exception maps to its status and keeps its message."""
        handle = backend.submit(spec())
        log = gateway.volume_dir("runs-vol") / "runs" / "R001" / "A1" / "log.txt"
        log.parent.mkdir(parents=True)
        log.write_text("epoch 3 loss 0.1\n")
        gateway.calls["fc-1"].outcome = CallOutcome(outcome=outcome, message=detail)
        state = backend.poll(handle)
        assert state.status is status
        assert detail in state.detail
        assert state.log_tail == "epoch 3 loss 0.1\n"

    def test_terminated_from_outside_is_cancelled(
        self, backend: ModalBackend, gateway: MemoryModalGateway
    ):
        """A call terminated by someone else (modal app stop, the dashboard) is CANCELLED,
        and the detail says the cancel did not come from this process."""
        handle = backend.submit(spec())
        gateway.cancel("fc-1")
        state = backend.poll(handle)
        assert state.status is JobStatus.CANCELLED
        assert "cancelled outside this bridge process" in state.detail

    def test_gpu_memory_peak_reaches_the_state(
        self, backend: ModalBackend, gateway: MemoryModalGateway
    ):
        """The launcher's GPU memory peak is the attempt's; an older launcher's result has none."""
        handle = backend.submit(spec())
        result = {"exit_code": 0, "timed_out": False, "log_tail": "", "duplicate_of": ""}
        gateway.calls["fc-1"].outcome = CallOutcome(
            outcome=Outcome.RETURNED, value={**result, "gpu_memory_peak_mib": 30_500}
        )
        assert backend.poll(handle).gpu_memory_peak_mib == 30_500
        gateway.calls["fc-1"].outcome = CallOutcome(outcome=Outcome.RETURNED, value=result)
        assert backend.poll(handle).gpu_memory_peak_mib is None

    def test_unexpected_return_value_is_failed(
        self, backend: ModalBackend, gateway: MemoryModalGateway
    ):
        """A function that does not return the launcher's dict is FAILED, saying so."""
        handle = backend.submit(spec())
        gateway.calls["fc-1"].outcome = CallOutcome(outcome=Outcome.RETURNED, value=42)
        state = backend.poll(handle)
        assert state.status is JobStatus.FAILED
        assert "int" in state.detail

    def test_duplicate_launch_follows_the_first_call(
        self, backend: ModalBackend, gateway: MemoryModalGateway, tmp_path: Path
    ):
        """A call that found the attempt owned by an earlier call reports that call's state."""
        gateway.spawn("bridge-runs", "run_attempt", {"run_id": "R001", "attempt_id": "A1"})
        gateway.calls["fc-1"].run_spec.update(argv=list(py("print(1)")))
        gateway.run_launcher("fc-1", "runs-vol", tmp_path)
        fresh = ModalBackend(make_config(), tmp_path, gateway=gateway)
        handle = fresh._handle("R001", "A1", gateway.spawn("bridge-runs", "run_attempt", {}))
        gateway.calls["fc-2"].run_spec = dict(gateway.calls["fc-1"].run_spec)
        result = gateway.run_launcher("fc-2", "runs-vol", tmp_path)
        assert result["duplicate_of"] == "fc-1"
        assert fresh.poll(handle).status is JobStatus.SUCCEEDED

    def test_find_reconciles_by_marker(
        self, backend: ModalBackend, gateway: MemoryModalGateway, tmp_path: Path
    ):
        """After a crash, a new backend finds the attempt by its marker and does not respawn."""
        handle = backend.submit(spec(argv=py("print(1)")))
        gateway.run_launcher("fc-1", "runs-vol", tmp_path)
        restarted = ModalBackend(make_config(), tmp_path, gateway=gateway)
        assert restarted.find(ProjectLayout.place("R001", "A1")) == handle
        assert restarted.find(ProjectLayout.place("R001", "A2")) is None
        assert restarted.submit(spec()) == handle
        assert list(gateway.calls) == ["fc-1"]

    def test_output_dir_is_on_the_mount(self, backend: ModalBackend):
        """The output directory is the Volume path the function sees."""
        assert (
            backend.output_dir(ProjectLayout.place("R001", "A1")) == "/bridge/runs/R001/A1/output"
        )

    def test_run_timeout_longer_than_function_is_refused(self, backend: ModalBackend):
        """A run timeout beyond the deployed function timeout is refused before spawning."""
        with pytest.raises(BackendError, match="longer than the deployed Modal function"):
            backend.submit(spec(timeout_seconds=7200))

    def test_foreign_handle_is_refused(self, backend: ModalBackend):
        """A handle from another backend is an error, not a guess."""
        with pytest.raises(BackendError, match="not a Modal handle"):
            backend.poll(JobHandle(backend="local", attempt_id="A1", locator={"pid": "1"}))

    def test_wait_is_bounded_by_poll_interval(self, backend: ModalBackend):
        """wait() returns after at most the poll interval."""
        started = time.monotonic()
        backend.wait([], timeout=30.0)
        assert time.monotonic() - started < 1.0

    def test_release_closes_gateway(self, backend: ModalBackend, gateway: MemoryModalGateway):
        """release() closes the gateway."""
        backend.release()
        assert gateway.closed


@pytest.mark.parametrize("code", [True, "124", 124.0])
def test_a_timed_out_result_keeps_only_a_whole_exit_code(code: object) -> None:
    """A launcher answering a timed-out run with an exit code that is not a whole number (a
    bool is an int to Python) records none: the event would not decode back, and the append
    would be refused."""
    from bridge.adapters.backends.modal.backend import _from_result

    state = _from_result({"exit_code": code, "timed_out": True, "log_tail": "t"})
    assert state.status is JobStatus.TIMED_OUT and state.exit_code is None
    assert _from_result({"exit_code": 124, "timed_out": True}).exit_code == 124
