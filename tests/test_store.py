"""The store: opening, refusing foreign files, clients and their intake versions."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from packetstudio.intake import parse_intake
from packetstudio.store import Database, DatabaseUnavailable
from packetstudio.store.clients import (
    ClientNotFound,
    ClientQuery,
    SortKey,
    add_client,
    add_clients,
    count_clients,
    current_intakes,
    delete_client,
    get_client,
    intake_history,
    list_clients,
    matching_client_ids,
    search_clients,
    update_intake,
)
from packetstudio.store.database import NotADatabase
from tests.conftest import example


def person(name: str, **changes: Any) -> Any:
    data = example("general") | {"full_name": name} | changes
    return parse_intake(data)


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(
    sqlite_db: Database,
) -> None:
    with sqlite_db.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_a_new_client_gets_intake_version_one(db: Database) -> None:
    client_id = add_client(db, person("Maria Lopez"))
    record = get_client(db, client_id)
    assert record.full_name == "Maria Lopez"
    assert record.intake_version == 1
    assert record.intake == person("Maria Lopez")


def test_editing_an_intake_keeps_the_earlier_versions(db: Database) -> None:
    client_id = add_client(db, person("Maria Lopez"))
    assert update_intake(db, client_id, person("Maria Lopez", weight_kg=68)) == 2
    assert update_intake(db, client_id, person("Maria López", weight_kg=66)) == 3

    history = intake_history(db, client_id)
    assert [(version, intake.weight_kg) for version, _, intake in history] == [
        (1, 72.5),
        (2, 68.0),
        (3, 66.0),
    ]
    current = get_client(db, client_id)
    assert current.full_name == "Maria López"
    assert current.intake.weight_kg == 66.0


def test_unknown_client_ids_raise_client_not_found(db: Database) -> None:
    with pytest.raises(ClientNotFound, match="No client has id 404"):
        get_client(db, 404)
    with pytest.raises(ClientNotFound):
        update_intake(db, 404, person("Nobody"))


def test_deleting_a_client_removes_their_intake_versions(db: Database) -> None:
    client_id = add_client(db, person("Tom Becker"))
    update_intake(db, client_id, person("Tom Becker", weight_kg=80))
    delete_client(db, client_id)
    with db.read() as session:
        left = session.execute(text("SELECT count(*) FROM intake_versions")).scalar()
    assert left == 0


def test_search_matches_name_without_accents_email_and_phone_digits(
    db: Database,
) -> None:
    zoe = add_client(db, person("Zoë Ångström", email="zoe@example.com"))
    add_client(db, person("Tom Becker", phone="+1 (555) 010-2030"))
    add_client(db, person("Дмитрий Соколов"))

    def found(words: str) -> list[str]:
        return [r.full_name for r in list_clients(db, ClientQuery(text=words))]

    assert found("zoe angstrom") == ["Zoë Ångström"]
    assert found("ZOË") == ["Zoë Ångström"]
    assert found("zoe@example") == ["Zoë Ångström"]
    assert found("555-010") == ["Tom Becker"]
    assert found("соколов") == ["Дмитрий Соколов"]
    assert found("becker zoe") == []
    assert found("100%") == []
    assert count_clients(db, ClientQuery(text="o")) == 3
    assert get_client(db, zoe).full_name == "Zoë Ångström"


def test_list_filters_by_client_type_and_sorts(db: Database) -> None:
    add_clients(
        db,
        [
            person("Cara Diaz"),
            parse_intake(example("athlete") | {"full_name": "Abe Brown"}),
            person("Ben Adams"),
        ],
    )
    by_name = [r.full_name for r in list_clients(db)]
    assert by_name == ["Abe Brown", "Ben Adams", "Cara Diaz"]

    descending = list_clients(db, ClientQuery(sort=SortKey.NAME, descending=True))
    assert [r.full_name for r in descending] == ["Cara Diaz", "Ben Adams", "Abe Brown"]

    athletes = list_clients(db, ClientQuery(client_type="athlete"))
    assert [r.full_name for r in athletes] == ["Abe Brown"]
    assert count_clients(db, ClientQuery(client_type="general")) == 2


def test_list_pages_with_offset_and_limit(db: Database) -> None:
    add_clients(db, [person(f"Client {i:03d}") for i in range(25)])
    page = list_clients(db, offset=10, limit=5)
    assert [r.full_name for r in page] == [f"Client {i:03d}" for i in range(10, 15)]


# -- opening -----------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"shopping list: eggs, oats\n")
    with pytest.raises(NotADatabase, match="not a database file"):
        Database.open(f"sqlite:///{path}")
    assert path.read_bytes() == b"shopping list: eggs, oats\n"


def test_another_programs_sqlite_database_is_refused_and_left_untouched(
    tmp_path: Path,
) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    before = path.read_bytes()
    with pytest.raises(NotADatabase, match="invoices"):
        Database.open(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_an_unreachable_server_is_reported_plainly() -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/packetstudio?connect_timeout=2"
    with pytest.raises(DatabaseUnavailable, match="Cannot open the database"):
        Database.open(url)


def test_reopening_a_migrated_database_keeps_its_clients(sqlite_url: str) -> None:
    first = Database.open(sqlite_url)
    client_id = add_client(first, person("Maria Lopez"))
    first.close()
    again = Database.open(sqlite_url)
    assert get_client(again, client_id).full_name == "Maria Lopez"
    again.close()


def test_a_missing_folder_for_the_database_is_created(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "packetstudio.sqlite3"
    Database.open(f"sqlite:///{path}").close()
    assert path.exists()


def test_search_returns_the_total_and_the_first_page(db: Database) -> None:
    names = [f"Maria Number{i:02d}" for i in range(30)] + ["Tom Becker"]
    add_clients(db, [person(n, email=None) for n in names])
    for words, expected in (("", 31), ("ma", 30), ("number1", 10), ("zzz", 0)):
        total, page = search_clients(db, ClientQuery(text=words), limit=5)
        assert total == expected, words
        assert len(page) == min(5, expected)
    _, page = search_clients(db, ClientQuery(text="number"), limit=3)
    assert [r.full_name for r in page] == [f"Maria Number{i:02d}" for i in range(3)]


def test_current_intakes_of_more_clients_than_one_query_can_name(
    sqlite_db: Database,
) -> None:
    names = [f"Member {n:04d}" for n in range(1_234)]
    ids = add_clients(sqlite_db, [person(name) for name in names])
    found = current_intakes(sqlite_db, list(reversed(ids)))
    assert [row[0] for row in found] == sorted(ids)
    assert [row[1] for row in found] == names
    with pytest.raises(ClientNotFound):
        current_intakes(sqlite_db, [*ids, max(ids) + 1])


def test_matching_client_ids_follow_the_search_filters_and_order(
    db: Database,
) -> None:
    add_client(db, parse_intake(example("athlete") | {"full_name": "Zed Runner"}))
    add_client(db, person("Amy Runner"))
    add_client(db, person("Bob Lifter"))
    rows = {row.full_name: row.id for row in list_clients(db)}
    everyone = matching_client_ids(db)
    assert everyone == [rows["Amy Runner"], rows["Bob Lifter"], rows["Zed Runner"]]
    assert matching_client_ids(db, ClientQuery(text="runner")) == [
        rows["Amy Runner"],
        rows["Zed Runner"],
    ]
    assert matching_client_ids(db, ClientQuery(client_type="athlete")) == [
        rows["Zed Runner"]
    ]
