"""Sorting a job's failure into retry-worthy or permanent, by exception type.

Never by message text: a message can change with a library's version or the
system's language, a type cannot.
"""

from __future__ import annotations

import errno
import logging

from jinja2 import TemplateError
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from packetstudio.generators.base import NotApplicable
from packetstudio.intake import IntakeError
from packetstudio.library import LibraryError
from packetstudio.queue.jobs import JobError
from packetstudio.store.clients import ClientNotFound
from packetstudio.store.database import DatabaseError, DiskFull
from packetstudio.templates.errors import TemplateFailure

log = logging.getLogger(__name__)


class PermanentJobError(Exception):
    """Raised by a pipeline step for a failure that retrying cannot fix.

    Attributes:
        kind: the short word recorded with the job.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def classify(exc: BaseException) -> JobError:
    """Return the recorded kind, front-desk message and permanence of ``exc``."""
    if isinstance(exc, PermanentJobError):
        return JobError(exc.kind, str(exc), permanent=True)
    if isinstance(exc, NotApplicable):
        return JobError("not_applicable", str(exc), permanent=True)
    if isinstance(exc, IntakeError | ValidationError):
        return JobError(
            "invalid_intake",
            f"The client's intake is not valid ({exc}). Edit the client, then retry.",
            permanent=True,
        )
    if isinstance(exc, TemplateFailure):
        return JobError(
            "template",
            f"The handout template has an error ({exc}). "
            "Fix or reset the template, then retry.",
            permanent=True,
        )
    if isinstance(exc, TemplateError):
        where = getattr(exc, "lineno", None)
        at = f" on line {where}" if where else ""
        return JobError(
            "template",
            f"The handout template has an error{at}: {exc}. "
            "Fix or reset the template, then retry.",
            permanent=True,
        )
    if isinstance(exc, ClientNotFound):
        return JobError("client_missing", "The client was deleted.", permanent=True)
    if isinstance(exc, LibraryError):
        return JobError(
            "library", f"PacketStudio's data files are damaged: {exc}", True
        )
    if isinstance(exc, DiskFull) or (
        isinstance(exc, OSError) and exc.errno == errno.ENOSPC
    ):
        return JobError(
            "disk_full",
            "The disk is full, so the packet could not be saved. Free some space; "
            "PacketStudio tries again by itself.",
            permanent=False,
        )
    if isinstance(exc, OperationalError | DatabaseError):
        return JobError(
            "database",
            "The database was busy or out of reach; "
            "PacketStudio tries again by itself.",
            permanent=False,
        )
    if isinstance(exc, OSError):
        return JobError(
            "io",
            f"A file could not be read or written ({exc.strerror or exc}); "
            "PacketStudio tries again by itself.",
            permanent=False,
        )
    log.error("Unexpected error in a job", exc_info=exc)
    return JobError(
        "unexpected",
        f"Something unexpected went wrong ({type(exc).__name__}); PacketStudio "
        "tries again by itself. If it keeps failing, send the log to support.",
        permanent=False,
    )
