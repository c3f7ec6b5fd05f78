"""
``{system}`` in a command, for runs of blocks that compare no systems (017's B1, B2, B4, B5).

The refusal named R001 only, and said "set it in the tracker, [[runs]] or [run] args" with no
word of why the run has no system or what to write (trial s43 h43D). Bridge gives no empty
value (a script dispatching on its system would run some default unsaid): the refusal, before
any launch, names every run alike and the lines that fill it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.cli import main
from bridge.projections.error_words import error_in_language
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

pytestmark = needs_shared


def _config(project: Path, args: str) -> None:
    (project / "bridge.toml").write_text(
        f'[run]\ncommand = "python3 job.py {{run_id}} {{system}} {{output_dir}}"\n{args}\n',
        encoding="utf-8",
    )


def test_system_placeholder_of_runs_with_no_system_names_them_and_what_to_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2 naming R001, the runs alike, and the three ways out; the first of them plans."""
    project = as_project("017", tmp_path / "017")
    _config(project, 'args = { seed = "0" }')
    assert main(["plan", "--project", str(project)]) == 2
    said = capsys.readouterr().err.strip()
    expected = (
        "bridge.toml:2: run R001: placeholder {system} in run.command has no value for this run "
        "(set it in the tracker, [[runs]] or [run] args); it has no system: its tracker row "
        "names none and block B1 lists no compared systems (so have R002, R008, R009); give "
        'such runs one with [run] args = { system = "NAME" } (a run\'s own system still wins), '
        'or one run its own with a [[runs]] entry (id = "R001", args = { system = "NAME" }), '
        "or pass {block} instead"
    )
    assert said == f"bridge: error: {expected}"
    assert error_in_language(expected, "zh") == (
        "bridge.toml:2：运行 R001：run.command 中的占位符 {system} 对这个运行没有值（请在追踪表、"
        "[[runs]] 或 [run] args 中设置）；它没有系统：追踪表中那一行没有写系统，实验块 B1 也没有"
        '列出对比系统（R002, R008, R009 也是如此）；可用 [run] args = { system = "NAME" } 给这些'
        '运行一个系统（运行自己的系统仍然优先），或用 [[runs]] 条目（id = "R001"，args = { system '
        '= "NAME" }）给某一个运行它自己的系统，或改用 {block}'
    )
    _config(project, 'args = { seed = "0", system = "profile" }')
    assert main(["plan", "--project", str(project)]) == 0
    from bridge.plan import load_project

    systems = {r.id: r.params["system"] for r in load_project(project).runs}
    assert systems["R001"] == "profile"
    assert systems["R003"] == "GPU-only"


def test_system_placeholder_of_runs_in_no_block_offers_no_block_placeholder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """026's rows have no System column and are in no block: {block} has no value for them
    either, so it is not offered; said in the plan's Chinese."""
    project = as_project("026", tmp_path / "026")
    _config(project, 'args = { seed = "0" }')
    assert main(["plan", "--project", str(project)]) == 2
    said = capsys.readouterr().err.strip()
    assert said.endswith(
        "它没有系统：追踪表中那一行没有写系统，它也不属于任何实验块（G6, G7, E1, E2, E3, E4, E4b, "
        'E5, E6, E7, E8, E9, E10 也是如此）；可用 [run] args = { system = "NAME" } 给这些运行一个'
        '系统（运行自己的系统仍然优先），或用 [[runs]] 条目（id = "P6"，args = { system = '
        '"NAME" }）给某一个运行它自己的系统'
    ), said
    assert "{block}" not in said
