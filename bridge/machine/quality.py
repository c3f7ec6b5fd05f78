"""
Training-quality checks over a run's metric values and histories. Pure: no I/O.

Three kinds of finding (:class:`QualityKind`):

- ``non_finite``: a NaN or infinite number anywhere, in a final value or at any step of a
  history. A run with one has not produced a trustworthy result.
- ``divergence``: a lower-is-better metric (loss, perplexity, error, ...; see
  :func:`bridge.plan.metric_names.is_lower_better`) that is rising over the last part of its
  history and has ended more than ``divergence_factor`` times above the best value it reached
  (for a best value near zero or negative: above it by more than ``(factor - 1) × |best|``,
  with a floor of ``1e-12``). Higher-is-better metrics are not checked for divergence. A
  history too short for that (three points or more, fewer than ``min_points``) diverges when
  it rose at every point to more than ``divergence_factor`` times its first value.
- ``overfitting``: a validation loss (``val_loss``, ``eval/loss``, ``valid.loss``…) that rose
  at each of its last ``overfit_evaluations`` evaluations while the matching training loss
  (``train_loss``, ``train/loss``, or plain ``loss``) fell over the same steps. Reported with
  both series and their numbers; not blocking: the best checkpoint may well be fine, but the
  reader should know the final one is past it.
- ``plateau``: no improvement (in the metric's better direction) over the last
  ``plateau_window`` points, relative to the best value before them, beyond a relative
  tolerance. A plateau is often plain convergence; it is reported as information for the reader,
  and :attr:`QualityFinding.blocking` is ``False`` for it.

The checks are scoped to what the plan measures (``measured``, from :func:`measured_names`):
a NaN in a final value the plan never asks about (a diagnostic field a script fills with NaN by
design) is noted with ``blocking=False``; a NaN in a plan metric, or at any step of a recorded
series (a history: a training curve), blocks. Divergence and plateau are only looked for in
histories, which are real series (:mod:`bridge.adapters.metrics.json_values` reads a list of
records without a rising step field as conditions, not as a series).
"""

from __future__ import annotations

import enum
import itertools
import math
import re
from collections.abc import Mapping, Sequence

import attrs

from bridge.errors import ConfigError
from bridge.lazy_patterns import LazyPattern, lazy
from bridge.machine.measurements import MetricHistory, MetricValue
from bridge.plan.metric_names import is_lower_better, match_metric, metric_key
from bridge.value_methods import value_methods

__all__ = ["QualityFinding", "QualityKind", "QualitySettings", "check_quality", "measured_names"]


class QualityKind(enum.Enum):
    """
    What a quality finding is about.
    """

    NON_FINITE = "non_finite"
    DIVERGENCE = "divergence"
    PLATEAU = "plateau"
    OVERFITTING = "overfitting"


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class QualitySettings:
    """
    Thresholds of the checks.

    Attributes:
        divergence_factor: how far above its best value a loss-like metric must end to be called
            diverging (``2.0``: at least twice its best).
        divergence_tail: the fraction of the history that counts as its "last part".
        min_points: histories shorter than this are not checked for divergence or plateau.
        plateau_window: the number of final points that must show no improvement.
        plateau_tolerance: improvements smaller than this fraction of the best value count as
            none.
        overfit_evaluations: how many evaluations in a row the validation loss must rise (while
            the training loss falls) to be called overfitting.
        lower_is_better: metric name → direction, overriding the built-in list.
    """

    divergence_factor: float = attrs.field(default=2.0, validator=attrs.validators.gt(1.0))
    divergence_tail: float = attrs.field(
        default=0.25, validator=[attrs.validators.gt(0.0), attrs.validators.le(1.0)]
    )
    min_points: int = attrs.field(default=5, validator=attrs.validators.ge(2))
    plateau_window: int = attrs.field(default=10, validator=attrs.validators.ge(2))
    plateau_tolerance: float = attrs.field(default=1e-3, validator=attrs.validators.ge(0.0))
    overfit_evaluations: int = attrs.field(default=3, validator=attrs.validators.ge(2))
    lower_is_better: Mapping[str, bool] = attrs.field(factory=dict)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class QualityFinding:
    """
    One quality problem of one run.

    Attributes:
        run_id: the run.
        metric: the metric name as extracted.
        kind: what was found.
        message: for a person: where (file, step) and the numbers.
        blocking: ``True`` when the run's result should not be trusted (NaN, divergence);
            ``False`` for information (plateau).
    """

    run_id: str
    metric: str
    kind: QualityKind
    message: str
    blocking: bool = True


def check_quality(
    values: Sequence[MetricValue],
    histories: Sequence[MetricHistory],
    *,
    settings: QualitySettings | None = None,
    measured: frozenset[str] | None = None,
) -> tuple[QualityFinding, ...]:
    """
    Run every check over one run's (or several runs') values and histories.

    Args:
        values: final metric values.
        histories: metric histories.
        settings: thresholds; the defaults of :class:`QualitySettings` when ``None``.
        measured: the extracted names the plan measures (:func:`measured_names`); a
            non-finite value of any other name is a non-blocking note. ``None``: every value
            counts (no plan to scope by).

    Returns:
        The findings, in input order: values first, then per history non-finite, divergence,
        plateau. Empty when everything looks healthy.
    """
    chosen = settings or QualitySettings()
    findings: list[QualityFinding] = []
    # A series that went non-finite is the run's training breaking down, blocking whatever it
    # measures; its last value then says the same once more. That value is left to the
    # series' finding, never noted "not blocking" beside it (034's `lens_loss`, trial T1).
    broken = {(h.run_id, h.name) for h in histories if any(v is None for v in h.values)}
    for value in values:
        if not value.finite and (value.run_id, value.name) not in broken:
            planned = measured is None or value.name in measured
            note = "" if planned else "; not a metric the plan measures: noted, not blocking"
            findings.append(
                QualityFinding(
                    run_id=value.run_id,
                    metric=value.name,
                    kind=QualityKind.NON_FINITE,
                    message=f"{value.name} = {value.raw} in {value.source} ({value.rule}){note}",
                    blocking=planned,
                )
            )
    for history in histories:
        findings.extend(_check_history(history, chosen))
    findings.extend(_overfitting(histories, chosen))
    return tuple(findings)


def measured_names(
    names: Sequence[str],
    wanted: Sequence[str],
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> frozenset[str]:
    """
    The extracted names that the plan's metric names refer to.

    A plan metric matches by :func:`~bridge.plan.metric_names.match_metric`, over the names and
    over the names with their condition labels removed (``mrr`` covers ``mrr[compact]`` and
    ``mrr[full]``). Where the match is ambiguous, every name whose last dotted component is
    the plan's name counts: for scoping the checks, over-including is the safe side.

    Args:
        names: the extracted names.
        wanted: the plan's metric names (primary, run metrics, every block's metrics and
            criterion metrics, a plan-wide Metrics section's).
        aliases: plan name → extracted names.
    """
    distinct = list(dict.fromkeys(names))
    by_base: dict[str, list[str]] = {}
    for name in distinct:
        by_base.setdefault(name.split("[", 1)[0], []).append(name)
    out: set[str] = set()
    for plan_name in dict.fromkeys(w.strip() for w in wanted if w.strip()):
        for pool in (distinct, list(by_base)):
            try:
                hit = match_metric(plan_name, pool, aliases)
            except ConfigError:
                key = metric_key(plan_name)
                out.update(
                    n for n in distinct if metric_key(n.split("[", 1)[0].rsplit(".", 1)[-1]) == key
                )
                continue
            if hit is not None:
                # A hit among the label-free bases stands for its conditions, not itself.
                out.update([hit] if pool is distinct else by_base[hit])
    # A name whose words the plan writes inside a longer metric phrase: 014's `TCIG` of "TCIG
    # with image bootstrap" and "area-quartile TCIG" (trial T5: its NaN was "not a metric the
    # plan measures").
    # A change of a metric measures it: 039's B3 "paired ΔAUROC/ΔAUPRC" names AUROC.
    phrases = [
        {word.removeprefix("δ") for word in _WORD.findall(w.casefold())}
        for w in wanted
        if w.strip()
    ]
    for name in distinct:
        words = _WORD.findall(name.split("[", 1)[0].rsplit(".", 1)[-1].casefold())
        if words and sum(map(len, words)) >= 3 and any(set(words) <= p for p in phrases):
            out.add(name)
    return frozenset(out)


_WORD = lazy(r"[^\W_]+")


def _check_history(history: MetricHistory, settings: QualitySettings) -> list[QualityFinding]:
    def finding(kind: QualityKind, message: str, *, blocking: bool = True) -> QualityFinding:
        return QualityFinding(
            run_id=history.run_id,
            metric=history.name,
            kind=kind,
            message=f"{message} in {history.source} ({history.rule})",
            blocking=blocking,
        )

    bad = [i for i, v in enumerate(history.values) if v is None]
    if bad:
        raws = dict(history.nonfinite)
        first = bad[0]
        return [
            finding(
                QualityKind.NON_FINITE,
                f"{history.name} is {raws.get(first, 'non-finite')} at step "
                f"{history.steps[first]:g} ({len(bad)} of {len(history.values)} points)",
            )
        ]
    series = [v for v in history.values if v is not None]
    lower = is_lower_better(history.name, overrides=settings.lower_is_better)
    if len(series) < settings.min_points:
        # Too short to tell noise from a trend, except a loss that rose at every point to more
        # than its factor: the quickstart's 3-epoch sanity run with its step's sign flipped went
        # 43.8 → 89.6 → 135.3 (accuracy 0) and passed, its criterion a comparison bridge cannot
        # judge.
        rose = _rose_throughout(series, settings) if lower else None
        return [finding(QualityKind.DIVERGENCE, f"{history.name} {rose}")] if rose else []
    out: list[QualityFinding] = []
    if lower:
        diverged = _divergence(series, settings)
        if diverged:
            out.append(finding(QualityKind.DIVERGENCE, f"{history.name} {diverged}"))
    plateau = _plateau(series, lower=lower, settings=settings)
    if plateau and not out:
        out.append(finding(QualityKind.PLATEAU, f"{history.name} {plateau}", blocking=False))
    return out


def _rose_throughout(series: Sequence[float], settings: QualitySettings) -> str | None:
    """
    A short history (three points at least, fewer than ``min_points``) that rose at every point
    and ended more than ``divergence_factor`` times above its first value, said; else ``None``.
    """
    if len(series) < 3 or any(b <= a for a, b in itertools.pairwise(series)):
        return None
    first, last = series[0], series[-1]
    if last - first <= (settings.divergence_factor - 1.0) * max(abs(first), 1e-12):
        return None
    return (
        f"rose at each of its {len(series)} points, from {first:.6g} to {last:.6g} (more than "
        f"{settings.divergence_factor:g}× its first value)"
    )


def _divergence(series: Sequence[float], settings: QualitySettings) -> str | None:
    tail_len = max(2, math.ceil(settings.divergence_tail * len(series)))
    tail = series[-tail_len:]
    best = min(series)
    last = series[-1]
    if last <= tail[0]:
        return None  # not rising over the last part
    allowed = (settings.divergence_factor - 1.0) * max(abs(best), 1e-12)
    if last - best <= allowed:
        return None
    return (
        f"rose from {tail[0]:.6g} to {last:.6g} over the last {tail_len} points; "
        f"best was {best:.6g} (more than {settings.divergence_factor:g}× allowed)"
    )


def _plateau(series: Sequence[float], *, lower: bool, settings: QualitySettings) -> str | None:
    window = settings.plateau_window
    if len(series) <= window:
        return None
    before, last = series[:-window], series[-window:]
    best_before = min(before) if lower else max(before)
    best_last = min(last) if lower else max(last)
    gain = best_before - best_last if lower else best_last - best_before
    if gain > settings.plateau_tolerance * max(abs(best_before), 1e-12):
        return None
    return f"did not improve over the last {window} points (best before: {best_before:.6g})"


_TRAIN = lazy(r"(?:^|(?<=[._/-]))(?:train|training|trn)(?:[._/-]|$)", re.IGNORECASE)
_HELD_OUT = lazy(r"(?:^|(?<=[._/-]))(?:val|valid|validation|eval|dev)(?:[._/-]|$)", re.IGNORECASE)


def _without(name: str, split: re.Pattern[str] | LazyPattern) -> str:
    return split.sub("", name).strip("._/-").lower()


def _overfitting(
    histories: Sequence[MetricHistory], settings: QualitySettings
) -> list[QualityFinding]:
    """
    Validation losses that rose at each of their last evaluations while the matching training
    loss fell over the same steps (one finding per validation series).
    """
    clean = [h for h in histories if h.values and all(v is not None for v in h.values)]
    training = {_without(h.name, _TRAIN): h for h in clean if _TRAIN.search(h.name)}
    plain = {h.name.lower(): h for h in clean if not _HELD_OUT.search(h.name)}
    n = settings.overfit_evaluations
    out: list[QualityFinding] = []
    for held in clean:
        if not _HELD_OUT.search(held.name) or len(held.values) < n + 1:
            continue
        if not is_lower_better(held.name, overrides=settings.lower_is_better):
            continue
        base = _without(held.name, _HELD_OUT)
        train = training.get(base) or plain.get(base)
        if train is None or train.run_id != held.run_id:
            continue
        values = [v for v in held.values if v is not None]
        window = values[-(n + 1) :]
        if not all(a < b for a, b in itertools.pairwise(window)):
            continue
        start, end = held.steps[-(n + 1)], held.steps[-1]
        before, after = _at(train, start), _at(train, end)
        if before is None or after is None or not after < before:
            continue
        best = min(values)
        out.append(
            QualityFinding(
                run_id=held.run_id,
                metric=held.name,
                kind=QualityKind.OVERFITTING,
                message=(
                    f"{held.name} rose at each of its last {n} evaluations "
                    f"({window[0]:.6g} → {window[-1]:.6g}, steps {start:g}–{end:g}; best "
                    f"{best:.6g}) while {train.name} fell ({before:.6g} → {after:.6g}): "
                    f"overfitting, in {held.source} ({held.rule}) and {train.source} "
                    f"({train.rule})"
                ),
                blocking=False,
            )
        )
    return out


def _at(history: MetricHistory, step: float) -> float | None:
    """
    The history's value at the last step not after ``step`` (``None`` before its first).
    """
    found: float | None = None
    for at, value in zip(history.steps, history.values, strict=True):
        if at > step:
            break
        found = value
    return found
