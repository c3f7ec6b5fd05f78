"""
Runs: from the tracker, from ``[[runs]]`` and ``[grid]``, or proposed from the plan.

When the tracker has run tables its rows are the runs, and ``[[runs]]`` entries with the same id
add to or override them; otherwise the runs are ``[[runs]]`` and ``[grid]`` expansions; with
neither, runs are proposed as each milestone's blocks × compared systems × seeds (ids ``R001…``)
and the project needs confirmation. Every run's command template is checked here against its
placeholder values, so a missing value is an error naming the run before anything launches.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

import attrs

from bridge.errors import ConfigError
from bridge.lazy_patterns import lazy
from bridge.plan.attribution import (
    NO_BLOCKS,
    REVIEW,
    SANITY_CHECK,
    Attributor,
    RunFacts,
    block_cell_ids,
    system_table,
)
from bridge.plan.config import Config, RunEntry, SystemConfig
from bridge.plan.dependencies import waits_only_for
from bridge.plan.model import Block, Milestone, Plan, PlanWarning, TrackerRun
from bridge.plan.notes_label import BRIDGE_LABEL
from bridge.plan.priority import Priority
from bridge.plan.quantities import (
    COUNT_WORDS,
    block_refs,
    gpu_hours,
    same_seeds,
    seed_value_for_sampling,
    seeds_of_one_system,
)
from bridge.plan.recorded_status import (
    PERSONS_WORK,
    PERSONS_WORK_ZH,
    WAITS,
    WAITS_ZH,
    done_by_person,
    tracker_says_blocked,
    waits_outside,
)
from bridge.plan.run_fields import RunFields, launch_seed
from bridge.plan.run_gates import GATE_WORD, THRESHOLD, run_gate
from bridge.plan.same_command import refuse_same_commands
from bridge.plan.setting_fields import did_you_mean
from bridge.plan.stated_counts import stated_beyond_runs
from bridge.plan.status_legend import held_for_code, says_negative_result
from bridge.plan.templates import AT_LAUNCH, outputs_of, placeholders
from bridge.plan.text import first_named, first_six_named, plain
from bridge.plan.tracker import model_cell, says_no_system, seed_row
from bridge.plan.vocabulary import (
    ABLATION_WORD,
    DONE_STATUSES,
    NEGATIVE_GATE,
    NEGATIVE_GATE_ZH,
    NEGATIVE_RESULT,
    NEGATIVE_RESULT_ZH,
    OUT_OF_SCOPE_STATUSES,
    negative_gates,
    says_not_run,
    status_parts,
)
from bridge.value_methods import value_methods

__all__ = [
    "PERSONS_WORK",
    "PERSONS_WORK_ZH",
    "PROPOSED",
    "SANITY_PROPOSAL",
    "ProposedBefore",
    "RunSpec",
    "build_runs",
    "done_by_person",
    "match_system",
    "plan_seed",
    "proposed_ids",
    "ran_by_bridge",
    "recorded_shift",
    "run_system_table",
    "same_seed_blocks",
    "tracker_says_blocked",
    "waits_outside",
]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunSpec(RunFields):
    """
    One run as the scheduler sees it: its id, the fields of
    :class:`~bridge.plan.run_fields.RunFields`, and where it came from.

    Args:
        id: the run id.
        status: normalised tracker status (``todo`` for runs not in a tracker).
        status_raw: the tracker's status as written.
        file: where the run came from.
        line: 1-based line there.
        task: a row of the tracker's implementation-task table (see ``TrackerRun.task``) with
            no ``[[runs]]`` command of its own: not an experiment run, never launched.
        status_file: for a run proposed from a block, the tracker whose row for that block
            gives ``status`` (034's table of blocks: ``NOT RUN — closed-weight model``), else
            ``""``.
        status_line: that row's 1-based line, else 0.
        stated_gpu_hours: the GPU-hours its tracker row states in a column whose header says
            GPU hours (026's ``Est GPU-h``, 032's ``GPU-hrs``), with that header, else
            ``None``: the run's estimate when it asks for GPUs and none is configured.
        gate: the run's own gate as the plan states it (its run table's Gate cell, then the
            threshold clauses of its tracker Metrics cell, :func:`bridge.plan.run_gates.run_gate`),
            ``""`` when none: recorded with the plan (``PlanLoaded.run_gates``, so an edited gate
            is the one the results judge), never part of a block's verdict.
    """

    id: str
    status: str
    status_raw: str
    file: str
    line: int
    task: bool = False
    status_file: str = ""
    status_line: int = 0
    stated_gpu_hours: tuple[str, float] | None = None
    gate: str = ""

    @property
    def settled_before_bridge(self) -> bool:
        """
        Whether the researcher's tracker row says the run needs no launch: done before bridge,
        out of scope, or an implementation task (``recording.tracker_status_events`` records
        which).
        """
        return _settled(self.source, self.task, self.status, self.status_file)

    @property
    def tracker_status(self) -> bool:
        """
        Whether ``status`` is one the researcher writes in the tracker: the run's row, or the
        row of its block in a tracker that lists blocks, not runs.
        """
        return self.source == "tracker" or bool(self.status_file)


def _settled(source: str, task: bool, status: str, status_file: str = "") -> bool:
    """A tracker row that needs no launch: a task, or done or out of scope before bridge."""
    return (source == "tracker" or bool(status_file)) and (
        task or status in (DONE_STATUSES | OUT_OF_SCOPE_STATUSES)
    )


def ran_by_bridge(notes: str) -> bool:
    """Whether a row's Notes hold bridge's labelled part: bridge ran the row's run."""
    return BRIDGE_LABEL.search(notes) is not None


def match_system(name: str, systems: Mapping[str, SystemConfig]) -> SystemConfig | None:
    """
    The ``[systems."<name>"]`` table for a system (see
    :func:`bridge.plan.attribution.system_table`).

    Args:
        name: the run's system as written.
        systems: the configured systems.

    Returns:
        The matching table, or None.
    """
    return system_table(name, systems)


def run_system_table(
    system: str, block_system: str, systems: Mapping[str, SystemConfig]
) -> SystemConfig | None:
    """
    The ``[systems."<name>"]`` table that configures a run: the one its own system names (the
    tracker's System cell), else the one naming the block's compared system it stands for, as
    ``bridge plan`` shows it beside the run (001's R005, ``DepthFiLM r=102`` in the tracker,
    is B2's ``E4: DepthFiLM r=102 + rank-space FiLM``: a table of that name was accepted and
    applied to no run, trial t15).

    Args:
        system: the run's system as written.
        block_system: the block's compared system it stands for (``""``: none).
        systems: the configured systems.

    Returns:
        The matching table, or None.
    """
    own = match_system(system, systems) if system else None
    if own is not None or not block_system:
        return own
    return match_system(block_system, systems)


@attrs.define
class _Draft:
    """
    A run being assembled (mutable until frozen into a RunSpec).
    """

    id: str
    milestone: str = ""
    block: str = ""
    system: str = ""
    seed: int | None = None
    priority: Priority = Priority.MUST
    purpose: str = ""
    split: str = ""
    metrics: tuple[str, ...] = ()
    status: str = "todo"
    status_raw: str = ""
    # A row a person runs (see _persons_run): its status as written, until a [[runs]] entry with
    # its own command says bridge runs it after all.
    persons: tuple[str, str] | None = None
    # Why its own words say it is no experiment run (_not_bridges_work), "" otherwise: the plan
    # names such rows (_not_runs_by_text), as their reading is bridge's, not the researcher's.
    by_text: str = ""
    args: dict[str, str] = attrs.field(factory=dict)
    entry: RunEntry | None = None
    depends_on: tuple[str, ...] = ()
    source: str = "config"
    file: str = ""
    line: int = 0
    notes: str = ""
    block_cell: str = ""
    block_system: str = ""
    attribution: str = ""
    task: bool = False
    # Its tracker row's System cell says it runs none (`—`, `N/A`).
    no_system: bool = False
    # Its tracker row's Model cell: the command's {model} (032's Qwen-2.5-3B, a backbone).
    model: str = ""
    status_file: str = ""
    status_line: int = 0
    stated_gpu_hours: tuple[str, float] | None = None
    gate: str = ""


# "Dev macro F1 ≥ 0.55", "Parse ≥90%": a Metrics cell that states the row's gate; the name is
# the part before the comparison.
_GATE_IN_METRIC = lazy(rf"\s*{THRESHOLD}.*$")


def _metric_names(cell: str) -> tuple[str, ...]:
    """
    The metric names a tracker Metrics cell lists: split at commas, a stated threshold left out
    (``Coverage ≥80%, Hard ≥250`` names Coverage and Hard), a dash naming none.
    """
    names = (_GATE_IN_METRIC.sub("", m).strip() for m in re.split(r"[,;，、]", cell))
    return tuple(dict.fromkeys(n for n in names if n and n not in ("-", "—", "–")))


# A Metrics cell pointing at another row's metrics rather than naming one: 012's R004 "same as
# R003" and R005 "same plus calibration" were read as metrics named 'same as R003' and 'same
# plus calibration'.
_SAME_METRICS = lazy(
    r"\s*(?:same(?:\s+metrics)?(?:\s+as\s+(?:(?P<row>[A-Za-z][\w.-]*\d[\w.-]*)|above|"
    r"(?:the\s+)?previous(?:\s+row)?|before))?|同上|同\s*(?P<row_zh>[A-Za-z][\w.-]*\d[\w.-]*))"
    r"\s*(?:(?:plus|\+|and|with|另加|外加|加上?)\s*(?P<more>.+))?",
    re.IGNORECASE,
)


def _rows_metrics(runs: Sequence[TrackerRun]) -> list[tuple[str, ...]]:
    """
    Each of ``runs``' metric names (:func:`_metric_names`), in order. A cell that points at
    another row's metrics has that row's: ``same as R003`` R003's, a bare ``same`` (``same as
    above``, ``同上``) the row above it in its file, each with what it adds (``same plus
    calibration``). A row named later than the cell gives none (it is not read yet).
    """
    by_row: dict[str, tuple[str, ...]] = {}
    above: dict[str, tuple[str, ...]] = {}
    names_of = []
    for run in runs:
        if (same := _SAME_METRICS.fullmatch(run.metrics.strip())) is None:
            names = _metric_names(run.metrics)
        else:
            row = same["row"] or same["row_zh"]
            base = by_row.get(row.casefold()) if row else above.get(run.file)
            # A pointer to no row read before it ("same as v2", a bare "same" on a file's first
            # row) is read as written, a name no run records, which the results show unmatched:
            # taken for no metric at all, it would be silently dropped.
            names = (
                _metric_names(run.metrics)
                if base is None
                else tuple(dict.fromkeys((*base, *_metric_names(same["more"] or ""))))
            )
        for key in (run.id, seed_row(run.id, run.seed) or run.id):
            by_row.setdefault(key.casefold(), names)
        above[run.file] = names
        names_of.append(names)
    return names_of


_OWNER_HEADER = lazy(r"owner|负责人|执行人|assignee|\bwho\b|run by", re.IGNORECASE)
_PERSON = lazy(r"人工|手动|\bhuman\b|\bmanual(?:ly)?\b|\bby hand\b|\bperson\b", re.IGNORECASE)
_USER_ONLY = lazy(r"\buser[- ]only\b|\brun (?:it )?by hand\b|人工运行|手动运行", re.IGNORECASE)


# Work people do, as what a row opens with: 032's "Human audit (200 examples)", 011's "Human
# annotation: 200 × 2 annotators". A row that only uses such work ("Train reward model on human
# annotations", "Agreement with human judgments", "人工标注数据训练") is a compute run.
_HUMAN_WORK = lazy(
    r"^\W*(?:human\s+(?:audit|annotation|evaluation|eval|study|rating|judg(?:e)?ment|labell?ing|"
    r"review)s?\b(?!\s+(?:data|set|corpus|labels)\b)|user\s+stud(?:y|ies)\b|"
    r"人工(?:评估|评测|标注|审核|检查)(?!数据|集|结果|的))",
    re.IGNORECASE,
)
# A System cell that names people, not a system.
_PEOPLE = lazy(r"^\W*(?:humans?|annotators?|people|人工|标注员)\W*$", re.IGNORECASE)
# A System cell that names the paper (008's R010 "Paper draft", 011's R037 "Paper").
_PAPER_SYSTEM = lazy(
    r"^\W*(?:(?:the\s+)?(?:paper|manuscript)(?:\s+draft)?|论文(?:稿|草稿)?)\W*$", re.I
)

# Work on the paper, not an experiment, by the row's Purpose: it names the paper (or its .tex)
# and writing it (004's R404 "Tables 1–3 finalize + `paper/main.tex` Sections 2–4 rewrite").
_PAPER = lazy(r"\bpaper\b|\bmanuscript\b|\.tex\b|论文", re.IGNORECASE)
_WRITING = lazy(
    r"\b(?:re)?writ(?:e|es|ing)\b|\bdraft(?:ing)?\b|\bfinali[sz]e\b|\brevis(?:e|ion)\b"
    r"|\bpolish(?:ing)?\b|撰写|写作|改写|润色|定稿",
    re.IGNORECASE,
)
# A figure drawn, by a Purpose that opens with it (004's R402 "Figure 2 render (…)"), where the
# row names no script (006's R003 "S3 composite time series figure" runs make_thesis_figures.py,
# its sanity run; 020's R061 "figure 1 generation" is generated, not drawn).
_FIGURE_DRAWN = lazy(
    r"^\W*(?:fig(?:ure)?\.?\s*\d+|图\s*\d+)\b.*?(?:\brender|\bdraw|\bdiagram|绘制|渲染|画)",
    re.IGNORECASE,
)
_SCRIPT = lazy(r"\.(?:py|sh|ipynb|jl|r)\b", re.IGNORECASE)
# Cases curated by hand (004's R401 "Qualitative proof-trace curation", "5–10 hand-picked cases").
_CURATION = lazy(r"\bcurat(?:e|es|ed|ion|ing)\b|挑选|精选", re.IGNORECASE)
_BY_HAND = lazy(r"\bhand[- ]?(?:picked|selected|curated)\b|\bby hand\b|手工|人工", re.IGNORECASE)
# A review an LLM gives the researcher (004's R203 "Claim-1 gate cross-review", System "Gemini 3.1
# Pro (`gemini` CLI) reads Table 1 …"); 011's R018 "LLM judges on 200 samples" is an experiment.
_REVIEW = lazy(r"\bcross[- ]?(?:review|read|check)\b|交叉(?:评审|审阅)", re.IGNORECASE)
_ASSISTANT = lazy(r"\b(?:gemini|claude|gpt|chatgpt|codex)\b", re.IGNORECASE)


def _persons_run(run: TrackerRun, language: str = "en") -> str:
    """
    Why a person runs this row, not bridge, or ``""``: its Owner column says a person
    (020's ``白天/夜间负责人`` cell ``白天：人工``, against ``夜间：ARIS``), its Notes say
    the run is the user's own (009's ``API run is user-only``), or the row's own words say it is
    work people do (:func:`_not_bridges_work`, in the plan's ``language``).
    """
    for header, cell in run.columns.items():
        if _OWNER_HEADER.search(header) and _PERSON.search(cell):
            return f"{plain(header)}: {plain(cell)}"
    found = _USER_ONLY.search(run.notes)
    if found:
        return f"Notes: {found.group(0)}"
    return _not_bridges_work(run, language)


def _not_bridges_work(run: TrackerRun, language: str = "en") -> str:
    """
    Why the row's own words say it is work people do, not a run bridge launches, or ``""``:
    its Purpose opens with a human audit, annotation or evaluation, or a user study, or its
    System cell names people (``Human``); or it is no experiment: its Purpose writes the paper
    (004's R404), opens with a figure to draw and the row names no script (R402, R403), curates
    cases by hand (R401), or asks an LLM assistant named in its System for a review (R203), or
    its System cell names the paper (008's R010 "Paper draft"). Said in the plan's
    ``language`` (``zh`` or English): the cell alone read like a status, not a reason.
    """
    zh = language == "zh"
    # 032's "Human audit (200 examples)", 011's "Human annotation: 100 × 2 annotators" (System
    # "Human"): work people do, launched as a compute run. Said as the reason it is out of
    # scope: "⬜ Pending (Purpose: Human audit)" read as a status, not why.
    purpose = run.purpose.strip()
    if found := _HUMAN_WORK.match(run.purpose):
        said = found.group(0).strip()
    elif (
        (_PAPER.search(purpose) and _WRITING.search(purpose))
        or (
            _FIGURE_DRAWN.match(purpose)
            and not any(_SCRIPT.search(c) for c in (run.system, run.split, run.notes, purpose))
        )
        or (
            _CURATION.search(purpose)
            and any(_BY_HAND.search(c) for c in (purpose, run.split, run.notes))
        )
        or (_REVIEW.search(purpose) and _ASSISTANT.search(run.system))
    ):
        # Launched with [run] command as an experiment run, with no word (trial h39B F10 on 004).
        said = purpose.split(" (")[0].split("（")[0].strip()
    else:
        said = ""
    if said:
        if zh:
            return f"其 Purpose「{said}」是人做的工作，不是 bridge 启动的运行"
        return f"its Purpose {said!r} is work people do, not a run bridge launches"
    if _PEOPLE.match(run.system):
        said = run.system.strip()
        if zh:
            return f"其 System「{said}」指的是人，不是 bridge 运行的系统"
        return f"its System {said!r} names people, not a system bridge runs"
    if _PAPER_SYSTEM.match(plain(run.system)):
        said = plain(run.system).strip()
        if zh:
            return f"其 System「{said}」指的是论文，不是 bridge 运行的系统"
        return f"its System {said!r} names the paper, not a system bridge runs"
    return ""


def _tracker_drafts(plan: Plan, *, writes_code: bool) -> list[_Draft]:
    """
    A draft per tracker row. ``writes_code``: the implementer writes code (``[implementer] kind
    = "agent"``), so a row whose code is not written yet is planned like any other; without
    one such a row is held out of scope, saying why and what releases it.
    """
    drafts = []
    # The runs each row gives (one per seed of a row naming several): its GPU-hours are theirs.
    rows = Counter((run.file, run.line) for run in plan.tracker_runs)
    metrics_of = _rows_metrics(plan.tracker_runs)
    for run, metrics in zip(plan.tracker_runs, metrics_of, strict=True):
        status, status_raw = run.status, run.status_raw
        if run.legend:
            # 032's "❌" is "Failed" by its legend: the recorded status says so, so every later
            # reading of it (failed before bridge, the tracker's word) agrees with the legend.
            # 018's "failed" is the method's negative result by its legend: said so, as
            # ended_failed reads a failure word otherwise.
            zh = plan.language == "zh"
            said = run.legend
            if status == "done" and says_negative_result(run.legend):
                said += f"；{NEGATIVE_RESULT_ZH}" if zh else f"; {NEGATIVE_RESULT}"
            status_raw = f"{status_raw}（图例：{said}）" if zh else f"{status_raw} (legend: {said})"
        if status == "done" and negative_gates(run.status_raw):
            # 038's "PASS-PARITY / FAIL-SPEEDUP": a finished run whose named gate came out
            # negative, said so wherever the recorded status is shown (the results' "DONE (…)"
            # cell keeps 80 characters: said short), so DONE beside FAIL reads as the finding
            # it is, not as a failure bridge missed.
            zh = plan.language == "zh"
            status_raw += f"（{NEGATIVE_GATE_ZH}）" if zh else f" ({NEGATIVE_GATE})"
        if run.awaits_code and not run.task and not writes_code and status in ("todo", "unknown"):
            # 023's PENDING_IMPLEMENTATION rows were launched and reported a success.
            status = "blocked"
            status_raw = held_for_code(status_raw, run.awaits_code, plan.language)
        if run.priority == "cut" and status in ("todo", "unknown"):
            # The researcher cut or deferred the run: not launched, and the reason says so.
            status = "skipped"
            said = " ".join(run.priority_raw.replace("**", "").split())
            # In the plan's language, as the legend's word above is: 027's progress lines read
            # "NOT_SCHEDULED (priority DEFERRED)" among Chinese ones.
            if plan.language == "zh":
                status_raw = f"{status_raw}（优先级：{said}）" if status_raw else f"优先级：{said}"
            else:
                status_raw = f"{status_raw} (priority {said})" if status_raw else f"priority {said}"
        persons: tuple[str, str] | None = None
        by_text = ""
        if status in ("todo", "unknown") and (person := _persons_run(run, plan.language)):
            by_text = person if person == _not_bridges_work(run, plan.language) else ""
            # 020's Owner column "白天：人工", 009's note "API run is user-only": a person runs
            # it, not bridge. The recorded status says so (done_by_person reads it): 020's
            # R025 was "excluded by the tracker" in the summary, though still to be done.
            persons = (status, status_raw)
            status = "skipped"
            # Its Purpose or System already says work people do: said once.
            said = (
                person
                if done_by_person(person)
                else f"{person}；{PERSONS_WORK_ZH}"
                if plan.language == "zh"
                else f"{person}; {PERSONS_WORK}"
            )
            status_raw = f"{status_raw} ({said})" if status_raw else said
        drafts.append(
            _Draft(
                id=run.id,
                milestone=run.milestone,
                system=run.system,
                no_system=says_no_system(run),
                model=model_cell(run),
                seed=run.seed,
                priority=Priority.NICE if run.priority in (Priority.NICE, "cut") else Priority.MUST,
                purpose=run.purpose,
                split=run.split,
                metrics=metrics,
                status=status,
                status_raw=status_raw,
                persons=persons,
                by_text=by_text,
                source="tracker",
                # The plan's Gate cell for the row (011's run tables), with the thresholds its
                # Metrics cell states: shown with the run, judged in the results.
                gate=run_gate(
                    next(
                        (
                            plan.run_gates[key][0]
                            for key in (run.id, seed_row(run.id, run.seed))
                            if key and key in plan.run_gates
                        ),
                        "",
                    ),
                    run.metrics,
                    labelled=any(
                        GATE_WORD.search(header) and cell == run.metrics
                        for header, cell in run.columns.items()
                    ),
                ),
                file=run.file,
                line=run.line,
                notes=run.notes,
                block_cell=run.block_cell,
                task=run.task,
                stated_gpu_hours=_stated_gpu_hours(run, rows[run.file, run.line]),
            )
        )
    return drafts


# A header that says its column holds GPU-hours: "Est GPU-h" (026), "GPU-hrs" (032), "GPU
# hours", "GPUh"; not "GPUs" (a count) nor "GPU" alone.
_GPU_HOURS_HEADER = lazy(r"gpu[\s_-]*(?:h|hrs?|hours?)\b|gpu[\s_-]*小时|卡时|机时", re.IGNORECASE)


def _stated_gpu_hours(run: TrackerRun, runs_of_row: int = 1) -> tuple[str, float] | None:
    """
    The GPU-hours a tracker row states for ``run``, and the header of the column that states
    them, read as the plan's Cost column is (the upper bound of a range, ``<1`` as 1): the unit
    is the header's, so a bare ``3`` is 3 GPU-hours; shared by the ``runs_of_row`` runs of a row
    naming several seeds (032's E02, three seeds, ``40``). ``None`` when no column's header says
    GPU hours or its cell gives no number.
    """
    for header, cell in run.columns.items():
        name = plain(header)
        if not _GPU_HOURS_HEADER.search(name):
            continue
        text = plain(cell).strip()
        if not re.search(r"\d", text):
            return None
        hours = gpu_hours(text if _GPU_HOURS_HEADER.search(text) else f"{text} GPU-h")
        return (name, hours / max(runs_of_row, 1)) if hours is not None else None
    return None


_RUN_TOKEN = lazy(r"[A-Za-z][A-Za-z0-9_-]*[0-9A-Za-z](?:\.\.\d{1,3})?")
_DOTTED_RANGE = lazy(r"^(?P<base>.*?)(?P<lo>\d{1,3})\.\.(?P<hi>\d{1,3})$")


def _named_runs(runs_raw: str) -> list[tuple[str, bool]]:
    """
    The run ids or id prefixes a milestone's Runs cell names: ``(id, prefix?)``. A token with a
    digit and a hyphen is an id (``JPH-B0-OFFICIAL-001``) or a prefix of ids
    (``JPH-M0-LOCAL`` names ``JPH-M0-LOCAL-001``); ``JPH-B1-HO-S0..2`` names S0, S1 and S2.
    """
    named: list[tuple[str, bool]] = []
    for token in _RUN_TOKEN.findall(runs_raw):
        dotted = _DOTTED_RANGE.match(token)
        if dotted:
            lo, hi = int(dotted.group("lo")), int(dotted.group("hi"))
            if 0 <= hi - lo <= 50:
                named += [(f"{dotted.group('base')}{n}", False) for n in range(lo, hi + 1)]
            continue
        if "-" in token and any(c.isdigit() for c in token):
            named.append((token, True))
    return named


# A Runs cell naming a block's arms at some seeds rather than their ids: 018's M3 "四臂 seed 0"
# (the four arms at seed 0) and M4 "四臂 seeds 0–2". The count is optional ("all arms seed 0").
_ARMS_AT_SEEDS = lazy(
    r"(?:(?P<count>\d{1,2}|[两二三四五六七八九十]|two|three|four|five|six|seven|eight)\s*(?:个\s*)?"
    r"|(?:all|every|each|各|所有|全部)\s*)(?:臂|arms?)[\s,，、]*(?:at\s+|的\s*)?"
    r"seeds?\s*(?P<lo>\d{1,3})(?:\s*(?:[–—~-]|\.\.|to|至|到)\s*(?P<hi>\d{1,3}))?",
    re.IGNORECASE,
)


def _arms_at_seeds(runs_raw: str) -> tuple[int | None, range, str] | None:
    """
    What a Runs cell naming arms at seeds says: ``(arms, seeds, words)``, the number of arms
    (``None`` for "all arms"), the seeds, and the words as written; ``None`` for any other cell.
    """
    found = _ARMS_AT_SEEDS.search(runs_raw)
    if found is None:
        return None
    count = found.group("count")
    arms = None if count is None else COUNT_WORDS.get(count.casefold()) or int(count)
    lo = int(found.group("lo"))
    hi = int(found.group("hi") or lo)
    return (arms, range(lo, hi + 1), found.group(0).strip()) if hi >= lo else None


def _arm_groups(
    drafts: Sequence[_Draft], plan: Plan, systems: Mapping[str, SystemConfig]
) -> dict[int, tuple[Milestone, str, str]]:
    """
    The tracker runs a milestone's Runs cell names as arms at seeds (see ``_ARMS_AT_SEEDS``):
    ``id(draft) → (milestone, words, whose arms)``.

    The arms are a block's compared systems: the cell names the rows, at a seed of the cell's,
    whose Block cell names the one block of the plan that compares as many systems as the cell
    says (two at least for "all arms"; 018's "四臂" is B2's fixed, policy-only, Harness-only and
    joint) and whose system is one of them. Which rows these are does not depend on how many
    labels the rows show: t7 relabelled one of 018's seed-0 arms and, the arms counted by their
    labels, M3 lost all four and M4 took B0's four calibration rows at seed 1. Only when no
    block compares that many systems (a plan that lists none) are the arms the rows of one
    Block cell with that many System cells. Either way exactly one block (or Block cell) must
    qualify, else the cell names none.

    Rows the tracker gives a milestone are not arms of another. A row named by several such
    cells (018's seed-0 arms, by M3 "四臂 seed 0" and M4 "四臂 seeds 0–2") takes the first
    milestone: it runs once, when first called for; the later cell takes the seeds the earlier
    one does not (M4's seeds 1 and 2).
    """
    attributor = Attributor(plan, systems)
    claimed: dict[int, tuple[Milestone, str, str]] = {}
    for milestone in plan.milestones:
        said = _arms_at_seeds(milestone.runs_raw) if milestone.runs_raw else None
        if said is None:
            continue
        arms, seeds, words = said
        candidates = [
            d
            for d in drafts
            if d.source == "tracker"
            and not d.task
            and not d.milestone
            and d.block_cell
            and d.system
            and d.seed in seeds
        ]
        blocks = [
            b.id
            for b in plan.blocks
            if (len(b.systems) >= 2 if arms is None else len(b.systems) == arms)
        ]
        groups: dict[str, list[_Draft]] = {}
        if blocks:
            for draft in candidates:
                named = block_cell_ids(draft.block_cell, attributor.order, attributor.titles)
                for block in blocks:
                    if block in named and attributor.compares(block, draft.system):
                        groups.setdefault(block, []).append(draft)
        else:
            by_cell: dict[str, list[_Draft]] = {}
            for draft in candidates:
                by_cell.setdefault(draft.block_cell, []).append(draft)
            groups = {
                cell: group
                for cell, group in by_cell.items()
                if len(labels := {d.system for d in group}) >= 2
                and (arms is None or len(labels) == arms)
            }
        if len(groups) != 1:
            continue
        ((whose, group),) = groups.items()
        for draft in group:
            claimed.setdefault(id(draft), (milestone, words, whose))
    return claimed


def _milestones_from_plan(
    drafts: list[_Draft],
    plan: Plan,
    systems: Mapping[str, SystemConfig],
    warnings: list[PlanWarning],
) -> None:
    """
    Give tracker runs without a milestone the one milestone whose Runs cell names them (by id,
    id prefix or ``S0..2`` range), with one warning per milestone; a run named by several
    milestones keeps none. A cell naming a block's arms at seeds (018's M3 "四臂 seed 0") gives
    them its milestone first, all of them: one of them named by id in another milestone's cell
    (018's M2 names JPH-B2-JT-S0, the joint arm) stays with its arms, and the warning says so;
    split, the seed-0 arms ran under two milestones and M3 showed none.
    """
    cells = [(m, _named_runs(m.runs_raw)) for m in plan.milestones if m.runs_raw]
    _milestones_from_ids(drafts, plan, warnings)
    if not cells:
        return
    armed = _arm_groups(drafts, plan, systems)
    given: dict[str, list[_Draft]] = {}
    for draft in drafts:
        if draft.milestone:
            continue
        hits = [
            m
            for m, named in cells
            if any(
                draft.id == name or (prefix and draft.id.startswith(name + "-"))
                for name, prefix in named
            )
        ]
        if id(draft) in armed:
            continue
        if len(hits) == 1:
            draft.milestone = hits[0].id
            given.setdefault(hits[0].id, []).append(draft)
    for milestone in plan.milestones:
        group = given.get(milestone.id, [])
        if group:
            warnings.append(
                _given_milestone(
                    group,
                    f"{milestone.id} from the plan's run-order table (line {milestone.line}), "
                    "whose Runs cell names them",
                )
            )
        arms = [d for d in drafts if armed.get(id(d), (None,))[0] is milestone]
        if not arms:
            continue
        _, words, whose = armed[id(arms[0])]
        for draft in arms:
            draft.milestone = milestone.id
        # The other cells that name them: by id (M2's JPH-B2-JT-S0) or as arms (M4's).
        also = [
            f"{m.id}'s Runs cell (line {m.line}) also names "
            + ("them" if len(named) == len(arms) else ", ".join(named))
            for m, cell in cells
            if m is not milestone
            and (
                named := [
                    d.id
                    for d in arms
                    if any(
                        d.id == name or (prefix and d.id.startswith(name + "-"))
                        for name, prefix in cell
                    )
                    or ((said := _arms_at_seeds(m.runs_raw)) is not None and d.seed in said[1])
                ]
            )
        ]
        warnings.append(
            _given_milestone(
                arms,
                f"{milestone.id} from the plan's run-order table (line {milestone.line}), "
                f"whose Runs cell {words!r} names the arms of {whose} at "
                f"{_seeds_words(arms)}"
                + (
                    f"; {'; '.join(also)}: they run once, under {milestone.id}, with their arms"
                    if also
                    else ""
                ),
            )
        )


def _given_milestone(group: Sequence[_Draft], how: str) -> PlanWarning:
    """
    The warning, at the first run's row, that ``group``'s runs have no milestone in the
    tracker and take the one ``how`` says (a Runs cell naming them, their block or their arms,
    their ids).
    """
    return PlanWarning(
        file=group[0].file,
        line=group[0].line,
        message=f"{', '.join(d.id for d in group)}: no milestone in the tracker; {how}",
    )


def _seeds_words(drafts: Sequence[_Draft]) -> str:
    """The seeds of ``drafts`` as a warning names them (``seed 0``, ``seeds 0, 1``)."""
    seeds = sorted({d.seed for d in drafts if d.seed is not None})
    return f"seed{'s' if len(seeds) > 1 else ''} {', '.join(str(s) for s in seeds)}"


def _unplanned_milestones(drafts: Sequence[_Draft], plan: Plan) -> list[PlanWarning]:
    """
    One warning per milestone the runs name that the plan does not have (021's tracker says M6
    where the plan stops at M5: its ids are shifted against the plan's). Such runs still run,
    after the plan's milestones, under the id as written; the warning says so, with the plan's
    milestones, so a shifted Milestone column is seen before anything is reported under it.
    """
    planned = [m.id for m in plan.milestones]
    if not planned:
        return []
    unplanned: dict[str, list[_Draft]] = {}
    for draft in drafts:
        if draft.milestone and draft.milestone not in planned:
            unplanned.setdefault(draft.milestone, []).append(draft)
    listed = ", ".join(f"{m.id} {m.name}".strip() for m in plan.milestones)
    return [
        PlanWarning(
            file=group[0].file,
            line=group[0].line,
            message=f"{', '.join(d.id for d in group[:8])}"
            f"{' …' if len(group) > 8 else ''}: milestone {milestone} is not a "
            f"milestone of the plan ({listed}); "
            f"{'they run' if len(group) > 1 else 'it runs'} after the plan's milestones, under "
            f"{milestone}. If the Milestone column is shifted against the plan's ids, correct it",
        )
        for milestone, group in unplanned.items()
    ]


# Words too common in a milestone's goal to tell two apart.
_GOAL_FILLER = frozenset(
    {"the", "and", "for", "with", "run", "runs", "test", "tests", "experiment", "experiments"}
)


def _goal_terms(text: str) -> set[str]:
    """What a milestone's goal and a row's Purpose are compared by: English words of three
    letters or more, and pairs of adjacent CJK characters (Chinese has no spaces)."""
    lowered = text.casefold()
    words = {w for w in re.findall(r"[a-z][a-z0-9-]{2,}", lowered) if w not in _GOAL_FILLER}
    for run in re.findall(r"[\u4e00-\u9fff]{2,}", lowered):
        words.update(run[i : i + 2] for i in range(len(run) - 1))
    return words


def _shifted_milestones(drafts: Sequence[_Draft], plan: Plan) -> list[PlanWarning]:
    """
    One warning when the tracker names a milestone the plan does not have and its rows' Purpose
    reads as the goal of another milestone than the one their Milestone cell names (021: the
    tracker's M5 rows are "执行量通道消融", the plan's M4 is "通道消融" and its M5 "论文整合"):
    the column is likely shifted, and the runs would be reported under the wrong milestone.
    The rows run as written; bridge cannot tell which side is right.
    """
    planned = {m.id: m for m in plan.milestones}
    if not planned or all(not d.milestone or d.milestone in planned for d in drafts):
        return []
    goals = {mid: _goal_terms(f"{m.name} {m.goal}") for mid, m in planned.items()}
    by_milestone: dict[str, list[_Draft]] = {}
    for draft in drafts:
        if draft.milestone and draft.source == "tracker" and draft.purpose:
            by_milestone.setdefault(draft.milestone, []).append(draft)
    misplaced: list[tuple[str, str, list[_Draft]]] = []
    for milestone, group in by_milestone.items():
        said = set().union(*(_goal_terms(d.purpose) for d in group))

        def share(mid: str, said: set[str] = said) -> float:
            goal = goals[mid]
            return len(goal & said) / len(goal) if goal else 0.0

        best = max(planned, key=share)
        own = share(milestone) if milestone in planned else 0.0
        if best != milestone and share(best) >= 0.6 and share(best) >= own + 0.3:
            misplaced.append((milestone, best, group))
    if not misplaced:
        return []
    listed = "; ".join(
        f"{', '.join(d.id for d in group[:4])}{' …' if len(group) > 4 else ''} under {milestone} "
        f"read like the plan's {best} ({' '.join(planned[best].name.split()) or best})"
        for milestone, best, group in misplaced
    )
    first = misplaced[0][2][0]
    return [
        PlanWarning(
            file=first.file,
            line=first.line,
            message=f"{_SHIFTED_SAID}{listed}{_SHIFTED_END}; correct the column if it is off",
        )
    ]


_SHIFTED_SAID = "the tracker's Milestone column may be shifted against the plan's: "
_SHIFTED_END = ". The runs are reported under the milestone their row names"
# One item of that warning: "R012, R013, R014 under M5 read like the plan's M4 (通道消融)".
_SHIFTED_ITEM = lazy(
    r"(?P<runs>.+) under (?P<milestone>\S+) read like the plan's (?P<planned>\S+) \(.*\)"
)


def recorded_shift(warnings: Iterable[str], milestone: str, *, onto: bool = False) -> str | None:
    """
    The item of :func:`_shifted_milestones`' warning among a loaded plan's recorded
    ``warnings`` that names ``milestone`` (``"R012, R013, R014 under M5 read like the plan's M4
    (通道消融)"``), or ``None`` when none does (and for a log recorded before the warning was).
    The results repeat it under that milestone: they show its runs under the plan's name and
    decision gate for ``milestone``, which the runs may not be (021's channel ablations under
    "M5: 论文整合" and its gate), and only `bridge plan` said so. With ``onto``, the item whose
    rows read like the plan's ``milestone`` instead: the results show the plan's name and gate
    for it over rows that are not those (021's "M4: 通道消融" over the boundary scans R010, R011,
    while the channel ablations sit under M5).
    """
    for warning in warnings:
        start = warning.find(_SHIFTED_SAID)
        end = warning.find(_SHIFTED_END, start)
        if start < 0 or end < 0:
            continue
        for item in warning[start + len(_SHIFTED_SAID) : end].split("; "):
            found = _SHIFTED_ITEM.fullmatch(item)
            if found is not None and found["planned" if onto else "milestone"] == milestone:
                return item
    return None


_STEP_ID = lazy(r"(?P<milestone>M\d{1,3})[.\-_]\d{1,3}[a-z]?", re.IGNORECASE)


def _milestones_from_ids(drafts: list[_Draft], plan: Plan, warnings: list[PlanWarning]) -> None:
    """
    Give tracker runs without a milestone whose id is a step of a plan milestone (``M2.1``,
    ``M2-1`` under the plan's ``## Milestone 2`` with its ``### M2.1`` sections) that milestone,
    with one warning per milestone: without it every such run fell out of every milestone. A
    plan that has a milestone spelled exactly as the run id (``M1.5``) gives the run that one,
    not ``M1``.
    """
    known = {m.id.upper(): m.id for m in plan.milestones}
    given: dict[str, list[_Draft]] = {}
    for draft in drafts:
        step = _STEP_ID.fullmatch(draft.id.strip())
        if draft.milestone or step is None:
            continue
        milestone = known.get(draft.id.strip().upper()) or known.get(
            step.group("milestone").upper()
        )
        if milestone is not None:
            draft.milestone = milestone
            given.setdefault(milestone, []).append(draft)
    for milestone, group in given.items():
        warnings.append(
            _given_milestone(
                group,
                f"{milestone} from the run ids"
                + (
                    ""
                    if all(d.id.strip().upper() == milestone.upper() for d in group)
                    else f", steps of the plan's milestone {milestone}"
                ),
            )
        )


_ID_PART = lazy(r"[^-_.]+")
_MILESTONE_PART = lazy(r"M\d{1,3}", re.IGNORECASE)


def _milestone_prefix(run_id: str, known: Mapping[str, str]) -> tuple[str, str] | None:
    """``(prefix, milestone)`` for an id with exactly one part that is a plan milestone: the id
    up to and including that part, upper-cased (``JPH-M0`` of ``JPH-M0-REMOTE-ENV-001``)."""
    found = [
        (run_id[: part.end()].upper(), known[part.group().upper()])
        for part in _ID_PART.finditer(run_id.strip())
        if _MILESTONE_PART.fullmatch(part.group()) and part.group().upper() in known
    ]
    return found[0] if len({m for _, m in found}) == 1 else None


# A run id or a name joined by hyphens or underscores with a word of two letters or more in it
# (``JPH-B0-OFFICIAL``, ``run_B2_full``), where a block id is no reference to the block; a
# range of block ids (``B1-B3``, ``E5_E6``) is none.
_ID_LIKE = lazy(r"\b(?=[\w-]*[A-Za-z]{2})\w+(?:-\w+)+\b|\b(?=\w*[A-Za-z]{2})\w*_\w+\b")


def _milestones_from_blocks(
    drafts: Sequence[_Draft], plan: Plan, warnings: list[PlanWarning]
) -> None:
    """
    Give tracker runs still without a milestone, once placed in a block, the one milestone whose
    Runs cell names that block, with one warning per milestone; a block several
    milestones name gives none. 025's run-order table `| M0 | Curriculum 消融 | B2 |` and
    `| M1 | … | B1 |` beside a tracker with a Block column but no Milestone one left all five
    runs under "(no milestone)": the sanity milestone had no run, nothing ran alone first,
    and no warning said so (trial t14), while the same table tied the blocks to the verdicts.
    """
    known = frozenset(b.id for b in plan.blocks)
    holders: dict[str, list[Milestone]] = {}
    for milestone in plan.milestones:
        # The block named by itself: 018's M0 cell «JPH-M0-LOCAL、JPH-B0-OFFICIAL» names two
        # runs, and B0 inside a run id put thirteen B0 rows, five of them failed before bridge,
        # into the sanity milestone.
        # The Runs cell only: a goal may name a block it does not run (006's sanity M0
        # "Complete Block 5 evidence", 005's M5 "B5 reuse"; review r35).
        for block in block_refs(_ID_LIKE.sub(" ", milestone.runs_raw), known):
            holders.setdefault(block, []).append(milestone)
    given: dict[str, list[_Draft]] = {}
    for draft in drafts:
        if draft.milestone or draft.task or draft.source != "tracker" or not draft.block:
            continue
        named = holders.get(draft.block, [])
        if len(named) == 1:
            draft.milestone = named[0].id
            given.setdefault(named[0].id, []).append(draft)
    for milestone in plan.milestones:
        group = given.get(milestone.id, [])
        if group:
            blocks = ", ".join(dict.fromkeys(d.block for d in group))
            warnings.append(
                _given_milestone(
                    group,
                    f"{milestone.id} from the plan's run-order table (line {milestone.line}), "
                    f"which names their block {blocks}",
                )
            )


def _milestones_in_ids(drafts: list[_Draft], plan: Plan, warnings: list[PlanWarning]) -> None:
    """
    Give tracker runs still without a milestone the plan milestone their id names as one of its
    parts, when a run already in that milestone has the same id up to that part (018's M0 cell
    names ``JPH-M0-LOCAL``, so ``JPH-M0-REMOTE-ENV-001`` and two more ``JPH-M0-…`` rows, which
    fell out of every milestone without a word, are M0's), with one warning per milestone. An
    "M0" in an id alone places nothing: ``ABL-M0-MASK`` beside no ``ABL-M0-…`` run of M0 would
    have run first, as a sanity run, for a mask-0 ablation. Runs Cells come first.
    """
    known = {m.id.upper(): m.id for m in plan.milestones}
    placed = {
        found
        for d in drafts
        if d.milestone
        and (found := _milestone_prefix(d.id, known)) is not None
        and found[1] == d.milestone
    }
    given: dict[str, list[_Draft]] = {}
    for draft in drafts:
        if draft.milestone or draft.source != "tracker":
            continue
        found = _milestone_prefix(draft.id, known)
        if found is not None and found in placed:
            draft.milestone = found[1]
            given.setdefault(found[1], []).append(draft)
    for milestone, group in given.items():
        warnings.append(
            _given_milestone(
                group, f"{milestone} from the run ids, which name it as the ids of its runs do"
            )
        )


def _without_milestone(drafts: Sequence[_Draft], plan: Plan) -> list[PlanWarning]:
    """
    One warning naming the runs left without a milestone, when the plan has milestones and
    other runs are in them: 018's thirteen done B0 and calibration rows were counted under
    "(no milestone)" with no word of which runs or why. Runs still to launch are said to wait
    for every milestone of the plan (the scheduler puts the runs of no milestone last).
    """
    if not plan.milestones or not any(d.milestone for d in drafts):
        return []
    left = [d for d in drafts if not d.milestone and not d.task and d.source != PROPOSED]
    if not left:
        return []
    to_launch = [d for d in left if not _settled(d.source, d.task, d.status, d.status_file)]
    ids = first_named([d.id for d in left], 8)
    return [
        PlanWarning(
            file=left[0].file,
            line=left[0].line,
            message=f"{ids}: no milestone: neither their rows nor a milestone's Runs cell names "
            "one; they are reported under (no milestone)"
            + (
                f", and those still to run ({', '.join(d.id for d in to_launch[:4])}"
                f"{' …' if len(to_launch) > 4 else ''}) launch only after every milestone of "
                "the plan has settled"
                if to_launch
                else ""
            )
            + (
                ". Give each row its milestone (a Milestone column, or its id in a milestone's "
                "Runs cell)"
                if all(d.source == "tracker" for d in left)
                else ". Give each its milestone (a tracker row: a Milestone column, or its id in "
                "a milestone's Runs cell; a run of bridge.toml: `milestone` in its entry)"
            ),
        )
    ]


def _attribute(
    drafts: list[_Draft], plan: Plan, config: Config, warnings: list[PlanWarning]
) -> None:
    """
    Place every draft that is not proposed from the plan in a block (bridge/plan/attribution.py);
    runs left without one are warned about, grouped by reason.
    """
    attributor = Attributor(plan, config.systems, [d.milestone for d in drafts])
    unplaced: dict[str, list[_Draft]] = {}
    # (blocks a Block cell names, the one the runs count in) → the runs.
    shared: dict[tuple[tuple[str, ...], str], list[_Draft]] = {}
    placing: list[_Draft] = []
    for draft in drafts:
        if draft.source == PROPOSED:
            continue
        if draft.task and not (draft.entry is not None and draft.entry.command):
            draft.attribution = "an implementation task of the tracker, not an experiment run"
            continue
        placing.append(draft)
    # All at once: a milestone's runs placed by their systems can place its other runs.
    facts = [
        RunFacts(
            id=draft.id,
            milestone=draft.milestone,
            system=draft.system,
            explicit_block=draft.block,
            block_cell=draft.block_cell,
            notes=draft.notes,
            purpose=draft.purpose,
            metrics=draft.metrics,
        )
        for draft in placing
    ]
    for draft, placed in zip(placing, attributor.attribute_all(facts), strict=True):
        draft.block, draft.block_system, draft.attribution = (
            placed.block,
            placed.system,
            placed.basis,
        )
        if not placed.block and draft.status != "skipped" and not says_not_run(draft.status_raw):
            # A row ruled out for good (008's STOPPED R006-R009) is listed as not launched, with
            # its reason; a block for it would change nothing, so no warning asks for one.
            unplaced.setdefault(_shared_reason(placed.basis), []).append(draft)
        if placed.basis.startswith("tracker Block column ("):
            named = block_cell_ids(draft.block_cell, attributor.order, attributor.titles)
            shared.setdefault((named, placed.block), []).append(draft)
    warnings.extend(_one_of_several_blocks(shared))
    for reason, group in unplaced.items():
        ids = [d.id for d in group]
        if len(group) == 1:
            reason = group[0].attribution  # one run: its own system named
        shown = first_named(ids, 8)
        noun = "run" if len(ids) == 1 else "runs"
        # With no blocks at all, no `block` can be set (040): the plan needs them first.
        fix = (
            f"Give the plan experiment blocks (`### Block {plan.free_block}: …` with a Success "
            "criterion) to have verdicts"
            if reason == NO_BLOCKS
            # A sanity check is reported under its milestone; a [systems] table's block does
            # not place it (011's R012), only its own entry does. So is a review of results
            # (004's R203), whose verdict is on a block's table, not a row of it.
            else "It is reported under its milestone; set `block` on its [[runs]] entry if its "
            "numbers are a block's"
            if reason.startswith((SANITY_CHECK, REVIEW))
            else f"Set `block` on {'the' if len(ids) == 1 else 'each'} run's [[runs]] entry or "
            "its [systems] table, or fill the tracker's Block column"
        )
        warnings.append(
            PlanWarning(
                file=group[0].file,
                line=group[0].line,
                message=f"{noun} {shown} not attributed to a block: {reason}. {fix}",
            )
        )
    warnings.extend(_named_by_own_metrics(plan, drafts, unplaced))


def _named_by_own_metrics(
    plan: Plan, drafts: Sequence[_Draft], unplaced: Mapping[str, Sequence[_Draft]]
) -> list[PlanWarning]:
    """
    One warning per must-run block no run is placed in while runs placed nowhere record a
    metric that block alone lists (021's B2 lists `N_skip`; milestone M1, which names no
    block, runs R002-R004c on it, trial h40D): said, never placed, as a shared metric is
    evidence, not the plan's word (a sanity check or a review, reported under its milestone,
    aside). Metrics are compared whole, case and Markdown aside.
    """
    placed = {d.block for d in drafts if d.block}
    loose = [
        d
        for reason, group in unplaced.items()
        if not reason.startswith((SANITY_CHECK, REVIEW, NO_BLOCKS))
        for d in group
    ]
    if not loose:
        return []

    def key(metric: str) -> str:
        return " ".join(plain(metric).casefold().split())

    listed = {b.id: {key(m) for m in b.metrics} - {""} for b in plan.blocks}
    warnings: list[PlanWarning] = []
    for block in plan.blocks:
        if block.priority != "must" or block.id in placed:
            continue
        own = listed[block.id].difference(*(v for b, v in listed.items() if b != block.id))
        named = [(d, sorted(own & {key(m) for m in d.metrics})) for d in loose]
        named = [(d, found) for d, found in named if found]
        if not named:
            continue
        ids = first_six_named([d.id for d, _ in named])
        written = {key(m): plain(m) for m in block.metrics}
        metrics = sorted({written[m] for _, found in named for m in found})
        one = len(named) == 1
        warnings.append(
            PlanWarning(
                file=block.file,
                line=block.line,
                message=f"must-run block {block.id} has no runs, while {ids}, placed in no "
                f"block, record{'s' if one else ''} {', '.join(metrics)}, which only block "
                f"{block.id} lists among the blocks' metrics: bridge does not place a run by "
                f"a metric; if {'it is' if one else 'they are'} {block.id}'s, write "
                f"{block.id} in {'its' if one else 'their'} tracker Block column (or `block = "
                f'"{block.id}"` on the [[runs]] entry)',
            )
        )
    return warnings


def _one_of_several_blocks(
    shared: Mapping[tuple[tuple[str, ...], str], Sequence[_Draft]],
) -> list[PlanWarning]:
    """
    One warning per tracker Block cell naming several blocks whose runs were placed in one of
    them by their systems (018's `B2/B3` rows count in B2, whose arms they are): a run counts
    in one block, and the others named (B3) showed "the block has no runs" with no word of
    the rows that named them.
    """
    warnings: list[PlanWarning] = []
    for (named, block), group in shared.items():
        others = [b for b in named if b != block]
        if not others:
            continue
        one = len(group) == 1
        warnings.append(
            PlanWarning(
                file=group[0].file,
                line=group[0].line,
                message=f"{', '.join(d.id for d in group)}: the tracker's Block column "
                f"{group[0].block_cell!r} names {_and(named)}, and a run counts in one block: "
                f"{'it counts' if one else 'they count'} in {block}, whose compared systems "
                f"include {'its' if one else 'theirs'}, and not in {_and(others, 'or')}. For "
                f"runs of {_and(others)}, give {'it' if len(others) == 1 else 'each'} rows of "
                "their own, or write one block in the column",
            )
        )
    return warnings


def _and(items: Sequence[str], last: str = "and") -> str:
    """``B2 and B3``, ``B2, B3 and B4``: a few block ids in a sentence."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


_ONE_SYSTEM = lazy(r"""system ('[^']*'|"[^"]*") is not among any block's compared systems""")


def _shared_reason(reason: str) -> str:
    """
    The reason without the run's own system, so that the runs of one milestone whose systems
    no block compares share one warning instead of one line each (22 lines for a real plan).
    """
    # Each run's own system stays in `bridge plan`'s list of runs and in the results.
    return _ONE_SYSTEM.sub("their systems are not among any block's compared systems", reason)


def _seeding_blocks(plan: Plan) -> list[tuple[Block, int]] | None:
    """
    The blocks that write a seed of their runs, each with the seed it begins with (a block
    writing several begins with its first, as its seedless rows run at it), in plan order;
    ``None`` when a block asks for seeds it does not write (a count above one with no values,
    or a command running its seeds itself): which seed such a block's runs take is no value to
    give other blocks. A value written only as a sampler's or the data's seed
    (:func:`seed_value_for_sampling`: 005's B3 "uniform random sample, fixed seed=0 per clip",
    034's "MATH500 random 100 (seed 0)") is no seed of the runs: it seeded every run of 005 and
    034 at 0.
    """
    found: list[tuple[Block, int]] = []
    for block in plan.blocks:
        if block.seeds_together or (not block.seeds and (block.seed_count or 0) > 1):
            return None
        if block.seeds and not seed_value_for_sampling(block.text, block.seeds[0]):
            found.append((block, block.seeds[0]))
    return found


def _plan_seed(plan: Plan) -> tuple[int, str, int] | None:
    """
    The seed the whole plan states, with the file and line that state it: the seed the first
    block writing one begins with (:func:`_seeding_blocks`); ``None`` when no block writes one
    or a block asks for seeds it does not write. It seeds the runs of no block, and of blocks
    writing no seed.

    002's B1 says "begin with seed `42`" and no other block names a seed: the plan is run at
    42, the other blocks' "same training horizon and seed" included. A block writing several
    seeds begins with its first, as its proposed runs do (:func:`proposed_ids`: the first seed
    stated later is the run it ran unseeded): 001's B1 edited from `Seed: 42` to `Seeds: 42, 43,
    44` re-seeded every run of B2-B5, the sanity run and the unplaced ones from 42 to
    bridge.toml's 0, though the edit touched B1 only (trial t9). Where blocks begin with
    different seeds, the first block's stands (its setup is the one later blocks refer to:
    001's B2 "Same training setup as Block 1"), and :func:`_block_seeds` says so: with no one
    seed to take, 001's B2 given `seeds 0, 1, 2` re-seeded the sanity run, B3-B5's and M6's runs
    from B1's 42 to bridge.toml's 0, an edit of B2 alone (trial t11).
    """
    found = _seeding_blocks(plan)
    if not found:
        return None
    first, value = found[0]
    return value, first.file, _seed_line(first, value)


def plan_seed(plan: Plan) -> int | None:
    """The seed the whole plan states (:func:`_plan_seed`); ``None`` when it states none."""
    found = _plan_seed(plan)
    return found[0] if found is not None else None


def _seed_line(block: Block, value: int) -> int:
    """The line of ``block`` that writes seed ``value`` (its heading's when none is found)."""
    start = block.text_line or block.line + 1
    for offset, text in enumerate(block.text.splitlines()):
        lowered = text.casefold()
        if ("seed" in lowered or "种子" in text) and re.search(rf"(?<!\d){value}(?!\d)", text):
            return start + offset
    return block.line


def _block_seeds(drafts: Sequence[_Draft], plan: Plan) -> tuple[list[PlanWarning], list[_Draft]]:
    """
    Give the seed a block writes to its tracker rows that name none, or say why not.

    A block that writes one seed value (001's B1: ``Seed: 42``) gives it to each of its
    tracker rows without a seed of their own, as it does to the runs proposed from it: R002-R004
    were planned seedless and ran with ``[run] args``' default (``--seed 0``) while the plan's
    warning said the written value was used. A row's own seed (its Seed cell, "seed 3" in its
    Notes) still wins. A block that writes several values gives a seedless row its first (a
    row is one run; its other seeds are rows of their own, or a Seed column): a warning names
    the rows and says so. Before, such a row got none and ran at ``[run] args``' default, a
    seed the plan never states, while the warning said "without one". A row of no block, or of
    a block writing no seed, takes the seed the whole plan states (:func:`_plan_seed`): 002's
    rows, attributed to no block, ran at ``[run] args``' 0 while its B1 says "begin with seed
    `42`". Where blocks begin with different seeds, that is the first block's, and a warning
    names the blocks, the rows given it and why (001's B2 given `seeds 0, 1, 2`: R001 and
    R007-R014 keep B1's 42, where they fell silently to ``[run] args``' 0).

    Returns:
        One warning per block whose several written seeds its seedless rows run only the first
        of, one for the rows given the first block's seed where blocks differ, and the rows
        given a seed of the plan's.
    """
    blocks = {b.id: b for b in plan.blocks}
    whole = _plan_seed(plan)
    several: dict[str, list[_Draft]] = {}
    given: list[_Draft] = []
    planwide: list[_Draft] = []  # rows given the plan's seed, not their block's
    for draft in drafts:
        block = blocks.get(draft.block)
        if draft.source != "tracker" or draft.task or draft.seed is not None:
            continue
        if block is not None and block.seeds_together:
            continue  # the command runs the block's seeds itself: no run has one of its own
        if block is not None and block.seeds:
            # A block writing several seeds runs a seedless row at its first, and says so: the
            # row is one run, and launched without a seed of its own it ran at bridge.toml's
            # default, a seed the plan never states (001's B1 `Seeds: 42, 43, 44`, trial t9).
            draft.seed = block.seeds[0]
            given.append(draft)
            if len(block.seeds) > 1:
                several.setdefault(block.id, []).append(draft)
        elif whole is not None:
            draft.seed = whole[0]
            given.append(draft)
            planwide.append(draft)
    warnings = _blocks_differ(plan, planwide)
    for block_id, rows in several.items():
        block = blocks[block_id]
        values = ", ".join(str(s) for s in block.seeds[:10]) + (
            ", …" if len(block.seeds) > 10 else ""
        )
        ids = ", ".join(d.id for d in rows[:8]) + (", …" if len(rows) > 8 else "")
        warnings.append(
            PlanWarning(
                file=rows[0].file,
                line=rows[0].line,
                message=f"block {block_id} gives seeds {values}, but its rows {ids} name no "
                f"seed: each runs once, at the block's first seed {block.seeds[0]} (the other "
                "values go to the runs proposed from the plan only); give each seed a row of "
                "its own, or the row's seeds in a Seed column",
            )
        )
    return warnings, given


def _blocks_differ(plan: Plan, rows: Sequence[_Draft]) -> list[PlanWarning]:
    """
    A warning when blocks begin with different seeds and ``rows`` (the seedless rows of no
    block writing one) run at the first block's (:func:`_plan_seed`): it names each block's
    seeds with their line, the rows and the seed they run at. Empty when the blocks agree or
    no row takes the plan's seed.
    """
    found = _seeding_blocks(plan) or []
    if not rows or len({value for _, value in found}) < 2:
        return []
    first, value = found[0]
    shown = "; ".join(
        f"{block.id}: {', '.join(str(s) for s in block.seeds[:3])}"
        f"{', …' if len(block.seeds) > 3 else ''} at {block.file}:{_seed_line(block, start)}"
        for block, start in found[:4]
    ) + ("; …" if len(found) > 4 else "")
    ids = ", ".join(d.id for d in rows[:8]) + (", …" if len(rows) > 8 else "")
    return [
        PlanWarning(
            file=first.file,
            line=_seed_line(first, value),
            message=f"blocks write different seeds ({shown}): {ids} belong to none of them and "
            f"run at {value}, the seed of {first.id}, the first block that writes one; give a "
            "run its own seed (a Seed column, `seed N` in the tracker's Notes, [[runs]] seed) "
            "to run it at another",
        )
    ]


def _config_seed_differs(given: Sequence[_Draft], plan: Plan, config: Config) -> list[PlanWarning]:
    """
    A warning where bridge.toml's ``args`` set a seed other than the one the plan gives runs
    that would launch: the plan's seed wins (it is the run's own), and bridge.toml's serves only
    runs the plan gives none. Before, 002's runs launched at bridge.toml's 0 while its plan says
    42, and nothing said so. One warning per setting, naming both values and the runs.
    """
    blocks = {b.id: b for b in plan.blocks}
    whole = _plan_seed(plan)
    differ: dict[tuple[str, str, int], list[_Draft]] = {}
    for draft in given:
        if _settled(draft.source, draft.task, draft.status, draft.status_file):
            continue  # not launched: its seed reaches no command
        system = run_system_table(draft.system, draft.block_system, config.systems)
        setting, value = "run.args", config.run.args.get("seed")
        if system is not None and "seed" in system.args:
            setting, value = f"systems.{system.name}.args", system.args["seed"]
        if "seed" in draft.args:
            setting, value = "runs.args", draft.args["seed"]
        if value is None or draft.seed is None or value.strip() == str(draft.seed):
            continue
        differ.setdefault((setting, value, draft.seed), []).append(draft)
    warnings = []
    for (setting, value, seed), rows in differ.items():
        ids = ", ".join(d.id for d in rows[:8]) + (", …" if len(rows) > 8 else "")
        first = rows[0]
        block = blocks.get(first.block)
        # Where the seed the rows take is written: their block's line for it (001's B2 `seeds
        # 0, 1, 2` gives its rows 0), else the plan's seed's; B2's 0 was said to be stated at
        # B1's `Seed: 42` line (review r34).
        if block is not None and seed in block.seeds:
            file, line = block.file, _seed_line(block, seed)
        elif whole is not None and whole[0] == seed:
            file, line = whole[1], whole[2]
        else:
            file, line = first.file, first.line
        # The setting as a person finds it in bridge.toml ([[runs]] args: the run's entry).
        shown = {"run.args": "[run] args", "runs.args": "[[runs]] args"}.get(
            setting, f"[{setting.removesuffix('.args')}] args"
        )
        warnings.append(
            PlanWarning(
                file=config.file or "bridge.toml",
                line=(config.line_of(setting) or 0) if setting != "runs.args" else 0,
                message=f"bridge.toml sets seed {value} ({shown}), but the plan states seed "
                f"{seed} ({file}:{line}): {ids} launch at the plan's {seed}, bridge.toml's "
                f'{value} serving only runs the plan gives no seed; set it to "{seed}" to '
                f"agree, or a run's own seed (a Seed column, `seed N` in the "
                "tracker's Notes, [[runs]] seed) to run it at another",
            )
        )
    return warnings


def same_seed_blocks(plan: Plan) -> dict[str, tuple[str, str, int]]:
    """
    The blocks whose plan asks their systems to run at the same seeds → the words that ask,
    with their file and line: a line of the block's text (012's B2 "Use the same seeds, budget,
    eligible choices, and checkpoints") or the Runs cell of a milestone naming the block (012's
    M2 "B2 variants 1-3, paired seeds").
    """
    out: dict[str, tuple[str, str, int]] = {}
    for block in plan.blocks:
        first = block.text_line or block.line + 1
        for index, text in enumerate(block.text.splitlines()):
            if (words := same_seeds(text)) is not None:
                out[block.id] = (words, block.file, first + index)
                break
    for milestone in plan.milestones:
        words = same_seeds(milestone.runs_raw) if milestone.runs_raw else None
        for block_id in milestone.blocks if words is not None else ():
            out.setdefault(block_id, (words or "", milestone.file, milestone.line))
    return out


def _unpaired_seeds(specs: Sequence[RunSpec], plan: Plan) -> list[PlanWarning]:
    """
    A warning, before any launch, for each block whose plan asks for the same seeds while its
    systems' runs are launched at different ones (012's B2: R005 at 1103 from its tracker
    Notes, R003 and R004 at ``[run] args``' 0; the verdict compared them without a word). The
    seeds are those the runs are launched with (:func:`launch_seed`); the block's verdict is
    left open while they differ (bridge/machine/judge.py).
    """
    warnings: list[PlanWarning] = []
    for block_id, (words, file, line) in same_seed_blocks(plan).items():
        runs = [s for s in specs if s.block == block_id and not s.task]
        by_system: dict[str, set[str | None]] = {}
        for spec in runs:
            by_system.setdefault(spec.block_system or spec.system, set()).add(launch_seed(spec))
        if len(by_system) < 2 or len({frozenset(v) for v in by_system.values()}) == 1:
            continue
        by_seed: dict[str | None, list[RunSpec]] = {}
        for spec in runs:
            by_seed.setdefault(launch_seed(spec), []).append(spec)
        listed = "; ".join(
            f"{'no seed' if seed is None else f'seed {seed}'}: "
            + ", ".join(f"{s.id} ({s.block_system or s.system or 'no system'})" for s in same[:4])
            + (f", … ({len(same)} runs)" if len(same) > 4 else "")
            + (
                " (its own)"
                if len(same) == 1 and same[0].seed is not None
                else " (their own)"
                if all(s.seed is not None for s in same)
                else " ([run] args' default)"
                if seed is not None and all(s.seed is None for s in same)
                else ""
            )
            for seed, same in sorted(by_seed.items(), key=lambda item: str(item[0]))
        )
        warnings.append(
            PlanWarning(
                file=file,
                line=line,
                message=f"block {block_id} asks for the same seeds of its systems ({words!r}), "
                f"but its runs are launched at different ones: {listed}; give them one seed (a "
                "Seed column, `seed N` in the tracker's Notes, or [[runs]] seed), or its verdict "
                "stays open",
            )
        )
    return warnings


def _one_row_for_systems(drafts: Sequence[_Draft], plan: Plan) -> list[PlanWarning]:
    """
    A warning for each block listing several compared systems whose tracker rows name none of
    them: each such row is one run, not one per system, and the systems it leaves without a
    run are named (036's M2.1 lists the variants ``gap >= 0.2`` and ``gap >= 0.4``, "one short
    pilot each", and its one tracker row M2.1 planned one run with no system, in silence). The
    words follow the warning of a block whose runs are proposed (bridge/plan/stated_counts.py:
    "not one per system").
    """
    warnings: list[PlanWarning] = []
    for block in plan.blocks:
        if len(block.systems) < 2:
            continue
        rows = [d for d in drafts if d.block == block.id and d.source == "tracker" and not d.task]
        # A row whose System cell says it runs none is meant as one run (004's R402, a figure).
        unnamed = [d for d in rows if not d.system and not d.no_system]
        covered = {d.block_system for d in rows}
        left = [s for s in block.systems if s not in covered]
        if not unnamed or len(left) < 2:
            continue
        ids = ", ".join(d.id for d in unnamed[:6]) + (", …" if len(unnamed) > 6 else "")
        listed = ", ".join(f"'{s}'" for s in left[:6]) + (", …" if len(left) > 6 else "")
        rows_word = "row" if len(unnamed) == 1 else "rows"
        warnings.append(
            PlanWarning(
                file=unnamed[0].file,
                line=unnamed[0].line,
                message=f"block {block.id} lists {len(left)} compared systems with no run "
                f"of their own ({listed}), but its tracker {rows_word} {ids} "
                f"{'names' if len(unnamed) == 1 else 'name'} none of them: "
                f"{'it is' if len(unnamed) == 1 else 'they are'} {len(unnamed)} "
                f"{_runs_word(len(unnamed))}, not one per system; "
                "give each system a tracker row of its own (its System column) to run each",
            )
        )
    return warnings


# A system's name as a tracker row lists several in one cell: a capitalised word with a small
# letter in it (Direct24, FiLM, Gate), not an acronym (SSH/GPU, URDF/MJCF, N/A) or a word of
# prose (true/no/shuffled D, train/val/test, with/without language).
_NAME = r"[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*"
#: Two or more such names joined by ``/``, ``,`` or ``、`` (023's R040 "final
#: Direct24/Rollout24/Partition24 seeds 42/27/97", 001's R013 "3 seeds for Gate/FiLM/Basis").
_NAMES_IN_ONE = lazy(rf"(?<![-\w/]){_NAME}(?:\s*(?:/|,|、)\s*{_NAME})+(?![-\w/])")


def _systems_in_one_row(
    drafts: Sequence[_Draft], milestones: Sequence[Milestone]
) -> list[PlanWarning]:
    """
    A warning for each tracker row still to run whose System cell names several systems
    (:data:`_NAMES_IN_ONE`): the row is one run (one per seed when it names seeds) with the
    names as one combined system, not a run per system, so the systems it lists would have no
    run of their own and the results could not tell them apart. 023's R040 "final
    Direct24/Rollout24/Partition24 seeds 42/27/97" became R040-s42, -s27, -s97 each with the
    system "final Direct24/Rollout24/Partition24": 3 runs where the plan's M4 expects "约 6–9
    full runs", in silence. The sanity milestone's rows (020's R002 "Python/MuJoCo/MJLab-classic
    imports", a smoke check) and rows settled before bridge are left alone. Bridge does not
    split the row: which part of the cell is the system and which the setting it shares is the
    researcher's to say.
    """
    sanity = {m.id for m in milestones if m.sanity}
    rows: dict[str, list[_Draft]] = {}
    for d in drafts:
        if d.source != "tracker" or d.task or d.milestone in sanity:
            continue
        if _settled(d.source, d.task, d.status, d.status_file):
            continue
        rows.setdefault(seed_row(d.id, d.seed) or d.id, []).append(d)
    warnings: list[PlanWarning] = []
    for row, runs in rows.items():
        found = _NAMES_IN_ONE.search(runs[0].system)
        if found is None:
            continue
        names = [n.strip() for n in re.split(r"/|,|、", found.group(0))]
        count = len(runs)
        ids = ", ".join(d.id for d in runs)
        planned = f"{count} runs ({ids}), one per seed, each" if count > 1 else f"one run ({ids})"
        warnings.append(
            PlanWarning(
                file=runs[0].file,
                line=runs[0].line,
                message=f"{row}: its System cell {runs[0].system!r} names {len(names)} systems "
                f"({', '.join(repr(n) for n in names)}) in one row: bridge plans {planned} "
                f"with the combined system, not one per system ({count} where "
                f"{count * len(names)} may be meant), and the results cannot tell the systems "
                "apart; give each system a tracker row of its own (its System column) to run "
                "each",
            )
        )
    return warnings


def _runs_word(count: int) -> str:
    """``run`` or ``runs`` for ``count``."""
    return "run" if count == 1 else "runs"


def _unproposed_ablations(block: Block) -> list[PlanWarning]:
    """
    A warning when the block's text holds an ablation table (033's E1: "**Ablations in Exp 1**
    (run in parallel, 10 seeds each)" over rows A1-A4) whose rows name no compared system:
    runs are proposed per compared system and seed only, so the table would become no runs in
    silence.
    """
    lines = block.text.splitlines()
    for at, text in enumerate(lines):
        table = text.lstrip().startswith("|")
        if table and (at > 0 and lines[at - 1].lstrip().startswith("|")):
            continue  # a row inside a table
        # A table whose first column is headed "Ablation" (033's E6) is one too, with no line
        # before it that says so.
        cell = text.strip().strip("|").split("|")[0] if table else text
        if not ABLATION_WORD.search(cell):
            continue
        start = at if table else at + 1
        rows = list(itertools.takewhile(lambda t: t.lstrip().startswith("|"), lines[start:]))
        ids = [
            cell
            for row in rows[2:]  # after the header and its rule
            if (cell := row.strip().strip("|").split("|")[0].strip().strip("*`"))
            and cell not in block.systems
        ]
        if ids:
            return [
                PlanWarning(
                    file=block.file,
                    line=(block.text_line or block.line + 1) + at,
                    message=f"block {block.id}'s ablation table ({', '.join(ids[:8])}) becomes no "
                    "runs: runs are proposed for its compared systems and seeds only; name them "
                    "in the block's Compared systems, in tracker rows or in [[runs]] entries to "
                    "run them",
                )
            ]
    return []


PROPOSED = "proposed"  # the source of runs proposed from the plan (blocks × systems × seeds)
#: ``RunSpec.source`` of the sanity run bridge proposes when the plan's sanity milestone names
#: none: the pipeline asks a person to approve it before it runs.
SANITY_PROPOSAL = "proposed-sanity"


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ProposedBefore:
    """
    A run bridge proposed from the plan in an earlier read, as its log records it: the id it
    was given and what the run is (its block, the block's system it stands for, its seed).

    Attributes:
        run_id: the id the run was given.
        block: its block id.
        system: the block's compared system it stands for (``""``: the block names none).
        seed: its seed, None when the block stated none.
    """

    run_id: str
    block: str
    system: str
    seed: int | None


_PROPOSED_ID = lazy(r"^R(\d+)$")


def proposed_ids(
    runs: Sequence[tuple[str, str, int | None]], before: Sequence[ProposedBefore] = ()
) -> list[str]:
    """
    The ids of the runs proposed from the plan, given as ``(block, system, seed)`` in proposal
    order: ``R001…`` by position when nothing was proposed before; else a run keeps the id of
    the earlier run that is the same run (same block, system and seed; or same block and system
    where one of the two had no seed: a block's first seed stated later is the run it ran
    unseeded), and every other run takes the next id after the earlier ones. Ids by position
    alone renumbered every later run when a block got seeds (015, trial t8: R007, which ran as
    B5, became B6's seed 1, and B5 was judged on B8's crashed run).
    """
    if not before:
        return [f"R{n:03d}" for n in range(1, len(runs) + 1)]
    ids: list[str | None] = [None] * len(runs)
    unclaimed = {b.run_id: b for b in before}
    same: dict[tuple[str, str, int | None], str] = {}
    for b in before:
        same.setdefault((b.block, b.system, b.seed), b.run_id)
    for n, run in enumerate(runs):
        if (run_id := same.get(run)) is not None and run_id in unclaimed:
            ids[n] = run_id
            del unclaimed[run_id]
    for n, (block, system, seed) in enumerate(runs):
        if ids[n] is not None:
            continue
        earlier = next(
            (
                b
                for b in unclaimed.values()
                if (b.block, b.system) == (block, system) and (b.seed is None or seed is None)
            ),
            None,
        )
        if earlier is not None:
            ids[n] = earlier.run_id
            del unclaimed[earlier.run_id]
    _pair_renamed(runs, ids, unclaimed, before)
    # After every earlier id, not in a gap: an id a run had once names no other run.
    last = max((int(m.group(1)) for b in before if (m := _PROPOSED_ID.match(b.run_id))), default=0)
    out: list[str] = []
    for run_id in ids:
        if run_id is None:
            last += 1
            run_id = f"R{last:03d}"
        out.append(run_id)
    return out


def _pair_renamed(
    runs: Sequence[tuple[str, str, int | None]],
    ids: list[str | None],
    unclaimed: dict[str, ProposedBefore],
    before: Sequence[ProposedBefore],
) -> None:
    """
    Give a block's runs of a renamed system the ids of the earlier runs of the system it
    replaced (in ``ids``, taking them from ``unclaimed``): where, in one block, as many
    systems the earlier runs had are gone as new ones appeared, the k-th gone one is the k-th
    new one renamed, and a run of it keeps the id of the earlier run with the same seed. A
    rename ("Method" → "Our method", or a name a newer bridge reads differently: `**Method-X**
    — our approach` → "Method-X") then relabels the run it ran, as for a tracker row; matched
    on the name alone it launched again and the old run stayed counted under a name the plan
    no longer has (review r33). Nothing is paired where the counts differ: which system
    became which is not known. A name no earlier run had at all is new before one that has
    some runs already (a seed added to every system after a rename: the baseline's new seed is
    no rename of anything, 033's E5, trial t11); only without such names is one with runs of
    its own taken (a seed added under the new name before).
    """
    blocks = dict.fromkeys(block for block, _, _ in runs)
    for block in blocks:
        now = list(dict.fromkeys(s for b, s, _ in runs if b == block))
        earlier = list(dict.fromkeys(b.system for b in unclaimed.values() if b.block == block))
        gone = [s for s in earlier if s not in now]
        # A new name may already have runs of its own (a seed added after the rename: 033's
        # R013, trial t11): its other seeds are still the old name's runs.
        new = [
            s
            for s in now
            if not any(b.block == block and b.system == s for b in unclaimed.values())
            and any(ids[n] is None for n, r in enumerate(runs) if r[:2] == (block, s))
        ]
        fresh = [s for s in new if not any(b.block == block and b.system == s for b in before)]
        if gone and len(fresh) == len(gone):
            new = fresh
        elif not gone or len(gone) != len(new):
            continue
        renamed = dict(zip(new, gone, strict=True))
        for n, (b_id, system, seed) in enumerate(runs):
            if ids[n] is not None or b_id != block or system not in renamed:
                continue
            match = next(
                (
                    b
                    for b in unclaimed.values()
                    if b.block == block and b.system == renamed[system] and b.seed == seed
                ),
                None,
            )
            if match is not None:
                ids[n] = match.run_id
                del unclaimed[match.run_id]


def _proposed(
    plan: Plan, warnings: list[PlanWarning], before: Sequence[ProposedBefore] = ()
) -> list[_Draft]:
    drafts: list[_Draft] = []
    blocks = {b.id: b for b in plan.blocks}
    covered: set[str] = set()
    plan_file = plan.plan_file
    pairs: list[tuple[str, str]] = []
    for milestone in plan.milestones:
        for block_id in milestone.blocks:
            if block_id in blocks:
                pairs.append((milestone.id, block_id))
                covered.add(block_id)
    pairs += [("", b.id) for b in plan.blocks if b.id not in covered]
    # The names the plan and the tracker use for systems and runs: what tells a block's "X vs
    # Y" line that names systems from one that plots a metric against steps.
    known = {
        *(s for b in plan.blocks for s in (*b.systems, b.baseline, b.proposed) if s),
        *(n for r in plan.tracker_runs for n in (r.id, r.system) if n),
    }
    for milestone_id, block_id in pairs:
        block = blocks[block_id]
        if block.priority == "cut":
            continue
        seeds: list[int | None] = list(block.seeds) or (
            list(range(block.seed_count)) if block.seed_count else [None]
        )
        if seeds == [None] and not block.seeds_together:
            one = seeds_of_one_system(f"{block.heading}\n{block.text}")
            warnings.append(
                PlanWarning(
                    file=block.file,
                    line=block.line,
                    message=f"block {block.id} states no seeds; its proposed runs have none"
                    if one is None
                    # 015's B3: "10 seeds for random" was read as 10 seeds of every system.
                    else f"block {block.id} states seeds for one system only ({one!r}); its "
                    "proposed runs have none: give each run's seed in the tracker or [[runs]]",
                )
            )
        warnings.extend(_unproposed_ablations(block))
        systems = list(block.systems) or [""]
        warnings.extend(stated_beyond_runs(block, len(systems) * len(seeds), known))
        for system, seed in itertools.product(systems, seeds):
            drafts.append(
                _Draft(
                    id="",  # given below, once every run of the plan is known
                    milestone=milestone_id,
                    block=block_id,
                    system=system,
                    seed=seed,
                    priority=Priority.NICE if block.priority == Priority.NICE else Priority.MUST,
                    purpose=block.title,
                    split=block.dataset,
                    metrics=block.metrics,
                    source=PROPOSED,
                    file=plan_file or block.file,
                    line=block.line,
                    block_system=system,
                    attribution="proposed from the block",
                )
            )
    for draft, run_id in zip(
        drafts,
        proposed_ids([(d.block, d.block_system, d.seed) for d in drafts], before),
        strict=True,
    ):
        draft.id = run_id
    sanity = next((m for m in plan.milestones if m.sanity), None)
    if sanity is not None and drafts and not any(d.milestone == sanity.id for d in drafts):
        first = drafts[0]
        taken = {d.id for d in drafts}
        run_id = next(f"S{n:03d}" for n in range(1, len(taken) + 2) if f"S{n:03d}" not in taken)
        warnings.append(
            PlanWarning(
                file=sanity.file,
                line=sanity.line,
                message=f"the sanity milestone {sanity.id} names no run: bridge proposes "
                f"{run_id}, the first run of block {first.block} ({first.system or 'its system'}"
                + (f", seed {first.seed}" if first.seed is not None else "")
                + "), as the sanity run; it waits for `bridge approve`",
            )
        )
        drafts.insert(
            0,
            attrs.evolve(
                first,
                id=run_id,
                milestone=sanity.id,
                priority=Priority.MUST,
                purpose=f"sanity: the first run of block {first.block}, proposed by bridge",
                source=SANITY_PROPOSAL,
                args=dict(first.args),
                attribution="proposed as the sanity run",
            ),
        )
    return drafts


def _block_rows_say(drafts: Sequence[_Draft], plan: Plan) -> None:
    """
    Give each run proposed from a block the Status the tracker's row for that block asks of it
    (a tracker that lists blocks, not runs: :attr:`Plan.block_statuses`): out of scope there
    is out of scope for every run of the block, TODO runs them. Not the sanity run bridge
    proposes (a copy of a block's first run, checked before anything else).
    """
    said = {b.block: b for b in plan.block_statuses}
    for draft in drafts:
        row = said.get(draft.block)
        if row is None or draft.source != PROPOSED:
            continue
        draft.status, draft.status_raw = row.status, row.status_raw
        draft.status_file, draft.status_line = row.file, row.line
        if row.status in OUT_OF_SCOPE_STATUSES:
            draft.notes = row.notes  # the reason, when the Status cell does not give it


def _proposed_beside_rows(
    plan: Plan,
    rows: Sequence[_Draft],
    warnings: list[PlanWarning],
    before: Sequence[ProposedBefore],
) -> list[_Draft]:
    """
    The runs proposed from the blocks a tracker run table has no row of, where every run row of
    it names its block in a Block column: a table for some blocks adds their runs, and the other
    blocks keep their proposed runs, with the ids they have without the table (``before``, or
    by position over every block), so ``[[runs]]`` entries naming them still apply. Empty (the
    table lists all the runs, as before) where a row names no block of the plan, where the
    table names every block (a block of a milestone whose Runs cell names a row is named), or
    where a row has an id one of those runs would have. 033 (trial t14): a two-row table for
    E6, added as bridge's warning on E6's ablation table advised, made R001-R031 planned no
    more in `bridge plan`, R002 a run of no block whose entry relabelled it, and removing the
    table renumbered R002 to R032.
    """
    runs = [d for d in rows if d.source == "tracker" and not d.task]
    if not runs or not plan.blocks:
        return []
    order = [b.id for b in plan.blocks]
    titles = {b.id: b.title for b in plan.blocks}
    named: dict[str, None] = {}
    for draft in runs:
        ids = block_cell_ids(draft.block_cell, order, titles) if draft.block_cell else ()
        if not ids:
            return []
        named.update(dict.fromkeys(ids))
    # A milestone whose Runs cell names rows of the table (`| M2 | … | R7 (Block 2) |`) has its
    # runs there: its blocks are the table's too, though the rows name another block.
    listed = {d.id for d in runs}
    for milestone in plan.milestones:
        if set(re.findall(r"[\w.-]+", milestone.runs_raw)) & listed:
            named.update(dict.fromkeys(milestone.blocks))
    # Computed over every block and then filtered: the ids are the ones the plan gives its
    # runs without the table, so adding or removing it renumbers nothing.
    kept = [d for d in _proposed(plan, [], before) if d.block not in named]
    # A table that numbers its rows as bridge numbers proposed runs (006's R001-R010 for B5, B6
    # and B8, its other blocks frozen as done) is the plan's whole run list, as before.
    taken = {d.id for d in rows}
    if not kept or any(d.id in taken for d in kept):
        return []
    _block_rows_say(kept, plan)
    blocks = list(dict.fromkeys(d.block for d in kept))
    first = runs[0]
    warnings.append(
        PlanWarning(
            file=first.file,
            line=first.line,
            message=f"the tracker's run rows name block{'s' if len(named) > 1 else ''} "
            f"{_and(list(named))} only: block{'s' if len(blocks) > 1 else ''} {_and(blocks)} "
            f"keep{'' if len(blocks) > 1 else 's'} the runs proposed from the plan "
            f"({len(kept)} {_runs_word(len(kept))}); list a block's runs in the table to "
            "replace them",
        )
    )
    return kept


def _grid_drafts(config: Config) -> list[_Draft]:
    grid = config.grid
    if grid is None:
        return []
    drafts: list[_Draft] = []
    by_phase: dict[str, list[_Draft]] = {}
    for phase in grid.phases:
        names = list(phase.axes)
        phase_drafts: list[_Draft] = []
        for combo in itertools.product(*(phase.axes[n] for n in names)):
            values = dict(zip(names, combo, strict=True))
            seed_text = values.pop("seed", None)
            system = values.pop("system", "")
            run_id = f"{grid.id_prefix}{len(drafts) + len(phase_drafts) + 1:03d}"
            depends: list[str] = []
            for dep in phase.depends_on:
                for other in by_phase.get(dep, []):
                    if all(
                        _axis(other, key) == _axis_value(key, values, system, seed_text)
                        for key in phase.match
                    ):
                        depends.append(other.id)
            phase_drafts.append(
                _Draft(
                    id=run_id,
                    milestone=phase.milestone,
                    block=phase.block,
                    system=system,
                    seed=int(seed_text)
                    if seed_text is not None and seed_text.lstrip("-").isdigit()
                    else None,
                    priority=phase.priority,
                    purpose=phase.name,
                    args=values,
                    depends_on=tuple(depends),
                    source="grid",
                    file=config.file or "",
                    line=phase.line,
                )
            )
        by_phase[phase.name] = phase_drafts
        drafts.extend(phase_drafts)
    return drafts


def _axis(draft: _Draft, key: str) -> str | None:
    if key == "system":
        return draft.system
    if key == "seed":
        return None if draft.seed is None else str(draft.seed)
    return draft.args.get(key)


def _axis_value(key: str, values: Mapping[str, str], system: str, seed: str | None) -> str | None:
    if key == "system":
        return system
    if key == "seed":
        return seed
    return values.get(key)


def _apply_entry(draft: _Draft, entry: RunEntry) -> None:
    draft.entry = entry
    if draft.persons is not None and entry.command:
        # The researcher's bridge.toml gives this row a command of its own (009's R004: a CPU
        # re-analysis where the API run is the user's): bridge runs it.
        draft.status, draft.status_raw = draft.persons
    for key in ("milestone", "block", "system", "seed", "priority", "purpose"):
        value = getattr(entry, key)
        if value is not None:
            setattr(draft, key, value)
    draft.args.update(entry.args)
    if entry.depends_on:
        draft.depends_on = entry.depends_on


def _refuse_only_an_id(entry: RunEntry, config: Config, *, names_a_run: bool) -> None:
    """
    Refuse a ``[[runs]]`` entry that sets nothing but its ``id`` while ``[run]`` gives no
    command: of a run that exists (a tracker row, a seed's run) it changes nothing, and a run
    of its own would have no command (018's ``[[runs]] id = "X1"``, taken without a word, then
    "5 runs have no command"). With ``[run] command`` it is a run launched by that command, or
    a listing of one that is (tests' ``[[runs]] id = "P1"``), and is kept.

    Raises:
        ConfigError: naming the entry and its line.
    """
    if config.run.command:
        return
    bare = RunEntry(id=entry.id, line=entry.line)
    if attrs.asdict(entry, recurse=False) != attrs.asdict(bare, recurse=False):
        return
    setting = f"runs[{config.runs.index(entry)}]"
    if names_a_run:
        message = (
            f"{setting} sets only its id {entry.id!r}, which changes nothing of that run: give "
            "it the settings it changes (command, gpus, block, ...), or remove the entry"
        )
    else:
        message = (
            f"{setting} sets only its id {entry.id!r}: no run has that id, and a run of its own "
            "needs a command, here or in [run]; give it one, or remove the entry"
        )
    raise ConfigError(
        message,
        setting=setting,
        file=config.file,
        line=config.line_of(setting) or entry.line or None,
    )


def _refuse_case_twin(entry: RunEntry, config: Config, ids: Sequence[str]) -> None:
    """
    Refuse a ``[[runs]]`` entry whose id differs from a run's only in case: a new id is a run
    of its own, and 001's ``id = "r005"``, meant as a fix of the tracker's R005, added a run
    ``r005`` with no milestone or block while R005 stayed failed, without a word (trial t15).

    Raises:
        ConfigError: naming the entry's ``id`` setting, its line and the run meant.
    """
    folded = entry.id.casefold()
    twin = next((i for i in ids if i != entry.id and i.casefold() == folded), None)
    if twin is None:
        return
    setting = f"runs[{config.runs.index(entry)}].id"
    raise ConfigError(
        f"[[runs]] id {entry.id!r} differs from run {twin} only in case: an entry with a run's "
        f"id sets that run's fields, and a new id adds a run of its own; did you mean "
        f"{twin!r}?",
        setting=setting,
        file=config.file,
        line=config.line_of(setting) or entry.line or None,
    )


def _another_system(entry: RunEntry, run: _Draft, plan: Plan, config: Config) -> bool:
    """
    Whether a ``[[runs]]`` entry with the id of a run bridge proposes sets a system that run's
    block does not compare: it is a run of its own, not a change of the proposed run. 040's
    ``[[runs]] id = "R001" system = "screen"``, written and run while the plan had no blocks,
    met the run proposed for the block added later: applied over it, it ran ``screen``
    counted as B1's ``evaluate-graphs``.
    """
    if entry.system is None or not run.block or entry.block not in (None, run.block):
        return False
    return not Attributor(plan, config.systems).compares(run.block, entry.system)


def _refuse_another_system(
    entry: RunEntry, run: _Draft, config: Config, changing: Sequence[str]
) -> None:
    """
    Refuse a ``[[runs]]`` entry of :func:`_another_system` while other entries (``changing``)
    change proposed runs: the proposal stands, and the entry's id is one of its runs'. Alone,
    such entries are runs of their own and the proposal is not made (the entries are the runs,
    as any that name no proposed run), so a run that finished under its id keeps it.

    Raises:
        ConfigError: naming the entry's ``system`` setting, its line, the run it meets and the
            way to keep a finished run: renaming it makes a new run, which runs again.
    """
    setting = f"runs[{config.runs.index(entry)}].system"
    raise ConfigError(
        f"[[runs]] {entry.id} sets system {entry.system!r}, which block {run.block} does not "
        f"compare, but {entry.id} is the run bridge proposes for {run.block}'s "
        f"{run.system!r}, and {_named_ids(changing)} change{'s' if len(changing) == 1 else ''} "
        f"proposed runs, so the proposal stands: {entry.id} would run {entry.system!r} counted "
        f"as {run.system!r}. To keep {entry.id} as it ran (a new id is a new run, run again), "
        f"give {_named_ids(changing)} ids the plan does not propose, with the block and system "
        f'each runs (block = "{run.block}", system = ...): the runs are then bridge.toml\'s and '
        f"none is proposed; or, to change the proposed run, leave out {entry.id}'s system",
        setting=setting,
        file=config.file,
        line=config.line_of(setting) or entry.line or None,
    )


def _named_ids(ids: Sequence[str]) -> str:
    """``ids`` of entries for a message: ``[[runs]] R002, R003``."""
    return f"[[runs]] {first_named(ids, 8)}"


def _overlay_proposed(
    plan: Plan,
    config: Config,
    drafts: Sequence[_Draft],
    warnings: list[PlanWarning],
    before: Sequence[ProposedBefore],
) -> list[_Draft]:
    """
    The proposed runs with the ``[[runs]]`` entries that name one of them applied over it
    (each sets only the fields it gives: a command, an environment, a timeout …; the run keeps
    its milestone, block, system, seed and purpose from the plan unless the entry sets them),
    followed by the other ``[[runs]]`` and ``[grid]`` runs; empty when no entry names a
    proposed run (the entries then replace the proposal, as ``drafts``). The proposed runs
    keep the ids ``before`` gave them (:func:`proposed_ids`), as without an entry, so an entry
    names the run it named when it was written.

    Raises:
        ConfigError: a ``[grid]`` run's id is a proposed run's.
    """
    # The log's ids here too: proposed by position, an entry for R017 kept every proposed run
    # numbered by position, and one seed more in 033's E5 moved R015-R025 to other runs (E6's
    # ablation placed in E5, and the entry applied to another seed; trial t10).
    would = _proposed(plan, [], before)
    by_id = {d.id: d for d in would}
    own = [
        e for e in config.runs if e.id in by_id and _another_system(e, by_id[e.id], plan, config)
    ]
    named = [e for e in config.runs if e.id in by_id and e not in own]
    for entry in config.runs:
        if entry.id not in by_id:
            _refuse_case_twin(entry, config, list(by_id))
    # An entry for a run bridge proposed that the plan proposes no more (its seed cut): no
    # run of its own, that would replace the proposal or launch with no block; said instead.
    earlier = {b.run_id: b for b in before}
    gone = [earlier[e.id] for e in config.runs if e.id not in by_id and e.id in earlier]
    if not named and not gone:
        return []
    for was in gone:
        seed = f", seed {was.seed}" if was.seed is not None else ""
        # A run an older bridge relabelled to no block (033's R002, trial t14): not "(block )".
        where = f"block {was.block}" if was.block else "no block"
        warnings.append(
            PlanWarning(
                file=config.file or "bridge.toml",
                line=next(e.line for e in config.runs if e.id == was.run_id),
                message=f"[[runs]] {was.run_id} names a run the plan no longer proposes "
                f"({where}{seed}): the entry applies to no run; remove it, or put "
                "the seed or system back in the plan",
            )
        )
    # 034 (trial t7): `[[runs]] id = "R005"` with a fixed command, for a run bridge proposed,
    # replaced the whole proposal: R005 lost its milestone and block A3, and the milestone bar
    # dropped to 2 runs, said only in a warning the researcher read as about something else.
    base = _proposed(plan, warnings, before)
    _block_rows_say(base, plan)
    by_id = {d.id: d for d in base}
    for entry in own:
        if entry.id in by_id:
            _refuse_another_system(entry, by_id[entry.id], config, [e.id for e in named])
    for entry in named:
        _apply_entry(by_id[entry.id], entry)
    for draft in drafts:
        if draft.source == "grid" and draft.id in by_id:
            raise ConfigError(
                f"grid run id {draft.id} collides with a run proposed from the plan; set "
                "[grid] id_prefix",
                setting="grid.id_prefix",
                file=config.file,
                line=config.line_of("grid"),
            )
    stale = {was.run_id for was in gone}
    return [*base, *(d for d in drafts if d.id not in by_id and d.id not in stale)]


def build_runs(
    plan: Plan,
    config: Config,
    milestones: tuple[Milestone, ...],
    *,
    sanity_first: bool,
    proposed_before: Sequence[ProposedBefore] = (),
) -> tuple[tuple[RunSpec, ...], bool, list[PlanWarning]]:
    """
    Assemble the project's runs.

    Args:
        plan: the parsed plan.
        config: the parsed bridge.toml.
        milestones: the project's milestones, in plan order (for launch order).
        sanity_first: put the sanity milestone's runs first.
        proposed_before: the runs proposed from the plan before, as the log records them: a
            run proposed again keeps its id (:func:`proposed_ids`).

    Returns:
        ``(runs, needs_confirmation, warnings)``: runs in launch order (milestone order, then
        source order); ``needs_confirmation`` is True when the runs were proposed from the plan.

    Raises:
        ConfigError: a run's command uses a placeholder that has no value for it, or a
            ``depends_on`` names an unknown run.
    """
    warnings: list[PlanWarning] = []
    drafts = _tracker_drafts(plan, writes_code=config.implementer.get("kind") == "agent")
    _milestones_from_plan(drafts, plan, config.systems, warnings)
    _milestones_in_ids(drafts, plan, warnings)
    beside = _proposed_beside_rows(plan, drafts, warnings, proposed_before)
    drafts += beside
    by_id = {d.id: d for d in drafts}
    config_file = config.file or "bridge.toml"
    seeded: dict[str, list[_Draft]] = {}
    for draft in drafts:
        if (row := seed_row(draft.id, draft.seed)) is not None:
            seeded.setdefault(row, []).append(draft)
    for entry in config.runs:
        _refuse_only_an_id(entry, config, names_a_run=entry.id in by_id or entry.id in seeded)
        if entry.id in by_id:
            _apply_entry(by_id[entry.id], entry)
        elif entry.id in seeded:
            # A tracker row naming several seeds (032's E02, Seeds 3): its entry is each
            # seed's run's (each keeps its own seed unless the entry sets one).
            for draft in seeded[entry.id]:
                _apply_entry(draft, entry)
        else:
            _refuse_case_twin(entry, config, [*by_id, *seeded])
            draft = _Draft(id=entry.id, source="config", file=config_file, line=entry.line)
            _apply_entry(draft, entry)
            drafts.append(draft)
            by_id[entry.id] = draft
    for draft in _grid_drafts(config):
        if draft.id in by_id:
            raise ConfigError(
                f"grid run id {draft.id} collides with another run; set [grid] id_prefix",
                setting="grid.id_prefix",
                file=config.file,
                line=config.line_of("grid"),
            )
        drafts.append(draft)
        by_id[draft.id] = draft
    proposed = bool(beside)
    if not drafts:
        drafts = _proposed(plan, warnings, proposed_before)
        proposed = bool(drafts)
        _block_rows_say(drafts, plan)
    elif all(d.source in ("config", "grid") for d in drafts) and (
        overlays := _overlay_proposed(plan, config, drafts, warnings, proposed_before)
    ):
        drafts = overlays
        proposed = True
    elif all(d.source in ("config", "grid") for d in drafts):
        # 015 (trial M1): one [[runs]] entry meant to change proposed run R016 replaced all 19
        # proposed runs, and every milestone showed 0 runs, without a word.
        would = _proposed(plan, [])
        if len(would) > len(drafts):
            first = drafts[0]
            warnings.append(
                PlanWarning(
                    file=first.file,
                    line=first.line,
                    message=f"the runs come from bridge.toml ({len(drafts)}: "
                    f"{', '.join(d.id for d in drafts[:4])}{', …' if len(drafts) > 4 else ''}),"
                    f" so the {len(would)} runs the plan's blocks would give are not proposed"
                    "; list every run in [[runs]] (or in a tracker's run table), or remove "
                    "[[runs]] and [grid] to have them proposed",
                )
            )
    elif all(_settled(d.source, d.task, d.status) for d in drafts) and not any(
        ran_by_bridge(d.notes) for d in drafts
    ):
        # 033: a one-row table added to take a proposed run out of scope became the only run
        # table, and the plan's other 29 runs were planned no more, without a word. Not once
        # bridge has run rows of it (009 after its run: the table is the plan's runs).
        would = _proposed(plan, [])
        if len(would) > len(drafts):
            first = drafts[0]
            warnings.append(
                PlanWarning(
                    file=first.file,
                    line=first.line,
                    message=f"every run the tracker lists is done or out of scope, so nothing "
                    f"runs, and the {len(would)} runs the plan's blocks would give are not "
                    "planned: a tracker's run table lists all the runs; list them there (or "
                    "remove the table to have them proposed)",
                )
            )
    _attribute(drafts, plan, config, warnings)
    _milestones_from_blocks(drafts, plan, warnings)
    seed_warnings, plan_seeded = _block_seeds(drafts, plan)
    warnings.extend(seed_warnings)
    warnings.extend(_config_seed_differs(plan_seeded, plan, config))
    warnings.extend(_one_row_for_systems(drafts, plan))
    warnings.extend(_systems_in_one_row(drafts, milestones))
    order = {m.id: n for n, m in enumerate(milestones)}
    sanity = next((m.id for m in milestones if m.sanity), None)

    def rank(item: tuple[int, _Draft]) -> tuple[int, int]:
        position, draft = item
        if sanity_first and sanity is not None and draft.milestone == sanity:
            return (-1, position)
        return (order.get(draft.milestone, len(order)), position)

    ordered = [d for _, d in sorted(enumerate(drafts), key=rank)]
    warnings.extend(_unplanned_milestones(ordered, plan))
    warnings.extend(_shifted_milestones(ordered, plan))
    warnings.extend(_without_milestone(ordered, plan))
    warnings.extend(_wait_as_stated(ordered, plan, order))
    _hold_dependents(ordered, plan.language)
    # A RUNNING that bridge wrote for its own launch carries its labelled part in the Notes
    # ("attempt 1 on local:0"): only the others can be runs going on outside bridge.
    running = [
        d
        for d in ordered
        if d.source == "tracker" and d.status == "running" and not ran_by_bridge(d.notes)
    ]
    if running:
        ids = ", ".join(d.id for d in running[:8]) + (" …" if len(running) > 8 else "")
        # The words the rows wrote, with bridge's reading of them: 027's IN_PROGRESS was quoted
        # as "RUNNING", a word its tracker never wrote.
        said = " / ".join(dict.fromkeys(d.status_raw.strip() or "RUNNING" for d in running))
        said += "" if said == "RUNNING" else " (running)"
        warnings.append(
            PlanWarning(
                file=running[0].file,
                line=running[0].line,
                # Their rows' file: a plan's own run table is no tracker (trial N3).
                message=f"{ids}: {_rows_file(running[0].file, plan.plan_file)} says {said}. "
                "Unless bridge launched them, "
                "`bridge run` holds before any launch (never a second copy of a run going "
                "elsewhere): mark each row DONE once it finished, NOT RUN — <reason> if it "
                "is not bridge's, or TODO for bridge to run it",
            )
        )
    warnings.extend(_conditional(ordered, plan))
    if config.implementer.get("kind") != "agent":
        warnings.extend(_open_tasks(ordered))
    warnings.extend(_unread_priorities(plan))
    warnings.extend(_not_runs_by_text(ordered, plan.language))
    known = {d.id for d in ordered}
    systemless = tuple(
        d.id
        for d in ordered
        if not d.system and not d.model and not _settled(d.source, d.task, d.status, d.status_file)
    )
    frozen = [_freeze(d, config, known, systemless) for d in ordered]
    specs = tuple(spec for spec, _ in frozen)
    refuse_same_commands(
        {
            spec.id: (spec, setting)
            for (spec, setting), draft in zip(frozen, ordered, strict=True)
            if not _settled(draft.source, draft.task, draft.status, draft.status_file)
        },
        config,
    )
    warnings.extend(_unpaired_seeds(specs, plan))
    for spec in specs:
        for dep in spec.depends_on:
            if dep not in known:
                file, line = _depends_where(spec, config)
                raise ConfigError(
                    f"run {spec.id} depends on {dep!r}, which is not a run"
                    # Not the run itself (trial N1: "did you mean 'R007'?" for R007's typo).
                    f"{did_you_mean(dep, sorted(known - {spec.id}))}",
                    setting="depends_on",
                    file=file,
                    line=line,
                )
    _refuse_cycles(specs, config)
    return specs, proposed, warnings


# A row that runs only under a condition: "Only if margins tight", "Only if R203 M2 gate
# fails", "仅当 observation-correction 作为最终创新时启动". ("If … fails, stop" after a result
# is what to do next, not a condition to run.)
_CONDITION = (
    r"only\s+(?:if|when|after)|run\s+only\s+if|skip(?:ped)?\s+(?:if|unless)|仅当|仅在|只在|只有在"
    # "wait for the user's final checkpoint", "start only after the M1 gate passes" (not "run
    # only once per seed")
    r"|wait(?:s|ing)?\s+(?:for|on|until)\b|(?:start|run|launch)(?:ed|s)?\s+only\s+(?:after|if|when)\b"
    # 001's "After M2 confirms" (R005/R006) and B2's "AFTER Block 1 confirms depth conditioning
    # works": a result that must hold first, which bridge does not judge ("After R014" is a wait
    # for a run, kept by bridge/plan/dependencies.py; "after 3 passes over the data" no result)
    r"|after\s+(?!\d)[^,;.。，；()]{1,40}?\s(?:confirms?|confirmed|pass(?:es|ed)|succeeds?"
    r"|succeeded|works|holds)\b"
    # 001's R014 "If DepthBasis is trained": what it needs may never exist
    r"|if\s+[^,;.。，；()]{1,40}?\s(?:is|are)\s+(?:trained|available|unavailable|released|ready)\b"
    r"|(?:如果|若)[^,;.。，；()]{1,30}?(?:已训练|训练完成|可用|已发布|已开源)"
    # 023's "仅 M1/M3 gate 通过后启动" and "等用户的最终 Stage1.5 checkpoint 冻结" (not 等权重,
    # 等量, 等距, 等预算: "equal …")
    r"|仅.{1,40}?(?:后|之后|以后)(?:才)?(?:启动|运行|开始|执行)|等待"
    r"|等(?:用户|作者|我们|人工|老师|导师|.{1,20}?(?:冻结|确认|完成|通过|就绪)(?:后|之后|再|才))"
    r"|待.{1,30}?(?:冻结|确认|完成|通过)后"
)
_ONLY_IF = lazy(rf"^\W*(?:{_CONDITION})", re.IGNORECASE)
# The same words where a clause of a block's heading or Priority field starts: 001's B2
# "MUST-RUN (but AFTER Block 1 confirms depth conditioning works)", 036's "Revisit semantic
# projection only if reviewers ask".
_CONDITION_IN = lazy(rf"(?:^|(?<=[\s(（,;，；:：]))(?:{_CONDITION})", re.IGNORECASE)


def _rows_file(file: str, plan_file: str) -> str:
    """How a warning names the file rows were read from: the tracker, or the plan."""
    return "the plan" if file == plan_file else "the tracker"


def _hold_dependents(drafts: Sequence[_Draft], language: str) -> None:
    """
    A run still to launch that waits for a run bridge does not run (out of scope, a person's,
    its code not written yet) is held out of scope too, saying which and why, until that run is
    done: cancelled at launch instead, it stopped every later milestone (011's R020/R021 wait
    for R017, a human annotation, and cancelled M3 and M4 with them). Done before bridge is no
    hold. Transitive, naming the run bridge does not run: 011's R037 waits for R020, held for
    R017, and read "waits for R020, which bridge does not run", though bridge runs R020 once
    R017 is done; it waits for R017.
    """
    by_id = {d.id: d for d in drafts}
    # Each run held here → the run bridge does not run that holds it.
    roots: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for draft in drafts:
            if draft.task or draft.status not in ("todo", "unknown"):
                continue
            held = next(
                (
                    dep
                    for dep in draft.depends_on
                    if (other := by_id.get(dep)) is not None
                    and other.status in OUT_OF_SCOPE_STATUSES
                    # Bridge's own CANCELLED in the row (trial P1 on 011: R008 cancelled when
                    # R004 failed, revived by the fix) is no run bridge does not run.
                    and not ran_by_bridge(other.notes)
                ),
                None,
            )
            if held is None:
                continue
            held = roots.get(held, held)
            roots[draft.id] = held
            said = draft.status_raw or "TODO"
            draft.status = "blocked"
            draft.status_raw = (
                f"{said}（{WAITS_ZH} {held}，bridge 不运行它：它完成后才会运行）"
                if language == "zh"
                else f"{said} ({WAITS} {held}, which bridge does not run: it runs once {held} "
                "is done)"
            )
            changed = True


# A note saying what the run needs is not there: "checkpoint intentionally absent", "data not
# available yet", "cannot run until …" (never "handles missing values": a state, not a lack).
_LACKS = lazy(
    r"\b(?:intentionally|deliberately|currently|still)\s+(?:absent|missing|unavailable)\b"
    r"|\b(?:is|are)\s+(?:absent|unavailable|not\s+(?:yet\s+)?available)\b"
    r"|\bcan(?:not|'t)\s+(?:yet\s+)?(?:be\s+)?run\b|无法运行|不能运行|暂不可用|尚不可用",
    re.IGNORECASE,
)


def _open_tasks(drafts: Sequence[_Draft]) -> list[PlanWarning]:
    """
    One warning naming the tracker's implementation tasks that are not done (001's I5-I7,
    TODO): bridge neither does them nor knows which runs need them, and the runs launched
    without a word while the code they may need was still to be written.
    """
    open_tasks = [d for d in drafts if d.task and d.status in ("todo", "unknown", "running")]
    if not open_tasks:
        return []
    ids = ", ".join(d.id for d in open_tasks[:8]) + (" …" if len(open_tasks) > 8 else "")
    return [
        PlanWarning(
            file=open_tasks[0].file,
            line=open_tasks[0].line,
            message=f"implementation tasks the tracker says are not done ({ids}): bridge does "
            "not do them, and launches the runs without them; mark each DONE once it is done, "
            "and a run that needs one NOT RUN — <reason> until then",
        )
    ]


def _not_runs_by_text(drafts: Sequence[_Draft], language: str) -> list[PlanWarning]:
    """
    One warning naming the rows bridge leaves to people because their own words say they are
    no experiment run (:func:`_not_bridges_work`: 004's R203 Gemini cross-review, R401 curated
    by hand, R402/R403 figures, R404 the paper; 011's R017 human annotation), each with why,
    and how to have them otherwise: a reading of bridge's, not a word of the researcher's, so
    `bridge plan` says it before the first `bridge run` (they were launched with `[run]
    command`, with no word, trial h39B F10).
    """
    rows = [d for d in drafts if d.by_text and d.persons is not None and d.status == "skipped"]
    if not rows:
        return []
    zh = language == "zh"
    # Each row's why, less the words the message says once for all.
    said = [
        d.by_text.removesuffix("，不是 bridge 启动的运行" if zh else ", not a run bridge launches")
        .removesuffix("，不是 bridge 运行的系统" if zh else ", not a system bridge runs")
        .replace("是人做的工作" if zh else " is work people do", "")
        for d in rows
    ]
    listed = ("；" if zh else "; ").join(
        f"{d.id}{'：' if zh else ': '}{why}" for d, why in zip(rows[:8], said, strict=False)
    )
    if len(rows) > 8:
        listed += f"；…（共 {len(rows)} 行）" if zh else f"; … ({len(rows)} in all)"
    if zh:
        message = (
            f"这些行按其自身的文字读作人做的工作，不是实验运行，bridge 不启动它们（{listed}）："
            "完成后把其 Status 改为 DONE；不做的写 `NOT RUN — <原因>`；要 bridge 运行某一行，"
            "请在 bridge.toml 中为它写带 command 的 [[runs]] 条目"
        )
    else:
        message = (
            f"rows read as work people do, not experiment runs, by their own words ({listed}): "
            "bridge does not launch them; mark each DONE once done, `NOT RUN — <reason>` if it "
            "will not be done, or give it a [[runs]] entry with its own command in bridge.toml "
            "to have bridge run it"
        )
    return [PlanWarning(file=rows[0].file, line=rows[0].line, message=message)]


def _unread_priorities(plan: Plan) -> list[PlanWarning]:
    """
    One warning per Priority word of the tracker's rows that names no priority (014's R003
    ``DIAGNOSTIC``, "retained only as historical diagnostic"): such a row is read as must-run
    with no word of it, so its failure holds its milestone and cancels the later ones.
    """
    unread: dict[str, list[TrackerRun]] = {}
    for row in plan.tracker_runs:
        said = " ".join(row.priority_raw.replace("**", "").split())
        if said and row.priority is None and not row.task:
            unread.setdefault(said, []).append(row)
    return [
        PlanWarning(
            file=rows[0].file,
            line=rows[0].line,
            message=f"{', '.join(r.id for r in rows)}: the Priority {said!r} names no priority "
            "(MUST, NICE, CUT, P0 …): read as must-run, so a failure holds its milestone and "
            "cancels the later ones; write MUST-RUN or NICE-TO-HAVE in the cell",
        )
        for said, rows in unread.items()
    ]


def _block_condition(block: Block) -> tuple[int, str] | None:
    """
    Where a block's text says its runs run only under a condition, and the words: its heading
    or its Priority field with a clause that states one (001's B2 "MUST-RUN (but AFTER Block 1
    confirms depth conditioning works)"), or a line of its own, not a sub-item of something
    else, that opens with one (034's S3 "- Skipped if tuned-lens is unavailable for
    closed-weight models."). Not the condition of one of its settings: "Seed: 42 (run 3 seeds
    only if margins are tight)" is no condition to launch the block.

    Returns:
        ``(line, words)``, or None when the block states no such condition.
    """
    if _CONDITION_IN.search(block.title):
        return block.line, block.title
    for field in block.fields:
        if field.key == "priority" and _CONDITION_IN.search(field.value):
            return field.line, field.value
    for at, text in enumerate(block.text.splitlines()):
        # An indented line is a sub-item of the line above it; a table row is no sentence.
        if text[:1].isspace() or text.startswith("|") or not _ONLY_IF.match(text):
            continue
        # The text's first line, below the heading and the blank lines under it.
        return (block.text_line or block.line + 1) + at, text.strip().lstrip("-*+ ").strip()
    return None


def _conditional(drafts: Sequence[_Draft], plan: Plan) -> list[PlanWarning]:
    """
    One warning naming the runs still to launch whose row says they run only under a condition
    (their Notes or Purpose open with "Only if …", "After M2 confirms", "If DepthBasis is
    trained"), one per block whose text says so of its runs (see :func:`_block_condition`), one
    naming the runs whose Notes say they lack what they need (038's "checkpoint intentionally
    absent"), and one naming those whose Status has a part not finished (038's "PASS-STATIC /
    PENDING-RESIDENT"): bridge cannot check any of it, so they run as planned unless the
    researcher marks them NOT RUN.
    """
    to_run = [d for d in drafts if not d.task and d.status in ("todo", "unknown")]
    rows_to_run = [d for d in to_run if d.source == "tracker"]

    # The researcher's Notes only: bridge's labelled part is no condition of theirs (004's
    # R501 quoted "Only if R203 M2 gate fails; bridge: its settings changed (in", trial T7).
    def own(notes: str) -> str:
        found = BRIDGE_LABEL.search(notes)
        return notes[: found.start()] if found else notes

    # A row's seeds' runs (E02-s0 …) are waited for as its row id (E02) says.
    row_of = {d.id: seed_row(d.id, d.seed) or d.id for d in drafts}
    found = [
        (d, said)
        for d in rows_to_run
        if (said := next((t for t in (own(d.notes), d.purpose) if _ONLY_IF.match(t)), ""))
        # "仅在 R001 之后才运行", "等待 R001": a wait for runs it has (bridge keeps it), no
        # condition bridge cannot check.
        and not waits_only_for(
            said, {*d.depends_on, *(row_of.get(dep, dep) for dep in d.depends_on)}
        )
    ]
    # 038's ENV-OF3-02, PENDING: "checkpoint intentionally absent; cofold remains optional".
    lacking = [(d, own(d.notes)) for d in rows_to_run if _LACKS.search(own(d.notes))]
    # 038's HIP-03, "PASS-STATIC / PENDING-RESIDENT": one part passed, the run is not finished
    # (vocabulary.normalise_status), so bridge runs it; the row's words say why.
    partly = [(d, d.status_raw) for d in rows_to_run if status_parts(d.status_raw)]
    warnings: list[PlanWarning] = []
    when_not = "mark a row NOT RUN — <reason> when its condition does not hold"
    for group, said, fix in (
        (found, "run only under a condition", when_not),
        (lacking, "lack something they need", when_not),
        # Its finished part is no reason not to run it: what is left decides.
        (
            partly,
            "are not finished in part",
            "mark a row NOT RUN — <reason> when what is left is not bridge's to run",
        ),
    ):
        if not group:
            continue
        # A row's seeds' runs (R040-s42, -s27, -s97) are its one row, said once.
        rows: dict[str, str] = {}
        for d, note in group:
            rows.setdefault(seed_row(d.id, d.seed) or d.id, note)
        shown = "; ".join(
            f"{row}: {' '.join(note.split())[:60]!r}" for row, note in list(rows.items())[:4]
        )
        more = f"; … +{len(rows) - 4}" if len(rows) > 4 else ""
        warnings.append(
            PlanWarning(
                file=group[0][0].file,
                line=group[0][0].line,
                message=f"runs whose row says they {said} ({shown}{more}): bridge cannot check "
                f"it and runs them as planned; {fix}",
            )
        )
    # 034's S3 "Skipped if tuned-lens is unavailable": its proposed run launched, failed, and
    # the plan ended "Must-run runs did not succeed (R013)" without a word before. A run the
    # row warning names is not named again (001's R005/R006, "After M2 confirms" in their rows
    # and B2's Priority).
    named = {id(d) for d, _ in found}
    for block in plan.blocks:
        runs = [d for d in to_run if d.block == block.id and id(d) not in named]
        stated = _block_condition(block) if runs else None
        if stated is None:
            continue
        line, words = stated
        ids = [seed_row(d.id, d.seed) or d.id for d in runs]
        shown = ", ".join(dict.fromkeys(ids))
        warnings.append(
            PlanWarning(
                file=block.file,
                line=line,
                message=f"block {block.id}'s text says its runs run only under a condition "
                f"({shown}: {' '.join(words.split())[:80]!r}): bridge cannot check it and runs "
                f"them as planned; {_rule_out_block(runs[0])}",
            )
        )
    return warnings


def _rule_out_block(draft: _Draft) -> str:
    """
    How to keep the runs of a block whose text states a condition (``draft`` one of them) from
    launching when it does not hold: their tracker rows marked NOT RUN; the block's row in a
    tracker that lists blocks (034's S3); or, for runs proposed from the plan with no row at
    all, the block's Priority written as CUT, so that bridge proposes none of them (a tracker
    row or a ``[[runs]]`` entry for one of them would replace every proposed run).
    """
    if draft.status_file:  # a tracker that lists blocks gives their Status from its row
        where = "the block's tracker row"
    elif draft.source.startswith(PROPOSED):
        return (
            "they are proposed from the plan and have no tracker rows: write the block's "
            "Priority as CUT — <reason> when its condition does not hold, and bridge proposes "
            "none of them"
        )
    else:
        where = "their rows"
    return f"mark {where} NOT RUN — <reason> when its condition does not hold"


def _wait_as_stated(
    drafts: Sequence[_Draft], plan: Plan, order: Mapping[str, int]
) -> list[PlanWarning]:
    """
    Give each run the dependencies its row states (a Depends On column, a note: see
    bridge/plan/dependencies.py), unless a ``[[runs]]`` entry sets its ``depends_on``. A row id
    stands for its run or its seeds' runs (``E02`` for ``E02-s0`` …). An id that is no run, or
    a run of a later milestone (bridge runs milestones in order, so it would wait forever), is
    not waited for, and a warning says so.

    Returns:
        The warnings.
    """
    by_row: dict[str, list[_Draft]] = {}
    for draft in drafts:
        if draft.source.startswith("proposed"):
            continue  # ids bridge made up (R001 …) are not the plan's own run ids
        by_row.setdefault(draft.id, []).append(draft)
        if (row := seed_row(draft.id, draft.seed)) is not None:
            by_row.setdefault(row, []).append(draft)
    warnings: list[PlanWarning] = []
    blocks = {b.id for b in plan.blocks}  # "等待 B1/B2 evidence": blocks, not runs
    stated_by: dict[str, set[str]] = {}  # the waits read from the plan and tracker, by run
    said_on: dict[str, list[str]] = {}  # what each row says it waits for, all its statements
    for stated in plan.dependencies:
        said_on.setdefault(stated.row, []).extend(stated.on)
    for stated in plan.dependencies:
        unknown: list[str] = []
        later: list[str] = []
        for draft in by_row.get(stated.row, []):
            if draft.entry is not None and draft.entry.depends_on:
                continue  # the researcher's bridge.toml says it
            waits: list[str] = []
            for name in _through_tasks(stated.on, by_row, said_on):
                targets = by_row.get(name)
                if not targets:
                    # A word ("K=1 data", "passing"), a milestone ("after M1", which the
                    # milestone order already keeps) or a block is no run to wait for.
                    if any(c.isdigit() for c in name) and name not in {*order, *blocks}:
                        unknown.append(name)
                    continue
                for target in targets:
                    if target.task:
                        continue  # a coding task is no run: its code is the implement step's
                    if order.get(target.milestone, len(order)) > order.get(
                        draft.milestone, len(order)
                    ):
                        later.append(f"{target.id} ({target.milestone})")
                    elif target is not draft:
                        waits.append(target.id)
            draft.depends_on = tuple(dict.fromkeys([*draft.depends_on, *waits]))
            stated_by.setdefault(draft.id, set()).update(waits)
        said = [
            f"{stated.row} waits for {names} ({stated.said!r}), which is not a run: it is not "
            "waited for"
            for names in [", ".join(dict.fromkeys(unknown))]
            if unknown
        ] + [
            f"{stated.row} waits for {names}, of a later milestone: bridge runs milestones in "
            "order, so it does not wait for them"
            for names in [", ".join(dict.fromkeys(later))]
            if later
        ]
        warnings += [PlanWarning(file=stated.file, line=stated.line, message=m) for m in said]
    warnings += _without_stated_cycles(drafts, stated_by)
    return warnings


def _through_tasks(
    names: Sequence[str], by_row: Mapping[str, Sequence[_Draft]], said_on: Mapping[str, list[str]]
) -> list[str]:
    """
    ``names``, each coding task among them followed by what its own row says it waits for, in
    turn (011's R012 "Depends On R010, R011": R010, a DONE code task, waits for R008 "Merge →
    train_dataset.jsonl"). A task is no run to wait for, but the run waits for what the task
    needed: before, R012 waited for nothing and was checked alone first, before M0 had made its
    training data. The tasks stay in the list; the caller skips them.
    """
    out: list[str] = []
    todo = list(names)
    while todo:
        name = todo.pop(0)
        if name in out:
            continue
        out.append(name)
        if any(t.task for t in by_row.get(name, ())):
            todo.extend(said_on.get(name, ()))
    return out


def _without_stated_cycles(
    drafts: Sequence[_Draft], stated_by: Mapping[str, set[str]]
) -> list[PlanWarning]:
    """
    Drop the waits read from the plan or tracker that close a cycle (a dependency graph's
    "R005 -> R006 (if R006 diverges -> rerun R005)"): read from prose, they are warned about and
    not waited for, rather than stop the project as a ``depends_on`` cycle does.
    """
    warnings: list[PlanWarning] = []
    by_id = {d.id: d for d in drafts}
    for _ in range(len(drafts)):
        cycle = _find_cycle({d.id: d.depends_on for d in drafts})
        if cycle is None:
            break
        stated = [(a, b) for a, b in itertools.pairwise(cycle) if b in stated_by.get(a, set())]
        if not stated:
            break  # bridge.toml's own cycle: refused with its setting, as before
        for run_id, dep in stated:
            draft = by_id[run_id]
            draft.depends_on = tuple(d for d in draft.depends_on if d != dep)
        first = by_id[stated[0][0]]
        warnings.append(
            PlanWarning(
                file=first.file,
                line=first.line,
                message=f"the stated dependencies make runs wait for each other "
                f"({' → '.join(cycle)}): those waits are not kept",
            )
        )
    return warnings


def _depends_where(spec: RunSpec, config: Config) -> tuple[str, int]:
    """Where a run's ``depends_on`` is written: its ``[[runs]]`` entry, else the run's row."""
    for index, entry in enumerate(config.runs):
        if entry.id == spec.id and entry.depends_on:
            line = config.line_of(f"runs.{index}.depends_on") or entry.line
            return config.file or "bridge.toml", line
    return spec.file, spec.line


def _refuse_cycles(specs: Sequence[RunSpec], config: Config) -> None:
    """
    Refuse runs that wait for themselves, directly or through others (``R003 → R005 →
    R003``): none of them could ever start, and each would be cancelled with no cause to read.

    Raises:
        ConfigError: naming the cycle, at the first of its runs' ``depends_on``.
    """
    cycle = _find_cycle({s.id: s.depends_on for s in specs})
    if cycle is None:
        return
    first = next(s for s in specs if s.id == cycle[0])
    file, line = _depends_where(first, config)
    raise ConfigError(
        f"depends_on makes runs wait for themselves: {' → '.join(cycle)}; none of them could start",
        setting="depends_on",
        file=file,
        line=line,
    )


def _find_cycle(waits: Mapping[str, Sequence[str]]) -> list[str] | None:
    """One cycle of runs waiting for each other (``[R003, R005, R003]``), or None."""
    done: set[str] = set()
    for start in waits:
        path: list[str] = []
        on_path: set[str] = set()
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            run_id, next_dep = stack.pop()
            if next_dep == 0:
                if run_id in done:
                    continue
                if run_id in on_path:
                    return [*path[path.index(run_id) :], run_id]
                path.append(run_id)
                on_path.add(run_id)
            deps = waits.get(run_id, ())
            if next_dep < len(deps):
                stack.append((run_id, next_dep + 1))
                stack.append((deps[next_dep], 0))
            else:
                path.pop()
                on_path.discard(run_id)
                done.add(run_id)
    return None


def _freeze(
    draft: _Draft, config: Config, known: Collection[str], systemless: Sequence[str] = ()
) -> tuple[RunSpec, str]:
    """
    The run's spec, and the setting its command comes from (``run.command`` and others).

    ``systemless`` are the runs to be launched that have no system (and no Model cell): named
    together when ``{system}`` has no value for one of them (017's B1, B2, B4, B5 compare no
    systems; its error named R001 alone and advised nothing a researcher could write).
    """
    run = config.run
    system = run_system_table(draft.system, draft.block_system, config.systems)
    entry = draft.entry
    command: tuple[str, ...] = run.command
    command_key = "run.command"
    args: dict[str, str] = dict(run.args)
    outputs, estimated, gpus, timeout = (
        run.outputs,
        run.estimated_minutes,
        run.gpus,
        run.timeout_minutes,
    )
    env: dict[str, str] = dict(run.env)
    if system is not None:
        if system.command:
            command, command_key = system.command, f"systems.{system.name}.command"
        args.update(system.args)
        outputs = system.outputs if system.outputs is not None else outputs
        estimated = system.estimated_minutes if system.estimated_minutes is not None else estimated
        gpus = system.gpus if system.gpus is not None else gpus
        timeout = system.timeout_minutes if system.timeout_minutes is not None else timeout
        env.update(system.env)
    args.update(draft.args)
    if draft.task:
        # An implementation task is no run: no command of [run] is given it, nor checked for
        # it (its placeholders, its script); a [[runs]] command of its own makes it a run.
        command = ()
    if entry is not None:
        if entry.command:
            command, command_key = entry.command, f"runs.{config.runs.index(entry)}.command"
        outputs = entry.outputs if entry.outputs is not None else outputs
        estimated = entry.estimated_minutes if entry.estimated_minutes is not None else estimated
        gpus = entry.gpus if entry.gpus is not None else gpus
        timeout = entry.timeout_minutes if entry.timeout_minutes is not None else timeout
        env.update(entry.env)
    if estimated is None and draft.stated_gpu_hours is not None and gpus > 0:
        # The tracker's GPU-hours column is the run's estimate when nothing configures one:
        # 026's 24 rows with "Est GPU-h" counted nothing while a prose cost was the total.
        estimated = draft.stated_gpu_hours[1] * 60.0 / gpus
    params = dict(args)
    for key, value in (
        ("run_id", draft.id),
        ("system", draft.system),
        ("seed", None if draft.seed is None else str(draft.seed)),
        ("block", draft.block),
        ("milestone", draft.milestone),
    ):
        if value:
            params[key] = value
    # bridge.toml's own value wins over the tracker's cell, as it is the one set for it; and
    # only where the command passes it: a run recorded before {model} existed keeps the params
    # it ran with (a new one would read as a changed input).
    if (
        draft.model
        and "model" not in args
        and any("model" in placeholders(token) for token in command)
    ):
        params["model"] = draft.model
    for token in command:
        for name in placeholders(token):
            source = outputs_of(name)
            if source is not None and source not in known:
                raise ConfigError(
                    f"run {draft.id}: {{{name}}} in {command_key} names {source!r}, which is not "
                    f"a run{did_you_mean(source, known)}",
                    setting=command_key,
                    file=config.file,
                    line=config.line_of(command_key),
                )
            if source is not None and source not in draft.depends_on:
                raise ConfigError(
                    f"run {draft.id}: {{{name}}} in {command_key} names a run it does not "
                    f"depend on; add depends_on = [{source!r}] to its [[runs]] entry, so "
                    f"{source} has finished and its outputs are recorded before {draft.id} starts",
                    setting=command_key,
                    file=config.file,
                    line=config.line_of(command_key),
                )
            # A row done or ruled out before bridge is not launched: a placeholder only its
            # launch would need (036's and 002's `{seed}` on DONE rows) is checked when it is
            # retried (bridge/pipeline/retries.py), not here.
            if (
                source is None
                and name not in params
                and name not in AT_LAUNCH
                and not _settled(draft.source, draft.task, draft.status, draft.status_file)
            ):
                # A plan mixing seeded and seedless blocks (033) gives one command both kinds
                # of run: a default in [run] args serves the seedless ones, and a run's own
                # seed still wins.
                default = (
                    "; for runs the plan gives no seed, a default serves: "
                    '[run] args = { seed = "0" }'
                    if name == "seed"
                    else ""
                )
                if name == "system" and not draft.model:
                    # No empty value: a script dispatching on its system would run as some
                    # default unsaid. A default in [run] args is what a run with no system of
                    # its own takes (a run's own system wins over args).
                    others = [r for r in systemless if r != draft.id]
                    alike = f" (so have {', '.join(others)})" if others else ""
                    where = (
                        f"block {draft.block} lists no compared systems"
                        if draft.block
                        else "it is in no block"
                    )
                    default = (
                        f"; it has no system: its tracker row names none and {where}{alike}; "
                        'give such runs one with [run] args = { system = "NAME" } (a run\'s own '
                        f"system still wins), or one run its own with a [[runs]] entry (id = "
                        f'"{draft.id}", args = {{ system = "NAME" }})'
                        + (", or pass {block} instead" if draft.block else "")
                    )
                if name == "system" and draft.model and "model" not in args:
                    # 032's commands passed `--model {system}` while its Model column named
                    # the systems; read as the model every run uses, it fills {model}.
                    default = (
                        f"; its tracker row's Model column ({draft.model!r}) names the "
                        "model the run uses, not its system: pass it with {model}"
                    )
                raise ConfigError(
                    f"run {draft.id}: placeholder {{{name}}} in {command_key} has no value for "
                    f"this run (set it in the tracker, [[runs]] or [run] args){default}",
                    setting=command_key,
                    file=config.file,
                    line=config.line_of(command_key),
                )
    spec = RunSpec(
        id=draft.id,
        milestone=draft.milestone,
        block=draft.block,
        system=draft.system,
        seed=draft.seed,
        priority=draft.priority,
        purpose=draft.purpose,
        split=draft.split,
        metrics=draft.metrics,
        status=draft.status,
        status_raw=draft.status_raw,
        command=command,
        params=params,
        outputs=outputs,
        estimated_minutes=estimated,
        gpus=gpus,
        timeout_minutes=timeout,
        env=env,
        cwd=run.cwd,
        depends_on=draft.depends_on,
        max_retries=run.max_retries,
        oom_max_attempts=run.oom_max_attempts,
        source=draft.source,
        file=draft.file,
        line=draft.line,
        notes=draft.notes,
        block_system=draft.block_system,
        attribution=draft.attribution,
        # Only its own system's table names it otherwise: one found by its block's system
        # (run_system_table) gives that name, which the run stands for already.
        aliases=tuple(n for n in (system.name, *system.aliases) if n != draft.system)
        if system is not None and system is match_system(draft.system, config.systems)
        else (),
        # A task row given its own command in [[runs]] is the researcher's run after all.
        task=draft.task and not (entry is not None and entry.command),
        status_file=draft.status_file,
        status_line=draft.status_line,
        stated_gpu_hours=draft.stated_gpu_hours,
        gate=draft.gate,
    )
    return spec, command_key
