"""Settings and backups from the main window, driven as a gym owner would."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton
from sqlalchemy import update

from packetstudio.intake import parse_intake
from packetstudio.queue import jobs
from packetstudio.queue.jobs import QueueConfig
from packetstudio.store import Database, backup
from packetstudio.store.clients import add_client, list_clients
from packetstudio.store.models import Job
from packetstudio.store.packets import packet_pdf, packets_for_client
from packetstudio.store.settings import job_keep_days, load_branding
from packetstudio.ui.backup_dialog import BackupDialog
from packetstudio.ui.main_window import MainWindow
from packetstudio.ui.runner import QueueRunner
from packetstudio.ui.settings_dialog import SettingsDialog
from tests.conftest import example

FAST = QueueConfig(backoff_s=0.05, jitter=0.0, lease_s=10)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(
    qtbot: Any, sqlite_db: Database, settings: QSettings
) -> Iterator[MainWindow]:
    runner = QueueRunner(sqlite_db, threads=2, config=FAST, poll_ms=100)
    main = MainWindow(sqlite_db, runner, settings)
    qtbot.addWidget(main)
    with qtbot.waitExposed(main):
        main.show()
    runner.start()
    yield main
    runner.stop()


def click(qtbot: Any, button: QPushButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def retype(qtbot: Any, edit: Any, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def open_settings(window: MainWindow) -> SettingsDialog:
    window.settings_action.trigger()
    [dialog] = [d for d in window.findChildren(SettingsDialog) if d.isVisible()]
    return dialog


def generate(qtbot: Any, window: MainWindow, client_id: int) -> None:
    window.client_model.reload()
    window.select_client(client_id)
    with qtbot.waitSignals([window.runner.job_finished] * 2, timeout=60_000):
        window.generate_action.trigger()


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())


def test_the_gym_name_and_logo_from_settings_are_in_the_next_pdf(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logo = tmp_path / "ridge.png"
    Image.new("RGB", (900, 300), "#1B4D3E").save(logo)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(logo), "")
    )
    dialog = open_settings(window)
    retype(qtbot, dialog.text_fields["gym_name"], "Ridgeline Barbell Club")
    retype(qtbot, dialog.text_fields["phone"], "555-0142")
    click(qtbot, dialog.choose_logo_button)
    assert not dialog.logo_preview.pixmap().isNull()

    retype(qtbot, dialog.colour, "FFD700")  # gold: unreadable when printed grey
    error = dialog.errors["brand_colour"]
    assert error.isVisible() and "too light" in error.text()
    assert not dialog.save_button.isEnabled()
    retype(qtbot, dialog.colour, "1B4D3E")
    assert not error.isVisible()
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.save_button)

    client_id = add_client(window.db, parse_intake(example("general")))
    generate(qtbot, window, client_id)
    [packet, *_] = packets_for_client(window.db, client_id)
    pdf = packet_pdf(window.db, packet.id)
    assert pdf is not None
    assert "Ridgeline Barbell Club" in pdf_text(pdf)
    assert "555-0142" in pdf_text(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1
    assert load_branding(window.db).gym_name == "Ridgeline Barbell Club"


def test_a_blank_gym_name_or_missing_folder_is_named_and_blocks_save(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_settings(window)
    retype(qtbot, dialog.text_fields["gym_name"], "")
    assert "cannot be blank" in dialog.errors["gym_name"].text()
    assert not dialog.save_button.isEnabled()
    retype(qtbot, dialog.text_fields["gym_name"], "Northside")
    retype(qtbot, dialog.folder, str(tmp_path / "nowhere"))
    assert "There is no folder" in dialog.errors["output_folder"].text()
    assert not dialog.save_button.isEnabled()
    retype(qtbot, dialog.folder, str(tmp_path))
    assert dialog.save_button.isEnabled()
    dialog.reject()
    assert load_branding(window.db).gym_name == "PacketStudio"  # nothing saved


def test_desk_and_queue_settings_apply_on_save(
    qtbot: Any, window: MainWindow, settings: QSettings, tmp_path: Path
) -> None:
    dialog = open_settings(window)
    threads = []
    window.threads_changed.connect(threads.append)
    dialog.threads.setValue(3)
    dialog.form_units.setCurrentIndex(dialog.form_units.findData("imperial"))
    dialog.handout_units.setCurrentIndex(dialog.handout_units.findData("imperial"))
    dialog.paper.setCurrentIndex(dialog.paper.findData("a4"))
    dialog.keep_days.setValue(9)
    retype(qtbot, dialog.folder, str(tmp_path))
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.save_button)

    # Three render processes, each with a second thread preparing its next job.
    assert threads == [3] and window.runner.threads == 6
    assert window.imperial_action.isChecked()
    assert settings.value("export/folder") == str(tmp_path)
    assert job_keep_days(window.db) == 9
    stored = load_branding(window.db)
    assert (stored.units, stored.paper) == ("imperial", "a4")


def test_saving_with_regenerate_ticked_makes_every_packet_again(
    qtbot: Any, window: MainWindow
) -> None:
    client_id = add_client(window.db, parse_intake(example("general")))
    generate(qtbot, window, client_id)
    first = {
        p.packet_type: p.ready_at for p in packets_for_client(window.db, client_id)
    }

    dialog = open_settings(window)
    retype(qtbot, dialog.text_fields["gym_name"], "Harbour Fitness")
    dialog.regenerate.setChecked(True)
    with qtbot.waitSignals([window.runner.job_finished] * 2, timeout=60_000):
        click(qtbot, dialog.save_button)

    qtbot.waitUntil(
        lambda: all(
            p.status == "ready" and p.ready_at != first[p.packet_type]
            for p in packets_for_client(window.db, client_id)
        ),
        timeout=10_000,
    )
    for packet in packets_for_client(window.db, client_id):
        pdf = packet_pdf(window.db, packet.id)
        assert pdf is not None and "Harbour Fitness" in pdf_text(pdf)


def test_backup_then_restore_brings_back_the_database_and_keeps_the_present(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_client(window.db, parse_intake(example("general")))
    window.backups_action.trigger()
    dialog = window.findChild(BackupDialog)
    assert dialog is not None
    click(qtbot, dialog.backup_button)
    assert "Backed up to" in dialog.outcome.text()
    taken = [b for b in dialog.backups if b.kind == "manual"]
    assert len(taken) == 1
    before = [c.full_name for c in list_clients(window.db)]

    added = parse_intake(example("athlete") | {"full_name": "Late Arrival"})
    add_client(window.db, added)
    window.refresh()
    assert window.client_model.total == 2

    monkeypatch.setattr(
        QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes
    )
    dialog.table.selectRow(dialog.backups.index(taken[0]))
    with qtbot.waitSignal(window.restored):
        click(qtbot, dialog.restore_button)

    assert [c.full_name for c in list_clients(window.db)] == before
    assert window.client_model.total == 1
    kept = [b for b in dialog.backups if b.kind == backup.PRE_RESTORE]
    assert len(kept) == 1 and kept[0].path.name in dialog.outcome.text()
    with sqlite3.connect(kept[0].path) as conn:
        names = {row[0] for row in conn.execute("SELECT full_name FROM clients")}
    assert "Late Arrival" in names

    client_id = add_client(window.db, parse_intake(example("general")))
    generate(qtbot, window, client_id)  # the queue works on the restored file
    assert {p.status for p in packets_for_client(window.db, client_id)} == {"ready"}


def test_declining_the_restore_changes_nothing(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_client(window.db, parse_intake(example("general")))
    dialog = window.show_backups()
    click(qtbot, dialog.backup_button)
    add_client(window.db, parse_intake(example("youth")))
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No
    )
    dialog.table.selectRow(0)
    click(qtbot, dialog.restore_button)
    assert len(list_clients(window.db)) == 2
    assert [b.kind for b in dialog.backups] == ["manual"]


def test_a_file_that_is_not_a_backup_is_refused_by_name(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "notes.sqlite3"
    fake.write_text("not a database")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(fake), "")
    )
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    dialog = window.show_backups()
    click(qtbot, dialog.restore_file_button)
    assert len(shown) == 1 and "notes.sqlite3 is not a PacketStudio backup" in shown[0]


@pytest.mark.postgres
def test_on_a_server_the_dialog_explains_backups_belong_there(
    qtbot: Any, postgres_url: str
) -> None:
    db = Database.open(postgres_url)
    try:
        dialog = BackupDialog(db, restore=lambda path: path)
        qtbot.addWidget(dialog)
        assert "pg_dump" in dialog.info.text()
        assert not dialog.backup_button.isEnabled()
        assert not dialog.restore_file_button.isEnabled()
    finally:
        db.close()


def test_queue_history_is_trimmed_to_the_kept_days(
    qtbot: Any, window: MainWindow
) -> None:
    client_id = add_client(window.db, parse_intake(example("general")))
    generate(qtbot, window, client_id)
    assert len(jobs.recent(window.db)) == 2
    ten_days_ago = datetime.now(UTC) - timedelta(days=10)
    with window.db.write() as session:
        session.execute(update(Job).values(finished_at=ten_days_ago))
    dialog = open_settings(window)
    dialog.keep_days.setValue(11)
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.save_button)
    window.background.wait()
    assert len(jobs.recent(window.db)) == 2  # ten days old: kept for 11
    dialog = open_settings(window)
    dialog.keep_days.setValue(7)
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: jobs.recent(window.db) == [], timeout=5000)
    assert len(packets_for_client(window.db, client_id)) == 2  # packets stay


def test_the_template_editor_opens_from_the_tools_menu_once(
    qtbot: Any, window: MainWindow
) -> None:
    from packetstudio.ui.template_editor import TemplateEditor

    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    assert window.templates_action in tools.actions()
    window.templates_action.trigger()
    window.templates_action.trigger()
    editors = [e for e in window.findChildren(TemplateEditor) if e.isVisible()]
    assert len(editors) == 1
    editors[0].close()
