"""Applying Alembic migrations at start-up, with a copy of the file first."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class ForeignSchema(Exception):
    """The database has tables but no PacketStudio migration history."""


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head() -> str:
    script = ScriptDirectory.from_config(config())
    revision = script.get_current_head()
    assert revision is not None
    return revision


def current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


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
    target = head() if to == "head" else to
    if revision == target:
        return
    if sqlite_file is not None and revision is not None:
        from packetstudio.store.database import backup_sqlite, timestamp

        copy = sqlite_file.with_name(
            f"{sqlite_file.stem}.before-{target}-{timestamp()}{sqlite_file.suffix}"
        )
        backup_sqlite(sqlite_file, copy)
        log.info("Copied the database to %s before migrating", copy)
    _run(engine, to)
    log.info("Database migrated from %s to %s", revision or "empty", target)


def _run(engine: Engine, to: str) -> None:
    # A dedicated engine: SQLite migrations switch foreign keys off on their
    # connection, and that connection must not go back into the app's pool.
    migration_engine = create_engine(engine.url)
    try:
        with migration_engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # A batch table copy with ON DELETE CASCADE would otherwise
                # delete the children of the table being rebuilt.
                connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            cfg = config()
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, to)
            connection.commit()
            if connection.dialect.name == "sqlite":
                problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if problems:
                    raise RuntimeError(
                        f"foreign key check failed after migration: {problems}"
                    )
    finally:
        migration_engine.dispose()
