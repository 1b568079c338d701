"""Starting the desktop app."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

from packetstudio import __version__
from packetstudio.store import Database, DatabaseError
from packetstudio.store.clients import count_clients

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The main window.

    FIXME(ui): only shows the database and its client count; the client list,
    intake form, queue panel and packet preview are still to be built.
    """

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.setWindowTitle("PacketStudio")
        count = count_clients(db)
        text = QLabel(
            f"<h2>PacketStudio {__version__}</h2>"
            f"<p>{count} clients in the database.</p>"
            "<p>Use <code>packetstudio --help</code> for the command-line tools.</p>"
        )
        text.setMargin(24)
        self.setCentralWidget(text)
        self.resize(640, 360)


def run_app(url: str) -> int:
    """Open the database at ``url`` and run the app until its window closes."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("PacketStudio")
    try:
        db = Database.open(url)
    except DatabaseError as exc:
        log.error("Cannot open the database: %s", exc)
        QMessageBox.critical(None, "PacketStudio", str(exc))
        return 1
    window = MainWindow(db)
    window.show()
    try:
        return app.exec()
    finally:
        db.close()
