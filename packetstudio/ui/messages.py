"""Every message the app shows a person goes through here, and into the log.

Known problems of the environment (the database locked or unreachable, a full
disk, a file that cannot be written) are shown in plain words; anything else
is a bug, shown with its details so they can be copied for support.
"""

from __future__ import annotations

import errno
import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.exc import OperationalError

from packetstudio.store.database import DatabaseError

log = logging.getLogger(__name__)


def known_problem(exc: BaseException) -> str | None:
    """Return plain words for an environment problem, or None for a bug."""
    if isinstance(exc, DatabaseError):
        return str(exc)
    if isinstance(exc, OperationalError):
        return (
            "The database is busy or out of reach. Wait a moment and try again; "
            "if another program has it open, close that program."
        )
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "The disk is full. Free some space and try again."
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"A file could not be read or written{where}: {exc.strerror or exc}."
    return None


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    """Log ``exc`` and show it: plain words if known, else with copyable details."""
    words = known_problem(exc)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    if words is not None:
        log.warning("%s: %s", title, words)
        box.setText(words)
    else:
        log.error("%s", title, exc_info=exc)
        box.setText(
            "Something went wrong that PacketStudio did not expect. Your data is "
            "safe. Please send the details below to your support contact."
        )
        box.setDetailedText("".join(traceback.format_exception(exc)))
    box.exec()


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    """Log and show an informational message."""
    log.info("%s: %s", title, text)
    QMessageBox.information(parent, title, text)
