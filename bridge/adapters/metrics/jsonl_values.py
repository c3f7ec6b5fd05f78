"""
Numbers in a JSON Lines file (``train_log.jsonl``: one JSON object per line), the way training
loops log as they go.

Rules:

- the lines whose objects carry a rising step field (``step``, ``epoch``…, see
  :data:`~bridge.adapters.metrics.records.STEP_COLUMNS`) are one series: a history per numeric
  field, its last point a value (as a JSON list of such objects is read);
- lines with no rising step whose text field names each line once (``{"object": "Scissors",
  "net": -2}``, ``{"object": "CrackerBox", "net": 4}``) are named conditions, read as a JSON
  list of such objects is and as a CSV's label column is: ``net[Scissors]``, ``net[CrackerBox]``
  (the label by :func:`~bridge.adapters.metrics.json_values.label_field`; a time or date names
  no line);
- any other file whose lines carry no step field at all is a series by line (``step`` 1, 2, …):
  each line is a record logged after the one before, the last one's numbers the values; where a
  text field tells lines apart without naming each once (033's per-trial log: the object
  repeats), a note says the last line stands for the run, whichever it was;
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

from bridge.adapters.metrics.json_values import label_field, too_deep, walk_json
from bridge.adapters.metrics.records import ReadFile, marks_time, number, step_key
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
    objects = [record for _, record in records]
    rest: list[dict[str, Any]]
    labelled: list[dict[str, Any]] = []
    if step is None and len(records) > 1:
        if _line_label(objects) is not None:
            # One line per object, system or condition: each line's numbers are its own. Read
            # as a log, the last line's stood for the run in silence (trial t10 on 033).
            labelled, series, rest = objects, [], []
        else:
            # No step anywhere: each line is logged after the one before.
            series = [{"step": at, **record} for at, (_, record) in enumerate(records, start=1)]
            rest = []
            notes += _collapsed(objects, file)
    elif step is None:
        series, rest = [], objects
    else:
        series = [record for _, record in records if number(record.get(step)) is not None]
        rest = [record for _, record in records if number(record.get(step)) is None]
        steps = [number(record[step]) for record in series]
        if any(b <= a for a, b in itertools.pairwise(s for s in steps if s is not None)):
            # The same step on every line, or steps going back: no series to read.
            series, rest = [], objects
            if len(objects) > 1 and _line_label(objects) is not None:
                labelled, rest = objects, []
    values: list[MetricValue] = []
    histories: list[MetricHistory] = []
    if labelled:
        # The lines as the JSON list they are: the list's own label rule names them.
        found = walk_json(labelled, "", file, ids)
    elif len(series) > 1:
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


def _line_label(objects: list[dict[str, Any]]) -> str | None:
    """
    The field that names each line's condition, as a JSON list's items are named
    (:func:`~bridge.adapters.metrics.json_values.label_field`), or ``None``; a time or date on
    each line is when it was logged, no label (as a CSV log's time column is none).
    """
    label = label_field(objects)
    if label is None or marks_time(label, [str(o[label]) for o in objects]):
        return None
    return label


def _collapsed(objects: list[dict[str, Any]], file: ReadFile) -> list[str]:
    """
    The note for lines read as one series by line although a text field tells them apart
    (033's per-trial log, ``"object"`` repeating): the numbers the lines of different values
    share are the last line's, whichever object that was, so the note names them. Empty when no
    such field (a time stamp is none) or no number is shared across its values.
    """
    for key in dict.fromkeys(k for o in objects for k in o):
        tags = [o[key] for o in objects if isinstance(o.get(key), str)]
        distinct = list(dict.fromkeys(tags))
        if len(distinct) < 2 or marks_time(key, tags):
            continue
        seen: dict[str, set[str]] = {}
        for o in objects:
            tag = o.get(key)
            if not isinstance(tag, str):
                continue
            for field, cell in o.items():
                if field != key and number(cell) is not None:
                    seen.setdefault(field, set()).add(tag)
        shared = [field for field, under in seen.items() if len(under) > 1]
        if not shared:
            continue
        shown = ", ".join(distinct[:3]) + (", …" if len(distinct) > 3 else "")
        fields = ", ".join(shared[:5]) + (", …" if len(shared) > 5 else "")
        return [
            f"{file.source}: the lines differ in {key!r} ({shown}) but no field names each line "
            f"once: read as one series by line, the last line's numbers ({fields}) stand for "
            "the run; pick the lines you mean with a [[metrics.extract]] query"
        ]
    return []
