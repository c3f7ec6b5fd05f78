"""
Cloning the plan's ``base_repo`` into ``<project>/base_repo/``, shallow, before implementing.

The clone runs ``git clone --depth 1 -- URL base_repo`` (an argv list, never a shell; ``--``
keeps a URL from being read as an option). ``GIT_TERMINAL_PROMPT=0`` makes a repository that
needs credentials fail at once instead of waiting for a password nobody will type. Credentials
in the URL (``https://user:token@host/...``) are replaced by ``***`` in every message.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import attrs

from bridge.errors import ImplementError
from bridge.lazy_patterns import lazy
from bridge.value_methods import value_methods

__all__ = ["BASE_REPO_DIR", "BaseRepo", "clone_base_repo", "clone_if_set", "redact_url"]

BASE_REPO_DIR = "base_repo"
_CREDENTIALS = lazy(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")


def redact_url(text: str) -> str:
    """
    Return ``text`` with the user/password part of every URL in it replaced by ``***``.
    """
    return _CREDENTIALS.sub(r"\g<scheme>***@", text)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class BaseRepo:
    """
    A cloned base repository.

    Attributes:
        path: the clone (``<project>/base_repo``).
        url: the URL it was cloned from, credentials redacted.
        commit: the full commit id checked out.
    """

    path: Path
    url: str
    commit: str


def _git(args: list[str], cwd: Path | None, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as err:
        raise ImplementError("git is not installed (needed to clone base_repo)") from err
    except subprocess.TimeoutExpired as err:
        raise ImplementError(
            f"git {args[0]} did not finish within {timeout:g} s (base_repo)"
        ) from err


def clone_base_repo(url: str, project: Path, *, timeout_seconds: float = 600.0) -> BaseRepo:
    """
    Clone ``url`` shallowly into ``<project>/base_repo`` and return the commit checked out.

    Idempotent: when ``base_repo/`` already holds a clone whose ``origin`` is ``url`` (an earlier
    pass, or a pipeline resumed after a crash), it is kept as it is and its ``HEAD`` returned.

    Args:
        url: any URL git understands (``https://``, ``ssh://``, ``file://``, a local path).
        project: the project root.
        timeout_seconds: bound on each git command.

    Returns:
        The clone's path, the redacted URL and the commit id.

    Raises:
        ImplementError: git is missing, the clone failed (the message carries git's own
            message), or ``base_repo/`` exists and is not a clone of ``url``.
    """
    dest = project / BASE_REPO_DIR
    shown = redact_url(url)
    if dest.exists():
        origin = _git(["remote", "get-url", "origin"], dest, timeout_seconds)
        if origin.returncode != 0 or origin.stdout.strip() != url:
            raise ImplementError(
                f"{dest} exists but is not a clone of {shown}; move it away or fix base_repo"
            )
    else:
        cloned = _git(
            ["clone", "--depth", "1", "--quiet", "--", url, str(dest)], None, timeout_seconds
        )
        if cloned.returncode != 0:
            message = redact_url(cloned.stderr.strip() or cloned.stdout.strip())
            raise ImplementError(f"cloning base_repo {shown} failed: {message}")
    head = _git(["rev-parse", "HEAD"], dest, timeout_seconds)
    if head.returncode != 0:
        raise ImplementError(
            f"base_repo {shown} has no commit checked out: {redact_url(head.stderr.strip())}"
        )
    return BaseRepo(path=dest, url=shown, commit=head.stdout.strip())


def clone_if_set(
    url: str | None, project: Path, *, timeout_seconds: float
) -> tuple[str, tuple[Path, ...]]:
    """
    Clone ``url`` when one is set (:func:`clone_base_repo`): the commit checked out and the
    clone's path as a further root to resolve scripts in; ``("", ())`` without a URL.

    Raises:
        ImplementError: as :func:`clone_base_repo`.
    """
    if not url:
        return "", ()
    cloned = clone_base_repo(url, project, timeout_seconds=timeout_seconds)
    return cloned.commit, (cloned.path,)
