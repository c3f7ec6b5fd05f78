"""
Tests for the event codec: canonical JSON, round trips, upcasting, and refusals.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bridge.errors import IntegrityError, SecretError
from bridge.events import codec
from bridge.events.types import (
    EVENT_TYPES,
    BudgetWarned,
    Event,
    PipelineEvent,
    RunEvent,
    RunFailed,
    RunPlanned,
    StageEntered,
)
from bridge.plan.priority import Priority
from tests.strategies import builds, events


class TestRoundTrip:
    @given(events)
    def test_every_event_type_round_trips(self, evt: Any) -> None:
        """Encoding then decoding gives an equal event, and re-encoding the same bytes."""
        tag, version, data = codec.encode(evt)
        back = codec.decode(tag, version, data)
        assert back == evt
        assert codec.encode(back)[2] == data

    @pytest.mark.parametrize("tag", sorted(EVENT_TYPES))
    @settings(max_examples=20)
    @given(data=st.data())
    def test_each_type_individually(self, tag: str, data: st.DataObject) -> None:
        """Each registered type round-trips on its own (no type hides behind another)."""
        evt = data.draw(builds(EVENT_TYPES[tag][1]))
        assert codec.decode(*codec.encode(evt)) == evt

    def test_canonical_json_sorts_keys_without_spaces(self) -> None:
        """The encoded data is key-sorted and compact, so equal events give equal bytes."""
        _, _, data = codec.encode(StageEntered(stage="PLANNED", trigger="t", reason="r"))
        assert data == '{"reason":"r","stage":"PLANNED","trigger":"t"}'

    def test_priority_is_stored_as_the_bare_word_and_old_logs_decode(self) -> None:
        """A run's priority is written as ``"nice"``, as logs before the enum wrote it, and reads
        back as the Priority member; an unknown word does not decode."""
        _, _, data = codec.encode(RunPlanned(run_id="r1", priority=Priority.NICE))
        assert '"priority":"nice"' in data
        back = codec.decode("run.planned", 1, '{"run_id":"r1","priority":"nice"}')
        assert back.priority is Priority.NICE
        assert RunPlanned(run_id="r1", priority="must").priority is Priority.MUST
        with pytest.raises(IntegrityError, match="does not decode"):
            codec.decode("run.planned", 1, '{"run_id":"r1","priority":"cut"}')

    def test_a_plan_loaded_from_before_the_checklist_decodes_without_one(self) -> None:
        """``PlanLoaded.checklist`` (the plan's final checklist) has a default: a log written
        before it was recorded reads as before, with no item."""
        back = codec.decode("plan.loaded", 1, '{"plan_path":"p","plan_sha256":"s","title":"t"}')
        assert back.checklist == ()


class TestClosedUnions:
    def test_the_unions_hold_exactly_the_registered_classes(self) -> None:
        """Event is PipelineEvent | RunEvent, which together hold every registered class once;
        RunEvent holds exactly the classes with a run_id (the run streams' events)."""
        registered = {cls for _, cls in EVENT_TYPES.values()}
        pipeline, run = set(typing.get_args(PipelineEvent)), set(typing.get_args(RunEvent))
        assert set(typing.get_args(Event)) == registered == pipeline | run
        assert not pipeline & run
        assert run == {cls for cls in registered if "run_id" in attrs.fields_dict(cls)}


class TestRefusals:
    def test_nan_is_refused_at_construction(self) -> None:
        """An event cannot even be built with NaN in a float field."""
        with pytest.raises(ValueError, match="finite"):
            BudgetWarned(threshold=float("nan"), used_gpu_hours=1.0, planned_gpu_hours=2.0)

    def test_infinity_is_refused_in_plain_data(self) -> None:
        """dumps_checked refuses Infinity hidden in nested data."""
        with pytest.raises(ValueError, match="NaN and Infinity"):
            codec.dumps_checked({"a": [1.0, float("inf")]})

    def test_unknown_type_is_an_error(self) -> None:
        """A type the registry does not know is never silently dropped."""
        with pytest.raises(IntegrityError, match="unknown event type"):
            codec.decode("no.such.type", 1, "{}")

    def test_extra_keys_are_an_error(self) -> None:
        """Data with a field the event does not have does not decode."""
        with pytest.raises(IntegrityError, match="does not decode"):
            codec.decode("stage.entered", 1, '{"stage":"PLANNED","trigger":"x","bogus":1}')

    def test_future_version_is_an_error(self) -> None:
        """Data from a newer bridge is refused with a hint to upgrade."""
        with pytest.raises(IntegrityError, match="upgrade bridge"):
            codec.decode("stage.entered", 99, '{"stage":"PLANNED","trigger":"x"}')

    @pytest.mark.parametrize(
        "params",
        [{"OPENAI_API_KEY": "abc-secret-1"}, {"token": "tok-98765"}, {"hf_token": "tok-4321"},
         {"password": "pw-s3cr3t!"}, {"WANDB_KEY": "a8f3c9e1b7d2"}, {"SSH_KEY": "k-1"},
         {"key": "k-2"},
         {"x": "sk-abcdefghijklmnopqrstuvwxyz012345"}, {"y": "ghp_" + "a" * 36}],
    )  # fmt: skip
    def test_secrets_are_refused(self, params: dict[str, str]) -> None:
        """A secret-named field with a value, or a credential-shaped value, is refused."""
        with pytest.raises(SecretError) as info:
            codec.encode(RunPlanned(run_id="R1", params=params))
        for value in params.values():
            assert value not in str(info.value)

    @pytest.mark.parametrize(
        "params",
        [{"api_key_env": "OPENAI_API_KEY"}, {"key_dim": "64"}, {"tokenizer": "bert"},
         {"key_file": "~/.ssh/id"}, {"monkey": "x"}, {"token": ""}, {"metric_key": "val_acc"},
         {"sort_key": "loss"}, {"HF_TOKEN": "${LAB_HF_TOKEN}"}, {"EXPERIMENT_KEY": "iris"},
         {"PWD": "/home/me/project"}, {"HF_TOKEN_DIR": "/data/tokens"}],
    )  # fmt: skip
    def test_names_of_secrets_are_fine(self, params: dict[str, str]) -> None:
        """Names of variables, paths to key files and look-alike words are not secrets."""
        codec.encode(RunPlanned(run_id="R1", params=params))


class TestUpcasting:
    def test_old_version_is_upcast(self) -> None:
        """A registered upcaster turns old data into the current shape when reading."""
        version, cls = EVENT_TYPES["run.failed"]
        saved = dict(codec._upcasters)
        try:

            @codec.upcaster("run.failed", version - 1)
            def add_reason(data: dict[str, Any]) -> dict[str, Any]:
                renamed = dict(data)
                renamed["reason"] = renamed.pop("why")
                return renamed

            evt = codec.decode(
                "run.failed", version - 1, '{"run_id":"R1","attempt_id":"a","why":"x"}'
            )
        finally:
            codec._upcasters.clear()
            codec._upcasters.update(saved)
        assert evt == RunFailed(run_id="R1", attempt_id="a", reason="x")
        assert cls is RunFailed

    def test_missing_upcaster_is_an_error(self) -> None:
        """Old data with no upcaster registered is refused, naming the type."""
        with pytest.raises(IntegrityError, match=r"no upcaster for run\.failed"):
            codec.decode("run.failed", 0, "{}")


class TestRedaction:
    def test_credentials_in_free_text_are_redacted_not_refused(self) -> None:
        """A log tail quoting a key keeps the text and loses the key; the event still encodes."""
        from bridge.events.types import RunFailed

        key = "sk-" + "A1b2C3d4" * 4
        evt = RunFailed(run_id="R1", attempt_id="a", log_tail=f"auth with {key} failed")
        assert evt.log_tail == "auth with [redacted] failed"
        assert key not in codec.encode(evt)[2]

    @pytest.mark.parametrize(
        "word", ["Mask-RCNN_resnet50_fpn_3x_coco_2017", "risk-sensitive_policy_gradient_v2_long"]
    )
    def test_words_containing_a_prefix_are_not_secrets(self, word: str) -> None:
        """Model and method names that contain 'sk-' inside a word pass untouched."""
        from bridge.events.types import RunFailed

        assert RunFailed(run_id="R1", attempt_id="a", reason=word).reason == word
        codec.encode(RunPlanned(run_id="R1", params={"model": word}))


class TestNothingWrittenHoldsANul:
    def test_nul_in_free_text_is_stored_as_replacement_character(self) -> None:
        """A NUL in an event's text is stored as U+FFFD; an escaped backslash-u0000 is kept."""
        from bridge.events.types import PipelineBlocked

        tag, version, data = codec.encode(PipelineBlocked(reason="a\x00b \\u0000"))
        assert "\\u0000" not in data.replace("\\\\u0000", "")
        assert codec.decode(tag, version, data) == PipelineBlocked(reason="a\ufffdb \\u0000")


class TestFieldTypes:
    def test_every_class_a_state_holds_reads_as_get_type_hints_does(self) -> None:
        """One eval per class gives each field exactly the type typing.get_type_hints gives."""
        from bridge.machine.snapshot import shape_classes
        from bridge.machine.views import PipelineState

        for cls in [*shape_classes(), PipelineState]:
            hints = typing.get_type_hints(cls)
            assert codec.field_types(cls) == {f.name: hints[f.name] for f in attrs.fields(cls)}

    def test_what_one_eval_cannot_answer_is_left_to_get_type_hints(self) -> None:
        """A quoted name inside a type, and a field inherited, read as get_type_hints reads them."""

        @attrs.frozen
        class Base:
            first: Priority

        @attrs.frozen
        class Quoted(Base):
            items: tuple["Priority", ...]  # noqa: UP037 - the quoted name is the case

        assert codec.field_types(Quoted) == {"first": Priority, "items": tuple[Priority, ...]}

        @attrs.frozen
        class OnlyQuoted:
            items: tuple["Priority", ...]  # noqa: UP037

        assert codec.field_types(OnlyQuoted) == {"items": tuple[Priority, ...]}


class _Interrupted(Mapping[str, int]):
    """A mapping whose reading is stopped by a signal (its ``__iter__`` raises as a SIGINT
    handler would, the moment orjson hands it to the encoder)."""

    def __getitem__(self, key: str) -> int:
        raise KeyError(key)

    def __len__(self) -> int:
        return 1

    def __iter__(self) -> Iterator[str]:
        raise KeyboardInterrupt


def test_a_stop_signal_inside_the_encoder_stops_it() -> None:
    """A SIGTERM that arrived while orjson was in the encoder's fallback came out as "ValueError:
    Type is not JSON serializable: Slot", a traceback instead of the stop (tests/cli/
    test_signals.py, rarely): orjson wraps what the fallback raises in a TypeError."""
    from bridge.events.encoding import dumps_values, event_json

    with pytest.raises(KeyboardInterrupt):
        event_json("t", {"a": _Interrupted()}, names_may_be_secret=False)
    with pytest.raises(KeyboardInterrupt):
        dumps_values({"a": _Interrupted()}, classes=())
    with pytest.raises(ValueError, match="not JSON serializable"):
        event_json("t", {"a": object()}, names_may_be_secret=False)
