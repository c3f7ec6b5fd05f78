"""
Tests for :func:`bridge.events.transaction.write_transaction` on a real SQLite file: commit on
success, rollback and re-raise on any exception (KeyboardInterrupt included), the connection
left ready for the next transaction, and a busy writer met at BEGIN with nothing to undo.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge.events.transaction import write_transaction


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database file holding an empty table ``t``."""
    path = tmp_path / "t.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (n INTEGER)")
    conn.close()
    return path


@pytest.fixture
def conn(db: Path) -> Iterator[sqlite3.Connection]:
    """An autocommit connection to ``db``, as the store opens its own."""
    made = sqlite3.connect(db, isolation_level=None, timeout=0.05)
    yield made
    made.close()


def _stored(db: Path) -> list[int]:
    """What another connection reads from ``t``: what was committed."""
    other = sqlite3.connect(db)
    try:
        return [row[0] for row in other.execute("SELECT n FROM t ORDER BY n")]
    finally:
        other.close()


def _insert(conn: sqlite3.Connection, *values: int) -> None:
    conn.executemany("INSERT INTO t VALUES (?)", [(v,) for v in values])


class TestWriteTransaction:
    def test_a_block_that_returns_is_committed(self, db: Path, conn: sqlite3.Connection) -> None:
        """Everything the block wrote is there for another connection once it returns."""
        with write_transaction(conn):
            _insert(conn, 1, 2)
        assert not conn.in_transaction
        assert _stored(db) == [1, 2]

    @pytest.mark.parametrize(
        "raised", [KeyboardInterrupt, SystemExit, ValueError, sqlite3.OperationalError]
    )
    def test_an_exception_part_way_rolls_the_batch_back_and_is_re_raised(
        self, db: Path, conn: sqlite3.Connection, raised: type[BaseException]
    ) -> None:
        """
        Rows written before the exception are not stored, the same exception comes out, and
        the connection takes the next transaction (one left open would refuse its BEGIN).
        """
        with write_transaction(conn):
            _insert(conn, 1)
        with pytest.raises(raised, match="part way"):
            with write_transaction(conn):
                _insert(conn, 2, 3)
                raise raised("part way")
        assert not conn.in_transaction
        assert _stored(db) == [1]
        with write_transaction(conn):
            _insert(conn, 4)
        assert _stored(db) == [1, 4]

    def test_a_failing_statement_undoes_the_rows_before_it(
        self, db: Path, conn: sqlite3.Connection
    ) -> None:
        """
        SQLite undoes only the failing statement; the rest of the batch goes with the rollback.
        """
        conn.execute(
            "CREATE TRIGGER no_three BEFORE INSERT ON t WHEN NEW.n = 3 "
            "BEGIN SELECT RAISE(ABORT, 'three refused'); END"
        )
        with pytest.raises(sqlite3.IntegrityError, match="three refused"):
            with write_transaction(conn):
                _insert(conn, 1, 2, 3, 4)
        assert _stored(db) == []
        with write_transaction(conn):
            _insert(conn, 5)
        assert _stored(db) == [5]

    def test_a_writer_holding_the_lock_is_met_at_begin_with_nothing_to_undo(
        self, db: Path, conn: sqlite3.Connection
    ) -> None:
        """The block never runs while another connection holds the write lock."""
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        ran = []
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                with write_transaction(conn):
                    ran.append(True)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert ran == []
        assert not conn.in_transaction
        with write_transaction(conn):
            _insert(conn, 1)
        assert _stored(db) == [1]
