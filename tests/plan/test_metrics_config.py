"""
``[metrics]``: ``[[metrics.extract]]`` queries and the output limits, checked at load with
file:line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.errors import ConfigError
from bridge.plan import LoadedProject, load_project
from bridge.plan.config import MetricExtract
from tests.plan.test_project import PLAN


def load(tmp_path: Path, toml: str) -> LoadedProject:
    (tmp_path / "refine-logs").mkdir(exist_ok=True)
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(PLAN)
    (tmp_path / "bridge.toml").write_text(toml)
    return load_project(tmp_path)


class TestMetricsExtract:
    def test_a_query_rule_is_read(self, tmp_path: Path) -> None:
        """name, file and query are kept as written."""
        project = load(
            tmp_path,
            '[[metrics.extract]]\nname = "mrr"\nfile = "summary.json"\n'
            "query = \"results[?mode=='compact'].mrr | [0]\"\n",
        )
        assert project.config.metrics.extract == (
            MetricExtract(
                name="mrr", file="summary.json", query="results[?mode=='compact'].mrr | [0]"
            ),
        )

    @pytest.mark.parametrize(
        ("toml", "line", "words"),
        [
            (
                '[metrics]\n[[metrics.extract]]\nname = "m"\nfile = "s.json"\nquery = "a[?b=="\n',
                5,
                "metrics.extract[0].query is not a valid JMESPath query",
            ),
            ('[[metrics.extract]]\nname = "m"\nfile = "s.json"\n', 1, "query is required"),
            (
                '[[metrics.extract]]\nname = "m"\nfile = "s.json"\nquery = "a"\nqeury = "b"\n',
                5,
                "did you mean 'query'",
            ),
            ('[[metrics.extract]]\nname = "m"\nfile = "../x.json"\nquery = "a"\n', 3, "escapes"),
            ("[metrics]\nmax_depth = 1000\n", 2, "between 1 and 500"),
            ("[metrics]\nmax_values = 0\n", 2, "above 0"),
            ("[metrics]\nmax_file_mb = 'big'\n", 2, "max_file_mb"),
        ],
    )
    def test_bad_settings_name_file_and_line(
        self, tmp_path: Path, toml: str, line: int, words: str
    ) -> None:
        """A bad query or limit is a ConfigError at load, with bridge.toml's line."""
        with pytest.raises(ConfigError) as info:
            load(tmp_path, toml)
        assert info.value.line == line, str(info.value)
        assert words in str(info.value)

    def test_limits_default_and_override(self, tmp_path: Path) -> None:
        """Defaults are 64 MiB, depth 64, 2,000 values; each can be set."""
        metrics = load(tmp_path, "").config.metrics
        assert (metrics.max_file_mb, metrics.max_depth, metrics.max_values) == (64.0, 64, 2000)
        metrics = load(
            tmp_path, "[metrics]\nmax_file_mb = 0.5\nmax_depth = 200\nmax_values = 50\n"
        ).config.metrics
        assert (metrics.max_file_mb, metrics.max_depth, metrics.max_values) == (0.5, 200, 50)
