"""
Tests for the agent-command reviewer (a real executable fake agent) and the local checklist.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.adapters.review.agent import AgentCLIReviewer
from bridge.adapters.review.checklist import ChecklistReviewer, diagnose_failure
from bridge.errors import ReviewError
from bridge.machine.ports import ReviewRequest, Severity


def _request(project: Path, purpose: str = "code_review", failure: str = "") -> ReviewRequest:
    return ReviewRequest(
        purpose=purpose,
        project=project,
        plan_excerpt="PLAN-EXCERPT-MARK",
        method="METHOD-MARK",
        files={"train.py": "print(1)\n"},
        failure=failure,
    )


REPLY_FROM_PROMPT = """
import pathlib, sys
prompt = pathlib.Path(sys.argv[1]).read_text()
assert "PLAN-EXCERPT-MARK" in prompt and "METHOD-MARK" in prompt
print("VERDICT: CHANGES_REQUIRED")
print("BLOCKING: train.py:3 - the loss ignores the mask")
"""


class TestAgentCLIReviewer:
    def test_prompt_file_and_stdout_reply(self, write_agent, tmp_path):
        """The agent reads {prompt_file}; its stdout is parsed into findings."""
        agent = write_agent("review-agent", REPLY_FROM_PROMPT)
        review = AgentCLIReviewer([str(agent), "{prompt_file}"]).review(_request(tmp_path))
        assert review.reviewer == "agent"
        (finding,) = review.blocking
        assert (finding.file, finding.line) == ("train.py", 3)

    def test_prompt_on_stdin_and_reply_file(self, write_agent, tmp_path):
        """Without {prompt_file} the prompt comes on stdin; {reply_file} replaces stdout."""
        agent = write_agent(
            "stdin-agent",
            "import sys\nprompt = sys.stdin.read()\nassert 'METHOD-MARK' in prompt\n"
            "open(sys.argv[1], 'w').write('VERDICT: APPROVE\\n')\nprint('chatter on stdout')\n",
        )
        review = AgentCLIReviewer([str(agent), "{reply_file}"]).review(_request(tmp_path))
        assert review.findings == ()
        assert review.text == "VERDICT: APPROVE\n"

    def test_failing_agent(self, write_agent, tmp_path):
        """A non-zero exit is a ReviewError quoting stderr."""
        agent = write_agent(
            "bad-agent", "import sys\nsys.stderr.write('quota exceeded')\nsys.exit(3)\n"
        )
        with pytest.raises(ReviewError, match="exited with code 3: quota exceeded"):
            AgentCLIReviewer([str(agent)]).review(_request(tmp_path))

    def test_missing_agent_program(self, tmp_path):
        """A program that does not exist is a ReviewError, not an OSError."""
        with pytest.raises(ReviewError, match="could not start"):
            AgentCLIReviewer([str(tmp_path / "nope")]).review(_request(tmp_path))

    def test_timeout_is_bounded(self, write_agent, tmp_path):
        """An agent that hangs is killed at the timeout."""
        agent = write_agent("slow-agent", "import time\ntime.sleep(60)\n")
        with pytest.raises(ReviewError, match=r"did not finish within 0\.5 s"):
            AgentCLIReviewer([str(agent)], timeout_seconds=0.5).review(_request(tmp_path))

    def test_malformed_agent_reply(self, write_agent, tmp_path):
        """An agent reply without verdict or findings is a ReviewError."""
        agent = write_agent("vague-agent", "print('I think it is fine')\n")
        with pytest.raises(ReviewError, match="malformed review"):
            AgentCLIReviewer([str(agent)]).review(_request(tmp_path))


class TestChecklistReviewer:
    def test_local_only_review(self, tmp_path):
        """The checklist runs the checks, is local_only and marks its text [local-only]."""
        (tmp_path / "train.py").write_text(
            "import argparse, json\np = argparse.ArgumentParser()\np.add_argument('--seed')\n"
            "json.dump({}, open('m.json', 'w'))\n"
        )
        reviewer = ChecklistReviewer(
            commands={"R001": ("python", "train.py"), "R002": ("python", "missing.py")},
            setup_params={"B1": ("lr",)},
        )
        review = reviewer.review(_request(tmp_path))
        assert review.local_only and review.reviewer == "checklist"
        assert review.text.startswith("[local-only] Local checklist code review of 2 run commands")
        assert {f.check for f in review.findings} == {"script.missing", "params.missing"}
        assert [f.file for f in review.blocking] == ["missing.py"]

    def test_rescue_reads_the_traceback(self, tmp_path):
        """A rescue diagnosis names the last project frame and the exception."""
        failure = (
            "command: python train.py\nTraceback (most recent call last):\n"
            '  File "/usr/lib/python3/site-packages/torch/x.py", line 9, in f\n'
            f'  File "{tmp_path.resolve()}/train.py", line 14, in <module>\n'
            "KeyError: 'label'\n"
        )
        review = ChecklistReviewer().review(_request(tmp_path, "rescue", failure))
        (finding,) = review.findings
        assert finding.severity is Severity.BLOCKING
        assert (finding.file, finding.line, finding.check) == ("train.py", 14, "rescue.exception")
        assert "KeyError: 'label'" in finding.message
        assert "rescue diagnosis" in review.text


class TestDiagnoseFailure:
    def test_known_signatures(self, tmp_path):
        """OOM and missing-module logs give their own findings; no traceback gives a note."""
        assert (
            diagnose_failure("RuntimeError: CUDA out of memory.", tmp_path)[0].check == "rescue.oom"
        )
        # A CPU run's own memory: no GPU advice (the checklist said "GPU memory" for any).
        (gpu,) = diagnose_failure("RuntimeError: CUDA out of memory.", tmp_path)
        (host,) = diagnose_failure("MemoryError: out of memory", tmp_path)
        assert "GPU memory" in gpu.message and "gradient" in gpu.message
        assert host.check == "rescue.oom" and "GPU" not in host.message, host.message
        missing = diagnose_failure("ModuleNotFoundError: No module named 'timm'", tmp_path)[0]
        assert missing.check == "rescue.missing_module" and "'timm'" in missing.message
        (note,) = diagnose_failure("exit code 1", tmp_path)
        assert note.severity is Severity.NON_BLOCKING
