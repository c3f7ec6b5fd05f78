"""
The one settings reader (bridge/plan/settings.py): how any section's attrs class is read from
its TOML table, and how each mistake is named.
"""

from __future__ import annotations

import tomllib

import attrs
import pytest

from bridge.errors import ConfigError
from bridge.plan import setting_rules as rules
from bridge.plan.setting_fields import setting
from bridge.plan.settings import Section, SettingsTable
from bridge.plan.toml_lines import key_lines, line_of


@attrs.frozen(kw_only=True)
class Entry:
    name: str
    size: int = 1


@attrs.frozen(kw_only=True)
class Toy(Section):
    SECTION = "toy"

    count: int = 0
    ratio: float = 1.0
    on: bool = False
    tags: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()
    token_env: str = attrs.field(default="", metadata=setting(secret=True))
    wait: float = attrs.field(
        default=5.0, metadata=setting(read=rules.positive_seconds, key="wait_s")
    )
    index: int = attrs.field(default=0, metadata=setting(internal=True))

    def checked(self, reader: SettingsTable) -> Toy:
        if self.on and not self.tags:
            reader.fail("tags", "toy.tags is needed with toy.on")
        return self


def read(text: str) -> Toy:
    lines = key_lines(text)
    table = tomllib.loads(text)["toy"]
    return Toy.from_table(table, file="bridge.toml", line_of=lambda name: line_of(lines, name))


def refused(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        read(text)
    return info.value


class TestStructure:
    def test_values_defaults_and_renamed_keys(self) -> None:
        """Keys become fields (wait_s is the key of wait); absent keys keep the class defaults."""
        toy = read(
            '[toy]\ncount = 2\nratio = 3\ntags = ["a"]\nwait_s = 2\n[[toy.entries]]\nname = "e"\n'
        )
        assert toy == Toy(count=2, ratio=3.0, tags=("a",), wait=2.0, entries=(Entry(name="e"),))

    @pytest.mark.parametrize(
        ("text", "line", "setting", "message"),
        [
            ("[toy]\ncount = '3'\n", 2, "toy.count", "toy.count must be an integer, not '3'"),
            ("[toy]\ncount = true\n", 2, "toy.count", "toy.count must be an integer, not true"),
            ("[toy]\non = 1\n", 2, "toy.on", "toy.on must be true or false, not 1"),
            ('[toy]\ntags = "a"\n', 2, "toy.tags", "toy.tags must be a list, not 'a'"),
            ("[toy]\nwait_s = 0\n", 2, "toy.wait_s", "must be a positive number of seconds, not 0"),
            (
                '[toy]\n[[toy.entries]]\nname = "a"\n[[toy.entries]]\nsize = 2\n',
                4,
                "toy.entries[1].name",
                "toy.entries[1].name is required",
            ),
            (
                "[toy]\nentries = 3\n",
                2,
                "toy.entries",
                "toy.entries must be an array of tables ([[toy.entries]])",
            ),
            ("[toy]\non = true\n", 1, "toy.tags", "toy.tags is needed with toy.on"),
        ],
    )
    def test_a_wrong_value_names_its_setting_line_and_value(
        self, text: str, line: int, setting: str, message: str
    ) -> None:
        """A wrong value, a missing key or a failed check names the setting, line and value."""
        error = refused(text)
        assert (error.file, error.line, error.setting) == ("bridge.toml", line, setting)
        assert message in error.message

    def test_the_first_unknown_key_in_the_file_is_named(self) -> None:
        """Of two unknown keys the one written first is refused, with the closest valid key."""
        error = refused("[toy]\nzcount = 1\naaa = 2\n")
        assert (error.line, error.setting) == (2, "toy.zcount")
        assert error.message.startswith("unknown setting toy.zcount; did you mean 'count'? (valid:")
        assert "index" not in error.message  # set by code, not a key

    def test_an_unknown_key_wins_over_a_wrong_value(self) -> None:
        """A misspelt key is reported before a wrong value elsewhere (it is the likelier cause)."""
        assert refused("[toy]\ncount = 'x'\n[[toy.entries]]\nnmae = 'e'\n").setting == (
            "toy.entries[0].nmae"
        )

    def test_a_secret_value_is_never_quoted(self) -> None:
        """A secret setting of the wrong type is refused without its value."""
        error = refused("[toy]\ntoken_env = 123456789\n")
        assert error.setting == "toy.token_env"
        assert "123456789" not in str(error)


class TestKeyByKey:
    def test_value_is_named_like_structure(self) -> None:
        """SettingsTable.value reads one key with a rule and names a refusal the same way."""
        reader = SettingsTable("notify", {"events": "x"}, file="b.toml", line_of=lambda _: 7)
        assert reader.value("absent", rules.string_list, None) is None
        with pytest.raises(ConfigError) as info:
            reader.value("events", rules.string_list, None)
        assert str(info.value) == "b.toml:7: notify.events must be a list of strings, not 'x'"

    def test_a_rule_that_must_not_quote(self) -> None:
        """An environment variable's name is refused without echoing what was written."""
        reader = SettingsTable("reviewer", {"api_key_env": "sk-secret value"})
        with pytest.raises(ConfigError) as info:
            reader.value("api_key_env", rules.env_name, None)
        assert "sk-secret" not in str(info.value)
