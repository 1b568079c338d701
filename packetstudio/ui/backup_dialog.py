"""The backups dialog: back up the SQLite database now, or restore a backup.

Backups are copies made with SQLite's online backup API (safe while packets
are being made), in a ``backups`` folder beside the database; one is also
made automatically at start-up once a day. A database on a PostgreSQL server
is backed up on the server; the dialog says so instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from packetstudio.store import backup
from packetstudio.store.database import Database, sqlite_path
from packetstudio.ui.labels import compact_rows
from packetstudio.ui.messages import show_error

log = logging.getLogger(__name__)

KIND_WORDS = {
    backup.AUTO: "Daily, automatic",
    "manual": "By hand",
    backup.PRE_RESTORE: "Before a restore",
}

# Restores the database from a backup file; returns the safety copy made first.
Restore = Callable[[Path], Path]


class BackupDialog(QDialog):
    """Lists the backups; Back up now, Restore selected, Restore from a file."""

    def __init__(
        self, db: Database, restore: Restore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backups")
        self.resize(640, 420)
        self.db = db
        self._restore = restore
        self.database = sqlite_path(db.url)
        self.info = QLabel()
        self.info.setObjectName("backup_info")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome = QLabel()
        self.outcome.setObjectName("backup_outcome")
        self.outcome.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("backup_table")
        self.table.setHorizontalHeaderLabels(["Taken", "Kind", "Size"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Backups, newest first")
        compact_rows(self.table)
        self.backup_button = QPushButton("&Back up now")
        self.backup_button.setObjectName("backup_now")
        self.restore_button = QPushButton("&Restore selected...")
        self.restore_button.setObjectName("restore_selected")
        self.restore_file_button = QPushButton("Restore from &file...")
        self.restore_file_button.setObjectName("restore_file")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button):
            buttons.addWidget(button)
        buttons.addWidget(self.restore_file_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.outcome)
        layout.addWidget(close)

        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.restore_selected)
        self.backups: list[backup.Backup] = []
        self.refresh()

    def refresh(self) -> None:
        """Show the backups, or why there are none to show."""
        if self.database is None:
            self.info.setText(
                "This database is on a server, and backups belong to the server: "
                "its administrator backs it up with pg_dump (or the hosting "
                "service's backups) and restores with pg_restore. PacketStudio "
                "backs up only databases kept on this computer."
            )
            for button in (
                self.backup_button,
                self.restore_button,
                self.restore_file_button,
            ):
                button.setEnabled(False)
            self.table.hide()
            return
        folder = backup.backup_folder(self.database)
        self.info.setText(
            f"Backups of {self.database} are kept in {folder}. One is made each "
            f"day at start-up (the last {backup.KEEP_AUTOMATIC} are kept); "
            "restoring first backs up the current state."
        )
        self.backups = backup.list_backups(self.database)
        self.table.setRowCount(len(self.backups))
        for row, item in enumerate(self.backups):
            size = item.path.stat().st_size if item.path.exists() else 0
            cells = (
                item.taken_at.strftime("%Y-%m-%d %H:%M:%S"),
                KIND_WORDS.get(item.kind, item.kind),
                f"{size / 1_000_000:.1f} MB",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> backup.Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    @Slot()
    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    @Slot()
    def back_up_now(self) -> None:
        assert self.database is not None
        try:
            made = backup.take_backup(self.database)
        except backup.BackupError as exc:
            show_error(self, "The backup failed", exc)
            return
        self.refresh()
        self.table.selectRow(
            next(i for i, b in enumerate(self.backups) if b.path == made)
        )
        self.outcome.setText(f"Backed up to {made.name}.")

    @Slot()
    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            when = chosen.taken_at.strftime("%d %B %Y at %H:%M")
            self._confirm_and_restore(chosen.path, f"the backup taken on {when}")

    @Slot()
    def restore_from_file(self) -> None:
        assert self.database is not None
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Restore from a backup file",
            str(backup.backup_folder(self.database)),
            "PacketStudio backups (*.sqlite3 *.db);;All files (*)",
        )
        if name:
            self._confirm_and_restore(Path(name), Path(name).name)

    def _confirm_and_restore(self, path: Path, described: str) -> None:
        try:
            backup.check_backup(path)
        except backup.BackupError as exc:
            show_error(self, "This backup cannot be restored", exc)
            return
        answer = QMessageBox.question(
            self,
            "Restore from a backup?",
            f"Replace every client, packet and setting with {described}?\n\n"
            "Anything entered since then is set aside in a backup of the "
            "current state, made first.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            safety = self._restore(path)
        except Exception as exc:  # shown in plain words, details for bugs
            show_error(self, "The restore failed", exc)
            return
        self.refresh()
        self.outcome.setText(
            f"Restored {described}. The state before the restore is kept as "
            f"the backup {safety.name}."
        )
