"""
The one retry policy for calls that cross the network.

Built on stamina (hynek/stamina), an opinionated layer over tenacity, rather than tenacity
itself: its defaults are the ones we want everywhere (exponential backoff with jitter, a bound
on attempts *and* on total time), it keeps the wrapped code's types, and it has a testing mode
(``stamina.set_testing``) that turns every wait off for the whole test suite, so no adapter
needs a ``sleep=`` seam of its own.

A call site marks what is worth another try by raising :class:`Transient` inside an attempt;
everything else ends the retries at once. ``Transient(after=seconds)`` waits exactly that long
before the next try (a server's ``Retry-After``); without ``after`` the exponential backoff
decides. When the tries or the time run out, the last :class:`Transient` propagates and the
call site turns it into its own error with what it tried::

    try:
        for attempt in retry.attempts(tries=5, first_wait=1.0, max_wait=60.0):
            with attempt:
                return call_once()          # raises Transient on 429/5xx/transport errors
    except retry.Transient as exc:
        raise BackendUnavailable(f"gave up after 5 tries: {exc}") from None
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from bridge import logs

logs.structlog_may_log()  # stamina logs each retry through structlog when it is installed
import stamina  # noqa: E402

__all__ = ["Transient", "attempts", "retry_after_seconds"]


class Transient(Exception):
    """
    A failure worth another try.

    Args:
        reason: what failed, for the message the call site builds when it gives up.
        after: seconds to wait before the next try (a ``Retry-After``); ``None`` for the
            policy's exponential backoff.
    """

    def __init__(self, reason: str, *, after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.after = after


def _backoff(exc: BaseException) -> bool | float:
    """
    stamina's backoff hook: retry only :class:`Transient`, after its ``after`` when it has one.
    """
    if not isinstance(exc, Transient):
        return False
    return True if exc.after is None else max(exc.after, 0.0)


def attempts(
    *,
    tries: int,
    first_wait: float,
    max_wait: float,
    timeout: float | None = None,
) -> Iterator[stamina.Attempt]:
    """
    The attempts of one retried call: use each as a context manager around one try.

    Args:
        tries: the most attempts, the first included (``1`` means no retry).
        first_wait: the first backoff in seconds; it doubles for each further one (with up to a
            second of jitter).
        max_wait: cap on any one wait, a ``Retry-After`` included.
        timeout: cap on the whole call, waits included; ``None`` for no cap.

    Returns:
        An iterator of attempts; it stops after a try that raised nothing, re-raises a
        non-:class:`Transient` error at once, and re-raises the last :class:`Transient` when the
        tries or the time run out.
    """
    return iter(
        stamina.retry_context(
            on=lambda exc: _clamped(_backoff(exc), max_wait),
            attempts=max(tries, 1),
            timeout=timeout,
            wait_initial=first_wait,
            wait_max=max_wait,
            wait_jitter=min(1.0, max_wait),
        )
    )


def _clamped(decision: bool | float, cap: float) -> bool | float:
    if isinstance(decision, bool):
        return decision
    return min(decision, cap)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """
    Read a ``Retry-After`` header: delta-seconds or an HTTP date (RFC 9110 §10.2.3).

    Args:
        value: the header's value, or ``None`` when the response had none.
        now: the current time, for the HTTP-date form (default: the system clock).

    Returns:
        Seconds to wait (never negative), or ``None`` when the header is absent or unreadable.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)
