"""
The code-review findings bridge writes itself, in Chinese for a Chinese plan; a reviewer's own
words, and everything for an English plan, as written.
"""

from __future__ import annotations

from pathlib import Path

from bridge.adapters.implement.checks import check_commands
from bridge.adapters.review.checklist import ChecklistReviewer, diagnose_failure
from bridge.events.values import Finding
from bridge.machine.agent_ports import ReviewRequest
from bridge.projections.finding_words import finding_in_language, review_text_in_language
from tests.english_left import english_left

# No --seed option, no JSON or CSV output: two findings.
_SCRIPT = "import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument('--lr')\n"


def _project(root: Path) -> dict[str, list[str]]:
    (root / "scripts").mkdir()
    (root / "scripts" / "train.py").write_text(_SCRIPT)
    return {
        "R1": ["python", "scripts/train.py", "--lr", "0.1"],
        "R2": ["python", "scripts/gone.py"],
        "R3": ["sh", "-c", "echo done"],
    }


def _checked(root: Path) -> tuple[Finding, ...]:
    commands = _project(root)
    found = check_commands(root, commands, {"B1": ["warmup steps"]})
    failures = (
        "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB",
        "ModuleNotFoundError: No module named 'torchvision'",
        'Traceback (most recent call last):\n  File "scripts/train.py", line 3, in <module>\n'
        "ValueError: the loss went the wrong way",
        "killed",
    )
    for failure in failures:
        found += diagnose_failure(failure, root)
    return found


def test_every_check_of_bridge_in_chinese(tmp_path: Path) -> None:
    """The messages of the real checks, each whole in Chinese; ids, paths, commands, module and
    exception text as they are."""
    findings = _checked(tmp_path)
    checks = {f.check for f in findings}
    assert {"script.missing", "seed.uncontrolled", "outputs.undeclared", "entry.unknown"} <= checks
    assert {"params.missing", "rescue.oom", "rescue.missing_module", "rescue.exception"} <= checks
    assert "rescue.unknown" in checks
    # The researcher's words and the program's exception text stay as written.
    theirs = {"warmup", "steps", "done", "ValueError", "loss", "went", "wrong"}
    for finding in findings:
        chinese = finding_in_language(finding.message, "zh")
        assert english_left(chinese, theirs) == [], chinese
        assert english_left(finding.message, theirs), finding.message
        assert finding_in_language(finding.message, "en") == finding.message
    by_check = {f.check: finding_in_language(f.message, "zh") for f in findings}
    assert by_check["script.missing"] == "R2：脚本 scripts/gone.py 在项目中不存在"
    assert by_check["rescue.exception"] == "运行抛出了 ValueError: the loss went the wrong way"


def test_a_finding_several_runs_share_in_chinese(tmp_path: Path) -> None:
    """One finding naming several runs is bridge's phrase too; the run ids stay as written."""
    (tmp_path / "scripts").mkdir()
    found = check_commands(
        tmp_path, {"R1": ["python", "scripts/gone.py"], "R2": ["python", "scripts/gone.py"]}, {}
    )
    assert [finding_in_language(f.message, "zh") for f in found] == [
        "R1, R2：脚本 scripts/gone.py 在项目中不存在"
    ]


def test_a_reviewers_words_are_theirs() -> None:
    """A message that is not one of bridge's phrases whole is shown as written."""
    for message in (
        "R1: the learning rate schedule looks wrong",
        "R1: the script scripts/a.py does not exist in the project, and b.py is empty",
    ):
        assert finding_in_language(message, "zh") == message


def test_the_checklist_text_in_chinese(tmp_path: Path) -> None:
    """The local checklist's rescue text: its first line and its bullets in Chinese."""
    commands = _project(tmp_path)
    review = ChecklistReviewer(commands=commands).review(
        ReviewRequest(
            project=tmp_path,
            purpose="rescue",
            plan_excerpt="",
            method="",
            files={},
            failure="ModuleNotFoundError: No module named 'torchvision'",
        )
    )
    assert review_text_in_language(review.text, "en") == review.text
    chinese = review_text_in_language(review.text, "zh")
    assert chinese.startswith("[local-only] 本地检查清单对 3 个运行命令的救援诊断（")
    assert english_left(chinese, {"done"}) == [], chinese
    off = "code review is off (code_review = false)"
    assert review_text_in_language(off, "zh") == "代码评审已关闭（code_review = false）"
    assert review_text_in_language("LGTM, ship it", "zh") == "LGTM, ship it"
