"""
The library's loggers: structlog-shaped, and silent until the embedding program configures
structlog.

A library must not decide where its logs go. structlog's default configuration prints every
event to stdout, so bridge never hands out plain structlog loggers: :func:`get_logger` returns a
:class:`QuietLogger` that passes each event to structlog only once structlog has been configured
(by the ``bridge`` command, which writes ``.bridge/bridge.log``, or by the program embedding
bridge), and drops it otherwise. structlog itself is not imported here: if nothing has imported
it, nothing can have configured it.
"""

from __future__ import annotations

import sys

import attrs

__all__ = ["QuietLogger", "get_logger"]


@attrs.frozen
class QuietLogger:
    """
    A logger that forwards to ``structlog.get_logger(name)`` with its bound context, only while
    structlog is configured.
    """

    name: str
    context: tuple[tuple[str, object], ...] = ()

    def bind(self, **values: object) -> QuietLogger:
        """
        The same logger with ``values`` added to every event's context.
        """
        return QuietLogger(self.name, (*self.context, *values.items()))

    def _emit(self, level: str, event: str, values: dict[str, object]) -> None:
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
