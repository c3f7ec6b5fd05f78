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
        compiled.append((name, re.compile(pattern, re.IGNORECASE)))
    return compiled


_PROSE = _compile()
_KEY_VALUE = re.compile(rf"(?:--)?\b([a-z][a-z0-9_]{{1,30}})\s*(?:=|:)\s*{_NUMBER}")
_FLAG = re.compile(r"--([a-z][a-z0-9_-]{1,30})")
_SPELLING = re.compile(r"[-\s]+")


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
        add(match.group(1), match.start(), match.group(0))
    for match in _FLAG.finditer(setup):
        add(match.group(1), match.start(), match.group(0))
    return tuple(h for _at, h in sorted(found.values(), key=lambda item: item[0]))
