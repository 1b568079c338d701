"""Applying Alembic migrations at start-up, with a copy of the file first.

Alembic is imported only when a database actually needs migrating: a
database already at :data:`HEAD` (every start but the first after an
update) is recognised with one query, which keeps start-up quick.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


# The newest revision in migrations/versions; a test checks it against
# Alembic's own reading of the scripts.
HEAD = "0002"
VERSION_TABLE = "alembic_version"


class ForeignSchema(Exception):
    """The database has tables but no PacketStudio migration history."""


class NewerSchema(Exception):
    """The database was migrated by a newer PacketStudio than this one."""


class MigrationError(Exception):
    """A migration failed; its transaction was rolled back.

    Attributes:
        copy: the copy of the SQLite file made before migrating, if any.
    """

    def __init__(self, message: str, copy: Path | None) -> None:
        super().__init__(message)
        self.copy = copy


def config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head() -> str:
    """Return the newest revision, as Alembic reads it from the scripts."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(config())
    revision = script.get_current_head()
    assert revision is not None
    return revision


def current(connection: Connection) -> str | None:
    """Return the database's revision, or None if it has no migration history."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def known(revision: str) -> bool:
    """Whether ``revision`` is one of this version's migrations."""
    return any((MIGRATIONS / "versions").glob(f"{revision}_*.py"))


def check_is_ours(engine: Engine) -> str | None:
    """Return the database's revision; raise ForeignSchema for someone else's tables."""
    with engine.connect() as connection:
        revision = current(connection)
        tables = set(inspect(connection).get_table_names())
    if revision is None and tables:
        shown = ", ".join(sorted(tables)[:5])
        raise ForeignSchema(f"tables {shown}")
    return revision


def upgrade(
    engine: Engine, *, sqlite_file: Path | None = None, to: str = "head"
) -> None:
    """Bring the database up to ``to``; copy an existing SQLite file aside first."""
    revision = check_is_ours(engine)
    target = HEAD if to == "head" else to
    if revision == target:
        return
    if revision is not None and not known(revision):
        raise NewerSchema(revision)
    copy: Path | None = None
    if sqlite_file is not None and revision is not None:
        from packetstudio.store.database import backup_sqlite, timestamp

        copy = sqlite_file.with_name(
            f"{sqlite_file.stem}.before-{target}-{timestamp()}{sqlite_file.suffix}"
        )
        backup_sqlite(sqlite_file, copy)
        log.info("Copied the database to %s before migrating", copy)
    try:
        _run(engine, to)
    except Exception as exc:  # every migration runs in one transaction
        raise MigrationError(f"{type(exc).__name__}: {exc}", copy) from exc
    log.info("Database migrated from %s to %s", revision or "empty", target)


def _run(engine: Engine, to: str) -> None:
    """Run the migrations up to ``to`` in one transaction.

    A dedicated engine: SQLite migrations switch foreign keys off on their
    connection, and that connection must not go back into the app's pool.
    """
    from alembic import command

    migration_engine = create_engine(engine.url)
    sqlite = migration_engine.dialect.name == "sqlite"
    if sqlite:
        _transactional_sqlite(migration_engine)
    try:
        with migration_engine.connect() as connection, connection.begin():
            cfg = config()
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, to)
            if sqlite:
                # Inside the transaction: a failed check undoes the migration.
                problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if problems:
                    raise RuntimeError(
                        f"foreign key check failed after migration: {problems}"
                    )
    finally:
        migration_engine.dispose()


def _transactional_sqlite(migration_engine: Engine) -> None:
    """Make every migration statement, DDL included, part of one transaction.

    Python's sqlite3 runs CREATE and ALTER outside any transaction unless
    told otherwise, so a migration failing halfway would leave half a schema
    behind; this takes over BEGIN, as SQLAlchemy documents for pysqlite.
    """

    @event.listens_for(migration_engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        # Outside a transaction, where SQLite honours it: a batch table copy
        # with ON DELETE CASCADE would otherwise delete the children of the
        # table being rebuilt.
        dbapi_connection.execute("PRAGMA foreign_keys = OFF")

    @event.listens_for(migration_engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")
