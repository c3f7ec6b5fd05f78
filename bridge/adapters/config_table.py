"""
Reading one ``bridge.toml`` table into typed values, with errors that name the setting.

Tables arrive from the configuration loader as plain mappings. Every error is a
:class:`bridge.errors.ConfigError` carrying the dotted setting name, the file and the line (when
the loader can tell it through ``line_of``). Values are never quoted back in messages for keys
that may hold secrets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import NoReturn

from bridge.errors import ConfigError

__all__ = ["ENV_NAME", "TableReader"]

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class TableReader:
    """
    Typed access to one table, e.g. ``[reviewer]``.

    Args:
        section: the table's name (``reviewer``); settings are named ``section.key``.
        table: the table's contents.
        file: the configuration file, for messages.
        line_of: gives the 1-based line of a dotted setting name, or ``None`` when unknown.
    """

    def __init__(
        self,
        section: str,
        table: Mapping[str, object],
        *,
        file: str | None = None,
        line_of: Callable[[str], int | None] | None = None,
    ) -> None:
        self.section = section
        self.table = table
        self.file = file
        self.line_of = line_of

    def setting(self, key: str) -> str:
        """
        Return the dotted name of ``key`` (``reviewer.base_url``).
        """
        return f"{self.section}.{key}"

    def fail(self, key: str, message: str) -> NoReturn:
        """
        Raise a ConfigError about ``key``.

        Raises:
            ConfigError: always.
        """
        setting = self.setting(key) if key else self.section
        line = self.line_of(setting) if self.line_of else None
        raise ConfigError(message, setting=setting, file=self.file, line=line)

    def reject_unknown(self, known: Iterable[str]) -> None:
        """
        Refuse keys not in ``known`` (a typo must not silently fall back to a default).

        Raises:
            ConfigError: naming the first unknown key and the known ones.
        """
        allowed = set(known)
        for key in sorted(self.table):
            if key not in allowed:
                self.fail(
                    key,
                    f"unknown setting {self.setting(key)}; known: " + ", ".join(sorted(allowed)),
                )

    def text(self, key: str, default: str | None = None) -> str | None:
        """
        Return a string setting, or ``default`` when absent.

        Raises:
            ConfigError: present but not a non-empty string.
        """
        if key not in self.table:
            return default
        value = self.table[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"{self.setting(key)} must be a non-empty string")
        return value.strip()

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        """
        Return a string setting that must be one of ``choices``.

        Raises:
            ConfigError: not one of them.
        """
        value = self.text(key, default)
        assert value is not None
        if value not in choices:
            self.fail(
                key,
                f"{self.setting(key)} = {value!r} is not one of: " + ", ".join(choices),
            )
        return value

    def number(self, key: str, default: float, *, minimum: float = 0.0) -> float:
        """
        Return a number setting greater than ``minimum``.

        Raises:
            ConfigError: not a number, or not greater than ``minimum``.
        """
        if key not in self.table:
            return default
        value = self.table[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= minimum:
            self.fail(key, f"{self.setting(key)} must be a number greater than {minimum:g}")
        return float(value)

    def count(self, key: str, default: int) -> int:
        """
        Return a non-negative integer setting.

        Raises:
            ConfigError: not an integer, or negative.
        """
        if key not in self.table:
            return default
        value = self.table[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(key, f"{self.setting(key)} must be a whole number, 0 or more")
        return value

    def argv(self, key: str) -> tuple[str, ...] | None:
        """
        Return a command setting: a non-empty list of strings (an argv; never a shell line).

        Raises:
            ConfigError: a string, an empty list, or a list with non-strings.
        """
        if key not in self.table:
            return None
        value = self.table[key]
        if isinstance(value, str):
            self.fail(
                key,
                f"{self.setting(key)} must be a list of arguments "
                '(e.g. ["codex", "exec", "{prompt_file}"]), not one string',
            )
        if (
            not isinstance(value, list | tuple)
            or not value
            or not all(isinstance(a, str) and a for a in value)
        ):
            self.fail(key, f"{self.setting(key)} must be a non-empty list of non-empty strings")
        return tuple(value)

    def env_name(self, key: str) -> str | None:
        """
        Return the name of an environment variable (the variable itself is read elsewhere).

        Raises:
            ConfigError: not a valid variable name (the value is not echoed: it may be a key).
        """
        if key not in self.table:
            return None
        value = self.table[key]
        if not isinstance(value, str) or not ENV_NAME.match(value):
            self.fail(
                key,
                f"{self.setting(key)} must be the NAME of an environment variable "
                "(letters, digits, _), not the secret itself",
            )
        return value

    def strings(self, key: str) -> tuple[str, ...] | None:
        """
        Return a list-of-strings setting.

        Raises:
            ConfigError: not a list of strings.
        """
        if key not in self.table:
            return None
        value = self.table[key]
        if not isinstance(value, list | tuple) or not all(isinstance(a, str) for a in value):
            self.fail(key, f"{self.setting(key)} must be a list of strings")
        return tuple(value)
