"""
The event store contract: every EventStore implementation must pass these tests.

Subclass :class:`EventStoreContract` (and :class:`AppendsStreamsContract` for a store that
appends to several streams at once) and provide the ``store`` fixture. Shipped in the package
for people writing their own store (``docs/testing.md``); it needs pytest, and nothing in bridge
imports it (``bridge.testing`` itself does not).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import pytest

from bridge.errors import ConcurrencyError, SecretError
from bridge.events.store import GENESIS_HASH, AppendsStreams, EventStore, StreamAppend, chain_hash
from bridge.events.types import (
    ArtifactsFetched,
    Event,
    RunFailed,
    RunPlanned,
    RunSubmitted,
    StageEntered,
)
from bridge.events.values import Artifact


def _stage(n: int) -> StageEntered:
    return StageEntered(stage="PLANNED", trigger=f"t{n}")


class EventStoreContract:
    """
    Behaviour every event store shares.
    """

    def test_empty_store(self, store: EventStore) -> None:
        """A new store has head 0, no events and an intact (empty) chain."""
        assert store.head() == 0
        assert list(store.read()) == []
        assert store.verify() is None
        assert store.stream_version("bridge") == 0

    def test_append_returns_new_version_and_reads_back(self, store: EventStore) -> None:
        """Appended events come back in order with contiguous seq and versions."""
        assert store.append("bridge", [_stage(1), _stage(2)], 0) == 2
        assert store.append("run:R1", [RunPlanned(run_id="R1")], 0) == 1
        assert store.append("bridge", [_stage(3)], 2) == 3
        rows = list(store.read())
        assert [r.seq for r in rows] == [1, 2, 3, 4]
        assert [(r.stream, r.version) for r in rows] == [
            ("bridge", 1), ("bridge", 2), ("run:R1", 1), ("bridge", 3),
        ]  # fmt: skip
        assert [r.event for r in rows][3] == _stage(3)
        assert store.head() == 4
        assert store.stream_version("bridge") == 3

    def test_deferred_appends_are_the_same_log(self, store: EventStore) -> None:
        """durable=False changes when events reach the disk, never what is read or chained."""
        assert store.append("bridge", [_stage(1)], 0, durable=False) == 1
        assert store.append("bridge", [_stage(2)], 1) == 2
        assert store.append("run:R1", [RunPlanned(run_id="R1")], 0, durable=False) == 1
        assert [(r.stream, r.version, r.seq) for r in store.read()] == [
            ("bridge", 1, 1), ("bridge", 2, 2), ("run:R1", 1, 3),
        ]  # fmt: skip
        with pytest.raises(ConcurrencyError):
            store.append("bridge", [_stage(3)], 1, durable=False)
        assert store.verify() is None

    def test_read_filters_by_stream_and_position(self, store: EventStore) -> None:
        """read(stream, after) gives only that stream's events after that seq."""
        store.append("bridge", [_stage(1)], 0)
        store.append("run:R1", [RunPlanned(run_id="R1")], 0)
        store.append("bridge", [_stage(2)], 1)
        assert [r.seq for r in store.read(stream="bridge")] == [1, 3]
        assert [r.seq for r in store.read(after=1)] == [2, 3]
        assert [r.seq for r in store.read(stream="run:R1", after=2)] == []

    def test_wrong_expected_version_raises_and_stores_nothing(self, store: EventStore) -> None:
        """A stale expected version is a ConcurrencyError and the log is unchanged."""
        store.append("bridge", [_stage(1)], 0)
        with pytest.raises(ConcurrencyError):
            store.append("bridge", [_stage(2)], 0)
        assert store.head() == 1

    def test_none_expected_version_appends_anyway(self, store: EventStore) -> None:
        """expected_version=None skips the check."""
        store.append("bridge", [_stage(1)], 0)
        assert store.append("bridge", [_stage(2)], None) == 2

    def test_multi_event_append_is_atomic(self, store: EventStore) -> None:
        """If one event of a batch is refused, none of the batch is stored."""
        bad = RunPlanned(run_id="R1", params={"api_token": "tok-12345678"})
        with pytest.raises(SecretError):
            store.append("run:R1", [RunPlanned(run_id="R1"), bad], 0)
        assert store.head() == 0

    @pytest.mark.parametrize(
        "unreadable",
        [
            StageEntered(stage="PLANNED", trigger=cast(str, 7)),
            RunSubmitted(
                run_id="R1",
                attempt_id="A1",
                attempt=1,
                backend="local",
                argv=("python", cast(str, 3)),
            ),
            RunPlanned(run_id="R1", env={"SEED": cast(str, 3)}),
            RunPlanned(run_id="R1", gpus=cast(int, "two")),
            RunSubmitted(run_id="R1", attempt_id="A1", attempt=True, backend="local"),
            RunFailed(run_id="R1", attempt_id="A1", gpu_memory_peak_mib=cast(int, 1.5)),
            ArtifactsFetched(
                run_id="R1",
                attempt_id="A1",
                local_dir="d",
                artifacts=(Artifact(path="p", size=cast(int, "1"), sha256="s"),),
            ),
            RunFailed(run_id="R1", attempt_id="A1", oom=cast(bool, 1)),
        ],
        ids=[
            "str field",
            "tuple of strings",
            "mapping of strings",
            "int field",
            "bool in an int field",
            "optional int field",
            "nested int field",
            "bool field",
        ],
    )
    def test_an_event_that_would_not_decode_is_refused_and_the_log_stays_readable(
        self, store: EventStore, unreadable: Event
    ) -> None:
        """
        An event holding a value its fields' decoding refuses (a number where a string is
        declared, a string, float or bool where a whole number is, a number where a bool is) is
        refused with ValueError before anything of its batch is stored, so the
        log can still be read whole.
        """
        store.append("bridge", [_stage(1)], 0)
        with pytest.raises(ValueError, match="would not decode"):
            store.append("bridge", [_stage(2), unreadable], 1)
        assert store.head() == 1
        assert [r.event for r in store.read()] == [_stage(1)]

    def test_hash_chain_links_rows(self, store: EventStore) -> None:
        """Each row's prev_hash is the previous hash, and its hash is the documented formula."""
        store.append("bridge", [_stage(1), _stage(2)], 0, causation="c", correlation="k")
        first, second = store.read()
        assert first.prev_hash == GENESIS_HASH
        assert second.prev_hash == first.hash
        assert second.hash == chain_hash(
            first.hash, 2, "bridge", 2, "stage.entered", 1, second.recorded_at.isoformat(),
            "c", "k", second.data,
        )  # fmt: skip
        assert store.verify() is None

    def test_large_batch_in_one_transaction(self, store: EventStore) -> None:
        """A 5,000-event append (beyond any internal batch size) is stored whole."""
        store.append("run:R1", [RunPlanned(run_id="R1")], 0)
        subs = [
            RunSubmitted(run_id="R1", attempt_id=f"a{i}", attempt=i, backend="x")
            for i in range(5000)
        ]
        assert store.append("run:R1", subs, 1) == 5001
        assert sum(1 for _ in store.read()) == 5001
        assert store.verify() is None

    def test_recorded_at_comes_from_the_clock(self, store: EventStore) -> None:
        """recorded_at is an aware UTC time."""
        store.append("bridge", [_stage(1)], 0)
        (row,) = store.read()
        assert row.recorded_at.tzinfo is not None
        assert row.recorded_at <= datetime.now(UTC)


class AppendsStreamsContract:
    """
    Behaviour every store that appends to several streams at once
    (:class:`~bridge.events.store.AppendsStreams`) shares: the ``store`` fixture is an
    :class:`~bridge.events.store.EventStore` that is one.
    """

    def test_parts_are_one_append_in_order(self, store: EventStore) -> None:
        """Each part goes to its stream, in order, chained, stamped with one time."""
        assert isinstance(store, AppendsStreams)
        store.append("run:R1", [RunPlanned(run_id="R1")], 0)
        store.append_streams(
            [
                StreamAppend("run:R2", [RunPlanned(run_id="R2")], 0),
                StreamAppend("run:R1", [RunPlanned(run_id="R1", notes="again")], 1),
                StreamAppend("bridge", [_stage(1), _stage(2)], None),
            ]
        )
        rows = list(store.read())
        assert [(r.seq, r.stream, r.version) for r in rows] == [
            (1, "run:R1", 1), (2, "run:R2", 1), (3, "run:R1", 2),
            (4, "bridge", 1), (5, "bridge", 2),
        ]  # fmt: skip
        assert rows[2].event == RunPlanned(run_id="R1", notes="again")
        assert len({r.recorded_at for r in rows[1:]}) == 1
        assert store.verify() is None
        assert (store.stream_version("run:R1"), store.stream_version("bridge")) == (2, 2)

    def test_a_stream_past_its_expected_version_stores_no_part(self, store: EventStore) -> None:
        """The last part's stale version refuses the parts before it too."""
        assert isinstance(store, AppendsStreams)
        store.append("bridge", [_stage(1)], 0)
        with pytest.raises(ConcurrencyError):
            store.append_streams(
                [
                    StreamAppend("run:R1", [RunPlanned(run_id="R1")], 0),
                    StreamAppend("bridge", [_stage(2)], 0),
                ]
            )
        assert store.head() == 1
        assert store.stream_version("run:R1") == 0
        store.append_streams([StreamAppend("run:R1", [RunPlanned(run_id="R1")], 0)])
        assert [r.seq for r in store.read()] == [1, 2]
        assert store.verify() is None

    def test_a_secret_in_any_part_stores_no_part(self, store: EventStore) -> None:
        """Every part is encoded, and refused, before anything is stored."""
        assert isinstance(store, AppendsStreams)
        bad = RunPlanned(run_id="R2", params={"api_token": "tok-12345678"})
        with pytest.raises(SecretError):
            store.append_streams(
                [
                    StreamAppend("run:R1", [RunPlanned(run_id="R1")], 0),
                    StreamAppend("run:R2", [bad], 0),
                ]
            )
        assert store.head() == 0
