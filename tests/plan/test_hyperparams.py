"""
Tests for reading hyperparameters from a block's setup text (prose, key=value and flags).
"""

from __future__ import annotations

import pytest

from bridge.plan.hyperparams import setup_hyperparameters, spellings_of


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("learning rate 0.1, 3 epochs, batch size 64", ["learning_rate", "epochs", "batch_size"]),
        ("lr = 3e-4; weight decay of 0.01; 400 steps", ["learning_rate", "weight_decay", "steps"]),
        ("learning rate: 0.001 and --warmup", ["learning_rate", "warmup"]),
        ("学习率 0.1，批大小 32，训练 3 轮", ["learning_rate", "batch_size", "epochs"]),
        ("12 layers, 8 heads, hidden size 256", ["num_layers", "num_heads", "hidden_size"]),
        ("temperature=0.7, max length 512", ["temperature", "max_length"]),
        ("grid=3, grad_accum=8", ["grid", "grad_accum"]),
        ("Top-1 accuracy on the held-out split", []),
    ],
)
def test_setup_hyperparameters(setup: str, expected: list[str]) -> None:
    """Prose, key=value and flag forms each give the canonical name once, in order."""
    assert [h.name for h in setup_hyperparameters(setup)] == expected


def test_prose_is_not_read_twice() -> None:
    """'learning rate: 0.1' is the learning rate, not also a hyperparameter called 'rate'."""
    found = setup_hyperparameters("learning rate: 0.1")
    assert [(h.name, h.evidence) for h in found] == [("learning_rate", "learning rate: 0.1")]


def test_spellings() -> None:
    """A known setting is configurable under its usual option names; others only by name."""
    assert {"lr", "learning_rate"} <= spellings_of("learning rate")
    assert "num_train_epochs" in spellings_of("epochs")
    assert spellings_of("grad-accum") == frozenset({"grad_accum"})
