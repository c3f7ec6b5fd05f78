"""
The criterion types: what a parsed success criterion says, or why it could not be parsed.
"""

from __future__ import annotations

import enum
import re

import attrs

from bridge.lazy_patterns import lazy
from bridge.value_methods import value_methods

__all__ = [
    "BASELINE",
    "ENGLISH",
    "GAP_READ",
    "LIFT_NOTE",
    "LIFT_READ",
    "MEDIAN",
    "SIGN_NOTE",
    "SIGN_READ",
    "WORSE_NOTE",
    "WORSE_READ",
    "Comparison",
    "Compound",
    "Criterion",
    "Derived",
    "DerivedOp",
    "Mode",
    "Orientation",
    "Scope",
    "Unparsed",
    "Wording",
    "holds",
    "level_with",
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


def level_with(quantity: float, threshold: float, rounding: float = 0.0) -> bool:
    """Whether :func:`holds` counts ``quantity`` as equal to ``threshold``: within ``rounding``
    of it, or 10⁻¹² of it (at least 10⁻¹²)."""
    return abs(quantity - threshold) <= max(rounding, 1e-12 * max(1.0, abs(threshold)))


def holds(quantity: float, comparison: Comparison, threshold: float, rounding: float = 0.0) -> bool:
    """
    Whether ``quantity`` stands in ``comparison`` to ``threshold``, a quantity within float
    noise of the threshold counting as equal to it: ``rounding`` (what the judge says the
    computation may have moved it, ``bridge.machine.comparisons.noise``), and never less than
    10⁻¹² of the threshold (at least 10⁻¹²). A gain of 0.70 − 0.68 in points is
    1.9999999999999907 in binary floating point and meets "by ≥ 2 points", as the researcher's
    arithmetic says, while "> 2" is not met; a real difference (10⁹ + 0.5 against 10⁹) is never
    taken for noise. One rule for a block's criterion and a run's gate (``bridge.plan.run_gates``:
    0.29 read ×100 is 28.999999999999996, and «Parse ≥29%» read NOT MET on a recorded 0.29).
    """
    level = level_with(quantity, threshold, rounding)
    if comparison is Comparison.GT:
        return quantity > threshold and not level
    if comparison is Comparison.GE:
        return quantity >= threshold or level
    if comparison is Comparison.LT:
        return quantity < threshold and not level
    if comparison is Comparison.LE:
        return quantity <= threshold or level
    return level


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
    (``LOWER``), whichever way is better for the metric (``BETTER``: lower for loss-like), or
    the size of the difference whichever way it goes (``EITHER``: a two-sided tolerance,
    "differs from B by at most 0.5").
    """

    HIGHER = "higher"
    LOWER = "lower"
    BETTER = "better"
    EITHER = "either"


class Scope(enum.Enum):
    """
    ``SINGLE``: one subject against one reference. ``EACH_COMPONENT``: the full system against
    every ablated variant of the block, each comparison must hold.
    """

    SINGLE = "single"
    EACH_COMPONENT = "each_component"


class DerivedOp(enum.Enum):
    """
    How a derived quantity is computed from two recorded metrics.

    ``DIFFERENCE``: left − right. ``RATIO``: left / right. ``SHARE``: left / right read as a
    share ("X of Y"), on a 0-100 scale when the threshold is in percent.
    """

    DIFFERENCE = "difference"
    RATIO = "ratio"
    SHARE = "share"


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Derived:
    """
    A quantity a clause asks for that two recorded metrics give directly.

    Attributes:
        op: difference, ratio or share.
        left: the first metric's name as written.
        right: the second metric's name as written.
    """

    op: DerivedOp
    left: str
    right: str

    def describe(self) -> str:
        """
        Return the formula (``a − b``, ``a / b``, ``a of b``).
        """
        sign = {DerivedOp.DIFFERENCE: "−", DerivedOp.RATIO: "/", DerivedOp.SHARE: "of"}[self.op]
        return f"{self.left} {sign} {self.right}"


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Setting:
    """
    A setting a clause holds at, named with its value (006's "wind_speed_edges=9 at h=144"):
    the judge reads the clause on the runs that record the setting at that value.

    Attributes:
        name: the setting's name as written (``h``).
        value: its value (``144``).
        text: the words that state it, as written (``at h=144``).
    """

    name: str
    value: float
    text: str


@attrs.frozen(kw_only=True)
class Wording:
    """
    The words :meth:`Criterion.describe` puts around a criterion's names and numbers; the
    templates take ``who``, ``metric``, ``limit`` and, compared, ``against``, ``kind``, ``way``.
    """

    primary_metric: str
    system: str
    gain: str
    relative_gain: str
    #: What a two-sided tolerance bounds (the difference either way), absolute and relative.
    difference: str
    relative_difference: str
    #: By the orientation's value: ``higher``, ``lower``, ``better`` (none given), ``either``.
    ways: dict[str, str]
    each_component: str
    baseline: str
    absolute: str
    compared: str
    #: A limit on a rise ("without increasing contamination": a rise ≤ 0), which a "gain
    #: (higher)" read as higher being better (036's M2.1); takes what ``compared`` does but
    #: ``way``, and ``kind`` is :attr:`rise`.
    limited: str
    rise: str
    #: A limit on a drop (018's «历史成功率下降不超过 2 个百分点»: a drop ≤ 2 pp), said as the
    #: verdict says it; a "gain (lower) ≤ 2" read in Chinese «增益（按降低计）≤ 2 pp», a cap
    #: on a gain (h41F). Takes what ``limited`` does, with ``kind`` this.
    drop: str
    #: After a comparison whose margin is only in words; takes ``word``.
    margin_in_words: str
    #: After a level asked beyond its bound in words ("loss far below 0.1"); takes ``word``.
    level_in_words: str
    #: A setting where the clause holds that the judge does not look up (``at 16×4``); takes
    #: ``said``, the plan's words.
    unchecked: str
    #: The scope of a threshold that holds of each item (``on every question type``), judged
    #: on every label the runs record; takes ``said``, the plan's words.
    per_item: str
    #: The evaluation set a clause is said of, by :attr:`Criterion.evaluation_set`'s value.
    evaluation_sets: dict[str, str]
    #: A level of the median of a metric over a system's runs (038's «median EF1% at least
    #: 2»), which the judge takes as the runs' median; takes ``metric``.
    median: str = "median {metric}"


#: The statement's English words (tables, `bridge plan --json`, the results).
ENGLISH = Wording(
    primary_metric="primary metric",
    system="the proposed system",
    gain="gain",
    relative_gain="relative gain",
    difference="difference",
    relative_difference="relative difference",
    ways={"higher": "higher", "lower": "lower", "better": "better", "either": "either way"},
    each_component="each ablated variant",
    baseline=BASELINE,
    absolute="{who}: {metric} {limit}",
    compared="{who} vs {against}: {metric} {kind} ({way}) {limit}",
    limited="{who} vs {against}: {metric} {kind} {limit}",
    rise="rise",
    drop="drop",
    margin_in_words=(
        ", by a margin stated only in words ({word}): not met without a gain, else open"
    ),
    level_in_words=(
        ", beyond the bound by a margin stated only in words ({word}): not met where the "
        "bound fails, else open"
    ),
    unchecked="{said} (only '{said}' not checked)",
    per_item="{said} (each recorded label)",
    evaluation_sets={
        "test": "on the test set",
        "validation": "on the validation set",
        "dev": "on the dev set",
        "train": "on the training set",
    },
)

#: The note the parser writes where a sign between two systems alone says which way a change
#: is counted ("search > random by ≥ 0.10 mean lift", 005's B4): read as a higher value (``>``,
#: ``≥``) or a lower one, as written; a reader may mean "better", which the judge tells apart
#: only where the metric's better way is known.
SIGN_NOTE = "'{sign}' between the systems read as a {way} value"
SIGN_READ = lazy(r"'(?P<sign>[^']+)' between the systems read as a (?P<way>higher|lower) value")

#: The note the parser writes of a limit on getting worse ("does not degrade", «不退化», "at most
#: 1 point degradation"): counted as the gain where better is, at least minus the limit, which
#: way is better being the metric's own (the judge leaves it open where it does not know it).
WORSE_NOTE = (
    "getting worse read in {metric}'s own direction: {bound} {limit} worse than the reference"
)
WORSE_READ = lazy(
    r"getting worse read in (?P<metric>.+)'s own direction: at (?:most|least) \S+ worse than "
    r"the reference"
)

#: The note bridge/plan/criteria/parser.py's ``_gap_kept`` writes of a gap read with its metric
#: (032's «UtilityNLL gap < 5%»): judged on a recorded gap of that name, open where none is.
GAP_READ = lazy(r"'(?:gap|difference)' read with the metric, ")

#: The note of a bare "%" margin on a rate read as percentage points ("AUPRC 比 B 高出 30% 以上",
#: "improves accuracy by 30%"): the plain reading, which the judge weighs against the relative
#: one and leaves open where the two give different verdicts.
PERCENT_AS_POINTS = "'%' read as percentage points (a rate metric)"

#: The note bridge/plan/criteria/parser.py's ``_lift_is_the_gain`` writes of a margin written
#: as the lift itself (005's B4 «search > random by ≥+0.10 mean lift»): the gain on the primary
#: metric, unless the runs record a metric of that name, which the judge then reads.
LIFT_NOTE = "{metric!r} read as the gain itself, on the block's primary metric"
LIFT_READ = lazy(r"'(?P<metric>.+)' read as the gain itself, on the block's primary metric")

#: "median" (中位数) in a clause's words: the statistic it asks of the metric over a system's
#: runs (see :attr:`Wording.median`; the judge takes the median where it is asked).
MEDIAN = lazy(r"\bmedian\b|中位数", re.IGNORECASE)
# The note bridge/plan/criteria/parser.py writes of every setting where a clause holds ("'at
# 16×4' read as where it holds, not a threshold"); a setting named with a value is also in
# Criterion.settings, which the judge checks.
_WHERE_NOTE = lazy(r"'(?P<said>[^']*)' read as where it holds, not a threshold")
# The notes of what a clause holds under that no rule checks: a condition ("'at the same
# training time' read as a condition the comparison holds under, …") and a scope before a
# Chinese metric's name ("'每域' not checked one by one: …"), both written by the parser. Said
# in the statement too: left to the notes, `bridge plan` and the verdict read as if they had
# been checked (001's B1, 018's B1, trial t11).
_UNCHECKED_NOTE = lazy(
    r"'(?P<said>[^']*)' (?:read as a condition the comparison holds under, "
    r"(?:not its metric|not checked)|not checked one by one: .*)"
)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
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
        derived: for an absolute clause on a quantity computed from two recorded metrics (a
            difference, ratio or share), how; then ``metric`` is its formula.
        ratio: the factor of "≥ 2× faster than B" when no metric is named: ``threshold`` is
            then the relative gain a higher-is-better metric needs (100 %), and the judge
            reads the factor as a reduction (50 %) when the block's primary metric is
            lower-is-better, which the parser cannot know. ``None`` otherwise.
        percent_of_primary: a bare "%" when no metric is named ("25% faster than B"): read as
            percentage points here, and by the judge as a relative change when the block's
            primary metric is no rate (latency).
        settings: the settings named with a value where the condition holds (``at h=144``);
            every setting, named or not, is also said in ``notes``.
        margin_in_words: the word of a margin the plan states without a number ("outperform
            B by a *non-trivial* margin", "明显优于 B"), as written; then the clause is a gain
            ``> 0`` that the judge reads only as far as the numbers allow: not met where the
            subject does not beat the reference at all, else open (how large a gain is
            "non-trivial" is not said). On a level ("loss *far* below 0.1"): not met where
            the level fails its bound, else open. ``None`` for a margin given as a number or
            none.
        unit: the unit of measure the plan writes after the threshold or the margin ("latency
            < 5 ms", "≤ B + 2 s", «5 毫秒»), by its canonical symbol (``ms``, ``s``, ``min``,
            ``h``, ``GB``…); the judge compares only where the metric's name says the unit its
            values are in. ``None`` when no such unit is written.
        evaluation_set: the evaluation set the clause is said of ("on the test set",
            «在测试集上»): ``test``, ``validation``, ``dev`` or ``train``; the judge reads the
            value recorded for that set (a name saying it, or the one value where no name says
            a set), never another set's. ``None`` when none is said.
        per_item: for a threshold or a comparison that holds of each of several items, the
            scope as written ("on every question type", «每域», "beats B on every task"): the
            judge reads every value the runs record for the metric under a label
            (``acc[distance]``, ``probabilities.math``), for a comparison every label both
            systems record, met only where each is; ``None`` for a clause on one value.
        subject_said, subject_could_be: where no system is named as the subject but the words
            before the comparison are part of several systems' names (039's «GNN 同时优于
            MART»: "threshold/GNN", "typed-mass-cover/GNN"), those words as written and those
            systems: the judge takes the block's proposed system when it is one of them, and
            otherwise says the subject could be any of them. ``None`` and ``()`` otherwise.
        reference_before: for a change that names no system it is measured from (``reference``
            is the baseline) after clauses of the same criterion that compare with named
            systems, those systems («… 比 B 低 50% 以上，t_settle 至少降低 10%»): the change may
            be measured from them or from the baseline, so the judge takes the block's baseline
            only where it is the one of them, and otherwise leaves the clause open. ``()``
            otherwise.
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
    derived: Derived | None = None
    ratio: float | None = None
    percent_of_primary: bool = False
    settings: tuple[Setting, ...] = ()
    margin_in_words: str | None = None
    per_item: str | None = None
    unit: str | None = None
    evaluation_set: str | None = None
    subject_said: str | None = None
    subject_could_be: tuple[str, ...] = ()
    reference_before: tuple[str, ...] = ()

    def judged_on(self, metric: str) -> Criterion:
        """
        The clause as the judge reads it on ``metric``, the metric a clause naming none is
        judged on: a bare "%" (``percent_of_primary``) is percentage points of a rate, and a
        relative change of anything else ("25% faster than B" of latency). The judge and the
        ``bridge plan`` preview both read it here, so on the same metric name they read it
        alike (027's B3 «改善至少 10%» of ``fk_p95`` was previewed "≥ 10 pp" and judged a
        relative 10 %); the preview names the plan's primary metric, the judge the one the runs
        recorded, and the two can still differ where those names do ("success" and "success
        rate").
        """
        from bridge.plan.metric_names import is_rate_metric

        if not self.percent_of_primary or is_rate_metric(metric):
            return self
        return attrs.evolve(
            self,
            mode=Mode.RELATIVE,
            percent_scale=False,
            notes=tuple(
                f"'%' read as a relative change ({metric} is not a rate)"
                if note == PERCENT_AS_POINTS
                else note
                for note in self.notes
            ),
        )

    def describe(self, wording: Wording | None = None) -> str:
        """
        Return a one-line statement of the criterion (for tables): its names, operator,
        threshold and unit as parsed, in ``wording``'s words (English by default), then the
        settings where it holds as written: ``at h=144``, which the judge looks up in the runs,
        or ``at 16×4 (only 'at 16×4' not checked)``; and as not checked, the conditions it
        holds under ("at the same training time") and the scope before a Chinese metric's name
        («每域»). Only the setting is said not checked: the rest of the clause is judged.
        """
        # 006's B4 "wind_speed_edges=9 at h=144" read "wind_speed_edges = 9": the judge reads
        # it at h=144 only, which the statement did not say. A setting it cannot look up
        # ("at 16×4", 015's B6) is said too, as not checked, rather than dropped.
        w = wording or ENGLISH
        checked = {setting.text for setting in self.settings}
        where = [
            said if setting and said in checked else w.unchecked.format(said=said)
            for note in self.notes
            for setting, found in [
                (True, _WHERE_NOTE.fullmatch(note)),
                (False, _UNCHECKED_NOTE.fullmatch(note)),
            ]
            if found is not None
            for said in [found["said"]]
        ]
        # "on every question type": judged per label, said as such (trial t12: dropped, or
        # "not checked" beside a verdict that came from one label).
        if self.per_item is not None:
            where.insert(0, w.per_item.format(said=self.per_item))
        if self.evaluation_set is not None:
            where.insert(0, w.evaluation_sets[self.evaluation_set])
        return " ".join([self._statement(wording), *where])

    def _statement(self, wording: Wording | None) -> str:
        """The statement :meth:`describe` gives, without the settings where it holds."""
        w = wording or ENGLISH
        metric = self.metric or w.primary_metric
        # A level on a 0-100 scale is a percentage ("verbatim-match ≤ 30%"); points ("pp") are
        # a difference between two values (004's B2 read "verbatim-match ≤ 30 pp").
        points = self.percent_scale and self.mode is not Mode.ABSOLUTE
        percent = self.mode is Mode.RELATIVE or (self.percent_scale and not points)
        unit = "%" if percent else (" pp" if points else "")
        if self.unit is not None:
            unit = f" {self.unit}"
        limit = f"{self.comparison.value} {self.threshold:g}{unit}"
        if self.ratio is not None:
            # Which gain the factor means depends on the primary metric's direction.
            limit = f"{self.comparison.value} {self.ratio:g}×"
        who = self.subject or w.system
        if self.mode is Mode.ABSOLUTE:
            if self.metric and MEDIAN.search(self.text) and not MEDIAN.search(self.metric):
                metric = w.median.format(metric=metric)
            said = w.absolute.format(who=who, metric=metric, limit=limit)
            if self.margin_in_words is not None:
                said += w.level_in_words.format(word=repr(self.margin_in_words))
            return said
        relative = self.mode is Mode.RELATIVE
        if self.orientation is Orientation.EITHER:
            kind = w.relative_difference if relative else w.difference
        else:
            kind = w.relative_gain if relative else w.gain
        way = w.ways[self.orientation.value if self.orientation else "better"]
        reference = self.reference or BASELINE
        against = (
            w.each_component
            if self.scope is Scope.EACH_COMPONENT
            else (w.baseline if reference == BASELINE else reference)
        )
        rise_limited = (
            self.mode is Mode.DIFFERENCE
            and self.orientation is Orientation.HIGHER
            and self.comparison in (Comparison.LE, Comparison.LT)
        )
        drop_limited = (
            self.mode is Mode.DIFFERENCE
            and self.orientation is Orientation.LOWER
            and self.comparison in (Comparison.LE, Comparison.LT)
        )
        said = (
            w.limited.format(who=who, against=against, metric=metric, kind=w.rise, limit=limit)
            if rise_limited
            else w.limited.format(who=who, against=against, metric=metric, kind=w.drop, limit=limit)
            if drop_limited
            else w.compared.format(
                who=who, against=against, metric=metric, kind=kind, way=way, limit=limit
            )
        )
        if self.margin_in_words is not None:
            said += w.margin_in_words.format(word=repr(self.margin_in_words))
        return said


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Unparsed:
    """
    A criterion the rules cannot check; a reviewer may judge it.

    Attributes:
        text: the criterion as written.
        reason: why it is not machine-checkable.
    """

    text: str
    reason: str


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Compound:
    """
    A criterion of several clauses, all of which must hold, or of alternatives, one of which
    must.

    The judge gives ``met`` only when every clause is met, ``not_met`` as soon as one checkable
    clause is not met, otherwise ``inconclusive`` naming the open clauses and why each is open.
    With ``alternatives`` each part is judged so on its own clauses, and the criterion is
    ``met`` when one part is met, ``not_met`` when every part is not met, otherwise
    ``inconclusive``.

    Attributes:
        text: the criterion as written.
        clauses: each clause parsed, or why it is not machine-checkable, in text order.
        notes: how the text was split (a trailing "or can be dropped if not" left out, ...).
        alternatives: for "either A or B" (001's B2), the positions in ``clauses`` (from 0) of
            each part's clauses, in text order; ``()`` when every clause must hold.
    """

    text: str
    clauses: tuple[Criterion | Unparsed, ...]
    notes: tuple[str, ...] = ()
    alternatives: tuple[tuple[int, ...], ...] = ()

    def describe(self) -> str:
        """
        Return the clauses, one statement each, joined by ``AND``; alternatives each in
        brackets, joined by ``OR``.
        """

        def said(clause: Criterion | Unparsed) -> str:
            return (
                clause.describe()
                if isinstance(clause, Criterion)
                else f"[not checkable: {clause.text}]"
            )

        if self.alternatives:
            return " OR ".join(
                "(" + " AND ".join(said(self.clauses[i]) for i in part) + ")"
                for part in self.alternatives
            )
        return " AND ".join(said(c) for c in self.clauses)
