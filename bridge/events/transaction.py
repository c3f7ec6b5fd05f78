"""
:func:`write_transaction`: the one write transaction the SQLite log uses for its appends, its
snapshot writes and the creation of its schema.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["write_transaction"]


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """
    Run the ``with`` block in one write transaction on ``conn`` (an autocommit connection,
    ``isolation_level=None``): ``BEGIN IMMEDIATE``, the block, ``COMMIT``.

    The contract:

    - The block returns: the transaction is committed; everything it wrote is stored.
    - Any exception, from the block or from the ``COMMIT``, a ``BaseException`` such as
      ``KeyboardInterrupt`` or ``SystemExit`` included: the transaction is rolled back and the
      same exception re-raised. Nothing of the failed batch is stored, and ``conn`` is left
      outside any transaction, ready for the next one.
    - ``BEGIN IMMEDIATE`` takes the write lock at once, so another writer holding it past the
      connection's busy timeout is met here (as ``sqlite3.OperationalError``), before anything
      is read; there is then nothing to roll back.

    The rollback is issued only while a transaction is open: a signal handled just after the
    ``COMMIT`` (Ctrl-C, SIGTERM) raises with none left, and a bare ``ROLLBACK`` would fail and
    hide it. Translating ``sqlite3`` errors into bridge's is the caller's business.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
