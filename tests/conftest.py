"""Shared fixtures: real databases (SQLite files and, when available, PostgreSQL)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from packetstudio.paths import resource
from packetstudio.store import Database

# Set by .ci/run (and by developers who started a server with .ci/pg-start):
# a PostgreSQL URL whose user may create databases.
PG_URL = os.environ.get("PACKETSTUDIO_TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("PACKETSTUDIO_REQUIRE_PG") == "1"

EXAMPLES = sorted(resource("examples").glob("*.json"))


def example(name: str) -> dict[str, Any]:
    """Return the raw JSON of ``resources/examples/<name>.json``."""
    data: dict[str, Any] = json.loads(resource("examples", f"{name}.json").read_text())
    return data


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    if PG_URL or REQUIRE_PG:
        return
    skip = pytest.mark.skip(reason="no PostgreSQL: set PACKETSTUDIO_TEST_PG_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'packetstudio.sqlite3'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if not PG_URL:
        pytest.fail(
            "PACKETSTUDIO_REQUIRE_PG is set but PACKETSTUDIO_TEST_PG_URL is not"
        )
    name = f"ps_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite"),
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    """A URL for an empty database, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """An open, migrated database on each backend."""
    database = Database.open(db_url)
    yield database
    database.close()


@pytest.fixture
def sqlite_db(sqlite_url: str) -> Iterator[Database]:
    database = Database.open(sqlite_url)
    yield database
    database.close()


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """Collect reference cycles on the GUI thread while a Qt test runs, as the app
    does: a collection started on a pool thread may free Qt objects there."""
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield
        return
    from packetstudio.ui.collector import GuiThreadCollector

    request.getfixturevalue("qapp")
    collector = GuiThreadCollector()
    yield
    collector.stop()
