"""
Tests that the codec's and store's fast paths give exactly what the general paths give.

encode/decode skip cattrs' generic dispatch, reading builds records without attrs' keyword
``__init__``, and ``chain_hash`` skips the generic ``dumps`` wrapper; each is checked here against
the slow path it replaces, over every event type.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.errors import IntegrityError, SecretError
from bridge.events import codec, encoding, secrets, structuring
from bridge.events.store import GENESIS_HASH, Recorded, SQLiteEventStore, chain_hash
from bridge.events.types import (
    ArtifactsFetched,
    PipelineBlocked,
    RunFailed,
    RunOverdue,
    RunPlanned,
    RunRetryScheduled,
    RunStarted,
    StageEntered,
)
from bridge.events.values import JobHandle
from tests.strategies import events, text


@attrs.frozen(kw_only=True)
class _Span:
    """A value class that checks itself after __init__ (as MetricHistory does)."""

    low: float
    high: float

    def __attrs_post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError("low above high")


def _reference_json(evt: Any) -> str:
    """The general path: the cattrs converter's plain data, then canonical dumps."""
    return codec.dumps(codec.event_data(evt))


class TestEncodeFastPath:
    @given(events)
    def test_bytes_equal_the_converters(self, evt: Any) -> None:
        """encode writes byte-for-byte what the cattrs converter + canonical dumps write."""
        assert codec.encode(evt)[2] == _reference_json(evt)

    def test_time_fields_use_isoformat(self) -> None:
        """A datetime field is written as its isoformat(), microseconds and offset included."""
        when = datetime(2024, 5, 6, 7, 8, 9, 123, tzinfo=UTC)
        data = codec.encode(RunRetryScheduled(run_id="R1", not_before=when))[2]
        assert orjson.loads(data)["not_before"] == when.isoformat()

    def test_unregistered_class_is_refused(self) -> None:
        """An object that is not a registered event is a TypeError, as before."""
        with pytest.raises(TypeError, match="not a registered event"):
            codec.encode(attrs.make_class("Fake", ["a"])(a=1))


class TestDecodeFastPath:
    @given(events)
    def test_equals_the_converters_structure(self, evt: Any) -> None:
        """decode builds an event equal to (and typed like) what cattrs structures."""
        tag, version, data = codec.encode(evt)
        fast = codec.decode(tag, version, data)
        slow = codec._converter().structure(orjson.loads(data), type(evt))
        assert fast == slow
        assert type(fast) is type(slow)

    def test_missing_defaulted_field_takes_the_default(self) -> None:
        """Data without a defaulted field (old or upcast data) decodes with the default."""
        evt = codec.decode("stage.entered", 1, '{"stage":"PLANNED","trigger":"t"}')
        assert evt == StageEntered(stage="PLANNED", trigger="t", reason="")

    def test_missing_required_field_is_an_error(self) -> None:
        """Data missing a required field does not decode."""
        with pytest.raises(IntegrityError, match="does not decode"):
            codec.decode("stage.entered", 1, '{"stage":"PLANNED","reason":"r"}')

    def test_extra_key_with_right_count_is_an_error(self) -> None:
        """An unknown key replacing a known one (same key count) does not decode."""
        with pytest.raises(IntegrityError, match="does not decode"):
            codec.decode("stage.entered", 1, '{"stage":"PLANNED","trigger":"t","bogus":"r"}')

    @pytest.mark.parametrize(
        ("tag", "data"),
        [
            ("run.artifacts_fetched", '{"run_id":"R","attempt_id":"a","local_dir":"d",'
             '"artifacts":"notalist"}'),
            ("run.artifacts_fetched", '{"run_id":"R","attempt_id":"a","local_dir":"d",'
             '"artifacts":[{"path":"p","size":1}]}'),
            ("pipeline.blocked", '{"reason":"r","findings":[{"severity":"fatal","message":"m",'
             '"file":"","line":null,"check":""}]}'),
            ("run.overdue", '{"run_id":"R","attempt_id":"a","estimated_minutes":"ten",'
             '"elapsed_minutes":1.0}'),
            ("run.overdue", "[1, 2]"),
            ("run.overdue", "{not json"),
        ],
    )  # fmt: skip
    def test_data_that_does_not_fit_is_an_error(self, tag: str, data: str) -> None:
        """Wrong shapes, nested missing fields, bad enum values and bad JSON are refused."""
        with pytest.raises(IntegrityError, match="does not decode"):
            codec.decode(tag, 1, data)

    def test_validators_still_run(self) -> None:
        """A non-finite float in data (an upcaster's output, say) is refused by the validator."""
        data = {"run_id": "R", "attempt_id": "a", "estimated_minutes": float("inf"),
                "elapsed_minutes": 1.0}  # fmt: skip
        with pytest.raises(IntegrityError, match="must be finite"):
            codec.decode("run.overdue", 1, data)

    def test_callers_dict_is_not_changed(self) -> None:
        """Decoding a dict leaves the caller's dict (and its nested lists) as they were."""
        data = {"run_id": "R", "attempt_id": "a", "local_dir": "d",
                "artifacts": [{"path": "p", "size": 1, "sha256": "s"}]}  # fmt: skip
        before = orjson.dumps(data)
        evt = codec.decode("run.artifacts_fetched", 1, data)
        assert isinstance(evt, ArtifactsFetched)
        assert isinstance(evt.artifacts, tuple)
        assert orjson.dumps(data) == before

    def test_converters_still_run(self) -> None:
        """A field's converter runs on the fast path as in attrs' __init__ (redacting here)."""
        data = {"stage": "PLANNED", "trigger": "t", "reason": "see https://u:pw@host/x"}
        evt = codec.decode("stage.entered", 1, data)
        assert evt == StageEntered(**data)
        assert isinstance(evt, StageEntered)
        assert "pw" not in evt.reason

    def test_post_init_still_runs(self) -> None:
        """A class with __attrs_post_init__ has it run by its generated structurer."""
        structure = structuring.class_structurer(_Span)
        assert structure({"low": 1, "high": 2.5}) == _Span(low=1.0, high=2.5)
        with pytest.raises(ValueError, match="low above high"):
            structure({"low": 3.0, "high": 2.5})

    def test_equal_strings_are_shared(self) -> None:
        """Equal strings in two decoded events are one object, so a long log's state keeps
        one copy of each repeated id, path and hash."""
        data = '{"run_id":"R-shared","attempt_id":"R-shared-a1","estimated_minutes":1.0,'
        first = codec.decode("run.overdue", 1, data + '"elapsed_minutes":2.0}')
        second = codec.decode("run.overdue", 1, data + '"elapsed_minutes":3.0}')
        assert isinstance(first, RunOverdue)
        assert isinstance(second, RunOverdue)
        assert first.run_id is second.run_id
        assert first.attempt_id is second.attempt_id

    def test_equal_strings_in_lists_and_string_maps_are_shared(self) -> None:
        """Items of a tuple of strings and values of a mapping of strings are shared too: every
        run of a long log repeats its command's words and its environment."""
        planned = [
            codec.decode(*codec.encode(RunPlanned(
                run_id=f"R{n}", command=("python", "train.py", "--seed", "{seed}"),
                env={"MODE": "fast-" + "x" * 40}, params={"seed": str(n)},
            )))
            for n in (1, 2)
        ]  # fmt: skip
        first, second = (p for p in planned if isinstance(p, RunPlanned))
        assert all(a is b for a, b in zip(first.command, second.command, strict=True))
        assert first.env["MODE"] is second.env["MODE"]
        assert first.command == ("python", "train.py", "--seed", "{seed}")
        assert first.params == {"seed": "1"} and second.params == {"seed": "2"}

    @pytest.mark.parametrize(
        "data",
        ['{"run_id":"R","command":["python",7]}', '{"run_id":"R","env":{"A":7}}'],
    )
    def test_non_string_in_a_list_or_map_of_strings_is_an_error(self, data: str) -> None:
        """A number where the event has a tuple or mapping of strings does not decode."""
        with pytest.raises(IntegrityError, match="does not decode"):
            codec.decode("run.planned", 1, data)

    def test_a_handle_with_a_non_string_locator_is_refused_where_it_is_made(self) -> None:
        """
        A backend's handle holding a number would encode, but its RunStarted would never
        decode again (every later command stops there): refused when the handle is built.
        """
        with pytest.raises(TypeError, match=r"'job_id' is 7 \(int\)"):
            JobHandle(backend="slurm", attempt_id="a", locator={"job_id": 7})  # type: ignore[dict-item]
        handle = JobHandle(backend="slurm", attempt_id="a", locator={"job_id": "7"})
        started = RunStarted(run_id="R", attempt_id="a", handle=handle)
        assert codec.decode(*codec.encode(started)) == started

    def test_non_string_in_a_string_field_is_an_error(self) -> None:
        """A number where the event has a string field does not decode."""
        with pytest.raises(IntegrityError, match="does not decode"):
            codec.decode("stage.entered", 1, '{"stage":"PLANNED","trigger":7,"reason":""}')

    def test_events_stay_frozen(self) -> None:
        """A decoded event is as immutable as a constructed one."""
        evt = codec.decode(*codec.encode(PipelineBlocked(reason="r")))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            evt.reason = "x"


class TestChainHash:
    @given(
        prev=st.sampled_from([GENESIS_HASH, "ab" * 32]),
        seq=st.integers(1, 2**62),
        stream=text,
        version=st.integers(1, 2**40),
        tag=text,
        schema=st.integers(0, 100),
        at=text,
        causation=st.none() | text,
        correlation=st.none() | text,
        data=text,
    )
    def test_equals_the_documented_formula(
        self, prev: str, seq: int, stream: str, version: int, tag: str, schema: int, at: str,
        causation: str | None, correlation: str | None, data: str,
    ) -> None:  # fmt: skip
        """sha256 of the canonical JSON list of the envelope, exactly as the docstring says."""
        material = codec.dumps(
            [prev, seq, stream, version, tag, schema, at, causation, correlation, data]
        )
        expected = hashlib.sha256(material.encode()).hexdigest()
        assert chain_hash(
            prev, seq, stream, version, tag, schema, at, causation, correlation, data
        ) == expected  # fmt: skip


class TestRecordedFastPath:
    def test_read_records_equal_keyword_built_ones(self, tmp_path: Path) -> None:
        """A record read from SQLite equals one built with Recorded's own __init__."""
        store = SQLiteEventStore(tmp_path / "events.db")
        try:
            store.append("run:R1", [RunOverdue(run_id="R1", attempt_id="a",
                                               estimated_minutes=1.0, elapsed_minutes=2.5)], 0,
                         causation="c", correlation="k")  # fmt: skip
            (rec,) = store.read()
        finally:
            store.close()
        rebuilt = Recorded(**{f.name: getattr(rec, f.name) for f in attrs.fields(Recorded)})
        assert rec == rebuilt
        assert (rec.seq, rec.stream, rec.version, rec.causation, rec.correlation) == (
            1, "run:R1", 1, "c", "k",
        )  # fmt: skip
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            rec.seq = 2  # type: ignore[misc]


# Text made of credential prefixes, pieces of them and anything else.
_pieces = st.sampled_from(["sk-", "ghp_", "github_pat_", "AKIA", "xox", "hf_", "AKI", "s", "_"])
_prefixed_text = st.lists(_pieces | text, max_size=6).map("".join)


class TestSecretScreen:
    def test_value_prefixes_cover_every_credential_pattern(self) -> None:
        """Each alternative of the credential regex starts with a screened prefix."""
        body = secrets.SECRET_VALUE.pattern.removeprefix("(?<![A-Za-z0-9])(?:").removesuffix(")")
        alternatives = body.split("|")
        assert len(alternatives) == len(secrets.VALUE_PREFIXES)
        for alternative in alternatives:
            assert alternative.startswith(secrets.VALUE_PREFIXES), alternative

    @given(_prefixed_text)
    def test_the_prefix_screen_is_any_prefix_in_the_text(self, value: str) -> None:
        """The compiled screen redact and the append check share answers as any() would."""
        expected = any(prefix in value for prefix in secrets.VALUE_PREFIXES)
        assert secrets.has_value_prefix(value) is expected

    @pytest.mark.parametrize(
        "name", ["api_key", "apikey", "secret", "token", "password", "passwd", "pwd",
                 "credentials", "key", "HF_TOKEN", "db-password"],
    )  # fmt: skip
    def test_suspicious_words_cover_every_secret_name(self, name: str) -> None:
        """Every field name the secret-name regex catches contains a screened word."""
        assert encoding._SECRET_NAME.search(name)
        assert encoding._has_suspicious_word(name.lower())

    def test_secret_key_in_a_nested_mapping_is_refused(self) -> None:
        """A secret under a secret-named key deep inside an event is still refused."""
        evt = RunStarted(run_id="R", attempt_id="a",
                         handle=JobHandle(backend="x", attempt_id="a",
                                          locator={"api_token": "abc123"}))  # fmt: skip
        with pytest.raises(SecretError, match="api_token"):
            codec.encode(evt)

    def test_credential_value_in_a_flat_event_is_refused(self) -> None:
        """A credential-shaped value is refused even in an event with no mapping fields."""
        evt = RunFailed(run_id="R", attempt_id="sk-" + "a" * 30)  # ids are not redacted
        with pytest.raises(SecretError, match="looks like an API key"):
            codec.encode(evt)

    def test_only_types_with_open_keys_are_scanned_for_names(self) -> None:
        """Types whose keys are all fixed field names skip the name scan; mappings do not."""
        assert codec.names_may_be_secret("run.planned") is True  # params, env
        assert codec.names_may_be_secret("run.started") is True  # handle.locator
        assert codec.names_may_be_secret("run.overdue") is False
