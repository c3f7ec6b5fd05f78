"""
A run a person cancelled (`bridge cancel`) runs again only on a person's word, and the command
that takes it back says so: which cancelled run runs again, who had stopped it, and whose
request brings it back (`bridge retry R003`, `--failed`, or its tracker row set back to TODO).
Nothing at all (another `bridge run`, an edit of bridge.toml) leaves the cancel standing.

On a copy of the real project 009 (``../shared/projects/009_tool-placement``: R001/R002 done
before bridge, R003 must-run in M2, R004 nice-to-have in M3, R005 must-run in M4), with a shell
command per run in place of its scripts, and ``auto_deploy = false`` so that R003 is cancelled
before it launches. Bridge then cancels R004 and R005 itself ("milestone M2 must-run R003 ended
cancelled").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bridge import Bridge
from bridge.cli import main
from bridge.machine.stages import RunState
from tests.conftest import SHARED, needs_shared

pytestmark = needs_shared

_TOML = """[bridge]
backend = "local"
max_parallel = 1
auto_deploy = false
code_review = false

[run]
timeout_minutes = 5
"""

_BY_PERSON = "it had been cancelled by a person (`bridge cancel`)"
_BY_BRIDGE = "bridge had cancelled it (not run: milestone M2 must-run R003 ended cancelled)"


def _cancelled_r003(root: Path) -> Path:
    """009 after `bridge cancel R003` at the approval, `bridge approve` and `bridge run`."""
    project = root / "009"
    shutil.copytree(SHARED / "projects" / "009_tool-placement", project)
    runs = "".join(
        f'\n[[runs]]\nid = "{r}"\ncommand = "sh -c \'echo {r} >> {project}/launches.txt\'"\n'
        for r in ("R001", "R002", "R003", "R004", "R005")
    )
    (project / "bridge.toml").write_text(_TOML + runs, encoding="utf-8")
    assert main(["run", "--project", str(project)]) == 3  # waiting for approval
    assert main(["cancel", "R003", "--project", str(project)]) == 0
    assert main(["approve", "--project", str(project)]) == 0
    assert main(["run", "--project", str(project)]) == 1  # must-run runs did not succeed
    return project


def _states(project: Path) -> dict[str, RunState]:
    bridge = Bridge(project)
    try:
        return {r: v.state for r, v in bridge.status().runs.items()}
    finally:
        bridge.close()


def _launched(project: Path) -> list[str]:
    log = project / "launches.txt"
    return log.read_text(encoding="utf-8").split() if log.exists() else []


def test_a_run_a_person_cancelled_is_not_run_again_unasked(tmp_path: Path) -> None:
    """Another `bridge run`, and an edit of bridge.toml that changes R003's command, leave
    R003 cancelled: nothing launches."""
    project = _cancelled_r003(tmp_path)
    assert _states(project)["R003"] is RunState.CANCELLED
    assert main(["run", "--project", str(project)]) == 1
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text("utf-8").replace("echo R003", "echo R003 again"), "utf-8")
    assert main(["run", "--project", str(project)]) == 1
    assert _launched(project) == []
    assert _states(project)["R003"] is RunState.CANCELLED


@pytest.mark.parametrize("asked", [["R003"], ["--failed"]])
def test_a_retry_says_which_cancelled_run_runs_again_and_who_cancelled_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], asked: list[str]
) -> None:
    """Before, `bridge retry --failed` said only "will run again: R003, R004, R005", R003 among
    the failed runs, with nothing saying a person had cancelled it."""
    project = _cancelled_r003(tmp_path)
    capsys.readouterr()
    assert main(["retry", *asked, "--project", str(project)]) == 0
    out = capsys.readouterr().out
    command = f"bridge retry {' '.join(asked)}"
    assert f"R003: {_BY_PERSON}; it runs again as `{command}` asks" in out, out
    if asked == ["--failed"]:
        # Taken by --failed as runs that did not succeed: said with bridge's own cancel.
        assert f"R005: {_BY_BRIDGE}; it runs again as `{command}` asks" in out, out
    else:
        assert "and the runs cancelled because of them: R004, R005" in out, out
    tracker = (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text(encoding="utf-8")
    (row,) = [line for line in tracker.splitlines() if line.startswith("| R003 ")]
    assert f"retry asked by a person; {_BY_PERSON}" in row, row
    # Exit 1 still: the shell commands write none of the numbers 009's rows name.
    assert main(["run", "--project", str(project)]) == 1
    assert _launched(project) == ["R003", "R004", "R005"]


def test_a_tracker_row_set_back_to_todo_says_the_run_had_been_cancelled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """R003's row CANCELLED → TODO: `bridge run` says R003 had been cancelled by a person and
    runs it, with R004 and R005, which bridge had cancelled because of it. Before, it said only
    "R003 replanned: the tracker's row now says that it is to run", and R005 stayed cancelled:
    "must-run runs not succeeded: R005"."""
    project = _cancelled_r003(tmp_path)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    assert text.count("| MUST | CANCELLED | Uses") == 1
    tracker.write_text(text.replace("| MUST | CANCELLED | Uses", "| MUST | TODO | Uses"), "utf-8")
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 1  # no numbers, as above
    out = capsys.readouterr().out
    assert f"R003 replanned: the tracker's row now says that it is to run; {_BY_PERSON}" in out, out
    assert "R004, R005 retry: the tracker now says to run R003 (a run it waits for runs again)" in (
        out
    ), out
    assert _launched(project) == ["R003", "R004", "R005"]
    assert {r: s for r, s in _states(project).items() if r in ("R003", "R004", "R005")} == {
        "R003": RunState.SUCCEEDED,
        "R004": RunState.SUCCEEDED,
        "R005": RunState.SUCCEEDED,
    }


def test_the_next_step_after_a_persons_cancel_says_how_to_bring_it_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: "Must-run runs did not succeed (R003): read why, fix the cause, then run `bridge
    retry --failed` …", a cause to fix where the researcher cancelled R003 themselves."""
    project = _cancelled_r003(tmp_path)
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 1
    out = capsys.readouterr().out
    said = (
        "Next step: Must-run run R003 was cancelled by a person (`bridge cancel`) and stays "
        "cancelled: to run it, `bridge retry R003` and `bridge run`; that also runs R005 again, "
        "which bridge cancelled without running it (milestone M2 must-run R003 ended cancelled)."
    )
    assert said in out, out
    assert "fix the cause" not in out, out
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert said.removeprefix("Next step: ") in results
    # What it says brings R003 back, with R005.
    assert main(["retry", "R003", "--project", str(project)]) == 0
    states = _states(project)
    assert states["R003"] is RunState.PENDING and states["R005"] is RunState.PENDING
