"""
What English a Chinese output still holds: the check the Chinese-output tests share; and what
Chinese an English output of a Chinese plan still holds (:func:`chinese_left`).

A word counts when it is plain ASCII prose of four letters or more: code spans and the plan's
quoted clauses (``«…»``) are left out first, and a word joined to an id, a path or a metric
name (by ``_``, ``.``, ``/``, ``-``, a digit, quotes) or a setting's ``[table]`` is not a word
here. What the output may hold in
English (the researcher's names, the machine-read words) is passed as ``allowed``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["MACHINE_WORDS", "chinese_left", "english_left"]

# Machine-read words that stay English in every language (docs/results-format.md).
MACHINE_WORDS = frozenset(
    {
        "bridge",
        "inconclusive",
        "positive",
        "negative",
        "BLOCKING",
        "DONE",
        "SKIPPED",
        "BLOCKED",
        "Block",
        "COLLECTED",
        "System",
        "Metric",
        "Mean",
        "Runs",
        "Status",
        "Severity",
        "Check",
        "File",
        "Message",
        "Timestamp",
        "Skill",
        "Version",
        "Stage",
        "Description",
        # names, not words
        "JSON",
        "Python",
        "argparse",
    }
)

_CODE = re.compile(r"`[^`\n]*`")
_QUOTED = re.compile(r"«[^»]*»")
_WORD = re.compile(r"(?<![\w./\-'\[])[A-Za-z]{4,}(?![\w./\-'\]])")


def english_left(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """
    The English words of ``text`` outside code spans and ``«…»`` quotes that are neither in
    ``allowed`` nor machine words, in order of appearance (``[]`` when it is all Chinese).
    """
    keep = MACHINE_WORDS | set(allowed)
    plain = _QUOTED.sub(" ", _CODE.sub(" ", text))
    return [w for w in _WORD.findall(plain) if w not in keep]


_HAN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]+")


def chinese_left(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """
    The runs of Chinese characters (and full-width punctuation) of ``text`` outside code spans
    and ``«…»`` quotes that are part of none of ``allowed`` (the plan's own words an English
    output may quote: its names, its Status cells), in order of appearance (``[]`` when bridge
    said all of it in English).
    """
    theirs = [a for a in allowed if a]
    plain = _QUOTED.sub(" ", _CODE.sub(" ", text))
    return [w for w in _HAN.findall(plain) if not any(w in a for a in theirs)]
