"""
The pipeline state machine as a Mermaid diagram, drawn from the transition table.
"""

from __future__ import annotations

from bridge.machine.stages import Stage
from bridge.machine.table import STAGE_TABLE

__all__ = ["mermaid"]


def mermaid(current: Stage | None = None) -> str:
    """
    Return a fenced Mermaid ``stateDiagram-v2`` of the stages, ``current`` highlighted.
    """
    lines = ["```mermaid", "stateDiagram-v2", "    [*] --> PLANNED"]
    for trigger, sources, dest in STAGE_TABLE:
        for source in sources:
            lines.append(f"    {source.value} --> {dest.value}: {trigger}")
    lines.append("    COLLECTED --> [*]")
    if current is not None:
        lines.append("    classDef current fill:#ffd54f,stroke:#e65100,stroke-width:3px")
        lines.append(f"    class {current.value} current")
    lines.append("```")
    return "\n".join(lines)
