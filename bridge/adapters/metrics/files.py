"""
Metric extraction: read a finished attempt's output files into values and histories.

Three readers, each recording for every number the file (relative to the project root), the
file's sha256 and the rule that read it (grammar in :mod:`bridge.machine.measurements`):

- **JSON** (``*.json``, globs from :attr:`MetricsSpec.files`): numbers at any depth become
  dotted names (``{"eval": {"acc": 0.9}}`` → ``eval.acc``); a list of numbers is a history and
  its last element a value; a list of objects (``[{"step": 1, "loss": 2.3}, ...]``) gives one
  history per numeric key, with steps from a ``step``/``epoch``/``iter`` key when there is one.
  ``NaN``/``Infinity`` tokens, and the strings ``"nan"``/``"inf"``, are kept as non-finite
  values; other strings and booleans are not metrics.
- **CSV** (``*.csv``): with a header row; every numeric column gives the value in the final row;
  when a step column exists (:data:`STEP_COLUMNS`) every other numeric column is also a history.
- **Regex** rules (:class:`RegexRule`) over text files: the last match is the value, all matches
  the history (steps from a named group ``step`` when the pattern has one).

A file that cannot be read or parsed is not skipped silently: it becomes an
:class:`ExtractionProblem` in the result, which the pipeline records and shows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from bridge.errors import ConfigError
from bridge.machine.measurements import MetricHistory, MetricValue, to_stored
from bridge.plan.metric_names import match_metric

__all__ = [
    "STEP_COLUMNS",
    "Extraction",
    "ExtractionProblem",
    "MetricsSpec",
    "RegexRule",
    "extract_metrics",
    "match_metric",
]

STEP_COLUMNS: tuple[str, ...] = (
    "step",
    "steps",
    "global_step",
    "epoch",
    "epochs",
    "iter",
    "iters",
    "iteration",
    "iterations",
    "it",
    "update",
    "updates",
    "round",
)
"""Column (or JSON key) names, compared case-insensitively, that index a history."""

_NONFINITE_STRINGS = frozenset({"nan", "-nan", "inf", "+inf", "-inf", "infinity", "-infinity"})


def _compile(pattern: str, name: str) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern, re.MULTILINE)
    except re.error as exc:
        raise ConfigError(
            f"metric regex for {name!r} does not compile: {exc}", setting="metrics.regex"
        ) from exc
    if "value" not in compiled.groupindex and compiled.groups < 1:
        raise ConfigError(
            f"metric regex for {name!r} needs a group (the first group or one named 'value') "
            f"around the number: {pattern!r}",
            setting="metrics.regex",
        )
    return compiled


@attrs.frozen(kw_only=True)
class RegexRule:
    """
    One regex metric: a name, a pattern and the files it reads.

    Attributes:
        name: the metric name the matches are recorded under.
        pattern: a Python regex (multiline mode) whose named group ``value`` (or first group)
            holds the number; an optional named group ``step`` gives each match's step.
        files: glob, relative to the attempt's output directory, of the files to search.

    Raises:
        ConfigError: the pattern does not compile or has no group (setting ``metrics.regex``).
    """

    name: str
    pattern: str
    files: str = "**/*.log"
    compiled: re.Pattern[str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        """
        Compile the pattern once, so a bad pattern fails when the configuration is read.
        """
        object.__setattr__(self, "compiled", _compile(self.pattern, self.name))


@attrs.frozen(kw_only=True)
class MetricsSpec:
    """
    What to read from an attempt's output directory.

    Attributes:
        files: globs (relative to the output directory) of JSON and CSV files; the suffix decides
            the reader. Earlier globs come first in the result.
        regex: regex rules over text files, after the JSON and CSV files.
        aliases: plan metric name → extracted names, for :func:`match_metric`.
    """

    files: tuple[str, ...] = ("**/*.json", "**/*.csv")
    regex: tuple[RegexRule, ...] = ()
    aliases: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class ExtractionProblem:
    """
    A file that matched a glob but could not be read; shown in the results, never dropped.

    Attributes:
        source: the file, relative to the project root.
        message: what went wrong (with the line when the parser gives one).
    """

    source: str
    message: str


@attrs.frozen(kw_only=True)
class Extraction:
    """
    Everything read from one attempt.

    Attributes:
        values: one entry per number found, in file order (the same name may come from more than
            one file; :meth:`value` picks the first).
        histories: every history found.
        problems: files that could not be read.
    """

    values: tuple[MetricValue, ...] = ()
    histories: tuple[MetricHistory, ...] = ()
    problems: tuple[ExtractionProblem, ...] = ()

    def names(self) -> tuple[str, ...]:
        """
        Return the distinct value names, in first-seen order.
        """
        return tuple(dict.fromkeys(v.name for v in self.values))

    def value(
        self, plan_metric: str, aliases: Mapping[str, Sequence[str]] | None = None
    ) -> MetricValue | None:
        """
        Return the value a plan metric refers to (first source in order), or ``None``.

        Args:
            plan_metric: the metric as the plan names it.
            aliases: plan name → extracted names.

        Raises:
            ConfigError: the name is ambiguous (see :func:`match_metric`).
        """
        name = match_metric(plan_metric, self.names(), aliases)
        return next((v for v in self.values if v.name == name), None) if name else None


@attrs.frozen(kw_only=True)
class _File:
    path: Path
    source: str
    sha256: str
    data: bytes


def extract_metrics(
    output_dir: Path,
    *,
    project_root: Path,
    run_id: str,
    attempt_id: str,
    config: MetricsSpec,
) -> Extraction:
    """
    Read every configured metric file of one attempt.

    Args:
        output_dir: the attempt's output directory (inside the project).
        project_root: the project root; sources are recorded relative to it.
        run_id: the run the attempt belongs to.
        attempt_id: the attempt.
        config: which files and rules to read.

    Returns:
        The values, histories and unreadable files. Files are read once: the sha256 recorded is
        of exactly the bytes parsed.

    Raises:
        ConfigError: ``output_dir`` is not inside ``project_root`` (a source path must be
            relative to the project, so the value can be verified later).
    """
    root = project_root.resolve()
    out = output_dir.resolve()
    if not out.is_relative_to(root):
        msg = f"output directory {output_dir} is not inside the project root {project_root}"
        raise ConfigError(msg)
    values: list[MetricValue] = []
    histories: list[MetricHistory] = []
    problems: list[ExtractionProblem] = []
    cache: dict[Path, _File] = {}

    def load(path: Path) -> _File:
        if path not in cache:
            data = path.read_bytes()
            cache[path] = _File(
                path=path,
                source=path.relative_to(root).as_posix(),
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
            )
        return cache[path]

    ids = {"run_id": run_id, "attempt_id": attempt_id}
    for path in _matching(out, config.files):
        file = load(path)
        try:
            text = file.data.decode("utf-8-sig")
            if path.suffix.lower() == ".json":
                found = _read_json(text, file, ids)
            elif path.suffix.lower() == ".csv":
                found = _read_csv(text, file, ids)
            else:
                problems.append(
                    ExtractionProblem(
                        source=file.source,
                        message="not a .json or .csv file; use a regex rule for text files",
                    )
                )
                continue
        except (UnicodeDecodeError, ValueError) as exc:
            problems.append(ExtractionProblem(source=file.source, message=str(exc)))
            continue
        values.extend(found[0])
        histories.extend(found[1])
    for rule in config.regex:
        for path in _matching(out, (rule.files,)):
            file = load(path)
            text = file.data.decode("utf-8", errors="replace")
            try:
                found = _read_regex(rule, text, file, ids)
            except ValueError as exc:
                problems.append(ExtractionProblem(source=file.source, message=str(exc)))
                continue
            values.extend(found[0])
            histories.extend(found[1])
    return Extraction(values=tuple(values), histories=tuple(histories), problems=tuple(problems))


def _matching(out: Path, globs: Sequence[str]) -> Iterator[Path]:
    """
    Files under ``out`` matching the globs, each once; links that lead outside ``out`` are
    skipped (a run's output cannot make bridge read, and report, a file elsewhere).
    """
    seen: set[Path] = set()
    base = out.resolve()
    for pattern in globs:
        for path in sorted(out.glob(pattern)):
            if path.is_file() and path not in seen and path.resolve().is_relative_to(base):
                seen.add(path)
                yield path


def _number(item: object) -> float | None:
    """
    Return the item as a float when it is a metric number (not a bool, not a plain string).
    """
    if isinstance(item, bool):
        return None
    if isinstance(item, int | float):
        return float(item)
    if isinstance(item, str) and item.strip().lower() in _NONFINITE_STRINGS:
        return float(item.strip())
    return None


def _raw(item: object) -> str:
    if isinstance(item, float) and not math.isfinite(item):
        return "NaN" if math.isnan(item) else ("Infinity" if item > 0 else "-Infinity")
    return item.strip() if isinstance(item, str) else json.dumps(item)


_Found = tuple[list[MetricValue], list[MetricHistory]]


def _value(
    ids: Mapping[str, str], file: _File, name: str, number: float, raw: str, rule: str
) -> MetricValue:
    return MetricValue(
        run_id=ids["run_id"],
        attempt_id=ids["attempt_id"],
        name=name,
        value=to_stored(number),
        raw=raw,
        source=file.source,
        sha256=file.sha256,
        rule=rule,
    )


def _history(
    ids: Mapping[str, str],
    file: _File,
    name: str,
    points: Sequence[tuple[float, float, str]],
    rule: str,
) -> MetricHistory:
    return MetricHistory(
        run_id=ids["run_id"],
        attempt_id=ids["attempt_id"],
        name=name,
        steps=tuple(step for step, _, _ in points),
        values=tuple(to_stored(number) for _, number, _ in points),
        nonfinite=tuple(
            (i, raw) for i, (_, number, raw) in enumerate(points) if not math.isfinite(number)
        ),
        source=file.source,
        sha256=file.sha256,
        rule=rule,
    )


def _step_key(keys: Sequence[str]) -> str | None:
    lowered = {k.lower(): k for k in keys}
    return next((lowered[s] for s in STEP_COLUMNS if s in lowered), None)


def _read_json(text: str, file: _File, ids: Mapping[str, str]) -> _Found:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"{file.source}:{exc.lineno}: not valid JSON: {exc.msg}"
        raise ValueError(msg) from exc
    values: list[MetricValue] = []
    histories: list[MetricHistory] = []

    def walk(node: Any, path: str) -> None:
        number = _number(node)
        if number is not None and path:
            values.append(_value(ids, file, path, number, _raw(node), f"json:{path}"))
        elif isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list) and node:
            numbers = [_number(item) for item in node]
            if all(n is not None for n in numbers) and path:
                points = [
                    (float(i), n, _raw(item))
                    for i, (n, item) in enumerate(zip(numbers, node, strict=True))
                    if n is not None
                ]
                histories.append(_history(ids, file, path, points, f"json:{path}"))
                last = points[-1]
                values.append(_value(ids, file, path, last[1], last[2], f"json:{path}[-1]"))
            elif all(isinstance(item, dict) for item in node):
                _json_records(node, path, file, ids, (values, histories))

    walk(document, "")
    return values, histories


def _json_records(
    records: list[dict[str, Any]],
    path: str,
    file: _File,
    ids: Mapping[str, str],
    into: _Found,
) -> None:
    """
    Read a list of objects as one history per numeric key, and its last point as a value.
    """
    keys = list(dict.fromkeys(k for record in records for k in record))
    step = _step_key(keys)
    for key in keys:
        if key == step:
            continue
        points: list[tuple[float, float, str]] = []
        for index, record in enumerate(records):
            if key not in record:
                continue
            number = _number(record[key])
            if number is None:
                points = []
                break
            at = _number(record.get(step)) if step else float(index)
            points.append((float(index) if at is None else at, number, _raw(record[key])))
        if points:
            name = f"{path}.{key}" if path else key
            rule = f"json:{path}[*].{key}" if path else f"json:[*].{key}"
            into[1].append(_history(ids, file, name, points, rule))
            _, number, raw = points[-1]
            into[0].append(_value(ids, file, name, number, raw, f"{rule}[-1]"))


def _cell(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _read_csv(text: str, file: _File, ids: Mapping[str, str]) -> _Found:
    reader = csv.reader(io.StringIO(text))
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        return [], []
    header = [h.strip() for h in rows[0]]
    body = rows[1:]
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            msg = f"{file.source}:{line}: {len(row)} cells but the header has {len(header)}"
            raise ValueError(msg)
    step = _step_key(header)
    step_at = header.index(step) if step else None
    values: list[MetricValue] = []
    histories: list[MetricHistory] = []
    for col, name in enumerate(header):
        cells = [(i, row[col].strip()) for i, row in enumerate(body) if row[col].strip()]
        numbers = [(i, _cell(cell), cell) for i, cell in cells]
        if not numbers or any(n is None for _, n, _ in numbers):
            continue  # a text column (names, paths) holds no metric
        last_index, last_number, last_raw = numbers[-1]
        where = "last_row" if last_index == len(body) - 1 else "last_value"
        assert last_number is not None
        values.append(_value(ids, file, name, last_number, last_raw, f"csv:{where}:{name}"))
        if step_at is None or col == step_at:
            continue
        points: list[tuple[float, float, str]] = []
        for i, number, raw in numbers:
            step_value = _cell(body[i][step_at].strip())
            assert number is not None
            points.append((float(i) if step_value is None else step_value, number, raw))
        histories.append(_history(ids, file, name, points, f"csv:column:{name}"))
    return values, histories


def _read_regex(rule: RegexRule, text: str, file: _File, ids: Mapping[str, str]) -> _Found:
    points: list[tuple[float, float, str]] = []
    for index, match in enumerate(rule.compiled.finditer(text)):
        raw = match.group("value") if "value" in rule.compiled.groupindex else match.group(1)
        if raw is None:
            continue
        number = _cell(raw.strip())
        if number is None:
            line = text.count("\n", 0, match.start()) + 1
            msg = f"{file.source}:{line}: regex {rule.name!r} matched {raw!r}, not a number"
            raise ValueError(msg)
        step = float(index)
        if "step" in rule.compiled.groupindex and match.group("step") is not None:
            parsed = _cell(match.group("step"))
            step = step if parsed is None else parsed
        points.append((step, number, raw.strip()))
    if not points:
        return [], []
    tag = f"regex:{rule.pattern}"
    _, number, raw = points[-1]
    return [_value(ids, file, rule.name, number, raw, tag)], [
        _history(ids, file, rule.name, points, tag)
    ]
