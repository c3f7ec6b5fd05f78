"""
Bridge's own section at the end of the researcher's ``EXPERIMENT_PLAN.md``: the approved ablation
runs, between two HTML-comment markers.

Everything outside the markers is the researcher's, byte for byte. Reading the plan and
computing its digest both see only the researcher's part (:func:`researchers_part`), so writing
the section is never taken for an edit of the plan (which would reload it).
"""

from __future__ import annotations

__all__ = ["BEGIN", "END", "researchers_part", "with_section"]

BEGIN = "<!-- bridge:ablations begin: written by bridge from its log; edits here are replaced -->"
END = "<!-- bridge:ablations end -->"
_BEGIN = b"\n" + BEGIN.encode()
_END = END.encode()


def researchers_part(data: bytes) -> bytes:
    """
    ``data`` without bridge's section: the newline bridge put before it, the markers and all
    between them (and the line break after the end marker). Anything the researcher wrote after
    the section stays. ``data`` itself when there is no section.
    """
    start = data.find(_BEGIN)
    if start < 0:
        return data
    end = data.find(_END, start)
    if end < 0:
        return data[:start]  # the end marker was deleted: the section runs to the end
    end += len(_END)
    if data[end : end + 2] == b"\r\n":
        end += 2
    elif data[end : end + 1] == b"\n":
        end += 1
    return data[:start] + data[end:]


def with_section(data: bytes, body: str) -> bytes:
    """
    The researcher's part of ``data`` with bridge's section (``body`` between the markers)
    appended after one newline; an empty ``body`` removes the section.
    """
    mine = researchers_part(data)
    if not body:
        return mine
    section = f"{BEGIN}\n{body.rstrip()}\n{END}\n"
    return mine + b"\n" + section.encode()
