"""
Value types that cross the ports *and* are stored inside events.

They live here, below ``machine``, so that ``events`` never imports upwards;
:mod:`bridge.machine.ports` re-exports them beside the Protocols that use them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from bridge.events.secrets import redact
from bridge.value_methods import value_methods

__all__ = ["Artifact", "Finding", "JobHandle", "Severity", "Slot"]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Slot:
    """
    One place a run can execute: a host and, when the host has GPUs, one GPU index on it.

    ``host`` is ``"local"`` for the local backend; for SSH it is the configured host name.
    ``gpu`` is ``None`` on a CPU-only slot.
    """

    host: str
    gpu: int | None = None

    def label(self) -> str:
        """
        Return ``host:gpu`` (or ``host:cpu``) for people and logs.
        """
        return f"{self.host}:{'cpu' if self.gpu is None else self.gpu}"


def _strings_only(_instance: object, _attribute: object, value: Mapping[str, str]) -> None:
    # The log's decoder refuses anything but strings here, so a number a backend put in its
    # locator would be appended and then never read back: every later command would stop at
    # that record. Refused where the handle is made instead.
    for key, item in value.items():
        if type(key) is not str or type(item) is not str:
            raise TypeError(
                "a job handle's locator holds strings only (it is recorded in the log): "
                f"{key!r} is {item!r} ({type(item).__name__})"
            )


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class JobHandle:
    """
    A backend's reference to a launched attempt; stored in ``RunStarted`` events.

    ``locator`` holds backend-specific strings (pid, host, remote dir, instance id, call id);
    only the backend that made the handle interprets it.

    Raises:
        TypeError: a locator key or value that is not a string.
    """

    backend: str
    attempt_id: str
    locator: Mapping[str, str] = attrs.field(factory=dict, validator=_strings_only)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Artifact:
    """
    One file copied back into the local attempt directory by ``fetch_artifacts``.

    ``path`` is relative to the local destination directory.
    """

    path: str
    size: int
    sha256: str


class Severity(enum.Enum):
    """
    How much a finding matters: BLOCKING findings stop the pipeline until fixed.
    """

    BLOCKING = "blocking"
    NON_BLOCKING = "non_blocking"


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Finding:
    """
    One observation about the code, from a check, a reviewer or a rescue diagnosis.
    """

    severity: Severity
    message: str = attrs.field(converter=redact)
    file: str = ""
    line: int | None = None
    check: str = ""  # a stable id of the check that produced it, "" for free-text reviews
