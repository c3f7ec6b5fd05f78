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


B = Severity.BLOCKING
N = Severity.NON_BLOCKING

# Reply shapes as different models write them: (reply, [(severity, file, line, message)]).
REPLY_SHAPES = {
    "the asked-for lines": (
        "VERDICT: CHANGES_REQUIRED\nBLOCKING: train.py:42 - loss on the test split\n"
        "NON-BLOCKING: eval.py - log the seed\n",
        [(B, "train.py", 42, "loss on the test split"), (N, "eval.py", None, "log the seed")],
    ),
    "markdown headings, numbered": (
        "## Verdict\n**CHANGES_REQUIRED**\n\n## BLOCKING issues\n"
        "1. `train.py:42` — the loss is computed on the test split\n"
        "2. data.py - the scaler is fit on all data\n\n"
        "## NON-BLOCKING issues\n- pin the torch version\n\n## Summary\nFix the split.\n",
        [
            (B, "train.py", 42, "the loss is computed on the test split"),
            (B, "data.py", None, "the scaler is fit on all data"),
            (N, "", None, "pin the torch version"),
        ],
    ),
    "bold labels, None. for an empty list": (
        "**Verdict:** APPROVE\n\n**BLOCKING:**\nNone.\n\n**NON-BLOCKING:**\n"
        "- Consider logging the seed next to the metrics.\n",
        [(N, "", None, "Consider logging the seed next to the metrics.")],
    ),
    "both lists None, no verdict": (
        "### BLOCKING\nNone.\n\n### NON-BLOCKING\nNone.\n",
        [],
    ),
    "bracket tags, no verdict": (
        "1. [BLOCKING] train.py:7 — labels leak into the features\n"
        "2. [NON-BLOCKING] README.md — document the flags\n",
        [
            (B, "train.py", 7, "labels leak into the features"),
            (N, "README.md", None, "document the flags"),
        ],
    ),
    "headings with commentary, bold file names": (
        "Here is my review.\n\n---\n\n### Blocking Issues (must fix before GPU time)\n"
        "* **eval.py:12**: the metric is accuracy, the plan says F1\n\n"
        "### Non-blocking suggestions\n* add a --workers option\n\n"
        "**Overall verdict:** Changes required\n",
        [
            (B, "eval.py", 12, "the metric is accuracy, the plan says F1"),
            (N, "", None, "add a --workers option"),
        ],
    ),
    "paragraphs without bullets": (
        "BLOCKING ISSUES\ntrain.py:3 - the test set is used for early stopping\n\n"
        "NON-BLOCKING ISSUES\nNone\n\nVERDICT: CHANGES REQUIRED\n",
        [(B, "train.py", 3, "the test set is used for early stopping")],
    ),
    "continuation lines under a heading": (
        "Verdict - CHANGES_REQUIRED\n\nBLOCKING:\n- model.py:10 — dropout stays on\n"
        "  during evaluation\n- the seed option is ignored\n\nNON-BLOCKING: none\n",
        [
            (B, "model.py", 10, "dropout stays on during evaluation"),
            (B, "", None, "the seed option is ignored"),
        ],
    ),
    "full-width colons": (
        "VERDICT：CHANGES_REQUIRED\nBLOCKING：train.py:1 - 学习率写死了\nNON-BLOCKING：无\n",
        [(B, "train.py", 1, "学习率写死了")],
    ),
    "an empty list said in words, parenthesised numbers": (
        "There are no blocking issues.\n\nNon-blocking\n(1) add docstrings\n"
        "(2) cache the dataset\n",
        [(N, "", None, "add docstrings"), (N, "", None, "cache the dataset")],
    ),
    "lower case, intro line in the list": (
        "verdict: request changes\n\nblocking issues:\nI found the following:\n"
        "+ eval.py:5 - the metric averages over classes twice\n",
        [(B, "eval.py", 5, "the metric averages over classes twice")],
    ),
    "a verdict under its own heading, approving": (
        "# Review\n\n## Verdict\n\nAPPROVE\n\n## Non-Blocking Issues\n"
        "1) `utils.py` — a typo in a comment\n",
        [(N, "utils.py", None, "a typo in a comment")],
    ),
}


class TestReplyShapes:
    @pytest.mark.parametrize("shape", sorted(REPLY_SHAPES))
    def test_shape_is_read(self, shape):
        """Each way a model writes the asked-for lists is read into the same findings."""
        reply, expected = REPLY_SHAPES[shape]
        findings = parse_review_reply(reply)
        got = [(f.severity, f.file, f.line, f.message) for f in findings]
        rejecting = "CHANGES" in reply.upper() or "REQUEST CHANGES" in reply.upper()
        if rejecting and not any(sev is B for sev, *_ in expected):
            got = got[1:]  # the finding that says an unexplained rejection blocks
        assert got == expected

    def test_no_structure_quotes_the_first_lines(self):
        """A reply with no verdict, marker, heading or list is malformed; the error quotes it."""
        reply = "The code looks reasonable.\nI'd add tests.\nMaybe more logging.\n\nA.\nB.\nC."
        with pytest.raises(ReviewError) as caught:
            parse_review_reply(reply)
        message = str(caught.value)
        assert "no recognisable structure" in message
        assert "  > The code looks reasonable.\n  > I'd add tests." in message
        assert "(2 more lines)" in message

    def test_blocking_word_in_prose_is_not_a_marker(self):
        """'Blocking the GPU ...' in prose is neither a heading nor a finding."""
        with pytest.raises(ReviewError):
            parse_review_reply("Blocking the GPU for a day is fine.\nNothing else.")


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
