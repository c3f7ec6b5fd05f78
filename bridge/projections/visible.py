"""
Untrusted text shown harmlessly: what a run printed, a remote host's error, a metric name from a
run's files, an agent's reply, on the researcher's terminal and in the files bridge writes.

Raw, a control character or escape sequence in such text can clear the screen (``\\x1b[2J``),
set the terminal's title (``\\x1b]0;…\\x07``), hide a link (OSC 8), overwrite a failure line
with ``\\r`` or backspaces, or reorder what is read (bidi overrides, U+202E). :func:`visible`
shows each such character as the escape JSON writes for it (``\\u001b[2J``, ``\\r``), the same
form ``bridge log`` has always shown them in, so a person sees that they were there.

Only display goes through it: the event log keeps the text as recorded (it is the audit trail).
"""

from __future__ import annotations

import functools
import re

__all__ = ["KEEP_LINES", "visible"]

# Newline and tab, kept where the output is several lines by design (a file, an error message).
KEEP_LINES = "\n\t"

# C0 controls, DEL and C1 controls; the bidirectional controls (Trojan Source, CVE-2021-42574)
# and the line and paragraph separators, which reorder or break text where no control shows;
# lone surrogates (a byte that was not UTF-8), which no output stream can encode.
_UNSAFE = (
    (0x00, 0x1F),
    (0x7F, 0x9F),
    (0x061C, 0x061C),
    (0x200E, 0x200F),
    (0x202A, 0x202E),
    (0x2066, 0x2069),
    (0x2028, 0x2029),
    (0xD800, 0xDFFF),
)

# JSON's short escapes; every other character is written \uXXXX, as json.dumps writes it.
_SHORT = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


@functools.cache
def _pattern(keep: str) -> re.Pattern[str]:
    assert set(keep) <= set(KEEP_LINES), f"only newline and tab can be kept, not {keep!r}"
    kept = sorted(map(ord, keep))
    ranges: list[tuple[int, int]] = []
    for low, high in _UNSAFE:
        for code in kept:  # newline and tab split the C0 range around themselves
            if low <= code <= high:
                ranges.append((low, code - 1))
                low = code + 1
        ranges.append((low, high))
    # Written as regex escapes: the pattern itself holds no raw control character. One class,
    # no lookahead: a file of a megabyte without a control is scanned in milliseconds.
    members = "".join(
        f"\\u{low:04x}-\\u{high:04x}" if low < high else f"\\u{low:04x}"
        for low, high in ranges
        if low <= high
    )
    return re.compile(f"[{members}]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _SHORT.get(ch) or f"\\u{ord(ch):04x}"


def visible(text: str, *, keep: str = "") -> str:
    """
    ``text`` with every control character shown as its JSON escape, harmless to print or write.

    Escaped: C0 controls (``\\x1b`` as ``\\u001b``, ``\\r`` as ``\\r``, backspace as ``\\b``),
    DEL, C1 controls, the bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E,
    U+2066-U+2069), U+2028, U+2029 and lone surrogates. The characters in ``keep`` (newline,
    tab: :data:`KEEP_LINES`, or either) pass as they are. Text without any of these characters
    comes back unchanged, so normal output is byte for byte what it was.

    The escapes are JSON's own: applied to a JSON document (whose strings are the only place
    such a character can be), the result is JSON holding the same values.

    Backslashes are not escaped: ``\\u001b`` in the output may have been written so by the run.
    The event log, which keeps the text as recorded, tells the two apart.
    """
    if text.isprintable():  # the usual case, and fast: every escaped character is unprintable
        return text
    return _pattern(keep).sub(_escape, text)
