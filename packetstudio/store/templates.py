"""Staff-edited handout templates, stored with their history.

The newest stored version of a packet type's template is the one in use;
with none stored, the bundled default applies. Editing never overwrites: a
save adds a version, and resetting stores the default as a new version, so
every handout can say which template it was made with.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, func, insert, select

from packetstudio.pdf.branding import Branding
from packetstudio.store import tables
from packetstudio.store.database import Database
from packetstudio.store.tables import utcnow
from packetstudio.templates.defaults import (
    SAMPLE_AS_OF,
    default_template,
    sample_client_name,
    samples,
)
from packetstudio.templates.time_limit import TEMPLATE_TIME_LIMIT
from packetstudio.vocabulary import PacketType

log = logging.getLogger(__name__)

MAX_NOTE = 200
RESET_NOTE = "Reset to the default template"


@dataclass(frozen=True)
class TemplateVersion:
    """One stored version of a packet type's template."""

    packet_type: str
    version: int
    body: str
    note: str | None
    created_at: datetime


def check_template(
    packet_type: PacketType | str,
    source: str,
    *,
    time_limit: float = TEMPLATE_TIME_LIMIT,
) -> None:
    """Render ``source`` against the packet type's sample packets.

    The samples are the example packet and the same packet needing a
    physician first, so a template must handle both.

    Args:
        packet_type: whose samples to render.
        source: the template's text.
        time_limit: the seconds the template's code may run for each sample.

    Raises:
        TemplateFailure: the template cannot make a handout, or runs past
            ``time_limit``; the message names the line.
    """
    from packetstudio.pdf.render import render_handout

    kind = PacketType(packet_type)
    name = sample_client_name(kind)
    for content in samples(kind):
        render_handout(
            kind.value,
            content,
            source,
            Branding(),
            name,
            SAMPLE_AS_OF,
            time_limit=time_limit,
        )


def current_template(
    db: Database, packet_type: PacketType | str
) -> tuple[str, int | None]:
    """Return the template in use and its version (None for the default)."""
    with db.reading() as connection:
        return read_template(connection, packet_type)


_TEMPLATES = tables.templates
_NEWEST = (
    select(_TEMPLATES.c.body, _TEMPLATES.c.version)
    .where(_TEMPLATES.c.packet_type == bindparam("packet_type"))
    .order_by(_TEMPLATES.c.version.desc())
    .limit(1)
)


def read_template(
    connection: Connection, packet_type: PacketType | str
) -> tuple[str, int | None]:
    """:func:`current_template`, read through ``connection``."""
    kind = PacketType(packet_type)
    row = connection.execute(_NEWEST, {"packet_type": kind.value}).first()
    if row is None:
        return default_template(kind), None
    return row.body, row.version


def save_template(
    db: Database, packet_type: PacketType | str, source: str, note: str = ""
) -> int:
    """Check and store an edited template as the next version; return it.

    Raises:
        TemplateFailure: the template is refused; nothing was stored.
        ValueError: the note is longer than 200 characters.
    """
    kind = PacketType(packet_type)
    if len(note) > MAX_NOTE:
        raise ValueError(f"note: at most {MAX_NOTE} characters")
    check_template(kind, source)
    version = _store(db, kind, source, note or None)
    log.info("Saved version %s of the %s template", version, kind.value)
    return version


def reset_template(db: Database, packet_type: PacketType | str) -> int:
    """Store the bundled default as the next version; return its number.

    The edited versions stay in the history.
    """
    kind = PacketType(packet_type)
    version = _store(db, kind, default_template(kind), RESET_NOTE)
    log.info("Reset the %s template to the default (version %s)", kind.value, version)
    return version


def template_history(
    db: Database, packet_type: PacketType | str
) -> list[TemplateVersion]:
    """Return every stored version of a packet type's template, newest first."""
    kind = PacketType(packet_type)
    columns = [_TEMPLATES.c[name] for name in _VERSION_COLUMNS]
    with db.reading() as connection:
        rows = connection.execute(
            select(*columns)
            .where(_TEMPLATES.c.packet_type == kind.value)
            .order_by(_TEMPLATES.c.version.desc())
        ).all()
    return [TemplateVersion(**row._asdict()) for row in rows]


_VERSION_COLUMNS = ("packet_type", "version", "body", "note", "created_at")


def _store(db: Database, kind: PacketType, body: str, note: str | None) -> int:
    with db.writing() as connection:
        latest = connection.scalar(
            select(func.max(_TEMPLATES.c.version)).where(
                _TEMPLATES.c.packet_type == kind.value
            )
        )
        version = (latest or 0) + 1
        connection.execute(
            insert(_TEMPLATES).values(
                packet_type=kind.value,
                version=version,
                body=body,
                note=note,
                created_at=utcnow(),
            )
        )
        return version
