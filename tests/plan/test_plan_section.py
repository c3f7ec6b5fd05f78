"""
Bridge's sections of the researcher's files: the plan's, written after their bytes and cut off
exactly on read; the tracker's generated end, never read back; a tracker bridge wrote whole.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.plan import load_project
from bridge.plan.plan_section import (
    BEGIN,
    END,
    GENERATED_MARK,
    is_generated_tracker,
    researchers_part,
    with_section,
)
from bridge.projections.text import t


@pytest.mark.parametrize(
    "researcher",
    [b"# Plan\n\ntext\n", b"# Plan\n\nno final newline", b"# Plan\r\n\r\ncrlf\r\n", b""],
)
def test_the_researchers_bytes_come_back_exactly(researcher: bytes) -> None:
    """Appending, rewriting and removing the section never changes a byte of theirs."""
    once = with_section(researcher, "## Approved Ablations\n\n| A1 |")
    assert once.startswith(researcher) and researchers_part(once) == researcher
    twice = with_section(once, "## Approved Ablations\n\n| A1 |\n| A2 |")
    assert researchers_part(twice) == researcher and twice.count(BEGIN.encode()) == 1
    assert with_section(twice, "") == researcher


def test_text_the_researcher_wrote_after_the_section_is_theirs() -> None:
    """Lines added below bridge's section stay, and the section moves below them."""
    written = with_section(b"# Plan\n", "body") + b"\n## My notes\n"
    assert researchers_part(written) == b"# Plan\n\n## My notes\n"
    again = with_section(written, "body")
    assert again.startswith(b"# Plan\n\n## My notes\n") and again.endswith(f"{END}\n".encode())


TRACKER = """# Tracker

| Run ID | Milestone | System | Status | Notes |
|---|---|---|---|---|
| R1 | M1 | Ours | TODO | |
"""

PLAN_WITH_BLOCKS = """# Plan

## Experiment Blocks

### Block 1: Main
- Compared systems: Ours, Base.
- Success criterion: accuracy > 0.5.

### Block 2: Other
- Compared systems: Third.
- Success criterion: accuracy > 0.5.

## Run Order and Milestones

| Milestone | Goal | Runs | Decision Gate |
|---|---|---|---|
| M1 | main | B1 | - |
| M2 | other | B2 | - |
"""


def _project(root: Path, plan: str, tracker: str) -> Path:
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(plan, encoding="utf-8")
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(tracker, encoding="utf-8")
    (root / "bridge.toml").write_text(
        '[[runs]]\nid = "R9"\nmilestone = "M2"\ncommand = "true"\n', encoding="utf-8"
    )
    return root


def test_the_trackers_generated_section_is_never_read_back(tmp_path: Path) -> None:
    """029: bridge's row for a [[runs]] run, with its note "not run: milestone M1 …", was read
    as the researcher's: the run moved to block B1 and its CANCELLED became "skipped"."""
    generated = (
        f"\n{GENERATED_MARK}\n\n### Runs not in the tables above\n\n"
        "| Run ID | Milestone | Command | Status | Notes |\n|---|---|---|---|---|\n"
        "| R9 | M2 |  | CANCELLED | not run: milestone M1 must-run R1 ended failed in B1 |\n"
    )
    loaded = load_project(_project(tmp_path, PLAN_WITH_BLOCKS, TRACKER + generated))
    runs = {r.id: r for r in loaded.runs}
    assert (runs["R9"].source, runs["R9"].block, runs["R9"].status_raw) == ("config", "B2", "")
    assert runs["R1"].source == "tracker"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_tracker_bridge_wrote_whole_is_known_by_its_stamp(language: str) -> None:
    """The stamp is the projection's own line (bridge.projections.text), in either language."""
    line = t("generated", language).format(seq=54, at="2026-12-04 07:34:19 UTC")
    assert is_generated_tracker(f"# Experiment Tracker: X\n\n{line}\n\n| R1 |")
    assert not is_generated_tracker(f"# Tracker\n\n{line.replace('seq 54', 'seq')}\n")
    yours = t("generated_in_yours", language).format(
        seq=54, at="2026-12-04 07:34:19 UTC", status="Status", notes="Notes"
    )
    assert not is_generated_tracker(f"# Tracker\n\n{yours}\n")


def test_the_plans_run_table_outweighs_a_tracker_bridge_wrote_from_it(tmp_path: Path) -> None:
    """025: the plan holds the run table; bridge wrote the tracker from it ("edit the plan, not
    this file"). A row the researcher then sets from ❌ to TODO in the plan is launched, not
    held by the SKIPPED bridge wrote."""
    plan = PLAN_WITH_BLOCKS + (
        "\n## Tracker\n\n| Run ID | Milestone | System | Status |\n|---|---|---|---|\n"
        "| R1 | M1 | Ours | TODO |\n"
    )
    stamp = t("generated", "en").format(seq=54, at="2026-12-04 07:34:19 UTC")
    written = (
        f"# Experiment Tracker: Plan\n\n{stamp}\n\n"
        "| Run ID | Milestone | System | Status | Notes |\n|---|---|---|---|---|\n"
        "| R1 | M1 | Ours | SKIPPED | |\n"
    )
    runs = {r.id: r for r in load_project(_project(tmp_path, plan, written)).runs}
    assert runs["R1"].status_raw == "TODO"
    # A tracker the researcher wrote themselves still outweighs the plan's table.
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        written.replace(stamp, "My own notes."), encoding="utf-8"
    )
    runs = {r.id: r for r in load_project(tmp_path).runs}
    assert runs["R1"].status_raw == "SKIPPED"
