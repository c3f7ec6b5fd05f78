"""
Command-line conventions: the version, shared options on either side of the command, finding
the project like git, checked ``-o`` values, run ids in any case, pipes, and replay's bounds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bridge.cli import main
from bridge.cli.parser import COMMANDS
from bridge.cli.project import resolve_run
from bridge.errors import UnknownRunError
from bridge.events.store import SQLiteEventStore
from bridge.events.types import StageEntered
from bridge.pipeline.audit import db_path
from bridge.pipeline.root import MARKERS, find_root
from bridge.plan.project import CANDIDATES, PLAN, PROPOSAL, REPORT, TRACKER
from tests.cli.conftest import REPO, bridge_cli
from tests.e2e.tiny import write_project


def _bridge_dirs(under: Path) -> list[Path]:
    return sorted(p.parent for p in under.rglob(".bridge"))


class TestVersionAndModule:
    def test_version_through_python_m(self) -> None:
        """`python -m bridge --version` prints one line naming bridge and exits 0."""
        done = bridge_cli("--version")
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("bridge ") and done.stdout.count("\n") == 1

    def test_help_through_python_m_lists_every_command(self) -> None:
        """`python -m bridge --help` is the same command as the console script."""
        done = bridge_cli("--help")
        assert done.returncode == 0
        assert all(name in done.stdout for name in COMMANDS)


class TestSharedOptionsEitherSide:
    def test_project_before_and_after_the_command_agree(
        self, logged: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`bridge --project P status` and `bridge status --project P` print the same."""
        assert main(["--project", str(logged), "status", "--json"]) == 0
        before = json.loads(capsys.readouterr().out)
        assert main(["status", "--json", "--project", str(logged)]) == 0
        assert json.loads(capsys.readouterr().out)["runs"] == before["runs"]

    @pytest.mark.parametrize("where", ["before", "after"])
    def test_a_bad_option_is_refused_on_either_side(
        self, logged: Path, where: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """-o max_parallel=many is bad input (exit 2, the setting named) before or after."""
        opt = ["-o", "max_parallel=many"]
        argv = [*opt, "status"] if where == "before" else ["status", *opt]
        assert main([*argv, "--project", str(logged)]) == 2
        err = capsys.readouterr().err
        assert "-o: max_parallel must be a whole number, not 'many'" in err
        assert "Traceback" not in err

    @pytest.mark.parametrize(
        "argv",
        [
            ["-o", "max_parallel=2", "-o", "max_parallel=3", "status"],
            ["-o", "max_parallel=2", "status", "-o", "max_parallel=3"],
            ["status", "-o", "max_parallel=2", "--option", "max_parallel=2"],
        ],
        ids=["before", "either side", "same value"],
    )
    def test_an_option_given_twice_is_refused(
        self, logged: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """-o k=a -o k=b is bad input (exit 2, the key named) rather than the last one winning."""
        assert main([*argv, "--project", str(logged)]) == 2
        captured = capsys.readouterr()
        assert "-o: max_parallel is set twice; keep one" in captured.err
        assert "Traceback" not in captured.err and captured.out == ""

    @pytest.mark.parametrize(
        "command",
        [["status"], ["log"], ["diagram"], ["rebuild"], ["verify"], ["plan"], ["advance"]],
    )
    def test_every_command_type_checks_options(
        self, logged: Path, command: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An unknown or badly typed -o is exit 2 whatever the command, before it does anything."""
        assert main([*command, "--project", str(logged), "-o", "auto_deploy=perhaps"]) == 2
        assert "auto_deploy" in capsys.readouterr().err
        assert main([*command, "--project", str(logged), "-o", "max_paralel=2"]) == 2
        assert "max_parallel" in capsys.readouterr().err  # did you mean


class TestFindingTheProject:
    def test_markers_are_the_inputs_discover_reads(self) -> None:
        """Every input file the loader looks for makes a folder a project root."""
        assert {PLAN, TRACKER, PROPOSAL, *CANDIDATES, *REPORT} <= set(MARKERS)

    def test_a_subfolder_finds_its_project(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """From a folder deep inside a project, `bridge plan` reads that project's plan."""
        project = write_project(tmp_path / "p")
        deep = project / "refine-logs" / "notes"
        deep.mkdir()
        monkeypatch.chdir(deep)
        assert main(["plan", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["title"].endswith("Tiny")
        assert main(["diagram"]) == 0
        assert _bridge_dirs(tmp_path) == []

    def test_project_may_be_a_plan_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--project accepts the plan file, as `Bridge(plan_file)` does."""
        project = write_project(tmp_path / "p")
        plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        assert find_root(plan) == project
        assert main(["plan", "--json", "--project", str(plan)]) == 0
        assert json.loads(capsys.readouterr().out)["title"].endswith("Tiny")

    @pytest.mark.parametrize("named", ["folder", "plan file"])
    @pytest.mark.parametrize("command", ["plan", "run"])
    def test_a_plan_outside_refine_logs_is_told_where_it_goes(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], named: str, command: str
    ) -> None:
        """
        A plan and tracker kept in the folder itself (not refine-logs/): exit 2 with the
        command that moves them, whether the folder or the plan file is named; nothing written.
        """
        project = write_project(tmp_path / "my plan")
        for name in ("EXPERIMENT_PLAN.md", "EXPERIMENT_TRACKER.md"):
            (project / "refine-logs" / name).rename(project / name)
        (project / "bridge.toml").unlink()
        target = project if named == "folder" else project / "EXPERIMENT_PLAN.md"
        assert main([command, "--project", str(target)]) == 2
        err = capsys.readouterr().err
        assert f"EXPERIMENT_PLAN.md, EXPERIMENT_TRACKER.md are in {project}, where bridge" in err
        assert (
            f"cd '{project}' && mkdir -p refine-logs && mv EXPERIMENT_PLAN.md "
            "EXPERIMENT_TRACKER.md refine-logs/"
        ) in err
        assert _bridge_dirs(tmp_path) == []

    def test_the_plans_other_files_move_with_it(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """038 kept its stub and the dated plan it links to in one folder; the command named
        the stub and tracker only, and the stub moved alone was read as free text (trial O3)."""
        project = write_project(tmp_path / "p")
        (project / "refine-logs" / "EXPERIMENT_PLAN.md").rename(project / "EXPERIMENT_PLAN.md")
        (project / "EXPERIMENT_PLAN_2026_GATES.md").write_text("# Gates\n", encoding="utf-8")
        assert main(["plan", "--project", str(project)]) == 2
        assert (
            "mkdir -p refine-logs && mv EXPERIMENT_PLAN.md EXPERIMENT_PLAN_2026_GATES.md "
            "refine-logs/"
        ) in capsys.readouterr().err

    def test_a_tracker_beside_refine_logs_is_not_left_unread(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The plan in refine-logs/, the researcher's tracker above it: bridge would write a
        tracker of its own beside theirs, so it stops and names the one file to move."""
        project = write_project(tmp_path / "p")
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        tracker.rename(project / "EXPERIMENT_TRACKER.md")
        assert main(["plan", "--project", str(project)]) == 2
        err = capsys.readouterr().err
        assert f"EXPERIMENT_TRACKER.md is in {project}, where bridge does not read it" in err
        assert not tracker.exists()

    def test_a_proposal_beside_refine_logs_is_a_warning(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The plan and tracker in place, the proposal above them: the plan still loads, and
        the warning says the proposal is not read and how to move it."""
        project = write_project(tmp_path / "p")
        (project / "FINAL_PROPOSAL.md").write_text("# Proposal\n\n## Method\n\nX.\n")
        assert main(["plan", "--project", str(project)]) == 0
        out = capsys.readouterr().out
        assert f"FINAL_PROPOSAL.md: FINAL_PROPOSAL.md is in {project}, where bridge does not" in out
        assert "mkdir -p refine-logs && mv FINAL_PROPOSAL.md refine-logs/" in out

    @pytest.mark.parametrize("command", [["status"], ["plan"], ["advance"], ["log"], ["run"]])
    def test_outside_any_project_nothing_is_created(
        self,
        tmp_path: Path,
        command: list[str],
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """In a folder that is no project, commands say so (exit 2) and write no .bridge/."""
        monkeypatch.chdir(tmp_path)
        assert main(command) == 2
        assert "not a bridge project" in capsys.readouterr().err
        assert _bridge_dirs(tmp_path) == []


class TestRunIds:
    def test_any_case_when_unambiguous(self) -> None:
        """r001 names R001; an exact id wins; ambiguity and unknown ids are errors."""
        assert resolve_run("r001", ["R001", "R002"]) == "R001"
        assert resolve_run("r1", ["R1", "r1"]) == "r1"
        with pytest.raises(UnknownRunError, match="matches Ab, aB"):
            resolve_run("AB", ["Ab", "aB"])
        with pytest.raises(UnknownRunError, match="no run 'R9'"):
            resolve_run("R9", ["R001"])
        # Before the first `bridge run` (trial N3: "runs: none yet" beside `bridge plan`'s list).
        with pytest.raises(UnknownRunError, match="nothing has run in this project; `bridge run`"):
            resolve_run("M0.1", [])

    def test_log_run_in_lower_case(self, logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """`bridge log --run r001` shows R001's events."""
        assert main(["log", "--json", "--run", "r001", "--project", str(logged)]) == 0
        rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert {r["stream"] for r in rows} == {"run:R001"}


class TestPipesAndBounds:
    def test_log_is_one_line_per_event_in_a_pipe(self, logged: Path) -> None:
        """Without a terminal, `bridge log` prints exactly one line per event."""
        events = bridge_cli("log", "--json", "--project", str(logged)).stdout.splitlines()
        plain = bridge_cli("log", "--project", str(logged)).stdout.splitlines()
        assert len(plain) == len(events) > 0
        assert plain[0].split()[0] == "1" and "plan.loaded" in plain[0]

    def test_a_closed_pipe_ends_quietly(self, logged: Path) -> None:
        """`bridge log | head -1`: exit 0 and nothing on stderr once the reader is gone."""
        store = SQLiteEventStore(db_path(logged))
        reason = "a stage note long enough to fill the pipe quickly " * 4
        store.append(
            "bridge", [StageEntered(stage="DEPLOYED", trigger="t", reason=reason)] * 3000, None
        )
        store.close()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bridge", "log", "--project", str(logged)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
        proc.stderr.close()
        assert proc.wait(timeout=60) == 0, err
        assert err == b""

    @pytest.mark.parametrize("seq", ["0", "-1", "999"])
    def test_replay_outside_the_log_is_exit_2(
        self, logged: Path, tmp_path: Path, seq: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """replay --at must name an event of the log: 1 to the last seq."""
        out = tmp_path / "at"
        assert main(["replay", "--at", seq, "--out", str(out), "--project", str(logged)]) == 2
        assert "numbered 1 to" in capsys.readouterr().err
        assert not out.exists()
