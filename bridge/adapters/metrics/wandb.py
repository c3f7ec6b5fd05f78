"""
W&B as a metrics source: a run's summary and history read through W&B's public GraphQL API.

::

    [metrics.wandb]
    entity = "my-team"                # required
    project = "my-project"            # required
    run_name = "{run_id}"             # the W&B run's name (its id), placeholders as in commands
    api_key_env = "WANDB_API_KEY"     # the NAME of the variable holding the API key
    base_url = "https://api.wandb.ai" # a self-hosted server's URL instead
    timeout_seconds = 20              # bound on one fetch, retries included
    samples = 500                     # history rows W&B samples

No ``wandb`` package is needed: :class:`WandbSource` POSTs one query to ``{base_url}/graphql``
with httpx (HTTP Basic auth, user ``api``, the key as password). The key is read from the
environment at each fetch and never enters the configuration, an event, a log line or a message.

What a fetch gives (as an :class:`~bridge.adapters.metrics.Extraction`, like the file readers):

- one :class:`MetricValue` per number in the run's ``summaryMetrics`` (nested objects dotted,
  keys starting with ``_`` and W&B media objects skipped), rule ``wandb:summary:KEY``;
- one :class:`MetricHistory` per numeric history key, steps from ``_step``, rule
  ``wandb:history:KEY``;
- ``source`` ``wandb:ENTITY/PROJECT/RUN`` and ``sha256`` the digest of the canonical JSON of the
  response's ``data``, so a value still names the exact content it was read from.

Non-finite numbers are kept (``value=None``, ``raw`` ``"NaN"``), as the file readers keep them.
W&B being unreachable (refused, timed out, HTTP 5xx or 429 after bounded retries), refusing the
key (401/403), not knowing the run (404, or ``null`` in the answer), or the key not being set is
never raised: it comes back as one :class:`~bridge.adapters.metrics.ExtractionProblem` whose
source is the run's ``wandb:`` address, and the caller goes on with the files.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any  # Any: W&B's JSON answers

import attrs
import httpx

from bridge.adapters import retry
from bridge.adapters.metrics import records
from bridge.adapters.metrics.files import Extraction, ExtractionProblem
from bridge.errors import ConfigError
from bridge.logs import get_logger
from bridge.machine.measurements import MetricHistory, MetricValue, to_stored
from bridge.plan import placeholders, render_argv
from bridge.plan import setting_rules as rules
from bridge.plan.settings import SettingsTable

__all__ = ["DEFAULT_BASE_URL", "RUN_METRICS_QUERY", "SOURCE_PREFIX", "WANDB_KEYS", "WandbSource"]

_log = get_logger(__name__)

DEFAULT_BASE_URL = "https://api.wandb.ai"

SOURCE_PREFIX = "wandb:"
"""How every source read from W&B begins (``wandb:ENTITY/PROJECT/RUN``); never a file path."""

WANDB_KEYS: tuple[str, ...] = (
    "entity",
    "project",
    "run_name",
    "api_key_env",
    "base_url",
    "timeout_seconds",
    "samples",
)
"""The keys ``[metrics.wandb]`` accepts."""

# The one query bridge sends. It follows W&B's public GraphQL API as its Python SDK uses it
# (``wandb.apis.public``: a run is ``project(name, entityName) { run(name) }``, where ``name`` is
# the run's id; ``summaryMetrics`` is a JSON string; ``history(samples:)`` is a list of JSON
# strings, one per logged row, each with ``_step``). One round trip gives both, so the values
# and the histories share one response and one sha256.
RUN_METRICS_QUERY = """\
query BridgeRunMetrics($entity: String!, $project: String!, $name: String!, $samples: Int) {
  project(name: $project, entityName: $entity) {
    run(name: $name) {
      name
      state
      summaryMetrics
      history(samples: $samples)
    }
  }
}
"""

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@attrs.frozen(kw_only=True)
class WandbSource:
    """
    Reads one run's summary and history from W&B.

    Attributes:
        entity: the W&B entity (user or team).
        project: the W&B project.
        run_name: template of the W&B run's name (its id), with the placeholders of commands.
        api_key_env: the name of the environment variable holding the API key.
        base_url: the API server, without ``/graphql``.
        timeout_seconds: bound on one fetch, retries and waits included.
        samples: how many history rows to ask W&B for.
        retries: how many more tries after a refused connection, a timeout, a 5xx or a 429.
        backoff_seconds: wait before the first retry; doubles for each further one.
        transport: an httpx transport to use instead of the network (for embedding).
        environ: where to read the key (default ``os.environ`` at each fetch).
    """

    entity: str
    project: str
    run_name: str = "{run_id}"
    api_key_env: str = "WANDB_API_KEY"
    base_url: str = DEFAULT_BASE_URL
    timeout_seconds: float = 20.0
    samples: int = 500
    retries: int = 2
    backoff_seconds: float = 0.25
    transport: httpx.BaseTransport | None = attrs.field(default=None, eq=False, repr=False)
    environ: Mapping[str, str] | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_table(
        cls,
        table: Mapping[str, object],
        *,
        file: str | None = None,
        line_of: Callable[[str], int | None] | None = None,
        known_placeholders: Collection[str] | None = None,
        environ: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> WandbSource:
        """
        Read and check a ``[metrics.wandb]`` table. Connects nowhere.

        Args:
            table: the table's contents.
            file: the configuration file, for messages.
            line_of: the line of a dotted setting (``metrics.wandb.entity``), if known.
            known_placeholders: the placeholder names commands may use; when given, a
                ``run_name`` naming another is refused.
            environ: where fetches read the key (default ``os.environ``).
            transport: an httpx transport instead of the network.

        Returns:
            The source.

        Raises:
            ConfigError: naming ``metrics.wandb.<key>``: an unknown key (with the closest known
                one), no ``entity`` or ``project``, a ``run_name`` with an unknown placeholder,
                an ``api_key_env`` that is not a variable name, a ``base_url`` that is not an
                http(s) URL or carries credentials, a non-positive ``timeout_seconds`` or
                ``samples``.
        """
        reader = SettingsTable("metrics.wandb", table, file=file, line_of=line_of)
        reader.reject_unknown(WANDB_KEYS)
        entity = reader.value("entity", rules.text, None)
        project = reader.value("project", rules.text, None)
        for key, value in (("entity", entity), ("project", project)):
            if value is None:
                reader.fail(key, f"[metrics.wandb] needs metrics.wandb.{key}")
        assert entity is not None and project is not None
        run_name = reader.value("run_name", rules.text, "{run_id}")
        assert run_name is not None
        try:
            names = placeholders(run_name)
        except ConfigError as exc:
            reader.fail("run_name", f"metrics.wandb.run_name: {exc.message}")
        if known_placeholders is not None:
            for name in names:
                if name not in known_placeholders:
                    reader.fail(
                        "run_name",
                        f"metrics.wandb.run_name uses unknown placeholder {{{name}}} (known: "
                        f"{', '.join(sorted(known_placeholders))})",
                    )
        base_url = reader.value("base_url", rules.text, DEFAULT_BASE_URL).rstrip("/")
        try:
            url = httpx.URL(base_url)
        except httpx.InvalidURL:
            reader.fail("base_url", "metrics.wandb.base_url is not a URL")
        if url.scheme not in ("http", "https") or not url.host:
            reader.fail("base_url", "metrics.wandb.base_url must be an http:// or https:// URL")
        if url.userinfo:
            reader.fail(
                "base_url",
                "metrics.wandb.base_url must not carry credentials; name the variable holding "
                "the key in metrics.wandb.api_key_env",
            )
        samples = reader.value("samples", rules.non_negative, 500)
        if samples < 1:
            reader.fail("samples", "metrics.wandb.samples must be 1 or more")
        return cls(
            entity=entity,
            project=project,
            run_name=run_name,
            api_key_env=reader.value("api_key_env", rules.env_name, "WANDB_API_KEY"),
            base_url=base_url,
            timeout_seconds=reader.value("timeout_seconds", rules.positive, 20.0),
            samples=samples,
            environ=environ,
            transport=transport,
        )

    def address(self, name: str) -> str:
        """
        Return the ``source`` recorded for the W&B run ``name``: ``wandb:ENTITY/PROJECT/NAME``.
        """
        return f"{SOURCE_PREFIX}{self.entity}/{self.project}/{name}"

    def fetch(
        self,
        run_id: str,
        params: Mapping[str, str],
        *,
        attempt_id: str = "",
        ran_as: str = "",
    ) -> Extraction:
        """
        Read one run's summary and history. Blocks for at most ``timeout_seconds``; never raises
        for W&B's answers or its absence.

        Args:
            run_id: the plan's run id (fills ``{run_id}`` and is recorded on every value).
            params: the run's placeholder values (as its command is rendered with).
            attempt_id: the attempt the values are recorded under.
            ran_as: the id the attempt ran under, when it is another run's (a result carried
                from it): it fills ``{run_id}``, naming the W&B run the attempt logged to.

        Returns:
            The values and histories, or a single problem saying why W&B could not be read
            (unreachable, key refused or not set, run not found, an answer bridge cannot read).
        """
        try:
            (name,) = render_argv(
                (self.run_name,),
                {**params, "run_id": ran_as or run_id, "attempt_id": attempt_id},
            )
        except ConfigError as exc:
            return _problem(self.address(self.run_name), f"metrics.wandb.run_name: {exc.message}")
        source = self.address(name)
        environ = os.environ if self.environ is None else self.environ
        key = environ.get(self.api_key_env, "")
        if not key:
            why = (
                f"W&B not read: the environment variable {self.api_key_env} named by "
                "metrics.wandb.api_key_env is not set"
            )
            _log.warning("wandb_not_read", source=source, reason=why)
            return _problem(source, f"{why}; metrics from files only")
        data, message = self._query(name, key)
        if data is None:
            _log.warning("wandb_not_read", source=source, reason=message)
            return _problem(source, f"{message}; metrics from files only")
        try:
            run = _run_of(data, self.entity, self.project, name)
            summary = _decode(run.get("summaryMetrics") or "{}", "summaryMetrics")
            rows = [_decode(row, "history row") for row in run.get("history") or ()]
        except ValueError as exc:
            _log.warning("wandb_not_read", source=source, reason=str(exc))
            return _problem(source, f"{exc}; metrics from files only")
        sha = hashlib.sha256(_canonical(data).encode("utf-8")).hexdigest()
        ids = _Ids(run_id=run_id, attempt_id=attempt_id, source=source, sha256=sha)
        return Extraction(values=_summary_values(summary, ids), histories=_histories(rows, ids))

    def _query(self, name: str, key: str) -> tuple[dict[str, Any] | None, str]:
        """
        POST the query with bounded retries; return ``(data, "")`` or ``(None, why)``.
        """
        url = f"{self.base_url}/graphql"
        body = {
            "query": RUN_METRICS_QUERY,
            "variables": {
                "entity": self.entity,
                "project": self.project,
                "name": name,
                "samples": self.samples,
            },
        }
        deadline = time.monotonic() + self.timeout_seconds
        tries = 0
        why = ""
        with httpx.Client(transport=self.transport, follow_redirects=False) as client:
            try:
                for attempt in retry.attempts(
                    tries=self.retries + 1,
                    first_wait=self.backoff_seconds,
                    max_wait=self.timeout_seconds,
                    timeout=self.timeout_seconds,
                ):
                    with attempt:
                        tries += 1
                        return self._post(client, url, body, key, deadline)
            except retry.Transient as exc:
                why = exc.reason
        return None, (
            f"W&B at {self.base_url} is unreachable ({why}; {tries} "
            f"{'try' if tries == 1 else 'tries'} in {self.timeout_seconds:g} s)"
        )

    def _post(
        self, client: httpx.Client, url: str, body: Mapping[str, Any], key: str, deadline: float
    ) -> tuple[dict[str, Any] | None, str]:
        """
        One try: the answer, or ``(None, why)`` for a final refusal.

        Raises:
            retry.Transient: a refused connection, a timeout, a 5xx or a 429.
        """
        remaining = max(deadline - time.monotonic(), 0.01)
        try:
            response = client.post(
                url,
                json=body,
                auth=("api", key),
                headers={"User-Agent": "bridge"},
                timeout=httpx.Timeout(remaining),
            )
        except httpx.TimeoutException:
            raise retry.Transient(f"no answer within {self.timeout_seconds:g} s") from None
        except httpx.TransportError as err:
            # The key travels in a header, never the URL, so the error text cannot hold it.
            raise retry.Transient(f"{type(err).__name__}: {err}") from None
        status = response.status_code
        if status in (401, 403):
            return None, (
                f"W&B at {self.base_url} refused the API key in {self.api_key_env} (HTTP {status})"
            )
        if status == 404:
            return None, (
                f"W&B at {self.base_url} does not know "
                f"{self.entity}/{self.project}/{body['variables']['name']} (HTTP 404)"
            )
        if status in _RETRY_STATUS:
            after = retry.retry_after_seconds(response.headers.get("Retry-After"))
            raise retry.Transient(f"HTTP {status}", after=after)
        return _answer(response, self.base_url)


@attrs.frozen(kw_only=True)
class _Ids:
    run_id: str
    attempt_id: str
    source: str
    sha256: str


def _problem(source: str, message: str) -> Extraction:
    return Extraction(problems=(ExtractionProblem(source=source, message=message),))


def _answer(response: httpx.Response, base_url: str) -> tuple[dict[str, Any] | None, str]:
    """
    Read a non-retried answer: the GraphQL ``data``, or why there is none.
    """
    if response.status_code >= 400:
        return None, f"W&B at {base_url} answered HTTP {response.status_code}"
    try:
        document = response.json()
    except ValueError:
        return None, f"W&B at {base_url} answered something that is not JSON"
    if not isinstance(document, dict):
        return None, f"W&B at {base_url} answered JSON that is not an object"
    errors = document.get("errors")
    data = document.get("data")
    if errors:
        texts = [
            str(e.get("message", e)) if isinstance(e, dict) else str(e)
            for e in (errors if isinstance(errors, list) else [errors])
        ]
        return None, f"W&B at {base_url} answered with errors: " + "; ".join(texts)[:500]
    if not isinstance(data, dict):
        return None, f"W&B at {base_url} answered without data"
    return data, ""


def _run_of(data: Mapping[str, Any], entity: str, project: str, name: str) -> dict[str, Any]:
    found = data.get("project")
    if not isinstance(found, dict):
        msg = f"W&B does not know the project {entity}/{project} (or the key cannot see it)"
        raise ValueError(msg)
    run = found.get("run")
    if not isinstance(run, dict):
        raise ValueError(f"W&B has no run {name!r} in {entity}/{project}")
    return run


def _decode(text: object, what: str) -> dict[str, Any]:
    """
    Parse one of W&B's JSON strings (``NaN``/``Infinity`` tokens allowed) into an object.
    """
    if isinstance(text, dict):
        return text  # a server that already decoded it
    if not isinstance(text, str):
        raise ValueError(f"W&B's {what} is not a JSON string")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"W&B's {what} is not valid JSON: {exc.msg}") from exc
    if not isinstance(value, dict):
        raise ValueError(f"W&B's {what} is not a JSON object")
    return value


def _canonical(data: object) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _number(item: object) -> float | None:
    """
    The item as a float when it is a metric number (:func:`records.number`), but not a bool:
    W&B logs booleans as flags, not as metrics.
    """
    return None if isinstance(item, bool) else records.number(item)


def _flatten(node: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, object]]:
    """
    Yield ``(dotted name, leaf)`` for every leaf, skipping ``_``-keys and W&B media objects.
    """
    for key, child in node.items():
        if str(key).startswith("_"):
            continue
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(child, dict):
            if "_type" in child:
                continue  # a histogram, table or image: not a metric
            yield from _flatten(child, name)
        else:
            yield name, child


def _summary_values(summary: Mapping[str, Any], ids: _Ids) -> tuple[MetricValue, ...]:
    values: list[MetricValue] = []
    for name, leaf in _flatten(summary):
        number = _number(leaf)
        if number is None:
            continue
        values.append(
            MetricValue(
                run_id=ids.run_id,
                attempt_id=ids.attempt_id,
                name=name,
                value=to_stored(number),
                raw=records.raw_text(leaf),
                source=ids.source,
                sha256=ids.sha256,
                rule=f"wandb:summary:{name}",
            )
        )
    return tuple(values)


def _histories(rows: list[dict[str, Any]], ids: _Ids) -> tuple[MetricHistory, ...]:
    """
    One history per key whose every logged value is a number (rows are sparse: a row that does
    not log a key is not a point of it).
    """
    indexed = []
    for index, row in enumerate(rows):
        step = _number(row.get("_step"))
        indexed.append((float(index) if step is None or not math.isfinite(step) else step, row))
    indexed.sort(key=lambda pair: pair[0])
    points: dict[str, list[tuple[float, float, str]]] = {}
    rejected: set[str] = set()
    for step, row in indexed:
        for name, leaf in _flatten(row):
            if leaf is None:
                continue  # logged as null: no point at this step
            number = _number(leaf)
            if number is None:
                rejected.add(name)
                continue
            points.setdefault(name, []).append((step, number, records.raw_text(leaf)))
    return tuple(
        MetricHistory.of_points(
            series,
            run_id=ids.run_id,
            attempt_id=ids.attempt_id,
            name=name,
            source=ids.source,
            sha256=ids.sha256,
            rule=f"wandb:history:{name}",
        )
        for name, series in points.items()
        if name not in rejected
    )
