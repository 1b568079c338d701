"""Engine factory: the connection settings every PacketStudio database needs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_S = 15.0

# Execution option that makes a SQLite transaction start with BEGIN IMMEDIATE.
IMMEDIATE = "packetstudio_immediate"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create(url: str, *, busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S) -> Engine:
    """Create an engine for ``url`` with PacketStudio's connection settings.

    SQLite gets WAL, a busy timeout and foreign keys on every connection, and
    transactions that start with the BEGIN this module emits itself: pysqlite
    would otherwise issue a deferred BEGIN late, and a deferred transaction that
    reads and then writes fails at once with "database is locked" whatever the
    timeout. Write transactions pass :data:`IMMEDIATE` to take the write lock
    up front and wait for it.
    """
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(
        url,
        connect_args={"timeout": busy_timeout_s, "check_same_thread": False},
    )
    _prepare_sqlite(engine, busy_timeout_s)
    return engine


def _prepare_sqlite(engine: Engine, busy_timeout_s: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over BEGIN from the driver (SQLAlchemy's documented recipe for
        # the sqlite3 module of Python 3.11).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed job must survive a power cut, not just a crash.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Search text is stored and searched case-folded already; a byte-wise
        # LIKE is about a third faster on the client list.
        cursor.execute("PRAGMA case_sensitive_like = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
