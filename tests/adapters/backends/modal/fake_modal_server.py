"""
A loopback Modal control plane for the real ``modal`` 1.6.4 SDK.

A grpclib servicer built on ``modal_proto.api_grpc.ModalClientBase`` implements the RPCs that
``SdkModalGateway`` makes (``FunctionGet``, ``FunctionMap``, ``FunctionGetOutputs``,
``FunctionCallCancel``, ``SecretGetOrCreate``, ``VolumeGetOrCreate``, ``VolumeListFiles2``,
``VolumeGetFile2``, ``ImageFromId``); every other RPC answers UNIMPLEMENTED with its name, so an
SDK upgrade that calls something new fails loudly. Volume blocks are served by a tiny HTTP
server, as Modal serves them from blob storage. Both bind 127.0.0.1 on a free port; state is
plain Python the test drives.

A function deployed with a ``launcher`` runs each call for real, as Modal runs it in a
container: ``fake_container.py``, forked in its own session, imports the launcher file and calls
its ``run_spec_attempt`` with the call's argument, the project at ``workspace``, and the
function's one Volume mounted at its mount path (a directory on this machine, so the paths a
run sees are the paths bridge computes). What the container writes becomes visible through the
API only when the launcher commits, as on Modal. The fake enforces the function's timeout
(``FunctionTimeoutError``), kills the container's process group on ``FunctionCallCancel``
(terminated), and reports a container that ended without returning (killed from outside: a
preempted or lost worker) as an internal failure. Functions without a launcher run nothing:
the test decides each call's result by hand.
"""

from __future__ import annotations

import asyncio
import atexit
import http.server
import itertools
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import attrs
from grpclib import GRPCError, Status
from grpclib.server import Server
from modal_proto import api_grpc, api_pb2

_BOUND = 10.0  # seconds any start/stop may take
_CONTAINER = Path(__file__).with_name("fake_container.py")


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
    image_id: str = "im-1"
    launcher: Path | None = None  # a launcher file: calls run it for real (see module doc)
    entry: str = "run_spec_attempt"  # the launcher's function a call runs
    workspace: Path | None = None  # the project directory the container sees
    image_path: Path | None = None  # a directory the image puts first on PATH (nvidia-smi)


@attrs.define
class FakeCall:
    """One spawned call: its argument and the result the test has decided for it."""

    call_id: str
    function_id: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    status: str = "pending"  # pending | success | failure | timeout | terminated | expired
    #  | internal_failure
    value: Any = None
    cancelled: bool = False
    message: str = ""  # the exception text of a timeout or an internal failure
    pid: int | None = None  # the container (its own session), for a launcher function
    result_path: Path | None = None
    deadline: float | None = None  # monotonic time the function's timeout ends the call


@attrs.define
class FakeImage:
    """A built image as ``ImageFromId`` reports it."""

    python_version: str = "3.11.9"
    packages: dict[str, str] = attrs.Factory(dict)  # distribution name -> version


@attrs.define
class FakeState:
    """Everything the fake knows; tests mutate it directly. ``root`` holds Volumes and calls."""

    root: Path
    functions: dict[tuple[str, str], FakeFunction] = attrs.Factory(dict)
    secrets: dict[str, tuple[str, dict[str, str]]] = attrs.Factory(dict)  # name -> (id, env)
    volumes: dict[str, tuple[str, Path]] = attrs.Factory(dict)  # name -> (id, committed files)
    images: dict[str, FakeImage] = attrs.Factory(lambda: {"im-1": FakeImage()})
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
        """Register a Volume (its committed files live in a directory) and return its id."""
        volume_id = f"vo-{next(self.ids)}"
        store = self.root / "volumes" / volume_id
        store.mkdir(parents=True)
        self.volumes[name] = (volume_id, store)
        for path, data in (files or {}).items():
            self.put_file(name, path, data)
        return volume_id

    def put_file(self, volume: str, path: str, data: bytes) -> None:
        """Commit one file to a Volume, as a container's commit would."""
        target = self.volumes[volume][1] / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def _volume_by_id(self, volume_id: str) -> Path:
        for vid, store in self.volumes.values():
            if vid == volume_id:
                return store
        raise GRPCError(Status.NOT_FOUND, f"volume {volume_id} not found")

    # -- containers ------------------------------------------------------------------------------

    def start(self, call: FakeCall, fn: FakeFunction) -> None:
        """Run the call's launcher in a container process of its own session."""
        assert fn.launcher is not None and fn.workspace is not None
        spool = self.root / "calls" / call.call_id
        spool.mkdir(parents=True)
        call.result_path = spool / "result.pickle"
        job: dict[str, Any] = {
            "launcher": str(fn.launcher),
            "entry": fn.entry,
            "args": call.args,
            "call_id": call.call_id,
            "workspace": str(fn.workspace),
            "result": str(call.result_path),
            "image_path": str(fn.image_path) if fn.image_path else "",
        }
        if fn.volume_mounts:
            if len(fn.volume_mounts) != 1:
                raise GRPCError(Status.FAILED_PRECONDITION, "the fake mounts at most one Volume")
            ((mount, volume_id),) = fn.volume_mounts.items()
            job.update(mount=mount, store=str(self._volume_by_id(volume_id)))
        (spool / "job.pickle").write_bytes(pickle.dumps(job))
        call.pid = _zygote().fork(spool / "job.pickle")
        call.deadline = time.monotonic() + fn.timeout_secs

    def refresh(self, call: FakeCall) -> None:
        """Bring a running container's call up to date: returned, timed out, or gone."""
        if call.pid is None or call.status != "pending":
            return
        assert call.result_path is not None
        if call.result_path.exists():  # written by rename: complete once it exists
            kind, value = pickle.loads(call.result_path.read_bytes())
            call.status, call.value = kind, value
            return
        if _alive(call.pid):
            if call.deadline is not None and time.monotonic() > call.deadline:
                self._stop(call)
                call.status = "timeout"
                call.message = "Function call timed out"
            return
        call.status = "internal_failure"
        call.message = "the container ended without a result: its worker was lost"

    def _stop(self, call: FakeCall) -> None:
        if call.pid is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(call.pid, signal.SIGKILL)
        _wait_gone(call.pid)

    def kill_container(self, call_id: str) -> None:
        """SIGKILL a call's container from outside (a preempted or vanished worker)."""
        self._stop(self.calls[call_id])

    def cancel(self, call: FakeCall) -> None:
        """FunctionCallCancel: a call still running is terminated, its container stopped."""
        call.cancelled = True
        self.refresh(call)
        if call.status == "pending":
            self._stop(call)
            call.status = "terminated"

    def stop_all(self) -> None:
        """Stop every container still running (the fake is shutting down)."""
        for call in self.calls.values():
            self._stop(call)


def _alive(pid: int) -> bool:
    # The zygote ignores SIGCHLD, so the kernel reaps a container as it ends: no zombies.
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_gone(pid: int) -> None:
    deadline = time.monotonic() + _BOUND
    while _alive(pid):
        if time.monotonic() > deadline:
            raise RuntimeError(f"fake Modal container {pid} did not end after SIGKILL")
        time.sleep(0.005)


_ZYGOTES: list[_Zygote] = []


def _zygote() -> _Zygote:
    # One per test process, shared by every fake (jobs carry all their paths): a container
    # then costs a fork, not an interpreter start and the SDK's import.
    if not _ZYGOTES:
        _ZYGOTES.append(_Zygote())
        atexit.register(_ZYGOTES[0].close)
    return _ZYGOTES[0]


class _Zygote:
    """
    ``fake_container.py --zygote``: a process that imported ``modal`` once and forks each
    container from itself (its own session), so a container starts in milliseconds rather than
    paying for an interpreter and the SDK's import. Its environment is the image's, not the
    caller's: nothing of the test's own environment (Modal tokens, server URL) reaches a run.
    """

    def __init__(self) -> None:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1"}
        self.process = subprocess.Popen(
            [sys.executable, str(_CONTAINER), "--zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            start_new_session=True,
        )
        self._lock = threading.Lock()

    def fork(self, job: Path) -> int:
        """Start a container for ``job`` and return its pid (also its session id)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        with self._lock:
            self.process.stdin.write(f"{job}\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        if not answer.strip().isdigit():
            raise RuntimeError(f"the fake Modal zygote did not fork a container: {answer!r}")
        return int(answer)

    def close(self) -> None:
        """End the zygote: it exits when its stdin closes."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        try:
            self.process.wait(_BOUND)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(_BOUND)
        self.process.stdout.close()


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
                    image_id=fn.image_id,
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
        call = FakeCall(call_id=call_id, function_id=req.function_id, args=args, kwargs=kwargs)
        self.state.calls[call_id] = call
        fn = next(f for f in self.state.functions.values() if f.function_id == req.function_id)
        if fn.launcher is not None:
            self.state.start(call, fn)
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
        self.state.refresh(call)
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
                status=generic.GENERIC_STATUS_TIMEOUT,
                exception=call.message or "Function timed out after 60s",
            )
        elif call.status == "terminated":
            result = generic(
                status=generic.GENERIC_STATUS_TERMINATED, exception="Function call was cancelled"
            )
        elif call.status == "internal_failure":
            result = generic(status=generic.GENERIC_STATUS_INTERNAL_FAILURE, exception=call.message)
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
        self.state.cancel(call)
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
        store = self.state._volume_by_id(req.volume_id)
        prefix = req.path.strip("/")
        entries = [
            api_pb2.FileEntry(
                path=path.relative_to(store).as_posix(),
                type=api_pb2.FileEntry.FileType.FILE,
                size=path.stat().st_size,
            )
            for path in sorted((store / prefix).rglob("*") if prefix else store.rglob("*"))
            if path.is_file()
        ]
        if prefix and (store / prefix).is_file():
            entries = [
                api_pb2.FileEntry(
                    path=prefix,
                    type=api_pb2.FileEntry.FileType.FILE,
                    size=(store / prefix).stat().st_size,
                )
            ]
        if not entries:
            raise GRPCError(Status.NOT_FOUND, f"No such file or directory: {req.path}")
        await stream.send_message(api_pb2.VolumeListFiles2Response(entries=entries))

    async def VolumeGetFile2(self, stream: Any) -> None:
        req = await self._recv(stream, "VolumeGetFile2")
        target = self.state._volume_by_id(req.volume_id) / req.path.strip("/")
        if not target.is_file():
            raise GRPCError(Status.NOT_FOUND, f"No such file: {req.path}")
        data = target.read_bytes()
        key = f"b{next(self.state.ids)}"
        self.state.blobs[key] = data
        await stream.send_message(
            api_pb2.VolumeGetFile2Response(
                get_urls=[f"{self.blob_url}/{key}"], size=len(data), start=0, len=len(data)
            )
        )

    async def ImageFromId(self, stream: Any) -> None:
        req = await self._recv(stream, "ImageFromId")
        image = self.state.images.get(req.image_id)
        if image is None:
            raise GRPCError(Status.NOT_FOUND, f"Image {req.image_id} not found")
        await stream.send_message(
            api_pb2.ImageFromIdResponse(
                image_id=req.image_id,
                metadata=api_pb2.ImageMetadata(
                    python_version_info=image.python_version, python_packages=image.packages
                ),
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
def serve_fake_modal(root: Path) -> Iterator[FakeModalServer]:
    """Run the fake gRPC and blob servers on 127.0.0.1 free ports for the block's duration;
    its Volumes and containers' files live under ``root``."""
    state = FakeState(root=root)
    blob_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _BlobHandler)
    blob_server.blobs = state.blobs  # type: ignore[attr-defined]
    blob_thread = threading.Thread(
        target=blob_server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
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
        state.stop_all()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(_BOUND)
        loop.close()
        sock.close()
        blob_server.shutdown()
        blob_server.server_close()
        blob_thread.join(_BOUND)
