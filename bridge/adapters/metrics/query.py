"""
``[[metrics.extract]]``: a metric picked from a JSON file by a JMESPath query.

JMESPath (https://jmespath.org) is a specified query language with a compliance suite and
implementations in many languages, so a query a researcher writes here means the same in
``jp`` on the command line, in the AWS CLI, or in another tool; the ``jmespath`` package is
small, pure Python and has no dependencies. ``results[?mode=='compact'].mrr | [0]`` picks the
``mrr`` of the item whose ``mode`` is ``compact``.

The query's answer is read by the same rules as a whole file
(:mod:`bridge.adapters.metrics.json_values`), named after the rule: a number (or boolean) is the
value ``NAME``; a list of numbers a history ``NAME`` and its last element; an object gives
``NAME.FIELD`` values. An answer of ``null`` (nothing matched) or of text is a problem on the
run that quotes the query, never a silent absence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any  # Any: what a query finds in a JSON document

import attrs
import jmespath
import jmespath.exceptions
import jmespath.parser

from bridge.adapters.metrics.json_values import parse_json, walk_json
from bridge.adapters.metrics.records import ReadFile, number
from bridge.errors import ConfigError
from bridge.machine.measurements import MetricHistory, MetricValue

__all__ = ["QueryRule", "compile_query", "read_query"]


def compile_query(query: str, setting: str) -> jmespath.parser.ParsedResult:
    """
    Compile a JMESPath query.

    Raises:
        ConfigError: the query does not compile (naming ``setting``).
    """
    try:
        return jmespath.compile(query)
    except jmespath.exceptions.JMESPathError as exc:
        msg = f"{setting} is not a valid JMESPath query: {exc}".replace("\n", " ")
        raise ConfigError(msg, setting=setting) from None


@attrs.frozen(kw_only=True)
class QueryRule:
    """
    One query metric.

    Attributes:
        name: the metric name the answer is recorded under.
        query: the JMESPath expression.
        files: glob, relative to the attempt directory, of the JSON files to query.
        scoped: the rule names the runs it is for (``blocks``/``runs``) and this run is one
            of them, so a missing file is not put down to the rule being meant for others.

    Raises:
        ConfigError: the query does not compile (setting ``metrics.extract``).
    """

    name: str
    query: str
    files: str
    scoped: bool = False
    compiled: jmespath.parser.ParsedResult = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        """
        Compile the query once, so a bad query fails when the configuration is read.
        """
        object.__setattr__(self, "compiled", compile_query(self.query, "metrics.extract"))


def read_query(
    rule: QueryRule, text: str, file: ReadFile, ids: Mapping[str, str], max_depth: int
) -> tuple[list[MetricValue], list[MetricHistory], list[str]]:
    """
    Answer ``rule`` over one JSON file.

    Returns:
        Values, histories and notes (an empty answer or text is a note).

    Raises:
        ValueError: the file is not valid JSON or nested too deep.
    """
    document = parse_json(text, file, max_depth)
    answer: Any = rule.compiled.search(document)
    where = f"[[metrics.extract]] {rule.name!r} (query {rule.query!r})"
    if answer is None or answer == [] or answer == {}:
        return [], [], [f"{where} found nothing"]
    if isinstance(answer, str) and number(answer) is None:
        return [], [], [f"{where} gave the text {answer[:80]!r}, not a number"]
    values, histories, notes = walk_json(
        answer, rule.name, file, ids, query=f"jmespath:{rule.query}"
    )
    if not values and not histories and not notes:
        notes.append(f"{where} gave no number")
    return values, histories, notes
