"""
A loopback fake of W&B's GraphQL endpoint: checks the Basic auth, reads the query's variables
and answers a run's ``summaryMetrics`` and ``history`` the way the public API does (JSON strings,
``NaN`` tokens included).
"""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class FakeRun:
    """One W&B run: its summary and its logged rows (each row carries ``_step``)."""

    summary: dict[str, Any]
    history: tuple[dict[str, Any], ...] = ()


@attrs.frozen(kw_only=True)
class Seen:
    """One request the fake received."""

    path: str
    authorized: bool
    query: str
    variables: dict[str, Any]


class FakeWandb:
    """
    The fake server. ``runs`` maps ``(entity, project, name)`` to a run, or set ``lookup`` to
    answer any name; ``status`` scripts HTTP errors (a list, consumed one per request).
    """

    def __init__(self, key: str = "key-0123456789") -> None:
        self.key = key
        self.runs: dict[tuple[str, str, str], FakeRun] = {}
        self.lookup: Callable[[str, str, str], FakeRun | None] | None = None
        self.statuses: list[int] = []
        self.seen: list[Seen] = []
        self.answers: list[dict[str, Any]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """Keep the test output quiet."""

            def do_POST(self) -> None:
                owner._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._lock = threading.Lock()

    def _find(self, entity: str, project: str, name: str) -> FakeRun | None:
        if self.lookup is not None:
            return self.lookup(entity, project, name)
        return self.runs.get((entity, project, name))

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length", "0"))
        body = json.loads(request.rfile.read(length) or b"{}")
        expected = "Basic " + base64.b64encode(f"api:{self.key}".encode()).decode()
        authorized = request.headers.get("Authorization") == expected
        variables = dict(body.get("variables") or {})
        with self._lock:
            self.seen.append(
                Seen(
                    path=request.path,
                    authorized=authorized,
                    query=str(body.get("query", "")),
                    variables=variables,
                )
            )
            status = self.statuses.pop(0) if self.statuses else 200
        if request.path != "/graphql":
            self._reply(request, 404, {"errors": [{"message": "not found"}]})
        elif not authorized:
            self._reply(request, 401, {"errors": [{"message": "user is not logged in"}]})
        elif status != 200:
            self._reply(request, status, {"errors": [{"message": "try again"}]})
        else:
            run = self._find(variables["entity"], variables["project"], variables["name"])
            samples = int(variables.get("samples") or 500)
            answer: dict[str, Any] = {
                "project": None
                if run is None and variables["project"] == "missing"
                else {
                    "run": None
                    if run is None
                    else {
                        "name": variables["name"],
                        "state": "finished",
                        "summaryMetrics": json.dumps(run.summary),
                        "history": [json.dumps(row) for row in run.history[-samples:]],
                    }
                }
            }
            with self._lock:
                self.answers.append(answer)
            self._reply(request, 200, {"data": answer})

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, document: dict[str, Any]) -> None:
        data = json.dumps(document).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)


@contextmanager
def serving() -> Iterator[FakeWandb]:
    """Run a fake W&B server in a thread for the block's duration."""
    fake = FakeWandb()
    thread = threading.Thread(
        target=fake.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
        thread.join(5)


def closed_port_url() -> str:
    """A loopback URL nothing listens on (the port was bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def losses(values: list[float], *, start: int = 0) -> tuple[dict[str, Any], ...]:
    """History rows logging ``train/loss`` (and the bookkeeping keys W&B adds) per step."""
    return tuple(
        {"_step": start + i, "_runtime": 0.5 * i, "_timestamp": 1.7e9 + i, "train/loss": v}
        for i, v in enumerate(values)
    )
