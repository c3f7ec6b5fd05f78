"""
Milestones: from a run-order table, from milestone headings, or from a list (FORMAT-NOTES §7).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Protocol

import attrs

from bridge.lazy_patterns import lazy
from bridge.plan.blocks import BlockHeading, read_block, read_fields
from bridge.plan.gates import section_gate
from bridge.plan.model import Block, Milestone
from bridge.plan.quantities import block_refs, gpu_hours
from bridge.plan.text import Document, Heading, Table, plain

__all__ = [
    "MILESTONES_TO_WRITE",
    "MILESTONES_TO_WRITE_ZH",
    "NO_MILESTONES_FOUND",
    "UNNAMED_LIST",
    "UNNAMED_LIST_ZH",
    "blocks_placed",
    "criterion_sections",
    "mark_sanity",
    "milestone_id",
    "name_from_goal",
    "no_milestones_found",
    "phase_headings_note",
    "read_milestones",
    "runs_of_its_systems",
    "says_data_preparation",
    "says_no_runs",
    "says_sanity",
    "schedule_note",
    "stated_gate",
    "unnamed_list_line",
    "why_no_runs",
]

#: The plan's warning when it has no milestones of its own (the runs may still name some).
NO_MILESTONES_FOUND = "no milestones found (no run-order table, milestone headings or list)"
#: What a plan writes for bridge to read its milestones, said wherever it has none (the
#: `bridge plan` warning, the results' next step and readiness line), so they agree: 033's next
#: step said "a numbered list of steps is none" where the warning said a list would do.
MILESTONES_TO_WRITE = (
    "a run-order table `| Milestone | Goal | Runs |`, `### M1: …` headings, or a run-order list "
    "whose steps open with their milestone ids and name the blocks they run (`1. M0: B1 …`)"
)
MILESTONES_TO_WRITE_ZH = (
    "运行顺序表 `| Milestone | Goal | Runs |`、`### M1: …` 标题，或每一步以里程碑编号开头的"
    "运行顺序列表，并写出各步运行的实验块（`1. M0: B1 …`）"
)
#: Why a plan has no milestones when its run-order section has a list whose steps name none
#: (017's "## Run Order" steps 1.–5.), by the list's line: in the warning, and read back from
#: the recorded warnings for the results' next step (:func:`unnamed_list_line`).
UNNAMED_LIST = "the run-order list (line {line}) names no milestone ids (M0, M1, …)"
UNNAMED_LIST_ZH = "运行顺序列表（第 {line} 行）没有写里程碑编号（M0、M1 …）"
_UNNAMED_LIST_READ = lazy(r"the run-order list \(line (\d+)\) names no milestone ids \(M0, M1, …\)")

_M_ID = lazy(r"(?<![A-Za-z0-9])M(\d{1,2}(?:\.\d{1,2})?[A-Za-z]?)(?![A-Za-z0-9])")
_M_WORD = lazy(r"^milestone\s{0,2}(\d{1,2}(?:\.\d{1,2})?[A-Za-z]?)\b", re.IGNORECASE)
_LABELLED = lazy(
    r"^(?P<id>(?:gate|phase|week|stage|part|day|step|里程碑|阶段)\s{0,2}[A-Za-z0-9.]{1,6})\b",
    re.IGNORECASE,
)
_PSEUDO = lazy(r"^(?:total|合计|总计|sum|★|decision gate|gate\s*$)", re.IGNORECASE)
_FIRST_HEADERS = ("milestone", "里程碑", "gate", "order", "phase", "stage", "week", "阶段", "step")
_SANITY = lazy(r"sanity|smoke|pipeline works|健全|冒烟|烟雾", re.IGNORECASE)
_NAME_SPLIT = lazy(r"^[\s:：—–\-]+")


def milestone_id(cell: str) -> tuple[str, str]:
    """
    Normalise a milestone cell or heading into ``(id, name)`` as PARSE-RULES says.

    Args:
        cell: ``**M0 — Sanity**``, ``M0: Sanity``, ``Milestone 2: ...``, ``Gate A``, ``Phase 1``.

    Returns:
        ``("M0", "Sanity")``; for other schemes the label without bold, backticks or trailing
        commentary and ``""``; ``("", "")`` for an empty cell.
    """
    text = plain(cell).strip()
    if not text:
        return "", ""
    word = _M_WORD.match(text)
    if word:
        return f"M{word.group(1)}", _NAME_SPLIT.sub("", text[word.end() :]).strip()
    match = _M_ID.search(text[:12])
    if match and match.start() <= 2:
        name = _NAME_SPLIT.sub("", text[match.end() :]).strip()
        name = (
            name.strip("()（）").strip()
            if name.startswith(("(", "（")) and name.endswith((")", "）"))
            else name
        )
        return f"M{match.group(1)}", name
    labelled = _LABELLED.match(text)
    if labelled:
        name = _NAME_SPLIT.sub("", text[labelled.end() :]).strip()
        return labelled.group("id").strip(), name
    # Other labels (M-off-ramp (conditional)): drop trailing commentary.
    short = re.split(r"\s[(（]|\s[—–]\s|[:：]", text, maxsplit=1)[0].strip()
    return short, text[len(short) :].strip(" ()（）:：—–-")


_NAME_MAX = 60
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
_WHEN_ONLY = lazy(
    r"^[(（]?\s{0,2}(?:"
    rf"{_MONTH}\s{{0,2}}\d{{1,2}}(?:\s{{0,2}}[–—-]\s{{0,2}}(?:{_MONTH}\s{{0,2}})?\d{{1,2}})?"
    r"|\d{4}-\d{2}-\d{2}(?:\s{0,2}[–—-]\s{0,2}\d{4}-\d{2}-\d{2})?"
    r"|(?:week|wk|w|day|d)\s{0,2}\d{1,3}(?:\s{0,2}[–—-]\s{0,2}(?:week|wk|w|day|d)?\s{0,2}\d{1,3})?"
    r")\s{0,2}[)）]?$",
    re.IGNORECASE,
)
_GOAL_LEAD = lazy(r"\s{0,3}(?:[:：]|\s[—–-]{1,2}\s)")
_CLAUSE_END = lazy(r"[.;；。(（,，]")


def name_from_goal(goal: str) -> str:
    """
    A milestone name taken from its goal, for tables that have no name anywhere else.

    Args:
        goal: the Goal cell as written (``Sanity``, ``Sanity: pipeline runs end to end``,
            ``Baseline — reproduce the reference numbers``).

    Returns:
        The goal's leading phrase before ``:``/``：``/a spaced dash when there is one, otherwise
        the whole goal when it is short (at most 60 characters), otherwise its first clause or
        its first words with ``…``; ``""`` for an empty goal.
    """
    text = goal.strip()
    if not text:
        return ""
    lead = _GOAL_LEAD.search(text)
    if lead and 0 < lead.start() <= _NAME_MAX:
        return text[: lead.start()].strip()
    if len(text) <= _NAME_MAX:
        return text
    clause = _CLAUSE_END.search(text, 0, _NAME_MAX + 1)
    if clause and clause.start() > 0:
        return text[: clause.start()].strip()
    cut = text.rfind(" ", 0, _NAME_MAX)
    return text[: cut if cut > 0 else _NAME_MAX].strip() + "…"


def _header_index(table: Table, names: tuple[str, ...], contains: tuple[str, ...]) -> int | None:
    header = [plain(h).casefold() for h in table.header]
    for position, name in enumerate(header[1:], start=1):
        if name in names:
            return position
    for position, name in enumerate(header[1:], start=1):
        if any(word in name for word in contains):
            return position
    return None


def _from_table(doc: Document, table: Table, known: frozenset[str]) -> list[Milestone]:
    goal = _header_index(table, ("goal", "目标", "purpose"), ("goal", "目标", "purpose", "目的"))
    name_column = _header_index(table, ("name", "名称", "title", "milestone name"), ())
    runs = _header_index(
        table,
        ("runs", "run", "what runs", "运行", "首批 run", "block", "blocks", "必须完成"),
        ("run", "block", "运行", "实验"),
    )
    gate = _header_index(table, ("decision gate", "gate"), ("gate", "门", "stop", "exit"))
    cost = _header_index(
        table,
        ("cost", "budget", "gpu-hours", "成本", "估计成本"),
        ("cost", "gpu", "budget", "成本", "resource", "wall", "time", "预算"),
    )
    result: list[Milestone] = []
    for line, cells in table.rows:
        first = plain(cells[0])
        if not first or _PSEUDO.match(first.lstrip("★ ").strip()) or first.startswith("★"):
            continue
        mid, name = milestone_id(cells[0])
        if not mid:
            continue
        runs_raw = cells[runs].strip() if runs is not None else ""
        cost_raw = plain(cells[cost]) if cost is not None else ""
        goal_text = plain(cells[goal]) if goal is not None else ""
        if _WHEN_ONLY.match(name):
            # ``M0 — Aug 2``: the cell gives the date, not a name.
            name = ""
        if not name:
            name = plain(cells[name_column]) if name_column is not None else ""
        if not name:
            name = name_from_goal(goal_text)
        # The Runs cell names the blocks first; a goal such as "Complete Block 5 evidence" or
        # "B6 + B7 nice-to-haves" names blocks too.
        refs = block_refs(runs_raw, known) + block_refs(goal_text, known)
        result.append(
            Milestone(
                id=mid,
                name=name,
                goal=goal_text,
                blocks=tuple(dict.fromkeys(refs)),
                gate=plain(cells[gate]) if gate is not None else "",
                cost_raw=cost_raw,
                gpu_hours=gpu_hours(cost_raw) if cost_raw else None,
                sanity=False,
                file=doc.file,
                line=line,
                runs_raw=runs_raw,
            )
        )
    return result


def read_milestones(
    doc: Document,
    section: Heading | None,
    known: frozenset[str],
    used: set[int],
    plan_blocks: frozenset[str] | None = None,
    *,
    others: Sequence[Heading] = (),
) -> tuple[list[Milestone], list[tuple[int, str]]]:
    """
    Read the plan's milestones.

    The sources, in order: the run-order sections' milestone tables (when several sections
    have one, the first whose rows are ``M<n>`` milestones wins over a gate or phase table
    before it: ``Gate A…G`` then an ``M0–M5`` run-order table gives M0–M5), milestone headings,
    a milestone list, and finally phase headings anywhere in the plan (``### Phase 0 …``, at
    least two). A source other than the first run-order section is named in a warning.

    Args:
        doc: the plan document.
        section: the run-order section heading, if the plan has one.
        known: block ids that are not ``B<n>`` (matched as words in the Runs cells).
        used: heading indices already interpreted; milestone headings are added.
        plan_blocks: every block id of the plan; when given, a milestone keeps only the
            references to these blocks (``B0–B4`` naming baselines in a plan without such
            blocks is not a block reference) and a warning names the others.
        others: further run-order sections after ``section`` (``## Milestones & Dates`` after
            a ``## Run Order`` holding only block headings).

    Returns:
        The milestones in plan order (sanity flag set) and warnings ``(line, message)``.
    """
    warnings: list[tuple[int, str]] = []
    sources: list[Heading | None] = [section, *others] if section is not None else [None]
    found = [(h, ms) for h in sources if (ms := _tables(doc, h, known))]
    by_m = next((f for f in found if any(_M_ID.fullmatch(m.id) for m in f[1])), None)
    milestones: list[Milestone] = []
    source: Heading | None = section
    if by_m is not None:
        source, milestones = by_m
    if not milestones:
        milestones = _from_headings(doc, known, used, section)
    if not milestones and found:
        source, milestones = found[0]
    if not milestones and section is not None:
        milestones = _from_list(doc, section, known)
    if milestones and source is not section and source is not None:
        passed = [(h, ms) for h, ms in found if h is not source]
        instead = (
            f", not from the {', '.join(m.id for m in passed[0][1][:3])}… table under "
            f"{_title(passed[0][0])}"
            if passed
            else ""
        )
        warnings.append(
            (
                source.line,
                f"milestones read from the table under {_title(source)} (line {source.line})"
                f"{instead}",
            )
        )
    elif milestones and by_m is not None and found[0] is not by_m:  # two tables, one section
        warnings.append(
            (
                milestones[0].line,
                f"milestones read from the M-numbered table at line {milestones[0].line}, not "
                f"from the {', '.join(m.id for m in found[0][1][:3])}… table before it",
            )
        )
    if not milestones:
        milestones = _from_headings(doc, known, used, None, phases=True)
        if milestones:
            warnings.append((milestones[0].line, phase_headings_note(milestones)))
    seen: dict[str, int] = {}
    unique: list[Milestone] = []
    for milestone in milestones:
        if milestone.id in seen:
            warnings.append(
                (
                    milestone.line,
                    f"milestone {milestone.id} appears again (first at "
                    f"line {seen[milestone.id]}); the first is used",
                )
            )
            continue
        seen[milestone.id] = milestone.line
        if plan_blocks is not None:
            kept = tuple(b for b in milestone.blocks if b in plan_blocks)
            dropped = [b for b in milestone.blocks if b not in plan_blocks]
            if dropped:
                warnings.append(
                    (
                        milestone.line,
                        f"milestone {milestone.id} mentions {', '.join(dropped)}, which "
                        f"{'is not a block' if len(dropped) == 1 else 'are not blocks'} of "
                        "this plan; not counted as its blocks",
                    )
                )
                milestone = attrs.evolve(milestone, blocks=kept)
        unique.append(milestone)
    return mark_sanity(_with_prose_gates(doc, unique)), warnings


# "- After M0: If S3 composite skill < 0 → investigate …" (006_kan-symbolic's "Decision gates:"
# list under its run-order table): the gate of M0, written after the table rather than in it.
_AFTER = lazy(
    r"^\s*(?:[-*]|\d{1,2}[.)])\s+(?:\*\*)?after\s+(?P<id>M\d+[A-Za-z0-9.]*?)(?:\*\*)?"
    r"\s*[:：,—–]\s*(?:\*\*)?\s*(?P<gate>\S.*)$",
    re.IGNORECASE,
)


def _with_prose_gates(doc: Document, milestones: list[Milestone]) -> list[Milestone]:
    """
    ``milestones`` with the decision gates the plan writes as list items ``After M0: …``
    (anywhere outside code fences) added to those milestones' gates, after a gate the table
    already gives: bridge does not check gates, so the results quote every one it found.
    """
    found: dict[str, list[str]] = {}
    for _, text in doc.text_lines(0, len(doc.lines)):
        match = _AFTER.match(text)
        if match:
            said = plain(match["gate"])
            # Named as the plan names it, so a gate from the table and this one read as two.
            found.setdefault(match["id"].upper(), []).append(f"after {match['id']}: {said}")
    if not found:
        return milestones
    result = []
    for milestone in milestones:
        more = found.get(milestone.id.upper(), [])
        if more:
            table = stated_gate(milestone.gate)
            gate = "; ".join([table, *more] if table else more)
            milestone = attrs.evolve(milestone, gate=gate)
        result.append(milestone)
    return result


# A Decision Gate cell that states no gate: "none", "-", "TBD", "none (last milestone)".
_NO_GATE = lazy(r"(?:|-|—|–|none|n/?a|tbd|无)\s*(?:[(（].*[)）])?\s*\.?", re.IGNORECASE)


def stated_gate(gate: str) -> str:
    """
    ``gate`` on one line, or ``""`` when it states no gate (``none``, ``-``, ``TBD``, ``none
    (last milestone)``): what the results quote and ``bridge plan`` lists as not checked.
    """
    said = " ".join(gate.split())
    return "" if _NO_GATE.fullmatch(said) else said


_PRIORITY_TAG = lazy(r"[(（]([^()（）]{2,30})[)）]")


def criterion_sections(doc: Document) -> list[Block]:
    """
    For a plan without block headings: each milestone section (``## M0 — Sanity``, ``### M2.1
    Gap-filtered DPO``, ``## Milestone 3: …``) whose own text, before any subsection, states a
    success criterion, as a block of the milestone's id (029_airportaccess's ``M0``…``M8``,
    036_tangut-nlp's ``M0.1``…``M3.1``). Without this their criteria were dropped: no block, no
    verdict, nothing in the results. The first section of an id wins.
    """
    from bridge.plan.vocabulary import normalise_priority

    headings = doc.headings
    found: dict[str, Block] = {}
    for position, heading in enumerate(headings):
        if heading.level < 2 or heading.level > 4:
            continue
        text = re.sub(r"^\d+(?:\.\d+)*[.)]?\s+", "", plain(heading.text))
        if not (_M_WORD.match(text) or _M_ID.match(text)):
            continue
        mid, name = milestone_id(text)
        if mid in found:
            continue
        own_end = headings[position + 1].index if position + 1 < len(headings) else heading.end
        own_end = min(own_end, heading.end)
        if not any(f.key == "success" for f in read_fields(doc, heading.index + 1, own_end)):
            continue
        tags = [m.group(1).strip() for m in _PRIORITY_TAG.finditer(name)]
        priority = next((tag for tag in tags if normalise_priority(tag) is not None), "")
        title = _PRIORITY_TAG.sub("", name).strip() if priority else name
        parsed = BlockHeading(
            id=mid, title=title, priority_raw=priority, status_tag="", cost_raw=""
        )
        found[mid] = read_block(doc, heading, parsed, own_end)
    return list(found.values())


def _title(heading: Heading | None) -> str:
    return repr(plain(heading.text)) if heading is not None else "the plan"


def _tables(doc: Document, section: Heading | None, known: frozenset[str]) -> list[Milestone]:
    """
    The milestones of the milestone tables in ``section`` (the whole plan when None).
    """
    start, end = (section.index, section.end) if section else (0, len(doc.lines))
    milestones: list[Milestone] = []
    for table in doc.section_tables(start, end):
        first = plain(table.header[0]).casefold() if table.header else ""
        if any(first.startswith(word) for word in _FIRST_HEADERS):
            milestones.extend(_from_table(doc, table, known))
    return milestones


def says_sanity(milestone: Milestone) -> bool:
    """Whether a milestone's name or goal says it is the sanity check (not only its id M0)."""
    return bool(_SANITY.search(f"{milestone.name} {milestone.goal}"))


# A milestone that says it runs nothing: 014's M0 "Review candidate authority | no experiment";
# a Runs cell of "none" / "无" alone says the same.
_NO_RUNS = lazy(
    r"\bno\s+(?:experiments?|runs?|training)\b|无(?:需)?(?:实验|运行)|不(?:做|跑|运行)实验"
    r"|^\W*(?:none|n/?a|无)\W*$",
    re.IGNORECASE,
)


# A milestone that prepares the data the experiments use (011's M0 "Data Pipeline (Days 1-5,
# ~$30 API)"): its runs make the data, they check nothing of the pipeline's numbers.
_DATA_PREPARATION = lazy(
    r"\bdata\s+(?:pipeline|prep(?:aration)?|preprocessing|processing|curation|construction)\b"
    r"|\bpre-?processing\b|数据(?:准备|处理|预处理|流水线|管线|构建)",
    re.IGNORECASE,
)


class _NameAndGoal(Protocol):
    """A milestone as the plan gives it or as the log records it (``MilestoneInfo``)."""

    @property
    def name(self) -> str: ...

    @property
    def goal(self) -> str: ...


def says_data_preparation(milestone: _NameAndGoal) -> str:
    """
    The words of a milestone's name or goal (the first that does) saying it prepares data
    ("Data Pipeline", "数据预处理"), as written; ``""`` when neither says so. The scheduler asks
    it of the log's milestones (which run is checked alone first).
    """
    for text in (milestone.name, milestone.goal):
        if (found := _DATA_PREPARATION.search(text)) is not None:
            return found.group(0)
    return ""


def says_no_runs(milestone: Milestone) -> str:
    """
    The words of a milestone's Runs cell, name or goal (the first that does) saying it has no
    experiment to run, as written; ``""`` when none says so.
    """
    for text in (milestone.runs_raw, milestone.name, milestone.goal):
        if _NO_RUNS.search(text):
            return text.strip()
    return ""


def blocks_placed(runs: Iterable[tuple[str, str]], order: Sequence[str]) -> dict[str, list[str]]:
    """
    Each block's milestones that hold its runs, for :func:`why_no_runs`: ``runs`` as (block,
    milestone) pairs (``""`` for none), each block's milestones once, in ``order`` (the plan's
    milestones first); a milestone not in ``order`` (``""``, none) after them. One reading for
    ``bridge plan``, ``bridge run``'s header, ``bridge status`` and the results, so they name
    the same milestones.
    """
    placed: dict[str, list[str]] = {}
    for block, milestone in runs:
        if block and milestone not in placed.setdefault(block, []):
            placed[block].append(milestone)
    for where in placed.values():
        where.sort(key=lambda m: order.index(m) if m in order else len(order))
    return placed


def runs_of_its_systems(
    blocks: Iterable[tuple[str, Sequence[str]]], runs: Iterable[tuple[str, str, str]]
) -> dict[str, list[str]]:
    """
    Each block's compared systems' runs in other blocks, for :func:`why_no_runs`: ``blocks``
    as (id, compared systems), ``runs`` as (run id, block, the system it stands for); a run
    counts for a block when the system it stands for is one the block compares, as written
    (case and spacing aside). 040 given a run-order table whose M2 names B3, which compares
    B1's systems and has no runs of its own: "M2 (B3 has no runs)" beside B3's runs line
    "from other blocks: exact: R1 (B1), …" (trial s43 h43D).
    """
    listed = list(runs)
    found: dict[str, list[str]] = {}
    for block, systems in blocks:
        names = {" ".join(s.casefold().split()) for s in systems if s.strip()}
        found[block] = [
            run_id
            for run_id, other, system in listed
            if other and other != block and " ".join(system.casefold().split()) in names
        ]
    return found


def why_no_runs(
    blocks: Sequence[str],
    placed: Mapping[str, Sequence[str]],
    language: str,
    lent: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """
    Why a milestone of the plan has no runs, in a short phrase in ``language`` (``"zh"`` or
    English): where the runs of each of its ``blocks`` are instead (``placed``: a block's
    milestones holding its runs, in plan order, ``""`` for none, named as the results' section
    of runs of no milestone; a block absent has no runs, or, in ``lent``, none of its own, its
    systems' runs being other blocks': :func:`runs_of_its_systems`); ``""`` when it has no block: a
    milestone of no experiment (writing, implementation: 006's M4 "Paper Writing") needs no
    reason, and one would be noise. 018's M2 (B2) names JPH-B2-JT-S0 in its Runs cell, which
    runs once with its arms under M3: ``bridge run``'s header said «0 个运行» and the results
    «此里程碑没有运行。», the reason in ``bridge plan``'s warning only (trial t16).
    """
    zh = language == "zh"
    said = []
    for block in blocks:
        where = [m or ("（无里程碑）" if zh else "(no milestone)") for m in placed.get(block, ())]
        others = (lent or {}).get(block, ())
        if not where and others:
            # Its systems are run in other blocks, whose runs it is judged on (shared).
            ids = ("、" if zh else ", ").join(others)
            said.append(
                f"{block} 没有自己的运行（其对比系统的运行属于其他实验块：{ids}）"
                if zh
                else f"{block} has no runs of its own (its systems' runs are other blocks': {ids})"
            )
        elif not where:
            said.append(f"{block} 没有运行" if zh else f"{block} has no runs")
        elif zh:
            said.append(f"{block} 的运行都在 {'、'.join(where)} 中")
        else:
            said.append(f"{block}'s runs are in {', '.join(where)}")
    return ("；" if zh else "; ").join(said)


def mark_sanity(milestones: list[Milestone]) -> list[Milestone]:
    """
    Set ``sanity`` on the first milestone that is M0 or says sanity/smoke (and only that one).

    Args:
        milestones: milestones in plan order.

    Returns:
        The same milestones with the flag set on at most one.
    """
    result: list[Milestone] = []
    found = False
    for milestone in milestones:
        is_sanity = not found and (
            milestone.id == "M0" or bool(_SANITY.search(f"{milestone.name} {milestone.goal}"))
        )
        found = found or is_sanity
        result.append(attrs.evolve(milestone, sanity=is_sanity))
    return result


_PHASE = lazy(r"^(?:phase|stage|阶段)\s{0,2}\d{1,2}\b", re.IGNORECASE)


# The condition a milestone heading puts on the milestone (036's "DPO Follow-ups (GPU, only if
# M0 supports it)"), up to the end of its parenthesis or clause.
_HEADING_GATE = lazy(
    r"\b(?:only\s+(?:if|when|after)|unless)\b[^()（）;；,，]*|(?:仅当|仅在|只有在)[^()（）;；,，]*",
    re.IGNORECASE,
)


def heading_gate(name: str) -> str:
    """
    The gate a milestone's heading states, ``""`` when none: 036's M2 "DPO Follow-ups (GPU,
    only if M0 supports it)" gives «only if M0 supports it», which nothing quoted (trial h39E):
    listed with the plan's decision gates, never checked.
    """
    found = _HEADING_GATE.search(name)
    return found.group(0).strip().rstrip(".。") if found is not None else ""


def _from_headings(
    doc: Document,
    known: frozenset[str],
    used: set[int],
    section: Heading | None,
    *,
    phases: bool = False,
) -> list[Milestone]:
    """
    Milestones from headings: ``M0``/``Milestone 1`` anywhere, labelled ones (``Gate A``) inside
    the run-order section; with ``phases``, only numbered phase headings anywhere
    (``### Phase 0: …``), and only when there are at least two.
    """
    result: list[Milestone] = []
    taken: list[int] = []
    inside_end = -1
    for heading in doc.headings:
        if heading.level < 2 or heading.level > 4 or heading.index < inside_end:
            continue
        text = plain(heading.text)
        text = re.sub(r"^\d+(?:\.\d+)*[.)]?\s+", "", text)
        in_section = section is not None and section.index < heading.index < section.end
        if phases:
            if not _PHASE.match(text):
                continue
        elif not (
            _M_WORD.match(text) or _M_ID.match(text) or (in_section and _LABELLED.match(text))
        ):
            continue
        mid, name = milestone_id(text)
        body = doc.raw(heading.index + 1, heading.end)
        # "里程碑 2" is "Milestone 2": a run milestone by its word, as M2 is.
        labelled = not _M_ID.fullmatch(mid) and not mid.startswith("里程碑")
        gate = section_gate(body) or heading_gate(name)
        cost_raw, cost, cost_line = _prose_cost(doc, heading)
        result.append(
            Milestone(
                id=mid,
                name=name,
                goal=_first_line(body),
                blocks=block_refs(body, known),
                gate=gate,
                cost_raw=cost_raw,
                gpu_hours=cost,
                cost_line=cost_line,
                sanity=False,
                file=doc.file,
                line=heading.line,
                labelled=labelled,
            )
        )
        taken.append(heading.index)
        inside_end = heading.end
    if phases and len(result) < 2:
        return []
    used.update(taken)
    return result


def phase_headings_note(milestones: Sequence[Milestone]) -> str:
    """
    The warning that the milestones (at least one) were read from phase headings, the plan
    having no run-order table: where they come from, once.
    """
    return (
        f"no run-order table: milestones read from the {len(milestones)} phase headings "
        f"({milestones[0].id} … {milestones[-1].id}, from line {milestones[0].line})"
    )


def schedule_note(milestones: Sequence[Milestone], placed: Collection[str]) -> str | None:
    """
    The warning that the plan's milestones are its schedule, not its run order, or ``None``
    when they are taken as milestones (as before).

    They are its schedule when every one was read from a labelled heading
    (:attr:`~bridge.plan.model.Milestone.labelled`: ``### Phase 1``, ``### Week 3``), none
    lists a block of the plan, and there are runs but none is placed in any of them
    (``placed``: the milestone id of each run, ``""`` for none): 025's Phase 1–2, 026's
    Phase 0–7 and 032's Week 1–10, where every tracker run was of no milestone. Taken as
    milestones they ordered nothing, showed as an empty run order with "?" GPU-h, and the
    estimate left them all out ("~0.00 GPU-h (without Week 1, …, Week 10)"). The warning
    names what is written under them and no longer used: a GPU-hour cost, a decision gate.
    """
    ids = {m.id for m in milestones}
    if (
        not milestones
        or not placed
        or not all(m.labelled and not m.blocks for m in milestones)
        or any(p in ids for p in placed)
    ):
        return None
    first, last = milestones[0], milestones[-1]
    unused = "".join(
        f"; the cost written under {m.id} ({m.cost_raw}"
        + (f", line {m.cost_line}" if m.cost_line else "")
        + ") is not in the estimate"
        for m in milestones
        if m.gpu_hours is not None
    )
    if gated := [m.id for m in milestones if m.gate]:
        unused += f"; the decision gates under {', '.join(gated)} are not quoted"
    return (
        f"the {len(milestones)} headings {first.id} … {last.id} (from line {first.line}) are "
        "read as the plan's schedule, not its run order: no run and no block of the plan is "
        "in any of them, so they are not milestones and no milestone order holds back a run"
        f"{unused}; to order the runs by milestone, give the tracker a Milestone column or "
        "write a run-order table"
    )


def _prose_cost(doc: Document, heading: Heading) -> tuple[str, float | None, int]:
    """
    The GPU-hours a milestone's section states in its prose, not in a Cost column: the line
    that says them (its heading, or one of the section's first 2,000 characters), the hours,
    and that line's number (026's ``**预估成本**：~40 GPU-hours`` under Phase 2, line 75, which
    the estimate called "the plan's Cost column"); ``("", None, 0)`` when none does.
    """
    hours = gpu_hours(heading.text)
    if hours is not None:
        return plain(heading.text), hours, heading.line
    seen = 0
    for number, text in doc.text_lines(heading.index + 1, heading.end):
        if seen > 2000:
            break
        seen += len(text) + 1
        hours = gpu_hours(text)
        if hours is not None:
            return plain(text.strip().lstrip("-*>").strip()), hours, number
    return "", None, 0


_GOAL_LABEL = lazy(r"^(?:goal|objective|目标)\s{0,2}[:：]\s*", re.IGNORECASE)
_CHECKBOX = lazy(r"^\[[ xX✓]?\]\s*")


def _first_line(body: str) -> str:
    """
    The goal of a milestone section: its ``Goal:`` line without the label when it has one,
    otherwise its first line of text (without list marks or a checklist box).
    """
    first = ""
    for line in body.split("\n"):
        stripped = line.strip().lstrip("-*>").strip()
        if not stripped or stripped.startswith(("|", "#", "```")):
            continue
        text = _CHECKBOX.sub("", plain(stripped))
        goal = _GOAL_LABEL.match(text)
        if goal:
            return text[goal.end() :].strip()
        first = first or text
    return first


def no_milestones_found(doc: Document, section: Heading | None) -> str:
    """
    The plan's warning when it has no milestones of its own, with what to write
    (:data:`MILESTONES_TO_WRITE`): when its run-order ``section`` has a list whose steps name no
    milestone id (017's "## Run Order" steps 1.–5.), it says that list is why, by its line; it
    said "no run-order table, milestone headings or list" of a plan that had one.
    """
    line = next(
        (n for n, text in doc.text_lines(section.index + 1, section.end) if _LIST_ITEM.match(text)),
        None,
    ) if section is not None else None  # fmt: skip
    if line is None:
        return f"{NO_MILESTONES_FOUND}; write {MILESTONES_TO_WRITE}"
    return f"no milestones found: {UNNAMED_LIST.format(line=line)}; write {MILESTONES_TO_WRITE}"


def unnamed_list_line(warnings: Iterable[str]) -> int | None:
    """
    The line of the run-order list that names no milestone id, as a plan's recorded
    ``warnings`` say (:func:`no_milestones_found`); None when none says so.
    """
    for warning in warnings:
        if (found := _UNNAMED_LIST_READ.search(warning)) is not None:
            return int(found.group(1))
    return None


_LIST_ITEM = lazy(r"^\s*(?:[-*]|\d{1,2}[.)])\s+(.+)$")


def _from_list(doc: Document, section: Heading, known: frozenset[str]) -> list[Milestone]:
    result: list[Milestone] = []
    for line, text in doc.text_lines(section.index + 1, section.end):
        match = _LIST_ITEM.match(text)
        if not match:
            continue
        item = plain(match.group(1))
        if not (_M_ID.match(item) or _M_WORD.match(item)):
            continue
        mid, name = milestone_id(item)
        result.append(
            Milestone(
                id=mid,
                name=name,
                goal=name,
                blocks=block_refs(item, known),
                gate="",
                cost_raw="",
                gpu_hours=gpu_hours(item),
                sanity=False,
                file=doc.file,
                line=line,
            )
        )
    return result
