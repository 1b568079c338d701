"""Migrations: every revision upgrades to head with the rows it holds intact."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from packetstudio.cli import main
from packetstudio.store import Database, migrate, tables
from packetstudio.store.clients import get_client, list_clients
from packetstudio.store.database import DatabaseTooNew, MigrationFailed
from packetstudio.store.models import Base
from tests.conftest import example


def revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_the_first_migration_upgrades_to_head_with_its_rows_intact(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    first = revisions()[0]
    engine = create_engine(url)
    migrate.upgrade(engine, to=first)
    intake = example("general")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO clients (id, full_name, search_text, sort_name,"
                " client_type, goal, created_at, updated_at)"
                " VALUES (7, 'Maria Lopez', 'maria lopez', 'maria lopez',"
                " 'general', 'fat_loss', '2026-01-02 10:00:00',"
                " '2026-01-02 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO intake_versions (client_id, version, data, created_at)"
                " VALUES (7, 1, :data, '2026-01-02 10:00:00')"
            ),
            {"data": json.dumps(intake)},
        )
    engine.dispose()

    db = Database.open(url)
    record = get_client(db, 7)
    assert record.full_name == "Maria Lopez"
    assert record.intake.weight_kg == intake["weight_kg"]
    assert [r.id for r in list_clients(db)] == [7]
    db.close()


def test_head_creates_exactly_the_declared_tables(db: Database) -> None:
    """Columns, types, nullability, keys and indexes: what autogenerate compares."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, tables.metadata)

    assert differences == []


def test_the_orm_classes_map_the_declared_tables() -> None:
    assert Base.metadata is tables.metadata
    mapped = {mapper.local_table for mapper in Base.registry.mappers}
    assert mapped == set(tables.metadata.tables.values())


def test_an_existing_file_is_copied_aside_before_it_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, to=revisions()[0])
    engine.dispose()

    Database.open(f"sqlite:///{path}").close()

    [copy] = tmp_path.glob(f"desk.before-{migrate.head()}-*.sqlite3")
    old = create_engine(f"sqlite:///{copy}")
    with old.connect() as connection:
        assert migrate.current(connection) == revisions()[0]
    old.dispose()


def test_a_new_database_is_not_copied(tmp_path: Path) -> None:
    Database.open(f"sqlite:///{tmp_path / 'new.sqlite3'}").close()
    assert list(tmp_path.glob("*.before-*")) == []


def test_the_head_known_without_alembic_is_alembics_head() -> None:
    assert migrate.HEAD == migrate.head() == revisions()[-1]


def test_opening_a_database_at_head_does_not_load_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    Database.open(url).close()
    check = (
        "import sys; from packetstudio.store import Database; "
        f"Database.open({url!r}).close(); "
        "assert not [m for m in sys.modules if m.startswith('alembic')]"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(
    tmp_path: Path,
) -> None:
    path = tmp_path / "desk.sqlite3"
    Database.open(f"sqlite:///{path}").close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    engine.dispose()
    before = path.read_bytes()

    with pytest.raises(DatabaseTooNew, match="newer version of PacketStudio"):
        Database.open(f"sqlite:///{path}")

    assert path.read_bytes() == before
    assert list(tmp_path.glob("*.before-*")) == []


def test_a_failed_migration_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, to=revisions()[0])
    with engine.begin() as connection:
        # In the way of the next migration, after it has made the jobs table:
        # index names are shared by every table of a SQLite file.
        connection.execute(text("CREATE INDEX ix_jobs_finished_at ON clients (id)"))

    with pytest.raises(MigrationFailed, match="could not update") as failed:
        Database.open(f"sqlite:///{path}")

    with engine.connect() as connection:
        assert migrate.current(connection) == revisions()[0]
        tables = inspect(connection).get_table_names()
        assert "packets" in tables and "jobs" not in tables, "nothing half done"
    engine.dispose()
    [copy] = tmp_path.glob("desk.before-*.sqlite3")
    assert str(copy) in str(failed.value)


def test_the_command_line_explains_a_failed_migration_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "desk.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, to=revisions()[0])
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE jobs (id INTEGER PRIMARY KEY)"))
    engine.dispose()

    status = main(["--db", f"sqlite:///{path}", "clients", "list"])

    err = capsys.readouterr().err
    assert status == 1
    assert "could not update" in err and "Traceback" not in err
