"""Starting the desktop app: logging, the database, the queue and the window."""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from functools import partial
from importlib import import_module
from logging.handlers import RotatingFileHandler
from types import TracebackType

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from packetstudio import __version__
from packetstudio.paths import resource, user_log_dir
from packetstudio.pdf.pool import RenderPool
from packetstudio.queue.worker import job_threads, run_pipeline
from packetstudio.store import Database, DatabaseError, backup
from packetstudio.store.database import sqlite_path
from packetstudio.ui.collector import GuiThreadCollector
from packetstudio.ui.main_window import MainWindow
from packetstudio.ui.messages import show_error
from packetstudio.ui.runner import QueueRunner
from packetstudio.ui.settings_dialog import desk_threads

log = logging.getLogger(__name__)

# Finished job records older than the kept number of days (Settings) are
# removed at start-up and then every hour.
CLEANUP_INTERVAL_MS = 3_600_000

# How long after the window shows the collector is tuned (tune_collector),
# and the render processes started: both after the first paint, so that the
# window does not wait for them, and before the first Generate does.
TUNE_COLLECTOR_AFTER_MS = 1000
WARM_RENDERERS_AFTER_MS = 1500
# The client list and the queue read and write tables directly; the ORM,
# which editing a client or retrying a job uses, loads in the background
# once the window shows, and before the collector is tuned.
LOAD_ORM_AFTER_MS = 300

# The name of the .desktop file (packaging/linux/), which Wayland desktops
# use to find the icon of the running window.
DESKTOP_FILE = "org.packetstudio.PacketStudio"

# Set by the packaging checks: quit once the window is up, to prove a build
# starts. Not an option users need, so not on the command line.
QUIT_AFTER_START = "PACKETSTUDIO_QUIT_AFTER_START"


def setup_logging() -> None:
    """Log to a rotating file in the user log folder (5 files of 1 MB)."""
    try:
        handler = RotatingFileHandler(
            user_log_dir() / "packetstudio.log",
            maxBytes=1_000_000,
            backupCount=5,
            encoding="utf-8",
        )
    except OSError as exc:
        logging.getLogger().warning("Cannot write the log file: %s", exc)
        return
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def report_unexpected(
    kind: type[BaseException], exc: BaseException, trace: TracebackType | None
) -> None:
    """Show an exception nothing caught (a bug, or a problem of the computer).

    Installed as ``sys.excepthook``: an exception escaping a slot would
    otherwise only reach the terminal, which a front desk does not have.
    """
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, trace)
        return
    show_error(QApplication.activeWindow(), "PacketStudio", exc.with_traceback(trace))


def application_icon() -> QIcon:
    """Return the app's icon, in every size drawn from its SVG source."""
    icon = QIcon()
    for path in sorted(resource("icons").glob("packetstudio-*.png")):
        icon.addFile(str(path))
    return icon


def tune_collector() -> None:
    """Keep the garbage collector's pauses short once the app has started.

    Objects made at start-up live as long as the app: freezing them keeps
    them out of the full passes, which otherwise pause every thread (the GUI
    thread included) for over 100 ms during a batch; rarer full passes do
    the rest. Measured with benchmarks/bench_gui.py.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(5000, 20, 100)


def load_orm() -> None:
    """Start loading the ORM classes in the background."""
    threading.Thread(
        target=import_module,
        args=("packetstudio.store.models",),
        name="load-orm",
        daemon=True,
    ).start()


def _automatic_backup(url: str) -> None:
    """Back up a SQLite database once a day at start-up; never stop the app."""
    path = sqlite_path(url)
    if path is None:
        return
    try:
        made = backup.automatic_backup(path)
    except DatabaseError as exc:
        log.warning("The daily backup failed: %s", exc)
        return
    if made is not None:
        log.info("Daily backup written to %s", made)


def run_app(url: str) -> int:
    """Open the database at ``url`` and run the app until its window closes."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("PacketStudio")
    app.setOrganizationName("PacketStudio")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(application_icon())
    app.setDesktopFileName(DESKTOP_FILE)
    GuiThreadCollector(app)
    setup_logging()
    sys.excepthook = report_unexpected
    log.info("PacketStudio %s starting", __version__)
    try:
        db = Database.open(url)
    except DatabaseError as exc:
        log.error("Cannot open the database: %s", exc)
        QMessageBox.critical(None, "PacketStudio cannot start", str(exc))
        return 1
    _automatic_backup(url)
    settings = QSettings()
    threads = desk_threads(settings)
    pool = RenderPool(threads)
    runner = QueueRunner(
        db,
        threads=job_threads(threads, pool.processes),
        process=partial(run_pipeline, make=pool.make),
    )
    window = MainWindow(db, runner, settings)
    window.threads_changed.connect(pool.resize)
    window.show()
    # After the first paint: a full collection then takes a tenth of a second.
    QTimer.singleShot(LOAD_ORM_AFTER_MS, load_orm)
    QTimer.singleShot(TUNE_COLLECTOR_AFTER_MS, tune_collector)
    QTimer.singleShot(WARM_RENDERERS_AFTER_MS, pool.warm)
    runner.start()
    window.queue_panel.start()
    cleanup = QTimer(window)
    cleanup.setInterval(CLEANUP_INTERVAL_MS)
    cleanup.timeout.connect(window.clean_up_jobs)
    cleanup.start()
    QTimer.singleShot(0, window.clean_up_jobs)
    QTimer.singleShot(0, window.offer_samples)
    if os.environ.get(QUIT_AFTER_START):
        QTimer.singleShot(0, app.quit)
    try:
        return app.exec()
    finally:
        # Closing waits for the window's own background work (queue counts,
        # job clean-up) before the database goes.
        window.close()
        cleanup.stop()
        runner.stop()
        pool.close()
        db.close()
        log.info("PacketStudio stopped")
