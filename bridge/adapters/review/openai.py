"""
``OpenAIReviewer``: a review from any OpenAI-compatible chat-completions endpoint, over httpx.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import httpx

from bridge.adapters import retry
from bridge.adapters.implement.base_repo import redact_url
from bridge.adapters.review.prompt import (
    build_criterion_prompt,
    build_review_prompt,
    parse_judgment_reply,
    parse_review_reply,
)
from bridge.errors import ReviewError
from bridge.logs import get_logger
from bridge.machine.ports import (
    CriterionJudgment,
    CriterionRequest,
    Finding,
    Review,
    ReviewRequest,
)

__all__ = ["OpenAIReviewer"]

_log = get_logger(__name__)
_SNIPPET = 300  # characters of an error body quoted in a message


class OpenAIReviewer:
    """
    Ask an OpenAI-compatible ``/chat/completions`` endpoint for a review and parse the reply.

    The API key is read from the environment variable ``api_key_env`` names at every call; it is
    sent only in the ``Authorization`` header and is scrubbed from every reply, finding and
    error message. Requests are retried under the one retry policy
    (:mod:`bridge.adapters.retry`) on HTTP 429, any 5xx and transport errors (timeouts, refused
    connections): the wait is the server's ``Retry-After`` when given, otherwise exponential
    from ``backoff_seconds``, never more than ``max_retry_wait_seconds``.

    Args:
        base_url: the API root, e.g. ``https://api.openai.com/v1``.
        model: the model name.
        api_key_env: the name of the environment variable holding the key, or ``None`` for an
            endpoint without authentication (a local server).
        reasoning_effort: sent as ``reasoning_effort``; ``""`` leaves it out for servers that
            reject it.
        timeout_seconds: bound on one HTTP request (connect bounded at 10 s).
        max_retries: retries after the first attempt.
        max_retry_wait_seconds: cap on any single wait between attempts.
        backoff_seconds: the first wait when the server gives no ``Retry-After``.
        transport: an httpx transport to use instead of the network (for embedding).
        environ: where to read the key from (default ``os.environ`` at call time).
    """

    name = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key_env: str | None = None,
        reasoning_effort: str = "xhigh",
        timeout_seconds: float = 120.0,
        max_retries: int = 4,
        max_retry_wait_seconds: float = 60.0,
        backoff_seconds: float = 1.0,
        transport: httpx.BaseTransport | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key_env = api_key_env
        self.reasoning_effort = reasoning_effort
        self.timeout_seconds = timeout_seconds
        self.max_retries = max_retries
        self.max_retry_wait_seconds = max_retry_wait_seconds
        self.backoff_seconds = backoff_seconds
        self._transport = transport
        self._environ = environ

    def _key(self) -> str:
        if not self.api_key_env:
            return ""
        environ = os.environ if self._environ is None else self._environ
        key = environ.get(self.api_key_env, "")
        if not key:
            raise ReviewError(
                f"the environment variable {self.api_key_env} (reviewer.api_key_env) is not set"
            )
        return key

    def review(self, request: ReviewRequest) -> Review:
        """
        Send the review prompt and parse the reply into findings.

        Returns:
            ``Review(reviewer="openai", model=...)`` with the parsed findings and the reply text.

        Raises:
            ReviewError: the key's variable is unset, retries ran out, the server refused the
                request (4xx other than 429), or the reply is malformed.
        """
        key = self._key()
        system, user = build_review_prompt(request)
        content = self._ask(system, user, key)
        try:
            findings = parse_review_reply(content)
        except ReviewError as err:
            raise ReviewError(f"malformed review from {self._where()}: {err}") from err
        findings = tuple(
            Finding(
                severity=f.severity,
                message=self._scrub(f.message, key),
                file=f.file,
                line=f.line,
                check=f.check,
            )
            for f in findings
        )
        _log.info("review_received", reviewer=self.name, model=self.model, findings=len(findings))
        return Review(reviewer=self.name, findings=findings, text=content, model=self.model)

    def judge_criterion(self, request: CriterionRequest) -> CriterionJudgment:
        """
        Ask the endpoint to judge a criterion the rules could not check.

        Returns:
            The verdict (``met``, ``not_met``, ``inconclusive``), the reasoning, and the model.

        Raises:
            ReviewError: as for :meth:`review`; a reply without a ``VERDICT:`` line is
                malformed.
        """
        key = self._key()
        system, user = build_criterion_prompt(request)
        content = self._ask(system, user, key)
        try:
            verdict, reasoning = parse_judgment_reply(content)
        except ReviewError as err:
            raise ReviewError(f"malformed judgment from {self._where()}: {err}") from err
        _log.info("criterion_judged", reviewer=self.name, block=request.block, verdict=verdict)
        return CriterionJudgment(
            verdict=verdict, reasoning=reasoning, reviewer=self.name, model=self.model
        )

    def _ask(self, system: str, user: str, key: str) -> str:
        """
        One chat completion (system and user messages), the key scrubbed from the answer.
        """
        body: dict[str, object] = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
        }
        if self.reasoning_effort:
            body["reasoning_effort"] = self.reasoning_effort
        return self._scrub(self._complete(body, key), key)

    def _where(self) -> str:
        return f"{redact_url(self.base_url)} (model {self.model})"

    @staticmethod
    def _scrub(text: str, key: str) -> str:
        return text.replace(key, "***") if key else text

    def _complete(self, body: dict[str, object], key: str) -> str:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        timeout = httpx.Timeout(self.timeout_seconds, connect=min(10.0, self.timeout_seconds))
        url = f"{self.base_url}/chat/completions"
        with httpx.Client(timeout=timeout, transport=self._transport) as client:
            try:
                for attempt in retry.attempts(
                    tries=self.max_retries + 1,
                    first_wait=self.backoff_seconds,
                    max_wait=self.max_retry_wait_seconds,
                ):
                    with attempt:
                        return self._once(client, url, body, headers, key)
            except retry.Transient as exc:
                raise ReviewError(
                    f"the reviewer at {self._where()} gave no answer after "
                    f"{self.max_retries + 1} attempts; last: {exc.reason}"
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _once(
        self,
        client: httpx.Client,
        url: str,
        body: dict[str, object],
        headers: Mapping[str, str],
        key: str,
    ) -> str:
        """
        One request: the reply's content.

        Raises:
            retry.Transient: a transport error, HTTP 429 or a 5xx (with its ``Retry-After``).
            ReviewError: any other refusal, or a malformed reply.
        """
        try:
            response = client.post(url, json=body, headers=dict(headers))
        except httpx.TransportError as err:
            raise retry.Transient(
                f"{type(err).__name__}: {self._scrub(str(err), key) or 'no detail'}"
            ) from None
        if response.status_code == 429 or response.status_code >= 500:
            _log.warning("review_retry", reviewer=self.name, status=response.status_code)
            raise retry.Transient(
                f"HTTP {response.status_code}: {self._snippet(response, key)}",
                after=retry.retry_after_seconds(response.headers.get("Retry-After")),
            )
        if response.status_code >= 400:
            raise ReviewError(
                f"the reviewer at {self._where()} refused the request: HTTP "
                f"{response.status_code}: {self._snippet(response, key)}"
            )
        return self._content(response)

    def _snippet(self, response: httpx.Response, key: str) -> str:
        return self._scrub(response.text[:_SNIPPET].strip(), key) or "(empty body)"

    def _content(self, response: httpx.Response) -> str:
        try:
            data = response.json()
        except ValueError as err:
            raise ReviewError(f"malformed review from {self._where()}: not JSON") from err
        choices = data.get("choices") if isinstance(data, dict) else None
        if not isinstance(choices, list) or not choices:
            raise ReviewError(f"malformed review from {self._where()}: the reply has no choices")
        message = choices[0].get("message") if isinstance(choices[0], dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):  # some servers answer with content parts
            content = "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
        if not isinstance(content, str) or not content.strip():
            raise ReviewError(f"malformed review from {self._where()}: the reply has no content")
        return content
