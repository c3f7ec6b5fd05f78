"""
Experiment blocks: recognising block headings in all their shapes and reading labelled fields.

Heading shapes and label styles are those of FORMAT-NOTES §4-§5: ``Block 1:``, ``Block 1 (B1) —``,
``B1：``, ``块 1：``, ``Experiment Block A:``, ``RQ1 / Block 1:``, tags such as ``[COMPLETE]`` or
``(NICE-TO-HAVE)`` stripped into fields; labels bold or plain, colon inside or outside the bold,
ASCII or full-width, with an optional parenthetical and a value on the line or as a nested list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from bridge.compile_cache import pattern as compile_pattern
from bridge.lazy_patterns import lazy
from bridge.plan.gates import LabelledGate, labelled_gate
from bridge.plan.metric_names import metric_key, plan_metric_names
from bridge.plan.model import Block, Field
from bridge.plan.quantities import (
    COUNT_WORDS,
    gpu_hours,
    normalise_block_id,
    seeds,
    seeds_run_together,
    split_list,
)
from bridge.plan.text import Document, Heading, plain
from bridge.plan.vocabulary import ZH_WHEN, field_key, normalise_heading, normalise_priority
from bridge.value_methods import value_methods

__all__ = [
    "BlockHeading",
    "free_block_number",
    "match_block_heading",
    "proposed_line",
    "read_block",
    "read_fields",
    "system_descriptions",
]

_SEP = r"\s{0,3}(?:[:：.—–\-]|$|\s(?=\S))"
_DONE_ITEM = lazy(r"^\s*(?:[-*+]|\d{1,2}[.)])\s+\[[xX✓✔]\]")
_BLOCK_WORD = lazy(
    r"^(?:rq\s?\d{1,3}\s{0,2}/\s{0,2})?(?:(?:nice[- ]to[- ]have|must[- ]run|optional)\s+)?"
    r"(?:experiment(?:al)?\s+)?block\s{1,3}"
    r"(?P<id>[A-Za-z]{0,2}\d{1,3}(?:\.\d{1,2})?[a-z]?|[A-Z](?![\w]))"
    r"(?:\s{0,2}[(（](?P<alias>B\d{1,3}(?:\.\d{1,2})?)[)）])?" + _SEP,
    re.IGNORECASE,
)
_CHINESE_BLOCK = compile_pattern(r"^块\s{0,2}(?P<id>\d{1,3}(?:\.\d{1,2})?)" + _SEP)
_SHORT_BLOCK = lazy(r"^(?P<id>B\d{1,3}(?:\.\d{1,2})?[a-z]?)(?:\s{0,2}[:：—–\-]|\s{1,3}(?=\S)|$)")
_EXPERIMENT_N = compile_pattern(r"^experiment\s{1,3}(?P<id>\d{1,3})" + _SEP, re.IGNORECASE)
_CODE_BLOCK = lazy(r"^(?P<id>(?:E|A|P|S|RQ|L)\d{1,3}(?:\.\d{1,2})?)\s{0,2}[:：—–\-]")
_TRAILING_ID = lazy(r"[(（](?P<id>B\d{1,3}(?:\.\d{1,2})?)[)）]\s*$")
_TAG = lazy(r"\[([^\]]{1,80})\]|[(（]([^)）]{1,80})[)）]")
_DASH_TAG = lazy(r"\s[—–-]{1,2}\s*([A-Z][A-Z0-9 \-★✓/]{2,40}★?)\s*$")
_STATUS_WORDS = ("complete", "done", "locked", "new", "wip", "in progress", "blocked", "pending")
_EMOJI_STATUS = ("✅", "⚠️", "❌", "🔄", "⏳")


# A block id as the plan writes it anywhere ("B1-B10", "Block 3"); "3B" (a model size) is none.
_NUMBERED_ID = lazy(r"\b(?:B|Block\s{1,3})(\d{1,3})\b")


def free_block_number(doc: Document) -> int:
    """
    The number the block headings bridge suggests start from (``### Block n: …``): 1, or one
    past the highest ``B<n>`` the plan already writes, as 032 names its baselines B1–B10. A
    suggested ``### Block 1`` there made block ids B1/B2 that its milestone "Run B1-B6 (FedAvg,
    …)" and the baselines table already meant: following bridge's advice broke the plan.
    """
    lines = doc.text_lines(0, len(doc.lines))
    found = [int(m.group(1)) for _, text in lines for m in _NUMBERED_ID.finditer(text)]
    return max(found, default=0) + 1


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class BlockHeading:
    """
    What a block heading says.

    Args:
        id: normalised block id.
        title: the title without id and tags.
        priority_raw: a priority tag from the heading, or ``""``.
        status_tag: a status tag from the heading, or ``""``.
        cost_raw: a cost tag from the heading, or ``""``.
    """

    id: str
    title: str
    priority_raw: str
    status_tag: str
    cost_raw: str


def match_block_heading(text: str, *, generic_codes: bool) -> BlockHeading | None:
    """
    Recognise a block heading.

    Args:
        text: the heading text as written.
        generic_codes: also accept ``E1:``/``A1:``/``P0:``-style codes (only inside an
            Experiment Blocks section, where they cannot be confused with other headings).

    Returns:
        The parsed heading, or None when this is not a block heading.
    """
    cleaned = normalise_heading(text) if text else ""
    # Keep the original case for ids and titles: strip numbering and marks the same way.
    original = plain(text)
    original = re.sub(
        r"^(?:part\s+\d+\s*[:.：]\s*|\d+(?:\.\d+)*[.)]?\s+|[一二三四五六七八九十]+\s*[、.．]\s*)",
        "",
        original,
        count=1,
        flags=re.IGNORECASE,
    ).strip()
    if not cleaned:
        return None
    match = (
        _BLOCK_WORD.match(original)
        or _CHINESE_BLOCK.match(original)
        or _SHORT_BLOCK.match(original)
        or _EXPERIMENT_N.match(original)
        or (_CODE_BLOCK.match(original) if generic_codes else None)
    )
    if match is None:
        return None
    raw_id = match.group("id")
    if match.re is _EXPERIMENT_N:
        block_id = f"E{raw_id}"
    elif match.re is _CHINESE_BLOCK:
        block_id = f"B{raw_id}"
    else:
        alias = match.groupdict().get("alias")
        block_id = normalise_block_id(alias or raw_id)
        if len(raw_id) == 1 and raw_id.isalpha():
            block_id = raw_id.upper()
    rest = original[match.end() :].strip().lstrip(":：.—–- ").strip()
    trailing = _TRAILING_ID.search(rest)
    if trailing:
        rest = rest[: trailing.start()].strip()
    priority_raw = ""
    status_tag = ""
    cost_raw = ""
    for tag in _TAG.finditer(rest):
        content = (tag.group(1) or tag.group(2) or "").strip()
        folded = content.casefold()
        if not priority_raw and normalise_priority(content) is not None:
            priority_raw = content
        elif not cost_raw and gpu_hours(content) is not None:
            cost_raw = content
        elif not status_tag and any(folded.startswith(word) for word in _STATUS_WORDS):
            status_tag = content
        else:
            continue
    dash = _DASH_TAG.search(rest)
    if dash and not priority_raw and normalise_priority(dash.group(1)) is not None:
        priority_raw = dash.group(1).strip()
        rest = rest[: dash.start()].strip()
    for mark in _EMOJI_STATUS:
        if mark in text and not status_tag:
            status_tag = mark
    if not cost_raw:
        cost = gpu_hours(rest)
        if cost is not None:
            cost_raw = rest
    title = _TAG.sub(
        lambda m: (
            ""
            if (m.group(1) or m.group(2) or "").strip() in (priority_raw, status_tag, cost_raw)
            else m.group(0)
        ),
        rest,
    ).strip(" —–-:：")
    return BlockHeading(
        id=block_id,
        title=title,
        priority_raw=priority_raw,
        status_tag=status_tag,
        cost_raw=cost_raw,
    )


_BULLET = lazy(r"^(?P<indent>\s*)(?P<mark>[-*+]|\d{1,3}[.)])\s+(?P<rest>.*)$")
_BOLD_LABEL = lazy(
    r"^\*\*(?P<label>[^*]{1,100}?)\s{0,2}(?P<inner>[:：])?\*\*\s{0,2}(?:[(（][^)）]{0,200}[)）]\s{0,2})?(?P<outer>[:：])?\s*"
)
_PLAIN_LABEL = lazy(
    r"^(?P<label>[^:：*`\[\]()（）|]{1,48}?)\s{0,2}(?:[(（][^)）]{0,120}[)）]\s{0,2})?[:：](?!//)\s*"
)


def _label(rest: str) -> tuple[str, str] | None:
    bold = _BOLD_LABEL.match(rest)
    if bold and (bold.group("inner") or bold.group("outer")):
        label = re.sub(r"\s*[(（][^)）]*[)）]\s*", " ", bold.group("label")).strip()
        return label, rest[bold.end() :].strip()
    if bold:
        # "- **Success criterion** b.4 rejects ≥ 90% …" (a colon left out, trial N2 on 004):
        # a known field's name in bold before its text is that field; read as emphasis, the
        # block lost its criterion without a word. Other bold words stay emphasis.
        label = bold.group("label").strip()
        after = rest[bold.end() :].strip()
        if field_key(label) is not None and after and not bold.group("label").endswith(" "):
            return label, after
        return None
    match = _PLAIN_LABEL.match(rest)
    if match is None:
        return None
    label = match.group("label").strip()
    # A plain label must be short and either known or label-like (few words), not prose.
    if field_key(label) is None and (len(label.split()) > 5 or not label):
        return None
    return label, rest[match.end() :].strip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def read_fields(doc: Document, start: int, end: int) -> list[Field]:
    """
    Read the labelled values in lines ``[start, end)``.

    A value is the text after the label plus every following line that belongs to it: deeper
    indented lines (a nested list, joined line by line with their bullets removed) and wrapped
    lines without a bullet, up to the next bullet at the same or a shallower indentation, a
    heading, a table or a blank line followed by shallower text.

    Args:
        doc: the document.
        start: first 0-based line index.
        end: one past the last line index.

    Returns:
        The fields in order; unknown labels have ``key == ""``.
    """
    fields: list[Field] = []
    i = start
    lines = doc.lines
    while i < end:
        if doc.in_fence[i]:
            i += 1
            continue
        line = lines[i]
        bullet = _BULLET.match(line)
        indent = _indent(line)
        rest = bullet.group("rest") if bullet else line.strip()
        found = _label(rest) if rest and not rest.startswith(("#", "|", ">")) else None
        if found is None or (bullet is None and indent > 0):
            i += 1
            continue
        label, value = found
        parts = [value] if value else []
        paragraph = False  # a blank line came before this one: a new part
        j = i + 1
        while j < end:
            nxt = lines[j]
            if not nxt.strip():
                k = j + 1
                while k < end and not lines[k].strip():
                    k += 1
                if k < end and _indent(lines[k]) > indent and not doc.in_fence[k]:
                    j = k
                    paragraph = True
                    continue
                break
            if doc.in_fence[j]:
                parts.append(nxt.strip())
                j += 1
                continue
            stripped = nxt.strip()
            if stripped.startswith(("#", "|")):
                break
            nested = _BULLET.match(nxt)
            if nested and _indent(nxt) <= indent:
                break
            if nested is None and _indent(nxt) <= indent and (bullet is None and _label(stripped)):
                break
            if nested is None and parts and not paragraph and not doc.in_fence[j - 1]:
                # A line the value wraps onto (008's "…, validated tool" / "replay, and
                # combined replay arms."): the same item, not a new one.
                cjk = _CJK.match(parts[-1][-1:]) and _CJK.match(stripped[:1])
                parts[-1] = f"{parts[-1]}{'' if cjk else ' '}{stripped}"
            else:
                parts.append(nested.group("rest").strip() if nested else stripped)
            paragraph = False
            j += 1
        if (
            not parts
            and bullet is None
            and field_key(label) is not None
            and j < end
            and not lines[j].strip()
        ):
            # "Metrics:" on a line of its own, a blank line, then its list at the same indent
            # (030's blocks): the list is its value; read as nothing, every block lost its
            # metrics without a word (trial T7).
            listed, j = _list_after(doc, j, end, indent)
            parts.extend(listed)
        elif not parts and bullet is None and field_key(label) is not None:
            # "**Success criterion**:" and right under it "- ORFN-15 aggregate net ≥ …" (033's
            # E7, trial t14): the list is its value. Only items labelled by ids ("- C4: …")
            # were read (as fields of their own); a list without them left the block with no
            # criterion, and a warning that it wrote none.
            listed, j = _items_under(doc, j, end, indent)
            parts.extend(listed)
        fields.append(
            Field(
                label=label, key=field_key(label) or "", value="\n".join(parts).strip(), line=i + 1
            )
        )
        i = j
    return fields


def _list_after(doc: Document, at: int, end: int, indent: int) -> tuple[list[str], int]:
    """
    The items of the list that follows blank lines from ``at`` at ``indent`` (their wrapped or
    nested lines joined to them), and the index after it; ``([], at)`` when no list follows.
    """
    lines = doc.lines
    k = at
    while k < end and not lines[k].strip():
        k += 1
    items: list[str] = []
    while k < end and not doc.in_fence[k]:
        line = lines[k]
        if not line.strip():
            ahead = k + 1
            while ahead < end and not lines[ahead].strip():
                ahead += 1
            following = lines[ahead] if ahead < end else ""
            if _BULLET.match(following) and _indent(following) == indent and items:
                k = ahead
                continue
            break
        bullet = _BULLET.match(line)
        if bullet and _indent(line) == indent:
            items.append(bullet.group("rest").strip())
        elif items and _indent(line) > indent:
            items[-1] = f"{items[-1]} {line.strip()}"
        else:
            break
        k += 1
    return (items, k) if items else ([], at)


def _items_under(doc: Document, at: int, end: int, indent: int) -> tuple[list[str], int]:
    """
    The items of the list that starts right at ``at`` at ``indent``, with no blank line before
    it: each item's text (an id label such as ``C4:`` left out, its wrapped or nested lines
    joined to it) and the index after the list. It ends at a blank line, at a line that is not
    in the list, or at an item with a label of another kind (``- Strong result: …``, a tier
    that :mod:`bridge.plan.unread_thresholds` shows). ``([], at)`` when no item is unlabelled:
    a list of id-labelled items alone is read by :func:`_with_listed_values`.
    """
    lines = doc.lines
    items: list[str] = []
    unlabelled = False
    k = at
    while k < end and not doc.in_fence[k] and lines[k].strip():
        line = lines[k]
        bullet = _BULLET.match(line)
        if bullet is not None and _indent(line) == indent:
            rest = bullet.group("rest").strip()
            found = _label(rest)
            if found is not None and not _ITEM_ID.fullmatch(found[0]):
                break
            unlabelled = unlabelled or found is None
            items.append(rest if found is None else found[1])
        elif items and _indent(line) > indent:
            nested = _BULLET.match(line)
            items[-1] = f"{items[-1]} {nested.group('rest').strip() if nested else line.strip()}"
        else:
            break
        k += 1
    return (items, k) if unlabelled else ([], at)


# Chinese text wraps without a space between its lines.
_CJK = lazy(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

# In any case ("c2" is C2: read in capitals only, "Claim tested: c1-c3" named no claim, with
# no word, where "C1-C3" named claims; third review s42), but see :func:`_claim_ids`.
_CLAIM_IDS = lazy(r"\b(?:C\d{1,2}(?:\.[a-z0-9]{1,3})?[a-z]?|H\d{1,2})\b", re.IGNORECASE)
# "C1-C3", "C1–C3", "C1-3", "C1 to C3", «C1 至 C3», «C1～C3»: the claims from one to the other
# (read as C1 and C3, C2 left out; "C1-3" as C1 alone; review h43R2).
_CLAIM_RANGE = lazy(
    r"\b(?P<p>[CH])(?P<a>\d{1,2})(?:[-–—~～](?=\d)|\s*[-–—~～]\s*(?P=p)|\s+(?:to|through|thru)\s+(?P=p)"
    r"|\s*(?:至|到)\s*(?P=p))(?P<b>\d{1,2})\b",
    re.IGNORECASE,
)
_MAX_CLAIM_RANGE = 20


def _claim_ids(field: str) -> tuple[str, ...]:
    """
    The claim ids a block's Claim tested field names, in order, each with its letter in
    capitals (``c2`` → ``C2``) and a range ``C1-C3`` read as ``C1, C2, C3`` (one of more than
    :data:`_MAX_CLAIM_RANGE` claims, or backwards, as its two ends: :func:`unread_claim_ranges`
    says so).

    An id in lower case is read only in a field that writes none in capitals, and only of the
    first id's letter: beside "C1–C3" a "c4 dataset" is the corpus, and after "c1, c2" an
    "h2 heading" is no hypothesis (review h43R2).
    """
    named: list[tuple[bool, str, tuple[str, ...]]] = []  # (in capitals, letter, ids)
    position = 0
    while (match := _CLAIM_IDS.search(field, position)) is not None:
        ranged = _CLAIM_RANGE.match(field, match.start())
        capital = match[0][0].isupper()
        letter = match[0][0].upper()
        if ranged is not None and 0 < int(ranged["b"]) - int(ranged["a"]) <= _MAX_CLAIM_RANGE:
            span = range(int(ranged["a"]), int(ranged["b"]) + 1)
            named.append((capital, letter, tuple(f"{letter}{n}" for n in span)))
            position = ranged.end()
            continue
        named.append((capital, letter, (letter + match[0][1:],)))
        position = match.end()
    if any(capital for capital, _, _ in named):
        named = [n for n in named if n[0]]
    elif named:
        named = [n for n in named if n[1] == named[0][1]]
    return tuple(dict.fromkeys(i for _, _, ids in named for i in ids))


def unread_claim_ranges(field: str) -> tuple[str, ...]:
    """
    The ranges of a Claim tested field :func:`_claim_ids` reads as their two ends only:
    backwards ("C3-C1") or of more than :data:`_MAX_CLAIM_RANGE` claims ("C1-C30").
    """
    return tuple(
        m[0]
        for m in _CLAIM_RANGE.finditer(field)
        if not 0 < int(m["b"]) - int(m["a"]) <= _MAX_CLAIM_RANGE
    )


# A gate that says when to stop or what to do if ("STOP gate: If F1 < 0.55, …") is a decision
# rule, not what the block must show: read as a criterion it would be met exactly when the block
# fails.
_STOP_GATE = lazy(r"stop|kill|abort|halt|fail|pivot|no[- ]?go|止|停", re.IGNORECASE)
_CONDITIONAL = lazy(rf"^(?:(?:if|when|unless|如果|若)\b|{ZH_WHEN})", re.IGNORECASE)


def _success_gate(text: str) -> LabelledGate | None:
    """
    A block body's labelled gate that states what the block must show (``Promotion gate:``,
    ``Architecture gate:`` and the list under it), or None: never a stop rule or an
    if-then decision.
    """
    gate = labelled_gate(text)
    if gate is None or _STOP_GATE.search(gate.label) or _CONDITIONAL.match(gate.items[0]):
        return None
    return gate


def _one_line(criterion: str) -> str:
    """
    A criterion written as a list under its label (014's "Go gate:" and four items, each
    ending ";") on one line, its items as clauses: shown as written it broke the plan view's
    and the results' layout.
    """
    lines = [line.strip() for line in criterion.splitlines() if line.strip()]
    return "".join(
        line if n == 0 else (" " if lines[n - 1].endswith((";", "；", ".", "。")) else "; ") + line
        for n, line in enumerate(lines)
    )


# "C1", "H2", "A3": an id labelling one item of a list.
_ITEM_ID = lazy(r"[A-Z]{1,3}\d{1,2}[a-z]?")
# A label under "**Metrics**:" that says what is run or on what, not what is measured ("Eval
# sets: CIFAR-10, SVHN", "Seeds: 3", "Hardware: 1×A100"): its value names no metric.
_SETTING_LABEL = lazy(
    r"^(?:eval(?:uation)?|test|train(?:ing)?|validation|dev|held[- ]out)?\s*"
    r"(?:sets?|datasets?|data|splits?|benchmarks?|tasks?|seeds?|budget|hardware|gpus?|compute|"
    r"baselines?|models?|backbones?|systems?|config(?:uration)?s?|setup|settings?|notes?|runs?)$"
    r"|^(?:评估|评测|测试|训练|验证)?(?:数据集?|划分|基准|任务|种子|预算|硬件|算力|基线|模型|配置|"
    r"设置|备注|运行)$",
    re.IGNORECASE,
)


def _with_listed_values(fields: list[Field]) -> list[Field]:
    """
    A known field with no value, followed by items of its own labelled by ids (033's
    ``**Success criterion (decision gate)**:`` then ``- C1: Scissors net ≥ −1``, ``- C2: …`` at
    the same indent), takes those items as its value (one per line for systems and metrics,
    else joined by ``;`` as clauses); they are no fields of their own. A Metrics field with no
    value takes the labelled items under it too (033's E3 ``- H_rel distribution: JS divergence
    < 0.15 per object``, ``- Primary: accuracy``), except an item whose label is a setting or
    data word (``- Eval sets: CIFAR-10, SVHN``), which stays a field of its own after it.
    """
    out: list[Field] = []
    taking: Field | None = None
    items: list[str] = []
    # Setting items met while taking a Metrics list: kept as fields, after the Metrics field.
    kept: list[Field] = []
    for field in [*fields, None]:
        if (
            taking is not None
            and field is not None
            and not field.key
            and _ITEM_ID.fullmatch(field.label)
        ):
            items.append(field.value)
            continue
        if (
            taking is not None
            and taking.key == "metrics"
            and field is not None
            and not field.key
            and field.value
            and "\n" not in field.value
        ):
            # 033's E3: "**Metrics**:" then "- H_rel distribution: JS divergence < 0.15 per
            # object", one item per feature: what is measured, its label kept (the metric
            # names leave it out); read as no field of their own, the block measured nothing.
            # "- Eval sets: CIFAR-10, SVHN" names no metric: read as one, CIFAR-10 was one.
            if _SETTING_LABEL.match(field.label.strip()):
                kept.append(field)
            else:
                items.append(f"{field.label}: {field.value}")
            continue
        if taking is not None:
            # One item per line for a list field; clauses of one criterion otherwise.
            joiner = "\n" if taking.key in ("systems", "metrics") else "; "
            out.append(attrs.evolve(taking, value=joiner.join(items)) if items else taking)
            out.extend(kept)
            taking, items, kept = None, [], []
        if field is None:
            break
        if field.key and not field.value:
            taking = field
            continue
        out.append(field)
    return out


def read_block(doc: Document, heading: Heading, parsed: BlockHeading, end: int) -> Block:
    """
    Build one block from its heading and body.

    Args:
        doc: the document.
        heading: the block heading.
        parsed: what the heading says.
        end: one past the block body's last line index.

    Returns:
        The block; fields the body does not state are empty.
    """
    fields = _with_listed_values(read_fields(doc, heading.index + 1, end))
    by_key: dict[str, str] = {}
    for field in fields:
        if field.key and field.key not in by_key:
            by_key[field.key] = field.value
    text = doc.raw(heading.index + 1, end)
    priority_raw = by_key.get("priority", "") or parsed.priority_raw
    priority = normalise_priority(by_key["priority"]) if by_key.get("priority") else None
    if priority is None and parsed.priority_raw:
        priority = normalise_priority(parsed.priority_raw)
        priority_raw = by_key.get("priority") or parsed.priority_raw
    # A done checklist item is what was run before ("- [x] R007g launch: … seeds `101/102/103`
    # 已在 GPU 1/2/3 启动", 020's B0): no seed of the block's runs.
    planned_text = "\n".join(x for x in text.splitlines() if not _DONE_ITEM.match(x))
    seed_source = "\n".join((heading.text, by_key.get("seeds", ""), planned_text))
    seed_values, seed_count = seeds(seed_source)
    together = seeds_run_together(planned_text)
    written_seeds = set(seed_values) or set(range(seed_count or 0))
    if together is not None and (
        set(together[1]) == written_seeds or (not seed_values and len(together[1]) == seed_count)
    ):
        # One command runs every seed the block writes (033's `SEEDS=1..25 … batch_s3s4.py`):
        # one run per system, not one per seed judged as a mean where the plan sums.
        seed_values, seed_count = (), None
    cost_raw = parsed.cost_raw or by_key.get("cost", "")
    systems_raw = by_key.get("systems", "")
    metrics_raw = by_key.get("metrics", "")
    measured = {metric_key(n) for n in plan_metric_names(_items(metrics_raw))}
    systems = tuple(
        _without_results(s, measured)
        for s in _items(systems_raw, named=True)
        if not _NO_SYSTEMS.match(s)
    )
    roles: dict[str, str] = {}
    if not systems:
        systems_raw, systems, roles = _role_lines(fields)
        if not systems:
            # One `Proposed:` line in a block that lists no systems (038's B4, told by `bridge
            # plan` to "add a `Proposed: X` line", trial h40A) names the proposed one among its
            # runs' systems: no comparison of its own, but not ignored in silence either. So
            # does one `Baseline:` line (027's B1, told to "add a `Baseline:` line", h41B).
            roles = _lone_role(fields)
    else:
        # 005's B1 was advised "add a `Proposed: X` line", 004's B3 "add a `Baseline:` line"
        # (trial h39B), and the line changed nothing: beside a Compared systems field it counts
        # when it names one of the compared systems.
        roles = {
            role: named
            for role in ("proposed", "baseline")
            if (named := _role_among(fields, systems, role)) is not None
        }
    if not by_key.get("success") and (stated := _success_gate(text)) is not None:
        # 027's B1 writes no Success criterion but a "Promotion gate:" list: what the block must
        # show, so it is the criterion (the plan's reader says where it came from).
        fields = [
            *fields,
            Field(
                label=stated.label,
                key="success",
                value="; ".join(stated.items),
                line=heading.line + 1 + stated.offset,
            ),
        ]
        by_key["success"] = fields[-1].value
    return Block(
        id=parsed.id,
        title=parsed.title,
        heading=heading.text,
        priority=priority,
        priority_raw=priority_raw,
        status_tag=parsed.status_tag,
        claims=_claim_ids(by_key.get("claim", "")),
        claim_text=by_key.get("claim", ""),
        why=by_key.get("why", ""),
        dataset=by_key.get("dataset", ""),
        systems=systems,
        systems_raw=systems_raw,
        baseline=roles.get("baseline", ""),
        proposed=roles.get("proposed", ""),
        metrics=_items(metrics_raw),
        metrics_raw=metrics_raw,
        setup=by_key.get("setup", ""),
        seeds=seed_values,
        seed_count=seed_count,
        seeds_together=together[0] if together is not None and not seed_values else "",
        success_criterion=_one_line(by_key.get("success", "")),
        failure_interpretation=by_key.get("failure", ""),
        table_target=by_key.get("table", ""),
        cost_raw=cost_raw,
        gpu_hours=gpu_hours(cost_raw) if cost_raw else None,
        fields=tuple(fields),
        text=text,
        file=doc.file,
        line=heading.line,
        # The first line of the body that is not blank, as `text` starts there.
        text_line=heading.line
        + 1
        + next((n for n, line in enumerate(doc.lines[heading.index + 1 : end]) if line.strip()), 0),
    )


# A line naming a system by its role ("- Baseline: SO-ARM + GR-ConvNet top-1 (…)", "- Proposed:
# …", 033's E5 protocol), read when the block has no Compared systems field.
_ROLE_LABELS = {
    "baseline": "baseline",
    "baseline method": "baseline",
    "baseline system": "baseline",
    "control": "baseline",
    "基线": "baseline",
    "基线方法": "baseline",
    "proposed": "proposed",
    "proposed method": "proposed",
    "proposed system": "proposed",
    "ours": "proposed",
    "our method": "proposed",
    "treatment": "proposed",
    "本文方法": "proposed",
    "我们的方法": "proposed",
}


def _role_lines(fields: list[Field]) -> tuple[str, tuple[str, ...], dict[str, str]]:
    """
    The systems a block's role lines name (``Baseline: A``, ``Proposed: B``), as the Compared
    systems field would give them: the lines as written, the systems in order, and the system
    each role names when one line names exactly one. Nothing when fewer than two systems are
    named (one role line alone is a description, not a comparison).
    """
    lines: list[str] = []
    systems: list[str] = []
    named: dict[str, list[str]] = {}
    for field in fields:
        label = plain(field.label).replace("*", "").strip().rstrip(":：").strip().casefold()
        role = _ROLE_LABELS.get(" ".join(label.split()))
        value = field.value.split("\n")[0].strip()
        if role is None or not value:
            continue
        items = [i for i in _items(value, named=True) if not _NO_SYSTEMS.match(i)]
        lines.append(f"{field.label}: {value}")
        systems.extend(i for i in items if i not in systems)
        named.setdefault(role, []).extend(items)
    # One line naming several is no comparison either: 027's `- Baseline: weighted-block MSE,
    # GPU0-3, DDP4, accum2` (R-L2's system, as its row writes it) became four compared
    # systems, and B1's other clauses lost their proposed system (h41B).
    # But a line whose names the block's other fields name apart (`- Baseline: ERM, DANN` beside
    # «DANN beats ERM …») lists systems: read whole, they were dropped unsaid (review r41).
    if len(systems) < 2 or (len(lines) < 2 and not _named_apart(fields, systems)):
        return "", (), {}
    roles = {role: items[0] for role, items in named.items() if len(items) == 1}
    return "\n".join(lines), tuple(systems), roles


def _named_apart(fields: Sequence[Field], systems: Sequence[str]) -> bool:
    """Whether the block's fields other than its role lines name two or more of ``systems``
    each as a word of its own (so a role line listing them lists several systems)."""
    others = " ".join(
        plain(f.value).casefold() for f in fields if _role_of(f) is None and f.value.strip()
    )
    said = [
        name
        for name in systems
        if re.search(rf"(?<![\w-]){re.escape(name.casefold())}(?![\w-])", others)
    ]
    return len(said) >= 2


def _lone_role(fields: Sequence[Field]) -> dict[str, str]:
    """
    ``{role: name}`` when the block's one role line is a ``Proposed:`` line (``Ours:`` …) or a
    ``Baseline:`` line (``Control:``, ``基线:`` …) naming one system, the name as written (a
    name with commas, as a tracker's Variant cell may be, whole); else nothing. The block lists
    no systems, so the name stands for the one its runs run under it (the results and `bridge
    plan` take it only where a run does).
    """
    lines = [f for f in fields if _role_of(f) is not None and f.value.split("\n")[0].strip()]
    if len(lines) != 1 or (role := _role_of(lines[0])) is None:
        return {}
    value = lines[0].value.split("\n")[0].strip()
    items = [i for i in _items(value, named=True) if not _NO_SYSTEMS.match(i)]
    if len(items) > 1:
        return {role: plain(value).replace("*", "").strip()}
    return {role: items[0]} if items else {}


def proposed_line(block: Block, role: str = "proposed") -> Field | None:
    """
    The block's first ``Proposed:`` role line (``Ours:``, ``本文方法:`` …) that names a system,
    or, with ``role="baseline"``, its first ``Baseline:`` line (``Control:``, ``基线:`` …), or
    ``None``: beside a Compared systems field it names the proposed system (the baseline) only
    when it names one of them (:func:`read_block`), and one that names none is said to be
    ignored.
    """
    for field in block.fields:
        if _role_of(field) == role and field.value.split("\n")[0].strip():
            return field
    return None


def _role_of(field: Field) -> str | None:
    """The role a line's label gives the system it names (``Proposed:`` → ``proposed``)."""
    label = plain(field.label).replace("*", "").strip().rstrip(":：").strip().casefold()
    return _ROLE_LABELS.get(" ".join(label.split()))


def _name_head(name: str) -> str:
    """A system's name without its asides, folded: ``RAW joint v5 (full …)`` → ``rawjointv5``."""
    head = re.split(r"\s*[(（]|\s+[—–]\s+|\s+-\s+", plain(name).replace("*", ""), maxsplit=1)[0]
    return re.sub(r"[\W_]+", "", head.casefold())


def _role_among(fields: Sequence[Field], systems: Sequence[str], role: str) -> str | None:
    """
    The compared system the first line of ``role`` names (``Proposed:``, ``Baseline:``: its
    name, asides aside, is that system's), or ``None`` when it names none or several of them.
    """
    for field in fields:
        value = field.value.split("\n")[0].strip()
        if _role_of(field) != role or not value:
            continue
        items = [i for i in _items(value, named=True) if not _NO_SYSTEMS.match(i)]
        heads = {_name_head(i) for i in items} - {""}
        named = [s for s in systems if _name_head(s) in heads]
        return named[0] if len(named) == 1 else None
    return None


# A count closing a list of systems ("fixed、policy-only、Harness-only、joint 四臂", "A, B and C
# (three arms)") counts them and is no part of the last one's name: apart from the name (a
# space or brackets) and equal to the number of items ("实验2组" is a name).
_ARM_COUNT = lazy(
    r"(?:\s+|\s*[(（])(?P<n>[二两三四五六七八九十]|\d{1,2})\s*(?:个)?\s*(?:臂|组)[)）]?$"
    r"|(?:\s+|\s*[(（])(?P<w>two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+arms[)）]?$",
    re.IGNORECASE,
)


# A parenthesised aside of a system's name and the `name = number` pairs it holds: 006's
# "KAN teacher (skill=0.453)".
_ASIDE = lazy(r"\s*[(（](?P<inside>[^()（）]*)[)）]")
_RESULT = lazy(r"(?P<name>[^=≈]+?)\s*[=≈]\s*[-+−]?\d+(?:\.\d+)?\s*%?")


def _without_results(system: str, measured: set[str]) -> str:
    """
    The system's name without the results the plan remembers in it: an aside in parentheses
    made only of ``metric = number`` pairs of metrics the block measures (006's B1 "KAN teacher
    (skill=0.453)", skill in its Metrics, is "KAN teacher"). Kept, the verdict read "KAN teacher
    (skill=0.453) 0.35": the plan's number beside the measured one, two numbers for one thing
    (the plan's stays in ``systems_raw``). A setting (011's "λ=0.3", "(baseline=current)")
    names no metric of the block and stays part of the name.
    """

    def remembered(found: re.Match[str]) -> bool:
        parts = re.split(r"[,;，；、]", found.group("inside"))
        pairs = [_RESULT.fullmatch(p.strip()) for p in parts]
        return all(p is not None and metric_key(p.group("name")) in measured for p in pairs)

    kept = _ASIDE.sub(lambda m: "" if remembered(m) else m.group(0), system).strip()
    return kept or system


# An item saying the block compares none ("no learned systems", 009's B2; "无对比系统"): no
# system of its own, which would be taken for the one without results.
_NO_SYSTEMS = lazy(
    r"^(?:no|none)\s+(?:\w+\s+){0,2}(?:systems?|baselines?|models?|methods?|comparisons?)\b"
    r"|^无(?:对比)?(?:系统|基线)",
    re.IGNORECASE,
)


def _without_count(listed: tuple[str, ...]) -> tuple[str, ...]:
    """``listed`` without a count closing its last item, when it counts the items."""
    match = _ARM_COUNT.search(listed[-1])
    if match is None:
        return listed
    word = (match.group("n") or match.group("w")).lower()
    count = int(word) if word.isdigit() else COUNT_WORDS.get(word, 0)
    last = listed[-1][: match.start()].strip()
    return (*listed[:-1], last) if count == len(listed) and last else listed


# One line per system, each a bold name then what it is ("**A1-only**: insert at W* with …",
# 004's "**LSVJ-S (ours)** — L1+L2+L3-LSVJ-S+L4"): the name is the system, the description
# stays in ``systems_raw`` (:func:`system_descriptions`). Not a role ("**Baseline**: Standard
# LoRA" names the system after the colon).
_NAMED_ITEM = lazy(
    r"^\*\*(?P<name>[^*:：]{1,60})(?:\*\*\s{0,2}[:：]|[:：]\*\*|\*\*\s+[—–]\s+)\s*"
    r"(?P<description>\S.*)$"
)
_ROLES = frozenset(
    {"baseline", "baselines", "ours", "proposed", "method", "primary", "secondary", "control"}
)


def _described(line: str) -> tuple[str, str] | None:
    """
    The (name, description) of a compared-systems line that is a bold name and what it is,
    the name without its Markdown (004's "**`SEAP`** — L1+L2+12-rule …" is ``SEAP``: kept, the
    verdicts printed the backticks and the bold); ``None`` for any other line, or a role.
    """
    bold = _NAMED_ITEM.match(line.strip().rstrip(";；,，").rstrip())
    if bold is None:
        return None
    name = bold.group("name").replace("`", "").strip()
    if not name or name.casefold() in _ROLES:
        return None
    return name, bold.group("description").strip()


def system_descriptions(systems_raw: str) -> dict[str, str]:
    """
    The descriptions a block's Compared systems field writes after its systems' bold names
    (``**LSVJ-S (ours)** — L1+L2+L3-LSVJ-S+L4``), by system name as :attr:`Block.systems`
    holds it: another name a run may carry (004's R202 writes "L1+L2+L3-LSVJ-S+L4; N=5 …" in
    its System cell). Empty when the field writes none.
    """
    found: dict[str, str] = {}
    for line in systems_raw.split("\n") if "\n" in systems_raw else ():
        if (described := _described(line.strip())) is not None:
            found.setdefault(*described)
    return found


# A list line that is code spans and separators only: several names on one line.
_CODE_SPANS = lazy(r"`[^`\n]+`(?:\s*[,，、;；]\s*`[^`\n]+`)+")


# The word opening an item that says it runs in place of the one before ("(a) DiffAdapt setup
# if released, else (b) NYU probe replication"): no part of the system's name.
# The connective, lower-case or capitalised, then a space or a stop: "Else-Net" and "ELSE (ours)"
# are names, not "else" before one (review h42 item 13: they became '-Net' and '(ours)').
_INSTEAD = lazy(
    r"^(?:(?:[Oo]r\s+else|[Ee]lse|[Oo]therwise)(?:\s*[,，:：]\s*|\s+)|否则[\s,，:：]*)"
    r"(?=[(（][^)）]*[)）]\s*\S|[^\s(（])"
)


def _items(raw: str, *, named: bool = False) -> tuple[str, ...]:
    """
    The items of a list field, one per line or split on commas and 、; ``named`` (the compared
    systems): a line that is a bold name and its description is the name, and an opening
    "else"/"otherwise" (034's M1 «…, else (b) NYU probe (2504.05419) replication») is not.
    """
    if not raw:
        return ()
    if named:
        return tuple(_INSTEAD.sub("", item) for item in _listed_items(raw, named=True))
    return _listed_items(raw, named=False)


def _listed_items(raw: str, *, named: bool) -> tuple[str, ...]:
    """:func:`_items` before an opening "else" is taken off a system's name."""
    if "\n" in raw:
        items: list[str] = []
        for line in raw.split("\n"):
            # "- frozen B0;" one per line: the separator closing an item is no part of it.
            line = line.strip().rstrip(";；,，").rstrip()
            # Nor the period closing the last of them (036's "- filter with `gap >= 0.4`."),
            # an ellipsis aside.
            if line.endswith((".", "。")) and not line.endswith(".."):
                line = line[:-1].rstrip()
            if not line:
                continue
            if _CODE_SPANS.fullmatch(line):
                # "- `Vpk`, `t_settle`, `sigma_phi`, `sigma_I`" (021's B3): one item naming four,
                # each in its code span; kept as one it matched no recorded metric.
                items.extend(split_list(line))
                continue
            described = _described(line) if named else None
            items.append(described[0] if described is not None else line)
        return tuple(items)
    listed = split_list(raw)
    if named and _one_phrase(listed):
        return (raw.strip().rstrip(".。").rstrip(),)
    return _without_count(listed) if len(listed) > 1 else listed


# An item that is one code span and nothing else, one opening with one, one closing with one.
_CODE_ONLY = lazy(r"`[^`\n]+`")
_CODE_FIRST = lazy(r"`[^`\n]+`\s+\S.*")
_CODE_LAST = lazy(r".*\S\s+`[^`\n]+`")


def _one_phrase(items: Sequence[str]) -> bool:
    """
    Whether the items split from a Compared systems field are one phrase naming variants of
    one system, the list inside it: words then a code span, code spans alone, a code span then
    words (009's "BM25 over `name_desc`, `compact`, and `full` tool cards": BM25 over three
    kinds of tool card, which read as three systems "BM25 over `name_desc`", "`compact`" and
    "`full` tool cards"). Only code spans count as the variants, and only with words both
    before and after them: names in a list ("Transformer baseline, Ours, and Ours w/o gate",
    "`a` cards, `b`, and `c` cards") are systems each.
    """
    if len(items) < 2:
        return False
    first, *middle, last = items
    return (
        _CODE_LAST.fullmatch(first) is not None
        and _CODE_FIRST.fullmatch(last) is not None
        and all(_CODE_ONLY.fullmatch(item) for item in middle)
    )
