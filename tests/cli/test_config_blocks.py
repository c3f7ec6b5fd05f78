"""
A block set in bridge.toml that the plan does not have stops `bridge plan` and `bridge run`
with exit 2 and `bridge.toml:LINE`, before any run launches (its runs would otherwise run in
no block and never be judged).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.cli import main
from tests.plan.test_attribution import PLAN, TOML, TRACKER, write


@pytest.mark.parametrize("command", ["plan", "run"])
def test_a_block_typo_stops_before_any_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Exit 2 with the file, line, setting and closest block; nothing launched."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
    write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", TRACKER)
    toml = TOML.replace('block = "B2"', 'block = "B22"')
    write(tmp_path, "bridge.toml", toml)
    line = toml.split("\n").index('block = "B22"') + 1
    assert main([command, "--project", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"bridge.toml:{line}: runs[0].block: 'B22' is not a block of the plan" in err, err
    assert "did you mean 'B2'" in err
    assert "Traceback" not in err
    assert not (tmp_path / ".bridge" / "runs").exists()


@pytest.mark.parametrize("command", ["plan", "run"])
def test_a_webhook_url_where_its_variables_name_goes_stops_without_echoing_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """`[notify] webhook_url_env = "https://hooks.slack.com/..."` (the URL pasted where the
    NAME of its variable goes): `bridge plan` took it without a word, and `bridge run` said
    "must be the NAME of an environment variable …, not the secret itself" after making
    .bridge/. Both refuse it now (exit 2, its line), saying to put the URL in a variable and
    name that; the URL, a secret, is said nowhere, and nothing is made."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
    write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", TRACKER)
    url = "https://hooks.slack.com/services/T0/B0/SECRETTOKEN"
    toml = TOML + f'\n[notify]\nwebhook_url_env = "{url}"\n'
    write(tmp_path, "bridge.toml", toml)
    line = toml.split("\n").index(f'webhook_url_env = "{url}"') + 1
    assert main([command, "--project", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert (
        f"bridge.toml:{line}: notify.webhook_url_env holds a URL, not the NAME of an environment "
        "variable: webhook URLs carry tokens, so put the URL in an environment variable (export "
        "BRIDGE_WEBHOOK_URL=...) and write that variable's name here (webhook_url_env = "
        '"BRIDGE_WEBHOOK_URL")'
    ) in err, err
    assert "SECRETTOKEN" not in out + err
    assert not (tmp_path / ".bridge").exists()


def test_bridge_run_shows_the_plans_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `bridge plan` warns about, `bridge run` says too before it starts (a typo'd
    `[metrics] primary` here), at the same file:line."""
    from tests.e2e.tiny import write_project

    project = write_project(tmp_path)
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text("utf-8").replace('primary = "accuracy"', 'primary = "acuracy"'))
    line = toml.read_text("utf-8").split("\n").index('primary = "acuracy"') + 1
    assert main(["plan", "--project", str(project)]) == 0
    planned = capsys.readouterr().out
    assert main(["run", "--project", str(project), "--plain"]) == 0
    ran = capsys.readouterr().out
    warning = f"warning bridge.toml:{line}: [metrics] primary = 'acuracy' is named by no block"
    assert warning in planned and warning in ran


def test_a_primary_metric_the_runs_recorded_is_warned_of_no_more(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial t16 F13: 012's `[metrics] primary = 'high_dtu_nll'`, named nowhere in the plan,
    was warned of as a likely typo at every command after every run had recorded it."""
    from tests.e2e.tiny import write_project

    project = write_project(tmp_path)
    script = project / "train.py"
    script.write_text(
        script.read_text("utf-8").replace(
            'json.dumps({"accuracy": acc})', 'json.dumps({"accuracy": acc, "high_nll": 1 - acc})'
        )
    )
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text("utf-8").replace('primary = "accuracy"', 'primary = "high_nll"'))
    warning = "[metrics] primary = 'high_nll' is named by no block"
    assert main(["plan", "--project", str(project)]) == 0
    assert warning in capsys.readouterr().out
    assert main(["run", "--project", str(project), "--plain"]) == 0
    assert warning in capsys.readouterr().out  # said before any run recorded it
    assert main(["plan", "--project", str(project)]) == 0
    assert warning not in capsys.readouterr().out
    assert main(["run", "--project", str(project), "--plain"]) == 0
    assert warning not in capsys.readouterr().out


def test_a_primary_metric_a_plan_section_lists_is_no_typo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """032 lists its metrics in a "### Primary (Main Table)" table and writes no blocks:
    `[metrics] primary = "AggViol"` was warned about as named nowhere (trial O3)."""
    from tests.e2e.tiny import write_project

    project = write_project(tmp_path)
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text("utf-8").replace('primary = "accuracy"', 'primary = "AggViol"'))
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    assert main(["plan", "--project", str(project)]) == 0
    assert "primary = 'AggViol' is named by no block" in capsys.readouterr().out
    plan.write_text(
        plan.read_text("utf-8")
        + "\n## Metrics\n\n| Metric | Meaning |\n|---|---|\n| AggViol | violations, summed |\n",
        encoding="utf-8",
    )
    assert main(["plan", "--project", str(project)]) == 0
    assert "named by no block" not in capsys.readouterr().out


def test_the_copies_bridge_keeps_of_the_researchers_files_are_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial O3: text written below bridge's marker in the tracker went to
    EXPERIMENT_TRACKER.edited.md with nothing printed. `bridge run` names each copy it kept."""
    from bridge.plan.plan_section import GENERATED_MARK
    from tests.e2e.tiny import write_project

    project = write_project(tmp_path)
    assert main(["run", "--project", str(project), "--plain"]) == 0
    first = capsys.readouterr().out
    assert (
        "kept refine-logs/EXPERIMENT_TRACKER.md as it was before bridge in "
        "refine-logs/EXPERIMENT_TRACKER.before-bridge.md"
    ) in first
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    assert GENERATED_MARK in text
    tracker.write_text(text + "\nmy note under the marker\n", encoding="utf-8")
    assert main(["run", "--project", str(project), "--plain"]) == 0
    second = capsys.readouterr().out
    # The edited file was read as the plan's input (its Status cells are the researcher's
    # word), but the note below the marker is in the copy only, and that is said.
    assert (
        "read your edit of refine-logs/EXPERIMENT_TRACKER.md; the file as you left it is kept "
        "in refine-logs/EXPERIMENT_TRACKER.edited.md: bridge fills in the Status and Notes of "
        "the rows it ran and everything below its marker, so text you wrote there is only in "
        "that copy"
    ) in second
    assert "before bridge" not in second  # only what this command kept
    assert "my note under the marker" in (
        project / "refine-logs" / "EXPERIMENT_TRACKER.edited.md"
    ).read_text(encoding="utf-8")


def test_a_copy_kept_only_for_a_status_not_taken_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial t15 on 009: TODO written on a run that succeeded (bridge keeps its result and says
    so) kept the tracker as `.edited.md` with "text you wrote there is only in that copy (write
    notes above the marker)", though their note on the same row was in the tracker: alarming,
    and not what getting-started says. The copy is kept for the Status alone, and said so."""
    from tests.e2e.tiny import write_project

    project = write_project(tmp_path)
    assert main(["run", "--project", str(project), "--plain"]) == 0
    capsys.readouterr()
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("| R002 "))
    assert "| DONE | seed 0" in lines[at], lines[at]
    lines[at] = lines[at].replace("| DONE | seed 0", "| TODO | seed 0, my note")
    tracker.write_text("".join(lines), encoding="utf-8")
    assert main(["run", "--project", str(project), "--plain"]) == 0
    second = capsys.readouterr().out
    assert "R002 succeeded, and the tracker's Status now says TODO" in second
    assert (
        "read your edit of refine-logs/EXPERIMENT_TRACKER.md: the Status you wrote on R002 was "
        "not taken (why is said above) and bridge wrote its own back there; the file as you left "
        "it is kept in refine-logs/EXPERIMENT_TRACKER.edited.md, and everything else you wrote "
        "is in the tracker"
    ) in second
    assert "only in that copy" not in second
    rewritten = tracker.read_text(encoding="utf-8")
    assert "| DONE | seed 0, my note" in rewritten  # their note is in the tracker, as said
    assert "| TODO | seed 0, my note" in (
        project / "refine-logs" / "EXPERIMENT_TRACKER.edited.md"
    ).read_text(encoding="utf-8")
