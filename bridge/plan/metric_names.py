"""
Metric names: how a plan's metric name is matched to the names found in a run's output files.

A plan says ``Top-1 Acc``; a script writes ``top1_acc`` or ``{"eval": {"accuracy": ...}}``. The
rules, in order (the first rule that finds anything decides):

1. an explicit alias from ``bridge.toml`` ``[metrics] aliases`` (plan name → extracted names);
2. the same name, compared by :func:`metric_key` (case and punctuation ignored);
3. the last dotted component (``eval.accuracy`` answers to ``accuracy``);
4. the built-in synonyms in :data:`SYNONYMS` (``acc`` ≈ ``accuracy``, ``ppl`` ≈ ``perplexity``,
   ``准确率`` ≈ ``accuracy``), again on the full name and then on the last dotted component.

Two or more different extracted names matching at the same rule is an ambiguity, reported as a
:class:`bridge.errors.ConfigError` that asks for an alias, never resolved by guessing.

This module is pure (no I/O) and sits in the plan layer so both the criterion parser and the
judge can use it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from bridge.errors import ConfigError
from bridge.lazy_patterns import lazy
from bridge.plan.option_tables import table_of, table_text

__all__ = [
    "HELD_QUANTITIES",
    "LOWER_IS_BETTER_TOKENS",
    "PLAN_METRICS_OPTION",
    "RATE_TOKENS",
    "SYNONYMS",
    "UNITS_OPTION",
    "ZH_QUALIFIER",
    "declared_unit",
    "held_in",
    "held_quantity_spellings",
    "is_kind_of",
    "is_known_higher_better",
    "is_lower_better",
    "is_rate_metric",
    "is_setting_name",
    "is_statistic_alone",
    "match_metric",
    "measure_unit",
    "measure_unit_of_name",
    "mentioned_in",
    "metric_key",
    "nesting",
    "plan_metric_names",
    "plan_wide_metric_names",
    "primary_metric_name",
    "primary_metric_names",
    "said_within",
    "section_metric_names",
    "subset_qualifier",
    "unit_factor",
    "units_of",
    "units_text",
    "without_unit",
    "words_apart",
    "zh_qualifier",
]

# Each group lists spellings of one metric; the first entry is the canonical English name that
# the criterion parser reports for a Chinese spelling.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("accuracy", "acc", "准确率", "正确率", "精度", "准确度"),
    ("top1 accuracy", "top1", "top1 acc", "acc1", "acc@1", "top-1", "top-1 accuracy"),
    ("top5 accuracy", "top5", "top5 acc", "acc5", "acc@5", "top-5", "top-5 accuracy"),
    ("perplexity", "ppl", "困惑度"),
    ("loss", "损失", "损失值"),
    ("f1", "f1 score", "f1score", "f-score", "f1值"),
    ("precision", "精确率", "查准率"),
    ("recall", "召回率", "查全率"),
    ("error rate", "error", "err", "错误率", "误差率"),
    ("success rate", "成功率", "sr"),
    ("exact match", "em"),
    ("word error rate", "wer", "词错误率"),
    ("character error rate", "cer", "字错误率"),
    ("reward", "return", "回报", "奖励"),
    # 011's run gates «κ ≥ 0.60» (R017, R033) were "an absolute threshold without a metric".
    ("kappa", "κ"),
    ("cohen's kappa", "cohen's κ", "cohens kappa", "cohen kappa"),
    ("latency", "延迟", "时延"),
    ("throughput", "吞吐", "吞吐量"),
    (
        "steps to converge",
        "steps to convergence",
        "convergence steps",
        "收敛步数",
        "收敛所需步数",
        "收敛步",
    ),
    # What a run cost, compared as a metric («训练时间比 LoRA 少 20%», "parameter count <
    # LoRA's"; trial t12). Only spellings that say the quantity whole and read as no prose:
    # "time" or "parameters" alone, "training parameters" (settings), "at train time" (during
    # training) are none; :func:`match_metric`'s last rule takes ``params`` and ``wall_clock_s``.
    (
        "training time", "training duration", "wall clock time", "wall-clock time", "训练时间",
        "训练时长", "训练耗时", "训练用时",
    ),
    (
        "parameter count", "number of parameters", "num params", "n params", "param count",
        "参数量", "参数数量", "参数规模", "模型参数量",
    ),
)  # fmt: skip

# Spellings of the quantities a comparison holds fixed ("at the same training time",
# «在相同训练时间下», "with the same number of parameters", "at matched compute"), a group each.
# Apart from :data:`SYNONYMS`, and read only in a condition's few words (:func:`held_in`): there
# they name a recorded key (``training_time``, ``wall_clock_s``, ``num_params``); as metric words
# of every criterion and plan text, "memory" or "compute" would name systems and prose. Chinese
# plans write the condition in Chinese and their scripts the key in English: «在相同训练时间下»
# went unchecked beside runs recording ``training_time`` 5000 and 2000, and "the same number of
# parameters" beside ``params`` (trial t12).
HELD_QUANTITIES: tuple[tuple[str, ...], ...] = (
    (
        "training time", "train time", "training duration", "wall clock", "wall-clock",
        "wall clock time", "wall-clock time", "training wall clock", "训练时间", "训练时长",
        "训练耗时", "训练用时",
    ),
    (
        "parameters", "params", "num params", "n params", "nparams", "number of parameters",
        "parameter count", "param count", "#params", "参数量", "参数数量", "参数规模",
        "模型参数量", "trainable parameters", "trainable params", "可训练参数量", "可训练参数",
    ),
    (
        "memory", "gpu memory", "peak memory", "peak gpu memory", "memory usage", "gpu mem",
        "peak mem", "显存", "显存占用", "峰值显存", "内存占用",
    ),
    ("flops", "compute", "total flops", "training flops", "计算量"),
)  # fmt: skip
# A unit a script puts after the key (``wall_clock_s``, ``peak_memory_gb``, ``params_m``),
# which names the same quantity.
_UNIT_SUFFIX = lazy(
    r"[\s_-]+(?:s|sec|secs|seconds|h|hr|hrs|hours|min|mins|minutes|ms|gb|gib|mb|mib|m|b|k)$"
)


# Parameters that are settings, not a count of the model's weights; «可训练参数» (trainable
# parameters) is a count.
_SETTINGS_NOT_COUNT = lazy(
    r"(?:training|train|hyper|optimi[sz]ation|optimi[sz]er)[\s-]*param|(?<!可)训练参数|超参",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1024)  # pure; asked for each recorded name of each clause
def held_quantity_spellings(name: str) -> tuple[str, ...]:
    """
    The spellings of the quantity ``name`` records, of :data:`HELD_QUANTITIES` (compared by
    :func:`metric_key`, with or without a unit after it: ``wall_clock_s`` is a training time,
    ``num_params`` a parameter count), or ``()`` for a name that is none of them.
    """
    low = unicodedata.normalize("NFKC", name).lower().strip()
    keys = {metric_key(low), metric_key(_UNIT_SUFFIX.sub("", low))}
    for group in HELD_QUANTITIES:
        if any(metric_key(spelling) in keys for spelling in group):
            return group
    return ()


# Tokens of metric names where a smaller value is better. Matched against the tokens of the
# name (split on anything that is not a letter or digit), or as a suffix/prefix of one token
# (``valloss``), so ``val_loss``, ``eval/ppl`` and ``top1_err`` are all lower-is-better.
LOWER_IS_BETTER_TOKENS: frozenset[str] = frozenset(
    {
        "loss",
        "ppl",
        "perplexity",
        "error",
        "err",
        "mse",
        "mae",
        "rmse",
        "wer",
        "cer",
        "fid",
        "nll",
        "bpc",
        "bpd",
        "lpips",
        "kl",
        "latency",
        "runtime",
        "regret",
        "violation",
        "violations",
        # A spread, a disturbance or the time to settle (021's phase-spacing std, output
        # ripple, t_settle, trial h42C: "higher assumed", a 25 % improvement not met).
        "std",
        "stdev",
        "ripple",
        "overshoot",
        # Bits per byte, video and kernel Inception distances.
        "bpb",
        "fvd",
        "kid",
        "settle",
        "settling",
        "损失",
        "困惑度",
        "错误率",
        "误差",
        "延迟",
        "时延",
    }
)

# Tokens of metrics reported as a rate or percentage, where a bare "2%" in a criterion usually
# means percentage points (ML papers' convention for accuracy-like numbers).
RATE_TOKENS: frozenset[str] = frozenset(
    {
        "accuracy",
        "acc",
        "f1",
        "precision",
        "recall",
        "auc",
        "auroc",
        "auprc",
        "map",
        "miou",
        "iou",
        "dice",
        "em",
        "match",
        "rate",
        "tpr",
        "fpr",
        "top1",
        "top5",
        "acc1",
        "acc5",
        "bleu",
        "rouge",
        "rougel",
        "chrf",
        "准确率",
        "正确率",
        "精度",
        "召回率",
        "精确率",
        "成功率",
        "错误率",
    }
)

_NON_WORD = lazy(r"[^0-9a-z\u4e00-\u9fff]+")


def metric_key(name: str) -> str:
    """
    Reduce a metric name to the key used for matching: NFKC, lower case, no punctuation or space.

    Args:
        name: any metric name (``"Top-1 Acc"``, ``"top1_acc"``, ``"准确率"``).

    Returns:
        The key (``"top1acc"``); two names match when their keys are equal. The sign of a
        change is spelt out: ``"ΔAcc"`` is ``"deltaacc"``, as ``"delta_acc"`` is, never
        ``"acc"`` (dropped as punctuation, it matched the accuracy itself).
    """
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", name).lower().replace("δ", "delta"))


# Where a results file keeps its settings and identities, not its metrics (a learning rate or a
# version written as text there is no metric left unread; a seed there is no run's result).
_CONFIG_PARTS = frozenset(
    {
        "config", "configs", "cfg", "args", "arguments", "params", "parameters", "hparams",
        "hyperparameters", "settings", "options", "env", "environment", "meta", "metadata",
        "versions", "system", "platform", "git",
    }
)  # fmt: skip
_ID_SUFFIXES = ("version", "_id", "_sha", "_hash", "commit", "seed", "job", "python")
# Whole last parts that name a setting, a position or a count the run was given, not what it
# measured: 018's smoke file records `seed`, each event's `index`, `attempt` and
# `max_new_tokens`, and its bandit file `steps` and `learning_rate`, beside `reward`.
_SETTING_NAMES = frozenset(
    {
        "id", "sha", "hash", "seeds", "lr", "learning_rate", "step", "steps", "global_step",
        "epoch", "epochs", "iteration", "iterations", "index", "idx", "attempt", "batch_size",
        "max_new_tokens", "max_tokens", "max_length", "max_seq_len", "weight_decay",
        "warmup_steps",
    }
)  # fmt: skip


def is_setting_name(name: str) -> bool:
    """
    Whether a recorded metric name is a setting or an identifier written beside a run's
    results, not a measured result: a dotted name with a configuration part (``config.lr``,
    ``args.seed``), or whose last part names an id, a version, a seed, a learning rate, a step
    or epoch count, a position (``index``, ``attempt``) or a generation setting; ``id`` and the
    like count as whole words only (``acc_valid`` is a metric). A ``[label]`` after a part
    (``events.payload.seed[e:0000]``) is not part of its name.
    """
    parts = [p.split("[", 1)[0].strip().lower() for p in name.split(".")]
    last = parts[-1]
    return (
        any(p in _CONFIG_PARTS for p in parts[:-1])
        or last in _SETTING_NAMES
        or last.endswith(_ID_SUFFIXES)
    )


# Words of a name or a text as :func:`mentioned_in` compares them: lower case, split at anything
# but letters, digits, CJK and "+" (chrF++ is its own word; "fk_p95" and "FK p95" are one).
_WORD_BREAK = lazy(r"[^0-9a-z+\u4e00-\u9fff]+")
_CJK = lazy(r"[\u4e00-\u9fff]")


def _words(text: str) -> str:
    return " " + " ".join(_WORD_BREAK.split(unicodedata.normalize("NFKC", text).lower())) + " "


def mentioned_in(names: Iterable[str], texts: Iterable[str]) -> frozenset[str]:
    """
    The recorded ``names`` that the plan's ``texts`` (criteria, Metrics lines, Method/Setup
    fields, metrics sections) mention as words: the whole name or its last dotted part, its
    parts taken at ``_``, ``-``, ``.`` and spaces alike (``fk_p95`` in "pre-clamp FK p95",
    ``chrF++`` in "beat it on chrF++", ``NLL_high_DTU`` in a criterion the parser could not
    read). A Chinese name matches inside a Chinese phrase. A name is also mentioned by any
    spelling :data:`SYNONYMS` gives it, as the judge matches it: ``accuracy`` by "准确率" or
    "acc". Names of one character, settings (:func:`is_setting_name`) and a statistic alone
    (``std``, ``mean``: how a metric is summed up, which a script fills with NaN for one seed)
    are never mentioned.
    """
    text = "".join(_words(t) for t in texts if t)
    found: set[str] = set()
    for name in names:
        if is_setting_name(name):
            continue
        bare = name.split("[", 1)[0]
        last = _last_component(bare)
        for candidate in dict.fromkeys((bare, last, *_spellings(last))):
            words = _words(candidate).strip()
            if len(words) < 2 or _STATISTIC_ALONE.fullmatch(words):
                continue
            if _said_in(words, text):
                found.add(name)
                break
    return frozenset(found)


def _said_in(words: str, text: str) -> bool:
    """
    Whether ``words`` (a name's :func:`_words`, stripped) are words of ``text`` (a
    :func:`_words`): whole words, or for a Chinese name, inside a Chinese phrase.
    """
    return f" {words} " in text or (_CJK.search(words) is not None and words in text)


def said_within(part: str, name: str) -> bool:
    """
    Whether the name ``part`` is words of the name ``name``, by the rule :func:`mentioned_in`
    reads a name in a text: "net" is in "CrackerBox net" and "GR-ConvNet net", not in
    "ConvNet" or "internet"; a Chinese name inside a Chinese one ("概率" in "最优动作概率").
    """
    words = _words(part).strip()
    return bool(words) and _said_in(words, _words(name))


def _spellings(name: str) -> tuple[str, ...]:
    """The spellings of ``name``'s :data:`SYNONYMS` group (by :func:`metric_key`), or ``()``."""
    key = metric_key(name)
    for group in SYNONYMS:
        if any(metric_key(spelling) == key for spelling in group):
            return group
    return ()


def held_in(names: Iterable[str], condition: str) -> frozenset[str]:
    """
    The recorded ``names`` that ``condition``, a condition a comparison holds under ("at the
    same training time", «在相同训练时间下»), names: as :func:`mentioned_in` finds them, or by a
    spelling of the quantity they record (:data:`HELD_QUANTITIES`, in either language:
    ``training_time`` and ``wall_clock_s`` by «训练时间», ``num_params`` by "the same number of
    parameters"). Only for a condition's few words: "memory" or "compute" anywhere in a plan
    is no such quantity.
    """
    listed = list(names)
    text = _words(condition)
    found = set(mentioned_in(listed, [condition]))
    settings = _SETTINGS_NOT_COUNT.search(condition) is not None
    for name in listed:
        if name in found or is_setting_name(name):
            continue
        spellings = held_quantity_spellings(_last_component(name.split("[", 1)[0]))
        if settings and "parameters" in spellings:
            # "the same training parameters" are the settings (lr, epochs), not a parameter
            # count: `num_params` was said to break it (review r34).
            continue
        for spelling in spellings:
            words = _words(spelling).strip()
            if _said_in(words, text):
                found.add(name)
                break
    return frozenset(found)


def nesting(name: str) -> int:
    """
    How deep inside its file a recorded metric name lies: 1 for a top-level name (``reward``),
    one more for each dotted part and for a ``[label]`` of one record among several
    (``events.payload.reward[e:0011]`` is 4). A top-level value says the run's result; one
    inside a list of records says one record's.
    """
    head = re.split(r"[\[{]", name, maxsplit=1)[0]
    return head.count(".") + 1 + (1 if len(head) < len(name) else 0)


def _tokens(name: str) -> list[str]:
    # "ΔAcc" is ["delta", "acc"], as "delta_acc" is: without the sign it ended a recorded `acc`.
    words = unicodedata.normalize("NFKC", name).lower().replace("δ", " delta ")
    return [t for t in _NON_WORD.split(words) if t]


# Metrics where lower is better only when they are what the name measures, its last word
# ("inference time", "peak memory", "Brier score", "FPR@95"): calibration, detection and
# verification errors, costs and distances (trial L: an ECE, FPR, EER, time, memory … that got
# better read "not met"). Anywhere in a name they would flip "memory recall", "hallucination
# detection AUROC", "energy efficiency", "TPR at 1% FPR" (trial L2).
_LOWER_HEADS = frozenset(
    {"ece", "fpr", "fnr", "far", "frr", "eer", "brier", "mape", "smape", "chamfer", "distance",
     "ate", "rpe", "ade", "fde", "time", "memory", "cost", "energy", "overhead", "duration",
     "toxicity", "hallucination", "hallucinations", "collision", "collisions", "failures", "miss",
     # What it took to get there (021's "reward convergence steps": 1,200 against 800 read
     # "met" on an assumed higher-is-better, trial N1).
     "steps", "iterations", "iters", "epochs", "rounds", "queries", "evaluations",
     "hours", "minutes", "seconds"}
)  # fmt: skip
# The same said before what was reached: "steps to converge", "time to target accuracy".
_EFFORT_TO_REACH = lazy(
    r"\b(?:steps|iterations|iters|epochs|rounds|queries|evaluations|episodes|samples|time|"
    r"wall[\s_-]?clock)[\s_-]+(?:to|until|before)[\s_-]+(?:converge|convergence|reach|target|"
    r"solve|hit)",
    re.IGNORECASE,
)
# Words after a metric's head that do not change it: "hallucination rate", "Brier score".
# A unit of memory too: `peak_memory_gb` measures memory.
_GENERIC_TAIL = frozenset(
    {"rate", "score", "ratio", "count", "percent", "pct", "ms", "s", "sec",
     "gb", "mb", "gib", "mib"}
)  # fmt: skip
_FALSE_ALARMS = lazy(r"\bfalse[\s_-]+(?:positive|negative|alarm|accept|reject)", re.IGNORECASE)


def _head(name: str) -> str:
    """The word a metric's name measures: before " at "/"@" ("TPR at 1% FPR" is a TPR), the
    last one, generic tails and digits left out ("fpr95" is an FPR)."""
    measured = re.split(r"\s+at\s+|@", unicodedata.normalize("NFKC", name).lower(), maxsplit=1)[0]
    words = [t for t in _tokens(measured) if t not in _GENERIC_TAIL and not t.isdigit()]
    return re.sub(r"\d+$", "", words[-1]) if words else ""


def is_lower_better(name: str, *, overrides: Mapping[str, bool] | None = None) -> bool:
    """
    Tell whether a smaller value of the metric is better (loss, perplexity, error, latency, ...).

    Args:
        name: the metric name as written anywhere.
        overrides: metric name → ``True`` when lower is better, ``False`` when higher is; looked
            up by :func:`metric_key` before the built-in token list.

    Returns:
        ``True`` for a lower-is-better metric, ``False`` otherwise (higher is better is the
        default for names the list does not know, as for accuracy-like metrics).
    """
    if overrides:
        keyed = {metric_key(k): v for k, v in overrides.items()}
        if metric_key(name) in keyed:
            return keyed[metric_key(name)]
    for token in _tokens(name):
        if token in LOWER_IS_BETTER_TOKENS:
            return True
        if any(
            token.endswith(low) or token.startswith(low)
            for low in ("loss", "ppl", "perplexity", "error", "err", "rmse", "mse", "mae", "nll")
        ):
            return True
        if any(low in token for low in ("损失", "困惑度", "错误率", "误差", "延迟")):
            return True
    return (
        _head(name) in _LOWER_HEADS
        or bool(_FALSE_ALARMS.search(_head_part(name)))
        or bool(_EFFORT_TO_REACH.search(name))
    )


# Metrics known to be better higher that are no rate: a gain the better way of any other
# metric nothing gives a direction is open (it was "higher assumed" behind a firm verdict), so
# the common ones are here: ranking (nDCG, MRR, Hit@k, AP), text and image scores (SacreBLEU,
# BERTScore, CLIPScore, Inception Score), correlations, pass@k, efficiency and savings, and
# the words that mean goodness ("final task quality", 002's primary metric).
_HIGHER_HEADS = frozenset(
    {"throughput", "speedup", "reward", "rewards", "return", "returns", "psnr", "ssim", "meteor",
     "cider", "spice", "qps", "fps", "bleu", "elo", "winrate", "tflops", "mfu",
     "ndcg", "mrr", "hit", "hits", "ap", "map", "sacrebleu", "bertscore", "clipscore",
     "inception", "spearman", "pearson", "kendall", "pass",
     "efficiency", "savings", "quality", "performance", "fidelity", "utility"}
)  # fmt: skip


def is_known_higher_better(name: str) -> bool:
    """
    Tell whether the metric is one bridge knows to be better higher: a rate (accuracy, F1, …)
    or a quantity such as throughput, speedup, reward, PSNR or SSIM. ``False`` for a name
    neither this nor :func:`is_lower_better` knows, whose direction is only assumed, and for
    one :func:`is_lower_better` knows (``latency_per_s``, ``pearson_distance``): a name is
    known one way at most.
    """
    tokens = _tokens(name)
    # CamelCase words too ("AccuracyDrop").
    words = _tokens(re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name))
    if is_lower_better(name) or any(t in _CHANGE_OF for t in words):
        return False
    return (
        is_rate_metric(name)
        or _head(name) in _HIGHER_HEADS
        # A score whose name says it whole however it is spelled ("clip_score", "BERT-Score":
        # their head reads "clip", "bert" once "score" is dropped).
        or metric_key(name) in _HIGHER_SCORES
        # R² (its head reads "r" once the digit is dropped), and a correlation named anywhere
        # ("kendall_tau", "spearman_rho") unless the name is a distance built on one
        # ("spearman_footrule", "kendall_tau_distance": smaller is closer).
        or metric_key(name) in ("r2", "r²")
        or (
            any(t in ("kendall", "spearman", "pearson") for t in tokens)
            and not any(t in _DISTANCE_WORDS for t in tokens)
        )
        or _is_work_per_time(name)
    )


_HIGHER_SCORES = frozenset({"clipscore", "bertscore", "inceptionscore"})
# After a metric's name, a change or a spread of it, whose better way is not the metric's:
# "accuracy_drop", "bleu_variance" were known better higher by their head (final review s43).
_CHANGE_OF = frozenset(
    {"drop", "drops", "degradation", "decline", "decrease", "gap", "variance", "var", "spread",
     "regret", "forgetting", "delta", "diff", "change", "reduction", "deviation", "dev", "shift",
     "regression", "loss", "increase", "rise", "std", "stdev"}
)  # fmt: skip
_DISTANCE_WORDS = frozenset({"footrule", "distance", "dist", "divergence"})
_PER_TIME = lazy(r"(?:per[\s_-]*|/)(?:s|sec|secs|second|seconds)$")
# What a script counts per second when it measures work done ("tokens_per_sec", "samples/s"):
# only these. Anything per second is not work: "cost_per_second", "time_per_s", "loss/s" read
# "improves" met on a larger cost (review h43R2).
_WORK_DONE = frozenset(
    {"token", "tokens", "tok", "toks", "sample", "samples", "image", "images", "img", "imgs",
     "frame", "frames", "step", "steps", "it", "iter", "iters", "iteration", "iterations",
     "query", "queries", "request", "requests", "req", "reqs", "example", "examples", "item",
     "items", "sequence", "sequences", "seq", "seqs", "word", "words", "char", "chars",
     "character", "characters", "byte", "bytes", "op", "ops", "flop", "flops", "tflops",
     "episode", "episodes", "transition", "transitions", "batch", "batches"}
)  # fmt: skip


def _is_work_per_time(name: str) -> bool:
    """Whether ``name`` is work done per second: one of :data:`_WORK_DONE` before the "per s"."""
    low = unicodedata.normalize("NFKC", name).lower()
    match = _PER_TIME.search(low)
    if match is None:
        return False
    counted = _tokens(low[: match.start()])
    return bool(counted) and counted[-1] in _WORK_DONE


def _head_part(name: str) -> str:
    """The name before " at "/"@": what it measures ("TPR at 1% FPR" measures a TPR)."""
    return re.split(r"\s+at\s+|@", name, maxsplit=1)[0]


def is_rate_metric(name: str) -> bool:
    """
    Tell whether the metric is a rate or percentage (accuracy, F1, recall, success rate, ...).

    Args:
        name: the metric name.

    Returns:
        ``True`` when a token of the name is in :data:`RATE_TOKENS`.
    """
    key = metric_key(name)
    if key.startswith(("top1", "top5", "acc", "f1", "rouge", "chrf")):
        return True
    return any(t in RATE_TOKENS for t in _tokens(name)) or any(
        t in key for t in ("准确率", "正确率", "召回率", "精确率", "成功率")
    )


@functools.lru_cache(maxsize=4096)  # pure, and asked for every value of every run
def _synonym_keys(name: str) -> frozenset[str]:
    key = metric_key(name)
    for group in SYNONYMS:
        keys = {metric_key(g) for g in group}
        if key in keys:
            return frozenset(keys)
    return frozenset({key})


# A "+" or "++" ending a word of a metric's name ("chrF++", "eval/chrf++_score", "BLEU+"): part
# of what it names. A "+" between words ("acc+f1") is a separator.
_WORD_PLUS = lazy(r"[0-9a-z\u4e00-\u9fff](\++)(?![0-9a-z\u4e00-\u9fff])")


def _pluses(name: str) -> tuple[int, ...]:
    """The "+" signs ending each word of ``name``, as counts: ``(2,)`` for ``chrF++``."""
    found = _WORD_PLUS.finditer(unicodedata.normalize("NFKC", name).lower())
    return tuple(len(m.group(1)) for m in found)


def _last_component(name: str) -> str:
    return re.split(r"[./]", name)[-1]


def _unique(hits: Iterable[str], plan_name: str, rule: str) -> str | None:
    found = sorted(set(hits))
    if len(found) > 1:
        raise ConfigError(
            f"plan metric {plan_name!r} matches several extracted metrics ({rule}): "
            f"{', '.join(found)}; name the one you mean in [metrics] aliases",
            setting="metrics.aliases",
        )
    return found[0] if found else None


def is_kind_of(plan_name: str, recorded: str) -> bool:
    """
    Whether ``plan_name`` is the last words of ``recorded`` (``accuracy`` of
    ``overall_exact_match_accuracy``): the kind of metric the recorded one is, which other
    recorded names may end with too (:func:`match_metric`'s "name ending" rule).
    """
    wanted = _tokens(plan_name)
    return bool(wanted) and _tokens(recorded)[-len(wanted) :] == wanted


def match_metric(
    plan_name: str,
    extracted_names: Iterable[str],
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> str | None:
    """
    Find the extracted metric name that a plan's metric name refers to.

    Args:
        plan_name: the metric as the plan or a criterion names it (``"Top-1 Acc"``).
        extracted_names: the names found in a run's outputs (``"eval.top1_acc"``, ...).
        aliases: plan name → extracted names to try first (keys and values compared by
            :func:`metric_key`).

    Returns:
        The matching extracted name exactly as extracted, or ``None`` when nothing matches.

    Raises:
        ConfigError: two different extracted names match at the same rule (setting
            ``metrics.aliases``); an alias settles it.
    """
    names = list(dict.fromkeys(extracted_names))
    if plan_name in names:
        return plan_name
    key = metric_key(plan_name)
    if aliases:
        for alias_of, targets in aliases.items():
            if metric_key(alias_of) != key:
                continue
            target_keys = {metric_key(t) for t in targets}
            hit = _unique((n for n in names if metric_key(n) in target_keys), plan_name, "alias")
            if hit is not None:
                return hit
    # Every rule below drops punctuation, "+" with it: 036's «beat … on chrF++» was judged met
    # on a recorded `chrf`, another metric. Only an alias (above) says they are the same.
    names = [n for n in names if _pluses(n) == _pluses(plan_name)]
    rules: tuple[tuple[str, frozenset[str], bool], ...] = (
        ("same name", frozenset({key}), False),
        ("last dotted component", frozenset({key}), True),
        ("synonym", _synonym_keys(plan_name), False),
        ("synonym of the last dotted component", _synonym_keys(plan_name), True),
    )
    for rule, keys, last in rules:
        hit = _unique(
            (n for n in names if metric_key(_last_component(n) if last else n) in keys),
            plan_name,
            rule,
        )
        if hit is not None:
            return hit
    # Last: the plan's words end the extracted name ("loss" ~ "val_loss"); ambiguity is likely
    # here (train_loss, val_loss) and is reported, not guessed.
    wanted = _tokens(plan_name)
    if wanted:
        hit = _unique(
            (n for n in names if _tokens(n)[-len(wanted) :] == wanted), plan_name, "name ending"
        )
        if hit is not None:
            return hit
    # Then the same words, in any order, with a unit or a short form ("macro F1" ~ "f1_macro",
    # "latency" ~ "latency_ms", "validation loss" ~ "val_loss", "energy (J)" ~ "energy"; trial
    # L's near misses left clauses open). Ambiguity is reported, as above.
    words = _plain_words(plan_name)
    if words:
        hit = _unique(
            (n for n in names if words in (_plain_words(n), _plain_words(_last_component(n)))),
            plan_name,
            "same words",
        )
        if hit is not None:
            return hit
    # Not for a name a snake_case word qualifies ("yaw_obj JS divergence"): that word says it is
    # not the plain one, and a lone recorded `JS divergence` judged it (second review s41,
    # item 4; 033's E3 names three).
    within = None if _QUALIFIED.match(plan_name) else _named_within(plan_name, names)
    if within is not None:
        return within
    same = _unique(_same_quantity(plan_name, names), plan_name, "same quantity")
    in_english = _in_english(plan_name)
    if same is None and in_english != plan_name:
        # «MMLU 准确率不低于 80%»: a qualified Chinese name, recorded in English
        # (`mmlu_accuracy`); the synonyms above take a Chinese name only whole (review of s41).
        # Only the same words: «历史成功率» (018) is not the `success_rate` inside its words.
        english = _plain_words(in_english)
        return _unique(
            (n for n in names if english in (_plain_words(n), _plain_words(_last_component(n)))),
            plan_name,
            "same words in English",
        )
    return same


_QUALIFIED = lazy(r"[^\W\d_][^\W_]*(?:_[^\W_]+)+\s+\S")


def _in_english(name: str) -> str:
    """``name`` with each Chinese spelling of :data:`SYNONYMS` inside it put in English
    ("MMLU 准确率" → "MMLU accuracy"), longest first; a name with none is returned as it is."""
    spellings = sorted(
        ((s, group[0]) for group in SYNONYMS for s in group if not s.isascii()),
        key=lambda pair: -len(pair[0]),
    )
    for spelling, english in spellings:
        if spelling in name:
            name = " ".join(name.replace(spelling, f" {english} ").split())
    return name


# The quantities of :data:`HELD_QUANTITIES` a criterion compares as its metric, read by
# :func:`_same_quantity`: memory and compute stay conditions only ("peak memory" has its own
# recorded spellings, which the rules before find).
_COMPARED_QUANTITIES = ("training time", "parameters")


def _same_quantity(plan_name: str, names: Sequence[str]) -> list[str]:
    """
    The recorded ``names`` that record the quantity the plan's metric name says whole, a
    training time or a parameter count (:data:`HELD_QUANTITIES`, either language, a unit after
    a key allowed): «训练时间» is ``wall_clock_s``, "parameters" is ``params`` or ``num_params``
    (trial t12: a criterion comparing them matched nothing). Nothing for a name that says only
    part of one ("time", «时间») or settings ("training parameters"), nor for a recorded setting.
    """
    group = held_quantity_spellings(plan_name)
    if not group or group[0] not in _COMPARED_QUANTITIES or _SETTINGS_NOT_COUNT.search(plan_name):
        return []
    return [
        n
        for n in names
        if not is_setting_name(n)
        and held_quantity_spellings(_last_component(n.split("[", 1)[0])) == group
    ]


def _named_within(plan_name: str, names: Sequence[str]) -> str | None:
    """
    The one extracted name of two words or more that the plan's words hold in a row ("matched
    final task quality" and "final task quality metric used for matched comparison" name
    ``final_task_quality``; 002's primary metric read as another one, trial Q2), or None: none,
    or several (``train_loss`` and ``val_loss`` in "val loss gap vs train loss") — then no
    guess is made.
    """
    said = _tokens(plan_name)
    wanted = [_SHORT.get(t, t) for t in said]
    found = set()
    for name in names:
        own = [_SHORT.get(t, t) for t in _tokens(_last_component(name))]
        if len(own) < 2 or len(own) >= len(wanted):
            continue
        for i in range(len(wanted) - len(own) + 1):
            if wanted[i : i + len(own)] == own:
                rest = _without_scopes(wanted[:i]) + wanted[i + len(own) :]
                if (
                    not _DERIVED.intersection(rest)
                    and not _after_slash(plan_name, said[i])
                    and not subset_qualifier(wanted[:i] + wanted[i + len(own) :])
                ):
                    found.add(name)
                break
    return found.pop() if len(found) == 1 else None


# Words that name a subset of the items a metric is measured on, or a statistic over them other
# than the mean: "Hard hit rate", "OOD hit rate", "long-tail recall", "worst-case success rate".
# The plain recorded name (`hit_rate`) is the metric over all of them: judged on it, «ours Hard
# hit rate < 5%» was met on the whole set's hit rate (h43C). A closed list, not the word's shape
# or place: 005's «per-clip exported J-drop» (`J_drop`) and 030's «Request/accept/result/receipt
# completion rate» (`completion_rate`) hold words before the name that name no subset. Not the
# split a run is evaluated on ("test", "val", "held-out", the criteria's neutral words): the
# plain name a run records is that one's.
_SUBSET_WORDS = frozenset(
    {"hard", "easy", "medium", "difficult", "ood", "iid", "unseen", "seen", "novel", "rare",
     "tail", "longtail", "few", "zero", "worst", "adversarial", "clean", "noisy", "corrupted",
     "robust", "minority", "majority", "subset", "distribution", "shifted", "shift", "min",
     "max", "minimum", "maximum", "lowest", "highest", "困难", "简单", "分布外", "长尾", "最差",
     "最坏"}
)  # fmt: skip
# The same said in Chinese right before a metric: a minimum or maximum («最低准确率», «最差情况
# 准确率») or a subset («困难样本准确率», «分布外准确率»). «最低准确率 ≥ 0.8» was read as the
# accuracy against the baseline, lower by 0.8 («最低» as "lower"); the others as plain accuracy.
ZH_QUALIFIER = (
    r"(?:最差|最坏|最低|最高|最小|最大)(?:情况下?)?的?"
    r"|(?:困难|简单|分布外|长尾|对抗|未见)(?:样本|子集|类别|类|集合|集|任务)?(?:上)?的?"
)
_ZH_QUALIFIER_START = lazy(rf"(?:{ZH_QUALIFIER})")


def zh_qualifier(name: str) -> str | None:
    """The Chinese words of :data:`ZH_QUALIFIER` ``name`` opens with («最低准确率»: «最低»), or
    ``None``."""
    found = _ZH_QUALIFIER_START.match(name.strip())
    return found.group(0) if found else None


# After "per", a breakdown of the metric by kind, not the item each value is measured on
# ("per-class accuracy" is one accuracy a class, "per-clip J-drop" the clips' J-drops summed up).
_BREAKDOWNS = frozenset({"class", "category", "group", "subgroup", "domain", "bucket", "bin"})


def subset_qualifier(words: Sequence[str]) -> str | None:
    """
    The first of ``words`` (lower case, as :func:`_tokens` gives them: the plan's words a
    recorded name does not hold) that names a subset of the items, or a statistic over them
    other than the mean (:data:`_SUBSET_WORDS`: "hard", "OOD", "unseen", "long-tail",
    "worst-case"), or "per <kind>" of a breakdown ("per-class"); ``None`` when none does.
    """
    for i, word in enumerate(words):
        pair = f"{word}{words[i + 1]}" if i + 1 < len(words) else ""
        if word in _SUBSET_WORDS or pair == "longtail":
            return word
        if word == "per" and i + 1 < len(words) and words[i + 1] in _BREAKDOWNS:
            return f"per {words[i + 1]}"
    return None


def _after_slash(plan_name: str, word: str) -> bool:
    """
    Whether ``word`` (lower case, as :func:`_tokens` gives it) follows a "/" in ``plan_name``:
    the second of two words the name holds together, «endpoint/fullpose pre-clamp FK p95»
    (027's B3) naming both modes' p95. A recorded name that starts there,
    ``fullpose_pre_clamp_fk_p95``, is one of them, not the metric: it was judged alone, beside
    a recorded ``endpoint_pre_clamp_fk_p95`` (h41B).
    """
    folded = unicodedata.normalize("NFKC", plan_name).lower()
    return re.search(rf"/\s*{re.escape(word)}(?![^\W_])", folded) is not None


def _without_scopes(words: Sequence[str]) -> list[str]:
    """
    ``words`` (the plan's words before the recorded name they hold) less each "per <item>"
    scope naming what the metric is measured over: "per-clip exported J-drop" is the J-drop
    measured clip by clip (005's B1, whose `J_drop` was "not recorded"). A "per" with any other
    word is kept, so the name still derives another quantity: "per-epoch train time" is no
    `train_time`, "per-token loss" no total loss (a rate, not the quantity: a firm verdict on
    the total would be a guess); so is a "per" after the name ("task quality per GPU hour").
    """
    kept: list[str] = []
    skip = False
    for i, word in enumerate(words):
        if skip:
            skip = False
        elif word == "per" and i + 1 < len(words) and words[i + 1] in _ITEM_SCOPES:
            skip = True
        else:
            kept.append(word)
    return kept


# What a "per <item>" before a metric's name measures it over (an evaluation item, each scored
# alone), not what it divides by: time, tokens, steps, GPUs and the like make a rate.
_ITEM_SCOPES = frozenset(
    {"clip", "video", "image", "frame", "sample", "example", "item", "task", "episode", "scene",
     "subject", "query", "document", "doc", "sequence", "class", "category", "instance", "case",
     "object", "patient", "domain", "dataset", "prompt", "question", "problem", "family",
     "environment", "env", "language", "benchmark", "seed", "run", "split", "fold", "user",
     "gene", "cell"}
)  # fmt: skip


# Words that make the plan's name another quantity derived from the metric it holds ("train
# loss gap", "task quality per GPU hour", "accuracy drop"): no match within it.
_DERIVED = frozenset(
    {"gap", "ratio", "drop", "delta", "difference", "diff", "change", "reduction", "improvement",
     "increase", "decrease", "gain", "loss", "variance", "var", "std", "stdev", "spread", "per",
     "rate", "over", "vs", "versus", "relative", "normalized", "normalised", "slope", "curve",
     "auc", "area", "error", "degradation", "regression", "retention"}
)  # fmt: skip


# Short forms and units that do not change what a metric is.
_SHORT = {"validation": "val", "valid": "val", "training": "train", "evaluation": "eval"}
_UNITS = frozenset(
    {"ms", "s", "sec", "secs", "seconds", "us", "j", "kj", "mj", "w", "kb", "mb", "gb", "pct",
     "percent", "hz"}
)  # fmt: skip


def _plain_words(name: str) -> tuple[str, ...]:
    """
    A metric name's words, short forms for long ones, plurals as one ("theta norms" is
    `theta_norm`, 002's B5), units left out, sorted.
    """
    return tuple(sorted(_singular(_SHORT.get(t, t)) for t in _tokens(name) if t not in _UNITS))


def _singular(word: str) -> str:
    """``norms`` → ``norm``; not ``loss``, ``bias`` or short words (``ms``, ``gs``)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# A block's Metrics items as plans write them: "Primary: accuracy, macro F1", "Decisive:
# per-clip J-drop", "TGR (target: <1.5)", "token AUROC/AUPRC（主）".
_ITEM_LABEL = lazy(r"^\s*([^:：()（）`]{1,30})[:：]\s*")
_ANNOTATION = lazy(
    r"\s*[(（][^()（）]*(?:target|goal|目标|主|primary|main|[<>≤≥=])[^()（）]*[)）]", re.IGNORECASE
)
_ACRONYM_PAIR = lazy(r"(?:[\w-]+\s+)*([A-Z][A-Z0-9@-]+)/([A-Z][A-Z0-9@-]+)$")
# Several cut-offs of one metric written once: 009's "recall@1/3/5/10" (recall@1, recall@3, …),
# 027's "R@1/2/3"; read as one name, only recall@1 matched and the others were said to be no
# metric the block's Metrics line names.
_CUTOFFS = lazy(r"(.*@)(\d+(?:/\d+)+)(.*)")


_STATISTIC_ALONE = lazy(
    r"mean|median|average|avg|std|stdev|variance|max|min|maximum|minimum|平均|均值|中位数|方差",
    re.IGNORECASE,
)


def is_statistic_alone(words: str) -> bool:
    """
    Whether ``words`` are only a statistic ("median", «中位数») and so name no metric: 005's B2
    «median >0» is the median of the paired lift of the clause before, not a value called
    ``median``.
    """
    return _STATISTIC_ALONE.fullmatch(words.strip()) is not None


# Between two names of one Metrics item: a comma, a semicolon, 、, or a "+" with spaces on both
# sides (001's B2 "Overall accuracy + depth-sensitive subset accuracy + non-depth-sensitive
# accuracy" was one name no recorded metric matched); a "+" inside a name stays ("chrF++", "C++").
# Not "=": "q=0 identity/age 单元测试" (023's B3) names a setting, not a threshold.
# A code span that names a metric and defines it: `name = formula` (no comparison in it).
_DEFINED_IN_CODE = lazy(r"`\s*(?P<name>[A-Za-z][\w.-]{2,})\s*=\s*[^`=<>≤≥]*[A-Za-z][^`=<>≤≥]*`")
_THRESHOLD_TAIL = lazy(r"\s*(?:[<>≤≥]=?)\s*[-+−]?\d.*$")
_LIST_SEPARATOR = lazy(r"[,;，；、]|\s+\+\s+")


def _names_of(item: str) -> tuple[str, list[str]]:
    """The label of one Metrics item (``""`` when none) and the metric names it lists."""
    label_match = _ITEM_LABEL.match(item)
    label = label_match.group(1).strip() if label_match else ""
    text = item[label_match.end() :] if label_match else item
    # "per-gene `delta_NLL = NLL_Full - NLL_CIS`" (012's B1): a name given with its
    # definition is the name; the formula was read as part of it, and the results said the
    # primary metric was "not recorded" beside the `delta_nll` its runs recorded (trial h40C).
    text = _DEFINED_IN_CODE.sub(r"\g<name>", text)
    text = _ANNOTATION.sub("", text.replace("`", ""))
    names: list[str] = []
    for part in _LIST_SEPARATOR.split(text):
        # "JS divergence < 0.15 per object" (033's E3): the threshold is no part of the name.
        part = _THRESHOLD_TAIL.sub("", part).strip().rstrip(".。")
        if not part or _STATISTIC_ALONE.fullmatch(part):
            # 005's B2 "J-drop paired, mean, median, win count": "mean" says how the J-drop is
            # summed up, no metric of its own; "A1-full mean paired lift" read the metric
            # "mean" (trial N2).
            continue
        pair = _ACRONYM_PAIR.fullmatch(part)
        cutoffs = _CUTOFFS.fullmatch(part)
        if pair:
            names += [pair.group(1), pair.group(2)]
        elif cutoffs:
            head, ks, tail = cutoffs.groups()
            names += [f"{head}{k}{tail}" for k in ks.split("/")]
        else:
            names.append(part)
    return label, names


def plan_metric_names(items: Sequence[str]) -> list[str]:
    """
    Every metric name a block's Metrics items list, in order: a leading label (``Primary:``,
    ``Decisive:``) and an annotation in parentheses (``(target: <1.5)``, ``（主）``) left out,
    items split at commas and at a `` + `` between words (``chrF++`` is one name), a pair of
    acronyms (``AUROC/AUPRC``) read as both, and cut-offs after ``@`` as one name each
    (``recall@1/3/5/10``: ``recall@1``, ``recall@3``, ``recall@5``, ``recall@10``).
    """
    return list(dict.fromkeys(name for item in items for name in _names_of(item)[1]))


# A plan-wide section of the metrics it measures: 032's and 017's "## Metrics", "Evaluation
# Metrics", "评价指标".
_METRICS_HEADING = lazy(
    r"^\W*(?:evaluation\s+|primary\s+|key\s+)?metrics?\b|^\W*(?:评价|评估|评测|主要)?指标",
    re.IGNORECASE,
)
_LIST_ITEM = lazy(r"^\s*(?:[-*+]|\d+[.)])\s+(.*\S)")
_NAME_COLUMN = frozenset({"metric", "metrics", "name", "指标", "指标名"})


def section_metric_names(heading: str, text: str) -> list[str]:
    """
    The metric names a plan-wide metrics section lists (``## Metrics``, ``## Evaluation
    Metrics``, ``## 评价指标``; ``[]`` for a section of any other heading): each list item read
    as a block's Metrics item is (:func:`plan_metric_names`), and the first cell of each row of
    a table whose first column is headed ``Metric`` (032's ``| AggViol | (1/Σ|M_i|) … |``).
    A plan with no blocks names what it measures only there.
    """
    if not _METRICS_HEADING.search(heading.strip()):
        return []
    items: list[str] = []
    named_column = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            first = stripped.strip("|").split("|", 1)[0].strip().strip("*`").strip()
            if set(first) <= set("-: "):
                continue  # the separator row
            if first.casefold() in _NAME_COLUMN:
                named_column = True
            elif named_column and first:
                items.append(first)
            continue
        named_column = False
        if found := _LIST_ITEM.match(line):
            items.append(found.group(1))
    return plan_metric_names(items)


def plan_wide_metric_names(sections: Iterable[tuple[str, str]]) -> list[str]:
    """
    Every metric name the plan's own metrics sections list (:func:`section_metric_names` of
    each ``(heading, text)``), in order, once each: what a criterion of a block with no
    Metrics field may name (032's «Ours improves AggViol over FedAvg», AggViol listed only in
    its ``## Metrics`` table).
    """
    return list(dict.fromkeys(n for h, text in sections for n in section_metric_names(h, text)))


#: The key of ``PlanLoaded.options`` that carries the plan-wide metric names
#: (:func:`plan_wide_metric_names`, one a line) to the judge, which reads only the log; absent
#: when the plan lists none.
PLAN_METRICS_OPTION = "plan.metric_names"


def primary_metric_name(items: Sequence[str]) -> str:
    """
    The block's primary metric: the first name of the item labelled primary (``Primary:``,
    ``主指标``), else of the item marked primary (``（主）``), else the first name; ``""`` when
    the block lists none.
    """
    return next(iter(primary_metric_names(items)), "")


def primary_metric_names(items: Sequence[str]) -> list[str]:
    """
    Every name of the item that gives the block's primary metric (:func:`primary_metric_name`
    is the first): all the names of the item labelled or marked primary (039's B1 ``token
    AUROC/AUPRC（主）`` is AUROC and AUPRC), else the first name alone; ``[]`` when the block
    lists none.
    """
    for item in items:
        label, names = _names_of(item)
        marked = re.search(r"[(（]\s*(?:主|primary|main)\s*[)）]", item, re.IGNORECASE)
        if names and (re.search(r"primary|main|主", label, re.IGNORECASE) or marked):
            return names
    # Unmarked, only the first name is primary: the others of its item are metrics listed
    # beside it (001's B2 "Overall accuracy + depth-sensitive subset accuracy +
    # non-depth-sensitive accuracy" was judged on the non-depth-sensitive subset too, and read
    # "not met" where every system was within the criterion's 1 point on overall accuracy).
    return next((names[:1] for item in items if (names := _names_of(item)[1])), [])


#: The key of ``PlanLoaded.options`` that carries ``[metrics] units`` (as :func:`units_text`
#: writes it) to the judge, which reads only the log; absent when none is set.
UNITS_OPTION = "metrics.units"


def units_text(units: Mapping[str, str]) -> str:
    """``[metrics] units`` as the text ``PlanLoaded.options`` records (JSON, sorted keys)."""
    return table_text(units)


def units_of(text: str) -> dict[str, str]:
    """
    ``[metrics] units`` read back from :func:`units_text`'s text; ``{}`` for ``""`` (a log
    written before the setting existed) or anything that is not such a table.
    """
    return table_of(text)


def declared_unit(name: str, units: Mapping[str, str]) -> tuple[str, str] | None:
    """
    The unit ``[metrics] units`` gives the extracted metric ``name``, with the key as the
    researcher wrote it: the key equal to the name by :func:`metric_key`, else to its last
    dotted component (``eval.hit_rate`` answers to ``hit_rate``); ``None`` when none is set.
    """
    for candidate in (name, name.rsplit(".", 1)[-1]):
        key = metric_key(candidate)
        for written, unit in units.items():
            if metric_key(written) == key:
                return written, unit
    return None


# A unit of measure written after a criterion's number, by its canonical symbol: its dimension
# and its size in that dimension's base unit. Sizes are matched only unit for unit (whether a
# plan's GB is 10⁹ or 2³⁰ bytes is not said), so they carry no factor.
_MEASURES: dict[str, tuple[str, float | None]] = {
    "us": ("time", 0.000001),
    "ms": ("time", 0.001),
    "s": ("time", 1.0),
    "min": ("time", 60.0),
    "h": ("time", 3600.0),
    "KB": ("size", None),
    "MB": ("size", None),
    "GB": ("size", None),
    "TB": ("size", None),
    "KiB": ("size", None),
    "MiB": ("size", None),
    "GiB": ("size", None),
    "TiB": ("size", None),
}
_SPELLINGS = {
    "us": "us", "µs": "us", "μs": "us", "usec": "us", "microsecond": "us", "microseconds": "us",
    "微秒": "us",
    "ms": "ms", "msec": "ms", "millisecond": "ms", "milliseconds": "ms", "毫秒": "ms",
    "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s", "秒": "s",
    "min": "min", "mins": "min", "minute": "min", "minutes": "min", "分钟": "min",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "小时": "h",
    "kb": "KB", "mb": "MB", "gb": "GB", "tb": "TB",
    "kib": "KiB", "mib": "MiB", "gib": "GiB", "tib": "TiB",
}  # fmt: skip
# A unit at the end of a metric's name ("latency_ms", "p95 latency (ms)", "peak_mem_gb"), not
# after "per" or "/" (``tokens_per_s`` is a rate). Microseconds too ("latency_us", review s41:
# "latency ≤ 1 s" of it was told to record "latency_us_s").
_NAME_UNIT = lazy(
    r"(?<!per)(?<!/)(?:^|[\s_(\[-])(?P<unit>us|µs|μs|usec|microseconds?|ms|msec|milliseconds?|"
    r"s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|[kmgt]i?b|微秒|毫秒|秒|分钟|小时)[)\]]?$",
    re.IGNORECASE,
)


def measure_unit(said: str) -> str | None:
    """The canonical symbol of a unit of time or size as a plan writes it ("毫秒", "secs", "GB")."""
    return _SPELLINGS.get(said.strip().lower()) or _SPELLINGS.get(said.strip())


def measure_unit_of_name(name: str) -> str | None:
    """The unit of time or size a metric's name ends with ("latency_ms": ``ms``), else None."""
    found = _NAME_UNIT.search(name.strip())
    return measure_unit(found["unit"]) if found else None


def without_unit(name: str) -> str:
    """``name`` less the unit of time or size it ends with ("latency_ms": ``latency``)."""
    return _NAME_UNIT.sub("", name.strip()) if measure_unit_of_name(name) else name


def unit_factor(said: str, values: str) -> float | None:
    """
    What one ``said`` is in ``values`` (both canonical symbols): 0.001 for ms in s, 1.0 for a
    unit in itself; None where the two cannot be told apart by a fixed factor (different
    dimensions, or sizes of different units).
    """
    if said == values:
        return 1.0
    one, other = _MEASURES.get(said), _MEASURES.get(values)
    if one is None or other is None or one[0] != other[0] or one[1] is None or other[1] is None:
        return None
    return one[1] / other[1]


# What separates the words of a metric's name ("high-DTU NLL", `high_dtu_nll`).
_NAME_WORDS = lazy(r"[\s_\-./]+")


def words_apart(name: str, other: str) -> str:
    """
    The words of metric ``name`` that tell it apart from ``other``: its words, lowercased, less
    those it ends with as ``other`` does, one word at least (``high-DTU NLL`` beside `full_nll`
    is "high dtu"; beside ``""`` it is all of them). What a criterion's words are searched
    for, to tell that they speak of ``name`` rather than of ``other`` (012's «the locked
    high-DTU endpoint» judged on `full`).
    """
    own = [w for w in _NAME_WORDS.split(name.casefold()) if w]
    tail = [w for w in _NAME_WORDS.split(other.casefold()) if w]
    while len(own) > 1 and tail and own[-1] == tail[-1]:
        own, tail = own[:-1], tail[:-1]
    return " ".join(own)
