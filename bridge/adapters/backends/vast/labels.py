"""
The labels bridge gives its Vast.ai instances, ``bridge:<project>:<host>:<attempt id>``: how a
later process finds an instance again and how ``bridge gc`` tells this project's apart.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from bridge.machine.ports import JobHandle
from bridge.plan.safe_ids import replace_unsafe

__all__ = ["active_instance_ids", "host_of", "project_label"]


def project_label(project_root: Path) -> str:
    """
    Return the label prefix of this project's instances: ``bridge:<dir name>-<path hash>:``.

    The hash of the resolved path keeps two projects with the same folder name apart.
    """
    root = Path(project_root).resolve()
    name = replace_unsafe(root.name)[:24] or "project"
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:8]
    return f"bridge:{name}-{digest}:"


def active_instance_ids(handles: Iterable[JobHandle]) -> frozenset[int]:
    """
    Return the instance ids named by Vast handles (the log's live attempts).
    """
    ids = set()
    for handle in handles:
        value = handle.locator.get("instance_id", "")
        if handle.backend == "vast" and value.isdigit():
            ids.add(int(value))
    return frozenset(ids)


def host_of(label: str, prefix: str) -> str:
    """
    Return the host (``vast-0``) a label of this project names, or ``""`` for another's label.
    """
    return label[len(prefix) :].split(":", 1)[0] if label.startswith(prefix) else ""
