"""
Tests for the OpenAI-compatible HTTP reviewer, against a real loopback server.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from bridge.adapters.review.openai import OpenAIReviewer
from bridge.errors import ReviewError
from bridge.machine.ports import ReviewRequest, Severity

KEY = "sk-test-SECRET-0123456789"


def _request(tmp_path: Path, purpose: str = "code_review", failure: str = "") -> ReviewRequest:
    return ReviewRequest(
        purpose=purpose,
        project=tmp_path,
        plan_excerpt="Block B1: train ResNet-18 on CIFAR-10, lr 0.1",
        method="Sharpness-aware minimisation with rho=0.05",
        files={"train.py": "import argparse\n"},
        failure=failure,
    )


def _reviewer(server, **kwargs) -> OpenAIReviewer:
    options = {
        "base_url": server.base_url,
        "model": "gpt-test",
        "api_key_env": "BRIDGE_TEST_KEY",
        "timeout_seconds": 5.0,
        "max_retries": 4,
        "environ": {"BRIDGE_TEST_KEY": KEY},
    }
    options.update(kwargs)
    return OpenAIReviewer(**options)


def asked(retries) -> list[float | None]:
    """The wait each scheduled retry asked for: Retry-After seconds, or None for backoff."""
    return [r.caused_by.after for r in retries]


class TestOpenAIReviewer:
    def test_approve_on_first_review(self, openai_server, tmp_path, retries):
        """An APPROVE verdict gives a review with no findings after one request."""
        review = _reviewer(openai_server).review(_request(tmp_path))
        assert review.findings == ()
        assert review.reviewer == "openai"
        assert review.model == "gpt-test"
        assert not review.local_only
        assert len(openai_server.requests) == 1
        assert asked(retries) == []

    def test_request_carries_model_effort_prompt_and_key(self, openai_server, tmp_path):
        """The POST carries model, reasoning_effort, both messages and the bearer key."""
        _reviewer(openai_server).review(_request(tmp_path))
        sent = openai_server.requests[0]
        assert sent["path"] == "/v1/chat/completions"
        assert sent["headers"]["Authorization"] == f"Bearer {KEY}"
        body = sent["body"]
        assert body["model"] == "gpt-test"
        assert body["reasoning_effort"] == "xhigh"
        system, user = body["messages"]
        assert system["role"] == "system" and user["role"] == "user"
        assert "ground truth" in system["content"]
        assert "leakage" in system["content"]
        assert "Sharpness-aware" in user["content"]
        assert "## train.py" in user["content"]

    def test_empty_reasoning_effort_is_left_out(self, openai_server, tmp_path):
        """reasoning_effort="" omits the field for servers that reject it."""
        _reviewer(openai_server, reasoning_effort="").review(_request(tmp_path))
        assert "reasoning_effort" not in openai_server.requests[0]["body"]

    def test_rescue_prompt_asks_for_grounded_fixes(self, openai_server, tmp_path):
        """A rescue request sends the failure and asks for fixes grounded in the logs."""
        _reviewer(openai_server).review(
            _request(tmp_path, "rescue", failure="Traceback: KeyError: 'label'")
        )
        system, user = openai_server.requests[0]["body"]["messages"]
        assert "grounded in the logs" in system["content"]
        assert "KeyError: 'label'" in user["content"]

    def test_blocking_findings_are_parsed(self, openai_server, tmp_path):
        """BLOCKING and NON-BLOCKING lines become findings with file and line."""
        openai_server.script = [
            (
                "reply",
                "VERDICT: CHANGES_REQUIRED\n"
                "BLOCKING: train.py:42 - the test split is used for early stopping\n"
                "NON-BLOCKING: eval.py - log the seed",
            )
        ]
        review = _reviewer(openai_server).review(_request(tmp_path))
        assert [f.severity for f in review.findings] == [Severity.BLOCKING, Severity.NON_BLOCKING]
        first = review.blocking[0]
        assert (first.file, first.line) == ("train.py", 42)
        assert first.message == "the test split is used for early stopping"

    def test_429_honours_retry_after_seconds(self, openai_server, tmp_path, retries):
        """A 429 with Retry-After: 7 is retried after 7 s (the policy's waits are zero in tests)."""
        openai_server.script = [
            ("status", 429, {"Retry-After": "7"}, {"error": "slow down"}),
            ("reply", "VERDICT: APPROVE"),
        ]
        review = _reviewer(openai_server).review(_request(tmp_path))
        assert review.findings == ()
        assert asked(retries) == [7.0]
        assert len(openai_server.requests) == 2

    def test_429_honours_retry_after_http_date(self, openai_server, tmp_path, retries):
        """A Retry-After HTTP date about 30 s ahead gives a wait of about 30 s."""
        when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
        openai_server.script = [
            ("status", 429, {"Retry-After": when}, {}),
            ("reply", "VERDICT: APPROVE"),
        ]
        _reviewer(openai_server).review(_request(tmp_path))
        assert len(asked(retries)) == 1 and 25.0 <= asked(retries)[0] <= 30.0

    def test_retry_after_is_capped(self, openai_server, tmp_path, retries):
        """A huge Retry-After is retried (the policy caps the wait at max_retry_wait_seconds;
        tests/adapters/test_retry.py checks the cap)."""
        openai_server.script = [
            ("status", 503, {"Retry-After": "86400"}, {}),
            ("reply", "VERDICT: APPROVE"),
        ]
        _reviewer(openai_server, max_retry_wait_seconds=12.0).review(_request(tmp_path))
        assert asked(retries) == [86400.0]

    def test_5xx_until_retries_run_out(self, openai_server, tmp_path, retries):
        """503s are retried with exponential backoff, then a ReviewError names the attempts."""
        openai_server.script = [("status", 503, {}, {"error": "overloaded"})]
        with pytest.raises(ReviewError, match=r"after 3 attempts; last: HTTP 503"):
            _reviewer(openai_server, max_retries=2).review(_request(tmp_path))
        assert asked(retries) == [None, None]
        assert len(openai_server.requests) == 3

    def test_client_error_is_not_retried(self, openai_server, tmp_path, retries):
        """A 401 fails at once with the status, without retries."""
        openai_server.script = [("status", 401, {}, {"error": "bad key"})]
        with pytest.raises(ReviewError, match="HTTP 401"):
            _reviewer(openai_server).review(_request(tmp_path))
        assert asked(retries) == [] and len(openai_server.requests) == 1

    @pytest.mark.parametrize(
        ("body", "reason"),
        [
            ({"choices": []}, "no choices"),
            ({"choices": [{"message": {"role": "assistant"}}]}, "no content"),
            (b"<html>gateway</html>", "not JSON"),
            ({"choices": [{"message": {"content": "Looks fine to me."}}]}, "no VERDICT"),
        ],
    )
    def test_malformed_reply(self, openai_server, tmp_path, body, reason):
        """A reply without choices, content, JSON or the findings format is a clear ReviewError."""
        openai_server.script = [("raw", body)]
        with pytest.raises(ReviewError, match=f"malformed review.*{reason}"):
            _reviewer(openai_server).review(_request(tmp_path))

    def test_stalled_server_times_out_bounded(self, openai_server, tmp_path, retries):
        """A server that never answers is given up on after the bounded timeouts and retries."""
        openai_server.script = [("stall",)]
        started = time.monotonic()
        with pytest.raises(ReviewError, match="ReadTimeout"):
            _reviewer(openai_server, timeout_seconds=0.3, max_retries=1).review(_request(tmp_path))
        assert time.monotonic() - started < 5.0
        assert len(openai_server.requests) == 2 and asked(retries) == [None]

    def test_unreachable_server_is_a_review_error(self, tmp_path):
        """A refused connection is retried, then reported as a ReviewError."""
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        reviewer = OpenAIReviewer(
            base_url=f"http://127.0.0.1:{port}/v1",
            model="m",
            max_retries=1,
        )
        with pytest.raises(ReviewError, match="ConnectError"):
            reviewer.review(_request(tmp_path))

    def test_key_never_enters_the_review(self, openai_server, tmp_path):
        """Even a server that echoes the Authorization header cannot put the key into the review."""
        openai_server.script = [("echo_auth",)]
        review = _reviewer(openai_server).review(_request(tmp_path))
        assert KEY not in review.text
        assert all(KEY not in f.message for f in review.findings)
        assert "Bearer ***" in review.findings[0].message

    def test_key_never_enters_error_messages(self, openai_server, tmp_path):
        """An error body that quotes the key is scrubbed from the ReviewError."""
        openai_server.script = [("status", 400, {}, {"error": f"bad key {KEY}"})]
        with pytest.raises(ReviewError) as caught:
            _reviewer(openai_server).review(_request(tmp_path))
        assert KEY not in str(caught.value)

    def test_unset_key_variable_names_it(self, openai_server, tmp_path):
        """A key variable unset at call time fails naming the variable, before any request."""
        reviewer = _reviewer(openai_server, environ={})
        with pytest.raises(ReviewError, match="BRIDGE_TEST_KEY"):
            reviewer.review(_request(tmp_path))
        assert openai_server.requests == []

    def test_no_key_variable_sends_no_authorization(self, openai_server, tmp_path):
        """Without api_key_env (a local endpoint) no Authorization header is sent."""
        _reviewer(openai_server, api_key_env=None).review(_request(tmp_path))
        assert "Authorization" not in openai_server.requests[0]["headers"]
