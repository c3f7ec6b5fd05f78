"""
The sha256 of a file's bytes, read in 1 MiB blocks: how artifacts, collected outputs and the
implementer's snapshots name a file's content.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["file_sha256"]

_BLOCK = 1 << 20


def file_sha256(path: Path) -> str:
    """
    Return the hex sha256 of the file's bytes.

    Raises:
        OSError: the file cannot be read.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()
