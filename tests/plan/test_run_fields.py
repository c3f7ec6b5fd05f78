"""The run's fields are declared once (RunFields) and every other form of a run follows them."""

from __future__ import annotations

from pathlib import Path

import attrs

from bridge.events import types as ev
from bridge.pipeline.recording import plan_events
from bridge.plan import load_project
from bridge.plan.run_fields import SPEC_FIELDS, RunFields, run_fields
from bridge.plan.runs import RunSpec
from tests.plan.corpus import as_project


class TestRunFields:
    def test_the_plan_and_the_log_carry_exactly_the_declared_fields(self) -> None:
        """RunSpec and RunPlanned are RunFields plus their own id (and RunSpec its origin: the
        tracker row's status, where it was written, whether it is an implementation task, and
        the block row a proposed run takes its status from, and the GPU-hours its tracker row
        states, which only its estimate is made from)."""
        shared = set(attrs.fields_dict(RunFields))
        assert set(attrs.fields_dict(ev.RunPlanned)) == shared | {"run_id"}
        assert set(attrs.fields_dict(RunSpec)) == shared | {
            "id",
            "status",
            "status_raw",
            "file",
            "line",
            "task",
            "status_file",
            "status_line",
            "stated_gpu_hours",
            "gate",
        }

    def test_a_replan_compares_every_field_but_the_bookkeeping(self) -> None:
        """SPEC_FIELDS is every run field except where it came from, notes, its directory,
        where it counts (placed without a new attempt: ``run.placed``)."""
        assert set(SPEC_FIELDS) == set(attrs.fields_dict(RunFields)) - {
            "source",
            "notes",
            "block_system",
            "attribution",
            "directory",
            "aliases",
        }
        assert SPEC_FIELDS[:3] == ("milestone", "block", "system")

    def test_recording_copies_every_field_of_a_real_plan(self, tmp_path: Path) -> None:
        """Each recorded RunPlanned holds its RunSpec's fields, all of them, unchanged."""
        project = load_project(as_project("009", tmp_path))
        planned = {
            e.run_id: e
            for _, events in plan_events(project)
            for e in events
            if isinstance(e, ev.RunPlanned)
        }
        assert len(planned) == len(project.runs) > 0
        for spec in project.runs:
            assert run_fields(planned[spec.id]) == run_fields(spec)
        run_cfg = project.config.run
        assert {(p.max_retries, p.oom_max_attempts) for p in planned.values()} == {
            (run_cfg.max_retries, run_cfg.oom_max_attempts)
        }
