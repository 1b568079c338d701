"""Reading packets: their status for the client view, their PDF for preview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from packetstudio.store import tables
from packetstudio.store.database import Database


@dataclass(frozen=True)
class PacketRecord:
    """A packet as the client view shows it (without its PDF bytes)."""

    id: int
    client_id: int
    packet_type: str
    status: str
    attempts: int
    error_message: str | None
    page_count: int | None
    updated_at: datetime
    ready_at: datetime | None
    has_pdf: bool


_PACKETS = tables.packets

# What the client view shows of a packet: every column but the PDF itself.
_SHOWN = select(
    _PACKETS.c.id,
    _PACKETS.c.client_id,
    _PACKETS.c.packet_type,
    _PACKETS.c.status,
    _PACKETS.c.attempts,
    _PACKETS.c.error_message,
    _PACKETS.c.page_count,
    _PACKETS.c.updated_at,
    _PACKETS.c.ready_at,
    _PACKETS.c.pdf.is_not(None).label("has_pdf"),
)


def packets_for_client(db: Database, client_id: int) -> list[PacketRecord]:
    """Return the client's packets, one per packet type they have."""
    statement = _SHOWN.where(_PACKETS.c.client_id == client_id).order_by(_PACKETS.c.id)
    with db.reading() as connection:
        rows = connection.execute(statement).all()
    return [
        PacketRecord(**row._asdict() | {"has_pdf": bool(row.has_pdf)}) for row in rows
    ]


def packet_pdf(db: Database, packet_id: int) -> bytes | None:
    """Return the stored PDF of a packet, or None if it has none yet."""
    with db.reading() as connection:
        pdf: bytes | None = connection.scalar(
            select(_PACKETS.c.pdf).where(_PACKETS.c.id == packet_id)
        )
    return pdf


def packet_content(db: Database, packet_id: int) -> dict[str, Any] | None:
    """Return the stored content of a packet as JSON values."""
    with db.reading() as connection:
        content = connection.scalar(
            select(_PACKETS.c.content).where(_PACKETS.c.id == packet_id)
        )
    return None if content is None else dict(content)


def generated_packets(db: Database) -> list[tuple[int, str]]:
    """Return (client id, packet type) of every packet that has a PDF."""
    with db.reading() as connection:
        rows = connection.execute(
            select(_PACKETS.c.client_id, _PACKETS.c.packet_type)
            .where(_PACKETS.c.pdf.is_not(None))
            .order_by(_PACKETS.c.client_id, _PACKETS.c.id)
        ).all()
    return [(client_id, packet_type) for client_id, packet_type in rows]
