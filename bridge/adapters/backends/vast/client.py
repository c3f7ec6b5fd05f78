"""
The edge between bridge and the vastai SDK: the API key, the calls the backend needs, and the
translation of HTTP failures into :mod:`bridge.errors`.

``VastAI`` is made with ``retry=1`` so that rate limits (HTTP 429) come back here, where they
are retried under the one retry policy (:mod:`bridge.adapters.retry`): ``Retry-After`` is
honoured up to a bound. The key is read from the
environment variable the configuration names (or the vastai key file) and handed only to the
SDK; it never appears in a message, a log line or an event.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar  # Any: the vastai SDK's untyped answers

import attrs
import requests

from bridge.adapters import retry
from bridge.adapters.backends.vast.config import VastConfig
from bridge.errors import BackendConfigError, BackendError, BackendUnavailable

__all__ = ["DEAD", "Endpoint", "InstanceRow", "Offer", "VastApi", "VastClient", "resolve_api_key"]

T = TypeVar("T")

#: Vast states an instance never comes back from on its own (notes/backends.md §2.4).
DEAD = frozenset({"exited", "offline", "unknown"})
_RATE_LIMIT_TRIES = 5
_MAX_RETRY_AFTER = 60.0
_REQUEST_TIMEOUT = 60.0


class VastClient(Protocol):
    """
    The part of ``vastai.VastAI`` the backend calls (the seam tests may fill another way).
    """

    def search_offers(self, query: Any = None, type: str = ..., order: str = ...) -> Any:
        """Return the offers matching ``query`` sorted by ``order``."""
        ...

    def create_instance(self, id: int, **kwargs: Any) -> Any:
        """Rent offer ``id``; return ``{"success": true, "new_contract": <instance id>}``."""
        ...

    def show_instance(self, id: int) -> Any:
        """Return the instance row, or ``None`` when the API does not know it."""
        ...

    def show_instances(self) -> Any:
        """Return every instance of the account."""
        ...

    def destroy_instance(self, id: int) -> Any:
        """Destroy the instance."""
        ...


@attrs.frozen(kw_only=True)
class Offer:
    """
    One rentable machine from a search: its offer id, price and GPUs.
    """

    id: int
    dph: float
    num_gpus: int
    gpu_name: str = ""


@attrs.frozen(kw_only=True)
class Endpoint:
    """
    Where an instance's SSH server answers: ``kind`` is ``direct`` or ``proxy``.
    """

    host: str
    port: int
    kind: str

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@attrs.frozen(kw_only=True)
class InstanceRow:
    """
    The fields of an instance the backend uses.

    Attributes:
        id: the instance id.
        label: its label (bridge's own: ``bridge:<project>:<host>:<attempt id>``).
        status: ``actual_status`` (``loading``, ``running``, ``exited``, ...; ``""`` when null).
        status_msg: Vast's explanation, if any.
        dph: dollars per hour.
        start_date: epoch seconds when it was created.
        num_gpus: its GPUs.
        endpoint: the SSH endpoint, direct first, ``None`` until one is published.
    """

    id: int
    label: str
    status: str
    status_msg: str
    dph: float
    start_date: float
    num_gpus: int
    endpoint: Endpoint | None


def resolve_api_key(config: VastConfig) -> str:
    """
    Return the API key: the variable ``config.api_key_env`` names, else the vastai key file.

    Raises:
        BackendUnavailable: neither holds a key; the message names ``api_key_env``.
    """
    value = os.environ.get(config.api_key_env, "").strip()
    if value:
        return value
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    for path in (Path(xdg) / "vastai" / "vast_api_key", Path.home() / ".vast_api_key"):
        if path.is_file():
            key = path.read_text(encoding="utf-8").strip()
            if key:
                return key
    raise BackendConfigError(
        f"no Vast.ai API key: set the environment variable {config.api_key_env} "
        "(backends.vast.api_key_env) or run `vastai set api-key` to write the key file"
    )


def endpoint_of(row: dict[str, Any]) -> Endpoint | None:
    """
    Compute the SSH endpoint of an instance row: the direct ``public_ipaddr`` with the host port
    mapped to ``22/tcp`` first, the ``ssh_host:ssh_port`` proxy second (the CLI's rule; the
    SDK's ``ssh_url`` prefers the proxy).
    """
    ports = row.get("ports") or {}
    mapped = ports.get("22/tcp") if isinstance(ports, dict) else None
    ip = str(row.get("public_ipaddr") or "").strip()
    if ip and mapped:
        try:
            return Endpoint(host=ip, port=int(mapped[0]["HostPort"]), kind="direct")
        except (KeyError, IndexError, TypeError, ValueError):
            pass
    host, port = row.get("ssh_host"), row.get("ssh_port")
    if host and port:
        return Endpoint(host=str(host), port=int(port), kind="proxy")
    return None


def _row(raw: dict[str, Any]) -> InstanceRow:
    return InstanceRow(
        id=int(raw["id"]),
        label=str(raw.get("label") or ""),
        status=str(raw.get("actual_status") or ""),
        status_msg=str(raw.get("status_msg") or "").strip(),
        dph=float(raw.get("dph_total") or 0.0),
        start_date=float(raw.get("start_date") or 0.0),
        num_gpus=int(raw.get("num_gpus") or 0),
        endpoint=endpoint_of(raw),
    )


class VastApi:
    """
    The Vast.ai calls the backend makes, with bridge's errors.

    Args:
        config: the ``[backends.vast]`` settings.
        client: a ready SDK client; by default ``vastai.VastAI`` is made on first use with the
            resolved key, ``server_url`` and ``retry=1``.
    """

    def __init__(self, config: VastConfig, *, client: VastClient | None = None) -> None:
        self.config = config
        self._client = client

    @property
    def client(self) -> VastClient:
        """
        The SDK client, made on first use.

        Raises:
            BackendUnavailable: no API key.
        """
        if self._client is None:
            from vastai import VastAI

            sdk = VastAI(
                api_key=resolve_api_key(self.config), server_url=self.config.server_url, retry=1
            )
            sdk.client.timeout = _REQUEST_TIMEOUT
            self._client = sdk
        return self._client

    # ---------------------------------------------------------------- calls

    def search(self) -> list[Offer]:
        """
        Return the offers for ``query`` in ``order``, those above ``max_dph`` left out.

        Raises:
            BackendUnavailable: the key was refused, the API cannot be reached or rate limits
                did not clear.
            BackendError: the API answered with another error.
        """
        raw = self._call(
            "search offers",
            lambda: self.client.search_offers(query=self.config.query, order=self.config.order),
        )
        offers = [
            Offer(
                id=int(o["id"]),
                dph=float(o.get("dph_total") or 0.0),
                num_gpus=int(o.get("num_gpus") or 0),
                gpu_name=str(o.get("gpu_name") or ""),
            )
            for o in raw or []
        ]
        if self.config.max_dph is not None:
            offers = [o for o in offers if o.dph <= self.config.max_dph]
        return offers

    def create(self, offer: Offer, *, label: str) -> int:
        """
        Rent ``offer`` with the configured image, disk and onstart line, SSH direct and proxy,
        labelled ``label``; return the new instance id.

        Raises:
            BackendError: the API refused (offer gone, no credit) or gave no instance id.
        """
        answer = self._call(
            f"create an instance from offer {offer.id}",
            lambda: self.client.create_instance(
                offer.id,
                image=self.config.image,
                disk=self.config.disk_gb,
                label=label,
                onstart_cmd=self.config.onstart or None,
                ssh=True,
                direct=True,
                cancel_unavail=True,
            ),
        )
        if not isinstance(answer, dict) or not answer.get("new_contract"):
            raise BackendError(
                f"Vast.ai did not create an instance from offer {offer.id}: {answer!r}"
            )
        return int(answer["new_contract"])

    def show(self, instance_id: int) -> InstanceRow | None:
        """
        Return the instance, or ``None`` when the API no longer knows it (destroyed).
        """
        raw = self._call(
            f"show instance {instance_id}",
            lambda: self.client.show_instance(instance_id),
            missing_ok=True,
        )
        return _row(raw) if isinstance(raw, dict) else None

    def labelled(self, prefix: str) -> list[InstanceRow]:
        """
        Return the account's instances whose label starts with ``prefix``, oldest first.
        """
        raw = self._call("list instances", lambda: self.client.show_instances())
        rows = [_row(r) for r in raw or [] if str(r.get("label") or "").startswith(prefix)]
        return sorted(rows, key=lambda r: r.id)

    def destroy(self, instance_id: int) -> None:
        """
        Destroy the instance; one already gone counts as destroyed.
        """
        self._call(
            f"destroy instance {instance_id}",
            lambda: self.client.destroy_instance(instance_id),
            missing_ok=True,
        )

    # ---------------------------------------------------------------- errors

    def _call(self, what: str, fn: Callable[[], T], *, missing_ok: bool = False) -> T | None:
        try:
            for attempt in retry.attempts(
                tries=_RATE_LIMIT_TRIES, first_wait=1.0, max_wait=_MAX_RETRY_AFTER
            ):
                with attempt:
                    return self._once(what, fn, missing_ok=missing_ok)
        except retry.Transient as exc:
            raise BackendUnavailable(
                f"Vast.ai kept rate-limiting ({exc.reason}) the request to {what} "
                f"after {_RATE_LIMIT_TRIES} tries"
            ) from None
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _once(self, what: str, fn: Callable[[], T], *, missing_ok: bool) -> T | None:
        """
        One try, HTTP failures translated: a rate limit is :class:`retry.Transient` (after its
        ``Retry-After``), everything else final.
        """
        try:
            return fn()
        except requests.HTTPError as exc:
            response = exc.response
            code = response.status_code if response is not None else 0
            if code == 404 and missing_ok:
                return None
            if code in (401, 403):
                raise BackendConfigError(
                    f"Vast.ai refused the API key (HTTP {code}) while trying to {what}: "
                    f"check the key in the environment variable {self.config.api_key_env} "
                    "(backends.vast.api_key_env)"
                ) from None
            if code == 429:
                delay = _retry_after(response)
                if delay > _MAX_RETRY_AFTER:
                    raise BackendUnavailable(
                        f"Vast.ai rate-limits (HTTP 429) the request to {what} and asks to wait "
                        f"{delay:g} s, more than bridge waits ({_MAX_RETRY_AFTER:g} s)"
                    ) from None
                raise retry.Transient("HTTP 429", after=delay) from None
            raise BackendError(f"Vast.ai could not {what}: HTTP {code} {_body(response)}") from None
        except (requests.ConnectionError, requests.Timeout) as exc:
            where = self.config.server_url or "console.vast.ai"
            raise BackendUnavailable(
                f"cannot reach the Vast.ai API at {where} to {what}: {type(exc).__name__}"
            ) from None
        except requests.RequestException as exc:
            raise BackendError(f"Vast.ai could not {what}: {type(exc).__name__}: {exc}") from None


def _retry_after(response: requests.Response | None) -> float:
    headers = response.headers if response is not None else {}
    seconds = retry.retry_after_seconds(headers.get("Retry-After"))
    return 1.0 if seconds is None else seconds


def _body(response: requests.Response | None) -> str:
    if response is None:
        return ""
    try:
        data = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(data, dict):
        return str(data.get("msg") or data.get("error") or data)[:300]
    return str(data)[:300]
