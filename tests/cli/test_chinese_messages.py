"""
A Chinese plan's errors are Chinese after the ``bridge: error:`` prefix (026, 021), and so are
``bridge init``'s ``[[runs]]`` template, ``bridge plan``'s proposed sanity run (039) and the next
step ``bridge advance`` gives (021).

Before, 026's plan with its tracker removed got "nothing to run: the plan has no run order, …"
from ``bridge run`` and "no bridge event log at …, and `bridge run` cannot start one: …" from
``bridge status``; 021 got "no run 'R999' in this project (runs: …)" from ``bridge cancel`` and
``bridge retry``, "--milestone M9: the plan has milestones …" from ``bridge retry
--milestone``; and ``bridge init`` wrote the ``[[runs]]`` template with English comments, beside
Chinese lines on the console and in every other file; 039 without its tracker was warned "the
sanity milestone M0 names no run: bridge proposes S001, …".
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest

from bridge.cli import main
from tests.conftest import REPO_ROOT, SHARED, needs_shared
from tests.english_left import english_left
from tests.plan.corpus import as_project

pytestmark = needs_shared

PREFIX = "bridge: error: "
# What stays English in them: the keys of a [[runs]] entry and a docs heading's words.
KEYS = {"system", "command", "runs", "explicit"}


def _without_runs(tmp_path: Path) -> Path:
    """026 with its tracker taken away: the plan names no runs and nothing proposes any."""
    project = as_project("026", tmp_path / "026")
    (project / "refine-logs" / "EXPERIMENT_TRACKER.md").unlink()
    return project


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith(PREFIX), err
    return err.removeprefix(PREFIX)


def test_run_and_status_of_a_plan_without_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _without_runs(tmp_path)
    assert main(["run", "--plain", "--project", str(project)]) == 2
    said = _error(capsys)
    assert said.startswith(
        "refine-logs/EXPERIMENT_PLAN.md：没有可运行的：计划中没有运行顺序、实验块或追踪表的行"
        "可供运行（bridge 还找到了 refine-logs/FINAL_PROPOSAL.md）；请在 bridge.toml 中用 "
        "[[runs]] 条目列出运行"
    ), said
    assert "（`bridge init` 会写出带有注释掉的 [[runs]] 模板的 bridge.toml；" in said
    assert english_left(said, allowed=KEYS) == []
    assert main(["status", "--project", str(project)]) == 2
    said = _error(capsys)
    log = project / ".bridge" / "events.db"
    assert f"：{log} 处没有 bridge 事件日志，`bridge run` 也无法开始一个：计划中没有写出" in said
    assert english_left(said, allowed=KEYS) == []


def test_language_en_keeps_the_error_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _without_runs(tmp_path)
    assert main(["status", "-o", "language=en", "--project", str(project)]) == 2
    assert "and `bridge run` cannot start one: the plan names no runs;" in _error(capsys)


def test_unknown_runs_milestones_and_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = as_project("021", tmp_path / "021")
    assert main(["status", "--project", str(project)]) == 2
    assert _error(capsys) == (
        f"{project}：{project / '.bridge' / 'events.db'} 处没有 bridge 事件日志——`bridge run` "
        "或 `bridge advance` 会开始一个"
    )
    assert main(["cancel", "R1", "--project", str(project)]) == 2
    assert _error(capsys) == (
        "还没有记录运行 'R1'：这个项目中还没有运行过任何东西；`bridge run` 会记录计划的运行"
    )
    # One step records the plan's runs (it then blocks: 021's runs have no command).
    assert main(["advance", "--project", str(project)]) == 3
    capsys.readouterr()
    runs = "R001, R002, R003, R004, R004b, R004c, R004d, R005, R006, R007, R008, R009, …"
    for command in (["cancel", "R999"], ["retry", "R999"], ["log", "--run", "R999"]):
        assert main([*command, "--project", str(project)]) == 2
        assert _error(capsys) == f"没有名为 'R999' 的运行（现有运行：{runs}）"
    assert main(["retry", "--milestone", "M9", "--project", str(project)]) == 2
    assert _error(capsys) == "--milestone M9：计划中的里程碑是 M0, M1, M2, M3, M4, M5, M6"
    out = tmp_path / "past"
    assert main(["replay", "--at", "99999", "--out", str(out), "--project", str(project)]) == 2
    assert re.fullmatch(r"--at 99999：日志中的事件编号为 1 到 \d+", _error(capsys))


def test_an_english_plan_keeps_english_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = as_project("036", tmp_path / "036")
    assert main(["cancel", "R1", "--project", str(project)]) == 2
    assert _error(capsys) == (
        "no run 'R1' is recorded yet: nothing has run in this project; `bridge run` records the "
        "plan's runs"
    )


def _uncommented(template: str) -> dict[str, object]:
    lines = [line[2:] for line in template.splitlines() if re.match(r"# (\[\[|\w+ = )", line)]
    return tomllib.loads("\n".join(lines))


def test_init_writes_the_runs_template_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _without_runs(tmp_path)
    assert main(["init", str(project)]) == 0
    capsys.readouterr()
    written = (project / "bridge.toml").read_text(encoding="utf-8")
    template = written[written.index("\n\n# 计划中没有写出运行") :]
    # The command stays the example it is, its {seed} placeholder with it.
    assert english_left(template, allowed=KEYS | {"seed"}) == [], template
    english = (REPO_ROOT / "bridge" / "templates" / "runs.toml").read_text(encoding="utf-8")
    assert _uncommented(template) == _uncommented(english)
    assert tomllib.loads(written)  # still valid TOML


def _settings(template: str) -> list[str]:
    """A bridge.toml template's tables and keys, commented or not, without their comments."""
    return [
        line.partition(" # ")[0].rstrip()
        for line in template.splitlines()
        if re.match(r"#? ?(\[|\w+ = )", line)
    ]


@needs_shared
def test_init_beside_a_chinese_plan_writes_bridge_toml_with_chinese_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """018's refine-logs/ alone, then `bridge init`: it said «已写入 …/bridge.toml» and wrote
    that file with English comments ("The command every run runs: uncomment it…"). They are
    Chinese; the keys, values and the example commands are the English template's, and an
    English plan (001) still gets the English one."""
    project = tmp_path / "018"
    shutil.copytree(
        SHARED / "projects" / "018_areal-harness-cn" / "refine-logs", project / "refine-logs"
    )
    assert main(["init", str(project)]) == 0
    capsys.readouterr()
    written = (project / "bridge.toml").read_text(encoding="utf-8")
    assert "# 每个运行执行的命令：取消注释并写上你的脚本。" in written, written
    # The comments, not the keys and values (commented or not) they are beside.
    prose = [
        line.partition(" # ")[2] if re.match(r"#? ?(\[|\w+ = )", line) else line
        for line in written.splitlines()
    ]
    english = (REPO_ROOT / "bridge" / "templates" / "bridge.existing.toml").read_text(
        encoding="utf-8"
    )
    assert _settings(written) == _settings(english)
    assert tomllib.loads(written) == tomllib.loads(english)
    # The placeholders, as the runs' settings name them; the choices are the values; "shell"
    # is the word a Chinese researcher uses too.
    allowed = {"system", "model", "seed", "block", "milestone", "local", "slurm", "vast", "modal"}
    allowed |= {"warn", "enforce", "false", "shell"}
    assert english_left("\n".join(prose), allowed=allowed) == [], prose
    plan = as_project("001", tmp_path / "001")
    (plan / "bridge.toml").unlink(missing_ok=True)
    assert main(["init", str(plan)]) == 0
    # Its default seed the one 001's plan states (018's states none: the template's 0).
    seeded = english.replace('args = { seed = "0" }', 'args = { seed = "42" }')
    assert (plan / "bridge.toml").read_text(encoding="utf-8") == seeded


def test_plan_says_the_proposed_sanity_run_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """039 without its tracker: bridge proposes the runs, and the sanity run among them."""
    project = as_project("039", tmp_path / "039")
    (project / "refine-logs" / "EXPERIMENT_TRACKER.md").unlink()
    main(["plan", "--project", str(project)])
    said = capsys.readouterr().out
    assert (
        "警告 refine-logs/EXPERIMENT_PLAN.md:63: 健全性里程碑 M0 没有指明运行：bridge 提议以 "
        "S001（实验块 B2 的第一个运行：完整 MART）作为健全性运行；它等待 `bridge approve`"
    ) in said
    assert "names no run" not in said


def test_advance_gives_the_next_step_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """021: `bridge advance` blocks (its runs have no command) and says what to do next; the
    line began "Next step: 流水线已阻断…", where `bridge run`'s summary says 下一步."""
    project = as_project("021", tmp_path / "021")
    assert main(["advance", "--project", str(project)]) == 3
    said = capsys.readouterr().out.splitlines()
    assert said[-1].startswith("下一步：流水线已阻断：1 个阻断问题：8 个运行没有命令："), said[-1]
    assert not any(line.startswith("Next step") for line in said)


def test_init_refuses_a_second_time_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """026: a second `bridge init` keeps the bridge.toml there, saying so in the plan's language."""
    project = as_project("026", tmp_path / "026")
    assert main(["init", str(project)]) == 0
    capsys.readouterr()
    assert main(["init", str(project)]) == 2
    assert _error(capsys) == (
        f"{project}：bridge.toml 已存在（用 --force 替换它，原文件保存为 bridge.toml.before-init；"
        "refine-logs/EXPERIMENT_PLAN.md, refine-logs/EXPERIMENT_TRACKER.md 是你的文件，从不被覆盖）"
    )


@pytest.mark.parametrize(
    ("toml", "language", "said"),
    [
        (
            '[systems."jiont"]\ncommand = "true"\n',
            "zh",
            'bridge.toml:1：[systems."jiont"] 没有指明计划或追踪表中的任何系统；是不是想写 '
            "'joint'？（系统：'1.5B 模型与 GSM8K 预取', ",
        ),
        (
            '[systems."jiont"]\ncommand = "true"\n',
            "en",
            'bridge.toml:1: [systems."jiont"] names no system of the plan or tracker; did you '
            "mean 'joint'? (systems: '1.5B 模型与 GSM8K 预取', ",
        ),
        (
            '[systems."Harness-onlyy"]\naliases = ["fixed"]\ncommand = "true"\n',
            "zh",
            'bridge.toml:1：[systems."Harness-onlyy"] 没有指明计划或追踪表中的任何系统（只有它的'
            "别名指明了）；是不是想写 'Harness-only'？",
        ),
        (
            '[run]\ncomand = "true"\n',
            "zh",
            "bridge.toml:2：未知的设置 run.comand；是不是想写 'command'？"
            "（可用的设置：command, cwd, ",
        ),
        (
            '[runn]\ncommand = "true"\n',
            "zh",
            "bridge.toml:1：未知的设置 runn；是不是想写 'run'？"
            "（可用的设置：bridge, run, systems, ",
        ),
    ],
)
def test_bridge_toml_errors_of_a_chinese_plan_are_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, language: str, said: str
) -> None:
    """Trial t16 on 018 (F5): bridge.toml's most common refusals stayed English for a Chinese
    plan (`[systems."jiont"] names no system…; did you mean 'joint'?`). Their framing is Chinese
    now, the setting names, the names meant and the lists as written; `-o language=en` keeps
    them English."""
    project = tmp_path / "p018"
    shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", project)
    (project / "bridge.toml").write_text(toml, encoding="utf-8")
    assert main(["plan", "-o", f"language={language}", "--project", str(project)]) == 2
    error = _error(capsys)
    assert error.startswith(said), error
    if language == "zh":
        # The framing: what is left once the list of names that ends it is taken off.
        framing = re.sub(r"（(?:系统|可用的设置)：.*）$", "", error)
        assert english_left(framing, allowed={"systems", "toml", "runn", "jiont"}) == [], error


def test_an_unknown_option_is_said_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`-o lenguage=zh` on a Chinese plan: the option misspelt, said in Chinese (trial t16 F5)."""
    project = tmp_path / "p018"
    shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", project)
    assert main(["plan", "-o", "lenguage=zh", "--project", str(project)]) == 2
    assert _error(capsys).startswith(
        "-o：未知的选项 lenguage；是不是想写 'language'？（可用的选项：auto_deploy, "
    )


# bridge.toml's other refusals a researcher meets on 018 (trial t16 F5, the rest): a value of
# the wrong kind, a choice misspelt, a [systems] table that configures no run, a block or run
# the plan has not, a TOML syntax error. (the toml, the error as said, the English it keeps)
_FRAMED = [
    ('[run]\ngpus = "8"\n', "bridge.toml:2：run.gpus 必须是非负整数，而不是 '8'", set()),
    # A secret where a variable's NAME goes: said without the value (session 37).
    (
        '[reviewer]\nkind = "openai"\nmodel = "m"\napi_key_env = "sk-abc"\n',
        "bridge.toml:4：reviewer.api_key_env 必须是环境变量的名字（字母、数字、_），而不是密钥本身",
        set(),
    ),
    ("[run]\ngpus = 1.5\n", "bridge.toml:2：run.gpus 必须是非负整数，而不是 1.5", set()),
    # A boolean where a command-line value goes, the webhook URL where its variable's NAME
    # goes (never quoted back), an empty name and a [notify] that sends nothing (session 38).
    (
        "[run]\nargs = { lr = true }\n",
        "bridge.toml:2：run.args.lr = true 是布尔值，在命令行上没有唯一的写法：请把脚本接受的文本"
        '写成字符串（"true", "True", "1"），或把开关本身写进命令',
        {"lr", "true", "True"},
    ),
    (
        '[notify]\nwebhook_url_env = "https://hooks.slack.com/services/T0/B0/SECRET"\n',
        "bridge.toml:2：notify.webhook_url_env 写的是 URL，而不是环境变量的名字：webhook URL 带有"
        "令牌，请把 URL 放进环境变量（export BRIDGE_WEBHOOK_URL=...），再在这里写上该变量的名字"
        '（webhook_url_env = "BRIDGE_WEBHOOK_URL"）',
        {"notify", "webhook", "url", "env", "URL", "export", "BRIDGE", "WEBHOOK"},
    ),
    (
        '[notify]\nwebhook_url_env = ""\n',
        "bridge.toml:2：notify.webhook_url_env 必须是环境变量的名字（字母、数字、_），不能为空",
        {"notify", "webhook", "url", "env"},
    ),
    (
        '[notify]\nwebhook_url_env = "HOOK"\nevents = []\n',
        "bridge.toml:3：notify.events 必须至少写一个：milestone, failure, blocked, finished"
        "（不写则全部发送；要全部不发送，请删除 [notify]）",
        {"notify", "events", "milestone", "failure", "blocked", "finished"},
    ),
    ("[run]\ncommand = 5\n", "bridge.toml:2：run.command 必须是字符串或字符串列表", set()),
    ('[run]\nenv = "A=1"\n', "bridge.toml:2：run.env 必须是表，而不是 'A=1'", set()),
    ('[runs]\nid = "X"\n', "bridge.toml:1：runs 必须是表数组（[[runs]]）", {"runs"}),
    (
        "[bridge]\nsanity_first = 1\n",
        "bridge.toml:2：bridge.sanity_first 必须是 true 或 false，而不是 1",
        {"true", "false"},
    ),
    ('[run]\ncommand = ""\n', "bridge.toml:2：run.command 为空", set()),
    (
        '[bridge]\nbackend = "locall"\n',
        "bridge.toml:2：bridge.backend = 'locall' 不是可选值之一：local, ssh, slurm, vast, modal；"
        "是不是想写 'local'？",
        {"locall", "local", "slurm", "vast", "modal"},
    ),
    (
        '[[metrics.extract]]\nfile = "m.json"\nquery = "a"\n',
        "bridge.toml:1：必须设置 metrics.extract[0].name",
        set(),
    ),
    (
        '[[metrics.extract]]\nname = "a"\nruns = ["JPH-B9*"]\nfile = "m.json"\nquery = "a"\n',
        "bridge.toml:3：metrics.extract[0].runs：'JPH-B9*' 不匹配任何运行；是不是想写 "
        "'JPH-B2-PO-S0' 或 'JPH-B2-JT-S0' 或 'JPH-B2-HO-S0'？（运行：JPH-M0-LOCAL-001, ",
        set(),
    ),
    (
        '[systems."joint"]\nblock = "B22"\ncommand = "true"\n',
        "bridge.toml:2：systems.joint.block：'B22' 不是计划中的实验块；是不是想写 'B2'？"
        "（实验块：B0, B1, B2, B3, B4）；它的运行会被运行，但永远不会被判定",
        set(),
    ),
    (
        '[systems."Harness only"]\ncommand = "a"\n[systems."Harness-only"]\ncommand = "b"\n',
        'bridge.toml:1：[systems."Harness only"] 与 [systems."Harness-only"]（bridge.toml:3）都指明'
        "了系统 'Harness-only'（JPH-B2-HO-S0），而一个运行只取一张表，即 "
        '[systems."Harness-only"]：请把 [systems."Harness only"] 的设置合并到那张表中',
        {"Harness", "only", "systems", "toml"},
    ),
    (
        '[systems."trainable categorical controller"]\ncommand = "true"\n',
        'bridge.toml:1：[systems."trainable categorical controller"] 指明的是 B1 的对比系统，但没有'
        "运行代表它，因此它不会配置任何运行：一张表配置的是它所指明系统的运行，系统名按追踪表所写，"
        "或按 `bridge plan` 在运行旁显示的（运行的系统：'1.5B 模型与 GSM8K 预取', ",
        {"trainable", "categorical", "controller", "systems", "toml"},
    ),
    # A value of the wrong kind or empty, an entry or table that says nothing (session 37).
    (
        '[systems."joint"]\naliases = "JPH"\n',
        "bridge.toml:2：systems.joint.aliases 必须是字符串列表，而不是 'JPH'",
        {"JPH"},
    ),
    (
        '[[runs]]\nid = "X"\nblock = ""\n',
        "bridge.toml:3：runs[0].block 必须是非空字符串，而不是 ''",
        {"runs"},
    ),
    (
        '[systems."joint"]\n',
        'bridge.toml:1：[systems."joint"] 什么也没有设置：请写上它的运行要取的设置（command、args、'
        "gpus、block、aliases 等），或删去这张表",
        {"systems", "joint", "command", "args", "gpus", "block", "aliases"},
    ),
    (
        '[[runs]]\nid = "JPH-B2-JT-S0"\n',
        "bridge.toml:1：runs[0] 只设置了 id 'JPH-B2-JT-S0'，对那个运行什么也没有改变："
        "请写上它要改的设置（command、gpus、block 等），或删去这个条目",
        {"runs", "id", "JPH", "JT", "S0", "command", "gpus", "block"},
    ),
    (
        '[[runs]]\nid = "X1"\n',
        "bridge.toml:1：runs[0] 只设置了 id 'X1'：没有运行用这个 id，而自成一个运行需要一个 command"
        "（写在这里或 [run] 中）；请给它一个，或删去这个条目",
        {"runs", "id", "X1", "command", "run"},
    ),
    # Bounds said with numbers, a setting name holding a colon, a command's placeholders, and
    # what Python's and JMESPath's parsers say (their words kept, as TOML's are).
    (
        "[run]\noom_backoff_seconds = inf\n",
        "bridge.toml:2：run.oom_backoff_seconds 必须是有限数，不超过 315360000，而不是 inf",
        {"inf"},
    ),
    (
        "[run]\ntimeout_minutes = 1e12\n",
        "bridge.toml:2：run.timeout_minutes 必须不超过 5256000 分钟（十年），"
        "而不是 1000000000000.0",
        set(),
    ),
    (
        '[systems."joint: mock"]\ngpus = "a"\n',
        "bridge.toml:2：systems.joint: mock.gpus 必须是非负整数，而不是 'a'",
        {"joint", "mock"},
    ),
    (
        '[run]\ncommand = "python3 t.py --out {output}"\n',
        "bridge.toml:2：run.command 用了未知的占位符 {output}；是不是想写 {output_dir}？（已知："
        "attempt_id, block, gpu, milestone, model, output_dir, run_id, scratch_dir, seed, "
        "system；可在 [run] args 中定义更多）",
        {"command", "output", "attempt", "block", "gpu", "milestone", "dir", "scratch", "seed"}
        | {"system", "model", "run", "args", "id"},
    ),
    (
        '[run]\ncommand = "python3 t.py {outputs_of:JPH-B2-FX-S9}"\n',
        "bridge.toml:2：运行 JPH-M0-LOCAL-001：run.command 中的 {outputs_of:JPH-B2-FX-S9} 指明的 "
        "'JPH-B2-FX-S9' 不是运行；是不是想写 'JPH-B2-FX-S0'？",
        {"JPH", "LOCAL", "command", "outputs", "FX", "S9", "S0"},
    ),
    (
        '[run]\ncommand = "python3 t.py {outputs_of:JPH-B2-FX-S0}"\n',
        "bridge.toml:2：运行 JPH-M0-LOCAL-001：run.command 中的 {outputs_of:JPH-B2-FX-S0} "
        "指明了一个它不依赖的运行；请在它的 [[runs]] 条目中加上 depends_on = ['JPH-B2-FX-S0']，让 "
        "JPH-B2-FX-S0 在 JPH-M0-LOCAL-001 开始前结束并记录好输出",
        {"JPH", "LOCAL", "command", "outputs", "FX", "S0", "runs", "depends"},
    ),
    (
        '[run]\ncommand = "python3 t.py --lr {lr}"\n[[runs]]\nid = "Z"\nargs = { lr = 1 }\n',
        "bridge.toml:2：运行 JPH-B2-FX-S0：run.command 中的占位符 {lr} 对这个运行没有值"
        "（请在追踪表、[[runs]] 或 [run] args 中设置）",
        {"JPH", "FX", "S0", "command", "lr", "runs", "args"},
    ),
    (
        '[run]\ncommand = "python3 t.py \'a"\n',
        "bridge.toml:2：run.command 无法拆分为参数：No closing quotation",
        {"command", "No", "closing", "quotation"},
    ),
    (
        '[[metrics.regex]]\nname = "a"\npattern = "("\n',
        "bridge.toml:3：metrics.regex[0].pattern 不是有效的正则表达式：missing ), unterminated "
        "subpattern at position 0",
        {"metrics", "regex", "pattern", "missing", "unterminated", "subpattern", "position"},
    ),
    (
        '[[metrics.extract]]\nname = "a"\nfile = "m.json"\nquery = "a[["\n',
        "bridge.toml:4：metrics.extract[0].query 不是有效的 JMESPath 查询：Expecting: star, got: "
        "lbracket at character 3 of 'a[['",
        {"metrics", "extract", "query", "JMESPath", "Expecting", "star", "got", "lbracket"}
        | {"character", "of"},
    ),
    (
        '[run]\ncwd = "../x"\n',
        "bridge.toml:2：run.cwd = '../x' 超出了项目：请使用项目内的路径",
        {"cwd"},
    ),
    (
        '[run]\ncommand = "a"\n[run\n',
        "bridge.toml:3：TOML 语法错误：Cannot declare ('run',) twice (at line 3, column 5)",
        {"TOML", "Cannot", "declare", "twice", "line", "column"},
    ),
]


@needs_shared
@pytest.mark.parametrize(("toml", "said", "kept"), _FRAMED)
def test_bridge_toml_type_and_crosscheck_errors_are_framed_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, said: str, kept: set[str]
) -> None:
    """Trial t16 on 018 (F5, the rest): after the misspelt key and the [systems] table of no
    system, bridge.toml's refusals still read English for a Chinese plan (`run.gpus must be a
    non-negative integer, not '8'`, `[systems."Harness only"] and [systems."Harness-only"] …
    both name the system`). Each is framed in Chinese, exit 2 and its file:line kept; the
    setting names, values, names meant, lists and TOML's own words as written."""
    project = tmp_path / "p018"
    shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", project)
    (project / "bridge.toml").write_text(toml, encoding="utf-8")
    assert main(["plan", "--project", str(project)]) == 2
    error = _error(capsys)
    assert error.startswith(said), error
    framing = re.sub(r"（(?:运行|运行的系统)：.*）$", "", error)
    assert english_left(framing, allowed=kept) == [], error


@needs_shared
@pytest.mark.parametrize(
    ("table", "said"),
    [
        (
            "CDF sufficiency (8B, GSM8K)",
            "id = \"P1\" 的 [[runs]] 条目（P1 的行写着 'CDF sufficiency (8B, GSM8K)'）",
        ),
        ("E4", 'id = "P1" 的 [[runs]] 条目（每个运行一个）'),
    ],
)
def test_a_systems_table_where_no_run_has_a_system_is_refused_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, said: str
) -> None:
    """026 (Chinese, no System column, no Compared systems): a `[systems]` table can name no
    system, and the refusal that says so and names the `[[runs]]` entry to write stayed English
    (session 37)."""
    root = as_project("026", tmp_path)
    (root / "bridge.toml").write_text(f'[systems."{table}"]\ngpus = 0\n', encoding="utf-8")
    assert main(["plan", "--project", str(root)]) == 2
    error = _error(capsys)
    assert error.startswith(
        f'bridge.toml:1：[systems."{table}"] 没有指明任何系统：计划和追踪表中没有任何运行有系统'
        "（追踪表没有 System 列，也没有实验块列出 Compared systems）；要设置某个运行的设置，"
        "请把它们写进 "
    ), error
    assert error.endswith(said), error


@needs_shared
def test_a_table_of_a_blocks_system_is_refused_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """001 shown in Chinese (`-o language=zh`), English kept for `-o language=en`: a [systems]
    table naming only the block's system of R005, which takes its own system's table, configures
    no run; the refusal names that table (trial t16)."""
    from tests.plan.test_config_names_runs import BASE, SHOWN

    own = '[systems."DepthFiLM r=102"]\ncommand = "python3 own.py"\n'
    root = as_project("001", tmp_path)
    (root / "bridge.toml").write_text(
        BASE + own + f'[systems."{SHOWN}"]\ncommand = "python3 block.py"\n', encoding="utf-8"
    )
    assert main(["plan", "-o", "language=zh", "--project", str(root)]) == 2
    assert _error(capsys).endswith(
        f'：[systems."{SHOWN}"] 指明的是 R005 所在实验块的系统，而它们取的是以自身系统命名的表'
        '（[systems."DepthFiLM r=102"]），因此它不配置任何运行：请把它的设置写进那张表'
    )
    assert main(["plan", "-o", "language=en", "--project", str(root)]) == 2
    assert _error(capsys).endswith("so it configures no run: set what it sets in that table")


@needs_shared
def test_the_local_gpu_refusal_is_framed_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """018 asking the local backend for more GPUs than this machine has: `bridge run` refused
    in English, «… ask for up to 64 GPU(s) (gpus = 64) but the local backend has none to give …»
    (session 37); the run ids and settings as written."""
    project = tmp_path / "p018"
    shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", project)
    (project / "bridge.toml").write_text("[run]\ngpus = 64\n", encoding="utf-8")
    assert main(["run", "--plain", "--project", str(project)]) == 2
    error = _error(capsys)
    assert error.startswith(
        "bridge.toml:2：JPH-B2-FX-S0, JPH-B2-PO-S0, JPH-B2-HO-S0, JPH-B2-JT-S0 申请最多 64 个 GPU"
        "（gpus = 64），但本地后端"
    ), error
    assert error.endswith("CPU 运行请设 gpus = 0，或选择有 GPU 的后端（backend = ...）"), error
    ids_and_settings = {"JPH", "FX", "PO", "HO", "JT", "S0", "gpus", "backend"}
    assert english_left(error, allowed=ids_and_settings) == [], error
