"""
Malformed input never raises anything but PlanError (hypothesis).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge.errors import PlanError
from bridge.plan import build_plan, parse_plan_text
from bridge.plan.text import Document, decode
from bridge.plan.tracker import read_tracker_runs
from tests.conftest import needs_shared
from tests.plan.corpus import plan_dirs

CORPUS_TEXTS = [
    (p / name).read_text(encoding="utf-8-sig")
    for p in plan_dirs()
    for name in ("EXPERIMENT_PLAN.md", "EXPERIMENT_TRACKER.md")
    if (p / name).is_file()
]
MARKDOWNISH = st.text(
    alphabet=st.sampled_from(list("#|-*:：`~ \n\t>[](){}0123456789MBCRabc块一、✅—\\\ufeff\r"))
    | st.characters(),
    max_size=400,
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_everything(text: str) -> None:
    """Run the plan reader and the tracker reader over one text: a run table may be refused
    with a PlanError at a line (a Status misspelling a word that settles a row, "DON" from a
    cut "DONE"; one run id on two different rows), nothing else."""
    for read in (
        lambda: parse_plan_text(text),
        lambda: read_tracker_runs(Document(text, "EXPERIMENT_TRACKER.md")),
    ):
        try:
            read()
        except PlanError as refused:
            assert refused.line, refused


@st.composite
def mutated_corpus(draw: st.DrawFn) -> str:
    """A corpus file with lines dropped, duplicated, shuffled, truncated, pipes/colons added."""
    lines = draw(st.sampled_from(CORPUS_TEXTS)).split("\n")
    for _ in range(draw(st.integers(0, 12))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "swap", "cut", "pipe", "colon", "hash", "fence"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "pipe":
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k] + draw(st.sampled_from(["|", "||", "\\|", "`|"])) + lines[i][k:]
        elif op == "colon":
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k] + draw(st.sampled_from([":", "：", "**:", "**"])) + lines[i][k:]
        elif op == "hash":
            lines[i] = draw(st.sampled_from(["# ", "## ", "### ", "#### "])) + lines[i]
        else:
            lines.insert(i, "```")
    if draw(st.booleans()):
        lines = lines[: draw(st.integers(0, len(lines)))]
    return "\n".join(lines)


class TestFuzz:
    @FUZZ
    @given(MARKDOWNISH)
    def test_arbitrary_text(self, text: str) -> None:
        """Arbitrary text parses (possibly to an empty plan) without any exception but a
        PlanError at a line."""
        parse_everything(text)

    @needs_shared
    @FUZZ
    @given(mutated_corpus())
    def test_mutated_corpus(self, text: str) -> None:
        """Mutated real plans and trackers parse without any exception but a PlanError at a
        line."""
        parse_everything(text)

    @FUZZ
    @given(st.binary(max_size=300))
    def test_arbitrary_bytes_only_plan_error(self, data: bytes) -> None:
        """Arbitrary bytes either decode and parse, or raise PlanError."""
        try:
            text = decode(data, "EXPERIMENT_PLAN.md")
        except PlanError:
            return
        parse_everything(text)

    def test_files_on_disk(self, tmp_path: Path) -> None:
        """Binary and non-UTF-8 files given to build_plan raise PlanError, nothing else."""
        for index, data in enumerate([b"\xff\xfe\x00x", b"ok\n\xc3\x28", b"\x89PNG\r\n\x1a\n\x00"]):
            path = tmp_path / f"p{index}.md"
            path.write_bytes(data)
            with pytest.raises(PlanError):
                build_plan(plan=path, tracker=None, proposal=None, ideas=None)
