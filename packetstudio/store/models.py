"""The ORM classes, mapped onto the tables of :mod:`packetstudio.store.tables`.

For the writes that change several rows of a client, a packet or a job at
once; the columns, their types and defaults are the tables'.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, relationship

from packetstudio.store import tables
from packetstudio.store.tables import utcnow

__all__ = [
    "Base",
    "Client",
    "IntakeVersion",
    "Job",
    "Packet",
    "Setting",
    "Template",
    "utcnow",
]


class Base(DeclarativeBase):
    metadata = tables.metadata


class Client(Base):
    """A person the gym makes packets for. The intake itself is versioned."""

    __table__ = tables.clients

    id: Mapped[int]
    full_name: Mapped[str]
    search_text: Mapped[str]
    sort_name: Mapped[str]
    email: Mapped[str | None]
    phone: Mapped[str | None]
    client_type: Mapped[str]
    goal: Mapped[str]
    date_of_birth: Mapped[str | None]
    packet_status: Mapped[str | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    intakes: Mapped[list[IntakeVersion]] = relationship(
        back_populates="client",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="IntakeVersion.version",
    )


class IntakeVersion(Base):
    """One saved state of a client's intake; editing adds a version."""

    __table__ = tables.intake_versions

    id: Mapped[int]
    client_id: Mapped[int]
    version: Mapped[int]
    data: Mapped[dict[str, object]]
    created_at: Mapped[datetime]

    client: Mapped[Client] = relationship(back_populates="intakes")


class Packet(Base):
    """The current packet of one type for one client, with its PDF.

    ``status`` mirrors the packet's latest job so the client list can show it
    without reading the queue.
    """

    __table__ = tables.packets

    id: Mapped[int]
    client_id: Mapped[int]
    packet_type: Mapped[str]
    status: Mapped[str]
    intake_version: Mapped[int | None]
    generator_version: Mapped[str | None]
    template_version: Mapped[int | None]
    content: Mapped[dict[str, object] | None]
    # Read only when asked for: a PDF is tens of kilobytes.
    pdf: Mapped[bytes | None] = column_property(tables.packets.c.pdf, deferred=True)
    page_count: Mapped[int | None]
    error_message: Mapped[str | None]
    error_kind: Mapped[str | None]
    attempts: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    ready_at: Mapped[datetime | None]


class Job(Base):
    """One request to make (or remake) a packet, worked through by the queue.

    A job is claimed by a worker with a lease that the worker renews while it
    runs; a job whose lease has expired belongs to a worker that died and is
    claimed again. Every failed attempt's error is kept in ``errors``.
    """

    __table__ = tables.jobs

    id: Mapped[int]
    packet_id: Mapped[int]
    client_id: Mapped[int]
    packet_type: Mapped[str]
    status: Mapped[str]
    attempts: Mapped[int]
    max_attempts: Mapped[int]
    interruptions: Mapped[int]
    run_after: Mapped[datetime]
    leased_by: Mapped[str | None]
    lease_expires_at: Mapped[datetime | None]
    last_error_kind: Mapped[str | None]
    last_error_message: Mapped[str | None]
    errors: Mapped[list[dict[str, object]]]
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class Template(Base):
    """A version of a packet type's handout template, edited by staff.

    The newest version of a packet type is the one in use; with none, the
    bundled default applies.
    """

    __table__ = tables.templates

    id: Mapped[int]
    packet_type: Mapped[str]
    version: Mapped[int]
    body: Mapped[str]
    note: Mapped[str | None]
    created_at: Mapped[datetime]


class Setting(Base):
    """One preference, stored as JSON under its key."""

    __table__ = tables.settings

    key: Mapped[str]
    value: Mapped[object]
    updated_at: Mapped[datetime]
