"""Reading packets: their status for the client view, their PDF for preview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from packetstudio.store.database import Database
from packetstudio.store.models import Packet


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


def _record(packet: Packet, has_pdf: bool) -> PacketRecord:
    return PacketRecord(
        id=packet.id,
        client_id=packet.client_id,
        packet_type=packet.packet_type,
        status=packet.status,
        attempts=packet.attempts,
        error_message=packet.error_message,
        page_count=packet.page_count,
        updated_at=packet.updated_at,
        ready_at=packet.ready_at,
        has_pdf=has_pdf,
    )


def packets_for_client(db: Database, client_id: int) -> list[PacketRecord]:
    """Return the client's packets, one per packet type they have."""
    with db.read() as session:
        rows = session.execute(
            select(Packet, Packet.pdf.is_not(None))
            .where(Packet.client_id == client_id)
            .order_by(Packet.id)
        ).all()
        return [_record(packet, bool(has_pdf)) for packet, has_pdf in rows]


def packet_pdf(db: Database, packet_id: int) -> bytes | None:
    """Return the stored PDF of a packet, or None if it has none yet."""
    with db.read() as session:
        return session.scalar(select(Packet.pdf).where(Packet.id == packet_id))


def packet_content(db: Database, packet_id: int) -> dict[str, Any] | None:
    """Return the stored content of a packet as JSON values."""
    with db.read() as session:
        content = session.scalar(select(Packet.content).where(Packet.id == packet_id))
        return None if content is None else dict(content)


def generated_packets(db: Database) -> list[tuple[int, str]]:
    """Return (client id, packet type) of every packet that has a PDF."""
    with db.read() as session:
        rows = session.execute(
            select(Packet.client_id, Packet.packet_type)
            .where(Packet.pdf.is_not(None))
            .order_by(Packet.client_id, Packet.id)
        ).all()
    return [(client_id, packet_type) for client_id, packet_type in rows]
