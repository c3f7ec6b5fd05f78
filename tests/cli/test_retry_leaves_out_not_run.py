"""
A row the researcher marked ``NOT RUN — <reason>`` after its run succeeded keeps its result
(bridge writes DONE back), and no retry that takes runs by kind (``--changed``, ``--milestone``,
``--failed``) launches it again: only a retry naming it does, and each says so (trial h39E F4 on
036: ``bridge retry --changed`` re-ran M2.1c, marked "NOT RUN — too few pairs survive gap04",
after bridge had written DONE over that word). Real ``bridge`` commands, in the test's process,
on the real plan 036 with one run of a small script.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from tests.conftest import SHARED, needs_shared
from tests.in_process import bridge_here

pytestmark = needs_shared

FAKE = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[sys.argv.index("--out") + 1])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"chrF++": 40.0}))
"""

WORD = "NOT RUN — too few pairs survive gap04"


def _toml(project: Path, *extra: str) -> None:
    command = json.dumps(
        [sys.executable, str(project / "fake.py"), "--out", "{output_dir}", *extra]
    )
    (project / "bridge.toml").write_text(f"[run]\ncommand = {command}\ngpus = 0\n", "utf-8")


def test_a_run_marked_not_run_after_it_succeeded_is_retried_only_by_name(tmp_path: Path) -> None:
    project = tmp_path / "p036"
    shutil.copytree(SHARED / "corpus" / "plans" / "036_tangut-nlp", project / "refine-logs")
    (project / "fake.py").write_text(FAKE, encoding="utf-8")
    _toml(project)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    # M2.3 "RUNNING" on the lab's screen session: out of scope here; M2.1 and M2.2 run.
    text = tracker.read_text(encoding="utf-8")
    text = text.replace(
        "| RUNNING | SHOULD-RUN | Literature", "| NOT RUN — lab cluster | SHOULD-RUN | Literature"
    )
    tracker.write_text(text.replace("| RUNNING |", "| TODO |"), "utf-8")
    first = bridge_here("run", "--plain", "--project", str(project))
    assert "M2.1 done" in first.stdout and "M2.2 done" in first.stdout, first.stdout + first.stderr

    # The researcher rules M2.1 out, and the command changes: bridge keeps both results.
    row = next(line for line in tracker.read_text("utf-8").splitlines() if "| M2.1 |" in line)
    tracker.write_text(
        tracker.read_text("utf-8").replace(row, row.replace("| DONE |", f"| {WORD} |")), "utf-8"
    )
    _toml(project, "--v", "2")
    said = bridge_here("run", "--plain", "--project", str(project)).stdout
    assert f"M2.1 succeeded, and the tracker's Status now says {WORD}" in said, said
    # Their retry names them: --changed would leave M2.1 out.
    assert "kept as they ran; `bridge retry --force M2.1 M2.2` runs them with the current" in said
    assert "`bridge retry --force M2.1 M2.2` and `bridge run` run them" in said, said
    assert f"| {WORD} |" not in tracker.read_text("utf-8")  # DONE written back over it

    # --changed takes M2.2 alone, and says why M2.1 is left out and how to run it.
    left = (
        f"M2.1 succeeded, then the tracker took it out of scope ({WORD}; bridge kept the result "
        "and wrote its done status back): a retry that takes runs by kind leaves it out; "
        "`bridge retry --force M2.1` runs it again"
    )
    changed = bridge_here("retry", "--changed", "--project", str(project))
    assert changed.stdout.startswith(f"will run again: M2.2\n{left}\n"), changed.stdout
    # Nor does --changed again, or --milestone (with --force), take it: refused, said so.
    again = bridge_here("retry", "--changed", "--project", str(project))
    assert f"bridge retry --changed: {left}" in again.stderr, again.stdout + again.stderr
    milestone = bridge_here("retry", "--milestone", "M2", "--force", "--project", str(project))
    # (M2.2 is scheduled already: nothing else of M2 is left to take.)
    assert f"nothing to retry: {left}" in milestone.stderr, milestone.stdout + milestone.stderr

    # Named, it runs again.
    named = bridge_here("retry", "--force", "M2.1", "--project", str(project))
    assert named.stdout.startswith("will run again: M2.1"), named.stdout + named.stderr
    assert "leaves it out" not in named.stdout
