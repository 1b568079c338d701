"""Preferences stored in the database: the gym's branding and the queue's.

Each branding field is its own setting, stored as JSON under
``branding.<field>`` (``branding.gym_name``, ``branding.paper``, ...), so a
settings screen can change one without rewriting the others.

The logo is stored in the database itself (a scaled PNG, base64 in
``branding.logo_png``), so every front desk sharing a server prints the same
one; it is written to the user cache folder when a handout needs it as a file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, select

from packetstudio.paths import user_cache_dir
from packetstudio.pdf.branding import LOGO_SUFFIXES, Branding
from packetstudio.store import tables
from packetstudio.store.database import Database
from packetstudio.store.tables import utcnow

log = logging.getLogger(__name__)

BRANDING_PREFIX = "branding."
LOGO_KEY = "logo_png"
QUEUE_PREFIX = "queue."

# A logo is printed about 3 cm wide: 800 pixels is sharp at any print
# resolution and keeps the stored image small.
LOGO_MAX_PIXELS = 800
LOGO_MAX_FILE_BYTES = 20_000_000

DEFAULT_KEEP_DAYS = 30
KEEP_DAYS_RANGE = (1, 3650)


class SettingError(ValueError):
    """A preference cannot be saved; the message names it and what is allowed."""


_SETTINGS = tables.settings
_PREFIXED = select(_SETTINGS.c.key, _SETTINGS.c.value).where(
    _SETTINGS.c.key.startswith(bindparam("prefix"))
)


def get_settings(db: Database, prefix: str) -> dict[str, Any]:
    """Return every setting whose key starts with ``prefix``, prefix removed."""
    with db.reading() as connection:
        return read_settings(connection, prefix)


def read_settings(connection: Connection, prefix: str) -> dict[str, Any]:
    """:func:`get_settings`, read through ``connection``."""
    rows = connection.execute(_PREFIXED, {"prefix": prefix}).all()
    return {key[len(prefix) :]: value for key, value in rows}


def put_settings(db: Database, prefix: str, values: dict[str, Any]) -> None:
    """Store each value under ``prefix + name``, in one transaction."""
    from packetstudio.store.models import Setting

    with db.write() as session:
        at = utcnow()
        for name, value in values.items():
            session.merge(Setting(key=prefix + name, value=value, updated_at=at))


# -- branding -----------------------------------------------------------------


def load_branding(db: Database) -> Branding:
    """Return the stored branding, with defaults for what is not stored.

    A stored value that is no longer valid (a logo file that was moved, say)
    is logged and replaced by its default, so handouts keep being made; the
    settings screen shows the problem when it opens.
    """
    with db.reading() as connection:
        return read_branding(connection)


def read_branding(connection: Connection) -> Branding:
    """:func:`load_branding`, read through ``connection``.

    Every job reads the branding; the stored values are parsed (and the logo
    written out) once for as long as they stay the same.
    """
    stored = json.dumps(read_settings(connection, BRANDING_PREFIX), sort_keys=True)
    cache = user_cache_dir()
    branding = _branding_from(stored, cache)
    if branding.logo_path is not None and not branding.logo_path.is_file():
        _branding_from.cache_clear()  # the logo's file was removed; write it again
        branding = _branding_from(stored, cache)
    return branding


@lru_cache(maxsize=4)
def _branding_from(stored_json: str, cache: Path) -> Branding:
    stored = json.loads(stored_json)
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
    values.pop("logo_path", None)  # a path from an older version
    logo = stored.get(LOGO_KEY)
    if isinstance(logo, str):
        try:
            values["logo_path"] = _logo_file(logo, cache)
        except (OSError, ValueError, binascii.Error) as exc:
            log.warning("The stored logo cannot be used: %s", exc)
    return Branding(**values)


def save_branding(db: Database, branding: Branding) -> None:
    """Store every field of ``branding``, the logo image itself included.

    Raises:
        SettingError: the logo file cannot be read as a PNG or JPEG image.
    """
    values = branding.to_json()
    logo = branding.logo_path
    values["logo_path"] = None
    values[LOGO_KEY] = None if logo is None else logo_png(logo)
    put_settings(db, BRANDING_PREFIX, values)
    log.info("Saved the gym's branding")


def logo_png(image: Path) -> str:
    """Return ``image`` scaled to fit the logo size, as base64 PNG.

    Raises:
        SettingError: the file is missing, too big, or not a PNG or JPEG.
    """
    from PIL import Image, UnidentifiedImageError  # only when a logo is chosen

    if image.suffix.lower() not in LOGO_SUFFIXES:
        raise SettingError(f"logo_path: {image.name} must be a PNG or JPEG image")
    try:
        if image.stat().st_size > LOGO_MAX_FILE_BYTES:
            raise SettingError(
                f"logo_path: {image.name} is over 20 MB; use a smaller image"
            )
        with Image.open(image) as opened:
            if opened.format not in ("PNG", "JPEG"):
                raise SettingError(
                    f"logo_path: {image.name} is a {opened.format} image, "
                    "not PNG or JPEG"
                )
            opened.thumbnail((LOGO_MAX_PIXELS, LOGO_MAX_PIXELS))
            picture: Image.Image = opened
            if picture.mode not in ("RGB", "RGBA", "L", "LA"):
                picture = picture.convert("RGBA")
            out = io.BytesIO()
            picture.save(out, format="PNG", optimize=True)
    except FileNotFoundError:
        raise SettingError(f"logo_path: the file {image} does not exist") from None
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise SettingError(
            f"logo_path: {image.name} cannot be read as a PNG or JPEG image "
            "(it may be damaged); choose another file"
        ) from None
    return base64.b64encode(out.getvalue()).decode("ascii")


def _logo_file(encoded: str, cache: Path) -> Path:
    """Write the stored logo to the ``cache`` folder (once); return its path."""
    data = base64.b64decode(encoded, validate=True)
    digest = hashlib.sha256(data).hexdigest()[:20]
    path = cache / "logos" / f"logo-{digest}.png"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)
    return path


def _from_json(name: str, value: Any) -> Any:
    if name == "logo_path" and isinstance(value, str):
        return Path(value)
    return value


# -- the queue ----------------------------------------------------------------


def job_keep_days(db: Database) -> int:
    """Return how many days finished job records are kept (default 30)."""
    value = get_settings(db, QUEUE_PREFIX).get("keep_days")
    low, high = KEEP_DAYS_RANGE
    if isinstance(value, int) and low <= value <= high:
        return value
    return DEFAULT_KEEP_DAYS


def save_job_keep_days(db: Database, days: int) -> None:
    """Keep finished job records for ``days`` days.

    Raises:
        SettingError: ``days`` is outside 1 to 3,650.
    """
    low, high = KEEP_DAYS_RANGE
    if isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high:
        raise SettingError(
            f"keep_days: finished jobs are kept {low} to {high:,} days, not {days!r}"
        )
    put_settings(db, QUEUE_PREFIX, {"keep_days": days})
