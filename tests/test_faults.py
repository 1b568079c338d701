"""Faults around PacketStudio: a full disk, a locked database, a foreign file.

A full disk, a database locked by another program and a ``--db`` file that
is not a PacketStudio database are each reported in plain words, never with
a traceback; nothing is lost, and work goes on once the disk has room again
or the lock is released. The disk is made "full" with a file size limit on a
real process (RLIMIT_FSIZE), so every write past the limit fails as on a
full disk, and SQLite and the handout export see the errors they would there.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from packetstudio.cli import main
from packetstudio.demo import demo_intakes
from packetstudio.intake import parse_intake
from packetstudio.queue import jobs
from packetstudio.queue.jobs import JobStatus, QueueConfig
from packetstudio.queue.plan import plan_packets
from packetstudio.queue.worker import Worker
from packetstudio.store import Database
from packetstudio.store.clients import add_client, add_clients, list_clients
from packetstudio.store.database import (
    DatabaseBusy,
    DiskFull,
    NotADatabase,
    sqlite_path,
)
from packetstudio.store.models import Packet
from tests.conftest import EXAMPLES, example

# Runs the command line with a limit on the size of any file it writes, as if
# the disk were full past that size. SIGXFSZ would kill the process; ignored,
# the write fails with EFBIG instead.
LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), resource.RLIM_INFINITY))
from packetstudio.cli import main
sys.exit(main(sys.argv[2:]))
"""
# Room for SQLite's shared-memory file (32 KiB), not for a handout PDF.
LESS_THAN_A_PDF = 40_000
# Room for the queue's small writes to the database's log, not for a PDF.
ROOM_FOR_SMALL_WRITES = 64 * 1024

# Holds a SQLite file locked until a line arrives on stdin. "exclusive" also
# keeps readers out, as a program in exclusive locking mode does.
LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "exclusive":
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN EXCLUSIVE")
conn.execute("UPDATE clients SET full_name = full_name")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""

FAST = QueueConfig(backoff_s=0.05, jitter=0.0, lease_s=5)
QUICK_ENV = {"PACKETSTUDIO_LEASE_S": "2", "PACKETSTUDIO_BACKOFF_S": "0.1"}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def integrity(url: str) -> str:
    path = sqlite_path(url)
    assert path is not None
    with sqlite3.connect(path) as connection:
        result: str = connection.execute("PRAGMA integrity_check").fetchone()[0]
    return result


def cli(*args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``packetstudio ARGS`` as its own process, with a file size limit."""
    prefix = ["-c", LIMITED, str(limit)] if limit else ["-m", "packetstudio"]
    return subprocess.run(
        [sys.executable, *prefix, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_plain_failure(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, result.stderr
    assert result.stderr.startswith("packetstudio: "), result.stderr
    assert "Traceback" not in result.stderr


def names_in(url: str) -> list[str]:
    result = cli("--db", url, "clients", "list", "--json")
    assert result.returncode == 0, result.stderr
    return sorted(c["full_name"] for c in json.loads(result.stdout))


def ready_database(url: str, clients: int = 3) -> Database:
    """A database with demo clients whose nutrition packets are ready."""
    db = Database.open(url)
    add_clients(db, [parse_intake(raw) for raw in demo_intakes(clients, 4)])
    jobs.enqueue(db, plan_packets(db, None, "nutrition").requests)
    Worker(db, config=FAST, idle_s=0.02).run(until_empty=True)
    return db


# -- a full disk ---------------------------------------------------------------


def test_a_full_disk_fails_a_handout_export_plainly_and_a_retry_succeeds(
    sqlite_url: str, tmp_path: Path
) -> None:
    ready_database(sqlite_url).close()
    out = tmp_path / "handouts"
    out.mkdir()

    export = ("--db", sqlite_url, "packets", "export", "--all", "--out", str(out))
    full = cli(*export, limit=LESS_THAN_A_PDF)

    assert_plain_failure(full, 2)
    named = re.search(
        rf"{re.escape(str(out))}/(\S+\.pdf): cannot be written", full.stderr
    )
    assert named, full.stderr
    assert "(File too large)" in full.stderr
    assert list(out.iterdir()) == [], "no partial or temporary file is left"

    freed = cli(*export)
    assert freed.returncode == 0, freed.stderr
    written = sorted(out.iterdir())
    assert written and all(p.read_bytes().startswith(b"%PDF-") for p in written)
    assert out / named.group(1) in written
    assert integrity(sqlite_url) == "ok"


def test_a_full_disk_fails_generate_pdf_naming_the_file_and_a_retry_succeeds(
    tmp_path: Path,
) -> None:
    target = tmp_path / "handout.pdf"
    intake = str(EXAMPLES[0])
    args = ("generate", "--intake", intake, "--type", "nutrition", "--pdf")

    full = cli(*args, str(target), limit=LESS_THAN_A_PDF)

    assert_plain_failure(full, 2)
    assert f"{target}: cannot be written (File too large)" in full.stderr
    assert list(tmp_path.iterdir()) == []

    freed = cli(*args, str(target))
    assert freed.returncode == 0, freed.stderr
    assert target.read_bytes().startswith(b"%PDF-")


def test_a_full_disk_refuses_new_clients_plainly_and_keeps_the_others(
    sqlite_url: str,
) -> None:
    db = Database.open(sqlite_url)
    add_clients(db, [parse_intake(raw) for raw in demo_intakes(20, 5)])
    before = sorted(r.full_name for r in list_clients(db))
    db.close()  # the last connection empties the database's log
    path = sqlite_path(sqlite_url)
    demo = ("--db", sqlite_url, "demo", "--clients", "100", "--seed", "9")

    full = cli(*demo, limit=LESS_THAN_A_PDF)

    assert_plain_failure(full, 1)
    assert f"The database {path} could not be written: the disk is full" in (
        full.stderr
    )
    assert names_in(sqlite_url) == before
    freed = cli(*demo)
    assert freed.returncode == 0, freed.stderr
    assert len(names_in(sqlite_url)) == len(before) + 100
    assert integrity(sqlite_url) == "ok"


def test_a_database_that_cannot_grow_reports_a_full_disk_and_keeps_its_clients(
    sqlite_url: str,
) -> None:
    db = Database.open(sqlite_url)
    add_clients(db, [parse_intake(raw) for raw in demo_intakes(5, 1)])
    before = list_clients(db)
    with db.read() as session:
        pages = session.connection().exec_driver_sql("PRAGMA page_count").scalar()

    # SQLite's own limit on the number of pages: it answers SQLITE_FULL, as
    # on a full disk.
    def cap(connection: Any, _record: Any) -> None:
        connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(db.engine, "connect", cap)
    db.engine.dispose()
    more = [parse_intake(raw) for raw in demo_intakes(100, 2)]
    with pytest.raises(DiskFull, match="could not be written: the disk is full"):
        add_clients(db, more)
    assert list_clients(db) == before

    event.remove(db.engine, "connect", cap)
    db.engine.dispose()
    add_clients(db, more)
    assert len(list_clients(db)) == len(before) + len(more)
    db.close()
    assert integrity(sqlite_url) == "ok"


@pytest.mark.slow
def test_a_worker_on_a_full_disk_waits_then_stores_every_packet_once(
    sqlite_url: str, tmp_path: Path
) -> None:
    db = Database.open(sqlite_url)
    ids = add_clients(db, [parse_intake(raw) for raw in demo_intakes(4, 6)])
    job_ids = jobs.enqueue(db, [(i, "nutrition") for i in ids])
    names = sorted(r.full_name for r in list_clients(db))
    db.close()  # the last connection empties the database's log
    log = tmp_path / "worker.log"

    limited = [sys.executable, "-c", LIMITED, str(ROOM_FOR_SMALL_WRITES)]
    work = ["worker", "--processes", "0", "--until-empty"]
    with log.open("w") as stderr:
        worker = subprocess.Popen(
            [*limited, "--db", sqlite_url, *work],
            stderr=stderr,
            stdout=subprocess.DEVNULL,
            env=os.environ | QUICK_ENV,
        )
    try:
        wait_for(lambda: log.read_text().count("disk is full") >= 2, worker)
        assert jobs_ready(sqlite_url) == 0
        # Space is freed: the running worker may write again.
        unlimited = (resource.RLIM_INFINITY, resource.RLIM_INFINITY)
        resource.prlimit(worker.pid, resource.RLIMIT_FSIZE, unlimited)
        assert worker.wait(60) == 0
    finally:
        worker.kill()

    text = log.read_text()
    assert "Traceback" not in text
    assert f"The database {sqlite_path(sqlite_url)} could not be written" in text
    db = Database.open(sqlite_url)
    assert jobs.stats(db).counts == {JobStatus.READY: len(job_ids)}
    with db.read() as session:
        pdfs = session.scalars(select(Packet.pdf)).all()
    assert len(pdfs) == len(job_ids)
    assert all(pdf and pdf.startswith(b"%PDF-") for pdf in pdfs)
    records = [jobs.get(db, i) for i in job_ids]
    kinds = {e["kind"] for r in records if r is not None for e in r.errors}
    assert kinds <= {"disk_full", "interrupted"}, "a full disk is not a bug"
    db.close()
    assert names_in(sqlite_url) == names
    assert integrity(sqlite_url) == "ok"


def jobs_ready(url: str) -> int:
    path = sqlite_path(url)
    assert path is not None
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as connection:
        count: int = connection.execute(
            "SELECT count(*) FROM jobs WHERE status = 'ready'"
        ).fetchone()[0]
    return count


def wait_for(done: Any, process: subprocess.Popen[Any], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert process.poll() is None, "the worker ended early"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# -- a database locked by another program ---------------------------------------


@pytest.fixture
def locked(sqlite_url: str) -> Iterator[Any]:
    """Lock the database from another process: ``locked(mode)``; released after."""
    lockers: list[subprocess.Popen[str]] = []

    def lock(mode: str = "transaction") -> subprocess.Popen[str]:
        path = sqlite_path(sqlite_url)
        locker = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(path), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        lockers.append(locker)
        assert locker.stdout is not None
        assert locker.stdout.readline().strip() == "locked"
        return locker

    yield lock
    for locker in lockers:
        release(locker)


def release(locker: subprocess.Popen[str]) -> None:
    if locker.poll() is None:
        assert locker.stdin is not None
        locker.stdin.write("\n")
        locker.stdin.close()
        locker.wait(10)
    if locker.stdout is not None:
        locker.stdout.close()


@pytest.fixture
def filled(sqlite_url: str) -> list[str]:
    """Three clients in the database; return their names."""
    db = Database.open(sqlite_url)
    add_clients(db, [parse_intake(raw) for raw in demo_intakes(3, 7)])
    names = sorted(r.full_name for r in list_clients(db))
    db.close()
    return names


def test_a_locked_database_refuses_writes_plainly_then_takes_them(
    sqlite_url: str, filled: list[str], locked: Any
) -> None:
    db = Database.open(sqlite_url, busy_timeout_s=0.3)
    locker = locked()

    with pytest.raises(DatabaseBusy) as refused:
        add_client(db, parse_intake(example("general")))
    assert str(sqlite_path(sqlite_url)) in str(refused.value)
    assert "locked by another program" in str(refused.value)
    with pytest.raises(DatabaseBusy):
        jobs.enqueue(db, [(1, "nutrition")])
    assert sorted(r.full_name for r in list_clients(db)) == filled, "reads go on"

    release(locker)
    add_client(db, parse_intake(example("general")))
    jobs.enqueue(db, [(1, "nutrition")])
    assert len(list_clients(db)) == len(filled) + 1
    assert jobs.stats(db).counts == {JobStatus.QUEUED: 1}
    db.close()
    assert integrity(sqlite_url) == "ok"


def test_a_database_locked_even_for_reading_is_busy_not_damaged(
    sqlite_url: str, filled: list[str], locked: Any
) -> None:
    locker = locked("exclusive")
    with pytest.raises(DatabaseBusy, match="locked by another program"):
        Database.open(sqlite_url, busy_timeout_s=0.3)

    release(locker)
    db = Database.open(sqlite_url, busy_timeout_s=0.3)
    assert sorted(r.full_name for r in list_clients(db)) == filled
    db.close()


def test_a_worker_waits_out_a_locked_database_and_then_makes_every_packet(
    sqlite_url: str,
    filled: list[str],
    locked: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    db = Database.open(sqlite_url, busy_timeout_s=0.2)
    job_ids = jobs.enqueue(db, [(i, "nutrition") for i in (1, 2, 3)])
    locker = locked()
    worker = Worker(db, config=FAST, idle_s=0.05)
    thread = threading.Thread(target=worker.run, kwargs={"until_empty": True})

    thread.start()
    deadline = time.monotonic() + 30
    while "locked by another program" not in caplog.text:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    release(locker)
    thread.join(60)

    assert not thread.is_alive()
    assert jobs.stats(db).counts == {JobStatus.READY: len(job_ids)}
    busy = [r for r in caplog.records if "locked by another program" in r.message]
    assert busy and all(r.exc_info is None for r in busy), "plain words, no trace"
    db.close()


@pytest.mark.slow
def test_the_command_line_reports_a_locked_database_and_succeeds_once_released(
    sqlite_url: str, filled: list[str], locked: Any
) -> None:
    locker = locked()
    path = sqlite_path(sqlite_url)
    add = ("--db", sqlite_url, "clients", "add", "--intake", str(EXAMPLES[0]))
    queue = ("--db", sqlite_url, "packets", "enqueue", "--all-clients")
    queue += ("--type", "nutrition")

    # Both wait out the busy timeout (15 s) side by side.
    with ThreadPoolExecutor(2) as pool:
        refused = list(pool.map(lambda args: cli(*args), [add, queue]))
    for result in refused:
        assert_plain_failure(result, 1)
        assert f"The database {path} is locked by another program" in result.stderr
    assert names_in(sqlite_url) == filled, "reading works while locked"

    release(locker)
    assert cli(*add).returncode == 0
    assert cli(*queue).returncode == 0
    assert len(names_in(sqlite_url)) == len(filled) + 1
    assert integrity(sqlite_url) == "ok"


# -- a file that is not a PacketStudio database ----------------------------------


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(3).randbytes(50_000))


def _text(path: Path) -> None:
    path.write_text("name,weight\nMaria Lopez,72.5\n", encoding="utf-8")


def _other_program(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total)")
        connection.execute("INSERT INTO invoices (total) VALUES (12.5)")
    connection.close()


def _truncated(path: Path) -> None:
    source = path.with_name("whole.sqlite3")
    ready_database(f"sqlite:///{source}").close()
    data = source.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


def _header_only(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 40)


NOT_OURS = {
    "random bytes": _random_bytes,
    "a text file": _text,
    "another program's SQLite database": _other_program,
    "a truncated copy of a PacketStudio database": _truncated,
    "a bare SQLite header": _header_only,
}


@pytest.mark.parametrize("kind", NOT_OURS)
def test_a_file_that_is_not_ours_is_refused_naming_it_and_left_untouched(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "chosen.sqlite3"
    NOT_OURS[kind](path)
    before, others = digest(path), set(tmp_path.iterdir())

    status = main(["--db", f"sqlite:///{path}", "clients", "list"])

    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith(f"packetstudio: {path} ") and "left untouched" in err
    assert "Traceback" not in err
    assert digest(path) == before
    assert set(tmp_path.iterdir()) == others, "nothing written beside it"
    with pytest.raises(NotADatabase, match=re.escape(str(path))):
        Database.open(f"sqlite:///{path}")
    assert digest(path) == before


def test_an_empty_file_becomes_a_new_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.sqlite3"
    path.touch()
    url = f"sqlite:///{path}"

    assert main(["--db", url, "clients", "add", "--intake", str(EXAMPLES[0])]) == 0
    assert main(["--db", url, "clients", "list", "--json"]) == 0

    listed = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert [c["full_name"] for c in listed] == [example(EXAMPLES[0].stem)["full_name"]]


def test_a_damaged_page_in_our_database_is_reported_without_a_traceback(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database.open(sqlite_url)
    add_clients(db, [parse_intake(raw) for raw in demo_intakes(40, 8)])
    db.close()
    path = sqlite_path(sqlite_url)
    assert path is not None
    with sqlite3.connect(path) as connection:
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'clients'"
        ).fetchone()[0]
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)

    status = main(["--db", sqlite_url, "clients", "list"])

    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith(f"packetstudio: The database {path} is damaged")
    assert "Restore it from a backup" in err and "Traceback" not in err
