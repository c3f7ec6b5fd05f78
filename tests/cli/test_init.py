"""
``bridge init`` in a researcher's project: their plan and tracker are never written over.

Trials on corpus plans found ``bridge init`` in an ARIS project refusing with "use --force to
overwrite", and ``--force`` replacing the researcher's plan and tracker with templates, no copy
kept. These tests run it on a copy of a real plan (036) and compare the bytes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bridge.cli import main
from tests.conftest import SHARED, needs_shared
from tests.plan.corpus import as_project

pytestmark = needs_shared


def _aris_copy(tmp_path: Path) -> Path:
    """036's plan and tracker copied into ``refine-logs/`` of a new project."""
    project = tmp_path / "036"
    (project / "refine-logs").mkdir(parents=True)
    for name in ("EXPERIMENT_PLAN.md", "EXPERIMENT_TRACKER.md"):
        shutil.copy(SHARED / "corpus" / "plans" / "036_tangut-nlp" / name, project / "refine-logs")
    return project


def _researchers(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "refine-logs").iterdir())}


def test_init_beside_a_plan_writes_only_bridge_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _aris_copy(tmp_path)
    before = _researchers(project)
    assert main(["init", str(project)]) == 0
    said = capsys.readouterr().out
    assert f"wrote {project / 'bridge.toml'}" in said
    assert "kept refine-logs/EXPERIMENT_PLAN.md, refine-logs/EXPERIMENT_TRACKER.md" in said
    assert _researchers(project) == before
    assert (project / "bridge.toml").is_file()


def test_force_replaces_bridge_toml_only_and_keeps_the_old_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _aris_copy(tmp_path)
    before = _researchers(project)
    (project / "bridge.toml").write_text("[run]\ncommand = 'mine'\n", encoding="utf-8")
    assert main(["init", str(project)]) == 2
    refused = capsys.readouterr().err
    assert "bridge.toml already exists (use --force to replace it" in refused
    assert "are yours and never written over" in refused
    assert main(["init", "--force", str(project)]) == 0
    assert _researchers(project) == before
    kept = project / "bridge.toml.before-init"
    assert kept.read_text(encoding="utf-8") == "[run]\ncommand = 'mine'\n"
    assert "command = 'mine'" not in (project / "bridge.toml").read_text(encoding="utf-8")
    # A second --force keeps the first copy too (it wrote the template over it).
    assert main(["init", "--force", str(project)]) == 0
    assert kept.read_text(encoding="utf-8") == "[run]\ncommand = 'mine'\n"
    assert (project / "bridge.toml.before-init.2").is_file()


def test_the_bridge_toml_written_beside_a_plan_is_one_bridge_plan_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo project's bridge.toml (its train.py, `{model}`, Baseline/Method systems)
    made `bridge plan` refuse 036 at once ("placeholder {seed} … has no value"; 018:
    "[systems."Baseline"] names no system of the plan"). Beside a plan, bridge.toml names none
    of it, and `bridge plan` says what to fill in."""
    project = _aris_copy(tmp_path)
    assert main(["init", str(project)]) == 0
    capsys.readouterr()
    assert main(["plan", "--project", str(project)]) == 0
    said = capsys.readouterr()
    assert "have no command" in said.out + said.err, said


def test_the_default_seed_written_is_the_plans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """001's plan states seed 42 (B1 `Seed: 42`, plan:64); bridge.toml written with the
    template's `seed = "0"` made the next `bridge plan` warn "bridge.toml sets seed 0 ([run]
    args), but the plan states seed 42", of the file init had just written (trial h39A)."""
    project = tmp_path / "001"
    (project / "refine-logs").mkdir(parents=True)
    for name in ("EXPERIMENT_PLAN.md", "EXPERIMENT_TRACKER.md"):
        shutil.copy(SHARED / "corpus" / "plans" / "001_dcham" / name, project / "refine-logs")
    assert main(["init", str(project)]) == 0
    assert 'args = { seed = "42" }' in (project / "bridge.toml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["plan", "--project", str(project)]) == 0
    said = capsys.readouterr()
    assert "bridge.toml sets seed" not in said.out + said.err, said


def test_init_names_the_dated_plan_it_reads_and_the_seed_the_rows_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """038's EXPERIMENT_PLAN.md links to the dated plan bridge reads: init said "kept
    refine-logs/EXPERIMENT_PLAN.md", not that file (h40A F10). 023's plan states no seed and its
    tracker rows name 42, 42 and 42/27/97: init wrote the template's seed 0, which its rows with
    no seed then ran at (h40I F11); 026's rows name 123 only on nice-to-have extra seeds."""
    assert main(["init", str(as_project("038", tmp_path / "038"))]) == 0
    said = capsys.readouterr().out
    assert (
        "kept refine-logs/EXPERIMENT_PLAN_20260802_TRIPHARM_THREE_GATES.md (the plan bridge "
        "reads, linked from refine-logs/EXPERIMENT_PLAN.md), refine-logs/EXPERIMENT_TRACKER.md "
        "as they are"
    ) in said, said
    project = as_project("023", tmp_path / "023")
    assert main(["init", str(project)]) == 0
    said = capsys.readouterr().out
    assert 'args = { seed = "42" }' in (project / "bridge.toml").read_text(encoding="utf-8")
    assert (
        "bridge.toml 的默认种子（用于计划和追踪表行都未给出种子的运行）：42，"
        "追踪表各行最常写的种子（各行写了 42、27、97），而不是模板的 0"
    ) in said, said
    # 026's only rows naming a seed are E5/E6 «seed=123», MEDIUM: second seeds of E3/E4b,
    # which name none. 123 as the default ran E3 at E5's seed (h41A F6): the template's 0 is
    # kept, said why.
    project = as_project("026", tmp_path / "026")
    assert main(["init", str(project)]) == 0
    said = capsys.readouterr().out
    assert 'args = { seed = "0" }' in (project / "bridge.toml").read_text(encoding="utf-8")
    assert (
        "bridge.toml 的默认种子（用于计划和追踪表行都未给出种子的运行）：仍为模板的 0——计划没有写明"
        "种子，只有可选的行写了种子（E5、E6：123），它们像是其他行的额外种子"
    ) in said, said


def test_the_templates_seed_kept_where_nothing_states_one_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """004's plan and tracker state no seed: init kept the template's `seed = "0"` and said
    nothing, and every run then ran at `--seed 0` with no word of where it came from (trial
    h42A F17)."""
    project = as_project("004", tmp_path / "004")
    assert main(["init", str(project)]) == 0
    said = capsys.readouterr().out
    assert 'args = { seed = "0" }' in (project / "bridge.toml").read_text(encoding="utf-8")
    assert (
        "bridge.toml's default seed (for runs whose plan and tracker row give none): 0, the "
        "template's: neither the plan nor the tracker states a seed; change it in [run] args "
        "if the project uses another"
    ) in said, said


def test_a_plan_beside_refine_logs_is_moved_first_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """026's files lie at the top of the project: a template plan in refine-logs/ would be
    read instead of them."""
    project = tmp_path / "026"
    shutil.copytree(SHARED / "corpus" / "plans" / "026_adathink-v1-cn", project)
    names = sorted(p.name for p in project.iterdir())
    assert main(["init", str(project)]) == 2
    err = capsys.readouterr().err
    assert "where bridge does not read them" in err
    assert "mkdir -p refine-logs && mv EXPERIMENT_PLAN.md" in err
    assert sorted(p.name for p in project.iterdir()) == names


def test_init_speaks_a_chinese_plans_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial C on 018: `bridge init` beside a Chinese plan printed `wrote … / kept … / next: …`
    in English, its first words to a researcher every later command speaks Chinese to."""
    project = tmp_path / "018"
    shutil.copytree(
        SHARED / "projects" / "018_areal-harness-cn" / "refine-logs", project / "refine-logs"
    )
    assert main(["init", str(project)]) == 0
    said = capsys.readouterr().out
    assert f"已写入 {project / 'bridge.toml'}" in said
    assert "保留 refine-logs/EXPERIMENT_PLAN.md, refine-logs/EXPERIMENT_TRACKER.md 原样" in said
    assert "next:" not in said and "wrote" not in said


def test_a_new_project_run_before_its_script_is_written_says_the_check_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bridge init my-project` then `bridge run`: blocked on "the script train.py does not
    exist in the project", under "Scripts: existing code used as is (checked)" (trial)."""
    project = tmp_path / "my-project"
    assert main(["init", str(project)]) == 0
    capsys.readouterr()
    assert main(["run", "--plain", "--project", str(project)]) == 3
    out = capsys.readouterr().out
    assert "Scripts: existing code checked: 1 blocking finding, see the next step.\n" in out
    assert "used as is" not in out
    assert "the script train.py does not exist in the project" in out


def _edited(project: Path, old: str, new: str) -> None:
    config = project / "bridge.toml"
    text = config.read_text(encoding="utf-8")
    assert old in text, text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_researchers_own_args_line_is_refused_naming_both_lines_and_the_merged_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """004 as a new user: uncomment the command, add `--lr {lr}` and an `args = { lr = ... }`
    line under it, as the comments invite. bridge.toml already held init's
    `args = { seed = "0" }`, and `bridge plan` said only tomllib's "TOML syntax error: Cannot
    overwrite a value (at line 19, column 22)" (trial s43 h43D). The refusal now names the key,
    both lines and the one line to write; writing it, as the template's comment says, plans."""
    project = as_project("004", tmp_path / "004")
    assert main(["init", str(project)]) == 0
    assert "add your keys to this one line" in (project / "bridge.toml").read_text().casefold()
    _edited(
        project,
        '# command = "python3 train.py --seed {seed} --out {output_dir}"',
        'command = "python3 train.py --seed {seed} --lr {lr} --out {output_dir}"\n'
        'args = { lr = "1e-3" }',
    )
    capsys.readouterr()
    assert main(["plan", "--project", str(project)]) == 2
    lines = (project / "bridge.toml").read_text(encoding="utf-8").split("\n")
    first = lines.index('args = { lr = "1e-3" }') + 1
    second = lines.index('args = { seed = "0" }') + 1
    assert capsys.readouterr().err.strip() == (
        f"bridge: error: bridge.toml:{second}: args is set twice in [run]: line {first} sets it "
        "already, and TOML takes a key once per table; write one line with the keys of both: "
        'args = { lr = "1e-3", seed = "0" }'
    )
    _edited(project, 'args = { lr = "1e-3" }\n', "")
    _edited(project, 'args = { seed = "0" }', 'args = { seed = "0", lr = "1e-3" }')
    assert main(["plan", "--project", str(project)]) == 0


def test_an_args_line_set_twice_in_a_chinese_project_is_said_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """026 as a new user, the same edit: the refusal in the plan's language, and a second
    `args` whose keys clash with the first is told to keep one."""
    project = as_project("026", tmp_path / "026")
    assert main(["init", str(project)]) == 0
    _edited(project, 'args = { seed = "0" }', 'args = { seed = "0" }\nargs = { seed = "1" }')
    capsys.readouterr()
    assert main(["plan", "--project", str(project)]) == 2
    lines = (project / "bridge.toml").read_text(encoding="utf-8").split("\n")
    first = lines.index('args = { seed = "0" }') + 1
    assert capsys.readouterr().err.strip() == (
        f"bridge: error: bridge.toml:{first + 1}：args 在 [run] 中设置了两次：第 {first} 行已经"
        "设置了它，而 TOML 在一张表中只接受一次同一个键；请只保留其中一个（或把第 "
        f"{first + 1} 行添加的内容移入第 {first} 行的 args）"
    )


@pytest.mark.parametrize(
    ("plan", "said"),
    [
        (
            "004",
            "bridge: error: bridge.toml:{second}: the table [run] is written twice: line {first} "
            "starts it already, and TOML takes a table once; move the keys under line {second} "
            "into the table at line {first}",
        ),
        (
            "026",
            "bridge: error: bridge.toml:{second}：表 [run] 写了两次：第 {first} 行已经开始了它，而 "
            "TOML 只接受一次同一张表；请把第 {second} 行下的键移入第 {first} 行的那张表",
        ),
    ],
)
def test_a_table_written_twice_is_said_as_a_table(
    plan: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second `[run]` header with the researcher's own keys under it was said as a key `run`
    set twice "at the top of the file" (review s43 R3, item 8): it is the table, and where."""
    project = as_project(plan, tmp_path / plan)
    assert main(["init", str(project)]) == 0
    config = project / "bridge.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[run]\nargs = { lr = "1e-3" }\n', encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["plan", "--project", str(project)]) == 2
    lines = config.read_text(encoding="utf-8").split("\n")
    first = lines.index("[run]") + 1
    second = len(lines) - 2
    assert lines[second - 1] == "[run]"
    assert capsys.readouterr().err.strip() == said.format(first=first, second=second)


@pytest.mark.parametrize(
    ("written", "refused"),
    [
        ("{system:-none}", True),
        ("{seed:02d}", True),
        ("{seed!r}", True),
        ("{{system:-none}}", False),  # literal braces, as written
        ("{0,1}", False),  # no placeholder's name: literal, as the templates say
        ("'{seed:.seed}'", False),  # a jq filter (review h43R4)
        ("${seed:-1}", False),  # a shell expansion a `bash -c` script makes
    ],
)
def test_a_placeholder_with_a_default_or_a_format_is_refused(
    written: str, refused: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """017 as a new user, after the refusal of `{system}` with no value, tried the shell's
    `{system:-none}`: it reached the script as written, with no word (review s43 R3, item 9)."""
    project = as_project("004", tmp_path / "004")
    (project / "bridge.toml").write_text(
        f'[run]\ncommand = "python3 x.py {written} {{seed}}"\nargs = {{ seed = "0" }}\n',
        encoding="utf-8",
    )
    capsys.readouterr()
    code = main(["plan", "--project", str(project)])
    err = capsys.readouterr().err
    if refused:
        assert code == 2
        assert f"bridge.toml:2: run.command writes {written}, which is no placeholder" in err
    else:
        assert "no placeholder" not in err
