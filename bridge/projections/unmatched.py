"""
The sentence a block shows when its runs recorded numbers but none under a name the plan uses:
which names were found, and the alias that would connect them. Without it a reader sees "no
metric values" although the runs wrote dozens.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence

from bridge.lazy_patterns import lazy
from bridge.machine.comparisons import item_of
from bridge.machine.fold import PipelineState
from bridge.plan.criteria import Compound, Criterion
from bridge.plan.metric_names import plan_metric_names
from bridge.plan.overview import counted
from bridge.projections.outcome import BlockResult

__all__ = ["unmatched_note"]

_SHOWN = 12


def unmatched_note(state: PipelineState, result: BlockResult, language: str) -> str | None:
    """
    Say which metric names the block's runs recorded when none matched the plan's metrics.

    Args:
        state: the folded log.
        result: the judged block (its runs and its criterion).
        language: ``en`` or ``zh``.

    Returns:
        The sentence, or ``None`` when the block's runs recorded no value at all.
    """
    found: dict[str, None] = {}
    rules: dict[str, str] = {}
    for run_id in result.run_ids:
        run = state.runs.get(run_id)
        if run is not None and run.metrics is not None:
            found.update(dict.fromkeys(v.name for v in run.metrics.values))
            rules.update({v.name: v.rule for v in run.metrics.values})
    if not found:
        return None
    # A statistic is no metric's name: 005's B2 «mean / median / win count» was advised as
    # `aliases = { "RECORDED NAME" = "median" }`, which connects no metric a clause can use.
    wanted = [w for w in _plan_names(result) if not _STATISTIC.fullmatch(w.strip())]
    names = list(found)
    shown = ", ".join(f"`{n}`" for n in names[:_SHOWN]) + (
        f" (+{len(names) - _SHOWN})" if len(names) > _SHOWN else ""
    )
    plan = ", ".join(f"`{w}`" for w in wanted)
    were = "was" if len(names) == 1 else "were"
    recorded = f"{counted(len(names), 'metric name')} {were} recorded"
    hint = ""
    shared: str | None = None
    prose = bool(wanted) and _PROSE.search(wanted[0]) is not None
    inside = [n for n in names if prose and any(_writes(w, n) for w in wanted)]
    if inside:
        # 005's B3 «per-clip exported J-drop. Compute collapse_attacked = …»: an alias to a
        # fragment of prose connects nothing a criterion names; the names the prose writes do.
        listed = ", ".join(inside)
        written = ", ".join(f"`{n}`" for n in inside)
        if language == "zh":
            return (
                f"已记录 {len(names)} 个指标名，但没有一个与计划的指标（{plan}）对应：{shown}。"
                f"计划的 Metrics 在文字叙述中写了 {written}，bridge 不把它们读作指标名：请把它们"
                f"列为该实验块的指标（`- **Metrics**: {listed}`），或在成功标准中写明其中之一。"
            )
        return (
            f"{recorded}, none matching the plan's metrics "
            f"({plan}): {shown}. The plan's Metrics write {written} inside prose, which bridge "
            f"does not read as metric names: list them as the block's metrics "
            f"(`- **Metrics**: {listed}`), or name one in the success criterion."
        )
    several = bool(wanted) and _names_several(wanted[0])
    if wanted and not several:
        # Of a prose phrase, the words before its first sentence's end name the metric.
        target = _PROSE.split(wanted[0], maxsplit=1)[0].strip() or wanted[0]
        tails = {n.split("[", 1)[0].rsplit(".", 1)[-1].lower(): n for n in reversed(names)}
        close = difflib.get_close_matches(target.lower(), list(tails), n=1, cutoff=0.6)
        if close and (pooled := _over_labels(target, tails[close[0]], names, rules, language)):
            # 033's E5: "success rate" advised as `success[CrackerBox]`, one trial's outcome.
            lead = (
                f"已记录 {len(names)} 个指标名，但没有一个与计划的指标（{plan}）对应：{shown}。"
                if language == "zh"
                else f"{recorded}, none matching the plan's metrics ({plan}): {shown}. "
            )
            return lead + pooled
        # Without a close name, a template: a guessed name would send the reader astray.
        pick = _toml_string(tails[close[0]]) if close else '"RECORDED NAME"'
        if (shared := _labels_shared(result, target, names)) is not None:
            # "每域…均超过 0.8" of `p.math`, `p.retail`: the name the labels share, so every
            # domain's value is judged; one label's name judged 018's B1 on math alone (t12).
            pick = _toml_string(shared)
        hint = f"[metrics] aliases = {{ {pick} = {_toml_string(target)} }}"
    if not wanted:
        # 001's B4 has no Metrics line: "none matching the plan's metrics (-)" said nothing.
        if language == "zh":
            return (
                f"已记录 {len(names)} 个指标名，但该实验块没有写明指标："
                f"{shown}。在计划的 Metrics 中写明要用哪一个，或在 bridge.toml 中设置 "
                "`[metrics] primary`。"
            )
        return (
            f"{recorded}, but the block names no metric: "
            f"{shown}. Name the one to judge in the block's Metrics, or set `[metrics] primary` "
            "in bridge.toml."
        )
    if language == "zh":
        return f"已记录 {len(names)} 个指标名，但没有一个与计划的指标（{plan}）对应：{shown}。" + (
            f"若带标签的 `{shared}` 就是计划的指标，请在 bridge.toml 中加入 `{hint}`："
            "每个标签的数值都会逐个判断。"
            if hint and shared is not None
            else f"若其中之一就是计划的指标，请在 bridge.toml 中加入 `{hint}`，"
            "或用 `[[metrics.extract]]` 查询选出该数值。"
            if hint
            else f"计划的指标 `{wanted[0]}` 在一个短语中写了多个指标，别名无法把一个记录的名称"
            "对应到它：请在实验块的 Metrics 中分别写出每个指标（或在成功标准中写明要判定的那个），"
            "再用 `[metrics] aliases` 对应记录的名称。"
            if several
            else ""
        )
    return f"{recorded}, none matching the plan's metrics ({plan}): {shown}." + (
        f" If the labelled `{shared}` is the plan's metric, add `{hint}` to bridge.toml: "
        "each label's value is judged."
        if hint and shared is not None
        else f" If one of them is the plan's metric, add `{hint}` to bridge.toml, or pick the "
        "number with a `[[metrics.extract]]` query."
        if hint
        else f" The plan's metric `{wanted[0]}` names several metrics in one phrase, which "
        "no alias of one recorded name can stand for: write each in the block's Metrics (or "
        "name the one to judge in the criterion), then connect a recorded name with "
        "`[metrics] aliases`."
        if several
        else ""
    )


# Two metric names joined in one phrase: "paired ΔAUROC/ΔAUPRC" (039's B2), "precision and
# recall", "准确率和召回率"; not a rate's unit ("tokens/s", "samples/sec").
_JOINED = lazy(
    r"[^\W\d_]\w+\s?/\s?(?!(?:s|sec|secs|second|seconds|ms|step|steps|iter|it|epoch|"
    r"gpu|h|hr|hour|day|token|tok|query|sample|image|img|example|秒|步)\b)[^\W\d_]\w+"
    r"|\w\s+(?:and|&|plus)\s+\w|[^\W\d_](?:和|、|以及)[^\W\d_]"
    # Another block's metrics, several by name (014's B3 "B2 metrics plus pixel-distribution
    # shift summaries" was advised as the target of one alias, trial t9).
    # A block's id as plans write it (B2, E5, Block 2), not a metric's (F1 metrics).
    r"|(?-i:\b(?:[BE]|Block\s*)\d+)(?:'s)?\s+metrics\b|(?-i:\b(?:[BE]|Block\s*)\d+)\s*的指标",
    re.IGNORECASE,
)


# A Metrics phrase that is prose, not a name: a sentence ends inside it ("J-drop. Compute …",
# not "0.5") or it states a formula ("collapse = baseline_J − attacked_J").
_PROSE = lazy(r"(?<=\D)[.;:：。；]\s+(?=\S)|\s=\s")


def _writes(phrase: str, name: str) -> bool:
    """Whether ``phrase`` writes the recorded ``name`` as a word of its own (case aside)."""
    pattern = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
    return re.search(pattern, phrase, re.IGNORECASE) is not None


def _names_several(metric: str) -> bool:
    """
    Whether a plan's metric phrase names several metrics, so an alias from one recorded name
    to it connects nothing a clause can use (039's B2 was advised `aliases = { "RECORDED NAME"
    = "与完整 MART 的 paired ΔAUROC/ΔAUPRC" }`).
    """
    return _JOINED.search(metric) is not None


# A plan metric that is a rate or mean over trials or items: no one labelled value is it.
_OVER_TRIALS = lazy(
    r"\b(?:rate|ratio|mean|average|avg|percentage|fraction|proportion|share)\b|率|平均|比例|占比",
    re.IGNORECASE,
)
# The label field of a labelled JSON list's or JSON Lines' value: `json:[?object=='X'] | …`.
_LABEL_RULE = lazy(r"\[\?(?P<field>[^=\]]+?)\s*==")


def _over_labels(
    target: str, recorded: str, names: list[str], rules: dict[str, str], language: str
) -> str:
    """
    What to say, in place of an alias, when the plan's metric ``target`` is a rate or mean over
    trials (``success rate``) and the recorded name nearest to it is one label's value
    (``success[CrackerBox]``, a line of 033's per-trial log): an alias would judge the rate on
    that one value. Names the labelled values and how to have the rate read: bridge pools no
    labelled values, so the run writes it. ``""`` otherwise.
    """
    base, bracket, _ = recorded.partition("[")
    if not bracket or _OVER_TRIALS.search(target) is None:
        return ""
    labelled = [n for n in names if n.startswith(base + "[")]
    shown = ", ".join(f"`{n}`" for n in labelled[:4]) + (", …" if len(labelled) > 4 else "")
    found = _LABEL_RULE.search(rules.get(recorded, ""))
    field = found.group("field").strip() if found else ""
    wanted = re.sub(r"\W+", "_", target.strip()).strip("_").lower() or "rate"
    if language == "zh":
        per = f"按 {field} " if field else "按标签"
        return (
            f"运行{per}逐条记录 `{base}`（{shown}），每条一个值，而不是计划的 `{target}`："
            f"别名只会用其中一个值来判定它。bridge 不会把带标签的值汇总成比率：请让运行把所有"
            f"试次上的比率写成一个数值（metrics.json 中的 `{wanted}`），它会被读作 `{target}`。"
        )
    return (
        f"The runs record `{base}` per {field or 'label'} ({shown}), one value of each, not the "
        f"plan's `{target}` over them: an alias would judge it on one {field or 'label'}'s value. "
        "bridge does not pool labelled values into a rate: have the run write the rate over its "
        f"trials as a number (`{wanted}` in metrics.json), which is read as `{target}`."
    )


# A statistic over a metric's values, or a count of wins, written alone where a metric's name
# would stand.
_STATISTIC = lazy(
    r"(?:mean|median|average|avg|std|stdev|standard deviation|variance|var|min|max|"
    r"(?:strict\s+)?win(?:s|\s+counts?)?|均值|平均值?|中位数|标准差|方差|胜场数?)",
    re.IGNORECASE,
)


def _labels_shared(result: BlockResult, target: str, names: Sequence[str]) -> str | None:
    """
    The one name the recorded values of ``names`` share as labels of one metric (``acc`` of
    ``acc[distance]``, ``acc[count]``), where a clause of the block holds of ``target`` for
    each item ("on every question type", «每域»): the name to connect to ``target``, so that
    each label's value is judged. ``None`` where no clause has such a scope or the labels of
    one name are not all there is to pick.
    """
    criterion = result.criterion
    clauses = criterion.clauses if isinstance(criterion, Compound) else (criterion,)
    if not any(isinstance(c, Criterion) and c.per_item and c.metric == target for c in clauses):
        return None
    families: dict[str, int] = {}
    for name in names:
        # Labels as the judge reads them (item_of): a statistic of the metric's own values
        # (`accuracy.std`) is no item to connect.
        if (found := item_of(name)) is not None:
            families[found[0]] = families.get(found[0], 0) + 1
    shared = [base for base, count in families.items() if count > 1]
    return shared[0] if len(shared) == 1 else None


def _toml_string(text: str) -> str:
    """
    ``text`` as a TOML basic string (JSON's escapes are TOML's).
    """
    return json.dumps(text, ensure_ascii=False)


def _plan_names(result: BlockResult) -> list[str]:
    """The metric names the block's criterion (each clause of a compound one) and its Metrics
    line give."""
    out: list[str] = []
    criterion = result.criterion
    clauses = criterion.clauses if isinstance(criterion, Compound) else (criterion,)
    out.extend(c.metric for c in clauses if isinstance(c, Criterion) and c.metric)
    out.extend(plan_metric_names(result.block.metrics))
    return list(dict.fromkeys(out))
