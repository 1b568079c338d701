"""Opening a PacketStudio database: refuse foreign files, migrate, hand out sessions."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError as DriverError
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from packetstudio import __version__
from packetstudio.paths import user_data_dir
from packetstudio.store import engine as engines
from packetstudio.store import migrate

if TYPE_CHECKING:
    # The ORM loads with the first session, not with the database: the
    # client list and the queue's claims read and write tables directly.
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseError(Exception):
    """A database problem a person can act on; the message says what to do."""


class DatabaseUnavailable(DatabaseError):
    """The database cannot be reached or opened right now."""


class NotADatabase(DatabaseError):
    """The file is not a PacketStudio database; it was left untouched."""


class DatabaseBusy(DatabaseUnavailable):
    """Another program kept the database locked for longer than the busy timeout."""


class DiskFull(DatabaseUnavailable):
    """The database file could not be written: the disk is full or failing."""


class DatabaseDamaged(DatabaseError):
    """The database file is damaged; a backup has to be restored."""


class DatabaseTooNew(DatabaseError):
    """A newer PacketStudio has updated the database; this one cannot use it."""


class MigrationFailed(DatabaseError):
    """Updating the database to this version failed; it was left as it was."""


# SQLite result codes, compared by their low byte unless extended.
_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_UNREACHABLE = {
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_PERM,
}
# Writes refused for want of room: a full disk, or a write, sync or resize
# that failed (a full disk or a file size limit gives these too).
_NOT_WRITTEN = {
    sqlite3.SQLITE_IOERR_WRITE,
    sqlite3.SQLITE_IOERR_FSYNC,
    sqlite3.SQLITE_IOERR_TRUNCATE,
    sqlite3.SQLITE_IOERR_SHMSIZE,
}


def default_url() -> str:
    """Return ``PACKETSTUDIO_DB`` or the SQLite file in the user data folder."""
    configured = os.environ.get("PACKETSTUDIO_DB")
    if configured:
        return configured
    return f"sqlite:///{user_data_dir() / 'packetstudio.sqlite3'}"


def sqlite_path(url: str) -> Path | None:
    """Return the file behind a SQLite URL, or None for memory or another backend."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (
        None,
        "",
        ":memory:",
    ):
        return None
    return Path(parsed.database)


def describe(url: str) -> str:
    """Return the URL with any password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


class Database:
    """An open, migrated PacketStudio database.

    Use :meth:`read` for queries and :meth:`write` for changes; both yield an
    ORM session that is closed on exit, and :meth:`write` commits or rolls
    back. :meth:`reading` and :meth:`writing` do the same with a plain
    connection, for table statements where no ORM object is wanted.
    """

    def __init__(
        self, url: str, *, busy_timeout_s: float = engines.SQLITE_BUSY_TIMEOUT_S
    ):
        self.url = url
        self.busy_timeout_s = busy_timeout_s
        self.is_sqlite = engines.is_sqlite(url)
        self.engine: Engine = engines.create(url, busy_timeout_s=busy_timeout_s)
        # Its transactions take the write lock as they begin (BEGIN IMMEDIATE).
        self._immediate = self.engine.execution_options(**{engines.IMMEDIATE: True})

    @cached_property
    def _reader(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine, expire_on_commit=False)

    @cached_property
    def _writer(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self._immediate, expire_on_commit=False)

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        upgrade: bool = True,
        busy_timeout_s: float = engines.SQLITE_BUSY_TIMEOUT_S,
    ) -> Database:
        """Open the database at ``url`` (the default one if None), migrating it.

        Raises:
            NotADatabase: the file exists but is not a PacketStudio database.
            DatabaseBusy: another program keeps the file locked.
            DatabaseUnavailable: the server or file cannot be reached.
        """
        url = url or default_url()
        path = sqlite_path(url)
        if path is not None:
            _check_sqlite_file(path, busy_timeout_s)
        database = cls(url, busy_timeout_s=busy_timeout_s)
        try:
            if upgrade:
                migrate.upgrade(database.engine, sqlite_file=path)
            else:
                migrate.check_is_ours(database.engine)
        except migrate.NewerSchema as exc:
            database.close()
            raise DatabaseTooNew(
                f"{describe(url)} was updated by a newer version of PacketStudio "
                f"(database version {exc}; this is version {__version__}). Install "
                "the newer version, or choose another database. It was left "
                "untouched."
            ) from None
        except migrate.MigrationError as exc:
            database.close()
            raise _migration_failed(url, exc, busy_timeout_s) from exc
        except migrate.ForeignSchema as exc:
            database.close()
            raise NotADatabase(
                f"{describe(url)} holds tables that are not PacketStudio's ({exc}); "
                "it was left untouched. Choose another file or an empty database."
            ) from None
        except DriverError as exc:
            database.close()
            known = explain(url, exc, busy_timeout_s)
            if isinstance(known, DatabaseDamaged):
                raise NotADatabase(f"{known} It was left untouched.") from exc
            if known is None and not isinstance(exc, OperationalError):
                raise
            raise known or DatabaseUnavailable(_unavailable(url, exc)) from exc
        return database

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """Yield a session for queries; nothing it changes is kept.

        Objects loaded through it stay readable after the block, detached.

        Raises:
            DatabaseError: the file or server failed (see :func:`explain`).
        """
        with self._plain_errors(), self._reader() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """Yield a connection for table queries in one read transaction.

        Cheaper than :meth:`read` where no ORM object is wanted: a job reads
        its inputs this way, several statements seeing one snapshot.

        Raises:
            DatabaseError: the file or server failed (see :func:`explain`).
        """
        with self._plain_errors(), self.engine.connect() as connection:
            yield connection

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """Yield a connection in one write transaction, committed on success.

        Cheaper than :meth:`write` where table statements do: the queue
        claims and finishes its jobs this way.

        Raises:
            DatabaseBusy: another program kept the database locked for longer
                than the busy timeout; nothing was written.
            DiskFull: the change could not be written; nothing was.
            DatabaseError: the file or server failed otherwise.
        """
        with self._plain_errors(), self._immediate.begin() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Session]:
        """Yield a session in one write transaction, committed on success.

        Raises:
            DatabaseBusy: another program kept the database locked for longer
                than the busy timeout; nothing was written.
            DiskFull: the change could not be written; nothing was.
            DatabaseError: the file or server failed otherwise.
        """
        with self._plain_errors(), self._writer() as session, session.begin():
            yield session

    @contextmanager
    def _plain_errors(self) -> Iterator[None]:
        """Raise the driver's errors about the file or server as DatabaseErrors."""
        try:
            yield
        except DriverError as exc:
            known = explain(self.url, exc, self.busy_timeout_s)
            if known is None:
                raise
            raise known from exc

    def table_names(self) -> list[str]:
        return inspect(self.engine).get_table_names()


def explain(
    url: str, exc: BaseException, busy_timeout_s: float
) -> DatabaseError | None:
    """Return the plain-words error for a failure of the database itself.

    Known by SQLite's result code, never by message: the database locked by
    another program, the disk full, the file damaged or out of reach. On a
    server, every OperationalError is the server out of reach. Returns None
    for anything else (a mistake in a query is a bug, not the database's).
    """
    where = sqlite_path(url) or describe(url)
    code = getattr(getattr(exc, "orig", exc), "sqlite_errorcode", None)
    if code is None:
        if isinstance(exc, OperationalError):
            return DatabaseUnavailable(_unavailable(url, exc))
        return None
    if code & 0xFF in _BUSY:
        return DatabaseBusy(
            f"The database {where} is locked by another program, which has kept "
            f"it busy for more than {busy_timeout_s:g} seconds. Wait for it to "
            "finish or close it, then try again."
        )
    if code & 0xFF == sqlite3.SQLITE_FULL or code in _NOT_WRITTEN:
        return DiskFull(
            f"The database {where} could not be written: the disk is full (or "
            "failing). Free some space, then try again; nothing was lost."
        )
    if code & 0xFF in _DAMAGED:
        return DatabaseDamaged(
            f"The database {where} is damaged ({_reason(exc)}). Restore it from "
            "a backup."
        )
    if code & 0xFF in _UNREACHABLE:
        return DatabaseUnavailable(f"Cannot use the database {where}: {_reason(exc)}")
    return None


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]


def _check_sqlite_file(path: Path, busy_timeout_s: float) -> None:
    if path.is_dir():
        raise NotADatabase(f"{path} is a folder, not a database file")
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
        if header != SQLITE_MAGIC:
            raise NotADatabase(
                f"{path} is not a database file; it was left untouched. "
                "Choose a PacketStudio database or a new file name."
            )
        _check_sqlite_tables(path, busy_timeout_s)
    elif not path.parent.exists():
        try:
            path.parent.mkdir(parents=True)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"Cannot create the folder {path.parent}: {exc}"
            ) from exc


def _check_sqlite_tables(path: Path, busy_timeout_s: float) -> None:
    """Refuse another program's SQLite file before anything writes to it.

    Opened read-only: PacketStudio's own connections would switch the file to
    WAL, which already changes it.
    """
    uri = f"{path.as_uri()}?mode=ro"
    if not _has_wal_files(path):
        # Even a read-only reader of a WAL-mode file creates "-wal" and "-shm"
        # files beside it. With neither there, no program has the file open in
        # WAL mode, so reading it as immutable is safe and leaves the folder
        # exactly as it was; a file being written by a program in rollback
        # mode at that instant may read as damaged, and is refused unchanged.
        uri += "&immutable=1"
    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=busy_timeout_s)) as conn:
            tables = {
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            }
    except sqlite3.DatabaseError as exc:
        known = explain(f"sqlite:///{path}", exc, busy_timeout_s)
        if isinstance(known, DatabaseUnavailable):  # locked, or out of reach
            raise known from None
        raise NotADatabase(
            f"{path} is damaged or not a database ({exc}); it was left untouched."
        ) from None
    if tables and "alembic_version" not in tables:
        shown = ", ".join(sorted(tables)[:5])
        raise NotADatabase(
            f"{path} holds tables that are not PacketStudio's ({shown}); it was "
            "left untouched. Choose another file or a new file name."
        )


def _has_wal_files(path: Path) -> bool:
    return any(path.with_name(path.name + end).exists() for end in ("-wal", "-shm"))


def _migration_failed(
    url: str, exc: migrate.MigrationError, busy_timeout_s: float
) -> DatabaseError:
    """Return the error to report for a failed migration."""
    cause = exc.__cause__
    if isinstance(cause, DriverError):
        known = explain(url, cause, busy_timeout_s)
        if isinstance(known, DatabaseUnavailable):
            return known  # busy, out of reach or full: not the migration's fault
    copy = f" A copy from before the update is at {exc.copy}." if exc.copy else ""
    reason = _reason(cause) if cause is not None else str(exc)
    return MigrationFailed(
        f"PacketStudio could not update {describe(url)} to this version: {reason}. "
        f"The database was left as it was.{copy} Please send this message to "
        "your support contact."
    )


def _unavailable(url: str, exc: SQLAlchemyError) -> str:
    return f"Cannot open the database {describe(url)}: {_reason(exc)}"


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live SQLite database with the online backup API; return ``target``.

    The copy is written beside ``target`` and renamed, so a crash never leaves
    a half-written backup under the final name.
    """
    partial = target.with_name(target.name + ".partial")
    with (
        closing(sqlite3.connect(source)) as src,
        closing(sqlite3.connect(partial)) as dst,
    ):
        src.backup(dst)
    os.replace(partial, target)
    return target


def timestamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")
