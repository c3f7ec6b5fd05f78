"""
The library's loggers: structlog-shaped, and silent until the embedding program configures
structlog.

A library must not decide where its logs go. structlog's default configuration prints every
event to stdout, so bridge never hands out plain structlog loggers: :func:`get_logger` returns a
:class:`QuietLogger` that passes each event to structlog only once structlog has been configured
(by the ``bridge`` command, which writes ``.bridge/bridge.log``, or by the program embedding
bridge), and drops it otherwise. structlog itself is not imported here: if nothing has imported
it, nothing can have configured it.

A program may instead :func:`route` bridge's loggers to a :class:`LogSink` of its own: the
``bridge`` command does, so that a run writes ``.bridge/bridge.log`` without importing structlog
(about 40 ms of start-up: it loads asyncio and rich's traceback renderer). A library bridge
loads that logs through structlog itself (stamina, for retries) is preceded by
:func:`structlog_may_log`, which lets the sink configure structlog to write there too.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Protocol

import attrs

from bridge.value_methods import value_methods

__all__ = ["LogSink", "QuietLogger", "get_logger", "route", "structlog_may_log"]


class LogSink(Protocol):
    """Where :func:`route` sends every bridge logger's events instead of structlog."""

    def write(self, level: str, event: str, values: Mapping[str, object]) -> None:
        """One event: its level (``info``…), name and values (bound context first)."""
        ...

    def configure_structlog(self) -> None:
        """Configure structlog to write here too (a library bridge loads logs through it)."""
        ...


_ROUTED: list[LogSink] = []  # at most one: the sink route() installed
_STRUCTLOG_MAY_LOG: list[bool] = []  # set once structlog_may_log() was called


def route(sink: LogSink | None) -> None:
    """
    Send every bridge logger's events to ``sink`` from now on (not to structlog), or, with
    ``None``, back to structlog. A sink routed after :func:`structlog_may_log` was called
    configures structlog at once.
    """
    _ROUTED.clear()
    if sink is not None:
        _ROUTED.append(sink)
        if _STRUCTLOG_MAY_LOG:
            sink.configure_structlog()


def structlog_may_log() -> None:
    """
    Called before loading a library that logs through structlog: the routed sink (now, or when
    one is routed) configures structlog to write to it, so that library's events land where
    bridge's do.
    """
    if not _STRUCTLOG_MAY_LOG:
        _STRUCTLOG_MAY_LOG.append(True)
    if _ROUTED:
        _ROUTED[0].configure_structlog()


@value_methods
@attrs.frozen(eq=False, repr=False)
class QuietLogger:
    """
    A logger that forwards to the routed sink, else to ``structlog.get_logger(name)`` with its
    bound context, only while structlog is configured.
    """

    name: str
    context: tuple[tuple[str, object], ...] = ()

    def bind(self, **values: object) -> QuietLogger:
        """
        The same logger with ``values`` added to every event's context.
        """
        return QuietLogger(self.name, (*self.context, *values.items()))

    def _emit(self, level: str, event: str, values: dict[str, object]) -> None:
        if _ROUTED:
            _ROUTED[0].write(level, event, {**dict(self.context), **values})
            return
        structlog = sys.modules.get("structlog")
        if structlog is None or not structlog.is_configured():
            return
        logger = structlog.get_logger(self.name).bind(**dict(self.context))
        getattr(logger, level)(event, **values)

    def debug(self, event: str, **values: object) -> None:
        """Log ``event`` at debug level."""
        self._emit("debug", event, values)

    def info(self, event: str, **values: object) -> None:
        """Log ``event`` at info level."""
        self._emit("info", event, values)

    def warning(self, event: str, **values: object) -> None:
        """Log ``event`` at warning level."""
        self._emit("warning", event, values)

    def error(self, event: str, **values: object) -> None:
        """Log ``event`` at error level."""
        self._emit("error", event, values)


def get_logger(name: str) -> QuietLogger:
    """
    The logger for ``name`` (a module's ``__name__`` or a ``bridge.*`` name).
    """
    return QuietLogger(name)
