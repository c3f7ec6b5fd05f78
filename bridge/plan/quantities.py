"""
Numbers and references pulled opportunistically out of free text: GPU-hours, seeds, block refs.

None of these is ever required (FORMAT-NOTES §8, §10): when the text does not say, the result is
None or empty and the raw text stays with the caller. Every pattern is bounded so a long line is
scanned in linear time.
"""

from __future__ import annotations

import re

__all__ = [
    "block_refs",
    "gpu_hours",
    "normalise_block_id",
    "number_upper",
    "seeds",
    "split_list",
]

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,9}(?:\.\d+)?"
_RANGE = rf"(?P<lo>{_NUM})(?:\s{{0,3}}(?:-|–|—|~|to|到|至)\s{{0,3}}(?P<hi>{_NUM}))?"
_GPU_UNIT = (
    r"(?:[A-Z]\d{2,4}[\w-]{0,12}[- ]?h(?:ours?|rs?)?\b"
    r"|GPU[- ]?(?:hours?|hrs?|h)\b|GPUh\b|GPU[- ]?hour|GPU 小时|卡时|GPU时)"
)
_GPU_AMOUNT = re.compile(rf"{_RANGE}\s{{0,3}}(?:{_GPU_UNIT})", re.IGNORECASE)
_PLAIN_AMOUNT = re.compile(
    rf"^\s{{0,3}}(?:~|≈|约|<|≤|<=|about|approx\.?)?\s{{0,2}}{_RANGE}\s{{0,2}}(?:h|hrs?|hours?)?(?![\w.])",
    re.IGNORECASE,
)


def _to_float(text: str) -> float:
    return float(text.replace(",", ""))


def gpu_hours(text: str) -> float | None:
    """
    The first GPU-hour amount in a text, taking the upper bound of a range.

    Args:
        text: a cost cell, heading or budget line (``~35-45 GPU hours``, ``累计 800–1600 GPUh``).

    Returns:
        The number of GPU-hours, or None when no number carries a GPU-hour unit.
    """
    match = _GPU_AMOUNT.search(text)
    if match is None:
        return None
    return _to_float(match.group("hi") or match.group("lo"))


def number_upper(text: str) -> float | None:
    """
    The first number or range in a text (upper bound), for cells whose unit is in the label.

    Args:
        text: a value such as ``35-45h`` under a ``Total GPU hours`` label; it must start with
            the number (after ``~``, ``≈``, ``<`` or ``≤``).

    Returns:
        The number, or None when the text does not start with one.
    """
    match = _PLAIN_AMOUNT.match(text.replace("*", "").replace("`", ""))
    if match is None:
        return None
    return _to_float(match.group("hi") or match.group("lo"))


_WORD_COUNTS = {
    "one": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_SEED_LIST = re.compile(
    r"seeds?\s{0,3}(?:[=:：]\s{0,3})?[`]?[{\[(]\s{0,3}(\d{1,12}(?:\s{0,3},\s{0,3}\d{1,12}){0,99})\s{0,3}[}\])]",
    re.IGNORECASE,
)
_COUNT_THEN_LIST = re.compile(
    r"\b(\d{1,3})[\s-]{1,3}seeds?\s{0,3}[`]?[{\[(]\s{0,3}(\d{1,12}(?:\s{0,3},\s{0,3}\d{1,12}){0,99})\s{0,3}[}\])]",
    re.IGNORECASE,
)
_SEED_SLASH = re.compile(r"seeds?\s{1,3}`?(\d{1,12}(?:\s?/\s?\d{1,12}){1,99})`?", re.IGNORECASE)
_SEED_RANGE = re.compile(
    r"seeds?\s{0,3}[=:：]?\s{0,3}(\d{1,6})\s{0,2}(?:-|–|\.\.)\s{0,2}(\d{1,6})\b", re.IGNORECASE
)
_SEED_SINGLE = re.compile(r"(?:--|\b)seed\s{0,3}[=:：]?\s{0,3}`?(\d{1,12})\b", re.IGNORECASE)
_SEED_COUNT = re.compile(
    r"\b(\d{1,3}|one|single|two|three|four|five|six|seven|eight|nine|ten)[\s-]{1,3}"
    r"(?:independent\s|random\s|different\s)?seeds?\b",
    re.IGNORECASE,
)
_SEED_COUNT_ZH = re.compile(
    r"(\d{1,3})\s{0,2}个\s{0,2}(?:独立\s{0,2})?(?:\w{0,10}_)?seed|seeds?\s{0,2}[:：]\s{0,2}(\d{1,3})\s{0,2}个",
    re.IGNORECASE,
)
_MAX_SEEDS = 1000


def seeds(text: str) -> tuple[tuple[int, ...], int | None]:
    """
    Seed values and seed count stated in a text.

    Args:
        text: block text (heading, fields, setup) in which seeds may be written in any of the
            forms FORMAT-NOTES §8 lists.

    Returns:
        ``(values, count)``: the seed values in order of appearance without duplicates, and the
        count (the number of values when values are written, otherwise a bare ``3 seeds``).
    """
    if "seed" not in text.casefold():
        return (), None
    values: list[int] = []
    seen: set[int] = set()

    def add(number: int) -> None:
        if number not in seen and len(values) < _MAX_SEEDS:
            seen.add(number)
            values.append(number)

    found: list[tuple[int, list[int]]] = []
    for pattern in (_SEED_LIST, _COUNT_THEN_LIST):
        for match in pattern.finditer(text):
            found.append(
                (
                    match.start(),
                    [int(x) for x in re.findall(r"\d+", match.group(match.lastindex or 1))],
                )
            )
    for match in _SEED_SLASH.finditer(text):
        found.append((match.start(), [int(x) for x in match.group(1).split("/")]))
    for match in _SEED_RANGE.finditer(text):
        lo, hi = int(match.group(1)), int(match.group(2))
        if lo <= hi and hi - lo < _MAX_SEEDS:
            found.append((match.start(), list(range(lo, hi + 1))))
    for match in _SEED_SINGLE.finditer(text):
        found.append((match.start(), [int(match.group(1))]))
    for _, numbers in sorted(found, key=lambda item: item[0]):
        for number in numbers:
            add(number)
    if values:
        return tuple(values), len(values)
    count: int | None = None
    counted = _SEED_COUNT.search(text)
    if counted:
        word = counted.group(1).casefold()
        count = _WORD_COUNTS.get(word) or (int(word) if word.isdigit() else None)
    else:
        zh = _SEED_COUNT_ZH.search(text)
        if zh:
            count = int(zh.group(1) or zh.group(2))
    return (), count


_BLOCK_ID = re.compile(
    r"^(?:experiment\s+)?(?:block|块)\s*b?(\d{1,3}(?:\.\d{1,3})?)$|^b(\d{1,3}(?:\.\d{1,3})?)$|^(\d{1,3}(?:\.\d{1,3})?)$",
    re.IGNORECASE,
)


def normalise_block_id(raw: str) -> str:
    """
    Normalise a block code as PARSE-RULES says: numbered forms become ``B<n>``, others stay.

    Args:
        raw: ``Block 3``, ``B3``, ``块 3``, ``Block B3``, ``3``, ``A``, ``P0``, ``E3`` …

    Returns:
        ``B3`` for the numbered forms, otherwise the letters and digits as written.
    """
    text = raw.strip().replace("*", "").replace("`", "")
    match = _BLOCK_ID.match(text)
    if match:
        return "B" + next(g for g in match.groups() if g is not None)
    return re.sub(r"[^\w.]", "", text)


_REF = re.compile(
    r"(?:blocks?|块)\s{0,2}(B?\d{1,3}(?:\.\d)?|[A-Z]\b)(?:\s{0,2}(?:-|–|—|to|~)\s{0,2}(B?\d{1,3}))?"
    r"|\bB(\d{1,3}(?:\.\d)?)\b(?:\s{0,2}(?:-|–|—|~)\s{0,2}B(\d{1,3})\b)?",
    re.IGNORECASE,
)


def block_refs(text: str, known: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """
    The block ids a cell refers to, normalised, in order, without duplicates.

    Args:
        text: a ``Runs``/``Linked Blocks`` cell or a sentence (``B1 + B2``, ``Blocks 1-3``,
            ``B0–B3``, ``Block A``).
        known: ids of the plan's blocks that are not ``B<n>`` (``A``, ``P0``, ``E3``), matched
            as whole words.

    Returns:
        The referenced block ids.
    """
    refs: list[str] = []

    def add(ref: str) -> None:
        if ref not in refs:
            refs.append(ref)

    for match in _REF.finditer(text):
        first = match.group(1) or match.group(3)
        last = match.group(2) or match.group(4)
        start = normalise_block_id(first)
        if first.isalpha() and len(first) == 1:
            start = first.upper()
        add(start)
        if last:
            lo_text = start[1:]
            hi_text = normalise_block_id(last)[1:]
            if lo_text.isdigit() and hi_text.isdigit() and 0 <= int(hi_text) - int(lo_text) <= 20:
                for n in range(int(lo_text) + 1, int(hi_text) + 1):
                    add(f"B{n}")
    if known:
        for word in re.findall(r"[A-Za-z]{1,4}\d{0,3}(?:\.\d{1,2})?", text):
            if word in known:
                add(word)
    return tuple(refs)


_LIST_SPLIT = re.compile(r"\s+vs\.?\s+|[,;，；、]|\s+and\s+|\s+/\s+")


def split_list(text: str) -> tuple[str, ...]:
    """
    Split an inline list (``A, B and C``, ``A vs B vs C``, ``{A, B}``) outside parentheses.

    Args:
        text: the value of a Compared systems or Metrics field.

    Returns:
        The stripped items, empty ones dropped.
    """
    parts: list[str] = []
    depth = 0
    in_code = False
    start = 0
    cleaned = text.strip().strip("{}").strip()
    i = 0
    while i < len(cleaned):
        ch = cleaned[i]
        if ch == "`":
            in_code = not in_code
        elif in_code:
            pass
        elif ch in "([{（":
            depth += 1
        elif ch in ")]}）":
            depth = max(0, depth - 1)
        elif depth == 0:
            match = _LIST_SPLIT.match(cleaned, i)
            if match and match.end() > i:
                parts.append(cleaned[start:i])
                start = match.end()
                i = match.end()
                continue
        i += 1
    parts.append(cleaned[start:])
    items = []
    for part in parts:
        item = part.strip().strip(".。").strip()
        if item.lower().startswith("and "):
            item = item[4:].strip()
        if item:
            items.append(item)
    return tuple(items)
