"""
One-vs-rest averaged perceptron: one linear separator per class, prediction by the largest score.

Versicolor is not linearly separable from the other two species, so the plain perceptron never
converges on it: its weights jump with every mistake and the last ones depend on the visiting
order. The averaged perceptron (Freund & Schapire, 1999) predicts with the mean of the weights
over every step instead, which settles; the mistake-driven updates themselves are unchanged.
Run it alone with ``python3 scripts/perceptron.py --seed 0 --out OUT``.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence


class Perceptron:
    """
    Rosenblatt perceptron rule applied per class with targets +1 (this class) / -1 (rest);
    ``weights``/``bias`` (used to score, predict and report the loss) are the running averages of
    the updated weights over every example seen.

    Args:
        n_features: Width of an input row.
        n_classes: Number of classes (one separator each).
        lr: Step size of each mistake-driven update.
        rng: Draws the small initial weights and the example order of every epoch.
    """

    iterative = True

    def __init__(self, n_features: int, n_classes: int, *, lr: float, rng: random.Random) -> None:
        self.lr = lr
        self.rng = rng
        # Small random weights instead of zeros: with zero init the learning rate would only
        # rescale the weights and could never change a prediction.
        self.live = [[rng.gauss(0.0, 0.01) for _ in range(n_features)] for _ in range(n_classes)]
        self.live_bias = [0.0] * n_classes
        self.weights = [list(ws) for ws in self.live]
        self.bias = list(self.live_bias)
        self._sum = [[0.0] * n_features for _ in range(n_classes)]
        self._sum_bias = [0.0] * n_classes
        self._seen = 0

    def scores(self, row: Sequence[float]) -> list[float]:
        """
        Return the score of every class separator for ``row``.

        Args:
            row: One feature row.

        Returns:
            One score per class.
        """
        return [
            b + sum(w * x for w, x in zip(ws, row, strict=True))
            for ws, b in zip(self.weights, self.bias, strict=True)
        ]

    def train_epoch(self, rows: Sequence[Sequence[float]], labels: Sequence[int]) -> None:
        """
        Visit every training example once, in a seeded random order, updating on mistakes.

        Args:
            rows: Training feature rows.
            labels: Training class indices.
        """
        order = list(range(len(rows)))
        self.rng.shuffle(order)
        for i in order:
            row, label = rows[i], labels[i]
            for cls, ws in enumerate(self.live):
                score = self.live_bias[cls] + sum(w * x for w, x in zip(ws, row, strict=True))
                target = 1.0 if cls == label else -1.0
                if target * score <= 0.0:
                    step = self.lr * target
                    self.live[cls] = [w + step * x for w, x in zip(ws, row, strict=True)]
                    self.live_bias[cls] += step
            for cls, ws in enumerate(self.live):
                self._sum[cls] = [a + w for a, w in zip(self._sum[cls], ws, strict=True)]
                self._sum_bias[cls] += self.live_bias[cls]
            self._seen += 1
        self.weights = [[a / self._seen for a in sums] for sums in self._sum]
        self.bias = [b / self._seen for b in self._sum_bias]

    def loss(self, rows: Sequence[Sequence[float]], labels: Sequence[int]) -> float:
        """
        Return the perceptron criterion: mean over examples of the summed margin violations.

        Args:
            rows: Feature rows.
            labels: True class indices.

        Returns:
            ``mean_i sum_k max(0, -t_ik * s_ik)``; zero when every separator is right.
        """
        total = 0.0
        for row, label in zip(rows, labels, strict=True):
            for cls, score in enumerate(self.scores(row)):
                target = 1.0 if cls == label else -1.0
                total += max(0.0, -target * score)
        return total / len(rows)

    def predict(self, row: Sequence[float]) -> int:
        """
        Return the class whose separator scores ``row`` highest.

        Args:
            row: One feature row.

        Returns:
            A class index.
        """
        scores = self.scores(row)
        return max(range(len(scores)), key=scores.__getitem__)


if __name__ == "__main__":
    from train import main

    sys.exit(main(["--model", "perceptron", *sys.argv[1:]]))
