"""
The ``[backends.modal]`` settings of ``bridge.toml``.

Credentials are not settings: the Modal SDK reads them from its own environment variables
(``MODAL_TOKEN_ID``/``MODAL_TOKEN_SECRET``) or from the profile in ``~/.modal.toml``, so they never
pass through bridge's configuration, events or logs.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any  # Any: TOML values

import attrs

from bridge.adapters.backends.modal.requirements import requirement_problem
from bridge.errors import ConfigError

__all__ = ["ModalConfig", "ModalSecret", "parse_gpu"]

_PREFIX = "backends.modal"
_KEYS = (
    "app",
    "function",
    "environment",
    "gpu",
    "timeout",
    "volume",
    "mount_path",
    "secrets",
    "poll_interval_seconds",
    "slots",
    "requirements",
    "packages",
)
_SECRET_KEYS = ("name", "required_keys")
# Modal object names: letters, digits, dashes, underscores and dots (modal's check_object_name).
_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def parse_gpu(value: str) -> tuple[str, int]:
    """
    Split a Modal GPU string (``"A100-80GB"``, ``"H100:4"``) into (upper-cased type, count).

    Args:
        value: the GPU string as Modal's ``gpu=`` argument takes it.

    Returns:
        The type in upper case (Modal reports types case-insensitively) and the count.

    Raises:
        ValueError: the count is not a positive integer or the type is empty.
    """
    kind, _, count_text = value.strip().partition(":")
    count = int(count_text) if count_text else 1
    if not kind or count < 1:
        raise ValueError(value)
    return kind.upper(), count


@attrs.frozen(kw_only=True)
class ModalSecret:
    """
    A Modal Secret the deployed function must carry, and the keys it must hold.
    """

    name: str
    required_keys: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class ModalConfig:
    """
    How to reach the user's deployed launcher function, and what it must look like.

    Attributes:
        app: the deployed Modal app's name.
        function: the launcher function's name inside that app.
        environment: the Modal environment, ``None`` for the profile's default.
        gpu: the GPU(s) the function must be deployed with, in ranked order
            (``(("A100-80GB", 1),)``); ``None`` to accept whatever it has.
        timeout_seconds: the deployed function timeout that must match; ``None`` to accept any.
        volume: the Modal Volume holding attempt markers, logs and outputs.
        mount_path: where the function mounts ``volume`` (absolute path in the container).
        secrets: Secrets the function must carry, each with its required keys.
        poll_interval_seconds: how long ``wait`` sleeps between polls.
        slots: how many attempts may run on Modal at once.
        requirements: a pip requirements file (relative to the project) whose packages the
            function's image must hold; checked before launching, ``None`` for no file.
        packages: requirement strings (``"torch>=2.1"``) the image must satisfy, likewise.
    """

    app: str
    function: str
    volume: str
    mount_path: str = "/bridge"
    environment: str | None = None
    gpu: tuple[tuple[str, int], ...] | None = None
    timeout_seconds: int | None = None
    secrets: tuple[ModalSecret, ...] = ()
    poll_interval_seconds: float = 30.0
    slots: int = 1
    requirements: str | None = None
    packages: tuple[str, ...] = ()

    @classmethod
    def from_table(
        cls,
        table: Mapping[str, Any],
        *,
        file: str | None = None,
        line_of: Callable[[str], int | None] | None = None,
    ) -> ModalConfig:
        """
        Build the configuration from the parsed ``[backends.modal]`` TOML table.

        Args:
            table: the table's keys and values, as ``tomllib`` returns them.
            file: the configuration file's path, for error messages.
            line_of: maps a dotted setting name to its 1-based line in ``file``, when known.

        Returns:
            The validated configuration.

        Raises:
            ConfigError: a required setting is missing, a value has the wrong type or form, or a
                key is unknown (the message suggests the closest valid key).
        """

        def fail(key: str, message: str) -> ConfigError:
            setting = f"{_PREFIX}.{key}"
            line = line_of(setting) if line_of is not None else None
            return ConfigError(f"{setting}: {message}", setting=setting, file=file, line=line)

        for key in table:
            if key not in _KEYS:
                close = difflib.get_close_matches(key, _KEYS, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise fail(key, f"unknown setting{hint} (valid: {', '.join(_KEYS)})")

        def name(key: str, *, required: bool) -> str | None:
            value = table.get(key)
            if value is None:
                if required:
                    raise fail(key, "is required (the name of the deployed Modal object)")
                return None
            if not isinstance(value, str) or not _NAME.match(value):
                raise fail(
                    key, f"must be a Modal name (letters, digits, '-', '_', '.'), not {value!r}"
                )
            return value

        app = name("app", required=True)
        function = name("function", required=True)
        volume = name("volume", required=True)
        environment = name("environment", required=False)
        assert app is not None and function is not None and volume is not None

        mount_path = table.get("mount_path", "/bridge")
        if not isinstance(mount_path, str) or not mount_path.startswith("/") or mount_path == "/":
            raise fail("mount_path", f"must be an absolute path other than '/', not {mount_path!r}")
        mount_path = mount_path.rstrip("/")

        gpu: tuple[tuple[str, int], ...] | None = None
        if "gpu" in table:
            raw = table["gpu"]
            items = [raw] if isinstance(raw, str) else raw
            if (
                not isinstance(items, list)
                or not items
                or not all(isinstance(g, str) for g in items)
            ):
                raise fail("gpu", f"must be a GPU string like 'A100-80GB' or 'H100:2', not {raw!r}")
            try:
                gpu = tuple(parse_gpu(g) for g in items)
            except ValueError as exc:
                raise fail("gpu", f"'{exc}' is not a GPU like 'A100-80GB' or 'H100:2'") from None

        timeout = table.get("timeout")
        if timeout is not None and (
            isinstance(timeout, bool) or not isinstance(timeout, int) or timeout <= 0
        ):
            raise fail("timeout", f"must be a positive number of seconds, not {timeout!r}")

        poll = table.get("poll_interval_seconds", 30.0)
        if isinstance(poll, bool) or not isinstance(poll, int | float) or poll <= 0:
            raise fail("poll_interval_seconds", f"must be a positive number, not {poll!r}")

        slots = table.get("slots", 1)
        if isinstance(slots, bool) or not isinstance(slots, int) or slots < 1:
            raise fail("slots", f"must be a positive integer, not {slots!r}")

        secrets: list[ModalSecret] = []
        raw_secrets = table.get("secrets", [])
        if not isinstance(raw_secrets, list):
            raise fail("secrets", "must be a list of tables {name = ..., required_keys = [...]}")
        for index, entry in enumerate(raw_secrets):
            where = f"secrets[{index}]"
            if not isinstance(entry, Mapping):
                raise fail(where, "must be a table {name = ..., required_keys = [...]}")
            for key in entry:
                if key not in _SECRET_KEYS:
                    close = difflib.get_close_matches(key, _SECRET_KEYS, n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    raise fail(f"{where}.{key}", f"unknown setting{hint}")
            secret_name = entry.get("name")
            if not isinstance(secret_name, str) or not _NAME.match(secret_name):
                raise fail(f"{where}.name", f"must be a Modal Secret name, not {secret_name!r}")
            keys = entry.get("required_keys", [])
            if not isinstance(keys, list) or not all(isinstance(k, str) and k for k in keys):
                raise fail(f"{where}.required_keys", "must be a list of key names")
            secrets.append(ModalSecret(name=secret_name, required_keys=tuple(keys)))

        requirements = table.get("requirements")
        if requirements is not None and (not isinstance(requirements, str) or not requirements):
            raise fail(
                "requirements", f"must be the path of a requirements file, not {requirements!r}"
            )
        packages = table.get("packages", [])
        if not isinstance(packages, list) or not all(isinstance(p, str) for p in packages):
            raise fail("packages", f"must be a list of requirement strings, not {packages!r}")
        for index, text in enumerate(packages):
            problem = requirement_problem(text)
            if problem:
                raise fail(f"packages[{index}]", problem)

        return cls(
            app=app,
            function=function,
            volume=volume,
            mount_path=mount_path,
            environment=environment,
            gpu=gpu,
            timeout_seconds=timeout,
            secrets=tuple(secrets),
            poll_interval_seconds=float(poll),
            slots=slots,
            requirements=requirements,
            packages=tuple(packages),
        )
