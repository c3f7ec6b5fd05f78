"""
Majority-class baseline: always predict the most frequent training class.

On the stratified Iris split the three classes tie (35 training examples each), so the run
seed breaks the tie: different seeds predict different classes, and every seed scores
accuracy 1/3 on the balanced test set. Run it alone with ``python3 scripts/majority.py
--seed 0 --out OUT``.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Sequence


class MajorityClassifier:
    """
    Predicts one class for every input: the training majority, ties broken by ``rng``.

    Args:
        n_features: Unused; accepted so every model has the same constructor.
        n_classes: Number of classes.
        lr: Unused (there is nothing to learn by gradient).
        rng: Breaks ties between equally frequent classes.
    """

    #: The entry point runs one pass only: a count does not improve with more epochs.
    iterative = False

    def __init__(self, n_features: int, n_classes: int, *, lr: float, rng: random.Random) -> None:
        del n_features, lr
        self.n_classes = n_classes
        self.rng = rng
        self.prior = [1.0 / n_classes] * n_classes
        self.choice = 0

    def train_epoch(self, rows: Sequence[Sequence[float]], labels: Sequence[int]) -> None:
        """
        Count the training labels and fix the predicted class.

        Args:
            rows: Ignored.
            labels: Training class indices.
        """
        del rows
        counts = [labels.count(c) for c in range(self.n_classes)]
        self.prior = [n / len(labels) for n in counts]
        top = max(counts)
        self.choice = self.rng.choice([c for c, n in enumerate(counts) if n == top])

    def loss(self, rows: Sequence[Sequence[float]], labels: Sequence[int]) -> float:
        """
        Return the cross-entropy of predicting the training class frequencies.

        Args:
            rows: Ignored.
            labels: True class indices.

        Returns:
            Mean negative log-probability (ln 3 ≈ 1.0986 for three balanced classes).
        """
        del rows
        return -sum(math.log(max(self.prior[y], 1e-12)) for y in labels) / len(labels)

    def predict(self, row: Sequence[float]) -> int:
        """
        Return the majority class, whatever ``row`` is.

        Args:
            row: Ignored.

        Returns:
            The chosen class index.
        """
        del row
        return self.choice


if __name__ == "__main__":
    from train import main

    sys.exit(main(["--model", "majority", *sys.argv[1:]]))
