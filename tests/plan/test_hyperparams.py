"""
Tests for reading hyperparameters from a block's setup text (prose, key=value and flags).
"""

from __future__ import annotations

import pytest

from bridge.plan.hyperparams import setup_hyperparameters, spellings_of
from bridge.plan.loader import load_plan
from tests.conftest import needs_shared
from tests.plan.corpus import corpus


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


def test_a_value_with_a_letter_after_it_is_read_whole() -> None:
    """`hidden=512d` is the hidden size, read as written; it was no setting at all (any letter
    after the value was taken for a size's unit, as 7B's B is)."""
    found = setup_hyperparameters("- encoder: hidden=512d, 7B-class decoder")
    assert [(h.name, h.evidence) for h in found] == [("hidden_size", "hidden=512d")]


def test_spellings() -> None:
    """A known setting is configurable under its usual option names; others only by name."""
    assert {"lr", "learning_rate"} <= spellings_of("learning rate")
    assert "num_train_epochs" in spellings_of("epochs")
    assert spellings_of("grad-accum") == frozenset({"grad_accum"})


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        # 023's B2: "q_obs=0 is strictly a no-op", a case of the model's observation weight.
        ("- evaluation 固定 day 25；`q_obs=0` 严格 no-op；使用共同 validity set", []),
        ("- when `q_t=0` the update leaves the state unchanged", []),
        ("- `q_obs=0` 时由结构保证 exact identity", []),
        ("- gate: `b_plus = 0.5 * b_minus + delta`", []),
        # 006's "safe_on/off = 12 runs": a count of runs.
        ("- 3 r2_thresholds × 2 libraries × safe_on/off = 12 runs", []),
        # 017's "model: 7B-class decoder-only LLM": a model's size.
        ("- model: 7B-class decoder-only LLM", []),
        ("- backbone model=13b; params: 1.5T; size=7M-class", []),
        # A size in bytes, its unit two letters or more: a machine's, not a setting.
        ("- cache=10GB, vram=24gb; budget=2TB; mem=80GB-class; shard=512MB; swap=4GiB", []),
        # A value with another letter after it is a setting: `hidden=512d` was dropped as a size.
        ("- encoder `hidden=512d`, `timeout=30min`", ["hidden_size", "timeout"]),
        # Settings stay settings, in a code span or not.
        ("- scratch seed 3407 上固定 `lambda_cons=0.07`，warm up", ["lambda_cons"]),
        ("- optimiser: `lr=3e-4`, `grad_accum=8`", ["learning_rate", "grad_accum"]),
        ("- prompt length: 512, 2k, 8k", ["length"]),
        ("- `alpha=1 → 0`, annealed linearly", ["alpha"]),
        ("- command: `python train.py grid=3 -v`", ["grid"]),
        ("- ε_∞=4/255 (f0=2/255), Stage 14 = 30 steps", ["f0", "steps"]),
    ],
)
def test_a_case_a_count_or_a_size_is_no_setting(setup: str, expected: list[str]) -> None:
    """
    A ``name=value`` the plan states as a condition or an equation, a count of runs, or a size
    with its unit is not a setting; a configured value is one, in a code span or not.
    """
    assert [h.name for h in setup_hyperparameters(setup)] == expected


@needs_shared
def test_023_an_observation_weight_at_zero_is_no_setting() -> None:
    """
    023's B2 setup says "`q_obs=0` 严格 no-op" (plan:81): the observation weight the proposal
    computes (``q_obs_t = AvgPool(NearestResize(m_obs_t))``) leaves the state unchanged at 0, a
    contract the block tests, not a setting. The code review said "B2: hyperparameters named in
    the setup are not configurable …: q_obs".
    """
    plan = load_plan(corpus("023") / "EXPERIMENT_PLAN.md")
    (b2,) = [b for b in plan.blocks if b.id == "B2"]
    assert "`q_obs=0`" in b2.setup
    assert setup_hyperparameters(b2.setup) == ()
