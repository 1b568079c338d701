"""Regenerate the screenshots in docs/screenshots/ from offscreen windows.

QT_QPA_PLATFORM=offscreen python scripts/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit

from packetstudio.demo import demo_intakes
from packetstudio.intake import parse_intake
from packetstudio.queue import jobs
from packetstudio.queue.plan import plan_packets
from packetstudio.queue.worker import Worker
from packetstudio.store import Database
from packetstudio.store.clients import add_clients
from packetstudio.ui.intake_form import IntakeDialog
from packetstudio.ui.main_window import MainWindow
from packetstudio.ui.runner import QueueRunner
from packetstudio.ui.template_editor import TemplateEditor

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZE = (1366, 768)


def spin(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def sample_database(folder: Path) -> Database:
    db = Database.open(f"sqlite:///{folder / 'shots.sqlite3'}")
    add_clients(db, [parse_intake(raw) for raw in demo_intakes(40, seed=1)])
    jobs.enqueue(db, plan_packets(db, None, "all").requests[:24])
    Worker(db, threads=2, idle_s=0.05).run(until_empty=True)
    return db


def main_window(db: Database, folder: Path) -> MainWindow:
    settings = QSettings(str(folder / "shots.ini"), QSettings.Format.IniFormat)
    window = MainWindow(db, QueueRunner(db, threads=2, poll_ms=200), settings)
    window.resize(*SIZE)
    window.show()
    return window


def shoot_main(window: MainWindow) -> None:
    for row in range(window.client_model.rowCount()):
        client_id = window.client_model.client_id(row)
        if client_id is None:
            continue
        window.select_client(client_id)
        if window.client_panel.ready_packets():
            break
    spin(800)
    window.grab().save(str(OUT / "main_window.png"))


def shoot_batch(window: MainWindow) -> None:
    window.client_view.selectAll()
    window.generate_all_action.trigger()
    window.runner.start()
    window.queue_panel.start()
    spin(2500)
    window.grab().save(str(OUT / "queue_during_batch.png"))
    window.runner.stop()


def shoot_admin(window: MainWindow) -> None:
    """The settings (with a colour too light to print) and the backups."""
    dialog = window.show_settings()
    dialog.text_fields["gym_name"].setText("Northside Strength")
    dialog.text_fields["address"].setText("12 Mill Lane, Springfield")
    dialog.text_fields["phone"].setText("555-0142")
    dialog.text_fields["website"].setText("northsidestrength.example")
    dialog.text_fields["coach_name"].setText("Sam Rivera, Alex Kim")
    dialog.colour.setText("#FFD700")
    spin(300)
    dialog.grab().save(str(OUT / "settings_error.png"))
    dialog.reject()
    backups = window.show_backups()
    backups.back_up_now()
    spin(300)
    backups.grab().save(str(OUT / "backups.png"))
    backups.reject()


def shoot_template_editor(db: Database) -> None:
    """The template editor once its first preview is on screen."""
    editor = TemplateEditor(db)
    editor.resize(*SIZE)
    editor.show()
    loop = QEventLoop()
    editor.preview_shown.connect(loop.quit)
    QTimer.singleShot(30_000, loop.quit)
    loop.exec()
    spin(600)
    editor.grab().save(str(OUT / "template_editor.png"))
    editor.close()


def shoot_form() -> None:
    dialog = IntakeDialog(units="metric")
    dialog.resize(760, 740)
    dialog.show()
    values = {"full_name": "Zoë Ångström", "date_of_birth": "1988-02-29"}
    for name, text in values.items():
        field = dialog.findChild(QLineEdit, name)
        if field is not None:
            field.setText(text)
    for name, text in (("height_cm", "171"), ("weight_kg", "900")):
        box = dialog.findChild(QAbstractSpinBox, name)
        if box is not None:
            QTest.keyClicks(box, text)
    spin(600)
    dialog.grab().save(str(OUT / "intake_form_error.png"))


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = sample_database(folder)
        window = main_window(db, folder)
        shoot_main(window)
        shoot_batch(window)
        shoot_admin(window)
        shoot_template_editor(db)
        window.close()
        db.close()
    shoot_form()
    print(f"screenshots written to {OUT}")
    app.quit()


if __name__ == "__main__":
    main()
