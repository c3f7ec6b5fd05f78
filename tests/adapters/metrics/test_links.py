"""
Metric files are read only from inside the attempt's output directory.
"""

from __future__ import annotations

from pathlib import Path

from bridge.adapters.metrics.files import MetricsSpec, extract_metrics


class TestLinksOutOfTheOutput:
    def test_a_link_leading_outside_is_not_read(self, tmp_path: Path) -> None:
        """metrics.json linked to a file elsewhere is skipped; a real file beside it is read."""
        project = tmp_path / "project"
        out = project / ".bridge" / "runs" / "R1" / "R1-a1" / "output"
        out.mkdir(parents=True)
        elsewhere = tmp_path / "elsewhere.json"
        elsewhere.write_text('{"accuracy": 0.99}')
        (out / "metrics.json").symlink_to(elsewhere)
        (out / "eval.json").write_text('{"f1": 0.5}')
        found = extract_metrics(
            out,
            project_root=project,
            run_id="R1",
            attempt_id="R1-a1",
            config=MetricsSpec(files=("*.json",)),
        )
        assert [(v.name, v.value) for v in found.values] == [("f1", 0.5)]
