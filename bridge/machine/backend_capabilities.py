"""
What only some backends can do, each a Protocol of its own found with ``isinstance``, never
``getattr``: quote and count money (:class:`PaidBackend` and its typed results), sweep
leftover instances, release idle ones, report rentals, and give attempts scratch space.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, runtime_checkable

from bridge.events import types as ev
from bridge.events.values import JobHandle
from bridge.machine.backend_port import AttemptPlace

__all__ = [
    "CostQuote",
    "IdleReleaser",
    "InstanceSpend",
    "InstanceSweeper",
    "OrphanInstance",
    "PaidBackend",
    "RentalReporter",
    "ScratchSpace",
]


class CostQuote(Protocol):
    """
    A paid backend's quote for some hours of work.
    """

    @property
    def dollars(self) -> float:
        """The quoted total."""
        ...

    @property
    def dph(self) -> float:
        """Dollars per hour of one machine."""
        ...

    @property
    def offer(self) -> str:
        """What would be rented, for people: ``"offer 123 (2x RTX_4090)"``."""
        ...


class InstanceSpend(Protocol):
    """
    What one rented machine has cost so far.
    """

    @property
    def instance_id(self) -> int:
        """The provider's id of the machine."""
        ...

    @property
    def dollars(self) -> float:
        """Dollars accumulated so far."""
        ...


class OrphanInstance(Protocol):
    """
    A machine labelled for this project that no live attempt in the log uses.
    """

    @property
    def instance_id(self) -> int:
        """The provider's id of the machine."""
        ...

    @property
    def label(self) -> str:
        """Its label (which names the project and the attempt it was rented for)."""
        ...

    @property
    def status(self) -> str:
        """The provider's status word (``running``, ``exited``, ...)."""
        ...

    @property
    def dph(self) -> float:
        """Dollars per hour."""
        ...

    @property
    def hours(self) -> float:
        """Hours since it started."""
        ...

    @property
    def dollars(self) -> float:
        """Dollars accumulated so far."""
        ...


@runtime_checkable
class PaidBackend(Protocol):
    """
    A backend that rents machines by the hour (Vast.ai): it can quote, count and find leftovers.

    The pipeline uses it when the backend offers it: the quote goes into the approval summary,
    the dollars spent into the log (``CostRecorded``), and instances left behind by earlier
    sessions are reported (``OrphansReported``).
    """

    def estimate(self, hours: float) -> CostQuote:
        """
        Quote ``hours`` of work.
        """
        ...

    def spent(self) -> float:
        """
        Dollars accumulated so far by every instance this backend used.
        """
        ...

    def costs(self) -> Sequence[InstanceSpend]:
        """
        Per instance used: what it has cost so far.
        """
        ...

    def orphans(
        self, *, handles: Iterable[JobHandle] = (), attempt_ids: Iterable[str] = ()
    ) -> Sequence[OrphanInstance]:
        """
        Instances labelled for this project that none of ``handles``/``attempt_ids`` uses.
        """
        ...


@runtime_checkable
class InstanceSweeper(Protocol):
    """
    A backend whose leftover rented machines ``bridge gc`` can list and destroy.
    """

    def orphans(
        self, *, handles: Iterable[JobHandle] = (), attempt_ids: Iterable[str] = ()
    ) -> Sequence[OrphanInstance]:
        """
        Instances labelled for this project that none of ``handles``/``attempt_ids`` uses.
        """
        ...

    def destroy_instance(self, instance_id: int) -> None:
        """
        Destroy one of this project's instances; refuse (``BackendError``) one it did not rent.
        """
        ...


@runtime_checkable
class IdleReleaser(Protocol):
    """
    A backend that can give back machines no queued run needs before the whole plan ends.
    """

    def release_idle(self) -> None:
        """
        Free what no live attempt uses (each freed only once everything on it was copied back).
        Idempotent; never raises for a machine it keeps.
        """
        ...


@runtime_checkable
class RentalReporter(Protocol):
    """
    A backend that rents machines (Vast.ai) and reports each one, with the command that stops
    its billing, before it launches anything on it.
    """

    def on_rented(self, hook: Callable[[ev.InstanceRented], None]) -> None:
        """
        Call ``hook`` with every machine rented or found again from now on, before the attempt
        it serves is launched there (an error from ``hook`` stops that launch).
        """
        ...


@runtime_checkable
class ScratchSpace(Protocol):
    """
    A backend that gives each attempt a fresh scratch directory outside the project's checkout
    (``{scratch_dir}`` in a command); a backend without it refuses such commands at start.
    """

    def scratch_dir(self, place: AttemptPlace) -> str:
        """
        Create the attempt's empty scratch directory (a remote backend may leave that to the
        job, before its command starts) and return its absolute path as the run sees it:
        ``place.scratch_path`` under the backend's root, or, for a backend whose scratch lives
        outside the project (a machine's ``/tmp``), ``<run_id>/<attempt_id>`` under its own
        scratch folder. Idempotent on the place (a relaunch after a crash gets the same one).
        """
        ...

    def remove_scratch(self, place: AttemptPlace) -> None:
        """
        Delete the attempt's scratch directory and all in it; nothing when it is already gone.
        """
        ...
