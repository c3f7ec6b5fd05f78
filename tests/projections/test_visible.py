"""
visible: untrusted text shown with every control character as its JSON escape, harmless to
print or write, and unchanged when it holds none.
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.projections.markdown import cell, fenced, line
from bridge.projections.visible import KEEP_LINES, visible

# Every character visible escapes: C0, DEL, C1, bidi controls, line/paragraph separators.
UNSAFE = [
    *map(chr, range(0x20)),
    *map(chr, range(0x7F, 0xA0)),
    *"\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029",
]
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# Text with escapes, controls, bidi overrides and a lone surrogate mixed into ordinary and
# wide characters.
hostile = st.lists(
    st.one_of(
        st.sampled_from([*UNSAFE, "\udc80"]),
        st.characters(codec="utf-8"),
        st.sampled_from(["\x1b[2J", "\x1b]0;t\x07", "\x1b]8;;http://x/\x07", "宽", "é", "🚀"]),
    )
).map("".join)


def _controls(text: str) -> set[str]:
    """The C0 and C1 controls, bidi controls and separators in ``text``."""
    return {ch for ch in text if ch in UNSAFE or unicodedata.category(ch) == "Cs"}


class TestVisible:
    @pytest.mark.parametrize(
        ("raw", "shown"),
        [
            ("\x1b[2J", "\\u001b[2J"),
            ("\x1b]0;pwned\x07", "\\u001b]0;pwned\\u0007"),
            ("FAIL\rPASS", "FAIL\\rPASS"),
            ("FAIL\b\b\b\bPASS", "FAIL\\b\\b\\b\\bPASS"),
            ("a\u202eevil", "a\\u202eevil"),
            ("nul\x00", "nul\\u0000"),
            ("csi\x9b2J del\x7f", "csi\\u009b2J del\\u007f"),
            ("two\nlines\tand tab", "two\\nlines\\tand tab"),
            ("lone \udc80 surrogate", "lone \\udc80 surrogate"),
        ],
    )
    def test_each_control_is_shown_as_its_json_escape(self, raw: str, shown: str) -> None:
        assert visible(raw) == shown

    def test_newline_and_tab_are_kept_where_asked(self) -> None:
        assert visible("a\nb\tc\rd", keep=KEEP_LINES) == "a\nb\tc\\rd"
        assert visible("a\nb\tc", keep="\n") == "a\nb\\tc"

    def test_only_newline_and_tab_can_be_kept(self) -> None:
        with pytest.raises(AssertionError):
            visible("a\x1bb", keep="\x1b")

    @given(hostile)
    def test_no_control_survives(self, text: str) -> None:
        """The output holds no C0/C1 control, bidi control or separator (no newline or tab)."""
        assert _controls(visible(text)) == set()

    @given(hostile)
    def test_only_newline_and_tab_survive_where_kept(self, text: str) -> None:
        assert _controls(visible(text, keep=KEEP_LINES)) <= {"\n", "\t"}

    @given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters=UNSAFE)))
    def test_text_without_controls_is_unchanged(self, text: str) -> None:
        """Printable text, wide characters and emoji included, passes byte for byte."""
        assert visible(text) == text
        assert visible(text, keep=KEEP_LINES) == text

    @given(st.recursive(st.none() | hostile | st.floats(allow_nan=False), st.lists, max_leaves=8))
    def test_json_stays_json_with_the_same_values(self, value: object) -> None:
        """Applied to a JSON document, the result is JSON holding the same values."""
        document = json.dumps({"v": value, "k\x1b\u202e": 1}, ensure_ascii=False, indent=2)
        shown = visible(document, keep=KEEP_LINES)
        assert json.loads(shown) == json.loads(document)
        assert _controls(shown) <= {"\n"}

    def test_idempotent(self) -> None:
        once = visible("\x1b[2J\r\u202e")
        assert visible(once) == once


class TestMarkdownCell:
    def test_a_cell_shows_controls_and_folds_newlines(self) -> None:
        assert cell("exit 1: \x1b[2Jboom\rPASS\nnext | x") == (
            "exit 1: \\\\u001b[2Jboom\\\\rPASS next \\| x"
        )

    @given(hostile)
    def test_a_cell_is_one_line_without_controls(self, text: str) -> None:
        assert _controls(cell(text)) <= {"\t"}


class TestMarkdownLine:
    def test_a_reason_cannot_start_a_line_of_its_own(self) -> None:
        """A newline in a reason would forge a list item or a heading in results.md."""
        assert line("boom\n## forged\r\n- R9 done \x1b[2J") == (
            "boom ## forged - R9 done \\u001b[2J"
        )

    def test_a_line_without_controls_is_unchanged(self) -> None:
        assert line("exit 1: a `b` | c \\ d 宽") == "exit 1: a `b` | c \\ d 宽"

    @given(hostile)
    def test_a_line_is_one_line_without_controls(self, text: str) -> None:
        assert _controls(line(text)) <= {"\t"}


class TestFenced:
    def test_a_plain_command_keeps_the_three_backtick_fence(self) -> None:
        assert fenced("python train.py --seed 1", "sh") == [
            "```sh",
            "python train.py --seed 1",
            "```",
        ]

    def test_backticks_in_the_command_lengthen_the_fence(self) -> None:
        """An argument holding ``` would close a three-backtick fence early and turn the
        rest of the page into Markdown of the run's choosing."""
        opening, body, closing = fenced("echo '```' '`````'\n# forged", "sh")
        assert (opening, closing) == ("``````sh", "``````")
        assert body == "echo '```' '`````'\n# forged"

    @given(st.text(alphabet="`a \n#", max_size=40))
    def test_nothing_in_the_body_closes_the_fence(self, body: str) -> None:
        opening, _, closing = fenced(body)
        assert opening == closing and len(closing) >= 3
        # CommonMark closes a fence only with a run of backticks at least as long.
        assert closing not in body
