"""
The pipeline state machine as a Mermaid diagram, drawn by ``transitions``' own diagram support.

A ``GraphMachine`` over the stage table's one definition (the one the fold's lookup and the
run-time stage changes use, :func:`bridge.machine.table.machine_definition`) renders it with the
``mermaid`` engine, which needs no graphviz; the current stage gets ``transitions``' ``active``
style. ``transitions.extensions.diagrams`` (about 30 ms of imports) loads when a diagram is
first drawn, and each stage's diagram is drawn once per process.
"""

from __future__ import annotations

import functools

from bridge.machine.stages import Stage
from bridge.machine.table import STAGE_TABLE, machine_definition

__all__ = ["TITLE", "mermaid"]

TITLE = "bridge pipeline"


class _Drawn:
    """
    The model the diagram's machine holds (``transitions`` binds ``get_graph`` to it).
    """


@functools.cache
def mermaid(current: Stage | None = None) -> str:
    """
    Return a fenced Mermaid ``stateDiagram-v2`` of the stages, ``current`` highlighted.

    Every row of the stage table is an edge labelled with its trigger (edges between the same
    two stages share one label, ``a | b``); ``[*]`` points at PLANNED, where a plan starts.
    """
    from transitions.extensions.diagrams import GraphMachine

    model = _Drawn()
    machine = GraphMachine(
        model=model,
        **machine_definition(Stage, STAGE_TABLE),
        graph_engine="mermaid",
        # transitions writes the title as the whole line between the front matter's `---`
        # fences, and Mermaid reads that block as YAML: so the title is given as YAML.
        title=f"title: {TITLE}",
    )
    # The machine marks its own state (the initial PLANNED) active: mark the current one.
    graph = machine.model_graphs[id(model)]
    graph.reset_styling()
    if current is not None:
        graph.set_node_style(current, "active")
    source = graph.get_graph(title=machine.title).draw(None)
    assert source is not None  # the mermaid engine returns its text when given no file
    return "\n".join(["```mermaid", *(line.rstrip() for line in source.splitlines()), "```"])
