"""
The [backends.modal] table.
"""

from __future__ import annotations

import tomllib

import pytest

from bridge.adapters.backends.modal.config import ModalConfig, ModalSecret, parse_gpu
from bridge.errors import ConfigError

TOML = """\
[backends.modal]
app = "bridge-runs"
function = "run_attempt"
environment = "research"
gpu = "a100-80gb"
timeout = 21600
volume = "runs-vol"
mount_path = "/bridge/"
poll_interval_seconds = 15
slots = 4
secrets = [{ name = "wandb", required_keys = ["WANDB_API_KEY"] }, { name = "hf" }]
requirements = "requirements.txt"
packages = ["torch>=2.1", "numpy"]
"""


def lines_of(text: str):
    def line_of(setting: str) -> int | None:
        key = setting.rsplit(".", 1)[-1].split("[", 1)[0]
        for number, line in enumerate(text.splitlines(), start=1):
            if line.startswith((f"{key} ", f"{key}=")):
                return number
        return None

    return line_of


def load(text: str) -> ModalConfig:
    table = tomllib.loads(text)["backends"]["modal"]
    return ModalConfig.from_table(table, file="bridge.toml", line_of=lines_of(text))


class TestModalConfig:
    def test_full_table(self):
        """Every setting is read, normalised and typed."""
        config = load(TOML)
        assert config == ModalConfig(
            app="bridge-runs",
            function="run_attempt",
            environment="research",
            gpu=(("A100-80GB", 1),),
            timeout_seconds=21600,
            volume="runs-vol",
            mount_path="/bridge",
            poll_interval_seconds=15.0,
            slots=4,
            secrets=(
                ModalSecret(name="wandb", required_keys=("WANDB_API_KEY",)),
                ModalSecret(name="hf", required_keys=()),
            ),
            requirements="requirements.txt",
            packages=("torch>=2.1", "numpy"),
        )

    def test_defaults(self):
        """Only app, function and volume are required."""
        config = ModalConfig.from_table({"app": "a", "function": "f", "volume": "v"})
        assert (config.mount_path, config.gpu, config.timeout_seconds, config.slots) == (
            "/bridge",
            None,
            None,
            1,
        )

    @pytest.mark.parametrize("key", ["app", "function", "volume"])
    def test_missing_required_setting(self, key: str):
        """A missing required setting is a ConfigError naming it."""
        table = {"app": "a", "function": "f", "volume": "v"}
        del table[key]
        with pytest.raises(ConfigError) as err:
            ModalConfig.from_table(table, file="bridge.toml")
        assert err.value.setting == f"backends.modal.{key}"
        assert "is required" in str(err.value)

    def test_unknown_key_suggests_closest(self):
        """An unknown key names the closest valid one, with file and line."""
        text = TOML.replace("timeout = 21600", "timout = 21600")
        with pytest.raises(ConfigError) as err:
            load(text)
        assert err.value.setting == "backends.modal.timout"
        assert "did you mean 'timeout'" in str(err.value)
        assert str(err.value).startswith("bridge.toml:6:")

    @pytest.mark.parametrize(
        ("line", "setting"),
        [
            ('gpu = "A100:0"', "backends.modal.gpu"),
            ("gpu = 3", "backends.modal.gpu"),
            ("timeout = -1", "backends.modal.timeout"),
            ('mount_path = "relative"', "backends.modal.mount_path"),
            ("poll_interval_seconds = 0", "backends.modal.poll_interval_seconds"),
            ("slots = 0", "backends.modal.slots"),
            ('app = "has space"', "backends.modal.app"),
            ('secrets = [{ name = "x", keys = ["A"] }]', "backends.modal.secrets[0].keys"),
            ('secrets = [{ required_keys = ["A"] }]', "backends.modal.secrets[0].name"),
            ('packages = ["numpy", "torch >>> 2"]', "backends.modal.packages[1]"),
            ('packages = "torch"', "backends.modal.packages"),
            ("requirements = 3", "backends.modal.requirements"),
        ],
    )
    def test_wrong_values_name_the_setting(self, line: str, setting: str):
        """A wrong value is a ConfigError naming the dotted setting."""
        key = line.split(" ", 1)[0]
        text = "\n".join(
            line if existing.startswith(f"{key} ") else existing for existing in TOML.splitlines()
        )
        with pytest.raises(ConfigError) as err:
            load(text)
        assert err.value.setting == setting

    def test_parse_gpu(self):
        """GPU strings split into upper-cased type and count."""
        assert parse_gpu("h100:4") == ("H100", 4)
        assert parse_gpu("T4") == ("T4", 1)
        with pytest.raises(ValueError):
            parse_gpu(":2")
