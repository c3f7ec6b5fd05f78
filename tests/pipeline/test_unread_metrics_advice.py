"""
End to end on the real 001 plan (trial t9): a must-run run whose numbers bridge could not read.

R004 wrote its accuracy only to a text log (`[eval] accuracy=62.0` in train.log). The next step
said to "make the script write its numbers (or point bridge.toml's [metrics] at them), then run
`bridge retry --force R004` and `bridge run`": re-training R004 (~9 GPU-h by the plan's
estimate), where a `[[metrics.regex]]` and a plain `bridge run` read the outputs it left.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bridge.cli import main
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

# R004 logs its accuracy as text; every other run writes metrics.json. Each launch appends its
# run id to launches.txt.
_JOB = """\
import json, pathlib, sys
run, out = sys.argv[1:3]
with open(pathlib.Path(__file__).with_name("launches.txt"), "a") as log:
    log.write(run + "\\n")
if run == "R004":
    pathlib.Path(out, "train.log").write_text("step=100 loss=0.5\\n[eval] accuracy=62.0\\n")
else:
    pathlib.Path(out, "metrics.json").write_text(json.dumps({"accuracy": 60.0, "loss": 0.4}))
"""

_REGEX = """
[[metrics.regex]]
name = "accuracy"
pattern = '\\[eval\\] accuracy=([0-9.]+)'
file = "train.log"
"""


@needs_shared
def test_the_next_step_reads_the_outputs_again_before_any_retry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The advice says a [metrics] change is read by `bridge run` from the outputs R004 left,
    and `retry --force` only if the script must change; following it re-runs nothing."""
    project = as_project("001", tmp_path / "p")
    (project / "job.py").write_text(_JOB, encoding="utf-8")
    toml = project / "bridge.toml"
    toml.write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 4\n\n[run]\n"
        f'command = ["{sys.executable}", "job.py", "{{run_id}}", "{{output_dir}}"]\n',
        encoding="utf-8",
    )
    launches = project / "launches.txt"
    assert main(["run", "--plain", "--project", str(project)]) == 1
    out = capsys.readouterr().out
    assert (
        "Next step: Must-run runs recorded no metric value (R004): see under "
        '"Unreadable output files" what was read; if the numbers are in the output files, '
        "point bridge.toml's [metrics] at them and run `bridge run` (it reads the outputs "
        "again, nothing runs again); only if the script must change to write them, run "
        "`bridge retry --force R004` and `bridge run` once it is changed."
    ) in out, out
    ran = launches.read_text(encoding="utf-8").split()
    assert ran.count("R004") == 1

    # Marked out of scope after it ran (005's R010, an analysis row «NOT RUN — read by hand»):
    # the advice above leaves it in; deleting its row is what takes it out (h42D, s38 F5).
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| R004 |"))
    cells = row.split(" | ")
    status = next(i for i, cell in enumerate(cells) if cell == "DONE")
    marked = " | ".join([*cells[:status], "NOT RUN — read by hand", *cells[status + 1 :]])
    tracker.write_text(text.replace(row, marked), encoding="utf-8")
    assert main(["run", "--plain", "--project", str(project)]) == 1
    out = capsys.readouterr().out
    assert (
        "Next step: Must-run run recorded no metric value, and its row was marked out of scope "
        "after it ran (R004 «NOT RUN — read by hand»): a run that has run is not taken out of "
        "scope. To leave it out, delete its row and run `bridge run`"
    ) in out, out
    assert "bridge retry --force R004" not in out.split("Next step:")[-1]

    toml.write_text(toml.read_text(encoding="utf-8") + _REGEX, encoding="utf-8")
    assert main(["run", "--plain", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "recorded no metric value" not in out, out
    assert launches.read_text(encoding="utf-8").split() == ran  # nothing ran again
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "62" in results[results.index("### B1:") : results.index("### B2:")]
