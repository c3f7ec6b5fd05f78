"""
A ``bridge retry`` it refuses still records the edits made since the last ``bridge run`` (so
the tracker it rewrites keeps them), and says what of them it did not take, as a retry it
accepts does (trial t18 on 030: ``NOT RUN — …`` written on the succeeded C4, then ``bridge
retry D2`` of a succeeded D2: the refusal alone was printed, C4's Status went back to DONE, and
no command ever said that the NOT RUN was not taken; a note written below bridge's marker went
to ``EXPERIMENT_TRACKER.edited.md``, refused retry or not, and no command said where).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.cli.main import main
from tests.conftest import needs_shared
from tests.plan.corpus import as_project, run_to_results

JOB = """import json, pathlib, sys
out = pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"completion_rate": 0.96}))
"""


def _ran_030(tmp_path: Path) -> Path:
    """030 run to its results, C4 and D2 run by bridge, every other row done before it."""
    project = as_project("030", tmp_path / "p")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    # Only C4 and D2 run (the others done before bridge): two runs keep the test cheap.
    lines = tracker.read_text(encoding="utf-8").split("\n")
    tracker.write_text(
        "\n".join(
            line.replace("| TODO |", "| DONE |", 1)
            if line.startswith("| ") and not line.startswith(("| C4 ", "| D2 "))
            else line
            for line in lines
        ),
        encoding="utf-8",
    )
    run_to_results(project, JOB)
    return project


@needs_shared
def test_a_refused_retry_says_the_status_it_did_not_take(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _ran_030(tmp_path)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    row = "| C4 | Scheduler | Peer failure | "
    assert f"{row}DONE |" in text
    tracker.write_text(
        text.replace(f"{row}DONE |", f"{row}NOT RUN — no second peer node yet |")
        + "C4 needs a second peer node\n",  # below bridge's marker: bridge's part
        encoding="utf-8",
    )
    capsys.readouterr()

    assert main(["retry", "D2", "--project", str(project)]) == 2
    said = capsys.readouterr()

    assert "cannot retry: D2 succeeded" in said.err
    assert (
        "C4 succeeded, and the tracker's Status now says NOT RUN — no second peer node yet: "
        "bridge keeps its result and writes its done status back"
    ) in said.out, said
    assert f"{row}DONE |" in tracker.read_text(encoding="utf-8")
    copy = project / "refine-logs" / "EXPERIMENT_TRACKER.edited.md"
    assert (
        "read your edit of refine-logs/EXPERIMENT_TRACKER.md; the file as you left it is kept in "
        "refine-logs/EXPERIMENT_TRACKER.edited.md: bridge fills in the Status and Notes of the "
        "rows it ran and everything below its marker, so text you wrote there is only in that copy"
    ) in said.out, said
    assert "C4 needs a second peer node" in copy.read_text(encoding="utf-8")

    # A retry it takes says the copy too.
    tracker.write_text(tracker.read_text(encoding="utf-8") + "again\n", encoding="utf-8")
    assert main(["retry", "--force", "D2", "--project", str(project)]) == 0
    assert "is kept in refine-logs/EXPERIMENT_TRACKER.edited" in capsys.readouterr().out


@needs_shared
def test_a_row_added_after_the_sanity_check_is_no_sanity_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bridge plan` announced a row added after the runs (030's E3) as "first to launch: E3
    (…), alone, as the sanity check (the plan names no sanity milestone; …)", though the
    sanity check had passed long before and `bridge run` launches it as any other run (t18)."""
    project = _ran_030(tmp_path)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    at = text.index("| E2 |")
    tracker.write_text(
        text[:at] + "| E3 | Personalization | Consent revocation probe | TODO | Memory dropped "
        "| | |\n" + text[at:],
        encoding="utf-8",
    )
    capsys.readouterr()

    assert main(["plan", "--project", str(project)]) == 0

    said = capsys.readouterr().out
    assert "first to launch: E3 (Consent revocation probe)\n" in said, said
    assert "as the sanity check" not in said, said
