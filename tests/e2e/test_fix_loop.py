"""
The researcher's loop through the command line, as docs/getting-started.md walks it: a typo in
``bridge.toml`` fails sanity, bridge says once what to do, and one ``bridge run`` after the fix
finishes. The output quoted in the docs is checked against this real run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.e2e.test_cli import REPO, quickstart  # noqa: F401 (the fixture)
from tests.in_process import bridge_here

DOC = REPO / "docs" / "getting-started.md"
_CLOCK = re.compile(r"^\d\d:\d\d:\d\d ", re.M)


def _quoted_runs() -> list[list[str]]:
    """The output lines of each ``$ bridge run`` block in the doc's "When something fails"."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## When something fails") :]
    section = section[: section.index("\n## ", 1)]
    blocks = re.findall(r"```console\n(.*?)```", section, re.S)
    return [[line for line in b.splitlines() if line and not line.startswith("$")] for b in blocks]


class TestFixLoop:
    def test_typo_then_fix_then_one_run_as_the_docs_show(self, quickstart: Path) -> None:  # noqa: F811
        """Typo → exit 3 with one `Next step:` naming `bridge run`; fix → one `bridge run`
        exits 0; the log shows the changed spec before attempt 3; the docs quote this output."""
        toml = quickstart / "bridge.toml"
        toml.write_text(toml.read_text().replace("--epochs {epochs}", "--epohcs {epochs}"))
        failed = bridge_here("run", "--plain", "--project", str(quickstart))
        assert failed.returncode == 3, failed.stdout + failed.stderr
        next_steps = [ln for ln in failed.stdout.splitlines() if ln.startswith("Next step:")]
        assert len(next_steps) == 1 and "then run `bridge run`" in next_steps[0]
        assert "bridge approve" not in failed.stdout

        toml.write_text(toml.read_text().replace("--epohcs {epochs}", "--epochs {epochs}"))
        fixed = bridge_here("run", "--plain", "--project", str(quickstart))
        assert fixed.returncode == 0, fixed.stdout + fixed.stderr

        log = bridge_here("log", "--json", "--run", "R001", "--project", str(quickstart))
        rows = [json.loads(line) for line in log.stdout.splitlines()]
        kinds = [(r["type"], r["data"].get("attempt")) for r in rows]
        assert kinds.index(("run.spec_changed", None)) < kinds.index(("run.submitted", 3))
        argvs = [r["data"]["argv"] for r in rows if r["type"] == "run.submitted"]
        assert ["--epohcs" in a for a in argvs] == [True, True, False]

        quoted = _quoted_runs()
        assert len(quoted) == 2
        for lines, result in zip(quoted, (failed, fixed), strict=True):
            output = _CLOCK.sub("", result.stdout)
            missing = [line for line in lines if line not in output]
            assert missing == [], "docs/getting-started.md quotes output bridge no longer prints"

    def test_retry_command_line(self, quickstart: Path) -> None:  # noqa: F811
        """retry takes several ids, --milestone and --force; refusals are exit 2 with the
        reason; a scheduled retry names the one next step."""
        assert bridge_here("run", "--plain", "--project", str(quickstart)).returncode == 0
        nothing = bridge_here("retry", "--milestone", "M1", "--project", str(quickstart))
        assert nothing.returncode == 2 and "--force" in nothing.stderr
        succeeded = bridge_here("retry", "R003", "--project", str(quickstart))
        assert succeeded.returncode == 2 and "R003 succeeded; only runs" in succeeded.stderr
        forced = bridge_here("retry", "R003", "R004", "--force", "--project", str(quickstart))
        assert forced.returncode == 0, forced.stderr
        assert "will run again: R003, R004" in forced.stdout
        assert forced.stdout.strip().endswith("Next step: `bridge run`.")
