"""
A loopback OpenAI-compatible chat-completions server with scripted behaviours, and a fake agent.
"""

from __future__ import annotations

import json
import stat
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

STALL_BOUND = 10.0  # a stalled handler gives up after this long even if nobody releases it


class ScriptedOpenAI:
    """
    Serves ``POST /v1/chat/completions`` from a script of behaviours, one per request.

    Behaviours: ``("reply", content)``, ``("answer", function)`` (the reply is the function of
    the last message's text, so the order of requests does not matter), ``("status", code,
    headers, body)``, ``("raw", body)``, ``("stall",)``, ``("echo_auth",)``. The last behaviour
    repeats once the script runs out.
    """

    def __init__(self) -> None:
        self.script: list[tuple[Any, ...]] = [("reply", "VERDICT: APPROVE")]
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """Keep the test output quiet."""

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                with owner._lock:
                    owner.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                    index = min(len(owner.requests), len(owner.script)) - 1
                    behaviour = owner.script[index]
                kind = behaviour[0]
                if kind == "stall":
                    owner.release.wait(STALL_BOUND)
                    return
                if kind == "reply":
                    self._send(200, {}, _completion(behaviour[1]))
                elif kind == "answer":
                    text = str(body["messages"][-1]["content"])
                    self._send(200, {}, _completion(behaviour[1](text)))
                elif kind == "echo_auth":
                    auth = self.headers.get("Authorization", "")
                    self._send(200, {}, _completion(f"VERDICT: APPROVE\nNON-BLOCKING: saw {auth}"))
                elif kind == "raw":
                    self._send(200, {}, behaviour[1])
                else:
                    _, code, headers, payload = behaviour
                    self._send(code, headers, payload)

            def _send(self, code: int, headers: dict[str, str], payload: Any) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def close(self) -> None:
        """Release stalled handlers and stop the server."""
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
    }


@pytest.fixture
def openai_server() -> Iterator[ScriptedOpenAI]:
    """A running scripted OpenAI-compatible server on 127.0.0.1."""
    server = ScriptedOpenAI()
    server.thread.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def write_agent(tmp_path: Path):
    """Write a real executable Python script (shebang, chmod +x) and return its path."""

    def write(name: str, body: str) -> Path:
        path = tmp_path / "agents" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
        return path

    return write
