"""
Softmax (multinomial) logistic regression trained by plain stochastic gradient descent.

Run it alone with ``python3 scripts/logreg.py --seed 0 --out OUT``.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Sequence


class SoftmaxRegression:
    """
    Linear scores, softmax probabilities, cross-entropy loss, one SGD step per example.

    Args:
        n_features: Width of an input row.
        n_classes: Number of classes.
        lr: SGD step size.
        rng: Draws the small initial weights and the example order of every epoch.
    """

    iterative = True

    def __init__(self, n_features: int, n_classes: int, *, lr: float, rng: random.Random) -> None:
        self.lr = lr
        self.rng = rng
        self.weights = [[rng.gauss(0.0, 0.01) for _ in range(n_features)] for _ in range(n_classes)]
        self.bias = [0.0] * n_classes

    def probabilities(self, row: Sequence[float]) -> list[float]:
        """
        Return the softmax class probabilities for ``row``.

        Args:
            row: One feature row.

        Returns:
            One probability per class, summing to 1.
        """
        scores = [
            b + sum(w * x for w, x in zip(ws, row, strict=True))
            for ws, b in zip(self.weights, self.bias, strict=True)
        ]
        top = max(scores)  # subtracting the max keeps exp() from overflowing
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def train_epoch(self, rows: Sequence[Sequence[float]], labels: Sequence[int]) -> None:
        """
        Take one SGD step per training example, in a seeded random order.

        Args:
            rows: Training feature rows.
            labels: Training class indices.
        """
        order = list(range(len(rows)))
        self.rng.shuffle(order)
        for i in order:
            row, label = rows[i], labels[i]
            probs = self.probabilities(row)
            for cls, p in enumerate(probs):
                # d(cross-entropy)/d(score_cls) = p_cls - 1[cls == label]
                grad = p - (1.0 if cls == label else 0.0)
                step = self.lr * grad
                self.weights[cls] = [
                    w - step * x for w, x in zip(self.weights[cls], row, strict=True)
                ]
                self.bias[cls] -= step

    def loss(self, rows: Sequence[Sequence[float]], labels: Sequence[int]) -> float:
        """
        Return the mean cross-entropy over ``rows``.

        Args:
            rows: Feature rows.
            labels: True class indices.

        Returns:
            Mean negative log-probability of the true class.
        """
        total = 0.0
        for row, label in zip(rows, labels, strict=True):
            total -= math.log(max(self.probabilities(row)[label], 1e-300))
        return total / len(rows)

    def predict(self, row: Sequence[float]) -> int:
        """
        Return the most probable class for ``row``.

        Args:
            row: One feature row.

        Returns:
            A class index.
        """
        probs = self.probabilities(row)
        return max(range(len(probs)), key=probs.__getitem__)


if __name__ == "__main__":
    from train import main

    sys.exit(main(["--model", "logreg", *sys.argv[1:]]))
