"""
Tests for the Mermaid diagram of the stage machine, drawn by ``transitions`` (``mermaid``).
"""

from __future__ import annotations

import re

import pytest

from bridge.events import types as ev
from bridge.events.store import InMemoryEventStore
from bridge.machine.fold import fold
from bridge.machine.stages import Stage
from bridge.machine.table import STAGE_TABLE
from bridge.projections.diagram import TITLE, mermaid
from bridge.projections.tracker import render

# Every statement the diagram may hold, in stateDiagram-v2 syntax (Mermaid's lexer reads
# keywords case-insensitively, so transitions' `Class` is `class`).
STATEMENT = re.compile(
    r"direction LR"
    r"|classDef s_\w+ [\w:#,]+"
    r'|state "(?P<label>\w+)" as (?P<node>\w+)'
    r"|Class (?P<styled>\w+) s_(?P<style>\w+)"
    r"|(?P<src>\w+|\[\*\]) --> (?P<dest>\w+)(?:: (?P<labels>\w+(?: \| \w+)*))?"
)


def body(text: str) -> list[str]:
    """
    The diagram's statements: inside the fence, after the front matter and the header.
    """
    lines = text.split("\n")
    assert lines[:5] == ["```mermaid", "---", f"title: {TITLE}", "---", "stateDiagram-v2"]
    assert lines[-1] == "```"
    return [line.strip() for line in lines[5:-1] if line.strip()]


def parsed(text: str) -> list[re.Match[str]]:
    statements = body(text)
    matches = [STATEMENT.fullmatch(line) for line in statements]
    assert all(matches), [s for s, m in zip(statements, matches, strict=True) if m is None]
    return [m for m in matches if m is not None]


class TestMermaid:
    @pytest.mark.parametrize("current", [None, *Stage])
    def test_every_statement_is_state_diagram_syntax(self, current: Stage | None) -> None:
        """Inside YAML front matter and the header, every line is a stateDiagram-v2 statement
        of a known shape, with no trailing spaces."""
        text = mermaid(current)
        assert all(line == line.rstrip() for line in text.split("\n"))
        parsed(text)

    def test_every_edge_of_the_table_is_drawn_with_its_trigger(self) -> None:
        """Each (source, trigger, destination) of the stage table is an edge carrying the
        trigger among its labels, and no edge is drawn that the table lacks."""
        drawn = {
            (m["src"], m["dest"], label)
            for m in parsed(mermaid())
            if m["labels"]
            for label in m["labels"].split(" | ")
        }
        table = {
            (src.value, dest.value, trigger.value)
            for trigger, sources, dest in STAGE_TABLE
            for src in sources
        }
        assert drawn == table

    def test_every_stage_is_a_node_and_the_start_points_at_planned(self) -> None:
        """Each stage is declared once, and [*] points at PLANNED."""
        matches = parsed(mermaid())
        assert sorted(m["node"] for m in matches if m["node"]) == sorted(s.value for s in Stage)
        assert [m["dest"] for m in matches if m["src"] == "[*]"] == ["PLANNED"]

    @pytest.mark.parametrize("current", list(Stage))
    def test_the_current_stage_alone_is_active(self, current: Stage) -> None:
        """Only the current stage gets the active style; the others the default one."""
        styles = {m["styled"]: m["style"] for m in parsed(mermaid(current)) if m["styled"]}
        assert [node for node, style in styles.items() if style == "active"] == [current.value]
        assert set(styles.values()) == {"active", "default"}

    def test_without_a_stage_nothing_is_active(self) -> None:
        """Outside a project no stage is marked: the machine's initial state is not taken for
        the current one."""
        styles = {m["style"] for m in parsed(mermaid()) if m["styled"]}
        assert styles == {"default"}

    def test_the_tracker_embeds_the_diagram_of_its_stage(self) -> None:
        """The tracker shows the diagram with the folded stage marked."""
        store = InMemoryEventStore()
        store.append("bridge", [ev.StageEntered(stage="IMPLEMENTED", trigger="implement")], None)
        state = fold(store.read())
        assert mermaid(Stage.IMPLEMENTED) in render(state)
