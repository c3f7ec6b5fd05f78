"""
What runs wait for, as the plan and tracker state it (bridge/plan/dependencies.py), read from
the real plans that state it: 011's `Depends On` column, 005/006/002's tracker notes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.plan import load_project
from bridge.plan.dependencies import dependency_ids, note_dependencies
from tests.conftest import needs_shared
from tests.plan.corpus import as_project


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("R001,R003,R004", ("R001", "R003", "R004")),
        ("R017-R019", ("R017", "R018", "R019")),
        ("R013-R015,R017", ("R013", "R014", "R015", "R017")),
        ("R028-R030 + K=1 data", ("R028", "R029", "R030", "K")),
        ("**R006**", ("R006",)),
        ("R-ARCHIVE, R-B0-CAL", ("R-ARCHIVE", "R-B0-CAL")),
        ("—", ()),
        ("", ()),
    ],
)
def test_dependency_ids(text: str, ids: tuple[str, ...]) -> None:
    assert dependency_ids(text) == ids


@pytest.mark.parametrize(
    ("notes", "on"),
    [
        ("~$10 API, after R003+R004", ("R003", "R004")),
        ("2 GPU-h, depends R006", ("R006",)),
        ("Depends on R002 completing first", ("R002",)),
        ("Can start after R008", ("R008",)),
        ("依赖 R006 和 R007", ("R006", "R007")),
        # Chinese naming the run before the wait (a new-user trial: none was read).
        ("在 R001 之后运行", ("R001",)),
        ("R001 完成后再运行", ("R001",)),
        ("等 R001 完成后再跑", ("R001",)),
        ("仅在 R001、R002 之后才运行", ("R001", "R002")),
        ("R001完成后", ("R001",)),
        ("在 pilot 之后运行", None),
        ("~$5 API, parallel with R003-R006", None),
        ("GATE: stop if fail", None),
    ],
)
def test_note_dependencies(notes: str, on: tuple[str, ...] | None) -> None:
    stated = note_dependencies("R099", notes, "EXPERIMENT_TRACKER.md", 3)
    assert (stated.on if stated is not None else None) == on


@needs_shared
def test_011_depends_on_column_orders_runs_within_a_milestone(tmp_path: Path) -> None:
    """011: R005 waits for R003 and R004 (its `Depends On` cell "R001,R003,R004"; R001 is a
    coding task, "Implement Stage B …" by the system "Code", no run to wait for), R031 for
    R028-R030 ("+ K=1 data" names no run); no run is left waiting for a name that is no run."""
    project = load_project(as_project("011", tmp_path))
    waits = {r.id: r.depends_on for r in project.runs}
    assert waits["R005"] == ("R003", "R004")
    assert waits["R031"] == ("R028", "R029", "R030")
    assert waits["R003"] == () and waits["R007"] == ()
    assert [r.id for r in project.runs if r.task] == ["R001", "R002", "R010", "R011", "R022"]
    assert not [w for w in project.warnings if "waits for" in w.message]


@needs_shared
def test_notes_that_name_blocks_or_milestones_wait_for_no_run(tmp_path: Path) -> None:
    """001's "After M2 confirms" (a milestone: the order keeps it) and 020's "等待 B1/B2
    evidence" (blocks) make no run wait and raise no warning; 005's "depends R006" does."""
    for name in ("001", "020"):
        project = load_project(as_project(name, tmp_path / name))
        assert not [r.id for r in project.runs if r.depends_on], name
        assert not [w for w in project.warnings if "waits for" in w.message], name
    sam = load_project(as_project("005", tmp_path / "005"))
    waits = {r.id: r.depends_on for r in sam.runs}
    assert waits["R007"] == waits["R008"] == ("R006",)


def test_a_stated_dependency_that_is_no_run_is_warned(tmp_path: Path) -> None:
    """A Depends On cell naming R099, which no row is: not waited for, and said."""
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# Plan\n\n## Runs\n\n| Run | Task | Depends On |\n|---|---|---|\n"
        "| R002 | b | R001, R099 |\n"
    )
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | System | Status |\n|---|---|---|---|\n"
        "| R001 | M1 | main | TODO |\n| R002 | M1 | main | TODO |\n"
    )
    project = load_project(tmp_path)
    assert {r.id: r.depends_on for r in project.runs} == {"R001": (), "R002": ("R001",)}
    assert [(w.line, w.message) for w in project.warnings if "waits for" in w.message] == [
        (7, "R002 waits for R099 ('R001, R099'), which is not a run: it is not waited for")
    ]


@needs_shared
def test_005_dependency_graph_arrows(tmp_path: Path) -> None:
    """005's tracker draws `## Dependency graph` in a code block: `M0: R001 -> R002 -> R003 ->
    R004 (smoke)`, `M2: R004 -> R006 (gates) -> {R007, R008, R009 …} -> R010 (verdict)`,
    `R012 -> postprocess R013`. Each step waits for the one before it; the labels (`M2:`) and
    the milestone in "M3 results -> R016" name no run. A row's cells add the runs they take
    their input from."""
    waits = {r.id: r.depends_on for r in load_project(as_project("005", tmp_path)).runs}
    # R001-R003 are coding tasks ("Implement A3 hook", split "n/a (code)"): never launched,
    # and no run waits for them.
    assert [waits[f"R00{n}"] for n in range(1, 5)] == [(), (), (), ()]
    assert waits["R007"] == waits["R008"] == waits["R009"] == ("R006",)
    assert waits["R010"] == ("R007", "R008", "R009")
    # R013's own row says "postprocess from R005 + R011": it waits for them too, beside the
    # graph's R012 (it started before R011's output existed, trial B); R012's
    # "--use-profiled-placement <from R006 W*>" waits for R006.
    assert waits["R013"] == ("R012", "R005", "R011")
    assert waits["R012"] == ("R006",)
    assert waits["R016"] == ()


def test_from_in_a_row_names_only_tracker_runs(tmp_path: Path) -> None:
    """ "from" names the rows a run takes its input from; a word after it that is no row of
    the tracker ("from A100 nodes") is no run to wait for, and no warning."""
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text("# Plan\n")
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | System | Status | Notes |\n|---|---|---|---|---|\n"
        "| R001 | M1 | a | TODO | GPUs from A100 nodes |\n"
        "| R002 | M1 | merge from R001 & R003 | TODO | |\n"
        "| R003 | M1 | c | TODO | |\n"
    )
    project = load_project(tmp_path)
    waits = {r.id: r.depends_on for r in project.runs}
    assert waits == {"R001": (), "R002": ("R001", "R003"), "R003": ()}
    assert not [w for w in project.warnings if "A100" in w.message]


def test_arrows_outside_a_dependency_section_are_prose(tmp_path: Path) -> None:
    """ "EarthNet export → EarthNetScore" (023) is a pipeline in prose, not an order of runs."""
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# Plan\n\n## Notes\n\nR001 -> R002\n\n## Dependencies\n\n- R002 → R003; R001 -> R004\n"
    )
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | System | Status |\n|---|---|---|---|\n"
        + "".join(f"| R00{n} | M1 | a | TODO |\n" for n in range(1, 5))
    )
    waits = {r.id: r.depends_on for r in load_project(tmp_path).runs}
    assert waits == {"R001": (), "R002": (), "R003": ("R002",), "R004": ("R001",)}


def test_ids_bridge_proposed_are_not_the_plans_run_ids(tmp_path: Path) -> None:
    """A plan with no tracker gets runs proposed as R001, R002 …: a Depends On table of the
    plan's own numbering (R002 after R001) says nothing about those."""
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# Plan\n\n## Experiment Blocks\n\n### Block 1: Main\n\n- **Compared systems**: A, B\n"
        "- **Success criterion**: A accuracy > B accuracy\n\n## Runs\n\n"
        "| Step | Task | Depends On |\n|---|---|---|\n| R002 | b | R001 |\n"
    )
    runs = load_project(tmp_path).runs
    assert [r.source for r in runs] == ["proposed", "proposed"]
    assert all(r.depends_on == () for r in runs)


def test_a_cycle_read_from_prose_is_warned_about_not_refused(tmp_path: Path) -> None:
    """A dependency graph's aside "(if R006 diverges -> rerun R005 …)" is no order of runs, and
    a cycle the written dependencies still make is dropped with a warning: the project loads
    (a `depends_on` cycle in bridge.toml is still refused)."""
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# Plan\n\n## Dependency graph\n\n"
        "M1: R005 -> R006 (if R006 diverges -> rerun R005 with lower lr)\n"
        "M1: R007 -> R008 -> R007\n"
    )
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | System | Status |\n|---|---|---|---|\n"
        + "".join(f"| R00{n} | M1 | a | TODO |\n" for n in range(5, 9))
    )
    project = load_project(tmp_path)
    waits = {r.id: r.depends_on for r in project.runs}
    assert waits["R006"] == ("R005",) and waits["R005"] == ()
    assert waits["R007"] == () or waits["R008"] == ()
    assert any(
        w.message.startswith("the stated dependencies make runs wait for each other (R00")
        for w in project.warnings
    )


def test_a_wait_said_in_another_cell_or_a_heading_is_read(tmp_path: Path) -> None:
    """026's G7 says "Queued after G6" in its File column, and its queues' headings say "starts
    after P6": G7 started with G6 (as Notes the same words made it wait). A run named in any
    free-text cell or the section's heading is waited for; a word that is no run is not."""
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text("# Plan\n")
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| ID | Experiment | Status | Key Result | File |\n|---|---|---|---|---|\n"
        "| R1 | a | TODO | — | out/r1 |\n"
        "| R2 | b | TODO | — | Queued after R1 |\n"
        "| R3 | c | TODO | +3pp after A2 | out/r3 |\n\n"
        "### GPU 1 Queue (`queue.sh` — starts after R2)\n"
        "| ID | Experiment | Status | Priority |\n|---|---|---|---|\n"
        "| R4 | d | TODO | HIGH |\n"
        "| R5 | e | TODO | after R4 |\n"
        # bridge's own recorded status read back: no wait of the row's.
        "| R6 | f | TODO (waits for R1, which bridge does not run: it runs once R1 is done) | |\n"
    )
    project = load_project(tmp_path)
    waits = {r.id: r.depends_on for r in project.runs}
    assert waits == {
        "R1": (),
        "R2": ("R1",),
        "R3": (),
        "R4": ("R2",),
        "R5": ("R4",),
        "R6": ("R2",),
    }
    assert not [w for w in project.warnings if "waits for" in w.message]


@needs_shared
def test_026_queued_rows_wait_for_what_their_cells_and_headings_name(tmp_path: Path) -> None:
    """026: G7 "Queued after G6" (File column); "GPU 1 Queue (… — starts after P6)" holds E1-E6,
    "GPU 0 Queue (… — starts after G6)" E7-E10. No other corpus plan's `bridge plan` changed."""
    waits = {r.id: r.depends_on for r in load_project(as_project("026", tmp_path)).runs}
    assert waits["G7"] == ("G6",)
    assert {waits[r] for r in ("E1", "E2", "E3", "E4", "E4b", "E5", "E6")} == {("P6",)}
    assert {waits[r] for r in ("E7", "E8", "E9", "E10")} == {("G6",)}
    assert waits["P6"] == waits["G6"] == waits["G1"] == ()


def test_chinese_waits_for_a_row_are_waits_not_conditions(tmp_path: Path) -> None:
    """A 备注 naming a tracker row to wait for (`在 R001 之后运行`, `R001 完成后再运行`) was not
    read, and `等 R001 完成后再跑`, `仅在 R001 之后才运行` and `等待 R001` were warned about as a
    condition bridge cannot check although bridge waits for R001: each now waits for R001 and
    none is a condition; `仅当 R001 的 gate 通过后运行` says more than a wait, and still is one."""
    from bridge.projections.plan_words import warning_in_language

    notes = {
        "R002": "在 R001 之后运行",
        "R003": "R001 完成后再运行",
        "R004": "等 R001 完成后再跑",
        "R005": "仅在 R001 之后才运行",
        "R006": "等待 R001",
        "R007": "仅当 R001 的 gate 通过后运行",
    }
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# 实验计划\n\n## 实验块\n\n### Block 1: 主实验\n- **Compared systems**: a\n",
        encoding="utf-8",
    )
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | Block | System | Status | 备注 |\n|---|---|---|---|---|---|\n"
        "| R001 | M1 | B1 | a | TODO | |\n"
        + "".join(f"| {r} | M1 | B1 | a | TODO | {n} |\n" for r, n in notes.items()),
        encoding="utf-8",
    )
    project = load_project(tmp_path)
    assert {r.id: r.depends_on for r in project.runs} == {
        "R001": (),
        **dict.fromkeys(notes, ("R001",)),
        "R007": (),  # its gate, not the run, is what it waits for
    }
    (condition,) = [w for w in project.warnings if "under a condition" in w.message]
    assert condition.message == (
        "runs whose row says they run only under a condition "
        "(R007: '仅当 R001 的 gate 通过后运行'): bridge cannot check it and runs them as "
        "planned; mark a row NOT RUN — <reason> when its condition does not hold"
    )
    assert warning_in_language(condition.message, "zh").startswith(
        "这些运行的行写明只在某个条件下运行（R007: '仅当 R001 的 gate 通过后运行'）"
    )
