"""
Numbers in a JSON document, named the way a plan refers to them.

Rules (each value's ``rule`` is a JMESPath expression after ``json:`` that finds it again):

- a number at any depth is a value, named by its dotted path (``{"eval": {"acc": 0.9}}`` →
  ``eval.acc``); ``true``/``false`` are 1/0; ``NaN``/``Infinity`` tokens and the strings
  ``"nan"``/``"inf"`` are kept as non-finite values;
- a list of numbers is a **series**: a history, and its last element a value;
- a list of objects whose step key (``step``, ``epoch``, ``iter``…, see
  :data:`~bridge.adapters.metrics.records.STEP_COLUMNS`) rises from item to item is a
  **series**: one history per numeric field, and the last point a value;
- any other list of objects that share a **label** is a set of named conditions: the label is
  the first of :data:`LABEL_KEYS` whose values are distinct strings, else ``seed`` with distinct
  values, else (for at most :data:`MAX_CONDITIONS` items) any field with distinct strings.
  Each item's numbers are named ``FIELD[LABEL]`` (``[{"mode": "compact", "mrr": 0.41}]`` →
  ``mrr[compact]``; ``seed`` labels read ``[seed=0]``), nested objects flattened inside; a
  list holding one seed's record alone is the run's own seed and its numbers are named without
  the label (``{"results": [{"seed": 0, "acc": 0.9}]}`` → ``results.acc``);
- a short list of objects with no label (at most :data:`MAX_CONDITIONS`) is read item by item,
  ``FIELD[0]``, ``FIELD[1]``…; a longer one holding numbers is not read, and a note says so
  (write a ``[[metrics.extract]]`` query to pick what you need).

Nothing here follows a document deeper than the depth limit: :func:`too_deep` is checked
before parsing, so neither the parser nor the walk can exhaust the stack.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any  # Any: JSON documents of any shape

from bridge.adapters.metrics.records import (
    ReadFile,
    history,
    number,
    number_as_text,
    raw_text,
    step_key,
    value,
)
from bridge.lazy_patterns import lazy
from bridge.machine.measurements import MetricHistory, MetricValue
from bridge.plan.metric_names import is_setting_name

__all__ = [
    "LABEL_KEYS",
    "MAX_CONDITIONS",
    "json_path",
    "label_field",
    "parse_json",
    "read_json",
    "too_deep",
    "walk_json",
]

LABEL_KEYS: tuple[str, ...] = (
    "mode",
    "name",
    "system",
    "method",
    "variant",
    "split",
    "condition",
    "setting",
    "config",
    "model",
    "dataset",
    "task",
)
"""Fields, in order of preference, that name the condition a list item describes."""

MAX_CONDITIONS = 64
"""The most items a list without a known label key may have and still be read item by item."""

_STRINGS = lazy(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKETS = lazy(r"[\[\]{}]")
_IDENTIFIER = lazy(r"[A-Za-z_][A-Za-z0-9_]*")


def too_deep(text: str, limit: int) -> bool:
    """
    ``True`` when the JSON text nests arrays and objects deeper than ``limit`` (brackets inside
    strings do not count). Linear in the text; never recursive.
    """
    depth = 0
    for match in _BRACKETS.finditer(_STRINGS.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def read_json(
    text: str, file: ReadFile, ids: Mapping[str, str], max_depth: int
) -> tuple[list[MetricValue], list[MetricHistory], list[str]]:
    """
    Read every number of a JSON file under the module's rules.

    Returns:
        Values, histories, and notes on the parts of the document that were not read (each
        becomes a problem on the run: nothing is dropped without a word).

    Raises:
        ValueError: not valid JSON (``file:line`` in the message), or nested deeper than
            ``max_depth``.
    """
    document = parse_json(text, file, max_depth)
    return walk_json(document, "", file, ids)


def parse_json(text: str, file: ReadFile, max_depth: int) -> Any:
    """
    Parse a JSON file's text after checking its depth.

    Raises:
        ValueError: not valid JSON (``file:line`` in the message), or nested deeper than
            ``max_depth``.
    """
    if too_deep(text, max_depth):
        msg = f"JSON nested deeper than {max_depth} levels ([metrics] max_depth); not read"
        raise ValueError(msg)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"{file.source}:{exc.lineno}: not valid JSON: {exc.msg}"
        raise ValueError(msg) from exc


def json_path(parts: Sequence[str]) -> str:
    """
    The JMESPath expression for a chain of object keys (quoted where not an identifier).
    """
    return ".".join(_key(p) for p in parts)


@functools.lru_cache(maxsize=4096)
def _key(part: str) -> str:
    return part if _IDENTIFIER.fullmatch(part) else json.dumps(part, ensure_ascii=False)


def walk_json(
    document: Any, name: str, file: ReadFile, ids: Mapping[str, str], *, query: str = ""
) -> tuple[list[MetricValue], list[MetricHistory], list[str]]:
    """
    Walk a parsed document (or the result of a query) under the module's rules.

    Args:
        document: the parsed JSON.
        name: the name prefix (``""`` for a whole file, the rule's name for a query result).
        file: the file it came from.
        ids: ``run_id`` and ``attempt_id``.
        query: the rule prefix that finds ``document`` again (``json:`` or ``jmespath:Q``
            followed by the path); ``""`` for a whole file.

    Returns:
        Values, histories and notes on what was not read.
    """
    walker = _Walker(file, ids, base_rule=query or "json:")
    walker.walk(document, name, "", "")
    return walker.values, walker.histories, walker.notes


class _Walker:
    def __init__(self, file: ReadFile, ids: Mapping[str, str], base_rule: str) -> None:
        self.file = file
        self.ids = ids
        self.base_rule = base_rule
        self.values: list[MetricValue] = []
        self.histories: list[MetricHistory] = []
        self.notes: list[str] = []
        # Numbers written as text are said for a whole file only: a query's answer is what the
        # researcher picked, and a config string beside the number they want is no news.
        self.text_notes = base_rule == "json:"

    def _text(self, name: str, text: str, q: str) -> None:
        """Note a metric written as text (a whole file's, outside its configuration)."""
        if not self.text_notes or not name or is_setting_name(name):
            return
        note = number_as_text(name, text, where=q)
        if note is not None:
            self.notes.append(note)

    def _rule(self, q: str) -> str:
        if self.base_rule == "json:":
            return f"json:{q}"
        return f"{self.base_rule} | {q}" if q else self.base_rule

    def walk(self, node: Any, name: str, suffix: str, q: str) -> None:
        amount = number(node)
        if amount is not None:
            if name:
                full = name + suffix
                self.values.append(
                    value(self.ids, self.file, full, amount, raw_text(node), self._rule(q))
                )
        elif isinstance(node, str):
            self._text(name + suffix, node, q)
        elif isinstance(node, dict):
            for key, child in node.items():
                key = str(key)
                child_q = f"{q}.{_key(key)}" if q else _key(key)
                self.walk(child, f"{name}.{key}" if name else key, suffix, child_q)
        elif isinstance(node, list) and node:
            self._list(node, name, suffix, q)

    def _list(self, items: list[Any], name: str, suffix: str, q: str) -> None:
        numbers = [number(item) for item in items]
        if all(n is not None for n in numbers):
            if not name:
                self.notes.append("a bare list of numbers has no name; not read")
                return
            points = [
                (float(i), n, raw_text(item))
                for i, (n, item) in enumerate(zip(numbers, items, strict=True))
                if n is not None
            ]
            full = name + suffix
            self.histories.append(history(self.ids, self.file, full, points, self._rule(q)))
            _, last, raw = points[-1]
            self.values.append(value(self.ids, self.file, full, last, raw, self._rule(f"{q}[-1]")))
            return
        if not all(isinstance(item, dict) for item in items):
            if any(n is not None for n in numbers):
                where = name or "the top-level list"
                self.notes.append(f"{where} mixes numbers with other items; not read")
            elif name and isinstance(items[0], str):
                self._text(f"{name}{suffix}[0]", items[0], "")
            return
        if self._series(items, name, suffix, q):
            return
        label = label_field(items)
        if label is None and len(items) <= MAX_CONDITIONS:
            for index, item in enumerate(items):
                self.walk(item, name, f"[{index}]{suffix}", f"{q}[{index}]")
            return
        if label is None:
            if any(_holds_number(item) for item in items):
                where = name or "the top-level list"
                self.notes.append(
                    f"{where} is a list of {len(items)} objects with no "
                    "step or label field; not read (pick values with a [[metrics.extract]] "
                    "query)"
                )
            return
        for item in items:
            tag = item[label]
            shown = f"seed={tag}" if label.lower() == "seed" else str(tag)
            literal = (
                "'" + tag.replace("\\", "\\\\").replace("'", "\\'") + "'"
                if isinstance(tag, str)
                else f"`{json.dumps(tag, ensure_ascii=False)}`"
            )
            item_q = f"{q}[?{json_path([label])}=={literal}] | [0]"
            rest = {k: v for k, v in item.items() if k != label}
            if len(items) == 1 and label.lower() == "seed":
                # One seed's record is the run's own (a run per seed): its numbers keep their
                # names, so the seeds of a block are one metric, not one metric per seed.
                self.walk(rest, name, suffix, item_q)
                continue
            self.walk(rest, name, f"[{shown}]{suffix}", item_q)

    def _series(self, records: list[dict[str, Any]], name: str, suffix: str, q: str) -> bool:
        """
        Read a list of objects with a rising step field as one history per numeric field.
        """
        keys = list(dict.fromkeys(k for record in records for k in record))
        step = step_key(keys)
        if step is None:
            return False
        steps = [n for n in (number(record.get(step)) for record in records) if n is not None]
        if len(steps) != len(records) or len(steps) < 2:
            return False
        if any(b <= a for a, b in itertools.pairwise(steps)):
            return False  # the same "step" on every item is a setting, not an index
        columns = list(dict.fromkeys(path for record in records for path in _numeric_paths(record)))
        texts: dict[tuple[str, ...], str] = {}
        for record in records:
            for path, text in _text_leaves(record):
                texts.setdefault(path, text)
        for path, text in texts.items():
            if path in columns:
                continue  # mixed: said below
            column = ".".join(path)
            self._text((f"{name}.{column}" if name else column) + suffix, text, "")
        for path in columns:
            if path == (step,):
                continue
            column = ".".join(path)
            full = (f"{name}.{column}" if name else column) + suffix
            cells = [_at(record, path) for record in records]
            if any(c is not None and number(c) is None for c in cells):
                # JMESPath's projection would see the other values too: not one series.
                self.notes.append(f"{full} mixes numbers with other values across the series")
                continue
            points = [
                (at, amount, raw_text(cell))
                for at, cell in zip(steps, cells, strict=True)
                if cell is not None and (amount := number(cell)) is not None
            ]
            rule = self._rule(f"{q}[*].{json_path(path)}")
            self.histories.append(history(self.ids, self.file, full, points, rule))
            _, last, raw = points[-1]
            # "| [-1]": after a projection, a bare [-1] would apply to each item, not the list.
            self.values.append(value(self.ids, self.file, full, last, raw, f"{rule} | [-1]"))
        return True


def _text_leaves(
    record: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], str]]:
    """
    The key paths and text of an object's string leaves (nested objects followed).
    """
    out: list[tuple[tuple[str, ...], str]] = []
    for key, child in record.items():
        path = (*prefix, str(key))
        if isinstance(child, dict):
            out.extend(_text_leaves(child, path))
        elif isinstance(child, str):
            out.append((path, child))
    return out


def _numeric_paths(
    record: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    """
    The key paths of an object's numeric leaves (nested objects followed; lists and text not).
    """
    out: list[tuple[str, ...]] = []
    for key, child in record.items():
        path = (*prefix, str(key))
        if isinstance(child, dict):
            out.extend(_numeric_paths(child, path))
        elif number(child) is not None:
            out.append(path)
    return out


def _at(record: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """
    The value at a key path, ``None`` where the path is absent (as JMESPath gives it).
    """
    node: Any = record
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def label_field(items: list[dict[str, Any]]) -> str | None:
    """
    The field that names each item's condition (see the module docstring), or ``None``: the one
    rule for JSON lists and for the lines of a JSON Lines file.
    """
    shared = [k for k in items[0] if all(k in item for item in items[1:])]

    def distinct_strings(key: str) -> bool:
        tags = [item[key] for item in items]
        return all(isinstance(t, str) and t for t in tags) and len(set(tags)) == len(tags)

    lowered = {k.lower(): k for k in shared}
    for key in LABEL_KEYS:
        if key in lowered and distinct_strings(lowered[key]):
            return lowered[key]
    if "seed" in lowered:
        tags = [item[lowered["seed"]] for item in items]
        if all(isinstance(t, int | str) and not isinstance(t, bool) for t in tags) and len(
            set(tags)
        ) == len(tags):
            return lowered["seed"]
    if len(items) <= MAX_CONDITIONS:
        return next((k for k in shared if distinct_strings(k)), None)
    return None


def _holds_number(node: Any) -> bool:
    if number(node) is not None:
        return True
    if isinstance(node, dict):
        return any(_holds_number(child) for child in node.values())
    if isinstance(node, list):
        return any(_holds_number(child) for child in node)
    return False
