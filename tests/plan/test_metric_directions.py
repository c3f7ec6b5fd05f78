"""
The metrics whose better way bridge knows. A gain the better way ("improves", "outperforms",
«优于») of any other metric is open until bridge.toml says which way, so the common metrics
must keep their known direction: a missing one would turn a firm verdict open.
"""

from __future__ import annotations

import pytest

from bridge.plan.metric_names import is_known_higher_better, is_lower_better

HIGHER = (
    "accuracy", "val_acc", "top1", "F1", "macro_f1", "AUROC", "AUPRC", "roc_auc", "BLEU",
    "sacreBLEU", "chrF++", "ROUGE-L", "METEOR", "exact_match", "precision", "recall@10", "mAP",
    "mAP50", "AP50", "nDCG@10", "MRR", "Hit@1", "hits@10", "pass@1", "win_rate", "PSNR", "SSIM",
    "BERTScore", "CLIPScore", "inception_score", "spearman", "Pearson", "kendall_tau", "R2",
    "throughput", "tokens_per_sec", "samples/s", "speedup", "reward", "mean_return",
    "success_rate", "mIoU", "dice", "energy efficiency", "cost savings", "final quality",
    "performance",
)  # fmt: skip
LOWER = (
    "loss", "val_loss", "NLL", "perplexity", "ppl", "error", "top1_err", "WER", "CER", "MSE",
    "MAE", "RMSE", "FID", "FVD", "KID", "LPIPS", "bpd", "bpb", "ECE", "Brier score", "latency",
    "latency_ms", "inference time", "peak_memory_gb", "KL", "FPR@95", "EER",
)  # fmt: skip
UNKNOWN = (
    "Vpk", "sigma_x", "pos_rms", "J_drop", "mean lift", "time-in-range", "coverage",
    # Per second, but no work done: more of it is no gain (review h43R2: "Ours improves
    # cost_per_second over FedAvg" read met on a larger cost).
    "cost_per_second", "time_per_s", "energy_per_s", "memory_per_second",
    # A distance built on a correlation: smaller is closer.
    "spearman_footrule",
    # A change or a spread of a known metric: its better way is not the metric's (they were
    # known better higher by their head, "improves accuracy_drop" met on a larger drop).
    "accuracy_drop", "bleu_variance", "f1_gap", "success_rate_delta", "accuracy_reduction",
    "drop_in_accuracy", "f1_deviation", "accuracy_shift", "AccuracyDrop", "delta_accuracy",
    "accuracy_regression",
)  # fmt: skip
BOTH_WORDS = ("latency_per_s", "error_per_s", "loss/s", "pearson_distance", "kendall_tau_distance",
              "map_distance")  # fmt: skip


@pytest.mark.parametrize("name", HIGHER)
def test_a_common_higher_is_better_metric_is_known(name: str) -> None:
    """Each is known better higher and not read lower."""
    assert is_known_higher_better(name) and not is_lower_better(name)


@pytest.mark.parametrize("name", LOWER)
def test_a_common_lower_is_better_metric_is_known(name: str) -> None:
    """Each is known better lower."""
    assert is_lower_better(name)


@pytest.mark.parametrize("name", UNKNOWN)
def test_a_metric_no_list_knows_is_known_neither_way(name: str) -> None:
    """Neither way: a gain the better way of it is open, not guessed."""
    assert not is_known_higher_better(name) and not is_lower_better(name)


@pytest.mark.parametrize("name", BOTH_WORDS)
def test_a_name_with_a_lower_word_is_not_known_higher(name: str) -> None:
    """A name is known one way at most: these were known both ways (review h43R2)."""
    assert is_lower_better(name) and not is_known_higher_better(name)
