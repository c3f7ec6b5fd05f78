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
# lone surrogates (a byte that was not UTF-8), which no output stream can encode. Written as
# regex escapes: the pattern itself holds no raw control character.
_UNSAFE = (
    r"\x00-\x1f\x7f-\x9f"
    r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    r"\u2028\u2029"
    r"\ud800-\udfff"
)

# JSON's short escapes; every other character is written \uXXXX, as json.dumps writes it.
_SHORT = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


@functools.cache
def _pattern(keep: str) -> re.Pattern[str]:
    assert set(keep) <= set(KEEP_LINES), f"only newline and tab can be kept, not {keep!r}"
    if not keep:
        return re.compile(f"[{_UNSAFE}]")
    kept = "".join(f"\\u{ord(ch):04x}" for ch in keep)
    return re.compile(f"(?![{kept}])[{_UNSAFE}]")


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
