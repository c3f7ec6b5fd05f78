"""
Tests of the one retry policy (stamina underneath; waits are zero under the test suite).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bridge.adapters import retry


def _call(outcomes: list[Exception | str], **policy: Any) -> tuple[str, int]:
    tries = 0
    for attempt in retry.attempts(**{"tries": 5, "first_wait": 0.1, "max_wait": 10.0, **policy}):
        with attempt:
            tries += 1
            outcome = outcomes[tries - 1]
            if isinstance(outcome, Exception):
                raise outcome
            return outcome, tries
    raise AssertionError("unreachable")


class TestAttempts:
    def test_transient_failures_are_tried_again(self, retries: list[Any]) -> None:
        """Two Transient failures, then an answer: three tries, two retries scheduled."""
        assert _call([retry.Transient("503"), retry.Transient("503"), "ok"]) == ("ok", 3)
        assert len(retries) == 2

    def test_other_errors_end_at_once(self, retries: list[Any]) -> None:
        """A non-Transient error is raised from the first try, with no retry."""
        with pytest.raises(KeyError):
            _call([KeyError("x"), "ok"])
        assert retries == []

    def test_the_last_transient_propagates_when_tries_run_out(self, retries: list[Any]) -> None:
        """tries bounds the attempts; the caller gets the last Transient to report."""
        with pytest.raises(retry.Transient, match="third"):
            _call(
                [retry.Transient("first"), retry.Transient("second"), retry.Transient("third")],
                tries=3,
            )
        assert len(retries) == 2

    def test_retry_after_is_the_wait_asked_for_capped(self, retries: list[Any]) -> None:
        """A Transient with after=2 asks for a 2 s wait; one past max_wait is capped to it."""
        _call(
            [retry.Transient("429", after=2.0), retry.Transient("429", after=99.0), "ok"],
            max_wait=10.0,
        )
        assert [r.caused_by.after for r in retries] == [2.0, 99.0]
        assert [retry._clamped(retry._backoff(r.caused_by), 10.0) for r in retries] == [2.0, 10.0]


class TestRetryAfterHeader:
    @pytest.mark.parametrize(
        ("value", "seconds"),
        [
            ("2", 2.0),
            (" 0.5 ", 0.5),
            ("-3", 0.0),
            ("Wed, 02 Dec 2026 10:00:30 GMT", 30.0),
            ("Wed, 02 Dec 2026 09:00:00 GMT", 0.0),
            ("soon", None),
            ("", None),
            (None, None),
        ],
    )
    def test_delta_seconds_and_http_dates(self, value: str | None, seconds: float | None) -> None:
        """Delta-seconds and HTTP dates both read; the past is 0; junk and absence are None."""
        now = datetime(2026, 12, 2, 10, 0, 0, tzinfo=UTC)
        assert retry.retry_after_seconds(value, now=now) == seconds
