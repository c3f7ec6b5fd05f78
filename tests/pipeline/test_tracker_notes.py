"""
The researcher's Notes in their own tracker survive bridge's writes, on the quickstart run by
`bridge run` with the local backend: the note stays first and whole, and what bridge knows comes
after it, labelled `bridge:` (a note with an earlier run's numbers must not read as what bridge
measured), so what the note says (a seed, the block a run belongs to) is read the same on every
later load, and an unrelated edit of bridge.toml does not move runs out of their blocks.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from bridge.cli import main
from bridge.events import types as ev
from bridge.events.store import SQLiteEventStore
from tests.conftest import REPO_ROOT, needs_shared

NOTE = "seed 0; block B1, also compared in the training-rule block"


def _row(project: Path, run_id: str) -> list[str]:
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    line = next(r for r in tracker.read_text("utf-8").splitlines() if r.startswith(f"| {run_id} "))
    return [cell.strip() for cell in line.strip("|").split("|")]


def _blocks(project: Path) -> dict[str, str]:
    data = json.loads((project / "refine-logs" / "results.json").read_text("utf-8"))
    return {r["run_id"]: r["block"] for r in data["runs"]}


def test_notes_are_kept_and_still_place_the_run(tmp_path: Path) -> None:
    project = tmp_path / "quickstart"
    shutil.copytree(REPO_ROOT / "examples" / "quickstart", project)
    assert _row(project, "R006")[-1] == NOTE  # the block comes from this note
    assert main(["run", "--project", str(project), "--plain"]) == 0
    assert _row(project, "R006")[-1] == f"{NOTE}; bridge: attempt 1 on local#0:cpu; exit 0"
    first = _blocks(project)
    assert first["R006"] == "B1"

    toml = project / "bridge.toml"
    toml.write_text(toml.read_text("utf-8").replace("timeout_minutes = 2", "timeout_minutes = 3"))
    assert main(["run", "--project", str(project), "--plain"]) == 0
    assert _blocks(project) == first
    assert _row(project, "R006")[-1] == f"{NOTE}; bridge: attempt 1 on local#0:cpu; exit 0"
    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        changed = [r.event for r in store.read() if isinstance(r.event, ev.RunSpecChanged)]
    finally:
        store.close()
    assert changed == []  # every run had succeeded: kept as they ran, none re-specified


def test_the_notes_markup_is_kept(tmp_path: Path) -> None:
    """A note with code spans and bold keeps them when bridge writes its part after it, on the
    first write and the next (009's `` `template_macro` placement is implemented``)."""
    project = tmp_path / "quickstart"
    shutil.copytree(REPO_ROOT / "examples" / "quickstart", project)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    marked = "seed 0; block B1, also compared in the `training-rule` block, **as planned**"
    tracker.write_text(tracker.read_text("utf-8").replace(NOTE, marked), "utf-8")
    assert main(["run", "--project", str(project), "--plain"]) == 0
    expected = f"{marked}; bridge: attempt 1 on local#0:cpu; exit 0"
    assert _row(project, "R006")[-1] == expected
    assert _blocks(project)["R006"] == "B1"
    assert main(["run", "--project", str(project), "--plain"]) == 0
    assert _row(project, "R006")[-1] == expected


def _set_notes(project: Path, run_id: str, notes: str) -> None:
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text("utf-8").splitlines()
    at = next(n for n, r in enumerate(lines) if r.startswith(f"| {run_id} "))
    cells = lines[at].split("|")
    cells[-2] = f" {notes} "
    lines[at] = "|".join(cells)
    tracker.write_text("\n".join(lines) + "\n", "utf-8")


def test_what_the_researcher_writes_in_notes_later_is_kept(tmp_path: Path) -> None:
    """After bridge has written a row, a sentence the researcher adds to their note stays at
    the next write, before bridge's labelled part (it used to be replaced by the note as first
    read, the edit left only in a timestamped copy)."""
    project = tmp_path / "quickstart"
    shutil.copytree(REPO_ROOT / "examples" / "quickstart", project)
    assert main(["run", "--project", str(project), "--plain"]) == 0
    ours = "bridge: attempt 1 on local#0:cpu; exit 0"
    assert _row(project, "R006")[-1] == f"{NOTE}; {ours}"
    _set_notes(project, "R006", f"{NOTE} Checked by hand. {ours}")
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text("utf-8").replace("timeout_minutes = 2", "timeout_minutes = 3"))
    assert main(["run", "--project", str(project), "--plain"]) == 0
    # After a sentence, bridge's label follows as a sentence would (it wrote ".; bridge:").
    assert _row(project, "R006")[-1] == f"{NOTE} Checked by hand. {ours}"
    assert _blocks(project)["R006"] == "B1"  # placed as first read


@pytest.mark.parametrize(
    ("cell", "note", "notes", "written"),
    [
        # A row without a note: bridge's part alone, labelled.
        ("", "", "bridge: attempt 1 on local", "bridge: attempt 1 on local"),
        # What an earlier bridge wrote there unlabelled is bridge's, not the researcher's.
        (
            "attempt 1 on local; exit 0",
            "",
            "bridge: attempt 2 on local",
            "bridge: attempt 2 on local",
        ),
        # A note the researcher wrote on such a row later is theirs.
        (
            "checked `twice`; bridge: attempt 1 on local",
            "",
            "bridge: attempt 1 on local",
            "checked `twice`; bridge: attempt 1 on local",
        ),
        # The note as first read, with its markup; a cleared note stays cleared.
        ("**seed 0**", "seed 0", "seed 0; bridge: attempt 1", "**seed 0**; bridge: attempt 1"),
        ("bridge: attempt 1", "seed 0", "seed 0; bridge: attempt 2", "bridge: attempt 2"),
        # A note of the researcher's own that says "bridge:" stays whole.
        (
            "bridge: my own note first; seed 0",
            "bridge: my own note first; seed 0",
            "bridge: my own note first; seed 0; bridge: attempt 1",
            "bridge: my own note first; seed 0; bridge: attempt 1",
        ),
        # Text added after bridge's part is kept, before the label.
        (
            "seed 0; bridge: attempt 1 on local; exit 0; rerun with lr 0.05 later",
            "seed 0",
            "seed 0; bridge: attempt 1 on local; exit 0",
            "seed 0; rerun with lr 0.05 later; bridge: attempt 1 on local; exit 0",
        ),
        # Chinese.
        (
            "种子 0；bridge：第 1 次尝试",
            "种子 0",
            "种子 0；bridge：第 2 次尝试",
            "种子 0；bridge：第 2 次尝试",
        ),
        # A note that ends a sentence: the label follows it as a sentence does, and is read
        # back there (not ".; bridge:").
        (
            "Same as R1.",
            "Same as R1.",
            "Same as R1. bridge: attempt 1",
            "Same as R1. bridge: attempt 1",
        ),
        (
            "Same as R1. bridge: attempt 1",
            "Same as R1.",
            "Same as R1. bridge: attempt 2",
            "Same as R1. bridge: attempt 2",
        ),
        (
            "同上。bridge：第 1 次尝试",
            "同上。",
            "同上。bridge：第 2 次尝试",
            "同上。bridge：第 2 次尝试",
        ),
        # A sentence added after bridge's part that went on from its last word (trial S1 on
        # 009: "Gate before any learned policy.; . Regret numbers …").
        (
            "Gate first. bridge: attempt 1 on local; exit 0. Regret numbers verified.",
            "Gate first.",
            "Gate first. bridge: attempt 1 on local; exit 0",
            "Gate first. Regret numbers verified. bridge: attempt 1 on local; exit 0",
        ),
        # A run whose numbers were not trusted, run again: the mark is bridge's, the
        # sentence after it the researcher's.
        (
            "Gate first. bridge: attempt 1 on local; exit 0; ⚠ non_finite: accuracy; Seen.",
            "Gate first.",
            "Gate first. bridge: attempt 2 on local; exit 0",
            "Gate first. Seen. bridge: attempt 2 on local; exit 0",
        ),
        # A sentence the researcher added after bridge's first write, then bridge's part.
        (
            "seed 0; bridge: attempt 1; Checked by hand.",
            "seed 0",
            "seed 0; bridge: attempt 1",
            "seed 0; Checked by hand. bridge: attempt 1",
        ),
    ],
)
def test_the_notes_cell_bridge_writes(cell: str, note: str, notes: str, written: str) -> None:
    """The researcher's part is read from the cell, before bridge's label; bridge's follows."""
    from bridge.projections.tracker_layout import _with_markup

    assert _with_markup(cell, note, notes) == written


def test_bridges_label_after_a_sentence_marks_the_run_as_bridges() -> None:
    """The tracker reader finds bridge's label after a note that ends a sentence, as it does
    after "; ", and not inside a word."""
    from bridge.plan.runs import ran_by_bridge

    assert ran_by_bridge("Same as R1. bridge: attempt 1 on local")
    assert ran_by_bridge("同上。bridge：第 1 次尝试")
    assert ran_by_bridge("seed 0; bridge: attempt 1")
    assert not ran_by_bridge("see the bridge: config notes")
    assert not ran_by_bridge("Same as R1.")


def test_the_tracker_joins_a_sentence_note_without_a_semicolon(tmp_path: Path) -> None:
    """A run whose tracker note ends with "." gets bridge's part after a space, and keeps that
    cell across runs of bridge."""
    from bridge.pipeline import Bridge
    from tests.pipeline.conftest import Run, write_project

    project = write_project(
        tmp_path / "p", [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")]
    )
    _set_notes(project, "R1", "Same setup as S1.")
    # The note no longer says the seed: the one its block writes (seed 0) is bridge's to say.
    written = "Same setup as S1. bridge: seed 0; attempt 1 on local#0:cpu; exit 0"
    Bridge(project).run()
    assert _row(project, "R1")[-1] == written
    Bridge(project).run()
    assert _row(project, "R1")[-1] == written


def test_a_seed_the_cell_no_longer_says_is_bridges_to_say() -> None:
    """The note said "seed 1" and the researcher wrote "seed 7": the run used seed 1, so
    bridge's part says it (the row must not show a seed the run did not use)."""
    from bridge.projections.tracker_layout import _with_markup

    written = _with_markup("seed 7; bridge: attempt 1", "seed 1", "seed 1; bridge: attempt 1", 1)
    assert written == "seed 7; bridge: seed 1; attempt 1"


def test_a_failure_says_its_exit_code_once(tmp_path: Path) -> None:
    """A failed run's Notes: the attempt, then the failure as read ("exit 1: ValueError …"),
    not the exit code twice ("exit 1; exit 1: …")."""
    from bridge.pipeline import Bridge
    from tests.pipeline.conftest import Run, write_project

    project = write_project(
        tmp_path / "p", [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1", mode="fail")]
    )
    Bridge(project).run()
    notes = _row(project, "R1")[-1]
    assert notes == (
        "seed 0; bridge: attempt 1 on local#0:cpu; exit 1: ValueError: the loss went the wrong way"
    )


def test_a_note_after_bridges_part_survives_a_new_attempt(tmp_path: Path) -> None:
    """The researcher writes after bridge's part of a failed run's Notes ("lr too high?") and
    runs `bridge retry`; bridge's part then changes (attempt 2, another failure). The note is
    kept, moved before bridge's label. It was lost twice over: the retry rewrote the tracker
    from the layout recorded before the edit, and a changed part of bridge's dropped what
    followed it."""
    from bridge import Bridge, Stage
    from tests.pipeline.conftest import Run, write_project

    project = write_project(
        tmp_path / "p", [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1", mode="fail")]
    )
    bridge = Bridge(project)
    try:
        bridge.run()
    finally:
        bridge.close()
    before = _row(project, "R1")[-1]
    assert before.startswith("seed 0; bridge: attempt 1 on ") and "ValueError" in before
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(tracker.read_text("utf-8").replace(before, f"{before}; lr too high?"))
    bridge = Bridge(project)
    try:
        bridge.retry("R1")  # takes the edited tracker in first
        assert "lr too high?" in _row(project, "R1")[-1]
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    after = _row(project, "R1")[-1]
    assert after.startswith("seed 0; lr too high? bridge: attempt 2 on "), after
    assert after.count("lr too high?") == 1


@pytest.mark.parametrize(
    ("cell", "notes", "former", "written"),
    [
        # The earlier part ended in a failure reason: skipped, the note after it kept.
        (
            "seed 0; bridge: attempt 1 on local; exit 1: ValueError: a; b; rerun with lr 0.05",
            "seed 0; bridge: attempt 2 on local",
            {"exit 1: ValueError: a; b"},
            "seed 0; rerun with lr 0.05; bridge: attempt 2 on local",
        ),
        # Nothing written after it: nothing kept.
        (
            "seed 0; bridge: attempt 1 on local; exit 1: ValueError: a; OVERDUE",
            "seed 0; bridge: attempt 2 on local",
            {"exit 1: ValueError: a"},
            "seed 0; bridge: attempt 2 on local",
        ),
        # Chinese.
        (
            "种子 0；bridge：第 1 次尝试，local；退出码 1；再试一次",
            "种子 0；bridge：第 2 次尝试，local",
            set(),
            "种子 0；再试一次；bridge：第 2 次尝试，local",
        ),
        # A kept note whose mark is gone (its changes hold "; " and brackets): bridge's.
        (
            "seed 0; bridge: attempt 1 on local; exit 0; numbers from earlier settings and code"
            " (params: a=1 → a=2; code: as run → train.py edited (x)), `bridge retry --force R1`"
            " runs it with the current ones; Checked.",
            "seed 0; bridge: attempt 1 on local; exit 0",
            set(),
            "seed 0; Checked. bridge: attempt 1 on local; exit 0",
        ),
        (
            "种子 0；bridge：第 1 次尝试，local；退出码 0；"
            "数值来自旧设置（command: … 0.1 … → … 0.2 …），"
            "`bridge retry --force R1` 会用当前版本重新运行",
            "种子 0；bridge：第 1 次尝试，local；退出码 0",
            set(),
            "种子 0；bridge：第 1 次尝试，local；退出码 0",
        ),
        # 005's R012 and R010 after a tracker edit: what an earlier render measured (its Key
        # Metric cell, brackets holding "; " too) and "recorded no metric value" are bridge's,
        # not moved before the label beside the new ones.
        (
            "seed 0; bridge: attempt 1 on local; exit 0; measured median = 0.57 (the plan's "
            "primary metric per-clip exported J-drop paired not recorded)",
            "seed 0; bridge: attempt 1 on local; exit 0; measured J_drop = 0.58",
            set(),
            "seed 0; bridge: attempt 1 on local; exit 0; measured J_drop = 0.58",
        ),
        (
            "seed 0; bridge: attempt 1 on local; exit 0; measured J_drop = 0.6 (+1 more; the "
            "plan's primary metric d_mem(t) not recorded); Checked.",
            "seed 0; bridge: attempt 2 on local; exit 0",
            set(),
            "seed 0; Checked. bridge: attempt 2 on local; exit 0",
        ),
        (
            "seed 0; bridge: attempt 1 on local; exit 0; recorded no metric value",
            "seed 0; bridge: attempt 1 on local; exit 0; recorded no metric value; numbers from "
            "earlier code (code: as run → fake.py edited), `bridge retry --force R010` runs it "
            "with the current ones",
            set(),
            "seed 0; bridge: attempt 1 on local; exit 0; recorded no metric value; numbers from "
            "earlier code (code: as run → fake.py edited), `bridge retry --force R010` runs it "
            "with the current ones",
        ),
        # 006's R010 failed, then set to NOT RUN: bridge now says "exit 1" alone, the start of
        # its earlier "exit 1: Traceback: …", whose tail read as the researcher's note
        # ("…; : Traceback: boom, …; bridge: attempt 1 …", trial h43F).
        (
            "seed 0; bridge: attempt 1 on local#3:cpu; exit 1: Traceback: boom, robustness "
            "table failed",
            "seed 0; bridge: attempt 1 on local#3:cpu; exit 1",
            {"exit 1: Traceback: boom, robustness table failed"},
            "seed 0; bridge: attempt 1 on local#3:cpu; exit 1",
        ),
        (
            "种子 0；bridge：第 1 次尝试，local；退出码 0；没有记录任何指标数值；"
            "测得 准确率 = 0.5（计划的主指标 x(t) 未记录）",
            "种子 0；bridge：第 2 次尝试，local；退出码 0",
            set(),
            "种子 0；bridge：第 2 次尝试，local；退出码 0",
        ),
    ],
)
def test_a_note_after_an_earlier_part_of_bridges(
    cell: str, notes: str, former: set[str], written: str
) -> None:
    """Bridge's part as an earlier render wrote it (seed, attempt, exit code, OVERDUE, the
    reasons the run was given) is skipped; what follows is the researcher's."""
    from bridge.projections.tracker_layout import _with_markup

    note = "种子 0" if cell.startswith("种子") else "seed 0"
    assert _with_markup(cell, note, notes, None, former) == written


@needs_shared
def test_a_run_whose_numbers_are_not_trusted_is_marked_in_the_tracker(tmp_path: Path) -> None:
    """001 with R003 writing `accuracy: NaN`: the results said `DONE ⚠ non_finite`, while its
    tracker row read `| DONE | … bridge: attempt 1 on local#1:cpu; exit 0 |`, as clean as any.
    Bridge's part of the Notes carries the same mark now, and so does its Status (a plain DONE
    read as a clean success: 027's R-A4, trial T7); the researcher's Notes stay as they were,
    and a run without a blocking finding gets no mark."""
    from tests.plan.corpus import as_project

    project = as_project("001", tmp_path / "p")
    (project / "job.py").write_text(
        "import json, pathlib, sys\n"
        "value = float('nan') if sys.argv[1] == 'R003' else 0.6\n"
        "pathlib.Path(sys.argv[2], 'metrics.json').write_text("
        "json.dumps({'accuracy': value, 'loss': 0.4}))\n",
        encoding="utf-8",
    )
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 2\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", "{{run_id}}", "{{output_dir}}"]\n\n'
        '[metrics]\nfiles = ["metrics.json"]\n',
        encoding="utf-8",
    )
    assert main(["run", "--project", str(project), "--plain"]) == 0
    r003 = _row(project, "R003")
    assert r003[7] == "DONE ⚠ non_finite"
    assert _row(project, "R002")[7] == "DONE"
    assert r003[-1].startswith("Re-run if prior run used different rank; bridge: ")
    assert r003[-1].endswith("; exit 0; ⚠ non_finite: accuracy"), r003
    assert "⚠" not in _row(project, "R002")[-1]
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text("utf-8")
    assert "| DONE ⚠ non_finite |" in results
