"""
Numbers and references pulled opportunistically out of free text: GPU-hours, seeds, block refs.

None of these is ever required (FORMAT-NOTES §8, §10): when the text does not say, the result is
None or empty and the raw text stays with the caller. Every pattern is bounded so a long line is
scanned in linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from bridge.compile_cache import pattern as compile_pattern
from bridge.lazy_patterns import lazy
from bridge.plan.option_tables import table_of, table_text

__all__ = [
    "COUNT_WORDS",
    "SAME_SEEDS_OPTION",
    "SEEDS_TOGETHER_OPTION",
    "block_refs",
    "gpu_hours",
    "normalise_block_id",
    "number_upper",
    "same_seeds",
    "same_seeds_of",
    "same_seeds_text",
    "seeds",
    "seeds_for_one",
    "seeds_of_one_system",
    "seeds_run_together",
    "seeds_together_of",
    "seeds_together_text",
    "split_list",
    "stated_seed_count",
]

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,9}(?:\.\d+)?"
_RANGE = rf"(?P<lo>{_NUM})(?:\s{{0,3}}(?:-|–|—|~|to|到|至)\s{{0,3}}(?P<hi>{_NUM}))?"
_GPU_UNIT = (
    r"(?:[A-Z]\d{2,4}[\w-]{0,12}[- ]?h(?:ours?|rs?)?\b"
    r"|GPU[- ]?(?:hours?|hrs?|h)\b|GPUh\b|GPU[- ]?hour|GPU 小时|卡时|GPU时)"
)
# One word may say where or which GPU-hours they are: "2-6 local GPU h", "40 extra GPU-hours".
_GPU_QUALIFIER = r"(?:(?:local|remote|cloud|cluster|server|extra|additional|more|new)\s{1,2})?"
_GPU_AMOUNT = lazy(rf"{_RANGE}\s{{0,3}}{_GPU_QUALIFIER}(?:{_GPU_UNIT})", re.IGNORECASE)
_GPU_DAYS = compile_pattern(
    rf"{_RANGE}\s{{0,3}}{_GPU_QUALIFIER}(?:GPU[- ]?days?|卡天|GPU 天)(?![\w-])", re.IGNORECASE
)
_GPU_WEEKS = compile_pattern(
    rf"{_RANGE}\s{{0,3}}{_GPU_QUALIFIER}(?:GPU[- ]?weeks?|卡周|GPU 周)(?![\w-])", re.IGNORECASE
)
_PLAIN_AMOUNT = lazy(
    rf"^\s{{0,3}}(?:~|≈|约|<|≤|<=|about|approx\.?)?\s{{0,2}}{_RANGE}\s{{0,2}}(?:h|hrs?|hours?)?(?![\w.])",
    re.IGNORECASE,
)


def _to_float(text: str) -> float:
    return float(text.replace(",", ""))


# Hours said to run on GPUs: "~4h Modal GPU", "2 h on 4 GPUs", "3 hours on 2×A100".
_HOURS_ON_GPUS = compile_pattern(
    rf"{_RANGE}\s{{0,3}}(?:h|hrs?|hours?)\s{{1,3}}(?:on\s{{1,3}})?"
    r"(?:(?P<count>\d{1,2})\s{0,2}[x×]?\s{0,2})?(?:[A-Za-z][\w-]{0,15}\s{1,3})?"
    r"(?:GPUs?|[A-Z]\d{2,4}[\w-]{0,12})(?![\w-])",
    re.IGNORECASE,
)


def gpu_hours(text: str) -> float | None:
    """
    The first GPU-hour amount in a text, taking the upper bound of a range: a number with a
    GPU-hour unit, or hours said to run on GPUs (times their count when one is given).

    Args:
        text: a cost cell, heading or budget line (``~35-45 GPU hours``, ``累计 800–1600 GPUh``,
            ``~4h Modal GPU``, ``2 h on 4 GPUs``, ``1 GPU-day`` = 24, ``1 GPU-week`` = 168).

    Returns:
        The number of GPU-hours, or None when no number carries a GPU-hour unit.
    """
    searched = (
        _GPU_AMOUNT.search(text),
        _HOURS_ON_GPUS.search(text),
        _GPU_DAYS.search(text),
        _GPU_WEEKS.search(text),
    )
    found = [m for m in searched if m is not None]
    if not found:
        return None
    match = min(found, key=lambda m: m.start())
    hours = _to_float(match.group("hi") or match.group("lo"))
    if match.re is _HOURS_ON_GPUS and match.group("count"):
        hours *= int(match.group("count"))
    if match.re is _GPU_DAYS:
        hours *= 24  # "under 1 GPU-day" (017)
    elif match.re is _GPU_WEEKS:
        hours *= 24 * 7
    return hours


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


# Counts written as words, in either language: the one table for every reader of a count
# (seeds, arms, listed systems), each reader's pattern saying which of them it takes.
COUNT_WORDS: Mapping[str, int] = {
    **{w: n for n, w in enumerate("一二三四五六七八九十", start=1)},
    "两": 2,
    "single": 1,
    **{
        w: n
        for n, w in enumerate(
            ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), 1
        )
    },
}
_SEED_LIST = lazy(
    r"seeds?\s{0,3}(?:[=:：]\s{0,3})?[`]?[{\[(]\s{0,3}(\d{1,12}(?:\s{0,3},\s{0,3}\d{1,12}){0,99})\s{0,3}[}\])]",
    re.IGNORECASE,
)
# The list may repeat the word: ``3 seeds (seed 0, 1, 2)``, «3 个种子（seed 0, 1, 2）» (read as
# seed 0 alone, one seed, before).
_COUNT_THEN_LIST = lazy(
    r"\b(\d{1,3})[\s-]{1,3}seeds?\s{0,3}[`]?[{\[(]\s{0,3}(?:seeds?\s{0,3}(?:[=:：]\s{0,3})?)?"
    r"(\d{1,12}(?:\s{0,3},\s{0,3}\d{1,12}){0,99})\s{0,3}[}\])]",
    re.IGNORECASE,
)
_SEED_SLASH = lazy(r"seeds?\s{1,3}`?(\d{1,12}(?:\s?/\s?\d{1,12}){1,99})`?", re.IGNORECASE)
# ``3 seeds: 0, 1, 2`` / ``seeds 0, 1 and 2``: an unbracketed list needs the plural and two
# items, and an item followed by a unit (``seeds 0, 30 epochs``) ends the list before it.
_SEED_ITEM = r"\d{1,12}(?!\d|\.\d)(?!\s{0,2}(?:epochs?|steps?|runs?|gpus?|h\b|hours?|%|x\b|×))"
_SEED_BARE_LIST = lazy(
    rf"seeds\s{{0,3}}(?:[=:：]\s{{0,3}})?({_SEED_ITEM}(?:\s{{0,3}}(?:,|，|、|\band\b)\s{{0,3}}{_SEED_ITEM}){{1,99}})",
    re.IGNORECASE,
)
# Seeds of something other than the run (``split seed 1936``, ``data seed``, ``bootstrap
# seeds``) are not the run's seeds: the word before ``seed`` says so.
_OTHER_SEED = lazy(
    r"(?:split|data|dataset|partition|bootstrap|shuffle|sampling|sampler|permutation|fold|cv|"
    r"hash|划分|数据)[\s_-]{0,2}$",
    re.IGNORECASE,
)
_SEED_RANGE = lazy(
    r"seeds?\s{0,3}[=:：]?\s{0,3}(\d{1,6})\s{0,2}(?:-|–|\.\.)\s{0,2}(\d{1,6})\b", re.IGNORECASE
)
_SEED_SINGLE = lazy(r"(?:--|\b)seed\s{0,3}[=:：]?\s{0,3}`?(\d{1,12})\b", re.IGNORECASE)
_SEED_COUNT = lazy(
    r"\b(\d{1,3}|one|single|two|three|four|five|six|seven|eight|nine|ten)[\s-]{1,3}"
    r"(?:independent\s|random\s|different\s)?seeds?\b",
    re.IGNORECASE,
)
_SEED_COUNT_ZH = lazy(
    r"(\d{1,3})\s{0,2}个\s{0,2}(?:独立\s{0,2})?(?:\w{0,10}_)?seed|seeds?\s{0,2}[:：]\s{0,2}(\d{1,3})\s{0,2}个",
    re.IGNORECASE,
)
_SEEDS_FIELD_COUNT = lazy(r"\bseeds\s{0,3}[=:：]\s{0,3}(\d{1,2})\b(?![ \t]{0,2}[,，/.\-–])", re.I)
_MAX_SEEDS = 1000
# What may stand right before a count's number when the number is not a count of seeds.
_NOT_A_COUNT = lazy(r"(?:[=/]|\b(?:gpus?|cards?|nodes?|卡)\s{0,2})$", re.IGNORECASE)


def _run_seed(text: str, position: int) -> bool:
    """
    Whether the seed mention at ``position`` is about the run (not ``split seed`` and the like).
    """
    return _OTHER_SEED.search(text, max(0, position - 16), position) is None


def _seed_keyword(match: re.Match[str]) -> int:
    """
    Where the word ``seed`` of a match starts (after a leading count or ``--``).
    """
    found = re.search(r"seed", match.group(0), re.IGNORECASE)
    return match.start() + (found.start() if found else 0)


# Chinese seed words and marks read as the English forms above: "3 个种子（0, 1, 2）",
# "种子：0, 1, 2", "3 个随机种子：0、1、2", "**种子**：…" (trial N4: never read, so
# proposed runs had no seeds and the block "stated none").
_ZH_COUNTED_SEEDS = lazy(r"(\d{1,3})\s{0,2}个\s{0,2}(?:随机|独立|不同的?)?\s{0,2}种子")
_ZH_SEEDS = lazy(r"(?:随机)?种子(?:数)?")
_SEED_MARKS = str.maketrans({"（": "(", "）": ")", "、": ",", "*": " ", "`": ""})


def _seed_text(text: str) -> str:
    """``text`` with Chinese seed words in English and emphasis left out, for the patterns."""
    if "种子" in text:
        text = _ZH_SEEDS.sub("seeds", _ZH_COUNTED_SEEDS.sub(r"\1 seeds", text))
    return text.translate(_SEED_MARKS)


def seeds(text: str) -> tuple[tuple[int, ...], int | None]:
    """
    Seed values and seed count stated in a text.

    Seeds of something other than the run (``split seed 1936``, ``data seed``, ``bootstrap
    seeds``) are ignored, and so is one value written as a sampler's or a subset's seed (005's
    B3 "uniform random sample, fixed seed=0 per clip": the frame sampler's, not the runs').

    Args:
        text: block text (heading, fields, setup) in which seeds may be written in any of the
            forms FORMAT-NOTES §8 lists.

    Returns:
        ``(values, count)``: the seed values in order of appearance without duplicates, and the
        count: the number of values written (``3 seeds (0, 1, 2)`` and ``seeds 0, 1, 2`` count
        3), otherwise a stated count (``3 seeds``, see :func:`stated_seed_count`); None when
        neither is written.
    """
    text = _seed_text(text)
    if "seed" not in text.casefold():
        return (), None
    values: list[int] = []
    seen: set[int] = set()

    def add(number: int) -> None:
        if number not in seen and len(values) < _MAX_SEEDS:
            seen.add(number)
            values.append(number)

    found: list[tuple[int, list[int]]] = []
    for pattern in (_SEED_LIST, _COUNT_THEN_LIST, _SEED_BARE_LIST):
        for match in pattern.finditer(text):
            if _run_seed(text, _seed_keyword(match)):
                found.append(
                    (
                        match.start(),
                        [int(x) for x in re.findall(r"\d+", match.group(match.lastindex or 1))],
                    )
                )
    for match in _SEED_SLASH.finditer(text):
        if _run_seed(text, match.start()):
            found.append((match.start(), [int(x) for x in match.group(1).split("/")]))
    for match in _SEED_RANGE.finditer(text):
        lo, hi = int(match.group(1)), int(match.group(2))
        if lo <= hi and hi - lo < _MAX_SEEDS and _run_seed(text, match.start()):
            found.append((match.start(), list(range(lo, hi + 1))))
    for match in _SEED_SINGLE.finditer(text):
        # 005's B3 "uniform random sample, fixed seed=0 per clip": the frame sampler's seed.
        if _run_seed(text, _seed_keyword(match)) and not _says_sampling(
            text, _seed_keyword(match), match.end()
        ):
            found.append((match.start(), [int(match.group(1))]))
    for _, numbers in sorted(found, key=lambda item: item[0]):
        for number in numbers:
            add(number)
    if values:
        return tuple(values), len(values)
    return (), stated_seed_count(text)


# Several seeds handed to one command, which runs them itself: an environment assignment
# (033's `SEEDS=1..25 conda run … python batch_s3s4.py`) or a plural flag (`--seeds 0 1 2`,
# `--seeds=0-4`). Upper case for the variable: `seeds=1..25` in prose is a list of runs.
_SEEDS_TOGETHER = lazy(
    r"(?:\bSEEDS=|--seeds(?:=|[ \t]{1,3}))(?P<values>\d{1,6}"
    # One command line: no newline, and a number is a seed only if no digit or redirection
    # follows it (`--seeds 3 2>&1` is one seed).
    r"(?:[ \t]{0,2}(?:\.\.|-|–)[ \t]{0,2}\d{1,6}(?![\d>])"
    r"|(?:(?:,[ \t]{0,2}|[ \t]{1,2})\d{1,6}(?![\d>])){1,99}))"
)


def seeds_run_together(text: str) -> tuple[str, tuple[int, ...]] | None:
    """
    A command of the text that runs several seeds itself, as written (``SEEDS=1..25``), with
    those seeds; None when none does. Such a block's seeds are one run's, not a run each.
    """
    for found in _SEEDS_TOGETHER.finditer(text):
        numbers = [int(n) for n in re.findall(r"\d+", found["values"])]
        ranged = re.search(r"\.\.|-|–", found["values"]) is not None and len(numbers) == 2
        values = tuple(range(numbers[0], numbers[1] + 1)) if ranged else tuple(numbers)
        if len(values) > 1 and len(values) <= _MAX_SEEDS:
            return found.group(0).strip(), values
    return None


# What follows a seed count when it is one system's ("10 seeds for random", 015), not every
# system's ("3 seeds for each system", "5 seeds for all methods", "3 seeds for stability").
_FOR_ONE = lazy(
    r"\s+(?:only\s+)?for\s+(?:the\s+)?(?!(?:each|every|all|both|any|per|stability|"
    r"robustness|variance|significance|reproducibility|averaging|the\s+(?:block|experiment)"
    # What the seeds are for, or a group of systems ("3 seeds for evaluation", "for CIs",
    # "for the main runs", "for baselines"): not one system's count.
    r"|main|evaluation|eval|training|train|testing|test|validation|comparisons?|cis?|"
    r"confidence|reliability|errors?|statistics|baselines|methods|systems|models|arms|"
    r"variants|runs|ablations|experiments)\b)"
    r"`?(?P<name>[\w.-]+)`?\s*(?:$|[.;,)\n]|only\b|runs?\b|baselines?\b)",
    re.IGNORECASE,
)


def seeds_for_one(after: str) -> str | None:
    """
    The system a seed count is stated for, from the text right ``after`` the count ("for
    random." in "10 seeds for random."), or None when it is every system's.
    """
    found = _FOR_ONE.match(after)
    return found.group("name") if found is not None else None


def seeds_of_one_system(text: str) -> str | None:
    """
    The first seed count a text states for one system only, as written ("10 seeds for
    random"), or None: such a count is not the block's (:func:`stated_seed_count` skips it).
    """
    text = _seed_text(text)
    for counted in _run_seed_counts(text):
        end = _FOR_ONE.match(text, counted.end())
        if end is not None:
            return text[counted.start() : end.end("name")].strip()
    return None


# What follows a seed count when its seeds are not the runs' but a sampling step's, a
# tie-break's, a bootstrap's or the data's: 039's B1 "3 seeds 仅用于并列/采样算法，确定性 MART
# 报单次结果" (only for tie-breaking/sampling; the deterministic model reports one result) was
# read as "3 seeds per system". Training and evaluation seeds stay the runs' ("3 seeds for
# evaluation" is the block's count).
_FOR_OTHER_SEEDS = lazy(
    r"\s{0,3}\(?\s{0,2}(?:only\s{1,3})?(?:used\s{1,3})?(?:for|in)\s{1,3}(?:the\s{1,3})?"
    r"(?:sampling|sampler|bootstrap\w*|tie[\s-]?break\w*|ties\b|data\b|splits?\b|shuffl\w*|"
    r"permutations?\b)"
    r"|\s{0,3}\(?\s{0,2}(?:仅|只|仅仅)?\s{0,2}(?:用于|用来|用在|供)[^。；;，,\n]{0,12}?"
    r"(?:采样|抽样|并列|平局|自助|bootstrap|划分|数据|打乱|置换)",
    re.IGNORECASE,
)


# Words around a written seed value saying it seeds a sampler, a subset or the data, not the
# runs: 005's B3 "uniform random sample, fixed seed=0 per clip" (a frame sampler) and 034's
# "MATH500 random 100 (seed 0)" (which 100 problems).
# Not "data", "dataset" or "split": a setup line names its dataset beside the training seed
# ("Dataset: CIFAR-10. Seed: 42", "train/val split 90/10, seed 7"), which is the plan's seed.
_SEED_FOR_SAMPLING = lazy(
    r"\b(?:sampl\w*|subsets?|bootstrap\w*|shuffl\w*|permutations?"
    r"|random\s{1,3}\d+|per[\s-]{1,2}(?:clip|video|image|frame|example|item|problem|prompt"
    r"|episode|query|sample)s?)\b|采样|抽样|子集|打乱",
    re.IGNORECASE,
)


def seed_value_for_sampling(text: str, value: int) -> bool:
    """
    Whether every place ``text`` writes seed ``value`` says the seed is a sampler's or a
    subset's (:data:`_SEED_FOR_SAMPLING` in the 32 characters before the word ``seed`` or
    the 16 after the value, in its clause); ``False`` when one place does not, or none is found.
    Such a value is no seed for the whole plan (:func:`bridge.plan.runs._plan_seed`).
    """
    mention = re.compile(rf"seeds?[^\n\d]{{0,16}}?(?<!\d){value}(?!\d)", re.IGNORECASE)
    places = 0
    for line in _seed_text(text).splitlines():
        for found in mention.finditer(line):
            places += 1
            if not _says_sampling(line, found.start(), found.end()):
                return False
    return places > 0


def _says_sampling(text: str, start: int, end: int) -> bool:
    """
    Whether the seed written at ``text[start:end]`` is a sampler's or a subset's: a word of
    :data:`_SEED_FOR_SAMPLING` in the 32 characters before it or the 16 after, within its line
    and clause ("random sample with seed 0; train with seed 0" trains at 0).
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = re.split(r"[;；。]", text[max(line_start, start - 32) : start])[-1]
    after = re.split(r"[;；。]", text[end : min(line_end, end + 16)])[0]
    return bool(_SEED_FOR_SAMPLING.search(before) or _SEED_FOR_SAMPLING.search(after))


def _run_seed_counts(text: str) -> Iterator[re.Match[str]]:
    """
    The counts in words (``3 seeds``) of the run's seeds, not of splits, GPUs or data, nor
    counts the following words give to sampling, tie-breaks, bootstraps or the data.
    """
    for counted in _SEED_COUNT.finditer(text):
        before = text[max(0, counted.start() - 12) : counted.start()]
        if (
            _run_seed(text, _seed_keyword(counted))
            and not _NOT_A_COUNT.search(before)
            and _FOR_OTHER_SEEDS.match(text, counted.end()) is None
        ):
            yield counted


def stated_seed_count(text: str) -> int | None:
    """
    The first seed count a text states in words (``3 seeds``, ``three seeds``, ``3 个 seed``).

    A number that belongs to something else (``GPU 5 seeds 201/202``, ``N=1 SEEDS=1..25``) or a
    count of other seeds (``3 split seeds``) is not a count.

    Args:
        text: block text.

    Returns:
        The count, or None when the text states none.
    """
    text = _seed_text(text)
    if "seed" not in text.casefold():
        return None
    for counted in _run_seed_counts(text):
        if seeds_for_one(text[counted.end() :]):
            continue  # 015's "10 seeds for random": that system's count, not the block's
        word = counted.group(1).casefold()
        return COUNT_WORDS.get(word) or (int(word) if word.isdigit() else None)
    zh = _SEED_COUNT_ZH.search(text)
    if zh:
        return int(zh.group(1) or zh.group(2))
    # "Seeds: 3" (a field): a count; one seed value is written "Seed: 3".
    labelled = _SEEDS_FIELD_COUNT.search(text)
    return int(labelled.group(1)) if labelled else None


_BLOCK_ID = lazy(
    r"^(?:experiment\s+)?(?:block|块)\s*b?(\d{1,3}(?:\.\d{1,3})?)$|^b(\d{1,3}(?:\.\d{1,3})?)$|^(\d{1,3}(?:\.\d{1,3})?)$",
    re.IGNORECASE,
)


# A plan asking its systems to run at the same seeds: 012's B2 "Use the same seeds, budget, …"
# and its M2 Runs cell "B2 variants 1-3, paired seeds"; "matched seeds", "seeds are shared",
# "相同种子", "同一组种子", "配对种子", "相同 seed".
_SAME_SEEDS = lazy(
    r"\b(?:same|identical|paired|matched|shared|common)\s{1,3}(?:random\s{1,3})?seeds?\b"
    r"|\bseeds?\s{1,3}(?:are\s{1,3})?(?:paired|matched|shared|identical|the\s{1,3}same)\b"
    # 027's "使用相同 seed", 039's "使用同 seed/source split": the English word in a Chinese
    # sentence; never after 不 ("不同 seed": different seeds).
    r"|(?<![不非])(?:相同|同一组?|同样|一致|配对|(?<!相)同)的?\s{0,2}(?:随机)?(?:种子|seeds?\b)"
    r"|(?:种子|seeds?)\s{0,2}(?<![不非])(?:相同|一致|配对)",
    re.IGNORECASE,
)


def same_seeds(text: str) -> str | None:
    """
    The words by which ``text`` asks its systems to run at the same seeds ("same seeds",
    "paired seeds", "相同种子"), as written, or ``None`` when it does not.
    """
    found = _SAME_SEEDS.search(text)
    return found.group(0) if found else None


#: The key of ``PlanLoaded.options`` that carries, to the judge (which reads only the log),
#: the blocks whose plan asks for the same seeds and the words that ask, as
#: :func:`same_seeds_text` writes them; absent when no block asks.
SAME_SEEDS_OPTION = "plan.same_seeds"


def same_seeds_text(blocks: Mapping[str, str]) -> str:
    """Block id → the plan's words asking for the same seeds, as ``PlanLoaded.options`` keeps it."""
    return table_text(blocks)


#: The key of ``PlanLoaded.options`` that carries, to the judge, the blocks whose seeds one
#: command runs (033's E1 `SEEDS=1..25`) and that command as the plan writes it, as
#: :func:`seeds_together_text` writes them; absent when no block does.
SEEDS_TOGETHER_OPTION = "plan.seeds_together"


def seeds_together_text(blocks: Mapping[str, str]) -> str:
    """Block id → the command running its seeds, as ``PlanLoaded.options`` keeps it."""
    return table_text(blocks)


def seeds_together_of(text: str) -> dict[str, str]:
    """:func:`seeds_together_text`'s table read back; ``{}`` for ``""`` or anything else."""
    return table_of(text)


def same_seeds_of(text: str) -> dict[str, str]:
    """:func:`same_seeds_text`'s table read back; ``{}`` for ``""`` or anything else."""
    return table_of(text)


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


# One block reference item: a number (``1``, ``B1``, ``1.5``) or a range of them (``1-3``,
# ``B1–B3``, ``1 to 3``), or a capital letter code (``A``; case-sensitive so that ``and a`` is
# not read as block A). A number followed by a unit (``Block 1, 2 GPUs``) is not an item.
_UNIT = r"(?!\s{0,2}(?:%|×|x\b|gpus?\b|h\b|hours?\b|seeds?\b|epochs?\b|days?\b|个|小时))"
_NUMBER_ITEM = (
    r"B?\d{1,3}(?:\.\d)?(?!\w|\.\d)(?:\s{0,2}(?:-|–|—|~|to|到|至)\s{0,2}B?\d{1,3}(?!\w|\.\d))?"
    + _UNIT
)
_ITEM = rf"(?:{_NUMBER_ITEM}|(?-i:[A-Z])(?![\w]))"
_LIST_SEP = r"\s{0,2}(?:,|，|、|/|&|\+|and|or|和|及|与|或)\s{0,2}"
_REF = lazy(
    # ``Blocks 1, 2 and 4``, ``Block 1-3``, ``实验块 1、2``: a keyword, then a list of items.
    rf"(?P<list>(?:blocks?|块)\s{{0,2}}{_ITEM}(?:{_LIST_SEP}{_ITEM})*)"
    # ``B1``, ``B1–B3`` on their own.
    r"|\bB(?P<one>\d{1,3}(?:\.\d)?)\b(?:\s{0,2}(?:-|–|—|~)\s{0,2}B(?P<last>\d{1,3})\b)?",
    re.IGNORECASE,
)
_ITEM_IN_LIST = lazy(
    r"(?P<first>B?\d{1,3}(?:\.\d)?)(?!\w|\.\d)(?:\s{0,2}(?:-|–|—|~|to|到|至)\s{0,2}(?P<last>B?\d{1,3}))?"
    r"|(?-i:(?P<letter>[A-Z]))(?![\w])",
    re.IGNORECASE,
)
_MAX_RANGE = 20


def block_refs(text: str, known: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """
    The block ids a cell refers to, normalised, in order, without duplicates.

    Args:
        text: a ``Runs``/``Linked Blocks`` cell or a sentence (``B1 + B2``, ``Blocks 1-3``,
            ``B0–B3``, ``Block A``, ``Blocks 1, 2``, ``Block 1 and 2``, ``实验块 1、2``).
            Lists are expanded only after the word Block(s)/块, so ``B1 configs 1, 2`` is B1.
        known: ids of the plan's blocks that are not ``B<n>`` (``A``, ``P0``, ``E3``), matched
            as whole words.

    Returns:
        The referenced block ids.
    """
    # A dict keeps first-seen order and makes the duplicate check constant-time.
    refs: dict[str, None] = {}

    def add(ref: str) -> None:
        refs.setdefault(ref, None)

    def add_range(first: str, last: str | None) -> None:
        start = normalise_block_id(first)
        add(start)
        if last:
            lo_text = start[1:]
            hi_text = normalise_block_id(last)[1:]
            if (
                lo_text.isdigit()
                and hi_text.isdigit()
                and 0 <= int(hi_text) - int(lo_text) <= _MAX_RANGE
            ):
                for n in range(int(lo_text) + 1, int(hi_text) + 1):
                    add(f"B{n}")

    for match in _REF.finditer(text):
        if match.group("list"):
            listed = match.group("list")
            # Skip the keyword itself (``blocks`` contains the letter-free prefix only).
            body = re.sub(r"^(?:blocks?|块)", "", listed, flags=re.IGNORECASE)
            for item in _ITEM_IN_LIST.finditer(body):
                if item.group("letter"):
                    add(item.group("letter"))
                else:
                    add_range(item.group("first"), item.group("last"))
        else:
            add_range("B" + match.group("one"), match.group("last"))
    if known:
        for word in re.findall(r"[A-Za-z]{1,4}\d{0,3}(?:\.\d{1,2})?", text):
            if word in known:
                add(word)
    return tuple(refs)


_LIST_SPLIT = lazy(r"\s+vs\.?\s+|[,;，；、]|\s+and\s+|\s+/\s+")


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
