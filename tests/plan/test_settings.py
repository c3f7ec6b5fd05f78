"""
The one settings reader (bridge/plan/settings.py): how any section's attrs class is read from
its TOML table, and how each mistake is named.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import attrs
import pytest

from bridge.adapters.backends.slurm.config import SlurmConfig
from bridge.errors import ConfigError
from bridge.plan import load_project
from bridge.plan import setting_rules as rules
from bridge.plan.config import Config
from bridge.plan.config_reader import load_config
from bridge.plan.setting_fields import setting
from bridge.plan.settings import Section, SettingsTable
from bridge.plan.toml_lines import key_lines, line_of
from tests.conftest import SHARED, needs_shared


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


def _loaded(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "bridge.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


# Values of a wrong kind or empty, where an empty value means nothing, that bridge.toml's plan
# sections took without a word (018, session 37): (the toml, the refusal as said).
_SAYS_NOTHING = [
    (
        '[systems."joint"]\naliases = "JPH, JPH-RL"\n',
        "bridge.toml:2: systems.joint.aliases must be a list of strings, not 'JPH, JPH-RL'",
    ),
    (
        '[systems."joint"]\naliases = ["JPH", ""]\n',
        "bridge.toml:2: systems.joint.aliases[1] must be a non-empty string, not ''",
    ),
    (
        '[systems."joint"]\nblock = ""\n',
        "bridge.toml:2: systems.joint.block must be a non-empty string, not ''",
    ),
    (
        '[systems."joint"]\n',
        'bridge.toml:1: [systems."joint"] sets nothing: give it what its runs take (command, '
        "args, gpus, block, aliases, ...) or remove the table",
    ),
    ('[[runs]]\nid = ""\n', "bridge.toml:2: runs[0].id must be a non-empty string, not ''"),
    (
        '[[runs]]\nid = "X"\nsystem = true\n',
        "bridge.toml:3: runs[0].system must be a string or number, not true",
    ),
    (
        '[[runs]]\nid = "X"\nmilestone = " "\n',
        "bridge.toml:3: runs[0].milestone must be a non-empty string, not ' '",
    ),
    (
        '[[runs]]\nid = "X"\ndepends_on = "A, B"\n',
        "bridge.toml:3: runs[0].depends_on must be a list of strings, not 'A, B'",
    ),
    (
        '[[runs]]\nid = "X"\noutputs = ["m.json", ""]\n',
        "bridge.toml:3: runs[0].outputs[1] must be a non-empty string, not ''",
    ),
    ('[metrics]\nfiles = [""]\n', "bridge.toml:2: metrics.files[0] must be a non-empty string"),
    (
        '[metrics]\naliases = { acc = "" }\n',
        "bridge.toml:2: metrics.aliases.acc must be a non-empty string, not ''",
    ),
    ('[[metrics.regex]]\npattern = "a(b)"\n', "bridge.toml:1: metrics.regex[0].name is required"),
    (
        '[[metrics.regex]]\nname = "a"\npattern = "a(b)"\nfile = ""\n',
        "bridge.toml:4: metrics.regex[0].file must be a non-empty string, not ''",
    ),
    (
        '[grid]\naxes = { seed = [0] }\n[[grid.phases]]\nname = ""\n',
        "bridge.toml:4: grid.phases[0].name must be a non-empty string, not ''",
    ),
    # A boolean where a command-line value goes ("true"? "True"? "1"? the bare flag?) and an
    # empty argument in a command's list (session 38).
    (
        '[run]\ncommand = "python t.py --lr {lr}"\nargs = { lr = true }\n',
        "bridge.toml:3: run.args.lr = true is a boolean, which has no one spelling on a command "
        'line: write the text the script takes as a string ("true", "True", "1"), or write the '
        "flag itself in the command",
    ),
    (
        '[grid]\naxes = { seed = [0], amp = ["x", false] }\n',
        "bridge.toml:2: grid.axes.amp[1] = false is a boolean, which has no one spelling on a "
        'command line: write the text the script takes as a string ("false", "False", "0"), or '
        "write the flag itself in the command",
    ),
    # A prefix that is not text (`true001`, `7001` were the run ids: session 39).
    (
        "[grid]\nid_prefix = true\naxes = { seed = [0] }\n",
        "bridge.toml:2: grid.id_prefix must be a string, not true",
    ),
    (
        "[grid]\naxes = { seed = [0] }\nid_prefix = 7\n",
        "bridge.toml:3: grid.id_prefix must be a string, not 7",
    ),
    (
        '[run]\ncommand = ["python", ""]\n',
        "bridge.toml:2: run.command[1] must be a non-empty string, not ''",
    ),
    (
        '[backends.slurm]\nsbatch_args = ["--qos=low", ""]\n',
        "bridge.toml:2: backends.slurm.sbatch_args[1] must be a non-empty string, not ''",
    ),
]


class TestWhatSaysNothing:
    @pytest.mark.parametrize(("toml", "said"), _SAYS_NOTHING)
    def test_a_value_that_means_nothing_is_refused_at_its_line(
        self, tmp_path: Path, toml: str, said: str
    ) -> None:
        """018 (session 37): `aliases = "JPH"` where a list is asked, an empty id, block or
        name and an empty `[systems]` table were taken without a word; each is refused,
        naming the file, its line and the setting."""
        if toml.startswith("[backends."):
            # [backends.*] is kept raw by Config and read by its backend.
            config = _loaded(tmp_path, toml)
            with pytest.raises(ConfigError) as info:
                SlurmConfig.from_table(
                    config.backends["slurm"], file="bridge.toml", line_of=config.line_of
                )
        else:
            with pytest.raises(ConfigError) as info:
                _loaded(tmp_path, toml)
        assert str(info.value).startswith(said), str(info.value)

    def test_what_the_docs_allow_stays_allowed(self, tmp_path: Path) -> None:
        """An empty `cwd` (the project root, as the docs' example writes it), a switch written
        as a word, an empty list where empty means "none", an empty primary metric, a
        placeholder's value written as text, and a boolean in `env`."""
        config = _loaded(
            tmp_path,
            '[bridge]\ncompact = "yes"\n[run]\ncwd = ""\n[metrics]\nprimary = ""\n'
            '[systems."joint"]\naliases = []\ngpus = 0\n[[runs]]\nid = 7\ngpus = 1\n'
            '[grid]\naxes = { seed = [0] }\n[[grid.phases]]\nname = "a"\nmatch = []\n'
            '[run.args]\nlr = 0.1\namp = "true"\n[run.env]\nDEBUG = true\n',
        )
        # A boolean is refused where it goes on a command line, not in an environment.
        assert config.run.args == {"lr": "0.1", "amp": "true"}
        assert config.run.env == {"DEBUG": "true"}
        assert config.bridge == {"compact": "yes"}
        assert config.run.cwd == ""
        assert config.systems["joint"].aliases == ()
        assert config.runs[0].id == "7"


@needs_shared
@pytest.mark.parametrize(
    ("toml", "said"),
    [
        (
            '[[runs]]\nid = "JPH-B2-JT-S0"\n',
            "bridge.toml:1: runs[0] sets only its id 'JPH-B2-JT-S0', which changes nothing of "
            "that run: give it the settings it changes (command, gpus, block, ...), or remove "
            "the entry",
        ),
        (
            '[[runs]]\nid = "X1"\n',
            "bridge.toml:1: runs[0] sets only its id 'X1': no run has that id, and a run of its "
            "own needs a command, here or in [run]; give it one, or remove the entry",
        ),
        ('[run]\ncommand = "true"\n[[runs]]\nid = "X1"\n', ""),
        ('[run]\ncommand = "true"\n[[runs]]\nid = "JPH-B2-JT-S0"\n', ""),
    ],
)
def test_a_runs_entry_of_only_an_id(tmp_path: Path, toml: str, said: str) -> None:
    """018 (session 37): `[[runs]] id = "JPH-B2-JT-S0"` alone changed nothing of that run,
    and `id = "X1"` alone added a run with no command, each without a word (then "5 runs
    have no command"); both are refused at the entry. With `[run] command` a new id is a run
    of its own, launched by it, and a run's id alone a listing of a run it launches."""
    project = tmp_path / "p018"
    shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", project)
    (project / "bridge.toml").write_text(toml, encoding="utf-8")
    if not said:
        runs = {run.id: run for run in load_project(project).runs}
        assert runs[toml.split('id = "')[1].split('"')[0]].command == ("true",)
        return
    with pytest.raises(ConfigError) as info:
        load_project(project)
    assert str(info.value) == said
