"""
Changing the inputs after bridge started: the plan is recorded again, added runs run, and a
fixed configuration unblocks the pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from bridge import Bridge, Stage
from bridge.cli import main
from bridge.errors import InputError
from bridge.events import types as ev
from bridge.events.store import SQLiteEventStore
from bridge.machine.ports import JobSpec
from bridge.machine.stages import RunState
from bridge.machine.views import RunView
from bridge.testing import FakeBackend, FakeOutcome
from tests.e2e.tiny import write_project


def _run(project: Path) -> Stage:
    bridge = Bridge(project)
    try:
        return bridge.run()
    finally:
        bridge.close()


def _collected_run(project: Path, run_id: str) -> RunView:
    """``bridge run`` to COLLECTED (asserted), then ``run_id``'s view."""
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        return bridge.status().runs[run_id]
    finally:
        bridge.close()


class TestReload:
    def test_fixed_command_unblocks_without_approve(self, tmp_path: Path) -> None:
        """A typo'd script blocks; after fixing bridge.toml one run reaches COLLECTED (the
        changed input is the signal; no approve)."""
        project = write_project(tmp_path / "p")
        toml = project / "bridge.toml"
        toml.write_text(toml.read_text().replace("python3 train.py", "python3 trian.py"))
        assert _run(project) is Stage.BLOCKED
        toml.write_text(toml.read_text().replace("python3 trian.py", "python3 train.py"))
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.plan is not None and "bridge.toml" in state.plan.inputs
        assert all(r.state is RunState.SUCCEEDED for r in state.runs.values())
        assert all("train.py" in r.spec.command[1] for r in state.runs.values())

    def test_a_tracker_row_added_after_collection_runs(self, tmp_path: Path) -> None:
        """A row added to the run table of the tracker bridge wrote is planned and run; the
        edit is kept."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        lines = tracker.read_text().split("\n")
        last_row = max(n for n, line in enumerate(lines) if line.startswith("| R00"))
        lines.insert(
            last_row + 1, "| R004 | M1 | main | Method | test | accuracy | MUST | TODO | seed 1 |"
        )
        tracker.write_text("\n".join(lines))
        assert _run(project) is Stage.COLLECTED
        bridge = Bridge(project)
        try:
            state = bridge.status()
        finally:
            bridge.close()
        assert state.runs["R004"].state is RunState.SUCCEEDED
        assert len(state.runs["R002"].attempts) == 1  # nothing else ran again
        store = SQLiteEventStore(project / ".bridge" / "events.db")
        try:
            reasons = [
                r.event.reason
                for r in store.read()
                if isinstance(r.event, ev.StageEntered) and r.event.trigger == "redeploy"
            ]
        finally:
            store.close()
        assert reasons == ["1 run added to the plan: R004"]
        # The edit is kept in the tracker itself, filled in: read whole, it needs no copy.
        row = next(line for line in tracker.read_text().split("\n") if line.startswith("| R004 |"))
        assert row.startswith(
            "| R004 | M1 | main | Method | test | accuracy | MUST | DONE | seed 1"
        )
        assert not (project / "refine-logs" / "EXPERIMENT_TRACKER.edited.md").exists()
        assert "| R004 |" in tracker.read_text()

    def test_unchanged_inputs_record_nothing_new(self, tmp_path: Path) -> None:
        """Running again on unchanged inputs (bridge's own tracker included) loads no plan."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        bridge = Bridge(project)
        try:
            before = bridge.status().events
            assert bridge.run() is Stage.COLLECTED
            after = bridge.status().events
        finally:
            bridge.close()
        assert after == before

    def test_an_edited_script_of_succeeded_runs_is_answered(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Editing the code the runs ran, after they succeeded, was taken in silence: results
        made with other code still read "ready". Now `bridge run` names the runs and the file,
        runs nothing again by itself, and the retry it names runs them with the new code: for
        one edit shared by them all `--changed`, which runs every run marked kept as it ran
        (trial: it named twenty ids, and `--changed` refused an edit of code)."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        capsys.readouterr()
        script = project / "train.py"
        script.write_text(script.read_text() + "\n# tuned after the runs\n")
        assert main(["run", "--plain", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        said = [line for line in out.splitlines() if "succeeded before" in line]
        assert len(said) == 1, out
        assert said[0].startswith("R001, R002, R003 succeeded before their code was edited ")
        assert "(code: as run → train.py edited): kept as they ran" in said[0]
        assert "`bridge retry --changed` runs them with the current code." in said[0]
        assert " started " not in out
        # The next step names that retry too: it ignored it (009's R003, trial t17 F11).
        step = next(line for line in out.splitlines() if line.startswith("Next step:"))
        assert step == (
            "Next step: The main result is positive, but on numbers the current inputs no longer "
            "give. R001, R002, R003 ran with earlier code, changed since: `bridge retry --changed` "
            "and `bridge run` run them with the current code, and B1 is judged again from the new "
            "numbers."
        ), step
        # Still ready (keeping them is the researcher's choice), but not a bare YES beside
        # that next step (trial h39D F16), in the summary and the results alike.
        ready = "Ready for the review loop: YES, on numbers from earlier code: R001, R002, R003."
        assert ready in out.splitlines(), out
        results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
        assert (
            "- **Ready for the review loop:** YES, on numbers from earlier code: R001, R002, R003"
            in results.splitlines()
        )
        # `bridge status` marks them too, as the results and the tracker do.
        assert main(["status", "--project", str(project)]) == 0
        shown = [line for line in capsys.readouterr().out.splitlines() if line.startswith("R00")]
        assert len(shown) == 3, shown
        assert all("numbers from earlier cod" in line for line in shown), shown  # 80 columns
        assert main(["status", "--json", "--project", str(project)]) == 0
        runs = json.loads(capsys.readouterr().out)["runs"]
        assert [r["kept_as_ran"][0]["new"] for r in runs] == ["train.py edited"] * 3
        assert main(["retry", "--changed", "--project", str(project)]) == 0
        assert "will run again: R001, R002, R003" in capsys.readouterr().out
        assert main(["run", "--plain", "--project", str(project)]) == 0
        bridge = Bridge(project)
        try:
            runs = bridge.status().runs
            assert [len(runs[r].attempts) for r in ("R001", "R002", "R003")] == [2, 2, 2]
        finally:
            bridge.close()

    def test_a_file_added_beside_the_script_is_no_news_about_the_runs(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A new helper next to train.py is no code the runs ran: nothing is said of them (it
        was called an edit of their code, and pointed at a retry of every run)."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        capsys.readouterr()
        (project / "helper.py").write_text("VALUE = 1\n")
        assert main(["run", "--plain", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        assert "succeeded before" not in out and " started " not in out, out

    def test_a_status_edit_on_a_row_bridge_ran_is_answered(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Setting a succeeded run's Status back to TODO in the tracker was reverted to DONE in
        silence; `bridge run` now names it, keeps what the run measured, and gives the retry."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        capsys.readouterr()
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        lines = tracker.read_text().splitlines()
        at = next(n for n, line in enumerate(lines) if line.startswith("| R002 "))
        lines[at] = lines[at].replace("| DONE |", "| TODO |")
        tracker.write_text("\n".join(lines) + "\n")
        assert main(["run", "--plain", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        said = [line for line in out.splitlines() if "tracker's Status" in line]
        assert said == [
            "R002 succeeded, and the tracker's Status now says TODO: bridge keeps its result and "
            "writes its done status back; `bridge retry --force R002` runs it again."
        ], out
        assert " started " not in out and "settings changed" not in out

    def test_todo_bridge_wrote_for_a_retry_saved_back_is_no_request(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An editor that had the tracker open while R002's retry waited (bridge wrote TODO
        there) saves it after the retry succeeded: that TODO is bridge's stale word, as RUNNING
        saved back is, not the researcher's (018's JPH-B2-PO-S0, trial t12: "succeeded, and the
        tracker's Status now says TODO" for a row they never touched)."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        assert main(["retry", "--force", "R002", "--project", str(project)]) == 0
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        opened = tracker.read_text()
        assert next(line for line in opened.splitlines() if line.startswith("| R002 ")).count(
            "| TODO |"
        ), opened
        assert main(["run", "--plain", "--project", str(project)]) == 0
        assert "| R002 " in tracker.read_text() and tracker.read_text() != opened
        tracker.write_text(opened)  # the editor saves what it had open
        capsys.readouterr()
        assert main(["run", "--plain", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        assert "tracker's Status" not in out, out
        row = next(line for line in tracker.read_text().splitlines() if line.startswith("| R002 "))
        assert "| DONE |" in row, row

    def test_todo_bridge_wrote_for_a_retry_saved_back_runs_nothing_again(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The same save after the retry failed: bridge's TODO of the queued retry is no
        request to run R002 a third time (it was read as the researcher's "run it again")."""
        project = write_project(tmp_path / "p")
        toml = project / "bridge.toml"
        toml.write_text(
            toml.read_text().replace('args = { model = "baseline" }', 'args = { model = "broken" }')
        )
        _run(project)
        assert main(["retry", "R002", "--project", str(project)]) == 0
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        opened = tracker.read_text()
        assert next(line for line in opened.splitlines() if line.startswith("| R002 ")).count(
            "| TODO |"
        ), opened
        main(["run", "--plain", "--project", str(project)])
        tracker.write_text(opened)  # the editor saves what it had open
        capsys.readouterr()
        main(["run", "--plain", "--project", str(project)])
        bridge = Bridge(project)
        try:
            assert len(bridge.status().runs["R002"].attempts) == 2
        finally:
            bridge.close()

    def test_todo_bridge_wrote_for_a_retry_read_again_saved_back_is_no_request(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The researcher writes a note in the tracker while R002's retry waits, so bridge
        reads the file again with its own TODO on R002's row; their editor, open since, saves
        the file after the retry succeeded: that TODO, labelled bridge's in the Notes, is still
        bridge's stale word, though the file bridge read held it."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        assert main(["retry", "--force", "R002", "--project", str(project)]) == 0
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        opened = tracker.read_text()
        assert "| TODO |" in next(line for line in opened.splitlines() if "| R002 " in line)
        table = opened.index("\n|") + 1
        tracker.write_text(opened[:table] + "My note.\n\n" + opened[table:])
        assert main(["run", "--plain", "--project", str(project)]) == 0
        tracker.write_text(opened[:table] + "My note, longer.\n\n" + opened[table:])
        capsys.readouterr()
        assert main(["run", "--plain", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        assert "tracker's Status" not in out, out

    def test_the_researchers_own_row_restored_is_their_request(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """After a run, the researcher restores R002's row as they wrote it (git checkout, an
        undo): its TODO is their word, not one bridge wrote and an editor saved back. It was
        taken for a stale save-back (bridge's first write held the row as they wrote it), and
        bridge wrote DONE back in silence."""
        project = write_project(tmp_path / "p")
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        theirs = next(
            line for line in tracker.read_text().splitlines() if line.startswith("| R002 ")
        )
        assert "| TODO |" in theirs, theirs
        assert main(["run", "--plain", "--project", str(project)]) == 0
        lines = tracker.read_text().splitlines()
        at = next(n for n, line in enumerate(lines) if line.startswith("| R002 "))
        assert "| DONE |" in lines[at], lines[at]
        lines[at] = theirs
        tracker.write_text("\n".join(lines) + "\n")
        capsys.readouterr()
        assert main(["run", "--plain", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        said = [line for line in out.splitlines() if "tracker's Status" in line]
        assert said == [
            "R002 succeeded, and the tracker's Status now says TODO: bridge keeps its result and "
            "writes its done status back; `bridge retry --force R002` runs it again."
        ], out

    def test_the_researchers_own_row_restored_on_a_failed_run_runs_it_again(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The same restore of R002's row as written after R002 failed: their TODO asks for it
        to run again, and it does (it was read as bridge's stale word and ran nothing)."""
        project = write_project(tmp_path / "p")
        toml = project / "bridge.toml"
        toml.write_text(
            toml.read_text().replace('args = { model = "baseline" }', 'args = { model = "broken" }')
        )
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        theirs = next(
            line for line in tracker.read_text().splitlines() if line.startswith("| R002 ")
        )
        main(["run", "--plain", "--project", str(project)])
        lines = tracker.read_text().splitlines()
        at = next(n for n, line in enumerate(lines) if line.startswith("| R002 "))
        assert "| TODO |" not in lines[at], lines[at]
        lines[at] = theirs
        tracker.write_text("\n".join(lines) + "\n")
        main(["run", "--plain", "--project", str(project)])
        bridge = Bridge(project)
        try:
            assert len(bridge.status().runs["R002"].attempts) == 2
        finally:
            bridge.close()

    def test_a_changed_command_of_succeeded_runs_is_answered(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Editing the command after the runs succeeded runs nothing again (they keep what they
        ran with), and `bridge run` says so, with the change and the retry that applies it,
        instead of printing nothing about the edit; and says it again while it holds (it was
        said once, by the run that found the edit, and never again)."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        toml = project / "bridge.toml"
        toml.write_text(toml.read_text().replace("--lr 0.1", "--lr 0.2"))
        assert main(["run", "--plain", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        said = [
            line for line in out.splitlines() if "succeeded before the settings changed" in line
        ]
        assert len(said) == 1, out
        assert "(command: … 0.1 … → … 0.2 …): kept as they ran" in said[0]
        assert "`bridge retry --changed` runs them with the current settings." in said[0]
        assert " started " not in out  # nothing ran again
        assert main(["run", "--plain", "--project", str(project)]) == 0
        assert said == [
            line
            for line in capsys.readouterr().out.splitlines()
            if "succeeded before the settings changed" in line
        ]
        # The command it names does what it says: those three run again, with the new command.
        assert main(["retry", "--changed", "--project", str(project)]) == 0
        assert "will run again: R001, R002, R003" in capsys.readouterr().out
        assert main(["run", "--plain", "--project", str(project)]) == 0
        bridge = Bridge(project)
        try:
            runs = bridge.status().runs
            assert all("0.2" in runs[r].spec.command for r in ("R001", "R002", "R003"))
            assert [len(runs[r].attempts) for r in ("R001", "R002", "R003")] == [2, 2, 2]
        finally:
            bridge.close()
        assert main(["retry", "--changed", "--project", str(project)]) == 2
        err = capsys.readouterr().err
        assert "no succeeded run's settings or code differ" in err
        # With another selector, nothing changed is no error: the other runs are retried.
        assert main(["retry", "--changed", "--force", "R002", "--project", str(project)]) == 0
        assert "will run again: R002" in capsys.readouterr().out


def test_a_block_or_alias_set_after_the_runs_succeeded_places_them_without_running(
    tmp_path: Path,
) -> None:
    """002: the tracker names R003's system "Our method", which no block compares; its numbers
    counted nowhere. The researcher adds an alias in bridge.toml after the runs succeeded: R003
    is placed in B1 as "Method" (`run.placed`), its one attempt kept, and the criterion judged
    on it. Before, a succeeded run kept its old placement (or, for a block, needed a re-run)."""
    project = write_project(tmp_path / "p")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(tracker.read_text().replace("| main | Method |", "| main | Our method |"))
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text() + '\n[systems."Our method"]\nargs = { model = "method" }\n')
    assert _run(project) is Stage.COLLECTED
    bridge = Bridge(project)
    try:
        before = bridge.status().runs["R003"]
        assert before.spec.block_system != "Method"
    finally:
        bridge.close()
    toml.write_text(toml.read_text() + 'aliases = ["Method"]\n')
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        run = bridge.status().runs["R003"]
        summary = bridge.summary()
        # where it counts is no setting it ran with (nor the {block} value it was given):
        # `retry --changed` has nothing to run, and nothing is "kept as it ran"
        assert "R003" not in bridge.kept_settings
        with pytest.raises(InputError):
            bridge.retry(changed=True)
    finally:
        bridge.close()
    assert (run.spec.block, run.spec.block_system) == ("B1", "Method")
    assert run.spec.aliases == ("Method",)  # by which another block comparing "Method" shares it
    assert run.state is RunState.SUCCEEDED and len(run.attempts) == 1
    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        placed = [r.event for r in store.read() if isinstance(r.event, ev.RunPlaced)]
    finally:
        store.close()
    # R003 moved; R001 (the sanity run of "Method") only learnt its system's other name
    assert sorted((p.run_id, p.block, p.block_system, p.aliases) for p in placed) == [
        ("R001", "B1", "Method", ("Our method",)),
        ("R003", "B1", "Method", ("Method",)),
    ]
    assert "B1 met" in summary


def test_a_placement_that_differs_from_the_inputs_is_recorded_without_an_edit(
    tmp_path: Path,
) -> None:
    """A log an earlier bridge wrote may place a run where the unchanged inputs, read now, do
    not (this round's attribution of 009's runs from the scripts its milestones name): the next
    command records `run.placed` without waiting for an edit, and runs nothing again."""
    project = write_project(tmp_path / "p")
    assert _run(project) is Stage.COLLECTED
    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        version = max(r.version for r in store.read() if r.stream == "run:R003")
        store.append(
            "run:R003",
            [ev.RunPlaced(run_id="R003", block="", attribution="as an earlier bridge read it")],
            version,
        )
    finally:
        store.close()
    run = _collected_run(project, "R003")
    assert run.spec.block == "B1" and len(run.attempts) == 1


def test_a_block_set_for_a_succeeded_run_is_no_setting_it_ran_with(tmp_path: Path) -> None:
    """002: after `[[runs]] block = "B1"` was added for R006, every `bridge run` said it was
    "kept as it ran" (the `{block}` value among its params changed): where a run counts is
    placed, not run again."""
    project = write_project(tmp_path / "p")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(tracker.read_text().replace("| main | Method |", "| main | Our method |"))
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text() + '\n[systems."Our method"]\nargs = { model = "method" }\n')
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(plan.read_text().replace("| M1 | Main |", "| M1 | Second |"))
    assert _run(project) is Stage.COLLECTED  # R003 in no block: no {block} value
    toml.write_text(toml.read_text() + '\n[[runs]]\nid = "R003"\nblock = "B1"\n')
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        assert bridge.status().runs["R003"].spec.block == "B1"
        assert "R003" not in bridge.kept_settings
        with pytest.raises(InputError):
            bridge.retry(changed=True)
    finally:
        bridge.close()


def _kept_marks(project: Path) -> dict[str, list[tuple[ev.SpecChange, ...]]]:
    """Each run's `run.kept_as_ran` records, in log order: its changes each time."""
    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        marks: dict[str, list[tuple[ev.SpecChange, ...]]] = {}
        for r in store.read():
            if isinstance(r.event, ev.RunKeptAsRan):
                marks.setdefault(r.event.run_id, []).append(r.event.changes)
        return marks
    finally:
        store.close()


def _results(project: Path) -> tuple[str, dict[str, Any], str]:
    logs = project / "refine-logs"
    return (
        (logs / "EXPERIMENT_RESULTS.md").read_text(),
        json.loads((logs / "results.json").read_text()),
        (logs / "EXPERIMENT_TRACKER.md").read_text(),
    )


class TestKeptAsRan:
    def test_results_name_the_runs_from_earlier_settings_until_changed_back(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A setting changed after the runs succeeded was said once on the console, and the
        results (results.md, results.json, the tracker) read as if made with it. Now the log
        records it, each file names the runs, what changed and the retry; changing it back
        takes the mark away, recorded too."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        toml = project / "bridge.toml"
        original = toml.read_text()
        toml.write_text(original.replace("--lr 0.1", "--lr 0.2"))
        assert main(["run", "--plain", "--project", str(project)]) == 0
        capsys.readouterr()
        page, data, tracker = _results(project)
        assert (
            "## Numbers from earlier settings or code\n\n"
            "These runs succeeded before their settings or code changed"
        ) in page
        assert (
            "- R001, R002, R003 — numbers from earlier settings (command: … 0.1 … → … 0.2 …); "
            "`bridge retry --force R001 R002 R003` runs them with the current ones."
        ) in page
        assert "| R002 | Baseline | accuracy = 0.5 | DONE ⚠ earlier settings |" in page
        assert "- **Numbers from earlier settings or code:** R001, R002, R003" in page
        runs = {r["run_id"]: r for r in data["runs"]}
        assert runs["R002"]["kept_as_ran"] == {
            "changes": [
                {
                    "field": "command",
                    "old": runs["R002"]["kept_as_ran"]["changes"][0]["old"],
                    "new": runs["R002"]["kept_as_ran"]["changes"][0]["old"].replace("0.1", "0.2"),
                }
            ],
            "retry": "bridge retry --force R002",
        }
        assert data["summary"]["kept_as_ran"] == ["R001", "R002", "R003"]
        row = next(line for line in tracker.splitlines() if line.startswith("| R002 "))
        assert row.endswith(
            "exit 0; numbers from earlier settings (command: … 0.1 … → … 0.2 …), "
            "`bridge retry --force R002` runs it with the current ones |"
        )
        toml.write_text(original)
        assert main(["run", "--plain", "--project", str(project)]) == 0
        assert "succeeded before" not in capsys.readouterr().out
        page, data, tracker = _results(project)
        assert "earlier settings" not in page + tracker
        assert all(r["kept_as_ran"] is None for r in data["runs"])
        assert data["summary"]["kept_as_ran"] == []
        marks = _kept_marks(project)
        assert [len(m) for m in marks["R002"]] == [1, 0]  # marked, then the mark gone

    def test_the_tracker_note_goes_with_the_mark_after_the_tracker_was_edited(
        self, tmp_path: Path
    ) -> None:
        """lr changed (the mark written), a line of the researcher's added to the tracker, lr
        changed back: the mark was gone from results.json, yet every row's Notes still read
        "seed 0; numbers from earlier settings (…), `bridge retry --force R002` runs it …;
        bridge: attempt 1 …", bridge's note taken for the researcher's. Now it goes; their
        line stays."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        toml = project / "bridge.toml"
        original = toml.read_text()
        toml.write_text(original.replace("--lr 0.1", "--lr 0.2"))
        assert main(["run", "--plain", "--project", str(project)]) == 0
        tracker_path = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        assert "numbers from earlier settings" in tracker_path.read_text()
        # Above bridge's section: below it is bridge's.
        marker = "<!-- bridge: everything below"
        text = tracker_path.read_text()
        tracker_path.write_text(text.replace(marker, f"My own remark.\n\n{marker}", 1))
        assert main(["run", "--plain", "--project", str(project)]) == 0
        toml.write_text(original)
        assert main(["run", "--plain", "--project", str(project)]) == 0
        _, data, tracker = _results(project)
        assert data["summary"]["kept_as_ran"] == []
        assert "earlier settings" not in tracker and "My own remark." in tracker
        row = next(line for line in tracker.splitlines() if line.startswith("| R002 "))
        assert row.endswith("| seed 0; bridge: attempt 1 on local#0:cpu; exit 0 |"), row

    def test_settings_that_change_no_number_neither_mark_nor_retry_a_run(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """After `timeout_minutes 5 → 7` `bridge run` named no run kept as it ran, yet `bridge
        retry --changed` ran all three again; and waits or metric names read anew (026's
        waits now read from its tracker) marked every run "numbers from earlier settings
        (depends_on: → …)". Now neither marks nor retries a run: its numbers are the same."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        toml = project / "bridge.toml"
        text = toml.read_text().replace("timeout_minutes = 5", "timeout_minutes = 7")
        toml.write_text(text + '\n[[runs]]\nid = "R003"\ndepends_on = ["R002"]\n')
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        row = "| R003 | M1 | main | Method | test | accuracy |"
        assert row in tracker.read_text()
        tracker.write_text(tracker.read_text().replace(row, row[:-2] + ", loss |"))
        capsys.readouterr()
        assert main(["run", "--plain", "--project", str(project)]) == 0
        assert "kept as they ran" not in capsys.readouterr().out
        assert _results(project)[1]["summary"]["kept_as_ran"] == []
        bridge = Bridge(project)
        try:
            spec = bridge.status().runs["R003"].spec
            assert (spec.timeout_minutes, spec.depends_on, spec.metrics) == (5, (), ("accuracy",))
        finally:
            bridge.close()
        assert main(["retry", "--changed", "--project", str(project)]) == 2
        out, err = capsys.readouterr()
        assert "will run again" not in out
        assert "no succeeded run's settings or code differ from what it ran with" in err

    def test_a_script_edited_then_restored_is_no_code_edit(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An edit of train.py then its revert (byte-identical to what ran) named every run
        "code: as run → train.py edited" again: the revert was compared with the edit, not
        with what ran. Now nothing is said, and the mark goes; an edit on top of an edit stays
        one, against what ran."""
        project = write_project(tmp_path / "p")
        assert _run(project) is Stage.COLLECTED
        script = project / "train.py"
        ran = script.read_bytes()
        script.write_bytes(ran + b"\n# tuned\n")
        assert main(["run", "--plain", "--project", str(project)]) == 0
        assert "(code: as run → train.py edited): kept as they ran" in capsys.readouterr().out
        assert "numbers from earlier code (code: as run → train.py edited)" in _results(project)[0]
        script.write_bytes(ran + b"\n# tuned twice\n")
        assert main(["run", "--plain", "--project", str(project)]) == 0
        assert "(code: as run → train.py edited): kept as they ran" in capsys.readouterr().out
        script.write_bytes(ran)
        assert main(["run", "--plain", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        assert "succeeded before" not in out and " started " not in out, out
        page, data, tracker = _results(project)
        assert "earlier code" not in page + tracker
        assert data["summary"]["kept_as_ran"] == []
        # Marked once (the second edit says the same of them), then unmarked.
        assert [len(m) for m in _kept_marks(project)["R001"]] == [1, 0]

    def test_the_kept_line_stands_after_a_retry_of_the_failed_runs(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A setting of a succeeded run changed, then `bridge retry --failed`: the retry took
        the edit and neither it nor any later `bridge run` said the run was kept as it ran,
        though it still was. Now both say it, as long as it holds."""
        project = write_project(tmp_path / "p")
        toml = project / "bridge.toml"
        toml.write_text(toml.read_text().replace('model = "baseline"', 'model = "nothing"'))
        assert main(["run", "--plain", "--project", str(project)]) == 1  # R002 fails
        bridge = Bridge(project)
        try:
            assert bridge.status().runs["R003"].state is RunState.SUCCEEDED
            assert bridge.status().runs["R002"].state is RunState.FAILED
        finally:
            bridge.close()
        capsys.readouterr()
        toml.write_text(toml.read_text().replace("timeout_minutes = 5", "timeout_minutes = 6"))
        toml.write_text(toml.read_text().replace('model = "method"', 'model = "method", x = "1"'))
        # The time limit changed too, which changes no number: not among the changes.
        kept = (
            "R001, R003 succeeded before the settings changed (params: … system=Method → … "
            "system=Method, x=1): kept as they ran; `bridge retry --changed` runs them with the "
            "current settings."
        )
        assert main(["retry", "--failed", "--project", str(project)]) == 0
        assert kept in capsys.readouterr().out.splitlines()
        main(["run", "--plain", "--project", str(project)])
        assert kept in capsys.readouterr().out.splitlines()

    def test_chinese_results_say_it_in_chinese(self, tmp_path: Path) -> None:
        """A plan written in Chinese reads the mark in Chinese, as the rest of its files."""
        project = write_project(tmp_path / "p", toml_extra='language = "zh"')
        assert _run(project) is Stage.COLLECTED
        toml = project / "bridge.toml"
        toml.write_text(toml.read_text().replace("--lr 0.1", "--lr 0.2"))
        assert _run(project) is Stage.COLLECTED
        page, _, tracker = _results(project)
        assert "## 来自旧设置或旧代码的数值" in page
        assert (
            "- R001, R002, R003 — 数值来自旧设置（command: … 0.1 … → … 0.2 …）；"
            "`bridge retry --force R001 R002 R003` 会用当前版本重新运行。"
        ) in page
        assert "| DONE ⚠ 旧设置 |" in page
        said = "数值来自旧设置（command: … 0.1 … → … 0.2 …），`bridge retry --force R002`"
        assert said in tracker
        # The next step names the retry too, in Chinese (trial t17 F11).
        assert (
            "主要结果为正面，但所依据的数值并非当前输入给出的。R001、R002、R003 的数值来自旧设置："
            "运行 `bridge retry --changed` 和 `bridge run` 用当前版本重新运行，"
            "B1 将按新数值重新判定。"
        ) in page


def test_a_system_label_set_after_a_run_succeeded_is_taken_without_running(
    tmp_path: Path,
) -> None:
    """029: a `[[runs]] system` added for R041 after it ran marked it "kept as it ran (system:
    (unset) → XGBoost …)", and the results kept the old label until a forced re-run, though its
    command never used `{system}`. Now the label is taken at once: the results name the run by
    it, its one attempt stands and nothing is kept as it ran."""
    project = write_project(tmp_path / "p")
    assert _run(project) is Stage.COLLECTED
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text() + '\n[[runs]]\nid = "R003"\nsystem = "Our method"\n')
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        run = bridge.status().runs["R003"]
        assert "R003" not in bridge.kept_settings
        with pytest.raises(InputError):
            bridge.retry(changed=True)
    finally:
        bridge.close()
    assert run.spec.system == "Our method" and run.spec.params["system"] == "Our method"
    assert run.state is RunState.SUCCEEDED and len(run.attempts) == 1
    assert run.kept is None
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert "| R003 | Our method |" in results


def test_a_system_label_the_command_uses_is_kept_as_it_ran(tmp_path: Path) -> None:
    """The counterpart: a command that passes `{system}` ran with the old label, so a new one
    is a setting the run's numbers depend on: kept as it ran, under the label it ran with."""
    project = write_project(tmp_path / "p")
    script = project / "train.py"
    script.write_text(
        script.read_text().replace(
            'p.add_argument("--out")', 'p.add_argument("--out"); p.add_argument("--tag")'
        )
    )
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text().replace("--lr 0.1", "--lr 0.1 --tag {system}"))
    assert _run(project) is Stage.COLLECTED
    toml.write_text(toml.read_text() + '\n[[runs]]\nid = "R003"\nsystem = "Our method"\n')
    run = _collected_run(project, "R003")
    assert run.spec.system == "Method" and len(run.attempts) == 1
    assert run.kept is not None
    assert [c.field for c in run.kept.changes] == ["system", "params"]


def test_a_system_label_that_brings_other_settings_is_kept_as_it_ran(tmp_path: Path) -> None:
    """A new system may bring its own args (a `[systems."Y"]` table): then the run did not run
    as Y runs, and it stays as it ran, its label too, every change named (review: it was
    renamed Y while it ran with the old system's args)."""
    project = write_project(tmp_path / "p")
    assert _run(project) is Stage.COLLECTED
    toml = project / "bridge.toml"
    toml.write_text(
        toml.read_text()
        + '\n[systems."Our method"]\nargs = { model = "ours" }\n'
        + '\n[[runs]]\nid = "R003"\nsystem = "Our method"\n'
    )
    run = _collected_run(project, "R003")
    assert run.spec.system == "Method" and len(run.attempts) == 1
    assert run.spec.params["model"] == "method" and run.spec.params["system"] == "Method"
    assert run.kept is not None
    assert [c.field for c in run.kept.changes] == ["system", "params"]


def test_a_run_kept_as_it_ran_counts_as_the_system_it_ran_as(tmp_path: Path) -> None:
    """Review: R003 (Method) given the system Baseline, whose `[systems]` table brings other
    args, is kept as it ran, labelled Method; yet it was placed as B1's Baseline, its 0.8
    pooled with R002's 0.5 (mean 0.65, n=2) and Method read "no results". Its numbers count
    for the system it ran as, as its row says."""
    project = write_project(tmp_path / "p")
    assert _run(project) is Stage.COLLECTED
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text() + '\n[[runs]]\nid = "R003"\nsystem = "Baseline"\n')
    run = _collected_run(project, "R003")
    assert run.kept is not None and run.spec.system == "Method"
    assert run.spec.block_system == "Method"
    page, data, _ = _results(project)
    assert "| Method | accuracy | 0.8 | - | 1 | R003 |" in page
    assert "| Baseline | accuracy | 0.5 | - | 1 | R002 |" in page
    assert data["blocks"][0]["verdict"] == "met", data["blocks"][0]


def test_a_system_label_naming_the_wandb_run_is_kept_as_it_ran(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review: `[metrics.wandb] run_name = "{run_id}-{system}"` names the W&B run a run's
    numbers are read from, yet a new system label was taken at once, though its numbers were
    recorded under `R003-Method` and reading them again would ask W&B for `R003-Our method`.
    A label that names where the numbers are read is kept as it ran, as one the command
    passes: the W&B run it names stays the one read."""
    monkeypatch.delenv("BRIDGE_TEST_UNSET_WANDB_KEY", raising=False)
    project = write_project(tmp_path / "p")
    toml = project / "bridge.toml"
    toml.write_text(
        toml.read_text()
        + '\n[metrics.wandb]\nentity = "e"\nproject = "p"\nrun_name = "{run_id}-{system}"\n'
        # A variable no one sets: W&B is never asked, its address is recorded as not read.
        + 'api_key_env = "BRIDGE_TEST_UNSET_WANDB_KEY"\n'
    )
    assert _run(project) is Stage.COLLECTED
    toml.write_text(toml.read_text() + '\n[[runs]]\nid = "R003"\nsystem = "Our method"\n')
    run = _collected_run(project, "R003")
    assert run.spec.system == "Method" and run.spec.params["system"] == "Method"
    assert run.kept is not None and len(run.attempts) == 1
    assert [c.field for c in run.kept.changes] == ["system", "params"]
    assert run.metrics is not None
    assert [p.source for p in run.metrics.problems] == ["wandb:e/p/R003-Method"]


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ("", "R003 relabelled (system: Method → Our method), not re-run"),
        ('language = "zh"', "R003 已改标签（system: Method → Our method），未重新运行"),
    ],
)
def test_bridge_run_says_a_relabel_is_no_new_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str, said: str
) -> None:
    """Review: a succeeded run given a new label read "R003 spec changed: system: Method → Our
    method; params: …", the words of every settings change, as if it would run with them.
    It says it is relabelled and not run again, in the plan's language."""
    project = write_project(tmp_path / "p", toml_extra=extra)
    assert _run(project) is Stage.COLLECTED
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text() + '\n[[runs]]\nid = "R003"\nsystem = "Our method"\n')
    capsys.readouterr()
    main(["run", "--plain", "--project", str(project)])
    lines = [line.split(" ", 1)[-1] for line in capsys.readouterr().out.splitlines()]
    assert said in lines, lines
    assert not any("spec changed" in line or "设置已变更" in line for line in lines), lines


def test_a_label_changed_while_the_run_is_live_is_taken_once_it_succeeded(
    tmp_path: Path,
) -> None:
    """Review: R003's system cell changed in the tracker while R003 ran was recorded with the
    plan, but a live run takes no new inputs, and once it had succeeded nothing read the row
    again: R003 kept the old label for good. Its new label is taken once it ends, as it is
    for a run that succeeded before the edit."""
    project = write_project(tmp_path / "p")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"

    def outcome(spec: JobSpec) -> FakeOutcome:
        if spec.place.run_id == "R003":
            # The researcher's edit, saved while R003 runs (it answers RUNNING twice).
            text = tracker.read_text()
            row = "| R003 | M1 | main | Method |"
            assert row in text
            tracker.write_text(text.replace(row, "| R003 | M1 | main | Our method |"))
        return FakeOutcome(outputs={"metrics.json": '{"accuracy": 0.8}'}, polls=2)

    bridge = Bridge(project, backend=FakeBackend(outcome))
    try:
        assert bridge.run() is Stage.COLLECTED
        run = bridge.status().runs["R003"]
    finally:
        bridge.close()
    assert run.state is RunState.SUCCEEDED and len(run.attempts) == 1
    assert run.spec.system == "Our method" and run.spec.params["system"] == "Our method"
    assert run.kept is None


def test_a_label_of_a_row_done_before_bridge_is_the_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review (009's R002, DONE before bridge, given another system in its row): the results
    and `bridge status` kept the old system, and `bridge run` said nothing. Nothing ran under
    bridge, so its labels are the row's as written now, whatever its command passes."""
    project = write_project(tmp_path / "p")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text().replace(
            "| R002 | M1 | baseline | Baseline | test | accuracy | MUST | TODO |",
            "| R002 | M1 | baseline | Baseline | test | accuracy | MUST | DONE |",
        )
    )
    assert _run(project) is Stage.COLLECTED
    text = tracker.read_text()
    row = "| R002 | M1 | baseline | Baseline |"
    assert row in text
    tracker.write_text(text.replace(row, "| R002 | M1 | baseline | Baseline v2 |"))
    # Its table follows the new name (one naming a system no run has any more is refused),
    # with other settings: they are not the row's until it runs.
    toml = project / "bridge.toml"
    table = '[systems."Baseline"]\nargs = { model = "baseline" }'
    assert table in toml.read_text()
    toml.write_text(
        toml.read_text().replace(table, '[systems."Baseline v2"]\nargs = { model = "baseline-v2" }')
    )
    capsys.readouterr()
    main(["run", "--plain", "--project", str(project)])
    lines = [line.split(" ", 1)[-1] for line in capsys.readouterr().out.splitlines()]
    assert "R002 relabelled (system: Baseline → Baseline v2), not re-run" in lines, lines
    bridge = Bridge(project)
    try:
        run = bridge.status().runs["R002"]
    finally:
        bridge.close()
    assert run.state is RunState.DONE_BEFORE and not run.attempts
    assert run.spec.system == "Baseline v2" and run.spec.params["system"] == "Baseline v2"
    # Its other settings are not its own until it runs: the command stands as planned.
    assert run.spec.params["model"] == "baseline"


def test_a_label_the_command_uses_changed_while_the_run_is_live_is_marked_once_it_ended(
    tmp_path: Path,
) -> None:
    """A live run (a real subprocess, still running) whose system cell the researcher changed,
    where its command passes `--name {system}`: the running `bridge run` read the edit, but
    the run ran with the old label, and once it had succeeded it had no "kept as it ran" mark
    (a finished run edited so has one at once): the mark came only with a later edit of the
    plan. It is marked when it ends, every change named, as a finished run is."""
    from tests.pipeline.conftest import Run, events_of, start_bridge, wait_for
    from tests.pipeline.conftest import write_project as write_live_project

    project = write_live_project(
        tmp_path / "p", [Run(id="R1", milestone="M1", system="Method", mode="gate")], sanity=None
    )
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    runner = start_bridge(project)
    try:
        wait_for(
            lambda: any(s == "run:R1" and t == "run.started" for _, s, t in events_of(project)),
            what="R1 to start",
        )
        # Edited once bridge wrote RUNNING there: an edit saved before that write races
        # bridge's own rewrite of the file.
        wait_for(lambda: "| RUNNING |" in tracker.read_text(), what="R1's row to say RUNNING")
        text = tracker.read_text()
        row = "| R1 | M1 | main | Method |"
        assert row in text
        tracker.write_text(text.replace(row, "| R1 | M1 | main | Our method |"))
        # The running bridge reads the tracker's edit (a second plan recorded) while R1 waits.
        wait_for(
            lambda: [t for _, _, t in events_of(project)].count("plan.loaded") == 2,
            what="the edit to be read",
        )
        (project / "markers" / "open.flag").touch()
        out, err = runner.communicate(timeout=60)
        assert runner.returncode == 0, err
        assert out.strip().splitlines()[-1] == "COLLECTED", out
    finally:
        runner.kill()
        runner.communicate()
    bridge = Bridge(project)
    try:
        run = bridge.status().runs["R1"]
        kept = dict(bridge.kept_settings)
    finally:
        bridge.close()
    assert run.state is RunState.SUCCEEDED and len(run.attempts) == 1
    assert run.spec.system == "Method" and run.spec.params["system"] == "Method"
    assert run.kept is not None, "R1 ran as Method and is now labelled Our method: no mark"
    assert [c.field for c in run.kept.changes] == ["system", "params"]
    assert "R1" in kept


def test_a_label_read_differently_without_an_edit_gives_no_live_mark(tmp_path: Path) -> None:
    """Review r33 (item 8): a run whose command passes `--name {system}`, whose log holds the
    label an earlier bridge read from the same inputs (`**Method** — our approach`, a bold name
    read whole before this round), was marked "kept as it ran" for good at the next command,
    its reason "the inputs as last read label it differently (a live run takes none)", though
    no plan was recorded while it ran. That mark is a run's that was live when the plan giving
    the new label was recorded; this one gets none."""
    from tests.pipeline.conftest import Run
    from tests.pipeline.conftest import write_project as write_live_project

    project = write_live_project(tmp_path / "p", [Run(id="R1", milestone="M1", system="Method")])
    assert _run(project) is Stage.COLLECTED
    store = SQLiteEventStore(project / ".bridge" / "events.db")
    try:
        (planned,) = [r.event for r in store.read("run:R1") if isinstance(r.event, ev.RunPlanned)]
        old = "**Method** — our approach"
        spec = attrs.evolve(planned, system=old, params={**planned.params, "system": old})
        store.append(
            "run:R1",
            [
                ev.RunSpecChanged(
                    run_id="R1",
                    spec=spec,
                    changes=(ev.SpecChange(field="system", old="Method", new=old),),
                    inputs={},
                    reason="as an earlier bridge read it",
                )
            ],
            store.stream_version("run:R1"),
        )
    finally:
        store.close()
    assert _run(project) is Stage.COLLECTED
    bridge = Bridge(project)
    try:
        run = bridge.status().runs["R1"]
    finally:
        bridge.close()
    assert run.state is RunState.SUCCEEDED and len(run.attempts) == 1
    assert run.kept is None, run.kept


@pytest.mark.parametrize(
    ("entry", "labels"),
    [
        ('system = "Our method"\ntimeout_minutes = 30\n', {"system": "Our method"}),
        ('priority = "nice"\nestimated_minutes = 3\n', {"priority": "nice"}),
    ],
)
def test_a_label_changed_with_a_setting_its_numbers_do_not_depend_on_is_taken(
    tmp_path: Path, entry: str, labels: dict[str, str]
) -> None:
    """A new label its command does not use, given with a new time limit or estimate (which
    do not change what a run computes): R003's system was neither taken nor rightly marked
    ("kept as it ran (system: Method → Our method; params: …)", though its numbers depend on
    neither), and its priority was neither taken nor marked at all. The label is taken, no
    new attempt, as it is alone; the succeeded run keeps its time limit (nothing runs)."""
    project = write_project(tmp_path / "p")
    assert _run(project) is Stage.COLLECTED
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text() + '\n[[runs]]\nid = "R003"\n' + entry)
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        run = bridge.status().runs["R003"]
        kept = dict(bridge.kept_settings)
    finally:
        bridge.close()
    assert {name: str(getattr(run.spec, name)) for name in labels} == labels
    assert run.state is RunState.SUCCEEDED and len(run.attempts) == 1
    assert run.kept is None and "R003" not in kept
    assert run.spec.timeout_minutes == 5 and run.spec.estimated_minutes != 3
