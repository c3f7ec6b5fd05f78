"""
``[bridge]`` options: one declaration per option, read by the one settings reader in every
layer (``bridge.toml``, the plan's override line, the override line argument, ``-o``/keywords),
with the same spellings accepted and the same errors, named for the layer they came from.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from bridge.errors import ConfigError
from bridge.plan import Options, load_project, parse_override_line
from bridge.plan.options import OptionLayer, apply_options
from bridge.plan.setting_fields import rule_of
from tests.conftest import REPO_ROOT
from tests.e2e.tiny import PLAN, TRACKER

TRUE = ["true", "True", " yes ", "on", "1", "y", "YES"]
FALSE = ["false", "no", "Off", "0", "n", " FALSE "]


def project(root: Path, toml: str = "", plan_extra: str = "") -> Path:
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(PLAN + plan_extra)
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER)
    if toml:
        (root / "bridge.toml").write_text(toml)
    return root


def plan_line_number(root: Path) -> int:
    lines = (root / "refine-logs" / "EXPERIMENT_PLAN.md").read_text().splitlines()
    return next(n for n, text in enumerate(lines, start=1) if text.startswith("—"))


class TestBridgeTomlThroughTheSharedReader:
    def test_unknown_key_is_named_like_every_section(self, tmp_path: Path) -> None:
        """A misspelt [bridge] key: file:line, bridge.<key>, did-you-mean and every option."""
        project(tmp_path, "[bridge]\nmax_parallel = 2\n\nauto_deploi = true\n")
        with pytest.raises(ConfigError) as info:
            load_project(tmp_path)
        error = info.value
        assert (error.file, error.line, error.setting) == ("bridge.toml", 4, "bridge.auto_deploi")
        assert error.message.startswith(
            "unknown setting bridge.auto_deploi; did you mean 'auto_deploy'? (valid: auto_deploy,"
        )
        assert "main_milestone)" in error.message  # every option listed, in declaration order

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            ("max_parallel = 'many'", "bridge.max_parallel must be a whole number, not 'many'"),
            ("max_parallel = 2.5", "bridge.max_parallel must be a whole number, not 2.5"),
            ("max_parallel = 0", "bridge.max_parallel must be at least 1, not 0"),
            ("max_parallel = true", "bridge.max_parallel must be a whole number, not true"),
            ("compact = 'maybe'", "bridge.compact must be true or false, not 'maybe'"),
            ("base_repo = 3", "bridge.base_repo must be a string, not 3"),
            (
                "backend = 'kubernetes'",
                "bridge.backend = 'kubernetes' is not one of: local, ssh, slurm, vast, modal",
            ),
            ("language = 'fr'", "bridge.language = 'fr' is not one of: auto, en, zh"),
            # As TOML writes it, not Python's `True` (session 39).
            ("language = true", "bridge.language must be one of: auto, en, zh, not true"),
        ],
    )
    def test_a_wrong_value_names_the_setting_and_its_line(
        self, tmp_path: Path, line: str, message: str
    ) -> None:
        """A value its option does not take is refused at its line, naming bridge.<key>."""
        project(tmp_path, f"[run]\ncommand = 'python t.py'\n\n[bridge]\n{line}\n")
        with pytest.raises(ConfigError) as info:
            load_project(tmp_path)
        assert str(info.value) == f"bridge.toml:5: {message}"

    def test_other_spellings_of_keys_and_values_are_read_as_before(self, tmp_path: Path) -> None:
        """Keys with hyphens or case, and values written as text, are read as they always were."""
        project(
            tmp_path,
            '[bridge]\nmax-parallel = "3"\nAuto_Deploy = "no"\nbase_repo = " https://x/y "\n',
        )
        options = load_project(tmp_path).options
        assert (options.max_parallel, options.auto_deploy, options.base_repo) == (
            3,
            False,
            "https://x/y",
        )

    def test_a_misspelt_key_in_another_spelling_keeps_its_line(self, tmp_path: Path) -> None:
        """`max-paralel` on line 3 is refused at line 3 (the key is found under its spelling)."""
        project(tmp_path, "[bridge]\ncompact = true\nmax-paralel = 2\n")
        with pytest.raises(ConfigError) as info:
            load_project(tmp_path)
        assert info.value.line == 3
        assert "did you mean 'max_parallel'?" in info.value.message

    def test_two_spellings_of_one_option_are_refused(self, tmp_path: Path) -> None:
        """max_parallel and max-parallel in one table: refused at the second, not one dropped."""
        project(tmp_path, "[bridge]\nmax_parallel = 2\n\nmax-parallel = 3\n")
        with pytest.raises(ConfigError) as info:
            load_project(tmp_path)
        assert str(info.value) == (
            "bridge.toml:4: bridge.max_parallel and bridge.max-parallel both set max_parallel; "
            "keep one"
        )


class TestLayersOfText:
    @pytest.mark.parametrize(
        ("text", "expected"), [(t, True) for t in TRUE] + [(f, False) for f in FALSE]
    )
    def test_every_switch_spelling_is_accepted_in_every_layer(
        self, text: str, expected: bool
    ) -> None:
        """true/yes/on/1/y and false/no/off/0/n, in any case, are read the same by every layer."""
        for layer in ("-o", "the override line"):
            options = apply_options(Options(), {"compact": text}, OptionLayer(name=layer))
            assert options.compact is expected

    @pytest.mark.parametrize(
        ("values", "message"),
        [
            ({"max_parallel": "zero"}, "-o: max_parallel must be a whole number, not 'zero'"),
            ({"max_parallel": "0"}, "-o: max_parallel must be at least 1, not 0"),
            ({"max_parallel": 3.0}, "-o: max_parallel must be a whole number, not 3.0"),
            (
                {"auto deploy": "perhaps"},
                "-o: auto_deploy must be true or false, not 'perhaps'",
            ),
            (
                {"backend": "kubernetes"},
                "-o: backend = 'kubernetes' is not one of: local, ssh, slurm, vast, modal",
            ),
            (
                {"max_parallel": "2", "Max-Parallel": "3"},
                "-o: max_parallel and Max-Parallel both set max_parallel; keep one",
            ),
        ],
    )
    def test_a_wrong_string_names_the_option_and_the_layer(
        self, values: dict[str, object], message: str
    ) -> None:
        """A value a string layer gives that its option does not take names both."""
        with pytest.raises(ConfigError) as info:
            apply_options(Options(), values, OptionLayer(name="-o"))
        assert info.value.message == message
        assert info.value.setting is not None and info.value.setting in message

    def test_an_unknown_string_key_gets_the_closest_option(self) -> None:
        """An unknown key in a layer of text is named with the closest option and the layer."""
        with pytest.raises(ConfigError) as info:
            apply_options(Options(), {"max paralel": "2"}, OptionLayer(name="-o"))
        assert info.value.setting == "max_paralel"
        assert info.value.message.startswith(
            "-o: unknown option max_paralel; did you mean 'max_parallel'? (valid: auto_deploy,"
        )

    def test_the_plans_override_line_names_its_file_and_line(self, tmp_path: Path) -> None:
        """A bad value in the plan's override line is refused at that line of the plan."""
        project(tmp_path, plan_extra="\n— compact: true, max parallel: lots\n")
        with pytest.raises(ConfigError) as info:
            load_project(tmp_path)
        error = info.value
        assert (error.file, error.line) == (
            "refine-logs/EXPERIMENT_PLAN.md",
            plan_line_number(tmp_path),
        )
        assert error.message == ("override line: max_parallel must be a whole number, not 'lots'")

    def test_a_layer_keeps_what_it_does_not_set(self) -> None:
        """A layer changes only the options it names; the rest keep the values below it."""
        below = apply_options(
            Options(), {"backend": "ssh", "budget": "enforce"}, OptionLayer(name="a")
        )
        above = apply_options(below, {"budget": "warn"}, OptionLayer(name="b"))
        assert (above.backend, above.budget) == ("ssh", "warn")


class TestOverrideLine:
    def test_a_urls_colon_stays_in_its_value(self) -> None:
        """`base repo: https://…` keeps the URL whole; `=` separates as well as `:`."""
        assert parse_override_line(
            "— compact: true, base repo: https://github.com/org/p, max-parallel = 3"
        ) == {"compact": "true", "base repo": "https://github.com/org/p", "max-parallel": "3"}

    def test_one_key_twice_is_refused_at_the_plans_line(self, tmp_path: Path) -> None:
        """`budget: enforce, …, budget: warn` is refused, naming both values, not one dropped."""
        project(tmp_path, plan_extra="\n— budget: enforce, compact: true, budget: warn\n")
        with pytest.raises(ConfigError) as info:
            load_project(tmp_path)
        error = info.value
        assert (error.file, error.line, error.setting) == (
            "refine-logs/EXPERIMENT_PLAN.md",
            plan_line_number(tmp_path),
            "budget",
        )
        assert error.message == (
            "override line: budget is set twice ('enforce', then 'warn'); keep one"
        )

    def test_a_line_without_pairs_is_refused(self) -> None:
        """A line with no `key: value` is a ConfigError quoting it."""
        with pytest.raises(ConfigError, match="cannot read the override line"):
            parse_override_line("— nothing to see")


class TestOneDeclaration:
    def test_a_value_given_in_code_is_checked_by_the_same_rule(self) -> None:
        """Options(max_parallel=0) is refused by the rule every layer uses."""
        with pytest.raises(ConfigError, match="max_parallel must be at least 1, not 0"):
            Options(max_parallel=0)
        with pytest.raises(ConfigError, match="compact cannot be 'yes'"):
            Options(compact="yes")  # type: ignore[arg-type]  # a string where a bool belongs

    def test_every_option_declares_how_it_is_read_and_what_it_does(self) -> None:
        """Each option has a read function and a help phrase in its one declaration."""
        for field in attrs.fields(Options):
            rule = rule_of(field)
            assert rule.read is not None, field.name
            assert rule.help, field.name

    def test_the_configuration_page_lists_each_option_with_its_default(self) -> None:
        """docs/configuration.md's option table has one row per option, with its default."""
        page = (REPO_ROOT / "docs" / "configuration.md").read_text()
        rows = dict(
            re.findall(r"^\| `(\w+)` \| (?:[^|\\]|\\\|)+ \| (`[^`]*`) \|", page, re.MULTILINE)
        )
        for field in attrs.fields(Options):
            default = field.default
            shown = str(default).lower() if isinstance(default, bool) else str(default)
            expected = f'`"{shown}"`' if field.type in (str, "str") and not shown else f"`{shown}`"
            assert rows.get(field.name) == expected, field.name
