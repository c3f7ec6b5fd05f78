"""
The ``[backends.modal]`` settings of ``bridge.toml``.

Credentials are not settings: the Modal SDK reads them from its own environment variables
(``MODAL_TOKEN_ID``/``MODAL_TOKEN_SECRET``) or from the profile in ``~/.modal.toml``, so they never
pass through bridge's configuration, events or logs.
"""

from __future__ import annotations

import attrs

from bridge.adapters.backends.modal.requirements import requirement_problem
from bridge.lazy_patterns import lazy
from bridge.plan import setting_rules as read
from bridge.plan.setting_fields import Invalid, Within, setting
from bridge.plan.settings import Section

__all__ = ["ModalConfig", "ModalSecret", "parse_gpu"]

# Modal object names: letters, digits, dashes, underscores and dots (modal's check_object_name).
_NAME = lazy(r"^[A-Za-z0-9._-]{1,64}$")


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


def _name(value: object) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise Invalid("must be a Modal name (letters, digits, '-', '_', '.')", value)
    return value


def _gpus(value: object) -> tuple[tuple[str, int], ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(g, str) for g in items):
        raise Invalid("must be a GPU string like 'A100-80GB' or 'H100:2'", value)
    try:
        return tuple(parse_gpu(g) for g in items)
    except ValueError as exc:
        raise Invalid(f"has '{exc}', which is not a GPU like 'A100-80GB' or 'H100:2'") from None


def _mount_path(value: object) -> str:
    if not isinstance(value, str) or not value.startswith("/") or value == "/":
        raise Invalid("must be an absolute path other than '/'", value)
    return value.rstrip("/")


def _key_names(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(k, str) and k for k in value):
        raise Invalid("must be a list of key names")
    return tuple(value)


def _requirements_file(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise Invalid("must be the path of a requirements file", value)
    return value


def _packages(value: object) -> tuple[str, ...]:
    packages = read.string_list(value)
    for index, text in enumerate(packages):
        problem = requirement_problem(text)
        if problem:
            raise Within(index, Invalid(f"= {problem}"))
    return packages


_NAMED = setting(read=_name)


@attrs.frozen(kw_only=True)
class ModalSecret:
    """
    A Modal Secret the deployed function must carry, and the keys it must hold.
    """

    name: str = attrs.field(metadata=_NAMED)
    required_keys: tuple[str, ...] = attrs.field(default=(), metadata=setting(read=_key_names))


@attrs.frozen(kw_only=True)
class ModalConfig(Section):
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

    SECTION = "backends.modal"

    app: str = attrs.field(metadata=_NAMED)
    function: str = attrs.field(metadata=_NAMED)
    volume: str = attrs.field(metadata=_NAMED)
    mount_path: str = attrs.field(default="/bridge", metadata=setting(read=_mount_path))
    environment: str | None = attrs.field(default=None, metadata=_NAMED)
    gpu: tuple[tuple[str, int], ...] | None = attrs.field(
        default=None, metadata=setting(read=_gpus)
    )
    timeout_seconds: int | None = attrs.field(
        default=None, metadata=setting(read=read.whole(1), key="timeout")
    )
    secrets: tuple[ModalSecret, ...] = ()
    poll_interval_seconds: float = attrs.field(
        default=30.0, metadata=setting(read=read.positive_seconds)
    )
    slots: int = attrs.field(default=1, metadata=setting(read=read.whole(1)))
    requirements: str | None = attrs.field(default=None, metadata=setting(read=_requirements_file))
    packages: tuple[str, ...] = attrs.field(default=(), metadata=setting(read=_packages))
