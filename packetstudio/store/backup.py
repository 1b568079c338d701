"""Backups of the SQLite database: automatic, by hand, and restoring one.

Copies are made with SQLite's online backup API, so they are consistent even
while the app or a worker is writing. They live in a ``backups`` folder next
to the database file. A PostgreSQL database is backed up on its server
(``pg_dump``); these functions refuse it with that advice.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from packetstudio.store.database import (
    SQLITE_MAGIC,
    DatabaseError,
    backup_sqlite,
    sqlite_path,
)

log = logging.getLogger(__name__)

KEEP_AUTOMATIC = 14
PREFIX = "packetstudio-"
AUTO = "auto"
PRE_RESTORE = "before-restore"


class BackupError(DatabaseError):
    """A backup could not be made or restored; the message says why."""


@dataclass(frozen=True)
class Backup:
    """One backup file.

    Attributes:
        kind: ``auto`` (start-up), ``manual`` or ``before-restore``.
    """

    path: Path
    taken_at: datetime
    kind: str


def database_file(url: str) -> Path:
    """Return the SQLite file behind ``url``.

    Raises:
        BackupError: for a PostgreSQL (or in-memory) database.
    """
    path = sqlite_path(url)
    if path is None:
        raise BackupError(
            "This database is on a server: back it up there with pg_dump "
            "(see docs/deployment.md). PacketStudio backs up SQLite files only."
        )
    return path


def backup_folder(database: Path) -> Path:
    return database.parent / "backups"


def take_backup(database: Path, out: Path | None = None, kind: str = "manual") -> Path:
    """Copy the live database to ``out``, by default a new file in backups/."""
    if not database.exists():
        raise BackupError(f"There is no database at {database} to back up")
    if out is None:
        folder = backup_folder(database)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        out = folder / f"{PREFIX}{stamp}-{kind}.sqlite3"
    if out.exists():
        raise BackupError(f"{out} already exists; choose another file name")
    try:
        backup_sqlite(database, out)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"Could not write the backup {out}: {exc}") from exc
    log.info("Backed up the database to %s", out)
    return out


def list_backups(database: Path) -> list[Backup]:
    """Return the backups in the backups folder, newest first."""
    folder = backup_folder(database)
    found = []
    for path in folder.glob(f"{PREFIX}*.sqlite3"):
        parts = path.stem.removeprefix(PREFIX).split("-", 3)
        try:
            taken = datetime.strptime(f"{parts[0]}-{parts[1]}", "%Y%m%d-%H%M%S")
        except (ValueError, IndexError):
            continue
        found.append(Backup(path, taken, parts[3] if len(parts) > 3 else "manual"))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def automatic_backup(database: Path, today: date | None = None) -> Path | None:
    """Back up at most once a day, keeping the newest 14 automatic backups.

    Returns the new backup, or None if today's already exists or there is no
    database yet.
    """
    if not database.exists():
        return None
    day = today or date.today()
    automatic = [b for b in list_backups(database) if b.kind == AUTO]
    if any(b.taken_at.date() == day for b in automatic):
        return None
    made = take_backup(database, kind=AUTO)
    for old in automatic[KEEP_AUTOMATIC - 1 :]:
        old.path.unlink(missing_ok=True)
        log.info("Removed old automatic backup %s", old.path.name)
    return made


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound PacketStudio database.

    Raises:
        BackupError: naming the file and what is wrong with it.
    """
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupError(f"{path} is not a PacketStudio backup (not a database)")
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as a database: {exc}") from None
    if "alembic_version" not in tables or "clients" not in tables:
        raise BackupError(f"{path} is a database, but not a PacketStudio backup")
    if verdict != "ok":
        raise BackupError(f"{path} is damaged ({verdict}); choose another backup")


def restore_backup(database: Path, backup: Path) -> Path:
    """Replace the database's contents with ``backup``; return the safety copy.

    The current state is backed up first, as its own ``before-restore``
    backup. Every other connection to the database must be closed; the copy
    runs inside one SQLite transaction, so a crash leaves either the old or
    the restored database, never a mix.
    """
    check_backup(backup)
    safety = take_backup(database, kind=PRE_RESTORE) if database.exists() else None
    try:
        with (
            closing(sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(database, timeout=15)) as dst,
        ):
            src.backup(dst)
    except sqlite3.Error as exc:
        raise BackupError(f"Could not restore from {backup}: {exc}") from exc
    log.info("Restored the database from %s", backup)
    return safety if safety is not None else backup
