"""
SdkModalGateway and ModalBackend with the real modal 1.6.4 SDK, against a loopback Modal server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import modal
import pytest
from modal_proto import api_pb2

from bridge.adapters.backends.modal.gateway import (
    ModalObjectMissing,
    Outcome,
    SdkModalGateway,
    VolumeFile,
)
from bridge.errors import BackendUnavailable, JobNotFound
from tests.adapters.backends.modal.fake_modal_server import FakeModalServer, serve_fake_modal

TOKEN_SECRET = "as-super-secret-value"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeModalServer]:
    with serve_fake_modal(tmp_path / "modal") as srv:
        state = srv.state
        vid = state.add_volume("runs-vol", {"attempts/old.json": b'{"call_id": "fc-old"}'})
        sid = state.add_secret("wandb", {"WANDB_API_KEY": "k"})
        state.deploy(
            "bridge-runs",
            "run_attempt",
            gpus=[("A100-80GB", 1)],
            timeout_secs=3600,
            volume_mounts={"/bridge": vid},
            secret_ids=[sid],
        )
        monkeypatch.setenv("MODAL_SERVER_URL", srv.url)
        yield srv


@pytest.fixture
def client(server: FakeModalServer) -> Iterator[Any]:
    c = modal.Client.from_credentials("ak-test", TOKEN_SECRET)
    try:
        yield c
    finally:
        c.close()  # before the server stops, so no connection is left open


@pytest.fixture
def gateway(client: Any) -> SdkModalGateway:
    return SdkModalGateway(client=client)


def spawn(gateway: SdkModalGateway) -> str:
    return gateway.spawn("bridge-runs", "run_attempt", {"run_id": "R001", "attempt_id": "A1"})


class TestSdkModalGateway:
    def test_lookup_reads_function_info(self, gateway: SdkModalGateway, server: FakeModalServer):
        """Function.from_name().hydrate() and info() give GPU, timeout, volumes and secrets."""
        deployed = gateway.lookup_function("bridge-runs", "run_attempt")
        assert deployed.gpus == (("A100-80GB", 1),)
        assert deployed.timeout_seconds == 3600
        assert deployed.volume_mounts == {"/bridge": server.state.volumes["runs-vol"][0]}
        assert deployed.secret_ids == (server.state.secrets["wandb"][0],)
        name, request = server.state.requests[-1]
        assert (name, request.app_name, request.object_tag) == (
            "FunctionGet",
            "bridge-runs",
            "run_attempt",
        )

    def test_environment_is_sent(self, client: Any, server: FakeModalServer):
        """The configured Modal environment travels with the lookup."""
        SdkModalGateway(client=client, environment="research").lookup_function(
            "bridge-runs", "run_attempt"
        )
        assert server.state.requests[-1][1].environment_name == "research"

    def test_not_deployed(self, gateway: SdkModalGateway):
        """An unknown function is ModalObjectMissing naming app and function."""
        with pytest.raises(ModalObjectMissing, match="'nope' of app 'bridge-runs' is not deployed"):
            gateway.lookup_function("bridge-runs", "nope")

    def test_spawn_sends_the_run_spec(self, gateway: SdkModalGateway, server: FakeModalServer):
        """spawn() pickles the run spec as the single argument and returns the call id."""
        call_id = spawn(gateway)
        assert call_id.startswith("fc-")
        assert server.state.calls[call_id].args == ({"run_id": "R001", "attempt_id": "A1"},)
        map_request = next(r for n, r in server.state.requests if n == "FunctionMap")
        assert (
            map_request.function_call_invocation_type == api_pb2.FUNCTION_CALL_INVOCATION_TYPE_ASYNC
        )
        assert (
            map_request.function_id
            == server.state.functions[("bridge-runs", "run_attempt")].function_id
        )

    def test_pending_then_success(self, gateway: SdkModalGateway, server: FakeModalServer):
        """No output is PENDING (builtin TimeoutError); a return value is RETURNED."""
        call_id = spawn(gateway)
        assert gateway.get(call_id).outcome is Outcome.PENDING
        call = server.state.calls[call_id]
        call.status, call.value = "success", {"exit_code": 0, "log_tail": "ok"}
        outcome = gateway.get(call_id)
        assert (outcome.outcome, outcome.value) == (Outcome.RETURNED, call.value)

    def test_remote_exception(self, gateway: SdkModalGateway, server: FakeModalServer):
        """A remote exception comes back with its type and message."""
        call_id = spawn(gateway)
        call = server.state.calls[call_id]
        call.status, call.value = "failure", ValueError("boom")
        outcome = gateway.get(call_id)
        assert (outcome.outcome, outcome.message) == (Outcome.RAISED, "ValueError: boom")

    def test_function_timeout(self, gateway: SdkModalGateway, server: FakeModalServer):
        """FunctionTimeoutError is FUNCTION_TIMEOUT, and an expired result EXPIRED."""
        call_id = spawn(gateway)
        server.state.calls[call_id].status = "timeout"
        outcome = gateway.get(call_id)
        assert outcome.outcome is Outcome.FUNCTION_TIMEOUT
        assert "FunctionTimeoutError" in outcome.message
        server.state.calls[call_id].status = "expired"
        assert gateway.get(call_id).outcome is Outcome.EXPIRED

    def test_internal_failure_is_input_lost(
        self, gateway: SdkModalGateway, server: FakeModalServer
    ):
        """GENERIC_STATUS_INTERNAL_FAILURE (a preempted or lost worker) is INPUT_LOST."""
        call_id = spawn(gateway)
        call = server.state.calls[call_id]
        call.status, call.message = "internal_failure", "worker preempted"
        outcome = gateway.get(call_id)
        assert (outcome.outcome, outcome.message) == (
            Outcome.INPUT_LOST,
            "InternalFailure: worker preempted",
        )

    def test_cancel(self, gateway: SdkModalGateway, server: FakeModalServer):
        """cancel() reaches FunctionCallCancel; the next get is TERMINATED (RemoteError)."""
        call_id = spawn(gateway)
        gateway.cancel(call_id)
        assert server.state.calls[call_id].cancelled
        assert gateway.get(call_id).outcome is Outcome.TERMINATED

    def test_unknown_call(self, gateway: SdkModalGateway):
        """A call id Modal does not know is JobNotFound."""
        with pytest.raises(JobNotFound, match="fc-404"):
            gateway.get("fc-404")

    def test_secret(self, gateway: SdkModalGateway, server: FakeModalServer):
        """A Secret with its keys gives its id; a missing key or Secret is named."""
        assert gateway.secret_id("wandb", ["WANDB_API_KEY"]) == server.state.secrets["wandb"][0]
        assert list(server.state.requests[-1][1].required_keys) == ["WANDB_API_KEY"]
        with pytest.raises(ModalObjectMissing, match="missing keys: HF_TOKEN"):
            gateway.secret_id("wandb", ["WANDB_API_KEY", "HF_TOKEN"])
        with pytest.raises(ModalObjectMissing, match="Secret 'hf'"):
            gateway.secret_id("hf", [])

    def test_volume_read_and_list(self, gateway: SdkModalGateway, server: FakeModalServer):
        """Files are read back through VolumeGetFile2 and block URLs, and listed recursively."""
        server.state.put_file("runs-vol", "runs/R001/A1/output/metrics.json", b'{"acc": 1}')
        server.state.put_file("runs-vol", "runs/R001/A1/log.txt", b"x" * 70_000)
        assert gateway.read_file("runs-vol", "attempts/old.json") == b'{"call_id": "fc-old"}'
        assert gateway.read_file("runs-vol", "runs/R001/A1/log.txt") == b"x" * 70_000
        assert gateway.read_file("runs-vol", "attempts/none.json") is None
        assert gateway.list_files("runs-vol", "runs/R001/A1") == (
            VolumeFile(path="runs/R001/A1/log.txt", size=70_000),
            VolumeFile(path="runs/R001/A1/output/metrics.json", size=10),
        )
        assert gateway.list_files("runs-vol", "runs/R999") == ()
        with pytest.raises(ModalObjectMissing, match="Volume 'other'"):
            gateway.volume_id("other")

    def test_server_down(self, gateway: SdkModalGateway, server: FakeModalServer):
        """Modal answering UNAVAILABLE is a clear BackendUnavailable, for every operation."""
        call_id = spawn(gateway)
        server.state.down = True
        with pytest.raises(BackendUnavailable, match="could not be reached while polling"):
            gateway.get(call_id)
        with pytest.raises(BackendUnavailable, match="could not be reached while looking up"):
            gateway.lookup_function("bridge-runs", "run_attempt")

    def test_rejected_credentials(self, client: Any, server: FakeModalServer):
        """Refused credentials say how to set them and never print the secret."""
        server.state.token_id = "ak-someone-else"
        with pytest.raises(BackendUnavailable) as err:
            SdkModalGateway(client=client).lookup_function("bridge-runs", "run_attempt")
        assert "MODAL_TOKEN_ID" in str(err.value)
        assert TOKEN_SECRET not in str(err.value)

    def test_credentials_travel_only_as_metadata(
        self, gateway: SdkModalGateway, server: FakeModalServer
    ):
        """The token is sent as gRPC metadata and appears in no request body."""
        spawn(gateway)
        assert server.state.metadata[-1]["x-modal-token-secret"] == TOKEN_SECRET
        assert all(TOKEN_SECRET not in str(request) for _, request in server.state.requests)
