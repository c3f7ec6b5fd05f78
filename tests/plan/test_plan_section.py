"""
Bridge's section of the researcher's plan: written after their bytes, cut off exactly on read.
"""

from __future__ import annotations

import pytest

from bridge.plan.plan_section import BEGIN, END, researchers_part, with_section


@pytest.mark.parametrize(
    "researcher",
    [b"# Plan\n\ntext\n", b"# Plan\n\nno final newline", b"# Plan\r\n\r\ncrlf\r\n", b""],
)
def test_the_researchers_bytes_come_back_exactly(researcher: bytes) -> None:
    """Appending, rewriting and removing the section never changes a byte of theirs."""
    once = with_section(researcher, "## Approved Ablations\n\n| A1 |")
    assert once.startswith(researcher) and researchers_part(once) == researcher
    twice = with_section(once, "## Approved Ablations\n\n| A1 |\n| A2 |")
    assert researchers_part(twice) == researcher and twice.count(BEGIN.encode()) == 1
    assert with_section(twice, "") == researcher


def test_text_the_researcher_wrote_after_the_section_is_theirs() -> None:
    """Lines added below bridge's section stay, and the section moves below them."""
    written = with_section(b"# Plan\n", "body") + b"\n## My notes\n"
    assert researchers_part(written) == b"# Plan\n\n## My notes\n"
    again = with_section(written, "body")
    assert again.startswith(b"# Plan\n\n## My notes\n") and again.endswith(f"{END}\n".encode())
