"""The main window, driven as a person would: keys, clicks, and waiting on signals."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QWidget,
)
from sqlalchemy import event

from packetstudio.demo import demo_intakes
from packetstudio.intake import parse_intake
from packetstudio.queue import jobs
from packetstudio.queue.jobs import JobStatus, QueueConfig
from packetstudio.queue.plan import plan_packets
from packetstudio.store import Database
from packetstudio.store.clients import (
    add_client,
    add_clients,
    current_intakes,
    update_intake,
)
from packetstudio.ui.main_window import MainWindow
from packetstudio.ui.runner import QueueRunner
from tests.conftest import example

FAST = QueueConfig(backoff_s=0.05, jitter=0.0, lease_s=10)
BIG = 50_000


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def open_window(qtbot: Any, db: Database, settings: QSettings) -> MainWindow:
    runner = QueueRunner(db, threads=2, config=FAST, poll_ms=100)
    window = MainWindow(db, runner, settings)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    runner.start()
    return window


@pytest.fixture
def window(
    qtbot: Any, sqlite_db: Database, settings: QSettings
) -> Iterator[MainWindow]:
    main = open_window(qtbot, sqlite_db, settings)
    yield main
    main.runner.stop()


@pytest.fixture
def windows(qtbot: Any, settings: QSettings) -> Iterator[Any]:
    """Open windows on given databases; their runners stop even if a test fails."""
    opened: list[MainWindow] = []

    def open_on(db: Database) -> MainWindow:
        opened.append(open_window(qtbot, db, settings))
        return opened[-1]

    yield open_on
    for main in opened:
        main.runner.stop()


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A database with 50,000 demo clients, made once for this module."""
    path = tmp_path_factory.mktemp("big") / "big.sqlite3"
    db = Database.open(f"sqlite:///{path}")
    add_clients(db, [parse_intake(raw) for raw in demo_intakes(BIG, seed=3)])
    yield db
    db.close()


def shown_statuses(window: MainWindow) -> dict[str, str]:
    return {p.packet_type: p.status for p in window.client_panel.packets.values()}


def wait_shown_ready(qtbot: Any, window: MainWindow, *types: str) -> None:
    """Wait until the client panel shows these packets ready (it refreshes soon
    after jobs finish, not on every one)."""
    expected = dict.fromkeys(types, "ready")
    qtbot.waitUntil(lambda: shown_statuses(window) == expected, timeout=5000)


def button(window: MainWindow, name: str) -> QPushButton:
    found = window.findChild(QPushButton, name)
    assert found is not None, name
    return found


def visible_names(window: MainWindow) -> list[str]:
    model = window.client_model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_search_finds_clients_among_fifty_thousand_as_you_type(
    qtbot: Any, big_db: Database, settings: QSettings
) -> None:
    window = open_window(qtbot, big_db, settings)
    assert window.client_model.total == BIG
    assert window.client_model.rowCount() < 1000, "rows load lazily"

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    with qtbot.waitSignal(window.client_model.total_changed, timeout=5000):
        qtbot.keyClicks(window.search, "Lopez")

    names = visible_names(window)
    assert 0 < window.client_model.total < BIG
    assert names and all("Lopez" in name for name in names)
    assert window.client_count.text() == f"{window.client_model.total:,} clients"

    window.client_view.scrollToBottom()
    window.runner.stop()


def test_filters_by_client_type_and_sorts_by_column(
    qtbot: Any, big_db: Database, settings: QSettings
) -> None:
    window = open_window(qtbot, big_db, settings)
    with qtbot.waitSignal(window.client_model.total_changed):
        window.type_filter.setCurrentIndex(window.type_filter.findData("athlete"))
    model = window.client_model
    assert {model.index(r, 1).data() for r in range(model.rowCount())} == {"Athlete"}

    window.client_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    names = visible_names(window)[:50]
    assert names == sorted(names, key=str.casefold, reverse=True)

    before = model.rowCount()
    model.fetchMore(window.client_view.rootIndex())
    assert model.rowCount() > before
    window.runner.stop()


def test_opening_the_window_reads_the_client_list_once(
    qtbot: Any, sqlite_db: Database, settings: QSettings
) -> None:
    add_clients(sqlite_db, [parse_intake(raw) for raw in demo_intakes(30, seed=2)])
    counts: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "count(" in statement.lower() and "clients" in statement:
            counts.append(statement)

    event.listen(sqlite_db.engine, "before_cursor_execute", note)
    window = open_window(qtbot, sqlite_db, settings)
    event.remove(sqlite_db.engine, "before_cursor_execute", note)

    assert len(counts) == 1
    names = visible_names(window)
    assert names == sorted(names, key=str.casefold)
    window.runner.stop()


def test_generating_packets_for_a_client_shows_them_ready(
    qtbot: Any, window: MainWindow
) -> None:
    client_id = add_client(window.db, parse_intake(example("general")))
    window.client_model.reload()
    assert window.select_client(client_id)
    assert window.client_panel.ticked_types() == ["nutrition", "workout"]

    with qtbot.waitSignals([window.runner.job_finished] * 2, timeout=60_000):
        qtbot.mouseClick(button(window, "generate_selected"), Qt.MouseButton.LeftButton)

    wait_shown_ready(qtbot, window, "nutrition", "workout")
    table = window.client_panel.table
    assert table.item(0, 1).text() == "Ready"
    assert window.client_model.index(0, 3).data() == "Ready"
    qtbot.waitUntil(
        lambda: "2 ready" in window.queue_panel.counts_label.text(), timeout=3000
    )


def test_retrying_a_failed_job_from_the_queue_panel(
    qtbot: Any, window: MainWindow
) -> None:
    adult = parse_intake(example("general"))
    client_id = add_client(window.db, adult)
    with qtbot.waitSignal(window.runner.job_finished, timeout=30_000) as finished:
        window.generate(client_id, ["youth"])
    assert finished.args[1] == "failed"

    with qtbot.waitSignal(window.queue_panel.refreshed):
        window.queue_panel.refresh()
    window.queue_panel.table.selectRow(0)
    assert "ages 7 to 17" in window.queue_panel.model.index(0, 6).data()
    retry = window.queue_panel.retry_button
    assert retry.isEnabled()

    youth = parse_intake(example("youth"))
    update_intake(window.db, client_id, youth)
    with qtbot.waitSignal(window.runner.job_finished, timeout=30_000) as finished:
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    assert finished.args[1] == "ready"
    assert jobs.stats(window.db).counts == {JobStatus.READY: 1}


def test_window_layout_is_remembered(
    qtbot: Any, sqlite_db: Database, settings: QSettings
) -> None:
    first = open_window(qtbot, sqlite_db, settings)
    # Within the offscreen platform's 800x600 screen, which clamps geometry.
    first.resize(780, 560)
    first.columns.setSizes([200, 250, 330])
    first.client_view.horizontalHeader().resizeSection(0, 222)
    sizes = first.columns.sizes()
    first.close()
    first.runner.stop()

    second = open_window(qtbot, sqlite_db, settings)
    assert second.columns.sizes() == sizes
    assert second.client_view.horizontalHeader().sectionSize(0) == 222
    second.runner.stop()


def test_standard_shortcuts_are_bound(window: MainWindow) -> None:
    def keys(action: Any) -> str:
        return action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)

    assert keys(window.new_action) == "Ctrl+N"
    assert keys(window.search_action) == "Ctrl+F"
    assert keys(window.print_action) == "Ctrl+P"
    assert keys(window.export_action) == "Ctrl+E"
    assert keys(window.refresh_action) == "F5"


def test_first_run_can_load_sample_clients(qtbot: Any, window: MainWindow) -> None:
    assert window.client_model.total == 0
    window.samples_action.trigger()
    assert window.client_model.total == 20
    assert QApplication.activeModalWidget() is None


def test_printing_to_a_pdf_file_prints_every_page(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    client_id = add_client(window.db, parse_intake(example("general")))
    window.client_model.reload()
    window.select_client(client_id)
    with qtbot.waitSignals([window.runner.job_finished] * 2, timeout=60_000):
        window.generate_selected()
    wait_shown_ready(qtbot, window, "nutrition", "workout")
    packets = window.client_panel.ready_packets()
    assert packets, "packets with a PDF"
    expected = sum(p.page_count or 0 for p in packets)

    # Screen resolution: the same code path as a real printer, a tenth of
    # the pixels of 1200 dpi.
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    pdfs = [pdf for _, pdf in window._pdfs(packets)]
    assert window.print_to(printer, pdfs) == expected
    assert len(PdfReader(out).pages) == expected


def generated_client(qtbot: Any, window: MainWindow) -> int:
    """Add the general example client and generate its suggested packets."""
    client_id = add_client(window.db, parse_intake(example("general")))
    window.client_model.reload()
    window.select_client(client_id)
    with qtbot.waitSignals([window.runner.job_finished] * 2, timeout=60_000):
        qtbot.mouseClick(button(window, "generate_selected"), Qt.MouseButton.LeftButton)
    wait_shown_ready(qtbot, window, "nutrition", "workout")
    return client_id


def test_the_preview_shows_the_real_pdf_with_its_pages(
    qtbot: Any, window: MainWindow
) -> None:
    generated_client(qtbot, window)
    window.client_panel.select_type("workout")
    packet = window.client_panel.packets["workout"]
    assert packet.page_count and packet.page_count > 1
    qtbot.waitUntil(lambda: window.preview.page_count == packet.page_count)
    assert window.preview.title.text() == "Preview: Workout"
    assert window.preview.page_label.text() == f"1 / {packet.page_count}"

    qtbot.mouseClick(window.preview.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.preview.page_label.text() == f"2 / {packet.page_count}"
    )


def test_exporting_ticked_packets_writes_pdf_files_to_the_chosen_folder(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generated_client(qtbot, window)
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(tmp_path)
    )
    qtbot.mouseClick(button(window, "export_selected"), Qt.MouseButton.LeftButton)

    written = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert len(written) == 2
    assert all(name.startswith("Lopez_Maria_") for name in written)
    for path in tmp_path.glob("*.pdf"):
        assert "Maria Lopez" in PdfReader(path).pages[0].extract_text()
    assert window.settings.value("export/folder") == str(tmp_path)


def test_a_new_client_typed_into_the_form_is_saved_and_generated(
    qtbot: Any, window: MainWindow
) -> None:
    seen: dict[str, str] = {}

    def fill_the_form() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        field = lambda name: dialog.findChild(QWidget, name)  # noqa: E731
        type_text(field("full_name"), "Zoë Ångström")
        pick(qtbot, field("sex"), "Female")
        qtbot.keyClicks(field("date_of_birth"), "1988-02-29")
        qtbot.keyClicks(field("height_cm"), "171")
        qtbot.keyClicks(field("weight_kg"), "900")
        pick(qtbot, field("goal"), "Maintenance")
        pick(qtbot, field("activity_level"), "Moderately")
        error = field("error_weight_kg")
        qtbot.waitUntil(lambda: "between 20 and 350 kg" in error.text())
        seen["error"] = error.text()
        seen["save enabled"] = str(field("save").isEnabled())
        qtbot.keyClick(
            field("weight_kg"), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
        )
        qtbot.keyClicks(field("weight_kg"), "64")
        qtbot.waitUntil(lambda: field("save").isEnabled())
        qtbot.mouseClick(field("save"), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_the_form)
    with qtbot.waitSignals([window.runner.job_finished] * 2, timeout=60_000):
        qtbot.mouseClick(button(window, "new_client"), Qt.MouseButton.LeftButton)

    assert seen["error"].startswith("Weight must be between 20 and 350 kg")
    assert seen["save enabled"] == "False", "Save stays off while invalid"
    assert visible_names(window) == ["Zoë Ångström"]
    client = window.client_panel.client
    assert client is not None and client.intake.weight_kg == 64
    wait_shown_ready(qtbot, window, "nutrition", "workout")


def pick(qtbot: Any, combo: Any, text: str) -> None:
    """Choose the combo item starting with ``text`` using the arrow keys."""
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText().startswith(text):
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"no item {text!r}")


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, one key event per character.

    QTest's key clicks only know ASCII; a keyboard (or an input method)
    sends such events for "ë" and "Å".
    """
    for character in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, character)
            QApplication.sendEvent(widget, event)


def test_exporting_again_asks_before_replacing_files(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generated_client(qtbot, window)
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(tmp_path)
    )
    export = button(window, "export_selected")
    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
    for path in tmp_path.glob("*.pdf"):
        path.write_bytes(b"old")

    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *args: next(answers))
    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
    assert {p.read_bytes() for p in tmp_path.glob("*.pdf")} == {b"old"}

    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
    assert all(p.read_bytes().startswith(b"%PDF") for p in tmp_path.glob("*.pdf"))
    assert len(list(tmp_path.glob("*.pdf"))) == 2


def test_imperial_units_are_a_remembered_choice_of_the_form(
    qtbot: Any, window: MainWindow
) -> None:
    seen: list[bool] = []

    def look_and_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        seen.append(dialog.findChild(QWidget, "weight_lb") is not None)
        seen.append(dialog.findChild(QWidget, "weight_lb").isVisible())
        dialog.reject()

    window.imperial_action.trigger()
    assert window.settings.value("units") == "imperial"
    QTimer.singleShot(0, look_and_cancel)
    qtbot.mouseClick(button(window, "new_client"), Qt.MouseButton.LeftButton)
    assert seen == [True, True]


def queued_requests(db: Database) -> set[tuple[int, str]]:
    return {(job.client_id, job.packet_type) for job in jobs.recent(db, 100_000)}


def test_select_all_queues_every_client_in_the_list_not_only_loaded_rows(
    qtbot: Any, sqlite_db: Database, windows: Any
) -> None:
    add_clients(sqlite_db, [parse_intake(r) for r in demo_intakes(450, seed=5)])
    window = windows(sqlite_db)
    assert window.client_model.rowCount() < 450  # the rest load on scrolling

    window.client_view.setFocus()
    qtbot.keyClick(
        window.client_view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
    )
    window.generate_all_action.trigger()
    qtbot.waitUntil(
        lambda: "for 450 clients" in window.statusBar().currentMessage(),
        timeout=20_000,
    )
    window.runner.stop()
    assert queued_requests(sqlite_db) == set(
        plan_packets(sqlite_db, None, "all").requests
    )


def test_generating_for_the_whole_list_follows_its_filter(
    qtbot: Any, sqlite_db: Database, windows: Any
) -> None:
    add_clients(sqlite_db, [parse_intake(r) for r in demo_intakes(40, seed=6)])
    athletes = [
        client_id
        for client_id, _name, intake in current_intakes(sqlite_db)
        if intake.client_type == "athlete"
    ]
    assert 0 < len(athletes) < 40
    window = windows(sqlite_db)
    with qtbot.waitSignal(window.client_model.total_changed):
        window.type_filter.setCurrentIndex(window.type_filter.findData("athlete"))
    window.generate_list_action.trigger()
    qtbot.waitUntil(
        lambda: f"for {len(athletes)} clients" in window.statusBar().currentMessage(),
        timeout=20_000,
    )
    window.runner.stop()
    assert {client for client, _type in queued_requests(sqlite_db)} == set(athletes)


# Holds an exclusive lock on a SQLite file until a line arrives on stdin.
LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


def test_a_locked_database_keeps_the_form_open_until_it_can_save(
    qtbot: Any,
    sqlite_url: str,
    windows: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Database.open(sqlite_url).close()
    db = Database(sqlite_url, busy_timeout_s=0.3)
    window = windows(db)
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, sqlite_url.removeprefix("sqlite:///")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    with locker:
        assert locker.stdout is not None and locker.stdin is not None
        assert locker.stdout.readline().strip() == "locked"
        fill_in_while_locked(qtbot, window, locker, monkeypatch)
    assert visible_names(window) == ["Priya Raman"]


def fill_in_while_locked(
    qtbot: Any,
    window: MainWindow,
    locker: subprocess.Popen[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    seen: dict[str, bool] = {}

    def fill_the_form() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        field = lambda name: dialog.findChild(QWidget, name)  # noqa: E731
        qtbot.keyClicks(field("full_name"), "Priya Raman")
        pick(qtbot, field("sex"), "Female")
        qtbot.keyClicks(field("date_of_birth"), "1990-05-04")
        qtbot.keyClicks(field("height_cm"), "165")
        qtbot.keyClicks(field("weight_kg"), "60")
        pick(qtbot, field("goal"), "Maintenance")
        pick(qtbot, field("activity_level"), "Moderately")
        qtbot.waitUntil(lambda: field("save").isEnabled())
        qtbot.mouseClick(field("save"), Qt.MouseButton.LeftButton)
        seen["open while locked"] = dialog.isVisible()
        seen["name kept"] = field("full_name").text() == "Priya Raman"
        assert locker.stdin is not None
        locker.stdin.write("\n")
        locker.stdin.flush()
        locker.wait(10)
        qtbot.mouseClick(field("save"), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_the_form)
    qtbot.mouseClick(button(window, "new_client"), Qt.MouseButton.LeftButton)

    assert seen == {"open while locked": True, "name kept": True}
    assert len(shown) == 1 and "locked by another program" in shown[0]
