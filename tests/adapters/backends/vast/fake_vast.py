"""
A loopback fake of the Vast.ai REST API (the endpoints vastai 1.9.1 calls; notes/backends.md §2.4).

A real ``http.server.ThreadingHTTPServer`` on 127.0.0.1:0 in a thread. It checks the bearer key
(401 otherwise), records every request, hands out instances whose SSH endpoint is whatever the
test says (the loopback sshd), advances each instance's ``actual_status`` one step per
``show instance`` (not by wall time), and has switches for rate limits (429 + Retry-After),
instances that die while starting and instances that vanish.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs

KEY = "test-key-not-a-secret"


@attrs.define
class Request:
    """One request the fake answered."""

    method: str
    path: str
    query: dict[str, Any]
    body: Any
    auth: str


@attrs.define
class Instance:
    """One instance the fake knows; ``statuses`` are shown in turn, the last one sticks."""

    id: int
    label: str
    statuses: list[str]
    dph: float = 0.25
    num_gpus: int = 1
    ssh_ip: str = "127.0.0.1"
    ssh_port: int = 22
    start_date: float = attrs.field(factory=time.time)
    status_msg: str = ""

    def row(self) -> dict[str, Any]:
        status = self.statuses[0]
        return {
            "id": self.id,
            "label": self.label,
            "actual_status": status,
            "intended_status": "running",
            "status_msg": self.status_msg,
            "start_date": self.start_date,
            "extra_env": [["BRIDGE_FAKE", "1"]],
            "dph_total": self.dph,
            "num_gpus": self.num_gpus,
            "gpu_name": "RTX_FAKE",
            # The proxy is deliberately wrong: bridge must prefer the direct endpoint.
            "ssh_host": "ssh5.vast.invalid",
            "ssh_port": 1,
            "public_ipaddr": self.ssh_ip if status == "running" else "",
            "ports": (
                {"22/tcp": [{"HostIp": "0.0.0.0", "HostPort": str(self.ssh_port)}]}
                if status == "running"
                else {}
            ),
        }


class FakeVast:
    """
    The fake API. Attributes a test may set: ``offers``, ``start_statuses`` (what a new
    instance goes through), ``rate_limit`` (how many next requests get 429), ``retry_after``,
    ``ssh_port`` (the sshd new instances point at).
    """

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.instances: dict[int, Instance] = {}
        self.offers: list[dict[str, Any]] = [
            {"id": 901, "dph_total": 0.9, "num_gpus": 2, "gpu_name": "A100", "hosting_type": 1},
            {"id": 902, "dph_total": 0.25, "num_gpus": 1, "gpu_name": "RTX_4090"},
        ]
        self.start_statuses = ["loading", "loading", "running"]
        self.rate_limit = 0
        self.retry_after = "2"
        self.ssh_port = 22
        self.next_id = 7000
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeVast:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def add_instance(self, label: str, statuses: list[str] | None = None, **kw: Any) -> Instance:
        """Put an instance into the account (as if rented earlier) and return it."""
        with self.lock:
            self.next_id += 1
            inst = Instance(
                id=self.next_id,
                label=label,
                statuses=list(statuses or ["running"]),
                ssh_port=self.ssh_port,
                **kw,
            )
            self.instances[inst.id] = inst
            return inst

    def calls(self, method: str, pattern: str) -> list[Request]:
        """The recorded requests with this method whose path matches ``pattern``."""
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]

    # ---------------------------------------------------------------- the HTTP side

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                auth = self.headers.get("Authorization", "")
                with fake.lock:
                    fake.requests.append(Request(self.command, parts.path, query, body, auth))
                    if auth != f"Bearer {KEY}":
                        return self._reply(401, {"success": False, "msg": "Invalid user key"})
                    if fake.rate_limit > 0:
                        fake.rate_limit -= 1
                        return self._reply(
                            429, {"msg": "slow down"}, {"Retry-After": fake.retry_after}
                        )
                    code, answer = fake._route(self.command, parts.path, query, body)
                return self._reply(code, answer)

            def _reply(self, code: int, data: Any, headers: dict[str, str] | None = None) -> None:
                payload = json.dumps(data).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _serve  # noqa: N815

        return Handler

    def _route(self, method: str, path: str, query: dict[str, Any], body: Any) -> tuple[int, Any]:
        if method == "POST" and path == "/api/v0/bundles/":
            offers = [dict(o) for o in self.offers]
            # Sort as the real server does, by the body's order ([[field, "asc"|"desc"]]).
            for field, direction in reversed(body.get("order") or []):
                offers.sort(key=lambda o: o.get(field, 0), reverse=direction == "desc")
            return 200, {"offers": offers}
        m = re.fullmatch(r"/api/v0/asks/(\d+)/", path)
        if method == "PUT" and m:
            if not any(o["id"] == int(m.group(1)) for o in self.offers):
                return 404, {"success": False, "msg": "no such offer"}
            self.next_id += 1
            offer = next(o for o in self.offers if o["id"] == int(m.group(1)))
            inst = Instance(
                id=self.next_id,
                label=body.get("label") or "",
                statuses=list(self.start_statuses),
                dph=offer["dph_total"],
                num_gpus=offer["num_gpus"],
                ssh_port=self.ssh_port,
            )
            self.instances[inst.id] = inst
            return 200, {"success": True, "new_contract": inst.id}
        if method == "GET" and path == "/api/v1/instances/":
            rows = [i.row() for i in sorted(self.instances.values(), key=lambda i: i.id)]
            return 200, {"instances": rows, "next_token": None, "total_instances": len(rows)}
        m = re.fullmatch(r"/api/v0/instances/(\d+)/", path)
        if m and method == "GET":
            inst = self.instances.get(int(m.group(1)))
            if inst is None:
                return 200, {"instances": None}
            row = inst.row()
            if len(inst.statuses) > 1:
                inst.statuses.pop(0)
            return 200, {"instances": row}
        if m and method == "DELETE":
            if self.instances.pop(int(m.group(1)), None) is None:
                return 404, {"success": False, "msg": "no such instance"}
            return 200, {"success": True}
        return 404, {"success": False, "msg": f"fake has no {method} {path}"}
