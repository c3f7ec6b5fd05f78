"""
A plan that names no runs, with no tracker (040's prose plan): every command that meets it says
the one thing that gives it runs, ``bridge init`` writes that thing's template, and following
the advice works.

Before, ``bridge plan`` showed an empty table and exited 0, ``bridge run`` said "`bridge init`
writes commented templates to start from", ``bridge init`` wrote no template for runs and said
"give the runs their commands", and ``bridge status`` said "`bridge run` or `bridge advance`
starts one", both of which refuse such a plan.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from bridge.cli import main
from bridge.plan import load_project
from bridge.projections.plan_words import warning_in_language
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

pytestmark = needs_shared

ADVICE = (
    "list the runs as [[runs]] entries in bridge.toml, one per run with its id, system and "
    'command ({how}; docs/configuration.md, "[[runs]] — explicit runs"), or as a run table in '
    "refine-logs/EXPERIMENT_TRACKER.md"
)
NO_CONFIG = "`bridge init` writes bridge.toml with a commented [[runs]] template"
IN_CONFIG = "uncomment the [[runs]] template at the end of bridge.toml"


def _project(tmp_path: Path) -> Path:
    return as_project("040", tmp_path / "040")


def test_plan_says_run_refuses_and_what_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    assert main(["plan", "--project", str(project)]) == 2
    said = capsys.readouterr().out
    # Each place runs come from as it is (h39E F9: "runs from nowhere", and a tracker with
    # no run table and a bridge.toml with no [[runs]], neither file being there).
    assert (
        "0 runs (0 must-run, 0 nice-to-have); no runs: none in a tracker run table or "
        "bridge.toml, none proposed from the plan's blocks (the warning below says what gives "
        "them); budget: not stated"
    ) in " ".join(said.split())
    assert (
        "no runs: there is no tracker, there is no bridge.toml, and the plan has no experiment "
        "blocks to propose runs from; `bridge run` refuses a plan with none: "
        + ADVICE.format(how=NO_CONFIG)
    ) in " ".join(said.split())


def test_run_and_status_say_what_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path)
    assert main(["run", "--plain", "--project", str(project)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert (
        "refine-logs/EXPERIMENT_PLAN.md: nothing to run: the plan has no run order, experiment "
        "blocks or tracker rows to run; " + ADVICE.format(how=NO_CONFIG)
    ) in err
    assert "writes commented templates to start from" not in err
    assert main(["status", "--project", str(project)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "`bridge run` cannot start one: the plan names no runs; " in err
    assert ADVICE.format(how=NO_CONFIG) in err
    assert "`bridge advance` starts one" not in err


def test_init_writes_a_runs_template_and_following_it_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    assert main(["init", str(project)]) == 0
    said = capsys.readouterr().out
    # Its one file is "it" ("kept refine-logs/EXPERIMENT_PLAN.md as they are").
    assert "EXPERIMENT_PLAN.md as it is (yours: bridge init never writes over it)" in said
    assert (
        "next: the plan names no runs and there is no tracker run table: uncomment the "
        "[[runs]] template at the end of bridge.toml"
    ) in said
    config = project / "bridge.toml"
    text = config.read_text(encoding="utf-8")
    assert '\n# [[runs]]\n# id = "R001"\n' in text
    # The advice now points at the template; `bridge init --force` writes it again.
    assert ADVICE.format(how=IN_CONFIG) in " ".join(
        w.message for w in load_project(project).warnings
    )
    assert main(["init", "--force", str(project)]) == 0
    assert config.read_text(encoding="utf-8").count("# [[runs]]") == 1
    capsys.readouterr()
    # Uncommented, with a command: `bridge plan` exits 0 and `bridge run` runs it.
    script = project / "screen.py"
    script.write_text(
        "import json, os, sys\n"
        "out = sys.argv[1]\n"
        "os.makedirs(out, exist_ok=True)\n"
        "json.dump({'accuracy': 0.5}, open(os.path.join(out, 'metrics.json'), 'w'))\n",
        encoding="utf-8",
    )
    command = f'command = ["{sys.executable}", "screen.py", "{{output_dir}}"]'
    config.write_text(
        text.replace("# [[runs]]\n", "[[runs]]\n")
        .replace('# id = "R001"', 'id = "screen"')
        .replace('# command = "python3 train.py --seed {seed} --out {output_dir}"', command),
        encoding="utf-8",
    )
    assert [r.id for r in load_project(project).runs] == ["screen"]
    assert main(["plan", "--project", str(project)]) == 0
    assert main(["run", "--plain", "--project", str(project)]) == 0
    assert "1/1 must-run runs succeeded" in capsys.readouterr().out
    # The entry renamed: the run it was is set aside, not counted beside the new one (040's S4
    # renamed G4 was counted twice in B1, n=2 of one result).
    config.write_text(
        config.read_text(encoding="utf-8").replace('id = "screen"', 'id = "screen-2"'), "utf-8"
    )
    assert main(["run", "--plain", "--project", str(project)]) == 0
    said = capsys.readouterr().out
    assert (
        "screen set aside, not counted: screen was removed from bridge.toml after it ran; its "
        "result is kept in the log, not counted"
    ) in said
    assert "Must-run completed: 1/1 (1 more is set aside, no longer in the plan" in said


def test_a_project_with_runs_gets_no_template(tmp_path: Path) -> None:
    """036 has a tracker: its bridge.toml gets no [[runs]] template."""
    project = tmp_path / "036"
    shutil.copytree(as_project("036", tmp_path / "src") / "refine-logs", project / "refine-logs")
    assert main(["init", str(project)]) == 0
    assert "# [[runs]]" not in (project / "bridge.toml").read_text(encoding="utf-8")


def test_the_warning_in_chinese() -> None:
    message = (
        "no runs: the tracker has no run table, bridge.toml has no [[runs]] or [grid], and no "
        "runs could be proposed from the plan's blocks; `bridge run` refuses a plan with none: "
        + ADVICE.format(how=IN_CONFIG)
    )
    assert warning_in_language(
        "no runs: there is no tracker, there is no bridge.toml, and the plan has no experiment "
        "blocks to propose runs from",
        "zh",
    ) == ("没有运行：没有追踪表，没有 bridge.toml，计划也没有可据以提议运行的实验块")
    assert warning_in_language(message, "zh") == (
        "没有运行：追踪表没有运行表，bridge.toml 没有 [[runs]] 或 [grid]，也无法从计划的实验块"
        "提议运行；`bridge run` 会拒绝没有运行的计划：请在 bridge.toml 中用 [[runs]] 条目列出"
        "运行，每个运行一条，写明 id、system 和 command（取消 bridge.toml 末尾 [[runs]] 模板的"
        "注释；见 docs/configuration.md 的“[[runs]] — explicit runs”），或在 "
        "refine-logs/EXPERIMENT_TRACKER.md 中写运行表"
    )


BLOCK = """
## Experiment Blocks

### Block 1: Graph evaluation
- **Compared systems**: evaluate-graphs
- **Success criterion**: auroc_full ≥ 0.70.
"""


def _entry(run_id: str, system: str) -> str:
    return f'[[runs]]\nid = "{run_id}"\nsystem = "{system}"\ncommand = "python3 {system}.py"\n\n'


def test_a_block_added_later_does_not_take_over_a_run_of_the_same_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """040 made runnable with [[runs]] R001 `screen` … R004 `evaluate-graphs` (the ids init's
    template suggests), then given a block: the plan proposed R001 for B1, the entry was applied
    over it, and `screen` ran counted as B1's `evaluate-graphs` (its verdict "1 of 2 expected
    seeds: R001 recorded n_samples but no auroc_full"), asking for approval as a proposed run.
    Then refused, the way out was a new id, which ran the finished R001 again (trial s43 h43D):
    an entry setting a system its id's block does not compare is a run of its own, and kept."""
    project = _project(tmp_path)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(plan.read_text(encoding="utf-8") + BLOCK, encoding="utf-8")
    config = project / "bridge.toml"
    config.write_text(_entry("R001", "screen") + _entry("R004", "evaluate-graphs"), "utf-8")
    runs = {r.id: (r.block, r.system, r.source) for r in load_project(project).runs}
    assert runs == {
        "R001": ("", "screen", "config"),
        "R004": ("B1", "evaluate-graphs", "config"),
    }
    # Beside an entry that changes a proposed run, the proposal stands and R001 is its run's id:
    # refused, saying how to keep R001 as it ran.
    config.write_text(
        _entry("R001", "screen") + '[[runs]]\nid = "R001x"\ncommand = "python3 g.py"\n', "utf-8"
    )
    assert [r.id for r in load_project(project).runs] == ["R001", "R001x"]
    config.write_text(
        '[[runs]]\nid = "R002"\ncommand = "python3 g.py"\n\n' + _entry("R001", "screen"),
        "utf-8",
    )
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "evaluate-graphs\n", "evaluate-graphs, no_edges\n", 1
        ),
        encoding="utf-8",
    )
    assert main(["plan", "--project", str(project)]) == 2
    said = " ".join(capsys.readouterr().err.split())
    assert (
        "bridge.toml:7: [[runs]] R001 sets system 'screen', which block B1 does not compare, but "
        "R001 is the run bridge proposes for B1's 'evaluate-graphs', and [[runs]] R002 changes "
        "proposed runs, so the proposal stands: R001 would run 'screen' counted as "
        "'evaluate-graphs'. To keep R001 as it ran (a new id is a new run, run again), give "
        "[[runs]] R002 ids the plan does not propose, with the block and system each runs "
        '(block = "B1", system = ...): the runs are then bridge.toml\'s and none is proposed; '
        "or, to change the proposed run, leave out R001's system"
    ) in said, said
    # An entry that changes only the proposed run's settings still does.
    config.write_text('[[runs]]\nid = "R001"\ncommand = "python3 graphs.py"\n', "utf-8")
    run = load_project(project).runs[0]
    assert (run.id, run.block, run.system) == ("R001", "B1", "evaluate-graphs")
    assert run.source == "proposed"


def test_a_grid_value_cut_sets_its_run_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """040 with a block run by a [grid] over seeds 0, 1, 2, then cut to 0, 1: G003 (seed 2)
    stayed counted, and B1 was judged on n=3 (not met, 0.6467 < 0.70) rather than its two seeds
    (met, 0.75). Its block titled main is the main result, of no milestone: that read "Main
    result (): positive"."""
    project = _project(tmp_path)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    main_block = BLOCK.replace("Graph evaluation", "Main result")
    plan.write_text(plan.read_text(encoding="utf-8") + main_block, encoding="utf-8")
    (project / "graphs.py").write_text(
        "import json, os, sys\n"
        "out, seed = sys.argv[1], int(sys.argv[2])\n"
        "os.makedirs(out, exist_ok=True)\n"
        "json.dump({'auroc_full': [0.75, 0.75, 0.44][seed]}, "
        "open(os.path.join(out, 'metrics.json'), 'w'))\n",
        encoding="utf-8",
    )
    command = json.dumps([sys.executable, "graphs.py", "{output_dir}", "{seed}"])
    config = project / "bridge.toml"
    grid = '[grid]\nblock = "B1"\naxes = {{ system = ["evaluate-graphs"], seed = [{}] }}\n'
    config.write_text(f"[run]\ncommand = {command}\n" + grid.format("0, 1, 2"), "utf-8")
    results = project / "refine-logs" / "EXPERIMENT_RESULTS.md"
    main(["run", "--plain", "--project", str(project)])
    assert "**not_met** (judged by rule) — auroc_full: evaluate-graphs 0.646667 ± 0.179 (n=3)" in (
        results.read_text(encoding="utf-8")
    )
    config.write_text(f"[run]\ncommand = {command}\n" + grid.format("0, 1"), "utf-8")
    main(["run", "--plain", "--project", str(project)])
    said = capsys.readouterr().out
    assert "G003 set aside, not counted: G003 was removed from bridge.toml after it ran" in said
    assert "Main result (the plan has no milestones): positive, every criterion met — B1" in said
    assert "**met** (judged by rule) — auroc_full: evaluate-graphs 0.75 ± 0 (n=2)" in (
        results.read_text(encoding="utf-8")
    )
