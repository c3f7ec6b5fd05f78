"""
Outputs are untrusted input (issue #19 items 3 and 5): a run's metrics files are read without
following links out of the attempt directory, only when they are regular files, within size,
depth and value-count limits; anything else is a problem on the run, never an exception and
never a hang.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from bridge.adapters.metrics.files import Extraction, MetricsSpec, OutputLimits, extract_metrics


def attempt(tmp_path: Path) -> tuple[Path, Path]:
    """A project root and an attempt directory with an empty ``output/`` inside it."""
    root = tmp_path / "project"
    attempt_dir = root / ".bridge" / "runs" / "R1" / "R1-a1"
    (attempt_dir / "output").mkdir(parents=True)
    return root, attempt_dir


def extract(
    root: Path, attempt_dir: Path, spec: MetricsSpec | None = None, wanted: tuple[str, ...] = ()
) -> Extraction:
    return extract_metrics(
        attempt_dir,
        project_root=root,
        run_id="R1",
        attempt_id="R1-a1",
        config=spec or MetricsSpec(files=("output/*.json",)),
        wanted=wanted,
    )


def messages(found: Extraction) -> str:
    return "\n".join(f"{p.source}: {p.message}" for p in found.problems)


class TestLinks:
    def test_a_symlink_loop_is_a_problem_not_a_traceback(self, tmp_path: Path) -> None:
        """output/metrics.json linked to itself: a problem naming the file; the rest is read."""
        root, attempt_dir = attempt(tmp_path)
        (attempt_dir / "output" / "metrics.json").symlink_to("metrics.json")
        (attempt_dir / "output" / "eval.json").write_text('{"f1": 0.5}')
        found = extract(root, attempt_dir)
        assert [(v.name, v.value) for v in found.values] == [("f1", 0.5)]
        (problem,) = found.problems
        assert problem.source == ".bridge/runs/R1/R1-a1/output/metrics.json"
        assert "loop" in problem.message

    def test_a_loop_named_exactly_is_a_problem_too(self, tmp_path: Path) -> None:
        """A looping link matched by a glob without wildcards is reported, not silently missed."""
        root, attempt_dir = attempt(tmp_path)
        a, b = attempt_dir / "output" / "a.json", attempt_dir / "output" / "metrics.json"
        a.symlink_to(b)
        b.symlink_to(a)
        found = extract(root, attempt_dir, MetricsSpec(files=("output/metrics.json",)))
        assert found.values == ()
        assert "loop" in messages(found)

    def test_a_link_to_a_file_elsewhere_is_a_problem(self, tmp_path: Path) -> None:
        """A link out of the attempt directory is not read, and the problem says where it led."""
        root, attempt_dir = attempt(tmp_path)
        secret = tmp_path / "secret.json"
        secret.write_text('{"stolen": 1}')
        (attempt_dir / "output" / "metrics.json").symlink_to(secret)
        found = extract(root, attempt_dir)
        assert found.values == ()
        assert "leading outside the attempt directory" in messages(found)
        assert str(secret) in messages(found)

    def test_output_folder_replaced_by_a_link_is_not_walked(self, tmp_path: Path) -> None:
        """output/ → a folder elsewhere: one problem, nothing under it read or hashed."""
        root, attempt_dir = attempt(tmp_path)
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / "metrics.json").write_text('{"stolen": 1}')
        (attempt_dir / "output").rmdir()
        (attempt_dir / "output").symlink_to(elsewhere)
        found = extract(root, attempt_dir, MetricsSpec(files=("output/**/*.json",)))
        assert found.values == ()
        (problem,) = found.problems
        assert problem.source == ".bridge/runs/R1/R1-a1/output"
        assert "nothing under it is read" in problem.message

    def test_a_link_inside_the_attempt_is_read(self, tmp_path: Path) -> None:
        """A link that stays inside the attempt directory is followed (runs use them)."""
        root, attempt_dir = attempt(tmp_path)
        (attempt_dir / "output" / "final.json").write_text('{"acc": 0.7}')
        (attempt_dir / "output" / "metrics.json").symlink_to("final.json")
        found = extract(root, attempt_dir, MetricsSpec(files=("output/metrics.json",)))
        assert [(v.name, v.value) for v in found.values] == [("acc", 0.7)]


class TestNotRegularFiles:
    @pytest.mark.timeout(30)
    def test_a_fifo_does_not_block(self, tmp_path: Path) -> None:
        """output/metrics.json as a FIFO with no writer: a problem at once, never a hang."""
        root, attempt_dir = attempt(tmp_path)
        os.mkfifo(attempt_dir / "output" / "metrics.json")
        started = time.monotonic()
        found = extract(root, attempt_dir)
        assert time.monotonic() - started < 5
        assert found.values == ()
        assert "is not a regular file (a FIFO)" in messages(found)
        assert found.problems[0].blocking

    def test_a_link_to_a_device_is_not_read(self, tmp_path: Path) -> None:
        """A link to /dev/zero (endless bytes) is refused before any byte is read."""
        root, attempt_dir = attempt(tmp_path)
        (attempt_dir / "output" / "metrics.json").symlink_to("/dev/zero")
        found = extract(root, attempt_dir)
        assert found.values == () and "leading outside" in messages(found)


class TestLimits:
    def test_json_nested_1000_deep_is_a_problem_not_a_recursion_error(self, tmp_path: Path) -> None:
        """1,000 nested lists: not parsed; the problem names the limit and its setting."""
        root, attempt_dir = attempt(tmp_path)
        (attempt_dir / "output" / "metrics.json").write_text("[" * 1000 + "1" + "]" * 1000)
        found = extract(root, attempt_dir)
        assert found.values == ()
        assert "nested deeper than 64 levels ([metrics] max_depth)" in messages(found)

    def test_brackets_inside_strings_do_not_count_as_depth(self, tmp_path: Path) -> None:
        """A string full of brackets is text, not nesting: the file is read."""
        root, attempt_dir = attempt(tmp_path)
        text = json.dumps({"note": "[[[[{{{{" * 100, "acc": 0.5})
        (attempt_dir / "output" / "metrics.json").write_text(text)
        found = extract(root, attempt_dir, MetricsSpec(files=("output/*.json",)))
        assert [(v.name, v.value) for v in found.values] == [("acc", 0.5)]

    def test_a_file_over_the_size_limit_is_not_read(self, tmp_path: Path) -> None:
        """A file larger than max_file_bytes is a problem naming its size and the setting."""
        root, attempt_dir = attempt(tmp_path)
        (attempt_dir / "output" / "metrics.json").write_text(json.dumps({"x": "a" * 5000}))
        spec = MetricsSpec(files=("output/*.json",), limits=OutputLimits(max_file_bytes=1000))
        found = extract(root, attempt_dir, spec)
        assert found.values == ()
        assert "over the limit of 1,000 ([metrics] max_file_mb)" in messages(found)

    def test_100k_keys_are_capped_and_the_plan_metric_kept(self, tmp_path: Path) -> None:
        """A 1.7 MB file of 100,000 keys: 2,000 values recorded, the plan's own metric among
        them although it is the last key, and a problem that counts what was left out."""
        root, attempt_dir = attempt(tmp_path)
        document = {f"k{i:06d}": i * 0.5 for i in range(100_000)}
        document["accuracy"] = 0.93
        path = attempt_dir / "output" / "metrics.json"
        path.write_text(json.dumps(document))
        assert path.stat().st_size > 1_700_000
        started = time.monotonic()
        found = extract(root, attempt_dir, wanted=("Accuracy",))
        assert time.monotonic() - started < 20
        assert len(found.values) == 2000
        assert ("accuracy", 0.93) in [(v.name, v.value) for v in found.values]
        assert "100,001 values" in messages(found)
        assert "98,001 values and 0 histories were not recorded" in messages(found)
        assert "the plan's metrics were kept" in messages(found)
        assert not found.problems[-1].blocking  # a note: the file was read

    def test_the_cap_is_configurable(self, tmp_path: Path) -> None:
        """max_values applies to values and histories alike."""
        root, attempt_dir = attempt(tmp_path)
        document = {f"loss{i}": [1.0, 0.5] for i in range(10)}
        (attempt_dir / "output" / "metrics.json").write_text(json.dumps(document))
        spec = MetricsSpec(files=("output/*.json",), limits=OutputLimits(max_values=3))
        found = extract(root, attempt_dir, spec)
        assert len(found.values) == 3 and len(found.histories) == 3
        assert "7 values and 7 histories were not recorded" in messages(found)

    def test_an_integer_beyond_float_range_is_non_finite(self, tmp_path: Path) -> None:
        """A 400-digit integer is kept as a non-finite value with its digits, not an
        OverflowError."""
        root, attempt_dir = attempt(tmp_path)
        (attempt_dir / "output" / "metrics.json").write_text('{"x": 1' + "0" * 400 + ', "y": 0.5}')
        found = extract(root, attempt_dir)
        by_name = {v.name: v for v in found.values}
        assert by_name["x"].value is None and by_name["x"].raw == "1" + "0" * 400
        assert by_name["y"].value == 0.5

    def test_a_csv_field_over_the_csv_limit_is_a_problem(self, tmp_path: Path) -> None:
        """A 200,000-character CSV cell is a problem naming file and line, not a csv.Error."""
        root, attempt_dir = attempt(tmp_path)
        (attempt_dir / "output" / "log.csv").write_text("step,loss\n1," + "9" * 200_000 + "\n")
        found = extract(root, attempt_dir, MetricsSpec(files=("output/*.csv",)))
        assert found.values == ()
        assert "log.csv:2: not readable as CSV: field larger than field limit" in messages(found)

    def test_a_flood_of_broken_files_is_counted_not_listed(self, tmp_path: Path) -> None:
        """500 invalid JSON files with max_values = 50: 50 problems and one that counts the rest."""
        root, attempt_dir = attempt(tmp_path)
        for i in range(500):
            (attempt_dir / "output" / f"m{i:03d}.json").write_text("{")
        spec = MetricsSpec(files=("output/*.json",), limits=OutputLimits(max_values=50))
        found = extract(root, attempt_dir, spec)
        assert len(found.problems) == 51
        assert "500 problems, over the limit of 50" in found.problems[-1].message
        assert "450 more not listed" in found.problems[-1].message
        assert found.problems[-1].blocking
