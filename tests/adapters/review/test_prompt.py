"""
Tests for the review prompt builder and the reply parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.adapters.review.prompt import (
    MAX_FILE_CHARS,
    build_review_prompt,
    parse_review_reply,
)
from bridge.errors import ReviewError
from bridge.machine.ports import ReviewRequest, Severity


class TestParseReviewReply:
    def test_explicit_approval_has_no_findings(self):
        """VERDICT: APPROVE with nothing else parses to no findings."""
        assert parse_review_reply("VERDICT: APPROVE") == ()

    def test_tolerant_markers(self):
        """Bulleted, numbered, bold, lower-case and underscore spellings are all read."""
        reply = (
            "**VERDICT**: CHANGES_REQUIRED\n"
            "- **BLOCKING**: loss uses the test labels\n"
            "2. non-blocking: add a --workers option\n"
            "* NON_BLOCKING: `eval.py:7` — print the seed\n"
            "NONBLOCKING：full-width colon works\n"
        )
        findings = parse_review_reply(reply)
        assert [f.severity for f in findings] == [
            Severity.BLOCKING,
            Severity.NON_BLOCKING,
            Severity.NON_BLOCKING,
            Severity.NON_BLOCKING,
        ]
        assert findings[0].message == "loss uses the test labels"
        assert (findings[2].file, findings[2].line, findings[2].message) == (
            "eval.py",
            7,
            "print the seed",
        )

    def test_continuation_lines_join_the_finding(self):
        """An indented line continues the finding above it; a blank line ends it."""
        reply = (
            "VERDICT: CHANGES_REQUIRED\nBLOCKING: data.py:3 - leakage:\n"
            "    the scaler is fit on test\n\nThanks."
        )
        (finding,) = parse_review_reply(reply)
        assert finding.message == "leakage: the scaler is fit on test"
        assert (finding.file, finding.line) == ("data.py", 3)

    def test_none_markers_are_ignored(self):
        """BLOCKING: none is not a finding."""
        assert parse_review_reply("VERDICT: APPROVE\nBLOCKING: none\nNON-BLOCKING: n/a") == ()

    def test_json_block_wins(self):
        """A fenced JSON block with findings is read with severity, file and line."""
        reply = (
            "Here is my review.\n```json\n"
            '{"verdict": "changes_required", "findings": ['
            '{"severity": "blocking", "message": "metric is accuracy, plan says F1",'
            ' "file": "eval.py", "line": 12},'
            '{"severity": "non-blocking", "message": "pin torch"}]}\n```\n'
        )
        findings = parse_review_reply(reply)
        assert findings[0].severity is Severity.BLOCKING
        assert (findings[0].file, findings[0].line) == ("eval.py", 12)
        assert findings[1].severity is Severity.NON_BLOCKING

    def test_bare_json_reply(self):
        """A reply that is just a JSON object is read too."""
        assert parse_review_reply('{"verdict": "approve", "findings": []}') == ()

    def test_rejection_without_blocking_finding_blocks(self):
        """CHANGES_REQUIRED with only suggestions still yields a BLOCKING finding."""
        findings = parse_review_reply("VERDICT: CHANGES_REQUIRED\nNON-BLOCKING: style")
        assert findings[0].severity is Severity.BLOCKING
        assert "changes_required" in findings[0].message

    def test_approval_with_blocking_finding_keeps_it(self):
        """A blocking finding is kept even if the verdict says approve."""
        findings = parse_review_reply("VERDICT: APPROVE\nBLOCKING: seed is ignored")
        assert [f.severity for f in findings] == [Severity.BLOCKING]

    @pytest.mark.parametrize("reply", ["", "Looks good to me!", "{not json", '{"findings": "x"}'])
    def test_no_verdict_no_findings_is_malformed(self, reply):
        """A reply with neither verdict nor findings raises ReviewError."""
        with pytest.raises(ReviewError, match="no VERDICT"):
            parse_review_reply(reply)

    def test_json_finding_without_message_is_malformed(self):
        """A JSON finding with no message raises ReviewError."""
        with pytest.raises(ReviewError, match="no message"):
            parse_review_reply('{"verdict": "x", "findings": [{"severity": "blocking"}]}')

    @given(st.text())
    def test_any_text_parses_or_raises_review_error(self, text):
        """No text makes the parser fail with anything but ReviewError."""
        try:
            findings = parse_review_reply(text)
        except ReviewError:
            return
        assert all(f.message for f in findings)


class TestBuildReviewPrompt:
    def test_files_are_cut_and_marked(self, tmp_path: Path):
        """A very long file is cut to the bound and the cut is marked."""
        request = ReviewRequest(
            purpose="code_review",
            project=tmp_path,
            plan_excerpt="p",
            method="m",
            files={"big.py": "x" * (MAX_FILE_CHARS + 10)},
            diff="+ a line",
        )
        system, user = build_review_prompt(request)
        assert "VERDICT: APPROVE" in system
        assert "[cut: 10 more characters]" in user
        assert "+ a line" in user
