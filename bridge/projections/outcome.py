"""
The results of a plan as the log tells them: per milestone, per block (aggregates, criterion,
verdict), and the summary. Pure; shared by the results files and the handoff summary.

How the plan is read, where it is silent or imperfect:

- A milestone's blocks are the blocks it names plus the blocks of its runs.
- A block's runs are the runs attributed to it (bridge/plan/attribution.py), never the sanity
  milestone's runs, which are reported under that milestone only (unless the block holds
  nothing else: a "Pipeline sanity" block is judged on its own runs). A run counts for the
  compared system attribution matched (``block_system``), else its own system. When the block
  has no run of one of its systems, the runs of that system in other blocks are used ("runs
  shared with Block 1" — the same system means the same configured command).
- Expected seeds: the block's stated seeds (``seeds 0, 1, 2``, ``3 seeds``), else the most runs
  planned in the block for one of its systems.
- The reference system is the one whose name says baseline (``baseline``, ``基线``); the
  candidate is a system whose name starts every other system's name (``X`` in an ablation of
  ``X (no …)``). Neither is guessed beyond that; the judge says when it needs one.
- The main milestone: ``main_milestone`` when set, else by the rule of
  :mod:`bridge.plan.main_milestone` (the first whose name or goal says main, decisive, core or
  headline; else the one with the most runs in blocks titled main), which ``bridge plan`` shows
  before anything runs.

The result types are in :mod:`bridge.projections.outcome_types` (re-exported here), a block's
runs and systems in :mod:`bridge.projections.block_runs`.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import re
from collections.abc import Mapping, Sequence

import attrs

from bridge.errors import ConfigError
from bridge.events import types as ev
from bridge.events.measurements import MetricValue
from bridge.events.types import BlockInfo, MetricsRecorded, MilestoneInfo
from bridge.lazy_patterns import lazy
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.judge import (
    HELD_FOR_CODE,
    NAMES_NO_METRIC,
    NO_NUMBER,
    NOT_HELD,
    Aggregate,
    EvaluationType,
    JudgedBy,
    MainResult,
    RunKey,
    Sample,
    Verdict,
    VerdictKind,
    aggregate,
    judge_block,
    judgment_inputs,
    main_result,
    samples_from_values,
)
from bridge.machine.quality import QualityFinding, QualityKind
from bridge.machine.scheduler import held_for_code_by
from bridge.machine.stages import (
    COUNTED_RUN_STATES,
    NOT_BRIDGES_RUN_STATES,
    SETTLED_RUN_STATES,
    TERMINAL_RUN_STATES,
    RunState,
    Stage,
)
from bridge.machine.views import TASK_NOT_RUN
from bridge.plan.attribution import system_key
from bridge.plan.criteria import (
    Compound,
    Criterion,
    Unparsed,
    names_no_metric,
    parse_with_aliases,
)
from bridge.plan.directions import SAID_DIRECTIONS_OPTION, said_directions_of
from bridge.plan.main_milestone import main_milestone
from bridge.plan.metric_names import (
    PLAN_METRICS_OPTION,
    UNITS_OPTION,
    is_setting_name,
    match_metric,
    mentioned_in,
    metric_key,
    nesting,
    plan_metric_names,
    primary_metric_name,
    primary_metric_names,
    said_within,
    units_of,
)
from bridge.plan.priority import Priority
from bridge.plan.quantities import (
    SAME_SEEDS_OPTION,
    SEEDS_TOGETHER_OPTION,
    same_seeds_of,
    seeds_together_of,
)
from bridge.plan.recorded_status import done_by_person, waits_outside
from bridge.plan.run_fields import launch_seed
from bridge.plan.status_legend import is_held_for_code
from bridge.plan.vocabulary import normalise_status
from bridge.projections.block_runs import (
    alias_pairs,
    block_runs,
    candidate_system,
    criterion_systems,
    expected_seeds,
    involved_systems,
    milestone_blocks,
    reference_system,
    sanity_ids,
    set_aside,
    system_in,
)
from bridge.projections.failure_words import row_gone, row_split
from bridge.projections.outcome_types import (
    NO_MILESTONES,
    NO_MILESTONES_ZH,
    NO_VERDICTS,
    NO_VERDICTS_ZH,
    BlockResult,
    MilestoneResult,
    Outcome,
    blocks_with_untrusted_runs,
    main_empty,
    main_not_met,
    must_completed,
    no_main,
    not_met_elsewhere,
    runless_must_blocks,
    untrusted_blocks,
    untrusted_phrase,
)

__all__ = [
    "NO_MILESTONES",
    "NO_MILESTONES_ZH",
    "NO_VERDICTS",
    "NO_VERDICTS_ZH",
    "BlockResult",
    "MilestoneResult",
    "Outcome",
    "aliases_naming_nothing",
    "evaluate",
    "key_value",
    "main_empty",
    "main_not_met",
    "match_labelled",
    "measured_first",
    "must_completed",
    "no_main",
    "not_met_elsewhere",
    "sanity_check",
    "untrusted_blocks",
    "untrusted_phrase",
]


def key_value(run: RunView) -> MetricValue | None:
    """
    The run's key metric value (the first value under its recorded key metric), or ``None``.
    """
    metrics = run.metrics
    if metrics is None or not metrics.key_metric:
        return None
    return next((v for v in metrics.values if v.name == metrics.key_metric), None)


def measured_first(values: Sequence[MetricValue]) -> tuple[MetricValue, ...]:
    """
    A run's recorded ``values`` in the order a reader is shown them where no metric is named:
    measured values before settings and identifiers recorded beside them
    (:func:`~bridge.plan.metric_names.is_setting_name`: a seed, a learning rate, a step count,
    an id), and among each the shallowest first (:func:`~bridge.plan.metric_names.nesting`),
    else as recorded. 018's smoke run records `seed` first and its `reward` last, under fifty
    per-event values: its Key Metric cell showed "seed = 0 (+50 more)".
    """
    return tuple(sorted(values, key=lambda v: (is_setting_name(v.name), nesting(v.name))))


def _settings(state: PipelineState) -> MetricsRecorded | None:
    """
    The ``[metrics]`` settings in force: those recorded with the newest metrics (the attempt
    that finished last, the later run in planning order on a tie), or ``None`` before any run
    recorded some. An alias the researcher added or mended after the first run is the one read.
    """
    latest: MetricsRecorded | None = None
    newest = None
    for run in state.runs.values():
        attempt = run.current
        if attempt is None or attempt.metrics is None:
            continue
        at = attempt.finished_at or attempt.submitted_at
        if newest is None or at >= newest:
            latest, newest = attempt.metrics, at
    return latest


def _ended(run: RunView) -> bool:
    """
    The run has had its chance to record: it ran and ended (a terminal state after a launch),
    or the tracker settled it (done before bridge, out of scope). A run cancelled before it
    ever launched (held behind a failed milestone) has not: it may run yet.
    """
    if run.state not in TERMINAL_RUN_STATES:
        return False
    return bool(run.attempts) or run.state in NOT_BRIDGES_RUN_STATES


def _may_record(state: PipelineState, names: Sequence[str]) -> bool:
    """
    A run that has not ended could still record one of ``names``: a must-run run not ended
    (any of them may record any name), or a run not ended of a block whose Metrics or success
    criterion names one. An alias no run recorded yet is not dead while one may (a plan
    stopped after M1, its aliases meant for M2's runs). Nor while a run done before bridge,
    whose numbers the log does not hold, is of such a block: it records them once it runs
    under bridge (009's aliases for B1's "MRR", "recall@10", whose R002 was done before bridge,
    were said to connect nothing, trial t17 F8).
    """
    keys = {metric_key(n) for n in names}
    blocks = {b.id: b for b in state.plan.blocks} if state.plan is not None else {}
    for run in state.runs.values():
        before = run.state is RunState.DONE_BEFORE
        if run.is_task or (_ended(run) and not before):
            continue
        if run.spec.priority is Priority.MUST and not before:
            return True
        block = blocks.get(run.spec.block)
        if block is None:
            continue
        if keys & {metric_key(n) for n in plan_metric_names(block.metrics)}:
            return True
        criterion = metric_key(block.success_criterion)
        if any(k and k in criterion for k in keys):
            return True
    return False


def _flags_as_findings(run: RunView) -> list[QualityFinding]:
    """
    The training-quality findings of ``run``'s numbers, for its block's verdict: none of a
    run out of scope, whose numbers count nowhere (004's R309-s2, its row deleted after it
    wrote a NaN, held B3 open with "training-quality problems: R309-s2 TPR: non_finite").
    """
    metrics = run.metrics
    if metrics is None or run.state is RunState.OUT_OF_SCOPE:
        return []
    return [
        QualityFinding(
            run_id=run.run_id,
            metric=f.metric,
            kind=QualityKind(f.kind),
            message=f.message,
            blocking=f.blocking,
        )
        for f in metrics.quality
    ]


def _shown(
    criterion: Criterion | Unparsed | Compound,
    block: BlockInfo,
    runs: Sequence[RunView],
    aggregates: Sequence[Aggregate],
    aliases: Mapping[str, Sequence[str]],
    primaries: Sequence[str],
) -> tuple[str, ...]:
    names = list(dict.fromkeys(a.metric for a in aggregates))
    clauses = criterion.clauses if isinstance(criterion, Compound) else (criterion,)
    wanted: list[str | None] = []
    for clause in clauses:
        if isinstance(clause, Criterion) and clause.derived is not None:
            wanted += [clause.derived.left, clause.derived.right]
        elif isinstance(clause, Criterion):
            wanted.append(clause.metric)
    wanted += [r.metrics.key_metric for r in runs if r.metrics is not None]
    # Every primary metric a clause naming none is judged on is in the table beside it.
    wanted += primaries
    wanted += plan_metric_names(block.metrics)
    # A recorded name the Metrics line or the criterion writes out as it is, where the split
    # of the line into names missed it: 023's B2 names its two co-primary metrics only in code
    # spans of Chinese prose (`形成 `D_Vanilla` 与 `D_PredRNN-online` 两个 co-primary
    # differences`, a criterion the rules decline), its B1 its decisive ones inside a Chinese
    # parenthesis (`official EarthNetScore（ENS，越高越好）及 MAD/OLS/EMD/SSIM 分量`), and the
    # table showed none of them.
    wanted += _written_in((*block.metrics, block.success_criterion), names)
    wanted += [m for r in runs for m in r.spec.metrics]
    # Matched per system, as the judge reads them: one system's `AUPRC` and another's
    # `results.AUPRC[threshold/GNN]` (a labelled list, trial Q3 on 039) are both the plan's
    # AUPRC; matched over all names at once, the second system's rows were left out.
    by_system: dict[str, list[str]] = {}
    for a in aggregates:
        by_system.setdefault(a.system, []).append(a.metric)
    families = _labelled_families(names)
    found: list[str] = []
    # Runs repeat the same metric names; matching is pure, so each distinct name is matched once
    # (the first occurrence keeps its place, so ``found`` keeps its order).
    for plan_name in dict.fromkeys(wanted):
        if not plan_name:
            continue
        for own in (names, *by_system.values(), list(families)):
            try:
                hit = match_metric(plan_name, own, aliases)
            except ConfigError:
                continue  # ambiguous: shown in results.json, not guessed here
            if hit is None:
                continue
            # A metric read under several labels (029's `auroc` in three files, trial T3) is
            # shown under each of them: one row each, never the one an alias picked alone.
            base = _LABELLED.fullmatch(hit)
            family = families.get(base["metric"] if base else hit, [hit])
            found.extend(n for n in (hit, *family) if n in names and n not in found)
    if not found and not any(wanted):
        # Nothing names a metric to pick (036's blocks made from milestone sections: no Metrics
        # field, a criterion the rules decline): every recorded one is shown, the first few,
        # rather than none under "none matching the plan's metrics (-)".
        return tuple(names[:_ALL_SHOWN])
    return tuple(found)


def _written_in(texts: Sequence[str], names: Sequence[str]) -> list[str]:
    """
    The recorded ``names`` that ``texts`` write out whole, case and all, as a word of their own:
    not inside a longer name (``NDVI`` in ``NDVI-MAE``, ``MAE`` in ``post-MAE``, ``AUROC`` in
    039's ``ΔAUROC``, a difference of it), and not a one-letter name.
    """
    text = "\n".join(texts)
    return [
        name
        for name in names
        if len(name) > 1 and re.search(rf"(?<![\w.@-]){re.escape(name)}(?![\w@-]|\.\w)", text)
    ]


# The most metrics a block with no named metric shows in its table (results.json has them all).
_ALL_SHOWN = 8


def match_labelled(
    plan_name: str, recorded: Sequence[str], aliases: Mapping[str, Sequence[str]] | None = None
) -> str | None:
    """
    The recorded name ``plan_name`` refers to, as a block's table matches it: the one
    :func:`~bridge.plan.metric_names.match_metric` finds, else the first labelled name of the
    metric it names (009's B3 "prompt chars" is R004's `avg_prompt_chars[retrieval]`, one of two
    conditions; its Key Metric cell said the primary metric was not recorded beside a table
    showing both). ``None`` when neither matches; raises ``ConfigError`` as ``match_metric``.
    """
    hit = match_metric(plan_name, recorded, aliases)
    if hit is not None:
        return hit
    families = _labelled_families(list(dict.fromkeys(recorded)))
    base = match_metric(plan_name, list(families), aliases)
    return families[base][0] if base is not None else None


def _labelled_families(names: Sequence[str]) -> dict[str, list[str]]:
    """
    The labelled names among ``names`` by the metric they label, in order: ``auroc`` →
    ``auroc[output/lr.json]``, ``auroc[output/xgb.json]`` (one name read from several files),
    ``mrr`` → ``mrr[full]``, ``mrr[compact]`` (a list's named conditions). The plan names the
    metric; each label is one of its numbers.
    """
    families: dict[str, list[str]] = {}
    nested: dict[str, list[str]] = {}
    for name in names:
        found = _LABELLED.fullmatch(name)
        if found is not None:
            families.setdefault(found["metric"], []).append(name)
        elif (key := _NESTED.fullmatch(name)) is not None:
            nested.setdefault(key["parent"], []).append(name)
    # Nested keys of one parent (`optimal_action_probabilities.math`, `….retail`), two or more:
    # an alias naming the parent is the plan's metric per key (018's B1 «每域…», trial t12),
    # shown under each, as a criterion "in every domain" judges each.
    families.update({p: n for p, n in nested.items() if len(n) > 1 and p not in families})
    return families


_NESTED = lazy(r"(?P<parent>[^\[\]]+)\.[^./\[\]]+")


@functools.lru_cache(maxsize=256)
def _parsed(
    text: str, systems: tuple[str, ...], metrics: tuple[str, ...], aliased: tuple[str, ...] = ()
) -> Criterion | Unparsed | Compound:
    # Every rendering of the results judges every block: the criterion (pure text, a frozen
    # result) is parsed once per process, not once per rendering (4 or more per `bridge run`).
    return parse_with_aliases(text, block_systems=systems, metrics=metrics, aliased=aliased)


def _written_names(criterion: str, names: Sequence[str]) -> tuple[str, ...]:
    """
    The names of ``names`` (the plan's or recorded ones) that ``criterion`` mentions as words
    (:func:`bridge.plan.metric_names.mentioned_in`), each as the criterion spells it: the whole
    name without its ``[label]``, else its last dotted part (``eval.fk_p95`` as ``fk_p95``).
    """
    found: list[str] = []
    for name in dict.fromkeys(n.split("[", 1)[0] for n in names):
        for candidate in dict.fromkeys((name, re.split(r"[./]", name)[-1])):
            if mentioned_in([candidate], [criterion]):
                found.append(candidate)
                break
    return tuple(dict.fromkeys(found))


def parse_block_criterion(
    text: str,
    systems: Sequence[str],
    named: Sequence[str],
    aliased: Sequence[str],
    mentioned: Sequence[str] = (),
) -> Criterion | Unparsed | Compound:
    """
    A block's criterion parsed as the results judge it and as ``bridge plan`` previews it (one
    reading for both): on the metric names the block gives (``named``: its Metrics field) and
    those ``[metrics] aliases`` connects (``aliased``, as
    :func:`~bridge.plan.criteria.parse_with_aliases` reads them: never in place of a longer
    name the clause writes, 033's E1 "CrackerBox net" beside an alias for "net"); where that
    leaves a clause naming no metric, parsed again with the names of ``mentioned`` the
    criterion writes too: the plan's own metrics sections' names, and in the results the
    names the runs recorded. So a clause is judged on the metric it names, not on the primary
    one: 027's B3 «… pre-clamp FK p95 改善至少 10%», with no Metrics field and runs recording
    ``FK p95`` and ``D_motion``, was judged on ``[metrics] primary = D_motion`` (trial t7); and
    032's «Ours improves AggViol over FedAvg», AggViol listed only in its ``## Metrics``
    table, was previewed on the "primary metric" and judged on AggViol (trial h39D).
    """
    names = tuple(dict.fromkeys(aliased))
    block_names = tuple(dict.fromkeys(named))
    parsed = _parsed(text, tuple(systems), block_names, names)
    written = _written_names(text, mentioned)
    if written and (names_no_metric(parsed) or _part_read(parsed, written)):
        return _parsed(text, tuple(systems), tuple(dict.fromkeys([*named, *written])), names)
    return parsed


def _part_read(parsed: Criterion | Unparsed | Compound, written: Sequence[str]) -> bool:
    """
    Whether a clause of ``parsed`` is read on a metric that is only words of a longer name the
    criterion writes and the plan or the runs have, or is open for want of a metric beside
    one: 038's «AP lift > 1 for TriPharm CPU», runs recording `AP lift` (AP over prevalence),
    was read as a gain of AP ("lift" a direction) over the block's baseline, and not met on
    AP +0.007 where the lift is 2.4; «AP lift greater than 1» was "without a metric".
    """
    clauses = parsed.clauses if isinstance(parsed, Compound) else (parsed,)
    for clause in clauses:
        if isinstance(clause, Unparsed) and clause.reason == _WITHOUT_METRIC:
            return True
        if isinstance(clause, Criterion) and clause.metric and clause.derived is None:
            metric = clause.metric
            if any(len(w) > len(metric) and said_within(metric, w) for w in written):
                return True
    return False


# The parser's reason for a level whose words name no metric.
_WITHOUT_METRIC = "an absolute threshold without a metric"


def _criterion_of(
    block: BlockInfo,
    systems: tuple[str, ...],
    named: Sequence[str],
    aliased: Sequence[str],
    values: Sequence[MetricValue],
    plan_names: Sequence[str] = (),
) -> Criterion | Unparsed | Compound:
    """
    The block's criterion as :func:`parse_block_criterion` reads it, with the plan-wide
    metric names (``plan_names``) and the names its runs recorded (``values``) as the names a
    clause naming none may write.
    """
    recorded = [v.name for v in values]
    return parse_block_criterion(
        block.success_criterion, systems, named, aliased, [*plan_names, *recorded]
    )


_MARKED_COMPLETE = "the plan marks this block complete"
_NO_RUNS = "the block has no runs"
_CUT = "the plan cuts this block (Priority: cut)"
# How the judge says a block none of whose runs counts (bridge.machine.judge._check_runs).
_ALL_RULED_OUT = "every run of the block is out of scope: "
_ALL_WAITING = "every run of the block is still waiting, so it is not judged yet: "
# "metric 'M' not found for SYSTEM (extracted: …)", or "… not found in the block's runs (…)"
# when no system of the block recorded it (009's B1, whose subject could not be told). The
# list is read to its own closing parenthesis, past a name's own (`acc(top1)`): read to the
# first ")", the sanity note landed inside the list.
_NOT_FOUND = lazy(
    r"metric '(?P<metric>[^']+)' not found (?:for .+? |in the block's runs )"
    r"\(extracted: (?:[^()]|\([^()]*\))*\)"
)


def _held_by_sanity(
    state: PipelineState, block: BlockInfo, verdict: Verdict, aliases: Mapping[str, Sequence[str]]
) -> Verdict:
    """
    A metric the verdict found no value of that a sanity run of the block recorded: say so,
    right after the "not found" it explains (009's B1 criterion was about R001's coverage, and
    "not found" did not tell why; in a verdict of several clauses, the clause it belongs to).
    Sanity runs check the pipeline; their numbers are never pooled into a block.
    """
    if verdict.verdict is not VerdictKind.INCONCLUSIVE:
        return verdict
    missing = dict.fromkeys(m.group("metric") for m in _NOT_FOUND.finditer(verdict.reason))
    if not missing:
        return verdict
    sanity = sanity_ids(state)
    held: dict[str, list[str]] = {}
    for run in state.runs.values():
        if run.spec.block != block.id or run.spec.milestone not in sanity or run.metrics is None:
            continue
        names = [v.name for v in run.metrics.values]
        for metric in missing:
            try:
                if match_metric(metric, names, aliases) is not None:
                    held.setdefault(metric, []).append(f"{run.run_id} ({metric})")
            except ConfigError:
                continue
    if not held:
        return verdict

    def noted(found: re.Match[str]) -> str:
        runs = held.get(found.group("metric"))
        if not runs:
            return found.group(0)
        return (
            f"{found.group(0)}; {'a sanity run' if len(runs) == 1 else 'sanity runs'} recorded "
            f"it: {', '.join(runs)}, and a sanity "
            "run's numbers check the pipeline, not a block"
        )

    return attrs.evolve(verdict, reason=_NOT_FOUND.sub(noted, verdict.reason))


_MISSING = lazy(r"metric '([^']+)' not found ")


def _recorded_per_label(
    verdict: Verdict, values: Sequence[MetricValue], aliases: Mapping[str, Sequence[str]]
) -> Verdict:
    """
    A metric the verdict found no value of that the runs recorded under several labels (029's
    `AUROC`, written to lr.json, rf.json and xgb.json and named `auroc[FILE]`, trial T3): say
    so, and how to name the one the criterion means. Which file's number it is cannot be told
    from the numbers, so none is picked.
    """
    if verdict.verdict is not VerdictKind.INCONCLUSIVE:
        return verdict
    families = _labelled_families(list(dict.fromkeys(v.name for v in values)))
    notes: list[str] = []
    for metric in dict.fromkeys(_MISSING.findall(verdict.reason)):
        try:
            base = match_metric(metric, list(families), aliases)
        except ConfigError:
            continue
        if base is None or len(families[base]) < 2:
            continue
        labelled = families[base]
        notes.append(
            f"; {metric} is recorded under several labels ({', '.join(labelled)}) and no one "
            "of them stands for the run: name the one meant in bridge.toml, e.g. "
            # JSON strings are TOML basic strings: a name with `"` or `\\` stays valid TOML;
            # Chinese is written as is (018's «\u6700…» could not be read, trial t12).
            "[metrics] aliases = "
            f"{{ {json.dumps(labelled[-1], ensure_ascii=False)} = "
            f"{json.dumps(metric, ensure_ascii=False)} }}"
        )
    if not notes:
        return verdict
    return attrs.evolve(verdict, reason=verdict.reason + "".join(notes))


def _recorded_names(state: PipelineState) -> list[str]:
    """Every metric name any run recorded, in the order first recorded."""
    return list(
        dict.fromkeys(
            v.name for r in state.runs.values() if r.metrics is not None for v in r.metrics.values
        )
    )


def _dead_alias(name: str, target: str, recorded: Sequence[str]) -> str:
    """The note for ``[metrics] aliases`` ``target = name``, neither of which any run
    recorded: it connects nothing; the recorded names nearest to ``target`` are named."""
    nearest = difflib.get_close_matches(target, recorded, n=3, cutoff=0.6)
    near = f" (nearest recorded: {', '.join(nearest)})" if nearest else ""
    return (
        f"; [metrics] aliases {json.dumps(target)} = {json.dumps(name)} names no metric any run "
        f"recorded, so it connects nothing{near}"
    )


def _alias_naming_nothing(
    state: PipelineState,
    runs: Sequence[RunView],
    verdict: Verdict,
    aliases: Mapping[str, Sequence[str]],
) -> Verdict:
    """
    A metric the verdict found no value of that a ``[metrics] aliases`` entry connects to a
    name no run recorded, once runs have recorded values and the block's ``runs`` have all
    ended: say so, with the recorded names
    nearest to it. 029's `"auroc[risk/KLAX/xgb.json]" = "AUROC"` (the form the docs showed;
    bridge names the value `auroc[output/risk/KLAX/xgb.json]`) was accepted and changed nothing,
    without a word (trial B, 029d/029e).
    """
    if verdict.verdict is not VerdictKind.INCONCLUSIVE or not aliases:
        return verdict
    if not all(_ended(r) for r in runs):
        return verdict  # a run of the block may still record it
    missing = dict.fromkeys(_MISSING.findall(verdict.reason))
    recorded = _recorded_names(state)
    if not missing or not recorded:
        return verdict
    keys = {metric_key(n) for n in recorded}
    notes: dict[str, None] = {}
    for metric in missing:
        for name, targets in aliases.items():
            if metric_key(name) != metric_key(metric) or metric_key(name) in keys:
                continue
            for target in targets:
                if metric_key(target) in keys:
                    continue  # the alias reads a recorded name: it is not what is missing
                notes[_dead_alias(name, target, recorded)] = None
    if not notes:
        return verdict
    return attrs.evolve(verdict, reason=verdict.reason + "".join(notes))


def aliases_naming_nothing(state: PipelineState) -> list[str]:
    """
    Each ``[metrics] aliases`` entry in force (the newest settings the runs recorded) neither
    of whose names any run recorded, once runs have recorded values and no run that has not
    ended could record either (:func:`_may_record`: no must-run run is still to end), as a
    sentence (``[metrics] aliases
    "X" = "Y" names no metric any run recorded, so it connects nothing (nearest recorded: …)``);
    ``[]`` when there is none. The entry's direction is not recorded: the name nearer to a
    recorded one is shown first, as the docs write an alias (recorded name = plan name).
    """
    recorded = _recorded_names(state)
    settings = _settings(state)
    if not recorded or settings is None:
        return []
    keys = {metric_key(n) for n in recorded}
    pairs: dict[frozenset[str], tuple[str, str]] = {}
    for name, targets in settings.aliases.items():
        for target in targets:
            if metric_key(name) in keys or metric_key(target) in keys:
                continue
            if _may_record(state, (name, target)):
                continue
            nearness = {
                side: max(
                    (difflib.SequenceMatcher(None, side, n).ratio() for n in recorded),
                    default=0.0,
                )
                for side in (name, target)
            }
            first = target if nearness[target] >= nearness[name] else name
            other = name if first == target else target
            pairs.setdefault(frozenset((name, target)), (first, other))
    return [
        _dead_alias(other, first, recorded).removeprefix("; ")
        for first, other in sorted(pairs.values())
    ]


# Up to the notes the verdict may carry after it: "(values named by system: …" was taken for
# the system's name, and the alias suggested was broken TOML (trial T6, 009's B4).
_NO_RESULTS = lazy(
    r"no results for system (.+?)"
    r"(?=;|$| \||\. | \((?:values named by system|runs of other blocks|read as):)"
)


_WAITING_RUNS = "; still waiting: its runs are blocked in the tracker: "


def _primary_not_recorded(
    block: BlockInfo,
    primaries: Sequence[str],
    values: Sequence[MetricValue],
    aliases: Mapping[str, Sequence[str]],
    verdict: Verdict,
) -> Verdict:
    """
    ``verdict`` naming the primary metric the block states where a clause naming none was left
    open because no recorded name is it while another metric the block lists was recorded, with
    the alias that connects one: 001's B2 states "Overall accuracy", its runs recorded
    `overall_exact_match_accuracy` and `non_depth_sensitive_accuracy` (B2's third), and the
    reason said only that they "recorded none of its metrics" (trial h39A). Where none of the
    block's metrics was recorded, the note under its table says so, with the alias.
    """
    stated = primary_metric_name(block.metrics)
    if primaries or not stated or NAMES_NO_METRIC not in verdict.reason:
        return verdict
    recorded = list(dict.fromkeys(v.name for v in values))

    def found(name: str) -> bool:
        try:
            return match_metric(name, recorded, aliases) is not None
        except ConfigError:
            return True  # several: recorded all the same

    if not any(found(name) for name in plan_metric_names(block.metrics)[1:]):
        return verdict
    named = (
        f"{NAMES_NO_METRIC} (its primary metric {stated!r} is none of the recorded names: "
        f'`[metrics] aliases = {{ "RECORDED NAME" = {json.dumps(stated, ensure_ascii=False)} }}` '
        "connects one)"
    )
    return attrs.evolve(verdict, reason=verdict.reason.replace(NAMES_NO_METRIC, named))


def _systems_waiting(block: BlockInfo, runs: Sequence[RunView], verdict: Verdict) -> Verdict:
    """
    A compared system the verdict found no results for whose every run of the block is
    blocked in the tracker (027's B3, R-C3 ``BLOCKED_BY_M2`` beside R-C2 and R-C4 done): said
    to wait for those runs, by id, right after the "no results for system …" it explains, as a
    block all of whose runs are blocked says "still waiting"; "no results" alone read as a
    system the block lacks. In any verdict: an open clause of a verdict another clause
    decides says it too. A system the block has no run of its own for is read from the runs
    it shares (002's B1 and B2, judged on R006 of no block, ``BLOCKED`` in the tracker).
    """
    by_system: dict[str, list[RunView]] = {}
    lent: dict[str, list[RunView]] = {}
    for run in runs:
        mine = run.spec.block == block.id
        (by_system if mine else lent).setdefault(system_in(block, run), []).append(run)
    for system, theirs in lent.items():
        by_system.setdefault(system, theirs)

    def noted(found: re.Match[str]) -> str:
        theirs = by_system.get(found.group(1).strip(), [])
        if not theirs or not all(r.blocked_in_tracker for r in theirs):
            return found.group(0)
        return f"{found.group(0)}{_WAITING_RUNS}{', '.join(r.run_id for r in theirs)}"

    return attrs.evolve(verdict, reason=_NO_RESULTS.sub(noted, verdict.reason))


def _unnamed_system(block: BlockInfo, runs: Sequence[RunView], verdict: Verdict) -> Verdict:
    """
    A compared system the verdict found no results for, while some of the block's runs stand
    for no compared system: say which, and how to connect them (006's B5: "S3 composite" is
    computed by R002, system ``combine_net_load_runs.py``, and the reason said only "no results
    for system S3 composite"); with no run standing for it at all, how to name one.
    """
    if verdict.verdict is not VerdictKind.INCONCLUSIVE or not block.systems:
        return verdict
    missing = dict.fromkeys(m.strip() for m in _NO_RESULTS.findall(verdict.reason))
    if not missing:
        return verdict
    others = dict.fromkeys(
        system_in(block, r)
        for r in runs
        if r.metrics is not None and system_in(block, r) not in block.systems
    )
    others.pop("", None)  # a run that names no system has no name to give an alias
    # A run with the missing system its words tell apart, the others only with a system no
    # word of theirs contradicts: 001's "zero input" is no "E_best(predicted depth)" (t11).
    pairs, unnamed = alias_pairs(block.systems, list(missing), list(others))
    note = "".join(
        f"; the block's run system {run!r} has the words that tell {system} apart: if it runs "
        f'{system}, say so in bridge.toml: [systems."{run}"] aliases = ["{system}"]'
        for run, system in pairs
    )
    left = [m for m in missing if m not in {system for _, system in pairs}]
    if not left:
        return attrs.evolve(verdict, reason=verdict.reason + note)
    wanted = left[0]
    if not unnamed:
        if any(system_in(block, r) == wanted for r in runs):
            # Its runs are there: what they recorded is said elsewhere.
            return attrs.evolve(verdict, reason=verdict.reason + note)
        # 005's B2: "no results for system A1-full" and no word of how to connect it; the
        # tracker's run for it names it only in its Purpose ("… (= A1-full)", trial N2).
        note += (
            f"; no run of the plan stands for {wanted}: write {wanted} in its run's System / "
            f'Variant cell, or say so in bridge.toml: [systems."<that run\'s system>"] aliases '
            f'= ["{wanted}"]'
        )
        return attrs.evolve(verdict, reason=verdict.reason + note)
    note += (
        f"; the block's runs that stand for none of its compared systems run "
        f"{', '.join(repr(o) for o in unnamed)}: if one of them is {wanted}, say so in "
        f'bridge.toml: [systems."<that system>"] aliases = ["{wanted}"]'
    )
    return attrs.evolve(verdict, reason=verdict.reason + note)


# A value one run recorded for a named condition: ``regret[frequency-only heuristic]`` (a JSON
# list's labelled item, a CSV row per system).
_LABELLED = lazy(r"(?P<metric>.+)\[(?P<label>[^\[\]]+)\]")


def _labelled_samples(
    values: Sequence[MetricValue],
    keys: Mapping[str, RunKey],
    systems: Sequence[str],
    own: Sequence[Sample],
) -> list[tuple[Sample, str]]:
    """
    Samples of the block's systems that a run recorded under their names: one evaluation run
    writing ``regret[frequency-only heuristic]``, ``regret[signal-score heuristic]`` (009's B4,
    a CSV with a row per system) gives each of those systems its ``regret`` from that run,
    where nothing else did (the run's own unlabelled value of a metric comes first). A label
    naming no system, or more than one, gives nothing.
    """
    named = {system_key(s): s for s in systems if system_key(s)}
    taken = {(s.run_id, s.system, s.metric) for s in own}
    out: list[tuple[Sample, str]] = []
    for value in values:
        key = keys.get(value.run_id)
        found = _LABELLED.fullmatch(value.name)
        if key is None or found is None:
            continue
        system = named.get(system_key(found["label"]))
        metric = found["metric"]
        if system is None or (value.run_id, system, metric) in taken:
            continue
        taken.add((value.run_id, system, metric))
        sample = Sample(
            block=key.block,
            system=system,
            metric=metric,
            run_id=value.run_id,
            value=value.value,
            raw=value.raw,
        )
        out.append((sample, value.name))
    return out


def _read_by_label(
    verdict: Verdict, by_label: Sequence[tuple[Sample, str]], involved: frozenset[str]
) -> Verdict:
    """``verdict`` saying which of its numbers a run recorded under a system's name."""
    used = [(s, name) for s, name in by_label if s.system in involved]
    if not used:
        return verdict
    shown = "; ".join(f"{s.system} ← {s.run_id} `{name}`" for s, name in used[:3])
    more = f"; … ({len(used)} in all)" if len(used) > 3 else ""
    return attrs.evolve(verdict, reason=f"{verdict.reason} (values named by system: {shown}{more})")


def _no_run_of(block: BlockInfo, runs: Sequence[RunView], involved: frozenset[str]) -> str:
    """
    Why a criterion whose systems no run of the block stands for found nothing, when the block
    has runs: "the block has no runs" beside them was false. A run that did not succeed may be
    the one that records those systems' values (009's R005 writes one value per heuristic):
    its end leads, not a naming problem (trial T6). A run held behind an earlier milestone's
    row waiting for its code is named as held, as the judge names it, never as cancelled.
    """
    named = ", ".join(sorted(involved))
    # Cancelled in the log, but it has not run and will once that code is written: "R060
    # (cancelled)" read as a run that failed (020's B6 behind R040 `待实现`).
    held_back = [r.run_id for r in runs if r.held_for_code]
    ended = [
        f"{r.run_id} ({r.state.value})"
        for r in runs
        if r.state not in (RunState.SUCCEEDED, RunState.OUT_OF_SCOPE, RunState.DONE_BEFORE)
        and not r.held_for_code
    ]
    if ended or held_back:
        said = ([f"runs not succeeded: {', '.join(ended)}"] if ended else []) + (
            [f"runs held until an earlier milestone's code is written: {', '.join(held_back)}"]
            if held_back
            else []
        )
        return f"no values of {named}, which the criterion compares: {'; '.join(said)}"
    held = "; ".join(
        f"{system_in(block, r)}: {r.run_id}" for r in runs if r.spec.block == block.id
    ) or ", ".join(r.run_id for r in runs)
    return (
        f"no run of {named}, which the criterion compares; the block's runs are of other "
        f"systems ({held}): name the run's system in the criterion, or add it to "
        '`[systems."NAME"] aliases` in bridge.toml'
    )


#: Why a verdict on the last number of a list is not given, in a block whose seeds one command
#: runs (Chinese in bridge/projections/reasons.py).
PER_SEED_LIST = (
    "the block runs its seeds in one command ({command}) and its runs recorded {names} as a "
    "list of numbers, read as a series whose last value stands for the run: such a list may "
    "hold a value per seed, so no verdict is given on its last one; have the run write the "
    "number the criterion means (over all its seeds) under its own name. On the last values: "
)


def _last_of_many(rule: str) -> bool:
    """
    Whether a value's ``rule`` says it is the last of several numbers a file held: a JSON list's
    last item (``json:NAME[-1]``) or a CSV column's last row or last non-empty cell
    (``csv:last_row:NAME``, ``csv:last_value:NAME``). The same per-seed nets written as CSV rows,
    one per seed, were read on the last row (review h43R3, item 1). A one-row CSV has the same
    rule: it is held open too, as its rule cannot tell it from many rows.
    """
    return (rule.startswith("json:") and rule.endswith("[-1]")) or rule.startswith(
        ("csv:last_row:", "csv:last_value:")
    )


def _last_of_a_seed_list(verdict: Verdict, command: str, runs: Sequence[RunView]) -> Verdict:
    """
    ``verdict`` left open where the block's seeds run in one ``command`` (033's E1
    `SEEDS=1..25`) and a number it compares is the last of a plain list a run recorded
    (rule ``json:NAME[-1]``): read as a series, a list of 25 per-seed nets stood for the run by
    its last seed's, and E1 read met on it (trial h43G). An open verdict that compares one (a
    compound with a clause "met" on it beside an open clause, review h43R3 item 2) gets the same
    reason before its own, so no clause reads as settled on the last seed. Any other verdict is
    returned as it is.
    """
    if not command:
        return verdict
    listed = {
        v.name
        for r in runs
        if r.metrics is not None
        for v in r.metrics.values
        if _last_of_many(v.rule)
    }
    # The names the reason compares: "NAME: …" for a level, "NAME (higher): …" for a gain.
    read = sorted(n for n in listed if f"{n}: " in verdict.reason or f"{n} (" in verdict.reason)
    if not read:
        return verdict
    return attrs.evolve(
        verdict,
        verdict=VerdictKind.INCONCLUSIVE,
        measured=None,
        reason=PER_SEED_LIST.format(command=f"`{command}`", names=", ".join(read)) + verdict.reason,
    )


def _waiting_not_ruled_out(verdict: Verdict, runs: Sequence[RunView]) -> Verdict:
    """
    ``verdict`` with "every run of the block is out of scope" said as what it is when each of
    those runs only waits to run: for its code (023's B2, R020-R023 ``PENDING_IMPLEMENTATION``),
    for people's work (009's B3, R004 user-only), for a run bridge does not run, or behind a
    blocker its tracker row names (027's B2-B4, ``BLOCKED_BY_M2``); each named with what it
    waits for, as the summary and the not-launched list say. "Out of scope" read as runs the
    researcher dropped. Any other verdict is returned as it is.
    """
    if not verdict.reason.startswith(_ALL_RULED_OUT):
        return verdict
    listed, sep, rest = verdict.reason.removeprefix(_ALL_RULED_OUT).partition("; ")
    by_id = {r.run_id: r for r in runs}
    waiting: dict[str, list[str]] = {}
    for run_id in listed.split(", "):
        run = by_id.get(run_id)
        what = (
            None
            if run is None
            else "its code is not written yet"
            if run.awaiting_code
            else "work people do, not done yet"
            if run.by_person
            else "waiting for a run bridge does not run"
            if run.waits_outside
            else "blocked in the tracker"
            if run.blocked_in_tracker
            else None
        )
        if what is None:
            return verdict  # one the researcher ruled out: out of scope, as the judge says
        waiting.setdefault(what, []).append(run_id)
    said = "; ".join(f"{', '.join(ids)} ({what})" for what, ids in waiting.items())
    return attrs.evolve(verdict, reason=f"{_ALL_WAITING}{said}{sep}{rest}")


def _read_from_other_blocks(
    verdict: Verdict,
    block: BlockInfo,
    judged: Sequence[RunView],
    shared: set[str],
    values: Sequence[MetricValue],
) -> Verdict:
    """
    ``verdict`` naming the runs of other blocks whose numbers it was judged on, with their
    blocks: a system the block has no run of is read from another block's run of it (039's B1
    judged MART on B3's R008 while its reason named no run, trial T4).
    """
    counted = {v.run_id for v in values}
    used = [r for r in judged if r.run_id in shared and r.run_id in counted]
    if not used:
        return verdict
    shown = "; ".join(
        f"{system_in(block, r)} ← {r.run_id}" + (f" [{r.spec.block}]" if r.spec.block else "")
        for r in used[:4]
    )
    more = f"; … ({len(used)} in all)" if len(used) > 4 else ""
    return attrs.evolve(verdict, reason=f"{verdict.reason} (runs of other blocks: {shown}{more})")


def _primary(
    block: BlockInfo,
    runs: Sequence[RunView],
    values: Sequence[MetricValue],
    aliases: Mapping[str, Sequence[str]],
) -> str | None:
    """
    The metric a clause that names none is judged on: the key metric of the block's own runs
    (``[metrics] primary``, else the block's primary metric, else their rows' lead metric),
    else the block's primary metric among the numbers its runs recorded — runs shared from
    other blocks or from none carry their own block's key metric, or none (002's B2, every run
    compared from no block: "the criterion names no metric" beside `final_task_quality`
    values) — else a shared run's key metric: where the block states a primary metric its runs
    did not record, only that of a run of no block (its own row's lead metric), never another
    block's, which is that block's primary and a guess at this one's.
    """
    own = [r for r in runs if r.spec.block == block.id and r.metrics is not None]
    found = next((r.metrics.key_metric for r in own if r.metrics and r.metrics.key_metric), None)
    if found is not None:
        return found
    stated = primary_metric_name(block.metrics)
    keyed = runs
    if stated:
        try:
            hit = match_metric(stated, [v.name for v in values], aliases)
        except ConfigError:
            hit = None  # ambiguous: the clause says so where it is judged
        if hit is not None:
            return hit
        # 001's B2 states "Overall accuracy", which no run recorded: it was judged firmly on
        # `overall_exact_match_accuracy`, the key metric of B1's R004 (B1's primary), while
        # its runs' Key Metric cells said the primary metric was not recorded.
        keyed = [r for r in runs if not r.spec.block]
    return next(
        (r.metrics.key_metric for r in keyed if r.metrics is not None and r.metrics.key_metric),
        None,
    )


def _guessed_from_rows(
    primaries: Sequence[str],
    runs: Sequence[RunView],
    aliases: Mapping[str, Sequence[str]],
    stated: str,
) -> tuple[str, ...]:
    """
    Every metric ``runs``' tracker rows list, where the primary metric is their lead one (the
    first of a row's Metrics cell): a guess at what a clause naming no metric compares, which
    the judge does not take where the clause speaks of another of them (012's B2 judged on
    `full` of «full, high-DTU, stable NLL» of a «high-DTU endpoint»). ``()`` where the primary
    is another (``[metrics] primary``) or the block's Metrics field (``stated``) names it:
    said, not guessed.
    """
    if not primaries:
        return ()
    leads = {r.spec.metrics[0] for r in runs if r.spec.metrics}

    def is_primary(name: str) -> bool:
        try:
            return match_metric(name, [primaries[0]], aliases) is not None
        except ConfigError:
            return False

    if (stated and is_primary(stated)) or not any(is_primary(lead) for lead in leads):
        return ()
    return tuple(dict.fromkeys(m for r in runs for m in r.spec.metrics))


def _primaries(
    state: PipelineState,
    block: BlockInfo,
    runs: Sequence[RunView],
    values: Sequence[MetricValue],
    aliases: Mapping[str, Sequence[str]],
) -> tuple[str, ...]:
    """
    The metrics a clause that names none is judged on: the primary metric (:func:`_primary`),
    then the others the plan lists as primary in the same Metrics item — of this block, or of
    the block a run judged here belongs to — as the runs recorded them. 039's B3 is judged on
    AUROC, R003's key metric; R003's block B1 lists "token AUROC/AUPRC（主）", so AUPRC too:
    judged on AUROC alone, the verdict chose one of two primary metrics without a word.
    ``()`` when there is no primary metric.
    """
    primary = _primary(block, runs, values, aliases)
    if primary is None:
        return ()
    recorded = list(dict.fromkeys(v.name for v in values))
    blocks = {b.id: b for b in state.plan.blocks} if state.plan is not None else {}
    listings = [
        block.metrics,
        *(blocks[r.spec.block].metrics for r in runs if r.spec.block in blocks),
    ]
    for listing in dict.fromkeys(listings):
        matched: list[str] = []
        for name in primary_metric_names(listing):
            try:
                hit = match_metric(name, recorded, aliases)
            except ConfigError:
                hit = None  # ambiguous: never guessed, as in _primary
            if hit is not None:
                matched.append(hit)
        if primary in matched:
            return tuple(dict.fromkeys([primary, *matched]))
    return (primary,)


def _recorded_numbers(
    runs: Sequence[RunView], values: Sequence[MetricValue]
) -> dict[str, dict[str, float]]:
    """
    Each run's numbers by name, where a clause's setting (``at h=144``) is looked up: the
    arguments it ran with that are numbers (``[[runs]] args``), then its finite metric values
    (a value wins over an argument of the same name: it is what the run says it did).
    """
    out: dict[str, dict[str, float]] = {}
    for run in runs:
        numbers = out.setdefault(run.run_id, {})
        for name, raw in run.spec.params.items():
            try:
                number = float(raw)
            except ValueError:
                continue  # a path, a model name: no setting's value
            if math.isfinite(number):
                numbers[name] = number
    for value in values:
        if value.value is not None and value.run_id in out:
            out[value.run_id][value.name] = value.value
    return out


def _judge(state: PipelineState, block: BlockInfo, settings: MetricsRecorded | None) -> BlockResult:
    runs, shared = block_runs(state, block)
    aliases: Mapping[str, Sequence[str]] = settings.aliases if settings else {}
    lower: Mapping[str, bool] = settings.lower_is_better if settings else {}
    keys = {r.run_id: RunKey(block=block.id, system=system_in(block, r)) for r in runs}
    # A run the researcher ruled out counts for nothing, even with numbers from an attempt
    # before they did (018's JPH-B2-HO-S0 showed its earlier 0.45 beside "out of scope").
    values = [
        v
        for r in runs
        if r.metrics is not None and r.state is not RunState.OUT_OF_SCOPE
        for v in r.metrics.values
    ]
    systems = block.systems or tuple(dict.fromkeys(system_in(block, r) for r in runs))
    own = samples_from_values(values, keys)
    by_label = _labelled_samples(values, keys, block.systems, own)
    # A value given to a system by its label is that system's row, not also a row of the run's
    # own under the labelled name (036's M2.1 listed each number twice, trial T1).
    relabelled = {(sample.run_id, name) for sample, name in by_label}
    pooled = [
        *(o for o in own if (o.run_id, o.metric) not in relabelled),
        *(sample for sample, _ in by_label),
    ]
    aggregates = aggregate(pooled)
    apart = {
        run
        for group in (_unnamed_differ(block, runs), *_named_differ(block, runs).values())
        for run in group
    }
    expected = expected_seeds(block, runs, apart)
    plan_metrics = plan_metric_names(block.metrics)
    # A name the researcher connected with an alias is a metric name of the criterion too (018:
    # the alias bridge suggested for "每域最优动作概率" left the clause "without a metric"),
    # never in place of a longer name a clause writes (033's E1 "CrackerBox net").
    aliased = [*aliases, *(n for names in aliases.values() for n in names)]
    # The criterion may name a run of the block by the system it runs under its own name (039's
    # B2 "MART deletion suite 的 AUPRC ≥ 0.3", R004's system, none of the block's): read against
    # the block's "完整 MART" by its word MART, it found "the block has no runs" (trial T4).
    own_systems = [system_in(block, r) for r in runs if r.spec.block == block.id]
    # A system of another block the criterion names whole ("over TriPharm CPU", 038's B4) is
    # that system, not the block's one sharing a word with it.
    plan_blocks = state.plan.blocks if state.plan is not None else ()
    others = [s for b in plan_blocks if b.id != block.id for s in b.systems]
    criterion = _criterion_of(
        block,
        criterion_systems(
            block.systems,
            block.success_criterion,
            own_systems if block.systems else systems,
            others,
        ),
        plan_metrics,
        aliased,
        values,
        # The plan's own metrics sections' names, as `bridge plan` previews the clause.
        (state.plan.options.get(PLAN_METRICS_OPTION, "") if state.plan else "").splitlines(),
    )
    # The plan's own "Baseline:" and "Proposed:" lines say which is which (033's E5).
    baseline, proposed = block.baseline, block.proposed
    reference = baseline if baseline and baseline in systems else reference_system(systems)
    candidate: str | None = proposed
    candidate_evidence = "the block's proposed system (its Proposed line)"
    if not (proposed and proposed in systems and proposed != reference):
        candidate, candidate_evidence = candidate_system(
            systems,
            reference,
            frozenset(r.spec.system for r in runs),
            state.plan.method if state.plan is not None else "",
            listed=bool(block.systems),
        )
    primaries = _primaries(state, block, runs, values, aliases)
    try:
        evaluation = EvaluationType(block.evaluation_type)
    except ValueError:
        evaluation = None
    if evaluation is None:
        verdict = Verdict(
            verdict=VerdictKind.INCONCLUSIVE,
            reason=f"unknown evaluation type {block.evaluation_type!r}",
            criterion=criterion.text,
        )
    else:
        involved = involved_systems(criterion, systems, reference, candidate)
        # All of the block's runs when the compared systems cannot be told, including runs
        # attributed to the block whose system is none of its compared systems.
        # A run that recorded an involved system's values under its name is one of them
        # (trial Q3: one evaluation run writing sysA's and sysB's numbers, in a block that
        # also lists sysC and sysD, was left out and the block read "has no runs").
        labelled = {s.run_id for s, _ in by_label if s.system in involved}
        judged = (
            list(runs)
            if involved == frozenset(systems)
            else [r for r in runs if system_in(block, r) in involved or r.run_id in labelled]
        )
        verdict = judge_block(
            criterion,
            aggregates,
            # A run held behind an earlier milestone's row waiting for its code is cancelled in
            # the log, but has not failed: it runs once that code is written (020's B6 read
            # "runs failed: R060 (cancelled)" of M5's runs behind R040).
            # One that succeeded with no number holds open what it bears on, said as such
            # (018's JPH-B1-HO-S2 writing `{}` appeared nowhere in B1's verdict, trial t15).
            runs_status={
                r.run_id: HELD_FOR_CODE
                if r.held_for_code
                else NO_NUMBER
                if r.wrote_no_number
                else r.state.value
                for r in judged
            },
            expected_seeds=expected,
            reference_system=reference,
            candidate_system=candidate,
            primary_metric=primaries[0] if primaries else None,
            other_primaries=primaries[1:],
            row_metrics=_guessed_from_rows(
                primaries, judged, aliases, primary_metric_name(block.metrics)
            ),
            evaluation_type=evaluation,
            aliases=aliases,
            lower_is_better=lower,
            findings=[f for r in judged for f in _flags_as_findings(r)],
            candidate_evidence=candidate_evidence,
            planned_systems=block.systems,
            unnamed_differ=_unnamed_differ(block, judged),
            named_differ=_named_differ(block, judged),
            planned_runs=_planned_runs(block, runs),
            samples=pooled,
            run_settings=_recorded_numbers(runs, values),
            units=units_of(state.plan.options.get(UNITS_OPTION, "")) if state.plan else {},
            run_seeds={r.run_id: launch_seed(r.spec) for r in runs},
            run_systems={r.run_id: system_in(block, r) for r in judged},
            same_seeds=same_seeds_of(state.plan.options.get(SAME_SEEDS_OPTION, "")).get(
                block.id, ""
            )
            if state.plan
            else "",
            said_directions=said_directions_of(
                state.plan.options.get(SAID_DIRECTIONS_OPTION, "") if state.plan else ""
            ),
        )
        verdict = _waiting_not_ruled_out(_read_by_label(verdict, by_label, involved), judged)
        verdict = _last_of_a_seed_list(
            verdict,
            seeds_together_of(
                state.plan.options.get(SEEDS_TOGETHER_OPTION, "") if state.plan else ""
            ).get(block.id, ""),
            judged,
        )
        if not judged and runs and verdict.reason == _NO_RUNS:
            verdict = attrs.evolve(verdict, reason=_no_run_of(block, runs, involved))
        verdict = _read_from_other_blocks(verdict, block, judged, set(shared), values)
        if not runs and block.status_tag and normalise_status(block.status_tag) == "done":
            # 006's "### B1: … [COMPLETE]": finished before this plan's runs, evidence in the
            # plan; not "no runs" as if it were forgotten.
            verdict = attrs.evolve(
                verdict,
                reason=f"{_MARKED_COMPLETE} ({block.status_tag}); it has no runs in this plan, "
                "so bridge has nothing to judge",
            )
        elif not runs and block.priority == "cut":
            # 008's B4 "Priority: CUT": dropped by the researcher, not forgotten.
            verdict = attrs.evolve(
                verdict,
                reason=f"{_CUT}; it has no runs in this plan, so bridge has nothing to judge",
            )
        elif block.priority == "cut" and verdict.reason.startswith(_ALL_RULED_OUT):
            # 008's B4 with its STOPPED rows placed in it: why they are out of scope is the
            # plan's cut, which "every run of the block is out of scope" alone no longer said.
            verdict = attrs.evolve(verdict, reason=f"{_CUT}; {verdict.reason}")
    verdict = _held_by_sanity(state, block, verdict, aliases)
    verdict = _systems_waiting(block, runs, verdict)
    verdict = _unnamed_system(block, runs, verdict)
    verdict = _primary_not_recorded(block, primaries, values, aliases, verdict)
    verdict = _recorded_per_label(verdict, values, aliases)
    verdict = _alias_naming_nothing(state, runs, verdict, aliases)
    reviewable = (
        evaluation is not None
        and verdict.verdict is VerdictKind.INCONCLUSIVE
        # An empty criterion gives a reviewer nothing to judge (030: "no reviewer has judged
        # it" beside "empty criterion").
        and bool(block.success_criterion.strip())
        and _declined(criterion)
        and bool(runs)
        and all(r.state is RunState.SUCCEEDED for r in runs)
        and bool(aggregates)
    )
    sanity_numbers = _sanity_numbers(state, block, runs)
    digest = (
        judgment_inputs(block.id, criterion.text, aggregates, sanity_numbers) if reviewable else ""
    )
    if reviewable:
        verdict = _reviewed(state, block.id, digest, verdict)
    return BlockResult(
        block=block,
        reviewable=reviewable,
        inputs_sha256=digest,
        run_ids=tuple(r.run_id for r in runs),
        shared=tuple(shared),
        criterion=criterion,
        aggregates=_unpooled(block, runs, keys, aggregates, own, by_label, relabelled),
        shown=_shown(criterion, block, runs, aggregates, aliases, primaries),
        verdict=verdict,
        reference=reference,
        candidate=candidate,
        expected_seeds=expected,
        sanity_numbers=sanity_numbers,
    )


# How many of a sanity run's values its line names (009's R001 records three; a training
# sanity run may record dozens, which results.json and results.csv hold).
_SANITY_VALUES_NAMED = 8


def _sanity_numbers(
    state: PipelineState, block: BlockInfo, runs: Sequence[RunView]
) -> tuple[str, ...]:
    """
    The numbers of ``block``'s own sanity runs that it is not judged on (``runs``), a line
    per run: ``R001 (M0): tools = 1032, tasks = 1839 (+2 more)``. 009's B1 holds R001, the M0
    data rebuild whose task and schema counts are what its criterion's first clause is about,
    and R002: R001's numbers were neither in B1's table nor before its reviewer.
    """
    judged = {r.run_id for r in runs}
    sanity = sanity_ids(state)
    lines = []
    for run in state.runs.values():
        if (
            run.spec.block != block.id
            or run.run_id in judged
            or run.spec.milestone not in sanity
            or run.metrics is None
            or not run.metrics.values
        ):
            continue
        values = measured_first(run.metrics.values)
        named = ", ".join(f"{v.name} = {v.raw}" for v in values[:_SANITY_VALUES_NAMED])
        more = len(values) - _SANITY_VALUES_NAMED
        lines.append(
            f"{run.run_id} ({run.spec.milestone}): {named}"
            + (f" (+{more} more)" if more > 0 else "")
        )
    return tuple(lines)


def _unpooled(
    block: BlockInfo,
    runs: Sequence[RunView],
    keys: Mapping[str, RunKey],
    aggregates: tuple[Aggregate, ...],
    own: Sequence[Sample],
    by_label: Sequence[tuple[Sample, str]],
    relabelled: set[tuple[str, str]],
) -> tuple[Aggregate, ...]:
    """
    The block's rows as its table shows them: as judged, except that runs naming no system that
    are not seeds of one run (030's C1 "Private task" and C2 "Heavy urgent task") are a row
    each, named by what their row says they are (or their id), never one row "-" whose mean and
    std pool two conditions (trial T7). The verdict declines them either way. So are a named
    system's runs that are not seeds of one run, under the system's name ("Hermes MVP (Private
    task)"): 030's table showed C1-C3's routing rates as one mean ± std.
    """
    groups = {"": _unnamed_differ(block, runs), **_named_differ(block, runs)}
    ids = {run for group in groups.values() for run in group}
    if not ids:
        return aggregates
    split = dict(keys)
    for system, group in groups.items():
        differ = [r for r in runs if r.run_id in group]
        purposes = [" ".join(r.spec.purpose.split()) for r in differ]
        for run, purpose in zip(differ, purposes, strict=True):
            label = purpose if purpose and purposes.count(purpose) == 1 else run.run_id
            split[run.run_id] = RunKey(
                block=block.id, system=f"{system} ({label})" if system else f"({label})"
            )
    samples = [
        attrs.evolve(o, system=split[o.run_id].system) if o.run_id in ids else o
        for o in own
        if (o.run_id, o.metric) not in relabelled
    ]
    return aggregate([*samples, *(sample for sample, _ in by_label)])


def _planned_runs(block: BlockInfo, runs: Sequence[RunView]) -> dict[str, int]:
    """
    Runs planned per system of the block, those the researcher ruled out not counted: what the
    judge holds a system to when it is planned with fewer runs than the block's seeds.
    """
    planned: dict[str, int] = {}
    for run in runs:
        if run.state is not RunState.OUT_OF_SCOPE:
            system = system_in(block, run)
            planned[system] = planned.get(system, 0) + 1
    return planned


def _unnamed_differ(block: BlockInfo, runs: Sequence[RunView]) -> tuple[str, ...]:
    """
    The runs that name no system, when they are not seeds of one run (their tracker rows say
    different things: 029's M4 pools a sampling step, an XGBoost and an MLP run); ``()`` when
    they are (the same row's seeds, runs proposed from one block) or at most one. A run the
    researcher ruled out counts for nothing, here too.
    """
    return _not_seeds(block, runs, "")


def _named_differ(block: BlockInfo, runs: Sequence[RunView]) -> dict[str, tuple[str, ...]]:
    """
    Each named system of the block whose runs are not seeds of one run, by the rule of
    :func:`_unnamed_differ`, → those runs. A System column naming one system on every row
    (030's "Hermes MVP": A1 registers accounts, A2 creates profiles) made them its seeds: a
    mean over different procedures, or "missing seeds" where one recorded the metric.
    """
    systems = dict.fromkeys(system_in(block, r) for r in runs)
    return {s: differ for s in systems if s and (differ := _not_seeds(block, runs, s))}


def _not_seeds(block: BlockInfo, runs: Sequence[RunView], system: str) -> tuple[str, ...]:
    """
    ``system``'s runs in ``block`` when they are not seeds of one run, else ``()``. Runs that
    name no system are told apart by their Purpose and Notes; a named system's, by their
    Purpose alone, seeds or not ("full data" at seed 0 and "10% data" at seed 1 are two
    procedures, and a mean of them a wrong verdict; a second review of s42): its rows are the
    researcher's runs of it, whose Notes often hold what one of them found (009's R002 "Local
    CPU run: compact is strongest …" beside a second seed).
    """
    # 029's R042 "NOT RUN — not needed for the paper" recorded no number, yet held R041's
    # XGBoost AUROC open as "not seeds of one run (R041, R042)" (trial B, 029b/029d).
    own = [
        r for r in runs if system_in(block, r) == system and r.state is not RunState.OUT_OF_SCOPE
    ]
    # A row's seeds share its Purpose and Notes; rows that differ only by seed say which seed
    # (the Seed column, "seed 3" in Notes), so their Notes may differ. 029's rows have no
    # Purpose: their Notes tell them apart, and so they do for rows of one seed (a block's one
    # written seed, given to each of its seedless rows: they are not that seed's runs).
    seeds = [r.spec.seed for r in own]
    said = {
        (
            _without_seed_words(r.spec.purpose),
            " ".join(r.spec.notes.casefold().split())
            if not system and (r.spec.seed is None or seeds.count(r.spec.seed) > 1)
            else "",
        )
        for r in own
    }
    return tuple(r.run_id for r in own) if len(said) > 1 else ()


def _without_seed_words(purpose: str) -> str:
    """
    ``purpose`` folded, less the words that say which seed the row is ("baseline, seed 0" and
    "baseline, seed 7" are one procedure at two seeds; told apart, their mean was open, a third
    review of s42), so rows that differ only by seed still pool.
    """
    folded = _SEED_WORDS.sub(" ", purpose.casefold())
    return " ".join(folded.replace(",", " ").replace(";", " ").split())


# "seed 0", "seeds 7, 8", "(seed=3)", "种子 42": which seed a row is, not what it runs.
_SEED_WORDS = lazy(
    r"[(（]?\s*(?:\bseeds?|种子)\s*[=:#：]?\s*\d+(?:\s*(?:,|/|、|和|\band\b)\s*\d+)*\s*[)）]?"
)


def _unattributed_reason(run: RunView) -> str:
    if run.spec.block:
        return f"block {run.spec.block!r} is not a block of the plan"
    return run.spec.attribution or "no block recorded for this run"


def _declined(criterion: Criterion | Unparsed | Compound) -> bool:
    """
    Whether the rules declined the criterion, or a clause of it, as not machine-checkable: a
    clause whose margin is stated only in words is, where there is a gain (how large a gain
    "non-trivial" asks for is for a reviewer to say).
    """
    clauses = criterion.clauses if isinstance(criterion, Compound) else (criterion,)
    return any(isinstance(c, Unparsed) or c.margin_in_words is not None for c in clauses)


def _reviewed(state: PipelineState, block: str, digest: str, rule: Verdict) -> Verdict:
    """
    The reviewer's judgment of these numbers, when one is recorded; else the rule's
    inconclusive verdict, saying that no reviewer judged it.
    """
    judged = next(
        (j for j in reversed(state.judgments) if j.block == block and j.inputs_sha256 == digest),
        None,
    )
    if judged is None:
        return attrs.evolve(
            rule,
            reason=rule.reason
            + "; no reviewer has judged it (a [reviewer] of kind openai or agent "
            "judges such criteria at collection)",
        )
    try:
        kind = VerdictKind(judged.verdict)
    except ValueError:
        kind = VerdictKind.INCONCLUSIVE
    who = judged.reviewer + (f", model {judged.model}" if judged.model else "")
    return Verdict(
        verdict=kind,
        reason=f"judged by the reviewer ({who}), not measured by a rule: {judged.reasoning}",
        evaluation_type=rule.evaluation_type,
        judged_by=JudgedBy.REVIEWER,
        criterion=rule.criterion,
    )


def _main_milestone(state: PipelineState, milestones: Sequence[MilestoneResult]) -> str | None:
    assert state.plan is not None
    choice = main_milestone(
        state.plan.options.get("main_milestone", ""),  # checked at load
        [m.info for m in milestones],
        state.plan.blocks,
        # A run set aside places nothing: its row is no longer in the plan as it ran.
        [(r.spec.milestone, r.spec.block) for r in state.runs.values() if not set_aside(r)],
    )
    return choice.id if choice else None


def sanity_check(state: PipelineState, milestone: MilestoneResult) -> str:
    """
    What the sanity milestone's check says, in one word: ``passed``, ``failed``, ``pending``,
    ``skipped`` (by configuration), ``approved`` (its criterion approved by a person),
    ``criterion`` (held on its criterion), ``unjudged`` (its runs passed, its own criterion
    could not be judged: not "passed"), ``before`` (its runs were done before bridge, which
    checked nothing) or ``no_runs``. The results page and results.json say the same.
    """
    word = {True: "passed", False: "failed", None: "pending"}[milestone.sanity_passed]
    if state.sanity_checks and state.sanity_checks[-1].skipped:
        word = "skipped"
    last = state.sanity_checks[-1].detail if state.sanity_checks else ""
    if last.startswith(ev.CRITERION_APPROVED):
        word = "approved"
    elif last.startswith(ev.CRITERION_HELD):
        word = "criterion"
    elif word == "passed" and ev.CRITERION_UNJUDGED in last:
        # 029's "all `*_ok` true", declined, read "Sanity: passed" over a value false.
        word = "unjudged"
    theirs = [state.runs[r] for r in milestone.run_ids]
    if theirs and all(r.state in NOT_BRIDGES_RUN_STATES for r in theirs):
        word = "before"  # bridge checked nothing: the tracker's word stands
    elif not theirs:
        word = "no_runs"  # nothing to pass: "passed" would claim a check
    return word


def _sanity_passed(state: PipelineState, info: MilestoneInfo) -> bool | None:
    if not info.sanity or not state.runs_in(info.id):
        return None  # a milestone without runs checked nothing: neither passed nor failed
    if state.sanity_checks:
        return state.sanity_checks[-1].passed
    runs = [r for r in state.runs_in(info.id) if r.state not in NOT_BRIDGES_RUN_STATES]
    if runs and all(r.state in TERMINAL_RUN_STATES for r in runs):
        return all(r.state is RunState.SUCCEEDED for r in runs)
    return None


def _with_judged_blocks(
    milestones: tuple[MilestoneResult, ...], blocks: Sequence[BlockResult]
) -> tuple[MilestoneResult, ...]:
    """
    ``milestones`` with each must-run block that no milestone holds (its row names it not, no
    run of the block's own is in one) added to the milestone holding every run it is judged
    on, in plan order. 002's M2 "Main mechanism test" runs R006-R008, the runs B1 and B2 are
    judged on, shared as no block owns them: its main result read "no block of the plan is in
    M2, so there is nothing to judge" beside "Must-run blocks outside it not met: B1, B2". A
    nice-to-have block judged on those runs (002's B5, diagnostics) is no claim of theirs, and
    a block judged on runs of several milestones, or of none, stays in none: neither is
    guessed.
    """
    held = {b for m in milestones for b in m.blocks}
    order = {b.block.id: k for k, b in enumerate(blocks)}
    gained: dict[str, list[str]] = {}
    for b in blocks:
        if b.block.id in held or not b.run_ids or b.block.priority in ("nice", "cut"):
            continue
        # Every judged run is in one milestone at most, so at most one milestone holds them all.
        home = next((m for m in milestones if m.info.id and set(b.run_ids) <= set(m.run_ids)), None)
        if home is not None:
            gained.setdefault(home.info.id, []).append(b.block.id)
    if not gained:
        return milestones
    return tuple(
        attrs.evolve(
            m,
            blocks=tuple(
                sorted(
                    (*m.blocks, *gained[m.info.id]),
                    key=lambda b: order.get(b, len(order)),
                )
            ),
        )
        if m.info.id in gained
        else m
        for m in milestones
    )


_CACHE: list[tuple[PipelineState, Outcome]] = []


def evaluate(state: PipelineState) -> Outcome:
    """
    Compute the results of ``state`` (which must have a plan). Pure; the last result is cached,
    so the several result files of one refresh judge once.

    Raises:
        ValueError: the state has no plan.
    """
    if _CACHE and _CACHE[0][0] is state:
        return _CACHE[0][1]
    if state.plan is None:
        raise ValueError("no plan in the log yet")
    milestones = tuple(
        MilestoneResult(
            info=info,
            blocks=milestone_blocks(state, info),
            # Without the runs set aside (listed once, among the runs bridge did not launch):
            # 018's M4 kept two after a seed split was undone, and said it had runs.
            run_ids=tuple(
                r.run_id for r in state.runs_in(info.id) if not r.is_task and not set_aside(r)
            ),
            sanity_passed=_sanity_passed(state, info),
        )
        for info in state.plan.milestones
    )
    # Runs in a milestone the plan does not have (021's R015 in the tracker's M6), or in none
    # (018's B2 arms, id ""): a section each, after the plan's, so every run is in one.
    planned = {m.id for m in state.plan.milestones}
    milestones += tuple(
        MilestoneResult(
            info=MilestoneInfo(id=mid),
            blocks=milestone_blocks(state, MilestoneInfo(id=mid)),
            run_ids=tuple(r.run_id for r in state.runs_in(mid) if not r.is_task),
            sanity_passed=None,
        )
        for mid in state.milestone_ids
        # The tracker's implementation tasks are listed among the runs bridge did not launch.
        if mid not in planned and any(not r.is_task for r in state.runs_in(mid))
    )
    # The settings in force, found once: finding them looks at every run.
    settings = _settings(state)
    blocks = tuple(_judge(state, block, settings) for block in state.plan.blocks)
    milestones = _with_judged_blocks(milestones, blocks)
    main = _main_milestone(state, milestones)
    main_blocks = next((m.blocks for m in milestones if m.info.id == main), ())
    result = main_result(b.verdict for b in blocks if b.block.id in main_blocks)
    runs = list(state.runs.values())
    # Out-of-scope runs count nowhere; runs done before bridge count as done.
    counted = [r for r in runs if r.state in COUNTED_RUN_STATES]
    must = [r for r in counted if r.spec.priority is Priority.MUST]
    nice = [r for r in counted if r.spec.priority is Priority.NICE]
    ok = RunState.SUCCEEDED
    # Nor do their numbers' training-quality findings (004's R309-s2, its row deleted).
    flags = tuple(
        (r.run_id, f) for r in counted if r.metrics is not None for f in r.metrics.quality
    )
    reasons: list[tuple[str, str]] = []  # (English, Chinese)
    if state.stage is not Stage.COLLECTED:
        at = state.stage.value
        reasons.append(
            (f"the pipeline is at {at}, not COLLECTED", f"流水线处于 {at}，尚未到 COLLECTED")
        )
    # The must-run runs whose evidence the plan lacks, each kind once: the exit code, the next
    # step and the reasons below all read these.
    # Cancelled because an earlier milestone's row waits for its code: named with that row
    # below, not as runs that failed (023: "retry --failed" would only cancel them again), and
    # no evidence missing for the exit code: they run once the code is written, and the docs
    # promise 0 for rows held for their code (020's R060-R070 behind R040 made it 1).
    held_for_code = tuple(r.run_id for r in must if held_for_code_by(r) is not None)
    not_succeeded = tuple(
        r.run_id
        for r in must
        if r.state not in SETTLED_RUN_STATES and r.run_id not in held_for_code
    )
    no_number = tuple(r.run_id for r in must if r.wrote_no_number)
    missing = tuple(
        r.run_id
        for r in must
        if (r.state not in SETTLED_RUN_STATES and r.run_id not in held_for_code)
        or r.failed_before_bridge
        or r.wrote_no_number
    )
    # A Chinese list of runs is joined with "、", as every other one bridge writes (025's
    # not-ready reasons read "必做运行未成功：E-rag-sft, A1").
    shown = list(not_succeeded)
    # Not launched yet (the approval stop, a stage before the runs): "not succeeded" read as
    # failures before anything ran (030 at AWAITING_APPROVAL, trial t9).
    unrun = [
        r for r in shown if state.runs[r].state is RunState.PENDING and not state.runs[r].attempts
    ]
    if ended := [r for r in shown if r not in unrun]:
        reasons.append(
            (
                f"must-run runs not succeeded: {', '.join(ended)}",
                f"必做运行未成功：{'、'.join(ended)}",
            )
        )
    if unrun:
        reasons.append(
            (
                f"must-run runs not run yet: {', '.join(unrun)}",
                f"必做运行尚未运行：{'、'.join(unrun)}",
            )
        )
    # A must-run row the tracker says failed before bridge (005's R005 `FAIL`, "needs retry"):
    # the plan's evidence is not all there, whoever ran it.
    failed_before = tuple(r.run_id for r in must if r.failed_before_bridge)
    if failed_before:
        reasons.append(
            (
                f"must-run runs ended failed or invalid before bridge (their tracker rows say "
                f"so): {', '.join(failed_before)}",
                f"必做运行在 bridge 之前已结束为失败或无效（追踪表如此记录）："
                f"{'、'.join(failed_before)}",
            )
        )
    # Must-run rows held out of scope while they wait (their code, a run bridge does not run):
    # the plan is not done, so the results are not ready, and every summary names them.
    waiting: dict[str, tuple[str, ...]] = {}
    for kind, held, en, zh in (
        ("code", is_held_for_code, "must-run runs wait for their code", "必做运行等待代码写好"),
        (
            "outside",
            waits_outside,
            "must-run runs wait for runs bridge does not run",
            "必做运行等待 bridge 不运行的运行",
        ),
        # Work people do (020's R025, owner "白天：人工"): must-run work not done yet, not
        # the tracker's decision not to run it ("61/61 … excluded by the tracker").
        (
            "person",
            done_by_person,
            "must-run runs are work people do, not done yet",
            "由人工执行、尚未完成的必做运行",
        ),
        # Any other row the tracker says is blocked (038's BLOCKED-BY-HOST, 027's
        # BLOCKED_BY_M1.5): not done either, and it left the count in silence ("28/28").
        (
            "blocked",
            None,
            "must-run runs the tracker says are blocked",
            "追踪表写着受阻的必做运行",
        ),
    ):
        ids = tuple(
            r.run_id
            for r in runs
            if r.state is RunState.OUT_OF_SCOPE
            and r.spec.priority is Priority.MUST
            and (r.blocked_in_tracker if held is None else held(r.reason))
        )
        waiting[kind] = ids
        if ids:
            reasons.append((f"{en}: {', '.join(ids)}", f"{zh}：{'、'.join(ids)}"))
        if kind == "code" and held_for_code:
            reasons.append(
                (
                    f"must-run runs of later milestones wait for that code: "
                    f"{', '.join(held_for_code)}",
                    f"后续里程碑的必做运行等待这些代码：{'、'.join(held_for_code)}",
                )
            )
    held_ids = {run_id for ids in waiting.values() for run_id in ids}
    # The researcher's decision not to run a must-run row (SKIPPED, STOPPED; 009's R005 set so
    # after it failed): not counted, and named beside the count ("3/3" read as all done). The
    # sanity milestone's too: 002's PAUSED R002 and R003 were left out of "0/5" unnamed.
    out_of_scope = [
        r
        for r in runs
        if r.state is RunState.OUT_OF_SCOPE
        and r.spec.priority is Priority.MUST
        and r.run_id not in held_ids
        and not r.reason.startswith(TASK_NOT_RUN)
    ]
    # Set aside by bridge, not by the researcher: a row split into seeds (its seeds' runs stand
    # for it) or removed since it ran. 002's R007 ("seeds 42, 43" added to its Notes) read "1
    # more is out of scope in the tracker" although nobody marked it so (trial t10).
    ruled_out = tuple(r.run_id for r in out_of_scope if not row_gone(r.reason))
    split = tuple(r.run_id for r in out_of_scope if row_split(r.reason))
    removed = tuple(
        r.run_id for r in out_of_scope if row_gone(r.reason) and not row_split(r.reason)
    )
    if unread := [r.run_id for r in runs if r.state is ok and r.metrics is None]:
        reasons.append(
            (
                f"runs without recorded metrics: {', '.join(unread)}",
                f"运行没有已记录的指标：{'、'.join(unread)}",
            )
        )
    # A must-run run whose metrics file held no number (a metrics.json of `{}`): the plan's
    # evidence is not there, as for a run that failed. A nice-to-have one is only noted on the
    # run (its problem in the results), as a failed nice-to-have run does not hold them back;
    # so is a run that wrote no metrics file at all (a figure may have no number to give).
    if no_number:
        reasons.append(
            (
                f"must-run runs recorded no metric value: {', '.join(no_number)}",
                f"必做运行没有记录任何指标数值：{'、'.join(no_number)}",
            )
        )
    if not state.plan.blocks:
        reasons.append((NO_VERDICTS, NO_VERDICTS_ZH))
    elif main is None and not state.plan.milestones:
        reasons.append((NO_MILESTONES, NO_MILESTONES_ZH))
    elif main is None:
        reasons.append(no_main(state.plan.milestones, milestones))
    elif result is MainResult.INCONCLUSIVE and (empty := main_empty(milestones, main)):
        # Nothing in it to judge (018's M4): said, not left to read as a judgement that failed.
        reasons.append(
            (
                f"the main milestone {main} is inconclusive: {empty}",
                f"主要里程碑 {main} 无定论：{main_empty(milestones, main, zh=True)}",
            )
        )
    elif result is MainResult.INCONCLUSIVE:
        reasons.append((f"the main milestone {main} is inconclusive", f"主要里程碑 {main} 无定论"))
    # Negative on one block while others of the main milestone were never judged (015: B6, a
    # rigor check, not met; B3, "the headline result", and B4 inconclusive): one failed
    # criterion is enough for "negative", so the word stays, but the result has not been read
    # in full. As for an inconclusive main milestone, it is not ready until they are judged.
    # A plan with no milestones has its blocks for main milestone, named by no name (032
    # with blocks: "blocks of the main milestone  not judged").
    of_main, of_main_zh = (
        (f"of the main milestone {main} ", f"主要里程碑 {main} 中") if main else ("", "")
    )
    unjudged = (
        tuple(
            b.block.id
            for b in blocks
            if b.block.id in main_blocks and b.verdict.verdict is VerdictKind.INCONCLUSIVE
        )
        if result is MainResult.NEGATIVE
        else ()
    )
    if unjudged:
        reasons.append(
            (
                f"blocks {of_main}not judged (inconclusive): {', '.join(unjudged)}",
                f"{of_main_zh}未能判定（无定论）的实验块：{'、'.join(unjudged)}",
            )
        )
    # A run of the main milestone whose numbers are not trusted (NaN, divergence) holds it back
    # even where no clause read it: a block could be met beside a diverged run, and readiness
    # said YES with nothing said of it (the blocks outside the main milestone are only named).
    if untrusted := [
        (block, runs)
        for block, runs in blocks_with_untrusted_runs(blocks, flags)
        if block in main_blocks
    ]:
        en_runs, zh_runs = (
            [
                f"{block}{open_}{sep.join(r + ' ' + '/'.join(kinds) for r, kinds in runs)}{close}"
                for block, runs in untrusted
            ]
            for sep, open_, close in ((", ", " (", ")"), ("、", "（", "）"))
        )
        reasons.append(
            (
                f"blocks {of_main}with numbers not trusted: {'; '.join(en_runs)}",
                f"{of_main_zh}数值不可信的实验块：{'；'.join(zh_runs)}",
            )
        )
    # A positive result whose comparison the runs made under a condition they break ("at the
    # same training time", 5000 s against 2000 s; 020's B2): the headline says so, and handing
    # it on as ready said "YES" with nothing of it (trial t12). It is ready once the systems
    # ran under the condition, or the plan's criterion no longer asks for it.
    unheld = (
        tuple(
            b.block.id
            for b in blocks
            if b.block.id in main_blocks
            and b.verdict.verdict is VerdictKind.MET
            and NOT_HELD in b.verdict.reason
        )
        if result is MainResult.POSITIVE
        else ()
    )
    if unheld:
        reasons.append(
            (
                f"blocks {of_main}compared under a condition that does not "
                f"hold in the runs: {', '.join(unheld)}",
                f"{of_main_zh}比较所依据的条件在运行中不成立的实验块：{'、'.join(unheld)}",
            )
        )
    # A must-run block with no run at all and so no verdict (008's B1, B2: no tracker row is
    # theirs) read "Ready for the review loop: YES" beside a met main milestone: the plan says
    # it must run, and nothing was run or judged for it. A nice-to-have one holds nothing, as
    # a nice-to-have run does not; a block judged on runs it is lent has its verdict.
    runless = runless_must_blocks(blocks)
    unrun_blocks = tuple(
        b.block.id
        for b in blocks
        if b.block.id in runless and b.verdict.verdict is VerdictKind.INCONCLUSIVE
    )
    if unrun_blocks:
        reasons.append(
            (
                f"must-run blocks with no run, so not judged: {', '.join(unrun_blocks)}",
                f"必做实验块没有任何运行，未能判定：{'、'.join(unrun_blocks)}",
            )
        )
    block_ids = {b.id for b in state.plan.blocks}
    sanity = sanity_ids(state)
    # A row the tracker rules out for good (008's STOPPED R006-R009) is listed with its reason
    # among the runs bridge did not launch; giving it a block would change nothing. A held or
    # blocked row runs once released, so where its numbers will count is still said (as the
    # plan's warnings do: bridge/plan/runs.py leaves out the same rows).
    unattributed = tuple(
        (r.run_id, _unattributed_reason(r))
        for r in runs
        if r.spec.block not in block_ids
        and r.spec.milestone not in sanity
        and not (
            r.state is RunState.OUT_OF_SCOPE
            and not is_held_for_code(r.reason)
            and not waits_outside(r.reason)
            and not r.blocked_in_tracker
        )
    )
    # A run whose numbers cannot be trusted is no completed run (001d's sanity R001, loss NaN,
    # held the plan while the count called it completed).
    untrusted_runs = tuple(
        r.run_id
        for r in must
        if r.state is ok and r.metrics is not None and any(q.blocking for q in r.metrics.quality)
    )
    outcome = Outcome(
        milestones=milestones,
        blocks=blocks,
        main_milestone=main,
        main_result=result,
        must_done=sum(
            1
            for r in must
            if r.state in SETTLED_RUN_STATES
            and not r.failed_before_bridge
            and r.run_id not in untrusted_runs
            # Succeeded with no metric value: the plan's evidence is missing (h11E: counted
            # completed while the verdict said "succeeded without a metric value").
            and r.run_id not in no_number
        ),
        must_untrusted=untrusted_runs,
        must_total=len(must),
        must_failed_before=failed_before,
        # Done before bridge, but with a negative result (014's R002 COMPLETE_FAIL_HARD_STOP):
        # counted done, named, as the stage line names it (deploy.py's `must_line`).
        must_negative_before=tuple(r.run_id for r in must if r.negative_before_bridge),
        must_awaiting_code=waiting["code"],
        must_waiting_outside=waiting["outside"],
        must_blocked=waiting["blocked"],
        must_by_person=waiting["person"],
        must_ruled_out=ruled_out,
        must_split=split,
        must_removed=removed,
        must_not_succeeded=not_succeeded,
        must_held_for_code=held_for_code,
        must_no_number=no_number,
        must_missing=missing,
        # Nor is a nice-to-have one: 026's E5 (accuracy NaN) read "nice-to-have completed: 5/5".
        nice_done=sum(
            1
            for r in nice
            if r.state in SETTLED_RUN_STATES
            and not r.failed_before_bridge
            and not (
                r.state is ok
                and r.metrics is not None
                and any(q.blocking for q in r.metrics.quality)
            )
        ),
        nice_total=len(nice),
        ready=not reasons,
        not_ready=tuple(en for en, _ in reasons),
        not_ready_zh=tuple(zh for _, zh in reasons),
        flags=flags,
        unattributed=unattributed,
        main_unjudged=unjudged,
        main_unheld=unheld,
        must_blocks_unrun=unrun_blocks,
    )
    _CACHE[:] = [(state, outcome)]
    return outcome
