"""
Metric extraction: read a finished attempt's output files into values and histories.

Four readers, each recording for every number the file (relative to the project root), the
file's sha256 and the rule that read it (grammar in :mod:`bridge.machine.measurements`):

- **JSON** (``*.json``, globs from :attr:`MetricsSpec.files`): numbers at any depth, series and
  named conditions, by the rules of :mod:`bridge.adapters.metrics.json_values`.
- **Queries** (:class:`~bridge.adapters.metrics.query.QueryRule`, ``[[metrics.extract]]``): a
  JMESPath query over one JSON file names exactly the number a plan means.
- **CSV** (``*.csv``): with a header row; every numeric column gives the value in the final row;
  when a step column exists (:data:`STEP_COLUMNS`) every other numeric column is also a history,
  and the step column, their x axis, is no value (of a single row it is one).
- **Regex** rules (:class:`RegexRule`) over text files: the last match is the value, all matches
  the history (steps from a named group ``step`` when the pattern has one).

Outputs are untrusted input (:mod:`bridge.adapters.metrics.reading`): a file is read only when
it resolves inside the attempt directory, is a regular file and is within the size limit; JSON
deeper than the depth limit is not parsed; at most ``max_values`` values and histories are
recorded (the plan's metrics first). A file that cannot or may not be read, a part of a document
the rules do not read, and anything over a limit are not skipped silently: each becomes an
:class:`ExtractionProblem` in the result, which the pipeline records and shows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import attrs

from bridge.adapters.metrics.json_values import LABEL_KEYS, read_json
from bridge.adapters.metrics.jsonl_values import read_jsonl
from bridge.adapters.metrics.query import QueryRule, read_query
from bridge.adapters.metrics.reading import OutputLimits, OutputRefused, contained, read_contained
from bridge.adapters.metrics.records import (
    STEP_COLUMNS,
    Found,
    ReadFile,
    history,
    marks_time,
    number_as_text,
    step_key,
    value,
)
from bridge.errors import ConfigError
from bridge.events.measurements import NO_FILE_MATCHED, NO_NUMBER_IN_FILE
from bridge.lazy_patterns import lazy
from bridge.machine.measurements import MetricHistory, MetricValue
from bridge.machine.quality import measured_names
from bridge.plan.metric_names import match_metric
from bridge.value_methods import value_methods

__all__ = [
    "STEP_COLUMNS",
    "Extraction",
    "ExtractionProblem",
    "MetricsSpec",
    "OutputLimits",
    "QueryRule",
    "RegexRule",
    "extract_metrics",
    "match_metric",
    "note_nothing_read",
]


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


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class MetricsSpec:
    """
    What to read from an attempt's output directory.

    Attributes:
        files: globs (relative to the output directory) of JSON and CSV files; the suffix decides
            the reader. Earlier globs come first in the result.
        queries: JMESPath rules, after the JSON and CSV files.
        regex: regex rules over text files, after the queries.
        aliases: plan metric name → extracted names, for :func:`match_metric`.
        limits: how much is read and recorded.
    """

    files: tuple[str, ...] = ("**/*.json", "**/*.csv")
    queries: tuple[QueryRule, ...] = ()
    regex: tuple[RegexRule, ...] = ()
    aliases: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    limits: OutputLimits = attrs.field(factory=OutputLimits)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ExtractionProblem:
    """
    What was not read; shown in the results, never dropped.

    Attributes:
        source: the file, relative to the project root.
        message: what went wrong (with the line when the parser gives one).
        blocking: ``False`` for a note on a readable file (see
            :class:`~bridge.events.measurements.UnreadOutput`).
    """

    source: str
    message: str
    blocking: bool = True


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Extraction:
    """
    Everything read from one attempt.

    Attributes:
        values: one entry per number found, in file order (the same name may come from more than
            one file; :meth:`value` picks the first).
        histories: every history found.
        problems: files that could not be read.
        read: the files read (relative to the project root), in the order first read, whether
            or not they gave a number: what :func:`note_nothing_read` names.
    """

    values: tuple[MetricValue, ...] = ()
    histories: tuple[MetricHistory, ...] = ()
    problems: tuple[ExtractionProblem, ...] = ()
    read: tuple[str, ...] = ()

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


def extract_metrics(
    output_dir: Path,
    *,
    project_root: Path,
    run_id: str,
    attempt_id: str,
    config: MetricsSpec,
    wanted: Sequence[str] = (),
) -> Extraction:
    """
    Read every configured metric file of one attempt.

    Args:
        output_dir: the attempt's directory (inside the project); nothing outside it is read.
        project_root: the project root; sources are recorded relative to it.
        run_id: the run the attempt belongs to.
        attempt_id: the attempt.
        config: which files and rules to read, and the limits.
        wanted: the plan's metric names; kept first when ``max_values`` cuts the record.

    Returns:
        The values, histories and problems. Files are read once: the sha256 recorded is of
        exactly the bytes parsed. Never raises for anything a run wrote.

    Raises:
        ConfigError: ``output_dir`` is not inside ``project_root`` (a source path must be
            relative to the project, so the value can be verified later).
    """
    root = project_root.resolve()
    out = output_dir.resolve()
    if not out.is_relative_to(root):
        msg = f"output directory {output_dir} is not inside the project root {project_root}"
        raise ConfigError(msg)
    limits = config.limits
    values: list[MetricValue] = []
    histories: list[MetricHistory] = []
    problems: list[ExtractionProblem] = []
    cache: dict[Path, ReadFile | str] = {}

    def problem(path: Path, message: str) -> None:
        problems.append(ExtractionProblem(source=_source(path, root), message=message))

    def load(path: Path) -> ReadFile | None:
        """The file's bytes, or ``None`` after recording (once) why it was not read."""
        if path not in cache:
            try:
                data = read_contained(path, out, limits)
            except OutputRefused as exc:
                cache[path] = str(exc)
                problem(path, str(exc))
            else:
                cache[path] = ReadFile(
                    path=str(path),
                    source=_source(path, root),
                    sha256=hashlib.sha256(data).hexdigest(),
                    data=data,
                )
        loaded = cache[path]
        return loaded if isinstance(loaded, ReadFile) else None

    def take(
        file: ReadFile,
        found: tuple[list[MetricValue], list[MetricHistory], list[str]],
        *,
        blocking: bool,
    ) -> None:
        values.extend(found[0])
        histories.extend(found[1])
        problems.extend(
            ExtractionProblem(source=file.source, message=n, blocking=blocking) for n in found[2]
        )

    ids = {"run_id": run_id, "attempt_id": attempt_id}
    for path in _matching(output_dir, out, config.files, problem):
        file = load(path)
        if file is None:
            continue
        suffix = path.suffix.lower()
        try:
            text = file.data.decode("utf-8-sig")
            if suffix == ".json":
                # What the JSON rules leave unread is a note: the file itself is fine.
                take(file, read_json(text, file, ids, limits.max_depth), blocking=False)
            elif suffix == ".jsonl":
                # Likewise: a last line cut off as the run stopped is a note.
                take(file, read_jsonl(text, file, ids, limits.max_depth), blocking=False)
            elif suffix == ".csv":
                # Likewise: a column of numbers written as text is a note, not a bad file.
                take(file, _read_csv(text, file, ids), blocking=False)
            else:
                problem(path, "not a .json, .jsonl or .csv file; use a regex rule for text files")
        except (UnicodeDecodeError, ValueError) as exc:
            problem(path, str(exc))
    for rule in config.queries:
        paths = list(_matching(output_dir, out, (rule.files,), problem))
        if not paths:
            problems.append(
                ExtractionProblem(
                    source=_source(output_dir / rule.files, root),
                    message=f"[[metrics.extract]] {rule.name!r}: no file matches {rule.files!r} "
                    "in this run's outputs ("
                    + (
                        "a note: the rule's blocks/runs include this run)"
                        if rule.scoped
                        else "a note: the rule may be meant for other runs)"
                    ),
                    # A rule names one file; runs that never write it (a sanity run, another
                    # block's script) are not broken. A run the rule is for shows the metric
                    # missing where its block is judged.
                    blocking=False,
                )
            )
        for path in paths:
            file = load(path)
            if file is None:
                continue
            try:
                take(
                    file,
                    read_query(rule, file.data.decode("utf-8-sig"), file, ids, limits.max_depth),
                    blocking=True,  # a rule the researcher wrote that finds nothing is a failure
                )
            except (UnicodeDecodeError, ValueError) as exc:
                problem(path, str(exc))
    for regex in config.regex:
        for path in _matching(output_dir, out, (regex.files,), problem):
            file = load(path)
            if file is None:
                continue
            try:
                found = _read_regex(regex, file.data.decode("utf-8", errors="replace"), file, ids)
            except ValueError as exc:
                problem(path, str(exc))
                continue
            take(file, (*found, []), blocking=True)
    read = tuple(f.source for f in cache.values() if isinstance(f, ReadFile))
    values, clashes = _named_by_file(values, _source(output_dir, root))
    problems.extend(clashes)
    return _capped(
        Extraction(
            values=tuple(values), histories=tuple(histories), problems=tuple(problems), read=read
        ),
        limits,
        wanted,
        config.aliases,
        _source(output_dir, root),
    )


def _named_by_file(
    values: list[MetricValue], out: str
) -> tuple[list[MetricValue], list[ExtractionProblem]]:
    """
    One name read from several files with different numbers (029's R041: ``auroc`` in
    ``risk/KLAX/lr.json``, ``risk/KLAX/xgb.json`` …): each value named by its file's path
    inside ``out`` (the attempt's directory, so ``output/`` is part of it:
    ``auroc[output/risk/KLAX/lr.json]``), and a note saying so. Kept under the one name, the first
    file's number stood for the run and the others were dropped in silence (trial O2: XGBoost
    judged on the logistic regression's 0.687).
    """
    values, within = _named_by_rule(values)
    by_name: dict[str, list[MetricValue]] = {}
    for v in values:
        by_name.setdefault(v.name, []).append(v)
    clashing = {
        name
        for name, found in by_name.items()
        if len({v.source for v in found}) > 1 and len({v.value for v in found}) > 1
    }
    if not clashing:
        return values, within
    prefix = f"{out}/" if out else ""

    def inside(source: str) -> str:
        return source[len(prefix) :] if prefix and source.startswith(prefix) else source

    renamed = [
        attrs.evolve(v, name=f"{v.name}[{inside(v.source)}]") if v.name in clashing else v
        for v in values
    ]
    notes = [
        ExtractionProblem(
            source=by_name[name][0].source,
            message=f"{name!r} was read from {len({v.source for v in by_name[name]})} files with "
            f"different numbers: each is named by its file ({name}[FILE]); name the one the "
            "run stands for with [metrics] aliases, or read it with a [[metrics.extract]] query",
            blocking=False,
        )
        for name in sorted(clashing)
    ]
    return renamed, [*within, *notes]


def _named_by_rule(values: list[MetricValue]) -> tuple[list[MetricValue], list[ExtractionProblem]]:
    """
    One name given to different numbers within one file (a JSON holding the key
    ``"eval.final_quality"`` and ``{"eval": {"final_quality": …}}``): each value named by the
    rule that read it, ``eval.final_quality[json:eval.final_quality]``, and a note saying so.
    Kept under the one name, whichever came last stood for the run in silence.
    """
    by_key: dict[tuple[str, str], list[MetricValue]] = {}
    for v in values:
        by_key.setdefault((v.source, v.name), []).append(v)
    clashing = {key for key, found in by_key.items() if len({repr(v.value) for v in found}) > 1}
    if not clashing:
        return values, []
    renamed = [
        attrs.evolve(v, name=f"{v.name}[{v.rule}]") if (v.source, v.name) in clashing else v
        for v in values
    ]
    notes = [
        ExtractionProblem(
            source=source,
            message=f"{name!r} names {len(by_key[source, name])} different numbers in this file ("
            + ", ".join(f"{v.rule} = {v.raw or v.value}" for v in by_key[source, name])
            + f"): each is named by the rule that read it ({name}[RULE]); name the one the run "
            "stands for with [metrics] aliases, or read it with a [[metrics.extract]] query",
            blocking=False,
        )
        for source, name in sorted(clashing)
    ]
    return renamed, notes


NOTHING_IN_FILE = NO_NUMBER_IN_FILE
NOTHING_MATCHED = NO_FILE_MATCHED


def note_nothing_read(found: Extraction, output_dir: Path, *, project_root: Path) -> Extraction:
    """
    ``found`` with, when it holds no value at all and no blocking problem already says why,
    one blocking problem per file read (:data:`NOTHING_IN_FILE`: a ``metrics.json`` of ``{}``)
    or, when no file was read, a note on ``output_dir`` (:data:`NOTHING_MATCHED`, not blocking).

    A run whose outputs gave no number is thereby never recorded silently: the problem is shown
    on the run in the results (012's R005 wrote ``{}`` and read as DONE with nothing said). It is
    applied to everything read for the run (files and W&B together), so a value from either
    source means no note.

    Args:
        found: everything read for one attempt.
        output_dir: the attempt's output folder, named when no file was read.
        project_root: the project root; sources are relative to it.
    """
    if found.values or any(p.blocking for p in found.problems):
        return found
    # No file at all is a note, not a broken output: a figure or a post-processing step may
    # have no number to give (the results say so on the run, and hold nothing back for it).
    notes = tuple(ExtractionProblem(source=s, message=NOTHING_IN_FILE) for s in found.read) or (
        ExtractionProblem(
            source=_source(output_dir, project_root.resolve()),
            message=NOTHING_MATCHED,
            blocking=False,
        ),
    )
    return attrs.evolve(found, problems=(*found.problems, *notes))


def _source(path: Path, root: Path) -> str:
    """
    ``path`` relative to the project root without following links (a link's own name is what
    the run wrote; where it leads is said in the message).
    """
    absolute = path.absolute()
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def _capped(
    found: Extraction,
    limits: OutputLimits,
    wanted: Sequence[str],
    aliases: Mapping[str, Sequence[str]],
    where: str,
) -> Extraction:
    """
    Keep at most ``max_values`` values, as many histories (the plan's metrics first) and as
    many problems (the blocking ones first), and say how many were left out.
    """
    cap = limits.max_values
    values, histories = found.values, found.histories
    notes: list[ExtractionProblem] = []
    if len(values) > cap or len(histories) > cap:
        keep = measured_names(found.names(), wanted, aliases)
        values, histories = _first(values, keep, cap), _first(histories, keep, cap)
        message = (
            f"{len(found.values):,} values and {len(found.histories):,} histories found, over "
            f"the limit of {cap:,} each ([metrics] max_values): "
            f"{len(found.values) - len(values):,} values and "
            f"{len(found.histories) - len(histories):,} histories were not recorded"
            + (" (the plan's metrics were kept)" if keep else "")
        )
        notes.append(ExtractionProblem(source=where, message=message, blocking=False))
    problems = found.problems
    if len(problems) > cap:
        ordered = sorted(problems, key=lambda p: not p.blocking)  # stable: file order kept
        problems = tuple(ordered[:cap])
        notes.append(
            ExtractionProblem(
                source=where,
                message=f"{len(found.problems):,} problems, over the limit of {cap:,} "
                f"([metrics] max_values): {len(found.problems) - cap:,} more not listed",
                blocking=any(p.blocking for p in ordered[cap:]),
            )
        )
    if not notes:
        return found
    return Extraction(
        values=values, histories=histories, problems=(*problems, *notes), read=found.read
    )


_Named = TypeVar("_Named", MetricValue, MetricHistory)


def _first(items: Sequence[_Named], keep: frozenset[str], cap: int) -> tuple[_Named, ...]:
    chosen = [i for i, item in enumerate(items) if item.name in keep][:cap]
    rest = [i for i, item in enumerate(items) if item.name not in keep][: cap - len(chosen)]
    return tuple(items[i] for i in sorted(chosen + rest))


_WILDCARD = lazy(r"[*?\[]")


def _matching(
    given: Path, out: Path, globs: Sequence[str], problem: Callable[[Path, str], None]
) -> Iterator[Path]:
    """
    Paths under the attempt directory matching the globs, each once, in glob order; links,
    FIFOs and the like are yielded too (:func:`read_contained` decides, and says why). A glob
    whose fixed leading folders lead outside the attempt directory (``output`` replaced by a
    link elsewhere) is one problem and is not walked at all.
    """
    seen: set[Path] = set()
    for pattern in globs:
        parts = Path(pattern).parts
        fixed = 0
        while fixed < len(parts) - 1 and not _WILDCARD.search(parts[fixed]):
            fixed += 1
        if fixed:
            top = given.joinpath(*parts[:fixed])
            if os.path.lexists(top):
                try:
                    contained(top, out)
                except OutputRefused as exc:
                    problem(top, f"{exc}; nothing under it is read")
                    continue
        if not _WILDCARD.search(pattern):
            candidates = [given / pattern] if os.path.lexists(given / pattern) else []
        else:
            candidates = sorted(given.glob(pattern))
        for path in candidates:
            if path in seen or (path.is_dir() and not path.is_symlink()):
                continue
            seen.add(path)
            yield path


def _cell(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _label_column(header: Sequence[str], body: Sequence[Sequence[str]]) -> int | None:
    """
    The column naming what each row measures (a system, an org, a condition): a known label
    field (:data:`~bridge.adapters.metrics.json_values.LABEL_KEYS`, or ``seed``) or the first
    column of text, whose cells are distinct and not numbers; ``None`` when there is none.
    """

    def labels(col: int) -> bool:
        cells = [row[col].strip() for row in body]
        return all(cells) and len(set(cells)) == len(cells)

    def text(col: int) -> bool:
        return (
            labels(col)
            and all(_cell(row[col].strip()) is None for row in body)
            and not marks_time(header[col], [row[col] for row in body])
        )

    lowered = [h.lower() for h in header]
    for key in LABEL_KEYS:
        if key in lowered and text(lowered.index(key)):
            return lowered.index(key)
    if "seed" in lowered and labels(lowered.index("seed")):
        return lowered.index("seed")
    return next((col for col in range(len(header)) if text(col)), None)


def _read_csv(
    text: str, file: ReadFile, ids: Mapping[str, str]
) -> tuple[list[MetricValue], list[MetricHistory], list[str]]:
    reader = csv.reader(io.StringIO(text))
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:  # a field over the csv module's limit, and the like
        msg = f"{file.source}:{reader.line_num}: not readable as CSV: {exc}"
        raise ValueError(msg) from exc
    if not rows:
        return [], [], []
    header = [h.strip() for h in rows[0]]
    body = rows[1:]
    if not body:
        # A header alone (a run that stopped before its first row, 002's quality.csv): said,
        # not taken in silence for a file that holds nothing to read.
        shown = ", ".join(h for h in header[:8] if h) + (", …" if len(header) > 8 else "")
        return [], [], [f"{file.source} has a header ({shown}) but no rows: nothing read"]
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            msg = f"{file.source}:{line}: {len(row)} cells but the header has {len(header)}"
            raise ValueError(msg)
    step = step_key(header)
    step_at = header.index(step) if step else None
    values: list[MetricValue] = []
    histories: list[MetricHistory] = []
    notes: list[str] = []
    label_at = _label_column(header, body) if step_at is None and len(body) > 1 else None
    for col, name in enumerate(header):
        cells = [(i, row[col].strip()) for i, row in enumerate(body) if row[col].strip()]
        numbers = [(i, _cell(cell), cell) for i, cell in cells]
        if not numbers or any(n is None for _, n, _ in numbers):
            # A text column (names, paths) holds no metric; one of numbers written as text
            # ("91.2%", "1,234", "95.3 ± 0.2") is said, not skipped in silence.
            text_cell = next((cell for _, n, cell in numbers if n is None), None)
            if text_cell is None or step_at == col:
                continue
            count = sum(1 for _, n, _ in numbers if n is not None)
            if count * 2 >= len(numbers):  # mostly numbers: a label column is not news
                notes.append(
                    f"column {name!r} of {file.source} mixes numbers with text such as "
                    f"{text_cell[:40]!r}; not read (write one kind per column, or read it "
                    "with a [[metrics.regex]] rule)"
                )
            elif (note := number_as_text(name, text_cell)) is not None:
                notes.append(f"{note}; column {name!r} of {file.source}")
            continue
        if col == step_at and len(body) > 1:
            # The x axis of the other columns' histories, no measurement: a JSON list of records
            # and a JSON Lines series leave their step key out alike (039's log.csv listed
            # `step` beside delta_AUROC among the names it recorded, trial t8).
            continue
        if label_at is not None:
            # One row per system, org or condition ("system,recall" / "ours,0.95" / "base,0.80"):
            # each row's numbers are its own, named as a JSON list's items are. Read as a log,
            # the last row's numbers stood for the run (trial O3: the baseline's 0.80 was "ours").
            label = header[label_at]
            if col == label_at:
                continue
            for i, number, raw in numbers:
                assert number is not None
                tag = body[i][label_at].strip()
                shown = f"seed={tag}" if label.lower() == "seed" else tag
                values.append(
                    value(ids, file, f"{name}[{shown}]", number, raw, f"csv:{label}={tag}:{name}")
                )
            continue
        last_index, last_number, last_raw = numbers[-1]
        where = "last_row" if last_index == len(body) - 1 else "last_value"
        assert last_number is not None
        values.append(value(ids, file, name, last_number, last_raw, f"csv:{where}:{name}"))
        if step_at is None or col == step_at:
            continue
        points: list[tuple[float, float, str]] = []
        for i, number, raw in numbers:
            step_value = _cell(body[i][step_at].strip())
            assert number is not None
            points.append((float(i) if step_value is None else step_value, number, raw))
        histories.append(history(ids, file, name, points, f"csv:column:{name}"))
    return values, histories, notes


def _read_regex(rule: RegexRule, text: str, file: ReadFile, ids: Mapping[str, str]) -> Found:
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
    return [value(ids, file, rule.name, number, raw, tag)], [
        history(ids, file, rule.name, points, tag)
    ]
