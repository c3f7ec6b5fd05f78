"""
Reading an EXPERIMENT_PLAN.md: header fields, claims, blocks, milestones, budget, risks.

Every section is optional and may come in any order, at H2 or H3, numbered, translated or
re-cased (FORMAT-NOTES §3). When a canonical section appears twice (large plans with appended
roadmaps), the first one is read and later ones are kept raw.
"""

from __future__ import annotations

import re

import attrs

from bridge.lazy_patterns import lazy
from bridge.plan.blocks import (
    free_block_number,
    match_block_heading,
    read_block,
    read_fields,
    unread_claim_ranges,
)
from bridge.plan.milestones import criterion_sections, no_milestones_found, read_milestones
from bridge.plan.model import Block, Budget, Claim, Milestone, Risk, Section
from bridge.plan.quantities import block_refs, gpu_hours, number_upper, stated_seed_count
from bridge.plan.text import Document, Heading, Table, plain
from bridge.plan.unread_thresholds import unread_thresholds
from bridge.plan.vocabulary import field_key, section_kind
from bridge.value_methods import value_methods

__all__ = ["PlanParts", "alternatives", "language_of", "read_plan_document"]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class PlanParts:
    """
    What one plan document says (the loader joins it with tracker and proposal).
    """

    title: str
    header: dict[str, str]
    problem: str
    thesis: str
    date: str
    language: str
    claims: tuple[Claim, ...]
    blocks: tuple[Block, ...]
    milestones: tuple[Milestone, ...]
    budget: Budget
    risks: tuple[Risk, ...]
    override_line: str
    override_line_number: int
    sections: tuple[Section, ...]
    warnings: tuple[tuple[int, str], ...]
    links: tuple[str, ...]


_HEADER_FIELD = lazy(
    r"^\s{0,3}(?:[-*]\s+)?\*\*(?P<bl>[^*]{1,60}?)\s{0,2}[:：]?\*\*\s{0,2}[:：]?\s*(?P<bv>.*)$"
    r"|^\s{0,3}(?P<pl>[A-Za-z][A-Za-z /_-]{0,30}|[\u4e00-\u9fff]{1,8})\s{0,2}[:：]\s*(?P<pv>.*)$"
)
_PROBLEM_KEYS = ("problem", "问题", "核心问题", "problem anchor", "research problem")
_THESIS_KEYS = ("method thesis", "thesis", "方法主张", "方法论主张", "方法论文", "方法论点")
_DATE_KEYS = ("date", "created", "日期", "当前日期", "创建日期")
_HARDWARE_KEYS = ("hardware", "硬件", "gpu", "compute")
_LINK = lazy(r"\]\(\s{0,2}<?([^)\s>]{1,300})>?\s{0,2}\)")
_OVERRIDE = lazy(r"^\s{0,3}(?:>\s*)?(?:—|–|--)\s*(?P<body>[A-Za-z_ ]{2,24}\s*[:=].*)$")
_CJK = lazy(r"[\u4e00-\u9fff]")


def language_of(text: str) -> str:
    """
    ``zh`` when Chinese carries a substantial share of the prose, else ``en``.

    Args:
        text: the plan text.

    Returns:
        ``zh`` or ``en``.
    """
    cjk = len(_CJK.findall(text))
    # About five ASCII characters (a word and its space) weigh as much as one Chinese character.
    letters = len(text.encode("ascii", "ignore")) / 5
    return "zh" if cjk and cjk / (cjk + letters) >= 0.3 else "en"


def _header_fields(doc: Document, start: int, end: int) -> tuple[dict[str, str], dict[str, int]]:
    fields: dict[str, str] = {}
    lines_of: dict[str, int] = {}
    current: str | None = None
    for number, line in doc.text_lines(start, end):
        match = _HEADER_FIELD.match(line)
        if match and (match.group("bl") or match.group("pl")):
            label = (match.group("bl") or match.group("pl") or "").strip()
            value = (match.group("bv") if match.group("bl") else match.group("pv")) or ""
            if label not in fields:
                fields[label] = value.strip()
                lines_of[label] = number
                current = label
            else:
                current = None
            continue
        if not line.strip() or line.lstrip().startswith(("#", "|", ">", "---")):
            if not line.strip() and current is not None and fields[current]:
                current = None
            continue
        if current is not None:
            fields[current] = (fields[current] + " " + line.strip()).strip()
    return fields, lines_of


def _pick(fields: dict[str, str], keys: tuple[str, ...]) -> str:
    for label, value in fields.items():
        if label.casefold().rstrip(":：") in keys and value:
            return value
    return ""


def _section_text(doc: Document, heading: Heading) -> str:
    return doc.raw(heading.index + 1, heading.end)


def _first_paragraph(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if out:
                break
            continue
        if line.lstrip().startswith(("#", "|", "```")):
            if out:
                break
            continue
        out.append(plain(line.strip().lstrip(">").strip()))
    return " ".join(out).strip()


def _claims(
    doc: Document, heading: Heading, warnings: list[tuple[int, str]], known: frozenset[str]
) -> list[Claim]:
    """
    The claim map's claims. A table's block column is read with ``known``, the plan's block ids
    that are not ``B<n>`` (034's ``| C1 (…) | P0, S2 | Table 1 |``: P0 and S2 are its blocks), so
    a claim's blocks are the plan's whatever their ids; claims written as fields or a list keep
    ``B<n>`` refs only, their text being prose that may name such ids for other things.
    """
    claims: list[Claim] = []
    for table in doc.section_tables(heading.index, heading.end):
        claim_col = _column(table, ("claim", "声明", "claim id", "id"))
        if claim_col is None:
            continue
        block_col = _column(
            table,
            (
                "linked blocks",
                "blocks",
                "block",
                "实验块",
                "experiments",
                "experiment",
                "linked experiments",
                "验证实验",
                "对应实验",
            ),
            contains=("block", "实验", "experiment"),
        )
        text_col = _column(table, ("statement", "claim text", "text", "description", "内容"))
        evidence_col = _column(table, ("evidence", "证据"), contains=("evidence", "证据"))
        for line, cells in table.rows:
            cell = plain(cells[claim_col])
            if not cell:
                continue
            text = plain(cells[text_col]) if text_col is not None else cell
            claim = _claim(
                cell,
                text,
                cells[block_col] if block_col is not None else "",
                len(claims) + 1,
                doc.file,
                line,
                known,
            )
            if evidence_col is not None and evidence_col != claim_col:
                claim = attrs.evolve(claim, evidence=plain(cells[evidence_col]))
            claims.append(claim)
    if claims:
        return claims
    for field in read_fields(doc, heading.index + 1, heading.end):
        claims.append(
            _claim(
                f"{field.label}: {field.value}",
                "",
                field.value,
                len(claims) + 1,
                doc.file,
                field.line,
            )
        )
    if not claims:
        for line, text in doc.text_lines(heading.index + 1, heading.end):
            match = re.match(r"^\s*(?:[-*]|\d{1,2}[.)])\s+(.*)$", text)
            if match and re.match(r"^\**\s*C\d", match.group(1)):
                claims.append(
                    _claim(match.group(1), "", match.group(1), len(claims) + 1, doc.file, line)
                )
    return claims


_CLAIM_ID = lazy(
    r"^\**\s*(?P<id>(?:anti[- ]?claim|claim)\s*\d{0,2}"
    r"|C\d{1,2}(?:\.[A-Za-z0-9]{1,3})?[a-z]?"
    # A word glued to the id by a hyphen, before its parenthesis or the cell's end, is the id's
    # own (005's "C2-supporting (deployment)" beside "C2": read as a second C2, with a warning
    # to give each row its own id, which the plan had done; h42D).
    # Not a range ("C1-C3", "C1-C2 (joint)": the claims from one to the other).
    r"(?:-(?!C\d)[A-Za-z][A-Za-z0-9]*(?=\**\s*(?:[(（]|$)))?"
    # A\d: an anti-claim's own id (002's "A1. Anti-claim: gains come only from …", which was
    # claim C3 by position, an id the plan does not have).
    r"|H\d{1,2}|A\d{1,2})"
    # A numbered id with a parenthesis needs no separator after it (023's "C0（系统身份/能力前提，
    # 不是首创 claim）ObsWorld 是 …", read as claim C1 by position, where its blocks say C0).
    r"(?:(?<=\d)\s*[(（][^)）]{0,80}[)）]\s*\**\s*(?:[:：.—–-]\s*)?"
    r"|\s*(?:[(（][^)）]{0,80}[)）])?\s*\**\s*(?:[:：.—–-]\s*|$))",
    re.IGNORECASE,
)


def _claim(
    cell: str,
    text: str,
    blocks_cell: str,
    position: int,
    file: str,
    line: int,
    known: frozenset[str] = frozenset(),
) -> Claim:
    cleaned = plain(cell)
    match = _CLAIM_ID.match(cleaned)
    if match:
        claim_id = match.group("id").strip()
        if re.match(r"[ch]\d", claim_id):
            # "c2" is C2, as a block's Claim tested field reads it (bridge.plan.blocks): kept
            # in lower case, it was a claim of its own beside a row "C2".
            claim_id = claim_id[0].upper() + claim_id[1:]
        rest = cleaned[match.end() :].strip()
    else:
        claim_id = f"C{position}"
        rest = cleaned
    if not text or text == cell:
        # 034's `| C1 (LIB better correlates with length than binary) | P0, S2 |`: the words in
        # parentheses are the claim, shown once ("C1: C1 (LIB …)" repeated the id).
        aside = None
        if match and not rest:
            aside = re.fullmatch(r"[^(（]*[(（]([^)）]+)[)）]\W*", cleaned)
        text = rest or (aside.group(1).strip() if aside else cleaned)
    return Claim(
        id=claim_id, text=text, blocks=block_refs(blocks_cell, known), file=file, line=line
    )


def _column(table: Table, names: tuple[str, ...], contains: tuple[str, ...] = ()) -> int | None:
    header = [plain(h).casefold() for h in table.header]
    for position, name in enumerate(header):
        if name in names:
            return position
    for position, name in enumerate(header):
        if any(word in name for word in contains):
            return position
    for position, name in enumerate(header):
        if any(name.startswith(word) for word in names):
            return position
    return None


def _budget(doc: Document, heading: Heading | None, header: dict[str, str]) -> Budget:
    hardware = _pick(header, _HARDWARE_KEYS)
    total: float | None = None
    raw = ""
    line = heading.line if heading else 0
    bottleneck = ""
    if heading is not None:
        raw = _section_text(doc, heading)
        fields = read_fields(doc, heading.index + 1, heading.end)
        for field in fields:
            label = field.label.casefold()
            if "bottleneck" in label or "瓶颈" in label:
                bottleneck = field.value
            elif not hardware and ("hardware" in label or "硬件" in label):
                hardware = field.value
        # A "Total … GPU" field first; else a field whose label says budget and whose value is
        # in GPU-hours ("Maximum pre-external budget: 15 local GPU-hours"), but not the budget
        # of a part ("Sanity budget", "per-run budget", "remaining budget").
        for field in fields:
            label = field.label.casefold()
            if ("total" in label or "合计" in label or "总" in label) and "gpu" in label:
                amount = gpu_hours(field.value)
                total = amount if amount is not None else number_upper(field.value)
                if total is not None:
                    line = field.line
                    break
        if total is None:
            for field in fields:
                label = field.label.casefold()
                if (
                    ("budget" in label or "预算" in label or _ALLOCATED.search(label))
                    and not _PART_BUDGET.search(label)
                    and (amount := gpu_hours(field.value)) is not None
                ):
                    total, line = amount, field.line
                    break
        if total is None:
            # A field whose label says GPU-hours and whose value what was granted (008's
            # "Current GPU-hours: 0 authorized, 0 executed"): the budget, read "not stated".
            for field in fields:
                granted = _GRANTED.match(plain(field.value))
                if (
                    granted is not None
                    and _GPU_HOURS_HEADER.search(plain(field.label))
                    and not _PART_BUDGET.search(field.label)
                ):
                    total, line = float(granted["n"].replace(",", "")), field.line
                    break
        if total is None:
            # The one field of the section in GPU-hours (038's "W7900 GPU1: approximately 4–7
            # GPU hours"), when only one is: several would be parts of the budget.
            stated = [
                (amount, field.line)
                for field in fields
                if not _PART_BUDGET.search(field.label)
                and (amount := gpu_hours(field.value)) is not None
            ]
            if len(stated) == 1:
                total, line = stated[0]
        if total is None:  # a total the header states (``**Total Budget**: ~2,500 GPU-hours``)
            total = _header_budget(header)
            line = _header_line(doc, header) or line if total is not None else line
        if total is None and (in_table := _table_total(doc, heading)) is not None:
            total, line = in_table
        if total is None:
            # The one line of the section that states GPU-hours as a cap or a total, fields
            # aside (017's bullet "Keep first pass under 1 GPU-day." under "## Compute
            # Budget"), when only one does: several would be parts of the budget, and a part's
            # cost ("the headline run alone needs ~40 GPU-hours") is not the plan's.
            said = [
                (amount, number)
                for number, text in doc.text_lines(heading.index + 1, heading.end)
                if not text.lstrip().startswith("|")
                and not _PART_BUDGET.search(text)
                and _CAP.search(text)
                and (amount := gpu_hours(plain(text))) is not None
            ]
            if len(said) == 1:
                total, line = said[0]
    if total is None:
        for number, text in doc.text_lines(0, len(doc.lines)):
            folded = text.casefold()
            if ("total" in folded or "合计" in text or "总" in text) and "gpu" in folded:
                amount = gpu_hours(text)
                if amount is not None:
                    total, line = amount, number
                    raw = raw or text.strip()
                    break
    if total is None:
        total = _header_budget(header)
        if total is not None:
            raw = raw or next(
                v for k, v in header.items() if "budget" in k.casefold() or "预算" in k
            )
    return Budget(
        gpu_hours=total, raw=raw, hardware=hardware, bottleneck=bottleneck, file=doc.file, line=line
    )


# A field of the budget section that states what was allocated (026's "原计划：~400
# GPU-hours" under "### 总预算", beside what was spent).
_ALLOCATED = lazy(r"^(?:原计划|计划|planned|allocated|allocation|cap|上限|分配)\b", re.IGNORECASE)
# A value that states what was granted: "0 authorized, 0 executed" (008's GPU-hours field).
_GRANTED = lazy(
    r"^~?\s*(?P<n>\d[\d,]*(?:\.\d+)?)\s+(?:authori[sz]ed|allocated|approved|budgeted)\b",
    re.IGNORECASE,
)
# A budget of a part of the plan, not the plan's.
# Words that make a line's GPU amount a cap or a total, not one part's cost.
_CAP = lazy(
    r"\b(?:budget|under|within|at most|up to|no more than|cap(?:ped)?|limit|total|keep"
    r"|max(?:imum)?)\b|[<≤]|预算|不超过|以内|总计|合计|上限",
    re.IGNORECASE,
)
_PART_BUDGET = lazy(
    r"\b(?:per|each|sanity|pilot|remaining|left|spent|used)\b|每|剩余|已用", re.IGNORECASE
)
# A table column of GPU-hours ("GPU-hrs", "GPU-Hours (A100-80GB)", "GPU h"), not GPUs per hour
# or GPU hardware.
_GPU_HOURS_HEADER = lazy(r"\bgpu[- ]?(?:hours?|hrs?|h)\b|\bgpuh\b|gpu\s*小时|卡时", re.IGNORECASE)


def _table_total(doc: Document, heading: Heading) -> tuple[float, int] | None:
    """
    The Total row of a table in the budget section, and its line: a GPU-hours column's number
    (``| Lane | CPU-hrs | GPU-hrs |``), whatever the other columns hold; else the row's.
    """
    for table in doc.section_tables(heading.index, heading.end):
        gpu_column = next(
            (
                i
                for i, name in enumerate(table.header)
                if i and _GPU_HOURS_HEADER.search(plain(name))
            ),
            None,
        )
        for row_line, cells in table.rows:
            first = plain(cells[0]).casefold() if cells else ""
            if "total" not in first and "合计" not in first and "总" not in first:
                continue
            if gpu_column is not None and gpu_column < len(cells):
                total = number_upper(plain(cells[gpu_column]))
            elif "gpu" in first:
                total = number_upper(" ".join(plain(c) for c in cells[1:]))
            else:
                total = gpu_hours(" ".join(plain(c) for c in cells[1:]))
            if total is not None:
                return total, row_line
    return None


def _header_line(doc: Document, header: dict[str, str]) -> int:
    """The line of the header field :func:`_header_budget` reads, or 0."""
    for label, value in header.items():
        named = "budget" in label.casefold() or "预算" in label
        if named and not _PART_BUDGET.search(label) and gpu_hours(value) is not None:
            return next(
                (
                    number
                    for number, text in doc.text_lines(0, min(len(doc.lines), 80))
                    if label in text and value.strip()[:20] in text
                ),
                0,
            )
    return 0


def budget_conflict(doc: Document, heading: Heading | None, budget: Budget) -> str | None:
    """
    A second total the budget section states that differs from the one read (032: "**Total
    Budget**: ~2,500 GPU-hours" in the header, "| **Total** | **~2,750** |" in the Compute
    Budget table): said, since a budget enforced or estimated against may be the wrong one.
    """
    if heading is None or budget.gpu_hours is None:
        return None
    other = _table_total(doc, heading)
    if other is None or other[1] == budget.line or other[0] == budget.gpu_hours:
        return None
    return (
        f"the plan states two compute budgets: {budget.gpu_hours:g} GPU-h (line {budget.line}, "
        f"the one used) and {other[0]:g} GPU-h (line {other[1]}, the budget table's total); "
        'bridge estimates and warns (or, with budget = "enforce", stops) against the first: '
        "make them agree"
    )


def _header_budget(header: dict[str, str]) -> float | None:
    """The GPU-hours of the first header field naming the budget that states them."""
    for label, value in header.items():
        if ("budget" in label.casefold() or "预算" in label) and not _PART_BUDGET.search(label):
            amount = gpu_hours(value)
            if amount is not None:
                return amount
    return None


def _risks(doc: Document, heading: Heading) -> list[Risk]:
    risks: list[Risk] = []
    for table in doc.section_tables(heading.index, heading.end):
        mitigation_col = _column(
            table, ("mitigation", "缓解", "缓解措施", "应对"), contains=("mitigat", "缓解")
        )
        for line, cells in table.rows:
            if cells and plain(cells[0]):
                risks.append(
                    Risk(
                        text=plain(cells[0]),
                        mitigation=plain(cells[mitigation_col])
                        if mitigation_col is not None
                        else "",
                        file=doc.file,
                        line=line,
                    )
                )
    if risks:
        return risks
    pending: Risk | None = None
    for field in read_fields(doc, heading.index + 1, heading.end):
        label = field.label.casefold()
        if label.startswith(("risk", "风险")):
            if pending:
                risks.append(pending)
            pending = Risk(text=field.value, mitigation="", file=doc.file, line=field.line)
        elif label.startswith(("mitigation", "缓解", "应对")) and pending is not None:
            risks.append(attrs.evolve(pending, mitigation=field.value))
            pending = None
        else:
            if pending:
                risks.append(pending)
                pending = None
            risks.append(
                Risk(
                    text=f"{field.label}: {field.value}",
                    mitigation="",
                    file=doc.file,
                    line=field.line,
                )
            )
    if pending:
        risks.append(pending)
    if not risks:
        for line, text in doc.text_lines(heading.index + 1, heading.end):
            match = re.match(r"^(?:[-*]|\d{1,2}[.)])\s+(.+)$", text)
            if match:
                risks.append(
                    Risk(text=plain(match.group(1)), mitigation="", file=doc.file, line=line)
                )
    return risks


def _example(doc: Document) -> str:
    """
    The block headings to write, numbered past the ``B<n>`` the plan already uses
    (:func:`~bridge.plan.blocks.free_block_number`), saying why when it is not 1.
    """
    n = free_block_number(doc)
    example = f"'### Block {n}: ...' or '### B{n}: ...'"
    return example if n == 1 else f"{example}: the plan already writes B1 … B{n - 1}"


def read_plan_document(doc: Document) -> PlanParts:
    """
    Read one plan document.

    Args:
        doc: the parsed Markdown of EXPERIMENT_PLAN.md.

    Returns:
        What the document says; absent sections give empty values and a warning.
    """
    warnings: list[tuple[int, str]] = [(w.line, w.message) for w in doc.warnings]
    headings = doc.headings
    title = ""
    first_section = len(doc.lines)
    for heading in headings:
        if heading.level == 1 and not title:
            title = plain(heading.text)
        elif heading.level >= 2:
            first_section = heading.index
            break
    header, header_lines = _header_fields(doc, 0, first_section)
    problem = _pick(header, _PROBLEM_KEYS)
    thesis = _pick(header, _THESIS_KEYS)
    date = _pick(header, _DATE_KEYS)

    kinds: dict[str, Heading] = {}
    run_orders: list[Heading] = []  # every run-order section: a gate table may come first
    used: set[int] = set()
    for heading in headings:
        if heading.level < 2 or heading.level > 3:
            continue
        kind = section_kind(heading.text)
        if kind is None or match_block_heading(heading.text, generic_codes=False) is not None:
            continue
        if kind == "run_order":
            run_orders.append(heading)
        if kind not in kinds:
            kinds[kind] = heading
            used.add(heading.index)
    if not problem and "problem" in kinds:
        problem = _first_paragraph(_section_text(doc, kinds["problem"]))
    if not thesis and "thesis" in kinds:
        thesis = _first_paragraph(_section_text(doc, kinds["thesis"]))

    blocks = _blocks(doc, kinds.get("blocks"), used, warnings)
    # No block headings: milestone sections that state a success criterion stand as blocks.
    sectioned = [] if blocks else criterion_sections(doc)
    blocks = blocks or sectioned
    warnings.extend(_seed_disagreements(blocks))
    warnings.extend(_claim_ranges_unread(blocks))
    known = frozenset(b.id for b in blocks if not re.fullmatch(r"B\d+(?:\.\d+)?", b.id))
    claims = _claims(doc, kinds["claims"], warnings, known) if "claims" in kinds else []
    milestones, milestone_warnings = read_milestones(
        doc,
        kinds.get("run_order"),
        known,
        used,
        frozenset(b.id for b in blocks),
        others=tuple(run_orders[1:]),
    )
    warnings.extend(milestone_warnings)
    if sectioned:
        # A milestone whose own section is the block has that block, whatever else its text
        # mentions (029's M7 "re-run M2–M6 on SFO" is M7's check, not M2's to M6's).
        own = {b.id for b in sectioned}
        milestones = [attrs.evolve(m, blocks=(m.id,)) if m.id in own else m for m in milestones]
    budget = _budget(doc, kinds.get("budget"), header)
    if (conflict := budget_conflict(doc, kinds.get("budget"), budget)) is not None:
        warnings.append((budget.line, conflict))
    risks = _risks(doc, kinds["risks"]) if "risks" in kinds else []

    override_line, override_number = "", 0
    links: list[str] = []
    for number, text in doc.text_lines(0, len(doc.lines)):
        if not override_line:
            match = _OVERRIDE.match(text)
            if match:
                override_line, override_number = match.group("body").strip(), number
        if len(links) < 20:
            links.extend(_LINK.findall(text)[:5])

    sections = tuple(
        Section(
            heading=h.text, level=h.level, text=_section_text(doc, h), file=doc.file, line=h.line
        )
        for h in headings
        if h.level == 2 and h.index not in used
    )
    if not kinds and not blocks:
        warnings.append(
            (
                0,
                "no recognisable plan section (claim map, experiment blocks, run "
                "order, budget); the plan is read as free text",
            )
        )
    elif not blocks:
        warnings.append((0, f"no experiment block headings found (expected e.g. {_example(doc)})"))
    elif sectioned:
        shown = ", ".join(b.id for b in sectioned[:12]) + (" …" if len(sectioned) > 12 else "")
        warnings.append(
            (
                sectioned[0].line,
                "no experiment block headings; the milestone sections that state a success "
                f"criterion stand as blocks ({shown}), each judged on the runs of its milestone "
                "or named by its id",
            )
        )
    if not milestones and blocks:
        warnings.append((0, no_milestones_found(doc, kinds.get("run_order"))))
    for block in blocks:
        gated = next((f for f in block.fields if f.key == "success"), None)
        if gated is not None and field_key(gated.label) != "success":
            warnings.append(
                (
                    gated.line,
                    f"block {block.id} writes no Success criterion; its {gated.label!r} is read "
                    "as one (what the block must show)",
                )
            )
        warnings.extend(alternatives(block))
        # Tiers after the criterion, thresholds in a block with none: shown, never dropped.
        warnings.extend(unread_thresholds(block))
    text_for_language = "\n".join(line for _, line in doc.text_lines(0, len(doc.lines)))
    del header_lines
    return PlanParts(
        title=title,
        header=header,
        problem=problem,
        thesis=thesis,
        date=date,
        language=language_of(text_for_language),
        claims=tuple(claims),
        blocks=tuple(blocks),
        milestones=tuple(milestones),
        budget=budget,
        risks=tuple(risks),
        override_line=override_line,
        override_line_number=override_number,
        sections=sections,
        warnings=tuple(warnings),
        links=tuple(links),
    )


# A system the plan runs only if something holds ("(a) DiffAdapt setup if released"), and the
# one it runs otherwise ("else (b) NYU probe replication").
_IF_AVAILABLE = lazy(
    r"\bif\s+(?:it\s+is\s+|they\s+are\s+)?(?:released|available|public|open[- ]?sourced?|"
    r"accessible|feasible|possible|reproducible)\b|若(?:已)?(?:发布|开源|可用)|如果(?:已)?(?:发布|开源|可用)",
    re.IGNORECASE,
)
_OTHERWISE = lazy(r"^\W*(?:else|otherwise|or\s+else|否则)\b", re.IGNORECASE)


def alternatives(block: Block, block_row: str = "") -> list[tuple[int, str]]:
    """
    A block whose systems are alternatives, one run only if it can be ("(a) X if released, else
    (b) Y", 034's M2): both are planned as runs of the block's priority, and the one that cannot
    run would fail as a must-run (trial O3); said, with what to do. ``block_row``: where the
    block's row is (``EXPERIMENT_TRACKER.md:13``) when the tracker lists blocks, not runs: there
    no row is the run's own, and NOT RUN on the block's row would leave out all its runs (034's
    M1, trial t7: the advice named a row that did not exist).
    """
    found: list[tuple[int, str]] = []
    for first, second in zip(block.systems, block.systems[1:], strict=False):
        # The "else" is no part of the second's name (blocks._items takes it off): it is
        # found where the plan writes it, before that name.
        otherwise = _OTHERWISE.match(second) or re.search(
            rf"(?:\belse|\botherwise|否则)\W*{re.escape(second)}", block.systems_raw, re.IGNORECASE
        )
        if _IF_AVAILABLE.search(first) and otherwise:
            advice = (
                "the tracker lists blocks, not runs, so it has no row for either (NOT RUN — "
                f"<reason> on {block.id}'s row, {block_row}, takes all of {block.id}'s runs out "
                "of scope, and bridge's run table below the marker is not read): remove the one "
                "that will not run from the block's systems"
                if block_row
                else "mark the one that will not run NOT RUN — <reason> in its tracker row, or "
                "remove it from the block's systems"
            )
            found.append(
                (
                    block.line,
                    f"block {block.id}'s systems {first!r} and {second!r} are alternatives (one "
                    f"runs only if it can): both are planned as runs; {advice}",
                )
            )
    return found


def _claim_ranges_unread(blocks: list[Block]) -> list[tuple[int, str]]:
    """
    Warn where a block's Claim tested field writes a range read as its two ends only ("C1-C30":
    more than 20 claims, or backwards): it was read so with no word (review h43R2).
    """
    warnings: list[tuple[int, str]] = []
    for block in blocks:
        field = next((f for f in block.fields if f.key == "claim"), None)
        if field is None:
            continue
        for said in unread_claim_ranges(field.value):
            warnings.append(
                (
                    field.line,
                    f"{block.id}: the claim range '{said}' is backwards or spans more than 20 "
                    "claims; read as its two ends only (name the claims one by one)",
                )
            )
    return warnings


def _seed_disagreements(blocks: list[Block]) -> list[tuple[int, str]]:
    """
    Warn where a block writes seed values and also states a different number of seeds
    (``Seed: 42 (run 3 seeds only if ...)``): the values are used, and the user should know.
    """
    # Here, not at the top: bridge.plan.overview reads the loaded project, which this reads.
    from bridge.plan.overview import counted

    warnings: list[tuple[int, str]] = []
    for block in blocks:
        if not block.seeds:
            continue
        stated = stated_seed_count(f"{block.heading}\n{block.text}")
        if stated is not None and stated != len(block.seeds):
            shown = ", ".join(str(s) for s in block.seeds[:10])
            more = ", …" if len(block.seeds) > 10 else ""
            warnings.append(
                (
                    block.line,
                    f"block {block.id} writes {counted(len(block.seeds), 'seed value')} "
                    f"({shown}{more}) but also says {counted(stated, 'seed')}; the written values "
                    "are used",
                )
            )
    return warnings


def _blocks(
    doc: Document, section: Heading | None, used: set[int], warnings: list[tuple[int, str]]
) -> list[Block]:
    described: dict[str, list[Block]] = {}
    for heading in doc.headings:
        inside = section is not None and section.index < heading.index < section.end
        if heading.level > 4 or heading.level < 2 or (heading.level == 4 and not inside):
            continue
        parsed = match_block_heading(heading.text, generic_codes=inside)
        if parsed is None:
            continue
        used.add(heading.index)
        described.setdefault(parsed.id, []).append(read_block(doc, heading, parsed, heading.end))
    for versions in described.values():
        warnings.extend(_conflicts(versions))
    return [_merge(versions) for versions in described.values()]


def _conflicts(versions: list[Block]) -> list[tuple[int, str]]:
    """
    A block id described again with another title or another success criterion: two blocks
    under one id (a copied heading, trial N3 on 012's `### B2:` twice), of which only the
    first's criterion is judged. Said at the later heading; a later description that only
    adds what the first left out is the same block.
    """
    first = versions[0]
    said: list[tuple[int, str]] = []
    for later in versions[1:]:
        titles = first.title and later.title and first.title != later.title
        criteria = (
            first.success_criterion
            and later.success_criterion
            and first.success_criterion != later.success_criterion
        )
        if not (titles or criteria):
            continue
        what = "another title" if titles else "another success criterion"
        said.append(
            (
                later.line,
                f"block {first.id} is described again with {what} (first at line "
                f"{first.line}): read as one block, whose criterion is the first's; give the "
                "second its own id if it is another block",
            )
        )
    return said


def _merge(versions: list[Block]) -> Block:
    """
    One block from its descriptions: the first wins, later ones fill what it left empty.

    All descriptions are merged in one pass so a block described many times costs linear time.
    """
    first = versions[0]
    if len(versions) == 1:
        return first
    changes: dict[str, object] = {
        "fields": tuple(f for version in versions for f in version.fields),
        "text": "\n\n".join(version.text for version in versions),
    }
    for field in attrs.fields(Block):
        if field.name in changes or getattr(first, field.name) not in ("", (), None):
            continue
        for later in versions[1:]:
            value = getattr(later, field.name)
            if value not in ("", (), None):
                changes[field.name] = value
                break
    # arg-type: the field names are found at run time; Block's own validators check the values.
    return attrs.evolve(first, **changes)  # type: ignore[arg-type]
