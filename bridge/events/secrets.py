"""
What a secret value looks like, and how free text is cleaned of one.

Structured fields that hold a secret are refused at append time (see :mod:`bridge.events.codec`).
Free text that bridge copies from elsewhere — a log tail, a reviewer's text, a failure reason —
may quote a credential by accident; such fields pass through :func:`redact` when the event is
built, so the log keeps the text and never the credential.

Two kinds of secret are recognised:

* **Known values.** Every value bridge reads from a ``*_env`` variable (the reviewer's key,
  ``VAST_API_KEY``, the W&B key, Modal tokens, the webhook URL) is registered with
  :func:`register_secret_values` when a project is opened. Such a value is replaced wherever it
  appears — as is, base64-encoded, URL-encoded, hex-encoded or JSON-escaped — whatever its shape.
  A credential of unknown shape (a hex API key) is caught this way.
* **Known shapes.** Values that look like well-known credential formats (``sk-…``, ``ghp_…``,
  ``AKIA…``) and the password part of URLs, known or not.

The known values are held process-wide (a tuple replaced, never mutated, under a lock): the
attrs converters that clean event fields run wherever an event is built, with no session at
hand, and a secret registered by one project must stay out of every log this process writes.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterable

from bridge.lazy_patterns import lazy

__all__ = [
    "MIN_SECRET_LENGTH",
    "REDACTED",
    "SECRET_VALUE",
    "VALUE_PREFIXES",
    "has_value_prefix",
    "known_secret_forms",
    "redact",
    "redact_known",
    "register_secret_values",
    "substring_test",
]

# Well-known credential formats. The look-behind keeps words that merely contain such a prefix
# ("Mask-RCNN_…", "risk-sensitive_…") from matching: a key starts a token.
SECRET_VALUE = lazy(
    r"(?<![A-Za-z0-9])(?:sk-[A-Za-z0-9_\-]{20,}|ghp_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}"
    r"|AKIA[0-9A-Z]{16}|xox[bpas]-[A-Za-z0-9\-]{10,}|hf_[A-Za-z0-9]{30,})"
)
# Every alternative of SECRET_VALUE starts with one of these (a test checks it).
VALUE_PREFIXES = ("sk-", "ghp_", "github_pat_", "AKIA", "xox", "hf_")
REDACTED = "[redacted]"


def substring_test(words: tuple[str, ...]) -> Callable[[str], bool]:
    """
    A function telling whether a text contains any of ``words``: ``"a" in t or "b" in t ...``
    compiled once, several times faster than ``any()`` over a generator (it runs for every
    appended event and every redacted text).
    """
    test: Callable[[str], bool] = eval(  # noqa: S307 - the words are the caller's constants
        "lambda t: " + " or ".join(f"{word!r} in t" for word in words)
    )
    return test


#: Whether a text holds a prefix of :data:`SECRET_VALUE`'s alternatives: without one the regex
#: cannot match, and is not run.
has_value_prefix = substring_test(VALUE_PREFIXES)
#: Shorter values are not registered: replacing every "abc" in every log would destroy the log
#: and protect nothing (a five-character credential is guessed, not leaked).
MIN_SECRET_LENGTH = 8
# user:password@ (or token@) in a URL: https://alice:hunter2@host/…, https://ghp_…@github.com
URL_USERINFO = lazy(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/@\s:]+(?::[^/@\s]*)?@")

_lock = threading.Lock()
_forms: tuple[str, ...] = ()  # every registered value in every encoding, longest first
_pattern: re.Pattern[str] | None = None


def _encodings(value: str) -> set[str]:
    """
    The forms in which ``value`` may appear in text bridge records.
    """
    raw = value.encode()
    forms = {
        value,
        json.dumps(value)[1:-1],  # as it appears inside a JSON string
        urllib.parse.quote(value, safe=""),
        urllib.parse.quote_plus(value),
        binascii.hexlify(raw).decode(),
        binascii.hexlify(raw).decode().upper(),
    }
    for encoder in (base64.b64encode, base64.urlsafe_b64encode):
        encoded = encoder(raw).decode()
        forms.add(encoded)
        forms.add(encoded.rstrip("="))
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


def register_secret_values(values: Iterable[str]) -> None:
    """
    Add secret values (and their encodings) to those :func:`redact` replaces.

    Values shorter than :data:`MIN_SECRET_LENGTH` (after stripping whitespace) are ignored.
    Registering is idempotent and never forgets a value for the life of the process.
    """
    global _forms, _pattern
    new: set[str] = set()
    for value in values:
        value = value.strip()
        if len(value) >= MIN_SECRET_LENGTH:
            new |= _encodings(value)
    with _lock:
        if new <= set(_forms):
            return
        forms = tuple(sorted(set(_forms) | new, key=lambda f: (-len(f), f)))
        _pattern = re.compile("|".join(re.escape(form) for form in forms))
        _forms = forms


def known_secret_forms() -> tuple[str, ...]:
    """
    Every registered secret in every encoding (for tests and for checking files bridge wrote).
    """
    return _forms


def redact_known(text: str) -> str:
    """
    Return ``text`` with every registered secret value (in any of its encodings) replaced by
    ``[redacted]``. Safe inside JSON: the replacement needs no escaping.
    """
    pattern = _pattern
    if pattern is None:
        return text
    return pattern.sub(REDACTED, text)


def redact(text: str) -> str:
    """
    Return ``text`` with every registered secret value, every credential-shaped value and the
    user/password part of every URL replaced by ``[redacted]``. Idempotent.
    """
    text = redact_known(text)
    if "@" in text and "://" in text:
        text = URL_USERINFO.sub(rf"\g<scheme>{REDACTED}@", text)
    if not has_value_prefix(text):
        return text
    return SECRET_VALUE.sub(REDACTED, text)
