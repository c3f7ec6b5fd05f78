"""
A loopback Modal control plane for the real ``modal`` 1.6.4 SDK.

A grpclib servicer built on ``modal_proto.api_grpc.ModalClientBase`` implements the RPCs that
``SdkModalGateway`` makes (``FunctionGet``, ``FunctionMap``, ``FunctionGetOutputs``,
``FunctionCallCancel``, ``SecretGetOrCreate``, ``VolumeGetOrCreate``, ``VolumeListFiles2``,
``VolumeGetFile2``); every other RPC answers UNIMPLEMENTED with its name, so an SDK upgrade that
calls something new fails loudly. Volume blocks are served by a tiny HTTP server, as Modal serves
them from blob storage. Both bind 127.0.0.1 on a free port; state is plain Python the test drives.
"""

from __future__ import annotations

import asyncio
import http.server
import itertools
import pickle
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs
from grpclib import GRPCError, Status
from grpclib.server import Server
from modal_proto import api_grpc, api_pb2

_BOUND = 10.0  # seconds any start/stop may take


def _unimplemented(name: str) -> Any:
    async def handler(self: Any, stream: Any) -> None:
        raise GRPCError(Status.UNIMPLEMENTED, f"fake Modal server does not implement {name}")

    handler.__name__ = name
    return handler


# A concrete base: every abstract RPC answers UNIMPLEMENTED until the servicer overrides it.
_UnimplementedModal = type(
    "_UnimplementedModal",
    (api_grpc.ModalClientBase,),
    {name: _unimplemented(name) for name in api_grpc.ModalClientBase.__abstractmethods__},
)


@attrs.define
class FakeFunction:
    """A deployed function as the fake reports it."""

    function_id: str
    gpus: list[tuple[str, int]] = attrs.Factory(list)
    timeout_secs: int = 3600
    volume_mounts: dict[str, str] = attrs.Factory(dict)  # mount path -> volume id
    secret_ids: list[str] = attrs.Factory(list)


@attrs.define
class FakeCall:
    """One spawned call: its argument and the result the test has decided for it."""

    call_id: str
    function_id: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    status: str = "pending"  # pending | success | failure | timeout | terminated | expired
    value: Any = None
    cancelled: bool = False


@attrs.define
class FakeState:
    """Everything the fake knows; tests mutate it directly."""

    functions: dict[tuple[str, str], FakeFunction] = attrs.Factory(dict)
    secrets: dict[str, tuple[str, dict[str, str]]] = attrs.Factory(dict)  # name -> (id, env)
    volumes: dict[str, tuple[str, dict[str, bytes]]] = attrs.Factory(dict)  # name -> (id, files)
    calls: dict[str, FakeCall] = attrs.Factory(dict)
    requests: list[tuple[str, Any]] = attrs.Factory(list)
    metadata: list[dict[str, str]] = attrs.Factory(list)
    blobs: dict[str, bytes] = attrs.Factory(dict)
    down: bool = False  # every RPC answers UNAVAILABLE, as when Modal's API is down
    token_id: str = "ak-test"  # the only token id the fake accepts
    ids: Iterator[int] = attrs.Factory(lambda: itertools.count(1))

    def deploy(self, app: str, name: str, **kwargs: Any) -> FakeFunction:
        """Register a deployed function."""
        fn = FakeFunction(function_id=f"fu-{next(self.ids)}", **kwargs)
        self.functions[(app, name)] = fn
        return fn

    def add_secret(self, name: str, env: dict[str, str]) -> str:
        """Register a Secret and return its id."""
        secret_id = f"st-{next(self.ids)}"
        self.secrets[name] = (secret_id, env)
        return secret_id

    def add_volume(self, name: str, files: dict[str, bytes] | None = None) -> str:
        """Register a Volume and return its id."""
        volume_id = f"vo-{next(self.ids)}"
        self.volumes[name] = (volume_id, dict(files or {}))
        return volume_id

    def volume_files(self, name: str) -> dict[str, bytes]:
        """The files of a Volume, by path relative to its root."""
        return self.volumes[name][1]

    def _volume_by_id(self, volume_id: str) -> dict[str, bytes]:
        for vid, files in self.volumes.values():
            if vid == volume_id:
                return files
        raise GRPCError(Status.NOT_FOUND, f"volume {volume_id} not found")


class FakeModalServicer(_UnimplementedModal):  # type: ignore[misc, valid-type]
    """The RPCs the gateway needs, answered from ``FakeState``."""

    def __init__(self, state: FakeState, blob_url: str) -> None:
        self.state = state
        self.blob_url = blob_url

    async def _recv(self, stream: Any, name: str) -> Any:
        request = await stream.recv_message()
        self.state.requests.append((name, request))
        self.state.metadata.append(dict(stream.metadata))
        if self.state.down:
            raise GRPCError(Status.UNAVAILABLE, "Modal is temporarily unavailable")
        if stream.metadata.get("x-modal-token-id") != self.state.token_id:
            raise GRPCError(Status.UNAUTHENTICATED, "Invalid token id")
        return request

    async def FunctionGet(self, stream: Any) -> None:
        req = await self._recv(stream, "FunctionGet")
        fn = self.state.functions.get((req.app_name, req.object_tag))
        if fn is None:
            raise GRPCError(Status.NOT_FOUND, f"App '{req.app_name}' has no '{req.object_tag}'")
        ranked = [
            api_pb2.FunctionData.RankedFunction(
                rank=rank,
                function=api_pb2.Function(
                    function_name=req.object_tag,
                    resources=api_pb2.Resources(
                        gpu_config=api_pb2.GPUConfig(gpu_type=kind, count=count)
                    ),
                    volume_mounts=[
                        api_pb2.VolumeMount(mount_path=path, volume_id=vid)
                        for path, vid in fn.volume_mounts.items()
                    ],
                    secret_ids=fn.secret_ids,
                    image_id="im-1",
                ),
            )
            for rank, (kind, count) in enumerate(fn.gpus or [("", 0)])
        ]
        await stream.send_message(
            api_pb2.FunctionGetResponse(
                function_id=fn.function_id,
                handle_metadata=api_pb2.FunctionHandleMetadata(
                    function_name=req.object_tag,
                    function_type=api_pb2.Function.FUNCTION_TYPE_FUNCTION,
                    supported_input_formats=[api_pb2.DATA_FORMAT_PICKLE],
                    supported_output_formats=[api_pb2.DATA_FORMAT_PICKLE],
                ),
                function=api_pb2.FunctionData(
                    timeout_secs=fn.timeout_secs, ranked_functions=ranked
                ),
            )
        )

    async def FunctionMap(self, stream: Any) -> None:
        req = await self._recv(stream, "FunctionMap")
        item = req.pipelined_inputs[0]
        args, kwargs = pickle.loads(item.input.args)
        call_id = f"fc-{next(self.state.ids)}"
        self.state.calls[call_id] = FakeCall(
            call_id=call_id, function_id=req.function_id, args=args, kwargs=kwargs
        )
        await stream.send_message(
            api_pb2.FunctionMapResponse(
                function_call_id=call_id,
                pipelined_inputs=[
                    api_pb2.FunctionPutInputsResponseItem(
                        idx=0, input_id=f"in-{call_id}", input_jwt="jwt"
                    )
                ],
            )
        )

    async def FunctionGetOutputs(self, stream: Any) -> None:
        req = await self._recv(stream, "FunctionGetOutputs")
        call = self.state.calls.get(req.function_call_id)
        if call is None:
            raise GRPCError(Status.NOT_FOUND, f"function call {req.function_call_id} not found")
        generic = api_pb2.GenericResult
        result: api_pb2.GenericResult | None = None
        if call.status == "success":
            result = generic(status=generic.GENERIC_STATUS_SUCCESS, data=pickle.dumps(call.value))
        elif call.status == "failure":
            result = generic(
                status=generic.GENERIC_STATUS_FAILURE,
                data=pickle.dumps(call.value),
                exception=repr(call.value),
            )
        elif call.status == "timeout":
            result = generic(
                status=generic.GENERIC_STATUS_TIMEOUT, exception="Function timed out after 60s"
            )
        elif call.status == "terminated":
            result = generic(
                status=generic.GENERIC_STATUS_TERMINATED, exception="Function call was cancelled"
            )
        if result is None:
            unfinished = 0 if call.status == "expired" else 1
            await stream.send_message(
                api_pb2.FunctionGetOutputsResponse(num_unfinished_inputs=unfinished)
            )
            return
        await stream.send_message(
            api_pb2.FunctionGetOutputsResponse(
                outputs=[
                    api_pb2.FunctionGetOutputsItem(
                        result=result, idx=0, data_format=api_pb2.DATA_FORMAT_PICKLE
                    )
                ],
                num_unfinished_inputs=0,
            )
        )

    async def FunctionCallCancel(self, stream: Any) -> None:
        req = await self._recv(stream, "FunctionCallCancel")
        call = self.state.calls.get(req.function_call_id)
        if call is None:
            raise GRPCError(Status.NOT_FOUND, f"function call {req.function_call_id} not found")
        call.cancelled = True
        if call.status == "pending":
            call.status = "terminated"
        from google.protobuf import empty_pb2

        await stream.send_message(empty_pb2.Empty())

    async def SecretGetOrCreate(self, stream: Any) -> None:
        req = await self._recv(stream, "SecretGetOrCreate")
        found = self.state.secrets.get(req.deployment_name)
        if found is None:
            raise GRPCError(Status.NOT_FOUND, f"Secret '{req.deployment_name}' not found")
        missing = [k for k in req.required_keys if k not in found[1]]
        if missing:
            raise GRPCError(
                Status.NOT_FOUND,
                f"Secret '{req.deployment_name}' is missing keys: {', '.join(missing)}",
            )
        await stream.send_message(api_pb2.SecretGetOrCreateResponse(secret_id=found[0]))

    async def VolumeGetOrCreate(self, stream: Any) -> None:
        req = await self._recv(stream, "VolumeGetOrCreate")
        found = self.state.volumes.get(req.deployment_name)
        if found is None:
            raise GRPCError(Status.NOT_FOUND, f"Volume '{req.deployment_name}' not found")
        await stream.send_message(
            api_pb2.VolumeGetOrCreateResponse(
                volume_id=found[0],
                metadata=api_pb2.VolumeMetadata(version=api_pb2.VOLUME_FS_VERSION_V2),
            )
        )

    async def VolumeListFiles2(self, stream: Any) -> None:
        req = await self._recv(stream, "VolumeListFiles2")
        files = self.state._volume_by_id(req.volume_id)
        prefix = req.path.strip("/")
        entries = [
            api_pb2.FileEntry(path=path, type=api_pb2.FileEntry.FileType.FILE, size=len(data))
            for path, data in sorted(files.items())
            if not prefix or path == prefix or path.startswith(prefix + "/")
        ]
        if not entries:
            raise GRPCError(Status.NOT_FOUND, f"No such file or directory: {req.path}")
        await stream.send_message(api_pb2.VolumeListFiles2Response(entries=entries))

    async def VolumeGetFile2(self, stream: Any) -> None:
        req = await self._recv(stream, "VolumeGetFile2")
        files = self.state._volume_by_id(req.volume_id)
        path = req.path.strip("/")
        if path not in files:
            raise GRPCError(Status.NOT_FOUND, f"No such file: {req.path}")
        key = f"b{next(self.state.ids)}"
        self.state.blobs[key] = files[path]
        await stream.send_message(
            api_pb2.VolumeGetFile2Response(
                get_urls=[f"{self.blob_url}/{key}"],
                size=len(files[path]),
                start=0,
                len=len(files[path]),
            )
        )


class _BlobHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        data = self.server.blobs.get(self.path.strip("/"))  # type: ignore[attr-defined]
        if data is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@attrs.define
class FakeModalServer:
    """A running fake: ``url`` for ``MODAL_SERVER_URL``, ``state`` to drive it."""

    url: str
    state: FakeState
    port: int


@contextmanager
def serve_fake_modal(state: FakeState | None = None) -> Iterator[FakeModalServer]:
    """Run the fake gRPC and blob servers on 127.0.0.1 free ports for the block's duration."""
    state = state or FakeState()
    blob_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _BlobHandler)
    blob_server.blobs = state.blobs  # type: ignore[attr-defined]
    blob_thread = threading.Thread(target=blob_server.serve_forever, daemon=True)
    blob_thread.start()
    blob_url = f"http://127.0.0.1:{blob_server.server_address[1]}"

    loop = asyncio.new_event_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    servers: list[Server] = []
    started = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)

        async def start() -> None:
            # grpclib binds the server to the running loop, so it is made inside it.
            servers.append(Server([FakeModalServicer(state, blob_url)]))
            await servers[0].start(sock=sock)

        loop.run_until_complete(start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not started.wait(_BOUND):
        raise RuntimeError("fake Modal server did not start")
    try:
        yield FakeModalServer(url=f"http://127.0.0.1:{port}", state=state, port=port)
    finally:

        async def stop() -> None:
            servers[0].close()
            await servers[0].wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(_BOUND)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(_BOUND)
        loop.close()
        sock.close()
        blob_server.shutdown()
        blob_server.server_close()
        blob_thread.join(_BOUND)
