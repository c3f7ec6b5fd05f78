"""
Tests for the webhook notifier against a real loopback HTTP server.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from structlog.testing import capture_logs

from bridge.adapters.notify import WebhookNotifier, build_notifier, webhook_payload
from bridge.errors import ConfigError


class Hook:
    """A loopback webhook that records JSON bodies and answers with a scripted status/body."""

    def __init__(self) -> None:
        self.bodies: list[Any] = []
        self.status = 200
        self.reply: Any = {"ok": True}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """Keep the test output quiet."""

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                owner.bodies.append(json.loads(self.rfile.read(length)))
                data = json.dumps(owner.reply).encode()
                self.send_response(owner.status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook/SECRET-TOKEN"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )


@pytest.fixture
def hook() -> Iterator[Hook]:
    """A running loopback webhook."""
    server = Hook()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
        server.thread.join(5)


def _notifier(url: str, **kwargs: Any) -> WebhookNotifier:
    return WebhookNotifier(url_env="HOOK_URL", environ={"HOOK_URL": url}, **kwargs)


class TestWebhookNotifier:
    def test_slack_message(self, hook):
        """A Slack-format notification posts {"text": ...} with the title in bold."""
        _notifier(hook.url).notify("M1 done", "3/3 runs succeeded")
        assert hook.bodies == [{"text": "*M1 done*\n3/3 runs succeeded"}]

    def test_feishu_message(self, hook):
        """A Feishu-format notification posts msg_type text with content.text."""
        hook.reply = {"code": 0, "msg": "success"}
        _notifier(hook.url, format="feishu").notify("Run failed", "R003 OOM")
        assert hook.bodies == [{"msg_type": "text", "content": {"text": "Run failed\nR003 OOM"}}]

    def test_http_500_never_raises_and_logs_without_url(self, hook):
        """A 500 is logged as notification_failed, never raised, and the URL is not logged."""
        hook.status = 500
        with capture_logs() as logs:
            _notifier(hook.url).notify("t", "x")
        assert [e["event"] for e in logs] == ["notification_failed"]
        assert logs[0]["reason"] == "HTTP 500"
        assert "SECRET-TOKEN" not in repr(logs)

    def test_feishu_refusal_is_logged(self, hook):
        """Feishu's HTTP 200 with a non-zero code counts as a failure."""
        hook.reply = {"code": 19001, "msg": "param invalid"}
        with capture_logs() as logs:
            _notifier(hook.url, format="feishu").notify("t", "x")
        assert logs[0]["reason"] == "feishu code 19001"

    def test_unreachable_never_raises(self):
        """A refused connection is logged, never raised."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = f"http://127.0.0.1:{port}/hook/SECRET-TOKEN"
        with capture_logs() as logs:
            _notifier(url, timeout_seconds=2).notify("t", "x")
        assert logs[0]["event"] == "notification_failed"
        assert logs[0]["reason"] == "ConnectError"
        assert "SECRET-TOKEN" not in repr(logs)

    def test_events_filter(self, hook):
        """An event kind not configured is not sent; no kind always sends."""
        notifier = _notifier(hook.url, events=("finished",))
        notifier.notify("m", "x", event="milestone")
        notifier.notify("f", "x", event="finished")
        notifier.notify("any", "x")
        assert [b["text"].split("\n")[0] for b in hook.bodies] == ["*f*", "*any*"]

    def test_unset_variable_never_raises(self):
        """A URL variable unset at call time is logged, not raised."""
        with capture_logs() as logs:
            WebhookNotifier(url_env="HOOK_URL", environ={}).notify("t", "x")
        assert "HOOK_URL" in logs[0]["reason"]


class TestWebhookPayload:
    def test_unknown_format(self):
        """An unknown format is a ValueError (configuration refuses it earlier)."""
        with pytest.raises(ValueError, match="teams"):
            webhook_payload("teams", "t", "x")


class TestBuildNotifier:
    def test_off_without_table(self):
        """No [notify] table means no notifier."""
        assert build_notifier(None) is None

    def test_builds_from_table(self):
        """A complete table builds a WebhookNotifier with its format and events."""
        notifier = build_notifier(
            {"webhook_url_env": "HOOK", "format": "feishu", "events": ["failure"]},
            environ={"HOOK": "http://127.0.0.1:9/x"},
        )
        assert isinstance(notifier, WebhookNotifier)
        assert (notifier.format, notifier.events) == ("feishu", frozenset({"failure"}))

    @pytest.mark.parametrize(
        ("table", "setting"),
        [
            ({}, "notify.webhook_url_env"),
            ({"webhook_url_env": "HOOK", "format": "teams"}, "notify.format"),
            ({"webhook_url_env": "HOOK", "events": ["lunch"]}, "notify.events"),
            ({"webhook_url": "https://hooks/x"}, "notify.webhook_url"),
            ({"webhook_url_env": "UNSET_HOOK"}, "notify.webhook_url_env"),
            ({"webhook_url_env": "https://hooks/x"}, "notify.webhook_url_env"),
            ({"webhook_url_env": ""}, "notify.webhook_url_env"),
            ({"webhook_url_env": "HOOK", "events": []}, "notify.events"),
        ],
    )
    def test_bad_tables(self, table, setting):
        """Each bad [notify] table is a ConfigError naming its setting."""
        with pytest.raises(ConfigError) as caught:
            build_notifier(table, environ={"HOOK": "http://h"})
        assert caught.value.setting == setting
        assert "https://hooks/x" not in str(caught.value)

    @pytest.mark.parametrize(
        ("table", "said"),
        [
            # The URL itself where its variable's NAME goes (session 38): said for what it is.
            (
                {"webhook_url_env": "https://hooks/x"},
                "notify.webhook_url_env holds a URL, not the NAME of an environment variable: "
                "webhook URLs carry tokens, so put the URL in an environment variable (export "
                "BRIDGE_WEBHOOK_URL=...) and write that variable's name here (webhook_url_env = "
                '"BRIDGE_WEBHOOK_URL")',
            ),
            # Empty: no variable named (it read "not the secret itself").
            (
                {"webhook_url_env": " "},
                "notify.webhook_url_env must be the NAME of an environment variable (letters, "
                "digits, _), not empty",
            ),
            # No event: a table that would never send anything.
            (
                {"webhook_url_env": "HOOK", "events": []},
                "notify.events must name at least one of: milestone, failure, blocked, finished "
                "(leave it out for all of them, or remove [notify] to send none)",
            ),
        ],
    )
    def test_a_table_that_could_send_nothing_says_why(self, table, said):
        """Each says what to write instead, never quoting the value."""
        with pytest.raises(ConfigError) as caught:
            build_notifier(table, environ={"HOOK": "http://h"})
        assert caught.value.message == said
