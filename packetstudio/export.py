"""Writing ready handouts to a folder, with safe and readable file names.

A file is named ``Last_First_Type_YYYY-MM-DD.pdf`` (``Lopez_Maria_Nutrition_
2026-12-03.pdf``), keeping the letters of any alphabet and dropping what
Windows, macOS or Linux would refuse. Nothing is overwritten unless asked,
and every file is written to a temporary name in the same folder first and
then renamed, so a crash never leaves half a PDF under a real name.
"""

from __future__ import annotations

import logging
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from packetstudio.store.database import Database
from packetstudio.store.models import Client, Packet
from packetstudio.store.packets import packet_pdf

log = logging.getLogger(__name__)

READY = "ready"
FILE_MODE = 0o644
MAX_NAME_PART = 40
# Characters kept inside a name besides letters, digits and accents.
_KEEP = frozenset("-'")


class ExportError(Exception):
    """The export cannot go ahead; the message says why, naming the file."""


class FileExists(ExportError):
    """Handout files are already there and overwriting was not asked for.

    Attributes:
        paths: the files that exist; none of them was touched.
    """

    def __init__(self, paths: Sequence[Path]) -> None:
        more = f" (and {len(paths) - 1} more)" if len(paths) > 1 else ""
        super().__init__(f"{paths[0]} already exists{more}")
        self.paths = list(paths)


@dataclass(frozen=True)
class ExportItem:
    """A ready packet to export, without its PDF."""

    packet_id: int
    client_id: int
    client_name: str
    packet_type: str
    as_of: date


# -- file names ----------------------------------------------------------------


def safe_part(text: str) -> str:
    """Return ``text`` fit for a file name: letters, digits, "-" and "'".

    Everything else (path separators, reserved characters such as
    ``<>:"/\\|?*``, control characters, dots) becomes a break between words,
    and the words are joined with "-".
    """
    text = unicodedata.normalize("NFC", text)
    kept = "".join(c if _allowed(c) else " " for c in text)
    return "-".join(kept.split())[:MAX_NAME_PART].strip("-'")


def _allowed(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LNM" or char in _KEEP


def handout_file_name(
    client_name: str, packet_type: str, as_of: date, client_id: int | None = None
) -> str:
    """Return the file name of a client's handout.

    The last word of the name is taken as the family name. A name with
    nothing usable left falls back to "Client-<id>".
    """
    words = client_name.split()
    last = safe_part(words[-1]) if words else ""
    first = safe_part(" ".join(words[:-1]))
    names = [part for part in (last, first) if part]
    if not names:
        names = [f"Client-{client_id}" if client_id is not None else "Client"]
    kind = safe_part(packet_type.replace("_", " ").title())
    return "_".join([*names, kind, as_of.isoformat()]) + ".pdf"


# -- writing -------------------------------------------------------------------


def write_atomic(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    Raises:
        FileExists: ``path`` exists and ``overwrite`` is false; it is left
            untouched.
        OSError: the folder or the file cannot be written (the disk is full,
            say); its ``filename`` is ``path`` when the data could not be.
    """
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=".packetstudio-", suffix=".part"
    )
    try:
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as exc:  # name the file meant, not the temporary one
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        # mkstemp makes the file private; a handout is an ordinary document.
        os.chmod(temporary, FILE_MODE)
        if overwrite:
            os.replace(temporary, path)
        else:
            _link_new(Path(temporary), path)
        _sync_folder(path.parent)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _link_new(temporary: Path, path: Path) -> None:
    """Give the written file its name only if no file has it.

    A hard link fails when the name is taken, so a file that appeared since
    the check is never replaced; file systems without hard links fall back
    to checking first.
    """
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise FileExists([path]) from None
    except OSError:
        if path.exists():
            raise FileExists([path]) from None
        os.replace(temporary, path)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable, where the system allows it."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# -- finding and exporting ready packets ---------------------------------------


def ready_packets(
    db: Database,
    *,
    client_ids: Sequence[int] | None = None,
    packet_ids: Sequence[int] | None = None,
) -> list[ExportItem]:
    """Return ready packets, of the given clients or with the given ids.

    With neither, every client's ready packets; packets that are not ready
    are left out.

    Raises:
        ExportError: a given client does not exist.
    """
    query = (
        select(
            Packet.id,
            Packet.client_id,
            Client.full_name,
            Packet.packet_type,
            Packet.content["as_of"].as_string(),
            Packet.ready_at,
        )
        .join(Client, Client.id == Packet.client_id)
        .where(Packet.status == READY, Packet.pdf.is_not(None))
        .order_by(Client.sort_name, Client.id, Packet.packet_type)
    )
    if client_ids is not None:
        query = query.where(Packet.client_id.in_(client_ids))
    if packet_ids is not None:
        query = query.where(Packet.id.in_(packet_ids))
    with db.read() as session:
        if client_ids is not None:
            _check_clients(session, client_ids)
        rows = session.execute(query).all()
    return [
        ExportItem(packet_id, client_id, name, kind, _day(as_of, ready_at))
        for packet_id, client_id, name, kind, as_of, ready_at in rows
    ]


def _check_clients(session: Session, client_ids: Sequence[int]) -> None:
    found = set(session.scalars(select(Client.id).where(Client.id.in_(client_ids))))
    missing = [i for i in client_ids if i not in found]
    if missing:
        raise ExportError(f"No client has id {missing[0]}")


def _day(as_of: str | None, ready_at: datetime | None) -> date:
    """The packet's own date; the day it became ready for older packets."""
    if as_of:
        return date.fromisoformat(as_of)
    return (ready_at or datetime.now()).date()


def plan_files(
    items: Sequence[ExportItem], folder: Path
) -> list[tuple[ExportItem, Path]]:
    """Return where each item goes; clients sharing a name get their id added."""
    names = [
        handout_file_name(i.client_name, i.packet_type, i.as_of, i.client_id)
        for i in items
    ]
    plan: list[tuple[ExportItem, Path]] = []
    for item, name in zip(items, names, strict=True):
        shared = names.count(name) > 1
        stem = name.removesuffix(".pdf")
        unique = f"{stem}_client-{item.client_id}.pdf" if shared else name
        plan.append((item, folder / unique))
    return plan


def export_clients(
    db: Database,
    folder: Path,
    client_ids: Sequence[int] | None = None,
    *,
    force: bool = False,
) -> list[Path]:
    """Write the ready handouts of some clients (every client if None).

    Returns:
        the files written, in order.

    Raises:
        ExportError: a client does not exist, a file exists (without
            ``force``), or the folder cannot be used.
        OSError: a file could not be written.
    """
    return write_handouts(db, ready_packets(db, client_ids=client_ids), folder, force)


def export_packets(
    db: Database, packet_ids: Sequence[int], folder: Path, *, force: bool = False
) -> list[Path]:
    """Write the handouts of the given packets that are ready.

    Returns:
        the files written, in order.

    Raises:
        ExportError: a file exists (without ``force``), or the folder cannot
            be used.
        OSError: a file could not be written.
    """
    return write_handouts(db, ready_packets(db, packet_ids=packet_ids), folder, force)


def write_handouts(
    db: Database, items: Sequence[ExportItem], folder: Path, force: bool
) -> list[Path]:
    """Write each item's PDF into ``folder``; return the files written.

    Every target is checked before anything is written: without ``force``,
    one existing file stops the whole export.
    """
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file, not a folder")
    plan = plan_files(items, folder)
    if not plan:
        return []
    existing = [path for _, path in plan if path.exists()]
    if existing and not force:
        raise FileExists(existing)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for item, path in plan:
        pdf = packet_pdf(db, item.packet_id)
        if pdf is None:  # regenerated since the list was read
            continue
        write_atomic(path, pdf, overwrite=force)
        written.append(path)
        log.info("Exported packet %s", item.packet_id)
    return written
