"""
Where bridge's part of a tracker row's Notes begins: the ``bridge:`` label after the
researcher's note, which the tracker writer puts there and the readers split on.
"""

from __future__ import annotations

from bridge.lazy_patterns import lazy

__all__ = ["BRIDGE_LABEL", "note_joiner"]

#: bridge's label: at the start of the cell, after a ``;`` (``；``), or after a note that ends
#: a sentence (``Same.`` then ``bridge:``; ``同上。`` then ``bridge：``).
BRIDGE_LABEL = lazy(r"(?:^|[;；]\s*|(?<=[.!?。！？])\s*)bridge[:：]\s?")

_SENTENCE_END = (".", "!", "?", "。", "！", "？")


def note_joiner(note: str, zh: bool) -> str:
    """
    What goes between the researcher's ``note`` and bridge's label: nothing after a Chinese
    sentence end, a space after an English one, else ``；`` (Chinese) or ``; ``.
    """
    if note.endswith(_SENTENCE_END):
        return "" if note.endswith(("。", "！", "？")) else " "
    return "；" if zh else "; "
