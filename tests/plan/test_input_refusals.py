"""
Inputs bridge refuses with a clear message rather than working around.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bridge.errors import ConfigError, PlanError
from bridge.plan import load_project

TRACKER = """# Experiment Tracker

| Run ID | Milestone | Purpose | System / Variant | Split | Metrics | Priority | Status | Notes |
|---|---|---|---|---|---|---|---|---|
| {run_id} | M0 | sanity | Method | test | accuracy | MUST | TODO | seed 0 |
"""


class TestRefusals:
    def test_a_folder_where_the_plan_should_be(self, tmp_path: Path) -> None:
        """A folder named EXPERIMENT_PLAN.md is reported, not skipped for the tracker."""
        (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").mkdir(parents=True)
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER.format(run_id="R1"))
        with pytest.raises(PlanError, match=r"EXPERIMENT_PLAN\.md exists but is not a file"):
            load_project(tmp_path)

    def test_a_folder_named_bridge_toml(self, tmp_path: Path) -> None:
        """A folder named bridge.toml is a configuration error, not "no configuration"."""
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER.format(run_id="R1"))
        (tmp_path / "bridge.toml").mkdir()
        with pytest.raises(ConfigError, match=r"^bridge\.toml: exists but is not a file"):
            load_project(tmp_path)

    @pytest.mark.parametrize("run_id", ["R001 (smoke)", "../R1", "R1;rm"])
    def test_run_ids_that_cannot_name_a_directory(self, tmp_path: Path, run_id: str) -> None:
        """
        A run id with spaces, slashes or shell syntax keeps its id and gets a directory name
        of safe characters only (never `..`, never a separator), warned at its file and line.
        """
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
            TRACKER.format(run_id=run_id)
        )
        loaded = load_project(tmp_path)
        (run,) = loaded.runs
        assert run.id == run_id
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*-[0-9a-f]{8}", run.directory)
        assert ".." not in run.directory
        (warning,) = [w for w in loaded.warnings if "cannot name a directory" in w.message]
        assert warning.line == 5

    def test_a_derived_directory_never_lands_on_another_runs(self, tmp_path: Path) -> None:
        """A tracker whose other run is named exactly what an unsafe id's directory would be:
        the two runs still get folders of their own."""
        import hashlib

        unsafe = "R001:smoke"
        derived = f"R001_smoke-{hashlib.sha256(unsafe.encode()).hexdigest()[:8]}"
        rows = TRACKER.format(run_id=unsafe) + TRACKER.splitlines()[-1].format(run_id=derived)
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(rows + "\n")
        runs = {r.id: r for r in load_project(tmp_path).runs}
        assert set(runs) == {unsafe, derived}
        assert runs[derived].directory == ""  # a safe id names its own folder
        folders = {runs[unsafe].directory or unsafe, derived}
        assert len(folders) == 2
        assert runs[unsafe].directory.startswith("R001_smoke-")

    def test_refine_logs_linked_out_of_the_project_is_said(self, tmp_path: Path) -> None:
        """A refine-logs that links elsewhere (a shared drive) is followed, and said: bridge
        writes the tracker and results there. A link inside the project says nothing."""
        from bridge.projections.plan_words import warning_in_language

        shared = tmp_path / "shared-drive"
        (shared / "logs").mkdir(parents=True)
        (shared / "logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER.format(run_id="R1"))
        project = tmp_path / "project"
        project.mkdir()
        (project / "refine-logs").symlink_to(shared / "logs")
        loaded = load_project(project)
        assert [r.id for r in loaded.runs] == ["R1"]
        (warning,) = [w for w in loaded.warnings if w.file == "refine-logs"]
        assert warning.message.startswith(f"a link to {shared / 'logs'}, outside the project")
        assert warning_in_language(warning.message, "zh").startswith("指向项目之外")
        (project / "refine-logs").unlink()
        (project / "inside").mkdir()
        (project / "inside" / "EXPERIMENT_TRACKER.md").write_text(TRACKER.format(run_id="R1"))
        (project / "refine-logs").symlink_to(project / "inside")
        assert not [w for w in load_project(project).warnings if w.file == "refine-logs"]


class TestControlCharactersAndEscapes:
    @pytest.mark.parametrize(
        ("toml", "setting", "line"),
        [
            ('[run]\ncommand = "python train.py --tag a\\u0000b"\n', "run.command", 2),
            ('[run]\ncwd = "."\nenv = { TAG = "x\\u001by" }\n', "run.env.TAG", 3),
            ('[bridge]\nmax_parallel = 2\n\n[[runs]]\nid = "R1\\u0000"\n', "runs[0].id", 5),
        ],
    )
    def test_control_character_in_a_config_string(
        self, tmp_path: Path, toml: str, setting: str, line: int
    ) -> None:
        """A NUL or escape in a bridge.toml string is a config error naming the key and line."""
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER.format(run_id="R1"))
        (tmp_path / "bridge.toml").write_text(toml)
        with pytest.raises(ConfigError, match="control character") as info:
            load_project(tmp_path)
        assert info.value.setting == setting
        assert info.value.line == line

    def test_a_tracker_with_a_nul_from_an_older_bridge_still_loads(self, tmp_path: Path) -> None:
        """bridge's own tracker holding a NUL reads as U+FFFD, not as a binary file."""
        (tmp_path / "refine-logs").mkdir()
        text = TRACKER.format(run_id="R1").replace("seed 0", "seed \x000")
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(text)
        project = load_project(tmp_path)
        assert [r.id for r in project.runs] == ["R1"]

    def test_cwd_through_a_symlink_out_of_the_project(self, tmp_path: Path) -> None:
        """run.cwd is resolved: a link inside the project to a folder outside is refused."""
        root = tmp_path / "p"
        (root / "refine-logs").mkdir(parents=True)
        (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER.format(run_id="R1"))
        (tmp_path / "outside").mkdir()
        (root / "work").symlink_to(tmp_path / "outside")
        (root / "bridge.toml").write_text('[run]\ncwd = "work"\n')
        with pytest.raises(ConfigError, match="outside the project") as info:
            load_project(root)
        assert info.value.setting == "run.cwd"
        assert info.value.line == 2


class TestNothingToRun:
    def _run(self, root: Path) -> tuple[int, str]:
        import contextlib
        import io

        from bridge.cli import main

        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["run", "--plain", "--project", str(root)])
        return code, err.getvalue()

    def test_only_an_idea_report_stops_before_any_stage(self, tmp_path: Path) -> None:
        """A project with only an idea report is exit 2, naming what was found and what to
        add, with nothing recorded: no stage entered, no projection written."""
        (tmp_path / "idea-stage").mkdir()
        (tmp_path / "idea-stage" / "IDEA_REPORT.md").write_text("# Idea report\n\nAn idea.\n")
        code, err = self._run(tmp_path)
        assert code == 2
        assert "nothing to run: bridge found idea-stage/IDEA_REPORT.md" in err
        assert "no experiment plan (refine-logs/EXPERIMENT_PLAN.md)" in err
        assert "`bridge init`" in err
        assert not (tmp_path / "refine-logs").exists()
        assert not (tmp_path / "MANIFEST.md").exists()

    def test_an_empty_plan_names_the_file(self, tmp_path: Path) -> None:
        """An empty plan file is refused at that file; the researcher is told what to add."""
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text("")
        code, err = self._run(tmp_path)
        assert code == 2
        assert "refine-logs/EXPERIMENT_PLAN.md: nothing to run: the plan has no run order" in err
        assert not (tmp_path / ".bridge").exists()  # no empty log left behind (040)


class TestNumbersOutOfRange:
    """TOML writes ``inf`` and ``nan`` as numbers, and ``1e308`` is one too: a time limit of
    infinity raised a traceback from the run's validator, 1e308 minutes overflowed Slurm's
    ``--time`` and 1e12 seconds of out-of-memory back-off a datetime. Each is now the setting's
    name, line and value, before anything runs."""

    @pytest.mark.parametrize(
        ("setting", "value", "said"),
        [
            ("timeout_minutes", "inf", "must be at most 5256000 minutes (ten years)"),
            ("timeout_minutes", "-inf", "must be a non-negative number"),
            ("timeout_minutes", "nan", "must be a non-negative number"),
            ("timeout_minutes", "1e308", "must be at most 5256000 minutes"),
            ("estimated_minutes", "6000000", "must be at most 5256000 minutes"),
            ("oom_backoff_seconds", "inf", "must be a finite number, at most 315360000"),
            ("oom_backoff_seconds", "1e12", "must be a finite number, at most 315360000"),
            ("launch_backoff_seconds", "inf", "must be a finite number, at most 315360000"),
            ("launch_backoff_seconds", "-1", "must be a non-negative number"),
            ("max_gpu_memory_gb", "1e300", "must be a finite number, at most 315360000"),
            ("max_retries", "9223372036854775808", "must be at most 9223372036854775807"),
        ],
    )
    def test_a_number_no_run_could_use_is_refused_with_its_line(
        self, tmp_path: Path, setting: str, value: str, said: str
    ) -> None:
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER.format(run_id="R1"))
        (tmp_path / "bridge.toml").write_text(f'[run]\ncommand = "true"\n{setting} = {value}\n')
        with pytest.raises(ConfigError) as caught:
            load_project(tmp_path)
        assert str(caught.value).startswith(f"bridge.toml:3: run.{setting} {said}"), caught.value

    def test_a_large_seed_is_still_a_seed(self, tmp_path: Path) -> None:
        """2**31 - 1 and the like are common seeds: counts and seeds are bounded only by what
        the log's JSON holds (64-bit)."""
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER.format(run_id="R1"))
        (tmp_path / "bridge.toml").write_text(
            '[run]\ncommand = "train --seed {seed}"\n\n[[runs]]\nid = "R9"\nseed = 2147483647\n'
        )
        runs = {r.id: r for r in load_project(tmp_path).runs}
        assert runs["R9"].seed == 2147483647

    def test_ten_years_is_still_a_time_limit(self, tmp_path: Path) -> None:
        """The bound is far from any real run: ten years of minutes is taken."""
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER.format(run_id="R1"))
        (tmp_path / "bridge.toml").write_text(
            '[run]\ncommand = "true"\ntimeout_minutes = 5256000\n'
        )
        (run,) = load_project(tmp_path).runs
        assert run.timeout_minutes == 5256000


class TestRunsThatWouldRunTheSameCommand:
    """033 (trial R4): "25 seeds" became 25 runs, and a `[run] command` using no `{seed}`
    would have run one computation 25 times, its spread reported as seed variance."""

    TRACKER = (
        "# Experiment Tracker\n\n"
        "| Run ID | Milestone | Purpose | System / Variant | Split | Metrics | Priority | Status |"
        " Notes |\n|---|---|---|---|---|---|---|---|---|\n"
        "| R1 | M1 | main | ours | test | accuracy | MUST | TODO | seed 0 |\n"
        "| R2 | M1 | main | ours | test | accuracy | MUST | TODO | seed 1 |\n"
        "| R3 | M1 | main | base | test | accuracy | MUST | DONE | seed 0 |\n"
    )

    def _project(self, tmp_path: Path, command: str, extra: str = "") -> Path:
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(self.TRACKER)
        (tmp_path / "bridge.toml").write_text(f"[run]\ncommand = {command!r}\n{extra}")
        return tmp_path

    def test_seeds_the_command_does_not_use_are_refused(self, tmp_path: Path) -> None:
        """Two runs of one system differing by seed, a command without `{seed}`: refused at
        the command's setting and line, naming the runs and what to add."""
        project = self._project(tmp_path, "python train.py --out {output_dir}")
        with pytest.raises(ConfigError) as caught:
            load_project(project)
        error = caught.value
        assert error.setting == "run.command" and error.line == 2
        assert "runs R1, R2 have different seeds (0, 1) but would all run the same" in str(error)
        assert "Add {seed} to run.command" in str(error)

    @pytest.mark.parametrize(
        ("command", "extra"),
        [
            ("python train.py --seed {seed} --out {output_dir}", ""),
            ("python train.py --config configs/{run_id}.yaml", ""),
            # R1 and R2 are one configuration run twice on purpose (same seed), and R3 is
            # another system's done row: no seeds claim a difference, nothing is refused.
            ("python train.py", '[[runs]]\nid = "R2"\nseed = 0\n'),
        ],
    )
    def test_commands_that_tell_runs_apart_or_repeat_on_purpose(
        self, tmp_path: Path, command: str, extra: str
    ) -> None:
        """`{seed}` or `{run_id}` in the command tells the runs apart; a done row (R3, another
        system) is never launched and is not counted."""
        project = self._project(tmp_path, command, extra)
        assert [r.id for r in load_project(project).runs] == ["R1", "R2", "R3"]

    def test_a_seed_default_serves_the_runs_the_plan_gives_none(self, tmp_path: Path) -> None:
        """033 mixes seeded and seedless blocks: `{seed}` in the one command had no value for
        the seedless runs, and without it the seeded ones are refused. The error says how a
        default in [run] args serves them; a run's own seed still wins."""
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
            self.TRACKER.replace("| seed 1 |", "| no seed |")
        )
        (tmp_path / "bridge.toml").write_text('[run]\ncommand = "train --seed {seed}"\n')
        with pytest.raises(ConfigError, match=r'a default serves: \[run\] args = \{ seed = "0" \}'):
            load_project(tmp_path)
        (tmp_path / "bridge.toml").write_text(
            '[run]\ncommand = "train --seed {seed}"\nargs = { seed = "7" }\n'
        )
        runs = {r.id: r.params["seed"] for r in load_project(tmp_path).runs}
        assert (runs["R1"], runs["R2"]) == ("0", "7")
