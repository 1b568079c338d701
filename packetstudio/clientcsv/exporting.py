"""Exporting every client to one CSV file that spreadsheets and the importer read.

One row per client: the client id, every intake field under its target key
(the importer maps these headers back one to one), and the status of the
client's packet of each type. Lists are joined with "; ", injuries and
recovery details get a column per part, yes/no answers are "yes" or "no".
The file is UTF-8 with a byte order mark so that Excel shows accents, cells
that a spreadsheet would run as a formula are neutralised (see
:mod:`.cells`), and it is written atomically.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select

from packetstudio.clientcsv.targets import injury_key
from packetstudio.clientcsv.writing import write_csv
from packetstudio.intake import Injury, Intake, RecoveryDetails
from packetstudio.store.clients import ClientNotFound, current_intakes
from packetstudio.store.database import Database
from packetstudio.store.models import Client, Packet
from packetstudio.vocabulary import PacketType

log = logging.getLogger(__name__)

ID_COLUMN = "client_id"
_CHUNK = 500


def packet_column(packet_type: PacketType) -> str:
    """Return the export column of a packet type's status ("packet.workout")."""
    return f"packet.{packet_type.value}"


def export_header(injury_count: int) -> list[str]:
    """Return the export's columns, with parts for ``injury_count`` injuries."""
    header = [ID_COLUMN]
    for name in Intake.model_fields:
        if name == "injuries":
            header += [
                injury_key(number, part)
                for number in range(1, injury_count + 1)
                for part in Injury.model_fields
            ]
        elif name == "recovery":
            header += [f"recovery.{part}" for part in RecoveryDetails.model_fields]
        else:
            header.append(name)
    return header + [packet_column(t) for t in PacketType]


def intake_cells(intake: Intake) -> dict[str, str]:
    """Return an intake's fields as export cells, keyed by column."""
    cells: dict[str, str] = {}
    for key, value in intake.to_json_dict().items():
        if key == "injuries":
            for number, injury in enumerate(value, start=1):
                for part, item in injury.items():
                    cells[injury_key(number, part)] = cell_text(item)
        elif key == "recovery":
            for part, item in value.items():
                cells[f"recovery.{part}"] = cell_text(item)
        else:
            cells[key] = cell_text(value)
    return cells


def cell_text(value: Any) -> str:
    """Return a JSON value as the text of one cell."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return list_text([str(item) for item in value])
    return str(value)


def list_text(items: list[str]) -> str:
    """Join list items with "; " so that the importer splits them back.

    The importer splits on commas when an answer has no semicolon, as Google
    Forms joins checkbox answers; a single item with a comma in it therefore
    gets a trailing ";" to keep it whole.
    """
    text = "; ".join(items)
    if len(items) == 1 and "," in text:
        return text + ";"
    return text


def write_clients_csv(db: Database, path: Path) -> int:
    """Write every client to ``path`` (replacing it); return how many.

    Raises:
        OSError: the file cannot be written; an existing file is untouched.
    """
    rows = list(_client_rows(db))
    injury_count = max((len(intake.injuries) for _, intake, _ in rows), default=0)
    header = export_header(max(1, injury_count))
    count = write_csv(path, header, (_line(header, *row) for row in rows))
    log.info("Exported %d clients to CSV", count)
    return count


def _line(
    header: list[str], client_id: int, intake: Intake, statuses: dict[str, str]
) -> list[str]:
    cells = intake_cells(intake) | statuses | {ID_COLUMN: str(client_id)}
    return [cells.get(column, "") for column in header]


def _client_rows(db: Database) -> Iterator[tuple[int, Intake, dict[str, str]]]:
    """Yield (id, current intake, packet status by column) for every client."""
    with db.read() as session:
        ids = list(session.scalars(select(Client.id).order_by(Client.id)))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        statuses = _packet_statuses(db, chunk)
        for client_id, _, intake in _current(db, chunk):
            yield client_id, intake, statuses.get(client_id, {})


def _current(db: Database, ids: list[int]) -> list[tuple[int, str, Intake]]:
    """Return the clients' current intakes, leaving out any deleted meanwhile."""
    wanted = list(ids)
    while True:
        try:
            return current_intakes(db, wanted)
        except ClientNotFound as gone:
            wanted.remove(gone.client_id)


def _packet_statuses(db: Database, ids: list[int]) -> dict[int, dict[str, str]]:
    """Return each client's packet status by export column.

    A client has at most one packet per type, which always holds the
    status of the latest job for that type.
    """
    found: dict[int, dict[str, str]] = {}
    with db.read() as session:
        rows = session.execute(
            select(Packet.client_id, Packet.packet_type, Packet.status).where(
                Packet.client_id.in_(ids)
            )
        )
        for client_id, packet_type, status in rows:
            column = f"packet.{packet_type}"
            found.setdefault(client_id, {})[column] = status
    return found
