"""
Shared pieces of the quickstart experiments: data, split, scaling, metrics, outputs.

Everything is plain Python (standard library only) so the example runs anywhere Python 3.11
runs. The experiment scripts import this module; it holds no model code.
"""

from __future__ import annotations

import csv
import json
import math
import random
from collections.abc import Sequence
from pathlib import Path

#: Column names of ``data/iris.csv``, in file order.
FEATURE_NAMES = ("sepal_length", "sepal_width", "petal_length", "petal_width")
LABEL_NAME = "species"

#: Named feature subsets (column indices into ``FEATURE_NAMES``) for the ablation block.
FEATURE_SETS = {
    "all": (0, 1, 2, 3),
    "sepal": (0, 1),
    "petal": (2, 3),
}

#: The fixed split seed. It is deliberately separate from the run seed: every run, whatever
#: its ``--seed``, is trained and scored on the same 105/45 stratified split.
DEFAULT_SPLIT_SEED = 1936
DEFAULT_TEST_FRACTION = 0.3

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data" / "iris.csv"


class InputError(Exception):
    """
    Bad input the user can fix (a missing or malformed data file, an impossible option).

    The entry point turns it into a one-line message on stderr and exit status 2.
    """


class Dataset:
    """
    Feature rows and integer labels, with the class names the integers index.

    Args:
        features: One list of floats per example.
        labels: One class index per example, into ``classes``.
        classes: Class names, sorted, so that class indices are stable across runs.
    """

    def __init__(self, features: list[list[float]], labels: list[int], classes: list[str]) -> None:
        self.features = features
        self.labels = labels
        self.classes = classes

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, indices: Sequence[int]) -> Dataset:
        """
        Return the examples at ``indices``, in that order.

        Args:
            indices: Positions into this dataset.

        Returns:
            A new ``Dataset`` sharing the class list.
        """
        return Dataset(
            [self.features[i] for i in indices], [self.labels[i] for i in indices], self.classes
        )

    def select_features(self, columns: Sequence[int]) -> Dataset:
        """
        Return the same examples restricted to the feature ``columns``.

        Args:
            columns: Column indices into each feature row.

        Returns:
            A new ``Dataset`` with narrower rows.
        """
        return Dataset(
            [[row[c] for c in columns] for row in self.features], list(self.labels), self.classes
        )


def load_iris(path: Path = DEFAULT_DATA) -> Dataset:
    """
    Read the Iris CSV (header plus one row per flower) into a ``Dataset``.

    Args:
        path: The CSV file; its header must be ``FEATURE_NAMES`` followed by ``species``.

    Returns:
        The dataset, classes sorted by name.

    Raises:
        InputError: The file is missing, the header is wrong, or a row is malformed; the
            message names the file and line.
    """
    if not path.is_file():
        raise InputError(f"data file not found: {path}")
    expected_header = [*FEATURE_NAMES, LABEL_NAME]
    rows: list[tuple[list[float], str]] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != expected_header:
            raise InputError(
                f"{path}:1: expected header {','.join(expected_header)!r}, got {header!r}"
            )
        for row in reader:
            line = reader.line_num
            if not row:
                continue
            if len(row) != len(expected_header):
                raise InputError(
                    f"{path}:{line}: expected {len(expected_header)} fields, got {len(row)}"
                )
            try:
                values = [float(cell) for cell in row[:-1]]
            except ValueError as exc:
                raise InputError(f"{path}:{line}: non-numeric measurement ({exc})") from None
            if not all(math.isfinite(v) for v in values):
                raise InputError(f"{path}:{line}: measurements must be finite numbers")
            label = row[-1].strip()
            if not label:
                raise InputError(f"{path}:{line}: empty {LABEL_NAME}")
            rows.append((values, label))
    classes = sorted({label for _, label in rows})
    if len(classes) < 2:
        raise InputError(f"{path}: need at least two classes, found {classes!r}")
    index = {name: i for i, name in enumerate(classes)}
    return Dataset([v for v, _ in rows], [index[label] for _, label in rows], classes)


def stratified_split(
    labels: Sequence[int], *, test_fraction: float, split_seed: int
) -> tuple[list[int], list[int]]:
    """
    Split example positions into train and test, keeping class proportions.

    Each class is shuffled with its own deterministic generator derived from ``split_seed``
    and ``round(test_fraction * class_size)`` of its examples go to the test side.

    Args:
        labels: Class index per example.
        test_fraction: Share of each class held out, strictly between 0 and 1.
        split_seed: Seed of the split; independent of the run seed.

    Returns:
        ``(train_indices, test_indices)``, each sorted ascending.

    Raises:
        InputError: A class is too small to appear on both sides.
    """
    rng = random.Random(split_seed)
    train: list[int] = []
    test: list[int] = []
    for cls in sorted(set(labels)):
        members = [i for i, y in enumerate(labels) if y == cls]
        rng.shuffle(members)
        n_test = round(test_fraction * len(members))
        if n_test < 1 or n_test >= len(members):
            raise InputError(
                f"class {cls} has {len(members)} examples: too few for test fraction "
                f"{test_fraction}"
            )
        test.extend(members[:n_test])
        train.extend(members[n_test:])
    return sorted(train), sorted(test)


class Standardizer:
    """
    Per-feature z-scoring fitted on the training rows only (no test statistics leak in).

    Args:
        rows: Training feature rows.
    """

    def __init__(self, rows: Sequence[Sequence[float]]) -> None:
        n = len(rows)
        width = len(rows[0])
        self.means = [sum(r[j] for r in rows) / n for j in range(width)]
        self.stds = []
        for j in range(width):
            var = sum((r[j] - self.means[j]) ** 2 for r in rows) / n
            # A constant column would divide by zero; leave it centred but unscaled.
            self.stds.append(math.sqrt(var) if var > 0 else 1.0)

    def transform(self, rows: Sequence[Sequence[float]]) -> list[list[float]]:
        """
        Return ``rows`` z-scored with the training means and standard deviations.

        Args:
            rows: Feature rows of the same width as the training rows.

        Returns:
            New rows; the input is not modified.
        """
        return [
            [(x - m) / s for x, m, s in zip(row, self.means, self.stds, strict=True)]
            for row in rows
        ]


def accuracy(truth: Sequence[int], predicted: Sequence[int]) -> float:
    """
    Return the share of predictions equal to the truth.

    Args:
        truth: True class indices.
        predicted: Predicted class indices, same length.

    Returns:
        A value in [0, 1].
    """
    hits = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p)
    return hits / len(truth)


def macro_f1(truth: Sequence[int], predicted: Sequence[int], n_classes: int) -> float:
    """
    Return the unweighted mean of per-class F1 scores.

    A class never predicted and never present would be undefined; it cannot occur here
    because every class is present in a stratified test split. A class never predicted
    scores F1 = 0, which is what makes a majority baseline's macro-F1 low.

    Args:
        truth: True class indices.
        predicted: Predicted class indices, same length.
        n_classes: Number of classes.

    Returns:
        A value in [0, 1].
    """
    scores = []
    for cls in range(n_classes):
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == cls and p == cls)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != cls and p == cls)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == cls and p != cls)
        denom = 2 * tp + fp + fn
        scores.append(2 * tp / denom if denom else 0.0)
    return sum(scores) / n_classes


def ensure_dir(path: Path) -> None:
    """
    Create ``path`` and its parents when missing.

    Args:
        path: The directory.

    Raises:
        InputError: It cannot be created (for example, a parent is a file).
    """
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create output directory {path}: {exc.strerror}") from None


def write_outputs(
    out_dir: Path,
    *,
    metrics: dict[str, float],
    history: Sequence[tuple[int, float, float]],
    config: dict[str, object],
) -> None:
    """
    Write ``metrics.json``, ``history.csv`` and ``config.json`` into ``out_dir``.

    ``metrics.json`` holds only metric values, so that a results collector reading every
    number in it never mistakes a hyperparameter for a result; the run's settings go to
    ``config.json``.

    Args:
        out_dir: Created (with parents) when missing.
        metrics: Metric name to value; every value must be finite.
        history: ``(epoch, loss, accuracy)`` per epoch.
        config: The run's settings, for the record.

    Raises:
        InputError: ``out_dir`` cannot be created (for example, it names a file).
        ValueError: A metric or history value is NaN or infinite (``allow_nan=False``).
    """
    ensure_dir(out_dir)
    (out_dir / "metrics.json").write_text(
        json.dumps({k: round(v, 6) for k, v in metrics.items()}, indent=2, allow_nan=False) + "\n",
        encoding="utf-8",
    )
    with (out_dir / "history.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["epoch", "loss", "accuracy"])
        for epoch, loss, acc in history:
            writer.writerow([epoch, f"{loss:.6f}", f"{acc:.6f}"])
    (out_dir / "config.json").write_text(
        json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
