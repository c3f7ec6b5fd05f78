"""
What a run's view says of the numbers it recorded: when a succeeded run's evidence is missing.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bridge.events import types as ev
from bridge.events.measurements import NO_NUMBER_IN_FILE, UnreadOutput
from bridge.machine.stages import RunState
from bridge.machine.views import AttemptView, RunView


def _succeeded(
    problem: str,
    *,
    metrics: tuple[str, ...] = (),
    block: str = "",
    blocking: bool = True,
    file: str = "out/metrics.json",
    source: str = "",
) -> RunView:
    recorded = ev.MetricsRecorded(
        run_id="R1",
        attempt_id="R1-a1",
        problems=(UnreadOutput(source=file, message=problem, blocking=blocking),),
    )
    attempt = AttemptView(
        attempt_id="R1-a1",
        number=1,
        backend="local",
        slots=(),
        argv=("python3", "job.py"),
        output_dir="out",
        submitted_at=datetime(2026, 12, 5, tzinfo=UTC),
        state=RunState.SUCCEEDED,
        metrics=recorded,
    )
    spec = ev.RunPlanned(run_id="R1", milestone="M1", metrics=metrics, block=block, source=source)
    return RunView(spec=spec, state=RunState.SUCCEEDED, attempts=(attempt,))


@pytest.mark.parametrize(
    ("problem", "metrics", "block", "missing"),
    [
        # 011's R018 (trial T5): in no block, naming no metric, its metrics.json cut off: the
        # file is broken, so its evidence is missing all the same.
        ("out/metrics.json:1: not valid JSON: cut off", (), "", True),
        # A data-preparation step's config JSON holds no number: none is asked of it.
        (NO_NUMBER_IN_FILE, (), "", False),
        # Numbers asked (a metric named, or a block): a file with none is evidence missing.
        (NO_NUMBER_IN_FILE, ("accuracy",), "", True),
        (NO_NUMBER_IN_FILE, (), "B1", True),
    ],
)
def test_a_succeeded_run_with_a_broken_file_wrote_no_number(
    problem: str, metrics: tuple[str, ...], block: str, missing: bool
) -> None:
    assert _succeeded(problem, metrics=metrics, block=block).wrote_no_number is missing


def test_a_run_naming_a_metric_that_wrote_no_file_wrote_no_number() -> None:
    """004's R302 exited 0 and wrote no metrics file: it counted done (trial T7). Its row names
    a metric: its evidence is missing. A figure step naming none is not."""
    note = "no output file matched: nothing under output/ to read"
    assert _succeeded(note, metrics=("TPR",), blocking=False).wrote_no_number
    assert not _succeeded(note, blocking=False).wrote_no_number


def test_a_run_proposed_from_a_block_naming_no_metric_that_wrote_no_file_wrote_no_number() -> None:
    """033's R017, proposed from E5 (a block naming no metric), exited 0 and wrote no file: it
    counted completed and exit 0, while 002's tracker row R011, naming a metric, did not
    (trial t10). A run bridge proposed is a system × seed of its block, there for the numbers
    the block's criteria judge; a row the researcher wrote in a block naming no metric may be
    a figure step."""
    note = "no output file matched: nothing under output/ to read"
    assert _succeeded(note, block="E5", blocking=False, source="proposed").wrote_no_number
    assert not _succeeded(note, block="E5", blocking=False).wrote_no_number


def test_a_broken_data_file_of_a_run_asked_for_no_number_is_no_missing_evidence() -> None:
    """A data step's JSON Lines named `train.json` reads "not valid JSON: Extra data": it says
    nothing of numbers the run owes (review). Its metrics.json cut off does."""
    broken = "out/train.json:2: not valid JSON: Extra data"
    assert not _succeeded(broken, file="out/train.json").wrote_no_number
    assert _succeeded(broken, file="out/eval_metrics.json").wrote_no_number


@pytest.mark.parametrize(
    ("command", "argv", "seed"),
    [
        # 012 (trial h18H): `{seed}` rendered at `[run] args`' seed 1103: that seed.
        (("python3", "job.py", "--seed", "{seed}"), ("python3", "job.py", "--seed", "1103"), 1103),
        (("python3", "job.py", "--seed={seed}"), ("python3", "job.py", "--seed=1103"), 1103),
        # The seed written in the command, `[run] args` giving one the command never uses: no
        # seed is said, not `args`' (review of h18H).
        (("python3", "job.py", "--seed", "7"), ("python3", "job.py", "--seed", "7"), None),
        # Launched before `args.seed` was edited to 1103: it ran at 5, not said to be 1103.
        (("python3", "job.py", "--seed", "{seed}"), ("python3", "job.py", "--seed", "5"), None),
    ],
)
def test_the_seed_a_run_ran_at_is_the_one_its_command_got(
    command: tuple[str, ...], argv: tuple[str, ...], seed: int | None
) -> None:
    attempt = AttemptView(
        attempt_id="R1-a1",
        number=1,
        backend="local",
        slots=(),
        argv=argv,
        output_dir="out",
        submitted_at=datetime(2026, 12, 5, tzinfo=UTC),
        state=RunState.SUCCEEDED,
    )
    spec = ev.RunPlanned(run_id="R1", milestone="M1", command=command, params={"seed": "1103"})
    run = RunView(spec=spec, state=RunState.SUCCEEDED, attempts=(attempt,))
    assert run.ran_seed == seed
