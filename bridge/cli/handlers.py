"""
One handler per ``bridge`` command (:data:`HANDLERS`): find the project, call the library,
render. The pipeline's commands are here; the log's in :mod:`bridge.cli.log_commands`, ``gc`` in
:mod:`bridge.cli.gc_command`, and what they all start from in :mod:`bridge.cli.project`.

Thin by design: every behaviour lives in the library. Each handler imports what it needs when
it runs, so ``bridge --help`` loads none of it and ``bridge status`` loads no adapter. Errors
are raised as :class:`~bridge.errors.BridgeError`; :mod:`bridge.cli.main` turns them into one
line and an exit code.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bridge.cli.gc_command import gc
from bridge.cli.log_commands import diagram, log, rebuild, replay, verify
from bridge.cli.parser import EXIT_INPUT, Parsed
from bridge.cli.project import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_WAITING,
    folded_state,
    new_console,
    open_bridge,
    out,
    overrides,
    project_root,
    resolve_run,
)
from bridge.errors import BridgeError, InputError
from bridge.lazy_patterns import lazy

if TYPE_CHECKING:
    from bridge.cli.console import Printer
    from bridge.machine.fold import PipelineState
    from bridge.machine.stages import Stage
    from bridge.pipeline.bridge import Bridge
    from bridge.plan import PlanWarning
    from bridge.plan.model import Milestone
    from bridge.plan.overview import Estimate
    from bridge.plan.project import LoadedProject
    from bridge.plan.runs import RunSpec

__all__ = ["HANDLERS", "exited_runs", "run_active"]


def init(args: Parsed) -> int:
    """
    ``bridge init [DIR]``: start a project, or set one up for bridge.

    In a new folder it writes the commented templates (plan, tracker, ``bridge.toml``). A
    researcher's plan or tracker is never written over, ``--force`` or not: where a plan exists
    (an ARIS project) only ``bridge.toml`` is written, from a template with nothing of the demo
    project's (its command commented out, no example systems), as a tracker template beside a
    plan would add example runs to it. ``--force`` replaces an existing ``bridge.toml`` only,
    keeping the previous one as ``bridge.toml.before-init`` (``.2``, ``.3`` … when that exists).
    A plan or tracker beside ``refine-logs/`` stops it with the command that moves them,
    before anything is written.
    """
    from bridge.plan.project import PLAN, TRACKER, misplaced_inputs

    target = Path(args.dir or args.project or ".").resolve()
    if hint := misplaced_inputs(target):
        raise InputError(f"{hint}; then `bridge init` writes bridge.toml beside them")
    templates = Path(__file__).parents[1] / "templates"
    config = target / "bridge.toml"
    researchers = [name for name in (PLAN, TRACKER) if (target / name).exists()]
    if config.exists() and not args.force:
        kept = f"; {', '.join(researchers)} are yours and never written over" * bool(researchers)
        raise InputError(
            f"{target}: bridge.toml already exists (use --force to replace it, the old one "
            f"kept as bridge.toml.before-init{kept})"
        )
    # Beside a researcher's plan, a bridge.toml with nothing of the demo project's in it: its
    # train.py, {model} argument and Baseline/Method systems made `bridge plan` refuse 036 and
    # 018 at once (trial C).
    wanted = (
        {"bridge.toml": "bridge.existing.toml"}
        if researchers
        else {
            PLAN: "EXPERIMENT_PLAN.md",
            TRACKER: "EXPERIMENT_TRACKER.md",
            "bridge.toml": "bridge.toml",
        }
    )
    # In the researcher's language, as every later command speaks to them (018).
    from bridge.plan.reader import language_of

    text = "".join((target / n).read_text(encoding="utf-8", errors="replace") for n in researchers)
    zh = bool(researchers) and language_of(text) == "zh"
    if config.exists():
        # Never over an earlier copy: a second --force kept the template over the researcher's.
        backup = target / "bridge.toml.before-init"
        number = 1
        while backup.exists():
            number += 1
            backup = target / f"bridge.toml.before-init.{number}"
        backup.write_bytes(config.read_bytes())
        out(
            f"原有的 bridge.toml 保存为 {backup}"
            if zh
            else f"kept the previous bridge.toml as {backup}"
        )
    for name, template in wanted.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        # Beside a Chinese plan, its comments in Chinese, as the [[runs]] template's and the
        # lines init prints (018: they were English); the keys and values the same.
        source = templates / (
            template.replace(".toml", ".zh.toml") if zh and name == "bridge.toml" else template
        )
        (target / name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        out(f"已写入 {target / name}" if zh else f"wrote {target / name}")
    if researchers and (seed_said := _seed_as_planned(target, zh)):
        out(seed_said)
    no_runs = bool(researchers) and _names_no_runs(target)
    if no_runs:
        # A plan that names no runs (040's prose plan): the one thing that gives it runs is a
        # [[runs]] entry, so its template is written, commented, where the researcher edits.
        # Its comments in the plan's language, as the lines init prints (026); its keys the same.
        runs = templates / ("runs.zh.toml" if zh else "runs.toml")
        with config.open("a", encoding="utf-8") as handle:
            handle.write(runs.read_text(encoding="utf-8"))
    if researchers:
        # The plan file read, where the plan links to a dated one (038: "kept
        # refine-logs/EXPERIMENT_PLAN.md" named the stub, not the file bridge reads).
        read = _plan_read(target)
        kept = ", ".join(
            name
            if name != PLAN or read in (None, PLAN)
            else (
                f"{read}（bridge 读取的计划，由 {PLAN} 链接）"
                if zh
                else f"{read} (the plan bridge reads, linked from {PLAN})"
            )
            for name in researchers
        )
        # One file is "it" (040 has only its plan: "kept …/EXPERIMENT_PLAN.md as they are").
        kept_en = (
            f"kept {kept} as it is (yours: bridge init never writes over it)"
            if len(researchers) == 1
            else f"kept {kept} as they are (yours: bridge init never writes over them)"
        )
        them = "它" if len(researchers) == 1 else "它们"
        kept_zh = f"保留 {kept} 原样（这是你的文件：bridge init 从不覆盖{them}）"
        if zh and no_runs:
            out(kept_zh)
            out(
                "下一步：计划中没有写出运行，也没有追踪表的运行表：在 bridge.toml 末尾"
                "取消 [[runs]] 模板的注释，每个运行一条（id、system、command），"
                "然后运行 `bridge plan` 和 `bridge run`"
            )
        elif no_runs:
            out(kept_en)
            out(
                "next: the plan names no runs and there is no tracker run table: uncomment the "
                "[[runs]] template at the end of bridge.toml, one entry per run (id, system, "
                "command), then `bridge plan` and `bridge run`"
            )
        elif zh:
            out(kept_zh)
            out(
                "下一步：在 bridge.toml 中为运行写出命令（[run] command，或 [[runs]] 条目），"
                "然后运行 `bridge plan` 和 `bridge run`"
            )
        else:
            out(kept_en)
            out(
                "next: give the runs their commands in bridge.toml ([run] command, or [[runs]] "
                "entries), then `bridge plan` and `bridge run`"
            )
    else:
        out("next: edit the plan, tracker and bridge.toml, then `bridge plan` and `bridge run`")
    return EXIT_OK


# The default seed the bridge.toml templates set, for runs whose plan or tracker gives none.
_TEMPLATE_SEED = 'args = { seed = "0" }'


def _seed_as_planned(root: Path, zh: bool) -> str | None:
    """
    The default seed of the ``bridge.toml`` just written at ``root`` set to the seed the plan
    states, where it states one: 001's and 002's plans say seed 42, and the template's 0 made
    the next `bridge plan` warn that bridge.toml (the file init had just written) disagreed with
    the plan (trial h39A). A plan that states none, whose tracker rows name seeds and never 0
    (023's rows: 42, 42, 42/27/97), gives the seed those rows name most (the first of a tie), as
    the template's 0 ran the rows with no seed at a seed the project never uses. Only must-run
    rows count: a seed that nice-to-have rows alone name is an extra seed of other rows (026's
    E5 «MRSD GSM8K seed=123», MEDIUM, beside E3 at none; 123 made E3 run at E5's seed), and the
    template's is kept, said so. Returns the line that says which seed was written and why
    (Chinese when ``zh``), the template's 0 too when neither the plan nor the tracker states a
    seed (004); ``None`` when the template's is kept beside tracker rows that name seed 0. A
    project that does not load is left as written: `bridge plan` says what is wrong with it.
    """
    from collections import Counter

    from bridge.plan import load_project
    from bridge.plan.priority import Priority
    from bridge.plan.runs import plan_seed

    try:
        loaded = load_project(root)
    except BridgeError:
        return None
    config = root / "bridge.toml"
    text = config.read_text(encoding="utf-8")
    if _TEMPLATE_SEED not in text:
        return None
    seed = plan_seed(loaded.plan)
    seeded = [r for r in loaded.runs if r.seed is not None and r.source == "tracker"]
    rows = Counter(r.seed for r in seeded if r.priority is Priority.MUST)
    if seed is None and not rows and seeded and all(r.seed != 0 for r in seeded):
        by_seed: dict[int, list[str]] = {}
        for run in seeded:
            by_seed.setdefault(run.seed or 0, []).append(run.id)
        comma, semicolon = ("、", "；") if zh else (", ", "; ")
        named = semicolon.join(
            f"{comma.join(ids)}{'：' if zh else ': '}{seed}" for seed, ids in by_seed.items()
        )
        return (
            "bridge.toml 的默认种子（用于计划和追踪表行都未给出种子的运行）：仍为模板的 0——"
            f"计划没有写明种子，只有可选的行写了种子（{named}），它们像是其他行的额外种子；"
            "若没有写种子的行是以别的种子运行的，请在 [run] args 中写明"
            if zh
            else "bridge.toml's default seed (for runs whose plan and tracker row give none): the "
            f"template's 0 — the plan states no seed, and only nice-to-have rows name one "
            f"({named}), as extra seeds of other rows would; if the rows that name none ran at "
            "another seed, set it in [run] args"
        )
    if seed is not None:
        said = "计划写明的种子" if zh else "the seed the plan states"
    elif rows and 0 not in rows:
        seed = rows.most_common(1)[0][0]
        named = ("、" if zh else ", ").join(str(s) for s in rows)
        said = (
            f"追踪表各行最常写的种子（各行写了 {named}），而不是模板的 0"
            if zh
            else f"the seed the tracker's rows name most (they name {named}), not the template's 0"
        )
    elif not seeded:
        # 004's plan and tracker state no seed: the template's 0 was kept unsaid, and every run
        # then ran at seed 0 with no word of where it came from (trial h42A F17).
        return (
            "bridge.toml 的默认种子（用于计划和追踪表行都未给出种子的运行）：0，模板的种子："
            "计划和追踪表都没有写明种子；若项目使用别的种子，请在 [run] args 中修改"
            if zh
            else "bridge.toml's default seed (for runs whose plan and tracker row give none): 0, "
            "the template's: neither the plan nor the tracker states a seed; change it in "
            "[run] args if the project uses another"
        )
    else:
        return None
    planned = _TEMPLATE_SEED.replace('"0"', f'"{seed}"')
    config.write_text(text.replace(_TEMPLATE_SEED, planned, 1), encoding="utf-8")
    return (
        f"bridge.toml 的默认种子（用于计划和追踪表行都未给出种子的运行）：{seed}，{said}"
        if zh
        else f"bridge.toml's default seed (for runs whose plan and tracker row give none): "
        f"{seed}, {said}"
    )


def _plan_read(root: Path) -> str | None:
    """
    The plan file bridge reads in the project at ``root`` (relative, as ``bridge plan`` names
    it): the dated plan ``refine-logs/EXPERIMENT_PLAN.md`` links to, where it links to one.
    ``None`` when the project does not load: ``bridge plan`` says what is wrong with it.
    """
    from bridge.plan import load_project

    try:
        return load_project(root).plan.plan_file or None
    except BridgeError:
        return None


def _names_no_runs(root: Path) -> bool:
    """
    Whether the project at ``root`` loads with no runs (its plan and tracker name none, its
    bridge.toml lists none): ``bridge init`` then writes the ``[[runs]]`` template. A project
    that does not load is not judged here: ``bridge plan`` says what is wrong with it.
    """
    from bridge.plan import load_project

    try:
        return not load_project(root).runs
    except BridgeError:
        return False


def _runs_from(runs: Sequence[RunSpec], tracker_file: str, language: str) -> str:
    """
    Where ``bridge plan`` says the runs come from: the source of the first run, and for a run
    table in the plan itself (025, no tracker file) "the plan's run table", not "tracker";
    ``+ proposed`` after it where other runs are proposed from the plan's blocks beside the
    tracker's (033's table for E6 alone: "runs from tracker" read as if it were every run).
    """
    from bridge.plan.runs import PROPOSED
    from bridge.projections.text import t

    rows = next((r for r in runs if r.source == "tracker"), None)
    beside = rows is not None and any(r.source == PROPOSED for r in runs)
    first = rows if rows is not None and beside else runs[0]
    said = first.source
    if first.source == "tracker" and (first.status_file or first.file) != tracker_file:
        said = t("plan_from_plan_table", language)
    return f"{said} + {PROPOSED}" if beside else said


def plan(args: Parsed) -> int:
    """
    ``bridge plan``: what bridge understood of the plan, as a table or JSON.

    The configuration is checked first, as ``bridge run`` checks it at start (every section,
    the backend's included, and for the local backend the programs on PATH and the GPUs), so a
    preview never shows a plan that ``bridge run`` would refuse: the same message, exit 2. A
    plan with no runs is shown (its warnings say why and what gives it runs) and exits 2.
    """
    import attrs
    from rich.console import Group
    from rich.table import Table

    from bridge.cli.console import styled
    from bridge.cli.plan_view import (
        claim_lines,
        no_primary_metric,
        proposed_unknown,
        render_blocks,
        stop_rule_lines,
        unknown_directions,
        unplanned_systems,
    )
    from bridge.machine.sanity_probe import probe_of
    from bridge.pipeline import bootstrap
    from bridge.pipeline.steps.code import proposed_in_log
    from bridge.plan import load_project, plan_json
    from bridge.plan.attribution import SANITY_CHECK
    from bridge.plan.main_milestone import main_milestone
    from bridge.plan.milestones import says_data_preparation
    from bridge.plan.model import Milestone
    from bridge.plan.overview import counted, estimate_milestone, overview, own_gpu_hours
    from bridge.plan.priority import Priority
    from bridge.plan.project import passed_over_m0
    from bridge.plan.runs import ran_by_bridge, tracker_says_blocked, waits_outside
    from bridge.plan.status_legend import is_held_for_code
    from bridge.plan.text import first_six_named
    from bridge.plan.vocabulary import DONE_STATUSES, ended_failed
    from bridge.projections.text import chosen_language, t
    from bridge.projections.visible import visible

    given = overrides(args)
    root = project_root(args)
    # The ids `bridge run` gives the runs it proposed from the plan: the log's (015, trial t8).
    before, recorded = proposed_in_log(root)
    loaded = load_project(root, overrides=given, proposed_before=before, recorded_metrics=recorded)
    bootstrap.validate(loaded)
    # What `bridge run` would block on at its implement stage (a script the command names is
    # not there): said now, by the same check, not after the run is started (trial T3).
    scripts = bootstrap.script_warnings(loaded)
    # A clause the results could not judge for want of the proposed system: said now, at the
    # criterion's line, as a missing baseline is (005's B1, trial B).
    language = chosen_language(loaded.options.language, loaded.plan.language)
    # A clause whose system no planned run stands for: said now, with the alias that connects
    # one; a sanity block's first, as its criterion left open holds nothing (006's B5).
    kept = _succeeded_in_log(root)
    sanity_first, unplanned = unplanned_systems(loaded, language, kept)
    scripts = (*sanity_first, *scripts, *proposed_unknown(loaded, language), *unplanned)
    # A clause read as "primary metric" that nothing names: said now, not found inconclusive
    # after the runs (012's B2, trial t16 F14).
    scripts = (*scripts, *no_primary_metric(loaded, language))
    # A gain "the better way" of a metric nothing gives a way: said now, with the bridge.toml
    # line, not found open after the GPU time is spent (005's B2 on J-drop).
    scripts = (*scripts, *unknown_directions(loaded, language))
    scripts = (*scripts, *_split_runs_again(root, loaded, language))
    if args.json:
        data = plan_json(loaded)
        listed = data["warnings"]
        assert isinstance(listed, list)  # plan_json's contract: a list of warning objects
        listed += [{"file": w.file, "line": w.line, "message": w.message} for w in scripts]
        out(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))
        return EXIT_OK
    console = new_console()
    # The tracker's implementation tasks (001's I1-I7) are no runs: named apart, never counted.
    runs = [r for r in loaded.runs if not r.task]
    # The seeds' runs of a row bridge ran as one run, split since: its DONE is bridge's word,
    # and `bridge run` launches them (027's R-L3, trial t13: said "done before bridge" here).
    split = _split_rows_to_run(root, loaded)
    runs = [attrs.evolve(r, status="todo", status_raw="") if r.id in split else r for r in runs]
    tasks = [r.id for r in loaded.runs if r.task]
    console.print(styled(loaded.plan.title or t("plan_untitled", language), "bold"))
    table = Table(
        *(t(f"plan_{key}", language) for key in ("milestone", "name", "sanity", "runs")), "GPU-h"
    )
    own = own_gpu_hours(loaded.milestones)
    none_left: list[Milestone] = []
    for m in loaded.milestones:
        mine = [r for r in runs if r.milestone == m.id]
        # The estimate is of what is left to spend: rows the tracker marks done or ruled out
        # launch nothing (018's M0, five rows done before bridge, showed the plan's ~32.00).
        left = [r for r in mine if not r.settled_before_bridge]
        gone = [r for r in mine if r.settled_before_bridge]
        estimate = estimate_milestone(m, left, own, settled=gone)
        if estimate.none_left:
            none_left.append(m)
        table.add_row(
            visible(m.id),
            visible(m.name),
            t("plan_yes", language) if m.sanity else "",
            str(len(mine)),
            _hours_cell(estimate, len(mine), bool(m.cost_line), language),
        )
    # The runs of no milestone of the plan, in a row each, so the counts add up to every run.
    planned = {m.id for m in loaded.milestones}
    for other in dict.fromkeys(r.milestone for r in runs if r.milestone not in planned):
        theirs = [r for r in runs if r.milestone == other]
        # Runs of no milestone: why none can be told (033's plan has none).
        name = t(
            "results_not_in_plan"
            if other
            else "plan_no_milestone_none"
            if not planned
            else "plan_no_milestone_unnamed",
            language,
        )
        # Their GPU-hours as the estimate line counts them (032's 25 runs of no milestone).
        bare = Milestone.bare(other)
        left = [r for r in theirs if not r.settled_before_bridge]
        gone = [r for r in theirs if r.settled_before_bridge]
        estimate = estimate_milestone(bare, left, own, settled=gone)
        table.add_row(
            visible(other) or t("status_no_milestone", language),
            name,
            "",
            str(len(theirs)),
            _hours_cell(estimate, len(theirs), False, language),
        )
    console.print(table)
    idle = [m for m in loaded.milestones if not any(r.milestone == m.id for r in runs)]
    if uncounted := _uncounted_costs(idle, language):
        console.print(uncounted)
    if spent := _uncounted_costs(none_left, language, key="plan_hours_none_left"):
        console.print(spent)
    if elsewhere := _why_no_runs(
        loaded.milestones, runs, language, [(b.id, b.systems) for b in loaded.plan.blocks]
    ):
        console.print(elsewhere)
    if loaded.plan.blocks:
        console.print(render_blocks(loaded, language, kept))
    elif said := [*claim_lines(loaded, language), *stop_rule_lines(loaded, language)]:
        console.print(Group(*said))
    summary = overview(loaded, language)
    budget = loaded.plan.budget.gpu_hours
    console.print(
        t("plan_sources" if runs else "plan_no_sources", language).format(
            counts=summary[0],
            source=_runs_from(runs, loaded.plan.tracker_file, language) if runs else "",
            budget=f"{budget:g} GPU-h" if budget is not None else t("plan_not_stated", language),
        )
    )
    console.print(summary[-1])
    choice = main_milestone(
        loaded.options.main_milestone,
        loaded.milestones,
        loaded.plan.blocks,
        [(r.milestone, r.block) for r in runs],
    )
    if choice is not None:
        names = {m.id: m.name for m in loaded.milestones}
        named = names.get(choice.id, "")
        console.print(
            t("plan_main", language).format(
                id=visible(choice.id),
                name=f" {visible(named)}" if named else "",
                why=t(
                    "plan_main_option"
                    if choice.reason == "set" and "main_milestone" in given
                    else f"plan_main_{choice.reason}",
                    language,
                ).format(n=choice.runs, total=choice.total, block=visible(choice.block))
                + (
                    t("plan_main_others", language).format(
                        ids=("、" if language == "zh" else ", ").join(
                            visible(f"{m} {names[m]}".strip()) for m in choice.others
                        )
                    )
                    if choice.others
                    else ""
                ),
            )
        )
    # The first milestone with a run to launch (rows the tracker marks done or out of scope
    # are not launched), and its runs that will be.
    # Rows the tracker says are RUNNING hold the plan (bridge never starts a second copy), so
    # they are not among the first launches; the line says the launches wait for them.
    held = [r.id for r in runs if r.source == "tracker" and r.status == "running"]
    # A run that waits for another one still to run (depends_on, a Depends On column) is not
    # among the first launches either.
    # Runs this project's log has attempts of: bridge ran them (a tracker bridge wrote whole
    # carries no labelled part to say so), so they are no first launch.
    logged = _runs_with_attempts(project_root(args), runs)
    settled = {r.id for r in runs if r.settled_before_bridge} | logged
    launched = [
        r
        for r in runs
        if not r.settled_before_bridge
        and r.id not in logged
        and r.id not in held
        and all(d in settled for d in r.depends_on)
    ]
    order = [m.id for m in loaded.milestones]
    order += list(dict.fromkeys(r.milestone for r in launched if r.milestone not in order))
    first = next(
        (mine for mid in order if (mine := [r for r in launched if r.milestone == mid])), []
    )
    # The researcher's own sanity row failed (002's R001 "**GATE FAILED**"): `bridge run`
    # holds there before any launch, so nothing is "first to launch" (sanity.py says why).
    sanity = {m.id for m in loaded.milestones if m.sanity}
    gate_failed = [
        r.id
        for r in runs
        if loaded.options.sanity_first
        and r.milestone in sanity
        and r.settled_before_bridge
        # Done (or failed) before bridge, as sanity.py holds on: a row the researcher marked
        # NOT RUN (002's R001 as "NOT RUN — gate failed") is out of scope and holds nothing.
        and r.status in DONE_STATUSES
        and not ran_by_bridge(r.notes)
        and ended_failed(r.status_raw)
    ]
    # A must-run sanity row whose code is not written yet holds the plan there too.
    code_waits = [
        r.id
        for r in runs
        if loaded.options.sanity_first
        and r.milestone in sanity
        and r.priority is Priority.MUST
        and r.settled_before_bridge
        and is_held_for_code(r.status_raw)
    ]
    if gate_failed:
        console.print(
            t("plan_first", language)
            + t("plan_first_sanity_failed", language).format(
                runs=", ".join(gate_failed), counted=counted(len(gate_failed), "sanity run")
            )
        )
    elif code_waits:
        console.print(
            t("plan_first", language)
            + t("plan_first_sanity_waits", language).format(
                runs=", ".join(code_waits),
                counted=counted(len(code_waits), "must-run sanity run"),
                wait="waits" if len(code_waits) == 1 else "wait",
            )
        )
    elif first:
        # The run's system, else what its row says it is for; never "R1 ()".
        def shown(r: RunSpec) -> str:
            return f"{r.id} ({named})" if (named := r.system or r.purpose) else r.id

        # No sanity milestone: one run is checked alone before the rest launch (034), once:
        # after runs of this project have run, a row added later launches as any other (030's
        # E3 read "alone, as the sanity check" though A1 had passed it, trial t18).
        probe = (
            probe_of(
                (
                    (r.id, r.milestone, r.priority, bool(r.metrics or r.block))
                    for r in runs
                    if not r.settled_before_bridge and not r.depends_on
                ),
                order,
                {r.id for r in runs if r.attribution.startswith(SANITY_CHECK)},
                {m.id for m in loaded.milestones if says_data_preparation(m)},
            )
            if loaded.options.sanity_first and not sanity and not logged
            else None
        )
        # The plan's own sanity check goes first when it waits for nothing (after a data M0).
        alone = next((r for r in launched if r.id == probe), None)
        if alone is not None:
            first = [r for r in first if r is not alone]
        # Why no milestone is the sanity check: the plan's M0 is none for a reason its warning
        # gives (014's "no experiment"), not "the plan names no sanity milestone".
        why = passed_over_m0(loaded)

        # Six are named, the rest counted: 017's R008 and R009 went unsaid (trial h40C).
        def named_six(names: Sequence[str]) -> str:
            return first_six_named(names, t("plan_more_systems", language))

        key = "plan_first_probe" if why is None else f"plan_first_probe_m0_{why[0]}"
        console.print(
            t("plan_first", language)
            + (
                t(key, language).format(run=shown(alone), said=why[1] if why else "")
                if alone
                else ""
            )
            + (t("plan_first_then", language) if alone and first else "")
            + named_six([shown(r) for r in first])
            + (t("plan_first_held", language).format(runs=named_six(held)) if held else "")
        )
    elif runs and all(r.id in settled for r in runs):
        none = "plan_first_none_ran" if logged else "plan_first_none"
        console.print(t("plan_first", language) + t(none, language))
    elif held:  # every run left is RUNNING elsewhere, or waits for those that are
        rest = [r for r in runs if not r.settled_before_bridge and r.id not in held]
        key = "plan_first_after_held" if rest else "plan_first_held_only"
        console.print(t("plan_first", language) + t(key, language).format(runs=", ".join(held[:6])))
    # A row whose Notes hold bridge's part was run by bridge (the tracker shows what it wrote),
    # not "done before bridge" (009 after its first run).
    ran = [
        r.id for r in runs if r.id in logged or (r.settled_before_bridge and ran_by_bridge(r.notes))
    ]
    done = [
        r.id
        for r in runs
        if r.settled_before_bridge and r.status in ("done", "failed") and r.id not in ran
    ]
    # Rows held because the tracker says their code is not written yet (023): what releases them.
    unwritten = [
        r.id
        for r in runs
        if r.settled_before_bridge and r.id not in (*done, *ran) and is_held_for_code(r.status_raw)
    ]
    outside = [
        r.id
        for r in runs
        if r.settled_before_bridge and r.id not in (*done, *ran) and waits_outside(r.status_raw)
    ]
    # Rows the tracker says are blocked (027's BLOCKED_BY_M1.5): said so, as everywhere else.
    blocked = [
        r.id
        for r in runs
        if r.settled_before_bridge
        and not r.task
        and r.id not in (*done, *ran, *unwritten, *outside)
        and tracker_says_blocked(r.status_raw)
    ]
    ruled_out = [
        r.id
        for r in runs
        if r.settled_before_bridge and r.id not in (*done, *ran, *unwritten, *outside, *blocked)
    ]
    if done or ruled_out or ran or unwritten or outside or tasks or blocked:
        # The rows it leaves alone, and why (getting-started.md: `bridge plan` says which).
        parts = [
            t(key, language).format(count=len(ids), runs=_some(ids))
            for key, ids in (
                ("plan_not_launched_ran", ran),
                ("plan_not_launched_done", done),
                ("plan_not_launched_code", unwritten),
                ("plan_not_launched_waiting", outside),
                ("plan_not_launched_blocked", blocked),
                ("plan_not_launched_out", ruled_out),
                ("plan_not_launched_tasks", tasks),
            )
            if ids
        ]
        console.print(
            t("plan_not_launched", language) + ("；" if language == "zh" else "; ").join(parts)
        )
    _print_failed_before_holds(console, loaded, language)
    waiting = [
        (r.id, [d for d in r.depends_on if d not in settled])
        for r in runs
        if not r.settled_before_bridge and any(d not in settled for d in r.depends_on)
    ]
    if waiting:
        console.print(
            t("plan_waits", language).format(
                count=len(waiting),
                runs="; ".join(f"{run_id} ← {', '.join(on)}" for run_id, on in waiting[:4])
                + ("; …" if len(waiting) > 4 else ""),
            )
        )
    if loaded.needs_confirmation and not logged:  # once bridge has run them, they were approved
        console.print(styled(t("plan_proposed", language), "yellow"))
    _print_script_warnings(console, scripts, language)
    _print_warnings(console, loaded, language)
    # A plan with no runs is one `bridge run` refuses (exit 2): the preview says so by its exit
    # status too, after its warning that says what gives it runs (040 showed "0 runs", exit 0).
    # `--json` keeps exit 0: its "runs" list and warnings are the answer a program reads.
    return EXIT_OK if loaded.runs else EXIT_INPUT


def _hours_cell(estimate: Estimate, runs: int, stated: bool, language: str) -> str:
    """
    A milestone's GPU-h cell in ``bridge plan``'s table: bridge's estimate of the runs it will
    launch there (``~0.00`` for CPU runs), ``?`` when nothing gives one, labelled when the number
    is the plan's stated cost instead (``stated``: its text, else its Cost column), ``-`` for
    a milestone with no runs and ``~0.00 (none left)`` for one whose GPU runs the tracker all
    marks done or ruled out (:func:`_uncounted_costs` names the plan's figure under the table
    for both). One rule for every row: 018's table showed M0 and
    M3 at ~0.00 (CPU runs) beside M2 and M4 at the plan's ~32.00 and ~1280.00 with no run at
    all.
    """
    from bridge.projections.text import t

    if not runs:
        return "-"
    if estimate.none_left:
        return t("plan_hours_none_left_cell", language).format(hours="~0.00")
    if estimate.gpu_hours is None:
        return "?"
    hours = f"~{estimate.gpu_hours:.2f}"
    if not estimate.from_plan:
        return hours
    return t("plan_hours_text" if stated else "plan_hours_cost", language).format(hours=hours)


def _why_no_runs(
    milestones: Sequence[Milestone],
    runs: Sequence[RunSpec],
    language: str,
    blocks: Sequence[tuple[str, Sequence[str]]] = (),
) -> str | None:
    """
    The line under ``bridge plan``'s table for the plan's ``milestones`` with none of ``runs``
    that have blocks: where their blocks' runs are, as ``bridge status`` and the results say
    it (018's M2 read ``0 | -`` alone: «0 个运行：M2（B2 的运行都在 M3 中）», trial t16);
    ``None`` when none has a block (018's M4, a milestone of no experiment, needs no reason).
    ``blocks``: the plan's blocks as (id, compared systems), for a block with no runs of its own
    whose systems run in others (:func:`~bridge.plan.milestones.runs_of_its_systems`).
    """
    from bridge.plan.milestones import blocks_placed, runs_of_its_systems, why_no_runs
    from bridge.projections.text import t
    from bridge.projections.visible import visible

    zh = language == "zh"
    order = [m.id for m in milestones]
    idle = [m for m in milestones if not any(r.milestone == m.id for r in runs)]
    placed = blocks_placed(((r.block, r.milestone) for r in runs), order)
    lent = runs_of_its_systems(blocks, ((r.id, r.block, r.block_system or r.system) for r in runs))
    shown = "{}（{}）" if zh else "{} ({})"
    said = [
        shown.format(visible(m.id), visible(why))
        for m in idle
        if (why := why_no_runs(m.blocks, placed, language, lent))
    ]
    if not said:
        return None
    return t("plan_why_no_runs", language).format(said=("；" if zh else "; ").join(said))


def _uncounted_costs(
    milestones: Sequence[Milestone], language: str, *, key: str = "plan_hours_no_runs"
) -> str | None:
    """
    The line under ``bridge plan``'s table for the ``milestones`` with no runs whose Cost gives
    GPU-hours: their GPU-h cell reads ``-`` and the plan's figures, as written, are named here
    (018's ``M2（8–32 GPUh）、M4（累计 800–1600 GPUh）``), not dropped; ``None`` when there
    are none. With ``key`` ``plan_hours_none_left``, the same for milestones whose runs the
    tracker all marks done or ruled out (018's ``M0（16–32 GPUh）``): nothing left to spend.
    """
    from bridge.projections.text import t
    from bridge.projections.visible import visible

    # Each cost in brackets: 038's "8–14 engineering hours; <1 GPU hour" has separators of its own.
    zh = language == "zh"
    shown = "{}（{}）" if zh else "{} ({})"
    costs = [shown.format(visible(m.id), visible(m.cost_raw)) for m in milestones if m.gpu_hours]
    if not costs:
        return None
    joined = ("、" if zh else ", ").join(costs)
    return t(key, language).format(costs=joined)


def _print_script_warnings(
    console: Printer, warnings: Sequence[PlanWarning], language: str
) -> None:
    """The existing code's blocking findings (:func:`bootstrap.script_warnings`), each a warning
    line at the ``bridge.toml`` line to fix; in the plan's language like the code review."""
    from bridge.cli.console import styled
    from bridge.projections.finding_words import finding_in_language
    from bridge.projections.text import t

    for warning in warnings:
        message = finding_in_language(warning.message, language)
        console.print(styled(t("plan_warning", language), "yellow", f" {warning.where}: {message}"))


def _succeeded_in_log(root: Path) -> frozenset[str]:
    """
    The runs the project's log holds as succeeded: a `NOT RUN` their rows say since rules
    none of them out (bridge keeps a run's result); none without a log.
    """
    from bridge.machine.stages import RunState
    from bridge.pipeline.layout import ProjectLayout

    if not ProjectLayout(root).events_db.exists():
        return frozenset()
    return frozenset(
        run_id for run_id, run in folded_state(root).runs.items() if run.state is RunState.SUCCEEDED
    )


def _runs_with_attempts(root: Path, rows: Sequence[RunSpec]) -> frozenset[str]:
    """
    The runs the project's log holds attempts of and that will not launch again on the next
    `bridge run`; none when it has no log yet. One that will is no settled run: its retry is
    scheduled, or it ended without succeeding and its row (or its block's, 034) now says TODO,
    which the next `bridge run` applies ("first to launch: none" beside it, trial T4).
    """
    from bridge.machine.stages import ENDED_UNSUCCESSFUL, RunState
    from bridge.pipeline.layout import ProjectLayout

    if not ProjectLayout(root).events_db.exists():
        return frozenset()
    asked = {r.id for r in rows if r.tracker_status and r.status == "todo"}
    return frozenset(
        run_id
        for run_id, run in folded_state(root).runs.items()
        if run.attempts
        and run.state is not RunState.PENDING
        and not (run_id in asked and run.state in ENDED_UNSUCCESSFUL | {RunState.OUT_OF_SCOPE})
    )


def _split_rows_to_run(root: Path, loaded: LoadedProject) -> frozenset[str]:
    """
    The runs of rows split into seeds since bridge ran each as one run that are not in the log
    yet and whose Status is the word bridge wrote for that run
    (:func:`bridge.pipeline.steps.row_status.written_for_its_row`): `bridge run` launches them,
    whatever that word says. None without a log, or with no row split.
    """
    from bridge.pipeline.layout import ProjectLayout
    from bridge.pipeline.steps import row_status

    if not loaded.seed_splits or not ProjectLayout(root).events_db.exists():
        return frozenset()
    state = folded_state(root)
    tracker_file = loaded.plan.tracker_file
    return frozenset(
        r.id
        for r in loaded.runs
        if r.id not in state.runs
        and r.tracker_status
        and r.settled_before_bridge
        and row_status.written_for_its_row(r, state, loaded.run_ids, tracker_file)
    )


def _split_runs_again(root: Path, loaded: LoadedProject, language: str) -> list[PlanWarning]:
    """
    What `bridge run` does with each row now split into seeds whose one run already succeeded
    at one of them, said at the first such row: its result stands for that seed's run, not run
    again, when that run would run the same (:func:`bridge.pipeline.steps.code.carries_result`:
    command, seed, settings, code); else it is set aside and that seed runs again as
    ``<row>-s<seed>`` (:func:`bridge.pipeline.steps.code._rule_out_split`), said with how to
    keep the result. 001's R002-R004 ran at 42, then a Seed column gave them 42, 43, 44: seed 42
    ran again (~19 GPU-h by the plan's estimates) and `bridge plan` said nothing beforehand
    (trial t9). None without a log, or once the split is recorded (the old run is then ruled
    out).
    """
    from bridge.events import types as ev
    from bridge.machine.stages import RunState
    from bridge.pipeline.layout import ProjectLayout
    from bridge.pipeline.steps.code import carries_result
    from bridge.plan import PlanWarning
    from bridge.plan.run_fields import launch_seed, run_fields
    from bridge.plan.tracker import seed_run_id
    from bridge.projections.text import t

    splits = loaded.seed_splits
    if not splits or not ProjectLayout(root).events_db.exists():
        return []
    state = folded_state(root)
    specs = {r.id: r for r in loaded.runs}
    carried: list[tuple[str, int]] = []
    again: list[tuple[str, int]] = []
    for row_id, seeds in splits.items():
        old = state.runs.get(row_id)
        if old is None or row_id in loaded.run_ids or old.state is not RunState.SUCCEEDED:
            continue
        seed = launch_seed(old.spec)
        if seed is None or not seed.isdigit() or int(seed) not in seeds:
            continue
        target = specs[seed_run_id(row_id, int(seed))]
        planned = ev.RunPlanned(run_id=target.id, **run_fields(target))
        if carries_result(loaded, state, old, planned):
            carried.append((row_id, int(seed)))
        else:
            again.append((row_id, int(seed)))
    where = "tracker" if loaded.plan.tracker_file else "plan"
    said = []
    for key, rows in (("plan_split_runs_carried", carried), ("plan_split_runs_again", again)):
        if not rows:
            continue
        first = specs[seed_run_id(*rows[0])]
        said.append(
            PlanWarning(
                file=first.file,
                line=first.line,
                message=t(key, language).format(
                    runs=", ".join(row_id for row_id, _ in rows),
                    again=", ".join(
                        (f"{r} 的种子 {s} → " if language == "zh" else f"{r} at {s} → ")
                        + seed_run_id(r, s)
                        for r, s in rows
                    ),
                    where={"tracker": "追踪表", "plan": "计划"}[where]
                    if language == "zh"
                    else where,
                ),
            )
        )
    return said


def _print_failed_before_holds(console: Printer, loaded: LoadedProject, language: str) -> None:
    """
    The first milestone with a must-run row the tracker says ended failed before bridge, when
    milestones come after it: the scheduler cancels their runs as after a failure under bridge
    (005's R005 ``FAIL`` in M1). Sanity rows are said with "first to launch"; rows of no
    milestone hold nothing.
    """
    from bridge.plan.priority import Priority
    from bridge.plan.runs import ran_by_bridge
    from bridge.plan.vocabulary import DONE_STATUSES, ended_failed, stopped_status
    from bridge.projections.text import t

    order = [m.id for m in loaded.milestones]
    sanity = {m.id for m in loaded.milestones if m.sanity} if loaded.options.sanity_first else set()
    for at, milestone in enumerate(order):
        if milestone in sanity:
            continue
        failed = [
            r.id
            for r in loaded.runs
            if r.milestone == milestone
            and r.priority is Priority.MUST
            and r.settled_before_bridge
            # Done (or failed) before bridge, as the scheduler holds on: a row not run because
            # another failed (014's NOT_RUN_R002_FAIL) is out of scope and holds nothing.
            and r.status in DONE_STATUSES
            and not ran_by_bridge(r.notes)
            and ended_failed(r.status_raw)
        ]
        later = order[at + 1 :]
        if failed and later:
            # 014: the retry named launches nothing while the plan's Status says it stopped.
            said = stopped_status(loaded.plan.header)
            console.print(
                t("plan_failed_before_holds", language).format(
                    runs=", ".join(failed),
                    milestone=milestone,
                    later=", ".join(later),
                    first=failed[0],
                )
                + (
                    t("plan_failed_before_stopped", language).format(said=repr(said))
                    if said
                    else ""
                )
            )
            return


def _some(ids: list[str], shown: int = 6) -> str:
    """The first ``shown`` ids, and how many more."""
    more = f", … (+{len(ids) - shown})" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


def _print_warnings(console: Printer, loaded: LoadedProject, language: str) -> None:
    """The plan's warnings (file:line, what was repaired or not understood), the first 20."""
    if not loaded.warnings:
        return
    from bridge.cli.console import styled
    from bridge.projections.text import t

    for warning in loaded.warnings[:20]:
        message = warning.message
        if language == "zh":  # the phrase table loads the criteria: not before an English launch
            from bridge.projections.plan_words import warning_in_language

            message = warning_in_language(message, language)
        else:
            # A Chinese plan's row statuses it quotes hold bridge's Chinese words (026's
            # "🔄 / ⏳（图例：Auto-Queued）"): said in English.
            from bridge.plan.recorded_status import status_in_language

            message = status_in_language(message, language)
        console.print(styled(t("plan_warning", language), "yellow", f" {warning.where}: {message}"))
    if len(loaded.warnings) > 20:
        console.print(t("plan_more_warnings", language).format(n=len(loaded.warnings) - 20))


def _exit_for(stage: Stage) -> int:
    from bridge.machine.stages import Stage

    if stage in (Stage.AWAITING_APPROVAL, Stage.BLOCKED):
        return EXIT_WAITING
    return EXIT_OK


def _explain_waiting(bridge: Bridge, console: Printer) -> None:
    """
    What the pipeline waits for, before the summary's one "Next step" line says what to do.
    """
    from bridge.cli.console import styled
    from bridge.machine.stages import Stage
    from bridge.projections.finding_words import blocked_in_language, finding_in_language
    from bridge.projections.text import language_of, t

    state = bridge.status()
    language = language_of(state)
    if state.stage is Stage.AWAITING_APPROVAL and state.approval is not None:
        # auto_deploy is one reason to ask among several (runs proposed from the plan, a
        # proposed sanity run, new ablation runs): the summary below says which.
        from bridge.pipeline.steps.sanity import AUTO_DEPLOY_OFF
        from bridge.projections.finding_words import stage_reason_in_language

        entered = state.stage_history[-1][1].reason if state.stage_history else ""
        off = entered in (AUTO_DEPLOY_OFF, stage_reason_in_language(AUTO_DEPLOY_OFF, "zh"))
        why = t("waiting_why" if off else "colon", language)
        console.print(styled(t("waiting", language), "yellow", why))
        console.print(state.approval.summary)
    elif state.stage is Stage.BLOCKED and state.blocked is not None:
        reason = blocked_in_language(state.blocked.reason, language)
        space = "" if language == "zh" else " "  # "已阻断：" ends in a full-width colon
        console.print(styled(t("blocked", language), "red", f"{space}{reason}"))
        for finding in state.blocked.findings[:10]:
            at = f"{finding.file}:{finding.line}" if finding.line else finding.file
            where = f" ({at})" if finding.file else ""  # never "file:None"
            console.print(f"  - {finding_in_language(finding.message, language)}{where}")


def kept_copies(
    root: Path,
    since: float,
    language: str,
    read: Mapping[str, str] | None = None,
    for_status: Mapping[str, Sequence[str]] | None = None,
    proposed: Mapping[str, str] | None = None,
) -> list[str]:
    """
    A line for each copy of a researcher's file bridge kept during this command before it
    rewrote the file (``NAME.before-bridge.md``, ``NAME.edited.md``): the text they wrote below
    bridge's marker is not in the file any more, and only this says where it went (trial O3).
    An edit the plan read (``read``: path to sha256 of the inputs, 023's Status changed to TODO
    as bridge asked) is said to be read, not to be in the wrong place; one kept only for a
    Status written on rows bridge ran (``for_status``: copy → run ids), which bridge writes its
    own over and says so above, is said to be that, not text lost (trial t15: 009's TODO on a
    run that succeeded read "text you wrote there is only in that copy").
    """
    import hashlib

    from bridge.projections.text import t

    lines: list[str] = []
    for folder in (root, root / "refine-logs"):
        for copy in sorted(folder.glob("*.*")):
            kept = _KEPT_COPY.fullmatch(copy.name)
            if kept is None or not copy.is_file() or copy.stat().st_mtime < since:
                continue
            original = folder / f"{kept['stem']}{kept['ext']}"
            file = original.relative_to(root).as_posix()
            key = "kept_before_bridge" if kept["kind"] == "before-bridge" else "kept_edited"
            if key == "kept_edited" and not _has_marker(original):
                # A file bridge writes whole (EXPERIMENT_RESULTS.md, the code review) has no marker
                # to write notes above: "write your notes above the marker" could not be
                # followed (012's results edited, then `bridge rebuild`, trial t16).
                key = "kept_edited_whole"
            if (
                key == "kept_edited"
                and read
                and hashlib.sha256(copy.read_bytes()).hexdigest() == read.get(file)
            ):
                key = "kept_read_edit"
            kept_as = copy.relative_to(root).as_posix()
            runs = (for_status or {}).get(kept_as, ())
            if key == "kept_read_edit" and runs:
                key = "kept_status_edit"
            lines.append(
                t(key, language).format(file=file, copy=kept_as, runs=", ".join(sorted(runs)))
            )
            if key in ("kept_read_edit", "kept_status_edit") and not _has_marker(copy):
                # 030: the file was saved from an editor holding it as it was before bridge
                # wrote it; said, with the step that keeps the next save from doing it again.
                lines.append(t("kept_without_marker", language).format(file=file, copy=kept_as))
            if key != "kept_before_bridge" and original.is_file():
                # A Status written in bridge's part asks nothing: said, with where it is read.
                from bridge.cli.marker_edits import statuses_below_marker

                lines += statuses_below_marker(
                    file,
                    copy.read_text(encoding="utf-8", errors="replace"),
                    original.read_text(encoding="utf-8", errors="replace"),
                    language,
                    proposed,
                )
    return lines


def _proposed(bridge: Bridge) -> dict[str, str]:
    """Run id to block id of the runs ``bridge`` proposed from the plan (no row names them)."""
    from bridge.cli.marker_edits import proposed_blocks

    return proposed_blocks(bridge.status().runs.values())


def _has_marker(path: Path) -> bool:
    """Whether ``path`` holds bridge's marker, above which the researcher's notes are kept."""
    from bridge.plan.plan_section import GENERATED_MARK

    try:
        return GENERATED_MARK in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True  # unread: the usual words, which name the marker


# The copies bridge.projections.writer keeps of a researcher's file before rewriting it.
_KEPT_COPY = lazy(r"(?P<stem>.+)\.(?P<kind>before-bridge|edited)(?:-\d+)?(?P<ext>\.[^.]+)")


def _inside(folder: Path, root: Path) -> bool:
    return folder == root or root in folder.parents


def run(args: Parsed) -> int:
    """``bridge run``: advance until done or waiting; a live view, or plain lines in a pipe."""
    from bridge.cli.console import output_console, styled
    from bridge.cli.watch import Watcher, kept_lines
    from bridge.machine.stages import Stage
    from bridge.pipeline.audit import db_path
    from bridge.plan.overview import overview
    from bridge.projections.text import chosen_language, language_of, t

    root = project_root(args)
    started = time.time()
    bridge = open_bridge(args, root)
    console = output_console()  # into a pipe or a file: plain text, no rich loaded
    plain = args.plain or not console.is_terminal
    try:
        bridge.check()  # a project that cannot start shows only why, not the plan first
        # The workflow's opening summary: what bridge understood before it starts.
        loaded = bridge.project
        language = chosen_language(loaded.options.language, loaded.plan.language)
        console.print(styled(loaded.plan.title or t("plan_untitled", language), "bold"))
        for line in overview(loaded, language):
            console.print(f"  {line}")
        _print_warnings(console, loaded, language)  # as `bridge plan` shows them
        before = bridge.status()
        with Watcher(db_path(root), console, plain=plain):
            stage = bridge.run()
        # Nothing it reads changed, so nothing was checked again (011's R007, fixed in a data
        # file): say so, rather than print the same block as news.
        if (
            stage is Stage.BLOCKED
            and before.stage is Stage.BLOCKED
            and bridge.status().last_seq == before.last_seq
        ):
            console.print(t("blocked_unchanged", language))
        for line in kept_lines(
            bridge.kept_settings, language_of(bridge.status()), _named_only(bridge)
        ):
            console.print(line)
        _explain_waiting(bridge, console)
        console.print(bridge.summary())
        plan = bridge.status().plan
        for line in kept_copies(
            root,
            started,
            language,
            plan.inputs if plan else None,
            bridge.kept_for_status(),
            _proposed(bridge),
        ):
            console.print(line)
        # bridge's own tracker, edited: left unwritten, said (040 went stale in silence).
        for held in bridge.trackers_held():
            console.print(t("tracker_held", language).format(file=held))
        if not _inside(Path.cwd().resolve(), root):
            console.print(t("plan_project", language).format(root=root))
        # The must-run runs whose evidence is missing (failed, failed before bridge, or a
        # metrics file without a number), as the summary's readiness names them. Imported
        # here: the runs launch before the renderers load (tests/test_imports.py).
        from bridge.projections.outcome import evaluate

        failed = evaluate(bridge.status()).must_missing
    finally:
        bridge.close()
    if stage is Stage.COLLECTED and failed:
        # The pipeline finished, but not every must-run run did: a script driving bridge must
        # be able to tell (exit 1, runtime failure), the summary above says which and why.
        return EXIT_FAILURE
    return _exit_for(stage)


def advance(args: Parsed) -> int:
    """``bridge advance``: exactly one step."""
    bridge = open_bridge(args, project_root(args))
    console = new_console()
    try:
        step = bridge.advance()
        console.print(f"{step.before.value} → {step.after.value}: {step.action}")
        if step.waiting:
            from bridge.projections.summary import next_step_line

            _explain_waiting(bridge, console)
            console.print(next_step_line(bridge.status(), commands=bridge.commands_now()))
    finally:
        bridge.close()
    return _exit_for(step.after)


def run_active(root: Path) -> bool:
    """
    Whether a ``bridge run`` (or another command holding the project lock) is active now.
    """
    folder = root / ".bridge"
    if not folder.is_dir():
        return False
    # The pipeline holds an exclusive lock on the .bridge folder itself (Session.locked). A
    # shared one cannot be had meanwhile; it is released at once, so a `bridge run` starting at
    # this very moment is refused only within those microseconds.
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)  # closing releases the shared lock
    return False


def exited_runs(root: Path, state: PipelineState) -> frozenset[str]:
    """
    Live runs whose attempt has written its exit code (the process ended) but that no
    ``bridge run`` has collected yet.
    """
    from bridge.machine.scheduler import LIVE

    found = set()
    for run_view in state.runs_in_state(*LIVE):
        attempt = run_view.current
        if attempt is None:
            continue
        folder = (
            Path(attempt.local_dir)
            if attempt.local_dir
            else root / ".bridge" / "runs" / run_view.run_id / attempt.attempt_id
        )
        if (folder / "exit_code").exists():
            found.add(run_view.run_id)
    return frozenset(found)


def status(args: Parsed) -> int:
    """``bridge status``: the stage and every run, from the log alone."""
    import attrs

    from bridge.cli.console import status_json, status_lines

    root = project_root(args)
    given = overrides(args)
    if given:
        # Only with `-o`: the options module loads cattrs, which a plain status never needs.
        from bridge.plan.options import option_key

        given = {option_key(key): value for key, value in given.items()}
    _refuse_no_runs_before_log(root)
    state = folded_state(root)
    if "language" in given and state.plan is not None:
        # Shown in the language asked for (`-o language=en` on 023's Chinese plan was ignored):
        # the log keeps the one it was run with.
        options = {**state.plan.options, "language": str(given["language"]).strip().lower()}
        state = attrs.evolve(state, plan=attrs.evolve(state.plan, options=options))
    detached = not run_active(root)
    exited = exited_runs(root, state) if detached else frozenset()
    if args.json:
        out(json.dumps(status_json(state, exited=exited), ensure_ascii=False, indent=2))
    else:
        width = shutil.get_terminal_size((80, 24)).columns
        for line in status_lines(state, exited=exited, detached=detached, width=width):
            out(line)
    return EXIT_OK


def _refuse_no_runs_before_log(root: Path) -> None:
    """
    Refuse ``bridge status`` on a project with no log whose plan names no runs, saying what
    gives it runs: the usual "`bridge run` or `bridge advance` starts one" sent 040's
    researcher to two commands that refuse such a plan. With a log, or a project that does not
    load (``bridge run`` says why), the usual message stands.

    Raises:
        InputError: no log, and the project loads with no runs.
    """
    from bridge.pipeline.project_log import db_path

    path = db_path(root)
    if path.exists():
        return
    # Only now: a status of a project with a log loads no plan reading (test_snapshots).
    from bridge.plan import load_project
    from bridge.plan.project import no_runs_advice

    try:
        runs = load_project(root).runs
    except BridgeError:
        return
    if not runs:
        raise InputError(
            f"{root}: no bridge event log at {path}, and `bridge run` cannot start one: the "
            f"plan names no runs; {no_runs_advice(root)}"
        )


def approve(args: Parsed) -> int:
    """``bridge approve``: go on at AWAITING_APPROVAL, or reopen after BLOCKED."""
    from bridge.projections.text import language_of

    root = project_root(args)
    started = time.time()
    bridge = open_bridge(args, root)
    try:
        before = bridge.status().last_seq
        step = bridge.approve()
        language = language_of(bridge.status())
        plan = bridge.status().plan
        proposed = _proposed(bridge)
    finally:
        bridge.close()
    # The tracker rows whose Status it found edited, as `bridge retry` says them.
    for line in _rows_taken(root, before, (), language):
        out(line)
    # The action is in the plan's language already (Session.enter): the line around it too.
    if language == "zh":
        out(f"{step.action}：现为 {step.after.value}；用 `bridge run` 继续")
    else:
        out(f"{step.action}: now {step.after.value}; continue with `bridge run`")
    # Approving rewrites the tracker: an edit it kept aside is said here, as `bridge run` says
    # it (trial t7 on 034: a NOT RUN below the marker went to a copy without a word).
    for line in kept_copies(
        root, started, language, plan.inputs if plan else None, proposed=proposed
    ):
        out(line)
    return EXIT_OK


def cancel(args: Parsed) -> int:
    """``bridge cancel RUN``."""
    from bridge.machine.stages import RunState
    from bridge.projections.text import language_of

    bridge = open_bridge(args, project_root(args))
    try:
        run_id = resolve_run(args.run, bridge.status().runs)
        bridge.cancel(run_id)
        state = bridge.status()
        ended = state.runs[run_id]
    finally:
        bridge.close()
    zh = language_of(state) == "zh"
    if ended.state is RunState.CANCELLED:
        out(f"已取消 {run_id}" if zh else f"cancelled {run_id}")
    elif zh:
        out(f"{run_id} 已自行结束：{ended.state.value}")
    else:  # it ended on its own while the cancel was on its way
        out(f"{run_id} had already ended: {ended.state.value}")
    return EXIT_OK


def retry(args: Parsed) -> int:
    """``bridge retry [RUN…] [--failed] [--milestone M] [--force] [--changed]``."""
    from bridge.cli.watch import also_lines, changed_lines, kept_lines
    from bridge.pipeline.retries import left_out, stopped_by
    from bridge.projections.failure_words import stopped_in_language
    from bridge.projections.text import language_of

    root = project_root(args)
    started = time.time()
    bridge = open_bridge(args, root)
    try:
        known = bridge.status().runs
        # Where the log stood: the tracker rows this retry found edited are said from there.
        before = bridge.status().last_seq
        run_ids = [resolve_run(run, known) for run in args.runs]
        # Who had stopped each cancelled run, before this retry takes it back.
        stopped = {run_id: said for run_id, run in known.items() if (said := stopped_by(run))}
        try:
            scheduled = bridge.retry(
                *run_ids,
                failed=args.failed,
                milestone=tuple(args.milestone or ()),
                force=args.force,
                changed=args.changed,
            )
        except BridgeError:
            # A refused retry has recorded the edits all the same (the tracker it rewrote
            # keeps them): what of them it did not take, and the copies kept of the files it
            # rewrote, are said before the refusal, or no command ever says them (trial t18 on
            # 030: NOT RUN on the succeeded C4 went back to DONE in silence behind "cannot
            # retry: D2 succeeded", and a note below the marker went to a copy unsaid).
            language = language_of(bridge.status())
            for line in kept_lines(bridge.kept_settings, language, _named_only(bridge)):
                out(line)
            for line in _copies_kept(bridge, root, started, language):
                out(line)
            raise
        language = language_of(bridge.status())
        # The edits this retry recorded may keep succeeded runs as they ran: said here as
        # `bridge run` says it, not left for a later command to find (it stands until then).
        kept = kept_lines(bridge.kept_settings, language, _named_only(bridge))
        # The runs an edit sent back (recorded by this retry, so `bridge run` no longer says
        # "spec changed"), or an earlier retry: the next run starts them too (trial t15).
        also = also_lines(scheduled.also, language)
        # The runs it scheduled whose settings a fix changed: said, so the fix is seen taken.
        changed = changed_lines(scheduled.changed, language)
        # The runs it left out, out of scope since they succeeded: said, not skipped unsaid.
        left = [left_out(bridge.status(), scheduled.left_out)] if scheduled.left_out else []
        # It rewrote the tracker: an edit it kept aside is said, as `bridge run` says it.
        copies = _copies_kept(bridge, root, started, language)
    finally:
        bridge.close()
    asked = _retry_command(args, run_ids)
    # The rows of other runs whose Status the tracker edit changed (009's R004 set to `NOT RUN
    # — …` beside the retry of R003): recorded by this retry, so no `bridge run` says them.
    rows = _rows_taken(root, before, scheduled.asked, language)
    if language == "zh":
        for line in rows:
            out(line)
        out(f"将再次运行：{', '.join(scheduled.asked)}")
        if scheduled.revived:
            out(f"以及因它们而被取消的运行：{', '.join(scheduled.revived)}")
        for run_id in (r for r in scheduled.asked if r in stopped):
            said = stopped_in_language(stopped[run_id], "zh")
            out(f"{run_id}：{said}；按 `{asked}` 的要求再次运行")
        for line in (*left, *changed, *also):
            out(line)
        for line in (*kept, *copies):
            out(line)
        out("下一步：`bridge run`。")
        return EXIT_OK
    for line in rows:
        out(line)
    out(f"will run again: {', '.join(scheduled.asked)}")
    if scheduled.revived:
        out(f"and the runs cancelled because of them: {', '.join(scheduled.revived)}")
    for run_id in (r for r in scheduled.asked if r in stopped):
        # A cancelled run comes back only on a person's word: said, with whose cancel it was.
        out(f"{run_id}: {stopped[run_id]}; it runs again as `{asked}` asks")
    for line in (*left, *changed, *also):
        out(line)
    for line in (*kept, *copies):
        out(line)
    out("Next step: `bridge run`.")
    return EXIT_OK


def _rows_taken(root: Path, after: int, asked: Sequence[str], language: str) -> list[str]:
    """
    The lines `bridge run` prints for the tracker rows it finds edited (``R004 replanned: …``,
    ``R004 out of scope, not run: …``), for those a retry or an approval recorded after log
    position ``after``, the runs a retry was asked to run (``asked``) aside: their own lines
    follow.
    """
    from bridge.cli.watch import describe_all
    from bridge.events import types as ev
    from bridge.pipeline.audit import open_store
    from bridge.projections.failure_words import TRACKER_ROW_NOW

    store = open_store(root)
    try:
        records = [
            rec
            for rec in store.read(after=after)
            if getattr(rec.event, "run_id", None) not in asked
            and (
                isinstance(rec.event, (ev.RunRuledOut, ev.RunFoundDone))
                or (
                    isinstance(rec.event, ev.RunRetryScheduled)
                    and rec.event.reason.startswith(TRACKER_ROW_NOW)
                )
            )
        ]
    finally:
        store.close()
    # `bridge run`'s lines without their time ("12:04:31 R004 replanned: …"): a retry's lines
    # have none. A line with no space is kept whole rather than lost.
    return [line.partition(" ")[2] or line for line in describe_all(records, language)]


def _named_only(bridge: Bridge) -> set[str]:
    """The runs only a retry naming them runs again (``RunView.ruled_out_after``)."""
    return {r for r, run in bridge.status().runs.items() if run.ruled_out_after}


def _copies_kept(bridge: Bridge, root: Path, since: float, language: str) -> list[str]:
    """:func:`kept_copies` for a command that rewrote the researcher's files since ``since``."""
    plan = bridge.status().plan
    return kept_copies(
        root,
        since,
        language,
        plan.inputs if plan else None,
        bridge.kept_for_status(),
        _proposed(bridge),
    )


def _retry_command(args: Parsed, run_ids: Sequence[str]) -> str:
    """The ``bridge retry`` command as given (its runs resolved), as a retry's output names it."""
    words = ["bridge retry", *run_ids]
    words += ["--failed"] if args.failed else []
    words += [f"--milestone {m}" for m in args.milestone or ()]
    words += ["--force"] if args.force else []
    words += ["--changed"] if args.changed else []
    return " ".join(words)


HANDLERS: dict[str, Callable[[Parsed], int]] = {
    "init": init,
    "plan": plan,
    "advance": advance,
    "run": run,
    "status": status,
    "approve": approve,
    "cancel": cancel,
    "retry": retry,
    "diagram": diagram,
    "log": log,
    "replay": replay,
    "gc": gc,
    "rebuild": rebuild,
    "verify": verify,
}
