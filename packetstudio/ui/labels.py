"""Words and colours the interface shows for stored values."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QTableView

STATUS_WORDS = {
    "new": "Not generated",
    "queued": "Waiting",
    "running": "Generating",
    "ready": "Ready",
    "failed": "Failed",
    "cancelled": "Cancelled",
}


def value_text(value: str | None) -> str:
    """Return a stored enum value as words: "fat_loss" -> "Fat loss"."""
    if not value:
        return "-"
    return value.replace("_", " ").capitalize()


def status_text(status: str | None) -> str:
    """Return a packet or job status as the front desk says it."""
    if status is None:
        return "-"
    return STATUS_WORDS.get(status, value_text(status))


def is_dark() -> bool:
    window = QApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def error_colour() -> QColor:
    """A red that stays readable on the current light or dark palette."""
    return QColor("#ef6b6b") if is_dark() else QColor("#b3261e")


def ok_colour() -> QColor:
    return QColor("#6fcf8a") if is_dark() else QColor("#1b6e34")


def compact_rows(view: QTableView) -> None:
    """One line of text per row, sized from the font, without a row header."""
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.setWordWrap(False)
