"""Clients and their intake versions: adding, editing, finding, listing."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
)

from packetstudio.store import tables
from packetstudio.store.database import Database
from packetstudio.store.tables import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    # The intake model (and pydantic) loads when a stored intake is first
    # read, not with the client list the app opens on; the ORM with the
    # first edit.
    from packetstudio.intake import Intake

_CLIENTS = tables.clients
_INTAKES = tables.intake_versions


class ClientNotFound(LookupError):
    """No client has the given id."""

    def __init__(self, client_id: int) -> None:
        super().__init__(f"No client has id {client_id}")
        self.client_id = client_id


@dataclass(frozen=True)
class ClientRow:
    """What the client list shows for one client."""

    id: int
    full_name: str
    client_type: str
    goal: str
    packet_status: str | None
    updated_at: datetime


@dataclass(frozen=True)
class ClientRecord:
    """A client with the current version of their intake."""

    id: int
    full_name: str
    created_at: datetime
    updated_at: datetime
    intake_version: int
    intake: Intake
    packet_status: str | None


@dataclass(frozen=True)
class StoredIntake:
    """A client's current intake as stored (JSON values), with its version."""

    client_id: int
    full_name: str
    version: int
    data: dict[str, Any]


class SortKey(StrEnum):
    NAME = "name"
    CLIENT_TYPE = "client_type"
    GOAL = "goal"
    PACKET_STATUS = "packet_status"
    UPDATED = "updated"


@dataclass(frozen=True)
class ClientQuery:
    """A search of the client list.

    Attributes:
        text: words that must each appear in the name, email or phone.
        client_type: only clients of this type, if set.
        packet_status: only clients whose latest packet has this status.
    """

    text: str = ""
    client_type: str | None = None
    packet_status: str | None = None
    sort: SortKey = SortKey.NAME
    descending: bool = False


def fold(text: str) -> str:
    """Lower-case and strip accents, so "zoe" finds "Zoë"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _search_text(intake: Intake) -> str:
    parts = [fold(intake.full_name), (intake.email or "").casefold()]
    if intake.phone:
        parts.append(_digits(intake.phone))
    return " ".join(p for p in parts if p)[:500]


def _columns(intake: Intake) -> dict[str, Any]:
    """Return what the clients table keeps of an intake, by column."""
    born = intake.date_of_birth
    return {
        "full_name": intake.full_name,
        "sort_name": fold(intake.full_name)[:120],
        "search_text": _search_text(intake),
        "email": intake.email,
        "phone": intake.phone,
        "client_type": intake.client_type.value,
        "goal": intake.goal.value,
        "date_of_birth": born.isoformat() if born else None,
    }


def add_client(db: Database, intake: Intake) -> int:
    """Store a new client with intake version 1; return the client id."""
    return add_clients(db, [intake])[0]


def add_clients(db: Database, intakes: list[Intake]) -> list[int]:
    """Store many new clients in one transaction; return their ids in order."""
    with db.write() as session:
        return insert_clients(session, intakes)


def insert_clients(session: Session, intakes: list[Intake]) -> list[int]:
    """Add new clients inside the caller's write transaction; return their ids."""
    if not intakes:
        return []
    at = utcnow()
    rows = [_columns(x) | {"created_at": at, "updated_at": at} for x in intakes]
    # Core inserts: the ORM's unit of work costs ten times as much for a
    # large import, and nothing here needs identity tracking.
    ids = list(
        session.scalars(
            insert(_CLIENTS).returning(_CLIENTS.c.id, sort_by_parameter_order=True),
            rows,
        )
    )
    session.execute(
        insert(_INTAKES),
        [
            {"client_id": i, "version": 1, "data": x.to_json_dict(), "created_at": at}
            for i, x in zip(ids, intakes, strict=True)
        ],
    )
    return ids


def update_intake(db: Database, client_id: int, intake: Intake) -> int:
    """Save an edited intake as the client's next version; return its number.

    Earlier versions are kept, so a packet can always say which intake it
    was made from.
    """
    with db.write() as session:
        return add_intake_version(session, client_id, intake)


def add_intake_version(session: Session, client_id: int, intake: Intake) -> int:
    """Save the next intake version inside the caller's write transaction."""
    from packetstudio.store.models import Client, IntakeVersion

    client = session.get(Client, client_id)
    if client is None:
        raise ClientNotFound(client_id)
    latest = session.scalar(
        select(func.max(_INTAKES.c.version)).where(_INTAKES.c.client_id == client_id)
    )
    version = (latest or 0) + 1
    for column, value in _columns(intake).items():
        setattr(client, column, value)
    client.updated_at = utcnow()
    session.add(
        IntakeVersion(client_id=client_id, version=version, data=intake.to_json_dict())
    )
    return version


# The client and their newest intake, in one statement built once: every
# job reads it.
_CURRENT_CLIENT = (
    select(
        _CLIENTS.c.full_name,
        _CLIENTS.c.created_at,
        _CLIENTS.c.updated_at,
        _CLIENTS.c.packet_status,
        _INTAKES.c.version,
        _INTAKES.c.data,
    )
    .join(_INTAKES, _INTAKES.c.client_id == _CLIENTS.c.id)
    .where(_CLIENTS.c.id == bindparam("client_id"))
    .order_by(_INTAKES.c.version.desc())
    .limit(1)
)


_CurrentRow = Row[str, datetime, datetime, str | None, int, dict[str, object]]


def get_client(db: Database, client_id: int) -> ClientRecord:
    """Return the client with their current intake.

    Raises:
        ClientNotFound: if there is no such client.
    """
    with db.reading() as connection:
        return read_client(connection, client_id)


def read_client(connection: Connection, client_id: int) -> ClientRecord:
    """Return the client with their current intake, read through ``connection``.

    Raises:
        ClientNotFound: if there is no such client.
    """
    row = _current_row(connection, client_id)
    return ClientRecord(
        id=client_id,
        full_name=row.full_name,
        created_at=row.created_at,
        updated_at=row.updated_at,
        intake_version=row.version,
        intake=_stored_intake(row.data),
        packet_status=row.packet_status,
    )


def read_stored_intake(connection: Connection, client_id: int) -> StoredIntake:
    """Return the client's current intake as stored, without validating it.

    What a job reads: the intake is validated where the packet is made.

    Raises:
        ClientNotFound: if there is no such client.
    """
    row = _current_row(connection, client_id)
    return StoredIntake(client_id, row.full_name, row.version, row.data)


def _current_row(connection: Connection, client_id: int) -> _CurrentRow:
    row = connection.execute(_CURRENT_CLIENT, {"client_id": client_id}).first()
    if row is None:
        raise ClientNotFound(client_id)
    return row


def intake_history(db: Database, client_id: int) -> list[tuple[int, datetime, Intake]]:
    """Return every intake version of a client, oldest first."""
    with db.reading() as connection:
        rows = connection.execute(
            select(_INTAKES.c.version, _INTAKES.c.created_at, _INTAKES.c.data)
            .where(_INTAKES.c.client_id == client_id)
            .order_by(_INTAKES.c.version)
        ).all()
        if not rows and not _exists(connection, client_id):
            raise ClientNotFound(client_id)
    return [(version, at, _stored_intake(data)) for version, at, data in rows]


def _exists(connection: Connection, client_id: int) -> bool:
    found = select(_CLIENTS.c.id).where(_CLIENTS.c.id == client_id)
    return connection.execute(found).first() is not None


def delete_client(db: Database, client_id: int) -> None:
    """Remove a client with their intakes, packets and jobs."""
    with db.writing() as connection:
        deleted = connection.execute(delete(_CLIENTS).where(_CLIENTS.c.id == client_id))
        if not deleted.rowcount:
            raise ClientNotFound(client_id)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(query: ClientQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for word in query.text.split():
        digits = _digits(word)
        needle = (
            digits if digits and len(digits) >= 3 and not fold(word).isalpha() else None
        )
        term = needle if needle else fold(word)
        conditions.append(
            _CLIENTS.c.search_text.like(f"%{_like_escape(term)}%", escape="\\")
        )
    if query.client_type:
        conditions.append(_CLIENTS.c.client_type == query.client_type)
    if query.packet_status:
        conditions.append(_CLIENTS.c.packet_status == query.packet_status)
    return conditions


_SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.NAME: _CLIENTS.c.sort_name,
    SortKey.CLIENT_TYPE: _CLIENTS.c.client_type,
    SortKey.GOAL: _CLIENTS.c.goal,
    SortKey.PACKET_STATUS: _CLIENTS.c.packet_status,
    SortKey.UPDATED: _CLIENTS.c.updated_at,
}


def _select_rows(query: ClientQuery) -> Any:
    column = _SORT_COLUMNS[query.sort]
    if _selective(query.text) and query.sort is not SortKey.UPDATED:
        # With a selective search term, scanning the table and sorting the
        # few matches beats walking the sort index past every other row.
        column = column.concat("")
    order = [column.desc() if query.descending else column.asc(), _CLIENTS.c.id.asc()]
    return (
        select(
            _CLIENTS.c.id,
            _CLIENTS.c.full_name,
            _CLIENTS.c.client_type,
            _CLIENTS.c.goal,
            _CLIENTS.c.packet_status,
            _CLIENTS.c.updated_at,
        )
        .where(and_(True, *_conditions(query)))
        .order_by(*order)
    )


def _selective(text: str) -> bool:
    return any(len(word) >= 3 for word in text.split())


def search_clients(
    db: Database, query: ClientQuery, *, limit: int
) -> tuple[int, list[ClientRow]]:
    """Return how many clients match ``query`` and the first ``limit`` of them.

    One scan of the table does both, which matters with 50,000 clients and a
    search on every keystroke.
    """
    if not _selective(query.text):
        # Most clients match: the sort index finds a page at once, and a
        # plain count is cheaper than counting in a window over all rows.
        return count_clients(db, query), list_clients(db, query, limit=limit)
    total = func.count().over().label("total")
    statement = _select_rows(query).add_columns(total).limit(limit)
    with db.reading() as connection:
        rows = connection.execute(statement).all()
    if not rows:
        return 0, []
    found = [
        ClientRow(**{k: v for k, v in r._asdict().items() if k != "total"})
        for r in rows
    ]
    return int(rows[0].total), found


def list_clients(
    db: Database,
    query: ClientQuery = ClientQuery(),
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[ClientRow]:
    """Return one page of clients matching ``query``, in its order."""
    statement = _select_rows(query).offset(offset)
    if limit is not None:
        statement = statement.limit(limit)
    with db.reading() as connection:
        return [ClientRow(**row._asdict()) for row in connection.execute(statement)]


def count_clients(db: Database, query: ClientQuery = ClientQuery()) -> int:
    """Return how many clients match ``query``."""
    statement = select(func.count(_CLIENTS.c.id)).where(and_(True, *_conditions(query)))
    with db.reading() as connection:
        return connection.scalar(statement) or 0


def matching_client_ids(db: Database, query: ClientQuery = ClientQuery()) -> list[int]:
    """Return the ids of every client matching ``query``, in its order."""
    statement = _select_rows(query).with_only_columns(_CLIENTS.c.id)
    with db.reading() as connection:
        return list(connection.scalars(statement))


# Ids per ``IN (...)`` list; SQLite refuses statements with too many parameters.
_IDS_PER_QUERY = 500


def current_intakes(
    db: Database, client_ids: list[int] | None = None
) -> list[tuple[int, str, Intake]]:
    """Return (id, name, current intake) of the given clients, or of all.

    Raises:
        ClientNotFound: for the first requested id that does not exist.
    """
    if client_ids is not None and len(client_ids) > _IDS_PER_QUERY:
        chunks = [
            current_intakes(db, client_ids[start : start + _IDS_PER_QUERY])
            for start in range(0, len(client_ids), _IDS_PER_QUERY)
        ]
        return sorted((row for chunk in chunks for row in chunk), key=lambda r: r[0])
    latest = (
        select(_INTAKES.c.client_id, func.max(_INTAKES.c.version).label("version"))
        .group_by(_INTAKES.c.client_id)
        .subquery()
    )
    statement = (
        select(_CLIENTS.c.id, _CLIENTS.c.full_name, _INTAKES.c.data)
        .join(latest, latest.c.client_id == _CLIENTS.c.id)
        .join(
            _INTAKES,
            and_(
                _INTAKES.c.client_id == _CLIENTS.c.id,
                _INTAKES.c.version == latest.c.version,
            ),
        )
        .order_by(_CLIENTS.c.id)
    )
    if client_ids is not None:
        statement = statement.where(_CLIENTS.c.id.in_(client_ids))
    with db.reading() as connection:
        rows = connection.execute(statement).all()
    found = {row[0] for row in rows}
    for client_id in client_ids or []:
        if client_id not in found:
            raise ClientNotFound(client_id)
    return [(cid, name, _stored_intake(data)) for cid, name, data in rows]


def _stored_intake(data: dict[str, Any]) -> Intake:
    from packetstudio.intake import Intake

    return Intake.from_stored(data)
