"""
String tables carried in ``PlanLoaded.options`` as text: what the judge, which reads only the
log, needs of the plan and ``bridge.toml`` beyond the options (``[metrics] units``, the blocks
that ask for the same seeds).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

__all__ = ["table_of", "table_text"]


def table_text(table: Mapping[str, str]) -> str:
    """``table`` as ``PlanLoaded.options`` keeps it: JSON, keys sorted, text as written."""
    return json.dumps(dict(table), sort_keys=True, ensure_ascii=False)


def table_of(text: str) -> dict[str, str]:
    """
    :func:`table_text`'s table read back; ``{}`` for ``""`` (a log written before the key
    existed) or anything that is not such a table, and only its string values.
    """
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    return {str(k): v for k, v in found.items() if isinstance(v, str)}
