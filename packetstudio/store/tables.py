"""The database's tables, as SQLAlchemy Core tables.

Changing one means adding an Alembic migration. The ORM classes in
:mod:`packetstudio.store.models` are mapped onto these tables; the queue's
claims and the client list read and write the tables directly, so that the
app shows its first clients, and a worker takes its first job, without
loading the ORM (about a fifth of a second at every start).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

# A fixed naming convention keeps constraint names identical on SQLite and
# PostgreSQL, which batch migrations need to find and alter them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite has no time zones; without this, values would come back naive on
    SQLite and aware on PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: object
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(
        self, value: datetime | None, dialect: object
    ) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def _created() -> Column[datetime]:
    return Column("created_at", UtcDateTime, nullable=False, default=utcnow)


def _belongs_to(name: str, parent: str) -> Column[int]:
    """A key to a row of ``parent``, whose removal removes this row too."""
    key = ForeignKey(f"{parent}.id", ondelete="CASCADE")
    return Column(name, Integer, key, nullable=False, index=True)


# A person the gym makes packets for. The intake itself is versioned.
clients = Table(
    "clients",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("full_name", String(120), nullable=False),
    # Lower-cased name, email and phone: what the search box matches against.
    Column("search_text", String(500), nullable=False),
    Column("sort_name", String(120), nullable=False, index=True),
    Column("email", String(200)),
    Column("phone", String(40)),
    Column("client_type", String(20), nullable=False, index=True),
    Column("goal", String(30), nullable=False),
    Column("date_of_birth", String(10)),
    # Status of the client's most recently changed packet, kept here so the
    # client list can filter and sort 50,000 rows without joining packets.
    Column("packet_status", String(20), index=True),
    _created(),
    Column("updated_at", UtcDateTime, nullable=False, default=utcnow, index=True),
)

# One saved state of a client's intake; editing adds a version.
intake_versions = Table(
    "intake_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    _belongs_to("client_id", "clients"),
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    _created(),
    UniqueConstraint("client_id", "version"),
)

# The current packet of one type for one client, with its PDF. ``status``
# mirrors the packet's latest job so the client list can show it without
# reading the queue.
packets = Table(
    "packets",
    metadata,
    Column("id", Integer, primary_key=True),
    _belongs_to("client_id", "clients"),
    Column("packet_type", String(20), nullable=False),
    Column("status", String(20), nullable=False, default="new"),
    Column("intake_version", Integer),
    Column("generator_version", String(20)),
    Column("template_version", Integer),
    Column("content", JSON),
    Column("pdf", LargeBinary),
    Column("page_count", Integer),
    Column("error_message", Text),
    Column("error_kind", String(40)),
    Column("attempts", Integer, nullable=False, default=0),
    _created(),
    Column("updated_at", UtcDateTime, nullable=False, default=utcnow),
    Column("ready_at", UtcDateTime),
    UniqueConstraint("client_id", "packet_type"),
    Index("ix_packets_status", "status"),
)

# One request to make (or remake) a packet, worked through by the queue. A
# job is claimed by a worker with a lease that the worker renews while it
# runs; a job whose lease has expired belongs to a worker that died and is
# claimed again. Every failed attempt's error is kept in ``errors``.
jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    _belongs_to("packet_id", "packets"),
    Column("client_id", Integer, nullable=False),
    Column("packet_type", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("max_attempts", Integer, nullable=False, default=3),
    Column("interruptions", Integer, nullable=False, default=0),
    Column("run_after", UtcDateTime, nullable=False),
    Column("leased_by", String(120)),
    Column("lease_expires_at", UtcDateTime),
    Column("last_error_kind", String(40)),
    Column("last_error_message", Text),
    Column("errors", JSON, nullable=False, default=list),
    _created(),
    Column("started_at", UtcDateTime),
    Column("finished_at", UtcDateTime),
    Column("cancelled_at", UtcDateTime),
    Column("updated_at", UtcDateTime, nullable=False, default=utcnow),
    Index("ix_jobs_status_run_after", "status", "run_after"),
    Index("ix_jobs_finished_at", "finished_at"),
)

# A version of a packet type's handout template, edited by staff. The
# newest version of a packet type is the one in use; with none, the bundled
# default applies.
templates = Table(
    "templates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("packet_type", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("note", String(200)),
    _created(),
    UniqueConstraint("packet_type", "version"),
)

# One preference, stored as JSON under its key.
settings = Table(
    "settings",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("value", JSON, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False, default=utcnow),
)
