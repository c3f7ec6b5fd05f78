"""
The errors the ``bridge`` command shows a researcher, in Chinese.

An error is raised in English (an embedder catching :class:`bridge.errors.InputError` reads it
so, and the log's words stay one language); the command line shows it after its ``bridge:
error:`` prefix through :func:`error_in_language`, in the language of the project's plan. Only
a message that is one of bridge's own phrases *whole* is rewritten, after the ``file:`` or
``file:line:`` a plan error starts with; ids, paths, commands and the lists of runs and
milestones stay as written, and an error bridge has no Chinese for stays English.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bridge.lazy_patterns import LazyPattern, lazy
from bridge.projections.plan_words import no_runs_advice_in_chinese

__all__ = ["error_in_language"]

# bridge.plan.project.no_runs_advice: the way to the template (``how``) and the tracker.
_ADVICE = (
    r"list the runs as \[\[runs\]\] entries in bridge\.toml, one per run with its id, system "
    r"and command \((?P<how>.+?); docs/configuration\.md, \"\[\[runs\]\] — explicit runs\"\), or "
    r"as a run table in (?P<tracker>\S+)"
)


def _nothing_to_run(found: re.Match[str]) -> str:
    also = f"（bridge 还找到了 {found['also']}）" if found["also"] else ""
    return (
        f"没有可运行的：计划中没有运行顺序、实验块或追踪表的行可供运行{also}；"
        + no_runs_advice_in_chinese(found["how"], found["tracker"])
    )


def _no_log_no_runs(found: re.Match[str]) -> str:
    return (
        f"{found['root']}：{found['path']} 处没有 bridge 事件日志，`bridge run` 也无法开始一个："
        "计划中没有写出运行；" + no_runs_advice_in_chinese(found["how"], found["tracker"])
    )


# bridge.plan.setting_fields.did_you_mean: "; did you mean 'a' or 'b'?", the names as written.
_MEANT = r"(?:; did you mean (?P<meant>.+?)\?)?"


def _meant(found: re.Match[str]) -> str:
    if not found["meant"]:
        return ""
    # Between two quoted names only: a name may hold the word "or" itself.
    names = re.sub(r"(?<=['\"]) or (?=['\"])", " 或 ", found["meant"])
    return f"；是不是想写 {names}？"


def _unknown_setting(found: re.Match[str]) -> str:
    noun = "选项" if found["noun"] == "option" else "设置"
    return f"未知的{noun} {found['key']}{_meant(found)}（可用的{noun}：{found['valid']}）"


def _no_such_system(found: re.Match[str]) -> str:
    return (
        f'[systems."{found["key"]}"] 没有指明计划或追踪表中的任何系统{_meant(found)}'
        f"（系统：{found['listed']}）"
    )


def _aliases_only(found: re.Match[str]) -> str:
    return (
        f'[systems."{found["key"]}"] 没有指明计划或追踪表中的任何系统（只有它的别名指明了）'
        f"{_meant(found)}"
    )


# bridge.plan.settings: what a setting's value must be (bridge.plan.setting_rules and the
# structure hooks), as the English says it after "must be", and the Chinese after "必须是".
_MUST_BE = {
    "a string": "字符串",
    "a non-empty string": "非空字符串",
    "a string or a list of strings": "字符串或字符串列表",
    "a list of strings": "字符串列表",
    "a non-empty list of non-empty strings": "由非空字符串组成的非空列表",
    "a list": "列表",
    "a non-empty list": "非空列表",
    "a table": "表",
    "a number": "数字",
    "a string or number": "字符串或数字",
    "a positive number": "正数",
    "a non-negative number": "非负数",
    "a non-negative integer": "非负整数",
    "an integer": "整数",
    "a whole number": "整数",
    "a positive number of seconds": "正的秒数",
    "true or false": "true 或 false",
    "'must' or 'nice'": "'must' 或 'nice'",
}
# The bounds said with numbers: (English after "must be", Chinese after "必须").
_BOUNDS = (
    # bridge.plan.setting_rules' and bridge.plan.settings' largest numbers (ten years).
    (r"a finite number, at most (?P<a>\d+) in size", r"是有限数，绝对值不超过 \g<a>"),
    (r"a finite number, at most (?P<a>\d+)", r"是有限数，不超过 \g<a>"),
    (r"at most (?P<a>\d+) minutes \(ten years\)", r"不超过 \g<a> 分钟（十年）"),
    (r"at most (?P<a>\d+) in size", r"绝对值不超过 \g<a>"),
    (r"at most (?P<a>\d+)", r"不超过 \g<a>"),
    (r"an integer from (?P<a>-?\d+) to (?P<b>-?\d+)", r"是 \g<a> 到 \g<b> 之间的整数"),
    (r"an integer >= (?P<a>-?\d+)", r"是不小于 \g<a> 的整数"),
    (r"an array of tables \((?P<a>\[\[\S+\]\])\)", r"是表数组（\g<a>）"),
    (r"between (?P<a>\S+) and (?P<b>\S+)", r"在 \g<a> 到 \g<b> 之间"),
    (r"at least (?P<a>\S+)", r"不小于 \g<a>"),
    (r"above 0", "大于 0"),
)
_WHAT = "|".join(
    [
        # The longest first: "a string" would end "a string or a list of strings" early.
        *(re.escape(english) for english in sorted(_MUST_BE, key=len, reverse=True)),
        # Unnamed here: the names would repeat; _bound reads them by matching the one found.
        *(english.replace("?P<a>", "").replace("?P<b>", "") for english, _ in _BOUNDS),
    ]
)


def _must_be(found: re.Match[str]) -> str:
    what = found["what"]
    # A space before a value written as in the file: `必须是 true 或 false`.
    if what in _MUST_BE:
        chinese = _MUST_BE[what]
        said = f"是 {chinese}" if chinese[0] in "'t" else f"是{chinese}"
    else:
        said = _bound(what)
    value = f"，而不是 {found['value']}" if found["value"] else ""
    return f"{found['name']} 必须{said}{value}"


def _bound(what: str) -> str:
    for english, chinese in _BOUNDS:
        if (bound := re.fullmatch(english, what)) is not None:
            return bound.expand(chinese)
    raise AssertionError(what)  # _WHAT holds only these and _MUST_BE's


def _not_one_of(found: re.Match[str]) -> str:
    say = f"（{found['say']}）" if found["say"] else ""
    return (
        f"{found['name']} = {found['value']} 不是可选值之一：{found['choices']}{say}{_meant(found)}"
    )


def _not_a_block(found: re.Match[str]) -> str:
    judged = "；它的运行会被运行，但永远不会被判定" if found["judged"] else ""
    return (
        f"{found['setting']}：{found['block']} 不是计划中的实验块{_meant(found)}"
        f"（实验块：{found['blocks']}）{judged}"
    )


def _twin_tables(found: re.Match[str]) -> str:
    where = f"（{found['where']}）" if found["where"] else ""
    ids = f"（{found['ids']}）" if found["ids"] else ""
    return (
        f'[systems."{found["key"]}"] 与 [systems."{found["other"]}"]{where}都指明了系统 '
        f'{found["system"]}{ids}，而一个运行只取一张表，即 [systems."{found["other"]}"]：'
        f'请把 [systems."{found["key"]}"] 的设置合并到那张表中'
    )


# bridge.plan.crosscheck._no_systems_at_all: why no [systems] table can match (026).
_NO_SYSTEM_WHERE = {
    "the tracker has no System column and no block lists Compared systems": (
        "追踪表没有 System 列，也没有实验块列出 Compared systems"
    ),
    "no block lists Compared systems": "没有实验块列出 Compared systems",
}


def _no_systems_at_all(found: re.Match[str]) -> str:
    which = found["which"]
    if which == "one per run":
        which = "每个运行一个"
    elif (row := re.fullmatch(r"(.+?)'s row reads (.+)", which)) is not None:
        which = f"{row[1]} 的行写着 {row[2]}"
    return (
        f'[systems."{found["key"]}"] 没有指明任何系统：计划和追踪表中没有任何运行有系统'
        f"（{_NO_SYSTEM_WHERE[found['where']]}）；要设置某个运行的设置，请把它们写进 "
        f'id = "{found["id"]}" 的 [[runs]] 条目（{which}）'
    )


def _block_system_only(found: re.Match[str]) -> str:
    those = "那张表" if found["one"] == "that table" else "那些表"
    return (
        f'[systems."{found["key"]}"] 指明的是 {found["ids"]} 所在实验块的系统，而它们取的是以自身'
        f"系统命名的表（{found['tables']}），因此它不配置任何运行：请把它的设置写进{those}"
    )


def _compared_unrun(found: re.Match[str]) -> str:
    return (
        f'[systems."{found["key"]}"] 指明的是 {found["blocks"]} 的对比系统，但没有运行代表它，'
        "因此它不会配置任何运行：一张表配置的是它所指明系统的运行，系统名按追踪表所写，或按 "
        f"`bridge plan` 在运行旁显示的{_meant(found)}（运行的系统：{found['listed']}）"
    )


def _set_twice(found: re.Match[str]) -> str:
    where = "文件开头" if found["where"] == "the top of the file" else found["where"]
    if found["merged"]:
        fix = f"请写成一行，包含两者的所有键：{found['merged']}"
    else:
        fix = (
            f"请只保留其中一个（或把第 {found['added']} 行添加的内容移入第 {found['into']} 行的 "
            f"{found['key']}）"
        )
    return (
        f"{found['key']} 在 {where} 中设置了两次：第 {found['first']} 行已经设置了它，而 TOML "
        f"在一张表中只接受一次同一个键；{fix}"
    )


def _too_few_gpus(found: re.Match[str]) -> str:
    """bridge.pipeline.local_checks.check_gpus: runs that ask the local backend for more GPUs
    than this machine has; the run ids, counts and settings as written."""
    ids = f"{found['ids']} "
    if (more := re.fullmatch(r"(.+), … \((\d+) runs\)", found["ids"])) is not None:
        ids = f"{more[1]}, …（共 {more[2]} 个运行）"  # no space after the full-width bracket
    have = (
        f"的 GPU 不够分配：这台机器有 {found['have']} 个 GPU"
        if found["have"]
        else "没有 GPU 可分配：这台机器没有 GPU"
    )
    return (
        f"{ids}申请最多 {found['most']} 个 GPU（gpus = {found['most']}），但本地后端{have}。"
        "CPU 运行请设 gpus = 0，或选择有 GPU 的后端（backend = ...）"
    )


# Whole messages, after the file a plan error names: (pattern, replacement). Matched with
# fullmatch; the named groups keep what the English said of this project.
_ERRORS: tuple[tuple[re.Pattern[str] | LazyPattern, str | Callable[[re.Match[str]], str]], ...] = (
    # bridge.plan.project.require_runs, a plan that names no runs (026).
    (
        lazy(
            r"nothing to run: the plan has no run order, experiment blocks or tracker rows to "
            r"run(?: \(bridge also found (?P<also>.+?)\))?; " + _ADVICE
        ),
        _nothing_to_run,
    ),
    (
        lazy(
            r"nothing to run: bridge found (.+) but no experiment plan \((\S+)\)\. Add a plan "
            r"with experiment blocks and a run order \(or tracker rows in (\S+), or \[\[runs\]\] "
            r"in bridge\.toml\); `bridge init` writes commented templates to start from\."
        ),
        r"没有可运行的：bridge 找到了 \1，但没有实验计划（\2）。请添加写有实验块和运行顺序的"
        r"计划（或在 \3 中写追踪表的行，或在 bridge.toml 中写 [[runs]]）；"
        r"`bridge init` 会写出带注释的模板作为起点。",
    ),
    # `bridge init` a second time beside a plan (the researcher's files named).
    (
        lazy(
            r"(.+?): bridge\.toml already exists \(use --force to replace it, the old one kept as "
            r"bridge\.toml\.before-init; (.+) are yours and never written over\)"
        ),
        r"\1：bridge.toml 已存在（用 --force 替换它，原文件保存为 bridge.toml.before-init；"
        r"\2 是你的文件，从不被覆盖）",
    ),
    # bridge.cli.handlers: `bridge status` before any log, of a plan that names no runs.
    (
        lazy(
            r"(?P<root>.+?): no bridge event log at (?P<path>.+), and `bridge run` cannot start "
            r"one: the plan names no runs; " + _ADVICE
        ),
        _no_log_no_runs,
    ),
    # bridge.pipeline.project_log.open_store: a command that reads the log, before there is one.
    (
        lazy(r"(.+?): no bridge event log at (.+) — `bridge run` or `bridge advance` starts one"),
        r"\1：\2 处没有 bridge 事件日志——`bridge run` 或 `bridge advance` 会开始一个",
    ),
    # bridge.cli.project.resolve_run and the pipeline's own check of a run id.
    (
        lazy(
            r"no run ('.*') is recorded yet: nothing has run in this project; `bridge run` "
            r"records the plan's runs"
        ),
        r"还没有记录运行 \1：这个项目中还没有运行过任何东西；`bridge run` 会记录计划的运行",
    ),
    (
        lazy(r"no run ('.*') in this (?:project|plan) \(runs: (.*)\)"),
        r"没有名为 \1 的运行（现有运行：\2）",
    ),
    (
        lazy(r"run ('.*') matches (.+): give the exact id"),
        r"运行 \1 匹配 \2：请给出确切的 id",
    ),
    # bridge.pipeline.retries: `bridge retry --milestone` of a milestone the plan lacks.
    (
        lazy(r"--milestone (.+): the plan has milestones (.*)"),
        r"--milestone \1：计划中的里程碑是 \2",
    ),
    # bridge.toml's most common refusals (bridge.plan.settings, bridge.plan.crosscheck): a key
    # misspelt, a [systems] table whose name is no system's (018's `[systems."jiont"]`, trial
    # t16). The setting names, the names meant and the lists stay as written.
    (
        lazy(
            r"unknown (?P<noun>setting|option) (?P<key>\S+)" + _MEANT + r" \(valid: (?P<valid>.*)\)"
        ),
        _unknown_setting,
    ),
    (
        lazy(
            r'\[systems\."(?P<key>.+?)"\] names no system of the plan or tracker'
            + _MEANT
            + r" \(systems: (?P<listed>.*)\)"
        ),
        _no_such_system,
    ),
    (
        lazy(
            r'\[systems\."(?P<key>.+?)"\] names no system: no run of the plan or tracker has a '
            r"system \((?P<where>"
            + "|".join(re.escape(where) for where in _NO_SYSTEM_WHERE)
            + r")\); to set a run\'s settings, write them in a \[\[runs\]\] entry with id = "
            r'"(?P<id>.+?)" \((?P<which>.+)\)'
        ),
        _no_systems_at_all,
    ),
    (
        lazy(
            r'\[systems\."(?P<key>.+?)"\] names no system of the plan or tracker \(only its '
            r"aliases do\)" + _MEANT
        ),
        _aliases_only,
    ),
    # bridge.toml's values of the wrong kind (bridge.plan.settings: `run.gpus must be a
    # non-negative integer, not '8'`), a choice misspelt, a setting left out or empty: the
    # setting names and the values as written.
    (
        lazy(r"(?P<name>.+?) must be (?P<what>" + _WHAT + r")(?:, not (?P<value>.+))?"),
        _must_be,
    ),
    # bridge.plan.setting_rules.env_name: a secret where a variable's NAME goes (the value is
    # never quoted back).
    (
        lazy(
            r"(\S+) must be the NAME of an environment variable \(letters, digits, _\), not the "
            r"secret itself"
        ),
        r"\1 必须是环境变量的名字（字母、数字、_），而不是密钥本身",
    ),
    (
        lazy(
            r"(\S+) must be the NAME of an environment variable \(letters, digits, _\), not "
            r"empty"
        ),
        r"\1 必须是环境变量的名字（字母、数字、_），不能为空",
    ),
    # bridge.adapters.notify: the webhook URL itself where its variable's NAME goes.
    (
        lazy(
            r"(\S+) holds a URL, not the NAME of an environment variable: webhook URLs carry "
            r"tokens, so put the URL in an environment variable \(export (\w+)=\.\.\.\) and "
            r"write that variable\'s name here \((.+)\)"
        ),
        r"\1 写的是 URL，而不是环境变量的名字：webhook URL 带有令牌，请把 URL 放进环境变量"
        r"（export \2=...），再在这里写上该变量的名字（\3）",
    ),
    (
        lazy(
            r"(\S+) must name at least one of: (.+) \(leave it out for all of them, or remove "
            r"\[notify\] to send none\)"
        ),
        r"\1 必须至少写一个：\2（不写则全部发送；要全部不发送，请删除 [notify]）",
    ),
    # bridge.plan.config_values.placeholder: a boolean where a command-line value goes.
    (
        lazy(
            r"(\S+) = (true|false) is a boolean, which has no one spelling on a command line: "
            r"write the text the script takes as a string \((.+)\), or write the flag itself in "
            r"the command"
        ),
        r"\1 = \2 是布尔值，在命令行上没有唯一的写法：请把脚本接受的文本写成字符串（\3），"
        r"或把开关本身写进命令",
    ),
    (
        lazy(
            r"(?P<ids>.+?) asks? for up to (?P<most>\d+) GPUs? \(gpus = (?P=most)\) but the "
            r"local backend has (?:none|too few) to give: this machine has "
            r"(?:no GPU|(?P<have>\d+) GPUs?)\. Set gpus = 0 for a CPU run, or choose a "
            r"backend with GPUs \(backend = \.\.\.\)"
        ),
        _too_few_gpus,
    ),
    (
        lazy(
            r"(?P<name>\S+) = (?P<value>.+?) is not one of: (?P<choices>.+?)"
            r"(?: \((?P<say>[^()]+)\))?" + _MEANT
        ),
        _not_one_of,
    ),
    (lazy(r"(\S+) is required"), r"必须设置 \1"),
    # A value read by Python's or a library's own parser: its words kept, as TOML's are.
    (
        lazy(r"(.+?) cannot be split into arguments: (.+)", re.DOTALL),
        r"\1 无法拆分为参数：\2",
    ),
    (lazy(r"(.+?) is not a valid regex: (.+)", re.DOTALL), r"\1 不是有效的正则表达式：\2"),
    (
        lazy(r"(.+?) is not a valid JMESPath query: (.+)", re.DOTALL),
        r"\1 不是有效的 JMESPath 查询：\2",
    ),
    (
        lazy(r"(.+?) = (.+) escapes the project; use a path inside it"),
        r"\1 = \2 超出了项目：请使用项目内的路径",
    ),
    (
        lazy(r"(.+?) = (.+) escapes the run's output directory; use a path inside it"),
        r"\1 = \2 超出了运行的输出目录：请使用其中的路径",
    ),
    # bridge.plan.config_reader and bridge.plan.runs: a command's placeholders.
    (
        lazy(
            r"(?P<setting>\S+) uses unknown placeholder (?P<name>\{.+?\})"
            + _MEANT
            + r" \(known: (?P<known>.*); define more under \[run\] args\)"
        ),
        lambda found: (
            f"{found['setting']} 用了未知的占位符 {found['name']}{_meant(found)}"
            f"（已知：{found['known']}；可在 [run] args 中定义更多）"
        ),
    ),
    (
        lazy(
            r"run (?P<run>.+?): (?P<name>\{outputs_of:.+?\}) in (?P<setting>\S+) names "
            r"(?P<source>'.+?'|\".+?\"), which is not a run" + _MEANT
        ),
        lambda found: (
            f"运行 {found['run']}：{found['setting']} 中的 {found['name']} 指明的 "
            f"{found['source']} 不是运行{_meant(found)}"
        ),
    ),
    (
        lazy(
            r"run (?P<run>.+?): (?P<name>\{outputs_of:.+?\}) in (?P<setting>\S+) names a run it "
            r"does not depend on; add (?P<add>depends_on = \[.+?\]) to its \[\[runs\]\] entry, "
            r"so (?P<source>.+?) has finished and its outputs are recorded before (?P=run) starts"
        ),
        r"运行 \g<run>：\g<setting> 中的 \g<name> 指明了一个它不依赖的运行；请在它的 [[runs]] "
        r"条目中加上 \g<add>，让 \g<source> 在 \g<run> 开始前结束并记录好输出",
    ),
    (
        lazy(
            r"run (?P<run>.+?): placeholder (?P<name>\{.+?\}) in (?P<setting>\S+) has no value "
            r"for this run \(set it in the tracker, \[\[runs\]\] or \[run\] args\)"
            r"(?P<seed>; for runs the plan gives no seed, a default serves: "
            r"(?P<default>\[run\] args = .+))?"
            # 032's `--model {system}` beside a Model column (bridge.plan.runs).
            r"(?P<model>; its tracker row's Model column \((?P<cell>.+)\) names the model the "
            r"run uses, not its system: pass it with \{model\})?"
            # 017's blocks with no compared systems.
            r"(?P<none>; it has no system: its tracker row names none and (?:block "
            r"(?P<block>\S+) lists no compared systems|it is in no block)"
            r"(?: \(so have (?P<alike>.+?)\))?; give such runs one with (?P<args>\[run\] args = "
            r".+?) \(a run's own system still wins\), or one run its own with a \[\[runs\]\] "
            r"entry \(id = (?P<id>.+?), (?P<entry>args = .+?)\)(?P<pass>, or pass \{block\} "
            r"instead)?)?"
        ),
        lambda found: (
            f"运行 {found['run']}：{found['setting']} 中的占位符 {found['name']} 对这个运行没有值"
            "（请在追踪表、[[runs]] 或 [run] args 中设置）"
            + (
                f"；计划没有给出种子的运行可用一个默认值：{found['default']}"
                if found["seed"]
                else ""
            )
            + (
                f"；它在追踪表中那一行的 Model 列（{found['cell']}）写的是运行所用的模型，"
                "不是它的系统：请用 {model} 传入"
                if found["model"]
                else ""
            )
            + (
                "；它没有系统：追踪表中那一行没有写系统，"
                + (
                    f"实验块 {found['block']} 也没有列出对比系统"
                    if found["block"]
                    else "它也不属于任何实验块"
                )
                + (f"（{found['alike']} 也是如此）" if found["alike"] else "")
                + f"；可用 {found['args']} 给这些运行一个系统（运行自己的系统仍然优先），"
                f"或用 [[runs]] 条目（id = {found['id']}，{found['entry']}）"
                "给某一个运行它自己的系统" + ("，或改用 {block}" if found["pass"] else "")
                if found["none"]
                else ""
            )
        ),
    ),
    # bridge.plan.runs and bridge.plan.config_reader: an entry or table that says nothing of
    # any run (018's `[[runs]] id = "JPH-B2-JT-S0"` alone, an empty `[systems."joint"]`).
    (
        lazy(
            r"(runs\[\d+\]) sets only its id ('.*'), which changes nothing of that run: give it "
            r"the settings it changes \(command, gpus, block, \.\.\.\), or remove the entry"
        ),
        r"\1 只设置了 id \2，对那个运行什么也没有改变：请写上它要改的设置（command、gpus、"
        r"block 等），或删去这个条目",
    ),
    (
        lazy(
            r"(runs\[\d+\]) sets only its id ('.*'): no run has that id, and a run of its own "
            r"needs a command, here or in \[run\]; give it one, or remove the entry"
        ),
        r"\1 只设置了 id \2：没有运行用这个 id，而自成一个运行需要一个 command（写在这里或 "
        r"[run] 中）；请给它一个，或删去这个条目",
    ),
    (
        lazy(
            r'(\[systems\."(?:.+?)"\]) sets nothing: give it what its runs take \(command, '
            r"args, gpus, block, aliases, \.\.\.\) or remove the table"
        ),
        r"\1 什么也没有设置：请写上它的运行要取的设置（command、args、gpus、block、aliases "
        r"等），或删去这张表",
    ),
    (lazy(r"(\S+) is empty"), r"\1 为空"),
    (lazy(r"TOML syntax error: (.+)", re.DOTALL), r"TOML 语法错误：\1"),
    # bridge.plan.config_reader: a key or table set twice (a second `args = ...` in [run]).
    (
        lazy(
            r"(?P<key>\S+) is set twice in (?P<where>\[.+?\]|the top of the file): line "
            r"(?P<first>\d+) sets it already, and TOML takes a key once per table; (?:write one "
            r"line with the keys of both: (?P<merged>.+)|keep one of the two \(or move what line "
            r"(?P<added>\d+) adds into line (?P<into>\d+)'s \S+\))",
            re.DOTALL,
        ),
        _set_twice,
    ),
    (
        lazy(
            r"the table (\[.+?\]) is written twice: line (\d+) starts it already, and TOML takes "
            r"a table once; move the keys under line (\d+) into the table at line \d+"
        ),
        r"表 \1 写了两次：第 \2 行已经开始了它，而 TOML 只接受一次同一张表；"
        r"请把第 \3 行下的键移入第 \2 行的那张表",
    ),
    # bridge.plan.config_reader: a placeholder with a shell default or a format after it.
    (
        lazy(
            r"(\S+) writes (\{.+?\}), which is no placeholder: bridge fills (\{\w+\}) as it is "
            r"\(no default, no format\), and anything else in braces reaches the script as "
            r"written; write \{\w+\} \(and format it in the script\), or \{\{ \}\} for literal "
            r"braces"
        ),
        r"\1 写的 \2 不是占位符：bridge 只原样填入 \3（没有默认值，也没有格式），"
        r"花括号里的其他内容会原样传给脚本；"
        r"请写 \3（在脚本里再做格式化），或用 {{ }} 表示字面的花括号",
    ),
    (lazy(r"cannot read bridge\.toml: (.+)", re.DOTALL), r"无法读取 bridge.toml：\1"),
    # bridge.plan.crosscheck: a block bridge.toml names that the plan has not, a run glob that
    # matches none, and the [systems] tables that configure no run (018's twin "Harness only"
    # beside "Harness-only", a table of a block's system, trial t16).
    (
        lazy(
            r"(?P<setting>\S+): (?P<block>.+?) is not a block of the plan"
            + _MEANT
            + r" \(blocks: (?P<blocks>.*?)\)(?P<judged>; its runs would be run and never judged)?"
        ),
        _not_a_block,
    ),
    (
        lazy(r"(\S+): (.+?) matches no run" + _MEANT + r" \(runs: (?P<runs>.*)\)"),
        lambda found: (
            f"{found[1]}：{found[2]} 不匹配任何运行{_meant(found)}（运行：{found['runs']}）"
        ),
    ),
    (
        lazy(
            r'\[systems\."(?P<key>.+?)"\] and \[systems\."(?P<other>.+?)"\]'
            r"(?: \((?P<where>[^()]+:\d+)\))? both name the system (?P<system>'.+?'|\".+?\")"
            r"(?: \((?P<ids>[^()]+)\))?, and a run takes one table only, "
            r'\[systems\."(?P=other)"\]: '
            r'merge what \[systems\."(?P=key)"\] sets into that table'
        ),
        _twin_tables,
    ),
    (
        lazy(
            r'\[systems\."(?P<key>.+?)"\] names the block\'s system of (?P<ids>.+?), which takes? '
            r"the table of (?:its|their) own system's name instead \((?P<tables>.+)\), so it "
            r"configures no run: set what it sets in (?P<one>that table|those tables)"
        ),
        _block_system_only,
    ),
    (
        lazy(
            r'\[systems\."(?P<key>.+?)"\] names a compared system of (?P<blocks>.+?) that no run '
            r"stands for, so it would configure no run: a table configures the runs whose system "
            r"it names, as the tracker writes it or as `bridge plan` shows it beside the run"
            + _MEANT
            + r" \(systems of runs: (?P<listed>.*)\)"
        ),
        _compared_unrun,
    ),
    # `bridge replay --at` of an event the log does not hold.
    (
        lazy(r"--at (\S+): the log's events are numbered 1 to (\d+)"),
        r"--at \1：日志中的事件编号为 1 到 \2",
    ),
    (
        lazy(r"--at (\S+): the log holds seq 1\.\.(\d+)"),
        r"--at \1：日志中的事件编号为 1 到 \2",
    ),
)

# A plan or configuration error's place (bridge.errors.PlanError: ``file:line: message``).
_WHERE = lazy(r"(?P<file>[^\s:]+(?::\d+)?): (?P<message>.+)", re.DOTALL)
# A place that is one of the project's files (bridge.toml, the plan's .md files): its message
# is read apart from it, as a setting named in the message may hold a colon itself.
_FILE = lazy(r"[^\s:]+\.(?:toml|md)(?::\d+)?")


def error_in_language(message: str, language: str) -> str:
    """
    An error's message in ``language`` (``"zh"``; anything else returns it unchanged) when it
    is one of bridge's errors whole, the ``file:`` or ``file:line:`` before it kept and its
    colon made Chinese; any other message is returned as written.
    """
    if language != "zh":
        return message
    where = _WHERE.fullmatch(message)
    if where and _FILE.fullmatch(where["file"]) and (said := _translated(where["message"])):
        return f"{where['file']}：{said}"
    if (said := _translated(message)) is not None:
        return said
    if where and (said := _translated(where["message"])):
        return f"{where['file']}：{said}"
    return message


def _translated(message: str) -> str | None:
    for pattern, replacement in _ERRORS:
        # The whole match replaced: `sub` would search, and a pattern ending in an optional
        # part after a lazy group (`…modal; did you mean 'local'?`) would match its shortest.
        if (found := pattern.fullmatch(message)) is not None:
            return found.expand(replacement) if isinstance(replacement, str) else replacement(found)
    return None
