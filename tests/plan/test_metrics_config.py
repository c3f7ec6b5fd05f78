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


_RULE = '[[metrics.extract]]\nname = "m"\nfile = "s.json"\nquery = "a"\n'


class TestExtractScope:
    """``blocks``/``runs`` on a rule: read as written, checked against the plan's runs."""

    def test_scope_is_read_as_written(self, tmp_path: Path) -> None:
        """One name or a list; block ids as written (``Block 2`` is compared as ``B2``)."""
        rules = load(
            tmp_path, _RULE + 'blocks = "Block 2"\n' + _RULE + 'runs = ["R00[12]", "R005"]\n'
        ).config.metrics.extract
        assert [(r.blocks, r.runs) for r in rules] == [
            (("Block 2",), ()),
            ((), ("R00[12]", "R005")),
        ]

    def test_applies_to_the_runs_of_its_blocks_or_its_globs(self) -> None:
        """No scope: every run; blocks or runs: either is enough; globs are case-sensitive."""
        every = MetricExtract(name="m", file="s.json", query="a")
        both = MetricExtract(
            name="m", file="s.json", query="a", blocks=("Block 2",), runs=("R00[12]",)
        )
        assert every.applies_to("R009", "") and not every.scoped
        assert both.applies_to("R005", "B2")  # its block
        assert both.applies_to("R001", "B1")  # its glob
        assert not both.applies_to("R003", "B1")
        assert not both.applies_to("r001", "B1")
        assert not both.applies_to("R003", "")

    @pytest.mark.parametrize(
        ("scope", "words"),
        [
            (
                'blocks = ["B1", "B3"]',
                "metrics.extract[0].blocks: 'B3' is not a block of the plan; did you mean "
                "'B2'? (blocks: B1, B2)",
            ),
            (
                'runs = ["R01*"]',
                "metrics.extract[0].runs: 'R01*' matches no run; did you mean 'R001'",
            ),
            ('runs = "R1"', "(runs: R001, R002, R003, R004, R005)"),
            ("blocks = []", "metrics.extract[0].blocks is empty; leave it out"),
            (
                'runs = ["R001", " "]',
                "metrics.extract[0].runs[1] must be a non-empty string, not ' '",
            ),
            ("blocks = [2]", "metrics.extract[0].blocks must be a string or a list of strings"),
            ('bloks = ["B1"]', "did you mean 'blocks'"),
        ],
    )
    def test_a_scope_naming_nothing_is_refused_at_its_line(
        self, tmp_path: Path, scope: str, words: str
    ) -> None:
        """An unknown block or a glob no run matches would leave the rule applied to no run."""
        with pytest.raises(ConfigError) as info:
            load(tmp_path, "[metrics]\n" + _RULE + scope + "\n")
        assert info.value.line == 6, str(info.value)
        assert words in str(info.value)

    def test_a_glob_may_wait_for_ablation_runs(self, tmp_path: Path) -> None:
        """With ``[ablations]``, runs proposed later may be the ones meant: a warning."""
        project = load(tmp_path, _RULE + 'runs = ["A*"]\n[ablations]\ncommand = ["true"]\n')
        assert [(w.line, w.message) for w in project.warnings if "A*" in w.message] == [
            (5, "metrics.extract[0].runs: 'A*' matches no run (runs: R001, R002, R003, R004, R005)")
        ]


_METRIC_PLAN = """# Experiment Plan

## Experiment Blocks

### Block 1: Main
- **Compared systems**: A, B
- **Metrics**: Primary: test accuracy; secondary: macro-F1
- **Success criterion**: A accuracy > B accuracy

## Run Order and Milestones

| Milestone | Goal | Runs |
|---|---|---|
| M1 | Main | Block 1 |
"""


class TestPrimary:
    @pytest.mark.parametrize(("primary", "warned"), [("acuracy", True), ("accuracy", False)])
    def test_a_primary_named_nowhere_is_warned_about(
        self, tmp_path: Path, primary: str, warned: bool
    ) -> None:
        """A typo'd primary gets a warning at its line with the closest name; a real one none."""
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(_METRIC_PLAN)
        (tmp_path / "bridge.toml").write_text(f'[metrics]\nprimary = "{primary}"\n')
        found = [w for w in load_project(tmp_path).warnings if "primary" in w.message]
        assert [w.line for w in found] == ([2] if warned else [])
        assert all("did you mean 'accuracy'" in w.message for w in found)


class TestMetricUnits:
    """``[metrics] units`` says the scale a metric's values are written on (027's hit rate)."""

    def test_units_are_read(self, tmp_path: Path) -> None:
        project = load(tmp_path, '[metrics]\nunits = { grad_clipping_hit_rate = "percent" }\n')
        assert project.config.metrics.units == {"grad_clipping_hit_rate": "percent"}

    @pytest.mark.parametrize(
        ("toml", "words"),
        [
            (
                '[metrics]\nunits = { hit_rate = "percnt" }\n',
                "metrics.units.hit_rate = 'percnt' is not one of percent, fraction; did you mean "
                "'percent'?",
            ),
            ("[metrics]\nunits = { hit_rate = 5 }\n", "metrics.units.hit_rate must be a string"),
        ],
    )
    def test_a_unit_that_is_none_names_file_and_line(
        self, tmp_path: Path, toml: str, words: str
    ) -> None:
        with pytest.raises(ConfigError) as caught:
            load(tmp_path, toml)
        assert caught.value.line == 2
        assert words in str(caught.value)
