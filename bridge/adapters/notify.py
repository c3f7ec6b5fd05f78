"""
``WebhookNotifier``: Slack- or Feishu-compatible webhook messages on milestones, failures and
the end of a run.

::

    [notify]
    webhook_url_env = "BRIDGE_WEBHOOK_URL"   # the NAME of the variable holding the URL
    format = "slack"                         # "slack" (default) | "feishu"
    events = ["milestone", "failure", "blocked", "finished"]   # default: all of them

The URL carries a token, so it lives in the environment and is read at each call; it never
appears in a log line. A failing webhook (refused, timed out, HTTP error, Feishu's non-zero
``code``) is logged as ``notification_failed`` and never raised: notifications must not stop
the pipeline.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping

import attrs
import httpx

from bridge.logs import get_logger
from bridge.machine.ports import Notifier
from bridge.plan import setting_rules as rules
from bridge.plan.setting_fields import Invalid, setting
from bridge.plan.settings import Section, SettingsTable

__all__ = [
    "EVENTS",
    "FORMATS",
    "NotifyConfig",
    "WebhookNotifier",
    "build_notifier",
    "webhook_payload",
]

EVENTS = ("milestone", "failure", "blocked", "finished")
FORMATS = ("slack", "feishu")

_log = get_logger(__name__)


def webhook_payload(format: str, title: str, text: str) -> dict[str, object]:
    """
    Return the JSON body for one message.

    Args:
        format: ``slack`` → ``{"text": "*title*\\ntext"}``;
            ``feishu`` → ``{"msg_type": "text", "content": {"text": "title\\ntext"}}``.
        title: the headline.
        text: the body.

    Raises:
        ValueError: an unknown format (the configuration reader refuses it earlier).
    """
    if format == "slack":
        return {"text": f"*{title}*\n{text}" if text else f"*{title}*"}
    if format == "feishu":
        return {"msg_type": "text", "content": {"text": f"{title}\n{text}" if text else title}}
    raise ValueError(f"unknown webhook format {format!r}")


class WebhookNotifier:
    """
    POST each notification to a webhook; never raise.

    Args:
        url_env: the name of the environment variable holding the webhook URL.
        format: ``slack`` or ``feishu``.
        events: the kinds of events to send (a subset of :data:`EVENTS`).
        timeout_seconds: bound on one POST.
        transport: an httpx transport to use instead of the network (for embedding).
        environ: where to read the URL (default ``os.environ`` at call time).
    """

    name = "webhook"

    def __init__(
        self,
        *,
        url_env: str,
        format: str = "slack",
        events: Iterable[str] = EVENTS,
        timeout_seconds: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.url_env = url_env
        self.format = format
        self.events = frozenset(events)
        self.timeout_seconds = timeout_seconds
        self._transport = transport
        self._environ = environ

    def wants(self, event: str) -> bool:
        """
        Return True when notifications of kind ``event`` are configured to be sent.
        """
        return event in self.events

    def notify(self, title: str, text: str, *, event: str | None = None) -> None:
        """
        Send one message. Failures are logged (``notification_failed``), never raised.

        Args:
            title: the headline.
            text: the body.
            event: the kind (``milestone``, ``failure``, ``blocked``, ``finished``); a kind not
                in ``events`` is not sent. ``None`` always sends.
        """
        if event is not None and not self.wants(event):
            return
        environ = os.environ if self._environ is None else self._environ
        url = environ.get(self.url_env, "")
        if not url:
            _log.warning("notification_failed", reason=f"{self.url_env} is not set")
            return
        try:
            with httpx.Client(
                timeout=httpx.Timeout(self.timeout_seconds), transport=self._transport
            ) as client:
                response = client.post(url, json=webhook_payload(self.format, title, text))
        except httpx.HTTPError as err:
            # str(err) may quote the URL (and its token); the class name is enough to act on.
            _log.warning("notification_failed", reason=type(err).__name__)
            return
        except Exception as err:  # a notifier must never stop the pipeline
            _log.warning("notification_failed", reason=type(err).__name__)
            return
        if response.status_code >= 400:
            _log.warning("notification_failed", reason=f"HTTP {response.status_code}")
            return
        if self.format == "feishu":
            # Feishu answers HTTP 200 with a non-zero "code" when it refuses a message.
            try:
                code = response.json().get("code", 0)
            except (ValueError, AttributeError):
                code = 0
            if code not in (0, None):
                _log.warning("notification_failed", reason=f"feishu code {code}")
                return
        _log.info("notification_sent", title=title)


def _events(value: object) -> tuple[str, ...]:
    events = rules.string_list(value)
    if not events:
        # Nothing would ever be sent: the table would read as configured and stay silent.
        raise Invalid(
            "must name at least one of: " + ", ".join(EVENTS) + " (leave it out for all of "
            "them, or remove [notify] to send none)"
        )
    unknown = [e for e in events if e not in EVENTS]
    if unknown:
        raise Invalid(f"has {unknown[0]!r}; known: " + ", ".join(EVENTS))
    return events


def _url_env(value: object) -> str:
    """
    ``webhook_url_env``: the NAME of the variable holding the URL. The URL itself pasted here
    is refused for what it is, and never quoted back (its token is the secret).
    """
    if isinstance(value, str) and "://" in value:
        raise Invalid(
            "holds a URL, not the NAME of an environment variable: webhook URLs carry tokens, "
            "so put the URL in an environment variable (export BRIDGE_WEBHOOK_URL=...) and "
            'write that variable\'s name here (webhook_url_env = "BRIDGE_WEBHOOK_URL")'
        )
    return rules.env_name(value)


@attrs.frozen(kw_only=True)
class NotifyConfig(Section):
    """
    The ``[notify]`` table.

    Attributes:
        webhook_url_env: the NAME of the variable holding the webhook URL (URLs carry tokens).
        format: ``slack`` or ``feishu``.
        events: the events that notify (all of them by default).
        timeout_seconds: bound on one webhook call.
    """

    SECTION = "notify"

    webhook_url_env: str = attrs.field(metadata=setting(read=_url_env, secret=True))
    format: str = attrs.field(default="slack", metadata=setting(read=rules.one_of(*FORMATS)))
    events: tuple[str, ...] = attrs.field(default=EVENTS, metadata=setting(read=_events))
    timeout_seconds: float = attrs.field(default=10.0, metadata=setting(read=rules.positive))

    @classmethod
    def read(cls, reader: SettingsTable) -> NotifyConfig:
        """
        Refuse a webhook URL written into the file, then structure the table.
        """
        if "webhook_url" in reader.table:
            reader.fail(
                "webhook_url",
                "notify.webhook_url is not allowed (webhook URLs carry tokens): put the URL in an "
                "environment variable and name it in notify.webhook_url_env",
            )
        return super().read(reader)


def build_notifier(
    table: Mapping[str, object] | None,
    *,
    environ: Mapping[str, str] | None = None,
    file: str | None = None,
    line_of: Callable[[str], int | None] | None = None,
) -> Notifier | None:
    """
    Build the notifier ``[notify]`` asks for; ``None`` (notifications off) without the table.

    Args:
        table: the ``[notify]`` table, or ``None``.
        environ: the environment to check ``webhook_url_env`` in (default ``os.environ``).
        file: the configuration file, for messages.
        line_of: the line of a dotted setting (``notify.format``), if known.

    Raises:
        ConfigError: an unknown key, no ``webhook_url_env``, a bad ``format`` or ``events``
            entry, or the variable ``webhook_url_env`` names is not set.
    """
    if table is None:
        return None
    config = NotifyConfig.from_table(table, file=file, line_of=line_of)
    env = os.environ if environ is None else environ
    if not env.get(config.webhook_url_env):
        raise SettingsTable("notify", table, file=file, line_of=line_of).error(
            "webhook_url_env",
            f"the environment variable {config.webhook_url_env} named by notify.webhook_url_env "
            "is not set",
        )
    return WebhookNotifier(
        url_env=config.webhook_url_env,
        format=config.format,
        events=config.events,
        timeout_seconds=config.timeout_seconds,
        environ=environ,
    )
