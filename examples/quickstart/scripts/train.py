"""
Train and score one model on the fixed Iris split: the single entry point of the quickstart.

Example::

    python3 scripts/train.py --model logreg --seed 0 --lr 0.1 --epochs 30 --out runs/R007

Writes ``OUT/metrics.json`` (test ``accuracy``, test ``macro_f1``, final ``train_loss``,
``train_accuracy``), ``OUT/history.csv`` (``epoch,loss,accuracy``: training loss and test
accuracy after every epoch) and ``OUT/config.json`` (the settings), and prints one
``epoch=N loss=X accuracy=Y`` line per epoch. Exit status: 0 done, 1 training diverged,
2 bad input (the message says what to fix).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

from common import (
    DEFAULT_DATA,
    DEFAULT_SPLIT_SEED,
    DEFAULT_TEST_FRACTION,
    FEATURE_NAMES,
    FEATURE_SETS,
    InputError,
    Standardizer,
    accuracy,
    ensure_dir,
    load_iris,
    macro_f1,
    stratified_split,
    write_outputs,
)
from logreg import SoftmaxRegression
from majority import MajorityClassifier
from perceptron import Perceptron

MODELS = {
    "majority": MajorityClassifier,
    "perceptron": Perceptron,
    "logreg": SoftmaxRegression,
}

PROG = "train.py"


def build_parser() -> argparse.ArgumentParser:
    """
    Return the command-line parser (every hyperparameter is an option).

    Returns:
        The parser; ``--model`` and ``--out`` are required.
    """
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Train one classifier on the fixed stratified Iris split and score it.",
        epilog="example: python3 scripts/train.py --model logreg --seed 0 --out runs/demo",
    )
    parser.add_argument("--model", required=True, choices=sorted(MODELS))
    parser.add_argument("--seed", type=int, default=0, help="run seed: init and order (0)")
    parser.add_argument("--lr", type=float, default=0.1, help="SGD / perceptron step (0.1)")
    parser.add_argument("--epochs", type=int, default=30, help="passes over the data (30)")
    parser.add_argument(
        "--features", choices=sorted(FEATURE_SETS), default="all", help="feature subset (all)"
    )
    parser.add_argument(
        "--scaling",
        choices=["standard", "none"],
        default="standard",
        help="z-score features with training statistics, or not (standard)",
    )
    parser.add_argument(
        "--no-feature-scaling",
        dest="scaling",
        action="store_const",
        const="none",
        help="same as --scaling none",
    )
    parser.add_argument(
        "--split-seed",
        type=int,
        default=DEFAULT_SPLIT_SEED,
        help=f"seed of the train/test split, separate from --seed ({DEFAULT_SPLIT_SEED})",
    )
    parser.add_argument(
        "--test-fraction",
        type=float,
        default=DEFAULT_TEST_FRACTION,
        help=f"share of each class held out for testing ({DEFAULT_TEST_FRACTION})",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Iris CSV file")
    parser.add_argument("--out", type=Path, required=True, help="directory for the outputs")
    return parser


def check_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """
    Reject option values argparse's types cannot rule out (exits 2 with a message).

    Args:
        parser: The parser, for its ``error`` method.
        args: The parsed options.
    """
    if args.seed < 0:
        parser.error(f"--seed must be >= 0, got {args.seed}")
    if not (math.isfinite(args.lr) and args.lr > 0):
        parser.error(f"--lr must be a positive finite number, got {args.lr}")
    if args.epochs < 1:
        parser.error(f"--epochs must be >= 1, got {args.epochs}")
    if not 0 < args.test_fraction < 1:
        parser.error(f"--test-fraction must be strictly between 0 and 1, got {args.test_fraction}")


def main(argv: list[str] | None = None) -> int:
    """
    Run one experiment from command-line arguments.

    Args:
        argv: Arguments without the program name; ``sys.argv[1:]`` when ``None``.

    Returns:
        The exit status: 0 done, 1 training diverged, 2 bad input.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    check_args(parser, args)
    try:
        # Create the output directory first, so a bad --out fails before any training.
        ensure_dir(args.out)
        data = load_iris(args.data)
        train_idx, test_idx = stratified_split(
            data.labels, test_fraction=args.test_fraction, split_seed=args.split_seed
        )
    except InputError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    columns = FEATURE_SETS[args.features]
    data = data.select_features(columns)
    train, test = data.subset(train_idx), data.subset(test_idx)
    train_x, test_x = train.features, test.features
    if args.scaling == "standard":
        scaler = Standardizer(train_x)
        train_x, test_x = scaler.transform(train_x), scaler.transform(test_x)

    model_cls = MODELS[args.model]
    model = model_cls(len(columns), len(data.classes), lr=args.lr, rng=random.Random(args.seed))
    epochs = args.epochs if model_cls.iterative else 1
    print(
        f"model={args.model} seed={args.seed} features={args.features} scaling={args.scaling} "
        f"train={len(train)} test={len(test)} split_seed={args.split_seed}",
        flush=True,
    )
    if not model_cls.iterative:
        print("note: the majority baseline counts labels once; --lr and --epochs do not apply")

    history: list[tuple[int, float, float]] = []
    for epoch in range(1, epochs + 1):
        model.train_epoch(train_x, train.labels)
        loss = model.loss(train_x, train.labels)
        if not math.isfinite(loss):
            print(
                f"{PROG}: error: training diverged at epoch {epoch} (loss={loss}); "
                "try a smaller --lr",
                file=sys.stderr,
            )
            return 1
        test_acc = accuracy(test.labels, [model.predict(x) for x in test_x])
        history.append((epoch, loss, test_acc))
        print(f"epoch={epoch} loss={loss:.6f} accuracy={test_acc:.4f}", flush=True)

    predicted = [model.predict(x) for x in test_x]
    metrics = {
        "accuracy": accuracy(test.labels, predicted),
        "macro_f1": macro_f1(test.labels, predicted, len(data.classes)),
        "train_loss": history[-1][1],
        "train_accuracy": accuracy(train.labels, [model.predict(x) for x in train_x]),
    }
    config = {
        "model": args.model,
        "seed": args.seed,
        "lr": args.lr,
        "epochs": epochs,
        "features": [FEATURE_NAMES[c] for c in columns],
        "scaling": args.scaling,
        "split_seed": args.split_seed,
        "test_fraction": args.test_fraction,
        "n_train": len(train),
        "n_test": len(test),
        "classes": data.classes,
        "data": str(args.data),
    }
    write_outputs(args.out, metrics=metrics, history=history, config=config)
    print(
        f"done accuracy={metrics['accuracy']:.4f} macro_f1={metrics['macro_f1']:.4f} "
        f"outputs={args.out}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
