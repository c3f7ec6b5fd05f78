"""
The hyperparameters a block's setup text names, in the forms plans write them.

Plans state settings three ways: as flags (``--epochs 3``), as ``key=value`` or ``key: value``
(``lr = 3e-4``), and in prose ("learning rate 0.1", "3 epochs", "batch size of 64",
"学习率 0.1"). :func:`setup_hyperparameters` reads all three; prose is matched against a small
lexicon of the settings papers name most, each with the option spellings scripts use for it
(``learning_rate`` is configurable when a script has ``--lr``). A name outside the lexicon is its
own only spelling.
"""

from __future__ import annotations

import re

import attrs

from bridge.compile_cache import pattern as compile_pattern
from bridge.lazy_patterns import lazy
from bridge.value_methods import value_methods

__all__ = ["Hyperparameter", "setup_hyperparameters", "spellings_of"]

_NUMBER = r"[-+]?(?:\d+(?:[.,_]\d+)*(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?[kKmM]?"


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Hyperparameter:
    """
    One setting a block's setup names.

    Attributes:
        name: the canonical name (``learning_rate``), or the name as written outside the lexicon.
        spellings: option names that configure it, normalised (lower case, ``_`` for ``-``).
        evidence: the text it was read from ("learning rate 0.1").
    """

    name: str
    spellings: frozenset[str]
    evidence: str


#: canonical name → (prose phrases before or after the number, option spellings)
_LEXICON: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "learning_rate": (
        ("learning rate", "learning-rate", "lr", "学习率"),
        ("learning_rate", "lr", "base_lr", "learningrate", "max_lr", "peak_lr"),
    ),
    "epochs": (
        ("epochs", "epoch", "training epochs", "个 epoch", "轮"),
        ("epochs", "epoch", "num_epochs", "n_epochs", "max_epochs", "num_train_epochs"),
    ),
    "batch_size": (
        ("batch size", "batch-size", "batch", "批大小", "批量大小"),
        (
            "batch_size",
            "bs",
            "batch",
            "train_batch_size",
            "per_device_train_batch_size",
            "micro_batch_size",
            "global_batch_size",
        ),
    ),
    "weight_decay": (("weight decay", "weight-decay"), ("weight_decay", "wd")),
    "dropout": (("dropout", "dropout rate"), ("dropout", "dropout_rate", "drop", "p_dropout")),
    "warmup": (
        ("warmup steps", "warmup", "warm-up"),
        ("warmup", "warmup_steps", "warmup_ratio", "warmup_iters", "num_warmup_steps"),
    ),
    "steps": (
        ("training steps", "steps", "iterations", "updates", "步"),
        ("steps", "max_steps", "num_steps", "n_steps", "train_steps", "iterations", "iters"),
    ),
    "temperature": (("temperature",), ("temperature", "temp", "tau")),
    "momentum": (("momentum",), ("momentum", "beta1")),
    "hidden_size": (
        ("hidden size", "hidden dim", "hidden dimension", "hidden units", "width"),
        ("hidden_size", "hidden_dim", "hidden", "d_model", "width", "n_hidden", "hidden_units"),
    ),
    "num_layers": (
        ("layers",),
        ("num_layers", "layers", "n_layers", "depth", "n_layer", "num_hidden_layers"),
    ),
    "num_heads": (("heads", "attention heads"), ("num_heads", "heads", "n_heads", "n_head")),
    "rank": (("lora rank", "rank"), ("rank", "r", "lora_r", "lora_rank")),
    "max_length": (
        ("sequence length", "max length", "context length", "seq len", "max tokens"),
        (
            "max_length",
            "max_len",
            "seq_len",
            "max_seq_length",
            "max_seq_len",
            "context_length",
            "block_size",
            "max_tokens",
            "max_new_tokens",
        ),
    ),
}

# Units that come before the phrase: "3 epochs", "400 steps", "12 layers", "8 heads".
_NUMBER_FIRST = frozenset({"epochs", "steps", "num_layers", "num_heads", "warmup"})


def _compile() -> list[tuple[str, re.Pattern[str]]]:
    compiled = []
    for name, (phrases, _spellings) in _LEXICON.items():
        words = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
        after = rf"(?<![\w-])(?:{words})(?![\w-])\s*(?:of|=|:|：|is|to|at|set to|为)?\s*{_NUMBER}"
        pattern = after
        if name in _NUMBER_FIRST:
            pattern = rf"(?:{after}|(?<![\w.]){_NUMBER}\s*(?:{words})(?![\w-]))"
        compiled.append((name, compile_pattern(pattern, re.IGNORECASE)))
    return compiled


_PROSE = _compile()
_KEY_VALUE = lazy(rf"(?:--)?\b([a-z][a-z0-9_]{{1,30}})\s*(?:=|:)\s*{_NUMBER}")
_FLAG = lazy(r"--([a-z][a-z0-9_-]{1,30})")
_WORD_END = lazy(r"[A-Za-z]*")
# A `name=value` that is no setting, by what follows the value: a size's unit, bytes with or
# without a prefix (`cache=10GB`, `vram=24gb`, `2TiB`), B/G/T ending the word or "-class"
# (017's "model: 7B-class", "13b"; K and M are read with the number), a count
# of runs (006's "safe_on/off = 12 runs"), or the consequence of a condition (023's "`q_obs=0`
# 严格 no-op", "`q_obs=0` 时 …": the observation weight at 0 leaves the state unchanged, a
# contract the block tests). An arrow to another number is a schedule ("alpha=1 → 0"), still a
# setting, and so is a value with another letter after it (`hidden=512d`): any letter was a
# size's unit before, and `hidden=512d` was no setting.
_NO_VALUE_AFTER = lazy(
    r"_|(?:[kmgtp]i?)?b(?![a-z])|[gt](?![a-z])|-class\b"
    r"|\s{1,3}(?:runs?|configs?|configurations?|combinations?|cells?)\b"
    r"|`?\s{0,3}(?:时|则|(?:→|=>|⇒|->)(?!\s{0,3}[-+.\d])|\b(?:implies|means)\b"
    r"|[^`;；。,，\n]{0,12}?(?:no-?op\b|identity|unchanged|恒等|不变))",
    re.IGNORECASE,
)
# ... or by what comes before the name: a condition ("when `q_t=0` …", "若 q_obs=0").
_CONDITION_BEFORE = lazy(r"(?:\b(?:if|when|whenever|iff|once|unless)|当|若|如果)\s{0,3}`?$", re.I)
# Inside a code span, an operator and a name after the value make the span an equation
# (`b_plus = 0.5 * b_minus + delta`), which defines a quantity and sets nothing.
# A minus needs a space after it: `lr=3e-4 -v` is a command's next flag.
_EQUATION_AFTER = lazy(r"\s{0,3}(?:[*×·^+/]\s{0,3}|-\s{1,3})[a-z_(]", re.IGNORECASE)
_SPELLING = lazy(r"[-\s]+")


def _normal(name: str) -> str:
    return _SPELLING.sub("_", name.strip().lstrip("-").strip().lower())


def _canonical(name: str) -> str | None:
    normal = _normal(name)
    for canonical, (_phrases, spellings) in _LEXICON.items():
        if normal == canonical or normal in spellings:
            return canonical
    return None


def spellings_of(name: str) -> frozenset[str]:
    """
    The normalised option names that configure the hyperparameter ``name`` (itself included):
    ``spellings_of("learning_rate")`` holds ``lr``; a name outside the lexicon is its own only
    spelling.
    """
    canonical = _canonical(name)
    if canonical is None:
        return frozenset({_normal(name)})
    return frozenset(_LEXICON[canonical][1]) | {canonical}


def setup_hyperparameters(setup: str) -> tuple[Hyperparameter, ...]:
    """
    Every hyperparameter ``setup`` names with a value, each once, in order of first mention.

    Prose is read first; a ``key: value`` match inside a prose match ("learning rate: 0.1" is
    not also "rate") is skipped, and flags (``--warmup``) count even without a value.

    Args:
        setup: a block's setup text.

    Returns:
        The hyperparameters, canonical where the lexicon knows the name.
    """
    found: dict[str, tuple[int, Hyperparameter]] = {}
    taken: list[tuple[int, int]] = []

    def add(name: str, at: int, evidence: str) -> None:
        canonical = _canonical(name)
        key = canonical or _normal(name)
        if key in found:
            return
        found[key] = (
            at,
            Hyperparameter(name=key, spellings=spellings_of(key), evidence=evidence.strip()),
        )

    for name, pattern in _PROSE:
        for match in pattern.finditer(setup):
            taken.append(match.span())
            add(name, match.start(), match.group(0))
    for match in _KEY_VALUE.finditer(setup):
        if any(start <= match.start(1) < end for start, end in taken):
            continue
        if _stated_not_set(setup, match):
            continue
        # The value as written, letters after the number included (`hidden=512d`, not "=512").
        word = _WORD_END.match(setup, match.end())
        end = word.end() if word else match.end()
        add(match.group(1), match.start(), setup[match.start() : end])
    for match in _FLAG.finditer(setup):
        add(match.group(1), match.start(), match.group(0))
    return tuple(h for _at, h in sorted(found.values(), key=lambda item: item[0]))


def _stated_not_set(text: str, match: re.Match[str]) -> bool:
    """
    Whether the ``name=value`` of ``match`` is written as something other than a setting: a
    size with its unit, a count of runs, a condition or its consequence, or, inside a code span,
    an equation. A configured value (``lr=3e-4``, 027's ``lambda_cons=0.07`` in a code span) is
    a setting, in a code span or not.
    """
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = text[max(line_start, match.start() - 12) : match.start()]
    if _NO_VALUE_AFTER.match(text, match.end()) or _CONDITION_BEFORE.search(before):
        return True
    in_span = text.count("`", line_start, match.start()) % 2 == 1
    return in_span and _EQUATION_AFTER.match(text, match.end()) is not None
