"""Backups: consistent copies, the daily one, and restoring with a safety copy."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from packetstudio.cli import main
from packetstudio.demo import demo_intakes
from packetstudio.intake import parse_intake
from packetstudio.queue import jobs
from packetstudio.queue.plan import plan_packets
from packetstudio.queue.worker import Worker
from packetstudio.store import Database, backup
from packetstudio.store.clients import (
    add_client,
    add_clients,
    count_clients,
    list_clients,
)
from tests.conftest import example


def file_of(url: str) -> Path:
    return backup.database_file(url)


def test_a_backup_is_a_working_copy_of_the_database(sqlite_url: str) -> None:
    db = Database.open(sqlite_url)
    add_client(db, parse_intake(example("general")))
    copy = backup.take_backup(file_of(sqlite_url))
    db.close()

    backup.check_backup(copy)
    restored = Database.open(f"sqlite:///{copy}")
    assert [c.full_name for c in list_clients(restored)] == ["Maria Lopez"]
    restored.close()


def test_restoring_brings_back_the_database_as_it_was_and_keeps_the_present(
    sqlite_url: str,
) -> None:
    db = Database.open(sqlite_url)
    add_client(db, parse_intake(example("general")))
    taken = backup.take_backup(file_of(sqlite_url))
    add_client(db, parse_intake(example("athlete")))
    db.close()

    safety = backup.restore_backup(file_of(sqlite_url), taken)

    db = Database.open(sqlite_url)
    assert [c.full_name for c in list_clients(db)] == ["Maria Lopez"]
    db.close()
    before = Database.open(f"sqlite:///{safety}")
    assert count_clients(before) == 2
    before.close()
    newest = backup.list_backups(file_of(sqlite_url))[0]
    assert (newest.kind, newest.path) == ("before-restore", safety)


def test_the_daily_backup_runs_once_a_day_and_keeps_fourteen(sqlite_url: str) -> None:
    Database.open(sqlite_url).close()
    database = file_of(sqlite_url)
    folder = backup.backup_folder(database)
    folder.mkdir()
    start = datetime(2026, 11, 1, 9, 0)
    for day in range(20):
        stamp = (start + timedelta(days=day)).strftime("%Y%m%d-%H%M%S")
        (folder / f"packetstudio-{stamp}-000000-auto.sqlite3").write_bytes(b"")
    (folder / "packetstudio-20261101-080000-000000-manual.sqlite3").write_bytes(b"")

    assert backup.automatic_backup(database, today=date(2026, 11, 20)) is None
    made = backup.automatic_backup(database, today=date.today())
    assert made is not None and made.exists()

    kinds = [b.kind for b in backup.list_backups(database)]
    assert kinds.count("auto") == backup.KEEP_AUTOMATIC
    assert kinds.count("manual") == 1, "backups made by hand are never pruned"
    assert backup.automatic_backup(database, today=date.today()) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"hello", "not a PacketStudio backup"), (None, "no such backup file")],
)
def test_restoring_something_that_is_not_a_backup_is_refused(
    sqlite_url: str, tmp_path: Path, content: bytes | None, message: str
) -> None:
    Database.open(sqlite_url).close()
    bogus = tmp_path / "bogus.sqlite3"
    if content is not None:
        bogus.write_bytes(content)
    before = file_of(sqlite_url).read_bytes()
    with pytest.raises(backup.BackupError, match=message):
        backup.restore_backup(file_of(sqlite_url), bogus)
    assert file_of(sqlite_url).read_bytes() == before


def test_a_server_database_is_backed_up_on_the_server() -> None:
    with pytest.raises(backup.BackupError, match="pg_dump"):
        backup.database_file("postgresql+psycopg://desk@server/packetstudio")


def test_a_backup_taken_during_a_batch_is_consistent(sqlite_url: str) -> None:
    db = Database.open(sqlite_url)
    add_clients(db, [parse_intake(raw) for raw in demo_intakes(120, seed=5)])
    jobs.enqueue(db, plan_packets(db, None, "all").requests[:200])
    worker = Worker(db, threads=2, idle_s=0.02)
    running = threading.Thread(target=worker.run, kwargs={"until_empty": True})
    running.start()
    copies = [backup.take_backup(file_of(sqlite_url)) for _ in range(3)]
    running.join(120)
    db.close()

    for copy in copies:
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        opened = Database.open(f"sqlite:///{copy}")
        assert count_clients(opened) == 120
        assert len(list_clients(opened)) == 120
        opened.close()


def test_backup_and_restore_from_the_command_line(
    sqlite_url: str, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["--db", sqlite_url, "demo", "--clients", "3"])
    out = tmp_path / "copy.sqlite3"
    assert main(["--db", sqlite_url, "backup", "--out", str(out)]) == 0
    main(["--db", sqlite_url, "demo", "--clients", "2", "--seed", "9"])

    monkeypatch.setattr("sys.stdin", _Answer("n\n"))
    assert main(["--db", sqlite_url, "restore", str(out)]) == 1
    assert "Nothing was restored" in capsys.readouterr().err

    assert main(["--db", sqlite_url, "restore", str(out), "--yes"]) == 0
    db = Database.open(sqlite_url)
    assert count_clients(db) == 3
    db.close()


class _Answer:
    def __init__(self, text: str) -> None:
        self._text = text

    def readline(self) -> str:
        return self._text
