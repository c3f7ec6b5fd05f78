"""
The ids of the runs proposed from a plan: by position on the first read, then the ids the log
gave them (015, trial t8: seeds given to B6 renumbered every later run).
"""

from __future__ import annotations

from pathlib import Path

from bridge.plan.project import load_project
from bridge.plan.runs import PROPOSED, ProposedBefore, proposed_ids
from tests.conftest import needs_shared
from tests.plan.corpus import as_project


def _before(*runs: tuple[str, str, int | None]) -> list[ProposedBefore]:
    return [
        ProposedBefore(run_id=f"R{n:03d}", block=block, system=system, seed=seed)
        for n, (block, system, seed) in enumerate(runs, 1)
    ]


def test_first_read_numbers_by_position() -> None:
    assert proposed_ids([("B0", "", None), ("B1", "A", 0), ("B1", "A", 1)]) == [
        "R001",
        "R002",
        "R003",
    ]


def test_a_block_inserted_gives_new_ids_after_the_earlier_ones() -> None:
    """B1 inserted between B0 and B2: B2 keeps R002, B1 is R003, never a renumbering."""
    before = _before(("B0", "", None), ("B2", "", None))
    assert proposed_ids([("B0", "", None), ("B1", "", None), ("B2", "", None)], before) == [
        "R001",
        "R003",
        "R002",
    ]


def test_an_id_of_a_run_taken_out_is_not_given_again() -> None:
    """B1 taken out and B3 added: B3 takes R004, not B1's R002 (its results are B1's)."""
    before = _before(("B0", "", None), ("B1", "", None), ("B2", "", None))
    assert proposed_ids([("B0", "", None), ("B2", "", None), ("B3", "", None)], before) == [
        "R001",
        "R003",
        "R004",
    ]


def test_seeds_stated_later_keep_the_unseeded_run_as_the_first() -> None:
    """015's B6 given `Seeds: 0, 1, 2`: its run (R002 here) is seed 0, seeds 1 and 2 new."""
    before = _before(("B5", "", None), ("B6", "", None), ("B7", "", None))
    runs = [("B5", "", None), ("B6", "", 0), ("B6", "", 1), ("B6", "", 2), ("B7", "", None)]
    assert proposed_ids(runs, before) == ["R001", "R002", "R004", "R005", "R003"]


def test_a_renamed_system_keeps_its_runs_ids() -> None:
    """Review r33: "Method" renamed "Our method" launched a new run R003, and R002 stayed counted
    under a name the plan no longer has. One system gone and one new in a block: the new one is
    the old one renamed, and each of its seeds keeps the earlier run's id."""
    before = _before(("B1", "Baseline", 0), ("B1", "Method", 0), ("B1", "Method", 1))
    runs = [("B1", "Baseline", 0), ("B1", "Our method", 0), ("B1", "Our method", 1)]
    assert proposed_ids(runs, before) == ["R001", "R002", "R003"]
    # A name a newer bridge reads differently (`**Method-X** — our approach`) is the same.
    before = _before(("B1", "Baseline", None), ("B1", "**Method-X** — our approach", None))
    assert proposed_ids([("B1", "Baseline", None), ("B1", "Method-X", None)], before) == [
        "R001",
        "R002",
    ]


def test_a_seed_added_after_a_rename_leaves_the_renamed_runs_their_ids() -> None:
    """033 (trial t11): E5's proposed system renamed (R008-R010 kept as they ran, under the old
    name in the log), then a fourth seed added (R013, the new name): at the next read R008-R010
    were set aside as "no longer proposed" and R014-R016 proposed for the same seeds."""
    before = _before(
        ("E5", "Base", 0),
        ("E5", "Old", 0),
        ("E5", "Old", 1),
        ("E5", "Base", 1),
        ("E5", "New", 3),
    )
    runs = [("E5", "Base", 0), ("E5", "Base", 1), *(("E5", "New", k) for k in range(4))]
    assert proposed_ids(runs, before) == ["R001", "R004", "R002", "R003", "R006", "R005"]


def test_a_seed_added_to_every_system_after_a_rename_keeps_the_renamed_runs() -> None:
    """033 (trial t11, on the real plan): E5's proposed system renamed (R006-R007 kept under the
    old name), then a seed added to both systems: the baseline's new seed made it look like a
    second new system, nothing was paired, and the renamed runs were set aside as "no longer
    proposed"."""
    before = _before(
        ("E5", "Base", 0),
        ("E5", "Base", 1),
        ("E5", "Old", 0),
        ("E5", "Old", 1),
    )
    runs = [*(("E5", "Base", k) for k in range(3)), *(("E5", "New", k) for k in range(3))]
    assert proposed_ids(runs, before) == ["R001", "R002", "R005", "R003", "R004", "R006"]


def test_which_system_became_which_is_not_guessed() -> None:
    """Two systems gone and one new, or a new seed of the renamed one: only what pairs one to
    one keeps an id; the rest are new runs."""
    before = _before(("B1", "A", 0), ("B1", "B", 0), ("B1", "C", 0))
    assert proposed_ids([("B1", "A", 0), ("B1", "D", 0)], before) == ["R001", "R004"]
    before = _before(("B1", "A", 0), ("B1", "B", 0))
    assert proposed_ids([("B1", "A", 0), ("B1", "E", 0), ("B1", "E", 1)], before) == [
        "R001",
        "R002",
        "R003",
    ]
    # Another block's system is never taken.
    before = _before(("B1", "A", 0), ("B2", "B", 0))
    assert proposed_ids([("B1", "A", 0), ("B2", "F", 0), ("B3", "B", 0)], before) == [
        "R001",
        "R002",
        "R003",
    ]


def test_systems_are_runs_of_their_own() -> None:
    """A block's second system is another run, even where one of them states no seed."""
    before = _before(("B1", "TACE", None), ("B1", "random", None))
    runs = [("B1", "random", None), ("B1", "TACE", None)]
    assert proposed_ids(runs, before) == ["R002", "R001"]


@needs_shared
def test_015_b6_given_seeds_keeps_every_other_id(tmp_path: Path) -> None:
    """015 (plan:73-80, no run table in its tracker): with the log's ten proposed runs, B6's
    seeds 1 and 2 are R011 and R012, and R007-R010 stay B5, B7, B8 and B9."""
    project = as_project("015", tmp_path / "p")
    first = load_project(project).runs
    before = [
        ProposedBefore(run_id=r.id, block=r.block, system=r.block_system, seed=r.seed)
        for r in first
        if r.source == PROPOSED
    ]
    assert [(b.run_id, b.block) for b in before][6:] == [
        ("R007", "B5"),
        ("R008", "B7"),
        ("R009", "B8"),
        ("R010", "B9"),
    ]
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    criterion = "- **Success criterion (predeclared)**: median gap ≤ 3% at 16×4"
    assert text.count(criterion) == 1
    at = text.index("\n", text.index(criterion)) + 1
    plan.write_text(text[:at] + "- **Seeds**: 0, 1, 2\n" + text[at:], encoding="utf-8")
    runs = load_project(project, proposed_before=before).runs
    assert {r.id: (r.block, r.seed) for r in runs} == {
        **{b.run_id: (b.block, b.seed) for b in before},
        "R006": ("B6", 0),
        "R011": ("B6", 1),
        "R012": ("B6", 2),
    }


@needs_shared
def test_033_a_runs_entry_keeps_naming_the_run_it_was_written_for(tmp_path: Path) -> None:
    """033 (no run table): `[[runs]] id = "R017"` names E5's LGGSN+ORFN seed 2. With the
    log's ids, E5 at 11 seeds keeps R017 that run (the entry's proposal was numbered by
    position, and R017 became seed 1: trial t10); cut to 2 seeds, R017 is proposed no more,
    and the entry is said to apply to no run, instead of becoming the project's one run."""
    project = as_project("033", tmp_path / "p")
    (project / "bridge.toml").write_text(
        '[run]\ncommand = "python3 job.py --seed {seed}"\nargs = { seed = "0" }\n\n'
        '[[runs]]\nid = "R017"\nenv = { FIXED = "1" }\n',
        encoding="utf-8",
    )
    first = load_project(project).runs
    before = [
        ProposedBefore(run_id=r.id, block=r.block, system=r.block_system, seed=r.seed)
        for r in first
        if r.source == PROPOSED
    ]
    ours = "SO-ARM + LGGSN+ORFN (sim-trained, zero-shot)"
    assert [(b.block, b.system, b.seed) for b in before if b.run_id == "R017"] == [("E5", ours, 2)]
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    seeds = "- Seeds: 10 per object = 30 trials total"
    assert text.count(seeds) == 1
    plan.write_text(text.replace(seeds, "- Seeds: 11 per object = 33 trials total"), "utf-8")
    runs = {r.id: r for r in load_project(project, proposed_before=before).runs}
    assert {b.run_id: (b.block, b.system, b.seed) for b in before} == {
        run_id: (runs[run_id].block, runs[run_id].block_system, runs[run_id].seed)
        for run_id in runs
        if run_id in {b.run_id for b in before}
    }
    assert (runs["R017"].seed, dict(runs["R017"].env)) == (2, {"FIXED": "1"})

    plan.write_text(text.replace(seeds, "- Seeds: 2 per object = 6 trials total"), "utf-8")
    cut = load_project(project, proposed_before=before)
    assert "R017" not in cut.run_ids
    assert [r.id for r in cut.runs if r.block == "E5"] == ["R005", "R006", "R015", "R016"]
    assert any(
        w.message.startswith(
            "[[runs]] R017 names a run the plan no longer proposes (block E5, seed 2): the "
            "entry applies to no run"
        )
        for w in cut.warnings
    ), [w.message for w in cut.warnings]


_E6_ROWS = """\
## Ablation runs (real robot, Exp 6)

| Run ID | Block | System | Seed | Status | Notes |
|---|---|---|---|---|---|
| A-YAW | E6 | ORFN-yaw only | 0 | TODO | 5 trials Scissors |
| A-H | E6 | ORFN-H only | 0 | TODO | 5 trials Scissors |

"""


@needs_shared
def test_033_rows_for_one_block_keep_the_other_blocks_proposed_runs(tmp_path: Path) -> None:
    """033's tracker given a table for E6 alone, before any run (as bridge's warning on E6's
    ablation table advises): its 3 runs were all the plan had, E1-E5's 24 proposed runs gone.
    Now the rows take E6's place, and every other block keeps its runs and ids."""
    project = as_project("033", tmp_path / "p")
    alone = {r.id: (r.block, r.source) for r in load_project(project).runs}
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    tracker.write_text(text.replace("## Week 4", _E6_ROWS + "## Week 4", 1), encoding="utf-8")
    loaded = load_project(project)
    runs = {r.id: (r.block, r.source) for r in loaded.runs}
    assert runs == {
        **{run_id: said for run_id, said in alone.items() if said[0] != "E6"},
        "A-YAW": ("E6", "tracker"),
        "A-H": ("E6", "tracker"),
    }
    assert len(runs) == 26
    assert loaded.needs_confirmation  # the proposed runs still wait for `bridge approve`
    assert any(
        w.message.startswith(
            "the tracker's run rows name block E6 only: blocks E1, E2, E3, E4 and E5 keep the "
            "runs proposed from the plan (24 runs)"
        )
        for w in loaded.warnings
    )


@needs_shared
def test_006_rows_numbered_as_proposed_runs_are_all_its_runs(tmp_path: Path) -> None:
    """006's "Remaining Runs" R001-R010 name B5, B6 and B8 (its other blocks frozen as done):
    its ids are the ones bridge would give proposed runs, so the table is the whole run list."""
    runs = load_project(as_project("006", tmp_path / "p")).runs
    assert [r.id for r in runs if r.source == "tracker"] == [f"R{n:03d}" for n in range(1, 11)]
    assert all(r.source == "tracker" for r in runs)
