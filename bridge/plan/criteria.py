"""
Success criteria: a plan's free-text "Success criterion" turned into something a rule can check.

:func:`parse_criterion` understands one condition on one metric, in English or Chinese:

- absolute: ``PPL < 20``, ``accuracy at least 90%``, ``困惑度低于20``;
- difference against a reference system: ``≥ 0.5 F1 improvement vs B``, ``F1 提升 ≥ 0.5``,
  ``DepthGate accuracy > Standard LoRA accuracy by >= 2 points``, ``outperforms the baseline on
  accuracy`` (a difference greater than 0);
- relative (percent of the reference's value): ``reduces loss by 10%``, ``相对提升 5%``,
  ``1.3× throughput over B``;
- ablations: ``each component contributes > 0.5%``, ``每个组件贡献超过0.5%``.

Everything else (several conditions, significance tests, counts over subsets such as "on ≥ 3/4
families", conditionals, numbers it cannot place) is returned as :class:`Unparsed` with the
reason: such a criterion is not machine-checkable, and a reviewer may judge it instead. The
parser prefers saying "cannot parse" over guessing; every interpretation it does make (reading a
bare ``%`` as percentage points, an implicit baseline) is written into :attr:`Criterion.notes`.

Pure: no I/O. Never raises on any text.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Sequence

import attrs

from bridge.plan.metric_names import SYNONYMS, is_lower_better, is_rate_metric, metric_key

__all__ = [
    "BASELINE",
    "Comparison",
    "Criterion",
    "Mode",
    "Orientation",
    "Scope",
    "Unparsed",
    "parse_criterion",
]

BASELINE = "baseline"
"""The reference name meaning "the block's baseline system", resolved by the judge."""


class Comparison(enum.Enum):
    """
    How the measured quantity must relate to the threshold.
    """

    GT = ">"
    GE = "≥"
    LT = "<"
    LE = "≤"
    EQ = "="


class Mode(enum.Enum):
    """
    What is compared with the threshold.

    ``ABSOLUTE``: the subject's value. ``DIFFERENCE``: the subject's gain over the reference, in
    the metric's units (or percentage points when ``percent_scale``). ``RELATIVE``: that gain as
    a percentage of the reference's value.
    """

    ABSOLUTE = "absolute"
    DIFFERENCE = "difference"
    RELATIVE = "relative"


class Orientation(enum.Enum):
    """
    Which way a gain is counted: subject minus reference (``HIGHER``), reference minus subject
    (``LOWER``), or whichever way is better for the metric (``BETTER``: lower for loss-like).
    """

    HIGHER = "higher"
    LOWER = "lower"
    BETTER = "better"


class Scope(enum.Enum):
    """
    ``SINGLE``: one subject against one reference. ``EACH_COMPONENT``: the full system against
    every ablated variant of the block, each comparison must hold.
    """

    SINGLE = "single"
    EACH_COMPONENT = "each_component"


@attrs.frozen(kw_only=True)
class Criterion:
    """
    One machine-checkable success criterion.

    Attributes:
        text: the criterion as the plan wrote it.
        metric: the metric named (a plan metric name when one matched, else the name as written,
            Chinese names given as their English canonical name); ``None`` when the text names
            none and the block's primary metric is meant.
        comparison: the comparison with the threshold.
        threshold: the threshold (in percent for ``RELATIVE``; in percentage points when
            ``percent_scale``).
        mode: absolute value, difference or relative gain.
        percent_scale: the threshold is on a 0-100 scale (``90%``, ``2 pp``); the judge reads
            values of a metric stored as fractions (all within [0, 1]) times 100.
        orientation: how a gain is counted; ``None`` for ``ABSOLUTE``.
        subject: the system that must meet it; ``None`` for the block's proposed system.
        reference: the system compared against (:data:`BASELINE` for the block's baseline);
            ``None`` for ``ABSOLUTE`` and for ``EACH_COMPONENT`` (the ablated variants).
        scope: single comparison or each ablated component.
        notes: interpretations the parser made, for the results file.
    """

    text: str
    metric: str | None
    comparison: Comparison
    threshold: float
    mode: Mode
    percent_scale: bool = False
    orientation: Orientation | None = None
    subject: str | None = None
    reference: str | None = None
    scope: Scope = Scope.SINGLE
    notes: tuple[str, ...] = ()

    def describe(self) -> str:
        """
        Return a one-line, language-neutral statement of the criterion (for tables).
        """
        metric = self.metric or "primary metric"
        unit = "%" if self.mode is Mode.RELATIVE else (" pp" if self.percent_scale else "")
        limit = f"{self.comparison.value} {self.threshold:g}{unit}"
        who = self.subject or "system"
        if self.mode is Mode.ABSOLUTE:
            return f"{who}: {metric} {limit}"
        kind = "relative gain" if self.mode is Mode.RELATIVE else "gain"
        way = self.orientation.value if self.orientation else "better"
        against = (
            "each ablated variant"
            if self.scope is Scope.EACH_COMPONENT
            else (self.reference or BASELINE)
        )
        return f"{who} vs {against}: {metric} {kind} ({way}) {limit}"


@attrs.frozen(kw_only=True)
class Unparsed:
    """
    A criterion the rules cannot check; a reviewer may judge it.

    Attributes:
        text: the criterion as written.
        reason: why it is not machine-checkable.
    """

    text: str
    reason: str


# --------------------------------------------------------------------------------------------
# Normalisation and vocabulary
# --------------------------------------------------------------------------------------------

_REPLACEMENTS: tuple[tuple[str, str], ...] = (
    ("\\geq", "≥"),
    ("\\ge", "≥"),
    ("\\leq", "≤"),
    ("\\le", "≤"),
    ("\\times", "×"),
    ("\\%", "%"),
    (">=", "≥"),
    ("=>", "≥"),
    ("<=", "≤"),
    ("=<", "≤"),
    ("≧", "≥"),
    ("⩾", "≥"),
    ("≦", "≤"),
    ("⩽", "≤"),
    ("==", "="),
    ("大于或等于", "≥"),
    ("小于或等于", "≤"),
    ("大于等于", "≥"),
    ("小于等于", "≤"),
    ("&gt;", ">"),
    ("&lt;", "<"),
    ("−", "-"),  # the minus sign
    ("–", "-"),
    ("\u00a0", " "),
)

_BASELINE_WORDS = (
    "the baseline model",
    "the baseline",
    "baseline model",
    "baselines",
    "baseline",
    "基线模型",
    "基线方法",
    "基线",
    "基准模型",
    "基准方法",
    "基准",
)

_EACH_COMPONENT = re.compile(
    r"\b(each|every|all)\s+(component|module|ablated component|ablation|part|term|piece)s?\b"
    r"|每个(组件|模块|部件|成分|部分)|每一个(组件|模块)|各(个)?(组件|模块)|所有(组件|模块)"
)

_BEST_REFERENCE = re.compile(
    r"\b(best|strongest|all|every|any)\s+(of\s+the\s+)?([\w-]+\s+){0,3}?"
    r"(baselines?|methods?|competitors?|systems?)\b"
    r"|最(强|好|优)的?(基线|基准|方法)|所有(基线|基准|方法)"
)

_STATISTICS = re.compile(
    r"\bp\s*[<≤=]|p-value|signific|confidence|\bci\b|bootstrap|wilson|mcnemar|wilcoxon|t-test"
    r"|holm|bonferroni|显著|置信|检验"
)

_COMPOUND = re.compile(
    r";|；|\beither\b|\bor\b(?!\s+(more|higher|above|better|less|lower|fewer|below)\b)|\bwhile\b|\bwithout\b|\bunless\b|\bif\b|\bprovided\b|\bbut\b"
    r"|\bwhereas\b|\bboth\b|\bas well as\b|或者|或|并且|而且|同时|但|如果|若|否则|以及|且"
)

_SUBSET_COUNT = re.compile(
    r"\d+\s*/\s*\d+|\b(at least|at most)\s+(one|two|three|four|five)\b|\bmajority\b|多数|大部分"
)

_SEEDS_PHRASE = re.compile(
    r"\(?\s*(averaged\s+|on\s+average\s+)?(over|across|on|with)\s+\d+\s+(random\s+)?"
    r"(seeds?|runs?|trials?)\s*\)?|\d+\s*(个)?\s*(seeds?|种子|次运行)(平均|均值)?"
)

# Comparators that introduce a threshold number. Longest first, so "at least" beats "at".
_PREFIX_COMPARATORS: tuple[tuple[str, Comparison, Orientation | None], ...] = (
    ("by at least", Comparison.GE, None),
    ("by more than", Comparison.GT, None),
    ("by over", Comparison.GT, None),
    ("by at most", Comparison.LE, None),
    ("by less than", Comparison.LT, None),
    ("of at least", Comparison.GE, None),
    ("of more than", Comparison.GT, None),
    ("no less than", Comparison.GE, None),
    ("not less than", Comparison.GE, None),
    ("no more than", Comparison.LE, None),
    ("not more than", Comparison.LE, None),
    ("greater than", Comparison.GT, None),
    ("higher than", Comparison.GT, None),
    ("larger than", Comparison.GT, None),
    ("lower than", Comparison.LT, None),
    ("smaller than", Comparison.LT, None),
    ("fewer than", Comparison.LT, None),
    ("more than", Comparison.GT, None),
    ("less than", Comparison.LT, None),
    ("at least", Comparison.GE, None),
    ("at most", Comparison.LE, None),
    ("equal to", Comparison.EQ, None),
    ("exceeding", Comparison.GT, None),
    ("exceeds", Comparison.GT, None),
    ("exceed", Comparison.GT, None),
    ("above", Comparison.GT, None),
    ("below", Comparison.LT, None),
    ("under", Comparison.LT, None),
    ("over", Comparison.GT, None),
    ("by", Comparison.GE, None),
    ("of", Comparison.GE, None),
    ("大于等于", Comparison.GE, None),
    ("大于或等于", Comparison.GE, None),
    ("小于等于", Comparison.LE, None),
    ("小于或等于", Comparison.LE, None),
    ("不低于", Comparison.GE, None),
    ("不少于", Comparison.GE, None),
    ("不小于", Comparison.GE, None),
    ("不超过", Comparison.LE, None),
    ("不高于", Comparison.LE, None),
    ("不大于", Comparison.LE, None),
    ("至少", Comparison.GE, None),
    ("至多", Comparison.LE, None),
    ("最多", Comparison.LE, None),
    ("超过", Comparison.GT, None),
    ("高于", Comparison.GT, None),
    ("大于", Comparison.GT, None),
    ("多于", Comparison.GT, None),
    ("低于", Comparison.LT, None),
    ("小于", Comparison.LT, None),
    ("少于", Comparison.LT, None),
    ("不到", Comparison.LT, None),
    ("等于", Comparison.EQ, None),
    # A Chinese direction word straight before the number: "高2%以上", "降低10%".
    ("提升了", Comparison.GE, Orientation.BETTER),
    ("提升", Comparison.GE, Orientation.BETTER),
    ("提高了", Comparison.GE, Orientation.HIGHER),
    ("提高", Comparison.GE, Orientation.HIGHER),
    ("增加了", Comparison.GE, Orientation.HIGHER),
    ("增加", Comparison.GE, Orientation.HIGHER),
    ("降低了", Comparison.GE, Orientation.LOWER),
    ("降低", Comparison.GE, Orientation.LOWER),
    ("减少了", Comparison.GE, Orientation.LOWER),
    ("减少", Comparison.GE, Orientation.LOWER),
    ("下降了", Comparison.GE, Orientation.LOWER),
    ("下降", Comparison.GE, Orientation.LOWER),
    ("高出", Comparison.GE, Orientation.HIGHER),
    ("高了", Comparison.GE, Orientation.HIGHER),
    ("高", Comparison.GE, Orientation.HIGHER),
    ("低了", Comparison.GE, Orientation.LOWER),
    ("低", Comparison.GE, Orientation.LOWER),
    ("≥", Comparison.GE, None),
    ("≤", Comparison.LE, None),
    (">", Comparison.GT, None),
    ("<", Comparison.LT, None),
    ("=", Comparison.EQ, None),
)

# Comparators that state a level ("loss below 0.5") rather than a gain, even next to a verb.
_LEVEL_WORDS = frozenset(
    {
        "greater than",
        "higher than",
        "larger than",
        "lower than",
        "smaller than",
        "fewer than",
        "more than",
        "less than",
        "above",
        "below",
        "under",
        "over",
        "exceeds",
        "exceed",
        "exceeding",
        "高于",
        "低于",
        "大于",
        "小于",
        "多于",
        "少于",
        "不到",
    }
)

_POSTFIX = (
    ("or more", Comparison.GE),
    ("or higher", Comparison.GE),
    ("or above", Comparison.GE),
    ("or better", Comparison.GE),
    ("or less", Comparison.LE),
    ("or lower", Comparison.LE),
    ("or fewer", Comparison.LE),
    ("or below", Comparison.LE),
    ("以上", Comparison.GE),
    ("及以上", Comparison.GE),
    ("以下", Comparison.LE),
    ("及以下", Comparison.LE),
)


class _Unit(enum.Enum):
    NONE = "none"
    PERCENT = "percent"  # a bare "%": points or relative, decided by the metric
    POINTS = "points"
    RELATIVE = "relative"
    RATIO = "ratio"


_UNITS: tuple[tuple[str, _Unit], ...] = (
    ("percentage points", _Unit.POINTS),
    ("percentage point", _Unit.POINTS),
    ("个百分点", _Unit.POINTS),
    ("百分点", _Unit.POINTS),
    ("points", _Unit.POINTS),
    ("point", _Unit.POINTS),
    ("p.p.", _Unit.POINTS),
    ("pts", _Unit.POINTS),
    ("pt", _Unit.POINTS),
    ("pp", _Unit.POINTS),
    ("个点", _Unit.POINTS),
    ("%", _Unit.PERCENT),
    ("percent", _Unit.PERCENT),
    ("×", _Unit.RATIO),
    ("x", _Unit.RATIO),
    ("倍", _Unit.RATIO),
)


def _alternation(words: Sequence[str], *, leading: bool = True) -> str:
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word)
        # Latin words need word boundaries; CJK and symbols do not have any. Units follow a
        # number directly ("5pp", "2x"), so they get no leading boundary.
        if leading and word[0].isascii() and word[0].isalpha():
            escaped = r"\b" + escaped
        if word[-1].isascii() and word[-1].isalpha():
            escaped += r"\b"
        parts.append(escaped)
    return "|".join(parts)


_NUM = r"(?<![a-z0-9.])[+-]?\d+(?:\.\d+)?"
_THRESHOLD = re.compile(
    rf"(?:(?P<pre>{_alternation([w for w, _, _ in _PREFIX_COMPARATORS])})\s*)?"
    rf"(?P<num>{_NUM})"
    rf"(?:\s*-?\s*(?P<unit>{_alternation([u for u, _ in _UNITS], leading=False)}))?"
    rf"(?:\s*(?P<post>{_alternation([p for p, _ in _POSTFIX])}))?"
)
_PREFIX = {w: (c, o) for w, c, o in _PREFIX_COMPARATORS}
_POST = dict(_POSTFIX)
_UNIT = dict(_UNITS)

_HIGHER_WORDS = re.compile(
    r"\b(higher|increases?|increased|raises?|more)\b|提高|增加|增长|更高|高出|高"
)
_LOWER_WORDS = re.compile(
    r"\b(lower|reduces?|reduced|reduction|decreases?|decreased|drops?|cuts?|less|fewer|shrinks?)\b"
    r"|降低|减少|下降|更低|低"
)
_BETTER_WORDS = re.compile(
    r"\b(improves?|improved|improvement|gains?|outperforms?|beats?|better|surpass(es)?|"
    r"contributes?|contribution|helps?|lifts?|boosts?|wins?)\b"
    r"|提升|优于|好于|胜过|超越|贡献|增益|改进|改善"
)
_RELATIVE_WORDS = re.compile(r"\brelative(ly)?\b|相对(提升|提高|增益|降低|减少|下降|改进)|相对地")

# A reference follows one of these words; "⟨…⟩" is a placeholder put in by the parser.
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:vs\.?|versus|over|than|against|relative\s+to|compared\s+(?:to|with)|beats?|"
    r"outperforms?|surpass(?:es)?|exceeds?)\s+(?:the\s+)?|比|相对于|相对|相比于|相比|较|对比|"
    r"优于|好于|胜过|超过|超越|高于|低于|与)\s*(?P<ref>⟨(?:S[A-Z]+|B)⟩)"
)
_SYSTEM_RELATION = re.compile(
    r"(?P<lhs>⟨S[A-Z]+⟩)(?:[^⟨⟩]|⟨M⟩){0,40}?(?P<op>[><≥≤])\s*(?P<rhs>⟨(?:S[A-Z]+|B)⟩)"
)
_NAMED_REFERENCE = re.compile(
    r"\b(?:vs\.?|versus|against|compared\s+(?:to|with)|relative\s+to)\s+(?:the\s+)?"
    r"(?P<word>[^\s,;:.()⟨⟩]+)"
)
_NEGATED_RELATION = re.compile(
    r"(不低于|不高于|不差于|不劣于|\bnot\s+(lower|higher|worse|better)\s+than|"
    r"\bno\s+(lower|higher|worse|better)\s+than)\s*(the\s+)?⟨"
)


def _tag(kind: str, index: int) -> str:
    """
    Return a placeholder such as ``⟨SA⟩``: upper-case letters, so no lower-case term or number
    pattern can match inside it.
    """
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return f"⟨{kind}{letters}⟩"


def _untag(placeholder: str) -> int:
    index = 0
    for char in placeholder[2:-1]:
        index = index * 26 + (ord(char) - ord("A") + 1)
    return index - 1


def _normalise(text: str) -> str:
    out = unicodedata.normalize("NFKC", text)
    for old, new in _REPLACEMENTS:
        out = out.replace(old, new)
    out = re.sub(r"[*`$]", "", out)
    out = re.sub(r"\s+", " ", out).strip()
    return out.lower()


def _replace_terms(text: str, terms: Sequence[tuple[str, str]]) -> tuple[str, list[str]]:
    """
    Replace each term (matched case-insensitively, not inside a longer word) by its placeholder.
    """
    found: list[str] = []
    for term, placeholder in sorted(terms, key=lambda t: len(t[0]), reverse=True):
        needle = _normalise(term)
        if not needle:
            continue
        left = r"(?<![0-9a-z])" if needle[0].isascii() and needle[0].isalnum() else ""
        right = r"(?![0-9a-z])" if needle[-1].isascii() and needle[-1].isalnum() else ""
        pattern = re.compile(left + re.escape(needle) + right)
        if pattern.search(text):
            found.append(term)
            text = pattern.sub(placeholder, text)
    return text, found


def _metric_terms(metrics: Sequence[str]) -> list[tuple[str, str]]:
    """
    Metric spellings to look for: the plan's metric names, then the built-in vocabulary.
    """
    terms: list[tuple[str, str]] = [(m, _tag("M", i)) for i, m in enumerate(metrics) if m.strip()]
    known = {metric_key(m) for m in metrics}
    extra = [
        "macro f1",
        "micro f1",
        "macro accuracy",
        "auroc",
        "auprc",
        "auc",
        "map",
        "miou",
        "iou",
        "bleu",
        "rouge-l",
        "rouge",
        "chrf++",
        "chrf",
        "psnr",
        "ssim",
        "lpips",
        "fid",
        "mse",
        "mae",
        "rmse",
        "nll",
        "win rate",
        "hit rate",
        "tpr",
        "fpr",
        "top-1 acc",
        "top-5 acc",
    ]
    vocabulary = [w for group in SYNONYMS for w in group] + extra
    offset = len(terms)
    for j, word in enumerate(vocabulary):
        if metric_key(word) not in known:
            terms.append((word, _tag("M", offset + j)))
    return terms


def _canonical(name: str) -> str:
    """
    Give the English canonical name for a Chinese metric spelling; other names unchanged.
    """
    if name.isascii():
        return name
    key = metric_key(name)
    for group in SYNONYMS:
        if key in {metric_key(g) for g in group}:
            return group[0]
    return name


@attrs.frozen(kw_only=True)
class _Threshold:
    comparison: Comparison
    value: float
    unit: _Unit
    word: str
    orientation: Orientation | None
    bare: bool = False  # a number with a unit but no comparator ("1.3x over B")


def parse_criterion(
    text: str,
    *,
    block_systems: Sequence[str] = (),
    metrics: Sequence[str] = (),
) -> Criterion | Unparsed:
    """
    Parse one success criterion into a :class:`Criterion`, or say why it cannot be.

    Args:
        text: the criterion as the plan writes it (Markdown emphasis and LaTeX comparators are
            tolerated).
        block_systems: the names of the block's systems; a name found in the text becomes the
            subject or the reference.
        metrics: the plan's metric names; a name found in the text is reported as written there.

    Returns:
        The structured criterion, or :class:`Unparsed` with the reason. Never raises.
    """
    try:
        return _parse(text, block_systems=block_systems, metrics=metrics)
    except Exception as exc:  # the contract is "never raises": report the failure instead
        return Unparsed(text=text, reason=f"parser error: {type(exc).__name__}: {exc}")


def _parse(  # one linear decision procedure, kept in one place to read top to bottom
    text: str, *, block_systems: Sequence[str], metrics: Sequence[str]
) -> Criterion | Unparsed:
    def unparsed(reason: str) -> Unparsed:
        return Unparsed(text=text, reason=reason)

    norm = _normalise(text).rstrip(".。!！ ")
    if not norm:
        return unparsed("empty criterion")
    notes: list[str] = []

    # Systems first (their names may contain digits or metric words), then the baseline word.
    systems = [s for s in block_systems if s.strip()]
    norm, _ = _replace_terms(norm, [(s, _tag("S", i)) for i, s in enumerate(systems)])
    if _BEST_REFERENCE.search(norm):
        return unparsed("compares with the best or with all of several systems")
    norm, _ = _replace_terms(norm, [(w, "⟨B⟩") for w in _BASELINE_WORDS])

    if _NEGATED_RELATION.search(norm):
        return unparsed("a non-inferiority comparison ('not worse than'), not a threshold")
    if _STATISTICS.search(norm):
        return unparsed("asks for a statistical test or interval, which the rules do not compute")
    if _SUBSET_COUNT.search(norm):
        return unparsed("counts over subsets (categories, families, configs)")
    if _COMPOUND.search(norm):
        return unparsed("several or conditional clauses; only one condition can be checked")

    terms = _metric_terms(metrics)
    norm, _ = _replace_terms(norm, terms)
    metric_ids = sorted({_untag(t) for t in re.findall(r"⟨M[A-Z]+⟩", norm)})
    names = [terms[i][0] for i in metric_ids]
    distinct = {metric_key(_canonical(n)) for n in names}
    if len(distinct) > 1:
        return unparsed(f"names several metrics ({', '.join(names)})")
    metric: str | None = _canonical(names[0]) if names else None
    if names and metric != names[0]:
        notes.append(f"metric {names[0]!r} read as {metric!r}")
    norm = re.sub(r"⟨M[A-Z]+⟩", "⟨M⟩", norm)
    norm = _SEEDS_PHRASE.sub(" ", norm)

    # Thresholds: every number must be claimed by a comparator, else we do not understand it.
    thresholds: list[_Threshold] = []
    for match in _THRESHOLD.finditer(norm):
        pre, post, unit = match.group("pre"), match.group("post"), match.group("unit")
        if pre is None and post is None and unit is None:
            return unparsed(f"a number without a comparison: {match.group(0).strip()!r}")
        comparison, orientation = _PREFIX[pre] if pre else (Comparison.GE, None)
        if post:
            comparison = _POST[post]
        thresholds.append(
            _Threshold(
                comparison=comparison,
                value=float(match.group("num")),
                unit=_UNIT[unit] if unit else _Unit.NONE,
                word=pre or post or "",
                orientation=orientation,
                bare=pre is None and post is None,
            )
        )
    rest = _THRESHOLD.sub(" ⟨T⟩ ", norm)
    if len(thresholds) > 1:
        return unparsed("several thresholds; only one condition can be checked")

    # Systems and the reference.
    subject: str | None = None
    reference: str | None = None
    relation_orientation: Orientation | None = None
    rel = _SYSTEM_RELATION.search(rest)
    if rel:
        subject = _system_name(rel.group("lhs"), systems)
        reference = _system_name(rel.group("rhs"), systems)
        relation_orientation = (
            Orientation.HIGHER if rel.group("op") in (">", "≥") else Orientation.LOWER
        )
        rest = rest[: rel.start()] + " " + rest[rel.end() :]
    elif re.search(r"[><≥≤]", rest):
        return unparsed("a comparison between things that are not systems of the block")
    else:
        refs = {m.group("ref") for m in _REFERENCE_BEFORE.finditer(rest)}
        if len(refs) > 1:
            return unparsed("several reference systems")
        if refs:
            reference = _system_name(refs.pop(), systems)
        if reference is None and not systems:
            named = _NAMED_REFERENCE.search(rest)
            if named:
                reference = _original_spelling(named.group("word"), text)
        elif reference is None and _NAMED_REFERENCE.search(rest):
            return unparsed("the reference named is not a system of the block")
        mentioned = list(dict.fromkeys(re.findall(r"⟨S[A-Z]+⟩", rest)))
        candidates = [p for p in mentioned if _system_name(p, systems) != reference]
        if len(candidates) > 1:
            return unparsed("several subject systems")
        if candidates:
            subject = _system_name(candidates[0], systems)
        if reference is None and "⟨B⟩" in rest:
            reference = BASELINE

    each = bool(_EACH_COMPONENT.search(rest))
    if each:
        if reference is not None and reference != BASELINE:
            return unparsed("an ablation criterion that also names a reference system")
        reference = None

    threshold = thresholds[0] if thresholds else None
    wants_better = bool(_BETTER_WORDS.search(rest))
    wants_higher = bool(_HIGHER_WORDS.search(rest))
    wants_lower = bool(_LOWER_WORDS.search(rest))
    verb_orientation = threshold.orientation if threshold else None
    if verb_orientation is None and relation_orientation is None:
        if wants_higher and wants_lower:
            return unparsed("direction words point both ways")
        if wants_lower:
            verb_orientation = Orientation.LOWER
        elif wants_higher:
            verb_orientation = Orientation.HIGHER
        elif wants_better:
            verb_orientation = Orientation.BETTER
    orientation = relation_orientation or verb_orientation

    relational = reference is not None or each or relation_orientation is not None
    if not relational and verb_orientation is not None and threshold is not None:
        # "F1 提升 ≥ 0.5", "reduces loss by 10%": a gain with no reference named means the
        # baseline; "loss decreases below 0.5" states a level.
        relational = threshold.word not in _LEVEL_WORDS
        if relational:
            reference = BASELINE
            notes.append("no reference named: the block's baseline")

    if threshold is None:
        if relational and orientation is not None:
            # "outperforms the baseline on accuracy": any gain counts.
            threshold = _Threshold(
                comparison=Comparison.GT,
                value=0.0,
                unit=_Unit.NONE,
                word="",
                orientation=orientation,
            )
            notes.append("no threshold: any gain over the reference counts")
        else:
            return unparsed("no comparison with a number or with another system")
    if relational and orientation is None:
        orientation = Orientation.BETTER
    if threshold.bare:
        if not relational:
            return unparsed(f"a number without a comparison: {threshold.value:g}")
        notes.append(f"no comparator before {threshold.value:g}: read as 'at least'")

    if metric is None and not relational:
        return unparsed("an absolute threshold without a metric")

    # Units: decide what the number measures.
    unit = threshold.unit
    value = threshold.value
    if _RELATIVE_WORDS.search(rest) and unit in (_Unit.PERCENT, _Unit.NONE):
        unit = _Unit.RELATIVE
    percent_scale = False
    if not relational:
        mode = Mode.ABSOLUTE
        orientation = None
        if unit is _Unit.RATIO or unit is _Unit.RELATIVE:
            return unparsed("a ratio or relative change without a reference")
        percent_scale = unit in (_Unit.PERCENT, _Unit.POINTS)
    elif unit is _Unit.RATIO:
        mode = Mode.RELATIVE
        value = round((value - 1.0) * 100.0, 9)
        notes.append(f"ratio {threshold.value:g}× read as a relative gain of {value:g}%")
    elif unit is _Unit.RELATIVE:
        mode = Mode.RELATIVE
    elif unit is _Unit.POINTS:
        mode = Mode.DIFFERENCE
        percent_scale = True
    elif unit is _Unit.PERCENT:
        if metric is None or is_rate_metric(metric):
            mode = Mode.DIFFERENCE
            percent_scale = True
            notes.append("'%' read as percentage points (a rate metric)")
        else:
            mode = Mode.RELATIVE
            notes.append("'%' read as a relative change (not a rate metric)")
    else:
        mode = Mode.DIFFERENCE

    if mode is not Mode.ABSOLUTE and value < 0:
        return unparsed("a negative gain threshold")
    if orientation is Orientation.BETTER and metric is not None and is_lower_better(metric):
        notes.append(f"{metric!r}: lower is better")

    return Criterion(
        text=text,
        metric=metric,
        comparison=threshold.comparison,
        threshold=value,
        mode=mode,
        percent_scale=percent_scale,
        orientation=orientation,
        subject=subject,
        reference=reference,
        scope=Scope.EACH_COMPONENT if each else Scope.SINGLE,
        notes=tuple(notes),
    )


def _system_name(placeholder: str, systems: Sequence[str]) -> str:
    if placeholder == "⟨B⟩":
        return BASELINE
    return systems[_untag(placeholder)]


def _original_spelling(word: str, text: str) -> str:
    """
    Find ``word`` (lower-cased by normalisation) in the original text and return it as written.
    """
    found = re.search(re.escape(word), unicodedata.normalize("NFKC", text), re.IGNORECASE)
    return found.group(0) if found else word
