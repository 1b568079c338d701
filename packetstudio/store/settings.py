"""Preferences stored in the database: for now, the gym's branding.

Each branding field is its own setting, stored as JSON under
``branding.<field>`` (``branding.gym_name``, ``branding.paper``, ...), so a
settings screen can change one without rewriting the others.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import select

from packetstudio.pdf.branding import Branding
from packetstudio.store.database import Database
from packetstudio.store.models import Setting, utcnow

log = logging.getLogger(__name__)

BRANDING_PREFIX = "branding."


def get_settings(db: Database, prefix: str) -> dict[str, Any]:
    """Return every setting whose key starts with ``prefix``, prefix removed."""
    with db.read() as session:
        rows = session.execute(
            select(Setting.key, Setting.value).where(Setting.key.startswith(prefix))
        ).all()
    return {key[len(prefix) :]: value for key, value in rows}


def put_settings(db: Database, prefix: str, values: dict[str, Any]) -> None:
    """Store each value under ``prefix + name``, in one transaction."""
    with db.write() as session:
        at = utcnow()
        for name, value in values.items():
            session.merge(Setting(key=prefix + name, value=value, updated_at=at))


def load_branding(db: Database) -> Branding:
    """Return the stored branding, with defaults for what is not stored.

    A stored value that is no longer valid (a logo file that was moved, say)
    is logged and replaced by its default, so handouts keep being made; the
    settings screen shows the problem when it opens.
    """
    stored = get_settings(db, BRANDING_PREFIX)
    values: dict[str, Any] = {}
    for name in Branding.field_names():
        if name not in stored:
            continue
        value = _from_json(name, stored[name])
        try:
            Branding(**{name: value})
        except (TypeError, ValueError) as exc:
            log.warning("Stored branding %s ignored: %s", name, exc)
            continue
        values[name] = value
    return Branding(**values)


def save_branding(db: Database, branding: Branding) -> None:
    """Store every field of ``branding``."""
    put_settings(db, BRANDING_PREFIX, branding.to_json())
    log.info("Saved the gym's branding")


def _from_json(name: str, value: Any) -> Any:
    if name == "logo_path" and isinstance(value, str):
        return Path(value)
    return value
