"""
What a secret value looks like, and how free text is cleaned of one.

Structured fields that hold a secret are refused at append time (see :mod:`bridge.events.codec`).
Free text that bridge copies from elsewhere — a log tail, a reviewer's text, a failure reason —
may quote a credential by accident; such fields pass through :func:`redact` when the event is
built, so the log keeps the text and never the credential.
"""

from __future__ import annotations

import re

__all__ = ["SECRET_VALUE", "VALUE_PREFIXES", "redact"]

# Well-known credential formats. The look-behind keeps words that merely contain such a prefix
# ("Mask-RCNN_…", "risk-sensitive_…") from matching: a key starts a token.
SECRET_VALUE = re.compile(
    r"(?<![A-Za-z0-9])(?:sk-[A-Za-z0-9_\-]{20,}|ghp_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}"
    r"|AKIA[0-9A-Z]{16}|xox[bpas]-[A-Za-z0-9\-]{10,}|hf_[A-Za-z0-9]{30,})"
)
# Every alternative of SECRET_VALUE starts with one of these (a test checks it).
VALUE_PREFIXES = ("sk-", "ghp_", "github_pat_", "AKIA", "xox", "hf_")
REDACTED = "[redacted]"
# user:password@ (or token@) in a URL: https://alice:hunter2@host/…, https://ghp_…@github.com
URL_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/@\s:]+(?::[^/@\s]*)?@")


def redact(text: str) -> str:
    """
    Return ``text`` with every credential-shaped value, and the user/password part of every
    URL, replaced by ``[redacted]``. Idempotent.
    """
    if "@" in text and "://" in text:
        text = URL_USERINFO.sub(rf"\g<scheme>{REDACTED}@", text)
    if not any(prefix in text for prefix in VALUE_PREFIXES):
        return text
    return SECRET_VALUE.sub(REDACTED, text)
