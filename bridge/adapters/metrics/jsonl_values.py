"""
Numbers in a JSON Lines file (``train_log.jsonl``: one JSON object per line), the way training
loops log as they go.

Rules:

- the lines whose objects carry a rising step field (``step``, ``epoch``…, see
  :data:`~bridge.adapters.metrics.records.STEP_COLUMNS`) are one series: a history per numeric
  field, its last point a value (as a JSON list of such objects is read);
- a file whose lines carry no step field at all is a series by line (``step`` 1, 2, …): each
  line is a record logged after the one before;
- any other line (a summary written at the end, ``{"final_acc": 0.91}``) is read as a JSON
  object is, its numbers named by their dotted path;
- a last line cut off (no closing newline, not valid JSON: the run stopped while writing it) is
  noted and left out; any other line that is not valid JSON makes the file unreadable, with its
  line number.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from typing import Any  # Any: JSON documents of any shape

from bridge.adapters.metrics.json_values import too_deep, walk_json
from bridge.adapters.metrics.records import ReadFile, number, step_key
from bridge.machine.measurements import MetricHistory, MetricValue

__all__ = ["read_jsonl"]


def read_jsonl(
    text: str, file: ReadFile, ids: Mapping[str, str], max_depth: int
) -> tuple[list[MetricValue], list[MetricHistory], list[str]]:
    """
    Read a JSON Lines file under the module's rules.

    Returns:
        Values, histories, and notes on what was not read.

    Raises:
        ValueError: a line other than a cut-off last one is not valid JSON, or one nests
            deeper than ``max_depth`` (``file:line`` in the message).
    """
    lines = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    records: list[tuple[int, dict[str, Any]]] = []
    notes: list[str] = []
    for index, (n, line) in enumerate(lines):
        if too_deep(line, max_depth):
            msg = (
                f"{file.source}:{n}: JSON nested deeper than {max_depth} levels "
                "([metrics] max_depth)"
            )
            raise ValueError(msg)
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            if index == len(lines) - 1 and not text.endswith("\n"):
                notes.append(
                    f"{file.source}:{n}: the last line is cut off (the run may have stopped "
                    "while writing it); not read"
                )
                continue
            msg = f"{file.source}:{n}: not valid JSON: {exc.msg}"
            raise ValueError(msg) from exc
        if isinstance(record, dict):
            records.append((n, record))
        else:
            notes.append(f"{file.source}:{n}: not a JSON object; not read")
    keys = list(dict.fromkeys(k for _, record in records for k in record))
    step = step_key(keys)
    rest: list[dict[str, Any]]
    if step is None and len(records) > 1:
        # No step anywhere: each line is logged after the one before.
        series = [{"step": at, **record} for at, (_, record) in enumerate(records, start=1)]
        rest = []
    elif step is None:
        series, rest = [], [record for _, record in records]
    else:
        series = [record for _, record in records if number(record.get(step)) is not None]
        rest = [record for _, record in records if number(record.get(step)) is None]
        steps = [number(record[step]) for record in series]
        if any(b <= a for a, b in itertools.pairwise(s for s in steps if s is not None)):
            # The same step on every line, or steps going back: no series to read.
            series, rest = [], [record for _, record in records]
    values: list[MetricValue] = []
    histories: list[MetricHistory] = []
    if len(series) > 1:
        found = walk_json(series, "", file, ids)
    elif series:
        found = walk_json(series[0], "", file, ids)
    else:
        found = ([], [], [])
    values += found[0]
    histories += found[1]
    notes += found[2]
    for record in rest:
        found = walk_json(record, "", file, ids)
        values += found[0]
        histories += found[1]
        notes += found[2]
    return values, histories, notes
